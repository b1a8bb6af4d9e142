"""AL5xx rules read from how the code is written, not from the model graph: an input shape
taken from a whole data array's ``.shape`` when that array is what the model is fed.

The reading of the source is ``written_shapes``'s; these rules only report what it finds.
"""

from __future__ import annotations

from ..diagnostics import Confidence, Severity
from .base import rule


@rule("AL506", "input-shape-with-samples", Severity.WARNING,
      "An input shape taken from the whole data array's `.shape`, which counts the samples too.")
def input_shape_with_samples(ctx):
    """What it does: finds `input_shape=X.shape` (or `keras.Input(shape=X.shape)`) where the
    same `X` is then given to `fit()`, `predict()` or `evaluate()` in the same function or
    module, with no new value assigned to `X` in between; or where the name says `X` is a
    data split (`X_train`, `x_test`, `val_data`), the code that feeds it aside.

    Why is this bad: an array's first axis counts the samples; Keras adds the batch axis to
    the input shape itself. The model then expects each sample to be the whole data set, one
    rank too many, and refuses `X`.

    Example:
        model.add(layers.Dense(7, input_shape=x.shape))
        model.fit(x, y)

    Use instead:
        model.add(layers.Dense(7, input_shape=x.shape[1:]))
        model.fit(x, y)
    """
    source = ctx.source
    if source is None:
        return
    from ..written_shapes import data_split_shapes, whole_array_shapes  # libcst: only once a file is analysed

    reported = set()
    for call, keyword, name, fed, method in whole_array_shapes(source):
        site, fed_at = source.locate(call), source.locate(fed)
        if site is None:
            continue
        reported.add(call)
        related = [(fed_at, f"`{name}` is given to {method}() here")] if fed_at is not None else []
        yield ctx.report("AL506", site, related=related, detail=(
            f"`{keyword}={name}.shape` counts the samples: `{name}` is the data given to {method}()"
            + (f" at line {fed_at.line}" if fed_at is not None else "")
            + f", so each sample is `{name}.shape[1:]`"))
    for call, keyword, name in data_split_shapes(source):
        site = source.locate(call)
        if site is not None and call not in reported:
            yield ctx.report("AL506", site, confidence=Confidence.INFERRED, detail=(
                f"`{keyword}={name}.shape` counts the samples: `{name}` is named as a data split, whose first "
                f"axis is the sample count, so each sample is `{name}.shape[1:]`"))
