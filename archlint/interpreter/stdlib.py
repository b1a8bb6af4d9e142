"""Standard-library helpers model code builds with, by their module path.

``functools.reduce`` (the ``compose(*funcs)`` idiom of detector code), ``functools.partial``
and ``functools.wraps``, ``types.MethodType`` and ``six.moves.range``: each is interpreted
by calling back into the interpreter, so the layers they compose are called as written.
Other standard-library calls stay unknown.
"""

from __future__ import annotations

from typing import Any, Optional

from ..unknown import UNKNOWN
from .builtins import BUILTINS, as_list
from .classes import BoundUserMethod
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


FUNCTIONS = {
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
