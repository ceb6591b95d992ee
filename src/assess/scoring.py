"""
Scoring: the ACH matrix, source quality, dependent reporting and posteriors.

An assessment becomes arrays once (:class:`Matrix`); pure functions over those
arrays compute every figure (:func:`score_matrix`); :func:`score` wraps both
and returns an immutable :class:`Scores`.  ``docs/methods.md`` states each
formula with its source, so every number can be checked by hand.

The work over the evidence x hypothesis matrix is vectorised and chunked: the
per-hypothesis sums are built from exact counts of each rating per column
within groups of items that share their coefficients, so they cost a few
passes over an ``int8`` matrix and no Python loop over cells.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.model import (
    AnalystRatings,
    Assessment,
    Credibility,
    Rating,
    Relevance,
    Reliability,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = [
    "CODES",
    "CREDIBILITY_VALUES",
    "POINTS",
    "RELEVANCE_FACTORS",
    "RELIABILITY_VALUES",
    "EvidenceScore",
    "HypothesisScore",
    "Matrix",
    "ScoreArrays",
    "ScoreWarning",
    "Scores",
    "clusters",
    "score",
    "score_matrix",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.int8]

#: Reliability grade -> value (issue contract; F, "cannot be judged", is even odds).
RELIABILITY_VALUES: Final = {
    Reliability.A: 1.0,
    Reliability.B: 0.75,
    Reliability.C: 0.5,
    Reliability.D: 0.25,
    Reliability.E: 0.0,
    Reliability.F: 0.5,
}
_GRADE_INDEX: Final = {grade: index for index, grade in enumerate(Reliability)}
#: Credibility grade -> value (6, "cannot be judged", is even odds).
CREDIBILITY_VALUES: Final = {
    Credibility.CONFIRMED: 1.0,
    Credibility.PROBABLY_TRUE: 0.75,
    Credibility.POSSIBLY_TRUE: 0.5,
    Credibility.DOUBTFUL: 0.25,
    Credibility.IMPROBABLE: 0.0,
    Credibility.CANNOT_BE_JUDGED: 0.5,
}
#: Relevance -> factor: PARC ACH's weights 1/sqrt(2), 1, sqrt(2).
RELEVANCE_FACTORS: Final = {
    Relevance.LOW: 1 / math.sqrt(2),
    Relevance.MEDIUM: 1.0,
    Relevance.HIGH: math.sqrt(2),
}

#: Matrix codes, ordered by likelihood: NA counts as N, so it sits next to N
#: and a row's most and least likely ratings are its smallest and largest codes.
CODES: Final = {Rating.CC: 0, Rating.C: 1, Rating.N: 2, Rating.NA: 3, Rating.I: 4, Rating.II: 5}
_RATING_OF_CODE: Final = {code: rating for rating, code in CODES.items()}
#: Heuer's inconsistency points by code: I 1, II 2, anything else 0.
POINTS: Final = np.array([0, 0, 0, 0, 1, 2], dtype=np.int64)
_COUNTED: Final = (0, 1, 4, 5)  # codes counted per column; N and NA are the remainder
_N: Final = 2
_NA: Final = 3

#: Cells per chunk of the matrix: a chunk of int8 codes stays in a core's cache.
CHUNK_CELLS: Final = 1 << 19
_INT16_MAX: Final = 32767  # per-chunk counts are summed in int16
TIE_DECIMALS: Final = 12
"""Posteriors (and weighted inconsistencies) equal to this many decimals are ties."""
NON_DIAGNOSTIC: Final = 1e-9
"""Diagnosticity (decibans) at or below which an item is reported as non-diagnostic."""


def _frozen_array(array: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
    array.flags.writeable = False
    return array


# --------------------------------------------------------------------------- arrays


def clusters(evidence_ids: Sequence[str], derived_from: Sequence[Sequence[str]]) -> Ints:
    """
    Dependency clusters: connected components of the ``derived_from`` links.

    Links are taken as undirected.  Clusters are numbered 0, 1, ... in the
    order of their first-declared member, so the number of an item's cluster
    never exceeds its own index.

    Args:
        evidence_ids: Item ids in declaration order.
        derived_from: For each item, the ids it derives from.

    Returns:
        The cluster number of each item.

    .. versionadded:: 0.1
    """
    index = {item: i for i, item in enumerate(evidence_ids)}
    parent = list(range(len(evidence_ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, parents in enumerate(derived_from):
        for other in parents:
            a, b = find(i), find(index[other])
            if a != b:  # the smaller index becomes the root: roots are first members
                parent[max(a, b)] = min(a, b)
    roots = [find(i) for i in range(len(evidence_ids))]
    number: dict[int, int] = {}
    return np.array([number.setdefault(r, len(number)) for r in roots], dtype=np.int64)


@attrs.frozen(eq=False)
class Matrix:
    """
    An assessment as arrays: what scoring needs, built once.

    Attributes:
        hypotheses: Hypothesis ids, in declaration order (the columns).
        evidence: Evidence ids, in declaration order (the rows).
        codes: ``int8`` ratings, rows x columns, coded by :data:`CODES`.
        reliability: Each item's source reliability value.
        credibility: Each item's credibility value.
        relevance: Each item's relevance factor.
        cluster: Each item's dependency cluster number (see :func:`clusters`).
        likelihoods: Likelihood of each code (NA as N).
        priors: The prior of each hypothesis.
        priors_given: Whether the assessment gave priors (else uniform).
        reliability_grade: Each item's source reliability as 0-5 (A-F).
        credibility_grade: Each item's credibility as 0-5 (1-6).
        analysts: The declared analysts (the columns of ``team_codes``).
        team_rows: The row of each cell rated by several analysts.
        team_cols: Its column.
        team_codes: Its analysts' codes, -1 where an analyst gave none;
            such cells hold NA in ``codes``.

    .. versionadded:: 0.1
    """

    hypotheses: tuple[str, ...]
    evidence: tuple[str, ...]
    codes: Codes
    reliability: Floats
    credibility: Floats
    relevance: Floats
    cluster: Ints
    likelihoods: Floats
    priors: Floats
    priors_given: bool
    reliability_grade: Ints
    credibility_grade: Ints
    analysts: tuple[str, ...] = ()
    team_rows: Ints = attrs.field(factory=lambda: np.zeros(0, np.int64))
    team_cols: Ints = attrs.field(factory=lambda: np.zeros(0, np.int64))
    team_codes: Codes = attrs.field(factory=lambda: np.zeros((0, 0), np.int8))

    @classmethod
    def from_assessment(cls, assessment: Assessment) -> Matrix:
        """Build the arrays of an assessment."""
        h_ids = tuple(h.id for h in assessment.hypotheses)
        column = {h: j for j, h in enumerate(h_ids)}
        items = assessment.evidence
        codes = np.full((len(items), len(h_ids)), CODES[Rating.NA], dtype=np.int8)
        analysts = assessment.analysts
        seat = {a: k for k, a in enumerate(analysts)}
        team: list[tuple[int, int, list[int]]] = []
        for i, item in enumerate(items):
            for hypothesis, cell in item.ratings.items():
                if isinstance(cell, AnalystRatings):
                    votes = [-1] * len(analysts)
                    for analyst, rating in cell.informative().items():
                        votes[seat[analyst]] = CODES[rating]
                    if any(v >= 0 for v in votes):
                        team.append((i, column[hypothesis], votes))
                else:
                    codes[i, column[hypothesis]] = CODES[cell]
        sources = {s.id: s for s in assessment.sources}
        table = assessment.scoring.likelihoods
        likelihoods = np.array(
            [table[_RATING_OF_CODE[c]] if c != _NA else table[Rating.N] for c in range(6)]
        )
        given = all(h.prior is not None for h in assessment.hypotheses)
        priors = (
            np.array([h.prior for h in assessment.hypotheses], dtype=np.float64)
            if given
            else np.full(len(h_ids), 1 / len(h_ids))
        )
        return cls(
            hypotheses=h_ids,
            evidence=tuple(e.id for e in items),
            codes=codes,
            reliability=np.array(
                [RELIABILITY_VALUES[sources[e.source].reliability] for e in items], dtype=np.float64
            ),
            credibility=np.array(
                [CREDIBILITY_VALUES[e.credibility] for e in items], dtype=np.float64
            ),
            relevance=np.array([RELEVANCE_FACTORS[e.relevance] for e in items], dtype=np.float64),
            cluster=clusters([e.id for e in items], [e.derived_from for e in items]),
            likelihoods=likelihoods,
            priors=priors,
            priors_given=given,
            reliability_grade=np.array(
                [_GRADE_INDEX[sources[e.source].reliability] for e in items], dtype=np.int64
            ),
            credibility_grade=np.array([int(e.credibility) - 1 for e in items], dtype=np.int64),
            analysts=analysts,
            team_rows=np.array([r for r, _, _ in team], dtype=np.int64),
            team_cols=np.array([c for _, c, _ in team], dtype=np.int64),
            team_codes=np.array([v for _, _, v in team], dtype=np.int8).reshape(
                len(team), len(analysts)
            ),
        )


# --------------------------------------------------------------------------- scoring


@attrs.frozen(eq=False)
class ScoreArrays:
    """
    Every figure of :func:`score_matrix`, as arrays.

    Per hypothesis (columns): ``inconsistency``, ``weighted_inconsistency``,
    ``log_likelihood``, ``posterior``, ``rank``.  Per item (rows):
    ``quality``, ``weight``, ``cluster_size``, ``diagnosticity``.

    .. versionadded:: 0.1
    """

    inconsistency: Floats
    weighted_inconsistency: Floats
    log_likelihood: Floats
    posterior: Floats
    rank: Ints
    quality: Floats
    weight: Floats
    cluster_size: Ints
    diagnosticity: Floats


def _row_chunks(rows: int, columns: int) -> Iterator[slice]:
    step = max(1, min(_INT16_MAX, CHUNK_CELLS // max(columns, 1)))
    for start in range(0, rows, step):
        yield slice(start, min(start + step, rows))


def _add_counts(counts: Ints, block: Codes) -> None:
    """Add, per column, how many cells of ``block`` hold each counted code."""
    # Comparisons give 0/1 bytes; summing them down the columns in int16 is
    # the fastest exact count numpy has (chunks stay under 32768 rows).
    for j, code in enumerate(_COUNTED):
        counts[j] += (block == code).view(np.int8).sum(axis=0, dtype=np.int16)


def _groups(*keys: npt.NDArray[np.generic]) -> Ints:
    """A group number per row: rows with equal values in every key share one."""
    combined = np.zeros(keys[0].shape, dtype=np.int64)
    for key in keys:
        # Number each key's distinct values, then combine the numbers in mixed
        # radix: far faster than finding unique rows of a float matrix.
        values, number = np.unique(key, return_inverse=True)
        combined = combined * values.size + number.reshape(-1)
    return np.unique(combined, return_inverse=True)[1].reshape(-1).astype(np.int64)


@attrs.frozen(eq=False)
class _Pass:
    """What one pass over the matrix yields."""

    inconsistency: Ints
    weighted: Floats
    log_likelihood: Floats
    lowest: Codes  # each row's smallest code (its most likely rating)
    highest: Codes  # each row's largest code (its least likely rating)


def _matrix_pass(
    codes: Codes,
    *,
    quality: Floats,
    cluster_size: Ints,
    log_ell: Floats,
    weight_per_copy: Floats,
) -> _Pass:
    """
    One pass over the matrix: the per-column sums and each row's extreme codes.

    An item's coefficients (its row of ``log_ell`` and its
    ``weight_per_copy``) depend only on its quality, cluster size and weight,
    so items equal in those form a group; within a group the sums are exact
    counts of each code per column times the group's coefficients.
    """
    rows, columns = codes.shape
    result = _Pass(
        inconsistency=np.zeros(columns, dtype=np.int64),
        weighted=np.zeros(columns, dtype=np.float64),
        log_likelihood=np.zeros(columns, dtype=np.float64),
        lowest=np.full(rows, _N, dtype=np.int8),
        highest=np.full(rows, _N, dtype=np.int8),
    )
    if rows == 0 or columns == 0:
        return result
    group = _groups(quality, cluster_size, weight_per_copy)
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    buffer = np.empty((min(rows, max(1, CHUNK_CELLS // columns)), columns), np.int8)
    for members in np.split(order, bounds):
        counts = np.zeros((len(_COUNTED), columns), dtype=np.int64)
        for part in _row_chunks(members.size, columns):
            chosen = members[part]
            if chosen[-1] - chosen[0] + 1 == chosen.size:  # contiguous rows: a view
                block = codes[chosen[0] : chosen[-1] + 1]
            else:
                block = np.take(codes, chosen, axis=0, out=buffer[: chosen.size])
            _add_counts(counts, block)
            # The rows are in cache now: take their extreme codes for diagnosticity.
            result.lowest[chosen] = block.min(axis=1)
            result.highest[chosen] = block.max(axis=1)
        first = members[0]
        coefficient = log_ell[first]
        rest = members.size - counts.sum(axis=0)  # cells rated N or NA
        points = counts[2] + 2 * counts[3]  # I and II
        result.inconsistency[:] += points
        result.weighted[:] += weight_per_copy[first] * points
        result.log_likelihood[:] += coefficient[list(_COUNTED)] @ counts + coefficient[_N] * rest
    return result


def _diagnosticity(passed: _Pass, quality: Floats, likelihoods: Floats) -> Floats:
    """10 * (max_h log10 l - min_h log10 l) per row, from each row's extreme codes."""
    # Likelihoods fall as codes rise, so the smallest code is the most likely.
    best = quality * likelihoods[passed.lowest] + (1 - quality) * 0.5
    worst = quality * likelihoods[passed.highest] + (1 - quality) * 0.5
    diagnosticity: Floats = 10 * (np.log10(best) - np.log10(worst))
    return diagnosticity


def _ranks(posterior: Floats, weighted: Floats) -> Ints:
    order = np.lexsort(
        (
            np.arange(posterior.size),
            np.round(weighted, TIE_DECIMALS),
            -np.round(posterior, TIE_DECIMALS),
        )
    )
    rank = np.empty(posterior.size, dtype=np.int64)
    rank[order] = np.arange(1, posterior.size + 1)
    return rank


def score_matrix(
    codes: Codes,
    *,
    reliability: Floats,
    credibility: Floats,
    relevance: Floats,
    cluster: Ints,
    likelihoods: Floats,
    priors: Floats,
    team_rows: Ints | None = None,
    team_cols: Ints | None = None,
    team_codes: Codes | None = None,
) -> ScoreArrays:
    """
    Score an evidence x hypothesis matrix (the contract in ``docs/methods.md``).

    Args:
        codes: ``int8`` ratings, items x hypotheses, coded by :data:`CODES`.
        reliability: Source reliability value of each item.
        credibility: Credibility value of each item.
        relevance: Relevance factor of each item.
        cluster: Dependency cluster number of each item.
        likelihoods: Likelihood of each code; must not increase with the code.
        priors: Prior of each hypothesis, summing to 1.
        team_rows: Rows of cells rated by several analysts (NA in ``codes``).
        team_cols: Their columns.
        team_codes: Their analysts' codes, one column per analyst, -1 for none.

    Returns:
        All figures as arrays.

    Raises:
        ValueError: When the arrays do not fit together.

    .. versionadded:: 0.1
    """
    rows, columns = codes.shape
    if codes.dtype != np.int8:
        raise ValueError(f"codes must be int8, got {codes.dtype}")
    for name, array in (("reliability", reliability), ("credibility", credibility)):
        if array.shape != (rows,):
            raise ValueError(f"{name} must have one value per row ({rows}), got {array.shape}")
    if relevance.shape != (rows,) or cluster.shape != (rows,):
        raise ValueError("relevance and cluster must have one value per row")
    if priors.shape != (columns,):
        raise ValueError(f"priors must have one value per column ({columns})")
    if likelihoods.shape != (6,) or np.any(np.diff(likelihoods) > 0):
        raise ValueError("likelihoods must hold 6 values that do not increase with the code")

    quality = reliability * credibility
    weight = relevance * quality
    cluster_size = np.bincount(cluster, minlength=1)[cluster] if rows else np.zeros(0, np.int64)
    weight_per_copy = weight / cluster_size if rows else weight
    # Schum's cascade: a report of quality q is a noisy witness of its rating.
    ell = quality[:, None] * likelihoods[None, :] + (1 - quality[:, None]) * 0.5
    log_ell = np.log(ell) / cluster_size[:, None]
    passed = _matrix_pass(
        codes,
        quality=quality,
        cluster_size=cluster_size,
        log_ell=log_ell,
        weight_per_copy=weight_per_copy,
    )
    inconsistency = passed.inconsistency.astype(np.float64)
    weighted = passed.weighted
    log_likelihood = passed.log_likelihood
    diagnosticity = _diagnosticity(passed, quality, likelihoods)
    if (
        team_rows is not None
        and team_cols is not None
        and team_codes is not None
        and team_rows.size
    ):
        _pool_teams(
            codes,
            quality=quality,
            cluster_size=cluster_size,
            weight_per_copy=weight_per_copy,
            likelihoods=likelihoods,
            team=(team_rows, team_cols, team_codes),
            into=(inconsistency, weighted, log_likelihood, diagnosticity),
        )
    # Normalise in log space: subtracting the largest term keeps exp() finite
    # however much evidence there is (the log-sum-exp trick).
    log_posterior = np.log(priors) + log_likelihood
    if columns:
        log_posterior -= log_posterior.max()
    posterior = np.exp(log_posterior)
    posterior /= posterior.sum()
    return ScoreArrays(
        inconsistency=inconsistency,
        weighted_inconsistency=weighted,
        log_likelihood=log_likelihood,
        posterior=posterior,
        rank=_ranks(posterior, weighted),
        quality=quality,
        weight=weight,
        cluster_size=cluster_size.astype(np.int64),
        diagnosticity=diagnosticity,
    )


def pooled(quality: Floats, team_codes: Codes, likelihoods: Floats) -> tuple[Floats, Floats]:
    """
    Each team cell's report-adjusted likelihood and points: the analysts' means.

    The likelihood is a linear opinion pool (the mean of the analysts'
    report-adjusted likelihoods); an analyst without a rating is left out.
    """
    present = team_codes >= 0
    safe = np.where(present, team_codes, _N)
    votes = present.sum(axis=1)
    ell = quality[:, None] * likelihoods[safe] + (1 - quality[:, None]) * 0.5
    pool: Floats = np.where(present, ell, 0.0).sum(axis=1) / votes
    points: Floats = np.where(present, POINTS[safe], 0).sum(axis=1) / votes
    return pool, points


def _pool_teams(
    codes: Codes,
    *,
    quality: Floats,
    cluster_size: Ints,
    weight_per_copy: Floats,
    likelihoods: Floats,
    team: tuple[Ints, Ints, Codes],
    into: tuple[Floats, Floats, Floats, Floats],
) -> None:
    """Replace the NA that team cells hold in ``codes`` by their analysts' pooled values."""
    rows, cols, team_codes = team
    inconsistency, weighted, log_likelihood, diagnosticity = into
    q = quality[rows]
    pool, points = pooled(q, team_codes, likelihoods)
    as_na = q * likelihoods[_NA] + (1 - q) * 0.5
    np.add.at(log_likelihood, cols, (np.log(pool) - np.log(as_na)) / cluster_size[rows])
    np.add.at(inconsistency, cols, points)
    np.add.at(weighted, cols, weight_per_copy[rows] * points)
    for row in np.flatnonzero(np.bincount(rows)):  # each row once (np.unique loads numpy.ma)
        # Few rows hold team cells: their diagnosticity is recomputed whole.
        ell = quality[row] * likelihoods[codes[row]] + (1 - quality[row]) * 0.5
        mine = rows == row
        ell[cols[mine]] = pool[mine]
        diagnosticity[row] = 10 * (np.log10(ell.max()) - np.log10(ell.min()))


# --------------------------------------------------------------------------- results


@attrs.frozen
class HypothesisScore:
    """
    The scores of one hypothesis.

    .. versionadded:: 0.1
    """

    id: str
    prior: float
    inconsistency: float  # Heuer's count; a fraction only where analysts' points are averaged
    weighted_inconsistency: float
    log_likelihood: float
    posterior: float
    rank: int


@attrs.frozen
class EvidenceScore:
    """
    The scores of one evidence item.

    .. versionadded:: 0.1
    """

    id: str
    quality: float
    weight: float
    cluster: str
    cluster_size: int
    diagnosticity: float


@attrs.frozen
class ScoreWarning:
    """
    Something a reader of the scores should know; ``code`` is stable for scripts.

    .. versionadded:: 0.1
    """

    code: str
    message: str
    subject: str | None = None


@attrs.frozen(eq=False)
class Scores:
    """
    The scored assessment: records for reading, arrays for scripts.

    ``hypotheses`` and ``evidence`` are in declaration order; ``matrix`` and
    ``arrays`` hold the same figures as read-only numpy arrays.

    .. versionadded:: 0.1
    """

    assessment: str
    digest: str
    priors_given: bool
    hypotheses: tuple[HypothesisScore, ...]
    evidence: tuple[EvidenceScore, ...]
    warnings: tuple[ScoreWarning, ...]
    matrix: Matrix
    arrays: ScoreArrays

    def hypothesis(self, hypothesis_id: str) -> HypothesisScore:
        """The scores of one hypothesis."""
        for record in self.hypotheses:
            if record.id == hypothesis_id:
                return record
        raise KeyError(f"no hypothesis with id {hypothesis_id!r}")

    def item(self, evidence_id: str) -> EvidenceScore:
        """The scores of one evidence item."""
        for record in self.evidence:
            if record.id == evidence_id:
                return record
        raise KeyError(f"no evidence item with id {evidence_id!r}")

    @property
    def ranking(self) -> tuple[HypothesisScore, ...]:
        """The hypotheses from rank 1 down."""
        return tuple(sorted(self.hypotheses, key=lambda h: h.rank))

    def _repr_markdown_(self) -> str:
        from assess.reporting import summary  # noqa: PLC0415 -- notebooks only

        return summary(self, title=self.assessment)

    def _repr_html_(self) -> str:
        from assess.reporting import summary  # noqa: PLC0415 -- notebooks only

        return summary(self, title=self.assessment, format="html")

    def to_json(self) -> dict[str, object]:
        """The scores as JSON-ready data, lists in declaration order."""
        return {
            "assessment": self.assessment,
            "digest": self.digest,
            "priors": "given" if self.priors_given else "uniform (none given)",
            "hypotheses": [attrs.asdict(h) for h in self.hypotheses],
            "evidence": [attrs.asdict(e) for e in self.evidence],
            "warnings": [attrs.asdict(w) for w in self.warnings],
        }


def _warnings(assessment: Assessment, matrix: Matrix, arrays: ScoreArrays) -> list[ScoreWarning]:
    found: list[ScoreWarning] = []
    if not matrix.priors_given:
        found.append(
            ScoreWarning(
                "uniform-priors", "no priors given: every hypothesis starts equally likely"
            )
        )
    bayes = int(np.argmin(arrays.rank))
    least = np.round(arrays.weighted_inconsistency, TIE_DECIMALS)
    ach = [matrix.hypotheses[j] for j in np.flatnonzero(least == least.min())]
    if matrix.hypotheses[bayes] not in ach:
        found.append(
            ScoreWarning(
                "ach-bayes-disagree",
                f"the ACH leader (least weighted inconsistency) is {' and '.join(ach)},"
                f" the Bayesian leader (highest posterior) is {matrix.hypotheses[bayes]}",
            )
        )
    rated = np.zeros(len(matrix.hypotheses), dtype=bool)
    if matrix.codes.size:
        rated |= (matrix.codes != _NA).any(axis=0)
    rated[matrix.team_cols] = True  # cells the analysts rated
    found.extend(
        ScoreWarning("unrated-hypothesis", f"no evidence is rated against {h}", h)
        for h, has in zip(matrix.hypotheses, rated, strict=True)
        if not has
    )
    found.extend(
        ScoreWarning("non-diagnostic", f"{e} cannot tell the hypotheses apart (0 decibans)", e)
        for e, d in zip(matrix.evidence, arrays.diagnosticity, strict=True)
        if d <= NON_DIAGNOSTIC
    )
    interested = {s.id: s.interested for s in assessment.sources}
    members: dict[int, list[int]] = {}
    for i, c in enumerate(matrix.cluster.tolist()):
        members.setdefault(c, []).append(i)
    for group in members.values():
        kinds = {interested[assessment.evidence[i].source] for i in group}
        if len(kinds) == 2:
            ids = ", ".join(matrix.evidence[i] for i in group)
            found.append(
                ScoreWarning(
                    "mixed-cluster",
                    f"cluster {matrix.evidence[group[0]]} ({ids}) mixes items from interested"
                    " and disinterested sources",
                    matrix.evidence[group[0]],
                )
            )
    return found


def _plain_number(value: float) -> float:
    """A whole-number count as an int (prints 3, not 3.0); fractions stay floats."""
    return int(value) if value.is_integer() else value


def score(assessment: Assessment) -> Scores:
    """
    Score an assessment: ACH inconsistency, weights, clusters, posteriors, diagnosticity.

    .. versionadded:: 0.1
    """
    from assess.canonical import digest  # noqa: PLC0415 -- cattrs only when scoring

    matrix = Matrix.from_assessment(assessment)
    arrays = score_matrix(
        matrix.codes,
        reliability=matrix.reliability,
        credibility=matrix.credibility,
        relevance=matrix.relevance,
        cluster=matrix.cluster,
        likelihoods=matrix.likelihoods,
        priors=matrix.priors,
        team_rows=matrix.team_rows,
        team_cols=matrix.team_cols,
        team_codes=matrix.team_codes,
    )
    for array in attrs.astuple(matrix, recurse=False) + attrs.astuple(arrays, recurse=False):
        if isinstance(array, np.ndarray):
            _frozen_array(array)
    first_of: dict[int, str] = {}
    for i, c in enumerate(matrix.cluster.tolist()):
        first_of.setdefault(c, matrix.evidence[i])
    hypotheses = tuple(
        HypothesisScore(
            id=h,
            prior=float(matrix.priors[j]),
            inconsistency=_plain_number(float(arrays.inconsistency[j])),
            weighted_inconsistency=float(arrays.weighted_inconsistency[j]),
            log_likelihood=float(arrays.log_likelihood[j]),
            posterior=float(arrays.posterior[j]),
            rank=int(arrays.rank[j]),
        )
        for j, h in enumerate(matrix.hypotheses)
    )
    evidence = tuple(
        EvidenceScore(
            id=e,
            quality=float(arrays.quality[i]),
            weight=float(arrays.weight[i]),
            cluster=first_of[int(matrix.cluster[i])],
            cluster_size=int(arrays.cluster_size[i]),
            diagnosticity=float(arrays.diagnosticity[i]),
        )
        for i, e in enumerate(matrix.evidence)
    )
    return Scores(
        assessment=assessment.id,
        digest=digest(assessment),
        priors_given=matrix.priors_given,
        hypotheses=hypotheses,
        evidence=evidence,
        warnings=tuple(_warnings(assessment, matrix, arrays)),
        matrix=matrix,
        arrays=arrays,
    )
