#!/usr/bin/env bash
# What the GitHub Action (action.yml) runs, usable in any CI: annotations, SARIF, the review
# report, and the pull-request comment. Needs archlint installed and a git checkout with the
# base revision available. Environment:
#   ARCHLINT_BASE      revision to compare with (default: origin/main)
#   ARCHLINT_PATHS     files or directories to check (default: .)
#   ARCHLINT_FAIL_ON   lowest severity that fails the job (default: from the config, else warning)
#   ARCHLINT_OUT       directory for archlint.sarif and archlint-report.md (default: .)
#   GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH: set by GitHub; without them the
#                      comment is printed instead of posted.
set -u
base="${ARCHLINT_BASE:-origin/main}"
out="${ARCHLINT_OUT:-.}"
read -r -a paths <<< "${ARCHLINT_PATHS:-.}"
fail_on=()
if [ -n "${ARCHLINT_FAIL_ON:-}" ]; then fail_on=(--fail-on "$ARCHLINT_FAIL_ON"); fi
mkdir -p "$out"

archlint check "${paths[@]}" --format sarif --output "$out/archlint.sarif" --exit-zero
archlint report --base "$base" --output "$out/archlint-report.md" || echo "archlint: no review report (see above)" >&2
if [ -f "$out/archlint-report.md" ]; then
    python "$(dirname "$0")/github_comment.py" "$out/archlint-report.md" || echo "archlint: the comment was not posted" >&2
fi
# Last, so the job's status is the check's: annotations on the diff, exit 1 on findings.
archlint check "${paths[@]}" --format github "${fail_on[@]}"
