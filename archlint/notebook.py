"""Jupyter notebooks (``.ipynb``) as programs: their code cells, in order, as one file.

Read with the standard library's ``json`` (no dependency, and ``--fix`` needs the raw text
to put back byte for byte, which nbformat's round trip would not keep). A magic or shell
line (``%time``, ``!pip install``) and a whole ``%%`` cell become blank lines, so every
program line maps back to its cell and line. ``rewrite`` puts changed code back: only the
``source`` of the cells whose code changed is replaced in the raw JSON text, in the style it
was written (a list of lines or one string); outputs, metadata and layout stay as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import List, Tuple

SUFFIX = ".ipynb"


def is_notebook(path: str) -> bool:
    return str(path).endswith(SUFFIX)


class NotebookError(ValueError):
    """Not a notebook archlint can read (a one-line reason)."""


@dataclass
class Cell:
    index: int  # 1-based, among all the notebook's cells (as editors number them)
    first_line: int  # the program line its first line is on (1-based)
    lines: List[str]  # its source, one entry per line, without newlines
    span: Tuple[int, int]  # where its "source" value is in the raw JSON text
    as_list: bool  # written as a list of lines (nbformat's way) rather than one string


@dataclass
class Notebook:
    raw: str
    cells: List[Cell] = field(default_factory=list)  # the code cells

    @property
    def program(self) -> str:
        """The code cells as one program; magics and shell escapes blanked."""
        return "\n".join(line for cell in self.cells for line in _code_lines(cell)) + "\n"

    def skipped(self) -> List[Tuple[int, str]]:
        """(program line, text) of each skipped line that may set names the code then reads
        (``%run``, ``%load``, a ``%%`` cell that runs code): not display, timing or installs."""
        out = []
        for cell in self.cells:
            for number, (line, code) in enumerate(zip(cell.lines, _code_lines(cell))):
                if code == "" and line.strip() and not line.lstrip().startswith(_HARMLESS):
                    out.append((cell.first_line + number, line.strip()))
        return out

    def locate(self, line: int) -> Tuple[int, int]:
        """(cell index, line in the cell) of a program line."""
        for cell in reversed(self.cells):
            if line >= cell.first_line:
                return cell.index, line - cell.first_line + 1
        return (self.cells[0].index if self.cells else 1), line

    def rewrite(self, fixed_program: str) -> str:
        """The raw notebook with each code cell whose code ``fixed_program`` changed replaced."""
        lines = fixed_program.split("\n")
        edits = []
        for cell in self.cells:
            new = lines[cell.first_line - 1: cell.first_line - 1 + len(cell.lines)]
            code = _code_lines(cell)
            if new != code:  # fixes keep the line count: a blanked magic line is put back as it was
                kept = [raw if was == "" and raw != "" else line for line, was, raw in zip(new, code, cell.lines)]
                edits.append((cell, _source_text(self.raw, cell, kept)))
        out = self.raw
        for cell, text in sorted(edits, key=lambda edit: edit[0].span[0], reverse=True):
            out = out[: cell.span[0]] + text + out[cell.span[1]:]
        return out


# Magics and escapes that set no name the code reads: display, timing, profiling, installs.
_HARMLESS = ("%matplotlib", "%load_ext", "%reload_ext", "%autoreload", "%config", "%time", "%timeit", "%%time",
             "%%timeit", "%%capture", "%pip", "%conda", "!", "%env", "%cd", "%pwd", "%ls", "%who", "%precision",
             "%tensorflow_version", "%%writefile", "%%html", "%%markdown", "%%bash", "%%sh", "#")


def _code_lines(cell: Cell) -> List[str]:
    """The cell's lines as the program has them: magics, shell escapes and %% cells blank."""
    magic_cell = bool(cell.lines) and cell.lines[0].lstrip().startswith("%%")
    return ["" if magic_cell or _is_magic(line) else line for line in cell.lines]


def _is_magic(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("%", "!")) or (stripped.endswith("?") and not stripped.startswith("#"))


def _source_text(raw: str, cell: Cell, lines: List[str]) -> str:
    """The cell's new source as JSON, in the style its old one was written in."""
    text = "\n".join(lines)
    if not cell.as_list:
        return json.dumps(text, ensure_ascii=False)
    old = raw[cell.span[0]: cell.span[1]]
    items = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines and lines[-1] else [])
    if "\n" not in old:  # ["a\n", "b"] on one line
        return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"
    item_indent = old[old.index("\n") + 1:]
    item_indent = item_indent[: len(item_indent) - len(item_indent.lstrip(" \t"))]
    closing = old[old.rindex("\n") + 1: -1]
    return "[\n" + ",\n".join(item_indent + json.dumps(i, ensure_ascii=False) for i in items) + "\n" + closing + "]"


def read(raw: str) -> Notebook:
    """The notebook in ``raw`` (its JSON text)."""
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise NotebookError(f"not valid notebook JSON ({error})") from error
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise NotebookError("not a notebook: no list of cells")
    spans = _source_spans(raw)
    notebook = Notebook(raw)
    line = 1
    for position, cell in enumerate(document["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = text.split("\n")
        if lines and lines[-1] == "" and len(lines) > 1:
            lines = lines[:-1]
        span = spans.get(position)
        if span is None:
            raise NotebookError(f"cell {position + 1} has no source archlint can locate")
        notebook.cells.append(Cell(position + 1, line, lines, span, isinstance(source, list)))
        line += len(lines)
    return notebook


def _source_spans(raw: str) -> dict:
    """Cell position -> (start, end) of its "source" value in the raw text."""
    decoder = json.JSONDecoder()
    spans = {}
    index = _skip(raw, 0)
    if raw[index] != "{":
        return spans
    for key, start, end in _members(raw, index, decoder):
        if key != "cells":
            continue
        position, at = 0, _skip(raw, start + 1)
        while raw[at] != "]":
            value_end = decoder.raw_decode(raw, at)[1]
            if raw[at] == "{":
                for cell_key, s, e in _members(raw, at, decoder):
                    if cell_key == "source":
                        spans[position] = (s, e)
            position += 1
            at = _skip(raw, value_end)
            if raw[at] == ",":
                at = _skip(raw, at + 1)
    return spans


def _members(raw: str, index: int, decoder) -> List[Tuple[str, int, int]]:
    """(key, value start, value end) of the object starting at ``index``."""
    out = []
    at = _skip(raw, index + 1)
    while raw[at] != "}":
        key, at = decoder.raw_decode(raw, at)
        at = _skip(raw, _skip(raw, at) + 1)  # past the colon
        end = decoder.raw_decode(raw, at)[1]
        out.append((key, at, end))
        at = _skip(raw, end)
        if raw[at] == ",":
            at = _skip(raw, at + 1)
    return out


def _skip(raw: str, index: int) -> int:
    while index < len(raw) and raw[index] in " \t\r\n":
        index += 1
    return index
