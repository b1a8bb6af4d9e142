"""Rows for the recurrent family: SimpleRNN, LSTM, GRU, their cells, RNN, StackedRNNCells,
Bidirectional and ConvLSTM1D/2D/3D."""

import pytest

from . import CF, Call, Sub, err, row

SEQ = (None, 10, 8)
STATE = {"return_state": True}
SEQS = {"return_sequences": True}


def states(*shapes):
    """A cell call: one step of input (None, 8) and the given state shapes."""
    return Call(args=((None, 8), list(shapes)))


ROWS = [
    # --- SimpleRNN / LSTM / GRU -------------------------------------------------------------
    row("SimpleRNN", "SimpleRNN", (16,), {}, SEQ),
    row("SimpleRNN-return-sequences", "SimpleRNN", (4,), SEQS, SEQ),
    row("SimpleRNN-return-state", "SimpleRNN", (4,), {**SEQS, **STATE}, SEQ),
    row("SimpleRNN-no-bias-go-backwards", "SimpleRNN", (4,), {"use_bias": False, "go_backwards": True}, SEQ),
    row("SimpleRNN-stateful", "SimpleRNN", (4,), {"stateful": True}, (3, 10, 8)),
    row("SimpleRNN-unknown-steps", "SimpleRNN", (4,), SEQS, (None, None, 8)),
    row("LSTM", "LSTM", (32,), {}, SEQ),
    row("LSTM-return-sequences", "LSTM", (4,), SEQS, (None, 7, 3)),
    row("LSTM-return-state", "LSTM", (4,), STATE, SEQ),
    row("LSTM-return-sequences-and-state", "LSTM", (4,), {**SEQS, **STATE}, (None, None, 8)),
    row("LSTM-no-bias", "LSTM", (4,), {"use_bias": False, "unit_forget_bias": False}, SEQ),
    row("LSTM-dropout-implementation1", "LSTM", (4,), {"dropout": 0.1, "recurrent_dropout": 0.2, "implementation": 1}, SEQ),
    row("LSTM-stateful-unroll", "LSTM", (4,), {"stateful": True, "unroll": True}, (2, 5, 8)),
    row("LSTM-go-backwards-use-cudnn-false", "LSTM", (4,), {"go_backwards": True, "use_cudnn": False}, SEQ),
    row("LSTM-unroll-unknown-steps", "LSTM", (4,), {"unroll": True}, (None, None, 8)),
    row("LSTM-initial-state", "LSTM", (4,), STATE, Call(args=(SEQ,), tensors={"initial_state": [(None, 4), (None, 4)]})),
    row("LSTM-initial-state-positional", "LSTM", (4,), SEQS, Call(args=(SEQ, [(None, 4), (None, 4)]))),
    row("LSTM-mask", "LSTM", (4,), SEQS, Call(args=(SEQ,), tensors={"mask": (None, 10)}, options={"training": True})),
    row("LSTM-zero-output-for-mask", "LSTM", (4,), {"zero_output_for_mask": True, **SEQS}, SEQ),
    row("GRU", "GRU", (16,), {}, SEQ),
    row("GRU-reset-after-false", "GRU", (4,), {"reset_after": False}, SEQ),
    row("GRU-reset-after-no-bias", "GRU", (4,), {"use_bias": False}, SEQ),
    row("GRU-reset-after-false-no-bias", "GRU", (4,), {"reset_after": False, "use_bias": False}, SEQ),
    row("GRU-return-sequences-and-state", "GRU", (4,), {**SEQS, **STATE}, SEQ),
    row("GRU-stateful-go-backwards", "GRU", (4,), {"stateful": True, "go_backwards": True, **STATE}, (5, 10, 8)),
    row("GRU-initial-state", "GRU", (4,), {}, Call(args=(SEQ,), tensors={"initial_state": (None, 4)})),
    # --- cells called on (inputs, states) ---------------------------------------------------
    row("SimpleRNNCell", "SimpleRNNCell", (4,), {}, states((None, 4))),
    row("SimpleRNNCell-state-tensor", "SimpleRNNCell", (4,), {"use_bias": False}, Call(args=((None, 8), (None, 4)))),
    row("LSTMCell", "LSTMCell", (4,), {}, states((None, 4), (None, 4))),
    row("LSTMCell-states-keyword", "LSTMCell", (4,), {"use_bias": False},
        Call(args=((None, 8),), tensors={"states": [(None, 4), (None, 4)]})),
    row("GRUCell", "GRUCell", (4,), {}, states((None, 4))),
    row("GRUCell-reset-after-false", "GRUCell", (4,), {"reset_after": False}, Call(args=((None, 8), (None, 4)))),
    # Keras's symbolic cell call broadcasts input and states: odd ranks and size-1 dims go through.
    row("SimpleRNNCell-rank3-input-broadcasts", "SimpleRNNCell", (4,), {}, Call(args=((None, 1, 8), [(None, 4)]))),
    row("LSTMCell-carry-broadcasts", "LSTMCell", (4,), {}, states((None, 4), (None, 1))),
    row("LSTMCell-batch1-state", "LSTMCell", (4,), {"implementation": 1}, states((1, 4), (None, 4))),
    row("GRUCell-per-gate-rank3-state", "GRUCell", (4,), {"recurrent_dropout": 0.5}, Call(args=((None, 8), [(None, 1, 4)]))),
    row("StackedRNNCells", "StackedRNNCells", ([Sub("GRUCell", (4,)), Sub("SimpleRNNCell", (3,))],), {},
        states((None, 4), (None, 3))),
    # --- RNN ----------------------------------------------------------------------------------
    row("RNN-SimpleRNNCell", "RNN", (Sub("SimpleRNNCell", (4,)),), {}, SEQ),
    row("RNN-LSTMCell-return-state", "RNN", (Sub("LSTMCell", (4,)),), STATE, SEQ),
    row("RNN-GRUCell-sequences-backwards", "RNN", (Sub("GRUCell", (4,), {"reset_after": False}),),
        {**SEQS, "go_backwards": True}, SEQ),
    row("RNN-cell-list", "RNN", ([Sub("LSTMCell", (4,)), Sub("GRUCell", (3,))],), STATE, SEQ),
    row("RNN-cell-list-of-one", "RNN", ([Sub("LSTMCell", (4,))],), STATE, SEQ),
    row("RNN-StackedRNNCells", "RNN", (Sub("StackedRNNCells", ([Sub("LSTMCell", (4,)), Sub("SimpleRNNCell", (3,))],)),),
        {**SEQS, **STATE, "stateful": True}, (2, 10, 8)),
    row("RNN-rank4-input", "RNN", (Sub("LSTMCell", (4,)),), STATE, (None, 10, 3, 8)),
    row("RNN-unroll-zero-output-for-mask", "RNN", (Sub("SimpleRNNCell", (4,)),),
        {"unroll": True, "zero_output_for_mask": True, **SEQS}, SEQ),
    row("RNN-initial-state", "RNN", (Sub("LSTMCell", (4,)),), {},
        Call(args=(SEQ,), tensors={"initial_state": [(None, 4), (None, 4)]})),
    # --- Bidirectional ------------------------------------------------------------------------
    row("Bidirectional-LSTM", "Bidirectional", (Sub("LSTM", (8,)),), {}, SEQ),
    row("Bidirectional-LSTM-sequences", "Bidirectional", (Sub("LSTM", (8,), SEQS),), {}, SEQ),
    *[
        row(f"Bidirectional-GRU-{mode}", "Bidirectional", (Sub("GRU", (4,)),), {"merge_mode": mode}, SEQ)
        for mode in ("concat", "sum", "mul", "ave", None)
    ],
    *[
        row(f"Bidirectional-LSTM-state-sequences-{mode}", "Bidirectional", (Sub("LSTM", (4,), {**SEQS, **STATE}),),
            {"merge_mode": mode}, SEQ)
        for mode in ("concat", "sum", "mul", "ave", None)
    ],
    row("Bidirectional-GRU-state", "Bidirectional", (Sub("GRU", (4,), STATE),), {"merge_mode": "ave"}, SEQ),
    row("Bidirectional-SimpleRNN-positional-mode", "Bidirectional", (Sub("SimpleRNN", (4,), SEQS), "sum"), {}, SEQ),
    row("Bidirectional-backward-layer", "Bidirectional", (Sub("LSTM", (4,), SEQS),),
        {"backward_layer": Sub("LSTM", (4,), {"go_backwards": True, **SEQS})}, SEQ),
    row("Bidirectional-backward-layer-other-kind", "Bidirectional", (Sub("LSTM", (4,)),),
        {"backward_layer": Sub("GRU", (4,), {"go_backwards": True}), "merge_mode": "mul"}, SEQ),
    # Keras's compute_output_shape sizes both directions from the forward layer: (None, 8) here,
    # although the eager call concatenates 4 + 6 features.
    row("Bidirectional-backward-layer-wider", "Bidirectional", (Sub("LSTM", (4,)),),
        {"backward_layer": Sub("LSTM", (6,), {"go_backwards": True})}, SEQ),
    row("Bidirectional-stateful", "Bidirectional", (Sub("LSTM", (4,), {"stateful": True}),), {}, (2, 10, 8)),
    row("Bidirectional-RNN-cell-list-state", "Bidirectional",
        (Sub("RNN", ([Sub("LSTMCell", (4,)), Sub("GRUCell", (3,))],), STATE),), {}, SEQ),
    row("Bidirectional-ConvLSTM2D-state-none", "Bidirectional", (Sub("ConvLSTM2D", (4, 3), STATE),),
        {"merge_mode": None}, (None, 5, 8, 8, 2)),
    row("Bidirectional-initial-state", "Bidirectional", (Sub("LSTM", (4,), STATE),), {},
        Call(args=(SEQ,), tensors={"initial_state": [(None, 4)] * 4})),
    # --- ConvLSTM ---------------------------------------------------------------------------
    row("ConvLSTM1D", "ConvLSTM1D", (4, 3), {}, (None, 5, 8, 2)),
    row("ConvLSTM1D-no-bias-state", "ConvLSTM1D", (4, 3), {"use_bias": False, **STATE}, (None, 5, 8, 2)),
    row("ConvLSTM1D-channels-first-same", "ConvLSTM1D", (4, 3), {"padding": "same", **SEQS, **CF}, (None, 5, 2, 9)),
    row("ConvLSTM2D", "ConvLSTM2D", (4, 3), {}, (None, 5, 8, 8, 2)),
    row("ConvLSTM2D-channels-first-sequences-state", "ConvLSTM2D", (4, 3), {**SEQS, **STATE, **CF}, (None, 5, 2, 8, 9)),
    row("ConvLSTM2D-same-stride2", "ConvLSTM2D", (4, 3), {"strides": 2, "padding": "SAME"}, (None, 5, 9, 9, 2)),
    row("ConvLSTM2D-dilation2", "ConvLSTM2D", (4, (3, 2)), {"dilation_rate": 2}, (None, 5, 9, 9, 2)),
    row("ConvLSTM2D-positional-geometry", "ConvLSTM2D", (6, (3, 3), (2, 1), "valid"), {}, (None, 4, 11, 10, 3)),
    row("ConvLSTM2D-unknown-steps", "ConvLSTM2D", (4, 3), SEQS, (None, None, 8, 8, 2)),
    row("ConvLSTM2D-stateful", "ConvLSTM2D", (4, 3), {"stateful": True, **STATE}, (2, 5, 8, 8, 2)),
    row("ConvLSTM2D-unroll", "ConvLSTM2D", (4, 3), {"unroll": True}, (2, 5, 8, 8, 2)),
    row("ConvLSTM3D", "ConvLSTM3D", (4, (3, 2, 1)), {"strides": (1, 2, 1)}, (None, 5, 8, 8, 8, 2)),
    row("ConvLSTM3D-channels-first", "ConvLSTM3D", (4, 3), CF, (None, 5, 2, 6, 7, 8)),
]

ERROR_ROWS = [
    err("SimpleRNN-rank2-input", "SimpleRNN", (4,), {}, (None, 8), "wrong_rank"),
    err("SimpleRNN-zero-units", "SimpleRNN", (0,), {}, SEQ, "bad_argument"),
    err("LSTM-rank4-input", "LSTM", (4,), {}, (None, 10, 3, 8), "wrong_rank"),
    err("LSTM-stateful-unknown-batch", "LSTM", (4,), {"stateful": True}, SEQ, "bad_input"),
    err("LSTM-bad-use-cudnn", "LSTM", (4,), {"use_cudnn": "yes"}, SEQ, "bad_argument"),
    err("GRU-negative-units", "GRU", (-2,), {}, SEQ, "bad_argument"),
    err("LSTMCell-rank3-input", "LSTMCell", (4,), {}, Call(args=(SEQ, [(None, 4), (None, 4)])), "bad_input"),
    err("LSTMCell-gates-rank3", "LSTMCell", (4,), {}, Call(args=((None, 1, 8), [(None, 4), (None, 4)])), "bad_input"),
    err("GRUCell-rank3-state", "GRUCell", (4,), {}, Call(args=((None, 8), [(None, 1, 4)])), "bad_input"),
    err("SimpleRNNCell-batch-mismatch", "SimpleRNNCell", (4,), {}, Call(args=((3, 8), [(None, 4)])), "bad_input"),
    err("SimpleRNNCell-unknown-features", "SimpleRNNCell", (4,), {}, Call(args=((None, None), [(None, 4)])), "bad_input"),
    err("LSTMCell-one-state", "LSTMCell", (4,), {}, states((None, 4)), "bad_input"),
    err("LSTMCell-state-size-mismatch", "LSTMCell", (4,), {}, states((None, 5), (None, 4)), "bad_input"),
    err("GRUCell-state-size-mismatch", "GRUCell", (4,), {}, states((None, 5)), "bad_input"),
    err("StackedRNNCells-state-size-mismatch", "StackedRNNCells", ([Sub("GRUCell", (4,)), Sub("SimpleRNNCell", (3,))],), {},
        states((None, 4), (None, 4)), "bad_input"),
    err("RNN-rank2-input", "RNN", (Sub("LSTMCell", (4,)),), {}, (None, 8), "wrong_rank"),
    err("RNN-empty-cell-list", "RNN", ([],), {}, SEQ, "bad_argument"),
    err("RNN-layer-as-cell", "RNN", (Sub("LSTM", (4,)),), {}, SEQ, "bad_argument"),
    err("RNN-Dense-as-cell", "RNN", (Sub("Dense", (4,)),), {}, SEQ, "bad_argument"),
    err("RNN-stateful-unknown-batch", "RNN", (Sub("GRUCell", (4,)),), {"stateful": True}, SEQ, "bad_input"),
    err("Bidirectional-bad-merge-mode", "Bidirectional", (Sub("LSTM", (4,)),), {"merge_mode": "max"}, SEQ, "bad_argument"),
    err("Bidirectional-layer-goes-backwards", "Bidirectional", (Sub("LSTM", (4,), {"go_backwards": True}),), {}, SEQ,
        "bad_argument"),
    err("Bidirectional-backward-layer-same-direction", "Bidirectional", (Sub("LSTM", (4,)),),
        {"backward_layer": Sub("LSTM", (4,))}, SEQ, "bad_argument"),
    err("Bidirectional-backward-layer-return-sequences-differ", "Bidirectional", (Sub("LSTM", (4,)),),
        {"backward_layer": Sub("LSTM", (4,), {"go_backwards": True, **SEQS})}, SEQ, "bad_argument"),
    err("Bidirectional-rank4-input", "Bidirectional", (Sub("LSTM", (4,)),), {}, (None, 10, 3, 8), "wrong_rank"),
    err("Bidirectional-stateful-unknown-batch", "Bidirectional", (Sub("GRU", (4,), {"stateful": True}),), {}, SEQ,
        "bad_input"),
    err("ConvLSTM2D-rank4-input", "ConvLSTM2D", (4, 3), {}, (None, 5, 8, 2), "wrong_rank"),
    err("ConvLSTM2D-kernel-larger-than-input", "ConvLSTM2D", (4, 5), {}, (None, 5, 4, 4, 2), "nonpositive_dim"),
    err("ConvLSTM2D-unknown-spatial", "ConvLSTM2D", (4, 3), {}, (None, 5, None, 8, 2), "bad_input"),
    err("ConvLSTM2D-unknown-channels", "ConvLSTM2D", (4, 3), {}, (None, 5, 8, 8, None), "bad_input"),
    err("ConvLSTM2D-channels-first-unknown-channels", "ConvLSTM2D", (4, 3), CF, (None, 5, None, 8, 8), "bad_input"),
    err("ConvLSTM2D-stride2-dilation2", "ConvLSTM2D", (4, 3), {"strides": 2, "dilation_rate": 2}, (None, 5, 9, 9, 2),
        "bad_argument"),
    err("ConvLSTM1D-causal-padding", "ConvLSTM1D", (4, 3), {"padding": "causal"}, (None, 5, 8, 2), "bad_argument"),
    err("ConvLSTM2D-kernel-size-length", "ConvLSTM2D", (4, (3, 3, 3)), {}, (None, 5, 8, 8, 2), "bad_argument_length"),
    err("ConvLSTM3D-stateful-unknown-batch", "ConvLSTM3D", (4, 3), {"stateful": True}, (None, 5, 6, 6, 6, 2), "bad_input"),
]

# (legacy class, legacy args, legacy kwargs, Keras 3 class, Keras 3 args, Keras 3 kwargs, input shape)
LEGACY_ROWS = [
    pytest.param("LSTM", (), {"output_dim": 16, "inner_init": "orthogonal", "forget_bias_init": "one",
                              "inner_activation": "hard_sigmoid", "return_sequences": True},
                 "LSTM", (16,), {"recurrent_activation": "hard_sigmoid", **SEQS}, SEQ,
                 id="LSTM-keras1-keywords"),
    pytest.param("LSTM", (8,), {"dropout_W": 0.2, "dropout_U": 0.1, "W_regularizer": None, "U_regularizer": None,
                                "b_regularizer": None, "init": "glorot_uniform", "consume_less": "gpu"},
                 "LSTM", (8,), {"dropout": 0.2, "recurrent_dropout": 0.1}, SEQ,
                 id="LSTM-keras1-dropout-regularizers"),
    pytest.param("GRU", (), {"output_dim": 6, "U_constraint": None, "dropout_U": 0.5},
                 "GRU", (6,), {"recurrent_dropout": 0.5}, SEQ,
                 id="GRU-keras1-keywords"),
    pytest.param("SimpleRNN", (), {"output_dim": 5, "inner_init": "identity"},
                 "SimpleRNN", (5,), {}, SEQ,
                 id="SimpleRNN-keras1-keywords"),
    pytest.param("CuDNNLSTM", (12,), {"return_sequences": True},
                 "LSTM", (12,), SEQS, SEQ,
                 id="CuDNNLSTM-keras2-alias"),
    pytest.param("CuDNNGRU", (12,), {"return_state": True},
                 "GRU", (12,), {"reset_after": True, **STATE}, SEQ,
                 id="CuDNNGRU-keras2-alias"),
    pytest.param("Bidirectional", (Sub("CuDNNLSTM", (6,)),), {"merge_mode": "sum"},
                 "Bidirectional", (Sub("LSTM", (6,)),), {"merge_mode": "sum"}, SEQ,
                 id="Bidirectional-CuDNNLSTM-keras2"),
    pytest.param("ConvLSTM2D", (4, 3), {"border_mode": "same", "dim_ordering": "th"},
                 "ConvLSTM2D", (4, 3), {"padding": "same", **CF}, (None, 5, 2, 8, 8),
                 id="ConvLSTM2D-keras1-border-mode-dim-ordering"),
]
