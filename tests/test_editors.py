"""Editors through the command line: a buffer on standard input, configuration found from
each file's directory, plain output when not on a terminal, and one-line messages for what
cannot be analysed."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TYPO = 'import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activaton="relu")])\n'
BIASED = ("import keras\nx = keras.Input((8, 8, 3))\ny = keras.layers.Conv2D(4, 3)(x)\n"
          "y = keras.layers.BatchNormalization()(y)\nmodel = keras.Model(x, y)\n")


def archlint(*args, cwd=None, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "archlint", *map(str, args)], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _project(tmp_path, name, ignore):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "pyproject.toml").write_text(f'[tool.archlint]\nignore = ["{ignore}"]\n' if ignore else "[tool.archlint]\n")
    return folder


def test_a_buffer_on_stdin_is_reported_as_the_named_file(tmp_path):
    done = archlint("check", "--stdin-filename", "models/net.py", "--format", "json", stdin=TYPO, cwd=tmp_path)
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["file"], finding["line"], finding["code"]) == ("models/net.py", 2, "AL105")
    assert done.returncode == 1
    summary = archlint("summary", "--stdin-filename", "net.py", "--format", "json", stdin=TYPO.replace("activaton", "activation"))
    assert json.loads(summary.stdout)["models"][0]["total_params"] == 15


def test_a_buffer_on_stdin_takes_the_configuration_of_its_directory(tmp_path):
    quiet = _project(tmp_path, "quiet", "AL105")
    done = archlint("check", "--stdin-filename", quiet / "net.py", stdin=TYPO, cwd=ROOT)
    assert done.returncode == 0 and done.stdout == ""


def test_fix_on_stdin_writes_the_fixed_source(tmp_path):
    done = archlint("check", "--stdin-filename", "net.py", "--fix", stdin=BIASED, cwd=tmp_path)
    assert done.stdout == BIASED.replace("Conv2D(4, 3)", "Conv2D(4, 3, use_bias=False)")
    assert done.returncode == 0
    untouched = archlint("check", "--stdin-filename", "net.py", "--fix", stdin=TYPO, cwd=tmp_path)
    assert untouched.stdout == TYPO and untouched.returncode == 1


def test_each_file_takes_the_nearest_configuration_above_it(tmp_path):
    quiet, loud = _project(tmp_path, "quiet", "AL105"), _project(tmp_path, "loud", None)
    for folder in (quiet, loud):
        (folder / "net.py").write_text(TYPO)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = archlint("check", quiet / "net.py", loud / "net.py", "--format", "json", cwd=elsewhere)
    assert [Path(f["file"]).parent.name for f in json.loads(done.stdout)["findings"]] == ["loud"]


def test_no_colour_off_a_terminal_and_the_width_is_honoured(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(TYPO.replace("activaton", "activation"))
    plain = archlint("summary", path)
    assert "\x1b[" not in plain.stdout
    widths = {max(len(line) for line in archlint("summary", path, *args, env=env).stdout.splitlines())
              for args, env in ((("--width", "60"), None), ((), {"COLUMNS": "60"}))}
    assert len(widths) == 1 and widths.pop() <= 60
    assert max(len(line) for line in plain.stdout.splitlines()) > 60


def test_nothing_to_analyse_is_said_in_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = archlint("check", empty)
    assert done.returncode == 0 and done.stderr.strip() == f"archlint: warning: no Python files or notebooks in {empty}"
    (tmp_path / "build.py").write_text("import keras\ndef build(num_classes=10):\n"
                                       "    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(num_classes)])\n")
    typo = archlint("summary", tmp_path / "build.py", "--entry", "build(num_clases=3)")
    assert typo.returncode == 2 and typo.stdout == ""
    assert typo.stderr.strip().endswith("build() has no parameter `num_clases` (did you mean `num_classes`?)")


def test_findings_after_an_error_in_the_same_model_are_reported(tmp_path):
    path = tmp_path / "net.py"
    path.write_text("import keras\nfrom keras import layers\ninputs = keras.Input((28, 28))\n"
                    "x = layers.Conv2D(8, 3, activation='relu')(inputs)\nx = layers.Conv2D(16, 3)(x)\n"
                    "x = layers.BatchNormalization()(x)\nmodel = keras.Model(inputs, x)\n")
    found = [(f["code"], f["line"]) for f in json.loads(archlint("check", path, "--format", "json").stdout)["findings"]]
    assert found == [("AL104", 4), ("AL201", 5)]
