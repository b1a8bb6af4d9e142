"""``archlint report``: analyse the files now and, with ``--base``, as they were at that git
revision (materialized from git into a temporary directory, never checked out), review
what changed, and render the report as Markdown, HTML or JSON.

Each revision is read as its own project: configuration, assumptions and the target Keras
version come from that revision's files.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from typing import List, Optional

from . import keras_target
from .config import ConfigError, resolve
from .pipeline import FileResult, analyze_file
from .review import FileReview, review_file
from .revisions import RevisionError, changed_files, materialize, relative_to_root, repository_root


class ReportError(Exception):
    """The report cannot be made (no files, not a git repository, unknown revision)."""


def _analyze(path: str, shown_as: str) -> FileResult:
    from .rules import all_rules

    try:
        config = resolve(None, None, None, None, [r.code for r in all_rules()])
    except ConfigError as error:
        raise ReportError(str(error)) from error
    target = keras_target.resolve(None, config.keras_version, path)
    result = analyze_file(path, rule_codes=config.codes_for(path, all_rules()), source_roots=config.source_roots,
                          assumptions=config.assumptions_for(path), keras_version=target.version, costs=True)
    result.findings = [replace(f, path=shown_as) if os.path.abspath(f.path) == os.path.abspath(path) else f
                       for f in result.findings]
    return result


def reviews(paths: List[str], base: Optional[str]) -> List[FileReview]:
    if base is not None and not paths:
        try:
            paths = changed_files(base)
        except RevisionError as error:
            raise ReportError(str(error)) from error
    if not paths:
        raise ReportError("no files to report on: give files, or --base REV for the files changed since REV")
    out = []
    with tempfile.TemporaryDirectory(prefix="archlint-base-") as scratch:
        root = None
        if base is not None:
            try:
                materialize(base, scratch)
                root = repository_root()
            except RevisionError as error:
                raise ReportError(str(error)) from error
        for path in paths:
            now = _analyze(path, path) if os.path.isfile(path) else FileResult(path, error=f"{path}: no such file")
            before = None
            if root is not None:
                earlier = os.path.join(scratch, *relative_to_root(path).split("/"))
                before = _analyze(earlier, path) if os.path.isfile(earlier) else None
                if before is None:
                    before = FileResult(path)
                    out.append(replace(review_file(path, now, before), had_base=False))
                    continue
            out.append(review_file(path, now, before))
    return out


def build_report(paths: List[str], base: Optional[str], fmt: str) -> str:
    files = reviews(paths, base)
    if fmt == "json":
        from .reporters.json_report import review_document

        return review_document(files, base) + "\n"
    if fmt == "html":
        from .reporters.review_html import render
    else:
        from .reporters.review_markdown import render
    return render(files, base)
