"""Where written code takes an input shape from a data array's ``.shape``: the calls that
say ``input_shape=X.shape`` (or ``Input(shape=X.shape)``), and the later call that feeds
the same ``X`` to ``fit()``, ``predict()`` or ``evaluate()`` in the same scope.

It reads the parsed source only, one scope at a time; it never evaluates anything and
says nothing of code it cannot see (an array built in another module). The rules that use
it (AL506 and the data rules) live in ``rules/``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, List, Optional, Tuple

import libcst as cst

from .source import cst_children

_DATA_METHODS = ("fit", "predict", "evaluate", "train_on_batch", "predict_on_batch", "test_on_batch")


def _whole_shape_of(value: cst.BaseExpression) -> Optional[str]:
    """``X`` for ``X.shape`` (not ``X.shape[1:]``), else None."""
    if isinstance(value, cst.Attribute) and value.attr.value == "shape" and isinstance(value.value, cst.Name):
        return value.value.value
    return None


def _callee(call: cst.Call) -> str:
    func = call.func
    return func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""


class _Scopes:
    """Per function (and the module), in the order written: the calls declaring an input
    shape as ``NAME.shape``, the names given as data to fit()/predict()/evaluate(), and the
    names assigned (a new value breaks the link between a declaration and later data)."""

    def __init__(self):
        self.stack: List[List[Tuple]] = [[]]
        self.done: List[List[Tuple]] = []

    def walk(self, module: cst.Module) -> None:
        """Every node in source order; a name is assigned once its value has been read
        (after the calls in it), a loop's target before its body."""
        pending: List[Tuple[bool, cst.CSTNode]] = [(False, module)]
        while pending:
            leaving, node = pending.pop()
            kind = type(node)
            if leaving:
                if kind is cst.FunctionDef:
                    self.done.append(self.stack.pop())
                elif kind is cst.Assign:
                    for target in node.targets:
                        self._assigned(target.target)
                else:  # AnnAssign, AugAssign
                    self._assigned(node.target)
                continue
            if kind is cst.FunctionDef:
                self.stack.append([])
            elif kind is cst.Call:
                self._call(node)
            elif kind is cst.For:
                self._assigned(node.target)
            if kind in _LEFT:
                pending.append((True, node))
            pending.extend((False, child) for child in reversed(cst_children(node)))

    def _call(self, node: cst.Call) -> None:
        events, callee = self.stack[-1], _callee(node)
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "input_shape" or (keyword == "shape" and callee == "Input"):
                name = _whole_shape_of(arg.value)
                if name is not None:
                    events.append(("declared", name, node, keyword))
        if callee in _DATA_METHODS and isinstance(node.func, cst.Attribute):
            data = next((a.value for a in node.args if a.keyword is None), None)
            if data is None:
                data = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "x"), None)
            if isinstance(data, cst.Name):
                events.append(("fed", data.value, node, callee))

    def _assigned(self, target) -> None:
        for name in _names_in(target):
            self.stack[-1].append(("assigned", name, None, None))


# The nodes with something to do once their children are walked.
_LEFT = (cst.FunctionDef, cst.Assign, cst.AnnAssign, cst.AugAssign)


def _names_in(target) -> List[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _names_in(element.value)]
    return []


# Words that name a data split: `X_train`, `x_test`, `train_images`, `val_data`.
_SPLIT_WORDS = {"train", "test", "val", "valid", "validation"}


def named_as_data_split(name: str) -> bool:
    """Whether ``name`` says it holds a whole data split (samples first): ``X_train``, ``xtest``."""
    lowered = name.lower()
    return bool(_SPLIT_WORDS & set(lowered.split("_"))) or lowered in {"xtrain", "xtest", "trainx", "testx"}


# `.shape` (comments and line breaks allowed around the dot), the one form a declaration reads,
# and the keywords it is given to.
# A comment runs to its line's end, so the text between two tokens splits one way only
# (a comment that could stop early makes a line of #### split every way: exponential).
_GAP = r"(?:[\s\\]|#[^\n]*(?:\n|$))*"
_SHAPE_ATTRIBUTE = re.compile(r"\." + _GAP + r"shape\b")
_SHAPE_KEYWORD = re.compile(r"\b(?:input_)?shape" + _GAP + r"=(?!=)")
_BLANK = re.compile(_GAP)


def _may_declare(text: str) -> bool:
    """Whether ``text`` gives a ``shape=`` or ``input_shape=`` keyword and has a ``.shape``
    that is not indexed, called or read further: what a declaration needs (a cheap look at
    the text, so most files skip the walk)."""
    if _SHAPE_KEYWORD.search(text) is None:
        return False
    for match in _SHAPE_ATTRIBUTE.finditer(text):
        after = _BLANK.match(text, match.end()).end()
        if text[after:after + 1] not in ("[", "(", "."):
            return True
    return False


def _scope_events(source) -> List[List[Tuple]]:
    return _module_events(source.module) if _may_declare(source.text) else []


@lru_cache(maxsize=4)
def _module_events(module: cst.Module) -> List[List[Tuple]]:
    """Each scope's events, in the order written: one walk of the module for every rule that
    asks (modules hash by identity)."""
    scopes = _Scopes()
    scopes.walk(module)
    return scopes.done + scopes.stack


def data_split_shapes(source) -> Iterator[Tuple[cst.Call, str, str]]:
    """(layer or Input call, keyword, array name) for each input shape written as
    ``NAME.shape`` where the name says it is a data split, whether or not it is given as data
    in the code read (a pasted fragment)."""
    for events in _scope_events(source):
        for kind, name, call, keyword in events:
            if kind == "declared" and named_as_data_split(name):
                yield call, keyword, name


def whole_array_shapes(source) -> Iterator[Tuple[cst.Call, str, str, cst.Call, str]]:
    """(layer or Input call, keyword, array name, data call, its method) for each input shape
    written as ``NAME.shape`` where the same value of ``NAME`` is then given as data in the
    same scope (no assignment to ``NAME`` in between)."""
    for events in _scope_events(source):
        for index, (kind, name, call, keyword) in enumerate(events):
            if kind != "declared":
                continue
            for later_kind, later_name, later_call, method in events[index + 1:]:
                if later_name != name:
                    continue
                if later_kind == "fed":
                    yield call, keyword, name, later_call, method
                if later_kind != "declared":
                    break
