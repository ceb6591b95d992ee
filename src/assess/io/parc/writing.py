"""Writing an assessment as a PARC ACH ``.achz`` file, and the notices of what PARC cannot hold."""

from __future__ import annotations

import gzip
import io
import json
import weakref
from typing import TYPE_CHECKING, Any, Final

import attrs

from assess.io.interchange import (
    MAX_JSON_VALUES,
    count_values,
)
from assess.io.parc.format import (
    BLOCK_PREFIX,
    BLOCK_VERSION,
    CODES,
    CREDIBILITY_TO_PARC,
    DAY_MS,
    EPOCH,
    FROM_CODE,
    HELD_BY_PARC,
    MAX_ELEMENTS,
    MAX_XML_BYTES,
    NOT_XML,
    NOT_XML_IN_JSON,
    RATING_TOKENS,
    ROOT,
    SURROGATE,
    TRAILER_MARKER,
)
from assess.model.assessment import (
    AnalystRatings,
    Assessment,
    Document,
    Evidence,
    Rating,
)
from assess.model.canonical import to_data

if TYPE_CHECKING:
    import datetime as dt

# --------------------------------------------------------------------------- export


def visible_text(text: str) -> str:
    """The text as an XML element can hold it: characters XML forbids become U+FFFD."""
    return NOT_XML.sub("\ufffd", text)


def _escape(text: str) -> str:
    # A carriage return is written as a reference: a parser turns a literal
    # one into a line feed.
    return (
        visible_text(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def _element(depth: int, tag: str, text: str) -> str:
    return f"{'  ' * depth}<{tag}>{_escape(text)}</{tag}>"


def _json_line(data: object) -> str:
    """One line of JSON that an XML element can hold exactly."""
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)
    return NOT_XML_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def team_value(cell: AnalystRatings) -> Rating:
    """
    The single rating PARC shows for a cell rated by several analysts.

    The median of the analysts' ratings on the scale II < I < N < C < CC;
    with an even number of ratings, the mean of the middle two rounded
    toward N.  Abstentions (NA) do not count; a cell where every analyst
    abstains is NA.

    .. versionadded:: 0.1
    """
    codes = sorted(CODES[rating] for rating in cell.informative().values())
    if not codes:
        return Rating.NA
    middle = len(codes) // 2
    if len(codes) % 2:
        return FROM_CODE[codes[middle]]
    return FROM_CODE[int((codes[middle - 1] + codes[middle]) / 2)]  # int() rounds toward 0


def team_text(cell: AnalystRatings) -> str:
    """A team cell as PARC text: each analyst's rating, ``analyst=rating``, by ``; ``."""
    return "; ".join(f"{analyst}={rating.value}" for analyst, rating in cell.informative().items())


def _cell_value(cell: Rating | AnalystRatings) -> Rating:
    return team_value(cell) if isinstance(cell, AnalystRatings) else cell


def _epoch_ms(date: dt.date) -> int:
    return (date - EPOCH).days * DAY_MS


def link(document: Document | None) -> str:
    """The link PARC shows for an item: its document's URL or path, or nothing."""
    if document is None:
        return ""
    return document.url if document.url is not None else document.path


def _trailer(
    item: Evidence,
    data: dict[str, Any],
    columns: dict[str, int],
    sources: dict[str, Any],
    documents: dict[str, Any],
) -> dict[str, Any]:
    trailer: dict[str, Any] = {"id": item.id}
    if visible_text(item.summary) != item.summary:
        trailer["summary"] = item.summary
    trailer["source"] = sources[item.source]
    trailer["credibility"] = int(item.credibility)
    for key, value in data.items():
        if key == "document":
            trailer["document"] = documents[value]
            cited = documents[value].get("source")
            if cited is not None and cited != item.source:
                # The document's own source, so that the item's NOTES are complete.
                trailer["document_source"] = sources[cited]
        elif key not in HELD_BY_PARC:
            trailer[key] = value  # relevance, quote, derived_from, and any later field
            if key == "via":
                # The relays' own sources, so that the item's NOTES are complete.
                trailer["via_sources"] = [sources[relay] for relay in value]
    if item.notes is not None and visible_text(item.notes) != item.notes:
        trailer["notes"] = item.notes
    teams = {
        str(columns[hypothesis]): cell
        for hypothesis, cell in data.get("ratings", {}).items()
        if isinstance(cell, dict)
    }
    if teams:
        trailer["teams"] = teams
    return trailer


def _notes(item: Evidence, line: str) -> str:
    visible = "" if item.notes is None else visible_text(item.notes) + "\n\n"
    return f"{visible}{TRAILER_MARKER}\n{line}"


def _block(data: dict[str, Any]) -> str:
    text = json.dumps(
        {"version": BLOCK_VERSION, "assessment": data},
        ensure_ascii=True,
        separators=(",", ":"),
        allow_nan=False,
    )
    # "--" may not occur in an XML comment; in JSON it can only occur inside a
    # string, where an escaped hyphen means the same.
    return text.replace("--", "-\\u002d")


@attrs.frozen
class _Document:
    """An assessment's XML text, each line of JSON kept for assess in it, and a check."""

    text: str
    kept: tuple[str, ...]
    lone_surrogate: bool  # whether any text holds half of a UTF-16 pair


def _document(assessment: Assessment) -> _Document:
    """
    The XML text, and each line of JSON kept for assess in it.

    :func:`export_achz` and :func:`export_notices` both need it, so the last
    assessment's document is remembered (by identity, while it lives) and
    built once for both.
    """
    cached = _LAST_DOCUMENT.get(id(assessment))
    if cached is not None and cached[0]() is assessment:
        return cached[1]
    built = _build_document(assessment)
    _LAST_DOCUMENT.clear()
    key = id(assessment)
    referent = weakref.ref(assessment, lambda _: _LAST_DOCUMENT.pop(key, None))
    _LAST_DOCUMENT[key] = (referent, built)
    return built


#: The last document built, by its assessment's id: at most one entry.
_LAST_DOCUMENT: dict[int, tuple[weakref.ref[Assessment], _Document]] = {}


def _build_document(assessment: Assessment) -> _Document:
    kept: list[str] = []
    data = to_data(assessment)
    lone_surrogate = SURROGATE.search(json.dumps(data, ensure_ascii=False)) is not None
    items: list[dict[str, Any]] = data.pop("evidence", [])
    sources = {source["id"]: source for source in data.get("sources", [])}
    documents = {document["id"]: document for document in data.get("documents", [])}
    columns = {h.id: column for column, h in enumerate(assessment.hypotheses, 1)}
    block = _block(data)
    kept.append(block)
    lines = [
        '<?xml version="1.0" encoding="UTF-16"?>',
        f"<{ROOT}>",
        f"  <!--{BLOCK_PREFIX}{block} -->",
        _element(1, "PROJECT-TITLE", assessment.title),
        _element(1, "LAST-INDEX", str(len(assessment.evidence))),
        _element(1, "COLOR-SCHEME", ""),
        _element(1, "CLASSIFICATION", ""),
        "  <MATRIX>",
    ]
    for hypothesis in assessment.hypotheses:
        lines += [
            "    <HYPOTHESIS>",
            _element(3, "NAME", hypothesis.statement),
            "    </HYPOTHESIS>",
        ]
    for item, item_data in zip(assessment.evidence, items, strict=True):
        document = None if item.document is None else assessment.document(item.document)
        trailer = _json_line(_trailer(item, item_data, columns, sources, documents))
        kept.append(trailer)
        values = ",".join(
            RATING_TOKENS[_cell_value(item.cell(h.id))] for h in assessment.hypotheses
        )
        lines += [
            "    <EVIDENCE>",
            _element(3, "NAME", item.summary),
            _element(3, "NOTES", _notes(item, trailer)),
            _element(3, "LINK", link(document)),
            _element(3, "TYPE", item.kind.value),
            _element(3, "DATE", "" if item.date is None else str(_epoch_ms(item.date))),
            _element(3, "CODE", item.id),
            _element(3, "FLAG", ""),
            _element(3, "CREDIBILITY", CREDIBILITY_TO_PARC[item.credibility]),
            _element(3, "VALUES", values),
            "    </EVIDENCE>",
        ]
    lines += ["  </MATRIX>", f"</{ROOT}>", ""]
    return _Document("\n".join(lines), tuple(kept), lone_surrogate)


def export_achz(assessment: Assessment) -> bytes:
    """
    The assessment as a PARC ACH 2.0.x ``.achz`` file.

    The same assessment gives the same bytes: the gzip header has no file
    name and no time stamp, the elements come in a fixed order and the
    text is UTF-16 big-endian with a byte-order mark (what Java, PARC's
    language, writes for "UTF-16").  :func:`export_notices` says what PARC
    will show differently from the assessment.

    Args:
        assessment: The assessment to export.

    Returns:
        The compressed file's bytes.

    .. versionadded:: 0.1
    """
    raw = b"\xfe\xff" + _document(assessment).text.encode("utf-16-be")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as out:
        out.write(raw)
    return buffer.getvalue()


CREDIBILITY_SENTENCE: Final = (
    "Credibility: PARC has three levels, so export writes Admiralty credibility 1 and 2 as"
    " HIGH, 3 and 6 as MEDIUM, and 4 and 5 as LOW; import reads HIGH as 2 (probably true),"
    " MEDIUM as 3 (possibly true) and LOW as 4 (doubtful)."
)


def export_notices(assessment: Assessment) -> tuple[str, ...]:
    """
    What PARC ACH will show differently from the assessment, one sentence each.

    Args:
        assessment: The assessment being exported.

    Returns:
        The notices, the credibility mapping first.

    .. versionadded:: 0.1
    """
    notices = [
        CREDIBILITY_SENTENCE,
        (
            "Kept for assess: PARC shows no sources, relevance, repeated reporting or quotes;"
            f" each item keeps them in its NOTES below the line {TRAILER_MARKER!r}, and the"
            " assessment's own data (ids, priors, sources, assumptions, indicators, judgement,"
            " scoring) is kept in an XML comment that PARC drops when it saves the file."
        ),
    ]
    document = _document(assessment)
    size = 2 + len(document.text.encode("utf-16-be", "surrogatepass"))
    # The root, the comment, four top-level elements, MATRIX, then the matrix.
    elements = 7 + 2 * len(assessment.hypotheses) + 10 * len(assessment.evidence)
    values = sum(count_values(line)[0] for line in document.kept)
    if size > MAX_XML_BYTES or elements > MAX_ELEMENTS or values > MAX_JSON_VALUES:
        notices.append(
            f"Size: the file holds {elements} elements in {size} bytes of XML, with {values}"
            f" values of JSON kept for assess, more than import_achz reads ({MAX_ELEMENTS}"
            f" elements, {MAX_XML_BYTES} bytes, {MAX_JSON_VALUES} values); assess will not"
            " read it back."
        )
    if document.lone_surrogate:
        notices.append(
            "Text: the assessment holds a lone surrogate (half of a UTF-16 pair, which no"
            " assessment file can hold); assess will not read the file back."
        )
    if assessment.documents:
        notices.append(
            "Documents: PARC has none; LINK shows the url (or else the path) of the document"
            " an item quotes, and the document and quote are kept in the item's NOTES."
        )
    if visible_text(assessment.title) != assessment.title:
        notices.append(_unshowable("The title", "PROJECT-TITLE"))
    notices.extend(
        _unshowable(f"{h.id}: the statement", "NAME")
        for h in assessment.hypotheses
        if visible_text(h.statement) != h.statement
    )
    for item in assessment.evidence:
        if visible_text(item.summary) != item.summary:
            notices.append(_unshowable(f"{item.id}: the summary", "NAME"))
        if item.notes is not None and visible_text(item.notes) != item.notes:
            notices.append(_unshowable(f"{item.id}: the notes", "NOTES"))
        for hypothesis in assessment.hypotheses:
            cell = item.cell(hypothesis.id)
            if isinstance(cell, AnalystRatings) and cell.informative():
                notices.append(
                    f"{item.id}, {hypothesis.id}: the analysts' ratings {team_text(cell)}"
                    f" are written as {team_value(cell).value}, their median rounded toward N;"
                    " the analysts' ratings are kept in the item's NOTES."
                )
    return tuple(notices)


def _unshowable(subject: str, element: str) -> str:
    return (
        f"{subject} holds characters XML cannot carry; {element} shows them as U+FFFD,"
        " and the exact text is kept for assess."
    )
