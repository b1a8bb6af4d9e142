"""The review report as one self-contained HTML file: inline style, diagrams as inline SVG
(Graphviz's drawing when the ``dot`` program is installed, else archlint's own), no
script and nothing fetched from a network.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from typing import List, Optional

from .. import diagram
from ..review import FileReview, ModelReview
from ..summary import readable_size
from .review_markdown import TOTALS, change_cells, count_text, delta_text, params_text, shape_text, size_row

STYLE = """
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #1f2328; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05em; margin-top: 1.5em; }
table { border-collapse: collapse; margin: .6em 0; } td, th { border: 1px solid #d0d7de; padding: 3px 8px; }
th { background: #f6f8fa; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.added { background: #e6ffec; } .removed { background: #ffebe9; } .changed { background: #fff8c5; }
.finding { font-family: ui-monospace, Menlo, monospace; font-size: 12.5px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; background: #ddf4ff; }
details { margin: .5em 0; } summary { cursor: pointer; color: #0969da; }
.diagram { overflow-x: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: 6px; background: #fff; }
.partial { color: #9a6700; }
"""


def _e(text) -> str:
    return html.escape(str(text))


def _svg(review: ModelReview) -> str:
    picture = diagram.build(review.model, review.now)
    if shutil.which("dot"):
        try:
            done = subprocess.run(["dot", "-Tsvg"], input=diagram.dot(picture), capture_output=True, text=True, timeout=60)
            if done.returncode == 0 and "<svg" in done.stdout:
                return done.stdout[done.stdout.index("<svg"):]
        except (OSError, subprocess.TimeoutExpired):
            pass
    return diagram.svg(picture)


def _totals(review: ModelReview, with_base: bool) -> str:
    keys = TOTALS
    if not with_base:
        rows = "".join(f"<tr><th>{label}</th><td class=num>{count_text(getattr(review.now, key))}</td></tr>" for label, key in keys)
        if review.now.total_bytes is not None:
            rows += f"<tr><th>Size</th><td class=num>{readable_size(review.now.total_bytes)}</td></tr>"
        return f"<table>{rows}</table>"
    out = ["<table><tr><th></th><th>base</th><th>now</th><th>Δ</th></tr>"]
    for label, key in keys:
        before = count_text(getattr(review.base, key)) if review.base else "—"
        after = count_text(getattr(review.now, key)) if review.now else "—"
        out.append(f"<tr><th>{label}</th><td class=num>{before}</td><td class=num>{after}</td>"
                   f"<td class=num>{delta_text(review.delta(key))}</td></tr>")
    out.append("<tr><th>Size</th>" + "".join(f"<td class=num>{_e(v)}</td>" for v in size_row(review)) + "</tr>")
    return "".join(out) + "</table>"


def _changes(review: ModelReview) -> str:
    if not review.rows:
        return ""
    out = ["<table><tr><th></th><th>Layer (type)</th><th>Output shape</th><th>Params</th></tr>"]
    for change in review.rows:
        row = change.after or change.before
        sign, shape, params = change_cells(change)
        out.append(f"<tr class={change.kind}><td>{sign}</td><td>{_e(row.name)} ({_e(row.class_name)})</td>"
                   f"<td>{_e(shape)}</td><td class=num>{_e(params)}</td></tr>")
    return "<h4>Layers changed</h4>" + "".join(out) + "</table>"


def _summary_table(review: ModelReview) -> str:
    rows = "".join(f"<tr><td>{_e(r.name)} ({_e(r.class_name)})</td><td>{_e(shape_text(r))}</td>"
                   f"<td class=num>{_e(params_text(r))}</td></tr>" for r in review.now.rows)
    return (f"<details><summary>Summary ({len(review.now.rows)} rows)</summary><table><tr><th>Layer (type)</th>"
            f"<th>Output shape</th><th>Params</th></tr>{rows}</table></details>")


def _model(review: ModelReview, with_base: bool) -> str:
    summary = review.now or review.base
    tag = {"added": "new model", "removed": "removed", "changed": "changed", "unchanged": "unchanged"}.get(review.status)
    parts = [f"<h3>Model <code>{_e(summary.name)}</code> ({_e(summary.kind)})"
             + (f" <span class=tag>{tag}</span>" if tag and with_base else "") + "</h3>",
             _totals(review, with_base and review.status != "now")]
    if review.now is not None and not review.now.complete:
        parts.append("<p class=partial>Partial: part of the model could not be resolved statically.</p>")
    parts.append(_changes(review))
    if review.now is not None:
        parts.append(_summary_table(review))
        if review.model is not None:
            parts.append(f"<details open><summary>Graph</summary><div class=diagram>{_svg(review)}</div></details>")
    return "\n".join(parts)


def _findings(file: FileReview, with_base: bool) -> str:
    def item(finding, mark=""):
        return (f"<li class=finding>{mark}<b>{_e(finding.code)}</b> {_e(finding.path)}:{finding.line}: "
                f"{_e(finding.message)}</li>")

    if with_base:
        if not (file.new_findings or file.fixed_findings):
            return ""
        return (f"<h4>Findings: {len(file.new_findings)} new, {len(file.fixed_findings)} fixed</h4><ul>"
                + "".join(item(f, "new ") for f in file.new_findings)
                + "".join(item(f, "fixed ") for f in file.fixed_findings) + "</ul>")
    if not file.findings:
        return ""
    return f"<h4>Findings: {len(file.findings)}</h4><ul>" + "".join(item(f) for f in file.findings) + "</ul>"


def render(files: List[FileReview], base: Optional[str]) -> str:
    with_base = base is not None
    models = sum(len(f.models) for f in files)
    body = [f"<h1>archlint report</h1><p>{models} model{'s' if models != 1 else ''} in {len(files)} "
            f"file{'s' if len(files) != 1 else ''}" + (f", compared with <code>{_e(base)}</code>" if base else "") + ".</p>"]
    for file in files:
        body.append(f"<h2><code>{_e(file.path)}</code></h2>")
        if file.error:
            body.append(f"<p>archlint could not read it: {_e(file.error)}</p>")
            continue
        if with_base and not file.had_base:
            body.append("<p><i>New file.</i></p>")
        body += [_model(review, with_base) for review in file.models]
        if not file.models:
            body.append("<p>No Keras model found.</p>")
        body.append(_findings(file, with_base))
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>archlint report</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
