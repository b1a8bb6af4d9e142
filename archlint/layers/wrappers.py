"""Wrapper layers: TimeDistributed applies its inner layer to every step of axis 1;
Pipeline applies a list of layers in turn.

``inner_call`` and ``inner_output`` let a wrapper (here, or SpectralNormalization) call
its inner layer on one tensor through the inner layer's own call API, as Keras does.
"""

from __future__ import annotations

from typing import Any, Dict

from ..shapes import ShapeError, require_min_rank
from .base import REQUIRED, LayerSpec, params, register


def inner_call(wrapper: str, inner: LayerSpec, shape) -> Dict[str, Any]:
    """The ``shapes`` for calling ``inner`` on one tensor; raises if its call needs more."""
    (first, _), *rest = inner.call_signature
    if inner.takes_list or any(default is REQUIRED for _, default in rest):
        raise ShapeError("bad_input", f"{wrapper} cannot wrap {inner.name}: its call takes several tensors")
    return {first: shape}


def inner_output(wrapper: str, inner: LayerSpec, shapes: Dict[str, Any]):
    out = inner.call_output(shapes, {})
    if isinstance(out, list):
        raise ShapeError("bad_input", f"{wrapper} cannot wrap {inner.name}: it has several outputs")
    return tuple(out)


@register
class TimeDistributed(LayerSpec):
    name = "TimeDistributed"
    signature = params("layer")
    call_signature = params("inputs", training=None, mask=None)

    def _inner(self) -> LayerSpec:
        return self.arg("layer").spec

    def _step(self, shapes) -> Dict[str, Any]:
        """The inner layer's call on one time step: the input without axis 1."""
        shape = shapes["inputs"]
        require_min_rank(shape, 3, "TimeDistributed")
        return inner_call(self.name, self._inner(), (shape[0], *shape[2:]))

    def call_output(self, shapes, options):
        inner = inner_output(self.name, self._inner(), self._step(shapes))
        return (inner[0], shapes["inputs"][1], *inner[1:])

    def build_weights(self, shapes):
        return self._inner().build_weights(self._step(shapes))

    def build_formula(self, shapes):
        return self._inner().build_formula(self._step(shapes))

    def units(self):
        return self._inner().units()


@register
class Pipeline(LayerSpec):
    """A list of layers applied in turn; it holds their weights."""

    name = "Pipeline"
    signature = params("layers", name=None)

    def stages(self, input_shape):
        """Each inner spec with the shapes it is called on, then the final output shape."""
        stages, shape = [], input_shape
        for layer in self.arg("layers"):
            shapes = inner_call("Pipeline", layer.spec, shape)
            stages.append((layer.spec, shapes))
            shape = layer.spec.executed_output(shapes, {})  # Keras runs the stages to infer
        return stages, shape

    def output_shape(self, input_shape):
        return self.stages(input_shape)[1]

    def weights(self, input_shape):
        stages, _ = self.stages(input_shape)
        return [w for spec, shapes in stages for w in spec.weights_for(shapes)]

    def formula(self, input_shape):
        stages, _ = self.stages(input_shape)
        parts = [spec.build_formula(shapes) for spec, shapes in stages]
        return " + ".join(p for p in parts if p) or None
