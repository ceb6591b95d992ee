"""The typed model: grades, construction in Python, and its errors."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import assess
from assess.model import ConfidenceRule, Dependence, Outcome
from assess.model import assessment as model
from assess.model.frozenmap import FrozenMap
from strategies import assessments


def hypotheses() -> list[assess.Hypothesis]:
    """Two plain hypotheses."""
    return [
        assess.Hypothesis(id="H1", statement="It happened."),
        assess.Hypothesis(id="H2", statement="It did not."),
    ]


def source() -> assess.Source:
    """One source graded B."""
    return assess.Source(id="s1", name="Source", reliability="B")


class TestGrades:
    """The grades and their standard wording."""

    def test_reliability_labels(self) -> None:
        """A-F carry the STANAG 2511 labels."""
        assert [r.label for r in assess.Reliability] == [
            "completely reliable",
            "usually reliable",
            "fairly reliable",
            "not usually reliable",
            "unreliable",
            "reliability cannot be judged",
        ]

    def test_credibility_labels(self) -> None:
        """1-6 carry the STANAG 2511 labels."""
        assert [c.label for c in assess.Credibility] == [
            "confirmed by other sources",
            "probably true",
            "possibly true",
            "doubtful",
            "improbable",
            "truth cannot be judged",
        ]
        assert [int(c) for c in assess.Credibility] == [1, 2, 3, 4, 5, 6]

    def test_ratings(self) -> None:
        """Heuer's ratings and NA, in order from most to least consistent."""
        assert [r.value for r in assess.Rating] == ["CC", "C", "N", "I", "II", "NA"]
        assert assess.Rating.II.label == "very inconsistent"

    def test_other_enumerations(self) -> None:
        """Relevance, kinds and assumption statuses are the documented words."""
        assert [r.value for r in assess.Relevance] == ["low", "medium", "high"]
        assert [k.value for k in assess.Kind] == [
            "physical",
            "testimony",
            "statement",
            "denial",
            "report",
            "analysis",
            "assumption",
        ]
        assert [s.value for s in assess.AssumptionStatus] == [
            "supported",
            "caveated",
            "unsupported",
        ]


class TestBuildingInPython:
    """An assessment is as easy to build in Python as to load, and refused for the same reasons."""

    def test_plain_values_are_converted(self) -> None:
        """Strings, ints, lists and dicts become grades, tuples and frozen maps."""
        item = assess.Evidence(
            id="E1",
            summary="Seen.",
            kind="physical",
            source="s1",
            credibility=2,
            relevance="high",
            date="2016-12-09",
            derived_from=["E0"],
            ratings={"H1": "C", "H2": "NA"},
        )
        assert item.kind is assess.Kind.PHYSICAL
        assert item.credibility is assess.Credibility.PROBABLY_TRUE
        assert item.relevance is assess.Relevance.HIGH
        assert item.date == dt.date(2016, 12, 9)
        assert item.derived_from == ("E0",)
        assert item.ratings == {"H1": assess.Rating.C}
        assert item.rating("H2") is assess.Rating.NA

    def test_defaults(self) -> None:
        """Credibility defaults to 6, relevance to medium; likelihoods to the documented table."""
        item = assess.Evidence(id="E1", summary="Seen.", kind="report", source="s1")
        assert item.credibility is assess.Credibility.CANNOT_BE_JUDGED
        assert item.relevance is assess.Relevance.MEDIUM
        assert dict(assess.Scoring().likelihoods) == {
            "CC": 0.95,
            "C": 0.80,
            "N": 0.50,
            "I": 0.20,
            "II": 0.05,
        }

    def test_partial_likelihoods_complete_from_defaults(self) -> None:
        """Overriding one likelihood keeps the others."""
        table = assess.Scoring(likelihoods={"CC": 0.9}).likelihoods
        assert table[assess.Rating.CC] == 0.9
        assert table[assess.Rating.II] == 0.05

    def test_all_field_problems_at_once(self) -> None:
        """Every bad field of one object is reported in one InputError, sorted by path."""
        with pytest.raises(assess.InputError) as caught:
            assess.Evidence(
                id="e 1",
                summary=" ",
                kind="phys",
                source=3,  # type: ignore[arg-type]
                credibility=True,
                ratings={"H1": "X"},
            )
        assert [(p.path, p.message) for p in caught.value.problems] == [
            (
                "credibility",
                "expected a credibility grade, one of 1, 2, 3, 4, 5, 6; got a boolean (true)",
            ),
            (
                "id",
                (
                    "'e 1' is not a valid id: use 1-64 letters, digits, '-', '_' or '.',"
                    " starting and ending with a letter or digit"
                ),
            ),
            (
                "kind",
                (
                    "expected an evidence kind, one of physical, testimony, statement, denial,"
                    " report, analysis, assumption; got the string 'phys'"
                    " (did you mean 'physical'?)"
                ),
            ),
            ("ratings.H1", "expected a rating, one of CC, C, N, I, II, NA; got the string 'X'"),
            ("source", "expected an id (text), got an integer (3)"),
            ("summary", "must not be empty"),
        ]

    def test_same_messages_as_the_loader(self) -> None:
        """A cross-reference problem reads the same from Python as from YAML."""
        item = assess.Evidence(
            id="E1", summary="s", kind="report", source="s1", ratings={"H9": "C"}
        )
        with pytest.raises(assess.InputError) as in_python:
            assess.Assessment(
                id="a", title="t", hypotheses=hypotheses(), sources=[source()], evidence=[item]
            )
        text = """\
assessment: a
title: t
hypotheses: [{id: H1, statement: It happened.}, {id: H2, statement: It did not.}]
sources: [{id: s1, name: Source, reliability: B}]
evidence: [{id: E1, summary: s, kind: report, source: s1, ratings: {H9: C}}]
"""
        with pytest.raises(assess.InputError) as in_yaml:
            assess.loads(text)
        expected = [("evidence[0].ratings.H9", "unknown hypothesis 'H9'")]
        assert [(p.path, p.message) for p in in_python.value.problems] == expected
        assert [(p.path, p.message) for p in in_yaml.value.problems] == expected
        assert in_python.value.problems[0].line is None
        assert in_yaml.value.problems[0].line == 5

    def test_priors_all_or_none(self) -> None:
        """Giving some priors but not all is refused."""
        with pytest.raises(assess.InputError, match="no prior for H2"):
            assess.Assessment(
                id="a",
                title="t",
                hypotheses=[
                    assess.Hypothesis(id="H1", statement="s", prior=1.0),
                    assess.Hypothesis(id="H2", statement="s"),
                ],
            )

    def test_priors_sum_shown(self) -> None:
        """Priors that do not sum to 1 are refused, and the message shows the sum."""
        with pytest.raises(assess.InputError, match=r"they sum to 0\.9"):
            assess.Assessment(
                id="a",
                title="t",
                hypotheses=[
                    assess.Hypothesis(id="H1", statement="s", prior=0.5),
                    assess.Hypothesis(id="H2", statement="s", prior=0.4),
                ],
            )

    def test_priors_within_tolerance(self) -> None:
        """Priors of thirds written to many places are accepted (sum within 1e-9)."""
        third = 0.3333333333
        assess.Assessment(
            id="a",
            title="t",
            hypotheses=[
                assess.Hypothesis(id=f"H{i}", statement="s", prior=p)
                for i, p in enumerate([third, third, 1 - 2 * third])
            ],
        )

    def test_cycle(self) -> None:
        """A derived_from cycle is reported once, at its first-declared member."""
        items = [
            assess.Evidence(id="E1", summary="s", kind="report", source="s1", derived_from=["E3"]),
            assess.Evidence(id="E2", summary="s", kind="report", source="s1", derived_from=["E1"]),
            assess.Evidence(id="E3", summary="s", kind="report", source="s1", derived_from=["E2"]),
        ]
        with pytest.raises(assess.InputError) as caught:
            assess.Assessment(
                id="a", title="t", hypotheses=hypotheses(), sources=[source()], evidence=items
            )
        assert [(p.path, p.message) for p in caught.value.problems] == [
            ("evidence[0].derived_from", "derived_from links form a cycle: E1 -> E3 -> E2 -> E1")
        ]

    def test_long_chain_is_not_a_cycle(self) -> None:
        """A chain of 5,000 derivations is checked without recursion limits."""
        items = [assess.Evidence(id="E0", summary="s", kind="report", source="s1")]
        items += [
            assess.Evidence(
                id=f"E{i}", summary="s", kind="report", source="s1", derived_from=[f"E{i - 1}"]
            )
            for i in range(1, 5000)
        ]
        built = assess.Assessment(
            id="a", title="t", hypotheses=hypotheses(), sources=[source()], evidence=items
        )
        assert len(built.evidence) == 5000

    def test_lookup_by_id(self) -> None:
        """Parts can be looked up by id; an unknown id is a KeyError."""
        built = assess.Assessment(id="a", title="t", hypotheses=hypotheses(), sources=[source()])
        assert built.hypothesis("H2").statement == "It did not."
        assert built.source("s1").reliability is assess.Reliability.B
        with pytest.raises(KeyError, match="no evidence item with id 'E1'"):
            built.item("E1")

    def test_frozen(self) -> None:
        """Model objects cannot be changed after they are built."""
        h = assess.Hypothesis(id="H1", statement="s")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            h.statement = "t"  # type: ignore[misc]


class TestPickling:
    """Model objects and errors survive pickling (for multiprocessing and caches)."""

    @given(assessments())
    def test_assessments(self, assessment: assess.Assessment) -> None:
        """An assessment pickles to an equal assessment with an equal hash."""
        back = pickle.loads(pickle.dumps(assessment))  # noqa: S301 -- our own bytes
        assert back == assessment
        assert hash(back) == hash(assessment)

    def test_input_error(self) -> None:
        """InputError keeps its problems through pickling."""
        error = assess.InputError(
            [assess.Problem("bad", ("evidence", 3, "ratings", "H2"), "f.yaml", 4, 5, "line")]
        )
        back = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own bytes
        assert back.problems == error.problems
        assert str(back) == str(error)

    def test_read_error(self) -> None:
        """ReadError keeps its path and reason through pickling."""
        error = assess.ReadError("f.yaml", "no such file")
        back = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own bytes
        assert (back.path, back.reason) == ("f.yaml", "no such file")


class TestErrors:
    """Error classes fit both the library's hierarchy and Python's."""

    def test_hierarchy(self) -> None:
        """InputError is a ValueError, ReadError an OSError, both AssessErrors."""
        assert issubclass(assess.InputError, assess.AssessError)
        assert issubclass(assess.InputError, ValueError)
        assert issubclass(assess.ReadError, assess.AssessError)
        assert issubclass(assess.ReadError, OSError)

    def test_problem_rendering(self) -> None:
        """A problem prints FILE:LINE:COL, the path, the source line and a caret."""
        problem = assess.Problem(
            "bad rating", ("evidence", 3, "ratings", "H2"), "f.yaml", 7, 12, "    ratings: {H2: X}"
        )
        assert str(problem) == (
            "f.yaml:7:12: error: evidence[3].ratings.H2: bad rating\n"
            "        ratings: {H2: X}\n"
            "               ^"
        )
        assert assess.Problem("bad", ("id",)).headline() == "error: id: bad"


class TestRatings:
    """An explicit NA rating is the same content as a missing one."""

    def test_explicit_na_equals_missing(self) -> None:
        """Ratings differing only in explicit NAs are equal and hash alike."""
        with_na = assess.Evidence(
            id="E1", summary="s", kind="report", source="s1", ratings={"H1": "C", "H2": "NA"}
        )
        without = assess.Evidence(
            id="E1", summary="s", kind="report", source="s1", ratings={"H1": "C"}
        )
        assert with_na == without
        assert hash(with_na) == hash(without)
        assert with_na.ratings.informative() == {"H1": assess.Rating.C}
        assert "H2" in with_na.ratings  # kept, so a misspelt id is still checked

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["H1", "H2", "H3"]),
                st.sampled_from(list(assess.Rating))
                | st.dictionaries(
                    st.sampled_from(["ann", "bob"]),
                    st.sampled_from(list(assess.Rating)),
                    min_size=1,
                ),
            ),
            max_size=3,
            unique_by=lambda cell: cell[0],
        ),
        st.lists(st.sampled_from(list(assess.Rating)), min_size=3, max_size=3),
        st.booleans(),
    )
    def test_equal_by_codes_as_by_cells(
        self,
        cells: list[tuple[str, assess.Rating | dict[str, assess.Rating]]],
        others: list[assess.Rating],
        same_keys: bool,
    ) -> None:
        """
        Equality read from the codes (same keys in the same order, single ratings) is the cells'.

        The reference is the mappings of informative cells compared as dicts.
        """
        written: list[tuple[str, model.Cell]] = [
            (key, model.AnalystRatings(cell) if isinstance(cell, dict) else cell)
            for key, cell in cells
        ]
        a = model.Ratings(written)
        b = model.Ratings(
            [(key, others[k]) for k, (key, _) in enumerate(cells)]
            if same_keys
            else list(zip(["H1", "H2", "H3"], others, strict=True))
        )
        for x, y in ((a, b), (b, a), (a, model.Ratings(written))):
            assert (x == y) == (x.informative() == y.informative())


class TestFrozenMap:
    """The immutable mapping behind ratings and likelihoods."""

    def test_equality_ignores_order(self) -> None:
        """Two maps with the same items are equal and hash alike, whatever their order."""
        a = FrozenMap({"H1": 1, "H2": 2})
        b = FrozenMap({"H2": 2, "H1": 1})
        assert a == b
        assert hash(a) == hash(b)
        assert a == {"H1": 1, "H2": 2}
        assert list(a) == ["H1", "H2"]

    def test_read_only(self) -> None:
        """A FrozenMap has no way to change it."""
        a: FrozenMap[str, int] = FrozenMap({"k": 1})
        with pytest.raises(TypeError):
            a["k"] = 2  # type: ignore[index]


class TestOutcome:
    """The optional outcome block: the hypothesis that proved true, and what settled it."""

    def test_plain_values_are_converted(self) -> None:
        """A date written as text becomes a date; the date may be left out."""
        outcome = Outcome(hypothesis="H2", date="2019-05-01", evidence="The inquiry's report.")
        assert outcome.date == dt.date(2019, 5, 1)
        assert Outcome(hypothesis="H2", evidence="The inquiry's report.").date is None

    def test_field_problems_at_once(self) -> None:
        """Every wrong field of an outcome is reported together, with the loader's words."""
        with pytest.raises(assess.InputError) as caught:
            Outcome(hypothesis=2, date="2019-02-30", evidence=" ")  # type: ignore[arg-type]
        assert [(p.path, p.message) for p in caught.value.problems] == [
            ("date", "2019-02-30 is not a date in the calendar"),
            ("evidence", "must not be empty"),
            ("hypothesis", "expected an id (text), got an integer (2)"),
        ]

    def test_unknown_hypothesis_same_as_loader(self) -> None:
        """An outcome naming an undeclared hypothesis reads the same from Python and YAML."""
        with pytest.raises(assess.InputError) as in_python:
            assess.Assessment(
                id="a",
                title="t",
                hypotheses=hypotheses(),
                outcome=Outcome(hypothesis="H3", evidence="e"),
            )
        text = """\
assessment: a
title: t
hypotheses: [{id: H1, statement: It happened.}, {id: H2, statement: It did not.}]
outcome: {hypothesis: H3, evidence: e}
"""
        with pytest.raises(assess.InputError) as in_yaml:
            assess.loads(text)
        expected = [("outcome.hypothesis", "unknown hypothesis 'H3'")]
        assert [(p.path, p.message) for p in in_python.value.problems] == expected
        assert [(p.path, p.message) for p in in_yaml.value.problems] == expected
        assert (in_yaml.value.problems[0].line, in_yaml.value.problems[0].column) == (4, 23)

    def test_outcome_must_be_an_outcome(self) -> None:
        """Anything but an Outcome (or None) in the outcome field is refused."""
        with pytest.raises(assess.InputError, match="expected an Outcome, got a mapping"):
            assess.Assessment(
                id="a",
                title="t",
                hypotheses=hypotheses(),
                outcome={"hypothesis": "H1", "evidence": "e"},  # type: ignore[arg-type]
            )

    def test_null_outcome_is_no_outcome(self) -> None:
        """``outcome:`` written empty, null or ~ is the same as leaving it out."""
        base = """\
assessment: a
title: t
hypotheses: [{id: H1, statement: It happened.}, {id: H2, statement: It did not.}]
"""
        without = assess.loads(base)
        assert without.outcome is None
        for empty in ("outcome:\n", "outcome: null\n", "outcome: ~\n"):
            assert assess.loads(base + empty) == without


def problems_of(build: object) -> list[tuple[str, str]]:
    """The (path, message) pairs that building raises, for ``pytest.raises`` blocks."""
    assert isinstance(build, pytest.ExceptionInfo)
    error = build.value
    assert isinstance(error, assess.InputError)
    return [(p.path, p.message) for p in error.problems]


def two_sources() -> list[assess.Source]:
    """Two sources of one party."""
    return [
        assess.Source(id="mfa", name="Ministry", reliability="D", party="government"),
        assess.Source(id="wire", name="Wire", reliability="B"),
    ]


class TestEvidenceModel2:
    """The fields of the second evidence model: parties, relays, confirmation, answers, tables."""

    def test_defaults(self) -> None:
        """Every new field has a default that leaves an existing file as it was."""
        assert assess.Source(id="s", name="n", reliability="A").party is None
        item = assess.Evidence(id="E1", summary="s", kind="report", source="s1")
        assert item.via == ()
        assert item.confirmed_by == ()
        assert assess.Hypothesis(id="H1", statement="s").answer is None
        scoring = assess.Scoring()
        assert scoring.fidelity == model.DEFAULT_FIDELITY
        assert dict(scoring.fidelity) == {
            "A": 1.0,
            "B": 0.9,
            "C": 0.75,
            "D": 0.5,
            "E": 0.25,
            "F": 0.5,
        }
        assert dict(scoring.reliability_values) == {
            "A": 1.0,
            "B": 0.75,
            "C": 0.5,
            "D": 0.25,
            "E": 0.0,
            "F": 0.25,
        }
        assert {int(k): v for k, v in scoring.credibility_values.items()} == {
            1: 1.0,
            2: 0.75,
            3: 0.5,
            4: 0.25,
            5: 0.0,
            6: 0.25,
        }
        assert scoring.dependence == Dependence(same_source=0.2, same_party=0.5)
        assert scoring.prior_concentration == 50.0
        assert scoring.likelihood_jitter == 0.1
        rule = ConfidenceRule()
        assert (rule.high_weight, rule.moderate_weight) == (20.0, 10.0)
        assert (rule.high_interested_share, rule.moderate_interested_share) == (0.25, 0.5)
        assert (rule.high_support, rule.moderate_support) == (3, 2)

    def test_tables_complete_from_defaults(self) -> None:
        """A grade table given in part keeps the other grades' defaults; keys are converted."""
        scoring = assess.Scoring(
            fidelity={"B": 0.8},
            reliability_values={assess.Reliability.F: 0},
            credibility_values={6: 0.1},
        )
        assert scoring.fidelity[assess.Reliability.B] == 0.8
        assert scoring.fidelity[assess.Reliability.A] == 1.0
        assert scoring.reliability_values[assess.Reliability.F] == 0.0
        assert isinstance(scoring.reliability_values[assess.Reliability.F], float)
        assert scoring.credibility_values[assess.Credibility.CANNOT_BE_JUDGED] == 0.1
        from_yaml = assess.Scoring(credibility_values={"5": 0.05})  # YAML keys are text
        assert from_yaml.credibility_values[assess.Credibility.IMPROBABLE] == 0.05
        assert scoring.credibility_values[assess.Credibility.CONFIRMED] == 1.0

    def test_table_problems(self) -> None:
        """Values outside [0, 1], unknown grades and non-numbers are refused, each at its key."""
        with pytest.raises(assess.InputError) as caught:
            assess.Scoring(
                fidelity={"A": 1.5, "G": 0.1},
                credibility_values={7: 0.5, 1: "high"},  # type: ignore[arg-type]
            )
        assert problems_of(caught) == [
            ("credibility_values.1", "expected a number, got the string 'high'"),
            (
                "credibility_values.7",
                (
                    "credibility_values is keyed by credibility grade 1, 2, 3, 4, 5, 6;"
                    " got an integer (7)"
                ),
            ),
            ("fidelity.A", "must be in [0, 1], got 1.5"),
            (
                "fidelity.G",
                "fidelity is keyed by reliability grade A, B, C, D, E, F; got 'G'",
            ),
        ]

    def test_scalar_problems(self) -> None:
        """Concentration above 0 and finite; jitter in [0, 1); dependence in [0, 1]."""
        with pytest.raises(assess.InputError) as caught:
            assess.Scoring(prior_concentration=0, likelihood_jitter=1)
        assert problems_of(caught) == [
            ("likelihood_jitter", "must be in [0, 1), got 1"),
            ("prior_concentration", "must be a finite number above 0, got 0"),
        ]
        with pytest.raises(assess.InputError, match="must be a finite number above 0, got inf"):
            assess.Scoring(prior_concentration=float("inf"))
        with pytest.raises(assess.InputError) as caught:
            Dependence(same_source=-0.1, same_party=True)
        assert problems_of(caught) == [
            ("same_party", "expected a number, got a boolean (true)"),
            ("same_source", "must be in [0, 1], got -0.1"),
        ]
        with pytest.raises(assess.InputError, match="expected a Dependence, got a mapping"):
            assess.Scoring(dependence={"same_source": 0.1})  # type: ignore[arg-type]

    def test_confidence_weights(self) -> None:
        """Weights are finite and not negative, and high needs at least moderate's weight."""
        assert ConfidenceRule(high_weight=10, moderate_weight=10).high_weight == 10.0
        with pytest.raises(assess.InputError) as caught:
            ConfidenceRule(high_weight=5)
        assert problems_of(caught) == [
            (
                "high_weight",
                (
                    "high confidence cannot need less weight than moderate:"
                    " high_weight is 5, moderate_weight 10"
                ),
            )
        ]
        with pytest.raises(assess.InputError) as caught:
            ConfidenceRule(moderate_weight=-1, high_interested_share=2)
        assert problems_of(caught) == [
            ("high_interested_share", "must be in [0, 1], got 2"),
            ("moderate_weight", "must be a finite number of at least 0, got -1"),
        ]

    def test_party_is_an_id(self) -> None:
        """A party is written like any other id."""
        with pytest.raises(assess.InputError, match="'the government' is not a valid id"):
            assess.Source(id="s", name="n", reliability="A", party="the government")

    def test_via_references(self) -> None:
        """Relays must be declared sources, each once, and not the item's own source."""
        item = assess.Evidence(
            id="E1", summary="s", kind="report", source="mfa", via=["wire", "mfa", "wire", "tass"]
        )
        with pytest.raises(assess.InputError) as caught:
            assess.Assessment(
                id="a", title="t", hypotheses=hypotheses(), sources=two_sources(), evidence=[item]
            )
        assert problems_of(caught) == [
            ("evidence[0].via[1]", "via lists 'mfa', the item's own source; list only the relays"),
            ("evidence[0].via[2]", "via lists 'wire' twice"),
            ("evidence[0].via[3]", "unknown source 'tass'"),
        ]

    def test_confirmed_by_references(self) -> None:
        """Confirming items must exist, each once, and not be the item itself."""
        items = [
            assess.Evidence(
                id="E1",
                summary="s",
                kind="report",
                source="wire",
                confirmed_by=["E2", "E1", "E2", "E9"],
            ),
            assess.Evidence(id="E2", summary="s", kind="report", source="mfa", confirmed_by=["E1"]),
        ]
        with pytest.raises(assess.InputError) as caught:
            assess.Assessment(
                id="a", title="t", hypotheses=hypotheses(), sources=two_sources(), evidence=items
            )
        assert problems_of(caught) == [
            ("evidence[0].confirmed_by[1]", "E1 cannot confirm itself"),
            ("evidence[0].confirmed_by[2]", "confirmed_by lists 'E2' twice"),
            ("evidence[0].confirmed_by[3]", "unknown evidence item 'E9'"),
        ]

    def test_a_valid_chain(self) -> None:
        """Relays and confirmations that refer to what exists make a valid assessment."""
        items = [
            assess.Evidence(id="E1", summary="s", kind="report", source="mfa", via=["wire"]),
            assess.Evidence(
                id="E2", summary="s", kind="report", source="wire", confirmed_by=["E1"]
            ),
        ]
        built = assess.Assessment(
            id="a", title="t", hypotheses=hypotheses(), sources=two_sources(), evidence=items
        )
        assert built.item("E1").via == ("wire",)
        assert built.source("mfa").party == "government"

    @pytest.mark.parametrize(
        ("answer", "message"),
        [
            ("", "must not be empty"),
            ("yes\nno", "an answer is a short label on one line"),
            ("x" * 41, "an answer is a short label of at most 40 characters, got 41"),
            (1, "expected a short label (text), got an integer (1)"),
        ],
    )
    def test_answer_is_a_short_label(self, answer: object, message: str) -> None:
        """An answer is text on one line, at most 40 characters."""
        with pytest.raises(assess.InputError) as caught:
            assess.Hypothesis(id="H1", statement="s", answer=answer)  # type: ignore[arg-type]
        assert problems_of(caught) == [("answer", message)]
        assert assess.Hypothesis(id="H1", statement="s", answer="x" * 40).answer == "x" * 40

    def test_answers_all_or_none(self) -> None:
        """Giving some hypotheses an answer but not all is refused, naming those without."""
        with pytest.raises(assess.InputError) as caught:
            assess.Assessment(
                id="a",
                title="t",
                hypotheses=[
                    assess.Hypothesis(id="H1", statement="s", answer="yes"),
                    assess.Hypothesis(id="H2", statement="s"),
                    assess.Hypothesis(id="H3", statement="s"),
                ],
            )
        assert problems_of(caught) == [
            ("hypotheses", "give every hypothesis an answer or none; no answer for H2, H3")
        ]

    def test_answers_at_least_two(self) -> None:
        """Answers must name at least two answers; several hypotheses may share one."""
        with pytest.raises(assess.InputError) as caught:
            assess.Assessment(
                id="a",
                title="t",
                hypotheses=[
                    assess.Hypothesis(id="H1", statement="s", answer="yes"),
                    assess.Hypothesis(id="H2", statement="s", answer="yes"),
                ],
            )
        assert problems_of(caught) == [
            (
                "hypotheses",
                (
                    "answers must name at least two answers to the question;"
                    " every hypothesis answers 'yes'"
                ),
            )
        ]
        built = assess.Assessment(
            id="a",
            title="t",
            hypotheses=[
                assess.Hypothesis(id="H1", statement="s", answer="yes"),
                assess.Hypothesis(id="H2", statement="s", answer="no"),
                assess.Hypothesis(id="H3", statement="s", answer="no"),
            ],
        )
        assert [h.answer for h in built.hypotheses] == ["yes", "no", "no"]

    def test_exported_names(self) -> None:
        """The default tables and Dependence are public names of assess.model."""
        for name in (
            "DEFAULT_FIDELITY",
            "DEFAULT_RELIABILITY_VALUES",
            "DEFAULT_CREDIBILITY_VALUES",
            "Dependence",
        ):
            assert name in model.__all__
            assert hasattr(model, name)


class TestNumbersNoFieldHolds:
    """Infinities, NaNs and integers too large are refused by every numeric field alike."""

    @pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
    def test_non_finite_prior(self, value: float) -> None:
        """A prior that is not finite is refused as such, whatever its sign."""
        with pytest.raises(assess.InputError) as caught:
            assess.Hypothesis(id="H1", statement="s", prior=value)
        assert problems_of(caught) == [("prior", f"must be a finite number, got {value!r}")]

    def test_non_finite_in_tables_and_judgement(self) -> None:
        """Likelihoods, grade tables and judgements refuse infinities and NaNs at their cell."""
        with pytest.raises(assess.InputError) as caught:
            assess.Scoring(
                likelihoods={"C": float("nan")},
                fidelity={"A": float("inf")},
                credibility_values={6: float("-inf")},
                perturbation=float("inf"),
            )
        assert problems_of(caught) == [
            ("credibility_values.6", "must be a finite number, got -inf"),
            ("fidelity.A", "must be a finite number, got inf"),
            ("likelihoods.C", "must be a finite number, got nan"),
            ("perturbation", "must be a finite number, got inf"),
        ]
        with pytest.raises(assess.InputError) as caught:
            assess.Assessment(
                id="a",
                title="t",
                analysts=["al"],
                hypotheses=hypotheses(),
                judgement={"al": {"H1": float("inf")}},
            )
        assert problems_of(caught) == [("judgement.al.H1", "must be a finite number, got inf")]

    def test_integer_too_large_for_a_float(self) -> None:
        """An integer beyond a float's range is refused by the float field's own rule."""
        with pytest.raises(assess.InputError) as caught:
            assess.Hypothesis(id="H1", statement="s", prior=10**400)
        assert problems_of(caught) == [
            ("prior", "a prior must be in (0, 1], got an integer of 401 digits")
        ]

    def test_integer_too_wide(self) -> None:
        """A whole-number field refuses an integer of more than MAX_INTEGER_DIGITS digits."""
        huge = 10**5000
        with pytest.raises(assess.InputError) as caught:
            assess.Scoring(draws=huge, seed=huge)
        assert problems_of(caught) == [
            ("draws", "draws must be between 1 and 10000000, got an integer of 5001 digits"),
            ("seed", "must have at most 640 digits, got an integer of 5001 digits"),
        ]
        with pytest.raises(assess.InputError) as caught:
            ConfidenceRule(high_support=-huge)
        assert problems_of(caught) == [
            ("high_support", "must not be negative, got a negative integer of 5001 digits")
        ]
        assert assess.Scoring(seed=10**639 - 1).seed == 10**639 - 1

    def test_text_field_given_a_wide_integer(self) -> None:
        """A text field given a wide integer names its width, as it names any integer."""
        with pytest.raises(assess.InputError) as caught:
            assess.Source(id="s", name="n", reliability="B", notes=-(10**5000))  # type: ignore[arg-type]
        assert problems_of(caught) == [
            ("notes", "expected text, got a negative integer of 5001 digits")
        ]

    @given(st.integers(min_value=-(10**700), max_value=10**700))
    def test_digit_count(self, value: int) -> None:
        """The digits of an integer are counted exactly without writing it out."""
        assert model._digit_count(value) == len(str(abs(value)))

    @pytest.mark.parametrize("power", [0, 1, 15, 16, 308, 639, 640, 641, 5000])
    def test_digit_count_at_powers_of_ten(self, power: int) -> None:
        """Around each power of ten, where an estimate from the bit length goes wrong."""
        assert model._digit_count(10**power) == power + 1
        assert model._digit_count(10**power - 1) == max(power, 1)

    def test_wide_integers_are_described(self) -> None:
        """Messages never write out an integer wider than the cap, which Python would refuse."""
        assert model.describe(10**5000) == "an integer of 5001 digits"
        assert model.show_number(-(10**700)) == "a negative integer of 701 digits"
        assert model.describe(10**20) == "an integer (100000000000000000000)"
        assert model.describe(model.BadNumber("inf")) == "a number (inf)"
