"""How sure: confidence levels, flags, analyst teams, coherence, and their commands."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import pytest

import assess
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent


Row = tuple[str, str, int, Mapping[str, object]]


def case(
    rows: Sequence[Row],
    *,
    interested: frozenset[str] = frozenset(),
    kinds: dict[str, str] | None = None,
    **extra: object,
) -> assess.Assessment:
    """Items as (id, reliability, credibility, ratings), each from its own source."""
    return assess.Assessment(
        id="case",
        title="t",
        hypotheses=[
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


class TestConfidence:
    """The confidence rule and its inputs."""

    def test_robust_case_is_high(self) -> None:
        """Four strong independent items, stable under perturbation, no weak assumption: high."""
        a = case([(f"E{i}", "A", 1, STRONG) for i in range(4)])
        result = assess.analyse(a, draws=2000)
        c = result.confidence
        assert (c.level, c.leader, c.runner_up) == ("high", "H1", "H2")
        assert c.support == 4
        assert c.supporting_clusters == ("E0", "E1", "E2", "E3")
        assert c.stability == 1.0
        assert c.assumptions_pass

    def test_one_weak_item_is_low_and_a_linchpin(self) -> None:
        """A conclusion resting on one low-grade item is low confidence, and the item is named."""
        a = case(
            [
                ("E1", "D", 1, STRONG),  # likelihood ratio 1.58 for H1, from a D source
                ("E2", "C", 3, {"H1": "N", "H2": "C"}),  # 1.15 for H2
            ]
        )
        result = assess.analyse(a, draws=2000)
        assert result.confidence.level == "low"
        assert result.confidence.support == 0  # E1's quality is 0.25 < 0.5
        [pin] = [p for p in result.linchpins if p.leader_changes]
        assert pin.members == ("E1",)
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
        assert assess.analyse(a, draws=500).confidence.level == "moderate"
        strict = attrs.evolve(
            a, scoring=assess.Scoring(confidence=assess.model.ConfidenceRule(high_support=2))
        )
        assert assess.analyse(strict, draws=500).confidence.level == "high"

    def test_copies_are_one_line_of_support(self) -> None:
        """Three copies of one report in a cluster are one independent line of support."""
        a = case([("E1", "A", 1, STRONG)])
        copies = [
            a.evidence[0],
            attrs.evolve(a.evidence[0], id="E2", derived_from=["E1"]),
            attrs.evolve(a.evidence[0], id="E3", derived_from=["E1"]),
        ]
        c = assess.analyse(attrs.evolve(a, evidence=copies), draws=200).confidence
        assert c.support == 1


class TestFlags:
    """Deception and self-serving statements are flagged, never scored away."""

    def test_self_serving_denial(self) -> None:
        """A diagnostic denial by an interested party is flagged; its scores are unchanged."""
        rows: list[Row] = [("E1", "B", 2, {"H1": "II", "H2": "CC"}), ("E2", "A", 1, STRONG)]
        plain = case(rows)
        flagged = case(rows, interested=frozenset({"E1"}), kinds={"E1": "denial"})
        result = assess.analyse(flagged, draws=100)
        [flag] = [f for f in result.flags if f.code == "self-serving"]
        assert flag.subject == "E1"
        assert "denial" in flag.reason
        assert [h.posterior for h in result.scores.hypotheses] == [
            h.posterior for h in assess.score(plain).hypotheses
        ]

    def test_cluster_of_interested_sources(self) -> None:
        """Repeated reporting carried only by interested parties is flagged."""
        a = case(
            [("E1", "C", 3, STRONG), ("E2", "C", 3, STRONG)],
            interested=frozenset({"E1", "E2"}),
        )
        a = attrs.evolve(
            a, evidence=[a.evidence[0], attrs.evolve(a.evidence[1], derived_from=["E1"])]
        )
        flags = assess.analyse(a, draws=100).flags
        assert [(f.code, f.subject) for f in flags if f.code == "interested-cluster"] == [
            ("interested-cluster", "E1")
        ]


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
        assert "leave one cluster out" in table

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
