"""The layer catalog checked row by row against real Keras.

Each row is ``(layer class name, positional args, kwargs, input shape(s))``. For every
row the test computes archlint's output shape and trainable / non-trainable parameter
counts, then builds the same layer with Keras (``KERAS_BACKEND=numpy``), calls it on a
symbolic tensor and reads the same three facts off it. No expected value is typed by
hand: Keras is the oracle.

``ERROR_ROWS`` are calls Keras refuses (it raises while building the layer); archlint
must raise ``ShapeError`` of the given kind for them. ``LEGACY_ROWS`` pair a Keras 1/2
spelling (which Keras 3 no longer accepts) with its Keras 3 equivalent: archlint on the
legacy call must match Keras on the modern one.
"""

from __future__ import annotations

import importlib.util
import inspect
import math
import os
import types
import warnings

import pytest

os.environ.setdefault("KERAS_BACKEND", "numpy")

from archlint.layers import all_specs, bind, lookup  # noqa: E402
from archlint.layers.base import REQUIRED  # noqa: E402
from archlint.shapes import ShapeError  # noqa: E402


from catalog_rows import Call, Sub, collect  # noqa: E402

ROWS = collect("ROWS")
ERROR_ROWS = collect("ERROR_ROWS")
LEGACY_ROWS = collect("LEGACY_ROWS")


# --- archlint's side ----------------------------------------------------------------------


def _archlint_value(value):
    if isinstance(value, Sub):
        return types.SimpleNamespace(spec=_archlint_spec(value.name, value.args, value.kwargs))
    if isinstance(value, list):  # e.g. RNN's list of cells
        return [_archlint_value(v) for v in value]
    return value


def _archlint_spec(name, args, kwargs):
    spec_cls = lookup(name)
    assert spec_cls is not None, f"{name} is not in the catalog"
    binding = bind(
        spec_cls,
        [_archlint_value(a) for a in args],
        {k: _archlint_value(v) for k, v in kwargs.items()},
        name,
    )
    legacy_gaps = [("missing_argument", f"{spec_cls.name} needs `{k}`") for k in spec_cls.legacy_defaults]
    unexpected = [p for p in binding.problems if p not in legacy_gaps]
    assert unexpected == [], f"{name}: binding problems {unexpected}"
    return spec_cls(binding.config)


def _as_call(shape) -> Call:
    return shape if isinstance(shape, Call) else Call(args=(shape,))


def _shape_structure(shape):
    return [tuple(s) for s in shape] if isinstance(shape, list) else tuple(shape)


def _normalise(out):
    """One output shape as a tuple; several as a list of tuples."""
    if isinstance(out, (list, tuple)) and out and isinstance(out[0], (list, tuple)):
        return [tuple(s) for s in out]
    return tuple(out)


def archlint_facts(name, args, kwargs, shape):
    """(output shape(s), trainable params, non-trainable params) according to archlint."""
    spec = _archlint_spec(name, args, kwargs)
    call = _as_call(shape)
    names = [n for n, _ in spec.call_signature]
    shapes = {n: _shape_structure(s) for n, s in zip(names, call.args)}
    shapes.update({n: _shape_structure(s) for n, s in call.tensors.items()})
    out = _normalise(spec.call_output(shapes, dict(call.options)))
    weights = spec.weights_for(shapes)
    counts = [w.count for w in weights]
    assert None not in counts, f"unknown weight shape in {weights}"
    trainable = sum(w.count for w in weights if w.trainable)
    non_trainable = sum(w.count for w in weights if not w.trainable)
    return out, trainable, non_trainable


# --- Keras's side -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras():
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed (pip install -e .[test])")
    import keras  # noqa: F811  (errors other than absence must fail loudly)

    keras.config.set_image_data_format("channels_last")
    return keras


def _keras_value(keras, value):
    if isinstance(value, Sub):
        return _keras_layer(keras, value.name, value.args, value.kwargs)
    if isinstance(value, list):
        return [_keras_value(keras, v) for v in value]
    return value


def _keras_layer(keras, name, args, kwargs):
    cls = getattr(keras.layers, name)
    return cls(*(_keras_value(keras, a) for a in args), **{k: _keras_value(keras, v) for k, v in kwargs.items()})


def _symbolic(keras, shape, dtype):
    if isinstance(shape, list):
        return [keras.KerasTensor(tuple(s), dtype=dtype) for s in shape]
    return keras.KerasTensor(tuple(shape), dtype=dtype)


def keras_facts(keras, name, args, kwargs, shape):
    """(output shape(s), trainable params, non-trainable params) according to Keras."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        layer = _keras_layer(keras, name, args, kwargs)
    call = _as_call(shape)
    dtype = "int32" if name == "Embedding" and not isinstance(shape, Call) else call.dtype
    positional = [_symbolic(keras, s, dtype) for s in call.args]
    tensors = {k: _symbolic(keras, s, dtype) for k, s in call.tensors.items()}
    with warnings.catch_warnings():  # e.g. rms_scaling's deprecation notice; only shapes matter here
        warnings.simplefilter("ignore", UserWarning)
        output = layer(*positional, **tensors, **call.options)
    count = lambda weights: int(sum(math.prod(w.shape) for w in weights))  # noqa: E731
    flat = keras.tree.flatten(output)
    out = tuple(flat[0].shape) if len(flat) == 1 else [tuple(t.shape) for t in flat]
    return out, count(layer.trainable_weights), count(layer.non_trainable_weights)


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("name, args, kwargs, shape", ROWS)
def test_layer_matches_keras(keras, name, args, kwargs, shape):
    want = keras_facts(keras, name, args, kwargs, shape)
    got = archlint_facts(name, args, kwargs, shape)
    assert got == want, f"(output shape, trainable, non-trainable): archlint {got} vs keras {want}"


@pytest.mark.parametrize("name, args, kwargs, shape, kind", ERROR_ROWS)
def test_layer_error_matches_keras(keras, name, args, kwargs, shape, kind):
    with pytest.raises((ValueError, IndexError)):
        keras_facts(keras, name, args, kwargs, shape)
    with pytest.raises(ShapeError) as raised:
        archlint_facts(name, args, kwargs, shape)
    assert raised.value.kind == kind, raised.value.message


@pytest.mark.parametrize("legacy, legacy_args, legacy_kwargs, name, args, kwargs, shape", LEGACY_ROWS)
def test_legacy_spelling_matches_keras3_equivalent(keras, legacy, legacy_args, legacy_kwargs, name, args, kwargs, shape):
    want = keras_facts(keras, name, args, kwargs, shape)
    got = archlint_facts(legacy, legacy_args, legacy_kwargs, shape)
    assert got == want, f"(output shape, trainable, non-trainable): archlint {got} vs keras {want}"


def _spec_of(name):
    spec_cls = lookup(name)
    assert spec_cls is not None, f"{name} is not in the catalog"
    return spec_cls


def test_every_registered_layer_has_a_row():
    covered = {_spec_of(p.values[0]).name for p in ROWS}
    missing = sorted(s.name for s in all_specs() if s.name != "InputLayer" and s.name not in covered)
    assert not missing, f"catalog layers without a row in ROWS: {', '.join(missing)}"


def _exported_class(keras, spec):
    """The class keras.layers exports under the spec's name or one of its aliases."""
    return next(getattr(keras.layers, n) for n in (spec.name, *spec.aliases) if hasattr(keras.layers, n))


@pytest.mark.parametrize("spec", [s for s in all_specs() if s.name != "InputLayer"], ids=lambda s: s.name)
def test_signature_matches_keras(keras, spec):
    """Keras 3 positional parameters, in order and with their requiredness, lead the signature.

    Entries after them are keyword-only in Keras (taken from ``**kwargs``).
    """
    params = [
        p for p in inspect.signature(_exported_class(keras, spec).__init__).parameters.values()
        if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    want = [(p.name, p.default is p.empty) for p in params]
    got = [(n, d is REQUIRED) for n, d in spec.signature[: len(params)]]
    assert got == want


@pytest.mark.parametrize("spec", [s for s in all_specs() if s.name != "InputLayer"], ids=lambda s: s.name)
def test_built_on_construction_matches_keras(keras, spec):
    """Whether an uncalled layer counts as built (``0`` vs ``0 (unbuilt)`` in a summary)."""
    first = next((p for p in ROWS if lookup(p.values[0]) is spec and not p.marks), None)
    if first is None:
        pytest.skip("no row Keras can build here")
    name, args, kwargs, _ = first.values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer = _keras_layer(keras, name, args, kwargs)
    assert spec.built_on_construction == layer.built
