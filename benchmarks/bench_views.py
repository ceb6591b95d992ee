"""
The views beside the posteriors, and the timeline: what they add to an analysis.

Targets (issues 7 and 8), measured on the 10-hypothesis x 200-item assessment
of ``bench_sensitivity.py`` in one run:

- the subjective-logic opinions and the Dempster-Shafer view together add at
  most 20% to ``assess.analyse`` (10,000 Monte Carlo draws);
- ``assess.timeline`` over 20 dates costs at most 1.2x its steps' analyses
  run one by one (the replay adds no work of its own).

The Dempster-Shafer view's cost grows with the number of distinct focal sets,
up to 2 to the number of hypotheses; the script also prints it for 16
hypotheses, the most ``analyse`` computes it for, as a figure, not a target.

Run: ``python benchmarks/bench_views.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import datetime as dt

import attrs

import assess
from _timing import best
from assess.evidence_theory import dempster_shafer
from assess.opinions import opinions
from bench_sensitivity import assessment

DATES = 20


def dated(base: assess.Assessment) -> assess.Assessment:
    """The assessment with its items spread over DATES dates, ten items undated."""
    start = dt.date(2020, 1, 1)
    evidence = [
        attrs.evolve(e, date=None if i < 10 else start + dt.timedelta(days=i % DATES))
        for i, e in enumerate(base.evidence)
    ]
    return attrs.evolve(base, evidence=evidence)


def main() -> None:
    """Time the views and the replay, and print the ratios against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    a = assessment()
    scores = assess.score(a)
    analyse = best(lambda: assess.analyse(a), args.repeat)
    views = best(lambda: (opinions(scores), dempster_shafer(scores)), args.repeat)
    share = views / analyse
    print(f"input: {len(a.hypotheses)} hypotheses x {len(a.evidence)} items, 10,000 draws")
    print(f"analyse: {analyse:.3f} s; opinions + Dempster-Shafer: {views:.4f} s")
    verdict = "PASS" if share <= 0.2 else "FAIL"
    print(f"views add {share:.1%} to analyse (target: at most 20%) {verdict}")

    b = dated(a)
    replay = assess.timeline(b)
    steps = [
        attrs.evolve(b, evidence=[e for e in b.evidence if e.date is None or e.date <= s.date])
        if s.date is not None
        else attrs.evolve(b, evidence=[e for e in b.evidence if e.date is None])
        for s in replay.steps
    ]
    one_by_one = best(lambda: [assess.analyse(step) for step in steps], 1)
    timeline = best(lambda: assess.timeline(b), 1)
    ratio = timeline / one_by_one
    verdict = "PASS" if ratio <= 1.2 else "FAIL"
    print(f"timeline: {len(replay.steps)} steps in {timeline:.3f} s;", end=" ")
    print(f"the same analyses one by one {one_by_one:.3f} s; ratio {ratio:.2f}", end=" ")
    print(f"(target: at most 1.2) {verdict}")

    wide = assessment(items=200, hypotheses=16)
    wide_scores = assess.score(wide)
    seconds = best(lambda: dempster_shafer(wide_scores), 1)
    print(f"Dempster-Shafer, 16 hypotheses x 200 items: {seconds:.3f} s (a figure, no target)")


if __name__ == "__main__":
    main()
