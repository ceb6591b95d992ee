"""PARC ACH .achz export and import: layout, mappings, round trips and hostile files."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import pickle
import re
import time
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess.io import interchange as _interchange
from assess.io import parc
from assess.io.parc import reading, writing
from assess.model import AnalystRatings, Credibility, Kind, Rating, Reliability
from strategies import IDS, TEXT, assessments


def _cap(monkeypatch: pytest.MonkeyPatch, name: str, value: int) -> None:
    """Set a cap of the PARC modules wherever it is read (each module holds its own name)."""
    for module in (parc, reading, writing):
        if hasattr(module, name):
            monkeypatch.setattr(module, name, value)


ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------- helpers


def achz(xml: str, *, codec: str = "utf-16-be", bom: bytes = b"\xfe\xff") -> bytes:
    """A .achz file holding ``xml``, encoded as asked."""
    return gzip.compress(bom + xml.encode(codec), mtime=0)


def xml_of(data: bytes) -> str:
    """The XML text inside an exported .achz file."""
    return gzip.decompress(data).decode("utf-16")


def plain_file(*evidence: str, hypotheses: tuple[str, ...] = ("It rained.", "It did not.")) -> str:
    """A PARC matrix without assess data, with the given EVIDENCE bodies."""
    names = "".join(f"<HYPOTHESIS><NAME>{h}</NAME></HYPOTHESIS>" for h in hypotheses)
    items = "".join(f"<EVIDENCE>{body}</EVIDENCE>" for body in evidence)
    return (
        '<?xml version="1.0" encoding="UTF-16"?>'
        "<PARC><PROJECT-TITLE>Rain</PROJECT-TITLE><LAST-INDEX>2</LAST-INDEX>"
        f"<COLOR-SCHEME>0</COLOR-SCHEME><CLASSIFICATION></CLASSIFICATION><MATRIX>{names}"
        f"{items}</MATRIX></PARC>"
    )


def item(**fields: str) -> str:
    """An EVIDENCE body; NAME and VALUES default to something valid for two hypotheses."""
    fields.setdefault("NAME", "Wet streets.")
    fields.setdefault("VALUES", "C,I")
    return "".join(f"<{tag}>{text}</{tag}>" for tag, text in fields.items())


def problems(data: bytes, name: str = "m.achz") -> list[assess.Problem]:
    """The problems import_achz raises for ``data``."""
    with pytest.raises(assess.InputError) as caught:
        parc.import_achz(data, name=name)
    return list(caught.value.problems)


def messages(data: bytes) -> str:
    """All problem messages, one per line."""
    return "\n".join(str(p) for p in problems(data))


SMALL = assess.loads(
    """\
assessment: small
title: A small assessment
analysts: [alice, bob, carol]
hypotheses:
  - {id: wet, statement: It rained., prior: 0.25}
  - {id: dry, statement: It did not rain., prior: 0.75}
sources:
  - {id: s1, name: A neighbour, reliability: B, interested: true}
  - {id: s2, name: A weather station, reliability: A}
  - {id: unused, name: Never cited, reliability: E}
evidence:
  - id: E1
    summary: The streets were wet.
    kind: physical
    source: s2
    credibility: 1
    relevance: high
    date: 2024-03-10
    ratings: {wet: CC, dry: II}
  - id: E2
    summary: The neighbour says it was dry.
    kind: testimony
    source: s1
    credibility: 5
    relevance: low
    derived_from: [E1]
    ratings: {wet: {alice: C, bob: I, carol: I}, dry: {alice: NA, bob: C}}
    notes: |
      Said twice.
assumptions:
  - {id: A1, statement: Streets dry within a day., status: caveated, hypotheses: [wet]}
judgement:
  team: {wet: 0.7}
"""
)


# --------------------------------------------------------------------------- round trips


@st.composite
def with_documents(draw: st.DrawFn) -> assess.Assessment:
    """A generated assessment in which some items quote documents (not on disk)."""
    assessment = draw(assessments())
    doc_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    source_ids = [s.id for s in assessment.sources]
    documents = [
        assess.Document(
            id=d,
            path=draw(TEXT),
            source=draw(st.none() | st.sampled_from(source_ids)),
            title=draw(st.none() | TEXT),
            date=draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
            url=draw(st.none() | TEXT),
        )
        for d in doc_ids
    ]
    evidence = [
        attrs.evolve(e, document=d, quote=draw(TEXT))
        if (d := draw(st.none() | st.sampled_from(doc_ids)))
        else e
        for e in assessment.evidence
    ]
    return attrs.evolve(assessment, documents=documents, evidence=evidence)


class TestRoundTrip:
    """import_achz(export_achz(a)) == a, with no notices: nothing is lost or guessed."""

    @given(with_documents())
    @settings(max_examples=150, deadline=None)
    def test_export_then_import_is_identity(self, assessment: assess.Assessment) -> None:
        """Every valid assessment, any text included, comes back equal and silently."""
        imported = parc.import_achz(parc.export_achz(assessment), name="x.achz")
        assert imported.assessment == assessment
        assert imported.notices == ()

    @given(assessments())
    @settings(deadline=None)
    def test_export_is_deterministic(self, assessment: assess.Assessment) -> None:
        """The same assessment gives the same bytes."""
        assert parc.export_achz(assessment) == parc.export_achz(assessment)

    def test_worked_case(self) -> None:
        """The shipped worked case, with documents, quotes and team cells, round-trips."""
        assessment = assess.load(ROOT / "assessments" / "russia-taliban-support.yaml", root=ROOT)
        imported = parc.import_achz(parc.export_achz(assessment), name="x.achz")
        assert imported.assessment == assessment
        assert assess.dump(imported.assessment) == assess.dump(assessment)

    def test_small(self) -> None:
        """Priors, team cells, unused sources, assumptions and judgement all return."""
        imported = parc.import_achz(parc.export_achz(SMALL), name="x.achz")
        assert imported.assessment == SMALL
        assert imported.notices == ()


# --------------------------------------------------------------------------- export layout


class TestExportLayout:
    """The bytes and elements export writes."""

    def test_gzip_header_has_no_name_and_no_time(self) -> None:
        """The gzip header: no FNAME flag, mtime 0, OS 255 (unknown)."""
        data = parc.export_achz(SMALL)
        assert data[:4] == b"\x1f\x8b\x08\x00"  # magic, deflate, no flags
        assert data[4:8] == b"\0\0\0\0"  # mtime
        assert data[9] == 255

    def test_utf16_big_endian_with_mark(self) -> None:
        """The text is UTF-16 with a big-endian byte-order mark, as Java writes it."""
        raw = gzip.decompress(parc.export_achz(SMALL))
        assert raw[:2] == b"\xfe\xff"
        assert raw[2:].decode("utf-16-be").startswith('<?xml version="1.0" encoding="UTF-16"?>')

    def test_element_order(self) -> None:
        """Top-level elements, then hypotheses, then evidence fields, in a fixed order."""
        xml = xml_of(parc.export_achz(SMALL))
        tags = re.findall(r"<([A-Z-]+)>", xml)
        assert tags[:5] == ["ACH", "PROJECT-TITLE", "LAST-INDEX", "COLOR-SCHEME", "CLASSIFICATION"]
        first = tags.index("EVIDENCE")
        assert tags[first : first + 11] == [
            "EVIDENCE",
            "NAME",
            "NOTES",
            "LINK",
            "TYPE",
            "DATE",
            "CODE",
            "FLAG",
            "CREDIBILITY",
            "VALUES",
            "EVIDENCE",
        ]
        assert "<LAST-INDEX>2</LAST-INDEX>" in xml

    def test_visible_fields(self) -> None:
        """NAME, TYPE, DATE (epoch ms), CODE, CREDIBILITY and VALUES of an item."""
        xml = xml_of(parc.export_achz(SMALL))
        assert "<NAME>The streets were wet.</NAME>" in xml
        assert "<TYPE>physical</TYPE>" in xml
        assert "<DATE>1710028800000</DATE>" in xml  # 2024-03-10T00:00Z
        assert "<CODE>E1</CODE>" in xml
        assert "<CREDIBILITY>HIGH</CREDIBILITY>" in xml
        assert "<VALUES>C C,I I</VALUES>" in xml

    def test_notes_keep_the_rest_below_the_marker(self) -> None:
        """NOTES: the item's notes, a blank line, the marker, one line of JSON."""
        xml = xml_of(parc.export_achz(SMALL))
        assert f"<NOTES>Said twice.\n\n\n{parc.TRAILER_MARKER}\n{{" in xml
        assert '"relevance": "low", "derived_from": ["E1"]' in xml

    def test_comment_never_holds_double_hyphen(self) -> None:
        """Text with "--" is escaped in the XML comment, which may not contain it."""
        assessment = attrs.evolve(SMALL, question="Wet -- or dry?---")
        xml = xml_of(parc.export_achz(assessment))
        comment = xml[xml.index("<!--") + 4 : xml.index("-->")]
        assert "--" not in comment
        assert parc.import_achz(parc.export_achz(assessment), name="x").assessment == assessment

    def test_text_xml_cannot_hold(self) -> None:
        """Control characters show as U+FFFD; carriage returns survive as references."""
        first = attrs.evolve(SMALL.evidence[0], summary="bell\x07 and\r\nnewline")
        assessment = attrs.evolve(SMALL, evidence=[first, SMALL.evidence[1]])
        data = parc.export_achz(assessment)
        assert "<NAME>bell\ufffd and&#13;\nnewline</NAME>" in xml_of(data)
        assert parc.import_achz(data, name="x").assessment == assessment
        assert any("E1: the summary holds characters" in n for n in parc.export_notices(assessment))

    @pytest.mark.parametrize(
        ("grade", "level"),
        [(1, "HIGH"), (2, "HIGH"), (3, "MEDIUM"), (4, "LOW"), (5, "LOW"), (6, "MEDIUM")],
    )
    def test_credibility_to_parc(self, grade: int, level: str) -> None:
        """Admiralty 1-2 are HIGH, 3 and 6 MEDIUM, 4-5 LOW."""
        first = attrs.evolve(SMALL.evidence[0], credibility=grade)
        assessment = attrs.evolve(SMALL, evidence=[first, SMALL.evidence[1]])
        assert f"<CREDIBILITY>{level}</CREDIBILITY>" in xml_of(parc.export_achz(assessment))

    def test_too_large_to_read_back(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Export says when its file is more than import reads, and import refuses it."""
        _cap(monkeypatch, "MAX_ELEMENTS", 20)
        notices = parc.export_notices(SMALL)
        assert any(
            n.startswith("Size: the file holds 31 elements in") and "will not read it back" in n
            for n in notices
        )
        assert "more than 20 elements" in messages(parc.export_achz(SMALL))

    def test_export_notices(self) -> None:
        """Export states both credibility directions and each team cell."""
        notices = parc.export_notices(SMALL)
        assert notices[0].startswith("Credibility: PARC has three levels, so export writes")
        assert "import reads HIGH as 2 (probably true)" in notices[0]
        assert (
            "E2, wet: the analysts' ratings alice=C; bob=I; carol=I are written as I, their"
            " median rounded toward N; the analysts' ratings are kept in the item's NOTES."
        ) in notices


class TestTeamValue:
    """A team cell shows as the median rating, the middle two's mean rounded toward N."""

    @pytest.mark.parametrize(
        ("ratings", "shown"),
        [
            ({"a": "C"}, "C"),
            ({"a": "C", "b": "I", "c": "I"}, "I"),
            ({"a": "C", "b": "I"}, "N"),
            ({"a": "CC", "b": "C"}, "C"),
            ({"a": "II", "b": "I"}, "I"),
            ({"a": "CC", "b": "II", "c": "N", "d": "C"}, "N"),
            ({"a": "CC", "b": "C", "c": "NA"}, "C"),
            ({"a": "NA"}, "NA"),
        ],
    )
    def test_median(self, ratings: dict[str, str], shown: str) -> None:
        """Abstentions do not count; an even count rounds toward neutral."""
        cell = AnalystRatings((a, Rating(r)) for a, r in ratings.items())
        assert parc.team_value(cell) == Rating(shown)


# --------------------------------------------------------------------------- plain PARC files


class TestPlainImport:
    """A file PARC wrote, with no assess data: ids, defaults and mappings, each noticed."""

    def test_everything_defaulted(self) -> None:
        """Ids H1.., E1..; NAME as text; TYPE, CREDIBILITY, DATE and VALUES mapped."""
        data = achz(
            plain_file(
                item(
                    NAME="Wet streets.",
                    NOTES="Seen at dawn.",
                    TYPE="HUMINT",
                    DATE="1710028800000",
                    CREDIBILITY="HIGH",
                    VALUES="C C, I I",
                ),
                item(
                    NAME="Dry gauge.",
                    TYPE="Rumour",
                    CREDIBILITY="LOW",
                    VALUES="NA,",
                    LINK="http://example.org",
                    CODE="X7",
                    FLAG="true",
                ),
                item(NAME="Cloud.", VALUES=""),
                hypotheses=("It rained.", "It did not."),
            )
        )
        imported = parc.import_achz(data, name="data/Rain Check 2024.achz")
        a = imported.assessment
        assert a.id == "rain-check-2024"
        assert a.title == "Rain"
        assert [(h.id, h.statement) for h in a.hypotheses] == [
            ("H1", "It rained."),
            ("H2", "It did not."),
        ]
        assert [s.id for s in a.sources] == ["parc"]
        assert a.sources[0].reliability == Reliability.F
        first, second, third = a.evidence
        assert first.id == "E1"
        assert first.summary == "Wet streets."
        assert first.kind == Kind.TESTIMONY
        assert first.credibility == Credibility.PROBABLY_TRUE
        assert first.date == dt.date(2024, 3, 10)
        assert first.ratings == {"H1": Rating.CC, "H2": Rating.II}
        assert first.notes == "Seen at dawn."
        assert second.kind == Kind.REPORT
        assert second.credibility == Credibility.DOUBTFUL
        assert second.ratings == {}
        assert second.notes == (
            "PARC LINK: http://example.org\nPARC CODE: X7\nPARC FLAG: true\nPARC TYPE: Rumour"
        )
        assert third.credibility == Credibility.POSSIBLY_TRUE  # MEDIUM, PARC's default
        assert third.ratings == {}
        assert {e.relevance for e in a.evidence} == {assess.Relevance.MEDIUM}
        notices = imported.notices
        assert "Hypotheses: numbered H1 to H2 in the file's order" in notices[0]
        joined = "\n".join(notices)
        assert "E2: LINK and CODE and FLAG kept in the item's notes" in joined
        assert "Sources: PARC ACH files neither record nor grade sources" in joined
        assert "Evidence: E1, E2, E3 have no assess data" in joined
        assert "Relevance: PARC's relevance is not read" in joined
        assert "import reads HIGH as 2 (probably true)" in joined
        assert "E1: TYPE 'HUMINT' was read as kind 'testimony'." in joined
        assert "E2: TYPE 'Rumour' is not a known type; read as kind 'report'." in joined
        assert "E3: TYPE is empty; read as kind 'report'." in joined
        assert "Assessment id: 'rain-check-2024', made from the file name." in joined

    def test_imported_file_loads(self) -> None:
        """The imported assessment dumps to YAML that the loader reads back equal."""
        data = achz(plain_file(item(), item(NAME="Another.", VALUES="N,NA")))
        a = parc.import_achz(data, name="m.achz").assessment
        assert assess.loads(assess.dump(a)) == a

    def test_date_rounds_to_nearest_day(self) -> None:
        """A local midnight east or west of UTC reads as its own day, with a notice."""
        berlin = (dt.date(2024, 3, 10) - dt.date(1970, 1, 1)).days * 86_400_000 - 3_600_000
        new_york = berlin + 6 * 3_600_000
        data = achz(plain_file(item(DATE=str(berlin)), item(NAME="b", DATE=str(new_york))))
        imported = parc.import_achz(data, name="m.achz")
        assert [e.date for e in imported.assessment.evidence] == [dt.date(2024, 3, 10)] * 2
        assert any("E1, E2: DATE is not at midnight UTC" in n for n in imported.notices)

    def test_classification_is_noticed(self) -> None:
        """A classification marking cannot be carried, so the notice says to mark the file."""
        xml = plain_file(item()).replace(
            "<CLASSIFICATION></CLASSIFICATION>", "<CLASSIFICATION>SECRET</CLASSIFICATION>"
        )
        notices = parc.import_achz(achz(xml), name="m.achz").notices
        assert any("marked CLASSIFICATION 'SECRET'" in n for n in notices)

    def test_missing_title_uses_file_name(self) -> None:
        """No PROJECT-TITLE: the file's name is the title."""
        xml = plain_file(item()).replace("<PROJECT-TITLE>Rain</PROJECT-TITLE>", "")
        imported = parc.import_achz(achz(xml), name="dir/Rain log.achz")
        assert imported.assessment.title == "Rain log"

    @pytest.mark.parametrize(
        ("codec", "bom"),
        [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"")],
    )
    def test_byte_orders(self, codec: str, bom: bytes) -> None:
        """Either byte order is read, with or without a mark."""
        data = achz(plain_file(item()), codec=codec, bom=bom)
        assert parc.import_achz(data, name="m").assessment.evidence[0].summary == "Wet streets."

    def test_any_root_and_unknown_elements(self) -> None:
        """The root's name is not known, and elements PARC may add are ignored."""
        xml = plain_file(item(RELEVANCE="HIGH")).replace("PARC>", "Whatever>")
        assert parc.import_achz(achz(xml), name="m").assessment.title == "Rain"

    def test_slug_fallback(self) -> None:
        """A file name with no usable letters gives the id 'imported'."""
        imported = parc.import_achz(achz(plain_file(item())), name="———.achz")
        assert imported.assessment.id == "imported"


# --------------------------------------------------------------------------- edits made in PARC


def _edit(data: bytes, old: str, new: str, count: int = 1) -> bytes:
    xml = xml_of(data)
    assert old in xml
    return achz(xml.replace(old, new, count))


class TestEditedInParc:
    """Where what PARC shows disagrees with what assess kept, PARC wins, with a notice."""

    def test_comment_dropped_when_parc_saves(self) -> None:
        """Without the comment: ids H1.., no priors, analysts gathered from team cells."""
        xml = re.sub(r"<!--.*?-->", "", xml_of(parc.export_achz(SMALL)), flags=re.DOTALL)
        imported = parc.import_achz(achz(xml), name="small.achz")
        a = imported.assessment
        assert [h.id for h in a.hypotheses] == ["H1", "H2"]
        assert [h.prior for h in a.hypotheses] == [None, None]
        assert a.analysts == ("alice", "bob", "carol")
        assert [s.id for s in a.sources] == ["s2", "s1"]  # as the items cite them
        e2 = a.item("E2")
        assert e2.credibility == Credibility.IMPROBABLE
        assert e2.relevance == assess.Relevance.LOW
        assert e2.derived_from == ("E1",)
        assert isinstance(e2.cell("H1"), AnalystRatings)
        joined = "\n".join(imported.notices)
        assert "Analysts: alice, bob, carol rate cells of the matrix" in joined
        assert "Relevance" not in joined  # kept in the items' notes

    def test_credibility_changed(self) -> None:
        """A CREDIBILITY changed in PARC replaces the kept grade, mapped."""
        data = _edit(
            parc.export_achz(SMALL),
            "<CREDIBILITY>HIGH</CREDIBILITY>",
            "<CREDIBILITY>LOW</CREDIBILITY>",
        )
        imported = parc.import_achz(data, name="x")
        assert imported.assessment.item("E1").credibility == Credibility.DOUBTFUL
        assert (
            "E1: CREDIBILITY was changed in PARC to LOW (credibility 1 was exported as HIGH);"
            " read as 4 (doubtful)."
        ) in imported.notices

    def test_team_cell_changed(self) -> None:
        """A VALUES entry changed in PARC over a team cell drops the analysts' ratings."""
        data = _edit(parc.export_achz(SMALL), "<VALUES>I,C</VALUES>", "<VALUES>C C,C</VALUES>")
        imported = parc.import_achz(data, name="x")
        e2 = imported.assessment.item("E2")
        assert e2.cell("wet") == Rating.CC
        assert isinstance(e2.cell("dry"), AnalystRatings)
        assert any("E2, wet: the rating was changed in PARC to CC" in n for n in imported.notices)

    def test_copied_item(self) -> None:
        """An item copied in PARC keeps its data under a new id."""
        xml = xml_of(parc.export_achz(SMALL))
        start, end = xml.index("<EVIDENCE>"), xml.index("</EVIDENCE>") + len("</EVIDENCE>")
        copied = xml[:end] + xml[start:end] + xml[end:]
        imported = parc.import_achz(achz(copied), name="x")
        assert [e.id for e in imported.assessment.evidence] == ["E1", "E3", "E2"]
        assert imported.assessment.item("E3").source == "s2"
        assert any("repeats the id E1 of an earlier item" in n for n in imported.notices)

    def test_deleted_item(self) -> None:
        """Deleting an item others derive from drops the link, with a notice."""
        xml = xml_of(parc.export_achz(SMALL))
        start, end = xml.index("<EVIDENCE>"), xml.index("</EVIDENCE>") + len("</EVIDENCE>")
        imported = parc.import_achz(achz(xml[:start] + xml[end:]), name="x")
        assert imported.assessment.item("E2").derived_from == ()
        assert "E2: derived_from named E1, no longer in the file; the link was dropped." in (
            imported.notices
        )

    def test_relays_survive_the_comment_dropped(self) -> None:
        """A relay's source travels in the item's NOTES, so it returns without the comment."""
        e1, e2 = SMALL.evidence
        relayed = attrs.evolve(
            SMALL,
            evidence=[attrs.evolve(e1, confirmed_by=["E2"]), attrs.evolve(e2, via=["unused"])],
        )
        xml = re.sub(r"<!--.*?-->", "", xml_of(parc.export_achz(relayed)), flags=re.DOTALL)
        a = parc.import_achz(achz(xml), name="small.achz").assessment
        assert a.item("E2").via == ("unused",)
        assert a.source("unused") == SMALL.source("unused")
        assert a.item("E1").confirmed_by == ("E2",)

    def test_deleted_confirming_item(self) -> None:
        """Deleting an item that confirms another drops the link, with a notice."""
        e1, e2 = SMALL.evidence
        confirmed = attrs.evolve(SMALL, evidence=[e1, attrs.evolve(e2, confirmed_by=["E1"])])
        xml = xml_of(parc.export_achz(confirmed))
        start, end = xml.index("<EVIDENCE>"), xml.index("</EVIDENCE>") + len("</EVIDENCE>")
        imported = parc.import_achz(achz(xml[:start] + xml[end:]), name="x")
        assert imported.assessment.item("E2").confirmed_by == ()
        assert "E2: confirmed_by named E1, no longer in the file; the link was dropped." in (
            imported.notices
        )

    def test_unknown_relay_is_dropped(self) -> None:
        """A relay whose source was kept nowhere is dropped, with a notice."""
        e1, e2 = SMALL.evidence
        relayed = attrs.evolve(SMALL, evidence=[e1, attrs.evolve(e2, via=["unused"])])
        xml = re.sub(r"<!--.*?-->", "", xml_of(parc.export_achz(relayed)), flags=re.DOTALL)
        xml = re.sub(r', "via_sources": \[[^\]]*\]', "", xml)
        imported = parc.import_achz(achz(xml), name="x")
        assert imported.assessment.item("E2").via == ()
        assert "E2: via named unused, no longer in the file; the relay was dropped." in (
            imported.notices
        )

    def test_hypothesis_added(self) -> None:
        """A hypothesis added in PARC makes the comment unusable: ids H1.. instead."""
        data = _edit(
            parc.export_achz(SMALL),
            "</HYPOTHESIS>\n    <EVIDENCE>",
            "</HYPOTHESIS><HYPOTHESIS><NAME>Snow.</NAME></HYPOTHESIS>\n    <EVIDENCE>",
        )
        data = _edit(data, "<VALUES>C C,I I</VALUES>", "<VALUES>C C,I I,N</VALUES>")
        data = _edit(data, "<VALUES>I,C</VALUES>", "<VALUES>I,C,NA</VALUES>")
        imported = parc.import_achz(data, name="x")
        assert [h.id for h in imported.assessment.hypotheses] == ["H1", "H2", "H3"]
        assert imported.assessment.item("E1").cell("H3") == Rating.N
        assert any("does not match the matrix's hypotheses" in n for n in imported.notices)

    def test_trailer_damaged(self) -> None:
        """A trailer that is no longer JSON: the item is plain, its NOTES kept whole."""
        data = _edit(parc.export_achz(SMALL), '{"id": "E1"', '{"id": "E1" oops')
        imported = parc.import_achz(data, name="x")
        e1 = imported.assessment.evidence[0]
        assert e1.source == "parc"
        assert e1.notes is not None
        assert e1.notes.startswith(parc.TRAILER_MARKER)
        assert any("what assess kept in its NOTES cannot be used" in n for n in imported.notices)

    def test_trailer_holding_what_parc_holds(self) -> None:
        """Kept data may not override TYPE, DATE or VALUES: the item is read as PARC shows it."""
        data = _edit(parc.export_achz(SMALL), '{"id": "E1", ', '{"id": "E1", "kind": "denial", ')
        imported = parc.import_achz(data, name="x")
        assert imported.assessment.evidence[0].kind == Kind.PHYSICAL
        assert any("it holds kind, which PARC's own elements hold" in n for n in imported.notices)

    def test_name_edited(self) -> None:
        """A NAME edited in PARC replaces a kept exact summary."""
        first = attrs.evolve(SMALL.evidence[0], summary="bell\x07")
        data = parc.export_achz(attrs.evolve(SMALL, evidence=[first, SMALL.evidence[1]]))
        imported = parc.import_achz(
            _edit(data, "<NAME>bell\ufffd</NAME>", "<NAME>Bell</NAME>"), name="x"
        )
        assert imported.assessment.item("E1").summary == "Bell"
        assert "E1: NAME was edited in PARC; the PARC name is the summary." in imported.notices

    def test_title_edited(self) -> None:
        """A PROJECT-TITLE edited in PARC is the title."""
        data = _edit(parc.export_achz(SMALL), "A small assessment</PROJECT", "Rain</PROJECT")
        imported = parc.import_achz(data, name="x")
        assert imported.assessment.title == "Rain"
        assert imported.assessment.id == "small"


# --------------------------------------------------------------------------- the documentation


def test_documented_example() -> None:
    """The example in docs/interchange.md is what export_achz writes for its YAML."""
    text = (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
    yaml_text = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    xml_text = re.search(r"```xml\n(.*?)```", text, re.DOTALL)
    assert yaml_text is not None
    assert xml_text is not None
    assessment = assess.loads(yaml_text.group(1))
    assert xml_of(parc.export_achz(assessment)) == xml_text.group(1)
    imported = parc.import_achz(parc.export_achz(assessment), name="border-strike.achz")
    assert imported.assessment == assessment


# --------------------------------------------------------------------------- refusals


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about a thousandth of the size)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as stream:
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            stream.write(chunk)
    return out.getvalue()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ACH><PROJECT-TITLE>&lol9;</PROJECT-TITLE></ACH>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE ACH [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ACH><PROJECT-TITLE>&secret;</PROJECT-TITLE><MATRIX>
<HYPOTHESIS><NAME>a</NAME></HYPOTHESIS><HYPOTHESIS><NAME>b</NAME></HYPOTHESIS>
</MATRIX></ACH>
"""


class TestHostileFiles:
    """Hostile or broken files are refused quickly with an InputError, never a traceback."""

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (achz(BILLION_LAUGHS), "declares a document type"),
            (achz(EXTERNAL_ENTITY), "declares a document type"),
            (b"PK\x03\x04 not gzip", "not gzip-compressed"),
            (achz(plain_file(item()))[:-12], "truncated"),
            (achz(plain_file(item()))[:30], "truncated"),
            (achz(plain_file(item())) + b"garbage", "data after the end of the gzip stream"),
            (gzip.compress(plain_file(item()).encode("utf-8"), mtime=0), "looks UTF-8"),
            (gzip.compress(b"\x00\x01\x02\x03", mtime=0), "looks not text"),
            (gzip.compress(b"\xff\xfe<\0a", mtime=0), "not valid UTF-16 at byte 4"),
            (achz("<ACH><MATRIX></ACH>"), "the XML is malformed: mismatched tag"),
            (achz("<ACH>&nbsp;</ACH>"), "the XML is malformed: undefined entity"),
        ],
    )
    def test_refused(self, data: bytes, expected: str) -> None:
        """Each is one problem, naming the file and what is wrong."""
        start = time.perf_counter()
        found = problems(data)
        assert time.perf_counter() - start < 2
        assert len(found) == 1
        assert found[0].file == "m.achz"
        assert expected in found[0].message

    def test_corrupt_crc(self) -> None:
        """A checksum that does not match is corrupt data."""
        data = bytearray(achz(plain_file(item())))
        data[-8] ^= 0xFF
        assert "corrupt" in messages(bytes(data))

    def test_external_entity_not_read(self) -> None:
        """Nothing of /etc/passwd reaches the message."""
        assert "root:" not in messages(achz(EXTERNAL_ENTITY))

    def test_gzip_bomb(self) -> None:
        """A file that inflates past MAX_XML_BYTES stops there, quickly."""
        bomb = gzip_bomb(parc.MAX_XML_BYTES + (4 << 20))
        assert len(bomb) < parc.MAX_ACHZ_BYTES
        start = time.perf_counter()
        assert "decompresses to more than 33554432 bytes" in messages(bomb)
        assert time.perf_counter() - start < 5

    @pytest.mark.parametrize("element", ["<a/>", "<!--x-->"])
    def test_too_many_elements(self, element: str) -> None:
        """Many tiny elements (or comments) stop at MAX_ELEMENTS, before a huge tree is built."""
        data = achz(f"<ACH>{element * (parc.MAX_ELEMENTS + 1)}</ACH>")
        start = time.perf_counter()
        assert "more than 200000 elements" in messages(data)
        assert time.perf_counter() - start < 5

    def test_deep_nesting(self) -> None:
        """Deeply nested elements are read without recursion, and found not to be a matrix."""
        depth = parc.MAX_ELEMENTS - 10
        data = achz(f"<ACH>{'<a>' * depth}{'</a>' * depth}</ACH>")
        assert "there is no MATRIX element" in messages(data)

    def test_too_large(self) -> None:
        """A compressed file larger than MAX_ACHZ_BYTES is not even decompressed."""
        assert "larger than" in messages(b"\x1f\x8b" + b"\0" * parc.MAX_ACHZ_BYTES)

    def test_malformed_xml_is_positioned(self) -> None:
        """A parse error has the line and column of the fault."""
        (problem,) = problems(achz("<ACH>\n  <MATRIX><</MATRIX></ACH>"))
        assert (problem.line, problem.column) == (2, 12)

    def test_errors_pickle(self) -> None:
        """The error survives pickling, as all assess errors do."""
        with pytest.raises(assess.InputError) as caught:
            parc.import_achz(b"nope", name="m")
        again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 -- our own bytes
        assert again.problems == caught.value.problems


class TestWrongStructure:
    """A well-formed file that is not a PARC matrix: every problem, each at its element."""

    def test_all_problems_at_once(self) -> None:
        """Wrong VALUES length, unknown tokens, bad credibility and date, missing NAME."""
        data = achz(
            plain_file(
                item(VALUES="C,I,N"),
                item(NAME="Gauge", VALUES="CC,X"),
                item(NAME="Cloud", CREDIBILITY="VERY HIGH", DATE="yesterday"),
                item(NAME=" "),
                "<NAME>a</NAME><NAME>b</NAME>",
            )
        )
        found = [(p.path, p.message) for p in problems(data)]
        assert found == [
            (
                "MATRIX.EVIDENCE[0].VALUES",
                "evidence 1 ('Wet streets.'): VALUES has 3 ratings but the matrix has 2 hypotheses",
            ),
            (
                "MATRIX.EVIDENCE[1].VALUES",
                (
                    "evidence 2 ('Gauge'): VALUES rating 1 is 'CC', not one of 'I I', 'I', 'NA',"
                    " 'N', 'C' and 'C C' (did you mean 'C C'?)"
                ),
            ),
            (
                "MATRIX.EVIDENCE[1].VALUES",
                (
                    "evidence 2 ('Gauge'): VALUES rating 2 is 'X', not one of 'I I', 'I', 'NA',"
                    " 'N', 'C' and 'C C'"
                ),
            ),
            (
                "MATRIX.EVIDENCE[2].CREDIBILITY",
                "evidence 3 ('Cloud'): CREDIBILITY 'VERY HIGH' is not one of HIGH, MEDIUM and LOW",
            ),
            (
                "MATRIX.EVIDENCE[2].DATE",
                (
                    "evidence 3 ('Cloud'): DATE 'yesterday' is not a time in milliseconds since"
                    " 1970-01-01"
                ),
            ),
            (
                "MATRIX.EVIDENCE[3].NAME",
                "evidence 4: NAME is missing or empty; an item needs a summary",
            ),
            ("MATRIX.EVIDENCE[4].NAME", "evidence 5: NAME appears 2 times; expected once"),
        ]

    def test_no_matrix(self) -> None:
        """A file without MATRIX is not a PARC matrix."""
        assert "there is no MATRIX element" in messages(achz("<ACH><PROJECT-TITLE/></ACH>"))

    def test_one_hypothesis(self) -> None:
        """An assessment needs two hypotheses."""
        data = achz(plain_file(item(VALUES="C"), hypotheses=("Only one.",)))
        assert "has 1 HYPOTHESIS elements; an assessment needs at least two" in messages(data)

    def test_empty_hypothesis_name(self) -> None:
        """A hypothesis without a NAME has no statement."""
        data = achz(plain_file(hypotheses=("One.", "")))
        assert "hypothesis 2: NAME is missing or empty" in messages(data)

    def test_date_out_of_range(self) -> None:
        """A DATE beyond year 9999 is refused."""
        data = achz(plain_file(item(DATE="9" * 16)))
        assert "is outside the years 1 to 9999" in messages(data)

    def test_element_holding_elements(self) -> None:
        """Text fields must hold text."""
        data = achz(plain_file(item(NOTES="<B>bold</B>")))
        assert "NOTES holds elements where text was expected" in messages(data)


# --------------------------------------------------------------------------- limits


def kept_notes(data: dict[str, object] | str) -> str:
    """NOTES holding only what assess keeps, for an item of the plain file."""
    text = data if isinstance(data, str) else json.dumps(data)
    return f"{parc.TRAILER_MARKER}\n{text}"


class TestLimits:
    """The caps on elements, attributes and kept JSON, at their edges and in pieces."""

    def test_attributes_count_with_elements(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Three elements and eight attributes are eleven things: one past a cap of ten."""
        _cap(monkeypatch, "MAX_ELEMENTS", 10)
        at_cap = '<ACH a="1" b="2"><e c="3" d="4" e="5"/><f g="6" h="7"/></ACH>'
        assert "there is no MATRIX element" in messages(achz(at_cap))
        over = at_cap.replace('h="7"', 'h="7" i="8"')
        assert "more than 10 elements, attributes and comments" in messages(achz(over))

    def test_unfinished_tag_is_counted_while_it_streams(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A start tag that never ends is refused for its attributes, not later as malformed."""
        _cap(monkeypatch, "MAX_ELEMENTS", 10)
        _cap(monkeypatch, "_CHUNK", 16)
        data = achz('<ACH><e a0="" ' + "".join(f"a{n}='>' " for n in range(1, 11)))
        assert "more than 10 elements, attributes and comments" in messages(data)

    @pytest.mark.parametrize("chunk", [1, 7, 64])
    def test_small_chunks_read_the_same(self, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
        """Fed in pieces that split every tag, comment and trailer, a file reads the same."""
        _cap(monkeypatch, "_CHUNK", chunk)
        data = parc.export_achz(SMALL)
        with_attributes = achz(
            xml_of(data).replace("<MATRIX>", "<MATRIX x = 'a > b' y=\"&quot;\">", 1)
        )
        assert parc.import_achz(data, name="x.achz").assessment == SMALL
        assert parc.import_achz(with_attributes, name="x.achz").assessment == SMALL

    @pytest.mark.parametrize(
        ("kept", "reason"),
        [
            ('{"id": "E1", "n": NaN}', "NaN is not a JSON number"),
            ('{"id": "E1", "n": -Infinity}', "-Infinity is not a JSON number"),
            ('{"id": "E1", "n": 1e999}', "the number '1e999' is too large"),
            ('{"id": "E1", "n": ' + "9" * 641 + "}", "an integer of 641 digits is too long"),
            ('{"id": "E1", "id": "E2"}', "the key 'id' appears twice"),
            ("[" * 30 + "]" * 31, "it is not valid JSON"),
        ],
    )
    def test_kept_json_that_is_not_json(self, kept: str, reason: str) -> None:
        """What no JSON writer makes is damage, not hostility: the item is read from PARC."""
        imported = parc.import_achz(achz(plain_file(item(NOTES=kept_notes(kept)))), name="m")
        assert any(
            "what assess kept in its NOTES cannot be used" in n and reason in n
            for n in imported.notices
        ), imported.notices
        assert imported.assessment.evidence[0].notes == kept_notes(kept)

    def test_json_cap_is_stated_on_export(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Export says when its kept JSON is more than import reads, and import refuses it."""
        _cap(monkeypatch, "MAX_JSON_VALUES", 20)
        monkeypatch.setattr(_interchange, "MAX_JSON_VALUES", 20)
        assert any(
            n.startswith("Size: the file holds 31 elements") and " values of JSON kept" in n
            for n in parc.export_notices(SMALL)
        )
        assert "past 20 values" in messages(parc.export_achz(SMALL))

    def test_lone_surrogate_is_stated_on_export(self) -> None:
        """An assessment built in Python with a lone surrogate is told it will not come back."""
        assessment = attrs.evolve(SMALL, title="Rain \ud800")
        assert any(
            n.startswith("Text: the assessment holds a lone surrogate")
            for n in (parc.export_notices(assessment))
        )
        assert "holds a lone surrogate" in messages(parc.export_achz(assessment))

    def test_no_hint_for_a_token_too_long_to_be_close(self) -> None:
        """The hint is skipped exactly where difflib could not find one."""
        assert _interchange.hint_for("CCCCCCC", parc.RATING_TOKENS.values()) == ""
        assert _interchange.hint_for("CC", parc.RATING_TOKENS.values()) == " (did you mean 'C C'?)"

    def test_hints_stop_at_their_budget(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Past MAX_HINT_COMPARISONS candidates in all, words get no hint."""
        monkeypatch.setattr(_interchange, "MAX_HINT_COMPARISONS", 5)
        hints = _interchange.Hints()
        assert hints("H11", ["H1", "X2", "Y3"]) == " (did you mean 'H1'?)"
        assert hints("H11", ["H1", "X2", "Y3"]) == ""
        assert hints("c", ["C", "N"]) == " (did you mean 'C'?)"


class TestDocumentBuiltOnce:
    """Export and its notices share one build of the document (issue 20, item 9)."""

    def test_export_then_notices_build_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The notices of the assessment just exported reuse its document."""
        built: list[str] = []
        original = writing._build_document

        def counting(assessment: assess.Assessment) -> writing._Document:
            built.append(assessment.id)
            return original(assessment)

        monkeypatch.setattr(writing, "_build_document", counting)
        case = assess.load("assessments/russia-taliban-support.yaml")
        data = parc.export_achz(case)
        notices = parc.export_notices(case)
        assert built == [case.id]
        # Another object, even an equal one, is built afresh: the cache is by identity.
        other = attrs.evolve(case)
        assert parc.export_achz(other) == data
        assert parc.export_notices(other) == notices
        assert built == [case.id, case.id]
