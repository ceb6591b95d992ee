"""
The canonical form of an assessment: plain data and a digest.

Canonical means one spelling per content: keys in the documented order,
defaults left out, ratings in hypothesis order, NA ratings omitted (a missing
rating is NA).  :func:`digest` hashes it, so two files that differ only in key
order, comments or formatting have the same digest; :func:`assess.io.dump.dump`
writes it as YAML that :func:`~assess.load` reads back equal.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import weakref
from typing import TYPE_CHECKING, Any

import attrs

from assess.model.assessment import (
    FIRST_CONFIDENCE_FIELDS,
    AnalystRatings,
    Assessment,
    Assumption,
    Collection,
    ConfidenceRule,
    Dependence,
    Document,
    Evidence,
    Hypothesis,
    Indicator,
    Outcome,
    Rating,
    Ratings,
    Scoring,
    Source,
    yaml_key,
)
from assess.model.frozenmap import FrozenMap

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Flow", "canonical_tree", "digest", "to_data"]


#: The model classes written as mappings, each in its documented key order.
_CLASSES = (
    Hypothesis,
    Source,
    Document,
    Evidence,
    Assumption,
    Indicator,
    Dependence,
    ConfidenceRule,
    Collection,
    Scoring,
    Outcome,
    Assessment,
)


def _plain(value: Any) -> Any:
    """Any model value as plain data: the way for its type is found once, then reused."""
    kind = type(value)
    way = _WAYS.get(kind)
    if way is None:
        way = _WAYS[kind] = _way_to_plain(kind)
    return way(value)


def _way_to_plain(kind: type) -> Callable[[Any], Any]:
    """
    How a value of ``kind`` becomes plain data.

    Grades are str and int enums, written as their values; tuples become
    lists, maps dicts, and model objects dicts of their fields (see
    :func:`_fields_to_plain`).  Dates stay dates: YAML writes them as such,
    and JSON converts them.
    """
    if issubclass(kind, enum.Enum):
        return {member: member.value for member in kind}.__getitem__
    if issubclass(kind, (Ratings, AnalystRatings)):
        # NA is what a missing rating means, and an analyst's NA an abstention:
        # canonical form leaves both out (a cell of abstentions becomes empty).
        return lambda m: {k: _plain(v) for k, v in m.items() if v is not Rating.NA}  # ids as keys
    if issubclass(kind, FrozenMap):
        return lambda m: {_plain(k): _plain(v) for k, v in m.items()}
    if issubclass(kind, tuple):
        return lambda t: [_plain(v) for v in t]
    if kind in _CLASSES:
        return _fields_to_plain(kind)
    if kind is type(None) or issubclass(kind, (str, int, float, dt.date)):
        return lambda v: v
    raise TypeError(f"{kind.__name__} is not part of an assessment")


def _fields_to_plain(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    """
    A model object as a dict: its fields in declaration order, under their YAML keys.

    A field at its default is left out, so a file that does not use a
    setting has the digest it had before the setting existed.  The first
    model wrote every threshold of a confidence rule that set any, so those
    (:data:`~assess.model.assessment.FIRST_CONFIDENCE_FIELDS`) are always written.
    """
    fields: list[tuple[str, str, Any]] = []
    for attribute in attrs.fields(cls):
        default = attribute.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs' Factory is a class
            default = default.factory()
        elif default is attrs.NOTHING or (
            cls is ConfidenceRule and attribute.name in FIRST_CONFIDENCE_FIELDS
        ):
            default = _ALWAYS
        fields.append((attribute.name, yaml_key(attribute), default))

    def to_plain(obj: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, key, default in fields:
            value = getattr(obj, name)
            if default is _ALWAYS or value != default:
                data[key] = _plain(value)
        return data

    return to_plain


#: Stands for "no default": the field is always written.
_ALWAYS: Any = object()

#: How each type found so far becomes plain data.
_WAYS: dict[type, Callable[[Any], Any]] = {}


def canonical_tree(assessment: Assessment) -> dict[str, Any]:
    """The canonical data, dates as dates and one-line mappings marked (:class:`Flow`)."""
    data: dict[str, Any] = _plain(assessment)
    order = {h.id: index for index, h in enumerate(assessment.hypotheses)}
    analyst_order = {a: index for index, a in enumerate(assessment.analysts)}
    if "judgement" in data:  # analysts as declared, the team last; hypotheses in order
        data["judgement"] = {
            who: dict(sorted(stated.items(), key=lambda hp: order[hp[0]]))
            for who, stated in sorted(
                data["judgement"].items(),
                key=lambda ws: (analyst_order.get(ws[0], len(analyst_order)), ws[0]),
            )
        }
    by_analyst = lambda ar: (analyst_order.get(ar[0], len(analyst_order)), ar[0])  # noqa: E731
    by_hypothesis = lambda hc: order[hc[0]]  # noqa: E731
    for item in data.get("evidence", ()):
        ratings = item.get("ratings")
        if ratings is None:
            continue
        cells = []
        for hypothesis, cell in ratings.items():
            if type(cell) is not dict:
                cells.append((hypothesis, cell))
            elif cell:  # several analysts' ratings, analysts as declared
                cells.append((hypothesis, Flow(sorted(cell.items(), key=by_analyst))))
        if cells:
            item["ratings"] = Flow(sorted(cells, key=by_hypothesis))
        else:
            del item["ratings"]
    for indicator in data.get("indicators", ()):
        # Every hypothesis is rated (the model checks it): in hypothesis order, on one line.
        indicator["expected"] = Flow(
            sorted(indicator["expected"].items(), key=lambda hr: order[hr[0]])
        )
    return data


class Flow(dict[str, Any]):
    """A mapping written on one line in YAML: ``{H1: C, H2: I}`` reads as a matrix row."""


def _jsonable(value: Any) -> Any:
    """Canonical data with dates as text; maps become plain dicts (by type: no ABC checks)."""
    kind = type(value)
    if kind is dict or kind is Flow:
        return {k: _jsonable(v) for k, v in value.items()}
    if kind is list:
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_data(assessment: Assessment) -> dict[str, Any]:
    """
    The assessment as canonical, JSON-ready data (dates as ``YYYY-MM-DD``).

    .. versionadded:: 0.1
    """
    result: dict[str, Any] = _jsonable(canonical_tree(assessment))
    return result


def digest(assessment: Assessment) -> str:
    """
    The assessment's content digest: ``sha256:`` and 64 hex digits.

    The hash is taken over the canonical data as JSON with sorted keys, so it
    changes with any change of content and with nothing else.  An assessment
    is immutable, so its digest is computed once per object and remembered
    while the object lives.

    .. versionadded:: 0.1
    """
    key = id(assessment)
    cached = _DIGESTS.get(key)
    if cached is not None and cached[0]() is assessment:
        return cached[1]
    text = json.dumps(
        canonical_tree(assessment),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
        default=_iso_date,  # what to_data does to a date, in the same pass as the encoding
    )
    value = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    # The entry goes when the assessment does; an id reused by then misses the
    # identity check above, so it can never return another object's digest.
    _DIGESTS[key] = (weakref.ref(assessment, lambda _: _DIGESTS.pop(key, None)), value)
    return value


#: Digests by object: an assessment is immutable, so its digest is computed once.
_DIGESTS: dict[int, tuple[weakref.ref[Assessment], str]] = {}


def _iso_date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not canonical data")
