"""assess export and assess import on the command line."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

import assess
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
WORKED = "assessments/russia-taliban-support.yaml"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the worked case and its documents, as the current directory."""
    shutil.copytree(ROOT / "assessments", tmp_path / "assessments")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.usefixtures("work")
def test_achz_round_trip_of_the_worked_case() -> None:
    """Export --format achz, then import: the same assessment, digest for digest."""
    status, _, err = run_cli("export", WORKED, "--format", "achz", "-o", "case.achz")
    assert status == 0
    assert "note: Credibility: PARC has three levels" in err
    assert err.endswith("wrote case.achz\n")
    status, _, err = run_cli("import", "case.achz", "-o", "assessments/back.yaml")
    assert status == 0, err
    assert assess.digest(assess.load("assessments/back.yaml")) == assess.digest(assess.load(WORKED))


@pytest.mark.usefixtures("work")
def test_export_is_deterministic() -> None:
    """The same file gives the same .achz bytes and the same CSV."""
    run_cli("export", WORKED, "--format", "achz", "-o", "a.achz")
    run_cli("export", WORKED, "--format", "achz", "-o", "b.achz")
    assert Path("a.achz").read_bytes() == Path("b.achz").read_bytes()
    first, second = (
        run_cli("export", WORKED, "--format", "csv"),
        run_cli("export", WORKED, "--format", "csv"),
    )
    assert first == second
    assert first[1].startswith("evidence,summary,source,credibility,relevance,H1,H2,H3\n")
    status, tsv, _ = run_cli("export", WORKED, "--format", "tsv")
    assert status == 0
    assert tsv.startswith("evidence\tsummary\t")


@pytest.mark.usefixtures("work")
def test_outputs_are_never_overwritten_without_force() -> None:
    """An existing -o file is refused (exit 2) and left as it was; --force replaces it."""
    Path("taken.achz").write_bytes(b"mine")
    status, _, err = run_cli("export", WORKED, "--format", "achz", "-o", "taken.achz")
    assert status == 2
    assert "taken.achz exists; use --force to overwrite it" in err
    assert Path("taken.achz").read_bytes() == b"mine"
    status, _, _ = run_cli("export", WORKED, "--format", "achz", "-o", "taken.achz", "--force")
    assert status == 0
    assert Path("taken.achz").read_bytes() != b"mine"
    Path("new.yaml").write_text("mine", encoding="utf-8")
    status, _, _ = run_cli("import", "taken.achz", "-o", "new.yaml")
    assert status == 2
    assert Path("new.yaml").read_text(encoding="utf-8") == "mine"


@pytest.mark.usefixtures("work")
def test_achz_needs_an_output() -> None:
    """A binary file is never written to standard output."""
    status, out, err = run_cli("export", WORKED, "--format", "achz")
    assert (status, out) == (2, "")
    assert "give -o OUT.achz" in err


@pytest.mark.usefixtures("work")
def test_ratings_come_back_from_a_spreadsheet() -> None:
    """An edited CSV goes --into its assessment: a new file with the new ratings, notes say so."""
    run_cli("export", WORKED, "--format", "csv", "-o", "m.csv")
    lines = Path("m.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = next(i for i, line in enumerate(lines) if line.startswith("E7,"))
    cells = lines[row].rsplit(",", len(header) - 5)
    old = cells[-1]
    cells[-1] = "II" if old != "II" else "CC"
    lines[row] = ",".join(cells)
    Path("m.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _, err = run_cli("import", "m.csv", "--into", WORKED, "-o", "assessments/new.yaml")
    assert status == 0, err
    assert f"note: E7, H3: {old} → {cells[-1]}." in err
    assert "comments and layout of assessments/russia-taliban-support.yaml are not carried" in err
    new = assess.load("assessments/new.yaml")
    assert new.item("E7").rating("H3") == assess.Rating(cells[-1])
    assert Path(WORKED).read_text(encoding="utf-8") == (ROOT / WORKED).read_text(encoding="utf-8")


@pytest.mark.usefixtures("work")
def test_bad_tables_and_usage() -> None:
    """Positioned problems for a bad table (exit 1, nothing written); usage errors exit 2."""
    Path("bad.csv").write_text(
        "evidence,summary,source,credibility,relevance,H1\nE999,x,y,3,high,C\n", encoding="utf-8"
    )
    status, _, err = run_cli("import", "bad.csv", "--into", WORKED, "-o", "x.yaml")
    assert status == 1
    assert err.startswith("bad.csv:2:1: error: ")
    assert not Path("x.yaml").exists()
    assert run_cli("import", "bad.csv", "-o", "x.yaml")[0] == 2
    run_cli("export", WORKED, "--format", "achz", "-o", "a.achz")
    assert run_cli("import", "a.achz", "--into", WORKED, "-o", "x.yaml")[0] == 2
    assert run_cli("import", "missing.achz", "-o", "x.yaml")[0] == 2


@pytest.mark.parametrize(
    "xml",
    [
        (
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
            '&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            "<ACH><PROJECT-TITLE>&c;</PROJECT-TITLE></ACH>"
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            "<ACH><PROJECT-TITLE>&e;</PROJECT-TITLE></ACH>"
        ),
    ],
    ids=["billion-laughs", "external-entity"],
)
@pytest.mark.usefixtures("work")
def test_hostile_achz_is_refused(xml: str) -> None:
    """Entity expansion and external entities: a clean refusal, no traceback, nothing written."""
    Path("evil.achz").write_bytes(gzip.compress(b"\xfe\xff" + xml.encode("utf-16-be")))
    status, out, err = run_cli("import", "evil.achz", "-o", "evil.yaml")
    assert (status, out) == (1, "")
    assert "document type" in err
    assert "Traceback" not in err
    assert "root:" not in err
    assert not Path("evil.yaml").exists()


@pytest.mark.usefixtures("work")
@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("m.csv", b"evidence,summary,"),
        ("m.TSV", b"evidence\tsummary\t"),
        ("m.achz", b"\x1f\x8b"),  # .achz is gzipped XML
    ],
)
def test_export_format_from_the_suffix(name: str, start: bytes) -> None:
    """Without --format, -o OUT.csv, OUT.tsv or OUT.achz (any case) names the format."""
    status, out, err = run_cli("export", WORKED, "-o", name)
    assert (status, out) == (0, "")
    assert err.endswith(f"wrote {name}\n")
    assert Path(name).read_bytes().startswith(start)


@pytest.mark.usefixtures("work")
def test_export_format_overrides_the_suffix_and_defaults_to_csv() -> None:
    """--format wins over the suffix; with neither --format nor -o the matrix is CSV on stdout."""
    assert run_cli("export", WORKED, "--format", "tsv", "-o", "m.csv")[0] == 0
    assert Path("m.csv").read_text(encoding="utf-8").startswith("evidence\tsummary\t")
    status, out, err = run_cli("export", WORKED)
    assert (status, err) == (0, "")
    assert out == run_cli("export", WORKED, "--format", "csv")[1]


@pytest.mark.usefixtures("work")
@pytest.mark.parametrize("name", ["m.xlsx", "matrix"])
def test_export_unknown_suffix_is_a_usage_error(name: str) -> None:
    """An unknown or missing suffix without --format: exit 2 naming the formats, nothing written."""
    status, out, err = run_cli("export", WORKED, "-o", name)
    assert (status, out) == (2, "")
    assert f"assess: error: -o {name}: " in err
    assert "the formats are csv (.csv), tsv (.tsv) or achz (.achz); or give --format\n" in err
    assert not Path(name).exists()


def test_export_format_has_help() -> None:
    """Export --help explains --format and its default."""
    status, out, _ = run_cli("export", "--help")
    assert status == 0
    assert "[--format {csv,tsv,achz}]" in out
    assert "default: from the suffix of OUT, else csv" in " ".join(out.split())
