"""check's CI formats: SARIF 2.1.0 (validated against the schema), GitHub workflow commands,
concise lines, statistics, --output, --exit-zero, --quiet; JSON positions 1-based with ends."""

import json
import re
import shutil
from pathlib import Path

import pytest

from archlint.cli import main
from archlint.fixes import fixed_text
from archlint.source import load

ROOT = Path(__file__).resolve().parent.parent
# The SARIF 2.1.0 schema, from the workplace's shared folder beside (or above) the checkout.
SCHEMA = next((p / "shared" / "schemas" / "sarif-schema-2.1.0.json" for p in ROOT.parents
               if (p / "shared" / "schemas" / "sarif-schema-2.1.0.json").is_file()), ROOT / "missing-sarif-schema.json")
RULES = ROOT / "fixtures" / "rules"
# ::command prop=value,...::message — values and message escaped as the runner's grammar says.
WORKFLOW_COMMAND = re.compile(
    r"^::(error|warning|notice) file=[^,:\r\n]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=AL\d{3} [a-z0-9-]+::[^\r\n]*$"
)


def _run(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_sarif_validates_against_the_schema(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is not here")
    code, out = _run(capsys, "check", str(RULES), "--format", "sarif")
    document = json.loads(out)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert code == 1 and len(run["results"]) > 40
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"] and rule["help"]["text"].startswith("What it does:")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules}["AL303"] == "note"
    assert any("relatedLocations" in r for r in run["results"])


def test_sarif_fixes_are_the_fixes_check_applies(capsys, tmp_path):
    """Applying a result's artifactChanges to the file gives exactly what --fix writes for it."""
    path = tmp_path / "model.py"
    shutil.copy(RULES / "AL201.py", path)
    _, out = _run(capsys, "check", str(path), "--format", "sarif")
    results = [r for r in json.loads(out)["runs"][0]["results"] if r.get("fixes")]
    assert results
    source = load(str(path))
    lines = source.text.split("\n")
    for result in results:
        replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
        region = replacement["deletedRegion"]
        start = sum(len(line) + 1 for line in lines[: region["startLine"] - 1]) + region["startColumn"] - 1
        end = sum(len(line) + 1 for line in lines[: region["endLine"] - 1]) + region["endColumn"] - 1
        patched = source.text[:start] + replacement["insertedContent"]["text"] + source.text[end:]
        line, col = result["locations"][0]["physicalLocation"]["region"]["startLine"], result["locations"][0]["physicalLocation"]["region"]["startColumn"]
        from archlint.pipeline import analyze_file

        (finding,) = [f for f in analyze_file(str(path)).findings if (f.line, f.col + 1) == (line, col) and f.fixes]
        assert patched == fixed_text(source, finding.fixes)[0]


def test_github_workflow_commands(capsys, tmp_path):
    code, out = _run(capsys, "check", str(RULES), "--format", "github")
    lines = out.splitlines()
    assert code == 1 and lines and all(WORKFLOW_COMMAND.match(line) for line in lines), [l for l in lines if not WORKFLOW_COMMAND.match(l)][:3]
    assert {line.split(" ", 1)[0] for line in lines} == {"::error", "::warning", "::notice"}
    odd = tmp_path / "odd, name: 100%.py"
    shutil.copy(RULES / "AL201.py", odd)
    _, out = _run(capsys, "check", str(odd), "--format", "github")
    assert "file=" + str(odd).replace("%", "%25").replace(":", "%3A").replace(",", "%2C") + "," in out
    assert all(WORKFLOW_COMMAND.match(line) for line in out.splitlines())


def test_json_positions_are_one_based_with_ends(capsys):
    _, out = _run(capsys, "check", str(RULES / "AL201.py"), "--format", "json")
    finding = json.loads(out)["findings"][0]
    text = (RULES / "AL201.py").read_text().splitlines()[finding["line"] - 1]
    start = text.index("layers.Conv2D")
    assert (finding["col"], finding["end_line"]) == (start + 1, finding["line"])
    assert text[finding["col"] - 1:finding["end_col"] - 1] == text[start:text.index(")(") + 1]


def test_concise_statistics_output_exit_zero_quiet(capsys, tmp_path):
    code, out = _run(capsys, "check", str(RULES / "AL203.py"), "--format", "concise")
    assert code == 1 and all(re.match(r"^\S+:\d+:\d+: AL\d{3} \S", line) for line in out.splitlines())
    code, out = _run(capsys, "check", str(RULES), "--statistics")
    counts = {line.split()[1]: int(line.split()[0]) for line in out.splitlines()}
    _, every = _run(capsys, "check", str(RULES), "--format", "concise")
    assert sum(counts.values()) == len(every.splitlines()) and counts["AL201"] == every.count(": AL201 ")
    report = tmp_path / "out.sarif"
    code, out = _run(capsys, "check", str(RULES / "AL203.py"), "--format", "sarif", "--output", str(report))
    assert code == 1 and out == "" and json.loads(report.read_text())["version"] == "2.1.0"
    assert _run(capsys, "check", str(RULES / "AL203.py"), "--exit-zero")[0] == 0
    assert _run(capsys, "check", str(RULES / "AL203.py"), "--output", str(tmp_path / "missing" / "x.txt"))[0] == 2
    fixable = tmp_path / "fix_me.py"
    shutil.copy(RULES / "AL201.py", fixable)
    main(["check", str(fixable), "--fix", "--quiet"])
    assert "fixed" not in capsys.readouterr().err
