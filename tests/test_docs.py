"""
Every output that README.md and docs/*.md show is replayed, so that stale text fails the suite.

A page is replayed as a reader follows it, block by block, in the folder :data:`PAGES` gives it.
The conventions below say which blocks show output and what produced it;
:class:`TestConventions` fails on any block they do not account for, so that no output can be
added that nothing replays.

- ```console blocks show commands and their output.
  Each ``$ `` line is a command, and the lines after it, up to the next ``$ `` line, are what it
  prints, standard output and standard error interleaved as on a terminal (one of them is left
  out when the command line sends it to ``/dev/null``).
  The commands are ``assess ...`` (run in-process), ``cp A B`` and ``echo $?`` (the exit status of
  the command before).
- A ```text block after prose that ends "It prints:" is what the ```python block just before it
  prints.
  Every ```python block runs on its own, whether or not its output is shown.
- Elision: in shown output, a line that is exactly ``...`` stands for any run of lines, none
  included.
  Every other line must be printed exactly as shown, line for line and in order, so an excerpt
  can leave lines out but never change one.
- Blocks run in the page's folder, or in a copy of the repository (:data:`REPOSITORY`) when the
  prose before them ends "from the repository root:".
- A ```text or ```yaml block after prose that ends with a file name in backticks and a colon
  ("Save this as `coastguard-log.txt`:") is a file the reader saves there.
  The tutorial's other ```yaml blocks are added in turn to the file it builds (:class:`Page`).
  "Change `A` to `B`" in the prose, or "in `FILE.yaml`, change `A` to `B`", is made in that file,
  or in the named one: ``A`` must occur once as a whole line (indentation aside), or else once.
- A ```text block whose every line starts ``assess `` is a synopsis of a command's arguments.
- Any other ```text block says what it is in an HTML comment in the prose before it:
  ``<!-- not output: WHY -->``, or ``<!-- checked by tests/test_NAME.py -->`` for output that
  another test checks (the named test must read the page).
- ```sh blocks hold commands whose output is not shown (set-up, or a list of commands with
  comments); they have no ``$ `` prompt.
  ```python, ```yaml and ```xml blocks are code and files; no other kind of block may be used.

A stale output fails with the page and the line that no longer matches, and a diff.
To bring the page up to date, run the command where the page runs it (for README.md, the
repository root) and copy what it prints; do not change the code to match the page.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import itertools
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from assess import cli

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Page:
    """Where a page is replayed: in a folder of its own, or in a copy of the repository."""

    #: An empty folder, a copy of the repository, or the folder as the tutorial leaves it.
    start: Literal["empty", "repository", "tutorial"]
    #: The file that the page's unnamed ```yaml blocks build, in turn.
    builds: str | None = None
    #: Optional packages a command of the page needs.
    needs: tuple[str, ...] = ()


#: Every page that shows output, and where it is replayed (docs/cli.md: "The examples run in the
#: folder that the tutorial builds, as it is at the tutorial's end").
PAGES = {
    "README.md": Page("repository"),
    "docs/api.md": Page("repository"),
    "docs/architecture.md": Page("empty"),
    "docs/cli.md": Page("tutorial", needs=("matplotlib",)),
    "docs/estimative.md": Page("empty"),
    "docs/format.md": Page("empty"),
    "docs/interchange.md": Page("empty"),
    "docs/methods.md": Page("empty"),
    "docs/tutorial.md": Page("empty", builds="ferry.yaml"),
}
#: Markdown files that are not pages, and why.
NOT_PAGES = {
    "docs/russia-taliban-support.md": "a generated report, compared byte for byte with what "
    "assess report writes by tests/test_shipped_report.py",
}
#: What a copy of the repository holds: everything the pages' commands and Python read.
REPOSITORY = ("assessments", "docs", "seeds", "tests/data")
#: The programs a ```console block may run, besides ``echo $?``.
REPLAYED = {"assess", "cp"}
#: The languages a fenced block may have.
LANGUAGES = {"console", "python", "sh", "text", "xml", "yaml"}

#: A fenced block: its language and its body.
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
#: Any line that opens or closes a fence, indented or not.
ANY_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
#: An edit the prose asks the reader to make in a file.
EDIT = re.compile(
    r"(?:in `([\w./-]+\.ya?ml)`,? )?change `([^`]+)`(?: back)? to `([^`]+)`", re.IGNORECASE
)
#: Prose that introduces a file to save: "... as `docs/name.txt`:".
SAVE_AS = re.compile(r"`([\w./-]*\.[\w-]+)`:\s*$")
#: Prose that introduces what the preceding Python block prints.
PRINTS = re.compile(r"It prints:\s*$")
#: Prose that introduces commands run from the repository root, not the page's folder.
AT_ROOT = re.compile(r"from the repository root:\s*$")
#: A comment before a ```text block that is not output.
NOT_OUTPUT = re.compile(r"<!-- not output: [^>]+ -->")
#: A comment before a ```text block that another test checks.
CHECKED_BY = re.compile(r"<!-- checked by (tests/test_\w+\.py)\b[^>]*-->")
#: The line of shown output that stands for any run of lines.
ELIDED = "..."


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    #: The Markdown between the block before (or the top of the page) and this one.
    prose: str
    language: str
    body: str
    #: The line of the page on which the body starts, counted from 1.
    line: int

    @property
    def role(self) -> str:
        """
        What the block is, by the conventions of this module.

        Returns:
            ``"commands"``, ``"prints"`` (output of the Python before it), ``"file"``,
            ``"synopsis"``, ``"not output"``, ``"checked by"``, ``"code"`` (any other
            language), or ``"unaccounted"`` for a ```text block that none of these covers.
        """
        if self.language == "console":
            return "commands"
        if self.language in {"text", "yaml"} and SAVE_AS.search(self.prose):
            return "file"
        if self.language != "text":
            return "code"
        lines = self.body.splitlines()
        if PRINTS.search(self.prose):
            return "prints"
        if lines and all(line.startswith("assess ") for line in lines):
            return "synopsis"
        if NOT_OUTPUT.search(self.prose):
            return "not output"
        if CHECKED_BY.search(self.prose):
            return "checked by"
        return "unaccounted"


def blocks(page: Path) -> list[Block]:
    """Each fenced block of a Markdown page, in order."""
    text = page.read_text(encoding="utf-8")
    found, start = [], 0
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 2
        found.append(Block(text[start : match.start()], match.group(1), match.group(2), line))
        start = match.end()
    return found


def common(shown: list[str], printed: list[str]) -> int:
    """How many lines two runs of lines have in common from their start."""
    pairs = zip(shown, printed, strict=False)
    return next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(shown), len(printed)))


def mismatch(shown: list[str], printed: list[str]) -> tuple[int, int] | None:
    """
    Where shown output stops matching what was printed.

    A shown line that is exactly ``...`` matches any run of printed lines, none included; every
    other shown line must be printed as it is, in order, and the first and last shown lines
    (unless they are ``...``) must be the first and last printed.

    Returns:
        ``None`` when the output matches; otherwise the index of the first shown line that does
        not match and of the printed line found in its place (either index is the length of its
        list when that list has no more lines).
    """
    cuts = [index for index, line in enumerate(shown) if line == ELIDED]
    if not cuts:
        same = common(shown, printed)
        return None if same == len(shown) == len(printed) else (same, same)
    head, tail = shown[: cuts[0]], shown[cuts[-1] + 1 :]
    same = common(head, printed)
    if same < len(head):
        return same, same
    at = len(head)
    for begin, end in itertools.pairwise(cuts):
        middle = shown[begin + 1 : end]
        # The first place where the most of the run is printed: where all of it is, if anywhere.
        best = max(range(at, len(printed) + 1), key=lambda i: common(middle, printed[i:]))
        same = common(middle, printed[best:])
        if same < len(middle):
            return begin + 1 + same, best + same
        at = best + len(middle)
    start = max(at, len(printed) - len(tail))
    same = common(tail, printed[start:])
    if same < len(tail):
        return cuts[-1] + 1 + same, start + same
    return None


def check_output(where: str, what: str, shown: str, printed: str, first_line: int) -> None:
    """
    Fail, naming the page and line, when printed output does not match the shown output.

    Args:
        where: The page, relative to the repository.
        what: What printed the output, for the message.
        shown: The output the page shows, from its line ``first_line``.
        printed: What was printed.
        first_line: The line of the page that shows the first line of output.
    """
    shown_lines, printed_lines = shown.splitlines(), printed.splitlines()
    found = mismatch(shown_lines, printed_lines)
    if found is None:
        if printed == "" or printed.endswith("\n"):
            return
        found = (len(shown_lines) - 1, len(printed_lines) - 1)  # the last line is not ended
    page, output = (
        repr(lines[i]) if i < len(lines) else "nothing more"
        for lines, i in zip((shown_lines, printed_lines), found, strict=True)
    )
    diff = "\n".join(
        difflib.unified_diff(shown_lines, printed_lines, "the page", "the output", lineterm="")
    )
    pytest.fail(
        f"{where}:{first_line + found[0]}: {what} prints other output than the page shows:\n"
        f"  the page shows  {page}\n  the output has  {output}\n"
        f"(in the page, a line of exactly {ELIDED!r} stands for any run of lines)\n{diff}",
        pytrace=False,
    )


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


@dataclass(frozen=True)
class Command:
    """One command of a ```console block and the output the page shows for it."""

    text: str
    output: str
    #: The line of the page that holds the command.
    line: int


def sessions(block: Block) -> list[Command]:
    """The commands of a ```console block ("$ command" lines), each with its output."""
    found: list[tuple[str, int, list[str]]] = []
    for offset, line in enumerate(block.body.splitlines()):
        if line.startswith("$ "):
            found.append((line[2:], block.line + offset, []))
        else:
            assert found, f"line {block.line + offset}: output before any command: {line!r}"
            found[-1][2].append(line)
    return [Command(text, "".join(f"{o}\n" for o in output), line) for text, line, output in found]


def edit(file: Path, old: str, new: str) -> None:
    """Change ``old`` to ``new`` in a file: once as a whole line (indentation aside), or once."""
    text = file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    whole = [i for i, line in enumerate(lines) if line.strip() == old]
    if len(whole) == 1:
        lines[whole[0]] = lines[whole[0]].replace(old, new)
        text = "".join(lines)
    else:
        assert text.count(old) == 1, f"the edit {old!r} -> {new!r} in {file.name} is ambiguous"
        text = text.replace(old, new)
    file.write_text(text, encoding="utf-8")


def copy_repository(target: Path) -> Path:
    """Copy what the pages read from the repository (:data:`REPOSITORY`) into ``target``."""
    for part in REPOSITORY:
        shutil.copytree(ROOT / part, target / part)
    return target


def replay(name: str, folder: Path, repository: Path) -> list[int]:
    """
    Follow a page as a reader would, in ``folder``, checking every output it shows.

    Args:
        name: The page, relative to the repository (a key of :data:`PAGES`).
        folder: Where the page's commands and Python run.
        repository: A copy of the repository, where blocks "from the repository root:" run.

    Returns:
        The lines of the page at which the blocks that show output start, in order.
    """
    builds = PAGES[name].builds
    checked: list[int] = []
    printed: str | None = None
    status = 0
    for block in blocks(ROOT / name):
        for file, old, new in EDIT.findall(block.prose):
            target = file or builds
            assert target is not None, f"{name}:{block.line}: which file to change?"
            edit(folder / target, old, new)
        role = block.role
        where = repository if AT_ROOT.search(block.prose) else folder
        if role == "file":
            saved = SAVE_AS.search(block.prose)
            assert saved is not None
            path = where / saved.group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.body, encoding="utf-8")
        elif role == "code" and block.language == "yaml" and builds is not None:
            with (folder / builds).open("a", encoding="utf-8") as handle:
                handle.write(block.body)
        elif role == "code" and block.language == "python":
            with contextlib.chdir(where):
                printed = run_block(block.body, f"{name}, line {block.line}")
        elif role == "prints":
            assert printed is not None, f"{name}:{block.line}: no Python block before it"
            check_output(name, "the Python block before it", block.body, printed, block.line)
            checked.append(block.line)
        elif role == "commands":
            for command in sessions(block):
                status, shown = run_command(command.text, where, status)
                check_output(name, f"`$ {command.text}`", command.output, shown, command.line + 1)
            checked.append(block.line)
    return checked


def run_command(command: str, where: Path, status: int) -> tuple[int, str]:
    """Run one command of a ```console block in ``where``; ``status`` is the last exit status."""
    if command == "echo $?":
        return status, f"{status}\n"
    if command.startswith("cp "):
        source, target = shlex.split(command)[1:]
        shutil.copyfile(where / source, where / target)
        return 0, ""
    with contextlib.chdir(where):
        return run_assess(command)


def outputs(name: str) -> list[int]:
    """The lines at which the blocks of a page that show output start."""
    return [b.line for b in blocks(ROOT / name) if b.role in {"commands", "prints"}]


#: The page that builds the folder other pages start in.
TUTORIAL = "docs/tutorial.md"


@pytest.fixture(scope="module")
def tutorial_end(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    """
    The tutorial, replayed once for itself and for the pages that start where it ends.

    Returns:
        The folder as the tutorial leaves it, and the lines of the outputs checked on the way.
    """
    folder = tmp_path_factory.mktemp("tutorial")
    repository = copy_repository(tmp_path_factory.mktemp("repository"))
    return folder, replay(TUTORIAL, folder, repository)


class TestReplay:
    """Each page, replayed as a reader follows it, prints exactly what it shows."""

    @pytest.mark.parametrize("name", sorted(PAGES))
    def test_page(self, name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        """Every command and Python block of the page prints what the page shows it printing."""
        page = PAGES[name]
        for package in page.needs:
            pytest.importorskip(package)
        if name == TUTORIAL:
            _, checked = request.getfixturevalue("tutorial_end")
        else:
            repository = copy_repository(tmp_path / "repository")
            folder = tmp_path / "folder"
            if page.start == "repository":
                folder = repository
            elif page.start == "tutorial":
                shutil.copytree(request.getfixturevalue("tutorial_end")[0], folder)
            else:
                folder.mkdir()
            checked = replay(name, folder, repository)
        assert checked == outputs(name)


class TestMatching:
    """Shown output matches printed output line for line, ``...`` standing for any lines."""

    @pytest.mark.parametrize(
        ("shown", "printed"),
        [
            ("a b c", "a b c"),
            ("... c", "a b c"),
            ("a ...", "a b c"),
            ("a ... c", "a b c"),
            ("a ... c", "a c"),
            ("... b ...", "a b c"),
            ("a ... c ... e", "a b c d e"),
            ("...", ""),
        ],
    )
    def test_matches(self, shown: str, printed: str) -> None:
        """Shown lines in order, with ``...`` for any run of lines (none too), match."""
        assert mismatch(shown.split(), printed.split()) is None

    @pytest.mark.parametrize(
        ("shown", "printed", "index"),
        [
            ("a b c", "a x c", 1),
            ("a b", "a b c", 2),
            ("a b c", "a b", 2),
            ("a ... c", "a b c d", 2),
            ("x ... c", "a b c", 0),
            ("a ... x ... c", "a b c", 2),
            ("a ... c ... b", "a b c", 4),
            ("... b b", "a b", 1),
        ],
    )
    def test_mismatches(self, shown: str, printed: str, index: int) -> None:
        """A changed, missing, extra or reordered line is found, at the shown line it breaks."""
        found = mismatch(shown.split(), printed.split())
        assert found is not None
        assert found[0] == index

    def test_failure_names_page_and_line(self) -> None:
        """A stale excerpt fails with the page, the line that no longer matches and a diff."""
        with pytest.raises(pytest.fail.Exception) as failure:
            check_output("README.md", "`$ assess x`", "a\n...\nold\n", "a\nb\nnew\n", 40)
        lines = str(failure.value).splitlines()
        assert lines[:3] == [
            "README.md:42: `$ assess x` prints other output than the page shows:",
            "  the page shows  'old'",
            "  the output has  'new'",
        ]
        assert {"-old", "+new"} <= set(lines)


class TestConventions:
    """Every block of every page is one the conventions account for, so none goes unreplayed."""

    def test_every_page_is_replayed(self) -> None:
        """README.md and every docs/*.md are replayed, or named as not pages with the reason."""
        found = {"README.md"} | {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
        assert found == set(PAGES) | set(NOT_PAGES)

    def test_unreplayed_output_is_found(self, tmp_path: Path) -> None:
        """Output that nothing replays, and blocks the replay would miss, are each named."""
        page = tmp_path / "page.md"
        page.write_text(
            "The command prints:\n\n```text\nstale\n```\n"  # 4: output of nothing
            "It prints:\n\n```text\n1\n```\n"  # 9: no Python before it
            "```console\nstale\n```\n"  # 12: output before any command
            "```console\n$ ls\n```\n"  # 15: a command the replay cannot run
            "```sh\n$ assess score x.yaml\n```\n"  # 18: output hidden in a ```sh block
            "```json\n{}\n```\n"  # 21: a language nothing replays
            "<!-- checked by tests/test_nothing.py -->\n```text\nx\n```\n"  # 25: no such test
            "- a list\n\n  ```text\n  indented\n  ```\n"  # 1: a fence the replay misses
            "<!-- not output: a picture -->\n```text\n+--+\n```\n",  # fine
            encoding="utf-8",
        )
        assert [line for line, _ in unaccounted(page)] == [1, 4, 9, 12, 15, 18, 21, 25]

    def test_edits(self, tmp_path: Path) -> None:
        """An edit changes a whole line when one matches, else the one place the text occurs."""
        file = tmp_path / "a.yaml"
        file.write_text("  x: 3  # x\n  x: 3\nquote: north-west\n", encoding="utf-8")
        edit(file, "x: 3", "x: 7")
        edit(file, "north", "south")
        assert file.read_text(encoding="utf-8") == "  x: 3  # x\n  x: 7\nquote: south-west\n"
        with pytest.raises(AssertionError, match="ambiguous"):
            edit(file, "x: ", "y: ")

    @pytest.mark.parametrize("name", sorted(PAGES))
    def test_blocks_are_accounted_for(self, name: str) -> None:
        """Every block shows replayed output, or is code, a file, a synopsis or says what it is."""
        problems = [f"{name}:{line}: {problem}" for line, problem in unaccounted(ROOT / name)]
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)


UNACCOUNTED = (
    "a ```text block that nothing replays: show output in a ```console block or after "
    "'It prints:', or say what it is (see tests/test_docs.py)"
)


def unaccounted(path: Path) -> list[tuple[int, str]]:
    """The blocks of a page that break the conventions of this module: line and problem."""
    page = blocks(path)
    found = []
    fences = len(ANY_FENCE.findall(path.read_text(encoding="utf-8")))
    if fences != 2 * len(page):
        found.append((1, "a fence that is indented, or not closed: it would not be replayed"))
    for before, block in zip([None, *page], page, strict=False):
        if block.language not in LANGUAGES:
            found.append((block.line, f"a block of {block.language or 'no language'!r}"))
        elif block.role == "unaccounted":
            found.append((block.line, UNACCOUNTED))
        elif block.role == "prints" and (before is None or before.language != "python"):
            found.append((block.line, "'It prints:' after no ```python block"))
        elif block.role == "commands":
            if not block.body.startswith("$ "):
                found.append((block.line, "output before any `$ ` command"))
                continue
            found.extend(
                (command.line, f"`{command.text}` cannot be replayed")
                for command in sessions(block)
                if command.text != "echo $?" and shlex.split(command.text)[0] not in REPLAYED
            )
        elif block.language == "sh" and "\n$ " in f"\n{block.body}":
            found.append((block.line, "a `$ ` prompt in a ```sh block: show output in ```console"))
        elif block.role == "checked by":
            checker = CHECKED_BY.search(block.prose)
            assert checker is not None
            test = ROOT / checker.group(1)
            if not test.is_file() or path.name not in test.read_text(encoding="utf-8"):
                found.append((block.line, f"{checker.group(1)} does not read {path.name}"))
    return found
