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
import sys
from pathlib import Path

import corpus

from archlint.revisions import RevisionError, write_files

KEPT_SUFFIXES = (".py", ".json", ".yaml", ".yml", ".cfg", ".ini", ".toml")


def kept(name: str) -> bool:
    """Sources, small configuration files, and the requirements files that say which Keras."""
    base = name.rsplit("/", 1)[-1]
    return name.endswith(KEPT_SUFFIXES) or (base.startswith("requirements") and base.endswith(".txt"))


def find_clone(clones: Path, repo: str):
    owner, name = repo.split("/")
    for candidate in (clones / f"{owner}+{name}", clones / owner / name, clones / name):
        for git_dir in (candidate / "repo", candidate / "repo" / ".git", candidate / ".git", candidate):
            if (git_dir / "HEAD").is_file() and (git_dir / "objects").is_dir():
                return git_dir
    return None


def extract(git_dir: Path, commit: str, target: Path) -> int:
    """Write the commit's kept files under target; return how many were written."""
    return write_files(commit, target, kept, git_dir=str(git_dir))


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
        except RevisionError as error:
            print(f"{case.repo}@{case.commit[:12]}: {error}", file=sys.stderr)
            missing += 1
            continue
        print(f"{case.repo}@{case.commit[:12]}: {count} files")
    absent = [c.id for c in cases if not c.file.is_file()]
    for case_id in absent:
        print(f"case {case_id}: its file is not in the cache", file=sys.stderr)
    return 1 if missing or absent else 0


if __name__ == "__main__":
    sys.exit(main())
