"""Subjective-logic opinions: Jøsang's operators, published examples and the lines' opinion."""

from __future__ import annotations

import json
import math
import pickle
import random

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import assess
from assess.methods import opinions as sl
from assess.methods.opinions import MultinomialOpinion, Opinion
from assess.methods.scoring import line_log_likelihoods
from helpers import items_assessment, one_line, page_example, section
from strategies import assessments

Floats = npt.NDArray[np.float64]

EVIDENCE = st.floats(0, 1000, allow_nan=False)
RATES = st.floats(0, 1)
TABLE = {"CC": 0.95, "C": 0.80, "N": 0.50, "I": 0.20, "II": 0.05}
LN2 = math.log(2)
#: These tests pin values, not speed: no deadline, which a loaded machine would miss.
UNTIMED = settings(deadline=None)


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


# --------------------------------------------------------------------------- the lines


def rated_row(ratings: list[str], quality: float, priors: Floats) -> list[float]:
    """The ln l of a line rated so, l = q·L + (1 - q)/2, NA cells the priors-weighted mean."""
    logs = [
        math.log(quality * TABLE[r] + (1 - quality) * 0.5) if r != "NA" else math.nan
        for r in ratings
    ]
    rated = [j for j, r in enumerate(ratings) if r != "NA"]
    mass = sum(float(priors[j]) for j in rated)
    mean = sum(float(priors[j]) * logs[j] for j in rated) / mass if rated else 0.0
    return [mean if r == "NA" else x for r, x in zip(ratings, logs, strict=True)]


@st.composite
def priors_of(draw: st.DrawFn, count: int) -> Floats:
    """Positive priors over ``count`` hypotheses, summing to 1."""
    weights = np.array(draw(st.lists(st.floats(0.05, 1), min_size=count, max_size=count)))
    found: Floats = weights / weights.sum()
    return found


@st.composite
def line_arrays(
    draw: st.DrawFn, *, frames: tuple[int, int] = (1, 6), max_lines: int = 8
) -> tuple[Floats, Floats, Floats]:
    """(ln l lines x hypotheses, tempering, priors): rated rows, ties and arbitrary rows."""
    frame = draw(st.integers(*frames))
    priors = draw(priors_of(frame))
    rows = []
    for _ in range(draw(st.integers(0, max_lines))):
        if draw(st.booleans()):
            ratings = draw(
                st.lists(st.sampled_from([*TABLE, "NA"]), min_size=frame, max_size=frame)
            )
            rows.append(rated_row(ratings, draw(st.floats(0, 1)), priors))
        else:
            values = st.floats(1e-3, 1) | st.sampled_from([0.05, 0.2, 0.5])
            row = draw(st.lists(values, min_size=frame, max_size=frame))
            rows.append([math.log(x) for x in row])
    tempering = draw(
        st.lists(st.floats(0.01, 1) | st.just(1.0), min_size=len(rows), max_size=len(rows))
    )
    log_ell = np.array(rows, dtype=np.float64).reshape(len(rows), frame)
    return log_ell, np.array(tempering, dtype=np.float64), priors


def reference(
    log_ell: Floats, tempering: Floats, priors: Floats, weight: float = 2.0
) -> tuple[list[float], float, list[float]]:
    """Beliefs, uncertainty and projections by loops: r(h) = Σ t·log2(l(h)/min l), fsum."""
    frame = len(priors)
    parts: list[list[float]] = [[] for _ in range(frame)]
    for row, t in zip(log_ell.tolist(), tempering.tolist(), strict=True):
        low = min(row)
        for h, x in enumerate(row):
            gap = t * (x - low)
            parts[h].append(gap / LN2 if gap > sl.TIE else 0.0)
    r = [math.fsum(p) for p in parts]
    total = math.fsum(r)
    u = weight / (weight + total)
    b = [x / (weight + total) for x in r]
    return b, u, [b[h] + float(priors[h]) * u for h in range(frame)]


def same_opinion(a: MultinomialOpinion, b: MultinomialOpinion, tol: float = 1e-12) -> bool:
    """Two multinomial opinions agree in evidence, uncertainty and projections."""
    return (
        np.allclose(a.evidence, b.evidence, rtol=tol, atol=tol)
        and math.isclose(a.uncertainty, b.uncertainty, rel_tol=tol, abs_tol=tol)
        and np.allclose(a.projected, b.projected, rtol=tol, atol=tol)
    )


def docstring_example() -> tuple[Floats, Floats, Floats]:
    """The module docstring's three lines: CC/N/I at q = 1, I/C/C at q = 0.5, C/C/C."""
    priors = np.array([0.5, 0.25, 0.25])
    rows = [
        rated_row(["CC", "N", "I"], 1.0, priors),
        rated_row(["I", "C", "C"], 0.5, priors),
        rated_row(["C", "C", "C"], 1.0, priors),
    ]
    return np.array(rows), np.ones(3), priors


def figures(values: Floats | list[float]) -> str:
    """Figures as the page lists them: six decimals, and 0 as 0."""
    return ", ".join("0" if x == 0 else f"{x:.6f}" for x in np.asarray(values).tolist())


def opinion_text(o: Opinion, places: int | None = None) -> str:
    """
    A binomial opinion as the page writes it, (b, d, u, a).

    With ``places``, b, d and u to that many decimals; else each as short as it is exact.
    """
    values = attrs.astuple(o)
    if places is None:
        return "(" + ", ".join(f"{round(x, 12):g}" for x in values) + ")"
    return "(" + ", ".join([*(f"{x:.{places}f}" for x in values[:3]), f"{values[3]:g}"]) + ")"


class TestWorkedExample:
    """The worked example in the module docstring, recomputed."""

    def test_figures(self) -> None:
        """r, R, u, b and P as the docstring gives them, to six decimals."""
        o = sl.from_likelihoods(*docstring_example())
        assert np.round(sl.line_evidence(*docstring_example()[:2]), 6).tolist() == [
            [2.247928, 1.321928, 0.0],
            [0.0, 0.893085, 0.893085],
            [0.0, 0.0, 0.0],
        ]
        assert np.round(o.evidence, 6).tolist() == [2.247928, 2.215013, 0.893085]
        assert round(o.total, 6) == 5.356025
        assert round(o.uncertainty, 6) == 0.271886
        assert np.round(o.belief, 6).tolist() == [0.30559, 0.301115, 0.121409]
        assert np.round(o.projected, 6).tolist() == [0.441533, 0.369087, 0.18938]

    def test_posteriors_quoted(self) -> None:
        """The posteriors the docstring compares with: given priors, then uniform ones."""
        log_ell, _, priors = docstring_example()
        likelihood = np.exp(log_ell.sum(axis=0))
        given_ = priors * likelihood / (priors * likelihood).sum()
        uniform = likelihood / likelihood.sum()
        assert np.round(given_, 6).tolist() == [0.59375, 0.290179, 0.116071]
        assert np.round(uniform, 6).tolist() == [0.422222, 0.412698, 0.165079]
        assert (
            np.argsort(-uniform).tolist()
            == np.argsort(-sl.from_likelihoods(*docstring_example()).belief).tolist()
        )

    def test_text_matches(self) -> None:
        """The figures pinned above are the ones the module docstring quotes."""
        text = sl.__doc__ or ""
        for figure in [
            "2.247928, 1.321928, 0",
            "0, 0.893085, 0.893085",
            "R = 5.356025",
            "u = 0.271886",
            "0.305590, 0.301115, 0.121409",
            "0.441533, 0.369087, 0.189380",
            "0.593750, 0.290179, 0.116071",
            "0.422222,\n0.412698, 0.165079",
        ]:
            assert figure in text

    def test_page_example_is_this_example(self) -> None:
        """The assessment methods.md section 15 describes has exactly the docstring's lines."""
        scores = assess.score(page_example())
        log_ell, tempering = line_log_likelihoods(scores)
        expected, ones, priors = docstring_example()
        assert np.allclose(log_ell, expected, rtol=0, atol=1e-15)
        assert tempering.tolist() == ones.tolist()
        assert scores.matrix.priors.tolist() == priors.tolist()

    def test_page_quotes_the_figures(self) -> None:
        """methods.md section 15 quotes r_i, r, R, W + R, u, b, P and H1's d as the code gives."""
        text = one_line(section(15))
        scores = assess.score(page_example())
        log_ell, tempering = line_log_likelihoods(scores)
        lines = sl.line_evidence(log_ell, tempering)
        o = sl.from_likelihoods(log_ell, tempering, scores.matrix.priors)
        records = sl.opinions(scores)
        scale = o.weight + o.total
        h1 = records[0].opinion
        for quoted in [
            f"log2(0.95/0.2), log2(0.5/0.2), 0 = {figures(lines[0])}.",
            f"log2(0.65/0.35), log2(0.65/0.35) = {figures(lines[1])}.",
            f"r_3 = {figures(lines[2])};",
            f"So r = {figures(o.evidence)} and R = {o.total:.6f};",
            f"W + R = {scale:.6f}, so u = {o.weight:g} / {scale:.6f} = {o.uncertainty:.6f}",
            f"b = r / {scale:.6f} = {figures(o.belief)}.",
            f"P = b + a * u = {o.belief[0]:.6f} + 0.5 * {o.uncertainty:.6f}, ... =",
            f"= {figures(o.projected)}.",
            f"H1's record is the binomial opinion {opinion_text(h1, 6)}, with d =",
            f"d = {records[0].negative:.6f} / {scale:.6f}.",
            f"(u = {o.uncertainty:.2f})",
        ]:
            assert quoted.replace("...", "\N{HORIZONTAL ELLIPSIS}") in text, quoted
        assert [r.projected for r in records] == pytest.approx(o.projected.tolist(), abs=1e-15)

    def test_page_quotes_the_posteriors(self) -> None:
        """Section 15 quotes both posteriors and H1's lead over H2 as assess.score gives them."""
        text = one_line(section(15))
        given_ = [h.posterior for h in assess.score(page_example()).hypotheses]
        uniform = [h.posterior for h in assess.score(page_example(uniform=True)).hypotheses]
        assert f"under these priors are {figures(given_)}," in text
        assert (
            f"under uniform priors {figures(uniform)}, which rank the hypotheses as b does" in text
        )
        o = sl.from_likelihoods(*docstring_example())
        assert (
            np.argsort(-o.belief, kind="stable").tolist()
            == np.argsort(-np.array(uniform), kind="stable").tolist()
        )
        lead = float(o.evidence[0] - o.evidence[1])
        assert 2**lead == pytest.approx(uniform[0] / uniform[1], rel=1e-12)
        assert f"r(H1) - r(H2) = {lead:.6f} bits, a likelihood ratio of {2**lead:.3f}" in text

    def test_page_quotes_the_vacuous_case(self) -> None:
        """Section 15: ten items rated C, C, C give the vacuous opinion, projecting the priors."""
        a = page_example()
        ten = [attrs.evolve(a.evidence[2], id=f"E{k}", source=f"s-E{k}") for k in range(3, 13)]
        sources = [assess.Source(id=f"s-E{k}", name="s", reliability="A") for k in range(3, 13)]
        records = sl.opinions(assess.score(attrs.evolve(a, evidence=ten, sources=sources)))
        assert [r.positive for r in records] == [0.0, 0.0, 0.0]
        assert [r.opinion.uncertainty for r in records] == [1.0, 1.0, 1.0]
        assert [r.projected for r in records] == [0.5, 0.25, 0.25]
        assert (
            "Ten items rated C, C, C instead would give r = 0: the vacuous opinion,"
            " b = 0 and u = 1, whose projected probabilities are the priors."
        ) in one_line(section(15))

    def test_page_quotes_the_unit(self) -> None:
        """Section 15's case for the bit and W = 2: one bit gives P = 2/3, two bits 3/4, not 4/5."""
        text = one_line(section(15))
        even = np.array([0.5, 0.5])
        one = sl.from_likelihoods(np.log([[0.8, 0.4]]), np.ones(1), even)
        two = sl.from_likelihoods(np.log([[0.8, 0.2]]), np.ones(1), even)
        assert sl.DEFAULT_WEIGHT == 2
        assert one.belief.tolist() == pytest.approx([1 / 3, 0])
        assert one.uncertainty == pytest.approx(2 / 3)
        assert one.projected[0] == pytest.approx(2 / 3)
        assert two.projected[0] == pytest.approx(3 / 4)
        bayes = 4 * 0.5 / (4 * 0.5 + 1 * 0.5)  # a likelihood ratio of 4 on even odds
        assert bayes == pytest.approx(4 / 5)
        assert two.projected[0] < bayes
        assert (
            "one bit of evidence for the first gives b = 1/3, u = 2/3 and P = 1/3 + 1/2 * 2/3 = 2/3"
            in text
        )
        assert "two bits give P = 3/4, where a likelihood ratio of 4 gives 4/5" in text
        assert f"W = {sl.DEFAULT_WEIGHT:g} is Jøsang's default non-informative prior weight" in text
        assert f"log2(0.95/0.05) = {math.log2(0.95 / 0.05):.2f} bits" in text

    def test_page_quotes_josang(self) -> None:
        """Section 15 quotes Jøsang's fusion example as cumulative and averaging fusion give it."""
        a, b = Opinion(0.4, 0, 0.6, 0.5), Opinion(0.7, 0, 0.3, 0.5)
        text = one_line(section(15))
        cumulative = opinion_text(sl.cumulative_fusion(a, b))
        averaged = opinion_text(sl.averaging_fusion(a, b))
        assert f"{opinion_text(a)} \N{CIRCLED PLUS} {opinion_text(b)} = {cumulative};" in text
        assert f"the same pair averaged is {averaged}." in text
        assert (cumulative, averaged) == ("(0.75, 0, 0.25, 0.5)", "(0.6, 0, 0.4, 0.5)")


class TestCoherence:
    """Rule: "Per-hypothesis beliefs plus the single uncertainty sum to 1; projections sum to 1"."""

    @UNTIMED
    @given(line_arrays())
    def test_sums(self, arrays: tuple[Floats, Floats, Floats]) -> None:
        """Σ b + u = 1 and Σ (b + a·u) = 1, every figure in [0, 1]."""
        o = sl.from_likelihoods(*arrays)
        assert math.isclose(math.fsum(o.belief.tolist()) + o.uncertainty, 1.0, abs_tol=1e-12)
        assert math.isclose(math.fsum(o.projected.tolist()), 1.0, abs_tol=1e-12)
        assert ((o.belief >= 0) & (o.projected >= 0) & (o.projected <= 1 + 1e-15)).all()
        assert 0 < o.uncertainty <= 1

    @UNTIMED
    @given(line_arrays())
    def test_records_coarsen_the_opinion(self, arrays: tuple[Floats, Floats, Floats]) -> None:
        """Each hypothesis's binomial opinion is (r, R - r) support with its prior as base rate."""
        o = sl.from_likelihoods(*arrays)
        frame = o.evidence.size
        records = o.per_hypothesis([f"H{j}" for j in range(frame)], np.full(frame, 1 / frame))
        for j, record in enumerate(records):
            expected = sl.from_evidence(record.positive, record.negative, float(o.base_rate[j]))
            assert close(record.opinion, expected)
            assert record.opinion.uncertainty == o.uncertainty
            assert record.projected == pytest.approx(float(o.projected[j]), abs=1e-12)


class TestNeverDogmatic:
    """Rule: "no line with q < 1 is dogmatic" (methods.md section 15)."""

    @UNTIMED
    @given(
        st.lists(st.sampled_from([*TABLE, "NA"]), min_size=1, max_size=6),
        st.floats(0, 1, exclude_max=True),
        st.floats(0, 1),
    )
    def test_bounded_evidence(self, ratings: list[str], quality: float, t: float) -> None:
        """A line carries at most t·log2((1 + q)/(1 - q)) bits for any hypothesis, any table."""
        priors = np.full(len(ratings), 1 / len(ratings))
        row = np.array([rated_row(ratings, quality, priors)])
        r = sl.line_evidence(row, np.array([t]))
        assert float(r.max()) <= t * math.log2((1 + quality) / (1 - quality)) + 1e-12
        assert sl.from_likelihoods(row, np.array([t]), priors).uncertainty > 0

    @UNTIMED
    @given(line_arrays())
    def test_lines_fused_are_the_records(self, arrays: tuple[Floats, Floats, Floats]) -> None:
        """Fusing the lines' binomial opinions about h cumulatively gives h's record."""
        log_ell, tempering, priors = arrays
        o = sl.from_likelihoods(log_ell, tempering, priors)
        lines = [
            sl.from_likelihoods(log_ell[i : i + 1], tempering[i : i + 1], priors)
            for i in range(len(log_ell))
        ]
        for j in range(priors.size):
            fused = sl.fuse_cumulative([line.binomial(j) for line in lines] or [o.binomial(j)])
            assert close(fused, o.binomial(j), 1e-9)


class TestReference:
    """The vectorised opinion equals loops over the lines with math.fsum."""

    @UNTIMED
    @given(line_arrays(max_lines=12))
    def test_against_loops(self, arrays: tuple[Floats, Floats, Floats]) -> None:
        """Beliefs, uncertainty and projections agree to 1e-12."""
        b, u, p = reference(*arrays)
        o = sl.from_likelihoods(*arrays)
        assert np.allclose(o.belief, b, rtol=1e-12, atol=1e-12)
        assert o.uncertainty == pytest.approx(u, rel=1e-12)
        assert np.allclose(o.projected, p, rtol=1e-12, atol=1e-12)

    def test_chunks(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Lines taken in chunks give the same evidence as all at once."""
        rng = np.random.default_rng(7)
        log_ell = np.log(rng.uniform(0.05, 0.95, (50, 4)))
        tempering = rng.uniform(0.1, 1, 50)
        whole = sl.line_evidence(log_ell, tempering)
        monkeypatch.setattr(sl, "_CHUNK_CELLS", 12)
        assert np.array_equal(sl.line_evidence(log_ell, tempering), whole)


class TestNonDiagnosticLines:
    """Rule: "a non-diagnostic line adds nothing"."""

    @UNTIMED
    @given(line_arrays(), st.floats(-5, 0), st.floats(0, 1), st.integers(1, 4))
    def test_equal_rows_add_nothing(
        self, arrays: tuple[Floats, Floats, Floats], value: float, t: float, copies: int
    ) -> None:
        """Lines whose likelihoods are all equal leave the opinion as it was."""
        log_ell, tempering, priors = arrays
        frame = priors.size
        more = np.vstack([log_ell, np.full((copies, frame), value)])
        assert same_opinion(
            sl.from_likelihoods(more, np.append(tempering, [t] * copies), priors),
            sl.from_likelihoods(log_ell, tempering, priors),
        )

    @UNTIMED
    @given(
        priors_of(4),
        st.sampled_from(list(TABLE)),
        st.floats(0, 1),
        st.lists(st.booleans(), min_size=4, max_size=4),
    )
    def test_rated_alike_with_na(
        self, priors: Floats, rating: str, quality: float, na: list[bool]
    ) -> None:
        """A line rated alike, NA cells taking the (rounded) mean, has no evidence at all."""
        ratings = ["NA" if missing else rating for missing in na]
        row = np.array([rated_row(ratings, quality, priors)])
        o = sl.from_likelihoods(row, np.ones(1), priors)
        assert o.vacuous
        assert o.evidence.tolist() == [0.0] * 4

    def test_ten_consistent_items(self) -> None:
        """Ten A1 items rated C/C/C on three hypotheses: belief 0, u = 1, P = the priors."""
        rows = [(f"E{i}", "A", 1, {"H1": "C", "H2": "C", "H3": "C"}) for i in range(10)]
        a = items_assessment(rows, hypotheses=3)
        a = attrs.evolve(
            a,
            hypotheses=[
                attrs.evolve(h, prior=p) for h, p in zip(a.hypotheses, [0.5, 0.3, 0.2], strict=True)
            ],
        )
        records = sl.opinions(assess.score(a))
        assert [r.opinion.belief for r in records] == [0.0, 0.0, 0.0]
        assert [r.opinion.uncertainty for r in records] == [1.0, 1.0, 1.0]
        assert [r.projected for r in records] == [0.5, 0.3, 0.2]
        assert [r.positive for r in records] == [0.0, 0.0, 0.0]


class TestLikelihoodRatios:
    """Rule: only the lines' likelihood ratios are evidence."""

    @UNTIMED
    @given(line_arrays(), st.data())
    def test_a_factor_per_line_changes_nothing(
        self, arrays: tuple[Floats, Floats, Floats], data: st.DataObject
    ) -> None:
        """Multiplying a line's likelihoods by a constant (adding to its logs) changes nothing."""
        log_ell, tempering, priors = arrays
        shift = np.array(
            data.draw(st.lists(st.floats(-3, 3), min_size=len(log_ell), max_size=len(log_ell)))
        )
        assert same_opinion(
            sl.from_likelihoods(log_ell + shift[:, None], tempering, priors),
            sl.from_likelihoods(log_ell, tempering, priors),
            1e-9,
        )

    @UNTIMED
    @given(line_arrays(frames=(2, 6)))
    def test_belief_differences_are_weights_of_evidence(
        self, arrays: tuple[Floats, Floats, Floats]
    ) -> None:
        """(b(h) - b(h'))·(W + R) = Σ t·log2(l(h)/l(h')): belief ranks as the uniform posterior."""
        log_ell, tempering, priors = arrays
        o = sl.from_likelihoods(log_ell, tempering, priors)
        weight = (tempering[:, None] * log_ell).sum(axis=0) / LN2
        scale = o.weight + o.total
        for h in range(priors.size):
            for g in range(priors.size):
                expected = weight[h] - weight[g]
                found = (o.belief[h] - o.belief[g]) * scale
                assert found == pytest.approx(expected, abs=1e-9 + 1e-9 * abs(expected))

    @UNTIMED
    @given(line_arrays())
    def test_tempering_is_a_power(self, arrays: tuple[Floats, Floats, Floats]) -> None:
        """A line tempered by t weighs as its likelihoods raised to the power t."""
        log_ell, tempering, priors = arrays
        assert same_opinion(
            sl.from_likelihoods(log_ell, tempering, priors),
            sl.from_likelihoods(log_ell * tempering[:, None], np.ones(len(log_ell)), priors),
            1e-9,
        )

    def test_one_bit_is_one_observation(self) -> None:
        """Binary frame, even priors, likelihood ratio 2: projected = posterior = 2/3."""
        o = sl.from_likelihoods(np.log([[0.8, 0.4]]), np.ones(1), np.array([0.5, 0.5]))
        assert o.evidence.tolist() == pytest.approx([1.0, 0.0])
        assert o.projected.tolist() == pytest.approx([2 / 3, 1 / 3])

    def test_independent_lines_add(self) -> None:
        """Two lines give the sum of their evidence: cumulative fusion in evidence space."""
        log_ell, tempering, priors = docstring_example()
        both = sl.from_likelihoods(log_ell, tempering, priors)
        first = sl.from_likelihoods(log_ell[:1], tempering[:1], priors)
        second = sl.from_likelihoods(log_ell[1:], tempering[1:], priors)
        assert np.allclose(both.evidence, first.evidence + second.evidence)
        assert both.uncertainty < min(first.uncertainty, second.uncertainty)


class TestOrderIndependence:
    """Rule: shuffled lines, or hypotheses listed in another order, give the same opinion."""

    @UNTIMED
    @given(line_arrays(), st.randoms(use_true_random=False))
    def test_shuffled(self, arrays: tuple[Floats, Floats, Floats], rng: random.Random) -> None:
        """Permuting the lines changes nothing; permuting the hypotheses permutes the figures."""
        log_ell, tempering, priors = arrays
        rows = list(range(len(log_ell)))
        cols = list(range(priors.size))
        rng.shuffle(rows)
        rng.shuffle(cols)
        o = sl.from_likelihoods(log_ell, tempering, priors)
        p = sl.from_likelihoods(log_ell[rows][:, cols], tempering[rows], priors[cols])
        assert np.allclose(p.evidence, o.evidence[cols], rtol=1e-12, atol=1e-12)
        assert np.allclose(p.projected, o.projected[cols], rtol=1e-12, atol=1e-12)


class TestMultinomialOpinion:
    """The record, its checks and its JSON."""

    def test_no_lines_is_vacuous(self) -> None:
        """Without lines the opinion is vacuous and projects the priors."""
        o = sl.from_likelihoods(np.zeros((0, 3)), np.zeros(0), np.array([0.2, 0.3, 0.5]))
        assert o.vacuous
        assert o.uncertainty == 1.0
        assert o.projected.tolist() == [0.2, 0.3, 0.5]

    def test_arrays_are_copied_and_read_only(self) -> None:
        """The opinion keeps its own read-only arrays."""
        evidence = np.array([1.0, 2.0])
        o = MultinomialOpinion(evidence, np.array([0.5, 0.5]))
        evidence[0] = 9.0
        assert o.evidence.tolist() == [1.0, 2.0]
        with pytest.raises(ValueError, match="read-only"):
            o.evidence[0] = 3.0

    @pytest.mark.parametrize(
        ("evidence", "base_rate", "weight"),
        [
            ([-1.0, 0.0], [0.5, 0.5], 2.0),
            ([1.0, math.nan], [0.5, 0.5], 2.0),
            ([1.0], [0.5, 0.5], 2.0),
            ([1.0, 1.0], [0.5, 0.6], 2.0),
            ([1.0, 1.0], [0.5, 0.5], 0.0),
            ([], [], 2.0),
        ],
    )
    def test_invalid(self, evidence: list[float], base_rate: list[float], weight: float) -> None:
        """Negative or missing evidence, bad base rates or W <= 0 are refused."""
        with pytest.raises(sl.OpinionError):
            MultinomialOpinion(np.array(evidence), np.array(base_rate), weight)

    @pytest.mark.parametrize(
        ("log_ell", "tempering", "priors"),
        [
            ([[0.0, -1.0]], [1.0], [0.5, 0.3]),  # priors do not sum to 1
            ([[0.0, -1.0]], [1.5], [0.5, 0.5]),  # tempering above 1
            ([[0.0, -1.0]], [-0.1], [0.5, 0.5]),
            ([[0.0, -1.0]], [1.0, 1.0], [0.5, 0.5]),  # one factor per line
            ([[0.0, -1.0, 0.0]], [1.0], [0.5, 0.5]),  # columns against priors
            ([[0.0, -math.inf]], [1.0], [0.5, 0.5]),
            ([0.0, -1.0], [1.0], [0.5, 0.5]),  # not a matrix
        ],
    )
    def test_invalid_arrays(
        self, log_ell: list[float], tempering: list[float], priors: list[float]
    ) -> None:
        """Arrays that do not fit together, or are not finite, raise OpinionError."""
        with pytest.raises(sl.OpinionError):
            sl.from_likelihoods(np.array(log_ell), np.array(tempering), np.array(priors))

    def test_error_is_an_assess_error(self) -> None:
        """OpinionError from the arrays is an AssessError and a ValueError."""
        with pytest.raises(assess.AssessError):
            sl.line_evidence(np.array([[math.nan]]), np.ones(1))

    def test_json(self) -> None:
        """The shared uncertainty, and per hypothesis its id, belief and projection."""
        o = sl.from_likelihoods(*docstring_example())
        data = json.loads(json.dumps(o.to_json(["H1", "H2", "H3"]), allow_nan=False))
        assert data["uncertainty"] == o.uncertainty
        assert [h["id"] for h in data["hypotheses"]] == ["H1", "H2", "H3"]
        assert [h["belief"] for h in data["hypotheses"]] == o.belief.tolist()
        assert [h["projected"] for h in data["hypotheses"]] == o.projected.tolist()
        record = o.per_hypothesis(["H1", "H2", "H3"], np.array([0.6, 0.3, 0.1]))[0]
        flat = json.loads(json.dumps(record.to_json(), allow_nan=False))
        assert set(flat) >= {"id", "belief", "uncertainty", "projected", "posterior"}
        assert flat["uncertainty"] == o.uncertainty
        assert flat["belief"] == pytest.approx(float(o.belief[0]))


class TestOpinions:
    """opinions(scores): the adapter over the scored lines."""

    @UNTIMED
    @given(assessments())
    def test_is_the_pure_function(self, a: assess.Assessment) -> None:
        """The records are from_likelihoods over line_log_likelihoods, with the priors."""
        scores = assess.score(a)
        log_ell, tempering = line_log_likelihoods(scores)
        o = sl.from_likelihoods(log_ell, tempering, scores.matrix.priors)
        records = sl.opinions(scores)
        assert [r.id for r in records] == list(scores.matrix.hypotheses)
        assert [r.positive for r in records] == o.evidence.tolist()
        assert [r.projected for r in records] == pytest.approx(o.projected.tolist(), abs=1e-12)
        assert [r.posterior for r in records] == scores.arrays.posterior.tolist()
        assert math.fsum(r.projected for r in records) == pytest.approx(1.0)
        assert len({r.opinion.uncertainty for r in records}) == 1

    @UNTIMED
    @given(assessments(), st.randoms(use_true_random=False))
    def test_order_invariance(self, a: assess.Assessment, rng: random.Random) -> None:
        """Reordering the evidence changes no opinion (up to rounding)."""
        shuffled = list(a.evidence)
        rng.shuffle(shuffled)
        b = attrs.evolve(a, evidence=shuffled)
        for x, y in zip(sl.opinions(assess.score(a)), sl.opinions(assess.score(b)), strict=True):
            assert close(x.opinion, y.opinion, 1e-9)

    def test_no_evidence_is_vacuous(self) -> None:
        """Without evidence the opinion is vacuous and each hypothesis projects its prior."""
        a = items_assessment([], hypotheses=2)
        for record in sl.opinions(assess.score(a)):
            assert record.opinion == Opinion(0, 0, 1, 0.5)
            assert record.projected == 0.5
