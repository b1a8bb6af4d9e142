"""AL401: Keras 1 and 2 spellings, computed with their old meaning and reported for Keras 3."""

from __future__ import annotations

from ..diagnostics import Severity
from ..layers.base import keras3_spelling
from .base import rule

_MERGE_FUNCTIONS = {"merge": "the layer of its mode (Add, Concatenate, ...)", "Merge": "the layer of its mode"}


@rule("AL401", "legacy-api", Severity.WARNING, "A Keras 1 or 2 argument, call form or function that Keras 3 rejects.")
def legacy_api(ctx):
    """What it does: finds Keras 1 and 2 spellings: `Convolution2D(32, 5, 5)`,
    `border_mode=`, `nb_filter=`, `subsample=`, `init=`, `W_regularizer=`, `output_dim=`,
    `dim_ordering=`, `merge(mode=...)` and `Model(input=, output=)`. archlint computes
    them with their old meaning so the summary is right; Keras 3 raises on all of them.

    Why is this bad: the code only runs on an old Keras (and TensorFlow 1), and tutorials
    copied from 2016 keep spreading these spellings.

    Example:
        model.add(Convolution2D(32, 5, 5, border_mode="same", init="he_normal"))

    Use instead:
        model.add(Conv2D(32, (5, 5), padding="same", kernel_initializer="he_normal"))
    """
    for layer in ctx.layers:
        for old in layer.legacy:
            if old in _MERGE_FUNCTIONS:
                yield ctx.report("AL401", layer.site, layer=layer.name, old=f"`{old}(...)`", new=_MERGE_FUNCTIONS[old])
                continue
            new = keras3_spelling(type(layer.spec), old) if layer.spec is not None else None
            shown = old if old == "positional kernel size" else f"`{old}=`"
            yield ctx.report("AL401", layer.site, layer=layer.name, old=shown,
                             new=f"`{new}`" if new else "nothing (drop it)")
    for model in ctx.models:
        for old in getattr(model, "legacy", ()):
            yield ctx.report("AL401", model.site, layer=model.name, old=f"`Model({old}=)`", new=f"`{old}s=`")
