"""How noisy `archlint check` is on clean, published architectures: warnings per 1,000 lines.

    python benchmarks/noise.py [--verbose]

Runs ``archlint check --format json --exit-zero`` with default settings (the rules enabled
by default, the Keras version inferred as usual) on two sets of code nobody wrote for
archlint: the installed ``keras.applications`` builders and the wild corpus's programs
(``benchmarks/wild``, its cache made by ``make_cache.py``). Prints, per set and per rule,
how many findings it gives and how many per 1,000 non-blank lines checked, and the
warnings and errors (what fails a default check) per 1,000 lines. Every finding on
this code is advice on a canonical design or a true report of something else; the table is
what to judge rules by. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "wild"))

import corpus  # noqa: E402

TIMEOUT_SECONDS = 300


def _applications() -> List[Tuple[Path, List[str]]]:
    import importlib.util

    spec = importlib.util.find_spec("keras")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent / "src" / "applications"
    return [(path, []) for path in sorted(folder.glob("*.py"))
            if path.name not in ("__init__.py", "imagenet_utils.py") and not path.stem.endswith("_test")]


def _wild() -> List[Tuple[Path, List[str]]]:
    files = {}
    for case in corpus.load():
        if case.file.is_file():
            roots = [a for r in case.source_roots for a in ("--source-root", str(case.tree / r))]
            files.setdefault(case.file, roots)
    return sorted(files.items())


def _check(path: Path, roots: List[str]) -> List[dict]:
    command = [sys.executable, "-m", "archlint", "check", str(path), "--format", "json", "--exit-zero", *roots]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=corpus.ROOT)
        return json.loads(done.stdout).get("findings", []) if done.stdout.strip() else []
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        return []


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip())


def measure(files: List[Tuple[Path, List[str]]], verbose: bool) -> Tuple[int, Counter, Dict[str, str]]:
    lines, per_rule, severity = 0, Counter(), {}
    for path, roots in files:
        lines += _lines(path)
        for finding in _check(path, roots):
            per_rule[finding["code"]] += 1
            severity[finding["code"]] = finding["severity"]
            if verbose:
                print(f"  {path.name}:{finding['line']}: {finding['code']} {finding['message'][:100]}")
    return lines, per_rule, severity


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every finding")
    args = parser.parse_args(argv)
    sets: Dict[str, Tuple[int, Counter, int]] = {}
    severity: Dict[str, str] = {}
    for name, files in (("keras.applications", _applications()), ("wild corpus", _wild())):
        if not files:
            print(f"{name}: nothing to check (not installed / no cache)", file=sys.stderr)
            continue
        lines, per_rule, seen = measure(files, args.verbose)
        severity.update(seen)
        sets[name] = (lines, per_rule, len(files))
    codes = sorted({code for _, per_rule, _ in sets.values() for code in per_rule})
    print(f"{'rule':6} {'severity':8}" + "".join(f" {name + ' (n, per 1k lines)':>36}" for name in sets))
    for code in codes:
        row = "".join(f" {per_rule[code]:>26} {1000 * per_rule[code] / max(lines, 1):9.2f}" for lines, per_rule, _ in sets.values())
        print(f"{code:6} {severity[code]:8}{row}")
    for name, (lines, per_rule, count) in sets.items():
        failing = sum(n for code, n in per_rule.items() if severity[code] in ("warning", "error") and not code.startswith("AL9"))
        print(f"{name}: {count} files, {lines:,} lines; warnings and errors outside AL9xx (what fails a default "
              f"check): {failing} = {1000 * failing / max(lines, 1):.2f} per 1,000 lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
