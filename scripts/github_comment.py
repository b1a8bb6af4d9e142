"""Post the review report as one pull-request comment, or update the one posted before.

    python scripts/github_comment.py REPORT.md

The comment is found again by the marker the report starts with. Uses the GitHub REST API
with ``GITHUB_TOKEN``, ``GITHUB_REPOSITORY`` and the pull request number from the event
payload (``GITHUB_EVENT_PATH``); without them (a local run, or not a pull request) it prints
the comment it would post and exits 0.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request

MARKER = "<!-- archlint-report -->"


def _request(method: str, url: str, token: str, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "archlint",
    })
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def pull_request_number():
    path = os.environ.get("GITHUB_EVENT_PATH")
    if not path or not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        event = json.load(handle)
    return (event.get("pull_request") or {}).get("number")


def main(argv) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        body = handle.read()
    if not body.startswith(MARKER):
        body = MARKER + "\n" + body
    token, repository, number = os.environ.get("GITHUB_TOKEN"), os.environ.get("GITHUB_REPOSITORY"), pull_request_number()
    if not (token and repository and number):
        print("archlint: not posting (no GITHUB_TOKEN, repository or pull request); the comment would be:")
        print(body)
        return 0
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    comments = _request("GET", f"{api}/repos/{repository}/issues/{number}/comments?per_page=100", token) or []
    mine = next((c for c in comments if c.get("body", "").startswith(MARKER)), None)
    if mine:
        _request("PATCH", f"{api}/repos/{repository}/issues/comments/{mine['id']}", token, {"body": body})
    else:
        _request("POST", f"{api}/repos/{repository}/issues/{number}/comments", token, {"body": body})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
