"""Test set-up: real Keras runs on the numpy backend; summaries are laid out 200 columns wide;
the check cache lives in a temporary directory; `--slow` and the fuzzing tests' tallies."""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ.setdefault("ARCHLINT_CACHE_DIR", tempfile.mkdtemp(prefix="archlint-test-cache-"))  # never in the tree
os.environ["COLUMNS"] = "200"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true",
                     help="the long fuzzing runs: more hostile inputs, mutants and generated programs")


# Test modules that report what they ran: each has ``summary_line()`` (None when it did not run).
REPORTING = ("test_mutants", "test_generated_programs", "test_hostile", "test_catalog_fuzz")


def pytest_terminal_summary(terminalreporter):
    """Report how many cases the fuzzing tests generated and how they fared."""
    for name in REPORTING:
        module = sys.modules.get(name)
        line = module.summary_line() if module is not None else None
        if line:
            terminalreporter.write_line(line)
