"""The abstract interpreter: state, budgets and user-function calls.

One ``Interpreter`` runs one analyzed module. It owns Keras's naming counters, the
models built so far, the notes about spots it could not follow, and the budgets that
keep ``while True:`` or runaway recursion in the analyzed file from hanging archlint.
"""

from __future__ import annotations

import os
import re

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from .. import limits
from ..assumptions import Assumption
from ..graph import Layer, Model, Naming, Site
from ..layers import lookup
from ..layers.base import Unresolved
from ..project import ModuleFinder
from ..source import Source
from ..unknown import UNKNOWN
from .classes import ClassSupport
from .custom_layers import CustomLayerSupport
from .expressions import ExpressionEvaluator
from .imports import ImportSupport
from .keras_api import KerasAPI, keras_member
from .scope import Scope
from .snippets import SnippetNames
from .statements import StatementExecutor
from .arrays import Array
from .values import BudgetExceeded, Builtin, ModuleRef, ProjectModule, RaiseSignal, ReturnSignal, UserFunction

MAX_LOOP_ITERATIONS = 10_000
MAX_CALL_DEPTH = 48
MAX_STEPS = 1_000_000
LOOK_EVERY = 16  # steps between two looks at the budgets (limits.py looks at the clock at most this often)

# Keras members that resolve through a star import besides catalog layers.
_STAR_MEMBERS = {"Input", "InputLayer", "Model", "Sequential", "concatenate", "add", "subtract",
                 "multiply", "average", "maximum", "minimum"}

_ASSUME_HINTS = {"value": "--assume {}=VALUE", "shape": '--assume "{}.shape=(...)"', "len": '--assume "len({})=N"'}


class Interpreter(ExpressionEvaluator, StatementExecutor, ImportSupport, ClassSupport, CustomLayerSupport):
    def __init__(self, source: Source, module_name: str = "analyzed", source_roots: Sequence[str] = (),
                 assumptions: Optional[Dict[str, Assumption]] = None, keras_version: str = "3"):
        self.source = source
        self.module_name = module_name
        self.keras_version = keras_version  # "2" or "3": whose signatures and defaults apply
        # name -> the value the user says it has where the code does not (--assume)
        self.assumed: Dict[str, Any] = {
            a.name: Array(a.value) if a.is_shape else Array((a.value,)) if a.is_length else a.value
            for a in (assumptions or {}).values()
        }
        self.finder = ModuleFinder(source.path, source_roots)
        self.modules: Dict[str, Optional[ProjectModule]] = {}  # real path -> module (None: unreadable)
        self.sources: List[Source] = []  # imported modules' sources, for the sites of their nodes
        self.naming = Naming()
        self.layers: List[Layer] = []  # every layer constructed, in order
        self.created_models: List[Model] = []  # every model constructed, in order
        self.built_at: Dict[int, int] = {}  # id of a layer or model -> the step it was built at
        self.note_steps: List[Tuple[int, Tuple[Site, str]]] = []  # (step, note) of each note
        self.stop_steps: List[Tuple[int, Tuple[Site, str]]] = []  # (step, why) where an entry's analysis stopped
        self.notes: List[Tuple[Site, str]] = []
        self.array_problems: List[Tuple[Site, str]] = []  # data code numpy refuses: a reshape to another size
        self.budget_hits: List[Tuple[Site, str]] = []
        self.keras = KerasAPI(self)
        self.snippet = SnippetNames(source.tree, self.resolves)  # a file using Keras's names unimported
        self.globals = Scope()
        self.globals.file = source.path
        self.depth = 0
        self.tracing = 0  # > 0 while a custom layer's call() runs to find its output shape
        # keras.backend.set_image_data_format(...) / Keras 2's set_image_dim_ordering(...)
        self.image_data_format = "channels_last"
        # keras.mixed_precision.set_global_policy(...): the dtype policy of the layers made
        # after it, when they name none ("unknown" when the policy is not a name the code gives).
        self.dtype_policy: Optional[str] = None
        self.bound_names: Dict[int, Tuple[Any, Any]] = {}  # id(loop node) -> (node, names its body binds)
        # names the statement read as unknown -> how: "value", "shape" (x.shape) or "len" (len(x))
        self.unknown_reads: Dict[str, str] = {}
        # position or keyword -> name, of the unknown arguments of the Keras call being made
        self.unknown_arguments: Dict[Any, str] = {}
        self.assumptions = 0  # how many undecidable `if`s the current path went through
        self.frames: List[Tuple[Any, Any]] = []  # (function, first argument) of each active call
        self.steps = 0
        self.steps_metered = 0  # the steps already counted against the file's time and memory budget
        self.next_look = LOOK_EVERY  # the step at which the budgets are looked at next
        self.last_site = Site()  # the innermost call or loop reached, for budget reports

    # --- bookkeeping -------------------------------------------------------------------
    def site(self, node) -> Site:
        found = self.source.locate(node)
        if found is not None:
            return found
        for imported in self.sources:
            found = imported.locate(node)
            if found is not None:
                return Site(found.line, found.col, imported.path)
        return Site()

    def record_layer(self, layer: Layer) -> None:
        self.built_at[id(layer)] = self.steps
        self.layers.append(layer)

    def created(self, model: Model) -> Model:
        self.built_at[id(model)] = self.steps
        self.created_models.append(model)
        return model

    def gave_up_while_building(self, model: Model) -> List[Tuple[Site, str]]:
        """Where the analysis gave up while the model was being built: the notes made between
        the first of its layers and the last (code there may have held layers it lacks), and,
        for a Sequential model, which later code can still ``add()`` to, a stop after that."""
        steps = [self.built_at[id(x)] for x in (model, *model.layers) if id(x) in self.built_at]
        if not steps:
            return []
        first, last = min(steps), max(steps)
        found = [note for step, note in self.note_steps if first <= step <= last]
        if model.kind == "Sequential":
            found += [why for step, why in self.stop_steps if step >= first]
        return found

    def add_import_root(self, directory: str, first: bool = False) -> None:
        """``sys.path.append(directory)``: relative to the analyzed script's directory."""
        self.finder.add_root(os.path.join(os.path.dirname(os.path.abspath(self.source.path)), directory), first)

    def note_assumable(self, site: Site, what: str) -> None:
        """``what`` (a layer, an input) is not known because of names this statement read as
        unknown: the note names them and the --assume that would settle them."""
        if not self.unknown_reads:
            return
        hints = ", ".join(_ASSUME_HINTS[how].format(n) for n, how in sorted(self.unknown_reads.items()))
        names = ", ".join(f"`{n}`" for n in sorted(self.unknown_reads))
        self.note(site, f"{what} depends on {names}, which the code does not determine (data, files, environment); "
                        f"say it with {hints}")

    def note_symbolic(self, site: Site, what: str, sizes) -> None:
        """``what`` keeps sizes only the data knows as symbols (its counts are formulas): the
        note names the data and the --assume that would give numbers. Not a gap: nothing
        was skipped."""
        reads: Dict[str, str] = {}
        for size in sizes:
            for name in size.names:
                shape = re.fullmatch(r"(.+)\.shape\[-?\d+\]", name)
                length = re.fullmatch(r"len\((.+)\)", name)
                reads[shape.group(1) if shape else length.group(1) if length else name] = (
                    "shape" if shape else "len" if length else "value")
        hints = ", ".join(_ASSUME_HINTS[how].format(n) for n, how in sorted(reads.items()))
        names = ", ".join(f"`{n}`" for n in sorted(reads))
        self.note(site, f"{what} depends on {names}, which the code does not determine (data, files, environment): "
                        f"its sizes stay symbolic; say it with {hints}", gap=False)

    def note(self, site: Site, message: str, gap: bool = True) -> None:
        """``gap``: the analysis skipped something here (a model built across it is incomplete)."""
        if gap:
            self.note_steps.append((self.steps, (site, message)))
        if (site, message) not in self.notes:
            self.notes.append((site, message))

    def tick(self, node, work: int = 1) -> None:
        """Count ``work`` steps (a statement, a call, or the items a builtin touched) against
        the step budget, and look at the file's time and memory budget now and then."""
        self.steps += work
        if self.steps >= self.next_look:  # one comparison per step: the looks are rare
            self._look_at_budgets()

    def _look_at_budgets(self) -> None:
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(f"analysis stopped after {MAX_STEPS:,} steps", self.last_site, self.assumptions > 0)
        self.next_look = min(self.steps + LOOK_EVERY, MAX_STEPS + 1)
        work, self.steps_metered = self.steps - self.steps_metered, self.steps
        try:
            limits.check(work)
        except limits.OverBudget as over:  # stopped where it was, as any budget: the models built so far stay
            raise BudgetExceeded(over.what, self.last_site) from None

    def bounded(self, items: Optional[Iterable[Any]], node) -> Iterable[Any]:
        """Iterate ``items`` (or forever when ``None``), at most ``MAX_LOOP_ITERATIONS`` times."""
        count = 0
        self.last_site = self.site(node)
        iterator = iter(items) if items is not None else None
        while True:
            if iterator is not None:
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            else:
                item = None
            count += 1
            if count > MAX_LOOP_ITERATIONS:
                raise BudgetExceeded(f"loop unrolled more than {MAX_LOOP_ITERATIONS:,} times", self.site(node), self.assumptions > 0)
            yield item

    def resolves(self, ref: ModuleRef) -> bool:
        member = keras_member(ref)
        return member is not None and (member in _STAR_MEMBERS or lookup(member) is not None)

    # --- running -----------------------------------------------------------------------
    def run_module(self) -> None:
        """Execute the module body. Budget overruns stop the run and are recorded."""
        self.guarded(lambda: self.exec_block(self.source.module.body, self.globals))

    def guarded(self, action) -> Any:
        try:
            return action()
        except BudgetExceeded as hit:
            if hit.site is None:  # raised where no site is known (a builtin): the statement running
                hit.site = self.last_site
            if hit.assumed:
                self.note(hit.site, f"{hit.what} on a path through an undecided condition; analysis stopped there")
            else:
                self.budget_hits.append((hit.site, hit.what))
            self.stop_steps.append((self.steps, (hit.site, hit.what)))
        except (ReturnSignal, RaiseSignal):
            pass
        except Unresolved as lost:  # a value a layer needs, outside any layer's build (add_weight in __init__)
            why = (self.last_site, f"analysis stopped: {lost} is not known statically")
            self.note(*why)
            self.stop_steps.append((self.steps, why))
        except RecursionError:
            self.budget_hits.append((Site(), "analysis stopped: the code nests too deeply"))
            self.stop_steps.append((self.steps, self.budget_hits[-1]))
        except Exception as error:  # noqa: BLE001 - a bug in archlint must not end the whole run
            what = f"analysis stopped: internal error ({type(error).__name__}: {str(error)[:80]}); please report this"
            self.budget_hits.append((self.last_site, what))
            self.stop_steps.append((self.steps, self.budget_hits[-1]))
        return UNKNOWN

    def evaluate_defaults(self, params: cst.Parameters, scope: Scope) -> Dict[str, Any]:
        defaults: Dict[str, Any] = {}
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            if param.default is not None:
                defaults[param.name.value] = self.eval(param.default, scope)
        return defaults

    def call_user(self, function: UserFunction, args: List[Any], kwargs: Dict[str, Any], site: Site) -> Any:
        if self.depth >= MAX_CALL_DEPTH:
            raise BudgetExceeded(f"calls nested more than {MAX_CALL_DEPTH} deep (runaway recursion?)", site, self.assumptions > 0)
        node = function.node
        scope = function.scope.child()
        self._bind_parameters(node.params, function.defaults, args, kwargs, scope)
        self.depth += 1
        self.frames.append((function, args[0] if args else None))
        first_layer = len(self.layers)
        result: Any = None
        try:
            if isinstance(node, cst.Lambda):
                result = self.eval(node.body, scope)
            else:
                self.exec_block(node.body.body, scope)
        except ReturnSignal as returned:
            result = returned.value
        except RaiseSignal:
            result = UNKNOWN
        finally:
            self.depth -= 1
            self.frames.pop()
        if isinstance(result, (UserFunction, Builtin)):  # a helper returning a function (compose(...))
            for layer in self.layers[first_layer:]:
                layer.escaped = True  # whether it is called is up to whoever calls the function
        return result

    def _bind_parameters(self, params: cst.Parameters, defaults, args, kwargs, scope: Scope) -> None:
        positional = [*params.posonly_params, *params.params]
        kwargs = dict(kwargs)
        for param, value in zip(positional, args):
            scope.assign(param.name.value, value)
        extra = args[len(positional):]
        star = params.star_arg
        if isinstance(star, cst.Param):
            scope.assign(star.name.value, tuple(extra))
        for param in [*positional[len(args):], *params.kwonly_params]:
            name = param.name.value
            if name in kwargs:
                scope.assign(name, kwargs.pop(name))
            elif name in defaults:
                scope.assign(name, defaults[name])
            else:
                scope.assign(name, UNKNOWN)
        if params.star_kwarg is not None:
            scope.assign(params.star_kwarg.name.value, kwargs)
