"""JSON output: the contract in DESIGN.md, plus per-layer ``params_formula`` and ``units``.

``layers`` lists what ``model.layers`` lists; the operations applied to tensors between
layers (``x + y``), which ``model.summary()`` shows as rows too, are under ``operations``.
"""

from __future__ import annotations

import json
from typing import List

from ..diagnostics import Finding
from ..summary import ModelSummary


def model_dict(summary: ModelSummary, path: str) -> dict:
    return {
        "name": summary.name,
        "kind": summary.kind,
        "file": path,
        "line": summary.line,
        "entry": summary.entry,
        "complete": summary.complete,
        "total_params": summary.total_params,
        "trainable_params": summary.trainable_params,
        "non_trainable_params": summary.non_trainable_params,
        "params_once_built": summary.params_once_built,
        "neurons": summary.neurons,
        "layers": [_row_dict(row) for row in summary.rows if not row.operation],
        "operations": [_row_dict(row) for row in summary.rows if row.operation],
    }


def _row_dict(row) -> dict:
    return {
        "name": row.name,
        "class": row.class_name,
        "output_shape": row.output_shape,
        "params": row.params,
        "trainable_params": row.trainable_params,
        "non_trainable_params": row.non_trainable_params,
        "built": row.built,
        "params_once_built": row.params_once_built,
        "params_formula": row.formula,
        "units": row.units,
        "connected_to": row.connected_to,
        "line": row.line,
        "col": row.col,
    }


def document(models: List[dict], findings: List[Finding], errors: List[dict], target=None) -> str:
    """The JSON document; ``target`` (keras_target.Target): the Keras the file was read for."""
    out = {"models": models, "findings": [f.as_dict() for f in findings], "errors": errors}
    if target is not None:
        out["keras_version"] = {"version": target.version, "from": target.reason}
    return json.dumps(out, indent=2)
