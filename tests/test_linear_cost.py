"""Building a model costs work linear in its size, whatever the style: the layer calls the
analysis makes (one node per call) for n and 2n layers differ by about 2x. Counted, not timed."""

import pytest

from archlint.pipeline import analyze_file

STYLES = {
    "add": lambda n: "model = keras.Sequential()\nmodel.add(keras.Input((8,)))\n" + "model.add(layers.Dense(8))\n" * n,
    "list": lambda n: "model = keras.Sequential([keras.Input((8,)),\n" + "    layers.Dense(8),\n" * n + "])\n",
    "functional": lambda n: "x = inputs = keras.Input((8,))\n" + "x = layers.Dense(8)(x)\n" * n
                            + "model = keras.Model(inputs, x)\n",
    "loop": lambda n: f"model = keras.Sequential([keras.Input((8,))])\nfor _ in range({n}):\n    model.add(layers.Dense(8))\n",
}


def _calls(tmp_path, style, n):
    path = tmp_path / f"{style}_{n}.py"
    path.write_text("import keras\nfrom keras import layers\n" + STYLES[style](n))
    result = analyze_file(str(path))
    (model,) = result.models
    assert len(result.summaries[0].rows) == n + (result.summaries[0].kind == "Functional")
    return sum(len(layer.nodes) for layer in model.layers)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_twice_the_layers_is_twice_the_work(tmp_path, style):
    small, large = _calls(tmp_path, style, 150), _calls(tmp_path, style, 300)
    assert 1.8 <= large / small <= 2.2, (small, large)
