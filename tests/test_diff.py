"""assess diff: what changed between two versions, and what it did."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import assess
from assess.history.diff import diff, fields_of
from assess.model import ConfidenceRule, Dependence
from assess.views.tables import render_diff
from helpers import run_cli
from strategies import assessments

DRAWS = 500


def base() -> assess.Assessment:
    """Three hypotheses, two sources, three items: a small hand-made 'before'."""
    return assess.Assessment(
        id="before",
        title="Who left the door open?",
        hypotheses=[
            assess.Hypothesis(id="H1", statement="The cat."),
            assess.Hypothesis(id="H2", statement="The wind."),
            assess.Hypothesis(id="H3", statement="A burglar."),
        ],
        sources=[
            assess.Source(id="me", name="Me", reliability="B"),
            assess.Source(id="neighbour", name="The neighbour", reliability="C"),
        ],
        evidence=[
            assess.Evidence(
                id="E1",
                summary="Paw prints on the mat.",
                kind="physical",
                source="me",
                credibility=2,
                ratings={"H1": "CC", "H2": "N", "H3": "I"},
            ),
            assess.Evidence(
                id="E2",
                summary="It was windy.",
                kind="report",
                source="neighbour",
                credibility=3,
                ratings={"H1": "N", "H2": "C", "H3": "N"},
            ),
            assess.Evidence(
                id="E3",
                summary="Nothing is missing.",
                kind="report",
                source="me",
                credibility=1,
                ratings={"H1": "C", "H2": "C", "H3": "II"},
            ),
        ],
    )


def replace_item(a: assess.Assessment, item_id: str, **changes: Any) -> assess.Assessment:
    """The assessment with one evidence item changed."""
    evidence = [attrs.evolve(e, **changes) if e.id == item_id else e for e in a.evidence]
    return attrs.evolve(a, evidence=evidence)


class TestChanges:
    """What changed, entry by entry and field by field."""

    def test_identical_versions(self) -> None:
        """The same assessment: same digest, no change, every posterior unchanged."""
        result = diff(base(), base(), draws=DRAWS)
        assert result.same_content
        assert result.changes == ()
        assert result.settings == ()
        assert all(h.posterior_change == 0 for h in result.hypotheses)
        assert "no change to any field" in render_diff(result)

    def test_one_rating(self) -> None:
        """A re-rating is one field, ratings.H3, with its old and new value."""
        old = base()
        new = replace_item(old, "E1", ratings={"H1": "CC", "H2": "N", "H3": "II"})
        result = diff(old, new, draws=DRAWS)
        assert [(c.block, c.id, c.status) for c in result.changes] == [
            ("evidence", "E1", "changed")
        ]
        (field,) = result.changes[0].fields
        assert (field.field, field.old, field.new) == ("ratings.H3", "I", "II")

    def test_na_is_no_rating(self) -> None:
        """Writing NA where there was no rating is no change (as in the digest)."""
        old = replace_item(base(), "E2", ratings={"H1": "N", "H2": "C"})
        new = replace_item(base(), "E2", ratings={"H1": "N", "H2": "C", "H3": "NA"})
        assert diff(old, new, draws=DRAWS).changes == ()

    def test_explicit_default_is_no_change(self) -> None:
        """relevance: medium written out equals the default."""
        new = replace_item(base(), "E1", relevance="medium")
        assert diff(base(), new, draws=DRAWS).changes == ()

    def test_grade_and_text_changes(self) -> None:
        """Several fields of one item, and a source's grade, each named."""
        old = base()
        new = replace_item(old, "E2", credibility=5, summary="It was very windy.")
        new = attrs.evolve(
            new,
            sources=[
                attrs.evolve(s, reliability="E") if s.id == "neighbour" else s for s in new.sources
            ],
        )
        result = diff(old, new, draws=DRAWS)
        by_id = {(c.block, c.id): c for c in result.changes}
        item = by_id[("evidence", "E2")]
        assert {f.field: (f.old, f.new) for f in item.fields} == {
            "summary": ("It was windy.", "It was very windy."),
            "credibility": (3, 5),
        }
        source = by_id[("source", "neighbour")]
        assert [(f.field, f.old, f.new) for f in source.fields] == [("reliability", "C", "E")]

    def test_added_and_removed(self) -> None:
        """An item added and one removed; a hypothesis added appears with no 'before'."""
        old = base()
        e4 = assess.Evidence(
            id="E4",
            summary="A window was forced.",
            kind="physical",
            source="me",
            credibility=2,
            ratings={"H1": "I", "H2": "I", "H3": "CC"},
        )
        new = attrs.evolve(
            old,
            hypotheses=[*old.hypotheses, assess.Hypothesis(id="H4", statement="A child.")],
            evidence=[e for e in old.evidence if e.id != "E2"] + [e4],
        )
        result = diff(old, new, draws=DRAWS)
        status = {(c.block, c.id): c.status for c in result.changes}
        assert status == {
            ("evidence", "E2"): "removed",
            ("evidence", "E4"): "added",
            ("hypothesis", "H4"): "added",
        }
        added = next(c for c in result.changes if c.id == "E4")
        assert {f.field: f.new for f in added.fields}["ratings.H3"] == "CC"
        assert all(f.old is None for f in added.fields)
        h4 = next(h for h in result.hypotheses if h.id == "H4")
        assert h4.before is None
        assert h4.after is not None
        assert h4.posterior_change is None
        text = render_diff(result)
        assert "added evidence E4\n  ratings: H1 I, H2 I, H3 CC\n" in text
        assert "removed evidence E2\n" in text

    def test_settings_and_order(self) -> None:
        """Top-level fields are settings; a reordering is reported as having no effect."""
        old = base()
        new = attrs.evolve(
            old,
            title="Who opened the door?",
            evidence=list(reversed(old.evidence)),
            scoring=assess.Scoring(draws=2000),
        )
        result = diff(old, new, draws=DRAWS)
        assert result.changes == ()
        assert {f.field for f in result.settings} == {"title", "scoring.draws"}
        assert result.reordered == ("evidence",)

    def test_second_model_fields(self) -> None:
        """Parties, relays, confirmations, answers and the new scoring settings are fields."""
        old = base()
        sources = [
            attrs.evolve(old.sources[0], party="household"),
            old.sources[1],
        ]
        hypotheses = [
            attrs.evolve(h, answer=answer)
            for h, answer in zip(old.hypotheses, ["inside", "inside", "outside"], strict=True)
        ]
        new = attrs.evolve(
            replace_item(old, "E2", via=["me"], confirmed_by=["E1"]),
            sources=sources,
            hypotheses=hypotheses,
            scoring=assess.Scoring(
                fidelity={"C": 0.6},
                credibility_values={6: 0.1},
                dependence=Dependence(same_party=0.3),
                likelihood_jitter=0.05,
                confidence=ConfidenceRule(high_weight=25),
            ),
        )
        result = diff(old, new, draws=DRAWS)
        changed = {
            (c.block, c.id): [(f.field, f.old, f.new) for f in c.fields] for c in result.changes
        }
        assert changed[("source", "me")] == [("party", None, "household")]
        assert changed[("hypothesis", "H3")] == [("answer", None, "outside")]
        assert changed[("evidence", "E2")] == [
            ("via", [], ["me"]),
            ("confirmed_by", [], ["E1"]),
        ]
        settings = {f.field: (f.old, f.new) for f in result.settings}
        assert settings == {
            "scoring.fidelity.C": (0.75, 0.6),
            "scoring.credibility_values.6": (0.25, 0.1),
            "scoring.dependence.same_party": (0.5, 0.3),
            "scoring.likelihood_jitter": (0.1, 0.05),
            "scoring.confidence.high_weight": (20.0, 25.0),
        }
        text = render_diff(result)
        assert "changed evidence E2\n  via: [] -> [me]\n  confirmed_by: [] -> [E1]\n" in text
        assert "changed scoring.credibility_values.6: 0.25 -> 0.1\n" in text


class TestEffect:
    """What the change did to the conclusion."""

    def test_posteriors_are_each_versions(self) -> None:
        """Before and after are exactly what assess.score gives each version."""
        old = base()
        new = replace_item(old, "E3", ratings={"H1": "II", "H2": "C", "H3": "C"})
        result = diff(old, new, draws=DRAWS)
        for version, side in ((old, "before"), (new, "after")):
            scores = assess.score(version)
            for shift in result.hypotheses:
                state = getattr(shift, side)
                assert state.posterior == scores.hypothesis(shift.id).posterior
                assert state.rank == scores.hypothesis(shift.id).rank
                assert state.term == assess.estimative_term(state.posterior)

    def test_leader_change_and_linchpins(self) -> None:
        """Turning the evidence against the cat hands the lead to another hypothesis."""
        old = base()
        new = replace_item(old, "E1", ratings={"H1": "II", "H2": "N", "H3": "CC"})
        result = diff(old, new, draws=DRAWS)
        assert result.leader_before == "H1"
        assert result.leader_after != "H1"
        before = {lp.cluster for lp in result.before.linchpins if lp.leader_changes}
        after = {lp.cluster for lp in result.after.linchpins if lp.leader_changes}
        assert set(result.linchpins_gained) == after - before
        assert set(result.linchpins_lost) == before - after
        assert f"leader: H1 -> {result.leader_after}" in render_diff(result)

    def test_json(self) -> None:
        """JSON holds the changes and the effect, before and after."""
        old = base()
        new = replace_item(old, "E2", credibility=6)
        data = diff(old, new, draws=DRAWS).to_json()
        json.dumps(data, allow_nan=False)
        assert data["changes"] == [
            {
                "block": "evidence",
                "id": "E2",
                "status": "changed",
                "fields": [{"field": "credibility", "old": 3, "new": 6}],
            }
        ]
        effect = data["effect"]
        assert isinstance(effect, dict)
        assert effect["leader"] == {"before": "H1", "after": "H1"}


@settings(max_examples=40, deadline=None)
@given(assessments())
def test_self_diff_is_empty(assessment: assess.Assessment) -> None:
    """Any assessment compared with itself: no change, equal posteriors."""
    result = diff(assessment, assessment, draws=50)
    assert result.changes == ()
    assert result.settings == ()
    assert result.reordered == ()
    for shift in result.hypotheses:
        assert shift.before == shift.after


@settings(max_examples=40, deadline=None)
@given(assessments(), assessments())
def test_changes_name_every_difference(old: assess.Assessment, new: assess.Assessment) -> None:
    """Every entry whose fields differ is listed; equal entries are not."""
    result = diff(old, new, draws=20)
    listed = {(c.block, c.id) for c in result.changes}
    for block, singular in (("hypotheses", "hypothesis"), ("evidence", "evidence")):
        before = {e.id: e for e in getattr(old, block)}
        after = {e.id: e for e in getattr(new, block)}
        for key in before.keys() | after.keys():
            differs = key not in before or key not in after
            differs = differs or fields_of(before[key]) != fields_of(after[key])
            assert ((singular, key) in listed) == differs


class TestCommand:
    """assess diff on the command line."""

    def test_two_files(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Two files: a table naming the changed rating, and the same as JSON."""
        monkeypatch.chdir(tmp_path)
        Path("old.yaml").write_text(assess.dump(base()), encoding="utf-8")
        new = replace_item(base(), "E1", ratings={"H1": "C", "H2": "N", "H3": "I"})
        Path("new.yaml").write_text(assess.dump(new), encoding="utf-8")
        status, out, err = run_cli("diff", "old.yaml", "new.yaml", "--draws", "200")
        assert (status, err) == (0, "")
        assert out.startswith("old.yaml -> new.yaml\n")
        assert "changed evidence E1\n  ratings.H1: CC -> C\n" in out
        status, out, _ = run_cli(
            "diff", "old.yaml", "new.yaml", "--draws", "200", "--format", "json"
        )
        assert status == 0
        assert json.loads(out)["changes"][0]["fields"] == [
            {"field": "ratings.H1", "old": "CC", "new": "C"}
        ]

    def test_usage(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Wrong numbers of files or revisions, an option as a revision, a missing file: exit 2."""
        monkeypatch.chdir(tmp_path)
        Path("a.yaml").write_text(assess.dump(base()), encoding="utf-8")
        assert run_cli("diff", "a.yaml")[0] == 2
        assert run_cli("diff", "a.yaml", "a.yaml", "--rev", "HEAD")[0] == 2
        status, _, err = run_cli("diff", "a.yaml", "--rev=-x")
        assert status == 2
        assert "not a git revision: '-x'" in err
        status, _, err = run_cli("diff", "a.yaml", "missing.yaml")
        assert status == 2
        assert "missing.yaml: no such file" in err

    def test_bad_file_is_input_error(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file with problems: they are printed and the status is 1."""
        monkeypatch.chdir(tmp_path)
        Path("a.yaml").write_text(assess.dump(base()), encoding="utf-8")
        Path("b.yaml").write_text("assessment: b\n", encoding="utf-8")
        status, out, err = run_cli("diff", "a.yaml", "b.yaml")
        assert (status, out) == (1, "")
        assert err.startswith("b.yaml:")

    @pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
    def test_revisions(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """--rev A --rev B reads both through git; one --rev compares with the file on disk."""
        monkeypatch.chdir(tmp_path)
        sub = tmp_path / "work"
        sub.mkdir()

        def git(*args: str) -> None:
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                cwd=tmp_path,
                check=True,
                capture_output=True,
            )

        git("init", "-q")
        file = sub / "a.yaml"
        file.write_text(assess.dump(base()), encoding="utf-8")
        git("add", "-A")
        git("commit", "-qm", "one")
        changed = replace_item(base(), "E2", credibility=4)
        file.write_text(assess.dump(changed), encoding="utf-8")
        git("commit", "-qam", "two")
        file.write_text(assess.dump(replace_item(changed, "E3", credibility=2)), encoding="utf-8")

        status, out, err = run_cli("diff", "work/a.yaml", "--rev", "HEAD~1", "--rev", "HEAD")
        assert (status, err) == (0, "")
        assert out.startswith("work/a.yaml@HEAD~1 -> work/a.yaml@HEAD\n")
        assert "changed evidence E2\n  credibility: 3 -> 4\n" in out
        assert "E3" not in out.split("\n\n")[1]

        status, out, _ = run_cli("diff", "work/a.yaml", "--rev", "HEAD")
        assert status == 0
        assert out.startswith("work/a.yaml@HEAD -> work/a.yaml\n")
        assert "changed evidence E3\n  credibility: 1 -> 2\n" in out

        status, _, err = run_cli("diff", "work/a.yaml", "--rev", "no-such-rev")
        assert status == 2
        assert err.startswith("assess: error: work/a.yaml@no-such-rev: ")


def test_public_names_are_the_functions() -> None:
    """assess.diff and assess.timeline stay functions even after their modules are imported."""
    import assess.history.diff  # noqa: PLC0415
    import assess.history.timeline  # noqa: PLC0415

    assert assess.diff is assess.history.diff.diff
    assert assess.timeline is assess.history.timeline.timeline
    for name in assess.__all__:
        if name[0].islower() and not name.startswith("_"):
            assert callable(getattr(assess, name)), name
