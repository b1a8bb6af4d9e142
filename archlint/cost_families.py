"""What each catalog layer family computes per call: one function per family, from the
layer's configuration and weights and the shapes of the call (per sample), and the table
``FAMILIES`` that is the one place to add a layer's cost. ``NOT_COSTED`` lists, with the
reason, the catalog classes that have none. The conventions are in costs.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

from .cost_counts import NOTHING, UNKNOWN, Cost, Count, add, all_values, per_value, times, total, values
from .layers import groups
from .symbolic import symbolic_product


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
    return Cost(0, times(_per_activation(activation), all_values(outputs)))


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
        return inner is not None and inner.keras_class in FAMILIES and _known_recurrence(inner)
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


# Operations per output value of a 2D resampling, by interpolation: a weighted sum of the
# 4 (bilinear) or 16 (bicubic) nearest inputs, its weights fixed by the sizes. They are no
# multiply-adds: those are the products of weights the layer learns (TensorFlow's profiler
# registers none for a resize either).
_INTERPOLATION_OPS = {"nearest": 0, "bilinear": 7, "bicubic": 31}


def _resampled(layer, inputs, outputs) -> Cost:
    """Nearest-neighbour resampling only moves values; bilinear and bicubic weigh and add
    their inputs (other interpolations are not counted)."""
    interpolation = layer.config.get("interpolation", "nearest")
    if interpolation not in _INTERPOLATION_OPS or (interpolation != "nearest" and len(outputs[0] or ()) != 4):
        return UNKNOWN
    return Cost(0, times(_INTERPOLATION_OPS[interpolation], all_values(outputs)))


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
    family = FAMILIES.get(getattr(inner, "keras_class", None))
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
        family = FAMILIES.get(spec.name)
        result = result + (family(stage, [shapes[spec.first_input]], stage_outputs) if family else UNKNOWN)
    return result


_MOVES = ("InputLayer", "Reshape", "Flatten", "Permute", "RepeatVector", *groups.DROPOUTS, "ZeroPadding1D",
          "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
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
FAMILIES: Dict[str, Callable] = {
    "Dense": _dense,
    **{name: _kernel() for name in groups.CONVOLUTIONS - groups.SEPARABLE},
    **{name: _separable for name in groups.SEPARABLE},
    **{name: _kernel(per_input=True) for name in groups.TRANSPOSED},
    **{name: _pooling for name in groups.POOLINGS | groups.GLOBAL_POOLINGS},
    **{name: _merge for name in groups.ELEMENTWISE_MERGES},
    **{name: _activation_layer for name in groups.ACTIVATIONS},
    **{name: per_value(2) for name in groups.NORMALIZATIONS | {"Rescaling", "Normalization"}},
    **{name: per_value(0) for name in _MOVES + _AUGMENTATIONS},
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


# Catalog layers whose cost is not counted, and why: a model using one gets no totals.
NOT_COSTED = {
    "Lambda": "runs a Python function: counted only by the operations archlint follows in it",
    "MelSpectrogram": "computes a fast Fourier transform, whose operations no multiply-add convention counts",
    "AutoContrast": "rescales each image by its own minimum and maximum: no convention counts those operations",
    "ContrastLimitedAdaptiveHistogramEqualization": "equalizes histograms of image tiles: no convention counts those "
                                                    "operations",
}
