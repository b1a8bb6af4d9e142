"""The Keras 2 oracle: build each ``fixtures/keras2`` program with real ``tf_keras`` and write
what it built to ``tests/goldens/keras2/``.

    TF_USE_LEGACY_KERAS=1 python tests/keras2_oracle.py [--check]

Needs the ``keras2`` extra (TensorFlow and ``tf_keras``; ``TF_USE_LEGACY_KERAS=1`` makes
``tf.keras`` Keras 2). A fixture runs as ``python fixture.py`` would; the models it binds at
module level are described, or else those each top-level function callable with its
defaults returns. Per model: the totals; per layer: class, output shape and parameter
counts. Layer and model names are not recorded (Keras 2 numbers them differently).
``--check`` only reports the goldens that differ.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import sys
import types
from pathlib import Path

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "keras2"
GOLDENS = ROOT / "tests" / "goldens" / "keras2"


def fixture_files() -> list:
    return sorted(FIXTURES.glob("*.py"))


def golden_path(fixture: Path) -> Path:
    return GOLDENS / (fixture.stem + ".json")


def _count(weights) -> int:
    return int(sum(math.prod(w.shape) for w in weights))


def _shape(layer):
    shape = layer.output_shape
    if isinstance(shape, list) and len(shape) == 1:  # an InputLayer's [(None, ...)]
        shape = shape[0]
    if isinstance(shape, list):
        return [list(s) for s in shape]
    return list(shape)


def describe(model) -> dict:
    return {
        "total_params": model.count_params(),
        "trainable_params": _count(model.trainable_weights),
        "non_trainable_params": _count(model.non_trainable_weights),
        "layers": [
            {
                "class": layer.__class__.__name__,
                "output_shape": _shape(layer),
                "params": layer.count_params(),
                "trainable_params": _count(layer.trainable_weights),
                "non_trainable_params": _count(layer.non_trainable_weights),
            }
            for layer in model.layers
        ],
    }


def build_fixture(path: Path) -> list:
    """tf_keras's description of every model the fixture builds."""
    import tf_keras

    tf_keras.backend.clear_session()
    module = types.ModuleType("__main__")
    module.__dict__["__file__"] = str(path)
    exec(compile(path.read_text(), str(path), "exec"), module.__dict__)
    models = [v for v in module.__dict__.values() if isinstance(v, tf_keras.Model)]
    if not models:
        for value in list(module.__dict__.values()):
            if inspect.isfunction(value) and value.__code__.co_filename == str(path):
                params = inspect.signature(value).parameters.values()
                if all(p.default is not p.empty for p in params):
                    tf_keras.backend.clear_session()
                    returned = value()
                    if isinstance(returned, tf_keras.Model):
                        models.append(returned)
    return [describe(m) for m in models]


def _dump(name: str, models: list) -> str:
    """The golden's text: one layer per line."""
    parts = []
    for model in models:
        totals = ", ".join(f'"{k}": {json.dumps(v)}' for k, v in model.items() if k != "layers")
        rows = ",\n".join(f"    {json.dumps(row)}" for row in model["layers"])
        parts.append(f"  {{{totals}, \"layers\": [\n{rows}\n  ]}}")
    return f'{{"fixture": {json.dumps(name)}, "models": [\n' + ",\n".join(parts) + "\n]}\n"


def main(argv=None) -> int:
    from golden_files import write_or_check

    cases = {fixture.stem: (lambda fixture=fixture: _dump(fixture.name, build_fixture(fixture)))
             for fixture in fixture_files()}
    return write_or_check(__doc__.splitlines()[0], cases, GOLDENS, argv)


if __name__ == "__main__":
    sys.exit(main())
