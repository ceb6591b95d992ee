"""
Text from a file reaches the terminal inert: control sequences are shown, never obeyed.

Every command that prints for people is run on an assessment whose text holds
ESC, BEL, CSI (C1), DEL and bidirectional overrides; nothing it prints may hold
them raw.  JSON keeps the exact text, escaped as JSON escapes it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess import cli
from assess.errors import Problem
from assess.views.terminal import InertStream, inert
from hostile import run_hostile

FIXTURE = Path(__file__).resolve().parent / "data" / "report"

#: What a terminal would act on: C0 but tab and newline, DEL, C1, bidi controls.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
COLOURS = re.compile(r"\x1b\[(?:0|1|2|31|32|1;31|1;32)m")
TITLE = "Clear \x1b[2J\x07 screen \x9b31m and \u202eevil\u202c \x7f"
STATEMENT = "It \x1b]8;;http://x\x07never\x1b]8;;\x07"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The report fixture with a hostile title, and a copy with a hostile statement."""
    for name in ("fixture.yaml", "witness.txt"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    text = (FIXTURE / "fixture.yaml").read_text(encoding="utf-8")
    title = json.dumps(TITLE)  # a YAML double-quoted scalar with \x1b escapes
    hostile = re.sub(r"(?m)^title: .*$", lambda _: f"title: {title}", text)
    (tmp_path / "hostile.yaml").write_text(hostile, encoding="utf-8")
    changed = hostile.replace(
        "It never left.", json.dumps("It \x1b]8;;http://x\x07never\x1b]8;;\x07")
    )
    (tmp_path / "changed.yaml").write_text(changed, encoding="utf-8")
    return tmp_path


def strings(value: object) -> list[str]:
    """Every string in decoded JSON, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def run(folder: Path, *argv: str) -> tuple[int, str, str]:
    """The command line in-process, in ``folder``."""
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        status = cli.main(list(argv), stdout=out, stderr=err)
    finally:
        os.chdir(cwd)
    return status, out.getvalue(), err.getvalue()


class TestEveryCommand:
    """No command prints a raw control character from the file."""

    @pytest.mark.parametrize(
        "argv",
        [
            ("validate", "hostile.yaml"),
            ("score", "hostile.yaml"),
            ("sensitivity", "hostile.yaml", "--draws", "200"),
            ("timeline", "hostile.yaml", "--draws", "200"),
            ("diff", "hostile.yaml", "changed.yaml", "--draws", "200"),
            ("calibrate", "hostile.yaml"),
            ("report", "hostile.yaml", "--check", "none.md"),
        ],
    )
    def test_inert(self, folder: Path, argv: tuple[str, ...]) -> None:
        """Stdout and stderr hold no raw controls; the title shows with visible escapes."""
        status, out, err = run(folder, *argv)
        assert status in {0, 1}, err
        assert not RAW.search(out)
        assert not RAW.search(err)
        if argv[0] in {"score", "sensitivity", "timeline"}:
            assert "\\x1b[2J\\x07 screen \\x9b31m and \\u202eevil\\u202c \\x7f" in out + err

    def test_json_keeps_the_text(self, folder: Path) -> None:
        """``--format json`` is inert by JSON's own escapes and decodes to the exact text."""
        status, out, _ = run(folder, "diff", "hostile.yaml", "changed.yaml", "--format", "json")
        assert status == 0
        assert not RAW.search(out)
        assert STATEMENT in strings(json.loads(out))

    def test_document_on_stdout_kept_exact(self, folder: Path) -> None:
        """A report printed to a pipe is the document itself, as ``-o`` writes it."""
        status, out, _ = run(folder, "report", "hostile.yaml", "--no-plots")
        assert status == 0
        assert run(folder, "report", "hostile.yaml", "--no-plots", "-o", "r.md")[0] == 0
        written = (folder / "r.md").read_text(encoding="utf-8")
        regenerate = re.compile(r"(?m)^- Regenerate: .*$")
        assert regenerate.sub("", out) == regenerate.sub("", written)

    def test_errors_and_their_source_lines(self, folder: Path) -> None:
        """A problem's message and the source line echoed under it are inert too."""
        text = (folder / "hostile.yaml").read_text(encoding="utf-8")
        (folder / "bad.yaml").write_text(
            text.replace("as_of: 2024-03-10", 'as_of: 2024-03-10\n"x\\e[2Jy": 1'),
            encoding="utf-8",
        )
        status, out, err = run(folder, "validate", "bad.yaml")
        assert status == 1
        assert "unknown key 'x\\x1b[2Jy'" in err
        assert not RAW.search(out + err)

    def test_file_name(self, folder: Path) -> None:
        """A file name with an escape sequence is shown escaped."""
        name = "a\x1b]0;owned\x07.yaml"
        shutil.copy(folder / "hostile.yaml", folder / name)
        status, out, err = run(folder, "validate", name)
        assert status == 0
        assert "a\\x1b]0;owned\\x07.yaml" in out
        assert not RAW.search(out + err)


class TestStreams:
    """Streams that cannot take the text: escapes, never a crash."""

    def test_ascii_stream(self, folder: Path) -> None:
        """Under ``PYTHONIOENCODING=ascii`` a Cyrillic title prints as escapes, exit 0."""
        text = (folder / "fixture.yaml").read_text(encoding="utf-8")
        cyrillic = re.sub(r"(?m)^title: .*$", "title: Конвой", text)
        (folder / "ru.yaml").write_text(cyrillic, encoding="utf-8")
        outcome = run_hostile("score", "ru.yaml", cwd=folder, env={"PYTHONIOENCODING": "ascii"})
        assert outcome.status == 0, outcome.stderr
        assert "\\u041a\\u043e\\u043d\\u0432\\u043e\\u0439" in outcome.stdout
        assert "Traceback" not in outcome.stderr

    def test_file_name_not_utf8(self, folder: Path) -> None:
        """A file name that is not UTF-8 is shown with escapes; the report is written."""
        name = os.fsdecode(b"caf\xe9.yaml")
        shutil.copy(folder / "fixture.yaml", folder / name)
        outcome = run_hostile("report", name, "-o", "r.md", cwd=folder)
        assert outcome.status == 0, outcome.stderr
        outcome = run_hostile("validate", name, cwd=folder)
        assert outcome.status == 0, outcome.stderr
        assert "caf\\udce9.yaml" in outcome.stdout
        assert "Traceback" not in outcome.stderr

    def test_stream_wrapper_counts_what_it_was_given(self) -> None:
        """``write`` returns the length of the text given, as a text stream does."""
        sink = io.StringIO()
        assert InertStream(sink).write("a\x1bb") == 3
        assert sink.getvalue() == "a\\x1bb"


class TestInert:
    """The filter itself."""

    @given(
        st.text(
            alphabet=st.sampled_from(["\x1b", "[", "m", "0", "1", "3", "2", ";", "J"])
            | st.characters()
        )
    )
    def test_nothing_raw_survives(self, text: str) -> None:
        """The result holds no control, bidi or surrogate character but the table's colours."""
        result = COLOURS.sub("", inert(text))
        assert not RAW.search(result)
        assert not re.search("[\ud800-\udfff]", result)

    def test_only_colours_pass(self) -> None:
        """The table's colour codes pass; a screen clear, a title or a conceal does not."""
        text = "\x1b[32mC\x1b[0m \x1b[1;31mII\x1b[0m \x1b[2J \x1b]0;t\x07 \x1b[8m \x1b[38;5;1m"
        assert inert(text) == (
            "\x1b[32mC\x1b[0m \x1b[1;31mII\x1b[0m \\x1b[2J \\x1b]0;t\\x07 \\x1b[8m \\x1b[38;5;1m"
        )

    @given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"))))
    def test_plain_text_unchanged(self, text: str) -> None:
        """Text without controls passes unchanged, tabs and newlines included."""
        assert inert(text + "\t\n") == text + "\t\n"


class TestLongLines:
    """A problem on a very long line shows a window of it, not the whole line."""

    def test_megabyte_line(self, tmp_path: Path) -> None:
        """A bad date of a million characters prints a bounded problem with its caret."""
        value = "k" * 1_000_000
        text = (
            f"assessment: x\ntitle: t\nas_of: {value}\nhypotheses:\n  - {{id: H1, statement: s}}\n"
        )
        (tmp_path / "long.yaml").write_text(text, encoding="utf-8")
        outcome = run_hostile("validate", "long.yaml", cwd=tmp_path)
        assert outcome.status == 1
        assert len(outcome.stderr) < 2_000
        headline, line, caret, *_ = outcome.stderr.splitlines()
        assert headline.startswith("long.yaml:3:8: error: as_of: ")
        assert "\N{HORIZONTAL ELLIPSIS}" in headline
        assert len(headline) <= 1000
        assert line == "    as_of: " + "k" * 113 + "\N{HORIZONTAL ELLIPSIS}"
        assert caret == "           ^"

    def test_window_follows_the_column(self) -> None:
        """Far along a long line, the window is centred on the column and the caret under it."""
        problem = Problem(
            "bad", file="f", line=1, column=5001, source_line="a" * 5000 + "X" + "b" * 5000
        )
        _, line, caret = str(problem).splitlines()
        assert line[len(caret) - 1] == "X"
        assert line.startswith("    \N{HORIZONTAL ELLIPSIS}")
        assert line.endswith("\N{HORIZONTAL ELLIPSIS}")
        short = Problem("bad", file="f", line=1, column=3, source_line="abcdef")
        assert str(short).splitlines()[1:] == ["    abcdef", "      ^"]
