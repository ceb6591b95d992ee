"""
Peer benchmark: ``assess.score`` against Open Synthesis's ACH metrics in plain Python.

Open Synthesis (github twschiller/open-synthesis, ``openach/metrics.py``) is
the most complete open ACH tool that scores a matrix.  Its published formulas,
restated from ``../shared/reference/peer-tools-research.md`` section (b) and
re-implemented here in plain Python, as that project computes them (no code of
it is copied):

- votes are 0 (NA) to 5 (very consistent), 3 neutral; a cell's mean counts NA
  as neutral;
- inconsistency(h) sums (3 - mean)^2 over cells below neutral, consistency(h)
  (mean - 3)^2 over cells above it;
- diagnosticity(e) is the population standard deviation of the item's cell
  means;
- the consensus shown in a cell is NA when NA votes outnumber ratings, else
  the rounded mean of the ratings;
- hypotheses are ordered by (inconsistency, -consistency, share of NA
  consensus), evidence by (-diagnosticity, share of NA consensus).

``assess.score`` computes all of that's equivalents and more (weights from
source grades, lines of reporting, tempering, posteriors, warnings), through
the public API from an ``assess.Assessment``.  Both score the same random
single-analyst matrices in this run.  ``Scores`` builds its per-item and
per-line records and the assessment's digest on first read; the script also
times a score whose every record and digest are read, so that cost is printed
beside the ratio, not hidden.

Targets (issue 20): ``assess.score`` at least 30x faster than the peer at
10 hypotheses x 200 items, and at least 100x at 100 x 10,000.

Run: ``python benchmarks/bench_peer.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
from typing import TYPE_CHECKING

import attrs

import assess
from _timing import interleaved

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Open Synthesis's votes and the ratings of assess that mean the same.
NEUTRAL = 3
RATING_OF_VOTE = {0: "NA", 1: "II", 2: "I", 3: "N", 4: "C", 5: "CC"}
#: The cases, the speed-up each must reach, and how many runs each takes the best of
#: (a small case's runs take milliseconds, so it takes the best of many: one
#: scheduler hiccup would otherwise decide the ratio).
CASES = ((10, 200, 30.0, 50), (100, 10_000, 100.0, 3))
#: Runs of assess.score per run of the peer in each round of ``interleaved``.
OURS_PER_PEER = 3


def votes(hypotheses: int, items: int, seed: int = 0) -> list[list[int]]:
    """One analyst's vote per cell, items x hypotheses, an eighth of them NA."""
    rng = random.Random(seed)
    return [
        [0 if rng.random() < 0.125 else rng.randint(1, 5) for _ in range(hypotheses)]
        for _ in range(items)
    ]


def peer_metrics(matrix: list[list[list[int]]]) -> tuple[list[int], list[int]]:
    """
    Open Synthesis's scores of a matrix of vote lists, as its metrics compute them.

    Returns the hypotheses' order and the evidence's order, as its board shows them.
    """
    items, hypotheses = len(matrix), len(matrix[0])

    def mean_na_neutral(cell: list[int]) -> float:
        return statistics.mean(v or NEUTRAL for v in cell)  # NA (0) counts as neutral

    def consensus(cell: list[int]) -> int:
        rated = [v for v in cell if v]
        if len(cell) - len(rated) > len(rated):
            return 0
        return round(statistics.mean(rated))

    means = [[mean_na_neutral(matrix[e][h]) for h in range(hypotheses)] for e in range(items)]
    na = [[consensus(matrix[e][h]) == 0 for h in range(hypotheses)] for e in range(items)]
    inconsistency = [
        sum((NEUTRAL - means[e][h]) ** 2 for e in range(items) if means[e][h] < NEUTRAL)
        for h in range(hypotheses)
    ]
    consistency = [
        sum((means[e][h] - NEUTRAL) ** 2 for e in range(items) if means[e][h] > NEUTRAL)
        for h in range(hypotheses)
    ]
    share_na = [sum(na[e][h] for e in range(items)) / items for h in range(hypotheses)]
    diagnosticity = [statistics.pstdev(row) for row in means]
    item_na = [sum(row) / hypotheses for row in na]
    hypothesis_order = sorted(
        range(hypotheses), key=lambda h: (inconsistency[h], -consistency[h], share_na[h])
    )
    evidence_order = sorted(range(items), key=lambda e: (-diagnosticity[e], item_na[e]))
    return hypothesis_order, evidence_order


def assessment(grid: list[list[int]]) -> assess.Assessment:
    """The same matrix as an assessment: one source, every item a report from it."""
    hypotheses = [
        assess.Hypothesis(id=f"H{h}", statement=f"Hypothesis {h}.") for h in range(len(grid[0]))
    ]
    evidence = [
        assess.Evidence(
            id=f"E{e}",
            summary=f"Item {e}.",
            kind="report",
            source="s",
            credibility=2,
            ratings={f"H{h}": RATING_OF_VOTE[v] for h, v in enumerate(row)},
        )
        for e, row in enumerate(grid)
    ]
    return assess.Assessment(
        id="peer",
        title="Peer benchmark",
        hypotheses=hypotheses,
        sources=[assess.Source(id="s", name="Source", reliability="B")],
        evidence=evidence,
    )


def score_next(cases: Iterator[assess.Assessment]) -> assess.Scores:
    """Score the next of ``cases``."""
    return assess.score(next(cases))


def score_and_read(cases: Iterator[assess.Assessment]) -> tuple[object, ...]:
    """Score the next of ``cases`` and read what is built on first read."""
    scores = assess.score(next(cases))
    return scores.evidence, scores.lines, scores.digest


def main() -> None:
    """Time both on each case and print the speed-ups against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=None, help="rounds per case (default: 50, 3)")
    args = parser.parse_args()
    for hypotheses, items, target, runs in CASES:
        repeat = args.repeat or runs
        grid = votes(hypotheses, items)
        matrix = [[[v] for v in row] for row in grid]
        case = assessment(grid)
        # A digest is remembered per object, so each timed call scores a fresh
        # copy, made beforehand: every run pays what scoring a new file pays.
        fresh = iter([attrs.evolve(case) for _ in range(repeat * OURS_PER_PEER)])
        read = iter([attrs.evolve(case) for _ in range(repeat * OURS_PER_PEER)])
        # In turns: one peer run (tens of milliseconds), then a few of ours
        # (about one millisecond each), so that both sample the same spells.
        peer, ours, everything = interleaved(
            (
                functools.partial(peer_metrics, matrix),
                functools.partial(score_next, fresh),
                functools.partial(score_and_read, read),
            ),
            repeat,
            (1, OURS_PER_PEER, OURS_PER_PEER),
        )
        speedup = peer / ours
        verdict = "PASS" if speedup >= target else "FAIL"
        print(f"{hypotheses} hypotheses x {items:,} items")
        print(f"  Open Synthesis metrics, plain Python: {peer:.4f} s")
        print(f"  assess.score:                         {ours:.4f} s")
        print(
            f"  assess.score, every record and digest read: {everything:.4f} s"
            f" ({peer / everything:.1f}x)"
        )
        print(f"  speed-up: {speedup:.1f}x (target: at least {target:g}x) {verdict}")


if __name__ == "__main__":
    main()
