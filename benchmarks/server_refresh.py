"""How long the language server takes to refresh diagnostics after a one-line change,
against a cold ``archlint check`` of the same file.

    python benchmarks/server_refresh.py [--rounds N] [--file PATH]

The file (default: the installed ``keras.applications`` ``xception.py``, 355 lines) is
opened in a real ``archlint server`` over stdio (the pytest-lsp client); each round changes
one line (a comment's text) and times the wait from sending the change to receiving its
diagnostics, the server's debounce included and, separately, with it taken out. Beside each
round a whole ``python -m archlint check FILE`` process is timed. Rounds interleave the two
so a noisy stretch of the machine hits both alike. Reports medians and their ratio; needs
the ``lsp`` extra and pytest-lsp.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _default_file() -> Path:
    import importlib.util

    return Path(importlib.util.find_spec("keras").origin).parent / "src" / "applications" / "xception.py"


async def _measure(path: Path, rounds: int):
    from lsprotocol import types
    from pytest_lsp import ClientServerConfig

    from archlint.server import DEBOUNCE_SECONDS

    config = ClientServerConfig(server_command=[sys.executable, "-m", "archlint", "server"],
                                server_env={"PYTHONPATH": str(ROOT)})
    client = await config.start()
    await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    uri, text = path.as_uri(), path.read_text()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    warm, cold = [], []
    lines = text.splitlines(keepends=True)
    for index in range(rounds):
        changed = "".join(lines[:1] + [f"# edit {index}\n"] + lines[1:])
        start = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=index + 2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)]))
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        warm.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "archlint", "check", str(path), "--exit-zero"], capture_output=True,
                       cwd=ROOT)
        cold.append(time.perf_counter() - start)
    await client.shutdown_session()
    return warm, cold, DEBOUNCE_SECONDS


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--file", type=Path, default=None)
    args = parser.parse_args(argv)
    path = (args.file or _default_file()).resolve()
    warm, cold, debounce = asyncio.run(_measure(path, args.rounds))
    w, c = statistics.median(warm), statistics.median(cold)
    lines = len(path.read_text().splitlines())
    print(f"{path.name}: {lines} lines, {args.rounds} rounds")
    print(f"server refresh after a one-line change: {w:.3f} s median (its {debounce:.1f} s debounce included); "
          f"{w - debounce:.3f} s without it")
    print(f"cold `archlint check` process: {c:.3f} s median")
    print(f"ratio: refresh / cold = {w / c:.2f} ({(w - debounce) / c:.2f} without the debounce)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
