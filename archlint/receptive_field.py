"""Which input positions a layer's output sees: the receptive field along a convolutional path.

For every call whose output still has the input's spatial axes (1D, 2D or 3D), per axis:
the field's ``size`` (how many input positions one output position sees, the largest when
it varies), its ``jump`` (how far apart, in input positions, neighbouring outputs' fields
are) and its ``start`` (where the first output's field is centred, in input positions;
negative when padding reaches before the input). Convolutions and poolings (strides,
dilation, valid or same padding), transposed convolutions, padding, cropping and nearest
upsampling change it; element-wise layers, normalizations and per-position dense layers
keep it; branches joined by a merge take the largest.

A layer that mixes positions some other way (flattening, global pooling, reshaping,
attention) ends the path: its output has no field, nor has anything after it. A size not
known (a dim only the data knows) leaves ``start`` unknown where same padding needs it.
The fields are computed once per model, for the first input's axes; it does not say which
positions of a second input an output sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Dict, Optional, Tuple

from .layers import groups
from .shapes import ShapeError
from .unknown import Unresolved


@dataclass(frozen=True)
class Field:
    size: Tuple[int, ...]
    jump: Tuple[Fraction, ...]
    start: Tuple[Optional[Fraction], ...]


def _origin(rank: int) -> Field:
    return Field((1,) * rank, (Fraction(1),) * rank, (Fraction(0),) * rank)


# Layers that treat every position alike, leaving the field as it was.
_KEEPS = groups.ACTIVATIONS | groups.NORMALIZATIONS | groups.DROPOUTS | {
    "Dense", "Rescaling", "Normalization", "Identity", "ActivityRegularization"}
_MERGES = groups.ELEMENTWISE_MERGES | {"Concatenate"}


def model_fields(model) -> Dict[int, Field]:
    """id(node) -> the field of its output, for the calls of ``model`` along its first
    input's convolutional path."""
    out: Dict[int, Field] = {}
    if not model.inputs or model.inputs[0].shape is None or len(model.inputs[0].shape) < 3:
        return out
    first = model.inputs[0]
    out[id(first.node)] = _origin(len(first.shape) - 2)
    for node in model.calls_in_order():
        sources = [out.get(id(tensor.node)) for tensor in node.input_tensors]
        sources = [s for s in sources if s is not None]
        if not sources:
            continue
        try:
            field = _through(node, sources)
        except (Unresolved, ShapeError, AttributeError, TypeError, ValueError, ZeroDivisionError):
            field = None
        if field is not None:
            out[id(node)] = field
    return out


def _through(node, sources) -> Optional[Field]:
    layer, kind = node.layer, node.layer.keras_class
    if kind in _MERGES:
        if len({len(s.size) for s in sources}) != 1:
            return None
        widest = max(sources, key=lambda s: s.size)
        size = tuple(max(s.size[axis] for s in sources) for axis in range(len(widest.size)))
        return Field(size, widest.jump, widest.start)
    field = sources[0]
    shape = node.input_tensors[0].shape
    out_shape = node.outputs[0].shape if node.outputs else None
    if shape is None or out_shape is None or len(out_shape) != len(shape):
        return None  # the spatial axes are gone
    if kind in _KEEPS:
        return field
    rank = len(field.size)
    channels_last = getattr(layer.spec, "data_format", "channels_last") != "channels_first"
    lengths = tuple(shape[1:-1]) if channels_last else tuple(shape[2:])
    if kind in groups.CONVOLUTIONS | groups.POOLINGS:
        pooling = kind in groups.POOLINGS
        window = layer.spec.tuple_arg("pool_size" if pooling else "kernel_size", rank)
        # A pooling's strides default to its window.
        strides = window if pooling and layer.config.get("strides") is None else layer.spec.tuple_arg("strides", rank)
        dilation = (1,) * rank if pooling else layer.spec.tuple_arg("dilation_rate", rank)
        padding = str(layer.spec.arg("padding")).lower()
        return _windowed(field, window, strides, dilation, padding, lengths)
    if kind in groups.TRANSPOSED:
        window = layer.spec.tuple_arg("kernel_size", rank)
        strides = layer.spec.tuple_arg("strides", rank)
        dilation = layer.spec.tuple_arg("dilation_rate", rank)
        return _transposed(field, window, strides, dilation)
    if kind.startswith("UpSampling") and layer.config.get("interpolation", "nearest") == "nearest":
        factors = layer.spec.tuple_arg("size", rank)
        return Field(field.size, tuple(j / f for j, f in zip(field.jump, factors)),
                     tuple(None if s is None else s - j * Fraction(f - 1, 2 * f)
                           for s, j, f in zip(field.start, field.jump, factors)))
    if kind.startswith(("ZeroPadding", "Cropping")):
        return _shifted(layer, field, kind, rank)
    return None


def _windowed(field: Field, window, strides, dilation, padding, lengths) -> Field:
    size, jump, start = [], [], []
    for axis in range(len(field.size)):
        span = dilation[axis] * (window[axis] - 1) + 1
        step = field.jump[axis]
        before = 0
        if padding == "same":
            length = lengths[axis]
            before = (max((ceil(length / strides[axis]) - 1) * strides[axis] + span - length, 0) // 2
                      if isinstance(length, int) else None)
        size.append(field.size[axis] + ceil((span - 1) * step))  # a jump below 1 (after upsampling) reads fewer
        jump.append(step * strides[axis])
        centre = field.start[axis]
        start.append(None if centre is None or before is None else centre + (Fraction(span - 1, 2) - before) * step)
    return Field(tuple(size), tuple(jump), tuple(start))


def _transposed(field: Field, window, strides, dilation) -> Field:
    """Each output reads the inputs whose spread kernel covers it: at most ceil(span / stride)."""
    size, jump, start = [], [], []
    for axis in range(len(field.size)):
        span = dilation[axis] * (window[axis] - 1) + 1
        step = field.jump[axis]
        reads = ceil(span / strides[axis])
        size.append(field.size[axis] + ceil((reads - 1) * step))
        jump.append(step / strides[axis])
        centre = field.start[axis]
        start.append(None if centre is None else centre - Fraction(span - 1, 2) / strides[axis] * step)
    return Field(tuple(size), tuple(jump), tuple(start))


def _shifted(layer, field: Field, kind: str, rank: int) -> Optional[Field]:
    """Padding moves the first output before the input; cropping moves it inside."""
    key = "padding" if kind.startswith("ZeroPadding") else "cropping"
    value = layer.config.get(key, 1 if key == "padding" else 0)
    if isinstance(value, int):
        before = (value,) * rank
    elif all(isinstance(v, int) for v in value):
        before = tuple(value) if len(value) == rank else (value[0],) * rank
    else:
        before = tuple(v[0] for v in value)
    sign = -1 if key == "padding" else 1
    return Field(field.size, field.jump,
                 tuple(None if s is None else s + sign * b * j for s, b, j in zip(field.start, before, field.jump)))
