"""
Scoring benchmark: ``score_matrix`` against one ``np.sum`` over the same matrix.

Target (issue 3): scoring a random 1,000 x 100,000 matrix (built as arrays,
no YAML) -- inconsistency, weighted inconsistency, log-likelihood, posterior,
rank and diagnosticity -- takes at most 5x the time of one ``np.sum`` over the
same ``int8`` rating matrix, measured in this run, and its working memory
stays under 256 MB beyond the inputs (peak traced by ``tracemalloc``, which
numpy reports its buffers to).

Run: ``python benchmarks/bench_score.py [--items N] [--hypotheses N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import tracemalloc

import numpy as np

from _timing import best
from assess import scoring

GRADE_VALUES = np.array([1.0, 0.75, 0.5, 0.25, 0.0, 0.5])
RELEVANCE = np.array([1 / np.sqrt(2), 1.0, np.sqrt(2)])


def inputs(items: int, hypotheses: int, seed: int = 0) -> dict[str, np.ndarray]:
    """A random matrix and item grades; one item in ten repeats an earlier one."""
    rng = np.random.default_rng(seed)
    parent = np.arange(items)
    repeats = rng.random(items) < 0.1
    repeats[0] = False
    parent[repeats] = (rng.random(repeats.sum()) * np.flatnonzero(repeats)).astype(np.int64)
    ids = [str(i) for i in range(items)]
    links = [[ids[p]] if p != i else [] for i, p in enumerate(parent.tolist())]
    return {
        "codes": rng.integers(0, 6, size=(items, hypotheses), dtype=np.int8),
        "reliability": GRADE_VALUES[rng.integers(0, 6, items)],
        "credibility": GRADE_VALUES[rng.integers(0, 6, items)],
        "relevance": RELEVANCE[rng.integers(0, 3, items)],
        "cluster": scoring.clusters(ids, links),
        "likelihoods": np.array([0.95, 0.8, 0.5, 0.5, 0.2, 0.05]),
        "priors": np.full(hypotheses, 1 / hypotheses),
    }


def main() -> None:
    """Time both, trace the memory, and print the figures against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--hypotheses", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    data = inputs(args.items, args.hypotheses)
    codes = data.pop("codes")

    def run() -> scoring.ScoreArrays:
        return scoring.score_matrix(codes, **data)

    baseline = best(lambda: np.sum(codes), args.repeat)
    ours = best(run, args.repeat)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ratio = ours / baseline
    peak_mb = peak / 2**20
    size = f"{codes.nbytes / 2**20:.0f} MiB int8"
    print(f"input: {args.items:,} items x {args.hypotheses:,} hypotheses ({size})")
    print(f"np.sum:        {baseline:.3f} s")
    print(f"score_matrix:  {ours:.3f} s")
    print(f"time ratio:    {ratio:.2f} (target: at most 5.00) {'PASS' if ratio <= 5 else 'FAIL'}")
    verdict = "PASS" if peak_mb < 256 else "FAIL"
    print(f"working memory: {peak_mb:.1f} MiB beyond the inputs (target: under 256) {verdict}")


if __name__ == "__main__":
    main()
