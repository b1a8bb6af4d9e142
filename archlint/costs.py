"""What one forward pass costs, from the shapes and weights the analysis already knows.

For each call of a layer: its multiply-adds (MACs), its floating-point operations (FLOPs)
and the values it outputs, all per sample (the batch axis is never counted). The
conventions are those of the papers that report model costs:

- MACs are the multiply-accumulates of a layer's products. A dense or convolution kernel
  is used once per output position (a transposed convolution's once per input position);
  a recurrent layer uses both its kernels at every step; attention adds its two products
  of a sequence by a sequence to its projections.
- FLOPs are two per MAC, plus one per value for a bias, an activation (a softmax five, as
  TensorFlow's profiler counts it), a normalization's scale and shift (two), each input of
  an element-wise merge beyond the first (an average also divides), each value a pooling
  window reads, and each value an operation between layers computes or reduces.
- Layers that only move values (reshaping, padding, cropping, concatenation, dropout at
  inference, an embedding lookup) cost nothing.
- A wrapper costs what its inner layer does on what it is run on (every step for
  TimeDistributed); an RNN, what its cells do at every step.

A family not in ``_FAMILIES`` (a user's layer or cell, or a class in ``NOT_COSTED``), or a
size not known, gives None, and a total over it is None too: a cost is never a guess. A size only the data knows gives a formula in it.
It does not time anything and knows nothing of the hardware.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Union

from .layers import groups
from .shapes import ShapeError
from .symbolic import Sym, symbolic_product
from .unknown import Unresolved

Count = Union[int, Sym, None]


@dataclass(frozen=True)
class Cost:
    macs: Count
    flops: Count

    def __add__(self, other: "Cost") -> "Cost":
        return Cost(add(self.macs, other.macs), add(self.flops, other.flops))


NOTHING = Cost(0, 0)
UNKNOWN = Cost(None, None)


def add(a: Count, b: Count) -> Count:
    """The sum; None when either is not known."""
    return None if a is None or b is None else a + b


def times(*factors: Count) -> Count:
    """The product; None when a factor is not known."""
    return None if any(f is None for f in factors) else symbolic_product(factors)


def total(counts: Iterable[Count]) -> Count:
    """The sum; None when one is not known."""
    result: Count = 0
    for count in counts:
        result = add(result, count)
    return result


def values(shape: Optional[Sequence]) -> Count:
    """The values a tensor of ``shape`` holds per sample (its batch axis left out)."""
    if shape is None or not len(shape):
        return None if shape is None else 1
    return symbolic_product(shape[1:])


def _named(layer, name: str) -> List:
    """The layer's weights called ``name`` (a wrapper's ``forward/kernel`` and
    ``backward/kernel`` are both ``kernel``)."""
    return [w for w in layer.weights or () if w.name == name or w.name.endswith("/" + name)]


def _weight(layer, name: str, required: bool = False) -> Count:
    """The values of the layer's weights called ``name``; 0 when it has none, or None when
    ``required`` (a product whose kernel is not known is not known)."""
    weights = _named(layer, name)
    return total(w.symbolic_count for w in weights) if weights or not required else None


def _has(layer, name: str) -> bool:
    return bool(_named(layer, name))


def _outputs(outputs: List) -> Count:
    return total(values(shape) for shape in outputs)


# Operations per value of an activation: one, but for those TensorFlow's profiler counts
# otherwise (a softmax: its maximum, subtraction, exponential, sum and division).
_ACTIVATION_OPS = {None: 0, "linear": 0, "softmax": 5}


def _per_activation(activation) -> int:
    return _ACTIVATION_OPS.get(activation, 1) if activation is None or isinstance(activation, str) else 1


def _activation_ops(layer, out: Count) -> Count:
    return times(_per_activation(layer.config.get("activation")), out)


def _activation_layer(layer, inputs, outputs) -> Cost:
    """An activation on every output value (Softmax's five, as TensorFlow counts them)."""
    activation = "softmax" if layer.keras_class == "Softmax" else layer.config.get("activation", "relu")
    return Cost(0, times(_per_activation(activation), _outputs(outputs)))


def _on_output(layer, macs: Count, outputs) -> Cost:
    """The products, then a bias and an activation on every output value."""
    out = values(outputs[0])
    bias = out if _has(layer, "bias") else 0
    return Cost(macs, add(times(2, macs), add(bias, _activation_ops(layer, out))))


def _kernel(per_input: bool = False):
    """A convolution kernel used once per output position (per input position when
    ``per_input``: a transposed convolution spreads every input over the kernel)."""

    def cost(layer, inputs, outputs) -> Cost:
        positions = _positions(layer, inputs[0] if per_input else outputs[0])
        return _on_output(layer, times(_weight(layer, "kernel", required=True), positions), outputs)

    return cost


def _positions(layer, shape) -> Count:
    """The positions of a feature map: every axis but the batch and the channels."""
    if shape is None:
        return None
    channels_first = getattr(layer.spec, "data_format", "channels_last") == "channels_first"
    return symbolic_product(shape[2:] if channels_first else shape[1:-1])


def _separable(layer, inputs, outputs) -> Cost:
    """The depthwise kernel, then the pointwise one, at every output position."""
    kernels = add(_weight(layer, "depthwise_kernel", required=True), _weight(layer, "pointwise_kernel", required=True))
    return _on_output(layer, times(kernels, _positions(layer, outputs[0])), outputs)


def _dense(layer, inputs, outputs) -> Cost:
    """A kernel (fan_in, units) applied to every position of the input's last axis."""
    positions = symbolic_product(outputs[0][1:-1]) if outputs[0] is not None else None
    return _on_output(layer, times(_weight(layer, "kernel", required=True), positions), outputs)


def _per_value(ops: int):
    """``ops`` operations on every output value, no products."""

    def cost(layer, inputs, outputs) -> Cost:
        return Cost(0, times(ops, _outputs(outputs)))

    return cost


def _merge(layer, inputs, outputs) -> Cost:
    """One operation per value for each input beyond the first; an average also divides."""
    combined = len(inputs) if layer.keras_class == "Average" else len(inputs) - 1
    return Cost(0, times(combined, values(outputs[0])))


def _pooling(layer, inputs, outputs) -> Cost:
    """Every output value reads its window; a global pooling reads the whole input."""
    window = layer.config.get("pool_size")
    if layer.keras_class in groups.GLOBAL_POOLINGS:
        return Cost(0, values(inputs[0]))
    rank = len(outputs[0]) - 2 if outputs[0] is not None else 0
    if isinstance(window, int):
        window = (window,) * rank
    if not isinstance(window, (tuple, list)) or not all(isinstance(w, int) for w in window):
        return UNKNOWN
    return Cost(0, times(symbolic_product(window), values(outputs[0])))


def _recurrent_layer(layer, inputs, outputs) -> Cost:
    """Both kernels at every step of the sequence (the input's second axis); a
    Bidirectional wrapper's two layers each step through it, an RNN through its cells."""
    if not _known_recurrence(layer):
        return UNKNOWN
    shape = inputs[0]
    return _steps(layer, shape[1] if shape is not None and len(shape) >= 3 else None)


def _one_step(layer, inputs, outputs) -> Cost:
    """A cell (or a stack of cells) called on one step: ``cell(x, states)``."""
    return _steps(layer, 1) if _known_recurrence(layer) else UNKNOWN


def _steps(layer, steps: Count) -> Cost:
    per_step = add(_weight(layer, "kernel", required=True), _weight(layer, "recurrent_kernel", required=True))
    macs = times(steps, per_step)
    bias = times(steps, _weight(layer, "bias"))
    return Cost(macs, add(times(2, macs), bias))


_CELLS = {"SimpleRNNCell", "LSTMCell", "GRUCell"}


def _known_recurrence(layer) -> bool:
    """Whether every step is a catalog cell's (a user's cell may compute anything)."""
    if layer.keras_class == "Bidirectional":
        inner = layer.config.get("layer")
        return inner is not None and inner.keras_class in _FAMILIES and _known_recurrence(inner)
    if layer.keras_class == "RNN":
        return _catalog_cells(layer.config.get("cell"))
    if layer.keras_class == "StackedRNNCells":
        return _catalog_cells(layer.config.get("cells"))
    return True


def _catalog_cells(cell) -> bool:
    if isinstance(cell, (list, tuple)):
        return bool(cell) and all(_catalog_cells(c) for c in cell)
    name = getattr(cell, "keras_class", None)
    if name == "StackedRNNCells":
        return _catalog_cells(cell.config.get("cells"))
    return name in _CELLS


def _attention(layer, inputs, outputs) -> Cost:
    """MultiHeadAttention (and GroupedQueryAttention): the query, key, value and output
    projections at every position, and the two products of the heads' queries by keys and
    scores by values."""
    if len(inputs) < 2:
        inputs = [inputs[0], inputs[0]]
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    if query is None or value is None or key is None:
        return UNKNOWN
    t_query, t_value = symbolic_product(query[1:-1]), symbolic_product(value[1:-1])
    if layer.keras_class == "GroupedQueryAttention":  # keys and values repeated for every query head
        heads = layer.config.get("num_query_heads")
        key_dim = value_dim = layer.config.get("head_dim")
    else:
        heads = layer.config.get("num_heads")
        key_dim = layer.config.get("key_dim")
        value_dim = layer.config.get("value_dim") or key_dim
    if not all(isinstance(v, int) for v in (heads, key_dim, value_dim)):
        return UNKNOWN
    projections: Count = 0
    for name, positions in (("query", t_query), ("key", t_value), ("gate", t_query), ("value", t_value),
                            ("attention_output", t_query)):
        weight = _weight(layer, f"{name}/kernel", required=name != "gate")  # the gate is optional
        projections = add(projections, times(weight, positions))
    products = times(heads, t_query, t_value, key_dim + value_dim)
    macs = add(projections, products)
    scores = times(heads, t_query, t_value)  # the softmax over the scores
    return Cost(macs, add(times(2, macs), scores))


def _attention_products(layer, inputs, outputs) -> Cost:
    """Attention without projections: the scores-by-value sum, and the scores: a
    query-by-key product (Attention), or for each pair a sum of ``tanh(q + k)`` scaled,
    four operations per value (AdditiveAttention)."""
    query, value = inputs[0], inputs[1] if len(inputs) > 1 else inputs[0]
    key = inputs[2] if len(inputs) > 2 else value
    if query is None or value is None or key is None:
        return UNKNOWN
    pairs = times(symbolic_product(query[1:-1]), symbolic_product(value[1:-1]))
    softmax = pairs
    if layer.keras_class == "AdditiveAttention":
        macs = times(pairs, value[-1])
        return Cost(macs, total((times(2, macs), times(4, pairs, key[-1]), softmax)))
    macs = times(pairs, add(key[-1], value[-1]))
    return Cost(macs, add(times(2, macs), softmax))


def _einsum_dense(layer, inputs, outputs) -> Cost:
    """A kernel contracted with the input by an equation: one multiply-add for every
    combination of the equation's indices (the batch index counted once)."""
    equation = layer.config.get("equation")
    kernel = next((w.shape for w in layer.weights or () if w.name == "kernel"), None)
    if not isinstance(equation, str) or kernel is None or inputs[0] is None or "." in equation:
        return UNKNOWN
    operands, _ = equation.replace(" ", "").split("->")
    letters_in, letters_kernel = operands.split(",")
    sizes = {letters_in[0]: 1}  # the batch axis: per sample
    for letters, shape in ((letters_in[1:], inputs[0][1:]), (letters_kernel, kernel)):
        sizes.update(zip(letters, shape))
    return _on_output(layer, symbolic_product(sizes.values()), outputs)


def _convolutional_recurrent(layer, inputs, outputs) -> Cost:
    """ConvLSTM: at every step, the input's and the state's convolutions at every position
    of the state (the output's spatial axes)."""
    rank = int(layer.keras_class[-2])
    shape = inputs[0]
    steps = shape[1] if shape is not None else None
    positions = symbolic_product(outputs[0][-1 - rank:-1]) if outputs[0] is not None else None
    per_position = add(_weight(layer, "kernel", required=True), _weight(layer, "recurrent_kernel", required=True))
    macs = times(steps, positions, per_position)
    return Cost(macs, add(times(2, macs), times(steps, positions, _weight(layer, "bias"))))


def _resampled(layer, inputs, outputs) -> Cost:
    """Nearest-neighbour resampling only moves values; other interpolations are not counted."""
    return NOTHING if layer.config.get("interpolation", "nearest") == "nearest" else UNKNOWN


def _dot(layer, inputs, outputs) -> Cost:
    """Every output value is a sum of products over the contracted axis; ``normalize``
    first scales both inputs to unit length (square, sum, scale: three per value)."""
    x, y = inputs
    axes = layer.config.get("axes")
    axis = axes if isinstance(axes, int) else axes[0] if isinstance(axes, (list, tuple)) else None
    if x is None or y is None or not isinstance(axis, int):
        return UNKNOWN
    macs = times(values(outputs[0]), x[axis % len(x)])
    normalize = times(3, add(values(x), values(y))) if layer.config.get("normalize") else 0
    return Cost(macs, add(times(2, macs), normalize))


def _adaptive_pooling(layer, inputs, outputs) -> Cost:
    """Output ``i`` of an axis of ``n`` inputs pooled to ``k`` reads inputs
    ``floor(i*n/k)`` up to ``ceil((i+1)*n/k)``: the reads of every window, per channel."""
    shape, out = inputs[0], outputs[0]
    rank = int(layer.keras_class[-2])
    channels_first = getattr(layer.spec, "data_format", "channels_last") == "channels_first"
    sizes, pooled = (shape[2:], out[2:]) if channels_first else (shape[1:-1], out[1:-1])
    channels = shape[1] if channels_first else shape[-1]
    if len(sizes) != rank or not all(isinstance(d, int) for d in (*sizes, *pooled)):
        return UNKNOWN
    reads = 1
    for n, k in zip(sizes, pooled):
        reads *= sum(-(-(i + 1) * n // k) - i * n // k for i in range(k))
    return Cost(0, times(reads, channels))


def _reversible_embedding(layer, inputs, outputs) -> Cost:
    """A lookup moves values; ``reverse=True`` (the output keeps the input's rank) multiplies
    each vector by the embedding matrix into vocabulary logits, soft-capped by
    ``tanh(x / cap) * cap`` (three per logit) when asked."""
    if inputs[0] is None or outputs[0] is None:
        return UNKNOWN
    if len(outputs[0]) != len(inputs[0]):
        return NOTHING
    macs = times(values(outputs[0]), layer.config.get("output_dim"))
    cap = times(3, values(outputs[0])) if layer.config.get("logit_soft_cap") is not None else 0
    return Cost(macs, add(times(2, macs), cap))


# STFTSpectrogram's operations per output value after its convolutions, by mode.
_SPECTROGRAM_OPS = {"real": 0, "imag": 0, "stft": 0, "angle": 1, "psd": 4, "magnitude": 5, "log": 7}


def _stft_spectrogram(layer, inputs, outputs) -> Cost:
    """Each frame of each channel convolved with the real and/or imaginary DFT kernels
    (``frame_length`` by frequency bins); then, by mode, the power (two squares and a sum),
    its root (a floor and a square root) and log (a floor and a log)."""
    mode = layer.config.get("mode", "log")
    kernels = [w for w in layer.weights or () if w.name in ("real_kernel", "imag_kernel")]
    shape, out = inputs[0], outputs[0]
    if not kernels or mode not in _SPECTROGRAM_OPS or shape is None or out is None:
        return UNKNOWN
    channels_last = getattr(layer.spec, "data_format", "channels_last") != "channels_first"
    frames, channels = (out[1], shape[-1]) if channels_last else (out[2], shape[1])
    macs = times(frames, channels, total(w.symbolic_count for w in kernels))
    return Cost(macs, add(times(2, macs), times(_SPECTROGRAM_OPS[mode], values(out))))


@dataclass
class _Inner:
    """A layer inside a wrapper, costed with the weights the wrapper holds for it."""
    keras_class: str
    config: dict
    spec: object
    weights: Optional[list]


def _inner_cost(inner, weights, inputs, outputs) -> Cost:
    family = _FAMILIES.get(getattr(inner, "keras_class", None))
    if family is None:
        return UNKNOWN
    return family(_Inner(inner.keras_class, inner.config, inner.spec, weights), inputs, outputs)


def _time_distributed(layer, inputs, outputs) -> Cost:
    """The inner layer's cost on one step (axis 1 left out), times the steps."""
    if inputs[0] is None or len(inputs[0]) < 3:
        return UNKNOWN
    step = [(s[0], *s[2:]) if s is not None else None for s in outputs]
    cost = _inner_cost(layer.config.get("layer"), layer.weights, [(inputs[0][0], *inputs[0][2:])], step)
    return Cost(times(inputs[0][1], cost.macs), times(inputs[0][1], cost.flops))


def _spectral_normalization(layer, inputs, outputs) -> Cost:
    """At inference the inner layer runs on its kernel as it is (the power iteration that
    normalizes it runs only in training)."""
    weights = [w for w in layer.weights or () if w.name != "vector_u"]
    return _inner_cost(layer.config.get("layer"), weights, inputs, outputs)


def _pipeline(layer, inputs, outputs) -> Cost:
    """Its layers' costs, each on the shape the one before it gives."""
    stages, _ = layer.spec.stages(inputs[0])
    result = NOTHING
    for spec, shapes in stages:
        stage_outputs = [spec.executed_output(shapes, {})]
        stage = _Inner(spec.name, spec.config, spec, spec.weights_for(shapes))
        family = _FAMILIES.get(spec.name)
        result = result + (family(stage, [shapes[spec.first_input]], stage_outputs) if family else UNKNOWN)
    return result


_MOVES = ("InputLayer", "Reshape", "Flatten", "Permute", "RepeatVector", *groups.DROPOUTS, "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
          "Concatenate", "Embedding", "UpSampling1D", "Masking", "ActivityRegularization", "Identity",
          "CenterCrop", "StringLookup", "IntegerLookup", "Hashing", "HashedCrossing", "CategoryEncoding",
          "Discretization", "TextVectorization", "MaxNumBoundingBoxes")
# Data augmentation (and Solarization, Equalization): the identity when the model is used
# for inference.
_AUGMENTATIONS = ("RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomCrop", "RandomContrast",
                  "RandomBrightness", "RandomHue", "RandomSaturation", "RandomSharpness", "RandomShear",
                  "RandomGrayscale", "RandomInvert", "RandomPosterization", "RandomColorDegeneration",
                  "RandomColorJitter", "RandomErasing", "RandomGaussianBlur", "RandomPerspective",
                  "RandomElasticTransform", "AugMix", "CutMix", "MixUp", "RandAugment",
                  "Solarization", "Equalization")

# One place to add a layer family: its class names and how its cost is computed.
_FAMILIES: Dict[str, Callable] = {
    "Dense": _dense,
    **{name: _kernel() for name in groups.CONVOLUTIONS - groups.SEPARABLE},
    **{name: _separable for name in groups.SEPARABLE},
    **{name: _kernel(per_input=True) for name in groups.TRANSPOSED},
    **{name: _pooling for name in groups.POOLINGS | groups.GLOBAL_POOLINGS},
    **{name: _merge for name in groups.ELEMENTWISE_MERGES},
    **{name: _activation_layer for name in groups.ACTIVATIONS},
    **{name: _per_value(2) for name in groups.NORMALIZATIONS | {"Rescaling", "Normalization"}},
    **{name: _per_value(0) for name in _MOVES + _AUGMENTATIONS},
    "UpSampling2D": _resampled, "UpSampling3D": _resampled, "Resizing": _resampled,
    "SimpleRNN": _recurrent_layer, "LSTM": _recurrent_layer, "GRU": _recurrent_layer, "RNN": _recurrent_layer,
    "Bidirectional": _recurrent_layer,
    **{name: _one_step for name in (*_CELLS, "StackedRNNCells")},
    "MultiHeadAttention": _attention, "GroupedQueryAttention": _attention,
    "Attention": _attention_products, "AdditiveAttention": _attention_products,
    "EinsumDense": _einsum_dense,
    "ConvLSTM1D": _convolutional_recurrent, "ConvLSTM2D": _convolutional_recurrent,
    "ConvLSTM3D": _convolutional_recurrent,
    "Dot": _dot,
    **{f"Adaptive{kind}Pooling{rank}D": _adaptive_pooling for kind in ("Average", "Max") for rank in (1, 2, 3)},
    "ReversibleEmbedding": _reversible_embedding,
    "STFTSpectrogram": _stft_spectrogram,
    "TimeDistributed": _time_distributed,
    "SpectralNormalization": _spectral_normalization,
    "Pipeline": _pipeline,
}


def _reduction(ops: int, less_outputs: bool = False):
    """``ops`` operations on every value of the first input (a mean, a maximum); with
    ``less_outputs``, one fewer per value it is reduced to."""

    def cost(layer, inputs, outputs) -> Cost:
        flops = times(ops, values(inputs[0]))
        return Cost(0, add(flops, times(-1, values(outputs[0]))) if less_outputs else flops)

    return cost


def _pool_operation(layer, inputs, outputs) -> Cost:
    """``ops.max_pool(x, pool_size, ...)``, ``tf.nn.max_pool2d(x, ksize, ...)``: every output
    value reads its window (TensorFlow's ``[1, k, k, 1]`` or one size for every axis)."""
    window = layer.spec.operands[1] if len(getattr(layer.spec, "operands", ())) > 1 else None
    rank = len(outputs[0]) - 2 if outputs[0] is not None else 0
    if isinstance(window, int):
        window = (window,) * rank
    if isinstance(window, (list, tuple)) and len(window) == rank + 2:
        window = window[1:-1]
    if not isinstance(window, (list, tuple)) or len(window) != rank or not all(isinstance(w, int) for w in window):
        return UNKNOWN
    return Cost(0, times(symbolic_product(window), values(outputs[0])))


def _matmul(layer, inputs, outputs) -> Cost:
    """Every output value sums the products along the first operand's last axis."""
    if len(inputs) < 2 or inputs[0] is None or not len(inputs[0]):
        return UNKNOWN
    macs = times(values(outputs[0]), inputs[0][-1])
    return Cost(macs, times(2, macs))


# Keras and TensorFlow operations between layers (``x + 1``, ``ops.relu(x)``, ``x[:, 0]``),
# by the class the op registry gives them: the one place to add an operation's cost.
_OPERATIONS: Dict[str, Callable] = {
    **{name: _per_value(1) for name in (
        "Absolute", "Add", "Subtract", "Multiply", "Divide", "TrueDivide", "FloorDivide", "Mod", "Power", "Maximum",
        "Minimum", "Ceil", "Floor", "Round", "Sign", "Clip", "ClipByValue", "Cos", "Sin", "Exp", "Expm1", "Exponential",
        "Log", "Log1p", "Negative", "Reciprocal", "Sqrt", "Square", "Erf", "Relu", "Relu6", "Sigmoid", "Tanh",
        "Elu", "Selu", "Gelu", "Silu", "Swish", "HardSigmoid", "HardSilu", "HardSwish", "LeakyRelu", "LogSigmoid",
        "Softplus", "Softsign", "NanToNum", "Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual",
        "LogicalAnd", "LogicalOr", "LogicalXor", "LogicalNot")},
    "Rsqrt": _per_value(2),  # a root and a division, as TensorFlow counts it
    "Softmax": _per_value(5), "LogSoftmax": _per_value(5),
    **{name: _per_value(0) for name in (
        "Linear", "Identity", "StopGradient", "Cast", "ConvertToTensor", "ExpandDims", "Squeeze", "Reshape",
        "Transpose", "PermuteDimensions", "Concat", "Concatenate", "Stack", "Split", "GetItem", "Tile", "Repeat",
        "RepeatElements", "Pad", "BatchFlatten", "SpaceToDepth", "DepthToSpace", "OnesLike", "ZerosLike")},
    **{name: _reduction(1) for name in (
        "Mean", "Max", "Min", "Prod", "All", "Any", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceAll",
        "ReduceAny")},
    # A sum of n values is n - 1 additions (as TensorFlow counts Sum, ArgMax and ArgMin).
    **{name: _reduction(1, less_outputs=True) for name in ("Sum", "ReduceSum", "Argmax", "Argmin")},
    **{name: _reduction(2) for name in ("Logsumexp", "ReduceLogsumexp")},  # an exponential and a sum per value
    **{name: _reduction(3) for name in ("Std", "Var", "ReduceStd", "ReduceVariance", "L2Normalize")},
    "Matmul": _matmul, "Dot": _matmul,
    **{name: _pool_operation for name in ("AveragePool", "AvgPool", "AvgPool2d", "MaxPool", "MaxPool2d")},
}
# Operations whose cost is not counted: resizing (by an interpolation the registry does not
# keep) and a batched product over given axes.
OPERATIONS_NOT_COSTED = ("Resize", "ResizeImages", "BatchDot")


# Catalog layers whose cost is not counted, and why: a model using one gets no totals.
NOT_COSTED = {
    "Lambda": "runs a Python function: counted only by the operations archlint follows in it",
    "MelSpectrogram": "computes a fast Fourier transform, whose operations no multiply-add convention counts",
    "AutoContrast": "rescales each image by its own minimum and maximum: no convention counts those operations",
    "ContrastLimitedAdaptiveHistogramEqualization": "equalizes histograms of image tiles: no convention counts those "
                                                    "operations",
}


def call_cost(node, shapes: Optional[Dict[int, tuple]] = None) -> Cost:
    """The cost of one call of a layer; UNKNOWN when its family or a size is not known.
    ``shapes``: id(tensor) -> shape, for the tensors' shapes on other inputs (``open_shapes``)."""
    outputs = [_shape(tensor, shapes) for tensor in node.outputs]
    inputs = [_shape(tensor, shapes) for tensor in node.input_tensors]
    if not outputs or any(shape is None for shape in outputs):
        return UNKNOWN
    inner = getattr(node.layer.spec, "model", None)
    if inner is not None:  # a model used as a layer: its own calls, when on the inputs it was built on
        built_on = [tensor.shape for tensor in inner.inputs]
        if [tuple(s[1:]) if s else s for s in inputs] != [tuple(s[1:]) if s else s for s in built_on]:
            return UNKNOWN
        total = NOTHING
        for inner_node in inner.calls_in_order():
            total = total + call_cost(inner_node)
        return total
    if node.inner_calls is not None:  # a Lambda's function, a custom layer's call(): what it ran
        total = NOTHING
        for inner_node in node.inner_calls:
            total = total + call_cost(inner_node)
        return total
    family = (_OPERATIONS if node.layer.operation else _FAMILIES).get(node.layer.keras_class)
    if family is None:
        return UNKNOWN
    try:
        return family(node.layer, inputs, outputs)
    except (Unresolved, ShapeError, TypeError, ValueError, ZeroDivisionError):  # a size a formula cannot decide
        return UNKNOWN


def output_values(node, shapes: Optional[Dict[int, tuple]] = None) -> Count:
    """The values one call outputs, per sample."""
    return _outputs([_shape(tensor, shapes) for tensor in node.outputs])


def _shape(tensor, shapes: Optional[Dict[int, tuple]]):
    return tensor.shape if shapes is None else shapes.get(id(tensor))


def open_shapes(model) -> Optional[Dict[int, tuple]]:
    """id(tensor) -> shape through the model, with each size its inputs leave open (``None``
    past the batch axis) named after it: ``input_layer.shape[1]``. None when no size is
    open, or the graph cannot be followed with names for them."""
    from .nested import replay_all

    named, opened = [], False
    for tensor in model.inputs:
        if tensor.shape is None:
            return None
        dims = list(tensor.shape[:1])
        for axis, dim in enumerate(tensor.shape[1:], 1):
            opened = opened or dim is None
            dims.append(Sym.named(f"{tensor.node.layer.name}.shape[{axis}]") if dim is None else dim)
        named.append(tuple(dims))
    if not opened:
        return None
    try:
        return replay_all(model, named)
    except (ShapeError, Unresolved, TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None


# Bytes of one value a layer computes, by its dtype (a mixed policy computes in 16 bits).
_VALUE_BYTES = {"float16": 2, "bfloat16": 2, "mixed_float16": 2, "mixed_bfloat16": 2, "float64": 8}


def value_bytes(layer) -> Optional[int]:
    """Bytes of each value the layer outputs: by its own ``dtype``, else the global policy
    when it was made (None when that policy is not known)."""
    dtype = layer.config.get("dtype")
    if not isinstance(dtype, str):
        dtype = layer.dtype_policy
    if dtype == "unknown":
        return None
    return _VALUE_BYTES.get(dtype, 4) if isinstance(dtype, str) else 4
