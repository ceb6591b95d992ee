"""Loading files: positions, every problem at once, documents, quotes and the root."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assess
from assess.io.documents import fold
from helpers import run_cli

DOC = (
    "The police chief said seizures of brand new \u201cRussian-made\u201d guns\n"
    "had raised concerns.\n"
)


def write_case(tmp_path: Path, *, quote: str, doc_path: str = "doc.txt") -> Path:
    """An assessment in tmp_path/case/ quoting tmp_path/case/doc.txt."""
    case = tmp_path / "case"
    case.mkdir(exist_ok=True)
    (case / "doc.txt").write_text(DOC, encoding="utf-8")
    file = case / "a.yaml"
    file.write_text(
        f"""\
assessment: a
title: t
hypotheses: [{{id: H1, statement: s}}, {{id: H2, statement: s}}]
sources: [{{id: s1, name: S, reliability: C}}]
documents:
  - id: d1
    path: {doc_path}
evidence:
  - id: E1
    summary: s
    kind: physical
    source: s1
    document: d1
    quote: {quote}
""",
        encoding="utf-8",
    )
    return file


class TestQuotes:
    """A quote must occur in its document, after folding copy-and-paste differences."""

    @pytest.mark.parametrize(
        "quote",
        [
            "seizures of brand new \u201cRussian-made\u201d guns",
            "'seizures of brand new \"Russian-made\" guns'",
            "seizures  of brand new \u201cRussian\u2013made\u201d guns had raised",
            "guns had raised concerns.",
        ],
    )
    def test_folded_quotes_match(self, tmp_path: Path, quote: str) -> None:
        """Typographic quotes, dashes and line breaks do not stop a match."""
        assert assess.load(write_case(tmp_path, quote=quote), root=tmp_path).evidence[0].quote

    def test_missing_quote(self, tmp_path: Path) -> None:
        """A quote not in its document is reported at the quote."""
        file = write_case(tmp_path, quote="seizures of old guns")
        with pytest.raises(assess.InputError) as caught:
            assess.load(file, root=tmp_path)
        [problem] = caught.value.problems
        assert (problem.line, problem.column, problem.path) == (14, 12, "evidence[0].quote")
        assert problem.message == "quote not found in document 'd1': 'seizures of old guns'"
        assert problem.file == str(file)

    def test_case_counts(self, tmp_path: Path) -> None:
        """Folding keeps case: a quote is a quote."""
        with pytest.raises(assess.InputError):
            assess.load(write_case(tmp_path, quote="SEIZURES of brand new"), root=tmp_path)

    @given(st.text(max_size=200))
    def test_fold_is_idempotent(self, text: str) -> None:
        """Folding folded text changes nothing."""
        assert fold(fold(text)) == fold(text)

    @given(st.text(max_size=100), st.text(max_size=100), st.text(max_size=100))
    def test_substrings_still_match_after_folding(self, a: str, b: str, c: str) -> None:
        """Any span of words copied out of a document is found in it."""
        words = (a + " " + b + " " + c).split()
        middle = " ".join(words[1:-1])
        assert fold(middle) in fold(" ".join(words))


class TestRoot:
    """Documents must resolve inside the root directory."""

    def test_outside_root(self, tmp_path: Path) -> None:
        """A path climbing out of the root is refused, at the path."""
        file = write_case(tmp_path, quote="guns", doc_path="../../../../etc/passwd")
        with pytest.raises(assess.InputError) as caught:
            assess.load(file, root=tmp_path)
        [problem] = caught.value.problems
        assert (problem.line, problem.path) == (7, "documents[0].path")
        assert "lies outside the root directory" in problem.message

    def test_absolute_path_outside_root(self, tmp_path: Path) -> None:
        """An absolute path outside the root is refused too."""
        file = write_case(tmp_path, quote="guns", doc_path="/etc/hostname")
        with pytest.raises(assess.InputError, match="outside the root"):
            assess.load(file, root=tmp_path)

    def test_symlink_out_of_root(self, tmp_path: Path) -> None:
        """A symlink inside the root that points outside it is refused."""
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text("guns", encoding="utf-8")
        file = write_case(tmp_path, quote="guns", doc_path="link.txt")
        (file.parent / "link.txt").symlink_to(outside / "secret.txt")
        with pytest.raises(assess.InputError, match="outside the root"):
            assess.load(file, root=file.parent)

    def test_root_defaults_to_current_directory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without root=, the current directory is the root."""
        file = write_case(tmp_path, quote="guns")
        monkeypatch.chdir(file.parent)
        assert assess.load("a.yaml").id == "a"
        monkeypatch.chdir(tmp_path / "case")
        (tmp_path / "elsewhere").mkdir()
        monkeypatch.chdir(tmp_path / "elsewhere")
        with pytest.raises(assess.InputError, match="outside the root"):
            assess.load(file)

    def test_missing_document(self, tmp_path: Path) -> None:
        """A document that does not exist is reported at its path."""
        file = write_case(tmp_path, quote="guns", doc_path="nope.txt")
        with pytest.raises(assess.InputError, match=r"document 'nope\.txt' does not exist"):
            assess.load(file, root=tmp_path)

    def test_verify_documents_in_python(self, tmp_path: Path) -> None:
        """Assessments built in Python check their documents with verify_documents."""
        (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
        built = assess.Assessment(
            id="a",
            title="t",
            hypotheses=[
                assess.Hypothesis(id="H1", statement="s"),
                assess.Hypothesis(id="H2", statement="s"),
            ],
            sources=[assess.Source(id="s1", name="S", reliability="C")],
            documents=[assess.Document(id="d1", path="doc.txt")],
            evidence=[
                assess.Evidence(
                    id="E1", summary="s", kind="physical", source="s1", document="d1", quote="tanks"
                )
            ],
        )
        with pytest.raises(assess.InputError) as caught:
            assess.verify_documents(built, base_dir=tmp_path, root=tmp_path)
        assert [p.path for p in caught.value.problems] == ["evidence[0].quote"]


class TestEveryProblem:
    """All problems of a file are reported in one pass, each at its place."""

    def test_broken_items_do_not_hide_reference_problems(self) -> None:
        """An item with a bad field still has its references checked, and so do the others."""
        text = """\
assessment: a
title: t
hypotheses:
  - {id: H1, statement: s, prior: '0.5'}
  - {id: H1, statement: s}
sources: [{id: s1, name: S, reliability: C}]
evidence:
  - {id: E1, summary: s, kind: physical, source: s2, credibility: 7, ratings: {H3: C}}
  - {id: E2, summary: s, kind: physical, source: s1, derived_from: [E9]}
"""
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        lines = text.splitlines()

        def at(line: int, token: str) -> tuple[int, int]:
            return line, lines[line - 1].index(token) + 1

        assert [(p.line, p.column, p.path) for p in caught.value.problems] == [
            (*at(4, "'0.5'"), "hypotheses[0].prior"),
            (*at(5, "H1"), "hypotheses[1].id"),
            (*at(8, "s2"), "evidence[0].source"),
            (*at(8, "7"), "evidence[0].credibility"),
            (*at(8, "H3"), "evidence[0].ratings.H3"),
            (*at(9, "E9"), "evidence[1].derived_from[0]"),
        ]

    def test_missing_key_points_at_parent(self) -> None:
        """A missing key is reported at the mapping that lacks it."""
        text = "assessment: a\ntitle: t\nhypotheses:\n  - id: H1\n  - {id: H2, statement: s}\n"
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        [problem] = caught.value.problems
        assert (problem.line, problem.column, problem.path) == (4, 5, "hypotheses[0]")
        assert problem.message == "missing required key 'statement'"

    def test_unknown_key_suggests(self) -> None:
        """An unknown key is reported at the key with a close known key."""
        text = "assessment: a\ntitel: t\nhypotheses: [{id: H1, statment: s}]\n"
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        messages = {(p.line, p.column): p.message for p in caught.value.problems}
        assert messages[(2, 1)] == "unknown key 'titel' (did you mean 'title'?)"
        assert messages[(3, 23)] == "unknown key 'statment' (did you mean 'statement'?)"

    def test_rendered_with_caret(self, tmp_path: Path) -> None:
        """The printed form shows the file, position, source line and a caret."""
        file = tmp_path / "x.yaml"
        file.write_text("assessment: Bad_Id\ntitle: t\n", encoding="utf-8")
        with pytest.raises(assess.InputError) as caught:
            assess.load(file)
        first = str(caught.value).splitlines()[:3]
        assert first == [
            f"{file}:1:1: error: missing required key 'hypotheses'",
            "    assessment: Bad_Id",
            "    ^",
        ]

    @pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
    def test_empty_file(self, text: str) -> None:
        """An empty file is a clear problem at 1:1 (for editors to jump to), not a crash."""
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text, name="case.yaml")
        (problem,) = caught.value.problems
        message = "the file is empty; an assessment is a YAML mapping"
        assert (problem.line, problem.column, problem.message) == (1, 1, message)
        assert str(caught.value).startswith(f"case.yaml:1:1: error: {message}")

    def test_top_level_list(self) -> None:
        """A list at the top level is refused with its position."""
        with pytest.raises(assess.InputError, match="expected a mapping at the top level"):
            assess.loads("- a\n- b\n")


class TestFiles:
    """Reading files."""

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a ReadError, not an InputError."""
        with pytest.raises(assess.ReadError, match="no such file"):
            assess.load(tmp_path / "nope.yaml")

    def test_directory(self, tmp_path: Path) -> None:
        """A directory is a ReadError."""
        with pytest.raises(assess.ReadError, match="is a directory"):
            assess.load(tmp_path)

    @pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
    def test_unreadable(self, tmp_path: Path) -> None:
        """A file without read permission is a ReadError."""
        file = tmp_path / "x.yaml"
        file.write_text("a: b\n", encoding="utf-8")
        file.chmod(0)
        with pytest.raises(assess.ReadError, match="cannot read"):
            assess.load(file)

    def test_byte_order_mark(self) -> None:
        """A UTF-8 byte-order mark is accepted."""
        text = (
            "assessment: a\ntitle: t\n"
            "hypotheses: [{id: H1, statement: s}, {id: H2, statement: s}]\n"
        )
        assert assess.loads(b"\xef\xbb\xbf" + text.encode()).id == "a"


SMALL = "assessment: a\ntitle: t\nhypotheses: [{id: H1, statement: s}, {id: H2, statement: s}]\n"


class TestSizeCap:
    """``max_bytes`` and ``--max-bytes``: the largest assessment file read."""

    def test_file_over_the_cap(self, tmp_path: Path) -> None:
        """A file one byte over the cap is refused at 1:1; at the cap it loads."""
        file = tmp_path / "a.yaml"
        file.write_text(SMALL, encoding="utf-8")
        size = len(SMALL.encode())
        assert assess.load(file, max_bytes=size).id == "a"
        with pytest.raises(assess.InputError) as caught:
            assess.load(file, max_bytes=size - 1)
        (problem,) = caught.value.problems
        assert (problem.line, problem.column) == (1, 1)
        assert problem.message == f"the file is larger than {size - 1} bytes"

    def test_text_over_the_cap(self) -> None:
        """Text is measured in characters, bytes in bytes."""
        assert assess.loads(SMALL, max_bytes=len(SMALL)).id == "a"
        with pytest.raises(assess.InputError, match="the text is longer than 10 characters"):
            assess.loads(SMALL, max_bytes=10)
        with pytest.raises(assess.InputError, match="the file is larger than 10 bytes"):
            assess.loads(SMALL.encode(), max_bytes=10)

    @pytest.mark.parametrize("cap", [0, -1, True, 1.5, "100"])
    def test_bad_cap(self, tmp_path: Path, cap: object) -> None:
        """A cap that is not a whole number of at least 1 is a ValueError, before any reading."""
        with pytest.raises(ValueError, match="max_bytes must be a whole number of at least 1"):
            assess.load(tmp_path / "never-read.yaml", max_bytes=cap)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="max_bytes must be a whole number of at least 1"):
            assess.loads(SMALL, max_bytes=cap)  # type: ignore[arg-type]

    def test_command_line(self, tmp_path: Path) -> None:
        """``--max-bytes N`` caps the file a command reads; a bad N is a usage error."""
        file = tmp_path / "a.yaml"
        file.write_text(SMALL, encoding="utf-8")
        size = len(SMALL.encode())
        status, out, _ = run_cli("validate", "--max-bytes", str(size), str(file))
        assert (status, out.startswith(f"{file}: ok")) == (0, True)
        status, _, err = run_cli("validate", "--max-bytes", str(size - 1), str(file))
        assert status == 1
        assert f"{file}:1:1: error: the file is larger than {size - 1} bytes" in err
        status, _, err = run_cli("score", str(file), "--max-bytes", str(size - 1))
        assert status == 1
        assert "larger than" in err
        for bad in ("0", "-5", "lots"):
            status, _, err = run_cli("validate", "--max-bytes", bad, str(file))
            assert status == 2
            assert "--max-bytes" in err


class TestSecondModelFields:
    """The second evidence model's keys load, and their problems are placed."""

    TEXT = """\
assessment: a
title: t
hypotheses:
  - {id: H1, statement: s, answer: yes}
  - {id: H2, statement: s, answer: no}
  - {id: H3, statement: s, answer: no}
sources:
  - {id: mfa, name: Ministry, reliability: D, interested: true, party: government}
  - {id: tass, name: TASS, reliability: D, party: government}
  - {id: wire, name: Wire, reliability: B}
evidence:
  - {id: E1, summary: s, kind: statement, source: mfa, via: [tass, wire], ratings: {H1: I}}
  - {id: E2, summary: s, kind: report, source: wire, confirmed_by: [E1], ratings: {H1: C}}
scoring:
  fidelity: {D: 0.4}
  reliability_values: {F: 0.2}
  credibility_values: {1: 0.9, 6: 0.2}
  dependence: {same_source: 0.3, same_party: 0.6}
  prior_concentration: 20
  likelihood_jitter: 0.05
  confidence: {high_weight: 30, moderate_weight: 12, high_interested_share: 0.2}
"""

    def test_every_key_loads(self) -> None:
        """Every new key is read into its field, grade keys as grades."""
        a = assess.loads(self.TEXT)
        assert [h.answer for h in a.hypotheses] == ["yes", "no", "no"]
        assert a.source("tass").party == "government"
        assert a.item("E1").via == ("tass", "wire")
        assert a.item("E2").confirmed_by == ("E1",)
        scoring = a.scoring
        assert scoring.fidelity[assess.Reliability.D] == 0.4
        assert scoring.reliability_values[assess.Reliability.F] == 0.2
        assert scoring.credibility_values[assess.Credibility.CONFIRMED] == 0.9
        assert scoring.credibility_values[assess.Credibility.CANNOT_BE_JUDGED] == 0.2
        assert (scoring.dependence.same_source, scoring.dependence.same_party) == (0.3, 0.6)
        assert (scoring.prior_concentration, scoring.likelihood_jitter) == (20.0, 0.05)
        assert scoring.confidence.high_weight == 30.0
        assert scoring.confidence.high_interested_share == 0.2
        assert scoring.confidence.high_support == 3

    def test_answers_yes_and_no_are_text(self) -> None:
        """``answer: yes`` is the text 'yes' (YAML 1.2), not a boolean."""
        assert assess.loads(self.TEXT).hypothesis("H1").answer == "yes"

    def test_problems_are_placed(self) -> None:
        """Reference and range problems point at the entry in the file."""
        text = (
            self.TEXT.replace("via: [tass, wire]", "via: [tass, mfa, tass, tas]")
            .replace("confirmed_by: [E1]", "confirmed_by: [E2]")
            .replace("same_party: 0.6", "same_party: 1.6")
            .replace("high_weight: 30", "high_weight: 3")
            .replace("{1: 0.9, 6: 0.2}", "{1: 0.9, 0: 0.2}")
        )
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        lines = text.splitlines()

        def at(line: int, token: str, start: int = 0) -> tuple[int, int]:
            return line, lines[line - 1].index(token, start) + 1

        via = lines[11].index("via")
        assert [(p.line, p.column, p.path, p.message) for p in caught.value.problems] == [
            (
                *at(12, "mfa", via),
                "evidence[0].via[1]",
                "via lists 'mfa', the item's own source; list only the relays",
            ),
            (*at(12, "tass", via + 12), "evidence[0].via[2]", "via lists 'tass' twice"),
            (
                *at(12, "tas]"),
                "evidence[0].via[3]",
                "unknown source 'tas' (did you mean 'tass'?)",
            ),
            (*at(13, "E2]"), "evidence[1].confirmed_by[0]", "E2 cannot confirm itself"),
            (
                *at(17, "0: 0.2"),
                "scoring.credibility_values.0",
                "credibility_values is keyed by credibility grade 1, 2, 3, 4, 5, 6; got '0'",
            ),
            (*at(18, "1.6"), "scoring.dependence.same_party", "must be in [0, 1], got 1.6"),
            (
                *at(21, "3,"),
                "scoring.confidence.high_weight",
                (
                    "high confidence cannot need less weight than moderate:"
                    " high_weight is 3, moderate_weight 12"
                ),
            ),
        ]

    def test_broken_items_still_have_relays_checked(self) -> None:
        """A broken item elsewhere does not hide a relay problem."""
        text = self.TEXT.replace("kind: report", "kind: rapport").replace(
            "via: [tass, wire]", "via: [nobody]"
        )
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        assert [p.path for p in caught.value.problems] == [
            "evidence[0].via[0]",
            "evidence[1].kind",
        ]


ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    [*ROOT.glob("assessments/**/*.yaml"), *(ROOT / "tests" / "data").glob("*/*.yaml")],
)
# bad/ holds broken files; history/ files read their documents from where they lived.
SHIPPED = [path for path in SHIPPED if path.parent.name not in {"bad", "history"}]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED])
def test_shipped_files_load_without_warnings(path: Path) -> None:
    """Every shipped assessment (the bad-file corpus aside) loads, with no warning raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assess.load(path, root=ROOT)
