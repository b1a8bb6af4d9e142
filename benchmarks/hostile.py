"""Hostile inputs one at a time: each file of the hostile corpus (tests/hostile.py) checked
by its own ``archlint check`` process, with its wall time, peak resident memory, exit code
and whether a traceback or no answer came out.

    python benchmarks/hostile.py [--slow] [--seed N] [--timeout SECONDS]

prints the slowest files, the largest peaks and the totals: files tried, crashes (a
traceback, or an exit code other than 0, 1 and 2), hangs (no answer within the hang limit),
the slowest file and the peak memory. ``--slow`` adds the large legal files and ten times
the mutants.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

HANG_SECONDS = 120  # far past any per-file budget: a file still running then is a hang

# Runs archlint as a child and prints its peak resident size (KB) on the last line of stderr.
MEASURED = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""


def main(argv=None) -> int:
    from hostile import write_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", action="store_true", help="the large legal files and ten times the mutants")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", default="20", help="archlint's --timeout per file (default: 20)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory)
        written = write_corpus(corpus, seed=args.seed, mutants=600 if args.slow else 60, large=args.slow)
        for name in sorted(n for names in written.values() for n in names):
            command = [sys.executable, "-c", MEASURED, sys.executable, "-m", "archlint", "check", "--timeout",
                       args.timeout, name]
            started = time.perf_counter()
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=HANG_SECONDS, cwd=corpus)
            except subprocess.TimeoutExpired:
                rows.append((name, HANG_SECONDS, 0, "hang"))
                continue
            seconds = time.perf_counter() - started
            *_, peak = done.stderr.splitlines() or ["0"]
            crashed = "Traceback" in done.stdout + done.stderr or done.returncode not in (0, 1, 2)
            rows.append((name, seconds, int(peak) / 1024, "crash" if crashed else "ok"))
    for title, key in (("slowest", lambda r: -r[1]), ("largest peak memory", lambda r: -r[2])):
        print(f"{title}:")
        for name, seconds, megabytes, state in sorted(rows, key=key)[:5]:
            print(f"  {name:<45} {seconds:6.2f} s  {megabytes:7.0f} MB  {state}")
    crashes = [r[0] for r in rows if r[3] == "crash"]
    hangs = [r[0] for r in rows if r[3] == "hang"]
    slowest = max(rows, key=lambda r: r[1])
    peak = max(rows, key=lambda r: r[2])
    print(f"files {len(rows)}; crashes {len(crashes)} {crashes}; hangs {len(hangs)} {hangs}; "
          f"slowest {slowest[0]} {slowest[1]:.2f} s; peak memory {peak[0]} {peak[2]:.0f} MB")
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
