"""
Monte Carlo benchmark: vectorised draws against re-scoring one draw at a time.

Target (issue 4): 10,000 draws on a 10-hypothesis x 200-item assessment
finish in at most 1 s on this two-core machine, and at least 30x faster than
calling ``assess.score`` once per perturbed assessment (timed on a sample of
draws and scaled to the full count, in the same run).

Run: ``python benchmarks/bench_sensitivity.py [--draws N] [--sample N]``
"""

from __future__ import annotations

import argparse
import random
import time

import attrs

import assess
from assess.sensitivity import monte_carlo

LADDER = ["CC", "C", "N", "I", "II"]
LETTERS = "ABCDE"


def assessment(items: int = 200, hypotheses: int = 10, seed: int = 0) -> assess.Assessment:
    """A random but valid assessment of the benchmark's size."""
    rng = random.Random(seed)
    h_ids = [f"H{j}" for j in range(hypotheses)]
    sources = [
        assess.Source(id=f"s{i}", name=f"Source {i}", reliability=rng.choice("ABCDEF"))
        for i in range(20)
    ]
    evidence = []
    for i in range(items):
        derived = [f"E{i - 1}"] if i and rng.random() < 0.1 else []
        evidence.append(
            assess.Evidence(
                id=f"E{i}",
                summary="s",
                kind="report",
                source=rng.choice(sources).id,
                credibility=rng.randint(1, 6),
                relevance=rng.choice(["low", "medium", "high"]),
                derived_from=derived,
                ratings={h: rng.choice([*LADDER, "NA"]) for h in h_ids},
            )
        )
    return assess.Assessment(
        id="benchmark",
        title="t",
        hypotheses=[assess.Hypothesis(id=h, statement=h) for h in h_ids],
        sources=sources,
        evidence=evidence,
    )


def _move(options: str | list[str], value: str, rng: random.Random, p: float) -> str:
    u = rng.random()
    index = options.index(value)
    if u < p / 2:
        index = max(index - 1, 0)
    elif u >= 1 - p / 2:
        index = min(index + 1, len(options) - 1)
    return options[index]


def perturbed(a: assess.Assessment, rng: random.Random, p: float = 0.2) -> assess.Assessment:
    """One draw as a whole new assessment: the slow way the vectorised code replaces."""
    sources = [
        s
        if s.reliability == "F"
        else attrs.evolve(s, id=f"{s.id}-{e.id}", reliability=_move(LETTERS, s.reliability, rng, p))
        for e in a.evidence
        for s in [a.source(e.source)]
    ]
    evidence = []
    for e, s in zip(a.evidence, sources, strict=True):
        credibility = int(e.credibility)
        if credibility != 6:
            credibility = int(_move("12345", str(credibility), rng, p))
        ratings = {
            h: r if r == "NA" else _move(LADDER, str(r), rng, p) for h, r in e.ratings.items()
        }
        evidence.append(attrs.evolve(e, source=s.id, credibility=credibility, ratings=ratings))
    unique = {s.id: s for s in sources}
    return attrs.evolve(a, sources=list(unique.values()), evidence=evidence)


def main() -> None:
    """Time both ways and print the figures against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    a = assessment()
    scores = assess.score(a)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        monte_carlo(scores, draws=args.draws, seed=0)
        best = min(best, time.perf_counter() - start)

    rng = random.Random(0)
    drawn = [perturbed(a, rng) for _ in range(args.sample)]
    start = time.perf_counter()
    for one in drawn:
        assess.score(one)
    per_call = (time.perf_counter() - start) / args.sample
    naive = per_call * args.draws
    speedup = naive / best
    print(f"input: {len(a.hypotheses)} hypotheses x {len(a.evidence)} items, {args.draws:,} draws")
    verdict = "PASS" if best <= 1 else "FAIL"
    print(f"monte_carlo:               {best:.3f} s (target: at most 1 s) {verdict}")
    print(f"assess.score per draw:     {per_call * 1000:.2f} ms x {args.draws:,} = {naive:.1f} s")
    print(f"speed-up: {speedup:.0f}x (target: at least 30x) {'PASS' if speedup >= 30 else 'FAIL'}")


if __name__ == "__main__":
    main()
