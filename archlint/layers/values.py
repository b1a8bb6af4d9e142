"""Argument values Keras 3 refuses when a layer is created, before any input is seen:
sizes of zero or less, numbers of the wrong type, unknown padding, data format or
activation names, rates outside [0, 1].

Each check is named by the argument it reads and applies to the layer classes listed with
it, the one place to add one. A check refuses only a value known statically and only where
real Keras raises for it (``tests/test_argument_values.py`` builds every row in Keras); what
Keras lets through at construction and refuses later is left to the shape checks.
It does not check Keras 2 targets, whose constructors differ.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Dict, Optional, Tuple

from ..unknown import contains_unknown

# Keras 3's activation names (``keras.activations.get``); the test compares this set with Keras's.
ACTIVATIONS = frozenset({
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid",
    "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
})

_CONV = ("Conv1D", "Conv2D", "Conv3D")
_CONV_ALL = _CONV + ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D",
                     "DepthwiseConv1D", "DepthwiseConv2D")
_POOLING = tuple(f"{kind}Pooling{rank}D" for kind in ("Max", "Average") for rank in (1, 2, 3))
_RNN = ("SimpleRNN", "GRU")
_DROPOUTS = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "AlphaDropout")


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real)


def positive_int(value) -> Optional[str]:
    """An integer above zero (``True`` counts as 1, as ``isinstance(True, int)`` says)."""
    return None if _is_int(value) and value > 0 else "a positive integer"


def positive_int_not_bool(value) -> Optional[str]:
    return None if _is_int(value) and not isinstance(value, bool) and value > 0 else "a positive integer"


def positive_int_or_none(value) -> Optional[str]:
    return None if value is None else positive_int(value)


def positive_or_none(value) -> Optional[str]:
    """``None``, or a number above zero (``filters <= 0`` is what Keras asks)."""
    return None if value is None or (_is_number(value) and value > 0) else "a positive integer"


def whole_or_none(value) -> Optional[str]:
    """``None``, or a number above zero with no fractional part (``3.0`` passes)."""
    if value is None or (_is_number(value) and value > 0 and value == int(value)):
        return None
    return "a positive integer"


def positive_number(value) -> Optional[str]:
    return None if _is_number(value) and value > 0 else "a positive integer"


def fraction(value) -> Optional[str]:
    """A number in [0, 1]."""
    return None if _is_number(value) and 0 <= value <= 1 else "a number between 0 and 1"


def sizes(rank: int, allow_zero: bool = False, none_ok: bool = False, any_length: bool = False
          ) -> Callable[[Any], Optional[str]]:
    """Keras's ``standardize_tuple``: an integer, or ``rank`` values each ``int()`` takes, all
    above zero (or at least zero). A tuple of another length is left to AL104, where the
    layer is called, unless ``any_length`` (no call site checks it)."""
    wanted = f"an integer or a tuple of {rank} integers, each {'>= 0' if allow_zero else '> 0'}"

    def check(value) -> Optional[str]:
        if value is None and none_ok:
            return None
        if _is_int(value):
            values: Tuple = (value,)
        elif isinstance(value, (tuple, list, str)):
            values = tuple(value)
            if len(values) != rank:  # the wrong length is AL104's, said where the layer is called
                return None if not isinstance(value, str) and not any_length else wanted
            for item in values:
                try:
                    int(item)
                except (TypeError, ValueError):
                    return wanted
        else:
            return wanted
        try:
            bad = [v for v in values if (v < 0 if allow_zero else v <= 0)]
        except TypeError:  # a string among them
            return wanted
        return wanted if bad else None

    return check


def paddings(rank: int) -> Callable[[Any], Optional[str]]:
    """ZeroPadding2D/3D: an integer, or ``rank`` entries each an integer or a pair of integers."""
    wanted = f"an integer, or {rank} integers or pairs of integers"

    def whole(item) -> bool:
        return _is_int(item) or (isinstance(item, (tuple, list)) and len(item) == 2 and all(map(_is_int, item)))

    def check(value) -> Optional[str]:
        if _is_int(value):
            return None
        if isinstance(value, (tuple, list)) and len(value) == rank and all(map(whole, value)):
            return None
        return wanted

    return check


def axis(value) -> Optional[str]:
    """BatchNormalization's ``axis``: what ``int()`` takes (a list is refused there)."""
    if value is None or isinstance(value, (tuple, list)):
        return "an integer axis"
    try:
        int(value)
    except (TypeError, ValueError):
        return "an integer axis"
    return None


def padding(allow_causal: bool) -> Callable[[Any], Optional[str]]:
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    wanted = "one of " + ", ".join(repr(a) for a in allowed) + " (or a list of paddings)"

    def check(value) -> Optional[str]:
        if isinstance(value, (list, tuple)):
            return None
        return None if isinstance(value, str) and value.lower() in allowed else wanted

    return check


def data_format(value) -> Optional[str]:
    if value is None or (isinstance(value, str) and value.lower() in ("channels_last", "channels_first")):
        return None
    return "'channels_last' or 'channels_first'"


def activation(value) -> Optional[str]:
    """A name Keras knows, ``None`` or a callable; a number, tuple or other name is refused."""
    if isinstance(value, str):
        return None if value in ACTIVATIONS else "the name of a Keras activation (" + ", ".join(sorted(ACTIVATIONS)[:6]) + ", ...)"
    if isinstance(value, (numbers.Number, tuple, list)):
        return "an activation name or function"
    return None


# (argument, the layer classes it applies to, the check).
CHECKS: Tuple[Tuple[str, Tuple[str, ...], Callable[[Any], Optional[str]]], ...] = (
    ("units", ("Dense",) + _RNN, positive_int),
    ("units", ("LSTM", "LSTMCell", "SimpleRNNCell", "GRUCell"), positive_number),
    ("filters", _CONV, whole_or_none),
    ("filters", ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D"),
     positive_or_none),
    ("depth_multiplier", ("SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D"), positive_or_none),
    ("groups", _CONV, positive_number),
    ("num_heads", ("MultiHeadAttention",), positive_int),
    ("key_dim", ("MultiHeadAttention",), positive_int),
    ("input_dim", ("Embedding",), positive_int_not_bool),
    ("output_dim", ("Embedding",), positive_int_not_bool),
    ("rate", _DROPOUTS, fraction),
    ("axis", ("BatchNormalization",), axis),
    ("stddev", ("GaussianNoise",), fraction),
    ("data_format", _CONV_ALL + _POOLING + ("Flatten", "UpSampling2D", "UpSampling3D")
     + tuple(f"Global{kind}Pooling{rank}D" for kind in ("Max", "Average") for rank in (1, 2, 3)), data_format),
    ("activation", ("Dense", "Activation") + _CONV_ALL, activation),
)
for _rank in (1, 2, 3):
    _convs = (f"Conv{_rank}D", f"Conv{_rank}DTranspose") + (
        (f"SeparableConv{_rank}D", f"DepthwiseConv{_rank}D") if _rank < 3 else ())
    _recurrent = (f"ConvLSTM{_rank}D",)
    _pools = (f"MaxPooling{_rank}D", f"AveragePooling{_rank}D")
    CHECKS += (
        ("kernel_size", _convs + _recurrent, sizes(_rank)),
        ("strides", _convs, sizes(_rank)),
        ("strides", _recurrent, sizes(_rank, allow_zero=True)),
        ("dilation_rate", _convs + _recurrent, sizes(_rank)),
        ("output_padding", (f"Conv{_rank}DTranspose",), sizes(_rank, allow_zero=True, none_ok=True)),
        ("pool_size", _pools, sizes(_rank)),
        ("strides", _pools, sizes(_rank, allow_zero=True, none_ok=True)),
        ("padding", _convs, padding(allow_causal=False)),
    )
    CHECKS += (("padding", (f"ZeroPadding{_rank}D",), paddings(_rank) if _rank > 1 else sizes(2, allow_zero=True, any_length=True)),)
    if _rank > 1:
        CHECKS += (("size", (f"UpSampling{_rank}D",), sizes(_rank)),)
CHECKS += (("padding", ("Conv1D",), padding(allow_causal=True)),)  # the only convolution taking "causal"

_BY_CLASS: Dict[str, Dict[str, Callable[[Any], Optional[str]]]] = {}
for _argument, _classes, _check in CHECKS:
    for _name in _classes:
        _BY_CLASS.setdefault(_name, {})[_argument] = _check  # a later row for the same class wins


def _plain(value) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_plain(item) for item in value)
    return type(value).__module__ == "builtins"


def refusal(class_name: str, config: Dict[str, Any], keras_version: str = "3") -> Optional[str]:
    """What Keras 3 says when creating ``class_name`` with ``config``, or None when it creates it."""
    if keras_version != "3":
        return None
    for argument, check in _BY_CLASS.get(class_name, {}).items():
        if argument not in config or contains_unknown(config[argument]):
            continue
        value = config[argument]
        if not _plain(value):
            continue  # a graph object, a function, a symbolic size: not a plain value to judge
        wanted = check(value)
        if wanted is not None:
            return f"`{argument}` must be {wanted}, got {value!r}"
    return None
