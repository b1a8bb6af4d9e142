"""The summary table drawn without rich's layout must be the table rich draws: every summary
of the model fixtures, at widths from a narrow terminal to a wide one, line for line; and
tables made to be hard (long words, right-aligned cells that wrap, empty cells, no rows)."""

import random
from pathlib import Path

import pytest
import rich.console
import rich.table

from archlint.pipeline import analyze_file
from archlint.reporters import box_table, text
from archlint.reporters.box_table import draw

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (24, 33, 47, 60, 80, 101, 120, 200)


def rich_lines(header, align, widths, line_length, rows):
    console = rich.console.Console(highlight=False, force_terminal=False, color_system=None, width=line_length + 4)
    table = rich.table.Table(*[rich.table.Column(h, justify=a, width=w) for h, a, w in zip(header, align, widths)],
                             width=line_length, show_lines=True)
    for row in rows:
        table.add_row(*[rich.text.Text(cell) for cell in row])
    console.begin_capture()
    console.print(table)
    return console.end_capture().splitlines()


def summaries():
    for path in sorted((ROOT / "fixtures" / "models").glob("*.py")):
        yield from analyze_file(str(path), budget=None).summaries


def test_every_fixture_summary_at_every_width():
    compared = 0
    for summary in summaries():
        for width in WIDTHS:
            console = rich.console.Console(highlight=False, force_terminal=False, color_system=None, width=width)
            console.begin_capture()
            text.render_summary(summary, console, width=width)
            fast = console.end_capture()
            original = box_table.draw
            box_table.draw = lambda *args: None  # what rich itself prints
            try:
                console.begin_capture()
                text.render_summary(summary, console, width=width)
                slow = console.end_capture()
            finally:
                box_table.draw = original
            assert fast == slow, (summary.name, width)
            compared += 1
    assert compared > 100


WORDS = ["a", "conv2d", "(None,", "7,", "1024)", "batch_normalization_17", "x" * 40, "", " ", "  two  spaces ",
         "separable_conv_1_normal_left1_12", "ünïcødé", "全角の名前", "[0][0],", "-", "1,234,567"]


@pytest.mark.parametrize("seed", range(40))
def test_made_up_tables(seed):
    rng = random.Random(seed)
    columns = rng.randint(1, 5)
    header = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) for _ in range(columns)]
    align = [rng.choice(["left", "right"]) for _ in range(columns)]
    widths = [rng.randint(1, 40) for _ in range(columns)]
    line_length = rng.randint(4 * columns + 4, 140)
    rows = [[" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6))) for _ in range(columns)]
            for _ in range(rng.randint(0, 6))]
    drawn = draw(header, align, widths, line_length, rows)
    if drawn is not None:
        assert drawn == rich_lines(header, align, widths, line_length, rows)
