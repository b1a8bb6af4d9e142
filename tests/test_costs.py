"""What a forward pass costs, against TensorFlow's own counts of the same models.

``tests/costs_oracle.py`` traced each layer of the ``fixtures/costs`` models, and each
``keras.applications`` model whole, into a TensorFlow graph for one sample and counted
every operation with the statistics TensorFlow registers (the numbers its profiler adds
up). Each layer's products (convolutions, matrix products, their batched forms) must be
exactly two FLOPs per multiply-add archlint counts; each pooling's window reads and each
bias add, what archlint adds for them.
"""

import json
from pathlib import Path

import pytest

from archlint.layers.groups import ELEMENTWISE_MERGES, POOLINGS
from archlint.pipeline import analyze_file
from costs_oracle import IMPLEMENTATION, PRODUCTS
from keras_applications import builders

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "fixtures" / "costs").glob("*.py"))
GOLDENS = ROOT / "tests" / "goldens" / "costs"
APPLICATIONS = json.loads((GOLDENS / "applications.json").read_text())

# IMPLEMENTATION: test_transposed_convolutions_by_brute_force counts those.
POOLS = {"MaxPool", "AvgPool", "MaxPool3D", "AvgPool3D"}


def golden_layers(fixture: Path):
    """(model, layer, TensorFlow's counts by operation type, archlint's row) of each layer
    the oracle traced."""
    golden = json.loads((GOLDENS / f"{fixture.stem}.json").read_text())
    result = analyze_file(str(fixture), budget=None, costs=True)
    ours = {summary.name: {row.name: row for row in summary.rows} for summary in result.summaries}
    assert set(golden) <= set(ours)
    for model, counts in golden.items():
        for layer, layer_counts in counts["layers"].items():
            yield model, layer, layer_counts, ours[model][layer]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_multiply_adds_are_what_tensorflow_counts(fixture):
    layers = list(golden_layers(fixture))
    if not layers:
        pytest.skip("the layers run inside subclassed models only: the whole forward pass is compared")
    compared = 0
    for model, layer, counts, row in layers:
        products = {op: flops for op, flops in counts.items() if op in PRODUCTS}
        if not products or None in products.values() or IMPLEMENTATION & set(counts):
            continue
        assert 2 * row.macs == sum(products.values()), (model, layer, row.macs, counts)
        compared += 1
    assert compared >= 3


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_whole_models_are_what_tensorflow_counts(fixture):
    """Each model's total mult-adds are half the FLOPs of every product TensorFlow counts in
    its whole forward pass, operations between layers and subclassed models' call() included."""
    golden = json.loads((GOLDENS / f"{fixture.stem}.json").read_text())
    summaries = {s.name: s for s in analyze_file(str(fixture), budget=None, costs=True).summaries}
    compared = 0
    for model, counts in golden.items():
        products = {op: flops for op, flops in counts["whole"].items() if op in PRODUCTS}
        if None in products.values() or IMPLEMENTATION & set(counts["whole"]):
            continue
        assert 2 * summaries[model].macs == sum(products.values()), (model, summaries[model].macs, counts["whole"])
        compared += 1
    if not compared and all(IMPLEMENTATION & set(counts["whole"]) for counts in golden.values()):
        pytest.skip("every model has a convolution TensorFlow counts by its implementation")
    assert compared


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_poolings_and_merges_are_what_tensorflow_counts(fixture):
    """A pooling window's reads, and a merge's operations, are TensorFlow's count of them."""
    for model, layer, counts, row in golden_layers(fixture):
        if row.class_name in POOLINGS and None not in counts.values():
            assert row.flops == sum(counts[op] for op in POOLS & set(counts)), (model, layer, counts)
        if row.class_name in ELEMENTWISE_MERGES:
            assert row.flops == sum(counts.values()), (model, layer, counts)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_traced_code_is_what_tensorflow_counts(fixture):
    """A custom layer or a Lambda costs the operations and layers its code runs: every
    FLOP TensorFlow counts for it, where it registers a count for each of them."""
    from archlint.layers import lookup

    for model, layer, counts, row in golden_layers(fixture):
        if (row.class_name == "Lambda" or lookup(row.class_name) is None) and None not in counts.values():
            assert row.flops == sum(counts.values()), (model, layer, row.flops, counts)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_layers_without_products_have_none(fixture):
    for model, layer, counts, row in golden_layers(fixture):
        if not (PRODUCTS | IMPLEMENTATION) & set(counts):
            assert row.macs == 0, (model, layer, counts)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_every_layer_has_a_cost_and_the_totals_add_up(fixture):
    result = analyze_file(str(fixture), budget=None, costs=True)
    for summary in result.summaries:
        costed = [row for row in summary.rows if row.class_name != "InputLayer"]
        assert all(row.macs is not None and row.flops is not None for row in costed), summary.name
        if not isinstance(summary.macs, int):  # a formula in the sizes an input leaves open
            assert summary.macs == sum(row.macs for row in costed)
            continue
        if summary.kind == "Subclassed":  # its call() also runs operations that are no rows
            assert summary.macs >= sum(row.macs for row in costed)
            assert summary.flops > sum(row.flops for row in costed)
        else:
            assert summary.macs == sum(row.macs for row in costed)
            assert summary.flops == sum(row.flops for row in costed)
        assert summary.flops >= 2 * summary.macs


@pytest.mark.parametrize("path, name", builders(), ids=[name for _, name in builders()])
def test_whole_applications_are_what_tensorflow_counts(path, name):
    """Each keras.applications model, traced whole by the oracle: its products are two FLOPs
    per multiply-add archlint counts, and its poolings' window reads are archlint's."""
    keras = pytest.importorskip("keras")
    if keras.__version__ != APPLICATIONS["keras"]:
        pytest.skip(f"the goldens are of Keras {APPLICATIONS['keras']}: run tests/costs_oracle.py --only applications")
    golden = APPLICATIONS["models"][name]
    counts = golden["counts"]
    (summary,) = analyze_file(path, entry=golden["entry"], budget=None, costs=True).summaries
    assert not IMPLEMENTATION & set(counts)
    assert 2 * summary.macs == sum(counts[op] for op in PRODUCTS & set(counts))
    reads = sum(row.flops for row in summary.rows if row.class_name in POOLINGS)
    assert reads == sum(counts[op] for op in POOLS & set(counts))


TRANSPOSED = [
    ("Conv1DTranspose(5, 4, strides=2)", (9, 3)),
    ("Conv1DTranspose(2, 3, strides=3, dilation_rate=1)", (7, 4)),
    ("Conv2DTranspose(4, 3, strides=2)", (5, 6, 3)),
    ("Conv2DTranspose(3, (2, 5), strides=(1, 2))", (4, 5, 2)),
    ("Conv3DTranspose(2, 2, strides=2)", (3, 4, 2, 3)),
]


def one_layer_row(tmp_path, layer: str, shape: tuple):
    """archlint's costs row of ``layers.<layer>`` alone on an input of ``shape``."""
    program = tmp_path / "model.py"
    program.write_text(f"import keras\nfrom keras import layers\n"
                       f"model = keras.Sequential([keras.Input({shape}), layers.{layer}])\n")
    return analyze_file(str(program), budget=None, costs=True).summaries[0].rows[-1]


@pytest.mark.parametrize("layer, shape", TRANSPOSED)
def test_transposed_convolutions_by_brute_force(tmp_path, layer, shape):
    """Every product a transposed convolution makes, counted by running it in Keras: with
    ones for input and kernel, no bias and no cropping (valid padding), each output value
    is the number of products summed into it."""
    import numpy as np
    import keras

    row = one_layer_row(tmp_path, layer, shape)
    built = keras.Sequential([keras.Input(shape), eval(f"keras.layers.{layer}")])
    built.layers[-1].set_weights([np.ones_like(w) if w.ndim > 1 else np.zeros_like(w) for w in built.layers[-1].get_weights()])
    products = float(np.sum(built(np.ones((1, *shape), dtype="float32"))))
    assert row.macs == products


ADAPTIVE = [
    ("AdaptiveAveragePooling1D(4)", (10, 2)),
    ("AdaptiveMaxPooling1D(3)", (7, 1)),
    ("AdaptiveAveragePooling2D((3, 5))", (7, 11, 2)),
    ("AdaptiveMaxPooling2D(4)", (9, 6, 1)),
    ("AdaptiveAveragePooling3D((2, 3, 2))", (5, 7, 3, 2)),
    ("AdaptiveMaxPooling3D(2)", (3, 4, 5, 1)),
]


@pytest.mark.parametrize("layer, shape", ADAPTIVE)
def test_adaptive_pooling_windows_by_brute_force(tmp_path, layer, shape):
    """The inputs each output of an adaptive pooling reads, found by running it in Keras:
    with a one at a single input position of the first channel and zeros elsewhere, the
    outputs that are not zero are those whose window holds that position. Summed over
    every position, and times the channels, they are the reads archlint counts."""
    import numpy as np
    import keras

    row = one_layer_row(tmp_path, layer, shape)
    positions = int(np.prod(shape[:-1]))
    one_hot = np.zeros((positions, positions, shape[-1]), dtype="float32")
    one_hot[np.arange(positions), np.arange(positions), 0] = 1
    pooled = np.asarray(eval(f"keras.layers.{layer}")(one_hot.reshape((positions, *shape))))
    reads = int(np.count_nonzero(pooled[..., 0]))
    assert row.macs == 0 and row.flops == reads * shape[-1]


def test_a_call_on_weights_alone_is_not_costed_per_sample(tmp_path):
    """A custom layer that computes on its weight alone (a softmax over it) does that once a
    batch, on a tensor with no batch axis: no per-sample cost, so no total."""
    program = tmp_path / "model.py"
    program.write_text("import keras\nfrom keras import layers, ops\n"
                       "class Mixed(layers.Layer):\n"
                       "    def build(self, input_shape):\n"
                       "        self.w = self.add_weight(shape=(input_shape[-1], 4))\n"
                       "    def call(self, x):\n"
                       "        return ops.matmul(x, ops.softmax(self.w, axis=0))\n"
                       "class Plain(Mixed):\n"
                       "    def call(self, x):\n"
                       "        return ops.matmul(x, self.w)\n"
                       "inputs = keras.Input((6, 5))\n"
                       "mixed = keras.Model(inputs, Mixed()(inputs), name='mixed')\n"
                       "plain = keras.Model(inputs, Plain()(inputs), name='plain')\n")
    summaries = {s.name: s for s in analyze_file(str(program), budget=None, costs=True).summaries}
    assert summaries["mixed"].macs is None
    assert summaries["plain"].macs == 6 * 5 * 4


def test_recurrence_through_a_users_cell_is_not_costed(tmp_path):
    """An RNN steps through whatever its cell computes: a cell archlint does not know
    gives the layer no cost, and its model no totals; catalog cells do."""
    program = tmp_path / "model.py"
    program.write_text("import keras\nfrom keras import layers\n"
                       "class MinimalCell(layers.Layer):\n"
                       "    def __init__(self, units, **kwargs):\n"
                       "        super().__init__(**kwargs)\n        self.units = units\n        self.state_size = units\n"
                       "    def build(self, input_shape):\n"
                       "        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name='kernel')\n"
                       "        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name='recurrent_kernel')\n"
                       "    def call(self, inputs, states):\n"
                       "        output = inputs @ self.kernel + states[0] @ self.recurrent_kernel\n"
                       "        return output, [output]\n"
                       "inputs = keras.Input((5, 3))\n"
                       "mine = keras.Model(inputs, layers.RNN(MinimalCell(4))(inputs), name='mine')\n"
                       "theirs = keras.Model(inputs, layers.RNN(layers.SimpleRNNCell(4))(inputs), name='theirs')\n")
    summaries = {s.name: s for s in analyze_file(str(program), budget=None, costs=True).summaries}
    assert summaries["mine"].rows[-1].macs is None and summaries["mine"].macs is None
    assert summaries["theirs"].macs == 5 * (3 * 4 + 4 * 4)


OPEN = '''import keras
from keras import layers
inputs = keras.Input(({steps}, 16))
x = layers.Conv1D(32, 3, padding="same", activation="relu")(inputs)
x = layers.MaxPooling1D(2)(x)
x = layers.LSTM(8, return_sequences=True)(x)
x = layers.Dense(4)(x)
sequence = keras.Model(inputs, x, name="sequence")
images = keras.Input(({height}, {width}, 3))
y = layers.Conv2D(8, 3, strides=2)(images)
y = layers.SeparableConv2D(8, 5, padding="same")(y)
gate = layers.GlobalAveragePooling2D(keepdims=True)(y)
y = layers.Multiply()([y, layers.Conv2D(8, 1, activation="sigmoid")(gate)])
y = layers.Cropping2D(1)(y)
y = layers.Conv2DTranspose(4, 3, strides=2)(y)
y = layers.GlobalAveragePooling2D()(y)
cnn = keras.Model(images, layers.Dense(2)(y), name="cnn")
'''


@pytest.mark.parametrize("steps, height, width", [(9, 17, 20), (64, 32, 33), (101, 9, 58)])
def test_open_sizes_give_formulas_that_hold_for_every_size(tmp_path, steps, height, width):
    """Sizes an input leaves open (None) are named, and each cost is a formula in them that
    gives, for any size, the cost of the same model with that size written in (through a
    gate broadcast over every position and a cropping)."""
    open_file, closed_file = tmp_path / "open.py", tmp_path / "closed.py"
    open_file.write_text(OPEN.format(steps=None, height=None, width=None))
    closed_file.write_text(OPEN.format(steps=steps, height=height, width=width))
    sizes = {"input_layer.shape[1]": steps, "input_layer_1.shape[1]": height, "input_layer_1.shape[2]": width}
    opened = {s.name: s for s in analyze_file(str(open_file), budget=None, costs=True).summaries}
    closed = {s.name: s for s in analyze_file(str(closed_file), budget=None, costs=True).summaries}
    assert set(opened) == set(closed) == {"sequence", "cnn"}
    for name, summary in opened.items():
        assert summary.macs is not None and not isinstance(summary.macs, int)  # a formula
        for key in ("macs", "flops", "output_values", "input_values"):
            assert getattr(summary, key).value(sizes) == getattr(closed[name], key), (name, key)
        for row, concrete in zip(summary.rows, closed[name].rows):
            for key in ("macs", "flops", "output_values"):
                value = getattr(row, key)
                assert (value.value(sizes) if hasattr(value, "value") else value) == getattr(concrete, key), (row.name, key)


def test_every_catalog_layer_is_costed_or_listed_as_not():
    """Adding a layer to the catalog means saying what it costs (or that it is not counted)."""
    from archlint import costs
    from archlint.layers.base import all_specs

    catalog = {spec.name for spec in all_specs()}
    assert catalog - set(costs.FAMILIES) == set(costs.NOT_COSTED)


def test_every_registered_operation_is_costed_or_listed_as_not():
    """Adding an operation to the registry means saying what it costs (or that it is not)."""
    from archlint import costs
    from archlint.op_registry import REGISTRY
    from archlint.operations import BINARY_OPERATORS, COMPARISON_OPERATORS, UNARY_OPERATORS

    classes = {op.class_name for op in REGISTRY.values()} | {"GetItem"}
    classes |= {*BINARY_OPERATORS.values(), *COMPARISON_OPERATORS.values(), *UNARY_OPERATORS.values()}
    assert classes - set(costs.OPERATIONS) == set(costs.OPERATIONS_NOT_COSTED)


def test_no_totals_over_a_graph_the_analysis_lost_part_of(tmp_path):
    """A layer called on a value from code archlint does not read leaves the graph above it
    unknown: a total over the layers it does know would be wrong, so there is none."""
    program = tmp_path / "model.py"
    program.write_text("import keras\nfrom keras import layers\nfrom their_package import mystery\n"
                       "inputs = keras.Input((8, 8, 3))\nx = layers.Conv2D(4, 3)(inputs)\nx = mystery(x)\n"
                       "x = layers.Flatten()(x)\noutputs = layers.Dense(2)(x)\nmodel = keras.Model(inputs, outputs)\n")
    (summary,) = analyze_file(str(program), budget=None, costs=True).summaries
    assert summary.macs is None and summary.flops is None and summary.estimated_sizes()["total"] is None


MIXED = '''import keras
from keras import layers
keras.mixed_precision.set_global_policy("mixed_float16")
model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3), layers.Flatten(),
                          layers.Dense(2, dtype="float32")], name="mixed")
'''


def test_a_mixed_precision_policy_halves_the_values_it_computes(tmp_path):
    """Each layer's output values take the bytes of the dtype Keras computes it in: 16 bits
    under mixed_float16 unless the layer names its own dtype."""
    import keras
    import numpy as np

    program = tmp_path / "mixed.py"
    program.write_text(MIXED)
    (summary,) = analyze_file(str(program), budget=None, costs=True).summaries
    namespace = {}
    try:
        exec(compile(MIXED, str(program), "exec"), namespace)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    built = [np.dtype(layer.compute_dtype).itemsize for layer in namespace["model"].layers]
    assert [row.value_bytes for row in summary.rows] == built  # in order (this session's names differ)
    assert sorted(set(built)) == [2, 4]
