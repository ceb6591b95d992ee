"""
Start-up benchmark: cold commands against importing their dependencies.

Targets: a cold ``assess report`` (Markdown to stdout, so no plots) of the
shipped assessment takes at most 1.3x the time of
``python -c "import numpy, yaml, attrs, jinja2"`` (issue 20; issue 5 asked
1.5x), and ``assess validate`` at most 1.3x, measured in the same run.  A cold
``assess report -o x.html`` (with its plots) takes at most 1.5x the import of
its own dependencies, which add the matplotlib modules the charts use (issue
16), and at most 2x ``import matplotlib.pyplot`` (issue 20).  Each command runs
in a fresh interpreter several times, in turns with the others; the script
compares the fastest runs.
The commands run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed
from their environment), as an installed package runs: the dependencies are
read from their compiled ``.pyc`` files, so ``assess`` must be too, or the
comparison would time compiling its sources on every run.

Run from the repository root: ``python benchmarks/bench_startup.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import interleaved

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENT = "assessments/russia-taliban-support.yaml"


#: The commands' environment: this one, with bytecode caching allowed.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def fastest(commands: list[list[str]], repeat: int) -> list[float]:
    """
    The fastest of ``repeat`` runs of each command, in seconds (after one run each to warm up).

    The commands run in turns, one run of each per round (``_timing.interleaved``).
    """
    runs = [
        functools.partial(
            subprocess.run, command, cwd=ROOT, check=True, capture_output=True, env=ENVIRONMENT
        )
        for command in commands
    ]
    for run in runs:
        run()
    return interleaved(runs, repeat)


def main() -> None:
    """Time the commands and print the ratios against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    python = sys.executable
    deps = "numpy, yaml, attrs, jinja2"
    charts = "matplotlib.figure, matplotlib.backends.backend_svg"
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "x.html")
        baseline, with_charts, pyplot, report, validate, html = fastest(
            [
                [python, "-c", f"import {deps}"],
                [python, "-c", f"import {deps}, {charts}"],
                [python, "-c", "import matplotlib.pyplot"],
                [python, "-m", "assess", "report", ASSESSMENT],
                [python, "-m", "assess", "validate", ASSESSMENT],
                [python, "-m", "assess", "report", ASSESSMENT, "-o", out],
            ],
            args.repeat,
        )
    print(f"import {deps}: {baseline:.3f} s")
    print(f"import {deps}, {charts}: {with_charts:.3f} s")
    print(f"import matplotlib.pyplot: {pyplot:.3f} s")
    for name, seconds, base, against, target in (
        ("report", report, baseline, "its imports", 1.3),
        ("validate", validate, baseline, "its imports", 1.3),
        ("report -o x.html", html, with_charts, "its imports", 1.5),
        ("report -o x.html", html, pyplot, "import matplotlib.pyplot", 2.0),
    ):
        ratio = seconds / base
        verdict = "PASS" if ratio <= target else "FAIL"
        print(
            f"assess {name}: {seconds:.3f} s, {ratio:.2f}x {against} (at most {target}) {verdict}"
        )


if __name__ == "__main__":
    main()
