"""AL2xx waste: parameters a model pays for and cannot use."""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Severity
from ..diagnostics import Fix
from ..shapes import canonical_axis
from .base import rule

# Layers between a bias and BatchNormalization that commute with a per-channel shift.
_SHIFT_PRESERVING = {
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "Identity",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
    "AveragePooling3D", "UpSampling1D", "UpSampling2D", "UpSampling3D",
    "Cropping1D", "Cropping2D", "Cropping3D",
}
_BIASED = {"Dense", "Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D"}
_LINEAR = (None, "linear")


def _channel_axis(layer, rank: int) -> int:
    if layer.keras_class == "Dense":
        return rank - 1
    fmt = layer.spec.data_format
    return 1 if fmt == "channels_first" else rank - 1


def _bias_width(producer, bn):
    """The producer's bias size when the normalization's axis is its channel axis whatever the
    rank (both the last axis), read from their arguments; None when that is not certain."""
    axis = bn.config.get("axis", -1)
    if axis not in (-1, [-1], (-1,)):
        return None
    if producer.keras_class != "Dense" and getattr(producer.spec, "data_format", None) != "channels_last":
        return None
    if producer.keras_class not in ("Dense", "Conv1D", "Conv2D", "Conv3D"):
        return None
    width = producer.config.get("units" if producer.keras_class == "Dense" else "filters")
    return width if isinstance(width, int) and not isinstance(width, bool) and width > 0 else None


def _biased_producer(ctx, tensor):
    """Walk back from BatchNormalization's input through shift-preserving layers.

    Returns the layer whose bias the normalization cancels, or ``None`` when the path
    branches (another consumer would see the bias) or meets anything else.
    """
    while True:
        if len(ctx.consumers(tensor)) != 1:
            return None
        producer = tensor.node.layer
        is_linear_activation = producer.keras_class == "Activation" and producer.config.get("activation") == "linear"
        if producer.keras_class in _SHIFT_PRESERVING or is_linear_activation:
            if len(tensor.node.input_tensors) != 1:
                return None
            tensor = tensor.node.input_tensors[0]
            continue
        if producer.keras_class not in _BIASED or producer.config.get("use_bias") is not True:
            return None
        if producer.config.get("activation") not in _LINEAR:
            return None
        return producer


@rule("AL201", "bias-before-batchnorm", Severity.WARNING,
      "A Conv/Dense bias feeding BatchNormalization is cancelled by the normalization.")
def bias_before_batchnorm(ctx):
    """What it does: finds a Conv or Dense layer with a bias (the default) whose output goes
    straight into BatchNormalization over the same channel axis, possibly through layers
    that keep a per-channel shift (dropout, pooling, upsampling, cropping), and counts the
    bias parameters that are wasted.

    Why is this bad: BatchNormalization subtracts the per-channel mean, so a constant bias
    added just before it has no effect; it only costs parameters and memory. Its own
    `beta` plays the bias's role.

    Example:
        x = layers.Conv2D(64, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

    Use instead:
        x = layers.Conv2D(64, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
    """
    flagged = []
    for bn_node in ctx.nodes():
        bn = bn_node.layer
        if bn.keras_class != "BatchNormalization" or len(bn_node.input_tensors) != 1:
            continue
        shape = bn_node.input_tensors[0].shape
        producer = _biased_producer(ctx, bn_node.input_tensors[0])
        if producer is None:
            continue
        if shape is None:  # past an error: the shape is lost, the layers' own arguments still say it
            width = _bias_width(producer, bn)
            if width is not None:
                flagged.append((producer, bn, width))
            continue
        try:
            bn_axis = canonical_axis(bn.config.get("axis", -1), len(shape))
        except Exception:
            continue
        if bn_axis != _channel_axis(producer, len(shape)):
            continue
        bias = next((w for w in (producer.weights or []) if w.name == "bias"), None)
        if bias is None or bias.count is None:
            continue
        flagged.append((producer, bn, bias.count))
    # The fix edits the constructor call: safe only when every layer that call made is flagged.
    made_at = Counter(layer.site for layer in ctx.layers)
    flagged_at = Counter(producer.site for producer, _, _ in flagged)
    for producer, bn, wasted in flagged:
        fix = Fix(producer.site.line, producer.site.col, set_keywords=(("use_bias", "False"),),
                  safe=flagged_at[producer.site] == made_at[producer.site], description="pass use_bias=False")
        yield ctx.report(
            "AL201", producer.site, producer=producer.name, producer_cls=producer.class_name,
            bn=bn.name, wasted=wasted, fixes=[fix], related=[(bn.site, f"{bn.name} normalizes the bias away here")],
        )


# Layers that are nothing but an activation function.
_ACTIVATION_LAYERS = {"Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "ThresholdedReLU"}
_LINEAR_FAMILIES = {
    "Dense": "Dense", "EinsumDense": "Dense",
    "Conv1D": "Conv1D", "Conv2D": "Conv2D", "Conv3D": "Conv3D",
}


def _sole_consumer(ctx, node):
    """The one call that uses ``node``'s single output, or ``None``."""
    if len(node.outputs) != 1:
        return None
    consumers = ctx.consumers(node.outputs[0])
    return consumers[0] if len(consumers) == 1 and len(consumers[0].input_tensors) == 1 else None


# Weightless layers that only move, select or drop values: an activation's effect carries
# through them (a second activation after them acts on the same values).
_REARRANGING = {
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "AlphaDropout",
    "Identity", "Flatten", "Reshape", "Permute", "RepeatVector",
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
    "UpSampling1D", "UpSampling2D", "UpSampling3D",
}
# ... and, for a missing activation, layers that average: still no nonlinearity. (Averaging is
# not in the set above: softmax after relu and a global average, as SqueezeNet's classifier
# has, is a classifier, not a repeated activation. BatchNormalization is in neither: a
# projection, normalization, then expansion is MobileNetV2's deliberate linear bottleneck.)
_AFFINE = _REARRANGING | {
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
}


def _next_past(ctx, node, through):
    """The first call after ``node`` that is not one of ``through``, following the only
    consumer each time (None when the path branches), and the calls passed on the way."""
    passed = []
    consumer = _sole_consumer(ctx, node)
    while consumer is not None and consumer.layer.keras_class in through:
        passed.append(consumer)
        consumer = _sole_consumer(ctx, consumer)
    return consumer, passed


_IDEMPOTENT = {"relu", "relu6"}  # f(f(x)) == f(x)


def _activation_name(layer):
    if layer.keras_class == "ReLU":
        plain = all(layer.config.get(k) in (None, 0, 0.0) for k in ("max_value", "negative_slope", "threshold"))
        return "relu" if plain else None
    activation = layer.config.get("activation")
    return activation if isinstance(activation, str) else None


def made_by_site(ctx, layer) -> int:
    """How many layers the constructor call that made ``layer`` made (a call in a loop makes many)."""
    return sum(1 for other in ctx.layers if other.site == layer.site)


def _applies_activation(layer) -> bool:
    """Whether the layer ends with a nonlinearity: an activation layer, or `activation=`."""
    if layer.keras_class in _ACTIVATION_LAYERS:
        return not (layer.keras_class == "Activation" and layer.config.get("activation") in _LINEAR)
    activation = layer.config.get("activation")
    return isinstance(activation, str) and activation not in _LINEAR


@rule("AL202", "redundant-activation", Severity.WARNING,
      "An activation layer applied to the output of a layer that already has a nonlinear activation.")
def redundant_activation(ctx):
    """What it does: finds an Activation (or ReLU, Softmax, ...) layer whose only input comes
    from a layer that already applies a nonlinear activation, directly or through layers
    that only move or drop values (Dropout, Flatten, Reshape, average pooling, padding).

    Why is this bad: two activations in a row are usually a slip (`Dense(64, activation="relu")`
    followed by `Activation("relu")`): the second is a no-op or silently changes the model,
    as `softmax` after `relu` does.

    Example:
        x = layers.Dense(64, activation="relu")(x)
        x = layers.Activation("relu")(x)

    Use instead:
        x = layers.Dense(64, activation="relu")(x)
    """
    for node in ctx.nodes():
        consumer, _ = _next_past(ctx, node, _REARRANGING)
        if consumer is None or consumer.layer.keras_class not in _ACTIVATION_LAYERS:
            continue
        if ctx.refused(node.layer) or ctx.refused(consumer.layer):
            continue
        if _applies_activation(node.layer) and _applies_activation(consumer.layer):
            fixes = []
            first, second = _activation_name(node.layer), _activation_name(consumer.layer)
            if first == second and first in _IDEMPOTENT and node.layer.keras_class not in _ACTIVATION_LAYERS:
                # relu(relu(x)) == relu(x): drop the producer's own activation, no layer renamed.
                fixes.append(Fix(node.layer.site.line, node.layer.site.col, remove_keywords=("activation",),
                                 safe=made_by_site(ctx, node.layer) == 1, description=f"drop activation={first!r}"))
            yield ctx.report("AL202", consumer.site, layer=consumer.layer.name, producer=node.layer.name, fixes=fixes,
                             related=[(node.site, f"{node.layer.name} applies its activation here")])


@rule("AL203", "linear-stack", Severity.WARNING,
      "Two Dense or two convolution layers in a row with no nonlinearity between them.")
def linear_stack(ctx):
    """What it does: finds a Dense (or convolution) layer without activation whose only
    consumer is another layer of the same kind, or a Dense layer, directly or through layers
    that stay linear (Dropout, Flatten, Reshape, average pooling, padding, upsampling).

    Why is this bad: two linear maps in a row are one linear map; the first layer adds
    parameters but no expressive power (unless a low-rank bottleneck is intended).

    Example:
        x = layers.Dense(256)(x)
        x = layers.Dense(10, activation="softmax")(x)

    Use instead:
        x = layers.Dense(256, activation="relu")(x)
        x = layers.Dense(10, activation="softmax")(x)
    """
    for node in ctx.nodes():
        family = _LINEAR_FAMILIES.get(node.layer.keras_class)
        if family is None or node.layer.config.get("activation") not in _LINEAR or ctx.refused(node.layer):
            continue
        consumer, _ = _next_past(ctx, node, _AFFINE)
        next_family = _LINEAR_FAMILIES.get(consumer.layer.keras_class) if consumer is not None else None
        if next_family is not None and (next_family == family or next_family == "Dense"):
            yield ctx.report("AL203", node.site, layer=node.layer.name, consumer=consumer.layer.name,
                             related=[(consumer.site, f"{consumer.layer.name}, the next linear map")])


@rule("AL204", "dropout-before-batchnorm", Severity.WARNING,
      "Dropout feeding BatchNormalization directly.")
def dropout_before_batchnorm(ctx):
    """What it does: finds a Dropout layer whose output goes straight into
    BatchNormalization.

    Why is this bad: dropout changes the variance of its output between training and
    inference, so the statistics BatchNormalization learns in training do not hold at
    inference time ("variance shift"), which degrades accuracy.

    Example:
        x = layers.Dropout(0.5)(x)
        x = layers.BatchNormalization()(x)

    Use instead:
        x = layers.BatchNormalization()(x)
        x = layers.Dropout(0.5)(x)
    """
    for node in ctx.nodes():
        if node.layer.keras_class not in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"):
            continue
        consumer = _sole_consumer(ctx, node)
        if consumer is not None and consumer.layer.keras_class == "BatchNormalization":
            yield ctx.report("AL204", node.site, layer=node.layer.name, bn=consumer.layer.name,
                             related=[(consumer.site, f"{consumer.layer.name} (BatchNormalization)")])


def _held_layers(value, out):
    if hasattr(value, "nodes") and hasattr(value, "spec"):
        out.add(id(value))
    elif isinstance(value, (list, tuple)):
        for item in value:
            _held_layers(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _held_layers(item, out)


@rule("AL205", "unused-layer", Severity.WARNING, "A layer created but never called or added to a model.")
def unused_layer(ctx):
    """What it does: in a file that builds a model, finds a layer that is created but never
    called on a tensor, added to a Sequential model, or handed to a wrapper.

    Why is this bad: the layer is not part of any model. Usually its call was forgotten
    (`x = layers.Dropout(0.5)` instead of `x = layers.Dropout(0.5)(x)`), so the model is
    not the one the author meant.

    Example:
        x = layers.Dense(64, activation="relu")(x)
        layers.Dropout(0.5)
        outputs = layers.Dense(10)(x)

    Use instead:
        x = layers.Dropout(0.5)(x)
    """
    if not ctx.models:
        return
    candidates = [layer for layer in ctx.layers
                  if not layer.nodes and not layer.operation and not layer.escaped]
    if not candidates:
        return
    used = set()
    for layer in ctx.layers:
        _held_layers(list(layer.config.values()), used)  # wrapped layers, RNN cells
        instance = getattr(layer.spec, "instance", None)
        if instance is not None:
            _held_layers(list(instance.attrs.values()), used)  # a custom layer's sublayers
    for model in ctx.all_models():
        used.update(id(layer) for layer in model.layers)
    for layer in candidates:
        if id(layer) not in used and not ctx.refused(layer):
            yield ctx.report("AL205", layer.site, layer=layer.name, cls=layer.class_name)
