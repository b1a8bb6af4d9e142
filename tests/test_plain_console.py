"""Text written for a stream without colour must be what rich's console writes: every summary
of the model fixtures (with its costs) at widths from a narrow terminal to a wide one, and
lines made to be hard (markup and escaped brackets, long words, wide characters, spaces)."""

import io
import random
from pathlib import Path

import pytest
import rich.console

from archlint.pipeline import analyze_file
from archlint.reporters import text
from archlint.reporters.plain_console import PlainConsole, escape, plain_console

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (24, 47, 80, 120, 200)


def rich_output(width, write):
    stream = io.StringIO()
    write(rich.console.Console(file=stream, highlight=False, force_terminal=False, color_system=None, width=width))
    return stream.getvalue()


def plain_output(width, write):
    stream = io.StringIO()
    write(PlainConsole(stream, width))
    return stream.getvalue()


def test_every_fixture_summary_and_its_costs_at_every_width():
    compared = 0
    for path in sorted((ROOT / "fixtures" / "models").glob("*.py")) + sorted((ROOT / "fixtures" / "costs").glob("*.py")):
        for summary in analyze_file(str(path), budget=None, costs=True).summaries:
            for width in WIDTHS:
                def write(console):
                    text.render_summary(summary, console, formulas=True)
                    text.render_costs(summary, console, 4)
                assert plain_output(width, write) == rich_output(width, write), (path.name, summary.name, width)
                compared += 1
    assert compared > 100


WORDS = ["a", "conv2d", "[bold]", "[/]", "\\[x]", "[None, 7]", "x" * 50, "", " ", "  two  spaces  ", "ünïcødé",
         "全角の名前です", "1,234,567", "\\", "[yellow]warn[/]", "end\\", ":smile:", "a:b:c", "tab\there"]


@pytest.mark.parametrize("seed", range(40))
def test_generated_lines(seed):
    rng = random.Random(seed)
    lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30))) for _ in range(4)]
    escaped = [escape(line) for line in lines]
    for width in (10, 33, 80):
        def write(console):
            for line in escaped:
                console.print(line)
            console.print(*escaped[:2])
            console.print()
            console.print(f"[bold] Total: [/]{escaped[0]}")
        assert plain_output(width, write) == rich_output(width, write), (lines, width)


def test_a_stream_without_a_terminal_gets_the_plain_console(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "93")
    console = plain_console(io.StringIO())
    assert console is not None and console.width == 93
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich would draw colour: rich draws it
    assert plain_console(io.StringIO()) is None
