"""
The examples and the docs' code run as written, so that they cannot rot.

``examples/*.py`` run as scripts from the repository root.  Every ```python
block of ``docs/api.md`` runs on its own from the repository root; when the
page shows what a block prints ("It prints:" and a ```text block), the
output must match it exactly.  ``docs/tutorial.md`` is replayed as a reader
follows it, in an empty folder (see :func:`replay`): every command of its
```console blocks must print exactly what the page shows, and its ```python
block runs in that folder, where the file it loads is.  ``docs/cli.md`` is
replayed in the same way where the tutorial ends.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import assess
from assess import cli
from assess.language import bands

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "docs" / "api.md"
TUTORIAL = ROOT / "docs" / "tutorial.md"
CLI = ROOT / "docs" / "cli.md"
WORKED = "assessments/russia-taliban-support.yaml"

#: A fenced block: its language and its body.
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
#: An edit the tutorial asks the reader to make in the assessment file.
EDIT = re.compile(r"change `([^`]+)`(?: back)? to `([^`]+)`", re.IGNORECASE)
#: Prose that introduces a file to save: "... as `name.txt`:".
SAVE_AS = re.compile(r"`([\w.-]+)`:\s*$")
#: Prose that introduces what the preceding Python block prints.
PRINTS = re.compile(r"It prints:\s*$")
#: Prose that introduces commands run from the repository root, not the reader's folder.
AT_ROOT = re.compile(r"from the repository root:\s*$")
#: The assessment file the tutorial builds from its ```yaml blocks.
TUTORIAL_FILE = "ferry.yaml"
ICD203 = "|".join(re.escape(band.term) for band in bands("icd203"))


def blocks(page: Path) -> list[tuple[str, str, str]]:
    """Each fenced block of a Markdown page: the prose before it, its language, its body."""
    text = page.read_text(encoding="utf-8")
    found, start = [], 0
    for match in FENCE.finditer(text):
        found.append((text[start : match.start()], match.group(1), match.group(2)))
        start = match.end()
    return found


def run_block(code: str, name: str) -> str:
    """Run one Python block in a namespace of its own; return what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, name, "exec"), {"__name__": "__main__"})  # noqa: S102 -- our own docs
    return out.getvalue()


def run_assess(command: str) -> tuple[int, str]:
    """
    Run an `assess` command line in-process; return its exit status and what it printed.

    Standard output and standard error are interleaved as on a terminal, unless
    the command line sends one of them to ``/dev/null`` (``>/dev/null``,
    ``2>/dev/null``).
    """
    argv = shlex.split(command)
    assert argv[0] == "assess", command
    shown = io.StringIO()
    out = io.StringIO() if ">/dev/null" in argv else shown
    err = io.StringIO() if "2>/dev/null" in argv else shown
    words = [word for word in argv[1:] if word not in {">/dev/null", "2>/dev/null"}]
    status = cli.main(words, stdout=out, stderr=err)
    return status, shown.getvalue()


def sessions(body: str) -> list[tuple[str, str]]:
    """The commands of a ```console block ("$ command" lines), each with its output."""
    found: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            assert found, f"output before any command: {line!r}"
            found[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in output)) for command, output in found]


def run_script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an example script from the repository root with this interpreter."""
    return subprocess.run(
        [sys.executable, str(Path("examples") / name), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def replay(page: Path, folder: Path) -> int:
    """
    Follow a page as a reader would, in ``folder``; return how many commands ran.

    A ```text block after "... `name`:" is saved as that file; ```yaml blocks
    are added in turn to the tutorial's assessment file; each "change `A` to
    `B`" in the prose is made in that file; every command of a ```console
    block ("$ assess ...", "$ cp A B" or "$ echo $?") must print what the page
    shows, run from the repository root when the prose before the block ends
    "from the repository root:";
    a ```python block runs, and must print the ```text block after "It
    prints:" when there is one.  Other blocks (```sh: set-up commands) are
    left alone.
    """
    assessment = folder / TUTORIAL_FILE
    printed: str | None = None
    status, commands = 0, 0
    for prose, language, body in blocks(page):
        for old, new in EDIT.findall(prose):
            text = assessment.read_text(encoding="utf-8")
            assert text.count(old) == 1, f"the edit {old!r} -> {new!r} is ambiguous"
            assessment.write_text(text.replace(old, new), encoding="utf-8")
        name = SAVE_AS.search(prose)
        if language == "text" and PRINTS.search(prose):
            assert printed == body, f"{page.name}: the Python block printed {printed!r}"
        elif language == "text" and name is not None:
            (folder / name.group(1)).write_text(body, encoding="utf-8")
        elif language == "yaml":
            with assessment.open("a", encoding="utf-8") as handle:
                handle.write(body)
        elif language == "console":
            where = ROOT if AT_ROOT.search(prose) else folder
            for command, expected in sessions(body):
                if command == "echo $?":
                    shown = f"{status}\n"
                elif command.startswith("cp "):
                    source, target = shlex.split(command)[1:]
                    shutil.copyfile(where / source, where / target)
                    status, shown = 0, ""
                else:
                    with contextlib.chdir(where):
                        status, shown = run_assess(command)
                assert shown == expected, f"{page.name}: $ {command}"
                commands += 1
        elif language == "python":
            printed = run_block(body, page.name)
    return commands


class TestBuildAndScore:
    """examples/build_and_score.py builds an assessment in code and scores it."""

    def test_prints_ranking_and_confidence(self) -> None:
        """It exits 0 and prints the ranking with ICD 203 terms, then the confidence and why."""
        result = run_script("build_and_score.py")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        ranked = [
            line.split()[:2]
            for line in lines
            if re.fullmatch(rf"\s+[123]  H[123]  .+\s+0\.\d{{3}}  ({ICD203})", line)
        ]
        assert [rank for rank, _ in ranked] == ["1", "2", "3"]
        assert sorted(hypothesis for _, hypothesis in ranked) == ["H1", "H2", "H3"]
        assert re.search(
            rf"^H[123] is the leading hypothesis: it is ({ICD203}) \(\d+%\)\.$",
            result.stdout,
            re.MULTILINE,
        )
        assert re.search(
            r"^Confidence in this judgement is (high|moderate|low), because:$",
            result.stdout,
            re.MULTILINE,
        )
        reasons = [line for line in lines if line.startswith("  - ")]
        assert len(reasons) == 3
        assert "perturbed draws" in reasons[1]


class TestWhatIf:
    """examples/what_if.py changes one rating and compares the conclusions."""

    @staticmethod
    def check_table(stdout: str) -> None:
        """The comparison table has a row per hypothesis, then leader, confidence, linchpins."""
        hypotheses = [h.id for h in assess.load(ROOT / WORKED, root=ROOT).hypotheses]
        rows = {line.split("  ")[0]: line for line in stdout.splitlines()}
        assert rows[""].split() == ["before", "after"]
        for h in hypotheses:
            assert re.fullmatch(
                rf"{h} posterior\s+[01]\.\d{{3}} ({ICD203})\s+[01]\.\d{{3}} ({ICD203})",
                rows[f"{h} posterior"],
            )
        assert re.fullmatch(r"leader\s+\S+\s+\S+", rows["leader"])
        assert set(rows["leader"].split()[1:]) <= set(hypotheses)
        assert re.fullmatch(
            r"confidence\s+(high|moderate|low)\s+(high|moderate|low)", rows["confidence"]
        )
        assert re.fullmatch(r"leader's stability\s+[\d.]+%\s+[\d.]+%", rows["leader's stability"])
        assert rows["linchpins"].startswith("linchpins ")

    def test_default_change(self) -> None:
        """Without arguments it changes the most diagnostic item's rating and prints the table."""
        result = run_script("what_if.py")
        assert result.returncode == 0, result.stderr
        assert re.search(
            r"^What if \S+ were rated (CC|C|N|I|II|NA) against \S+ instead of (CC|C|N|I|II|NA)\?$",
            result.stdout,
            re.MULTILINE,
        )
        self.check_table(result.stdout)

    def test_chosen_change(self) -> None:
        """--item, --hypothesis and --rating name the change, and the question repeats it."""
        assessment = assess.load(ROOT / WORKED, root=ROOT)
        item = next(
            e
            for e in assessment.evidence
            if isinstance(e.cell(assessment.hypotheses[0].id), assess.Rating)
        )
        hypothesis = assessment.hypotheses[0].id
        old = item.rating(hypothesis)
        new = "II" if old != assess.Rating.II else "CC"
        result = run_script(
            "what_if.py", "--item", item.id, "--hypothesis", hypothesis, "--rating", new
        )
        assert result.returncode == 0, result.stderr
        assert f"What if {item.id} were rated {new} against {hypothesis} instead of {old}?" in (
            result.stdout
        )
        self.check_table(result.stdout)

    def test_unknown_item(self) -> None:
        """An item the assessment does not have is a usage error: exit 2, a message on stderr."""
        result = run_script("what_if.py", "--item", "nope", "--hypothesis", "H1", "--rating", "C")
        assert result.returncode == 2
        assert result.stdout == ""
        assert "no evidence item with id 'nope'" in result.stderr


class TestApiGuide:
    """docs/api.md: every Python block runs on its own from the repository root."""

    def test_python_blocks(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every ```python block runs alone, and prints exactly what the page says it prints."""
        monkeypatch.chdir(ROOT)
        page = blocks(API)
        ran = 0
        for index, (_, language, body) in enumerate(page):
            if language != "python":
                continue
            printed = run_block(body, f"{API.name}, block {index}")
            ran += 1
            if index + 1 < len(page):
                prose, after, shown = page[index + 1]
                if after == "text" and PRINTS.search(prose):
                    assert printed == shown, f"block {index} of {API.name}"
        assert ran >= 10


class TestTutorial:
    """docs/tutorial.md, replayed as a reader follows it, and docs/cli.md after it."""

    def test_tutorial(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Its files, edits, commands and Python give exactly the output the page shows."""
        monkeypatch.chdir(tmp_path)
        assert replay(TUTORIAL, tmp_path) >= 7

    def test_cli_reference(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The commands of docs/cli.md, run where the tutorial ends, print what the page shows."""
        pytest.importorskip("matplotlib")  # one example compares reports with and without plots
        monkeypatch.chdir(tmp_path)
        replay(TUTORIAL, tmp_path)
        assert replay(CLI, tmp_path) >= 10
