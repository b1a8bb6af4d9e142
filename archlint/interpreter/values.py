"""Abstract values the interpreter passes around, and its control-flow signals.

Plain Python data (int, float, str, bool, None, tuple, list, dict, range) stands for
itself. Keras objects are graph values (``Layer``, ``Tensor``, ``Model``). Everything
else is one of the small classes here, or ``UNKNOWN``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

KERAS_ROOTS = ("keras", "tensorflow.keras", "tensorflow.python.keras", "tf_keras", "keras_core")


@functools.lru_cache(maxsize=100_000)  # a program names few paths, each many times
def normalize_keras_path(path: str) -> Optional[str]:
    """``tensorflow.keras.layers.Dense`` -> ``keras.layers.Dense``; ``None`` if not Keras."""
    for root in KERAS_ROOTS:
        if path == root or path.startswith(root + "."):
            return "keras" + path[len(root):]
    return None


@dataclass(frozen=True)
class ModuleRef:
    """A module or any dotted object inside one: ``keras.layers``, ``tf``, ``np.random``."""

    path: str

    @property
    def keras_path(self) -> Optional[str]:
        return normalize_keras_path(self.path)

    def child(self, name: str) -> "ModuleRef":
        return ModuleRef(f"{self.path}.{name}")


@dataclass(eq=False)
class ProjectModule:
    """A module read from source: the analyzed project's own, or a followed Keras builder."""

    name: str
    path: str
    scope: Any  # its globals
    is_package: bool
    source: Any = None  # the parsed Source; None for a re-export shim
    reexports: Dict[str, tuple] = field(default_factory=dict)  # shim: name -> (module, original)

    def __repr__(self) -> str:
        return f"<module {self.name}>"


@dataclass(eq=False)
class KerasObject:
    """An instance of a Keras class that builds no graph but that rules read (a loss)."""

    kind: str  # the Keras subpackage: "losses"
    name: str  # the class: "BinaryCrossentropy"
    kwargs: Dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class UserFunction:
    """A ``def`` or ``lambda`` from the analyzed source, closed over its defining scope."""

    name: str
    node: Any  # libcst FunctionDef or Lambda
    scope: Any  # the defining Scope
    defaults: Dict[str, Any] = field(default_factory=dict)
    owner: Any = None  # the class whose body defined it (for super())

    def __repr__(self) -> str:
        return f"<function {self.name}>"


@dataclass(eq=False)
class Builtin:
    """A Python-level function the interpreter implements: ``fn(interp, args, kwargs, site)``."""

    name: str
    fn: Callable[..., Any]


@dataclass(eq=False)
class BoundMethod:
    """``obj.name`` waiting to be called."""

    obj: Any
    name: str


class ReturnSignal(Exception):
    def __init__(self, value: Any):
        self.value = value


class BreakSignal(Exception):
    pass


class ContinueSignal(Exception):
    pass


class RaiseSignal(Exception):
    """The analyzed code raises; the current call evaluates to unknown."""


class BudgetExceeded(Exception):
    """Loop unrolling, call depth or total steps ran out."""

    def __init__(self, what: str, site, assumed: bool = False):
        super().__init__(what)
        self.what = what
        self.site = site
        # True when it happened on a path the analysis only assumed (an `if` it could not
        # decide): then it says nothing about the code, only about the guess.
        self.assumed = assumed
