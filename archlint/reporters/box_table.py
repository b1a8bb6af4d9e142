"""The summary table drawn as rich draws it, for output without colour, at a fraction of the cost.

rich lays out every cell of a ``Table(show_lines=True)`` through its general renderer, and a
large model's summary spends most of its time there. This module draws the same characters
directly, for the one kind of table the summary uses: fixed column widths (shrunk evenly when
the line is too short, as rich shrinks them), the default heavy-headed box, one space of
padding, words wrapped onto new lines, a word too long for its column cut with an ellipsis,
cells aligned left or right and to the top of their row.

It draws no colour and no other box or option: a terminal, or a stream whose encoding cannot
show the box, gets rich itself. ``draw`` returns None for any table it cannot draw exactly
(a tab in a cell, columns too narrow), and the caller then draws it with rich.
tests/test_box_table.py compares both, line for line, on many summaries at many widths.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

from rich.cells import cell_len, set_cell_size

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


def column_widths(widths: Sequence[int], line_length: int) -> List[int]:
    """Each column's width with its padding, filling ``line_length`` with the borders: the
    room left over shared in proportion to the widths asked, or the excess taken evenly."""
    room = line_length - (len(widths) + 1)
    padded = [min(width + 2, room) or 1 for width in widths]
    excess = sum(padded) - room
    if excess <= 0:
        spare, weight = -excess, sum(padded)
        grown = []
        for width in padded:
            share = -(-width * spare // weight) if weight > 0 else spare  # rounded up
            grown.append(width + share)
            spare -= share
            weight -= width
        return grown
    shares, remaining = len(padded), excess
    reduced = []
    for width in padded:
        cut = min(width, round(remaining / shares))
        reduced.append(width - cut)
        remaining -= cut
        shares -= 1
    return [min(width, new) for width, new in zip(padded, reduced)]


def _breaks(text: str, width: int) -> List[int]:
    """Where ``text`` is broken to fit ``width`` cells: before a word that does not fit the
    rest of the line; a word longer than a whole line gets a line of its own."""
    breaks: List[int] = []
    used = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = cell_len(word.rstrip())
        if width - used >= length:
            used += cell_len(word)
        elif length > width:
            if start:
                breaks.append(start)
            used = cell_len(word)
        elif used and start:
            breaks.append(start)
            used = cell_len(word)
    return breaks


def _fit(line: str, width: int) -> str:
    """``line`` cut to ``width`` cells, its last cell an ellipsis when anything was cut."""
    return set_cell_size(line, width - 1) + "…" if cell_len(line) > width else line


def cell_lines(text: str, width: int, right: bool) -> List[str]:
    """The lines of one cell's text in ``width`` cells (padding excluded), each exactly
    ``width`` cells wide."""
    lines: List[str] = []
    for paragraph in text.split("\n"):
        offsets = _breaks(paragraph, width)
        pieces = [paragraph[a:b] for a, b in zip([0, *offsets], [*offsets, len(paragraph)])]
        for piece in pieces:
            if len(piece) > width:  # spaces past the edge go before anything else is cut
                space = _TRAILING_SPACE.search(piece)
                if space is not None:
                    piece = piece[:len(piece) - min(len(space.group(0)), len(piece) - width)]
            if right:
                piece = _fit(piece.rstrip(), width)
                piece = " " * (width - cell_len(piece)) + piece
            else:
                piece = _fit(piece, width)
            lines.append(piece + " " * (width - cell_len(piece)))
    return lines


def draw(header: Sequence[str], align: Sequence[str], widths: Sequence[int], line_length: int,
         rows: Sequence[Sequence[str]]) -> Optional[List[str]]:
    """The table's lines, or None when this module cannot draw it exactly as rich would."""
    if any("\t" in cell for row in [header, *rows] for cell in row):
        return None
    padded = column_widths(widths, line_length)
    if min(padded) < 3:
        return None
    right = [a == "right" for a in align]

    def row_lines(cells: Sequence[str], side: str, bottom: bool = False) -> List[str]:
        columns = [cell_lines(cell, width - 2, r) for cell, width, r in zip(cells, padded, right)]
        height = max(len(column) for column in columns)
        for index, width in enumerate(padded):
            blank = [" " * (width - 2)] * (height - len(columns[index]))
            columns[index] = blank + columns[index] if bottom else columns[index] + blank
        return [side + side.join(f" {column[i]} " for column in columns) + side for i in range(height)]

    def rule(left: str, line: str, middle: str, end: str) -> str:
        return left + middle.join(line * width for width in padded) + end

    # The header sits on the bottom of its row, the other cells on the top of theirs.
    out = [rule("┏", "━", "┳", "┓"), *row_lines(header, "┃", bottom=True), rule("┡", "━", "╇", "┩")]
    for index, row in enumerate(rows):
        if index:
            out.append(rule("├", "─", "┼", "┤"))
        out += row_lines(row, "│")
    out.append(rule("└", "─", "┴", "┘"))
    return out
