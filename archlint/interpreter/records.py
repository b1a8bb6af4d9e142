"""``collections.namedtuple`` records in model code (the ``BlockArgs`` of EfficientNet ports).

The interpreter makes a real namedtuple class with the user's field names, so records hold
the interpreter's values (numbers, layers, unknowns) and answer fields, ``_fields``,
``_replace`` and ``_asdict``; ``Record.__new__.__defaults__ = ...`` (the pre-3.7 idiom)
sets the class's defaults. Nothing else of ``collections`` is modelled here.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from typing import Any

from ..unknown import UNKNOWN
from .values import Builtin


@dataclass(frozen=True)
class RecordDefaults:
    """``Record.__new__`` of a namedtuple class: assigning its ``__defaults__`` (the Python
    3.6 idiom for defaults) sets the class's defaults."""

    record: type


def namedtuple(interp, args, kwargs, site):
    """``collections.namedtuple(name, fields, defaults=...)`` with known names and fields."""
    name = args[0] if args else kwargs.get("typename")
    fields = args[1] if len(args) > 1 else kwargs.get("field_names")
    if isinstance(fields, str):
        fields = fields.replace(",", " ").split()
    if not isinstance(name, str) or not isinstance(fields, (list, tuple)) or not all(isinstance(f, str) for f in fields):
        return UNKNOWN
    options = {k: v for k, v in kwargs.items() if k in ("defaults", "rename")}
    if any(v is UNKNOWN for v in options.values()):
        return UNKNOWN
    try:
        return collections.namedtuple(name, list(fields), **options)
    except (TypeError, ValueError):
        return UNKNOWN


def is_record_class(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, tuple) and hasattr(value, "_fields")


def is_record(value: Any) -> bool:
    return isinstance(value, tuple) and is_record_class(type(value))


def make_record(record: type, args, kwargs) -> Any:
    try:
        return record(*args, **kwargs)
    except TypeError:
        return UNKNOWN


def record_attribute(value: Any, name: str) -> Any:
    """A field of a namedtuple or of its class, ``_replace``, ``_fields``, ``__new__``."""
    if is_record_class(value):
        if name == "_fields":
            return value._fields
        if name == "__new__":
            return RecordDefaults(value)
        return UNKNOWN
    if name in value._fields:
        return getattr(value, name)
    if name == "_fields":
        return value._fields
    if name == "_replace":
        return Builtin("_replace", lambda interp, args, kwargs, site: _replaced(value, args, kwargs))
    if name == "_asdict":
        return Builtin("_asdict", lambda interp, args, kwargs, site: dict(zip(value._fields, value)))
    return UNKNOWN


def _replaced(value, args, kwargs):
    try:
        return value._replace(**kwargs) if not args else UNKNOWN
    except ValueError:
        return UNKNOWN


def set_record_defaults(target: RecordDefaults, name: str, value: Any) -> None:
    if name == "__defaults__" and isinstance(value, tuple) and len(value) <= len(target.record._fields):
        target.record.__new__.__defaults__ = value
