"""The tensor functions model code calls: ``keras.ops``, ``keras.activations``, TensorFlow
(``tf.*``, ``tf.nn``, ``tf.math``, ``tf.image``) and the legacy Keras backend (``K.*``), one
declared entry each.

An entry names the function's module paths, its parameters in order (``@`` marks those
holding a tensor or a list of tensors), the Keras operation class its summary row takes,
and its shape rule: a function of the bound arguments, with each tensor replaced by its
shape. Adding a function is one ``declare(...)`` line here; tests/test_op_registry.py checks
every entry against real Keras (and TensorFlow when installed). Values are never computed,
and a function that is not declared is not guessed at: the interpreter notes it (AL903).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .operations import (
    axis_index, concatenated_shape, elementwise, expanded_shape, get_item, matmul_shape, reduced_shape, reshaped_shape,
    squeezed_shape, stacked_shape, transposed_shape,
)
from .shapes import Shape, ShapeError

_REQUIRED = object()


@dataclass(frozen=True)
class Op:
    """One tensor function: its parameters, which of them hold tensors, its shape rule."""

    path: str
    params: Tuple[str, ...]
    defaults: Dict[str, Any]
    tensors: Tuple[str, ...]
    rule: Callable[..., Any]
    class_name: str

    def output_shape(self, bound: Dict[str, Any]) -> Any:
        return self.rule(*(bound[param] for param in self.params))

    def bind(self, args: Sequence[Any], kwargs: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The call's arguments by parameter name, defaults filled in; ``None`` if they do
        not fit the signature (``name=`` is accepted and dropped, as every tf function takes it)."""
        if len(args) > len(self.params):
            return None
        bound = dict(zip(self.params, args))
        for key, value in kwargs.items():
            if key == "name" and key not in self.params:
                continue
            if key not in self.params or key in bound:
                return None
            bound[key] = value
        for param in self.params:
            if param not in bound:
                default = self.defaults.get(param, _REQUIRED)
                if default is _REQUIRED:
                    return None
                bound[param] = default
        return bound


REGISTRY: Dict[str, Op] = {}


def declare(paths: str, signature: str, rule: Callable[..., Any], class_name: Optional[str] = None) -> None:
    """Declare one function under each of ``paths`` (space-separated, ``tf.`` for
    ``tensorflow.``, ``K.`` for the legacy ``keras.backend.``): ``signature`` lists its
    parameters (``"@x, axis=-1"``); ``rule(*arguments)``, called with every parameter in
    order, returns the output shape (a list of shapes for several outputs) or raises
    ``ShapeError``."""
    params: List[str] = []
    defaults: Dict[str, Any] = {}
    tensors: List[str] = []
    for part in (p.strip() for p in signature.split(",") if p.strip()):
        name, _, default = part.partition("=")
        name = name.strip()
        if name.startswith("@"):
            name = name[1:]
            tensors.append(name)
        params.append(name)
        if default:
            defaults[name] = ast.literal_eval(default.strip())
    for path in paths.split():
        full = _expand(path)
        function = full.rsplit(".", 1)[1]
        REGISTRY[full] = Op(full, tuple(params), defaults, tuple(tensors), rule, class_name or _class_name(function))


def _expand(path: str) -> str:
    if path.startswith("tf."):
        return "tensorflow." + path[3:]
    if path.startswith("K."):
        return "keras.backend." + path[2:]
    if path.startswith("ops."):
        return "keras.ops." + path[4:]
    return path


# keras.ops functions whose operation class is not the CamelCase of the function name.
_CLASS_NAMES = {"abs": "Absolute", "true_divide": "TrueDivide", "relu6": "Relu6", "log1p": "Log1p", "expm1": "Expm1"}


def _class_name(function: str) -> str:
    return _CLASS_NAMES.get(function) or "".join(part.capitalize() for part in function.split("_"))


def lookup(path: str) -> Optional[Op]:
    """The entry for a module path as the interpreter spells it (``tf.nn.relu`` or
    ``tensorflow.nn.relu``; ``keras.src.ops.numpy.mean`` finds ``keras.ops.mean``)."""
    path = _expand(path)
    if path in REGISTRY:
        return REGISTRY[path]
    parts = path.split(".")
    if parts[0] == "keras" and "ops" in parts[1:-1]:  # keras.ops.numpy.mean, keras.src.ops.nn.relu
        return REGISTRY.get("keras.ops." + parts[-1])
    if path.startswith("tensorflow.python."):  # TensorFlow's internals, re-exported at the top
        return REGISTRY.get("tensorflow." + parts[-1])
    return None


def is_tensor_library(path: str) -> bool:
    """Whether a path is in a library of tensor functions (so an undeclared one deserves a note)."""
    path = _expand(path)
    return path.startswith(("tensorflow.", "keras.ops.", "keras.backend.", "keras.activations.")) or ".ops." in path


# --- shape rules ----------------------------------------------------------------------------
def _split(x: Shape, sections, axis: int) -> List[Shape]:
    axis = axis_index(axis, len(x))
    length = x[axis]
    if isinstance(sections, int) and not isinstance(sections, bool):
        if length is not None and (sections <= 0 or length % sections):
            raise ShapeError("bad_argument", f"cannot split a dim of {length} into {sections} equal parts")
        sizes = [None if length is None else length // sections] * sections
    elif isinstance(sections, (list, tuple)) and all(isinstance(s, int) for s in sections):
        sizes = list(sections)
        if -1 in sizes and length is not None:
            sizes[sizes.index(-1)] = length - sum(s for s in sizes if s != -1)
    else:
        raise ShapeError("opaque", "split sizes the analysis cannot follow")
    return [x[:axis] + (size,) + x[axis + 1:] for size in sizes]


def _keras_split(x: Shape, indices_or_sections, axis: int) -> List[Shape]:
    """keras.ops.split takes section counts or split indices (numpy's convention)."""
    if isinstance(indices_or_sections, (list, tuple)):
        axis_ = axis_index(axis, len(x))
        length = x[axis_]
        bounds = [0, *indices_or_sections, length]
        if length is None:
            sizes = [None if b is None or a is None else b - a for a, b in zip(bounds, bounds[1:])]
        else:
            sizes = [b - a for a, b in zip(bounds, bounds[1:])]
        return [x[:axis_] + (size,) + x[axis_ + 1:] for size in sizes]
    return _split(x, indices_or_sections, axis)


def _channels_last(data_format: Any) -> bool:
    if data_format in (None, "NHWC", "channels_last"):
        return True
    if data_format in ("NCHW", "channels_first"):
        return False
    raise ShapeError("opaque", f"data format {data_format!r} is not followed")


def _space_to_depth(x: Shape, block_size: int, data_format) -> Shape:
    if len(x) != 4 or not isinstance(block_size, int):
        raise ShapeError("wrong_rank", "space_to_depth needs a 4D tensor and an integer block size")
    last = _channels_last(data_format)
    n, h, w, c = x if last else (x[0], x[2], x[3], x[1])
    h, w = (None if d is None else d // block_size for d in (h, w))
    c = None if c is None else c * block_size * block_size
    return (n, h, w, c) if last else (n, c, h, w)


def _depth_to_space(x: Shape, block_size: int, data_format) -> Shape:
    if len(x) != 4 or not isinstance(block_size, int):
        raise ShapeError("wrong_rank", "depth_to_space needs a 4D tensor and an integer block size")
    last = _channels_last(data_format)
    n, h, w, c = x if last else (x[0], x[2], x[3], x[1])
    h, w = (None if d is None else d * block_size for d in (h, w))
    c = None if c is None else c // (block_size * block_size)
    return (n, h, w, c) if last else (n, c, h, w)


def _resize(images: Shape, size, *_: Any) -> Shape:
    if not isinstance(size, (list, tuple)) or len(size) != 2:
        raise ShapeError("opaque", "a resize size the analysis cannot follow")
    return images[:-3] + (size[0], size[1], images[-1])


def _resize_by_factors(x: Shape, height_factor, width_factor, data_format, interpolation=None) -> Shape:
    """Keras 2's ``K.resize_images``: spatial dims times integer factors."""
    if len(x) != 4 or not isinstance(height_factor, int) or not isinstance(width_factor, int):
        raise ShapeError("opaque", "resize factors the analysis cannot follow")
    last = _channels_last(data_format)
    h, w = (x[1], x[2]) if last else (x[2], x[3])
    h, w = (None if h is None else h * height_factor), (None if w is None else w * width_factor)
    return (x[0], h, w, x[3]) if last else (x[0], x[1], h, w)


def _pool(x: Shape, ksize, strides, padding, data_format=None) -> Shape:
    rank = len(x) - 2
    if rank < 1:
        raise ShapeError("wrong_rank", "pooling needs a batch and a channel dimension")
    sizes = _per_dim(ksize, rank)
    steps = _per_dim(strides if strides is not None else ksize, rank)
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in ("valid", "same"):
        raise ShapeError("opaque", f"padding {padding!r} is not followed")
    last = _channels_last(data_format) if data_format not in ("NWC", "NDHWC", "NCW", "NCDHW") else data_format.endswith("C")
    spatial = x[1:-1] if last else x[2:]
    out = []
    for length, size, step in zip(spatial, sizes, steps):
        if length is None:
            out.append(None)
        elif padding == "same":
            out.append(-(-length // step))
        else:
            out.append((length - size) // step + 1)
    return (x[0], *out, x[-1]) if last else (x[0], x[1], *out)


def _per_dim(value, rank: int) -> Tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * rank
    if isinstance(value, (list, tuple)) and all(isinstance(v, int) for v in value):
        if len(value) == rank:
            return tuple(value)
        if len(value) == rank + 2:  # tf's [1, k, k, 1]
            return tuple(value[1:-1])
    raise ShapeError("opaque", "pooling sizes the analysis cannot follow")


def _tile(x: Shape, multiples) -> Shape:
    if not isinstance(multiples, (list, tuple)) or len(multiples) != len(x) or not all(isinstance(m, int) for m in multiples):
        raise ShapeError("opaque", "tile multiples the analysis cannot follow")
    return tuple(None if d is None else d * m for d, m in zip(x, multiples))


def _pad(x: Shape, paddings, *_: Any) -> Shape:
    if not isinstance(paddings, (list, tuple)) or len(paddings) != len(x):
        raise ShapeError("opaque", "paddings the analysis cannot follow")
    out = []
    for d, pair in zip(x, paddings):
        if isinstance(pair, int):
            pair = (pair, pair)
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not all(isinstance(p, int) for p in pair):
            raise ShapeError("opaque", "paddings the analysis cannot follow")
        out.append(None if d is None else d + pair[0] + pair[1])
    return tuple(out)


def _repeat(x: Shape, repeats, axis) -> Shape:
    if not isinstance(repeats, int):
        raise ShapeError("opaque", "repeat counts the analysis cannot follow")
    if axis is None:
        total = None if None in x else repeats
        for d in x:
            total = None if total is None else total * d
        return (total,)
    axis = axis_index(axis, len(x))
    return x[:axis] + (None if x[axis] is None else x[axis] * repeats,) + x[axis + 1:]


def _tf_matmul(a: Shape, b: Shape, transpose_a=False, transpose_b=False) -> Shape:
    if transpose_a:
        a = a[:-2] + (a[-1], a[-2])
    if transpose_b:
        b = b[:-2] + (b[-1], b[-2])
    return matmul_shape(a, b)


def _flatten_batch(x: Shape) -> Shape:
    rest = 1
    for d in x[1:]:
        rest = None if rest is None or d is None else rest * d
    return (x[0], rest)


def _batch_dot(x: Shape, y: Shape, axes=None) -> Shape:
    if len(x) == 3 and len(y) == 3 and axes in (None, (2, 1), [2, 1]):
        return (x[0], x[1], y[2])
    if isinstance(axes, (list, tuple)) and len(axes) == 2 and all(isinstance(a, int) for a in axes):
        ax, ay = axis_index(axes[0], len(x)), axis_index(axes[1], len(y))
        return x[:ax] + x[ax + 1:] + y[1:ay] + y[ay + 1:]
    raise ShapeError("opaque", "batch_dot axes the analysis cannot follow")


def same(x: Shape, *_: Any) -> Shape:
    return elementwise(x)


# --- keras.ops ------------------------------------------------------------------------------
_KERAS_BINARY = (
    "add subtract multiply divide true_divide floor_divide mod power maximum minimum less less_equal greater "
    "greater_equal equal not_equal logical_and logical_or logical_xor"
)
_KERAS_UNARY = (
    "relu relu6 sigmoid hard_sigmoid silu swish hard_silu hard_swish elu selu softplus softsign tanh exp log sqrt "
    "rsqrt square abs absolute negative floor ceil sign sin cos log1p expm1 reciprocal logical_not log_sigmoid erf "
    "zeros_like ones_like"
)
for _name in _KERAS_BINARY.split():
    declare(f"ops.{_name}", "@x1, @x2", elementwise)
for _name in _KERAS_UNARY.split():
    declare(f"ops.{_name}", "@x", same)
for _name in "mean sum max min prod std var any all logsumexp argmax argmin".split():
    declare(f"ops.{_name}", "@x, axis=None, keepdims=False", reduced_shape)
declare("ops.stop_gradient", "@variable", same)
declare("ops.gelu", "@x, approximate=True", same)
declare("ops.leaky_relu", "@x, negative_slope=0.2", same)
declare("ops.softmax ops.log_softmax", "@x, axis=-1", same)
declare("ops.cast", "@x, dtype", same)
declare("ops.convert_to_tensor", "@x, dtype=None, sparse=None", same)
declare("ops.clip", "@x, x_min, x_max", same)
declare("ops.round", "@x, decimals=0", same)
declare("ops.nan_to_num", "@x, nan=0.0, posinf=None, neginf=None", same)
declare("ops.reshape", "@x, newshape", reshaped_shape)
declare("ops.concatenate", "@xs, axis=0", concatenated_shape)
declare("ops.stack", "@x, axis=0", stacked_shape)
declare("ops.matmul", "@x1, @x2", matmul_shape)
declare("ops.transpose", "@x, axes=None", transposed_shape)
declare("ops.expand_dims", "@x, axis", expanded_shape)
declare("ops.squeeze", "@x, axis=None", squeezed_shape)
declare("ops.split", "@x, indices_or_sections, axis=0", _keras_split)
declare("ops.get_item", "@x, key", get_item)
declare("ops.repeat", "@x, repeats, axis=None", _repeat)
declare("ops.tile", "@x, repeats", _tile)
declare("ops.max_pool ops.average_pool", "@inputs, pool_size, strides=None, padding='valid', data_format=None",
        _pool)

# --- keras.activations (functions on tensors, like keras.ops) -------------------------------
for _name in ("sigmoid", "tanh", "selu", "softplus", "softsign", "swish", "silu", "exponential", "hard_sigmoid",
              "linear", "relu6"):
    declare(f"keras.activations.{_name}", "@x", same, _class_name(_name))
declare("keras.activations.relu", "@x, negative_slope=0.0, max_value=None, threshold=0.0", same, "Relu")
declare("keras.activations.softmax keras.activations.log_softmax", "@x, axis=-1", same)
declare("keras.activations.elu", "@x, alpha=1.0", same, "Elu")
declare("keras.activations.gelu", "@x, approximate=False", same, "Gelu")
declare("keras.activations.leaky_relu", "@x, negative_slope=0.2", same, "LeakyRelu")

# --- TensorFlow (TF 1 spellings that TF 2 keeps only in tf.compat.v1 included) ---------------
for _name, _keras in (("add", "Add"), ("subtract", "Subtract"), ("multiply", "Multiply"), ("divide", "Divide"),
                      ("maximum", "Maximum"), ("minimum", "Minimum"), ("pow", "Power"), ("truediv", "TrueDivide")):
    declare(f"tf.{_name} tf.math.{_name}", "@x, @y", elementwise, _keras)
for _name in ("sigmoid", "tanh", "exp", "sqrt", "square", "abs", "negative", "sign", "floor"):
    declare(f"tf.{_name} tf.math.{_name}", "@x", same)
for _name in ("log", "rsqrt", "ceil", "reciprocal"):
    declare(f"tf.math.{_name}", "@x", same)
declare("tf.identity tf.stop_gradient", "@input", same)
declare("tf.zeros_like tf.ones_like", "@input, dtype=None", same)
declare("tf.nn.relu tf.nn.relu6 tf.nn.elu tf.nn.selu tf.nn.softplus tf.nn.softsign", "@features", same)
declare("tf.nn.swish tf.nn.silu", "@features, beta=1.0", same)
declare("tf.nn.leaky_relu", "@features, alpha=0.2", same)
declare("tf.nn.sigmoid tf.nn.tanh tf.math.sigmoid tf.math.tanh", "@x", same)
declare("tf.nn.gelu", "@features, approximate=False", same)
declare("tf.nn.softmax tf.nn.log_softmax tf.math.softmax", "@logits, axis=None", same)
declare("tf.nn.l2_normalize tf.math.l2_normalize", "@x, axis=None, epsilon=1e-12", same)
declare("tf.cast", "@x, dtype", same)
declare("tf.convert_to_tensor", "@value, dtype=None, dtype_hint=None", same)
declare("tf.clip_by_value", "@t, clip_value_min, clip_value_max", same)
for _name in ("mean", "sum", "max", "min", "prod", "std", "variance", "any", "all", "logsumexp"):
    top_level = f"tf.reduce_{_name} " if _name not in ("std", "variance") else ""
    declare(f"{top_level}tf.math.reduce_{_name}", "@input_tensor, axis=None, keepdims=False",
            reduced_shape)
declare("tf.reshape", "@tensor, shape", reshaped_shape)
declare("tf.concat", "@values, axis", concatenated_shape)
declare("tf.stack", "@values, axis=0", stacked_shape)
declare("tf.split", "@value, num_or_size_splits, axis=0", _split)
declare("tf.expand_dims", "@input, axis", expanded_shape)
declare("tf.squeeze", "@input, axis=None", squeezed_shape)
declare("tf.transpose", "@a, perm=None", transposed_shape)
declare("tf.matmul tf.linalg.matmul", "@a, @b, transpose_a=False, transpose_b=False", _tf_matmul)
declare("tf.tile", "@input, multiples", _tile)
declare("tf.pad", "@tensor, paddings, mode='CONSTANT', constant_values=0", _pad)
declare("tf.nn.space_to_depth tf.space_to_depth", "@input, block_size, data_format='NHWC'", _space_to_depth)
declare("tf.nn.depth_to_space tf.depth_to_space", "@input, block_size, data_format='NHWC'", _depth_to_space)
declare("tf.image.resize", "@images, size, method='bilinear', preserve_aspect_ratio=False, antialias=False",
        _resize)
declare("tf.nn.max_pool2d tf.nn.avg_pool2d tf.nn.max_pool tf.nn.avg_pool", "@input, ksize, strides, padding, data_format=None",
        _pool)

# --- the legacy Keras backend (keras.backend / tf.keras.backend in Keras 2 code) ------------
for _name in ("sigmoid", "tanh", "exp", "sqrt", "square", "abs", "log", "sign", "softplus", "softsign", "hard_sigmoid"):
    declare(f"K.{_name}", "@x", same)
declare("K.relu", "@x, alpha=0.0, max_value=None, threshold=0.0", same)
declare("K.softmax", "@x, axis=-1", same)
declare("K.l2_normalize", "@x, axis=None", same)
declare("K.cast", "@x, dtype", same)
declare("K.clip", "@x, min_value, max_value", same)
for _name in ("mean", "sum", "max", "min", "prod", "std", "var", "any", "all"):
    declare(f"K.{_name}", "@x, axis=None, keepdims=False", reduced_shape)
declare("K.reshape", "@x, shape", reshaped_shape)
declare("K.concatenate", "@tensors, axis=-1", concatenated_shape)
declare("K.stack", "@x, axis=0", stacked_shape)
declare("K.expand_dims", "@x, axis=-1", expanded_shape)
declare("K.squeeze", "@x, axis", squeezed_shape)
declare("K.permute_dimensions", "@x, pattern", transposed_shape)
declare("K.repeat_elements", "@x, rep, axis", _repeat)
declare("K.tile", "@x, n", lambda x, n: _tile(x, [n] * len(x) if isinstance(n, int) else n))
declare("K.batch_flatten", "@x", _flatten_batch)
declare("K.resize_images", "@x, height_factor, width_factor, data_format, interpolation='nearest'", _resize_by_factors)
declare("K.dot", "@x, @y", matmul_shape)
declare("K.batch_dot", "@x, @y, axes=None", _batch_dot)
