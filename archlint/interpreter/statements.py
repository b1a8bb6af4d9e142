"""Executing libcst statements: assignments, control flow and definitions.

``if`` on a known value takes one branch; on an unknown value both branches are explored
and joined (see ``_undecided_if``), and the analysis records that it could not decide.
Loops unroll within the budgets kept by the ``Interpreter``. Imports live in
``imports.py``, classes in ``classes.py``.
"""

from __future__ import annotations

from typing import Any, List, Set

import libcst as cst

from ..symbolic import Sym
from ..unknown import UNKNOWN, contains_unknown
from . import builtins as py
from .classes import Instance, UserClass
from .expressions import data_shape_of
from .scope import MISSING, Scope
from .records import RecordDefaults, set_record_defaults
from .values import (
    BreakSignal,
    ContinueSignal,
    ModuleRef,
    RaiseSignal,
    ReturnSignal,
    UserFunction,
)


class StatementExecutor:
    """Mixin for ``Interpreter``: ``exec_block(statements, scope)``."""

    def exec_block(self, body, scope: Scope) -> None:
        for statement in body:
            self.exec_statement(statement, scope)

    def exec_statement(self, node, scope: Scope) -> None:
        self.tick(node)
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.exec_small(small, scope)
            return
        if isinstance(node, cst.BaseSmallStatement):  # the body of `if x: y = 1`
            self.exec_small(node, scope)
            return
        method = _COMPOUND.get(type(node))
        if method is not None:
            method(self, node, scope)

    def _suite(self, suite) -> List[Any]:
        return list(suite.body) if suite is not None else []

    # --- simple statements ---------------------------------------------------------------
    def exec_small(self, node, scope: Scope) -> None:
        self.unknown_reads = {}  # names read as unknown in this statement (for --assume hints)
        if isinstance(node, cst.Expr):
            self.eval(node.value, scope)
        elif isinstance(node, cst.Assign):
            value = self.eval(node.value, scope)
            if value is UNKNOWN and data_shape_of(node.value):  # _, steps, width = x_train.shape
                value = self._data_shape(data_shape_of(node.value), node.targets)
            for target in node.targets:
                self.assign(target.target, value, scope)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.eval(node.value, scope), scope)
        elif isinstance(node, cst.AugAssign):
            self._augassign(node, scope)
        elif isinstance(node, cst.Return):
            raise ReturnSignal(None if node.value is None else self.eval(node.value, scope))
        elif isinstance(node, cst.Break):
            raise BreakSignal()
        elif isinstance(node, cst.Continue):
            raise ContinueSignal()
        elif isinstance(node, cst.Raise):
            raise RaiseSignal()
        elif isinstance(node, cst.Import):
            self._import(node, scope)
        elif isinstance(node, cst.ImportFrom):
            self._import_from(node, scope)
        elif isinstance(node, cst.Global):
            scope.globals_declared.update(n.name.value for n in node.names)
        elif isinstance(node, cst.Del):
            self._delete(node.target, scope)

    def _delete(self, target, scope: Scope) -> None:
        """``del name``, ``del d[key]``, ``del a, b``; a container whose deleted key is not
        known becomes unknown as a whole."""
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._delete(element.value, scope)
        elif isinstance(target, cst.Name):
            scope.delete(target.value)
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            container = self.eval(target.value, scope)
            key = self.eval(target.slice[0].slice.value, scope)
            try:
                if isinstance(container, (dict, list)) and not contains_unknown(key):
                    del container[key]
                    return
            except (KeyError, IndexError, TypeError):
                pass
            if isinstance(target.value, cst.Name):
                self.assign(target.value, UNKNOWN, scope)

    @staticmethod
    def _data_shape(name: str, targets) -> Any:
        """The shape of data the code does not determine, as many sizes as the targets
        unpack (each named ``x_train.shape[i]``); unknown for any other target."""
        target = targets[0].target if len(targets) == 1 else None
        if not isinstance(target, (cst.Tuple, cst.List)) or any(isinstance(e, cst.StarredElement) for e in target.elements):
            return UNKNOWN
        return tuple(Sym.named(f"{name}.shape[{i}]") for i in range(len(target.elements)))

    def _augassign(self, node: cst.AugAssign, scope: Scope) -> None:
        op = type(node.operator).__name__.replace("Assign", "")
        current = self.eval(node.target, scope)
        operand = self.eval(node.value, scope)
        if op == "Add" and isinstance(current, list):
            items = py.as_list(operand)
            if items is UNKNOWN:
                self.assign(node.target, UNKNOWN, scope)
            else:
                py.call_plain_method(current, "extend", [items], {})  # within its size budget, never holding itself
                self.tick(node, py.work(items))
            return
        self.assign(node.target, self.binary(op, current, operand), scope)

    def assign(self, target, value: Any, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.assign(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            self._unpack(target, value, scope)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            if isinstance(obj, (Instance, UserClass)):
                self.set_class_attribute(obj, target.attr.value, value)
            elif isinstance(obj, RecordDefaults):
                set_record_defaults(obj, target.attr.value, value)
            else:
                self.keras.set_attribute(obj, target.attr.value, value)
        elif isinstance(target, cst.Subscript):
            obj = self.eval(target.value, scope)
            if isinstance(obj, (list, dict)) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                key = self.eval(target.slice[0].slice.value, scope)
                try:
                    obj[key] = UNKNOWN if py.reaches(value, obj) else value  # never a structure holding itself
                except Exception:
                    pass
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, value, scope)

    def _unpack(self, target, value: Any, scope: Scope) -> None:
        elements = [e.value if isinstance(e, cst.Element) else e for e in target.elements]
        items = py.as_list(value)
        starred = [i for i, e in enumerate(target.elements) if isinstance(e, cst.StarredElement)]
        if items is UNKNOWN or (not starred and len(items) != len(elements)):
            for element in target.elements:
                self.assign(element.value, UNKNOWN, scope)
            return
        if starred:
            at = starred[0]
            tail = len(elements) - at - 1
            if len(items) < len(elements) - 1:
                for element in target.elements:
                    self.assign(element.value, UNKNOWN, scope)
                return
            items = items[:at] + [list(items[at : len(items) - tail])] + items[len(items) - tail :]
        for element, item in zip(target.elements, items):
            self.assign(element.value, item, scope)

    # --- compound statements -------------------------------------------------------------
    def _if(self, node: cst.If, scope: Scope) -> None:
        truth = py.truthiness(self.eval(node.test, scope))
        if truth is UNKNOWN:
            self._undecided_if(node, scope)
            return
        if truth:
            self.exec_block(self._suite(node.body), scope)
        else:
            self._else(node, scope)

    def _else(self, node: cst.If, scope: Scope) -> None:
        if isinstance(node.orelse, cst.If):
            self._if(node.orelse, scope)
        elif node.orelse is not None:
            self.exec_block(self._suite(node.orelse.body), scope)

    def _undecided_if(self, node: cst.If, scope: Scope) -> None:
        """An ``if`` whose condition is not known: explore both branches and join them.

        Each branch runs on its own overlay of the scope. A branch that raises (a validation
        check) is the path no model comes from: the other one is followed. A branch that
        builds something (a layer, a Keras name, an imported module) or returns early is
        followed, as an assumption the notes record. Otherwise the two are joined: names
        both branches bind alike keep their value, the others become unknown.
        """
        site = self.site(node)
        first = self._trial(lambda overlay: self.exec_block(self._suite(node.body), overlay), scope)
        if first[2] or (first[1] is not None and not isinstance(first[1], RaiseSignal)):
            return self._follow(first, scope, site, "first")
        second = self._trial(lambda overlay: self._else(node, overlay), scope)
        if isinstance(first[1], RaiseSignal):
            return self._follow(second, scope, site, "non-raising")
        if isinstance(second[1], RaiseSignal):
            return self._follow(first, scope, site, "non-raising")
        if second[2] or second[1] is not None:
            return self._follow(second, scope, site, "else")
        for name in set(first[0].vars) | set(second[0].vars):
            before = scope.lookup(name, MISSING)
            a, b = first[0].vars.get(name, before), second[0].vars.get(name, before)
            scope.assign(name, a if _same(a, b) else UNKNOWN)
        self.note(site, "condition not known statically; both branches explored, names they bind differently are unknown")

    def _follow(self, trial, scope: Scope, site, which: str) -> None:
        overlay, signal, _ = trial
        for name, value in overlay.vars.items():
            scope.assign(name, value)
        self.note(site, f"condition not known statically; following its {which} branch")
        if signal is not None:
            raise signal

    def _trial(self, run, scope: Scope):
        """Run one branch on an overlay of ``scope``: (overlay, control signal or None, built)."""
        layers, counters, modules = len(self.layers), self.naming.snapshot(), len(self.modules)
        overlay = Scope(parent=scope, module=scope.module)
        signal = None
        self.assumptions += 1
        try:
            run(overlay)
        except (ReturnSignal, RaiseSignal, BreakSignal, ContinueSignal) as leaving:
            signal = leaving
        finally:
            self.assumptions -= 1
        built = len(self.layers) != layers or self.naming.snapshot() != counters or len(self.modules) != modules
        return overlay, signal, built

    def _for(self, node: cst.For, scope: Scope) -> None:
        items = py.as_list(self.eval(node.iter, scope))
        if items is UNKNOWN:
            self.note(self.site(node), "loop over a value not known statically; its body was skipped")
            self._forget_bound(node, scope)
            return
        broke = False
        for item in self.bounded(items, node):
            self.assign(node.target, item, scope)
            try:
                self.exec_block(self._suite(node.body), scope)
            except BreakSignal:
                broke = True
                break
            except ContinueSignal:
                continue
        if not broke and node.orelse is not None:
            self.exec_block(self._suite(node.orelse.body), scope)

    def _forget_bound(self, loop, scope: Scope) -> None:
        """A loop the analysis could not run may have rebound any name its body binds
        (``maxlen = max(maxlen, len(words))``): those names are unknown after it."""
        cache = self.bound_names  # a skipped inner loop is met once per outer iteration
        if id(loop) not in cache:
            names = _BoundNames()
            loop.visit(names)
            cache[id(loop)] = (loop, names.found)
        for name in cache[id(loop)][1]:
            if scope.lookup(name, MISSING) is not MISSING:
                scope.assign(name, UNKNOWN)

    def _while(self, node: cst.While, scope: Scope) -> None:
        for _ in self.bounded(None, node):
            truth = py.truthiness(self.eval(node.test, scope))
            if truth is UNKNOWN:
                self.note(self.site(node), "loop condition not known statically; the loop was stopped")
                self._forget_bound(node, scope)
                return
            if not truth:
                break
            try:
                self.exec_block(self._suite(node.body), scope)
            except BreakSignal:
                return
            except ContinueSignal:
                continue
        if node.orelse is not None:
            self.exec_block(self._suite(node.orelse.body), scope)

    def _with(self, node: cst.With, scope: Scope) -> None:
        for item in node.items:
            value = self.eval(item.item, scope)
            if item.asname is not None:
                self.assign(item.asname.name, UNKNOWN if value is not None else None, scope)
        self.exec_block(self._suite(node.body), scope)

    def _try(self, node, scope: Scope) -> None:
        try:
            self.exec_block(self._suite(node.body), scope)
            if node.orelse is not None:
                self.exec_block(self._suite(node.orelse.body), scope)
        except RaiseSignal:
            pass
        finally:
            if node.finalbody is not None:
                self.exec_block(self._suite(node.finalbody.body), scope)

    def _def(self, node: cst.FunctionDef, scope: Scope) -> None:
        function = UserFunction(node.name.value, node, scope, self.evaluate_defaults(node.params, scope))
        scope.assign(node.name.value, function)

    def _class(self, node: cst.ClassDef, scope: Scope) -> None:
        scope.assign(node.name.value, self.define_class(node, scope))


# Methods that change a container in place: a skipped loop calling one may have changed it.
_MUTATING_METHODS = {"append", "extend", "insert", "update", "add", "setdefault", "pop", "remove", "clear", "sort"}


class _BoundNames(cst.CSTVisitor):
    """The plain names a block binds by assignment, or whose container it changes in place
    (``stories.append(...)``, ``counts[k] = ...``), not counting nested functions and classes."""

    def __init__(self):
        self.found: Set[str] = set()

    def visit_FunctionDef(self, node) -> bool:
        return False

    def visit_ClassDef(self, node) -> bool:
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _MUTATING_METHODS and isinstance(func.value, cst.Name):
            self.found.add(func.value.value)

    def _targets(self, target) -> None:
        if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            self.found.add(target.value.value)  # counts[k] = ... changes counts
        elif isinstance(target, cst.Name):
            self.found.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._targets(element.value)
        elif isinstance(target, cst.StarredElement):
            self._targets(target.value)


def _same(a: Any, b: Any) -> bool:
    """Whether two branches bound a name alike: the same object, equal plain values, or one
    Keras object spelt two ways (``tensorflow.keras.layers.Conv2D`` and ``keras.layers.Conv2D``)."""
    if a is b:
        return True
    if isinstance(a, ModuleRef) and isinstance(b, ModuleRef):
        return a.path == b.path or (a.keras_path is not None and a.keras_path == b.keras_path)
    if a is MISSING or b is MISSING or not (py.is_plain(a) and py.is_plain(b)):
        return False
    return type(a) is type(b) and not contains_unknown(a) and a == b


_COMPOUND = {
    cst.If: StatementExecutor._if,
    cst.For: StatementExecutor._for,
    cst.While: StatementExecutor._while,
    cst.With: StatementExecutor._with,
    cst.Try: StatementExecutor._try,
    cst.TryStar: StatementExecutor._try,
    cst.FunctionDef: StatementExecutor._def,
    cst.ClassDef: StatementExecutor._class,
}
