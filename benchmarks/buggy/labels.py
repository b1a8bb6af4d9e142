"""The buggy set's manifest: programs, their labeled faults, and where their sources are cached."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = HERE / ".cache"
MANIFEST = HERE / "manifest.toml"
KEYS = {"id", "repo", "commit", "path", "fixed", "fault_lines", "fault", "visible", "expected", "builds", "evidence", "note",
        "other_findings"}  # optional: true findings ("AL401@35") about something else the fix also changes


def load() -> list:
    """The manifest's programs, checked for their keys."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    with open(MANIFEST, "rb") as handle:
        programs = tomllib.load(handle)["program"]
    for program in programs:
        unknown = set(program) - KEYS
        if unknown or program["visible"] not in ("yes", "no") or program["builds"] not in ("yes", "no", "unknown"):
            raise ValueError(f"{program.get('id')}: bad entry ({sorted(unknown) or 'visible/builds'})")
    return programs


def tree(repo: str, commit: str) -> Path:
    owner, name = repo.split("/")
    return CACHE / f"{owner}+{name}@{commit[:12]}"


def wild_module(name: str):
    """A module of the wild corpus's tools (its extractor), loaded by path."""
    sys.path.insert(0, str(HERE.parent / "wild"))  # its own imports (corpus.py)
    spec = importlib.util.spec_from_file_location(f"wild_{name}", HERE.parent / "wild" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
