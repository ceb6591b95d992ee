"""The scoring contract: against a pure-Python reference, published examples and invariants."""

from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess import scoring
from helpers import run_cli
from strategies import assessments

RELIABILITY = {"A": 1.0, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0.0, "F": 0.5}
CREDIBILITY = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.25, 5: 0.0, 6: 0.5}
RELEVANCE = {"low": 1 / math.sqrt(2), "medium": 1.0, "high": math.sqrt(2)}
POINTS = {"I": 1, "II": 2}


Figures = dict[str, dict[str, float]]


def reference(a: assess.Assessment) -> tuple[Figures, Figures]:
    """The contract of issue 3, written the obvious way: loops, math.fsum, no numpy."""
    table = {r.value: p for r, p in a.scoring.likelihoods.items()}
    table["NA"] = table["N"]
    source = {s.id: s for s in a.sources}
    # Clusters: connected components of derived_from, undirected.
    neighbours: dict[str, set[str]] = {e.id: set() for e in a.evidence}
    for e in a.evidence:
        for d in e.derived_from:
            neighbours[e.id].add(d)
            neighbours[d].add(e.id)
    size: dict[str, int] = {}
    for e in a.evidence:
        seen, todo = {e.id}, [e.id]
        while todo:
            for n in neighbours[todo.pop()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        size[e.id] = len(seen)
    out: Figures = {}  # per item
    per_h: Figures = {}
    q = {
        e.id: RELIABILITY[source[e.source].reliability.value] * CREDIBILITY[int(e.credibility)]
        for e in a.evidence
    }

    def ell(e: assess.Evidence, h: str) -> float:
        """The report-adjusted likelihood of a cell, pooled over analysts."""
        cell = e.cell(h)
        if isinstance(cell, assess.AnalystRatings):
            votes = [r.value for r in cell.values() if r != "NA"] or ["NA"]
        else:
            votes = [cell.value]
        return math.fsum(q[e.id] * table[v] + (1 - q[e.id]) * 0.5 for v in votes) / len(votes)

    def points_of(e: assess.Evidence, h: str) -> float:
        """Heuer's points of a cell, averaged over analysts."""
        cell = e.cell(h)
        if isinstance(cell, assess.AnalystRatings):
            votes = [r.value for r in cell.values() if r != "NA"]
            return sum(POINTS.get(v, 0) for v in votes) / len(votes) if votes else 0.0
        return POINTS.get(cell.value, 0)

    for e in a.evidence:
        ells = [ell(e, h.id) for h in a.hypotheses]
        out[e.id] = {
            "quality": q[e.id],
            "weight": RELEVANCE[e.relevance.value] * q[e.id],
            "cluster_size": size[e.id],
            "diagnosticity": 10 * (max(map(math.log10, ells)) - min(map(math.log10, ells))),
        }
    priors = [h.prior if h.prior is not None else 1 / len(a.hypotheses) for h in a.hypotheses]
    logs = []
    for h in a.hypotheses:
        points = [points_of(e, h.id) for e in a.evidence]
        ll = math.fsum(math.log(ell(e, h.id)) / size[e.id] for e in a.evidence)
        per_h[h.id] = {
            "inconsistency": sum(points),
            "weighted_inconsistency": math.fsum(
                out[e.id]["weight"] / size[e.id] * p
                for e, p in zip(a.evidence, points, strict=True)
            ),
            "log_likelihood": ll,
        }
        logs.append(ll)
    top = max(math.log(p) + ll for p, ll in zip(priors, logs, strict=True))
    unnormalised = [math.exp(math.log(p) + ll - top) for p, ll in zip(priors, logs, strict=True)]
    total = math.fsum(unnormalised)
    for h, u in zip(a.hypotheses, unnormalised, strict=True):
        per_h[h.id]["posterior"] = u / total
    order = sorted(
        range(len(a.hypotheses)),
        key=lambda j: (
            -round(per_h[a.hypotheses[j].id]["posterior"], 12),
            round(per_h[a.hypotheses[j].id]["weighted_inconsistency"], 12),
            j,
        ),
    )
    for rank, j in enumerate(order, start=1):
        per_h[a.hypotheses[j].id]["rank"] = rank
    return per_h, out


def close(a: float, b: float) -> bool:
    """Equal to within rounding."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def hypothesis_figures(s: assess.Scores) -> dict[str, tuple[float, ...]]:
    """The per-hypothesis figures by id."""
    return {
        h.id: (h.inconsistency, h.weighted_inconsistency, h.log_likelihood, h.posterior, h.rank)
        for h in s.hypotheses
    }


def same_figures(
    a: dict[str, tuple[float, ...]], b: dict[str, tuple[float, ...]], *, fields: slice
) -> bool:
    """Whether two figure tables agree (within rounding) on the chosen fields."""
    return a.keys() == b.keys() and all(
        all(close(x, y) for x, y in zip(a[k][fields], b[k][fields], strict=True)) for k in a
    )


class TestAgainstReference:
    """Every figure equals the obvious pure-Python reference."""

    @given(assessments())
    @settings(max_examples=200)
    def test_reference(self, a: assess.Assessment) -> None:
        """Per-hypothesis and per-item figures match the reference."""
        s = assess.score(a)
        expected_h, expected_e = reference(a)
        for h in s.hypotheses:
            want = expected_h[h.id]
            assert close(h.inconsistency, want["inconsistency"])
            assert close(h.weighted_inconsistency, want["weighted_inconsistency"])
            assert close(h.log_likelihood, want["log_likelihood"])
            assert close(h.posterior, want["posterior"])
            assert h.rank == want["rank"]
        for e in s.evidence:
            want = expected_e[e.id]
            assert close(e.quality, want["quality"])
            assert close(e.weight, want["weight"])
            assert e.cluster_size == want["cluster_size"]
            assert close(e.diagnosticity, want["diagnosticity"])

    @given(assessments())
    @settings(max_examples=50)
    def test_small_chunks(self, a: assess.Assessment) -> None:
        """Chunking the matrix (here one row at a time) changes no figure."""
        whole = hypothesis_figures(assess.score(a))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(scoring, "CHUNK_CELLS", 1)
            chunked = hypothesis_figures(assess.score(a))
        assert same_figures(whole, chunked, fields=slice(None))


class TestInvariants:
    """Properties every scoring must have."""

    @given(assessments(), st.randoms(use_true_random=False))
    def test_evidence_order(self, a: assess.Assessment, rng: random.Random) -> None:
        """Evidence order never changes a score."""
        shuffled = list(a.evidence)
        rng.shuffle(shuffled)
        b = attrs.evolve(a, evidence=shuffled)
        sa, sb = assess.score(a), assess.score(b)
        assert same_figures(hypothesis_figures(sa), hypothesis_figures(sb), fields=slice(None))
        by_id = {e.id: e for e in sb.evidence}
        for e in sa.evidence:
            other = by_id[e.id]
            assert (e.cluster_size, e.quality, e.weight) == (
                other.cluster_size,
                other.quality,
                other.weight,
            )
            assert close(e.diagnosticity, other.diagnosticity)

    @given(assessments(), st.sampled_from(list(assess.Rating)), st.data())
    def test_uniform_row(
        self, a: assess.Assessment, rating: assess.Rating, data: st.DataObject
    ) -> None:
        """A row with the same rating in every column leaves posteriors unchanged."""
        item = assess.Evidence(
            id="uniform-row",
            summary="s",
            kind="report",
            source=a.sources[0].id,
            credibility=data.draw(st.sampled_from(list(assess.Credibility))),
            ratings={h.id: rating for h in a.hypotheses},
        )
        before = assess.score(a)
        after = assess.score(attrs.evolve(a, evidence=(*a.evidence, item)))
        for x, y in zip(before.hypotheses, after.hypotheses, strict=True):
            assert close(x.posterior, y.posterior)

    @given(assessments(), st.data())
    def test_worthless_item(self, a: assess.Assessment, data: st.DataObject) -> None:
        """An item of quality 0 changes no posterior, rank or weighted inconsistency."""
        worthless = assess.Source(id="worthless-source", name="n", reliability="E")
        ratings = data.draw(
            st.dictionaries(
                st.sampled_from([h.id for h in a.hypotheses]), st.sampled_from(list(assess.Rating))
            )
        )
        item = assess.Evidence(
            id="worthless-item", summary="s", kind="report", source=worthless.id, ratings=ratings
        )
        before = hypothesis_figures(assess.score(a))
        after = hypothesis_figures(
            assess.score(
                attrs.evolve(a, sources=(*a.sources, worthless), evidence=(*a.evidence, item))
            )
        )
        assert same_figures(
            {k: v[1:2] + v[3:] for k, v in before.items()},
            {k: v[1:2] + v[3:] for k, v in after.items()},
            fields=slice(None),
        )

    @given(assessments(), st.data())
    def test_copy_of_standalone_item(self, a: assess.Assessment, data: st.DataObject) -> None:
        """A copy derived from a stand-alone item changes no posterior, rank or score."""
        s = assess.score(a)
        alone = [e for e, r in zip(a.evidence, s.evidence, strict=True) if r.cluster_size == 1]
        if not alone:
            return
        original = data.draw(st.sampled_from(alone))
        copy = attrs.evolve(original, id="copy-of-" + original.id, derived_from=[original.id])
        before = hypothesis_figures(s)
        after = hypothesis_figures(assess.score(attrs.evolve(a, evidence=(*a.evidence, copy))))
        assert same_figures(before, after, fields=slice(1, None))

    @given(assessments())
    def test_posteriors_sum_to_one(self, a: assess.Assessment) -> None:
        """Posteriors form a probability distribution."""
        posteriors = [h.posterior for h in assess.score(a).hypotheses]
        assert all(0 <= p <= 1 for p in posteriors)
        assert math.isclose(math.fsum(posteriors), 1.0, rel_tol=1e-12)

    @given(assessments())
    def test_ranks_are_a_permutation(self, a: assess.Assessment) -> None:
        """Ranks run 1..n, highest posterior first."""
        s = assess.score(a)
        assert sorted(h.rank for h in s.hypotheses) == list(range(1, len(s.hypotheses) + 1))
        ranked = s.ranking
        assert all(x.posterior >= y.posterior - 1e-12 for x, y in itertools.pairwise(ranked))


def build(
    ratings: list[dict[str, str]],
    *,
    hypotheses: int = 3,
    priors: list[float] | None = None,
    reliability: str = "A",
    credibility: int = 1,
) -> assess.Assessment:
    """A small assessment with one source and the given rating rows."""
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
            assess.Evidence(
                id=f"E{i + 1}",
                summary="s",
                kind="report",
                source="s",
                credibility=credibility,
                ratings=row,
            )
            for i, row in enumerate(ratings)
        ],
    )


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
        a = build([{"H1": "I", "H2": "C", "H3": "C"}], priors=[1 / 3, 1 / 3, 1 - 2 / 3])
        a = attrs.evolve(a, scoring=assess.Scoring(likelihoods={"C": 0.6, "N": 0.5, "I": 0.2}))
        posteriors = [round(h.posterior, 4) for h in assess.score(a).hypotheses]
        assert posteriors == [0.1429, 0.4286, 0.4286]

    def test_schum_cascade(self) -> None:
        """A report of quality q has likelihood q*L + (1-q)/2: quality 0.5625 on C gives 0.66875."""
        a = build([{"H1": "C", "H2": "N"}], hypotheses=2, reliability="B", credibility=2)
        s = assess.score(a)
        assert close(s.item("E1").quality, 0.5625)
        assert close(s.hypothesis("H1").log_likelihood, math.log(0.5625 * 0.8 + 0.4375 * 0.5))
        assert close(s.item("E1").diagnosticity, 10 * math.log10(0.66875 / 0.5))

    def test_circular_reporting_counts_once(self) -> None:
        """Three copies of one story in one cluster weigh what one report weighs."""
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
        assert [e.cluster for e in b.evidence] == ["E1", "E1", "E1"]
        assert b.hypothesis("H2").inconsistency == 6  # Heuer's count still sees every item


class TestClusters:
    """Dependency clusters from derived_from links."""

    def test_components_undirected(self) -> None:
        """Links join items both ways; clusters are numbered by first member."""
        ids = ["a", "b", "c", "d", "e"]
        links = [[], [], ["a"], ["b"], ["c"]]
        assert scoring.clusters(ids, links).tolist() == [0, 1, 0, 1, 0]
        joined = [[], [], ["a"], ["b"], ["c", "d"]]  # e repeats both chains: one cluster
        assert scoring.clusters(ids, joined).tolist() == [0, 0, 0, 0, 0]

    def test_chain_in_reverse(self) -> None:
        """A chain declared in reverse still forms one cluster named after its first item."""
        ids = ["x3", "x2", "x1"]
        assert scoring.clusters(ids, [["x2"], ["x1"], []]).tolist() == [0, 0, 0]


class TestWarnings:
    """Warnings in the result."""

    def test_mixed_cluster_and_unrated(self) -> None:
        """A cluster mixing interested and disinterested sources, and an unrated hypothesis."""
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
                assess.Evidence(
                    id="E1", summary="s", kind="denial", source="gov", ratings={"H1": "I"}
                ),
                assess.Evidence(
                    id="E2",
                    summary="s",
                    kind="report",
                    source="wire",
                    derived_from=["E1"],
                    ratings={"H1": "I"},
                ),
            ],
        )
        codes = {w.code: w for w in assess.score(a).warnings}
        assert codes["mixed-cluster"].subject == "E1"
        assert codes["unrated-hypothesis"].subject == "H2"
        assert "uniform-priors" not in codes

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
        """The arrays in a result cannot be changed."""
        s = assess.score(build([{"H1": "C", "H2": "I", "H3": "N"}]))
        with pytest.raises(ValueError, match="read-only"):
            s.arrays.posterior[0] = 1.0
        assert s.matrix.codes.dtype == np.int8

    def test_rising_likelihoods_refused(self) -> None:
        """score_matrix refuses a likelihood table that rises with the code."""
        with pytest.raises(ValueError, match="do not increase"):
            scoring.score_matrix(
                np.zeros((1, 2), np.int8),
                reliability=np.ones(1),
                credibility=np.ones(1),
                relevance=np.ones(1),
                cluster=np.zeros(1, np.int64),
                likelihoods=np.array([0.1, 0.2, 0.5, 0.5, 0.8, 0.9]),
                priors=np.array([0.5, 0.5]),
            )

    def test_no_evidence(self) -> None:
        """Without evidence the posteriors are the priors."""
        s = assess.score(build([], priors=[0.2, 0.3, 0.5]))
        assert [h.posterior for h in s.hypotheses] == pytest.approx([0.2, 0.3, 0.5])


ROOT = Path(__file__).resolve().parent.parent


class TestCommand:
    """assess score."""

    def test_json_shape(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """JSON has the documented keys, lists in declaration order, full-precision floats."""
        monkeypatch.chdir(ROOT)
        status, out, err = run_cli(
            "score", "assessments/russia-taliban-support.yaml", "--format", "json"
        )
        assert status == 0
        data = json.loads(out)
        a = assess.load("assessments/russia-taliban-support.yaml")
        assert data["assessment"] == a.id
        assert data["digest"] == assess.digest(a)
        assert [h["id"] for h in data["hypotheses"]] == [h.id for h in a.hypotheses]
        assert set(data["hypotheses"][0]) >= {
            "id",
            "prior",
            "inconsistency",
            "weighted_inconsistency",
            "log_likelihood",
            "posterior",
            "rank",
        }
        assert set(data["evidence"][0]) >= {"id", "quality", "weight", "cluster", "diagnosticity"}
        s = assess.score(a)
        assert data["hypotheses"][0]["posterior"] == s.hypotheses[0].posterior
        assert "warning: no priors given" in err

    def test_table_not_coloured_when_piped(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The table ranks hypotheses left to right and has no escape codes on a pipe."""
        monkeypatch.chdir(ROOT)
        status, out, _ = run_cli("score", "assessments/russia-taliban-support.yaml")
        assert status == 0
        assert "\x1b[" not in out
        header = next(line for line in out.splitlines() if line.startswith("item"))
        s = assess.score(assess.load("assessments/russia-taliban-support.yaml"))
        assert header.split()[5:] == [h.id for h in s.ranking]

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
