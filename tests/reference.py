"""
A pure-Python reference of evidence model 2, written from ``docs/methods.md`` sections 1-4.

Loops, ``math.fsum`` and no numpy: every step is the page's sentence, written
the obvious way, so that comparing it with :func:`assess.score` checks the
vectorised engine independently.  Analysts' team cells are pooled linearly
(section 13).  Where the page leaves a case open, the comment says what the
reference assumes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import assess

POINTS: Mapping[str, int] = {"I": 1, "II": 2}
RELEVANCE: Mapping[str, float] = {"low": 1 / math.sqrt(2), "medium": 1.0, "high": math.sqrt(2)}


@dataclass(frozen=True)
class LineFigures:
    """One line of reporting (section 2)."""

    id: str
    members: tuple[str, ...]
    channels: tuple[float, ...]
    originator_quality: float
    fidelity: float
    quality: float
    tempering: float
    weight: float


@dataclass(frozen=True)
class ItemFigures:
    """One item's figures (sections 1 and 4)."""

    id: str
    quality: float
    weight: float
    line: str
    lines: tuple[str, ...]
    line_size: int
    diagnosticity: float


@dataclass(frozen=True)
class HypothesisFigures:
    """One hypothesis's figures (section 3)."""

    id: str
    prior: float
    inconsistency: float
    weighted_inconsistency: float
    log_likelihood: float
    posterior: float
    rank: int


@dataclass(frozen=True)
class AnswerFigures:
    """One answer to the question (section 3)."""

    answer: str
    hypotheses: tuple[str, ...]
    prior: float
    probability: float


@dataclass(frozen=True)
class Reference:
    """Every figure of sections 1-4, by id."""

    hypotheses: dict[str, HypothesisFigures]
    evidence: dict[str, ItemFigures]
    lines: dict[str, LineFigures]
    answers: dict[str, AnswerFigures]


def relays(a: assess.Assessment, e: assess.Evidence) -> list[str]:
    """
    An item's relays, originator side first.

    "An item lists them in ``via``; without ``via``, when the item's document
    has a ``source`` other than the item's own, that outlet is the one relay."
    """
    if e.via:
        return list(e.via)
    if e.document is not None:
        outlet = a.document(e.document).source
        if outlet is not None and outlet != e.source:
            return [outlet]
    return []


def fidelity_of(a: assess.Assessment, source_id: str) -> float:
    """The fidelity of a relay: its reliability grade through ``scoring.fidelity``."""
    return a.scoring.fidelity[a.source(source_id).reliability]


def originator_value(a: assess.Assessment, e: assess.Evidence) -> float:
    """value(reliability of the item's source) x value(credibility of the item)."""
    return (
        a.scoring.reliability_values[a.source(e.source).reliability]
        * a.scoring.credibility_values[e.credibility]
    )


def chain(a: assess.Assessment, e: assess.Evidence) -> float:
    """Hooper's successive rule: the product of the relays' fidelities."""
    return math.prod(fidelity_of(a, r) for r in relays(a, e))


def report_quality(a: assess.Assessment, e: assess.Evidence) -> float:
    """q_e = value(reliability) x value(credibility) x product of the relays' fidelities."""
    return originator_value(a, e) * chain(a, e)


def priors(a: assess.Assessment) -> list[float]:
    """The assessment's priors, or even over the answers and then within each answer."""
    if all(h.prior is not None for h in a.hypotheses):
        return [float(h.prior) for h in a.hypotheses if h.prior is not None]
    # Without answers every hypothesis is its own answer.
    labels = [h.answer if h.answer is not None else f"\0{h.id}" for h in a.hypotheses]
    answers = set(labels)
    return [1 / (len(answers) * labels.count(label)) for label in labels]


def votes(e: assess.Evidence, h: str) -> list[str]:
    """The ratings in a cell other than NA: one, none, or one per analyst."""
    cell = e.cell(h)
    if isinstance(cell, assess.AnalystRatings):
        return [r.value for r in cell.values() if r != assess.Rating.NA]
    return [] if cell == assess.Rating.NA else [cell.value]


def points(e: assess.Evidence, h: str) -> float:
    """Heuer's points of a cell (I 1, II 2), averaged over the analysts who rated it."""
    cast = votes(e, h)
    return math.fsum(POINTS.get(v, 0) for v in cast) / len(cast) if cast else 0.0


def cell_likelihood(a: assess.Assessment, e: assess.Evidence, h: str, q: float) -> float | None:
    """Ell = q L + (1 - q) 0.5, the mean over analysts; None for an NA cell."""
    cast = votes(e, h)
    if not cast:
        return None
    table = {r.value: p for r, p in a.scoring.likelihoods.items()}
    return math.fsum(q * table[v] + (1 - q) * 0.5 for v in cast) / len(cast)


def row_log_likelihoods(
    a: assess.Assessment, e: assess.Evidence, q: float, prior: Sequence[float]
) -> list[float]:
    """
    Ln ell(e, h) per hypothesis; an NA cell takes the prior-weighted mean of the rated ones.

    The page does not say what a row with no rated cell takes; any constant
    leaves every posterior alone, and the reference takes 0 (the row adds nothing).
    """
    cells = [cell_likelihood(a, e, h.id, q) for h in a.hypotheses]
    rated = [(p, math.log(c)) for p, c in zip(prior, cells, strict=True) if c is not None]
    mean = math.fsum(p * ln for p, ln in rated) / math.fsum(p for p, _ in rated) if rated else 0.0
    return [mean if c is None else math.log(c) for c in cells]


def diagnosticity(a: assess.Assessment, e: assess.Evidence, q: float) -> float:
    """10 (max log10 ell - min log10 ell) over the rated cells, at quality q; 0 without two."""
    cells = [c for h in a.hypotheses if (c := cell_likelihood(a, e, h.id, q)) is not None]
    if not cells:
        return 0.0
    return 10 * (math.log10(max(cells)) - math.log10(min(cells)))


#: Past this many distinct relays on a line whose routes share one, the page takes the best route.
MAX_ENUMERATED_RELAYS = 12


def route(a: assess.Assessment, root: assess.Evidence, member: assess.Evidence) -> frozenset[str]:
    """
    The sources that relayed a member of a line to us.

    "A member's route is ... its own relays (``via``, or its document's
    outlet) and, for a repeat whose source is not the root's, that source."
    """
    relayed = set(relays(a, member))
    if member.source != root.source:
        relayed.add(member.source)
    return frozenset(relayed)


def line_fidelity(a: assess.Assessment, routes: Sequence[frozenset[str]]) -> float:
    """
    The chance that some route passes the report on, every relay passing once for all routes.

    Routes sharing no relay: Hooper's concurrent rule.  Otherwise every state
    of the distinct relays is enumerated (the best route past 12 relays).
    """
    if any(not r for r in routes):
        return 1.0
    distinct = sorted(set().union(*routes))
    if sum(len(r) for r in routes) == len(distinct):
        # 1 - prod(1 - f) as the chance that route k is the first to pass, summed:
        # no subtraction from 1, so a fidelity of 1e-300 is not rounded away.
        chances = [math.prod(fidelity_of(a, s) for s in r) for r in routes]
        return math.fsum(f * math.prod(1 - g for g in chances[:k]) for k, f in enumerate(chances))
    if len(distinct) > MAX_ENUMERATED_RELAYS:
        return max(math.prod(fidelity_of(a, s) for s in r) for r in routes)
    total = []
    for state in itertools.product((True, False), repeat=len(distinct)):
        passing = {s for s, ok in zip(distinct, state, strict=True) if ok}
        if any(r <= passing for r in routes):
            total.append(
                math.prod(
                    fidelity_of(a, s) if ok else 1 - fidelity_of(a, s)
                    for s, ok in zip(distinct, state, strict=True)
                )
            )
    return math.fsum(total)


def _lines(a: assess.Assessment) -> dict[str, list[str]]:
    """Each root's line: the root and every item deriving from it, transitively, in file order."""
    order = {e.id: i for i, e in enumerate(a.evidence)}
    children: dict[str, list[str]] = {e.id: [] for e in a.evidence}
    for e in a.evidence:
        for parent in e.derived_from:
            children[parent].append(e.id)
    found: dict[str, list[str]] = {}
    for root in (e for e in a.evidence if not e.derived_from):
        seen, todo = {root.id}, [root.id]
        while todo:
            for child in children[todo.pop()]:
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        found[root.id] = sorted(seen, key=order.__getitem__)
    return found


def diagnostic(root: assess.Evidence, hypotheses: Sequence[str], quality: float) -> bool:
    """
    Whether a line counts in tempering: two different rated cells and quality above 0.

    A team cell's rating is its analysts' ratings taken together.
    """
    kinds = {tuple(sorted(votes(root, h))) for h in hypotheses if votes(root, h)}
    return len(kinds) > 1 and quality > 0


def reference(a: assess.Assessment) -> Reference:
    """Every figure of ``docs/methods.md`` sections 1-4 for ``a``."""
    prior = priors(a)
    built = _lines(a)
    roots = {root_id: a.item(root_id) for root_id in built}
    h_ids = [h.id for h in a.hypotheses]
    routes = {
        root_id: [route(a, roots[root_id], a.item(m)) for m in members]
        for root_id, members in built.items()
    }
    fidelity = {root_id: line_fidelity(a, routes[root_id]) for root_id in built}
    quality = {
        root_id: originator_value(a, roots[root_id]) * fidelity[root_id] for root_id in built
    }

    # Tempering, source then party, counting only diagnostic lines.  A source
    # without a party is a party of its own (kept apart from any party that
    # happens to share its id).
    rho_source = a.scoring.dependence.same_source
    rho_party = a.scoring.dependence.same_party
    counted = [
        roots[root_id].source
        for root_id in built
        if diagnostic(roots[root_id], h_ids, quality[root_id])
    ]

    def party(source_id: str) -> tuple[str, str]:
        p = a.source(source_id).party
        return ("party", p) if p is not None else ("source", source_id)

    lines: dict[str, LineFigures] = {}
    for root_id, members in built.items():
        root = roots[root_id]
        n = max(counted.count(root.source), 1)
        k = max(len({s for s in counted if party(s) == party(root.source)}), 1)
        t = 1 / (1 + (n - 1) * rho_source) / (1 + (k - 1) * rho_party)
        lines[root_id] = LineFigures(
            id=root_id,
            members=tuple(members),
            channels=tuple(math.prod(fidelity_of(a, s) for s in r) for r in routes[root_id]),
            originator_quality=originator_value(a, root),
            fidelity=fidelity[root_id],
            quality=quality[root_id],
            tempering=t,
            weight=RELEVANCE[root.relevance.value] * quality[root_id] * t,
        )

    evidence: dict[str, ItemFigures] = {}
    for e in a.evidence:
        mine = tuple(line_id for line_id, line in lines.items() if e.id in line.members)
        own = lines.get(e.id)
        evidence[e.id] = ItemFigures(
            id=e.id,
            quality=report_quality(a, e),
            weight=own.weight if own is not None else 0.0,
            line=mine[0],
            lines=mine,
            line_size=len(lines[mine[0]].members),
            diagnosticity=diagnosticity(
                a, e, own.quality if own is not None else report_quality(a, e)
            ),
        )

    row_ll = {
        line_id: row_log_likelihoods(a, roots[line_id], line.quality, prior)
        for line_id, line in lines.items()
    }
    figures: list[dict[str, float]] = []
    for j, h in enumerate(a.hypotheses):
        figures.append(
            {
                "inconsistency": math.fsum(points(e, h.id) for e in a.evidence),
                "weighted_inconsistency": math.fsum(
                    line.weight * points(roots[line_id], h.id) for line_id, line in lines.items()
                ),
                "log_likelihood": math.fsum(
                    line.tempering * row_ll[line_id][j] for line_id, line in lines.items()
                ),
            }
        )
    logs = [math.log(p) + f["log_likelihood"] for p, f in zip(prior, figures, strict=True)]
    top = max(logs)
    unnormalised = [math.exp(x - top) for x in logs]
    total = math.fsum(unnormalised)
    posterior = [u / total for u in unnormalised]
    order = sorted(
        range(len(a.hypotheses)),
        key=lambda j: (
            -round(posterior[j], 12),
            round(figures[j]["weighted_inconsistency"], 12),
            j,
        ),
    )
    rank = {j: r for r, j in enumerate(order, start=1)}
    hypotheses = {
        h.id: HypothesisFigures(
            id=h.id,
            prior=prior[j],
            inconsistency=figures[j]["inconsistency"],
            weighted_inconsistency=figures[j]["weighted_inconsistency"],
            log_likelihood=figures[j]["log_likelihood"],
            posterior=posterior[j],
            rank=rank[j],
        )
        for j, h in enumerate(a.hypotheses)
    }

    answers: dict[str, AnswerFigures] = {}
    for label in dict.fromkeys(h.answer for h in a.hypotheses if h.answer is not None):
        chosen = [j for j, h in enumerate(a.hypotheses) if h.answer == label]
        answers[label] = AnswerFigures(
            answer=label,
            hypotheses=tuple(a.hypotheses[j].id for j in chosen),
            prior=math.fsum(prior[j] for j in chosen),
            probability=math.fsum(posterior[j] for j in chosen),
        )
    return Reference(hypotheses=hypotheses, evidence=evidence, lines=lines, answers=answers)
