"""Every model builder in the installed ``keras.applications``, analyzed from its source file
with ``--entry "NAME(weights=None)"``, equals ``keras.applications.NAME(weights=None)`` built
by real Keras in this test run: totals, every layer's class, output shape and parameters, and
the summary text."""

import contextlib
import io
import os

import pytest

from compare import archlint_models, differences
from keras_applications import builders
from keras_oracle import describe

BUILDERS = builders()


def test_every_application_is_covered():
    pytest.importorskip("keras")
    assert len(BUILDERS) >= 40, [name for _, name in BUILDERS]


@pytest.mark.parametrize("path,name", BUILDERS, ids=[name for _, name in BUILDERS])
def test_application_equals_real_keras(path, name):
    keras = pytest.importorskip("keras")
    keras.backend.clear_session()
    with contextlib.redirect_stdout(io.StringIO()):
        expected = describe(getattr(keras.applications, name)(weights=None), entry=None)
    actual = archlint_models(path, entry=f"{name}(weights=None)")
    for model in actual:
        model["entry"] = None
    assert differences([expected], actual) == []


APPLICATION_FILES = sorted({path for path, _ in BUILDERS})


@pytest.mark.parametrize("path", APPLICATION_FILES, ids=lambda p: os.path.basename(p))
def test_no_error_findings_on_keras_applications(path):
    """Keras's own model builders run: archlint must report no error on them."""
    from archlint.pipeline import analyze_file

    result = analyze_file(path)
    assert result.summaries, "every builder file yields models"
    errors = [f"{f.line}: {f.code} {f.message}" for f in result.findings if f.code.startswith("AL1") or f.code == "AL901"]
    assert errors == []
