"""The pre-commit hook, run for real through ``pre-commit try-repo`` on a throwaway repository."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_hook_reports_findings_and_fails(tmp_path):
    repo = tmp_path / "project"
    repo.mkdir()
    shutil.copy(ROOT / "fixtures" / "rules" / "AL201.py", repo / "model.py")
    shutil.copy(ROOT / "fixtures" / "models" / "seed001_mnist_mlp.py", repo / "clean.py")
    shutil.copy(ROOT / "fixtures" / "notebooks" / "cifar_small.ipynb", repo / "notebook.ipynb")
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "models"], cwd=repo, check=True)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "PATH": __import__("os").environ["PATH"], "HOME": str(tmp_path)}
    done = subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), "archlint", "--all-files"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "model.py:6:5: AL201" in done.stdout
    assert "notebook.ipynb:cell 5:2:5: AL201" in done.stdout  # notebooks too
    assert "clean.py" not in done.stdout


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_fix_hook_rewrites_and_fails_until_committed(tmp_path):
    repo = tmp_path / "project"
    repo.mkdir()
    shutil.copy(ROOT / "fixtures" / "fixes" / "AL201_before.py", repo / "model.py")
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "models"], cwd=repo, check=True)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "PATH": __import__("os").environ["PATH"], "HOME": str(tmp_path)}
    done = subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), "archlint-fix", "--all-files"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # pre-commit fails a hook that changed files
    assert (repo / "model.py").read_text() == (ROOT / "fixtures" / "fixes" / "AL201_after.py").read_text()
