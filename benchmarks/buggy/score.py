"""Score archlint's findings on the buggy set: recall, precision and false errors per rule.

    python benchmarks/buggy/score.py [--verbose] [--archlint CHECKOUT]

Runs ``archlint check --select AL1,AL2,AL3,AL4,AL5 --format json`` on each buggy program and
on its fixed version (whole processes, on the cached sources) and counts:

* recall: of the statically visible faults, those archlint reports with an expected code on
  one of the fault's lines (its own line or a related location it names, with one line of
  slack either way: a multi-line call is reported on its first line). Per rule: the faults expecting that code; in total: every visible fault,
  including those expecting a rule archlint does not have yet ("new: ...").
* precision: a finding on a buggy program is right when it is an expected code on a fault
  line, or one of the program's ``other_findings`` (true findings about something else that
  the fix also changes, checked by hand); wrong when the fix removes it but it is not (a wrong rule or a wrong place). Findings
  the fixed version still has are about something else than the labeled fault and are not
  judged (``--verbose`` lists them).
* false errors: AL1xx findings on a program real Keras builds (the buggy one when labeled so,
  unless the finding is its labeled fault, such as a numpy reshape that raises before the
  model is used; and every fixed version).

A benchmark, not a test: it never fails on a score, only on missing inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from typing import Dict, List, Optional

from labels import ROOT, load, tree

SELECT = "AL1,AL2,AL3,AL4,AL5"
TIMEOUT_SECONDS = 120


def _findings(path, checkout: Optional[str]) -> List[dict]:
    env = {**os.environ, "PYTHONPATH": checkout} if checkout else None
    try:
        done = subprocess.run([sys.executable, "-m", "archlint", "check", str(path), "--select", SELECT, "--format", "json"],
                              capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=checkout or ROOT, env=env)
    except subprocess.TimeoutExpired:
        return []
    try:
        return json.loads(done.stdout).get("findings", []) if done.stdout.strip() else []
    except json.JSONDecodeError:
        return []


def _about(finding: dict):
    """What a finding is about, across a fix that changes the numbers in its message: its
    code and the layer or model it names first."""
    return finding["code"], finding["message"].split(" ", 1)[0].rstrip(":")


def _on(finding: dict, lines: List[int]) -> bool:
    """Whether the finding's line, or a related location it names, is within a line of one of ``lines``."""
    spots = [finding["line"], *(r["line"] for r in finding.get("related", ()))]
    return any(abs(spot - line) <= 1 for spot in spots for line in lines)


def score(verbose: bool = False, checkout: Optional[str] = None) -> Dict:
    totals = Counter()
    per_rule = defaultdict(Counter)
    unjudged = []
    for program in load():
        base = tree(program["repo"], program["commit"])
        buggy, fixed = base / program["path"], base / program["fixed"]
        if not buggy.is_file():
            print(f"{program['id']}: not in the cache (make_cache.py)", file=sys.stderr)
            continue
        found = _findings(buggy, checkout)
        after = _findings(fixed, checkout) if fixed.is_file() else []
        still = Counter(_about(f) for f in after)
        expected = [e for e in program["expected"] if e.startswith("AL")]
        if program["visible"] == "yes":
            totals["visible"] += 1
            hit = any(f["code"] in expected and _on(f, program["fault_lines"]) for f in found)
            totals["caught"] += hit
            if verbose and not hit:
                print(f"  missed: {program['id']} lines {program['fault_lines']} expects {', '.join(program['expected']) or '-'}")
            for code in expected:
                per_rule[code]["faults"] += 1
                per_rule[code]["caught"] += any(f["code"] == code and _on(f, program["fault_lines"]) for f in found)
            if not expected:
                totals["needs_new_rule"] += 1
        for finding in found:
            code = finding["code"]
            right = code in expected and _on(finding, program["fault_lines"])
            if right:
                per_rule[code]["right"] += 1
            elif f"{code}@{finding['line']}" in program.get("other_findings", ()):
                per_rule[code]["right"] += 1  # true, checked by hand, though not the labeled fault
            elif still[_about(finding)]:
                still[_about(finding)] -= 1
                unjudged.append((program["id"], finding))
            else:
                per_rule[code]["wrong"] += 1
                if verbose:
                    print(f"  wrong: {program['id']} {code}@{finding['line']}: {finding['message'][:100]}")
            if code.startswith("AL1") and program["builds"] == "yes" and not right:
                per_rule[code]["false_errors"] += 1
                totals["false_errors"] += 1
        for finding in after:
            if finding["code"].startswith("AL1"):
                per_rule[finding["code"]]["false_errors"] += 1
                totals["false_errors"] += 1
                if verbose:
                    print(f"  false error on the fix: {program['id']} {finding['code']}@{finding['line']}")
        totals["programs"] += 1
    if verbose:
        for program_id, finding in unjudged:
            print(f"  not judged (the fix keeps it): {program_id} {finding['code']}@{finding['line']}: {finding['message'][:90]}")
    return {"totals": totals, "per_rule": per_rule}


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def print_table(result: Dict) -> None:
    per_rule, totals = result["per_rule"], result["totals"]
    print(f"{'rule':6} {'faults':>6} {'caught':>6} {'recall':>7} {'right':>6} {'wrong':>6} {'precision':>9} {'false AL1xx':>11}")
    for code in sorted(per_rule):
        r = per_rule[code]
        print(f"{code:6} {r['faults']:6} {r['caught']:6} {_percent(r['caught'], r['faults']):>7} {r['right']:6} {r['wrong']:6} "
              f"{_percent(r['right'], r['right'] + r['wrong']):>9} {r['false_errors']:11}")
    right = sum(r["right"] for r in per_rule.values())
    wrong = sum(r["wrong"] for r in per_rule.values())
    print(f"\n{totals['programs']} programs, {totals['visible']} faults visible statically "
          f"({totals['needs_new_rule']} of them need a rule archlint does not have)")
    print(f"recall {totals['caught']}/{totals['visible']} = {_percent(totals['caught'], totals['visible']).strip()}; "
          f"precision {right}/{right + wrong} = {_percent(right, right + wrong).strip()}; "
          f"false errors (AL1xx on code that builds): {totals['false_errors']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list the missed faults, the wrong and the unjudged findings")
    parser.add_argument("--archlint", metavar="CHECKOUT", help="score the archlint of this source checkout")
    args = parser.parse_args(argv)
    print_table(score(args.verbose, args.archlint and os.path.abspath(args.archlint)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
