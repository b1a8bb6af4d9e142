"""Merge layers: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum.

They take a list of tensors. Shape checks follow Keras: element-wise merges broadcast
non-batch dims (1 broadcasts, unknown dims are compatible); Concatenate needs equal
dims everywhere except on its axis.
"""

from __future__ import annotations

from ..shapes import ShapeError, format_shape
from .base import LayerSpec, params, register


def _shapes_text(shapes) -> str:
    return ", ".join(format_shape(s) for s in shapes)


def _broadcast(first, second):
    if len(first) < len(second):
        first, second = second, first
    if not second:
        return first
    out = list(first[: len(first) - len(second)])
    for a, b in zip(first[len(first) - len(second):], second):
        if a is None or b is None:
            out.append(None)
        elif a == 1:
            out.append(b)
        elif b == 1 or a == b:
            out.append(a)
        else:
            raise ShapeError("merge_mismatch", "")
    return tuple(out)


class _ElementwiseMerge(LayerSpec):
    takes_list = True
    signature = params()
    arity = None  # the exact number of inputs, for layers that insist (Subtract)

    def output_shape(self, input_shape):
        shapes = list(input_shape)
        if not shapes:
            raise ShapeError("bad_input", f"{self.name} needs a list of at least one tensor")
        if self.arity is not None and len(shapes) != self.arity:
            raise ShapeError("bad_input", f"{self.name} needs exactly {self.arity} inputs, got {len(shapes)}")
        batches = {s[0] for s in shapes} - {None}
        if len(batches) > 1:
            raise ShapeError("merge_mismatch", f"{self.name} inputs have different batch sizes: {_shapes_text(shapes)}")
        out = tuple(shapes[0][1:])
        try:
            for shape in shapes[1:]:
                out = _broadcast(out, tuple(shape[1:]))
        except ShapeError:
            raise ShapeError("merge_mismatch", f"{self.name} inputs have incompatible shapes {_shapes_text(shapes)}") from None
        return ((batches.pop() if batches else None), *out)


def _merge(name: str, arity=None):
    cls = type(
        name,
        (_ElementwiseMerge,),
        {"name": name, "arity": arity, "__doc__": f"Element-wise {name.lower()} of its inputs."},
    )
    return register(cls)


for _name in ("Add", "Multiply", "Average", "Maximum", "Minimum"):
    _merge(_name)
_merge("Subtract", arity=2)


@register
class Concatenate(LayerSpec):
    name = "Concatenate"
    takes_list = True
    signature = params(axis=-1)
    legacy_keywords = {"concat_axis": "axis"}

    def output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        if not shapes:
            raise ShapeError("bad_input", "Concatenate needs a list of at least one tensor")
        axis = self.int_arg("axis")
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise ShapeError("concat_mismatch", f"Concatenate inputs have different ranks: {_shapes_text(shapes)}")
        rank = ranks.pop()
        if not -rank <= axis < rank:
            raise ShapeError("bad_axis", f"Concatenate axis {axis} is out of range for rank-{rank} inputs")
        axis %= rank
        for position in range(rank):
            if position == axis:
                continue
            known = {s[position] for s in shapes} - {None}
            if len(known) > 1:
                raise ShapeError(
                    "concat_mismatch",
                    f"Concatenate inputs differ on axis {position} (concatenating on axis {axis}): {_shapes_text(shapes)}",
                )
        out = list(shapes[0])
        sizes = [s[axis] for s in shapes]
        out[axis] = None if None in sizes else sum(sizes)
        return tuple(out)
