"""AL5xx rules read from how the code is written, not from the model graph: an input shape
taken from a whole data array's ``.shape`` when that array is what the model is fed.

These look at the parsed source only (one scope at a time); they never evaluate anything
and report nothing about code they cannot see (an array built in another module).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, List, Optional, Tuple

import libcst as cst

from ..diagnostics import Confidence, Severity
from .base import rule

_DATA_METHODS = ("fit", "predict", "evaluate", "train_on_batch", "predict_on_batch", "test_on_batch")


def _whole_shape_of(value: cst.BaseExpression) -> Optional[str]:
    """``X`` for ``X.shape`` (not ``X.shape[1:]``), else None."""
    if isinstance(value, cst.Attribute) and value.attr.value == "shape" and isinstance(value.value, cst.Name):
        return value.value.value
    return None


def _callee(call: cst.Call) -> str:
    func = call.func
    return func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""


class _Scopes(cst.CSTVisitor):
    """Per function (and the module), in the order written: the calls declaring an input
    shape as ``NAME.shape``, the names given as data to fit()/predict()/evaluate(), and the
    names assigned (a new value breaks the link between a declaration and later data)."""

    def __init__(self):
        self.stack: List[List[Tuple]] = [[]]
        self.done: List[List[Tuple]] = []

    def visit_FunctionDef(self, node) -> None:
        self.stack.append([])

    def leave_FunctionDef(self, node) -> None:
        self.done.append(self.stack.pop())

    def visit_Call(self, node: cst.Call) -> None:
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

    def leave_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assigned(node.target)

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        self._assigned(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._assigned(node.target)


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


@lru_cache(maxsize=4)
def _scope_events(module: cst.Module) -> List[List[Tuple]]:
    """Each scope's events, in the order written: one walk of the module for every rule that
    asks (modules hash by identity)."""
    scopes = _Scopes()
    module.visit(scopes)
    return scopes.done + scopes.stack


def data_split_shapes(module: cst.Module) -> Iterator[Tuple[cst.Call, str, str]]:
    """(layer or Input call, keyword, array name) for each input shape written as
    ``NAME.shape`` where the name says it is a data split, whether or not it is given as data
    in the code read (a pasted fragment)."""
    for events in _scope_events(module):
        for kind, name, call, keyword in events:
            if kind == "declared" and named_as_data_split(name):
                yield call, keyword, name


def whole_array_shapes(module: cst.Module) -> Iterator[Tuple[cst.Call, str, str, cst.Call, str]]:
    """(layer or Input call, keyword, array name, data call, its method) for each input shape
    written as ``NAME.shape`` where the same value of ``NAME`` is then given as data in the
    same scope (no assignment to ``NAME`` in between)."""
    for events in _scope_events(module):
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


@rule("AL506", "input-shape-with-samples", Severity.WARNING,
      "An input shape taken from the whole data array's `.shape`, which counts the samples too.")
def input_shape_with_samples(ctx):
    """What it does: finds `input_shape=X.shape` (or `keras.Input(shape=X.shape)`) where the
    same `X` is then given to `fit()`, `predict()` or `evaluate()` in the same function or
    module, with no new value assigned to `X` in between; or where the name says `X` is a
    data split (`X_train`, `x_test`, `val_data`), the code that feeds it aside.

    Why is this bad: an array's first axis counts the samples; Keras adds the batch axis to
    the input shape itself. The model then expects each sample to be the whole data set, one
    rank too many, and refuses `X`.

    Example:
        model.add(layers.Dense(7, input_shape=x.shape))
        model.fit(x, y)

    Use instead:
        model.add(layers.Dense(7, input_shape=x.shape[1:]))
        model.fit(x, y)
    """
    source = ctx.source
    if source is None:
        return
    reported = set()
    for call, keyword, name, fed, method in whole_array_shapes(source.module):
        site, fed_at = source.locate(call), source.locate(fed)
        if site is None:
            continue
        reported.add(call)
        related = [(fed_at, f"`{name}` is given to {method}() here")] if fed_at is not None else []
        yield ctx.report("AL506", site, related=related, detail=(
            f"`{keyword}={name}.shape` counts the samples: `{name}` is the data given to {method}()"
            + (f" at line {fed_at.line}" if fed_at is not None else "")
            + f", so each sample is `{name}.shape[1:]`"))
    for call, keyword, name in data_split_shapes(source.module):
        site = source.locate(call)
        if site is not None and call not in reported:
            yield ctx.report("AL506", site, confidence=Confidence.INFERRED, detail=(
                f"`{keyword}={name}.shape` counts the samples: `{name}` is named as a data split, whose first "
                f"axis is the sample count, so each sample is `{name}.shape[1:]`"))
