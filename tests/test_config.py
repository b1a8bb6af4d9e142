"""[tool.archlint] in pyproject.toml and the command-line flags that override it."""

import textwrap

import pytest

from archlint.cli import main

MODEL = """
import keras
from keras import layers

inputs = keras.Input((784,))
hidden = layers.Dense(256)(inputs)
outputs = layers.Dense(10, activation="softmax", kernel_initializer="zeros")(hidden)
model = keras.Model(inputs, outputs)
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(MODEL)
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "model.py").write_text(MODEL)
    monkeypatch.chdir(tmp_path)

    def run(config, *flags):
        (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config))
        return main(["check", "pkg", "scripts", *flags])

    return run


def _reported(capsys):
    out = capsys.readouterr()
    return sorted({(line.split(":")[0], line.split()[1]) for line in out.out.splitlines()}), out.err


def test_defaults_without_a_table(project, capsys):
    assert project("[project]\nname = 'x'\n") == 1
    found, _ = _reported(capsys)
    assert found == [("pkg/model.py", "AL203"), ("pkg/model.py", "AL305"),
                     ("scripts/model.py", "AL203"), ("scripts/model.py", "AL305")]


def test_longest_prefix_wins(project, capsys):
    project('[tool.archlint]\nignore = ["AL2", "AL3"]\nextend-select = ["AL203"]\n')
    found, _ = _reported(capsys)
    assert {code for _, code in found} == {"AL203"}


def test_per_file_ignores_and_severity_and_fail_on(project, capsys):
    code = project("""
        [tool.archlint]
        fail-on = "error"
        [tool.archlint.per-file-ignores]
        "scripts/*" = ["AL3"]
        [tool.archlint.severity]
        AL305 = "error"
    """)
    found, _ = _reported(capsys)
    assert ("scripts/model.py", "AL305") not in found and ("pkg/model.py", "AL305") in found
    assert code == 1  # the AL305 in pkg/ is an error now
    assert project('[tool.archlint]\nfail-on = "error"\n') == 0  # warnings only


def test_command_line_overrides_the_file(project, capsys):
    project('[tool.archlint]\nselect = ["AL203"]\n', "--select", "AL305")
    found, _ = _reported(capsys)
    assert {code for _, code in found} == {"AL305"}
    assert project('[tool.archlint]\nfail-on = "error"\n', "--fail-on", "warning") == 1


@pytest.mark.parametrize("config, needle", [
    ('[tool.archlint]\nselct = ["AL2"]\n', "unknown key 'selct'"),
    ('[tool.archlint]\nignore = "AL203"\n', "expected a list"),
    ('[tool.archlint]\nignore = ["AL2O3"]\n', "'AL2O3' matches no rule"),
    ('[tool.archlint]\nfail-on = "fatal"\n', "not one of info, warning, error"),
    ('[tool.archlint\n', "not valid TOML"),
])
def test_a_bad_configuration_is_a_usage_error(project, capsys, config, needle):
    assert project(config) == 2
    _, err = _reported(capsys)
    assert needle in err and err.count("\n") == 1
