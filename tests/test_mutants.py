"""Mutants of the model fixtures against real Keras (tests/mutation.py): archlint never fails
on one, never reports an AL1xx error on one Keras builds, and reports an AL1xx at the line
Keras raises at for at least 95% of those Keras rejects. A fixed sample runs by default;
``--slow`` runs every mutant."""


import pytest

pytest.importorskip("keras")

import mutation  # noqa: E402

SAMPLE, SEED = 120, 0
RESULTS = {}


def summary_line():
    r = RESULTS
    return r and (f"mutants: {r['tried']} tried, {r['rejected']} rejected by Keras, {r['caught']} caught at the right "
                  f"line, {r['false_errors']} false errors, {r['failures']} archlint failures")


def test_mutants_against_real_keras(tmp_path, request):
    chosen = mutation.sample(mutation.all_mutants(), None if request.config.getoption("--slow") else SAMPLE, SEED)
    outcomes = [mutation.run(m, tmp_path) for m in chosen]
    counts = mutation.tally(outcomes)
    RESULTS.update(counts)
    where = lambda o: f"{o.mutant.fixture}:{o.mutant.line} {o.mutant.change} (Keras: {o.keras_line} {o.keras_error}; archlint: {o.found})"  # noqa: E731
    assert [where(o) for o in outcomes if o.failed] == []
    assert [where(o) for o in outcomes if o.false_error] == []
    missed = [where(o) for o in outcomes if o.rejected and not o.caught]
    assert counts["caught"] >= 0.95 * counts["rejected"], missed
