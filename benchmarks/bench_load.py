"""
Loading benchmark: ``assess.loads`` against a bare ``yaml.load`` of the same text.

Target (issue 2): loading and validating a generated assessment of 10,000
evidence items and 20 hypotheses takes at most 3x the time of
``yaml.load(text, Loader=yaml.CSafeLoader)``.  Both are timed in this one run,
on this machine, in turns (the best of several rounds), and the script
prints the ratio.

Both build many Python objects, so the cyclic garbage collector's pauses
weigh on each according to everything alive in the process.  The ratio is
printed with the collector on for both and off for both (issue 20: with it
on for both, PyYAML paid for collections that the comparison then credited
to ``assess``); the target holds for each.

Run: ``python benchmarks/bench_load.py [--items N] [--hypotheses N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import random

import yaml

import assess
from _timing import interleaved

RATINGS = ["CC", "C", "N", "I", "II", "NA"]
KINDS = ["physical", "testimony", "statement", "denial", "report", "analysis"]


def generate(items: int, hypotheses: int, seed: int = 0) -> str:
    """A valid assessment as YAML text, written the way a person would."""
    rng = random.Random(seed)
    sources = 200
    lines = [
        "assessment: benchmark",
        "title: Generated assessment for the loading benchmark",
        "as_of: 2020-01-01",
        "hypotheses:",
    ]
    lines += [f"  - id: H{h}\n    statement: Hypothesis number {h}." for h in range(hypotheses)]
    lines.append("sources:")
    lines += [
        f"  - id: s{s}\n    name: Source {s}\n    reliability: {'ABCDEF'[s % 6]}"
        for s in range(sources)
    ]
    lines.append("evidence:")
    for e in range(items):
        ratings = ", ".join(f"H{h}: {rng.choice(RATINGS)}" for h in range(hypotheses))
        derived = f"\n    derived_from: [E{e - 1}]" if e and rng.random() < 0.1 else ""
        lines.append(
            f"  - id: E{e}\n"
            f"    summary: Item {e} says something about the question at hand.\n"
            f"    kind: {rng.choice(KINDS)}\n"
            f"    source: s{rng.randrange(sources)}\n"
            f"    credibility: {rng.randint(1, 6)}\n"
            f"    relevance: {rng.choice(['low', 'medium', 'high'])}\n"
            f"    date: 2019-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}{derived}\n"
            f"    ratings: {{{ratings}}}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Time both loaders and print the ratio against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--hypotheses", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    text = generate(args.items, args.hypotheses)
    loaded = assess.loads(text)  # also proves the generated file is valid
    assert len(loaded.evidence) == args.items  # noqa: S101 -- a benchmark of the wrong input is void

    print(f"input: {args.items} evidence items, {args.hypotheses} hypotheses, {len(text):,} bytes")
    for collect, setting in ((True, "on"), (False, "off")):
        # In turns, round after round, so that a slow spell of the machine falls on both.
        baseline, ours = interleaved(
            [lambda: yaml.load(text, Loader=yaml.CSafeLoader), lambda: assess.loads(text)],
            args.repeat,
            collect=collect,
        )
        ratio = ours / baseline
        verdict = "PASS" if ratio <= 3.0 else "FAIL"
        print(f"garbage collector {setting} for both:")
        print(f"  yaml.load (CSafeLoader): {baseline:.3f} s")
        print(f"  assess.loads:            {ours:.3f} s")
        print(f"  ratio: {ratio:.2f} (target: at most 3.00) {verdict}")


if __name__ == "__main__":
    main()
