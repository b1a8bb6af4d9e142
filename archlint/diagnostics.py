"""Findings and their vocabulary: severity, confidence, and every message template.

A ``Finding`` is what a rule reports: a code, a location and a message. All
user-facing message text for findings lives in ``MESSAGES`` so wording stays
consistent and reviewable in one place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
class Finding:
    code: str
    name: str
    severity: Severity
    path: str
    line: int
    col: int
    message: str
    confidence: Confidence = Confidence.CERTAIN

    def sort_key(self):
        return (self.path, self.line, self.col, self.code)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "confidence": self.confidence.name.lower(),
            "file": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
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
    "AL201": "{producer} ({producer_cls}) has a bias that {bn} (BatchNormalization) cancels out: "
    "{wasted:,} wasted parameters; pass use_bias=False",
    "AL901": "{detail}",
    "AL903": "analysis incomplete: {detail}",
    "AL904": "{detail}; later code was not analyzed",
    "AL905": "{detail}",
}


def message(code: str, **fields) -> str:
    return MESSAGES[code].format(**fields)
