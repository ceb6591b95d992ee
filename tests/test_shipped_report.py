"""The worked assessment's reports under docs/ are current."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assess import cli
from test_pdf import need_pdf

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENT = "assessments/russia-taliban-support.yaml"


@pytest.mark.parametrize(
    "report",
    [
        "docs/russia-taliban-support.html",
        "docs/russia-taliban-support.md",
        "docs/russia-taliban-support.pdf",
    ],
)
def test_committed_report_is_current(report: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Assess report --check passes on each committed report (regenerate: see README, Reports)."""
    pytest.importorskip("matplotlib")  # the committed reports carry plots
    if report.endswith(".pdf"):
        need_pdf()
    monkeypatch.chdir(ROOT)
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["report", ASSESSMENT, "--check", report], stdout=out, stderr=err)
    assert status == 0, err.getvalue()
