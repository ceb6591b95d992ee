"""How sure: confidence levels, flags, analyst teams, coherence, and their commands."""

from __future__ import annotations

import json
import math
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assess
import assess.analysis
import assess.methods.language
from assess.analysis import BudgetError
from assess.methods import sensitivity
from helpers import run_cli, utf8
from strategies import assessments

ROOT = Path(__file__).resolve().parent.parent


Row = tuple[str, str, int, Mapping[str, object]]


def case(
    rows: Sequence[Row],
    *,
    interested: frozenset[str] = frozenset(),
    kinds: dict[str, str] | None = None,
    hypotheses: Sequence[assess.Hypothesis] | None = None,
    **extra: object,
) -> assess.Assessment:
    """Items as (id, reliability, credibility, ratings), each from its own source."""
    return assess.Assessment(
        id="case",
        title="t",
        hypotheses=hypotheses
        or [
            assess.Hypothesis(id="H1", statement="s"),
            assess.Hypothesis(id="H2", statement="s"),
        ],
        sources=[
            assess.Source(
                id=f"s-{i}", name=f"source of {i}", reliability=g, interested=i in interested
            )
            for i, g, _, _ in rows
        ],
        evidence=[
            assess.Evidence(
                id=i,
                summary="s",
                kind=(kinds or {}).get(i, "report"),
                source=f"s-{i}",
                credibility=c,
                ratings=r,  # type: ignore[arg-type]
            )
            for i, _, c, r in rows
        ],
        **extra,  # type: ignore[arg-type]
    )


STRONG: Mapping[str, object] = {"H1": "CC", "H2": "II"}


DB19 = 10 * math.log10(0.95 / 0.05)  # CC against II at quality 1: 12.79 dB


def encodable() -> st.SearchStrategy[assess.Assessment]:
    """Valid assessments that can be digested (the shared strategy may draw a lone surrogate)."""
    return assessments().filter(
        lambda a: all(h.answer is None or utf8(h.answer) for h in a.hypotheses)
    )


def one_source(
    rows: Sequence[tuple[str, int, Mapping[str, object]]],
    *,
    grade: str = "A",
    hypotheses: int = 2,
) -> assess.Assessment:
    """Items as (id, credibility, ratings), every one from the same source."""
    return assess.Assessment(
        id="case",
        title="t",
        hypotheses=[assess.Hypothesis(id=f"H{j + 1}", statement="s") for j in range(hypotheses)],
        sources=[assess.Source(id="s", name="s", reliability=grade)],
        evidence=[
            assess.Evidence(
                id=i,
                summary="s",
                kind="report",
                source="s",
                credibility=c,
                ratings=r,  # type: ignore[arg-type]
            )
            for i, c, r in rows
        ],
    )


class TestConfidence:
    """The confidence rule and its inputs (methods.md section 10)."""

    def test_robust_case_is_high(self) -> None:
        """
        Four strong independent lines, stable, no weak assumption: high.

        Each A1 line rated CC against II adds 10 log10(0.95 / 0.05) = 12.79
        dB, so W = 51.15 dB from four parties, none interested.
        """
        a = case([(f"E{i}", "A", 1, STRONG) for i in range(4)])
        c = assess.analyse(a, draws=2000).confidence
        assert (c.level, c.leader, c.runner_up) == ("high", "H1", "H2")
        assert c.weight_db == pytest.approx(4 * DB19)
        assert round(c.weight_db, 2) == 51.15
        assert (c.sources, c.parties, c.interested_share) == (4, 4, 0.0)
        assert c.supporting_lines == ("E0", "E1", "E2", "E3")
        assert c.stability == 1.0
        assert c.assumptions_pass
        assert (c.support, c.supporting_clusters) == (4, c.supporting_lines)  # the 0.1 names

    def test_one_source_is_one_party(self) -> None:
        """
        The same four lines from one source: each tempered by 1 / (1 + 3 x 0.2) = 0.625.

        W = 4 x 0.625 x 12.79 = 31.97 dB, weight enough for high, but from
        one party: low (moderate needs two).
        """
        a = one_source([(f"E{i}", 1, STRONG) for i in range(4)])
        c = assess.analyse(a, draws=500).confidence
        assert c.weight_db == pytest.approx(4 * 0.625 * DB19)
        assert round(c.weight_db, 2) == 31.97
        assert (c.sources, c.parties, c.level) == (1, 1, "low")

    def test_interested_share(self) -> None:
        """Two of four equal lines from interested sources: a share of 0.5, at most moderate."""
        a = case([(f"E{i}", "A", 1, STRONG) for i in range(4)], interested=frozenset({"E2", "E3"}))
        c = assess.analyse(a, draws=500).confidence
        assert c.interested_share == pytest.approx(0.5)
        assert c.level == "moderate"

    def test_relayed_by_an_interested_outlet(self) -> None:
        """A line that reaches us only through an interested relay rests on that relay."""
        a = case([("E1", "A", 1, STRONG), ("E2", "A", 1, STRONG)], interested=frozenset({"E2"}))
        # E3: E2's content from E1's source, passed on by the interested s-E2 alone.
        relayed = attrs.evolve(a.evidence[1], id="E3", source="s-E1", via=["s-E2"])
        b = attrs.evolve(a, evidence=[a.evidence[0], relayed])
        c = assess.analyse(b, draws=200).confidence
        weights = assess.analysis.line_weights(assess.score(b), "H1", "H2")
        assert c.supporting_lines == ("E1", "E3")
        assert c.interested_share == pytest.approx(weights[1] / weights.sum())
        assert c.interested_share == pytest.approx(0.5)  # an A relay passes it on in full

    def test_a_clean_route_beside_an_interested_one(self) -> None:
        """A line that also reached us by a disinterested route does not rest on the relay."""
        a = case([("E1", "A", 1, STRONG), ("E2", "A", 1, STRONG)], interested=frozenset({"E2"}))
        relayed = attrs.evolve(a.evidence[1], id="E3", source="s-E1", via=["s-E2"])
        firsthand = attrs.evolve(relayed, id="E4", via=[], derived_from=["E3"])
        b = attrs.evolve(a, evidence=[a.evidence[0], relayed, firsthand])
        assert assess.analyse(b, draws=200).confidence.interested_share == 0.0
        only_relayed = attrs.evolve(b, evidence=[a.evidence[0], relayed])
        assert assess.analyse(only_relayed, draws=200).confidence.interested_share > 0

    def test_every_rating_pair_counts(self) -> None:
        """C against N from an A1 source counts: 10 log10(0.8 / 0.5) = 2.04 dB."""
        a = case([("E1", "A", 1, {"H1": "C", "H2": "N"})])
        [weight] = assess.analysis.line_weights(assess.score(a), "H1", "H2")
        assert weight == pytest.approx(10 * math.log10(0.8 / 0.5))
        assert round(weight, 2) == 2.04
        assert assess.analyse(a, draws=100).confidence.supporting_lines == ("E1",)

    def test_one_weak_item_is_low_and_a_linchpin(self) -> None:
        """A conclusion resting on one low-grade line is low confidence, and the line is named."""
        a = case(
            [
                ("E1", "D", 1, STRONG),
                ("E2", "C", 3, {"H1": "N", "H2": "C"}),
            ]
        )
        result = assess.analyse(a, draws=2000)
        assert result.confidence.level == "low"
        [pin] = [p for p in result.linchpins if p.leader_changes]
        assert (pin.line, pin.members) == ("E1", ("E1",))
        assert any(f.code == "weak-linchpin" and f.subject == "E1" for f in result.flags)

    def test_unsupported_assumption_caps_at_moderate(self) -> None:
        """An unsupported key assumption on the leader keeps confidence below high."""
        a = case(
            [(f"E{i}", "A", 1, STRONG) for i in range(4)],
            assumptions=[
                assess.Assumption(id="A1", statement="s", status="unsupported", hypotheses=["H1"])
            ],
        )
        c = assess.analyse(a, draws=500).confidence
        assert c.level == "moderate"
        assert c.unsupported_assumptions == ("A1",)
        assert any("A1" in reason for reason in c.reasons)

    def test_thresholds_are_configurable(self) -> None:
        """scoring.confidence changes the thresholds."""
        a = case([(f"E{i}", "A", 1, STRONG) for i in range(2)])
        assert assess.analyse(a, draws=500).confidence.level == "moderate"  # two parties
        strict = attrs.evolve(
            a, scoring=assess.Scoring(confidence=assess.model.ConfidenceRule(high_support=2))
        )
        assert assess.analyse(strict, draws=500).confidence.level == "high"

    def test_copies_are_one_line_of_support(self) -> None:
        """Three copies of one report in a line are one line, one source, one party."""
        a = case([("E1", "A", 1, STRONG)])
        copies = [
            a.evidence[0],
            attrs.evolve(a.evidence[0], id="E2", derived_from=["E1"]),
            attrs.evolve(a.evidence[0], id="E3", derived_from=["E1"]),
        ]
        c = assess.analyse(attrs.evolve(a, evidence=copies), draws=200).confidence
        assert (c.supporting_lines, c.sources, c.parties) == (("E1",), 1, 1)
        assert c.weight_db == pytest.approx(DB19)

    def test_parties_count_once(self) -> None:
        """Two sources that speak for one party are one independent party."""
        a = case([(f"E{i}", "A", 1, STRONG) for i in range(3)])
        a = attrs.evolve(
            a,
            sources=[attrs.evolve(s, party="govt") if s.id != "s-E0" else s for s in a.sources],
        )
        c = assess.analyse(a, draws=200).confidence
        assert (c.sources, c.parties) == (3, 2)

    def test_reasons_and_json_carry_every_input(self) -> None:
        """The reasons print each input with its thresholds; the JSON carries them all."""
        result = assess.analyse(case([(f"E{i}", "A", 1, STRONG) for i in range(3)]), draws=300)
        c = result.confidence
        assert f"{3 * DB19:.1f} dB" in c.reasons[0]
        assert "3 independent parties (3 sources)" in c.reasons[1]
        assert c.reasons[2].startswith("0% of the weight")
        # No factor moved alone unseats H1 here, so none is called the most sensitive.
        assert result.sensitivity.most_sensitive is None
        assert "H1 leads in every draw whichever factor moves alone" in c.reasons
        data = result.to_json()["confidence"]
        assert data == c.to_json()
        assert set(c.to_json()) == {
            "level",
            "leader",
            "runner_up",
            "weight_db",
            "sources",
            "parties",
            "interested_share",
            "supporting_lines",
            "stability",
            "assumptions_pass",
            "unsupported_assumptions",
            "rule",
            "reasons",
        }


class TestConfidenceProperties:
    """The properties of the confidence rule (issue 13, section 7)."""

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(list(assess.Credibility)),
                st.dictionaries(
                    st.sampled_from(["H1", "H2"]), st.sampled_from(list(assess.Rating))
                ),
            ),
            min_size=1,
            max_size=30,
        ),
        st.sampled_from(list(assess.Reliability)),
    )
    @settings(max_examples=40, deadline=None)
    def test_one_source_is_never_high(
        self,
        items: list[tuple[assess.Credibility, dict[str, assess.Rating]]],
        grade: assess.Reliability,
    ) -> None:
        """Rule: support from one source, however many items, is never high."""
        a = one_source([(f"E{i}", int(c), r) for i, (c, r) in enumerate(items)], grade=grade.value)
        c = assess.analyse(a, draws=50).confidence
        assert c.sources <= 1
        assert c.parties <= 1
        assert c.level != "high"

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["interested", "F", "6"]),
                st.sampled_from(list(assess.Reliability)),
                st.sampled_from(list(assess.Credibility)),
                st.sampled_from(["CC", "C", "N", "I", "II"]),
            ),
            min_size=1,
            max_size=12,
        )
    )
    @settings(max_examples=40, deadline=None)
    def test_interested_or_unjudged_support_is_low(
        self, items: list[tuple[str, assess.Reliability, assess.Credibility, str]]
    ) -> None:
        """Rule: support resting only on interested or F/6 sources is never above low."""
        rows: list[Row] = []
        interested = set()
        for i, (why, grade, credibility, rating) in enumerate(items):
            reliability = "F" if why == "F" else grade.value
            cred = 6 if why == "6" else int(credibility)
            if why == "interested":
                interested.add(f"E{i}")
            rows.append((f"E{i}", reliability, cred, {"H1": rating, "H2": "N"}))
        c = assess.analyse(case(rows, interested=frozenset(interested)), draws=50).confidence
        if c.supporting_lines:
            assert c.interested_share == pytest.approx(1.0)
        assert c.level == "low"

    @given(encodable(), st.sampled_from(["CC", "C", "N", "I", "II"]), st.booleans())
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_an_undiagnostic_line_adds_nothing(
        self, a: assess.Assessment, rating: str, interested: bool
    ) -> None:
        """
        Rule: a line that cannot tell the two leaders apart adds nothing.

        It comes from a source of its own (lines of a shared source temper
        each other, so a new line there re-tempers the others: a scoring
        matter); W, the counts, the share and the level are unchanged (the
        level compared at the same stability, since the added line moves in
        the Monte Carlo).
        """
        scores = assess.score(a)
        leader, runner = scores.ranking[0].id, scores.ranking[1].id
        extra_source = assess.Source(
            id="extra-source", name="x", reliability="A", interested=interested
        )
        extra = assess.Evidence(
            id="extra-item",
            summary="s",
            kind="denial",
            source="extra-source",
            credibility=1,
            ratings=dict.fromkeys([h.id for h in a.hypotheses], rating),
        )
        b = attrs.evolve(a, sources=[*a.sources, extra_source], evidence=[*a.evidence, extra])
        again = assess.score(b)
        assert (again.ranking[0].id, again.ranking[1].id) == (leader, runner)
        before = assess.analyse(a, draws=30).confidence
        after = assess.analyse(b, draws=30).confidence
        assert after.weight_db == pytest.approx(before.weight_db, abs=1e-9)
        assert (after.sources, after.parties) == (before.sources, before.parties)
        assert after.interested_share == pytest.approx(before.interested_share, abs=1e-12)
        assert after.supporting_lines == before.supporting_lines
        level = assess.analysis.confidence_level(
            weight_db=after.weight_db,
            parties=after.parties,
            interested_share=after.interested_share,
            stability=before.stability,
            assumptions_pass=after.assumptions_pass,
            rule=a.scoring.confidence,
        )
        assert level == before.level


class TestFlags:
    """Deception and self-serving statements are flagged, never scored away."""

    def test_self_serving_denial(self) -> None:
        """
        A D-graded denial by an interested party that sides with the leader is flagged.

        methods.md section 12: rated N under H1 and C under H2, the denial
        favours H2 by 10 log10(0.8 / 0.5) = 2.04 dB as said; at quality
        0.25 x 0.5 = 0.125 it adds 10 log10(0.5375 / 0.5) = 0.31 dB.  It
        changes no score.
        """
        rows: list[Row] = [
            ("E1", "D", 3, {"H1": "N", "H2": "C"}),
            ("E2", "B", 2, {"H1": "I", "H2": "C"}),
        ]
        plain = case(rows)
        flagged = case(rows, interested=frozenset({"E1"}), kinds={"E1": "denial"})
        result = assess.analyse(flagged, draws=100)
        [flag] = [f for f in result.flags if f.code == "self-serving"]
        assert flag.subject == "E1"
        assert "denial" in flag.reason
        assert "favours H2 over H1" in flag.reason
        assert "adds 0.31 dB" in flag.reason
        assert round(10 * math.log10((0.125 * 0.8 + 0.875 * 0.5) / 0.5), 2) == 0.31
        assert [h.posterior for h in result.scores.hypotheses] == [
            h.posterior for h in assess.score(plain).hypotheses
        ]

    def test_claims_against_the_leader_are_not_flagged(self) -> None:
        """An interested party's claim for a rival of the leader is not flagged."""
        rows: list[Row] = [
            ("E1", "D", 3, {"H1": "C", "H2": "N"}),
            ("E2", "A", 1, {"H1": "I", "H2": "C"}),
        ]
        a = case(rows, interested=frozenset({"E1"}), kinds={"E1": "statement"})
        assert not [f for f in assess.analyse(a, draws=50).flags if f.code == "self-serving"]

    def test_only_a_party_speaking(self) -> None:
        """A report (not a statement) or a disinterested source is not flagged."""
        rows: list[Row] = [("E1", "D", 3, {"H1": "N", "H2": "C"})]
        report = case(rows, interested=frozenset({"E1"}))
        neutral = case(rows, kinds={"E1": "denial"})
        for a in (report, neutral):
            assert not [f for f in assess.analyse(a, draws=50).flags if f.code == "self-serving"]

    def test_worked_case_denials(self) -> None:
        """
        The worked case's Russian denials are rated alike under every hypothesis: none is flagged.

        A state that arms the Taliban denies it as readily as one that does
        not, so each denial is non-diagnostic and favours no hypothesis, and
        the self-serving flag, which fires only on a claim that takes a side,
        stays silent; the first version of the case rated them N under H1 and
        C elsewhere, and all six were flagged.
        """
        denials = {"E2", "E6", "E29", "E30", "E31", "E38"}
        worked = assess.load(ROOT / "assessments/russia-taliban-support.yaml")
        result = assess.analyse(worked, draws=200)
        assert not denials & {f.subject for f in result.flags if f.code == "self-serving"}
        assert denials <= {w.subject for w in result.warnings if w.code == "non-diagnostic"}
        first = assess.loads(
            (ROOT / "tests/data/history/russia-taliban-support-v1.yaml").read_text(
                encoding="utf-8"
            ),
            base_dir=ROOT / "assessments",
            root=ROOT,
        )
        flagged = {f.subject for f in assess.analyse(first, draws=200).flags}
        assert denials <= flagged

    def test_line_of_interested_sources(self) -> None:
        """A repeated line carried only by interested sources is flagged, once, by its root."""
        a = case(
            [("E1", "C", 3, STRONG), ("E2", "C", 3, STRONG)],
            interested=frozenset({"E1", "E2"}),
        )
        a = attrs.evolve(
            a, evidence=[a.evidence[0], attrs.evolve(a.evidence[1], derived_from=["E1"])]
        )
        flags = assess.analyse(a, draws=100).flags
        assert [(f.code, f.subject) for f in flags if f.code == "interested-line"] == [
            ("interested-line", "E1")
        ]
        wire = assess.Source(id="wire", name="wire", reliability="B")
        relayed = attrs.evolve(
            a,
            sources=[*a.sources, wire],
            evidence=[a.evidence[0], attrs.evolve(a.evidence[1], via=["wire"])],
        )
        codes = [f.code for f in assess.analyse(relayed, draws=100).flags]
        assert "interested-line" not in codes


class TestAnswers:
    """The analysis JSON gives each answer with its term and band."""

    def test_answers_json(self) -> None:
        """Each answer has its hypotheses, probability, ICD 203 term and 5-95% band."""
        a = case(
            [("E1", "B", 2, {"H1": "C", "H2": "I", "H3": "I"})],
            hypotheses=[
                assess.Hypothesis(id="H1", statement="s", answer="yes"),
                assess.Hypothesis(id="H2", statement="s", answer="no"),
                assess.Hypothesis(id="H3", statement="s", answer="no"),
            ],
        )
        result = assess.analyse(a, draws=1000)
        answers = result.to_json()["answers"]
        assert isinstance(answers, list)
        assert [x["answer"] for x in answers] == ["yes", "no"]
        for record, answer in zip(answers, result.scores.answers, strict=True):
            assert record["probability"] == answer.probability
            assert record["hypotheses"] == list(answer.hypotheses)
            assert record["term"] == assess.methods.language.estimative_term(answer.probability)
            low, high = record["band"]
            assert 0 <= low <= answer.probability <= high <= 1
        json.dumps(answers)


class TestAnalystTeams:
    """Cells rated by several analysts."""

    def team(self) -> assess.Assessment:
        """Two analysts who disagree on one cell."""
        return case(
            [
                ("E1", "A", 1, {"H1": {"alice": "C", "bob": "I"}, "H2": "N"}),
                ("E2", "B", 2, {"H1": "C", "H2": {"alice": "CC", "bob": "CC"}}),
            ],
            analysts=["alice", "bob"],
        )

    def test_linear_pool(self) -> None:
        """A team cell's likelihood and points are the means of the analysts'."""
        s = assess.score(self.team())
        h1 = s.hypothesis("H1")
        assert h1.inconsistency == 0.5  # bob's I counts 1, alice's C 0
        pool = (0.80 + 0.20) / 2  # quality 1: the ratings' own likelihoods
        expected = math.log(pool) + math.log(0.5625 * 0.80 + 0.4375 * 0.5)
        assert math.isclose(h1.log_likelihood, expected)

    def test_disputed_cells(self) -> None:
        """C against I is a standard deviation of 1.0: disputed; CC with CC is not."""
        result = assess.analyse(self.team(), draws=100)
        [cell] = result.disputed
        assert (cell.item, cell.hypothesis, cell.spread) == ("E1", "H1", 1.0)
        assert dict(cell.ratings) == {"alice": "C", "bob": "I"}

    def test_each_analysts_ranking(self) -> None:
        """Each analyst's own ranking is computed with their ratings in the team cells."""
        views = {v.analyst: v for v in assess.analyse(self.team(), draws=100).analysts}
        assert views["alice"].ranking[0] == "H1"
        assert set(views) == {"alice", "bob"}

    def test_undeclared_analyst_refused(self) -> None:
        """An analyst rating a cell must be declared under analysts."""
        with pytest.raises(assess.InputError, match="unknown analyst 'carol'"):
            case(
                [("E1", "A", 1, {"H1": {"carol": "C"}})],
                analysts=["alice"],
            )

    def test_round_trip(self) -> None:
        """Team cells survive canonical YAML."""
        a = self.team()
        assert assess.loads(assess.dump(a)) == a


class TestCoherence:
    """Stated probabilities are checked, never silently normalised."""

    def test_judgement_projection(self) -> None:
        """An analyst's (0.5, 0.4, 0.3) is incoherent; the nearest coherent set is offered."""
        a = assess.Assessment(
            id="c",
            title="t",
            analysts=["alice"],
            hypotheses=[assess.Hypothesis(id=f"H{i}", statement="s") for i in (1, 2, 3)],
            judgement={"alice": {"H1": 0.5, "H2": 0.4, "H3": 0.3}},
        )
        [(who, c)] = assess.analyse(a, draws=10).coherence
        assert who == "judgement.alice"
        assert not c.coherent
        assert [round(c.projection[h], 4) for h in ("H1", "H2", "H3")] == [0.4333, 0.3333, 0.2333]
        assert dict(a.judgement["alice"]) == {"H1": 0.5, "H2": 0.4, "H3": 0.3}  # kept as stated


class TestCommands:
    """assess score --format json and assess sensitivity."""

    def test_score_json_keys(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Score --format json carries confidence, estimative terms, flags and disputed cells."""
        monkeypatch.chdir(ROOT)
        status, out, _ = run_cli(
            "score", "assessments/russia-taliban-support.yaml", "--format", "json"
        )
        assert status == 0
        data = json.loads(out)
        assert {"confidence", "estimative", "flags", "disputed"} <= set(data)
        assert data["confidence"]["level"] in {"high", "moderate", "low"}
        assert set(data["estimative"]["terms"]) == {h["id"] for h in data["hypotheses"]}

    def test_sensitivity_same_seed_same_bytes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The same seed prints the same bytes; the table shows stability and linchpins."""
        monkeypatch.chdir(ROOT)
        file = "assessments/russia-taliban-support.yaml"
        first = run_cli("sensitivity", file, "--draws", "2000", "--seed", "5", "--format", "json")
        second = run_cli("sensitivity", file, "--draws", "2000", "--seed", "5", "--format", "json")
        assert first == second
        data = json.loads(first[1])
        assert data["sensitivity"]["draws"] == 2000
        assert data["sensitivity"]["seed"] == 5
        status, table, _ = run_cli("sensitivity", file, "--draws", "500")
        assert status == 0
        assert "stability" in table
        assert "leave one line out" in table
        assert "leads when only one factor moves" in table
        assert data["sensitivity"]["leader"] == data["confidence"]["leader"]
        factors = [f["factor"] for f in data["sensitivity"]["factors"]]
        assert factors == ["ratings", "grades", "priors", "likelihoods"]

    def test_likelihood_and_confidence_in_separate_sentences(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """ICD 203: no sentence holds both an estimative term and a confidence level."""
        monkeypatch.chdir(ROOT)
        _, out, _ = run_cli("score", "assessments/russia-taliban-support.yaml")
        for sentence in out.replace("\n", " ").split(". "):
            assert not ("confidence" in sentence.lower() and "likely" in sentence.lower())

    def test_bad_draws(self) -> None:
        """--draws 0 is a usage error."""
        status, _, err = run_cli("sensitivity", "x.yaml", "--draws", "0")
        assert status == 2
        assert "from 1 to 10000000" in err


def wide(hypotheses: int = 200, draws: int = 10_000_000) -> assess.Assessment:
    """One item against many hypotheses, asking for many draws: past the Monte Carlo budget."""
    return case(
        [("E1", "B", 2, {"H1": "C", "H2": "I"})],
        hypotheses=[assess.Hypothesis(id=f"H{j + 1}", statement="s") for j in range(hypotheses)],
        scoring=assess.Scoring(draws=draws),
    )


class TestBudget:
    """The Monte Carlo budget, held before anything is scored."""

    def test_file_draws_past_the_budget(self) -> None:
        """scoring.draws past the budget: a BudgetError at scoring.draws naming the most draws."""
        most = sensitivity.budget_draws(200, 1, 1)
        with pytest.raises(BudgetError) as caught:
            assess.analyse(wide())
        error = caught.value
        assert (error.draws, error.most, error.option) == (10_000_000, most, False)
        [problem] = error.problems
        assert problem.parts == ("scoring", "draws")
        assert f"at most {most:,} draws fit" in problem.message
        assert f"--draws {most}" in problem.message
        assert isinstance(error, assess.InputError)

    def test_option_past_the_budget(self) -> None:
        """draws= past the budget is the caller's: option is set, the reason names no remedy."""
        with pytest.raises(BudgetError) as caught:
            assess.analyse(wide(draws=100), draws=5_000_000)
        assert caught.value.option
        assert caught.value.reason.startswith("5,000,000 draws of 200 hypotheses x 1 item exceed")
        assert "--draws" not in caught.value.reason

    def test_option_within_the_budget_overrides_the_file(self) -> None:
        """A file past the budget analyses with draws= that fits: the remedy the message offers."""
        result = assess.analyse(wide(), draws=50)
        assert result.sensitivity.draws == 50

    def test_at_the_budget_runs(self) -> None:
        """Exactly the most draws that fit are allowed."""
        most = sensitivity.budget_draws(2, 1, 1)
        assessment = case([("E1", "B", 2, STRONG)], scoring=assess.Scoring(draws=1000))
        assess.analysis.check_budget(assessment, draws=most)
        with pytest.raises(BudgetError):
            assess.analysis.check_budget(assessment, draws=most + 1)

    def test_team_votes_count(self) -> None:
        """Each analyst's rating in a team cell is work: a team file fits fewer draws."""
        team = {"H1": {"alice": "C", "bob": "I"}, "H2": "N"}
        a = case([("E1", "B", 2, team)], analysts=("alice", "bob"))
        most = sensitivity.budget_draws(2, 1, 1, votes=2)
        assert most < sensitivity.budget_draws(2, 1, 1)
        assess.analysis.check_budget(a, draws=most)
        with pytest.raises(BudgetError):
            assess.analysis.check_budget(a, draws=most + 1)

    def test_error_pickles(self) -> None:
        """A BudgetError survives pickling with its problem, draws, most and option."""
        with pytest.raises(BudgetError) as caught:
            assess.analyse(wide())
        again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 -- our own bytes
        assert type(again) is BudgetError
        assert again.problems == caught.value.problems
        assert (again.draws, again.most, again.option) == (10_000_000, caught.value.most, False)

    def test_command_line(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The file's setting: exit 1 at its line and column; --draws past it, 2; fitting, 0."""
        monkeypatch.chdir(tmp_path)
        Path("w.yaml").write_text(assess.dump(wide()), encoding="utf-8")
        line = 1 + assess.dump(wide()).splitlines().index("  draws: 10000000")
        status, out, err = run_cli("sensitivity", "w.yaml")
        assert (status, out) == (1, "")
        assert err.startswith(f"w.yaml:{line}:10: error: scoring.draws: 10,000,000 draws of 200")
        assert "  draws: 10000000\n" in err
        assert err.endswith("1 problem in w.yaml\n")
        status, _, err = run_cli("sensitivity", "w.yaml", "--draws", "5000000")
        assert status == 2
        assert err.startswith("assess: error: --draws 5000000: 5,000,000 draws of 200 hypotheses")
        assert run_cli("sensitivity", "w.yaml", "--draws", "20")[0] == 0
