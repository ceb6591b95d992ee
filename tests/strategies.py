"""Hypothesis strategies for valid assessments and their parts."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

import assess
from assess.model import Outcome

IDS = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,10}[A-Za-z0-9])?", fullmatch=True)
ASSESSMENT_IDS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
# Any text a person could write, including YAML-significant words and symbols.
TEXT = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["NO", "yes", "off", "1:20", "0.5", "1e5", "0o17", "~", "null", "- x", "#"]),
).filter(lambda s: s.strip() != "")
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
RATINGS = st.sampled_from(list(assess.Rating))


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
        assess.Hypothesis(id=h, statement=draw(TEXT), prior=p)
        for h, p in zip(h_ids, draw(priors(len(h_ids))), strict=True)
    ]
    s_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    sources = [
        assess.Source(
            id=s,
            name=draw(TEXT),
            reliability=draw(st.sampled_from(list(assess.Reliability))),
            interested=draw(st.booleans()),
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
        evidence.append(
            assess.Evidence(
                id=e,
                summary=draw(TEXT),
                kind=draw(st.sampled_from(list(assess.Kind))),
                source=draw(st.sampled_from(s_ids)),
                credibility=draw(st.sampled_from(list(assess.Credibility))),
                relevance=draw(st.sampled_from(list(assess.Relevance))),
                date=draw(st.none() | DATES),
                derived_from=parents,
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
        scoring=assess.Scoring(likelihoods=likelihoods),
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
