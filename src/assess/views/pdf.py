"""
PDF reports: the HTML report printed to paper by WeasyPrint.

A PDF is what an assessment is handed over in, and like every report it must
come out the same bytes for the same input.  WeasyPrint writes no creation or
modification date unless the page's ``<meta>`` tags give one (ours give none)
and no file identifier unless asked for one, and it names font subsets after
their content.  What is left to the machine is the fonts: the print
stylesheet here names the DejaVu families, which ship with every Debian and
most Linux systems (package ``fonts-dejavu-core``), so that fontconfig's
choice does not depend on what else is installed.  The report's method
appendix names the WeasyPrint that printed it.

The page itself is treated as hostile: it is ours, but it carries the
assessment's text.  WeasyPrint may fetch nothing but the ``data:`` URLs of
inlined plots; a link to a file or a web address is never read.

WeasyPrint is the optional ``pdf`` extra, with Pango from the system; it is
imported only inside :func:`render`, and :func:`available` says whether it can
be.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

from assess.errors import MissingExtraError

if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["PAPERS", "available", "ready", "render", "version"]

#: The paper sizes a PDF report can be printed on, by their CSS names.
PAPERS: Final = ("a4", "letter")
#: Each paper's name as a report writes it.
PAPER_NAMES: Final = {"a4": "A4", "letter": "Letter"}

#: The extra that installs WeasyPrint, and the system libraries it loads.
EXTRA: Final = "pdf"
SYSTEM_PACKAGES: Final = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"

# Fonts that fontconfig finds on every machine that has fonts-dejavu-core; the
# HTML asks for Georgia and Helvetica, which a browser may have and a server not.
# This is a user stylesheet, so its declarations win over the page's only when
# marked important.
_FONTS: Final = """
body { font-family: "DejaVu Serif", serif !important; }
h1, h2, h3, td.rating { font-family: "DejaVu Sans", sans-serif !important; }
code { font-family: "DejaVu Sans Mono", monospace !important; }
@page { @bottom-right { font-family: "DejaVu Sans", sans-serif !important; } }
"""


def _weasyprint() -> ModuleType:
    """WeasyPrint, or an error that names the extra (or the system libraries) to install."""
    from assess._extras import load_extra  # noqa: PLC0415

    try:
        return load_extra("weasyprint", extra=EXTRA, needed_by="PDF reports need")
    except OSError as error:  # WeasyPrint loads Pango with ctypes when imported
        raise MissingExtraError(
            f"PDF reports need Pango, which WeasyPrint could not load ({error});"
            f" on Debian or Ubuntu: apt install {SYSTEM_PACKAGES}",
            extra=EXTRA,
        ) from error


def available() -> bool:
    """
    Whether WeasyPrint and its system libraries load, so that PDF reports can be printed.

    .. versionadded:: 0.1
    """
    try:
        _weasyprint()
    except MissingExtraError:
        return False
    return True


def version() -> str:
    """
    The version of WeasyPrint that prints PDF reports: their bytes depend on it.

    Raises:
        MissingExtraError: WeasyPrint cannot be loaded.

    .. versionadded:: 0.1
    """
    return str(_weasyprint().__version__)


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; use one of {', '.join(PAPERS)}")


def ready(paper: str) -> str:
    """
    Check, before any work is done, that a PDF can be printed on ``paper``.

    Returns:
        The version of WeasyPrint that will print it.

    Raises:
        ValueError: ``paper`` is unknown.
        MissingExtraError: WeasyPrint cannot be loaded.

    .. versionadded:: 0.1
    """
    _check_paper(paper)
    return version()


def render(html: str, *, paper: str = "a4") -> bytes:
    """
    Print an HTML report to PDF.

    Args:
        html: The report as HTML (:func:`assess.views.reporting.build` with ``format="html"``).
        paper: ``"a4"`` or ``"letter"`` (:data:`PAPERS`).

    Returns:
        The PDF's bytes.

    Raises:
        ValueError: ``paper`` is unknown.
        MissingExtraError: WeasyPrint cannot be loaded.

    .. versionadded:: 0.1
    """
    _check_paper(paper)
    weasyprint = _weasyprint()
    sheet = weasyprint.CSS(string=f"@page {{ size: {paper}; }}\n{_FONTS}")
    # Inlined plots are data: URLs; any other scheme (file:, http:) is refused.
    fetcher = importlib.import_module("weasyprint.urls").URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[sheet]))
