"""
The matrix as a table: CSV or TSV export, and ratings read back from one.

:func:`export_table` writes one row per evidence item (id, summary, source,
credibility, relevance, then one column per hypothesis holding the rating),
for a spreadsheet.  :func:`import_ratings` reads such a table back into the
assessment it came from and changes ratings only: rows are matched by
evidence id and columns by hypothesis id, every change is reported, and
anything it cannot read is refused with the table's line and field number.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (CSV injection).  Export puts an apostrophe before such a cell, as
OWASP advises, and import takes it off again; ``docs/interchange.md`` has the
details.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING, Final

import attrs

from assess.errors import InputError, PathPart, Problem
from assess.io.interchange import Collector, Enough, Hints, Imported, quoted
from assess.model import AnalystRatings, Rating

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from assess.model import Assessment, Evidence

__all__ = [
    "COLUMNS",
    "DELIMITERS",
    "FORMULA_STARTS",
    "MAX_LINES",
    "MAX_ROW_CHARACTERS",
    "MAX_TABLE_BYTES",
    "Imported",
    "export_table",
    "import_ratings",
]

COLUMNS: Final = ("evidence", "summary", "source", "credibility", "relevance")
"""The table's first columns; one column per hypothesis id follows."""

DELIMITERS: Final = (",", ";", "\t")
"""Field separators: comma (CSV), semicolon (CSV as some spreadsheets save it) and tab (TSV)."""

FORMULA_STARTS: Final = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

MAX_LINES: Final = 1_000_000
"""
Most lines a table read back may have, blank ones included.

Sixteen million blank lines fit in the size limit and took a quarter of a
minute to skip one by one; a table has a line per item and a few more.
"""

MAX_TABLE_BYTES: Final = 16 * 1024 * 1024
"""Largest table of ratings read back (16 MiB; a 100,000 x 20 table is about 5 MiB)."""

MAX_ROW_CHARACTERS: Final = 1 << 20
"""
Longest row a table read back may have: 1 MiB of text, its line breaks included.

The CSV reader makes every cell of a row a string at once, some sixty bytes
each however short: a 16 MiB row of ``ab,ab,...`` took 500 MB.
"""

# An apostrophe is guarded too, so that a cell that really starts with one
# comes back unchanged: the guard is undone exactly.
_GUARDED: Final = FORMULA_STARTS | {"'"}
_RATINGS: Final = tuple(r.value for r in Rating)
_Cell = Rating | AnalystRatings


def _guard(text: str) -> str:
    """A cell as export writes it: an apostrophe before a formula's first character."""
    return "'" + text if text[:1] in _GUARDED else text


def _part(text: str) -> str:
    """Text from the table as a path names it: an id is never longer than 64 characters."""
    return text if len(text) <= 64 else text[:63] + "…"


def _unguard(text: str) -> str:
    """Undo :func:`_guard`: one apostrophe before a guarded character is taken off."""
    return text[1:] if text[:1] == "'" and text[1:2] in _GUARDED else text


def _team_text(cell: AnalystRatings, analysts: Sequence[str]) -> str:
    order = {analyst: index for index, analyst in enumerate(analysts)}
    informative = sorted(
        cell.informative().items(), key=lambda ar: (order.get(ar[0], len(order)), ar[0])
    )
    return "; ".join(f"{analyst}={rating.value}" for analyst, rating in informative)


def _cell_text(cell: _Cell, analysts: Sequence[str]) -> str:
    if isinstance(cell, AnalystRatings):
        return _team_text(cell, analysts)
    return "" if cell == Rating.NA else cell.value


def _row(fields: Iterable[str], delimiter: str) -> str:
    buffer = io.StringIO()
    # "\r\n" as the terminator makes the writer quote a field holding either
    # character; the row then ends in "\n" alone.
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_guard(field) for field in fields])
    return buffer.getvalue().removesuffix("\r\n") + "\n"


def export_table(assessment: Assessment, delimiter: str = ",") -> str:
    r"""
    The matrix as CSV (or TSV with ``delimiter="\t"``).

    The header is ``evidence,summary,source,credibility,relevance`` and then
    the hypothesis ids; each row is an item, its source id, its credibility
    numeral, its relevance and its rating against each hypothesis, empty
    where it is unrated (NA).  A cell rated by several analysts is written
    ``alice=C; bob=I``.  Fields are quoted as RFC 4180 says, lines end in
    ``\n``, and a cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a
    carriage return or an apostrophe gets an apostrophe in front.

    Args:
        assessment: The assessment to write.
        delimiter: ``","``, ``";"`` or ``"\t"``.

    Returns:
        The table as text.

    Raises:
        ValueError: When ``delimiter`` is not one of those three.

    .. versionadded:: 0.1
    """
    if delimiter not in DELIMITERS:
        raise ValueError(f"the delimiter must be one of {DELIMITERS!r}, got {delimiter!r}")
    hypotheses = [h.id for h in assessment.hypotheses]
    lines = [_row([*COLUMNS, *hypotheses], delimiter)]
    lines.extend(
        _row(
            [
                *_info(item),
                *(_cell_text(item.cell(h), assessment.analysts) for h in hypotheses),
            ],
            delimiter,
        )
        for item in assessment.evidence
    )
    return "".join(lines)


def _info(item: Evidence) -> tuple[str, str, str, str, str]:
    return (
        item.id,
        item.summary,
        item.source,
        str(int(item.credibility)),
        item.relevance.value,
    )


# --------------------------------------------------------------------------- import


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise InputError(
            [Problem(f"the table is not UTF-8 text (byte 0x{bad})", (), name, line)]
        ) from None


def _normal(cell: _Cell) -> Rating | frozenset[tuple[str, Rating]]:
    """A cell's content: a rating, or the analysts' informative ratings."""
    if isinstance(cell, AnalystRatings):
        informative = cell.informative()
        return frozenset(informative.items()) if informative else Rating.NA
    return cell


def _is_team(cell: _Cell) -> bool:
    return isinstance(_normal(cell), frozenset)


def _show(cell: _Cell, analysts: Sequence[str]) -> str:
    text = _cell_text(cell, analysts)
    return text or "unrated"


@attrs.frozen
class _Bad:
    """What is wrong with a cell."""

    message: str


@attrs.frozen
class _Row:
    line: int
    fields: list[str]


class _RowTooLong(Exception):  # noqa: N818 -- internal signal, turned into an InputError
    pass


# A line and its end, as io.StringIO(newline="") splits them (and as the CSV
# reader counts them).  At the end of the text it matches the empty string.
_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


class _Lines:
    """
    The table's lines for the CSV reader, refusing a row longer than MAX_ROW_CHARACTERS.

    A line is measured before it is copied, so an overlong one is refused
    without ever being held twice (io.StringIO would hold the whole text at
    four bytes a character, then the line).  The reader sets ``row`` back
    to 0 after each row.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.row = 0  # characters of the row being read, so far

    def __iter__(self) -> Iterator[str]:
        for match in _LINE.finditer(self.text):
            start, end = match.span()
            if start == end:  # only at the end of the text
                return
            self.row += end - start
            if self.row > MAX_ROW_CHARACTERS:
                raise _RowTooLong
            yield match.group()


def _count_lines(text: str) -> int:
    """Lines as the CSV reader counts them: ended by CR LF, CR or LF, or by the end."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (not text.endswith(("\n", "\r")))


class _TableReader:
    """Reads a table against the assessment it is to change, collecting every problem."""

    def __init__(self, into: Assessment, name: str, replace_team_cells: bool) -> None:
        self.into = into
        self.name = name
        self.replace_team_cells = replace_team_cells
        self.collector = Collector(name)
        self.problems = self.collector.problems
        self.hint = Hints()
        self.notices: list[str] = []
        self.ignored: list[str] = []
        self.line = 1  # where the row being read starts

    def problem(
        self, line: int, column: int | None, parts: tuple[PathPart, ...], text: str
    ) -> None:
        self.collector.add(Problem(text, parts, self.name, line, column))

    def rows(self, text: str) -> Iterator[_Row]:
        """
        The header and every row that is not blank, read as they are needed.

        Rows are never all held at once, and blank ones (which spreadsheets
        leave, sometimes by the million) cost the CSV reader's time alone.
        """
        match = re.match(r'"?evidence"?([,;\t])', text)
        if match is None:
            message = (
                "the table is empty"
                if not text.strip()
                else "the header must start with the column 'evidence' and a comma,"
                " semicolon or tab"
            )
            raise InputError([Problem(message, (), self.name, 1, 1)])
        lines = _count_lines(text)
        if lines > MAX_LINES:
            message = f"the table has {lines} lines, more than the {MAX_LINES} a table may have"
            raise InputError([Problem(message, (), self.name, 1, 1)])
        source = _Lines(text)
        reader = csv.reader(source, delimiter=match.group(1), strict=True)
        try:
            for fields in reader:
                if "".join(fields).strip():
                    yield _Row(self.line, fields)
                self.line = reader.line_num + 1
                source.row = 0
        except csv.Error as error:
            where = Problem(f"the table is not valid CSV: {error}", (), self.name, reader.line_num)
            raise InputError([*self.problems, where]) from None
        except _RowTooLong:
            message = (
                f"the row is longer than {MAX_ROW_CHARACTERS} characters; refused as too large"
            )
            where = Problem(message, (), self.name, self.line, 1)
            raise InputError([*self.problems, where]) from None

    def header(self, row: _Row) -> dict[int, str]:
        """Field index to hypothesis id, for the hypothesis columns of the header."""
        fields = row.fields
        for index, wanted in enumerate(COLUMNS):
            got = _unguard(fields[index]).strip() if index < len(fields) else None
            if got != wanted:
                self.problem(
                    row.line,
                    index + 1,
                    ("header",),
                    f"column {index + 1} must be {wanted!r}, got"
                    f" {'nothing' if got is None else quoted(got)}; the header starts"
                    f" {', '.join(COLUMNS)}",
                )
        known = [h.id for h in self.into.hypotheses]
        columns: dict[int, str] = {}
        for index in range(len(COLUMNS), len(fields)):
            hypothesis = _unguard(fields[index]).strip()
            if hypothesis not in known:
                self.problem(
                    row.line,
                    index + 1,
                    ("header", _part(hypothesis)),
                    f"unknown hypothesis {quoted(hypothesis)}{self.hint(hypothesis, known)}",
                )
            elif hypothesis in columns.values():
                self.problem(
                    row.line,
                    index + 1,
                    ("header", hypothesis),
                    f"hypothesis {hypothesis} has two columns",
                )
            else:
                columns[index] = hypothesis
        return columns

    def cell(self, text: str) -> _Cell | _Bad:
        """The cell's content, or what is wrong with it."""
        if text in {"", "NA"}:
            return Rating.NA
        not_a_rating = _Bad(
            f"{quoted(text)} is not a rating: write CC, C, N, I, II or NA, leave the cell"
            f" empty, or give analysts' ratings as 'alice=C; bob=I'"
            f"{self.hint(text.lstrip('= '), _RATINGS)}"
        )
        if "=" not in text:
            return Rating(text) if text in _RATINGS else not_a_rating
        analysts = self.into.analysts
        cell: dict[str, Rating] = {}
        for part in filter(None, (p.strip() for p in text.split(";"))):
            analyst, _, rating = (s.strip() for s in part.partition("="))
            if not analyst:  # '=C', a spreadsheet formula, names no analyst: no rating
                return not_a_rating
            if analyst not in analysts:
                where = (
                    self.hint(analyst, analysts)
                    if analysts
                    else ": the assessment declares no analysts"
                )
                return _Bad(f"unknown analyst {quoted(analyst)}{where}")
            if analyst in cell:
                return _Bad(f"analyst {analyst} is named twice")
            if rating not in _RATINGS:
                return _Bad(
                    f"{analyst}'s rating {quoted(rating)} is not one of CC, C, N, I, II and NA"
                    f"{self.hint(rating, _RATINGS)}"
                )
            cell[analyst] = Rating(rating)
        return AnalystRatings(cell)

    def read(self, text: str) -> dict[str, dict[str, _Cell]]:
        """The changed cells, item id to hypothesis id to the new cell."""
        try:
            return self._read(text)
        except Enough:
            raise self.collector.stopped(f"at line {self.line}") from None

    def _read(self, text: str) -> dict[str, dict[str, _Cell]]:
        rows = self.rows(text)
        header = next(rows)  # the text starts with "evidence", so the first row is not blank
        columns = self.header(header)
        if self.problems:
            raise InputError(self.problems)
        items = {item.id: item for item in self.into.evidence}
        width = len(header.fields)
        seen: dict[str, int] = {}
        changes: dict[str, dict[str, _Cell]] = {}
        for (
            row
        ) in rows:  # blank lines and rows of empty cells are skipped, as spreadsheets leave them
            if len(row.fields) != width:
                self.problem(
                    row.line,
                    min(len(row.fields), width) + 1,
                    (),
                    f"the row has {len(row.fields)} fields but the header has {width}",
                )
                continue
            item_id = _unguard(row.fields[0]).strip()
            item = items.get(item_id)
            if item is None:
                self.problem(
                    row.line,
                    1,
                    (_part(item_id),),
                    f"unknown evidence item {quoted(item_id)}{self.hint(item_id, items)}",
                )
                continue
            if item_id in seen:
                self.problem(
                    row.line, 1, (item_id,), f"{item_id} has a row already, on line {seen[item_id]}"
                )
                continue
            seen[item_id] = row.line
            self.compare_info(item, row)
            for index, hypothesis in columns.items():
                new = self.cell(_unguard(row.fields[index]).strip())
                if isinstance(new, _Bad):
                    self.problem(row.line, index + 1, (item_id, hypothesis), new.message)
                    continue
                old = item.cell(hypothesis)
                if _normal(old) == _normal(new):
                    continue
                if (
                    isinstance(old, AnalystRatings)
                    and _is_team(old)
                    and not isinstance(new, AnalystRatings)
                    and not self.replace_team_cells
                ):
                    self.problem(
                        row.line,
                        index + 1,
                        (item_id, hypothesis),
                        f"the cell holds analysts' ratings ({_team_text(old, self.into.analysts)});"
                        " change them in the same form (analyst=rating; ...), or allow a single"
                        " rating to replace them all",
                    )
                    continue
                changes.setdefault(item_id, {})[hypothesis] = new
                self.notices.append(
                    f"{item_id}, {hypothesis}: {_show(old, self.into.analysts)}"
                    f" → {_show(new, self.into.analysts)}."
                )
        if self.problems:
            raise InputError(self.problems)
        self.missing(seen, columns)
        return changes

    def compare_info(self, item: Evidence, row: _Row) -> None:
        """Notice edits to the columns import does not read, so they are not lost unseen."""
        for index, (column, expected) in enumerate(zip(COLUMNS, _info(item), strict=True)):
            got = _unguard(row.fields[index])
            if index and got != expected:
                self.ignored.append(
                    f"{item.id}: the table's {column} ({quoted(got)}) differs from the"
                    f" assessment's ({quoted(expected)}); only ratings are imported, so it was"
                    " left as it is."
                )

    def missing(self, seen: Mapping[str, int], columns: Mapping[int, str]) -> None:
        absent_items = [item.id for item in self.into.evidence if item.id not in seen]
        if absent_items:
            self.ignored.append(
                f"Not in the table, so their ratings were left as they are: evidence"
                f" {', '.join(absent_items)}."
            )
        present = set(columns.values())
        absent = [h.id for h in self.into.hypotheses if h.id not in present]
        if absent:
            self.ignored.append(
                f"Not in the table, so ratings against them were left as they are: hypotheses"
                f" {', '.join(absent)}."
            )


def import_ratings(
    table: str | bytes,
    into: Assessment,
    *,
    name: str = "<table>",
    replace_team_cells: bool = False,
) -> Imported:
    """
    Bring ratings edited in a table back into the assessment it was exported from.

    The table is what :func:`export_table` writes, edited: the delimiter is
    the character after ``evidence`` in the header (comma, semicolon or
    tab), rows are matched by evidence id and columns by hypothesis id, and
    only the rating cells are read.  Rows and columns may be left out or
    reordered; what is missing is left as it is.  A cell is a rating
    (``CC``, ``C``, ``N``, ``I``, ``II``, ``NA``), empty for NA, or analysts'
    ratings written ``alice=C; bob=I``.  A cell that holds analysts' ratings
    is only changed by analysts' ratings, unless ``replace_team_cells`` lets a
    single rating replace them.

    Args:
        table: The table, as text or UTF-8 bytes.
        into: The assessment whose ratings the table holds.
        name: What to call the table in messages.
        replace_team_cells: Let a single rating (or an empty cell) replace a
            cell of analysts' ratings.

    Returns:
        The assessment with the new ratings (``into`` itself when nothing
        changed), and a notice per changed cell (``E3, H2: C → I.``) and per
        column edit that was not imported.

    Raises:
        InputError: Listing every unknown evidence or hypothesis id, unreadable
            rating, misshapen row and refused team-cell change, each with its
            line (the table's physical line where the row starts) and column
            (the field's number, from 1).

    .. versionadded:: 0.1
    """
    if isinstance(table, bytes):
        if len(table) > MAX_TABLE_BYTES:
            raise InputError(
                [Problem(f"the table is larger than {MAX_TABLE_BYTES} bytes", (), name, 1, 1)]
            )
        text = _decode(table, name)
    else:
        if len(table) > MAX_TABLE_BYTES:
            raise InputError(
                [Problem(f"the table is longer than {MAX_TABLE_BYTES} characters", (), name, 1, 1)]
            )
        text = table.removeprefix("\ufeff")
    reader = _TableReader(into, name, replace_team_cells)
    changes = reader.read(text)
    notices = reader.notices or ["No ratings changed."]
    if not changes:
        return Imported(assessment=into, notices=[*notices, *reader.ignored])
    evidence = []
    for item in into.evidence:
        cells = changes.get(item.id)
        if cells:
            ratings = dict(item.ratings)
            for hypothesis, cell in cells.items():
                if _normal(cell) == Rating.NA:
                    ratings.pop(hypothesis, None)
                else:
                    ratings[hypothesis] = cell
            evidence.append(attrs.evolve(item, ratings=ratings))
        else:
            evidence.append(item)
    return Imported(
        assessment=attrs.evolve(into, evidence=evidence), notices=[*notices, *reader.ignored]
    )
