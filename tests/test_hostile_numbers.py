"""
Hostile numbers and line ends: refused at their place, never a traceback.

Each class of the review (issue 19) has a hostile file here, run through
``validate``, ``score`` and ``report`` as a user would, each in a process of
its own (``tests/hostile.py``).  Every run must exit 1 with the problem at
``FILE:LINE:COL``, quickly and in little memory, and leave the folder as it
was: no report is written for a file with problems.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess.io import yaml_reader as _yaml
from hostile import run_hostile, snapshot

#: Bounds for a command that refuses at once: generous for a loaded machine.
SECONDS = 10.0
PEAK_MIB = 400.0

BIG = "7" * 5000

HEAD = """\
assessment: hostile
title: Hostile numbers
hypotheses:
  - id: H1
    statement: The convoy took the north road.
  - id: H2
    statement: The convoy took the south road.
"""

#: A source and an item for cases that need evidence (lines 8-15).
EVIDENCE = """\
sources:
  - {id: S1, name: Ministry of Transport, reliability: B}
evidence:
  - id: E1
    summary: Trucks seen on the north road.
    kind: report
    source: S1
    ratings: {H1: C, H2: I}
"""


def _cr_only() -> str:
    lines = [
        *HEAD.splitlines(),
        "sources:",
        "  - id: S1",
        "    name: Ministry of Transport",
        "    reliability: B",
        "    interested: false",
        "    notes: ring \x07 the bell",
        "",
    ]
    return "\r".join(lines)


#: Each class: the file's text, and the problem as the user sees it (after ``FILE:``).
CASES: dict[str, tuple[str, str]] = {
    "prior_infinite": (
        HEAD.replace("north road.\n", "north road.\n    prior: .inf\n", 1),
        "6:12: error: hypotheses[0].prior: must be a finite number, got inf",
    ),
    "likelihood_overflow": (
        HEAD + "scoring:\n  likelihoods: {C: 1e999}\n",
        "9:20: error: scoring.likelihoods.C: must be a finite number, got inf",
    ),
    "perturbation_overflow": (
        HEAD + "scoring:\n  perturbation: 1e999\n",
        "9:17: error: scoring.perturbation: must be a finite number, got inf",
    ),
    "grade_value_negative_infinity": (
        HEAD + "scoring:\n  reliability_values: {E: -.inf}\n",
        "9:27: error: scoring.reliability_values.E: must be a finite number, got -inf",
    ),
    "draws_5000_digits": (
        HEAD + f"scoring:\n  draws: {BIG}\n",
        (
            "9:10: error: scoring.draws: draws must be between 1 and 10000000,"
            " got an integer of 5000 digits"
        ),
    ),
    "notes_5000_digits": (
        HEAD + EVIDENCE + f"    notes: {BIG}\n",
        "16:12: error: evidence[0].notes: expected text, got an integer of 5000 digits",
    ),
    "rating_formula": (
        HEAD + EVIDENCE.replace("{H1: C,", "{H1: =C,"),
        (
            "15:19: error: evidence[0].ratings.H1: expected a rating, one of CC, C, N, I, II, NA;"
            " got the string '=C'"
        ),
    ),
    "cr_only_control_character": (
        _cr_only(),
        "13:17: error: character U+0007 is not allowed in YAML",
    ),
}

COMMANDS = {
    "validate": ("validate", "hostile.yaml"),
    "score": ("score", "hostile.yaml"),
    "report": ("report", "hostile.yaml", "-o", "out.md"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_at_its_place(tmp_path: Path, case: str, command: str) -> None:
    """Each hostile file exits 1 with the problem at FILE:LINE:COL, quickly, writing nothing."""
    text, problem = CASES[case]
    (tmp_path / "hostile.yaml").write_bytes(text.encode("utf-8"))
    before = snapshot(tmp_path)

    outcome = run_hostile(*COMMANDS[command], cwd=tmp_path)

    assert outcome.status == 1, outcome.stderr
    assert f"hostile.yaml:{problem}" in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert outcome.seconds < SECONDS
    assert outcome.peak_mib < PEAK_MIB
    assert snapshot(tmp_path) == before


def test_echoed_line_is_the_line_named(tmp_path: Path) -> None:
    """In a file of CR line ends, the source line shown under a problem is the line it names."""
    text, _ = CASES["cr_only_control_character"]
    text = text.replace("\x07", "").replace("interested: false", "interested: maybe")
    (tmp_path / "hostile.yaml").write_bytes(text.encode("utf-8"))

    outcome = run_hostile("validate", "hostile.yaml", cwd=tmp_path)

    assert outcome.status == 1, outcome.stderr
    assert "hostile.yaml:12:17: error: sources[0].interested:" in outcome.stderr
    assert "\n        interested: maybe\n                    ^" in outcome.stderr


def test_integer_as_long_as_the_file_allows(tmp_path: Path) -> None:
    """An integer of 15 million digits, near the file size cap, costs no more than its reading."""
    (tmp_path / "hostile.yaml").write_text(HEAD + f"scoring:\n  draws: {'7' * 15_000_000}\n")
    before = snapshot(tmp_path)

    outcome = run_hostile("validate", "hostile.yaml", cwd=tmp_path)

    assert outcome.status == 1, outcome.stderr[:500]
    assert (
        "hostile.yaml:9:10: error: scoring.draws: draws must be between 1 and 10000000,"
        " got an integer of 15000000 digits"
    ) in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert outcome.seconds < SECONDS
    assert outcome.peak_mib < PEAK_MIB
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- properties

#: Float tokens as a person might write them, YAML's own spellings included.
FLOAT_TOKENS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.from_regex(
        r"[-+]?(\.[0-9]{1,5}|[0-9]{1,400}(\.[0-9]{0,5})?)([eE][-+]?[0-9]{1,5})?", fullmatch=True
    ),
    st.sampled_from([".inf", "-.inf", "+.Inf", ".INF", ".nan", ".NaN", ".NAN", "1e999", "-1e999"]),
)


@st.composite
def integer_tokens(draw: st.DrawFn) -> str:
    """An integer literal of up to 6,000 digits, signed, zero-padded, or in base 8 or 16."""
    width = draw(st.integers(min_value=1, max_value=6000))
    base = draw(st.sampled_from(["10", "8", "16"]))
    if base == "8":
        return "0o" + "7" * width
    if base == "16":
        return "0x" + "f" * width
    sign = draw(st.sampled_from(["", "-", "+"]))
    zeros = "0" * draw(st.integers(min_value=0, max_value=3))
    lead = draw(st.sampled_from("123456789"))
    return f"{sign}{zeros}{lead}{'0' * (width - 1)}"


def _load(text: str) -> tuple[list[assess.Problem], assess.Assessment | None]:
    try:
        return [], assess.loads(text)
    except assess.InputError as error:
        return list(error.problems), None


def _valid_prior(token: str) -> bool:
    value = _yaml.resolve_plain(token)
    return isinstance(value, float | int) and math.isfinite(value) and 0.0 < value <= 1.0


#: Where an integer token (for ``@@``) goes: whole-number, float, grade, rating, text, key.
PLACES = {
    "draws": HEAD + "scoring:\n  draws: @@\n",
    "seed": HEAD + "scoring:\n  seed: @@\n",
    "high_support": HEAD + "scoring:\n  confidence: {high_support: @@}\n",
    "dispute": HEAD + "scoring:\n  dispute: @@\n",
    "likelihood": HEAD + "scoring:\n  likelihoods: {N: @@}\n",
    "judgement": "analysts: [al]\n" + HEAD + "judgement:\n  al: {H1: @@}\n",
    "credibility": HEAD + EVIDENCE + "    credibility: @@\n",
    "rating": HEAD + EVIDENCE.replace("{H1: C,", "{H1: @@,"),
    "notes": HEAD + EVIDENCE + "    notes: @@\n",
    "key": HEAD + "scoring:\n  ? @@\n  : 1\n",
}


class TestAnyNumberIsSafe:
    """
    Rule: a numeric field refuses a non-finite or overflowing value at its line and column.

    And every integer literal is safe, whatever its length and wherever it stands.
    """

    @given(FLOAT_TOKENS)
    @settings(max_examples=200, deadline=None)
    def test_prior(self, token: str) -> None:
        """Any float token as a prior loads to a finite number, or is a problem at the prior."""
        text = HEAD.replace("north road.\n", f"north road.\n    prior: {token}\n", 1)
        text = text.replace("south road.\n", "south road.\n    prior: 0.5\n", 1)
        problems, loaded = _load(text)
        if loaded is not None:
            prior = loaded.hypotheses[0].prior
            assert prior is not None
            assert math.isfinite(prior)
            return
        assert all(p.line is not None and p.column is not None for p in problems)
        if not _valid_prior(token):
            at_prior = [(p.line, p.column) for p in problems if p.path == "hypotheses[0].prior"]
            assert at_prior == [(6, 12)]

    @given(integer_tokens(), st.sampled_from(sorted(PLACES)))
    @settings(max_examples=200, deadline=None)
    def test_integer_anywhere(self, token: str, place: str) -> None:
        """An integer of any width, in any kind of field or as a key, loads or is refused at it."""
        text = PLACES[place].replace("@@", token)
        problems, _ = _load(text)
        where = text.count("\n", 0, PLACES[place].index("@@")) + 1
        for problem in problems:
            assert problem.line == where
            assert problem.column is not None
            if place != "key":  # a key is text, and messages quote unknown keys in full
                assert len(problem.message) < 1000  # wide integers are shown by their digits
