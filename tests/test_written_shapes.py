"""The text look that lets most files skip the walk for ``NAME.shape`` declarations: it must
never skip a file the walk finds a declaration in."""

import libcst as cst
import pytest

from archlint.written_shapes import _may_declare, _module_events

DECLARING = [
    "Dense(3, input_shape=x.shape)",
    "Input(shape=x.shape)",
    "Input(shape=x . shape\n)",
    "Input(shape=(x # why\n .shape))",
    "Input(shape=x.\\\n shape)",
    "Input(shape=(x).shape, name='a')",
    "Input(shape=x.shape  # all of it\n)",
    "Input(shape  # why\n = x.shape)",
    "Dense(3, input_shape \\\n= x.shape)",
]
NOT_DECLARING = [
    "Input(shape=x.shape[1:])",
    "Input(shape=x.shape # c\n[1:])",
    "Input(shape=ops.shape(x))",
    "Input(shape=x.shape.as_list())",
    "Input(shape=shapes)",
    "Input(shape=x.shaped)",
    "Input(shape=(28, 28))",
    "Input(shape == x.shape)",
    "y = x.shape\nDense(3, input_dim=8)",
]


def declarations(code: str):
    return [event for events in _module_events(cst.parse_module(code)) for event in events if event[0] == "declared"]


@pytest.mark.parametrize("code", DECLARING)
def test_a_declaration_is_never_skipped(code):
    assert declarations(code), code  # the walk finds it ...
    assert _may_declare(code)  # ... so the text look must send the file to the walk


@pytest.mark.parametrize("code", NOT_DECLARING)
def test_text_without_a_whole_shape_skips_the_walk(code):
    assert not declarations(code)
    assert not _may_declare(code)


def test_comment_banners_are_read_in_one_pass():
    """Lines of ``####`` once split every way a comment could end: a file with one took
    longer than any budget. Each text is read in one pass (a child process, so a relapse
    fails here instead of hanging the run)."""
    import subprocess
    import sys

    banner = "#" * 60
    texts = [f"Input(shape=x.shape  {banner} z", f"m.shape {banner}\n", f"y = x.shape {'# ' * 60}b",
             f"shape {banner}\nq"]
    code = ("import sys\nfrom archlint.written_shapes import _may_declare\n"
            f"print([_may_declare(t) for t in {texts!r}])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[True, False, False, False]", done.stderr
