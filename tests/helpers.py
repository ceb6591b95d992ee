"""Helpers shared by the test modules."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import assess
from assess import cli


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
