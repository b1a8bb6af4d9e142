"""AL5xx training configuration: the output layer, the loss given to compile() and the labels'
encoding disagree (AL501-AL504). The data given to fit() is data.py's business."""

from __future__ import annotations

from ..diagnostics import Severity
from .base import rule

_ACTIVATION_NAMES = {"softmax", "sigmoid", "relu", "tanh", "linear", "elu", "selu", "softplus", "swish", "gelu"}


def activation_name(value):
    """``"softmax"`` for ``"softmax"``, ``tf.nn.softmax``, ``keras.activations.softmax``; else
    the string itself, ``"linear"`` for None, or None when it is not known by name."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value
    path = getattr(value, "path", "")
    last = path.rsplit(".", 1)[-1] if isinstance(path, str) else ""
    return last if last in _ACTIVATION_NAMES else None

BINARY_LOSSES = {"binary_crossentropy", "BinaryCrossentropy", "binary_focal_crossentropy", "BinaryFocalCrossentropy"}
CATEGORICAL_LOSSES = {
    "categorical_crossentropy", "CategoricalCrossentropy", "sparse_categorical_crossentropy",
    "SparseCategoricalCrossentropy", "categorical_focal_crossentropy", "CategoricalFocalCrossentropy",
}
_PROBABILITY_ACTIVATIONS = {"softmax", "sigmoid"}


def _output_activation(tensor):
    """The activation that produces ``tensor``: a name, "linear", or ``None`` if unclear."""
    return _layer_activation(tensor.node.layer)


def _layer_activation(layer):
    """The activation ``layer`` applies last: a name, "linear", or ``None`` if unclear."""
    if layer.keras_class == "Softmax":
        return "softmax"
    if layer.keras_class in ("Activation", "Dense", "Conv1D", "Conv2D", "Conv3D"):
        return activation_name(layer.config.get("activation"))
    return None


def is_one(size) -> bool:
    """A size known to be 1 (a symbolic size decides nothing)."""
    return isinstance(size, int) and not isinstance(size, bool) and size == 1


def loss_of(compile_args):
    """(name, from_logits) of a single loss given as a string or a keras.losses object."""
    loss = compile_args.get("loss")
    if isinstance(loss, str):
        return loss, False
    if getattr(loss, "kind", None) == "losses":
        from_logits = loss.kwargs.get("from_logits", False)
        return loss.name, from_logits if isinstance(from_logits, bool) else None
    return None, None


@rule("AL501", "activation-loss-mismatch", Severity.WARNING,
      "The output activation and the loss given to compile() do not fit together.")
def activation_loss_mismatch(ctx):
    """What it does: compares a single-output model's final activation with the loss passed
    to `compile()`: softmax with binary cross-entropy over more than two units, sigmoid
    with categorical cross-entropy, `from_logits=True` on an output that already applies
    softmax or sigmoid, and a linear output with a cross-entropy that expects
    probabilities.

    Why is this bad: the model trains, but on the wrong objective: the loss either
    double-applies the activation, or treats logits as probabilities, and accuracy
    plateaus for no visible reason.

    Example:
        outputs = layers.Dense(10, activation="softmax")(x)
        model.compile(loss="binary_crossentropy", optimizer="adam")

    Use instead:
        model.compile(loss="categorical_crossentropy", optimizer="adam")
    """
    for model in ctx.models:
        output = _output_facts(model)
        if output is None:
            continue
        for compile_site, compile_args in model.compiles:
            yield from _activation_loss(ctx, model, output, compile_site, compile_args)


def _output_facts(model):
    """(layer, activation, units) of a single-output model's output; for a Sequential not
    built yet (no input shape anywhere), read from the arguments of its last layers."""
    if len(model.outputs) == 1:
        shape = model.outputs[0].shape
        return model.outputs[0].node.layer, _output_activation(model.outputs[0]), shape[-1] if shape else None
    if model.outputs or model.kind != "Sequential":
        return None
    stack = [layer for layer in getattr(model, "_seq", ()) if layer.keras_class != "InputLayer"]
    if not stack:
        return None
    units = None
    for layer in reversed(stack):
        if layer.keras_class == "Dense":
            units = layer.config.get("units")
            break
        if layer.keras_class not in ("Activation", "Softmax", "Dropout"):
            break
    known = isinstance(units, int) and not isinstance(units, bool)
    return stack[-1], _layer_activation(stack[-1]), units if known else None


def _activation_loss(ctx, model, output, compile_site, compile_args):
    """AL501 for one compile() call: reported on the output layer, the call a related location."""
    loss, from_logits = loss_of(compile_args)
    layer, activation, units = output
    if loss is None or activation is None:
        return
    problem = None
    if loss in BINARY_LOSSES and activation == "softmax" and isinstance(units, int) and units > 2:
        problem = f"softmax over {units} units with {loss}: use categorical_crossentropy, or sigmoid for multi-label outputs"
    elif loss in CATEGORICAL_LOSSES and activation == "sigmoid" and isinstance(units, int) and units > 1:
        problem = f"sigmoid output with {loss}: use softmax for mutually exclusive classes"
    elif from_logits is True and activation in _PROBABILITY_ACTIVATIONS:
        problem = f"{loss}(from_logits=True) on an output that already applies {activation}"
    elif from_logits is False and activation == "linear" and (loss in BINARY_LOSSES or loss in CATEGORICAL_LOSSES):
        problem = f"{loss} expects probabilities but the output has no activation: pass from_logits=True"
    if problem:
        site = layer.site if layer.site.line else model.site
        yield ctx.report("AL501", site, detail=f"model {model.name}: {problem}",
                         related=[(compile_site, f"model {model.name} is compiled here")])


@rule("AL502", "single-unit-softmax", Severity.WARNING, "A softmax over a single unit, which always outputs 1.")
def single_unit_softmax(ctx):
    """What it does: finds `Dense(1, activation="softmax")` and softmax activations applied
    to a last axis of size 1.

    Why is this bad: softmax normalizes over the last axis; over one value it is always
    1.0, so the model predicts the same thing for every input and its loss never moves.

    Example:
        outputs = layers.Dense(1, activation="softmax")(x)

    Use instead:
        outputs = layers.Dense(1, activation="sigmoid")(x)
    """
    for node in ctx.nodes():
        layer = node.layer
        is_softmax = layer.keras_class == "Softmax" or (
            layer.keras_class in ("Dense", "Activation") and activation_name(layer.config.get("activation")) == "softmax"
        )
        if not is_softmax or layer.keras_class == "Softmax" and layer.config.get("axis", -1) != -1:
            continue
        shape = node.outputs[0].shape if node.outputs else None
        width = shape[-1] if shape else layer.config.get("units") if layer.keras_class == "Dense" else None
        if isinstance(width, int) and width == 1:  # a Dense layer's own units decide, whatever its input
            yield ctx.report("AL502", node.site, layer=layer.name)


# Layers a classifier head may end with after its Dense, without changing the rank.
HEAD_TAIL = {"Activation", "Softmax", "Dropout", "ReLU", "LeakyReLU"}
# Layers that make a rank-3 feature map of positions (Conv1D and its pooling): a Dense after
# them acts on each position.
_SPATIAL = {"Conv1D", "SeparableConv1D", "DepthwiseConv1D", "MaxPooling1D", "AveragePooling1D", "UpSampling1D",
            "ZeroPadding1D", "Cropping1D", "BatchNormalization", "SpatialDropout1D"}


def first_dense_on_a_map(tensor):
    """The first Dense of the head that ends at ``tensor``, when that head reads a tensor of
    rank 3 or more made by convolutions or pooling, or a square image input such as
    (28, 28) (not a sequence from a recurrent layer or an embedding, where a Dense per step
    may be the point)."""
    node, first_dense = tensor.node, None
    while len(node.input_tensors) == 1 and node.layer.keras_class in HEAD_TAIL | {"Dense"}:
        if node.layer.keras_class == "Dense":
            first_dense = node
        below = node.input_tensors[0]
        if below.shape is None or len(below.shape) < 3:
            return None
        node = below.node
    if first_dense is None:
        return None
    shape = first_dense.input_tensors[0].shape
    rank, maker = len(shape), node.layer.keras_class
    if maker == "InputLayer" and rank == 3 and isinstance(shape[1], int) and shape[1] == shape[2] and shape[1] >= 8:
        return first_dense  # a square grayscale image, (28, 28), fed to Dense layers unflattened
    return first_dense if rank >= 4 or maker in _SPATIAL else None


@rule("AL503", "unflattened-classifier", Severity.WARNING,
      "A classifier's Dense head reads a feature map without Flatten or global pooling, so the output keeps its spatial axes.")
def unflattened_classifier(ctx):
    """What it does: finds a model compiled with a classification loss whose output still has
    spatial axes because its Dense head was applied to a convolution's feature map (a Dense
    layer acts on the last axis only). Reported on the first Dense of the head.

    Why is this bad: the model predicts one class vector per position, `(None, 26, 26, 10)`,
    while the labels have one per image, `(None, 10)`: `fit()` fails on the shapes, or worse,
    broadcasts them. A Flatten or a global pooling layer was forgotten before the head.

    Example:
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        outputs = layers.Dense(10, activation="softmax")(x)
        model.compile(loss="categorical_crossentropy", optimizer="adam")

    Use instead:
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)  # or layers.Flatten()
        outputs = layers.Dense(10, activation="softmax")(x)
    """
    for model in ctx.models:
        if len(model.outputs) != 1 or not model.compiles:
            continue
        shape = model.outputs[0].shape
        if shape is None or len(shape) < 3:
            continue
        classifying = [site for site, args in model.compiles if loss_of(args)[0] in BINARY_LOSSES | CATEGORICAL_LOSSES]
        head = first_dense_on_a_map(model.outputs[0]) if classifying else None
        if head is not None:
            related = [(classifying[0], f"model {model.name} is compiled here")]
            output = model.outputs[0].node.layer if model.outputs[0].node is not None else None
            if output is not None and output is not head.layer and output.site.line:
                related.append((output.site, f"{output.name} gives the output {tuple(shape)}"))
            yield ctx.report("AL503", head.site, detail=(
                f"model {model.name}: {head.layer.name} (Dense) reads {tuple(head.input_tensors[0].shape)} and the "
                f"output keeps its spatial axes, {tuple(shape)}, under a classification loss; put a Flatten or "
                f"global pooling layer before it"), related=related)


SPARSE_LOSSES = {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}
_ONE_HOT = {"categorical_crossentropy", "CategoricalCrossentropy", "categorical_focal_crossentropy",
            "CategoricalFocalCrossentropy"}


@rule("AL504", "labels-loss-mismatch", Severity.WARNING,
      "fit() labels whose encoding the loss does not take: one-hot labels with a sparse loss, or class numbers with categorical cross-entropy.")
def labels_loss_mismatch(ctx):
    """What it does: compares the labels given to `fit()`, where their shape is known (a
    Keras dataset, `to_categorical`, a literal array, the `class_mode` of
    `flow_from_directory` or the `label_mode` of `image_dataset_from_directory`), with the
    loss of the `compile()` in force: one-hot labels `(n, classes)` with
    `sparse_categorical_crossentropy`, class numbers `(n,)` with `categorical_crossentropy`
    on an output of several classes, one 0/1 label per sample with `binary_crossentropy`
    on an output of several units, or one-hot labels (`to_categorical`,
    `class_mode="categorical"`) for a sigmoid output with `binary_crossentropy`, which
    treats the classes as independent yes/no questions. Reported on the `fit()` call; the `compile()` and the
    batch source are related locations.

    Why is this bad: the sparse losses take one class number per sample, the categorical
    ones a one-hot vector; given the other encoding, training fails on the shapes or learns
    from labels read the wrong way. Binary cross-entropy compares every output unit with
    the one label, so a two- or three-unit output learns the same thing in each unit.

    Example:
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(x_train, keras.utils.to_categorical(y_train, 10))

    Use instead:
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(x_train, keras.utils.to_categorical(y_train, 10))
    """
    for model in ctx.models:
        if len(model.outputs) != 1:
            continue
        output = model.outputs[0].shape
        for fit in model.fits:
            labels, origin, one_hot = fit.shape, fit.origin, fit.one_hot
            if not fit.compiled or not labels:
                continue
            compile_site, compile_args = model.compiles[fit.compiled - 1]
            loss = loss_of(compile_args)[0]
            width = labels[-1] if len(labels) >= 2 else 1
            if one_hot is None:
                one_hot = len(labels) == 2 and isinstance(width, int) and width > 1
            said = f"labels of shape {tuple(labels)}" + (f" (from {origin})" if origin else "")
            units = output[-1] if output is not None and isinstance(output[-1], int) else None
            problem = None
            if loss in SPARSE_LOSSES and one_hot:
                problem = (f"{said} are one-hot, but {loss} takes class numbers: use categorical_crossentropy, "
                           + ("or class_mode='sparse'" if origin.startswith("class_mode") else
                              "or label_mode='int'" if origin.startswith("label_mode") else
                              "or give the labels before to_categorical"))
            elif loss in _ONE_HOT and not one_hot and (len(labels) == 1 or is_one(width)) and units is not None and units > 1:
                problem = (f"{said} are class numbers, but {loss} takes one-hot vectors of {units}: use "
                           f"sparse_categorical_crossentropy, or " + (
                               "class_mode='categorical'" if origin.startswith("class_mode") else
                               "label_mode='categorical'" if origin.startswith("label_mode") else "keras.utils.to_categorical"))
            elif loss in BINARY_LOSSES and fit.one_hot and units is not None and units > 1 and \
                    _output_activation(model.outputs[0]) == "sigmoid":
                problem = (f"{said} are one-hot, one class per sample, but sigmoid with {loss} treats each of the "
                           f"{units} units as a yes/no of its own: use softmax with categorical_crossentropy")
            elif loss in BINARY_LOSSES and not one_hot and (len(labels) == 1 or is_one(width)) and units is not None and units > 1:
                problem = (f"{said} hold one 0/1 value per sample, but the output has {units} units: {loss} compares "
                           f"every unit with that one label; use one sigmoid unit for two classes, or "
                           f"categorical_crossentropy with one-hot labels for {units}")
            if problem:
                related = [(compile_site, "the loss is set here")]
                if fit.source_at is not None:
                    related.append((fit.source_at, f"the labels come from here ({origin})"))
                yield ctx.report("AL504", fit.site, detail=f"model {model.name}: {problem}", related=related)
