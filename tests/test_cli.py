"""The command line: exit statuses, streams and formats."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import assess
from assess import cli
from helpers import run_cli

VALID = """\
assessment: a
title: t
hypotheses: [{id: H1, statement: s}, {id: H2, statement: s}]
"""
BROKEN = """\
assessment: a
title: t
hypotheses: [{id: H1, statement: s}, {id: H1, statement: s, prior: 2}]
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with a valid and a broken assessment, made current."""
    (tmp_path / "good.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


class TestValidate:
    """assess validate."""

    def test_valid(self, files: Path) -> None:
        """A valid file: exit 0, a line on stdout naming its digest, nothing on stderr."""
        status, out, err = run_cli("validate", "good.yaml")
        digest = assess.digest(assess.load(files / "good.yaml"))
        assert (status, err) == (0, "")
        assert out == f"good.yaml: ok: 2 hypotheses, 0 evidence items, {digest}\n"

    @pytest.mark.usefixtures("files")
    def test_problems(self) -> None:
        """A broken file: exit 1, every problem on stderr with a caret, then a count."""
        status, out, err = run_cli("validate", "good.yaml", "bad.yaml")
        assert status == 1
        assert out.startswith("good.yaml: ok")
        line = "    hypotheses: [{id: H1, statement: s}, {id: H1, statement: s, prior: 2}]"
        assert err.splitlines() == [
            (
                "bad.yaml:3:13: error: hypotheses: give every hypothesis a prior or none;"
                " no prior for H1"
            ),
            line,
            "                ^",
            (
                "bad.yaml:3:43: error: hypotheses[1].id: duplicate hypothesis id 'H1':"
                " hypotheses[0] has it"
            ),
            line,
            "                                              ^",
            "bad.yaml:3:68: error: hypotheses[1].prior: a prior must be in (0, 1], got 2",
            line,
            "                                                                       ^",
            "3 problems in 1 file",
        ]

    @pytest.mark.usefixtures("files")
    def test_json(self) -> None:
        """--format json prints every file's result and problems on stdout."""
        status, out, err = run_cli("validate", "--format", "json", "good.yaml", "bad.yaml")
        assert (status, err) == (1, "")
        data = json.loads(out)
        assert data["valid"] is False
        good, bad = data["files"]
        assert good["valid"] is True
        assert good["digest"].startswith("sha256:")
        assert bad["valid"] is False
        assert bad["problems"][1] == {
            "file": "bad.yaml",
            "line": 3,
            "column": 43,
            "path": "hypotheses[1].id",
            "message": "duplicate hypothesis id 'H1': hypotheses[0] has it",
            "code": "A302",
            "name": "duplicate-id",
        }

    @pytest.mark.usefixtures("files")
    def test_missing_file(self) -> None:
        """A missing file is an I/O error: exit 2, whatever else is wrong."""
        status, _, err = run_cli("validate", "bad.yaml", "nope.yaml")
        assert status == 2
        assert "assess: error: nope.yaml: no such file" in err

    @pytest.mark.usefixtures("files")
    def test_directory(self) -> None:
        """A directory stands for the YAML files in it, in sorted order."""
        status, out, err = run_cli("validate", "--format", "json", ".")
        assert status == 1
        assert [f["file"] for f in json.loads(out)["files"]] == ["bad.yaml", "good.yaml"]
        assert err == ""

    def test_empty_directory(self, files: Path) -> None:
        """A directory without YAML files is a usage error."""
        (files / "empty").mkdir()
        status, _, err = run_cli("validate", "empty")
        assert status == 2
        assert "no *.yaml or *.yml files" in err

    def test_root(self, files: Path) -> None:
        """--root confines documents to another directory."""
        (files / "sub").mkdir()
        (files / "doc.txt").write_text("quoted words", encoding="utf-8")
        text = VALID + (
            "sources: [{id: s, name: S, reliability: A}]\n"
            "documents: [{id: d, path: ../doc.txt}]\n"
            "evidence: [{id: E1, summary: s, kind: report, source: s, document: d,"
            " quote: quoted words}]\n"
        )
        (files / "sub" / "x.yaml").write_text(text, encoding="utf-8")
        assert run_cli("validate", "sub/x.yaml")[0] == 0
        status, _, err = run_cli("validate", "--root", "sub", "sub/x.yaml")
        assert status == 1
        assert "outside the root" in err


class TestUsage:
    """Usage errors, help and version."""

    def test_no_command(self) -> None:
        """No command: usage on stderr, exit 2."""
        status, out, err = run_cli()
        assert (status, out) == (2, "")
        assert err.startswith("usage: assess")

    def test_bad_option(self) -> None:
        """An unknown choice: exit 2 with argparse's message."""
        status, _, err = run_cli("validate", "--format", "xml", "x.yaml")
        assert status == 2
        assert "invalid choice: 'xml'" in err

    def test_help(self) -> None:
        """--help goes to stdout and exits 0."""
        status, out, _ = run_cli("validate", "--help")
        assert status == 0
        assert "--root DIR" in out

    def test_version(self) -> None:
        """--version prints the installed version."""
        status, out, _ = run_cli("--version")
        assert status == 0
        assert out == f"assess {assess.__version__}\n"


class TestTextFormat:
    """One word for the plain-text format on every command that has one: text, or table."""

    COMMANDS = (
        ("validate", "good.yaml"),
        ("score", "good.yaml"),
        ("sensitivity", "good.yaml", "--draws", "50"),
        ("diff", "good.yaml", "good.yaml", "--draws", "50"),
        ("timeline", "good.yaml", "--draws", "50"),
        ("calibrate", "good.yaml"),
    )

    @pytest.mark.usefixtures("files")
    @pytest.mark.parametrize("argv", COMMANDS, ids=[argv[0] for argv in COMMANDS])
    def test_text_and_table_are_the_same(self, argv: tuple[str, ...]) -> None:
        """--format text and --format table print the same as the default; json differs."""
        default = run_cli(*argv)
        assert default[0] == 0, default
        assert run_cli(*argv, "--format", "text") == default
        assert run_cli(*argv, "--format", "table") == default
        assert run_cli(*argv, "--format", "json")[1] != default[1]

    @pytest.mark.parametrize("command", [argv[0] for argv in COMMANDS])
    def test_help_names_text(self, command: str) -> None:
        """Each command's help shows the choices text and json, and says table means text."""
        status, out, _ = run_cli(command, "--help")
        assert status == 0
        choices = "{text,json,sarif,github}" if command == "validate" else "{text,json}"
        assert f"--format {choices}" in out
        assert "'table' means text" in " ".join(out.split())

    def test_other_words_are_refused(self) -> None:
        """Any other word is a usage error that lists text and json."""
        status, _, err = run_cli("score", "--format", "plain", "x.yaml")
        assert status == 2
        assert "invalid choice: 'plain' (choose from 'text', 'json')" in err


class _ClosedPipe(io.StringIO):
    def write(self, _text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


class TestBrokenPipe:
    """A reader that goes away (assess ... | head) is not a bug."""

    @pytest.mark.usefixtures("files")
    def test_closed_stdout(self) -> None:
        """A closed pipe on stdout ends quietly with the I/O status, not exit 3."""
        err = io.StringIO()
        status = cli.main(["validate", "good.yaml"], stdout=_ClosedPipe(), stderr=err)
        assert status == 2
        assert err.getvalue() == ""


class TestInternalError:
    """A bug never shows a traceback: exit 3 and a request to report it."""

    @pytest.mark.usefixtures("files")
    def test_exit_3(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """An unexpected exception inside a command gives exit 3 and a short message."""

        def explode(*_: object, **__: object) -> None:
            raise ZeroDivisionError("boom")

        monkeypatch.setattr("assess.io.loading.load", explode)
        status, _, err = run_cli("validate", "good.yaml")
        assert status == 3
        assert "internal error: ZeroDivisionError: boom" in err
        assert "Please report it" in err
        assert "Traceback" not in err


class TestEntryPoints:
    """The console script and python -m assess."""

    @pytest.mark.usefixtures("files")
    def test_python_m(self) -> None:
        """Python -m assess runs the same CLI and returns its status."""
        result = subprocess.run(
            [sys.executable, "-m", "assess", "validate", "bad.yaml"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "3 problems in 1 file" in result.stderr
