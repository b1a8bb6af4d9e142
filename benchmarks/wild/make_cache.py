"""Re-create the wild corpus's source cache from local clones of its repositories.

    python benchmarks/wild/make_cache.py --clones DIR [CASE ...]

For every repository and commit the manifest names, the Python sources (and small text
configuration files) of that commit are written to ``benchmarks/wild/.cache/OWNER+NAME@COMMIT/``,
read with ``git cat-file`` from a clone in DIR: ``DIR/OWNER+NAME`` (a bare or ordinary
clone, or a ``repo`` clone inside it), ``DIR/OWNER/NAME`` or ``DIR/NAME``. Nothing
is checked out and nothing is run. The cache is git-ignored: third-party code is never
committed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import corpus

KEPT_SUFFIXES = (".py", ".json", ".yaml", ".yml", ".cfg", ".ini", ".toml")


def kept(name: str) -> bool:
    """Sources, small configuration files, and the requirements files that say which Keras."""
    base = name.rsplit("/", 1)[-1]
    return name.endswith(KEPT_SUFFIXES) or (base.startswith("requirements") and base.endswith(".txt"))
MAX_FILE_BYTES = 2_000_000


def find_clone(clones: Path, repo: str):
    owner, name = repo.split("/")
    for candidate in (clones / f"{owner}+{name}", clones / owner / name, clones / name):
        for git_dir in (candidate / "repo", candidate / "repo" / ".git", candidate / ".git", candidate):
            if (git_dir / "HEAD").is_file() and (git_dir / "objects").is_dir():
                return git_dir
    return None


def _git(git_dir: Path, *args: str, data: bytes = None) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], input=data, capture_output=True, check=True).stdout


def extract(git_dir: Path, commit: str, target: Path) -> int:
    """Write the commit's kept files under target; return how many were written."""
    listing = _git(git_dir, "ls-tree", "-r", "-l", "-z", commit).split(b"\0")
    wanted = []
    for entry in listing:
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        _mode, kind, sha, size = meta.split()
        name = path.decode("utf-8", "replace")
        if kind == b"blob" and kept(name) and size != b"-" and int(size) <= MAX_FILE_BYTES:
            wanted.append((sha.decode(), name))
    if not wanted:
        return 0
    blobs = _git(git_dir, "cat-file", "--batch", data=b"".join(f"{sha}\n".encode() for sha, _ in wanted))
    offset = 0
    for sha, name in wanted:
        header_end = blobs.index(b"\n", offset)
        size = int(blobs[offset:header_end].split()[2])
        body = blobs[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(body)
    return len(wanted)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clones", type=Path, required=True, help="directory holding local clones of the repositories")
    parser.add_argument("--force", action="store_true", help="extract again even where the cache exists")
    parser.add_argument("cases", nargs="*", help="case ids (or parts of them); default: every case")
    args = parser.parse_args(argv)
    cases = corpus.select(corpus.load(), args.cases)
    missing = 0
    done = set()
    for case in cases:
        if case.tree in done:
            continue
        done.add(case.tree)
        if case.tree.is_dir() and not args.force:
            continue
        git_dir = find_clone(args.clones, case.repo)
        if git_dir is None:
            print(f"missing clone: {case.repo} (looked in {args.clones})", file=sys.stderr)
            missing += 1
            continue
        try:
            count = extract(git_dir, case.commit, case.tree)
        except subprocess.CalledProcessError as error:
            print(f"{case.repo}@{case.commit[:12]}: git failed: {error.stderr.decode(errors='replace').strip()}", file=sys.stderr)
            missing += 1
            continue
        print(f"{case.repo}@{case.commit[:12]}: {count} files")
    absent = [c.id for c in cases if not c.file.is_file()]
    for case_id in absent:
        print(f"case {case_id}: its file is not in the cache", file=sys.stderr)
    return 1 if missing or absent else 0


if __name__ == "__main__":
    sys.exit(main())
