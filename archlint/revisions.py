"""Reading another revision of the project from git, without a checkout.

``changed_files(base)`` lists the Python files that differ between ``base`` and the working
tree; ``materialize(base, into)`` writes the Python sources and dependency declarations of
``base`` (read with ``git ls-tree`` and ``git cat-file``) under a directory, so that revision
can be analysed as it was. The working tree, the index and HEAD are never touched, and
nothing is executed.
"""

from __future__ import annotations

import os
import subprocess
from typing import List

KEPT = (".py", ".ipynb", ".toml", ".cfg")
MAX_FILE_BYTES = 2_000_000


class RevisionError(Exception):
    """git cannot answer: not a repository, or an unknown revision (a one-line message)."""


def _git(*args: str, data: bytes = None, cwd: str = None, git_dir: str = None) -> bytes:
    command = ["git", *(["--git-dir", str(git_dir)] if git_dir else []), *args]
    try:
        done = subprocess.run(command, input=data, capture_output=True, cwd=cwd, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"git {args[0]} failed: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def repository_root(cwd: str = None) -> str:
    return _git("rev-parse", "--show-toplevel", cwd=cwd).decode().strip()


def changed_files(base: str, cwd: str = None) -> List[str]:
    """Python files and notebooks added or changed since ``base`` (committed or not), as paths from ``cwd``."""
    root = repository_root(cwd)
    listed = _git("diff", "--name-only", "--diff-filter=AMR", base, "--", "*.py", "*.ipynb", cwd=root).decode().splitlines()
    untracked = _git("ls-files", "--others", "--exclude-standard", "--", "*.py", "*.ipynb", cwd=root).decode().splitlines()
    here = os.path.abspath(cwd or os.getcwd())
    return [os.path.relpath(os.path.join(root, p), here) for p in sorted(set(listed + untracked))]


def _kept(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.endswith(KEPT) or (base.startswith("requirements") and base.endswith(".txt"))


def write_files(commit: str, into, keep=_kept, cwd: str = None, git_dir: str = None) -> int:
    """Write the files of ``commit`` that ``keep(path)`` wants (up to MAX_FILE_BYTES each)
    under ``into``, read from git's objects; return how many were written."""
    listing = _git("ls-tree", "-r", "-l", "-z", commit, cwd=cwd, git_dir=git_dir).split(b"\0")
    wanted = []
    for entry in listing:
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        _mode, kind, sha, size = meta.split()
        name = path.decode("utf-8", "replace")
        if kind == b"blob" and keep(name) and size != b"-" and int(size) <= MAX_FILE_BYTES:
            wanted.append((sha.decode(), name))
    if not wanted:
        return 0
    blobs = _git("cat-file", "--batch", data=b"".join(f"{sha}\n".encode() for sha, _ in wanted), cwd=cwd, git_dir=git_dir)
    offset = 0
    for _, name in wanted:
        header_end = blobs.index(b"\n", offset)
        size = int(blobs[offset:header_end].split()[2])
        content = blobs[header_end + 1: header_end + 1 + size]
        offset = header_end + 1 + size + 1
        target = os.path.join(str(into), *name.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
    return len(wanted)


def materialize(base: str, into: str, cwd: str = None) -> str:
    """Write ``base``'s sources under ``into``; return the path there of the repository root."""
    root = repository_root(cwd)
    commit = _git("rev-parse", "--verify", f"{base}^{{commit}}", cwd=root).decode().strip()
    write_files(commit, into, cwd=root)
    return into


def relative_to_root(path: str, cwd: str = None) -> str:
    """``path`` as git names it: relative to the repository root, with ``/``."""
    root = repository_root(cwd)
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
