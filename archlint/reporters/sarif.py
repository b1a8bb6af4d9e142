"""SARIF 2.1.0 output of ``check``: the rule catalog, one result per finding, and fixes.

``tool.driver.rules`` lists every rule with its summary, its four-part documentation as
help text and its default level; each result carries its region (1-based, the end column
the one after the flagged code), related locations, and the safe fixes as
``fixes[].artifactChanges`` (the replaced region and the new text, computed by applying the
fix to the file in memory; nothing is written). Paths are relative to the working
directory when they lie under it (``uriBaseId`` ``%SRCROOT%``), else absolute file URIs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from ..diagnostics import Finding, Severity
from ..rule_docs import markdown_help

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(path: str) -> dict:
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    if not relative.startswith(".."):
        return {"uri": Path(relative).as_posix(), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(absolute).as_uri()}


def _region(line: int, col: int, end_line: int, end_col: int) -> dict:
    return {"startLine": max(line, 1), "startColumn": col + 1, "endLine": max(end_line, line, 1),
            "endColumn": max(end_col + 1, col + 1 if end_line <= line else 1)}


def _rule(spec) -> dict:
    return {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": spec.doc.split("\n\n")[0] if spec.doc else spec.summary},
        "help": {"text": spec.doc or spec.summary, "markdown": markdown_help(spec)},
        "defaultConfiguration": {"level": LEVELS[spec.severity], "enabled": spec.enabled_by_default},
        "properties": {"tags": [_family(spec.code)]},
    }


def _family(code: str) -> str:
    return {"1": "error", "2": "redundancy", "3": "design", "4": "legacy-api", "5": "training", "9": "analyzer"}[code[2]]


def _fix_changes(finding: Finding, sources: Dict[str, object]) -> List[dict]:
    """Each fix of the finding as a SARIF fix: the region it replaces and the text it puts there."""
    from ..fixes import fixed_text
    from ..source import Source, load

    if not finding.fixes:
        return []
    if finding.path not in sources:
        sources[finding.path] = load(finding.path)
    source = sources[finding.path]
    if not isinstance(source, Source):
        return []
    out = []
    for fix in finding.fixes:
        text, applied = fixed_text(source, [fix], unsafe=True)
        change = _replacement(source.text, text) if applied else None
        if change is None:
            continue
        region, inserted = change
        label = fix.description + ("" if fix.safe else " (unsafe: may change code the finding is not about)")
        out.append({
            "description": {"text": label},
            "artifactChanges": [{
                "artifactLocation": _location(finding.path),
                "replacements": [{"deletedRegion": region, "insertedContent": {"text": inserted}}],
            }],
        })
    return out


def _replacement(before: str, after: str) -> Optional[tuple]:
    """The smallest region of ``before`` that, replaced, gives ``after``: (region, new text)."""
    if before == after:
        return None
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end_before, end_after = len(before), len(after)
    while end_before > start and end_after > start and before[end_before - 1] == after[end_after - 1]:
        end_before, end_after = end_before - 1, end_after - 1

    def line_col(offset: int):
        line = before.count("\n", 0, offset) + 1
        return line, offset - (before.rfind("\n", 0, offset) + 1)

    (line, col), (end_line, end_col) = line_col(start), line_col(end_before)
    return _region(line, col, end_line, end_col), after[start:end_after]


def _result(finding: Finding, rule_index: Dict[str, int], sources: Dict[str, object]) -> dict:
    end_line, end_col = finding.end
    result = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": _location(finding.path),
            "region": _region(finding.line, finding.col, end_line, end_col),
        }}],
        "properties": {"confidence": finding.confidence.name.lower(), **({"cell": finding.cell} if finding.cell else {})},
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": index, "message": {"text": text},
             "physicalLocation": {"artifactLocation": _location(path), "region": {"startLine": line, "startColumn": col + 1}}}
            for index, (path, line, col, text) in enumerate(finding.related)
        ]
    fixes = _fix_changes(finding, sources)
    if fixes:
        result["fixes"] = fixes
    return result


def sarif_document(findings: Sequence[Finding], rules, errors: Sequence[str] = ()) -> str:
    """The SARIF log for ``findings``; ``rules``: every rule (the catalog the results index)."""
    from .. import __version__

    specs = sorted(rules, key=lambda spec: spec.code)
    rule_index = {spec.code: index for index, spec in enumerate(specs)}
    sources: Dict[str, object] = {}
    run = {
        "tool": {"driver": {
            "name": "archlint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule(spec) for spec in specs],
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri() + "/"}},
        "results": [_result(f, rule_index, sources) for f in findings],
        "invocations": [{
            "executionSuccessful": not errors,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in errors],
        }],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
