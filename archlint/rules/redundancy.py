"""AL2xx waste: parameters a model pays for and cannot use."""

from __future__ import annotations

from ..diagnostics import Severity
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
    for bn_node in ctx.nodes():
        bn = bn_node.layer
        if bn.keras_class != "BatchNormalization" or len(bn_node.input_tensors) != 1:
            continue
        shape = bn_node.input_tensors[0].shape
        if shape is None:
            continue
        producer = _biased_producer(ctx, bn_node.input_tensors[0])
        if producer is None:
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
        yield ctx.report(
            "AL201", producer.site, producer=producer.name, producer_cls=producer.class_name,
            bn=bn.name, wasted=bias.count,
        )
