"""
Stable codes for the problems ``assess validate`` reports, for CI annotations.

Every problem gets a code such as ``A101 unknown-key``: a letter and three
digits that never change meaning, and a name.  The hundreds group them:

- ``A0xx``: the file as YAML (syntax, encoding, size, refused constructs);
- ``A1xx``: structure (unknown and missing keys, wrong types, empty values);
- ``A2xx``: values (grades, ids, dates, numbers out of range);
- ``A3xx``: cross-checks between entries (references, duplicates, links,
  priors, answers, settings that contradict each other);
- ``A4xx``: documents and quotes on disk.

A problem's code follows from its message, which ``assess`` writes from a
fixed set of templates: :data:`RULES` matches them in order, and a message
that no rule matches (a cross-check not listed) gets ``A300 cross-check``.
The list is in ``docs/format.md``; a test checks that every code is used by
some problem of the test fixtures and that no fixture falls back.
"""

from __future__ import annotations

import re
from typing import Final

import attrs

__all__ = ["CODES", "FALLBACK", "RULES", "Code", "code_of"]


@attrs.frozen
class Code:
    """
    A problem's stable code, its name, and what it means.

    .. versionadded:: 0.1
    """

    id: str
    name: str
    summary: str

    def __str__(self) -> str:
        return f"{self.id} {self.name}"


def _code(id_: str, name: str, summary: str, *patterns: str) -> tuple[Code, tuple[str, ...]]:
    return Code(id_, name, summary), patterns


_TABLE: Final = (
    _code("A001", "yaml-syntax", "The file is not well-formed YAML.", r"^YAML syntax error"),
    _code(
        "A002",
        "encoding",
        "The file is not UTF-8 text, or holds a character YAML forbids.",
        r"^the file is not UTF-8 text",
        r"is not allowed in YAML$",
    ),
    _code(
        "A003",
        "file-size",
        "The file is empty, or larger than the cap.",
        r"^the file is empty",
        r"^the file is larger than",
        r"^the text is longer than",
    ),
    _code(
        "A004",
        "refused-yaml",
        "A YAML construct assess refuses: anchors, aliases, merge keys, tags, a second"
        " document, keys that are not text.",
        r"^anchors \(",
        r"^aliases \(",
        r"^merge keys",
        r"^explicit tags",
        r"^a file holds one YAML document",
        r"^a key must be plain text",
    ),
    _code("A005", "too-deep", "Mappings and lists nest too deep.", r"^nesting deeper than"),
    _code("A006", "duplicate-key", "A key given twice in one mapping.", r"^duplicate key '"),
    _code("A101", "unknown-key", "A key the format does not have there.", r"^unknown key '"),
    _code("A102", "missing-key", "A required key is missing.", r"^missing required key '"),
    _code("A103", "empty-value", "Text of only white space.", r"^must not be empty$"),
    _code(
        "A201",
        "bad-grade",
        "A rating, grade, kind, relevance or status that is not one of its values.",
        r"^expected an? [a-z ]+, one of ",
        r" (?:is|are) keyed by ",
        r"^NA always counts as N",
        r"^NA says nothing about an indicator",
    ),
    _code(
        "A202",
        "bad-id",
        "An id that breaks the id pattern.",
        r" is not a valid (?:assessment )?id",
    ),
    _code(
        "A203",
        "bad-date",
        "A date not written YYYY-MM-DD, or not in the calendar.",
        r"^expected a date written",
        r" is not a date in the calendar$",
    ),
    _code(
        "A204",
        "out-of-range",
        "A number outside its range, not finite, or too long.",
        r"must be (?:in|between) ",
        r"must be a finite number",
        r"must not be negative",
        r"must have at most \d+ digits",
        r"^an? [a-z ]+ must be in ",
        r"^a seed must not be negative",
        r"^draws must be between",
    ),
    _code(
        "A205",
        "bad-text",
        "A label or answer that is not short text on one line.",
        r" is a short label on one line",
    ),
    _code(
        "A104",
        "wrong-type",
        "A value of the wrong type: text for a number, a list for a mapping, and so on.",
        r"^expected .*, got ",
    ),
    _code(
        "A301",
        "unknown-reference",
        "An id that names nothing declared: a hypothesis, source, document, item or analyst.",
        r"^unknown (?:hypothesis|source|document|evidence item|item|analyst|assumption) '",
    ),
    _code(
        "A302",
        "duplicate-id",
        "Two entries with one id, or an id listed twice.",
        r"^duplicate [a-z ]+ id '",
        r" is listed twice$",
        r"^via lists '[^']*' twice$",
    ),
    _code(
        "A303",
        "link-cycle",
        "derived_from or confirmed_by links that loop, or an item that names itself.",
        r"form a cycle",
        r"cannot (?:derive from|confirm) itself",
    ),
    _code(
        "A304",
        "priors",
        "Priors given for some hypotheses only, or that do not sum to 1.",
        r"^give every hypothesis a prior or none",
        r"^priors must sum to 1",
    ),
    _code(
        "A305",
        "answers",
        "Answers given for some hypotheses only, or naming fewer than two answers.",
        r"^give every hypothesis an answer or none",
        r"^answers must name at least two",
    ),
    _code(
        "A306",
        "hypotheses",
        "Fewer than two hypotheses.",
        r"^at least two hypotheses are needed",
    ),
    _code(
        "A307",
        "settings",
        "Scoring settings that contradict each other.",
        r"^likelihoods must not increase",
        r"^high confidence cannot need less",
    ),
    _code(
        "A401",
        "document",
        "A document that cannot be read: missing, not a file, too large, not UTF-8 text.",
        r"^document '",
        r"^cannot read document",
    ),
    _code(
        "A402",
        "outside-root",
        "A document outside the root directory.",
        r"lies outside the root directory",
    ),
    _code(
        "A403",
        "quote",
        "A quote that does not occur in its document, or has nothing to find.",
        r"^quote not found in document",
        r"^the quote has no visible text",
        r"^quote is given without document",
        r"^document is given without quote",
    ),
)

FALLBACK: Final = Code(
    "A300",
    "cross-check",
    "Entries that contradict each other in a way not listed above (each message says how).",
)
"""The code of a problem that no rule matches: a cross-check between entries."""

RULES: Final[tuple[tuple[re.Pattern[str], Code], ...]] = tuple(
    (re.compile(pattern), code) for code, patterns in _TABLE for pattern in patterns
)
"""The patterns of the messages, in the order they are tried, and their codes."""

CODES: Final[tuple[Code, ...]] = tuple(
    sorted([code for code, _ in _TABLE] + [FALLBACK], key=lambda code: code.id)
)
"""Every code, in order."""


def code_of(message: str) -> Code:
    """
    The code of a problem with this message.

    .. versionadded:: 0.1
    """
    for pattern, code in RULES:
        if pattern.search(message):
            return code
    return FALLBACK
