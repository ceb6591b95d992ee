"""
One error hierarchy for everything `assess` raises on purpose.

A problem in an assessment is a :class:`Problem` record (file, line, column,
field path, message).  All problems found in one input are raised together in
one :class:`InputError`, sorted by position, so a person can fix a file in one
pass rather than one error per run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

    from assess.codes import Code

__all__ = [
    "AssessError",
    "InputError",
    "KeyPart",
    "MissingExtraError",
    "Problem",
    "ReadError",
    "format_path",
]

PathPart = str | int


class KeyPart(str):
    """
    A path part that names a mapping key as such.

    A problem about a key (an unknown hypothesis id in ``ratings``) points at
    the key in the file, not at its value.
    """

    __slots__ = ()


def format_path(parts: Iterable[PathPart]) -> str:
    """
    Render a field path the way the file format documents it.

    ``("evidence", 3, "ratings", "H2")`` becomes ``evidence[3].ratings.H2``.
    Indexes count from 0.
    """
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif out:
            out.append(f".{part}")
        else:
            out.append(part)
    return "".join(out)


def _to_parts(parts: Iterable[PathPart]) -> tuple[PathPart, ...]:
    return tuple(parts)


#: The most of a source line shown under a problem, around its column.
SOURCE_EXCERPT: Final = 120
#: The most of a problem's headline shown as text (JSON keeps it whole).
MAX_SHOWN_CHARACTERS: Final = 1000


def _excerpt(line: str, offset: int) -> tuple[str, int]:
    """
    At most :data:`SOURCE_EXCERPT` characters of ``line`` around ``offset``, and the caret's place.

    A line of a megabyte would otherwise be echoed whole under its problem.
    """
    if len(line) <= SOURCE_EXCERPT:
        return line, offset
    start = max(0, min(offset - SOURCE_EXCERPT // 2, len(line) - SOURCE_EXCERPT))
    end = start + SOURCE_EXCERPT
    head = "\N{HORIZONTAL ELLIPSIS}" if start > 0 else ""
    tail = "\N{HORIZONTAL ELLIPSIS}" if end < len(line) else ""
    return f"{head}{line[start:end]}{tail}", offset - start + len(head)


def _shortened(text: str, limit: int) -> str:
    """``text`` cut in the middle to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}\N{HORIZONTAL ELLIPSIS}{text[len(text) - half :]}"


@attrs.frozen
class Problem:
    """
    One thing wrong with an input, at a place a person can find.

    ``line`` and ``column`` count from 1 and are ``None`` when the problem has
    no position (an assessment built in Python).  ``parts`` is the field path
    as keys and indexes; :attr:`path` renders it (``evidence[3].ratings.H2``).
    Both are empty for problems about the whole file.

    .. versionadded:: 0.1
    """

    message: str
    parts: tuple[PathPart, ...] = attrs.field(default=(), converter=_to_parts)
    file: str | None = None
    line: int | None = None
    column: int | None = None
    source_line: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def path(self) -> str:
        """The field path as text, for example ``evidence[3].ratings.H2``."""
        return format_path(self.parts)

    @property
    def code(self) -> Code:
        """The problem's stable code (:mod:`assess.codes`), such as ``A101 unknown-key``."""
        from assess.codes import code_of  # noqa: PLC0415 -- the table only when asked

        return code_of(self.message)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order problems by file, then position, then path."""
        return (self.file or "", self.line or 0, self.column or 0, self.path, self.message)

    def headline(self) -> str:
        """``FILE:LINE:COL: error: PATH: MESSAGE`` without the source excerpt."""
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: error: {what}" if where else f"error: {what}"

    def __str__(self) -> str:
        text = _shortened(self.headline(), MAX_SHOWN_CHARACTERS)
        if self.source_line is not None and self.column is not None:
            line, caret = _excerpt(self.source_line.expandtabs(1), self.column - 1)
            text += f"\n    {line}\n    {' ' * caret}^"
        return text

    def to_json(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping (``--format json``)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "code": self.code.id,
            "name": self.code.name,
        }


class AssessError(Exception):
    """
    Base class of every error `assess` raises on purpose.

    .. versionadded:: 0.1
    """


class InputError(AssessError, ValueError):
    """
    An assessment (a file or Python objects) has one or more problems.

    ``problems`` holds all of them, sorted by position.

    .. versionadded:: 0.1
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=Problem.sort_key))
        super().__init__(self.problems)

    def __reduce__(self) -> tuple[type[InputError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ReadError(AssessError, OSError):
    """
    A file could not be read or written (missing, unreadable, outside the root).

    .. versionadded:: 0.1
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:
        return (type(self), (self.path, self.reason))

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class MissingExtraError(AssessError, ImportError):
    """
    A feature needs an optional extra (or its system libraries) that is not installed.

    ``extra`` names the extra, as in ``pip install 'assess-evidence[pdf]'``.

    .. versionadded:: 0.1
    """

    def __init__(self, message: str, *, extra: str) -> None:
        self.extra = extra
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_missing_extra, (str(self), self.extra))


def _missing_extra(message: str, extra: str) -> MissingExtraError:
    """Rebuild a pickled :class:`MissingExtraError` (its ``extra`` is keyword-only)."""
    return MissingExtraError(message, extra=extra)
