"""Results as pandas DataFrames, labelled, and pandas only when asked (issue 17, item 4)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import assess
from assess.views import frames
from helpers import items_assessment

pytest.importorskip("pandas")

WORKED = "assessments/russia-taliban-support.yaml"


@pytest.fixture(scope="module")
def analysis() -> assess.Analysis:
    """The worked case, analysed with few draws."""
    return assess.analyse(assess.load(WORKED), draws=300)


def test_hypotheses_frame(analysis: assess.Analysis) -> None:
    """One row per hypothesis, indexed by id, with the scores' own figures."""
    scores = analysis.scores
    frame = scores.to_pandas()
    assert frame.index.name == "hypothesis"
    assert list(frame.index) == [h.id for h in scores.hypotheses]
    assert list(frame.columns) == [
        "answer",
        "prior",
        "inconsistency",
        "weighted_inconsistency",
        "log_likelihood",
        "posterior",
        "rank",
    ]
    for h in scores.hypotheses:
        assert frame.loc[h.id, "posterior"] == h.posterior
        assert frame.loc[h.id, "rank"] == h.rank
    assert list(frame["answer"]) == list(scores.matrix.answers)


def test_no_answer_column_without_answers() -> None:
    """Hypotheses without answers give no answer column."""
    case = items_assessment([("E1", "B", 2, {"H1": "C", "H2": "I"})], hypotheses=2)
    assert "answer" not in assess.score(case).to_pandas().columns


def test_matrix_frame(analysis: assess.Analysis) -> None:
    """Items by hypotheses, each cell its rating, NA where unrated."""
    scores = analysis.scores
    frame = scores.matrix_frame()
    assert (frame.index.name, frame.columns.name) == ("evidence", "hypothesis")
    assert list(frame.index) == list(scores.matrix.evidence)
    assert list(frame.columns) == list(scores.matrix.hypotheses)
    case = assess.load(WORKED)
    for item in case.evidence:
        for h in scores.matrix.hypotheses:
            assert frame.loc[item.id, h] == item.rating(h).value


def test_team_cells_join_the_analysts_ratings() -> None:
    """A cell several analysts rated shows their ratings joined by '/'."""
    case = items_assessment(
        [("E1", "B", 2, {"H1": {"alice": "C", "bob": "I"}, "H2": "N"})],
        hypotheses=2,
        analysts=("alice", "bob"),
    )
    frame = assess.score(case).matrix_frame()
    assert frame.loc["E1", "H1"] == "C/I"
    assert frame.loc["E1", "H2"] == "N"


def test_analysis_frames(analysis: assess.Analysis) -> None:
    """Hypotheses with their bands and terms, lines with their leave-one-out, and flags."""
    found = analysis.to_pandas()
    assert sorted(found) == ["flags", "hypotheses", "lines"]
    hypotheses = found["hypotheses"]
    terms = analysis.estimative()
    for h in hypotheses.index:
        stability, (low, middle, high) = analysis.sensitivity.of(h)
        row = hypotheses.loc[h]
        assert (row["stability"], row["p5"], row["p50"], row["p95"]) == (
            stability,
            low,
            middle,
            high,
        )
        assert row["term"] == terms[h]
    lines = found["lines"]
    assert lines.index.name == "line"
    assert list(lines.index) == [line.id for line in analysis.scores.lines]
    for pin in analysis.linchpins:
        assert lines.loc[pin.line, "leader_posterior_change"] == pin.leader_posterior_change
        assert lines.loc[pin.line, "members"] == len(pin.members)
    flags = found["flags"]
    assert list(flags.columns) == ["code", "subject", "reason"]
    assert len(flags) == len(analysis.flags)


def test_arrays_are_labelled(analysis: assess.Analysis) -> None:
    """The numpy arrays carry the ids of their columns and rows, in their order."""
    arrays = analysis.scores.arrays
    assert arrays.hypotheses == analysis.scores.matrix.hypotheses
    assert arrays.evidence == analysis.scores.matrix.evidence
    assert len(arrays.posterior) == len(arrays.hypotheses)
    assert len(arrays.weight) == len(arrays.evidence)


def test_missing_extra(monkeypatch: pytest.MonkeyPatch, analysis: assess.Analysis) -> None:
    """Without pandas, a clear error names the extra to install."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(assess.MissingExtraError, match=r"\[pandas\]") as caught:
        analysis.scores.to_pandas()
    assert caught.value.extra == frames.EXTRA == "pandas"


def test_pandas_only_when_asked() -> None:
    """Analysing and reporting never import pandas."""
    code = (
        "import sys, assess; a = assess.analyse(assess.load(sys.argv[1]), draws=50);"
        " assess.report(assess.load(sys.argv[1])); print('pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, WORKED], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
