"""The scoring contract of evidence model 2: a pure-Python reference, its rules' properties."""

from __future__ import annotations

import itertools
import json
import math
import random
import shutil
from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess.methods import lines, scoring
from assess.model import Dependence
from helpers import run_cli
from reference import POINTS, reference, relays
from strategies import (
    RATINGS,
    assessments,
    documented_assessments,
    large_assessments,
    scorings,
)

ROOT = Path(__file__).resolve().parent.parent
# Every shipped assessment that is meant to be valid: old files must load and score.
SHIPPED = sorted(
    [*ROOT.glob("assessments/**/*.yaml"), *ROOT.glob("tests/data/*.yaml")]
    # bad/ holds broken files; history/ files read their documents from where they lived.
    + [p for p in ROOT.glob("tests/data/*/*.yaml") if p.parent.name not in {"bad", "history"}]
)
# Ids longer than the strategies' (at most 12 characters), so never taken.
ADDED = "zz-added-item-1"
ADDED_SOURCE = "zz-added-source"
ADDED_RELAY = "zz-added-relay-1"
ADDED_HYPOTHESIS = "zz-split-hypothesis"


def close(x: float, y: float, *, rel: float = 1e-9) -> bool:
    """Equal to within rounding."""
    return math.isclose(x, y, rel_tol=rel, abs_tol=1e-12)


def load(path: Path) -> assess.Assessment:
    """A shipped file, loaded with the repository as its root (documents live in seeds/)."""
    return assess.load(path, root=ROOT)


def assert_matches_reference(a: assess.Assessment, s: assess.Scores | None = None) -> None:
    """Every figure of ``assess.score`` (or of ``s``) equals the reference's."""
    s = assess.score(a) if s is None else s
    want = reference(a)
    for h in s.hypotheses:
        w = want.hypotheses[h.id]
        for name in ("prior", "inconsistency", "weighted_inconsistency", "log_likelihood"):
            assert close(getattr(h, name), getattr(w, name)), (h.id, name, h, w)
        assert close(h.posterior, w.posterior), (h, w)
        assert h.rank == w.rank, (h, w)
    for e in s.evidence:
        v = want.evidence[e.id]
        for name in ("quality", "weight", "diagnosticity"):
            assert close(getattr(e, name), getattr(v, name)), (e.id, name, e, v)
        assert (e.line, e.lines, e.line_size) == (v.line, v.lines, v.line_size), (e, v)
    assert [line.id for line in s.lines] == list(want.lines)
    for line in s.lines:
        x = want.lines[line.id]
        assert line.members == x.members, (line, x)
        assert len(line.channels) == len(x.channels)
        assert all(close(c, d) for c, d in zip(line.channels, x.channels, strict=True)), (line, x)
        for name in ("originator_quality", "fidelity", "quality", "tempering"):
            assert close(getattr(line, name), getattr(x, name)), (line.id, name, line, x)
    assert [answer.answer for answer in s.answers] == list(want.answers)
    for answer in s.answers:
        y = want.answers[answer.answer]
        assert answer.hypotheses == y.hypotheses
        assert close(answer.prior, y.prior)
        assert close(answer.probability, y.probability)


def posteriors(s: assess.Scores) -> dict[str, float]:
    """Each hypothesis's posterior by id."""
    return {h.id: h.posterior for h in s.hypotheses}


def same_posteriors(x: assess.Scores, y: assess.Scores, *, rel: float = 1e-9) -> bool:
    """Whether two scorings give every hypothesis the same posterior."""
    px, py = posteriors(x), posteriors(y)
    return px.keys() == py.keys() and all(close(px[k], py[k], rel=rel) for k in px)


def log_odds_shifts(x: assess.Scores, y: assess.Scores) -> list[float]:
    """How far each hypothesis's log-likelihood moves from ``x`` to ``y``."""
    return [
        b.log_likelihood - a.log_likelihood for a, b in zip(x.hypotheses, y.hypotheses, strict=True)
    ]


def adding(
    a: assess.Assessment,
    *items: assess.Evidence,
    sources: Sequence[assess.Source] = (),
    scoring: assess.Scoring | None = None,
) -> assess.Assessment:
    """``a`` with more items (and the sources they need)."""
    return attrs.evolve(
        a,
        sources=(*a.sources, *sources),
        evidence=(*a.evidence, *items),
        scoring=a.scoring if scoring is None else scoring,
    )


def item(
    item_id: str,
    source: str,
    ratings: dict[str, str],
    **fields: object,
) -> assess.Evidence:
    """An evidence item with the fields a test cares about."""
    return assess.Evidence(
        id=item_id,
        summary="s",
        kind="report",
        source=source,
        ratings=ratings,
        **fields,  # type: ignore[arg-type]
    )


def build(
    ratings: list[dict[str, str]],
    *,
    hypotheses: int = 3,
    priors: list[float] | None = None,
    reliability: str = "A",
    credibility: int = 1,
    scoring: assess.Scoring | None = None,
) -> assess.Assessment:
    """A small assessment with one source and the given rating rows, E1, E2..."""
    h_ids = [f"H{j + 1}" for j in range(hypotheses)]
    return assess.Assessment(
        id="example",
        title="t",
        hypotheses=[
            assess.Hypothesis(id=h, statement=h, prior=None if priors is None else priors[j])
            for j, h in enumerate(h_ids)
        ],
        sources=[assess.Source(id="s", name="s", reliability=reliability)],
        evidence=[
            item(f"E{i + 1}", "s", row, credibility=credibility) for i, row in enumerate(ratings)
        ],
        scoring=assess.Scoring() if scoring is None else scoring,
    )


# ------------------------------------------------------------------ the reference


class TestAgainstReference:
    """Every figure of sections 1-4 equals the pure-Python reference in ``tests/reference.py``."""

    @given(assessments())
    @settings(max_examples=200, deadline=None)
    def test_random_assessments(self, a: assess.Assessment) -> None:
        """Hypotheses, items, lines and answers match on random assessments, teams included."""
        assert_matches_reference(a)

    @given(documented_assessments())
    @settings(max_examples=100, deadline=None)
    def test_documents_as_relays(self, a: assess.Assessment) -> None:
        """They match when a document's outlet is an item's relay (or ``via`` overrides it)."""
        assert_matches_reference(a)

    @given(large_assessments())
    @settings(max_examples=40, deadline=None)
    def test_large_assessments(self, a: assess.Assessment) -> None:
        """They match on tens of items sharing grades, sources, parties and long lines."""
        assert_matches_reference(a)

    @given(large_assessments())
    @settings(max_examples=20, deadline=None)
    def test_small_chunks(self, a: assess.Assessment) -> None:
        """Chunking the matrix (here one row at a time) changes no figure."""
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(scoring, "CHUNK_CELLS", 1)
            chunked = assess.score(a)
        assert_matches_reference(a, chunked)

    @pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
    def test_shipped_files(self, path: Path) -> None:
        """They match on every shipped assessment, whose documents' outlets are relays."""
        assert_matches_reference(load(path))

    def test_page_cases(self) -> None:
        """They match where the page's rules meet: a party named like a source, repeats first."""
        sources = [
            assess.Source(id="a", name="n", reliability="A"),
            assess.Source(id="b", name="n", reliability="B", party="a"),
            assess.Source(id="c", name="n", reliability="C", party="a"),
            assess.Source(id="d", name="n", reliability="D"),
        ]
        cc_ii = {"H1": "CC", "H2": "II"}
        a = assess.Assessment(
            id="x",
            title="t",
            hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
            sources=sources,
            documents=[assess.Document(id="doc", path="doc.txt", source="c")],
            evidence=[
                # A repeat declared before its parents, in two lines at once.
                item("R", "d", cc_ii, derived_from=["M", "E2"]),
                item("M", "c", cc_ii, derived_from=["E1"], via=["d"]),
                item("E1", "a", cc_ii, via=["c"]),
                item("E2", "b", cc_ii),
                item("E3", "c", {}),  # rates nothing
                item("E4", "a", cc_ii, document="doc", quote="q"),
                item("E5", "a", cc_ii, document="doc", quote="q", via=["b"]),
                item("E6", "c", cc_ii, document="doc", quote="q"),  # its own outlet
            ],
        )
        assert_matches_reference(a)
        s = assess.score(a)
        # Source "a" has no party: it is not the party "a" of b and c.
        assert s.lines[0].id == "E1"
        assert close(s.lines[0].tempering, 1 / (1 + 2 * 0.2))
        assert s.item("R").lines == ("E1", "E2")


# ------------------------------------------------------------------ the rules' properties


class TestRepeatsNeverInflate:
    """
    Repeats never inflate a line.

    "No number of repeats makes a line weigh more than its originator's grades allow with a
    perfect channel, since fidelity(line) <= 1" (methods.md section 2).
    """

    @given(assessments(), st.data())
    @settings(deadline=None)
    def test_adding_a_repeat(self, a: assess.Assessment, data: st.DataObject) -> None:
        """A repeat of any grade, relays and ratings keeps every line within its originator's."""
        if not a.evidence:
            return
        s_ids = [s.id for s in a.sources]
        source = data.draw(st.sampled_from(s_ids))
        others = [x for x in s_ids if x != source]
        repeat = item(
            ADDED,
            source,
            data.draw(st.dictionaries(st.sampled_from([h.id for h in a.hypotheses]), RATINGS)),
            credibility=data.draw(st.sampled_from(list(assess.Credibility))),
            via=data.draw(st.lists(st.sampled_from(others), unique=True)) if others else [],
            derived_from=data.draw(
                st.lists(st.sampled_from([e.id for e in a.evidence]), min_size=1, unique=True)
            ),
        )
        before = {line.id: line for line in assess.score(a).lines}
        after = assess.score(adding(a, repeat))
        assert [line.id for line in after.lines] == list(before)
        for line in after.lines:
            assert line.quality <= line.originator_quality * (1 + 1e-12)
            assert line.fidelity <= 1.0
            # A further channel only adds a factor of at most 1 to the failures' product.
            assert line.quality >= before[line.id].quality * (1 - 1e-12)
            assert line.tempering == before[line.id].tempering

    @given(st.integers(1, 30), st.sampled_from(list(assess.Reliability)), scorings())
    @settings(deadline=None)
    def test_many_copies(
        self, copies: int, relay: assess.Reliability, rules: assess.Scoring
    ) -> None:
        """However many copies of an A1 report there are, the line stays at most A1's quality."""
        cc_ii = {"H1": "CC", "H2": "II"}
        a = assess.Assessment(
            id="x",
            title="t",
            hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
            sources=[
                assess.Source(id="s", name="n", reliability="A"),
                assess.Source(id="r", name="n", reliability=relay),
            ],
            evidence=[
                item("E0", "s", cc_ii, credibility=1),
                *(item(f"E{i + 1}", "r", cc_ii, derived_from=[f"E{i}"]) for i in range(copies)),
            ],
            scoring=rules,
        )
        [line] = assess.score(a).lines
        best = (
            rules.reliability_values[assess.Reliability.A]
            * rules.credibility_values[assess.Credibility(1)]
        )
        assert line.originator_quality == best
        assert line.quality <= best * (1 + 1e-12)


class TestRelayNeverUpgrades:
    """
    A relay never upgrades.

    "A relay can never upgrade an original" (methods.md section 2).
    """

    @given(documented_assessments(), st.data())
    @settings(deadline=None)
    def test_one_more_relay(self, a: assess.Assessment, data: st.DataObject) -> None:
        """Putting one more relay in an item's chain lowers or keeps every quality and fidelity."""
        if not a.evidence or len(a.sources) < 2:
            return
        index = data.draw(st.integers(0, len(a.evidence) - 1))
        e = a.evidence[index]
        chain = relays(a, e)
        spare = [s.id for s in a.sources if s.id != e.source and s.id not in chain]
        if not spare:
            return
        extra = data.draw(st.sampled_from(spare))
        at = data.draw(st.integers(0, len(chain)))
        longer = attrs.evolve(e, via=(*chain[:at], extra, *chain[at:]))
        b = attrs.evolve(a, evidence=(*a.evidence[:index], longer, *a.evidence[index + 1 :]))
        sa, sb = assess.score(a), assess.score(b)
        assert sb.item(e.id).quality <= sa.item(e.id).quality * (1 + 1e-12)
        for x, y in zip(sa.lines, sb.lines, strict=True):
            assert y.fidelity <= x.fidelity * (1 + 1e-12)
            assert y.quality <= x.quality * (1 + 1e-12)
            assert y.originator_quality == x.originator_quality


class TestFidelityZeroIsInert:
    """
    Fidelity 0 is inert.

    "A repeat whose channel has fidelity 0 changes nothing (its factor 1 - 0 is 1)"
    (methods.md section 2).
    """

    @given(assessments(), st.data())
    @settings(deadline=None)
    def test_repeat_through_a_lost_relay(self, a: assess.Assessment, data: st.DataObject) -> None:
        """A repeat through an E relay of fidelity 0 moves no figure but Heuer's count."""
        if not a.evidence:
            return
        lost = attrs.evolve(a.scoring, fidelity={**a.scoring.fidelity, assess.Reliability.E: 0.0})
        relay = assess.Source(id=ADDED_RELAY, name="n", reliability="E")
        base = adding(a, sources=[relay], scoring=lost)
        source = data.draw(st.sampled_from([s.id for s in a.sources]))
        repeat = item(
            ADDED,
            source,
            data.draw(st.dictionaries(st.sampled_from([h.id for h in a.hypotheses]), RATINGS)),
            credibility=data.draw(st.sampled_from(list(assess.Credibility))),
            via=[relay.id],
            derived_from=data.draw(
                st.lists(st.sampled_from([e.id for e in a.evidence]), min_size=1, unique=True)
            ),
        )
        before, after = assess.score(base), assess.score(adding(base, repeat))
        for x, y in zip(before.hypotheses, after.hypotheses, strict=True):
            assert close(x.posterior, y.posterior)
            assert close(x.log_likelihood, y.log_likelihood)
            assert close(x.weighted_inconsistency, y.weighted_inconsistency)
            assert close(
                x.inconsistency + POINTS.get(repeat.rating(x.id).value, 0), y.inconsistency
            )
        for old, new in zip(before.lines, after.lines, strict=True):
            assert close(old.fidelity, new.fidelity)
            assert close(old.quality, new.quality)
            assert old.tempering == new.tempering
        assert after.item(ADDED).quality == 0.0

    @given(assessments(), st.data())
    @settings(deadline=None)
    def test_original_through_a_lost_relay(self, a: assess.Assessment, data: st.DataObject) -> None:
        """An original from a new source, through a relay of fidelity 0, moves no posterior."""
        lost = attrs.evolve(a.scoring, fidelity={**a.scoring.fidelity, assess.Reliability.E: 0.0})
        relay = assess.Source(id=ADDED_RELAY, name="n", reliability="E")
        own = assess.Source(
            id=ADDED_SOURCE,
            name="n",
            reliability=data.draw(st.sampled_from(list(assess.Reliability))),
        )
        base = adding(a, sources=[relay, own], scoring=lost)
        original = item(
            ADDED,
            own.id,
            data.draw(st.dictionaries(st.sampled_from([h.id for h in a.hypotheses]), RATINGS)),
            credibility=data.draw(st.sampled_from(list(assess.Credibility))),
            via=[relay.id],
        )
        before, after = assess.score(base), assess.score(adding(base, original))
        assert same_posteriors(before, after)
        assert after.lines[-1].quality == 0.0


class TestTemperingBoundedByRho:
    """
    Tempering is bounded by 1/rho.

    "n lines from one source never weigh more than 1/rho_source lines" (methods.md section 3):
    each counts t = 1 / (1 + (n - 1) rho), so together they weigh n_eff = n / (1 + (n - 1) rho).
    """

    @staticmethod
    def lines_from_one_source(
        n: int, *, grade: str, credibility: int, ratings: dict[str, str], rules: assess.Scoring
    ) -> assess.Assessment:
        """N identical lines from one source, on two hypotheses."""
        return assess.Assessment(
            id="x",
            title="t",
            hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
            sources=[assess.Source(id="s", name="n", reliability=grade)],
            evidence=[item(f"E{i}", "s", ratings, credibility=credibility) for i in range(n)],
            scoring=rules,
        )

    @given(
        st.integers(1, 60),
        st.floats(0, 1),
        st.sampled_from(["A", "B", "C", "D", "F"]),
        st.sampled_from([1, 2, 3, 4, 6]),
        st.tuples(RATINGS, RATINGS),
    )
    @settings(deadline=None)
    def test_one_source(
        self,
        n: int,
        rho: float,
        grade: str,
        credibility: int,
        pair: tuple[assess.Rating, assess.Rating],
    ) -> None:
        """The log-odds shift of n identical lines is n/(1+(n-1)rho) lines' worth, at most 1/rho."""
        rules = assess.Scoring(dependence=Dependence(same_source=rho))
        ratings = {"H1": pair[0].value, "H2": pair[1].value}
        one, many = (
            assess.score(
                self.lines_from_one_source(
                    count, grade=grade, credibility=credibility, ratings=ratings, rules=rules
                )
            )
            for count in (1, n)
        )
        shift_one = one.hypotheses[0].log_likelihood - one.hypotheses[1].log_likelihood
        shift = many.hypotheses[0].log_likelihood - many.hypotheses[1].log_likelihood
        n_eff = n / (1 + (n - 1) * rho)
        assert close(shift, n_eff * shift_one)
        if rho > 0:
            assert abs(shift) <= abs(shift_one) / rho * (1 + 1e-12) + 1e-12
        # Only diagnostic lines count in n; lines that tell nothing apart keep t = 1.
        rated = {rating for rating in pair if rating is not assess.Rating.NA}
        counted = n if len(rated) > 1 else 1
        assert all(close(line.tempering, 1 / (1 + (counted - 1) * rho)) for line in many.lines)

    @given(st.integers(1, 8), st.integers(1, 8), st.floats(0, 1), st.floats(0, 1))
    @settings(deadline=None)
    def test_one_party(self, k: int, n: int, rho_source: float, rho_party: float) -> None:
        """Sources of a party (k, n lines each) weigh k n t_source t_party: at most 1/rho_party."""
        rules = assess.Scoring(dependence=Dependence(same_source=rho_source, same_party=rho_party))
        a = assess.Assessment(
            id="x",
            title="t",
            hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
            sources=[
                assess.Source(id=f"s{j}", name="n", reliability="A", party="government")
                for j in range(k)
            ],
            evidence=[
                item(f"E{j}-{i}", f"s{j}", {"H1": "C", "H2": "I"}, credibility=1)
                for j in range(k)
                for i in range(n)
            ],
            scoring=rules,
        )
        s = assess.score(a)
        shift = s.hypotheses[0].log_likelihood - s.hypotheses[1].log_likelihood
        one_line = math.log(0.8 / 0.2)
        t_source = 1 / (1 + (n - 1) * rho_source)
        t_party = 1 / (1 + (k - 1) * rho_party)
        assert close(shift, k * n * t_source * t_party * one_line)
        one_source = n * t_source * one_line  # what each source's lines weigh on their own
        if rho_party > 0:
            assert shift <= one_source / rho_party * (1 + 1e-12)


class TestDefaultDependence:
    """
    The default dependence meets the issue's three requirements.

    "With the defaults, forty items from one source weigh at most ten items' worth, a second item
    from a source still adds something, and forty C/I items from one D3 source stay below 0.95"
    (issue 13, section 3).
    """

    @given(
        st.sampled_from(["A", "B", "C", "D", "F"]),
        st.sampled_from([1, 2, 3, 4, 6]),
        st.tuples(RATINGS, RATINGS),
    )
    def test_forty_weigh_at_most_ten(
        self, grade: str, credibility: int, pair: tuple[assess.Rating, assess.Rating]
    ) -> None:
        """Forty identical lines from one source shift the log-odds at most ten lines' worth."""
        ratings = {"H1": pair[0].value, "H2": pair[1].value}
        make = TestTemperingBoundedByRho.lines_from_one_source
        rules = assess.Scoring()
        one = assess.score(
            make(1, grade=grade, credibility=credibility, ratings=ratings, rules=rules)
        )
        forty = assess.score(
            make(40, grade=grade, credibility=credibility, ratings=ratings, rules=rules)
        )
        shift_one = abs(one.hypotheses[0].log_likelihood - one.hypotheses[1].log_likelihood)
        shift = abs(forty.hypotheses[0].log_likelihood - forty.hypotheses[1].log_likelihood)
        assert shift <= 10 * shift_one * (1 + 1e-12) + 1e-12

    @given(st.sampled_from(["A", "B", "C", "D", "F"]), st.sampled_from([1, 2, 3, 4, 6]))
    def test_second_item_adds_something(self, grade: str, credibility: int) -> None:
        """A second C/I item from the same source raises the posterior it favours."""
        make = TestTemperingBoundedByRho.lines_from_one_source
        one, two = (
            assess.score(
                make(
                    count,
                    grade=grade,
                    credibility=credibility,
                    ratings={"H1": "C", "H2": "I"},
                    rules=assess.Scoring(),
                )
            )
            for count in (1, 2)
        )
        assert two.hypotheses[0].posterior > one.hypotheses[0].posterior > 0.5

    def test_forty_from_one_d3_source(self) -> None:
        """Forty C/I items from one D3 source give P = 0.66, below "almost certain" (0.95)."""
        a = TestTemperingBoundedByRho.lines_from_one_source(
            40, grade="D", credibility=3, ratings={"H1": "C", "H2": "I"}, rules=assess.Scoring()
        )
        p = assess.score(a).hypotheses[0].posterior
        assert p < 0.95
        assert round(p, 2) == 0.66


class TestNAInvariance:
    """
    NA is neutral.

    "An NA cell moves no hypothesis against the others on the item's own terms, and an item
    whose rated cells are all equal changes no posterior, whatever its NA cells"
    (methods.md section 1).
    """

    @given(assessments(), RATINGS, st.data())
    @settings(deadline=None)
    def test_equal_rated_cells(
        self, a: assess.Assessment, rating: assess.Rating, data: st.DataObject
    ) -> None:
        """An item from a source of its own, its rated cells all equal, leaves every posterior."""
        h_ids = [h.id for h in a.hypotheses]
        rated = data.draw(st.lists(st.sampled_from(h_ids), min_size=1, unique=True))
        own = assess.Source(
            id=ADDED_SOURCE,
            name="n",
            reliability=data.draw(st.sampled_from(list(assess.Reliability))),
        )
        ratings = dict.fromkeys(rated, rating.value) | {
            h: "NA" for h in h_ids if h not in rated and data.draw(st.booleans())
        }
        uniform = item(
            ADDED,
            own.id,
            ratings,
            credibility=data.draw(st.sampled_from(list(assess.Credibility))),
            relevance=data.draw(st.sampled_from(list(assess.Relevance))),
        )
        before = assess.score(a)
        after = assess.score(adding(a, uniform, sources=[own]))
        assert same_posteriors(before, after)
        assert after.item(ADDED).diagnosticity == 0

    @given(assessments(), scorings(), st.data())
    @settings(deadline=None)
    def test_na_is_the_weighted_mean(
        self, a: assess.Assessment, rules: assess.Scoring, data: st.DataObject
    ) -> None:
        """Under any table, an NA cell moves by the prior-weighted mean of the rated ones."""
        a = attrs.evolve(a, scoring=rules)
        h_ids = [h.id for h in a.hypotheses]
        ratings = data.draw(st.dictionaries(st.sampled_from(h_ids), RATINGS, min_size=1))
        own = assess.Source(id=ADDED_SOURCE, name="n", reliability="A")
        new = item(ADDED, own.id, {h: r.value for h, r in ratings.items()}, credibility=1)
        before = assess.score(a)
        after = assess.score(adding(a, new, sources=[own]))
        shifts = log_odds_shifts(before, after)
        prior = [h.prior for h in before.hypotheses]
        rated = [j for j, h in enumerate(h_ids) if ratings.get(h, assess.Rating.NA) != "NA"]
        if not rated:
            assert all(close(x, shifts[0]) for x in shifts)
            return
        mean = math.fsum(prior[j] * shifts[j] for j in rated) / math.fsum(prior[j] for j in rated)
        for j, shift in enumerate(shifts):
            if j not in rated:
                assert close(shift, mean)

    @given(assessments(), st.data())
    @settings(deadline=None)
    def test_missing_cell_is_na(self, a: assess.Assessment, data: st.DataObject) -> None:
        """A hypothesis an item does not rate scores exactly as an explicit NA."""
        h_ids = [h.id for h in a.hypotheses]
        evidence = [
            attrs.evolve(
                e,
                ratings={
                    **e.ratings,
                    **{h: "NA" for h in h_ids if h not in e.ratings and data.draw(st.booleans())},
                },
            )
            for e in a.evidence
        ]
        explicit = assess.score(attrs.evolve(a, evidence=evidence))
        implicit = assess.score(a)
        assert [h.log_likelihood for h in explicit.hypotheses] == [
            h.log_likelihood for h in implicit.hypotheses
        ]


class TestSplitHypothesisInvariance:
    """
    Answers are invariant under splitting a hypothesis.

    "Splitting the only hypothesis of an answer into two identical ones leaves every answer's
    probability unchanged under these priors" (methods.md section 3).
    """

    @staticmethod
    def split(a: assess.Assessment, j: int, at: int) -> assess.Assessment:
        """
        ``a`` with a twin of hypothesis ``j`` at position ``at``, rated as it is everywhere.

        A given prior is shared between the two.
        """
        original = a.hypotheses[j]
        half = None if original.prior is None else original.prior / 2
        twin = attrs.evolve(original, id=ADDED_HYPOTHESIS, prior=half)
        hypotheses = [
            attrs.evolve(h, prior=half) if i == j else h for i, h in enumerate(a.hypotheses)
        ]
        return attrs.evolve(
            a,
            hypotheses=(*hypotheses[:at], twin, *hypotheses[at:]),
            evidence=[
                attrs.evolve(e, ratings={**e.ratings, twin.id: e.ratings[original.id]})
                if original.id in e.ratings
                else e
                for e in a.evidence
            ],
        )

    @given(assessments(), st.data())
    @settings(deadline=None)
    def test_default_priors(self, a: assess.Assessment, data: st.DataObject) -> None:
        """A twin of an answer's only hypothesis (NA cells and teams too) moves no answer."""
        j = data.draw(st.integers(0, len(a.hypotheses) - 1))
        # Default priors; the split hypothesis alone in its answer (without answers, every
        # hypothesis is its own).
        hypotheses = [
            attrs.evolve(
                h,
                prior=None,
                answer=ADDED_HYPOTHESIS if i == j else (h.answer if h.answer is not None else h.id),
            )
            for i, h in enumerate(a.hypotheses)
        ]
        a = attrs.evolve(a, hypotheses=hypotheses)
        split = self.split(a, j, data.draw(st.integers(0, len(hypotheses))))
        before = {x.answer: x.probability for x in assess.score(a).answers}
        after = {x.answer: x.probability for x in assess.score(split).answers}
        assert before.keys() == after.keys()
        assert all(close(before[k], after[k]) for k in before)

    @given(assessments(), st.data())
    @settings(deadline=None)
    def test_given_priors(self, a: assess.Assessment, data: st.DataObject) -> None:
        """With priors given, a twin sharing its original's prior moves no other posterior."""
        if a.hypotheses[0].prior is None:
            return
        j = data.draw(st.integers(0, len(a.hypotheses) - 1))
        before = assess.score(a)
        after = assess.score(self.split(a, j, data.draw(st.integers(0, len(a.hypotheses)))))
        for h in before.hypotheses:
            if h.id == a.hypotheses[j].id:
                pair = (
                    after.hypothesis(h.id).posterior + after.hypothesis(ADDED_HYPOTHESIS).posterior
                )
                assert close(h.posterior, pair)
            else:
                assert close(h.posterior, after.hypothesis(h.id).posterior)

    @given(assessments())
    @settings(deadline=None)
    def test_own_answers_are_no_answers(self, a: assess.Assessment) -> None:
        """Giving every hypothesis an answer of its own changes no posterior."""
        plain = attrs.evolve(a, hypotheses=[attrs.evolve(h, answer=None) for h in a.hypotheses])
        own = attrs.evolve(a, hypotheses=[attrs.evolve(h, answer=h.id) for h in a.hypotheses])
        assert same_posteriors(assess.score(plain), assess.score(own), rel=1e-12)


class TestEvidenceOrderIndependence:
    """
    Evidence order does not matter.

    "Shuffled evidence gives the same answer" (STYLE.md, models of evidence).
    """

    @given(documented_assessments(), st.randoms(use_true_random=False))
    @settings(deadline=None)
    def test_shuffled(self, a: assess.Assessment, rng: random.Random) -> None:
        """Any order of the items (their derived_from links unchanged) gives the same figures."""
        shuffled = list(a.evidence)
        rng.shuffle(shuffled)
        sa, sb = assess.score(a), assess.score(attrs.evolve(a, evidence=shuffled))
        for x, y in zip(sa.hypotheses, sb.hypotheses, strict=True):
            assert math.isclose(x.posterior, y.posterior, rel_tol=1e-12, abs_tol=1e-12)
            assert close(x.log_likelihood, y.log_likelihood, rel=1e-12)
            assert close(x.weighted_inconsistency, y.weighted_inconsistency, rel=1e-12)
            # Teams' points are fractions, summed in another order.
            assert close(x.inconsistency, y.inconsistency, rel=1e-12)
            assert x.rank == y.rank
        lines = {line.id: line for line in sb.lines}
        assert lines.keys() == {line.id for line in sa.lines}
        for line in sa.lines:
            other = lines[line.id]
            assert set(line.members) == set(other.members)
            assert close(line.quality, other.quality, rel=1e-12)
            assert line.tempering == other.tempering
        items = {e.id: e for e in sb.evidence}
        for e in sa.evidence:
            assert set(e.lines) == set(items[e.id].lines)
            assert close(e.quality, items[e.id].quality, rel=1e-12)
            assert close(e.weight, items[e.id].weight, rel=1e-12)
        answers = {x.answer: x.probability for x in sb.answers}
        assert all(
            math.isclose(x.probability, answers[x.answer], rel_tol=1e-12) for x in sa.answers
        )


class TestNonDiagnosticItem:
    """
    A non-diagnostic item changes nothing.

    "0 means the item cannot tell the hypotheses apart: Heuer's non-diagnostic evidence, which
    should not sway the judgement however consistent it is" (methods.md section 4).
    """

    @given(assessments(), RATINGS, st.data())
    @settings(deadline=None)
    def test_same_rating_everywhere(
        self, a: assess.Assessment, rating: assess.Rating, data: st.DataObject
    ) -> None:
        """An item rated alike against every hypothesis, from a new source, changes nothing."""
        own = assess.Source(
            id=ADDED_SOURCE,
            name="n",
            reliability=data.draw(st.sampled_from(list(assess.Reliability))),
            interested=data.draw(st.booleans()),
        )
        same = item(
            ADDED,
            own.id,
            {h.id: rating.value for h in a.hypotheses},
            credibility=data.draw(st.sampled_from(list(assess.Credibility))),
        )
        before, after = assess.score(a), assess.score(adding(a, same, sources=[own]))
        assert same_posteriors(before, after)
        assert after.item(ADDED).diagnosticity == 0
        assert any(w.code == "non-diagnostic" and w.subject == ADDED for w in after.warnings)

    @given(assessments(), st.data())
    @settings(deadline=None)
    def test_worthless_report(self, a: assess.Assessment, data: st.DataObject) -> None:
        """A report of quality 0 (from a new E source) has l = 0.5 everywhere: no change."""
        # E is worth 0 by default; the drawn tables may value it otherwise.
        a = attrs.evolve(
            a,
            scoring=attrs.evolve(
                a.scoring,
                reliability_values={**a.scoring.reliability_values, assess.Reliability.E: 0.0},
            ),
        )
        worthless = assess.Source(id=ADDED_SOURCE, name="n", reliability="E")
        ratings = data.draw(st.dictionaries(st.sampled_from([h.id for h in a.hypotheses]), RATINGS))
        new = item(ADDED, worthless.id, {h: r.value for h, r in ratings.items()})
        before, after = assess.score(a), assess.score(adding(a, new, sources=[worthless]))
        assert same_posteriors(before, after)
        for x, y in zip(before.hypotheses, after.hypotheses, strict=True):
            assert close(x.weighted_inconsistency, y.weighted_inconsistency)

    def test_from_a_source_already_counted(self) -> None:
        """A non-diagnostic item from a source already in the file changes nothing either."""
        one = build([{"H1": "CC", "H2": "II"}], hypotheses=2)
        two = adding(one, item("E2", "s", {"H1": "C", "H2": "C"}, credibility=1))
        assert same_posteriors(assess.score(one), assess.score(two))


class TestConcurrentChannels:
    """
    Routes that share a relay are not independent.

    "A relay on several routes ... passes the report on or fails once for all of them, so its
    routes are not independent: assess then enumerates the states of the line's distinct
    relays" (methods.md section 2).
    """

    @staticmethod
    def relayed(*, copy_via: list[str]) -> assess.Assessment:
        """An A1 report held through a D outlet, and a copy of it by the same source."""
        return assess.Assessment(
            id="x",
            title="t",
            hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
            sources=[
                assess.Source(id="s", name="n", reliability="A"),
                assess.Source(id="outlet", name="n", reliability="D"),
                assess.Source(id="wire", name="n", reliability="B"),
            ],
            evidence=[
                item("E1", "s", {"H1": "CC", "H2": "II"}, via=["outlet"]),
                item("E2", "s", {"H1": "CC", "H2": "II"}, derived_from=["E1"], via=copy_via),
            ],
        )

    def test_copies_of_a_relayed_item(self) -> None:
        """Copies made from the D outlet's version leave the line at the outlet's fidelity."""
        [line] = assess.score(self.relayed(copy_via=["outlet"])).lines
        assert line.channels == (0.5, 0.5)
        assert line.fidelity == 0.5

    def test_one_more_relay_on_a_shared_route(self) -> None:
        """Outlet then wire: the copy gets through only if both do; the outlet fails once."""
        [line] = assess.score(self.relayed(copy_via=["outlet", "wire"])).lines
        assert line.channels == pytest.approx((0.5, 0.45))
        # Either route needs the outlet; the first needs nothing more: 0.5.
        assert line.fidelity == pytest.approx(0.5)

    def test_independent_routes(self) -> None:
        """Through the outlet and, separately, the wire: 1 - (1 - 0.5)(1 - 0.9)."""
        [line] = assess.score(self.relayed(copy_via=["wire"])).lines
        assert line.fidelity == pytest.approx(0.95)

    @given(
        st.floats(min_value=0.0, max_value=1.0),
        st.floats(min_value=0.0, max_value=1.0),
        st.floats(min_value=0.0, max_value=1.0),
    )
    def test_disjoint_and_enumerated_routes_agree(self, f: float, g: float, h: float) -> None:
        """
        Hooper's rule for disjoint routes and the exact enumeration give one fidelity.

        Routes {1} and {2} take Hooper's rule; adding {1, 2}, which can pass
        nothing the two do not, makes the relays shared and takes the
        enumeration.  A fidelity too small for 1 - (1 - f) (such as 1e-307)
        must not vanish in one and not in the other: the line would stop and
        start counting for tempering (found by TestFidelityZeroIsInert).
        """
        table = np.array([h, f, g])
        disjoint = lines.route_fidelity([frozenset({1}), frozenset({2})], table)
        shared = lines.route_fidelity([frozenset({1}), frozenset({2}), frozenset({1, 2})], table)
        assert math.isclose(float(disjoint), float(shared), rel_tol=1e-12, abs_tol=0.0)
        assert (float(disjoint) > 0) == (f > 0 or g > 0)


class TestShippedFiles:
    """
    Old files load and score.

    "Existing files stay valid", and score under the new model (issue 13, section 10).
    """

    @pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
    def test_loads_and_scores(self, path: Path) -> None:
        """Each shipped file loads unchanged and scores to a distribution, lines in [0, 1]."""
        s = assess.score(load(path))
        assert math.isclose(math.fsum(h.posterior for h in s.hypotheses), 1.0, rel_tol=1e-12)
        for line in s.lines:
            assert 0 <= line.quality <= line.originator_quality <= 1
            assert 0 < line.tempering <= 1
        assert {e.line for e in s.evidence} <= {line.id for line in s.lines}

    def test_shipped_files_found(self) -> None:
        """The list of shipped files is not empty (a moved folder would empty it silently)."""
        assert len(SHIPPED) >= 5


class TestPosteriorsAreADistribution:
    """
    Posteriors are a distribution.

    "posterior(h) = prior(h) exp(log_likelihood(h)) / sum" (methods.md section 3).
    """

    @given(large_assessments())
    @settings(max_examples=30, deadline=None)
    def test_sum_to_one(self, a: assess.Assessment) -> None:
        """Posteriors lie in [0, 1] and sum to 1; so do the answers' probabilities."""
        s = assess.score(a)
        values = [h.posterior for h in s.hypotheses]
        assert all(0 <= p <= 1 for p in values)
        assert math.isclose(math.fsum(values), 1.0, rel_tol=1e-12)
        if s.answers:
            assert math.isclose(math.fsum(x.probability for x in s.answers), 1.0, rel_tol=1e-12)

    def test_no_evidence(self) -> None:
        """Without evidence the posteriors are the priors."""
        s = assess.score(build([], priors=[0.2, 0.3, 0.5]))
        assert [h.posterior for h in s.hypotheses] == pytest.approx([0.2, 0.3, 0.5])

    def test_overwhelming_evidence(self) -> None:
        """Thousands of independent A1 lines stay finite: the sum is taken in log space."""
        a = build([{"H1": "CC", "H2": "II"}], hypotheses=2)
        many = attrs.evolve(
            a,
            sources=[assess.Source(id=f"s{i}", name="n", reliability="A") for i in range(2000)],
            evidence=[
                item(f"E{i}", f"s{i}", {"H1": "CC", "H2": "II"}, credibility=1) for i in range(2000)
            ],
        )
        s = assess.score(many)
        assert (s.hypotheses[0].posterior, s.hypotheses[1].posterior) == (1.0, 0.0)


class TestRanks:
    """
    Ranks with ties.

    "Posteriors equal to 12 decimal places are ties, broken by the lower weighted inconsistency
    (also to 12 places), then by declaration order" (methods.md section 3).
    """

    @given(assessments())
    def test_permutation(self, a: assess.Assessment) -> None:
        """Ranks run 1..n, highest posterior first."""
        s = assess.score(a)
        assert sorted(h.rank for h in s.hypotheses) == list(range(1, len(s.hypotheses) + 1))
        assert all(x.posterior >= y.posterior - 1e-12 for x, y in itertools.pairwise(s.ranking))

    def test_ties(self) -> None:
        """Equal posteriors: the lower weighted inconsistency first, then declaration order."""
        tied = assess.score(build([{"H1": "C", "H2": "C", "H3": "C"}]))
        assert [h.rank for h in tied.hypotheses] == [1, 2, 3]
        # With this table II x CC = I x C, so H1 (II, CC) and H2 (I, C) tie on the posterior,
        # and H2's one point of inconsistency beats H1's two.
        table = assess.Scoring(likelihoods={"CC": 0.8, "C": 0.6, "N": 0.5, "I": 0.4, "II": 0.3})
        a = build([{"H1": "II", "H2": "I"}, {"H1": "CC", "H2": "C"}], hypotheses=2, scoring=table)
        s = assess.score(a)
        assert round(s.hypotheses[0].posterior, 12) == round(s.hypotheses[1].posterior, 12)
        assert s.hypothesis("H1").weighted_inconsistency > s.hypothesis("H2").weighted_inconsistency
        assert [h.rank for h in s.hypotheses] == [2, 1]


# ------------------------------------------------------------------ cases


class TestPublishedExamples:
    """Worked examples from the literature."""

    def test_heuer_counting(self) -> None:
        """Heuer ch. 8: I counts 1, II counts 2; the least inconsistent hypothesis leads."""
        a = build(
            [
                {"H1": "C", "H2": "C", "H3": "C"},
                {"H1": "I", "H2": "C", "H3": "I"},
                {"H1": "II", "H2": "N", "H3": "I"},
                {"H1": "I", "H2": "CC", "H3": "N"},
            ]
        )
        s = assess.score(a)
        assert [s.hypothesis(h).inconsistency for h in ("H1", "H2", "H3")] == [4, 0, 2]
        assert s.ranking[0].id == "H2"
        assert s.item("E1").diagnosticity == 0
        assert {w.code for w in s.warnings} >= {"non-diagnostic", "uniform-priors"}

    def test_bayes_thirds(self) -> None:
        """Priors of a third each and likelihoods (0.2, 0.6, 0.6) give (0.1429, 0.4286, 0.4286)."""
        a = build(
            [{"H1": "I", "H2": "C", "H3": "C"}],
            priors=[1 / 3, 1 / 3, 1 - 2 / 3],
            scoring=assess.Scoring(likelihoods={"C": 0.6, "N": 0.5, "I": 0.2}),
        )
        assert [round(h.posterior, 4) for h in assess.score(a).hypotheses] == [
            0.1429,
            0.4286,
            0.4286,
        ]

    def test_schum_cascade(self) -> None:
        """A report of quality q has likelihood q*L + (1-q)/2: quality 0.5625 on C gives 0.66875."""
        s = assess.score(
            build([{"H1": "C", "H2": "N"}], hypotheses=2, reliability="B", credibility=2)
        )
        assert close(s.item("E1").quality, 0.5625)
        assert close(s.hypothesis("H1").log_likelihood, math.log(0.5625 * 0.8 + 0.4375 * 0.5))
        assert close(s.item("E1").diagnosticity, 10 * math.log10(0.66875 / 0.5))

    def test_hooper_successive(self) -> None:
        """Hooper: a report through relays B and C keeps 0.9 x 0.75 of its originator's quality."""
        a = attrs.evolve(
            build([{"H1": "C", "H2": "I"}], hypotheses=2),
            sources=[
                assess.Source(id="s", name="n", reliability="A"),
                assess.Source(id="b", name="n", reliability="B"),
                assess.Source(id="c", name="n", reliability="C"),
            ],
        )
        a = attrs.evolve(a, evidence=[attrs.evolve(a.evidence[0], via=["b", "c"])])
        s = assess.score(a)
        assert close(s.item("E1").quality, 0.9 * 0.75)
        assert s.lines[0].channels == pytest.approx((0.675,))

    def test_circular_reporting_counts_once(self) -> None:
        """Three copies of one story from its own source, with no relays, weigh one report."""
        one = build([{"H1": "CC", "H2": "II"}], hypotheses=2)
        three = attrs.evolve(
            one,
            evidence=[
                one.evidence[0],
                attrs.evolve(one.evidence[0], id="E2", derived_from=["E1"]),
                attrs.evolve(one.evidence[0], id="E3", derived_from=["E2"]),
            ],
        )
        a, b = assess.score(one), assess.score(three)
        assert close(a.hypothesis("H1").posterior, b.hypothesis("H1").posterior)
        assert [e.line for e in b.evidence] == ["E1", "E1", "E1"]
        assert b.hypothesis("H2").inconsistency == 6  # Heuer's count still sees every item

    def test_cannot_be_judged(self) -> None:
        """F weighs as D and 6 as 4 in the point estimate (the first model gave them C and 3)."""
        f6 = assess.score(
            build([{"H1": "C", "H2": "I"}], hypotheses=2, reliability="F", credibility=6)
        )
        d4 = assess.score(
            build([{"H1": "C", "H2": "I"}], hypotheses=2, reliability="D", credibility=4)
        )
        assert f6.item("E1").quality == d4.item("E1").quality == 0.0625
        assert posteriors(f6) == posteriors(d4)


class TestLines:
    """
    Lines are directed.

    "An item that derives from two items belongs to both lines; it does not merge them. Two items
    that both cite a third stay independent of each other" (methods.md section 2).
    """

    @staticmethod
    def linked(links: dict[str, list[str]]) -> assess.Scores:
        """Items from sources of their own, linked as given, in the given order."""
        return assess.score(
            assess.Assessment(
                id="x",
                title="t",
                hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
                sources=[assess.Source(id=f"s-{e}", name="n", reliability="B") for e in links],
                evidence=[
                    item(e, f"s-{e}", {"H1": "C", "H2": "I"}, derived_from=parents)
                    for e, parents in links.items()
                ],
            )
        )

    def test_two_citers_stay_apart(self) -> None:
        """B and c both cite a: one line a -> {b, c}; b and c are not joined to each other."""
        s = self.linked({"a": [], "b": ["a"], "c": ["a"]})
        assert [(line.id, line.members) for line in s.lines] == [("a", ("a", "b", "c"))]

    def test_item_in_two_lines(self) -> None:
        """C repeats both a and b: it belongs to both lines, which stay two lines."""
        s = self.linked({"a": [], "b": [], "c": ["a", "b"]})
        assert [(line.id, line.members) for line in s.lines] == [
            ("a", ("a", "c")),
            ("b", ("b", "c")),
        ]
        assert (s.item("c").line, s.item("c").lines) == ("a", ("a", "b"))
        assert s.item("c").weight == 0

    def test_chain_in_reverse(self) -> None:
        """A chain declared in reverse is one line named after its root, members in file order."""
        s = self.linked({"x3": ["x2"], "x2": ["x1"], "x1": []})
        assert [(line.id, line.members) for line in s.lines] == [("x1", ("x3", "x2", "x1"))]
        assert [e.line for e in s.evidence] == ["x1"] * 3

    def test_repeat_is_one_more_relay(self) -> None:
        """A repeat from another source than the root's passes through its source's fidelity."""
        s = self.linked({"a": [], "b": ["a"]})
        [line] = s.lines
        assert line.channels == (1.0, 0.9)
        assert close(line.fidelity, 1.0)

    def test_repeat_rows_count_zero(self) -> None:
        """A repeat's row weighs 0: its line counts once, at its root; Heuer's count sees it."""
        s = self.linked({"a": [], "b": ["a"]})
        assert s.matrix.tempering.tolist() == [1.0]  # one line
        assert s.arrays.weight.tolist() == [s.lines[0].quality, 0.0]
        assert s.hypothesis("H2").inconsistency == 2


class TestWarnings:
    """The warnings of methods.md section 5, each from a minimal case."""

    def test_mixed_line_and_unrated(self) -> None:
        """A line mixing interested and disinterested sources, and an unrated hypothesis."""
        a = assess.Assessment(
            id="w",
            title="t",
            hypotheses=[
                assess.Hypothesis(id="H1", statement="s", prior=0.5),
                assess.Hypothesis(id="H2", statement="s", prior=0.5),
            ],
            sources=[
                assess.Source(id="gov", name="g", reliability="B", interested=True),
                assess.Source(id="wire", name="w", reliability="B"),
            ],
            evidence=[
                item("E1", "gov", {"H1": "I"}),
                item("E2", "wire", {"H1": "I"}, derived_from=["E1"]),
            ],
        )
        codes = {w.code: w for w in assess.score(a).warnings}
        assert codes["mixed-line"].subject == "E1"
        assert codes["unrated-hypothesis"].subject == "H2"
        assert "uniform-priors" not in codes
        assert "repeat-rated-differently" not in codes

    def test_repeat_rated_differently(self) -> None:
        """A repeat rated unlike its root is named."""
        a = build([{"H1": "C", "H2": "I"}], hypotheses=2)
        a = adding(a, item("E2", "s", {"H1": "I", "H2": "C"}, derived_from=["E1"]))
        [warning] = [w for w in assess.score(a).warnings if w.code == "repeat-rated-differently"]
        assert warning.subject == "E2"

    def test_unlinked_confirmation(self) -> None:
        """Credibility 1 with no derived_from or confirmed_by link warns; a link silences it."""
        a = build([{"H1": "C", "H2": "I"}, {"H1": "C", "H2": "N"}], hypotheses=2, credibility=1)
        found = [w.subject for w in assess.score(a).warnings if w.code == "unlinked-confirmation"]
        assert found == ["E1", "E2"]
        linked = attrs.evolve(
            a, evidence=[attrs.evolve(a.evidence[0], confirmed_by=["E2"]), a.evidence[1]]
        )
        found = [
            w.subject for w in assess.score(linked).warnings if w.code == "unlinked-confirmation"
        ]
        assert "E1" not in found

    def test_priors_and_unpacking(self) -> None:
        """No priors warns; more than two hypotheses, no answers and no priors warn of unpacking."""
        codes = {w.code for w in assess.score(build([{"H1": "C"}])).warnings}
        assert {"uniform-priors", "unpacked-question"} <= codes
        two = {w.code for w in assess.score(build([{"H1": "C"}], hypotheses=2)).warnings}
        assert "unpacked-question" not in two
        a = build([{"H1": "C"}])
        answered = attrs.evolve(
            a,
            hypotheses=[
                attrs.evolve(h, answer="yes" if h.id == "H1" else "no") for h in a.hypotheses
            ],
        )
        s = assess.score(answered)
        assert "unpacked-question" not in {w.code for w in s.warnings}
        assert [h.prior for h in s.hypotheses] == [0.5, 0.25, 0.25]

    def test_ach_and_bayes_disagree(self) -> None:
        """When the least inconsistent hypothesis is not the most probable, the result says so."""
        a = build(
            [
                {"H1": "I", "H2": "N"},  # one mild strike against H1
                {"H1": "CC", "H2": "N"},
                {"H1": "CC", "H2": "N"},
            ],
            hypotheses=2,
        )
        s = assess.score(a)
        assert s.ranking[0].id == "H1"
        assert any(w.code == "ach-bayes-disagree" for w in s.warnings)


class TestArrays:
    """The array-level API for scripts."""

    def test_read_only_arrays(self) -> None:
        """The arrays in a result cannot be changed, and the matrix is int8."""
        s = assess.score(build([{"H1": "C", "H2": "I", "H3": "N"}]))
        with pytest.raises(ValueError, match="read-only"):
            s.arrays.posterior[0] = 1.0
        assert s.matrix.codes.dtype == np.int8

    def test_rising_likelihoods_refused(self) -> None:
        """score_matrix refuses a likelihood table that rises with the code."""
        with pytest.raises(ValueError, match="do not increase"):
            scoring.score_matrix(
                np.zeros((1, 2), np.int8),
                quality=np.ones(1),
                relevance=np.ones(1),
                tempering=np.ones(1),
                likelihoods=np.array([0.1, 0.2, 0.5, 0.5, 0.8, 0.9]),
                priors=np.array([0.5, 0.5]),
            )

    @given(assessments())
    @settings(deadline=None)
    def test_codes_are_the_cells_however_written(self, a: assess.Assessment) -> None:
        """
        The codes matrix and the team cells are the ratings cell by cell, in any key order.

        Items that rate every hypothesis in the declared order take a fast path;
        the same ratings in that order and as drawn give the same arrays.
        """
        h_ids = [h.id for h in a.hypotheses]

        def expected(assessment: assess.Assessment) -> tuple[list[list[int]], set[tuple[int, int]]]:
            codes = [[scoring.CODES[assess.Rating.NA]] * len(h_ids) for _ in assessment.evidence]
            team = set()
            for i, e in enumerate(assessment.evidence):
                for j, h in enumerate(h_ids):
                    cell = e.ratings.get(h)
                    if isinstance(cell, assess.Rating):
                        codes[i][j] = scoring.CODES[cell]
                    elif cell is not None and cell.informative():
                        team.add((i, j))
            return codes, team

        in_order = attrs.evolve(
            a,
            evidence=[
                attrs.evolve(e, ratings={h: e.ratings.get(h, assess.Rating.NA) for h in h_ids})
                for e in a.evidence
            ],
        )
        for case in (a, in_order):
            m = scoring.Matrix.from_assessment(case)
            codes, team = expected(case)
            assert m.codes.tolist() == (codes or np.zeros((0, len(h_ids))).tolist())
            assert set(zip(m.team_rows.tolist(), m.team_cols.tolist(), strict=True)) == team
            assert m.team_rows.tolist() == sorted(m.team_rows.tolist())

    def test_matrix_figures(self) -> None:
        """score_matrix on a result's matrix (no repeats: a line per row) gives its arrays."""
        s = assess.score(build([{"H1": "C", "H2": "I", "H3": "N"}, {"H1": "CC", "H3": "II"}]))
        m = s.matrix
        again = scoring.score_matrix(
            m.codes,
            quality=m.line_quality,
            relevance=m.relevance,
            tempering=m.tempering,
            likelihoods=m.likelihoods,
            priors=m.priors,
        )
        assert again.posterior.tolist() == s.arrays.posterior.tolist()


class TestCommand:
    """assess score."""

    def test_json_shape(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """JSON is assess-score/2 with the documented keys, in declaration order, full precision."""
        monkeypatch.chdir(ROOT)
        status, out, err = run_cli(
            "score", "assessments/russia-taliban-support.yaml", "--format", "json"
        )
        assert status == 0
        data = json.loads(out)
        a = assess.load("assessments/russia-taliban-support.yaml")
        assert data["format"] == "assess-score/2"
        assert data["assessment"] == a.id
        assert data["digest"] == assess.digest(a)
        assert [h["id"] for h in data["hypotheses"]] == [h.id for h in a.hypotheses]
        assert set(data["hypotheses"][0]) >= {"id", "prior", "posterior", "rank"}
        assert set(data["evidence"][0]) >= {"id", "line", "quality"}
        assert set(data["lines"][0]) >= {"id", "members", "quality", "fidelity", "tempering"}
        assert "answers" in data
        s = assess.score(a)
        assert data["hypotheses"][0]["posterior"] == s.hypotheses[0].posterior
        assert [line["tempering"] for line in data["lines"]] == [line.tempering for line in s.lines]
        assert "warning: the ACH leader (least weighted inconsistency) is H3" in err

    def test_retired_setting_warns_at_its_place(self, tmp_path: Path) -> None:
        """A retired confidence setting the file sets is named at its line and column."""
        text = (ROOT / "assessments" / "russia-taliban-support.yaml").read_text(encoding="utf-8")
        assert "\nscoring:" not in text
        shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
        path = tmp_path / "assessments" / "retired.yaml"
        path.parent.mkdir()
        path.write_text(text + "scoring:\n  confidence:\n    support_ratio: 3\n", encoding="utf-8")
        line = text.count("\n") + 3
        status, _, err = run_cli("score", str(path), "--root", str(tmp_path))
        assert status == 0
        assert f"{path}:{line}:20: warning: scoring.confidence.support_ratio is retired" in err
        default = run_cli("score", "assessments/russia-taliban-support.yaml", "--root", str(ROOT))
        assert "retired" not in default[2]

    def test_table_not_coloured_when_piped(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The table ranks hypotheses left to right, shows tempering, has no escapes on a pipe."""
        monkeypatch.chdir(ROOT)
        status, out, _ = run_cli("score", "assessments/russia-taliban-support.yaml")
        assert status == 0
        assert "\x1b[" not in out
        header = next(line for line in out.splitlines() if line.startswith("item"))
        s = assess.score(assess.load("assessments/russia-taliban-support.yaml"))
        ranked = [h.id for h in s.ranking]
        assert header.split()[-len(ranked) :] == ranked
        assert "temper" in header.split()  # each line's tempering factor

    def test_colour_forced(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """--color always colours the ratings."""
        monkeypatch.chdir(ROOT)
        _, out, _ = run_cli("score", "assessments/russia-taliban-support.yaml", "--color", "always")
        assert "\x1b[" in out

    def test_bad_file(self, tmp_path: Path) -> None:
        """A file with problems is reported as by validate, exit 1."""
        bad = tmp_path / "bad.yaml"
        bad.write_text("assessment: x\n", encoding="utf-8")
        status, out, err = run_cli("score", str(bad))
        assert (status, out) == (1, "")
        assert "missing required key 'title'" in err


@given(st.integers(1, 60), st.integers(1, 12), st.integers(0, 2**32 - 1))
@settings(deadline=None)
def test_block_counts_alike_by_bincount_and_by_comparison(
    rows: int, columns: int, seed: int
) -> None:
    """Small blocks are counted by bincount, large ones by comparisons: the same counts."""
    block = np.random.default_rng(seed).integers(0, 6, (rows, columns)).astype(np.int8)
    by_bincount = scoring._block_counts(block)
    small = scoring._SMALL_BLOCK
    try:
        scoring._SMALL_BLOCK = 0  # type: ignore[misc]  # every block counted by comparisons
        by_comparison = scoring._block_counts(block)
    finally:
        scoring._SMALL_BLOCK = small  # type: ignore[misc]
    for ours, theirs in zip(by_bincount, by_comparison, strict=True):
        assert ours.tolist() == theirs.tolist()
