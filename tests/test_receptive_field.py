"""Receptive fields against brute force: Keras itself runs each model on one-hot inputs,
with every kernel set to ones and every bias to zero, so an output value is nonzero
exactly where the hot input position reaches it. The positions that reach one output are
its receptive field; archlint's size, jump and centre must be those of the outputs whose
field no border cuts."""

import itertools

import numpy as np
import pytest

from archlint.pipeline import analyze_file

HEADER = "import keras\nfrom keras import layers\n"

CHAINS_1D = [
    ["Conv1D(2, 3)", "Conv1D(2, 3)"],
    ["Conv1D(2, 5, strides=2)", "Conv1D(2, 3, strides=2)", "Conv1D(2, 3)"],
    ["Conv1D(2, 3, dilation_rate=2)", "Conv1D(2, 3, dilation_rate=4)"],
    ["Conv1D(2, 4, padding='same')", "MaxPooling1D(2)", "Conv1D(2, 3, padding='same', strides=2)"],
    ["ZeroPadding1D(2)", "Conv1D(2, 3)", "Cropping1D((1, 2))", "AveragePooling1D(3, strides=2)"],
    ["SeparableConv1D(2, 3, strides=2)", "DepthwiseConv1D(5)", "Activation('relu')"],
    ["Conv1D(2, 3)", "Conv1DTranspose(2, 3, strides=2)", "Conv1D(2, 3)"],
    ["Conv1D(2, 3, strides=2)", "UpSampling1D(2)", "Conv1D(2, 3)"],
]
CHAINS_2D = [
    ["Conv2D(2, 3, strides=2)", "Conv2D(2, (3, 5))", "MaxPooling2D((2, 3))"],
    ["Conv2D(2, 3, padding='same', dilation_rate=(1, 2))", "AveragePooling2D(2, strides=1)", "DepthwiseConv2D(3)"],
    ["Conv2DTranspose(2, 4, strides=2, padding='same')", "Conv2D(2, 3, strides=2)"],
]


def brute_force(build, shape):
    """For each output position (spatial axes), the input positions that reach it."""
    model = build()
    for layer in model.layers:
        weights = layer.get_weights()
        if weights:
            layer.set_weights([np.ones_like(w) if w.ndim > 1 else np.zeros_like(w) for w in weights])
    positions = list(itertools.product(*[range(n) for n in shape[:-1]]))
    hot = np.zeros((len(positions), *shape), dtype="float32")
    for index, position in enumerate(positions):
        hot[(index, *position)] = 1
    out = np.asarray(model(hot))
    reached = {}
    for index, position in enumerate(positions):
        for where in zip(*np.nonzero(out[index].max(axis=-1))):
            reached.setdefault(where, []).append(position)
    return reached


def uncut(reached, shape):
    """Each output whose field touches no border: (output position, lows, highs)."""
    for where, inputs in reached.items():
        lows = [min(p[axis] for p in inputs) for axis in range(len(shape) - 1)]
        highs = [max(p[axis] for p in inputs) for axis in range(len(shape) - 1)]
        if all(low > 0 and high < n - 1 for low, high, n in zip(lows, highs, shape)):
            yield where, lows, highs


def archlint_field(tmp_path, chain, shape):
    program = tmp_path / "model.py"
    program.write_text(HEADER + f"model = keras.Sequential([keras.Input({shape}), "
                       + ", ".join(f"layers.{layer}" for layer in chain) + "])\n")
    return analyze_file(str(program), budget=None, costs=True).summaries[0].rows[-1].receptive_field


@pytest.mark.parametrize("chain, shape", [(c, (40, 1)) for c in CHAINS_1D] + [(c, (24, 26, 1)) for c in CHAINS_2D],
                         ids=lambda v: "-".join(v) if isinstance(v, list) else None)
def test_fields_are_the_positions_that_reach_an_output(tmp_path, chain, shape):
    import keras

    def build():
        return keras.Sequential([keras.Input(shape), *[eval(f"keras.layers.{layer}", {"keras": keras}) for layer in chain]])

    field = archlint_field(tmp_path, chain, shape)
    assert field is not None
    full = list(uncut(brute_force(build, shape), shape))
    assert full, "the input is too small to have an output no border cuts"
    rank = len(shape) - 1
    sizes = [max(high[a] - low[a] + 1 for _, low, high in full) for a in range(rank)]
    assert list(field.size) == sizes
    irregular = any(layer.startswith(("UpSampling", "Conv1DTranspose", "Conv2DTranspose")) for layer in chain)
    if irregular:  # fields of neighbouring outputs are not evenly spaced: the size is the largest
        return
    for where, low, high in full:
        for axis in range(rank):
            centre = (low[axis] + high[axis]) / 2
            assert field.start[axis] + where[axis] * field.jump[axis] == centre, (where, axis)


def test_branches_joined_take_the_largest_field(tmp_path):
    program = tmp_path / "model.py"
    program.write_text(HEADER + "inputs = keras.Input((32, 32, 3))\n"
                       "a = layers.Conv2D(4, 7, padding='same')(inputs)\n"
                       "b = layers.Conv2D(4, 3, padding='same')(inputs)\n"
                       "x = layers.Add()([a, b])\n"
                       "y = layers.Concatenate()([x, layers.Conv2D(4, 1)(inputs)])\n"
                       "outputs = layers.Conv2D(4, 3, strides=2)(y)\n"
                       "model = keras.Model(inputs, outputs)\n")
    rows = {row.name: row for row in analyze_file(str(program), budget=None, costs=True).summaries[0].rows}
    assert rows["add"].receptive_field.size == (7, 7)
    assert rows["concatenate"].receptive_field.size == (7, 7)
    assert rows["conv2d_3"].receptive_field.size == (9, 9)
    assert rows["conv2d_3"].receptive_field.jump == (2, 2)


def test_the_path_ends_where_positions_are_mixed(tmp_path):
    rows = analyze_file(str(_write(tmp_path, "Conv2D(2, 3)", "Flatten()", "Dense(3)")), budget=None, costs=True).summaries[0].rows
    assert rows[0].receptive_field.size == (3, 3)
    assert rows[1].receptive_field is None and rows[2].receptive_field is None


def _write(tmp_path, *chain):
    program = tmp_path / "model.py"
    program.write_text(HEADER + "model = keras.Sequential([keras.Input((9, 9, 1)), "
                       + ", ".join(f"layers.{layer}" for layer in chain) + "])\n")
    return program
