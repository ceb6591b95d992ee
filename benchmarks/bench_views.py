"""
The views beside the posteriors, and the timeline: what they add to an analysis.

Targets (issues 7, 8 and 19), measured on the 10-hypothesis x 200-item
assessment of ``bench_sensitivity.py`` in one run:

- the subjective-logic opinions and the Dempster-Shafer view together add at
  most 20% to ``assess.analyse`` (10,000 Monte Carlo draws);
- ``assess.timeline`` over 20 dates costs at most 1.5x one analysis of the
  whole assessment: the replay adds each date to running sums instead of
  analysing every step (it used to cost its steps' analyses run one by
  one, printed beside it);
- ``assess.timeline`` over 1,000 dates (1,000 items x 10 hypotheses) costs
  at most 20x one analysis of the whole (issue 20);
- ``assess.timeline`` over 600 dated items, each from a source of its own so
  that every step's confidence level needs the Monte Carlo, finishes in at
  most 30 s: one analysis, one small step per date, and the steps' Monte
  Carlo within one budget (``assess.methods.sensitivity.BUDGET``).  Analysing the
  steps one by one, as the replay used to, is estimated from every 60th
  step and printed beside it.

The views' share is judged on ratings the way analysts write them (issue 20):
each item consistent with or neutral to most hypotheses and ruling out one
or two (Heuer's diagnostic items).  Uniformly random ratings drive the
Dempster-Shafer view into total conflict within a few items, after which it
has nothing left to combine, so its share on them is printed as a figure only.

The Dempster-Shafer view's cost grows with the number of distinct focal sets,
up to 2 to the number of hypotheses; the script also prints it for 16
hypotheses, the most ``analyse`` computes it for, as a figure, not a target.

Run: ``python benchmarks/bench_views.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import time

import attrs

import assess
from _timing import best, interleaved
from assess.methods.evidence_theory import dempster_shafer
from assess.methods.opinions import opinions
from bench_sensitivity import assessment

DATES = 20


def both_views(scores: assess.Scores) -> tuple[object, object]:
    """The subjective-logic opinions and the Dempster-Shafer view of one scoring."""
    return opinions(scores), dempster_shafer(scores)


def ruling_out(base: assess.Assessment, seed: int = 0) -> assess.Assessment:
    """
    The assessment with Heuer-style ratings: each item rules out one or two hypotheses.

    An item is I or II under one hypothesis (two for a third of the items), C or
    N under the rest, with a tenth of those cells NA.
    """
    rng = random.Random(seed)
    hypotheses = [h.id for h in base.hypotheses]
    evidence = []
    for e in base.evidence:
        against = set(rng.sample(hypotheses, 2 if rng.random() < 1 / 3 else 1))
        ratings = {
            h: rng.choice(["I", "II"])
            if h in against
            else "NA"
            if rng.random() < 0.1
            else rng.choice(["C", "N", "N"])
            for h in hypotheses
        }
        evidence.append(attrs.evolve(e, ratings=ratings))
    return attrs.evolve(base, evidence=evidence)


def dated(base: assess.Assessment, dates: int = DATES, undated: int = 10) -> assess.Assessment:
    """The assessment with its items spread over ``dates`` dates, the first ``undated`` undated."""
    start = dt.date(2020, 1, 1)
    evidence = [
        attrs.evolve(e, date=None if i < undated else start + dt.timedelta(days=i % dates))
        for i, e in enumerate(base.evidence)
    ]
    return attrs.evolve(base, evidence=evidence)


def own_sources(base: assess.Assessment) -> assess.Assessment:
    """Each item from a source of its own (graded as its source was), in no line."""
    grade = {s.id: s.reliability for s in base.sources}
    sources = [
        assess.Source(id=f"o{i}", name=f"Own {i}", reliability=grade[e.source])
        for i, e in enumerate(base.evidence)
    ]
    evidence = [
        attrs.evolve(e, source=f"o{i}", via=(), derived_from=())
        for i, e in enumerate(base.evidence)
    ]
    return attrs.evolve(base, sources=sources, evidence=evidence)


def known(a: assess.Assessment, date: dt.date | None) -> assess.Assessment:
    """The items known by ``date`` (None: the undated ones), links to later items dropped."""
    ids = {e.id for e in a.evidence if e.date is None or (date is not None and e.date <= date)}
    evidence = [
        attrs.evolve(e, derived_from=[d for d in e.derived_from if d in ids])
        for e in a.evidence
        if e.id in ids
    ]
    return attrs.evolve(a, evidence=evidence)


def one_by_one(a: assess.Assessment, every: int = 1) -> tuple[float, int]:
    """Seconds to analyse every ``every``-th step of the replay on its own, and how many."""
    chosen = assess.timeline(a, draws=10).steps[::every]
    start = time.perf_counter()
    for step in chosen:
        assess.analyse(known(a, step.date))
    return time.perf_counter() - start, len(chosen)


def main() -> None:
    """Time the views and the replay, and print the ratios against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    a = assessment()
    print(f"input: {len(a.hypotheses)} hypotheses x {len(a.evidence)} items, 10,000 draws")
    for name, case, judged in (("rule-out ratings", ruling_out(a), True), ("uniform", a, False)):
        scores = assess.score(case)
        # The two sides of the share in turns, round after round.
        analyse, views = interleaved(
            [functools.partial(assess.analyse, case), functools.partial(both_views, scores)],
            args.repeat,
        )
        share = views / analyse
        conflict = dempster_shafer(scores).conflict
        print(f"{name}: analyse {analyse:.3f} s; opinions + Dempster-Shafer {views:.4f} s", end="")
        print(f" (Dempster's conflict K = {conflict:.3f})")
        verdict = ("PASS" if share <= 0.2 else "FAIL") if judged else "a figure, no target"
        aim = "target: at most 20%" if judged else "uniform ratings conflict totally"
        print(f"  views add {share:.1%} to analyse ({aim}) {verdict}")

    b = dated(a)
    replay = assess.timeline(b)
    whole, seconds = interleaved(
        [lambda: assess.analyse(b), lambda: assess.timeline(b)], args.repeat
    )
    before, _ = one_by_one(b)
    ratio = seconds / whole
    verdict = "PASS" if ratio <= 1.5 else "FAIL"
    print(
        f"timeline: {len(replay.steps)} steps in {seconds:.3f} s, {ratio:.2f}x one analysis"
        f" ({whole:.3f} s; target: at most 1.5x) {verdict}; the steps analysed one by one:"
        f" {before:.3f} s"
    )

    c = own_sources(dated(assessment(items=600, hypotheses=3), dates=600, undated=0))
    start = time.perf_counter()
    replay = assess.timeline(c)
    seconds = time.perf_counter() - start
    sample, count = one_by_one(c, every=60)
    estimate = sample * len(replay.steps) / count
    draws = [s.draws for s in replay.steps[:-1] if s.stability is not None] or [0]
    verdict = "PASS" if seconds <= 30 else "FAIL"
    print(
        f"timeline of 600 dated items, 3 hypotheses, each item its own source:"
        f" {seconds:.1f} s (target: at most 30 s) {verdict}; {len(draws)} earlier steps"
        f" ran the Monte Carlo, with {min(draws)} to {max(draws)} draws; the steps analysed"
        f" one by one: about {estimate:.0f} s"
    )

    # Issue 20: a thousand dates (1,000 items x 10 hypotheses, each on its own
    # date, from 20 sources) against one analysis of the whole, at most 20x.
    d = dated(assessment(items=1_000, hypotheses=10), dates=1_000, undated=0)
    replay = assess.timeline(d)
    whole, seconds = interleaved([lambda: assess.analyse(d), lambda: assess.timeline(d)], 1)
    ratio = seconds / whole
    verdict = "PASS" if ratio <= 20 else "FAIL"
    print(
        f"timeline of 1,000 dates, 10 hypotheses: {len(replay.steps)} steps in {seconds:.1f} s,"
        f" {ratio:.1f}x one analysis ({whole:.2f} s; target: at most 20x) {verdict}"
    )

    wide = assessment(items=200, hypotheses=16)
    wide_scores = assess.score(wide)
    seconds = best(lambda: dempster_shafer(wide_scores), 1)
    print(f"Dempster-Shafer, 16 hypotheses x 200 items: {seconds:.3f} s (a figure, no target)")


if __name__ == "__main__":
    main()
