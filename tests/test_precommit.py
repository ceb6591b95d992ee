"""The pre-commit hook this repository provides, run as a team would (issue 17, item 6)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = "assessment: a\ntitle: t\nhypotheses: [{id: H1, statement: s}, {id: H2, statement: t}]\n"
BAD = "assessment: b\ntitle: t\nhypotheses: [{id: H1, statement: s}]\n"


def git(folder: Path, *argv: str) -> None:
    """Run git in ``folder`` as a throwaway identity."""
    identity = ("-c", "user.name=test", "-c", "user.email=test@example.org")
    subprocess.run(["git", *identity, *argv], cwd=folder, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git checkout")
def test_hook_validates_assessments_on_commit(tmp_path: Path) -> None:
    """`pre-commit try-repo` installs assess and fails on a broken assessment, only that."""
    pytest.importorskip("pre_commit")
    repo = tmp_path / "repo"
    (repo / "assessments").mkdir(parents=True)
    (repo / "assessments" / "good.yaml").write_text(GOOD, encoding="utf-8")
    (repo / "assessments" / "bad.yaml").write_text(BAD, encoding="utf-8")
    (repo / "config.yaml").write_text("not: an assessment\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "cases")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "assess-validate"]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "--all-files"],
            cwd=repo,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "assessments/bad.yaml:3:13: error: hypotheses: at least two hypotheses" in failed.stdout
    assert "assessments/good.yaml: ok" in failed.stdout
    assert "config.yaml" not in failed.stdout.replace("pre-commit-config.yaml", "")
    (repo / "assessments" / "bad.yaml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fixed")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
