"""Keras 2 module paths and keywords on Keras 3, for building the truth of older programs.

Programs written for Keras 2 import layers from modules Keras 3 no longer has
(``keras.layers.convolutional``, ``keras.engine.topology``, ``keras.utils.np_utils``) and
pass keywords it renamed (``Adam(lr=...)``). A case with ``compat = true`` runs with these
names aliased to their Keras 3 homes; nothing about a layer's shapes or weights changes.
Keras 1 argument spellings are not translated here.
"""

from __future__ import annotations

import sys
import types

LAYER_MODULES = (
    "convolutional", "convolutional_recurrent", "core", "pooling", "normalization", "merge", "recurrent",
    "embeddings", "advanced_activations", "wrappers", "noise", "local", "cudnn_recurrent",
)


def _alias(name: str, module) -> None:
    sys.modules.setdefault(name, module)


def _accepting_lr(optimizer_class):
    class Optimizer(optimizer_class):
        def __init__(self, *args, lr=None, decay=None, **kwargs):
            if lr is not None:
                kwargs.setdefault("learning_rate", lr)
            super().__init__(*args, **kwargs)

    Optimizer.__name__ = optimizer_class.__name__
    return Optimizer


def install(keras) -> None:
    for prefix in ("keras", "tensorflow.keras"):
        if prefix == "tensorflow.keras" and "tensorflow" not in sys.modules:
            continue
        layers = keras.layers
        for name in LAYER_MODULES:
            _alias(f"{prefix}.layers.{name}", layers)
        engine = types.ModuleType(f"{prefix}.engine")
        engine.Layer, engine.InputSpec, engine.Model, engine.Input = layers.Layer, layers.InputSpec, keras.Model, keras.Input
        engine.topology = engine.training = engine
        _alias(f"{prefix}.engine", engine)
        _alias(f"{prefix}.engine.topology", engine)
        _alias(f"{prefix}.engine.training", engine)
        _alias(f"{prefix}.utils.np_utils", keras.utils)
        _alias(f"{prefix}.utils.generic_utils", keras.utils)
    surfaces = [keras] + ([keras._tf_keras.keras] if hasattr(keras, "_tf_keras") else [])
    for surface in surfaces:
        if not hasattr(surface.backend, "image_dim_ordering"):
            surface.backend.image_dim_ordering = lambda: "tf"
        for name in ("SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam"):
            setattr(surface.optimizers, name, _accepting_lr(getattr(surface.optimizers, name)))
