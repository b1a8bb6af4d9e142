"""The Keras layer catalog: one module per family, each layer one registered class.

To add a layer, write a ``LayerSpec`` subclass decorated with ``@register`` in its
family module (and give it a test row); ``lookup`` finds it by class name or alias.
"""

from __future__ import annotations

_FAMILIES = (
    "core", "activations", "conv", "pooling", "normalization", "regularization", "reshaping",
    "merging", "wrappers", "rnn", "attention", "preprocessing", "image_preprocessing",
)
_loaded = False


def load_catalog() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for family in _FAMILIES:
        importlib.import_module(f"{__name__}.{family}")


from .base import LayerSpec, Weight, all_specs, bind, lookup  # noqa: E402

__all__ = ["LayerSpec", "Weight", "all_specs", "bind", "lookup", "load_catalog"]
