"""archlint's Keras 2 table (archlint/layers/keras2.py) measured against real tf_keras.

For each catalog row both Keras 2 and Keras 3 build, every constructor keyword is tried on
its own: a keyword of the Keras 3 signature that tf_keras refuses must be in KERAS3_ONLY,
and a keyword of a tf_keras ``__init__`` (along its class hierarchy) that Keras 3 refuses
must be in KERAS2_ONLY or KERAS2_COMMON; and nothing else may be. Pooling defaults Keras 3
dropped (``legacy_defaults``) must be tf_keras's. Every catalog row tf_keras builds has
the same parameter counts in archlint, and the same shapes but for the edge cases listed.
Needs the ``keras2`` extra.
"""

from __future__ import annotations

import inspect
import os
import warnings

import pytest

pytest.importorskip("tf_keras", reason="needs the keras2 extra (tf_keras)")
keras3 = pytest.importorskip("keras")
import tf_keras  # noqa: E402

from archlint.layers import all_specs, lookup  # noqa: E402
from archlint.layers.base import REQUIRED  # noqa: E402
from archlint.layers.keras2 import KERAS2_COMMON, KERAS2_ONLY, KERAS3_ONLY  # noqa: E402
from catalog_rows import collect  # noqa: E402
from test_catalog import _keras_layer  # noqa: E402  (any Keras module: keras or tf_keras)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _accepts(module, name, args, kwargs, keyword=None) -> bool:
    """Whether the class takes the arguments; with ``keyword``, only a refusal that names it counts."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _keras_layer(module, name, args, kwargs)
        return True
    except Exception as error:  # noqa: BLE001 - any refusal is data here
        return keyword is not None and keyword not in str(error)


def _keras2_keywords(name):
    """Keyword parameters with defaults along the tf_keras class's ``__init__`` chain."""
    found = {}
    for klass in getattr(tf_keras.layers, name).__mro__:
        if "__init__" not in klass.__dict__:
            continue
        try:
            parameters = list(inspect.signature(klass.__init__).parameters.values())[1:]
        except (TypeError, ValueError):
            continue
        for p in parameters:
            if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.default is not p.empty:
                found.setdefault(p.name, p.default)
    return found


@pytest.fixture(scope="module")
def measured():
    """class -> (keywords only Keras 3 takes, keywords only Keras 2 takes), per catalog row."""
    out = {}
    for row in collect("ROWS"):
        name, args, kwargs, _ = row.values
        spec = lookup(name)
        if spec.name in out or not hasattr(tf_keras.layers, name):
            continue
        if not (_accepts(tf_keras, name, args, kwargs) and _accepts(keras3, name, args, kwargs)):
            continue
        positional = [n for n, _ in spec.signature][: len(args)]
        only3 = {
            key for key, default in spec.signature
            if key not in kwargs and key not in positional and default is not REQUIRED
            and not _accepts(tf_keras, name, args, {**kwargs, key: default}, key)
        }
        only2 = {
            key for key, default in _keras2_keywords(name).items()
            if key not in kwargs and key not in positional
            and _accepts(tf_keras, name, args, {**kwargs, key: default})
            and not _accepts(keras3, name, args, {**kwargs, key: default}, key)
        }
        out[spec.name] = (only3, only2)
    return out


def test_enough_classes_measured(measured):
    assert len(measured) >= 100


def test_keras3_only_keywords(measured):
    got = {name: set(KERAS3_ONLY.get(name, ())) for name in measured}
    want = {name: only3 for name, (only3, _) in measured.items()}
    assert {k: v for k, v in got.items() if v != want[k]} == {k: want[k] for k, v in got.items() if v != want[k]}
    assert set(KERAS3_ONLY) <= set(measured)


def test_keras2_only_keywords(measured):
    got = {name: set(KERAS2_ONLY.get(name, ())) | set(KERAS2_COMMON) for name in measured}
    want = {name: only2 | set(KERAS2_COMMON) for name, (_, only2) in measured.items()}
    assert {k: v for k, v in got.items() if v != want[k]} == {k: want[k] for k, v in got.items() if v != want[k]}
    assert set(KERAS2_ONLY) <= set(measured)
    assert all(KERAS2_COMMON <= only2 for _, only2 in measured.values() if only2)


def _as_tuple(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


@pytest.mark.parametrize("spec", [s for s in all_specs() if s.legacy_defaults], ids=lambda s: s.name)
def test_legacy_defaults_are_keras2_defaults(spec):
    parameters = inspect.signature(getattr(tf_keras.layers, spec.name).__init__).parameters
    for name, default in spec.legacy_defaults.items():
        assert _as_tuple(parameters[name].default) == _as_tuple(default)


# Catalog rows where tf_keras's static shapes differ from Keras 3's (archlint computes Keras
# 3's on both targets): edge cases of unknown dimensions and of Lambda's declared shape.
KNOWN_SHAPE_DIFFERENCES = {
    "EinsumDense-sequence-bias", "EinsumDense-left-ellipsis-two-dims", "EinsumDense-heads",
    "MultiHeadAttention-scores-cross", "MultiHeadAttention-attention-axes", "Conv3DTranspose-dilation2",
    "Lambda-output-shape-rank2", "Lambda-list-input", "UpSampling2D-unknown-spatial", "Add-unknown-dim",
    "Concatenate-unknown-other-dim", "TextVectorization-multi-hot-column", "Bidirectional-backward-layer-wider",
}


def _keras2_facts(name, args, kwargs, shape):
    import math

    import tensorflow as tf
    from catalog_rows import Call

    def tensor(s, dtype):
        if isinstance(s, list):
            return [tf_keras.Input(batch_shape=tuple(x), dtype=dtype) for x in s]
        return tf_keras.Input(batch_shape=tuple(s), dtype=dtype)

    layer = _keras_layer(tf_keras, name, args, kwargs)
    call = shape if isinstance(shape, Call) else Call(args=(shape,))
    dtype = "int32" if name == "Embedding" and not isinstance(shape, Call) else call.dtype
    output = layer(*[tensor(s, dtype) for s in call.args], **{k: tensor(s, dtype) for k, s in call.tensors.items()},
                   **call.options)
    flat = tf.nest.flatten(output)
    out = tuple(flat[0].shape) if len(flat) == 1 else [tuple(t.shape) for t in flat]
    count = lambda weights: int(sum(math.prod(w.shape) for w in weights))  # noqa: E731
    return out, count(layer.trainable_weights), count(layer.non_trainable_weights)


def test_catalog_rows_match_tf_keras():
    """Every catalog row tf_keras builds gives the same shapes and counts in archlint, but the
    known edge cases above; parameter counts agree on every row."""
    from test_catalog import archlint_facts

    differing, compared = set(), 0
    for row in collect("ROWS"):
        name, args, kwargs, shape = row.values
        if not hasattr(tf_keras.layers, name):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = _keras2_facts(name, args, kwargs, shape)
        except Exception:  # noqa: BLE001 - rows only Keras 3 builds
            continue
        compared += 1
        got = archlint_facts(name, args, kwargs, shape)
        assert got[1:] == want[1:], f"{row.id}: counts {got[1:]} vs tf_keras {want[1:]}"
        if got != want:
            differing.add(row.id)
    assert compared >= 400
    assert differing == KNOWN_SHAPE_DIFFERENCES
