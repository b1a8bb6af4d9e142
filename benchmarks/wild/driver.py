"""Build one wild case with real Keras and write what it built: the truth archlint is scored on.

    KERAS_BACKEND=numpy python benchmarks/wild/driver.py CASE_ID OUT.json
    KERAS_BACKEND=tensorflow python benchmarks/wild/driver.py CASE_ID OUT.json --costs

Runs in its own process (``make_truth.py`` starts one per case). The case's file runs as
an imported module (``__name__`` is not ``"__main__"``), only the manifest's line ranges
when it gives them (other lines are blanked, so line numbers stay), after the manifest's
stubs are in place; then each entry expression is evaluated in the module's namespace.
Every model created on the way is recorded in creation order, as the test oracle records
a fixture's (``tests/keras_oracle.recording_models``: the case's own models, and the
``keras.applications`` models that are no layer of another; none Keras makes for itself),
and described as the oracle describes them, after the whole run; or, with ``--costs``,
traced whole for TensorFlow's operation counts (``tests/costs_oracle.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
import traceback
import types
from pathlib import Path

import corpus

sys.path.insert(0, str(corpus.ROOT / "tests"))  # the test oracle: recording_models, describe


class Absent(types.ModuleType):
    """A module the program imports that this machine lacks (plotting, image I/O, ...):
    any attribute, call or index yields another stand-in. Models never come from these."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Absent(f"{self.__name__}.{name}")

    def __call__(self, *args, **kwargs):
        return Absent(f"{self.__name__}()")

    def __getitem__(self, key):
        return Absent(f"{self.__name__}[]")

    def __iter__(self):
        return iter(())

    def __mro_entries__(self, bases):
        return (object,)


def case_imports(case: corpus.Case, absent: list) -> None:
    """Imports made from the case's files: ``tensorflow`` as Keras 3, missing modules as stand-ins.

    With the numpy backend, ``import tensorflow`` gives a module whose ``keras`` is Keras 3's
    ``tf.keras`` surface (what ``tf.keras`` is since TensorFlow 2.16), for code that uses
    TensorFlow only for ``tf.keras``. A module this machine lacks that is neither Keras,
    TensorFlow nor the case's own is an ``Absent`` stand-in, listed in the truth. Keras
    itself keeps importing as usual.
    """
    import builtins

    import keras
    from keras_oracle import tensorflow_import

    tensorflow = tensorflow_import(keras._tf_keras.keras if hasattr(keras, "_tf_keras") else keras)
    real_import = builtins.__import__
    tree = str(case.tree)
    alias = case.backend == "numpy"

    def case_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or not str((globals or {}).get("__file__", "")).startswith(tree):
            return real_import(name, globals, locals, fromlist, level)
        if alias and (name == "tensorflow" or name.startswith("tensorflow.")):
            return tensorflow(name, fromlist)
        try:
            return real_import(name, globals, locals, fromlist, level)
        except ModuleNotFoundError as missing:
            top = (missing.name or name).split(".")[0]
            if top in ("keras", "tensorflow") or (case.tree / top).exists() or (case.file.parent / top).exists() or (case.file.parent / f"{top}.py").exists():
                raise
            if name not in absent:
                absent.append(name)
            return Absent(name)

    builtins.__import__ = case_import


def apply_stubs(case: corpus.Case, namespace: dict, after_module: bool = False) -> None:
    """Put the manifest's stubs in place: before the module runs, or, for a name the
    module's own ``def`` rebound (a ``train()`` function), again after it."""
    import numpy as np

    import stubs as helpers

    scope = {"np": np, **{name: getattr(helpers, name) for name in helpers.__all__}}
    for stub in case.stubs:
        bound = namespace.get(stub.name)
        if after_module and not (isinstance(bound, types.FunctionType) and bound.__code__.co_filename == str(case.file)):
            continue
        value = eval(stub.value, scope)  # the manifest's own expression, written in this repository
        if "." in stub.name:
            _set_module_attribute(stub.name, value)
        else:
            namespace[stub.name] = value


def _set_module_attribute(dotted: str, value) -> None:
    """Set ``module.attribute``; for a Keras module, also as ``tf.keras`` spells it."""
    import importlib

    module_name, attribute = dotted.rsplit(".", 1)
    names = [module_name]
    if module_name.startswith("keras."):
        names.append("keras._tf_keras.keras." + module_name[len("keras."):])
    for index, name in enumerate(names):
        try:
            setattr(importlib.import_module(name), attribute, value)
        except ImportError:
            if index == 0:
                raise


def case_source(case: corpus.Case) -> str:
    text = case.file.read_text(encoding="utf-8", errors="replace")
    keep = case.line_numbers()
    if keep is None:
        return text
    wanted = set(keep)
    return "".join(line if number in wanted else "\n" for number, line in enumerate(text.splitlines(True), 1))


@contextlib.contextmanager
def one_training_step(keras):
    """``Model.fit`` trains for one step of one epoch, without validation or callbacks: what
    fit does to a model's structure (it builds an unbuilt model on its first batch) without
    the hours of training. On a backend that cannot train, the model is called on that batch."""
    original = keras.Model.fit

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, *args, **kwargs):
        if keras.backend.backend() == "numpy":
            first = x[0] if isinstance(x, (list, tuple)) else x
            batch = slice(0, batch_size or 32)
            return self(([a[batch] for a in x] if isinstance(x, (list, tuple)) else x[batch]) if first is not None else x)
        for ignored in ("steps_per_epoch", "initial_epoch"):
            kwargs.pop(ignored, None)
        return original(self, x, y, batch_size=batch_size, epochs=1, verbose=0, steps_per_epoch=1, shuffle=False, **kwargs)

    keras.Model.fit = fit
    try:
        yield
    finally:
        keras.Model.fit = original


def run(case: corpus.Case, costs: bool = False) -> dict:
    """``costs``: instead of each model's description, what TensorFlow counts in its whole
    forward pass (``tests/costs_oracle.whole_counts``; the TensorFlow backend only)."""
    import keras

    if case.compat:
        import compat

        compat.install(keras)
    absent: list = []
    case_imports(case, absent)
    from keras_oracle import describe, recording_models

    module_name = "wild_case"
    namespace = {"__name__": module_name, "__file__": str(case.file), "__builtins__": __builtins__}
    apply_stubs(case, namespace)
    for root in (case.tree, *(case.tree / r for r in case.source_roots), case.file.parent):
        sys.path.insert(0, str(root))
    os.chdir(case.file.parent)
    started = time.perf_counter()
    error = None
    with contextlib.redirect_stdout(io.StringIO()), recording_models() as created, one_training_step(keras):
        try:
            if case.prelude:
                exec(compile(case.prelude, "<prelude>", "exec"), namespace)
            exec(compile(case_source(case), str(case.file), "exec"), namespace)
            apply_stubs(case, namespace, after_module=True)
            for entry in case.entries:
                eval(compile(entry, "<entry>", "eval"), namespace)
        except BaseException as failure:  # noqa: BLE001 - the truth records how the program failed
            error = "".join(traceback.format_exception_only(type(failure), failure)).strip()[-2000:]
            traceback.print_exc(file=sys.stderr)
    seconds = time.perf_counter() - started

    models = []
    for model in created:
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                described = counted(model) if costs else describe(model, "wild")
            except Exception as failure:  # noqa: BLE001 - e.g. an unbuilt subclassed model
                described = {"name": model.name, "error": repr(failure)[:300]}
        described.pop("summary_text", None)
        described["class"] = type(model).__name__
        models.append(described)
    return {
        "case": case.id,
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "error": error,
        "absent_modules": absent,
        "seconds": round(seconds, 3),
        "models": models,
    }


def counted(model) -> dict:
    """The model's name, layer classes (to match it by) and TensorFlow's counts of its whole
    forward pass for one sample."""
    from costs_oracle import whole_counts

    return {"name": model.name, "layers": [{"class": type(layer).__name__} for layer in model.layers],
            "counts": whole_counts(model)}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    costs = "--costs" in argv
    case_id, out = [arg for arg in argv if arg != "--costs"]
    case = next(c for c in corpus.load() if c.id == case_id)
    document = run(case, costs)
    Path(out).write_text(json.dumps(document, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
