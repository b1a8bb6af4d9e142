"""An oracle's goldens, one JSON file per fixture (or other named case): written from what
real Keras (or TensorFlow) gave, or, with ``--check``, compared with what is on disk. Shared
by the oracles whose goldens are the text they write; it runs nothing itself."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable, Dict


def write_or_check(description: str, cases: Dict[str, Callable[[], str]], goldens: Path, argv=None) -> int:
    """For each case, ``cases[name]()`` is the text of ``goldens/<name>.json``. Exit status
    1 when ``--check`` finds a golden that differs (and nothing is written)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="report the goldens that differ; write nothing")
    parser.add_argument("--only", action="append", choices=sorted(cases), metavar="NAME",
                        help="only this golden (repeatable)")
    args = parser.parse_args(argv)
    goldens.mkdir(parents=True, exist_ok=True)
    stale = 0
    for name, describe in cases.items():
        if args.only and name not in args.only:
            continue
        text, golden = describe(), goldens / (name + ".json")
        if args.check:
            if not golden.exists() or golden.read_text() != text:
                stale += 1
                print(f"stale: {golden}")
        else:
            golden.write_text(text)
            print(f"wrote {golden}")
    return 1 if stale else 0
