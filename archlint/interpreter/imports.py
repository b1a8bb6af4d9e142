"""``import`` statements: project modules are read and run as source, the rest stay names.

A module the ``ModuleFinder`` locates (the project's own files, relative imports, the
installed ``keras.applications`` builders) is parsed and its top level executed once,
sharing Keras's naming counters with the importer, as Python and Keras would. Every
other import binds a ``ModuleRef``: Keras paths the interpreter models, anything else
unknown. A module that cannot be read or parsed becomes unknown with a note at the
import. Keras's generated public API files (``keras/applications/__init__.py``) are
only scanned for their re-exports, so naming one builder loads one source file.
"""

from __future__ import annotations

import ast
import os
from typing import Any, Dict, Optional

import libcst as cst

from ..project import ModuleFinder, installed_keras_root, is_followed_keras
from ..source import Unparsable, Unreadable, parse_shared, read_text
from .scope import Scope
from ..unknown import UNKNOWN
from .values import ModuleRef, ProjectModule, RaiseSignal, ReturnSignal, normalize_keras_path

MAX_MODULES = 200


def dotted_name(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


class ImportSupport:
    """Mixin for ``Interpreter``: import statements and module values."""

    finder: ModuleFinder
    modules: Dict[str, Optional[ProjectModule]]

    # --- statements ------------------------------------------------------------------------
    def _import(self, node: cst.Import, scope: Scope) -> None:
        site = self.site(node)
        for alias in node.names:
            full = dotted_name(alias.name)
            if alias.asname is not None:
                module = self.import_module(full, site)
                scope.assign(alias.asname.name.value, module or ModuleRef(full))
            else:
                top = full.split(".")[0]
                self.import_module(full, site)  # binds submodules on their packages
                scope.assign(top, self.import_module(top, site) or ModuleRef(top))

    def _import_from(self, node: cst.ImportFrom, scope: Scope) -> None:
        site = self.site(node)
        module_name = dotted_name(node.module) if node.module is not None else ""
        if node.relative:
            importer = scope.module.file
            if importer is None:
                self._bind_unknown_names(node, scope)
                return
            path, full = self.finder.find_relative(importer, len(node.relative), module_name)
            module = self.load_module(path, full, site) if path else None
            if module is None:
                self.note(site, f"relative import of {'.' * len(node.relative)}{module_name} not found; its names are unknown")
                self._bind_unknown_names(node, scope)
                return
        else:
            full = module_name
            module = self.import_module(full, site)
        if isinstance(node.names, cst.ImportStar):
            if module is not None:
                self._star_import(module, scope)
            elif full:
                scope.module.star_imports.append(ModuleRef(full))
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            bound = alias.asname.name.value if alias.asname is not None else name
            if module is not None:
                value = self.module_attribute(module, name, site)
            else:
                value = ModuleRef(f"{full}.{name}") if full else UNKNOWN
            scope.assign(bound, value)

    def _bind_unknown_names(self, node: cst.ImportFrom, scope: Scope) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            bound = alias.asname.name.value if alias.asname is not None else dotted_name(alias.name)
            scope.assign(bound, UNKNOWN)

    def _star_import(self, module: ProjectModule, scope: Scope) -> None:
        exported = module.scope.vars.get("__all__")
        names = exported if isinstance(exported, (list, tuple)) else [n for n in module.scope.vars if not n.startswith("_")]
        for name in names:
            if isinstance(name, str) and name in module.scope.vars:
                scope.assign(name, module.scope.vars[name])

    # --- modules ---------------------------------------------------------------------------
    def import_module(self, dotted: str, site) -> Optional[ProjectModule]:
        """The project module ``dotted`` (its packages loaded and linked first), or ``None``."""
        if not dotted:
            return None
        dotted = normalize_keras_path(dotted) or dotted
        parts = dotted.split(".")
        parent: Optional[ProjectModule] = None
        for index in range(len(parts)):
            name = ".".join(parts[: index + 1])
            path = self.finder.find(name)
            if path is None:
                if parent is not None or index == len(parts) - 1:
                    return None
                continue  # e.g. `keras` itself, on the way to `keras.applications`
            module = self.load_module(path, name, site)
            if module is None:
                return None
            if parent is not None:
                parent.scope.vars.setdefault(parts[index], module)
            parent = module
        return parent

    def module_attribute(self, module: ProjectModule, name: str, site) -> Any:
        """``module.name``: a top-level name, a re-export, or a submodule; else unknown."""
        if name in module.scope.vars:
            return module.scope.vars[name]
        reexport = module.reexports.get(name)
        if reexport is not None and reexport[0] != module.name:
            source_module, original = reexport
            target = self.import_module(source_module, site)
            value = self.module_attribute(target, original, site) if target and original else target
            if value is not None:
                module.scope.vars[name] = value
                return value
        if module.is_package:
            submodule = self.import_module(f"{module.name}.{name}", site)
            if submodule is not None:
                return submodule
        return UNKNOWN

    def followed_keras_value(self, ref: ModuleRef, site) -> Any:
        """``keras.applications.ResNet50`` and the like, read from the installed sources."""
        path = ref.keras_path or ""
        module = self.import_module(path, site)
        if module is not None:
            return module
        owner, _, name = path.rpartition(".")
        parent = self.import_module(owner, site) if is_followed_keras(owner) else None
        return self.module_attribute(parent, name, site) if parent is not None else None

    def load_module(self, path: str, name: str, site) -> Optional[ProjectModule]:
        key = os.path.realpath(path)
        if key in self.modules:
            return self.modules[key]
        if len(self.modules) >= MAX_MODULES:
            self.note(site, f"more than {MAX_MODULES} project modules imported; {name} was not read")
            return None
        module = self._read_module(path, name, site)
        self.modules[key] = module
        if module is not None and module.source is not None:
            self.sources.append(module.source)
            try:
                self.exec_block(module.source.module.body, module.scope)
            except (ReturnSignal, RaiseSignal):
                pass  # the module raised at import: keep the names it bound before
        return module

    def _read_module(self, path: str, name: str, site) -> Optional[ProjectModule]:
        text = read_text(path)
        if isinstance(text, Unreadable):
            self.note(site, f"cannot read imported module {name} ({path}): {text.reason}")
            return None
        scope = Scope()
        scope.file = path
        scope.vars["__name__"] = name
        is_package = os.path.basename(path) == "__init__.py"
        if _is_keras_api_shim(path):
            return ProjectModule(name, path, scope, is_package, None, _reexports(text))
        source = parse_shared(path, text)
        if isinstance(source, Unparsable):
            self.note(site, f"cannot analyze imported module {name} ({path}): {source.message}")
            return None
        return ProjectModule(name, path, scope, is_package, source)


def _is_keras_api_shim(path: str) -> bool:
    """Keras's generated public API files: nothing but ``from keras.src... import X as X``."""
    root = installed_keras_root()
    if root is None:
        return False
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    return relative.startswith("keras" + os.sep) and not relative.startswith(os.path.join("keras", "src") + os.sep)


def _reexports(text: str) -> Dict[str, tuple]:
    """``name -> (module, original name or None)`` for a shim's absolute imports."""
    out: Dict[str, tuple] = {}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return out
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            for alias in statement.names:
                out[alias.asname or alias.name] = (statement.module, alias.name)
    return out
