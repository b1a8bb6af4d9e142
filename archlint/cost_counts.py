"""The arithmetic of cost counts: a count is a whole number, a formula in sizes only the
data knows (``Sym``), or None when it is not known; any sum or product with an unknown
count is unknown. Also ``per_value``, the cost of a fixed number of operations on every
output value, which layer families and operations share. It knows nothing of particular
layers (cost_families.py, cost_operations.py do)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence, Union

from .symbolic import Sym, symbolic_product

Count = Union[int, Sym, None]


@dataclass(frozen=True)
class Cost:
    macs: Count
    flops: Count

    def __add__(self, other: "Cost") -> "Cost":
        return Cost(add(self.macs, other.macs), add(self.flops, other.flops))


NOTHING = Cost(0, 0)
UNKNOWN = Cost(None, None)


def add(a: Count, b: Count) -> Count:
    """The sum; None when either is not known."""
    return None if a is None or b is None else a + b


def times(*factors: Count) -> Count:
    """The product; None when a factor is not known."""
    return None if any(f is None for f in factors) else symbolic_product(factors)


def total(counts: Iterable[Count]) -> Count:
    """The sum; None when one is not known."""
    result: Count = 0
    for count in counts:
        result = add(result, count)
    return result


def values(shape: Optional[Sequence]) -> Count:
    """The values a tensor of ``shape`` holds per sample (its batch axis left out)."""
    if shape is None or not len(shape):
        return None if shape is None else 1
    return symbolic_product(shape[1:])


def per_value(ops: int):
    """``ops`` operations on every output value, no products."""

    def cost(layer, inputs, outputs) -> Cost:
        return Cost(0, times(ops, all_values(outputs)))

    return cost


def all_values(shapes: Sequence) -> Count:
    """The values tensors of ``shapes`` hold per sample, together."""
    return total(values(shape) for shape in shapes)
