"""
The JSON Schema of the assessment file format, for editors.

Editors that use the YAML language server (VS Code's YAML extension, and
others) complete keys, explain grades on hover and mark structural errors as
you type when a file names the schema in its first line::

    # yaml-language-server: $schema=./assessment.schema.json

after ``assess schema > assessment.schema.json``.

The schema is draft-07, the draft that server supports reliably.  It is
generated from the model classes (their fields, types and defaults) and from
the meaning of each key as ``docs/format.md`` gives it, so nothing is written
twice; the generated file ships in the package (:func:`text`) and a test
fails when it is stale.  Regenerate it from the repository's root with
``python -m assess.io.schema``.

The schema checks structure: keys, types, required keys and enumerated
values.  What only the loader can check (cross-references, quotes in
documents, priors that sum to 1) is still reported by ``assess validate``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import sys
import types
import typing
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from assess.model.assessment import ASSESSMENT_ID_PATTERN, Assessment, Rating, Ratings, yaml_key
from assess.model.findings import ID_PATTERN
from assess.model.frozenmap import FrozenMap

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DRAFT", "generate", "meanings", "schema", "text"]

DRAFT: Final = "http://json-schema.org/draft-07/schema#"
"""The draft the schema is written in."""

#: Where the generated schema ships, inside the package.
_FILE: Final = "schema.json"


def text() -> str:
    """
    The shipped schema, as the JSON text ``assess schema`` prints.

    .. versionadded:: 0.1
    """
    return resources.files("assess.io").joinpath(_FILE).read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """
    The shipped schema, as data.

    .. versionadded:: 0.1
    """
    data: dict[str, Any] = json.loads(text())
    return data


# --------------------------------------------------------------------------- generation

_TABLE_ROW: Final = re.compile(
    r"^\| `(?P<key>[a-z_]+)` \| [^|]* \|(?: [^|]* \|)? (?P<meaning>.*) \|$"
)
_LINK: Final = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def _plain_text(markdown: str) -> str:
    """A table cell's Markdown as plain text: links become their words, marks go."""
    return _LINK.sub(r"\1", markdown).replace("`", "").replace("**", "").strip()


def meanings(markdown: str) -> dict[str, dict[str, str]]:
    """
    The meaning of every key, per model class, from the key tables of ``docs/format.md``.

    A table belongs to the class whose keys it lists (every key of the class,
    under its YAML name); a key table of another shape, such as a list of
    statuses, belongs to none.

    Returns:
        Class name -> key -> meaning, as plain text.

    .. versionadded:: 0.1
    """
    tables: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in markdown.splitlines():
        if line.startswith("| ---"):
            continue
        found = _TABLE_ROW.match(line)
        if found is None:
            if current:
                tables.append(current)
            current = {} if line.startswith("| key ") else None
            continue
        if current is not None:
            current[found["key"]] = _plain_text(found["meaning"])
    if current:
        tables.append(current)
    result: dict[str, dict[str, str]] = {}
    for cls in _classes():
        keys = {yaml_key(a) for a in attrs.fields(cls)}
        # The table of exactly the class's keys, else the first that lists them all.
        fitting = [t for t in tables if set(t) == keys] or [t for t in tables if keys <= set(t)]
        if fitting:
            result[cls.__name__] = {key: fitting[0][key] for key in keys}
    return result


def _classes() -> list[type[Any]]:
    """Every model class an assessment file holds, the assessment first."""
    found: list[type[Any]] = []
    pending: list[type[Any]] = [Assessment]
    while pending:
        cls = pending.pop(0)
        if cls in found:
            continue
        found.append(cls)
        hints = typing.get_type_hints(cls)
        for attribute in attrs.fields(cls):
            pending.extend(
                inner
                for inner in _flatten(hints[attribute.name])
                if isinstance(inner, type) and attrs.has(inner)
            )
    return found


def _flatten(hint: Any) -> list[Any]:
    """A type and every type inside it (in unions, tuples and maps)."""
    inner = [hint]
    for arg in typing.get_args(hint):
        inner.extend(_flatten(arg))
    return inner


def _enum_schema(kind: type[enum.Enum], members: list[Any] | None = None) -> dict[str, Any]:
    """An enumerated value: each one a ``const`` with its label, so that hovers explain it."""
    chosen = list(kind) if members is None else members
    options = []
    for member in chosen:
        label = getattr(member, "label", None)
        entry: dict[str, Any] = {"const": member.value}
        if label is not None:
            entry["description"] = f"{member.value} \N{EM DASH} {label}"
        options.append(entry)
    return {"oneOf": options}


_RATED: Final = [r for r in Rating if r is not Rating.NA]


def _map_schema(key: Any, value: Any, where: str) -> dict[str, Any]:
    """A mapping field: grades or ratings as keys, or ids; values by their own type."""
    result: dict[str, Any] = {"type": "object"}
    if isinstance(key, type) and issubclass(key, enum.Enum):
        allowed = _RATED if key is Rating else list(key)
        result["propertyNames"] = {"enum": [str(member.value) for member in allowed]}
    result["additionalProperties"] = _type_schema(value, where)
    return result


def _type_schema(hint: Any, where: str) -> dict[str, Any]:
    """The schema of a value of type ``hint`` (``where`` names the field, for exceptions)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(arg, where) for arg in args if arg is not type(None)]
        (only,) = options
        if type(None) not in args:
            return only
        if set(only) == {"type"}:
            return {"type": [only["type"], "null"]}
        return {"oneOf": [*options, {"type": "null"}]}
    if hint is Ratings:
        cell = {"oneOf": [_enum_schema(Rating), _map_schema(str, Rating, where)]}
        return {"type": "object", "additionalProperties": cell}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], where)}
    if origin is FrozenMap:
        return _map_schema(args[0], args[1], where)
    if isinstance(hint, type) and attrs.has(hint):
        return {"$ref": f"#/definitions/{hint.__name__}"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum_schema(hint)
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is float:
        return {"type": "number"}
    if hint is str:
        return {"type": "string"}
    if hint is dt.date:
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    raise TypeError(f"{where}: no schema for {hint!r}")


def _class_schema(cls: type[Any], described: Mapping[str, str]) -> dict[str, Any]:
    """An object with the class's keys, its required ones, and nothing else."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for attribute in attrs.fields(cls):
        key = yaml_key(attribute)
        field = _type_schema(hints[attribute.name], f"{cls.__name__}.{attribute.name}")
        if attribute.name == "id":
            pattern = ASSESSMENT_ID_PATTERN if cls is Assessment else ID_PATTERN
            field["pattern"] = f"^{pattern.pattern}$"
        if key in described:
            field = {"description": described[key], **field}
        properties[key] = field
        if attribute.default is attrs.NOTHING:
            required.append(key)
    return {
        "type": "object",
        "description": _first_sentence(cls.__doc__ or ""),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _first_sentence(doc: str) -> str:
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def generate(described: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """
    The schema of the file format, from the model and each key's meaning.

    Args:
        described: Class name -> key -> meaning, as :func:`meanings` reads them.

    Returns:
        A draft-07 JSON Schema: the assessment at the top, every other model
        class under ``definitions``.

    .. versionadded:: 0.1
    """
    classes = _classes()
    top = _class_schema(Assessment, described.get("Assessment", {}))
    return {
        "$schema": DRAFT,
        "title": "assess assessment file",
        **top,
        "definitions": {
            cls.__name__: _class_schema(cls, described.get(cls.__name__, {}))
            for cls in sorted(classes[1:], key=lambda c: c.__name__)
        },
    }


def render(data: Mapping[str, Any]) -> str:
    """The schema as the text shipped: two-space indents, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Regenerate the shipped schema from ``docs/format.md`` (run from the repository root)."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path()
    markdown = (root / "docs" / "format.md").read_text(encoding="utf-8")
    out = root / "src" / "assess" / "io" / _FILE
    out.write_text(render(generate(meanings(markdown))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
