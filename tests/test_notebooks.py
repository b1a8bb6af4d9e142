"""Notebooks in check, summary, report, --fix and directory walks: cells in order as one
program, magics skipped, findings located by cell, fixes touching only the fixed cell."""

import json
import shutil
from pathlib import Path

import pytest

from archlint import notebook
from archlint.cli import main
from archlint.pipeline import analyze_file

NOTEBOOK = Path(__file__).resolve().parent.parent / "fixtures" / "notebooks" / "cifar_small.ipynb"


def _where(needle):
    """(cell index, line in the cell) of the code line containing ``needle``."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    for index, cell in enumerate(cells, 1):
        for number, line in enumerate("".join(cell["source"]).split("\n"), 1):
            if needle in line:
                return index, number
    raise AssertionError(needle)


def test_findings_are_located_by_cell(capsys):
    cell, line = _where("layers.Conv2D(16")
    assert main(["check", str(NOTEBOOK.parent)]) == 1  # directory walks find notebooks
    out = capsys.readouterr().out
    assert out.startswith(f"{NOTEBOOK.parent / NOTEBOOK.name}:cell {cell}:{line}:5: AL201 ")
    main(["check", str(NOTEBOOK), "--format", "json"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["cell"], finding["line"], finding["code"]) == (cell, line, "AL201")


def test_summary_equals_keras_running_the_cells(tmp_path):
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    program = tmp_path / "cells.py"
    program.write_text(notebook.read(NOTEBOOK.read_text()).program)
    assert "%" not in program.read_text() and "pip install" not in program.read_text()
    (want,) = build_fixture(program)
    (got,) = analyze_file(str(NOTEBOOK)).summaries
    assert (got.name, got.total_params, got.trainable_params, got.non_trainable_params) == (
        want["name"], want["total_params"], want["trainable_params"], want["non_trainable_params"])


def test_fix_changes_only_the_fixed_cells_source(tmp_path, capsys):
    copy = tmp_path / "nb.ipynb"
    shutil.copy(NOTEBOOK, copy)
    before = copy.read_text()
    assert main(["check", str(copy), "--fix"]) == 0
    after = copy.read_text()
    cell, _ = _where("layers.Conv2D(16")
    old, new = json.loads(before), json.loads(after)
    changed = [i + 1 for i, (a, b) in enumerate(zip(old["cells"], new["cells"])) if a != b]
    assert changed == [cell]
    assert {k: v for k, v in old["cells"][cell - 1].items() if k != "source"} == {
        k: v for k, v in new["cells"][cell - 1].items() if k != "source"}
    span = notebook.read(before).cells[[c.index for c in notebook.read(before).cells].index(cell)].span
    assert after[: span[0]] == before[: span[0]]  # byte for byte before the cell's source
    assert after.endswith(before[span[1]:])  # and after it
    assert "use_bias=False" in "".join(new["cells"][cell - 1]["source"])


def test_report_includes_a_notebook(capsys):
    assert main(["report", str(NOTEBOOK)]) == 0
    assert "Model `cifar_small`" in capsys.readouterr().out


def test_broken_notebooks_are_one_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{ not json")
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"archlint: {bad}") and "\n" not in err
    odd = tmp_path / "odd.ipynb"
    odd.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "import keras\nx = (", "metadata": {}}]}))
    main(["check", str(odd)])
    assert ":cell 1:2:" in capsys.readouterr().out  # the syntax error, in its cell
