"""Lean start-up: commands that analyse nothing import neither libcst nor rich."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", [["--version"], ["rules"], ["rules", "--format", "json"], ["explain", "AL201"]])
def test_commands_that_analyse_nothing_stay_light(command):
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "archlint", *command],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert not {name for name in imported if name.split(".")[0] in ("libcst", "rich")}
