"""Data arrays known by their shape: numpy with literal sizes, Keras's datasets, label helpers.

Shapes numpy can compute are checked against numpy itself; the datasets against the shapes
Keras's documentation gives (nothing is downloaded); a model whose widths come from such
arrays is checked against real Keras in test_differential (fixture data_shaped_widths).
"""

import textwrap

import numpy as np
import pytest

from archlint.interpreter import arrays
from archlint.interpreter.arrays import Array
from compare import archlint_models, differences

NUMPY_CASES = [
    ("zeros", lambda m: m.zeros((3, 4))),
    ("ones_list", lambda m: m.ones([2, 5, 1])),
    ("reshape_minus_one", lambda m: m.reshape(m.zeros((6, 4)), (-1, 2, 2))),
    ("method_reshape", lambda m: m.zeros((56, 28)).reshape(-1, 28, 28, 1)),
    ("expand_dims", lambda m: m.expand_dims(m.zeros((5, 3)), -1)),
    ("newaxis_ellipsis", lambda m: m.zeros((5, 3))[..., None]),
    ("slice_rows", lambda m: m.zeros((100, 7))[10:50]),
    ("slice_step", lambda m: m.zeros((100, 7))[::3, 1:]),
    ("integer_index", lambda m: m.zeros((9, 4, 2))[0]),
    ("transpose", lambda m: m.zeros((2, 3, 4)).T),
    ("broadcast", lambda m: m.zeros((5, 1, 3)) + m.zeros((4, 1))),
    ("scalar_division", lambda m: m.zeros((5, 3)) / 255.0),
    ("concatenate", lambda m: m.concatenate([m.zeros((2, 3)), m.zeros((5, 3))])),
    ("stack", lambda m: m.stack([m.zeros((2, 3)), m.zeros((2, 3))], axis=1)),
    ("flatten", lambda m: m.zeros((2, 3)).flatten()),
    ("squeeze", lambda m: m.squeeze(m.zeros((4, 1, 3)), axis=1)),
    ("array_of_lists", lambda m: m.array([[1, 2], [3, 4], [5, 6]])),
]


class _Numpy:
    """numpy's functions as archlint models them, called like numpy's."""

    def __getattr__(self, name):
        function = arrays.FUNCTIONS["numpy." + name]
        return lambda *args, **kwargs: _Wrapped(function(_unwrap(args), _unwrap(kwargs)))


class _Wrapped:
    def __init__(self, value):
        self.value = value

    def __getattr__(self, name):
        if name in arrays.METHODS:
            return lambda *a, **k: _Wrapped(arrays.call_method(self.value, name, list(_unwrap(a)), _unwrap(k)))
        return _Wrapped(arrays.attribute(self.value, name))

    def __getitem__(self, key):
        return _Wrapped(arrays.indexed(self.value, key))

    def __add__(self, other):
        return _Wrapped(arrays.arithmetic(self.value, _unwrap(other)))

    def __truediv__(self, other):
        return _Wrapped(arrays.arithmetic(self.value, _unwrap(other)))


def _unwrap(value):
    if isinstance(value, _Wrapped):
        return value.value
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v) for v in value)
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name,build", NUMPY_CASES, ids=[c[0] for c in NUMPY_CASES])
def test_shape_equals_numpy(name, build):
    got = build(_Numpy()).value
    assert isinstance(got, Array)
    assert got.shape == build(np).shape


# (x_train, y_train), (x_test, y_test) shapes from the documentation of keras.datasets.
DOCUMENTED = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,)),
    "california_housing": ((16512, 8), (16512,), (4128, 8), (4128,)),
    "imdb": ((25000,), (25000,), (25000,), (25000,)),
    "reuters": ((8982,), (8982,), (2246,), (2246,)),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_dataset_shapes_are_the_documented_ones(name):
    (x_train, y_train), (x_test, y_test) = arrays.DATASETS[name]([], {})
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == DOCUMENTED[name]


# How many classes each dataset's labels hold (0 .. n - 1), as its documentation says.
CLASSES = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": 100, "imdb": 2, "reuters": 46}


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_dataset_label_classes(name):
    (_, y_train), (_, y_test) = arrays.DATASETS[name]([], {})
    assert y_train.classes == y_test.classes == CLASSES[name]
    assert arrays.FUNCTIONS["numpy.unique"]([y_train], {}).shape == (CLASSES[name],)
    assert arrays._to_categorical([y_test], {}).shape[-1] == CLASSES[name]
    assert arrays.DATASETS["cifar100"]([], {"label_mode": "coarse"})[0][1].classes == 20


def test_every_keras_dataset_is_known():
    keras = pytest.importorskip("keras")
    public = {name for name in dir(keras.datasets) if not name.startswith("_")}
    assert public == set(DOCUMENTED)


def _summary(tmp_path, source):
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(source))
    return archlint_models(path)


DATASET_SCRIPTS = [
    (
        """
        import keras
        from keras.utils import to_categorical
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
        y_train = to_categorical(y_train, 10)
        x_train = x_train.astype("float32") / 255
        model = keras.Sequential([keras.Input(x_train.shape[1:]), keras.layers.Flatten(), keras.layers.Dense(y_train.shape[1])])
        """,
        # the same model with arrays of cifar10's documented sample shape, built by Keras
        ("keras.datasets.cifar10.load_data()", "(np.zeros((2, 32, 32, 3), \"uint8\"), np.zeros((2, 1), \"uint8\")), (None, None)"),
    ),
    (
        """
        import keras
        from keras.utils import pad_sequences
        from sklearn.model_selection import train_test_split
        (x, y), _ = keras.datasets.imdb.load_data(num_words=1000)
        x = pad_sequences(x, maxlen=80)
        x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.1)
        model = keras.Sequential([keras.Input((x_train.shape[1],)), keras.layers.Embedding(1000, 8), keras.layers.Flatten(), keras.layers.Dense(len(x_val) // 1250)])
        """,
        # imdb's 25,000 training samples split 90/10 hold out 2,500 (the test below writes
        # short literal sequences in for the download and the split)
        ("len(x_val)", "2500"),
    ),
]


@pytest.mark.parametrize("script,written_in", DATASET_SCRIPTS, ids=["cifar10", "imdb_split"])
def test_a_model_sized_from_a_dataset(tmp_path, script, written_in):
    """The same model as real Keras builds with the dataset's documented shapes written in."""
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    got = _summary(tmp_path, script)
    loaded, values = written_in
    keras_side = tmp_path / "written.py"
    text = textwrap.dedent(script).replace(loaded, values)
    text = "import numpy as np\n" + text.replace("from sklearn.model_selection import train_test_split\n", "")
    text = text.replace("(x, y), _ = keras.datasets.imdb.load_data(num_words=1000)", "x = [[1, 2, 3]] * 4")
    text = text.replace("x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.1)", "x_train = x")
    keras_side.write_text(text)
    assert differences(build_fixture(keras_side), got) == []


def test_what_only_the_data_knows_stays_unknown(tmp_path):
    (model,) = _summary(tmp_path, """
        import numpy as np
        import keras
        (x, y), _ = keras.datasets.mnist.load_data()
        model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(len(np.unique(y[:100])))])
    """)
    assert model["total_params"] is None


def test_train_test_split_counts_follow_scikit_learn():
    assert arrays._split_counts(1000, 0.25, None) == (750, 250)
    assert arrays._split_counts(10, 0.33, None) == (6, 4)  # test rounds up
    assert arrays._split_counts(10, None, 0.67) == (6, 4)  # train rounds down
    assert arrays._split_counts(10, 3, None) == (7, 3)
