"""Rules against fixtures that mark each expected finding on its line (``# expect: AL201``).

Every marked line must produce exactly its codes and every unmarked line nothing. And
code that real Keras builds (every model fixture) must produce no AL1xx error at all.
"""

import re
from pathlib import Path

import pytest

from archlint.pipeline import analyze_file
from archlint.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
RULE_FIXTURES = sorted((ROOT / "fixtures" / "rules").glob("AL*.py"))
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def expected_findings(path: Path):
    expected = set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            expected |= {(number, code.strip()) for code in match.group(1).split(",") if code.strip()}
    return expected


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_fixture(path):
    found = {(f.line, f.code) for f in analyze_file(str(path)).findings}
    assert found == expected_findings(path)


def test_every_rule_has_a_fixture_or_analyzer_test():
    covered = {p.stem for p in RULE_FIXTURES} | {"AL901", "AL903", "AL904", "AL905"}  # AL9xx: test_bad_input
    missing = [r.code for r in all_rules() if r.code not in covered]
    assert missing == []


def test_every_rule_is_documented():
    for spec in all_rules():
        assert re.fullmatch(r"AL\d{3}", spec.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", spec.name)
        assert spec.summary.endswith(".")


MODEL_FIXTURES = sorted((ROOT / "fixtures" / "models").glob("*.py")) + sorted((ROOT / "fixtures" / "projects").glob("*.py"))


@pytest.mark.parametrize("path", MODEL_FIXTURES, ids=lambda p: p.stem)
def test_no_errors_on_code_that_runs(path):
    errors = [f for f in analyze_file(str(path)).findings if f.code.startswith("AL1") or f.code == "AL901"]
    assert errors == []


def test_bias_finding_counts_the_wasted_parameters():
    (finding,) = [f for f in analyze_file(str(ROOT / "fixtures/rules/AL201.py")).findings if f.line == 25]
    assert "64 wasted parameters" in finding.message
