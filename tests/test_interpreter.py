"""The interpreter on the Python that model code is written in.

Each import style and legacy module path must give the same model as plain
``import keras``; that model, and every ``--entry`` call, is checked against real
Keras built in the test run.
"""

import json
import textwrap
from pathlib import Path

import pytest

from archlint.cli import main
from compare import archlint_models, differences

ROOT = Path(__file__).resolve().parent.parent

BODY = """
inputs = {ns}Input(shape=(32, 32, 3))
x = {layers}Conv2D(16, 3, padding="same", name="c1")(inputs)
x = {layers}BatchNormalization()(x)
x = {layers}Activation("relu")(x)
y = {layers}Conv2D(16, 1)(x)
x = {concat}([x, y])
x = {layers}MaxPooling2D()(x)
x = {layers}Flatten()(x)
outputs = {layers}Dense(10, activation="softmax")(x)
model = {model}(inputs, outputs)
"""

STYLES = {
    "import_keras": ("import keras", "keras.", "keras.layers.", "keras.layers.concatenate", "keras.Model"),
    "keras_core_alias": ("import keras_core as keras", "keras.", "keras.layers.", "keras.layers.concatenate", "keras.Model"),
    "from_tensorflow": ("from tensorflow import keras", "keras.", "keras.layers.", "keras.layers.concatenate", "keras.models.Model"),
    "tf_keras": ("import tensorflow as tf", "tf.keras.", "tf.keras.layers.", "tf.keras.layers.concatenate", "tf.keras.Model"),
    "layers_alias": ("import keras\nimport keras.layers as KL", "KL.", "KL.", "KL.concatenate", "keras.Model"),
    "star": ("from keras.layers import *\nfrom keras.models import Model", "", "", "concatenate", "Model"),
    "keras2_modules": (
        "from keras.layers.convolutional import Conv2D, MaxPooling2D\n"
        "from keras.layers.core import Dense, Activation, Flatten\n"
        "from keras.layers.normalization import BatchNormalization\n"
        "from keras.layers.merge import concatenate\n"
        "from keras.engine.input_layer import Input\n"
        "from keras.engine.training import Model",
        "", "", "concatenate", "Model",
    ),
    "keras1_merge_and_model": (
        "from keras.layers import Input, Conv2D, BatchNormalization, Activation, MaxPooling2D, Flatten, Dense\n"
        "from keras.layers import concatenate\nfrom keras.models import Model",
        "", "", "concatenate", "Model",
    ),
}


def write_style(tmp_path, style):
    imports, ns, layers, concat, model = STYLES[style]
    path = tmp_path / f"{style}.py"
    path.write_text(imports + "\n" + BODY.format(ns=ns, layers=layers, concat=concat, model=model))
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    path = write_style(tmp_path_factory.mktemp("reference"), "import_keras")
    return build_fixture(path)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_import_style(style, tmp_path, reference):
    assert differences(reference, archlint_models(write_style(tmp_path, style))) == []


def test_keras1_model_keywords(tmp_path, reference):
    path = write_style(tmp_path, "import_keras")
    path.write_text(path.read_text().replace("keras.Model(inputs, outputs)", "keras.models.Model(input=inputs, output=outputs)"))
    assert differences(reference, archlint_models(path)) == []


def summary_json(capsys, *args):
    code = main(["summary", *map(str, args), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_entry_with_arguments_matches_keras(capsys):
    pytest.importorskip("keras")
    import keras

    from keras_oracle import describe

    fixture = ROOT / "fixtures" / "models" / "seed000_resnet50.py"
    namespace = {}
    exec(compile(fixture.read_text(), str(fixture), "exec"), namespace)
    keras.backend.clear_session()
    expected = [describe(namespace["build_backbone"](input_shape=(128, 128, 3)), "call:build_backbone(input_shape=(128, 128, 3))")]
    code, document = summary_json(capsys, fixture, "--entry", "build_backbone(input_shape=(128, 128, 3))")
    assert code == 0
    (model,) = document["models"]
    assert model["entry"] == "call:build_backbone(input_shape=(128, 128, 3))"
    assert model["total_params"] == expected[0]["total_params"]
    assert [r["output_shape"] for r in model["layers"]] == [r["output_shape"] for r in expected[0]["layers"]]


def test_entry_by_name(capsys):
    fixture = ROOT / "fixtures" / "models" / "mlp_functional_builder.py"
    code, everything = summary_json(capsys, fixture)
    names = [m["entry"] for m in everything["models"]]
    assert len(names) == 2
    chosen = names[1].split(":", 1)[1]
    code, document = summary_json(capsys, fixture, "--entry", chosen)
    assert code == 0
    assert [m["total_params"] for m in document["models"]] == [everything["models"][1]["total_params"]]


SNIPPETS = {
    "fstring_and_percent_names": (
        """
        import keras
        inputs = keras.Input((8,))
        x = inputs
        for i, width in enumerate([16, 8], start=1):
            x = keras.layers.Dense(width, name=f"fc{i}_{width:03d}")(x)
        x = keras.layers.Dense(2, name="out_%s_%d" % ("head", 2))(x)
        model = keras.Model(inputs, x)
        """,
        ["input_layer", "fc1_016", "fc2_008", "out_head_2"],
    ),
    "helper_with_keywords_and_while": (
        """
        import keras
        from keras import layers
        def block(x, filters, kernel=3, *, pool=True, **extra):
            x = layers.Conv2D(filters, kernel, padding="same", **extra)(x)
            return layers.MaxPooling2D()(x) if pool else x
        inputs = keras.Input((32, 32, 3))
        x, filters = inputs, 8
        while filters <= 32:
            x = block(x, filters, pool=filters < 32, use_bias=False)
            filters *= 2
        model = keras.Model(inputs, x)
        """,
        ["input_layer", "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2"],
    ),
    "isinstance_on_config_classes": (
        """
        import keras

        class Small:
            width = 8

        class Large(Small):
            width = 32

        def head(config):
            if isinstance(config, Large):
                return keras.layers.Dense(config.width * 2)
            return keras.layers.Dense(config.width)

        inputs = keras.Input((4,))
        model = keras.Model(inputs, head(Small())(head(Large())(inputs)))
        """,
        ["input_layer", "dense_1", "dense"],  # the outer call's callee is made first
    ),
    "dict_config_and_comprehension": (
        """
        import keras
        config = {"widths": [32, 16], "act": "relu"}
        model = keras.Sequential(
            [keras.Input((4,))] + [keras.layers.Dense(w, activation=config["act"]) for w in config["widths"]]
        )
        """,
        ["dense", "dense_1"],
    ),
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_python_features(name, tmp_path, capsys):
    source, layer_names = SNIPPETS[name]
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    code, document = summary_json(capsys, path)
    assert code == 0
    (model,) = document["models"]
    assert [layer["name"] for layer in model["layers"]] == layer_names
    assert model["complete"]
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    assert differences(build_fixture(path), archlint_models(path)) == []


INPUT_DECLARATIONS = [
    "keras.layers.Dense(4, input_shape=(8,))",
    "keras.layers.Dense(4, input_dim=8)",
    "keras.layers.Dense(4, batch_input_shape=(None, 8))",
    "keras.layers.InputLayer(input_shape=(8,)), keras.layers.Dense(4)",
    "keras.layers.InputLayer(batch_input_shape=(None, 8)), keras.layers.Dense(4)",
]


@pytest.mark.parametrize("first", INPUT_DECLARATIONS)
def test_input_declarations_on_the_first_layer(first, tmp_path, capsys):
    path = tmp_path / "declared.py"
    path.write_text(f"import keras\nmodel = keras.Sequential([{first}, keras.layers.Dense(2)])\n")
    code, document = summary_json(capsys, path)
    (model,) = document["models"]
    assert [layer["output_shape"] for layer in model["layers"]] == [[None, 4], [None, 2]]
    assert model["total_params"] == (8 + 1) * 4 + (4 + 1) * 2


KERAS2_SEQUENCE_DECLARATIONS = [
    ("keras.layers.LSTM(32, input_dim=8, input_length=10)", [None, 32], [None, 10, 8]),
    ("keras.layers.Embedding(1000, 16, input_length=10)", [None, 10, 16], [None, 10]),
]


@pytest.mark.parametrize("first, first_shape, declared", KERAS2_SEQUENCE_DECLARATIONS)
def test_keras2_sequence_declarations(first, first_shape, declared, tmp_path, capsys):
    """Keras 2: a recurrent layer's input_dim is its step size; Embedding's is the vocabulary."""
    path = tmp_path / "declared.py"
    path.write_text(f"import keras\nmodel = keras.Sequential([{first}])\nmodel.add(keras.layers.Flatten())\n")
    code, document = summary_json(capsys, path, "--keras-version", "2")
    (model,) = document["models"]
    assert model["layers"][0]["output_shape"] == first_shape
    assert model["complete"]


def test_keras3_reads_keras2_sequence_declarations_its_own_way(tmp_path, capsys):
    """Keras 3: input_dim is a rank-1 input for every layer, so an LSTM given it is refused;
    Embedding's input_length is ignored (the model stays unbuilt); Keras 2's other input
    keywords are refused."""
    keras = pytest.importorskip("keras")
    path = tmp_path / "declared.py"
    path.write_text("import keras\n"
                    "a = keras.Sequential([keras.layers.LSTM(4, input_dim=3), keras.layers.Dense(1)])\n"
                    "b = keras.Sequential([keras.layers.Embedding(100, 8, input_length=10), keras.layers.Dense(1)])\n"
                    "c = keras.Sequential([keras.layers.Dense(2, batch_input_shape=(None, 3))])\n")
    assert main(["check", str(path), "--select", "AL1", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("AL104", 2), ("AL105", 4)]
    with pytest.raises(ValueError, match="expected ndim=3"):
        keras.Sequential([keras.layers.LSTM(4, input_dim=3), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="batch_input_shape"):
        keras.layers.Dense(2, batch_input_shape=(None, 3))
    unbuilt = keras.Sequential([keras.layers.Embedding(100, 8, input_length=10), keras.layers.Dense(1)])
    assert not unbuilt.built
    code, document = summary_json(capsys, path)
    assert [model["layers"][0]["output_shape"] for model in document["models"]][1] is None


def test_recursion_through_an_undecided_condition_is_not_a_finding(tmp_path):
    """`if policy is None:` on an unknown value is followed by guess; a loop that only the
    guess creates is noted (AL903), not reported as runaway recursion (AL904)."""
    from archlint.pipeline import analyze_file

    path = tmp_path / "policy.py"
    path.write_text(textwrap.dedent("""
        import keras
        from somewhere import current_policy

        def policy():
            value = current_policy()
            if value is None:
                value = Policy()
            return value

        def Policy(name=None):
            if name is None:
                name = policy()
            return name

        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        default = Policy()
    """))
    codes = [f.code for f in analyze_file(str(path), rule_codes=["AL903", "AL904"]).findings]
    assert "AL904" not in codes and "AL903" in codes


def test_custom_layer_shape_comes_from_tracing_call(tmp_path, capsys):
    path = tmp_path / "traced.py"
    path.write_text(textwrap.dedent("""
        import keras

        class Doubler(keras.layers.Layer):
            def call(self, inputs):
                return inputs * 2

        class Mystery(keras.layers.Layer):
            def call(self, inputs):
                return some_library.transform(inputs)

        inputs = keras.Input((4,))
        doubled = Doubler()(inputs)
        model = keras.Model(inputs, [keras.layers.Dense(3)(doubled), Mystery()(doubled)])
    """))
    code = main(["summary", str(path), "--format", "json", "--show-incomplete"])
    document = json.loads(capsys.readouterr().out)
    (model,) = document["models"]
    rows = {row["name"]: row for row in model["layers"]}
    assert code == 0 and model["complete"] is False
    assert rows["doubler"]["output_shape"] == [None, 4] and rows["doubler"]["params"] == 0
    assert rows["dense"]["params"] == 15 and not model["operations"]  # ops inside call() are no rows
    assert rows["mystery"]["output_shape"] is None
    assert any(f["code"] == "AL903" and "Mystery.call()" in f["message"] for f in document["findings"])


def test_undecided_if_joins_branches(tmp_path, capsys):
    path = tmp_path / "branches.py"
    path.write_text(textwrap.dedent("""
        import os
        import keras

        def build(width=None):
            if os.environ.get("WIDE"):
                units, depth = 64, 2
            else:
                units, depth = 32, 2
            if width is not None and width <= 0:
                raise ValueError("width must be positive")
            inputs = keras.Input((8,))
            x = inputs
            for _ in range(depth):
                x = keras.layers.Dense(units)(x)
            if os.environ.get("EXTRA"):
                x = keras.layers.Dense(5, name="extra")(x)
            return keras.Model(inputs, x)
    """))
    code = main(["summary", str(path), "--format", "json", "--show-incomplete"])
    document = json.loads(capsys.readouterr().out)
    (model,) = document["models"]
    names = [row["name"] for row in model["layers"]]
    messages = [f["message"] for f in document["findings"]]
    assert code == 0
    # depth agrees in both branches, units does not: two Dense layers of unknown width
    assert names[:3] == ["input_layer", "dense", "dense_1"] and model["layers"][1]["params"] is None
    assert any("names they bind differently are unknown" in m for m in messages)
    # a branch that builds a layer is followed, and said to be
    assert "extra" in names and any("following its first branch" in m for m in messages)
    assert model["complete"] is False


def test_undecided_if_skips_the_raising_branch(tmp_path, capsys):
    path = tmp_path / "validate.py"
    path.write_text(textwrap.dedent("""
        import sys
        import keras

        def build(units=16):
            if len(sys.argv) > 3:
                raise SystemExit("too many arguments")
            inputs = keras.Input((4,))
            return keras.Model(inputs, keras.layers.Dense(units)(inputs))
    """))
    code = main(["summary", str(path), "--format", "json"])
    (model,) = json.loads(capsys.readouterr().out)["models"]
    assert code == 0 and model["total_params"] == 80


def test_unbuilt_subclassed_model_counts_what_does_not_depend_on_input(tmp_path, capsys):
    path = tmp_path / "unbuilt.py"
    path.write_text(textwrap.dedent("""
        import keras

        class TextModel(keras.Model):
            def __init__(self):
                super().__init__()
                self.embed = keras.layers.Embedding(1000, 64)
                self.out = keras.layers.Dense(1)

            def call(self, tokens):
                return self.out(self.embed(tokens))

        model = TextModel()
    """))
    main(["summary", str(path), "--format", "json"])
    (model,) = json.loads(capsys.readouterr().out)["models"]
    rows = {row["name"]: row for row in model["layers"]}
    assert model["total_params"] == 0 and not rows["embedding"]["built"]  # as Keras reports it
    assert rows["embedding"]["params_once_built"] == 64_000
    assert rows["dense"]["params_once_built"] is None  # depends on the input's width


def test_model_built_across_skipped_code_is_incomplete(tmp_path, capsys):
    """A loop over a value the analysis cannot know is skipped: a model built across it may
    lack layers, so its total is never marked complete (the worst bug is a wrong total marked
    complete), and the note says where the analysis gave up."""
    path = tmp_path / "skipped.py"
    path.write_text(textwrap.dedent("""
        import keras
        from keras import layers
        from settings import DEPTHS

        inputs = keras.Input((32,))
        x = inputs
        for units in DEPTHS:
            x = layers.Dense(units)(x)
        model = keras.Model(inputs, layers.Dense(2)(x))
    """))
    assert main(["summary", str(path), "--format", "json"]) in (0, 1)
    (model,) = json.loads(capsys.readouterr().out)["models"]
    assert model["complete"] is False


def test_helpers_called_bare_to_explore_them_find_no_errors(tmp_path, capsys):
    """With no model at module level, archlint calls each function that needs no argument.
    A wrapper forwarding ``*args, **kwargs`` called that way builds ``Conv2D()`` from
    arguments nobody wrote: no AL105, and no AL205 for the layer it returns."""
    path = tmp_path / "helpers.py"
    path.write_text(textwrap.dedent("""
        from keras.layers import Conv2D, Dense

        def Conv(*args, **kwargs):
            options = {"padding": "same"}
            options.update(kwargs)
            return Conv2D(*args, **options)

        def head(units=10):
            return Dense(units, activation="softmax")
    """))
    assert main(["check", str(path), "--select", "AL1,AL205"]) == 0
    assert capsys.readouterr().out == ""


def test_sequential_model_is_incomplete_when_the_analysis_stops_after_it(tmp_path, capsys):
    """Code the analysis never reached may still ``add()`` layers to a Sequential model built
    before it stopped (here a loop past the step budget): its total is not marked complete."""
    path = tmp_path / "stopped.py"
    path.write_text(textwrap.dedent("""
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((8,)), layers.Dense(4)])
        while True:
            pass
        model.add(layers.Dense(2))
    """))
    main(["summary", str(path), "--format", "json"])
    (model,) = json.loads(capsys.readouterr().out)["models"]
    assert model["complete"] is False


def test_names_a_skipped_loop_binds_are_unknown_after_it(tmp_path, capsys):
    """``maxlen = 0`` then a loop over lines of a file: archlint cannot run the loop, so
    ``maxlen`` is unknown after it, not 0 (which would be a false AL101 on the Conv1D)."""
    path = tmp_path / "text_cnn.py"
    path.write_text(textwrap.dedent("""
        import keras
        from keras import layers

        maxlen = 0
        for line in open("sentences.txt"):
            words = line.split()
            if len(words) > maxlen:
                maxlen = len(words)

        model = keras.Sequential([
            keras.Input((maxlen,)),
            layers.Embedding(5000, 32),
            layers.Conv1D(16, 3),
        ])
    """))
    assert main(["check", str(path), "--select", "AL1"]) == 0
    assert capsys.readouterr().out == ""


def test_values_lost_in_a_sequential_stack_share_no_name(tmp_path, capsys):
    """Two Sequential models built from generator expressions archlint does not follow keep
    a placeholder per lost value: no AL107 "name used twice" for names nobody knows."""
    path = tmp_path / "heads.py"
    path.write_text(textwrap.dedent("""
        import keras
        from keras import layers

        sizes = [32, 16]
        first = keras.Sequential([layers.Dense(n, name=f"a_{i}")] for i, n in enumerate(sizes))
        second = keras.Sequential([layers.Dense(n, name=f"b_{i}")] for i, n in enumerate(sizes))
        first.add(keras.Sequential([layers.Dense(4)] for _ in range(2)))
        first.add(keras.Sequential([layers.Dense(4)] for _ in range(2)))
    """))
    main(["check", str(path), "--select", "AL107"])
    assert "AL107" not in capsys.readouterr().out


def test_private_shape_spellings_of_keras_2_read_the_shape(tmp_path):
    """``x._keras_shape`` (Keras 2) and ``x._shape_val`` (tf.keras 2) are the tensor's shape."""
    path = tmp_path / "se.py"
    path.write_text(textwrap.dedent("""
        import keras
        from keras import layers

        inputs = keras.Input((8, 8, 12))
        squeezed = layers.GlobalAveragePooling2D()(inputs)
        squeezed = layers.Reshape((1, 1, inputs._shape_val[-1]))(squeezed)
        excited = layers.Dense(inputs._keras_shape[-1] // 4)(squeezed)
        model = keras.Model(inputs, excited)
    """))
    spelled_plainly = tmp_path / "plain.py"
    spelled_plainly.write_text(path.read_text().replace("._shape_val", ".shape").replace("._keras_shape", ".shape"))
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    assert differences(build_fixture(spelled_plainly), archlint_models(path)) == []


def test_deleting_an_unknown_key_makes_the_dict_unknown(tmp_path):
    path = tmp_path / "del.py"
    path.write_text(textwrap.dedent("""
        import os
        import keras

        options = {"units": 4, "name": "head"}
        del options[os.environ["KEY"]]
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(**options)])
    """))
    (model,) = archlint_models(path)
    assert model["total_params"] is None


def test_a_nested_model_with_unknown_weights_leaves_the_total_unknown(tmp_path):
    """A generator whose width comes from the environment, nested in a GAN: the GAN's
    total is unknown, never the 0 of a model whose layers hold nothing."""
    path = tmp_path / "gan.py"
    path.write_text(textwrap.dedent("""
        import os
        import keras

        width = int(os.environ["WIDTH"])
        z = keras.Input((100,))
        generator = keras.Model(z, keras.layers.Dense(width)(z), name="generator")
        image = keras.Input((width,))
        discriminator = keras.Model(image, keras.layers.Dense(1)(image), name="discriminator")
        noise = keras.Input((100,))
        gan = keras.Model(noise, discriminator(generator(noise)), name="gan")
        stacked = keras.Sequential([keras.Input((3,)), keras.layers.Dense(**{k: 4 for k in os.environ})])
    """))
    assert [m["total_params"] for m in archlint_models(path)] == [None, None, None, None]


def test_subclassed_model_build_gives_the_numbers_once_built(tmp_path, capsys):
    """Keras 3's Model.build(shape) leaves a subclassed model's layers empty (total 0, as
    Keras says); archlint says so and gives what they hold once the model is called: what
    real Keras builds when the same model is called on an input of that shape."""
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    fixture = ROOT / "fixtures" / "models" / "subclassed_build_shape.py"
    main(["summary", str(fixture), "--format", "json"])
    model, later_called = json.loads(capsys.readouterr().out)["models"]
    assert model["total_params"] == 0 and later_called["params_once_built"] is None
    called = tmp_path / "called.py"
    called.write_text(fixture.read_text().replace("scorer.build(input_shape=(None, 6))", "scorer(keras.Input((6,)))"))
    (built, _) = build_fixture(called)
    assert model["params_once_built"] == built["total_params"]
    assert [layer["params_once_built"] for layer in model["layers"]] == [layer["params"] for layer in built["layers"]]


TENSOR_FUNCTIONS = """
import keras
from keras import layers
{imports}


class Pool(layers.Layer):
    def call(self, x):
        x = {max_pool}
        return {mean} + {relu}


inputs = keras.Input((26, 26, 64))
x = layers.Lambda(lambda t: {space_to_depth})(inputs)
x = Pool()(x)
x = layers.Lambda(lambda t: {split}[1])(x)
outputs = layers.Conv2D(8, 3)(x)
model = keras.Model(inputs, outputs)
"""
TENSORFLOW_SPELLING = dict(
    imports="import tensorflow as tf",
    max_pool='tf.nn.max_pool2d(x, ksize=2, strides=2, padding="SAME")',
    mean="tf.reduce_mean(x, axis=-1, keepdims=True)",
    relu="tf.nn.relu(x)",
    space_to_depth="tf.nn.space_to_depth(t, block_size=2)",
    split="tf.split(t, 2, axis=-1)",
)
KERAS_OPS_SPELLING = dict(
    imports="from keras import ops",
    max_pool='ops.max_pool(x, 2, 2, padding="same")',
    mean="ops.mean(x, axis=-1, keepdims=True)",
    relu="ops.relu(x)",
    space_to_depth="ops.reshape(ops.transpose(ops.reshape(t, (-1, 13, 2, 13, 2, 64)), (0, 1, 3, 2, 4, 5)), (-1, 13, 13, 256))",
    split="ops.split(t, 2, axis=-1)",
)


def test_tensorflow_functions_inside_layers_follow_the_op_registry(tmp_path):
    """tf.* in a custom layer's call() and in Lambdas: the same model as keras.ops code that
    real Keras builds (TensorFlow is not needed: archlint never runs either)."""
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    keras_ops = tmp_path / "keras_ops.py"
    keras_ops.write_text(TENSOR_FUNCTIONS.format(**KERAS_OPS_SPELLING))
    tensorflow = tmp_path / "tensorflow_functions.py"
    tensorflow.write_text(TENSOR_FUNCTIONS.format(**TENSORFLOW_SPELLING))
    assert differences(build_fixture(keras_ops), archlint_models(tensorflow)) == []


def test_tensorflow_function_on_a_symbolic_tensor_is_a_note(tmp_path, capsys):
    """Keras 3 refuses tf.* on a functional model's KerasTensors: the result is unknown, the
    model incomplete, and the note says what to write instead."""
    path = tmp_path / "symbolic.py"
    path.write_text(textwrap.dedent("""
        import tensorflow as tf
        import keras

        inputs = keras.Input((8, 8, 4))
        x = tf.nn.space_to_depth(inputs, 2)
        x = tf.not_a_function(keras.layers.Lambda(lambda t: tf.unknown_op(t))(inputs))
        model = keras.Model(inputs, keras.layers.Dense(3)(x))
    """))
    main(["summary", str(path), "--format", "json", "--show-incomplete"])
    out = capsys.readouterr()
    (model,) = json.loads(out.out)["models"]
    assert not model["complete"] and model["total_params"] is None
    assert "tf.nn.space_to_depth on a symbolic Keras tensor" in out.err + out.out
    assert "tf.unknown_op is not modelled" in out.err + out.out


BUILDER_CLASS = """
import keras


class Net:
    def __init__(self, config):
        self.width = config["width"]

    def build(self):
        inputs = keras.Input((4,))
        return keras.Model(inputs, keras.layers.Dense(self.width)(inputs), name=f"net_{self.width}")

    @staticmethod
    def small(units=1):
        inputs = keras.Input((2,))
        return keras.Model(inputs, keras.layers.Dense(units)(inputs), name="small")


stem = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)], name="stem")
"""


def test_entries_repeat_and_name_methods(tmp_path):
    """``--entry`` twice, a dotted call and a dotted static method: the module's own model,
    then each entry's, as running the module and then each call with real Keras gives."""
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    script = tmp_path / "builders.py"
    script.write_text(BUILDER_CLASS)
    ran = tmp_path / "ran.py"
    ran.write_text(BUILDER_CLASS + 'first = Net({"width": 3}).build()\nsecond = Net.small()\n')
    got = archlint_models(script, entry=['Net({"width": 3}).build()', "Net.small"])
    expected = build_fixture(ran)
    for model in got + expected:
        model["entry"] = None
    assert differences(expected, got) == []


def test_a_custom_layer_name_the_analysis_did_not_reach_is_no_duplicate(tmp_path, capsys):
    """``Anchors(..., name="anchors_0")`` whose ``__init__`` the analysis cannot follow to
    ``super().__init__(**kwargs)``: its name is not known, so no AL107 against "anchors"."""
    path = tmp_path / "anchors.py"
    path.write_text(textwrap.dedent("""
        import os
        import keras


        class Anchors(keras.layers.Layer):
            def __init__(self, size, **kwargs):
                if os.environ["ANCHORS"]:
                    raise ValueError("unknown anchor set")
                self.size = size
                super().__init__(**kwargs)

            def call(self, x):
                return x


        inputs = keras.Input((8, 4))
        parts = [Anchors(4, name=f"anchors_{i}")(inputs) for i in range(2)]
        model = keras.Model(inputs, keras.layers.Concatenate(axis=1, name="anchors")(parts))
    """))
    main(["check", str(path), "--select", "AL107"])
    assert "AL107" not in capsys.readouterr().out


def test_no_unused_layer_finding_where_unfollowed_code_may_use_it(tmp_path, capsys):
    """AL205 stays silent for a layer handed to a module archlint does not read, read by a
    method (a config template), made by a helper returning a function, or put in a
    Sequential stack as a value the analysis lost; a layer plainly forgotten is reported."""
    path = tmp_path / "unused.py"
    path.write_text(textwrap.dedent("""
        import os
        import keras
        from keras import layers
        from vendor_utils import wrap_layer, compose


        def conv_block(filters):
            return compose(layers.Conv2D(filters, 3), layers.ReLU())


        inputs = keras.Input((8, 8, 3))
        wrapped = wrap_layer(layers.Dropout(0.5))
        template = layers.Dense(4)
        config = template.get_config()
        block = conv_block(8)
        stack = keras.Sequential([layers.Dense(n)] for n in (4, 8))
        forgotten = layers.BatchNormalization()
        model = keras.Model(inputs, layers.Conv2D(4, 3)(inputs))
    """))
    main(["check", str(path), "--select", "AL205"])
    out = capsys.readouterr().out
    assert out.count("AL205") == 1 and "batch_normalization" in out


def test_containers_a_skipped_loop_changes_are_unknown_after_it(tmp_path):
    """Lines read from a file and appended in a loop the analysis cannot run: the list is
    unknown afterwards, never the empty list it started as (which gave Input((0,)))."""
    path = tmp_path / "stories.py"
    path.write_text(textwrap.dedent("""
        import keras

        stories, counts = [], {}
        for line in open("data.txt"):
            stories.append(line.split())
            counts[len(stories)] = 1
        story_maxlen = max(map(len, stories)) if stories else 0
        model = keras.Sequential([keras.Input((story_maxlen,)), keras.layers.Dense(len(counts) + 1)])
    """))
    (model,) = archlint_models(path)
    assert model["total_params"] is None


def test_keras_activation_functions_are_operations(tmp_path):
    """``keras.activations.relu(z)`` called as a function in a custom layer's call()."""
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    source = textwrap.dedent("""
        import keras


        class Noisy(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 4), name="w")

            def call(self, x):
                return {activation}(keras.ops.matmul(x, self.w))


        inputs = keras.Input((3,))
        model = keras.Model(inputs, keras.layers.Dense(1)(Noisy()(inputs)))
    """)
    activations = tmp_path / "activations.py"
    activations.write_text(source.format(activation="keras.activations.relu"))
    assert differences(build_fixture(activations), archlint_models(activations)) == []


def test_a_graph_cut_by_a_lost_value_has_an_unknown_total(tmp_path):
    """A layer called on a value the analysis lost cuts the graph: the layers above the cut
    are not known, so the total is unknown rather than what is left (here 0)."""
    path = tmp_path / "cut.py"
    path.write_text(textwrap.dedent("""
        import keras
        from unknown_blocks import Backbone

        inputs = keras.Input((32, 32, 3))
        x = Backbone()(inputs)
        model = keras.Model(inputs, keras.layers.Activation("relu")(x))
    """))
    (model,) = archlint_models(path)
    assert model["total_params"] is None


def test_a_custom_layer_whose_first_argument_holds_no_tensor(tmp_path):
    """``layer(None, edges=x)``: call() gets its tensors by name (was a crash)."""
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    path = tmp_path / "readout.py"
    path.write_text(textwrap.dedent("""
        import keras


        class Readout(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.project = keras.layers.Dense(3)

            def call(self, states, edges=None, training=False):
                return self.project(edges)


        inputs = keras.Input((4,))
        model = keras.Model(inputs, Readout()(None, edges=inputs))
    """))
    assert differences(build_fixture(path), archlint_models(path)) == []


def test_an_internal_error_stops_one_analysis_not_the_run(tmp_path, capsys, monkeypatch):
    """A bug in archlint on one file is an AL904 finding there; the other files are checked."""
    from archlint.interpreter import arrays

    def broken(args, kwargs):
        raise KeyError("boom")

    monkeypatch.setitem(arrays.FUNCTIONS, "numpy.zeros", broken)
    (tmp_path / "a.py").write_text("import numpy as np\nimport keras\nx = np.zeros((2, 3))\n")
    (tmp_path / "b.py").write_text("import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name='x'), keras.layers.Dense(2, name='x')])\n")
    main(["check", str(tmp_path), "--select", "AL1,AL904"])
    out = capsys.readouterr().out
    assert "a.py:3:5: AL904" in out and "internal error (KeyError" in out
    assert "b.py" in out and "AL107" in out


def test_keras2_resize_images_in_a_lambda(tmp_path):
    """Keras 2's ``K.resize_images`` (tf.keras.backend in Keras 3 with TensorFlow) traced in a
    Lambda: the model real Keras builds from the keras.ops spelling of the same resize."""
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    source = textwrap.dedent("""
        import keras
        {imports}

        inputs = keras.Input((4, 6, 3))
        x = keras.layers.Lambda(lambda t: {resize})(inputs)
        model = keras.Model(inputs, keras.layers.Conv2D(2, 3)(x))
    """)
    legacy = tmp_path / "legacy.py"
    legacy.write_text(source.format(imports="from tensorflow.keras import backend as K",
                                    resize='K.resize_images(t, 2, 3, "channels_last")'))
    ops = tmp_path / "ops.py"
    ops.write_text(source.format(imports="from keras import ops",
                                 resize="ops.repeat(ops.repeat(t, 2, axis=1), 3, axis=2)"))
    assert differences(build_fixture(ops), archlint_models(legacy)) == []
