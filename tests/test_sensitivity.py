"""Linchpins over lines of reporting, and the Monte Carlo of evidence model 2."""

from __future__ import annotations

import json
import math
import tracemalloc
from types import SimpleNamespace
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assess
from assess.methods import sensitivity
from assess.methods.lines import route_fidelity
from helpers import items_assessment, utf8
from strategies import assessments as any_assessments

WORKED = "assessments/russia-taliban-support.yaml"
LN19 = math.log(0.95 / 0.05)  # ln l(CC) / l(II) at quality 1


def _encodable(a: assess.Assessment) -> bool:
    """Whether every answer is valid UTF-8 (the shared strategy may draw a lone surrogate)."""
    return all(h.answer is None or h.answer.isascii() or utf8(h.answer) for h in a.hypotheses)


def assessments() -> st.SearchStrategy[assess.Assessment]:
    """Valid assessments that can be digested (see :func:`_encodable`)."""
    return any_assessments().filter(_encodable)


def assessment(
    rows: list[tuple[str, str, int, dict[str, str]]], *, hypotheses: int = 2
) -> assess.Assessment:
    """Items as (id, reliability, credibility, ratings), each from its own source."""
    return items_assessment(rows, hypotheses=hypotheses)


def from_sources(
    rows: list[tuple[str, str, int, dict[str, str]]],
    *,
    grades: dict[str, str],
    fields: dict[str, dict[str, list[str]]] | None = None,
    hypotheses: int = 2,
) -> assess.Assessment:
    """Items as (id, source, credibility, ratings) from the sources in ``grades``."""
    more = fields or {}
    return assess.Assessment(
        id="case",
        title="t",
        hypotheses=[assess.Hypothesis(id=f"H{j + 1}", statement="s") for j in range(hypotheses)],
        sources=[assess.Source(id=s, name=s, reliability=g) for s, g in grades.items()],
        evidence=[
            assess.Evidence(
                id=item,
                summary="s",
                kind="report",
                source=source,
                credibility=credibility,
                ratings=ratings,
                **more.get(item, {}),  # type: ignore[arg-type]
            )
            for item, source, credibility, ratings in rows
        ],
    )


def judged(a: assess.Assessment) -> assess.Assessment:
    """The assessment with F read as D and 6 as 4, so that no grade is drawn at random."""
    sources = [attrs.evolve(s, reliability="D") if s.reliability == "F" else s for s in a.sources]
    evidence = [
        attrs.evolve(e, credibility=4) if e.credibility == assess.Credibility(6) else e
        for e in a.evidence
    ]
    return attrs.evolve(a, sources=sources, evidence=evidence)


def still(scores: assess.Scores, draws: int = 20) -> sensitivity.Sensitivity:
    """A Monte Carlo in which nothing moves."""
    return sensitivity.monte_carlo(
        scores, draws=draws, perturbation=0.0, concentration=None, jitter=0.0
    )


def without_line(a: assess.Assessment, scores: assess.Scores, k: int) -> assess.Assessment:
    """The assessment without line k: its root and the repeats in no other line."""
    lines = scores.matrix.lines
    others = {m for j, members in enumerate(lines.members) if j != k for m in members}
    gone = {scores.matrix.evidence[m] for m in set(lines.members[k]) - others}
    kept = [
        attrs.evolve(
            e,
            derived_from=[d for d in e.derived_from if d not in gone],
            confirmed_by=[d for d in e.confirmed_by if d not in gone],
        )
        for e in a.evidence
        if e.id not in gone
    ]
    return attrs.evolve(a, evidence=kept)


class TestLinchpins:
    """Leave one line of reporting out."""

    def test_single_item_conclusion(self) -> None:
        """When one line carries the leader, leaving it out changes the leader."""
        a = assessment(
            [
                ("E1", "D", 1, {"H1": "CC", "H2": "II"}),
                ("E2", "C", 3, {"H1": "N", "H2": "C"}),
            ]
        )
        pins = sensitivity.linchpins(assess.score(a))
        by_line = {p.line: p for p in pins}
        assert by_line["E1"].leader_changes
        assert by_line["E1"].new_leader == "H2"
        assert by_line["E1"].leader_posterior_change < 0
        assert not by_line["E2"].leader_changes
        assert by_line["E1"].cluster == "E1"  # the 0.1 name

    def test_worked_example_retempers_the_source(self) -> None:
        """
        methods.md section 8: E1, E2 from one source S, E3 from T, all A1.

        E1 and E2 (CC/II) are tempered by 1 / (1 + 0.2) each; E3 is I/C.  The
        log-odds of H1 are 2 x ln 19 / 1.2 + ln(0.2 / 0.8) = 3.521, P(H1) =
        0.9713.  Without E1, E2 is S's only line and counts in full: ln 19 -
        ln 4 = 1.558, P(H1) = 0.8261, a change of -0.1452 (subtracting E1's
        tempered share alone would give 0.744).  Without E3: 4.907, P(H1) =
        0.9927, a change of +0.0214.
        """
        a = from_sources(
            [
                ("E1", "S", 1, {"H1": "CC", "H2": "II"}),
                ("E2", "S", 1, {"H1": "CC", "H2": "II"}),
                ("E3", "T", 1, {"H1": "I", "H2": "C"}),
            ],
            grades={"S": "A", "T": "A"},
        )
        s = assess.score(a)
        full = 2 * LN19 / 1.2 + math.log(0.2 / 0.8)
        assert round(full, 3) == 3.521
        p = 1 / (1 + math.exp(-full))
        assert s.hypothesis("H1").posterior == pytest.approx(p, abs=1e-12)
        assert round(p, 4) == 0.9713
        pins = {pin.line: pin for pin in sensitivity.linchpins(s)}
        retempered = 1 / (1 + math.exp(-(LN19 + math.log(0.25))))
        assert round(retempered, 4) == 0.8261
        assert pins["E1"].leader_posterior_change == pytest.approx(retempered - p, abs=1e-12)
        assert round(pins["E1"].leader_posterior_change, 4) == -0.1452
        assert round(pins["E3"].leader_posterior_change, 4) == 0.0214
        naive = 1 / (1 + math.exp(-(full - LN19 / 1.2)))
        assert round(naive, 3) == 0.744
        assert not any(pin.leader_changes for pin in pins.values())

    def test_worked_case_matches_rescoring(self) -> None:
        """Each line left out of the worked case equals re-scoring without it."""
        a = assess.load(WORKED)
        s = assess.score(a)
        leader = s.ranking[0].id
        for k, pin in enumerate(sensitivity.linchpins(s)):
            again = assess.score(without_line(a, s, k))
            assert again.ranking[0].id == pin.new_leader
            assert math.isclose(
                again.hypothesis(leader).posterior - s.hypothesis(leader).posterior,
                pin.leader_posterior_change,
                abs_tol=1e-12,
            )

    @given(assessments())
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_leaving_a_line_out_is_rescoring_without_it(self, a: assess.Assessment) -> None:
        """Rule: a linchpin record is the assessment re-scored without that line."""
        s = assess.score(a)
        leader = s.ranking[0].id
        for k, pin in enumerate(sensitivity.linchpins(s)):
            again = assess.score(without_line(a, s, k))
            change = again.hypothesis(leader).posterior - s.hypothesis(leader).posterior
            assert math.isclose(change, pin.leader_posterior_change, abs_tol=1e-9)
            top = np.sort(again.arrays.posterior)[::-1]
            if top.size < 2 or top[0] - top[1] > 1e-9:
                assert again.ranking[0].id == pin.new_leader

    @given(assessments())
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_contributions_sum_to_the_scores(self, a: assess.Assessment) -> None:
        """Rule: the lines' contributions sum to each log-likelihood and weighted inconsistency."""
        s = assess.score(a)
        parts = sensitivity.line_contributions(s)
        assert [p.line for p in parts] == [s.matrix.evidence[r] for r in s.matrix.lines.root]
        if not parts:
            return
        total = np.sum([p.log_likelihood for p in parts], axis=0)
        assert np.allclose(total, s.arrays.log_likelihood, rtol=1e-12, atol=1e-9)
        weighted = np.sum([p.weighted_inconsistency for p in parts], axis=0)
        assert np.allclose(weighted, s.arrays.weighted_inconsistency, rtol=1e-12, atol=1e-9)

    def test_repeats_carry_no_weight(self) -> None:
        """A line is named after its root and counts once, however many repeats it has."""
        a = assessment([("E1", "A", 1, {"H1": "CC", "H2": "II"})])
        copies = [
            a.evidence[0],
            attrs.evolve(a.evidence[0], id="E2", derived_from=["E1"]),
            attrs.evolve(a.evidence[0], id="E3", derived_from=["E2"]),
        ]
        s = assess.score(attrs.evolve(a, evidence=copies))
        [part] = sensitivity.line_contributions(s)
        assert (part.line, part.members) == ("E1", ("E1", "E2", "E3"))
        assert part.log_likelihood == pytest.approx((math.log(0.95), math.log(0.05)))
        [pin] = sensitivity.linchpins(s)
        assert pin.line == "E1"
        assert pin.leader_posterior_change == pytest.approx(0.5 - 0.95)

    def test_old_names(self) -> None:
        """The 0.1 names stay as aliases."""
        s = assess.score(assessment([("E1", "B", 2, {"H1": "C", "H2": "I"})]))
        assert sensitivity.ClusterContribution is sensitivity.LineContribution
        assert sensitivity.cluster_contributions(s) == sensitivity.line_contributions(s)
        [part] = sensitivity.line_contributions(s)
        assert (part.cluster, part.best_quality) == (part.line, part.quality)

    def test_cost_is_linear_in_the_lines(self) -> None:
        """Many lines from few sources are left out in one vectorised pass, not a loop of sums."""
        rows = [(f"E{i}", "ABCDE"[i % 5], 1 + i % 5, {"H1": "C", "H2": "I"}) for i in range(3000)]
        a = assessment(rows)
        a = attrs.evolve(
            a,
            evidence=[attrs.evolve(e, source=f"s-E{i % 7}") for i, e in enumerate(a.evidence)],
        )
        s = assess.score(a)
        pins = sensitivity.linchpins(s)
        assert len(pins) == 3000
        assert len(sensitivity.line_contributions(s)) == 3000


class TestMonteCarlo:
    """Perturbed re-scoring, vectorised."""

    def test_same_seed_same_bytes(self) -> None:
        """The same seed gives identical JSON, factors included; another seed differs."""
        a = assess.load(WORKED)
        s = assess.score(a)
        first = sensitivity.monte_carlo(s, draws=2000, seed=7).to_json()
        again = sensitivity.monte_carlo(s, draws=2000, seed=7).to_json()
        assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
        other = sensitivity.monte_carlo(s, draws=2000, seed=8)
        assert other.to_json()["hypotheses"] != first["hypotheses"]

    def test_chunking_changes_nothing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Draws split into many small chunks give exactly the numbers of one chunk."""
        a = assess.load(WORKED)
        answered = attrs.evolve(
            a,
            hypotheses=[
                attrs.evolve(h, answer="yes" if h.id == "H1" else "no") for h in a.hypotheses
            ],
        )
        s = assess.score(answered)
        whole = sensitivity.monte_carlo(s, draws=500, seed=3)
        monkeypatch.setattr(sensitivity, "CHUNK_CELLS", 41)
        chunked = sensitivity.monte_carlo(s, draws=500, seed=3)
        assert whole.to_json() == chunked.to_json()
        assert whole.answers == ("yes", "no")

    def test_team_cells_chunking_changes_nothing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Analysts' cells move on their own stream, the same in any chunk."""
        a = items_assessment(
            [
                ("E1", "A", 1, {"H1": {"alice": "C", "bob": "I"}, "H2": "N"}),
                ("E2", "B", 2, {"H1": "C", "H2": {"alice": "CC", "bob": "II"}}),
                ("E3", "C", 6, {"H1": "NA", "H2": "C"}),
            ],
            hypotheses=2,
            analysts=("alice", "bob"),
        )
        s = assess.score(a)
        whole = sensitivity.monte_carlo(s, draws=300, seed=1)
        monkeypatch.setattr(sensitivity, "CHUNK_CELLS", 5)
        chunked = sensitivity.monte_carlo(s, draws=300, seed=1)
        assert whole.to_json() == chunked.to_json()

    def test_working_memory_does_not_grow_with_the_draws(self) -> None:
        """Besides the posteriors kept for the percentiles, ten times the draws cost no memory."""
        s = assess.score(assessment([("E1", "A", 2, {"H1": "C", "H2": "I"})]))
        rest = []
        for draws in (4_000, 40_000):
            tracemalloc.start()
            try:
                sensitivity.monte_carlo(s, draws=draws)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            rest.append(peak - draws * len(s.hypotheses) * 8)
        assert rest[1] < rest[0] + 8 * 2**20  # was 190 MiB more, a chunk of all the draws

    def test_past_the_budget_is_refused(self) -> None:
        """More draws than BUDGET allows raise ValueError before any is drawn; the most run."""
        s = assess.score(assessment([("E1", "A", 2, {"H1": "C", "H2": "I"})], hypotheses=200))
        most = sensitivity.budget_draws(200, 1, 1)
        assert most == sensitivity.BUDGET // ((200 + 1) * (1 + sensitivity.HYPOTHESIS_WORK) + 1)
        with pytest.raises(ValueError, match=f"at most {most} for 200 hypotheses x 1 items"):
            sensitivity.monte_carlo(s, draws=most + 1)
        assert sensitivity.draw_work(200, 1, 1) * most <= sensitivity.BUDGET

    def test_budget_counts_team_votes(self) -> None:
        """Analysts' ratings in team cells are work too: one each per draw."""
        assert sensitivity.draw_work(2, 3, 4, votes=10) == sensitivity.draw_work(2, 3, 4) + 10

    @given(assessments())
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_nothing_moving_is_the_score(self, a: assess.Assessment) -> None:
        """Rule: with p = 0, fixed priors and table, and no F or 6, every draw is the score."""
        a = judged(a)
        s = assess.score(a)
        mc = still(s, draws=7)
        for h in s.hypotheses:
            assert mc.of(h.id)[1] == pytest.approx((h.posterior,) * 3, abs=1e-12)
        assert mc.of(s.ranking[0].id)[0] == 1.0
        assert mc.factor_stability == (1.0, 1.0, 1.0, 1.0)
        for answer in s.answers:
            assert mc.of_answer(answer.answer)[1] == pytest.approx(
                (answer.probability,) * 3, abs=1e-12
            )

    @given(assessments(), st.integers(0, 2**32 - 1))
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_shares_form_a_distribution(self, a: assess.Assessment, seed: int) -> None:
        """Stability shares sum to 1 (per hypothesis and per answer), bands are ordered."""
        scoring = a.scoring
        mc = sensitivity.monte_carlo(
            assess.score(a),
            draws=200,
            seed=seed,
            concentration=scoring.prior_concentration,
            jitter=scoring.likelihood_jitter,
        )
        assert math.isclose(sum(mc.stability), 1.0)
        for low, mid, high in (*mc.percentiles, *mc.answer_percentiles):
            assert 0 <= low <= mid <= high <= 1
        if mc.answers:
            assert math.isclose(sum(mc.answer_stability), 1.0)
        assert all(0 <= share <= 1 for share in mc.factor_stability)

    def test_robust_case_is_stable(self) -> None:
        """Many strong independent items for H1 keep it leading in every draw, factor by factor."""
        rows = [(f"E{i}", "A", 1, {"H1": "CC", "H2": "II"}) for i in range(6)]
        mc = sensitivity.monte_carlo(assess.score(assessment(rows)), draws=1000)
        assert mc.of("H1")[0] == 1.0
        assert mc.factor_stability == (1.0, 1.0, 1.0, 1.0)
        assert mc.leader == "H1"
        assert mc.most_sensitive is None  # no factor is named when none unseats the leader
        reasons = assess.analyse(assessment(rows), draws=1000).confidence.reasons
        assert not any("most sensitive" in reason for reason in reasons)
        assert "H1 leads in every draw whichever factor moves alone" in reasons

    def test_the_priors_alone(self) -> None:
        """Weak evidence against given priors: only the priors' factor moves the lead."""
        a = assessment([("E1", "A", 1, {"H1": "C", "H2": "N"})])
        a = attrs.evolve(
            a,
            hypotheses=[
                attrs.evolve(a.hypotheses[0], prior=0.45),
                attrs.evolve(a.hypotheses[1], prior=0.55),
            ],
        )
        mc = sensitivity.monte_carlo(
            assess.score(a), draws=4000, perturbation=0.0, concentration=20.0, jitter=0.0
        )
        assert mc.leader == "H1"  # 0.45 x 0.8 > 0.55 x 0.5
        assert mc.factor("priors") < 1.0
        assert mc.factor("ratings") == mc.factor("likelihoods") == 1.0
        assert mc.most_sensitive == "priors"
        assert mc.of("H1")[0] == mc.factor("priors")  # nothing else moves in the full run

    def test_grades_move_per_source(self) -> None:
        """A source's grade moves once per draw, for all its lines and the channels it relays."""
        a = from_sources(
            [
                ("E1", "S", 2, {"H1": "C", "H2": "I"}),
                ("E2", "S", 3, {"H1": "C", "H2": "I"}),
                ("E3", "T", 2, {"H1": "C", "H2": "I"}),
                ("E4", "R", 1, {"H1": "C", "H2": "I"}),
            ],
            grades={"S": "C", "T": "B", "R": "C"},
            fields={"E3": {"via": ["R"]}},
        )
        s = assess.score(a)
        plan = sensitivity._plan(s.matrix)
        quality, pair = sensitivity._drawn_quality(plan, sensitivity._streams(0), 4000, 0.25)
        reliability, credibility = pair // 6, pair % 6
        assert np.array_equal(reliability[:, 0], reliability[:, 1])  # one grade for S
        assert not np.array_equal(credibility[:, 0], credibility[:, 1])  # items move apart
        assert set(np.unique(reliability[:, 0]).tolist()) == {1, 2, 3}  # B, C or D
        relay = reliability[:, 3]  # R's drawn grade, where R originates E4
        m = s.matrix
        expected = (
            m.reliability_values[reliability[:, 2]]
            * m.credibility_values[credibility[:, 2]]
            * m.fidelity_table[relay]
        )
        assert np.array_equal(quality[:, 2], expected)

    def test_unjudged_grades_are_drawn_evenly(self) -> None:
        """F and 6 are drawn over A-E and 1-5, evenly, whatever the perturbation."""
        a = from_sources([("E1", "S", 6, {"H1": "C", "H2": "I"})], grades={"S": "F"})
        plan = sensitivity._plan(assess.score(a).matrix)
        _, pair = sensitivity._drawn_quality(plan, sensitivity._streams(0), 20_000, 0.0)
        for grades in (pair[:, 0] // 6, pair[:, 0] % 6):
            counts = np.bincount(grades, minlength=6)
            assert counts[5] == 0
            assert np.all(np.abs(counts[:5] / 20_000 - 0.2) < 0.015)

    def test_line_fidelity_is_hoopers(self) -> None:
        """
        methods.md section 9: a line's fidelity in a draw is rebuilt from the relays' grades.

        E1 from S (B, 2) reaches us via R; E2 repeats it through Q.  With R
        drawn C (0.75) and Q drawn D (0.5): routes {R} 0.75 and {Q} 0.5, line
        fidelity 1 - 0.25 x 0.5 = 0.875, quality 0.75 x 0.75 x 0.875 =
        0.4921875.  Had E2 been copied from R's version (via R too), the
        routes {R} and {R, Q} share R, and the line gets through exactly when
        R passes it on: 0.75.
        """
        for via, expected in (([], 0.875), (["R"], 0.75)):
            a = from_sources(
                [
                    ("E1", "S", 2, {"H1": "C", "H2": "I"}),
                    ("E2", "Q", 2, {"H1": "C", "H2": "I"}),
                ],
                grades={"S": "B", "R": "A", "Q": "A"},
                fields={"E1": {"via": ["R"]}, "E2": {"derived_from": ["E1"], "via": via}},
            )
            plan = sensitivity._plan(assess.score(a).matrix)
            table = plan.matrix.fidelity_table
            number = {s.id: k for k, s in enumerate(a.sources)}
            fidelity = np.ones((1, 4))
            fidelity[0, number["R"]] = table[2]  # C
            fidelity[0, number["Q"]] = table[3]  # D
            [[line]] = sensitivity._line_fidelity(plan.channels, fidelity, 1)
            assert line == pytest.approx(expected, abs=1e-15)
        assert 0.75 * 0.75 * 0.875 == 0.4921875

    def test_chains_of_repeats(self) -> None:
        """A repeat of a repeat, each through its own relay: stills to the scored posterior."""
        a = from_sources(
            [
                ("E1", "S", 2, {"H1": "C", "H2": "I"}),
                ("E2", "Q", 2, {"H1": "C", "H2": "I"}),
                ("E3", "R", 2, {"H1": "C", "H2": "I"}),
            ],
            grades={"S": "B", "R": "C", "Q": "C"},
            fields={"E2": {"derived_from": ["E1"]}, "E3": {"derived_from": ["E2"]}},
        )
        s = assess.score(a)
        mc = still(s, draws=10)
        assert mc.of("H1")[1] == pytest.approx((s.hypothesis("H1").posterior,) * 3)

    def test_drawn_priors_fill_na(self) -> None:
        """Each draw scores as the assessment with that draw's priors given, NA cells and all."""
        a = assessment(
            [
                ("E1", "A", 1, {"H1": "CC", "H2": "NA", "H3": "II"}),
                ("E2", "B", 2, {"H1": "NA", "H2": "C", "H3": "I"}),
            ],
            hypotheses=3,
        )
        s = assess.score(a)
        plan = sensitivity._plan(s.matrix)
        run = sensitivity._Settings(half=0.0, concentration=5.0, jitter=0.0)
        every = sensitivity._Moves(ratings=True, grades=True, priors=True, likelihoods=True)
        _, posteriors = sensitivity._run(plan, run, [every], 6, 11)
        priors, _ = sensitivity._drawn_priors(s.matrix.priors, 5.0, sensitivity._streams(11), 6)
        for drawn, posterior in zip(priors, posteriors, strict=True):
            given_priors = [
                attrs.evolve(h, prior=float(p)) for h, p in zip(a.hypotheses, drawn, strict=True)
            ]
            again = assess.score(attrs.evolve(a, hypotheses=given_priors))
            assert np.allclose(posterior, again.arrays.posterior, rtol=0, atol=1e-12)

    def test_dirichlet_priors(self) -> None:
        """Drawn priors centre on the priors with the Dirichlet's variance p (1 - p) / (c + 1)."""
        priors = np.array([0.5, 0.25, 0.25])
        drawn, logs = sensitivity._drawn_priors(priors, 50.0, sensitivity._streams(0), 40_000)
        assert np.allclose(drawn.sum(axis=1), 1.0)
        assert np.array_equal(np.exp(logs), drawn)
        assert np.allclose(drawn.mean(axis=0), priors, atol=0.002)
        assert np.allclose(drawn.std(axis=0), np.sqrt(priors * (1 - priors) / 51), rtol=0.03)
        assert round(math.sqrt(0.25 / 51), 3) == 0.07  # methods.md: the sd of the 0.5 prior
        tiny, _ = sensitivity._drawn_priors(priors, 0.001, sensitivity._streams(0), 1000)
        assert np.all(np.isfinite(tiny))
        assert np.allclose(tiny.sum(axis=1), 1.0)

    @given(
        st.lists(st.floats(0.001, 0.999), min_size=5, max_size=5),
        st.floats(0, 0.999),
        st.integers(0, 2**32 - 1),
    )
    def test_jittered_table_stays_monotone(
        self, values: list[float], jitter: float, seed: int
    ) -> None:
        """Rule: a jittered table stays in (0, 1) and falls from CC to II."""
        table = np.array(sorted(values, reverse=True))
        uniform = np.random.default_rng(seed).random((50, 5))
        drawn = sensitivity._drawn_table(table, uniform, jitter)
        assert np.all((drawn > 0) & (drawn < 1))
        assert np.all(np.diff(drawn, axis=1) <= 0)

    def test_jitter_bounds(self) -> None:
        """methods.md section 9: the default table jitters by 0.005, 0.02, 0.05, 0.02, 0.005."""
        table = np.array([0.95, 0.80, 0.50, 0.20, 0.05])
        room = np.array([0.005, 0.02, 0.05, 0.02, 0.005])
        ends = sensitivity._drawn_table(table, np.array([[0.0] * 5, [1.0] * 5]), 0.1)
        assert np.allclose(ends[0], table - room)
        assert np.allclose(ends[1], table + room)

    def test_cell_steps(self) -> None:
        """Cells step down and up with probability p / 2 each, whatever the chunk."""
        rng = sensitivity._streams(0)["cells"]
        step = sensitivity._cell_steps(rng, (2000, 3, 7), 0.1)
        assert set(np.unique(step).tolist()) == {-1, 0, 1}
        assert abs(np.mean(step == -1) - 0.1) < 0.005
        assert abs(np.mean(step == 1) - 0.1) < 0.005
        again = sensitivity._streams(0)["cells"]
        parts = [sensitivity._cell_steps(again, (n, 3, 7), 0.1) for n in (1, 999, 1000)]
        assert np.array_equal(np.concatenate(parts), step)
        assert not sensitivity._cell_steps(rng, (10, 3, 7), 0.0).any()

    def test_step_moves_one_grade_at_most(self) -> None:
        """_step never moves more than one step and stays within the ends."""
        rng = np.random.default_rng(0)
        start = rng.integers(0, 5, 10_000).astype(np.int8)
        moved = sensitivity._step(start, rng.random(10_000, dtype=np.float32), 0.1, 4)
        assert np.all(np.abs(moved.astype(int) - start) <= 1)
        assert moved.min() >= 0
        assert moved.max() <= 4
        share = np.mean(moved != start)
        assert 0.15 < share < 0.25  # p = 0.2, less the steps past an end

    def test_answers(self) -> None:
        """Each answer's stability and band come from the sum of its hypotheses' posteriors."""
        a = assessment(
            [
                ("E1", "B", 2, {"H1": "C", "H2": "I", "H3": "I"}),
                ("E2", "C", 3, {"H1": "N", "H2": "C", "H3": "N"}),
            ],
            hypotheses=3,
        )
        a = attrs.evolve(
            a,
            hypotheses=[
                attrs.evolve(h, answer=answer)
                for h, answer in zip(a.hypotheses, ["yes", "no", "no"], strict=True)
            ],
        )
        s = assess.score(a)
        mc = sensitivity.monte_carlo(s, draws=3000, seed=2)
        assert mc.answers == ("yes", "no")
        yes, no = s.answers
        assert math.isclose(sum(mc.answer_stability), 1.0)
        low, _, high = mc.of_answer("yes")[1]
        assert low < yes.probability < high
        assert mc.of_answer("yes")[1][1] + mc.of_answer("no")[1][1] == pytest.approx(1, abs=0.02)
        assert [d["answer"] for d in mc.to_json()["answers"]] == ["yes", "no"]  # type: ignore[attr-defined]
        assert no.hypotheses == ("H2", "H3")


_ROUTES = st.lists(  # each line's routes: the relays (of six sources) on each
    st.lists(st.frozensets(st.integers(0, 5), max_size=3), min_size=1, max_size=4),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_ROUTES, st.integers(0, 2**32 - 1))
def test_line_fidelity_is_route_fidelity_bit_for_bit(
    routes: list[list[frozenset[int]]], seed: int
) -> None:
    """
    Each line's fidelity in a draw is what scoring's rule gives, bit for bit.

    Lines of several routes that share no relay are computed over a padded
    table, lines whose routes share one line by line (route_fidelity); a line
    of one route is its relays' product, and a line with a firsthand route 1.
    """
    sources, draws = 6, 5
    matrix: Any = SimpleNamespace(
        source_grade=np.zeros(sources, dtype=np.int64),
        lines=SimpleNamespace(routes=tuple(tuple(line) for line in routes)),
    )
    rng = np.random.default_rng(seed)
    drawn = rng.choice([0.0, 0.3, 0.5, 0.75, 1.0, rng.random()], size=(draws, sources))
    fidelity = np.concatenate([drawn, np.ones((draws, 1)), np.zeros((draws, 1))], axis=1)
    line_fidelity = sensitivity._line_fidelity(sensitivity._channels(matrix), fidelity, len(routes))
    for k, line in enumerate(routes):
        if not all(line):
            expected = np.ones(draws)
        elif len(line) == 1:
            expected = np.prod(drawn[:, sorted(line[0])], axis=-1)
        else:
            expected = route_fidelity(line, drawn)
        assert np.array_equal(line_fidelity[:, k], expected), (line, k)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 3000),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_percentiles_equal_numpy_bit_for_bit(
    rows: int, columns: int, seed: int, ties: bool
) -> None:
    """The written-out percentiles are np.percentile's, exactly, ties and all."""
    samples = np.random.default_rng(seed).random((rows, columns))
    if ties:
        samples = np.round(samples, 1)
    expected = np.percentile(samples, sensitivity.PERCENTILES, axis=0)
    assert np.array_equal(sensitivity.percentiles(samples, sensitivity.PERCENTILES), expected)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_assessments(), st.integers(0, 2**16), st.booleans())
def test_grade_pairs_give_each_line_its_own_numbers(
    a: assess.Assessment, seed: int, jittered: bool
) -> None:
    """
    The lookup through the 36 grade pairs equals each line's own, bit for bit.

    The Monte Carlo picks whichever costs less, so the two must agree exactly
    for the draws to stay the same whichever is picked.
    """
    plan = sensitivity._plan(assess.score(a).matrix)
    if not plan.position.size:
        return  # no cells: nothing is looked up
    moves = sensitivity._Settings(half=0.1, concentration=50.0, jitter=0.1 if jittered else 0.0)
    draws = sensitivity._draw(plan, moves, sensitivity._streams(seed), 7)
    engine = sensitivity._Engine(plan)
    table = draws.table if draws.table is not None else engine.table
    assert np.array_equal(
        engine.by_classes(draws, grades=True, table=table), engine.direct(draws, table)
    )
