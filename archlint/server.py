"""The language server, ``archlint server`` (the ``lsp`` extra, on pygls), over stdio.

One warm process: each open document is analysed from its buffer as the CLI analyses a
file (its own ``[tool.archlint]``, Keras version and imports), on open, on save and a
moment after the last change. It publishes the findings as diagnostics; hover on a layer
call shows its output shape, parameter count and how the count is made, hover on a model's
variable (where it is built or used) shows its totals; inlay hints put each layer's output shape at the end
of its line (``initializationOptions: {"inlayHints": false}`` turns them off); a code action
offers each finding's fix and a ``# noqa`` for it. Each diagnostic's code links to the rule's
documentation (``initializationOptions: {"ruleDocs": URL template}``, else Markdown pages the
server writes into the user's cache).

Notebooks come through the LSP notebook document sync: their code cells are analysed in
order as one program, as the CLI reads a ``.ipynb``, and each cell gets its own diagnostics
(hover, hints and actions are for ``.py`` documents). It never writes a file: edits go back
to the editor as workspace edits it may apply.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from typing import Dict, List, Optional
from urllib.parse import unquote, urlparse

from . import __version__

DEBOUNCE_SECONDS = 0.3
_SEVERITIES = {"error": 1, "warning": 2, "info": 3}


def path_of(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def analyze_buffer(path: str, text: str, configs):
    """(FileResult, its findings in this file) for an editor's buffer."""
    from .pipeline import analyze_configured

    result = analyze_configured(path, configs(path), text)
    return result, [f for f in result.findings if os.path.abspath(f.path) == os.path.abspath(path)]


def _shape(shape) -> str:
    return "?" if shape is None else str(tuple(shape)) if shape and not isinstance(shape[0], list) else str(shape)


_ASSIGNED = re.compile(r"^\s*([A-Za-z_]\w*)\s*=[^=]")
_WORD = re.compile(r"[A-Za-z_]\w*")


def model_names(result, lines: List[str]) -> Dict[str, object]:
    """Variable name -> the summary of the model assigned to it on the line that builds it."""
    names = {}
    for summary in result.summaries:
        if 0 < summary.line <= len(lines):
            match = _ASSIGNED.match(lines[summary.line - 1])
            if match:
                names[match.group(1)] = summary
    return names


def _totals(summary) -> str:
    total = "?" if summary.total_params is None else f"{summary.total_params:,}"
    trainable = "?" if summary.trainable_params is None else f"{summary.trainable_params:,}"
    text = f"**{summary.name}** ({summary.kind}) · {total} params ({trainable} trainable) · {len(summary.rows)} layers"
    return text + ("" if summary.complete else "\n\nPartial: " + "; ".join(summary.problems or ["some layers could not be resolved"]))


def hover_text(result, line: int, column: int, lines: Optional[List[str]] = None) -> Optional[str]:
    """Markdown for 1-based ``line``, 0-based ``column``: the layer called there, else the
    model built there or named there; None when the line holds neither."""
    rows = [row for summary in result.summaries for row in summary.rows
            if row.path is None and row.line == line and not row.operation]
    before = [row for row in rows if row.col <= column]
    row = max(before, key=lambda r: r.col) if before else (rows[0] if rows else None)
    if row is not None:
        count = "? params" if row.params is None else f"{row.params:,} params"
        text = f"**{row.name}** ({row.class_name}) → `{_shape(row.output_shape)}` · {count}"
        if row.formula and row.params is not None:
            text += f"\n\n`{row.formula} = {row.params:,}`"
        return text
    if lines and 0 < line <= len(lines):
        word = next((m.group() for m in _WORD.finditer(lines[line - 1]) if m.start() <= column <= m.end()), None)
        summary = model_names(result, lines).get(word) if word else None
        if summary is not None:
            return _totals(summary)
    for summary in result.summaries:
        if summary.line == line:
            return _totals(summary)
    return None


def inlay_labels(result) -> Dict[int, str]:
    """1-based line -> the output shapes of the layers called on it, in order."""
    labels: Dict[int, List[str]] = {}
    for summary in result.summaries:
        for row in summary.rows:
            if row.path is None and row.called and not row.operation and row.output_shape is not None:
                labels.setdefault(row.line, []).append(_shape(row.output_shape))
    return {line: "  → " + ", ".join(shapes) for line, shapes in labels.items()}


def build_server():
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    from .config import PerFile
    from .rules import all_rules

    notebooks = types.NotebookDocumentSyncOptions(notebook_selector=[types.NotebookDocumentFilterWithCells(
        cells=[types.NotebookCellLanguage(language="python")], notebook="jupyter-notebook")])
    server = LanguageServer("archlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full,
                            notebook_document_sync=notebooks)
    configs = PerFile(None, None, None, None, [rule.code for rule in all_rules()])
    state = {"results": {}, "findings": {}, "versions": {}, "inlay_hints": True, "docs": {}}

    def refresh(ls, uri: str) -> None:
        document = ls.workspace.get_text_document(uri)
        path = path_of(uri)
        try:
            result, findings = analyze_buffer(path, document.source, configs)
        except Exception as error:  # a configuration error: said once, as a message
            ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"archlint: {error}"))
            return
        state["results"][uri], state["findings"][uri] = result, findings
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[_diagnostic(types, f, state["docs"]) for f in findings]))

    def refresh_notebook(ls, uri: str) -> None:
        """A notebook is analysed as the CLI reads one (code cells in order, as one program);
        each cell document gets its own findings."""
        notebook = ls.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is None:
            return
        text = notebook_json(notebook.cells, lambda cell: ls.workspace.get_text_document(cell.document).source)
        try:
            _, findings = analyze_buffer(path_of(uri), text, configs)
        except Exception as error:
            ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"archlint: {error}"))
            return
        by_cell: Dict[str, list] = {cell.document: [] for cell in notebook.cells}
        for finding in findings:
            if finding.cell and 0 < finding.cell <= len(notebook.cells):
                by_cell[notebook.cells[finding.cell - 1].document].append(_diagnostic(types, finding, state["docs"]))
        for cell_uri, diagnostics in by_cell.items():
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=diagnostics))

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls, params: types.DidOpenNotebookDocumentParams):
        refresh_notebook(ls, params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls, params: types.DidSaveNotebookDocumentParams):
        refresh_notebook(ls, params.notebook_document.uri)

    async def debounced(ls, uri: str, action) -> None:
        """``action(ls, uri)`` once a burst of changes to ``uri`` has stopped."""
        state["versions"][uri] = version = state["versions"].get(uri, 0) + 1
        await asyncio.sleep(DEBOUNCE_SECONDS)
        if state["versions"][uri] == version:  # the last change in the burst
            action(ls, uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def notebook_change(ls, params: types.DidChangeNotebookDocumentParams):
        await debounced(ls, params.notebook_document.uri, refresh_notebook)

    @server.feature(types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams):
        options = params.initialization_options or {}
        if isinstance(options, dict) and options.get("inlayHints") is False:
            state["inlay_hints"] = False
        state["docs"] = rule_links(options.get("ruleDocs") if isinstance(options, dict) else None)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams):
        refresh(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams):
        refresh(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls, params: types.DidChangeTextDocumentParams):
        await debounced(ls, params.text_document.uri, refresh)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        state["results"].pop(uri, None)
        state["findings"].pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls, params: types.HoverParams):
        result = state["results"].get(params.text_document.uri)
        lines = ls.workspace.get_text_document(params.text_document.uri).lines
        text = hover_text(result, params.position.line + 1, params.position.character, lines) if result else None
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
    def inlay_hint(ls, params: types.InlayHintParams):
        result = state["results"].get(params.text_document.uri)
        if result is None or not state["inlay_hints"]:
            return []
        lines = ls.workspace.get_text_document(params.text_document.uri).lines
        hints = []
        for line, label in sorted(inlay_labels(result).items()):
            if params.range.start.line <= line - 1 <= params.range.end.line and line - 1 < len(lines):
                end = len(lines[line - 1].rstrip("\r\n"))
                hints.append(types.InlayHint(position=types.Position(line - 1, end), label=label,
                                             kind=types.InlayHintKind.Type, padding_left=True))
        return hints

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION)
    def code_action(ls, params: types.CodeActionParams):
        uri = params.text_document.uri
        document = ls.workspace.get_text_document(uri)
        actions = []
        for finding in state["findings"].get(uri, []):
            if not params.range.start.line <= finding.line - 1 <= params.range.end.line:
                continue
            diagnostic = _diagnostic(types, finding, state["docs"])
            fixed = _fixed_text(uri, document.source, finding)
            if fixed is not None:
                actions.append(types.CodeAction(
                    title=f"archlint: {finding.fixes[0].description} ({finding.code})", kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic], edit=_whole_document_edit(types, uri, document.source, fixed)))
            line = document.lines[finding.line - 1].rstrip("\r\n") if finding.line - 1 < len(document.lines) else None
            if line is not None:
                noqa = f"{line}  # noqa: {finding.code}" if "#" not in line else None
                if noqa is not None:
                    actions.append(types.CodeAction(
                        title=f"archlint: silence {finding.code} on this line", kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic], edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
                            range=types.Range(types.Position(finding.line - 1, 0), types.Position(finding.line - 1, len(line))),
                            new_text=noqa)]})))
        return actions

    return server


def notebook_json(cells, text_of) -> str:
    """The notebook file the CLI would read for these cells: their kinds and sources."""
    import json

    from lsprotocol import types

    return json.dumps({"cells": [{"cell_type": "code" if cell.kind == types.NotebookCellKind.Code else "markdown",
                                  "metadata": {}, "source": text_of(cell)} for cell in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def rule_links(template: Optional[str]) -> Dict[str, str]:
    """code -> the link to its documentation: ``template`` filled in when the editor gives
    one (``initializationOptions: {"ruleDocs": "https://.../{code}.html"}``), else the
    Markdown pages written into the user's cache; none when neither can be had."""
    from .rule_docs import linked, user_pages_directory, write_pages
    from .rules import all_rules

    if isinstance(template, str) and template:
        try:
            return linked(template, all_rules())
        except (KeyError, IndexError, ValueError):  # a template naming another field
            return {}
    directory = user_pages_directory()
    try:
        return write_pages(directory, all_rules()) if directory else {}
    except OSError:  # a read-only home: findings keep their codes, without links
        return {}


def _diagnostic(types, finding, docs: Dict[str, str]):
    start = types.Position(max(finding.line - 1, 0), max(finding.col, 0))
    end = types.Position(max((finding.end_line or finding.line) - 1, 0), finding.end_col or finding.col + 1)
    if (end.line, end.character) <= (start.line, start.character):
        end = types.Position(start.line, start.character + 1)
    severity = types.DiagnosticSeverity(_SEVERITIES.get(finding.severity.name.lower(), 2))
    href = docs.get(finding.code)
    return types.Diagnostic(range=types.Range(start, end), message=finding.message, severity=severity,
                            code=finding.code, source="archlint",
                            code_description=types.CodeDescription(href=href) if href else None)


def _fixed_text(uri: str, text: str, finding) -> Optional[str]:
    """The buffer with this finding's safe fix applied; None when it has none that applies."""
    from .fixes import fixed_text
    from .source import Source, load

    if not finding.fixes:
        return None
    source = load(path_of(uri), (), text)
    if not isinstance(source, Source):
        return None
    fixed, applied = fixed_text(source, finding.fixes)
    return fixed if applied else None


def _whole_document_edit(types, uri: str, text: str, new_text: str):
    lines = text.splitlines(keepends=True) or [""]
    end = types.Position(len(lines), 0) if text.endswith("\n") else types.Position(len(lines) - 1, len(lines[-1]))
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(types.Position(0, 0), end), new_text=new_text)]})


def main() -> int:
    try:
        server = build_server()
    except ImportError:
        print("archlint: the language server needs pygls: pip install 'archlint[lsp]'", file=sys.stderr)
        return 2
    server.start_io()
    return 0
