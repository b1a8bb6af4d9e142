"""Re-create the buggy set's source cache from local clones of its repositories.

    python benchmarks/buggy/make_cache.py --clones DIR [--force]

For every repository and commit the manifest names, the sources of that commit are written
to ``benchmarks/buggy/.cache/OWNER+NAME@COMMIT/`` with the wild corpus's extractor (read
from a clone with ``git cat-file``; nothing checked out, nothing run). Git-ignored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from labels import load, tree, wild_module

from archlint.revisions import RevisionError

_WILD = wild_module("make_cache")  # the wild corpus's extractor
extract, find_clone = _WILD.extract, _WILD.find_clone


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clones", type=Path, required=True, help="directory holding local clones of the repositories")
    parser.add_argument("--force", action="store_true", help="extract again even where the cache exists")
    args = parser.parse_args(argv)
    missing = 0
    for repo, commit in sorted({(p["repo"], p["commit"]) for p in load()}):
        target = tree(repo, commit)
        if target.is_dir() and not args.force:
            continue
        git_dir = find_clone(args.clones, repo)
        if git_dir is None:
            print(f"missing clone: {repo} (looked in {args.clones})", file=sys.stderr)
            missing += 1
            continue
        try:
            print(f"{repo}@{commit[:12]}: {extract(git_dir, commit, target)} files")
        except RevisionError as error:
            print(f"{repo}@{commit[:12]}: {error}", file=sys.stderr)
            missing += 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
