"""File-level noqa comments and suppressions inside imported modules."""

import textwrap

from archlint.pipeline import analyze_file

BODY = """
import keras
from keras import layers

inputs = keras.Input((16, 16, 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
y = layers.Dense(4, kernel_initializer="zeros")(layers.Flatten()(x))
model = keras.Model(inputs, y)
"""


def _codes(tmp_path, text, name="m.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return sorted(f.code for f in analyze_file(str(path)).findings)


def test_without_comments_both_rules_fire(tmp_path):
    assert _codes(tmp_path, BODY) == ["AL201", "AL305"]


def test_file_level_noqa_skips_everything(tmp_path):
    assert _codes(tmp_path, "# archlint: noqa\n" + BODY) == []


def test_file_level_noqa_with_codes(tmp_path):
    assert _codes(tmp_path, "# archlint: noqa: AL305\n" + BODY) == ["AL201"]


def test_file_level_noqa_must_be_on_its_own_line(tmp_path):
    text = BODY.replace("import keras\n", "import keras  # archlint: noqa\n")
    assert _codes(tmp_path, text) == ["AL201", "AL305"]


def test_noqa_in_an_imported_module_silences_its_findings(tmp_path):
    (tmp_path / "blocks.py").write_text(textwrap.dedent("""
        from keras import layers

        def conv_bn(x):
            x = layers.Conv2D(8, 3)(x)  # noqa: AL201
            return layers.BatchNormalization()(x)
    """))
    text = "import keras\nfrom blocks import conv_bn\ninputs = keras.Input((8, 8, 3))\nmodel = keras.Model(inputs, conv_bn(inputs))\n"
    assert _codes(tmp_path, text, "net.py") == []


NOQA_LINES = [
    "x = 1  # noqa: E501", "x = 1  # noqa", "x = 1  # NOQA: AL201", "x = 1  # noqa: E501, AL201", "x = 1  # noqa AL201",
    "x = '# noqa'", "x = '#noqa: E501'  # noqa: W291", "# archlint: noqa: AL303", "x = 1  # noqa: AL999",
    "y = (1,  # noqa: AL201\n     2)", "x = 1  #noqa:E501 # another", "s = '''\n# noqa\n'''", "x = 1",
]


def test_the_shortcut_for_other_tools_codes_reads_what_tokenizing_reads():
    """Comments are tokenized only when a noqa could matter; for every mix of lines, what is
    read is what tokenizing every file would read."""
    import random

    from archlint import noqa
    from archlint.rules import all_rules

    known = {rule.code for rule in all_rules()}
    rng = random.Random(5)
    for _ in range(300):
        text = "\n".join(rng.choice(NOQA_LINES) for _ in range(rng.randint(1, 6))) + "\n"
        shortcut = noqa.read_suppressions(text, known)
        original = noqa._may_matter
        noqa._may_matter = lambda *args: True
        try:
            tokenized = noqa.read_suppressions(text, known)
        finally:
            noqa._may_matter = original
        assert (shortcut.by_line, shortcut.whole_file, shortcut.malformed) == \
            (tokenized.by_line, tokenized.whole_file, tokenized.malformed), text
