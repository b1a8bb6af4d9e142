"""AL105, AL107, AL108: calls Keras refuses whatever the shapes, found from the arguments
and the model's own bookkeeping."""

from __future__ import annotations

from ..diagnostics import Severity
from ..graph import PLACEHOLDER
from .base import rule



@rule("AL105", "unknown-argument", Severity.ERROR,
      "A keyword the layer or Input does not accept, an argument given twice, or one missing.")
def unknown_argument(ctx):
    """What it does: checks every layer and `keras.Input` call against the Keras 3
    signature: unknown keywords (usually typos), arguments given both by position and by
    keyword, too many positional arguments, and required ones left out. Also a layer's
    keyword given to `Sequential.add()` instead (`model.add(Conv2D(...), input_shape=...)`). Keras 1 and 2
    spellings (`border_mode=`, `nb_filter=`, ...) are AL401's business, not this rule's.

    Why is this bad: Keras raises a TypeError when the layer is created, and a typo such as
    `activaton="relu"` hides the setting the author meant.

    Example:
        layers.Dense(64, activaton="relu")

    Use instead:
        layers.Dense(64, activation="relu")
    """
    for layer in ctx.layers:
        if ctx.refused(layer):
            for _, text in layer.problems:
                yield ctx.report("AL105", layer.site, detail=text)
    for model in ctx.all_models():
        for site, text in getattr(model, "method_problems", ()):
            yield ctx.report("AL105", site, detail=text)


@rule("AL107", "duplicate-layer-name", Severity.ERROR, "Two layers of one model share a name.")
def duplicate_layer_name(ctx):
    """What it does: finds two layers (or inputs) of the same model with the same `name=`.

    Why is this bad: Keras raises "The name ... is used 2 times in the model" when the model
    is built, and names are how weights are saved and loaded. It usually comes from a block
    helper called twice with the same name prefix.

    Example:
        x = layers.Conv2D(64, 3, name="conv")(x)
        x = layers.Conv2D(64, 3, name="conv")(x)

    Use instead:
        x = layers.Conv2D(64, 3, name="conv1")(x)
        x = layers.Conv2D(64, 3, name="conv2")(x)
    """
    for model in ctx.all_models():
        seen = {}
        for layer in model.operations:
            if (layer.spec is None and layer.name == PLACEHOLDER) or not layer.name_known:
                continue  # a value the analysis lost, or a name it did not follow: not known
            if seen.setdefault(layer.name, layer) is not layer:
                yield ctx.report("AL107", layer.site, name=layer.name, model=model.name)


@rule("AL108", "misused-input", Severity.ERROR,
      "`Input` given loose numbers instead of a shape tuple, or model outputs not computed from its inputs.")
def misused_input(ctx):
    """What it does: finds `keras.Input(256, 256, 1)` and `Input(shape=256)`, where the
    shape is not a tuple, and functional models whose outputs are not computed from the
    inputs they were given.

    Why is this bad: `Input(256, 256, 1)` passes 256 as the shape, 256 as the batch size and
    1 as the dtype; Keras raises "Cannot convert '256' to a shape". A model whose outputs
    do not come from its inputs makes Keras raise a "graph disconnected" error.

    Example:
        inputs = keras.Input(256, 256, 1)

    Use instead:
        inputs = keras.Input(shape=(256, 256, 1))
    """
    for node in ctx.nodes():
        if node.problem is not None and node.problem.kind == "misused_input":
            yield ctx.report("AL108", node.site, detail=node.problem.message)
    for model in ctx.all_models():
        error = model.graph_error
        if error is not None and error.kind == "disconnected":
            yield ctx.report("AL108", model.site, detail=f"model {model.name}: {error}")
