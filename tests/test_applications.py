"""Every model builder in the installed ``keras.applications``, analyzed from its source file
with ``--entry "NAME(weights=None)"``, equals ``keras.applications.NAME(weights=None)`` built
by real Keras in this test run: totals, every layer's class, output shape and parameters, and
the summary text."""

import ast
import contextlib
import io
import os

import pytest

from archlint.project import installed_keras_root
from compare import archlint_models, differences
from keras_oracle import describe


def _builders():
    """(module file, builder name) for each name the public keras.applications exports."""
    root = installed_keras_root()
    if root is None:
        return []
    api = os.path.join(root, "keras", "applications", "__init__.py")
    with open(api, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    out = []
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module.startswith("keras.src.applications."):
            module = statement.module.rsplit(".", 1)[1]
            if module == "imagenet_utils":
                continue
            path = os.path.join(root, "keras", "src", "applications", module + ".py")
            out += [(path, alias.name) for alias in statement.names if alias.name[:1].isupper()]
    return out


BUILDERS = _builders()


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
