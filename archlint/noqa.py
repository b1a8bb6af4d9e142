"""``# noqa`` comments: which findings they silence, and AL902 for the malformed ones.

``# noqa: AL201, AL203`` on any line of a statement silences those codes for findings on
that statement; a bare ``# noqa`` silences every code there; ``# archlint: noqa`` on a
line of its own skips the whole file, ``# archlint: noqa: AL303`` one code in it. Codes of
other tools (``E501``) are left alone. A code list archlint cannot read (``AL2O1``,
``# noqa AL201`` without the colon, an unknown ``AL`` code) silences nothing and is
reported as AL902. This module reads comments and statement spans; it runs no rule.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from .diagnostics import Finding, Severity, message

ALL = "*"
_NOQA = re.compile(r"#\s*noqa\b(?P<rest>.*)", re.IGNORECASE)
_FILE_NOQA = re.compile(r"^#\s*archlint\s*:\s*noqa\b(?P<rest>.*)$", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")
_OWN_CODE = re.compile(r"AL[0-9]{3}")


@dataclass
class Suppressions:
    """What the comments of one file silence."""

    by_line: Dict[int, Set[str]] = field(default_factory=dict)  # line -> codes, or {ALL}
    whole_file: Set[str] = field(default_factory=set)  # codes, or {ALL}
    spans: List[Tuple[int, int]] = field(default_factory=list)  # statement (first, last) lines
    malformed: List[Tuple[int, int, str]] = field(default_factory=list)  # (line, col, why)

    def silences(self, finding: Finding) -> bool:
        if ALL in self.whole_file or finding.code in self.whole_file:
            return True
        first, last = self._statement(finding.line)
        for line in range(first, last + 1):
            codes = self.by_line.get(line)
            if codes and (ALL in codes or finding.code in codes):
                return True
        return False

    def _statement(self, line: int) -> Tuple[int, int]:
        best: Optional[Tuple[int, int]] = None
        for first, last in self.spans:
            if first <= line <= last and (best is None or last - first < best[1] - best[0]):
                best = (first, last)
        return best or (line, line)


def _codes(rest: str, known: Set[str]) -> Tuple[Optional[Set[str]], Optional[str]]:
    """The codes after ``noqa``: ``(None, None)`` for a bare noqa, ``(None, why)`` if malformed."""
    rest = rest.strip()
    if not rest:
        return None, None
    if not rest.startswith(":"):
        return None, "a `noqa` followed by text needs a colon: `# noqa: AL201`"
    tokens = [t for t in re.split(r"[,\s]+", rest[1:].strip()) if t]
    if not tokens:
        return None, "`# noqa:` lists no codes"
    codes: Set[str] = set()
    for token in tokens:
        if token.startswith("#"):
            break  # another comment follows
        if not _CODE.fullmatch(token):
            return None, f"`{token}` is not a rule code"
        if token.upper().startswith("AL"):
            if not _OWN_CODE.fullmatch(token) or token not in known:
                return None, f"`{token}` is not an archlint rule (`archlint rules` lists them)"
            codes.add(token)
    return codes, None


def _may_matter(text: str, known: Set[str]) -> bool:
    """Whether a ``noqa`` in the text could silence something or be malformed, read as if it
    began a comment. Only then are the comments tokenized: most files have none, and many
    have only other tools' codes (``# noqa: E501``), which silence nothing."""
    for line in text.splitlines():
        lowered = line.lower()
        if "noqa" not in lowered:
            continue
        if "archlint" in lowered:
            return True
        match = _NOQA.search(line)
        if match is None:
            continue
        codes, why = _codes(match.group("rest"), known)
        if why or codes is None or codes:
            return True
    return False


def read_suppressions(text: str, known: Set[str]) -> Suppressions:
    found = Suppressions()
    if "noqa" not in text.lower() or not _may_matter(text, known):
        return found  # nothing to tokenize
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        line, col = token.start
        whole = _FILE_NOQA.match(token.string) if token.line.strip() == token.string.strip() else None
        match = whole or _NOQA.search(token.string)
        if match is None:
            continue
        codes, why = _codes(match.group("rest"), known)
        if why:
            found.malformed.append((line, col, why))
        elif whole:
            found.whole_file |= codes if codes is not None else {ALL}
        elif codes is None or codes:  # other tools' codes alone silence nothing here
            found.by_line.setdefault(line, set()).update(codes if codes is not None else {ALL})
    if found.by_line:
        found.spans = _statement_spans(text)
    return found


def _statement_spans(text: str) -> List[Tuple[int, int]]:
    """(first, last) line of every statement; a compound statement spans its header only."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    spans = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            header_end = max(node.lineno, body[0].lineno - 1)
            spans.append((node.lineno, header_end))
        else:
            spans.append((node.lineno, node.end_lineno or node.lineno))
    return spans


def apply_suppressions(findings: List[Finding], path: str, text: str, known: Set[str],
                       report_malformed: bool = True) -> List[Finding]:
    """Drop the findings that comments silence (each in the file the finding is in) and,
    when ``report_malformed``, add AL902 for the analyzed file's unreadable noqa comments."""
    from .source import read_text

    cache: Dict[str, Suppressions] = {path: read_suppressions(text, known)}
    out: List[Finding] = []
    for finding in findings:
        if finding.path not in cache:
            other = read_text(finding.path)
            cache[finding.path] = read_suppressions(other, known) if isinstance(other, str) else Suppressions()
        if not cache[finding.path].silences(finding):
            out.append(finding)
    if report_malformed:
        for line, col, why in cache[path].malformed:
            out.append(Finding("AL902", "malformed-noqa", Severity.WARNING, path, line, col, message("AL902", detail=why)))
    return out
