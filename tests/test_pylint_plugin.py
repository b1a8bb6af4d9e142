"""The pylint plugin, run by real pylint: archlint's findings as pylint messages, with the
file's own configuration."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pylint")

from archlint.pipeline import analyze_file  # noqa: E402
from archlint.rules import all_rules  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MESSAGE = re.compile(r"^.*?:(\d+):(\d+): ([EWI]9\d{3}): (AL\d{3}) .* \(([a-z-]+)\)$")


def pylint(*args, cwd=ROOT):
    done = subprocess.run([sys.executable, "-m", "pylint", "--load-plugins=archlint.pylint_plugin", "--disable=all",
                           "--enable=archlint", "--score=n", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return [MESSAGE.match(line).groups() for line in done.stdout.splitlines() if MESSAGE.match(line)]


@pytest.mark.parametrize("name", ["AL201.py", "AL105.py", "AL503.py"])
def test_pylint_reports_what_archlint_finds(name):
    path = ROOT / "fixtures" / "rules" / name
    messages = pylint(path)
    want = {(f.line, f.code) for f in analyze_file(str(path)).findings}
    assert {(int(line), code) for line, _, _, code, _ in messages} == want
    names = {rule.code: rule.name for rule in all_rules()}
    assert all(symbol == names[code] and msgid[2:] == code[2:] for _, _, msgid, code, symbol in messages)


def test_pylint_honours_the_files_configuration_and_its_own_disables(tmp_path):
    source = (ROOT / "fixtures" / "rules" / "AL201.py").read_text()
    (tmp_path / "pyproject.toml").write_text('[tool.archlint]\nignore = ["AL201"]\n')
    (tmp_path / "model.py").write_text(source)
    assert pylint(tmp_path / "model.py", cwd=tmp_path) == []
    assert pylint(ROOT / "fixtures" / "rules" / "AL201.py", "--disable=bias-before-batchnorm") == []
