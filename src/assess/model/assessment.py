"""
The typed model of an assessment: frozen attrs classes and their grades.

Every class checks its own fields when it is built, and :class:`Assessment`
also checks how its parts refer to each other, so an assessment built in
Python and one loaded from YAML are refused for the same reasons with the
same messages.  Constructors accept the plain values a YAML file holds
(``"B"`` for a reliability grade, a list for a tuple, a ``dict`` of ratings)
and convert them; anything they cannot convert is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import operator
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Protocol, TypeVar

import attrs

from assess.errors import InputError, KeyPart, PathPart, Problem
from assess.model.display import Displayed
from assess.model.findings import ID_PATTERN, Finding, did_you_mean
from assess.model.frozenmap import FrozenMap

__all__ = [
    "DEFAULT_CREDIBILITY_VALUES",
    "DEFAULT_FIDELITY",
    "DEFAULT_LIKELIHOODS",
    "DEFAULT_RELIABILITY_VALUES",
    "AnalystRatings",
    "Assessment",
    "Assumption",
    "AssumptionStatus",
    "Collection",
    "ConfidenceRule",
    "Credibility",
    "Dependence",
    "Document",
    "Evidence",
    "FrozenMap",
    "Hypothesis",
    "Indicator",
    "IndicatorStatus",
    "Kind",
    "Outcome",
    "Rating",
    "Ratings",
    "Relevance",
    "Reliability",
    "Scoring",
    "Source",
]


# --------------------------------------------------------------------------- grades


class Rating(enum.StrEnum):
    """
    How consistent an evidence item is with a hypothesis (Heuer 1999, ch. 8).

    ``NA`` means "not applicable"; a hypothesis an item does not rate is NA.

    .. versionadded:: 0.1
    """

    CC = "CC"
    C = "C"
    N = "N"
    I = "I"  # noqa: E741 -- Heuer's own symbol for "inconsistent"
    II = "II"
    NA = "NA"

    @property
    def label(self) -> str:
        """The rating in words."""
        return _RATING_LABELS[self]


#: Each rating's code in the matrix, ordered by likelihood: NA counts as N,
#: so it sits next to N, and a row's most and least likely ratings are its
#: smallest and largest codes (``assess.methods.scoring.CODES``).
RATING_CODES: Final = {
    Rating.CC: 0,
    Rating.C: 1,
    Rating.N: 2,
    Rating.NA: 3,
    Rating.I: 4,
    Rating.II: 5,
}
#: The code of a cell that holds the analysts' ratings (no single code).
TEAM_CODE: Final = 255

_RATING_LABELS = {
    Rating.CC: "very consistent",
    Rating.C: "consistent",
    Rating.N: "neutral",
    Rating.I: "inconsistent",
    Rating.II: "very inconsistent",
    Rating.NA: "not applicable",
}


class Reliability(enum.StrEnum):
    """
    Reliability of a source: the Admiralty code letter of NATO STANAG 2511.

    .. versionadded:: 0.1
    """

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def label(self) -> str:
        """The grade's standard wording (STANAG 2511)."""
        return _RELIABILITY_LABELS[self]


_RELIABILITY_LABELS = {
    Reliability.A: "completely reliable",
    Reliability.B: "usually reliable",
    Reliability.C: "fairly reliable",
    Reliability.D: "not usually reliable",
    Reliability.E: "unreliable",
    Reliability.F: "reliability cannot be judged",
}


class Credibility(enum.IntEnum):
    """
    Credibility of an item of information: the STANAG 2511 numeral 1-6.

    .. versionadded:: 0.1
    """

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    @property
    def label(self) -> str:
        """The grade's standard wording (STANAG 2511)."""
        return _CREDIBILITY_LABELS[self]


_CREDIBILITY_LABELS = {
    Credibility.CONFIRMED: "confirmed by other sources",
    Credibility.PROBABLY_TRUE: "probably true",
    Credibility.POSSIBLY_TRUE: "possibly true",
    Credibility.DOUBTFUL: "doubtful",
    Credibility.IMPROBABLE: "improbable",
    Credibility.CANNOT_BE_JUDGED: "truth cannot be judged",
}


class Relevance(enum.StrEnum):
    """
    How much an item bears on the question (PARC ACH's three levels).

    .. versionadded:: 0.1
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        """What the level means for the item's weight."""
        return _RELEVANCE_LABELS[self]


_RELEVANCE_LABELS = {
    Relevance.LOW: "bears on the question a little (weight x 1/sqrt 2)",
    Relevance.MEDIUM: "bears on the question (weight x 1)",
    Relevance.HIGH: "bears on the question strongly (weight x sqrt 2)",
}


class Kind(enum.StrEnum):
    """
    What sort of thing an evidence item is.

    .. versionadded:: 0.1
    """

    PHYSICAL = "physical"
    TESTIMONY = "testimony"
    STATEMENT = "statement"
    DENIAL = "denial"
    REPORT = "report"
    ANALYSIS = "analysis"
    ASSUMPTION = "assumption"

    @property
    def label(self) -> str:
        """What an item of this kind is."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.PHYSICAL: "a physical object or trace: seized goods, imagery, documents",
    Kind.TESTIMONY: "what a witness says they saw or heard",
    Kind.STATEMENT: "what a party or an official states",
    Kind.DENIAL: "a party denying a charge",
    Kind.REPORT: "a report by a third party, such as a news outlet",
    Kind.ANALYSIS: "someone's analysis or judgement",
    Kind.ASSUMPTION: "something taken as given",
}


class IndicatorStatus(enum.StrEnum):
    """
    Where the search for an indicator stands.

    ``pending``: not yet looked for, or the search goes on; ``observed``:
    seen, and counted as evidence; ``absent``: looked for and not found,
    and counted as absence of evidence.

    .. versionadded:: 0.1
    """

    PENDING = "pending"
    OBSERVED = "observed"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        """Where the search stands, in words."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    IndicatorStatus.PENDING: "not looked for yet, or the search goes on",
    IndicatorStatus.OBSERVED: "seen: counted as evidence",
    IndicatorStatus.ABSENT: "looked for and not found: counted as absence of evidence",
}


class AssumptionStatus(enum.StrEnum):
    """
    Outcome of a Key Assumptions Check (Heuer & Pherson, *Structured Analytic Techniques*).

    .. versionadded:: 0.1
    """

    SUPPORTED = "supported"
    CAVEATED = "caveated"
    UNSUPPORTED = "unsupported"

    @property
    def label(self) -> str:
        """What the check found, in words."""
        return _ASSUMPTION_LABELS[self]


_ASSUMPTION_LABELS = {
    AssumptionStatus.SUPPORTED: "the assumption is well supported",
    AssumptionStatus.CAVEATED: "the assumption holds with caveats",
    AssumptionStatus.UNSUPPORTED: "the assumption is unsupported or questionable",
}


#: Probability of a report rated so, given the hypothesis (``scoring.likelihoods``).
DEFAULT_LIKELIHOODS: FrozenMap[Rating, float] = FrozenMap(
    {Rating.CC: 0.95, Rating.C: 0.80, Rating.N: 0.50, Rating.I: 0.20, Rating.II: 0.05}
)

#: How faithfully a relay of each reliability grade passes a report on (``scoring.fidelity``).
DEFAULT_FIDELITY: FrozenMap[Reliability, float] = FrozenMap(
    {
        Reliability.A: 1.0,
        Reliability.B: 0.9,
        Reliability.C: 0.75,
        Reliability.D: 0.5,
        Reliability.E: 0.25,
        Reliability.F: 0.5,
    }
)

#: A source's grade as a value for an item's quality (``scoring.reliability_values``).
DEFAULT_RELIABILITY_VALUES: FrozenMap[Reliability, float] = FrozenMap(
    {
        Reliability.A: 1.0,
        Reliability.B: 0.75,
        Reliability.C: 0.5,
        Reliability.D: 0.25,
        Reliability.E: 0.0,
        Reliability.F: 0.25,
    }
)

#: An item's credibility as a value for its quality (``scoring.credibility_values``).
DEFAULT_CREDIBILITY_VALUES: FrozenMap[Credibility, float] = FrozenMap(
    {
        Credibility.CONFIRMED: 1.0,
        Credibility.PROBABLY_TRUE: 0.75,
        Credibility.POSSIBLY_TRUE: 0.5,
        Credibility.DOUBTFUL: 0.25,
        Credibility.IMPROBABLE: 0.0,
        Credibility.CANNOT_BE_JUDGED: 0.25,
    }
)

MAX_ANSWER_LENGTH: Final = 40
"""The longest a hypothesis's ``answer`` label may be."""

MAX_INTEGER_DIGITS: Final = 640
"""
Most significant digits of an integer read from a file (leading zeros aside).

Reading decimal digits costs time that grows faster than their number, and
Python refuses more than a limit that an environment may lower to 640; the
format's whole numbers need at most twenty digits.
"""


@attrs.frozen
class BadNumber:
    """
    A number that no numeric field can hold: infinite, NaN, or an integer too large.

    The YAML reader puts one in place of an integer of more than
    :data:`MAX_INTEGER_DIGITS` digits, which it never converts; the numeric
    converters put one in place of an infinity, a NaN or an integer too large
    for a float.  Every numeric check refuses it with one message, and no
    valid model object ever holds one, so nothing computes with it.
    """

    #: How to show it: ``inf``, ``-inf`` or ``nan`` (``None`` for an integer).
    text: str | None = None
    #: How many significant digits the integer has (``None`` for the others).
    digits: int | None = None
    #: Whether the integer is negative.
    negative: bool = False

    @classmethod
    def integer(cls, digits: int, *, negative: bool = False) -> BadNumber:
        """An integer of ``digits`` significant digits, too large to hold."""
        return cls(digits=digits, negative=negative)

    def __str__(self) -> str:
        if self.digits is None:
            return str(self.text)
        sign = "a negative " if self.negative else "an "
        return f"{sign}integer of {self.digits} digits"

    @property
    def finite(self) -> bool:
        """Whether it is an integer (too large, yet finite) rather than an infinity or NaN."""
        return self.digits is not None

    @property
    def magnitude(self) -> float:
        """A float on the same side of every field's range: an infinity, or NaN."""
        if self.digits is None:
            return float(str(self.text))
        return -math.inf if self.negative else math.inf


# --------------------------------------------------------------------------- checks
#
# A check takes a field's value and yields findings: the path below the field
# (empty for the field itself) and a message.  The same checks run when a
# class is built in Python and when the loader builds it from YAML, which is
# what makes both routes refuse the same things with the same words.

Check = Callable[[Any], Iterator[Finding]]

ASSESSMENT_ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
E = TypeVar("E", bound=enum.Enum)


#: The smallest integer too wide to write out or to read: one of
#: ``MAX_INTEGER_DIGITS + 1`` digits.
_TOO_WIDE: Final = 10**MAX_INTEGER_DIGITS


def _too_wide(value: int) -> bool:
    return abs(value) >= _TOO_WIDE


def _digit_count(value: int) -> int:
    """How many decimal digits ``value`` has, without writing it out."""
    size = abs(value)
    digits = max(1, int(size.bit_length() * math.log10(2)))
    while size >= 10**digits:
        digits += 1
    while digits > 1 and size < 10 ** (digits - 1):
        digits -= 1
    return digits


def _wide(value: int) -> BadNumber:
    """An integer too wide to hold, as a :class:`BadNumber`."""
    return BadNumber.integer(_digit_count(value), negative=value < 0)


def show_number(value: object) -> str:
    """A number as a person wrote it: ``0``, ``1.5``, ``1e-12`` (never ``0.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)  # 3.0 as 3; 1.7e308 stays 1.7e+308, not 309 digits
    if isinstance(value, int) and not isinstance(value, bool) and _too_wide(value):
        return str(_wide(value))
    if isinstance(value, int | BadNumber):
        return str(value)
    return repr(value)


def describe(value: object) -> str:
    """Name a wrong value's type in a user's words (YAML's, not Python's)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        return str(_wide(value)) if _too_wide(value) else f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value!r})"
    if isinstance(value, BadNumber):
        return str(value) if value.finite else f"a number ({value})"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def _check_text(value: object) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield (), f"expected text, got {describe(value)}"
    elif not value.strip():
        yield (), "must not be empty"


def _check_id(value: object) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield (), f"expected an id (text), got {describe(value)}"
    elif not ID_PATTERN.fullmatch(value):
        yield (
            (),
            (
                f"{value!r} is not a valid id: use 1-64 letters, digits, '-', '_' or '.',"
                " starting and ending with a letter or digit"
            ),
        )


def _check_assessment_id(value: object) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield (), f"expected an id (text), got {describe(value)}"
    elif not ASSESSMENT_ID_PATTERN.fullmatch(value):
        yield (
            (),
            (
                f"{value!r} is not a valid assessment id: use 1-64 lowercase letters,"
                " digits and '-', starting and ending with a letter or digit"
            ),
        )


def _check_date(value: object) -> Iterator[Finding]:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        yield (), f"{value} is not a date in the calendar"  # the converter could not read it
    elif not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        yield (), f"expected a date written YYYY-MM-DD, got {describe(value)}"


def _check_bool(value: object) -> Iterator[Finding]:
    if not isinstance(value, bool):
        yield (), f"expected true or false, got {describe(value)}"


def _number_check(rule: str, accepts: Callable[[float], bool], expected: str = "a number") -> Check:
    """
    The check of a field that holds a number: its type, that it is finite, and its range.

    ``rule`` says in words what ``accepts`` wants (``a prior must be in (0, 1]``).
    Every numeric field is checked by one of these, so that an infinity, a
    NaN or an integer too large (a :class:`BadNumber`, which the field's
    converter made of it) is refused everywhere alike.
    """
    finite_rule = "finite" in rule

    def check(value: object) -> Iterator[Finding]:
        if isinstance(value, float) and not math.isfinite(value):  # passed without the converter
            value = BadNumber(repr(value))
        if isinstance(value, BadNumber):
            # A too-large integer lies outside every range a float field has.
            wanted = rule if value.finite or finite_rule else "must be a finite number"
            yield (), f"{wanted}, got {value}"
        elif isinstance(value, bool) or not isinstance(value, int | float):
            yield (), f"expected {expected}, got {describe(value)}"
        elif not accepts(value):
            yield (), f"{rule}, got {show_number(value)}"

    return check


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _whole_check(rule: str, accepts: Callable[[float], bool], expected: str) -> Check:
    """
    The check of a field that holds a whole number: its type and its range.

    An integer of more than :data:`MAX_INTEGER_DIGITS` digits (a
    :class:`BadNumber`) breaks ``rule`` when its sign does, and the digit
    cap otherwise.
    """

    def check(value: object) -> Iterator[Finding]:
        if isinstance(value, BadNumber) and value.finite:
            if accepts(value.magnitude):
                yield (), f"must have at most {MAX_INTEGER_DIGITS} digits, got {value}"
            else:
                yield (), f"{rule}, got {value}"
        elif not _is_int(value):
            yield (), f"expected {expected}, got {describe(value)}"
        elif not accepts(value):  # type: ignore[arg-type]  # an int here
            yield (), f"{rule}, got {show_number(value)}"

    return check


MAX_DRAWS: Final = 10_000_000
"""The most Monte Carlo draws an assessment may ask for."""

_check_prior = _number_check("a prior must be in (0, 1]", lambda v: 0.0 < v <= 1.0)
_check_count = _whole_check("must not be negative", lambda v: v >= 0, "a whole number")
_check_draws = _whole_check(
    f"draws must be between 1 and {MAX_DRAWS}",
    lambda v: 1 <= v <= MAX_DRAWS,
    "a whole number of draws",
)
_check_seed = _whole_check("a seed must not be negative", lambda v: v >= 0, "a whole-number seed")
_check_share = _number_check("must be in [0, 1]", lambda v: 0.0 <= v <= 1.0)
_check_ratio = _number_check("must be a finite number of at least 0", lambda v: 0.0 <= v < math.inf)
_check_positive = _number_check("must be a finite number above 0", lambda v: 0.0 < v < math.inf)
# At 1 a jittered likelihood could reach 0, and a rating rule out a hypothesis.
_check_jitter = _number_check("must be in [0, 1)", lambda v: 0.0 <= v < 1.0)
# Below 1 a cluster that favours the runner-up would count as support.
_check_support_ratio = _number_check(
    "must be a finite number of at least 1", lambda v: 1.0 <= v < math.inf
)
_check_likelihood = _number_check(
    "a likelihood must be in (0, 1)", lambda v: 0.0 < v < 1.0, "a probability"
)
_check_probability = _number_check(
    "a probability must be in [0, 1]", lambda v: 0.0 <= v <= 1.0, "a probability"
)


#: What YAML reads as a line break.
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _short_text(noun: str) -> Check:
    """The check of a short label on one line (an answer, a hypothesis's label)."""

    def check(value: object) -> Iterator[Finding]:
        if not isinstance(value, str):
            yield (), f"expected a short label (text), got {describe(value)}"
        elif not value.strip():
            yield (), "must not be empty"
        elif not _LINE_BREAKS.isdisjoint(value):
            yield (), f"{noun} is a short label on one line"
        elif len(value) > MAX_ANSWER_LENGTH:
            yield (
                (),
                (
                    f"{noun} is a short label of at most {MAX_ANSWER_LENGTH} characters,"
                    f" got {len(value)}"
                ),
            )

    return check


_check_answer = _short_text("an answer")
_check_label = _short_text("a label")


def _optional(check: Check) -> Check:
    def optional(value: object) -> Iterator[Finding]:
        if value is not None:
            yield from check(value)

    return optional


def _each(check: Check) -> Check:
    def each(value: object) -> Iterator[Finding]:
        if not isinstance(value, tuple):
            yield (), f"expected a list, got {describe(value)}"
            return
        for index, item in enumerate(value):
            for sub, message in check(item):
                yield (index, *sub), message

    return each


def _grade(kind: type[enum.Enum], what: str) -> Check:
    names = [str(m.value) for m in kind]

    numeric = issubclass(kind, int)

    def grade(value: object) -> Iterator[Finding]:
        if not isinstance(value, kind):
            if numeric and isinstance(value, str) and value.strip() in names:
                hint = f" (write {value.strip()} without quotes)"
            else:
                hint = did_you_mean(value, names) if isinstance(value, str) else ""
            yield (), f"expected {what}, one of {', '.join(names)}; got {describe(value)}{hint}"

    return grade


def _instances(kind: type[object]) -> Check:
    def instances(value: object) -> Iterator[Finding]:
        if not isinstance(value, tuple):
            yield (), f"expected a list, got {describe(value)}"
            return
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                yield (index,), f"expected a {kind.__name__}, got {describe(item)}"

    return instances


def _instance(kind: type[object]) -> Check:
    article = "an" if kind.__name__[0] in "AEIOU" else "a"

    def instance(value: object) -> Iterator[Finding]:
        if not isinstance(value, kind):
            yield (), f"expected {article} {kind.__name__}, got {describe(value)}"

    return instance


_check_rating = _grade(Rating, "a rating")


def _check_ratings(value: object) -> Iterator[Finding]:
    if not isinstance(value, Mapping):
        yield (), f"expected a mapping of hypothesis ids to ratings, got {describe(value)}"
        return
    for key, cell in value.items():
        if not isinstance(key, str):
            yield (), f"ratings are keyed by hypothesis id, got {describe(key)}"
            continue
        if isinstance(cell, Mapping):  # one rating per analyst
            if not cell:
                yield (key,), "a cell of analysts' ratings must name at least one analyst"
            for analyst, rating in cell.items():
                if not isinstance(analyst, str) or not ID_PATTERN.fullmatch(analyst):
                    yield (
                        (key, KeyPart(str(analyst))),
                        f"expected an analyst id, got {describe(analyst)}",
                    )
                    continue
                for sub, message in _check_rating(rating):
                    yield (key, analyst, *sub), message
            continue
        for sub, message in _check_rating(cell):
            yield (key, *sub), message


_LIKELIHOOD_KEYS = [r.value for r in DEFAULT_LIKELIHOODS]


def _check_likelihoods(value: object) -> Iterator[Finding]:
    if not isinstance(value, Mapping):
        yield (), f"expected a mapping of ratings to probabilities, got {describe(value)}"
        return
    usable: list[float] = []
    for key, probability in value.items():
        at = (KeyPart(str(key)),)
        if key == Rating.NA:
            yield at, "NA always counts as N and takes no likelihood of its own"
        elif not isinstance(key, Rating):
            hint = did_you_mean(key, _LIKELIHOOD_KEYS) if isinstance(key, str) else ""
            keys = ", ".join(_LIKELIHOOD_KEYS)
            yield at, f"likelihoods are keyed by {keys}; got {describe(key)}{hint}"
        else:
            found = [((key, *sub), message) for sub, message in _check_likelihood(probability)]
            yield from found
            if not found:
                usable.append(probability)
    # A rating means more consistent the higher it stands (Heuer's scale), so
    # its likelihood may not fall below that of a less consistent rating.
    if len(usable) == len(value) == len(_LIKELIHOOD_KEYS):
        ordered = [value[Rating(k)] for k in _LIKELIHOOD_KEYS]
        for (high, p_high), (low, p_low) in itertools.pairwise(
            zip(_LIKELIHOOD_KEYS, ordered, strict=True)
        ):
            if p_high < p_low:
                yield (
                    (),
                    (
                        f"likelihoods must not increase from CC to II, but {high} is"
                        f" {show_number(p_high)} and {low} is {show_number(p_low)}"
                    ),
                )


def _grade_table(name: str, kind: type[enum.Enum], what: str) -> Check:
    """The check of a table from grades to values in [0, 1] (``scoring.fidelity`` and the like)."""
    names = [str(m.value) for m in kind]

    def table(value: object) -> Iterator[Finding]:
        if not isinstance(value, Mapping):
            yield (), f"expected a mapping of {what}s to numbers, got {describe(value)}"
            return
        for key, number in value.items():
            if not isinstance(key, kind):
                # Keys in a file are always text: show them as written, not as strings.
                shown = (
                    repr(key) + did_you_mean(key, names) if isinstance(key, str) else describe(key)
                )
                yield (
                    (KeyPart(str(key)),),
                    f"{name} is keyed by {what} {', '.join(names)}; got {shown}",
                )
                continue
            # A credibility is an int, which a path would show as a list index.
            at: tuple[PathPart, ...] = (str(key.value),)
            for sub, message in _check_share(number):
                yield (*at, *sub), message

    return table


_check_fidelity = _grade_table("fidelity", Reliability, "reliability grade")
_check_reliability_values = _grade_table("reliability_values", Reliability, "reliability grade")
_check_credibility_values = _grade_table("credibility_values", Credibility, "credibility grade")


# --------------------------------------------------------------------------- converters
#
# Converters turn the plain values of a YAML file (or of a hand-written Python
# call) into model values when they can, and leave anything else untouched
# for the checks to report.  They never raise.


def _enum_or_same(kind: type[E], value: object) -> E:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except (ValueError, TypeError):
        return value  # type: ignore[return-value]  # reported by the field's check


def _to_rating(value: Rating | str) -> Rating:
    return _enum_or_same(Rating, value)


def _to_reliability(value: Reliability | str) -> Reliability:
    return _enum_or_same(Reliability, value)


def _to_credibility(value: Credibility | int) -> Credibility:
    if isinstance(value, bool | float):  # True == 1 and 2.0 == 2, but neither is a grade
        return value  # type: ignore[return-value]  # reported by the field's check
    return _enum_or_same(Credibility, value)


def _to_relevance(value: Relevance | str) -> Relevance:
    return _enum_or_same(Relevance, value)


def _to_kind(value: Kind | str) -> Kind:
    return _enum_or_same(Kind, value)


def _to_status(value: AssumptionStatus | str) -> AssumptionStatus:
    return _enum_or_same(AssumptionStatus, value)


def _to_indicator_status(value: IndicatorStatus | str) -> IndicatorStatus:
    return _enum_or_same(IndicatorStatus, value)


def _to_date(value: dt.date | str) -> dt.date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return value  # type: ignore[return-value]  # reported by the field's check


def _to_optional_date(value: dt.date | str | None) -> dt.date | None:
    return None if value is None else _to_date(value)


def _to_float(value: float) -> float:
    # An integer prior of 1 and a float of 1.0 are one value; store one type
    # so that equal assessments serialise, and digest, the same.
    if isinstance(value, int) and not isinstance(value, bool):
        if _too_wide(value):
            return _wide(value)  # type: ignore[return-value]  # reported by the field's check
        try:
            return float(value)
        except OverflowError:
            return _wide(value)  # type: ignore[return-value]  # reported by the field's check
    if isinstance(value, float) and not math.isfinite(value):
        # No field holds an infinity or a NaN; as a BadNumber it is no longer
        # a float, so checks across fields (priors' sum) pass over it.
        return BadNumber(repr(value))  # type: ignore[return-value]  # reported by the field's check
    return value  # or not a number: reported by the field's check


def _to_optional_float(value: float | None) -> float | None:
    return None if value is None else _to_float(value)


def _to_int(value: int) -> int:
    # An integer too wide to write out would break every message and view.
    raw: object = value  # the annotation is what callers should pass, not what arrives
    if _is_int(raw) and _too_wide(value):
        return _wide(value)  # type: ignore[return-value]  # reported by the field's check
    return value  # or not a whole number: reported by the field's check


def _to_tuple(value: object) -> tuple[Any, ...]:
    if isinstance(value, list | tuple):
        return tuple(value)
    return value  # type: ignore[return-value]  # reported by the field's check


# One converter per element type: the attrs mypy plugin types each
# constructor argument from its converter, and does not resolve generics.
def _to_ids(value: Iterable[str]) -> tuple[str, ...]:
    return _to_tuple(value)


def _to_hypotheses(value: Iterable[Hypothesis]) -> tuple[Hypothesis, ...]:
    return _to_tuple(value)


def _to_sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return _to_tuple(value)


def _to_documents(value: Iterable[Document]) -> tuple[Document, ...]:
    return _to_tuple(value)


def _to_evidence(value: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return _to_tuple(value)


def _to_indicators(value: Iterable[Indicator]) -> tuple[Indicator, ...]:
    return _to_tuple(value)


def _to_assumptions(value: Iterable[Assumption]) -> tuple[Assumption, ...]:
    return _to_tuple(value)


class AnalystRatings(FrozenMap[str, Rating]):
    """
    One cell rated by several analysts: analyst id -> rating.

    An analyst's NA is an abstention, the same as not rating the cell.

    .. versionadded:: 0.1
    """

    __slots__ = ()

    def informative(self) -> dict[str, Rating]:
        """The analysts' ratings other than NA."""
        return {key: rating for key, rating in self.items() if rating != Rating.NA}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            theirs = {key: rating for key, rating in other.items() if rating != Rating.NA}
            return self.informative() == theirs
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self.informative().items()))


Cell = Rating | AnalystRatings


def _informative_cell(cell: object) -> bool:
    if type(cell) is Rating:  # the common case, without the abstract-class check below
        return cell is not Rating.NA
    if isinstance(cell, AnalystRatings):
        return bool(cell.informative())
    return cell != Rating.NA


class Ratings(FrozenMap[str, Cell]):
    """
    An item's ratings, keyed by hypothesis id.

    A cell holds one rating, or one per analyst (:class:`AnalystRatings`).
    A missing key means NA, so an explicit NA says nothing more: it is kept
    (a misspelt hypothesis id under NA is still reported) but two rating maps
    that differ only in explicit NAs are equal, hash alike and are written
    the same in canonical form.

    .. versionadded:: 0.1
    """

    __slots__ = ("_codes",)

    def __init__(self, items: Mapping[str, Cell] | Iterable[tuple[str, Cell]] = ()) -> None:
        super().__init__(items)
        if all(type(key) is str for key in self._data):
            # Hypothesis ids interned: every item's keys are then the same
            # objects, and comparing an item's keys with the declared order
            # (:func:`rated_in_order`) compares pointers, not text.
            self._data = dict(zip(map(sys.intern, self._data), self._data.values(), strict=True))
        # Coded once, as the cells are read: scoring, the timeline and every
        # analyst view then take the codes without a lookup per cell.
        cells = self._data.values()
        try:
            code_of: Callable[[object, int], int] = RATING_CODES.get  # type: ignore[assignment]
            self._codes = bytes(map(code_of, cells, itertools.repeat(TEAM_CODE)))
        except TypeError:  # an unhashable cell, refused by the field's check
            self._codes = bytes(TEAM_CODE for _ in cells)

    @property
    def codes(self) -> bytes:
        """
        Each cell's :data:`RATING_CODES` code, in the order of the keys.

        A cell of analysts' ratings (or anything not a rating) is :data:`TEAM_CODE`.
        """
        return self._codes

    def informative(self) -> dict[str, Cell]:
        """The cells other than NA."""
        return {key: cell for key, cell in self.items() if _informative_cell(cell)}

    def __eq__(self, other: object) -> bool:
        if (
            type(other) is Ratings
            and TEAM_CODE not in self._codes
            and TEAM_CODE not in other._codes
            and list(self._data) == list(other._data)
        ):
            # The same hypotheses in the same order, each cell a single rating:
            # equal exactly when the codes are (an explicit NA is code 3 in both).
            return self._codes == other._codes
        if isinstance(other, Mapping):
            if not other:  # as against the default, which canonical form asks of every item
                return not any(_informative_cell(cell) for cell in self.values())
            theirs = {key: cell for key, cell in other.items() if _informative_cell(cell)}
            return self.informative() == theirs
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self.informative().items()))


def rated_in_order(ratings: Sequence[Ratings], hypotheses: Sequence[str]) -> list[bool]:
    """Which of ``ratings`` rate every one of ``hypotheses``, in their order (the usual case)."""
    declared = list(map(sys.intern, hypotheses))
    return list(map(declared.__eq__, map(list, map(_DATA, ratings))))


def joined_codes(ratings: Iterable[Ratings]) -> bytes:
    """The :attr:`Ratings.codes` of ``ratings``, one after another."""
    return b"".join(map(_CODES, ratings))


_DATA: Final = operator.attrgetter("_data")
_CODES: Final = operator.attrgetter("_codes")


def _to_cell(value: object) -> Cell:
    if isinstance(value, Mapping) and not isinstance(value, AnalystRatings):
        return AnalystRatings((key, _to_rating(rating)) for key, rating in value.items())
    return _to_rating(value)  # type: ignore[arg-type]  # anything else: checked later


def _to_ratings(
    value: Mapping[str, Rating | str | Mapping[str, Rating | str]],
) -> Ratings:
    raw: object = value  # the annotation is what callers should pass, not what arrives
    if not isinstance(raw, Mapping):
        return raw  # type: ignore[return-value]  # reported by the field's check
    return Ratings((key, _to_cell(cell)) for key, cell in raw.items())


def _to_expected(value: Mapping[str, Rating | str]) -> FrozenMap[str, Rating]:
    raw: object = value  # the annotation is what callers should pass, not what arrives
    if not isinstance(raw, Mapping):
        return raw  # type: ignore[return-value]  # reported by the field's check
    return FrozenMap((key, _to_rating(rating)) for key, rating in raw.items())


def _check_expected(value: object) -> Iterator[Finding]:
    if not isinstance(value, Mapping):
        yield (), f"expected a mapping of hypothesis ids to ratings, got {describe(value)}"
        return
    if not value:
        yield (), "rate the observation under every hypothesis"
    for key, rating in value.items():
        if not isinstance(key, str):
            yield (), f"expected ratings are keyed by hypothesis id, got {describe(key)}"
            continue
        if isinstance(rating, Mapping):
            yield (key,), "an indicator takes one rating per hypothesis, not one per analyst"
            continue
        found = list(_check_rating(rating))
        yield from (((key, *sub), message) for sub, message in found)
        if not found and rating == Rating.NA:
            yield (
                (key,),
                "NA says nothing about an indicator; say how expected it is under this hypothesis",
            )


def _to_judgement(
    value: Mapping[str, Mapping[str, float]],
) -> FrozenMap[str, FrozenMap[str, float]]:
    raw: object = value  # the annotation is what callers should pass, not what arrives
    if not isinstance(raw, Mapping):
        return raw  # type: ignore[return-value]  # reported by the field's check
    return FrozenMap(
        (who, FrozenMap((h, _to_float(p)) for h, p in stated.items()))
        if isinstance(stated, Mapping)
        else (who, stated)
        for who, stated in raw.items()
    )


def _check_judgement(value: object) -> Iterator[Finding]:
    if not isinstance(value, Mapping):
        yield (), f"expected a mapping of analysts to their probabilities, got {describe(value)}"
        return
    for who, stated in value.items():
        if not isinstance(who, str) or not ID_PATTERN.fullmatch(who):
            yield (KeyPart(str(who)),), f"expected an analyst id (or 'team'), got {describe(who)}"
            continue
        if not isinstance(stated, Mapping):
            yield (
                (who,),
                f"expected a mapping of hypothesis ids to probabilities, got {describe(stated)}",
            )
            continue
        if not stated:
            yield (who,), "a judgement must give at least one probability"
        for hypothesis, p in stated.items():
            for sub, message in _check_probability(p):
                yield (who, hypothesis, *sub), message


def _to_likelihoods(
    value: Mapping[Rating, float] | Mapping[str, float],
) -> FrozenMap[Rating, float]:
    raw: object = value  # the annotation is what callers should pass, not what arrives
    if not isinstance(raw, Mapping):
        return raw  # type: ignore[return-value]  # reported by the field's check
    table: dict[Any, Any] = dict(DEFAULT_LIKELIHOODS)
    for key, probability in raw.items():
        table[_to_rating(key)] = _to_float(probability)
    return FrozenMap(table)


_DIGITS: dict[type[enum.Enum], set[str]] = {Credibility: {str(c.value) for c in Credibility}}


def _grade_key(kind: type[E], key: object) -> E:
    """A grade from a table's key: a grade, its value, or its digit (YAML keys are text)."""
    if isinstance(key, bool | float):
        return key  # type: ignore[return-value]  # reported by the table's check
    if issubclass(kind, enum.IntEnum) and isinstance(key, str) and key in _DIGITS[kind]:
        return kind(int(key))
    return _enum_or_same(kind, key)


def _to_grade_table(
    kind: type[E], defaults: FrozenMap[E, float], value: object
) -> FrozenMap[E, float]:
    if not isinstance(value, Mapping):
        return value  # type: ignore[return-value]  # reported by the field's check
    table: dict[Any, Any] = dict(defaults)
    for key, number in value.items():
        table[_grade_key(kind, key)] = _to_float(number)
    return FrozenMap(table)


def _to_fidelity(
    value: Mapping[Reliability, float] | Mapping[str, float],
) -> FrozenMap[Reliability, float]:
    return _to_grade_table(Reliability, DEFAULT_FIDELITY, value)


def _to_reliability_values(
    value: Mapping[Reliability, float] | Mapping[str, float],
) -> FrozenMap[Reliability, float]:
    return _to_grade_table(Reliability, DEFAULT_RELIABILITY_VALUES, value)


def _to_credibility_values(
    value: Mapping[Credibility, float] | Mapping[int, float] | Mapping[str, float],
) -> FrozenMap[Credibility, float]:
    return _to_grade_table(Credibility, DEFAULT_CREDIBILITY_VALUES, value)


# --------------------------------------------------------------------------- classes


def _meta(check: Check, key: str | None = None) -> dict[str, Any]:
    """A field's metadata: its check, and its YAML key when that differs from its name."""
    return {"check": check, "key": key}


def field_findings(obj: Any) -> list[Finding]:
    """Run every field's check on a built model object; paths start at its YAML keys."""
    findings: list[Finding] = []
    for attribute in attrs.fields(type(obj)):
        key = attribute.metadata["key"] or attribute.name
        value = getattr(obj, attribute.name)
        findings.extend(
            ((key, *sub), message) for sub, message in attribute.metadata["check"](value)
        )
    return findings


def yaml_key(attribute: attrs.Attribute[Any]) -> str:
    """The key under which a field appears in an assessment file."""
    return str(attribute.metadata["key"] or attribute.name)


def _raise_findings(findings: list[Finding]) -> None:
    if findings:
        raise InputError(Problem(message, parts) for parts, message in findings)


class _Checked:
    """Mixin: check every field after ``__init__``."""

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        findings = field_findings(self)
        if not findings:
            findings = list(self._own_findings())
        _raise_findings(findings)

    def _own_findings(self) -> Iterator[Finding]:
        """Checks across this object's own fields, run once every field is valid."""
        return iter(())


@attrs.frozen(kw_only=True)
class Hypothesis(_Checked):
    """
    One of the competing explanations (Heuer's step 1).

    ``prior`` is optional; give every hypothesis a prior or none.
    ``answer`` is a short label (``yes``, ``no``) of the answer to the
    question that the hypothesis gives; hypotheses with the same answer are
    alternative ways for that answer to be true.  Give every hypothesis an
    answer or none.  ``label`` is a short name for the hypothesis (``state
    supply``), shown where the statement would not fit; without one, the id
    stands in (:attr:`name`).

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 ``label``.
    """

    id: str = attrs.field(metadata=_meta(_check_id))
    statement: str = attrs.field(metadata=_meta(_check_text))
    label: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_label)))
    answer: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_answer)))
    prior: float | None = attrs.field(
        default=None, converter=_to_optional_float, metadata=_meta(_optional(_check_prior))
    )

    @property
    def name(self) -> str:
        """The label, or the id when there is none: what fits where the statement would not."""
        return self.id if self.label is None else self.label


@attrs.frozen(kw_only=True)
class Source(_Checked):
    """
    Who observed or said something, graded by the Admiralty code.

    ``interested`` marks a party with a stake in the question (a government
    denying a charge against itself), whose statements are self-serving.
    ``party`` is an id shared by sources that speak for one side (the
    officials of one government), whose errors are not independent.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(metadata=_meta(_check_id))
    name: str = attrs.field(metadata=_meta(_check_text))
    reliability: Reliability = attrs.field(
        converter=_to_reliability, metadata=_meta(_grade(Reliability, "a reliability grade"))
    )
    interested: bool = attrs.field(default=False, metadata=_meta(_check_bool))
    party: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_id)))
    notes: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))


@attrs.frozen(kw_only=True)
class Document(_Checked):
    """
    A text that evidence quotes; ``path`` is relative to the assessment file.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(metadata=_meta(_check_id))
    path: str = attrs.field(metadata=_meta(_check_text))
    source: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_id)))
    title: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))
    date: dt.date | None = attrs.field(
        default=None, converter=_to_optional_date, metadata=_meta(_optional(_check_date))
    )
    url: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))


@attrs.frozen(kw_only=True)
class Evidence(_Checked):
    """
    One item of evidence and how consistent it is with each hypothesis.

    ``ratings`` maps hypothesis ids to ratings; a hypothesis it does not name
    is rated NA (use :meth:`rating`).  ``derived_from`` names the items this
    one repeats or rests on, so repeated reporting is not counted twice.
    ``source`` is who originated the report and ``via`` the sources that
    relayed it to us, originator side first.  ``confirmed_by`` names other
    items that confirm this one (credibility 1).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(metadata=_meta(_check_id))
    summary: str = attrs.field(metadata=_meta(_check_text))
    kind: Kind = attrs.field(converter=_to_kind, metadata=_meta(_grade(Kind, "an evidence kind")))
    source: str = attrs.field(metadata=_meta(_check_id))
    via: tuple[str, ...] = attrs.field(
        default=(), converter=_to_ids, metadata=_meta(_each(_check_id))
    )
    credibility: Credibility = attrs.field(
        default=Credibility.CANNOT_BE_JUDGED,
        converter=_to_credibility,
        metadata=_meta(_grade(Credibility, "a credibility grade")),
    )
    relevance: Relevance = attrs.field(
        default=Relevance.MEDIUM,
        converter=_to_relevance,
        metadata=_meta(_grade(Relevance, "a relevance")),
    )
    date: dt.date | None = attrs.field(
        default=None, converter=_to_optional_date, metadata=_meta(_optional(_check_date))
    )
    document: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_id)))
    quote: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))
    derived_from: tuple[str, ...] = attrs.field(
        default=(), converter=_to_ids, metadata=_meta(_each(_check_id))
    )
    confirmed_by: tuple[str, ...] = attrs.field(
        default=(), converter=_to_ids, metadata=_meta(_each(_check_id))
    )
    ratings: Ratings = attrs.field(
        default=Ratings(), converter=_to_ratings, metadata=_meta(_check_ratings)
    )
    notes: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))

    def cell(self, hypothesis: str) -> Cell:
        """The cell for ``hypothesis``: a rating, or the analysts' ratings (NA if unrated)."""
        return self.ratings.get(hypothesis, Rating.NA)

    def rating(self, hypothesis: str) -> Rating:
        """
        The single rating against ``hypothesis`` (NA when the item does not rate it).

        Raises:
            TypeError: When several analysts rated the cell; use :meth:`cell`.
        """
        cell = self.cell(hypothesis)
        if isinstance(cell, AnalystRatings):
            raise TypeError(f"{self.id} has analysts' ratings for {hypothesis}; use cell()")
        return cell


@attrs.frozen(kw_only=True)
class Assumption(_Checked):
    """
    A key assumption and what a check of it found.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(metadata=_meta(_check_id))
    statement: str = attrs.field(metadata=_meta(_check_text))
    status: AssumptionStatus = attrs.field(
        converter=_to_status, metadata=_meta(_grade(AssumptionStatus, "an assumption status"))
    )
    hypotheses: tuple[str, ...] = attrs.field(
        default=(), converter=_to_ids, metadata=_meta(_each(_check_id))
    )
    notes: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))


@attrs.frozen(kw_only=True)
class Indicator(_Checked):
    """
    Something that would be observed if one hypothesis rather than another were true.

    Heuer's eighth step of ACH: a milestone to watch.  ``expected`` rates the
    observation under every hypothesis as an evidence item would be rated
    (CC to II, no NA); ``reliability`` and ``credibility`` are the grades the
    report of it would likely carry.  ``detection`` is the chance of seeing it
    had it occurred (``scoring.collection.detection`` when not given);
    ``answer_by`` is when it should have been seen if it is coming; ``date``
    is when it was seen or looked for.  An ``observed`` indicator counts as
    evidence, an ``absent`` one as absence of evidence, and a ``pending`` one
    is ranked by the value of looking for it (:func:`assess.collect`).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(metadata=_meta(_check_id))
    description: str = attrs.field(metadata=_meta(_check_text))
    expected: FrozenMap[str, Rating] = attrs.field(
        converter=_to_expected, metadata=_meta(_check_expected)
    )
    reliability: Reliability = attrs.field(
        converter=_to_reliability, metadata=_meta(_grade(Reliability, "a reliability grade"))
    )
    credibility: Credibility = attrs.field(
        converter=_to_credibility, metadata=_meta(_grade(Credibility, "a credibility grade"))
    )
    detection: float | None = attrs.field(
        default=None, converter=_to_optional_float, metadata=_meta(_optional(_check_share))
    )
    status: IndicatorStatus = attrs.field(
        default=IndicatorStatus.PENDING,
        converter=_to_indicator_status,
        metadata=_meta(_grade(IndicatorStatus, "an indicator status")),
    )
    answer_by: dt.date | None = attrs.field(
        default=None, converter=_to_optional_date, metadata=_meta(_optional(_check_date))
    )
    date: dt.date | None = attrs.field(
        default=None, converter=_to_optional_date, metadata=_meta(_optional(_check_date))
    )
    notes: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))


@attrs.frozen(kw_only=True)
class Outcome(_Checked):
    """
    What happened: the hypothesis that proved true, and what settled it.

    An assessment with an outcome is *resolved*: calibration scores its
    posteriors against the outcome (:func:`assess.methods.calibration.calibrate`).
    ``hypothesis`` must be the id of one of the assessment's hypotheses;
    ``evidence`` says what settled the question and cites its source;
    ``date`` is when it was settled.

    .. versionadded:: 0.1
    """

    hypothesis: str = attrs.field(metadata=_meta(_check_id))
    date: dt.date | None = attrs.field(
        default=None, converter=_to_optional_date, metadata=_meta(_optional(_check_date))
    )
    evidence: str = attrs.field(metadata=_meta(_check_text))


@attrs.frozen(kw_only=True)
class ConfidenceRule(_Checked):
    """
    Thresholds of the confidence rule (``docs/methods.md``, "Confidence").

    ``high_support`` and ``moderate_support`` are the independent parties
    that each level needs, ``high_stability`` and ``moderate_stability`` the
    leader's share of the Monte Carlo draws.  ``support_quality`` and
    ``support_ratio`` are retired: the first model used them to decide which
    clusters counted as support; they are still read, so that its files stay
    valid, and nothing uses them.  ``high_weight`` and ``moderate_weight``
    are the weights of evidence (in decibans) that each level needs; ``high_interested_share`` and
    ``moderate_interested_share`` the largest share of that weight that may
    rest on interested or unjudgeable sources.

    .. versionadded:: 0.1
    """

    high_support: int = attrs.field(default=3, converter=_to_int, metadata=_meta(_check_count))
    high_stability: float = attrs.field(
        default=0.9, converter=_to_float, metadata=_meta(_check_share)
    )
    moderate_support: int = attrs.field(default=2, converter=_to_int, metadata=_meta(_check_count))
    moderate_stability: float = attrs.field(
        default=0.7, converter=_to_float, metadata=_meta(_check_share)
    )
    support_quality: float = attrs.field(
        default=0.5, converter=_to_float, metadata=_meta(_check_share)
    )
    support_ratio: float = attrs.field(
        default=2.0, converter=_to_float, metadata=_meta(_check_support_ratio)
    )
    high_weight: float = attrs.field(
        default=20.0, converter=_to_float, metadata=_meta(_check_ratio)
    )
    moderate_weight: float = attrs.field(
        default=10.0, converter=_to_float, metadata=_meta(_check_ratio)
    )
    high_interested_share: float = attrs.field(
        default=0.25, converter=_to_float, metadata=_meta(_check_share)
    )
    moderate_interested_share: float = attrs.field(
        default=0.5, converter=_to_float, metadata=_meta(_check_share)
    )

    def _own_findings(self) -> Iterator[Finding]:
        if self.high_weight < self.moderate_weight:
            yield (
                ("high_weight",),
                (
                    f"high confidence cannot need less weight than moderate: high_weight is"
                    f" {show_number(self.high_weight)}, moderate_weight"
                    f" {show_number(self.moderate_weight)}"
                ),
            )


#: The fields of :class:`ConfidenceRule` that the first evidence model had.
#: Canonical form writes them all whenever any threshold is set, as it always
#: has, so that the digests of existing files stay the same.
FIRST_CONFIDENCE_FIELDS: Final = (
    "high_support",
    "high_stability",
    "moderate_support",
    "moderate_stability",
    "support_quality",
    "support_ratio",
)


@attrs.frozen(kw_only=True)
class Dependence(_Checked):
    """
    How strongly the errors of lines from one source, or one party, go together.

    Each is an intra-class correlation in [0, 1] for the design effect that
    tempers such lines (``docs/methods.md``): ``same_source`` for lines from
    one source, ``same_party`` for lines from the sources of one party.

    .. versionadded:: 0.1
    """

    same_source: float = attrs.field(default=0.2, converter=_to_float, metadata=_meta(_check_share))
    same_party: float = attrs.field(default=0.5, converter=_to_float, metadata=_meta(_check_share))


@attrs.frozen(kw_only=True)
class Collection(_Checked):
    """
    The conventions of ``assess collect`` (``docs/methods.md``, "What to collect next").

    ``detection`` is the chance of seeing an indicator that occurred, for an
    indicator that does not state its own; ``plausible`` the least
    probability of an outcome counted as plausible when looking for the
    fewest observations that would unseat the leader; ``reliability`` and
    ``credibility`` the grade of the hypothetical report that discriminators
    describe.

    .. versionadded:: 0.1
    """

    detection: float = attrs.field(default=0.5, converter=_to_float, metadata=_meta(_check_share))
    plausible: float = attrs.field(default=0.05, converter=_to_float, metadata=_meta(_check_share))
    reliability: Reliability = attrs.field(
        default=Reliability.B,
        converter=_to_reliability,
        metadata=_meta(_grade(Reliability, "a reliability grade")),
    )
    credibility: Credibility = attrs.field(
        default=Credibility.PROBABLY_TRUE,
        converter=_to_credibility,
        metadata=_meta(_grade(Credibility, "a credibility grade")),
    )


@attrs.frozen(kw_only=True)
class Scoring(_Checked):
    """
    Scoring parameters; ``likelihoods`` given in part are completed from the defaults.

    ``draws``, ``seed`` and ``perturbation`` set the Monte Carlo sensitivity
    analysis; ``dispute`` is the analysts' standard deviation at which a cell
    is disputed; ``confidence`` holds the confidence rule's thresholds.
    ``fidelity``, ``reliability_values`` and ``credibility_values`` map
    grades to numbers and, given in part, are completed from the defaults
    (:data:`DEFAULT_FIDELITY`, :data:`DEFAULT_RELIABILITY_VALUES`,
    :data:`DEFAULT_CREDIBILITY_VALUES`); ``dependence`` tempers lines that
    share a source or a party; ``prior_concentration`` and
    ``likelihood_jitter`` say how far the Monte Carlo moves the priors and
    the likelihood table; ``collection`` holds the conventions of ``assess
    collect``.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 ``collection``.
    """

    likelihoods: FrozenMap[Rating, float] = attrs.field(
        default=DEFAULT_LIKELIHOODS, converter=_to_likelihoods, metadata=_meta(_check_likelihoods)
    )
    fidelity: FrozenMap[Reliability, float] = attrs.field(
        default=DEFAULT_FIDELITY, converter=_to_fidelity, metadata=_meta(_check_fidelity)
    )
    reliability_values: FrozenMap[Reliability, float] = attrs.field(
        default=DEFAULT_RELIABILITY_VALUES,
        converter=_to_reliability_values,
        metadata=_meta(_check_reliability_values),
    )
    credibility_values: FrozenMap[Credibility, float] = attrs.field(
        default=DEFAULT_CREDIBILITY_VALUES,
        converter=_to_credibility_values,
        metadata=_meta(_check_credibility_values),
    )
    dependence: Dependence = attrs.field(
        default=Dependence(), metadata=_meta(_instance(Dependence))
    )
    draws: int = attrs.field(default=10_000, converter=_to_int, metadata=_meta(_check_draws))
    seed: int = attrs.field(default=0, converter=_to_int, metadata=_meta(_check_seed))
    perturbation: float = attrs.field(
        default=0.2, converter=_to_float, metadata=_meta(_check_share)
    )
    prior_concentration: float = attrs.field(
        default=50.0, converter=_to_float, metadata=_meta(_check_positive)
    )
    likelihood_jitter: float = attrs.field(
        default=0.1, converter=_to_float, metadata=_meta(_check_jitter)
    )
    dispute: float = attrs.field(default=1.0, converter=_to_float, metadata=_meta(_check_ratio))
    confidence: ConfidenceRule = attrs.field(
        default=ConfidenceRule(), metadata=_meta(_instance(ConfidenceRule))
    )
    collection: Collection = attrs.field(
        default=Collection(), metadata=_meta(_instance(Collection))
    )


@attrs.frozen(kw_only=True)
class Assessment(Displayed):
    """
    A question, its competing hypotheses, and the evidence weighed against them.

    Building one checks every field and every cross-reference, and raises
    :class:`~assess.InputError` listing all problems at once.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(metadata=_meta(_check_assessment_id, key="assessment"))
    title: str = attrs.field(metadata=_meta(_check_text))
    question: str | None = attrs.field(default=None, metadata=_meta(_optional(_check_text)))
    as_of: dt.date | None = attrs.field(
        default=None, converter=_to_optional_date, metadata=_meta(_optional(_check_date))
    )
    analysts: tuple[str, ...] = attrs.field(
        default=(), converter=_to_ids, metadata=_meta(_each(_check_id))
    )
    hypotheses: tuple[Hypothesis, ...] = attrs.field(
        converter=_to_hypotheses, metadata=_meta(_instances(Hypothesis))
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_to_sources, metadata=_meta(_instances(Source))
    )
    documents: tuple[Document, ...] = attrs.field(
        default=(), converter=_to_documents, metadata=_meta(_instances(Document))
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=_to_evidence, metadata=_meta(_instances(Evidence))
    )
    assumptions: tuple[Assumption, ...] = attrs.field(
        default=(), converter=_to_assumptions, metadata=_meta(_instances(Assumption))
    )
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), converter=_to_indicators, metadata=_meta(_instances(Indicator))
    )
    scoring: Scoring = attrs.field(default=Scoring(), metadata=_meta(_instance(Scoring)))
    judgement: FrozenMap[str, FrozenMap[str, float]] = attrs.field(
        default=FrozenMap(), converter=_to_judgement, metadata=_meta(_check_judgement)
    )
    outcome: Outcome | None = attrs.field(
        default=None, metadata=_meta(_optional(_instance(Outcome)))
    )

    def __attrs_post_init__(self) -> None:
        from assess.model.checks import cross_findings  # noqa: PLC0415 -- _checks imports this module

        findings = field_findings(self)
        if not findings:
            findings = cross_findings(
                analysts=self.analysts,
                judgement=self.judgement,
                hypotheses=list(enumerate(self.hypotheses)),
                sources=list(enumerate(self.sources)),
                documents=list(enumerate(self.documents)),
                evidence=list(enumerate(self.evidence)),
                assumptions=list(enumerate(self.assumptions)),
                indicators=list(enumerate(self.indicators)),
                outcome=self.outcome,
            )
        _raise_findings(findings)

    def __repr__(self) -> str:
        return (
            f"Assessment({self.id!r}, {self.title!r}, {len(self.hypotheses)} hypotheses,"
            f" {len(self.sources)} sources, {len(self.evidence)} items)"
        )

    def hypothesis(self, hypothesis_id: str) -> Hypothesis:
        """The hypothesis with this id."""
        return by_id(self.hypotheses, hypothesis_id, "hypothesis")

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        return by_id(self.sources, source_id, "source")

    def item(self, evidence_id: str) -> Evidence:
        """The evidence item with this id."""
        return by_id(self.evidence, evidence_id, "evidence item")

    def document(self, document_id: str) -> Document:
        """The document with this id."""
        return by_id(self.documents, document_id, "document")

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        return by_id(self.indicators, indicator_id, "indicator")


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def by_id(items: Iterable[T], wanted: str, what: str) -> T:
    """The item of ``items`` whose id is ``wanted``; a ``KeyError`` naming ``what`` if none."""
    for item in items:
        if item.id == wanted:
            return item
    raise KeyError(f"no {what} with id {wanted!r}")
