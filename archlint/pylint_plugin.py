"""A pylint plugin: archlint's findings as pylint messages (``load-plugins=archlint.pylint_plugin``).

For each module pylint checks, the plugin takes the file behind astroid's module node and
runs archlint's analysis on it, with that file's own ``[tool.archlint]`` configuration
(which rules, Keras version, assumptions) and its ``# noqa`` comments; a severity the
configuration changes does not change the pylint category. Each rule is one pylint message: its
symbol is the rule's name (``bias-before-batchnorm``), its id the rule's code in pylint's
form (AL201 is W9201: E for errors, W for warnings, I for advice), and its text starts with
the archlint code. Disable a rule the pylint way (``--disable=bias-before-batchnorm``) or
archlint's (``ignore`` in ``[tool.archlint]``).

It needs pylint (and its astroid); nothing else in archlint imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pylint.checkers import BaseChecker
from pylint.constants import WarningScope

from .config import ConfigError, PerFile
from .diagnostics import Severity
from .rules import all_rules

if TYPE_CHECKING:  # pragma: no cover
    from astroid import nodes
    from pylint.lint import PyLinter

_CATEGORY = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.INFO: "I"}


def message_id(code: str, severity: Severity) -> str:
    """pylint's id for an archlint code: ``AL201`` (a warning) is ``W9201``."""
    return f"{_CATEGORY[severity]}9{code[2:]}"


class ArchlintChecker(BaseChecker):
    """Runs archlint on each module pylint reads and reports its findings in that module.

    pylint wants one checker per two-digit message family, so each rule family (AL1xx,
    AL2xx, ...) has its checker, all named ``archlint``; the first one runs the analysis
    and reports every family's findings through the linter."""

    name = "archlint"
    msgs: dict = {}
    runs_analysis = False

    def __init__(self, linter: "PyLinter") -> None:
        super().__init__(linter)
        self._configs = PerFile(None, None, None, None, [rule.code for rule in all_rules()])

    def visit_module(self, node: "nodes.Module") -> None:
        path = node.file
        if not self.runs_analysis or not path or not path.endswith(".py"):
            return
        from .pipeline import analyze_configured

        rules = {rule.code: rule for rule in all_rules()}
        try:
            config = self._configs(path)
        except ConfigError as error:
            self.linter.add_message(rules["AL902"].name, line=1, args=(str(error),))
            return
        for finding in analyze_configured(path, config).findings:
            if finding.path != path or finding.code not in rules or finding.code in _PYLINT_OWN:
                continue  # a finding in an imported module is reported when pylint checks that module
            self.linter.add_message(rules[finding.code].name, line=finding.line, col_offset=finding.col,
                                    args=(finding.message,), end_lineno=finding.end_line or None,
                                    end_col_offset=finding.end_col or None)


# pylint reports these itself (AL901 is its syntax-error, E0001).
_PYLINT_OWN = {"AL901"}


def _family_checkers():
    """One checker class per rule family, holding that family's messages."""
    families: dict = {}
    for rule in all_rules():
        if rule.code in _PYLINT_OWN:
            continue
        families.setdefault(rule.code[2], {})[message_id(rule.code, rule.severity)] = (
            f"{rule.code} %s", rule.name, rule.summary, {"scope": WarningScope.LINE})
    return [type(f"ArchlintAL{family}xxChecker", (ArchlintChecker,), {"msgs": msgs, "runs_analysis": index == 0})
            for index, (family, msgs) in enumerate(sorted(families.items()))]


def register(linter: "PyLinter") -> None:
    for checker in _family_checkers():
        linter.register_checker(checker(linter))
