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
It then says where a cold HTML report spends its time beyond the imports: a
fresh interpreter imports the dependencies and then does the command's steps
one by one (the package's own modules, loading, the analysis, the report
without plots, the report with them), several times, and the fastest time of
each step is set against what issue 16's 1.5x leaves beyond the imports.
The commands run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed
from their environment), as an installed package runs: the dependencies are
read from their compiled ``.pyc`` files, so ``assess`` must be too, or the
comparison would time compiling its sources on every run.

Run from the repository root: ``python benchmarks/bench_startup.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import interleaved

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENT = "assessments/russia-taliban-support.yaml"
#: What a cold Markdown report imports, and what its charts add.
DEPENDENCIES = "numpy, yaml, attrs, jinja2"
CHART_MODULES = "matplotlib.figure, matplotlib.backends.backend_svg"


#: A cold HTML report's steps, timed one by one in a fresh interpreter: the
#: imports (the modules its second argument names), then what ``assess report
#: FILE -o x.html`` does with them.  The report without plots is timed twice,
#: so that the charts are what a report with them adds to a warm one (the
#: templates are compiled by then).  Last, the charts are drawn again with one
#: plain draw each and no measuring of their tight box: what they would cost at
#: least with a layout fixed in advance (a floor, the more so as matplotlib is
#: warm by then).
PHASES = """
import importlib, io, json, sys, time
clock = time.perf_counter
times = {}
start = clock()
for name in sys.argv[2].split(", "):
    importlib.import_module(name)
times["import the dependencies"] = clock() - start
start = clock()
import numpy.random
import assess.analysis, assess.cli, assess.history.timeline, assess.views.plots
import assess.views.reporting
times["import assess (and numpy.random)"] = clock() - start
start = clock()
assessment = assess.load(sys.argv[1])
times["load"] = clock() - start
start = clock()
analysis = assess.analyse(assessment)
times["analyse"] = clock() - start
build = assess.views.reporting.build
start = clock()
build(assessment, analysis, format="html", command="c", plots=False)
times["report without plots"] = clock() - start
start = clock()
build(assessment, analysis, format="html", command="c", plots=False)
warm = clock() - start
start = clock()
build(assessment, analysis, format="html", command="c", plots=True)
times["the charts"] = clock() - start - warm
from matplotlib.backends.backend_svg import RendererSVG
def drawn_once(figure):
    width, height = figure.get_size_inches()
    out = io.StringIO()
    figure.draw(RendererSVG(width * 72, height * 72, out))
    return out.getvalue()
assess.views.plots._svg = drawn_once
start = clock()
build(assessment, analysis, format="html", command="c", plots=True)
times["drawn once"] = clock() - start - warm
print(json.dumps(times))
"""


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


def phases(repeat: int) -> dict[str, float]:
    """The fastest time of each step of a cold HTML report (:data:`PHASES`) in ``repeat`` runs."""
    fastest: dict[str, float] = {}
    for _ in range(repeat):
        done = subprocess.run(  # noqa: S603 -- our own program
            [sys.executable, "-c", PHASES, ASSESSMENT, f"{DEPENDENCIES}, {CHART_MODULES}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env=ENVIRONMENT,
            text=True,
        )
        for step, seconds in json.loads(done.stdout).items():
            fastest[step] = min(seconds, fastest.get(step, seconds))
    return fastest


def main() -> None:
    """Time the commands and print the ratios against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    python = sys.executable
    deps, charts = DEPENDENCIES, CHART_MODULES
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
    steps = phases(args.repeat)
    imports = steps.pop("import the dependencies")
    drawing = steps.pop("the charts")
    once = steps.pop("drawn once")
    print(
        f"a cold HTML report step by step, fastest of {args.repeat}"
        f" (the dependencies' import: {imports:.3f} s):"
    )
    for step, took in steps.items():
        print(f"  {step}: {took:.3f} s")
    others = sum(steps.values())
    print(f"  the charts: {drawing:.3f} s")
    room = 0.5 * imports
    print(
        f"1.5x the import leaves {room:.3f} s beyond it; the steps but the charts take"
        f" {others:.3f} s, leaving {room - others:.3f} s for charts that took {drawing:.3f} s"
    )
    print(f"the charts drawn once each, their tight box not measured: {once:.3f} s (a floor)")


if __name__ == "__main__":
    main()
