"""Imports across files: project packages, relative imports, source roots, broken modules.

The models here are small; what is checked is that names flow between files as Python
would bind them, and that a module archlint cannot read costs only that module.
"""

import json
import runpy
import sys
import textwrap

import pytest

from archlint.cli import main


def _write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _summary(capsys, *args):
    code = main(["summary", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


BLOCKS = """
    from keras import layers
    WIDTH = 12

    def head(x, units=WIDTH):
        return layers.Dense(units, name="head")(x)
"""


def test_absolute_relative_and_star_imports(tmp_path, capsys):
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/parts/__init__.py": "from .blocks import *\n",
        "pkg/parts/blocks.py": BLOCKS,
        "pkg/net.py": """
            import keras
            import pkg.parts
            from .parts import head as relative_head
            from pkg.parts.blocks import WIDTH

            inputs = keras.Input((4,))
            a = pkg.parts.head(inputs)
            b = relative_head(inputs, WIDTH * 2)
            model = keras.Model(inputs, [a, b])
        """,
    })
    code, out = _summary(capsys, str(tmp_path / "pkg" / "net.py"))
    assert code == 0
    layers = out["models"][0]["layers"]
    assert [(l["name"], l["output_shape"]) for l in layers[1:]] == [("head", [None, 12]), ("head", [None, 24])]


def test_script_without_keras_builds_through_its_package(tmp_path, capsys):
    _write(tmp_path, {
        "lib/__init__.py": "",
        "lib/build.py": """
            import keras
            def make(width):
                inputs = keras.Input((3,))
                return keras.Model(inputs, keras.layers.Dense(width)(inputs))
        """,
        "train.py": "from lib.build import make\nmodel = make(5)\n",
    })
    code, out = _summary(capsys, str(tmp_path / "train.py"))
    assert code == 0
    assert out["models"][0]["total_params"] == 20


def test_source_root_option(tmp_path, capsys):
    _write(tmp_path, {
        "src/blocks.py": BLOCKS,
        "app/main.py": """
            import keras
            from blocks import head
            inputs = keras.Input((4,))
            model = keras.Model(inputs, head(inputs))
        """,
    })
    path = str(tmp_path / "app" / "main.py")
    _, without = _summary(capsys, path)
    assert without["models"][0]["complete"] is False
    _, with_root = _summary(capsys, path, "--source-root", str(tmp_path / "src"))
    assert with_root["models"][0]["total_params"] == 60


def test_broken_module_costs_only_its_names(tmp_path, capsys):
    _write(tmp_path, {
        "broken.py": "def head(x:\n",
        "main.py": """
            import keras
            from broken import head
            from .missing import thing
            inputs = keras.Input((4,))
            model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
            other = head(inputs)
        """,
    })
    code = main(["summary", str(tmp_path / "main.py"), "--show-incomplete"])
    out = capsys.readouterr().out
    assert code == 0
    assert "cannot analyze imported module broken" in out
    assert "relative import of .missing not found" in out


def test_circular_imports_terminate(tmp_path, capsys):
    _write(tmp_path, {
        "a.py": "import keras\nimport b\nWIDTH = 3\nmodel = b.make()\n",
        "b.py": "import keras\nimport a\n\ndef make():\n    inputs = keras.Input((2,))\n"
                "    return keras.Model(inputs, keras.layers.Dense(4)(inputs))\n",
    })
    code, out = _summary(capsys, str(tmp_path / "a.py"))
    assert code == 0
    assert out["models"][0]["total_params"] == 12


def test_findings_in_an_imported_module_name_that_file_once(tmp_path, capsys):
    _write(tmp_path, {
        "blocks.py": """
            from keras import layers
            def conv_bn(x):
                x = layers.Conv2D(8, 3)(x)
                return layers.BatchNormalization()(x)
        """,
        "net.py": "import keras\nfrom blocks import conv_bn\ninputs = keras.Input((8, 8, 3))\n"
                  "model = keras.Model(inputs, conv_bn(inputs))\n",
        "net2.py": "import keras\nfrom blocks import conv_bn\ninputs = keras.Input((9, 9, 3))\n"
                   "model = keras.Model(inputs, conv_bn(inputs))\n",
    })
    code = main(["check", str(tmp_path / "net.py"), str(tmp_path / "net2.py"), "--select", "AL201"])
    lines = [l for l in capsys.readouterr().out.splitlines() if "AL201" in l]
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(str(tmp_path / "blocks.py") + ":4:")


def test_repository_with_a_stray_top_level_init(tmp_path, capsys):
    """An empty ``__init__.py`` at a repository's top (common in model collections) must not
    hide the packages inside it: a module importing its own package by name still resolves,
    as it does when Python runs it. The total is checked against Keras running the file."""
    _write(tmp_path, {
        "repo/__init__.py": "",
        "repo/collection/__init__.py": "",
        "repo/collection/layer_utils.py": """
            from keras import layers

            def conv_block(x, filters):
                x = layers.Conv2D(filters, 3, padding="same")(x)
                return layers.BatchNormalization()(x)
        """,
        "repo/collection/model_net.py": """
            import keras
            from collection.layer_utils import *

            inputs = keras.Input((32, 32, 3))
            model = keras.Model(inputs, conv_block(conv_block(inputs, 8), 16))
        """,
    })
    path = tmp_path / "repo" / "collection" / "model_net.py"
    code, out = _summary(capsys, str(path))
    assert code == 0 and out["models"][0]["complete"]
    keras = pytest.importorskip("keras")
    sys.path.insert(0, str(tmp_path / "repo"))
    try:
        built = runpy.run_path(str(path))["model"]
    finally:
        sys.path.remove(str(tmp_path / "repo"))
        for name in [m for m in sys.modules if m == "collection" or m.startswith("collection.")]:
            del sys.modules[name]
    assert out["models"][0]["total_params"] == built.count_params() and isinstance(built, keras.Model)


INSTALLED_LAYERS = {
    "keras_extra_layers/__init__.py": "from .attention import *\nfrom .pooling import GeneralizedMeanPooling\n",
    "keras_extra_layers/attention.py": '''
import keras


class AdditiveSelfAttention(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.query = self.add_weight(shape=(input_shape[-1], self.units), name="query")
        self.score = self.add_weight(shape=(self.units, 1), name="score")

    def call(self, x):
        weights = keras.ops.softmax(keras.ops.matmul(keras.ops.tanh(keras.ops.matmul(x, self.query)), self.score), axis=1)
        return keras.ops.sum(x * weights, axis=1)
''',
    "keras_extra_layers/pooling.py": '''
from keras import layers, ops


class GeneralizedMeanPooling(layers.Layer):
    def build(self, input_shape):
        self.p = self.add_weight(shape=(1,), initializer="ones", name="p")

    def call(self, x):
        return ops.mean(x, axis=1)
''',
}
USES_INSTALLED_LAYERS = """
import keras
from keras_extra_layers import AdditiveSelfAttention, GeneralizedMeanPooling

tokens = keras.Input(shape=(12, 32))
attended = AdditiveSelfAttention(16)(tokens)
pooled = GeneralizedMeanPooling()(tokens)
merged = keras.layers.concatenate([attended, pooled])
model = keras.Model(tokens, keras.layers.Dense(2)(merged))
"""


def test_layers_from_an_installed_package_are_read_as_source(tmp_path, monkeypatch):
    """A package of custom layers installed in site-packages is summarised like the user's
    own code: read, never imported (real Keras imports it to give the expected summary)."""
    pytest.importorskip("keras")
    from compare import archlint_models, differences
    from keras_oracle import build_fixture

    site = tmp_path / "env" / "site-packages"
    for name, text in INSTALLED_LAYERS.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    script = tmp_path / "project" / "train.py"
    script.parent.mkdir()
    script.write_text(USES_INSTALLED_LAYERS)
    monkeypatch.syspath_prepend(str(site))
    assert differences(build_fixture(script), archlint_models(script)) == []


def test_installed_packages_that_are_not_keras_code_are_not_read(tmp_path, monkeypatch):
    from archlint.project import ModuleFinder, is_keras_package

    site = tmp_path / "site-packages"
    (site / "plain_utils").mkdir(parents=True)
    (site / "plain_utils" / "__init__.py").write_text("def width():\n    return 4\n")
    monkeypatch.syspath_prepend(str(site))
    is_keras_package.cache_clear()
    finder = ModuleFinder(str(tmp_path / "script.py"))
    assert finder.find("plain_utils") is None
    assert finder.find("numpy") is None
