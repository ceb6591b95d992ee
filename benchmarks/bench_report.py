"""
Report benchmark: a large assessment's HTML report, plots included, against one analysis.

Target (issue 20, item 7): the HTML report of a 10,000-item, 10-hypothesis
assessment, plots included, costs at most 3x one ``assess.analyse`` of it,
measured in this run, and the command that writes it (``assess report FILE
-o x.html``, a fresh interpreter) peaks under 500 MB of resident memory.  The
report also runs the date-by-date replay (the file's items fall on about 330
dates), so the figure covers everything a reader of the HTML gets.  The
Markdown report is timed too, since only it draws the matrix chart: past
``plots.MAX_LETTERED_ROWS`` items the chart is one image of the cells, which
used to be a text per cell (92 s and a 44.6 MB SVG at 10,000 items).

Run: ``python benchmarks/bench_report.py [--items N] [--hypotheses N] [--draws N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import assess
from _timing import interleaved
from bench_load import generate


def peak_mib(command: list[str]) -> float:
    """The peak resident memory of a command run in a fresh interpreter, in MiB (Linux)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 -- our own command
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if after <= before:  # an earlier child peaked higher: the figure is a bound, not exact
        return before / 1024
    return after / 1024


def main() -> None:
    """Time the analysis and the reports, measure the command's peak, print the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--hypotheses", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--draws", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        # The Monte Carlo budget allows about 2,264 draws at 10,000 x 10; the
        # report runs them at the analysis and at every date of the replay.
        text = generate(args.items, args.hypotheses) + f"scoring:\n  draws: {args.draws}\n"
        path.write_text(text, encoding="utf-8")
        case = assess.load(path)
        # The two sides of the ratio in turns, round after round.
        analyse, html = interleaved(
            [
                lambda: assess.analyse(case),
                lambda: assess.report(case, format="html", plots=True),
            ],
            args.repeat,
        )
        start = time.perf_counter()
        markdown = assess.report(case, format="markdown", plots=True)
        markdown_seconds = time.perf_counter() - start
        out = Path(folder) / "x.html"
        peak = peak_mib([sys.executable, "-m", "assess", "report", str(path), "-o", str(out)])
        size = out.stat().st_size
    dates = len({e.date for e in case.evidence})
    print(
        f"input: {args.items:,} items x {args.hypotheses} hypotheses on {dates} dates,"
        f" {args.draws:,} draws"
    )
    print(f"  assess.analyse:               {analyse:.2f} s")
    print(f"  HTML report with plots:       {html:.2f} s ({size / 2**20:.1f} MiB written)")
    print(
        f"  Markdown report with plots:   {markdown_seconds:.2f} s ({len(markdown):,} characters)"
    )
    ratio = html / analyse
    verdict = "PASS" if ratio <= 3 else "FAIL"
    print(f"  HTML report / analyse: {ratio:.2f} (target: at most 3) {verdict}")
    verdict = "PASS" if peak < 500 else "FAIL"
    print(f"  assess report -o x.html peak: {peak:.0f} MiB (target: under 500) {verdict}")


if __name__ == "__main__":
    main()
