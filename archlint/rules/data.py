"""AL5xx rules about the data given to fit(), predict() and evaluate(), where its shape is
known: against the input the model declares (AL505), the labels against the output (AL507),
image pixels left at 0 .. 255 (AL508). What the data holds beyond its shape and the pixel
marker of a Keras dataset is never known, so nothing here rests on values.
"""

from __future__ import annotations

from ..diagnostics import Severity
from .base import rule
from .training import (
    BINARY_LOSSES, CATEGORICAL_LOSSES, HEAD_TAIL, SPARSE_LOSSES, first_dense_on_a_map, is_one, loss_of,
)


def _sample_axis_calls(ctx) -> set:
    """The data calls AL506 explains (the input shape counts the samples): the other data
    rules leave them to it."""
    if ctx.source is None or not any(model.data_calls or model.fits for model in ctx.models):
        return set()  # no data given to any model: nothing to explain
    from ..written_shapes import whole_array_shapes  # libcst: only once a file is analysed

    return {ctx.source.locate(fed) for *_, fed, _ in whole_array_shapes(ctx.source)}


def _mismatch(data, declared) -> bool:
    """Whether data of shape ``data`` cannot be what an input of batch shape ``declared`` takes."""
    if declared is None:
        return False
    if len(data) == 1 and len(declared) == 2 and is_one(declared[1]):
        return False  # Keras expands one-dimensional data to (n, 1)
    if len(data) != len(declared):
        return True
    return any(isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(data[1:], declared[1:]))


@rule("AL505", "data-shape-mismatch", Severity.WARNING,
      "fit(), predict() or evaluate() given an array whose shape the model's declared input does not take.")
def data_shape_mismatch(ctx):
    """What it does: compares the arrays given to `fit()`, `predict()` or `evaluate()`, where
    their shape is known (a Keras dataset, a literal numpy array, a reshape of one), with the
    input shape the model declared: a different rank, or a different size on an axis both
    know. Reported on the call.

    Why is this bad: Keras refuses the data, or (for some layers) broadcasts it into a model
    that computes something else than intended. The usual causes: a missing channel axis on
    grayscale images, a sample axis left in `input_shape`, a single sample not batched.

    Example:
        model = keras.Sequential([keras.Input((28, 28, 1)), ...])
        model.fit(x_train, y_train)   # x_train: (60000, 28, 28)

    Use instead:
        model.fit(x_train.reshape(-1, 28, 28, 1), y_train)
    """
    explained = _sample_axis_calls(ctx)
    for model in ctx.models:
        for call in model.data_calls:
            data, declared = call.shape, call.declared
            if _mismatch(data, declared) and call.site not in explained:
                related = [(call.declared_at, f"the input shape {declared} is declared here")] if call.declared_at else []
                if call.source_at is not None:
                    related.append((call.source_at, f"the images come from here ({call.images})"))
                yield ctx.report("AL505", call.site, related=related, detail=(
                    f"model {model.name}: {call.method}() gets data of shape {data}"
                    + (f" ({call.images})" if call.images else "") + f", but the model's input is {declared}"
                    + (" (a different rank)" if len(data) != len(declared) else "")))


def _labels_misfit(labels, output) -> bool:
    """Whether labels of batch shape ``labels`` cannot be compared with an output of batch
    shape ``output`` the way Keras's losses compare them (a trailing axis of 1 on either
    side is squeezed or added first; a size both know must be equal)."""
    labels, output = list(labels[1:]), list(output[1:])
    if len(labels) == len(output) + 1 and is_one(labels[-1]):
        labels = labels[:-1]
    elif len(output) == len(labels) + 1 and is_one(output[-1]):
        output = output[:-1]
    if len(labels) != len(output):
        return True
    return any(isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(labels, output))


@rule("AL507", "labels-shape-mismatch", Severity.WARNING,
      "fit() given labels whose shape the model's output cannot match.")
def labels_shape_mismatch(ctx):
    """What it does: compares the labels given to `fit()`, where their shape is known, with
    the model's output shape under a loss that compares them value by value (not a sparse
    loss, which AL504 checks): a different rank, or a different size on an axis both know,
    after the trailing axis of 1 Keras squeezes or adds. Reported on the `fit()` call, the
    output layer a related location.

    Why is this bad: the loss broadcasts the two against each other, so the model trains on
    every label paired with every output step (a sequence output where one value per sample
    was meant), or Keras raises on the shapes.

    Example:
        model.add(layers.LSTM(64, return_sequences=True))   # output (None, 45, 1)
        model.add(layers.Dense(1))
        model.fit(x, y)                                     # y: (118, 1)

    Use instead:
        model.add(layers.LSTM(64))                          # output (None, 1)
        model.add(layers.Dense(1))
        model.fit(x, y)
    """
    explained = _sample_axis_calls(ctx)
    for model in ctx.models:
        if len(model.outputs) != 1 or model.outputs[0].shape is None:
            continue
        output = tuple(model.outputs[0].shape)
        for fit in model.fits:
            if not fit.compiled or not fit.shape or fit.site in explained:
                continue
            loss = loss_of(model.compiles[fit.compiled - 1][1])[0]
            if loss is None or loss in SPARSE_LOSSES or loss in BINARY_LOSSES | CATEGORICAL_LOSSES and _one_label_for_many(fit.shape, output):
                continue  # AL504's cases
            if loss in BINARY_LOSSES | CATEGORICAL_LOSSES and len(output) >= 3 and first_dense_on_a_map(model.outputs[0]):
                continue  # AL503 says why: the classifier head keeps the spatial axes
            if _labels_misfit(fit.shape, output):
                related = []
                layer = model.outputs[0].node.layer if model.outputs[0].node is not None else None
                if layer is not None and layer.site.line:
                    related.append((layer.site, f"{layer.name} gives the output {output}"))
                origin = _head_input(model.outputs[0]) if len(output) > len(fit.shape) else None
                if origin is not None and origin is not layer and origin.site.line:
                    related.append((origin.site, f"{origin.name} gives the head its shape"))
                yield ctx.report("AL507", fit.site, related=related, detail=(
                    f"model {model.name}: fit() gets labels of shape {tuple(fit.shape)}, but the model's output is "
                    f"{output}; {loss} would pair them by broadcasting"))


def _one_label_for_many(labels, output) -> bool:
    return (len(labels) == 1 or is_one(labels[-1])) and isinstance(output[-1], int) and output[-1] > 1


def _head_input(tensor):
    """The layer below the Dense head (and the weightless layers around it) that ends at
    ``tensor``: where the output's extra axes come from."""
    node = tensor.node
    while node is not None and len(node.input_tensors) == 1 and node.layer.keras_class in HEAD_TAIL | {"Dense"}:
        node = node.input_tensors[0].node
    return node.layer if node is not None and node.layer.keras_class != "InputLayer" else None


# Layers that scale or standardize what the model is given, at its start.
_SCALING = {"Rescaling", "Normalization", "BatchNormalization", "LayerNormalization", "Lambda"}


def _scales_its_input(ctx, model) -> bool:
    """Whether the model's first layers (past reshaping and augmentation) scale the input;
    True when that is not known."""
    if not model.inputs:
        return True
    frontier = [model.inputs[0]]
    for _ in range(8):  # a few layers deep: reshaping and augmentation come first
        consumers = ctx.consumers(frontier[0])
        if len(consumers) != 1:
            return True  # not known: say nothing
        layer = consumers[0].layer
        if layer.keras_class in _SCALING or layer.spec is None:
            return True
        if not (layer.keras_class.startswith(("Random", "Reshape", "Flatten", "Permute", "Cropping", "ZeroPadding"))
                or layer.keras_class in ("InputLayer", "Resizing", "CenterCrop")):
            return False
        frontier = consumers[0].outputs
    return True


@rule("AL508", "unscaled-pixels", Severity.WARNING,
      "Images from a Keras dataset given to fit() with pixels still 0 .. 255, and no scaling layer in the model.")
def unscaled_pixels(ctx):
    """What it does: follows the images of a Keras dataset (`mnist`, `cifar10`, ...), stored
    as 0 .. 255 integers, to `fit()`, `predict()` or `evaluate()`: when no arithmetic changed
    their values on the way (`x / 255`, `x - mean`; `astype` and reshaping keep them) and
    the model does not start with a `Rescaling`, `Normalization` or normalization layer.

    Why is this bad: weights initialized for inputs around 0 .. 1 see values up to 255;
    training is slow, unstable, or stalls at chance accuracy.

    Example:
        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        model.fit(x_train.astype("float32"), y_train)

    Use instead:
        model.fit(x_train.astype("float32") / 255, y_train)   # or a layers.Rescaling(1 / 255)
    """
    for model in ctx.models:
        calls = [call for call in model.data_calls if call.pixels]
        if calls and not _scales_its_input(ctx, model):
            for call in calls:
                yield ctx.report("AL508", call.site, detail=(
                    f"model {model.name}: {call.method}() gets dataset images with pixels 0 .. 255 and the model does "
                    f"not scale them: divide by 255, or start the model with layers.Rescaling(1 / 255)"))
