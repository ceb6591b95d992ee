"""assess calibrate on the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import assess
from assess.methods.calibration import TRACK_RECORD, calibrate
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
RESOLVED = ROOT / "assessments" / "resolved"
WORKED = ROOT / "assessments" / "russia-taliban-support.yaml"


def test_table_over_the_shipped_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """One row per resolved file with its figures, the means, Murphy's terms and ten bins."""
    monkeypatch.chdir(ROOT)
    status, out, err = run_cli("calibrate", "assessments/resolved")
    assert (status, err) == (0, "")
    files = sorted(RESOLVED.glob("*.yaml"))
    result = calibrate(assess.load(f, root=ROOT) for f in files)
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["assessment", "as", "of"]
    for record in result.resolved:
        row = next(line for line in lines if line.startswith(record.assessment + " "))
        assert f"{record.brier:.3f}" in row
        assert f"{record.log_score:.3f}" in row
    assert result.mean_brier is not None
    mean = next(line for line in lines if line.startswith("mean "))
    assert mean.split()[1] == f"{result.mean_brier:.3f}"
    assert f"leader right in {sum(r.leader_correct for r in result.resolved)} of" in out
    assert sum(1 for line in lines if line[:3] in {"0.0", "0.1", "0.2", "0.3", "0.4"}) == 5


def test_notes_over_the_shipped_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight cases, leaders right and wrong: the too-few note only, after the leader count."""
    monkeypatch.chdir(ROOT)
    status, out, _ = run_cli("calibrate", "assessments/resolved")
    assert status == 0
    count = len(list(RESOLVED.glob("*.yaml")))
    assert count < TRACK_RECORD
    lines = out.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("leader right in "))
    assert lines[at + 1] == (
        f"note: {count} resolved assessments are fewer than {TRACK_RECORD}: the figures"
        " illustrate how the scores work and are no track record"
    )
    assert sum(line.startswith("note: ") for line in lines) == 1


def test_notes_when_every_leader_is_right(monkeypatch: pytest.MonkeyPatch) -> None:
    """One case whose leader is the outcome: both notes, the singular spelled as such."""
    monkeypatch.chdir(ROOT)
    status, out, _ = run_cli("calibrate", "assessments/resolved/mh17-2014.yaml")
    assert status == 0
    notes = [line for line in out.splitlines() if line.startswith("note: ")]
    few = (
        f"note: 1 resolved assessment is fewer than {TRACK_RECORD}: the figures illustrate how"
        " the scores work and are no track record"
    )
    right = (
        "note: every leader was the outcome: cases whose leaders are all right cannot show"
        " overconfidence; check that each was written as of its date, without hindsight"
    )
    assert notes == [few, right]


def test_no_notes_from_enough_mixed_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TRACK_RECORD cases or more, some leaders wrong: no note at all."""
    files = sorted(RESOLVED.glob("*.yaml"))
    copies = -(-TRACK_RECORD // len(files))
    for k in range(copies):
        for f in files:
            text = f.read_text(encoding="utf-8")
            renamed = text.replace(f"\nassessment: {f.stem}\n", f"\nassessment: {f.stem}-{k}\n")
            assert renamed != text
            (tmp_path / f"{f.stem}-{k}.yaml").write_text(renamed, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli("calibrate", ".")
    assert (status, err) == (0, "")
    right = sum(r.leader_correct for r in calibrate(assess.load(f) for f in files).resolved)
    assert 0 < right < len(files)
    assert f"leader right in {right * copies} of {len(files) * copies}" in out
    assert "note: " not in out


def test_json_and_unresolved(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON is calibrate().to_json(); a file without an outcome is listed as skipped."""
    monkeypatch.chdir(ROOT)
    status, out, _ = run_cli(
        "calibrate", "assessments/resolved", str(WORKED.relative_to(ROOT)), "--format", "json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["unresolved"] == ["russia-taliban-support"]
    assert data["count"] == len(list(RESOLVED.glob("*.yaml")))
    assert len(data["reliability"]) == 10


def test_nothing_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only unresolved files: a plain sentence, status 0."""
    monkeypatch.chdir(ROOT)
    status, out, _ = run_cli("calibrate", str(WORKED.relative_to(ROOT)))
    assert status == 0
    assert out == "no resolved assessments (without an outcome: russia-taliban-support)\n"


def test_a_bad_file_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file with problems is reported and nothing is scored: exit 1; a missing one exits 2."""
    for f in RESOLVED.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "broken.yaml").write_text("assessment: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli("calibrate", ".")
    assert (status, out) == (1, "")
    assert "broken.yaml" in err
    status, out, err = run_cli("calibrate", "missing.yaml")
    assert (status, out) == (2, "")


def test_plot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--plot writes the reliability diagram, the same bytes every time."""
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(ROOT)
    out_file = tmp_path / "rel.svg"
    status, _, err = run_cli("calibrate", "assessments/resolved", "--plot", str(out_file))
    assert status == 0
    assert err == f"wrote {out_file}\n"
    first = out_file.read_bytes()
    assert b"Reliability diagram" in first
    run_cli("calibrate", "assessments/resolved", "--plot", str(out_file))
    assert out_file.read_bytes() == first


def test_plot_png(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--plot OUT.png writes the reliability diagram as a PNG, the same bytes every time."""
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(ROOT)
    out_file = tmp_path / "rel.png"
    status, _, err = run_cli("calibrate", "assessments/resolved", "--plot", str(out_file))
    assert (status, err) == (0, f"wrote {out_file}\n")
    first = out_file.read_bytes()
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"Software" not in first
    run_cli("calibrate", "assessments/resolved", "--plot", str(out_file))
    assert out_file.read_bytes() == first


@pytest.mark.parametrize("name", ["rel.pdf", "rel.jpg", "rel"])
def test_plot_unknown_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """--plot with a suffix other than .svg or .png: exit 2 naming both, nothing printed."""
    monkeypatch.chdir(ROOT)
    out_file = tmp_path / name
    status, out, err = run_cli("calibrate", "assessments/resolved", "--plot", str(out_file))
    assert (status, out) == (2, "")
    assert f"assess: error: --plot {out_file}: " in err
    assert err.endswith(": the formats are svg (.svg) or png (.png)\n")
    assert not out_file.exists()
