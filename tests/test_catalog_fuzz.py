"""Property-based differential test: random layer configurations, real Keras as the oracle.

For each layer class a strategy draws constructor arguments and input shapes, valid or
not. Real Keras (``KERAS_BACKEND=numpy``) builds the layer on symbolic inputs. When
Keras accepts, archlint's catalog must give the same output shape(s), trainable and
non-trainable counts; when Keras refuses, archlint must refuse too (``ShapeError``): that
is the data the error rules stand on. The seed is fixed (``derandomize``) so a run is
reproducible; the number of cases run is printed at the end of the session.
"""

from __future__ import annotations

import importlib.util
import warnings

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from archlint.layers import all_specs, lookup  # noqa: E402
from archlint.shapes import ShapeError  # noqa: E402
from catalog_rows import Call, Sub  # noqa: E402
from test_catalog import ROWS, archlint_facts, keras_facts  # noqa: E402

CASES = {"run": 0, "accepted": 0, "refused": 0, "layers": 0}
MINIMUM_CASES = 5000


def summary_line():
    c = CASES
    return c["run"] and (f"catalog fuzz: {c['run']} generated cases over {c['layers']} layer classes "
                         f"({c['accepted']} built by Keras and matched, {c['refused']} refused by both)")
EXAMPLES_PER_LAYER = 120

dims = st.integers(min_value=1, max_value=12)
small = st.integers(min_value=1, max_value=6)
formats = st.sampled_from(["channels_last", "channels_first"])
booleans = st.booleans()


def shape_of(rank_min, rank_max, dim=dims):
    return st.lists(dim, min_size=rank_min, max_size=rank_max).map(lambda d: (None, *d))


def int_or_tuple(rank, values):
    return st.one_of(values, st.tuples(*[values] * rank))


@st.composite
def conv(draw, name, rank, transpose=False, separable=False, depthwise=False):
    kwargs = {
        "kernel_size": draw(int_or_tuple(rank, st.integers(1, 5))),
        "strides": draw(int_or_tuple(rank, st.integers(1, 3))),
        "padding": draw(st.sampled_from(["valid", "same"] + (["causal"] if rank == 1 and not transpose else []))),
        "data_format": draw(formats),
        "use_bias": draw(booleans),
    }
    if draw(booleans):
        kwargs["dilation_rate"] = draw(int_or_tuple(rank, st.integers(1, 3)))
    if separable or depthwise:
        kwargs["depth_multiplier"] = draw(st.integers(1, 3))
    if not depthwise:
        kwargs["filters"] = draw(st.integers(1, 16))
    if not (transpose or separable or depthwise) and draw(booleans):
        kwargs["groups"] = draw(st.integers(1, 3))
    if transpose and draw(booleans):
        kwargs["output_padding"] = draw(int_or_tuple(rank, st.integers(0, 2)))
    return name, (), kwargs, draw(shape_of(rank + 1, rank + 2 if draw(st.integers(0, 9)) == 0 else rank + 1))


@st.composite
def pooling(draw, name, rank):
    kwargs = {
        "pool_size": draw(int_or_tuple(rank, st.integers(1, 4))),
        "padding": draw(st.sampled_from(["valid", "same"])),
        "data_format": draw(formats),
    }
    if draw(booleans):
        kwargs["strides"] = draw(int_or_tuple(rank, st.integers(1, 3)))
    return name, (), kwargs, draw(shape_of(rank + 1, rank + 1))


@st.composite
def global_pooling(draw, name, rank):
    kwargs = {"data_format": draw(formats), "keepdims": draw(booleans)}
    return name, (), kwargs, draw(shape_of(rank + 1, rank + 2 if draw(st.integers(0, 9)) == 0 else rank + 1))


@st.composite
def spatial(draw, name, rank, key, values):
    kwargs = {key: draw(values)}
    if rank > 1 or name.startswith("ZeroPadding"):
        kwargs["data_format"] = draw(formats)
    return name, (), kwargs, draw(shape_of(rank + 1, rank + 1, st.integers(1, 9)))


def pairs(rank, low, high):
    one = st.integers(low, high)
    return st.one_of(one, st.tuples(*[st.one_of(one, st.tuples(one, one))] * rank)) if rank > 1 else st.one_of(one, st.tuples(one, one))


@st.composite
def dense(draw):
    return "Dense", (draw(st.integers(1, 32)),), {"use_bias": draw(booleans)}, draw(shape_of(1, 3))


@st.composite
def passthrough(draw, name, args=(), kwargs=None, rank_min=1, rank_max=4):
    return name, args, dict(kwargs or {}), draw(shape_of(rank_min, rank_max))


@st.composite
def batch_norm(draw):
    shape = draw(shape_of(1, 4))
    axis = draw(st.integers(-len(shape) - 1, len(shape)))
    return "BatchNormalization", (), {"axis": axis, "center": draw(booleans), "scale": draw(booleans)}, shape


@st.composite
def layer_norm(draw):
    shape = draw(shape_of(1, 4))
    axes = st.integers(-len(shape), len(shape) - 1)
    axis = draw(st.one_of(axes, st.lists(axes.filter(lambda a: a % len(shape) != 0), min_size=1, max_size=2, unique=True)))
    return "LayerNormalization", (), {"axis": axis, "center": draw(booleans), "scale": draw(booleans)}, shape


@st.composite
def reshape(draw):
    shape = draw(shape_of(1, 4, st.integers(1, 6)))
    size = 1
    for d in shape[1:]:
        size *= d
    if draw(booleans):
        target = (size,) if draw(booleans) else (-1,)
        if draw(booleans) and size % 2 == 0:
            target = (2, -1) if draw(booleans) else (2, size // 2)
    else:
        target = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    return "Reshape", (target,), {}, shape


@st.composite
def permute(draw):
    shape = draw(shape_of(2, 4))
    dims_ = draw(st.permutations(list(range(1, len(shape)))))
    return "Permute", (tuple(dims_),), {}, shape


@st.composite
def merge(draw, name):
    base = draw(shape_of(1, 3, st.integers(1, 4)))
    count = draw(st.integers(2, 3))
    shapes = []
    for _ in range(count):
        variant = draw(st.integers(0, 3))
        if variant == 0:
            shapes.append(base)
        elif variant == 1:
            shapes.append((None, *[1 if draw(booleans) else d for d in base[1:]]))
        else:
            shapes.append(draw(shape_of(len(base) - 1, len(base) - 1, st.integers(1, 4))))
    return name, (), {}, shapes


@st.composite
def concatenate(draw):
    base = draw(shape_of(1, 3, st.integers(1, 4)))
    axis = draw(st.integers(-len(base), len(base) - 1))
    shapes = []
    for _ in range(draw(st.integers(2, 3))):
        shape = list(base)
        if draw(booleans) and axis % len(base) != 0:
            shape[axis] = draw(st.integers(1, 5))
        if draw(st.integers(0, 4)) == 0:
            shape[draw(st.integers(1, len(base) - 1))] = draw(st.integers(1, 5))
        shapes.append(tuple(shape))
    return "Concatenate", (), {"axis": axis}, shapes


@st.composite
def embedding(draw):
    name, args, kwargs, shape = "Embedding", (draw(st.integers(1, 50)), draw(st.integers(1, 16))), {}, draw(shape_of(1, 3))
    return name, args, kwargs, Call(args=(shape,), dtype="int32")


@st.composite
def time_distributed(draw):
    if draw(booleans):
        inner = Sub("Dense", (draw(st.integers(1, 8)),))
        shape = draw(shape_of(2, 4))
    else:
        inner = Sub("Conv2D", (draw(st.integers(1, 8)), draw(st.integers(1, 3))), {"padding": draw(st.sampled_from(["valid", "same"]))})
        shape = draw(shape_of(4, 4, st.integers(1, 8)))
    return "TimeDistributed", (inner,), {}, shape


STRATEGIES = {
    "Dense": dense(),
    "Conv1D": conv("Conv1D", 1),
    "Conv2D": conv("Conv2D", 2),
    "Conv3D": conv("Conv3D", 3),
    "Conv2DTranspose": conv("Conv2DTranspose", 2, transpose=True),
    "SeparableConv2D": conv("SeparableConv2D", 2, separable=True),
    "DepthwiseConv2D": conv("DepthwiseConv2D", 2, depthwise=True),
    "BatchNormalization": batch_norm(),
    "LayerNormalization": layer_norm(),
    "Reshape": reshape(),
    "Permute": permute(),
    "Flatten": passthrough("Flatten", rank_min=1, rank_max=4),
    "RepeatVector": passthrough("RepeatVector", (3,), rank_min=1, rank_max=2),
    "Concatenate": concatenate(),
    "Embedding": embedding(),
    "TimeDistributed": time_distributed(),
    "Activation": passthrough("Activation", ("relu",)),
    "ReLU": passthrough("ReLU"),
    "LeakyReLU": passthrough("LeakyReLU"),
    "Softmax": passthrough("Softmax"),
    "Dropout": passthrough("Dropout", (0.5,)),
}
for _rank in (1, 2, 3):
    for _kind in ("Max", "Average"):
        STRATEGIES[f"{_kind}Pooling{_rank}D"] = pooling(f"{_kind}Pooling{_rank}D", _rank)
        STRATEGIES[f"Global{_kind}Pooling{_rank}D"] = global_pooling(f"Global{_kind}Pooling{_rank}D", _rank)
    STRATEGIES[f"ZeroPadding{_rank}D"] = spatial(f"ZeroPadding{_rank}D", _rank, "padding", pairs(_rank, 0, 3))
    STRATEGIES[f"Cropping{_rank}D"] = spatial(f"Cropping{_rank}D", _rank, "cropping", pairs(_rank, 0, 4))
    STRATEGIES[f"UpSampling{_rank}D"] = spatial(
        f"UpSampling{_rank}D", _rank, "size", st.integers(1, 3) if _rank == 1 else int_or_tuple(_rank, st.integers(1, 3))
    )
for _name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
    STRATEGIES[_name] = merge(_name)


@st.composite
def mutated_shape(draw, shape):
    """The same rank (sometimes one more or less), each known dim possibly redrawn."""
    if isinstance(shape, Call):
        return shape._replace(
            args=tuple([draw(mutated_shape(s)) for s in shape.args]),
            tensors={k: draw(mutated_shape(s)) for k, s in shape.tensors.items()},
        )
    if isinstance(shape, list):
        return [draw(mutated_shape(s)) for s in shape]
    dims_ = [d if d is None or draw(booleans) else draw(dims) for d in shape]
    change = draw(st.integers(0, 11))
    if change == 0 and len(dims_) > 1:
        dims_.pop()
    elif change == 1:
        dims_.append(draw(st.integers(1, 6)))
    return tuple(dims_)


@st.composite
def mutated_argument(draw, value):
    """Small integers redrawn near their value, booleans flipped; the rest kept."""
    if isinstance(value, bool):
        return value if draw(st.integers(0, 4)) else not value
    if isinstance(value, int) and 0 < value <= 64 and not draw(st.integers(0, 2)):
        return draw(st.integers(1, 2 * value + 2))
    if isinstance(value, tuple) and value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(draw(mutated_argument(v)) for v in value)
    return value


@st.composite
def from_rows(draw, rows):
    """For layers without a strategy of their own: a table row with its constructor
    arguments and input shapes randomly varied."""
    name, args, kwargs, shape = draw(st.sampled_from(rows))
    args = tuple(draw(mutated_argument(a)) for a in args)
    kwargs = {k: draw(mutated_argument(v)) for k, v in kwargs.items()}
    return name, args, kwargs, draw(mutated_shape(shape))


def _row_strategies():
    by_layer = {}
    for param in ROWS:
        if param.marks:  # e.g. layers Keras builds only with TensorFlow
            continue
        name = param.values[0]
        spec = lookup(name)
        if spec is not None:
            by_layer.setdefault(spec.name, []).append(tuple(param.values))
    return {
        spec.name: from_rows(by_layer[spec.name])
        for spec in all_specs()
        if spec.name not in STRATEGIES and spec.name in by_layer
    }


STRATEGIES.update(_row_strategies())


@pytest.fixture(scope="module")
def keras():
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed")
    import keras

    return keras


KERAS_REFUSALS = (ValueError, TypeError, IndexError)


def runs_for_real(keras, name, args, kwargs, shape) -> bool:
    """Whether the layer runs on concrete data of that shape (``None`` dims set to 3).

    Keras's symbolic build is sometimes more lenient than execution (e.g. a wrapper that
    skips its inner layer's input checks); execution is the final word.
    """
    import numpy as np

    from test_catalog import _as_call, _keras_layer

    call = _as_call(shape)

    def data(s):
        if isinstance(s, list):
            return [data(x) for x in s]
        size = tuple(3 if d is None else d for d in s)
        return np.zeros(size, dtype=call.dtype)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = _keras_layer(keras, name, args, kwargs)
            layer(*[data(s) for s in call.args], **{k: data(s) for k, s in call.tensors.items()}, **call.options)
    except Exception:  # noqa: BLE001 - any failure means it does not run
        return False
    return True


@pytest.mark.parametrize("layer", sorted(STRATEGIES))
def test_random_configurations_match_keras(layer, keras):
    @settings(max_examples=EXAMPLES_PER_LAYER, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[layer])
    def check(case):
        name, args, kwargs, shape = case
        CASES["run"] += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = keras_facts(keras, name, args, kwargs, shape)
        except KERAS_REFUSALS as refusal:
            CASES["refused"] += 1
            with pytest.raises(ShapeError):
                archlint_facts(name, args, kwargs, shape)
                pytest.fail(f"Keras refuses ({refusal}) but archlint accepts")
            return
        try:
            got = archlint_facts(name, args, kwargs, shape)
        except ShapeError as refusal:
            if runs_for_real(keras, name, args, kwargs, shape):
                raise AssertionError(f"archlint refuses ({refusal.message}) what Keras builds and runs") from None
            CASES["refused"] += 1  # Keras's symbolic build accepts it, but it cannot run
            return
        CASES["accepted"] += 1
        assert got == want, f"archlint {got} vs keras {want}"

    check()
    CASES["layers"] += 1


def test_case_count():
    """Runs after the parametrized test (file order): the whole table ran enough cases."""
    if CASES["layers"] < len(STRATEGIES):
        pytest.skip("only part of the layer table was selected")
    assert CASES["run"] >= MINIMUM_CASES
