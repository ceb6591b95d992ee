"""The JSON Schema of the file format: current, complete, and true to the loader (issue 17)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

import assess
from assess.io import schema
from assess.io import yaml_reader as _yaml
from assess.io.dump import dump
from assess.model import Credibility, Kind, Rating, Reliability
from helpers import run_cli
from strategies import assessments

ROOT = Path(__file__).resolve().parent.parent
VALIDATOR = jsonschema.Draft7Validator(schema.schema())

#: Fixtures refused for their structure: a wrong type, an unknown or missing key, a bad grade.
STRUCTURAL = (
    "wrong_types",
    "wrong_grades",
    "unknown_key",
    "unknown_top_level_key",
    "missing_required_key",
    "missing_top_level_keys",
    "section_not_a_list",
    "items_not_mappings",
    "rating_no",
    "rating_formula",
    "team_cell_bad_rating",
    "interested_yes",
    "outcome_wrong_types",
    "outcome_not_a_mapping",
    "outcome_unknown_key",
    "scoring_fields_wrong_types",
    "prior_not_a_number",
    "top_level_list",
    "top_level_scalar",
    "invalid_assessment_id",
    "judgement_not_mappings",
)

MINIMAL = "assessment: a\ntitle: t\nhypotheses: [{id: H1, statement: s}, {id: H2, statement: t}]\n"


def data_of(text: str) -> Any:
    """A file's data as the YAML language server sees it: YAML 1.2, dates as text."""
    node, flaws = _yaml.compose(text)
    assert node is not None, flaws
    return node.plain()


def errors(text: str) -> list[str]:
    """The schema's complaints about a file, as messages."""
    return [error.message for error in VALIDATOR.iter_errors(data_of(text))]


def test_shipped_schema_is_current() -> None:
    """The shipped schema is what the model and docs/format.md generate (regenerate if not)."""
    markdown = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    fresh = schema.render(schema.generate(schema.meanings(markdown)))
    assert fresh == schema.text(), (
        "stale: run `python -m assess.io.schema` from the repository root"
    )


def test_draft_07_and_well_formed() -> None:
    """The schema says it is draft-07 and is a valid draft-07 schema."""
    data = schema.schema()
    assert data["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(data)


def test_every_key_is_described() -> None:
    """Every key of every model class has its meaning from docs/format.md."""
    data = schema.schema()
    objects = {"Assessment": data, **data["definitions"]}
    for name, definition in objects.items():
        assert definition["description"], name
        for key, field in definition["properties"].items():
            assert field.get("description"), f"{name}.{key}"


DASH = "\N{EM DASH}"


@pytest.mark.parametrize(
    ("pointer", "value", "label"),
    [
        (("Source", "reliability"), "B", f"B {DASH} usually reliable"),
        (("Evidence", "credibility"), 2, f"2 {DASH} probably true"),
        (("Evidence", "kind"), "denial", f"denial {DASH} a party"),
        (("Evidence", "relevance"), "high", f"high {DASH} bears"),
        (("Indicator", "status"), "absent", f"absent {DASH} looked"),
    ],
)
def test_grades_carry_their_labels(pointer: tuple[str, ...], value: object, label: str) -> None:
    """Each enumerated value is a const with its label, so that a hover explains it."""
    definition, key = pointer
    node = schema.schema()["definitions"][definition]["properties"][key]
    (entry,) = [option for option in node["oneOf"] if option["const"] == value]
    assert entry["description"].startswith(label)


def test_every_grade_is_listed() -> None:
    """The enumerations are the model's: every rating, grade and kind, nothing else."""
    definitions = schema.schema()["definitions"]
    kinds = [o["const"] for o in definitions["Evidence"]["properties"]["kind"]["oneOf"]]
    assert kinds == [k.value for k in Kind]
    grades = [o["const"] for o in definitions["Source"]["properties"]["reliability"]["oneOf"]]
    assert grades == [r.value for r in Reliability]
    numerals = [o["const"] for o in definitions["Evidence"]["properties"]["credibility"]["oneOf"]]
    assert numerals == [c.value for c in Credibility]
    expected = definitions["Indicator"]["properties"]["expected"]["additionalProperties"]
    assert [o["const"] for o in expected["oneOf"]] == [r.value for r in Rating]
    likelihoods = definitions["Scoring"]["properties"]["likelihoods"]["propertyNames"]["enum"]
    assert likelihoods == [r.value for r in Rating if r is not Rating.NA]


def repository_files() -> list[Path]:
    """The repository's assessment files: the worked case, the resolved ones, test data."""
    found = [
        path
        for folder in ("assessments", "examples", "tests/data")
        for path in sorted((ROOT / folder).rglob("*.yaml"))
        if "bad" not in path.parts
    ]
    assert found
    return found


@pytest.mark.parametrize("path", repository_files(), ids=lambda p: p.name)
def test_repository_files_validate(path: Path) -> None:
    """Every file in the repository that loads is valid against the schema."""
    try:
        assess.load(path, root=ROOT)
    except assess.AssessError:
        pytest.skip("not a valid assessment")
    assert errors(path.read_text(encoding="utf-8")) == []


def documented_examples() -> list[str]:
    """The YAML blocks of the docs that are whole assessments."""
    blocks = [
        block
        for page in sorted((ROOT / "docs").glob("*.md"))
        for block in re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
        if block.startswith(("assessment:", "# yaml-language-server"))
    ]
    assert blocks
    return blocks


@pytest.mark.parametrize("block", documented_examples())
def test_documented_examples_validate(block: str) -> None:
    """The docs' whole assessments are valid against the schema."""
    assert errors(block) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_canonical_dumps_validate(assessment: assess.Assessment) -> None:
    """Whatever dump writes, the schema accepts: it covers every field the model has."""
    assert errors(dump(assessment)) == []


@pytest.mark.parametrize("name", STRUCTURAL)
def test_structurally_bad_fixtures_fail(name: str) -> None:
    """The fixtures refused for their structure are refused by the schema too."""
    text = (ROOT / "tests" / "data" / "bad" / f"{name}.yaml").read_text(encoding="utf-8")
    assert errors(text)


@pytest.mark.parametrize(
    ("addition", "complaint"),
    [
        ("colour: red\n", "Additional properties are not allowed ('colour' was unexpected)"),
        ("scoring: {draws: many}\n", "'many' is not of type 'integer'"),
        ("scoring: {dependence: {same_souce: 0.2}}\n", "'same_souce' was unexpected"),
        ("scoring: {likelihoods: {NA: 0.5}}\n", "'NA' is not one of"),
        ("scoring: {reliability_values: {G: 0.5}}\n", "'G' is not one of"),
        ("as_of: 10/03/2024\n", "is not valid under any of the given schemas"),
        ("analysts: alice\n", "'alice' is not of type 'array'"),
        ("judgement: {alice: {H1: high}}\n", "'high' is not of type 'number'"),
    ],
)
def test_structural_mistakes_are_named(addition: str, complaint: str) -> None:
    """Unknown keys, wrong types and bad grades anywhere in the file fail with a message."""
    assert errors(MINIMAL) == []
    found = errors(MINIMAL + addition)
    assert any(complaint in message for message in found), found


def test_null_only_where_the_default_is_none() -> None:
    """`question:` may be empty (its default is none); `sources:` may not (it is a list)."""
    assert errors(MINIMAL + "question:\n") == []
    assert errors(MINIMAL + "sources:\n")


def test_schema_command_prints_the_shipped_schema() -> None:
    """`assess schema` prints the shipped JSON, exit status 0."""
    status, out, err = run_cli("schema")
    assert (status, err) == (0, "")
    assert out == schema.text()
    assert json.loads(out)["title"] == "assess assessment file"


def test_modeline_is_a_comment() -> None:
    """The editor's modeline is a YAML comment: the loader ignores it."""
    case = assess.loads("# yaml-language-server: $schema=./assessment.schema.json\n" + MINIMAL)
    assert case == attrs.evolve(assess.loads(MINIMAL))
