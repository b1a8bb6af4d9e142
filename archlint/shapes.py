"""Pure shape arithmetic, mirroring the formulas Keras uses.

A shape is a tuple of dims; a dim is an ``int``, ``None`` (the batch dim, or a dim
that is not known statically) or a ``Sym`` (a size only the data knows, kept by name:
arithmetic on it stays exact, and a decision on it raises ``Undecided``). A whole shape
that is not known is ``None``.
Functions here never look at layers or source code; they raise ``ShapeError`` when
Keras itself would reject the combination.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence, Tuple, Union

from .symbolic import certain, symbolic_product

Dim = Optional[int]
Shape = Tuple[Dim, ...]


class ShapeError(Exception):
    """A shape combination Keras rejects; ``kind`` tells the rules what went wrong."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def dims_known(dims: Sequence[Dim]) -> bool:
    return all(isinstance(d, int) for d in dims)


def product(dims: Sequence[Dim]) -> Dim:
    """Product of dims (a ``Sym`` when one is symbolic), or ``None`` when any dim is unknown."""
    if not dims_known(dims):
        return symbolic_product(dims)
    return math.prod(dims)


def as_tuple(value, rank: int, what: str) -> Tuple:
    """Normalise an int-or-sequence argument (``kernel_size=3``) to a ``rank``-tuple."""
    if isinstance(value, bool):
        raise ShapeError("bad_argument", f"`{what}` must be an int or a tuple, got {value!r}")
    if isinstance(value, int) or value is None:
        return (value,) * rank
    value = tuple(value)
    if len(value) != rank:
        raise ShapeError(
            "bad_argument_length",
            f"`{what}` must have {rank} element{'s' if rank != 1 else ''}, got {value!r}",
        )
    return value


def conv_length(length: Dim, kernel: int, stride: int, padding: str, dilation: int = 1) -> Dim:
    """Output length of a convolution along one axis (Keras ``compute_conv_output_shape``)."""
    if length is None or not isinstance(kernel, int) or not isinstance(stride, int):
        return None
    if padding == "valid":
        out = (length - dilation * (kernel - 1) - 1) // stride + 1
        if certain(lambda: out <= 0):
            raise ShapeError(
                "nonpositive_dim",
                f"kernel {kernel}"
                + (f" (dilated to {dilation * (kernel - 1) + 1})" if dilation != 1 else "")
                + f" with stride {stride} does not fit an input of length {length}",
            )
        return out
    if padding in ("same", "causal"):
        return (length - 1) // stride + 1
    raise ShapeError("bad_argument", f"`padding` must be 'valid' or 'same', got {padding!r}")


def pool_length(length: Dim, pool: int, stride: int, padding: str) -> Dim:
    """Output length of a pooling window along one axis."""
    if length is None or not isinstance(pool, int) or not isinstance(stride, int):
        return None
    if padding == "valid":
        out = (length - pool) // stride + 1
        if certain(lambda: out <= 0):
            raise ShapeError(
                "nonpositive_dim",
                f"pool size {pool} with stride {stride} does not fit an input of length {length}",
            )
        return out
    if padding == "same":
        return (length - 1) // stride + 1
    raise ShapeError("bad_argument", f"`padding` must be 'valid' or 'same', got {padding!r}")


def conv_transpose_length(
    length: Dim, kernel: int, stride: int, padding: str, output_padding, dilation: int = 1
) -> Dim:
    """Output length of a transposed convolution along one axis."""
    if length is None:
        return None
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        if output_padding is None:
            output_padding = max(kernel, stride) - kernel
        return (length - 1) * stride + kernel + output_padding
    if padding == "same":
        if output_padding is None:
            return length * stride
        return (length - 1) * stride + kernel % 2 + output_padding
    raise ShapeError("bad_argument", f"`padding` must be 'valid' or 'same', got {padding!r}")


def canonical_axis(axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ShapeError("bad_axis", f"axis {axis} is out of range for a rank-{rank} input")
    return axis % rank


def spatial_dims(shape: Shape, data_format: str) -> Tuple[Dim, ...]:
    return tuple(shape[1:-1]) if data_format == "channels_last" else tuple(shape[2:])


def channel_dim(shape: Shape, data_format: str) -> Dim:
    return shape[-1] if data_format == "channels_last" else shape[1]


def with_spatial(shape: Shape, spatial: Sequence[Dim], channels: Dim, data_format: str) -> Shape:
    if data_format == "channels_last":
        return (shape[0], *spatial, channels)
    return (shape[0], channels, *spatial)


def require_rank(shape: Shape, rank: Union[int, Tuple[int, ...]], layer: str) -> None:
    """Raise unless ``shape`` has the rank (or one of the ranks) the layer takes."""
    ranks = (rank,) if isinstance(rank, int) else rank
    if len(shape) not in ranks:
        want = " or ".join(str(r) for r in ranks)
        raise ShapeError(
            "wrong_rank",
            f"{layer} expects an input of rank {want}, got shape {format_shape(shape)}",
        )


def require_min_rank(shape: Shape, rank: int, layer: str) -> None:
    if len(shape) < rank:
        raise ShapeError(
            "wrong_rank",
            f"{layer} expects an input of rank {rank} or more, got shape {format_shape(shape)}",
        )


def format_shape(shape) -> str:
    """``(None, 28, 28, 1)`` the way Keras prints shapes."""
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
