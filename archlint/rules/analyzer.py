"""AL9xx: the analyzer itself — unparsable files, spots it could not follow, budgets."""

from __future__ import annotations

from ..diagnostics import Severity
from .base import rule


@rule("AL901", "syntax-error", Severity.ERROR, "The file is not valid Python.")
def syntax_error(ctx):
    bad = ctx.unparsable
    if bad is not None and bad.code == "AL901":
        yield ctx.report("AL901", bad.site, detail=bad.message)


@rule(
    "AL903", "analysis-incomplete", Severity.INFO,
    "Part of a model could not be resolved statically; its summary is partial.",
    enabled_by_default=False,
)
def analysis_incomplete(ctx):
    for site, text in ctx.notes:
        yield ctx.report("AL903", site, detail=text)
    for node in ctx.nodes():
        if node.unresolved_here:
            yield ctx.report("AL903", node.site, detail=f"{node.layer.name}: {node.unresolved}")


@rule("AL904", "analysis-budget-exceeded", Severity.WARNING,
      "A loop or recursion in the file ran past the analyzer's budget.")
def budget_exceeded(ctx):
    for site, text in ctx.budget_hits:
        yield ctx.report("AL904", site, detail=text)


@rule("AL905", "unparsable-source", Severity.WARNING,
      "Valid Python that archlint cannot parse: pathological nesting, or syntax libcst does not support.")
def too_complex(ctx):
    bad = ctx.unparsable
    if bad is not None and bad.code == "AL905":
        yield ctx.report("AL905", bad.site, detail=bad.message)
