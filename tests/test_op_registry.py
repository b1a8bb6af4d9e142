"""Every entry of the op registry against the real function, row by row.

keras.ops and keras.activations entries are checked with Keras's symbolic tensors in this run; TensorFlow and
legacy-backend (``K.*``) entries with TensorFlow's eager tensors when TensorFlow is
installed (the ``wild`` extra), and are skipped otherwise. A row gives tensors as shapes.
"""

import inspect

import pytest

from archlint import op_registry
from archlint.operations import reduced_shape
from archlint.shapes import ShapeError


class T(tuple):
    """A tensor operand of this shape."""


# Extra arguments a generated row needs, by function path.
NEEDS = {
    "keras.ops.cast": {"dtype": "float32"},
    "keras.ops.clip": {"x_min": 0.0, "x_max": 1.0},
    "tensorflow.cast": {"dtype": "float32"},
    "tensorflow.clip_by_value": {"clip_value_min": 0.0, "clip_value_max": 1.0},
    "keras.backend.cast": {"dtype": "float32"},
    "keras.backend.clip": {"min_value": 0.0, "max_value": 1.0},
}

# Rows for functions whose shape depends on more than their operands' shapes.
STRUCTURAL = [
    ("keras.ops.reshape", [T((2, 12)), (-1, 3, 4)], {}),
    ("keras.ops.concatenate", [[T((2, 3)), T((2, 5))]], {"axis": 1}),
    ("keras.ops.stack", [[T((2, 3)), T((2, 3))]], {"axis": -1}),
    ("keras.ops.matmul", [T((4, 2, 3)), T((3, 5))], {}),
    ("keras.ops.transpose", [T((2, 3, 4))], {"axes": (0, 2, 1)}),
    ("keras.ops.expand_dims", [T((2, 3))], {"axis": 1}),
    ("keras.ops.squeeze", [T((2, 1, 3))], {"axis": 1}),
    ("keras.ops.split", [T((2, 6))], {"indices_or_sections": 3, "axis": 1}),
    ("keras.ops.split", [T((2, 6))], {"indices_or_sections": [1, 4], "axis": 1}),
    ("keras.ops.repeat", [T((2, 3))], {"repeats": 2, "axis": 1}),
    ("keras.ops.tile", [T((2, 3))], {"repeats": (2, 2)}),
    ("keras.ops.get_item", [T((2, 3, 4)), (slice(None), 0)], {}),
    ("keras.ops.max_pool", [T((1, 9, 9, 2))], {"pool_size": 2, "strides": 2, "padding": "same"}),
    ("keras.ops.average_pool", [T((1, 9, 9, 2))], {"pool_size": 3, "strides": 2}),
    ("tensorflow.reshape", [T((2, 12)), (2, 3, 4)], {}),
    ("tensorflow.concat", [[T((2, 3)), T((2, 5))]], {"axis": -1}),
    ("tensorflow.stack", [[T((2, 3)), T((2, 3))]], {"axis": 1}),
    ("tensorflow.split", [T((2, 6)), 2], {"axis": -1}),
    ("tensorflow.split", [T((2, 6)), [1, -1]], {"axis": 1}),
    ("tensorflow.expand_dims", [T((2, 3)), -1], {}),
    ("tensorflow.squeeze", [T((2, 1, 3, 1))], {}),
    ("tensorflow.transpose", [T((2, 3, 4))], {"perm": [2, 0, 1]}),
    ("tensorflow.matmul", [T((2, 3, 4)), T((2, 5, 4))], {"transpose_b": True}),
    ("tensorflow.linalg.matmul", [T((3, 4)), T((4, 2))], {}),
    ("tensorflow.tile", [T((2, 3)), [1, 3]], {}),
    ("tensorflow.pad", [T((2, 3)), [[0, 0], [1, 2]]], {}),
    ("tensorflow.nn.space_to_depth", [T((1, 4, 6, 3)), 2], {}),
    ("tensorflow.nn.depth_to_space", [T((1, 2, 3, 8)), 2], {}),
    ("tensorflow.space_to_depth", [T((1, 4, 6, 3)), 2], {}),
    ("tensorflow.depth_to_space", [T((1, 2, 3, 8)), 2], {}),
    ("tensorflow.image.resize", [T((1, 5, 7, 3)), (10, 14)], {}),
    ("tensorflow.nn.max_pool2d", [T((1, 9, 9, 2)), 3, 2, "SAME"], {}),
    ("tensorflow.nn.avg_pool2d", [T((1, 9, 9, 2)), 2, 2, "VALID"], {}),
    ("tensorflow.nn.max_pool", [T((1, 9, 9, 2)), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"], {}),
    ("tensorflow.nn.avg_pool", [T((1, 9, 9, 2)), 3, 1, "SAME"], {}),
    ("keras.backend.reshape", [T((2, 12)), (2, 4, 3)], {}),
    ("keras.backend.concatenate", [[T((2, 3)), T((2, 1))]], {}),
    ("keras.backend.stack", [[T((2, 3)), T((2, 3))]], {}),
    ("keras.backend.expand_dims", [T((2, 3))], {}),
    ("keras.backend.squeeze", [T((2, 1, 3)), 1], {}),
    ("keras.backend.permute_dimensions", [T((2, 3, 4)), (0, 2, 1)], {}),
    ("keras.backend.repeat_elements", [T((2, 3, 4)), 3, 2], {}),
    ("keras.backend.tile", [T((2, 3)), (2, 1)], {}),
    ("keras.backend.batch_flatten", [T((2, 3, 4))], {}),
    ("keras.backend.resize_images", [T((1, 3, 5, 2)), 2, 3, "channels_last"], {}),
    ("keras.backend.resize_images", [T((1, 2, 3, 5)), 2, 2, "channels_first"], {"interpolation": "bilinear"}),
    ("keras.backend.dot", [T((2, 3)), T((3, 4))], {}),
    ("keras.backend.batch_dot", [T((2, 3, 4)), T((2, 4, 5))], {}),
]


def _generated_rows():
    """One row for each entry whose shape follows from its operands alone."""
    rows = []
    structural = {path for path, _, _ in STRUCTURAL}
    for path, op in sorted(op_registry.REGISTRY.items()):
        if path in structural:
            continue
        if op.rule is reduced_shape:
            rows.append((path, [T((2, 3, 4))], {op.params[1]: 1, op.params[2]: True}))
            rows.append((path, [T((2, 3, 4))], {op.params[1]: (0, 2)}))
        elif len(op.tensors) == 2:
            rows.append((path, [T((2, 3)), T((3,))], {}))
        else:
            rows.append((path, [T((2, 3))], dict(NEEDS.get(path, {}))))
    return rows


ROWS = STRUCTURAL + _generated_rows()


def _row_id(row):
    path, args, kwargs = row
    return path + "(" + ",".join(map(str, [*args, *kwargs.values()])) + ")"


def test_every_entry_has_a_row():
    checked = {path for path, _, _ in ROWS}
    assert sorted(set(op_registry.REGISTRY) - checked) == []


def _archlint_shape(path, args, kwargs):
    op = op_registry.REGISTRY[path]
    bound = op.bind(args, kwargs)
    assert bound is not None, f"{path} refuses {args} {kwargs}"
    try:
        return op.output_shape(bound)
    except ShapeError as error:
        return f"refused: {error}"


def _real(args, kwargs, make):
    def convert(value):
        if isinstance(value, T):
            return make(tuple(value))
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return [convert(a) for a in args], {k: convert(v) for k, v in kwargs.items()}


def _shape_of(result):
    if isinstance(result, (list, tuple)):
        return [tuple(r.shape) for r in result]
    return tuple(result.shape)


KERAS_ROWS = [r for r in ROWS if r[0].startswith(("keras.ops.", "keras.activations."))]


@pytest.mark.parametrize("row", KERAS_ROWS, ids=_row_id)
def test_keras_ops_row(row):
    keras = pytest.importorskip("keras")
    path, args, kwargs = row
    module, name = path.rsplit(".", 1)
    function = getattr(keras.ops if module == "keras.ops" else keras.activations, name)
    real_args, real_kwargs = _real(args, kwargs, lambda shape: keras.KerasTensor(shape, dtype="float32"))
    assert _archlint_shape(path, args, kwargs) == _shape_of(function(*real_args, **real_kwargs))


@pytest.mark.parametrize("row", [r for r in ROWS if r not in KERAS_ROWS], ids=_row_id)
def test_tensorflow_row(row):
    tf = pytest.importorskip("tensorflow", reason="TensorFlow rows need the wild extra")
    path, args, kwargs = row
    if path.startswith("keras.backend."):
        module, name = tf.keras.backend, path.rsplit(".", 1)[1]
    else:
        module_path, name = path.rsplit(".", 1)
        module = tf
        for part in module_path.split(".")[1:]:
            module = getattr(module, part)
        if not hasattr(module, name) and module is tf:  # a TF 1 spelling
            module = tf.compat.v1
    function = getattr(module, name)
    logical = path.rsplit(".", 1)[1] in ("reduce_any", "reduce_all", "any", "all")
    real_args, real_kwargs = _real(args, kwargs, lambda shape: tf.random.uniform(shape) > 0.5 if logical else tf.random.uniform(shape))
    assert _archlint_shape(path, args, kwargs) == _shape_of(function(*real_args, **real_kwargs))


def test_keras_ops_parameters_are_the_real_ones():
    keras = pytest.importorskip("keras")
    for path, op in op_registry.REGISTRY.items():
        module, name = path.rsplit(".", 1)
        if module in ("keras.ops", "keras.activations"):
            real = list(inspect.signature(getattr(getattr(keras, module.split(".")[1]), name)).parameters)
            assert list(op.params) == real[: len(op.params)], path


def test_lookup_finds_every_spelling():
    assert op_registry.lookup("tf.nn.relu").path == "tensorflow.nn.relu"
    assert op_registry.lookup("keras.src.ops.numpy.mean").path == "keras.ops.mean"
    assert op_registry.lookup("K.mean").path == "keras.backend.mean"
    assert op_registry.lookup("tensorflow.not_a_function") is None
