"""
What a check yields, and the words checks share.

A check takes a value and yields findings: the path below the value (empty
for the value itself) and a message.  :mod:`assess.model.assessment` checks
each field when a class is built; :mod:`assess.model.checks` checks how an
assessment's parts refer to each other.  Both speak this vocabulary, which
is why it lives below them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from assess.errors import PathPart

__all__ = ["ID_PATTERN", "Finding", "did_you_mean"]

#: A finding: where below the checked value (keys and indexes), and what is wrong.
Finding = tuple[tuple["PathPart", ...], str]

#: An id: 1-64 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.
ID_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix when a choice is close to ``word``."""
    import difflib  # noqa: PLC0415 -- only once a file has a mistake, never on a clean start

    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f" (did you mean {close[0]!r}?)" if close else ""
