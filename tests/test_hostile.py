"""Hostile input end to end: every file of a generated hostile corpus (tests/hostile.py) gets
a finding or a one-line message, in bounded time and memory, and no traceback ever reaches
the terminal. ``--slow`` writes ten times the mutants and the large legal files too."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import HEADER, KNOWN, write_corpus

ROOT = Path(__file__).resolve().parent.parent
PEAK_LIMIT_KB = 1024 * 1024  # 1 GiB
RESULTS = {}


def summary_line():
    r = RESULTS
    return r and f"hostile inputs: {r['files']} files, peak memory {r['peak_mb']:.0f} MB, no traceback"

# What the known cases must get: a code in the JSON report, or words of the one-line message.
EXPECTED = {
    "extend.py": "AL904", "iadd.py": "AL904", "prod.py": "AL904", "while_add.py": "AL904",
    "recursion.py": "AL904", "deep_call.py": "AL901", "deep_list.py": "AL901", "nul.py": "AL901",
    "coding_undefined.py": "not valid undefined text", "coding_punycode.py": "not valid punycode text",
    "coding_unknown.py": "unknown encoding", "fifo.py": "not a regular file", "zero.py": "not a regular file",
    "loop_a.py": "symbolic links", "dangling.py": "a symlink to nothing",
}

# Runs archlint as a child and prints its peak resident size (KB) on the last line of stderr.
MEASURED = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""


def _check(directory: Path, *flags: str):
    done = subprocess.run([sys.executable, "-c", MEASURED, sys.executable, "-m", "archlint", "check", "--format", "json",
                           *flags, str(directory)], capture_output=True, text=True, timeout=1800, cwd=directory)
    *messages, peak = done.stderr.splitlines()
    return done, messages, int(peak)


def test_a_hostile_corpus_gets_findings_and_messages_never_tracebacks(tmp_path, request):
    slow = request.config.getoption("--slow")
    written = write_corpus(tmp_path, seed=0, mutants=600 if slow else 60, large=slow)
    done, messages, peak = _check(tmp_path, "--timeout", "20" if slow else "5")
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode in (1, 2)
    assert all(line.startswith("archlint: ") for line in messages), messages
    report = json.loads(done.stdout)
    coded = {Path(f["file"]).name: f["code"] for f in report["findings"] if f["code"].startswith("AL9")}
    said = {Path(error["message"].split(": ")[0]).name: error["message"] for error in report["errors"]}
    for name, expected in EXPECTED.items():
        if (tmp_path / name).exists() or (tmp_path / name).is_symlink():
            assert expected == coded.get(name) or expected in said.get(name, ""), (name, coded.get(name), said.get(name))
    internal = [f for f in report["findings"] if f["code"] == "AL906" or "internal error" in f["message"]]
    assert internal == []
    assert peak <= PEAK_LIMIT_KB, f"peak resident size {peak / 1024:.0f} MB"
    RESULTS.update(files=sum(map(len, written.values())), peak_mb=peak / 1024)


# Ninety thousand layers built in loops: several seconds of analysis, well past a one-second budget.
SLOW = HEADER + "x = keras.Input((8,))\nfor j in range(9):\n    for i in range(9999):\n        x = layers.Dense(8)(x)\n"


def test_the_time_budget_stops_one_file_and_the_run_goes_on(tmp_path):
    (tmp_path / "slow.py").write_text(SLOW)
    (tmp_path / "fine.py").write_text("import keras\nfrom keras import layers\n"
                                      "m = keras.Sequential([keras.Input((4,)), layers.Dense(4), layers.Dense(4)])\n")
    done = subprocess.run([sys.executable, "-m", "archlint", "check", "--timeout", "1", "--select", "AL2,AL9",
                           "slow.py", "fine.py"],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert any(line.startswith("slow.py:") and "AL904" in line and "longer than 1 s" in line for line in lines), lines
    assert any(line.startswith("fine.py:") and "AL203" in line for line in lines), lines


def test_the_memory_budget(tmp_path):
    """A parse that would need more than the budget is refused before it starts; an analysis
    that grows past it stops where it is."""
    (tmp_path / "literal.py").write_text("t = (" + ", ".join(map(str, range(100_000))) + ")\n")
    (tmp_path / "grows.py").write_text("import keras\nkept = []\nfor i in range(100):\n"
                                       "    kept.append(list(range(i * 99_999, (i + 1) * 99_999)))\n")
    done = subprocess.run([sys.executable, "-m", "archlint", "check", "--memory", "40", "literal.py", "grows.py"],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert any(line.startswith("literal.py:1:1: AL904") and "parsing it would take" in line for line in lines), lines
    assert any(line.startswith("grows.py:") and "AL904" in line and "more than 40 MB" in line for line in lines), lines
    relaxed = subprocess.run([sys.executable, "-m", "archlint", "check", "--memory", "0", "literal.py"],
                             capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert "AL904" not in relaxed.stdout


def test_budgets_from_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.archlint]\ntimeout = 1\n")
    (tmp_path / "slow.py").write_text(SLOW)
    done = subprocess.run([sys.executable, "-m", "archlint", "check", "slow.py"], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert "longer than 1 s" in done.stdout
    (tmp_path / "pyproject.toml").write_text("[tool.archlint]\nmemory = -3\n")
    done = subprocess.run([sys.executable, "-m", "archlint", "check", "slow.py"], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "memory" in done.stderr


def test_values_too_large_to_build_stay_unknown():
    """Operations whose result would be huge are judged before they run: the value is unknown."""
    from archlint.interpreter import builtins as py

    assert py.binary("Multiply", 3 ** 2000, 3 ** 2000) is py.UNKNOWN
    assert py.binary("Modulo", "%*d", (2 * 10 ** 9, 1)) is py.UNKNOWN
    assert py.call_plain_method("a", "center", [10 ** 10], {}) is py.UNKNOWN
    assert py.call_plain_method("ab" * 50_000, "replace", ["", "ab" * 50_000], {}) is py.UNKNOWN
    assert py.call_plain_method("{:{}}", "format", [1, 10 ** 10], {}) is py.UNKNOWN
    assert py.call_plain_method("ab", "replace", ["a", "c"], {}) == "cb"
    assert py.binary("Multiply", 6, 7) == 42
    looped = []
    assert py.call_plain_method(looped, "append", [looped], {}) is None and looped == [py.UNKNOWN]
    with pytest.raises(py.BudgetExceeded):
        py.call_plain_method(list(range(99_999)), "extend", [list(range(5))], {})


