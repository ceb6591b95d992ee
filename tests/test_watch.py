"""`assess watch`: revalidate and regenerate on every save (issue 17, item 3)."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assess import watch
from assess.io import scaffold
from assess.watch import Figures
from helpers import run_cli

pytest.importorskip("watchfiles")

ASSESS = (sys.executable, "-m", "assess")
WAIT = 30.0  # seconds to wait for a line: generous, for a loaded CI machine


class Lines:
    """The lines a process prints, read on a thread, each awaited with a timeout."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.found: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def read() -> None:
            for line in stream:
                self.found.put(line)

        threading.Thread(target=read, daemon=True).start()

    def next(self) -> str:
        """The next line, or a failure after WAIT seconds."""
        try:
            return self.found.get(timeout=WAIT).rstrip("\n")
        except queue.Empty:
            pytest.fail("no line from assess watch")


def documented() -> list[str]:
    """The lines docs/cli.md shows `assess watch` printing."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    found = re.search(
        r"<!-- checked by tests/test_watch\.py[^>]*-->\n```text\n(.*?)```", page, re.DOTALL
    )
    assert found is not None
    return found.group(1).splitlines()


def save(path: Path, old: str, new: str) -> None:
    """Edit a file as an editor saves it: a new file renamed over the old."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    fresh = path.with_name(path.name + ".tmp")
    fresh.write_text(text.replace(old, new), encoding="utf-8")
    fresh.replace(path)


def test_updates_on_every_save(tmp_path: Path) -> None:
    """Each save revalidates and rewrites the report; a bad save names its problems."""
    for name, text in scaffold.files().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    case = tmp_path / "assessment.yaml"
    process = subprocess.Popen(
        [*ASSESS, "watch", "assessment.yaml", "-o", "report.md", "--no-plots"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = Lines(process)
        shown = [lines.next()]
        first = (tmp_path / "report.md").read_text(encoding="utf-8")
        time.sleep(0.5)  # the watch starts after the first report
        save(case, "ratings: {H1: C, H2: I}", "ratings: {H1: CC, H2: II}")
        shown.append(lines.next())
        second = (tmp_path / "report.md").read_text(encoding="utf-8")
        assert second != first
        # What watch wrote is what `assess report` writes of the file as saved.
        check = [*ASSESS, "report", "assessment.yaml", "--check", "report.md", "--no-plots"]
        assert subprocess.run(check, cwd=tmp_path, capture_output=True, check=False).returncode == 0
        save(case, "title: Why was the river bridge closed?", "title:")
        shown.append(lines.next())
        assert (tmp_path / "report.md").read_text(encoding="utf-8") == second
        # These three lines are the example in docs/cli.md.
        assert shown == documented()
        save(case, "title:\n", "title: Why was the river bridge closed?\n")
        assert lines.next().startswith("report updated: leader H1 (planned repairs) 0.753;")
        # Too many draws for the Monte Carlo budget: reported, and the watch goes on.
        save(case, "evidence:\n", "scoring: {draws: 10000000}\nevidence:\n")
        assert lines.next() == "assessment.yaml: not valid; the report was not updated"
        save(case, "scoring: {draws: 10000000}\n", "")
        assert lines.next().startswith("report updated: leader H1 (planned repairs) 0.753;")
        # A save of the document the item quotes is watched too: the quote must still be there.
        notice = tmp_path / "docs" / "council-notice.txt"
        save(notice, "for scheduled maintenance", "for urgent repairs")
        assert lines.next() == "assessment.yaml: not valid; the report was not updated"
        save(notice, "for urgent repairs", "for scheduled maintenance")
        assert lines.next().startswith("report updated: leader H1 (planned repairs) 0.753;")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    assert "title: expected text, got nothing (null)" in err
    assert "exceed the Monte Carlo budget" in err


def test_changes_line() -> None:
    """The figures in one line; each one that moved as old → new."""
    before = Figures("H1 (a)", 0.5, (("yes", 0.5), ("no", 0.5)), "low")
    same = Figures("H1 (a)", 0.5004, (("yes", 0.5004), ("no", 0.4996)), "low")
    assert watch.changes(None, before) == "leader H1 (a) 0.500; yes 0.500, no 0.500; confidence low"
    assert watch.changes(before, same) == "leader H1 (a) 0.500; yes 0.500, no 0.500; confidence low"
    after = Figures("H2", 0.7, (("yes", 0.3), ("no", 0.7)), "moderate")
    arrow = "\N{RIGHTWARDS ARROW}"
    assert watch.changes(before, after) == (
        f"leader H1 (a) {arrow} H2 0.700; yes 0.500 {arrow} 0.300, no 0.500 {arrow} 0.700;"
        f" confidence low {arrow} moderate"
    )


def test_missing_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without watchfiles the command names the extra, exit 2, before reading anything."""
    monkeypatch.setitem(sys.modules, "watchfiles", None)
    status, out, err = run_cli("watch", str(tmp_path / "missing.yaml"))
    assert (status, out) == (2, "")
    assert "[watch]" in err
