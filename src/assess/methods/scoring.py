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

import functools
import math
from collections import Counter
from itertools import chain, compress, pairwise
from operator import attrgetter, methodcaller, not_, truth
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import numpy as np
import numpy.typing as npt

from assess.methods.lines import Lines, build_lines, tempering
from assess.model.assessment import (
    DEFAULT_CREDIBILITY_VALUES,
    DEFAULT_RELIABILITY_VALUES,
    RATING_CODES,
    TEAM_CODE,
    AnalystRatings,
    Assessment,
    Credibility,
    IndicatorStatus,
    Rating,
    Relevance,
    Reliability,
    by_id,
    joined_codes,
    rated_in_order,
)
from assess.model.display import Displayed, view

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from assess.model.assessment import Ratings

__all__ = [
    "CODES",
    "CREDIBILITY_VALUES",
    "POINTS",
    "RELEVANCE_FACTORS",
    "RELIABILITY_VALUES",
    "SCORE_FORMAT",
    "AnswerScore",
    "EvidenceScore",
    "HypothesisScore",
    "LineScore",
    "Matrix",
    "ScoreArrays",
    "ScoreWarning",
    "Scores",
    "clusters",
    "default_priors",
    "line_log_likelihoods",
    "row_log_likelihoods",
    "score",
    "score_matrix",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.int8]

#: Reliability grade -> value: the defaults of ``scoring.reliability_values``.
#: F ("cannot be judged") weighs as D: unknown reliability is not moderate.
RELIABILITY_VALUES: Final = DEFAULT_RELIABILITY_VALUES
_GRADE_INDEX: Final = {grade: index for index, grade in enumerate(Reliability)}
#: Credibility grade -> value: the defaults of ``scoring.credibility_values`` (6 as 4).
CREDIBILITY_VALUES: Final = DEFAULT_CREDIBILITY_VALUES
#: Relevance -> factor: PARC ACH's weights 1/sqrt(2), 1, sqrt(2).
RELEVANCE_FACTORS: Final = {
    Relevance.LOW: 1 / math.sqrt(2),
    Relevance.MEDIUM: 1.0,
    Relevance.HIGH: math.sqrt(2),
}

#: Matrix codes, ordered by likelihood: NA counts as N, so it sits next to N
#: and a row's most and least likely ratings are its smallest and largest codes.
CODES: Final = RATING_CODES
_RATING_OF_CODE: Final = {code: rating for rating, code in CODES.items()}
#: Heuer's inconsistency points by code: I 1, II 2, anything else 0.
POINTS: Final = np.array([0, 0, 0, 0, 1, 2], dtype=np.int64)
_RATED: Final = (0, 1, 2, 4, 5)  # rated codes, most to least likely (NA, 3, is not rated)
_N: Final = 2
_NA: Final = 3

#: Cells per chunk of the matrix: a chunk of int8 codes stays in a core's cache.
CHUNK_CELLS: Final = 1 << 19
_INT16_MAX: Final = 32767  # per-chunk counts are summed in int16
TIE_DECIMALS: Final = 12
"""Posteriors (and weighted inconsistencies) equal to this many decimals are ties."""
SCORE_FORMAT: Final = "assess-score/2"
"""The version of ``assess score --format json``'s contract (``docs/cli.md``)."""
NON_DIAGNOSTIC: Final = 1e-9
"""Diagnosticity (decibans) at or below which an item is reported as non-diagnostic."""


def _frozen_array(array: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
    array.flags.writeable = False
    return array


# --------------------------------------------------------------------------- arrays


def clusters(evidence_ids: Sequence[str], derived_from: Sequence[Sequence[str]]) -> Ints:
    """
    Each item's first line of reporting (see :mod:`assess.methods.lines`), by number.

    Lines replace the first model's clusters: ``derived_from`` is directed,
    an item and everything that derives from it form a line, and lines are
    numbered in the order of their roots.  An item in several lines gets the
    first.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 Directed lines, not undirected clusters (evidence model 2).
    """
    index = {item: i for i, item in enumerate(evidence_ids)}
    parents = [[index[p] for p in links] for links in derived_from]
    return build_lines(
        parents, relays=[()] * len(parents), source=[0] * len(parents), fidelity=np.ones(1)
    ).first_line


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
        quality: Each item's own report quality: its grades' values times
            the fidelity of each of its relays.
        lines: The lines of reporting (:class:`~assess.methods.lines.Lines`).
        line_quality: Each line's quality: its root's grades once, times the
            line's fidelity.
        tempering: Each line's tempering factor for shared sources.
        counted: Which lines count in their source's and party's tempering:
            the diagnostic ones.
        cluster: Each item's first line (the 0.1 name, kept for scripts).
        likelihoods: Likelihood of each code (the NA entry is N's and unused:
            NA cells take the mean of the row's rated cells).
        priors: The prior of each hypothesis.
        priors_given: Whether the assessment gave priors.
        answers: Each hypothesis's answer, or ``None`` where none are declared.
        reliability_grade: Each item's source reliability as 0-5 (A-F).
        credibility_grade: Each item's credibility as 0-5 (1-6).
        source: Each item's source number (in the order of ``sources:``).
        party: Each item's source's party number (a source without a party
            is a party of its own).
        relays: For each item, the source numbers of its relays.
        source_grade: Each source's reliability as 0-5.
        fidelity_table: The fidelity of a relay of each grade A-F.
        reliability_values: The value of each reliability grade A-F.
        credibility_values: The value of each credibility grade 1-6.
        dependence: rho for one source and for one party.
        analysts: The declared analysts (the columns of ``team_codes``).
        team_rows: The row of each cell rated by several analysts.
        team_cols: Its column.
        team_codes: Its analysts' codes, -1 where an analyst gave none;
            such cells hold NA in ``codes``.
        absence: Per hypothesis, the log-likelihood of the absent
            indicators (:func:`assess.methods.indicators.absence_log_likelihood`).

    .. versionadded:: 0.1
    """

    hypotheses: tuple[str, ...]
    evidence: tuple[str, ...]
    codes: Codes
    reliability: Floats
    credibility: Floats
    relevance: Floats
    quality: Floats
    lines: Lines
    line_quality: Floats
    tempering: Floats
    counted: npt.NDArray[np.bool_]
    cluster: Ints
    likelihoods: Floats
    priors: Floats
    priors_given: bool
    answers: tuple[str | None, ...]
    reliability_grade: Ints
    credibility_grade: Ints
    source: Ints
    party: Ints
    relays: tuple[tuple[int, ...], ...]
    source_grade: Ints
    fidelity_table: Floats
    reliability_values: Floats
    credibility_values: Floats
    dependence: tuple[float, float]
    analysts: tuple[str, ...] = ()
    team_rows: Ints = attrs.field(factory=lambda: np.zeros(0, np.int64))
    team_cols: Ints = attrs.field(factory=lambda: np.zeros(0, np.int64))
    team_codes: Codes = attrs.field(factory=lambda: np.zeros((0, 0), np.int8))
    absence: Floats | None = None

    @property
    def absence_log_likelihood(self) -> Floats:
        """Per hypothesis: what the absent indicators add to the log-likelihood (0 without)."""
        if self.absence is None:
            return np.zeros(len(self.hypotheses), dtype=np.float64)
        return self.absence

    @property
    def row_quality(self) -> Floats:
        """Per row: its line's quality for a root, its own quality for a repeat."""
        quality = self.quality.copy()
        quality[self.lines.root] = self.line_quality
        return quality

    @property
    def row_tempering(self) -> Floats:
        """Per row: its line's tempering for a root, 0 for a repeat (its line counts once)."""
        factor = np.zeros(len(self.evidence), dtype=np.float64)
        factor[self.lines.root] = self.tempering
        return factor

    @classmethod
    def from_assessment(cls, assessment: Assessment) -> Matrix:
        """Build the arrays of an assessment."""
        h_ids = tuple(h.id for h in assessment.hypotheses)
        items = assessment.evidence
        codes, rows, cols = _coded_cells([e.ratings for e in items], h_ids)
        analysts = assessment.analysts
        seat = {a: k for k, a in enumerate(analysts)}
        team: list[tuple[int, int, list[int]]] = []
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            votes = [-1] * len(analysts)
            # Not a Rating (CODES did not know it): the analysts' ratings.
            cell = cast("AnalystRatings", items[row].ratings[h_ids[col]])
            for analyst, rating in cell.informative().items():
                votes[seat[analyst]] = CODES[rating]
            if any(v >= 0 for v in votes):
                team.append((row, col, votes))
        settings = assessment.scoring
        table = settings.likelihoods
        likelihoods = np.array(
            [table[_RATING_OF_CODE[c]] if c != _NA else table[Rating.N] for c in range(6)]
        )
        reliability_values = np.array([settings.reliability_values[g] for g in Reliability])
        credibility_values = np.array([settings.credibility_values[g] for g in Credibility])
        fidelity_table = np.array([settings.fidelity[g] for g in Reliability])
        number = {s.id: k for k, s in enumerate(assessment.sources)}
        party_number: dict[str, int] = {}
        for s in assessment.sources:
            party_number.setdefault(
                s.party if s.party is not None else f"\0{s.id}", len(party_number)
            )
        source_party = [
            party_number[s.party if s.party is not None else f"\0{s.id}"]
            for s in assessment.sources
        ]
        source_grade = np.array(
            [_GRADE_INDEX[s.reliability] for s in assessment.sources], dtype=np.int64
        )
        # Each field the per-item arrays need, read from every item in one C-level pass.
        ids, sources, grades, relevances, vias, carried, derived = (
            list(map(attrgetter(field), items)) for field in _ITEM_FIELDS
        )
        relays = _relays(vias, carried, sources, number, assessment)
        source = np.fromiter(map(number.__getitem__, sources), dtype=np.int64, count=len(items))
        reliability_grade = source_grade[source] if items else np.zeros(0, np.int64)
        credibility_grade = np.fromiter(map(int, grades), dtype=np.int64, count=len(items)) - 1
        own = relay_fidelity(relays, source_grade, fidelity_table)
        index = dict(zip(ids, range(len(ids)), strict=True)) if any(derived) else {}
        lines = build_lines(
            [[index[p] for p in links] if links else () for links in derived],
            relays=relays,
            source=source.tolist(),
            fidelity=fidelity_table[source_grade],
        )
        reliability = reliability_values[reliability_grade]
        credibility = credibility_values[credibility_grade]
        party = np.array(source_party, dtype=np.int64)[source]
        dependence = (settings.dependence.same_source, settings.dependence.same_party)
        line_quality = (reliability * credibility)[lines.root] * lines.fidelity
        counted = _diagnostic_lines(codes, lines.root, line_quality, team)
        answers = tuple(h.answer for h in assessment.hypotheses)
        absent = [i for i in assessment.indicators if i.status is IndicatorStatus.ABSENT]
        absence = None
        if absent:
            from assess.methods.indicators import absence_terms  # noqa: PLC0415 -- only when absent

            absence = absence_terms(absent, h_ids, settings).sum(axis=0)
        given = all(h.prior is not None for h in assessment.hypotheses)
        priors = (
            np.array([h.prior for h in assessment.hypotheses], dtype=np.float64)
            if given
            else default_priors(answers)
        )
        return cls(
            hypotheses=h_ids,
            evidence=tuple(ids),
            codes=codes,
            reliability=reliability,
            credibility=credibility,
            relevance=np.fromiter(
                map(RELEVANCE_FACTORS.__getitem__, relevances), dtype=np.float64, count=len(items)
            ),
            quality=reliability * credibility * own,
            lines=lines,
            line_quality=line_quality,
            tempering=tempering(
                source[lines.root],
                party[lines.root],
                same_source=dependence[0],
                same_party=dependence[1],
                diagnostic=counted,
            ),
            counted=counted,
            cluster=lines.first_line,
            likelihoods=likelihoods,
            priors=priors,
            priors_given=given,
            answers=answers,
            reliability_grade=reliability_grade,
            credibility_grade=credibility_grade,
            source=source,
            party=party,
            relays=tuple(relays),
            source_grade=source_grade,
            fidelity_table=fidelity_table,
            reliability_values=reliability_values,
            credibility_values=credibility_values,
            dependence=dependence,
            analysts=analysts,
            team_rows=np.array([r for r, _, _ in team], dtype=np.int64),
            team_cols=np.array([c for _, c, _ in team], dtype=np.int64),
            team_codes=np.array([v for _, _, v in team], dtype=np.int8).reshape(
                len(team), len(analysts)
            ),
            absence=absence,
        )


#: What :meth:`Matrix.from_assessment` reads of each item, a C-level pass per field.
_ITEM_FIELDS: Final = (
    "id",
    "source",
    "credibility",
    "relevance",
    "via",
    "document",
    "derived_from",
)


def _coded_cells(ratings: Sequence[Ratings], h_ids: tuple[str, ...]) -> tuple[Codes, Ints, Ints]:
    """
    The codes matrix of the items' ratings, and the rows and columns of the team cells.

    Each item's ratings were coded when they were built (:attr:`Ratings.codes`),
    so the matrix is their bytes joined, with no Python-level step per cell.
    Items that rate every hypothesis in the declared order (the usual case)
    fill their rows as they stand; the others' cells are placed by key.  A
    cell several analysts rated has no single code; it is left NA here and
    returned for pooling.
    """
    columns = len(h_ids)
    in_order = rated_in_order(ratings, h_ids)
    ordered = list(compress(range(len(ratings)), in_order))
    rows = np.frombuffer(joined_codes(map(ratings.__getitem__, ordered)), dtype=np.int8)
    rows = rows.reshape(len(ordered), columns)
    if len(ordered) == len(ratings):  # every row as it stands: one copy of the bytes
        return _team_cells(rows.copy())
    codes = np.full((len(ratings), columns), CODES[Rating.NA], dtype=np.int8)
    codes[ordered] = rows
    others = list(compress(range(len(ratings)), map(not_, in_order)))
    if others:
        rest = [ratings[k] for k in others]
        lengths = np.fromiter(map(len, rest), dtype=np.intp, count=len(rest))
        column = {h: j for j, h in enumerate(h_ids)}
        cols = np.fromiter(
            map(column.__getitem__, chain.from_iterable(map(methodcaller("keys"), rest))),
            dtype=np.intp,
            count=int(lengths.sum()),
        )
        codes[np.repeat(others, lengths), cols] = np.frombuffer(joined_codes(rest), dtype=np.int8)
    return _team_cells(codes)


def _team_cells(codes: Codes) -> tuple[Codes, Ints, Ints]:
    """The codes with the team cells set to NA, and those cells' rows and columns."""
    # A team cell's byte (TEAM_CODE) reads as -1 in int8.
    team_rows, team_cols = np.nonzero(codes == np.int8(TEAM_CODE - 256))
    codes[team_rows, team_cols] = CODES[Rating.NA]
    return codes, team_rows.astype(np.int64), team_cols.astype(np.int64)


def _relays(
    vias: Sequence[tuple[str, ...]],
    carried: Sequence[str | None],
    sources: Sequence[str],
    number: dict[str, int],
    assessment: Assessment,
) -> list[tuple[int, ...]]:
    """Each item's relays by source number: its ``via``, or else its document's outlet."""
    relays: list[tuple[int, ...]] = [()] * len(vias)
    documents = {d.id: d for d in assessment.documents}
    for i in compress(range(len(vias)), map(bool, vias)):
        relays[i] = tuple(map(number.__getitem__, vias[i]))
    for i in compress(range(len(vias)), map(truth, carried)):
        if not vias[i]:
            # Without `via`, the outlet that carried the document is the one relay.
            outlet = documents[cast("str", carried[i])].source
            if outlet is not None and outlet != sources[i]:
                relays[i] = (number[outlet],)
    return relays


_LOWEST_OF: Final = np.array([0, 1, 2, 127, 4, 5], dtype=np.int8)
_HIGHEST_OF: Final = np.array([0, 1, 2, -1, 4, 5], dtype=np.int8)


def _diagnostic_lines(
    codes: Codes, roots: Ints, line_quality: Floats, team: Sequence[tuple[int, int, list[int]]]
) -> npt.NDArray[np.bool_]:
    """
    Which lines can tell some hypotheses apart: two different rated cells and quality > 0.

    A team cell is rated by its analysts' ratings taken together (a multiset),
    so two team cells differ when their analysts' ratings do.
    """
    rows = codes if roots.size == codes.shape[0] else codes[roots]  # every row a root: all
    # NA reads as above every rated code for the lowest, below every one for the highest.
    low = np.take(_LOWEST_OF, rows).min(axis=1, initial=127)
    high = np.take(_HIGHEST_OF, rows).max(axis=1, initial=-1)
    varied = high > low
    pooled_cells: dict[int, dict[int, tuple[int, ...]]] = {}
    for row, col, votes in team:
        pooled_cells.setdefault(row, {})[col] = tuple(sorted(v for v in votes if v >= 0))
    for k, root in enumerate(roots.tolist() if pooled_cells else ()):
        cells = pooled_cells.get(root)
        if cells is None:
            continue
        kinds: set[tuple[int, ...]] = {(int(code),) for code in rows[k].tolist() if code != _NA}
        kinds.update(cells.values())
        varied[k] = len(kinds) > 1
    result: npt.NDArray[np.bool_] = varied & (line_quality > 0)
    return result


def relay_fidelity(
    relays: Sequence[Sequence[int]], source_grade: Ints, fidelity_table: Floats
) -> Floats:
    """Each item's chain through its own relays: the product of their fidelities (Hooper)."""
    fidelity = fidelity_table[source_grade].tolist()
    return np.array(
        [math.prod(map(fidelity.__getitem__, chain)) if chain else 1.0 for chain in relays],
        dtype=np.float64,
    )


def default_priors(answers: Sequence[str | None]) -> Floats:
    """
    Priors when none are given: even over the answers, then even within each.

    Without answers every hypothesis is its own answer, so this is uniform.
    Splitting a hypothesis into two with the same answer leaves every
    answer's prior as it was: the question is not unpacked.
    """
    keys = [a if a is not None else f"\0{j}" for j, a in enumerate(answers)]
    count = Counter(keys)
    return np.array([1.0 / (len(count) * count[k]) for k in keys], dtype=np.float64)


# --------------------------------------------------------------------------- scoring


@attrs.frozen(eq=False)
class ScoreArrays:
    """
    Every figure of :func:`score_matrix`, as arrays.

    Per hypothesis (columns): ``inconsistency``, ``weighted_inconsistency``,
    ``log_likelihood``, ``posterior``, ``rank``.  Per row: ``quality`` (a
    root's line quality, a repeat's own), ``weight`` (relevance x quality x
    tempering: what the row counts for; 0 for a repeat), ``cluster_size``
    (the size of the row's first line) and ``diagnosticity``.
    ``hypotheses`` and ``evidence`` label them: the ids in the arrays' order
    (empty when the kernel is called on bare arrays).

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 ``hypotheses`` and ``evidence``.
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
    hypotheses: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


def _row_chunks(rows: int, columns: int) -> Iterator[slice]:
    step = max(1, min(_INT16_MAX, CHUNK_CELLS // max(columns, 1)))
    for start in range(0, rows, step):
        yield slice(start, min(start + step, rows))


def _groups(*keys: Floats) -> tuple[Ints, Ints]:
    """
    The rows in order of their keys, and where each group of equal keys starts.

    One stable sort on the keys, the first key first: within a group rows
    stay in their order, and groups come in the order of their keys.  When
    every key is constant (every item graded alike) there is one group and
    nothing to sort.
    """
    rows = keys[0].size
    if all(bool((key == key[0]).all()) for key in keys if key.size):
        return np.arange(rows, dtype=np.int64), np.zeros(0, dtype=np.int64)  # one group
    order = np.lexsort(keys[::-1]).astype(np.int64)
    ordered = np.stack([key[order] for key in keys])
    bounds = np.flatnonzero((ordered[:, 1:] != ordered[:, :-1]).any(axis=0)) + 1
    return order, bounds


@attrs.frozen(eq=False)
class _Pass:
    """What one pass over the matrix yields."""

    inconsistency: Ints
    weighted: Floats
    log_likelihood: Floats
    row_counts: Ints  # rows x rated codes (CC, C, N, I, II): how many cells hold each


def _na_means(log_ell: Floats, counts: Floats) -> Floats:
    """Each row's mean log-likelihood over its rated cells (0 for a row with none)."""
    rated = counts.sum(axis=1)
    total = (counts * log_ell).sum(axis=1)
    means: Floats = np.divide(total, rated, out=np.zeros_like(total), where=rated > 0)
    return means


#: Blocks of at most this many cells are counted by bincount, larger ones by comparisons.
_SMALL_BLOCK: Final = 1 << 14
_RATED_LIST: Final = list(_RATED)


def _block_counts(block: Codes) -> tuple[Ints, Ints, npt.NDArray[np.bool_]]:
    """Per column and per row, how many cells of ``block`` hold each rated code; the NA mask."""
    size, columns = block.shape
    if block.size <= _SMALL_BLOCK:
        # Few cells: two bincounts over (cell code, its column or row) cost
        # less than the comparisons below, whose numpy calls cost more than their cells.
        codes = block.astype(np.intp)
        by_column = np.bincount(
            (codes + 6 * np.arange(columns)).ravel(), minlength=6 * columns
        ).reshape(columns, 6)
        by_row = np.bincount(
            (codes + 6 * np.arange(size)[:, None]).ravel(), minlength=6 * size
        ).reshape(size, 6)
        return by_column[:, _RATED_LIST].T, by_row[:, _RATED_LIST], block == _NA
    column_counts = np.zeros((len(_RATED), columns), dtype=np.int64)
    row_counts = np.zeros((size, len(_RATED)), dtype=np.int64)
    # Comparisons give 0/1 bytes; summing them in int16 is the fastest exact
    # count numpy has (chunks stay under 32768 rows and columns).
    for j, code in enumerate(_RATED):
        if code == _N:
            continue  # the remainder, below
        hits = (block == code).view(np.int8)
        column_counts[j] = hits.sum(axis=0, dtype=np.int16)
        row_counts[:, j] = hits.sum(axis=1, dtype=np.int16)
    na_mask = block == _NA
    na = na_mask.view(np.int8)
    n = _RATED.index(_N)
    row_counts[:, n] = columns - na.sum(axis=1, dtype=np.int16) - row_counts.sum(axis=1)
    column_counts[n] = size - na.sum(axis=0, dtype=np.int16) - column_counts.sum(axis=0)
    return column_counts, row_counts, na_mask


def _row_means(
    block: Codes, row_counts: Ints, rated_log_ell: Floats, priors: Floats, uniform: bool
) -> Floats:
    """Each row's prior-weighted mean ln l over its rated cells: what its NA cells take."""
    if uniform:
        weights = row_counts.astype(np.float64)
    else:
        weights = np.stack([np.einsum("ij,j->i", block == c, priors) for c in _RATED], axis=1)
    return _na_means(rated_log_ell, weights)


#: Groups of fewer rows than this are scored row by row (by lookup), not by counts.
_SMALL_GROUP: Final = 32


def _matrix_pass(
    codes: Codes,
    *,
    quality: Floats,
    tempering: Floats,
    weight: Floats,
    log_ell: Floats,
    priors: Floats,
) -> _Pass:
    """
    One pass over the matrix: the per-column sums and each row's counts of codes.

    An item's coefficients (its row of ``log_ell`` times its tempering, and
    its weight) depend only on its quality, tempering and weight, so items
    equal in those form a group; within a group the rated cells' sums are
    exact counts of each code per column times the group's coefficients.  An
    NA cell takes its row's mean log-likelihood over the rated cells,
    weighted by the priors of their hypotheses (so that splitting a
    hypothesis in two changes no answer), added per row.  Rows of small
    groups, where counting per group would cost more in overhead than it
    saves, are summed by looking up each cell's coefficient instead.
    """
    rows, columns = codes.shape
    result = _Pass(
        inconsistency=np.zeros(columns, dtype=np.int64),
        weighted=np.zeros(columns, dtype=np.float64),
        log_likelihood=np.zeros(columns, dtype=np.float64),
        row_counts=np.zeros((rows, len(_RATED)), dtype=np.int64),
    )
    if rows == 0 or columns == 0:
        return result
    uniform = bool(np.all(priors == priors[0]))
    order, bounds = _groups(quality, tempering, weight)
    buffer = np.empty((min(rows, max(1, CHUNK_CELLS // columns)), columns), np.int8)
    rated_log_ell = log_ell[:, _RATED_LIST]
    small: list[Ints] = []
    edges = [0, *bounds.tolist(), rows]
    for members in (order[start:stop] for start, stop in pairwise(edges)):
        if members.size < _SMALL_GROUP:
            small.append(members)
            continue
        first = members[0]
        factor = tempering[first]
        counts = np.zeros((len(_RATED), columns), dtype=np.int64)
        for part in _row_chunks(members.size, columns):
            chosen = members[part]
            block = _rows_of(codes, chosen, buffer)
            column_counts, row_counts, na_mask = _block_counts(block)
            counts += column_counts
            result.row_counts[chosen] = row_counts
            if factor != 0 and na_mask.any():
                means = _row_means(
                    block, row_counts, rated_log_ell[first][None, :], priors, uniform
                )
                result.log_likelihood[:] += factor * np.einsum("i,ij->j", means, na_mask)
        points = counts[_RATED.index(4)] + 2 * counts[_RATED.index(5)]  # I and II
        result.inconsistency[:] += points
        result.weighted[:] += weight[first] * points
        if factor != 0:
            result.log_likelihood[:] += factor * (rated_log_ell[first] @ counts)
    if small:
        _pass_by_lookup(
            codes,
            np.sort(np.concatenate(small)),
            tempering=tempering,
            weight=weight,
            log_ell=log_ell,
            priors=priors,
            uniform=uniform,
            buffer=buffer,
            into=result,
        )
    return result


def _rows_of(codes: Codes, chosen: Ints, buffer: Codes) -> Codes:
    """The rows ``chosen`` of ``codes``: a view when they are contiguous, else a copy."""
    if chosen[-1] - chosen[0] + 1 == chosen.size:
        return codes[chosen[0] : chosen[-1] + 1]
    # The rows are in range by construction: "clip" skips the bounds check, and
    # with ``out`` numpy's default mode would also copy through a buffer first.
    return np.take(codes, chosen, axis=0, out=buffer[: chosen.size], mode="clip")


def _pass_by_lookup(
    codes: Codes,
    rows: Ints,
    *,
    tempering: Floats,
    weight: Floats,
    log_ell: Floats,
    priors: Floats,
    uniform: bool,
    buffer: Codes,
    into: _Pass,
) -> None:
    """The same sums for rows with their own coefficients: each cell's looked up."""
    columns = codes.shape[1]
    rated_log_ell = log_ell[:, list(_RATED)]
    # Buffers for the lookup, made once: each chunk's flat indexes and values.
    indexes = np.empty(buffer.shape, dtype=np.intp)
    values = np.empty(buffer.shape, dtype=np.float64)
    offsets = (np.arange(buffer.shape[0], dtype=np.intp) * 6)[:, None]
    for part in _row_chunks(rows.size, columns):
        chosen = rows[part]
        block = _rows_of(codes, chosen, buffer)
        column_counts, row_counts, _ = _block_counts(block)
        into.row_counts[chosen] = row_counts
        into.inconsistency[:] += column_counts[_RATED.index(4)] + 2 * column_counts[_RATED.index(5)]
        # Per row, what each code adds: t ln l for a rated code, t x the row's mean for NA.
        table = np.empty((chosen.size, 6), dtype=np.float64)
        table[:] = log_ell[chosen]
        table[:, _NA] = _row_means(block, row_counts, rated_log_ell[chosen], priors, uniform)
        table *= tempering[chosen][:, None]
        size = chosen.size
        np.add(block, offsets[:size], out=indexes[:size])
        np.take(table.reshape(-1), indexes[:size], out=values[:size], mode="clip")  # in range
        into.log_likelihood[:] += values[:size].sum(axis=0)
        pointed = (block == 4).view(np.int8) + 2 * (block == 5).view(np.int8)
        into.weighted[:] += np.einsum("i,ij->j", weight[chosen], pointed)


def _diagnosticity(row_counts: Ints, quality: Floats, likelihoods: Floats) -> Floats:
    """10 * (max_h log10 l - min_h log10 l) over each row's rated cells (0 for none)."""
    present = row_counts > 0
    any_rated = present.any(axis=1)
    # Rated codes are listed from most to least likely, so the first present is the best.
    lowest = np.argmax(present, axis=1)
    highest = present.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
    table = likelihoods[list(_RATED)]
    best = quality * table[lowest] + (1 - quality) * 0.5
    worst = quality * table[highest] + (1 - quality) * 0.5
    diagnosticity: Floats = np.where(any_rated, 10 * (np.log10(best) - np.log10(worst)), 0.0)
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


def report_log_likelihoods(quality: Floats, likelihoods: Floats) -> Floats:
    """Ln l(e, h) of each code for each row: Schum's cascade, q L + (1 - q) / 2."""
    ell = quality[:, None] * likelihoods[None, :] + (1 - quality[:, None]) * 0.5
    log_ell: Floats = np.log(ell)
    return log_ell


def score_matrix(
    codes: Codes,
    *,
    quality: Floats,
    relevance: Floats,
    tempering: Floats,
    likelihoods: Floats,
    priors: Floats,
    line_size: Ints | None = None,
    team_rows: Ints | None = None,
    team_cols: Ints | None = None,
    team_codes: Codes | None = None,
    absence: Floats | None = None,
    hypotheses: tuple[str, ...] = (),
    evidence: tuple[str, ...] = (),
) -> ScoreArrays:
    """
    Score an evidence x hypothesis matrix (the contract in ``docs/methods.md``).

    Each row that counts is a line's root, carrying its line's quality and
    tempering; a repeat has tempering 0, so only Heuer's count sees it.

    Args:
        codes: ``int8`` ratings, items x hypotheses, coded by :data:`CODES`.
        quality: Each row's report quality in [0, 1] (a root's line quality).
        relevance: Relevance factor of each row.
        tempering: Each row's tempering factor in [0, 1]; 0 for a repeat.
        likelihoods: Likelihood of each code; must not increase with the code.
        priors: Prior of each hypothesis, summing to 1.
        line_size: Each row's line size, for display (1 when not given).
        team_rows: Rows of cells rated by several analysts (NA in ``codes``).
        team_cols: Their columns.
        team_codes: Their analysts' codes, one column per analyst, -1 for none.
        absence: Per hypothesis, a log-likelihood to add that no row carries:
            the absent indicators' (``docs/methods.md``, section 21).
        hypotheses: The columns' ids, to label the result (none by default).
        evidence: The rows' ids, to label the result (none by default).

    Returns:
        All figures as arrays.

    Raises:
        ValueError: When the arrays do not fit together.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 ``hypotheses`` and ``evidence`` label the result.
    """
    rows, columns = codes.shape
    if codes.dtype != np.int8:
        raise ValueError(f"codes must be int8, got {codes.dtype}")
    for name, array in (("quality", quality), ("relevance", relevance), ("tempering", tempering)):
        if array.shape != (rows,):
            raise ValueError(f"{name} must have one value per row ({rows}), got {array.shape}")
    if priors.shape != (columns,):
        raise ValueError(f"priors must have one value per column ({columns})")
    if likelihoods.shape != (6,) or bool((likelihoods[1:] > likelihoods[:-1]).any()):
        raise ValueError("likelihoods must hold 6 values that do not increase with the code")
    size = np.ones(rows, dtype=np.int64) if line_size is None else line_size
    has_team = team_rows is not None and team_cols is not None and team_codes is not None
    counted = tempering
    if has_team and team_rows is not None and team_rows.size:
        # Rows with analysts' cells are scored whole below, not in the pass.
        counted = tempering.copy()
        counted[team_rows] = 0.0
    weight = relevance * quality * tempering
    log_ell = report_log_likelihoods(quality, likelihoods)
    passed = _matrix_pass(
        codes,
        quality=quality,
        tempering=counted,
        weight=np.where(counted > 0, weight, 0.0),
        log_ell=log_ell,
        priors=priors,
    )
    inconsistency = passed.inconsistency.astype(np.float64)
    weighted = passed.weighted
    log_likelihood = passed.log_likelihood
    diagnosticity = _diagnosticity(passed.row_counts, quality, likelihoods)
    if (
        team_rows is not None
        and team_cols is not None
        and team_codes is not None
        and team_rows.size
    ):
        _pool_teams(
            codes,
            quality=quality,
            tempering=tempering,
            weight=weight,
            likelihoods=likelihoods,
            priors=priors,
            team=(team_rows, team_cols, team_codes),
            into=(inconsistency, weighted, log_likelihood, diagnosticity),
        )
    if absence is not None:
        if absence.shape != (columns,):
            raise ValueError(f"absence must have one value per column ({columns})")
        log_likelihood = log_likelihood + absence
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
        cluster_size=size.astype(np.int64),
        diagnosticity=diagnosticity,
        hypotheses=hypotheses,
        evidence=evidence,
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


def row_log_likelihoods(
    codes: Codes, quality: Floats, likelihoods: Floats, priors: Floats
) -> Floats:
    """
    Ln l of every cell of some rows, NA cells filled with the row's mean.

    The mean is over the row's rated cells, weighted by their hypotheses'
    priors, as in the scoring pass; a row with no rated cell is all 0.
    """
    log_ell = report_log_likelihoods(quality, likelihoods)
    cells = np.take_along_axis(log_ell, codes.astype(np.int64), axis=1)
    rated = codes != _NA
    weights = rated * priors[None, :]
    total = (weights * np.where(rated, cells, 0.0)).sum(axis=1)
    mass = weights.sum(axis=1)
    means = np.divide(total, mass, out=np.zeros_like(total), where=mass > 0)
    filled: Floats = np.where(rated, cells, means[:, None])
    return filled


def _pool_teams(
    codes: Codes,
    *,
    quality: Floats,
    tempering: Floats,
    weight: Floats,
    likelihoods: Floats,
    priors: Floats,
    team: tuple[Ints, Ints, Codes],
    into: tuple[Floats, Floats, Floats, Floats],
) -> None:
    """Score the rows that hold analysts' cells whole, with the pooled values in place."""
    rows, cols, team_codes = team
    inconsistency, weighted, log_likelihood, diagnosticity = into
    pool, points = pooled(quality[rows], team_codes, likelihoods)
    np.add.at(inconsistency, cols, points)
    for row in np.flatnonzero(np.bincount(rows)):  # each row once (np.unique loads numpy.ma)
        # Few rows hold team cells: each is recomputed whole.
        mine = rows == row
        ell = quality[row] * likelihoods[codes[row]] + (1 - quality[row]) * 0.5
        rated = codes[row] != _NA
        ell[cols[mine]] = pool[mine]
        rated[cols[mine]] = True
        cell_points = np.where(codes[row] == _NA, 0.0, POINTS[codes[row]].astype(np.float64))
        cell_points[cols[mine]] = points[mine]
        weighted += weight[row] * cell_points
        logs = np.log(ell)
        if rated.any():
            mass = priors[rated].sum()
            mean = float((priors[rated] * logs[rated]).sum() / mass)
            log_likelihood += tempering[row] * np.where(rated, logs, mean)
            diagnosticity[row] = 10 * (np.log10(ell[rated].max()) - np.log10(ell[rated].min()))
        else:
            diagnosticity[row] = 0.0


def line_log_likelihoods(scores: Scores) -> tuple[Floats, Floats]:
    """
    Each line's ln l over the hypotheses (NA filled) and its tempering factor.

    The rows are the lines' roots with their line quality; analysts' cells
    hold their pooled likelihood.  What the opinion and Dempster-Shafer views
    and the confidence rule build on.

    .. versionadded:: 0.1
    """
    matrix = scores.matrix
    roots = matrix.lines.root
    quality = matrix.line_quality
    log_ell = row_log_likelihoods(matrix.codes[roots], quality, matrix.likelihoods, matrix.priors)
    if matrix.team_rows.size:
        line_of_root = {int(r): k for k, r in enumerate(roots.tolist())}
        pool, _ = pooled(
            matrix.row_quality[matrix.team_rows], matrix.team_codes, matrix.likelihoods
        )
        for row in np.flatnonzero(np.bincount(matrix.team_rows)):
            if int(row) not in line_of_root:
                continue
            k = line_of_root[int(row)]
            mine = matrix.team_rows == row
            ell = quality[k] * matrix.likelihoods[matrix.codes[row]] + (1 - quality[k]) * 0.5
            rated = matrix.codes[row] != _NA
            ell[matrix.team_cols[mine]] = pool[mine]
            rated[matrix.team_cols[mine]] = True
            logs = np.log(ell)
            mean = float((matrix.priors[rated] * logs[rated]).sum() / matrix.priors[rated].sum())
            log_ell[k] = np.where(rated, logs, mean)
    return log_ell, matrix.tempering.copy()


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

    ``quality`` is the item's own report quality (its grades times its own
    relays); ``weight`` is what it counts for (its line's, for a root; 0 for
    a repeat, whose line counts once); ``line`` is its first line, named
    after its root, and ``lines`` every line it belongs to.

    .. versionadded:: 0.1
    """

    id: str
    quality: float
    weight: float
    line: str
    line_size: int
    diagnosticity: float
    lines: tuple[str, ...] = ()


@attrs.frozen
class LineScore:
    """
    One line of reporting: an original and its repeats, counted once.

    ``originator_quality`` is the root's grades' value; ``fidelity`` is the
    line's, from its channels (Hooper's concurrent rule); ``quality`` is
    their product; ``tempering`` the factor for shared sources.

    .. versionadded:: 0.1
    """

    id: str
    members: tuple[str, ...]
    channels: tuple[float, ...]
    originator_quality: float
    fidelity: float
    quality: float
    tempering: float


@attrs.frozen
class AnswerScore:
    """
    One answer to the question and the hypotheses that are ways for it to be true.

    .. versionadded:: 0.1
    """

    answer: str
    hypotheses: tuple[str, ...]
    prior: float
    probability: float


@attrs.frozen
class ScoreWarning:
    """
    Something a reader of the scores should know; ``code`` is stable for scripts.

    .. versionadded:: 0.1
    """

    code: str
    message: str
    subject: str | None = None
    #: Where in the file it applies, as keys and indexes (``("evidence", 3, "ratings")``).
    parts: tuple[str | int, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The warning as JSON-ready data, its place as a field path (``evidence[3].ratings``)."""
        from assess.errors import format_path  # noqa: PLC0415

        return {
            "code": self.code,
            "message": self.message,
            "subject": self.subject,
            "path": format_path(self.parts) if self.parts else None,
        }


@attrs.frozen(eq=False, slots=False)
class Scores(Displayed):
    """
    The scored assessment: records for reading, arrays for scripts.

    ``hypotheses`` and ``evidence`` are in declaration order; ``matrix`` and
    ``arrays`` hold the same figures as read-only numpy arrays.
    ``statements`` and ``labels`` are the hypotheses' own, in the same order,
    for displays that name them (empty for scores made without them).

    The arrays are the scores; the per-item and per-line records
    (``evidence``, ``lines``) and the ``digest`` are built from them, and
    from the assessment as written, on first read and then kept, so a script
    that reads only the posteriors never pays for ten thousand records or
    for hashing the file.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 ``statements`` and ``labels``.
    .. versionchanged:: 0.1 Records and digest built on first read.
    """

    assessment: str
    priors_given: bool
    hypotheses: tuple[HypothesisScore, ...]
    warnings: tuple[ScoreWarning, ...]
    matrix: Matrix
    arrays: ScoreArrays
    answers: tuple[AnswerScore, ...] = ()
    statements: tuple[str, ...] = ()
    labels: tuple[str | None, ...] = ()
    #: The assessment as written, which the digest is taken of.
    _written: Assessment = attrs.field(repr=False, alias="written", kw_only=True)

    @functools.cached_property
    def digest(self) -> str:
        """The written assessment's digest (:func:`assess.digest`)."""
        from assess.model.canonical import digest  # noqa: PLC0415 -- only when asked

        return digest(self._written)

    @functools.cached_property
    def evidence(self) -> tuple[EvidenceScore, ...]:
        """Each item's scores, in declaration order."""
        return _evidence_scores(self.matrix, self.arrays)

    @functools.cached_property
    def lines(self) -> tuple[LineScore, ...]:
        """Each line of reporting, in the order of its root."""
        return _line_scores(self.matrix)

    def __repr__(self) -> str:
        leader = self.ranking[0] if self.hypotheses else None
        lead = "" if leader is None else f", leader {leader.id} {leader.posterior:.3f}"
        return (
            f"Scores({self.assessment!r}{lead}, {len(self.hypotheses)} hypotheses,"
            f" {len(self.evidence)} items, {len(self.lines)} lines)"
        )

    def hypothesis(self, hypothesis_id: str) -> HypothesisScore:
        """The scores of one hypothesis."""
        return by_id(self.hypotheses, hypothesis_id, "hypothesis")

    def item(self, evidence_id: str) -> EvidenceScore:
        """The scores of one evidence item."""
        return by_id(self.evidence, evidence_id, "evidence item")

    @property
    def ranking(self) -> tuple[HypothesisScore, ...]:
        """The hypotheses from rank 1 down."""
        return tuple(sorted(self.hypotheses, key=lambda h: h.rank))

    def to_pandas(self) -> Any:
        """
        One row per hypothesis, labelled by id (:func:`assess.views.frames.hypotheses_frame`).

        Needs the ``pandas`` extra.

        .. versionadded:: 0.1
        """
        return view(self, "pandas")

    def matrix_frame(self) -> Any:
        """
        The ratings, items by hypotheses, labelled (:func:`assess.views.frames.matrix_frame`).

        Needs the ``pandas`` extra.

        .. versionadded:: 0.1
        """
        return view(self, "matrix-pandas")

    def line(self, line_id: str) -> LineScore:
        """The scores of one line, by the id of its root."""
        return by_id(self.lines, line_id, "line")

    @property
    def priors_rule(self) -> str:
        """Where the priors came from, in words: given, even over the answers, or uniform."""
        if self.priors_given:
            return "given"
        if any(a is not None for a in self.matrix.answers):
            return "even over the answers, then within each (none given)"
        return "uniform (none given)"

    def to_json(self) -> dict[str, object]:
        """The scores as JSON-ready data (format ``assess-score/2``), lists in file order."""
        priors = self.priors_rule
        return {
            "format": SCORE_FORMAT,
            "assessment": self.assessment,
            "digest": self.digest,
            "priors": priors,
            "hypotheses": [attrs.asdict(h) for h in self.hypotheses],
            "answers": [
                {**attrs.asdict(a), "hypotheses": list(a.hypotheses)} for a in self.answers
            ],
            "evidence": [{**attrs.asdict(e), "lines": list(e.lines)} for e in self.evidence],
            "lines": [
                {**attrs.asdict(x), "members": list(x.members), "channels": list(x.channels)}
                for x in self.lines
            ],
            "warnings": [w.to_json() for w in self.warnings],
        }


def _warnings(assessment: Assessment, matrix: Matrix, arrays: ScoreArrays) -> list[ScoreWarning]:
    found: list[ScoreWarning] = []
    answered = any(a is not None for a in matrix.answers)
    if not matrix.priors_given:
        found.append(
            ScoreWarning(
                "uniform-priors",
                "no priors given: each answer starts equally likely, split evenly among its"
                " hypotheses"
                if answered
                else "no priors given: every hypothesis starts equally likely",
            )
        )
        if not answered and len(matrix.hypotheses) > 2:
            found.append(
                ScoreWarning(
                    "unpacked-question",
                    f"{len(matrix.hypotheses)} hypotheses, no answers and no priors: the answer"
                    " with more hypotheses starts more likely; give each hypothesis an answer",
                )
            )
    bayes = int(np.argmin(arrays.rank))
    least = np.round(arrays.weighted_inconsistency, TIE_DECIMALS)
    ach = [matrix.hypotheses[j] for j in np.flatnonzero(least == least.min()).tolist()]
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
        ScoreWarning(
            "unrated-hypothesis", f"no evidence is rated against {h}", h, ("hypotheses", j)
        )
        for j, (h, has) in enumerate(zip(matrix.hypotheses, rated, strict=True))
        if not has
    )
    for i in np.flatnonzero(arrays.diagnosticity <= NON_DIAGNOSTIC).tolist():
        e = matrix.evidence[i]
        found.append(
            ScoreWarning(
                "non-diagnostic",
                f"{e} cannot tell the hypotheses apart (0 decibans)",
                e,
                ("evidence", i, "ratings"),
            )
        )
    found.extend(_line_warnings(assessment, matrix))
    found.extend(_retired_settings(assessment))
    return found


def _written_paths(written: Assessment, found: list[ScoreWarning]) -> Iterator[ScoreWarning]:
    """
    Warnings placed in the file as written, with the overdue indicators'.

    An observed indicator is scored as an item appended to the evidence; a
    warning about that row points at the indicator instead.
    """
    from assess.methods.indicators import overdue  # noqa: PLC0415

    items = len(written.evidence)
    index = {i.id: k for k, i in enumerate(written.indicators)}
    for warning in found:
        parts = warning.parts
        moved = len(parts) >= 2 and parts[0] == "evidence" and isinstance(parts[1], int)
        message = warning.message
        if moved and int(parts[1]) >= items and warning.subject in index:
            tail = tuple("expected" if p == "ratings" else p for p in parts[2:])
            parts = ("indicators", index[warning.subject], *tail)
            if warning.code == "unlinked-confirmation":
                # An indicator cannot name what confirms it; the advice must say how.
                message = (
                    f"indicator {warning.subject} is graded 1 (confirmed by other sources),"
                    " but an indicator cannot name the items that confirm it: if they are in"
                    " the file, write the observation as an evidence item with confirmed_by,"
                    " or their weight is counted twice"
                )
        if parts is warning.parts and message is warning.message:
            yield warning  # most warnings are about the file as written
        else:
            yield attrs.evolve(warning, parts=parts, message=message)
    for k, indicator in overdue(written):
        yield ScoreWarning(
            "indicator-overdue",
            f"indicator {indicator.id} should have been seen by"
            f" {indicator.answer_by} and is still pending at {written.as_of}: record it as"
            " observed or absent",
            indicator.id,
            ("indicators", k, "answer_by"),
        )


def _retired_settings(assessment: Assessment) -> Iterator[ScoreWarning]:
    """Settings the first evidence model used, still read so that its files stay valid."""
    rule = assessment.scoring.confidence
    defaults = attrs.fields(type(rule))
    for name in ("support_quality", "support_ratio"):
        if getattr(rule, name) != getattr(defaults, name).default:
            yield ScoreWarning(
                "retired-setting",
                f"scoring.confidence.{name} is retired: evidence model 2 does not use it, and"
                " the confidence rule's inputs are weight, parties and interested share",
                name,
                ("scoring", "confidence", name),
            )


def _line_warnings(assessment: Assessment, matrix: Matrix) -> Iterator[ScoreWarning]:
    """Repeats rated unlike their original, lines that mix interested and other sources."""
    interested = {s.id: s.interested for s in assessment.sources}
    items = assessment.evidence
    roots = matrix.lines.root.tolist()
    # An item alone is nothing to compare with: only lines with repeats are
    # read, and there are none when every item is a root.
    with_repeats = (
        compress(range(len(roots)), map((1).__lt__, map(len, matrix.lines.members)))
        if len(roots) < len(items)
        else ()
    )
    for k in with_repeats:
        root, members = roots[k], matrix.lines.members[k]
        for row in members[1:]:
            if items[row].ratings != items[root].ratings:
                yield ScoreWarning(
                    "repeat-rated-differently",
                    f"{items[row].id} repeats {items[root].id} but is rated differently; a"
                    " repeat carries its original's ratings (new content is an item of its own)",
                    items[row].id,
                    ("evidence", row, "ratings"),
                )
        kinds = {interested[items[i].source] for i in members}
        if len(kinds) == 2:
            ids = ", ".join(items[i].id for i in members)
            yield ScoreWarning(
                "mixed-line",
                f"line {items[root].id} ({ids}) mixes items from interested and disinterested"
                " sources",
                items[root].id,
                ("evidence", members[1], "derived_from"),
            )
    confirmed = np.flatnonzero(matrix.credibility_grade == int(Credibility.CONFIRMED) - 1)
    if not confirmed.size:
        return
    linked = {c for e in items for c in e.confirmed_by} | {p for e in items for p in e.derived_from}
    for i in confirmed.tolist():
        item = items[i]
        if not (item.derived_from or item.confirmed_by or item.id in linked):
            yield ScoreWarning(
                "unlinked-confirmation",
                f"{item.id} is graded 1 (confirmed by other sources) but no item is linked to it"
                " by derived_from or confirmed_by: if the confirming reports are in the file,"
                " their weight is counted twice",
                item.id,
                ("evidence", i, "credibility"),
            )


def _plain_number(value: float) -> float:
    """A whole-number count as an int (prints 3, not 3.0); fractions stay floats."""
    return int(value) if value.is_integer() else value


def score(assessment: Assessment) -> Scores:
    """
    Score an assessment: ACH inconsistency, lines of reporting, posteriors, answers.

    .. versionadded:: 0.1
    """
    from assess.methods.indicators import observed_as_evidence  # noqa: PLC0415

    written = assessment
    assessment = observed_as_evidence(written)
    matrix = Matrix.from_assessment(assessment)
    lines = matrix.lines
    size = np.fromiter(map(len, lines.members), dtype=np.int64, count=len(lines.members))
    arrays = score_matrix(
        matrix.codes,
        quality=matrix.row_quality,
        relevance=matrix.relevance,
        tempering=matrix.row_tempering,
        likelihoods=matrix.likelihoods,
        priors=matrix.priors,
        line_size=size[matrix.cluster] if size.size else np.zeros(0, np.int64),
        team_rows=matrix.team_rows,
        team_cols=matrix.team_cols,
        team_codes=matrix.team_codes,
        absence=matrix.absence,
        hypotheses=matrix.hypotheses,
        evidence=matrix.evidence,
    )
    for held in (matrix, arrays):
        for field in attrs.fields(type(held)):
            value = getattr(held, field.name)
            if isinstance(value, np.ndarray):
                _frozen_array(value)
    hypotheses = tuple(
        HypothesisScore(
            id=h,
            prior=prior,
            inconsistency=_plain_number(inconsistency),
            weighted_inconsistency=weighted,
            log_likelihood=log_likelihood,
            posterior=posterior,
            rank=rank,
        )
        for h, prior, inconsistency, weighted, log_likelihood, posterior, rank in zip(
            matrix.hypotheses,
            matrix.priors.tolist(),
            arrays.inconsistency.tolist(),
            arrays.weighted_inconsistency.tolist(),
            arrays.log_likelihood.tolist(),
            arrays.posterior.tolist(),
            arrays.rank.tolist(),
            strict=True,
        )
    )
    return Scores(
        assessment=assessment.id,
        priors_given=matrix.priors_given,
        hypotheses=hypotheses,
        warnings=tuple(_written_paths(written, _warnings(assessment, matrix, arrays))),
        matrix=matrix,
        arrays=arrays,
        answers=_answers(matrix, arrays),
        statements=tuple(h.statement for h in written.hypotheses),
        labels=tuple(h.label for h in written.hypotheses),
        written=written,
    )


def _root_ids(matrix: Matrix) -> list[str]:
    """Each line's id: the id of its root."""
    return [matrix.evidence[r] for r in matrix.lines.root.tolist()]


def _evidence_scores(matrix: Matrix, arrays: ScoreArrays) -> tuple[EvidenceScore, ...]:
    """Each item's record, from the arrays."""
    root_ids = _root_ids(matrix)
    in_lines: list[list[str]] = [[] for _ in matrix.evidence]
    for k, members in enumerate(matrix.lines.members):
        for row in members:
            in_lines[row].append(root_ids[k])
    quality = matrix.quality.tolist()
    weight = arrays.weight.tolist()
    cluster = matrix.cluster.tolist()
    size = arrays.cluster_size.tolist()
    diagnosticity = arrays.diagnosticity.tolist()
    return tuple(
        EvidenceScore(
            id=e,
            quality=quality[i],
            weight=weight[i],
            line=root_ids[cluster[i]],
            line_size=size[i],
            diagnosticity=diagnosticity[i],
            lines=tuple(in_lines[i]),
        )
        for i, e in enumerate(matrix.evidence)
    )


def _line_scores(matrix: Matrix) -> tuple[LineScore, ...]:
    """Each line's record, from the matrix."""
    lines = matrix.lines
    root_ids = _root_ids(matrix)
    originator = (matrix.reliability * matrix.credibility)[lines.root].tolist()
    fidelity = lines.fidelity.tolist()
    quality = matrix.line_quality.tolist()
    tempering = matrix.tempering.tolist()
    return tuple(
        LineScore(
            id=root_ids[k],
            members=tuple(matrix.evidence[r] for r in lines.members[k]),
            channels=lines.channel[k],
            originator_quality=originator[k],
            fidelity=fidelity[k],
            quality=quality[k],
            tempering=tempering[k],
        )
        for k in range(len(root_ids))
    )


def _answers(matrix: Matrix, arrays: ScoreArrays) -> tuple[AnswerScore, ...]:
    """Each declared answer's prior and probability: the sums over its hypotheses."""
    groups: dict[str, list[int]] = {}
    for j, answer in enumerate(matrix.answers):
        if answer is not None:
            groups.setdefault(answer, []).append(j)
    return tuple(
        AnswerScore(
            answer=answer,
            hypotheses=tuple(matrix.hypotheses[j] for j in columns),
            prior=math.fsum(float(matrix.priors[j]) for j in columns),
            probability=math.fsum(float(arrays.posterior[j]) for j in columns),
        )
        for answer, columns in groups.items()
    )
