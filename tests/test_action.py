"""The GitHub Action, exercised as far as it goes without GitHub: its script end to end on a
temporary repository, and the comment poster against a stand-in of GitHub's API."""

import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GIT = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]


@pytest.mark.skipif(shutil.which("archlint") is None, reason="archlint is not installed as a command")
def test_action_script_end_to_end(tmp_path):
    repo = tmp_path / "project"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(ROOT / "fixtures" / "review" / "cnn_before.py", repo / "model.py")
    subprocess.run([*GIT, "add", "."], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "before"], cwd=repo, check=True)
    shutil.copy(ROOT / "fixtures" / "review" / "cnn_after.py", repo / "model.py")
    subprocess.run([*GIT, "commit", "-qam", "after"], cwd=repo, check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(ARCHLINT_BASE="HEAD~1", ARCHLINT_OUT=str(tmp_path / "out"))
    done = subprocess.run(["bash", str(ROOT / "scripts" / "ci_review.sh")], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the new AL201 is a warning: the job fails
    assert "::warning file=model.py,line=10," in done.stdout
    assert "not posting" in done.stdout and "| Total params | 20,042 | 96,586 | +76,544 |" in done.stdout
    assert json.loads((tmp_path / "out" / "archlint.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "out" / "archlint-report.md").read_text().startswith("<!-- archlint-report -->")


def test_action_yml_runs_the_script():
    yaml = pytest.importorskip("yaml")
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    scripts = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "scripts/ci_review.sh" in scripts and (ROOT / "scripts" / "ci_review.sh").is_file()
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in action["runs"]["steps"])


class _FakeGitHub(BaseHTTPRequestHandler):
    comments = []

    def _reply(self, payload):
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - the handler's API
        self._reply(self.comments)

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.comments.append({"id": len(self.comments) + 1, "body": body["body"]})
        self._reply(self.comments[-1])

    def do_PATCH(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        comment_id = int(self.path.rsplit("/", 1)[1])
        self.comments[comment_id - 1]["body"] = body["body"]
        self._reply(self.comments[comment_id - 1])

    def log_message(self, *args):
        pass


def test_comment_is_posted_once_then_updated(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _FakeGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"pull_request": {"number": 7}}))
        env = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": str(event),
               "GITHUB_API_URL": f"http://127.0.0.1:{server.server_port}"}
        for text in ("<!-- archlint-report -->\nfirst\n", "<!-- archlint-report -->\nsecond\n"):
            report = tmp_path / "report.md"
            report.write_text(text)
            subprocess.run([sys.executable, str(ROOT / "scripts" / "github_comment.py"), str(report)], env=env, check=True,
                           timeout=60)
        assert [c["body"] for c in _FakeGitHub.comments] == ["<!-- archlint-report -->\nsecond\n"]
    finally:
        server.shutdown()
