"""Files to decoded text to a libcst module, with positions computed on demand.

Reading never executes anything. Before libcst sees a file, CPython's own parser
checks it: that gives precise syntax errors and refuses pathological nesting that
would make libcst's native parser crash or take minutes. Errors come back as
values (``Unreadable``, ``Unparsable``), never as exceptions to the caller.
"""

from __future__ import annotations

import ast
import codecs
import io
import os
import tokenize
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional, Union

import libcst as cst

from .graph import Site

MAX_BYTES = 5_000_000
MAX_NESTING = 250


@dataclass
class Unreadable:
    """The file cannot be read or decoded: a usage-level error (exit 2)."""

    path: str
    reason: str


@dataclass
class Unparsable:
    """The file was read but cannot be analyzed: reported as a finding."""

    path: str
    code: str  # AL901 syntax error, AL905 too complex
    message: str
    site: Site


@dataclass
class Source:
    path: str
    text: str
    module: cst.Module
    _positions: Optional[Dict[cst.CSTNode, Site]] = field(default=None, repr=False)

    def position(self, node: cst.CSTNode) -> Site:
        if self._positions is None:
            self._positions = _compute_positions(self.module)
        return self._positions.get(node, Site())

    @property
    def lines(self):
        return self.text.splitlines()


def read_text(path: str) -> Union[str, Unreadable]:
    try:
        if os.path.isdir(path):
            return Unreadable(path, "is a directory")
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            return Unreadable(path, f"file is {size / 1e6:.1f} MB; archlint reads files up to {MAX_BYTES / 1e6:.0f} MB")
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return Unreadable(path, "no such file")
    except OSError as error:
        return Unreadable(path, error.strerror or str(error))
    return decode(path, data)


def decode(path: str, data: bytes) -> Union[str, Unreadable]:
    """Decode as Python does: BOM, PEP 263 coding cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        return Unreadable(path, f"cannot decode: {error.msg if hasattr(error, 'msg') else error}")
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as error:
        detail = f" at byte {error.start}" if isinstance(error, UnicodeDecodeError) else ""
        return Unreadable(path, f"not valid {encoding} text{detail}")
    return text[1:] if text.startswith("\ufeff") else text


def parse(path: str, text: str) -> Union[Source, Unparsable]:
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as error:
        message = error.msg or "invalid syntax"
        return Unparsable(path, "AL901", f"syntax error: {message}", Site(error.lineno or 1, max((error.offset or 1) - 1, 0)))
    except (RecursionError, MemoryError):
        return Unparsable(path, "AL905", "the file nests too deeply to analyze", Site(1, 0))
    except ValueError as error:  # e.g. source containing NUL bytes
        return Unparsable(path, "AL901", f"syntax error: {error}", Site(1, 0))
    depth = _nesting(tree)
    if depth > MAX_NESTING:
        return Unparsable(
            path, "AL905", f"expressions nest {depth} levels deep; archlint analyzes up to {MAX_NESTING}", Site(1, 0)
        )
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return Unparsable(path, "AL901", f"syntax error: {error.message}", Site(error.raw_line, error.raw_column))
    except (RecursionError, MemoryError):
        return Unparsable(path, "AL905", "the file nests too deeply to analyze", Site(1, 0))
    return Source(path, text, module)


def load(path: str) -> Union[Source, Unreadable, Unparsable]:
    text = read_text(path)
    if isinstance(text, Unreadable):
        return text
    return parse(path, text)


def _nesting(tree: ast.AST) -> int:
    """Deepest chain of nested expression nodes (statements do not count)."""
    deepest = 0
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    return deepest
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return deepest


def _compute_positions(module: cst.Module) -> Dict[cst.CSTNode, Site]:
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    return {
        node: Site(pos.start.line, pos.start.column)
        for node, pos in wrapper.resolve(PositionProvider).items()
    }


PositionLookup = Callable[[cst.CSTNode], Site]
