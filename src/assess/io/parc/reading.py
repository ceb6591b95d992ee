"""Reading a PARC ACH ``.achz`` file, defensively, into an assessment and its notices."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
import unicodedata
import xml.etree.ElementTree as ET  # only TreeBuilder and Comment: defusedxml parses
import zlib
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import DefusedXMLParser

from assess.errors import InputError, PathPart, Problem
from assess.io.interchange import (
    Collector,
    Enough,
    Imported,
    JsonBudget,
    Refused,
    hint_for,
    quoted,
    read_json,
)
from assess.io.parc.format import (
    BLOCK_PREFIX,
    BLOCK_VERSION,
    CREDIBILITY_FROM_PARC,
    CREDIBILITY_TO_PARC,
    DAY_MS,
    DEFAULT_KIND,
    EPOCH,
    FROM_TOKEN,
    HELD_BY_PARC,
    KIND_FROM_TYPE,
    MAX_ACHZ_BYTES,
    MAX_ELEMENTS,
    MAX_MS,
    MAX_XML_BYTES,
    MIN_MS,
    PARC_SOURCE_ID,
    PARC_SOURCE_NAME,
    PARC_SOURCE_NOTES,
    TRAILER_MARKER,
)
from assess.io.parc.writing import CREDIBILITY_SENTENCE, link, team_text, team_value, visible_text
from assess.model.assessment import (
    AnalystRatings,
    Assessment,
    Credibility,
    Document,
    Evidence,
    Hypothesis,
    Kind,
    Rating,
    Reliability,
    Source,
    yaml_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable


# --------------------------------------------------------------------------- reading bytes


def _refuse(
    name: str, message: str, *, line: int | None = None, column: int | None = None
) -> InputError:
    return InputError([Problem(message, (), name, line, column)])


def _gunzip(data: bytes, name: str) -> bytes:
    """Decompress, refusing anything but complete gzip data of at most MAX_XML_BYTES."""
    if len(data) > MAX_ACHZ_BYTES:
        raise _refuse(name, f"the file is larger than {MAX_ACHZ_BYTES} bytes")
    if data[:2] != b"\x1f\x8b":
        raise _refuse(name, "the file is not gzip-compressed; an .achz file is gzip-compressed XML")
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        try:
            while not inflater.eof:
                # Never more than one byte past the cap: a gzip bomb stops here.
                chunk = inflater.decompress(pending, MAX_XML_BYTES - len(out) + 1)
                out += chunk
                if len(out) > MAX_XML_BYTES:
                    raise _refuse(
                        name,
                        f"the file decompresses to more than {MAX_XML_BYTES} bytes;"
                        " refused as a possible gzip bomb",
                    )
                pending = inflater.unconsumed_tail
                if not chunk and not pending:
                    raise _refuse(name, "the gzip data is truncated")
        except zlib.error as error:
            raise _refuse(name, f"the gzip data is corrupt ({error})") from None
        rest = inflater.unused_data
        if rest and rest[:2] != b"\x1f\x8b":
            if rest.strip(b"\0"):
                raise _refuse(name, "there is data after the end of the gzip stream")
            rest = b""  # zero padding after the stream
    return bytes(out)


def _decode(raw: bytes, name: str) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec, body, offset = ("utf-16-le" if raw[:1] == b"\xff" else "utf-16-be"), raw[2:], 2
    elif raw[:2] in (b"<\0", b"\0<"):  # no mark, but XML starts with "<"
        codec, body, offset = ("utf-16-le" if raw[:1] == b"<" else "utf-16-be"), raw, 0
    else:
        looks = "UTF-8 or ASCII" if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" else "not text"
        raise _refuse(
            name,
            f"the decompressed file is not UTF-16 (it looks {looks}); PARC ACH writes UTF-16",
        )
    try:
        return body.decode(codec)
    except UnicodeDecodeError as error:
        raise _refuse(
            name,
            f"the decompressed file is not valid UTF-16 at byte {error.start + offset}"
            f" ({error.reason})",
        ) from None


class _TooManyElements(Exception):  # noqa: N818 -- internal signal, turned into an InputError
    pass


_CHUNK: Final = 1 << 20
"""Characters handed to the XML parser at a time (a mebibyte or so of UTF-8 each)."""

# A start tag's name, and each attribute after it: white space, its name,
# "=" and its quoted value (which cannot hold "<", nor its own quote).  They
# are matched one after the other from the tag's start, never searched for:
# a search would start again inside every long value, which is quadratic.
_TAG_NAME: Final = re.compile(r"<[^\s/>]*")
_NEXT_ATTRIBUTE: Final = re.compile(r"""\s+[^\s=<>"'/]+\s*=\s*(?:"[^"]*"|'[^']*')""")


class _CountingParser(DefusedXMLParser):
    """
    defusedxml's parser, keeping comments and stopping past MAX_ELEMENTS things.

    Elements, attributes and comments count alike: each costs a Python
    object or two in the tree.  Expat hands a start tag's attributes over
    only once the whole tag is read, so a tag still unfinished at the end
    of a chunk has its attributes counted from the text as well: one huge
    tag is refused while it streams in, not once it is all in memory.
    """

    def __init__(self) -> None:
        super().__init__(
            target=ET.TreeBuilder(insert_comments=True),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        self.count = 0
        # The unfinished start tag seen at the end of the last chunk: where it
        # starts (in expat's bytes and in characters), how far its attributes
        # were counted, and how many there were.
        self.tag = (-1, -1, -1, 0)
        expat = self.parser
        # XMLParser set both, the first for the list form (ordered_attributes is on).
        start = typing.cast("Callable[[str, list[str]], object]", expat.StartElementHandler)
        comment = typing.cast("Callable[[str], object]", expat.CommentHandler)

        def counted_start(tag: str, attributes: list[str]) -> object:
            # ordered_attributes is on: names and values alternate in one list.
            self._add(1 + len(attributes) // 2)
            return start(tag, attributes)

        def counted_comment(text: str) -> object:
            self._add(1)
            return comment(text)

        expat.StartElementHandler = counted_start
        expat.CommentHandler = counted_comment

    def _add(self, things: int) -> None:
        self.count += things
        if self.count > MAX_ELEMENTS:
            raise _TooManyElements

    def feed_all(self, text: str) -> None:
        """Feed the text a chunk at a time, watching any start tag that spans chunks."""
        fed = 0  # bytes of UTF-8 handed to expat, which is what its positions count
        for begin in range(0, len(text), _CHUNK):
            chunk = text[begin : begin + _CHUNK]
            self.feed(chunk)
            before = fed
            encoded = chunk.encode()
            fed += len(encoded)
            # After a chunk, expat's position is where the token it waits on starts.
            at = self.parser.CurrentByteIndex
            if before <= at < fed:
                self._watch(
                    text, at, begin + len(encoded[: at - before].decode()), begin + len(chunk)
                )
            elif 0 <= at < before and at == self.tag[0]:  # the tag watched after the last chunk
                self._watch(text, at, self.tag[1], begin + len(chunk))

    def _watch(self, text: str, at: int, tag: int, end: int) -> None:
        """Count the attributes of the unfinished start tag at ``tag``, read up to ``end``."""
        if text[tag : tag + 1] != "<" or text[tag + 1 : tag + 2] in {"!", "?", "/"}:
            return  # a comment, CDATA, a processing instruction or an end tag: no attributes
        if self.tag[0] == at:
            counted, attributes = self.tag[2:]
        else:
            name = _TAG_NAME.match(text, tag)
            assert name is not None  # noqa: S101 -- the pattern matches "<" alone
            counted, attributes = name.end(), 0
        room = MAX_ELEMENTS - self.count - 1  # the element itself counts too
        while (match := _NEXT_ATTRIBUTE.match(text, counted, end)) is not None:
            attributes += 1
            counted = match.end()
            if attributes > room:
                raise _TooManyElements
        self.tag = (at, tag, counted, attributes)


def _parse(text: str, name: str) -> ET.Element:
    parser = _CountingParser()
    try:
        parser.feed_all(text)
        root: ET.Element = parser.close()
    except _TooManyElements:
        raise _refuse(
            name,
            f"the XML has more than {MAX_ELEMENTS} elements, attributes and comments;"
            " refused as too large",
        ) from None
    except DTDForbidden:
        raise _refuse(
            name,
            "the XML declares a document type (<!DOCTYPE>), which .achz files do not use;"
            " it is refused because a DTD can define entity bombs or read local files",
        ) from None
    except EntitiesForbidden:
        raise _refuse(name, "the XML declares entities, which .achz files do not use") from None
    except ExternalReferenceForbidden:
        raise _refuse(name, "the XML refers to an external resource; refused") from None
    except DefusedXmlException as error:
        raise _refuse(name, f"the XML uses a feature refused for safety ({error})") from None
    except ET.ParseError as error:
        line, column = error.position
        message = re.sub(r": line \d+, column \d+$", "", str(error))
        raise _refuse(
            name, f"the XML is malformed: {message}", line=line, column=column + 1
        ) from None
    return root


# --------------------------------------------------------------------------- the matrix as read


@attrs.frozen
class _Item:
    """One ``EVIDENCE`` element's fields, checked for form only."""

    index: int
    name: str
    notes: str
    link: str
    type: str
    date: dt.date | None
    date_ms: int | None
    code: str
    flag: str
    credibility: str | None
    values: tuple[Rating, ...]


@attrs.frozen
class _Matrix:
    title: str
    classification: str
    hypotheses: tuple[str, ...]
    items: tuple[_Item, ...]
    block: str | None


class _Reader:
    """Reads the elements of a parsed file, collecting every problem of form."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.collector = Collector(name)
        self.problems = self.collector.problems

    def problem(self, parts: tuple[PathPart, ...], message: str) -> None:
        self.collector.add(Problem(message, parts, self.name))

    def text(
        self, parent: ET.Element, tag: str, parts: tuple[PathPart, ...], what: str = ""
    ) -> str | None:
        """The text of ``parent``'s only child named ``tag``; None when there is none."""
        found = parent.findall(tag)
        if not found:
            return None
        if len(found) > 1:
            self.problem((*parts, tag), f"{what}{tag} appears {len(found)} times; expected once")
        if len(found[0]):
            self.problem((*parts, tag), f"{what}{tag} holds elements where text was expected")
        return found[0].text or ""

    def unique(self, root: ET.Element, tag: str) -> ET.Element | None:
        found = list(root.iter(tag))
        if len(found) > 1:
            self.problem((tag,), f"the file has {len(found)} {tag} elements; expected one")
        return found[0] if found else None

    def read(self, root: ET.Element) -> _Matrix:
        block = None
        for child in root:
            tag: object = child.tag  # a comment's tag is the Comment factory, not text
            text = child.text or ""
            if tag is ET.Comment and text.startswith(BLOCK_PREFIX):
                block = text[len(BLOCK_PREFIX) :]
                break
        title = self._top_text(root, "PROJECT-TITLE")
        classification = self._top_text(root, "CLASSIFICATION")
        matrix = self.unique(root, "MATRIX")
        if matrix is None:
            self.problem((), "there is no MATRIX element, so this is not a PARC ACH matrix")
            return _Matrix(title, classification, (), (), block)
        hypotheses = self._hypotheses(matrix)
        items = tuple(
            self._item(index, element, len(hypotheses))
            for index, element in enumerate(matrix.findall("EVIDENCE"))
        )
        return _Matrix(title, classification, hypotheses, items, block)

    def _top_text(self, root: ET.Element, tag: str) -> str:
        element = self.unique(root, tag)
        if element is None:
            return ""
        if len(element):
            self.problem((tag,), f"{tag} holds elements where text was expected")
        return element.text or ""

    def _hypotheses(self, matrix: ET.Element) -> tuple[str, ...]:
        statements = []
        for index, element in enumerate(matrix.findall("HYPOTHESIS")):
            parts: tuple[PathPart, ...] = ("MATRIX", "HYPOTHESIS", index)
            what = f"hypothesis {index + 1}: "
            statement = self.text(element, "NAME", parts, what)
            if statement is None or not statement.strip():
                self.problem(
                    (*parts, "NAME"),
                    f"{what}NAME is missing or empty; a hypothesis needs a statement",
                )
            statements.append(statement or "")
        if len(statements) < 2:
            self.problem(
                ("MATRIX",),
                f"the matrix has {len(statements)} HYPOTHESIS elements; an assessment needs at"
                " least two hypotheses",
            )
        return tuple(statements)

    def _item(self, index: int, element: ET.Element, count: int) -> _Item:
        parts: tuple[PathPart, ...] = ("MATRIX", "EVIDENCE", index)
        name = self.text(element, "NAME", parts, f"evidence {index + 1}: ")
        label = f"evidence {index + 1}" + (f" ({_short(name)!r})" if name and name.strip() else "")
        what = f"{label}: "
        if name is None or not name.strip():
            self.problem(
                (*parts, "NAME"), f"{what}NAME is missing or empty; an item needs a summary"
            )

        def field(tag: str) -> str:
            return self.text(element, tag, parts, what) or ""

        date, date_ms = self._date(field("DATE"), (*parts, "DATE"), what)
        credibility = field("CREDIBILITY").strip().upper() or None
        if credibility is not None and credibility not in CREDIBILITY_FROM_PARC:
            self.problem(
                (*parts, "CREDIBILITY"),
                f"{what}CREDIBILITY {quoted(credibility)} is not one of HIGH, MEDIUM and LOW",
            )
        return _Item(
            index=index,
            name=name or "",
            notes=field("NOTES"),
            link=field("LINK"),
            type=field("TYPE"),
            date=date,
            date_ms=date_ms,
            code=field("CODE"),
            flag=field("FLAG"),
            credibility=credibility,
            values=self._values(field("VALUES"), count, (*parts, "VALUES"), what),
        )

    def _date(
        self, text: str, parts: tuple[PathPart, ...], what: str
    ) -> tuple[dt.date | None, int | None]:
        text = text.strip()
        if not text:
            return None, None
        if not re.fullmatch(r"-?\d{1,16}", text):
            self.problem(
                parts, f"{what}DATE {quoted(text)} is not a time in milliseconds since 1970-01-01"
            )
            return None, None
        ms = int(text)
        # Round to the nearest midnight UTC: PARC stores a date as a local
        # midnight, which is within 12 hours of its own midnight UTC.
        days = (ms + DAY_MS // 2) // DAY_MS
        if not MIN_MS <= days * DAY_MS <= MAX_MS:
            self.problem(parts, f"{what}DATE {text} is outside the years 1 to 9999")
            return None, None
        return EPOCH + dt.timedelta(days=days), ms

    def _values(
        self, text: str, count: int, parts: tuple[PathPart, ...], what: str
    ) -> tuple[Rating, ...]:
        if not text.strip():
            return (Rating.NA,) * count
        tokens = text.split(",")
        if len(tokens) != count:
            self.problem(
                parts,
                f"{what}VALUES has {len(tokens)} ratings but the matrix has {count} hypotheses",
            )
            return (Rating.NA,) * count
        ratings = []
        for column, raw in enumerate(tokens, 1):
            token = raw.strip()
            if not token:
                ratings.append(Rating.NA)
            elif token in FROM_TOKEN:
                ratings.append(FROM_TOKEN[token])
            else:
                hint = hint_for(token, FROM_TOKEN)
                self.problem(
                    parts,
                    f"{what}VALUES rating {column} is {quoted(token)}, not one of"
                    f" 'I I', 'I', 'NA', 'N', 'C' and 'C C'{hint}",
                )
                ratings.append(Rating.NA)
        return tuple(ratings)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- building the model

T = TypeVar("T")


class _Unreadable(Exception):  # noqa: N818 -- internal signal, never escapes this module
    """Data kept for assess cannot be used; the reason is said in a notice."""


def _model_class(hint: Any) -> tuple[str, type[Any]] | None:
    """Whether a field holds a model object, a tuple of them, or an optional one."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and args and attrs.has(args[0]):
        return "tuple", args[0]
    if isinstance(hint, type) and attrs.has(hint):
        return "one", hint
    if isinstance(hint, types.UnionType) and type(None) in args:
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and isinstance(inner[0], type) and attrs.has(inner[0]):
            return "optional", inner[0]
    return None


_Fields = dict[str, tuple[str, tuple[str, type[Any]] | None]]
_FIELDS: Final[dict[type[Any], _Fields]] = {}


def _fields(cls: type[Any]) -> _Fields:
    """
    A model class's keys: each one's attribute name and what model object it holds.

    Kept once made: resolving the type hints takes a millisecond, and doing
    it for every item made importing 15,000 items take half a minute.
    """
    known = _FIELDS.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls)
        known = {yaml_key(a): (a.name, _model_class(hints[a.name])) for a in attrs.fields(cls)}
        _FIELDS[cls] = known
    return known


def _build(cls: type[T], data: object, where: str) -> T:
    """
    A model object from canonical plain data (as :func:`assess.to_data` writes it).

    Values that are already model objects are taken as they are.  Raises
    ``_Unreadable`` with the reason when the data does not make a valid object.
    """
    if isinstance(data, cls):
        return data
    if not isinstance(data, dict):
        raise _Unreadable(f"{where} is not a mapping")
    fields = _fields(cls)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            raise _Unreadable(f"{where} has an unknown key {quoted(key)}")
        name, model = field
        if model is None or (model[0] == "optional" and value is None):
            kwargs[name] = value
        elif model[0] == "tuple":
            if not isinstance(value, list | tuple):
                raise _Unreadable(f"{where}.{key} is not a list")
            kwargs[name] = [
                _build(model[1], entry, f"{where}.{key}[{n}]") for n, entry in enumerate(value)
            ]
        else:
            kwargs[name] = _build(model[1], value, f"{where}.{key}")
    try:
        return cls(**kwargs)
    except InputError as error:
        reasons = "; ".join(
            f"{where}.{p.path}: {p.message}" if p.path else f"{where}: {p.message}"
            for p in error.problems
        )
        raise _Unreadable(reasons) from None
    except TypeError as error:  # a required field is missing
        raise _Unreadable(f"{where}: {error}") from None


def _slug(name: str) -> str:
    stem = PurePath(name).stem
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    return slug or "imported"


def _split_notes(notes: str) -> tuple[str | None, str | None]:
    """The notes a person wrote, and the assess trailer's JSON (None when there is none)."""
    at = notes.rfind(TRAILER_MARKER + "\n")
    if at < 0 or (at > 0 and notes[at - 1] != "\n"):
        return (notes if notes.strip() else None), None
    before = notes[:at]
    # Export writes the notes, a blank line, then the marker.
    before = before.removesuffix("\n\n") if before.endswith("\n\n") else before[:-1]
    return (before if before.strip() else None), notes[at + len(TRAILER_MARKER) + 1 :]


@attrs.frozen
class _Kept:
    """What an item's trailer kept for assess."""

    id: str
    summary: str | None
    notes: str | None
    source: Source
    document: Document | None
    document_source: Source | None
    via_sources: tuple[Source, ...]
    credibility: Credibility
    teams: dict[int, AnalystRatings]
    dropped: list[int]
    rest: dict[str, Any]


def _read_trailer(text: str, columns: int, budget: JsonBudget) -> _Kept:
    """What an item's trailer kept, checked as far as it can be without the matrix."""
    try:
        data = read_json(text, budget)
    except ValueError as error:
        raise _Unreadable(f"it is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise _Unreadable("it does not name the item's id")
    if "source" not in data:
        raise _Unreadable("it does not name the item's source")
    source = _build(Source, data.pop("source"), "source")
    document = _build(Document, data.pop("document"), "document") if "document" in data else None
    document_source = (
        _build(Source, data.pop("document_source"), "document_source")
        if "document_source" in data
        else None
    )
    raw_relays = data.pop("via_sources", [])
    if not isinstance(raw_relays, list):
        raise _Unreadable("via_sources is not a list")
    via_sources = tuple(
        _build(Source, relay, f"via_sources[{n}]") for n, relay in enumerate(raw_relays)
    )
    credibility = data.pop("credibility", int(Credibility.CANNOT_BE_JUDGED))
    if not (type(credibility) is int and 1 <= credibility <= 6):
        raise _Unreadable(f"credibility {quoted(repr(credibility))} is not a grade from 1 to 6")
    raw_teams = data.pop("teams", {})
    if not isinstance(raw_teams, dict):
        raise _Unreadable("teams is not a mapping")
    for column, cell in raw_teams.items():
        if not re.fullmatch(r"[1-9]\d{0,5}", column) or not isinstance(cell, dict):
            raise _Unreadable(f"teams[{quoted(column)}] is not a column's analysts' ratings")
    summary = data.pop("summary", None)
    notes = data.pop("notes", None)
    if not isinstance(summary, str | None) or not isinstance(notes, str | None):
        raise _Unreadable("summary and notes must be text")
    item_id = data.pop("id")
    shown = sorted(HELD_BY_PARC & set(data))
    if shown:
        raise _Unreadable(f"it holds {', '.join(shown)}, which PARC's own elements hold")
    # Everything else kept must make a valid item with the kept id, source,
    # document and analysts' ratings; what PARC shows is checked by the reader.
    trial = _build(
        Evidence,
        {
            **data,
            "id": item_id,
            "summary": "-",
            "kind": DEFAULT_KIND,
            "source": source.id,
            "document": None if document is None else document.id,
            "ratings": raw_teams,
        },
        "item",
    )
    teams = {
        int(column): cell
        for column, cell in trial.ratings.items()
        if isinstance(cell, AnalystRatings) and int(column) <= columns
    }
    return _Kept(
        id=item_id,
        summary=summary,
        notes=notes,
        source=source,
        document=document,
        document_source=document_source,
        via_sources=via_sources,
        credibility=Credibility(credibility),
        teams=teams,
        dropped=sorted(int(c) for c in raw_teams if int(c) > columns),
        rest=data,
    )


def _read_block(text: str, budget: JsonBudget) -> dict[str, Any]:
    """The assessment's own data from the XML comment, checked as an assessment."""
    try:
        payload = read_json(text, budget)
    except ValueError as error:
        raise _Unreadable(f"it is not valid JSON ({error})") from None
    if not isinstance(payload, dict) or payload.get("version") != BLOCK_VERSION:
        raise _Unreadable(f"it is not version {BLOCK_VERSION} of the block")
    data = payload.get("assessment")
    if not isinstance(data, dict) or "evidence" in data:
        raise _Unreadable("it does not hold an assessment without its evidence")
    _build(Assessment, data, "assessment")
    return data


class _Importer:
    def __init__(self, matrix: _Matrix, name: str) -> None:
        self.matrix = matrix
        self.name = name
        self.notices: list[str] = []
        self.mapped_credibility = 0
        self.types: dict[str, list[str]] = {}
        self.off_midnight: list[str] = []
        # One budget for all the JSON kept in the file: the comment and every trailer.
        self.budget = JsonBudget()

    def notice(self, text: str) -> None:
        self.notices.append(text)

    # ----------------------------------------------------------------- the assess block

    def block(self) -> dict[str, Any] | None:
        """The assessment's own data from the XML comment, when it still fits the matrix."""
        text = self.matrix.block
        if text is None:
            return None
        try:
            data = _read_block(text, self.budget)
        except Refused as error:
            raise _refuse(self.name, f"the assess comment in the file {error}") from None
        except _Unreadable as error:
            self.notice(f"The assess comment in the file cannot be used ({error}); it was ignored.")
            return None
        statements = [h["statement"] for h in data["hypotheses"]]
        if [visible_text(s) for s in statements] != list(self.matrix.hypotheses):
            self.notice(
                "The assess comment in the file does not match the matrix's hypotheses"
                " (they were edited after export); it was ignored, so the assessment's own data"
                " (ids, priors, assumptions, indicators, judgement, scoring) is not restored."
            )
            return None
        return data

    # ----------------------------------------------------------------- one item

    def kind(self, item: _Item, item_id: str) -> tuple[Kind, str | None]:
        """The item's kind, and the TYPE to keep in its notes when no kind fits."""
        text = item.type.strip()
        kind = KIND_FROM_TYPE.get(text.lower())
        if kind is not None and text.lower() != kind.value:
            self.types.setdefault(f"TYPE {text!r} was read as kind {kind.value!r}", []).append(
                item_id
            )
        if kind is None:
            what = f"TYPE {quoted(text)} is not a known type" if text else "TYPE is empty"
            self.types.setdefault(f"{what}; read as kind {DEFAULT_KIND.value!r}", []).append(
                item_id
            )
            return DEFAULT_KIND, (text or None)
        return kind, None

    def credibility(self, item: _Item) -> Credibility:
        self.mapped_credibility += 1
        return CREDIBILITY_FROM_PARC[item.credibility or "MEDIUM"]

    def date(self, item: _Item, item_id: str) -> dt.date | None:
        if item.date_ms is not None and item.date_ms % DAY_MS:
            self.off_midnight.append(item_id)
        return item.date

    def ratings(
        self, item: _Item, hypotheses: list[Hypothesis], kept: _Kept | None, item_id: str
    ) -> dict[str, Any]:
        ratings: dict[str, Any] = {
            h.id: rating for h, rating in zip(hypotheses, item.values, strict=True)
        }
        if kept is not None and kept.dropped:
            self.notice(
                f"{item_id}: the analysts' ratings kept for hypothesis number(s)"
                f" {', '.join(map(str, kept.dropped))} were dropped; the matrix has"
                f" {len(hypotheses)} hypotheses."
            )
        for column, team in (kept.teams if kept else {}).items():
            hypothesis = hypotheses[column - 1].id
            shown = item.values[column - 1]
            if shown == team_value(team):
                ratings[hypothesis] = dict(team)
            else:
                self.notice(
                    f"{item_id}, {hypothesis}: the rating was changed in PARC to"
                    f" {shown.value} (the analysts' ratings {team_text(team)} were exported as"
                    f" {team_value(team).value}); the analysts' ratings were dropped."
                )
        return {h: r for h, r in ratings.items() if r != Rating.NA}

    def extras(self, item: _Item, expected: tuple[str, str, str], item_id: str) -> list[str]:
        """LINK, CODE and FLAG values export would not have written, as lines for the notes."""
        kept = [
            (tag, shown)
            for tag, shown, wanted in zip(
                ("LINK", "CODE", "FLAG"), (item.link, item.code, item.flag), expected, strict=True
            )
            if shown.strip() and shown != visible_text(wanted)
        ]
        if kept:
            tags = " and ".join(tag for tag, _ in kept)
            self.notice(
                f"{item_id}: {tags} kept in the item's notes, which assess has no field for."
            )
        return [f"PARC {tag}: {shown}" for tag, shown in kept]

    def plain(
        self,
        item: _Item,
        item_id: str,
        hypotheses: list[Hypothesis],
        source: str,
        notes: str | None,
    ) -> Evidence:
        kind, unknown_type = self.kind(item, item_id)
        lines = self.extras(item, ("", item_id, ""), item_id)
        if unknown_type is not None:
            lines.append(f"PARC TYPE: {unknown_type}")
        text = "\n".join([notes, *lines] if notes is not None else lines) or None
        return Evidence(
            id=item_id,
            summary=item.name,
            kind=kind,
            source=source,
            credibility=self.credibility(item),
            date=self.date(item, item_id),
            ratings=self.ratings(item, hypotheses, None, item_id),
            notes=text,
        )

    def restored(
        self,
        item: _Item,
        item_id: str,
        hypotheses: list[Hypothesis],
        kept: _Kept,
        notes: str | None,
    ) -> Evidence:
        """An item from its trailer, where what PARC shows still agrees with it."""
        summary = item.name
        if kept.summary is not None:
            if visible_text(kept.summary) == item.name:
                summary = kept.summary
            else:
                self.notice(f"{item_id}: NAME was edited in PARC; the PARC name is the summary.")
        if kept.notes is not None:
            if visible_text(kept.notes) == (notes or ""):
                notes = kept.notes
            else:
                self.notice(f"{item_id}: the notes were edited in PARC; PARC's notes are kept.")
        credibility = kept.credibility
        shown = item.credibility or "MEDIUM"
        if CREDIBILITY_TO_PARC[credibility] != shown:
            credibility = self.credibility(item)
            self.notice(
                f"{item_id}: CREDIBILITY was changed in PARC to {shown} (credibility"
                f" {int(kept.credibility)} was exported as"
                f" {CREDIBILITY_TO_PARC[kept.credibility]}); read as {int(credibility)}"
                f" ({credibility.label})."
            )
        kind, unknown_type = self.kind(item, item_id)
        lines = self.extras(item, (link(kept.document), kept.id, ""), item_id)
        if unknown_type is not None:
            lines.append(f"PARC TYPE: {unknown_type}")
        if lines:
            notes = "\n".join([notes, *lines] if notes is not None else lines)
        data: dict[str, Any] = {
            "id": item_id,
            "summary": summary,
            "kind": kind,
            "source": kept.source.id,
            "credibility": credibility,
            "date": self.date(item, item_id),
            **({"document": kept.document.id} if kept.document is not None else {}),
            **kept.rest,
            "ratings": self.ratings(item, hypotheses, kept, item_id),
            "notes": notes,
        }
        return _build(Evidence, data, "item")

    # ----------------------------------------------------------------- the whole file

    def run(self) -> Imported:
        matrix = self.matrix
        block = self.block()
        if block is not None:
            hypotheses = [_build(Hypothesis, h, "hypothesis") for h in block["hypotheses"]]
        else:
            hypotheses = [
                Hypothesis(id=f"H{n}", statement=s) for n, s in enumerate(matrix.hypotheses, 1)
            ]
            self.notice(
                f"Hypotheses: numbered H1 to H{len(hypotheses)} in the file's order, each with"
                " its NAME as the statement."
            )
        kept_items = [self._kept(item) for item in matrix.items]

        # Ids kept by assess are reserved before any id is made up; a second
        # item with the same kept id is a copy made in PARC.
        reserved = {kept.id for _, kept in kept_items if kept is not None}
        used: set[str] = set()
        made_up: list[str] = []
        ids: list[str] = []
        for item, (_, kept) in zip(matrix.items, kept_items, strict=True):
            if kept is not None and kept.id not in used:
                item_id = kept.id
            else:
                item_id = self._fresh_id(item.index + 1, reserved | used)
                if kept is not None:
                    self.notice(
                        f"Evidence {item.index + 1} ({_short(item.name)!r}) repeats the id"
                        f" {kept.id} of an earlier item (copied in PARC?); it was given the id"
                        f" {item_id}."
                    )
                else:
                    made_up.append(item_id)
            used.add(item_id)
            ids.append(item_id)

        sources: dict[str, Source] = {}
        documents: dict[str, Document] = {}
        if block is not None:
            for data in block.get("sources", []):
                source = _build(Source, data, "source")
                sources[source.id] = source
            for data in block.get("documents", []):
                document = _build(Document, data, "document")
                documents[document.id] = document
        restored: dict[str, Evidence] = {}
        for item, item_id, (notes, kept) in zip(matrix.items, ids, kept_items, strict=True):
            if kept is not None:
                restored[item_id] = self.restored(item, item_id, hypotheses, kept, notes)
                self._merge(sources, kept.source, "source", item_id)
                if kept.document is not None:
                    self._merge(documents, kept.document, "document", item_id)
                if kept.document_source is not None:
                    self._merge(sources, kept.document_source, "source", item_id)
                for relay in kept.via_sources:
                    self._merge(sources, relay, "source", item_id)
        # Items without assess data cite one ungraded source, made once the
        # kept sources are known so that its id is free.
        plain_ids = [i for i in ids if i not in restored]
        parc_source = self._parc_source(sources) if plain_ids else PARC_SOURCE_ID
        evidence = [
            restored[item_id]
            if item_id in restored
            else self.plain(item, item_id, hypotheses, parc_source, notes)
            for item, item_id, (notes, _) in zip(matrix.items, ids, kept_items, strict=True)
        ]
        if made_up:
            self.notice(
                f"Evidence: {_id_list(made_up)} have no assess data; they were numbered by their"
                " place in the file, each with its NAME as the summary."
            )
        if plain_ids:
            self.notice(
                "Relevance: PARC's relevance is not read (its XML element is not known), so"
                f" {_id_list(plain_ids)} have relevance medium."
            )
        self._file_notices()
        evidence = self._prune_links(evidence, sources)
        documents = self._document_sources(documents, sources)
        return Imported(
            assessment=self._assessment(block, hypotheses, sources, documents, evidence),
            notices=self.notices,
        )

    def _kept(self, item: _Item) -> tuple[str | None, _Kept | None]:
        """The notes a person wrote and what assess kept, when it can be used."""
        notes, trailer = _split_notes(item.notes)
        if trailer is None:
            return notes, None
        try:
            return notes, _read_trailer(trailer, len(self.matrix.hypotheses), self.budget)
        except Refused as error:
            problem = Problem(
                f"evidence {item.index + 1} ({_short(item.name)!r}): what assess kept in its"
                f" NOTES {error}",
                ("MATRIX", "EVIDENCE", item.index, "NOTES"),
                self.name,
            )
            raise InputError([problem]) from None
        except _Unreadable as error:
            self.notice(
                f"Evidence {item.index + 1} ({_short(item.name)!r}): what assess kept in its"
                f" NOTES cannot be used ({error}); the item was imported from what PARC shows,"
                " with all of its NOTES as notes."
            )
            return (item.notes if item.notes.strip() else None), None

    @staticmethod
    def _fresh_id(start: int, taken: set[str]) -> str:
        number = start
        while f"E{number}" in taken:
            number += 1
        return f"E{number}"

    def _merge(self, table: dict[str, Any], entry: Any, what: str, item_id: str) -> None:
        known = table.get(entry.id)
        if known is None:
            table[entry.id] = entry
        elif known != entry:
            self.notice(
                f"{item_id}: the {what} {entry.id} kept with this item differs from the one"
                " kept earlier in the file; the earlier one is used."
            )

    def _parc_source(self, sources: dict[str, Source]) -> str:
        source_id = PARC_SOURCE_ID
        number = 1
        while source_id in sources:
            number += 1
            source_id = f"{PARC_SOURCE_ID}-{number}"
        sources[source_id] = Source(
            id=source_id,
            name=PARC_SOURCE_NAME,
            reliability=Reliability.F,
            notes=PARC_SOURCE_NOTES,
        )
        self.notice(
            f"Sources: PARC ACH files neither record nor grade sources, so the items without"
            f" assess data cite the source {source_id!r}, graded F (reliability cannot be"
            " judged)."
        )
        return source_id

    def _file_notices(self) -> None:
        if self.mapped_credibility:
            self.notice(CREDIBILITY_SENTENCE)
        for sentence, ids in self.types.items():
            self.notice(f"{_id_list(ids)}: {sentence}.")
        if self.off_midnight:
            self.notice(
                f"{_id_list(self.off_midnight)}: DATE is not at midnight UTC; read as the"
                " nearest day (PARC stores a date as a local midnight)."
            )
        if self.matrix.classification.strip():
            self.notice(
                f"The file is marked CLASSIFICATION {quoted(self.matrix.classification.strip())};"
                " assess files carry no classification marking, so mark the imported file"
                " yourself."
            )

    def _prune_links(self, evidence: list[Evidence], sources: dict[str, Source]) -> list[Evidence]:
        known = {item.id for item in evidence}
        pruned = []
        for item in evidence:
            changes: dict[str, Any] = {}
            for name, targets, what in (
                ("derived_from", known, "the link was dropped"),
                ("confirmed_by", known, "the link was dropped"),
                ("via", sources, "the relay was dropped"),
            ):
                named: tuple[str, ...] = getattr(item, name)
                missing = [target for target in named if target not in targets]
                if missing:
                    self.notice(
                        f"{item.id}: {name} named {_id_list(missing)}, no longer in the"
                        f" file; {what}."
                    )
                    changes[name] = [target for target in named if target in targets]
            pruned.append(attrs.evolve(item, **changes) if changes else item)
        return pruned

    def _document_sources(
        self, documents: dict[str, Document], sources: dict[str, Source]
    ) -> dict[str, Document]:
        fixed = {}
        for key, document in documents.items():
            if document.source is not None and document.source not in sources:
                self.notice(
                    f"Document {document.id}: its source {document.source} is no longer in"
                    " the file; the document names no source."
                )
                document = attrs.evolve(document, source=None)  # noqa: PLW2901 -- replaced
            fixed[key] = document
        return fixed

    def _assessment(
        self,
        block: dict[str, Any] | None,
        hypotheses: list[Hypothesis],
        sources: dict[str, Source],
        documents: dict[str, Document],
        evidence: list[Evidence],
    ) -> Assessment:
        matrix = self.matrix
        data: dict[str, Any] = dict(block) if block is not None else {}
        if block is None:
            data["assessment"] = _slug(self.name)
            self.notice(f"Assessment id: {data['assessment']!r}, made from the file name.")
        title = matrix.title
        if block is not None and visible_text(block["title"]) == matrix.title:
            title = block["title"]
        elif not title.strip():
            title = PurePath(self.name).stem or "Imported PARC ACH matrix"
            self.notice(f"Title: the file has no PROJECT-TITLE; the title is {title!r}.")
        elif block is not None:
            self.notice("Title: PROJECT-TITLE was edited in PARC; it is the title.")
        analysts = list(data.get("analysts", []))
        added = []
        for item in evidence:
            for cell in item.ratings.values():
                if isinstance(cell, AnalystRatings):
                    for analyst in cell:
                        if analyst not in analysts:
                            analysts.append(analyst)
                            added.append(analyst)
        if added:
            self.notice(
                f"Analysts: {', '.join(added)} rate cells of the matrix and were added to"
                " the assessment's analysts."
            )
        data.update(
            title=title,
            hypotheses=hypotheses,
            analysts=analysts,
            sources=list(sources.values()),
            documents=list(documents.values()),
            evidence=evidence,
        )
        try:
            return _build(Assessment, data, "assessment")
        except _Unreadable as error:
            raise _refuse(
                self.name, f"the imported matrix is not a valid assessment: {error}"
            ) from None


def _id_list(ids: list[str]) -> str:
    if len(ids) <= 6:
        return ", ".join(ids)
    return f"{', '.join(ids[:5])} and {len(ids) - 5} more"


def import_achz(data: bytes, *, name: str) -> Imported:
    """
    Read a PARC ACH 2.0.x ``.achz`` file as an assessment.

    A file written by :func:`export_achz` comes back equal to the exported
    assessment.  A file from PARC ACH gets hypothesis ids ``H1``... and
    evidence ids ``E1``... in file order, kinds mapped from ``TYPE``,
    credibility mapped from PARC's three levels and one source graded F;
    the notices say each such choice.

    Args:
        data: The file's bytes.
        name: The file's name: used in messages, and slugified as the
            assessment id when the file has no assess data.

    Returns:
        The assessment and the notices.

    Raises:
        InputError: When the file is not gzip, decompresses to more than
            :data:`MAX_XML_BYTES`, is not UTF-16, is not well-formed XML,
            declares a DTD or entities, or is not a PARC matrix (no
            ``MATRIX``, a ``VALUES`` list of the wrong length, a rating or
            credibility PARC does not write...).  Every problem of form is
            listed at once, each naming its element.

    .. versionadded:: 0.1
    """
    text = _decode(_gunzip(data, name), name)
    reader = _Reader(name)
    try:
        matrix = reader.read(_parse(text, name))
    except Enough:
        raise reader.collector.stopped(f"at {reader.problems[-1].path}") from None
    if reader.problems:
        raise InputError(reader.problems)
    try:
        return _Importer(matrix, name).run()
    except _Unreadable as error:  # kept data that passed its own checks but not the item's
        raise _refuse(name, f"the file cannot be imported: {error}") from None
