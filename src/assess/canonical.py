"""
The canonical form of an assessment: plain data, canonical YAML and a digest.

Canonical means one spelling per content: keys in the documented order,
defaults left out, ratings in hypothesis order, NA ratings omitted (a missing
rating is NA).  :func:`dump` writes it as YAML that :func:`~assess.load` reads
back equal; :func:`digest` hashes it, so two files that differ only in key
order, comments or formatting have the same digest.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import json
import operator
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
import yaml
from cattrs.gen import make_dict_unstructure_fn, override

from assess._frozenmap import FrozenMap
from assess._yaml import resolve_plain
from assess.model import (
    FIRST_CONFIDENCE_FIELDS,
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
    Scoring,
    Source,
    yaml_key,
)

__all__ = ["digest", "dump", "to_data"]


@functools.cache
def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(dt.date, lambda d: d)  # kept for YAML; JSON converts
    # Grades are str and int enums; plain values keep YAML and JSON free of Python types.
    # (Registered on StrEnum and IntEnum, which come before str and int in their MRO.)
    converter.register_unstructure_hook(enum.StrEnum, lambda e: e.value)
    converter.register_unstructure_hook(enum.IntEnum, lambda e: e.value)

    # A map's keys and values are ids, grades, numbers or maps of them: each
    # type's way to plain data is found once, not through cattrs' dispatch
    # (and its abstract-class checks) once per matrix cell.
    ways: dict[type, Callable[[Any], Any]] = {}

    def plain(value: Any) -> Any:
        kind = type(value)
        way = ways.get(kind)
        if way is None:
            way = ways[kind] = _way_to_plain(kind, plain, converter.unstructure)
        return way(value)

    converter.register_unstructure_hook_func(
        lambda t: (
            (isinstance(t, type) and issubclass(t, FrozenMap))
            or getattr(t, "__origin__", None) is FrozenMap
        ),
        plain,
    )
    classes = (
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
    for cls in classes:
        overrides: dict[str, Any] = {
            a.name: override(rename=yaml_key(a)) for a in attrs.fields(cls) if a.metadata["key"]
        }
        if cls is ConfidenceRule:
            # The first model wrote every threshold of a rule that set any, so
            # those stay written; the thresholds added since are left out at
            # their defaults.  Files that do not use them keep their digests.
            overrides.update(
                (name, override(omit_if_default=False)) for name in FIRST_CONFIDENCE_FIELDS
            )
        unstructure = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=True, **overrides
        )
        converter.register_unstructure_hook(cls, _in_field_order(cls, unstructure))
    return converter


def _way_to_plain(
    kind: type, plain: Callable[[Any], Any], unstructure: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """How a value of ``kind`` inside a map becomes plain data (``plain`` for nested maps)."""
    if issubclass(kind, enum.Enum):
        return operator.attrgetter("value")
    if issubclass(kind, FrozenMap):
        return lambda m: {plain(k): plain(v) for k, v in m.items()}
    if issubclass(kind, (str, int, float, dt.date)):
        return lambda v: v
    return unstructure


def _in_field_order(
    cls: type[Any], unstructure: Callable[[Any], dict[str, Any]]
) -> Callable[[Any], dict[str, Any]]:
    """Keep the documented key order (cattrs puts fields with defaults last)."""
    keys = [yaml_key(a) for a in attrs.fields(cls)]

    def ordered(obj: Any) -> dict[str, Any]:
        data = unstructure(obj)
        return {key: data[key] for key in keys if key in data}

    return ordered


def _canonical(assessment: Assessment) -> dict[str, Any]:
    data: dict[str, Any] = _converter().unstructure(assessment)
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
    for item in data.get("evidence", ()):
        if "ratings" not in item:
            continue
        # NA is what a missing rating means: canonical form leaves it out, and
        # an analyst's NA is an abstention, left out of a cell the same way.
        cells = []
        for hypothesis, cell in item["ratings"].items():
            if isinstance(cell, dict):
                voters = sorted(
                    ((a, r) for a, r in cell.items() if r != Rating.NA),
                    key=lambda ar: (analyst_order.get(ar[0], len(analyst_order)), ar[0]),
                )
                if voters:
                    cells.append((hypothesis, _Flow(voters)))
            elif cell != Rating.NA:
                cells.append((hypothesis, cell))
        if cells:
            item["ratings"] = _Flow(sorted(cells, key=lambda hc: order[hc[0]]))
        else:
            del item["ratings"]
    for indicator in data.get("indicators", ()):
        # Every hypothesis is rated (the model checks it): in hypothesis order, on one line.
        indicator["expected"] = _Flow(
            sorted(indicator["expected"].items(), key=lambda hr: order[hr[0]])
        )
    return data


class _Flow(dict[str, Any]):
    """A mapping written on one line in YAML: ``{H1: C, H2: I}`` reads as a matrix row."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def to_data(assessment: Assessment) -> dict[str, Any]:
    """
    The assessment as canonical, JSON-ready data (dates as ``YYYY-MM-DD``).

    .. versionadded:: 0.1
    """
    result: dict[str, Any] = _jsonable(_canonical(assessment))
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
        _canonical(assessment),
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


class _Dumper(yaml.SafeDumper):
    """
    Pure-Python safe dumper that quotes what a YAML 1.2 reader would not read as text.

    PyYAML decides whether a string needs quotes by YAML 1.1 rules; ``1e5`` or
    ``0o17`` pass those as text but our loader reads them as numbers.  The
    pure-Python emitter (not libyaml's) keeps the bytes the same on every
    installation.  Equal values (two items on the same date) are written out
    each time: the loader refuses anchors and aliases.
    """

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 -- never alias anything
        return True


# Characters YAML treats as line breaks (or a byte-order mark): only the
# double-quoted style writes them as escapes; other styles would fold them away.
_ESCAPE_ONLY = frozenset("\r\x85\u2028\u2029\ufeff")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if not _ESCAPE_ONLY.isdisjoint(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if not isinstance(resolve_plain(value), str):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Lists of ids on one line ([E1, E7]); lists of mappings as blocks.
    flow = all(isinstance(item, str) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(list, _represent_list)


def dump(assessment: Assessment) -> str:
    """
    The assessment as canonical YAML text.

    ``load(dump(a))`` equals ``a`` for every valid assessment ``a``; comments
    and formatting of the original file are not kept.

    .. versionadded:: 0.1
    """
    text: str = yaml.dump(
        _canonical(assessment),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
        indent=2,
    )
    return text
