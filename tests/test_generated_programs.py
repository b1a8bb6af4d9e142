"""Random valid Keras programs (tests/program_generator.py) built by real Keras and by
archlint, compared row for row. A program Keras refuses is not counted; a mismatch is shrunk
to the fewest statements that still differ and shown, to be kept as a fixture. A fixed set of
seeds runs by default, ten times as many with ``--slow``."""

import contextlib
import io

import pytest

pytest.importorskip("keras")

from compare import archlint_models, differences  # noqa: E402
from keras_oracle import build_fixture  # noqa: E402
from program_generator import program, shrink, styles_of  # noqa: E402

PROGRAMS = 60
RESULTS = {}


def summary_line():
    r = RESULTS
    return r and (f"generated programs: {r['generated']} ({r['styles']}), {r['matched']} built by Keras and matched "
                  f"row for row, {r['refused']} refused by Keras, {r['mismatched']} mismatched")


def _keras(path):
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return build_fixture(path)
    except Exception:  # noqa: BLE001 - a program Keras refuses is not a valid program
        return None


def _differences(path, source):
    path.write_text(source)
    expected = _keras(path)
    if expected is None:
        return None
    return differences(expected, archlint_models(path))


def test_generated_programs_match_keras(tmp_path, request):
    seeds = range(PROGRAMS * (10 if request.config.getoption("--slow") else 1))
    path = tmp_path / "generated.py"
    matched, refused, mismatched = 0, 0, []
    for seed in seeds:
        style, source = program(seed)
        found = _differences(path, source)
        if found is None:
            refused += 1
        elif found:
            small = shrink(source, lambda candidate: bool(_differences(path, candidate)))
            mismatched.append(f"seed {seed} ({style}): {found[:3]}\n{small}")
        else:
            matched += 1
    RESULTS.update(generated=len(seeds), matched=matched, refused=refused, mismatched=len(mismatched),
                   styles=styles_of(seeds))
    assert mismatched == [], "\n\n".join(mismatched)
    assert matched >= 0.8 * len(seeds)  # the generator makes mostly valid programs


def test_shrink_keeps_only_what_still_differs():
    _, source = program(0)
    small = shrink(source, lambda candidate: "Concatenate" in candidate or "Add()" in candidate or "block(" in candidate)
    assert len(small.splitlines()) < len(source.splitlines())
    assert "Concatenate" in small or "Add()" in small or "block(" in small
