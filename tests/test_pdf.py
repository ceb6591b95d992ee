"""PDF reports: the summary is page 1, the bytes are reproducible, nothing outside is read."""

from __future__ import annotations

import base64
import functools
import io
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import assess
from assess import _extras
from assess.views import pdf, reporting
from helpers import run_cli
from test_browser import hostile

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENT = "assessments/russia-taliban-support.yaml"
DATA = Path(__file__).resolve().parent / "data" / "report"
#: .ci/run sets this: in CI a missing WeasyPrint is a failure, not a skip.
REQUIRED = os.environ.get("ASSESS_REQUIRE_PDF") == "1"
#: Page sizes in PostScript points.
SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
#: A 1x1 PNG, to see whether an image was embedded.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def need_pdf() -> None:
    """Skip unless WeasyPrint loads (fail instead under ASSESS_REQUIRE_PDF=1)."""
    if not pdf.available():
        if REQUIRED:
            pytest.fail("WeasyPrint is required (ASSESS_REQUIRE_PDF=1) but does not load")
        pytest.skip("the pdf extra is not installed")


def pages(document: bytes) -> list[str]:
    """The text of each page of a PDF."""
    from pypdf import PdfReader  # noqa: PLC0415 -- a dev dependency, only where PDFs are read

    return [page.extract_text() for page in PdfReader(io.BytesIO(document)).pages]


def flat(text: str) -> str:
    """Text with every run of whitespace made one space, as lines wrap differently per paper."""
    return " ".join(text.split())


@functools.cache
def worked(paper: str) -> tuple[assess.Assessment, assess.Analysis, bytes]:
    """The worked case, its analysis and its PDF on ``paper``, as the committed one is made."""
    a = assess.load(ROOT / ASSESSMENT, root=ROOT)
    analysis = assess.analyse(a)
    command = reporting.command_line(ASSESSMENT, "pdf", "x.pdf", paper=paper)
    built = reporting.build(a, analysis, format="pdf", command=command, paper=paper)
    assert built.pdf is not None
    return a, analysis, built.pdf


class TestFirstPage:
    """Page 1 is the whole summary; the contents and the detail start on page 2."""

    @pytest.mark.parametrize("paper", ["a4", "letter"])
    def test_summary_on_page_one(self, paper: str) -> None:
        """Question, answer, leader, confidence and its drivers, key lines, change, plot: page 1."""
        need_pdf()
        a, analysis, document = worked(paper)
        text = pages(document)
        first = flat(text[0])
        assert first.startswith(a.title)
        assert flat(f"Question: {a.question}") in first
        scores = analysis.scores
        for answer in scores.answers:
            assert f"{answer.answer} is" in first.lower()
        leader = scores.ranking[0]
        assert f"{leader.id} ({a.hypothesis(leader.id).label}) is the leading hypothesis" in first
        assert f"Confidence in this judgement is {analysis.confidence.level}." in first
        for reason in analysis.confidence.reasons:
            assert flat(reason) in first
        assert "The lines of reporting that move H1 against the runner-up most:" in first
        assert "What would change it, first:" in first
        assert "Posterior of each hypothesis with its 5\N{EN DASH}95% band" in first
        assert "Contents" not in first
        assert flat(text[1]).startswith("Contents Answers Hypotheses ACH matrix")

    @pytest.mark.parametrize("paper", ["a4", "letter"])
    def test_paper_size(self, paper: str) -> None:
        """Every page has the paper's size."""
        need_pdf()
        from pypdf import PdfReader  # noqa: PLC0415

        reader = PdfReader(io.BytesIO(worked(paper)[2]))
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (width, height) == pytest.approx(SIZES[paper], abs=0.5)

    def test_provenance_on_the_last_page(self) -> None:
        """The method appendix names the digest, the command, matplotlib and WeasyPrint."""
        need_pdf()
        a, _, document = worked("letter")
        last = flat(pages(document)[-1])
        assert f"Input digest: {assess.digest(a)}" in last
        assert f"Regenerate: assess report {ASSESSMENT} --format pdf --paper letter -o" in last
        assert f"Printed to PDF by WeasyPrint {pdf.version()} on Letter paper" in last


class TestReproducible:
    """The same input and versions give the same bytes, with nothing that varies by run."""

    def test_same_bytes_in_another_process(self, tmp_path: Path) -> None:
        """The CLI in a fresh interpreter, under another hash seed, prints the same PDF."""
        need_pdf()
        out = tmp_path / "x.pdf"
        subprocess.run(
            [sys.executable, "-m", "assess", "report", ASSESSMENT, "-o", str(out)],
            cwd=ROOT,
            env=os.environ | {"PYTHONHASHSEED": "4242"},
            check=True,
            capture_output=True,
        )
        assert out.read_bytes() == worked("a4")[2]

    def test_no_dates_and_no_random_identifier(self) -> None:
        """No creation or modification date, and no file identifier, which would vary."""
        need_pdf()
        from pypdf import PdfReader  # noqa: PLC0415

        reader = PdfReader(io.BytesIO(worked("a4")[2]))
        assert reader.metadata is not None
        assert set(reader.metadata) == {"/Producer", "/Title", "/Creator"}
        assert "/ID" not in reader.trailer


class TestCommandLine:
    """assess report -o OUT.pdf, --check, and the errors."""

    @pytest.fixture
    def case(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A copy of the small report fixture, as the working directory."""
        for name in ("fixture.yaml", "witness.txt"):
            (tmp_path / name).write_bytes((DATA / name).read_bytes())
        monkeypatch.chdir(tmp_path)
        return tmp_path

    def test_write_and_check(self, case: Path) -> None:
        """-o r.pdf writes a PDF; --check passes on it and fails once a byte changes."""
        need_pdf()
        status, _, err = run_cli("report", "fixture.yaml", "-o", "r.pdf", "--no-plots")
        assert (status, err) == (0, "wrote r.pdf\n")
        written = (case / "r.pdf").read_bytes()
        assert written.startswith(b"%PDF-")
        check = ("report", "fixture.yaml", "--check", "r.pdf", "--no-plots")
        assert run_cli(*check)[:2] == (0, "r.pdf: up to date\n")
        (case / "r.pdf").write_bytes(written.replace(b"%PDF-", b"%PDF_", 1))
        status, _, err = run_cli(*check)
        assert status == 1
        assert "r.pdf: stale: content differs" in err
        assert "regenerate with: assess report fixture.yaml --format pdf --no-plots -o r.pdf" in err

    @pytest.mark.usefixtures("case")
    def test_pdf_needs_a_file(self) -> None:
        """A PDF is never written to the terminal: a usage error, exit 2."""
        status, out, err = run_cli("report", "fixture.yaml", "--format", "pdf")
        assert (status, out) == (2, "")
        assert "assess: error: a PDF report is written to a file: give -o OUT" in err

    def test_missing_extra_named(self, case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without WeasyPrint: exit 2, the extra named, nothing written, no traceback."""
        monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
        status, _, err = run_cli("report", "fixture.yaml", "-o", "r.pdf")
        assert status == 2
        assert err == (
            "assess: error: PDF reports need the pdf extra: pip install 'assess-evidence[pdf]'\n"
        )
        assert not (case / "r.pdf").exists()
        a = assess.load(case / "fixture.yaml", root=case)
        with pytest.raises(assess.MissingExtraError, match=r"assess-evidence\[pdf\]") as raised:
            assess.report(a, format="pdf")
        assert raised.value.extra == "pdf"
        assert isinstance(raised.value, ImportError)

    def test_missing_system_libraries_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """When WeasyPrint cannot load Pango, the error names the Debian packages."""

        def broken(name: str) -> types.ModuleType:
            raise OSError(f"cannot load library 'libpango-1.0-0' for {name}")

        monkeypatch.setattr(_extras, "importlib", types.SimpleNamespace(import_module=broken))
        assert pdf.available() is False
        with pytest.raises(assess.MissingExtraError, match=r"apt install libpango-1\.0-0"):
            pdf.render("<p>x</p>")

    def test_unknown_paper(self) -> None:
        """An unknown paper is a ValueError, before anything is printed."""
        with pytest.raises(ValueError, match="unknown paper 'a5'; use one of a4, letter"):
            pdf.render("<p>x</p>", paper="a5")


class TestHostile:
    """The page carries the assessment's text: it reads nothing and runs nothing."""

    def test_reads_no_file(self, tmp_path: Path) -> None:
        """An image or stylesheet by file URL is never read; a data: URL image is embedded."""
        need_pdf()
        from pypdf import PdfReader  # noqa: PLC0415

        secret = tmp_path / "secret.png"
        secret.write_bytes(PIXEL)
        sheet = tmp_path / "evil.css"
        sheet.write_text("body { display: none; }", encoding="utf-8")
        outside = (
            f'<link rel="stylesheet" href="{sheet.as_uri()}"><p>text</p>'
            f'<img src="{secret.as_uri()}" width="20" height="20">'
        )
        inside = f'<img src="data:image/png;base64,{base64.b64encode(PIXEL).decode()}">'

        def images(html: str) -> int:
            reader = PdfReader(io.BytesIO(pdf.render(html)))
            return sum(len(page.images) for page in reader.pages)

        assert images(outside) == 0
        assert "text" in pages(pdf.render(outside))[0]  # the stylesheet did not hide it
        assert images(inside) == 1

    def test_script_is_text(self) -> None:
        """Markup in the assessment prints as its own characters."""
        need_pdf()
        document = assess.report(hostile(), format="pdf")
        text = flat(" ".join(pages(document)))
        assert "Evidence <script>document.body.setAttribute" in text
