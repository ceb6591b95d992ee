"""Notebook displays, shown by a real kernel running examples/notebook.ipynb (issue 17)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from assess.model import display as _display

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"
STATEMENT = "The Russian state supplies weapons or money to the Taliban"


@pytest.fixture(scope="module")
def executed() -> Any:
    """The example notebook, run top to bottom in a fresh kernel from its own folder."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    return notebook


def displayed(cell: Any) -> dict[str, str]:
    """The rich data a code cell's result shows: format -> text."""
    (result,) = [out for out in cell.outputs if out.output_type == "execute_result"]
    return dict(result.data)


def test_stored_without_outputs() -> None:
    """The notebook is kept in the repository without outputs: the test makes them."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize(
    ("cell", "shows"),
    [
        (1, ["Has the Russian state supplied weapons", "Confidence in this judgement is"]),
        (2, ["H1 (state supply) is the leading hypothesis", "| Item | dB |"]),
        (3, ["Stability", "| yes | H1 (state supply) |"]),
        (4, ["the evidence date by date", "| undated |"]),
        (5, ["old \N{RIGHTWARDS ARROW} new", "Before", "After"]),
        (6, ["Calibration over 8 resolved assessments", "mh17-2014"]),
    ],
)
def test_each_object_shows_itself(executed: Any, cell: int, shows: list[str]) -> None:
    """Assessment, Scores, Analysis, Timeline, Diff and Calibration each show HTML and Markdown."""
    data = displayed(executed.cells[cell])
    assert {"text/html", "text/markdown", "text/plain"} <= set(data)
    for text in shows:
        assert text in data["text/markdown"], text
    assert data["text/html"].startswith('<div class="assess-notebook">')
    if cell != 6:  # the hypotheses appear with their statements, not as bare ids
        assert STATEMENT in data["text/markdown"]
        assert STATEMENT in data["text/html"]


def test_reprs(executed: Any) -> None:
    """The plain repr says what the object is in one line."""
    lines = ast.literal_eval(displayed(executed.cells[7])["text/plain"])
    assert lines[0] == (
        "Assessment('russia-taliban-support', 'Is Russia materially supporting the Afghan"
        " Taliban?', 3 hypotheses, 40 sources, 42 items)"
    )
    assert lines[1].startswith("Scores('russia-taliban-support', leader H1 0.486, 3 hypotheses")
    assert lines[2].startswith("Analysis('russia-taliban-support', leader H1 0.486, confidence")


def test_unregistered_class_falls_back_to_repr() -> None:
    """An object without a renderer shows its repr, escaped."""

    class Plain:
        def __repr__(self) -> str:
            return "<plain & simple>"

    assert _display.show(Plain(), "html") == "<pre>&lt;plain &amp; simple&gt;</pre>"
