"""The pre-commit hooks, run for real through ``pre-commit try-repo`` on a throwaway repository."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
needs_pre_commit = pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")


def _try_hook(tmp_path, hook, files):
    """A repository holding ``files`` (name -> fixture path), one commit; ``hook`` run on all files."""
    repo = tmp_path / "project"
    repo.mkdir()
    for name, fixture in files.items():
        shutil.copy(ROOT / "fixtures" / fixture, repo / name)
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "models"], cwd=repo, check=True)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    done = subprocess.run(["pre-commit", "try-repo", str(ROOT), hook, "--all-files"],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    return repo, done


@needs_pre_commit
def test_hook_reports_findings_and_fails(tmp_path):
    _, done = _try_hook(tmp_path, "archlint", {
        "model.py": "rules/AL201.py", "clean.py": "models/seed001_mnist_mlp.py", "notebook.ipynb": "notebooks/cifar_small.ipynb",
    })
    assert done.returncode == 1, done.stdout + done.stderr
    assert "model.py:6:5: AL201" in done.stdout
    assert "notebook.ipynb:cell 5:2:5: AL201" in done.stdout  # notebooks too
    assert "clean.py" not in done.stdout


@needs_pre_commit
def test_fix_hook_rewrites_and_fails_until_committed(tmp_path):
    repo, done = _try_hook(tmp_path, "archlint-fix", {"model.py": "fixes/AL201_before.py"})
    assert done.returncode == 1, done.stdout + done.stderr  # pre-commit fails a hook that changed files
    assert (repo / "model.py").read_text() == (ROOT / "fixtures" / "fixes" / "AL201_after.py").read_text()
