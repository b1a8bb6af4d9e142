"""Snippets: code that uses Keras's names without importing them.

Stack Overflow posts and notebook cells often start at ``model = Sequential()``. When the
analyzed file imports neither Keras nor TensorFlow, a name it never defines that Keras
exports (``Sequential``, ``Dense``, ``Conv2D``, ``Input``, ``Model``) or a usual module
alias (``keras``, ``tf``, ``layers``, ``K``) is read as Keras's, and ``NAME.add(...)`` on a
name bound nowhere in the file is a Sequential model created at its first use. Each
assumption is recorded (first use, what was assumed) for an info finding (AL907).

It does not guess for files that import Keras, TensorFlow or another framework (PyTorch,
JAX, ...), for names the file binds anywhere, or for imported project modules.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from ..graph import Site
from .values import ModuleRef

KERAS_ROOTS = ("keras", "tensorflow", "tf_keras")
OTHER_FRAMEWORKS = ("torch", "jax", "flax", "mxnet", "paddle", "chainer")  # their `Model`/`Dense` are not Keras's

# Module aliases snippets use without defining them.
MODULE_ALIASES: Dict[str, str] = {
    "keras": "keras",
    "tf": "tensorflow",
    "layers": "keras.layers",
    "models": "keras.models",
    "K": "keras.backend",
}

MODEL_CLASSES = ("Sequential", "Model")  # keras.models; every other exported name is looked for in keras.layers


def imports_framework(tree: ast.Module) -> bool:
    """Whether the file imports Keras, TensorFlow or another deep-learning framework."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        if any(m.split(".")[0] in KERAS_ROOTS + OTHER_FRAMEWORKS for m in modules):
            return True
    return False


def bound_names(tree: ast.Module) -> Set[str]:
    """Every name the file binds somewhere: assignments, loops, definitions, parameters, imports."""
    names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


def first_uses(tree: ast.Module) -> Dict[str, Site]:
    """Where each name is first read in the file."""
    found: Dict[str, Site] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            site = Site(node.lineno, node.col_offset)
            if node.id not in found or (site.line, site.col) < (found[node.id].line, found[node.id].col):
                found[node.id] = site
    return found


def implied_sequentials(tree: ast.Module, bound: Set[str]) -> Set[str]:
    """Names used as ``NAME.add(...)`` that the file never binds: Sequential models."""
    found: Set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add"
                and isinstance(node.func.value, ast.Name) and node.func.value.id not in bound):
            found.add(node.func.value.id)
    return found


class SnippetNames:
    """What a snippet's undefined names stand for, and the record of each one assumed."""

    def __init__(self, tree: ast.Module, resolves):
        self.active = not imports_framework(tree)
        bound = bound_names(tree) if self.active else set()
        self.bound = bound
        self.sequentials = implied_sequentials(tree, bound) if self.active else set()
        self._first_uses = first_uses(tree) if self.active else {}
        self._resolves = resolves
        self.assumed: List[Tuple[Site, str, str]] = []  # (first use, name, what it was read as)
        self._seen: Set[str] = set()

    def keras_name(self, name: str) -> Optional[ModuleRef]:
        """The Keras object an undefined ``name`` stands for, else ``None``."""
        if not self.active or name in self.bound:
            return None
        if name in MODULE_ALIASES:
            ref = ModuleRef(MODULE_ALIASES[name])
        else:
            ref = ModuleRef(f"keras.{'models' if name in MODEL_CLASSES else 'layers'}.{name}")
            if not self._resolves(ref):
                return None
        self.record(name, ref.path)
        return ref

    def first_use(self, name: str) -> Site:
        return self._first_uses.get(name, Site())

    def record(self, name: str, what: str) -> None:
        if name not in self._seen:
            self._seen.add(name)
            self.assumed.append((self.first_use(name), name, what))
            self.assumed.sort(key=lambda one: (one[0].line, one[0].col))
