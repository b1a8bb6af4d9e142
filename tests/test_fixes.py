"""Autofixes: the expected output of each fix, idempotence, safety, and files byte for byte.

Each ``fixtures/fixes/CODE_before.py`` fixed with ``archlint check --fix`` must equal
``CODE_after.py``; a second ``--fix`` must change nothing; the fixed file must still build
in real Keras, and archlint's summary of it must equal what Keras builds.
"""

import shutil
from pathlib import Path

import pytest

from archlint.cli import main
from compare import archlint_models, differences
from keras_oracle import build_fixture

FIXES = Path(__file__).resolve().parent.parent / "fixtures" / "fixes"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "models"
CASES = sorted(p.name[: -len("_before.py")] for p in FIXES.glob("*_before.py"))


def _fix(path: Path, *flags) -> int:
    return main(["check", "--fix", *flags, str(path)])


@pytest.mark.parametrize("code", CASES)
def test_fix_gives_the_expected_file_and_is_idempotent(code, tmp_path, capsys):
    target = tmp_path / f"{code}.py"
    shutil.copy(FIXES / f"{code}_before.py", target)
    _fix(target)
    assert target.read_text() == (FIXES / f"{code}_after.py").read_text()
    once = target.read_bytes()
    _fix(target)
    assert target.read_bytes() == once


@pytest.mark.parametrize("code", CASES)
def test_fixed_file_builds_in_real_keras_as_archlint_says(code):
    pytest.importorskip("keras")
    after = FIXES / f"{code}_after.py"
    expected = build_fixture(after)
    assert expected and differences(expected, archlint_models(after)) == []


def test_unsafe_fix_needs_the_flag(tmp_path, capsys):
    # conv_bn's Conv2D feeds BatchNormalization in one call and not in the other.
    target = tmp_path / "m.py"
    shutil.copy(FIXES / "AL201_after.py", target)
    before = target.read_text()
    _fix(target)
    assert target.read_text() == before
    _fix(target, "--unsafe-fixes")
    assert 'layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)' in target.read_text()


def test_diff_writes_nothing(tmp_path, capsys):
    target = tmp_path / "m.py"
    shutil.copy(FIXES / "AL401_before.py", target)
    before = target.read_bytes()
    assert main(["check", "--diff", str(target)]) == 1
    out = capsys.readouterr().out
    assert "+model.add(Dense(units=10" in out and target.read_bytes() == before


def test_fix_keeps_encoding_bom_line_endings_and_untouched_bytes(tmp_path):
    text = (
        "# -*- coding: latin-1 -*-\r\n"
        "import keras\r\n"
        "from keras import layers\r\n"
        "\r\n"
        "nom = 'r\xe9seau'  # caf\xe9\r\n"
        "inputs = keras.Input((8, 8, 3))\r\n"
        "x = layers.Conv2D(4, 3)(inputs)\r\n"
        "model = keras.Model(inputs, layers.BatchNormalization()(x), name=nom)\r\n"
    )
    latin = tmp_path / "latin.py"
    latin.write_bytes(text.encode("latin-1"))
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("# -*- coding: latin-1 -*-\r\n", "").encode("utf-8"))
    for path, encoding, prefix in ((latin, "latin-1", b""), (bom, "utf-8", b"\xef\xbb\xbf")):
        original = path.read_bytes()
        _fix(path)
        fixed = path.read_bytes()
        assert fixed.startswith(prefix)
        old_lines, new_lines = original.split(b"\r\n"), fixed.split(b"\r\n")
        changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
        assert len(old_lines) == len(new_lines) and len(changed) == 1
        assert new_lines[changed[0]] == "x = layers.Conv2D(4, 3, use_bias=False)(inputs)".encode(encoding)
        assert not list(tmp_path.glob(".archlint-*"))  # no temporary file left behind


def test_a_file_read_with_its_tabs_expanded_is_never_rewritten(tmp_path, capsys):
    """libcst cannot parse a tab after spaces; archlint reads such a file re-indented, reports
    findings in the file's own columns, and leaves it untouched under --fix."""
    target = tmp_path / "tabs.py"
    shutil.copy(FIXTURES / "tab_indented_methods.py", target)
    before = target.read_bytes()
    main(["check", "--fix", "--unsafe-fixes", str(target)])
    out = capsys.readouterr().out
    assert target.read_bytes() == before
    line = before.decode().splitlines()[14]
    assert f"tabs.py:15:{line.index('layers.Conv2D') + 1}: AL201" in out
