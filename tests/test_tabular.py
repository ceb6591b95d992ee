"""The matrix as CSV or TSV: export, ratings read back, and the formula-injection guard."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess.io import tabular
from assess.model import AnalystRatings, Rating
from strategies import assessments

ROOT = Path(__file__).resolve().parent.parent

SMALL = assess.loads(
    """\
assessment: small
title: A small assessment
analysts: [alice, bob]
hypotheses:
  - {id: wet, statement: It rained.}
  - {id: dry, statement: It did not rain.}
sources:
  - {id: s1, name: A neighbour, reliability: B}
evidence:
  - id: E1
    summary: "=HYPERLINK(\\"http://x\\", \\"click\\")"
    kind: physical
    source: s1
    credibility: 1
    relevance: high
    ratings: {wet: CC, dry: II}
  - id: E2
    summary: "Said, twice;\\nthen \\"again\\""
    kind: testimony
    source: s1
    ratings: {wet: {alice: C, bob: I}}
  - id: E3
    summary: -5 degrees
    kind: report
    source: s1
"""
)

SMALL_CSV = (
    "evidence,summary,source,credibility,relevance,wet,dry\n"
    'E1,"\'=HYPERLINK(""http://x"", ""click"")",s1,1,high,CC,II\n'
    'E2,"Said, twice;\nthen ""again""",s1,6,medium,alice=C; bob=I,\n'
    "E3,'-5 degrees,s1,6,medium,,\n"
)


def problems(table: str | bytes, into: assess.Assessment = SMALL) -> list[assess.Problem]:
    """The problems import_ratings raises for ``table``."""
    with pytest.raises(assess.InputError) as caught:
        tabular.import_ratings(table, into, name="r.csv")
    return list(caught.value.problems)


def positions(table: str) -> list[tuple[int | None, int | None, str, str]]:
    """Line, column, path and message of each problem."""
    return [(p.line, p.column, p.path, p.message) for p in problems(table)]


class TestExport:
    """The table export writes."""

    def test_layout(self) -> None:
        """Header, one row per item, RFC 4180 quoting, guarded formulas, LF line endings."""
        assert tabular.export_table(SMALL) == SMALL_CSV

    def test_tsv(self) -> None:
        """With a tab, fields holding tabs or newlines are quoted."""
        text = tabular.export_table(SMALL, "\t")
        assert text.splitlines()[0] == "evidence\tsummary\tsource\tcredibility\trelevance\twet\tdry"
        assert text.endswith("E3\t'-5 degrees\ts1\t6\tmedium\t\t\n")

    def test_documented_example(self) -> None:
        """The table in docs/interchange.md is what export_table writes for its example."""
        text = (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
        yaml_text = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
        table = re.search(r"is written:\n\n```text\n(.*?)```", text, re.DOTALL)
        assert yaml_text is not None
        assert table is not None
        assert tabular.export_table(assess.loads(yaml_text.group(1))) == table.group(1)

    def test_bad_delimiter(self) -> None:
        """Only comma, semicolon and tab are delimiters."""
        with pytest.raises(ValueError, match="the delimiter must be one of"):
            tabular.export_table(SMALL, "|")

    def test_carriage_return_is_quoted(self) -> None:
        """A lone carriage return inside a field is quoted, so readers keep it."""
        item = SMALL.evidence[2]
        changed = assess.Assessment(
            id="cr",
            title="t",
            hypotheses=SMALL.hypotheses,
            sources=SMALL.sources,
            evidence=[
                assess.Evidence(id=item.id, summary="a\rb", kind=item.kind, source=item.source)
            ],
        )
        assert '"a\rb"' in tabular.export_table(changed)


class TestFormulaGuard:
    """A cell a spreadsheet would run as a formula is written with an apostrophe before it."""

    @given(st.text())
    def test_guard_is_undone_exactly(self, text: str) -> None:
        """_unguard(_guard(t)) == t for any text."""
        assert tabular._unguard(tabular._guard(text)) == text

    @given(st.text(min_size=1))
    def test_guarded_cells_are_not_formulas(self, text: str) -> None:
        """No guarded cell starts with a formula character."""
        assert tabular._guard(text)[0] not in tabular.FORMULA_STARTS

    @given(assessments())
    @settings(deadline=None)
    def test_no_exported_cell_starts_a_formula(self, assessment: assess.Assessment) -> None:
        """Every field of every exported row, read back by csv, is safe to open."""
        rows = csv.reader(io.StringIO(tabular.export_table(assessment), newline=""))
        for row in rows:
            assert all(field[:1] not in tabular.FORMULA_STARTS for field in row)

    @pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'x", "''"])
    def test_round_trip(self, text: str) -> None:
        """Each guarded start comes back unchanged through export and import."""
        item = SMALL.evidence[2]
        changed = assess.Assessment(
            id="guard",
            title="t",
            hypotheses=SMALL.hypotheses,
            sources=SMALL.sources,
            evidence=[
                assess.Evidence(id=item.id, summary=text, kind=item.kind, source=item.source)
            ],
        )
        table = tabular.export_table(changed)
        assert f"'{text}" in table
        imported = tabular.import_ratings(table, changed, name="r.csv")
        assert imported.notices == ("No ratings changed.",)  # the summary compared equal

    def test_plain_apostrophe_is_kept(self) -> None:
        """An apostrophe before an ordinary character is the user's own and stays."""
        assert tabular._unguard("'tis") == "'tis"


class TestIdentity:
    """import_ratings(export_table(a), into=a) changes nothing and says so."""

    @given(assessments(), st.sampled_from(tabular.DELIMITERS))
    @settings(max_examples=150, deadline=None)
    def test_export_then_import_is_identity(
        self, assessment: assess.Assessment, delimiter: str
    ) -> None:
        """Any assessment, any text and team cells, any delimiter."""
        table = tabular.export_table(assessment, delimiter)
        imported = tabular.import_ratings(table, assessment, name="r.csv")
        assert imported.assessment is assessment
        assert imported.notices == ("No ratings changed.",)

    @given(assessments())
    @settings(deadline=None)
    def test_bytes_with_byte_order_mark(self, assessment: assess.Assessment) -> None:
        """UTF-8 bytes with a BOM, as spreadsheets save them, read the same."""
        table = "\ufeff" + tabular.export_table(assessment)
        imported = tabular.import_ratings(table.encode("utf-8"), assessment, name="r.csv")
        assert imported.assessment is assessment


class TestImport:
    """Ratings change; everything else is left, and every change is reported."""

    def test_changes(self) -> None:
        """Changed, cleared and team cells; a notice per cell, in table order."""
        table = SMALL_CSV.replace("high,CC,II", "high,C,").replace(
            "alice=C; bob=I,", "alice=C; bob=C,N"
        )
        imported = tabular.import_ratings(table, SMALL, name="r.csv")
        e1, e2, _ = imported.assessment.evidence
        assert e1.ratings == {"wet": Rating.C}
        assert e2.cell("wet") == AnalystRatings({"alice": Rating.C, "bob": Rating.C})
        assert e2.cell("dry") == Rating.N
        assert imported.notices == (
            "E1, wet: CC → C.",
            "E1, dry: II → unrated.",
            "E2, wet: alice=C; bob=I → alice=C; bob=C.",
            "E2, dry: unrated → N.",
        )
        assert assess.loads(assess.dump(imported.assessment)) == imported.assessment

    def test_semicolons_and_reordering(self) -> None:
        """A semicolon table with columns and rows reordered and some left out."""
        table = "evidence;summary;source;credibility;relevance;dry\nE3;x;s1;6;medium;I\n"
        imported = tabular.import_ratings(table, SMALL, name="r.csv")
        assert imported.assessment.item("E3").ratings == {"dry": Rating.I}
        assert imported.notices == (
            "E3, dry: unrated → I.",
            (
                "E3: the table's summary ('x') differs from the assessment's ('-5 degrees');"
                " only ratings are imported, so it was left as it is."
            ),
            "Not in the table, so their ratings were left as they are: evidence E1, E2.",
            "Not in the table, so ratings against them were left as they are: hypotheses wet.",
        )

    def test_crlf_lines(self) -> None:
        """A table saved with CRLF line ends, as on Windows, reads the same."""
        table = SMALL_CSV.replace("\n", "\r\n").replace("high,CC,II", "high,CC,I")
        imported = tabular.import_ratings(table, SMALL, name="r.csv")
        # The line break inside E2's quoted summary became CRLF too, and is reported.
        assert imported.notices == (
            "E1, dry: II → I.",
            (
                "E2: the table's summary ('Said, twice;\\r\\nthen \"again\"') differs from the"
                " assessment's ('Said, twice;\\nthen \"again\"'); only ratings are imported, so it"
                " was left as it is."
            ),
        )

    def test_na_and_blank_rows(self) -> None:
        """NA is the same as empty, and rows of empty cells are skipped."""
        table = SMALL_CSV.replace("medium,,\n", "medium,NA,NA\n,,,,,,\n\n")
        imported = tabular.import_ratings(table, SMALL, name="r.csv")
        assert imported.assessment is SMALL

    def test_team_cell_not_replaced_by_one_rating(self) -> None:
        """A single rating over analysts' ratings is refused, at the cell."""
        table = SMALL_CSV.replace("alice=C; bob=I,", "C,")
        assert positions(table) == [
            (
                3,
                6,
                "E2.wet",
                (
                    "the cell holds analysts' ratings (alice=C; bob=I); change them in the same"
                    " form (analyst=rating; ...), or allow a single rating to replace them all"
                ),
            )
        ]

    def test_team_cell_replaced_when_allowed(self) -> None:
        """replace_team_cells lets a single rating replace the analysts' ratings."""
        table = SMALL_CSV.replace("alice=C; bob=I,", ",")
        imported = tabular.import_ratings(table, SMALL, name="r.csv", replace_team_cells=True)
        assert imported.assessment.item("E2").ratings == {}
        assert imported.notices == ("E2, wet: alice=C; bob=I → unrated.",)


class TestRefusals:
    """Every problem at once, at the table's line (where the row starts) and field number."""

    def test_everything_wrong(self) -> None:
        """Unknown ids, bad ratings, analysts, short rows and repeated rows."""
        table = (
            "evidence,summary,source,credibility,relevance,wet,dry\n"
            'E1,"two\nlines",s1,1,high,c,II\n'
            "E9,x,s1,1,high,C,C\n"
            "E2,x,s1,1,high,alice=C; carol=I,\n"
            "E3,x,s1,1,high,C\n"
            "E1,x,s1,1,high,C,C\n"
            "E3,x,s1,1,high,,alice=Z\n"
        )
        assert positions(table) == [
            (
                2,
                6,
                "E1.wet",
                (
                    "'c' is not a rating: write CC, C, N, I, II or NA, leave the cell empty, or"
                    " give analysts' ratings as 'alice=C; bob=I' (did you mean 'C'?)"
                ),
            ),
            (4, 1, "E9", "unknown evidence item 'E9'"),
            (5, 6, "E2.wet", "unknown analyst 'carol'"),
            (6, 7, "", "the row has 6 fields but the header has 7"),
            (7, 1, "E1", "E1 has a row already, on line 2"),
            (8, 7, "E3.dry", "alice's rating 'Z' is not one of CC, C, N, I, II and NA"),
        ]

    def test_formula_cell(self) -> None:
        """'=C' (a spreadsheet formula) is not a rating, not an analyst without a name."""
        table = "evidence,summary,source,credibility,relevance,wet,dry\nE1,x,s1,1,high,=C,C\n"
        assert positions(table) == [
            (
                2,
                6,
                "E1.wet",
                (
                    "'=C' is not a rating: write CC, C, N, I, II or NA, leave the cell empty, or"
                    " give analysts' ratings as 'alice=C; bob=I' (did you mean 'C'?)"
                ),
            )
        ]

    def test_header(self) -> None:
        """A wrong fixed column, an unknown and a repeated hypothesis, each at its field."""
        table = "evidence,summary,origin,credibility,relevance,wet,wte,wet\n"
        assert positions(table) == [
            (
                1,
                3,
                "header",
                (
                    "column 3 must be 'source', got 'origin'; the header starts evidence,"
                    " summary, source, credibility, relevance"
                ),
            ),
            (1, 7, "header.wte", "unknown hypothesis 'wte' (did you mean 'wet'?)"),
            (1, 8, "header.wet", "hypothesis wet has two columns"),
        ]

    def test_short_header(self) -> None:
        """A header without all the fixed columns names what is missing."""
        assert positions("evidence,summary\n")[0][3].startswith(
            "column 3 must be 'source', got nothing"
        )

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            ("", "the table is empty"),
            ("id,summary\n", "the header must start with the column 'evidence'"),
            ('evidence,summary,source,credibility,relevance\nE1,"a"b', "not valid CSV"),
        ],
    )
    def test_unreadable(self, table: str, message: str) -> None:
        """Tables that cannot be read as tables at all."""
        (problem,) = problems(table)
        assert message in problem.message

    def test_not_utf8(self) -> None:
        """Bytes that are not UTF-8 are refused with their line."""
        (problem,) = problems(b"evidence,summary\nE1,caf\xe9\n")
        assert (problem.line, problem.message) == (2, "the table is not UTF-8 text (byte 0xe9)")

    def test_analysts_undeclared(self) -> None:
        """Analysts' ratings in an assessment without analysts say how to declare them."""
        plain = assess.Assessment(
            id="p", title="t", hypotheses=SMALL.hypotheses, sources=SMALL.sources
        )
        table = "evidence,summary,source,credibility,relevance,wet\n"
        assert tabular.import_ratings(table, plain, name="r").assessment is plain
        row = "E1,x,s1,6,medium,a=C\n"
        into = assess.Assessment(
            id="p",
            title="t",
            hypotheses=SMALL.hypotheses,
            sources=SMALL.sources,
            evidence=[assess.Evidence(id="E1", summary="x", kind="report", source="s1")],
        )
        with pytest.raises(assess.InputError) as caught:
            tabular.import_ratings(table + row, into, name="r")
        assert caught.value.problems[0].message == (
            "unknown analyst 'a': the assessment declares no analysts"
        )
