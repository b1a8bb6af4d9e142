"""The rule registry and the context rules read from.

A rule is a function decorated with ``@rule(code, name, severity, summary)`` that
yields findings through ``ctx.report``, the single place findings are made. The
registry fills itself when the rule modules are imported.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, Iterable, List, Optional

from ..diagnostics import Confidence, Finding, Severity, message
from ..graph import Layer, Node, Site
from ..layers.base import REFUSED_CALLS


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: Callable[["RuleContext"], Iterable[Finding]]
    enabled_by_default: bool = True

    @property
    def doc(self) -> str:
        """The rule's four-part documentation: what it does, why it is bad, example, use instead."""
        return inspect.cleandoc(self.check.__doc__ or "")


_RULES: Dict[str, Rule] = {}
_REFUSED = REFUSED_CALLS + ("bad_value",)  # binding problems, and argument values Keras refuses (AL110)


def rule(code: str, name: str, severity: Severity, summary: str, enabled_by_default: bool = True):
    def register(fn):
        if code in _RULES:
            raise RuntimeError(f"rule {code} registered twice")
        _RULES[code] = Rule(code, name, severity, summary, fn, enabled_by_default)
        return fn

    return register


def all_rules() -> List[Rule]:
    from . import load_rules

    load_rules()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> Optional[Rule]:
    from . import load_rules

    load_rules()
    return _RULES.get(code)


@dataclass
class RuleContext:
    """What the rules see of one file: its layers and graph, or why it could not be read."""

    path: str
    layers: List[Layer] = field(default_factory=list)
    models: List = field(default_factory=list)  # the models the file's entries build
    notes: List = field(default_factory=list)  # (Site, message) the interpreter could not follow
    budget_hits: List = field(default_factory=list)  # (Site, message)
    assumed_names: List = field(default_factory=list)  # (Site, name, what it was read as) in a snippet
    unparsable: Optional[object] = None  # source.Unparsable
    source: Optional[object] = None  # source.Source: the parsed code, for rules about how it is written
    array_problems: List = field(default_factory=list)  # (Site, message): data code numpy refuses
    _consumers: Optional[Dict[int, List[Node]]] = field(default=None, repr=False)
    _nodes: Optional[List[Node]] = field(default=None, repr=False)
    _all_models: Optional[List] = field(default=None, repr=False)

    def report(self, code: str, site: Site, confidence: Confidence = Confidence.CERTAIN, fixes=(), related=(),
               **fields) -> Finding:
        """A finding at ``site``; ``related``: (Site, what it is) of other code it is about."""
        spec = _RULES[code]
        path = site.path or self.path  # a spot inside an imported project module names that file
        others = tuple((s.path or self.path, s.line, s.col, text) for s, text in related if s.line)
        return Finding(code, spec.name, spec.severity, path, site.line, site.col, message(code, **fields), confidence,
                       tuple(fixes), site.end_line, site.end_col, others)

    @staticmethod
    def refused(layer: Layer) -> bool:
        """Whether Keras refuses to create the layer at all (AL105, AL110): other rules skip it."""
        return any(kind in _REFUSED for kind, _ in layer.problems)

    def all_models(self) -> List:
        """The file's models and, recursively, the models they use as layers."""
        if self._all_models is None:
            found: List = []
            seen = set()
            stack = list(self.models)
            while stack:
                model = stack.pop()
                if id(model) in seen:
                    continue
                seen.add(id(model))
                found.append(model)
                stack.extend(layer.spec.model for layer in model.layers if hasattr(layer.spec, "model"))
            self._all_models = found
        return list(self._all_models)

    def nodes(self) -> List[Node]:
        """Every call of every layer the file made (read by most rules: listed once)."""
        if self._nodes is None:
            self._nodes = [node for layer in self.layers for node in layer.nodes]
        return self._nodes

    def consumers(self, tensor) -> List[Node]:
        """The calls that take ``tensor`` as an input."""
        if self._consumers is None:
            self._consumers = {}
            for node in self.nodes():
                for t in node.input_tensors:
                    self._consumers.setdefault(id(t), []).append(node)
        return self._consumers.get(id(tensor), [])


def run_rules(ctx: RuleContext, codes: Optional[Iterable[str]] = None) -> List[Finding]:
    """Run the rules (all enabled by default, or exactly ``codes``); dedupe and sort."""
    wanted = set(codes) if codes is not None else None
    seen = set()
    findings: List[Finding] = []
    for spec in all_rules():
        if wanted is not None and spec.code not in wanted:
            continue
        if wanted is None and not spec.enabled_by_default:
            continue
        try:
            produced = list(spec.check(ctx))
        except Exception as error:  # a rule's own bug must cost only that rule, on that file
            produced = [Finding("AL906", "internal-error", Severity.WARNING, ctx.path, 1, 0,
                                message("AL906", what=f"rule {spec.code}", detail=f"{type(error).__name__}: {error}"))]
        for finding in produced:
            key = (finding.code, finding.line, finding.col, finding.message)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return sorted(_one_per_spot(findings), key=Finding.sort_key)


def _one_per_spot(findings: List[Finding]) -> List[Finding]:
    """One finding per rule and source spot: a line run in a loop or a helper called many
    times reports once, saying how many more times it applies."""
    groups: Dict[tuple, List[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.code, finding.path, finding.line, finding.col), []).append(finding)
    out = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            more = len(group) - 1
            fixes = tuple(dict.fromkeys(fix for finding in group for fix in finding.fixes))
            first = replace(first, fixes=fixes,
                            message=f"{first.message} (and {more} more time{'s' if more > 1 else ''} from this line)")
        out.append(first)
    return out
