"""archlint report and archlint graph: a two-commit repository whose deltas are checked
against real Keras's totals for both revisions; Markdown, HTML and JSON; diagrams."""

import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from archlint import diagram
from archlint.cli import main
from archlint.pipeline import analyze_file
from archlint.reporters import review_markdown
from archlint.review import review_file

ROOT = Path(__file__).resolve().parent.parent
BEFORE, AFTER = ROOT / "fixtures" / "review" / "cnn_before.py", ROOT / "fixtures" / "review" / "cnn_after.py"
GIT = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """A repository whose last commit changes model.py from BEFORE to AFTER; cwd is its root."""
    repo = tmp_path / "project"
    (repo / "models").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(BEFORE, repo / "models" / "model.py")
    (repo / "models" / "untouched.py").write_text("import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n")
    subprocess.run([*GIT, "add", "."], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "before"], cwd=repo, check=True)
    shutil.copy(AFTER, repo / "models" / "model.py")
    subprocess.run([*GIT, "commit", "-qam", "after"], cwd=repo, check=True)
    monkeypatch.chdir(repo)
    return repo


def test_deltas_equal_real_keras_for_both_revisions(repository, capsys):
    pytest.importorskip("keras")
    from keras_oracle import build_fixture

    (before,), (after,) = build_fixture(BEFORE), build_fixture(AFTER)
    assert main(["report", "--base", "HEAD~1", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    (file,) = document["files"]  # only the changed file
    assert file["path"] == "models/model.py" and not file["new_file"]
    (model,) = file["models"]
    keys = ("total_params", "trainable_params", "non_trainable_params")
    assert model["status"] == "changed"
    assert {k: model["base"][k] for k in keys} == {k: before[k] for k in keys}
    assert {k: model["now"][k] for k in keys} == {k: after[k] for k in keys}
    assert {k: model["delta"][k] for k in keys} == {k: after[k] - before[k] for k in keys}
    # Beside them, the multiply-adds of a forward pass (tests/test_costs.py checks the counts).
    assert 0 < model["base"]["macs"] < model["now"]["macs"]
    assert model["delta"]["macs"] == model["now"]["macs"] - model["base"]["macs"]
    added = [r["after"]["class"] for r in model["rows"] if r["change"] == "added"]
    assert len(added) == len(after["layers"]) - len(before["layers"])
    (first_conv,) = [r for r in model["rows"] if r["change"] == "changed" and r["after"]["name"] == "conv2d"]
    assert (first_conv["before"]["params"], first_conv["after"]["params"]) == (before["layers"][1]["params"], after["layers"][1]["params"])
    assert [f["code"] for f in file["new_findings"]] == ["AL201"] and file["fixed_findings"] == []


def test_markdown_and_html(repository, capsys, tmp_path):
    assert main(["report", "--base", "HEAD~1"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith(review_markdown.MARKER) and "| Total params | 20,042 | 96,586 | +76,544 |" in markdown
    assert "| Mult-adds |" in markdown
    assert "```mermaid" in markdown and "<details>" in markdown and "new `AL201`" in markdown
    page = tmp_path / "report.html"
    assert main(["report", "--base", "HEAD~1", "--format", "html", "--output", str(page)]) == 0
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "<script" not in text
    assert "http" not in text.replace("http://www.w3.org/", "")  # nothing fetched from a network


def test_without_dot_the_html_draws_its_own_svg(repository, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["report", "models/model.py", "--format", "html"]) == 0
    svg = capsys.readouterr().out.split("<div class=diagram>", 1)[1].split("</div>", 1)[0]
    ElementTree.fromstring(svg)  # well-formed


def test_usage_errors(repository, capsys):
    assert main(["report"]) == 2
    assert "no files" in capsys.readouterr().err
    assert main(["report", "--base", "no-such-revision"]) == 2
    assert capsys.readouterr().err.startswith("archlint: git")


def test_markdown_stays_under_the_comment_limit():
    big = analyze_file(str(ROOT / "fixtures" / "models" / "seed003_unet.py"))
    files = [review_file(f"model_{i}.py", big) for i in range(40)]
    text = review_markdown.render(files, None)
    assert len(text) <= review_markdown.LIMIT and "Cut to stay under GitHub's comment size limit" in text


def test_graph_formats(tmp_path, capsys):
    nested = ROOT / "fixtures" / "models" / "nested_models.py"
    assert main(["graph", str(nested), "--model", "siamese"]) == 0
    mermaid = capsys.readouterr().out
    assert mermaid.splitlines()[1] == "flowchart TD" and "subgraph n2[" in mermaid and "n0 --> n2" in mermaid
    assert main(["graph", str(nested), "--model", "siamese", "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    assert "subgraph cluster_n2" in dot and "lhead=cluster_n2" in dot
    if shutil.which("dot"):
        done = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "<svg" in done.stdout, done.stderr
    assert main(["graph", str(nested), "--format", "svg", "--output", str(tmp_path / "g.svg")]) == 0
    ElementTree.parse(tmp_path / "g.svg")
    assert main(["graph", str(nested), "--model", "nope"]) == 1


def test_repeated_blocks_fold_and_big_models_are_capped():
    result = analyze_file(str(ROOT / "fixtures" / "models" / "seed003_unet.py"))
    model, summary = result.models[0], result.summaries[0]
    capped = diagram.build(model, summary, max_boxes=10)
    assert len(capped.boxes) == 11 and capped.boxes[-1].title == f"… {capped.hidden} more layers"
    assert capped.hidden == len(summary.rows) - 10
    chain = analyze_file(str(ROOT / "fixtures" / "models" / "seed001_mnist_mlp.py"))
    plain = diagram.build(chain.models[0], chain.summaries[0])
    assert all(box.repeat == 1 for box in plain.boxes)


def test_a_run_of_identical_blocks_is_one_box_with_its_count(tmp_path):
    path = tmp_path / "deep.py"
    path.write_text("import keras\nfrom keras import layers\n"
                    "inputs = keras.Input((32,))\nx = inputs\n"
                    "for _ in range(5):\n    x = layers.Dense(32, activation='relu')(x)\n    x = layers.Dropout(0.1)(x)\n"
                    "twin = layers.Dense(8)(inputs)\n"
                    "model = keras.Model(inputs, [layers.Dense(1)(x), twin])\n")
    result = analyze_file(str(path))
    picture = diagram.build(result.models[0], result.summaries[0])
    repeated = [box for box in picture.boxes if box.repeat > 1]
    assert [(box.title.split(" (")[1], box.repeat) for box in repeated] == [("Dense)", 5), ("Dropout)", 5)]
    assert "×5" in diagram.mermaid(picture)
