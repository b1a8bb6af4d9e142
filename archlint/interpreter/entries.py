"""Entries: which code to run to find a file's models, and the models each one yields.

The module entry runs the file's top level as ``python file.py`` would (``__name__`` is
``"__main__"``, so a script's ``if __name__ == "__main__":`` block runs too) and reports
every model it builds, in the order they are built: the
ones bound to module-level names, and the ones built on the way (inside helpers, held by
objects, nested in other models, or bound to a name later rebound). When there are
none, each top-level function callable with its defaults is an entry of its own,
run with fresh Keras naming counters as a new Keras session would. Entries given
(``--entry``, repeatable) run after the module, which then runs as an import would (no
``__main__`` block), in order: each a name, a dotted name
(``Builder.build``, called with its defaults) or a call expression, evaluated statically
in the module's namespace; the module's own models are reported first.

Models that Keras's own source builds (a ``keras.applications`` builder's inner
Sequential) are reported only when they are not a layer of another model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, List, Optional, Sequence, Tuple, Union

import libcst as cst

from ..graph import Layer, Model, Naming, Site
from ..project import installed_keras_root
from ..source import Source
from ..unknown import UNKNOWN
from .core import Interpreter
from .classes import BoundUserMethod
from .values import UserFunction


@dataclass
class EntryResult:
    entry: str  # "module" | "function:NAME" | "call:EXPR"
    models: List[Model]
    notes: List[Tuple[Site, str]] = field(default_factory=list)
    budget_hits: List[Tuple[Site, str]] = field(default_factory=list)


@dataclass
class Analysis:
    source: Source
    entries: List[EntryResult]
    error: Optional[str] = None  # e.g. an --entry that does not resolve
    layers: List[Layer] = field(default_factory=list)  # every layer the code constructed
    assumed_names: List[Tuple[Site, str, str]] = field(default_factory=list)  # a snippet's unimported names
    array_problems: List[Tuple[Site, str]] = field(default_factory=list)  # numpy would raise here
    imported: List[str] = field(default_factory=list)  # the project modules it read (real paths)

    @property
    def models(self) -> List[Tuple[str, Model]]:
        return [(e.entry, m) for e in self.entries for m in e.models]


def _models_in(value: Any) -> List[Model]:
    if isinstance(value, Model):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        out: List[Model] = []
        for item in value:
            for model in _models_in(item):
                if model not in out:
                    out.append(model)
        return out
    return []


def _library_built(model: Model, analyzed: str) -> bool:
    root = installed_keras_root()
    path = os.path.abspath(model.site.path or analyzed)
    return bool(root and path.startswith(os.path.join(root, "keras") + os.sep))


def _built_since(interp: Interpreter, start: int, value: Any = None) -> List[Model]:
    """The models built since ``interp.created_models[start]``, then any other model in value."""
    built = interp.created_models[start:]
    nested = {id(layer) for model in built for layer in model.layers}
    models = [m for m in built if not (_library_built(m, interp.source.path) and m._as_layer is not None and id(m._as_layer) in nested)]
    for model in _models_in(value):
        if model not in models:
            models.append(model)
    for model in models:
        skipped = interp.gave_up_while_building(model)
        if skipped:
            site, message = skipped[0]
            problem = f"the analysis gave up on code while building it (line {site.line}: {message})"
            if problem not in model.problems:
                model.problems.append(problem)
    return models


def _callable_with_defaults(function: UserFunction) -> bool:
    params = function.node.params
    if isinstance(function.node, cst.Lambda):
        return False
    named = [*params.posonly_params, *params.params, *params.kwonly_params]
    return all(p.name.value in function.defaults for p in named)


def _take(interp: Interpreter, entry: str, models: List[Model], notes_from: int, hits_from: int) -> EntryResult:
    return EntryResult(entry, models, interp.notes[notes_from:], interp.budget_hits[hits_from:])


def analyze(source: Source, entry: Union[None, str, Sequence[str]] = None,
            source_roots: Sequence[str] = (), assumptions=None, keras_version: str = "3") -> Analysis:
    """Run the module, then each entry (a name, dotted name or call) in order; without one,
    run it as a script and report what it builds, else explore its functions.
    ``assumptions``: values the user gives names the code leaves unknown; ``keras_version``:
    the Keras whose signatures and defaults apply."""
    entries = [entry] if isinstance(entry, str) else list(entry or [])
    module_name = "analyzed" if entries else "__main__"
    interp = Interpreter(source, module_name, source_roots, assumptions, keras_version)
    interp.run_module()
    if entries:
        module_models = _built_since(interp, 0, list(interp.globals.vars.values()))
        results = [_take(interp, "module", module_models, 0, 0)] if module_models else []
        analysis = Analysis(source, results)
        for one in entries:
            selected = _select(source, interp, one)
            analysis.entries += selected.entries
            analysis.error = analysis.error or selected.error
    else:
        analysis = _discover(source, interp)
    analysis.layers = interp.layers
    analysis.assumed_names = interp.snippet.assumed
    analysis.array_problems = interp.array_problems
    analysis.imported = sorted(interp.modules)
    return analysis


def _is_dotted(expression) -> bool:
    """``name`` or ``name.attr.attr``: safe to evaluate to find what an entry names."""
    while isinstance(expression, cst.Attribute):
        expression = expression.value
    return isinstance(expression, cst.Name)


def _discover(source: Source, interp: Interpreter) -> Analysis:
    top_level = interp.globals.vars
    module_models = _built_since(interp, 0, list(top_level.values()))
    if module_models or interp.budget_hits:
        return Analysis(source, [_take(interp, "module", module_models, 0, 0)])

    results = []
    functions = [v for v in top_level.values() if isinstance(v, UserFunction) and v.scope is interp.globals]
    for function in functions:
        if not _callable_with_defaults(function):
            continue
        start_notes, start_hits, start_models = len(interp.notes), len(interp.budget_hits), len(interp.created_models)
        start_layers = len(interp.layers)
        interp.naming = Naming()
        value = interp.guarded(lambda f=function: interp.call_user(f, [], {}, Site()))
        models = _built_since(interp, start_models, value)
        if not models:
            # A helper archlint called with arguments nobody wrote (`Conv(*args, **kwargs)` called
            # bare): the layers it made belong to no model and are no evidence of a bug.
            del interp.layers[start_layers:]
        if models or len(interp.budget_hits) > start_hits:
            results.append(_take(interp, f"function:{function.name}", models, start_notes, start_hits))
    if not results and (interp.notes or interp.budget_hits):
        results.append(_take(interp, "module", [], 0, 0))
    return Analysis(source, results)


def _select(source: Source, interp: Interpreter, entry: str) -> Analysis:
    try:
        expression = cst.parse_expression(entry)
    except Exception:
        return Analysis(source, [], error=f"--entry {entry!r} is not a name or a call expression")
    is_name = isinstance(expression, (cst.Name, cst.Attribute))
    if is_name:
        value = interp.guarded(lambda: interp.eval(expression, interp.globals)) if _is_dotted(expression) else UNKNOWN
        if isinstance(value, (UserFunction, BoundUserMethod)):
            expression = cst.Call(func=expression)
        elif not _models_in(value):
            return Analysis(source, [], error=f"--entry {entry!r}: no function or model of that name at module level")
    refused = _unknown_keywords(interp, expression, entry)
    if refused:
        return Analysis(source, [], error=refused)
    start_notes, start_hits, start_models = len(interp.notes), len(interp.budget_hits), len(interp.created_models)
    value = interp.guarded(lambda: interp.eval(expression, interp.globals))  # in the module's Keras session
    label = ("function:" if isinstance(expression, cst.Call) else "module:") + entry if is_name else f"call:{entry}"
    result = _take(interp, label, _built_since(interp, start_models, value), start_notes, start_hits)
    if not result.models and not result.budget_hits:
        return Analysis(source, [result], error=f"--entry {entry!r} builds no Keras model")
    return Analysis(source, [result])


def _unknown_keywords(interp: Interpreter, expression, entry: str) -> Optional[str]:
    """Why a call entry cannot run as written: a keyword the function does not take (a typo
    such as ``num_clases=3`` would otherwise build the default model in silence)."""
    if not isinstance(expression, cst.Call):
        return None
    func = interp.guarded(lambda: interp.eval(expression.func, interp.globals))
    if isinstance(func, BoundUserMethod):
        func = func.function
    if not isinstance(func, UserFunction) or not isinstance(func.node, cst.FunctionDef):
        return None
    params = func.node.params
    if params.star_kwarg is not None:
        return None
    names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    for arg in expression.args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is not None and keyword not in names:
            import difflib

            close = difflib.get_close_matches(keyword, names, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (it takes: {', '.join(names) or 'nothing'})"
            return f"--entry {entry!r}: {func.name}() has no parameter `{keyword}`{hint}"
    return None
