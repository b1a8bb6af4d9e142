"""The labeled set: buggy programs in the style of Stack Overflow questions, and their fixes.

Each file in ``fixtures/labeled/`` marks the findings it should get (``# expect: AL201``);
its ``_fixed`` twin marks none. The test prints precision and recall per rule over the
whole set. An AL1xx finding claims Keras would refuse the code, so AL1xx precision must be
100%, and every AL1xx label is checked against real Keras raising there.
"""

from collections import Counter
from pathlib import Path

import pytest

from archlint.pipeline import analyze_file
from keras_oracle import lines_where_keras_raises
from test_rules import expected_findings

LABELED = Path(__file__).resolve().parent.parent / "fixtures" / "labeled"
FILES = sorted(LABELED.glob("*.py"))
RULES = ["AL101", "AL102", "AL103", "AL104", "AL105", "AL106", "AL107", "AL108", "AL201", "AL202", "AL203",
         "AL204", "AL205", "AL301", "AL302", "AL303", "AL304", "AL305", "AL401", "AL501", "AL502"]


def _scores():
    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    mistakes = []
    for path in FILES:
        expected = expected_findings(path)
        found = {(f.line, f.code) for f in analyze_file(str(path)).findings if not f.code.startswith("AL9")}
        for line, code in found & expected:
            true_pos[code] += 1
        for line, code in found - expected:
            false_pos[code] += 1
            mistakes.append(f"{path.name}:{line}: unexpected {code}")
        for line, code in expected - found:
            false_neg[code] += 1
            mistakes.append(f"{path.name}:{line}: missed {code}")
    return true_pos, false_pos, false_neg, mistakes


def test_the_set_is_big_enough():
    assert len(FILES) >= 40
    buggy = Counter(code for path in FILES if not path.stem.endswith("_fixed") for _, code in expected_findings(path))
    files_per_rule = Counter(path.name[:5] for path in FILES if not path.stem.endswith("_fixed"))
    assert [code for code in RULES if files_per_rule[code] < 2 or not buggy[code]] == []
    assert all((LABELED / f"{p.stem}_fixed.py").exists() for p in FILES if not p.stem.endswith("_fixed"))


def test_precision_and_recall(capsys):
    true_pos, false_pos, false_neg, mistakes = _scores()
    with capsys.disabled():
        print(f"\nlabeled set: {len(FILES)} files")
        print(f"{'rule':6} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
        for code in sorted(set(true_pos) | set(false_pos) | set(false_neg)):
            tp, fp, fn = true_pos[code], false_pos[code], false_neg[code]
            precision = f"{tp / (tp + fp):.0%}" if tp + fp else "-"
            recall = f"{tp / (tp + fn):.0%}" if tp + fn else "-"
            print(f"{code:6} {tp:>4} {fp:>4} {fn:>4} {precision:>10} {recall:>8}")
        tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
        print(f"{'all':6} {tp:>4} {fp:>4} {fn:>4} {tp / max(tp + fp, 1):>10.0%} {tp / max(tp + fn, 1):>8.0%}")
        for mistake in mistakes:
            print("  " + mistake)
    assert [code for code in false_pos if code.startswith("AL1")] == [], "AL1xx findings must all be right"


ERROR_FILES = [p for p in FILES if any(code.startswith("AL1") for _, code in expected_findings(p))]


@pytest.mark.parametrize("path", ERROR_FILES, ids=lambda p: p.stem)
def test_every_error_label_is_where_keras_raises(path):
    pytest.importorskip("keras")
    expected = {line for line, code in expected_findings(path) if code.startswith("AL1")}
    raised = lines_where_keras_raises(path)
    silent = [line for line in expected if not any(line == at or (line in span and at in span) for span, at, _ in raised)]
    assert silent == []
