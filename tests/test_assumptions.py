"""Values only the data knows, said by the user: --assume, [tool.archlint.assume], comments.

A script reading its data from files is summarised, with the assumptions, exactly as real
Keras builds the same script with those values written in.
"""

import json
import os
import textwrap

import pytest

from archlint.assumptions import AssumptionError, in_comments, parse, parse_all
from archlint.cli import main
from compare import archlint_models, differences

READS_DATA = """
import numpy as np
import keras

x_train = np.load("train.npy"){comment}
num_classes = len(set(open("labels.txt").read().split()))
model = keras.Sequential(
    [keras.Input(x_train.shape[1:]), keras.layers.Conv1D(8, 3), keras.layers.Flatten(), keras.layers.Dense(num_classes)]
)
"""
VALUES_WRITTEN_IN = """
import numpy as np
import keras

x_train = np.zeros((4, 288, 1))
num_classes = 10
model = keras.Sequential(
    [keras.Input(x_train.shape[1:]), keras.layers.Conv1D(8, 3), keras.layers.Flatten(), keras.layers.Dense(num_classes)]
)
"""


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    path = tmp_path_factory.mktemp("truth") / "written.py"
    path.write_text(VALUES_WRITTEN_IN)
    return build_fixture(path)


def _summary(capsys, *argv):
    assert main(["summary", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["models"]


def test_without_assumptions_the_total_is_unknown(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(READS_DATA.format(comment=""))
    (model,) = _summary(capsys, str(path))
    assert model["total_params"] is None and not model["complete"]


def test_command_line_and_comment(tmp_path, expected):
    path = tmp_path / "train.py"
    path.write_text(READS_DATA.format(comment="  # archlint: assume x_train.shape = (None, 288, 1)"))
    got = archlint_models(path, assumptions=parse_all(["num_classes=10"]))
    assert differences(expected, got) == []


def test_pyproject_glob(tmp_path, capsys, expected, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""
        [tool.archlint.assume]
        "scripts/*.py" = ["x_train.shape=(None, 288, 1)", "num_classes=10"]
        "other/*.py" = ["num_classes=3"]
    """))
    script = tmp_path / "scripts" / "train.py"
    script.parent.mkdir()
    script.write_text(READS_DATA.format(comment=""))
    monkeypatch.chdir(tmp_path)
    (model,) = _summary(capsys, os.path.join("scripts", "train.py"))
    assert model["total_params"] == expected[0]["total_params"]
    (model,) = _summary(capsys, os.path.join("scripts", "train.py"), "--assume", "num_classes=2")  # the command line wins
    from keras_oracle import build_fixture

    two_classes = tmp_path / "two.py"
    two_classes.write_text(VALUES_WRITTEN_IN.replace("num_classes = 10", "num_classes = 2"))
    assert model["total_params"] == build_fixture(two_classes)[0]["total_params"]


def test_assumptions_never_override_what_the_code_says(tmp_path):
    path = tmp_path / "said.py"
    path.write_text("import keras\nunits = 4\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])\n")
    (model,) = archlint_models(path, assumptions=parse_all(["units=100"]))
    assert model["total_params"] == 3 * 4 + 4


def test_bad_assumptions_are_one_line_errors(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(READS_DATA.format(comment=""))
    assert main(["summary", str(path), "--assume", "num_classes=ten"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("archlint: --assume:") and "\n" not in err
    (tmp_path / "pyproject.toml").write_text('[tool.archlint.assume]\n"*.py" = ["1x=2"]\n')
    assert main(["check", str(path), "--config", str(tmp_path / "pyproject.toml")]) == 2
    assert "assume" in capsys.readouterr().err
    with pytest.raises(AssumptionError):
        parse("x.shape=(None, 'a')")
    with pytest.raises(AssumptionError):
        in_comments("# archlint: assume n = \n", "f.py")



def test_the_note_names_what_to_assume(tmp_path, capsys):
    """The AL903 note of a model left unknown by data names the names, and the --assume lines
    it prints make the model known."""
    path = tmp_path / "train.py"
    path.write_text(READS_DATA.format(comment=""))
    main(["check", str(path), "--select", "AL903"])
    out = capsys.readouterr().out
    assert 'depends on `x_train`' in out and '--assume "x_train.shape=(...)"' in out
    assert "dense (Dense) depends on `num_classes`" in out and "--assume num_classes=VALUE" in out
    (model,) = _summary(capsys, str(path), "--assume", "x_train.shape=(None, 288, 1)", "--assume", "num_classes=10")
    assert model["complete"] and model["total_params"] is not None


def test_a_length_only_the_data_knows(tmp_path, capsys):
    """``len(vocabulary)`` of a vocabulary read from a file: the note asks for
    ``len(vocabulary)=N``, and with it the model equals Keras's with a vocabulary that long."""
    reads = tmp_path / "text.py"
    reads.write_text(textwrap.dedent("""
        import json
        import keras
        vocabulary = json.load(open("vocab.json"))
        model = keras.Sequential([keras.Input((40,)), keras.layers.Embedding(len(vocabulary), 16)])
    """))
    main(["check", str(reads), "--select", "AL903"])
    assert '--assume "len(vocabulary)=N"' in capsys.readouterr().out
    written = tmp_path / "written.py"
    written.write_text(textwrap.dedent("""
        import keras
        vocabulary = ["word"] * 5000
        model = keras.Sequential([keras.Input((40,)), keras.layers.Embedding(len(vocabulary), 16)])
    """))
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    expected = build_fixture(written)
    assert differences(expected, archlint_models(reads, assumptions=parse_all(["len(vocabulary)=5000"]))) == []
    assert str(parse("len(vocabulary) = 5000")) == "len(vocabulary)=5000"
    with pytest.raises(AssumptionError):
        parse("len(vocabulary)=(1, 2)")
