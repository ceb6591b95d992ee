"""
Load an assessment file: bytes, then positioned YAML nodes, then the model.

Every problem in the file is collected and raised together as one
:class:`~assess.InputError`, each with its line, column and field path.  The
model's own checks decide what is valid; this module only says where.
"""

from __future__ import annotations

import os
import types
import typing
from pathlib import Path
from typing import Any, Final

import attrs

from assess.errors import InputError, KeyPart, PathPart, Problem, ReadError
from assess.io import yaml_reader as _yaml
from assess.io.documents import document_findings
from assess.io.files import MAX_BYTES, TooLargeError, read_regular
from assess.model.assessment import Assessment, describe, yaml_key
from assess.model.checks import cross_findings
from assess.model.findings import did_you_mean

if typing.TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_ENTRIES",
    "load",
    "loads",
    "locate",
    "locate_all",
    "verify_documents",
]


#: The most entries each list of a file may hold.  Past them the file is
#: refused before anything is built, so that a huge file fails fast; the
#: numbers are far above any assessment written by hand or seen in practice.
MAX_ENTRIES: Final = {
    "analysts": 100,
    "hypotheses": 1_000,
    "sources": 100_000,
    "documents": 100_000,
    "evidence": 100_000,
    "assumptions": 10_000,
    "indicators": 10_000,
}

#: The most cells (hypotheses x evidence items) a file's matrix may have: an
#: analysis of 1,000 x 10,000 cells peaks near 800 MB, so the cap keeps one
#: file's analysis within a few hundred megabytes.
MAX_CELLS: Final = 2_000_000

StrPath = str | os.PathLike[str]


@attrs.frozen
class _Shape:
    """How a model class appears in a file: its keys, and which hold nested models."""

    fields: Mapping[str, attrs.Attribute[Any]]
    required: tuple[str, ...]
    lists: Mapping[str, type[Any]]  # key -> model class of each item
    nested: Mapping[str, type[Any]]  # key -> model class of the value


def _shape(cls: type[Any]) -> _Shape:
    hints = typing.get_type_hints(cls)
    fields: dict[str, attrs.Attribute[Any]] = {}
    lists: dict[str, type[Any]] = {}
    nested: dict[str, type[Any]] = {}
    required: list[str] = []
    for attribute in attrs.fields(cls):
        key = yaml_key(attribute)
        fields[key] = attribute
        if attribute.default is attrs.NOTHING:
            required.append(key)
        hint = hints[attribute.name]
        args = typing.get_args(hint)
        if typing.get_origin(hint) is tuple and args and attrs.has(args[0]):
            lists[key] = args[0]
        elif isinstance(hint, type) and attrs.has(hint):
            nested[key] = hint
        elif isinstance(hint, types.UnionType) and type(None) in args:
            # An optional block (``Outcome | None``): null is the same as leaving it out.
            inner = [a for a in args if a is not type(None)]
            if len(inner) == 1 and isinstance(inner[0], type) and attrs.has(inner[0]):
                nested[key] = inner[0]
    return _Shape(fields, tuple(required), lists, nested)


_SHAPES: dict[type[Any], _Shape] = {}


def _shape_of(cls: type[Any]) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _shape(cls)
    return shape


_WHAT = {
    "Hypothesis": "a hypothesis",
    "Evidence": "an evidence item",
    "Assumption": "an assumption",
    "Indicator": "an indicator",
    "Outcome": "an outcome",
}


def _what(cls: type[Any]) -> str:
    return _WHAT.get(cls.__name__, f"a {cls.__name__.lower()}")


def _locate(node: _yaml.Node, parts: Sequence[PathPart]) -> _yaml.Node:
    """
    The node a path points at: the deepest one along ``parts``.

    A missing key stops at its parent mapping; a :class:`KeyPart` stops at
    the key itself rather than its value.
    """
    for part in parts:
        value = node.value
        if isinstance(part, KeyPart) and node.keys is not None and part in node.keys:
            return node.keys[part]
        in_mapping = isinstance(value, dict) and part in value
        in_list = isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
        if not (in_mapping or in_list):
            break
        node = value[part]  # type: ignore[index]  # a dict or list, checked above
    return node


def locate(text: str, parts: Sequence[PathPart]) -> tuple[int, int] | None:
    """
    The 1-based line and column of a field path in an assessment's text.

    For messages about a file that loaded (warnings): the deepest node along
    ``parts``, or ``None`` when the text does not parse.

    .. versionadded:: 0.1
    """
    return locate_all(text, [parts])[0]


def locate_all(text: str, paths: Sequence[Sequence[PathPart]]) -> list[tuple[int, int] | None]:
    """
    :func:`locate` for many field paths, reading the text once.

    .. versionadded:: 0.1
    """
    node, _ = _yaml.compose(text)
    if node is None:
        return [None for _ in paths]
    found = [_locate(node, parts) for parts in paths]
    return [(place.line, place.column) for place in found]


class _Builder:
    """Builds model objects from nodes, recording problems with positions."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.problems: list[Problem] = []
        self._lines: list[str] | None = None

    def report(self, node: _yaml.Node | None, parts: Sequence[PathPart], message: str) -> None:
        line = column = None
        source_line = None
        if node is not None:
            line, column = node.line, node.column
            source_line = self._line(line)
        self.problems.append(Problem(message, tuple(parts), self.file, line, column, source_line))

    def report_at(self, root: _yaml.Node, parts: Sequence[PathPart], message: str) -> None:
        self.report(_locate(root, parts), parts, message)

    def _line(self, line: int) -> str | None:
        if self._lines is None:
            # Split where the parser counts lines, so the line shown is the one named.
            self._lines = _yaml.lines(self.text)
        return self._lines[line - 1] if 0 < line <= len(self._lines) else None

    def fields(
        self,
        cls: type[Any],
        node: _yaml.Node,
        parts: tuple[PathPart, ...],
        sections: dict[str, list[tuple[int, Any]]] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """
        The constructor arguments of ``cls`` from a mapping node, and whether all are valid.

        Every problem is reported.  Arguments that failed their checks are
        still returned (converted as far as they could be), so that checks
        across items can run over broken items too.  Items of list fields are
        recorded in ``sections`` with their indexes.
        """
        if not isinstance(node.value, dict):
            self.report(
                node, parts, f"expected {_what(cls)} (a mapping), got {describe(node.plain())}"
            )
            return {}, False
        shape = _shape_of(cls)
        kwargs: dict[str, Any] = {}
        valid = True
        for key, child in node.value.items():
            attribute = shape.fields.get(key)
            if attribute is None:
                assert node.keys is not None  # noqa: S101 -- mappings carry key nodes
                hint = did_you_mean(key, shape.fields)
                self.report(node.keys[key], (*parts, key), f"unknown key {key!r}{hint}")
                valid = False
                continue
            item_cls = shape.lists.get(key)
            nested_cls = shape.nested.get(key)
            value: Any
            if item_cls is not None:
                pairs, complete = self.build_list(item_cls, child, (*parts, key))
                if sections is not None:
                    sections[key] = pairs
                valid = valid and complete
                value = [item for _, item in pairs]
            elif nested_cls is not None and child.value is None and attribute.default is None:
                value = None  # an optional block written empty, null or ~: left out
            elif nested_cls is not None:
                value, complete = self.build(nested_cls, child, (*parts, key))
                valid = valid and complete
            else:
                value = child.plain()
                if attribute.converter is not None:
                    value = attribute.converter(value)  # type: ignore[operator]  # plain functions
                for sub, message in attribute.metadata["check"](value):
                    self.report(_locate(child, sub), (*parts, key, *sub), message)
                    valid = False
            kwargs[attribute.name] = value
        for key in shape.required:
            if key not in node.value:
                self.report(node, parts, f"missing required key {key!r}")
                valid = False
        return kwargs, valid

    def build(
        self, cls: type[Any], node: _yaml.Node, parts: tuple[PathPart, ...]
    ) -> tuple[Any, bool]:
        """
        Build ``cls`` from a mapping node; report every problem.

        Returns the object and ``True``, or, when the node has problems, an
        unchecked draft of the object (fields as given, missing ones ``None``)
        and ``False``.  Drafts exist only so that checks across items can
        still look at a broken item's references; they never leave the loader.
        """
        kwargs, valid = self.fields(cls, node, parts)
        if valid:
            try:
                return cls(**kwargs), True
            except InputError as error:  # a check across the object's own fields
                for problem in error.problems:
                    at = _locate(node, problem.parts)
                    self.report(at, (*parts, *problem.parts), problem.message)
        return _draft(cls, kwargs), False

    def build_list(
        self, cls: type[Any], node: _yaml.Node, parts: tuple[PathPart, ...]
    ) -> tuple[list[tuple[int, Any]], bool]:
        """The items of a list node (drafts for broken ones) by index, and whether all are valid."""
        if not isinstance(node.value, list):
            self.report(node, parts, f"expected a list, got {describe(node.plain())}")
            return [], False
        pairs = []
        complete = True
        for index, child in enumerate(node.value):
            item, valid = self.build(cls, child, (*parts, index))
            pairs.append((index, item))
            complete = complete and valid
        return pairs, complete


def _draft(cls: type[Any], kwargs: Mapping[str, Any]) -> Any:
    """An instance of a frozen model class made without its checks (see ``_Builder.build``)."""
    draft = object.__new__(cls)
    for attribute in attrs.fields(cls):
        default = None if attribute.default is attrs.NOTHING else attribute.default
        object.__setattr__(draft, attribute.name, kwargs.get(attribute.name, default))
    return draft


_NO_NODE = _yaml.Node(None, 0, 0)


def _too_many(builder: _Builder, root: _yaml.Node) -> bool:
    """Report each list longer than :data:`MAX_ENTRIES` allows; whether there was one."""
    assert isinstance(root.value, dict)  # noqa: S101 -- checked by the caller
    found = False
    for key, limit in MAX_ENTRIES.items():
        node = root.value.get(key)
        if node is not None and isinstance(node.value, list) and len(node.value) > limit:
            builder.report(node, (key,), f"at most {limit} entries, got {len(node.value)}")
            found = True
    if found:
        return True
    sizes = {key: root.value.get(key) for key in ("hypotheses", "evidence")}
    hypotheses, items = (
        len(node.value) if node is not None and isinstance(node.value, list) else 0
        for node in sizes.values()
    )
    if hypotheses * items > MAX_CELLS:
        message = (
            f"{hypotheses} hypotheses x {items} items is {hypotheses * items} cells;"
            f" at most {MAX_CELLS} are allowed"
        )
        builder.report(sizes["evidence"], ("evidence",), message)
        return True
    return False


def _build_assessment(
    builder: _Builder, root: _yaml.Node, *, base_dir: Path, root_dir: Path
) -> Assessment | None:
    if not isinstance(root.value, dict):
        builder.report(
            root, (), f"expected a mapping at the top level, got {describe(root.plain())}"
        )
        return None
    if _too_many(builder, root):
        return None
    sections: dict[str, list[tuple[int, Any]]] = {}
    kwargs, valid = builder.fields(Assessment, root, (), sections)
    assessment = None
    if valid:
        # Everything is well formed: the model checks the cross-references.
        try:
            assessment = Assessment(**kwargs)
        except InputError as error:
            for problem in error.problems:
                builder.report_at(root, problem.parts, problem.message)
    else:
        # Check references across all items, drafts of broken ones included,
        # so that one broken item does not hide the problems of the others.
        for parts, message in cross_findings(
            hypotheses=sections.get("hypotheses", []),
            sources=sections.get("sources", []),
            documents=sections.get("documents", []),
            evidence=sections.get("evidence", []),
            assumptions=sections.get("assumptions", []),
            indicators=sections.get("indicators", []),
            count_hypotheses=isinstance(root.value.get("hypotheses", _NO_NODE).value, list),
            analysts=kwargs.get("analysts", ()),
            judgement=kwargs.get("judgement"),
            outcome=kwargs.get("outcome"),
        ):
            builder.report_at(root, parts, message)
    for parts, message in document_findings(
        sections.get("documents", []),
        sections.get("evidence", []),
        base_dir=base_dir,
        root=root_dir,
    ):
        builder.report_at(root, parts, message)
    return assessment


def _too_large(name: str, max_bytes: int) -> InputError:
    """The problem of a file over the cap, at 1:1 so that editors can open it."""
    return InputError(
        [Problem(f"the file is larger than {max_bytes} bytes", file=name, line=1, column=1)]
    )


def _decode(data: bytes, file: str) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        # The codec's offsets count from after a byte-order mark, and all
        # before the bad byte is UTF-8: count lines there as YAML does.
        read = error.object[: error.start].decode("utf-8")
        line, column = _yaml.position(read, len(read))
        bad = error.object[error.start : error.start + 1].hex()
        return None, Problem(f"the file is not UTF-8 text (byte 0x{bad})", (), file, line, column)


def _load_text(text: str, file: str, base_dir: Path, root_dir: Path) -> Assessment:
    builder = _Builder(file, text)
    node, flaws = _yaml.compose(text)
    for flaw in flaws:
        located = None if flaw.line is None else _yaml.Node(None, flaw.line, flaw.column or 1)
        builder.report(located, flaw.parts, flaw.message)
    assessment = None
    if node is None and not flaws:
        # At 1:1, so that editors can jump to the file.
        builder.report(
            _yaml.Node(None, 1, 1), (), "the file is empty; an assessment is a YAML mapping"
        )
    elif node is not None:
        assessment = _build_assessment(builder, node, base_dir=base_dir, root_dir=root_dir)
    if builder.problems or assessment is None:
        raise InputError(builder.problems)
    return assessment


def loads(
    text: str | bytes,
    *,
    name: str = "<string>",
    base_dir: StrPath | None = None,
    root: StrPath | None = None,
    max_bytes: int = MAX_BYTES,
) -> Assessment:
    """
    Load an assessment from YAML text.

    Args:
        text: The YAML document, as text or UTF-8 bytes.
        name: What to call the input in error messages.
        base_dir: The directory document paths are relative to (default: the
            current directory).
        root: Documents must lie inside this directory (default: the current
            directory).
        max_bytes: The longest text read, in bytes (or characters, for a
            ``str``): longer text is refused before it is parsed.

    Returns:
        The checked assessment.

    Raises:
        InputError: Listing every problem found, with line and column.
        ValueError: When ``max_bytes`` is not a whole number of at least 1.

    .. versionadded:: 0.1
    """
    _check_cap(max_bytes)
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            raise _too_large(name, max_bytes)
        decoded, problem = _decode(text, name)
        if problem is not None:
            raise InputError([problem])
        assert decoded is not None  # noqa: S101 -- _decode returns one or the other
        text = decoded
    elif len(text) > max_bytes:
        message = f"the text is longer than {max_bytes} characters"
        raise InputError([Problem(message, file=name, line=1, column=1)])
    base = Path.cwd() if base_dir is None else Path(base_dir)
    root_dir = Path.cwd() if root is None else Path(root)
    return _load_text(text, name, base, root_dir)


def _check_cap(max_bytes: int) -> None:
    if type(max_bytes) is not int or max_bytes < 1:  # not a bool, a float or a string
        raise ValueError(f"max_bytes must be a whole number of at least 1, got {max_bytes!r}")


def load(path: StrPath, *, root: StrPath | None = None, max_bytes: int = MAX_BYTES) -> Assessment:
    """
    Load an assessment file.

    Document paths in the file are relative to the file's directory and must
    resolve inside ``root``.

    Args:
        path: The assessment's YAML file.
        root: Documents must lie inside this directory (default: the current
            directory).
        max_bytes: The largest file read, in bytes (:data:`MAX_BYTES`, 64 MiB,
            by default): a larger file is refused before it is read whole.

    Returns:
        The checked assessment.

    Raises:
        InputError: Listing every problem in the file, with line and column.
        ReadError: When the file cannot be read.
        ValueError: When ``max_bytes`` is not a whole number of at least 1.

    .. versionadded:: 0.1
    """
    _check_cap(max_bytes)
    path = Path(path)
    name = os.fspath(path)
    try:
        data = read_regular(path, max_bytes)
    except TooLargeError:
        raise _too_large(name, max_bytes) from None
    except ReadError as error:
        if error.reason == "is a directory":
            raise ReadError(name, "is a directory, not an assessment file") from None
        raise
    return loads(data, name=name, base_dir=path.parent, root=root, max_bytes=max_bytes)


def verify_documents(
    assessment: Assessment, *, base_dir: StrPath, root: StrPath | None = None
) -> None:
    """
    Check an assessment's documents and quotes on disk, as :func:`load` does.

    For assessments built in Python: every document must be readable inside
    ``root`` and every quote must occur in its document.

    Raises:
        InputError: Listing every document or quote problem.

    .. versionadded:: 0.1
    """
    findings = document_findings(
        list(enumerate(assessment.documents)),
        list(enumerate(assessment.evidence)),
        base_dir=Path(base_dir),
        root=Path.cwd() if root is None else Path(root),
    )
    if findings:
        raise InputError(Problem(message, parts) for parts, message in findings)
