"""Helpers shared by the test modules."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

import assess
from assess import cli

#: docs/methods.md, which the tests of its worked examples read.
PAGE = Path(__file__).resolve().parent.parent / "docs" / "methods.md"
#: The page as written.
SOURCE = PAGE.read_text(encoding="utf-8")
#: The page's mathematical signs, spelt in ASCII so that quotes of the page are plain text.
SIGNS = str.maketrans(
    {
        "\N{MINUS SIGN}": "-",
        "\N{GREEK SMALL LETTER RHO}": "rho",
        "\N{SCRIPT SMALL L}": "l",
        "\N{SQUARE ROOT}": "sqrt",
        "\N{MIDDLE DOT}": "*",
        "\N{MULTIPLICATION SIGN}": "x",
    }
)
#: The page with its signs in ASCII.
TEXT = SOURCE.translate(SIGNS)


def section(number: int, text: str = TEXT) -> str:
    """The text of one numbered section of the page (``text``), up to the next section."""
    match = re.search(rf"^## {number}\. .*?(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert match is not None, f"no section {number}"
    return match.group(0)


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table in ``text``: rows of stripped cells, the separator row left out."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r"-+", cell) for cell in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def shown(figure: str, value: float) -> bool:
    """Whether ``value``, rounded to as many decimals as ``figure`` shows, is ``figure``."""
    places = len(figure.split(".")[1]) if "." in figure else 0
    return math.isclose(round(value, places), float(figure), abs_tol=10**-places / 100)


def one_line(text: str) -> str:
    """``text`` with every run of white space, line breaks included, made one space."""
    return " ".join(text.split())


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; return its exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def items_assessment(
    rows: Sequence[tuple[str, str, int, Mapping[str, Any]]],
    *,
    hypotheses: int,
    analysts: tuple[str, ...] = (),
) -> assess.Assessment:
    """Items as (id, reliability, credibility, ratings), each from its own source; H1, H2..."""
    return assess.Assessment(
        id="case",
        title="t",
        analysts=analysts,
        hypotheses=[assess.Hypothesis(id=f"H{j + 1}", statement="s") for j in range(hypotheses)],
        sources=[
            assess.Source(id=f"s-{item}", name=item, reliability=grade)
            for item, grade, _, _ in rows
        ],
        evidence=[
            assess.Evidence(
                id=item,
                summary="s",
                kind="report",
                source=f"s-{item}",
                credibility=credibility,
                ratings=ratings,
            )
            for item, _, credibility, ratings in rows
        ],
    )


def page_example(*, uniform: bool = False) -> assess.Assessment:
    """
    docs/methods.md sections 15 and 16's example: E1 A1 CC/N/I, E2 C1 I/C/C, E3 A1 C/C/C.

    Each item has a source of its own; the priors are 0.5, 0.25, 0.25 unless ``uniform``.
    """
    a = items_assessment(
        [
            ("E1", "A", 1, {"H1": "CC", "H2": "N", "H3": "I"}),
            ("E2", "C", 1, {"H1": "I", "H2": "C", "H3": "C"}),
            ("E3", "A", 1, {"H1": "C", "H2": "C", "H3": "C"}),
        ],
        hypotheses=3,
    )
    if uniform:
        return a
    priors = (0.5, 0.25, 0.25)
    return attrs.evolve(
        a,
        hypotheses=[attrs.evolve(h, prior=p) for h, p in zip(a.hypotheses, priors, strict=True)],
    )


def utf8(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8 (hypothesis may draw a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
