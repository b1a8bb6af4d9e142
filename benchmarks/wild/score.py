"""Score archlint against the wild corpus's truth from real Keras.

    python benchmarks/wild/score.py [--json OUT] [--verbose] [--time-keras [--tf-python PY]] [CASE ...]

For each case with a truth file, runs ``archlint summary FILE --format json`` (with an
``--entry`` per manifest entry) and ``archlint check FILE --select AL1,AL205`` as whole
processes on the cached source, and prints per case and in total:

* models: the models real Keras built, and how many archlint reported (matched by name,
  else by their layer classes);
* exact: matched models whose total parameter count equals Keras's; ``wrong!`` counts the
  worst bug, a wrong total archlint marked complete; in total, the models whose total is a
  formula in sizes only the data knows, and how many of those formulas give Keras's total
  at the values the manifest's stubs say (``assume``);
* rows: Keras's layer rows (name, class, parameter count, and output shape where Keras
  records one) that archlint's matching model has exactly;
* AL1xx / AL205 findings on the file, crashes (exit code 2 or a traceback), and seconds;
  in total, archlint's summary processes against the Keras processes that build the same
  programs: those ``make_truth.py`` timed, or, with ``--time-keras``, builds run again in
  this run (the ratio to report: both sides measured on the same machine at the same time).

``--archlint CHECKOUT`` scores another source checkout of archlint (an earlier commit
checked out with ``git worktree add``), for before-and-after tables. ``--keras2-style``
reads the cases styled ``keras2`` with ``--keras-version 2`` (what their authors targeted;
their repositories rarely declare it), instead of the version archlint infers.
``--assume-stubs`` gives archlint the manifest stubs that stand for data as ``--assume``
lines (the stub values, nothing else); ``--stubbed`` scores only the cases with stubs.

A benchmark, not a test: it never fails on a score, only on missing inputs.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence

import corpus

ARCHLINT = [sys.executable, "-m", "archlint"]
TIMEOUT_SECONDS = 300


@dataclass
class Score:
    case: str
    models: int = 0
    found: int = 0
    exact: int = 0
    wrong_complete: int = 0
    incomplete: int = 0
    formulas: int = 0  # totals given as a formula in sizes the data decides
    formulas_right: int = 0  # ... that equal Keras's total at the stubs' values
    rows: int = 0
    rows_matched: int = 0
    al1: int = 0
    al205: int = 0
    crashes: int = 0
    seconds: float = 0.0  # archlint: every summary and check process of the case
    summary_seconds: float = 0.0  # archlint: the summary processes alone
    keras_seconds: float = 0.0  # Keras: the driver process that imports it and builds the case
    problems: List[str] = field(default_factory=list)


def _archlint(args: List[str], case: corpus.Case, checkout: Optional[str] = None):
    env = {**os.environ, "PYTHONPATH": checkout} if checkout else None
    roots = [arg for root in case.source_roots for arg in ("--source-root", str(case.tree / root))]
    started = time.perf_counter()
    try:
        run = subprocess.run(ARCHLINT + args + roots, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=checkout or corpus.ROOT, env=env)
    except subprocess.TimeoutExpired:
        return None, TIMEOUT_SECONDS, f"timed out after {TIMEOUT_SECONDS} s"
    seconds = time.perf_counter() - started
    crashed = run.returncode == 2 or "Traceback" in run.stderr
    try:
        document = json.loads(run.stdout) if run.stdout.strip() else None
    except json.JSONDecodeError:
        document = None
    problem = (run.stderr.strip().splitlines() or ["no output"])[-1] if crashed or document is None else None
    return document, seconds, problem


def _signature(model: dict):
    return tuple(row.get("class") for row in model.get("layers", []))


def match_models(truth: List[dict], found: List[dict]):
    """Pair each Keras model with an archlint model: same name first, else same layer classes."""
    unused = list(found)
    pairs = []
    for want in truth:
        pick = next((m for m in unused if m["name"] == want["name"]), None)
        if pick is None and want.get("layers"):
            pick = next((m for m in unused if _signature(m) == _signature(want)), None)
        if pick is not None:
            unused.remove(pick)
        pairs.append((want, pick))
    return pairs


def _row_matches(want: dict, got: Optional[dict]) -> bool:
    if got is None or got["class"] != want["class"] or got["params"] != want["params"]:
        return False
    return want["output_shape"] is None or got["output_shape"] == want["output_shape"]


def score_case(case: corpus.Case, verbose: bool = False, checkout: Optional[str] = None, entry_per_process: bool = False,
               extra: Sequence[str] = ()) -> Score:
    truth = json.loads(case.truth.read_text())
    score = Score(case.id, keras_seconds=truth.get("process_seconds", 0.0))
    reported: List[dict] = []
    entries = [arg for entry in case.entries for arg in ("--entry", entry)]  # run after the module, in order
    if entry_per_process and case.entries:  # archlint before --entry was repeatable
        runs = [["--entry", entry] for entry in case.entries]
    else:
        runs = [entries]
    for run in runs:
        document, seconds, problem = _archlint(["summary", str(case.file), "--format", "json", *extra] + run, case, checkout)
        score.seconds += seconds
        score.summary_seconds += seconds
        if problem:
            score.problems.append(f"summary: {problem[:200]}")
            score.crashes += "Traceback" in problem or "timed out" in problem
        if document:
            reported.extend(document.get("models", []))
    check, seconds, problem = _archlint(["check", str(case.file), "--select", "AL1,AL205", "--format", "json", *extra],
                                        case, checkout)
    score.seconds += seconds
    if problem and check is None:
        score.problems.append(f"check: {problem[:200]}")
        score.crashes += 1
    for finding in (check or {}).get("findings", []):
        if finding.get("code", "").startswith("AL1"):
            score.al1 += 1
            score.problems.append(f"{finding['code']} {finding.get('line')}: {finding.get('message', '')[:160]}")
        elif finding.get("code") == "AL205":
            score.al205 += 1
    for want, got in match_models([m for m in truth["models"] if "layers" in m], reported):
        score.models += 1
        score.rows += len(want["layers"])
        if got is None:
            score.problems.append(f"model {want['name']} ({want['total_params']:,}): not reported")
            continue
        score.found += 1
        if got["total_params"] == want["total_params"]:
            score.exact += 1
        else:
            score.incomplete += not got["complete"]
            score.wrong_complete += bool(got["complete"])
            if got.get("total_params_formula"):
                score.formulas += 1
                score.formulas_right += formula_value(got["total_params_formula"], case) == want["total_params"]
            flag = "WRONG, marked complete" if got["complete"] else "incomplete"
            score.problems.append(f"model {want['name']}: keras {want['total_params']:,} vs archlint {got['total_params']} ({flag})")
        by_name = {row["name"]: row for row in got["layers"]}
        for index, row in enumerate(want["layers"]):
            mine = by_name.get(row["name"]) or (got["layers"][index] if index < len(got["layers"]) else None)
            if _row_matches(row, mine):
                score.rows_matched += 1
            elif verbose:
                score.problems.append(f"  row {row['name']} {row['class']} {row['output_shape']} {row['params']} vs {mine and (mine['class'], mine['output_shape'], mine['params'])}")
    return score


def formula_value(formula: str, case: corpus.Case) -> Optional[int]:
    """The formula's value at the sizes the case's stubs give (``len(v)=88585``,
    ``x.shape=(None, 28, 1)``, ``n=10``); None when a size is not given."""
    sizes = {}
    for stub in case.stubs:
        if not stub.assume:
            continue
        name, _, value = stub.assume.partition("=")
        value = ast.literal_eval(value.strip())
        if name.endswith(".shape"):
            sizes.update({f"{name}[{i}]": d for i, d in enumerate(value) if isinstance(d, int)})
        else:
            sizes[name.strip()] = value
    for name in sorted(sizes, key=len, reverse=True):
        formula = formula.replace(name, f"({sizes[name]})")
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        return None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Add, ast.Sub, ast.Mult, ast.FloorDiv,
               ast.Mod, ast.Pow, ast.USub)
    if not all(isinstance(node, allowed) for node in ast.walk(tree)):
        return None  # a size the stubs do not give
    return eval(compile(tree, "<formula>", "eval"), {"__builtins__": {}})  # numbers and operators only


def print_table(scores: List[Score], keras_timed_now: bool = False) -> None:
    header = f"{'case':44} {'models':>6} {'found':>5} {'exact':>5} {'wrong!':>6} {'rows':>11} {'AL1xx':>5} {'AL205':>5} {'crash':>5} {'sec':>6}"
    print(header)
    print("-" * len(header))
    for s in scores:
        print(f"{s.case[:44]:44} {s.models:6} {s.found:5} {s.exact:5} {s.wrong_complete:6} {s.rows_matched:5}/{s.rows:<5} {s.al1:5} {s.al205:5} {s.crashes:5} {s.seconds:6.2f}")
    total = Score("TOTAL")
    for s in scores:
        for key in ("models", "found", "exact", "wrong_complete", "incomplete", "formulas", "formulas_right", "rows", "rows_matched", "al1", "al205", "crashes", "seconds", "summary_seconds", "keras_seconds"):
            setattr(total, key, getattr(total, key) + getattr(s, key))
    print("-" * len(header))
    print(f"{'TOTAL (' + str(len(scores)) + ' cases)':44} {total.models:6} {total.found:5} {total.exact:5} {total.wrong_complete:6} {total.rows_matched:5}/{total.rows:<5} {total.al1:5} {total.al205:5} {total.crashes:5} {total.seconds:6.2f}")
    if total.models:
        print(
            f"exact totals {total.exact}/{total.models} = {100 * total.exact / total.models:.1f}% of models; "
            f"found {100 * total.found / total.models:.1f}%; rows {100 * total.rows_matched / max(total.rows, 1):.1f}%; "
            f"wrong totals marked complete: {total.wrong_complete}; cases with AL1xx: {sum(1 for s in scores if s.al1)}"
        )
        print(f"totals given as formulas: {total.formulas} ({total.formulas_right} equal Keras's at the stubs' values)")
    timed = [s for s in scores if s.keras_seconds]
    if timed:
        mine, theirs = sum(s.summary_seconds for s in timed), sum(s.keras_seconds for s in timed)
        print(
            f"speed over {len(timed)} cases: archlint summary processes {mine:.1f} s, Keras importing and "
            f"building the same programs {theirs:.1f} s: {theirs / mine:.1f}x faster (whole processes; "
            + ("both measured in this run)" if keras_timed_now else "Keras timed when the truth was made: --time-keras times it now)")
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the scores to this file")
    parser.add_argument("--verbose", "-v", action="store_true", help="print what differs in each case")
    parser.add_argument("--archlint", metavar="CHECKOUT", help="score the archlint of this source checkout (e.g. an earlier commit's worktree)")
    parser.add_argument("--entry-per-process", action="store_true",
                        help="one summary process per entry (for archlint versions whose --entry is not repeatable)")
    parser.add_argument("--time-keras", action="store_true",
                        help="also build each case with real Keras now, for a speed ratio measured in this run")
    parser.add_argument("--tf-python", default=sys.executable, help="with --time-keras: Python with tensorflow-cpu")
    parser.add_argument("--keras2-style", action="store_true",
                        help="read the cases styled keras2 with --keras-version 2 instead of the inferred version")
    parser.add_argument("--assume-stubs", action="store_true",
                        help="pass the manifest's stubs that stand for data as --assume lines")
    parser.add_argument("--stubbed", action="store_true", help="score only the cases whose truth needed a stub")
    parser.add_argument("cases", nargs="*", help="case ids (or parts of them); default: every case")
    args = parser.parse_args(argv)
    scores = []
    for case in corpus.select(corpus.load(), args.cases):
        if args.stubbed and not case.stubs:
            continue
        if not case.truth.exists() or not case.file.is_file():
            print(f"{case.id}: no truth or no cached source (make_cache.py, make_truth.py)", file=sys.stderr)
            continue
        extra = ["--keras-version", "2"] if args.keras2_style and "keras2" in case.styles else []
        if args.assume_stubs:
            extra += [arg for stub in case.stubs if stub.assume for arg in ("--assume", stub.assume)]
        score = score_case(case, args.verbose, args.archlint and str(Path(args.archlint).resolve()), args.entry_per_process,
                           extra)
        if args.time_keras:
            import make_truth

            score.keras_seconds = make_truth.build(case, args.tf_python).get("process_seconds", 0.0)
        scores.append(score)
    print_table(scores, keras_timed_now=args.time_keras)
    if args.verbose:
        for s in scores:
            if s.problems:
                print(f"\n{s.case}:")
                for problem in s.problems:
                    print(f"  {problem}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump([asdict(s) for s in scores], handle, indent=1)
    return 0 if scores else 1


if __name__ == "__main__":
    sys.exit(main())
