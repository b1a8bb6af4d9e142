"""Test set-up: real Keras runs on the numpy backend; summaries are laid out 200 columns wide."""

import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ["COLUMNS"] = "200"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true",
                     help="the long fuzzing runs: more hostile inputs, mutants and generated programs")


def pytest_terminal_summary(terminalreporter):
    """Report how many random layer configurations the differential fuzz test ran."""
    fuzz = sys.modules.get("test_catalog_fuzz")
    if fuzz is not None and fuzz.CASES["run"]:
        cases = fuzz.CASES
        terminalreporter.write_line(
            f"catalog fuzz: {cases['run']} generated cases over {cases['layers']} layer classes "
            f"({cases['accepted']} built by Keras and matched, {cases['refused']} refused by both)"
        )
