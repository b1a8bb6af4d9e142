"""The one absorbing value for anything the analyzer cannot know statically.

Every operation on ``UNKNOWN`` gives ``UNKNOWN``; it is never an error to meet it.
``Unresolved`` is raised by computations that need a value that is not known.
"""

from __future__ import annotations


class Unknown:
    """Singleton standing for a value that static analysis cannot determine."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"

    def __bool__(self) -> bool:  # pragma: no cover - guarded by callers
        raise TypeError("the truth of an unknown value is unknown")


UNKNOWN = Unknown()


class Unresolved(Exception):
    """An argument a computation needs is not known statically."""


def contains_unknown(value) -> bool:
    """True if ``value`` or anything nested in a tuple/list/dict is unknown."""
    if value is UNKNOWN:
        return True
    if isinstance(value, (tuple, list)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return False
    for item in items:  # a loop, not any(): this runs on every argument of every call
        if contains_unknown(item):
            return True
    return False
