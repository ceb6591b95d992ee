"""The HTML report in a real headless browser: hostile text stays text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import assess

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
#: .ci/run sets this: in CI a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("ASSESS_REQUIRE_BROWSER") == "1"

PAYLOADS = [
    "<script>document.body.setAttribute('data-pwned', 'script')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'onerror')\">",
    "<svg onload=\"document.body.setAttribute('data-pwned', 'svg')\"></svg>",
]


def hostile() -> assess.Assessment:
    """An assessment whose every kind of text carries script."""
    p1, p2, p3 = PAYLOADS
    return assess.Assessment(
        id="hostile",
        title=f"Title {p1}",
        question=f"Question {p2}",
        hypotheses=[
            assess.Hypothesis(id="H1", statement=f"First {p3}"),
            assess.Hypothesis(id="H2", statement="Second"),
        ],
        sources=[assess.Source(id="s", name=f"Source {p2}", reliability="B", notes=p1)],
        evidence=[
            assess.Evidence(
                id="E1",
                summary=f"Evidence {p1} {p2}",
                kind="report",
                source="s",
                ratings={"H1": "C", "H2": "I"},
                notes=p3,
            )
        ],
        assumptions=[assess.Assumption(id="A1", statement=p2, status="caveated")],
    )


def dump_dom(page: Path, profile: Path, *, width: int = 1280) -> str:
    """The page's DOM after load, as headless Chromium serialises it, in a window ``width`` wide."""
    assert BROWSER is not None
    result = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=3000",
            f"--window-size={width},900",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_no_script_runs_and_text_is_visible(tmp_path: Path) -> None:
    """Scripts and event handlers in assessment text never run; the text shows as text."""
    if BROWSER is None:
        if REQUIRED:
            pytest.fail("chromium is required (ASSESS_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium is not installed")
    page = tmp_path / "report.html"
    page.write_text(assess.report(hostile(), format="html"), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    assert "<main>" in dom  # the page loaded and was serialised
    assert "data-pwned=" not in dom.split("<main>")[0]  # the body carries no attribute
    assert "<body data-pwned" not in dom
    # The payloads are there, as visible text (escaped in the serialised DOM).
    assert "Evidence &lt;script&gt;document.body.setAttribute" in dom
    assert "&lt;img src=x onerror=" in dom
    assert "<script>" not in dom.lower()


#: Marks the page with how far it reaches past the window, when the test's own copy of it runs.
_MEASURE = (
    "<script>window.addEventListener('load', () => {"
    " const over = document.documentElement.scrollWidth - window.innerWidth;"
    " document.body.setAttribute('data-overflow', String(over)); });</script>"
)


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_overflows_the_window(tmp_path: Path, width: int) -> None:
    """
    The worked case's report never scrolls sideways, on a phone (390 px) or a desktop (1280 px).

    Wide tables scroll inside their own box.  The report itself runs no
    script; the test measures its own copy, to which it adds one.
    """
    if BROWSER is None:
        if REQUIRED:
            pytest.fail("chromium is required (ASSESS_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium is not installed")
    root = Path(__file__).resolve().parent.parent
    report = (root / "docs" / "russia-taliban-support.html").read_text(encoding="utf-8")
    assert "<script" not in report
    page = tmp_path / "report.html"
    page.write_text(report.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile", width=width)
    found = re.search(r'data-overflow="(-?\d+)"', dom)
    assert found is not None, "the measuring script did not run"
    assert int(found.group(1)) <= 0
