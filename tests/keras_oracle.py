"""The oracle: build each fixture with real Keras and describe its models as archlint would.

Runs a fixture file the way archlint reads it (as ``python fixture.py`` would: its
``__main__`` block runs; a snippet that never imports Keras gets the imports its reader
would add first), collects the models built, or else calls each top-level function
that needs no arguments in a fresh Keras session, and records per model its layers'
class, output shape and parameter counts, the totals, and the text ``summary()`` prints.

``python tests/keras_oracle.py`` regenerates every golden under ``tests/goldens/``
(``--only NAME``: one fixture's); ``--check`` only reports which goldens differ. Needs the test extra (keras + a backend).
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import json
import os
import sys
import traceback
import types
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ["COLUMNS"] = "200"  # Keras sizes its summary table from the terminal width

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "models"
PROJECTS = ROOT / "fixtures" / "projects"  # scripts importing packages that live beside them
GOLDENS = ROOT / "tests" / "goldens"
SUMMARY_WIDTH = 200


def tensorflow_import(keras_surface):
    """``import tensorflow...`` answered with a stand-in module whose ``keras`` is
    ``keras_surface``: a function of (name, fromlist) returning what the import binds."""
    tf = types.ModuleType("tensorflow")
    tf.keras = keras_surface

    def imported(name, fromlist):
        if not fromlist:
            return tf
        target = tf
        for part in name.split(".")[1:]:
            target = getattr(target, part)
        return target

    return imported


def _fixture_builtins(keras) -> dict:
    """Builtins for running a fixture whose ``import tensorflow`` means Keras 3.

    Only the fixture's own imports see the alias; Keras itself keeps seeing that
    TensorFlow is not installed (a stub in ``sys.modules`` would fool its checks).
    """
    import builtins

    tensorflow = tensorflow_import(keras)
    real_import = builtins.__import__

    def fixture_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "tensorflow" or name.startswith("tensorflow.")):
            return tensorflow(name, fromlist)
        return real_import(name, globals, locals, fromlist, level)

    return {**builtins.__dict__, "__import__": fixture_import}


# What a reader adds to a snippet pasted without its imports (Stack Overflow, notebook cells).
SNIPPET_IMPORTS = """\
import keras
from keras import layers, models
from keras.layers import *
from keras.models import Model, Sequential
"""


def snippet_prelude(source: str) -> str:
    """For a file that imports neither Keras nor TensorFlow: the imports, and a Sequential
    for each name used as ``NAME.add(...)`` that the file never assigns."""
    tree = ast.parse(source)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    if imported & {"keras", "tensorflow"}:
        return ""
    assigned = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    added_to = sorted({
        node.func.value.id for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add"
        and isinstance(node.func.value, ast.Name) and node.func.value.id not in assigned
    })
    return SNIPPET_IMPORTS + "".join(f"{name} = Sequential()\n" for name in added_to)


def _run_fixture(path: Path, keras) -> dict:
    """Execute a fixture as ``python fixture.py`` would run it (a snippet after its prelude).

    The module is registered as ``sys.modules["__main__"]`` while it runs (``dataclasses``
    looks its defining module up there) and the test runner's is put back afterwards.
    """
    module = types.ModuleType("__main__")
    module.__dict__.update({"__file__": str(path), "__builtins__": _fixture_builtins(keras)})
    runner_main = sys.modules["__main__"]
    sys.modules["__main__"] = module
    before = set(sys.modules)
    sys.path.insert(0, str(path.parent))  # as `python script.py` would: its packages import
    source = path.read_text()
    try:
        exec(snippet_prelude(source), module.__dict__)
        exec(compile(source, str(path), "exec"), module.__dict__)
    finally:
        sys.path.remove(str(path.parent))
        for name in set(sys.modules) - before:  # the project's own modules, for the next fixture
            if getattr(sys.modules[name], "__file__", None) and str(path.parent) in str(sys.modules[name].__file__):
                del sys.modules[name]
        sys.modules["__main__"] = runner_main
    return module.__dict__


def _builder(caller, keras_src: Path):
    """Who built a model, from the frame that called its class: ``"user"`` for code outside
    Keras, ``"applications"`` for ``keras.applications`` (whose builders archlint reads as
    source), None for Keras itself (a Sequential's inner Functional)."""
    try:
        inside = Path(caller.f_code.co_filename).resolve().relative_to(keras_src).parts
    except ValueError:
        return "user"
    return "applications" if inside[0] == "applications" else None


@contextlib.contextmanager
def recording_models():
    """Collect every model built inside the block, in the order built, as archlint reports
    them: the models the program builds, and the ``keras.applications`` models that are not
    a layer of another model."""
    import keras
    from keras.src.models.functional import Functional
    from keras.src.models.model import Model
    from keras.src.models.sequential import Sequential

    keras_src = Path(keras.__file__).resolve().parent / "src"
    created, by_applications = [], set()
    originals = {cls: cls.__dict__["__new__"] for cls in (Model, Sequential, Functional)}

    def recording(original):
        def recording_new(cls, *args, **kwargs):
            instance = original(cls, *args, **kwargs)
            if all(instance is not m for m in created):
                builder = _builder(sys._getframe(1), keras_src)
                if builder:
                    created.append(instance)
                if builder == "applications":
                    by_applications.add(id(instance))
            return instance

        return recording_new

    for cls, original in originals.items():
        cls.__new__ = recording(original)
    models: list = []
    try:
        yield models
    finally:
        for cls, original in originals.items():
            cls.__new__ = original
        nested = {id(layer) for model in created for layer in model.layers}
        models.extend(m for m in created if not (id(m) in by_applications and id(m) in nested))


def _models_in(value, keras):
    if isinstance(value, keras.Model):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            for model in _models_in(item, keras):
                if all(model is not m for m in out):
                    out.append(model)
        return out
    return []


def _shape(layer):
    if not layer._inbound_nodes:
        return None
    outputs = layer._inbound_nodes[-1].output_tensors
    shapes = [list(t.shape) for t in outputs]
    return shapes[0] if len(shapes) == 1 else shapes


def _count(weights) -> int:
    import math

    return int(sum(math.prod(w.shape) for w in weights))


def _units(layer):
    """Neurons as the seed's accepted answer counts them: Dense units, convolution filters
    (a bidirectional layer has both directions' units)."""
    if layer.__class__.__name__ == "Bidirectional":
        return _units(layer.forward_layer) + _units(layer.backward_layer)
    inner = getattr(layer, "layer", None)
    if layer.__class__.__name__ == "TimeDistributed" and inner is not None:
        layer = inner
    for attribute in ("units", "filters"):
        value = getattr(layer, attribute, None)
        if isinstance(value, int):
            return value
    return None


def describe(model, entry: str) -> dict:
    rows = []
    for layer in model.layers:
        built = bool(layer.built)
        rows.append(
            {
                "name": layer.name,
                "class": layer.__class__.__name__,
                "output_shape": _shape(layer),
                "params": _count(layer.weights) if built else 0,
                "trainable_params": _count(layer.trainable_weights) if built else 0,
                "non_trainable_params": _count(layer.non_trainable_weights) if built else 0,
                "built": built,
                "units": _units(layer),
            }
        )
    lines = []
    model.summary(print_fn=lambda text, **_: lines.append(text))
    trainable = _count(model.trainable_weights)
    non_trainable = _count(model.non_trainable_weights)
    return {
        "name": model.name,
        "entry": entry,
        "total_params": trainable + non_trainable,
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
        "layers": rows,
        "summary_text": "".join(lines),
    }


def build_fixture(path: Path) -> list:
    """Real Keras's description of every model the fixture builds, in archlint's entry order."""
    import keras

    keras.backend.clear_session()
    with contextlib.redirect_stdout(io.StringIO()):
        with recording_models() as models:
            namespace = _run_fixture(path, keras)
        for value in namespace.values():
            for model in _models_in(value, keras):
                if all(model is not m for m in models):
                    models.append(model)
        if models:
            return [describe(m, "module") for m in models]
        described = []
        for name, value in namespace.items():
            if not inspect.isfunction(value) or value.__code__.co_filename != str(path):
                continue
            params = inspect.signature(value).parameters.values()
            if any(p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
                continue
            keras.backend.clear_session()
            with recording_models() as models:
                returned = value()
            for model in _models_in(returned, keras):
                if all(model is not m for m in models):
                    models.append(model)
            described.extend(describe(model, f"function:{name}") for model in models)
        return described


def fixture_files() -> list:
    """Every fixture a golden is kept for: single-file models, then project scripts."""
    return sorted(FIXTURES.glob("*.py")) + sorted(PROJECTS.glob("*.py"))


def lines_where_keras_raises(path: Path):
    """Run the fixture statement by statement with real Keras; for each statement that
    raises, the lines it spans and the innermost line of the fixture the error came from."""
    source = path.read_text()
    namespace = {"__name__": "fixture", "__file__": str(path)}
    raised = []
    for statement in ast.parse(source).body:
        code = compile(ast.Module(body=[statement], type_ignores=[]), str(path), "exec")
        try:
            exec(code, namespace)
        except Exception as error:  # noqa: BLE001 - any refusal by Keras counts
            frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
            raised.append((range(statement.lineno, statement.end_lineno + 1), frames[-1].lineno, repr(error)[:120]))
    return raised


def golden_path(fixture: Path) -> Path:
    return GOLDENS / (fixture.stem + ".json")


def _golden_text(path: Path) -> str:
    import keras

    document = {"fixture": str(path.relative_to(ROOT)), "keras_version": keras.__version__, "models": build_fixture(path)}
    return json.dumps(document, indent=1) + "\n"


def main(argv=None) -> int:
    from golden_files import write_or_check

    cases = {path.stem: (lambda path=path: _golden_text(path)) for path in fixture_files()}
    return write_or_check(__doc__.splitlines()[0], cases, GOLDENS, argv)


if __name__ == "__main__":
    sys.exit(main())
