r"""
Text bound for a terminal, made inert.

Anything an assessment file holds (a title, a quote, an id, a file name)
may reach the terminal in a table, a message or the source line echoed
under an error.  A control character in it would be obeyed by the terminal:
ESC sequences clear the screen, forge hyperlinks or set the window title,
and bidirectional overrides make text read differently from what it is.
:func:`inert` replaces each such character with a visible escape (``\x1b``,
``\u202e``), and :class:`InertStream` applies it to everything written to
a stream, at the one place where the command line's output leaves.
"""

from __future__ import annotations

import re
from typing import IO, Final

__all__ = ["InertStream", "inert"]

#: C0 controls but tab and newline, DEL and the C1 controls, the bidirectional
#: marks, embeddings, overrides and isolates, and lone surrogates (what a file
#: name that is not UTF-8 becomes in ``sys.argv``).
_UNSAFE: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


#: The colour codes the score table paints with (bold, dim, green, red, reset):
#: the only escape sequences let through, because all they can do is colour text.
_COLOURS: Final = re.compile(r"\x1b\[(?:0|1|2|31|32|1;31|1;32)m")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    r"""
    ``text`` with every control, bidirectional and surrogate character escaped.

    Tabs and newlines are kept, and so are the table's own colour codes
    (``ESC [ 32 m`` and the like, which can only colour text); everything
    else a terminal would act on is written as ``\xNN`` or ``\uNNNN``.
    """
    kept = _COLOURS.split(text)
    if len(kept) == 1:
        return _UNSAFE.sub(_escape, text)
    colours = _COLOURS.findall(text)
    parts = [_UNSAFE.sub(_escape, part) for part in kept]
    return "".join(part + colour for part, colour in zip(parts, [*colours, ""], strict=True))


class InertStream:
    """
    A text stream that writes everything through :func:`inert`.

    Where the underlying stream cannot encode a character (``PYTHONIOENCODING
    =ascii`` and a Cyrillic title), it is written as a backslash escape
    instead of failing.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    @property
    def encoding(self) -> str | None:
        """The underlying stream's encoding, if it has one."""
        return getattr(self._stream, "encoding", None)

    def write(self, text: str) -> int:
        """Write ``text`` made inert; return how many characters were given."""
        safe = inert(text)
        try:
            self._stream.write(safe)
        except UnicodeEncodeError:
            encoding = self.encoding or "ascii"
            self._stream.write(safe.encode(encoding, "backslashreplace").decode(encoding))
        return len(text)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """The underlying stream's file descriptor."""
        return self._stream.fileno()
