"""What analysing one file gives: its model summaries, its findings, or why it could not be
read. A plain record, light to import (the cache answers with it without loading the parser).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from .diagnostics import Finding


@dataclass
class FileResult:
    path: str
    summaries: List = field(default_factory=list)  # summary.ModelSummary of each model
    findings: List[Finding] = field(default_factory=list)
    models: List = field(default_factory=list)  # graph.Model of each summary, in the same order
    error: Optional[str] = None  # unreadable file or unusable --entry: exit 2
    imported: List[str] = field(default_factory=list)  # the project modules the analysis read

    @property
    def parsed(self) -> bool:
        return self.error is None and not any(f.code in ("AL901", "AL905") for f in self.findings)
