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


def chromium(profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """
    Run headless Chromium with a fresh profile and ``arguments``.

    Without the networking flags it keeps trying to reach Google's hosts, which
    this machine's closed network refuses.
    """
    assert BROWSER is not None
    command = [
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
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def dump_dom(page: Path, profile: Path, *, width: int = 1280) -> str:
    """The page's DOM after load, as headless Chromium serialises it, in a window ``width`` wide."""
    arguments = ("--virtual-time-budget=3000", f"--window-size={width},900", "--dump-dom")
    return chromium(profile, *arguments, page.as_uri()).stdout


def test_no_script_runs_and_text_is_visible(tmp_path: Path) -> None:
    """Scripts and event handlers in assessment text never run; the text shows as text."""
    need_browser()
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


#: Marks the page, when the test's own copy of it runs, with what the layout tests measure:
#: how far it reaches past the window, which links to anchors find no target, and
#: the lowest edge of the summary's first lines (the question, the answer, the leader
#: and the confidence level) against the window's height.
_MEASURE = """<script>window.addEventListener('load', () => {
  const body = document.body;
  body.setAttribute('data-overflow',
    String(document.documentElement.scrollWidth - window.innerWidth));
  const broken = [...document.querySelectorAll('a[href^="#"]')]
    .map(a => a.getAttribute('href').slice(1))
    .filter(id => document.getElementById(id) === null);
  body.setAttribute('data-broken', broken.join(' ') || '-');
  const first = [...document.querySelectorAll('header p, .summary > p')].slice(0, 5);
  const bottom = Math.max(...first.map(e => e.getBoundingClientRect().bottom));
  body.setAttribute('data-first', `${Math.ceil(bottom)}/${window.innerHeight}`);
}); </script>"""
#: The worked case's committed HTML report.
SHIPPED = Path(__file__).resolve().parent.parent / "docs" / "russia-taliban-support.html"


def need_browser() -> None:
    """Skip without Chromium (fail instead under ASSESS_REQUIRE_BROWSER=1)."""
    if BROWSER is None:
        if REQUIRED:
            pytest.fail("chromium is required (ASSESS_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium is not installed")


def measured(tmp_path: Path, width: int) -> dict[str, str]:
    """The shipped report's measurements (see _MEASURE) in a window ``width`` wide."""
    report = SHIPPED.read_text(encoding="utf-8")
    assert "<script" not in report  # the report runs nothing; the test measures its own copy
    page = tmp_path / "report.html"
    page.write_text(report.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile", width=width)
    found = dict(re.findall(r'data-(overflow|broken|first)="([^"]*)"', dom))
    assert set(found) == {"overflow", "broken", "first"}, "the measuring script did not run"
    return found


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_overflows_the_window(tmp_path: Path, width: int) -> None:
    """
    The worked case's report never scrolls sideways, on a phone (390 px) or a desktop (1280 px).

    Wide tables scroll inside their own box.  The same run checks that every
    link of the table of contents (and every other link within the page) finds
    its target, and that the question, the answer, the leader and the
    confidence level are on the first screen (a 1280 x 900 window; on a phone,
    within two screens).
    """
    need_browser()
    found = measured(tmp_path, width)
    assert int(found["overflow"]) <= 0
    assert found["broken"] == "-"
    bottom, height = (int(v) for v in found["first"].split("/"))
    assert bottom <= (height if width >= 1280 else 2 * height)


def test_screenshot_for_review(tmp_path_factory: pytest.TempPathFactory) -> None:
    """
    The shipped report as a reviewer sees it: a full-width PNG from headless Chromium.

    Nothing is compared pixel for pixel; the picture is left under pytest's
    temporary directory (its path is printed with ``-s``) for a person to look at.
    """
    need_browser()
    folder = tmp_path_factory.mktemp("artefacts")
    picture = folder / "russia-taliban-support.png"
    chromium(
        folder / "profile",
        "--hide-scrollbars",
        "--window-size=1280,2400",
        f"--screenshot={picture}",
        SHIPPED.as_uri(),
    )
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    print(f"screenshot of the shipped report: {picture}")  # noqa: T201 -- the artefact's place
