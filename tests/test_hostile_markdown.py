"""
Markdown reports stay inert: text from a file is shown as text, never rendered as markup.

Each test renders the Markdown with a CommonMark renderer (markdown-it-py)
that keeps raw HTML and every link, as a careless viewer would, and reads
the HTML it makes.
"""

from __future__ import annotations

import functools
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import assess
from assess.io.documents import refused_path
from assess.views import notebook, reporting
from helpers import run_cli

DATA = Path(__file__).resolve().parent / "data" / "report"
FIXTURE = DATA / "fixture.yaml"

#: What the report's own template makes; anything else came from the input.
ALLOWED_TAGS = frozenset(
    {"a", "blockquote", "code", "h1", "h2", "li", "p", "strong", "table", "tbody", "td", "th"}
    | {"thead", "tr", "ul"}
)
SAFE_HREF = re.compile(r"#[a-z0-9-]+|(?:https?://|mailto:)\S+", re.IGNORECASE)
DOCUMENT_ANCHOR = re.compile(r"document-[a-z0-9-]+")
ALIGNMENT = re.compile(r"text-align:(?:left|center|right)")
#: A plot file's name, percent-encoded: no scheme, no host, no directory.
PLOT_FILE = re.compile(r"[A-Za-z0-9%._~-]+")

#: Pieces of hostile text: HTML, Markdown's block and inline syntax, links and autolinks.
FRAGMENTS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "<div onmouseover=alert(1)>",
    "<!-- x -->",
    "<![CDATA[x]]>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x]: javascript:alert(1)",
    "[x]",
    "<javascript:alert(1)>",
    "<https://evil.example>",
    "<a@b.example>",
    "javascript:alert(1)",
    "https://x.example/",
    "www.example.com",
    "`",
    "``",
    "```",
    "~~~",
    "~~x~~",
    "|",
    "| a | b |",
    "#",
    "# ",
    ">",
    "> ",
    "-",
    "- ",
    "---",
    "- - -",
    "+ ",
    "=",
    "===",
    "1.",
    "1. ",
    "2) ",
    "*",
    "**",
    "_",
    "__",
    "$",
    "$$",
    "\\",
    "&",
    "&amp;",
    "&#60;",
    "&lt;script&gt;",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "!",
    "(",
    ")",
    ":",
)

#: Hostile text: fragments and other printable characters, with something to show.
hostile_texts = (
    st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=4),
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda text: bool(text.strip()))
)


class Careless(MarkdownIt):
    """A CommonMark renderer with tables that keeps raw HTML and every link, as some viewers do."""

    def validateLink(self, url: str) -> bool:  # noqa: ARG002, N802 -- markdown-it's method
        """Keep every link, ``javascript:`` ones included, so that the tests see them."""
        return True


def render(markdown: str) -> str:
    """HTML from Markdown by a careless CommonMark renderer."""
    renderer = Careless("commonmark", {"html": True}).enable(["table", "strikethrough"])
    rendered: str = renderer.render(markdown)
    return rendered


class Elements(HTMLParser):
    """The tags of an HTML text, with their attributes, its comments and the text of its h1."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.heading: list[str] = []
        self._in_heading = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note a start tag, and whether it opens the h1."""
        self.tags.append((tag, attrs))
        self._in_heading = self._in_heading or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        """Note an end tag, and whether it closes the h1."""
        self.tags.append((f"/{tag}", []))
        self._in_heading = self._in_heading and tag != "h1"

    def handle_comment(self, data: str) -> None:
        """Note a comment."""
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        """Keep the text of the h1."""
        if self._in_heading:
            self.heading.append(data)

    def structure(self) -> list[str]:
        """The tags in order without the links a URL makes, which depend on the URL."""
        shown = []
        skipped = 0
        for tag, attrs in self.tags:
            href = (dict(attrs).get("href") or "#").lower()
            if tag == "a" and href.startswith(("http", "mailto")):
                skipped += 1
            elif tag == "/a" and skipped:
                skipped -= 1
            else:
                shown.append(tag)
        return shown


def assert_inert(markdown: str, *, plots: int = 0) -> Elements:
    """
    The Markdown renders to nothing its template did not make.

    No tag but the template's (``plots`` images among them), no event handler
    or other attribute but the template's anchors, links, alignment and plot
    files, no link but to an anchor in the report (a section or a document)
    or an http, https or mailto URL, and no comment but the report's
    provenance marker.
    """
    rendered = render(markdown)
    # The provenance comment is the template's, and no text can end it early
    # (its ">" is escaped); the elements parsed below check it.
    lowered = re.sub(r"<!--.*?-->", "", rendered, flags=re.DOTALL).lower()
    for raw in ("<script", "<iframe", "<svg", "<style", "<div", "<meta", "<b>", "<b "):
        assert raw not in lowered, raw
    assert lowered.count("<img") == plots
    assert 'href="javascript:' not in lowered
    elements = Elements(rendered)
    assert all(comment.startswith(" assess-report digest=") for comment in elements.comments)
    assert len(elements.comments) <= 1
    for tag, attrs in elements.tags:
        if tag.startswith("/"):
            continue
        assert tag in ALLOWED_TAGS | ({"img"} if plots else set()), tag
        for name, value in attrs:
            assert value is not None, (tag, name)
            if (tag, name) == ("img", "src"):
                assert PLOT_FILE.fullmatch(value), value
            elif (tag, name) == ("img", "alt"):
                assert not {"<", ">", '"'} & set(value), value
            elif (tag, name) == ("a", "href"):
                assert SAFE_HREF.fullmatch(value), value
            elif (tag, name) == ("a", "id"):
                assert DOCUMENT_ANCHOR.fullmatch(value), value
            elif tag in {"td", "th"} and name == "style":
                assert ALIGNMENT.fullmatch(value), value
            else:
                pytest.fail(f"attribute {name}={value!r} on <{tag}>")
    return elements


def shown(text: str) -> str:
    """Text as a report shows it: on one line, runs of whitespace as one space."""
    return " ".join(text.split())


@functools.cache
def fixture_data(template: str) -> dict[str, Any]:
    """What ``build`` or ``summary`` gives the template, for the fixture's report."""
    a = assess.load(FIXTURE, root=DATA)
    where = reporting if template == "report.md.j2" else notebook
    with mock.patch.object(where, "_render", wraps=reporting._render) as spy:
        if template == "report.md.j2":
            reporting.build(a, assess.analyse(a), command="assess report x.yaml", plots=False)
        else:
            a._repr_markdown_()
    name, captured = spy.call_args.args
    assert name == template
    captured = dict(captured)
    if template == "report.md.j2":
        captured["plots"] = {
            name: f"r-{name}.svg" for name in ("posterior", "matrix", "tornado", "timeline")
        }
        captured["plotted_with"] = "3.11.2"
    return captured


def substitute(data: Any, texts: list[str], counter: list[int]) -> Any:
    """``data`` with each of its strings replaced by the next of ``texts``, in turn."""
    if isinstance(data, str):
        counter[0] += 1
        return texts[counter[0] % len(texts)]
    if isinstance(data, dict):
        return {key: substitute(value, texts, counter) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [substitute(value, texts, counter) for value in data]
    return data


class TestEveryField:
    """
    Every string that reaches a Markdown template is escaped, whatever field holds it.

    The view of the fixture's report is rendered with each of its strings --
    text from the file, ids, file names, URLs, formatted numbers and computed
    messages alike -- replaced by hostile text, and must render to the same
    structure as with plain text.
    """

    @pytest.mark.parametrize("template", ["report.md.j2", "notebook.md.j2"])
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(texts=st.lists(hostile_texts, min_size=1, max_size=12))
    def test_no_markup_from_any_field(self, template: str, texts: list[str]) -> None:
        """Hostile text in every field renders to the template's structure and no more."""
        data = fixture_data(template)
        plain = Elements(render(reporting._render(template, substitute(data, ["x"], [0]))))
        hostile = substitute(data, texts, [0])
        plots = 4 if template == "report.md.j2" else 0
        elements = assert_inert(reporting._render(template, hostile), plots=plots)
        assert elements.structure() == plain.structure()

    @settings(max_examples=60, deadline=None)
    @given(title=hostile_texts)
    def test_text_shown_as_written(self, title: str) -> None:
        """Escaped text renders back to the text itself, on one line, not to escapes."""
        data = fixture_data("report.md.j2") | {"title": title}
        elements = assert_inert(reporting._render("report.md.j2", data), plots=4)
        assert "".join(elements.heading) == shown(title)


class TestLinks:
    """Only http, https and mailto URLs become links; any other is shown as text."""

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "//evil.example/x",
            "https://example.org/a b",
            "https://example.org/\u202e",
        ],
    )
    def test_other_urls_are_text(self, url: str) -> None:
        """A URL of another scheme, or with whitespace or controls, is text, not a link."""
        markdown = reporting._link(url)
        elements = assert_inert(f"- {markdown}\n")
        assert [tag for tag, _ in elements.tags] == ["ul", "li", "/li", "/ul"]
        assert html.unescape(re.sub("<[^>]+>", "", render(markdown))).strip() == shown(url)

    @pytest.mark.parametrize(
        ("url", "href"),
        [
            ("https://example.org/mod/statement", "https://example.org/mod/statement"),
            ("HTTP://example.org/a_b", "HTTP://example.org/a_b"),
            ("https://example.org/a_(b)?c=<d>&e=1", "https://example.org/a_(b)?c=%3Cd%3E&e=1"),
            ("https://example.org/?q=&amp;", "https://example.org/?q=&amp;"),
            ("https://example.org/\u00e9t\u00e9", "https://example.org/%C3%A9t%C3%A9"),
            ("mailto:desk@example.org", "mailto:desk@example.org"),
        ],
    )
    def test_web_urls_are_links(self, url: str, href: str) -> None:
        """An http, https or mailto URL is a link to itself, shown as written."""
        elements = assert_inert(f"- {reporting._link(url)}\n")
        links = [dict(attrs) for tag, attrs in elements.tags if tag == "a"]
        assert links == [{"href": href}]

    def test_plot_file_names(self) -> None:
        """A plot beside a report links to its file even with spaces and brackets in its name."""
        name = "my report (1)-posterior.svg"
        markdown = f"![plot]({reporting._destination(name)})\n"
        assert f'src="{quote(name)}"' in render(markdown)


def hostile_case(folder: Path, document: str) -> Path:
    """An assessment in ``folder`` whose every text is hostile, quoting the file ``document``."""
    (folder / document).write_text(
        "Intercepted: <script>alert(1)</script> then | `x` and [y](javascript:z).\n",
        encoding="utf-8",
    )
    (folder / "plain.txt").write_text("nothing to see\n", encoding="utf-8")
    case = {
        "assessment": "hostile",
        "title": "<script>alert(1)</script> # [x](javascript:alert(1)) *title*",
        "question": "1. <iframe src=javascript:alert(1)></iframe> | `q`?",
        "as_of": "2024-03-10",
        "analysts": ["a_b_c", "x.y"],
        "hypotheses": [
            {
                "id": "H_1_x",
                "statement": "- <b onmouseover=alert(1)>north</b> | south",
                "answer": "<img src=x onerror=alert(1)>",
            },
            {
                "id": "H.2",
                "statement": "> quoted <javascript:alert(1)>\n\n<div>x</div>",
                "answer": "- no",
            },
            {"id": "H-3", "statement": "===", "answer": "![a](javascript:alert(1))"},
        ],
        "sources": [
            {
                "id": "src_a_b",
                "name": "<svg onload=alert(1)>",
                "reliability": "B",
                "interested": True,
                "notes": "[a]: javascript:alert(1)\n\n<script>x</script>",
            },
            {"id": "wire", "name": "~~wire~~ $$x$$ | y", "reliability": "C"},
        ],
        "documents": [
            {
                "id": "d_1",
                "path": document,
                "source": "src_a_b",
                "title": "![t](javascript:alert(1)) <img src=x onerror=alert(1)>",
                "url": "javascript:alert(1)",
            },
            {
                "id": "d.2",
                "path": "plain.txt",
                "title": "+ <a href=javascript:alert(1)>x</a>",
                "url": "https://example.org/a_(b)?c=<d>&e=1",
            },
        ],
        "evidence": [
            {
                "id": "E_1",
                "summary": "+ <img src=x onerror=alert(1)> & &lt;script&gt;",
                "kind": "testimony",
                "source": "src_a_b",
                "credibility": 2,
                "document": "d_1",
                "quote": "<script>alert(1)</script> then | `x` and [y](javascript:z)",
                "notes": "<iframe src=x>",
                "ratings": {"H_1_x": {"a_b_c": "CC", "x.y": "I"}, "H.2": "I", "H-3": "II"},
            },
            {
                "id": "E.2",
                "summary": "2) <javascript:alert(1)> __bold__ `code`",
                "kind": "report",
                "source": "wire",
                "credibility": 3,
                "via": ["src_a_b"],
                "ratings": {"H_1_x": "I", "H.2": "C", "H-3": "C"},
            },
        ],
        "assumptions": [
            {
                "id": "A_1",
                "statement": "<style>body{display:none}</style>",
                "status": "supported",
                "hypotheses": ["H_1_x"],
            }
        ],
        "judgement": {"a_b_c": {"H_1_x": 0.7, "H.2": 0.2, "H-3": 0.2}},
        "scoring": {"draws": 200},
        "outcome": {
            "hypothesis": "H.2",
            "evidence": "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
        },
    }
    file = folder / "<img src=x onerror=alert(1)> `case`.yaml"
    file.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return file


class TestHostileAssessment:
    """A report of an assessment hostile in every text, ids and file names included, is inert."""

    NAME = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) `|*_#.txt"

    def test_report(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The Markdown report of the hostile case renders no markup, and shows its texts."""
        monkeypatch.chdir(tmp_path)
        file = hostile_case(tmp_path, self.NAME)
        status, markdown, err = run_cli("report", file.name, "--no-plots")
        assert (status, err) == (0, "")
        elements = assert_inert(markdown)
        assert "".join(elements.heading) == (
            "<script>alert(1)</script> # [x](javascript:alert(1)) *title*"
        )
        rendered = render(markdown)
        assert f"<code>{html.escape(self.NAME, quote=False)}</code>" in rendered
        shown = html.escape(file.name, quote=False)
        assert f"<code>assess report {shown} --no-plots</code>" in rendered
        assert 'href="https://example.org/a_(b)?c=%3Cd%3E&amp;e=1"' in rendered

    def test_notebook_summaries(self, tmp_path: Path) -> None:
        """The notebook summaries of an assessment and of its scores render no markup."""
        a = assess.load(hostile_case(tmp_path, self.NAME), root=tmp_path)
        assert_inert(a._repr_markdown_())
        assert_inert(assess.score(a)._repr_markdown_())


class TestControlCharactersInPaths:
    """A document path holding a control character is refused at validation, at its key."""

    @pytest.mark.parametrize(
        "path",
        [
            "a\n\n<img src=x onerror=alert(1)>.txt",
            "a\rb.txt",
            "a\tb.txt",
            "a\x1b[2Jb.txt",
            "a\x00b.txt",
            "a\x7fb.txt",
            "a\x85b.txt",
            "a\x9bb.txt",
            "a\u2028b.txt",
            "a\u202etxt.exe",
        ],
    )
    def test_refused(self, tmp_path: Path, path: str) -> None:
        """The path is refused at its key's line and column, naming the character, file or none."""
        if "\x00" not in path:
            (tmp_path / path).write_text("text\n", encoding="utf-8")
        file = tmp_path / "case.yaml"
        file.write_text(
            "assessment: a\n"
            "title: t\n"
            "hypotheses: [{id: H1, statement: s}, {id: H2, statement: s}]\n"
            "documents:\n"
            f"  - id: d1\n    path: {json.dumps(path)}\n",
            encoding="utf-8",
        )
        with pytest.raises(assess.InputError) as caught:
            assess.load(file, root=tmp_path)
        [problem] = caught.value.problems
        character = next(c for c in path if not c.isprintable())
        assert (problem.path, problem.line, problem.column) == ("documents[0].path", 6, 11)
        assert problem.message.startswith(f"document path {path!r} holds U+{ord(character):04X}")

    def test_validate_command(self, tmp_path: Path) -> None:
        """The validate command refuses the issue's file name with exit 1, at FILE:6:11."""
        path = "a\n\n<img src=x onerror=alert(1)>.txt"
        (tmp_path / path).write_text("text\n", encoding="utf-8")
        file = tmp_path / "case.yaml"
        file.write_text(
            "assessment: a\ntitle: t\n"
            "hypotheses: [{id: H1, statement: s}, {id: H2, statement: s}]\n"
            'documents:\n  - id: d1\n    path: "a\\n\\n<img src=x onerror=alert(1)>.txt"\n',
            encoding="utf-8",
        )
        status, _, err = run_cli("validate", str(file), "--root", str(tmp_path))
        assert status == 1
        assert f"{file}:6:11: error: documents[0].path: document path " in err
        assert "U+000A" in err
        assert "\n\n<img" not in err

    def test_python_assessment(self, tmp_path: Path) -> None:
        """verify_documents refuses the path of an assessment built in Python too."""
        a = assess.Assessment(
            id="a",
            title="t",
            hypotheses=[
                assess.Hypothesis(id="H1", statement="s"),
                assess.Hypothesis(id="H2", statement="s"),
            ],
            documents=[assess.Document(id="d1", path="a\nb.txt")],
        )
        with pytest.raises(assess.InputError) as caught:
            assess.verify_documents(a, base_dir=tmp_path, root=tmp_path)
        [problem] = caught.value.problems
        assert problem.path == "documents[0].path"
        assert "U+000A at character 2" in problem.message

    def test_printable_names_pass(self) -> None:
        """Spaces, markup and letters of any script in a file name are not refused."""
        name = "<img src=x onerror=alert(1)> \u043f\u0440\u0438\u043c\u0435\u0440 \u00e9.txt"
        assert refused_path(name) is None
