"""The Keras layer catalog: one module per family, each layer one registered class.

To add a layer, write a ``LayerSpec`` subclass decorated with ``@register`` in its
family module (and give it a test row); ``lookup`` finds it by class name or alias.
Families load on demand, the everyday ones first: most model files never pay for the
recurrent, attention and preprocessing modules.
"""

from __future__ import annotations

_EVERYDAY_FAMILIES = (
    "core", "activations", "conv", "pooling", "normalization", "regularization", "reshaping",
    "merging", "wrappers",
)
_SPECIALISED_FAMILIES = ("rnn", "attention", "preprocessing", "image_preprocessing")
_loaded = {"everyday": False, "all": False}


def load_catalog(everyday_only: bool = False) -> None:
    """Import the family modules (their ``@register`` fills the registry)."""
    import importlib

    tiers = [("everyday", _EVERYDAY_FAMILIES)]
    if not everyday_only:
        tiers.append(("all", _SPECIALISED_FAMILIES))
    for tier, families in tiers:
        if not _loaded[tier]:
            _loaded[tier] = True
            for family in families:
                importlib.import_module(f"{__name__}.{family}")


from .base import LayerSpec, Weight, all_specs, bind, lookup  # noqa: E402

__all__ = ["LayerSpec", "Weight", "all_specs", "bind", "lookup", "load_catalog"]
