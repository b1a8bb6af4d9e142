"""Score archlint's multiply-adds against TensorFlow's counts of the wild corpus's models.

    python benchmarks/wild/score_costs.py [--verbose] [CASE ...]

For each case with a costs truth (``make_truth.py --costs``: every model built by real Keras
on the TensorFlow backend, its whole forward pass for one sample traced and counted by the
statistics TensorFlow's profiler adds up), runs ``archlint summary FILE --costs --format
json`` (an ``--entry`` per manifest entry) and matches the models as ``score.py`` does. A
model is:

* comparable when TensorFlow counts every product it runs (no product with an unknown
  shape, no convolution counted by its implementation: ``tests/costs_oracle.IMPLEMENTATION``);
* exact when archlint gives a total and twice its multiply-adds are TensorFlow's product
  FLOPs; ``wrong`` when archlint gives a total that differs, the worst bug a cost can have;
* without a total when archlint gives none (a layer or size it does not count).

A benchmark, not a test: it never fails on a score, only on missing inputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import List

import corpus
from score import _archlint, match_models

sys.path.insert(0, str(corpus.ROOT / "tests"))
from costs_oracle import IMPLEMENTATION, PRODUCTS  # noqa: E402 - the oracle's lists of operation types


@dataclass
class CostScore:
    case: str
    models: int = 0  # models Keras built whose forward pass TensorFlow counted
    comparable: int = 0
    found: int = 0  # comparable models archlint reported
    totals: int = 0  # ... with a total
    exact: int = 0
    wrong: int = 0
    problems: List[str] = field(default_factory=list)


def score_case(case: corpus.Case) -> CostScore:
    truth = json.loads(case.costs_truth.read_text())
    score = CostScore(case.id)
    entries = [arg for entry in case.entries for arg in ("--entry", entry)]
    document, _, problem = _archlint(["summary", str(case.file), "--costs", "--format", "json", *entries], case)
    if problem:
        score.problems.append(f"summary: {problem[:200]}")
    reported = (document or {}).get("models", [])
    for want, got in match_models([m for m in truth["models"] if "counts" in m], reported):
        score.models += 1
        products = {op: flops for op, flops in want["counts"].items() if op in PRODUCTS}
        if None in products.values() or IMPLEMENTATION & set(want["counts"]):
            continue
        score.comparable += 1
        if got is None:
            score.problems.append(f"model {want['name']}: not reported")
            continue
        score.found += 1
        macs = (got.get("costs") or {}).get("macs")
        if macs is None:
            unknown = sorted({row["class"] for row in got["layers"] if row.get("macs") is None and row["class"] != "InputLayer"})
            score.problems.append(f"model {want['name']}: no total ({', '.join(unknown) or 'the graph is not known whole'})")
            continue
        score.totals += 1
        if 2 * macs == sum(products.values()):
            score.exact += 1
        else:
            score.wrong += 1
            score.problems.append(f"model {want['name']}: TensorFlow {sum(products.values()) // 2:,} mult-adds, "
                                  f"archlint {macs:,} (WRONG)")
    return score


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="say why each model is not exact")
    parser.add_argument("cases", nargs="*", help="case ids (or parts of them); default: every case with a costs truth")
    args = parser.parse_args(argv)
    cases = [c for c in corpus.select(corpus.load(), args.cases) if c.costs_truth.is_file()]
    missing = [c.id for c in cases if not c.file.is_file()]
    if not cases or missing:
        print("no costs truth (run make_truth.py --costs)" if not cases else f"not in the cache: {', '.join(missing)}")
        return 1
    header = f"{'case':44} {'models':>6} {'compar.':>7} {'found':>5} {'totals':>6} {'exact':>5} {'wrong!':>6}"
    print(header)
    print("-" * len(header))
    total = CostScore("TOTAL")
    for case in cases:
        score = score_case(case)
        print(f"{score.case[:44]:44} {score.models:6} {score.comparable:7} {score.found:5} {score.totals:6} "
              f"{score.exact:5} {score.wrong:6}")
        if args.verbose:
            for problem in score.problems:
                print(f"    {problem}")
        for key in ("models", "comparable", "found", "totals", "exact", "wrong"):
            setattr(total, key, getattr(total, key) + getattr(score, key))
    print("-" * len(header))
    print(f"{'TOTAL (' + str(len(cases)) + ' cases)':44} {total.models:6} {total.comparable:7} {total.found:5} "
          f"{total.totals:6} {total.exact:5} {total.wrong:6}")
    print(f"of {total.comparable} models TensorFlow counts whole, archlint gives a total for {total.totals}: "
          f"{total.exact} equal TensorFlow's multiply-adds, {total.wrong} differ (wrong totals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
