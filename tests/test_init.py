"""`assess init`: a new assessment to start from, never written over (issue 17, item 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jsonschema
import pytest

import assess
from assess.io import scaffold, schema
from assess.io import yaml_reader as _yaml
from helpers import run_cli

if TYPE_CHECKING:
    from pathlib import Path

NAMES = ("assessment.yaml", "assessment.schema.json", "docs/council-notice.txt")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_writes_a_valid_commented_assessment(tmp_path: Path) -> None:
    """The three files are written, and the assessment loads, validates and scores as it is."""
    folder = tmp_path / "case"
    status, out, err = run_cli("init", str(folder))
    assert status == 0
    assert sorted(snapshot(folder)) == sorted(NAMES)
    assert err.splitlines() == [f"wrote {folder / name}" for name in NAMES]
    assert out == f"next: assess validate {folder / 'assessment.yaml'}\n"
    for name, text in scaffold.files().items():
        assert (folder / name).read_text(encoding="utf-8") == text
    case = assess.load(folder / "assessment.yaml", root=folder)
    assert [h.id for h in case.hypotheses] == ["H1", "H2"]
    assert case.evidence[0].quote is not None
    assert assess.score(case).ranking[0].id == "H1"
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./assessment.schema.json\n")
    assert text.count("\n# ") > 10  # commented for a newcomer
    node, _ = _yaml.compose(text)
    assert node is not None
    jsonschema.validate(node.plain(), schema.schema())
    assert (folder / "assessment.schema.json").read_text(encoding="utf-8") == schema.text()


def test_current_directory_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DIR the files go into the current directory."""
    monkeypatch.chdir(tmp_path)
    status, _, _ = run_cli("init")
    assert status == 0
    assert sorted(snapshot(tmp_path)) == sorted(NAMES)
    status, out, err = run_cli("validate", "assessment.yaml")
    assert (status, err) == (0, "")
    assert out.startswith("assessment.yaml: ok: 2 hypotheses, 1 evidence items")


@pytest.mark.parametrize("existing", NAMES)
def test_never_overwrites_without_force(tmp_path: Path, existing: str) -> None:
    """Any one file in the way: exit 2, it is named, and nothing at all is written."""
    target = tmp_path / existing
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    status, out, err = run_cli("init", str(tmp_path))
    assert (status, out) == (2, "")
    assert f"{target} exists; use --force to overwrite it" in err
    assert snapshot(tmp_path) == before


def test_force_overwrites(tmp_path: Path) -> None:
    """--force writes the files again over what is there."""
    run_cli("init", str(tmp_path))
    (tmp_path / "assessment.yaml").write_text("mine\n", encoding="utf-8")
    status, _, _ = run_cli("init", str(tmp_path), "--force")
    assert status == 0
    assert (tmp_path / "assessment.yaml").read_text(encoding="utf-8") == scaffold.files()[
        "assessment.yaml"
    ]


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    """DIR must be a folder (or not exist yet)."""
    plain = tmp_path / "plain"
    plain.write_text("x\n", encoding="utf-8")
    status, _, err = run_cli("init", str(plain))
    assert status == 2
    assert f"{plain}: not a directory" in err
    assert plain.read_text(encoding="utf-8") == "x\n"
