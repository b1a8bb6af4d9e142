"""JSON output: the contract in DESIGN.md, plus per-layer ``params_formula`` and ``units``.

A size only the data knows is ``null`` in ``output_shape`` and named in
``symbolic_output_shape``; a count that depends on it is ``null``, with its formula in the
sizes under ``*_formula`` (``total_params_formula: "64*x_train.shape[2] + 650"``).

``layers`` lists what ``model.layers`` lists; the operations applied to tensors between
layers (``x + y``), which ``model.summary()`` shows as rows too, are under ``operations``.
"""

from __future__ import annotations

import json
from typing import List

from ..diagnostics import Finding
from ..summary import ModelSummary
from ..symbolic import Sym, format_sym


def _formula(value):
    return format_sym(value) if isinstance(value, Sym) else None


def _plain_shape(shape):
    """ints and null: a symbolic size is null, as an unknown one."""
    if isinstance(shape, list):
        return [_plain_shape(d) for d in shape]
    return None if isinstance(shape, Sym) else shape


def _symbolic_shape(shape):
    """The shape with each symbolic size as its expression; None when it has none."""
    def has_symbol(value):
        return isinstance(value, Sym) or (isinstance(value, list) and any(has_symbol(v) for v in value))

    def spelled(value):
        return [spelled(v) for v in value] if isinstance(value, list) else format_sym(value) if isinstance(value, Sym) else value

    return spelled(shape) if has_symbol(shape) else None


def model_dict(summary: ModelSummary, path: str, costs: bool = False, batch_size: int = 1) -> dict:
    """``costs``: add what a forward pass costs, per layer and in total (the memory for ``batch_size``)."""
    out = {
        "name": summary.name,
        "kind": summary.kind,
        "file": path,
        "line": summary.line,
        "entry": summary.entry,
        "complete": summary.complete,
        "total_params": summary.total_params,
        "trainable_params": summary.trainable_params,
        "non_trainable_params": summary.non_trainable_params,
        "total_params_formula": _formula(summary.symbolic_total),
        "trainable_params_formula": _formula(summary.symbolic_trainable),
        "non_trainable_params_formula": _formula(summary.symbolic_non_trainable),
        "params_once_built": summary.params_once_built,
        "neurons": summary.neurons,
        "layers": [_row_dict(row, costs) for row in summary.rows if not row.operation],
        "operations": [_row_dict(row, costs) for row in summary.rows if row.operation],
    }
    if costs:
        sizes = summary.estimated_sizes(batch_size)
        out["costs"] = {
            **_counts({"macs": summary.macs, "flops": summary.flops, "output_values": summary.output_values,
                       "input_values": summary.input_values}),
            "batch_size": batch_size,
            **_counts({f"{key}_bytes": value for key, value in sizes.items()}),
        }
    return out


def _counts(values: dict) -> dict:
    """Each count as an int (null when unknown), and as ``<key>_formula`` when it is one."""
    out = {}
    for key, value in values.items():
        out[key] = None if isinstance(value, Sym) else value
        out[f"{key}_formula"] = _formula(value)
    return out


def _row_dict(row, costs: bool = False) -> dict:
    out = {
        "name": row.name,
        "class": row.class_name,
        "output_shape": _plain_shape(row.output_shape),
        "symbolic_output_shape": _symbolic_shape(row.output_shape),
        "params": row.params,
        "params_symbolic": _formula(row.symbolic_params),
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
    if costs:
        out.update(_counts({"macs": row.macs, "flops": row.flops, "output_values": row.output_values}))
        field = row.receptive_field
        out["receptive_field"] = None if field is None else {
            "size": list(field.size), "jump": [float(j) for j in field.jump],
            "start": [None if s is None else float(s) for s in field.start]}
    return out


def document(models: List[dict], findings: List[Finding], errors: List[dict], target=None) -> str:
    """The JSON document; ``target`` (keras_target.Target): the Keras the file was read for."""
    out = {"models": models, "findings": [f.as_dict() for f in findings], "errors": errors}
    if target is not None:
        out["keras_version"] = {"version": target.version, "from": target.reason}
    return json.dumps(out, indent=2)


def review_document(files, base) -> str:
    """``archlint report --format json``: per file and model, the totals now and at the base,
    their deltas, the layer rows added, removed or changed, and the findings."""
    keys = ("total_params", "trainable_params", "non_trainable_params", "macs")

    def known(value):
        return value if isinstance(value, int) else None

    def row(r):
        return None if r is None else {"name": r.name, "class": r.class_name, "output_shape": _plain_shape(r.output_shape),
                                       "params": r.params}

    def model(review):
        summary = review.now or review.base
        return {
            "name": summary.name, "kind": summary.kind, "entry": summary.entry, "status": review.status,
            "now": {k: known(getattr(review.now, k)) for k in keys} if review.now else None,
            "base": {k: known(getattr(review.base, k)) for k in keys} if review.base else None,
            "delta": {k: review.delta(k) for k in keys} if review.base and review.now else None,
            "rows": [{"change": c.kind, "before": row(c.before), "after": row(c.after)} for c in review.rows],
        }

    return json.dumps({
        "base": base,
        "files": [{
            "path": f.path, "error": f.error, "new_file": base is not None and not f.had_base,
            "models": [model(m) for m in f.models],
            "findings": [x.as_dict() for x in f.findings],
            "new_findings": [x.as_dict() for x in f.new_findings],
            "fixed_findings": [x.as_dict() for x in f.fixed_findings],
        } for f in files],
    }, indent=2)
