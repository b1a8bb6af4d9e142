"""A Keras 2 target: the fixture set tf_keras builds, checked without TensorFlow against the
goldens ``tests/keras2_oracle.py`` wrote from real tf_keras, and what the target changes."""

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from archlint import keras_target
from archlint.pipeline import analyze_file
from keras2_oracle import ROOT, fixture_files, golden_path

FIXTURES = fixture_files()
ROW_KEYS = ("class", "output_shape", "params", "trainable_params", "non_trainable_params")


def test_there_is_a_keras2_fixture_set():
    assert len(FIXTURES) >= 3 and all(golden_path(f).exists() for f in FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_the_fixture_set_is_inferred_to_target_keras2(fixture):
    target = keras_target.resolve(None, None, str(fixture))
    assert (target.version, target.reason) == ("2", "requirements.txt: tensorflow==2.15.0")


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_keras2_builds_it_and_archlint_agrees(fixture):
    result = analyze_file(str(fixture), keras_version="2")
    assert [f for f in result.findings if f.code.startswith("AL1")] == []
    want = json.loads(golden_path(fixture).read_text())["models"]
    got = [
        {
            "total_params": s.total_params,
            "trainable_params": s.trainable_params,
            "non_trainable_params": s.non_trainable_params,
            "layers": [
                {"class": r.class_name, "output_shape": r.output_shape, "params": r.params,
                 "trainable_params": r.trainable_params, "non_trainable_params": r.non_trainable_params}
                for r in s.rows if not r.operation
            ],
        }
        for s in result.summaries
    ]
    assert got == want
    assert all(s.complete for s in result.summaries)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_on_keras3_the_same_code_is_refused(fixture):
    """A keyword Keras 3 does not take (AL105), or a value it refuses (AL110: a fractional size)."""
    codes = {f.code for f in analyze_file(str(fixture), keras_version="3").findings}
    assert codes & {"AL105", "AL110"}


def test_keras3_keywords_are_errors_on_a_keras2_target(tmp_path):
    path = tmp_path / "new_api.py"
    path.write_text(textwrap.dedent("""
        import keras
        inputs = keras.Input((8,))
        x = keras.layers.LeakyReLU(negative_slope=0.2)(inputs)
        model = keras.Model(inputs, keras.layers.Dense(2, lora_rank=None)(x))
    """))
    keras2 = [(f.line, f.code) for f in analyze_file(str(path), keras_version="2").findings if f.code.startswith("AL1")]
    assert keras2 == [(4, "AL105"), (5, "AL105")]
    assert [f for f in analyze_file(str(path), keras_version="3").findings if f.code.startswith("AL1")] == []


@pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None, reason="needs the keras2 extra (tf_keras)")
def test_goldens_are_what_tf_keras_builds_now():
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "keras2_oracle.py"), "--check"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
