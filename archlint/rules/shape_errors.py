"""AL1xx shape errors found by the catalog: layers Keras would refuse to build.

The catalog records a ``ShapeError`` on the node; these rules only report it. They
fire only on facts computed from known dims, so code that runs is never flagged.
"""

from __future__ import annotations

from ..diagnostics import Severity
from ..layers.groups import ELEMENTWISE_MERGES as _MERGES
from .base import rule


def _problems(ctx, kinds):
    for node in ctx.nodes():
        if node.problem is not None and node.problem.kind in kinds:
            yield node


@rule("AL101", "nonpositive-dimension", Severity.ERROR,
      "A kernel, pool or stride larger than its input makes an output dimension zero or negative.")
def nonpositive_dimension(ctx):
    """What it does: finds convolutions, poolings and croppings whose output would have a
    dimension of zero or less for the input they get.

    Why is this bad: Keras raises when the model is built (or, for some layers, silently
    produces an empty tensor that fails later, far from the cause).

    Example:
        x = keras.Input((4, 4, 16))
        x = layers.Conv2D(32, 5)(x)  # a 5x5 kernel on a 4x4 map

    Use instead:
        x = layers.Conv2D(32, 5, padding="same")(x)  # or a smaller kernel, or fewer poolings
    """
    for node in _problems(ctx, ("nonpositive_dim",)):
        yield ctx.report("AL101", node.site, layer=node.layer.name, cls=node.layer.class_name, detail=node.problem.message)


@rule("AL102", "merge-shape-mismatch", Severity.ERROR,
      "Add, Subtract, Multiply, Average, Maximum or Minimum inputs whose shapes differ.")
def merge_shape_mismatch(ctx):
    """What it does: finds element-wise merges (and `x + y` on tensors) whose inputs have
    shapes that do not match or broadcast.

    Why is this bad: Keras raises a ValueError when the model is built. The usual cause is a
    residual connection whose branch changed the channel count or the spatial size.

    Example:
        y = layers.Conv2D(128, 3, strides=2, padding="same")(x)  # x: (None, 32, 32, 64)
        out = layers.Add()([x, y])

    Use instead:
        shortcut = layers.Conv2D(128, 1, strides=2)(x)  # project the shortcut
        out = layers.Add()([shortcut, y])
    """
    for node in _problems(ctx, ("merge_mismatch",)):
        if node.layer.keras_class in _MERGES or node.layer.operation:
            yield ctx.report("AL102", node.site, layer=node.layer.name, detail=node.problem.message)


@rule("AL103", "inconsistent-concatenation", Severity.ERROR,
      "Concatenate inputs differ on a dimension other than the concatenation axis.")
def inconsistent_concatenation(ctx):
    """What it does: finds Concatenate layers whose inputs differ on a dimension other than
    the concatenation axis, or whose axis is out of range.

    Why is this bad: Keras raises when the model is built. In a U-Net this happens when the
    input size is not divisible by 2 to the power of the depth: an odd size is floored by
    pooling and doubled back by upsampling, and the skip connection no longer lines up.

    Example:
        inputs = keras.Input((100, 100, 1))  # 100 -> 50 -> 25 -> 12, then 24 != 25

    Use instead:
        inputs = keras.Input((96, 96, 1))  # divisible by 2**depth
    """
    for node in _problems(ctx, ("concat_mismatch", "bad_axis")):
        if node.layer.keras_class == "Concatenate":
            yield ctx.report("AL103", node.site, layer=node.layer.name, detail=node.problem.message)


@rule("AL104", "wrong-rank", Severity.ERROR,
      "A layer gets a tensor of a rank it cannot take, or a kernel, stride or pool size of the wrong length.")
def wrong_rank(ctx):
    """What it does: finds a layer called on a tensor of the wrong rank (Conv2D on a
    sequence, LSTM on a flat vector) and `kernel_size`, `strides` or `pool_size` tuples of
    the wrong length for the layer.

    Why is this bad: Keras raises when the model is built.

    Example:
        x = keras.Input((28, 28))           # no channel axis
        x = layers.Conv2D(32, (3, 3))(x)    # Conv2D needs (batch, rows, cols, channels)

    Use instead:
        x = keras.Input((28, 28, 1))
        x = layers.Conv2D(32, (3, 3))(x)
    """
    for node in _problems(ctx, ("wrong_rank", "bad_argument_length")):
        yield ctx.report("AL104", node.site, layer=node.layer.name, detail=node.problem.message)


@rule("AL106", "reshape-mismatch", Severity.ERROR,
      "A Reshape target whose size does not match the number of values it receives.")
def reshape_mismatch(ctx):
    """What it does: finds Reshape layers (and `keras.ops.reshape`) whose target shape holds
    a different number of values than the input; also a numpy `reshape` of data whose size
    is known (a Keras dataset, a literal array), such as the 10,000 test images of MNIST
    reshaped to `(60000, 784)`.

    Why is this bad: Keras raises when the model is built (numpy when the line runs).

    Example:
        x = keras.Input((7, 7, 64))
        x = layers.Reshape((7, 7, 32))(x)  # 3,136 values into 1,568

    Use instead:
        x = layers.Reshape((7, 7 * 64))(x)  # or Reshape((-1, 64))
    """
    for node in _problems(ctx, ("reshape_mismatch",)):
        yield ctx.report("AL106", node.site, layer=node.layer.name, detail=node.problem.message)
    for site, problem in ctx.array_problems:  # numpy's reshape of data whose size is known
        yield ctx.report("AL106", site, layer="reshape", detail=f"numpy {problem}")


@rule("AL109", "reused-layer-misfit", Severity.ERROR,
      "A layer already built is called again on an input its weights do not fit.")
def reused_layer_misfit(ctx):
    """What it does: finds a second call of a layer (a shared layer, or one taken back from
    `model.layers`) on an input whose size does not match the weights the first call built,
    such as a decoder made of an autoencoder's last Dense, called on the 32-wide code when it
    was built on the 128-wide layer before it.

    Why is this bad: a layer builds its weights once, for the input of its first call; Keras
    raises when a later call brings another size.

    Example:
        decoder_output = autoencoder.layers[-1](encoded_input)   # built for 128, given 32

    Use instead:
        x = autoencoder.layers[-3](encoded_input)   # every layer from the code onwards
        x = autoencoder.layers[-2](x)
        decoder_output = autoencoder.layers[-1](x)
    """
    for node in _problems(ctx, ("built_for_other_input",)):
        yield ctx.report("AL109", node.site, layer=node.layer.name, detail=node.problem.message)
