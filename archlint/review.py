"""What a change does to a file's models: the report ``archlint report`` renders.

For each file: the models now (summary, findings, diagram) and, given the file as it was
at a base revision, each model paired with its earlier self (by entry and name, then by
the layers it is made of): parameter deltas, layer rows added, removed or changed (rows
are aligned by their classes, so auto-numbered names that shift do not count as changes),
models added or removed, findings new or fixed (matched by code and message, lines aside).

It compares analyses; rendering is the reporters' job.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from .diagnostics import Finding
from .summary import LayerRow, ModelSummary


@dataclass
class RowChange:
    kind: str  # "added" | "removed" | "changed"
    before: Optional[LayerRow]
    after: Optional[LayerRow]


@dataclass
class ModelReview:
    status: str  # "added" | "removed" | "changed" | "unchanged" | "now" (no base given)
    now: Optional[ModelSummary]
    base: Optional[ModelSummary]
    model: object = None  # graph.Model now, for its diagram
    rows: List[RowChange] = field(default_factory=list)

    @property
    def name(self) -> str:
        return (self.now or self.base).name

    def delta(self, attribute: str) -> Optional[int]:
        """now − base of a total; None when either is not a known count (unknown, or a formula)."""
        before = getattr(self.base, attribute) if self.base else 0
        after = getattr(self.now, attribute) if self.now else 0
        return after - before if isinstance(before, int) and isinstance(after, int) else None


@dataclass
class FileReview:
    path: str
    models: List[ModelReview]
    findings: List[Finding]  # now
    new_findings: List[Finding] = field(default_factory=list)
    fixed_findings: List[Finding] = field(default_factory=list)
    error: Optional[str] = None
    had_base: bool = False  # the file existed at the base revision


def _row_key(row: LayerRow) -> Tuple:
    return (row.class_name,)


def _row_changed(before: LayerRow, after: LayerRow) -> bool:
    return (before.output_shape, before.params, before.trainable_params) != (after.output_shape, after.params, after.trainable_params)


def row_changes(base: ModelSummary, now: ModelSummary) -> List[RowChange]:
    """Rows added, removed or changed, aligned by layer class (names shift when a layer is inserted)."""
    before, after = base.rows, now.rows
    matcher = difflib.SequenceMatcher(a=[_row_key(r) for r in before], b=[_row_key(r) for r in after], autojunk=False)
    changes: List[RowChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [RowChange("changed", b, a) for b, a in zip(before[i1:i2], after[j1:j2]) if _row_changed(b, a)]
        else:
            changes += [RowChange("removed", b, None) for b in before[i1:i2]]
            changes += [RowChange("added", None, a) for a in after[j1:j2]]
    return changes


def _similarity(a: ModelSummary, b: ModelSummary) -> float:
    return difflib.SequenceMatcher(a=[r.class_name for r in a.rows], b=[r.class_name for r in b.rows], autojunk=False).ratio()


def pair_models(base: List[ModelSummary], now: List[ModelSummary]) -> List[Tuple[Optional[int], Optional[int]]]:
    """(base index, now index) pairs: same entry and name first, then the most alike layers."""
    pairs, free_base, free_now = [], list(range(len(base))), list(range(len(now)))
    for j in list(free_now):
        match = next((i for i in free_base if (base[i].entry, base[i].name) == (now[j].entry, now[j].name)), None)
        if match is not None:
            pairs.append((match, j))
            free_base.remove(match)
            free_now.remove(j)
    for j in list(free_now):
        scored = sorted(((_similarity(base[i], now[j]), i) for i in free_base), reverse=True)
        if scored and scored[0][0] >= 0.5:
            pairs.append((scored[0][1], j))
            free_base.remove(scored[0][1])
            free_now.remove(j)
    pairs += [(None, j) for j in free_now] + [(i, None) for i in free_base]
    return pairs


def _finding_key(finding: Finding) -> Tuple[str, str]:
    return (finding.code, finding.message)


def review_file(path: str, now, base=None) -> FileReview:
    """``now``/``base``: pipeline.FileResult of the file now and at the base revision (None:
    no base given, or the file did not exist there)."""
    if base is None:
        models = [ModelReview("now", s, None, m) for s, m in zip(now.summaries, now.models)]
        return FileReview(path, models, now.findings, error=now.error)
    reviews = []
    for i, j in pair_models(base.summaries, now.summaries):
        before = base.summaries[i] if i is not None else None
        after = now.summaries[j] if j is not None else None
        model = now.models[j] if j is not None else None
        if before is None or after is None:
            reviews.append(ModelReview("added" if before is None else "removed", after, before, model))
            continue
        rows = row_changes(before, after)
        same = not rows and (before.total_params, before.trainable_params) == (after.total_params, after.trainable_params)
        reviews.append(ModelReview("unchanged" if same else "changed", after, before, model, rows))
    old = {_finding_key(f) for f in base.findings}
    new = {_finding_key(f) for f in now.findings}
    return FileReview(
        path, reviews, now.findings,
        new_findings=[f for f in now.findings if _finding_key(f) not in old],
        fixed_findings=[f for f in base.findings if _finding_key(f) not in new],
        error=now.error, had_base=True,
    )
