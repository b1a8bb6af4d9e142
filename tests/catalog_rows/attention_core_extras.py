"""Rows for the attention layers and the core, merging, activation, normalization and wrapper
layers added with them: EinsumDense, Masking, ReversibleEmbedding, Dot, PReLU,
GroupNormalization, UnitNormalization, RMSNormalization, SpectralNormalization."""

import pytest

from . import Call, Sub, err, row

MHA = "MultiHeadAttention"
GQA = "GroupQueryAttention"
SCORES = {"return_attention_scores": True}


def heads(query, value, key=None, **options):
    """A ``layer(query, value[, key=...], **options)`` call."""
    return Call(args=(query, value), tensors={"key": key} if key else {}, options=options)


def ids(shape, **options):
    """A call on integer indices (embedding lookups)."""
    return Call(args=(shape,), options=options, dtype="int32")


ROWS = [
    # --- core -----------------------------------------------------------------------------
    row("EinsumDense-dense", "EinsumDense", ("ab,bc->ac", 64), {}, (None, 32)),
    row("EinsumDense-sequence-bias", "EinsumDense", ("abc,cd->abd", (None, 64)), {"bias_axes": "d"}, (None, 32, 128)),
    row("EinsumDense-declared-sequence-dim", "EinsumDense", ("abc,cd->abd", (32, 64)), {"bias_axes": "d"}, (None, 32, 128)),
    row("EinsumDense-left-ellipsis", "EinsumDense", ("...b,bc->...c", 64), {"bias_axes": "c"}, (None, 32, 128)),
    row("EinsumDense-left-ellipsis-two-dims", "EinsumDense", ("...b,bc->...c", 16), {"bias_axes": "c"}, (None, 3, 4, 5)),
    row("EinsumDense-left-ellipsis-rank2", "EinsumDense", ("...b,bc->...c", 8), {}, (None, 4)),
    row("EinsumDense-right-ellipsis", "EinsumDense", ("ab...,bc->ac...", 64), {"bias_axes": "c"}, (None, 32, 3, 4)),
    row("EinsumDense-heads", "EinsumDense", ("abc,cde->abde", (None, 4, 5)), {"bias_axes": "de"}, (None, 3, 6)),
    row("EinsumDense-heads-bias-last", "EinsumDense", ("abc,cde->abde", (None, 4, 5)), {"bias_axes": "e"}, (None, None, 6)),
    row("EinsumDense-bias-skips-axis", "EinsumDense", ("abc,cde->abde", (3, 4, 5)), {"bias_axes": "be"}, (None, 3, 6)),
    row("EinsumDense-extra-input-dims", "EinsumDense", ("ab,bc->ac", 64), {}, (None, 32, 5)),
    row("EinsumDense-known-batch", "EinsumDense", ("ab,bc->ac", 8), {"bias_axes": "c"}, (2, 32)),
    row("EinsumDense-positional", "EinsumDense", ("ab,bc->ac", 8, "relu", "c"), {}, (None, 6)),
    row("Masking", "Masking", (), {}, (None, 10, 4)),
    row("Masking-value", "Masking", (-1.0,), {}, (None, None, 3)),
    row("ReversibleEmbedding", "ReversibleEmbedding", (100, 8), {}, ids((None, 12))),
    row("ReversibleEmbedding-untied", "ReversibleEmbedding", (100, 8, False), {}, ids((None, 12))),
    row("ReversibleEmbedding-reverse", "ReversibleEmbedding", (100, 8), {}, Call(args=((None, 12, 8),), options={"reverse": True})),
    row("ReversibleEmbedding-untied-reverse", "ReversibleEmbedding", (100, 8), {"tie_weights": False},
        Call(args=((None, 12, 8),), options={"reverse": True})),
    row("ReversibleEmbedding-reverse-unchecked-dim", "ReversibleEmbedding", (50, 8), {}, Call(args=((None, 4, 5),), options={"reverse": True})),
    # --- attention ------------------------------------------------------------------------
    row("MultiHeadAttention-self", MHA, (2, 16), {}, heads((None, 8, 32), (None, 8, 32))),
    row("MultiHeadAttention-cross", MHA, (4, 8), {}, heads((None, 5, 16), (None, 7, 12))),
    row("MultiHeadAttention-key", MHA, (2, 4), {"value_dim": 3}, heads((None, 5, 6), (None, 7, 9), (None, 7, 5))),
    row("MultiHeadAttention-output-int", MHA, (2, 4), {"output_shape": 10}, heads((None, 5, 6), (None, 7, 6))),
    row("MultiHeadAttention-output-tuple", MHA, (2, 4), {"output_shape": (3, 4)}, heads((None, 5, 6), (None, 7, 6))),
    row("MultiHeadAttention-no-bias", MHA, (3, 5), {"use_bias": False}, heads((None, 5, 6), (None, 7, 6))),
    row("MultiHeadAttention-gate", MHA, (2, 4), {"use_gate": True, "value_dim": 3}, heads((None, 5, 6), (None, 7, 6))),
    row("MultiHeadAttention-dropout-positional", MHA, (2, 4, None, 0.1), {}, heads((None, 5, 6), (None, 5, 6))),
    row("MultiHeadAttention-unknown-lengths", MHA, (2, 4), {}, heads((None, None, 6), (None, None, 6))),
    row("MultiHeadAttention-scores-self", MHA, (2, 4), {}, heads((None, 5, 6), (None, 5, 6), **SCORES)),
    row("MultiHeadAttention-scores-cross", MHA, (2, 4), {}, heads((None, 5, 6), (None, 7, 6), **SCORES)),
    row("MultiHeadAttention-rank4", MHA, (2, 4), {}, heads((None, 5, 6, 8), (None, 7, 2, 8))),
    row("MultiHeadAttention-attention-axes", MHA, (2, 4), {"attention_axes": (2,)}, heads((None, 5, 6, 8), (None, 5, 7, 8), **SCORES)),
    row("MultiHeadAttention-attention-axis-int", MHA, (2, 4), {"attention_axes": -2}, heads((None, 5, 6), (None, 7, 6))),
    row("MultiHeadAttention-rank2", MHA, (2, 4), {}, heads((None, 6), (None, 6))),
    row("GroupQueryAttention", GQA, (4, 4, 2), {}, heads((None, 5, 6), (None, 7, 6))),
    row("GroupQueryAttention-key", GQA, (8, 6, 3), {}, heads((None, 5, 16), (None, 7, 16), (None, 7, 10))),
    row("GroupQueryAttention-gate-no-bias", GQA, (4, 4, 2), {"use_gate": True, "use_bias": False}, heads((None, 5, 6), (None, 7, 6))),
    row("GroupQueryAttention-scores", GQA, (4, 4, 1), {}, heads((None, 5, 6), (None, 7, 6), **SCORES)),
    row("GroupQueryAttention-scores-key", GQA, (4, 2, 2), {}, heads((None, 5, 6), (None, 7, 6), (None, 7, 3), **SCORES)),
    row("GroupQueryAttention-rank4", GQA, (4, 4, 2), {}, heads((None, 5, 2, 6), (None, 7, 2, 6))),
    row("Attention", "Attention", (), {}, [(None, 5, 6), (None, 7, 6)]),
    row("Attention-key", "Attention", (), {}, [(None, 5, 6), (None, 7, 3), (None, 7, 6)]),
    row("Attention-scale", "Attention", (True,), {}, [(None, 5, 6), (None, 7, 6)]),
    row("Attention-concat", "Attention", (), {"use_scale": True, "score_mode": "concat"}, [(None, 5, 6), (None, 7, 6)]),
    row("Attention-scores", "Attention", (), {}, Call(args=([(None, 5, 6), (None, 7, 3), (None, 8, 6)],), options=SCORES)),
    row("Attention-rank2", "Attention", (), {"score_mode": "concat"}, [(None, 6), (None, 6)]),
    row("AdditiveAttention", "AdditiveAttention", (), {}, [(None, 5, 6), (None, 7, 6)]),
    row("AdditiveAttention-no-scale", "AdditiveAttention", (False,), {}, [(None, 5, 6), (None, 7, 6)]),
    row("AdditiveAttention-concat-ignored", "AdditiveAttention", (), {"score_mode": "concat"}, [(None, 5, 6), (None, 7, 6)]),
    row("AdditiveAttention-scores-key", "AdditiveAttention", (), {}, Call(args=([(None, 5, 6), (None, 7, 2), (None, 7, 6)],), options=SCORES)),
    # --- merging --------------------------------------------------------------------------
    row("Dot-vectors", "Dot", (1,), {}, [(None, 4), (None, 4)]),
    row("Dot-matrix-vector", "Dot", ((2, 1),), {}, [(None, 3, 4), (None, 4)]),
    row("Dot-pair-axes", "Dot", ((1, 2),), {}, [(None, 4), (None, 3, 4)]),
    row("Dot-negative-axis", "Dot", (-1,), {}, [(None, 5, 8), (None, 7, 8)]),
    row("Dot-negative-pair", "Dot", ([-1, -2],), {}, [(None, 5, 8), (None, 8, 7)]),
    row("Dot-normalize", "Dot", (), {"axes": 2, "normalize": True}, [(None, 5, 8), (None, 3, 8)]),
    row("Dot-unknown-contracted", "Dot", (1,), {}, [(None, None, 4), (None, None, 2)]),
    # --- activations ----------------------------------------------------------------------
    row("PReLU", "PReLU", (), {}, (None, 4, 5)),
    row("PReLU-shared-spatial", "PReLU", (), {"shared_axes": [1, 2]}, (None, 4, 5, 3)),
    row("PReLU-shared-int", "PReLU", (), {"shared_axes": 1}, (None, None, 5)),
    row("PReLU-shared-negative", "PReLU", (), {"shared_axes": -1}, (None, 4, 5, 3)),
    row("PReLU-shared-zero", "PReLU", (), {"shared_axes": 0}, (None, 4, 5, 3)),
    row("PReLU-positional", "PReLU", ("zeros", None, None, (1,)), {}, (None, 7, 2)),
    row("ReLU-threshold-slope", "ReLU", (), {"negative_slope": 0.2, "threshold": 1.0}, (None, 3)),
    row("ELU-alpha", "ELU", (0.5,), {}, (None, 3)),
    # --- normalization --------------------------------------------------------------------
    row("GroupNormalization", "GroupNormalization", (2,), {}, (None, 4, 6)),
    row("GroupNormalization-default-groups", "GroupNormalization", (), {}, (None, 8, 8, 64)),
    row("GroupNormalization-instance", "GroupNormalization", (-1,), {"axis": 1}, (None, 4, 6)),
    row("GroupNormalization-channels-first", "GroupNormalization", (4, 1), {}, (None, 8, 5, 5)),
    row("GroupNormalization-no-center", "GroupNormalization", (3,), {"center": False}, (None, 9)),
    row("GroupNormalization-no-weights", "GroupNormalization", (3,), {"center": False, "scale": False}, (None, 9)),
    row("UnitNormalization", "UnitNormalization", (), {}, (None, 4, 6)),
    row("UnitNormalization-axes", "UnitNormalization", ([1, 2],), {}, (None, 4, 6)),
    row("RMSNormalization", "RMSNormalization", (), {}, (None, 4, 6)),
    row("RMSNormalization-axes", "RMSNormalization", ([2, 1],), {}, (None, 4, 6)),
    row("RMSNormalization-axis1", "RMSNormalization", (1,), {}, (None, 4, 6, 2)),
    row("SpectralNormalization-Dense", "SpectralNormalization", (Sub("Dense", (4,)),), {}, (None, 6)),
    row("SpectralNormalization-Dense-rank3", "SpectralNormalization", (Sub("Dense", (4,)), 2), {}, (None, 3, 6)),
    row("SpectralNormalization-Conv2D", "SpectralNormalization", (Sub("Conv2D", (4, 3)),), {}, (None, 6, 6, 3)),
    row("SpectralNormalization-Conv2DTranspose", "SpectralNormalization", (Sub("Conv2DTranspose", (4, 3)),), {}, (None, 6, 6, 3)),
    row("SpectralNormalization-DepthwiseConv2D", "SpectralNormalization", (Sub("DepthwiseConv2D", (3,)),), {}, (None, 6, 6, 3)),
    row("SpectralNormalization-Embedding", "SpectralNormalization", (Sub("Embedding", (10, 3)),), {}, (None, 6)),
    row("SpectralNormalization-EinsumDense", "SpectralNormalization", (Sub("EinsumDense", ("ab,bc->ac", 4)),), {}, (None, 6)),
    row("SpectralNormalization-Conv1DTranspose", "SpectralNormalization", (Sub("Conv1DTranspose", (4, 3)),), {}, (None, 5, 6)),
    row("SpectralNormalization-ReversibleEmbedding", "SpectralNormalization", (Sub("ReversibleEmbedding", (10, 4)),), {}, ids((None, 5))),
    row("SpectralNormalization-nested", "SpectralNormalization", (Sub("SpectralNormalization", (Sub("Dense", (4,)),)),), {}, (None, 6)),
    # --- wrappers -------------------------------------------------------------------------
    row("TimeDistributed-EinsumDense", "TimeDistributed", (Sub("EinsumDense", ("ab,bc->ac", 8), {"bias_axes": "c"}),), {}, (None, 5, 6)),
    row("TimeDistributed-SpectralNormalization", "TimeDistributed", (Sub("SpectralNormalization", (Sub("Dense", (4,)),)),), {}, (None, 3, 6)),
    row("TimeDistributed-PReLU", "TimeDistributed", (Sub("PReLU"),), {}, (None, 3, 4, 5)),
    row("TimeDistributed-GroupNormalization", "TimeDistributed", (Sub("GroupNormalization", (2,)),), {}, (None, 3, 4, 6)),
    row("TimeDistributed-LSTM-sequences", "TimeDistributed", (Sub("LSTM", (4,), {"return_sequences": True}),), {}, (None, 3, 5, 6)),
    row("TimeDistributed-Bidirectional-GRU", "TimeDistributed", (Sub("Bidirectional", (Sub("GRU", (4,)),)),), {}, (None, 3, 5, 6)),
    row("TimeDistributed-nested", "TimeDistributed", (Sub("TimeDistributed", (Sub("Dense", (4,)),)),), {}, (None, 3, 5, 6)),
    row("TimeDistributed-ReversibleEmbedding", "TimeDistributed", (Sub("ReversibleEmbedding", (20, 4)),), {}, ids((None, 3, 5))),
]

ERROR_ROWS = [
    # --- core -----------------------------------------------------------------------------
    err("EinsumDense-declared-dim-mismatch", "EinsumDense", ("abc,cd->abd", (5, 64)), {}, (None, 32, 128), "bad_argument"),
    err("EinsumDense-output-too-short", "EinsumDense", ("abc,cd->abd", 64), {}, (None, 3, 32), "bad_argument"),
    err("EinsumDense-no-arrow", "EinsumDense", ("ab,bc", 64), {}, (None, 32), "bad_argument"),
    err("EinsumDense-output-from-nowhere", "EinsumDense", ("ab,bc->ad", 64), {}, (None, 32), "bad_argument"),
    err("EinsumDense-weight-from-nowhere", "EinsumDense", ("ab,bcd->ac", 64), {}, (None, 32), "bad_argument"),
    err("EinsumDense-bias-not-in-output", "EinsumDense", ("ab,bc->ac", 64), {"bias_axes": "x"}, (None, 32), "bad_argument"),
    err("EinsumDense-empty-bias-axes", "EinsumDense", ("ab,bc->ac", 64), {"bias_axes": ""}, (None, 32), "bad_argument"),
    err("EinsumDense-input-rank-too-small", "EinsumDense", ("abc,cd->abd", (None, 64)), {}, (None, 32), "wrong_rank"),
    # --- attention ------------------------------------------------------------------------
    err("MultiHeadAttention-key-value-mismatch", MHA, (2, 4), {}, heads((None, 5, 6), (None, 7, 6), (None, 8, 6)), "merge_mismatch"),
    err("MultiHeadAttention-key-value-unknown-vs-known", MHA, (2, 4), {}, heads((None, 5, 6), (None, None, 6), (None, 8, 6)), "merge_mismatch"),
    err("MultiHeadAttention-attention-axis-out-of-range", MHA, (2, 4), {"attention_axes": (5,)}, heads((None, 5, 6), (None, 7, 6)), "bad_axis"),
    err("MultiHeadAttention-zero-key-dim", MHA, (2, 0), {}, heads((None, 5, 6), (None, 7, 6)), "bad_argument"),
    err("MultiHeadAttention-negative-value-dim", MHA, (2, 4), {"value_dim": -1}, heads((None, 5, 6), (None, 7, 6)), "bad_argument"),
    err("GroupQueryAttention-heads-not-grouping", GQA, (4, 4, 3), {}, heads((None, 5, 6), (None, 7, 6)), "bad_argument"),
    err("GroupQueryAttention-query-value-dims", GQA, (4, 4, 2), {}, heads((None, 5, 6), (None, 7, 5)), "merge_mismatch"),
    err("GroupQueryAttention-key-value-mismatch", GQA, (4, 4, 2), {}, heads((None, 5, 6), (None, 7, 6), (None, 8, 6)), "merge_mismatch"),
    err("Attention-one-input", "Attention", (), {}, [(None, 5, 6)], "bad_input"),
    err("Attention-four-inputs", "Attention", (), {}, [(None, 5, 6)] * 4, "bad_input"),
    err("Attention-bad-score-mode", "Attention", (), {"score_mode": "additive"}, [(None, 5, 6)] * 2, "bad_argument"),
    err("AdditiveAttention-bad-score-mode", "AdditiveAttention", (), {"score_mode": "x"}, [(None, 5, 6)] * 2, "bad_argument"),
    # --- merging --------------------------------------------------------------------------
    err("Dot-contracted-mismatch", "Dot", (1,), {}, [(None, 4), (None, 5)], "merge_mismatch"),
    err("Dot-unknown-vs-known", "Dot", (1,), {}, [(None, None, 4), (None, 3, 4)], "merge_mismatch"),
    err("Dot-three-inputs", "Dot", (1,), {}, [(None, 4)] * 3, "bad_input"),
    err("Dot-three-axes", "Dot", ((1, 2, 1),), {}, [(None, 4), (None, 4)], "bad_argument_length"),
    err("Dot-axis-out-of-range", "Dot", (3,), {}, [(None, 4, 5), (None, 4, 5)], "bad_axis"),
    # --- activations ----------------------------------------------------------------------
    err("PReLU-shared-axis-out-of-range", "PReLU", (), {"shared_axes": 5}, (None, 4, 5, 3), "bad_axis"),
    err("ReLU-negative-max-value", "ReLU", (-1.0,), {}, (None, 3), "bad_argument"),
    err("ReLU-negative-slope", "ReLU", (), {"negative_slope": -0.1}, (None, 3), "bad_argument"),
    err("ReLU-threshold-none", "ReLU", (), {"threshold": None}, (None, 3), "bad_argument"),
    err("LeakyReLU-negative-slope", "LeakyReLU", (-0.2,), {}, (None, 3), "bad_argument"),
    # --- normalization --------------------------------------------------------------------
    err("GroupNormalization-groups-not-dividing", "GroupNormalization", (4,), {}, (None, 4, 6), "bad_argument"),
    err("GroupNormalization-more-groups-than-channels", "GroupNormalization", (), {}, (None, 4, 6), "bad_argument"),
    err("GroupNormalization-zero-groups", "GroupNormalization", (0,), {}, (None, 4, 6), "bad_argument"),
    err("GroupNormalization-unknown-channels", "GroupNormalization", (2,), {}, (None, 4, None), "bad_input"),
    err("GroupNormalization-axis-out-of-range", "GroupNormalization", (2, 3), {}, (None, 4, 6), "bad_axis"),
    err("UnitNormalization-axis-out-of-range", "UnitNormalization", (3,), {}, (None, 4, 6), "bad_axis"),
    err("RMSNormalization-axis-out-of-range", "RMSNormalization", (-4,), {}, (None, 4, 6), "bad_axis"),
    err("SpectralNormalization-no-kernel", "SpectralNormalization", (Sub("LayerNormalization"),), {}, (None, 6), "bad_argument"),
    err("SpectralNormalization-separable", "SpectralNormalization", (Sub("SeparableConv2D", (4, 3)),), {}, (None, 6, 6, 3), "bad_argument"),
    err("SpectralNormalization-TimeDistributed", "SpectralNormalization", (Sub("TimeDistributed", (Sub("Dense", (4,)),)),), {}, (None, 3, 6), "bad_argument"),
    err("SpectralNormalization-LSTM", "SpectralNormalization", (Sub("LSTM", (4,)),), {}, (None, 5, 6), "bad_argument"),
    err("SpectralNormalization-zero-iterations", "SpectralNormalization", (Sub("Dense", (4,)), 0), {}, (None, 6), "bad_argument"),
    err("SpectralNormalization-inner-error", "SpectralNormalization", (Sub("Conv2D", (4, 5)),), {}, (None, 4, 4, 3), "nonpositive_dim"),
    # --- wrappers -------------------------------------------------------------------------
    err("TimeDistributed-GroupNormalization-groups", "TimeDistributed", (Sub("GroupNormalization", (4,)),), {}, (None, 3, 6), "bad_argument"),
    err("TimeDistributed-Dot", "TimeDistributed", (Sub("Dot", (1,)),), {}, (None, 3, 5, 6), "bad_input"),
    err("TimeDistributed-EinsumDense-mismatch", "TimeDistributed", (Sub("EinsumDense", ("abc,cd->abd", (5, 8))),), {}, (None, 3, 4, 6), "bad_argument"),
]

# (legacy class, legacy args, legacy kwargs, Keras 3 class, Keras 3 args, Keras 3 kwargs, input shape(s))
LEGACY_ROWS = [
    pytest.param("PReLU", (), {"init": "zero", "shared_axes": [1]},
                 "PReLU", (), {"alpha_initializer": "zeros", "shared_axes": [1]}, (None, 4, 5),
                 id="PReLU-keras1-init"),
    pytest.param("Attention", (), {"causal": True, "use_scale": True},
                 "Attention", (), {"use_scale": True}, [(None, 5, 6), (None, 5, 6)],
                 id="Attention-keras2-causal"),
    pytest.param("AdditiveAttention", (), {"causal": False},
                 "AdditiveAttention", (), {}, [(None, 5, 6), (None, 7, 6)],
                 id="AdditiveAttention-keras2-causal"),
]

ROWS += [
    row("Pipeline-augment-then-dense", "Pipeline", ([Sub("RandomFlip", ("horizontal",)), Sub("Rescaling", (0.5,))],), {}, (None, 8, 8, 3)),
    row("Pipeline-with-weights", "Pipeline", ([Sub("Dense", (4,)), Sub("BatchNormalization"), Sub("Dense", (2,))],), {}, (None, 6)),
]
