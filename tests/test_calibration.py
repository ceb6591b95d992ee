"""Calibration: proper scores of resolved assessments against their outcomes."""

from __future__ import annotations

import math
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess.methods.calibration import (
    BINS,
    LOG_FLOOR,
    TRACK_RECORD,
    Calibration,
    binary_brier,
    brier,
    calibrate,
    decompose,
    log_score,
    reliability_table,
)
from assess.model import Outcome
from strategies import assessments

ROOT = Path(__file__).resolve().parent.parent
RESOLVED = sorted((ROOT / "assessments" / "resolved").glob("*.yaml"))
#: The resolved assessments shipped first, written with hindsight: every leader is the outcome.
HINDSIGHT = ("iraq-wmd-2003", "madrid-bombings-2004", "mh17-2014", "skripal-agent-2018")

PROBABILITIES = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def forecasts(draw: st.DrawFn) -> tuple[list[float], int]:
    """A probability vector of 2-6 categories and the index of the one that happened."""
    weights = draw(st.lists(st.integers(0, 50), min_size=2, max_size=6).filter(any))
    total = sum(weights)
    return [w / total for w in weights], draw(st.integers(0, len(weights) - 1))


@st.composite
def binary_sets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """One or more binary forecasts and whether each event occurred."""
    n = draw(st.integers(1, 60))
    f = draw(st.lists(PROBABILITIES, min_size=n, max_size=n))
    o = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return np.array(f), np.array(o)


def resolved(assessment: assess.Assessment, hypothesis: str) -> assess.Assessment:
    """The assessment with an outcome naming ``hypothesis``."""
    return attrs.evolve(
        assessment, outcome=Outcome(hypothesis=hypothesis, evidence="What settled it.")
    )


class TestReferenceValues:
    """The figures docs/methods.md gives, computed by hand."""

    def test_binary_brier(self) -> None:
        """0.7 for an event that occurred scores 0.09, 0.3 scores 0.49, 0.5 scores 0.25."""
        assert binary_brier(0.7, occurred=True) == pytest.approx(0.09)
        assert binary_brier(0.3, occurred=True) == pytest.approx(0.49)
        assert binary_brier(0.5, occurred=True) == pytest.approx(0.25)
        assert binary_brier(0.5, occurred=False) == pytest.approx(0.25)
        assert binary_brier(0.7, occurred=False) == pytest.approx(0.49)

    def test_binary_brier_of_arrays(self) -> None:
        """Arrays are scored element by element."""
        scores = binary_brier(np.array([0.7, 0.3, 0.5]), np.array([True, True, False]))
        np.testing.assert_allclose(scores, [0.09, 0.49, 0.25])

    def test_multi_category_brier(self) -> None:
        """(0.6, 0.3, 0.1) with the first category true scores 0.16 + 0.09 + 0.01 = 0.26."""
        assert brier([0.6, 0.3, 0.1], 0) == pytest.approx(0.26)
        assert brier(np.array([0.6, 0.3, 0.1]), 2) == pytest.approx(0.36 + 0.09 + 0.81)

    def test_log_score(self) -> None:
        """-ln 0.7 = 0.3567; natural log, lower is better."""
        assert log_score(0.7) == pytest.approx(0.3567, abs=5e-5)
        assert log_score(0.7) == pytest.approx(-math.log(0.7))
        assert log_score(0.5) == pytest.approx(math.log(2))

    def test_log_score_is_clipped(self) -> None:
        """0 scores -ln 1e-6 = 13.8155 rather than infinity; 1 scores -ln(1 - 1e-6)."""
        assert log_score(0.0) == pytest.approx(-math.log(LOG_FLOOR))
        assert log_score(0.0) == pytest.approx(13.8155, abs=5e-5)
        assert log_score(1.0) == pytest.approx(-math.log1p(-LOG_FLOOR))
        np.testing.assert_allclose(log_score(np.array([0.7, 0.0])), [-math.log(0.7), 13.815511])

    def test_decomposition_by_hand(self) -> None:
        """Seven forecasts in three bins: REL, RES and UNC as Murphy defines them."""
        f = np.array([0.05, 0.05, 0.35, 0.35, 0.95, 0.95, 0.95])
        o = np.array([False, True, False, False, True, True, False])
        d = decompose(f, o)
        # Bins: 0.05 (1 of 2 occurred), 0.35 (0 of 2), 0.95 (2 of 3); base rate 3/7.
        rel = (2 * (0.05 - 0.5) ** 2 + 2 * 0.35**2 + 3 * (0.95 - 2 / 3) ** 2) / 7
        res = (2 * (0.5 - 3 / 7) ** 2 + 2 * (3 / 7) ** 2 + 3 * (2 / 3 - 3 / 7) ** 2) / 7
        unc = 3 / 7 * 4 / 7
        bs = (0.05**2 + 0.95**2 + 2 * 0.35**2 + 2 * 0.05**2 + 0.95**2) / 7
        assert d.count == 7
        assert d.base_rate == pytest.approx(3 / 7)
        assert d.reliability == pytest.approx(rel)
        assert d.resolution == pytest.approx(res)
        assert d.uncertainty == pytest.approx(unc)
        assert d.brier == pytest.approx(bs)
        assert d.brier == pytest.approx(d.reliability - d.resolution + d.uncertainty)
        assert d.within_bin_variance == pytest.approx(0.0, abs=1e-15)

    def test_reliability_table(self) -> None:
        """Every bin is listed; empty bins have count 0 and no means."""
        table = reliability_table([0.05, 0.05, 0.35, 1.0], [False, True, False, True])
        rows = table.to_json()
        assert len(rows) == BINS
        assert rows[0] == {
            "lower": 0.0,
            "upper": 0.1,
            "count": 2,
            "mean_forecast": 0.05,
            "observed_frequency": 0.5,
        }
        assert rows[1]["count"] == 0
        assert rows[1]["mean_forecast"] is None
        assert rows[1]["observed_frequency"] is None
        assert rows[3]["count"] == 1
        assert rows[9] == {
            "lower": 0.9,
            "upper": 1.0,
            "count": 1,
            "mean_forecast": 1.0,
            "observed_frequency": 1.0,
        }
        assert np.isnan(table.mean_forecast[1])
        assert not table.count.flags.writeable

    def test_bin_edges_are_exact(self) -> None:
        """A forecast equal to an edge k/10 falls in the bin that starts there."""
        edges = [k / 10 for k in range(10)]
        table = reliability_table(edges, [False] * 10)
        assert table.count.tolist() == [1] * 10
        below = [np.nextafter(k / 10, 0.0) for k in range(1, 10)]
        table = reliability_table(below, [False] * 9)
        assert table.count.tolist() == [1] * 9 + [0]


class TestBadArguments:
    """Arguments that are not probabilities are refused with ValueError."""

    @pytest.mark.parametrize(
        ("forecast", "index", "message"),
        [
            ([0.6, 0.6], 0, "must sum to 1"),
            ([1.2, -0.2], 0, "probabilities in"),
            ([0.5, 0.5], 2, "not one of 2 categories"),
            ([], 0, "non-empty vector"),
            ([float("nan"), 1.0], 0, "probabilities in"),
        ],
    )
    def test_brier(self, forecast: list[float], index: int, message: str) -> None:
        """A forecast that is not a probability vector, or an index outside it."""
        with pytest.raises(ValueError, match=message):
            brier(forecast, index)

    def test_binary(self) -> None:
        """Probabilities outside [0, 1], outcomes that are not booleans, mismatched lengths."""
        with pytest.raises(ValueError, match="probabilities in"):
            binary_brier(1.5, occurred=True)
        with pytest.raises(ValueError, match="probabilities in"):
            log_score(-0.1)
        with pytest.raises(ValueError, match="booleans"):
            decompose([0.5], [1])
        with pytest.raises(ValueError, match="same length"):
            decompose([0.5, 0.5], [True])
        with pytest.raises(ValueError, match="at least one forecast"):
            decompose([], np.array([], dtype=bool))
        with pytest.raises(ValueError, match="at least 1"):
            calibrate([], bins=0)


class TestBrierRange:
    """Rule: a multi-category Brier score lies in [0, 2], a binary one in [0, 1]."""

    @given(forecasts())
    def test_multi_category(self, case: tuple[list[float], int]) -> None:
        """Every probability vector and outcome scores between 0 and 2."""
        forecast, index = case
        assert 0.0 <= brier(forecast, index) <= 2.0 + 1e-12

    @given(PROBABILITIES, st.booleans())
    def test_binary(self, p: float, occurred: bool) -> None:
        """Every probability and outcome scores between 0 and 1."""
        assert 0.0 <= binary_brier(p, occurred) <= 1.0

    @given(forecasts())
    def test_two_categories_is_twice_binary(self, case: tuple[list[float], int]) -> None:
        """With two categories the multi-category score is twice the binary one."""
        forecast, index = case
        p, q = forecast[0], 1 - forecast[0]
        two = brier([p, q], index % 2)
        assert two == pytest.approx(2 * binary_brier(p, index % 2 == 0))


class TestPerfectForecasts:
    """Rule: a certain, correct forecast scores 0 (the log score its clipped floor)."""

    @given(st.integers(2, 8), st.data())
    def test_certain_and_right(self, k: int, data: st.DataObject) -> None:
        """All probability on what happened: Brier 0, binary Brier 0, log score ~1e-6."""
        index = data.draw(st.integers(0, k - 1))
        forecast = [0.0] * k
        forecast[index] = 1.0
        assert brier(forecast, index) == 0.0
        assert binary_brier(1.0, occurred=True) == 0.0
        assert binary_brier(0.0, occurred=False) == 0.0
        assert log_score(1.0) == pytest.approx(LOG_FLOOR)

    @given(st.integers(2, 8), st.data())
    def test_certain_and_wrong(self, k: int, data: st.DataObject) -> None:
        """All probability on something else: Brier 2, the worst."""
        index = data.draw(st.integers(0, k - 1))
        forecast = [0.0] * k
        forecast[(index + 1) % k] = 1.0
        assert brier(forecast, index) == 2.0

    def test_perfect_decomposition(self) -> None:
        """Certain, correct binary forecasts: BS 0, REL 0, RES = UNC."""
        o = np.array([True, False, False, True, False])
        d = decompose(o.astype(float), o)
        assert d.brier == 0.0
        assert d.reliability == 0.0
        assert d.resolution == pytest.approx(d.uncertainty)


class TestDecompositionIdentity:
    """Rule: BS = REL - RES + UNC + WBV - 2 WBC, and BS = REL - RES + UNC when bins are uniform."""

    @given(binary_sets())
    @settings(max_examples=300)
    def test_identity(self, case: tuple[np.ndarray, np.ndarray]) -> None:
        """The partition adds up to the Brier score for any forecasts."""
        f, o = case
        d = decompose(f, o)
        total = (
            d.reliability
            - d.resolution
            + d.uncertainty
            + d.within_bin_variance
            - 2 * d.within_bin_covariance
        )
        assert total == pytest.approx(d.brier, abs=1e-12)
        assert d.brier == pytest.approx(float(np.mean(binary_brier(f, o))), abs=1e-12)

    @given(st.lists(st.tuples(st.integers(0, 9), st.booleans()), min_size=1, max_size=60))
    def test_murphy_exact_for_equal_forecasts_in_each_bin(
        self, pairs: list[tuple[int, bool]]
    ) -> None:
        """Forecasts at the bins' midpoints: Murphy's three terms alone give the score."""
        f = np.array([(k + 0.5) / 10 for k, _ in pairs])
        o = np.array([occurred for _, occurred in pairs])
        d = decompose(f, o)
        assert d.within_bin_variance == pytest.approx(0.0, abs=1e-15)
        assert d.within_bin_covariance == pytest.approx(0.0, abs=1e-15)
        assert d.brier == pytest.approx(d.reliability - d.resolution + d.uncertainty, abs=1e-12)

    @given(binary_sets())
    def test_terms_in_range(self, case: tuple[np.ndarray, np.ndarray]) -> None:
        """REL >= 0, 0 <= RES <= UNC <= 1/4."""
        d = decompose(*case)
        assert d.reliability >= 0.0
        assert 0.0 <= d.resolution <= d.uncertainty + 1e-12
        assert d.uncertainty <= 0.25

    @given(binary_sets())
    def test_table_agrees(self, case: tuple[np.ndarray, np.ndarray]) -> None:
        """The table's counts add up to N and its frequencies give the base rate."""
        f, o = case
        table = reliability_table(f, o)
        assert int(table.count.sum()) == len(f)
        used = table.count > 0
        observed = float(np.sum(table.count[used] * table.observed_frequency[used]))
        assert observed == pytest.approx(float(o.sum()))


class TestCalibrate:
    """calibrate() over assessments: records, means, decomposition and table."""

    @given(st.lists(assessments(), min_size=1, max_size=4), st.data())
    @settings(max_examples=40, deadline=None)
    def test_order_independence(self, items: list[assess.Assessment], data: st.DataObject) -> None:
        """Rule: the result does not depend on the order the assessments come in."""
        items = [
            resolved(a, data.draw(st.sampled_from([h.id for h in a.hypotheses])))
            if data.draw(st.booleans())
            else a
            for a in items
        ]
        shuffled = data.draw(st.permutations(items))
        assert calibrate(shuffled).to_json() == calibrate(items).to_json()

    @given(assessments(), st.data())
    @settings(max_examples=40, deadline=None)
    def test_record_matches_scores(
        self, assessment: assess.Assessment, data: st.DataObject
    ) -> None:
        """A record's figures are the scores of the assessment's own posteriors."""
        truth = data.draw(st.sampled_from([h.id for h in assessment.hypotheses]))
        result = calibrate([resolved(assessment, truth)])
        (record,) = result.resolved
        scores = assess.score(assessment)
        posteriors = [h.posterior for h in scores.hypotheses]
        index = [h.id for h in scores.hypotheses].index(truth)
        assert record.outcome_posterior == posteriors[index]
        assert record.leader == scores.ranking[0].id
        assert record.brier == pytest.approx(brier(posteriors, index))
        assert 0.0 <= record.brier <= 2.0 + 1e-12
        assert result.mean_brier == record.brier
        assert result.decomposition is not None
        assert result.decomposition.count == len(posteriors)

    def test_unresolved_are_listed_and_skipped(self) -> None:
        """Assessments without an outcome are named and add nothing to the figures."""
        first = assess.loads(
            "assessment: zeta\ntitle: t\n"
            "hypotheses: [{id: A, statement: a}, {id: B, statement: b}]\n"
        )
        second = attrs.evolve(first, id="alpha")
        result = calibrate([first, second])
        assert result.unresolved == ("alpha", "zeta")
        assert result.resolved == ()
        assert result.mean_brier is None
        assert result.mean_log_score is None
        assert result.decomposition is None
        data = result.to_json()
        assert data["count"] == 0
        assert data["decomposition"] is None
        assert data["reliability"] == result.reliability.to_json()
        assert [row["count"] for row in result.reliability.to_json()] == [0] * BINS

    def test_to_json_is_plain_data(self) -> None:
        """to_json() holds only JSON types, and round-trips through json."""
        import json  # noqa: PLC0415 -- this test only

        result = calibrate([assess.load(path) for path in RESOLVED])
        data = result.to_json()
        assert json.loads(json.dumps(data, allow_nan=False)) == data
        assert isinstance(result, Calibration)


class TestShippedResolvedAssessments:
    """assessments/resolved/: valid, resolved, and scored as a hand computation says."""

    def test_the_suite_can_fail(self) -> None:
        """At least eight examples, and their leaders are right in some and wrong in others."""
        assert len(RESOLVED) >= 8
        result = calibrate([assess.load(path) for path in RESOLVED])
        right = sum(r.leader_correct for r in result.resolved)
        assert 0 < right < len(result.resolved)

    def test_headers_say_the_outcome_was_known(self) -> None:
        """Every file's header says its author knew the outcome; the first four say hindsight."""
        for path in RESOLVED:
            text = path.read_text(encoding="utf-8")
            header = " ".join(
                line.removeprefix("#").strip()
                for line in text.split("\nassessment:", 1)[0].splitlines()
            )
            assert "knew the outcome" in header, path.name
            assert ("Written with hindsight" in header) == (path.stem in HINDSIGHT), path.name

    def test_valid_and_resolved(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every file loads (assess validate passes) and has an outcome dated after as_of."""
        monkeypatch.chdir(ROOT)
        for path in RESOLVED:
            assessment = assess.load(path.relative_to(ROOT))
            assert assessment.outcome is not None, path.name
            assert assessment.as_of is not None, path.name
            assert assessment.outcome.date is not None, path.name
            assert assessment.as_of < assessment.outcome.date, path.name
            for source in assessment.sources:
                assert source.notes, f"{path.name}: {source.id} has no reason for its grade"
            for item in assessment.evidence:
                assert item.notes, f"{path.name}: {item.id} cites nothing"
                assert item.quote is None, f"{path.name}: {item.id} quotes an unshipped text"

    def test_validate_command_passes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """`assess validate assessments/resolved/` exits 0."""
        import io  # noqa: PLC0415 -- this test only

        from assess import cli  # noqa: PLC0415

        monkeypatch.chdir(ROOT)
        out, err = io.StringIO(), io.StringIO()
        status = cli.main(["validate", "assessments/resolved/"], stdout=out, stderr=err)
        assert status == 0, err.getvalue()

    def test_figures_match_a_hand_computation(self) -> None:
        """calibrate() gives the figures computed here, in plain Python, from the posteriors."""
        assessments_ = [assess.load(path) for path in RESOLVED]
        result = calibrate(assessments_)
        by_id = {record.assessment: record for record in result.resolved}
        briers: list[float] = []
        leaders: list[float] = []
        logs: list[float] = []
        pairs: list[tuple[float, bool]] = []
        for a in assessments_:
            assert a.outcome is not None
            posteriors = {h.id: h.posterior for h in assess.score(a).hypotheses}
            truth = a.outcome.hypothesis
            multi = sum((p - (h == truth)) ** 2 for h, p in posteriors.items())
            leader = max(posteriors, key=lambda h: posteriors[h])
            lead = (posteriors[leader] - (leader == truth)) ** 2
            record = by_id[a.id]
            assert record.brier == pytest.approx(multi, abs=1e-12)
            assert record.leader == leader
            assert record.leader_brier == pytest.approx(lead, abs=1e-12)
            assert record.log_score == pytest.approx(-math.log(posteriors[truth]), abs=1e-12)
            briers.append(multi)
            leaders.append(lead)
            logs.append(-math.log(posteriors[truth]))
            pairs.extend((p, h == truth) for h, p in posteriors.items())
        assert result.mean_brier == pytest.approx(sum(briers) / len(briers), abs=1e-12)
        assert result.mean_leader_brier == pytest.approx(sum(leaders) / len(leaders), abs=1e-12)
        assert result.mean_log_score == pytest.approx(sum(logs) / len(logs), abs=1e-12)
        # Murphy's terms from the (forecast, occurred) pairs, binned by hand.
        n = len(pairs)
        base = sum(o for _, o in pairs) / n
        bins: dict[int, list[tuple[float, bool]]] = {}
        for p, o in pairs:
            bins.setdefault(min(int(p * 10), 9), []).append((p, o))
        rel = res = 0.0
        for members in bins.values():
            mean_f = sum(p for p, _ in members) / len(members)
            mean_o = sum(o for _, o in members) / len(members)
            rel += len(members) * (mean_f - mean_o) ** 2 / n
            res += len(members) * (mean_o - base) ** 2 / n
        d = result.decomposition
        assert d is not None
        assert d.count == n
        assert d.brier == pytest.approx(sum((p - o) ** 2 for p, o in pairs) / n, abs=1e-12)
        assert d.reliability == pytest.approx(rel, abs=1e-12)
        assert d.resolution == pytest.approx(res, abs=1e-12)
        assert d.uncertainty == pytest.approx(base * (1 - base), abs=1e-12)
        counts = [len(bins.get(k, [])) for k in range(10)]
        assert result.reliability.count.tolist() == counts

    def test_pinned_outcomes_and_leaders(self) -> None:
        """Each file's outcome, and the leader its evidence gives, as shipped."""
        result = calibrate([assess.load(path) for path in RESOLVED])
        pinned = {
            r.assessment: (r.outcome, r.leader, round(r.outcome_posterior, 3))
            for r in result.resolved
        }
        assert pinned == {
            "gulf-of-tonkin-1964": ("H2", "H1", 0.147),
            "iraq-wmd-2003": ("H3", "H3", 0.533),
            "madrid-bombings-2004": ("H2", "H2", 0.5),
            "mh17-2014": ("H1", "H1", 0.772),
            "oklahoma-city-bombing-1995": ("H2", "H1", 0.33),
            "olympic-park-bombing-1996": ("H2", "H1", 0.335),
            "skripal-agent-2018": ("H1", "H1", 0.641),
            "twa-800-1996": ("H3", "H1", 0.175),
        }
        assert result.mean_brier == pytest.approx(0.5877, abs=5e-5)
        assert result.mean_leader_brier == pytest.approx(0.2285, abs=5e-5)
        assert result.mean_log_score == pytest.approx(0.9865, abs=5e-5)
        assert result.leader_accuracy == 0.5
        first = calibrate([assess.load(p) for p in RESOLVED if p.stem in HINDSIGHT])
        assert first.mean_brier == pytest.approx(0.2555, abs=5e-5)
        assert first.mean_log_score == pytest.approx(0.5064, abs=5e-5)
        assert all(r.leader_correct for r in first.resolved)

    def test_methods_page_table_is_current(self) -> None:
        """docs/methods.md, section 17, shows the figures calibrate() gives for these files."""
        page = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
        result = calibrate([assess.load(path) for path in RESOLVED])
        for r in result.resolved:
            row = (
                f"| `{r.assessment}` | {r.outcome} | {r.outcome_posterior:.3f} | {r.leader}"
                f" | {r.brier:.3f} | {r.leader_brier:.3f} | {r.log_score:.3f} |"
            )
            assert row in page
        assert result.mean_brier is not None
        assert result.mean_leader_brier is not None
        assert result.mean_log_score is not None
        right = sum(r.leader_correct for r in result.resolved)
        assert (
            f"The mean Brier score is {result.mean_brier:.3f}, the mean leader's Brier score"
            f" {result.mean_leader_brier:.3f} and the mean log score"
            f" {result.mean_log_score:.3f}; the leader was the outcome in {right} of"
            f" {len(result.resolved)}." in page
        )
        first = calibrate([assess.load(p) for p in RESOLVED if p.stem in HINDSIGHT])
        assert first.mean_brier is not None
        assert first.mean_leader_brier is not None
        assert first.mean_log_score is not None
        assert (
            f"The first four alone give {first.mean_brier:.3f}, {first.mean_leader_brier:.3f}"
            f" and {first.mean_log_score:.3f}, with every leader right." in page
        )
        d, d0 = result.decomposition, first.decomposition
        assert d is not None
        assert d0 is not None
        minus = "\u2212"
        assert f"The {d.count} binary forecasts have base rate 1/3" in page
        assert f"RES = {d.resolution:.4f} (it was {d0.resolution:.4f}" in page
        assert f"REL = {d.reliability:.4f} (it was {d0.reliability:.4f})" in page
        assert (
            f"BS = {d.reliability:.4f} {minus} {d.resolution:.4f} + {d.uncertainty:.4f}"
            f" + {d.within_bin_variance:.4f} (WBV) {minus} 2 \u00d7 {d.within_bin_covariance:.4f}"
            f" (WBC) = {d.brier:.4f}, the mean Brier score {result.mean_brier:.3f} divided by"
            " k = 3." in page
        )
        misses = [r for r in result.resolved if not r.leader_correct]
        leaders = [r.leader_posterior for r in misses]
        kept = [r.outcome_posterior for r in misses]
        assert (
            f"their wrong leaders stood at {min(leaders):.2f} to {max(leaders):.2f} and their"
            f" outcomes kept {min(kept):.2f} to {max(kept):.2f}, so no log score exceeds"
            f" {max(r.log_score for r in result.resolved):.2f}" in page
        )
        assert f"{-math.log(0.05):.3f}." in page
        # "bins below 0.4" and "bins at 0.4 and above", as the page says.
        assert max(kept) < 0.4 <= min(leaders)
        hits = [r.leader_posterior for r in first.resolved]
        assert f"the first four's leaders, at {min(hits):.2f} to {max(hits):.2f}, all" in page

    def test_methods_page_states_the_note_rule(self) -> None:
        """Section 17 names the threshold of the notes and the standard error behind it."""
        page = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
        assert f"fewer than {TRACK_RECORD} assessments are resolved (`TRACK_RECORD`)" in page
        assert 0.5 / math.sqrt(TRACK_RECORD) == pytest.approx(0.1)
        assert "when every leader was the outcome" in page


def _copies(n: int) -> list[assess.Assessment]:
    """``n`` resolved assessments: the shipped ones repeated, each copy with an id of its own."""
    shipped = [assess.load(path) for path in RESOLVED]
    return [
        attrs.evolve(shipped[k % len(shipped)], id=f"{shipped[k % len(shipped)].id}-{k}")
        for k in range(n)
    ]


class TestNotes:
    """Fewer than TRACK_RECORD resolved, or every leader right: the figures are no track record."""

    @pytest.mark.parametrize(
        ("n", "few"), [(1, True), (TRACK_RECORD - 1, True), (TRACK_RECORD, False)]
    )
    def test_too_few(self, n: int, *, few: bool) -> None:
        """too_few holds from one resolved assessment up to TRACK_RECORD - 1, and not at it."""
        assert calibrate(_copies(n)).too_few is few

    def test_nothing_resolved(self) -> None:
        """With nothing resolved there are no figures, so neither note applies."""
        result = calibrate([])
        assert result.too_few is False
        assert result.never_wrong is False

    def test_never_wrong(self) -> None:
        """never_wrong holds for the four hindsight cases, not once a leader is wrong."""
        first = [assess.load(p) for p in RESOLVED if p.stem in HINDSIGHT]
        assert calibrate(first).never_wrong
        assert not calibrate(_copies(len(RESOLVED))).never_wrong
        wrong = first[0]
        assert wrong.outcome is not None
        others = [h.id for h in wrong.hypotheses if h.id != wrong.outcome.hypothesis]
        flipped = [resolved(wrong, others[0]), *first[1:]]
        assert not calibrate(flipped).never_wrong
