"""The review report as GitHub-flavoured Markdown, made to be posted as a pull-request comment.

Per file and model: the totals (with deltas against the base revision), the layer rows
added, removed or changed, new and fixed findings, then collapsible sections with the
full summary table and the Mermaid diagram (GitHub renders it). A comment is capped at
GitHub's 65,536 characters: past ``LIMIT`` the diagrams go first, then the full tables,
and the report says what it left out.
"""

from __future__ import annotations

from typing import List, Optional

from .. import diagram
from ..review import FileReview, ModelReview
from ..summary import LayerRow, readable_size
from ..symbolic import Sym, format_sym

LIMIT = 60_000  # characters; GitHub refuses comments over 65,536
MARKER = "<!-- archlint-report -->"  # lets a CI job find and update its own comment


def count_text(value) -> str:
    if isinstance(value, Sym):
        return format_sym(value, thousands=True)
    return "?" if value is None else f"{value:,}"


def delta_text(value) -> str:
    if value is None:
        return "?"
    return f"+{value:,}" if value > 0 else f"{value:,}" if value < 0 else "0"


def shape_text(row: Optional[LayerRow]) -> str:
    if row is None or row.output_shape is None:
        return "?"
    return diagram.shape_text(row.output_shape)


def params_text(row: Optional[LayerRow]) -> str:
    if row is None:
        return ""
    if row.params is None and row.symbolic_params is not None:
        return format_sym(row.symbolic_params, thousands=True)
    return count_text(row.params) if row.built else "0 (unbuilt)"


def size_row(review: ModelReview) -> tuple:
    """(before, after, delta) of the model's size in memory, as Keras prints sizes."""
    def size(summary):
        return None if summary is None or summary.total_bytes is None else summary.total_bytes

    before, after = size(review.base), size(review.now)
    delta = None if before is None or after is None else after - before
    sign = "" if delta is None else "+" if delta > 0 else "−" if delta < 0 else ""
    return (readable_size(before) if before is not None else "—" if review.base is None else "?",
            readable_size(after) if after is not None else "—" if review.now is None else "?",
            "?" if delta is None else sign + readable_size(abs(delta)))


CHANGE_SIGNS = {"added": "+", "removed": "−", "changed": "~"}
# The totals a review compares: the parameters, and the multiply-adds of a forward pass per sample.
TOTALS = [("Total params", "total_params"), ("Trainable", "trainable_params"),
          ("Non-trainable", "non_trainable_params"), ("Mult-adds", "macs")]


def change_cells(change) -> tuple:
    """(sign, shape, params) of a row change; a changed value reads ``before → after``."""
    def text(render):
        before, after = render(change.before), render(change.after)
        if change.kind != "changed":
            return render(change.after or change.before)
        return before if before == after else f"{before} → {after}"

    return CHANGE_SIGNS[change.kind], text(shape_text), text(params_text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _totals(review: ModelReview, with_base: bool) -> List[str]:
    rows = TOTALS
    if not with_base:
        lines = ["| | params |", "|---|---:|"]
        lines += [f"| {label} | {count_text(getattr(review.now, key))} |" for label, key in rows]
        if review.now.total_bytes is not None:
            lines.append(f"| Size | {readable_size(review.now.total_bytes)} |")
        return lines
    lines = ["| | base | now | Δ |", "|---|---:|---:|---:|"]
    for label, key in rows:
        before = getattr(review.base, key) if review.base else None
        after = getattr(review.now, key) if review.now else None
        lines.append(f"| {label} | {count_text(before) if review.base else '—'} | {count_text(after) if review.now else '—'} | "
                     f"{delta_text(review.delta(key))} |")
    lines.append("| Size | {} | {} | {} |".format(*size_row(review)))
    return lines


def _row_changes(review: ModelReview) -> List[str]:
    if not review.rows:
        return []
    counts = {kind: sum(1 for c in review.rows if c.kind == kind) for kind in ("added", "removed", "changed")}
    lines = ["", "**Layers:** " + ", ".join(f"{n} {kind}" for kind, n in counts.items() if n), "",
             "| | Layer (type) | Output shape | Params |", "|---|---|---|---:|"]
    for change in review.rows:
        row = change.after or change.before
        title = _cell(f"{row.name} ({row.class_name})")
        sign, shape, params = change_cells(change)
        lines.append(f"| {sign} | {title} | {_cell(shape)} | {_cell(params)} |")
    return lines


def _full_table(review: ModelReview) -> List[str]:
    rows = review.now.rows
    lines = [f"<details><summary>Summary ({len(rows)} rows)</summary>", "", "| Layer (type) | Output shape | Params |",
             "|---|---|---:|"]
    lines += [f"| {_cell(f'{r.name} ({r.class_name})')} | {_cell(shape_text(r))} | {_cell(params_text(r))} |" for r in rows]
    return lines + ["", "</details>"]


def _graph(review: ModelReview) -> List[str]:
    if review.model is None:
        return []
    picture = diagram.build(review.model, review.now)
    return ["<details><summary>Graph</summary>", "", "```mermaid", diagram.mermaid(picture).rstrip(), "```", "",
            "</details>"]


def _finding_line(finding, mark: str = "") -> str:
    return f"- {mark}`{finding.code}` {finding.path}:{finding.line}: {_cell(finding.message)}"


def _model_section(review: ModelReview, with_base: bool, full: bool, graphs: bool) -> List[str]:
    heading = {"added": " — **new model**", "removed": " — **removed**", "unchanged": " — unchanged"}.get(review.status, "")
    summary = review.now or review.base
    lines = ["", f"#### Model `{summary.name}` ({summary.kind}){heading}", ""]
    lines += _totals(review, with_base and review.status != "now")
    if review.now is not None and not review.now.complete:
        lines.append("")
        lines.append("_Partial: part of the model could not be resolved statically (`archlint summary --show-incomplete` says where)._")
    lines += _row_changes(review)
    if review.now is not None:
        if full:
            lines += [""] + _full_table(review)
        if graphs:
            lines += [""] + _graph(review)
    return lines


def _file_section(file: FileReview, with_base: bool, full: bool, graphs: bool) -> List[str]:
    lines = ["", f"### `{file.path}`"]
    if file.error:
        return lines + ["", f"archlint could not read it: {_cell(file.error)}"]
    if with_base and not file.had_base:
        lines += ["", "_New file._"]
    for review in file.models:
        lines += _model_section(review, with_base, full, graphs)
    if not file.models:
        lines += ["", "No Keras model found."]
    if with_base:
        if file.new_findings or file.fixed_findings:
            lines += ["", f"**Findings:** {len(file.new_findings)} new, {len(file.fixed_findings)} fixed", ""]
            lines += [_finding_line(f, "new ") for f in file.new_findings]
            lines += [_finding_line(f, "fixed ") for f in file.fixed_findings]
    elif file.findings:
        lines += ["", f"**Findings:** {len(file.findings)}", ""] + [_finding_line(f) for f in file.findings]
    return lines


def render(files: List[FileReview], base: Optional[str]) -> str:
    """The whole comment, cut to stay under GitHub's size limit (saying so when it had to)."""
    models = sum(len(f.models) for f in files)
    header = [MARKER, "## archlint report", "",
              f"{models} model{'s' if models != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}"
              + (f", compared with `{base}`" if base else "") + "."]
    for full, graphs, note in ((True, True, None),
                               (True, False, "the layer graphs were left out"),
                               (False, False, "the layer graphs and full summary tables were left out")):
        body = [line for file in files for line in _file_section(file, base is not None, full, graphs)]
        text = "\n".join(header + body) + "\n"
        if note:
            text += f"\n> Cut to stay under GitHub's comment size limit: {note}. `archlint report` run locally shows everything.\n"
        if len(text) <= LIMIT:
            return text
    cut = text[: LIMIT - 300]
    return cut[: cut.rfind("\n")] + ("\n\n> Cut to stay under GitHub's comment size limit: the report stops here. "
                                     "`archlint report` run locally shows everything.\n")
