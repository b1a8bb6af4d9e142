"""AL1xx shape errors found by the catalog: layers Keras would refuse to build.

The catalog records a ``ShapeError`` on the node; these rules only report it. They
fire only on facts computed from known dims, so code that runs is never flagged.
"""

from __future__ import annotations

from ..diagnostics import Severity
from .base import rule


@rule("AL101", "nonpositive-dimension", Severity.ERROR,
      "A kernel, pool or stride larger than its input makes an output dimension zero or negative.")
def nonpositive_dimension(ctx):
    for node in ctx.nodes():
        if node.problem is not None and node.problem.kind == "nonpositive_dim":
            yield ctx.report("AL101", node.site, layer=node.layer.name, cls=node.layer.class_name, detail=node.problem.message)


@rule("AL103", "inconsistent-concatenation", Severity.ERROR,
      "Concatenate inputs differ on a dimension other than the concatenation axis.")
def inconsistent_concatenation(ctx):
    for node in ctx.nodes():
        problem = node.problem
        if problem is not None and node.layer.keras_class == "Concatenate" and problem.kind in ("concat_mismatch", "bad_axis"):
            yield ctx.report("AL103", node.site, layer=node.layer.name, detail=problem.message)
