"""Every layer class ``keras.layers`` exports is in the catalog or listed as unsupported."""

import importlib.util
import inspect

import pytest

from archlint.layers import lookup
from archlint.layers.unsupported import UNSUPPORTED


@pytest.fixture(scope="module")
def exported():
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed")
    import keras

    return sorted(
        name for name in dir(keras.layers)
        if inspect.isclass(getattr(keras.layers, name)) and issubclass(getattr(keras.layers, name), keras.layers.Layer)
    )


def test_every_exported_layer_is_known(exported, capsys):
    implemented = [n for n in exported if lookup(n) is not None]
    listed = [n for n in exported if n in UNSUPPORTED]
    neither = [n for n in exported if lookup(n) is None and n not in UNSUPPORTED]
    share = len(implemented) / len(exported)
    with capsys.disabled():
        print(f"\nlayer catalog coverage: {len(implemented)}/{len(exported)} exported classes implemented "
              f"({share:.1%}); {len(listed)} listed as unsupported")
    assert neither == [], f"neither implemented nor listed as unsupported: {', '.join(neither)}"
    assert share >= 0.95


def test_catalog_names_are_the_classes_keras_names(exported):
    """A layer's class in a summary, and the prefix of its default name, come from the
    class Keras defines, which an export can spell otherwise (GroupQueryAttention)."""
    import keras

    wrong = {n: lookup(n).name for n in exported
             if lookup(n) is not None and lookup(n).name != getattr(keras.layers, n).__name__}
    assert wrong == {}


def test_unsupported_entries_are_real_and_explained(exported):
    for name, reason in UNSUPPORTED.items():
        assert name in exported, f"{name} is listed as unsupported but keras.layers does not export it"
        assert lookup(name) is None, f"{name} is both implemented and listed as unsupported"
        assert len(reason) > 10
