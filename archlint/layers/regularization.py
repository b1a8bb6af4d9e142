"""Regularization layers: dropout variants, noise and activity regularization (no weights; shapes pass through)."""

from __future__ import annotations

from typing import ClassVar, Optional

from ..shapes import ShapeError, require_rank
from ..unknown import contains_unknown
from .base import LayerSpec, params, register


class _PassThrough(LayerSpec):
    """Output shape = input shape. Keras refuses ``unit_argument`` outside [0, 1] (checked when
    known statically); spatial dropouts also require an input ``rank``."""
    built_on_construction = True

    unit_argument: ClassVar[Optional[str]] = "rate"
    rank: ClassVar[Optional[int]] = None
    legacy_keywords = {"p": "rate"}  # Keras 1: Dropout(p), SpatialDropout2D(p), GaussianDropout(p)

    def output_shape(self, input_shape):
        key = self.unit_argument
        value = self.config.get(key) if key else None
        if isinstance(value, (int, float)) and not 0 <= value <= 1:
            raise ShapeError("bad_argument", f"{self.name}: `{key}` must be between 0 and 1, got {value!r}")
        if self.rank is not None:
            require_rank(input_shape, self.rank, self.name)
        return input_shape


@register
class Dropout(_PassThrough):
    name = "Dropout"
    signature = params("rate", noise_shape=None, seed=None)

    def output_shape(self, input_shape):
        noise = self.config.get("noise_shape")
        if noise is not None and not contains_unknown(noise):
            dims = list(noise) if isinstance(noise, (tuple, list)) else None
            if dims is None or any(d is not None and (not isinstance(d, int) or d <= 0) for d in dims):
                raise ShapeError(
                    "bad_argument", f"Dropout: `noise_shape` must be a tuple of positive integers or None, got {noise!r}"
                )
        return super().output_shape(input_shape)


@register
class SpatialDropout1D(_PassThrough):
    name = "SpatialDropout1D"
    signature = params("rate", seed=None, name=None, dtype=None)
    rank = 3


@register
class SpatialDropout2D(_PassThrough):
    name = "SpatialDropout2D"
    signature = params("rate", data_format=None, seed=None, name=None, dtype=None)
    rank = 4


@register
class SpatialDropout3D(_PassThrough):
    name = "SpatialDropout3D"
    signature = params("rate", data_format=None, seed=None, name=None, dtype=None)
    rank = 5


@register
class GaussianDropout(_PassThrough):
    name = "GaussianDropout"
    signature = params("rate", seed=None)


@register
class AlphaDropout(_PassThrough):
    name = "AlphaDropout"
    signature = params("rate", noise_shape=None, seed=None)


@register
class GaussianNoise(_PassThrough):
    name = "GaussianNoise"
    signature = params("stddev", seed=None)
    unit_argument = "stddev"
    legacy_keywords = {"sigma": "stddev"}  # Keras 1: GaussianNoise(sigma)


@register
class ActivityRegularization(_PassThrough):
    name = "ActivityRegularization"
    signature = params(l1=0.0, l2=0.0)
    unit_argument = None
    legacy_keywords = {}
