"""What only the data knows, said by the user: ``num_classes=10``, ``x_train.shape=(None, 288, 1)``.

One syntax in three places: ``--assume`` on the command line, ``[tool.archlint.assume]`` in
``pyproject.toml`` (a glob of files -> a list of assumptions), and a comment in the file,
``# archlint: assume x_train.shape = (None, 288, 1)`` (several separated by ``;``). An
assumption gives a module-level or local name a value only where the code does not: the
interpreter uses it when the name is unknown (read from data, a file, the environment) or
not defined at all. ``NAME.shape = (...)`` makes the name an array of that shape, and
``len(NAME) = N`` a sequence of N items (a vocabulary, a list of classes).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List

_ASSUMPTION = re.compile(r"^\s*(?:len\(\s*(?P<sized>[A-Za-z_]\w*)\s*\)|(?P<name>[A-Za-z_]\w*)(?P<shape>\.shape)?)\s*=\s*(?P<value>.+?)\s*$")
_COMMENT = re.compile(r"#\s*archlint:\s*assume\s+(.+)$")


class AssumptionError(ValueError):
    """An assumption that does not parse; its message is one line naming it."""


@dataclass(frozen=True)
class Assumption:
    name: str
    value: Any  # a plain Python literal
    is_shape: bool = False  # NAME.shape = (...): an array of that shape
    is_length: bool = False  # len(NAME) = N: a sequence of N items

    def __str__(self) -> str:
        if self.is_length:
            return f"len({self.name})={self.value!r}"
        return f"{self.name}{'.shape' if self.is_shape else ''}={self.value!r}"


def parse(text: str, where: str = "--assume") -> Assumption:
    match = _ASSUMPTION.match(text)
    if not match:
        raise AssumptionError(f"{where}: {text!r} is not NAME=VALUE, NAME.shape=(...) or len(NAME)=N")
    name, shape, literal = match.group("name") or match.group("sized"), match.group("shape"), match.group("value")
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError) as error:
        raise AssumptionError(f"{where}: {literal!r} is not a Python literal ({error.__class__.__name__})") from error
    if shape:
        if not isinstance(value, (tuple, list)) or not all(d is None or (isinstance(d, int) and d >= 0) for d in value):
            raise AssumptionError(f"{where}: {name}.shape must be a tuple of sizes or None, got {literal}")
        value = tuple(value)
    if match.group("sized"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise AssumptionError(f"{where}: len({name}) must be a whole number, got {literal}")
        return Assumption(name, value, is_length=True)
    return Assumption(name, value, bool(shape))


def parse_all(texts: Iterable[str], where: str = "--assume") -> Dict[str, Assumption]:
    out: Dict[str, Assumption] = {}
    for text in texts:
        assumption = parse(text, where)
        out[assumption.name] = assumption
    return out


def in_comments(source: str, path: str) -> Dict[str, Assumption]:
    """``# archlint: assume a = 1; b.shape = (None, 3)`` comments anywhere in the file."""
    out: Dict[str, Assumption] = {}
    for number, line in enumerate(source.splitlines(), 1):
        match = _COMMENT.search(line)
        if match:
            for part in _split(match.group(1)):
                assumption = parse(part, f"{path}:{number}")
                out[assumption.name] = assumption
    return out


def _split(text: str) -> List[str]:
    """Split at ``;`` outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == ";" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p for p in parts + [current] if p.strip()]
