"""Estimative language: the four scales at their edges, in their gaps, and as properties."""

from __future__ import annotations

import contextlib
import fractions
import io
import itertools
import math
import re
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.methods import language
from assess.methods.language import SCALES, Band, Estimate, bands, estimate, estimative_term

PAGE = Path(__file__).resolve().parent.parent / "docs" / "estimative.md"

ICD203_EDGES = [
    (0.0, "almost no chance"),
    (0.03, "almost no chance"),
    (0.05, "very unlikely"),
    (0.12, "very unlikely"),
    (0.20, "unlikely"),
    (0.30, "unlikely"),
    (0.45, "roughly even chance"),
    (0.50, "roughly even chance"),
    (0.55, "roughly even chance"),
    (0.70, "likely"),
    (0.80, "likely"),
    (0.90, "very likely"),
    (0.95, "very likely"),
    (0.97, "almost certain"),
    (1.0, "almost certain"),
]
ALTERNATIVE = {
    "almost no chance": "remote",
    "very unlikely": "highly improbable",
    "unlikely": "improbable",
    "roughly even chance": "roughly even odds",
    "likely": "probable",
    "very likely": "highly probable",
    "almost certain": "nearly certain",
}
PHIA_BANDS = [
    (0.0, "remote"),
    (0.03, "remote"),
    (0.05, "remote"),
    (0.10, "highly unlikely"),
    (0.15, "highly unlikely"),
    (0.20, "highly unlikely"),
    (0.25, "unlikely"),
    (0.30, "unlikely"),
    (0.35, "unlikely"),
    (0.40, "realistic possibility"),
    (0.45, "realistic possibility"),
    (0.50, "realistic possibility"),
    (0.55, "likely"),
    (0.65, "likely"),
    (0.75, "likely"),
    (0.80, "highly likely"),
    (0.85, "highly likely"),
    (0.90, "highly likely"),
    (0.95, "almost certain"),
    (0.99, "almost certain"),
    (1.0, "almost certain"),
]
PHIA_GAPS = [
    (0.07, ("remote", "highly unlikely"), (0.05, 0.10)),
    (0.22, ("highly unlikely", "unlikely"), (0.20, 0.25)),
    (0.38, ("unlikely", "realistic possibility"), (0.35, 0.40)),
    (0.52, ("realistic possibility", "likely"), (0.50, 0.55)),
    (0.78, ("likely", "highly likely"), (0.75, 0.80)),
    (0.93, ("highly likely", "almost certain"), (0.90, 0.95)),
]
KENT_BANDS = [
    (0.0, "impossible"),
    (0.02, "almost certainly not"),
    (0.07, "almost certainly not"),
    (0.12, "almost certainly not"),
    (0.20, "probably not"),
    (0.30, "probably not"),
    (0.40, "chances about even"),  # shared with "probably not": toward the middle
    (0.50, "chances about even"),
    (0.60, "chances about even"),
    (0.63, "probable"),
    (0.75, "probable"),
    (0.87, "probable"),  # shared with "almost certain": toward the middle
    (0.93, "almost certain"),
    (0.99, "almost certain"),
    (1.0, "certain"),
]
KENT_GAPS = [
    (1e-9, ("impossible", "almost certainly not"), (0.0, 0.02)),
    (0.01, ("impossible", "almost certainly not"), (0.0, 0.02)),
    (0.15, ("almost certainly not", "probably not"), (0.12, 0.20)),
    (0.61, ("chances about even", "probable"), (0.60, 0.63)),
    (0.995, ("almost certain", "certain"), (0.99, 1.0)),
    (1 - 1e-12, ("almost certain", "certain"), (0.99, 1.0)),
]


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize(("p", "term"), ICD203_EDGES)
def test_icd203_edges(p: float, term: str) -> None:
    """ICD 203 terms at and between its band ends, shared ends going toward the middle."""
    assert estimative_term(p) == term
    assert estimative_term(p, "icd203") == term


@pytest.mark.parametrize(("p", "term"), ICD203_EDGES)
def test_icd203_alternative_edges(p: float, term: str) -> None:
    """icd203-alt uses ICD 203's alternative terms on exactly the same bands."""
    assert estimative_term(p, "icd203-alt") == ALTERNATIVE[term]


def test_icd203_band_ends() -> None:
    """An ICD 203 estimate carries its band's ends and no neighbours."""
    assert estimate(0.7) == Estimate(term="likely", scale="icd203", low=0.55, high=0.80)
    assert estimate(0.05).between is None


@pytest.mark.parametrize(("p", "term"), PHIA_BANDS)
def test_phia_inside_bands(p: float, term: str) -> None:
    """PHIA bands include both their ends."""
    assert estimative_term(p, "phia") == term
    assert estimate(p, "phia").between is None


@pytest.mark.parametrize(("p", "between", "ends"), PHIA_GAPS)
def test_phia_gaps(p: float, between: tuple[str, str], ends: tuple[float, float]) -> None:
    """A value in a PHIA gap is reported between its neighbours, never as one term."""
    result = estimate(p, "phia")
    assert result.term == f"between {between[0]} and {between[1]}"
    assert result.between == between
    assert (result.low, result.high) == ends
    assert result.term not in {band.term for band in bands("phia")}


@pytest.mark.parametrize(("p", "term"), KENT_BANDS)
def test_kent_inside_bands(p: float, term: str) -> None:
    """Kent's ranges, impossible at 0 and certain at 1, shared points toward the middle."""
    assert estimative_term(p, "kent") == term
    assert estimate(p, "kent").between is None


@pytest.mark.parametrize(("p", "between", "ends"), KENT_GAPS)
def test_kent_gaps(p: float, between: tuple[str, str], ends: tuple[float, float]) -> None:
    """A value in a gap of Kent's scale is reported between its neighbours."""
    result = estimate(p, "kent")
    assert result.term == f"between {between[0]} and {between[1]}"
    assert result.between == between
    assert (result.low, result.high) == ends


@pytest.mark.parametrize("p", [0, 1, fractions.Fraction(1, 2), np.float64(0.7), np.float32(0.7)])
def test_other_real_numbers(p: float) -> None:
    """Integers, fractions and numpy floats are probabilities like floats."""
    assert estimative_term(p) == estimative_term(float(p))


def test_scales() -> None:
    """SCALES names the four scales, and bands() knows each of them."""
    assert SCALES == ("icd203", "icd203-alt", "phia", "kent")
    assert all(len(bands(scale)) == 7 for scale in SCALES)


def test_band_interval() -> None:
    """A band renders in interval notation, brackets for included ends."""
    assert bands("icd203")[1].interval == "[0.05, 0.20)"
    assert bands("icd203")[4].interval == "(0.55, 0.80]"
    assert bands("kent")[0].interval == "[0.00, 0.00]"


@pytest.mark.parametrize("scale", SCALES)
def test_bands_follow_the_boundary_rule(scale: str) -> None:
    """Bands run from 0 to 1 in order; a shared end goes to the band nearer 0.5, others are in."""
    scale_bands = bands(scale)
    assert scale_bands[0].lower == 0.0
    assert scale_bands[0].includes_lower
    assert scale_bands[-1].upper == 1.0
    assert scale_bands[-1].includes_upper
    for band in scale_bands:
        assert band.lower <= band.upper
    for below, above in itertools.pairwise(scale_bands):
        assert below.upper <= above.lower
        if below.upper == above.lower:
            point = below.upper
            assert below.includes_upper == (point > 0.5)
            assert above.includes_lower == (point < 0.5)
        else:
            assert below.includes_upper
            assert above.includes_lower


def test_icd203_has_no_gaps() -> None:
    """The ICD 203 bands touch end to end; the gaps are PHIA's and Kent's."""
    for scale in ("icd203", "icd203-alt"):
        scale_bands = bands(scale)
        assert all(a.upper == b.lower for a, b in itertools.pairwise(scale_bands))


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "p", [-0.01, 1.01, -1e-300, 1 + 1e-15, math.nan, math.inf, -math.inf, "0.5", None, True, 1j]
)
def test_invalid_probability(p: object) -> None:
    """A p that is not a real number in [0, 1] is a ValueError naming p and the scale."""
    with pytest.raises(ValueError, match=r"probability .* got p = .*scale 'phia'"):
        estimate(cast("float", p), "phia")
    with pytest.raises(ValueError, match="probability"):
        estimative_term(cast("float", p))


def test_unknown_scale() -> None:
    """An unknown scale is a ValueError listing the scales and suggesting the nearest."""
    with pytest.raises(ValueError, match="'icd203', 'icd203-alt', 'phia', 'kent'") as info:
        estimative_term(0.5, "ICD-203")
    assert "did you mean 'icd203'?" in str(info.value)
    with pytest.raises(ValueError, match="unknown estimative scale 'nato'") as info:
        bands("nato")
    assert "did you mean" not in str(info.value)
    with pytest.raises(ValueError, match="unknown estimative scale None"):
        estimate(0.5, cast("str", None))


# --------------------------------------------------------------------------- the page


def page_tables() -> dict[str, list[tuple[str, str, str]]]:
    """Each scale's table on docs/estimative.md, by the scale named in its heading."""
    text = PAGE.read_text(encoding="utf-8")
    tables: dict[str, list[tuple[str, str, str]]] = {}
    for scale, body in re.findall(
        r"^### [^\n]*\(`([a-z0-9-]+)`\)\n(.*?)(?=^#)", text, re.MULTILINE | re.DOTALL
    ):
        rows = re.findall(r"^\| ([a-z ]+) \| ([\[(][^|]+[\])]) \| ([a-z]+) \|$", body, re.MULTILINE)
        tables[scale] = rows
    return tables


def ends(band: Band) -> str:
    """How the page names the ends a band includes."""
    return {(True, True): "both", (True, False): "lower", (False, True): "upper"}[
        (band.includes_lower, band.includes_upper)
    ]


def test_page_tables_are_the_bands() -> None:
    """The tables on docs/estimative.md are exactly what bands() returns."""
    tables = page_tables()
    assert set(tables) == set(SCALES)
    for scale in SCALES:
        assert tables[scale] == [(b.term, b.interval, ends(b)) for b in bands(scale)]


def test_page_gap_table() -> None:
    """The page's table of gaps gives the terms estimative_term returns."""
    text = PAGE.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (phia|kent) \| ([0-9.]+) \| (between [a-z ]+) \|$", text, re.MULTILINE)
    assert len(rows) == 10
    for scale, p, term in rows:
        assert estimative_term(float(p), scale) == term


def test_page_examples_print_what_they_say() -> None:
    """Every ```python block on the page runs, and each print shows what its comment says."""
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 2
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, PAGE.name, "exec"), {})  # noqa: S102 -- our own docs
        expected = re.findall(r"^print\(.*\)  # (.*)$|^# (.*)$", block, re.MULTILINE)
        assert out.getvalue().splitlines() == [a or b for a, b in expected]


# --------------------------------------------------------------------------- properties

# Every band end of every scale, so that the boundaries are drawn often.
ENDS = sorted({x for s in SCALES for b in bands(s) for x in (b.lower, b.upper)})
PROBABILITIES = st.one_of(st.floats(0.0, 1.0), st.sampled_from(ENDS))


def rank(result: Estimate) -> int:
    """Position on the scale: band i is 2i, the gap above it 2i + 1."""
    terms = [band.term for band in bands(result.scale)]
    if result.between is None:
        return 2 * terms.index(result.term)
    return 2 * terms.index(result.between[0]) + 1


class TestOneResultPerProbability:
    """Rule: every p in [0, 1] lies in exactly one band, or else in exactly one gap."""

    @given(p=PROBABILITIES, scale=st.sampled_from(SCALES))
    def test_exactly_one(self, p: float, scale: str) -> None:
        """One band contains p, or none does and p is strictly inside one gap; estimate agrees."""
        scale_bands = bands(scale)
        containing = [band for band in scale_bands if band.contains(p)]
        gaps = [(a, b) for a, b in itertools.pairwise(scale_bands) if a.upper < p < b.lower]
        assert len(containing) + len(gaps) == 1
        result = estimate(p, scale)
        assert result.scale == scale
        assert result.low <= p <= result.high
        if containing:
            assert result.term == containing[0].term
            assert result.between is None
        else:
            [(a, b)] = gaps
            assert result.between == (a.term, b.term)
            assert result.low < p < result.high

    @given(p=PROBABILITIES, scale=st.sampled_from(SCALES))
    def test_term_is_estimate_term(self, p: float, scale: str) -> None:
        """estimative_term is estimate(...).term."""
        assert estimative_term(p, scale) == estimate(p, scale).term


class TestMonotone:
    """Rule: terms never step down a scale as p increases."""

    @given(p=PROBABILITIES, q=PROBABILITIES, scale=st.sampled_from(SCALES))
    def test_band_index_never_decreases(self, p: float, q: float, scale: str) -> None:
        """For p <= q the band (or gap) of p is not above that of q."""
        low, high = sorted((p, q))
        assert rank(estimate(low, scale)) <= rank(estimate(high, scale))


class TestInvalidProbability:
    """Rule: a p outside [0, 1], or NaN, is a ValueError on every scale."""

    @given(
        p=st.one_of(st.floats().filter(lambda x: not 0.0 <= x <= 1.0), st.just(math.nan)),
        scale=st.sampled_from(SCALES),
    )
    def test_raises(self, p: float, scale: str) -> None:
        """Estimate refuses p with a ValueError."""
        with pytest.raises(ValueError, match="probability"):
            estimate(p, scale)


def test_module_names() -> None:
    """The module exports exactly its documented names."""
    assert set(language.__all__) == {
        "SCALES",
        "Band",
        "Estimate",
        "bands",
        "estimate",
        "estimative_term",
    }
