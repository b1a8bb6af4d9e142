"""Recurrent layers: SimpleRNN, LSTM, GRU, their cells, RNN, StackedRNNCells, Bidirectional, ConvLSTM.

A cell describes one time step: the weights it builds for a step input ``(batch, features)``,
its output and its states. A recurrent layer runs a cell along axis 1 of its input: its
weights are the cell's, its output is the cell's (the last step's, or every step's with
``return_sequences``), followed by the final states with ``return_state``. Bidirectional
runs a recurrent layer both ways and merges the two outputs.
Keras 1/2 spellings (``output_dim``, ``inner_init``, ``dropout_W``, ``CuDNNLSTM``...) map onto
the Keras 3 arguments.
"""

from __future__ import annotations

from ..shapes import (
    ShapeError,
    channel_dim,
    conv_length,
    format_shape,
    require_rank,
    spatial_dims,
    with_spatial,
)
from .base import LayerSpec, Unresolved, Weight, params, register

_INITIALIZERS = dict(kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros")
_REGULARIZERS = dict(kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None)
_CONSTRAINTS = dict(kernel_constraint=None, recurrent_constraint=None, bias_constraint=None)
_DROPOUT = dict(dropout=0.0, recurrent_dropout=0.0)
_FLAGS = dict(return_sequences=False, return_state=False, go_backwards=False, stateful=False)

# Keras 1 keyword spellings of the recurrent layers (init/W_regularizer/b_* are common ones).
_KERAS1_KEYWORDS = {
    "output_dim": "units",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "U_regularizer": "recurrent_regularizer",
    "U_constraint": "recurrent_constraint",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "forget_bias_init": None,
    "consume_less": None,
}

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


# --- wrapped layers and state arguments -----------------------------------------------------


def _spec_of(value, key: str):
    """The LayerSpec behind a layer passed as an argument."""
    spec = getattr(value, "spec", None)
    if spec is None:  # a layer the catalog does not know
        raise Unresolved(key)
    return spec


def _cell_spec(value, key: str, owner: str):
    spec = _spec_of(value, key)
    if not isinstance(spec, _Cell) or isinstance(spec, _Recurrent):
        raise ShapeError("bad_argument", f"{owner} needs RNN cells (such as LSTMCell) in `{key}`, got {spec.name}")
    return spec


def _recurrent_spec(value, key: str, owner: str):
    spec = _spec_of(value, key)
    if not isinstance(spec, _Recurrent):
        raise ShapeError("bad_argument", f"{owner} needs a recurrent layer in `{key}`, got {spec.name}")
    return spec


def _flat(states):
    """A states argument (one shape, a list, or nested lists of shapes) as a flat list of shapes."""
    if isinstance(states, tuple) and all(d is None or isinstance(d, int) for d in states):
        return [states]
    return [shape for item in states for shape in _flat(item)]


def _broadcast(first, second, layer: str):
    """Two shapes broadcast the way Keras's symbolic run sees it: None matches only None or 1."""
    rank = max(len(first), len(second))
    out = []
    for a, b in zip((1,) * (rank - len(first)) + tuple(first), (1,) * (rank - len(second)) + tuple(second)):
        if a != b and 1 not in (a, b):
            raise ShapeError(
                "bad_input", f"{layer}: shapes {format_shape(first)} and {format_shape(second)} do not broadcast"
            )
        out.append(b if a == 1 else a)
    return tuple(out)


# --- cells ------------------------------------------------------------------------------------


class _Cell(LayerSpec):
    """One time step. Subclasses give, for a step input shape ``(batch, ...)``:
    ``step_weights``, ``step_formula``, ``step_output`` and ``step_states`` (a flat list).

    Called directly as a layer, a cell takes ``(inputs, states)`` and returns its output
    followed by its new states.
    """

    call_signature = params("inputs", "states", training=False)

    def _step_input(self, shapes):
        return shapes[self.call_signature[0][0]]

    def _states(self, shapes, options):
        """The shape(s) of the ``states`` the cell is called on."""
        if "states" in shapes:
            return shapes["states"]
        if options.get("states") is not None:  # a value the analysis could not follow
            raise Unresolved("states")
        raise ShapeError("bad_input", f"{self.name} must be called on (inputs, states)")

    def build_weights(self, shapes):
        return self.step_weights(self._step_input(shapes))

    def build_formula(self, shapes):
        return self.step_formula(self._step_input(shapes))


class _DenseCell(_Cell):
    """SimpleRNN/LSTM/GRU cells: ``gates`` blocks of kernel, recurrent kernel and bias."""

    gates = 1
    state_count = 1
    legacy_keywords = _KERAS1_KEYWORDS

    def units(self):
        return self.int_arg("units")

    def _units(self) -> int:
        units = self.int_arg("units")
        if units <= 0:
            raise ShapeError("bad_argument", f"{self.name} needs a positive `units`, got {units}")
        return units

    def _bias_rows(self) -> int:
        return 1

    def step_weights(self, step):
        units = self._units()
        width = self.gates * units
        weights = [Weight("kernel", (step[-1], width)), Weight("recurrent_kernel", (units, width))]
        if self.arg("use_bias"):
            rows = self._bias_rows()
            weights.append(Weight("bias", (width,) if rows == 1 else (rows, width)))
        return weights

    def step_formula(self, step):
        units = self._units()
        terms = [str(step[-1]), str(units)] + ([str(self._bias_rows())] if self.arg("use_bias") else [])
        body = f"({' + '.join(terms)}) * {units}"
        return body if self.gates == 1 else f"{self.gates} * {body}"

    def step_output(self, step):
        return (step[0], self._units())

    def step_states(self, step):
        return [self.step_output(step)] * self.state_count

    def call_output(self, shapes, options):
        step, units = self._step_input(shapes), self._units()
        states = _flat(self._states(shapes, options))
        if step[-1] is None:
            raise ShapeError("bad_input", f"{self.name} needs a known feature dim, got {format_shape(step)}")
        if len(states) < self.state_count:
            raise ShapeError("bad_input", f"{self.name} needs {self.state_count} state tensors, got {len(states)}")
        hidden = states[0]
        if hidden[-1] != units:
            raise ShapeError("bad_input", f"{self.name} state {format_shape(hidden)} does not fit units={units}")
        # The input and the state each meet their kernel; the gates broadcast the two results.
        gates = _broadcast((*step[:-1], units), (*hidden[:-1], units), self.name)
        return [self._new_state(gates, states)] * (1 + self.state_count)

    def _new_state(self, gates, states):
        """The shape of the new state, from the gates' shape and the states given."""
        return gates

    def _per_gate(self) -> bool:
        """Whether Keras computes gate by gate (implementation 1, forced by recurrent dropout)."""
        return self.arg("implementation") == 1 or min(1.0, max(0.0, self.arg("recurrent_dropout"))) != 0


@register
class SimpleRNNCell(_DenseCell):
    name = "SimpleRNNCell"
    signature = params(
        "units", activation="tanh", use_bias=True, **_INITIALIZERS, **_REGULARIZERS, **_CONSTRAINTS,
        **_DROPOUT, seed=None,
    )
    call_signature = params("sequence", "states", training=False)


@register
class LSTMCell(_DenseCell):
    name = "LSTMCell"
    gates = 4
    state_count = 2  # h and c
    signature = params(
        "units", activation="tanh", recurrent_activation="sigmoid", use_bias=True, **_INITIALIZERS,
        unit_forget_bias=True, **_REGULARIZERS, **_CONSTRAINTS, **_DROPOUT, seed=None, implementation=2,
    )

    def _new_state(self, gates, states):
        # The fused computation splits the gates along axis 1, which must be the last one;
        # the carry state then broadcasts with them.
        if not self._per_gate() and len(gates) != 2:
            raise ShapeError("bad_input", f"{self.name} input and state must be rank 2, got gates {format_shape(gates)}")
        return _broadcast(gates, states[1], self.name)


@register
class GRUCell(_DenseCell):
    name = "GRUCell"
    gates = 3
    signature = params(
        "units", activation="tanh", recurrent_activation="sigmoid", use_bias=True, **_INITIALIZERS,
        **_REGULARIZERS, **_CONSTRAINTS, **_DROPOUT, reset_after=True, seed=None, implementation=2,
    )

    def _bias_rows(self):
        # reset_after keeps separate input and recurrent biases: shape (2, 3 * units)
        return 2 if self.arg("reset_after") else 1

    def _new_state(self, gates, states):
        # The fused computation slices the recurrent product along axis 1, which must be the last one.
        if not self._per_gate() and len(states[0]) != 2:
            raise ShapeError("bad_input", f"{self.name} state must be rank 2, got {format_shape(states[0])}")
        return gates


@register
class StackedRNNCells(_Cell):
    """Cells run one after the other within a step: each one's output feeds the next."""

    name = "StackedRNNCells"
    signature = params("cells")

    def _cells(self):
        cells = self.arg("cells")
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ShapeError("bad_argument", f"{self.name} needs a non-empty list of cells, got {cells!r}")
        return [_cell_spec(cell, "cells", self.name) for cell in cells]

    def _chain(self, step):
        """(cell, the step input it sees) for each cell in order."""
        chain = []
        for cell in self._cells():
            chain.append((cell, step))
            step = cell.step_output(step)
        return chain

    def step_weights(self, step):
        return [w for cell, inputs in self._chain(step) for w in cell.step_weights(inputs)]

    def step_formula(self, step):
        return " + ".join(cell.step_formula(inputs) for cell, inputs in self._chain(step))

    def step_output(self, step):
        cell, inputs = self._chain(step)[-1]
        return cell.step_output(inputs)

    def step_states(self, step):
        return [s for cell, inputs in self._chain(step) for s in cell.step_states(inputs)]

    def call_output(self, shapes, options):
        # Like Keras, pair each cell with its entry of ``states``, in order.
        step = self._step_input(shapes)
        groups = self._states(shapes, options)
        states = []
        for cell, group in zip(self._cells(), _flat(groups) if isinstance(groups, tuple) else groups):
            step, *new = cell.call_output({cell.call_signature[0][0]: step, "states": group}, options)
            states.extend(new)
        return [step, *states]

    def units(self):
        return self._cells()[-1].units()


# --- layers running a cell over time ----------------------------------------------------------


class _Recurrent(LayerSpec):
    """A layer running ``cell()`` along axis 1 of a ``(batch, steps, ...)`` input.

    With ``return_state`` its output is a list: the output, then the cell's final states.
    """

    call_signature = params("sequences", initial_state=None, mask=None, training=False)
    sequence_rank = 3
    is_recurrent = True
    # A call maps to shapes as for any single-input layer, not as for the cell it mixes in.
    call_output = LayerSpec.call_output
    build_weights = LayerSpec.build_weights
    build_formula = LayerSpec.build_formula

    def cell(self):
        return self

    def _check_rank(self, sequences):
        require_rank(sequences, self.sequence_rank, self.name)

    def _step(self, sequences):
        """The shape one step of ``sequences`` has, after Keras's checks on the call."""
        self._check_rank(sequences)
        if "use_cudnn" in self.config and self.arg("use_cudnn") not in ("auto", True, False):
            raise ShapeError("bad_argument", f"`use_cudnn` must be 'auto', True or False, got {self.arg('use_cudnn')!r}")
        if self.arg("stateful") and sequences[0] is None:
            raise ShapeError(
                "bad_input",
                f"a stateful {self.name} needs a fixed batch size, got input shape {format_shape(sequences)}",
            )
        return (sequences[0], *sequences[2:])

    def output_shape(self, input_shape):
        step, cell = self._step(input_shape), self.cell()
        out = cell.step_output(step)
        if self.arg("return_sequences"):
            out = (out[0], input_shape[1], *out[1:])
        if self.arg("return_state"):
            return [out, *cell.step_states(step)]
        return out

    def weights(self, input_shape):
        return self.cell().step_weights(self._step(input_shape))

    def formula(self, input_shape):
        return self.cell().step_formula(self._step(input_shape))



@register
class SimpleRNN(_Recurrent, SimpleRNNCell):
    name = "SimpleRNN"
    signature = params(
        "units", activation="tanh", use_bias=True, **_INITIALIZERS, **_REGULARIZERS, activity_regularizer=None,
        **_CONSTRAINTS, **_DROPOUT, **_FLAGS, unroll=False, seed=None, zero_output_for_mask=False,
    )


@register
class LSTM(_Recurrent, LSTMCell):
    name = "LSTM"
    aliases = ("CuDNNLSTM",)
    signature = params(
        "units", activation="tanh", recurrent_activation="sigmoid", use_bias=True, **_INITIALIZERS,
        unit_forget_bias=True, **_REGULARIZERS, activity_regularizer=None, **_CONSTRAINTS, **_DROPOUT,
        seed=None, **_FLAGS, unroll=False, use_cudnn="auto", implementation=2, zero_output_for_mask=False,
    )


@register
class GRU(_Recurrent, GRUCell):
    name = "GRU"
    aliases = ("CuDNNGRU",)  # CuDNNGRU's separate input/recurrent biases are reset_after=True
    signature = params(
        "units", activation="tanh", recurrent_activation="sigmoid", use_bias=True, **_INITIALIZERS,
        **_REGULARIZERS, activity_regularizer=None, **_CONSTRAINTS, **_DROPOUT, seed=None, **_FLAGS,
        unroll=False, reset_after=True, use_cudnn="auto", implementation=2, zero_output_for_mask=False,
    )


@register
class RNN(_Recurrent):
    """The generic recurrent layer; a list of cells is a StackedRNNCells."""

    name = "RNN"
    signature = params(
        "cell", return_sequences=False, return_state=False, go_backwards=False, stateful=False,
        unroll=False, zero_output_for_mask=False,
    )

    def _check_rank(self, sequences):
        # RNN has no input spec: Keras builds the cell on ``(batch, *sequences[2:])``. On a
        # rank-2 input the batch dim becomes the cell's features, which builds (and fails
        # only when run) if the batch size is fixed.
        if len(sequences) < 2 or (len(sequences) == 2 and sequences[0] is None):
            raise ShapeError(
                "wrong_rank",
                f"RNN expects an input of shape (batch, steps, features...), got {format_shape(sequences)}",
            )

    def cell(self):
        value = self.arg("cell")
        if isinstance(value, (list, tuple)):
            return StackedRNNCells({"cells": list(value)})
        return _cell_spec(value, "cell", self.name)

    def units(self):
        return self.cell().units()


class _ConvLSTM(_Recurrent):
    """ConvLSTM1D/2D/3D: an LSTM whose gates are convolutions over each step's image."""

    rank = 2

    def units(self):
        return self.int_arg("filters")

    def _geometry(self):
        kernel = self.tuple_arg("kernel_size", self.rank)
        strides = self.tuple_arg("strides", self.rank)
        dilation = self.tuple_arg("dilation_rate", self.rank)
        padding = str(self.arg("padding")).lower()
        if padding not in ("valid", "same"):
            raise ShapeError("bad_argument", f"{self.name} `padding` must be 'valid' or 'same', got {padding!r}")
        if max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(
                "bad_argument",
                f"{self.name} does not take strides > 1 with dilation_rate > 1 "
                f"(strides={strides}, dilation_rate={dilation})",
            )
        return kernel, strides, dilation, padding

    def _channels(self, step):
        """Input channels of one step; Keras needs them and every spatial dim to be known."""
        if None in spatial_dims(step, self.data_format):
            raise ShapeError("bad_input", f"{self.name} needs known spatial dims, got step shape {format_shape(step)}")
        channels = channel_dim(step, self.data_format)
        if channels is None:
            raise ShapeError("bad_input", f"{self.name} needs a known channel dim, got step shape {format_shape(step)}")
        return channels

    def step_output(self, step):
        self._channels(step)
        kernel, strides, dilation, padding = self._geometry()
        spatial = tuple(
            conv_length(length, k, s, padding, d)
            for length, k, s, d in zip(spatial_dims(step, self.data_format), kernel, strides, dilation)
        )
        return with_spatial(step, spatial, self.int_arg("filters"), self.data_format)

    def step_states(self, step):
        return [self.step_output(step)] * 2  # h and c

    def step_weights(self, step):
        channels, filters = self._channels(step), self.int_arg("filters")
        kernel = self._geometry()[0]
        weights = [
            Weight("kernel", (*kernel, channels, 4 * filters)),
            Weight("recurrent_kernel", (*kernel, filters, 4 * filters)),
        ]
        if self.arg("use_bias"):
            weights.append(Weight("bias", (4 * filters,)))
        return weights

    def step_formula(self, step):
        channels, filters = self._channels(step), self.int_arg("filters")
        window = "*".join(str(k) for k in self._geometry()[0])
        terms = [f"{window}*{channels}", f"{window}*{filters}"] + (["1"] if self.arg("use_bias") else [])
        return f"4 * ({' + '.join(terms)}) * {filters}"


def _conv_lstm(rank: int):
    cls = type(
        f"ConvLSTM{rank}D",
        (_ConvLSTM,),
        {
            "name": f"ConvLSTM{rank}D",
            "rank": rank,
            "sequence_rank": rank + 3,
            "signature": params(
                "filters", "kernel_size", strides=1, padding="valid", data_format=None, dilation_rate=1,
                activation="tanh", recurrent_activation="sigmoid", use_bias=True, **_INITIALIZERS,
                unit_forget_bias=True, **_REGULARIZERS, activity_regularizer=None, **_CONSTRAINTS, **_DROPOUT,
                seed=None, **_FLAGS, unroll=False, zero_output_for_mask=False,
            ),
        },
    )
    return register(cls)


ConvLSTM1D = _conv_lstm(1)
ConvLSTM2D = _conv_lstm(2)
ConvLSTM3D = _conv_lstm(3)


# --- both directions --------------------------------------------------------------------------


def _twice(dim):
    return None if dim is None else 2 * dim


@register
class Bidirectional(LayerSpec):
    """A recurrent layer and its backward copy (or ``backward_layer``), outputs merged.

    Shapes follow Keras's ``compute_output_shape``, which looks at the forward layer only.
    """

    name = "Bidirectional"
    signature = params("layer", merge_mode="concat", weights=None, backward_layer=None)
    call_signature = params("sequences", initial_state=None, mask=None, training=None)

    def _directions(self):
        """(forward, backward) specs, after the checks Keras makes in ``__init__``."""
        forward = _recurrent_spec(self.arg("layer"), "layer", self.name)
        mode = self.arg("merge_mode")
        if mode not in _MERGE_MODES:
            raise ShapeError("bad_argument", f"{self.name} `merge_mode` must be one of {_MERGE_MODES}, got {mode!r}")
        if self.arg("backward_layer") is None:
            if forward.arg("go_backwards"):
                raise ShapeError(
                    "bad_argument", f"{self.name}: the layer has go_backwards=True, so its backward copy runs the same way"
                )
            return forward, forward
        backward = _recurrent_spec(self.arg("backward_layer"), "backward_layer", self.name)
        if forward.arg("go_backwards") == backward.arg("go_backwards"):
            raise ShapeError("bad_argument", f"{self.name}: `layer` and `backward_layer` must differ in go_backwards")
        for key in ("stateful", "return_sequences", "return_state"):
            if forward.arg(key) != backward.arg(key):
                raise ShapeError("bad_argument", f"{self.name}: `layer` and `backward_layer` must agree on `{key}`")
        return forward, backward

    def output_shape(self, input_shape):
        forward = self._directions()[0]
        out, states = forward.output_shape(input_shape), []
        if forward.arg("return_state"):
            out, *states = out
        mode = self.arg("merge_mode")
        if mode == "concat":
            out = (*out[:-1], _twice(out[-1]))
        outputs = [out, out] if mode is None else [out]
        if len(outputs) == 1 and not states:
            return out
        return [*outputs, *states, *states]

    def weights(self, input_shape):
        forward, backward = self._directions()
        return [*forward.weights(input_shape), *backward.weights(input_shape)]

    def formula(self, input_shape):
        forward, backward = self._directions()
        if backward is forward:
            return f"2 * ({forward.formula(input_shape)})"
        return f"{forward.formula(input_shape)} + {backward.formula(input_shape)}"


    def units(self):
        units = self._directions()[0].units()
        return None if units is None else 2 * units
