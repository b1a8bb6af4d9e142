"""The wild corpus: its manifest, and where each case's sources and truth live.

The manifest (``manifest.toml`` beside this file) names public Keras programs by
repository, commit and path, with what the driver needs to build them: the entry calls,
the line ranges to run, the data-only values to stub (each with why), and the backend.
Sources are never committed: ``make_cache.py`` extracts them from local clones into the
git-ignored ``.cache/`` directory; truth from real Keras is written under ``truth/``.

This module only reads the manifest and computes paths; it runs nothing.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MANIFEST = Path(os.environ.get("ARCHLINT_WILD_MANIFEST", HERE / "manifest.toml"))  # another manifest, for drafting cases
CACHE = HERE / ".cache"
TRUTH = HERE / "truth"
COSTS_TRUTH = TRUTH / "costs"  # TensorFlow's operation counts of each model (make_truth.py --costs)

BACKENDS = ("numpy", "tensorflow")
CASE_KEYS = {"id", "repo", "commit", "path", "styles", "backend", "entries", "lines", "stubs", "prelude", "compat", "note", "source_roots"}
STUB_KEYS = {"name", "value", "why", "assume"}


@dataclass(frozen=True)
class Stub:
    """A data-only value the program reads at run time, replaced for the driver.

    ``name`` is a variable of the program (set before its code runs) or a dotted attribute
    of an importable module (``keras.datasets.mnist.load_data``); ``value`` is a Python
    expression evaluated with ``np`` (numpy) and the driver's helpers in scope. ``assume``
    is the same fact as archlint's ``--assume`` says it (``len(vocabulary)=88585``), for a
    stub that stands for data (``score.py --assume-stubs``); none for stubs archlint needs no
    word on (downloads of known datasets, training loops).
    """

    name: str
    value: str
    why: str
    assume: Optional[str] = None


@dataclass(frozen=True)
class Case:
    id: str
    repo: str
    commit: str
    path: str
    styles: Tuple[str, ...]
    backend: str = "numpy"
    entries: Tuple[str, ...] = ()
    lines: Optional[str] = None
    stubs: Tuple[Stub, ...] = ()
    prelude: str = ""
    compat: bool = False
    note: str = ""
    source_roots: Tuple[str, ...] = ()

    @property
    def tree(self) -> Path:
        """The cached source tree of this case's repository at its commit."""
        return CACHE / f"{self.repo.replace('/', '+')}@{self.commit[:12]}"

    @property
    def file(self) -> Path:
        return self.tree / self.path

    @property
    def truth(self) -> Path:
        return TRUTH / f"{self.id}.json"

    @property
    def costs_truth(self) -> Path:
        return COSTS_TRUTH / f"{self.id}.json"

    def line_numbers(self) -> Optional[List[int]]:
        """The 1-based line numbers the driver runs, or None for the whole file."""
        if self.lines is None:
            return None
        numbers: List[int] = []
        for part in self.lines.split(","):
            first, _, last = part.strip().partition("-")
            numbers.extend(range(int(first), int(last or first) + 1))
        return numbers


class ManifestError(ValueError):
    pass


def _case(raw: dict, index: int) -> Case:
    unknown = set(raw) - CASE_KEYS
    if unknown:
        raise ManifestError(f"case {index}: unknown keys {sorted(unknown)}")
    for key in ("id", "repo", "commit", "path", "styles"):
        if key not in raw:
            raise ManifestError(f"case {index}: missing {key!r}")
    if not re.fullmatch(r"[0-9a-f]{40}", raw["commit"]):
        raise ManifestError(f"case {raw['id']}: commit must be 40 hex digits")
    if raw.get("backend", "numpy") not in BACKENDS:
        raise ManifestError(f"case {raw['id']}: backend must be one of {BACKENDS}")
    stubs = []
    for stub in raw.get("stubs", ()):
        if set(stub) - STUB_KEYS or not {"name", "value", "why"} <= set(stub):
            raise ManifestError(f"case {raw['id']}: a stub needs name, value and why (and may say assume)")
        stubs.append(Stub(stub["name"], stub["value"], stub["why"], stub.get("assume")))
    return Case(
        id=raw["id"],
        repo=raw["repo"],
        commit=raw["commit"],
        path=raw["path"],
        styles=tuple(raw["styles"]),
        backend=raw.get("backend", "numpy"),
        entries=tuple(raw.get("entries", ())),
        lines=raw.get("lines"),
        stubs=tuple(stubs),
        prelude=raw.get("prelude", ""),
        compat=bool(raw.get("compat", False)),
        note=raw.get("note", ""),
        source_roots=tuple(raw.get("source_roots", ())),
    )


def load(path: Path = MANIFEST) -> List[Case]:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    cases = [_case(raw, i) for i, raw in enumerate(data.get("case", []))]
    seen = set()
    for case in cases:
        if case.id in seen:
            raise ManifestError(f"duplicate case id {case.id!r}")
        seen.add(case.id)
    return cases


def select(cases: List[Case], patterns: List[str]) -> List[Case]:
    """The cases whose id contains any of the patterns (all cases when none given)."""
    if not patterns:
        return cases
    return [c for c in cases if any(p in c.id for p in patterns)]
