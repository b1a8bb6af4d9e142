"""Data arrays whose shape the code states, without their values.

Model code often takes its input shape from data: ``Input(x_train.shape[1:])`` after
``mnist.load_data()``, ``np.random.random((n, 128))``, ``to_categorical(y, 10)``. An
``Array`` carries what such code can know statically (a shape, ``None`` where only the data
knows a dimension, and a dtype) and follows reshaping, slicing, ``.shape``, ``len()`` and
arithmetic. Here are the numpy constructors with a literal size, eager tensors of a given
shape (``tf.ones``, ``keras.ops.zeros``: what a model is called on to build it), Keras's
bundled datasets (the shapes and label class counts their documentation gives),
``to_categorical``, ``pad_sequences`` and scikit-learn's ``train_test_split``. Anything
else that reads the data itself stays unknown (``np.unique`` and ``max`` are known only for
a dataset's labels); nothing here ever loads or computes data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..operations import (
    axis_index, broadcast, concatenated_shape, expanded_shape, get_item, reshaped_shape, squeezed_shape,
    stacked_shape, transposed_shape,
)
from ..shapes import ShapeError
from ..unknown import UNKNOWN

Dims = Tuple[Optional[int], ...]

MAX_DIMS = 32  # a shape longer than this is not a data array anyone writes


@dataclass(frozen=True)
class Array:
    """A numpy array (or a Python sequence of samples) known by its shape alone."""

    shape: Dims
    dtype: str = "float64"
    # For the label arrays of Keras's datasets: the labels are 0 .. classes - 1, each present.
    classes: Optional[int] = None
    tensor: bool = False  # an eager TensorFlow / Keras tensor (tf.ones), not a numpy array
    # Image pixels as a dataset stores them (0 .. 255): kept by reshaping, indexing and
    # astype, dropped by any arithmetic (``/ 255``, ``- mean``).
    pixels: bool = False
    one_hot: bool = False  # made by to_categorical: one class per row

    @property
    def python_shape(self) -> tuple:
        """``.shape`` as the code reads it: unknown dimensions are ``UNKNOWN``."""
        return tuple(UNKNOWN if d is None else d for d in self.shape)

    @property
    def size(self) -> Optional[int]:
        return None if None in self.shape else math.prod(self.shape)


def dims_of(value: Any) -> Optional[Dims]:
    """A size argument (``5``, ``(n, 128)``, ``[2, 3]``) as dims; ``None`` if not literal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,) if value >= 0 else None
    if isinstance(value, (tuple, list)) and len(value) <= MAX_DIMS:
        if all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in value):
            return tuple(value)
    return None


def _array(value: Any, dtype: str = "float64") -> Any:
    dims = dims_of(value)
    return UNKNOWN if dims is None else Array(dims, dtype)


def _nested_shape(value: Any) -> Optional[Dims]:
    """The shape numpy gives a nested list of numbers, if it is rectangular."""
    if isinstance(value, Array):
        return value.shape
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    if isinstance(value, (list, tuple)) and value and len(value) <= 100_000:
        inner = [_nested_shape(v) for v in value]
        if inner[0] is not None and all(s == inner[0] for s in inner):
            return (len(value),) + inner[0]
    return None


def _flattened(value: Any) -> List[Any]:
    if isinstance(value, (list, tuple)):
        return [item for inner in value for item in _flattened(inner)]
    return [value]


# --- numpy functions ----------------------------------------------------------------------
def _argument(args, kwargs, index: int, name: str, default: Any = UNKNOWN) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _dtype_name(value: Any, default: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, type):
        return {int: "int64", float: "float64", bool: "bool"}.get(value, default)
    return default


def _filled(args, kwargs) -> Any:
    return _array(_argument(args, kwargs, 0, "shape"), _dtype_name(kwargs.get("dtype"), "float64"))


def _like(args, kwargs) -> Any:
    source = _argument(args, kwargs, 0, "a")
    return source if isinstance(source, Array) else UNKNOWN


def _as_array(args, kwargs) -> Any:
    source = _argument(args, kwargs, 0, "object")
    shape = _nested_shape(source)
    if shape is None:
        return UNKNOWN
    dtype = source.dtype if isinstance(source, Array) else "float64"
    return Array(shape, _dtype_name(kwargs.get("dtype"), dtype))


def _tensor_filled(args, kwargs) -> Any:
    """``tf.ones((batch, 1, 1, 1))``: a dimension known only at run time (from ``tf.shape``) is unknown."""
    shape = _argument(args, kwargs, 0, "shape")
    if isinstance(shape, (tuple, list)) and len(shape) <= MAX_DIMS:
        shape = tuple(None if d is UNKNOWN or d is None else d for d in shape)
        if all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0) for d in shape):
            return Array(shape, "float32", tensor=True)
    return UNKNOWN


def _as_tensor(value: Any) -> Any:
    return Array(value.shape, value.dtype, value.classes, tensor=True) if isinstance(value, Array) else value


def _sized(size_index: int, name: str = "size") -> Callable:
    """``np.random.normal(loc, scale, size)``-like: an array when ``size`` is literal."""

    def make(args, kwargs):
        size = _argument(args, kwargs, size_index, name, None)
        return UNKNOWN if size is None else _array(size)

    return make


def _by_dims(args, kwargs) -> Any:
    """``np.random.rand(3, 4)``: the dimensions are the positional arguments."""
    return _array(tuple(args)) if args else UNKNOWN


def _random_integers(args, kwargs) -> Any:
    size = _argument(args, kwargs, 2, "size", None)
    return UNKNOWN if size is None else _array(size, "int64")


def _shaped(array: Array, rule: Callable, *args: Any, keeps_classes: bool = True) -> Any:
    """``array`` reshaped by one of the shape rules tensors use (operations.py), or
    ``UNKNOWN`` where the rule refuses (numpy would raise) or cannot follow."""
    try:
        shape = rule(array.shape, *args)
    except (ShapeError, TypeError, ValueError, IndexError):
        return UNKNOWN
    return Array(tuple(shape), array.dtype, array.classes if keeps_classes else None, pixels=array.pixels)


def reshape_refusal(array: Array, target: Any) -> Optional[str]:
    """Why numpy refuses ``array.reshape(target)`` (a different number of values), when both
    sizes are known; None otherwise."""
    if isinstance(target, int) and not isinstance(target, bool):
        target = (target,)
    if not isinstance(target, (tuple, list)) or not all(isinstance(d, int) and not isinstance(d, bool) for d in target):
        return None
    try:
        reshaped_shape(array.shape, tuple(target))
    except ShapeError as error:
        return error.message if error.kind == "reshape_mismatch" else None
    return None


def reshaped(array: Array, target: Any) -> Any:
    """``a.reshape(target)`` with numpy's single ``-1``."""
    if isinstance(target, int) and not isinstance(target, bool):
        target = (target,)
    if not isinstance(target, (tuple, list)) or not all(isinstance(d, int) and not isinstance(d, bool) for d in target):
        return UNKNOWN
    return _shaped(array, reshaped_shape, tuple(target))


def _reshape(args, kwargs) -> Any:
    source = _argument(args, kwargs, 0, "a")
    target = _argument(args, kwargs, 1, "newshape", kwargs.get("shape", UNKNOWN))
    if not isinstance(source, Array):  # whatever it holds, a reshape that succeeds has the target's shape
        dims = dims_of(target)
        return Array(dims) if dims is not None and all(d is not None and d > 0 for d in dims) else UNKNOWN
    return reshaped(source, target)


def _expand_dims(args, kwargs) -> Any:
    source = _argument(args, kwargs, 0, "a")
    if not isinstance(source, Array):
        return UNKNOWN
    return _shaped(source, expanded_shape, _argument(args, kwargs, 1, "axis"))


def squeezed(array: Array, axis: Any = None) -> Any:
    """numpy refuses to squeeze a dimension that is not 1; one only the data knows is not squeezed."""
    if axis is None and None in array.shape:
        return UNKNOWN
    if axis is not None:
        try:
            if array.shape[axis_index(axis, len(array.shape))] != 1:
                return UNKNOWN
        except (ShapeError, TypeError):
            return UNKNOWN
    return _shaped(array, squeezed_shape, axis)


def _squeeze(args, kwargs) -> Any:
    source = _argument(args, kwargs, 0, "a")
    return squeezed(source, _argument(args, kwargs, 1, "axis", None)) if isinstance(source, Array) else UNKNOWN


def _joined(stack: bool) -> Callable:
    """``np.concatenate`` / ``np.stack`` of arrays whose shapes agree."""

    def join(args, kwargs):
        parts = _argument(args, kwargs, 0, "arrays")
        if not isinstance(parts, (list, tuple)) or not parts or not all(isinstance(p, Array) for p in parts):
            return UNKNOWN
        rule = stacked_shape if stack else concatenated_shape
        try:
            shape = rule([p.shape for p in parts], _argument(args, kwargs, 1, "axis", 0))
        except (ShapeError, TypeError):
            return UNKNOWN
        return Array(tuple(shape), parts[0].dtype)

    return join


def _transpose(args, kwargs) -> Any:
    source = _argument(args, kwargs, 0, "a")
    return transposed(source, _argument(args, kwargs, 1, "axes", None)) if isinstance(source, Array) else UNKNOWN


def transposed(array: Array, axes: Any = None) -> Any:
    if axes is not None and (not isinstance(axes, (list, tuple)) or sorted(axes) != list(range(len(array.shape)))):
        return UNKNOWN
    return _shaped(array, transposed_shape, axes, keeps_classes=False)


# --- Keras and scikit-learn data helpers ----------------------------------------------------
def _split(total: int, test: float) -> Tuple[int, int]:
    train = int(total * (1 - test))
    return train, total - train


def _samples(train: int, test: int, x: Dims, y: Dims, x_dtype: str = "uint8", y_dtype: str = "uint8",
             classes: Optional[int] = None):
    return (
        (Array((train,) + x, x_dtype, pixels=x_dtype == "uint8"), Array((train,) + y, y_dtype, classes)),
        (Array((test,) + x, x_dtype, pixels=x_dtype == "uint8"), Array((test,) + y, y_dtype, classes)),
    )


def _housing(args, kwargs, total: int, features: int):
    test = kwargs.get("test_split", 0.2)
    if not isinstance(test, (int, float)) or not 0 <= test < 1:
        return UNKNOWN
    train, held = _split(total, test)
    return _samples(train, held, (features,), (), "float64", "float64")


def _california(args, kwargs):
    version = _argument(args, kwargs, 0, "version", "large")
    if version not in ("large", "small"):
        return UNKNOWN
    return _housing(args, kwargs, 20640 if version == "large" else 600, 8)


def _text(total_train: int, total_test: int, split: bool, classes: int) -> Callable:
    """imdb / reuters: arrays of word-index lists, one per sample (their length unknown)."""

    def load(args, kwargs):
        if split:
            test = kwargs.get("test_split", 0.2)
            if not isinstance(test, (int, float)) or not 0 <= test < 1:
                return UNKNOWN
            train, held = _split(total_train + total_test, test)
        else:
            train, held = total_train, total_test
        return _samples(train, held, (), (), "object", "int64", classes)

    return load


def _cifar100(args, kwargs):
    label_mode = _argument(args, kwargs, 0, "label_mode", "fine")
    if label_mode not in ("fine", "coarse"):
        return UNKNOWN
    return _samples(50000, 10000, (32, 32, 3), (1,), "uint8", "int64", 100 if label_mode == "fine" else 20)


# keras.datasets.<name>.load_data(): (x_train, y_train), (x_test, y_test), as Keras documents
# them, with how many classes the labels hold.
DATASETS: Dict[str, Callable] = {
    "mnist": lambda a, k: _samples(60000, 10000, (28, 28), (), classes=10),
    "fashion_mnist": lambda a, k: _samples(60000, 10000, (28, 28), (), classes=10),
    "cifar10": lambda a, k: _samples(50000, 10000, (32, 32, 3), (1,), classes=10),
    "cifar100": lambda a, k: _cifar100(a, k),
    "boston_housing": lambda a, k: _housing(a, k, 506, 13),
    "california_housing": _california,
    "imdb": _text(25000, 25000, split=False, classes=2),
    "reuters": _text(8982, 2246, split=True, classes=46),
}


def _to_categorical(args, kwargs) -> Any:
    labels = _argument(args, kwargs, 0, "x")
    classes = _argument(args, kwargs, 1, "num_classes", None)
    if isinstance(labels, (list, tuple)) and _nested_shape(labels) is not None:  # literal labels
        flat = _flattened(labels)
        labels = Array(_nested_shape(labels), "int64", max(flat) + 1 if flat and all(isinstance(v, int) for v in flat) else None)
    if not isinstance(labels, Array):
        return UNKNOWN
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    width = classes if isinstance(classes, int) and not isinstance(classes, bool) and classes > 0 else None
    if classes is None:  # Keras counts max(labels) + 1
        width = labels.classes
    return Array(shape + (width,), "float32" if kwargs.get("dtype") is None else _dtype_name(kwargs["dtype"], "float32"),
                 one_hot=True)


def _pad_sequences(args, kwargs) -> Any:
    sequences = _argument(args, kwargs, 0, "sequences")
    maxlen = _argument(args, kwargs, 1, "maxlen", None)
    if isinstance(sequences, Array):
        count = sequences.shape[0] if sequences.shape else None
    elif isinstance(sequences, (list, tuple)):
        count = len(sequences)
    else:
        return UNKNOWN
    width = maxlen if isinstance(maxlen, int) and not isinstance(maxlen, bool) and maxlen > 0 else None
    return Array((count, width), _dtype_name(kwargs.get("dtype"), "int32"))


def _train_test_split(args, kwargs) -> Any:
    """scikit-learn's split: each array twice, with sklearn's sample counts."""
    if not args or not all(isinstance(a, Array) and a.shape for a in args):
        return UNKNOWN
    total = args[0].shape[0]
    test, train = kwargs.get("test_size"), kwargs.get("train_size")
    counts = _split_counts(total, test, train) if total is not None else (None, None)
    if counts is None:
        return UNKNOWN
    out: List[Array] = []
    for array in args:
        out += [Array((counts[0],) + array.shape[1:], array.dtype, pixels=array.pixels, one_hot=array.one_hot),
                Array((counts[1],) + array.shape[1:], array.dtype, pixels=array.pixels, one_hot=array.one_hot)]
    return out


def _split_counts(total: int, test: Any, train: Any) -> Optional[Tuple[int, int]]:
    def count(value, rounding):
        if isinstance(value, float) and 0 < value < 1:
            return rounding(value * total)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < total:
            return value
        return UNKNOWN

    if test is None and train is None:
        test = 0.25
    n_test = count(test, math.ceil) if test is not None else None
    n_train = count(train, math.floor) if train is not None else None
    if n_test is UNKNOWN or n_train is UNKNOWN:
        return None
    if n_train is None:
        n_train = total - n_test
    if n_test is None:
        n_test = total - n_train
    return (n_train, n_test) if n_train + n_test <= total else None


def _unique(args, kwargs) -> Any:
    """``np.unique(y)`` of dataset labels: each class once."""
    labels = _argument(args, kwargs, 0, "ar")
    if isinstance(labels, Array) and labels.classes is not None and len(kwargs) == 0 and len(args) == 1:
        return Array((labels.classes,), labels.dtype, labels.classes)
    return UNKNOWN


def _largest(args, kwargs) -> Any:
    """``np.max(y)`` of dataset labels: the last class."""
    labels = _argument(args, kwargs, 0, "a")
    if isinstance(labels, Array) and labels.classes is not None and len(args) == 1 and not kwargs:
        return labels.classes - 1
    return UNKNOWN


def _rounded(args, kwargs) -> Any:
    """``np.round(3.6)`` of a number: numpy's round half to even, as a float."""
    value, decimals = _argument(args, kwargs, 0, "a"), _argument(args, kwargs, 1, "decimals", 0)
    if isinstance(value, Array):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(decimals, int):
        return float(round(value, decimals))
    return UNKNOWN


# Array classes by path, for ``isinstance``: numpy arrays, eager and symbolic tensors.
NUMPY_ARRAY = {"numpy.ndarray"}
TENSOR_CLASSES = {"tensorflow.Tensor", "tensorflow.EagerTensor", "tensorflow.python.framework.ops.EagerTensor"}
SYMBOLIC_CLASSES = {"keras.KerasTensor", "keras.src.backend.KerasTensor", "keras.src.backend.common.keras_tensor.KerasTensor"}


def is_instance(value: Any, path: str, eager: bool = False) -> Optional[bool]:
    """``isinstance(value, <path>)`` for an Array (``eager`` unused) or a tensor (``eager``:
    made from concrete data); ``None`` when the class is not one of these."""
    path = "numpy." + path[3:] if path.startswith("np.") else "tensorflow." + path[3:] if path.startswith("tf.") else path
    if path not in NUMPY_ARRAY | TENSOR_CLASSES | SYMBOLIC_CLASSES:
        return None
    if isinstance(value, Array):
        return path in (TENSOR_CLASSES if value.tensor else NUMPY_ARRAY)
    return path in (TENSOR_CLASSES if eager else SYMBOLIC_CLASSES)


# Functions by their module path (numpy spelled ``numpy``); each takes (args, kwargs).
FUNCTIONS: Dict[str, Callable] = {
    "numpy.zeros": _filled,
    "numpy.ones": _filled,
    "numpy.empty": _filled,
    "numpy.full": _filled,
    "numpy.zeros_like": _like,
    "numpy.ones_like": _like,
    "numpy.empty_like": _like,
    "numpy.full_like": _like,
    "numpy.array": _as_array,
    "numpy.asarray": _as_array,
    "numpy.reshape": _reshape,
    "numpy.expand_dims": _expand_dims,
    "numpy.squeeze": _squeeze,
    "numpy.transpose": _transpose,
    "numpy.concatenate": _joined(stack=False),
    "numpy.stack": _joined(stack=True),
    "numpy.unique": _unique,
    "numpy.round": _rounded,
    "numpy.around": _rounded,
    "numpy.max": _largest,
    "numpy.amax": _largest,
    "numpy.random.random": _sized(0),
    "numpy.random.random_sample": _sized(0),
    "numpy.random.rand": _by_dims,
    "numpy.random.randn": _by_dims,
    "numpy.random.normal": _sized(2),
    "numpy.random.uniform": _sized(2),
    "numpy.random.randint": _random_integers,
    # Eager tensors of a given shape, as model code makes them to build a model by calling it.
    "tensorflow.ones": _tensor_filled,
    "tensorflow.zeros": _tensor_filled,
    "tensorflow.random.uniform": _tensor_filled,
    "tensorflow.random.normal": _tensor_filled,
    "tensorflow.random.truncated_normal": _tensor_filled,
    "tensorflow.constant": lambda a, k: _as_tensor(_as_array(a, k)),
    "tensorflow.convert_to_tensor": lambda a, k: _as_tensor(_as_array(a, k)),
    "keras.ops.ones": _tensor_filled,
    "keras.ops.zeros": _tensor_filled,
    "keras.ops.convert_to_tensor": lambda a, k: _as_tensor(_as_array(a, k)),
    "keras.random.uniform": _tensor_filled,
    "keras.random.normal": _tensor_filled,
    "keras.utils.to_categorical": _to_categorical,
    "keras.utils.np_utils.to_categorical": _to_categorical,
    "keras.utils.pad_sequences": _pad_sequences,
    "keras.preprocessing.sequence.pad_sequences": _pad_sequences,
    "sklearn.model_selection.train_test_split": _train_test_split,
    "sklearn.cross_validation.train_test_split": _train_test_split,
}


def function_for(path: str, keras_path: Optional[str]) -> Optional[Callable]:
    """The array function a module path names (``np.zeros``, ``tf.ones``,
    ``keras.datasets.mnist.load_data``)."""
    if keras_path is not None:
        parts = keras_path.split(".")
        if len(parts) == 4 and parts[1] == "datasets" and parts[3] == "load_data":
            return DATASETS.get(parts[2])
        return FUNCTIONS.get(keras_path)
    if path.startswith("np."):
        path = "numpy." + path[3:]
    elif path.startswith("tf."):
        path = "tensorflow." + path[3:]
    return FUNCTIONS.get(path)


def as_eager_tensors(value: Any) -> Any:
    """Arrays among a layer call's arguments as concrete tensors of their shape (a batch
    dimension only the data knows stays unknown)."""
    from ..graph import eager_tensor

    if isinstance(value, Array):
        return eager_tensor(value.shape)
    if isinstance(value, (list, tuple)):
        return type(value)(as_eager_tensors(v) for v in value)
    return value


# --- what code does with an array -------------------------------------------------------------
def attribute(array: Array, name: str) -> Any:
    if name == "shape":
        return array.python_shape
    if name == "ndim":
        return len(array.shape)
    if name == "size":
        return UNKNOWN if array.size is None else array.size
    if name == "dtype":
        return array.dtype
    if name == "T":
        return transposed(array)
    return UNKNOWN


METHODS = {"reshape", "astype", "copy", "flatten", "ravel", "squeeze", "transpose", "max"}


def call_method(array: Array, name: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    if name == "reshape":
        return reshaped(array, args[0] if len(args) == 1 else tuple(args) if args else kwargs.get("shape", UNKNOWN))
    if name == "astype":
        dtype = args[0] if args else kwargs.get("dtype")
        return Array(array.shape, _dtype_name(dtype, array.dtype), array.classes, pixels=array.pixels)
    if name == "copy":
        return array
    if name == "max":
        return _largest([array, *args], kwargs)
    if name in ("flatten", "ravel"):
        return Array((array.size,), array.dtype, array.classes)
    if name == "squeeze":
        return squeezed(array, args[0] if args else kwargs.get("axis"))
    if name == "transpose":
        return transposed(array, (args[0] if len(args) == 1 else tuple(args)) if args else None)
    return UNKNOWN


def length(array: Array) -> Any:
    return UNKNOWN if not array.shape or array.shape[0] is None else array.shape[0]


def arithmetic(left: Any, right: Any) -> Any:
    """``x / 255.0``, ``a + b``: numpy broadcasting of the shapes, or ``UNKNOWN``."""
    shapes = []
    for operand in (left, right):
        if isinstance(operand, Array):
            shapes.append(operand.shape)
        elif isinstance(operand, (int, float)):
            shapes.append(())
        else:
            return UNKNOWN
    try:
        shape = broadcast(shapes[0], shapes[1])
    except ShapeError:
        return UNKNOWN
    dtype = next(o.dtype for o in (left, right) if isinstance(o, Array))
    return Array(tuple(shape), dtype)


def indexed(array: Array, key: Any) -> Any:
    """``a[0]``, ``a[:100]``, ``a[..., None]``, ``a[:, 1:3]``: basic numpy indexing, as
    Keras's ``GetItem`` shapes it. A subset of a dataset's labels may lack some classes."""
    keys = key if isinstance(key, tuple) else (key,)
    if any(isinstance(k, bool) or not (k is None or k is Ellipsis or isinstance(k, (int, slice))) for k in keys):
        return UNKNOWN  # a mask or an index array: how many it picks is data
    return _shaped(array, get_item, key, keeps_classes=False)
