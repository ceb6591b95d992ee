"""
Hostile file targets and inputs: output never destroys input, and nothing hangs.

Every case runs the command line in a process of its own (``tests/hostile.py``)
and pins its exit status, its message, its time and its peak memory, and that
no file in the working folder changed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from hostile import Outcome, run_hostile, snapshot

FIXTURE = Path(__file__).resolve().parent / "data" / "report"

#: Bounds for a command that refuses at once: generous for a loaded machine.
SECONDS = 20.0
PEAK_MIB = 400.0


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A working folder with the report fixture and its document."""
    for name in ("fixture.yaml", "witness.txt"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    return tmp_path


def refused(outcome: Outcome, message: str) -> None:
    """A usage refusal: exit 2, the message on stderr, no traceback, quick and small."""
    assert outcome.status == 2, outcome
    assert message in outcome.stderr, outcome
    assert "Traceback" not in outcome.stderr
    assert outcome.seconds < SECONDS, outcome
    assert outcome.peak_mib < PEAK_MIB, outcome


class TestOutputOntoInput:
    """A command never writes over a file it reads."""

    @pytest.mark.parametrize(
        "argv",
        [
            ("report", "fixture.yaml", "-o", "fixture.yaml", "--format", "markdown"),
            ("report", "fixture.yaml", "-o", "./sub/../fixture.yaml", "--format", "markdown"),
            ("report", "fixture.yaml", "-o", "witness.txt", "--format", "markdown"),
            ("export", "fixture.yaml", "--format", "csv", "-o", "fixture.yaml", "--force"),
        ],
    )
    def test_refused_by_path(self, folder: Path, argv: tuple[str, ...]) -> None:
        """The assessment and its documents, however the path is spelled, are refused."""
        (folder / "sub").mkdir()
        before = snapshot(folder)
        outcome = run_hostile(*argv, cwd=folder)
        refused(outcome, "which this command reads")
        assert snapshot(folder) == before

    def test_refused_through_a_hard_link(self, folder: Path) -> None:
        """A hard link to the assessment is the same file: compared by inode, not by name."""
        os.link(folder / "fixture.yaml", folder / "alias.md")
        before = snapshot(folder)
        outcome = run_hostile("report", "fixture.yaml", "-o", "alias.md", cwd=folder)
        refused(outcome, "refusing to write alias.md: it is fixture.yaml")
        assert snapshot(folder) == before

    def test_refused_through_a_symlink(self, folder: Path) -> None:
        """A link to a document is refused too: it resolves to a file the command reads."""
        (folder / "link.md").symlink_to("witness.txt")
        before = snapshot(folder)
        outcome = run_hostile("report", "fixture.yaml", "-o", "link.md", cwd=folder)
        refused(outcome, "which this command reads")
        assert snapshot(folder) == before

    def test_import_into_itself(self, folder: Path) -> None:
        """``import RATINGS --into FILE -o FILE`` would lose FILE: refused."""
        exported = run_hostile("export", "fixture.yaml", "--format", "csv", cwd=folder)
        (folder / "ratings.csv").write_text(exported.stdout, encoding="utf-8")
        before = snapshot(folder)
        outcome = run_hostile(
            "import", "ratings.csv", "--into", "fixture.yaml", "-o", "fixture.yaml", "--force",
            cwd=folder,
        )  # fmt: skip
        refused(outcome, "which this command reads")
        assert snapshot(folder) == before

    def test_other_targets_still_written(self, folder: Path) -> None:
        """The check refuses only inputs: a new report is written as before."""
        outcome = run_hostile("report", "fixture.yaml", "-o", "out.md", cwd=folder)
        assert outcome.status == 0, outcome.stderr
        assert "assess-report digest=" in (folder / "out.md").read_text(encoding="utf-8")


class TestNonRegularTargets:
    """Writers refuse directories, FIFOs and devices, before writing anything."""

    def test_directory_before_plots(self, folder: Path) -> None:
        """``-o DIR`` fails before any plot is written beside it."""
        (folder / "out").mkdir()
        before = snapshot(folder)
        outcome = run_hostile(
            "report", "fixture.yaml", "-o", "out", "--format", "markdown", cwd=folder
        )
        refused(outcome, "refusing to write out: it is a directory")
        assert snapshot(folder) == before

    def test_directory_named_like_a_report(self, folder: Path) -> None:
        """A directory called ``r.md`` is refused too, and no ``r-*.svg`` appears."""
        (folder / "r.md").mkdir()
        before = snapshot(folder)
        outcome = run_hostile("report", "fixture.yaml", "-o", "r.md", cwd=folder)
        refused(outcome, "it is a directory")
        assert snapshot(folder) == before

    def test_fifo(self, folder: Path) -> None:
        """A FIFO as the target is refused; it stays a FIFO and nothing blocks."""
        os.mkfifo(folder / "pipe.md")
        before = snapshot(folder)
        outcome = run_hostile("report", "fixture.yaml", "-o", "pipe.md", cwd=folder)
        refused(outcome, "it is a FIFO, not a regular file")
        assert stat.S_ISFIFO((folder / "pipe.md").lstat().st_mode)
        assert snapshot(folder) == before

    def test_character_device(self, folder: Path) -> None:
        """A device node as the target is refused; the machine's own /dev is never used."""
        node = folder / "null.md"
        try:
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:
            pytest.skip("making a device node needs root")
        before = snapshot(folder)
        outcome = run_hostile("report", "fixture.yaml", "-o", "null.md", cwd=folder)
        refused(outcome, "it is a character device, not a regular file")
        assert stat.S_ISCHR(node.lstat().st_mode)
        assert snapshot(folder) == before

    def test_plot_target_is_a_fifo(self, folder: Path) -> None:
        """A plot written beside a report is checked like the report, before either is written."""
        os.mkfifo(folder / "r-posterior.svg")
        before = snapshot(folder)
        outcome = run_hostile("report", "fixture.yaml", "-o", "r.md", cwd=folder)
        if outcome.status == 0:  # pragma: no cover - only without matplotlib
            pytest.skip("no plots drawn")
        refused(outcome, "r-posterior.svg: it is a FIFO")
        assert snapshot(folder) == before

    def test_missing_directory(self, folder: Path) -> None:
        """A target in a folder that does not exist is a usage error, not a traceback."""
        outcome = run_hostile("report", "fixture.yaml", "-o", "nowhere/r.md", cwd=folder)
        refused(outcome, "does not exist")


class TestNonRegularInputs:
    """Inputs that are not regular files are refused at once: nothing hangs or streams."""

    def test_fifo_assessment(self, folder: Path) -> None:
        """A FIFO named as the assessment is refused without waiting for a writer."""
        os.mkfifo(folder / "a.yaml")
        for command in ("validate", "score"):
            outcome = run_hostile(command, "a.yaml", cwd=folder, timeout=30)
            refused(outcome, "a.yaml: is a FIFO, not a regular file")

    def test_fifo_document(self, folder: Path) -> None:
        """A document that is a FIFO is a problem of the file, reported at its path."""
        (folder / "witness.txt").unlink()
        os.mkfifo(folder / "witness.txt")
        for command in ("validate", "score", "report"):
            outcome = run_hostile(command, "fixture.yaml", cwd=folder, timeout=30)
            assert outcome.status == 1, outcome.stderr
            assert "is a FIFO, not a regular file" in outcome.stderr
            assert "fixture.yaml:16:" in outcome.stderr
            assert outcome.seconds < SECONDS

    def test_check_against_a_device(self, folder: Path) -> None:
        """``--check /dev/zero`` is refused at once instead of reading forever."""
        outcome = run_hostile("report", "fixture.yaml", "--check", "/dev/zero.md", cwd=folder)
        assert outcome.status in {1, 2}
        outcome = run_hostile(
            "report", "fixture.yaml", "--check", "/dev/zero", "--format", "markdown", cwd=folder
        )
        refused(outcome, "is a character device, not a regular file")

    def test_table_of_ratings_is_a_fifo(self, folder: Path) -> None:
        """``import FIFO --into FILE`` is refused without blocking."""
        os.mkfifo(folder / "ratings.csv")
        outcome = run_hostile(
            "import", "ratings.csv", "--into", "fixture.yaml", "-o", "new.yaml", cwd=folder
        )
        refused(outcome, "is a FIFO, not a regular file")
        assert not (folder / "new.yaml").exists()

    def test_directory_as_assessment(self, folder: Path) -> None:
        """A directory given to ``score`` is refused with its kind named."""
        outcome = run_hostile("score", ".", cwd=folder)
        refused(outcome, "is a directory")


class TestRevisionSize:
    """``diff --rev`` asks git for a blob's size before reading it."""

    def test_large_blob_refused_unread(self, tmp_path: Path) -> None:
        """A 40 MiB file at a revision, over ``--max-bytes``, is refused without being read."""
        if shutil.which("git") is None:  # pragma: no cover - git is on every CI machine
            pytest.skip("git is not installed")
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
        env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
        big = tmp_path / "big.yaml"
        with big.open("wb") as handle:
            handle.write(b"# " + b"x" * (40 * 2**20) + b"\n")
        for argv in (["init", "-q"], ["add", "big.yaml"], ["commit", "-qm", "big"]):
            subprocess.run(["git", *argv], cwd=tmp_path, env={**os.environ, **env}, check=True)
        before = snapshot(tmp_path)
        cap = ("--max-bytes", str(16 * 2**20))  # under the blob: the cap reaches git's reads
        outcome = run_hostile(
            "diff", "big.yaml", "--rev", "HEAD", "--rev", "HEAD", *cap, cwd=tmp_path
        )
        refused(outcome, "big.yaml@HEAD: is larger than 16777216 bytes (41943043 bytes at HEAD)")
        assert outcome.peak_mib < 60, outcome  # the 40 MiB blob is never held
        assert snapshot(tmp_path) == before


class TestEverythingElse:
    """Deep folders, a missing root and floods of problems."""

    def test_deep_folder_tree(self, tmp_path: Path) -> None:
        """``validate DIR`` walks a 1,200-deep tree without recursion and finds the file."""
        folders = [tmp_path]
        for _ in range(1200):
            folders.append(folders[-1] / "d")
            folders[-1].mkdir()
        deep = folders[-1]
        try:
            shutil.copy(FIXTURE / "fixture.yaml", deep / "a.yaml")
            shutil.copy(FIXTURE / "witness.txt", deep / "witness.txt")
            outcome = run_hostile("validate", "d", "--root", str(tmp_path), cwd=tmp_path)
            assert outcome.status == 0, outcome.stderr[-500:]
            assert "a.yaml: ok" in outcome.stdout
            assert outcome.seconds < SECONDS
        finally:
            # Taken down here, deepest first: shutil.rmtree, which pytest would
            # use, recurses and would fail on a tree this deep.
            for name in ("a.yaml", "witness.txt"):
                (deep / name).unlink(missing_ok=True)
            for folder in reversed(folders[1:]):
                folder.rmdir()

    def test_missing_root(self, folder: Path) -> None:
        """``--root no-such-dir`` is a usage error, not a problem per document."""
        before = snapshot(folder)
        outcome = run_hostile("validate", "fixture.yaml", "--root", "no-such-dir", cwd=folder)
        refused(outcome, "--root no-such-dir: no such directory")
        assert "lies outside" not in outcome.stderr
        assert snapshot(folder) == before

    def test_problems_capped(self, tmp_path: Path) -> None:
        """A file with thousands of problems prints the first 100 and how many more."""
        items = "".join(
            f"  - {{id: E{i}, summary: s, kind: report, source: nobody}}\n" for i in range(3000)
        )
        text = "assessment: x\ntitle: t\nhypotheses:\n  - {id: H1, statement: s}\nevidence:\n"
        (tmp_path / "many.yaml").write_text(text + items, encoding="utf-8")
        outcome = run_hostile("validate", "many.yaml", cwd=tmp_path)
        assert outcome.status == 1
        lines = outcome.stderr.splitlines()
        total = int(lines[-1].split()[0])
        assert total > 3000  # one unknown source per item, and more
        assert lines[-1] == f"{total} problems in 1 file"
        assert lines[-2] == f"... and {total - 100} more problems"
        assert sum(": error: " in line for line in lines) == 100
        assert outcome.seconds < SECONDS

    def test_too_many_entries(self, tmp_path: Path) -> None:
        """A list past its documented limit is refused at its place before anything is built."""
        hypotheses = "".join(f"  - {{id: H{i}, statement: s}}\n" for i in range(1001))
        text = f"assessment: x\ntitle: t\nhypotheses:\n{hypotheses}"
        (tmp_path / "wide.yaml").write_text(text, encoding="utf-8")
        outcome = run_hostile("validate", "wide.yaml", cwd=tmp_path)
        assert outcome.status == 1
        assert "wide.yaml:4:3: error: hypotheses: at most 1000 entries, got 1001" in outcome.stderr
        assert outcome.stderr.endswith("1 problem in 1 file\n")
        assert outcome.seconds < SECONDS

    def test_too_many_cells(self, tmp_path: Path) -> None:
        """Hypotheses times items past the documented cap is refused at the evidence list."""
        hypotheses = "".join(f"  - {{id: H{i}, statement: s}}\n" for i in range(1000))
        items = "".join(
            f"  - {{id: E{i}, summary: s, kind: report, source: s}}\n" for i in range(2001)
        )
        text = f"assessment: x\ntitle: t\nhypotheses:\n{hypotheses}evidence:\n{items}"
        (tmp_path / "big.yaml").write_text(text, encoding="utf-8")
        outcome = run_hostile("score", "big.yaml", cwd=tmp_path)
        assert outcome.status == 1, outcome
        expected = (
            "big.yaml:1005:3: error: evidence: 1000 hypotheses x 2001 items is 2001000 cells;"
            " at most 2000000 are allowed"
        )
        assert expected in outcome.stderr
        assert outcome.seconds < SECONDS
