"""Problem codes, and validation problems as SARIF and GitHub annotations (issue 17, item 6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import assess
from assess import codes
from assess.errors import Problem
from assess.views import ci
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests" / "data" / "bad").glob("*.yaml"))


def fixture_problems() -> list[Problem]:
    """Every problem of every bad fixture."""
    found: list[Problem] = []
    for path in BAD:
        try:
            assess.load(path, root=ROOT)
        except assess.InputError as error:
            found.extend(error.problems)
    return found


PROBLEMS = fixture_problems()


def test_codes_are_unique_and_listed() -> None:
    """Each code has one id and one name, and docs/format.md lists each with its meaning."""
    listed = [ci.READ_ERROR, *codes.CODES]
    assert len({c.id for c in listed}) == len({c.name for c in listed}) == len(listed)
    assert all(re.fullmatch(r"A\d{3}", c.id) for c in listed)
    page = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for code in listed:
        assert f"| `{code.id}` | `{code.name}` | {code.summary} |" in page


def test_every_fixture_problem_has_a_specific_code() -> None:
    """The fixtures' problems fall back to A300 only for cross-checks the table does not name."""
    fallen = sorted({p.message for p in PROBLEMS if p.code == codes.FALLBACK})
    assert fallen == [
        "'team' names the team's own judgement; choose another id",
        "a cell of analysts' ratings must name at least one analyst",
        "a judgement must give at least one probability",
        "via lists 'S1', the item's own source; list only the relays",
    ]


def test_codes_are_used() -> None:
    """Every code but the label rule is the code of some fixture's problem."""
    used = {p.code.id for p in PROBLEMS}
    assert {c.id for c in codes.CODES} - used == {"A205"}
    label = (
        "assessment: a\ntitle: t\n"
        'hypotheses: [{id: H1, statement: s, label: "a\\nb"}, {id: H2, statement: t}]\n'
    )
    with pytest.raises(assess.InputError) as caught:
        assess.loads(label)
    assert [p.code.id for p in caught.value.problems] == ["A205"]


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("unknown key 'colour'", "A101"),
        ("missing required key 'title'", "A102"),
        ("expected text, got a list", "A104"),
        ("expected a rating, one of CC, C, N, I, II, NA; got the string 'NO'", "A201"),
        ("expected a date written YYYY-MM-DD, got the string '1 May'", "A203"),
        ("must be in [0, 1], got 1.5", "A204"),
        ("unknown source 'tass'", "A301"),
        ("duplicate hypothesis id 'H1': hypotheses[0] has it", "A302"),
        ("a brand-new cross-check", "A300"),
    ],
)
def test_code_of(message: str, code: str) -> None:
    """Messages map to their codes; one that no rule knows is a cross-check."""
    assert codes.code_of(message).id == code


def test_json_carries_the_codes() -> None:
    """`--format json` gives each problem's code and name."""
    status, out, _ = run_cli("validate", "--format", "json", str(BAD[0].parent / "rating_no.yaml"))
    assert status == 1
    (entry,) = json.loads(out)["files"]
    assert {(p["code"], p["name"]) for p in entry["problems"]} == {("A201", "bad-grade")}


def test_github_annotations() -> None:
    """One ::error line per problem, at its line and column, titled by its code."""
    path = str(BAD[0].parent / "unknown_key.yaml")
    status, out, err = run_cli("validate", "--format", "github", path, "gone.yaml")
    assert (status, err) == (2, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"::error file={path},line=4,col=5,title=A102 missing-key::"
        "hypotheses[0]: missing required key 'statement'"
    )
    assert lines[-1] == "::error file=gone.yaml,title=A000 unreadable::no such file"
    assert len(lines) == 7


def test_github_escapes() -> None:
    """Workflow-command escapes: %, CR and LF in messages; also ':' and ',' in properties."""
    problem = Problem("50% wrong\r\nhere", file="a,b:c.yaml", line=1, column=2)
    (line,) = ci.github([("a,b:c.yaml", [problem], None)]).splitlines()
    assert (
        line
        == "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=A300 cross-check::50%25 wrong%0D%0Ahere"
    )


def test_sarif_log() -> None:
    """A SARIF 2.1.0 log: every code a rule; each problem a result at its place."""
    files = [str(BAD[0].parent / name) for name in ("rating_no.yaml", "unknown_key.yaml")]
    status, out, _ = run_cli("validate", "--format", "sarif", *files, "gone.yaml")
    assert status == 2
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == ci.SARIF_SCHEMA
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "assess"
    assert driver["version"] == assess.__version__
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["A000", *(c.id for c in codes.CODES)]
    results = run["results"]
    assert len(results) == 2 + 6 + 1
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error"
    first = results[0]
    assert first["ruleId"] == "A201"
    location = first["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 18, "startColumn": 11}
    assert location["artifactLocation"]["uri"].endswith("tests/data/bad/rating_no.yaml")
    assert results[-1]["ruleId"] == "A000"
    assert results[-1]["message"]["text"] == "no such file"


def test_sarif_uri_is_escaped() -> None:
    """File names become URI references: spaces and '#' escaped, slashes forward."""
    log = ci.sarif([("my case#1.yaml", [], "no such file")], version="0")
    (result,) = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20case%231.yaml"


def test_valid_files_give_no_annotations() -> None:
    """A valid file: no annotation lines, an empty SARIF result list, status 0."""
    status, out, _ = run_cli(
        "validate", "--format", "github", "assessments/russia-taliban-support.yaml"
    )
    assert (status, out) == (0, "")
    status, out, _ = run_cli(
        "validate", "--format", "sarif", "assessments/russia-taliban-support.yaml"
    )
    assert status == 0
    assert json.loads(out)["runs"][0]["results"] == []
