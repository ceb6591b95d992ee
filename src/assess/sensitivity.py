"""
How much the conclusion depends on the evidence: linchpins and Monte Carlo.

:func:`linchpins` removes each dependency cluster in turn and asks whether the
leader changes.  :func:`monte_carlo` perturbs every rating and grade at once,
many times, and counts how often each hypothesis leads.  Both work on the
arrays of :class:`~assess.scoring.Matrix`; the draws are vectorised in chunks,
not a loop of re-scorings, and come from seeded generators so that the same
seed gives the same numbers on any machine with the same numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.model import Rating
from assess.scoring import (
    CODES,
    CREDIBILITY_VALUES,
    POINTS,
    RELIABILITY_VALUES,
    TIE_DECIMALS,
    Matrix,
    Scores,
    pooled,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["ClusterContribution", "Linchpin", "Sensitivity", "linchpins", "monte_carlo"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

_NA: Final = CODES[Rating.NA]
#: Rated codes in order along the scale II < I < N < C < CC (here CC first).
_SCALE: Final = np.array([0, 1, 2, 4, 5], dtype=np.int8)  # position -> code
_POSITION: Final = np.array([0, 1, 2, -1, 3, 4], dtype=np.int8)  # code -> position (NA: -1)
_GRADE_VALUES: Final = np.array(list(RELIABILITY_VALUES.values()))  # A..F
_CREDIBILITY: Final = np.array(list(CREDIBILITY_VALUES.values()))  # 1..6
_STEPPED_GRADES: Final = 5  # A-E and 1-5 move; F and 6 ("cannot be judged") stay
#: Random numbers per chunk of draws (cells x draws): bounds working memory.
CHUNK_CELLS: Final = 1 << 21
PERCENTILES: Final = (5.0, 50.0, 95.0)


def leaders(posterior: Floats, weighted: Floats) -> Ints:
    """
    The leader of each row of posteriors: rank 1 by the scoring rule.

    Highest posterior (to 12 decimals), then lowest weighted inconsistency
    (to 12 decimals), then the first declared.
    """
    best = np.round(posterior, TIE_DECIMALS)
    tied = best == best.max(axis=-1, keepdims=True)
    tiebreak = np.where(tied, np.round(weighted, TIE_DECIMALS), np.inf)
    chosen: Ints = np.argmin(tiebreak, axis=-1)
    return chosen


def _posteriors(log_prior: Floats, log_likelihood: Floats) -> Floats:
    log_posterior = log_prior + log_likelihood
    log_posterior -= log_posterior.max(axis=-1, keepdims=True)
    posterior: Floats = np.exp(log_posterior)
    posterior /= posterior.sum(axis=-1, keepdims=True)
    return posterior


# --------------------------------------------------------------------------- linchpins


@attrs.frozen
class ClusterContribution:
    """A dependency cluster's share of the log-likelihood and weighted inconsistency."""

    cluster: str
    members: tuple[str, ...]
    log_likelihood: tuple[float, ...]
    weighted_inconsistency: tuple[float, ...]
    best_quality: float


@attrs.frozen
class Linchpin:
    """
    What removing one dependency cluster does to the conclusion.

    .. versionadded:: 0.1
    """

    cluster: str
    members: tuple[str, ...]
    leader_changes: bool
    new_leader: str
    leader_posterior_change: float


def _row_log_ell(matrix: Matrix, scores: Scores, rows: Ints) -> tuple[Floats, Floats]:
    """Per-cell ln(l)/k and weighted points of the given rows (team cells pooled)."""
    arrays = scores.arrays
    q = arrays.quality[rows]
    k = arrays.cluster_size[rows]
    codes = matrix.codes[rows]
    ell = q[:, None] * matrix.likelihoods[codes] + (1 - q[:, None]) * 0.5
    points = POINTS[codes].astype(np.float64)
    if matrix.team_rows.size:
        position = {int(r): i for i, r in enumerate(rows)}
        pool, team_points = pooled(
            arrays.quality[matrix.team_rows], matrix.team_codes, matrix.likelihoods
        )
        for t, (r, c) in enumerate(zip(matrix.team_rows, matrix.team_cols, strict=True)):
            i = position.get(int(r))
            if i is not None:
                ell[i, c] = pool[t]
                points[i, c] = team_points[t]
    log_ell: Floats = np.log(ell) / k[:, None]
    weighted: Floats = points * (arrays.weight[rows] / k)[:, None]
    return log_ell, weighted


def cluster_contributions(scores: Scores) -> Iterator[ClusterContribution]:
    """Each dependency cluster's contribution to every hypothesis, in cluster order."""
    matrix = scores.matrix
    if not matrix.evidence:
        return
    clusters = matrix.cluster
    columns = len(matrix.hypotheses)
    batch = max(1, (1 << 20) // max(columns, 1))  # clusters per batch: bounded memory
    for start in range(0, int(clusters.max()) + 1, batch):
        stop = start + batch
        rows = np.flatnonzero((clusters >= start) & (clusters < stop))
        log_ell, weighted = _row_log_ell(matrix, scores, rows)
        local = clusters[rows] - start
        count = min(batch, int(clusters.max()) + 1 - start)
        ll = np.zeros((count, columns))
        wi = np.zeros((count, columns))
        np.add.at(ll, local, log_ell)
        np.add.at(wi, local, weighted)
        quality = scores.arrays.quality[rows]
        for c in range(count):
            mine = rows[local == c]
            yield ClusterContribution(
                cluster=matrix.evidence[mine[0]],
                members=tuple(matrix.evidence[i] for i in mine),
                log_likelihood=tuple(ll[c].tolist()),
                weighted_inconsistency=tuple(wi[c].tolist()),
                best_quality=float(quality[local == c].max()),
            )


def linchpins(
    scores: Scores, contributions: tuple[ClusterContribution, ...] | None = None
) -> tuple[Linchpin, ...]:
    """
    Remove each dependency cluster in turn and re-score (leave one out).

    Args:
        scores: The scored assessment.
        contributions: Its clusters' contributions, when already computed.

    Returns:
        One record per cluster, in cluster order; ``leader_changes`` marks
        the linchpins.

    .. versionadded:: 0.1
    """
    matrix, arrays = scores.matrix, scores.arrays
    parts = tuple(cluster_contributions(scores)) if contributions is None else contributions
    if not parts:
        return ()
    leader = int(np.argmin(arrays.rank))
    log_likelihood = arrays.log_likelihood[None, :] - np.array([p.log_likelihood for p in parts])
    weighted = arrays.weighted_inconsistency[None, :] - np.array(
        [p.weighted_inconsistency for p in parts]
    )
    posterior = _posteriors(np.log(matrix.priors)[None, :], log_likelihood)
    new = leaders(posterior, weighted)
    return tuple(
        Linchpin(
            cluster=part.cluster,
            members=part.members,
            leader_changes=bool(new[i] != leader),
            new_leader=matrix.hypotheses[int(new[i])],
            leader_posterior_change=float(posterior[i, leader] - arrays.posterior[leader]),
        )
        for i, part in enumerate(parts)
    )


# --------------------------------------------------------------------------- Monte Carlo


@attrs.frozen(eq=False)
class Sensitivity:
    """
    Monte Carlo sensitivity of the ranking.

    ``stability[h]`` is the share of draws in which hypothesis ``h`` leads;
    ``percentiles[h]`` are the 5th, 50th and 95th percentiles of its
    posterior over the draws.

    .. versionadded:: 0.1
    """

    hypotheses: tuple[str, ...]
    draws: int
    seed: int
    perturbation: float
    stability: tuple[float, ...]
    percentiles: tuple[tuple[float, float, float], ...]

    def of(self, hypothesis: str) -> tuple[float, tuple[float, float, float]]:
        """The stability share and percentile band of one hypothesis."""
        j = self.hypotheses.index(hypothesis)
        return self.stability[j], self.percentiles[j]

    def to_json(self) -> dict[str, object]:
        """JSON-ready data, hypotheses in declaration order."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "perturbation": self.perturbation,
            "hypotheses": [
                {
                    "id": h,
                    "stability": self.stability[j],
                    "p05": self.percentiles[j][0],
                    "p50": self.percentiles[j][1],
                    "p95": self.percentiles[j][2],
                }
                for j, h in enumerate(self.hypotheses)
            ],
        }


def _step(
    position: npt.NDArray[np.int8], uniform: npt.NDArray[np.float32], half: float, top: int
) -> npt.NDArray[np.int8]:
    """Move each position one step down or up with probability ``half`` each; clip at the ends."""
    moved = position - (uniform < half).astype(np.int8) + (uniform >= 1.0 - half).astype(np.int8)
    return np.clip(moved, 0, top).astype(np.int8)


def monte_carlo(
    scores: Scores,
    *,
    draws: int = 10_000,
    seed: int = 0,
    perturbation: float = 0.2,
) -> Sensitivity:
    """
    Perturb every rating and grade at once, ``draws`` times, and re-score.

    In each draw every rated cell moves one step along II < I < N < C < CC
    with probability ``perturbation / 2`` each way (a step past either end
    stays put; NA stays NA), and each item's reliability (A-E) and
    credibility (1-5) move one grade likewise (F and 6 stay).  Analysts'
    ratings in a team cell move each on its own.

    Args:
        scores: The scored assessment.
        draws: How many perturbed assessments to score.
        seed: Seed of the random generators.
        perturbation: The probability p that a rating or grade moves.

    Returns:
        Stability shares and posterior percentiles per hypothesis.

    .. versionadded:: 0.1
    """
    matrix, arrays = scores.matrix, scores.arrays
    rows, columns = matrix.codes.shape
    half = perturbation / 2
    # One generator per kind of perturbation: each stream is consumed in the
    # same order however the draws are chunked, so chunking changes nothing.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    cell_rng, reliability_rng, credibility_rng, team_rng = streams

    # Cells move in "position" space, CC 0 ... II 4; NA sits at 7 and never
    # moves.  A moved position p (-1 ... 5, or 7) looks up column p + 1 of
    # per-item tables of ln(l)/k and weighted points for every grade pair,
    # whose columns for -1 and 5 repeat CC and II: a step past an end stays put.
    # Arrays are laid out draws x hypotheses x items, so that the sums over
    # items run along contiguous memory.
    position = np.where(matrix.codes == _NA, 7, _POSITION[matrix.codes]).astype(np.int8).T
    rated = (position != 7).astype(np.int8)
    log_prior = np.log(matrix.priors)
    quality_table = _GRADE_VALUES[:, None] * _CREDIBILITY[None, :]  # 6 x 6
    code_of = np.array([0, 0, 1, 2, 4, 5, 5, _NA, _NA], dtype=np.int64)  # p + 1 -> code
    ell = (
        quality_table[:, :, None] * matrix.likelihoods[code_of]
        + (1 - quality_table[:, :, None]) * 0.5
    )  # 6 x 6 x 9
    inverse_k = 1.0 / arrays.cluster_size
    relevance_per_copy = matrix.relevance / arrays.cluster_size
    log_lookup = (np.log(ell)[None] * inverse_k[:, None, None, None]).reshape(-1)
    points_lookup = (
        POINTS[code_of][None, None, None, :]
        * quality_table[None, :, :, None]
        * relevance_per_copy[:, None, None, None]
    ).reshape(-1)
    row_base = (np.arange(rows, dtype=np.int64) * 36)[None, :]
    team_position = np.where(
        matrix.team_codes >= 0, _POSITION[np.maximum(matrix.team_codes, 0)], -1
    )

    per_draw = max(1, rows * columns + matrix.team_codes.size)
    chunk = max(1, min(draws, CHUNK_CELLS // per_draw))
    posteriors = np.empty((draws, columns))
    leader_of = np.empty(draws, dtype=np.int64)
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        reliability = np.broadcast_to(matrix.reliability_grade, (size, rows))
        credibility = np.broadcast_to(matrix.credibility_grade, (size, rows))
        u_rel = reliability_rng.random((size, rows), dtype=np.float32)
        u_cred = credibility_rng.random((size, rows), dtype=np.float32)
        reliability = np.where(
            reliability < _STEPPED_GRADES,
            _step(reliability.astype(np.int8), u_rel, half, _STEPPED_GRADES - 1),
            reliability,
        )
        credibility = np.where(
            credibility < _STEPPED_GRADES,
            _step(credibility.astype(np.int8), u_cred, half, _STEPPED_GRADES - 1),
            credibility,
        )
        grade = (reliability * 6 + credibility).astype(np.int64)  # (size, rows)
        quality = quality_table.reshape(-1)[grade]

        u_cells = cell_rng.random((size, columns, rows), dtype=np.float32)
        step = (u_cells >= 1.0 - half).view(np.int8) - (u_cells < half).view(np.int8)
        moved = position + step * rated + 1  # 0 ... 8
        index = ((row_base + grade) * 9)[:, None, :] + moved  # intp: no conversion in take
        log_likelihood = np.take(log_lookup, index).sum(axis=-1)
        weighted = np.take(points_lookup, index).sum(axis=-1)

        if matrix.team_rows.size:
            u_team = team_rng.random((size, *matrix.team_codes.shape), dtype=np.float32)
            voted = team_position >= 0
            moved_votes = _step(np.maximum(team_position, 0), u_team, half, 4)
            votes = np.where(voted, _SCALE[moved_votes], -1).astype(np.int8)
            team_quality = quality[:, matrix.team_rows]
            pool, points = _pool_draws(team_quality, votes, matrix.likelihoods)
            as_na = team_quality * matrix.likelihoods[_NA] + (1 - team_quality) * 0.5
            k = arrays.cluster_size[matrix.team_rows]
            np.add.at(log_likelihood.T, matrix.team_cols, ((np.log(pool) - np.log(as_na)) / k).T)
            np.add.at(
                weighted.T,
                matrix.team_cols,
                (points * team_quality * relevance_per_copy[matrix.team_rows]).T,
            )
        posterior = _posteriors(log_prior[None, :], log_likelihood)
        posteriors[start : start + size] = posterior
        leader_of[start : start + size] = leaders(posterior, weighted)

    stability = np.bincount(leader_of, minlength=columns) / draws
    bands = percentiles(posteriors, PERCENTILES).T
    return Sensitivity(
        hypotheses=matrix.hypotheses,
        draws=draws,
        seed=seed,
        perturbation=perturbation,
        stability=tuple(stability.tolist()),
        percentiles=tuple((float(a), float(b), float(c)) for a, b, c in bands),
    )


def percentiles(samples: Floats, q: Sequence[float]) -> Floats:
    """
    The ``q`` percentiles of each column of ``samples``, as ``np.percentile(..., axis=0)``.

    The same linear interpolation between order statistics (Hyndman and Fan's
    method 7, numpy's default), computed the same way, so the values are
    equal bit for bit (tested); written out because ``np.percentile``
    imports ``numpy.ma`` on first use, a tenth of a cold report's start-up
    beyond its imports.  ``samples`` must hold no NaN.
    """
    n = samples.shape[0]
    ordered = np.sort(samples, axis=0)
    virtual = (n - 1) * (np.asarray(q, dtype=np.float64) / 100)
    below = np.floor(virtual)
    gamma = (virtual - below)[:, None]
    low = below.astype(np.intp)
    a, b = ordered[low], ordered[np.minimum(low + 1, n - 1)]
    difference = b - a
    result: Floats = a + difference * gamma
    np.subtract(b, difference * (1 - gamma), out=result, where=gamma >= 0.5)
    return result


def _pool_draws(
    quality: Floats, votes: npt.NDArray[np.int8], likelihoods: Floats
) -> tuple[Floats, Floats]:
    """:func:`~assess.scoring.pooled` over draws: (draws, cells, analysts) votes."""
    present = votes >= 0
    safe = np.where(present, votes, 2)
    count = present.sum(axis=-1)
    ell = quality[..., None] * likelihoods[safe] + (1 - quality[..., None]) * 0.5
    pool: Floats = np.where(present, ell, 0.0).sum(axis=-1) / count
    points: Floats = np.where(present, POINTS[safe], 0).sum(axis=-1) / count
    return pool, points
