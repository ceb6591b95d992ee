"""The opinions, Dempster-Shafer and calibration views in analyses, score JSON and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import assess
from assess.analysis import DEMPSTER_SHAFER_MAX_HYPOTHESES
from assess.methods.calibration import calibrate
from assess.methods.evidence_theory import dempster_shafer
from assess.methods.opinions import opinions
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
WORKED = "assessments/russia-taliban-support.yaml"
RESOLVED = "assessments/resolved/mh17-2014.yaml"


def test_score_json_has_the_views(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opinions and dempster_shafer always; calibration only for a resolved assessment."""
    monkeypatch.chdir(ROOT)
    status, out, _ = run_cli("score", WORKED, "--format", "json")
    assert status == 0
    data = json.loads(out)
    scores = assess.score(assess.load(WORKED))
    assert data["opinions"] == [o.to_json() for o in opinions(scores)]
    assert data["dempster_shafer"] == dempster_shafer(scores).to_json()
    assert "calibration" not in data
    status, out, _ = run_cli("score", RESOLVED, "--format", "json")
    resolved = json.loads(out)
    expected = calibrate([assess.load(RESOLVED)]).resolved[0].to_json()
    assert resolved["calibration"] == json.loads(json.dumps(expected))


def test_high_conflict_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two strong lines pointing opposite ways conflict: warned on stderr and in JSON."""
    monkeypatch.chdir(tmp_path)
    a = assess.Assessment(
        id="conflict",
        title="Conflict",
        hypotheses=[assess.Hypothesis(id=h, statement=h) for h in ("H1", "H2")],
        sources=[assess.Source(id=s, name=s, reliability="A") for s in ("s1", "s2")],
        evidence=[
            assess.Evidence(
                id=e, summary=e, kind="report", source=s, credibility=1, ratings=ratings
            )
            for e, s, ratings in (
                ("E1", "s1", {"H1": "CC", "H2": "II"}),
                ("E2", "s2", {"H1": "II", "H2": "CC"}),
            )
        ],
    )
    analysis = assess.analyse(a, draws=100)
    assert analysis.dempster_shafer is not None
    assert analysis.dempster_shafer.high_conflict
    Path("conflict.yaml").write_text(assess.dump(a), encoding="utf-8")
    status, out, err = run_cli("score", "conflict.yaml", "--format", "json")
    assert status == 0
    assert "warning: the evidence conflicts (Dempster's K = " in err
    codes = [w["code"] for w in json.loads(out)["warnings"]]
    assert "high-conflict" in codes


def test_worked_case_conflict_is_below_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worked case's lines, each consonant and none dogmatic, conflict little."""
    monkeypatch.chdir(ROOT)
    analysis = assess.analyse(assess.load(WORKED), draws=100)
    assert analysis.dempster_shafer is not None
    assert not analysis.dempster_shafer.high_conflict
    assert 0 < analysis.dempster_shafer.conflict < analysis.dempster_shafer.conflict_threshold


def test_report_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both formats show the opinions in their appendix, and the outcome when resolved."""
    monkeypatch.chdir(ROOT)
    a = assess.load(RESOLVED)
    scores = assess.score(a)
    for fmt in ("markdown", "html"):
        text = assess.report(a, format=fmt)
        assert "Appendix: how much evidence stands behind each number" in text
        assert "proved true" in text
        for o in opinions(scores):
            assert f"{o.opinion.uncertainty:.3f}" in text
    assert "proved true" not in assess.report(assess.load(WORKED), format="markdown")


def test_large_frames_skip_dempster_shafer() -> None:
    """Above the documented number of hypotheses the view is left out, and the report says so."""
    n = DEMPSTER_SHAFER_MAX_HYPOTHESES + 1
    a = assess.Assessment(
        id="many",
        title="Many",
        hypotheses=[assess.Hypothesis(id=f"H{j}", statement="x") for j in range(n)],
        sources=[assess.Source(id="s", name="S", reliability="B")],
        evidence=[
            assess.Evidence(
                id="E1",
                summary="x",
                kind="report",
                source="s",
                credibility=2,
                ratings={"H0": "C", "H1": "I"},
            )
        ],
    )
    analysis = assess.analyse(a, draws=10)
    assert analysis.dempster_shafer is None
    assert analysis.to_json()["dempster_shafer"] is None
    assert len(analysis.opinions) == n
    assert "computed for up to 16 hypotheses" in assess.report(a, format="markdown")


def test_score_table_shows_the_views(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table's footer has the opinion rows and both rules' intervals, in rank order."""
    monkeypatch.chdir(ROOT)
    status, out, _ = run_cli("score", WORKED)
    assert status == 0
    analysis = assess.analyse(assess.load(WORKED), draws=100)
    ranked = [h.id for h in analysis.scores.ranking]
    opinion = {o.id: o for o in analysis.opinions}
    rows = {line[:38].strip(): line[38:].split() for line in out.splitlines() if line}
    assert rows["uncertainty"] == [f"{opinion[h].opinion.uncertainty:.3f}" for h in ranked]
    assert rows["projected"] == [f"{opinion[h].projected:.3f}" for h in ranked]
    ds = analysis.dempster_shafer
    assert ds is not None
    belief = {b.id: b for b in ds.hypotheses}
    yager = rows["Bel-Pl, Yager"]
    assert yager == [
        f"{belief[h].yager_belief:.2f}-{belief[h].yager_plausibility:.2f}" for h in ranked
    ]
    assert f"Bel-Pl, Dempster (K {ds.conflict:.3f})" in rows
