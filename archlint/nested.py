"""A model used as a layer: one row in the outer summary, its graph replayed on new shapes.

Calling a Sequential or Functional model on tensors (or adding it to a Sequential) makes
it a layer of the outer model. Its output shape comes from replaying its own graph on the
new input shapes, layer by layer through the catalog; its weights are its layers' weights,
each counted once, with frozen layers non-trainable. The inner layers get no new calls
recorded, so the inner model's own summary stays as it was built.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .graph import Layer, Model, Tensor
from .layers.base import LayerSpec, Unresolved, Weight
from .shapes import ShapeError


class NestedModelSpec(LayerSpec):
    """The catalog entry of one particular model acting as a layer."""

    name = "Functional"

    def __init__(self, model: Model):
        super().__init__({})
        self.model = model

    @property
    def input_batch_shape(self):
        inputs = self.model.inputs
        return inputs[0].shape if len(inputs) == 1 else None

    def call_output(self, shapes: Dict[str, Any], options: Dict[str, Any]):
        given = shapes[self.first_input]
        given = given if isinstance(given, list) and given and isinstance(given[0], (tuple, list)) else [given]
        if len(given) != len(self.model.inputs):
            raise ShapeError("bad_input", f"model {self.model.name} takes {len(self.model.inputs)} inputs, got {len(given)}")
        outputs = replay(self.model, [tuple(s) for s in given])
        return outputs[0] if len(outputs) == 1 else outputs

    def build_weights(self, shapes: Dict[str, Any]) -> List[Weight]:
        given = shapes[self.first_input]
        if self.model.kind == "Sequential" and not self.model.inputs and isinstance(given, tuple):
            self.model.build(given, self.model.site)  # Keras builds it on its first input
        weights: List[Weight] = []
        seen = set()
        for layer in self.model.layers:
            if id(layer) in seen:
                continue
            if layer.weights is None:
                if layer.built:
                    raise Unresolved(f"the weights of {layer.name} in model {self.model.name}")
                continue
            seen.add(id(layer))
            frozen = not (layer.trainable and self.model.trainable)
            weights += [Weight(w.name, w.shape, w.trainable and not frozen) for w in layer.weights]
        return weights

    def weights_without_input(self) -> Optional[List[Weight]]:
        if not self.model.inputs:  # an unbuilt Sequential: its first input builds it
            return None
        try:
            return self.build_weights({self.first_input: None})
        except Unresolved:
            return None

    def build_formula(self, shapes: Dict[str, Any]) -> Optional[str]:
        return f"the weights of model {self.model.name}"


def nested_model_layer(model: Model) -> Layer:
    layer = Layer(NestedModelSpec(model), model.class_name, model.name, model.site)
    layer.units = None
    return layer


def replay(model: Model, input_shapes: List[tuple]) -> List[Optional[tuple]]:
    """The model's output shapes for new input shapes, computed through its own graph."""
    known = replay_all(model, input_shapes)
    return [known.get(id(t)) for t in model.outputs]


def replay_all(model: Model, input_shapes: List[tuple]) -> Dict[int, Optional[tuple]]:
    """id(tensor) -> its shape, for every tensor of the model's graph on new input shapes."""
    known: Dict[int, Optional[tuple]] = {id(t): s for t, s in zip(model.inputs, input_shapes)}
    for node in model.calls_in_order():
        arguments = {name: _replace(value, known) for name, value in node.arguments.items()}
        if any(_missing(value) for value in arguments.values()):
            raise ShapeError("opaque", f"model {model.name} could not be followed on the new inputs")
        result = node.layer.spec.call_output(arguments, node.options)
        results = result if isinstance(result, list) else [result]
        for tensor, shape in zip(node.outputs, results):
            known[id(tensor)] = tuple(shape)
    return known


def _replace(value, known):
    if isinstance(value, Tensor):
        return known.get(id(value), _MISSING)
    if isinstance(value, (list, tuple)):
        return [_replace(item, known) for item in value]
    return value


def _missing(value) -> bool:
    if value is _MISSING or value is None:
        return True
    if isinstance(value, list):
        return any(_missing(item) for item in value)
    return False


_MISSING = object()
