"""Symbolic dimensions: a size only the data knows, kept under the name it came from.

``Sym`` is a polynomial with integer coefficients over named sizes (``x_train.shape[2]``,
``len(vocab)``, ``num_classes``): ``+``, ``-`` and ``*`` with ints or other symbols stay
exact; ``//`` and ``%`` by an int are exact when every coefficient divides, else the
result is a new opaque size named by its expression. Nothing about the size is assumed:
comparing a symbol with anything but an identical expression, its truth, or turning it into
an ``int`` raises ``Undecided`` (an ``Unresolved``), so code that would decide on it gives up
instead of guessing, and no error is ever reported on a symbol's account.

It knows nothing about layers or source code.
"""

from __future__ import annotations

from typing import Dict, Iterable, Tuple, Union

from .unknown import Unresolved

Monomial = Tuple[Tuple[str, int], ...]  # ((name, power), ...) sorted; () is the constant term

# A size named by an expression that is no polynomial (``(x.shape[1] - 2) // 2``): how to
# compute it from the sizes it is made of.
_DERIVED: Dict[str, Tuple["Sym", str, int]] = {}


class Undecided(Unresolved):
    """A decision that depends on the value of a symbolic size."""


class Sym:
    """An integer-valued polynomial over named sizes."""

    __slots__ = ("terms",)

    def __init__(self, terms: Dict[Monomial, int]):
        self.terms = {m: c for m, c in terms.items() if c}

    @classmethod
    def named(cls, name: str) -> "Sym":
        return cls({((name, 1),): 1})

    # --- arithmetic ----------------------------------------------------------------------
    @staticmethod
    def _lift(value) -> "Sym":
        if isinstance(value, Sym):
            return value
        return Sym({(): value})

    @staticmethod
    def _is_number(value) -> bool:
        return isinstance(value, Sym) or (isinstance(value, int) and not isinstance(value, bool))

    def _plus(self, other, sign: int) -> "Sym":
        terms = dict(self.terms)
        for monomial, coefficient in Sym._lift(other).terms.items():
            terms[monomial] = terms.get(monomial, 0) + sign * coefficient
        return Sym(terms).simplified()

    def __add__(self, other):
        return self._plus(other, 1) if self._is_number(other) else NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        return self._plus(other, -1) if self._is_number(other) else NotImplemented

    def __rsub__(self, other):
        return (-self)._plus(other, 1) if self._is_number(other) else NotImplemented

    def __neg__(self):
        return Sym({m: -c for m, c in self.terms.items()})

    def __mul__(self, other):
        if not self._is_number(other):
            return NotImplemented
        terms: Dict[Monomial, int] = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in Sym._lift(other).terms.items():
                monomial = _multiply(m1, m2)
                terms[monomial] = terms.get(monomial, 0) + c1 * c2
        return Sym(terms).simplified()

    __rmul__ = __mul__

    def __floordiv__(self, other):
        if isinstance(other, int) and not isinstance(other, bool) and other > 0:
            if all(c % other == 0 for c in self.terms.values()):
                return Sym({m: c // other for m, c in self.terms.items()}).simplified()
            return Sym._derived(self, "//", other)
        if self._is_number(other):
            raise Undecided(f"{self} // {other}")
        return NotImplemented

    def __mod__(self, other):
        if isinstance(other, int) and not isinstance(other, bool) and other > 0:
            if all(c % other == 0 for c in self.terms.values()):
                return 0
            return Sym._derived(self, "%", other)
        if self._is_number(other):
            raise Undecided(f"{self} % {other}")
        return NotImplemented

    def __rfloordiv__(self, other):
        raise Undecided(f"{other} // {self}")

    def __rmod__(self, other):
        raise Undecided(f"{other} % {self}")

    def __truediv__(self, other):
        raise Undecided(f"{self} / {other}")

    __rtruediv__ = __truediv__

    def __pow__(self, other):
        if isinstance(other, int) and not isinstance(other, bool) and 0 <= other <= 4:
            result: Union[int, Sym] = 1
            for _ in range(other):
                result = result * self
            return result
        raise Undecided(f"{self} ** {other}")

    @staticmethod
    def _derived(base: "Sym", op: str, divisor: int) -> "Sym":
        name = f"({base}) {op} {divisor}" if len(base.terms) > 1 else f"{base} {op} {divisor}"
        _DERIVED.setdefault(name, (base, op, divisor))
        return Sym.named(name)

    def value(self, sizes: Dict[str, int]) -> int:
        """The integer it is when each named size has the value given."""
        total = 0
        for monomial, coefficient in self.terms.items():
            term = coefficient
            for name, power in monomial:
                term *= _size_value(name, sizes) ** power
            total += term
        return total

    def simplified(self) -> Union[int, "Sym"]:
        """A plain int when no symbol is left."""
        if not self.terms:
            return 0
        if set(self.terms) == {()}:
            return self.terms[()]
        return self

    # --- decisions: only what holds for every value of the symbols -----------------------
    def __eq__(self, other):
        if self._is_number(other):
            if isinstance(other, Sym) and other.terms == self.terms:
                return True
            raise Undecided(f"whether {self} == {other}")
        return False  # None, strings, UNKNOWN: a size is none of them

    def __ne__(self, other):
        return not self.__eq__(other)

    def _compare(self, other):
        raise Undecided(f"how {self} compares with {other}")

    __lt__ = __le__ = __gt__ = __ge__ = _compare

    def __bool__(self):
        raise Undecided(f"whether {self} is zero")

    def __int__(self):
        raise Undecided(f"the value of {self}")

    __index__ = __int__

    def __hash__(self):
        # Sets and dict keys decide equality by hash: a symbolic size must not be in one.
        raise Undecided(f"whether {self} equals another size")

    # --- reading ---------------------------------------------------------------------------
    @property
    def names(self) -> Tuple[str, ...]:
        """The sizes only the data knows that it is made of (through derived sizes too)."""
        found = set()
        for monomial in self.terms:
            for name, _ in monomial:
                found.update(_DERIVED[name][0].names if name in _DERIVED else (name,))
        return tuple(sorted(found))

    def __repr__(self) -> str:
        return format_sym(self)

    __str__ = __repr__


def _size_value(name: str, sizes: Dict[str, int]) -> int:
    if name in sizes:
        return sizes[name]
    base, op, divisor = _DERIVED[name]
    number = base.value(sizes)
    return number // divisor if op == "//" else number % divisor


def _multiply(m1: Monomial, m2: Monomial) -> Monomial:
    powers: Dict[str, int] = dict(m1)
    for name, power in m2:
        powers[name] = powers.get(name, 0) + power
    return tuple(sorted(powers.items()))


def _monomial_text(monomial: Monomial, alone: bool) -> str:
    """``a*b**2``; a derived size (an expression) is bracketed unless it stands alone."""
    def factor(name: str, power: int) -> str:
        bracketed = f"({name})" if " " in name and not (alone and power == 1 and len(monomial) == 1) else name
        return bracketed if power == 1 else f"{bracketed}**{power}"

    return "*".join(factor(name, power) for name, power in monomial)


def format_sym(value, thousands: bool = False) -> str:
    """``128*C + 4,321`` (with ``thousands``) or ``128*C + 4321``; an int as itself."""
    if not isinstance(value, Sym):
        return f"{value:,}" if thousands else str(value)

    def number(n: int) -> str:
        return f"{n:,}" if thousands else str(n)

    parts = []
    ordered = sorted(value.terms.items(), key=lambda item: (-sum(p for _, p in item[0]), item[0]))
    for monomial, coefficient in ordered:
        magnitude = abs(coefficient)
        if not monomial:
            text = number(magnitude)
        elif magnitude == 1:
            text = _monomial_text(monomial, alone=True)
        else:
            text = f"{number(magnitude)}*{_monomial_text(monomial, alone=False)}"
        sign = "-" if coefficient < 0 else "+"
        parts.append((sign, text))
    first_sign, first = parts[0]
    out = ("-" if first_sign == "-" else "") + first
    for sign, text in parts[1:]:
        out += f" {sign} {text}"
    return out


def same_size(a, b) -> bool:
    """Whether two dims are the same symbolic size (a decision that needs no value)."""
    return isinstance(a, Sym) and isinstance(b, Sym) and a.terms == b.terms


def certain(test) -> bool:
    """``test()``, where a symbolic size makes it undecidable: False (no error is reported
    on a size only the data knows; the code is taken to run on its data)."""
    try:
        return bool(test())
    except Undecided:
        return False


def symbolic_product(dims: Iterable) -> Union[int, Sym, None]:
    """The product of dims that are ints or symbols; None when one is neither."""
    result: Union[int, Sym] = 1
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, (int, Sym)):
            return None
        result = result * dim
    return result.simplified() if isinstance(result, Sym) else result
