"""
What to collect next: indicators, absence of evidence and the value of information.

Heuer's eighth step of ACH names milestones to watch; this module puts
numbers on them (``docs/methods.md``, section 21).  An indicator rates an
observation under every hypothesis, as an evidence item would be rated, and
carries the grade its report would likely have.  Three things follow:

- an ``observed`` indicator is evidence: :func:`observed_as_evidence` adds it
  to the items, with a source of its own, before anything is scored;
- an ``absent`` one is absence of evidence: each hypothesis's likelihood of
  not finding it is ``1 - d * P(seen | h)`` (:func:`absence_log_likelihood`);
- a ``pending`` one is worth what it is expected to teach: its expected
  information gain, and how likely it is to change the leader
  (:func:`collect`).

Looking for an indicator has two outcomes, so each is a rank-one update of
the current posterior: no re-scoring, and every pending indicator at once as
one array operation.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.methods.indicators import detections, observed_as_evidence, overdue, report_likelihoods
from assess.methods.scoring import row_log_likelihoods, score
from assess.model import Assessment, IndicatorStatus, Rating

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.methods.scoring import Scores
    from assess.model import Scoring

__all__ = [
    "COLLECT_FORMAT",
    "SHOWN_LINES",
    "Discriminator",
    "IndicatorValue",
    "LineStrength",
    "Plan",
    "Unseating",
    "collect",
    "entropy_bits",
    "information_gain",
    "outcomes",
]

Floats = npt.NDArray[np.float64]

COLLECT_FORMAT: Final = "assess-collect/1"
"""The version of ``assess collect --format json``'s contract (``docs/cli.md``)."""
SHOWN_LINES: Final = 5
"""Existing lines listed per discriminator in text (JSON lists them all)."""
_TIE_DECIMALS: Final = 12  # as scoring's ranks: posteriors equal to 12 decimals tie


def entropy_bits(p: Floats) -> Floats:
    """Shannon entropy in bits along the last axis; 0 ln 0 counts as 0."""
    safe = np.where(p > 0, p, 1.0)
    result: Floats = -(p * np.log2(safe)).sum(axis=-1)
    return result


def outcomes(
    posterior: Floats, likelihood: Floats, detection: Floats
) -> tuple[Floats, Floats, Floats]:
    """
    The two outcomes of looking for each indicator.

    Args:
        posterior: The current posterior (hypotheses).
        likelihood: P(seen | h) of each indicator's report (indicators x hypotheses).
        detection: The chance of seeing each indicator had it occurred.

    Returns:
        ``(p_seen, if_seen, if_absent)``: the probability of seeing each
        indicator under the current posterior, and the posterior after
        seeing it and after looking and not finding it.
    """
    seen = detection[:, None] * likelihood * posterior[None, :]
    missed = (1.0 - detection[:, None] * likelihood) * posterior[None, :]
    p_seen = seen.sum(axis=1)
    p_missed = missed.sum(axis=1)
    # Seeing it is the same update whatever d is (d cancels); with d = 0 the
    # outcome cannot happen, and its posterior is left as the current one.
    found = likelihood * posterior[None, :]
    if_seen: Floats = found / found.sum(axis=1, keepdims=True)
    if_absent: Floats = np.divide(
        missed,
        p_missed[:, None],
        out=np.broadcast_to(posterior, missed.shape).copy(),
        where=p_missed[:, None] > 0,
    )
    return p_seen, if_seen, if_absent


def information_gain(
    prior: Floats,
    p_seen: Floats,
    if_seen: Floats,
    if_absent: Floats,
    diagnostic: npt.NDArray[np.bool_],
) -> Floats:
    """
    Expected entropy reduction in bits: H(p) - P(seen) H(p | seen) - P(absent) H(p | absent).

    It is the mutual information between the hypothesis and the outcome, so
    it is never negative and never above H(p); rounding is clipped to that
    range.  An indicator that is not ``diagnostic`` (the same P(seen | h)
    under every hypothesis, or d = 0) has gain 0 exactly.
    """
    before = float(entropy_bits(prior))
    after = p_seen * entropy_bits(if_seen) + (1.0 - p_seen) * entropy_bits(if_absent)
    gain: Floats = np.clip(before - after, 0.0, before)
    return np.where(diagnostic, gain, 0.0)


def _grouped(p: Floats, groups: Sequence[Sequence[int]]) -> Floats:
    """Sum the last axis of ``p`` over each group of columns (the answers)."""
    result: Floats = np.stack([p[..., list(g)].sum(axis=-1) for g in groups], axis=-1)
    return result


def _leader_changes(after: Floats, leader: int) -> npt.NDArray[np.bool_]:
    """Whether another hypothesis stands above the leader in each row (ties keep it)."""
    rounded = np.round(after, _TIE_DECIMALS)
    others = np.delete(rounded, leader, axis=1)
    best = others.max(axis=1) if others.shape[1] else np.full(len(after), -np.inf)
    changes: npt.NDArray[np.bool_] = best > rounded[:, leader]
    return changes


# --------------------------------------------------------------------------- results


@attrs.frozen
class IndicatorValue:
    """
    What looking for one pending indicator is worth.

    ``p_observed`` is the chance of seeing it under the current posterior
    (detection included); ``if_observed`` and ``if_absent`` the posterior
    after each outcome; ``expected_information_gain`` the expected fall in
    the entropy of the hypotheses, in bits, and ``answers_information_gain``
    that of the answers (None without answers); ``p_leader_changes`` the
    chance that the outcome puts another hypothesis first.

    .. versionadded:: 0.1
    """

    id: str
    description: str
    quality: float
    detection: float
    p_observed: float
    expected_information_gain: float
    answers_information_gain: float | None
    p_leader_changes: float
    if_observed: tuple[tuple[str, float], ...]
    if_absent: tuple[tuple[str, float], ...]
    answers_if_observed: tuple[tuple[str, float], ...] = ()
    answers_if_absent: tuple[tuple[str, float], ...] = ()
    answer_by: str | None = None
    overdue: bool = False

    def to_json(self) -> dict[str, object]:
        """The contract's fields (``docs/cli.md``), with the answers' when declared."""
        data: dict[str, object] = {
            "id": self.id,
            "description": self.description,
            "quality": self.quality,
            "detection": self.detection,
            "p_observed": self.p_observed,
            "expected_information_gain": self.expected_information_gain,
            "p_leader_changes": self.p_leader_changes,
            "if_observed": dict(self.if_observed),
            "if_absent": dict(self.if_absent),
            "answer_by": self.answer_by,
            "overdue": self.overdue,
        }
        if self.answers_information_gain is not None:
            data["answers_information_gain"] = self.answers_information_gain
            data["answers_if_observed"] = dict(self.answers_if_observed)
            data["answers_if_absent"] = dict(self.answers_if_absent)
        return data


@attrs.frozen
class Unseating:
    """
    The fewest plausible outcomes that would put ``challenger`` above ``leader``.

    ``observations`` pairs each indicator id with the outcome needed
    (``observed`` or ``absent``); ``leader_after`` and ``challenger_after``
    are their posteriors once all those outcomes are in.

    .. versionadded:: 0.1
    """

    leader: str
    challenger: str
    observations: tuple[tuple[str, str], ...]
    leader_after: float
    challenger_after: float

    def to_json(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "leader": self.leader,
            "challenger": self.challenger,
            "observations": [{"id": i, "outcome": o} for i, o in self.observations],
            "leader_after": self.leader_after,
            "challenger_after": self.challenger_after,
        }


@attrs.frozen
class LineStrength:
    """
    How far one existing line of reporting already separates a pair.

    ``grade`` is its originator's grade (``C3``); ``factor`` the odds it
    moves the pair by now (above 1 favours the first of the pair), and
    ``full_factor`` what it would move them by at full quality: the gap is
    what its grades and relays cost it.

    .. versionadded:: 0.1
    """

    line: str
    grade: str
    factor: float
    full_factor: float

    def to_json(self) -> dict[str, object]:
        """JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen
class Discriminator:
    """
    What kind of report would separate two hypotheses, or two answers.

    ``first`` and ``second`` are hypothesis ids (``between`` is
    ``hypotheses``) or answers (``answers``).  The report rates CC under
    the first's hypotheses, II under the second's and N elsewhere: the
    pattern with the largest likelihood ratio between them.  Graded
    ``grade``, it would move P(first) from ``probability`` to ``if_for``,
    and rated the other way round, to ``if_against``.  ``lines`` are the
    existing lines that already separate the pair, strongest first.

    .. versionadded:: 0.1
    """

    between: str
    first: str
    second: str
    grade: str
    pattern: tuple[tuple[str, str], ...]
    probability: float
    if_for: float
    if_against: float
    lines: tuple[LineStrength, ...]

    def to_json(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "between": self.between,
            "first": self.first,
            "second": self.second,
            "grade": self.grade,
            "pattern": dict(self.pattern),
            "probability": self.probability,
            "if_for": self.if_for,
            "if_against": self.if_against,
            "lines": [line.to_json() for line in self.lines],
        }


@attrs.frozen(eq=False)
class Plan:
    """
    What to collect next: the pending indicators ranked, and what would separate the leaders.

    ``indicators`` are ranked by expected information gain (ties by id);
    ``unseat`` is the fewest plausible outcomes that would unseat the leader
    (None when no set of pending indicators can); ``discriminators`` cover
    the leader and runner-up, then each pair of answers.

    .. versionadded:: 0.1
    """

    assessment: str
    digest: str
    leader: str
    runner_up: str | None
    entropy: float
    answers_entropy: float | None
    indicators: tuple[IndicatorValue, ...]
    unseat: Unseating | None
    discriminators: tuple[Discriminator, ...]
    plausible: float

    def to_json(self) -> dict[str, object]:
        """The plan as JSON-ready data (format ``assess-collect/1``)."""
        data: dict[str, object] = {
            "format": COLLECT_FORMAT,
            "assessment": self.assessment,
            "digest": self.digest,
            "leader": self.leader,
            "runner_up": self.runner_up,
            "entropy": self.entropy,
            "plausible": self.plausible,
            "indicators": [i.to_json() for i in self.indicators],
            "unseat": None if self.unseat is None else self.unseat.to_json(),
            "discriminators": [d.to_json() for d in self.discriminators],
        }
        if self.answers_entropy is not None:
            data["answers_entropy"] = self.answers_entropy
        return data


# --------------------------------------------------------------------------- the plan


def _pairs(values: Sequence[str], numbers: Floats) -> tuple[tuple[str, float], ...]:
    return tuple((v, float(x)) for v, x in zip(values, numbers.tolist(), strict=True))


def _unseat(
    hypotheses: Sequence[str],
    posterior: Floats,
    leader: int,
    *,
    ids: Sequence[str],
    seen: Floats,
    missed: Floats,
    p_seen: Floats,
    plausible: float,
) -> Unseating | None:
    """
    The fewest plausible outcomes that lift some challenger above the leader.

    For one challenger g, each indicator offers at most one outcome, and an
    outcome o moves ln P(g) - ln P(leader) by ln P(o | g) - ln P(o | leader).
    The moves add, so taking each indicator's larger move, largest first
    (ties by id), reaches the gap in the fewest steps; the fewest over every
    challenger is the answer (ties: the first-declared challenger).  Only
    outcomes at least ``plausible`` likely count; an outcome seen and one
    not found that move g equally count as seen.  Every challenger at once,
    as arrays: indicators x hypotheses.
    """
    count, _ = seen.shape
    if count == 0:
        return None
    log_seen, log_missed = np.log(seen), np.log(missed)
    can_see = (p_seen >= plausible) & (p_seen > 0)
    can_miss = (1.0 - p_seen >= plausible) & (1.0 - p_seen > 0)
    by_seeing = np.where(can_see[:, None], log_seen - log_seen[:, [leader]], -np.inf)
    by_missing = np.where(can_miss[:, None], log_missed - log_missed[:, [leader]], -np.inf)
    not_found = by_missing > by_seeing
    move = np.maximum(np.maximum(by_seeing, by_missing), 0.0)
    by_id = np.argsort(np.argsort(np.array(ids, dtype=object)))
    order = np.lexsort((np.broadcast_to(by_id[:, None], move.shape), -move), axis=0)
    moves = np.take_along_axis(move, order, axis=0)
    with np.errstate(divide="ignore"):
        log_post = np.log(posterior)
    gap = log_post[leader] - log_post
    reached = (np.round(np.cumsum(moves, axis=0) - gap[None, :], _TIE_DECIMALS) > 0) & (moves > 0)
    possible = reached.any(axis=0) & np.isfinite(gap)
    possible[leader] = False
    if not possible.any():
        return None
    steps = np.where(possible, np.argmax(reached, axis=0) + 1, count + 1)
    g = int(np.argmin(steps))
    rows = order[: steps[g], g]
    after = log_post.copy()
    for k in rows.tolist():
        after = after + (log_missed[k] if not_found[k, g] else log_seen[k])
    after = np.exp(after - after.max())
    after /= after.sum()
    return Unseating(
        leader=hypotheses[leader],
        challenger=hypotheses[g],
        observations=tuple(
            sorted((ids[k], "absent" if not_found[k, g] else "observed") for k in rows.tolist())
        ),
        leader_after=float(after[leader]),
        challenger_after=float(after[g]),
    )


def _grade(scoring: Scoring) -> tuple[str, float]:
    rule = scoring.collection
    quality = (
        scoring.reliability_values[rule.reliability] * scoring.credibility_values[rule.credibility]
    )
    return f"{rule.reliability.value}{int(rule.credibility)}", quality


def _discriminators(
    scores: Scores, scoring: Scoring, assessment: Assessment
) -> tuple[Discriminator, ...]:

    matrix = scores.matrix
    posterior = scores.arrays.posterior
    hypotheses = matrix.hypotheses
    grade, quality = _grade(scoring)
    table = scoring.likelihoods
    strong = quality * table[Rating.CC] + (1 - quality) * 0.5
    weak = quality * table[Rating.II] + (1 - quality) * 0.5
    neutral = quality * table[Rating.N] + (1 - quality) * 0.5
    roots = matrix.lines.root
    tempering = matrix.tempering
    log_now = row_log_likelihoods(
        matrix.codes[roots], matrix.line_quality, matrix.likelihoods, matrix.priors
    )
    log_full = row_log_likelihoods(
        matrix.codes[roots], np.ones(len(roots)), matrix.likelihoods, matrix.priors
    )
    sources = {s.id: s for s in assessment.sources}
    items = assessment.evidence
    root_grade = [
        f"{sources[items[r].source].reliability.value}{int(items[r].credibility)}"
        for r in roots.tolist()
    ]
    root_id = [matrix.evidence[r] for r in roots.tolist()]

    def build(between: str, first: str, second: str, a: list[int], b: list[int]) -> Discriminator:
        def update(ell: Floats) -> float:
            after = posterior * ell
            return float(after[a].sum() / after.sum())

        pattern = np.full(len(hypotheses), neutral)
        pattern[a] = strong
        pattern[b] = weak
        against = np.full(len(hypotheses), neutral)
        against[a] = weak
        against[b] = strong
        prior_a = matrix.priors[a] / matrix.priors[a].sum()
        prior_b = matrix.priors[b] / matrix.priors[b].sum()

        def ratio(log_ell: Floats) -> Floats:
            # ln of the pair's likelihood ratio per line: within an answer its
            # hypotheses are weighted by their priors.
            top = np.log((np.exp(log_ell[:, a]) * prior_a).sum(axis=1))
            bottom = np.log((np.exp(log_ell[:, b]) * prior_b).sum(axis=1))
            result: Floats = tempering * (top - bottom)
            return result

        now, full = ratio(log_now), ratio(log_full)
        found = [
            LineStrength(
                line=root_id[k],
                grade=root_grade[k],
                factor=float(np.exp(now[k])),
                full_factor=float(np.exp(full[k])),
            )
            for k in np.flatnonzero(np.round(now, _TIE_DECIMALS) != 0).tolist()
        ]
        found.sort(key=lambda s: (-abs(math.log(s.factor)), s.line))
        names = [
            (hypotheses[j], "CC" if j in a else "II" if j in b else "N")
            for j in range(len(hypotheses))
        ]
        return Discriminator(
            between=between,
            first=first,
            second=second,
            grade=grade,
            pattern=tuple(names),
            probability=float(posterior[a].sum()),
            if_for=update(pattern),
            if_against=update(against),
            lines=tuple(found),
        )

    found: list[Discriminator] = []
    order = np.argsort(scores.arrays.rank, kind="stable")
    if len(order) >= 2:
        lead, runner = int(order[0]), int(order[1])
        found.append(build("hypotheses", hypotheses[lead], hypotheses[runner], [lead], [runner]))
    groups: dict[str, list[int]] = {}
    for j, answer in enumerate(matrix.answers):
        if answer is not None:
            groups.setdefault(answer, []).append(j)
    names = list(groups)
    found.extend(
        build("answers", first, second, groups[first], groups[second])
        for x, first in enumerate(names)
        for second in names[x + 1 :]
    )
    return tuple(found)


def collect(assessment: Assessment, *, scores: Scores | None = None) -> Plan:
    """
    Rank the pending indicators by what looking for them is expected to teach.

    Args:
        assessment: The assessment, as written (observed and absent
            indicators are already in its scores).
        scores: Its scores, when already computed (:func:`assess.score`).

    Returns:
        The plan: pending indicators ranked by expected information gain,
        the fewest plausible outcomes that would unseat the leader, and
        discriminators for the leading pair and for each pair of answers.

    .. versionadded:: 0.1
    """
    if scores is None:
        scores = score(assessment)
    folded = observed_as_evidence(assessment)
    settings = assessment.scoring
    matrix = scores.matrix
    hypotheses = matrix.hypotheses
    posterior = scores.arrays.posterior
    leader = int(np.argmin(scores.arrays.rank))
    order = np.argsort(scores.arrays.rank, kind="stable")
    runner = hypotheses[int(order[1])] if len(order) > 1 else None
    pending = [i for i in assessment.indicators if i.status is IndicatorStatus.PENDING]
    late = {i.id for _, i in overdue(assessment)}
    groups: dict[str, list[int]] = {}
    for j, answer in enumerate(matrix.answers):
        if answer is not None:
            groups.setdefault(answer, []).append(j)
    answer_names = list(groups)
    grouped = list(groups.values())
    likelihood, quality = report_likelihoods(pending, hypotheses, settings)
    detection = detections(pending, settings)
    p_seen, if_seen, if_absent = outcomes(posterior, likelihood, detection)
    spread = likelihood.max(axis=1, initial=0.0) - likelihood.min(axis=1, initial=1.0)
    diagnostic = (spread > 0) & (detection > 0)
    gain = information_gain(posterior, p_seen, if_seen, if_absent, diagnostic)
    answers_gain: Floats | None = None
    if grouped:
        answers_gain = information_gain(
            _grouped(posterior, grouped),
            p_seen,
            _grouped(if_seen, grouped),
            _grouped(if_absent, grouped),
            diagnostic,
        )
    changes = p_seen * _leader_changes(if_seen, leader) + (1 - p_seen) * _leader_changes(
        if_absent, leader
    )
    values = []
    for k, indicator in enumerate(pending):
        answers = (
            (
                _pairs(answer_names, _grouped(if_seen[k], grouped)),
                _pairs(answer_names, _grouped(if_absent[k], grouped)),
            )
            if grouped
            else ((), ())
        )
        values.append(
            IndicatorValue(
                id=indicator.id,
                description=indicator.description,
                quality=float(quality[k]),
                detection=float(detection[k]),
                p_observed=float(p_seen[k]),
                expected_information_gain=float(gain[k]),
                answers_information_gain=None if answers_gain is None else float(answers_gain[k]),
                p_leader_changes=float(changes[k]) if diagnostic[k] else 0.0,
                if_observed=_pairs(hypotheses, if_seen[k]),
                if_absent=_pairs(hypotheses, if_absent[k]),
                answers_if_observed=answers[0],
                answers_if_absent=answers[1],
                answer_by=None if indicator.answer_by is None else indicator.answer_by.isoformat(),
                overdue=indicator.id in late,
            )
        )
    values.sort(key=lambda v: (-v.expected_information_gain, v.id))
    return Plan(
        assessment=scores.assessment,
        digest=scores.digest,
        leader=hypotheses[leader],
        runner_up=runner,
        entropy=float(entropy_bits(posterior)),
        answers_entropy=float(entropy_bits(_grouped(posterior, grouped))) if grouped else None,
        indicators=tuple(values),
        unseat=_unseat(
            hypotheses,
            posterior,
            leader,
            ids=[i.id for i in pending],
            seen=likelihood,
            missed=1.0 - detection[:, None] * likelihood,
            p_seen=p_seen,
            plausible=settings.collection.plausible,
        ),
        discriminators=_discriminators(scores, settings, folded),
        plausible=settings.collection.plausible,
    )
