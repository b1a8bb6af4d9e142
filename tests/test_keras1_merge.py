"""Keras 1 ``merge(..., mode=...)`` and ``Merge`` checked against their Keras 3 rewrite.

Keras 3 has no ``merge``: each case pairs a Keras 1 style model file with the same model
written with Keras 3 merge layers (``Concatenate(axis=...)``, ``Add``, ``Multiply``,
``Average``, ``Maximum``, ``Dot(axes=..., normalize=...)``, ``Lambda``). Real Keras builds
the rewrite; archlint's summary of the Keras 1 file must describe the same model.
"""

import json
import textwrap

import pytest

from archlint.cli import main
from archlint.layers import lookup
from compare import archlint_models, differences

NEEDS_DOT = "mode='dot'/'cos' becomes keras.layers.Dot, which is not in archlint's catalog yet"

# id -> (Keras 1 source, Keras 3 rewrite, needs the Dot layer)
CASES = {
    "elementwise-and-concat-modes": (
        """
        from keras.layers import Input, Dense, merge
        from keras.models import Model

        a = Input(shape=(16,))
        b = Input(shape=(16,))
        x = Dense(8, activation="relu")(a)
        y = Dense(8)(b)
        total = merge([x, y], mode="sum")
        product = merge([x, y], "mul")
        mean = merge([x, y, total], mode="ave")
        peak = merge([x, y], mode="max")
        out = merge([total, product, mean, peak], mode="concat", concat_axis=1)
        model = Model(input=[a, b], output=Dense(3)(out))
        """,
        """
        from keras.layers import Input, Dense, Add, Multiply, Average, Maximum, Concatenate
        from keras.models import Model

        a = Input(shape=(16,))
        b = Input(shape=(16,))
        x = Dense(8, activation="relu")(a)
        y = Dense(8)(b)
        total = Add()([x, y])
        product = Multiply()([x, y])
        mean = Average()([x, y, total])
        peak = Maximum()([x, y])
        out = Concatenate(axis=1)([total, product, mean, peak])
        model = Model([a, b], Dense(3)(out))
        """,
        False,
    ),
    "concat-axis-on-sequences-module-path": (
        """
        import keras

        a = keras.layers.Input(shape=(10, 4))
        b = keras.layers.Input(shape=(6, 4))
        x = keras.layers.Conv1D(8, 3, padding="same")(a)
        y = keras.layers.Conv1D(8, 3, padding="same")(b)
        steps = keras.layers.merge([x, y], mode="concat", concat_axis=1, name="steps")
        both = keras.layers.merge([steps, steps], mode="concat")
        model = keras.models.Model(input=[a, b], output=both)
        """,
        """
        import keras

        a = keras.layers.Input(shape=(10, 4))
        b = keras.layers.Input(shape=(6, 4))
        x = keras.layers.Conv1D(8, 3, padding="same")(a)
        y = keras.layers.Conv1D(8, 3, padding="same")(b)
        steps = keras.layers.Concatenate(axis=1, name="steps")([x, y])
        both = keras.layers.Concatenate()([steps, steps])
        model = keras.Model([a, b], both)
        """,
        False,
    ),
    "merge-layer-default-sum-and-positional-concat-axis": (
        """
        from keras.layers import Input, Convolution2D, Merge, merge, Flatten, Dense
        from keras.models import Model

        image = Input(shape=(12, 12, 3))
        left = Convolution2D(8, 3, 3, border_mode="same")(image)
        right = Convolution2D(8, 1, 1)(image)
        summed = Merge()([left, right])
        stacked = merge([summed, left], "concat", -1)
        maxed = Merge(mode="max", name="maxed")([stacked, stacked])
        model = Model(input=image, output=Dense(2)(Flatten()(maxed)))
        """,
        """
        from keras.layers import Input, Conv2D, Add, Concatenate, Maximum, Flatten, Dense
        from keras.models import Model

        image = Input(shape=(12, 12, 3))
        left = Conv2D(8, (3, 3), padding="same")(image)
        right = Conv2D(8, (1, 1))(image)
        summed = Add()([left, right])
        stacked = Concatenate(axis=-1)([summed, left])
        maxed = Maximum(name="maxed")([stacked, stacked])
        model = Model(image, Dense(2)(Flatten()(maxed)))
        """,
        False,
    ),
    "merge-layer-given-its-layers": (
        """
        from keras.layers import Input, Dense, Merge
        from keras.models import Model

        a = Input(shape=(5,))
        left = Dense(4)
        right = Dense(4)
        left(a)
        right(a)
        joined = Merge([left, right], mode="concat")
        model = Model(input=a, output=Dense(1)(joined.output))
        """,
        """
        from keras.layers import Input, Dense, Concatenate
        from keras.models import Model

        a = Input(shape=(5,))
        left = Dense(4)
        right = Dense(4)
        joined = Concatenate()([left(a), right(a)])
        model = Model(a, Dense(1)(joined))
        """,
        False,
    ),
    "function-mode-with-output-shape": (
        """
        from keras.layers import Input, Dense, merge
        from keras.models import Model

        a = Input(shape=(6,))
        b = Input(shape=(6,))
        diff = merge([Dense(4)(a), Dense(4)(b)], mode=lambda t: t[0] - t[1], output_shape=(4,))
        model = Model(input=[a, b], output=diff)
        """,
        """
        from keras.layers import Input, Dense, Lambda
        from keras.models import Model

        a = Input(shape=(6,))
        b = Input(shape=(6,))
        diff = Lambda(lambda t: t[0] - t[1], output_shape=(4,))([Dense(4)(a), Dense(4)(b)])
        model = Model([a, b], diff)
        """,
        False,
    ),
    "dot-and-cos-modes": (
        """
        from keras.layers import Input, Dense, merge
        from keras.models import Model

        a = Input(shape=(5, 8))
        b = Input(shape=(7, 8))
        scores = merge([a, b], mode="dot", dot_axes=2)
        context = merge([scores, b], mode="dot", dot_axes=(2, 1))
        q = Dense(6)(Input(shape=(6,), name="q"))
        similarity = merge([q, q], mode="cos")
        model = Model(input=[a, b], output=[context, Dense(2)(scores)])
        """,
        """
        from keras.layers import Input, Dense, Dot
        from keras.models import Model

        a = Input(shape=(5, 8))
        b = Input(shape=(7, 8))
        scores = Dot(axes=2)([a, b])
        context = Dot(axes=(2, 1))([scores, b])
        q = Dense(6)(Input(shape=(6,), name="q"))
        similarity = Dot(axes=-1, normalize=True)([q, q])
        model = Model([a, b], [context, Dense(2)(scores)])
        """,
        True,
    ),
}


def _write(directory, name, source):
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source).lstrip())
    return path


def _json_layers(path, capsys):
    """archlint's ``summary --format json`` for ``path``: per model, its totals and layer rows."""
    assert main(["summary", str(path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["errors"] == []
    return [
        (
            model["total_params"],
            model["trainable_params"],
            model["non_trainable_params"],
            [(r["name"], r["class"], r["output_shape"], r["params"], r["trainable_params"]) for r in model["layers"]],
        )
        for model in document["models"]
    ]


def _keras_layers(reference):
    return [
        (
            model["total_params"],
            model["trainable_params"],
            model["non_trainable_params"],
            [(r["name"], r["class"], r["output_shape"], r["params"], r["trainable_params"]) for r in model["layers"]],
        )
        for model in reference
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_keras1_merge_matches_keras3_rewrite(case, tmp_path, capsys):
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    keras1, keras3, needs_dot = CASES[case]
    if needs_dot and lookup("Dot") is None:
        pytest.skip(NEEDS_DOT)
    reference = build_fixture(_write(tmp_path, "keras3", keras3))
    path = _write(tmp_path, "keras1", keras1)
    assert _json_layers(path, capsys) == _keras_layers(reference)
    assert differences(reference, archlint_models(path)) == []


def test_merge_of_sequential_branches_is_reported_not_guessed(tmp_path, capsys):
    """Keras 1 ``Sequential().add(Merge([model1, model2]))`` has no Keras 3 equivalent to compute."""
    path = _write(
        tmp_path,
        "branches",
        """
        from keras.models import Sequential
        from keras.layers import Dense, Merge

        left = Sequential()
        left.add(Dense(4, input_dim=3))
        right = Sequential()
        right.add(Dense(4, input_dim=3))
        model = Sequential()
        model.add(Merge([left, right], mode="concat"))
        model.add(Dense(1))
        """,
    )
    assert main(["summary", str(path), "--format", "json", "--show-incomplete"]) == 0
    document = json.loads(capsys.readouterr().out)
    rows = [r for m in document["models"] for r in m["layers"] if r["class"] == "Merge"]
    assert len(rows) == 1 and rows[0]["output_shape"] is None
    assert [f["line"] for f in document["findings"] if "Sequential branches" in f["message"]] == [9]
