"""Symbolic dimensions: sizes only the data knows keep their names, shapes and counts follow
as formulas, and real Keras built with any values of those sizes agrees with the formulas."""

import json
from pathlib import Path

import pytest

from archlint.cli import main
from archlint.pipeline import analyze_file
from archlint.symbolic import Sym, Undecided, certain, format_sym
from test_rules import expected_findings

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "symbolic" / "sensor_classifier.py"
SIZES = [(50, 3, 5), (64, 7, 2), (33, 1, 3)]  # steps, channels, classes


def _sizes(steps, channels, classes):
    return {"x_train.shape[1]": steps, "x_train.shape[2]": channels, "len(classes)": classes}


def _value(value, sizes):
    return value.value(sizes) if isinstance(value, Sym) else value


def _shape(shape, sizes):
    return None if shape is None else [_value(d, sizes) for d in shape]


@pytest.fixture(scope="module")
def archlint_result():
    return analyze_file(str(FIXTURE))


@pytest.mark.parametrize("steps, channels, classes", SIZES)
def test_formulas_equal_keras_for_any_sizes(archlint_result, steps, channels, classes, monkeypatch):
    pytest.importorskip("keras")
    import numpy as np
    from keras_oracle import build_fixture

    data = {"x_train.npy": np.zeros((4, steps, channels)), "y_train.npy": np.arange(4 * classes) % classes}
    monkeypatch.setattr(np, "load", lambda path, *a, **k: data[path])
    expected = build_fixture(FIXTURE)
    sizes = _sizes(steps, channels, classes)
    assert [m["name"] for m in expected] == [s.name for s in archlint_result.summaries]
    for want, got in zip(expected, archlint_result.summaries):
        assert got.total_params is None and not got.complete
        assert got.symbolic_total.value(sizes) == want["total_params"]
        assert _value(got.symbolic_trainable, sizes) == want["trainable_params"]
        assert _value(got.symbolic_non_trainable, sizes) == want["non_trainable_params"]
        rows = [r for r in got.rows if not r.operation]
        assert [r.class_name for r in rows] == [w["class"] for w in want["layers"]]
        for row, layer in zip(rows, want["layers"]):
            params = row.params if row.params is not None else row.symbolic_params.value(sizes)
            assert (row.name, params, _shape(row.output_shape, sizes)) == (layer["name"], layer["params"], layer["output_shape"])


def test_only_layers_whose_weights_depend_on_the_data_lack_an_exact_count(archlint_result):
    rows = {r.name: r for r in archlint_result.summaries[0].rows}
    exact = {name for name, r in rows.items() if r.params is not None}
    assert exact == {"input_layer", "batch_normalization", "activation", "max_pooling1d", "conv1d_1", "re_lu",
                     "flatten", "dense_1"}
    assert {name for name, r in rows.items() if r.symbolic_params is not None} == {"conv1d", "dense", "dense_2"}


def test_rules_on_the_layers_own_arguments_still_fire():
    found = {(f.line, f.code) for f in analyze_file(str(FIXTURE)).findings}
    assert found == expected_findings(FIXTURE)


def test_text_and_json(capsys):
    assert main(["summary", str(FIXTURE), "--format", "json"]) == 0
    model = json.loads(capsys.readouterr().out)["models"][0]
    assert model["total_params"] is None and model["complete"] is False
    assert model["total_params_formula"] == "8192*((x_train.shape[1] - 2) // 2) + 65*len(classes) + 160*x_train.shape[2] + 6560"
    first = model["layers"][0]
    assert first["output_shape"] == [None, None, None]
    assert first["symbolic_output_shape"] == [None, "x_train.shape[1]", "x_train.shape[2]"]
    assert main(["summary", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert " Total params: 8,192*((x_train.shape[1] - 2) // 2) + 65*len(classes) + 160*x_train.shape[2] + 6,560" in out


def test_assumptions_turn_formulas_into_numbers(archlint_result):
    from archlint.assumptions import parse_all

    assumed = parse_all(["x_train.shape=(None, 50, 3)", "len(classes)=5"])
    (classifier, scorer) = analyze_file(str(FIXTURE), assumptions=assumed).summaries
    sizes = _sizes(50, 3, 5)
    assert classifier.complete and classifier.total_params == archlint_result.summaries[0].symbolic_total.value(sizes)


def test_sym_arithmetic_and_decisions():
    c = Sym.named("C")
    assert (c * 128 + 4321).value({"C": 3}) == 128 * 3 + 4321
    assert format_sym(c * 1000 + 4321, thousands=True) == "1,000*C + 4,321"
    assert c * 0 == 0 and (c - c) == 0 and (c + 1) - 1 == c
    assert ((c * 4) // 2) == c * 2
    assert ((c - 3) // 2).value({"C": 10}) == 3
    assert c != "C" and (c == None) is False  # noqa: E711 - a size is never None
    for decide in (lambda: c == 3, lambda: c > 0, lambda: bool(c), lambda: int(c), lambda: c // c):
        with pytest.raises(Undecided):
            decide()
    assert certain(lambda: c - 4 <= 0) is False and certain(lambda: 3 <= 0) is False and certain(lambda: 0 <= 0)


def test_legacy_spellings_are_reported_on_a_symbolic_model(tmp_path):
    path = tmp_path / "legacy.py"
    path.write_text(
        "import numpy as np\nimport keras\nfrom keras import layers\n"
        "x = np.load('x.npy')\n"
        "model = keras.Sequential([keras.Input((x.shape[1], x.shape[2])), layers.Convolution1D(8, 3, border_mode='same'),\n"
        "                          layers.GlobalMaxPooling1D(), layers.Dense(2, init='he_normal')])\n"
    )
    result = analyze_file(str(path))
    assert sorted((f.line, f.code) for f in result.findings) == [(5, "AL401"), (6, "AL401")]
    (summary,) = result.summaries
    assert summary.total_params is None and summary.symbolic_total.names == ("x.shape[2]",)
