"""
Dempster-Shafer belief and plausibility over the hypotheses.

A Bayesian posterior must share all belief among the hypotheses; evidence
theory (G. Shafer, *A Mathematical Theory of Evidence*, Princeton 1976) lets
an item commit belief to a *set* of hypotheses without choosing among them,
and leave the rest uncommitted on the whole frame Θ.  Belief Bel(A) is what
the evidence commits to A; plausibility Pl(A) is what it does not commit
against A; the gap between them is what the evidence leaves open.

Independent bodies of evidence combine by Dempster's rule (A. P. Dempster,
"Upper and lower probabilities induced by a multivalued mapping", *Annals of
Mathematical Statistics* 38, 1967), which discards the mass the sources put
on disjoint sets (the conflict K) and renormalises.  L. A. Zadeh ("Review of
Shafer's *A Mathematical Theory of Evidence*", *AI Magazine* 5(3), 1984)
showed that under high conflict this yields confident nonsense, so the
conflict is reported, flagged above :data:`CONFLICT_THRESHOLD`, and Yager's
rule (R. R. Yager, "On the Dempster-Shafer framework and new combination
rules", *Information Sciences* 41, 1987), which gives the conflict to Θ as
ignorance, is computed beside it.

Focal sets are ``int`` bitmasks over the frame: bit j is hypothesis j in
declaration order.  ``docs/methods.md`` states how :func:`dempster_shafer`
builds mass functions from an ACH matrix.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess._frozenmap import FrozenMap
from assess.errors import AssessError
from assess.model import Rating
from assess.scoring import CODES, ScoreWarning

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.scoring import Scores

__all__ = [
    "CONFLICT_THRESHOLD",
    "MAX_HYPOTHESES",
    "DempsterShafer",
    "EvidenceTheoryError",
    "FrameTooLargeError",
    "HypothesisBelief",
    "MassFunction",
    "TotalConflictError",
    "average",
    "belief",
    "combine_dempster",
    "combine_yager",
    "dempster",
    "dempster_shafer",
    "discount",
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

_PRO: Final = np.zeros(len(CODES), dtype=bool)  # codes that support a hypothesis: CC, C
_PRO[[CODES[Rating.CC], CODES[Rating.C]]] = True
_CON: Final = np.zeros(len(CODES), dtype=bool)  # codes that count against it: I, II
_CON[[CODES[Rating.I], CODES[Rating.II]]] = True
_NA: Final = CODES[Rating.NA]


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
class _Combined:
    """Dempster's combination as arrays; ``masks`` is None under total conflict."""

    masks: Masks | None
    mass: Floats | None
    log_agreement: float  # ln(1 - K) = sum of ln(1 - K_step); -inf under total conflict


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
    agreement = math.exp(combined.log_agreement)
    masks, mass = combined.masks, combined.mass * agreement
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


# --------------------------------------------------------------------------- the matrix


@attrs.frozen
class HypothesisBelief:
    """
    Belief and plausibility of one hypothesis under both combination rules.

    ``belief`` and ``plausibility`` (Dempster's rule) are ``None`` when the
    evidence is in total conflict and the rule is undefined.

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
    The evidence of an assessment combined by Dempster's and by Yager's rule.

    Attributes:
        hypotheses: Per hypothesis, in declaration order.
        conflict: Dempster's total conflict K (1.0 under total conflict).
        conflict_threshold: K above which ``high_conflict`` is set.
        dempster: The combined mass function, ``None`` when K = 1.
        yager: Yager's combination (always defined).
        clusters: How many dependency clusters were combined.
        vacuous: Items whose own mass function is vacuous (all mass on Θ).

    .. versionadded:: 0.1
    """

    hypotheses: tuple[HypothesisBelief, ...]
    conflict: float
    conflict_threshold: float
    dempster: MassFunction | None
    yager: MassFunction
    clusters: int
    vacuous: tuple[str, ...]

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
        """``total-conflict`` when Dempster's rule is undefined, else ``high-conflict``."""
        if not self.defined:
            return (
                ScoreWarning(
                    "total-conflict",
                    "the evidence is in total conflict (K = 1): Dempster's rule is"
                    " undefined; only Yager's combination is given",
                ),
            )
        if self.high_conflict:
            return (
                ScoreWarning(
                    "high-conflict",
                    f"the evidence conflicts (Dempster's K = {self.conflict:.3f} >"
                    f" {self.conflict_threshold}): Dempster's rule renormalises most of"
                    " the joint mass away; compare Yager's figures",
                ),
            )
        return ()

    def to_json(self) -> dict[str, object]:
        """JSON-ready data: conflict, flags, per-hypothesis figures and focal sets."""
        ids = [h.id for h in self.hypotheses]
        return {
            "conflict": self.conflict,
            "conflict_threshold": self.conflict_threshold,
            "high_conflict": self.high_conflict,
            "dempster_defined": self.defined,
            "clusters": self.clusters,
            "vacuous": list(self.vacuous),
            "hypotheses": [h.to_json() for h in self.hypotheses],
            "focal_sets": {
                "dempster": None if self.dempster is None else self.dempster.to_json(ids),
                "yager": self.yager.to_json(ids),
            },
        }


def _row_masks(rows: npt.NDArray[np.int8], theta: int) -> Masks:
    """
    Each row's supported set: the hypotheses rated CC or C, else those not rated I or II.

    0 or Θ means the row commits to nothing (a vacuous item).
    """
    weights = np.left_shift(np.int64(1), np.arange(rows.shape[1], dtype=np.int64))
    pro = (_PRO[rows] * weights).sum(axis=1, dtype=np.int64)
    con = (_CON[rows] * weights).sum(axis=1, dtype=np.int64)
    supported: Masks = np.where(pro != 0, pro, np.int64(theta) & ~con)
    return supported


def _item_entries(scores: Scores) -> tuple[Masks, Masks, Floats, npt.NDArray[np.bool_]]:
    """
    Every item's mass function, already shared across its cluster.

    Returns (cluster, focal set, mass / cluster size) per entry, and per item
    whether it commits any mass below Θ.  An item puts q on its supported set
    and 1 - q on Θ.  An item with team cells is the mean, over the analysts
    who rated any of its team cells, of the item as each of them rated it
    (their abstentions left as NA).
    """
    matrix, arrays = scores.matrix, scores.arrays
    rows, columns = matrix.codes.shape
    theta = (1 << columns) - 1
    quality = arrays.quality
    share = 1.0 / arrays.cluster_size
    supported = np.full(rows, theta, dtype=np.int64)
    step = max(1, (1 << 19) // max(columns, 1))
    for start in range(0, rows, step):
        supported[start : start + step] = _row_masks(matrix.codes[start : start + step], theta)
    supported[supported == 0] = theta  # nothing supported: vacuous
    informative = (supported != theta) & (quality > 0)
    # The rows with team cells, sorted, once each (bincount, not np.unique:
    # np.unique imports numpy.ma on first use, a cost at every start-up).
    team_rows = np.flatnonzero(np.bincount(matrix.team_rows))
    plain = np.ones(rows, dtype=bool)
    plain[team_rows] = False
    index = np.flatnonzero(plain)
    clusters = [matrix.cluster[index], matrix.cluster]
    sets = [supported[index], np.full(rows, theta, dtype=np.int64)]
    masses = [(quality * share)[index], (1.0 - quality) * share]
    for row in team_rows.tolist():
        # Few rows hold team cells: each is rebuilt once per analyst.
        mine = np.flatnonzero(matrix.team_rows == row)
        votes = matrix.team_codes[mine]  # this row's team cells x analysts
        raters = np.flatnonzero((votes >= 0).any(axis=0))
        versions = np.repeat(matrix.codes[row][None, :], raters.size, axis=0)
        for k, analyst in enumerate(raters.tolist()):
            rated = votes[:, analyst] >= 0
            versions[k, matrix.team_cols[mine][rated]] = votes[rated, analyst]
        found = _row_masks(versions, theta)
        found[found == 0] = theta
        informative[row] = bool((found != theta).any()) and quality[row] > 0
        clusters.append(np.full(raters.size, matrix.cluster[row], dtype=np.int64))
        sets.append(found)
        masses.append(np.full(raters.size, quality[row] * share[row] / raters.size))
    return (
        np.concatenate(clusters).astype(np.int64),
        np.concatenate(sets).astype(np.int64),
        np.concatenate(masses).astype(np.float64),
        informative,
    )


def _cluster_parts(
    cluster: Masks, sets: Masks, mass: Floats, theta: int
) -> list[tuple[Masks, Floats]]:
    """One mass function per cluster, its entries summed by focal set; vacuous ones left out."""
    if not cluster.size:
        return []
    order = np.lexsort((sets, cluster))
    cluster, sets, mass = cluster[order], sets[order], mass[order]
    new = np.ones(cluster.size, dtype=bool)
    new[1:] = (cluster[1:] != cluster[:-1]) | (sets[1:] != sets[:-1])
    summed = np.asarray(np.bincount(np.cumsum(new) - 1, weights=mass), dtype=np.float64)
    first = np.flatnonzero(new)
    bounds = np.flatnonzero(np.diff(cluster[first])) + 1
    return [
        (s, m)
        for s, m in zip(np.split(sets[first], bounds), np.split(summed, bounds), strict=True)
        if not (s.size == 1 and s[0] == theta)  # a vacuous cluster is the identity
    ]


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
    Combine the items of an ACH matrix as Dempster-Shafer evidence.

    An item of quality q puts mass q on the hypotheses it rates CC or C (or,
    when it rates none so, on those it does not rate I or II) and 1 - q on
    Θ; an item that singles out nothing is vacuous.  The members of a
    dependency cluster are merged by averaging; the clusters are combined by
    Dempster's rule and by Yager's.

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
    matrix = scores.matrix
    frame = len(matrix.hypotheses)
    _check_frame(frame)
    theta = (1 << frame) - 1
    cluster, sets, mass, informative = _item_entries(scores)
    parts = _cluster_parts(cluster, sets, mass, theta)
    combined = _combine(parts) if parts else _Combined(np.array([theta]), np.ones(1), 0.0)
    yager_arrays = _yager_arrays(theta, combined)
    yager_m = _from_arrays(frame, *yager_arrays)
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
            zip(matrix.hypotheses, _singletons(frame, *yager_arrays), strict=True)
        )
    )
    return DempsterShafer(
        hypotheses=records,
        conflict=_conflict(combined.log_agreement),
        conflict_threshold=conflict_threshold,
        dempster=dempster_m,
        yager=yager_m,
        clusters=int(matrix.cluster.max()) + 1 if matrix.cluster.size else 0,
        vacuous=tuple(
            e for e, yes in zip(matrix.evidence, informative.tolist(), strict=True) if not yes
        ),
    )
