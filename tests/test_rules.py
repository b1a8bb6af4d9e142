"""Rules against fixtures that mark each expected finding on its line (``# expect: AL201``).

Every marked line must produce exactly its codes and every unmarked line nothing. And
code that real Keras builds (every model fixture) must produce no AL1xx error at all.
"""

import re
from pathlib import Path

import pytest

from archlint.pipeline import analyze_file
from archlint.rules import all_rules, get_rule
from keras_oracle import lines_where_keras_raises

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
    rule = get_rule(path.stem)
    selected = None if rule is None or rule.enabled_by_default else {spec.code for spec in all_rules()
                                                                       if spec.enabled_by_default} | {rule.code}
    found = {(f.line, f.code) for f in analyze_file(str(path), rule_codes=selected).findings}
    assert found == expected_findings(path)


def test_every_rule_has_a_fixture_or_analyzer_test():
    # AL9xx: test_bad_input, and the failing-rule test below
    covered = {p.stem for p in RULE_FIXTURES} | {"AL901", "AL903", "AL904", "AL905", "AL906"}
    missing = [r.code for r in all_rules() if r.code not in covered]
    assert missing == []


def test_every_rule_is_documented():
    for spec in all_rules():
        assert re.fullmatch(r"AL\d{3}", spec.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", spec.name)
        assert spec.summary.endswith(".")
        parts = ["What it does:", "Why is this bad:", "Example:", "Use instead:"]
        positions = [spec.doc.find(part) for part in parts]
        assert -1 not in positions and positions == sorted(positions), spec.code


MODEL_FIXTURES = sorted((ROOT / "fixtures" / "models").glob("*.py")) + sorted((ROOT / "fixtures" / "projects").glob("*.py"))


@pytest.mark.parametrize("path", MODEL_FIXTURES, ids=lambda p: p.stem)
def test_no_errors_on_code_that_runs(path):
    errors = [f for f in analyze_file(str(path)).findings if f.code.startswith("AL1") or f.code == "AL901"]
    assert errors == []


def test_bias_finding_counts_the_wasted_parameters():
    (finding,) = [f for f in analyze_file(str(ROOT / "fixtures/rules/AL201.py")).findings if f.line == 25]
    assert "64 wasted parameters" in finding.message


ERROR_FIXTURES = [p for p in RULE_FIXTURES if p.stem.startswith("AL1")]


@pytest.mark.parametrize("path", ERROR_FIXTURES, ids=lambda p: p.stem)
def test_expected_errors_are_where_keras_raises(path):
    """An AL1xx finding claims Keras would refuse the code: every marked line must make real
    Keras raise, and nothing else in the fixture may."""
    pytest.importorskip("keras")
    expected = {line for line, code in expected_findings(path) if code.startswith("AL1")}
    raised = lines_where_keras_raises(path)
    unexplained = [why for span, line, why in raised if line not in expected and not expected & set(span)]
    silent = [line for line in expected if not any(line == at or (line in span and at in span) for span, at, _ in raised)]
    assert unexplained == [] and silent == []


def test_rules_and_explain_commands(capsys):
    from archlint.cli import main

    assert main(["rules"]) == 0
    listed = capsys.readouterr().out
    assert all(spec.code in listed and spec.name in listed for spec in all_rules())
    assert main(["explain", "AL105"]) == 0
    doc = capsys.readouterr().out
    assert doc.startswith("AL105 unknown-argument (error)") and "Use instead:" in doc
    assert main(["explain", "bias-before-batchnorm"]) == 0 and "AL201" in capsys.readouterr().out
    assert main(["explain", "AL999"]) == 2 and "no rule" in capsys.readouterr().err


def test_rule_pages(tmp_path, capsys):
    """`archlint rules --docs DIR`: one Markdown page per rule, its documentation with the
    example as a Python block; a directory that cannot be made is a one-line message."""
    from archlint.cli import main

    assert main(["rules", "--docs", str(tmp_path / "rules")]) == 0
    pages = sorted(p.name for p in (tmp_path / "rules").iterdir())
    assert pages == sorted(f"{r.code}-{r.name}.md" for r in all_rules())
    page = (tmp_path / "rules" / "AL201-bias-before-batchnorm.md").read_text()
    assert page.startswith("# AL201 bias-before-batchnorm\n") and "```python\n" in page
    (tmp_path / "file").write_text("")
    capsys.readouterr()
    assert main(["rules", "--docs", str(tmp_path / "file" / "rules")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_failing_rule_costs_only_its_own_findings(monkeypatch):
    from archlint.rules import base

    def broken(ctx):
        raise ZeroDivisionError("boom")
        yield

    spec = base._RULES["AL302"]
    monkeypatch.setitem(base._RULES, "AL302", base.Rule(spec.code, spec.name, spec.severity, spec.summary, broken))
    findings = analyze_file(str(ROOT / "fixtures/rules/AL201.py")).findings
    assert any(f.code == "AL906" and "AL302" in f.message and "boom" in f.message for f in findings)
    assert any(f.code == "AL201" for f in findings)


def test_nothing_is_reported_inside_installed_library_code(tmp_path):
    """keras.applications' own layers (a bias before BatchNormalization in ResNet) are not the
    user's to change: only the user's own lines are reported."""
    path = tmp_path / "transfer.py"
    path.write_text(
        "import keras\n"
        "base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))\n"
        "x = keras.layers.GlobalAveragePooling2D()(base.output)\n"
        "model = keras.Model(base.input, keras.layers.Dense(1, activation='softmax')(x))\n"
    )
    findings = analyze_file(str(path)).findings
    assert [(f.path, f.line, f.code) for f in findings] == [(str(path), 4, "AL502")]
