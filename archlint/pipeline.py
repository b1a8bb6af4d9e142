"""One file end to end: read, parse, interpret, summarise, run the rules.

Returns a ``FileResult`` for every path, whatever is wrong with it; the CLI decides
how to print it and which exit code it earns.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Union

from .assumptions import Assumption, AssumptionError, in_comments
from .diagnostics import Finding, Severity, message
from .graph import Site
from .limits import Budget, OverBudget, within
from .rules import RuleContext, run_rules
from .source import Unparsable, Unreadable, load, readable_part
from .results import FileResult
from .summary import summarize


def _unsuppressed(findings: List[Finding], source, rule_codes) -> List[Finding]:
    """The findings ``# noqa`` comments leave, plus AL902 for comments that cannot be read."""
    from .noqa import apply_suppressions
    from .rules import all_rules

    known = {spec.code for spec in all_rules()}
    report_malformed = "AL902" in rule_codes if rule_codes is not None else True
    kept = apply_suppressions(findings, source.path, source.text, known, report_malformed)
    return sorted(kept, key=Finding.sort_key)


_LIBRARY_DIRS = (f"{os.sep}site-packages{os.sep}", f"{os.sep}dist-packages{os.sep}")


def _in_library(found_in: str, analyzed: str) -> bool:
    """A finding in installed library code the analyzed file calls into (``keras.applications``,
    a package of layers): nothing the user can change there, so it is not reported."""
    if os.path.abspath(found_in) == os.path.abspath(analyzed):
        return False
    return any(marker in os.path.abspath(found_in) for marker in _LIBRARY_DIRS)


def in_cells(findings: List[Finding], book) -> List[Finding]:
    """A notebook's findings located by cell and line in the cell (the program's lines otherwise)."""
    if book is None:
        return findings
    out = []
    for finding in findings:
        cell, line = book.locate(finding.line)
        end_line = book.locate(finding.end_line)[1] if finding.end_line else 0
        related = tuple((p, book.locate(l)[1], c, f"{m} (cell {book.locate(l)[0]})") for p, l, c, m in finding.related)
        out.append(replace(finding, cell=cell, line=line, end_line=end_line, related=related))
    return out


def analyze_file(path: str, entry: Union[None, str, Sequence[str]] = None, rule_codes=None,
                 source_roots: Sequence[str] = (), assumptions: Optional[Dict[str, Assumption]] = None,
                 keras_version: str = "3", text: Optional[str] = None, budget: Optional[Budget] = Budget(),
                 summaries: bool = True, costs: bool = False) -> FileResult:
    """``entry``: what to run after the module (one or several); ``source_roots``: directories
    imports are resolved against, before the file's own package root; ``assumptions``: the
    configured and command-line ones, over the file's own ``# archlint: assume`` comments;
    ``keras_version``: the Keras the code targets ("2" or "3"); ``text``: the file's contents
    when they do not come from disk (standard input, an editor's buffer), read as if they
    were ``path``; ``budget``: the time and memory the file may take (None: no limit);
    ``summaries``: whether to summarise the models (within the budget), which ``check`` skips;
    ``costs``: whether the summaries say what a forward pass costs (costs.py).

    Never raises: a file over its budget gets an AL904 finding, a failure of archlint's own
    an AL906 finding naming it."""
    try:
        with within(budget):
            return _analyze(path, entry, rule_codes, source_roots, assumptions, keras_version, text, summaries, costs)
    except OverBudget as over:
        return _failed(path, rule_codes, RuleContext(path, budget_hits=[(Site(1, 0), over.what)]))
    except (RecursionError, MemoryError) as error:
        what = "the code nests too deeply to analyze" if isinstance(error, RecursionError) else "out of memory"
        return _failed(path, rule_codes, RuleContext(path, budget_hits=[(Site(1, 0), f"analysis stopped: {what}")]))
    except Exception as error:  # noqa: BLE001 - a bug of archlint's costs this file, not the run
        return FileResult(path, findings=[Finding("AL906", "internal-error", Severity.WARNING, path, 1, 0, message(
            "AL906", what="archlint's analysis", detail=f"{type(error).__name__}: {str(error)[:200]}"))])


def _failed(path: str, rule_codes, ctx: RuleContext) -> FileResult:
    return FileResult(path, findings=run_rules(ctx, {"AL904"} & set(rule_codes) if rule_codes is not None else {"AL904"}))


def _analyze(path, entry, rule_codes, source_roots, assumptions, keras_version, text, summaries, costs) -> FileResult:
    from .interpreter import analyze

    loaded = load(path, source_roots, text)
    if isinstance(loaded, Unreadable):
        return FileResult(path, error=f"{path}: {loaded.reason}")
    unparsable = None
    if isinstance(loaded, Unparsable):
        part = readable_part(path, loaded.text, loaded) if loaded.text else None
        if part is None:
            ctx = RuleContext(path, unparsable=loaded)
            return FileResult(path, findings=in_cells(run_rules(ctx, rule_codes), loaded.notebook))
        part.source.notebook = loaded.notebook
        unparsable, loaded = loaded, part.source  # what can be read of it is analyzed
    if loaded is None:  # valid Python that never mentions Keras
        return FileResult(path)
    try:
        assumed = {**in_comments(loaded.text, path), **(assumptions or {})}
    except AssumptionError as error:
        return FileResult(path, error=str(error))
    analysis = analyze(loaded, entry, source_roots=source_roots, assumptions=assumed, keras_version=keras_version)
    notes = [n for e in analysis.entries for n in e.notes]
    if loaded.notebook is not None:  # magics are not run: say which could have set names
        notes += [(Site(line, 0), f"`{text[:60]}` is a notebook magic archlint does not run; names it sets are not known")
                  for line, text in loaded.notebook.skipped()]
    hits = [h for e in analysis.entries for h in e.budget_hits]
    models = [model for _, model in analysis.models]
    if unparsable is not None:
        many = len(part.skipped) > 1
        unread = [f"line{'s' if many else ''} {', '.join(map(str, part.skipped))} {'are' if many else 'is'} not "
                  f"valid Python and {'were' if many else 'was'} not read"] if part.skipped else []
        if part.stops_at:
            unread.append(f"the file stops parsing at line {part.stops_at}: what follows is not read")
        for model in models:
            model.problems.extend(unread)
    ctx = RuleContext(path, layers=analysis.layers, models=models, notes=notes, budget_hits=hits,
                      assumed_names=analysis.assumed_names, unparsable=unparsable, source=loaded,
                      array_problems=analysis.array_problems)
    found = [f for f in run_rules(ctx, rule_codes) if not _in_library(f.path, path)]
    result = FileResult(path, findings=in_cells(_unsuppressed(found, loaded, rule_codes), loaded.notebook))
    if summaries:
        result.summaries = [summarize(model, entry_name, costs) for entry_name, model in analysis.models]
        result.models = [model for _, model in analysis.models]
    result.imported = analysis.imported
    if analysis.error:
        result.error = f"{path}: {analysis.error}"
    return result


def analyze_configured(path: str, config, text: Optional[str] = None) -> FileResult:
    """``path`` (or ``text`` standing for it) analysed as its configuration says: its rules,
    source roots, assumptions and Keras version; each finding at its configured severity.
    What an editor integration needs; the CLI adds its command-line flags on top."""
    from . import keras_target
    from .rules import all_rules

    version = keras_target.resolve(None, config.keras_version, path).version
    result = analyze_file(path, rule_codes=config.codes_for(path, all_rules()), source_roots=config.source_roots,
                          assumptions=config.assumptions_for(path), keras_version=version, text=text,
                          budget=config.budget())
    result.findings = [replace(f, severity=config.severity.get(f.code, f.severity)) for f in result.findings]
    return result
