"""Pooling layers: Max/Average pooling 1D/2D/3D and their global forms."""

from __future__ import annotations

from ..shapes import channel_dim, pool_length, require_rank, spatial_dims, with_spatial
from .base import LayerSpec, params, register


class _Pooling(LayerSpec):
    rank = 2
    legacy_keywords = {"pool_length": "pool_size", "stride": "strides"}

    def output_shape(self, input_shape):
        require_rank(input_shape, self.rank + 2, self.name)
        pool = self.tuple_arg("pool_size", self.rank)
        strides = pool if self.arg("strides") is None else self.tuple_arg("strides", self.rank)
        padding = str(self.arg("padding")).lower()
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
