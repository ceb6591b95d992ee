"""
What if one rating were different?  Compare the conclusions before and after.

A rating is a judgement, and a colleague may well argue for the neighbouring
one.  Before an analyst defends a conclusion, it is worth knowing whether it
survives that argument: this script loads the worked assessment, changes one
rating of one item in memory (the file is not touched), analyses both
versions and prints the posteriors, the leading hypothesis, the confidence
level and the linchpins side by side.

By default it changes the most diagnostic item's rating against the leading
hypothesis to the other side of neutral (C or CC becomes I; I or II becomes
C; N or NA becomes I).  Name the change to make with ``--item``,
``--hypothesis`` and ``--rating``.

Run it from the repository root::

    python examples/what_if.py
    python examples/what_if.py --item E7 --hypothesis H1 --rating CC
"""

# ruff: noqa: INP001 -- a script run from the repository root, not a package

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import attrs

import assess

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.analysis import Analysis

FILE = "assessments/russia-taliban-support.yaml"

#: The rating on the other side of neutral, for the default change.
OPPOSITE = {
    assess.Rating.CC: assess.Rating.I,
    assess.Rating.C: assess.Rating.I,
    assess.Rating.N: assess.Rating.I,
    assess.Rating.NA: assess.Rating.I,
    assess.Rating.I: assess.Rating.C,
    assess.Rating.II: assess.Rating.C,
}


class WhatIfError(Exception):
    """The change asked for cannot be made (an unknown id, a cell rated by several analysts)."""


@attrs.frozen
class Change:
    """One rating of one item, and what it becomes."""

    item: str
    hypothesis: str
    old: assess.Rating
    new: assess.Rating


def default_change(assessment: assess.Assessment, analysis: Analysis) -> Change:
    """The most diagnostic item's single rating against the leader, moved across neutral."""
    leader = analysis.scores.ranking[0].id
    by_weight = sorted(analysis.scores.evidence, key=lambda e: -e.diagnosticity)
    for record in by_weight:
        cell = assessment.item(record.id).cell(leader)
        if isinstance(cell, assess.Rating):  # not a cell rated by several analysts
            return Change(record.id, leader, cell, OPPOSITE[cell])
    raise WhatIfError(f"no item has a single rating against {leader} to change")


def chosen_change(assessment: assess.Assessment, item: str, hypothesis: str, rating: str) -> Change:
    """The change named on the command line, checked against the assessment."""
    try:
        evidence = assessment.item(item)
        assessment.hypothesis(hypothesis)
    except KeyError as error:
        raise WhatIfError(str(error.args[0])) from None
    cell = evidence.cell(hypothesis)
    if not isinstance(cell, assess.Rating):
        raise WhatIfError(f"{item} is rated against {hypothesis} by several analysts")
    return Change(item, hypothesis, cell, assess.Rating(rating))


def apply(assessment: assess.Assessment, change: Change) -> assess.Assessment:
    """A copy of the assessment with the one rating changed (every check runs again)."""
    item = assessment.item(change.item)
    changed = attrs.evolve(item, ratings={**item.ratings, change.hypothesis: change.new})
    evidence = [changed if e.id == change.item else e for e in assessment.evidence]
    return attrs.evolve(assessment, evidence=evidence)


def _stability(analysis: Analysis) -> str:
    """The share of the Monte Carlo draws in which the leader leads."""
    return f"{analysis.confidence.stability:.1%}"


def _linchpins(analysis: Analysis) -> str:
    pins = ["+".join(p.members) for p in analysis.linchpins if p.leader_changes]
    return ", ".join(pins) or "none"


def compare(before: Analysis, after: Analysis) -> list[tuple[str, str, str]]:
    """The rows of the comparison table: what, before, after."""
    rows = [("", "before", "after")]
    for record in before.scores.ranking:
        old, new = record.posterior, after.scores.hypothesis(record.id).posterior
        rows.append(
            (
                f"{record.id} posterior",
                f"{old:.3f} {assess.estimative_term(old)}",
                f"{new:.3f} {assess.estimative_term(new)}",
            )
        )
    rows += [
        ("leader", before.scores.ranking[0].id, after.scores.ranking[0].id),
        ("leader's stability", _stability(before), _stability(after)),
        ("confidence", before.confidence.level, after.confidence.level),
        ("linchpins", _linchpins(before), _linchpins(after)),
    ]
    return rows


def table(rows: list[tuple[str, str, str]]) -> str:
    """Rows as left-aligned columns two spaces apart."""
    widths = [max(len(row[k]) for row in rows) for k in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Change one rating and compare the conclusions before and after."
    )
    parser.add_argument("--file", default=FILE, help=f"the assessment (default: {FILE})")
    parser.add_argument("--item", help="the evidence item whose rating changes")
    parser.add_argument("--hypothesis", help="the hypothesis the rating is against")
    parser.add_argument("--rating", choices=[r.value for r in assess.Rating], help="the new rating")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison; return the exit status (0 done, 1 bad input, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    named = (args.item, args.hypothesis, args.rating)
    if any(value is not None for value in named) and None in named:
        parser.error("give --item, --hypothesis and --rating together, or none of them")
    try:
        assessment = assess.load(args.file)
    except assess.ReadError as error:
        sys.stderr.write(f"what_if: error: {error}\n")
        return 2
    except assess.InputError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    before = assess.analyse(assessment)
    try:
        change = (
            default_change(assessment, before)
            if args.item is None
            else chosen_change(assessment, args.item, args.hypothesis, args.rating)
        )
    except WhatIfError as error:
        sys.stderr.write(f"what_if: error: {error}\n")
        return 2
    after = assess.analyse(apply(assessment, change))
    summary = assessment.item(change.item).summary
    sys.stdout.write(
        f"{assessment.title}\n"
        f"What if {change.item} were rated {change.new} against {change.hypothesis}"
        f" instead of {change.old}?\n"
        f"{change.item}: {summary}\n\n"
    )
    sys.stdout.write(table(compare(before, after)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
