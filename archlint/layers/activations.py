"""Activation layers: Activation, ReLU, LeakyReLU, ELU, Softmax (no weights), PReLU (a learned slope).

Shapes pass through unchanged; the checks are the argument ranges Keras refuses.
"""

from __future__ import annotations

from ..shapes import ShapeError
from ..unknown import contains_unknown
from .base import LayerSpec, Weight, params, register
from .core import weights_formula


def _require_nonnegative(spec: LayerSpec, *keys: str, none_ok=()) -> None:
    """Raise for an argument Keras refuses: negative, or ``None`` where a number is needed."""
    for key in keys:
        value = spec.config.get(key)
        if contains_unknown(value) or (value is None and key in none_ok):
            continue
        if value is None or value < 0:
            raise ShapeError("bad_argument", f"{spec.name} `{key}` must be a non-negative number, got {value!r}")


@register
class Activation(LayerSpec):
    built_on_construction = True
    name = "Activation"
    signature = params("activation")


@register
class ReLU(LayerSpec):
    built_on_construction = True
    name = "ReLU"
    signature = params(max_value=None, negative_slope=0.0, threshold=0.0)

    def output_shape(self, input_shape):
        _require_nonnegative(self, "max_value", "negative_slope", "threshold", none_ok=("max_value",))
        return input_shape


@register
class LeakyReLU(LayerSpec):
    built_on_construction = True
    name = "LeakyReLU"
    signature = params(negative_slope=0.3)
    legacy_keywords = {"alpha": "negative_slope"}

    def output_shape(self, input_shape):
        _require_nonnegative(self, "negative_slope")
        return input_shape


@register
class PReLU(LayerSpec):
    """Leaky ReLU with a learned slope per element, shared (size 1) along ``shared_axes``."""

    name = "PReLU"
    signature = params(alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None)
    legacy_keywords = {"init": "alpha_initializer"}

    def _alpha_shape(self, input_shape):
        shape = list(input_shape[1:])
        shared = self.arg("shared_axes")
        for axis in [] if shared is None else shared if isinstance(shared, (list, tuple)) else [shared]:
            if not -len(shape) <= axis - 1 < len(shape):  # Keras indexes `shape[axis - 1]`
                raise ShapeError("bad_axis", f"PReLU shared axis {axis} is out of range for a rank-{len(input_shape)} input")
            shape[axis - 1] = 1
        return tuple(shape)

    def weights(self, input_shape):
        return [Weight("alpha", self._alpha_shape(input_shape))]

    def formula(self, input_shape):
        return weights_formula(self.weights(input_shape))


@register
class ELU(LayerSpec):
    built_on_construction = True
    name = "ELU"
    signature = params(alpha=1.0)


@register
class Softmax(LayerSpec):
    built_on_construction = True
    name = "Softmax"
    signature = params(axis=-1)
