"""archlint reads model code; it never imports or runs it, nor Keras, TensorFlow or JAX."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "fixtures" / "guards" / "side_effect_guard.py"

PROBE = """
import json, sys
from archlint.cli import main
code = main(["summary", sys.argv[1], "--format", "json"])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("keras", "tensorflow", "jax", "side_effect_guard"))
print(json.dumps({"code": code, "heavy": heavy}))
"""


def test_summary_imports_nothing_and_runs_nothing(tmp_path):
    marker = tmp_path / "executed.marker"
    env = {**os.environ, "ARCHLINT_GUARD_MARKER": str(marker)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(GUARD)], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    lines = done.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    summary = json.loads("\n".join(lines[:-1]))
    assert report == {"code": 0, "heavy": []}
    assert not marker.exists(), "the analyzed file was executed"
    assert summary["models"][0]["total_params"] == 32 * 16 + 16 + 16 + 1


def test_check_runs_nothing(tmp_path):
    marker = tmp_path / "executed.marker"
    env = {**os.environ, "ARCHLINT_GUARD_MARKER": str(marker)}
    subprocess.run([sys.executable, "-m", "archlint", "check", str(GUARD)], env=env, cwd=tmp_path, check=True)
    assert not marker.exists()
