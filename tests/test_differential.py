"""Every fixture model, built by real Keras in this test run, equals archlint's static answer.

Compared per model: name, entry, total / trainable / non-trainable params; per layer:
name, class, output shape, params (trainable and not), built; and the summary text.
The goldens on disk must also equal what Keras builds now, so they never go stale.
"""

import json
from pathlib import Path

import pytest

from compare import archlint_models, differences
from keras_oracle import FIXTURES, build_fixture, fixture_files, golden_path

FIXTURE_FILES = fixture_files()


def test_enough_fixtures():
    assert len(FIXTURE_FILES) >= 25


@pytest.fixture(scope="module")
def keras_built():
    pytest.importorskip("keras")
    return {}


def _keras(path: Path, cache: dict):
    if path not in cache:
        cache[path] = build_fixture(path)
    return cache[path]


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_archlint_equals_real_keras(fixture, keras_built):
    expected = _keras(fixture, keras_built)
    assert expected, f"{fixture.name} builds no model in Keras"
    assert differences(expected, archlint_models(fixture)) == []


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_golden_is_current(fixture, keras_built):
    golden = golden_path(fixture)
    assert golden.exists(), f"missing golden: run python tests/keras_oracle.py --only {fixture.stem}"
    assert json.loads(golden.read_text())["models"] == _keras(fixture, keras_built)


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_archlint_equals_golden(fixture):
    """The same comparison without Keras installed, against the generated goldens."""
    golden = json.loads(golden_path(fixture).read_text())
    assert differences(golden["models"], archlint_models(fixture)) == []


NARROW = ["seed003_unet", "siamese_shared_layers", "multi_io_recommender", "seed001_cnn"]


@pytest.mark.parametrize("stem", NARROW)
def test_summary_text_in_a_narrow_terminal(stem, keras_built, monkeypatch):
    """At 80 columns Keras wraps and truncates cells; archlint's table must do the same."""
    monkeypatch.setenv("COLUMNS", "80")
    fixture = FIXTURES / f"{stem}.py"
    expected = [m["summary_text"] for m in build_fixture(fixture)]
    assert [m["summary_text"] for m in archlint_models(fixture, width=80)] == expected
