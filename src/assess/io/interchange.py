"""What the interchange modules (:mod:`assess.io.parc`, :mod:`assess.io.tabular`) share."""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Final

import attrs

from assess.errors import InputError, Problem
from assess.io.yaml_reader import MAX_DEPTH
from assess.model.assessment import MAX_INTEGER_DIGITS
from assess.model.findings import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from assess.model import Assessment

__all__ = [
    "MAX_DEPTH",
    "MAX_HINT_COMPARISONS",
    "MAX_JSON_VALUES",
    "MAX_PROBLEMS",
    "Collector",
    "Enough",
    "Hints",
    "Imported",
    "JsonBudget",
    "Refused",
    "count_values",
    "hint_for",
    "quoted",
    "read_json",
]

MAX_PROBLEMS: Final = 100
"""
Most problems an import reports: after 99, it stops reading and says so.

A table of millions of bad rows, or a matrix of thousands of bad ratings,
is refused in the time it takes to find the first hundred, and the
message that reading stopped is the first one shown.
"""

MAX_HINT_COMPARISONS: Final = 20_000
"""
Most candidates an import compares words with, all told, to offer "did you mean" hints.

One comparison costs difflib up to 50 microseconds, so a hint for an unknown
id among 20,000 items takes a second; past the budget, problems come without
a hint.
"""

MAX_JSON_VALUES: Final = 1_000_000
"""
Most JSON values read from the data one interchange file embeds, all of it together.

Every key, string, number, ``true``, ``false``, ``null``, list and mapping
counts as one.  Decoded, a value costs Python up to about 70 bytes, whatever
its text costs: sixteen million characters of ``[],[],...`` would take 350 MB.
The cap keeps that below 100 MB; an export of a large assessment needs a few
hundred thousand.
"""


def _to_notices(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Imported:
    """
    An assessment read from another tool's file, and what reading it took.

    ``notices`` says, one plain sentence each, what the import defaulted,
    mapped or changed, so that a person can check it before trusting the
    result: a grade translated between scales, an id made up, a rating
    changed.  They are not errors; an input that cannot be read raises
    :class:`~assess.InputError` instead.

    .. versionadded:: 0.1
    """

    assessment: Assessment
    notices: tuple[str, ...] = attrs.field(default=(), converter=_to_notices)


# --------------------------------------------------------------------------- messages


def quoted(text: str, limit: int = 40) -> str:
    """Text from a file as a message quotes it: shortened (repr escapes lone surrogates)."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def hint_for(word: str, choices: Collection[str]) -> str:
    """
    :func:`~assess.model.findings.did_you_mean`, skipped where no choice can be close.

    difflib indexes every character of the word first, and a token of
    fifteen million characters took 680 MB for that.  Its ratio of 0.6
    needs the word at most 7/3 as long as a choice, and the fallback needs
    the same length, so a longer word never has a hint anyway.
    """
    longest = max((len(choice) for choice in choices), default=0)
    return did_you_mean(word, choices) if len(word) <= 3 * longest else ""


class Enough(Exception):  # noqa: N818 -- a signal: stop reading, report what was found
    """:data:`MAX_PROBLEMS` is reached; :meth:`Collector.stopped` makes the error."""


class Collector:
    """The problems of one input, collected until there are enough to stop."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        """Keep the problem; raise :class:`Enough` once there are ``MAX_PROBLEMS - 1``."""
        self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS - 1:
            raise Enough

    def stopped(self, where: str) -> InputError:
        """The error to raise on :class:`Enough`: the problems, and that reading stopped."""
        message = (
            f"reading stopped {where} after {len(self.problems)} problems; fix these and"
            " import again"
        )
        return InputError([Problem(message, (), self.name), *self.problems])


class Hints:
    """Hints ("did you mean") for one input, within :data:`MAX_HINT_COMPARISONS`."""

    def __init__(self) -> None:
        self.remaining = MAX_HINT_COMPARISONS

    def __call__(self, word: str, choices: Collection[str]) -> str:
        """A hint for ``word`` among ``choices``, or ``""`` when none or past the budget."""
        if len(choices) > self.remaining:
            return ""
        self.remaining -= len(choices)
        return hint_for(word, choices)


# --------------------------------------------------------------------------- embedded JSON


class Refused(Exception):  # noqa: N818 -- a signal the caller turns into an InputError
    """Embedded data that no export writes and no editing makes: refuse the file, say why."""


class JsonBudget:
    """What is left of :data:`MAX_JSON_VALUES` for the rest of one file's embedded JSON."""

    __slots__ = ("remaining",)

    def __init__(self) -> None:
        self.remaining = MAX_JSON_VALUES


# A JSON string, escapes included (the unrolled form, which never backtracks).
_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# What is left of a scalar once strings are gone: a number, true, false or null.
_WORD: Final = re.compile(r'[^\s\[\]{},:"]+')
_BRACKET: Final = re.compile(r"[\[\]{}]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def count_values(text: str) -> tuple[int, str]:
    """
    How many values a JSON text holds (exact when it is valid), and the text without strings.

    Three passes of the regular-expression engine, none in Python per value.
    """
    bare, strings = _STRING.subn("", text)
    _, words = _WORD.subn("", bare)
    return strings + words + bare.count("[") + bare.count("{"), bare


def _check_depth(bare: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the recursive decoder meets it."""
    opens = bare.count("[") + bare.count("{")
    if opens <= MAX_DEPTH:
        return
    if bare.count("]") + bare.count("}") > opens:
        raise ValueError("its brackets do not balance")  # and the loop below stays bounded
    depth = 0
    for match in _BRACKET.finditer(bare):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(f"nests deeper than {MAX_DEPTH} levels; refused")
        else:
            depth -= 1


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    data = dict(pairs)
    if len(data) != len(pairs):  # export never writes a key twice; which one counts is unclear
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {quoted(key)} appears twice")
            seen.add(key)
    return data


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _int(text: str) -> int:
    # The YAML reader's cap: Python may refuse more, and converting costs more than linear.
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits is too long")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]!r} is too large")
    return value


def _lone_surrogate(data: object) -> str | None:
    """Where a string (or key) holds half of a UTF-16 surrogate pair, as a path; else None."""
    stack: list[tuple[str, object]] = [("", data)]
    while stack:  # a loop, not recursion: the depth is capped, but need not be trusted here
        path, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return f"the text {path}" if path else "the text"
        elif isinstance(value, dict):
            for key, inner in value.items():
                step = f"{path}[{quoted(key)}]"
                if _SURROGATE.search(key):
                    return f"the key {step}"
                stack.append((step, inner))
        elif isinstance(value, list):
            stack.extend((f"{path}[{n}]", inner) for n, inner in enumerate(value))
    return None


def read_json(text: str, budget: JsonBudget) -> object:
    r"""
    Decode JSON embedded in an interchange file, refusing what could exhaust the reader.

    Before the decoder runs, the values are counted against ``budget`` and
    the nesting is measured without recursion; after it, every string and
    key is checked for lone surrogates, which JSON's ``\ud800`` escapes can
    make but no assessment file can hold.

    Raises:
        Refused: When the text holds more values than the budget has left,
            nests deeper than :data:`MAX_DEPTH`, or holds a lone surrogate.
        ValueError: When the text is not valid JSON, or holds ``NaN``,
            ``Infinity``, a number too large for a float, an integer of more
            than 640 digits, or a key twice.
    """
    values, bare = count_values(text)
    if values > budget.remaining:
        raise Refused(
            f"takes the JSON kept in the file past {MAX_JSON_VALUES} values (this part holds"
            f" {values}); refused as too large"
        )
    budget.remaining -= values
    _check_depth(bare)
    del bare  # a copy of the text: let it go before the decoder builds the values
    data: object = json.loads(
        text,
        object_pairs_hook=_pairs,
        parse_constant=_constant,
        parse_float=_float,
        parse_int=_int,
    )
    where = _lone_surrogate(data)
    if where is not None:
        raise Refused(
            f"holds a lone surrogate (a \\ud800-\\udfff escape that is half of a pair) in"
            f" {where}; no assessment file can hold one"
        )
    return data
