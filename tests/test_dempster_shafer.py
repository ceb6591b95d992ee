"""Dempster-Shafer evidence: Zadeh's example, the rules' algebra and the matrix."""

from __future__ import annotations

import contextlib
import json
import math
import pickle
import random
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import assess
from assess import evidence_theory as ds
from assess.evidence_theory import MassFunction
from helpers import items_assessment
from strategies import assessments

PAGE = Path(__file__).resolve().parent.parent / "docs" / "methods.md"
M, C, T = 0b001, 0b010, 0b100  # Zadeh's frame: meningitis, concussion, tumour
THETA3 = 0b111
Ratings = dict[str, str | dict[str, str]]


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


def worked_example() -> assess.Assessment:
    """The assessment of the worked example in docs/methods.md (its first YAML block)."""
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert match is not None
    return assess.loads(match.group(1))


def assessment(
    rows: list[tuple[str, str, int, Ratings]],
    *,
    hypotheses: int = 3,
    analysts: tuple[str, ...] = (),
) -> assess.Assessment:
    """Items as (id, reliability, credibility, ratings), each from its own source."""
    return items_assessment(rows, hypotheses=hypotheses, analysts=analysts)


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


# --------------------------------------------------------------------------- the matrix


class TestDempsterShafer:
    """dempster_shafer(scores): items as discounted mass functions, clusters combined."""

    def test_worked_example(self) -> None:
        """docs/methods.md: nested sets, no conflict; Bel(H1) = 0.671875, Pl(H2) = 0.328125."""
        result = ds.dempster_shafer(assess.score(worked_example()))
        h1, h2 = result.hypotheses
        assert result.conflict == 0.0
        assert result.clusters == 2
        assert h1.belief == pytest.approx(0.671875)
        assert h1.plausibility == pytest.approx(1.0)
        assert h2.belief == 0.0
        assert h2.plausibility == pytest.approx(0.328125)
        assert h1.yager_belief == pytest.approx(0.671875)
        assert h2.yager_plausibility == pytest.approx(0.328125)
        assert result.warnings == ()

    def test_worked_example_in_conflict(self) -> None:
        """docs/methods.md: with E2 and E3 rating C on H2, K = 0.140625."""
        a = worked_example()
        flipped = [attrs.evolve(e, ratings={"H1": "N", "H2": "C"}) for e in a.evidence[1:]]
        result = ds.dempster_shafer(
            assess.score(attrs.evolve(a, evidence=[a.evidence[0], *flipped]))
        )
        h1, h2 = result.hypotheses
        assert result.conflict == pytest.approx(0.140625)
        assert round(h1.belief or 0, 6) == 0.490909
        assert round(h2.belief or 0, 6) == 0.127273
        assert round(h1.plausibility or 0, 6) == 0.872727
        assert h1.yager_belief == pytest.approx(0.421875)
        assert h2.yager_belief == pytest.approx(0.109375)
        assert result.yager.masses[0b11] == pytest.approx(0.46875)
        assert not result.high_conflict

    def test_worked_example_text_matches(self) -> None:
        """The figures quoted in the page's prose are the ones pinned above."""
        text = PAGE.read_text(encoding="utf-8")
        for figure in ["0.671875", "0.328125", "0.140625", "0.490909", "0.127273", "0.46875"]:
            assert figure in text

    def test_supported_sets(self) -> None:
        """C/CC sets first, else the sets not rated I/II; items singling out nothing are vacuous."""
        a = assessment(
            [
                ("pro", "A", 1, {"H1": "C", "H2": "CC", "H3": "II"}),  # {H1, H2}
                ("con", "A", 1, {"H1": "I"}),  # {H2, H3}
                ("flat", "A", 1, {"H1": "N", "H2": "NA"}),  # vacuous
                ("against", "A", 1, {"H1": "I", "H2": "II", "H3": "I"}),  # vacuous
                ("worthless", "E", 1, {"H1": "CC"}),  # q = 0: vacuous
            ]
        )
        result = ds.dempster_shafer(assess.score(a))
        assert result.vacuous == ("flat", "against", "worthless")
        assert result.dempster is not None
        assert same(result.dempster, MassFunction(3, {0b010: 1.0}))  # {H1,H2} ∩ {H2,H3}

    def test_total_conflict(self) -> None:
        """Two certain items for different hypotheses: K = 1, Dempster undefined, flagged."""
        a = assessment([("E1", "A", 1, {"H1": "C"}), ("E2", "A", 1, {"H2": "CC"})])
        result = ds.dempster_shafer(assess.score(a))
        assert not result.defined
        assert result.conflict == 1.0
        assert result.dempster is None
        assert result.yager == MassFunction.vacuous(3)
        assert [h.belief for h in result.hypotheses] == [None, None, None]
        assert [w.code for w in result.warnings] == ["total-conflict"]
        data = json.loads(json.dumps(result.to_json()))
        assert data["dempster_defined"] is False
        assert data["focal_sets"]["dempster"] is None
        assert data["hypotheses"][0]["dempster"] is None

    def test_high_conflict_flag(self) -> None:
        """K above 0.5 raises the high-conflict warning; the threshold can be moved."""
        a = assessment([("E1", "A", 2, {"H1": "C"}), ("E2", "A", 2, {"H2": "CC"})])
        scores = assess.score(a)
        result = ds.dempster_shafer(scores)
        assert result.conflict == pytest.approx(0.5625)  # 0.75 x 0.75
        assert result.high_conflict
        assert [w.code for w in result.warnings] == ["high-conflict"]
        assert not ds.dempster_shafer(scores, conflict_threshold=0.6).high_conflict

    def test_cluster_averages(self) -> None:
        """A cluster's members are averaged before combining: two copies count once."""
        one = assessment([("E1", "B", 2, {"H1": "C"}), ("E2", "C", 3, {"H2": "I"})])
        copy = attrs.evolve(one.evidence[0], id="E1b", derived_from=["E1"])
        two = attrs.evolve(one, evidence=[*one.evidence, copy])
        single, double = (ds.dempster_shafer(assess.score(x)) for x in (one, two))
        assert double.dempster is not None
        assert single.dempster is not None
        assert same(double.dempster, single.dempster)
        assert same(double.yager, single.yager)

    def test_team_cells_are_pooled(self) -> None:
        """A team cell gives the mean of each analyst's version of the item."""
        a = assessment(
            [("E1", "A", 1, {"H1": {"ann": "C", "bob": "I", "cat": "NA"}, "H2": "N"})],
            hypotheses=2,
            analysts=("ann", "bob", "cat"),
        )
        result = ds.dempster_shafer(assess.score(a))
        # ann: {H1} (her C); bob: nothing rated C, so the set not rated I or II, {H2}.
        assert result.dempster is not None
        assert same(result.dempster, MassFunction(2, {0b01: 0.5, 0b10: 0.5}))

    def test_too_many_hypotheses(self) -> None:
        """63 hypotheses are refused with FrameTooLargeError, an AssessError."""
        a = assessment([("E1", "A", 1, {"H1": "C"})], hypotheses=63)
        with pytest.raises(ds.FrameTooLargeError):
            ds.dempster_shafer(assess.score(a))

    def test_no_evidence(self) -> None:
        """Without evidence everything is open: Bel 0, Pl 1, no conflict."""
        result = ds.dempster_shafer(assess.score(attrs.evolve(worked_example(), evidence=())))
        assert result.dempster == MassFunction.vacuous(2)
        assert all((h.belief, h.plausibility) == (0.0, 1.0) for h in result.hypotheses)
        assert result.clusters == 0

    @given(assessments())
    def test_coherent(self, a: assess.Assessment) -> None:
        """On any assessment: masses sum to 1, Bel <= Pl, Dempster's Bel >= Yager's."""
        result = ds.dempster_shafer(assess.score(a))
        for m in (result.dempster, result.yager):
            if m is not None:
                assert math.fsum(m.masses.values()) == pytest.approx(1.0)
        for h in result.hypotheses:
            assert h.yager_belief <= h.yager_plausibility + 1e-12
            if h.belief is not None and h.plausibility is not None:
                assert h.belief <= h.plausibility + 1e-12
                assert h.yager_belief <= h.belief + 1e-12
        json.dumps(result.to_json(), allow_nan=False)

    @given(assessments(), st.randoms(use_true_random=False))
    def test_order_independent(self, a: assess.Assessment, rng: random.Random) -> None:
        """Reordering the evidence changes nothing (up to rounding)."""
        shuffled = list(a.evidence)
        rng.shuffle(shuffled)
        first = ds.dempster_shafer(assess.score(a))
        again = ds.dempster_shafer(assess.score(attrs.evolve(a, evidence=shuffled)))
        assert first.conflict == pytest.approx(again.conflict, abs=1e-9)
        assert same(first.yager, again.yager)
        assert (first.dempster is None) == (again.dempster is None)
        if first.dempster is not None and again.dempster is not None:
            assert same(first.dempster, again.dempster)
        assert set(first.vacuous) == set(again.vacuous)
