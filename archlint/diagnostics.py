"""Findings and their vocabulary: severity, confidence, and every message template.

A ``Finding`` is what a rule reports: a code, a location, a message and the ``Fix``
edits that would resolve it (applied by fixes.py). All
user-facing message text for findings lives in ``MESSAGES`` so wording stays
consistent and reviewable in one place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Tuple


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        return cls[text.upper()]


class Confidence(enum.IntEnum):
    """How sure the analysis is: ``INFERRED`` facts rest on symbolic or guessed values."""

    INFERRED = 1
    CERTAIN = 2


@dataclass(frozen=True)
class Fix:
    """An edit of the one constructor call at (line, col) that resolves a finding (applied by fixes.py)."""

    line: int
    col: int
    renames: Tuple[Tuple[str, str], ...] = ()  # keyword -> Keras 3 keyword
    values: Tuple[Tuple[str, str], ...] = ()  # (keyword, new string value) for a string literal
    set_keywords: Tuple[Tuple[str, str], ...] = ()  # keyword -> Python source of the value
    remove_keywords: Tuple[str, ...] = ()
    kernel_rank: int = 0  # Keras 1 ``Conv2D(32, 5, 5)``: fold this many positional sizes
    safe: bool = True
    description: str = ""


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    path: str
    line: int
    col: int
    message: str
    confidence: Confidence = Confidence.CERTAIN
    fixes: tuple = ()  # Fix edits that would resolve it
    # Where the flagged code ends: line, and 0-based column after its last character
    # (0: only the start is known; it then ends where it starts).
    end_line: int = 0
    end_col: int = 0
    related: tuple = ()  # (path, line, col, message) of other code the finding is about
    cell: int = 0  # in a notebook: the cell (1-based) that line and end_line count in

    def sort_key(self):
        return (self.path, self.line, self.col, self.code)

    @property
    def end(self):
        """(end line, 0-based end column): the start when the end is not known."""
        return (self.end_line, self.end_col) if self.end_line else (self.line, self.col)

    def as_dict(self) -> dict:
        """Positions 1-based, as the text output prints them; the end column is the one after
        the flagged code's last character."""
        end_line, end_col = self.end
        where = {"cell": self.cell} if self.cell else {}
        return {
            **where,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "confidence": self.confidence.name.lower(),
            "file": self.path,
            "line": self.line,
            "col": self.col + 1,
            "end_line": end_line,
            "end_col": end_col + 1,
            "message": self.message,
            "fix": [{"description": f.description, "safe": f.safe} for f in self.fixes] or None,
            "related": [{"file": p, "line": line, "col": col + 1, "message": m} for p, line, col, m in self.related],
        }


MESSAGES = {
    "AL101": "{layer} ({cls}): {detail}; an output dimension would be zero or negative",
    "AL102": "{layer}: {detail}",
    "AL103": "{layer}: {detail}",
    "AL104": "{layer}: {detail}",
    "AL105": "{detail}",
    "AL106": "{layer}: {detail}",
    "AL107": "the name {name!r} is used twice in model {model}",
    "AL108": "{detail}",
    "AL109": "{detail}",
    "AL110": "{detail}",
    "AL201": "{producer} ({producer_cls}) has a bias that {bn} (BatchNormalization) cancels out: "
    "{wasted:,} wasted parameters; pass use_bias=False",
    "AL202": "{layer} applies an activation to the output of {producer}, which already has one",
    "AL203": "{layer} has no activation and feeds {consumer}: two linear maps in a row are one",
    "AL204": "{layer} feeds {bn} (BatchNormalization) directly; put the dropout after the normalization",
    "AL205": "{layer} ({cls}) is created but never called or added to a model",
    "AL301": "{layer}: even kernel {kernel} with padding=\"same\" pads unevenly (more on one side)",
    "AL302": "{layer}: stride {strides} is larger than the {what} {kernel}: some inputs are never read",
    "AL303": "{layer} holds {share:.0%} of the model's {total:,} parameters{hint}",
    "AL304": "{layer}: input shape {shape} looks channels-first, but {consumer} reads channels last",
    "AL305": "{layer}: kernel_initializer={init!r} gives every unit the same weights; they never become different",
    "AL306": "{detail}",
    "AL307": "{detail}",
    "AL308": "{detail}",
    "AL309": "{detail}",
    "AL401": "{layer}: Keras 1/2 {old}; Keras 3 spells it {new}",
    "AL501": "{detail}",
    "AL503": "{detail}",
    "AL504": "{detail}",
    "AL505": "{detail}",
    "AL506": "{detail}",
    "AL507": "{detail}",
    "AL508": "{detail}",
    "AL502": "{layer}: softmax over a single unit always outputs 1.0; use sigmoid for one output",
    "AL901": "{detail}",
    "AL902": "malformed noqa comment, it silences nothing: {detail}",
    "AL903": "analysis incomplete: {detail}",
    "AL904": "{detail}",
    "AL905": "{detail}",
    "AL906": "{what} failed on this file ({detail}); its findings are missing. Please report this",
    "AL907": "{detail}",
}


def message(code: str, **fields) -> str:
    return MESSAGES[code].format(**fields)
