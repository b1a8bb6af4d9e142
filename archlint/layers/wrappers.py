"""Wrapper layers: TimeDistributed applies its inner layer to every step of axis 1."""

from __future__ import annotations

from ..shapes import require_min_rank
from .base import LayerSpec, params, register


@register
class TimeDistributed(LayerSpec):
    name = "TimeDistributed"
    signature = params("layer")

    def _inner(self):
        return self.arg("layer").spec

    def output_shape(self, input_shape):
        require_min_rank(input_shape, 3, "TimeDistributed")
        inner = self._inner().output_shape((input_shape[0], *input_shape[2:]))
        return (inner[0], input_shape[1], *inner[1:])

    def weights(self, input_shape):
        return self._inner().weights((input_shape[0], *input_shape[2:]))

    def formula(self, input_shape):
        return self._inner().formula((input_shape[0], *input_shape[2:]))

    def units(self):
        return self._inner().units()
