"""Subjective-logic opinions: Jøsang's operators, published examples and the matrix."""

from __future__ import annotations

import json
import math
import pickle
import random
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import assess
from assess import opinions as sl
from assess.opinions import Opinion
from strategies import assessments

PAGE = Path(__file__).resolve().parent.parent / "docs" / "methods.md"
COUNTS = {"CC": (2, 0), "C": (1, 0), "I": (0, 1), "II": (0, 2)}

EVIDENCE = st.floats(0, 1000, allow_nan=False)
RATES = st.floats(0, 1)


def close(a: Opinion, b: Opinion, tol: float = 1e-9) -> bool:
    """Two opinions agree component by component."""
    return all(
        math.isclose(x, y, rel_tol=tol, abs_tol=tol)
        for x, y in zip(attrs.astuple(a), attrs.astuple(b), strict=True)
    )


@st.composite
def opinions(draw: st.DrawFn, *, dogmatic: bool = True) -> Opinion:
    """Any opinion: from evidence, or normalised masses (sometimes dogmatic)."""
    a = draw(RATES)
    if not dogmatic or draw(st.booleans()):
        return sl.from_evidence(draw(EVIDENCE), draw(EVIDENCE), a)
    b, d = draw(st.floats(0, 1)), draw(st.floats(0, 1))
    u = 0.0 if draw(st.booleans()) else draw(st.floats(0, 1))
    assume(b + d + u > 0)
    total = b + d + u
    return Opinion(b / total, d / total, u / total, a)


def worked_example() -> assess.Assessment:
    """The assessment of the worked example in docs/methods.md (its first YAML block)."""
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert match is not None
    return assess.loads(match.group(1))


class TestOpinion:
    """The opinion record and its evidence mapping."""

    def test_projected(self) -> None:
        """The projected probability is b + a·u."""
        assert Opinion(0.2, 0.3, 0.5, 0.4).projected == pytest.approx(0.4)

    @pytest.mark.parametrize(
        "values",
        [(0.5, 0.5, 0.5, 0.5), (-0.1, 0.6, 0.5, 0.5), (0.5, 0.5, 0.0, 1.5), (math.nan, 0, 1, 0)],
    )
    def test_invalid(self, values: tuple[float, float, float, float]) -> None:
        """Masses outside [0, 1], a bad base rate or a sum other than 1 are refused."""
        with pytest.raises(sl.OpinionError):
            Opinion(*values)

    def test_error_is_an_assess_error_and_pickles(self) -> None:
        """OpinionError is an AssessError and a ValueError, and survives pickling."""
        error = sl.OpinionError("bad")
        assert isinstance(error, assess.AssessError)
        assert isinstance(error, ValueError)
        assert str(pickle.loads(pickle.dumps(error))) == "bad"  # noqa: S301 -- our own bytes

    def test_from_evidence(self) -> None:
        """From (r, s): b = r/(r+s+W), d = s/(r+s+W), u = W/(r+s+W) with W = 2."""
        o = sl.from_evidence(3, 1, 0.25)
        assert attrs.astuple(o) == pytest.approx((0.5, 1 / 6, 1 / 3, 0.25))
        assert sl.from_evidence(0, 0, 0.3) == Opinion(0, 0, 1, 0.3)

    def test_negative_evidence_refused(self) -> None:
        """Evidence counts are not negative, and W is positive."""
        with pytest.raises(sl.OpinionError):
            sl.from_evidence(-1, 0, 0.5)
        with pytest.raises(sl.OpinionError):
            sl.from_evidence(1, 0, 0.5, weight=0)

    def test_evidence_inverts_from_evidence(self) -> None:
        """evidence() recovers (r, s); a dogmatic opinion has none to give."""
        assert sl.evidence(sl.from_evidence(3, 1, 0.25)) == pytest.approx((3, 1))
        with pytest.raises(sl.OpinionError):
            sl.evidence(Opinion(1, 0, 0, 0.5))


class TestPublishedExamples:
    """Jøsang's numbers, and reference values worked by hand."""

    def test_cumulative_fusion_example(self) -> None:
        """Jøsang: (0.4, 0, 0.6, 0.5) ⊕ (0.7, 0, 0.3, 0.5) = (0.75, 0, 0.25, 0.5)."""
        fused = sl.cumulative_fusion(Opinion(0.4, 0, 0.6, 0.5), Opinion(0.7, 0, 0.3, 0.5))
        assert close(fused, Opinion(0.75, 0, 0.25, 0.5))

    def test_averaging_fusion_example(self) -> None:
        """The same pair averaged: b = 0.54/0.9 = 0.6, u = 0.36/0.9 = 0.4."""
        fused = sl.averaging_fusion(Opinion(0.4, 0, 0.6, 0.5), Opinion(0.7, 0, 0.3, 0.5))
        assert close(fused, Opinion(0.6, 0, 0.4, 0.5))

    def test_averaging_with_disbelief_and_base_rates(self) -> None:
        """(0.2, 0.3, 0.5, 0.4) ⊘ (0.6, 0.1, 0.3, 0.6) = (0.45, 0.175, 0.375, 0.5), by hand."""
        fused = sl.averaging_fusion(Opinion(0.2, 0.3, 0.5, 0.4), Opinion(0.6, 0.1, 0.3, 0.6))
        assert close(fused, Opinion(0.45, 0.175, 0.375, 0.5))

    def test_cumulative_with_disbelief_and_base_rates(self) -> None:
        """The same pair cumulated: denominator 0.65; a = (0.12 + 0.30 - 0.15)/0.5 = 0.54."""
        fused = sl.cumulative_fusion(Opinion(0.2, 0.3, 0.5, 0.4), Opinion(0.6, 0.1, 0.3, 0.6))
        assert close(fused, Opinion(0.36 / 0.65, 0.14 / 0.65, 0.15 / 0.65, 0.54))

    def test_dogmatic_cases(self) -> None:
        """At u = 0 a dogmatic opinion beats a non-dogmatic one; two dogmatic ones average."""
        dogma, soft = Opinion(0.9, 0.1, 0, 0.3), Opinion(0.2, 0.2, 0.6, 0.7)
        assert close(sl.cumulative_fusion(dogma, soft), dogma)
        assert close(sl.cumulative_fusion(soft, dogma), dogma)
        assert close(sl.averaging_fusion(dogma, soft), Opinion(0.9, 0.1, 0, 0.5))
        other = Opinion(0.5, 0.5, 0, 0.5)
        for fuse in (sl.cumulative_fusion, sl.averaging_fusion):
            assert close(fuse(dogma, other), Opinion(0.7, 0.3, 0, 0.4))
        assert close(sl.fuse_cumulative([dogma, soft, other]), Opinion(0.7, 0.3, 0, 0.4))
        assert close(sl.fuse_averaging([dogma, soft, other]), Opinion(0.7, 0.3, 0, 0.4))
        assert close(sl.fuse_averaging([soft, dogma, soft]), Opinion(0.9, 0.1, 0, 17 / 30))

    def test_vacuous_pair(self) -> None:
        """Two vacuous opinions fuse to a vacuous one with the mean base rate."""
        fused = sl.cumulative_fusion(Opinion(0, 0, 1, 0.2), Opinion(0, 0, 1, 0.6))
        assert close(fused, Opinion(0, 0, 1, 0.4))

    def test_empty_fusion_refused(self) -> None:
        """Fusing nothing is an error, not a vacuous opinion with no base rate."""
        with pytest.raises(sl.OpinionError):
            sl.fuse_cumulative([])


class TestEvidenceSpace:
    """Rule: cumulative fusion adds evidence (r, s); averaging fusion averages it."""

    @given(EVIDENCE, EVIDENCE, EVIDENCE, EVIDENCE, RATES)
    def test_cumulative_adds(self, r1: float, s1: float, r2: float, s2: float, a: float) -> None:
        """from_evidence(r1, s1) ⊕ from_evidence(r2, s2) = from_evidence(r1 + r2, s1 + s2)."""
        fused = sl.cumulative_fusion(sl.from_evidence(r1, s1, a), sl.from_evidence(r2, s2, a))
        assert close(fused, sl.from_evidence(r1 + r2, s1 + s2, a))

    @given(EVIDENCE, EVIDENCE, EVIDENCE, EVIDENCE, RATES)
    def test_averaging_averages(self, r1: float, s1: float, r2: float, s2: float, a: float) -> None:
        """from_evidence(r1, s1) ⊘ from_evidence(r2, s2) = from_evidence of the means."""
        fused = sl.averaging_fusion(sl.from_evidence(r1, s1, a), sl.from_evidence(r2, s2, a))
        assert close(fused, sl.from_evidence((r1 + r2) / 2, (s1 + s2) / 2, a))

    @given(st.lists(st.tuples(EVIDENCE, EVIDENCE), min_size=1, max_size=6), RATES)
    def test_n_ary(self, counts: list[tuple[float, float]], a: float) -> None:
        """The n-ary operators are the sum and the mean of all the evidence at once."""
        ops = [sl.from_evidence(r, s, a) for r, s in counts]
        r = sum(r for r, _ in counts)
        s = sum(s for _, s in counts)
        assert close(sl.fuse_cumulative(ops), sl.from_evidence(r, s, a))
        n = len(counts)
        assert close(sl.fuse_averaging(ops), sl.from_evidence(r / n, s / n, a))


class TestCommutativity:
    """Rule: A ⊕ B = B ⊕ A and A ⊘ B = B ⊘ A."""

    @given(opinions(), opinions())
    def test_both_operators(self, a: Opinion, b: Opinion) -> None:
        """Swapping the operands changes nothing."""
        assert close(sl.cumulative_fusion(a, b), sl.cumulative_fusion(b, a))
        assert close(sl.averaging_fusion(a, b), sl.averaging_fusion(b, a))

    @given(opinions(), opinions())
    def test_n_ary_agrees_with_binary(self, a: Opinion, b: Opinion) -> None:
        """With two operands, the n-ary operators are the binary ones."""
        assert close(sl.fuse_cumulative([a, b]), sl.cumulative_fusion(a, b))
        assert close(sl.fuse_averaging([a, b]), sl.averaging_fusion(a, b))


class TestAssociativity:
    """Rule: (A ⊕ B) ⊕ C = A ⊕ (B ⊕ C) for non-dogmatic opinions."""

    @given(opinions(dogmatic=False), opinions(dogmatic=False), opinions(dogmatic=False))
    def test_cumulative(self, a: Opinion, b: Opinion, c: Opinion) -> None:
        """Grouping does not matter (vacuous triples aside: their base rate is a plain mean)."""
        assume(min(a.uncertainty, b.uncertainty, c.uncertainty) < 1)
        left = sl.cumulative_fusion(sl.cumulative_fusion(a, b), c)
        right = sl.cumulative_fusion(a, sl.cumulative_fusion(b, c))
        assert close(left, right, 1e-7)
        assert close(left, sl.fuse_cumulative([a, b, c]), 1e-7)


class TestWellFormed:
    """Rule: every fusion is an opinion: b + d + u = 1, projected probability in [0, 1]."""

    @given(st.lists(opinions(), min_size=1, max_size=5))
    def test_fusions(self, ops: list[Opinion]) -> None:
        """All four operators give valid opinions (the constructor checks b + d + u = 1)."""
        results = [sl.fuse_cumulative(ops), sl.fuse_averaging(ops)]
        if len(ops) >= 2:
            results += [sl.cumulative_fusion(*ops[:2]), sl.averaging_fusion(*ops[:2])]
        for o in results:
            assert math.isclose(o.belief + o.disbelief + o.uncertainty, 1, abs_tol=1e-9)
            assert 0 <= o.projected <= 1


# --------------------------------------------------------------------------- the matrix


def item_counts(e: assess.Evidence, h: str) -> tuple[float, float]:
    """An item's counts for one hypothesis, unweighted; team cells as the analysts' mean."""
    cell = e.cell(h)
    if isinstance(cell, assess.AnalystRatings):
        votes = [COUNTS.get(r.value, (0, 0)) for r in cell.informative().values()]
        if not votes:
            return 0.0, 0.0
        return (sum(p for p, _ in votes) / len(votes), sum(n for _, n in votes) / len(votes))
    return COUNTS.get(cell.value, (0, 0))


def fused_by_operators(a: assess.Assessment) -> dict[str, Opinion]:
    """Per hypothesis: each item's opinion, averaged within clusters, cumulated across them."""
    s = assess.score(a)
    out = {}
    for j, h in enumerate(s.matrix.hypotheses):
        prior = float(s.matrix.priors[j])
        members: dict[str, list[Opinion]] = {}
        for e in a.evidence:
            record = s.item(e.id)
            pos, neg = item_counts(e, h)
            members.setdefault(record.cluster, []).append(
                sl.from_evidence(record.quality * pos, record.quality * neg, prior)
            )
        per_cluster = [sl.fuse_averaging(ops) for ops in members.values()]
        out[h] = sl.fuse_cumulative(per_cluster) if per_cluster else sl.from_evidence(0, 0, prior)
    return out


class TestOpinions:
    """opinions(scores): quality-weighted counts, clusters averaged, clusters added."""

    def test_worked_example(self) -> None:
        """docs/methods.md: the numbers of the subjective-logic worked example."""
        h1, h2 = sl.opinions(assess.score(worked_example()))
        assert (h1.positive, h1.negative) == (0.5625, 0)
        assert (h2.positive, h2.negative) == (0, 1.0625)
        assert round(h1.opinion.belief, 6) == 0.219512
        assert round(h1.opinion.uncertainty, 6) == 0.780488
        assert round(h1.projected, 6) == 0.609756
        assert round(h2.opinion.disbelief, 6) == 0.346939
        assert round(h2.opinion.uncertainty, 6) == 0.653061
        assert round(h2.projected, 6) == 0.326531
        assert (round(h1.posterior, 6), round(h2.posterior, 6)) == (0.722607, 0.277393)
        assert h1.opinion.base_rate == h2.opinion.base_rate == 0.5

    def test_worked_example_counted_twice(self) -> None:
        """docs/methods.md: without the derived_from link, s(H2) = 1.5625 and P(H2) = 0.280702."""
        a = worked_example()
        unlinked = attrs.evolve(a.evidence[2], derived_from=())
        b = attrs.evolve(a, evidence=(*a.evidence[:2], unlinked))
        h2 = sl.opinions(assess.score(b))[1]
        assert h2.negative == 1.5625
        assert round(h2.projected, 6) == 0.280702

    def test_worked_example_text_matches(self) -> None:
        """The figures quoted in the page's prose are the ones pinned above."""
        text = PAGE.read_text(encoding="utf-8")
        for figure in ["1.0625", "0.219512", "0.780488", "0.609756", "0.346939", "0.326531"]:
            assert figure in text
        for figure in ["1.5625", "0.280702"]:
            assert figure in text

    @given(assessments())
    def test_equals_fusing_with_the_operators(self, a: assess.Assessment) -> None:
        """The vectorised evidence sums equal Jøsang's operators applied item by item."""
        expected = fused_by_operators(a)
        for record in sl.opinions(assess.score(a)):
            assert close(record.opinion, expected[record.id], 1e-9)
            assert record.projected == record.opinion.projected

    @given(assessments(), st.randoms(use_true_random=False))
    def test_order_invariance(self, a: assess.Assessment, rng: random.Random) -> None:
        """Reordering the evidence changes no opinion (up to rounding)."""
        shuffled = list(a.evidence)
        rng.shuffle(shuffled)
        # derived_from may point forwards after shuffling: clusters do not care.
        b = attrs.evolve(a, evidence=shuffled)
        for x, y in zip(sl.opinions(assess.score(a)), sl.opinions(assess.score(b)), strict=True):
            assert close(x.opinion, y.opinion, 1e-12)

    def test_identical_pair_counts_once(self) -> None:
        """A cluster of two identical items gives the same opinions as one of them alone."""
        a = worked_example()
        one = attrs.evolve(a, evidence=a.evidence[:2])
        both = sl.opinions(assess.score(a))
        single = sl.opinions(assess.score(one))
        for x, y in zip(both, single, strict=True):
            assert close(x.opinion, y.opinion)

    def test_team_cells_use_the_analysts_mean(self) -> None:
        """A cell rated CC by one analyst and I by another adds q·(2 + 0)/2 for, q·1/2 against."""
        a = assess.Assessment(
            id="team",
            title="t",
            analysts=["ann", "bob", "cat"],
            hypotheses=[
                assess.Hypothesis(id="H1", statement="s"),
                assess.Hypothesis(id="H2", statement="s"),
            ],
            sources=[assess.Source(id="s", name="s", reliability="A")],
            evidence=[
                assess.Evidence(
                    id="E1",
                    summary="s",
                    kind="report",
                    source="s",
                    credibility=1,
                    ratings={"H1": {"ann": "CC", "bob": "I", "cat": "NA"}},
                )
            ],
        )
        h1, h2 = sl.opinions(assess.score(a))
        assert (h1.positive, h1.negative) == (1.0, 0.5)
        assert (h2.positive, h2.negative) == (0, 0)

    def test_no_evidence_is_vacuous(self) -> None:
        """Without evidence every opinion is vacuous and projects its prior."""
        a = attrs.evolve(worked_example(), evidence=())
        for record in sl.opinions(assess.score(a)):
            assert record.opinion == Opinion(0, 0, 1, 0.5)
            assert record.projected == 0.5

    def test_cluster_evidence_shape(self) -> None:
        """Per-cluster evidence: one row per cluster, and the rows add up to the totals."""
        s = assess.score(worked_example())
        r, neg = sl.cluster_evidence(s)
        assert r.shape == neg.shape == (2, 2)
        assert neg[:, 1].tolist() == [0.5625, 0.5]

    def test_to_json(self) -> None:
        """to_json gives plain data that json can write."""
        [h1, _] = sl.opinions(assess.score(worked_example()))
        data = json.loads(json.dumps(h1.to_json()))
        assert data["id"] == "H1"
        assert data["positive"] == 0.5625
        assert set(data["opinion"]) == {"belief", "disbelief", "uncertainty", "base_rate"}
        assert data["projected"] == pytest.approx(0.609756, abs=1e-6)
