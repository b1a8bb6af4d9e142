"""What one forward pass costs, from the shapes and weights the analysis already knows.

For each call of a layer: its multiply-adds (MACs), its floating-point operations (FLOPs)
and the values it outputs, all per sample (the batch axis is never counted). The
conventions are those of the papers that report model costs:

- MACs are the multiply-accumulates of a layer's products. A dense or convolution kernel
  is used once per output position (a transposed convolution's once per input position);
  a recurrent layer uses both its kernels at every step; attention adds its two products
  of a sequence by a sequence to its projections.
- FLOPs are two per MAC, plus one per value for a bias, an activation (a softmax five, as
  TensorFlow's profiler counts it), a normalization's scale and shift (two), each input of
  an element-wise merge beyond the first (an average also divides), each value a pooling
  window reads, and each value an operation between layers computes or reduces.
- Layers that only move values (reshaping, padding, cropping, concatenation, dropout at
  inference, an embedding lookup) cost nothing.
- A wrapper costs what its inner layer does on what it is run on (every step for
  TimeDistributed); an RNN, what its cells do at every step.

Here: the cost of one call (a layer's family from ``cost_families``, an operation's from
``cost_operations``, a Lambda's or custom layer's from the calls its traced code made), open
sizes named for formulas, and bytes per value. A family not in ``cost_families.FAMILIES``
(a user's layer or cell, a class in ``NOT_COSTED``), or a size not known, gives None, and a
total over it is None too: a cost is never a guess. A size only the data knows gives a
formula in it. It does not time anything and knows nothing of the hardware.
"""

from __future__ import annotations

from typing import Dict, Optional

from .cost_counts import NOTHING, UNKNOWN, Cost, Count, add, all_values, times, total, values  # noqa: F401 - their API
from .cost_families import FAMILIES, NOT_COSTED  # noqa: F401
from .cost_operations import OPERATIONS, OPERATIONS_NOT_COSTED  # noqa: F401
from .shapes import ShapeError
from .symbolic import Sym
from .unknown import Unresolved


def call_cost(node, shapes: Optional[Dict[int, tuple]] = None) -> Cost:
    """The cost of one call of a layer; UNKNOWN when its family or a size is not known.
    ``shapes``: id(tensor) -> shape, for the tensors' shapes on other inputs (``open_shapes``)."""
    outputs = [_shape(tensor, shapes) for tensor in node.outputs]
    inputs = [_shape(tensor, shapes) for tensor in node.input_tensors]
    if not outputs or any(shape is None for shape in outputs):
        return UNKNOWN
    inner = getattr(node.layer.spec, "model", None)
    if inner is not None:  # a model used as a layer: its own calls, replayed on other sizes
        inside = None
        if _per_sample(inputs) != _per_sample([tensor.shape for tensor in inner.inputs]):
            from .nested import replay_all

            try:
                inside = replay_all(inner, inputs)
            except (ShapeError, Unresolved, TypeError, ValueError, ZeroDivisionError, AttributeError):
                return UNKNOWN
        result = NOTHING
        for inner_node in inner.calls_in_order():
            result = result + call_cost(inner_node, inside)
        return result
    if node.inner_calls is not None:  # a Lambda's function, a custom layer's call(): what it ran
        if shapes is not None and inputs != [tensor.shape for tensor in node.input_tensors]:
            return UNKNOWN  # traced on other sizes than these
        result = NOTHING
        for inner_node in node.inner_calls:
            result = result + call_cost(inner_node)
        return result
    family = (OPERATIONS if node.layer.operation else FAMILIES).get(node.layer.keras_class)
    if family is None:
        return UNKNOWN
    try:
        return family(node.layer, inputs, outputs)
    except (Unresolved, ShapeError, TypeError, ValueError, ZeroDivisionError):  # a size a formula cannot decide
        return UNKNOWN


def _per_sample(shapes) -> list:
    return [tuple(shape[1:]) if shape else shape for shape in shapes]


def output_values(node, shapes: Optional[Dict[int, tuple]] = None) -> Count:
    """The values one call outputs, per sample."""
    return all_values([_shape(tensor, shapes) for tensor in node.outputs])


def _shape(tensor, shapes: Optional[Dict[int, tuple]]):
    return tensor.shape if shapes is None else shapes.get(id(tensor))


def open_shapes(model) -> Optional[Dict[int, tuple]]:
    """id(tensor) -> shape through the model, with each size its inputs leave open (``None``
    past the batch axis) named after it: ``input_layer.shape[1]``. None when no size is
    open, or the graph cannot be followed with names for them."""
    from .nested import replay_all

    named, opened = [], False
    for tensor in model.inputs:
        if tensor.shape is None:
            return None
        dims = list(tensor.shape[:1])
        for axis, dim in enumerate(tensor.shape[1:], 1):
            opened = opened or dim is None
            dims.append(Sym.named(f"{tensor.node.layer.name}.shape[{axis}]") if dim is None else dim)
        named.append(tuple(dims))
    if not opened:
        return None
    try:
        return replay_all(model, named)
    except (ShapeError, Unresolved, TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None


# Bytes of one value a layer computes, by its dtype (a mixed policy computes in 16 bits).
_VALUE_BYTES = {"float16": 2, "bfloat16": 2, "mixed_float16": 2, "mixed_bfloat16": 2, "float64": 8}


def value_bytes(layer) -> Optional[int]:
    """Bytes of each value the layer outputs: by its own ``dtype``, else the global policy
    when it was made (None when that policy is not known)."""
    dtype = layer.config.get("dtype")
    if not isinstance(dtype, str):
        dtype = layer.dtype_policy
    if dtype == "unknown":
        return None
    return _VALUE_BYTES.get(dtype, 4) if isinstance(dtype, str) else 4
