"""Many assessments at once: `assess batch`, `assess.batch`, and Dask (issue 17, item 7)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import assess
from assess import batch
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
WORKED = ROOT / "assessments" / "russia-taliban-support.yaml"
DRAWS = 200


def small(name: str, rating: str = "C") -> str:
    """A small valid assessment whose leader is H1 when ``rating`` favours it."""
    return (
        f"assessment: {name}\ntitle: t\n"
        "hypotheses: [{id: H1, statement: s, label: first}, {id: H2, statement: t}]\n"
        "sources: [{id: s1, name: S, reliability: B}]\n"
        "evidence:\n"
        f"  - {{id: E1, summary: s, kind: report, source: s1, credibility: 2,"
        f" ratings: {{H1: {rating}, H2: I}}}}\n"
        f"scoring: {{draws: {DRAWS}}}\n"
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three valid files, one with problems, in two folders."""
    (tmp_path / "b").mkdir()
    (tmp_path / "a.yaml").write_text(small("case-a"), encoding="utf-8")
    (tmp_path / "b" / "c.yaml").write_text(small("case-c", "CC"), encoding="utf-8")
    (tmp_path / "b" / "d.yaml").write_text(small("case-d", "N"), encoding="utf-8")
    (tmp_path / "b" / "bad.yaml").write_text("assessment: x\ntitle: t\n", encoding="utf-8")
    return tmp_path


def test_record_of_a_valid_file() -> None:
    """The record holds the id, digest, leader, answers, confidence and warning codes."""
    record = batch.score_file(WORKED, root=ROOT, draws=DRAWS)
    case = assess.load(WORKED, root=ROOT)
    analysis = assess.analyse(case, draws=DRAWS)
    leader = analysis.scores.ranking[0]
    assert record["valid"] is True
    assert record["assessment"] == case.id
    assert record["digest"] == assess.digest(case)
    assert record["leader"] == {
        "id": leader.id,
        "label": "state supply",
        "posterior": leader.posterior,
        "term": analysis.estimative()[leader.id],
    }
    assert record["answers"] == [
        {"answer": a.answer, "probability": a.probability} for a in analysis.scores.answers
    ]
    assert record["confidence"] == analysis.confidence.level
    assert record["warnings"] == [w.code for w in analysis.warnings]
    json.dumps(record, allow_nan=False)  # JSON-ready as it is


def test_records_of_invalid_and_unreadable_files(folder: Path) -> None:
    """Problems are listed as validate gives them; a missing file says why."""
    bad = batch.score_file(folder / "b" / "bad.yaml")
    assert bad["valid"] is False
    assert "missing required key 'hypotheses'" in json.dumps(bad["problems"])
    missing = batch.score_file(folder / "nope.yaml")
    assert missing == {"file": str(folder / "nope.yaml"), "valid": False, "error": "no such file"}


def test_processes_give_the_same_records_in_order(folder: Path) -> None:
    """Two processes give what one does, in the order of the files."""
    paths = sorted(folder.rglob("*.yaml"))
    one = list(batch.score_files(paths, jobs=1))
    two = list(batch.score_files(paths, jobs=2))
    assert two == one
    assert [r["file"] for r in one] == [str(p) for p in paths]
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        list(batch.score_files(paths, jobs=0))


def test_score_file_pickles() -> None:
    """The mapped function travels to other processes and machines."""
    assert pickle.loads(pickle.dumps(batch.score_file)) is batch.score_file  # noqa: S301
    bound = batch._Bound({"draws": DRAWS})
    assert pickle.loads(pickle.dumps(bound)).options == {"draws": DRAWS}  # noqa: S301


def test_command_line(folder: Path) -> None:
    """One JSON line per file, in order; the invalid one reported, and status 1."""
    out = folder / "results.jsonl"
    status, stdout, err = run_cli("batch", str(folder), "--jobs", "2", "-o", str(out))
    assert (status, stdout) == (1, "")
    assert "4 files: 3 valid, 1 with problems, 0 unreadable" in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["file"]).name for r in records] == ["a.yaml", "bad.yaml", "c.yaml", "d.yaml"]
    assert [r["valid"] for r in records] == [True, False, True, True]
    assert records[0]["leader"]["label"] == "first"
    status, stdout, _ = run_cli("batch", str(folder / "a.yaml"))
    assert status == 0
    assert json.loads(stdout)["assessment"] == "case-a"


def test_command_line_errors(folder: Path) -> None:
    """A missing path is a record and status 2; --jobs 0 is a usage error."""
    status, stdout, _ = run_cli("batch", str(folder / "a.yaml"), str(folder / "gone"))
    assert status == 2
    assert json.loads(stdout.splitlines()[1])["error"] == "no such file"
    status, _, err = run_cli("batch", str(folder), "--jobs", "0")
    assert status == 2
    assert "--jobs" in err


def test_dask_recipe(folder: Path) -> None:
    """The documented recipe: a Dask bag maps score_file on the local process scheduler."""
    bag = pytest.importorskip("dask.bag")
    paths = [str(p) for p in sorted(folder.rglob("*.yaml"))]
    records = (
        bag.from_sequence(paths, npartitions=2)
        .map(batch.score_file)
        .compute(scheduler="processes", num_workers=2)
    )
    assert records == [batch.score_file(p) for p in paths]
