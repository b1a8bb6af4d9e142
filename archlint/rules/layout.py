"""AL306-AL309: how layers are ordered and sized along a model: Dropout placed before a
pooling, feature maps pooled down to a single position while convolutions follow, filters
that shrink along an encoder, and a Dense head that widens toward its output.

AL306 and AL307 read one layer and its neighbours; AL308 and AL309 read a Sequential's
stack and are advice about taste, off by default. Nothing here reports on shapes that are
not known.
"""

from __future__ import annotations

from ..diagnostics import Severity
from ..layers.groups import CONVOLUTIONS, POOLINGS
from ..shapes import spatial_dims
from .base import rule
from .design import spatial_rank, tuple_arg

_DOWNSAMPLING = POOLINGS | {"GlobalMaxPooling2D", "GlobalAveragePooling2D"}
_UPSAMPLING = {"UpSampling1D", "UpSampling2D", "UpSampling3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"}


@rule("AL306", "dropout-before-pooling", Severity.INFO, "A Dropout layer feeding a pooling layer.")
def dropout_before_pooling(ctx):
    """What it does: finds a `Dropout` whose only reader is a max or average pooling layer.

    Why is this bad: the pooling mixes dropped and kept activations (max pooling mostly
    picks a kept one), so the dropout rate is not the rate the next layer sees, and the
    same regularization costs more compute than after the pooling.

    Example:
        x = layers.Dropout(0.25)(x)
        x = layers.MaxPooling2D()(x)

    Use instead:
        x = layers.MaxPooling2D()(x)
        x = layers.Dropout(0.25)(x)
    """
    for layer in ctx.layers:
        if layer.keras_class != "Dropout":
            continue
        for node in layer.nodes:
            readers = [reader for out in node.outputs for reader in ctx.consumers(out)]
            if len(readers) == 1 and readers[0].layer.keras_class in POOLINGS:
                yield ctx.report("AL306", layer.site, detail=(
                    f"{layer.name} (Dropout) feeds {readers[0].layer.name} ({readers[0].layer.keras_class}): "
                    f"put the dropout after the pooling"), related=[(readers[0].site, "the pooling is here")])
                break


@rule("AL307", "collapsed-feature-map", Severity.WARNING,
      "A convolution or pooling with a window larger than 1 reads a feature map already reduced to one position.")
def collapsed_feature_map(ctx):
    """What it does: finds a convolution or pooling whose window is larger than 1 but whose
    input has a single position left on every spatial axis (1x1), usually because the
    input was pooled or strided more times than its size allows.

    Why is this bad: a 3x3 kernel on a 1x1 map only ever uses its centre weight (with
    `padding="same"`), so most of its parameters never train, and the pooling before it
    threw away all spatial structure.

    Example:
        inputs = keras.Input((28, 28, 1))   # 28 -> 14 -> 7 -> 3 -> 1 after four poolings
        x = layers.Conv2D(64, 3, padding="same")(x)

    Use instead:
        x = layers.GlobalAveragePooling2D()(x)   # after the third pooling, or fewer poolings
    """
    for node in ctx.nodes():
        layer = node.layer
        if layer.keras_class not in CONVOLUTIONS | POOLINGS or not node.input_tensors or node.problem is not None:
            continue  # a call Keras refuses has its error finding: nothing to advise on
        shape = node.input_tensors[0].shape
        data_format = getattr(layer.spec, "data_format", None)
        rank = spatial_rank(layer)
        window = tuple_arg(layer, "kernel_size" if layer.keras_class in CONVOLUTIONS else "pool_size", rank)
        if shape is None or data_format is None or window is None or len(shape) != rank + 2:
            continue
        spatial = spatial_dims(shape, data_format)
        if all(isinstance(d, int) and d == 1 for d in spatial) and any(isinstance(w, int) and w > 1 for w in window):
            yield ctx.report("AL307", node.site, detail=(
                f"{layer.name} ({layer.keras_class}): its window {tuple(window)} reads a feature map reduced to "
                f"one position, {tuple(shape)}: pool less before it, or end with global pooling"))


def _stack(model):
    return [layer for layer in getattr(model, "_seq", ()) if layer.keras_class != "InputLayer"]


@rule("AL308", "shrinking-filters", Severity.INFO,
      "Filters that shrink along a deep convolutional encoder.", enabled_by_default=False)
def shrinking_filters(ctx):
    """What it does: in a Sequential model with four convolutions or more, pooling or
    striding between them and no upsampling, finds filter counts that never grow and end
    smaller than they started (64, 32, 32, 16). Advice, off by default: select AL308.

    Why is this bad: each pooling halves the positions; encoders widen the channels as
    they do (32, 64, 128, ...) so the representation keeps its capacity. Shrinking both at
    once squeezes what reaches the classifier.

    Example:
        layers.Conv2D(64, 3), layers.MaxPooling2D(), layers.Conv2D(32, 3), ...

    Use instead:
        layers.Conv2D(32, 3), layers.MaxPooling2D(), layers.Conv2D(64, 3), ...
    """
    for model in ctx.models:
        stack = _stack(model)
        if any(layer.keras_class in _UPSAMPLING for layer in stack):
            continue
        convs = [layer for layer in stack if layer.keras_class in CONVOLUTIONS and isinstance(layer.config.get("filters"), int)]
        pooled = any(layer.keras_class in _DOWNSAMPLING for layer in stack)
        filters = [layer.config["filters"] for layer in convs]
        if len(convs) >= 4 and pooled and filters[-1] < filters[0] and all(b <= a for a, b in zip(filters, filters[1:])):
            yield ctx.report("AL308", convs[-1].site, detail=(
                f"model {model.name}: filters go {' -> '.join(map(str, filters))} while the feature map shrinks; "
                f"widen them as the model pools"))


@rule("AL309", "widening-dense-head", Severity.INFO,
      "Hidden Dense layers that grow wider toward the output.", enabled_by_default=False)
def widening_dense_head(ctx):
    """What it does: in a Sequential model ending in a Dense output, finds two or more hidden
    Dense layers before it whose units grow toward the output (64, 128, 256, then 10).
    Advice, off by default: select AL309.

    Why is this bad: a classifier head usually narrows toward the classes; widening it adds
    parameters late, where they mostly memorize, after the earlier narrow layer has already
    dropped information.

    Example:
        layers.Dense(64), layers.Dense(256), layers.Dense(10, activation="softmax")

    Use instead:
        layers.Dense(256), layers.Dense(64), layers.Dense(10, activation="softmax")
    """
    for model in ctx.models:
        stack = _stack(model)
        if len(model.outputs) != 1 or model.outputs[0].shape is None or len(model.outputs[0].shape) != 2:
            continue
        dense = [layer for layer in stack if layer.keras_class == "Dense" and isinstance(layer.config.get("units"), int)]
        if len(dense) < 3 or dense[-1] is not stack[-1] and stack[-1].keras_class not in ("Activation", "Softmax"):
            continue
        hidden = [layer.config["units"] for layer in dense[:-1]]
        if hidden[-1] > hidden[0] and all(b >= a for a, b in zip(hidden, hidden[1:])):
            yield ctx.report("AL309", dense[-2].site, detail=(
                f"model {model.name}: the hidden Dense widths grow toward the output, "
                f"{' -> '.join(map(str, hidden))} -> {dense[-1].config['units']}; narrow them instead"))
