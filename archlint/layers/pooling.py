"""Pooling layers: Max/Average pooling 1D/2D/3D, their global and adaptive forms.

Keras 1 spellings (``pool_length``, ``stride``, ``border_mode``, ``dim_ordering``) bind to
their Keras 3 names.
"""

from __future__ import annotations

from ..shapes import (
    ShapeError,
    channel_dim,
    pool_length,
    require_rank,
    spatial_dims,
    with_spatial,
)
from .base import LayerSpec, params, register


def _positive(values, key: str):
    if any(not isinstance(v, int) or v < 1 for v in values):
        raise ShapeError("bad_argument", f"`{key}` must hold positive integers, got {values!r}")
    return values


class _Pooling(LayerSpec):
    built_on_construction = True
    rank = 2
    legacy_keywords = {"pool_length": "pool_size", "stride": "strides"}

    def output_shape(self, input_shape):
        require_rank(input_shape, self.rank + 2, self.name)
        pool = _positive(self.tuple_arg("pool_size", self.rank), "pool_size")
        strides = pool if self.arg("strides") is None else _positive(self.tuple_arg("strides", self.rank), "strides")
        padding = self.arg("padding")  # unlike the convolutions, Keras 3 pooling is case-sensitive here
        fmt = self.data_format
        spatial = tuple(
            pool_length(length, p, s, padding)
            for length, p, s in zip(spatial_dims(input_shape, fmt), pool, strides)
        )
        return with_spatial(input_shape, spatial, channel_dim(input_shape, fmt), fmt)


def _pooling(kind: str, rank: int, short: str):
    name = f"{kind}Pooling{rank}D"
    keras2_default = 2 if rank == 1 else (2,) * rank
    # MaxPooling defaults pool_size to 2 per axis; Keras 3 AveragePooling requires it
    # (Keras 2 defaulted it too: legacy code is computed with that default, and flagged).
    if kind == "Max":
        signature = params(pool_size=keras2_default)
    else:
        signature = params("pool_size")
    signature += params(strides=None, padding="valid", data_format=None, name=None)
    cls = type(
        name,
        (_Pooling,),
        {
            "name": name,
            "aliases": (f"{short}Pool{rank}D",),
            "rank": rank,
            "signature": signature,
            "legacy_defaults": {} if kind == "Max" else {"pool_size": keras2_default},
            "__doc__": f"{kind} pooling over {rank} spatial dim{'s' if rank > 1 else ''}.",
        },
    )
    return register(cls)


for _rank in (1, 2, 3):
    _pooling("Max", _rank, "Max")
    _pooling("Average", _rank, "Avg")


class _GlobalPooling(LayerSpec):
    built_on_construction = True
    rank = 2

    def output_shape(self, input_shape):
        require_rank(input_shape, self.rank + 2, self.name)
        fmt = self.data_format
        channels = channel_dim(input_shape, fmt)
        if self.arg("keepdims"):
            return with_spatial(input_shape, (1,) * self.rank, channels, fmt)
        return (input_shape[0], channels)


def _global_pooling(kind: str, rank: int, short: str):
    name = f"Global{kind}Pooling{rank}D"
    cls = type(
        name,
        (_GlobalPooling,),
        {
            "name": name,
            "aliases": (f"Global{short}Pool{rank}D",),
            "rank": rank,
            "signature": params(data_format=None, keepdims=False),
            "__doc__": f"Global {kind.lower()} pooling over {rank} spatial dim{'s' if rank > 1 else ''}.",
        },
    )
    return register(cls)


for _rank in (1, 2, 3):
    _global_pooling("Max", _rank, "Max")
    _global_pooling("Average", _rank, "Avg")


class _AdaptivePooling(LayerSpec):
    """Pools each spatial axis to a fixed ``output_size``, whatever the input size."""

    rank = 2
    signature = params("output_size", data_format=None)

    def output_shape(self, input_shape):
        # Like Keras's symbolic call (and model.summary()), this takes any input rank: only
        # the batch and channel dims are read. Keras's eager call fails on another rank.
        size = self.tuple_arg("output_size", self.rank)
        if any(not isinstance(d, int) or d < 1 for d in size):
            # Keras's symbolic call gives zero-size dims; its eager call divides by zero.
            raise ShapeError("nonpositive_dim", f"{self.name} `output_size` must be positive, got {size!r}")
        fmt = self.data_format
        return with_spatial(input_shape, size, channel_dim(input_shape, fmt), fmt)


def _adaptive_pooling(kind: str, rank: int):
    name = f"Adaptive{kind}Pooling{rank}D"
    cls = type(
        name,
        (_AdaptivePooling,),
        {
            "name": name,
            "rank": rank,
            "__doc__": f"Adaptive {kind.lower()} pooling over {rank} spatial dim{'s' if rank > 1 else ''}.",
        },
    )
    return register(cls)


for _rank in (1, 2, 3):
    _adaptive_pooling("Max", _rank)
    _adaptive_pooling("Average", _rank)
