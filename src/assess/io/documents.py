"""
Documents on disk: confinement to a root directory and quote checking.

A quote must occur in its document.  Both are compared after folding the
differences that copying text between a web page and a YAML file introduces:
runs of whitespace, typographic quotes and dashes, and Unicode composition.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Final

from assess.errors import ReadError
from assess.io.files import read_regular

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from assess.model.findings import Finding

MAX_DOCUMENT_BYTES: Final = 16 * 1024 * 1024
"""Largest document read for quote checking."""

# C0 controls (line breaks among them), DEL, C1 controls, the line and
# paragraph separators, and the bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069).
_FORBIDDEN_IN_PATH: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

_FOLD = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u00b4": "'",  # acute accent used as an apostrophe
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # left guillemet
        "\u00bb": '"',  # right guillemet
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u00ad": None,  # soft hyphen: invisible, dropped
        "\u200b": None,  # zero-width space: invisible, dropped
    }
)


def fold(text: str) -> str:
    """
    Fold text for quote matching.

    NFC composition, typographic quotes to ASCII quotes, dashes to ``-``,
    invisible soft hyphens and zero-width spaces dropped, and every run of
    whitespace (including no-break spaces and line breaks) to one space.
    Case and punctuation otherwise count: a quote is a quote.
    """
    return " ".join(unicodedata.normalize("NFC", text).translate(_FOLD).split())


def refused_path(path: str) -> str | None:
    r"""
    Why a document path is refused before it is resolved, or ``None``.

    A path may not hold control characters (C0, line breaks included, DEL and
    C1), Unicode line or paragraph separators, or the bidirectional controls
    that make text show in another order than it has: a file named
    ``a\n\n<img ...>.txt`` would otherwise pass into reports and terminals
    as something other than a name.
    """
    found = _FORBIDDEN_IN_PATH.search(path)
    if found is None:
        return None
    return (
        f"document path {path!r} holds U+{ord(found.group()):04X} at character"
        f" {found.start() + 1}; a document path may hold no control characters, line breaks"
        " or bidirectional controls"
    )


def confine(base_dir: Path, path: str, root: Path) -> tuple[Path | None, str | None]:
    """
    Resolve ``path`` against ``base_dir`` and refuse it unless it lies in ``root``.

    Symbolic links are followed before the check, so a link inside the root
    that points outside it is refused too.

    Returns:
        The resolved path and ``None``, or ``None`` and the reason for refusal.
    """
    try:
        resolved = (base_dir / path).resolve()
        root_resolved = root.resolve()
    except (OSError, ValueError, RuntimeError) as error:  # NUL bytes, symlink loops
        return None, f"cannot resolve document path {path!r}: {error}"
    if not resolved.is_relative_to(root_resolved):
        return None, (
            f"document path {path!r} lies outside the root directory"
            " (the current directory unless --root or root= names another)"
        )
    return resolved, None


#: How a document's read failures are worded, where it differs from the reader's.
_REASONS: Final = {"no such file": "does not exist", "is a directory": "is a directory, not a file"}


def _read(path: Path, shown: str) -> tuple[str | None, str | None]:
    try:
        data = read_regular(path, MAX_DOCUMENT_BYTES)
    except ReadError as error:
        reason = _REASONS.get(error.reason, error.reason)
        return None, f"document {shown!r} {reason}"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        return None, f"document {shown!r} is not UTF-8 text (byte 0x{bad} at offset {error.start})"


def document_findings(
    documents: Sequence[tuple[int, Any]],
    evidence: Sequence[tuple[int, Any]],
    *,
    base_dir: Path,
    root: Path,
) -> list[Finding]:
    """
    Check that every document can be read inside ``root`` and every quote occurs in it.

    Each document is read and folded once, however many items quote it.
    Items may be the loader's unchecked drafts (see ``assess.model.checks``).
    """
    findings: list[Finding] = []
    folded: dict[str, str | None] = {}
    for index, doc in documents:
        if not isinstance(doc.path, str):
            continue  # a broken draft: its path was reported
        resolved, reason = None, refused_path(doc.path)
        if reason is None:
            resolved, reason = confine(base_dir, doc.path, root)
        text = None
        if resolved is not None:
            text, reason = _read(resolved, doc.path)
        if reason is not None:
            findings.append((("documents", index, "path"), reason))
        if isinstance(doc.id, str) and doc.id not in folded:  # the first of duplicate ids
            folded[doc.id] = None if text is None else fold(text)
    for index, item in evidence:
        if not isinstance(item.document, str) or not isinstance(item.quote, str):
            continue
        haystack = folded.get(item.document)
        if haystack is None:  # unknown or unreadable document: reported already
            continue
        needle = fold(item.quote)
        if not needle:
            findings.append((("evidence", index, "quote"), "the quote has no visible text"))
        elif needle not in haystack:
            findings.append(
                (
                    ("evidence", index, "quote"),
                    f"quote not found in document {item.document!r}: {_shorten(item.quote)!r}",
                )
            )
    return findings


def _shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"
