"""
Value-of-information benchmark: ranking pending indicators against scoring once.

Target (issue 14): ranking 1,000 pending indicators on a 10-hypothesis x
1,000-line assessment takes at most 20x one ``assess.score`` of the same
assessment, measured in the same run.  Each indicator's two outcomes are a
rank-one update of the current posterior, not a re-score; the script also
times the re-scoring way on a sample of indicators (each outcome written into
the file and the whole assessment scored again), scaled to all of them, to
show what the update saves.

``collect(a, scores=s)`` is the ranking alone, given the scores;
``collect(a)`` scores first, so it costs one score more.  Both ratios print.

Run: ``python benchmarks/bench_collect.py [--indicators N] [--items N] [--sample N]``
"""

from __future__ import annotations

import argparse
import random

import attrs

import assess
from _timing import best, interleaved
from assess.methods.collection import collect

LADDER = ["CC", "C", "N", "I", "II"]


def assessment(
    items: int, indicators: int, hypotheses: int = 10, seed: int = 0
) -> assess.Assessment:
    """A random valid assessment: every item its own line, sources shared, indicators pending."""
    rng = random.Random(seed)
    h_ids = [f"H{j}" for j in range(hypotheses)]
    sources = [
        assess.Source(id=f"s{i}", name=f"Source {i}", reliability=rng.choice("ABCDEF"))
        for i in range(50)
    ]
    evidence = [
        assess.Evidence(
            id=f"E{i}",
            summary="s",
            kind="report",
            source=rng.choice(sources).id,
            credibility=rng.randint(1, 6),
            ratings={h: rng.choice(LADDER) for h in h_ids},
        )
        for i in range(items)
    ]
    watch = [
        assess.Indicator(
            id=f"K{k}",
            description="d",
            expected={h: rng.choice(LADDER) for h in h_ids},
            reliability=rng.choice("ABCDEF"),
            credibility=rng.randint(1, 6),
            detection=rng.choice([None, 0.2, 0.5, 0.9]),
        )
        for k in range(indicators)
    ]
    return assess.Assessment(
        id="bench",
        title="Collect benchmark",
        hypotheses=[assess.Hypothesis(id=h, statement=h) for h in h_ids],
        sources=sources,
        evidence=evidence,
        indicators=watch,
    )


def main() -> None:
    """Print the timings and the ratios against one score."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=1_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=10, help="indicators re-scored the slow way")
    args = parser.parse_args()
    a = assessment(args.items, args.indicators)
    scores = assess.score(a)
    # The three in turns, round after round, so that a slow spell of the machine falls on all.
    one_score, ranking, whole = interleaved(
        [lambda: assess.score(a), lambda: collect(a, scores=scores), lambda: collect(a)], 5
    )

    def rescore() -> None:
        # The slow way: each outcome of each sampled indicator written in and re-scored.
        for indicator in a.indicators[: args.sample]:
            for status in ("observed", "absent"):
                changed = attrs.evolve(indicator, status=status)
                rest = tuple(i for i in a.indicators if i.id != indicator.id)
                assess.score(attrs.evolve(a, indicators=(*rest, changed)))

    sampled = best(rescore, 1)
    scaled = sampled / args.sample * args.indicators
    print(
        f"{args.indicators} pending indicators, 10 hypotheses x {args.items} lines (one item each)"
    )
    print(f"one assess.score:                 {one_score * 1e3:9.1f} ms")
    for label, seconds in (
        ("collect, given the scores:", ranking),
        ("collect, scoring first:", whole),
    ):
        print(f"{label:<33} {seconds * 1e3:9.1f} ms  ({seconds / one_score:.2f}x one score)")
    print(
        f"re-scoring each outcome instead:  {scaled:9.1f} s   (from {args.sample} indicators;"
        f" {scaled / ranking:,.0f}x the ranking)"
    )
    target = 20.0
    verdict = "meets" if whole / one_score <= target else "misses"
    print(
        f"target: collect at most {target:g}x one score -> {verdict} it ({whole / one_score:.2f}x)"
    )


if __name__ == "__main__":
    main()
