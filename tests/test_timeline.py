"""assess timeline: replaying the evidence date by date."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assess
from assess.history import timeline as replay
from assess.history.timeline import NOT_ESTIMATED, STEP_DRAWS, Timeline, timeline
from assess.model import ConfidenceRule
from assess.views import plots
from assess.views.tables import render_timeline
from helpers import run_cli
from strategies import assessments

ROOT = Path(__file__).resolve().parent.parent
WORKED = ROOT / "assessments" / "russia-taliban-support.yaml"
DRAWS = 300
#: What an unknown --plot suffix is told, after the file's name.
PLOT_FORMATS = "the formats are svg (.svg) or png (.png)"


def item(
    item_id: str,
    date: dt.date | None,
    ratings: dict[str, str],
    source: str = "s",
    **extra: object,
) -> assess.Evidence:
    """An item of source s (unless told), credibility 2."""
    return assess.Evidence(
        id=item_id,
        summary=f"Item {item_id}.",
        kind="report",
        source=source,
        credibility=2,
        date=date,
        ratings=ratings,
        **extra,  # type: ignore[arg-type]
    )


def dated() -> assess.Assessment:
    """Two undated items, then items on three dates (two on the same day), one a repeat."""
    d1, d2, d3 = dt.date(2020, 1, 5), dt.date(2020, 3, 1), dt.date(2020, 6, 30)
    return assess.Assessment(
        id="dated",
        title="Dated",
        hypotheses=[
            assess.Hypothesis(id="H1", statement="One."),
            assess.Hypothesis(id="H2", statement="Two."),
        ],
        sources=[assess.Source(id="s", name="S", reliability="B")],
        evidence=[
            item("E1", d3, {"H1": "I", "H2": "CC"}),
            item("E2", None, {"H1": "C", "H2": "N"}),
            item("E3", d1, {"H1": "CC", "H2": "I"}),
            item("E4", d2, {"H1": "C", "H2": "I"}, derived_from=["E1"]),
            item("E5", None, {"H1": "N", "H2": "C"}),
            item("E6", d2, {"H1": "II", "H2": "C"}),
        ],
    )


def known_assessments(a: assess.Assessment, result: Timeline) -> list[assess.Assessment]:
    """The items known at each step, links to later items dropped."""
    found = []
    for step in result.steps:
        ids = {
            e.id
            for e in a.evidence
            if e.date is None or (step.date is not None and e.date <= step.date)
        }
        known = [
            attrs.evolve(
                e,
                derived_from=[x for x in e.derived_from if x in ids],
                confirmed_by=[x for x in e.confirmed_by if x in ids],
            )
            for e in a.evidence
            if e.id in ids
        ]
        found.append(attrs.evolve(a, evidence=known))
    return found


def known_scores(a: assess.Assessment, result: Timeline) -> list[assess.Scores]:
    """assess.score of the items known at each step."""
    return [assess.score(known) for known in known_assessments(a, result)]


class TestReplay:
    """The steps of a replay."""

    def test_steps(self) -> None:
        """Undated first, listed; then one step per date in order, same-day items together."""
        result = timeline(dated(), draws=DRAWS)
        assert [(s.date, s.items, s.known) for s in result.steps] == [
            (None, ("E2", "E5"), 2),
            (dt.date(2020, 1, 5), ("E3",), 3),
            (dt.date(2020, 3, 1), ("E4", "E6"), 5),
            (dt.date(2020, 6, 30), ("E1",), 6),
        ]
        assert result.undated == ("E2", "E5")

    def test_each_step_is_the_assessment_so_far(self) -> None:
        """A step scores the evidence known by its date (a link to a later item dropped)."""
        a = dated()
        step = timeline(a, draws=DRAWS).steps[2]
        known = [
            attrs.evolve(e, derived_from=()) if e.id == "E4" else e
            for e in a.evidence
            if e.id in {"E2", "E3", "E4", "E5", "E6"}
        ]
        expected = assess.score(attrs.evolve(a, evidence=known))
        posteriors = {h.id: h.posterior for h in expected.hypotheses}
        assert step.posteriors == pytest.approx(posteriors, rel=1e-12, abs=1e-15)
        assert step.leader == expected.ranking[0].id
        # The step's whole analysis, made on demand, is exactly the analysis of those items.
        assert step.analysis.scores.to_json()["hypotheses"] == expected.to_json()["hypotheses"]

    def test_a_chain_of_repeats_rerooted_as_its_originals_arrive(self) -> None:
        """Repeats known before their originals stand alone, then join them, step by step."""
        d = [dt.date(2021, 1, day) for day in (1, 2, 3, 4)]
        a = attrs.evolve(
            dated(),
            sources=[
                assess.Source(id="s", name="S", reliability="B"),
                assess.Source(id="t", name="T", reliability="C", party="p"),
                assess.Source(id="u", name="U", reliability="A", party="p"),
            ],
            evidence=[
                item("O", d[2], {"H1": "CC", "H2": "I"}),
                item("R1", d[1], {"H1": "CC", "H2": "I"}, derived_from=["O"], via=["t"]),
                item("R2", d[0], {"H1": "CC", "H2": "I"}, derived_from=["R1"], source="u"),
                item("X", d[3], {"H1": "I", "H2": "C"}, source="t"),
                item("Y", d[1], {"H1": "C", "H2": "N"}, derived_from=["R2", "X"]),
            ],
        )
        result = timeline(a, draws=DRAWS)
        for step, expected in zip(result.steps, known_scores(a, result), strict=True):
            posteriors = {h.id: h.posterior for h in expected.hypotheses}
            assert step.posteriors == pytest.approx(posteriors, rel=1e-12, abs=1e-15)
            assert step.leader == expected.ranking[0].id

    def test_a_step_whose_level_rests_on_the_stability(self) -> None:
        """It runs its own Monte Carlo, STEP_DRAWS draws at most: analyse's stability with those."""
        rule = ConfidenceRule(moderate_weight=0.5, high_weight=1.0, moderate_support=1)
        first, second = dt.date(2021, 1, 1), dt.date(2021, 1, 2)
        a = attrs.evolve(
            dated(),
            sources=[
                assess.Source(id="s", name="S", reliability="C"),
                assess.Source(id="t", name="T", reliability="B"),
            ],
            evidence=[
                attrs.evolve(item("E1", first, {"H1": "C", "H2": "N"}), credibility=3),
                item("E2", second, {"H1": "CC", "H2": "I"}, source="t"),
            ],
            scoring=assess.Scoring(confidence=rule),
        )
        early, last = timeline(a, draws=2000).steps
        assert (early.draws, last.draws) == (STEP_DRAWS, 2000)
        known = attrs.evolve(a, evidence=a.evidence[:1])
        alone = assess.analyse(known, draws=STEP_DRAWS).sensitivity
        assert early.stability == alone.of("H1")[0] == 0.665
        assert early.confidence == "low"  # moderate needs 70%
        assert last.stability == assess.analyse(a, draws=2000).sensitivity.of("H1")[0]

    def test_steps_share_one_budget(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Steps that need the Monte Carlo share BUDGET; too small a share estimates nothing."""
        rule = ConfidenceRule(moderate_weight=0.5, high_weight=1.0, moderate_support=1)
        a = attrs.evolve(dated(), scoring=assess.Scoring(confidence=rule))
        monkeypatch.setattr(replay, "BUDGET", 10)
        steps = timeline(a, draws=2000).steps
        assert {s.confidence for s in steps[:-1]} <= {"low", NOT_ESTIMATED}
        assert NOT_ESTIMATED in {s.confidence for s in steps[:-1]}
        assert all(s.draws == 0 for s in steps[:-1])
        assert steps[-1].draws == 2000  # the last step is the full analysis, whatever the budget

    def test_ends_at_the_full_assessment(self) -> None:
        """The last step is the full analysis, to the last bit, confidence included."""
        a = dated()
        last = timeline(a, draws=DRAWS).steps[-1]
        full = assess.analyse(a, draws=DRAWS)
        assert last.posteriors == {h.id: h.posterior for h in full.scores.hypotheses}
        assert last.leader == full.confidence.leader
        assert last.confidence == full.confidence.level
        assert last.analysis.sensitivity.stability == full.sensitivity.stability

    def test_worked_case_ends_at_its_scores(self) -> None:
        """The shipped assessment: dates in order, every item once, the full scores at the end."""
        a = assess.load(WORKED, root=ROOT)
        result = timeline(a, draws=DRAWS)
        full = assess.analyse(a, draws=DRAWS)
        assert result.steps[-1].posteriors == {h.id: h.posterior for h in full.scores.hypotheses}
        assert result.steps[-1].confidence == full.confidence.level
        dates = [s.date for s in result.steps if s.date is not None]
        assert dates == sorted(dates)
        assert sum(len(s.items) for s in result.steps) == len(a.evidence)

    def test_no_evidence(self) -> None:
        """Nothing to replay: no steps, and a table that says so."""
        a = attrs.evolve(dated(), evidence=())
        result = timeline(a, draws=DRAWS)
        assert result.steps == ()
        assert render_timeline(result) == "dated: no evidence to replay\n"

    def test_json_shape(self) -> None:
        """JSON has the issue's keys: date, items, posteriors, leader, confidence."""
        data = timeline(dated(), draws=DRAWS).to_json()
        json.dumps(data, allow_nan=False)
        steps = data["steps"]
        assert isinstance(steps, list)
        assert steps[0]["date"] is None
        assert steps[1]["date"] == "2020-01-05"
        assert set(steps[1]) >= {"date", "items", "posteriors", "leader", "confidence"}
        assert set(steps[1]["posteriors"]) == {"H1", "H2"}


@settings(max_examples=30, deadline=None)
@given(assessments(), st.randoms(use_true_random=False))
def test_order_within_a_date_does_not_matter(a: assess.Assessment, rnd: object) -> None:
    """
    Shuffling the file order of the items changes no step's items or posteriors.

    (The Monte Carlo draws follow the file's order, as in assess.analyse, so
    only the deterministic figures are compared.)
    """
    shuffled = list(a.evidence)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    one = timeline(a, draws=10)
    two = timeline(attrs.evolve(a, evidence=shuffled), draws=10)
    assert [(s.date, set(s.items), s.known) for s in one.steps] == [
        (s.date, set(s.items), s.known) for s in two.steps
    ]
    for x, y in zip(one.steps, two.steps, strict=True):
        for h, p in x.posteriors.items():
            assert y.posteriors[h] == pytest.approx(p, abs=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_every_step_is_the_analysis_of_what_was_known(a: assess.Assessment) -> None:
    """
    Rule: a step shows what assess.analyse shows of the items known by then.

    The posteriors to rounding; the leader (unless the first two are within
    1e-9, where rounding may break the tie either way); the confidence level
    when it does not depend on the stability; and otherwise the stability of
    a Monte Carlo with the step's own draws and the same seed.
    """
    result = timeline(a, draws=150)
    for step, known in zip(result.steps, known_assessments(a, result), strict=True):
        expected = assess.score(known)
        posteriors = {h.id: h.posterior for h in expected.hypotheses}
        assert step.posteriors == pytest.approx(posteriors, abs=1e-9)
        top, second = sorted(posteriors.values(), reverse=True)[:2]
        if top - second <= 1e-9:
            continue
        assert step.leader == expected.ranking[0].id
        if step.stability is None:
            assert step.confidence == assess.analyse(known, draws=10).confidence.level
        else:
            full = assess.analyse(known, draws=step.draws)
            assert step.stability == pytest.approx(full.sensitivity.of(step.leader)[0], abs=0.02)
            assert step.draws == 150


@settings(max_examples=30, deadline=None)
@given(assessments())
def test_last_step_is_the_full_score(a: assess.Assessment) -> None:
    """For any assessment, the last step's posteriors are assess.score's."""
    result = timeline(a, draws=10)
    if not a.evidence:
        assert result.steps == ()
        return
    scores = assess.score(a)
    assert result.steps[-1].posteriors == {h.id: h.posterior for h in scores.hypotheses}


class TestCommand:
    """assess timeline on the command line."""

    def test_table(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A row per step, then the items added at each."""
        monkeypatch.chdir(tmp_path)
        Path("a.yaml").write_text(assess.dump(dated()), encoding="utf-8")
        status, out, err = run_cli("timeline", "a.yaml", "--draws", str(DRAWS))
        assert (status, err) == (0, "")
        lines = out.splitlines()
        assert lines[0] == "dated: Dated"
        assert lines[1].split() == ["after", "items", "H1", "H2", "leader", "confidence"]
        assert lines[2].split()[:3] == ["undated", "+2", "(2)"]
        assert "2020-03-01: E4, E6" in lines

    def test_json(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """--format json lists each step's items."""
        monkeypatch.chdir(tmp_path)
        Path("a.yaml").write_text(assess.dump(dated()), encoding="utf-8")
        status, out, _ = run_cli("timeline", "a.yaml", "--draws", "100", "--format", "json")
        assert status == 0
        data = json.loads(out)
        assert [s["items"] for s in data["steps"]] == [["E2", "E5"], ["E3"], ["E4", "E6"], ["E1"]]

    def test_plot(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """--plot writes a byte-reproducible SVG with the dates and the estimative bands."""
        pytest.importorskip("matplotlib")
        monkeypatch.chdir(tmp_path)
        Path("a.yaml").write_text(assess.dump(dated()), encoding="utf-8")
        status, _, err = run_cli("timeline", "a.yaml", "--draws", "100", "--plot", "t.svg")
        assert status == 0
        assert err == "wrote t.svg\n"
        svg = Path("t.svg").read_text(encoding="utf-8")
        assert svg.startswith("<?xml")
        assert "2020-06-30" in svg
        assert "roughly even chance" in svg
        first = svg
        run_cli("timeline", "a.yaml", "--draws", "100", "--plot", "t.svg")
        assert Path("t.svg").read_text(encoding="utf-8") == first

    def test_plot_png(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """--plot OUT.png writes a PNG without date or software, the same bytes in every process."""
        pytest.importorskip("matplotlib")
        monkeypatch.chdir(tmp_path)
        Path("a.yaml").write_text(assess.dump(dated()), encoding="utf-8")
        status, _, err = run_cli("timeline", "a.yaml", "--draws", "100", "--plot", "t.png")
        assert (status, err) == (0, "wrote t.png\n")
        png = Path("t.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert not {b"tEXt", b"zTXt", b"iTXt", b"tIME"} & set(png_chunks(png))
        run_cli("timeline", "a.yaml", "--draws", "100", "--plot", "t.png")
        assert Path("t.png").read_bytes() == png
        env = {**os.environ, "PYTHONHASHSEED": "4242"}
        command = ["-m", "assess", "timeline", "a.yaml", "--draws", "100", "--plot", "u.png"]
        subprocess.run([sys.executable, *command], env=env, check=True, capture_output=True)
        assert Path("u.png").read_bytes() == png

    @pytest.mark.parametrize("name", ["t.pdf", "t.svgz", "t"])
    def test_plot_unknown_suffix(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
    ) -> None:
        """--plot with a suffix other than .svg or .png: exit 2 naming both, before any work."""
        monkeypatch.chdir(tmp_path)
        Path("a.yaml").write_text(assess.dump(dated()), encoding="utf-8")
        status, out, err = run_cli("timeline", "a.yaml", "--plot", name)
        assert (status, out) == (2, "")
        assert err.endswith(f": {PLOT_FORMATS}\n")
        assert f"assess: error: --plot {name}: " in err
        assert not Path(name).exists()

    def test_chart_format_is_checked(self) -> None:
        """plots.timeline refuses a format it cannot draw."""
        with pytest.raises(ValueError, match="unknown chart format 'gif'; expected one of: svg"):
            plots.timeline(["undated"], ["H1"], [[1.0]], format="gif")  # type: ignore[call-overload]


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG file, in order."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks


def test_shared_dates_dump_without_aliases() -> None:
    """Two items sharing one date object dump as plain values, which load back (no &id001)."""
    text = assess.dump(dated())
    assert "&" not in text
    assert "*" not in text
    assert assess.loads(text) == dated()


def test_every_report_carries_the_replay() -> None:
    """HTML and Markdown have the replay table (its last row the posteriors); JSON its steps."""
    a = assess.load(WORKED, root=ROOT)
    html = assess.report(a, format="html")
    section = html[html.index('<section aria-labelledby="timeline">') :]
    section = section[: section.index("</section>")]
    scores = assess.score(a)
    last = section.split("<tr>")[-1]
    for h in scores.ranking:
        assert f'<td class="num">{h.posterior:.3f}</td>' in last
    data = json.loads(assess.report(a, format="json"))
    steps = data["analysis"]["timeline"]["steps"]
    assert steps[-1]["posteriors"] == {h.id: h.posterior for h in scores.hypotheses}
    markdown = assess.report(a, format="markdown")
    table = markdown[markdown.index("## How the picture formed") :].split("\n\n## ")[0]
    last = [row for row in table.splitlines() if row.startswith("| ")][-1]
    for h in scores.ranking:
        assert f" {h.posterior:.3f} |" in last
