"""
YAML text to a tree of positioned nodes, safely and by YAML 1.2 rules.

We never hand a document to PyYAML's composer or constructor.  We read the
parser's event stream once and build the tree ourselves, which lets us

* refuse anchors, aliases and explicit tags before anything is expanded, so
  alias and merge-key bombs cost nothing;
* stop at a nesting depth cap: libyaml's composer, which we bypass,
  recurses in C and crashes on deep documents, and our own tree walks must
  not meet the same fate;
* refuse duplicate keys, naming both lines;
* resolve plain scalars by the YAML 1.2 core schema, so ``NO``, ``off`` and
  ``yes`` stay text, ``1:20`` is not a sexagesimal number and ``2018-02-01``
  is text for the model to read as a date;
* never convert an integer of more than ``MAX_INTEGER_DIGITS`` digits, whose
  conversion Python refuses (and which would cost time growing faster than
  its length), but stand a :class:`~assess.model.assessment.BadNumber` in for it that
  every field refuses at its position;
* keep a 1-based line and column on every node for error messages, counting
  lines as YAML does, so that files whose lines end in CR, CR LF or LF agree.
"""

from __future__ import annotations

import re
from typing import Any, Final

import yaml

from assess.model.assessment import MAX_INTEGER_DIGITS, BadNumber

__all__ = ["MAX_DEPTH", "Flaw", "Node", "compose", "lines", "position"]

MAX_DEPTH: Final = 64
"""
Deepest nesting of mappings and sequences accepted (the format needs four).

The cap keeps a hostile file from building a tree deep enough to exhaust
the recursion of the code that walks it.
"""

try:  # libyaml's parser when PyYAML was built with it; same events either way
    _Loader: type[yaml.CSafeLoader | yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Scalar = str | int | float | bool | BadNumber | None


class Node:
    """A value from the file with the 1-based position where it starts."""

    __slots__ = ("column", "keys", "line", "value")

    def __init__(self, value: object, line: int, column: int) -> None:
        #: ``dict[str, Node]`` for a mapping, ``list[Node]`` for a sequence, else a scalar.
        self.value = value
        self.line = line
        self.column = column
        #: For a mapping: the key nodes, by key, for positions of key errors.
        self.keys: dict[str, Node] | None = None

    def plain(self) -> object:
        """The value with every node unwrapped: dicts, lists and scalars."""
        value = self.value
        if isinstance(value, dict):
            return {k: v.plain() for k, v in value.items()}
        if isinstance(value, list):
            return [v.plain() for v in value]
        return value


class Flaw:
    """A problem found while reading YAML: position, path of the mapping, message."""

    __slots__ = ("column", "line", "message", "parts")

    def __init__(
        self, message: str, line: int | None, column: int | None, parts: tuple[str | int, ...] = ()
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.parts = parts


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = frozenset({"null", "Null", "NULL", "~"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"([-+]?)([0-9]+)")
_OCT = re.compile(r"0o([0-7]+)")
_HEX = re.compile(r"0x([0-9a-fA-F]+)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = frozenset({".nan", ".NaN", ".NAN"})
_NUMERIC_START = frozenset("0123456789+-.")
_CORE_TAG = "tag:yaml.org,2002:"
#: What ends a line for the parser (YAML 1.1's breaks, which libyaml keeps).
_LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def resolve_plain(text: str) -> Scalar:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if not text or text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text[0] in _NUMERIC_START:
        if found := _INT.fullmatch(text):
            return _integer(found[2], 10, negative=found[1] == "-")
        if found := _OCT.fullmatch(text):
            return _integer(found[1], 8)
        if found := _HEX.fullmatch(text):
            return _integer(found[1], 16)
        if _FLOAT.fullmatch(text):
            return float(text)
        if _INF.fullmatch(text):
            return float("-inf") if text[0] == "-" else float("inf")
        if text in _NAN:
            return float("nan")
    return text


def _integer(digits: str, base: int, *, negative: bool = False) -> int | BadNumber:
    """
    An integer from its digits, or a :class:`BadNumber` when it has too many.

    Leading zeros do not count (``007`` is 7), so only what the integer is
    worth decides, and its digits are counted before anything converts them.
    """
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_INTEGER_DIGITS:
        return BadNumber.integer(len(significant), negative=negative)
    value = int(significant, base)
    return -value if negative else value


class _SkipKey:
    """Marks a mapping entry whose key was refused; its value is dropped."""


_SKIP = _SkipKey()


class _Frame:
    __slots__ = ("awaiting_key", "is_map", "key", "node", "parts")

    def __init__(self, node: Node, parts: tuple[str | int, ...]) -> None:
        self.node = node
        self.is_map = isinstance(node.value, dict)
        self.awaiting_key = self.is_map
        self.key: str | _SkipKey = _SKIP
        self.parts = parts


def _position(mark: Any) -> tuple[int | None, int | None]:
    """1-based line and column of a PyYAML or libyaml mark."""
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _start(event: Any) -> tuple[int, int]:
    """1-based line and column where an event starts (events always carry a mark)."""
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


def position(text: str, index: int) -> tuple[int, int]:
    """
    The 1-based line and column of ``text[index]``, counting lines as YAML does.

    A line ends at CR LF, CR, LF, NEL, LS or PS, as in the parser's own
    marks; counting LFs alone would put everything in a file whose lines
    end in CR on line 1.
    """
    line = 1
    start = 0
    for found in _LINE_BREAK.finditer(text, 0, index):
        line += 1
        start = found.end()
    return line, index - start + 1


def lines(text: str) -> list[str]:
    """
    The lines of ``text`` as YAML counts them, so that ``lines(text)[LINE - 1]`` is line LINE.

    Unlike :meth:`str.splitlines`, a form feed or a vertical tab ends no
    line, because the parser's line numbers do not count one.
    """
    return _LINE_BREAK.split(text)


def _syntax_flaw(text: str, error: yaml.YAMLError) -> Flaw:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = _position(mark)
        what = error.problem or error.context or "invalid YAML"
        return Flaw(f"YAML syntax error: {what}", line, column)
    if isinstance(error, yaml.reader.ReaderError):
        offset = error.position
        if _Loader is not yaml.SafeLoader:
            # libyaml reads UTF-8 and reports a byte offset; count characters.
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line, column = position(text, offset)
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return Flaw(f"character U+{code:04X} is not allowed in YAML", line, column)
    return Flaw(f"YAML error: {error}", None, None)  # pragma: no cover - no other kind known


def _child_parts(frame: _Frame) -> tuple[str | int, ...]:
    if frame.is_map:
        key = frame.key
        return (*frame.parts, key) if isinstance(key, str) else frame.parts
    return (*frame.parts, len(frame.node.value))  # type: ignore[arg-type]  # a list


def _parts_here(frames: list[_Frame]) -> tuple[str | int, ...]:
    """The path of the node about to be attached (for flaws; not computed otherwise)."""
    return _child_parts(frames[-1]) if frames else ()


def _refuse_node_properties(
    event: yaml.NodeEvent, parts: tuple[str | int, ...], flaws: list[Flaw]
) -> None:
    line, column = _start(event)
    if event.anchor is not None:
        flaws.append(
            Flaw(
                f"anchors (&{event.anchor}) are not allowed; write the value out",
                line,
                column,
                parts,
            )
        )
    tag = getattr(event, "tag", None)
    if tag is not None and tag != "!":
        shown = "!!" + tag.removeprefix(_CORE_TAG) if tag.startswith(_CORE_TAG) else tag
        flaws.append(
            Flaw(
                f"explicit tags ({shown}) are not allowed; write plain values", line, column, parts
            )
        )


def compose(text: str) -> tuple[Node | None, list[Flaw]]:
    """
    Build the node tree of a one-document YAML text.

    Returns:
        The root node (``None`` when the text is empty or could not be read
        at all) and every flaw found.  A syntax error, an alias, a second
        document or nesting deeper than :data:`MAX_DEPTH` stops reading.
    """
    flaws: list[Flaw] = []
    root: Node | None = None
    frames: list[_Frame] = []
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not frames:
            root = node
            return
        parent = frames[-1]
        if parent.is_map:
            if isinstance(parent.key, str):
                parent.node.value[parent.key] = node  # type: ignore[index]  # a dict
            parent.awaiting_key = True
        else:
            parent.node.value.append(node)  # type: ignore[attr-defined]  # a list

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor is not None or event.tag is not None:
                    _refuse_node_properties(event, _parts_here(frames), flaws)
                line, column = _start(event)
                if frames and frames[-1].awaiting_key:
                    _take_key(frames[-1], event, line, column, flaws)
                    continue
                plain = not event.style and event.tag is None
                value = resolve_plain(event.value) if plain else event.value
                attach(Node(value, line, column))
            elif isinstance(event, yaml.CollectionStartEvent):
                parts = _parts_here(frames)
                if event.anchor is not None or event.tag is not None:
                    _refuse_node_properties(event, parts, flaws)
                line, column = _start(event)
                if len(frames) >= MAX_DEPTH:
                    flaws.append(Flaw(_too_deep(), line, column, parts))
                    return None, flaws
                is_map = isinstance(event, yaml.MappingStartEvent)
                node = Node({} if is_map else [], line, column)
                if is_map:
                    node.keys = {}
                if frames and frames[-1].awaiting_key:
                    parent = frames[-1]
                    flaws.append(
                        Flaw(
                            "a key must be plain text, not a collection", line, column, parent.parts
                        )
                    )
                    parent.key = _SKIP
                    parent.awaiting_key = False
                else:
                    attach(node)
                frames.append(_Frame(node, parts))
            elif isinstance(event, yaml.CollectionEndEvent):
                frames.pop()
            elif isinstance(event, yaml.AliasEvent):
                line, column = _start(event)
                parts = _parts_here(frames)
                flaws.append(
                    Flaw(
                        f"aliases (*{event.anchor}) are not allowed; write the value out",
                        line,
                        column,
                        parts,
                    )
                )
                return None, flaws
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, column = _start(event)
                    flaws.append(
                        Flaw("a file holds one YAML document; found a second", line, column)
                    )
                    return None, flaws
    except yaml.YAMLError as error:
        if _refused_depth(error):
            return _compose_before_refusal(text, error)
        flaws.append(_syntax_flaw(text, error))
        return None, flaws
    return root, flaws


# libyaml 0.2.6 (bundled from PyYAML 6.0.3 on) refuses flow nesting deeper
# than 1,000 levels in its scanner, which reads ahead of the events we count.
_DEPTH_REFUSAL: Final = "maximum nesting depth"


def _refused_depth(error: yaml.YAMLError) -> bool:
    problem = getattr(error, "problem", None)
    return isinstance(problem, str) and _DEPTH_REFUSAL in problem


def _compose_before_refusal(text: str, error: yaml.YAMLError) -> tuple[None, list[Flaw]]:
    """
    Our own depth flaw, wherever a stricter parser refused the nesting first.

    Everything before the parser's refusal is nested less deeply than its
    limit, and our cap lies below that limit, so reading the text up to the
    refusal reaches our cap and reports it where the file first goes too
    deep: the same message and position whichever libyaml is installed.
    """
    mark = getattr(error, "problem_mark", None)
    line, column = _position(mark)
    if line is None or column is None:  # pragma: no cover - libyaml always marks it
        return None, [Flaw(_too_deep(), None, None)]
    _, flaws = compose(text[: _offset(text, line, column)])
    for index, flaw in enumerate(flaws):
        if flaw.message == _too_deep():
            return None, flaws[: index + 1]
    # The text went wrong before it went deep (libyaml read ahead of the
    # error): the nesting is still too deep, and the parser says where.
    return None, [Flaw(_too_deep(), line, column)]


def _too_deep() -> str:
    return f"nesting deeper than {MAX_DEPTH} levels is not allowed"


def _offset(text: str, line: int, column: int) -> int:
    """The index in ``text`` of a 1-based line and column, counting YAML's line breaks."""
    start = 0
    for _ in range(line - 1):
        found = _LINE_BREAK.search(text, start)
        if found is None:
            return len(text)
        start = found.end()
    return min(start + column - 1, len(text))


def _take_key(
    frame: _Frame, event: yaml.ScalarEvent, line: int, column: int, flaws: list[Flaw]
) -> None:
    key: str = event.value
    keys = frame.node.keys
    assert keys is not None  # noqa: S101 -- a mapping frame always has its key table
    frame.awaiting_key = False
    if key == "<<" and not event.style:
        flaws.append(
            Flaw("merge keys (<<) are not allowed; write the keys out", line, column, frame.parts)
        )
        frame.key = _SKIP
    elif key in keys:
        first = keys[key]
        again = f"line {line}" if line != first.line else f"column {column} of the same line"
        flaws.append(
            Flaw(
                f"duplicate key {key!r}: first at line {first.line}, again at {again}",
                line,
                column,
                (*frame.parts, key),
            )
        )
        frame.key = _SKIP
    else:
        keys[key] = Node(key, line, column)
        frame.key = key
