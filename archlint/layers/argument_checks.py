"""Checks on constructor arguments that Keras makes in ``__init__``, shared by the
preprocessing families; they refuse only values known statically."""

from __future__ import annotations

from dataclasses import dataclass

from ..shapes import ShapeError
from ..unknown import contains_unknown
from .base import LayerSpec, params

INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def known(spec: LayerSpec, key: str):
    """``key``'s value, or ``None`` when it is not known statically (its checks are then skipped)."""
    value = spec.config.get(key)
    return None if contains_unknown(value) else value


def is_number(value) -> bool:
    return isinstance(value, (int, float))


def refuse(layer: str, key: str, value, expected: str):
    raise ShapeError("bad_argument", f"{layer}: `{key}` must be {expected}, got {value!r}")


def check_choice(spec: LayerSpec, key: str, allowed) -> None:
    value = known(spec, key)
    if isinstance(value, str) and value not in allowed:
        refuse(spec.name, key, value, "one of " + ", ".join(repr(a) for a in allowed))


def check_pair(spec: LayerSpec, key: str) -> None:
    value = known(spec, key)
    if value is not None and not (isinstance(value, (tuple, list)) and len(value) == 2):
        refuse(spec.name, key, value, "a pair of numbers")


def image_params(*required: str, **optional):
    """An image layer's signature: its own parameters, then what the image base takes from ``**kwargs``."""
    return params(*required, **optional, **{k: None for k in ("data_format", "bounding_box_format") if k not in optional})


@dataclass(frozen=True)
class Range:
    """The values Keras accepts for an augmentation strength: one number, or a pair of numbers."""

    low: float
    high: float
    each: bool = False  # both ends of a pair must lie in range (else the pair only has to overlap it)
    open_low: bool = False  # ``low`` itself is refused

    def inside(self, x) -> bool:
        return is_number(x) and (self.low < x if self.open_low else self.low <= x) and x <= self.high

    def check(self, layer: str, key: str, value) -> None:
        if value is None:
            return
        if isinstance(value, (tuple, list)):
            if len(value) != 2:
                raise ShapeError("bad_argument_length", f"{layer}: `{key}` must be a number or a pair, got {value!r}")
            if self.each:
                ok = all(self.inside(v) for v in value)
            else:
                ok = all(is_number(v) for v in value) and value[0] <= self.high and value[1] >= self.low
        else:
            ok = self.inside(value)
        if not ok:
            bounds = f"{'(' if self.open_low else '['}{self.low}, {self.high}]"
            refuse(layer, key, value, f"a number or a pair of numbers in {bounds}")
