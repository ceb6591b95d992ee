"""
Dempster-Shafer belief and plausibility over the hypotheses.

A Bayesian posterior must share all belief among the hypotheses; evidence
theory (G. Shafer, *A Mathematical Theory of Evidence*, Princeton 1976) lets
evidence commit belief to a *set* of hypotheses without choosing among them,
and leave the rest uncommitted on the whole frame Θ.  Belief Bel(A) is what
the evidence commits to A; plausibility Pl(A) is what it does not commit
against A; the gap between them is what the evidence leaves open.

**Each line of reporting** becomes Shafer's likelihood-based belief function
(Shafer 1976, ch. 11; T. Denœux, "Likelihood-based belief function:
justification and some extensions to low-quality data", *International
Journal of Approximate Reasoning* 55, 2014).  Its contour, the plausibility
of each single hypothesis, is the line's tempered likelihood relative to the
best:

    pl_i(h) = l_i(h)^t_i / max_h' l_i(h')^t_i,

with l the report-adjusted likelihood q·L + (1 - q)/2 and t the tempering
factor (a power likelihood).  The function is *consonant* (Shafer 1976,
ch. 10): with the hypotheses in order of decreasing contour,
pl_(1) = 1 >= pl_(2) >= ... >= pl_(k), its focal sets are nested,
A_j = {h_(1), ..., h_(j)}, with m(A_j) = pl_(j) - pl_(j+1) (pl_(k+1) = 0),
taken only where the contour steps down.  Hence:

- a non-diagnostic line (l equal everywhere, NA cells included) has
  pl = 1 throughout: it is vacuous, m(Θ) = 1, and changes nothing;
- m(Θ) = min pl > 0, so no line is dogmatic; with q < 1,
  m(Θ) >= ((1 - q)/(1 + q))^t whatever the likelihood table;
- quality enters once, through l; discounting the function again by q
  would count it twice.

**Lines combine** by Dempster's rule (A. P. Dempster, "Upper and lower
probabilities induced by a multivalued mapping", *Annals of Mathematical
Statistics* 38, 1967), which multiplies commonality functions (Shafer 1976,
ch. 3).  A singleton's commonality is its plausibility, so the combined

    Pl({h}) = Π_i pl_i(h) / (1 - K)

is proportional to the product of the lines' tempered likelihoods: ranking
the hypotheses by plausibility is ranking them by the posterior under
uniform priors.  The combination is not consonant in general (Shafer 1976,
ch. 11 notes the difficulty); what it adds is Bel({h}), the mass the lines
commit to h alone, and the conflict K: the mass the lines put on disjoint
sets, which is 0 exactly when one hypothesis is the most likely in every
line.  L. A. Zadeh ("Review of Shafer's *A Mathematical Theory of
Evidence*", *AI Magazine* 5(3), 1984) showed that under high conflict
Dempster's renormalisation yields confident nonsense, so K is reported,
flagged above :data:`CONFLICT_THRESHOLD`, and Yager's rule (R. R. Yager, "On
the Dempster-Shafer framework and new combination rules", *Information
Sciences* 41, 1987), which gives the conflict to Θ as ignorance, is computed
beside it.  The view is a cross-check that *explains* the posterior (how
much the lines commit, how far they conflict), never a rival answer.

Worked example (recomputed by ``tests/test_dempster_shafer.py``): three
hypotheses, untempered lines, the default table.  E1 (q = 1, CC/N/I):
l = 0.95, 0.5, 0.2, pl = 1, 10/19, 4/19, so m({H1}) = 9/19,
m({H1, H2}) = 6/19, m(Θ) = 4/19.  E2 (q = 0.5, I/C/C): l = 0.35, 0.65,
0.65, pl = 7/13, 1, 1, so m({H2, H3}) = 6/13, m(Θ) = 7/13.  E3 (C/C/C) is
vacuous.  In units of 1/247 the products are: ∅ 54 ({H1} with {H2, H3}),
{H1} 63, {H2} 36, {H1, H2} 42, {H2, H3} 24, Θ 28.  So K = 54/247 = 0.218623;
Dempster divides by 193/247: Bel = 63/193, 36/193, 0 = 0.326425, 0.186528,
0; Pl = 133/193, 130/193, 52/193 = 0.689119, 0.673575, 0.269430, in the
ratio 0.95·0.35 : 0.5·0.65 : 0.2·0.65 of the likelihood products.  Yager
keeps the products and puts K on Θ: m(Θ) = 82/247 = 0.331984,
Bel = 0.255061, 0.145749, 0; Pl = 187/247, 184/247, 106/247 = 0.757085,
0.744939, 0.429150.

Focal sets are ``int`` bitmasks over the frame: bit j is hypothesis j in
declaration order.  The general operators (:class:`MassFunction`,
:func:`combine_dempster`, :func:`discount`, ...) work on any mass functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.errors import AssessError
from assess.methods.scoring import ScoreWarning, line_log_likelihoods
from assess.model.frozenmap import FrozenMap

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.methods.scoring import Scores

__all__ = [
    "CONFLICT_THRESHOLD",
    "MAX_HYPOTHESES",
    "TIE",
    "DempsterShafer",
    "EvidenceTheoryError",
    "FrameTooLargeError",
    "HypothesisBelief",
    "MassFunction",
    "RoundedAway",
    "TotalConflictError",
    "average",
    "belief",
    "combine_dempster",
    "combine_yager",
    "consonant",
    "contours",
    "dempster",
    "dempster_shafer",
    "discount",
    "from_likelihoods",
    "plausibility",
    "yager",
]

Floats = npt.NDArray[np.float64]
Masks = npt.NDArray[np.int64]

MAX_HYPOTHESES: Final = 62
"""The largest frame supported: focal sets are bitmasks that fit a signed 64-bit integer."""
CONFLICT_THRESHOLD: Final = 0.5
"""Conflict K above which Dempster's rule is flagged: it then discards most of the joint mass."""
TOLERANCE: Final = 1e-9
"""How far a mass function's total may stray from 1."""
TIE: Final = 1e-12
"""
Steps of a line's tempered ln l (nats) at or below which hypotheses tie.

What rounding leaves when NA cells take the mean of a line's rated cells:
such a line must stay vacuous, not grow focal sets of mass 1e-16.
"""


class EvidenceTheoryError(AssessError, ValueError):
    """
    A mass function is malformed, or mass functions do not fit together.

    .. versionadded:: 0.1
    """


class FrameTooLargeError(EvidenceTheoryError):
    """
    More hypotheses than :data:`MAX_HYPOTHESES`: focal sets would not fit 64 bits.

    .. versionadded:: 0.1
    """


class TotalConflictError(EvidenceTheoryError):
    """
    Dempster's rule is undefined: the mass functions are in total conflict (K = 1).

    .. versionadded:: 0.1
    """


def _check_frame(frame: int) -> None:
    if frame > MAX_HYPOTHESES:
        raise FrameTooLargeError(
            f"Dempster-Shafer supports at most {MAX_HYPOTHESES} hypotheses, got {frame}"
        )
    if frame < 1:
        raise EvidenceTheoryError(f"a frame needs at least one hypothesis, got {frame}")


def _masses(items: Mapping[int, float] | Iterable[tuple[int, float]]) -> FrozenMap[int, float]:
    """Focal sets in increasing bitmask order; zero masses are not focal and are dropped."""
    pairs = items.items() if isinstance(items, Mapping) else items
    return FrozenMap(sorted((int(s), float(m)) for s, m in pairs if m != 0))


@attrs.frozen
class MassFunction:
    """
    A basic probability assignment over a frame of hypotheses (Shafer 1976, ch. 2).

    Attributes:
        frame: The number of hypotheses, 1 to :data:`MAX_HYPOTHESES`.
        masses: Focal set (bitmask, bit j = hypothesis j) -> mass; the masses
            are positive and sum to 1, and the empty set (0) has none.

    Raises:
        FrameTooLargeError: When ``frame`` exceeds :data:`MAX_HYPOTHESES`.
        EvidenceTheoryError: When a set or mass is out of range.

    .. versionadded:: 0.1
    """

    frame: int
    masses: Mapping[int, float] = attrs.field(converter=_masses)

    def __attrs_post_init__(self) -> None:
        _check_frame(self.frame)
        theta = self.theta
        for subset, mass in self.masses.items():
            if not 0 < subset <= theta:
                raise EvidenceTheoryError(
                    f"focal set {subset:#x} is empty or outside the frame of {self.frame}"
                )
            if not 0.0 < mass <= 1.0 + TOLERANCE:
                raise EvidenceTheoryError(f"mass {mass!r} of set {subset:#x} is not in (0, 1]")
        total = math.fsum(self.masses.values())
        if abs(total - 1.0) > TOLERANCE:
            raise EvidenceTheoryError(f"masses must sum to 1, got {total!r}")

    @property
    def theta(self) -> int:
        """The bitmask of the whole frame."""
        return (1 << self.frame) - 1

    @classmethod
    def vacuous(cls, frame: int) -> MassFunction:
        """Total ignorance: all mass on the frame; the identity of combination."""
        _check_frame(frame)
        return cls(frame, {(1 << frame) - 1: 1.0})

    @property
    def is_vacuous(self) -> bool:
        """Whether all mass is on the frame."""
        return set(self.masses) == {self.theta}

    def to_json(self, hypotheses: Sequence[str]) -> list[dict[str, object]]:
        """The focal sets as lists of hypothesis ids, smallest sets first."""
        return [
            {"hypotheses": _members(subset, hypotheses), "mass": mass}
            for subset, mass in sorted(
                self.masses.items(), key=lambda item: (item[0].bit_count(), _bits(item[0]))
            )
        ]


def _bits(subset: int) -> list[int]:
    return [j for j in range(subset.bit_length()) if subset >> j & 1]


def _members(subset: int, hypotheses: Sequence[str]) -> list[str]:
    return [hypotheses[j] for j in _bits(subset)]


# --------------------------------------------------------------------------- operations


def _arrays(m: MassFunction) -> tuple[Masks, Floats]:
    return (
        np.fromiter(m.masses.keys(), dtype=np.int64, count=len(m.masses)),
        np.fromiter(m.masses.values(), dtype=np.float64, count=len(m.masses)),
    )


def _from_arrays(frame: int, masks: Masks, mass: Floats) -> MassFunction:
    return MassFunction(frame, zip(masks.tolist(), mass.tolist(), strict=True))


def _same_frame(ms: Sequence[MassFunction]) -> int:
    if not ms:
        raise EvidenceTheoryError("need at least one mass function")
    frames = {m.frame for m in ms}
    if len(frames) != 1:
        raise EvidenceTheoryError(f"mass functions over different frames: {sorted(frames)}")
    return ms[0].frame


def discount(m: MassFunction, quality: float) -> MassFunction:
    """
    Shafer's discounting (1976): keep ``quality`` of each mass, give the rest to Θ.

    m'(A) = q·m(A) for A != Θ; m'(Θ) = q·m(Θ) + 1 - q.  Shafer's discount
    rate is alpha = 1 - q.

    .. versionadded:: 0.1
    """
    if not 0.0 <= quality <= 1.0:
        raise EvidenceTheoryError(f"quality must lie in [0, 1], got {quality!r}")
    scaled = {subset: quality * mass for subset, mass in m.masses.items()}
    scaled[m.theta] = scaled.get(m.theta, 0.0) + (1.0 - quality)
    return MassFunction(m.frame, scaled)


def average(ms: Sequence[MassFunction]) -> MassFunction:
    """
    The mean of mass functions, set by set: how dependent reports are merged.

    Averaging counts a body of evidence once however often it is repeated
    (the mean of n copies is the copy), where Dempster's rule would count it
    n times.

    .. versionadded:: 0.1
    """
    frame = _same_frame(ms)
    total: dict[int, float] = {}
    for m in ms:
        for subset, mass in m.masses.items():
            total[subset] = total.get(subset, 0.0) + mass
    return MassFunction(frame, {s: mass / len(ms) for s, mass in total.items()})


def _conjunctive(a: tuple[Masks, Floats], b: tuple[Masks, Floats]) -> tuple[Masks, Floats]:
    """The unnormalised conjunctive combination: every pair's mass to its intersection."""
    masks = (a[0][:, None] & b[0][None, :]).ravel()
    mass = (a[1][:, None] * b[1][None, :]).ravel()
    unique, inverse = np.unique(masks, return_inverse=True)
    summed = np.bincount(inverse.ravel(), weights=mass, minlength=unique.size)
    return unique, np.asarray(summed, dtype=np.float64)


@attrs.frozen
class RoundedAway:
    """
    Focal sets whose masses are below the smallest double, so left out of a combination.

    Their masses are known in logs; the figures are exact up to their total.

    .. versionadded:: 0.1
    """

    sets: int
    log10_mass: float  # log10 of their total mass

    def to_json(self) -> dict[str, object]:
        """JSON-ready data."""
        return {"sets": self.sets, "log10_mass": self.log10_mass}


def _rounded_away(log_mass: Floats, shown: Floats) -> RoundedAway | None:
    """The sets whose mass ``shown`` rounded to 0, from their masses' logs ``log_mass``."""
    lost = shown == 0.0
    if not lost.any():
        return None
    return RoundedAway(int(lost.sum()), _logsumexp(log_mass[lost]) / math.log(10))


@attrs.frozen
class _Combined:
    """Dempster's combination as arrays; ``masks`` is None under total conflict."""

    masks: Masks | None
    mass: Floats | None
    log_agreement: float  # ln(1 - K) = sum of ln(1 - K_step); -inf under total conflict
    log_mass: Floats | None = None  # ln m of ``masks``, where known in logs
    rounded_away: RoundedAway | None = None  # sets left out, their masses below any double


def _conflict(log_agreement: float) -> float:
    """K = 1 - exp(ln(1 - K)), exact for small K (and 0.0, never -0.0)."""
    return 0.0 - math.expm1(log_agreement)


def _combine(parts: Iterable[tuple[Masks, Floats]]) -> _Combined:
    """Dempster's rule step by step, renormalising each step so that nothing underflows."""
    masks: Masks | None = None
    mass: Floats | None = None
    log_agreement = 0.0
    for part in parts:
        if masks is None or mass is None:
            masks, mass = part
            continue
        joint_masks, joint = _conjunctive((masks, mass), part)
        kept = joint_masks != 0
        agreement = float(joint[kept].sum())
        if agreement <= 0.0:
            return _Combined(None, None, -math.inf)
        log_agreement += math.log1p(-float(joint[~kept].sum()))
        masks, mass = joint_masks[kept], joint[kept] / agreement
    return _Combined(masks, mass, log_agreement)


def combine_dempster(ms: Sequence[MassFunction]) -> tuple[MassFunction, float]:
    """
    Dempster's rule over any number of mass functions (associative and commutative).

    m(A) = Σ_{B1 ∩ ... ∩ Bn = A} Π m_i(B_i) / (1 - K) for A != ∅, where K is
    the mass the unnormalised product gives the empty set; equivalently
    1 - K = Π (1 - K_step) over the pairwise steps.

    Returns:
        The combined mass function and the total conflict K.

    Raises:
        TotalConflictError: When K = 1 and the rule is undefined.

    .. versionadded:: 0.1
    """
    frame = _same_frame(ms)
    combined = _combine(_arrays(m) for m in ms)
    if combined.masks is None or combined.mass is None:
        raise TotalConflictError("the mass functions are in total conflict (K = 1)")
    return _from_arrays(frame, combined.masks, combined.mass), _conflict(combined.log_agreement)


def dempster(m1: MassFunction, m2: MassFunction) -> tuple[MassFunction, float]:
    """
    Dempster's rule of combination (Dempster 1967; Shafer 1976, ch. 3).

    m(A) = Σ_{B ∩ C = A} m1(B)·m2(C) / (1 - K), K = Σ_{B ∩ C = ∅} m1(B)·m2(C).

    Returns:
        The combined mass function and the conflict K.

    Raises:
        TotalConflictError: When K = 1.

    .. versionadded:: 0.1
    """
    return combine_dempster((m1, m2))


def _yager_arrays(theta: int, combined: _Combined) -> tuple[Masks, Floats]:
    """Yager from Dempster: the unnormalised masses (1 - K)·m_D, with K moved to Θ."""
    if combined.masks is None or combined.mass is None:
        return np.array([theta], dtype=np.int64), np.ones(1)
    masks, mass = combined.masks, combined.mass * math.exp(combined.log_agreement)
    conflict = _conflict(combined.log_agreement)
    at_theta = masks == theta
    if at_theta.any():
        mass = mass.copy()
        mass[at_theta] += conflict
    else:
        masks, mass = np.append(masks, theta), np.append(mass, conflict)
    return masks, mass


def combine_yager(ms: Sequence[MassFunction]) -> MassFunction:
    """
    Yager's rule over any number of mass functions.

    Yager's pairwise rule is not associative, so the n-ary rule combines all
    at once: the unnormalised conjunctive combination of every mass function
    (which is associative), with the empty set's mass K moved to Θ.

    .. versionadded:: 0.1
    """
    frame = _same_frame(ms)
    theta = (1 << frame) - 1
    return _from_arrays(frame, *_yager_arrays(theta, _combine(_arrays(m) for m in ms)))


def yager(m1: MassFunction, m2: MassFunction) -> MassFunction:
    """
    Yager's rule (1987): the conflict K is ignorance, put on Θ, not renormalised away.

    m(A) = Σ_{B ∩ C = A} m1(B)·m2(C) for ∅ != A != Θ; m(Θ) = m1(Θ)·m2(Θ) + K.

    .. versionadded:: 0.1
    """
    frame = _same_frame((m1, m2))
    theta = (1 << frame) - 1
    masks, mass = _conjunctive(_arrays(m1), _arrays(m2))
    empty = masks == 0
    conflict = float(mass[empty].sum())
    masks, mass = masks[~empty], mass[~empty]
    at_theta = masks == theta
    if at_theta.any():
        mass[at_theta] += conflict
    else:
        masks, mass = np.append(masks, theta), np.append(mass, conflict)
    return _from_arrays(frame, masks, mass)


def belief(m: MassFunction, subset: int) -> float:
    """
    Bel(A) = Σ_{B ⊆ A} m(B): the mass committed to A (Shafer 1976, ch. 2).

    .. versionadded:: 0.1
    """
    return math.fsum(mass for s, mass in m.masses.items() if s & ~subset == 0)


def plausibility(m: MassFunction, subset: int) -> float:
    """
    Pl(A) = Σ_{B ∩ A != ∅} m(B) = 1 - Bel(not A): the mass not committed against A.

    .. versionadded:: 0.1
    """
    return math.fsum(mass for s, mass in m.masses.items() if s & subset)


# --------------------------------------------------------------------------- the lines


@attrs.frozen
class HypothesisBelief:
    """
    Belief and plausibility of one hypothesis under both combination rules.

    ``belief`` and ``plausibility`` (Dempster's rule) are ``None`` when the
    evidence is in total conflict and the rule is undefined (which
    likelihood-based lines, never dogmatic, cannot reach).

    .. versionadded:: 0.1
    """

    id: str
    belief: float | None
    plausibility: float | None
    yager_belief: float
    yager_plausibility: float

    def to_json(self) -> dict[str, object]:
        """JSON-ready data: each rule's (belief, plausibility), Dempster's or null."""
        return {
            "id": self.id,
            "dempster": None
            if self.belief is None
            else {"belief": self.belief, "plausibility": self.plausibility},
            "yager": {"belief": self.yager_belief, "plausibility": self.yager_plausibility},
        }


@attrs.frozen
class DempsterShafer:
    """
    The lines of reporting of an assessment combined by Dempster's and by Yager's rule.

    A cross-check that explains the posterior: Pl({h}) ranks as the
    uniform-prior posterior does; Bel({h}) and K say how much the lines
    commit and how far they point to different hypotheses.

    Attributes:
        hypotheses: Per hypothesis, in declaration order.
        conflict: Dempster's total conflict K (1.0 under total conflict).
        conflict_threshold: K above which ``high_conflict`` is set.
        dempster: The combined mass function, ``None`` when K = 1.
        yager: Yager's combination (always defined).
        lines: How many lines of reporting there were.
        vacuous: The lines whose own mass function is vacuous (all mass on
            Θ): those that cannot tell any two hypotheses apart.
        log_agreement: ln(1 - K), which keeps its precision when K rounds
            to 1 (-inf under total conflict).
        rounded_away: The focal sets of Dempster's combination whose masses
            are below the smallest double, left out (``None`` when none are).
        yager_rounded_away: The same for Yager's combination, whose masses
            are Dempster's times 1 - K.

    .. versionadded:: 0.1
    """

    hypotheses: tuple[HypothesisBelief, ...]
    conflict: float
    conflict_threshold: float
    dempster: MassFunction | None
    yager: MassFunction
    lines: int
    vacuous: tuple[str, ...]
    log_agreement: float = 0.0
    rounded_away: RoundedAway | None = None
    yager_rounded_away: RoundedAway | None = None

    @property
    def near_total(self) -> bool:
        """Whether K reads 1.000 to three decimals though Dempster's rule is defined."""
        return self.defined and round(self.conflict, 3) >= 1.0

    @property
    def conflict_text(self) -> str:
        """
        K to three decimals, or ``1 - 10^x`` (a minus sign) when it is :attr:`near_total`.

        ``log_agreement`` keeps 1 - K when K rounds to 1, so a thousand lines
        that rule hypotheses out show how near total conflict they come.
        """
        if self.near_total:
            return f"1 \N{MINUS SIGN} 10^{self.log_agreement / math.log(10):.0f}"
        return f"{self.conflict:.3f}"

    @property
    def defined(self) -> bool:
        """Whether Dempster's rule is defined (K < 1)."""
        return self.dempster is not None

    @property
    def high_conflict(self) -> bool:
        """Whether K exceeds the threshold: read Dempster's figures with Yager's beside them."""
        return self.conflict > self.conflict_threshold

    @property
    def warnings(self) -> tuple[ScoreWarning, ...]:
        """
        ``total-conflict`` when Dempster's rule is undefined, else ``high-conflict``.

        And ``mass-rounded-away`` for each rule that left focal sets out
        because their masses are below the smallest double.
        """
        found: list[ScoreWarning] = []
        if not self.defined:
            found.append(
                ScoreWarning(
                    "total-conflict",
                    "the evidence is in total conflict (K = 1): Dempster's rule is"
                    " undefined; only Yager's combination is given",
                )
            )
        elif self.high_conflict:
            found.append(
                ScoreWarning(
                    "high-conflict",
                    f"the evidence conflicts (Dempster's K = {self.conflict_text} >"
                    f" {self.conflict_threshold}): Dempster's rule renormalises most of"
                    " the joint mass away; compare Yager's figures",
                )
            )
        for rule, lost in (("Dempster's", self.rounded_away), ("Yager's", self.yager_rounded_away)):
            if lost is not None:
                found.append(
                    ScoreWarning(
                        "mass-rounded-away",
                        f"{lost.sets} focal sets of {rule} combination have masses below the"
                        f" smallest double (together about 10^{lost.log10_mass:.0f}) and are"
                        " left out; its figures are exact to that",
                    )
                )
        return tuple(found)

    def to_json(self) -> dict[str, object]:
        """JSON-ready data: conflict, flags, per-hypothesis figures and focal sets."""
        ids = [h.id for h in self.hypotheses]
        return {
            "conflict": self.conflict,
            "conflict_threshold": self.conflict_threshold,
            "log_agreement": self.log_agreement,
            "high_conflict": self.high_conflict,
            "dempster_defined": self.defined,
            "lines": self.lines,
            "vacuous": list(self.vacuous),
            "rounded_away": {
                "dempster": None if self.rounded_away is None else self.rounded_away.to_json(),
                "yager": None
                if self.yager_rounded_away is None
                else self.yager_rounded_away.to_json(),
            },
            "hypotheses": [h.to_json() for h in self.hypotheses],
            "focal_sets": {
                "dempster": None if self.dempster is None else self.dempster.to_json(ids),
                "yager": self.yager.to_json(ids),
            },
        }


def _check_lines(log_ell: Floats, tempering: Floats) -> None:
    if log_ell.ndim != 2:
        raise EvidenceTheoryError(
            f"log-likelihoods must be lines x hypotheses, got shape {log_ell.shape}"
        )
    if tempering.shape != (log_ell.shape[0],):
        raise EvidenceTheoryError(
            f"need one tempering factor per line ({log_ell.shape[0]}), got shape {tempering.shape}"
        )
    if not (np.isfinite(log_ell).all() and np.isfinite(tempering).all()):
        raise EvidenceTheoryError("log-likelihoods and tempering factors must be finite")
    if ((tempering < 0) | (tempering > 1)).any():
        raise EvidenceTheoryError("tempering factors must lie in [0, 1]")


def _snapped(log_contour: Floats) -> Floats:
    """
    Log-contours with their steps of at most :data:`TIE` closed.

    Each row's maximum is 0; taken in order of decreasing contour, a step
    down so small is rounding (a NA cell's mean of equal values) and
    becomes a tie, so the line grows no focal set of mass 1e-16.
    """
    order = np.argsort(-log_contour, axis=1, kind="stable")
    ranked = np.take_along_axis(log_contour, order, axis=1)
    steps = ranked[:, :-1] - ranked[:, 1:]
    steps[steps <= TIE] = 0.0
    ranked = np.concatenate([np.zeros((ranked.shape[0], 1)), -np.cumsum(steps, axis=1)], axis=1)
    snapped = np.empty_like(ranked)
    np.put_along_axis(snapped, order, ranked, axis=1)
    return snapped


def contours(log_ell: Floats, tempering: Floats) -> Floats:
    """
    Each line's contour pl_i(h) = l_i(h)^t_i / max_h' l_i(h')^t_i.

    Steps of t·ln l at or below :data:`TIE` count as ties.

    Args:
        log_ell: ln l(line, h), lines x hypotheses, NA cells already filled.
        tempering: Each line's tempering factor t in [0, 1].

    Returns:
        The contours, lines x hypotheses, each row's maximum 1.

    Raises:
        EvidenceTheoryError: When the arrays do not fit together or are not finite.

    .. versionadded:: 0.1
    """
    log_ell = np.asarray(log_ell, dtype=np.float64)
    tempering = np.asarray(tempering, dtype=np.float64)
    _check_lines(log_ell, tempering)
    if not log_ell.size:
        return np.ones(log_ell.shape)
    tempered = tempering[:, None] * (log_ell - log_ell.max(axis=1, keepdims=True))
    found: Floats = np.exp(_snapped(tempered))
    return found


@attrs.frozen(eq=False)
class _Consonant:
    """
    Consonant mass functions, one per row, from log-contours.

    ``order`` lists each row's hypotheses by decreasing contour (ties in
    column order); ``step`` marks the positions j where the contour steps
    down after the j-th (always the last): there the nested set
    A_j = ``order[:j+1]`` (bitmask ``nested``) is focal with ln m = ``logs``,
    ln(pl_(j) - pl_(j+1)) computed as ln pl_(j) + ln(1 - pl_(j+1)/pl_(j)),
    and ln m(Θ) = ln pl_(k): finite, however small the plausibility.
    """

    order: npt.NDArray[np.intp]
    step: npt.NDArray[np.bool_]
    logs: Floats
    nested: Masks

    @classmethod
    def of(cls, log_contour: Floats) -> _Consonant:
        rows = log_contour.shape[0]
        order = np.argsort(-log_contour, axis=1, kind="stable")
        ranked = np.take_along_axis(log_contour, order, axis=1)
        nested = np.bitwise_or.accumulate(
            np.left_shift(np.int64(1), order.astype(np.int64)), axis=1
        )
        below = np.concatenate([ranked[:, 1:], np.full((rows, 1), -np.inf)], axis=1)
        step = below < ranked
        with np.errstate(divide="ignore"):
            logs = np.where(step, ranked + np.log1p(-np.exp(below - ranked)), -np.inf)
        # Normalise each row exactly: the masses telescope to pl_(1), which
        # is 1 up to rounding of the group sums.
        top = logs.max(axis=1, keepdims=True)
        logs -= top + np.log(np.exp(logs - top).sum(axis=1, keepdims=True))
        return cls(order, step, logs, nested)

    def sparse(self, row: int) -> tuple[Masks, Floats]:
        """Row ``row``'s focal sets and their ln m."""
        chosen = self.step[row]
        return self.nested[row, chosen], self.logs[row, chosen]


def _logsumexp(values: Floats) -> float:
    top = float(values.max())
    return top + math.log(float(np.exp(values - top).sum()))


def _log_step(
    state: tuple[Masks, Floats], part: tuple[Masks, Floats]
) -> tuple[Masks, Floats, float]:
    """
    One step of Dempster's rule on masses held as logs.

    Every pair's ln m adds, pairs meeting in the same set are summed (a
    log-sum-exp per set) and pairs meeting in ∅ are the step's conflict.
    Returns the focal sets, their ln m renormalised, and ln(1 - K_step).
    Logs keep the masses of sets that a thousand lines make tiny, which may
    matter again after lines that point the other way.
    """
    joint = (state[0][:, None] & part[0][None, :]).ravel()
    logs = (state[1][:, None] + part[1][None, :]).ravel()
    total = _logsumexp(logs)
    kept = joint != 0
    conflict = not kept.all()
    joint, logs = joint[kept], logs[kept]
    order = np.argsort(joint, kind="stable")
    joint, logs = joint[order], logs[order]
    first = np.flatnonzero(np.concatenate([[True], joint[1:] != joint[:-1]]))
    top = np.maximum.reduceat(logs, first)
    sizes = np.diff(np.append(first, joint.size))
    sums = np.add.reduceat(np.exp(logs - np.repeat(top, sizes)), first)
    merged: Floats = top + np.log(sums)
    agreement = _logsumexp(merged)
    # ln(1 - K_step) = ln(kept / total): exactly 0 when nothing met in ∅.
    step = min(0.0, agreement - total) if conflict else 0.0
    return joint[first], merged - agreement, step


def _groups(log_contour: Floats) -> Floats:
    """
    The lines summed within groups that order the hypotheses alike, groups in key order.

    Consonant functions whose contours rank the hypotheses in the same weak
    order combine, by Dempster's rule, into the consonant function of the
    product of their contours, with no conflict: the minimum of each contour
    over a set falls on the same hypothesis, so the commonalities' product
    is the product's minimum.  Summing their log-contours first is exact and
    spares a combination step per line.
    """
    order = np.argsort(-log_contour, axis=1, kind="stable")
    ranked = np.take_along_axis(log_contour, order, axis=1)
    key = np.concatenate([order, (ranked[:, :-1] > ranked[:, 1:]).astype(np.intp)], axis=1)
    sort = np.lexsort(key.T[::-1])
    key, rows = key[sort], log_contour[sort]
    first = np.flatnonzero(np.concatenate([[True], (key[1:] != key[:-1]).any(axis=1)]))
    summed: Floats = np.add.reduceat(rows, first, axis=0)
    return summed


def _dense_step(state: Floats, lines: _Consonant, row: int) -> tuple[Floats, float]:
    """
    One step of Dempster's rule on a dense array of ln m over every subset.

    ``state`` has one axis per hypothesis (axis ``frame - 1 - j`` is bit j).
    The sets A that meet a focal set B in C are C plus any hypotheses
    outside B: they differ only on the axes outside B.  So the line's nested
    sets are taken from Θ down, summing the state over one more hypothesis's
    axis (a log-sum-exp) at each step, which gives Σ_{A ∩ B = C} m(A) for
    every C ⊆ B; m(B) multiplies it into the new state.  The cost is about
    2^(k+2) per line, with nothing subtracted.
    """
    frame = state.ndim
    new = np.full(state.shape, -np.inf)
    cut: list[slice] = [slice(None)] * frame
    current = state
    order = lines.order[row].tolist()
    for j in range(frame - 1, -1, -1):
        if lines.step[row, j]:
            view = new[tuple(cut)]
            np.logaddexp(view, current + lines.logs[row, j], out=view)
        if j == 0:
            break
        axis = frame - 1 - order[j]
        low: list[slice] = [slice(None)] * frame
        high: list[slice] = [slice(None)] * frame
        low[axis], high[axis] = slice(0, 1), slice(1, 2)
        current = np.logaddexp(current[tuple(low)], current[tuple(high)])
        cut[axis] = slice(0, 1)
    flat = new.reshape(-1)
    total = _logsumexp(flat)
    flat[0] = -np.inf  # what met in the empty set: this step's conflict
    kept = _logsumexp(flat)
    new -= kept
    # ln(1 - K_step) = ln(kept / total), which is exactly 0 when nothing met in ∅.
    return new, min(0.0, kept - total)


#: The largest frame combined on a dense array of every subset (2^16 doubles).
_DENSE_FRAME: Final = 16
#: The most pairs of focal sets one sparse step may form (their arrays take ~16 bytes each).
_MAX_PAIRS: Final = 1 << 23


def _combine_lines(log_contour: Floats, theta: int, *, dense: bool | None = None) -> _Combined:
    """
    Dempster's rule over the non-vacuous lines, in log space, as arrays.

    Logs keep the masses of sets that hundreds of lines make tiny, which
    matter again after lines that point the other way; so the result does
    not depend on the order of the lines.  Up to :data:`_DENSE_FRAME`
    hypotheses (or as ``dense`` says) the state is a dense array of every
    subset, else the focal sets found so far.
    """
    frame = theta.bit_length()
    if not log_contour.shape[0]:
        return _Combined(np.array([theta], dtype=np.int64), np.ones(1), 0.0)
    lines = _Consonant.of(_groups(log_contour))
    count = lines.order.shape[0]
    log_agreement = 0.0
    if (frame <= _DENSE_FRAME) if dense is None else dense:
        state = np.full((2,) * frame, -np.inf)
        state.reshape(-1)[theta] = 0.0
        for row in range(count):
            state, agreement = _dense_step(state, lines, row)
            log_agreement += agreement
        flat = state.reshape(-1)
        sets = np.flatnonzero(flat > -np.inf).astype(np.int64)
        logs = flat[sets]
    else:
        sets, logs = lines.sparse(0)
        for row in range(1, count):
            if sets.size * frame > _MAX_PAIRS:
                raise FrameTooLargeError(
                    f"combining these lines takes over {sets.size} focal sets over {frame}"
                    f" hypotheses; the Dempster-Shafer view is practical for up to"
                    f" {_DENSE_FRAME} hypotheses"
                )
            sets, logs, agreement = _log_step((sets, logs), lines.sparse(row))
            log_agreement += agreement
    mass = np.exp(logs)
    # Masses below the smallest double cannot be focal: they are left out, and
    # counted with their total, so that nothing is dropped without a word.
    lost = _rounded_away(logs, mass)
    nonzero = mass > 0
    sets, mass, logs = sets[nonzero], mass[nonzero], logs[nonzero]
    total = mass.sum()
    return _Combined(sets, mass / total, log_agreement, logs - math.log(total), lost)


def consonant(log_likelihoods: Sequence[float] | Floats, tempering: float = 1.0) -> MassFunction:
    """
    One line's likelihood-based consonant belief function (Shafer 1976, ch. 11).

    Contour pl(h) = l(h)^t / max l^t; focal sets nested by decreasing
    contour, m(A_j) = pl_(j) - pl_(j+1).

    Args:
        log_likelihoods: ln l of each hypothesis (bit j of a focal set is entry j).
        tempering: The power t in [0, 1].

    Returns:
        The mass function; vacuous when the likelihoods are all equal.

    Raises:
        FrameTooLargeError: With more than :data:`MAX_HYPOTHESES` hypotheses.
        EvidenceTheoryError: When a value is not finite or t lies outside [0, 1].

    .. versionadded:: 0.1
    """
    row = np.asarray(log_likelihoods, dtype=np.float64).reshape(1, -1)
    factor = np.array([tempering], dtype=np.float64)
    _check_frame(row.shape[1])
    _check_lines(row, factor)
    masks, logs = _Consonant.of(_snapped(factor[:, None] * (row - row.max()))).sparse(0)
    mass = np.exp(logs)
    nonzero = mass > 0
    return _from_arrays(row.shape[1], masks[nonzero], mass[nonzero] / mass[nonzero].sum())


def from_likelihoods(
    log_ell: Floats,
    tempering: Floats,
    hypotheses: Sequence[str],
    *,
    lines: Sequence[str] | None = None,
    conflict_threshold: float = CONFLICT_THRESHOLD,
) -> DempsterShafer:
    """
    Combine lines of reporting as likelihood-based consonant belief functions.

    Each line's contour is pl_i(h) = l_i(h)^t_i / max_h' l_i(h')^t_i (see
    the module for the reasons and a worked example); the lines combine by
    Dempster's rule and by Yager's.

    Args:
        log_ell: ln l(line, h), lines x hypotheses, NA cells already filled;
            quality is already in l.
        tempering: Each line's tempering factor t in [0, 1] (a power likelihood).
        hypotheses: The hypotheses' ids, one per column.
        lines: The lines' ids, one per row (default "1", "2", ...).
        conflict_threshold: Conflict K above which the result is flagged.

    Returns:
        Belief and plausibility of each hypothesis under both rules, the
        conflict and the combined mass functions.

    Raises:
        FrameTooLargeError: With more than :data:`MAX_HYPOTHESES` hypotheses.
        EvidenceTheoryError: When the arrays or ids do not fit together, a
            value is not finite, or a tempering factor lies outside [0, 1].

    .. versionadded:: 0.1
    """
    frame = len(hypotheses)
    _check_frame(frame)
    log_ell = np.asarray(log_ell, dtype=np.float64)
    tempering = np.asarray(tempering, dtype=np.float64)
    if log_ell.ndim == 2 and log_ell.shape[0] == 0:
        log_ell = log_ell.reshape(0, frame)
    _check_lines(log_ell, tempering)
    if log_ell.shape[1] != frame:
        raise EvidenceTheoryError(f"{log_ell.shape[1]} columns for {frame} hypotheses")
    count = log_ell.shape[0]
    names = tuple(str(i + 1) for i in range(count)) if lines is None else tuple(lines)
    if len(names) != count:
        raise EvidenceTheoryError(f"{len(names)} line ids for {count} lines")
    theta = (1 << frame) - 1
    tempered = tempering[:, None] * (log_ell - log_ell.max(axis=1, keepdims=True))
    log_contour = _snapped(tempered)
    informative = np.asarray((log_contour < 0).any(axis=1), dtype=np.bool_)
    combined = _combine_lines(log_contour[informative], theta)
    yager_arrays = _yager_arrays(theta, combined)
    yager_lost = None
    if combined.masks is not None and combined.log_mass is not None:
        scaled = np.where(combined.masks == theta, 1.0, yager_arrays[1][: combined.masks.size])
        yager_lost = _rounded_away(combined.log_mass + combined.log_agreement, scaled)
    dempster_m = None
    dempster_figures: Sequence[tuple[float | None, float | None]] = [(None, None)] * frame
    if combined.masks is not None and combined.mass is not None:
        dempster_m = _from_arrays(frame, combined.masks, combined.mass)
        dempster_figures = _singletons(frame, combined.masks, combined.mass)
    records = tuple(
        HypothesisBelief(
            id=hypothesis,
            belief=dempster_figures[j][0],
            plausibility=dempster_figures[j][1],
            yager_belief=yager_figures[0],
            yager_plausibility=yager_figures[1],
        )
        for j, (hypothesis, yager_figures) in enumerate(
            zip(hypotheses, _singletons(frame, *yager_arrays), strict=True)
        )
    )
    return DempsterShafer(
        hypotheses=records,
        conflict=_conflict(combined.log_agreement),
        conflict_threshold=conflict_threshold,
        dempster=dempster_m,
        yager=_from_arrays(frame, *yager_arrays),
        lines=count,
        log_agreement=combined.log_agreement,
        vacuous=tuple(n for n, yes in zip(names, informative.tolist(), strict=True) if not yes),
        rounded_away=combined.rounded_away,
        yager_rounded_away=yager_lost,
    )


def _singletons(frame: int, masks: Masks, mass: Floats) -> list[tuple[float, float]]:
    """Bel({h}) and Pl({h}) of every hypothesis: the mass on {h}, the mass on sets holding h."""
    bits = np.left_shift(np.int64(1), np.arange(frame, dtype=np.int64))
    holds = (masks[None, :] & bits[:, None]) != 0
    pl = np.where(holds, mass[None, :], 0.0).sum(axis=1)
    bel = np.where(masks[None, :] == bits[:, None], mass[None, :], 0.0).sum(axis=1)
    return list(zip(bel.tolist(), pl.tolist(), strict=True))


def dempster_shafer(
    scores: Scores, *, conflict_threshold: float = CONFLICT_THRESHOLD
) -> DempsterShafer:
    """
    The lines of reporting of a scored assessment as Dempster-Shafer evidence.

    The lines' report-adjusted likelihoods and tempering come from
    :func:`assess.methods.scoring.line_log_likelihoods`; see :func:`from_likelihoods`.

    Args:
        scores: The scored assessment.
        conflict_threshold: Conflict K above which the result is flagged.

    Returns:
        Belief and plausibility of each hypothesis under both rules, the
        conflict and the combined mass functions.

    Raises:
        FrameTooLargeError: With more than :data:`MAX_HYPOTHESES` hypotheses.

    .. versionadded:: 0.1
    """
    log_ell, tempering = line_log_likelihoods(scores)
    return from_likelihoods(
        log_ell,
        tempering,
        scores.matrix.hypotheses,
        lines=tuple(line.id for line in scores.lines),
        conflict_threshold=conflict_threshold,
    )
