"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, ZeroPadding, Cropping, UpSampling."""

from __future__ import annotations

from ..shapes import (
    ShapeError,
    as_tuple,
    channel_dim,
    product,
    require_rank,
    spatial_dims,
    with_spatial,
)
from .base import LayerSpec, params, register


@register
class Flatten(LayerSpec):
    name = "Flatten"
    signature = params(data_format=None)

    def output_shape(self, input_shape):
        return (input_shape[0], product(input_shape[1:]))


@register
class Reshape(LayerSpec):
    built_on_construction = True
    name = "Reshape"
    signature = params("target_shape")
    legacy_keywords = {"dims": "target_shape"}

    def output_shape(self, input_shape):
        target = self.arg("target_shape")
        target = (target,) if isinstance(target, int) else tuple(target)
        if sum(1 for d in target if d == -1) > 1:
            raise ShapeError("bad_argument", f"Reshape target {target} has more than one -1")
        size = product(input_shape[1:])
        known = product([d for d in target if d != -1])
        if -1 in target:
            if size is None:
                return (input_shape[0], *(None if d == -1 else d for d in target))
            if known == 0 or size % known:
                raise ShapeError("reshape_mismatch", f"cannot reshape {size} values into {target}")
            return (input_shape[0], *(size // known if d == -1 else d for d in target))
        if size is not None and known != size:
            raise ShapeError("reshape_mismatch", f"cannot reshape {size} values into {target} ({known} values)")
        return (input_shape[0], *target)


@register
class Permute(LayerSpec):
    name = "Permute"
    signature = params("dims")

    def output_shape(self, input_shape):
        dims = tuple(self.arg("dims"))
        if sorted(dims) != list(range(1, len(input_shape))):
            raise ShapeError("bad_argument", f"Permute dims {dims} do not permute a rank-{len(input_shape)} input")
        return (input_shape[0], *(input_shape[d] for d in dims))


@register
class RepeatVector(LayerSpec):
    name = "RepeatVector"
    signature = params("n")

    def output_shape(self, input_shape):
        require_rank(input_shape, 2, "RepeatVector")
        return (input_shape[0], self.int_arg("n"), input_shape[1])


def _pairs(value, rank: int, what: str):
    """``1`` / ``(1, 2)`` / ``((1, 1), (2, 2))`` as ``rank`` (before, after) pairs."""
    if isinstance(value, int):
        return ((value, value),) * rank
    value = tuple(value)
    if rank == 1 and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value,)
    value = as_tuple(value, rank, what)
    return tuple((v, v) if isinstance(v, int) else tuple(v) for v in value)


class _SpatialResize(LayerSpec):
    rank = 2

    def output_shape(self, input_shape):
        require_rank(input_shape, self.rank + 2, self.name)
        fmt = self.data_format if "data_format" in self.config else "channels_last"
        values = self._values()
        spatial = tuple(
            None if length is None else self._resize(length, v)
            for length, v in zip(spatial_dims(input_shape, fmt), values)
        )
        for length in spatial:
            if isinstance(length, int) and length <= 0:  # a size the data gives is not checked, as in Keras
                raise ShapeError("nonpositive_dim", f"{self.name} leaves a dimension of size {length}")
        return with_spatial(input_shape, spatial, channel_dim(input_shape, fmt), fmt)


def _spatial_family(base_name: str, rank: int, key: str, default, resize, values):
    name = f"{base_name}{rank}D"
    takes_format = rank > 1 or base_name == "ZeroPadding"
    signature = params(**{key: default}) + (params(data_format=None) if takes_format else ())
    if base_name == "UpSampling" and rank == 2:
        signature += params(interpolation="nearest")
    cls = type(
        name,
        (_SpatialResize,),
        {
            "name": name,
            "rank": rank,
            "signature": signature,
            "_resize": staticmethod(resize),
            "_values": values,
            "__doc__": f"{base_name} over {rank} spatial dim{'s' if rank > 1 else ''}.",
        },
    )
    return register(cls)


for _rank in (1, 2, 3):
    _spatial_family(
        "ZeroPadding", _rank, "padding", 1 if _rank == 1 else (1,) * _rank,
        lambda length, pair: length + pair[0] + pair[1],
        lambda self, r=_rank: _pairs(self.arg("padding"), r, "padding"),
    )
    _spatial_family(
        "Cropping", _rank, "cropping", {1: (1, 1), 2: ((0, 0), (0, 0)), 3: ((1, 1), (1, 1), (1, 1))}[_rank],
        lambda length, pair: length - pair[0] - pair[1],
        lambda self, r=_rank: _pairs(self.arg("cropping"), r, "cropping"),
    )
    _spatial_family(
        "UpSampling", _rank, "size", 2 if _rank == 1 else (2,) * _rank,
        lambda length, factor: length * factor,
        lambda self, r=_rank: as_tuple(self.arg("size"), r, "size"),
    )

