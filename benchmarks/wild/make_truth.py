"""Build every wild case with real Keras, one process per case, and write its truth.

    python benchmarks/wild/make_truth.py [--tf-python PY] [--costs] [CASE ...]

Each case runs ``driver.py`` in a fresh process: ``KERAS_BACKEND=numpy`` with this Python,
or, for cases whose code calls TensorFlow (``backend = "tensorflow"``), ``KERAS_BACKEND=tensorflow``
with ``--tf-python`` (a Python with the ``wild`` extra, tensorflow-cpu, installed; default:
this one). Writes ``truth/CASE.json`` (with the whole process's seconds, for ``score.py``'s speed
ratio) and prints per case the models built, or the error. With ``--costs``, every case runs
on the TensorFlow backend and ``truth/costs/CASE.json`` gets, per model, TensorFlow's
operation counts of its whole forward pass (``score_costs.py`` compares archlint's).
Needs the sources in the cache (``make_cache.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

TIMEOUT_SECONDS = 900


def build(case: corpus.Case, tf_python: str, costs: bool = False) -> dict:
    backend = "tensorflow" if costs else case.backend
    python = tf_python if backend == "tensorflow" else sys.executable
    env = {**os.environ, "KERAS_BACKEND": backend, "COLUMNS": "200", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    env.pop("TF_USE_LEGACY_KERAS", None)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "truth.json"
        started = time.perf_counter()
        try:
            run = subprocess.run(
                [python, str(corpus.HERE / "driver.py"), case.id, str(out), *(["--costs"] if costs else [])],
                cwd=scratch, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            return {"case": case.id, "error": f"timed out after {TIMEOUT_SECONDS} s", "models": []}
        if run.returncode != 0 or not out.exists():
            return {"case": case.id, "error": (run.stderr.strip().splitlines() or ["no output"])[-1], "models": []}
        document = json.loads(out.read_text())
        document["process_seconds"] = round(time.perf_counter() - started, 2)  # import, build and describe
        return document


def truth_text(document: dict) -> str:
    """The truth as JSON with one line per layer row, so that its diffs stay readable."""
    def model_text(model: dict) -> str:
        fields = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in model.items() if key != "layers"]
        if "layers" in model:
            rows = ",\n".join(f"   {json.dumps(row)}" for row in model["layers"])
            fields.append(f'  "layers": [\n{rows}\n  ]' if rows else '  "layers": []')
        return " {\n" + ",\n".join(fields) + "\n }"

    head = [f" {json.dumps(key)}: {json.dumps(value)}" for key, value in document.items() if key != "models"]
    models = ",\n".join(model_text(m) for m in document["models"])
    return "{\n" + ",\n".join(head + [f' "models": [\n{models}\n ]']) + "\n}\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf-python", default=sys.executable, help="Python with tensorflow-cpu, for tensorflow cases")
    parser.add_argument("--costs", action="store_true",
                        help="write truth/costs/CASE.json: TensorFlow's counts of each model's forward pass "
                             "(every case on the TensorFlow backend, with --tf-python)")
    parser.add_argument("cases", nargs="*", help="case ids (or parts of them); default: every case")
    args = parser.parse_args(argv)
    corpus.COSTS_TRUTH.mkdir(parents=True, exist_ok=True)
    failed = 0
    for case in corpus.select(corpus.load(), args.cases):
        if not case.file.is_file():
            print(f"{case.id}: not in the cache (run make_cache.py)")
            failed += 1
            continue
        document = build(case, args.tf_python, args.costs)
        (case.costs_truth if args.costs else case.truth).write_text(truth_text(document))
        totals = ", ".join(f"{m['name']}={m.get('total_params', '?')}" for m in document["models"])
        status = f"  (stopped: {document['error'][:160]})" if document.get("error") else ""
        print(f"{case.id}: {len(document['models'])} models [{totals}]{status}")
        failed += not document["models"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
