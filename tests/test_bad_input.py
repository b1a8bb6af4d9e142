"""Bad input never crashes and never hangs: a one-line message or an AL9xx finding, and an exit code."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "fixtures" / "bad"


def archlint(*args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "archlint", *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.mark.parametrize(
    "name, code, exit_code, needle",
    [
        ("syntax_error.py", "AL901", 1, "syntax error"),
        ("deeply_nested.py", "AL905", 1, "nest"),
        ("no_keras_syntax_error.py", "AL901", 1, "syntax error"),
        ("forever_loop.py", "AL904", 1, "loop unrolled more than"),
        ("runaway_recursion.py", "AL904", 1, "calls nested more than"),
    ],
)
def test_check_reports_an_analyzer_finding(name, code, exit_code, needle):
    done = archlint("check", BAD / name)
    line = one_line(done.stdout)
    assert f" {code} " in line and needle in line and line.startswith(str(BAD / name))
    assert done.returncode == exit_code
    assert done.stderr == ""


@pytest.mark.parametrize(
    "path, reason",
    [
        (BAD / "latin1_no_cookie.py", "not valid utf-8"),
        (BAD / "does_not_exist.py", "no such file"),
        (BAD, "is a directory"),
    ],
)
def test_summary_of_unreadable_input_is_one_line_and_exit_2(path, reason):
    done = archlint("summary", path)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert str(path) in line and reason in line


def test_check_goes_on_past_unreadable_files():
    done = archlint("check", BAD / "latin1_no_cookie.py", BAD / "syntax_error.py")
    assert done.returncode == 2
    assert "AL901" in done.stdout
    assert "not valid utf-8" in one_line(done.stderr)


@pytest.mark.parametrize("name", ["empty.py", "no_model.py"])
def test_summary_without_model(name):
    done = archlint("summary", BAD / name)
    assert done.returncode == 1
    assert one_line(done.stderr).endswith("no Keras model found")
    assert archlint("check", BAD / name).returncode == 0


def test_coding_cookie_is_honoured():
    done = archlint("summary", BAD / "latin1_with_cookie.py", "--format", "json")
    assert done.returncode == 0 and '"total_params": 8' in done.stdout


def test_unknown_layer_gives_a_partial_summary():
    done = archlint("summary", BAD / "unknown_layer.py", "--format", "json", "--show-incomplete")
    assert done.returncode == 0
    import json

    document = json.loads(done.stdout)
    (model,) = document["models"]
    assert model["complete"] is False and model["total_params"] is None
    rows = {row["name"]: row for row in model["layers"]}
    assert rows["conv2d"]["params"] == 224 and rows["conv2d"]["output_shape"] == [None, 14, 14, 8]
    assert rows["fancy_new_layer"]["output_shape"] is None
    (finding,) = document["findings"]
    assert finding["code"] == "AL903" and finding["line"] == 7 and "FancyNewLayer" in finding["message"]


def test_bad_entry_is_a_usage_error():
    done = archlint("summary", ROOT / "fixtures" / "models" / "seed003_unet.py", "--entry", "nonexistent")
    assert done.returncode == 2
    assert "nonexistent" in one_line(done.stderr)


def test_the_code_around_a_syntax_error_is_analyzed():
    """A file with a line that is not Python 3 still has its models read; they are
    incomplete, and --fix leaves the file alone."""
    path = BAD / "syntax_error_after_model.py"
    done = archlint("check", path, "--format", "json")
    found = [(f["code"], f["line"]) for f in json.loads(done.stdout)["findings"]]
    assert ("AL901", 10) in found and ("AL104", 5) in found
    (model,) = json.loads(archlint("summary", path, "--format", "json").stdout)["models"]
    assert not model["complete"] and [layer["name"] for layer in model["layers"]] == ["lstm", "dense"]
    assert "line 10 is not valid Python and was not read" in " ".join(archlint("summary", path).stdout.split())
    before = path.read_bytes()
    archlint("check", path, "--fix")
    assert path.read_bytes() == before


@pytest.mark.parametrize("broken, skipped", [
    ("%tensorflow_version 2.x\n", "line 2 is not valid Python and was not read"),
    ("Here is my code:\n", "line 2 is not valid Python and was not read"),
    ("try:\n    %pip install keras\nexcept Exception:\n    pass\n", "line 3 is not valid Python and was not read"),
])
def test_single_lines_that_are_not_python_are_set_aside(tmp_path, broken, skipped):
    """A notebook magic, a line of prose or a Python 2 statement pasted into a script is read
    as `pass`; everything else stays where it is, and the models are marked incomplete."""
    path = tmp_path / "pasted.py"
    path.write_text("import keras\n" + broken + "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='relu')])\n"
                    "model.add(keras.layers.Dense(2))\n")
    done = archlint("check", path, "--format", "json")
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["AL901"]
    (model,) = json.loads(archlint("summary", path, "--format", "json").stdout)["models"]
    assert [layer["output_shape"] for layer in model["layers"]] == [[None, 3], [None, 2]]
    assert not model["complete"]
    assert skipped in " ".join(archlint("summary", path).stdout.split())


def test_the_code_before_an_unclosed_call_is_analyzed(tmp_path):
    """An error no single line explains (an unclosed bracket): the file is read up to the
    last top-level statement that starts before it."""
    path = tmp_path / "unclosed.py"
    path.write_text("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\n"
                    "model.fit(x, y,\n")
    (model,) = json.loads(archlint("summary", path, "--format", "json").stdout)["models"]
    assert [layer["output_shape"] for layer in model["layers"]] == [[None, 3]] and not model["complete"]
    assert "the file stops parsing at line 3: what follows is not read" in " ".join(archlint("summary", path).stdout.split())
