"""The language server end to end, driven by a real LSP client over stdio (pytest-lsp):
diagnostics on open and after a change, hover on a layer call and a model, inlay hints of
output shapes, the code actions for a fix and a `# noqa`, and the links from a finding's
code to its rule's documentation."""

import asyncio
import math
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "fixtures" / "editor" / "small_cnn.py"
URI = DOCUMENT.as_uri()
CACHE = tempfile.mkdtemp(prefix="archlint-server-cache-")  # the server's XDG cache, where rule pages go
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "archlint", "server"],
                            server_env={"PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": CACHE})


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def hosted_docs_client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        initialization_options={"ruleDocs": "https://docs.example.org/archlint/{code}-{name}.html"}))
    yield
    await lsp_client.shutdown_session()


async def _open(client, text):
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=URI, language_id="python", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


@pytest.mark.asyncio
async def test_diagnostics_follow_the_buffer(client: LanguageClient):
    text = DOCUMENT.read_text()
    await _open(client, text)
    assert [(d.code, d.range.start.line) for d in client.diagnostics[URI]] == [("AL201", 6)]
    changed = text.replace('activation="softmax"', 'activaton="softmax"')
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert {(d.code, d.range.start.line) for d in client.diagnostics[URI]} == {("AL201", 6), ("AL105", 9)}


@pytest.mark.asyncio
async def test_codes_link_to_the_rule_pages(client: LanguageClient):
    """Without a URL template the server writes each rule's page into its cache and links
    the code to it; the page is the rule's own documentation."""
    from archlint.rules import get_rule

    await _open(client, DOCUMENT.read_text())
    (diagnostic,) = client.diagnostics[URI]
    link = urlparse(diagnostic.code_description.href)
    assert link.scheme == "file" and link.path.startswith(str(Path(CACHE).resolve()))
    page = Path(link.path).read_text(encoding="utf-8")
    rule = get_rule("AL201")
    assert page.startswith("# AL201 bias-before-batchnorm\n") and rule.summary in page
    assert rule.doc.split("\n\n")[0] in page


@pytest.mark.asyncio
async def test_codes_link_to_hosted_pages(hosted_docs_client: LanguageClient):
    await _open(hosted_docs_client, DOCUMENT.read_text())
    (diagnostic,) = hosted_docs_client.diagnostics[URI]
    assert diagnostic.code_description.href == "https://docs.example.org/archlint/AL201-bias-before-batchnorm.html"


@pytest.mark.asyncio
async def test_hover_shows_shapes_and_counts(client: LanguageClient):
    """What hover says is what real Keras builds from the same document."""
    keras = pytest.importorskip("keras")
    built = {}
    exec(compile(DOCUMENT.read_text(), str(DOCUMENT), "exec"), built)
    model, conv = built["model"], built["model"].layers[1]
    assert isinstance(conv, keras.layers.Conv2D)
    await _open(client, DOCUMENT.read_text())
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=5, character=12)))
    assert hover.contents.value == (f"**conv2d** (Conv2D) → `{tuple(conv.output.shape)}` · {conv.count_params():,} params"
                                    f"\n\n`(3*3*1 + 1) * 32 = {conv.count_params():,}`")
    totals = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=10, character=2)))
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    assert totals.contents.value == (f"**functional** (Functional) · {model.count_params():,} params "
                                     f"({trainable:,} trainable) · {len(model.layers)} layers")
    used = await client.text_document_hover_async(types.HoverParams(  # the variable where it is used
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=11, character=1)))
    assert used.contents.value == totals.contents.value


@pytest.mark.asyncio
async def test_inlay_hints_and_code_actions(client: LanguageClient):
    pytest.importorskip("keras")
    await _open(client, DOCUMENT.read_text())
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        range=types.Range(types.Position(0, 0), types.Position(11, 0))))
    built = {}
    exec(compile(DOCUMENT.read_text(), str(DOCUMENT), "exec"), built)
    shapes = [tuple(layer.output.shape) for layer in built["model"].layers]  # real Keras, line by line from line 5
    assert [(h.position.line, h.label) for h in hints] == [(4 + i, f"  → {shape}") for i, shape in enumerate(shapes)]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), range=types.Range(types.Position(6, 0), types.Position(6, 0)),
        context=types.CodeActionContext(diagnostics=[])))
    titles = [action.title for action in actions]
    assert titles == ["archlint: pass use_bias=False (AL201)", "archlint: silence AL201 on this line"]
    (edit,) = actions[0].edit.changes[URI]
    assert "layers.Conv2D(64, 3, use_bias=False)(x)" in edit.new_text


@pytest.mark.asyncio
async def test_notebook_cells_get_their_own_findings(client: LanguageClient):
    """A notebook through the LSP notebook sync: imports in one cell, the model in another;
    a finding lands on the cell and line it is in."""
    notebook = (ROOT / "fixtures" / "editor" / "notebook.ipynb").as_uri()
    sources = ["import keras\nfrom keras import layers", "# A markdown-free title comment",
               "inputs = keras.Input((28, 28, 1))\nx = layers.Conv2D(8, 3)(inputs)\nx = layers.BatchNormalization()(x)"]
    cells = [f"{notebook}#cell{index}" for index in range(len(sources))]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(uri=notebook, notebook_type="jupyter-notebook", version=1, cells=[
            types.NotebookCell(kind=types.NotebookCellKind.Code, document=cell) for cell in cells]),
        cell_text_documents=[types.TextDocumentItem(uri=cell, language_id="python", version=1, text=text)
                             for cell, text in zip(cells, sources)]))
    for _ in range(200):  # every cell's diagnostics, however fast they came
        if all(cell in client.diagnostics for cell in cells):
            break
        await asyncio.sleep(0.05)
    assert [(d.code, d.range.start.line) for d in client.diagnostics[cells[2]]] == [("AL201", 1)]
    assert not client.diagnostics[cells[0]] and not client.diagnostics[cells[1]]
