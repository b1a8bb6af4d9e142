"""Test set-up: real Keras runs on the numpy backend; summaries are laid out 200 columns wide."""

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


def pytest_terminal_summary(terminalreporter):
    """Report how many random layer configurations the differential fuzz test ran."""
    mutants = sys.modules.get("test_mutants")
    if mutants is not None and mutants.RESULTS:
        r = mutants.RESULTS
        terminalreporter.write_line(
            f"mutants: {r['tried']} tried, {r['rejected']} rejected by Keras, {r['caught']} caught at the right line, "
            f"{r['false_errors']} false errors, {r['failures']} archlint failures")
    generated = sys.modules.get("test_generated_programs")
    if generated is not None and generated.RESULTS:
        r = generated.RESULTS
        terminalreporter.write_line(
            f"generated programs: {r['generated']} ({r['styles']}), {r['matched']} built by Keras and matched row for row, "
            f"{r['refused']} refused by Keras, {r['mismatched']} mismatched")
    hostile = sys.modules.get("test_hostile")
    if hostile is not None and hostile.RESULTS:
        r = hostile.RESULTS
        terminalreporter.write_line(f"hostile inputs: {r['files']} files, peak memory {r['peak_mb']:.0f} MB, no traceback")
    fuzz = sys.modules.get("test_catalog_fuzz")
    if fuzz is not None and fuzz.CASES["run"]:
        cases = fuzz.CASES
        terminalreporter.write_line(
            f"catalog fuzz: {cases['run']} generated cases over {cases['layers']} layer classes "
            f"({cases['accepted']} built by Keras and matched, {cases['refused']} refused by both)"
        )
