"""Regularization layers: dropout variants and noise (no weights; shapes pass through)."""

from __future__ import annotations

from ..shapes import require_rank
from .base import LayerSpec, params, register


@register
class Dropout(LayerSpec):
    name = "Dropout"
    signature = params("rate", noise_shape=None, seed=None)
    legacy_keywords = {"p": "rate"}


@register
class SpatialDropout2D(LayerSpec):
    name = "SpatialDropout2D"
    signature = params("rate", data_format=None, seed=None, name=None, dtype=None)

    def output_shape(self, input_shape):
        require_rank(input_shape, 4, "SpatialDropout2D")
        return input_shape
