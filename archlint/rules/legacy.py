"""AL401: Keras 1 and 2 spellings, computed with their old meaning and reported for Keras 3."""

from __future__ import annotations

from ..diagnostics import Severity
from ..layers.base import KERAS2_DEFAULT, LEGACY_FORMS, keras3_spelling, legacy_spelling
from ..diagnostics import Fix
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
        if not layer.legacy:
            continue
        olds, news, renames, values = [], [], [], []
        fixable = True
        for old in layer.legacy:
            if old in _MERGE_FUNCTIONS:
                olds.append(f"`{old}(...)`")
                news.append(_MERGE_FUNCTIONS[old])
                fixable = False
                continue
            new = keras3_spelling(type(layer.spec), old) if layer.spec is not None else None
            olds.append(legacy_spelling(old))
            news.append(f"`{new}`" if new else "nothing (drop it)")
            if old == "positional kernel size":
                continue
            if old.startswith(KERAS2_DEFAULT) or old in LEGACY_FORMS:
                fixable = False  # an argument to add or a value to rewrite, not a keyword to rename
                continue
            if new is None or new == "kernel_size":
                fixable = False  # no Keras 3 keyword, or rows and cols to fold into a tuple
            else:
                renames.append((old, new))
                if old == "dim_ordering" and isinstance(layer.config.get("data_format"), str):
                    values.append(("data_format", layer.config["data_format"]))
        rank = getattr(layer.spec, "rank", 0) if "positional kernel size" in layer.legacy else 0
        fix = Fix(layer.site.line, layer.site.col, renames=tuple(renames), values=tuple(values), kernel_rank=rank,
                  safe=fixable, description="use the Keras 3 spelling")
        yield ctx.report("AL401", layer.site, layer=layer.name, old=", ".join(olds), new=", ".join(news), fixes=[fix])
    for model in ctx.models:
        if model.legacy:
            renames = tuple((old, old + "s") for old in model.legacy)
            fix = Fix(model.site.line, model.site.col, renames=renames, description="use inputs=/outputs=")
            olds = ", ".join(f"`Model({old}=)`" for old in model.legacy)
            news = ", ".join(f"`{old}s=`" for old in model.legacy)
            yield ctx.report("AL401", model.site, layer=model.name, old=olds, new=news, fixes=[fix])
