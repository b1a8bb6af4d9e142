"""Core layers: InputLayer, Dense, Embedding, Lambda, Identity."""

from __future__ import annotations

from ..shapes import ShapeError, require_min_rank
from .base import LayerSpec, Weight, params, register

_DENSE_INITS = dict(
    kernel_initializer="glorot_uniform",
    bias_initializer="zeros",
    kernel_regularizer=None,
    bias_regularizer=None,
    activity_regularizer=None,
    kernel_constraint=None,
    bias_constraint=None,
)


@register
class InputLayer(LayerSpec):
    """The layer behind ``keras.Input``; the graph creates its tensor directly."""

    name = "InputLayer"
    signature = params(
        shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
        batch_shape=None, input_tensor=None, optional=False, name=None,
    )
    legacy_keywords = {"input_shape": "shape", "batch_input_shape": "batch_shape"}


@register
class Dense(LayerSpec):
    name = "Dense"
    signature = params(
        "units", activation=None, use_bias=True, **_DENSE_INITS,
        lora_rank=None, lora_alpha=None, quantization_config=None,
    )
    legacy_keywords = {"output_dim": "units"}

    def output_shape(self, input_shape):
        require_min_rank(input_shape, 2, "Dense")
        return (*input_shape[:-1], self.int_arg("units"))

    def weights(self, input_shape):
        units, fan_in = self.int_arg("units"), input_shape[-1]
        out = [Weight("kernel", (fan_in, units))]
        if self.arg("use_bias"):
            out.append(Weight("bias", (units,)))
        return out

    def formula(self, input_shape):
        units, fan_in = self.int_arg("units"), input_shape[-1]
        return f"({fan_in} + 1) * {units}" if self.arg("use_bias") else f"{fan_in} * {units}"

    def units(self):
        return self.int_arg("units")


@register
class Identity(LayerSpec):
    name = "Identity"


@register
class Embedding(LayerSpec):
    name = "Embedding"
    signature = params(
        "input_dim", "output_dim", embeddings_initializer="uniform",
        embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
        weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
    )

    def output_shape(self, input_shape):
        return (*input_shape, self.int_arg("output_dim"))

    def weights(self, input_shape):
        return [Weight("embeddings", (self.int_arg("input_dim"), self.int_arg("output_dim")))]

    def formula(self, input_shape):
        return f"{self.int_arg('input_dim')} * {self.int_arg('output_dim')}"


@register
class Lambda(LayerSpec):
    """A Python function as a layer: its shape is known only through ``output_shape``."""

    name = "Lambda"
    signature = params("function", output_shape=None, mask=None, arguments=None)

    def output_shape(self, input_shape):
        declared = self.arg("output_shape")
        if declared is None:
            raise ShapeError("opaque", "Lambda without `output_shape`: its output shape is not known statically")
        if not isinstance(declared, (tuple, list)):
            raise ShapeError("opaque", "Lambda with a computed `output_shape` is not followed statically")
        first = input_shape[0] if isinstance(input_shape, list) else input_shape
        return (first[0], *declared)
