"""Dempster-Shafer evidence: Zadeh's example, the rules' algebra and the lines."""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import pickle
import random
from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess import analysis
from assess.methods import evidence_theory as ds
from assess.methods.evidence_theory import MassFunction
from assess.methods.scoring import line_log_likelihoods
from helpers import items_assessment, one_line, page_example, section
from strategies import assessments

Floats = npt.NDArray[np.float64]
M, C, T = 0b001, 0b010, 0b100  # Zadeh's frame: meningitis, concussion, tumour
THETA3 = 0b111
TABLE = {"CC": 0.95, "C": 0.80, "N": 0.50, "I": 0.20, "II": 0.05}
#: These tests pin values, not speed: no deadline, which a loaded machine would miss.
UNTIMED = settings(deadline=None)


def same(a: MassFunction, b: MassFunction, tol: float = 1e-9) -> bool:
    """Two mass functions agree set by set (a set missing from one has mass 0 there)."""
    sets = set(a.masses) | set(b.masses)
    return a.frame == b.frame and all(
        math.isclose(a.masses.get(s, 0.0), b.masses.get(s, 0.0), abs_tol=tol) for s in sets
    )


@st.composite
def mass_functions(draw: st.DrawFn, frame: int = 3) -> MassFunction:
    """A mass function over a small frame, with a few focal sets."""
    sets = draw(st.lists(st.integers(1, (1 << frame) - 1), min_size=1, max_size=5, unique=True))
    weights = [draw(st.floats(0.01, 1)) for _ in sets]
    total = sum(weights)
    return MassFunction(frame, {s: w / total for s, w in zip(sets, weights, strict=True)})


class TestMassFunction:
    """The record and its checks."""

    def test_zero_masses_are_not_focal(self) -> None:
        """Sets with mass 0 are dropped; the rest are kept in bitmask order."""
        m = MassFunction(3, {THETA3: 0.5, M: 0.5, C: 0.0})
        assert list(m.masses) == [M, THETA3]

    @pytest.mark.parametrize(
        "masses",
        [{M: 0.5}, {0: 0.5, M: 0.5}, {0b1000: 1.0}, {M: 1.5, C: -0.5}, {M: math.nan, C: 1}],
    )
    def test_invalid(self, masses: dict[int, float]) -> None:
        """Masses must be positive, sum to 1 and sit on non-empty subsets of the frame."""
        with pytest.raises(ds.EvidenceTheoryError):
            MassFunction(3, masses)

    def test_frame_limit(self) -> None:
        """62 hypotheses fit a 64-bit mask; 63 are refused with a clear error."""
        assert MassFunction.vacuous(62).theta == (1 << 62) - 1
        with pytest.raises(ds.FrameTooLargeError, match="at most 62 hypotheses"):
            MassFunction.vacuous(63)

    def test_errors_are_assess_errors_and_pickle(self) -> None:
        """The module's errors are AssessErrors and ValueErrors and survive pickling."""
        for kind in (ds.EvidenceTheoryError, ds.FrameTooLargeError, ds.TotalConflictError):
            error = kind("why")
            assert isinstance(error, assess.AssessError)
            assert isinstance(error, ValueError)
            back = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own bytes
            assert (type(back), str(back)) == (kind, "why")

    def test_belief_and_plausibility(self) -> None:
        """Bel sums the subsets of A, Pl the sets meeting A; Pl(A) = 1 - Bel(not A)."""
        m = MassFunction(3, {M: 0.2, M | C: 0.3, THETA3: 0.5})
        assert ds.belief(m, M) == pytest.approx(0.2)
        assert ds.belief(m, M | C) == pytest.approx(0.5)
        assert ds.plausibility(m, M) == pytest.approx(1.0)
        assert ds.plausibility(m, T) == pytest.approx(0.5)
        assert ds.plausibility(m, C) == pytest.approx(1 - ds.belief(m, M | T))


class TestZadeh:
    """Zadeh's (1984) example: two doctors, near-certain of different diagnoses."""

    m1 = MassFunction(3, {M: 0.99, T: 0.01})
    m2 = MassFunction(3, {C: 0.99, T: 0.01})

    def test_dempster(self) -> None:
        """Dempster's rule: K = 0.9999 and all belief on the tumour neither doctor favoured."""
        m, k = ds.dempster(self.m1, self.m2)
        assert k == pytest.approx(0.9999, abs=1e-12)
        assert same(m, MassFunction(3, {T: 1.0}))
        assert ds.belief(m, T) == pytest.approx(1.0)

    def test_yager(self) -> None:
        """Yager's rule: m(T) = 0.0001 and the conflict, 0.9999, on the frame as ignorance."""
        m = ds.yager(self.m1, self.m2)
        assert same(m, MassFunction(3, {T: 0.0001, THETA3: 0.9999}), 1e-12)
        assert same(ds.combine_yager([self.m1, self.m2]), m, 1e-12)


class TestHandWorked:
    """A combination worked by hand, with partial conflict."""

    def test_two_sources(self) -> None:
        """{M} 0.6, Θ 0.4 with {C} 0.5, {M,C} 0.3, Θ 0.2: K = 0.3, normalised by 0.7."""
        m1 = MassFunction(3, {M: 0.6, THETA3: 0.4})
        m2 = MassFunction(3, {C: 0.5, M | C: 0.3, THETA3: 0.2})
        # Products: M∩C = ∅ 0.30; M∩MC = M 0.18; M∩Θ = M 0.12; Θ∩C = C 0.20;
        # Θ∩MC = MC 0.12; Θ∩Θ = Θ 0.08.
        m, k = ds.dempster(m1, m2)
        assert k == pytest.approx(0.3)
        expected = {M: 0.30 / 0.7, C: 0.20 / 0.7, M | C: 0.12 / 0.7, THETA3: 0.08 / 0.7}
        assert same(m, MassFunction(3, expected))
        y = ds.yager(m1, m2)
        assert same(y, MassFunction(3, {M: 0.30, C: 0.20, M | C: 0.12, THETA3: 0.38}))

    def test_total_conflict(self) -> None:
        """Certain and disjoint: K = 1, Dempster's rule undefined, Yager's vacuous."""
        a, b = MassFunction(3, {M: 1.0}), MassFunction(3, {C: 1.0})
        with pytest.raises(ds.TotalConflictError):
            ds.dempster(a, b)
        assert ds.yager(a, b) == MassFunction.vacuous(3)
        assert ds.combine_yager([a, b]) == MassFunction.vacuous(3)


class TestIdentities:
    """Vacuous evidence, discounting and averaging."""

    @given(mass_functions())
    def test_vacuous_is_the_identity(self, m: MassFunction) -> None:
        """Combining with total ignorance changes nothing, under either rule."""
        vacuous = MassFunction.vacuous(3)
        combined, k = ds.dempster(m, vacuous)
        assert k == 0
        assert same(combined, m)
        assert same(ds.yager(vacuous, m), m)

    @given(mass_functions())
    def test_discounting_limits(self, m: MassFunction) -> None:
        """Discounting with q = 1 keeps the mass function; q = 0 makes it vacuous."""
        assert same(ds.discount(m, 1.0), m)
        assert ds.discount(m, 0.0) == MassFunction.vacuous(3)

    def test_discounting(self) -> None:
        """Discounting by q = 0.8 keeps 0.8 of each mass and adds 0.2 to Θ."""
        m = ds.discount(MassFunction(3, {M: 0.5, THETA3: 0.5}), 0.8)
        assert same(m, MassFunction(3, {M: 0.4, THETA3: 0.6}))
        with pytest.raises(ds.EvidenceTheoryError):
            ds.discount(m, 1.5)

    @given(mass_functions(), st.integers(1, 4))
    def test_average_of_copies(self, m: MassFunction, copies: int) -> None:
        """Averaging n copies of a report gives the report: repetition adds nothing."""
        assert same(ds.average([m] * copies), m)

    def test_frames_must_match(self) -> None:
        """Mass functions over different frames do not combine."""
        with pytest.raises(ds.EvidenceTheoryError):
            ds.dempster(MassFunction.vacuous(2), MassFunction.vacuous(3))
        with pytest.raises(ds.EvidenceTheoryError):
            ds.average([])


class TestCoherence:
    """Rule: masses sum to 1 and Bel(A) <= Pl(A) for every A."""

    @given(st.lists(mass_functions(), min_size=1, max_size=4))
    def test_combinations(self, ms: list[MassFunction]) -> None:
        """Every combination is a mass function with belief below plausibility."""
        results = [ds.combine_yager(ms), ds.average(ms)]
        with contextlib.suppress(ds.TotalConflictError):
            results.append(ds.combine_dempster(ms)[0])
        for m in results:
            assert math.fsum(m.masses.values()) == pytest.approx(1.0)
            for subset in range(1, 8):
                assert ds.belief(m, subset) <= ds.plausibility(m, subset) + 1e-12


class TestDempsterAlgebra:
    """Rule: Dempster's rule is commutative and associative."""

    @given(mass_functions(), mass_functions())
    def test_commutative(self, a: MassFunction, b: MassFunction) -> None:
        """m1 ⊕ m2 = m2 ⊕ m1, conflict included."""
        try:
            ab, k1 = ds.dempster(a, b)
        except ds.TotalConflictError:
            with pytest.raises(ds.TotalConflictError):
                ds.dempster(b, a)
            return
        ba, k2 = ds.dempster(b, a)
        assert same(ab, ba)
        assert k1 == pytest.approx(k2)
        assert same(ds.yager(a, b), ds.yager(b, a))

    @given(mass_functions(), mass_functions(), mass_functions())
    def test_associative(self, a: MassFunction, b: MassFunction, c: MassFunction) -> None:
        """(m1 ⊕ m2) ⊕ m3 = m1 ⊕ (m2 ⊕ m3) = the n-ary rule; 1 - K multiplies along."""
        try:
            ab, k_ab = ds.dempster(a, b)
            left, k_left = ds.dempster(ab, c)
            bc, k_bc = ds.dempster(b, c)
            right, k_right = ds.dempster(a, bc)
        except ds.TotalConflictError:
            with pytest.raises(ds.TotalConflictError):
                ds.combine_dempster([a, b, c])
            return
        whole, k = ds.combine_dempster([a, b, c])
        assert same(left, right)
        assert same(left, whole)
        assert 1 - k == pytest.approx((1 - k_ab) * (1 - k_left))
        assert 1 - k == pytest.approx((1 - k_bc) * (1 - k_right))

    @given(mass_functions(), mass_functions(), mass_functions())
    def test_yager_all_at_once(self, a: MassFunction, b: MassFunction, c: MassFunction) -> None:
        """The n-ary Yager rule is order-free: the conjunctive product, its conflict on Θ."""
        first = ds.combine_yager([a, b, c])
        assert same(first, ds.combine_yager([c, a, b]))
        assert same(ds.combine_yager([a, b]), ds.yager(a, b))


# --------------------------------------------------------------------------- the lines


def rated_row(ratings: list[str], quality: float) -> list[float]:
    """The ln l of a line rated so, l = q·L + (1 - q)/2, NA cells the mean of the rated."""
    logs = [math.log(quality * TABLE[r] + (1 - quality) * 0.5) for r in ratings if r != "NA"]
    mean = sum(logs) / len(logs) if logs else 0.0
    found = iter(logs)
    return [mean if r == "NA" else next(found) for r in ratings]


@st.composite
def line_arrays(
    draw: st.DrawFn, *, frames: tuple[int, int] = (1, 5), max_lines: int = 6
) -> tuple[Floats, Floats]:
    """(ln l lines x hypotheses, tempering): rated rows, ties and arbitrary rows."""
    frame = draw(st.integers(*frames))
    rows = []
    for _ in range(draw(st.integers(0, max_lines))):
        if draw(st.booleans()):
            ratings = draw(
                st.lists(st.sampled_from([*TABLE, "NA"]), min_size=frame, max_size=frame)
            )
            rows.append(rated_row(ratings, draw(st.floats(0, 1))))
        else:
            values = st.floats(1e-3, 1) | st.sampled_from([0.05, 0.2, 0.5])
            rows.append(
                [math.log(x) for x in draw(st.lists(values, min_size=frame, max_size=frame))]
            )
    tempering = draw(
        st.lists(st.floats(0.01, 1) | st.just(1.0), min_size=len(rows), max_size=len(rows))
    )
    return (
        np.array(rows, dtype=np.float64).reshape(len(rows), frame),
        np.array(tempering, dtype=np.float64),
    )


def names(frame: int) -> tuple[str, ...]:
    """H1, H2, ... for a frame."""
    return tuple(f"H{j + 1}" for j in range(frame))


def by_operators(log_ell: Floats, tempering: Floats) -> tuple[MassFunction, float, MassFunction]:
    """Reference: each line's consonant function, combined by the general operators."""
    frame = log_ell.shape[1]
    lines = [ds.consonant(row, t) for row, t in zip(log_ell, tempering.tolist(), strict=True)]
    lines = [m for m in lines if not m.is_vacuous] or [MassFunction.vacuous(frame)]
    dempster, conflict = ds.combine_dempster(lines)
    return dempster, conflict, ds.combine_yager(lines)


def worked_example() -> tuple[Floats, Floats]:
    """The module docstring's lines: CC/N/I at q = 1, I/C/C at q = 0.5, C/C/C at q = 1."""
    rows = [rated_row(["CC", "N", "I"], 1.0), rated_row(["I", "C", "C"], 0.5)]
    rows.append(rated_row(["C", "C", "C"], 1.0))
    return np.array(rows), np.ones(3)


class TestConsonant:
    """One line: Shafer's likelihood-based consonant belief function."""

    @UNTIMED
    @given(line_arrays(frames=(1, 6), max_lines=1))
    def test_nested_with_the_contour(self, arrays: tuple[Floats, Floats]) -> None:
        """Focal sets are nested, Pl({h}) = l(h)^t / max l^t, and m(Θ) = min pl."""
        log_ell, tempering = arrays
        if not len(log_ell):
            return
        m = ds.consonant(log_ell[0], float(tempering[0]))
        sets = sorted(m.masses, key=int.bit_count)
        assert all(a & b == a for a, b in itertools.pairwise(sets))
        contour = ds.contours(log_ell, tempering)[0]
        for j, pl in enumerate(contour.tolist()):
            assert ds.plausibility(m, 1 << j) == pytest.approx(pl, abs=1e-12)
        assert m.masses.get(m.theta, 0.0) == pytest.approx(float(contour.min()), abs=1e-12)
        expected = np.exp(tempering[0] * (log_ell[0] - log_ell[0].max()))
        assert np.allclose(contour, expected, rtol=1e-9, atol=0)

    @UNTIMED
    @given(
        st.lists(st.sampled_from(list(TABLE)), min_size=1, max_size=6),
        st.floats(0, 1, exclude_max=True),
        st.floats(0.01, 1),
    )
    def test_never_dogmatic(self, ratings: list[str], quality: float, t: float) -> None:
        """Rule: "no line with q < 1 is dogmatic": m(Θ) >= ((1 - q)/(1 + q))^t > 0."""
        m = ds.consonant(rated_row(ratings, quality), t)
        bound = ((1 - quality) / (1 + quality)) ** t
        assert m.masses[m.theta] >= bound * (1 - 1e-12)
        assert m.masses[m.theta] > 0

    def test_even_the_best_source_is_not_dogmatic(self) -> None:
        """With the default table even q = 1 keeps m(Θ) = 0.05/0.95 on CC against II."""
        m = ds.consonant(rated_row(["CC", "II"], 1.0))
        assert m.masses[0b11] == pytest.approx(0.05 / 0.95)
        assert m.masses[0b01] == pytest.approx(0.90 / 0.95)

    @UNTIMED
    @given(
        st.sampled_from(list(TABLE)),
        st.floats(0, 1),
        st.lists(st.booleans(), min_size=1, max_size=6),
        st.floats(0, 1),
    )
    def test_non_diagnostic_is_vacuous(
        self, rating: str, quality: float, na: list[bool], t: float
    ) -> None:
        """Rule: "a non-diagnostic line is vacuous", NA cells (a rounded mean) included."""
        row = rated_row(["NA" if missing else rating for missing in na], quality)
        assert ds.consonant(row, t).is_vacuous
        assert ds.consonant([math.log(0.3)] * len(na), t).is_vacuous

    def test_tempering_zero_is_vacuous(self) -> None:
        """A line tempered to nothing commits nothing."""
        assert ds.consonant(rated_row(["CC", "II", "N"], 1.0), 0.0).is_vacuous

    def test_invalid(self) -> None:
        """Values that are not finite or a tempering outside [0, 1] are refused."""
        with pytest.raises(ds.EvidenceTheoryError):
            ds.consonant([0.0, math.nan])
        with pytest.raises(ds.EvidenceTheoryError):
            ds.consonant([0.0, -1.0], 1.5)
        with pytest.raises(ds.FrameTooLargeError):
            ds.consonant([0.0] * 63)


def over(value: float, denominator: int) -> str:
    """``value`` as the page writes it, a fraction over ``denominator``: which must be exact."""
    numerator = value * denominator
    assert numerator == pytest.approx(round(numerator), abs=1e-9), (value, denominator)
    return "0" if round(numerator) == 0 else f"{round(numerator)}/{denominator}"


def fractions(values: list[float], denominator: int) -> str:
    """Figures as the page lists them, as fractions over ``denominator``."""
    return ", ".join(over(x, denominator) for x in values)


def decimals(values: list[float]) -> str:
    """Figures as the page lists them: six decimals, and 0 as 0."""
    return ", ".join("0" if x == 0 else f"{x:.6f}" for x in values)


def set_name(subset: int, frame: int = 3) -> str:
    """A focal set as the page writes it: ∅, Θ or {H1, H2}."""
    if subset == 0:
        return "\N{EMPTY SET}"
    if subset == (1 << frame) - 1:
        return "\N{GREEK CAPITAL LETTER THETA}"
    return "{" + ", ".join(f"H{j + 1}" for j in range(frame) if subset >> j & 1) + "}"


def masses(m: MassFunction, denominator: int) -> str:
    """A line's masses as the page writes them, smallest sets first."""
    return ", ".join(
        f"m({set_name(subset)}) = {over(mass, denominator)}"
        for subset, mass in sorted(m.masses.items(), key=lambda x: (x[0].bit_count(), x[0]))
    )


class TestWorkedExample:
    """The module docstring's example, in fractions of 247 and 193."""

    def test_lines(self) -> None:
        """E1: 9/19, 6/19, 4/19 on {H1}, {H1,H2}, Θ; E2: 6/13, 7/13 on {H2,H3}, Θ."""
        log_ell, _ = worked_example()
        e1, e2, e3 = (ds.consonant(row) for row in log_ell)
        assert same(e1, MassFunction(3, {0b001: 9 / 19, 0b011: 6 / 19, THETA3: 4 / 19}), 1e-12)
        assert same(e2, MassFunction(3, {0b110: 6 / 13, THETA3: 7 / 13}), 1e-12)
        assert e3.is_vacuous

    def test_combined(self) -> None:
        """K = 54/247; Dempster Bel 63/193, 36/193, 0 and Pl 133/193, 130/193, 52/193; Yager."""
        result = ds.from_likelihoods(*worked_example(), names(3), lines=("E1", "E2", "E3"))
        assert result.conflict == pytest.approx(54 / 247, abs=1e-12)
        assert result.vacuous == ("E3",)
        assert result.lines == 3
        bel = [h.belief for h in result.hypotheses]
        pl = [h.plausibility for h in result.hypotheses]
        assert bel == pytest.approx([63 / 193, 36 / 193, 0], abs=1e-12)
        assert pl == pytest.approx([133 / 193, 130 / 193, 52 / 193], abs=1e-12)
        yager = [(h.yager_belief, h.yager_plausibility) for h in result.hypotheses]
        expected = [(63 / 247, 187 / 247), (36 / 247, 184 / 247), (0, 106 / 247)]
        assert yager == [pytest.approx(p, abs=1e-12) for p in expected]
        assert result.yager.masses[THETA3] == pytest.approx(82 / 247, abs=1e-12)
        assert result.dempster is not None
        assert same(
            result.dempster,
            MassFunction(
                3,
                {
                    0b001: 63 / 193,
                    0b010: 36 / 193,
                    0b011: 42 / 193,
                    0b110: 24 / 193,
                    THETA3: 28 / 193,
                },
            ),
            1e-12,
        )

    def test_fractions(self) -> None:
        """The products in units of 1/247 are exact: 54, 63, 36, 42, 24, 28."""
        e1 = {0b001: Fraction(9, 19), 0b011: Fraction(6, 19), THETA3: Fraction(4, 19)}
        e2 = {0b110: Fraction(6, 13), THETA3: Fraction(7, 13)}
        joint: dict[int, Fraction] = {}
        for a, x in e1.items():
            for b, y in e2.items():
                joint[a & b] = joint.get(a & b, Fraction(0)) + x * y
        assert {s: v * 247 for s, v in joint.items()} == {
            0: 54,
            0b001: 63,
            0b010: 36,
            0b011: 42,
            0b110: 24,
            THETA3: 28,
        }
        ratio = [Fraction(133), Fraction(130), Fraction(52)]
        likelihood = [Fraction(95, 100) * Fraction(35, 100), Fraction(1, 2) * Fraction(65, 100)]
        likelihood.append(Fraction(2, 10) * Fraction(65, 100))
        assert [r / ratio[0] for r in ratio] == [x / likelihood[0] for x in likelihood]

    def test_text_matches(self) -> None:
        """The figures pinned above are the ones the module docstring quotes."""
        text = " ".join((ds.__doc__ or "").split())
        for figure in [
            "m({H1}) = 9/19",
            "m({H1, H2}) = 6/19",
            "m(Θ) = 4/19",
            "m({H2, H3}) = 6/13, m(Θ) = 7/13",
            "∅ 54 ({H1} with {H2, H3}), {H1} 63, {H2} 36, {H1, H2} 42, {H2, H3} 24, Θ 28",
            "K = 54/247 = 0.218623",
            "Bel = 63/193, 36/193, 0 = 0.326425, 0.186528, 0",
            "Pl = 133/193, 130/193, 52/193 = 0.689119, 0.673575, 0.269430",
            "m(Θ) = 82/247 = 0.331984",
            "Bel = 0.255061, 0.145749, 0",
            "Pl = 187/247, 184/247, 106/247 = 0.757085, 0.744939, 0.429150",
        ]:
            assert figure in text
        assert round(54 / 247, 6) == 0.218623
        assert [round(x / 193, 6) for x in (63, 36, 133, 130, 52)] == [
            0.326425,
            0.186528,
            0.689119,
            0.673575,
            0.26943,
        ]
        assert [round(x / 247, 6) for x in (82, 63, 36, 187, 184, 106)] == [
            0.331984,
            0.255061,
            0.145749,
            0.757085,
            0.744939,
            0.42915,
        ]

    def test_page_example_is_this_example(self) -> None:
        """The assessment methods.md section 16 combines has exactly the docstring's lines."""
        log_ell, tempering = line_log_likelihoods(assess.score(page_example()))
        expected, ones = worked_example()
        assert np.allclose(log_ell, expected, rtol=0, atol=1e-15)
        assert tempering.tolist() == ones.tolist()

    def test_page_quotes_the_lines(self) -> None:
        """methods.md section 16 quotes each line's contour and masses as the code gives them."""
        text = one_line(section(16))
        log_ell, tempering = line_log_likelihoods(assess.score(page_example()))
        contour = ds.contours(log_ell, tempering).tolist()
        e1, e2, e3 = (ds.consonant(row, t) for row, t in zip(log_ell, tempering, strict=True))
        assert (
            f"pl = 1, 0.5/0.95, 0.2/0.95 = {fractions(contour[0], 19).replace('19/19', '1')}."
            in text
        )
        assert f"{masses(e1, 19)}." in text
        assert (
            f"pl = {fractions(contour[1], 13).replace('13/13', '1')}, with {masses(e2, 13)}."
            in text
        )
        assert contour[2] == [1.0, 1.0, 1.0]
        assert e3.is_vacuous
        assert "so pl = 1 throughout: it is vacuous, and listed as such." in text

    def test_page_quotes_the_combination(self) -> None:
        """Section 16 quotes the products, K, and both rules' Bel and Pl from dempster_shafer()."""
        text = one_line(section(16))
        result = ds.dempster_shafer(assess.score(page_example()))
        assert result.vacuous == ("E3",)
        assert result.dempster is not None
        k = result.conflict
        joint = {subset: mass * (1 - k) for subset, mass in result.dempster.masses.items()}
        products = [f"{set_name(0)} {over(k, 247).split('/')[0]}"]
        products[0] += " ({H1} with {H2, H3})"
        products += [
            f"{set_name(subset)} {over(mass, 247).split('/')[0]}"
            for subset, mass in sorted(joint.items(), key=lambda x: (x[0].bit_count(), x[0]))
        ]
        assert f"in units of 1/247 (19 x 13), are: {', '.join(products)}." in text
        assert f"K = {over(k, 247)} = {k:.6f}" in text
        assert f"Dempster's rule divides by 1 - K = {over(1 - k, 247)}:" in text
        bel = [h.belief or 0.0 for h in result.hypotheses]
        pl = [h.plausibility or 0.0 for h in result.hypotheses]
        assert f"Bel({{h}}) = {fractions(bel, 193)} = {decimals(bel)};" in text
        assert f"Pl({{h}}) = {fractions(pl, 193)} = {decimals(pl)}, in the ratio" in text
        theta = result.yager.masses[result.yager.theta]
        assert f"m(\N{GREEK CAPITAL LETTER THETA}) = (28 + 54)/247 = {over(theta, 247)}" in text
        assert f"= {theta:.6f}, so" in text
        yager_bel = [h.yager_belief for h in result.hypotheses]
        yager_pl = [h.yager_plausibility for h in result.hypotheses]
        assert f"Bel({{h}}) = {fractions(yager_bel, 247)} = {decimals(yager_bel)};" in text
        assert f"Pl({{h}}) = {fractions(yager_pl, 247)} = {decimals(yager_pl)}." in text
        assert not result.warnings
        assert f"K is below {ds.CONFLICT_THRESHOLD}, so there is no warning." in text

    def test_page_quotes_the_posteriors(self) -> None:
        """Section 16: normalised, Pl is the uniform posterior; times the priors, the posterior."""
        text = one_line(section(16))
        scores = assess.score(page_example())
        result = ds.dempster_shafer(scores)
        pl = np.array([h.plausibility or 0.0 for h in result.hypotheses])
        uniform = [h.posterior for h in assess.score(page_example(uniform=True)).hypotheses]
        normalised = (pl / pl.sum()).tolist()
        assert normalised == pytest.approx(uniform, abs=1e-12)
        weighted = pl * scores.matrix.priors
        posterior = [h.posterior for h in scores.hypotheses]
        assert (weighted / weighted.sum()).tolist() == pytest.approx(posterior, abs=1e-12)
        assert f"{fractions(normalised, 315)} = {decimals(uniform)}, the posterior under" in text
        assert f"they are {decimals(posterior)}, the posterior." in text

    def test_page_quotes_zadeh(self) -> None:
        """Section 16 quotes Zadeh's example as dempster() and yager() give it."""
        text = one_line(section(16))
        m1, m2 = TestZadeh.m1, TestZadeh.m2
        m, k = ds.dempster(m1, m2)
        y = ds.yager(m1, m2)
        assert f"Dempster's rule finds K = {k:.4f} and m(T) = {m.masses[T]:g}," in text
        assert (
            f"Yager's rule gives m(T) = {y.masses[T]:.4f} and"
            f" m(\N{GREEK CAPITAL LETTER THETA}) = {y.masses[THETA3]:.4f}," in text
        )

    def test_page_quotes_the_limits(self) -> None:
        """Section 16 states the frame limits, the dense cut-off and the threshold the code uses."""
        text = one_line(section(16))
        assert f"at most {ds.MAX_HYPOTHESES} hypotheses are supported" in text
        assert f"Up to {ds._DENSE_FRAME} hypotheses the combination keeps a mass for every" in text
        assert f"above {ds._DENSE_FRAME} it keeps only the focal sets found so far" in text
        assert f"more than 2^{ds._MAX_PAIRS.bit_length() - 1} pairs" in text
        assert ds._MAX_PAIRS.bit_count() == 1  # a power of 2, as the page writes it
        limit = analysis.DEMPSTER_SHAFER_MAX_HYPOTHESES
        assert (
            f"only for up to {limit} hypotheses (`analysis.DEMPSTER_SHAFER_MAX_HYPOTHESES`)" in text
        )
        assert f"When K > {ds.CONFLICT_THRESHOLD} (`CONFLICT_THRESHOLD`)" in text
        best = ds.consonant(np.log([0.95, 0.05]))
        assert best.masses[best.theta] == pytest.approx(0.05 / 0.95)
        assert (
            "even q = 1 keeps m(\N{GREEK CAPITAL LETTER THETA}) = 0.05/0.95"
            " on a line rated CC and II"
        ) in text


class TestReference:
    """The vectorised combination equals the general operators applied line by line."""

    @UNTIMED
    @given(line_arrays(), st.booleans())
    def test_against_operators(self, arrays: tuple[Floats, Floats], dense: bool) -> None:
        """Dempster's masses, K and Yager's masses agree, on a dense array or sparse sets."""
        log_ell, tempering = arrays
        frame = log_ell.shape[1]
        result = ds.from_likelihoods(log_ell, tempering, names(frame))
        dempster, conflict, yager = by_operators(log_ell, tempering)
        assert result.dempster is not None
        assert same(result.dempster, dempster)
        assert result.conflict == pytest.approx(conflict, abs=1e-9)
        assert same(result.yager, yager)
        theta = (1 << frame) - 1
        informative = (ds.contours(log_ell, tempering) < 1).any(axis=1)
        log_contour = np.log(ds.contours(log_ell, tempering))[informative]
        other = ds._combine_lines(log_contour, theta, dense=dense)
        assert other.masks is not None
        assert other.mass is not None
        assert same(ds._from_arrays(frame, other.masks, other.mass), dempster)

    def test_large_frames_take_the_sparse_path(self) -> None:
        """Eighteen hypotheses: focal sets kept sparsely, the same masses as the operators."""
        rng = np.random.default_rng(3)
        log_ell = np.log(rng.choice([0.05, 0.2, 0.5, 0.8, 0.95], (5, 18)))
        tempering = rng.uniform(0.2, 1, 5)
        result = ds.from_likelihoods(log_ell, tempering, names(18))
        dempster, conflict, yager = by_operators(log_ell, tempering)
        assert result.dempster is not None
        assert same(result.dempster, dempster)
        assert result.conflict == pytest.approx(conflict, abs=1e-9)
        assert same(result.yager, yager)

    def test_too_many_focal_sets(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A sparse combination that would outgrow its bound raises FrameTooLargeError."""
        monkeypatch.setattr(ds, "_MAX_PAIRS", 8)
        rng = np.random.default_rng(4)
        log_ell = np.log(rng.choice([0.05, 0.2, 0.5, 0.8, 0.95], (6, 18)))
        with pytest.raises(ds.FrameTooLargeError, match="up to 16 hypotheses"):
            ds.from_likelihoods(log_ell, np.ones(6), names(18))


class TestPlausibilityIsTheLikelihood:
    """Rule: "ranking by singleton plausibility agrees with ranking by uniform-prior posterior"."""

    @UNTIMED
    @given(line_arrays(max_lines=10))
    def test_proportional(self, arrays: tuple[Floats, Floats]) -> None:
        """Pl({h})·(1 - K) = Π pl_i(h): the contour of the combination is the product's."""
        log_ell, tempering = arrays
        result = ds.from_likelihoods(log_ell, tempering, names(log_ell.shape[1]))
        product = np.exp(np.log(ds.contours(log_ell, tempering)).sum(axis=0))
        pl = np.array([h.plausibility for h in result.hypotheses], dtype=np.float64)
        assert np.allclose(pl * math.exp(result.log_agreement), product, rtol=1e-9, atol=1e-300)

    @UNTIMED
    @given(line_arrays(frames=(2, 5), max_lines=10))
    def test_ranks_as_the_posterior(self, arrays: tuple[Floats, Floats]) -> None:
        """Whenever the uniform-prior posterior prefers h to h', so does Pl({h})."""
        log_ell, tempering = arrays
        result = ds.from_likelihoods(log_ell, tempering, names(log_ell.shape[1]))
        weight = (tempering[:, None] * log_ell).sum(axis=0)
        pl = [h.plausibility or 0.0 for h in result.hypotheses]
        for h, g in zip(*np.nonzero(weight[:, None] > weight[None, :] + 1e-9), strict=True):
            assert pl[h] > pl[g]

    def test_survives_a_thousand_lines(self) -> None:
        """400 strong lines each way: logs keep Θ's tiny mass, so the order does not matter."""
        one = np.log([[0.95, 0.05]] * 400)
        other = np.log([[0.05, 0.95]] * 400)
        tempering = np.ones(800)
        # Each block alone leaves the other hypothesis e^-1178 (below the
        # smallest double), which the second block needs: 0.5 each.
        first = ds.from_likelihoods(np.vstack([one, other]), tempering, names(2))
        mixed = np.empty((800, 2))
        mixed[0::2], mixed[1::2] = one, other
        second = ds.from_likelihoods(mixed, tempering, names(2))
        for result in (first, second):
            bel = [h.belief for h in result.hypotheses]
            assert bel[0] == pytest.approx(bel[1])
            assert bel[0] == pytest.approx(0.5)
            assert result.conflict == 1.0
            assert math.isfinite(result.log_agreement)
        assert first.log_agreement == pytest.approx(second.log_agreement, rel=1e-12)


class TestCompatibleWithBayes:
    """Rule: the lines, combined with the priors, give the posterior (methods.md section 16)."""

    @UNTIMED
    @given(line_arrays(frames=(1, 5), max_lines=6), st.data())
    def test_priors_give_the_posterior(
        self, arrays: tuple[Floats, Floats], data: st.DataObject
    ) -> None:
        """Dempster's rule over a Bayesian prior and the lines gives prior·Π l^t, normalised."""
        log_ell, tempering = arrays
        frame = log_ell.shape[1]
        weights = data.draw(st.lists(st.floats(0.05, 1), min_size=frame, max_size=frame))
        priors = np.array(weights) / sum(weights)
        prior = MassFunction(frame, {1 << j: float(p) for j, p in enumerate(priors)})
        lines = [ds.consonant(row, t) for row, t in zip(log_ell, tempering.tolist(), strict=True)]
        combined, _ = ds.combine_dempster([prior, *lines])
        log_posterior = np.log(priors) + (tempering[:, None] * log_ell).sum(axis=0)
        posterior = np.exp(log_posterior - log_posterior.max())
        posterior /= posterior.sum()
        found = [combined.masses.get(1 << j, 0.0) for j in range(frame)]
        assert np.allclose(found, posterior, rtol=1e-9, atol=1e-12)

    @UNTIMED
    @given(line_arrays(max_lines=6))
    def test_yager_is_dempster_rescaled(self, arrays: tuple[Floats, Floats]) -> None:
        """Bel_Yager({h}) = (1 - K) Bel({h}) and Pl_Yager({h}) = (1 - K) Pl({h}) + K."""
        log_ell, tempering = arrays
        frame = log_ell.shape[1]
        result = ds.from_likelihoods(log_ell, tempering, names(frame))
        k = result.conflict
        for h in result.hypotheses:
            assert h.belief is not None
            assert h.plausibility is not None
            if frame > 1:
                assert h.yager_belief == pytest.approx((1 - k) * h.belief, abs=1e-9)
            assert h.yager_plausibility == pytest.approx((1 - k) * h.plausibility + k, abs=1e-9)


class TestConflict:
    """Rule: K is 0 exactly when one hypothesis is the most likely in every line."""

    @UNTIMED
    @given(line_arrays(max_lines=5))
    def test_no_conflict_iff_a_common_best(self, arrays: tuple[Floats, Floats]) -> None:
        """K = 0 if and only if some hypothesis has contour 1 in every informative line."""
        log_ell, tempering = arrays
        result = ds.from_likelihoods(log_ell, tempering, names(log_ell.shape[1]))
        contour = ds.contours(log_ell, tempering)
        common = bool((contour == 1.0).all(axis=0).any()) if len(contour) else True
        assert (result.conflict == 0.0) == common

    def test_high_conflict_flag(self) -> None:
        """Two strong lines for different hypotheses: K = (0.9/0.95)^2 > 0.5, flagged."""
        log_ell = np.log([[0.95, 0.05], [0.05, 0.95]])
        result = ds.from_likelihoods(log_ell, np.ones(2), names(2))
        assert result.conflict == pytest.approx((0.9 / 0.95) ** 2)
        assert result.high_conflict
        assert [w.code for w in result.warnings] == ["high-conflict"]
        moved = ds.from_likelihoods(log_ell, np.ones(2), names(2), conflict_threshold=0.95)
        assert not moved.high_conflict
        assert moved.warnings == ()

    def test_total_conflict_record(self) -> None:
        """The record still reports a total conflict (from other mass functions) as before."""
        result = attrs.evolve(
            ds.from_likelihoods(np.zeros((0, 2)), np.zeros(0), names(2)),
            dempster=None,
            conflict=1.0,
        )
        assert not result.defined
        assert [w.code for w in result.warnings] == ["total-conflict"]


class TestVacuousLines:
    """Rule: "a non-diagnostic line is vacuous" and changes nothing."""

    @UNTIMED
    @given(line_arrays(), st.floats(-5, 0), st.integers(1, 3))
    def test_add_nothing(self, arrays: tuple[Floats, Floats], value: float, copies: int) -> None:
        """Adding lines that rate every hypothesis alike changes no figure; they are named."""
        log_ell, tempering = arrays
        frame = log_ell.shape[1]
        ids = [f"L{i}" for i in range(len(log_ell) + copies)]
        more = np.vstack([log_ell, np.full((copies, frame), value)])
        before = ds.from_likelihoods(log_ell, tempering, names(frame), lines=ids[: len(log_ell)])
        after = ds.from_likelihoods(
            more, np.append(tempering, [1.0] * copies), names(frame), lines=ids
        )
        assert after.conflict == pytest.approx(before.conflict, abs=1e-12)
        assert before.dempster is not None
        assert after.dempster is not None
        assert same(after.dempster, before.dempster, 1e-12)
        assert set(after.vacuous) == set(before.vacuous) | set(ids[len(log_ell) :])

    def test_no_lines(self) -> None:
        """Without lines everything is open: Bel 0, Pl 1, no conflict."""
        result = ds.from_likelihoods(np.zeros((0, 2)), np.zeros(0), names(2))
        assert result.dempster == MassFunction.vacuous(2)
        assert all((h.belief, h.plausibility) == (0.0, 1.0) for h in result.hypotheses)
        assert (result.lines, result.vacuous, result.conflict) == (0, (), 0.0)


class TestTemperingAndOrder:
    """Rules: tempering is a power likelihood; shuffled lines give the same answer."""

    @UNTIMED
    @given(line_arrays())
    def test_tempering_is_a_power(self, arrays: tuple[Floats, Floats]) -> None:
        """A line tempered by t is the line with its likelihoods raised to the power t."""
        log_ell, tempering = arrays
        frame = log_ell.shape[1]
        a = ds.from_likelihoods(log_ell, tempering, names(frame))
        b = ds.from_likelihoods(log_ell * tempering[:, None], np.ones(len(log_ell)), names(frame))
        assert a.dempster is not None
        assert b.dempster is not None
        assert same(a.dempster, b.dempster)

    @UNTIMED
    @given(line_arrays(), st.randoms(use_true_random=False))
    def test_shuffled(self, arrays: tuple[Floats, Floats], rng: random.Random) -> None:
        """Permuting the lines changes neither combination nor K."""
        log_ell, tempering = arrays
        rows = list(range(len(log_ell)))
        rng.shuffle(rows)
        frame = log_ell.shape[1]
        a = ds.from_likelihoods(log_ell, tempering, names(frame))
        b = ds.from_likelihoods(log_ell[rows], tempering[rows], names(frame))
        assert a.conflict == pytest.approx(b.conflict, abs=1e-12)
        assert a.dempster is not None
        assert b.dempster is not None
        assert same(a.dempster, b.dempster)
        assert same(a.yager, b.yager)


class TestArrays:
    """The pure function's checks and JSON."""

    @pytest.mark.parametrize(
        ("log_ell", "tempering", "frame", "lines"),
        [
            ([[0.0, -1.0]], [1.0], 3, None),  # columns against hypotheses
            ([[0.0, -1.0]], [1.0, 1.0], 2, None),  # one factor per line
            ([[0.0, -1.0]], [1.0], 2, ("a", "b")),  # one id per line
            ([[0.0, math.nan]], [1.0], 2, None),
            ([[0.0, -1.0]], [2.0], 2, None),
            ([0.0, -1.0], [1.0], 2, None),  # not a matrix
        ],
    )
    def test_invalid(
        self,
        log_ell: list[float],
        tempering: list[float],
        frame: int,
        lines: tuple[str, ...] | None,
    ) -> None:
        """Arrays or ids that do not fit together raise EvidenceTheoryError."""
        with pytest.raises(ds.EvidenceTheoryError):
            ds.from_likelihoods(np.array(log_ell), np.array(tempering), names(frame), lines=lines)

    def test_too_many_hypotheses(self) -> None:
        """63 hypotheses are refused with FrameTooLargeError, an AssessError."""
        with pytest.raises(ds.FrameTooLargeError):
            ds.from_likelihoods(np.zeros((1, 63)), np.ones(1), names(63))

    def test_json(self) -> None:
        """Per hypothesis its id and Dempster's (belief, plausibility); K, ln(1 - K), lines."""
        result = ds.from_likelihoods(*worked_example(), names(3), lines=("E1", "E2", "E3"))
        data = json.loads(json.dumps(result.to_json(), allow_nan=False))
        assert [h["id"] for h in data["hypotheses"]] == ["H1", "H2", "H3"]
        assert set(data["hypotheses"][0]["dempster"]) == {"belief", "plausibility"}
        assert data["conflict"] == result.conflict
        assert data["log_agreement"] == pytest.approx(math.log(193 / 247))
        assert (data["lines"], data["vacuous"]) == (3, ["E3"])
        assert data["focal_sets"]["dempster"][0]["hypotheses"] == ["H1"]
        assert data["focal_sets"]["dempster"][0]["mass"] == pytest.approx(63 / 193, abs=1e-15)


class TestDempsterShafer:
    """dempster_shafer(scores): the adapter over the scored lines."""

    def test_ten_consistent_items(self) -> None:
        """Ten A1 items rated C/C/C: every line vacuous, Bel 0, Pl 1, no conflict."""
        rows = [(f"E{i}", "A", 1, {"H1": "C", "H2": "C", "H3": "C"}) for i in range(10)]
        result = ds.dempster_shafer(assess.score(items_assessment(rows, hypotheses=3)))
        assert result.dempster == MassFunction.vacuous(3)
        assert result.vacuous == tuple(f"E{i}" for i in range(10))
        assert all((h.belief, h.plausibility) == (0.0, 1.0) for h in result.hypotheses)
        assert result.conflict == 0.0

    def test_one_strong_item_is_not_certain(self) -> None:
        """One A1 item rated C/N/N: Bel(H1) = 1 - 0.5/0.8 = 0.375, Pl(H2) = 0.625, not 1 and 0."""
        rows = [("E1", "A", 1, {"H1": "C", "H2": "N", "H3": "N"})]
        result = ds.dempster_shafer(assess.score(items_assessment(rows, hypotheses=3)))
        h1, h2, h3 = result.hypotheses
        assert h1.belief == pytest.approx(0.375)
        assert (h1.plausibility, h2.plausibility, h3.plausibility) == pytest.approx(
            (1.0, 0.625, 0.625)
        )

    @UNTIMED
    @given(assessments())
    def test_is_the_pure_function(self, a: assess.Assessment) -> None:
        """The adapter is from_likelihoods over line_log_likelihoods, lines named by their roots."""
        scores = assess.score(a)
        log_ell, tempering = line_log_likelihoods(scores)
        result = ds.dempster_shafer(scores)
        expected = ds.from_likelihoods(
            log_ell, tempering, scores.matrix.hypotheses, lines=[x.id for x in scores.lines]
        )
        assert result == expected
        assert result.lines == len(scores.lines)
        for m in (result.dempster, result.yager):
            if m is not None:
                assert math.fsum(m.masses.values()) == pytest.approx(1.0)
        for h in result.hypotheses:
            assert h.yager_belief <= h.yager_plausibility + 1e-12
            if h.belief is not None and h.plausibility is not None:
                assert h.belief <= h.plausibility + 1e-12
                assert h.yager_belief <= h.belief + 1e-12
        json.dumps(result.to_json(), allow_nan=False)

    @UNTIMED
    @given(assessments(), st.randoms(use_true_random=False))
    def test_order_independent(self, a: assess.Assessment, rng: random.Random) -> None:
        """Reordering the evidence changes nothing (up to rounding)."""
        shuffled = list(a.evidence)
        rng.shuffle(shuffled)
        first = ds.dempster_shafer(assess.score(a))
        again = ds.dempster_shafer(assess.score(attrs.evolve(a, evidence=shuffled)))
        assert first.conflict == pytest.approx(again.conflict, abs=1e-9)
        assert same(first.yager, again.yager)
        assert first.dempster is not None
        assert again.dempster is not None
        assert same(first.dempster, again.dempster)
        assert set(first.vacuous) == set(again.vacuous)


class TestNothingDroppedSilently:
    """Masses below the smallest double are counted, and K near 1 keeps its precision."""

    def test_rounded_away_mass_is_counted(self) -> None:
        """200 lines for H1 leave Θ a mass of 10^-600: left out, counted, and warned of."""
        log_ell = np.log(np.array([[1.0, 1e-3]] * 200))
        result = ds.from_likelihoods(log_ell, np.ones(200), ["H1", "H2"])
        assert result.dempster is not None
        assert dict(result.dempster.masses) == {0b01: 1.0}
        lost = result.rounded_away
        assert lost is not None
        assert lost.sets == 1
        assert lost.log10_mass == pytest.approx(-600, abs=1e-6)
        codes = [w.code for w in result.warnings]
        assert codes == ["mass-rounded-away"]
        assert "about 10^-600" in result.warnings[0].message
        assert result.to_json()["rounded_away"] == {
            "dempster": {"sets": 1, "log10_mass": lost.log10_mass},
            "yager": None,
        }

    def test_nothing_rounded_away_in_ordinary_cases(self) -> None:
        """The worked example keeps every focal set: no count and no warning."""
        log_ell = np.log(np.array([[0.95, 0.5, 0.2], [0.35, 0.65, 0.65]]))
        result = ds.from_likelihoods(log_ell, np.ones(2), ["H1", "H2", "H3"])
        assert (result.rounded_away, result.yager_rounded_away) == (None, None)
        assert result.warnings == ()

    def test_conflict_near_one_keeps_its_precision(self) -> None:
        """Lines that alternate between two hypotheses drive K to 1 - 10^-x, still defined."""
        rows = [[0.0, math.log(1e-3), math.log(1e-3)], [math.log(1e-3), 0.0, math.log(1e-3)]]
        log_ell = np.array(rows * 100)
        result = ds.from_likelihoods(log_ell, np.ones(200), ["H1", "H2", "H3"])
        assert result.defined
        assert result.conflict == 1.0
        assert result.near_total
        assert math.isfinite(result.log_agreement)
        exponent = result.log_agreement / math.log(10)
        assert result.conflict_text == f"1 \N{MINUS SIGN} 10^{exponent:.0f}"
        assert exponent < -16  # 1 - K is below what a double next to 1 can hold
        (conflict,) = [w for w in result.warnings if w.code == "high-conflict"]
        assert result.conflict_text in conflict.message

    def test_ordinary_conflict_text(self) -> None:
        """K below 1 reads to three decimals."""
        log_ell = np.log(np.array([[0.95, 0.5, 0.2], [0.35, 0.65, 0.65]]))
        result = ds.from_likelihoods(log_ell, np.ones(2), ["H1", "H2", "H3"])
        assert not result.near_total
        assert result.conflict_text == "0.219"

    def test_yager_rounded_away_is_counted(self) -> None:
        """With 1 - K = 10^-600, Yager's singletons (m_D x (1 - K)) round away: counted."""
        rows = [[0.0, math.log(1e-3), math.log(1e-3)], [math.log(1e-3), 0.0, math.log(1e-3)]]
        result = ds.from_likelihoods(np.array(rows * 200), np.ones(400), ["H1", "H2", "H3"])
        assert dict(result.yager.masses) == {0b111: 1.0}
        lost = result.yager_rounded_away
        assert lost is not None
        assert lost.sets == 2
        assert lost.log10_mass == pytest.approx(result.log_agreement / math.log(10), abs=1e-9)
        messages = [w.message for w in result.warnings if w.code == "mass-rounded-away"]
        assert any(m.startswith("2 focal sets of Yager's combination") for m in messages)
