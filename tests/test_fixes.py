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


MODEL = ("import keras\nfrom keras import layers\n\x0c\ninputs = keras.Input((8, 8, 3))\n"
         "x = layers.Conv2D(4, 3)(inputs)  \t\nx = layers.BatchNormalization()(x)\n\x0cmodel = keras.Model(inputs, x)\n")
FIXED_CALL = "layers.Conv2D(4, 3, use_bias=False)"


@pytest.mark.parametrize("ending", ["\n", "\r", "\r\n"])
def test_every_byte_outside_the_fixed_call_stays(tmp_path, ending):
    """Form feeds, trailing whitespace and `\\r`-only line endings (the last one too) survive."""
    target = tmp_path / "model.py"
    before = MODEL.replace("\n", ending).encode()
    target.write_bytes(before)
    _fix(target)
    assert target.read_bytes() == before.replace(b"layers.Conv2D(4, 3)", FIXED_CALL.encode())


def test_a_symlink_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.py"
    real.write_text(MODEL)
    link = tmp_path / "link.py"
    link.symlink_to(real.name)
    _fix(link)
    assert link.is_symlink() and FIXED_CALL in real.read_text()


def test_a_read_only_file_needs_force(tmp_path, capsys):
    target = tmp_path / "model.py"
    target.write_text(MODEL)
    target.chmod(0o444)
    _fix(target)
    assert FIXED_CALL not in target.read_text()
    assert "model.py not fixed: it is read-only (--force fixes it anyway)" in capsys.readouterr().err
    _fix(target, "--force")
    assert FIXED_CALL in target.read_text() and (target.stat().st_mode & 0o777) == 0o444


def test_a_file_changed_after_it_was_read_is_left_alone(tmp_path, monkeypatch, capsys):
    from archlint import fixes

    target = tmp_path / "model.py"
    target.write_text(MODEL)
    real_fixed_text = fixes.fixed_text

    def edited_meanwhile(source, found, unsafe=False):
        target.write_text(MODEL + "# edited in the editor\n")
        return real_fixed_text(source, found, unsafe)

    monkeypatch.setattr(fixes, "fixed_text", edited_meanwhile)
    _fix(target)
    assert target.read_text() == MODEL + "# edited in the editor\n"
    assert "not fixed: it changed after it was read" in capsys.readouterr().err


def test_an_unwritable_directory_is_one_line(tmp_path, monkeypatch, capsys):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    target = tmp_path / "model.py"
    target.write_text(MODEL)
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    assert _fix(target) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not fixed: cannot write in" in err and "Permission denied" in err


def test_temporary_files_never_outlive_a_fix(tmp_path):
    """A signal during the write arrives after the file is replaced (nothing left behind);
    a temporary file of a process killed outright is removed by the next fix there."""
    import os
    import subprocess
    import sys

    target = tmp_path / "model.py"
    target.write_text(MODEL)
    stale = tmp_path / ".archlint-999999999-abc.tmp"  # no such process
    stale.write_text("half a file")
    script = ("import os, signal, sys\nfrom archlint import fixes\n"
              "real = os.fsync\nos.fsync = lambda fd: (os.kill(os.getpid(), signal.SIGTERM), real(fd))\n"
              f"fixes.write_atomically({str(target)!r}, 'replaced = True\\n')\n"
              "print('not reached: SIGTERM ends the process once the file is replaced')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == -15 and "not reached" not in done.stdout
    assert target.read_text() == "replaced = True\n"
    assert sorted(os.listdir(tmp_path)) == ["model.py"]
