"""Standard-library helpers model code builds with, by their module path.

``functools.reduce`` (the ``compose(*funcs)`` idiom of detector code), ``functools.partial``
and ``functools.wraps``, ``types.MethodType`` and ``six.moves.range``: each is interpreted
by calling back into the interpreter, so the layers they compose are called as written.
``collections.namedtuple`` is records.py's. ``sys.path.append/insert`` of a directory adds
an import root (a relative one is taken from the analyzed script's directory, where it is
usually run), with ``os.path``'s string functions to spell it; TensorFlow's name scopes
are no-op contexts. Other standard-library calls stay unknown.
"""

from __future__ import annotations

import os
from typing import Optional

from ..unknown import UNKNOWN
from .builtins import BUILTINS, as_list
from .classes import BoundUserMethod
from .records import namedtuple
from .values import Builtin, UserFunction

_MISSING = object()


def _reduce(interp, args, kwargs, site):
    if len(args) not in (2, 3) or kwargs:
        return UNKNOWN
    items = as_list(args[1])
    if items is UNKNOWN:
        return UNKNOWN
    accumulated = args[2] if len(args) == 3 else _MISSING
    for item in interp.bounded(items, None):
        accumulated = item if accumulated is _MISSING else interp.call(args[0], [accumulated, item], {}, site)
    return UNKNOWN if accumulated is _MISSING else accumulated


def _partial(interp, args, kwargs, site):
    if not args:
        return UNKNOWN
    function, bound_args, bound_kwargs = args[0], list(args[1:]), dict(kwargs)

    def call(interp, more_args, more_kwargs, site):
        return interp.call(function, bound_args + list(more_args), {**bound_kwargs, **more_kwargs}, site)

    return Builtin(f"partial({getattr(function, 'name', '?')})", call)


_IDENTITY_DECORATOR = Builtin("wraps(...)", lambda interp, args, kwargs, site: args[0] if len(args) == 1 else UNKNOWN)


def _method_type(interp, args, kwargs, site):
    if len(args) == 2 and isinstance(args[0], UserFunction):
        return BoundUserMethod(args[0], args[1])
    return UNKNOWN


def _import_root(position: int):
    def add(interp, args, kwargs, site):
        if len(args) == position + 1 and isinstance(args[position], str) and not kwargs:
            interp.add_import_root(args[position], first=position == 1 and args[0] == 0)
        return None

    return add


def _path_function(function, absolute_only: bool = False):
    """An ``os.path`` function on known strings (``abspath`` only of an absolute path: the
    working directory is not known)."""

    def call(interp, args, kwargs, site):
        if kwargs or not args or not all(isinstance(a, str) for a in args):
            return UNKNOWN
        if absolute_only and not os.path.isabs(args[0]):
            return UNKNOWN
        try:
            return function(*args)
        except (TypeError, ValueError):
            return UNKNOWN

    return call


_NO_OP_CONTEXT = Builtin("name_scope", lambda interp, args, kwargs, site: None)

FUNCTIONS = {
    "collections.namedtuple": Builtin("namedtuple", namedtuple),
    # Name scopes change layer and variable names' prefixes, never shapes or counts.
    **{path: _NO_OP_CONTEXT for path in (
        "tensorflow.name_scope", "tensorflow.python.framework.ops.name_scope", "tensorflow.compat.v1.name_scope",
        "tensorflow.compat.v1.variable_scope", "keras.backend.name_scope", "tensorflow.keras.backend.name_scope",
        "keras.name_scope",
    )},
    "sys.path.append": Builtin("append", _import_root(0)),
    "sys.path.insert": Builtin("insert", _import_root(1)),
    "os.path.join": Builtin("join", _path_function(os.path.join)),
    "os.path.dirname": Builtin("dirname", _path_function(os.path.dirname)),
    "os.path.basename": Builtin("basename", _path_function(os.path.basename)),
    "os.path.normpath": Builtin("normpath", _path_function(os.path.normpath)),
    "os.path.abspath": Builtin("abspath", _path_function(os.path.abspath, absolute_only=True)),
    "os.path.realpath": Builtin("realpath", _path_function(os.path.realpath, absolute_only=True)),
    "functools.reduce": Builtin("reduce", _reduce),
    "functools.partial": Builtin("partial", _partial),
    "functools.wraps": Builtin("wraps", lambda interp, args, kwargs, site: _IDENTITY_DECORATOR),
    "types.MethodType": Builtin("MethodType", _method_type),
    "six.moves.range": BUILTINS["range"],
    "six.moves.xrange": BUILTINS["range"],
    "six.moves.zip": BUILTINS["zip"],
}


def function_for(path: str) -> Optional[Builtin]:
    return FUNCTIONS.get(path)
