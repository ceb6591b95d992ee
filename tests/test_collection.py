"""
assess collect: indicators, absence of evidence and the value of information.

The properties rebuild every figure by hand from the model's rules: an
indicator's report arrives with P(seen | h) = q L(r_h) + (1 - q) / 2 (q =
reliability value x credibility value), looking for it finds it with
probability d P(seen | h), and an absent one multiplies each hypothesis's
likelihood by 1 - d P(seen | h).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import assess
from assess.history.timeline import timeline
from assess.methods.collection import COLLECT_FORMAT, Plan
from assess.methods.indicators import observed_as_evidence
from assess.model import IndicatorStatus
from helpers import run_cli
from strategies import SHARES, assessments_with_indicators, indicators, pending_cases

Floats = npt.NDArray[np.float64]

#: Scoring is involved in every example: keep the runs short.
SCORED = settings(max_examples=50, deadline=None)
#: Assessments for the fewest-outcomes search: any, or uneven priors and only pending indicators.
UNSEATING = st.one_of(assessments_with_indicators(), pending_cases())
#: Analyses (timeline, diff) run a Monte Carlo each: fewer examples, few draws.
ANALYSED = settings(max_examples=25, deadline=None)
DRAWS = 20

PENDING, OBSERVED, ABSENT = (
    IndicatorStatus.PENDING,
    IndicatorStatus.OBSERVED,
    IndicatorStatus.ABSENT,
)
#: Ids longer than any the strategies draw (at most 12 characters): they clash with nothing.
FRESH_SOURCE = "observer-of-it"
FRESH_ITEM = "observation-of-it"
FRESH_INDICATOR = "indicator-of-it"


# --------------------------------------------------------------------------- helpers


def indicator(
    indicator_id: str,
    expected: dict[str, str],
    *,
    reliability: str = "B",
    credibility: int = 2,
    **extra: Any,
) -> assess.Indicator:
    """An indicator graded B2 unless told."""
    return assess.Indicator(
        id=indicator_id,
        description=f"Indicator {indicator_id}.",
        expected=expected,
        reliability=reliability,
        credibility=credibility,
        **extra,
    )


def adding(a: assess.Assessment, *extra: assess.Indicator) -> assess.Assessment:
    """The assessment with indicators appended."""
    return attrs.evolve(a, indicators=(*a.indicators, *extra))


def posterior(a: assess.Assessment) -> Floats:
    """assess.score's posteriors, in hypothesis order."""
    return np.array([h.posterior for h in assess.score(a).hypotheses], dtype=np.float64)


def quality(i: assess.Indicator, scoring: assess.Scoring) -> float:
    """The report's quality: reliability value x credibility value."""
    return scoring.reliability_values[i.reliability] * scoring.credibility_values[i.credibility]


def seen_given(i: assess.Indicator, a: assess.Assessment) -> Floats:
    """P(seen | h) of the indicator's report by hand: q L(r_h) + (1 - q) / 2 per hypothesis."""
    q = quality(i, a.scoring)
    table = a.scoring.likelihoods
    return np.array(
        [q * table[i.expected[h.id]] + (1 - q) / 2 for h in a.hypotheses], dtype=np.float64
    )


def detection(i: assess.Indicator, a: assess.Assessment) -> float:
    """The indicator's own detection, or scoring.collection.detection."""
    return a.scoring.collection.detection if i.detection is None else i.detection


def entropy(p: Iterable[float]) -> float:
    """Shannon entropy in bits, 0 log 0 = 0."""
    return -math.fsum(x * math.log2(x) for x in p if x > 0)


def values(pairs: tuple[tuple[str, float], ...]) -> Floats:
    """The numbers of (name, number) pairs, in order."""
    return np.array([x for _, x in pairs], dtype=np.float64)


def pending(a: assess.Assessment) -> list[assess.Indicator]:
    """The pending indicators, in file order."""
    return [i for i in a.indicators if i.status is PENDING]


def answer_groups(a: assess.Assessment) -> dict[str, list[int]]:
    """Each declared answer's hypotheses (indexes), in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for j, h in enumerate(a.hypotheses):
        if h.answer is not None:
            groups.setdefault(h.answer, []).append(j)
    return groups


def with_statuses(
    a: assess.Assessment, outcomes: dict[str, IndicatorStatus | str]
) -> assess.Assessment:
    """The assessment with some indicators rewritten as observed or absent."""
    return attrs.evolve(
        a,
        indicators=[
            attrs.evolve(i, status=outcomes[i.id]) if i.id in outcomes else i for i in a.indicators
        ],
    )


# --------------------------------------------------------------------------- the value of looking


#: Priors 0.25, 0.25 and 0.5, no evidence: rounding alone gives a flat indicator a gain of 2e-16.
TIED = assess.Assessment(
    id="tied",
    title="Tied",
    hypotheses=[
        assess.Hypothesis(id=h, statement=h, prior=p)
        for h, p in (("H1", 0.25), ("H2", 0.25), ("H3", 0.5))
    ],
)


class TestConstantIndicatorsTeachNothing:
    """Rule: "An indicator rated the same under every hypothesis has expected gain 0"."""

    @SCORED
    @given(assessments_with_indicators(), st.sampled_from(["CC", "C", "N", "I", "II"]), SHARES)
    @example(TIED, "I", 1.0)
    def test_gain_is_zero(self, a: assess.Assessment, rating: str, d: float) -> None:
        """Gain exactly 0.0 (of the answers too), no leader change, and no outcome moves p."""
        flat = indicator(FRESH_INDICATOR, dict.fromkeys((h.id for h in a.hypotheses), rating))
        b = adding(a, attrs.evolve(flat, detection=d))
        plan = assess.collect(b)
        [value] = [v for v in plan.indicators if v.id == FRESH_INDICATOR]
        assert value.expected_information_gain == 0.0
        assert value.p_leader_changes == 0.0
        if plan.answers_entropy is not None:
            assert value.answers_information_gain == 0.0
        now = posterior(b)
        np.testing.assert_allclose(values(value.if_observed), now, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(values(value.if_absent), now, rtol=1e-12, atol=1e-15)

    def test_tied_priors(self) -> None:
        """
        Priors 0.25, 0.25, 0.5 and an indicator rated I everywhere, B2, detection 1: gain 0.0.

        Not a value within rounding of 0: the rule says exactly 0, and the
        ranking breaks equal gains by id.
        """
        flat = indicator("K", {"H1": "I", "H2": "I", "H3": "I"}, detection=1.0)
        [value] = assess.collect(adding(TIED, flat)).indicators
        assert value.expected_information_gain == 0.0


class TestGainIsBounded:
    """
    Rule: "Expected gain is never negative and never exceeds the current entropy".

    The current entropy is that of the posterior now (``Plan.entropy``); the
    same holds of the answers: their gain lies in [0, their entropy].
    """

    @SCORED
    @given(assessments_with_indicators())
    def test_between_zero_and_the_entropy(self, a: assess.Assessment) -> None:
        """0 <= gain <= Plan.entropy, and 0 <= answers gain <= Plan.answers_entropy."""
        plan = assess.collect(a)
        assert plan.entropy == pytest.approx(entropy(posterior(a)), abs=1e-12)
        for v in plan.indicators:
            assert 0.0 <= v.expected_information_gain <= plan.entropy
            if plan.answers_entropy is None:
                assert v.answers_information_gain is None
            else:
                assert v.answers_information_gain is not None
                assert 0.0 <= v.answers_information_gain <= plan.answers_entropy

    @SCORED
    @given(assessments_with_indicators())
    def test_gain_is_the_expected_fall_in_entropy(self, a: assess.Assessment) -> None:
        """Gain = H(p) - P(seen) H(p | seen) - P(absent) H(p | absent), worked out again by hand."""
        plan = assess.collect(a)
        for v in plan.indicators:
            if v.expected_information_gain == 0.0:
                continue  # a non-diagnostic indicator is 0 by rule (pinned above)
            after = v.p_observed * entropy(values(v.if_observed)) + (1 - v.p_observed) * entropy(
                values(v.if_absent)
            )
            expected = min(max(plan.entropy - after, 0.0), plan.entropy)
            assert v.expected_information_gain == pytest.approx(expected, abs=1e-9)


class TestOutcomesAreCoherent:
    """
    Rule: "Each outcome is Bayes' rule, and on average the posterior stays where it is".

    P(seen) = d x sum_h p_h P(seen | h); the posterior after each outcome
    sums to 1; and P(seen) if_observed + (1 - P(seen)) if_absent is the
    current posterior (the posterior is a martingale).
    """

    @SCORED
    @given(assessments_with_indicators())
    def test_each_outcome(self, a: assess.Assessment) -> None:
        """P(seen), both posteriors and their average, per pending indicator, by hand."""
        plan = assess.collect(a)
        now = posterior(a)
        by_id = {v.id: v for v in plan.indicators}
        assert sorted(by_id) == sorted(i.id for i in pending(a))
        for i in pending(a):
            v = by_id[i.id]
            ell, d = seen_given(i, a), detection(i, a)
            assert v.detection == d
            assert v.quality == pytest.approx(quality(i, a.scoring), abs=1e-15)
            p_seen = d * float((now * ell).sum())
            assert v.p_observed == pytest.approx(p_seen, rel=1e-12, abs=1e-15)
            seen, absent = values(v.if_observed), values(v.if_absent)
            assert math.fsum(seen) == pytest.approx(1.0, abs=1e-12)
            assert math.fsum(absent) == pytest.approx(1.0, abs=1e-12)
            np.testing.assert_allclose(
                v.p_observed * seen + (1 - v.p_observed) * absent, now, rtol=0, atol=1e-12
            )
            np.testing.assert_allclose(seen, now * ell / (now * ell).sum(), rtol=1e-12, atol=1e-15)
            missed = now * (1 - d * ell)
            np.testing.assert_allclose(absent, missed / missed.sum(), rtol=1e-12, atol=1e-15)
            assert [h for h, _ in v.if_observed] == [h.id for h in a.hypotheses]

    @SCORED
    @given(assessments_with_indicators())
    def test_leader_change_is_a_probability(self, a: assess.Assessment) -> None:
        """p_leader_changes is in [0, 1]: the chance of the outcomes that unseat the leader."""
        plan = assess.collect(a)
        leader = plan.leader
        for v in plan.indicators:
            assert 0.0 <= v.p_leader_changes <= 1.0
            if v.expected_information_gain == 0.0:
                continue

            def changes(after: tuple[tuple[str, float], ...]) -> bool:
                rounded = {h: round(p, 12) for h, p in after}
                return any(p > rounded[leader] for h, p in rounded.items() if h != leader)

            expected = v.p_observed * changes(v.if_observed) + (1 - v.p_observed) * changes(
                v.if_absent
            )
            assert v.p_leader_changes == pytest.approx(expected, abs=1e-12)

    @SCORED
    @given(assessments_with_indicators())
    def test_answers_are_the_sums_of_their_hypotheses(self, a: assess.Assessment) -> None:
        """With answers, each outcome's answers are the sums over their hypotheses."""
        groups = answer_groups(a)
        plan = assess.collect(a)
        for v in plan.indicators:
            if not groups:
                assert (v.answers_if_observed, v.answers_if_absent) == ((), ())
                continue
            for mine, theirs in (
                (v.answers_if_observed, v.if_observed),
                (v.answers_if_absent, v.if_absent),
            ):
                assert [name for name, _ in mine] == list(groups)
                hypotheses = values(theirs)
                for (_, p), columns in zip(mine, groups.values(), strict=True):
                    assert p == pytest.approx(hypotheses[columns].sum(), abs=1e-12)


class TestRankingIgnoresDeclarationOrder:
    """Rule: "The collect ranking is independent of the order of declaration"."""

    @SCORED
    @given(assessments_with_indicators(), st.randoms(use_true_random=False))
    def test_permuted_indicators(self, a: assess.Assessment, rnd: Any) -> None:
        """Shuffled indicators: the same ranked ids, the same numbers, the same unseating set."""
        shuffled = list(a.indicators)
        rnd.shuffle(shuffled)
        one, two = assess.collect(a), assess.collect(attrs.evolve(a, indicators=shuffled))
        assert [v.id for v in one.indicators] == [v.id for v in two.indicators]
        for x, y in zip(one.indicators, two.indicators, strict=True):
            for name in ("p_observed", "expected_information_gain", "p_leader_changes"):
                assert getattr(x, name) == pytest.approx(getattr(y, name), abs=1e-12)
            np.testing.assert_allclose(values(x.if_observed), values(y.if_observed), atol=1e-12)
            np.testing.assert_allclose(values(x.if_absent), values(y.if_absent), atol=1e-12)
        assert one.leader == two.leader
        assert one.entropy == pytest.approx(two.entropy, abs=1e-12)
        if one.unseat is None or two.unseat is None:
            assert one.unseat is two.unseat is None
        else:
            assert one.unseat.observations == two.unseat.observations
            assert one.unseat.challenger == two.unseat.challenger

    @SCORED
    @given(assessments_with_indicators())
    def test_ranked_by_gain_then_id(self, a: assess.Assessment) -> None:
        """Pending indicators come by gain, largest first, ties by id."""
        plan = assess.collect(a)
        keys = [(-v.expected_information_gain, v.id) for v in plan.indicators]
        assert keys == sorted(keys)


# --------------------------------------------------------------------------- scoring the outcomes


class TestObservedIsEvidence:
    """
    Rule: "An observed indicator's effect equals that of the same observation written as evidence".

    The evidence is an item with the indicator's ratings and credibility,
    from a fresh source with the indicator's reliability.
    """

    @SCORED
    @given(assessments_with_indicators(), st.data())
    def test_same_posteriors(self, a: assess.Assessment, data: st.DataObject) -> None:
        """The posteriors agree to 1e-12 (the rows are summed in another order)."""
        taken = (
            {e.id for e in a.evidence} | {s.id for s in a.sources} | {i.id for i in a.indicators}
        )
        [seen] = data.draw(
            indicators(
                [h.id for h in a.hypotheses], taken, statuses=[OBSERVED], min_size=1, max_size=1
            )
        )
        written = attrs.evolve(
            a,
            sources=(
                *a.sources,
                assess.Source(id=FRESH_SOURCE, name="Someone", reliability=seen.reliability),
            ),
            evidence=(
                *a.evidence,
                assess.Evidence(
                    id=FRESH_ITEM,
                    summary="It was seen.",
                    kind="report",
                    source=FRESH_SOURCE,
                    credibility=seen.credibility,
                    ratings=dict(seen.expected),
                ),
            ),
        )
        one, two = assess.score(adding(a, seen)), assess.score(written)
        np.testing.assert_allclose(
            [h.posterior for h in one.hypotheses], [h.posterior for h in two.hypotheses], rtol=1e-12
        )
        np.testing.assert_allclose(
            [h.log_likelihood for h in one.hypotheses],
            [h.log_likelihood for h in two.hypotheses],
            rtol=1e-12,
            atol=1e-12,
        )

    def test_exactly_when_it_is_the_only_one(self) -> None:
        """Alone, the indicator is the same row as the item: equal posteriors, bit for bit."""
        a = two_hypotheses(priors=(0.3, 0.7))
        seen = indicator("K", {"H1": "C", "H2": "II"}, reliability="C", credibility=3)
        written = attrs.evolve(
            a,
            sources=[assess.Source(id="K", name="n", reliability="C")],
            evidence=[
                assess.Evidence(
                    id="K",
                    summary="s",
                    kind="report",
                    source="K",
                    credibility=3,
                    ratings={"H1": "C", "H2": "II"},
                )
            ],
        )
        observed = adding(a, attrs.evolve(seen, status=OBSERVED))
        assert list(posterior(observed)) == list(posterior(written))

    @SCORED
    @given(assessments_with_indicators())
    def test_folding_is_idempotent(self, a: assess.Assessment) -> None:
        """observed_as_evidence leaves no observed indicator, so a second call changes nothing."""
        once = observed_as_evidence(a)
        assert observed_as_evidence(once) == once
        assert all(i.status is not OBSERVED for i in once.indicators)
        seen = [i.id for i in a.indicators if i.status is OBSERVED]
        assert [e.id for e in once.evidence] == [e.id for e in a.evidence] + seen


class TestUnlookedAbsenceIsSilent:
    """Rule: "An absent indicator with d = 0 changes nothing"."""

    @SCORED
    @given(assessments_with_indicators(), st.data())
    def test_same_posteriors(self, a: assess.Assessment, data: st.DataObject) -> None:
        """The posteriors and log-likelihoods are those without it, exactly."""
        taken = (
            {e.id for e in a.evidence} | {s.id for s in a.sources} | {i.id for i in a.indicators}
        )
        [blind] = data.draw(
            indicators(
                [h.id for h in a.hypotheses], taken, statuses=[ABSENT], min_size=1, max_size=1
            )
        )
        one, two = assess.score(a), assess.score(adding(a, attrs.evolve(blind, detection=0.0)))
        assert [h.posterior for h in one.hypotheses] == [h.posterior for h in two.hypotheses]
        assert [h.log_likelihood for h in one.hypotheses] == [
            h.log_likelihood for h in two.hypotheses
        ]


class TestAbsenceFavoursTheUnexpecting:
    """
    Rule: "Absence of evidence favours the hypotheses under which the thing was less expected".

    Looked for (d > 0) and not found, a report expected CC under H1 and II
    under H2 (quality > 0) lowers P(H1) / P(H2), by the factor
    (1 - d P(seen | H1)) / (1 - d P(seen | H2)).
    """

    @SCORED
    @given(assessments_with_indicators(), st.floats(0.01, 1), st.data())
    def test_odds_fall(self, a: assess.Assessment, d: float, data: st.DataObject) -> None:
        """P(H1) / P(H2) falls by exactly that factor."""
        first, second = a.hypotheses[0].id, a.hypotheses[1].id
        taken = (
            {e.id for e in a.evidence} | {s.id for s in a.sources} | {i.id for i in a.indicators}
        )
        [drawn] = data.draw(
            indicators(
                [h.id for h in a.hypotheses], taken, statuses=[ABSENT], min_size=1, max_size=1
            )
        )
        expected = {**drawn.expected, first: "CC", second: "II"}
        gone = attrs.evolve(drawn, expected=expected, detection=d)
        ell = seen_given(gone, a)
        factor = (1 - d * ell[0]) / (1 - d * ell[1])
        assume(factor < 1 - 1e-9)  # quality 0, or a table with CC = II, moves nothing
        before, after = posterior(a), posterior(adding(a, gone))
        assume(min(before[0], before[1], after[0], after[1]) > 1e-300)
        assert after[0] / after[1] < before[0] / before[1]
        assert after[0] / after[1] == pytest.approx(before[0] / before[1] * factor, rel=1e-9)

    def test_the_more_expected_loses(self) -> None:
        """Three hypotheses, CC / N / II: not finding it ranks them H3, H2, H1."""
        a = adding(
            three_hypotheses(),
            indicator("K", {"H1": "CC", "H2": "N", "H3": "II"}, status="absent", detection=0.8),
        )
        p = posterior(a)
        assert p[0] < p[1] < p[2]


# --------------------------------------------------------------------------- the fewest outcomes


def margins(a: assess.Assessment, plan: Plan) -> list[tuple[dict[str, IndicatorStatus], float]]:
    """
    Every plausible assignment of outcomes to pending indicators, with its margin.

    The margin is how far, in ln posterior, the best other hypothesis stands
    above the leader once the outcomes are in (> 0: the leader is unseated).
    An outcome is plausible when it is at least ``plausible`` likely now.
    """
    now = posterior(a)
    names = [h.id for h in a.hypotheses]
    leader = names.index(plan.leader)
    with np.errstate(divide="ignore"):
        base = np.log(now)
    options = []
    for i in pending(a):
        ell, d = seen_given(i, a), detection(i, a)
        p_seen = d * float((now * ell).sum())
        found: list[tuple[IndicatorStatus | None, Floats]] = [(None, np.zeros(len(names)))]
        if p_seen >= plan.plausible and p_seen > 0:
            found.append((OBSERVED, np.log(ell)))
        if 1 - p_seen >= plan.plausible:
            found.append((ABSENT, np.log1p(-d * ell)))
        options.append([(i.id, outcome, term) for outcome, term in found])
    result = []
    for choice in itertools.product(*options):
        total = base + sum((term for _, _, term in choice), np.zeros(len(names)))
        others = np.delete(total, leader)
        outcomes = {k: o for k, o, _ in choice if o is not None}
        result.append((outcomes, float(others.max() - total[leader])))
    return result


class TestUnseatingIsTheFewest:
    """
    Rule: "The unseating set unseats the leader, and no smaller plausible set does".

    Checked by brute force over every assignment of outcomes to at most
    four pending indicators, each outcome at least ``plausible`` likely
    under the current posterior.
    """

    @SCORED
    @given(UNSEATING)
    def test_fewest(self, a: assess.Assessment) -> None:
        """The set named is as small as any that unseats; none is named when none exists."""
        plan = assess.collect(a)
        now = posterior(a)
        for i in pending(a):
            p_seen = detection(i, a) * float((now * seen_given(i, a)).sum())
            assume(abs(p_seen - plan.plausible) > 1e-12)
            assume(abs(1 - p_seen - plan.plausible) > 1e-12)
        found = margins(a, plan)
        assume(all(m == 0 or abs(m) > 1e-9 for _, m in found))  # no near tie either way
        unseating = [len(outcomes) for outcomes, m in found if m > 0]
        if plan.unseat is None:
            assert unseating == []
            return
        assert plan.unseat.leader == plan.leader
        assert len(plan.unseat.observations) == min(unseating)
        named = {k: IndicatorStatus(o) for k, o in plan.unseat.observations}
        [margin] = [m for outcomes, m in found if outcomes == named]
        assert margin > 0
        ids = [i for i, _ in plan.unseat.observations]
        assert ids == sorted(ids)

    @SCORED
    @given(UNSEATING)
    def test_rescored(self, a: assess.Assessment) -> None:
        """Rewriting the named indicators so and re-scoring puts the challenger above the leader."""
        plan = assess.collect(a)
        unseat = plan.unseat
        if unseat is None:
            return
        by_id = {v.id: v for v in plan.indicators}
        for name, outcome in unseat.observations:
            p_seen = by_id[name].p_observed
            assert (p_seen if outcome == "observed" else 1 - p_seen) >= plan.plausible
        rewritten = with_statuses(a, dict(unseat.observations))
        after = {h.id: h.posterior for h in assess.score(rewritten).hypotheses}
        assert after[unseat.challenger] == pytest.approx(unseat.challenger_after, abs=1e-9)
        assert after[unseat.leader] == pytest.approx(unseat.leader_after, abs=1e-9)
        assume(abs(after[unseat.challenger] - after[unseat.leader]) > 1e-9)
        assert after[unseat.challenger] > after[unseat.leader]


# --------------------------------------------------------------------------- worked by hand


def two_hypotheses(priors: tuple[float, float] = (0.4, 0.6)) -> assess.Assessment:
    """H1 and H2 with the priors given, no evidence."""
    return assess.Assessment(
        id="worked",
        title="Worked",
        hypotheses=[
            assess.Hypothesis(id="H1", statement="One.", prior=priors[0]),
            assess.Hypothesis(id="H2", statement="Two.", prior=priors[1]),
        ],
    )


def three_hypotheses() -> assess.Assessment:
    """H1, H2, H3 with even priors, no evidence."""
    return assess.Assessment(
        id="three",
        title="Three",
        hypotheses=[assess.Hypothesis(id=f"H{j}", statement="s") for j in (1, 2, 3)],
    )


class TestWorkedExample:
    """
    Two hypotheses, priors 0.4 and 0.6, no evidence; K graded A1 (quality 1).

    K is expected CC under H1 and II under H2, so P(seen | H1) = 0.95 and
    P(seen | H2) = 0.05; its detection is the default 0.5.
    """

    def plan(self) -> Plan:
        """The worked assessment's plan."""
        k = indicator("K", {"H1": "CC", "H2": "II"}, reliability="A", credibility=1)
        return assess.collect(adding(two_hypotheses(), k))

    def test_outcomes(self) -> None:
        """P(seen), both posteriors and the gain, worked out by hand."""
        # P(seen) = d (p1 l1 + p2 l2) = 0.5 (0.4 x 0.95 + 0.6 x 0.05) = 0.5 x 0.41 = 0.205
        p_seen = 0.5 * (0.4 * 0.95 + 0.6 * 0.05)
        assert p_seen == pytest.approx(0.205, abs=1e-15)
        # Seen: (0.4 x 0.95, 0.6 x 0.05) / 0.41 = (0.38, 0.03) / 0.41
        seen = (0.38 / 0.41, 0.03 / 0.41)
        # Absent: (0.4 (1 - 0.5 x 0.95), 0.6 (1 - 0.5 x 0.05)) / 0.795 = (0.21, 0.585) / 0.795
        absent = (0.21 / 0.795, 0.585 / 0.795)
        # Gain: H(0.4, 0.6) - 0.205 H(seen) - 0.795 H(absent), in bits
        #     = 0.97095 - 0.205 x 0.37765 - 0.795 x 0.83295 = 0.97095 - 0.07742 - 0.66219
        #     = 0.23134.
        assert (entropy((0.4, 0.6)), entropy(seen), entropy(absent)) == pytest.approx(
            (0.97095, 0.37765, 0.83295), abs=1e-5
        )
        gain = entropy((0.4, 0.6)) - 0.205 * entropy(seen) - 0.795 * entropy(absent)
        assert gain == pytest.approx(0.23134, abs=1e-5)
        plan = self.plan()
        [k] = plan.indicators
        assert (k.id, k.quality, k.detection) == ("K", 1.0, 0.5)
        assert k.p_observed == pytest.approx(p_seen, abs=1e-15)
        assert dict(k.if_observed) == pytest.approx(
            dict(zip(("H1", "H2"), seen, strict=True)), abs=1e-12
        )
        assert dict(k.if_absent) == pytest.approx(
            dict(zip(("H1", "H2"), absent, strict=True)), abs=1e-12
        )
        assert k.expected_information_gain == pytest.approx(gain, abs=1e-12)
        assert plan.entropy == pytest.approx(entropy((0.4, 0.6)), abs=1e-15)
        assert (plan.leader, plan.runner_up) == ("H2", "H1")

    def test_leader_and_unseating(self) -> None:
        """Seeing K puts H1 first, not finding it does not: P(leader changes) = P(seen)."""
        plan = self.plan()
        [k] = plan.indicators
        assert k.p_leader_changes == pytest.approx(0.205, abs=1e-15)
        assert plan.unseat is not None
        assert plan.unseat.to_json() == {
            "leader": "H2",
            "challenger": "H1",
            "observations": [{"id": "K", "outcome": "observed"}],
            "leader_after": pytest.approx(0.03 / 0.41, abs=1e-12),
            "challenger_after": pytest.approx(0.38 / 0.41, abs=1e-12),
        }

    def test_discriminator(self) -> None:
        """A B2 report CC under H2 and II under H1 would move P(H2) from 0.6, both ways."""
        # q = 0.75 x 0.75 = 0.5625; CC: 0.5625 x 0.95 + 0.4375 / 2 = 0.753125,
        # II: 0.5625 x 0.05 + 0.21875 = 0.246875.
        strong, weak = 0.753125, 0.246875
        for_h2 = 0.6 * strong / (0.6 * strong + 0.4 * weak)  # 0.451875 / 0.550625
        against = 0.6 * weak / (0.6 * weak + 0.4 * strong)  # 0.148125 / 0.449375
        [d] = self.plan().discriminators
        assert (d.between, d.first, d.second, d.grade) == ("hypotheses", "H2", "H1", "B2")
        assert dict(d.pattern) == {"H1": "II", "H2": "CC"}
        assert d.probability == pytest.approx(0.6, abs=1e-15)
        assert d.if_for == pytest.approx(for_h2, abs=1e-12)
        assert d.if_against == pytest.approx(against, abs=1e-12)
        assert d.if_for == pytest.approx(0.8207, abs=1e-4)
        assert d.lines == ()

    def test_absent_in_the_score(self) -> None:
        """Written as absent, K moves the posterior to the 'absent' outcome: 0.21 / 0.795."""
        k = indicator(
            "K", {"H1": "CC", "H2": "II"}, reliability="A", credibility=1, status="absent"
        )
        scores = assess.score(adding(two_hypotheses(), k))
        assert scores.hypotheses[0].posterior == pytest.approx(0.21 / 0.795, abs=1e-12)
        # ln(1 - 0.5 x 0.95) and ln(1 - 0.5 x 0.05) join the log-likelihoods.
        assert [h.log_likelihood for h in scores.hypotheses] == pytest.approx(
            [math.log(0.525), math.log(0.975)], abs=1e-15
        )

    def test_no_detection_no_outcome(self) -> None:
        """Detection 0: P(seen) = 0, gain 0, and 'absent' leaves the posterior where it is."""
        k = indicator("K", {"H1": "CC", "H2": "II"}, detection=0.0)
        [v] = assess.collect(adding(two_hypotheses(), k)).indicators
        assert (v.p_observed, v.expected_information_gain, v.p_leader_changes) == (0.0, 0.0, 0.0)
        assert dict(v.if_absent) == pytest.approx({"H1": 0.4, "H2": 0.6}, abs=1e-15)


# --------------------------------------------------------------------------- discriminators


class TestDiscriminatorsSeparateThePairs:
    """
    Rule: "A discriminator separates the leader from the runner-up, then each pair of answers".

    The report it describes moves P(first) up when rated for it and down
    when rated against it; the lines that already separate the pair come
    strongest first.
    """

    @SCORED
    @given(assessments_with_indicators())
    def test_pairs(self, a: assess.Assessment) -> None:
        """Leader vs runner-up first, then one per pair of answers in order of appearance."""
        plan = assess.collect(a)
        groups = answer_groups(a)
        expected = [("hypotheses", plan.leader, plan.runner_up)]
        expected += [("answers", x, y) for x, y in itertools.combinations(groups, 2)]
        assert [(d.between, d.first, d.second) for d in plan.discriminators] == expected

    @SCORED
    @given(assessments_with_indicators())
    def test_moves(self, a: assess.Assessment) -> None:
        """if_for >= probability >= if_against; strictly when the report can tell them apart."""
        plan = assess.collect(a)
        now = posterior(a)
        names = [h.id for h in a.hypotheses]
        groups = answer_groups(a)
        scoring = a.scoring
        rule = scoring.collection
        q = (
            scoring.reliability_values[rule.reliability]
            * scoring.credibility_values[rule.credibility]
        )
        table = scoring.likelihoods
        apart = q * (table[assess.Rating.CC] - table[assess.Rating.II])
        for d in plan.discriminators:
            if d.between == "hypotheses":
                first, second = [names.index(d.first)], [names.index(d.second)]
            else:
                first, second = groups[d.first], groups[d.second]
            p_first, p_second = now[first].sum(), now[second].sum()
            assert d.probability == pytest.approx(p_first, abs=1e-12)
            assert d.if_for >= d.probability - 1e-12
            assert d.probability >= d.if_against - 1e-12
            if apart > 1e-6 and 1e-6 < p_first < 1 - 1e-6 and p_second > 1e-6:
                assert d.if_for > d.probability > d.if_against
            pattern = dict(d.pattern)
            assert list(pattern) == names
            assert {h for h, r in pattern.items() if r == "CC"} == {names[j] for j in first}
            assert {h for h, r in pattern.items() if r == "II"} == {names[j] for j in second}

    @SCORED
    @given(assessments_with_indicators())
    def test_lines_strongest_first(self, a: assess.Assessment) -> None:
        """Lines come by |ln factor|, largest first (ties by id); none that moves nothing."""
        plan = assess.collect(a)
        for d in plan.discriminators:
            keys = [(-abs(math.log(s.factor)), s.line) for s in d.lines]
            assert keys == sorted(keys)
            assert all(round(math.log(s.factor), 12) != 0 for s in d.lines)

    def test_one_hypothesis_pair_without_answers(self) -> None:
        """Three hypotheses and no answers: one discriminator, the leading pair."""
        a = adding(three_hypotheses(), indicator("K", {"H1": "C", "H2": "I", "H3": "N"}))
        a = attrs.evolve(
            a,
            hypotheses=[
                attrs.evolve(h, prior=p) for h, p in zip(a.hypotheses, (0.2, 0.5, 0.3), strict=True)
            ],
        )
        [d] = assess.collect(a).discriminators
        assert (d.between, d.first, d.second) == ("hypotheses", "H2", "H3")
        assert dict(d.pattern) == {"H1": "N", "H2": "CC", "H3": "II"}


# --------------------------------------------------------------------------- the command

EXAMPLE = """\
assessment: t
title: T
as_of: 2024-01-01
hypotheses:
  - {id: H1, statement: state supply, answer: "yes"}
  - {id: H2, statement: third party, answer: "no"}
  - {id: H3, statement: nothing, answer: "no"}
sources:
  - {id: S1, name: one, reliability: B}
  - {id: S2, name: two, reliability: C}
evidence:
  - {id: E1, summary: a, kind: report, source: S1, credibility: 2, ratings: {H1: C, H2: C, H3: I}}
  - {id: E2, summary: b, kind: report, source: S2, credibility: 3, ratings: {H1: I, H2: C, H3: N}}
indicators:
  - id: K1
    description: trace the weapons to state stocks
    expected: {H1: CC, H2: II, H3: II}
    reliability: B
    credibility: 2
    answer_by: 2023-06-01
  - id: K2
    description: payment trail
    expected: {H1: C, H2: I, H3: I}
    reliability: C
    credibility: 3
    status: absent
    detection: 0.6
  - id: K3
    description: route seen
    expected: {H1: I, H2: C, H3: I}
    reliability: B
    credibility: 2
    status: observed
  - id: K4
    description: flat
    expected: {H1: C, H2: C, H3: C}
    reliability: A
    credibility: 1
    answer_by: 2025-01-01
  - id: K5
    description: a weak sign
    expected: {H1: C, H2: N, H3: N}
    reliability: C
    credibility: 3
"""
#: The contract's keys (assess-collect/1), and those that answers add.
PLAN_KEYS = {
    "format",
    "assessment",
    "digest",
    "leader",
    "runner_up",
    "entropy",
    "plausible",
    "indicators",
    "unseat",
    "discriminators",
}
INDICATOR_KEYS = {
    "id",
    "description",
    "quality",
    "detection",
    "p_observed",
    "expected_information_gain",
    "p_leader_changes",
    "if_observed",
    "if_absent",
    "answer_by",
    "overdue",
}
ANSWER_KEYS = {"answers_information_gain", "answers_if_observed", "answers_if_absent"}
DISCRIMINATOR_KEYS = {
    "between",
    "first",
    "second",
    "grade",
    "pattern",
    "probability",
    "if_for",
    "if_against",
    "lines",
}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EXAMPLE as a.yaml, and the same without answers as plain.yaml, in the current directory."""
    (tmp_path / "a.yaml").write_text(EXAMPLE, encoding="utf-8")
    plain = EXAMPLE.replace(', answer: "yes"', "").replace(', answer: "no"', "")
    (tmp_path / "plain.yaml").write_text(plain, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "a.yaml"


def overdue_at(text: str) -> tuple[int, int]:
    """Line and column of K1's answer_by value in ``text``."""
    lines = text.splitlines()
    line = next(n for n, s in enumerate(lines, 1) if s.strip() == "answer_by: 2023-06-01")
    return line, lines[line - 1].index("2023") + 1


class TestJsonContract:
    """assess collect --format json: the keys of assess-collect/1, exactly."""

    def test_keys(self, files: Path) -> None:
        """Top level, indicators, unseat and discriminators carry exactly the contract's keys."""
        status, out, _ = run_cli("collect", "a.yaml", "--format", "json")
        assert status == 0
        data = json.loads(out)
        assert list(data) == sorted(data)
        assert set(data) == PLAN_KEYS | {"answers_entropy"}
        assert data["format"] == COLLECT_FORMAT == "assess-collect/1"
        assert data["assessment"] == "t"
        assert data["digest"] == assess.digest(assess.load(files))
        assert [i["id"] for i in data["indicators"]] == ["K1", "K5", "K4"]
        for item in data["indicators"]:
            assert set(item) == INDICATOR_KEYS | ANSWER_KEYS
            assert set(item["if_observed"]) == set(item["if_absent"]) == {"H1", "H2", "H3"}
            assert set(item["answers_if_observed"]) == {"yes", "no"}
        assert set(data["unseat"]) == {
            "leader",
            "challenger",
            "observations",
            "leader_after",
            "challenger_after",
        }
        assert data["unseat"]["observations"] == [{"id": "K1", "outcome": "observed"}]
        for d in data["discriminators"]:
            assert set(d) == DISCRIMINATOR_KEYS
            for line in d["lines"]:
                assert set(line) == {"line", "grade", "factor", "full_factor"}

    @pytest.mark.usefixtures("files")
    def test_no_answers_no_answer_keys(self) -> None:
        """Without answers: no answers_entropy and no answers_* keys on an indicator."""
        status, out, _ = run_cli("collect", "plain.yaml", "--format", "json")
        assert status == 0
        data = json.loads(out)
        assert set(data) == PLAN_KEYS
        for item in data["indicators"]:
            assert set(item) == INDICATOR_KEYS
        assert [d["between"] for d in data["discriminators"]] == ["hypotheses"]

    def test_same_as_the_plan(self, files: Path) -> None:
        """The JSON is Plan.to_json(), overdue marks and dates included."""
        _, out, _ = run_cli("collect", "a.yaml", "--format", "json")
        data = json.loads(out)
        assert data == json.loads(json.dumps(assess.collect(assess.load(files)).to_json()))
        by_id = {i["id"]: i for i in data["indicators"]}
        assert (by_id["K1"]["overdue"], by_id["K1"]["answer_by"]) == (True, "2023-06-01")
        assert (by_id["K4"]["overdue"], by_id["K4"]["answer_by"]) == (False, "2025-01-01")
        assert (by_id["K5"]["overdue"], by_id["K5"]["answer_by"]) == (False, None)


def test_analysis_carries_the_plan() -> None:
    """The analysis's JSON has the plan under collection, less format, assessment and digest."""
    a = assess.loads(EXAMPLE)
    plan = assess.collect(a).to_json()
    for key in ("format", "assessment", "digest"):
        del plan[key]
    data = assess.analyse(attrs.evolve(a, scoring=assess.Scoring(draws=DRAWS))).to_json()
    assert data["collection"] == plan


class TestCommand:
    """assess collect as text: ranked by gain, overdue marked and warned of, exit statuses."""

    def test_text(self, files: Path) -> None:
        """Rows by gain; K1 marked OVERDUE; one warning on stderr at K1's answer_by; exit 0."""
        status, out, err = run_cli("collect", "a.yaml")
        assert status == 0
        rows = [s.split() for s in out.splitlines() if s.startswith("  K")]
        assert [r[0] for r in rows] == ["K1", "K5", "K4"]
        assert rows[0][-2:] == ["2023-06-01", "OVERDUE"]
        assert [s for s in out.splitlines() if "OVERDUE" in s] == [
            s for s in out.splitlines() if s.startswith("  K1 ")
        ]
        assert out.startswith("t: T\nleader H2, runner-up H1;")
        assert "fewest plausible outcomes that would unseat H2: K1 observed" in out
        line, column = overdue_at(files.read_text(encoding="utf-8"))
        assert err.splitlines() == [
            (
                f"a.yaml:{line}:{column}: warning: indicator K1 should have been seen by"
                " 2023-06-01 and is still pending at 2024-01-01: record it as observed or absent"
            )
        ]

    @pytest.mark.usefixtures("files")
    def test_table_is_text(self) -> None:
        """--format table, the old name of text, prints the same text."""
        assert run_cli("collect", "--format", "table", "a.yaml") == run_cli("collect", "a.yaml")

    def test_json_warns_too(self, files: Path) -> None:
        """The overdue warning goes to stderr with --format json as well; stdout stays JSON."""
        status, out, err = run_cli("collect", "--format", "json", "a.yaml")
        line, column = overdue_at(files.read_text(encoding="utf-8"))
        assert status == 0
        json.loads(out)
        assert err.startswith(f"a.yaml:{line}:{column}: warning: indicator K1 ")

    def test_only_overdue_warnings(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Other score warnings (a non-diagnostic observed indicator) are not printed by collect."""
        text = EXAMPLE.replace("as_of: 2024-01-01\n", "").replace(
            "    reliability: A\n    credibility: 1\n",
            "    reliability: A\n    credibility: 1\n    status: observed\n",
        )
        (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        codes = {w.code for w in assess.score(assess.load(tmp_path / "b.yaml")).warnings}
        assert "non-diagnostic" in codes
        status, _, err = run_cli("collect", "b.yaml")
        assert (status, err) == (0, "")

    def test_no_pending(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Nothing pending: the text says so and there is no unseating line."""
        (tmp_path / "c.yaml").write_text(
            "assessment: c\ntitle: C\n"
            "hypotheses: [{id: H1, statement: s}, {id: H2, statement: s}]\n",
            encoding="utf-8",
        )
        monkeypatch.chdir(tmp_path)
        status, out, err = run_cli("collect", "c.yaml")
        assert (status, err) == (0, "")
        assert "no pending indicators" in out
        assert "unseat" not in out

    def test_bad_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A bad indicator: exit 1, the problem on stderr at its place, nothing on stdout."""
        text = EXAMPLE.replace("{H1: C, H2: N, H3: N}", "{H1: C, H2: NA, H3: N}")
        (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        status, out, err = run_cli("collect", "bad.yaml")
        lines = text.splitlines()
        line = next(n for n, s in enumerate(lines, 1) if "H2: NA" in s)
        column = lines[line - 1].index("NA") + 1
        assert (status, out) == (1, "")
        assert err.startswith(f"bad.yaml:{line}:{column}: error: indicators[4].expected.H2: ")

    def test_missing_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file that is not there is an I/O error: exit 2, nothing on stdout."""
        monkeypatch.chdir(tmp_path)
        status, out, err = run_cli("collect", "nowhere.yaml")
        assert (status, out, err) == (2, "", "assess: error: nowhere.yaml: no such file\n")


# --------------------------------------------------------------------------- bad indicators

BAD_BASE = """\
assessment: a
title: t
analysts: [ann]
hypotheses: [{id: H1, statement: s}, {id: H2, statement: s}]
sources: [{id: S1, name: n, reliability: B}]
evidence:
  - {id: E1, summary: s, kind: report, source: S1, ratings: {H1: C, H2: I}}
indicators:
  - {id: K0, description: d, expected: {H1: C, H2: I}, reliability: B, credibility: 2}
"""
#: The line of the indicator that each case adds (after K0).
BAD_LINE = 10


@pytest.mark.parametrize(
    ("entry", "token", "path", "fragment"),
    [
        pytest.param(
            "{id: K1, description: d, expected: {H1: C}, reliability: B, credibility: 2}",
            "{H1",
            "indicators[1].expected",
            "not rated: H2",
            id="missing-hypothesis",
        ),
        pytest.param(
            "{id: K1, description: d, expected: {H1: C, H2: NA}, reliability: B, credibility: 2}",
            "NA",
            "indicators[1].expected.H2",
            "NA",
            id="na",
        ),
        pytest.param(
            "{id: K1, description: d, expected: {H1: C, H2: I, H9: C}, reliability: B,"
            " credibility: 2}",
            "H9",
            "indicators[1].expected.H9",
            "unknown hypothesis 'H9'",
            id="unknown-hypothesis",
        ),
        pytest.param(
            "{id: E1, description: d, expected: {H1: C, H2: I}, reliability: B, credibility: 2}",
            "E1",
            "indicators[1].id",
            "evidence item 'E1'",
            id="evidence-id",
        ),
        pytest.param(
            "{id: S1, description: d, expected: {H1: C, H2: I}, reliability: B, credibility: 2}",
            "S1",
            "indicators[1].id",
            "source 'S1'",
            id="source-id",
        ),
        pytest.param(
            "{id: K0, description: d, expected: {H1: C, H2: I}, reliability: B, credibility: 2}",
            "K0",
            "indicators[1].id",
            "duplicate indicator id 'K0'",
            id="duplicate-id",
        ),
        pytest.param(
            "{id: K1, description: d, expected: {H1: C, H2: I}, reliability: B, credibility: 2,"
            " status: seen}",
            "seen",
            "indicators[1].status",
            "pending, observed, absent",
            id="status",
        ),
        pytest.param(
            "{id: K1, description: d, expected: {H1: C, H2: I}, reliability: B, credibility: 2,"
            " detection: 2}",
            "2}",
            "indicators[1].detection",
            "[0, 1]",
            id="detection",
        ),
        pytest.param(
            "{id: K1, description: d, expected: {H1: C, H2: I}, credibility: 2}",
            "{id",
            "indicators[1]",
            "'reliability'",
            id="missing-reliability",
        ),
        pytest.param(
            "{id: K1, description: d, expected: {H1: C, H2: I}, reliability: B}",
            "{id",
            "indicators[1]",
            "'credibility'",
            id="missing-credibility",
        ),
        pytest.param(
            "{id: K1, description: d, expected: {H1: {ann: C}, H2: I}, reliability: B,"
            " credibility: 2}",
            "{ann",
            "indicators[1].expected.H1",
            "one rating per hypothesis",
            id="analysts",
        ),
    ],
)
def test_bad_indicator(entry: str, token: str, path: str, fragment: str) -> None:
    """Each bad indicator is one problem, at its line and column, with its field path."""
    text = f"{BAD_BASE}  - {entry}\n"
    with pytest.raises(assess.InputError) as caught:
        assess.loads(text)
    [problem] = caught.value.problems
    line = text.splitlines()[BAD_LINE - 1]
    assert (problem.line, problem.column, problem.path) == (BAD_LINE, line.index(token) + 1, path)
    assert fragment in problem.message


def test_every_bad_indicator_at_once() -> None:
    """Several bad indicators in one file: every problem reported, in file order."""
    text = (
        BAD_BASE
        + "  - {id: S1, description: d, expected: {H1: C}, reliability: B, credibility: 2}\n"
        + "  - {id: K0, description: d, expected: {H1: C, H2: NA}, reliability: B,"
        + " credibility: 2}\n"
    )
    with pytest.raises(assess.InputError) as caught:
        assess.loads(text)
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (10, "indicators[1].id"),
        (10, "indicators[1].expected"),
        (11, "indicators[2].id"),
        (11, "indicators[2].expected.H2"),
    ]


# --------------------------------------------------------------------------- canonical form


class TestCanonicalFormKeepsIndicators:
    """Rule: "load(dump(a)) == a, indicators included"."""

    @SCORED
    @given(assessments_with_indicators())
    def test_round_trip(self, a: assess.Assessment) -> None:
        """Dump then load gives the assessment back; dumping again gives the same bytes."""
        text = assess.dump(a)
        assert assess.loads(text) == a
        assert assess.dump(assess.loads(text)) == text
        assert assess.digest(assess.loads(text)) == assess.digest(a)

    @SCORED
    @given(assessments_with_indicators())
    def test_expected_in_hypothesis_order_on_one_line(self, a: assess.Assessment) -> None:
        """Each indicator's expected is a flow mapping on one line, keys in hypothesis order."""
        root = yaml.compose(assess.dump(a), Loader=yaml.SafeLoader)
        assert isinstance(root, yaml.MappingNode)
        top = {key.value: node for key, node in root.value}
        if not a.indicators:
            assert "indicators" not in top
            return
        written = top["indicators"]
        assert isinstance(written, yaml.SequenceNode)
        for i, node in zip(a.indicators, written.value, strict=True):
            fields = {key.value: value for key, value in node.value}
            expected = fields["expected"]
            assert isinstance(expected, yaml.MappingNode)
            assert expected.flow_style is True
            assert expected.start_mark.line == expected.end_mark.line
            keys = [key.value for key, _ in expected.value]
            assert keys == [h.id for h in a.hypotheses]
            assert [r.value for _, r in expected.value] == [
                i.expected[h.id].value for h in a.hypotheses
            ]

    def test_example(self) -> None:
        """Written in any key order, expected comes back as {H1: .., H2: ..}."""
        a = adding(two_hypotheses(), indicator("K", {"H2": "II", "H1": "C"}))
        assert "\n  expected: {H1: C, H2: II}\n" in assess.dump(a)

    def test_defaults_left_out(self) -> None:
        """status: pending is left out, a detection of 1 is written 1.0; other statuses written."""
        a = adding(
            two_hypotheses(),
            indicator("K1", {"H1": "C", "H2": "I"}, status="pending", detection=1),
            indicator("K2", {"H1": "C", "H2": "I"}, status="absent", date=dt.date(2020, 1, 2)),
        )
        text = assess.dump(a)
        assert text.endswith(
            "indicators:\n"
            "- id: K1\n"
            "  description: Indicator K1.\n"
            "  expected: {H1: C, H2: I}\n"
            "  reliability: B\n"
            "  credibility: 2\n"
            "  detection: 1.0\n"
            "- id: K2\n"
            "  description: Indicator K2.\n"
            "  expected: {H1: C, H2: I}\n"
            "  reliability: B\n"
            "  credibility: 2\n"
            "  status: absent\n"
            "  date: 2020-01-02\n"
        )
        assert assess.loads(text) == a


# --------------------------------------------------------------------------- timeline and diff


def dated() -> assess.Assessment:
    """E1 on 1 March; K1 absent on 1 May; K2 observed on 1 July; K3 pending; K4 absent, undated."""
    march, may, july = dt.date(2020, 3, 1), dt.date(2020, 5, 1), dt.date(2020, 7, 1)
    return assess.Assessment(
        id="dated",
        title="Dated",
        hypotheses=[
            assess.Hypothesis(id="H1", statement="One."),
            assess.Hypothesis(id="H2", statement="Two."),
        ],
        sources=[assess.Source(id="s", name="S", reliability="B")],
        evidence=[
            assess.Evidence(
                id="E1",
                summary="s",
                kind="report",
                source="s",
                credibility=2,
                date=march,
                ratings={"H1": "C", "H2": "I"},
            )
        ],
        indicators=[
            indicator("K1", {"H1": "CC", "H2": "I"}, status="absent", date=may, detection=0.9),
            indicator("K2", {"H1": "II", "H2": "C"}, status="observed", date=july),
            indicator("K3", {"H1": "CC", "H2": "II"}),
            indicator("K4", {"H1": "N", "H2": "C"}, status="absent"),
        ],
    )


def known_by(a: assess.Assessment, date: dt.date | None) -> assess.Assessment:
    """What was known at a step: items and indicator outcomes dated by then; pending ones stay."""

    def known(when: dt.date | None) -> bool:
        return when is None or (date is not None and when <= date)

    ids = {e.id for e in a.evidence if known(e.date)}
    evidence = [
        attrs.evolve(
            e,
            derived_from=[x for x in e.derived_from if x in ids],
            confirmed_by=[x for x in e.confirmed_by if x in ids],
        )
        for e in a.evidence
        if e.id in ids
    ]
    kept = [i for i in a.indicators if i.status is PENDING or known(i.date)]
    return attrs.evolve(a, evidence=evidence, indicators=kept)


class TestTimeline:
    """Observed indicators enter at their date like items; absent ones move the posterior then."""

    def test_steps(self) -> None:
        """The undated absent one first; then E1, K1 and K2 each at its date."""
        result = timeline(dated(), draws=DRAWS)
        assert [(s.date, s.items) for s in result.steps] == [
            (None, ("K4",)),
            (dt.date(2020, 3, 1), ("E1",)),
            (dt.date(2020, 5, 1), ("K1",)),
            (dt.date(2020, 7, 1), ("K2",)),
        ]

    def test_posteriors_from_each_date(self) -> None:
        """Each step is the score of what was known; K1 moves the posterior on 1 May."""
        a = dated()
        steps = timeline(a, draws=DRAWS).steps
        for step in steps:
            expected = {h.id: h.posterior for h in assess.score(known_by(a, step.date)).hypotheses}
            assert step.posteriors == pytest.approx(expected, abs=1e-12)
        march, may = steps[1].posteriors, steps[2].posteriors
        assert may["H1"] < march["H1"]  # not finding what H1 expected most
        assert steps[-1].posteriors == {h.id: h.posterior for h in assess.score(a).hypotheses}

    def test_only_pending_nothing_to_replay(self) -> None:
        """Without items and outcomes (pending indicators only) there are no steps."""
        a = attrs.evolve(dated(), evidence=(), indicators=[dated().indicators[2]])
        assert timeline(a, draws=DRAWS).steps == ()

    @ANALYSED
    @given(assessments_with_indicators())
    def test_every_step_is_the_score_of_what_was_known(self, a: assess.Assessment) -> None:
        """Each step's posteriors are assess.score's of what was known; the last step's exactly."""
        result = timeline(a, draws=DRAWS)
        outcomes = [i for i in a.indicators if i.status is not PENDING]
        if not a.evidence and not outcomes:
            assert result.steps == ()
            return
        for step in result.steps:
            expected = {h.id: h.posterior for h in assess.score(known_by(a, step.date)).hypotheses}
            assert step.posteriors == pytest.approx(expected, abs=1e-9)
        listed = [x for s in result.steps for x in s.items]
        assert sorted(listed) == sorted([e.id for e in a.evidence] + [i.id for i in outcomes])
        full = {h.id: h.posterior for h in assess.score(a).hypotheses}
        assert result.steps[-1].posteriors == full


class TestDiff:
    """assess.diff compares the indicators block."""

    def test_status_change(self) -> None:
        """Pending to absent is a changed indicator with one field, status."""
        old = dated()
        new = with_statuses(old, {"K3": "absent"})
        result = assess.diff(old, new, draws=DRAWS)
        assert [(c.block, c.id, c.status) for c in result.changes] == [
            ("indicator", "K3", "changed")
        ]
        [field] = result.changes[0].fields
        assert (field.field, field.old, field.new) == ("status", "pending", "absent")
        assert result.hypotheses[0].posterior_change is not None
        assert result.hypotheses[0].posterior_change < 0

    def test_added_and_removed(self) -> None:
        """An indicator added or removed is named with its fields."""
        old = dated()
        new = attrs.evolve(
            old, indicators=[*old.indicators[1:], indicator("K9", {"H1": "C", "H2": "C"})]
        )
        result = assess.diff(old, new, draws=DRAWS)
        assert [(c.block, c.id, c.status) for c in result.changes] == [
            ("indicator", "K1", "removed"),
            ("indicator", "K9", "added"),
        ]
        added = {f.field: f.new for f in result.changes[1].fields}
        assert added["expected.H1"] == "C"
        assert added["status"] == "pending"


# --------------------------------------------------------------------------- score warnings


class TestWarningsPointAtIndicators:
    """
    Rule: "A warning about an indicator points at the indicator as written".

    indicator-overdue at its answer_by; a warning about an observed
    indicator's row at the indicator, not at an item past the written ones.
    """

    @SCORED
    @given(assessments_with_indicators())
    def test_overdue_iff_pending_and_late(self, a: assess.Assessment) -> None:
        """indicator-overdue at (indicators, k, answer_by) iff pending with answer_by < as_of."""
        warned = {w.parts for w in assess.score(a).warnings if w.code == "indicator-overdue"}
        late = {
            ("indicators", k, "answer_by")
            for k, i in enumerate(a.indicators)
            if i.status is PENDING
            and i.answer_by is not None
            and a.as_of is not None
            and i.answer_by < a.as_of
        }
        assert warned == late

    @SCORED
    @given(assessments_with_indicators())
    def test_no_warning_points_past_the_written_evidence(self, a: assess.Assessment) -> None:
        """A warning about a folded observed indicator points at the indicator, not at an item."""
        for w in assess.score(a).warnings:
            if len(w.parts) >= 2 and w.parts[0] == "evidence":
                assert isinstance(w.parts[1], int)
                assert w.parts[1] < len(a.evidence)
            if w.parts[:1] == ("indicators",):
                k = w.parts[1]
                assert isinstance(k, int)
                assert a.indicators[k].id == w.subject
        placed = {(w.code, w.parts) for w in assess.score(a).warnings}
        for k, i in enumerate(a.indicators):
            if i.status is OBSERVED and len(set(i.expected.values())) == 1:
                assert ("non-diagnostic", ("indicators", k, "expected")) in placed

    def test_non_diagnostic_observed(self) -> None:
        """An observed indicator rated C everywhere: non-diagnostic, at indicators[k].expected."""
        a = adding(dated(), indicator("K5", {"H1": "C", "H2": "C"}, status="observed"))
        found = [w for w in assess.score(a).warnings if w.code == "non-diagnostic"]
        assert [(w.subject, w.parts) for w in found] == [("K5", ("indicators", 4, "expected"))]

    def test_overdue_example(self) -> None:
        """Pending K3 due 1 June, as of 1 August: warned; observed K2 due then, and 1 June: not."""
        a = attrs.evolve(dated(), as_of=dt.date(2020, 8, 1))
        due = dt.date(2020, 6, 1)
        late = attrs.evolve(
            a,
            indicators=[
                attrs.evolve(i, answer_by=due) if i.id in {"K2", "K3"} else i for i in a.indicators
            ],
        )
        found = [w for w in assess.score(late).warnings if w.code == "indicator-overdue"]
        assert [(w.subject, w.parts) for w in found] == [("K3", ("indicators", 2, "answer_by"))]
        on_time = attrs.evolve(late, as_of=due)
        assert not [w for w in assess.score(on_time).warnings if w.code == "indicator-overdue"]
