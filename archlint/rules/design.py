"""AL3xx design smells: models Keras builds and trains, but probably not as the author meant."""

from __future__ import annotations

from ..diagnostics import Severity
from ..layers.base import Unresolved
from ..layers.groups import CONVOLUTIONS, POOLINGS
from ..shapes import ShapeError
from .base import rule

_CONSTANT_INITIALIZERS = {"zeros", "zero", "ones", "one", "constant"}


def tuple_arg(layer, key, rank):
    """``key`` as a tuple of ``rank`` integers, or None (unknown, or not integers)."""
    try:
        values = layer.spec.tuple_arg(key, rank)
    except (Unresolved, ShapeError, AttributeError, TypeError):
        return None
    return values if all(isinstance(v, int) for v in values) else None


def spatial_rank(layer) -> int:
    """Spatial rank of a convolution or pooling: the digit of ``Conv2D``, ``MaxPooling3D``."""
    return getattr(layer.spec, "rank", None) or int(layer.keras_class[-2])


@rule("AL301", "even-kernel-same-padding", Severity.INFO,
      "A convolution with an even kernel size and padding=\"same\" at stride 1.")
def even_kernel_same_padding(ctx):
    """What it does: finds convolutions with an even kernel size (2, 4, ...) and
    `padding="same"` at stride 1.

    Why is this bad: an even kernel has no centre, so "same" padding adds one more row and
    column on one side than on the other; features drift by half a pixel per layer, and
    the result differs between backends. Advice (info): published designs use it on
    purpose, such as the 2x2 convolution after each upsampling in U-Net.

    Example:
        x = layers.Conv2D(64, 4, padding="same")(x)

    Use instead:
        x = layers.Conv2D(64, 3, padding="same")(x)
    """
    for layer in ctx.layers:
        if layer.keras_class not in CONVOLUTIONS or layer.config.get("padding") != "same" or not layer.nodes \
                or ctx.refused(layer):
            continue
        rank = spatial_rank(layer)
        kernel, strides = tuple_arg(layer, "kernel_size", rank), tuple_arg(layer, "strides", rank)
        if kernel is None or strides is None:
            continue
        if any(k % 2 == 0 and s == 1 for k, s in zip(kernel, strides)):
            yield ctx.report("AL301", layer.site, layer=layer.name, kernel=kernel)


@rule("AL302", "stride-exceeds-kernel", Severity.INFO,
      "A convolution or pooling whose stride is larger than its window: inputs are skipped.")
def stride_exceeds_kernel(ctx):
    """What it does: finds convolutions and poolings whose stride is larger than their
    (dilated) window in some dimension.

    Why is this bad: the window never covers the inputs between two positions, so part of
    the input is never read. (ResNet's 1x1 stride-2 shortcut does this on purpose; later
    variants replaced it with a pooling.)

    Example:
        x = layers.MaxPooling2D(pool_size=2, strides=3)(x)

    Use instead:
        x = layers.MaxPooling2D(pool_size=3, strides=3)(x)
    """
    for layer in ctx.layers:
        if not layer.nodes or ctx.refused(layer):
            continue
        cls = layer.keras_class
        if cls in CONVOLUTIONS:
            rank, window_key, what = spatial_rank(layer), "kernel_size", "kernel"
        elif cls in POOLINGS:
            rank, window_key, what = int(cls[-2]), "pool_size", "pool size"
        else:
            continue
        window = tuple_arg(layer, window_key, rank)
        strides = window if layer.config.get("strides") is None else tuple_arg(layer, "strides", rank)
        if window is None or strides is None or None in window or None in strides:
            continue
        dilation = tuple_arg(layer, "dilation_rate", rank) if cls in CONVOLUTIONS else None
        span = tuple((w - 1) * d + 1 for w, d in zip(window, dilation)) if dilation else window
        if any(s > w for s, w in zip(strides, span)):
            yield ctx.report("AL302", layer.site, layer=layer.name, strides=strides, what=what, kernel=window)


@rule("AL303", "dominant-layer", Severity.INFO,
      "A Dense layer on a flattened feature map holds most of the model's parameters.")
def dominant_layer(ctx):
    """What it does: finds a layer that reads a flattened convolutional feature map and
    holds more than half of the parameters of a model of at least 100,000 parameters.

    Why is this bad: such a layer is usually a Dense layer on a flattened feature map; it
    dominates memory and overfits, while the convolutions before it do the useful work.

    Example:
        x = layers.Flatten()(x)            # (None, 28 * 28 * 64)
        x = layers.Dense(512)(x)           # 25.7 million parameters

    Use instead:
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(512)(x)
    """
    for model in ctx.models:
        counted = [(layer, layer.params) for layer in model.layers if layer.built and layer.params]
        total = sum(params for _, params in counted)
        if total < 100_000 or not counted:
            continue
        layer, params = max(counted, key=lambda item: item[1])
        if 2 * params > total and any(_flattens_feature_map(t) for n in layer.nodes for t in n.input_tensors):
            hint = "; it reads a flattened feature map, where a global pooling would do"
            yield ctx.report("AL303", layer.site, layer=layer.name, share=params / total, total=total, hint=hint)


def _flattens_feature_map(tensor) -> bool:
    """Whether ``tensor`` is a Flatten of a spatial feature map (batch, rows, cols, channels)."""
    node = tensor.node
    if node.layer.keras_class != "Flatten" or len(node.input_tensors) != 1:
        return False
    shape = node.input_tensors[0].shape
    return shape is not None and len(shape) >= 4 and not node.input_tensors[0].node.is_input


@rule("AL304", "channels-first-input", Severity.WARNING,
      "An input shaped like (channels, height, width) fed to layers that read channels last.")
def channels_first_input(ctx):
    """What it does: finds an image input whose shape looks channels-first, such as
    `(3, 224, 224)`, consumed by a 2D convolution or pooling that uses the default
    channels-last format.

    Why is this bad: the layer treats 3 as the image height and 224 as the number of
    channels; the model builds, but learns on scrambled data and holds far more weights.

    Example:
        inputs = keras.Input((3, 224, 224))
        x = layers.Conv2D(32, 3)(inputs)

    Use instead:
        inputs = keras.Input((224, 224, 3))   # or Conv2D(..., data_format="channels_first")
    """
    seen = set()
    for consumer in ctx.nodes():  # a Sequential's declared input has no InputLayer of the user's
        if consumer.layer.keras_class not in CONVOLUTIONS | POOLINGS:
            continue
        if getattr(consumer.layer.spec, "data_format", "") != "channels_last":
            continue
        for tensor in consumer.input_tensors[:1]:
            source = tensor.node.layer if tensor.node is not None else None
            shape = tensor.shape
            if source is None or source.keras_class != "InputLayer" or id(tensor) in seen or shape is None:
                continue
            if len(shape) != 4 or not isinstance(shape[1], int) or shape[1] not in (1, 3, 4):
                continue
            if not all(isinstance(d, int) and d >= 16 for d in shape[2:]):
                continue
            seen.add(id(tensor))
            site = source.site if source.site.line else consumer.site
            yield ctx.report("AL304", site, layer=source.name, shape=shape, consumer=consumer.layer.name)


@rule("AL305", "constant-initializer", Severity.WARNING,
      "A kernel initialized to zeros, ones or a constant.")
def constant_initializer(ctx):
    """What it does: finds Dense and convolution layers whose `kernel_initializer` is
    "zeros", "ones" or "constant".

    Why is this bad: every unit starts with the same weights, gets the same gradient and
    stays identical to the others: the layer behaves as if it had one unit.

    Example:
        layers.Dense(64, kernel_initializer="zeros")

    Use instead:
        layers.Dense(64)  # glorot_uniform, or "he_normal" before ReLU
    """
    for layer in ctx.layers:
        for key in ("kernel_initializer", "depthwise_initializer", "pointwise_initializer"):
            value = layer.config.get(key)
            if isinstance(value, str) and value.lower() in _CONSTANT_INITIALIZERS:
                yield ctx.report("AL305", layer.site, layer=layer.name, init=value)
