"""
How sure can we be: the confidence level and what stands behind it.

:func:`analyse` scores an assessment and adds what a ranking alone does not
say: linchpins, Monte Carlo stability, a confidence level from a documented
rule with every input shown, estimative terms, deception flags, disputed
cells and each analyst's own ranking, and the coherence of stated
probabilities.  Flags and disputes never change a score.

The confidence rule (``docs/methods.md``, "Confidence") weighs the evidence,
not the margin: the weight of evidence between the two leaders in decibans
(:func:`line_weights`), the independent parties behind it, the share of it
resting on interested or unjudgeable sources, its robustness in the Monte
Carlo and the key assumptions (:func:`confidence_level`).

Before anything is scored, :func:`check_budget` holds the Monte Carlo's
draws against its budget (:data:`assess.methods.sensitivity.BUDGET`), so that a
small file cannot ask for hours of work or gigabytes of memory.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.errors import InputError, Problem
from assess.methods.language import estimative_term
from assess.methods.scoring import (
    CODES,
    NON_DIAGNOSTIC,
    Scores,
    ScoreWarning,
    line_log_likelihoods,
    pooled,
    row_log_likelihoods,
    score,
)
from assess.methods.sensitivity import (
    BUDGET,
    HYPOTHESIS_WORK,
    Linchpin,
    Sensitivity,
    budget_draws,
    linchpins,
    monte_carlo,
)
from assess.model import AnalystRatings, AssumptionStatus, Credibility, Kind, Rating, Reliability
from assess.model.coherence import check_coherence
from assess.model.display import Displayed, view

if TYPE_CHECKING:
    from collections.abc import Iterable

    from assess.methods.calibration import ResolvedScore
    from assess.methods.collection import Plan
    from assess.methods.evidence_theory import DempsterShafer
    from assess.methods.opinions import HypothesisOpinion
    from assess.methods.scoring import Matrix
    from assess.model import Assessment, ConfidenceRule
    from assess.model.coherence import Coherence

__all__ = [
    "DISAGREEMENT_SCALE",
    "Analysis",
    "AnalystView",
    "BudgetError",
    "Confidence",
    "DisputedCell",
    "Flag",
    "analyse",
    "check_budget",
    "confidence_level",
    "line_weights",
]

#: Heuer's ratings as numbers, for disagreement between analysts.
DISAGREEMENT_SCALE: Final = {Rating.II: -2, Rating.I: -1, Rating.N: 0, Rating.C: 1, Rating.CC: 2}
#: The most hypotheses for which the Dempster-Shafer view is computed: focal
#: sets are subsets of the hypotheses, up to 2**16 of them per combination.
DEMPSTER_SHAFER_MAX_HYPOTHESES: Final = 16
#: The 0.1 threshold of the self-serving flag, in decibans; the flag now rests
#: on the claim's direction, not on its weight, and no longer uses it.
SELF_SERVING_DB: Final = 3.0
DECIBANS: Final = 10 / math.log(10)
"""Decibans per natural-log unit of likelihood ratio (Good's deciban: 10 log10)."""
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

    Attributes:
        level: ``high``, ``moderate`` or ``low``.
        leader: The hypothesis ranked first.
        runner_up: The hypothesis ranked second.
        weight_db: The weight of evidence for the leader over the runner-up,
            in decibans: sum over lines of tempering x 10 log10 of the
            likelihood ratio (NA cells filled as in scoring).
        sources: How many originators' lines, summed per source, favour the
            leader over the runner-up.
        parties: How many parties' lines, summed per party, favour the
            leader (a source without a party is a party of its own): the
            number of independent parties behind the support, which the rule
            compares with ``high_support`` and ``moderate_support``.
        interested_share: The share of the weight of the lines favouring the
            leader that rests on interested or unjudgeable (F, 6) sources.
        supporting_lines: The lines favouring the leader, by the id of their root.
        stability: The share of Monte Carlo draws in which the leader leads.
        unsupported_assumptions: Unsupported key assumptions on the leader.
        rule: The thresholds.
        reasons: One sentence per input, with its thresholds.

    .. versionadded:: 0.1
    """

    level: str
    leader: str
    runner_up: str
    weight_db: float
    sources: int
    parties: int
    interested_share: float
    supporting_lines: tuple[str, ...]
    stability: float
    unsupported_assumptions: tuple[str, ...]
    rule: ConfidenceRule
    reasons: tuple[str, ...]

    @property
    def assumptions_pass(self) -> bool:
        """No unsupported key assumption is attached to the leader."""
        return not self.unsupported_assumptions

    @property
    def support(self) -> int:
        """The 0.1 name of the count the rule holds against its support thresholds: parties."""
        return self.parties

    @property
    def supporting_clusters(self) -> tuple[str, ...]:
        """The 0.1 name of :attr:`supporting_lines`."""
        return self.supporting_lines

    def to_json(self) -> dict[str, object]:
        """JSON-ready data: the level and every input."""
        return {
            "level": self.level,
            "leader": self.leader,
            "runner_up": self.runner_up,
            "weight_db": self.weight_db,
            "sources": self.sources,
            "parties": self.parties,
            "interested_share": self.interested_share,
            "supporting_lines": list(self.supporting_lines),
            "stability": self.stability,
            "assumptions_pass": self.assumptions_pass,
            "unsupported_assumptions": list(self.unsupported_assumptions),
            "rule": attrs.asdict(self.rule),
            "reasons": list(self.reasons),
        }


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
class Analysis(Displayed):
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
    collection: Plan | None = None

    def __repr__(self) -> str:
        leader = self.scores.ranking[0]
        return (
            f"Analysis({self.scores.assessment!r}, leader {leader.id} {leader.posterior:.3f},"
            f" confidence {self.confidence.level}, {len(self.flags)} flags)"
        )

    @property
    def warnings(self) -> tuple[ScoreWarning, ...]:
        """The scores' warnings, then those of the Dempster-Shafer view (high conflict)."""
        extra = () if self.dempster_shafer is None else self.dempster_shafer.warnings
        return self.scores.warnings + extra

    def to_pandas(self) -> dict[str, Any]:
        """
        Frames of the hypotheses, lines and flags (:func:`assess.views.frames.analysis_frames`).

        Needs the ``pandas`` extra.

        .. versionadded:: 0.1
        """
        frames: dict[str, Any] = view(self, "pandas")
        return frames

    def estimative(self, scale: str = "icd203") -> dict[str, str]:
        """Each hypothesis's posterior in words."""
        return {h.id: estimative_term(h.posterior, scale) for h in self.scores.hypotheses}

    def _answers(self) -> list[dict[str, object]]:
        """Each answer with its probability, its ICD 203 term and its 5-95% band."""
        found = []
        for answer in self.scores.answers:
            record: dict[str, object] = {
                "answer": answer.answer,
                "hypotheses": list(answer.hypotheses),
                "prior": answer.prior,
                "probability": answer.probability,
                "term": estimative_term(answer.probability),
            }
            if answer.answer in self.sensitivity.answers:
                _, (low, _, high) = self.sensitivity.of_answer(answer.answer)
                record["band"] = [low, high]
            found.append(record)
        return found

    def to_json(self) -> dict[str, object]:
        """The scores plus the confidence level, estimative terms, flags and disputed cells."""
        data = self.scores.to_json()
        data["estimative"] = {"scale": "icd203", "terms": self.estimative()}
        data["confidence"] = self.confidence.to_json()
        data["answers"] = self._answers()
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
        if self.collection is not None:
            plan = self.collection.to_json()
            for key in ("format", "assessment", "digest"):  # the analysis says these once
                del plan[key]
            data["collection"] = plan
        return data


Floats = npt.NDArray[np.float64]
_NA: Final = CODES[Rating.NA]


class BudgetError(InputError):
    """
    The Monte Carlo would take more work than its budget allows.

    One problem, at ``scoring.draws``.  ``option`` says whether the draws
    came from the caller (``analyse(draws=...)``, the command line's
    ``--draws``) rather than from the file; ``most`` is the most draws the
    budget allows for this assessment; ``reason`` says why, without the
    remedy, for a caller that names the option itself.

    .. versionadded:: 0.1
    """

    def __init__(
        self, problems: Iterable[Problem], draws: int, most: int, option: bool, reason: str
    ) -> None:
        super().__init__(problems)
        self.draws = draws
        self.most = most
        self.option = option
        self.reason = reason

    def __reduce__(  # type: ignore[override]  # more arguments than InputError's
        self,
    ) -> tuple[type[BudgetError], tuple[tuple[Problem, ...], int, int, bool, str]]:
        return (type(self), (self.problems, self.draws, self.most, self.option, self.reason))


def check_budget(assessment: Assessment, *, draws: int | None = None) -> None:
    """
    Refuse Monte Carlo draws past the budget, before anything is scored.

    The work is ``draws`` x :func:`assess.methods.sensitivity.draw_work` of the
    assessment's hypotheses, items, sources and analysts' ratings in team
    cells, and may not exceed :data:`assess.methods.sensitivity.BUDGET`.

    Args:
        assessment: The assessment.
        draws: The draws asked for instead of ``scoring.draws``, if any.

    Raises:
        BudgetError: Past the budget: an input problem at ``scoring.draws``
            that names the most draws the budget allows.

    .. versionadded:: 0.1
    """
    option = draws is not None
    wanted = assessment.scoring.draws if draws is None else draws
    analysts = len(assessment.analysts)
    votes = sum(
        analysts
        for item in assessment.evidence
        for cell in item.ratings.values()
        if isinstance(cell, AnalystRatings) and cell.informative()
    )
    hypotheses, items = len(assessment.hypotheses), len(assessment.evidence)
    most = budget_draws(hypotheses, items, len(assessment.sources), votes)
    if wanted <= most:
        return
    reason = (
        f"{wanted:,} draws of {hypotheses:,} {'hypothesis' if hypotheses == 1 else 'hypotheses'}"
        f" x {items:,} item{'' if items == 1 else 's'} exceed the Monte Carlo budget of {BUDGET:,}"
        f" (draws x (hypotheses + 1) x (items + {HYPOTHESIS_WORK}) and a little more;"
        f" docs/methods.md, section 9): at most {most:,} draws fit"
    )
    remedy = f"set scoring.draws to at most {most} or run with --draws {most}"
    problem = Problem(f"{reason}; {remedy}", ("scoring", "draws"))
    raise BudgetError([problem], wanted, most, option, reason)


def line_weights(scores: Scores, leader: str, runner_up: str) -> Floats:
    """
    Each line's weight of evidence for ``leader`` over ``runner_up``, in decibans.

    w = tempering x 10 log10(l(leader) / l(runner_up)) over the line's root
    at the line's quality, NA cells filled with the row's mean as in
    scoring, so that the weights sum to the log-likelihood ratio of the two
    in decibans.  Every rating pair counts (C against N from an A1 source is
    10 log10(0.8 / 0.5) = 2.04 dB).

    .. versionadded:: 0.1
    """
    ids = scores.matrix.hypotheses
    log_ell, factor = line_log_likelihoods(scores)
    weights: Floats = (
        factor * DECIBANS * (log_ell[:, ids.index(leader)] - log_ell[:, ids.index(runner_up)])
    )
    return weights


def _resting(assessment: Assessment, matrix: Matrix) -> npt.NDArray[np.bool_]:
    """
    Whether each line rests on interested or unjudgeable sources.

    A line rests on them when its originator is interested or graded F, its
    root is graded 6, or every one of its routes passes through an
    interested or F-graded relay: then no way the report reached us avoids
    them.
    """
    weak = [s.interested or s.reliability is Reliability.F for s in assessment.sources]
    items = assessment.evidence
    resting = np.zeros(matrix.lines.root.size, dtype=bool)
    for k, routes in enumerate(matrix.lines.routes):
        root = int(matrix.lines.root[k])
        resting[k] = (
            weak[int(matrix.source[root])]
            or items[root].credibility is Credibility.CANNOT_BE_JUDGED
            or all(any(weak[relay] for relay in route) for route in routes)
        )
    return resting


def confidence_level(
    *,
    weight_db: float,
    parties: int,
    interested_share: float,
    stability: float,
    assumptions_pass: bool,
    rule: ConfidenceRule,
) -> str:
    """
    The confidence rule: high, moderate or low from its inputs.

    High needs weight_db >= ``high_weight``, parties >= ``high_support``,
    interested_share <= ``high_interested_share``, stability >=
    ``high_stability`` and no unsupported key assumption on the leader.
    Moderate needs the moderate thresholds of the first four.  Anything else
    is low.

    .. versionadded:: 0.1
    """
    if (
        weight_db >= rule.high_weight
        and parties >= rule.high_support
        and interested_share <= rule.high_interested_share
        and stability >= rule.high_stability
        and assumptions_pass
    ):
        return "high"
    if (
        weight_db >= rule.moderate_weight
        and parties >= rule.moderate_support
        and interested_share <= rule.moderate_interested_share
        and stability >= rule.moderate_stability
    ):
        return "moderate"
    return "low"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _confidence(assessment: Assessment, scores: Scores, sensitivity: Sensitivity) -> Confidence:
    rule = assessment.scoring.confidence
    matrix = scores.matrix
    ranking = scores.ranking
    leader, runner = ranking[0].id, ranking[1].id
    weights = line_weights(scores, leader, runner)
    roots = matrix.lines.root
    favour = weights > NON_DIAGNOSTIC
    # Independence is counted on balance: a source (a party) counts when its
    # lines together favour the leader.
    origin, party = matrix.source[roots], matrix.party[roots]
    per_source = np.bincount(origin, weights=weights) if roots.size else np.zeros(0)
    per_party = np.bincount(party, weights=weights) if roots.size else np.zeros(0)
    sources = int(np.count_nonzero(per_source > NON_DIAGNOSTIC))
    parties = int(np.count_nonzero(per_party > NON_DIAGNOSTIC))
    positive = float(weights[favour].sum())
    resting = _resting(assessment, matrix)
    share = float(weights[favour & resting].sum()) / positive if positive > 0 else 0.0
    weight = float(weights.sum())
    stability = sensitivity.stability[matrix.hypotheses.index(leader)]
    unsupported = tuple(
        a.id
        for a in assessment.assumptions
        if a.status is AssumptionStatus.UNSUPPORTED and leader in a.hypotheses
    )
    level = confidence_level(
        weight_db=weight,
        parties=parties,
        interested_share=share,
        stability=stability,
        assumptions_pass=not unsupported,
        rule=rule,
    )
    reasons = [
        (
            f"the weight of evidence for {leader} over {runner} is {weight:.1f} dB over"
            f" {_plural(int(roots.size), 'line', 'lines')}, after tempering"
            f" (high needs {rule.high_weight:g} dB, moderate {rule.moderate_weight:g})"
        ),
        (
            f"{_plural(parties, 'independent party', 'independent parties')}"
            f" ({_plural(sources, 'source', 'sources')})"
            f" favour{'s' if parties == 1 else ''} {leader} over {runner} on"
            f" balance (high needs {rule.high_support}, moderate {rule.moderate_support})"
        ),
        (
            f"{share:.0%} of the weight for {leader} rests on interested or unjudgeable (F or 6)"
            f" sources (high allows {rule.high_interested_share:.0%}, moderate"
            f" {rule.moderate_interested_share:.0%})"
        ),
        (
            f"{leader} leads in {stability:.1%} of {sensitivity.draws:,} perturbed draws"
            f" (high needs {rule.high_stability:.0%}, moderate {rule.moderate_stability:.0%})"
        ),
    ]
    factor = sensitivity.most_sensitive
    if factor is not None:
        alone = sensitivity.factor(factor)
        reasons.append(
            f"the lead is most sensitive to the {_FACTOR_WORDS[factor]}: {leader} leads in"
            f" {alone:.1%} of draws when only they move"
        )
    elif sensitivity.factors:
        reasons.append(f"{leader} leads in every draw whichever factor moves alone")
    reasons.append(
        f"unsupported key assumption{'s' if len(unsupported) > 1 else ''}"
        f" {', '.join(unsupported)} bear{'s' if len(unsupported) == 1 else ''} on {leader}"
        " (high needs none)"
        if unsupported
        else f"no unsupported key assumption bears on {leader}"
    )
    return Confidence(
        level=level,
        leader=leader,
        runner_up=runner,
        weight_db=weight,
        sources=sources,
        parties=parties,
        interested_share=share,
        supporting_lines=tuple(matrix.evidence[r] for r in roots[favour].tolist()),
        stability=stability,
        unsupported_assumptions=unsupported,
        rule=rule,
        reasons=tuple(reasons),
    )


_FACTOR_WORDS: Final = {
    "ratings": "ratings",
    "grades": "sources' grades",
    "priors": "priors",
    "likelihoods": "likelihood table",
}


def _claims(scores: Scores) -> tuple[Floats, npt.NDArray[np.bool_]]:
    """
    Each line's root's ln L before the quality discount (q = 1), and which cells are rated.

    What the source *claims*: the likelihood table's values of its ratings
    (the analysts' mean in a team cell), NA cells filled with the row's mean.
    """
    matrix = scores.matrix
    roots = matrix.lines.root
    codes = matrix.codes[roots]
    rated = codes != _NA
    claims = row_log_likelihoods(codes, np.ones(roots.size), matrix.likelihoods, matrix.priors)
    if matrix.team_rows.size:
        line_of_root = np.full(len(matrix.evidence), -1, dtype=np.int64)
        line_of_root[roots] = np.arange(roots.size)
        pool, _ = pooled(np.ones(matrix.team_rows.size), matrix.team_codes, matrix.likelihoods)
        line = line_of_root[matrix.team_rows]
        on_root = line >= 0
        claims[line[on_root], matrix.team_cols[on_root]] = np.log(pool[on_root])
        rated[line[on_root], matrix.team_cols[on_root]] = True
    return claims, rated


def _self_serving(assessment: Assessment, scores: Scores) -> list[Flag]:
    """
    Interested parties' claims that agree with the conclusion.

    The model does not say which hypotheses are in a party's favour; what a
    party says for itself is presumed to be (a denial, a statement or
    testimony from an interested source).  Its claim's direction is the set
    of hypotheses its ratings make most likely *before* the quality
    discount, so that a D-graded denial is read for what it says, not for
    the little it weighs.  The flag fires on a line whose root is such a
    claim, takes a side (its rated cells are not all equal) and counts the
    leading hypothesis among the hypotheses it favours: the conclusion then
    agrees with what an interested party would say whether or not it is
    true.  It changes no score.
    """
    matrix = scores.matrix
    sources = {s.id: s for s in assessment.sources}
    items = assessment.evidence
    leader = scores.ranking[0].id
    j = matrix.hypotheses.index(leader)
    claims, rated = _claims(scores)
    log_ell, factor = line_log_likelihoods(scores)
    flags = []
    for k, root in enumerate(matrix.lines.root.tolist()):
        item = items[root]
        source = sources[item.source]
        if not (source.interested and item.kind in SPEECH and rated[k, j]):
            continue
        said = claims[k][rated[k]]
        top, bottom = said.max(), said.min()
        if DECIBANS * (top - bottom) <= NON_DIAGNOSTIC or claims[k, j] < top - 1e-12:
            continue
        ids = [h for h, r in zip(matrix.hypotheses, rated[k], strict=True) if r]
        favoured = [h for h, v in zip(ids, said, strict=True) if v >= top - 1e-12]
        against = [h for h, v in zip(ids, said, strict=True) if v < top - 1e-12]
        lowest = min(log_ell[k, matrix.hypotheses.index(h)] for h in against)
        adds = factor[k] * DECIBANS * (log_ell[k, j] - lowest)
        flags.append(
            Flag(
                "self-serving",
                item.id,
                f"a {item.kind.value} by an interested party ({source.name}) that favours"
                f" {', '.join(favoured)} over {', '.join(against)}, with the leader {leader}:"
                f" a party speaking for itself says what serves it, so weigh it for deception"
                f" (it adds {adds:.2f} dB to {leader} against {', '.join(against)})",
            )
        )
    return flags


def _flags(assessment: Assessment, scores: Scores, pins: tuple[Linchpin, ...]) -> tuple[Flag, ...]:
    matrix = scores.matrix
    sources = assessment.sources
    items = assessment.evidence
    flags = _self_serving(assessment, scores)
    for members in matrix.lines.members:
        carriers = {int(matrix.source[m]) for m in members}
        carriers |= {r for m in members for r in matrix.relays[m]}
        if len(members) > 1 and all(sources[c].interested for c in carriers):
            flags.append(
                Flag(
                    "interested-line",
                    items[members[0]].id,
                    f"a line repeated ({', '.join(items[m].id for m in members)}) and carried"
                    " only by interested sources: it counts once, and no independent source"
                    " passed it on",
                )
            )
    by_id = {s.id: s for s in sources}
    for pin in pins:
        if not pin.leader_changes:
            continue
        root = items[matrix.evidence.index(pin.line)]
        reliability = by_id[root.source].reliability
        if reliability in WEAK_RELIABILITY or root.credibility in WEAK_CREDIBILITY:
            flags.append(
                Flag(
                    "weak-linchpin",
                    pin.line,
                    f"the leader changes without line {pin.line}, whose original rests on a"
                    f" source graded {reliability.value} and credibility {int(root.credibility)}",
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

    Raises:
        BudgetError: When the Monte Carlo's draws are past its budget
            (:func:`check_budget`), before anything is scored.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 Refuses draws past the Monte Carlo budget.
    """
    from assess.methods.collection import collect  # noqa: PLC0415
    from assess.methods.indicators import observed_as_evidence  # noqa: PLC0415

    check_budget(assessment, draws=draws)
    written = assessment
    scores = score(written)
    # What follows reads the items beside the scores' rows: observed
    # indicators are items there (``docs/methods.md``, section 21).
    assessment = observed_as_evidence(written)
    pins = linchpins(scores)
    settings = assessment.scoring
    sensitivity = monte_carlo(
        scores,
        draws=settings.draws if draws is None else draws,
        seed=settings.seed if seed is None else seed,
        perturbation=settings.perturbation,
        concentration=settings.prior_concentration,
        jitter=settings.likelihood_jitter,
    )
    from assess.methods.evidence_theory import dempster_shafer  # noqa: PLC0415 -- the views after scores
    from assess.methods.opinions import opinions  # noqa: PLC0415

    small = len(assessment.hypotheses) <= DEMPSTER_SHAFER_MAX_HYPOTHESES
    scored = None
    if assessment.outcome is not None:
        from assess.methods.calibration import calibrate  # noqa: PLC0415 -- resolved assessments only

        scored = calibrate([written]).resolved[0]
    return Analysis(
        scores=scores,
        sensitivity=sensitivity,
        linchpins=pins,
        confidence=_confidence(assessment, scores, sensitivity),
        flags=_flags(assessment, scores, pins),
        disputed=_disputed(assessment),
        analysts=_analyst_views(assessment),
        coherence=_coherence(assessment),
        opinions=opinions(scores),
        dempster_shafer=dempster_shafer(scores) if small else None,
        calibration=scored,
        collection=collect(written, scores=scores),
    )
