"""Linchpins and Monte Carlo sensitivity."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess import sensitivity
from helpers import items_assessment
from strategies import assessments


def assessment(
    rows: list[tuple[str, str, int, dict[str, str]]], *, hypotheses: int = 2
) -> assess.Assessment:
    """Items as (id, reliability, credibility, ratings), each from its own source."""
    return items_assessment(rows, hypotheses=hypotheses)


class TestLinchpins:
    """Leave one dependency cluster out."""

    def test_single_item_conclusion(self) -> None:
        """When one item carries the leader, removing it changes the leader."""
        a = assessment(
            [
                ("E1", "D", 1, {"H1": "CC", "H2": "II"}),  # likelihood ratio 1.58 for H1
                ("E2", "C", 3, {"H1": "N", "H2": "C"}),  # 1.15 for H2
            ]
        )
        pins = sensitivity.linchpins(assess.score(a))
        by_cluster = {p.cluster: p for p in pins}
        assert by_cluster["E1"].leader_changes
        assert by_cluster["E1"].new_leader == "H2"
        assert by_cluster["E1"].leader_posterior_change < 0
        assert not by_cluster["E2"].leader_changes

    def test_matches_rescoring(self) -> None:
        """Removing a cluster through the contributions equals re-scoring without it."""
        a = assess.load("assessments/russia-taliban-support.yaml")
        s = assess.score(a)
        for pin in sensitivity.linchpins(s):
            kept = [e for e in a.evidence if e.id not in pin.members]
            kept = [
                attrs.evolve(e, derived_from=[d for d in e.derived_from if d not in pin.members])
                for e in kept
            ]
            again = assess.score(attrs.evolve(a, evidence=kept))
            leader = s.ranking[0].id
            assert again.ranking[0].id == pin.new_leader
            assert math.isclose(
                again.hypothesis(leader).posterior - s.hypothesis(leader).posterior,
                pin.leader_posterior_change,
                abs_tol=1e-12,
            )


class TestMonteCarlo:
    """Perturbed re-scoring, vectorised."""

    def test_same_seed_same_numbers(self) -> None:
        """The same seed gives identical stability and percentiles."""
        s = assess.score(assess.load("assessments/russia-taliban-support.yaml"))
        a = sensitivity.monte_carlo(s, draws=2000, seed=7)
        b = sensitivity.monte_carlo(s, draws=2000, seed=7)
        assert (a.stability, a.percentiles) == (b.stability, b.percentiles)
        c = sensitivity.monte_carlo(s, draws=2000, seed=8)
        assert c.stability != a.stability

    def test_chunking_changes_nothing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Draws split into many small chunks give exactly the numbers of one chunk."""
        s = assess.score(assess.load("assessments/russia-taliban-support.yaml"))
        whole = sensitivity.monte_carlo(s, draws=500, seed=3)
        monkeypatch.setattr(sensitivity, "CHUNK_CELLS", 41)
        chunked = sensitivity.monte_carlo(s, draws=500, seed=3)
        assert (whole.stability, whole.percentiles) == (chunked.stability, chunked.percentiles)

    def test_no_perturbation_is_the_score(self) -> None:
        """With p = 0 every draw is the assessment itself."""
        s = assess.score(assess.load("assessments/russia-taliban-support.yaml"))
        mc = sensitivity.monte_carlo(s, draws=50, perturbation=0.0)
        leader = s.ranking[0].id
        assert mc.of(leader)[0] == 1.0
        for h in s.hypotheses:
            assert mc.of(h.id)[1] == pytest.approx((h.posterior,) * 3, abs=1e-12)

    @given(assessments())
    @settings(max_examples=40)
    def test_shares_form_a_distribution(self, a: assess.Assessment) -> None:
        """Stability shares sum to 1 and each band is ordered p05 <= p50 <= p95."""
        mc = sensitivity.monte_carlo(assess.score(a), draws=200, seed=0)
        assert math.isclose(sum(mc.stability), 1.0)
        for low, mid, high in mc.percentiles:
            assert 0 <= low <= mid <= high <= 1

    def test_robust_case_is_stable(self) -> None:
        """Many strong independent items for H1 keep it leading in every draw."""
        rows = [(f"E{i}", "A", 1, {"H1": "CC", "H2": "II"}) for i in range(6)]
        mc = sensitivity.monte_carlo(assess.score(assessment(rows)), draws=1000)
        assert mc.of("H1")[0] == 1.0

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
