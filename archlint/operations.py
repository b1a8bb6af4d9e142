"""Keras operations on symbolic tensors: ``x + 3.0``, ``x[:, 0]``, ``keras.ops.mean(x, axis=1)``.

In a functional model each one is a weightless node that ``model.summary()`` lists as a
row (``add (Add)``) but ``model.layers`` does not. This module has the Python operators'
Keras classes, the shape arithmetic operations share, and the operation node itself; the
functions code calls (``keras.ops``, ``tf.*``) are declared in op_registry.py. It does not
evaluate values.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence

from .layers.base import LayerSpec
from .shapes import Shape, ShapeError
from .symbolic import same_size

# Python operators on a KerasTensor, as libcst names them, and the operation each makes.
BINARY_OPERATORS = {
    "Add": "Add", "Subtract": "Subtract", "Multiply": "Multiply", "Divide": "TrueDivide",
    "FloorDivide": "FloorDivide", "Modulo": "Mod", "Power": "Power", "MatrixMultiply": "Matmul",
    "BitAnd": "LogicalAnd", "BitOr": "LogicalOr", "BitXor": "LogicalXor",
}
COMPARISON_OPERATORS = {
    "LessThan": "Less", "LessThanEqual": "LessEqual", "GreaterThan": "Greater",
    "GreaterThanEqual": "GreaterEqual", "NotEqual": "NotEqual",
}
UNARY_OPERATORS = {"Minus": "Negative", "BitInvert": "LogicalNot"}

def broadcast(first: Shape, second: Shape) -> Shape:
    """Keras's ``broadcast_shapes``: right-aligned, 1 stretches, ``None`` stays unknown."""
    a, b = list(first), list(second)
    a = [1] * (len(b) - len(a)) + a
    b = [1] * (len(a) - len(b)) + b
    out: List[Optional[int]] = []
    for x, y in zip(a, b):
        if same_size(x, y):
            out.append(x)  # the same size only the data knows
        elif x == 1:
            out.append(y)
        elif x is None:
            out.append(None if y == 1 else y)
        elif y == 1 or y is None or y == x:
            out.append(x)
        else:
            raise ShapeError("merge_mismatch", f"cannot broadcast shapes {tuple(first)} and {tuple(second)}")
    return tuple(out)


def constant_shape(value: Any) -> Optional[Shape]:
    """The shape of a Python number or nested list used as an operand; ``None`` if not data."""
    if isinstance(value, (bool, int, float)):
        return ()
    if isinstance(value, (list, tuple)):
        inner = [constant_shape(v) for v in value]
        if not inner:
            return (0,)
        if any(s is None for s in inner) or len(set(inner)) != 1:
            return None
        return (len(value), *inner[0])
    return None


def axis_index(axis: int, rank: int) -> int:
    if not isinstance(axis, int) or not -rank <= axis < rank:
        raise ShapeError("bad_argument", f"axis {axis!r} is out of range for a rank-{rank} tensor")
    return axis % rank


def reduced_shape(shape: Shape, axis=None, keepdims=False) -> Shape:
    if axis is None:
        return tuple(1 for _ in shape) if keepdims else ()
    axes = {axis_index(a, len(shape)) for a in (axis if isinstance(axis, (list, tuple)) else [axis])}
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def reshaped_shape(shape: Shape, newshape) -> Shape:
    newshape = tuple(newshape) if isinstance(newshape, (list, tuple)) else (newshape,)
    if newshape.count(-1) > 1:
        raise ShapeError("reshape_mismatch", "only one dimension of the new shape can be -1")
    if -1 in newshape:
        total = product(shape)
        rest = product([d for d in newshape if d != -1])
        if total is None or rest in (None, 0):
            return tuple(None if d == -1 else d for d in newshape)
        if total % rest:
            raise ShapeError("reshape_mismatch", f"cannot reshape {tuple(shape)} to {newshape}")
        return tuple(total // rest if d == -1 else d for d in newshape)
    if None not in shape and None not in newshape and product(shape) != product(newshape):
        raise ShapeError("reshape_mismatch", f"cannot reshape {tuple(shape)} to {newshape}")
    return newshape


def product(dims) -> Optional[int]:
    out = 1
    for d in dims:
        if d is None:
            return None
        out *= d
    return out


def concatenated_shape(shapes: Sequence[Shape], axis=0) -> Shape:
    rank = len(shapes[0])
    axis = axis_index(axis, rank)
    out = list(shapes[0])
    for shape in shapes[1:]:
        if len(shape) != rank:
            raise ShapeError("merge_mismatch", f"cannot concatenate tensors of ranks {rank} and {len(shape)}")
        for i, d in enumerate(shape):
            if i == axis:
                out[i] = None if out[i] is None or d is None else out[i] + d
            elif out[i] is None:
                out[i] = d
            elif d is not None and d != out[i]:
                raise ShapeError("merge_mismatch", f"cannot concatenate shapes {tuple(shapes[0])} and {tuple(shape)}")
    return tuple(out)


def matmul_shape(a: Shape, b: Shape) -> Shape:
    if len(a) < 1 or len(b) < 1:
        raise ShapeError("wrong_rank", "matmul needs tensors of rank 1 or more")
    if len(a) == 1 and len(b) == 1:
        return ()
    left = (1, *a) if len(a) == 1 else a
    right = (*b, 1) if len(b) == 1 else b
    if left[-1] is not None and right[-2] is not None and left[-1] != right[-2]:
        raise ShapeError("merge_mismatch", f"matmul of shapes {tuple(a)} and {tuple(b)}: inner dims differ")
    batch = broadcast(left[:-2], right[:-2])
    out = (*batch, left[-2], right[-1])
    if len(a) == 1:
        out = (*batch, right[-1])
    elif len(b) == 1:
        out = (*batch, left[-2])
    return out


def transposed_shape(shape: Shape, axes=None) -> Shape:
    if axes is None:
        return tuple(reversed(shape))
    return tuple(shape[axis_index(a, len(shape))] for a in axes)


def expanded_shape(shape: Shape, axis) -> Shape:
    out = list(shape)
    for a in sorted(axis if isinstance(axis, (list, tuple)) else [axis]):
        out.insert(axis_index(a, len(out) + 1), 1)
    return tuple(out)


def squeezed_shape(shape: Shape, axis=None) -> Shape:
    if axis is None:
        return tuple(d for d in shape if d != 1)
    axes = {axis_index(a, len(shape)) for a in (axis if isinstance(axis, (list, tuple)) else [axis])}
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def stacked_shape(shapes: Sequence[Shape], axis=0) -> Shape:
    first = shapes[0]
    if any(len(shape) != len(first) for shape in shapes):
        raise ShapeError("merge_mismatch", "cannot stack tensors of different ranks")
    out = list(first)
    out.insert(axis_index(axis, len(first) + 1), len(shapes))
    return tuple(out)


def get_item(shape: Shape, key) -> Shape:
    """``x[key]`` as Keras's ``GetItem`` computes it: ints drop an axis, slices keep one."""
    remaining = list(shape)
    keys = list(key) if isinstance(key, (tuple, list)) else [key]
    if keys.count(Ellipsis) > 1:
        raise ShapeError("bad_argument", "a slice may hold one ellipsis")
    if Ellipsis not in keys:
        keys.append(Ellipsis)
    out: List[Optional[int]] = []
    while keys:
        sub = keys.pop(0)
        if sub is Ellipsis:
            needed = len(keys) - sum(1 for k in keys if k is None)
            consumed = len(remaining) - needed
            out += remaining[:consumed]
            remaining = remaining[consumed:]
            continue
        if sub is None:
            out.append(1)
            continue
        if not remaining:
            raise ShapeError("wrong_rank", f"too many indices for a tensor of shape {tuple(shape)}")
        length = remaining.pop(0)
        if isinstance(sub, bool) or not isinstance(sub, (int, slice)):
            raise ShapeError("opaque", "an index the analysis cannot follow")
        if isinstance(sub, int):
            if length is not None and not -length <= sub < length:
                raise ShapeError("bad_argument", f"index {sub} is out of bounds for a dim of size {length}")
        else:
            out.append(len(range(*sub.indices(length))) if length is not None else None)
    return tuple(out)


class OperationSpec(LayerSpec):
    """One operation node: its class name and a shape function over its tensor operands.

    ``operands`` are the call's arguments in order, tensors replaced by their shapes at call
    time; ``shape_of`` turns them into the output shape.
    """

    def __init__(self, class_name: str, shape_of: Callable[..., Shape], operands: List[Any], tensor_slots: List[int],
                 options: Dict[str, Any]):
        super().__init__({})
        self.name = class_name
        self.shape_of = shape_of
        self.operands = operands
        self.tensor_slots = tensor_slots
        self.options = options
        self.call_signature = tuple((f"x{i}", None) for i in range(len(operands)))

    def call_output(self, shapes: Dict[str, Any], options: Dict[str, Any]):
        values = list(self.operands)
        for slot in self.tensor_slots:
            values[slot] = shapes[f"x{slot}"]
        return self.shape_of(*values, **self.options)

    def build_weights(self, shapes):
        return []

    def build_formula(self, shapes):
        return None


def elementwise(*shapes: Any) -> Shape:
    out: Shape = ()
    for value in shapes:
        shape = value if isinstance(value, tuple) else constant_shape(value)
        if shape is None:
            raise ShapeError("opaque", "an operand the analysis cannot follow")
        out = broadcast(out, shape)
    return out
