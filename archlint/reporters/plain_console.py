"""Console output for a stream that shows no colour (a pipe, a file, CI), written as rich's
console writes it, without importing rich's console: markup tags dropped and escaped
brackets kept, each line wrapped at the console's width where rich wraps it. Anything but
text (a rich table) is handed to a rich console on the same stream.

``plain_console`` returns one only where rich would draw no colour and no terminal codes;
``reporters.text.make_console`` uses it there. tests/test_plain_console.py compares both.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, Optional, TextIO

_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")  # rich's markup tag, with the backslashes before it
_TRAILING_SPACE = re.compile(r"\s+$")
# What rich's console does more with text than this module: emoji codes (``:smile:``), tabs
# and control characters.
_RICH_ONLY = re.compile(r":\S*?:|[\x00-\x09\x0b-\x1f\x7f]")


def plain_console(stream: TextIO, width: Optional[int] = None) -> Optional["PlainConsole"]:
    """A PlainConsole on ``stream`` when rich would treat it as no terminal (nothing forces
    colour or terminal codes) and it takes UTF-8; else None."""
    if sys.platform == "win32" or any(os.environ.get(name) is not None for name in ("FORCE_COLOR", "TTY_COMPATIBLE")):
        return None
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None
    return PlainConsole(stream, width if width is not None else _width(), encoding)


def _width() -> int:
    """rich's width for a console that is not a terminal: ``$COLUMNS``, else the size of a
    terminal on standard input, output or error, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit() and int(columns):
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            size = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        return size or 80
    return 80


_ESCAPABLE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def escape(text: str) -> str:
    """``text`` for rich's markup, as ``rich.markup.escape`` writes it: a bracket that would
    open a tag gets a backslash (and the backslashes before it are doubled)."""
    text = _ESCAPABLE.sub(lambda match: f"{match.group(1)}{match.group(1)}\\{match.group(2)}", text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


def strip_markup(text: str) -> str:
    """The text rich's markup renders, without its styles: tags dropped, ``\\[`` kept as ``[``."""
    out, position = [], 0
    for match in _TAG.finditer(text):
        full, escapes, _ = match.groups()
        start, end = match.span()
        out.append(text[position:start])
        position = end
        backslashes, escaped = divmod(len(escapes), 2)
        out.append("\\" * backslashes)
        if escaped:
            out.append(full[len(escapes):])
    out.append(text[position:])
    return "".join(out)


def wrap(line: str, width: int) -> list:
    """One line of text as rich prints it at ``width`` cells: broken where rich breaks it,
    space past the edge dropped, the rest cut to the width."""
    from rich._wrap import divide_line  # the wrapping rich's Text applies: the same breaks
    from rich.cells import cell_len, set_cell_size

    offsets = divide_line(line, width, fold=True)
    pieces = [line[a:b] for a, b in zip([0, *offsets], [*offsets, len(line)])]
    out = []
    for piece in pieces:
        if len(piece) > width:
            space = _TRAILING_SPACE.search(piece)
            if space is not None:
                piece = piece[:len(piece) - min(len(space.group(0)), len(piece) - width)]
        out.append(set_cell_size(piece, width) if cell_len(piece) > width else piece)
    return out


class PlainConsole:
    """The part of rich's Console the summary uses, for a stream without colour."""

    color_system = None

    def __init__(self, stream: TextIO, width: int, encoding: str = "utf-8"):
        self.file = stream
        self.width = width
        self.encoding = encoding
        self._rich: Any = None

    def print(self, *objects: Any) -> None:
        if not all(isinstance(o, str) for o in objects) or _RICH_ONLY.search(" ".join(objects)):
            self._rich_console().print(*objects)  # a table, an emoji code, a tab or a control character
            return
        text = strip_markup(" ".join(objects))
        self.file.write("".join(piece + "\n" for line in text.split("\n") for piece in wrap(line, self.width)))

    def out(self, text: str, highlight: bool = False) -> None:
        self.file.write(text + "\n")

    def _rich_console(self):
        if self._rich is None:
            import rich.console

            self._rich = rich.console.Console(file=self.file, highlight=False, width=self.width)
        return self._rich
