"""Hypothesis strategies for valid assessments and their parts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

import assess
from assess.model import ConfidenceRule, Dependence, Outcome

IDS = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,10}[A-Za-z0-9])?", fullmatch=True)
ASSESSMENT_IDS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
# Any text a person could write, including YAML-significant words and symbols.
TEXT = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["NO", "yes", "off", "1:20", "0.5", "1e5", "0o17", "~", "null", "- x", "#"]),
).filter(lambda s: s.strip() != "")
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
RATINGS = st.sampled_from(list(assess.Rating))
# A short label on one line, at most 40 characters.
ANSWERS = st.one_of(
    st.sampled_from(["yes", "no", "maybe", "NO", "1", "~"]),
    st.text(
        st.characters(codec="utf-8", exclude_characters="\n\r\x85\u2028\u2029"),
        min_size=1,
        max_size=40,
    ),
).filter(lambda s: s.strip() != "")
SHARES = st.floats(0, 1)


@st.composite
def answers(draw: st.DrawFn, count: int) -> list[str | None]:
    """No answers, or one per hypothesis with at least two distinct answers."""
    if count < 2 or not draw(st.booleans()):
        return [None] * count
    labels = draw(st.lists(ANSWERS, min_size=2, max_size=count, unique=True))
    chosen = [
        *labels,
        *draw(
            st.lists(
                st.sampled_from(labels), min_size=count - len(labels), max_size=count - len(labels)
            )
        ),
    ]
    return draw(st.permutations(chosen))


@st.composite
def grade_tables(draw: st.DrawFn, grades: list[Any]) -> dict[Any, float]:
    """A table from some of ``grades`` to values in [0, 1] (completed from the defaults)."""
    return draw(st.dictionaries(st.sampled_from(grades), SHARES, max_size=len(grades)))


@st.composite
def confidence_rules(draw: st.DrawFn) -> ConfidenceRule:
    """The default rule, or one with every threshold drawn (high weight at least moderate)."""
    if draw(st.booleans()):
        return ConfidenceRule()
    moderate = draw(st.floats(0, 50))
    return ConfidenceRule(
        high_support=draw(st.integers(0, 10)),
        moderate_support=draw(st.integers(0, 10)),
        high_stability=draw(SHARES),
        moderate_stability=draw(SHARES),
        support_quality=draw(SHARES),
        support_ratio=draw(st.floats(1, 10)),
        high_weight=moderate + draw(st.floats(0, 50)),
        moderate_weight=moderate,
        high_interested_share=draw(SHARES),
        moderate_interested_share=draw(SHARES),
    )


@st.composite
def scorings(draw: st.DrawFn) -> assess.Scoring:
    """Scoring settings: the defaults, or tables and parameters given in part."""
    # The default table, or a full one that falls from CC to II as it must.
    likelihoods: dict[assess.Rating, float] = {}
    if draw(st.booleans()):
        values = draw(st.lists(st.floats(0.001, 0.999), min_size=5, max_size=5))
        keys = [
            assess.Rating.CC,
            assess.Rating.C,
            assess.Rating.N,
            assess.Rating.I,
            assess.Rating.II,
        ]
        likelihoods = dict(zip(keys, sorted(values, reverse=True), strict=True))
    if not draw(st.booleans()):
        return assess.Scoring(likelihoods=likelihoods)
    reliability = list(assess.Reliability)
    return assess.Scoring(
        likelihoods=likelihoods,
        fidelity=draw(grade_tables(reliability)),
        reliability_values=draw(grade_tables(reliability)),
        credibility_values=draw(grade_tables(list(assess.Credibility))),
        dependence=Dependence(same_source=draw(SHARES), same_party=draw(SHARES)),
        prior_concentration=draw(st.floats(0.01, 1000)),
        likelihood_jitter=draw(st.floats(0, 1, exclude_max=True)),
        confidence=draw(confidence_rules()),
    )


@st.composite
def priors(draw: st.DrawFn, count: int) -> list[float | None]:
    """No priors, or one per hypothesis summing to 1."""
    if not draw(st.booleans()):
        return [None] * count
    weights = draw(st.lists(st.integers(1, 20), min_size=count, max_size=count))
    total = sum(weights)
    return [w / total for w in weights]


@st.composite
def assessments(draw: st.DrawFn) -> assess.Assessment:
    """A valid assessment without documents (they need files on disk)."""
    h_ids = draw(st.lists(IDS, min_size=2, max_size=5, unique=True))
    hypotheses = [
        assess.Hypothesis(id=h, statement=draw(TEXT), answer=a, prior=p)
        for h, a, p in zip(h_ids, draw(answers(len(h_ids))), draw(priors(len(h_ids))), strict=True)
    ]
    s_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    parties = draw(st.lists(IDS, max_size=2, unique=True))
    sources = [
        assess.Source(
            id=s,
            name=draw(TEXT),
            reliability=draw(st.sampled_from(list(assess.Reliability))),
            interested=draw(st.booleans()),
            party=draw(st.none() | st.sampled_from(parties)) if parties else None,
            notes=draw(st.none() | TEXT),
        )
        for s in s_ids
    ]
    analysts = draw(st.lists(IDS, max_size=3, unique=True))
    cells = (
        RATINGS | st.dictionaries(st.sampled_from(analysts), RATINGS, min_size=1)
        if analysts
        else RATINGS
    )
    e_ids = draw(st.lists(IDS, min_size=0, max_size=6, unique=True))
    evidence = []
    for index, e in enumerate(e_ids):
        # Links only to earlier items: derived_from must not form a cycle.
        parents = draw(st.lists(st.sampled_from(e_ids[:index]), unique=True)) if index else []
        source = draw(st.sampled_from(s_ids))
        # Relays: other sources, each once, in any order.
        others = [s for s in s_ids if s != source]
        via = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
        peers = [other for other in e_ids if other != e]
        confirmed_by = draw(st.lists(st.sampled_from(peers), unique=True)) if peers else []
        evidence.append(
            assess.Evidence(
                id=e,
                summary=draw(TEXT),
                kind=draw(st.sampled_from(list(assess.Kind))),
                source=source,
                via=via,
                credibility=draw(st.sampled_from(list(assess.Credibility))),
                relevance=draw(st.sampled_from(list(assess.Relevance))),
                date=draw(st.none() | DATES),
                derived_from=parents,
                confirmed_by=confirmed_by,
                ratings=draw(st.dictionaries(st.sampled_from(h_ids), cells)),
                notes=draw(st.none() | TEXT),
            )
        )
    assumptions = [
        assess.Assumption(
            id=a,
            statement=draw(TEXT),
            status=draw(st.sampled_from(list(assess.AssumptionStatus))),
            hypotheses=draw(st.lists(st.sampled_from(h_ids), unique=True)),
        )
        for a in draw(st.lists(IDS, max_size=3, unique=True))
    ]
    return assess.Assessment(
        id=draw(ASSESSMENT_IDS),
        title=draw(TEXT),
        question=draw(st.none() | TEXT),
        as_of=draw(st.none() | DATES),
        analysts=analysts,
        hypotheses=hypotheses,
        sources=sources,
        evidence=evidence,
        assumptions=assumptions,
        scoring=draw(scorings()),
        judgement=draw(
            st.dictionaries(
                st.sampled_from([*analysts, "team"]),
                st.dictionaries(st.sampled_from(h_ids), st.floats(0, 1), min_size=1),
                max_size=2,
            )
        ),
        outcome=draw(st.none() | outcomes(h_ids)),
    )


@st.composite
def outcomes(draw: st.DrawFn, hypothesis_ids: list[str]) -> Outcome:
    """An outcome naming one of ``hypothesis_ids``, with or without a date."""
    return Outcome(
        hypothesis=draw(st.sampled_from(hypothesis_ids)),
        date=draw(st.none() | DATES),
        evidence=draw(TEXT),
    )


@st.composite
def documented_assessments(draw: st.DrawFn) -> assess.Assessment:
    """
    An assessment whose items may quote documents carried by outlets.

    The documents' paths are never read (only the loader reads them), so
    their outlets can stand between an item's originator and us: without
    ``via``, an outlet other than the item's own source is its one relay.
    """
    a = draw(assessments())
    s_ids = [s.id for s in a.sources]
    d_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    documents = [
        assess.Document(id=d, path=f"{d}.txt", source=draw(st.none() | st.sampled_from(s_ids)))
        for d in d_ids
    ]
    evidence = []
    for e in a.evidence:
        document = draw(st.none() | st.sampled_from(d_ids))
        if document is None:
            evidence.append(e)
            continue
        via = e.via if draw(st.booleans()) else ()
        evidence.append(attrs.evolve(e, document=document, quote=draw(TEXT), via=via))
    return attrs.evolve(a, documents=documents, evidence=evidence)


@st.composite
def large_assessments(draw: st.DrawFn) -> assess.Assessment:
    """
    Tens of items from a few sources and parties, with long lines and relays.

    Many rows share their grades, so the scorer's grouped sums are exercised;
    the structure is drawn from one seeded random generator to stay quick.
    """
    rng = draw(st.randoms(use_true_random=False))
    h_ids = [f"H{j + 1}" for j in range(rng.randint(2, 6))]
    labels = ["yes", "no", "maybe"]
    answered = rng.random() < 0.5
    hypotheses = [
        assess.Hypothesis(id=h, statement=h, answer=labels[j % 3] if answered else None, prior=p)
        for (j, h), p in zip(enumerate(h_ids), draw(priors(len(h_ids))), strict=True)
    ]
    grades = list(assess.Reliability)
    s_ids = [f"s{i}" for i in range(rng.randint(1, 6))]
    sources = [
        assess.Source(
            id=s,
            name=s,
            reliability=rng.choice(grades),
            interested=rng.random() < 0.3,
            party=rng.choice([None, "p1", "p2"]),
        )
        for s in s_ids
    ]
    analysts = ["ann", "bo"] if rng.random() < 0.3 else []
    ratings = list(assess.Rating)
    evidence = []
    for i in range(rng.randint(10, 60)):
        source = rng.choice(s_ids)
        others = [s for s in s_ids if s != source]
        row: dict[str, assess.Rating | dict[str, assess.Rating]] = {}
        for h in h_ids:
            if analysts and rng.random() < 0.2:
                row[h] = {who: rng.choice(ratings) for who in analysts}
            elif rng.random() < 0.9:
                row[h] = rng.choice(ratings)
        parents = rng.sample(range(i), min(i, rng.choice([0, 0, 1, 1, 2]))) if i else []
        evidence.append(
            assess.Evidence(
                id=f"E{i}",
                summary="s",
                kind="report",
                source=source,
                via=rng.sample(others, min(len(others), rng.choice([0, 0, 1, 2]))),
                credibility=rng.choice(list(assess.Credibility)),
                relevance=rng.choice(list(assess.Relevance)),
                derived_from=[f"E{p}" for p in parents],
                ratings=row,
            )
        )
    return assess.Assessment(
        id="large",
        title="t",
        analysts=analysts,
        hypotheses=hypotheses,
        sources=sources,
        evidence=evidence,
        scoring=draw(scorings()),
    )


#: What an indicator may expect under a hypothesis: any rating but NA.
EXPECTED = st.sampled_from([r for r in assess.Rating if r is not assess.Rating.NA])


@st.composite
def indicators(
    draw: st.DrawFn,
    hypothesis_ids: list[str],
    taken: set[str],
    *,
    statuses: list[assess.IndicatorStatus] | None = None,
    min_size: int = 0,
    max_size: int = 4,
) -> list[assess.Indicator]:
    """
    ``min_size`` to ``max_size`` indicators rating every hypothesis, none with an id in ``taken``.

    ``expected`` is drawn in any key order; ``statuses`` limits the statuses
    drawn (every status when not given).
    """
    ids = draw(
        st.lists(
            IDS.filter(lambda i: i not in taken), min_size=min_size, max_size=max_size, unique=True
        )
    )
    chosen = list(assess.IndicatorStatus) if statuses is None else statuses
    return [
        assess.Indicator(
            id=i,
            description=draw(TEXT),
            expected={h: draw(EXPECTED) for h in draw(st.permutations(hypothesis_ids))},
            reliability=draw(st.sampled_from(list(assess.Reliability))),
            credibility=draw(st.sampled_from(list(assess.Credibility))),
            detection=draw(st.none() | SHARES),
            status=draw(st.sampled_from(chosen)),
            answer_by=draw(st.none() | DATES),
            date=draw(st.none() | DATES),
            notes=draw(st.none() | TEXT),
        )
        for i in ids
    ]


@st.composite
def assessments_with_indicators(
    draw: st.DrawFn,
    *,
    statuses: list[assess.IndicatorStatus] | None = None,
    min_size: int = 0,
    max_size: int = 4,
) -> assess.Assessment:
    """
    An assessment of :func:`assessments` with ``min_size`` to ``max_size`` indicators added.

    Indicator ids name no evidence item and no source: an observed
    indicator is scored as an item with a source of its own under its id.
    """
    a = draw(assessments())
    taken = {e.id for e in a.evidence} | {s.id for s in a.sources}
    found = draw(
        indicators(
            [h.id for h in a.hypotheses],
            taken,
            statuses=statuses,
            min_size=min_size,
            max_size=max_size,
        )
    )
    return attrs.evolve(a, indicators=found)


@st.composite
def pending_cases(draw: st.DrawFn) -> assess.Assessment:
    """
    Two to four hypotheses with uneven priors and no evidence, and one to four pending indicators.

    The priors range over a factor of up to 100, so unseating the leader
    may take one indicator or several: the cases the fewest-outcomes search
    must get right.
    """
    count = draw(st.integers(2, 4))
    h_ids = [f"H{j + 1}" for j in range(count)]
    weights = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    hypotheses = [
        assess.Hypothesis(id=h, statement=h, prior=w / sum(weights))
        for h, w in zip(h_ids, weights, strict=True)
    ]
    found = draw(indicators(h_ids, set(), statuses=[assess.IndicatorStatus.PENDING], min_size=1))
    return assess.Assessment(id="pending", title="t", hypotheses=hypotheses, indicators=found)
