"""
Validation problems as annotations a CI service shows on a pull request.

Two forms, for ``assess validate --format sarif`` and ``--format github``:
SARIF 2.1.0 (OASIS, the Static Analysis Results Interchange Format), which
GitHub code scanning and other services read, and GitHub Actions' workflow
commands (``::error file=…,line=…,col=…,title=…::message``), which put each
problem on its line in the pull request's diff.  Both carry each problem's
stable code (:mod:`assess.codes`).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

from assess.codes import CODES, Code

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.errors import Problem

__all__ = ["READ_ERROR", "github", "sarif"]

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"

READ_ERROR: Final = Code("A000", "unreadable", "The file cannot be read: missing, not a file.")
"""The code of a file that could not be read at all."""

#: One file's outcome: its name, its problems, and why it could not be read (or None).
Checked = tuple[str, "Sequence[Problem]", "str | None"]


def _uri(file: str) -> str:
    """A file name as a relative URI reference: forward slashes, reserved characters escaped."""
    return quote(PurePath(file).as_posix(), safe="/")


def _message(problem: Problem) -> str:
    return f"{problem.path}: {problem.message}" if problem.path else problem.message


def sarif(checked: Sequence[Checked], *, version: str) -> dict[str, Any]:
    """
    The problems of the files checked, as one SARIF 2.1.0 log.

    Every code is listed as a rule of the tool, so a viewer can explain it;
    each problem is an error at its file, line and column.

    .. versionadded:: 0.1
    """
    rules = [READ_ERROR, *CODES]
    index = {code.id: n for n, code in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for file, problems, error in checked:
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
        if error is not None:
            results.append(
                {
                    "ruleId": READ_ERROR.id,
                    "ruleIndex": index[READ_ERROR.id],
                    "level": "error",
                    "message": {"text": error},
                    "locations": [{"physicalLocation": location}],
                }
            )
        for problem in problems:
            region: dict[str, int] = {}
            if problem.line is not None:
                region["startLine"] = problem.line
                if problem.column is not None:
                    region["startColumn"] = problem.column
            code = problem.code
            place: dict[str, Any] = {"artifactLocation": {"uri": _uri(problem.file or file)}}
            if region:
                place["region"] = region
            results.append(
                {
                    "ruleId": code.id,
                    "ruleIndex": index[code.id],
                    "level": "error",
                    "message": {"text": _message(problem)},
                    "locations": [{"physicalLocation": place}],
                }
            )
    driver = {
        "name": "assess",
        "version": version,
        "rules": [
            {
                "id": code.id,
                "name": code.name,
                "shortDescription": {"text": code.summary},
                "defaultConfiguration": {"level": "error"},
            }
            for code in rules
        ],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub Actions reads it back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: its message escapes, and ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github(checked: Sequence[Checked]) -> str:
    """
    The problems as GitHub Actions workflow commands, one ``::error`` line each.

    .. versionadded:: 0.1
    """
    lines = []
    for file, problems, error in checked:
        if error is not None:
            title = _property(str(READ_ERROR))
            lines.append(f"::error file={_property(file)},title={title}::{_data(error)}")
        for problem in problems:
            where = [f"file={_property(problem.file or file)}"]
            if problem.line is not None:
                where.append(f"line={problem.line}")
                if problem.column is not None:
                    where.append(f"col={problem.column}")
            where.append(f"title={_property(str(problem.code))}")
            lines.append(f"::error {','.join(where)}::{_data(_message(problem))}")
    return "".join(line + "\n" for line in lines)
