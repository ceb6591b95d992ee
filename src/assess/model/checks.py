"""
Checks across the parts of an assessment: unique ids, references, cycles, priors.

They take each section as ``(index, item)`` pairs so that the loader can run
them over the items it managed to build even when others in the file were
broken, and still report every problem in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assess.errors import KeyPart
from assess.model.coherence import project_to_simplex
from assess.model.findings import ID_PATTERN, Finding, did_you_mean

# Items arrive as (index, item) pairs.  An item is a model object, or the
# loader's unchecked draft of a broken one whose fields may hold anything, so
# the checks test each field's type before they use it.
Items = Sequence[tuple[int, Any]]

PRIOR_SUM_TOLERANCE = 1e-9
"""How far the priors' sum may be from 1 (rounding in hand-written decimals)."""


class _Known(dict[str, int]):
    """The ids declared in a section, with their indexes."""

    #: False when a broken item hides its id: then a reference that matches no
    #: known id may still be right, and is not reported as unknown.
    complete: bool = True


def _ids(section: str, what: str, items: Items, findings: list[Finding]) -> _Known:
    first = _Known()
    for index, item in items:
        if not isinstance(item.id, str):  # a broken draft; its id was reported
            first.complete = False
            continue
        if item.id in first:
            other = f"{section}[{first[item.id]}]"
            findings.append(
                ((section, index, "id"), f"duplicate {what} id {item.id!r}: {other} has it")
            )
        else:
            first[item.id] = index
    return first


def _missing(wanted: str, known: _Known) -> bool:
    return known.complete and wanted not in known


def _unknown(what: str, wanted: str, known: Iterable[str]) -> str:
    return f"unknown {what} {wanted!r}{did_you_mean(wanted, known)}"


def _unknown_analyst(analyst: str, declared: set[str]) -> str:
    if not declared:
        return f"unknown analyst {analyst!r}: declare the team under 'analysts'"
    return f"unknown analyst {analyst!r}{did_you_mean(analyst, declared)}"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_finite(value: object) -> bool:
    return _is_number(value) and math.isfinite(value)  # type: ignore[arg-type]  # a number


def _priors(hypotheses: Items, findings: list[Finding]) -> None:
    priors = [h.prior for _, h in hypotheses]
    if all(p is None for p in priors) or not all(p is None or _is_finite(p) for p in priors):
        return  # none given, or one is not a finite number (reported by its own check)
    if None in priors:
        missing = ", ".join(str(h.id) for _, h in hypotheses if h.prior is None)
        findings.append(
            (("hypotheses",), f"give every hypothesis a prior or none; no prior for {missing}")
        )
        return
    given = [p for p in priors if p is not None]
    try:
        total = math.fsum(given)
    except OverflowError:  # priors near the largest float, each refused by its own check
        return
    if abs(total - 1.0) > PRIOR_SUM_TOLERANCE:
        message = f"priors must sum to 1, but they sum to {total!r}"
        # Offer the nearest coherent priors, never apply them: the analyst
        # decides.  A projection with a zero is no offer: priors must be > 0.
        nearest = project_to_simplex(given)
        if min(nearest) > 0:
            offer = ", ".join(
                f"{h.id} {round(p, 4):g}" for (_, h), p in zip(hypotheses, nearest, strict=True)
            )
            message += f"; the nearest priors that do are {offer}"
        findings.append((("hypotheses",), message))


def _answers(hypotheses: Items, findings: list[Finding]) -> None:
    answers = [h.answer for _, h in hypotheses]
    if all(a is None for a in answers) or not all(a is None or isinstance(a, str) for a in answers):
        return  # none given, or one is not text (reported by its own check)
    if None in answers:
        missing = ", ".join(str(h.id) for _, h in hypotheses if h.answer is None)
        findings.append(
            (("hypotheses",), f"give every hypothesis an answer or none; no answer for {missing}")
        )
        return
    distinct = list(dict.fromkeys(answers))
    if len(distinct) == 1 and len(hypotheses) > 1:
        findings.append(
            (
                ("hypotheses",),
                (
                    f"answers must name at least two answers to the question;"
                    f" every hypothesis answers {distinct[0]!r}"
                ),
            )
        )


def _strings(value: object) -> list[tuple[int, str]]:
    """The text entries of a tuple field with their indexes (drafts may hold anything)."""
    if not isinstance(value, tuple):
        return []
    return [(k, v) for k, v in enumerate(value) if isinstance(v, str)]


def _cycles(evidence: Items, index_of: Mapping[str, int], findings: list[Finding]) -> None:
    """Report each cycle of ``derived_from`` links once, at its first-declared member."""
    links = {
        item_id: [
            d for _, d in _strings(evidence_item.derived_from) if d in index_of and d != item_id
        ]
        for item_id, evidence_item in ((e.id, e) for _, e in evidence)
        if isinstance(item_id, str) and index_of.get(item_id) is not None
    }
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    reported: set[frozenset[str]] = set()
    for start, first_links in links.items():
        if start in state:
            continue
        # Iterative depth-first search: a long chain of derivations must not
        # exhaust Python's recursion limit.
        path: list[str] = [start]
        state[start] = 1
        stack = [iter(first_links)]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    head = min(cycle, key=lambda i: index_of[i])
                    turn = cycle.index(head)
                    ordered = [*cycle[turn:], *cycle[:turn], head]
                    findings.append(
                        (
                            ("evidence", index_of[head], "derived_from"),
                            f"derived_from links form a cycle: {' -> '.join(ordered)}",
                        )
                    )
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(links[nxt]))


def cross_findings(
    *,
    hypotheses: Items,
    sources: Items,
    documents: Items,
    evidence: Items,
    assumptions: Items,
    analysts: object = (),
    judgement: object = None,
    indicators: Items = (),
    outcome: object = None,
    count_hypotheses: bool = True,
) -> list[Finding]:
    """
    Every problem in how the parts of an assessment refer to each other.

    Items may be the loader's unchecked drafts of broken items; fields of the
    wrong type are skipped here because their own checks report them.

    Args:
        hypotheses: The hypotheses with their positions in the file.
        sources: Likewise for sources.
        documents: Likewise for documents.
        evidence: Likewise for evidence items.
        assumptions: Likewise for assumptions.
        indicators: Likewise for indicators.
        analysts: The declared analysts (ids of analysts' ratings must be among them).
        judgement: The ``judgement`` block (its hypothesis ids must be known).
        outcome: The ``outcome`` block, or its draft (its hypothesis must be known).
        count_hypotheses: Whether to require two hypotheses (not when the
            whole ``hypotheses`` key is missing, which is reported already).

    Returns:
        Findings whose paths start at the assessment's top-level keys.
    """
    findings: list[Finding] = []
    known_h = _ids("hypotheses", "hypothesis", hypotheses, findings)
    known_s = _ids("sources", "source", sources, findings)
    known_d = _ids("documents", "document", documents, findings)
    known_e = _ids("evidence", "evidence", evidence, findings)
    _ids("assumptions", "assumption", assumptions, findings)

    if count_hypotheses and len(hypotheses) < 2:
        findings.append(
            (("hypotheses",), f"at least two hypotheses are needed, got {len(hypotheses)}")
        )
    _priors(hypotheses, findings)
    _answers(hypotheses, findings)

    for index, doc in documents:
        if isinstance(doc.source, str) and _missing(doc.source, known_s):
            findings.append(
                (("documents", index, "source"), _unknown("source", doc.source, known_s))
            )

    for index, item in evidence:
        at = ("evidence", index)
        if isinstance(item.source, str) and _missing(item.source, known_s):
            findings.append(((*at, "source"), _unknown("source", item.source, known_s)))
        if isinstance(item.document, str) and _missing(item.document, known_d):
            findings.append(((*at, "document"), _unknown("document", item.document, known_d)))
        if (item.document is None) != (item.quote is None):
            present, absent = ("document", "quote") if item.quote is None else ("quote", "document")
            findings.append((at, f"{present} is given without {absent}; give both or neither"))
        relays: set[str] = set()
        for k, relay in _strings(item.via):
            if relay == item.source:
                findings.append(
                    (
                        (*at, "via", k),
                        f"via lists {relay!r}, the item's own source; list only the relays",
                    )
                )
            elif relay in relays:
                findings.append(((*at, "via", k), f"via lists {relay!r} twice"))
            elif _missing(relay, known_s):
                findings.append(((*at, "via", k), _unknown("source", relay, known_s)))
            relays.add(relay)
        confirming: set[str] = set()
        for k, other in _strings(item.confirmed_by):
            if other == item.id:
                findings.append(((*at, "confirmed_by", k), f"{item.id} cannot confirm itself"))
            elif other in confirming:
                findings.append(((*at, "confirmed_by", k), f"confirmed_by lists {other!r} twice"))
            elif _missing(other, known_e):
                findings.append(
                    ((*at, "confirmed_by", k), _unknown("evidence item", other, known_e))
                )
            confirming.add(other)
        for k, parent in _strings(item.derived_from):
            if parent == item.id:
                findings.append(((*at, "derived_from", k), f"{item.id} cannot derive from itself"))
            elif _missing(parent, known_e):
                findings.append(
                    ((*at, "derived_from", k), _unknown("evidence item", parent, known_e))
                )
        if isinstance(item.ratings, Mapping):
            findings.extend(
                ((*at, "ratings", KeyPart(hypothesis)), _unknown("hypothesis", hypothesis, known_h))
                for hypothesis in item.ratings
                if isinstance(hypothesis, str) and _missing(hypothesis, known_h)
            )

    # Analysts that do not form a clean list were reported already; then no
    # analyst can be called unknown.
    team: list[str] = (
        list(analysts)
        if isinstance(analysts, tuple | list) and all(isinstance(a, str) for a in analysts)
        else []
    )
    clean = len(team) == len(analysts) if isinstance(analysts, tuple | list) else False
    declared = set(team)
    if clean:
        seen: set[str] = set()
        for k, analyst in enumerate(team):
            if analyst in seen:
                findings.append((("analysts", k), f"analyst {analyst!r} is listed twice"))
            elif analyst == "team":
                findings.append(
                    (("analysts", k), "'team' names the team's own judgement; choose another id")
                )
            seen.add(analyst)

    def unknown_analyst(analyst: object) -> bool:
        return (
            clean
            and isinstance(analyst, str)
            and ID_PATTERN.fullmatch(analyst) is not None
            and analyst not in declared
        )

    for index, item in evidence:
        if not isinstance(item.ratings, Mapping):
            continue
        for hypothesis, cell in item.ratings.items():
            if isinstance(cell, Mapping):
                findings.extend(
                    (
                        ("evidence", index, "ratings", hypothesis, KeyPart(analyst)),
                        _unknown_analyst(analyst, declared),
                    )
                    for analyst in cell
                    if unknown_analyst(analyst)
                )
    if isinstance(judgement, Mapping):
        for who, stated in judgement.items():
            if who != "team" and unknown_analyst(who):
                findings.append((("judgement", KeyPart(who)), _unknown_analyst(who, declared)))
            if isinstance(stated, Mapping):
                findings.extend(
                    (("judgement", who, KeyPart(h)), _unknown("hypothesis", h, known_h))
                    for h in stated
                    if isinstance(h, str) and _missing(h, known_h)
                )

    hypothesis = getattr(outcome, "hypothesis", None)  # None: no outcome, or none given
    if isinstance(hypothesis, str) and _missing(hypothesis, known_h):
        findings.append((("outcome", "hypothesis"), _unknown("hypothesis", hypothesis, known_h)))

    for index, assumption in assumptions:
        for k, hypothesis in _strings(assumption.hypotheses):
            if _missing(hypothesis, known_h):
                findings.append(
                    (
                        ("assumptions", index, "hypotheses", k),
                        _unknown("hypothesis", hypothesis, known_h),
                    )
                )

    _indicators(indicators, known_h, known_s, known_e, findings)
    _cycles(evidence, known_e, findings)
    return findings


def _indicators(
    indicators: Items, known_h: _Known, known_s: _Known, known_e: _Known, findings: list[Finding]
) -> None:
    """
    Indicator ids are unique and free, and each indicator rates exactly the hypotheses.

    An observed indicator is scored as an evidence item with a source of its
    own, both under its id, so its id may name no item and no source.
    """
    _ids("indicators", "indicator", indicators, findings)
    for index, indicator in indicators:
        at = ("indicators", index)
        if isinstance(indicator.id, str):
            for taken, what in ((known_e, "evidence item"), (known_s, "source")):
                if indicator.id in taken:
                    findings.append(
                        (
                            (*at, "id"),
                            (
                                f"{what} {indicator.id!r} has this id; an observed indicator"
                                " is scored as an item with a source of its own under its id,"
                                " so choose another"
                            ),
                        )
                    )
        expected = indicator.expected
        if not isinstance(expected, Mapping) or not expected:
            continue  # reported by the field's own check
        findings.extend(
            ((*at, "expected", KeyPart(h)), _unknown("hypothesis", h, known_h))
            for h in expected
            if isinstance(h, str) and _missing(h, known_h)
        )
        if known_h.complete:
            unrated = [h for h in known_h if h not in expected]
            if unrated:
                findings.append(
                    (
                        (*at, "expected"),
                        (
                            "rate the observation under every hypothesis;"
                            f" not rated: {', '.join(unrated)}"
                        ),
                    )
                )
