"""Merge layers: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot.

They take a list of tensors. Shape checks follow Keras: element-wise merges broadcast
non-batch dims (1 broadcasts, unknown dims are compatible); Concatenate needs equal
dims everywhere except on its axis; Dot contracts one axis of each of its two inputs.
"""

from __future__ import annotations

from ..shapes import ShapeError, format_shape
from ..symbolic import certain, same_size
from .base import LayerSpec, params, register


def _shapes_text(shapes) -> str:
    return ", ".join(format_shape(s) for s in shapes)


def _is_one(size) -> bool:
    return isinstance(size, int) and size == 1


def _broadcast(first, second):
    if len(first) < len(second):
        first, second = second, first
    if not second:
        return first
    out = list(first[: len(first) - len(second)])
    for a, b in zip(first[len(first) - len(second):], second):
        if a is None or b is None:
            out.append(None)
        elif same_size(a, b) or _is_one(b):
            out.append(a)
        elif _is_one(a):
            out.append(b)
        elif a == b:  # two sizes the data gives: undecided unless they are the same
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
        if isinstance(self.arg("axis"), (tuple, list)):  # Keras indexes shapes with it, and fails
            raise ShapeError("bad_axis", f"Concatenate takes one axis, got {self.arg('axis')!r}")
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
            known = [s[position] for s in shapes if s[position] is not None]
            if any(certain(lambda d=d: d != known[0]) for d in known[1:]):  # a symbolic size decides nothing
                raise ShapeError(
                    "concat_mismatch",
                    f"Concatenate inputs differ on axis {position} (concatenating on axis {axis}): {_shapes_text(shapes)}",
                )
        out = list(shapes[0])
        sizes = [s[axis] for s in shapes]
        out[axis] = None if None in sizes else sum(sizes)
        return tuple(out)


@register
class Dot(LayerSpec):
    """Batch-wise dot product of two tensors along ``axes`` (one int, or one axis per input)."""

    name = "Dot"
    takes_list = True
    signature = params("axes", normalize=False)

    def _axes(self, first, second):
        axes = self.arg("axes")
        if isinstance(axes, int) and not isinstance(axes, bool):
            return (axes % len(first), axes % len(second)) if axes < 0 else (axes, axes)
        if not isinstance(axes, (list, tuple)):
            raise ShapeError("bad_argument", f"Dot `axes` must be an int or a pair of ints, got {axes!r}")
        if len(axes) != 2:
            raise ShapeError("bad_argument_length", f"Dot `axes` must have two elements, got {axes!r}")
        if not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
            raise ShapeError("bad_argument", f"Dot `axes` must be integers, got {axes!r}")
        return tuple(axes)

    def output_shape(self, input_shape):
        shapes = [list(s) for s in input_shape]
        if len(shapes) != 2:
            raise ShapeError("bad_input", f"Dot needs exactly 2 inputs, got {len(shapes)}")
        first, second = shapes
        axes = self._axes(first, second)
        for shape, axis in zip(shapes, axes):
            if not -len(shape) <= axis < len(shape):
                raise ShapeError("bad_axis", f"Dot axis {axis} is out of range for an input of rank {len(shape)}")
        if first[axes[0]] != second[axes[1]]:  # Keras: an unknown dim matches only an unknown dim
            raise ShapeError(
                "merge_mismatch",
                f"Dot contracts axis {axes[0]} of {format_shape(input_shape[0])} with axis {axes[1]} "
                f"of {format_shape(input_shape[1])}: {first[axes[0]]} != {second[axes[1]]}",
            )
        first.pop(axes[0])
        second.pop(axes[1])
        out = first + second[1:]
        return tuple(out) if len(out) != 1 else (*out, 1)
