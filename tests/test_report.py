"""Reports: golden files, reproducibility, --check, atomic writes, escaping, notebooks."""

from __future__ import annotations

import importlib
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import assess
from assess.views import reporting
from helpers import run_cli

DATA = Path(__file__).resolve().parent / "data" / "report"
FIXTURE = DATA / "fixture.yaml"
COMMAND = "assess report tests/data/report/fixture.yaml"
#: Set ASSESS_REGENERATE_GOLDEN=1 to rewrite the golden files after an intended change.
REGENERATE = os.environ.get("ASSESS_REGENERATE_GOLDEN") == "1"


def built(fmt: str) -> str:
    """The fixture's report without plots, so that goldens do not depend on matplotlib."""
    a = assess.load(FIXTURE, root=DATA)
    return reporting.build(a, assess.analyse(a), format=fmt, command=COMMAND, plots=False).text


class TestGolden:
    """Each format matches its golden file byte for byte, floats to 12 digits in JSON."""

    @pytest.mark.parametrize(("fmt", "suffix"), [("markdown", "md"), ("html", "html")])
    def test_golden(self, fmt: str, suffix: str) -> None:
        """The report of the fixture is exactly the committed golden file."""
        golden = DATA / f"golden.{suffix}"
        text = built(fmt)
        if REGENERATE:
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8")

    def test_golden_json(self) -> None:
        """
        The JSON report is the golden byte for byte once each float has 12 significant digits.

        Full-precision floats end in numpy's last bits, which change with its
        release and with the processor's vector features (methods.md,
        "Reproducibility"), so a golden written on one machine cannot pin them
        on the next; every other byte is pinned.
        """
        golden = DATA / "golden.json"
        text = built("json")
        if REGENERATE:
            golden.write_text(text, encoding="utf-8")
        assert _floats_to_12_digits(text) == _floats_to_12_digits(
            golden.read_text(encoding="utf-8")
        )

    def test_twelve_digits_still_tell_numbers_apart(self) -> None:
        """The rounded comparison sees a change in the 11th digit (it can fail)."""
        assert _floats_to_12_digits('{"p": [0.123456789012]}') != _floats_to_12_digits(
            '{"p": [0.123456789022]}'
        )
        assert _floats_to_12_digits('{"p": [0.36543511812458634]}') == _floats_to_12_digits(
            '{"p": [0.36543511812458646]}'
        )
        assert _floats_to_12_digits('{"p": 1.5e-07, "n": 3}') == '{"p": 1.5e-07, "n": 3}'


#: A JSON number with a fraction or an exponent; integers are left exact.
_FLOAT = re.compile(r"-?\d+(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]?\d+)")


def _floats_to_12_digits(text: str) -> str:
    """``text`` with every float literal rewritten with 12 significant digits."""
    return _FLOAT.sub(lambda match: f"{float(match.group()):.12g}", text)


class TestReproducible:
    """Same input and version, same bytes; nothing of the machine inside."""

    @pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
    def test_hash_seeds(self, fmt: str) -> None:
        """Two processes with different PYTHONHASHSEED print identical reports (plots included)."""
        outputs = []
        for seed in ("0", "4242"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "assess",
                    "report",
                    str(FIXTURE),
                    "--root",
                    str(DATA),
                    "--format",
                    fmt,
                ],
                capture_output=True,
                env=env,
                check=True,
            )
            outputs.append(result.stdout)
        assert outputs[0] == outputs[1]
        assert len(outputs[0]) > 1000

    def test_no_machine_details(self, tmp_path: Path) -> None:
        """Neither the host name nor an absolute path of the machine enters a report."""
        out = tmp_path / "r.html"
        status, _, _ = run_cli("report", str(FIXTURE), "--root", str(DATA), "-o", str(out))
        assert status == 0
        text = out.read_text(encoding="utf-8")
        assert str(tmp_path) not in text
        assert str(DATA) not in text
        assert socket.gethostname() not in text
        assert "-o r.html" in text  # an absolute path keeps only its name


class TestCheck:
    """assess report --check OUT."""

    def test_fresh_and_stale(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A fresh report checks clean (0); after the file changes it is stale (1): the digest."""
        case = tmp_path / "case"
        case.mkdir()
        for name in ("fixture.yaml", "witness.txt"):
            (case / name).write_bytes((DATA / name).read_bytes())
        monkeypatch.chdir(case)
        assert run_cli("report", "fixture.yaml", "-o", "out.md", "--no-plots")[0] == 0
        status, out, _ = run_cli("report", "fixture.yaml", "--check", "out.md", "--no-plots")
        assert (status, out) == (0, "out.md: up to date\n")
        text = (case / "fixture.yaml").read_text(encoding="utf-8")
        (case / "fixture.yaml").write_text(
            text.replace("It never left.", "It stayed."), encoding="utf-8"
        )
        status, _, err = run_cli("report", "fixture.yaml", "--check", "out.md", "--no-plots")
        assert status == 1
        assert "stale: digest differs" in err
        assert "regenerate with: assess report fixture.yaml --no-plots -o out.md" in err

    def test_version_and_content(self) -> None:
        """check() names a version change, then a content change by line."""
        expected = built("markdown")
        older = expected.replace("version=0.", "version=-0.", 1)
        assert (reporting.check(older, expected) or "").startswith("version differs")
        edited = expected.replace("## Sources", "## Origins")
        reason = reporting.check(edited, expected) or ""
        assert reason.startswith("content differs from line")
        assert reporting.check(expected, expected) is None

    def test_json_check(self) -> None:
        """A stale JSON report is recognised by its digest too."""
        expected = built("json")
        data = json.loads(expected)
        data["analysis"]["digest"] = "sha256:" + "0" * 64
        reason = reporting.check(json.dumps(data), expected) or ""
        assert reason.startswith("digest differs")

    def test_missing_report(self, tmp_path: Path) -> None:
        """Checking a report that does not exist says so and exits 1."""
        status, _, err = run_cli(
            "report", str(FIXTURE), "--root", str(DATA), "--check", str(tmp_path / "x.md")
        )
        assert status == 1
        assert "missing" in err


class TestPlotFormat:
    """--plot-format png and plots="png": charts as PNG, for slides."""

    def test_markdown_writes_png_files(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Markdown -o links PNG files written beside it; --check compares them byte for byte."""
        pytest.importorskip("matplotlib")
        monkeypatch.chdir(tmp_path)
        for name in ("fixture.yaml", "witness.txt"):
            (tmp_path / name).write_bytes((DATA / name).read_bytes())
        status, _, err = run_cli("report", "fixture.yaml", "-o", "r.md", "--plot-format", "png")
        assert status == 0, err
        text = (tmp_path / "r.md").read_text(encoding="utf-8")
        charts = sorted(p.name for p in tmp_path.glob("r-*"))
        assert charts == ["r-matrix.png", "r-posterior.png", "r-timeline.png", "r-tornado.png"]
        for chart in charts:
            assert f"]({chart})" in text
            assert (tmp_path / chart).read_bytes().startswith(b"\x89PNG")
        assert "Regenerate: `assess report fixture.yaml --plot-format png -o r.md`" in text
        check = ("report", "fixture.yaml", "--check", "r.md", "--plot-format", "png")
        assert run_cli(*check)[:2] == (0, "r.md: up to date\n")
        (tmp_path / "r-matrix.png").write_bytes(b"\x89PNG not the chart")
        status, _, err = run_cli(*check)
        assert status == 1
        assert "r-matrix.png: stale: content differs" in err
        assert "regenerate with: assess report fixture.yaml --plot-format png -o r.md" in err

    def test_html_inlines_png(self) -> None:
        """HTML with plots="png" carries each chart as a data: URL image sized in CSS pixels."""
        pytest.importorskip("matplotlib")
        a = assess.load(FIXTURE, root=DATA)
        html = assess.report(a, format="html", plots="png")
        image = r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="(\w+) plot"'
        images = re.findall(image, html)
        assert sorted(images) == ["posterior", "timeline", "tornado"]  # the matrix is a table
        assert "<svg" not in html
        assert "assess.report(assessment, format=&#39;html&#39;, plots=&#39;png&#39;)" in html
        assert html == assess.report(a, format="html", plots="png")

    def test_svg_ids_unique_in_a_page(self) -> None:
        """The charts inlined in one page never share an id, and each reference finds its id."""
        pytest.importorskip("matplotlib")
        a = assess.load(FIXTURE, root=DATA)
        html = assess.report(a, format="html", plots=True)
        ids = re.findall(r'<[^>]*\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids))
        references = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', html))
        assert references <= set(ids)


class TestOutputSuffix:
    """The format of -o OUT and --check OUT comes from the suffix; an unknown one is refused."""

    @pytest.mark.parametrize("option", ["-o", "--check"])
    @pytest.mark.parametrize("name", ["r.docx", "r.txt", "report"])
    def test_unknown_suffix_is_a_usage_error(self, tmp_path: Path, option: str, name: str) -> None:
        """An unknown or missing suffix: exit 2, a message naming every format, nothing written."""
        target = tmp_path / name
        status, out, err = run_cli("report", str(FIXTURE), "--root", str(DATA), option, str(target))
        assert (status, out) == (2, "")
        assert err.startswith("usage: assess")
        assert f"assess: error: {option} {target}: " in err
        assert (
            "the formats are markdown (.md, .markdown), html (.html, .htm), json (.json)"
            " or pdf (.pdf); or give --format\n"
        ) in err
        assert not target.exists()

    @pytest.mark.parametrize(
        ("name", "start"), [("r.MD", "<!-- assess-report"), ("r.htm", "<!DOCTYPE html>")]
    )
    def test_known_suffix_in_any_case(self, tmp_path: Path, name: str, start: str) -> None:
        """Suffixes are matched without regard to case, and .htm is HTML."""
        target = tmp_path / name
        run = ("report", str(FIXTURE), "--root", str(DATA), "--no-plots", "-o", str(target))
        assert run_cli(*run)[0] == 0
        assert target.read_text(encoding="utf-8").startswith(start)

    def test_format_overrides_the_suffix(self, tmp_path: Path) -> None:
        """--format writes its format whatever the suffix, as before."""
        target = tmp_path / "r.pdf"
        run = ("report", str(FIXTURE), "--root", str(DATA), "--format", "json", "-o", str(target))
        status, _, err = run_cli(*run)
        assert (status, err) == (0, f"wrote {target}\n")
        assert json.loads(target.read_text(encoding="utf-8"))["report"]["version"]


class TestTemplateCache:
    """Compiled templates are cached under $XDG_CACHE_HOME/assess, when that can be written."""

    @staticmethod
    def write_report(tmp_path: Path) -> tuple[int, str, str]:
        """Write the fixture's report to tmp_path/r.md; the exit status, stdout and stderr."""
        out = tmp_path / "r.md"
        return run_cli("report", str(FIXTURE), "--root", str(DATA), "--no-plots", "-o", str(out))

    def test_xdg_cache_home(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The cache is $XDG_CACHE_HOME/assess/templates-VERSION, and a cached run is the same."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        first = self.write_report(tmp_path)
        text = (tmp_path / "r.md").read_text(encoding="utf-8")
        directory = tmp_path / "cache" / "assess" / f"templates-{assess.__version__}"
        assert list(directory.glob("*.cache"))
        assert self.write_report(tmp_path) == first
        assert (tmp_path / "r.md").read_text(encoding="utf-8") == text

    def test_relative_xdg_cache_home_is_ignored(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A relative XDG_CACHE_HOME is ignored (the XDG rule): ~/.cache, not the current folder."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("XDG_CACHE_HOME", "cache")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert reporting._cache_home() == tmp_path / "home" / ".cache"
        monkeypatch.setenv("HOME", "home")
        assert reporting._cache_home() is None

    def test_cache_under_a_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A cache directory that cannot be made (under a file, even for root): uncached, quiet."""
        (tmp_path / "file").write_text("not a directory", encoding="utf-8")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file" / "cache"))
        result = self.write_report(tmp_path)
        assert result == (0, "", f"wrote {tmp_path / 'r.md'}\n")

    def test_cache_files_that_fail(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Cache files that cannot be read or written (even by root): compiled instead, quiet."""
        jinja2 = pytest.importorskip("jinja2")

        def refuse(*_: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "load_bytecode", refuse)
        monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", refuse)
        result = self.write_report(tmp_path)
        assert result == (0, "", f"wrote {tmp_path / 'r.md'}\n")

    @pytest.mark.skipif(
        not hasattr(os, "geteuid") or os.geteuid() == 0,
        reason="root writes to read-only directories",
    )
    @pytest.mark.parametrize("existing", ["", "assess/templates-{version}"])
    def test_read_only_cache(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: str
    ) -> None:
        """A read-only XDG_CACHE_HOME, or a read-only cache already there: uncached, quiet."""
        cache = tmp_path / "cache"
        locked = cache / existing.format(version=assess.__version__)
        locked.mkdir(parents=True)
        locked.chmod(0o500)
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
        try:
            result = self.write_report(tmp_path)
        finally:
            locked.chmod(0o700)
        assert result == (0, "", f"wrote {tmp_path / 'r.md'}\n")
        assert not any(locked.iterdir())

    def test_no_home(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Neither XDG_CACHE_HOME nor a home directory (Path.home() raises): uncached, quiet."""

        def no_home() -> Path:
            raise RuntimeError("Could not determine home directory.")

        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.delenv("HOME", raising=False)
        monkeypatch.setattr(Path, "home", no_home)
        result = self.write_report(tmp_path)
        assert result == (0, "", f"wrote {tmp_path / 'r.md'}\n")
        assert reporting._cache_home() is None


class TestAtomicWrite:
    """-o never leaves a truncated report and never destroys the previous one."""

    def test_permissions(self, tmp_path: Path) -> None:
        """A new report gets the umask's mode, not 0600; a rewritten one keeps its mode."""
        new = tmp_path / "new.txt"
        reporting.write_atomic(new, "x")
        umask = os.umask(0)
        os.umask(umask)
        assert new.stat().st_mode & 0o777 == 0o666 & ~umask
        new.chmod(0o640)
        reporting.write_atomic(new, "y")
        assert new.stat().st_mode & 0o777 == 0o640

    def test_failure_keeps_previous(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A failure while writing leaves the old file whole and no temporary file behind."""
        target = tmp_path / "report.md"
        target.write_text("previous report\n", encoding="utf-8")

        def fail(_: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", fail)
        status, _, err = run_cli(
            "report", str(FIXTURE), "--root", str(DATA), "-o", str(target), "--no-plots"
        )
        assert status == 2
        assert "No space left on device" in err
        assert target.read_text(encoding="utf-8") == "previous report\n"
        assert [p.name for p in tmp_path.iterdir()] == ["report.md"]

    def test_interrupted(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An interruption (KeyboardInterrupt) mid-write also keeps the previous file."""
        target = tmp_path / "r.txt"
        target.write_text("old", encoding="utf-8")

        def interrupt(_: int) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "fsync", interrupt)
        with pytest.raises(KeyboardInterrupt):
            reporting.write_atomic(target, "new")
        assert target.read_text(encoding="utf-8") == "old"
        assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


class TestEscaping:
    """Text from the assessment is text, in every format."""

    def test_html(self) -> None:
        """Markup in the assessment is escaped in HTML."""
        html = built("html")
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html

    def test_markdown(self) -> None:
        """Markup and Markdown syntax in the assessment are escaped in Markdown."""
        md = built("markdown")
        assert "<script>" not in md
        assert "<b>" not in md
        assert r"The south road \| or \*both\*." in md


class TestContents:
    """The report holds what an analytic product needs, in order."""

    def test_sections_in_order(self) -> None:
        """
        The summary first, then the contents and the detail, the cross-checks in an appendix.

        The order an analytic product follows: the bottom line up front, then
        the hypotheses, the matrix, the reporting and its sources, the
        evidence, the assumptions, what the conclusion rests on, what would
        change it, how it formed; the other calculi and the method last.
        """
        for md in (built("markdown"), built("html")):
            order = [
                "Bottom line",
                "Contents",
                "Hypotheses",
                "ACH matrix",
                "Lines of reporting",
                "Sources",
                "Evidence",
                "Documents",
                "Key assumptions",
                "What the conclusion rests on",
                "What would change this judgement",
                "How the picture formed",
                "Stated probabilities",
                "Appendix: how much evidence stands behind each number",
                "Appendix: method and provenance",
            ]
            found = re.findall(r"^## (.+)$|<h2 id=\"[^\"]+\">([^<]+)</h2>", md, flags=re.MULTILINE)
            headings = [a or b for a, b in found]
            assert [h for h in headings if h in order] == order

    def test_only_the_posterior_before_the_appendix(self) -> None:
        """Before the appendix no opinion or Dempster-Shafer figure is shown as a probability."""
        for md in (built("markdown"), built("html")):
            body = md[: md.index("Appendix: how much evidence")]
            for word in ("Projected", "Dempster", "Yager", "Belief"):
                assert word not in body.split("Contents", 1)[1].split("Appendix")[0], word

    def test_the_matrix_once_in_html(self) -> None:
        """The HTML report shows the matrix as its coloured table only, not also as an image."""
        pytest.importorskip("matplotlib")
        a = assess.load(FIXTURE, root=DATA)
        html = reporting.build(a, assess.analyse(a), format="html", command=COMMAND).text
        matrix = html[html.index('<h2 id="matrix">') : html.index('<h2 id="repeated">')]
        assert "<svg" not in matrix
        assert html.count("<svg") == 3  # the posterior, the tornado and the timeline

    def test_contents_link_every_section(self) -> None:
        """Each entry of the HTML contents links to a heading of the report."""
        html = built("html")
        nav = html[html.index("<nav") : html.index("</nav>")]
        targets = re.findall(r'href="#([^"]+)"', nav)
        assert len(targets) >= 10
        for target in targets:
            assert f'id="{target}"' in html, target

    def test_likelihood_and_confidence_apart(self) -> None:
        """The estimative term and the confidence level are in separate sentences."""
        md = built("markdown")
        bottom = md[md.index("## Bottom line") : md.index("## Hypotheses")]
        for sentence in bottom.split("."):
            assert not ("unlikely" in sentence and "Confidence" in sentence)

    def test_disputed_cell_marked(self) -> None:
        """A disputed cell carries its mark in the matrix."""
        assert "C/I †" in built("markdown")

    def test_plots_note_without_matplotlib(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the plots extra the HTML report says how to get plots."""
        pytest.importorskip("matplotlib")
        plots = importlib.import_module("assess.views.plots")
        monkeypatch.setattr(plots, "available", lambda: False)
        a = assess.load(FIXTURE, root=DATA)
        text = reporting.build(a, assess.analyse(a), format="html", command=COMMAND).text
        assert "Plots need the plots extra" in text


class TestSameSectionsInEveryFormat:
    """Markdown parity: the Markdown report has every section the HTML report has."""

    def test_markdown_has_the_html_sections(self) -> None:
        """Each HTML h2 heading is a Markdown ## heading, the timeline included."""
        html = built("html")
        md = built("markdown")
        headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", html)
        assert "How the picture formed" in headings
        for heading in headings:
            assert f"\n## {heading}\n" in md, heading


class TestLabels:
    """A hypothesis's label stands beside its id where the statement would not fit."""

    def labelled(self) -> assess.Assessment:
        """The fixture with a label on its first hypothesis."""
        a = assess.load(FIXTURE, root=DATA)
        first, *rest = a.hypotheses
        return attrs.evolve(a, hypotheses=[attrs.evolve(first, label="the north road"), *rest])

    def test_bottom_line_names_the_label(self) -> None:
        """The report's bottom line reads "H1 (label) is the leading hypothesis" when H1 leads."""
        a = self.labelled()
        analysis = assess.analyse(a, draws=200)
        leader = analysis.scores.ranking[0].id
        label = {h.id: h.name for h in a.hypotheses}[leader]
        md = reporting.build(a, analysis, command=COMMAND, plots=False).text
        named = f"{leader} ({label})" if label != leader else leader
        assert f"{named} is the leading hypothesis" in md

    def test_name_falls_back_to_the_id(self) -> None:
        """Hypothesis.name is the label, or the id without one."""
        h = assess.Hypothesis(id="H9", statement="s")
        assert h.name == "H9"
        assert attrs.evolve(h, label="short").name == "short"

    @pytest.mark.parametrize(
        ("label", "message"),
        [
            ("x" * 41, "a label is a short label of at most 40 characters, got 41"),
            ("  ", "must not be empty"),
            ("two\nlines", "a label is a short label on one line"),
        ],
    )
    def test_a_label_is_short_text_on_one_line(self, label: str, message: str) -> None:
        """A long, empty or multi-line label is refused at hypotheses[0].label."""
        with pytest.raises(assess.InputError) as raised:
            assess.Hypothesis(id="H1", statement="s", label=label)
        [problem] = raised.value.problems
        assert (problem.path, problem.message) == ("label", message)


class TestNotebook:
    """Jupyter shows the bottom line and the matrix."""

    def test_reprs(self) -> None:
        """Assessments and scores render as Markdown and HTML."""
        a = assess.load(FIXTURE, root=DATA)
        assert "leading hypothesis" in a._repr_markdown_()
        assert "<table>" in a._repr_html_()
        s = assess.score(a)
        assert "| E1 |" in s._repr_markdown_()
        assert "&lt;" not in s._repr_html_() or "<b>" not in s._repr_html_()

    def test_report_function(self) -> None:
        """assess.report returns the report text for each format."""
        a = assess.load(FIXTURE, root=DATA)
        assert assess.report(a).startswith("<!-- assess-report digest=sha256:")
        assert json.loads(assess.report(a, format="json"))["assessment"]["assessment"] == a.id
        with pytest.raises(ValueError, match="unknown report format"):
            assess.report(a, format="docx")
        with pytest.raises(ValueError, match="unknown plots 'gif'"):
            assess.report(a, format="html", plots="gif")


class TestStartUp:
    """Commands import only what they need."""

    @pytest.mark.parametrize(
        ("argv", "absent"),
        [
            (["validate", str(FIXTURE), "--root", str(DATA)], {"numpy", "jinja2", "matplotlib"}),
            (["report", str(FIXTURE), "--root", str(DATA)], {"matplotlib"}),
        ],
    )
    def test_lazy_imports(self, argv: list[str], absent: set[str]) -> None:
        """Validate loads no numpy or Jinja2; a Markdown report to stdout loads no matplotlib."""
        code = (
            "import io, sys\n"
            "from assess.cli import main\n"
            f"main({argv!r}, stdout=io.StringIO(), stderr=io.StringIO())\n"
            f"print(sorted({sorted(absent)!r} and set({sorted(absent)!r}) & set(sys.modules)))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "[]"
