"""Random but valid Keras programs, one per seed, in the styles people write models in:
Sequential (a list or ``add()``), functional with branches joined by ``Add`` or
``Concatenate``, several inputs, helper functions called more than once, ``for`` loops,
subclassed models and custom layers with their own weights.

The generator tracks shapes roughly (enough that most programs build); real Keras decides:
a program Keras refuses is not used. ``shrink`` cuts a program whose archlint summary differs
from Keras's down to the fewest statements that still differ, for a regression fixture.
Nothing here imports Keras; ``tests/test_generated_programs.py`` builds the programs.
"""

from __future__ import annotations

import ast
import random
from typing import Callable, List, Optional, Tuple

HEADER = "import keras\nfrom keras import layers\n\n"
ACTIVATIONS = ["None", '"relu"', '"tanh"', '"sigmoid"', '"gelu"', '"softmax"']


class _Image:
    """A functional program over a (rows, cols, channels) feature map, written line by line."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.lines: List[str] = []
        self.count = 0
        self.helpers: List[str] = []

    def name(self) -> str:
        self.count += 1
        return f"x{self.count}"

    def conv(self, source: str, size: int, channels: int) -> Tuple[str, int, int]:
        rng = self.rng
        filters = rng.choice([4, 8, 16])
        kernel = rng.choice([1, 3, 5]) if size >= 5 else 1
        padding = rng.choice(['"same"', '"valid"']) if kernel > 1 else '"same"'
        strides = rng.choice([1, 1, 2]) if size >= 8 else 1
        bias = rng.choice(["", ", use_bias=False"])
        target = self.name()
        self.lines.append(f"{target} = layers.Conv2D({filters}, {kernel}, strides={strides}, padding={padding}, "
                          f"activation={rng.choice(ACTIVATIONS[:3])}{bias})({source})")
        new = size if padding == '"same"' else size - kernel + 1
        return target, -(-new // strides), filters

    def step(self, source: str, size: int, channels: int) -> Tuple[str, int, int]:
        rng = self.rng
        kind = rng.choice(["conv", "conv", "bn", "pool", "branch", "depthwise", "helper", "loop", "dropout"])
        if kind == "bn":
            target = self.name()
            self.lines.append(f"{target} = layers.BatchNormalization()({source})")
            return target, size, channels
        if kind == "dropout":
            target = self.name()
            self.lines.append(f"{target} = layers.SpatialDropout2D(0.1)({source})")
            return target, size, channels
        if kind == "pool" and size >= 4:
            target = self.name()
            pool = rng.choice(["MaxPooling2D", "AveragePooling2D"])
            self.lines.append(f"{target} = layers.{pool}(2)({source})")
            return target, size // 2, channels
        if kind == "depthwise" and size >= 3:
            target = self.name()
            self.lines.append(f"{target} = layers.DepthwiseConv2D(3, padding=\"same\", depth_multiplier={rng.choice([1, 2])})({source})")
            return target, size, None
        if kind == "branch":
            filters = rng.choice([4, 8])
            left, right = self.name(), self.name()
            self.lines.append(f"{left} = layers.Conv2D({filters}, 3, padding=\"same\")({source})")
            self.lines.append(f"{right} = layers.Conv2D({filters}, 1)({source})")
            target = self.name()
            if rng.random() < 0.5:
                self.lines.append(f"{target} = layers.Add()([{left}, {right}])")
                return target, size, filters
            self.lines.append(f"{target} = layers.Concatenate()([{left}, {right}])")
            return target, size, 2 * filters
        if kind == "helper":
            filters = rng.choice([4, 8])
            if not self.helpers:
                self.helpers.append(
                    "def block(x, filters, name=None):\n"
                    "    y = layers.Conv2D(filters, 3, padding=\"same\", use_bias=False)(x)\n"
                    "    y = layers.BatchNormalization()(y)\n"
                    "    return layers.Activation(\"relu\", name=name)(y)\n")
            target = self.name()
            self.lines.append(f"{target} = block({source}, {filters})")
            return target, size, filters
        if kind == "loop":
            target = self.name()
            repeat = rng.randint(1, 3)
            self.lines.append(f"{target} = {source}")
            self.lines.append(f"for _ in range({repeat}):")
            self.lines.append(f"    {target} = layers.Conv2D(8, 3, padding=\"same\", activation=\"relu\")({target})")
            return target, size, 8
        return self.conv(source, size, channels)

    def program(self) -> str:
        rng = self.rng
        size = rng.choice([8, 16, 28, 32])
        channels = rng.choice([1, 3])
        self.lines.append(f"inputs = keras.Input(({size}, {size}, {channels}))")
        current = "inputs"
        for _ in range(rng.randint(2, 7)):
            current, size, channels = self.step(current, size, channels)
            if size < 1:
                break
        head = self.name()
        self.lines.append(f"{head} = layers.{rng.choice(['Flatten', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D'])}()({current})")
        out = self.name()
        self.lines.append(f"{out} = layers.Dense({rng.choice([2, 10])}, activation=\"softmax\")({head})")
        self.lines.append(f"model = keras.Model(inputs, {out})")
        return HEADER + "".join(h + "\n" for h in self.helpers) + "\n".join(self.lines) + "\n"


def _sequential(rng: random.Random) -> str:
    dense_first = rng.random() < 0.4
    lines = []
    if dense_first:
        stack = [f"keras.Input(({rng.choice([4, 16, 784])},))"]
        for _ in range(rng.randint(1, 5)):
            stack.append(rng.choice([f"layers.Dense({rng.choice([8, 32, 64])}, activation={rng.choice(ACTIVATIONS)})",
                                     "layers.Dropout(0.25)", "layers.BatchNormalization()",
                                     f"layers.Dense({rng.choice([4, 16])}, use_bias=False)", "layers.LayerNormalization()"]))
    else:
        steps, features = rng.choice([10, 20]), rng.choice([1, 4])
        stack = [f"keras.Input(({steps}, {features}))"]
        for _ in range(rng.randint(0, 2)):
            stack.append(rng.choice([f"layers.Conv1D({rng.choice([4, 8])}, 3, padding=\"same\")",
                                     f"layers.LSTM({rng.choice([4, 8])}, return_sequences=True)",
                                     f"layers.GRU({rng.choice([4, 8])}, return_sequences=True)",
                                     f"layers.Bidirectional(layers.LSTM({rng.choice([2, 4])}, return_sequences=True))",
                                     "layers.MaxPooling1D(2)"]))
        stack.append(rng.choice(["layers.Flatten()", "layers.GlobalAveragePooling1D()", f"layers.LSTM({rng.choice([3, 6])})"]))
    stack.append(f"layers.Dense({rng.choice([1, 3, 10])}, activation=\"softmax\")")
    if rng.random() < 0.5:
        lines.append("model = keras.Sequential([\n" + "".join(f"    {s},\n" for s in stack) + "])")
    else:
        lines.append("model = keras.Sequential()")
        lines.extend(f"model.add({s})" for s in stack)
    return HEADER + "\n".join(lines) + "\n"


def _subclassed(rng: random.Random) -> str:
    width, hidden, classes = rng.choice([4, 12]), rng.choice([8, 16]), rng.choice([2, 5])
    extra = rng.random() < 0.5
    return HEADER + (
        "class Scale(layers.Layer):\n"
        "    def build(self, input_shape):\n"
        "        self.scale = self.add_weight(shape=(input_shape[-1],), initializer=\"ones\")\n"
        "        self.offset = self.add_weight(shape=(1,), initializer=\"zeros\", trainable=False)\n\n"
        "    def call(self, x):\n"
        "        return x * self.scale + self.offset\n\n\n"
        "class Classifier(keras.Model):\n"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        f"        self.hidden = layers.Dense({hidden}, activation=\"relu\")\n"
        + (f"        self.more = layers.Dense({hidden})\n" if extra else "")
        + "        self.scale = Scale()\n"
        f"        self.out = layers.Dense({classes})\n\n"
        "    def call(self, x):\n"
        "        x = self.hidden(x)\n"
        + ("        x = self.more(x)\n" if extra else "")
        + "        return self.out(self.scale(x))\n\n\n"
        f"inputs = keras.Input(({width},))\n"
        "model = keras.Model(inputs, Scale()(layers.Dense(3)(inputs)))\n"
        "classifier = Classifier()\n"
        f"classifier.build((None, {width}))\n")


def _two_inputs(rng: random.Random) -> str:
    """Tokens and numbers in, one head out: Embedding, recurrent or convolutional encoders,
    a Concatenate, a helper called twice."""
    length, vocab, dim = rng.choice([10, 30]), rng.choice([100, 5000]), rng.choice([8, 16])
    encoder = rng.choice([f"layers.LSTM({dim})", f"layers.GRU({dim})", "layers.GlobalAveragePooling1D()",
                          f"layers.Bidirectional(layers.LSTM({dim // 2}))"])
    conv = rng.random() < 0.5
    return HEADER + (
        "def dense_block(x, units):\n"
        "    x = layers.Dense(units, use_bias=False)(x)\n"
        "    x = layers.BatchNormalization()(x)\n"
        "    return layers.Activation(\"relu\")(x)\n\n\n"
        f"tokens = keras.Input(({length},), dtype=\"int32\")\n"
        f"numbers = keras.Input(({rng.choice([3, 7])},))\n"
        f"x = layers.Embedding({vocab}, {dim})(tokens)\n"
        + (f"x = layers.Conv1D({dim}, 3, padding=\"same\", activation=\"relu\")(x)\n" if conv else "")
        + f"x = {encoder}(x)\n"
        f"y = dense_block(numbers, {rng.choice([4, 8])})\n"
        f"y = dense_block(y, {rng.choice([4, 8])})\n"
        "z = layers.Concatenate()([x, y])\n"
        f"z = layers.Dropout(0.2)(z)\n"
        f"out = layers.Dense({rng.choice([1, 4])}, activation=\"sigmoid\")(z)\n"
        "model = keras.Model([tokens, numbers], out)\n")


STYLES: List[Tuple[str, Callable[[random.Random], str]]] = [
    ("two inputs", _two_inputs),
    ("functional", lambda rng: _Image(rng).program()),
    ("sequential", _sequential),
    ("subclassed", _subclassed),
]


def program(seed: int) -> Tuple[str, str]:
    """(style, source) of the program for ``seed``."""
    rng = random.Random(seed)
    style, make = STYLES[seed % len(STYLES)]
    return style, make(rng)


def shrink(source: str, still_differs: Callable[[str], bool]) -> str:
    """Drop top-level statements (and statements inside loops and functions are kept whole)
    one at a time while ``still_differs(candidate)`` holds."""
    lines = source.splitlines(keepends=True)
    starts = [node.lineno - 1 for node in ast.parse(source).body]
    spans = [(start, end) for start, end in zip(starts, starts[1:] + [len(lines)])]
    changed = True
    while changed:
        changed = False
        for start, end in reversed(spans):
            candidate = "".join(lines[:start] + lines[end:])
            try:
                ast.parse(candidate)
            except SyntaxError:
                continue
            if still_differs(candidate):
                lines = lines[:start] + lines[end:]
                starts = [node.lineno - 1 for node in ast.parse("".join(lines)).body]
                spans = [(s, e) for s, e in zip(starts, starts[1:] + [len(lines)])]
                changed = True
                break
    return "".join(lines)


def styles_of(seeds) -> Optional[dict]:
    counts: dict = {}
    for seed in seeds:
        counts[STYLES[seed % len(STYLES)][0]] = counts.get(STYLES[seed % len(STYLES)][0], 0) + 1
    return counts
