"""The numbers published in the seed threads, reproduced by archlint.

Modern examples are also checked against real Keras by the differential test; the
Keras 1/2 examples in fixtures/legacy cannot run on Keras 3, so the numbers their
threads publish are the truth here.
"""

import json
from pathlib import Path

import pytest

from archlint.cli import main

ROOT = Path(__file__).resolve().parent.parent


def summarize(path, capsys, *extra):
    assert main(["summary", str(ROOT / path), "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)["models"]


def by_class(model, cls):
    return [layer for layer in model["layers"] if layer["class"] == cls]


def test_seed001_mlp(capsys):
    (model,) = summarize("fixtures/models/seed001_mnist_mlp.py", capsys)
    assert [layer["params"] for layer in model["layers"]] == [0, 401920, 131328, 32896, 1290]
    assert model["layers"][0]["output_shape"] == [None, 784]
    assert model["total_params"] == model["trainable_params"] == 567434
    assert [layer["params_formula"] for layer in model["layers"][1:]] == [
        "(784 + 1) * 512", "(512 + 1) * 256", "(256 + 1) * 128", "(128 + 1) * 10"]


def test_seed001_cnn_shapes(capsys):
    (model,) = summarize("fixtures/models/seed001_cnn.py", capsys)
    shapes = {layer["name"]: layer["output_shape"] for layer in model["layers"]}
    assert shapes["Conv_1"] == [None, 128, 128, 512]
    assert shapes["Pool_1"] == [None, 63, 63, 512]
    assert shapes["Conv_2"] == [None, 31, 31, 256]
    assert shapes["Pool_2"] == [None, 15, 15, 256]
    assert shapes["flatten"] == [None, 57600]
    params = {layer["name"]: layer["params"] for layer in model["layers"]}
    assert (params["Conv_1"], params["Conv_2"], params["Dense_1"]) == (38912, 1179904, 7372928)
    assert model["total_params"] == 8593034


def test_seed002_keras1_cnn(capsys):
    (model,) = summarize("fixtures/legacy/seed002_keras1_cnn.py", capsys)
    convs = by_class(model, "Conv2D")
    assert [c["params"] for c in convs] == [832, 51264]
    assert [c["params_formula"] for c in convs] == ["(5*5*1 + 1) * 32", "(5*5*32 + 1) * 64"]
    assert all(d["params"] == 0 for d in by_class(model, "Dropout"))


def test_seed003_unet_keras2(capsys):
    (model,) = summarize("fixtures/legacy/seed003_unet_keras2.py", capsys)
    convs = [c["params"] for c in by_class(model, "Conv2D")]
    published = [
        640, 36928, 73856, 147584, 295168, 590080, 1180160, 2359808, 4719616, 9438208,
        2097664, 4719104, 2359808, 524544, 1179904, 590080, 131200, 295040, 147584,
        32832, 73792, 36928, 1154, 3,
    ]
    assert convs == published
    assert model["total_params"] == sum(published)
    kernel2 = [c["params_formula"] for c in by_class(model, "Conv2D") if c["params_formula"].startswith("(2*2")]
    assert kernel2 == ["(2*2*1024 + 1) * 512", "(2*2*512 + 1) * 256", "(2*2*256 + 1) * 128", "(2*2*128 + 1) * 64"]


def test_seed003_unet_matches_modern_fixture(capsys):
    (legacy,) = summarize("fixtures/legacy/seed003_unet_keras2.py", capsys)
    (modern,) = summarize("fixtures/models/seed003_unet.py", capsys)
    assert legacy["total_params"] == modern["total_params"]


def test_seed004_keras1_softmax(capsys):
    (model,) = summarize("fixtures/legacy/seed004_keras1_softmax.py", capsys)
    assert model["layers"][0]["output_shape"] == [None, 784]
    assert model["total_params"] == 7850


def test_seed004_keras1_regressor(capsys):
    (model,) = summarize("fixtures/legacy/seed004_keras1_regressor.py", capsys)
    assert [layer["params"] for layer in model["layers"]] == [264710, 132355]
    assert model["total_params"] == 397065


def test_seed004_dense_on_rank4(capsys):
    (model,) = summarize("fixtures/models/seed004_conv_dense.py", capsys)
    assert [layer["params"] for layer in model["layers"]] == [896, 18496, 73856, 1290]
    assert model["layers"][-1]["output_shape"] == [None, 218, 218, 10]


def test_seed000_neurons_are_filters(capsys):
    """The accepted answer: in convolutions neurons == filters; other layers have none."""
    (model,) = summarize("fixtures/models/seed000_resnet50.py", capsys)
    convs = by_class(model, "Conv2D")
    assert all(c["units"] > 0 for c in convs)
    assert model["neurons"] == sum(c["units"] for c in convs)
    assert all(layer["units"] is None for layer in model["layers"] if layer["class"] != "Conv2D")


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures" / "legacy").glob("*.py")), ids=lambda p: p.stem)
def test_legacy_fixtures_complete(path, capsys):
    for model in summarize(path.relative_to(ROOT), capsys):
        assert model["complete"], model["name"]
