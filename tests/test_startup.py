"""Lean start-up: commands that analyse nothing import neither libcst nor rich; a summary
into a pipe imports none of rich's console."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("command", [["--version"], ["rules"], ["rules", "--format", "json"], ["explain", "AL201"]])
def test_commands_that_analyse_nothing_stay_light(command):
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "archlint", *command],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert not {name for name in imported if name.split(".")[0] in ("libcst", "rich")}


def test_a_summary_without_colour_draws_without_rich_s_console():
    """Into a pipe, the summary and its table are written directly: rich's console, its
    tables and its markup are not imported."""
    model = Path(__file__).resolve().parent.parent / "fixtures" / "models" / "aspp_segmentation.py"
    environment = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "archlint", "summary", str(model)],
                          capture_output=True, text=True, timeout=120, env={**environment, "COLUMNS": "120"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Total params" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert not imported & {"rich.console", "rich.table", "rich.markup"}
