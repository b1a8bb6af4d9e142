"""Where Keras's static shape inference disagrees with a real forward pass.

For every catalog table row, builds the layer with real Keras and compares three answers:
``compute_output_shape`` (the static method), the symbolic call (what ``model.summary()``
shows, and what archlint matches) and the shape of a real forward pass on random data
(``None`` dims set to concrete sizes). Prints the rows where they differ. This is an
investigation of Keras itself, not a test: nothing here fails.

    KERAS_BACKEND=numpy python scripts/keras_shape_consistency.py
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

CONCRETE = {0: 2}  # batch size; other None dims become 5


def concrete(shape):
    return tuple(CONCRETE.get(i, 5) if d is None else d for i, d in enumerate(shape))


def agrees(symbolic, real) -> bool:
    """Every dim the symbolic shape states (other than the batch) is the forward pass's."""
    if len(symbolic) != len(real):
        return False
    for s, r in zip(symbolic, real):
        if len(s) != len(r) or any(a is not None and a != b for a, b in zip(s[1:], r[1:])):
            return False
    return True


def shapes_of(value):
    import keras

    flat = keras.tree.flatten(value)
    return [tuple(getattr(t, "shape", ())) for t in flat]


def as_call(shape):
    from catalog_rows import Call

    return shape if isinstance(shape, Call) else Call(args=(shape,))


def main() -> int:
    import numpy as np
    import keras

    from catalog_rows import collect
    from test_catalog import _keras_layer

    rng = np.random.default_rng(0)
    differences = checked = 0
    counts = {"symbolic": 0}
    for param in collect("ROWS"):
        name, args, kwargs, shape = param.values
        if name == "Lambda":  # its output shape is the user's declaration, not an inference
            continue
        call = as_call(shape)
        if call.dtype not in ("float32", "int32"):
            continue

        def data(s):
            if isinstance(s, list):
                return [data(x) for x in s]
            size = concrete(s)
            if call.dtype == "int32":
                return rng.integers(0, 2, size=size).astype("int32")
            return rng.standard_normal(size).astype("float32")

        def symbolic(s):
            if isinstance(s, list):
                return [symbolic(x) for x in s]
            return keras.KerasTensor(tuple(s), dtype=call.dtype)

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                layer = _keras_layer(keras, name, args, kwargs)
                symbolic_out = shapes_of(layer(*[symbolic(s) for s in call.args],
                                               **{k: symbolic(s) for k, s in call.tensors.items()}, **call.options))
                try:
                    static = layer.compute_output_shape(*call.args, **call.tensors)
                    static = [tuple(s) for s in static] if static and isinstance(static[0], (tuple, list)) else [tuple(static)]
                except Exception as error:  # noqa: BLE001 - an investigation: record and go on
                    static = f"raises {type(error).__name__}"
                real = shapes_of(layer(*[data(s) for s in call.args],
                                       **{k: data(s) for k, s in call.tensors.items()}, **call.options))
        except Exception as error:  # noqa: BLE001
            reason = " ".join(str(error).split())[:100]
            print(f"{param.id}: could not run on concrete data ({type(error).__name__}: {reason})")
            continue
        checked += 1
        kinds = []
        if not agrees(symbolic_out, real):
            kinds.append("symbolic != forward pass")
        if isinstance(static, list) and static != symbolic_out:
            kinds.append("compute_output_shape != symbolic")
        if kinds:
            differences += 1
            counts["symbolic"] += "symbolic != forward pass" in kinds
            print(f"{param.id} [{'; '.join(kinds)}]: compute_output_shape {static} | symbolic {symbolic_out} | forward pass {real}")
    print(f"{checked} rows checked, {differences} with a disagreement "
          f"({counts['symbolic']} where the symbolic shape, which model.summary() shows, is not what runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
