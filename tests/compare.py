"""Compare archlint's static description of a fixture with real Keras's (the oracle's format)."""

from __future__ import annotations

from typing import List

from archlint.pipeline import analyze_file
from archlint.reporters.text import summary_text

ROW_KEYS = ("name", "class", "output_shape", "params", "trainable_params", "non_trainable_params", "built", "units")
MODEL_KEYS = ("name", "entry", "total_params", "trainable_params", "non_trainable_params")


def archlint_models(path, width: int = 200, entry=None, assumptions=None) -> List[dict]:
    result = analyze_file(str(path), entry, assumptions=assumptions)
    out = []
    for s in result.summaries:
        out.append(
            {
                "name": s.name,
                "kind": s.kind,
                "entry": s.entry,
                "total_params": s.total_params,
                "trainable_params": s.trainable_params,
                "non_trainable_params": s.non_trainable_params,
                "layers": [
                    {
                        "name": r.name,
                        "class": r.class_name,
                        "output_shape": r.output_shape,
                        "params": r.params,
                        "trainable_params": r.trainable_params,
                        "non_trainable_params": r.non_trainable_params,
                        "built": r.built,
                        "units": r.units,
                    }
                    for r in s.rows
                    if not r.operation  # Keras's model.layers lists no operations
                ],
                "summary_text": summary_text(s, width=width),
            }
        )
    return out


def differences(expected: List[dict], actual: List[dict]) -> List[str]:
    """Human-readable differences; empty when archlint agrees with Keras everywhere.

    A subclassed model's layers are called inside its ``call()``, which Keras runs on
    placeholder values: it records no output shape for them (its summary shows ``?`` or the
    backend's placeholder batch size), while archlint shows the shapes the call computes.
    For those models the output shapes and the summary text are not compared.
    """
    diffs = []
    if len(expected) != len(actual):
        diffs.append(f"models: keras {[m['name'] for m in expected]} vs archlint {[m['name'] for m in actual]}")
    for want, got in zip(expected, actual):
        label = want["name"]
        for key in MODEL_KEYS:
            if want[key] != got[key]:
                diffs.append(f"{label}.{key}: keras {want[key]!r} vs archlint {got[key]!r}")
        if len(want["layers"]) != len(got["layers"]):
            diffs.append(
                f"{label}: keras layers {[r['name'] for r in want['layers']]} vs archlint {[r['name'] for r in got['layers']]}"
            )
        subclassed = got.get("kind") == "Subclassed"
        for w, g in zip(want["layers"], got["layers"]):
            for key in ROW_KEYS:
                if subclassed and key == "output_shape":
                    continue
                if w[key] != g[key]:
                    diffs.append(f"{label}/{w['name']}.{key}: keras {w[key]!r} vs archlint {g[key]!r}")
        if not diffs and not subclassed and want["summary_text"] != got["summary_text"]:
            diffs.append(f"{label}: summary text differs\n--- keras\n{want['summary_text']}\n--- archlint\n{got['summary_text']}")
    return diffs
