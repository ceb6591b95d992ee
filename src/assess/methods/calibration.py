"""
Calibration: proper scores of resolved assessments against what happened.

An assessment with an ``outcome`` is *resolved*.  Its posteriors (from
:func:`assess.score`) are a forecast of which hypothesis is true, and the
outcome says which one was, so the forecast can be scored: the Brier score
(Brier 1950), the logarithmic score (Good 1952), and over many assessments
Murphy's (1973) partition of the Brier score into reliability, resolution and
uncertainty, with a reliability-diagram table.  ``docs/methods.md`` states
every formula and convention.

The scores are pure functions over numpy arrays; :func:`calibrate` scores
each assessment once and gathers the figures into an immutable
:class:`Calibration`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final, TypeVar, overload

import attrs
import numpy as np
import numpy.typing as npt

from assess.methods.scoring import score
from assess.model.display import Displayed

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from assess.model import Assessment

__all__ = [
    "BINS",
    "LOG_FLOOR",
    "TRACK_RECORD",
    "Calibration",
    "Decomposition",
    "ReliabilityTable",
    "ResolvedScore",
    "binary_brier",
    "brier",
    "calibrate",
    "decompose",
    "log_score",
    "reliability_table",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

BINS: Final = 10
"""Equal-width forecast bins of the decomposition: [0, 0.1), [0.1, 0.2), ..., [0.9, 1]."""

LOG_FLOOR: Final = 1e-6
"""Probabilities are clipped to [LOG_FLOOR, 1 - LOG_FLOOR] before the log score is taken."""

TRACK_RECORD: Final = 25
"""
The fewest resolved assessments whose figures ``assess calibrate`` reads as a track record.

Our convention (docs/methods.md, section 17): over n cases the share of
leaders that were right has a standard error of up to 0.5/sqrt(n), more
than 0.1 below 25 cases.
"""

#: How far a forecast's probabilities may sum from 1 (posteriors are exact to rounding).
_SUM_TOLERANCE: Final = 1e-6


# --------------------------------------------------------------------------- scores


def _probabilities(values: npt.ArrayLike, what: str) -> Floats:
    array = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(array)) or np.any(array < 0.0) or np.any(array > 1.0):
        raise ValueError(f"{what} must be probabilities in [0, 1]")
    return array


def brier(forecast: npt.ArrayLike, outcome_index: int) -> float:
    """
    The multi-category Brier score of one forecast: Σ_i (f_i - o_i)².

    ``o`` is 1 for the category that happened and 0 for the others (Brier
    1950).  0 is a certain, correct forecast; 2 a certain, wrong one.

    Args:
        forecast: The probability of each category; they must sum to 1.
        outcome_index: The index of the category that happened.

    Returns:
        The score, in [0, 2]; lower is better.

    Raises:
        ValueError: When the forecast is not a probability vector, or the index
            is not one of its categories.

    .. versionadded:: 0.1
    """
    f = _probabilities(forecast, "a forecast")
    if f.ndim != 1 or f.size == 0:
        raise ValueError("a forecast is a non-empty vector of probabilities")
    if abs(math.fsum(f.tolist()) - 1.0) > _SUM_TOLERANCE:
        raise ValueError(f"a forecast's probabilities must sum to 1, not {math.fsum(f.tolist())}")
    if not 0 <= outcome_index < f.size:
        raise ValueError(f"outcome index {outcome_index} is not one of {f.size} categories")
    occurred = np.zeros_like(f)
    occurred[outcome_index] = 1.0
    return math.fsum(((f - occurred) ** 2).tolist())


@overload
def binary_brier(p: float, occurred: bool) -> float: ...


@overload
def binary_brier(p: Floats, occurred: Bools) -> Floats: ...


def binary_brier(p: float | Floats, occurred: bool | Bools) -> float | Floats:
    """
    The Brier score of a forecast of one event: (p - o)², o 1 if it occurred.

    0.7 for an event that occurred scores 0.09; 0.3 scores 0.49.  Arrays are
    scored element by element.

    Args:
        p: The forecast probability of the event (or an array of them).
        occurred: Whether the event occurred (or an array of booleans).

    Returns:
        The score, in [0, 1]; lower is better.

    Raises:
        ValueError: When ``p`` is not a probability.

    .. versionadded:: 0.1
    """
    f = _probabilities(p, "a forecast")
    o = np.asarray(occurred, dtype=np.float64)
    result = (f - o) ** 2
    if result.ndim == 0:
        return float(result)
    return result


@overload
def log_score(p: float) -> float: ...


@overload
def log_score(p: Floats) -> Floats: ...


def log_score(p: float | Floats) -> float | Floats:
    """
    The logarithmic score of the probability given to what happened: -ln p.

    Natural logarithm, negatively oriented (lower is better, 0 best), as a
    loss (Good 1952).  ``p`` is clipped to [1e-6, 1 - 1e-6] first, so a
    certain, wrong forecast scores 13.8155 rather than infinity.  0.7 scores
    0.3567.

    Args:
        p: The probability the forecast gave to the outcome (or an array).

    Returns:
        The score, in [1e-6, 13.8156]; lower is better.

    Raises:
        ValueError: When ``p`` is not a probability.

    .. versionadded:: 0.1
    """
    clipped = np.clip(_probabilities(p, "a probability"), LOG_FLOOR, 1.0 - LOG_FLOOR)
    result = -np.log(clipped)
    if result.ndim == 0:
        return float(result)
    return result


# --------------------------------------------------------------------------- decomposition


def _bin_of(forecasts: Floats, bins: int) -> npt.NDArray[np.intp]:
    """Each forecast's bin: k where k/bins <= p < (k+1)/bins, and 1 in the last bin."""
    # Edges k/bins are the nearest floats to the decimals (0.3, not 3 * 0.1),
    # and the comparison with them is exact.
    inner = np.arange(1, bins, dtype=np.float64) / bins
    return np.searchsorted(inner, forecasts, side="right")


def _binary(forecasts: npt.ArrayLike, occurred: npt.ArrayLike, bins: int) -> tuple[Floats, Floats]:
    f = _probabilities(forecasts, "forecasts")
    o = np.asarray(occurred)
    if f.ndim != 1 or o.shape != f.shape:
        raise ValueError("forecasts and outcomes must be vectors of the same length")
    if o.dtype != np.bool_:
        raise ValueError("outcomes must be booleans")
    if bins < 1:
        raise ValueError(f"the number of bins must be at least 1, got {bins}")
    return f, o.astype(np.float64)


@attrs.frozen(eq=False)
class ReliabilityTable:
    """
    The reliability diagram as a table: one row per forecast bin.

    Every bin is present, empty ones with count 0 and NaN means, so the
    arrays line up for plotting: ``mean_forecast`` against
    ``observed_frequency`` where ``count > 0``, with the diagonal as perfect
    calibration.

    Attributes:
        lower: Each bin's lower edge (included).
        upper: Each bin's upper edge (excluded, but 1 is in the last bin).
        count: How many forecasts fell in the bin.
        mean_forecast: Their mean probability (NaN for an empty bin).
        observed_frequency: The share of them whose event occurred (NaN for an
            empty bin).

    .. versionadded:: 0.1
    """

    lower: Floats
    upper: Floats
    count: npt.NDArray[np.int64]
    mean_forecast: Floats
    observed_frequency: Floats

    def to_json(self) -> list[dict[str, object]]:
        """One mapping per bin, in order; ``null`` for the means of an empty bin."""
        return [
            {
                "lower": float(lo),
                "upper": float(hi),
                "count": int(n),
                "mean_forecast": None if n == 0 else float(f),
                "observed_frequency": None if n == 0 else float(o),
            }
            for lo, hi, n, f, o in zip(
                self.lower,
                self.upper,
                self.count,
                self.mean_forecast,
                self.observed_frequency,
                strict=True,
            )
        ]


G = TypeVar("G", bound=np.generic)


def _read_only(array: npt.NDArray[G]) -> npt.NDArray[G]:
    array.flags.writeable = False
    return array


def reliability_table(
    forecasts: npt.ArrayLike, occurred: npt.ArrayLike, *, bins: int = BINS
) -> ReliabilityTable:
    """
    Count, mean forecast and observed frequency of the binary forecasts in each bin.

    Args:
        forecasts: Probabilities of events.
        occurred: Whether each event occurred (booleans).
        bins: How many equal-width bins divide [0, 1].

    Returns:
        The table, with every bin.

    Raises:
        ValueError: When the inputs are not probabilities and booleans of one length.

    .. versionadded:: 0.1
    """
    f, o = _binary(forecasts, occurred, bins)
    which = _bin_of(f, bins)
    count = np.bincount(which, minlength=bins).astype(np.int64)
    sum_f = np.bincount(which, weights=f, minlength=bins)
    sum_o = np.bincount(which, weights=o, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_forecast = np.where(count > 0, sum_f / count, np.nan)
        observed = np.where(count > 0, sum_o / count, np.nan)
    edges = np.arange(bins + 1, dtype=np.float64) / bins
    return ReliabilityTable(
        lower=_read_only(edges[:-1].copy()),
        upper=_read_only(edges[1:].copy()),
        count=_read_only(count),
        mean_forecast=_read_only(mean_forecast),
        observed_frequency=_read_only(observed),
    )


@attrs.frozen
class Decomposition:
    """
    Murphy's partition of the binary Brier score over binned forecasts.

    ``brier = reliability - resolution + uncertainty + within_bin_variance -
    2 * within_bin_covariance`` holds exactly (to rounding).  When the
    forecasts within each bin are equal the last two terms are 0 and this is
    Murphy's (1973) ``BS = REL - RES + UNC``; otherwise they are the two
    extra components of Stephenson, Coelho and Jolliffe (2008).

    Attributes:
        count: N, the number of binary forecasts.
        base_rate: ō, the share of events that occurred.
        brier: The mean binary Brier score (1/N) Σ (f - o)².
        reliability: (1/N) Σ_k n_k (f̄_k - ō_k)²; 0 is perfect calibration.
        resolution: (1/N) Σ_k n_k (ō_k - ō)²; higher is better.
        uncertainty: ō (1 - ō); a property of the events, not the forecasts.
        within_bin_variance: (1/N) Σ_k Σ_(i in k) (f_i - f̄_k)².
        within_bin_covariance: (1/N) Σ_k Σ_(i in k) (f_i - f̄_k)(o_i - ō_k).

    .. versionadded:: 0.1
    """

    count: int
    base_rate: float
    brier: float
    reliability: float
    resolution: float
    uncertainty: float
    within_bin_variance: float
    within_bin_covariance: float


def decompose(
    forecasts: npt.ArrayLike, occurred: npt.ArrayLike, *, bins: int = BINS
) -> Decomposition:
    """
    Murphy's decomposition of the Brier score of binary forecasts.

    Args:
        forecasts: Probabilities of events (at least one).
        occurred: Whether each event occurred (booleans).
        bins: How many equal-width bins divide [0, 1].

    Returns:
        Reliability, resolution and uncertainty, with the score they partition.

    Raises:
        ValueError: When there are no forecasts, or the inputs are not
            probabilities and booleans of one length.

    .. versionadded:: 0.1
    """
    f, o = _binary(forecasts, occurred, bins)
    n = f.size
    if n == 0:
        raise ValueError("the decomposition needs at least one forecast")
    which = _bin_of(f, bins)
    count = np.bincount(which, minlength=bins)
    used = count > 0
    mean_f = np.zeros(bins)
    mean_o = np.zeros(bins)
    mean_f[used] = np.bincount(which, weights=f, minlength=bins)[used] / count[used]
    mean_o[used] = np.bincount(which, weights=o, minlength=bins)[used] / count[used]
    base_rate = math.fsum(o.tolist()) / n
    spread_f = f - mean_f[which]
    spread_o = o - mean_o[which]
    return Decomposition(
        count=n,
        base_rate=base_rate,
        brier=math.fsum(((f - o) ** 2).tolist()) / n,
        reliability=math.fsum((count * (mean_f - mean_o) ** 2).tolist()) / n,
        resolution=math.fsum((count * (mean_o - base_rate) ** 2).tolist()) / n,
        uncertainty=base_rate * (1.0 - base_rate),
        within_bin_variance=math.fsum((spread_f**2).tolist()) / n,
        within_bin_covariance=math.fsum((spread_f * spread_o).tolist()) / n,
    )


# --------------------------------------------------------------------------- assessments


@attrs.frozen
class ResolvedScore:
    """
    The scores of one resolved assessment.

    Attributes:
        assessment: The assessment's id.
        as_of: The date it was written as of, if it gives one.
        outcome: The hypothesis that proved true.
        outcome_posterior: The posterior the assessment gave it.
        leader: The hypothesis ranked first (:attr:`assess.Scores.ranking`).
        leader_posterior: The leader's posterior.
        leader_correct: Whether the leader is the outcome.
        brier: The multi-category Brier score of the posteriors.
        leader_brier: The binary Brier score of the leader's posterior as a
            forecast that the leader is the outcome.
        log_score: -ln of the outcome's posterior (clipped, see :func:`log_score`).
        posteriors: Every hypothesis's posterior, in declaration order.

    .. versionadded:: 0.1
    """

    assessment: str
    as_of: dt.date | None
    outcome: str
    outcome_posterior: float
    leader: str
    leader_posterior: float
    leader_correct: bool
    brier: float
    leader_brier: float
    log_score: float
    posteriors: tuple[tuple[str, float], ...]

    def to_json(self) -> dict[str, object]:
        """The record as JSON-ready data, the date as ``YYYY-MM-DD``."""
        data = attrs.asdict(self, recurse=False)
        data["as_of"] = None if self.as_of is None else self.as_of.isoformat()
        data["posteriors"] = dict(self.posteriors)
        return data


@attrs.frozen(eq=False)
class Calibration(Displayed):
    """
    How well a set of resolved assessments forecast what happened.

    Every figure is independent of the order the assessments come in:
    ``resolved`` and ``unresolved`` are sorted by assessment id.  The means
    and the decomposition are ``None`` when no assessment is resolved.

    Attributes:
        resolved: One record per resolved assessment.
        unresolved: The ids of the assessments without an outcome, skipped.
        mean_brier: The mean multi-category Brier score.
        mean_leader_brier: The mean binary Brier score of the leaders.
        mean_log_score: The mean log score.
        leader_accuracy: The share of resolved assessments whose leader was the outcome.
        decomposition: Murphy's decomposition over every hypothesis's
            posterior as a binary forecast that it is the outcome.
        reliability: The reliability-diagram table of the same forecasts.

    .. versionadded:: 0.1
    """

    resolved: tuple[ResolvedScore, ...]
    unresolved: tuple[str, ...]
    mean_brier: float | None
    mean_leader_brier: float | None
    mean_log_score: float | None
    leader_accuracy: float | None
    decomposition: Decomposition | None
    reliability: ReliabilityTable

    def __repr__(self) -> str:
        brier = "" if self.mean_brier is None else f", mean Brier {self.mean_brier:.3f}"
        return (
            f"Calibration({len(self.resolved)} resolved, {len(self.unresolved)} unresolved{brier})"
        )

    @property
    def too_few(self) -> bool:
        """
        Whether some, but fewer than :data:`TRACK_RECORD`, assessments are resolved.

        .. versionadded:: 0.1
        """
        return 0 < len(self.resolved) < TRACK_RECORD

    @property
    def never_wrong(self) -> bool:
        """
        Whether some assessments are resolved and every leader was the outcome.

        Cases whose leaders are all right cannot show overconfidence, and
        when they are few the likeliest reason is that they were chosen, or
        written, knowing how they ended.

        .. versionadded:: 0.1
        """
        return bool(self.resolved) and all(r.leader_correct for r in self.resolved)

    def to_json(self) -> dict[str, object]:
        """The calibration as JSON-ready data (plain floats, ints, strings and ``None``)."""
        return {
            "resolved": [record.to_json() for record in self.resolved],
            "unresolved": list(self.unresolved),
            "count": len(self.resolved),
            "mean_brier": self.mean_brier,
            "mean_leader_brier": self.mean_leader_brier,
            "mean_log_score": self.mean_log_score,
            "leader_accuracy": self.leader_accuracy,
            "bins": len(self.reliability.count),
            "decomposition": (
                None if self.decomposition is None else attrs.asdict(self.decomposition)
            ),
            "reliability": self.reliability.to_json(),
        }


def _resolve(assessment: Assessment) -> ResolvedScore:
    outcome = assessment.outcome
    assert outcome is not None  # noqa: S101 -- calibrate passes resolved assessments only
    scores = score(assessment)
    ids = [h.id for h in scores.hypotheses]
    posteriors = np.array([h.posterior for h in scores.hypotheses], dtype=np.float64)
    truth = ids.index(outcome.hypothesis)
    leader = scores.ranking[0]
    correct = leader.id == outcome.hypothesis
    return ResolvedScore(
        assessment=assessment.id,
        as_of=assessment.as_of,
        outcome=outcome.hypothesis,
        outcome_posterior=float(posteriors[truth]),
        leader=leader.id,
        leader_posterior=float(leader.posterior),
        leader_correct=correct,
        brier=brier(posteriors, truth),
        leader_brier=binary_brier(leader.posterior, correct),
        log_score=log_score(float(posteriors[truth])),
        posteriors=tuple(zip(ids, posteriors.tolist(), strict=True)),
    )


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def calibrate(assessments: Iterable[Assessment], *, bins: int = BINS) -> Calibration:
    """
    Score resolved assessments against their outcomes.

    Each assessment with an ``outcome`` is scored (:func:`assess.score`) and
    its posteriors are compared with the outcome; assessments without one are
    listed as unresolved and otherwise skipped.  For the decomposition and
    the reliability table every hypothesis's posterior is a binary forecast
    of whether that hypothesis is the outcome, so n assessments of k
    hypotheses give n x k forecasts.

    Args:
        assessments: The assessments, resolved or not, in any order.
        bins: How many equal-width bins divide [0, 1] for the decomposition
            and the table.

    Returns:
        The per-assessment scores, their means, the decomposition and the table.

    Raises:
        ValueError: When ``bins`` is less than 1.

    .. versionadded:: 0.1
    """
    if bins < 1:
        raise ValueError(f"the number of bins must be at least 1, got {bins}")
    resolved: list[Assessment] = []
    unresolved: list[str] = []
    for assessment in assessments:
        if assessment.outcome is None:
            unresolved.append(assessment.id)
        else:
            resolved.append(assessment)
    # Sorting first makes every sum, and so every figure, independent of input order.
    records = sorted((_resolve(a) for a in resolved), key=_order)
    forecasts = [p for r in records for _, p in r.posteriors]
    occurred = [h == r.outcome for r in records for h, _ in r.posteriors]
    f = np.array(forecasts, dtype=np.float64)
    o = np.array(occurred, dtype=np.bool_)
    return Calibration(
        resolved=tuple(records),
        unresolved=tuple(sorted(unresolved)),
        mean_brier=_mean([r.brier for r in records]),
        mean_leader_brier=_mean([r.leader_brier for r in records]),
        mean_log_score=_mean([r.log_score for r in records]),
        leader_accuracy=_mean([float(r.leader_correct) for r in records]),
        decomposition=decompose(f, o, bins=bins) if records else None,
        reliability=reliability_table(f, o, bins=bins),
    )


def _order(record: ResolvedScore) -> tuple[str, str, str, tuple[tuple[str, float], ...], str]:
    """Sort key: the id, then everything the record is made from, so equal ids sort one way."""
    as_of = "" if record.as_of is None else record.as_of.isoformat()
    return (record.assessment, as_of, record.outcome, record.posteriors, record.leader)
