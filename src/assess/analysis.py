"""
How sure can we be: the confidence level and what stands behind it.

:func:`analyse` scores an assessment and adds what a ranking alone does not
say: linchpins, Monte Carlo stability, a confidence level from a documented
rule with every input shown, estimative terms, deception flags, disputed
cells and each analyst's own ranking, and the coherence of stated
probabilities.  Flags and disputes never change a score.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np

from assess.coherence import check_coherence
from assess.language import estimative_term
from assess.model import AnalystRatings, AssumptionStatus, Credibility, Kind, Rating, Reliability
from assess.scoring import Scores, ScoreWarning, score
from assess.sensitivity import (
    ClusterContribution,
    Linchpin,
    Sensitivity,
    cluster_contributions,
    linchpins,
    monte_carlo,
)

if TYPE_CHECKING:
    from assess.calibration import ResolvedScore
    from assess.coherence import Coherence
    from assess.evidence_theory import DempsterShafer
    from assess.model import Assessment, ConfidenceRule
    from assess.opinions import HypothesisOpinion

__all__ = [
    "DISAGREEMENT_SCALE",
    "Analysis",
    "AnalystView",
    "Confidence",
    "DisputedCell",
    "Flag",
    "analyse",
]

#: Heuer's ratings as numbers, for disagreement between analysts.
DISAGREEMENT_SCALE: Final = {Rating.II: -2, Rating.I: -1, Rating.N: 0, Rating.C: 1, Rating.CC: 2}
#: The most hypotheses for which the Dempster-Shafer view is computed: focal
#: sets are subsets of the hypotheses, up to 2**16 of them per combination.
DEMPSTER_SHAFER_MAX_HYPOTHESES: Final = 16
#: Diagnosticity (decibans) from which an interested party's statement is flagged.
SELF_SERVING_DB: Final = 3.0
#: Kinds of item by which a party speaks for itself (a denial, a claim).
SPEECH: Final = frozenset({Kind.DENIAL, Kind.STATEMENT, Kind.TESTIMONY})
WEAK_RELIABILITY: Final = frozenset({Reliability.D, Reliability.E, Reliability.F})
WEAK_CREDIBILITY: Final = frozenset(
    {Credibility.DOUBTFUL, Credibility.IMPROBABLE, Credibility.CANNOT_BE_JUDGED}
)


@attrs.frozen
class Confidence:
    """
    The confidence level and every input of the rule that set it.

    .. versionadded:: 0.1
    """

    level: str
    leader: str
    runner_up: str
    support: int
    supporting_clusters: tuple[str, ...]
    stability: float
    unsupported_assumptions: tuple[str, ...]
    rule: ConfidenceRule
    reasons: tuple[str, ...]

    @property
    def assumptions_pass(self) -> bool:
        """No unsupported key assumption is attached to the leader."""
        return not self.unsupported_assumptions


@attrs.frozen
class Flag:
    """
    A warning about possible deception or a weak foundation; it changes no score.

    .. versionadded:: 0.1
    """

    code: str
    subject: str
    reason: str


@attrs.frozen
class DisputedCell:
    """
    A cell the analysts disagree on: population SD of their ratings at the threshold or above.

    .. versionadded:: 0.1
    """

    item: str
    hypothesis: str
    ratings: tuple[tuple[str, str], ...]
    spread: float


@attrs.frozen
class AnalystView:
    """
    One analyst's own ranking: the team's matrix with this analyst's ratings in team cells.

    .. versionadded:: 0.1
    """

    analyst: str
    ranking: tuple[str, ...]
    posteriors: tuple[float, ...]


@attrs.frozen(eq=False)
class Analysis:
    """
    Everything :func:`analyse` found.

    .. versionadded:: 0.1
    """

    scores: Scores
    sensitivity: Sensitivity
    linchpins: tuple[Linchpin, ...]
    confidence: Confidence
    flags: tuple[Flag, ...]
    disputed: tuple[DisputedCell, ...]
    analysts: tuple[AnalystView, ...]
    coherence: tuple[tuple[str, Coherence], ...]
    opinions: tuple[HypothesisOpinion, ...] = ()
    dempster_shafer: DempsterShafer | None = None
    calibration: ResolvedScore | None = None

    @property
    def warnings(self) -> tuple[ScoreWarning, ...]:
        """The scores' warnings, then those of the Dempster-Shafer view (high conflict)."""
        extra = () if self.dempster_shafer is None else self.dempster_shafer.warnings
        return self.scores.warnings + extra

    def estimative(self, scale: str = "icd203") -> dict[str, str]:
        """Each hypothesis's posterior in words."""
        return {h.id: estimative_term(h.posterior, scale) for h in self.scores.hypotheses}

    def to_json(self) -> dict[str, object]:
        """The scores plus the confidence level, estimative terms, flags and disputed cells."""
        data = self.scores.to_json()
        data["estimative"] = {"scale": "icd203", "terms": self.estimative()}
        data["confidence"] = {
            "level": self.confidence.level,
            "leader": self.confidence.leader,
            "runner_up": self.confidence.runner_up,
            "support": self.confidence.support,
            "supporting_clusters": list(self.confidence.supporting_clusters),
            "stability": self.confidence.stability,
            "assumptions_pass": self.confidence.assumptions_pass,
            "unsupported_assumptions": list(self.confidence.unsupported_assumptions),
            "rule": attrs.asdict(self.confidence.rule),
            "reasons": list(self.confidence.reasons),
        }
        data["flags"] = [attrs.asdict(f) for f in self.flags]
        data["disputed"] = [
            {
                "item": d.item,
                "hypothesis": d.hypothesis,
                "ratings": dict(d.ratings),
                "spread": d.spread,
            }
            for d in self.disputed
        ]
        data["sensitivity"] = self.sensitivity.to_json()
        data["linchpins"] = [attrs.asdict(lp) for lp in self.linchpins]
        data["analysts"] = [attrs.asdict(v) for v in self.analysts]
        data["coherence"] = [
            {
                "who": who,
                "total": c.total,
                "coherent": c.coherent,
                "projection": dict(c.projection),
            }
            for who, c in self.coherence
        ]
        data["warnings"] = [attrs.asdict(w) for w in self.warnings]
        data["opinions"] = [o.to_json() for o in self.opinions]
        data["dempster_shafer"] = (
            None if self.dempster_shafer is None else self.dempster_shafer.to_json()
        )
        if self.calibration is not None:
            data["calibration"] = self.calibration.to_json()
        return data


def _support(
    parts: tuple[ClusterContribution, ...], leader: int, runner: int, rule: ConfidenceRule
) -> tuple[str, ...]:
    """Clusters of good quality whose likelihood ratio favours the leader over the runner-up."""
    threshold = math.log(rule.support_ratio) if rule.support_ratio > 0 else -math.inf
    return tuple(
        part.cluster
        for part in parts
        if part.best_quality >= rule.support_quality
        and part.log_likelihood[leader] - part.log_likelihood[runner] >= threshold
    )


def _confidence(
    assessment: Assessment,
    scores: Scores,
    sensitivity: Sensitivity,
    parts: tuple[ClusterContribution, ...],
) -> Confidence:
    rule = assessment.scoring.confidence
    ranking = scores.ranking
    leader, runner = ranking[0].id, ranking[1].id
    ids = scores.matrix.hypotheses
    supporting = _support(parts, ids.index(leader), ids.index(runner), rule)
    stability = sensitivity.stability[ids.index(leader)]
    unsupported = tuple(
        a.id
        for a in assessment.assumptions
        if a.status is AssumptionStatus.UNSUPPORTED and leader in a.hypotheses
    )
    support = len(supporting)
    if support >= rule.high_support and stability >= rule.high_stability and not unsupported:
        level = "high"
    elif support >= rule.moderate_support and stability >= rule.moderate_stability:
        level = "moderate"
    else:
        level = "low"
    reasons = (
        (
            f"{support} independent line{'s' if support != 1 else ''} of support for {leader}"
            f" over {runner} (high needs {rule.high_support}, moderate {rule.moderate_support})"
        ),
        (
            f"{leader} leads in {stability:.1%} of {sensitivity.draws:,} perturbed draws"
            f" (high needs {rule.high_stability:.0%}, moderate {rule.moderate_stability:.0%})"
        ),
        (
            f"unsupported key assumption{'s' if len(unsupported) > 1 else ''}"
            f" {', '.join(unsupported)} bear{'s' if len(unsupported) == 1 else ''} on {leader}"
            " (high needs none)"
            if unsupported
            else f"no unsupported key assumption bears on {leader}"
        ),
    )
    return Confidence(
        level=level,
        leader=leader,
        runner_up=runner,
        support=support,
        supporting_clusters=supporting,
        stability=stability,
        unsupported_assumptions=unsupported,
        rule=rule,
        reasons=reasons,
    )


def _flags(assessment: Assessment, scores: Scores, pins: tuple[Linchpin, ...]) -> tuple[Flag, ...]:
    sources = {s.id: s for s in assessment.sources}
    items = {e.id: e for e in assessment.evidence}
    flags: list[Flag] = []
    for record in scores.evidence:
        item = items[record.id]
        source = sources[item.source]
        if source.interested and item.kind in SPEECH and record.diagnosticity >= SELF_SERVING_DB:
            flags.append(
                Flag(
                    "self-serving",
                    item.id,
                    f"a {item.kind.value} by an interested party ({source.name}) that moves the"
                    f" odds by {record.diagnosticity:.1f} dB: it serves its source, so weigh it"
                    " for deception",
                )
            )
    members: dict[str, list[str]] = {}
    for record in scores.evidence:
        members.setdefault(record.cluster, []).append(record.id)
    for cluster, ids in members.items():
        if len(ids) > 1 and all(sources[items[i].source].interested for i in ids):
            flags.append(
                Flag(
                    "interested-cluster",
                    cluster,
                    f"repeated reporting ({', '.join(ids)}) carried only by interested sources",
                )
            )
    for pin in pins:
        if not pin.leader_changes:
            continue
        for member in pin.members:
            item = items[member]
            reliability = sources[item.source].reliability
            if reliability in WEAK_RELIABILITY or item.credibility in WEAK_CREDIBILITY:
                flags.append(
                    Flag(
                        "weak-linchpin",
                        member,
                        f"the leader changes without {member}, which rests on a source graded"
                        f" {reliability.value} and credibility {int(item.credibility)}",
                    )
                )
    return tuple(flags)


def _disputed(assessment: Assessment) -> tuple[DisputedCell, ...]:
    threshold = assessment.scoring.dispute
    found = []
    for item in assessment.evidence:
        for hypothesis, cell in item.ratings.items():
            if not isinstance(cell, AnalystRatings):
                continue
            votes = {a: r for a, r in cell.items() if r != Rating.NA}
            if len(votes) < 2:
                continue
            spread = float(np.std([DISAGREEMENT_SCALE[r] for r in votes.values()]))
            if spread >= threshold:
                found.append(
                    DisputedCell(
                        item=item.id,
                        hypothesis=hypothesis,
                        ratings=tuple((a, r.value) for a, r in votes.items()),
                        spread=spread,
                    )
                )
    return tuple(found)


def _analyst_views(assessment: Assessment) -> tuple[AnalystView, ...]:
    views = []
    for analyst in assessment.analysts:
        changed = []
        for item in assessment.evidence:
            cells = {
                h: (cell[analyst] if isinstance(cell, AnalystRatings) and analyst in cell else cell)
                for h, cell in item.ratings.items()
            }
            changed.append(attrs.evolve(item, ratings=cells))
        own = score(attrs.evolve(assessment, evidence=changed))
        views.append(
            AnalystView(
                analyst=analyst,
                ranking=tuple(h.id for h in own.ranking),
                posteriors=tuple(h.posterior for h in own.hypotheses),
            )
        )
    return tuple(views)


def _coherence(assessment: Assessment) -> tuple[tuple[str, Coherence], ...]:
    stated: list[tuple[str, Coherence]] = []
    if all(h.prior is not None for h in assessment.hypotheses):
        priors = {h.id: float(h.prior) for h in assessment.hypotheses if h.prior is not None}
        stated.append(("priors", check_coherence(priors)))
    # A hypothesis a judgement leaves out is stated as 0: the set must still cover them all.
    stated.extend(
        (
            f"judgement.{who}",
            check_coherence({h.id: numbers.get(h.id, 0.0) for h in assessment.hypotheses}),
        )
        for who, numbers in assessment.judgement.items()
    )
    return tuple(stated)


def analyse(
    assessment: Assessment, *, draws: int | None = None, seed: int | None = None
) -> Analysis:
    """
    Score an assessment and test how sure the conclusion can be.

    Args:
        assessment: The assessment.
        draws: Monte Carlo draws (default: ``scoring.draws``, 10,000).
        seed: Monte Carlo seed (default: ``scoring.seed``, 0).

    Returns:
        The analysis.

    .. versionadded:: 0.1
    """
    scores = score(assessment)
    parts = tuple(cluster_contributions(scores))
    pins = linchpins(scores, parts)
    sensitivity = monte_carlo(
        scores,
        draws=assessment.scoring.draws if draws is None else draws,
        seed=assessment.scoring.seed if seed is None else seed,
        perturbation=assessment.scoring.perturbation,
    )
    from assess.evidence_theory import dempster_shafer  # noqa: PLC0415 -- the views after scores
    from assess.opinions import opinions  # noqa: PLC0415

    small = len(assessment.hypotheses) <= DEMPSTER_SHAFER_MAX_HYPOTHESES
    scored = None
    if assessment.outcome is not None:
        from assess.calibration import calibrate  # noqa: PLC0415 -- resolved assessments only

        scored = calibrate([assessment]).resolved[0]
    return Analysis(
        scores=scores,
        sensitivity=sensitivity,
        linchpins=pins,
        confidence=_confidence(assessment, scores, sensitivity, parts),
        flags=_flags(assessment, scores, pins),
        disputed=_disputed(assessment),
        analysts=_analyst_views(assessment),
        coherence=_coherence(assessment),
        opinions=opinions(scores),
        dempster_shafer=dempster_shafer(scores) if small else None,
        calibration=scored,
    )
