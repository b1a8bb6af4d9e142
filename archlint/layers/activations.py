"""Activation layers: Activation, ReLU, LeakyReLU, ELU, Softmax (none has weights here)."""

from __future__ import annotations

from .base import LayerSpec, params, register


@register
class Activation(LayerSpec):
    name = "Activation"
    signature = params("activation")


@register
class ReLU(LayerSpec):
    name = "ReLU"
    signature = params(max_value=None, negative_slope=0.0, threshold=0.0)


@register
class LeakyReLU(LayerSpec):
    name = "LeakyReLU"
    signature = params(negative_slope=0.3)
    legacy_keywords = {"alpha": "negative_slope"}


@register
class ELU(LayerSpec):
    name = "ELU"
    signature = params(alpha=1.0)


@register
class Softmax(LayerSpec):
    name = "Softmax"
    signature = params(axis=-1)
