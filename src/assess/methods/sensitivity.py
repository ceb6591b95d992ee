"""
How much the conclusion depends on the evidence: linchpins and Monte Carlo.

:func:`linchpins` removes each line of reporting in turn and asks whether the
leader changes.  :func:`monte_carlo` moves what analysts disagree about (the
ratings, the sources' grades, the priors and the likelihood table) many times
at once and counts how often each hypothesis (and each answer) leads, then
moves each of the four alone to say which the conclusion is most sensitive
to.  Both work on the arrays of :class:`~assess.methods.scoring.Matrix`; the draws
are vectorised in chunks, not a loop of re-scorings, and come from seeded
generators so that the same seed gives the same numbers on any machine with
the same numpy.  A chunk's memory does not depend on the number of draws;
what a whole run may cost is capped by :data:`BUDGET` (:func:`draw_work`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.methods.lines import design_effect, route_fidelity, share_no_relay
from assess.methods.scoring import (
    CODES,
    POINTS,
    TIE_DECIMALS,
    Matrix,
    Scores,
    line_log_likelihoods,
    pooled,
)
from assess.model import Rating

if TYPE_CHECKING:
    from collections.abc import Sequence


__all__ = [
    "BUDGET",
    "FACTORS",
    "ClusterContribution",
    "Linchpin",
    "LineContribution",
    "Sensitivity",
    "budget_draws",
    "cluster_contributions",
    "draw_work",
    "linchpins",
    "line_contributions",
    "matrix_monte_carlo",
    "monte_carlo",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Int8s = npt.NDArray[np.int8]

_NA: Final = CODES[Rating.NA]
#: Rated codes in order along the scale II < I < N < C < CC (here CC first).
_SCALE: Final = np.array([0, 1, 2, 4, 5], dtype=np.int8)  # position -> code
_POSITION: Final = np.array([0, 1, 2, -1, 3, 4], dtype=np.int8)  # code -> position (NA: -1)
_JUDGED: Final = 5  # grades A-E and 1-5 are judged; F and 6 ("cannot be judged") are not
#: A cell's lookup column is its moved position p (-1 ... 5, NA at 6) plus 1;
#: see :func:`_lookup`.
_LOOKUP: Final = 8
_COLUMNS: Final = np.array([0, 0, 1, 2, 3, 4, 4, 2], dtype=np.intp)  # lookup column -> position
_NA_POSITION: Final = 6
_POINTS8: Final = np.array([0, 0, 0, 0, 1, 2, 2, 0], dtype=np.float64)  # by lookup column
_POINTS5: Final = np.array([0, 0, 0, 1, 2], dtype=np.float64)  # by position CC ... II
#: Work per chunk of draws (:func:`draw_work` x draws): bounds working memory.
CHUNK_CELLS: Final = 1 << 19
BUDGET: Final = 250_000_000
"""
The most work one Monte Carlo may take: draws x :func:`draw_work`.

About 10 s on one core of the machine the benchmarks run on, and at most
200 MB of posteriors kept for the percentiles; 10,000 draws of 10
hypotheses x 200 items take a tenth of it.
"""
#: What each hypothesis costs a draw beyond its cells, in cells: its drawn
#: prior, its posterior, the ranking, and its posterior kept for the
#: percentiles (measured: 10 to 15 cells' time, 8 bytes kept).
HYPOTHESIS_WORK: Final = 16
PERCENTILES: Final = (5.0, 50.0, 95.0)
#: What the Monte Carlo moves, each on a stream of its own.
FACTORS: Final = ("ratings", "grades", "priors", "likelihoods")


def draw_work(hypotheses: int, items: int, sources: int = 0, votes: int = 0) -> int:
    """
    The work of one Monte Carlo draw, in cells re-scored.

    (hypotheses + 1) x (items + :data:`HYPOTHESIS_WORK`) + sources + votes:
    every cell of every item (an upper bound: only lines' roots are
    re-scored), each hypothesis's prior, posterior and rank, each source's
    grade and each analyst's rating in a team cell (``votes``).  The
    counts come from the assessment, so the budget can be checked before
    anything is scored.

    .. versionadded:: 0.1
    """
    return (hypotheses + 1) * (items + HYPOTHESIS_WORK) + sources + votes


def budget_draws(hypotheses: int, items: int, sources: int = 0, votes: int = 0) -> int:
    """
    The most draws whose work (:func:`draw_work`) fits in :data:`BUDGET`.

    .. versionadded:: 0.1
    """
    return BUDGET // draw_work(hypotheses, items, sources, votes)


def _matrix_work(matrix: Matrix) -> int:
    """:func:`draw_work` of a matrix: its rows are the items."""
    return draw_work(
        len(matrix.hypotheses),
        len(matrix.evidence),
        len(matrix.source_grade),
        int(matrix.team_codes.size),
    )


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


# --------------------------------------------------------------------------- lines


@attrs.frozen
class LineContribution:
    """
    What one line of reporting adds to each hypothesis.

    Attributes:
        line: The line's name: the id of its root (its original report).
        members: Its items, the root first.
        log_likelihood: Per hypothesis, its tempered ln l (the root's cells
            at the line's quality, NA cells filled with the row's mean):
            what it adds to the hypothesis's log-likelihood.
        weighted_inconsistency: Per hypothesis, what it adds to the weighted
            inconsistency (relevance x quality x tempering x points).
        quality: The line's quality (its originator's grades once, times its
            fidelity).
        tempering: Its tempering factor for shared sources.

    .. versionadded:: 0.1
    """

    line: str
    members: tuple[str, ...]
    log_likelihood: tuple[float, ...]
    weighted_inconsistency: tuple[float, ...]
    quality: float
    tempering: float

    @property
    def cluster(self) -> str:
        """The 0.1 name of :attr:`line`."""
        return self.line

    @property
    def best_quality(self) -> float:
        """The 0.1 name of :attr:`quality` (a line has one quality)."""
        return self.quality


ClusterContribution = LineContribution
"""The 0.1 name of :class:`LineContribution`."""


@attrs.frozen
class Linchpin:
    """
    What leaving one line of reporting out does to the conclusion.

    ``line`` names the line after its root; ``members`` are its items.
    ``leader_posterior_change`` is the change in the leader's posterior.

    .. versionadded:: 0.1
    """

    line: str
    members: tuple[str, ...]
    leader_changes: bool
    new_leader: str
    leader_posterior_change: float

    @property
    def cluster(self) -> str:
        """The 0.1 name of :attr:`line`."""
        return self.line


def _line_terms(scores: Scores) -> tuple[Floats, Floats, Floats]:
    """
    Each line's untempered ln l and weighted points per hypothesis, and its tempering.

    The weighted points are relevance x line quality x Heuer's points of the
    root's cells (the analysts' mean in a team cell), before tempering.
    """
    matrix = scores.matrix
    log_ell, factor = line_log_likelihoods(scores)
    roots = matrix.lines.root
    codes = matrix.codes[roots]
    points = np.where(codes == _NA, 0.0, POINTS[codes].astype(np.float64))
    if matrix.team_rows.size:
        line_of_root = np.full(len(matrix.evidence), -1, dtype=np.int64)
        line_of_root[roots] = np.arange(roots.size)
        _, team_points = pooled(
            matrix.row_quality[matrix.team_rows], matrix.team_codes, matrix.likelihoods
        )
        line = line_of_root[matrix.team_rows]
        on_root = line >= 0
        points[line[on_root], matrix.team_cols[on_root]] = team_points[on_root]
    weight = matrix.relevance[roots] * matrix.line_quality
    return log_ell, points * weight[:, None], factor


def line_contributions(scores: Scores) -> tuple[LineContribution, ...]:
    """
    Each line's contribution to every hypothesis, in the order of the lines.

    The contributions sum, over the lines, to each hypothesis's
    log-likelihood and weighted inconsistency.  The cost is linear in the
    number of lines.

    .. versionadded:: 0.1
    """
    matrix = scores.matrix
    log_ell, points, factor = _line_terms(scores)
    tempered = log_ell * factor[:, None]
    weighted = points * factor[:, None]
    return tuple(
        LineContribution(
            line=matrix.evidence[root],
            members=tuple(matrix.evidence[m] for m in members),
            log_likelihood=tuple(tempered[k].tolist()),
            weighted_inconsistency=tuple(weighted[k].tolist()),
            quality=float(matrix.line_quality[k]),
            tempering=float(factor[k]),
        )
        for k, (root, members) in enumerate(
            zip(matrix.lines.root.tolist(), matrix.lines.members, strict=True)
        )
    )


def cluster_contributions(scores: Scores) -> tuple[LineContribution, ...]:
    """
    The 0.1 name of :func:`line_contributions`.

    .. versionadded:: 0.1
    """
    return line_contributions(scores)


def _group_sums(values: Floats, group: Ints, groups: int) -> Floats:
    """Rows of ``values`` summed per group (a stable sort and ``np.add.reduceat``)."""
    out = np.zeros((groups, values.shape[1]), dtype=np.float64)
    if group.size == 0:
        return out
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    out[sorted_group[starts]] = np.add.reduceat(values[order], starts, axis=0)
    return out


def _leave_one_out(terms: Floats, matrix: Matrix) -> Floats:
    """
    Per line, the change in the tempered sum over lines when that line is left out.

    The other lines are re-tempered as if the line had never been reported:
    its source then has one line fewer, and when it was the source's only
    line, its party has one source fewer.  With ``S_s`` the sum of source s's
    untempered terms, ``d(n)`` the source design effect and ``D(k)`` the
    party's, the total is sum_p D(k_p) sum_{s in p} d(n_s) S_s; removing line
    i of source s in party p changes only party p's term.  Linear in the
    number of lines.
    """
    lines = terms.shape[0]
    roots = matrix.lines.root
    origin = matrix.source[roots]
    party = matrix.party[roots]
    same_source, same_party = matrix.dependence
    n_sources = int(origin.max()) + 1
    n_parties = int(party.max()) + 1
    # Only diagnostic lines count in the design effects (methods.md, section 3);
    # the others add the same to every hypothesis, so only their own term goes.
    counted = matrix.counted
    per_source = np.bincount(origin[counted], minlength=n_sources)
    source_party = np.zeros(n_sources, dtype=np.int64)
    source_party[origin] = party
    has_lines = per_source > 0
    per_party = np.bincount(source_party[has_lines], minlength=n_parties)
    # Sources and parties without lines get a count of 1: their factors are never used.
    d = design_effect(np.maximum(per_source, 1), same_source)
    d_less = design_effect(np.maximum(per_source - 1, 1), same_source)
    big_d = design_effect(np.maximum(per_party, 1), same_party)
    big_d_less = design_effect(np.maximum(per_party - 1, 1), same_party)
    source_sum = _group_sums(terms[counted], origin[counted], n_sources)
    party_sum = _group_sums(source_sum * d[:, None], source_party, n_parties)
    s, p = origin, party
    shared = (per_source[s] > 1)[:, None]
    party_now = party_sum[p]
    # A source with other lines: its own term is re-tempered, the party's factor stays.
    kept = party_now - d[s, None] * source_sum[s] + d_less[s, None] * (source_sum[s] - terms)
    change_shared = big_d[p, None] * (kept - party_now)
    # A source's only line: the source leaves its party, whose factor is re-tempered.
    change_alone = big_d_less[p, None] * (party_now - terms) - big_d[p, None] * party_now
    change: Floats = np.where(shared, change_shared, change_alone)
    change[~counted] = -matrix.tempering[~counted, None] * terms[~counted]
    return change.reshape(lines, -1)


def linchpins(
    scores: Scores, contributions: Sequence[LineContribution] | None = None
) -> tuple[Linchpin, ...]:
    """
    Leave each line of reporting out in turn and re-score.

    Leaving a line out removes its root and the repeats that belong to no
    other line (a repeat that also rests on another original stays with that
    line, which is unchanged).  The other lines from its source, or its
    party, are re-tempered as if it had never been reported, so each record
    equals re-scoring the assessment without the line (tested).  Linear in
    the number of lines.

    Args:
        scores: The scored assessment.
        contributions: Accepted for 0.1 callers and not needed: the removal
            is computed from the arrays.

    Returns:
        One record per line, in the order of the lines; ``leader_changes``
        marks the linchpins.

    .. versionadded:: 0.1
    """
    del contributions
    matrix, arrays = scores.matrix, scores.arrays
    if matrix.lines.root.size == 0:
        return ()
    log_ell, points, _ = _line_terms(scores)
    leader = int(np.argmin(arrays.rank))
    log_likelihood = arrays.log_likelihood[None, :] + _leave_one_out(log_ell, matrix)
    weighted = arrays.weighted_inconsistency[None, :] + _leave_one_out(points, matrix)
    posterior = _posteriors(np.log(matrix.priors)[None, :], log_likelihood)
    new = leaders(posterior, weighted)
    return tuple(
        Linchpin(
            line=matrix.evidence[root],
            members=tuple(matrix.evidence[m] for m in members),
            leader_changes=bool(new[k] != leader),
            new_leader=matrix.hypotheses[int(new[k])],
            leader_posterior_change=float(posterior[k, leader] - arrays.posterior[leader]),
        )
        for k, (root, members) in enumerate(
            zip(matrix.lines.root.tolist(), matrix.lines.members, strict=True)
        )
    )


# --------------------------------------------------------------------------- Monte Carlo


@attrs.frozen(eq=False)
class Sensitivity:
    """
    Monte Carlo sensitivity of the ranking and of the answers.

    ``stability[h]`` is the share of draws in which hypothesis ``h`` leads
    and ``percentiles[h]`` the 5th, 50th and 95th percentiles of its
    posterior, with every factor moving.  ``factor_stability[f]`` is the
    share of draws in which ``leader`` (the hypothesis ranked first) still
    leads when only factor ``factors[f]`` moves.  When the hypotheses declare
    answers, ``answer_stability`` and ``answer_percentiles`` say the same of
    each answer's probability (the sum of its hypotheses' posteriors).

    .. versionadded:: 0.1
    """

    hypotheses: tuple[str, ...]
    draws: int
    seed: int
    perturbation: float
    stability: tuple[float, ...]
    percentiles: tuple[tuple[float, float, float], ...]
    concentration: float | None = None
    jitter: float = 0.0
    leader: str = ""
    factors: tuple[str, ...] = ()
    factor_stability: tuple[float, ...] = ()
    answers: tuple[str, ...] = ()
    answer_stability: tuple[float, ...] = ()
    answer_percentiles: tuple[tuple[float, float, float], ...] = ()

    def of(self, hypothesis: str) -> tuple[float, tuple[float, float, float]]:
        """The stability share and percentile band of one hypothesis."""
        j = self.hypotheses.index(hypothesis)
        return self.stability[j], self.percentiles[j]

    def of_answer(self, answer: str) -> tuple[float, tuple[float, float, float]]:
        """The stability share and percentile band of one answer's probability."""
        a = self.answers.index(answer)
        return self.answer_stability[a], self.answer_percentiles[a]

    def factor(self, name: str) -> float:
        """The leader's stability when only factor ``name`` (one of :data:`FACTORS`) moves."""
        return self.factor_stability[self.factors.index(name)]

    @property
    def most_sensitive(self) -> str | None:
        """
        The factor whose moving alone keeps the leader least often (the first of equals).

        None when there are no factors, or when no factor moved alone ever unseats
        the leader: then the conclusion is sensitive to none of them.
        """
        if not self.factors or float(np.min(self.factor_stability)) >= 1.0:
            return None
        return self.factors[int(np.argmin(self.factor_stability))]

    def to_json(self) -> dict[str, object]:
        """JSON-ready data, hypotheses and answers in declaration order."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "perturbation": self.perturbation,
            "concentration": self.concentration,
            "jitter": self.jitter,
            "leader": self.leader,
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
            "factors": [
                {"factor": f, "stability": s}
                for f, s in zip(self.factors, self.factor_stability, strict=True)
            ],
            "answers": [
                {
                    "answer": a,
                    "stability": self.answer_stability[k],
                    "p05": self.answer_percentiles[k][0],
                    "p50": self.answer_percentiles[k][1],
                    "p95": self.answer_percentiles[k][2],
                }
                for k, a in enumerate(self.answers)
            ],
        }


def _step(
    position: npt.NDArray[np.int8], uniform: npt.NDArray[np.float32], half: float, top: int
) -> npt.NDArray[np.int8]:
    """Move each position one step down or up with probability ``half`` each; clip at the ends."""
    moved = position - (uniform < half).astype(np.int8) + (uniform >= 1.0 - half).astype(np.int8)
    return np.clip(moved, 0, top).astype(np.int8)


def _grades(base: Ints, uniform: npt.NDArray[np.float32], half: float) -> Ints:
    """
    Drawn grades: A-E (1-5) step as :func:`_step`; F (6) is drawn evenly over A-E (1-5).

    One uniform number per grade serves both: ``floor(5 u)`` is even over
    the five judged grades.
    """
    judged = base < _JUDGED
    stepped = _step(
        np.broadcast_to(np.minimum(base, _JUDGED - 1).astype(np.int8), uniform.shape),
        uniform,
        half,
        _JUDGED - 1,
    ).astype(np.int64)
    unjudged = np.minimum((uniform * _JUDGED).astype(np.int64), _JUDGED - 1)
    drawn: Ints = np.where(judged, stepped, unjudged)
    return drawn


@attrs.frozen(eq=False)
class _Channels:
    """
    How each line's fidelity is rebuilt from its relays' grades in a draw.

    A line whose every route passes through some relay is ``relayed``; its
    fidelity moves with the relays' grades.  Those with one route (most) are
    a product over a padded table of relays (``single``, the padding a source
    of fidelity 1).  Those with several routes that share no relay
    (``disjoint``) combine their routes by Hooper's rule over a padded table
    of routes, as :func:`assess.methods.lines.route_fidelity` does, in the
    same order of operations (a padded route has fidelity 0 and adds
    nothing); the rest, routes that share a relay, are computed by that
    function line by line, exactly as scoring computes them.
    """

    relayed: Ints  # lines with a relay on every route (the others have fidelity 1)
    single: Ints  # relayed lines with one route
    single_relays: Ints  # their relays: lines x width, padded with the sentinel
    disjoint: Ints  # relayed lines with several routes, no relay on two of them
    disjoint_relays: Ints  # their routes' relays: lines x routes x width
    several: Ints  # relayed lines with routes that share a relay
    routes: tuple[tuple[frozenset[int], ...], ...]  # the routes of each line in ``several``


def _channels(matrix: Matrix) -> _Channels:
    """Which lines' fidelity moves in a draw, and the routes it is computed from."""
    passes = len(matrix.source_grade)  # the sentinel of fidelity 1 (see _drawn_quality)
    blocks = passes + 1  # the sentinel of fidelity 0
    routes_of = matrix.lines.routes
    relayed = [k for k, line in enumerate(routes_of) if all(line)]
    single = [k for k in relayed if len(routes_of[k]) == 1]
    disjoint = [k for k in relayed if len(routes_of[k]) > 1 and share_no_relay(routes_of[k])]
    combined = set(single) | set(disjoint)
    several = [k for k in relayed if k not in combined]
    chain_width = max((len(routes_of[k][0]) for k in single), default=0)
    table = np.full((len(single), chain_width), passes, dtype=np.int64)
    for row, k in enumerate(single):
        chain = sorted(routes_of[k][0])
        table[row, : len(chain)] = chain
    most_routes = max((len(routes_of[k]) for k in disjoint), default=0)
    route_width = max((len(route) for k in disjoint for route in routes_of[k]), default=0)
    routes = np.full((len(disjoint), most_routes, route_width), blocks, dtype=np.int64)
    for row, k in enumerate(disjoint):
        for slot, route in enumerate(routes_of[k]):
            chain = sorted(route)
            routes[row, slot] = passes
            routes[row, slot, : len(chain)] = chain
    return _Channels(
        relayed=np.array(relayed, dtype=np.intp),
        single=np.array(single, dtype=np.intp),
        single_relays=table,
        disjoint=np.array(disjoint, dtype=np.intp),
        disjoint_relays=routes,
        several=np.array(several, dtype=np.intp),
        routes=tuple(routes_of[k] for k in several),
    )


def _line_fidelity(plan: _Channels, fidelity: Floats, lines: int) -> Floats:
    """Each line's fidelity per draw, from each source's per draw (then the sentinels: 1, 0)."""
    line = np.ones((fidelity.shape[0], lines), dtype=np.float64)
    if plan.single.size and plan.single_relays.shape[1]:
        line[:, plan.single] = np.prod(fidelity[:, plan.single_relays], axis=-1)
    if plan.disjoint.size:
        # route_fidelity's sum in logs, one route slot at a time over every line.
        missed = np.zeros((fidelity.shape[0], plan.disjoint.size), dtype=np.float64)
        with np.errstate(divide="ignore"):
            for slot in range(plan.disjoint_relays.shape[1]):
                passing = np.prod(fidelity[:, plan.disjoint_relays[:, slot]], axis=-1)
                missed = missed + np.log1p(-passing)
        line[:, plan.disjoint] = -np.expm1(missed)
    for k, routes in zip(plan.several.tolist(), plan.routes, strict=True):
        line[:, k] = route_fidelity(routes, fidelity)
    return line


@attrs.frozen(eq=False)
class _Plan:
    """What every draw needs, built once from the scores."""

    matrix: Matrix
    channels: _Channels
    position: Int8s  # hypotheses x lines: CC 0 ... II 4; NA (and team cells) 6
    # The two below are in C order, as the drawn steps are: added to a
    # transposed (Fortran-order) array, each draw's steps cost 20 times more.
    movable: Int8s  # 1 where a cell moves
    unmoved: Int8s  # position + 1: each cell's lookup column when it stays
    counted: Floats  # hypotheses x lines: 1 for a rated or team cell
    na_lines: Ints  # lines with an NA cell
    na_mask: Floats  # hypotheses x those lines: 1 for an NA cell
    tempering: Floats
    weight: Floats  # relevance x tempering per line (x quality in each draw)
    origin: Ints
    credibility: Ints
    team_line: Ints
    team_col: Ints
    team_position: Int8s  # team cells x analysts, -1 for none
    answer_of: Ints  # each hypothesis's answer number (empty without answers)
    answers: tuple[str, ...]


def _plan(matrix: Matrix) -> _Plan:
    roots = matrix.lines.root
    codes = matrix.codes[roots].T  # hypotheses x lines
    position = np.where(codes == _NA, _NA_POSITION, _POSITION[codes]).astype(np.int8)
    counted = (codes != _NA).astype(np.float64)
    team_line = np.zeros(0, dtype=np.int64)
    team_col = np.zeros(0, dtype=np.int64)
    team_position = np.zeros((0, len(matrix.analysts)), dtype=np.int8)
    if matrix.team_rows.size:
        line_of_root = np.full(len(matrix.evidence), -1, dtype=np.int64)
        line_of_root[roots] = np.arange(roots.size)
        line = line_of_root[matrix.team_rows]
        on_root = line >= 0
        team_line, team_col = line[on_root], matrix.team_cols[on_root]
        votes = matrix.team_codes[on_root]
        team_position = np.where(votes >= 0, _POSITION[np.maximum(votes, 0)], -1).astype(np.int8)
        counted[team_col, team_line] = 1.0
    na = ((codes == _NA) & (counted == 0)).astype(np.float64)  # NA, not a team cell
    na_lines = np.flatnonzero(na.any(axis=0))
    groups: dict[str, int] = {}
    answer_of = np.array(
        [groups.setdefault(a, len(groups)) for a in matrix.answers if a is not None],
        dtype=np.int64,
    )
    return _Plan(
        matrix=matrix,
        channels=_channels(matrix),
        position=position,
        movable=np.ascontiguousarray(position != _NA_POSITION, dtype=np.int8),
        unmoved=np.ascontiguousarray(position + 1, dtype=np.int8),
        counted=counted,
        na_lines=na_lines,
        na_mask=np.ascontiguousarray(na[:, na_lines]),
        tempering=matrix.tempering,
        weight=matrix.relevance[roots] * matrix.tempering,
        origin=matrix.source[roots],
        credibility=matrix.credibility_grade[roots],
        team_line=team_line,
        team_col=team_col,
        team_position=team_position,
        answer_of=answer_of,
        answers=tuple(groups),
    )


@attrs.frozen
class _Moves:
    """Which factors move in a run."""

    ratings: bool
    grades: bool
    priors: bool
    likelihoods: bool


@attrs.frozen
class _Settings:
    """How far each factor moves."""

    half: float  # half the perturbation: the chance of a step each way
    concentration: float | None  # of the drawn priors; None when the priors stay
    jitter: float  # of the likelihood table; 0 when it stays


def _streams(seed: int) -> dict[str, np.random.Generator]:
    """
    The seeded generators, one per kind of random number.

    Each factor has a stream of its own (``SeedSequence.spawn``), and so has
    each kind of number within a factor, so that every stream is consumed in
    the same order however the draws are chunked.  The one-factor runs use
    the very numbers of the full run, so each repeats exactly that factor's
    moves.
    """
    ratings, grades, priors, table = np.random.SeedSequence(seed).spawn(len(FACTORS))
    cells, team = ratings.spawn(2)
    sources, credibility = grades.spawn(2)
    gamma, uniform = priors.spawn(2)
    seeds = {
        "cells": cells,
        "team": team,
        "sources": sources,
        "credibility": credibility,
        "gamma": gamma,
        "uniform": uniform,
        "table": table,
    }
    return {name: np.random.default_rng(s) for name, s in seeds.items()}


def _cell_steps(rng: np.random.Generator, shape: tuple[int, int, int], half: float) -> Int8s:
    """
    Each cell's step, -1, 0 or +1, from 16 random bits per cell.

    A cell steps down when its bits are below ``round(half * 2**16)`` and up
    when they are at or above ``2**16`` minus that, so each step's
    probability is ``half`` rounded to a multiple of 2**-16.  A draw takes a
    whole number of the generator's 64-bit words, so chunking changes
    nothing; the words are read little-endian on every machine.
    """
    size, columns, lines = shape
    cells = columns * lines
    words = -(-cells // 4)
    raw = rng.bit_generator.random_raw(size * words)
    bits = raw.astype("<u8", copy=False).view("<u2").reshape(size, words * 4)[:, :cells]
    threshold = round(half * 65536)
    step: Int8s = (bits >= 65536 - threshold).view(np.int8) - (bits < threshold).view(np.int8)
    return step.reshape(shape)


@attrs.frozen(eq=False)
class _Draws:
    """One chunk's drawn values, shared by every run that moves them."""

    size: int
    quality: Floats
    pair: Ints  # each line's originator grade pair, 6 x reliability + credibility
    table: Floats | None
    prior: Floats | None
    log_prior: Floats | None
    moved: Int8s | None  # each cell's lookup column: position + step + 1
    team_position: Int8s | None


def _draw(
    plan: _Plan, settings: _Settings, streams: dict[str, np.random.Generator], size: int
) -> _Draws:
    columns, lines = plan.position.shape
    step = _cell_steps(streams["cells"], (size, columns, lines), settings.half)
    moved = step * plan.movable
    moved += plan.unmoved
    team = None
    if plan.team_position.size:
        u_team = streams["team"].random((size, *plan.team_position.shape), dtype=np.float32)
        team = _step(
            np.broadcast_to(np.maximum(plan.team_position, 0), u_team.shape),
            u_team,
            settings.half,
            4,
        )
    quality, pair = _drawn_quality(plan, streams, size, settings.half)
    table = None
    if settings.jitter:
        base = plan.matrix.likelihoods[list(_SCALE)]
        table = _drawn_table(base, streams["table"].random((size, 5)), settings.jitter)
    prior = log_prior = None
    if settings.concentration is not None:
        prior, log_prior = _drawn_priors(plan.matrix.priors, settings.concentration, streams, size)
    return _Draws(
        size=size,
        quality=quality,
        pair=pair,
        table=table,
        prior=prior,
        log_prior=log_prior,
        moved=moved,
        team_position=team,
    )


class _Engine:
    """Runs that share one chunk's draws, each moving its own factors."""

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        matrix = plan.matrix
        lines = plan.position.shape[1]
        self.table = matrix.likelihoods[list(_SCALE)][None, :]  # CC, C, N, I, II
        self.quality = matrix.line_quality[None, :]
        self.prior = matrix.priors[None, :]
        self.log_prior = np.log(matrix.priors)[None, :]
        # Absent indicators are held at their stated grades and detection: the
        # draws move the evidence, not what was looked for and not found.
        self.absence = matrix.absence_log_likelihood[None, :]
        self.counted_na = np.ascontiguousarray(plan.counted[:, plan.na_lines])
        self.mass = np.einsum("dh,hk->dk", self.prior, self.counted_na)
        self.line_base = (np.arange(lines, dtype=np.intp) * _LOOKUP)[None, None, :]
        self.fixed = (plan.position.astype(np.intp) + 1)[None]
        # A line whose channels pass through no relay has fidelity 1, so its
        # quality is one of the 36 originator grade pairs' (``grid``): its ln l
        # are looked up, not recomputed, in the draws that move the grades.
        self.grid = (
            matrix.reliability_values[:, None] * matrix.credibility_values[None, :]
        ).reshape(-1)
        # With the grades as scored, the lines' distinct qualities are the classes.
        self.classes, self.class_of = _distinct(matrix.line_quality)
        self.static = _lookup(self.quality, self.table, plan.tempering)
        self.static_cells = np.take(self.static.reshape(-1), self.line_base + self.fixed)
        self._sized: dict[int, tuple[Ints, Ints]] = {}
        self._tiled: dict[int, Floats] = {}

    def _lookup(self, draws: _Draws, grades: bool, table: Floats) -> Floats:
        """
        The lookup of a chunk whose grades or likelihood table move.

        When the grades move, each line's own quality is used directly if that
        costs less than the grid: when most lines have relays (they are
        computed directly either way), or when there are fewer lines than
        grade pairs and the table moves too.  Both give the same numbers
        (tested): a line without relays has exactly its pair's quality, times
        a fidelity of 1.
        """
        lines = draws.quality.shape[1]
        if grades and (
            2 * self.plan.channels.relayed.size >= lines
            or (table.shape[0] > 1 and lines <= self.grid.size)
        ):
            return self.direct(draws, table)
        return self.by_classes(draws, grades, table)

    def direct(self, draws: _Draws, table: Floats) -> Floats:
        """The lookup from each line's drawn quality."""
        lookup = _log_ell(draws.quality, table)
        lookup *= self.plan.tempering[None, :, None]
        return lookup

    def by_classes(self, draws: _Draws, grades: bool, table: Floats) -> Floats:
        """
        The lookup from a small table of classes of quality.

        Each line's untempered ln l come from the classes (the 36 grade pairs
        when the grades move, else the lines' distinct qualities), per draw
        when the table moves, gathered by row, then tempered; lines whose
        fidelity moves are computed directly.
        """
        size = draws.size
        relayed = self.plan.channels.relayed
        values, key = (self.grid, draws.pair) if grades else (self.classes, self.class_of[None])
        logs = _log_ell(values[None, :], table)  # 1 or draws x classes x 8
        if logs.shape[0] > 1:
            key = key + (np.arange(size, dtype=np.intp) * values.size)[:, None]
        # Every index here is in range by construction, so "clip" (which only
        # skips numpy's per-element bounds check) gives the same values, faster.
        lookup = np.take(
            logs.reshape(-1, _LOOKUP),
            np.broadcast_to(key, (size, key.shape[1])),
            axis=0,
            mode="clip",
        )
        if grades and relayed.size:
            lookup[:, relayed] = _log_ell(draws.quality[:, relayed], table)
        lookup *= self.plan.tempering[None, :, None]
        return lookup

    def offsets(self, size: int) -> tuple[Ints, Ints]:
        """Per-draw offsets into a chunk's lookup, and the fixed cells' indices with them."""
        if size not in self._sized:
            lines = self.plan.position.shape[1]
            offset = (
                self.line_base + (np.arange(size, dtype=np.intp) * (lines * _LOOKUP))[:, None, None]
            )
            self._sized[size] = (offset, np.ascontiguousarray(offset + self.fixed))
        return self._sized[size]

    def leaders(self, draws: _Draws, moves: _Moves, index: Ints | None) -> tuple[Ints, Floats]:
        """The leader and posteriors of each draw of the chunk, moving ``moves``."""
        plan = self.plan
        size = draws.size
        columns, lines = plan.position.shape
        # Whether a value was drawn is known from the moves, never from an
        # array's shape: a chunk of one draw has arrays of one row either way.
        quality = draws.quality if moves.grades else self.quality
        jittered = moves.likelihoods and draws.table is not None
        table = draws.table if jittered and draws.table is not None else self.table
        drawn_priors = moves.priors and draws.prior is not None and draws.log_prior is not None
        prior, log_prior = self.prior, self.log_prior
        if drawn_priors and draws.prior is not None and draws.log_prior is not None:
            prior, log_prior = draws.prior, draws.log_prior
        varies = moves.grades or jittered
        lookup = self._lookup(draws, moves.grades, table) if varies else self.static
        moved = draws.moved if moves.ratings else None
        if moved is not None and index is not None:
            if not varies:
                if size not in self._tiled:
                    self._tiled[size] = np.ascontiguousarray(
                        np.broadcast_to(self.static, (size, *self.static.shape[1:]))
                    )
                lookup = self._tiled[size]
            cells = np.take(lookup.reshape(-1), index, mode="clip")  # in range: see by_classes
        elif varies:
            cells = np.take(lookup.reshape(-1), self.offsets(size)[1], mode="clip")
        else:
            cells = self.static_cells  # 1 x hypotheses x lines
        log_likelihood = cells.sum(axis=-1)
        numerator = None
        if plan.na_lines.size:
            # Sums by np.einsum (its own loops, never BLAS): the same numbers in any chunk.
            numerator = np.einsum("dhk,dh->dk", cells, prior)
        team_points = None
        if plan.team_line.size:
            position = draws.team_position if moves.ratings else None
            values, team_points = _team_values(plan, position, size, quality, table)
            log_likelihood = log_likelihood + _scatter(values, plan.team_col, columns)
            if numerator is not None:
                numerator = numerator + _scatter(
                    values * prior[:, plan.team_col], plan.team_line, lines
                )
        if numerator is not None:
            mass = np.einsum("dh,hk->dk", prior, self.counted_na) if drawn_priors else self.mass
            mean = np.divide(
                numerator[:, plan.na_lines],
                mass,
                out=np.zeros(np.broadcast_shapes(numerator[:, :1].shape, mass.shape)),
                where=mass > 0,
            )
            log_likelihood = log_likelihood + np.einsum("dk,hk->dh", mean, plan.na_mask)
        if self.plan.matrix.absence is not None:
            log_likelihood = log_likelihood + self.absence
        posterior = np.broadcast_to(_posteriors(log_prior, log_likelihood), (size, columns))
        weighted = _tie_weights(
            plan,
            posterior,
            quality=quality,
            moved=moved,
            team_points=team_points,
            fixed=self.fixed,
        )
        return leaders(posterior, weighted), posterior


def _run(
    plan: _Plan, settings: _Settings, runs: Sequence[_Moves], draws: int, seed: int
) -> tuple[Ints, Floats]:
    """
    How often each hypothesis leads in each run, and every posterior of the first run.

    Arrays are laid out draws x hypotheses x lines, so that the sums over
    lines run along contiguous memory; every sum is a numpy reduction along
    a fixed axis (no BLAS), so a draw's numbers do not depend on the chunk
    it falls in.  A chunk holds about :data:`CHUNK_CELLS` of work, whatever
    the number of draws; the leaders are counted chunk by chunk, and only
    the first run's posteriors are kept (the percentiles need them all).
    """
    columns = plan.position.shape[0]
    streams = _streams(seed)
    engine = _Engine(plan)
    chunk = max(1, min(draws, CHUNK_CELLS // _matrix_work(plan.matrix)))
    posteriors = np.empty((draws, columns))
    counts = np.zeros((len(runs), columns), dtype=np.int64)
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        drawn = _draw(plan, settings, streams, size)
        index = None
        if drawn.moved is not None and any(m.ratings for m in runs):
            index = engine.offsets(size)[0] + drawn.moved
        for k, moves in enumerate(runs):
            chosen, posterior = engine.leaders(drawn, moves, index)
            counts[k] += np.bincount(chosen, minlength=columns)
            if k == 0:
                posteriors[start : start + size] = posterior
    return counts, posteriors


def _distinct(values: Floats) -> tuple[Floats, Ints]:
    """The distinct values, sorted, and each value's number among them (``np.unique``'s)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]] if values.size else np.zeros(0, dtype=bool)
    number = np.empty(values.size, dtype=np.intp)
    number[order] = np.cumsum(new) - 1
    return ordered[new], number


def _log_ell(quality: Floats, likelihood: Floats) -> Floats:
    """
    Per draw and quality, ln l in the eight lookup columns (untempered).

    Column c holds position c - 1 (CC 0 ... II 4); columns 0 and 6 repeat
    CC and II, so that a step past an end stays put, and column 7 holds 0
    for an NA cell, which adds nothing of its own.
    """
    # The five positions' logs, computed once each and then laid out in the
    # eight columns: columns 0 and 6 repeat 1 and 5, and column 7 is 0.
    distinct = quality[:, :, None] * (likelihood - 0.5)[:, None, :]
    distinct += 0.5  # q L + (1 - q) / 2, the cascade
    np.log(distinct, out=distinct)
    logs: Floats = np.take(distinct, _COLUMNS, axis=2)
    logs[:, :, 7] = 0.0
    return logs


def _lookup(quality: Floats, likelihood: Floats, tempering: Floats) -> Floats:
    """Per draw and line, tempering x ln l in the eight lookup columns (:func:`_log_ell`)."""
    lookup = _log_ell(quality, likelihood)
    lookup *= tempering[None, :, None]
    return lookup


def _drawn_quality(
    plan: _Plan, streams: dict[str, np.random.Generator], size: int, half: float
) -> tuple[Floats, Ints]:
    """Each line's quality in each draw, from its sources' drawn grades, and its grade pair."""
    matrix = plan.matrix
    sources = matrix.source_grade.size
    grade = _grades(
        matrix.source_grade, streams["sources"].random((size, sources), dtype=np.float32), half
    )
    credibility = _grades(
        plan.credibility,
        streams["credibility"].random((size, plan.credibility.size), dtype=np.float32),
        half,
    )
    fidelity = np.concatenate(
        [
            matrix.fidelity_table[grade],
            np.ones((size, 1), dtype=np.float64),
            np.zeros((size, 1), dtype=np.float64),
        ],
        axis=1,
    )
    originator = matrix.reliability_values[grade][:, plan.origin]
    quality: Floats = (
        originator
        * matrix.credibility_values[credibility]
        * _line_fidelity(plan.channels, fidelity, plan.origin.size)
    )
    return quality, grade[:, plan.origin] * 6 + credibility


def _drawn_table(table: Floats, uniform: Floats, jitter: float) -> Floats:
    """
    Jittered likelihood tables, one per draw, monotone.

    Each value L moves to L + jitter x u x min(L, 1 - L) with u even on
    [-1, 1): a relative move of at most ``jitter`` towards whichever of 0 and
    1 is nearer, so it stays inside (0, 1) (``scoring.likelihood_jitter`` is
    below 1) and a rating and its mirror (CC and II, C and I) move alike.
    The five values are then sorted, largest first, so the table never
    ranks a less favourable rating above a more favourable one.
    """
    room = np.minimum(table, 1.0 - table)[None, :]
    moved = table[None, :] + jitter * (2.0 * uniform - 1.0) * room
    ordered: Floats = -np.sort(-moved, axis=1)
    return ordered


def _drawn_priors(
    priors: Floats, concentration: float, streams: dict[str, np.random.Generator], size: int
) -> tuple[Floats, Floats]:
    """
    Priors drawn from a Dirichlet centred on them, with their logarithms.

    Dirichlet(c x prior) as normalised gammas.  Each gamma is drawn in log
    space as ln G(a + 1) + ln(U) / a, which has the law of ln G(a) for any
    a > 0 (Marsaglia and Tsang 2000) and does not underflow when c x prior
    is small.
    """
    shape = concentration * priors
    gamma = streams["gamma"].standard_gamma(shape + 1.0, size=(size, priors.size))
    uniform = streams["uniform"].random((size, priors.size))
    log_gamma = np.log(gamma) + np.log1p(-uniform) / shape
    top = log_gamma.max(axis=1, keepdims=True)
    log_prior = log_gamma - (top + np.log(np.exp(log_gamma - top).sum(axis=1, keepdims=True)))
    prior: Floats = np.exp(log_prior)
    return prior, log_prior


def _team_values(
    plan: _Plan, position: Int8s | None, size: int, quality: Floats, likelihood: Floats
) -> tuple[Floats, Floats]:
    """Each team cell's tempered ln of the pooled likelihood, and its points, per draw."""
    voted = plan.team_position >= 0
    if position is None:
        position = np.maximum(plan.team_position, 0)[None]
    rows = np.arange(likelihood.shape[0])[:, None, None] if likelihood.shape[0] > 1 else 0
    values = likelihood[rows, position]  # draws x cells x analysts
    q = quality[:, plan.team_line][:, :, None]
    ell = q * values + (1.0 - q) * 0.5
    count = voted.sum(axis=1)
    pool = np.where(voted, ell, 0.0).sum(axis=-1) / count
    points = np.where(voted, _POINTS5[position], 0.0).sum(axis=-1) / count
    tempered: Floats = np.log(pool) * plan.tempering[plan.team_line]
    shape = (size, plan.team_line.size)
    return np.broadcast_to(tempered, shape), np.broadcast_to(points, shape)


def _scatter(values: Floats, targets: Ints, width: int) -> Floats:
    """Per draw, ``values`` summed into ``width`` columns at ``targets``."""
    out = np.zeros((values.shape[0], width), dtype=np.float64)
    for k in range(targets.size):  # few team cells: a loop keeps the order of the sums fixed
        out[:, targets[k]] += values[:, k]
    return out


def _tie_weights(
    plan: _Plan,
    posterior: Floats,
    *,
    quality: Floats,
    moved: Int8s | None,
    team_points: Floats | None,
    fixed: Ints,
) -> Floats:
    """The weighted inconsistencies of the draws whose leaders tie (0 elsewhere)."""
    best = np.round(posterior, TIE_DECIMALS)
    tied = np.flatnonzero((best == best.max(axis=1, keepdims=True)).sum(axis=1) > 1)
    weighted = np.zeros(posterior.shape, dtype=np.float64)
    if tied.size == 0:
        return weighted
    rows = tied if quality.shape[0] > 1 else np.zeros(tied.size, dtype=np.intp)
    weight = quality[rows] * plan.weight[None, :]
    cells = fixed if moved is None else moved[tied]
    weighted[tied] = (_POINTS8[cells] * weight[:, None, :]).sum(axis=-1)
    if team_points is not None:
        extra = team_points[tied] * weight[:, plan.team_line]
        weighted[tied] += _scatter(extra, plan.team_col, posterior.shape[1])
    return weighted


def monte_carlo(
    scores: Scores,
    *,
    draws: int = 10_000,
    seed: int = 0,
    perturbation: float = 0.2,
    concentration: float | None = 50.0,
    jitter: float = 0.1,
    factors: bool = True,
) -> Sensitivity:
    """
    Move what analysts disagree about, ``draws`` times, and re-score.

    In each draw, at once:

    - **ratings**: every rated cell moves one step along II < I < N < C < CC
      with probability ``perturbation / 2`` each way (a step past either end
      stays put; NA stays NA); analysts' ratings in a team cell move each on
      its own;
    - **grades**: each *source's* reliability moves one grade likewise, once
      for all its items and for every channel it relays, and each line's
      root's credibility moves likewise; a source graded F, or an item
      graded 6, is drawn evenly over A-E (1-5), whatever the perturbation.
      Each line's quality is rebuilt from its originator's drawn grades and
      its routes' relays' drawn fidelities (``scoring.fidelity``), by
      :func:`assess.methods.lines.route_fidelity`, as scoring builds it;
    - **priors**: drawn from a Dirichlet centred on the priors with
      concentration ``concentration`` (``None`` keeps them);
    - **likelihoods**: the likelihood table is jittered by ``jitter`` and
      kept monotone (``_drawn_table``; 0 keeps it).

    Tempering stays as scored.  An NA cell takes its row's mean ln l over
    the rated cells weighted by the draw's own priors, as in scoring.  With
    ``factors``, four more runs move one factor each, on the same streams
    (so each repeats exactly that factor's moves of the full run), and give
    the leader's stability under each alone.

    Args:
        scores: The scored assessment.
        draws: How many perturbed assessments to score.
        seed: Seed of the random generators.
        perturbation: The probability p that a rating or grade moves.
        concentration: The Dirichlet concentration of the drawn priors
            (``scoring.prior_concentration``).
        jitter: How far the likelihood table moves (``scoring.likelihood_jitter``).
        factors: Whether to run the four one-factor runs too.

    Returns:
        Stability shares and posterior percentiles per hypothesis and answer,
        and the leader's stability per factor.

    Raises:
        ValueError: When ``draws`` x :func:`draw_work` exceeds :data:`BUDGET`
            (:func:`assess.analyse` refuses such settings first, at their place
            in the file).

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 Grades per source, F and 6 over the judged range,
       drawn priors and likelihood table, per-factor and per-answer figures.
    .. versionchanged:: 0.1 Refuses a run past :data:`BUDGET`.
    """
    matrix = scores.matrix
    most = BUDGET // _matrix_work(matrix)
    if draws > most:
        raise ValueError(
            f"{draws} draws exceed the Monte Carlo budget: at most {most} for"
            f" {len(matrix.hypotheses)} hypotheses x {len(matrix.evidence)} items"
        )
    return matrix_monte_carlo(
        matrix,
        int(np.argmin(scores.arrays.rank)),
        draws=draws,
        seed=seed,
        perturbation=perturbation,
        concentration=concentration,
        jitter=jitter,
        factors=factors,
    )


def matrix_monte_carlo(
    matrix: Matrix,
    leader: int,
    *,
    draws: int,
    seed: int,
    perturbation: float,
    concentration: float | None,
    jitter: float,
    factors: bool,
) -> Sensitivity:
    """
    :func:`monte_carlo` over a matrix whose leader is known, the budget not checked.

    For callers that build the matrix of a part of an assessment themselves
    (the date-by-date replay) and hold the work within :data:`BUDGET`.

    .. versionadded:: 0.1
    """
    plan = _plan(matrix)
    if concentration is not None and math.isinf(concentration):
        concentration = None
    settings = _Settings(half=perturbation / 2, concentration=concentration, jitter=jitter)
    runs = [_Moves(ratings=True, grades=True, priors=True, likelihoods=True)]
    if factors:
        runs += [
            _Moves(ratings=True, grades=False, priors=False, likelihoods=False),
            _Moves(ratings=False, grades=True, priors=False, likelihoods=False),
            _Moves(ratings=False, grades=False, priors=True, likelihoods=False),
            _Moves(ratings=False, grades=False, priors=False, likelihoods=True),
        ]
    counts, posteriors = _run(plan, settings, runs, draws, seed)
    columns = len(matrix.hypotheses)
    stability = counts[0] / draws
    alone = tuple(float(run[leader] / draws) for run in counts[1:])
    answer_stability: tuple[float, ...] = ()
    answer_bands: tuple[tuple[float, float, float], ...] = ()
    if plan.answers:
        sums = np.zeros((draws, len(plan.answers)))
        for j, a in enumerate(plan.answer_of.tolist()):
            sums[:, a] += posteriors[:, j]
        firsts = np.zeros(len(plan.answers), dtype=np.int64)
        step = max(1, CHUNK_CELLS // len(plan.answers))
        for start in range(0, draws, step):  # in blocks: no draws-sized temporaries
            rounded = np.round(sums[start : start + step], TIE_DECIMALS)
            first = np.argmax(rounded == rounded.max(axis=1, keepdims=True), axis=1)
            firsts += np.bincount(first, minlength=len(plan.answers))
        answer_stability = tuple((firsts / draws).tolist())
        answer_bands = tuple(
            (float(a), float(b), float(c))
            for a, b, c in percentiles(sums, PERCENTILES, overwrite=True).T
        )
    bands = percentiles(posteriors, PERCENTILES, overwrite=True).T
    return Sensitivity(
        hypotheses=matrix.hypotheses,
        draws=draws,
        seed=seed,
        perturbation=perturbation,
        stability=tuple(stability.tolist()),
        percentiles=tuple((float(a), float(b), float(c)) for a, b, c in bands),
        concentration=concentration,
        jitter=jitter,
        leader=matrix.hypotheses[leader] if columns else "",
        factors=FACTORS if factors else (),
        factor_stability=alone,
        answers=plan.answers,
        answer_stability=answer_stability,
        answer_percentiles=answer_bands,
    )


def percentiles(samples: Floats, q: Sequence[float], *, overwrite: bool = False) -> Floats:
    """
    The ``q`` percentiles of each column of ``samples``, as ``np.percentile(..., axis=0)``.

    The same linear interpolation between order statistics (Hyndman and Fan's
    method 7, numpy's default), computed the same way, so the values are
    equal bit for bit (tested); written out because ``np.percentile``
    imports ``numpy.ma`` on first use, a tenth of a cold report's start-up
    beyond its imports.  ``samples`` must hold no NaN.  With ``overwrite``
    the columns are sorted in place, so no copy of the samples is made.
    """
    n = samples.shape[0]
    if overwrite:
        samples.sort(axis=0)
        ordered = samples
    else:
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
