"""
Batch benchmark: ``assess batch`` in two processes against one.

Target (issue 17, item 7): over 2,000 generated assessments, ``assess batch
DIR --jobs 2`` runs at least 1.6x faster than ``--jobs 1``, both timed in
this run as the command a user types (a fresh interpreter each).  Each
assessment is small (3 hypotheses, 8 items, 500 draws), so the figure shows
what the processes add beyond the work itself.

Run: ``python benchmarks/bench_batch.py [--files N]``
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATINGS = ("CC", "C", "N", "I", "II")


def assessment(number: int, rng: random.Random) -> str:
    """A small valid assessment: 3 hypotheses, 2 sources, 8 rated items, 500 draws."""
    lines = [
        f"assessment: case-{number}",
        f"title: Generated case {number}",
        "hypotheses:",
        *(f"  - {{id: H{j}, statement: Hypothesis {j}.}}" for j in range(1, 4)),
        "sources:",
        "  - {id: s1, name: One, reliability: B}",
        "  - {id: s2, name: Two, reliability: C}",
        "evidence:",
    ]
    for i in range(1, 9):
        ratings = ", ".join(f"H{j}: {rng.choice(RATINGS)}" for j in range(1, 4))
        lines.append(
            f"  - {{id: E{i}, summary: Item {i}., kind: report, source: s{1 + i % 2},"
            f" credibility: {rng.randint(1, 5)}, ratings: {{{ratings}}}}}"
        )
    lines += ["scoring: {draws: 500}", ""]
    return "\n".join(lines)


def run(folder: Path, jobs: int) -> float:
    """Seconds for ``assess batch folder --jobs N -o out``."""
    out = folder.parent / f"out-{jobs}.jsonl"
    command = [sys.executable, "-m", "assess", "batch", str(folder), "--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run([*command, "-o", str(out)], check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - start


def main() -> None:
    """Generate the files, run both, print the speed-up against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as top:
        folder = Path(top) / "cases"
        folder.mkdir()
        for number in range(args.files):
            (folder / f"case-{number:05d}.yaml").write_text(
                assessment(number, rng), encoding="utf-8"
            )
        one = run(folder, 1)
        two = run(folder, 2)
        same = (Path(top) / "out-1.jsonl").read_bytes() == (Path(top) / "out-2.jsonl").read_bytes()
    speedup = one / two
    verdict = "PASS" if speedup >= 1.6 else "FAIL"
    print(f"input: {args.files:,} assessments (3 hypotheses x 8 items, 500 draws each)")
    print(f"  --jobs 1: {one:.1f} s")
    print(f"  --jobs 2: {two:.1f} s (the same bytes: {same})")
    print(f"  speed-up: {speedup:.2f}x (target: at least 1.6x) {verdict}")


if __name__ == "__main__":
    main()
