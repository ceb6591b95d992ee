"""
Hostile interchange files: ``assess import`` refuses them quickly, in bounded memory.

Each case builds its file in a fresh folder, runs ``assess import`` in a
process of its own (``tests/hostile.py``) and pins the exit status, the
message, that no traceback is shown, the time and peak memory, and that no
file in the folder changed (nothing was written).  The ``.achz`` cases are
gzip-compressed UTF-16 XML, as PARC ACH writes them; the table cases bring
ratings back into a small assessment.
"""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING

import pytest

from assess.io import parc, tabular
from assess.io.interchange import MAX_JSON_VALUES, MAX_PROBLEMS
from assess.io.tabular import MAX_TABLE_BYTES
from assess.io.yaml_reader import MAX_DEPTH
from hostile import Outcome, run_hostile, snapshot

if TYPE_CHECKING:
    from pathlib import Path

#: Bounds for an import that refuses its input: a few times what it takes on a loaded machine.
SECONDS = 5.0
PEAK_MIB = 250.0

MARKER = parc.TRAILER_MARKER

# --------------------------------------------------------------------------- building files


def achz(xml: str) -> bytes:
    """A .achz file: the XML as UTF-16 with a byte-order mark, gzip-compressed."""
    return gzip.compress(b"\xfe\xff" + xml.encode("utf-16-be"), compresslevel=1, mtime=0)


def matrix(evidence: str, *, comment: str | None = None) -> str:
    """A PARC matrix of two hypotheses with the given EVIDENCE elements (and assess comment)."""
    kept = "" if comment is None else f"<!-- assess: {comment} -->"
    return (
        f'<?xml version="1.0" encoding="UTF-16"?><ACH>{kept}'
        "<PROJECT-TITLE>Rain</PROJECT-TITLE><MATRIX>"
        "<HYPOTHESIS><NAME>It rained.</NAME></HYPOTHESIS>"
        "<HYPOTHESIS><NAME>It did not.</NAME></HYPOTHESIS>"
        f"{evidence}</MATRIX></ACH>"
    )


def item(notes: str = "", values: str = "C,I") -> str:
    """One EVIDENCE element."""
    fields = f"<NAME>Wet streets.</NAME><NOTES>{notes}</NOTES><VALUES>{values}</VALUES>"
    return f"<EVIDENCE>{fields}</EVIDENCE>"


def trailer(json_text: str) -> str:
    """NOTES holding only what assess keeps: the marker, then one line of JSON."""
    return f"{MARKER}\n{json_text}"


SOURCE = {"id": "s1", "name": "A neighbour", "reliability": "B"}


def import_achz(folder: Path, data: bytes) -> Outcome:
    """Write ``data`` as m.achz in ``folder``, import it, and check that nothing changed."""
    (folder / "m.achz").write_bytes(data)
    before = snapshot(folder)
    outcome = run_hostile("import", "m.achz", "-o", "new.yaml", cwd=folder)
    assert snapshot(folder) == before
    return outcome


def refused(outcome: Outcome, message: str) -> None:
    """A refusal of bad input: exit 1, the message, no traceback, quick and small."""
    assert outcome.status == 1, outcome.stderr
    assert message in outcome.stderr, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert outcome.seconds < SECONDS
    assert outcome.peak_mib < PEAK_MIB


# --------------------------------------------------------------------------- .achz


class TestEmbeddedData:
    """The JSON kept in NOTES and in the assess comment is read without recursion or blow-up."""

    @pytest.mark.parametrize("opening", ["[", '{"a":'])
    def test_deep_trailer(self, tmp_path: Path, opening: str) -> None:
        """100,000 nested lists (or mappings) in a trailer: refused at the item, no recursion."""
        data = achz(matrix(item(trailer(opening * 100_000))))
        outcome = import_achz(tmp_path, data)
        refused(
            outcome,
            "m.achz: error: MATRIX.EVIDENCE[0].NOTES: evidence 1 ('Wet streets.'): what assess"
            f" kept in its NOTES nests deeper than {MAX_DEPTH} levels; refused",
        )

    def test_deep_comment(self, tmp_path: Path) -> None:
        """The assess comment nested 100,000 deep is refused the same way."""
        data = achz(matrix(item(), comment='{"version":1,"assessment":' + "[" * 100_000))
        outcome = import_achz(tmp_path, data)
        refused(outcome, f"the assess comment in the file nests deeper than {MAX_DEPTH} levels")

    def test_nesting_at_the_cap_is_read(self, tmp_path: Path) -> None:
        """64 levels are fine: the trailer is merely unusable, and the item is read from PARC."""
        deep = "[" * MAX_DEPTH + "]" * MAX_DEPTH
        data = achz(matrix(item(trailer(deep))))
        (tmp_path / "m.achz").write_bytes(data)
        outcome = run_hostile("import", "m.achz", "-o", "new.yaml", cwd=tmp_path)
        assert outcome.status == 0, outcome.stderr
        assert "it does not name the item's id" in outcome.stderr

    def test_too_many_values(self, tmp_path: Path) -> None:
        """Five million empty lists (44 KB compressed, 350 MB decoded) are refused undecoded."""
        data = achz(matrix(item(trailer("[" + ",".join(["[]"] * 5_000_000) + "]"))))
        outcome = import_achz(tmp_path, data)
        refused(
            outcome,
            f"NOTES takes the JSON kept in the file past {MAX_JSON_VALUES} values (this part"
            " holds 5000001); refused as too large",
        )

    def test_values_add_up_over_the_file(self, tmp_path: Path) -> None:
        """The cap is on the whole file: many trailers, each small, cannot add up past it."""
        each = "[" + ",".join(["0"] * 99_999) + "]"  # 100,000 values
        items = "".join(item(trailer(each)) for _ in range(MAX_JSON_VALUES // 100_000 + 1))
        outcome = import_achz(tmp_path, achz(matrix(items)))
        refused(outcome, f"MATRIX.EVIDENCE[{MAX_JSON_VALUES // 100_000}].NOTES")
        assert f"past {MAX_JSON_VALUES} values" in outcome.stderr

    def test_lone_surrogate_in_trailer(self, tmp_path: Path) -> None:
        """A lone surrogate kept for an item is refused there, not written for validate to fail."""
        kept = {"id": "E1", "source": {**SOURCE, "name": "A \ud800 neighbour"}, "credibility": 3}
        data = achz(matrix(item(trailer(json.dumps(kept)), values="C,I")))
        outcome = import_achz(tmp_path, data)
        refused(
            outcome,
            "MATRIX.EVIDENCE[0].NOTES: evidence 1 ('Wet streets.'): what assess kept in its NOTES"
            " holds a lone surrogate (a \\ud800-\\udfff escape that is half of a pair) in the"
            " text ['source']['name']; no assessment file can hold one",
        )

    def test_lone_surrogate_in_a_key(self, tmp_path: Path) -> None:
        """A key is text too."""
        kept = {"id": "E1", "source": SOURCE, "\udc00": 1}
        outcome = import_achz(tmp_path, achz(matrix(item(trailer(json.dumps(kept))))))
        refused(outcome, "holds a lone surrogate (a \\ud800-\\udfff escape that is half of a pair)")
        assert "in the key ['\\udc00']" in outcome.stderr

    def test_lone_surrogate_in_comment(self, tmp_path: Path) -> None:
        """The assess comment is checked as the trailers are."""
        block = json.dumps({"version": 1, "assessment": {"title": "\udfff"}})
        outcome = import_achz(tmp_path, achz(matrix(item(), comment=block)))
        refused(
            outcome,
            "the assess comment in the file holds a lone surrogate (a \\ud800-\\udfff escape"
            " that is half of a pair) in the text ['assessment']['title']",
        )

    def test_surrogate_pair_is_text(self, tmp_path: Path) -> None:
        """A pair of surrogate escapes is one character, and imports."""
        kept = {"id": "E1", "source": {**SOURCE, "name": "A \U0001f327 neighbour"}}
        text = json.dumps(kept)  # ASCII: the character as the pair \ud83c\udf27
        assert "\\ud83c\\udf27" in text
        data = achz(matrix(item(trailer(text), values="C,I")))
        (tmp_path / "m.achz").write_bytes(data)
        outcome = run_hostile("import", "m.achz", "-o", "new.yaml", cwd=tmp_path)
        assert outcome.status == 0, outcome.stderr
        assert "A \U0001f327 neighbour" in (tmp_path / "new.yaml").read_text(encoding="utf-8")
        assert run_hostile("validate", "new.yaml", cwd=tmp_path).status == 0


class TestElementCap:
    """Elements, attributes and comments count together toward MAX_ELEMENTS."""

    MESSAGE = (
        f"the XML has more than {parc.MAX_ELEMENTS} elements, attributes and comments;"
        " refused as too large"
    )

    def test_many_attributes_on_many_elements(self, tmp_path: Path) -> None:
        """1,500 elements of 400 attributes each: refused once 200,000 things are counted."""
        attributes = " ".join(f'a{n}=""' for n in range(400))
        data = achz(f"<ACH>{f'<e {attributes}/>' * 1_500}</ACH>")
        refused(import_achz(tmp_path, data), self.MESSAGE)

    def test_one_element_with_every_attribute(self, tmp_path: Path) -> None:
        """
        A 3.6 MB file, one start tag of 1.4 million attributes: refused while it streams in.

        Before, expat read the whole tag and Python made a dictionary of it:
        9 seconds and 557 MiB.
        """
        attributes = " ".join(f'a{n}=""' for n in range(1_400_000))
        xml = f"<ACH><e {attributes}/></ACH>"
        assert len(xml) * 2 < parc.MAX_XML_BYTES
        refused(import_achz(tmp_path, achz(xml)), self.MESSAGE)

    def test_attributes_with_long_values(self, tmp_path: Path) -> None:
        """A tag of few attributes but long values is read, not mistaken for many attributes."""
        values = " ".join(f'a{n}="{"x" * 100_000}"' for n in range(30))
        xml = matrix(item()).replace("<MATRIX>", f"<MATRIX><X {values}/>")
        (tmp_path / "m.achz").write_bytes(achz(xml))
        outcome = run_hostile("import", "m.achz", "-o", "new.yaml", cwd=tmp_path)
        assert outcome.status == 0, outcome.stderr


class TestEchoes:
    """What a file holds is quoted short in messages, and a long token costs no hint search."""

    def test_long_rating_token(self, tmp_path: Path) -> None:
        """A 15-million-character VALUES token: one short message (680 MiB in difflib before)."""
        data = achz(matrix(item(values="x" * 15_000_000 + ",C")))
        outcome = import_achz(tmp_path, data)
        refused(
            outcome,
            f"VALUES rating 1 is '{'x' * 39}…', not one of 'I I', 'I', 'NA', 'N', 'C' and 'C C'\n",
        )
        assert len(outcome.stderr) < 1_000

    def test_problems_stop_at_the_cap(self, tmp_path: Path) -> None:
        """20,000 items of two bad ratings each: reading stops after 99 problems, and says so."""
        data = achz(matrix(item(values="X,X") * 20_000))
        outcome = import_achz(tmp_path, data)
        refused(
            outcome,
            f"m.achz: error: reading stopped at MATRIX.EVIDENCE[49].VALUES after"
            f" {MAX_PROBLEMS - 1} problems; fix these and import again\n",
        )
        assert outcome.stderr.count("error:") == MAX_PROBLEMS


# --------------------------------------------------------------------------- tables

ASSESSMENT = """\
assessment: rain
title: Did it rain?
hypotheses: [{id: H1, statement: It rained.}, {id: H2, statement: It did not.}]
sources: [{id: s1, name: A neighbour, reliability: B}]
evidence:
  - {id: E1, summary: Wet streets., kind: physical, source: s1, credibility: 2, ratings: {H1: C}}
"""
HEADER = "evidence,summary,source,credibility,relevance,H1,H2\n"


def import_table(folder: Path, text: str) -> Outcome:
    """Write the table and the assessment in ``folder``, import, and check nothing changed."""
    (folder / "rain.yaml").write_text(ASSESSMENT, encoding="utf-8")
    (folder / "t.csv").write_text(text, encoding="utf-8", newline="")
    before = snapshot(folder)
    outcome = run_hostile("import", "t.csv", "--into", "rain.yaml", "-o", "new.yaml", cwd=folder)
    assert snapshot(folder) == before
    return outcome


class TestHostileTables:
    """A table of ratings that would take minutes or gigabytes is refused at once."""

    def test_blank_lines(self, tmp_path: Path) -> None:
        """16 MiB of line breaks (39 s and 2.7 GiB before): refused by counting them."""
        outcome = import_table(tmp_path, HEADER + "\n" * (MAX_TABLE_BYTES - len(HEADER)))
        refused(
            outcome,
            f"t.csv:1:1: error: the table has {MAX_TABLE_BYTES - len(HEADER) + 1} lines, more than"
            f" the {tabular.MAX_LINES} a table may have",
        )

    def test_long_row(self, tmp_path: Path) -> None:
        """A 16 MB row of tiny cells (half a gigabyte of strings before): refused unread."""
        outcome = import_table(tmp_path, HEADER + "ab," * 5_000_000 + "\n")
        refused(
            outcome,
            f"t.csv:2:1: error: the row is longer than {tabular.MAX_ROW_CHARACTERS} characters;"
            " refused as too large",
        )

    def test_long_header(self, tmp_path: Path) -> None:
        """The header is a row like any other."""
        outcome = import_table(tmp_path, "evidence" + ",H1" * 5_000_000 + "\n")
        refused(outcome, "t.csv:1:1: error: the row is longer than")

    def test_long_row_over_many_lines(self, tmp_path: Path) -> None:
        """A row's lines add up: quoted line breaks do not hide a long row."""
        outcome = import_table(tmp_path, HEADER + '"a\n",' * 300_000 + "\n")
        refused(outcome, "t.csv:2:1: error: the row is longer than")

    def test_many_bad_rows(self, tmp_path: Path) -> None:
        """Half a million rows of unknown items: reading stops after 99 problems."""
        outcome = import_table(tmp_path, HEADER + "E9,x,s1,2,low,C,\n" * 500_000)
        refused(
            outcome,
            f"t.csv: error: reading stopped at line 100 after {MAX_PROBLEMS - 1} problems;"
            " fix these and import again\n",
        )
        assert outcome.stderr.count("error:") == MAX_PROBLEMS

    def test_empty_rows_are_skipped_and_counted(self, tmp_path: Path) -> None:
        """Blank rows and rows of empty cells are skipped, and the lines after keep their number."""
        empty = "\n,,,,,,\n" * 100_000
        outcome = import_table(
            tmp_path, HEADER + "E1,x,s1,2,low,N,\n" + empty + "E9,x,s1,2,low,C,\n"
        )
        refused(outcome, "t.csv:200003:1: error: E9: unknown evidence item 'E9'\n")
        assert outcome.stderr.count("error:") == 1
