"""Keras 2 (``tf.keras`` before TensorFlow 2.16, ``tf_keras``) against Keras 3: the
constructor keywords one accepts and the other refuses, per layer class.

``base.bind`` reads these tables for the target version: on a Keras 2 target a Keras 2
keyword is accepted (and reported as AL401, with how to migrate) and a Keras 3 keyword
is refused (AL105); on a Keras 3 target the catalog's signatures already say both.
Defaults Keras 2 had for arguments Keras 3 requires live on each spec
(``LayerSpec.legacy_defaults``). Shape and weight rules are shared: measured on the
catalog rows both versions build, Keras 2 counts the same parameters.

Checked against real ``tf_keras`` by ``tests/test_keras2_table.py`` (the ``keras2``
extra). Class names are Keras's canonical ones; aliases resolve through the catalog.
"""

from __future__ import annotations

from typing import Dict, FrozenSet

# Accepted by every Keras 2 layer (the base Layer's own keyword), refused by Keras 3.
KERAS2_COMMON = frozenset({"dynamic"})

_RANDOM = frozenset({"force_generator", "rng_type"})  # Keras 2's random-generator knobs
_CONV_INTERNAL = frozenset({"conv_op"})
_IGNORED_KERNEL = frozenset({"kernel_initializer", "kernel_regularizer", "kernel_constraint", "groups"})
_TIME_MAJOR = frozenset({"time_major"})
_SPATIAL_DROPOUT = _RANDOM | {"noise_shape", "trainable"}
_RANDOM_IMAGE = frozenset({"rng_type"})

# Keras 2 keywords Keras 3 refuses, beyond KERAS2_COMMON (None in Keras 3: drop them).
KERAS2_ONLY: Dict[str, FrozenSet[str]] = {
    "AdditiveAttention": _RANDOM,
    "AlphaDropout": _RANDOM,
    "Attention": _RANDOM,
    "BatchNormalization": frozenset({"adjustment", "fused", "virtual_batch_size"}),
    "Conv1D": _CONV_INTERNAL,
    "Conv2D": _CONV_INTERNAL,
    "Conv3D": _CONV_INTERNAL,
    "Conv1DTranspose": _CONV_INTERNAL | {"groups"},
    "Conv2DTranspose": _CONV_INTERNAL | {"groups"},
    "Conv3DTranspose": _CONV_INTERNAL | {"groups"},
    "ConvLSTM1D": _TIME_MAJOR,
    "ConvLSTM2D": _TIME_MAJOR,
    "ConvLSTM3D": _TIME_MAJOR,
    "DepthwiseConv1D": _CONV_INTERNAL | _IGNORED_KERNEL,
    "DepthwiseConv2D": _CONV_INTERNAL | _IGNORED_KERNEL,
    "Discretization": frozenset({"trainable"}),
    "Dropout": _RANDOM,
    "Embedding": frozenset({"sparse"}),
    "GRU": _RANDOM | _TIME_MAJOR,
    "GRUCell": _RANDOM,
    "GaussianDropout": _RANDOM,
    "GaussianNoise": _RANDOM,
    "LSTM": _RANDOM | _TIME_MAJOR,
    "LSTMCell": _RANDOM,
    "MultiHeadAttention": frozenset({"softmax_robust_masking"}),
    "RNN": _TIME_MAJOR,
    "RandomBrightness": _RANDOM_IMAGE,
    "RandomContrast": _RANDOM_IMAGE,
    "RandomCrop": _RANDOM_IMAGE,
    "RandomFlip": _RANDOM_IMAGE,
    "RandomRotation": _RANDOM_IMAGE,
    "RandomTranslation": _RANDOM_IMAGE,
    "RandomZoom": _RANDOM_IMAGE,
    "SeparableConv1D": _CONV_INTERNAL | _IGNORED_KERNEL,
    "SeparableConv2D": _CONV_INTERNAL | _IGNORED_KERNEL,
    "SimpleRNN": _TIME_MAJOR,
    "SimpleRNNCell": _RANDOM,
    "Softmax": frozenset({"robust_masking"}),
    "SpatialDropout1D": _SPATIAL_DROPOUT,
    "SpatialDropout2D": _SPATIAL_DROPOUT,
    "SpatialDropout3D": _SPATIAL_DROPOUT,
}

_AUGMENTATION = frozenset({"bounding_box_format", "data_format"})
_LORA = frozenset({"lora_rank", "lora_alpha", "quantization_config"})

# Keras 3 keywords Keras 2 refuses: an error on a Keras 2 target.
KERAS3_ONLY: Dict[str, FrozenSet[str]] = {
    "AdditiveAttention": frozenset({"score_mode"}),
    "CenterCrop": _AUGMENTATION,
    "ConvLSTM1D": frozenset({"seed"}),
    "ConvLSTM2D": frozenset({"seed"}),
    "ConvLSTM3D": frozenset({"seed"}),
    "Dense": _LORA,
    "EinsumDense": _LORA | {"gptq_unpacked_column_size"},
    "Embedding": _LORA,
    "GRU": frozenset({"use_cudnn"}),
    "IntegerLookup": frozenset({"oov_method", "salt"}),
    "LSTM": frozenset({"use_cudnn"}),
    "LayerNormalization": frozenset({"rms_scaling"}),
    "LeakyReLU": frozenset({"negative_slope"}),
    "MultiHeadAttention": frozenset({"flash_attention", "seed", "sliding_window", "use_gate"}),
    "RandomBrightness": _AUGMENTATION,
    "RandomContrast": _AUGMENTATION | {"value_range"},
    "RandomCrop": _AUGMENTATION,
    "RandomFlip": _AUGMENTATION,
    "RandomRotation": _AUGMENTATION,
    "RandomTranslation": _AUGMENTATION,
    "RandomZoom": _AUGMENTATION,
    "Resizing": _AUGMENTATION | {"antialias", "fill_mode", "fill_value", "pad_to_aspect_ratio"},
    "SimpleRNN": frozenset({"seed"}),
    "StringLookup": frozenset({"salt"}),
    "ZeroPadding1D": frozenset({"data_format"}),
}


def keras2_only(layer: str, keyword: str) -> bool:
    """Whether Keras 2 accepts ``keyword`` for ``layer`` where Keras 3 refuses it."""
    return keyword in KERAS2_COMMON or keyword in KERAS2_ONLY.get(layer, frozenset())


def keras3_only(layer: str, keyword: str) -> bool:
    """Whether ``keyword`` is new in Keras 3 for ``layer``: Keras 2 refuses it."""
    return keyword in KERAS3_ONLY.get(layer, frozenset())
