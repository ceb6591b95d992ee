"""
Estimative language: the words for a probability on four published scales.

:func:`estimative_term` turns a probability into the term a scale uses for it
(0.7 is "likely" on ICD 203); :func:`estimate` returns the term with its band
as an :class:`Estimate`; :func:`bands` describes a scale's bands so that a
report can draw them.  ``docs/estimative.md`` tabulates every scale with its
source.

The scales (:data:`SCALES`):

``icd203``
    ODNI, Intelligence Community Directive 203 *Analytic Standards* (2015).
``icd203-alt``
    The same bands with ICD 203's alternative terms ("remote" ...
    "nearly certain").
``phia``
    The UK Professional Head of Intelligence Assessment's Probability
    Yardstick.
``kent``
    Sherman Kent, "Words of Estimative Probability" (1964).

Where two bands of a scale share an end point, the point belongs to the band
nearer the middle, 0.5 (ICD 203's 0.05 is "very unlikely", its 0.55 "roughly
even chance"; Kent's 0.87 is "probable", his 0.40 "chances about even").  Every
other band end is included.  The PHIA and Kent scales leave deliberate gaps
between bands; a probability in a gap is never forced into one term: it is
reported as lying between its two neighbours ("between remote and highly
unlikely"), and :attr:`Estimate.between` names them.

ICD 203 (§6.e(2)(b)) requires that a product "must not combine a confidence
level and a degree of likelihood, which refers to an event or development, in
the same sentence".  The terms here are degrees of likelihood only: a caller
that also states its confidence builds a separate sentence for it ("We judge
that H1 is likely.  We have moderate confidence in this judgment."), never
"We judge with moderate confidence that H1 is likely."
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import Final

import attrs

from assess.model.findings import did_you_mean

__all__ = ["SCALES", "Band", "Estimate", "bands", "estimate", "estimative_term"]


@attrs.frozen
class Band:
    """
    One band of an estimative scale: a term and the probabilities it covers.

    Attributes:
        term: The scale's word for the band, in lower case ("very unlikely").
        lower: The smallest probability of the band (possibly excluded).
        upper: The largest probability of the band (possibly excluded).
        includes_lower: Whether ``lower`` itself belongs to the band.
        includes_upper: Whether ``upper`` itself belongs to the band.

    .. versionadded:: 0.1
    """

    term: str
    lower: float
    upper: float
    includes_lower: bool
    includes_upper: bool

    def contains(self, p: float) -> bool:
        """Whether the probability ``p`` lies in the band."""
        above = self.lower <= p if self.includes_lower else self.lower < p
        below = p <= self.upper if self.includes_upper else p < self.upper
        return above and below

    @property
    def interval(self) -> str:
        """The band in interval notation, for example ``[0.05, 0.20)``."""
        left = "[" if self.includes_lower else "("
        right = "]" if self.includes_upper else ")"
        return f"{left}{self.lower:.2f}, {self.upper:.2f}{right}"


@attrs.frozen
class Estimate:
    """
    The estimative term for a probability on one scale, with its band.

    Attributes:
        term: The term: a band's ("likely"), or for a probability in a gap
            between two bands, ``"between X and Y"``.
        scale: The scale's name (one of :data:`SCALES`).
        low: The lower end of the band or gap.
        high: The upper end of the band or gap.  Which ends a band includes is
            in :func:`bands`; a gap includes neither.
        between: For a probability in a gap, the terms of the bands below and
            above it; ``None`` for a probability in a band.

    .. versionadded:: 0.1
    """

    term: str
    scale: str
    low: float
    high: float
    between: tuple[str, str] | None = None


_MIDDLE: Final = 0.5

# Each scale as terms and (lower, upper) ends, in increasing probability.
# Whether an end is included is derived by one rule (see _build), so it
# cannot drift from the documented rule.
_ICD203_RANGES: Final = (
    (0.0, 0.05),
    (0.05, 0.20),
    (0.20, 0.45),
    (0.45, 0.55),
    (0.55, 0.80),
    (0.80, 0.95),
    (0.95, 1.0),
)
_ICD203_TERMS: Final = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
_ICD203_ALT_TERMS: Final = (
    "remote",
    "highly improbable",
    "improbable",
    "roughly even odds",
    "probable",
    "highly probable",
    "nearly certain",
)
_PHIA: Final = (
    ("remote", 0.0, 0.05),
    ("highly unlikely", 0.10, 0.20),
    ("unlikely", 0.25, 0.35),
    ("realistic possibility", 0.40, 0.50),
    ("likely", 0.55, 0.75),
    ("highly likely", 0.80, 0.90),
    ("almost certain", 0.95, 1.0),
)
# Kent's centres and "give or take" margins: 93 +/- 6, 75 +/- 12, 50 +/- 10,
# 30 +/- 10, 7 +/- 5, written out as ranges so no float arithmetic moves an end.
_KENT: Final = (
    ("impossible", 0.0, 0.0),
    ("almost certainly not", 0.02, 0.12),
    ("probably not", 0.20, 0.40),
    ("chances about even", 0.40, 0.60),
    ("probable", 0.63, 0.87),
    ("almost certain", 0.87, 0.99),
    ("certain", 1.0, 1.0),
)


def _build(table: tuple[tuple[str, float, float], ...]) -> tuple[Band, ...]:
    """
    Bands from (term, lower, upper) rows, applying the boundary rule.

    A band includes both its ends, except an end it shares with a neighbour:
    that point goes to the band nearer the middle (0.5), so on either side of
    the middle the rule is the mirror image of the other.
    """
    out: list[Band] = []
    for i, (term, lower, upper) in enumerate(table):
        shares_lower = i > 0 and table[i - 1][2] == lower
        shares_upper = i + 1 < len(table) and table[i + 1][1] == upper
        if (shares_lower and lower == _MIDDLE) or (shares_upper and upper == _MIDDLE):
            # A point shared at exactly 0.5 has no side nearer the middle.
            raise AssertionError(f"{term!r}: bands may not meet at 0.5")  # pragma: no cover
        out.append(
            Band(
                term=term,
                lower=lower,
                upper=upper,
                includes_lower=not shares_lower or lower < _MIDDLE,
                includes_upper=not shares_upper or upper > _MIDDLE,
            )
        )
    return tuple(out)


_BANDS: Final[dict[str, tuple[Band, ...]]] = {
    "icd203": _build(
        tuple((t, lo, hi) for t, (lo, hi) in zip(_ICD203_TERMS, _ICD203_RANGES, strict=True))
    ),
    "icd203-alt": _build(
        tuple((t, lo, hi) for t, (lo, hi) in zip(_ICD203_ALT_TERMS, _ICD203_RANGES, strict=True))
    ),
    "phia": _build(_PHIA),
    "kent": _build(_KENT),
}

SCALES: Final = tuple(_BANDS)
"""
The names of the scales, the values ``scale`` accepts.

.. versionadded:: 0.1
"""


def _scale_bands(scale: object) -> tuple[Band, ...]:
    if isinstance(scale, str) and scale in _BANDS:
        return _BANDS[scale]
    known = ", ".join(repr(s) for s in SCALES)
    message = f"unknown estimative scale {scale!r}; the scales are {known}"
    if isinstance(scale, str):
        message += did_you_mean(scale.strip().lower(), SCALES)
    raise ValueError(message)


def _probability(p: object, scale: str) -> float:
    # bool is an int to Python, but True is not a probability anyone meant.  A
    # value of the wrong type is a ValueError too, so callers catch one error.
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise ValueError(  # noqa: TRY004 -- one error type for every bad p
            f"a probability must be a real number in [0, 1]; got p = {p!r} (scale {scale!r})"
        )
    value = float(p)
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"a probability must be in [0, 1]; got p = {p!r} (scale {scale!r})")
    return value


def bands(scale: str) -> tuple[Band, ...]:
    """
    The bands of a scale, in increasing probability.

    Consecutive bands either share an end (given to the band nearer 0.5) or
    leave a gap between them, which belongs to no band.  The first band starts
    at 0 and the last ends at 1, both included.

    Args:
        scale: One of :data:`SCALES`.

    Returns:
        The scale's bands, lowest first.

    Raises:
        ValueError: ``scale`` is not one of :data:`SCALES`.

    .. versionadded:: 0.1
    """
    return _scale_bands(scale)


def estimate(p: float, scale: str = "icd203") -> Estimate:
    """
    The estimative term for a probability, with its band or gap.

    Args:
        p: A probability, a real number in [0, 1].
        scale: One of :data:`SCALES`.

    Returns:
        The band ``p`` lies in, or on the PHIA and Kent scales possibly the
        gap between two bands, with ``between`` naming them.

    Raises:
        ValueError: ``p`` is not a real number in [0, 1] (NaN included), or
            ``scale`` is not one of :data:`SCALES`.

    .. versionadded:: 0.1
    """
    scale_bands = _scale_bands(scale)
    value = _probability(p, scale)
    for band in scale_bands:
        if band.contains(value):
            return Estimate(term=band.term, scale=scale, low=band.lower, high=band.upper)
    # Not in a band: in the gap that ends just above it (bands cover 0 and 1).
    for below, above in itertools.pairwise(scale_bands):
        if below.upper < value < above.lower:
            return Estimate(
                term=f"between {below.term} and {above.term}",
                scale=scale,
                low=below.upper,
                high=above.lower,
                between=(below.term, above.term),
            )
    raise AssertionError(f"scale {scale!r} does not cover p = {value!r}")  # pragma: no cover


def estimative_term(p: float, scale: str = "icd203") -> str:
    """
    The estimative term for a probability: ``estimate(p, scale).term``.

    >>> estimative_term(0.7)
    'likely'
    >>> estimative_term(0.07, "phia")
    'between remote and highly unlikely'

    Args:
        p: A probability, a real number in [0, 1].
        scale: One of :data:`SCALES`.

    Returns:
        The term, in lower case, to be used in its own sentence, apart from
        any statement of confidence (ICD 203).

    Raises:
        ValueError: As :func:`estimate`.

    .. versionadded:: 0.1
    """
    return estimate(p, scale).term
