"""AL105, AL107, AL108, AL110: calls Keras refuses whatever the shapes, found from the arguments
and the model's own bookkeeping."""

from __future__ import annotations

from ..diagnostics import Severity
from ..graph import PLACEHOLDER
from ..layers.base import REFUSED_CALLS
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
        for kind, text in layer.problems:
            if kind in REFUSED_CALLS:
                yield ctx.report("AL105", layer.site, detail=text)
    for model in ctx.all_models():
        for site, text in getattr(model, "method_problems", ()):
            yield ctx.report("AL105", site, detail=text)


@rule("AL110", "invalid-argument-value", Severity.ERROR,
      "An argument value Keras refuses when the layer is created: a size of zero or less, a wrong type, an unknown name.")
def invalid_argument_value(ctx):
    """What it does: checks the values given to a layer's constructor the way Keras 3 does
    when it creates the layer: `units`, `filters`, `num_heads` and the like must be
    positive integers; `kernel_size`, `strides`, `dilation_rate`, `pool_size` and `size`
    an integer or a tuple of the layer's rank, each above zero; `padding`, `data_format`
    and `activation` one of the names Keras knows; a dropout `rate` between 0 and 1.
    Only values known statically are judged.

    Why is this bad: Keras raises a ValueError (or a TypeError) on that line, before the
    model exists. A `Dense(0)` or `strides=0` is usually a size computed from a variable that
    came out as zero, a tuple where a number belongs is usually a shape passed to the
    wrong argument.

    Example:
        layers.Conv2D((32, 32), 3)       # a shape where the number of filters belongs
        layers.Dense(4, activation="Relu")

    Use instead:
        layers.Conv2D(32, 3)
        layers.Dense(4, activation="relu")
    """
    for layer in ctx.layers:
        for kind, text in layer.problems:
            if kind == "bad_value":
                yield ctx.report("AL110", layer.site, detail=text)
    for node in ctx.nodes():  # values Keras refuses only once it sees the input (a stride of 0 in pooling)
        if node.problem is not None and node.problem.kind == "bad_argument":
            yield ctx.report("AL110", node.site, detail=f"{node.layer.name}: {node.problem.message}")


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
