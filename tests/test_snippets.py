"""Snippets without imports and scripts' ``__main__`` blocks: what is assumed, and what is not."""

import textwrap

from archlint.pipeline import analyze_file
from archlint.source import could_build_model


def _run(tmp_path, code, entry=None, name="snippet.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(code))
    return analyze_file(str(path), entry)


def _codes(result):
    return [f.code for f in result.findings]


def test_snippet_text_passes_the_prefilter():
    assert could_build_model("model = Sequential()\n")
    assert could_build_model("model.add(Dense(3))\n")
    assert could_build_model("m = Model(a, b)\n")
    assert not could_build_model("import os\nprint(os.getcwd())\n")


def test_a_file_importing_keras_gets_no_assumed_names(tmp_path):
    result = _run(tmp_path, """
        import keras
        model = keras.Sequential([keras.Input((4,)), Dense(3)])
    """)
    assert "AL907" not in _codes(result)
    assert [s.complete for s in result.summaries] == [False]


def test_other_frameworks_are_not_read_as_keras(tmp_path):
    result = _run(tmp_path, """
        import torch
        class Model(torch.nn.Module):
            pass
        net = Model()
        layers = []
        layers.add(Dense(3))
    """)
    assert result.summaries == []
    assert "AL907" not in _codes(result)


def test_names_the_snippet_binds_are_its_own(tmp_path):
    result = _run(tmp_path, """
        def Dense(units):
            return units
        model = Sequential()
        model.add(Flatten(input_shape=(2, 3)))
        width = Dense(4)
    """)
    (finding,) = [f for f in result.findings if f.code == "AL907"]
    assert "`Flatten`" in finding.message and "`Dense`" not in finding.message
    assert [(s.kind, s.complete) for s in result.summaries] == [("Sequential", True)]


def test_an_undefined_model_with_add_is_one_sequential(tmp_path):
    result = _run(tmp_path, """
        net.add(Dense(4, input_shape=(2,)))
        net.add(Dense(1))
    """)
    (summary,) = result.summaries
    assert (summary.name, summary.kind, summary.complete, len(summary.rows)) == ("sequential", "Sequential", True, 2)
    (finding,) = [f for f in result.findings if f.code == "AL907"]
    assert (finding.line, "`net` as a Sequential model" in finding.message) == (2, True)


def test_main_block_runs_without_an_entry_and_not_with_one(tmp_path):
    code = """
        import keras
        def build(units=2):
            return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)], name=f"d{units}")
        if __name__ == "__main__":
            main_model = build(5)
    """
    assert [s.name for s in _run(tmp_path, code).summaries] == ["d5"]
    assert [s.name for s in _run(tmp_path, code, entry="build(7)").summaries] == ["d7"]
