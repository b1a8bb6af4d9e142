"""A content cache of ``check`` results: a file unchanged since its last check, under the
same settings, is answered from disk without being parsed.

An entry is found by the file's path and the settings it was checked with (archlint's
version and code, the rules, source roots, assumptions, target Keras version and budgets), and used
only when the file's bytes and those of every project module its analysis read are the
same as then. Entries are written atomically, so concurrent runs never read half of one; a
damaged entry is a miss. Results that depend on the machine (a file stopped by its time or
memory budget) and unreadable files are not kept. It imports nothing heavy: a run where
every file hits never loads the parser. It does not decide what to check (cli.py does).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from typing import Dict, List, Optional, Sequence

from . import __version__
from .diagnostics import Confidence, Finding, Fix, Severity
from .files import SOURCE_BYTES, NotRead, read_bytes, replace_atomically

DIRECTORY_NAME = ".archlint_cache"
_MACHINE_DEPENDENT = ("the time budget per file", "the memory budget per file")


_stamp: Optional[str] = None


def _code_stamp() -> str:
    """archlint's own code as it is now (names, sizes and times of its modules): results of
    an edited checkout are never taken for those of another."""
    global _stamp
    if _stamp is None:
        package, seen = os.path.dirname(os.path.abspath(__file__)), []
        for directory, _, names in sorted(os.walk(package)):
            for name in sorted(n for n in names if n.endswith(".py")):
                info = os.stat(os.path.join(directory, name))
                seen.append(f"{os.path.relpath(os.path.join(directory, name), package)}:{info.st_size}:{info.st_mtime_ns}")
        _stamp = digest("\n".join(seen).encode())
    return _stamp


def default_directory() -> str:
    """``$ARCHLINT_CACHE_DIR``, else ``.archlint_cache`` in the current directory."""
    return os.environ.get("ARCHLINT_CACHE_DIR") or DIRECTORY_NAME


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: str) -> Optional[str]:
    data = read_bytes(path, SOURCE_BYTES)
    return None if isinstance(data, NotRead) else digest(data)


class Cache:
    def __init__(self, directory: str):
        self.directory = directory
        self.entries = os.path.join(directory, f"v{__version__}")
        self.hits = self.misses = 0
        self.marked = False  # CACHEDIR.TAG and .gitignore written (once per run)

    def _entry_path(self, path: str, settings: Dict) -> str:
        key = json.dumps({"path": os.path.abspath(path), "settings": settings, "archlint": _code_stamp()},
                         sort_keys=True, default=repr)
        return os.path.join(self.entries, digest(key.encode()) + ".json")

    def get(self, path: str, content: bytes, settings: Dict) -> Optional[List[Finding]]:
        """The findings kept for ``path`` holding ``content``, or None (a miss)."""
        try:
            with open(self._entry_path(path, settings), encoding="utf-8") as handle:
                entry = json.load(handle)
            if entry["content"] != digest(content) or any(
                    _file_digest(module) != known for module, known in entry["imported"].items()):
                raise KeyError("changed")
            findings = [_finding(item) for item in entry["findings"]]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return findings

    def put(self, path: str, content: bytes, settings: Dict, findings: Sequence[Finding], imported: Sequence[str]) -> None:
        """Keep ``findings`` for ``path`` holding ``content`` (unless they depend on the machine)."""
        if any(f.code == "AL904" and any(words in f.message for words in _MACHINE_DEPENDENT) for f in findings):
            return
        modules = {module: _file_digest(module) for module in imported}
        entry = {"content": digest(content), "imported": modules, "findings": [_plain(f) for f in findings]}
        try:
            if not self.marked:
                os.makedirs(self.entries, exist_ok=True)
                _mark(self.directory)
                self.marked = True
            replace_atomically(self._entry_path(path, settings), json.dumps(entry).encode("utf-8"))
        except OSError:
            pass  # a read-only tree: the check is still right, only not kept


def _mark(directory: str) -> None:
    """A cache directory says what it is: git ignores it, backup tools skip it."""
    for name, text in (("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# archlint's cache\n"),
                       (".gitignore", "*\n")):
        target = os.path.join(directory, name)
        if not os.path.exists(target):
            with open(target, "w", encoding="utf-8") as out:
                out.write(text)


def clean(directory: str) -> bool:
    """Remove the cache directory; whether there was one."""
    if not os.path.isdir(directory) or not os.path.exists(os.path.join(directory, "CACHEDIR.TAG")):
        return False
    shutil.rmtree(directory)
    return True


def _plain(finding: Finding) -> Dict:
    item = asdict(finding)
    item["severity"], item["confidence"] = finding.severity.name, finding.confidence.name
    return item


def _finding(item: Dict) -> Finding:
    return Finding(**{**item, "severity": Severity[item["severity"]], "confidence": Confidence[item["confidence"]],
                      "fixes": tuple(Fix(**{k: _tuples(v) for k, v in fix.items()}) for fix in item["fixes"]),
                      "related": tuple(tuple(r) for r in item["related"])})


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value
