"""Name scopes: a function's locals chained to its enclosing scopes and the module's globals."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set

_MISSING = object()


class Scope:
    """One frame of names. Lookups walk outwards; assignments stay local unless declared global."""

    def __init__(self, parent: Optional["Scope"] = None, module: Optional["Scope"] = None):
        self.vars: Dict[str, Any] = {}
        self.parent = parent
        self.module = module or self
        self.globals_declared: Set[str] = set()
        self.star_imports: List[Any] = []  # only on the module scope: ModuleRefs of `from x import *`
        self.file: Optional[str] = None  # only on the module scope: the file it runs, for relative imports

    def lookup(self, name: str, default: Any = _MISSING) -> Any:
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return default

    def assign(self, name: str, value: Any) -> None:
        if name in self.globals_declared:
            self.module.vars[name] = value
        else:
            self.vars[name] = value

    def delete(self, name: str) -> None:
        self.vars.pop(name, None)

    def child(self) -> "Scope":
        return Scope(parent=self, module=self.module)


MISSING = _MISSING
