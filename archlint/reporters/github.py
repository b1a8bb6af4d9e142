"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per
finding, which GitHub shows as an annotation on the pull request's diff.

Properties and message are escaped as the runner's command grammar requires (``%``, CR,
LF everywhere; ``:`` and ``,`` in properties). Columns are 1-based; the end column is
the one after the flagged code.
"""

from __future__ import annotations

import os
from typing import Iterable, TextIO

from ..diagnostics import Finding, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(finding: Finding) -> str:
    end_line, end_col = finding.end
    properties = {
        "file": os.path.normpath(finding.path),  # ./model.py: GitHub wants the plain relative path
        "line": finding.line,
        "col": finding.col + 1,
        "endLine": end_line,
        "endColumn": end_col + 1,
        "title": f"{finding.code} {finding.name}" + (f" (cell {finding.cell})" if finding.cell else ""),
    }
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[finding.severity]} {listed}::{escape_data(finding.message)}"


def write_github(findings: Iterable[Finding], stream: TextIO) -> None:
    for finding in findings:
        stream.write(workflow_command(finding) + "\n")
