"""
Hostile costs: a small valid file cannot ask for hours of work or gigabytes.

The Monte Carlo's work is held to a budget before anything is scored
(``assess.methods.sensitivity.BUDGET``), and the date-by-date replay costs one
analysis and a small step per date.  Every case runs the command line in a
process of its own (``tests/hostile.py``) and pins its exit status, its
message, its time and its peak memory, and that no file changed.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from assess.methods.sensitivity import budget_draws
from hostile import Outcome, run_hostile, snapshot

#: Bounds for a command that refuses before scoring: generous for a loaded machine.
SECONDS = 10.0
PEAK_MIB = 500.0
#: The 600-date replay takes 12 to 15 s on the two-core machine the benchmarks run on.
REPLAY_SECONDS = 45.0


def many_hypotheses(hypotheses: int, draws: int | None = None, items: int = 1) -> str:
    """Items against many hypotheses (one item: 4 KB for 200), asking for ``draws`` if given."""
    lines = ["assessment: costly", "title: Costly", "hypotheses:"]
    lines += [f"  - {{id: H{j}, statement: h}}" for j in range(hypotheses)]
    lines += ["sources:", "  - {id: s, name: S, reliability: B}", "evidence:"]
    lines += [
        f"  - {{id: E{i}, summary: x, kind: report, source: s, credibility: 2,"
        " ratings: {H0: C, H1: I}}"
        for i in range(items)
    ]
    if draws is not None:
        lines += ["scoring:", f"  draws: {draws}"]
    return "\n".join(lines) + "\n"


def dated_items(items: int, hypotheses: int = 3) -> str:
    """
    Items on dates of their own, each from a source of its own, mostly for H0.

    Every party favours H0, so from the fifth date on each step's level
    depends on the Monte Carlo: the replay's costliest case.
    """
    rng = random.Random(0)  # noqa: S311 -- a fixed sample, not a secret
    lines = ["assessment: dated", "title: Dated", "hypotheses:"]
    lines += [f"  - {{id: H{j}, statement: h}}" for j in range(hypotheses)]
    lines.append("sources:")
    lines += [
        f"  - {{id: s{i}, name: S{i}, reliability: {rng.choice('ABC')}}}" for i in range(items)
    ]
    lines.append("evidence:")
    start = dt.date(2000, 1, 1)
    for i in range(items):
        ratings = ", ".join(
            f"H{j}: {rng.choice(['CC', 'C', 'C', 'N'] if j == 0 else ['N', 'I', 'I', 'C'])}"
            for j in range(hypotheses)
        )
        lines.append(
            f"  - {{id: E{i}, summary: x, kind: report, source: s{i},"
            f" credibility: {rng.choice([1, 2, 3])}, date: {start + dt.timedelta(days=i)},"
            f" ratings: {{{ratings}}}}}"
        )
    return "\n".join(lines) + "\n"


def quick(outcome: Outcome) -> None:
    """No traceback, fast and small."""
    assert "Traceback" not in outcome.stderr
    assert outcome.seconds < SECONDS, outcome.seconds
    assert outcome.peak_mib < PEAK_MIB, outcome.peak_mib


class TestDrawsPastTheBudget:
    """Draws x hypotheses x items past the budget are refused before anything is scored."""

    @pytest.mark.parametrize(
        "argv",
        [
            ("score", "costly.yaml"),
            ("sensitivity", "costly.yaml", "--format", "json"),
            ("report", "costly.yaml", "-o", "costly.html"),
            ("timeline", "costly.yaml"),
        ],
    )
    def test_file_setting_refused_at_its_place(self, tmp_path: Path, argv: tuple[str, ...]) -> None:
        """200 hypotheses with draws 10,000,000 (asked numpy for 14.9 GiB): exit 1 at the key."""
        text = many_hypotheses(200, draws=10_000_000)
        (tmp_path / "costly.yaml").write_text(text, encoding="utf-8")
        line = text.splitlines().index("  draws: 10000000") + 1
        before = snapshot(tmp_path)
        outcome = run_hostile(*argv, cwd=tmp_path)
        assert outcome.status == 1, outcome.stderr
        most = budget_draws(200, 1, 1)
        assert outcome.stderr.startswith(
            f"costly.yaml:{line}:10: error: scoring.draws: 10,000,000 draws of 200 hypotheses"
            f" x 1 item exceed the Monte Carlo budget"
        )
        assert f"at most {most:,} draws fit; set scoring.draws to at most {most}" in outcome.stderr
        assert f"or run with --draws {most}\n" in outcome.stderr
        assert outcome.stderr.endswith("1 problem in costly.yaml\n")
        assert outcome.stdout == ""
        quick(outcome)
        assert snapshot(tmp_path) == before

    def test_default_draws_past_the_budget(self, tmp_path: Path) -> None:
        """The default 10,000 draws of 1,000 hypotheses x 20 items are refused, offering --draws."""
        (tmp_path / "wide.yaml").write_text(many_hypotheses(1000, items=20), encoding="utf-8")
        before = snapshot(tmp_path)
        outcome = run_hostile("score", "wide.yaml", cwd=tmp_path)
        assert outcome.status == 1, outcome.stderr
        # No scoring.draws in the file: the problem is shown at the top of the file.
        assert outcome.stderr.startswith(
            "wide.yaml:1:1: error: scoring.draws: 10,000 draws of 1,000 hypotheses x 20 items"
        )
        assert f"--draws {budget_draws(1000, 20, 1)}\n" in outcome.stderr
        quick(outcome)
        assert snapshot(tmp_path) == before

    def test_diff_refuses_either_version(self, tmp_path: Path) -> None:
        """The diff command refuses a version past the budget, naming the key (exit 1)."""
        (tmp_path / "old.yaml").write_text(many_hypotheses(200), encoding="utf-8")
        (tmp_path / "new.yaml").write_text(many_hypotheses(200, 10_000_000), encoding="utf-8")
        before = snapshot(tmp_path)
        outcome = run_hostile("diff", "old.yaml", "new.yaml", cwd=tmp_path)
        assert outcome.status == 1, outcome.stderr
        assert "error: scoring.draws: 10,000,000 draws of 200 hypotheses" in outcome.stderr
        quick(outcome)
        assert snapshot(tmp_path) == before

    @pytest.mark.parametrize("command", ["sensitivity", "timeline", "diff"])
    def test_option_past_the_budget_is_a_usage_error(self, tmp_path: Path, command: str) -> None:
        """--draws past the budget: exit 2, naming the option and the most draws that fit."""
        (tmp_path / "a.yaml").write_text(many_hypotheses(200), encoding="utf-8")
        files = ("a.yaml", "a.yaml") if command == "diff" else ("a.yaml",)
        before = snapshot(tmp_path)
        outcome = run_hostile(command, *files, "--draws", "5000000", cwd=tmp_path)
        assert outcome.status == 2, outcome.stderr
        most = budget_draws(200, 1, 1)
        assert outcome.stderr.startswith("assess: error: --draws 5000000: 5,000,000 draws of 200")
        assert outcome.stderr.endswith(f"; give --draws {most} or fewer\n")
        quick(outcome)
        assert snapshot(tmp_path) == before

    def test_draws_that_fit_run(self, tmp_path: Path) -> None:
        """The remedy works: the file past the budget, with --draws the message offers."""
        (tmp_path / "costly.yaml").write_text(many_hypotheses(200, 10_000_000), encoding="utf-8")
        outcome = run_hostile("sensitivity", "costly.yaml", "--draws", "2000", cwd=tmp_path)
        assert outcome.status == 0, outcome.stderr
        quick(outcome)


class TestReplay:
    """The date-by-date replay is bounded: one analysis and a small step per date."""

    def test_six_hundred_dates(self, tmp_path: Path) -> None:
        """600 dated items, every step's level resting on the Monte Carlo: within the bound."""
        (tmp_path / "dated.yaml").write_text(dated_items(600), encoding="utf-8")
        before = snapshot(tmp_path)
        outcome = run_hostile("timeline", "dated.yaml", cwd=tmp_path, timeout=120)
        assert outcome.status == 0, outcome.stderr
        rows = outcome.stdout.splitlines()
        assert rows[1].split() == ["after", "items", "H0", "H1", "H2", "leader", "confidence"]
        assert rows[601].split()[:2] == ["2001-08-22", "+1"]  # the 600th date, the last step
        assert sum(" moderate" in row or " high" in row for row in rows[2:602]) > 500
        assert outcome.seconds < REPLAY_SECONDS, outcome.seconds
        assert outcome.peak_mib < PEAK_MIB, outcome.peak_mib
        assert snapshot(tmp_path) == before
