"""
Charts for reports: posterior bands, the ACH matrix, a tornado, a timeline, a reliability diagram.

Every chart is drawn as SVG text by default, and as PNG bytes with
``format="png"``, for slides and other places that do not show SVG.

Reports are kept under version control and checked for staleness by
regenerating them, so a chart must come out byte for byte the same for the same
input: on every run, under any ``PYTHONHASHSEED``, whatever the user's
``matplotlibrc`` says.  matplotlib gets there only when told to: its SVG ids
are random unless ``svg.hashsalt`` is fixed, it stamps a date and its version
into the metadata unless they are set to ``None``, and it embeds glyph outlines
unless ``svg.fonttype`` is ``"none"`` (which also keeps text searchable and
selectable).  Every chart is drawn inside :func:`matplotlib.rc_context` from
matplotlib's default style, so nothing global stays changed; the rcParams are
process-wide, so do not draw from two threads at once.  A PNG is rasterised by
matplotlib's Agg renderer with the fonts matplotlib ships, and written without
its ``Software`` text chunk (matplotlib writes no date into a PNG), so it too is
the same bytes on every run with the same matplotlib.

Labels come from the assessment and are treated as hostile: mathtext is off
(``$x$`` stays literal), control characters become spaces or U+FFFD (XML 1.0
cannot hold them), newlines become spaces so that a row stays a row, long labels
are shortened with an ellipsis, and matplotlib's SVG writer escapes ``<`` and
``&``.

matplotlib is the optional ``plots`` extra; it is imported only inside the
functions here, and :func:`available` says whether it can be.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib
import io
import itertools
import math
import re
from typing import TYPE_CHECKING, Final, Literal, TypeVar, overload

from assess.methods.language import bands

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from assess.history.timeline import Timeline

__all__ = [
    "FORMATS",
    "MAX_LETTERED_ROWS",
    "available",
    "matrix_heatmap",
    "posterior_bands",
    "reliability_diagram",
    "timeline",
    "timeline_chart",
    "tornado",
]

#: The longest label drawn in full; longer ones end in an ellipsis.
MAX_LABEL: Final = 40
#: The most bars a tornado shows.
MAX_BARS: Final = 10
#: The most rows of a matrix chart drawn with each cell's rating and each
#: item's id; a longer matrix is drawn as an overview of coloured cells only.
MAX_LETTERED_ROWS: Final = 150
NO_EVIDENCE: Final = "no evidence"

#: The formats every chart can be drawn in.
FORMATS: Final = ("svg", "png")

_DPI: Final = 72  # SVG user units are points: one unit per pixel at 72 dpi
_PAD_INCHES: Final = 0.1  # around the tight box of everything drawn
#: A PNG's resolution: two pixels a point, so that it stays sharp on dense screens.
PNG_DPI: Final = 144
_ROW: Final = 0.32  # inches per row of a chart

# Ratings, consistent to inconsistent.  Greens and reds from ColorBrewer's
# PRGn/RdBu diverging schemes; text is white only on the two dark fills.
_FILLS: Final = {
    "CC": "#1b7837",
    "C": "#a6dba0",
    "N": "#d9d9d9",
    "NA": "#f4f4f4",
    "I": "#f4a582",
    "II": "#b2182b",
}
_MIXED: Final = "#ece2c6"  # analysts disagree: a sand colour, neither green nor red
_DARK_FILLS: Final = frozenset({"CC", "II"})
_LEGEND: Final = (
    ("CC", "CC very consistent"),
    ("C", "C consistent"),
    ("N", "N neutral"),
    ("NA", "NA not applicable"),
    ("I", "I inconsistent"),
    ("II", "II very inconsistent"),
)
_SHADES: Final = ("#f3f3f3", "#e2e2e2")  # alternate estimative bands
_INK: Final = "#222222"
_POINT: Final = "#08306b"
_RISE: Final = "#2166ac"  # blue: removing the item raises the leader's posterior
_FALL: Final = "#d6604d"  # red-orange: removing it lowers it
# One colour and one marker per hypothesis line (ColorBrewer Dark2), so that the
# lines stay apart without colour too; they repeat after eight hypotheses.
_LINES: Final = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
)
_MARKERS: Final = ("o", "s", "^", "D", "v", "P", "X", "*")
_TOLERANCE: Final = 1e-9  # rounding slack on probabilities at 0 and 1
_T = TypeVar("_T")


def available() -> bool:
    """
    Whether matplotlib can be imported, so that the charts can be drawn.

    Returns:
        ``True`` when the ``plots`` extra is installed.

    .. versionadded:: 0.1
    """
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        return False
    return True


def _label(text: str) -> str:
    """A label safe to draw: one line, printable, at most :data:`MAX_LABEL` characters."""
    chars = [
        " " if ch.isspace() else ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}"
        for ch in str(text)
    ]
    line = " ".join("".join(chars).split())
    if len(line) > MAX_LABEL:
        line = line[: MAX_LABEL - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    return line


#: The settings that matplotlib's "default" style leaves as they are, being
#: about the session rather than the look: ``matplotlib.style``'s own list,
#: kept here because importing that module reads every style file matplotlib
#: ships, on every cold ``assess report`` (a test checks that the lists agree).
_SESSION_SETTINGS: Final = frozenset(
    {
        "backend",
        "backend_fallback",
        "date.epoch",
        "docstring.hardcopy",
        "figure.max_open_warning",
        "figure.raise_window",
        "interactive",
        "savefig.directory",
        "timezone",
        "tk.window_focus",
        "toolbar",
        "webagg.address",
        "webagg.open_in_browser",
        "webagg.port",
        "webagg.port_retries",
    }
)


@contextlib.contextmanager
def _style(chart: str) -> Iterator[None]:
    """Draw with matplotlib's default style plus ours, restored on exit."""
    import matplotlib as mpl  # noqa: PLC0415 -- the optional extra

    # The default style first, so that a user's matplotlibrc cannot change a
    # byte: what ``matplotlib.style.context("default")`` would set.
    default = {
        key: mpl.rcParamsDefault[key] for key in mpl.rcParamsDefault if key not in _SESSION_SETTINGS
    }
    with mpl.rc_context(
        default
        | {
            # A fixed salt makes the SVG ids content hashes instead of random; a
            # different salt per chart keeps apart the ids of the three charts
            # inlined in one HTML page.
            "svg.hashsalt": f"assess-{chart}",
            "svg.fonttype": "none",
            "svg.id": None,
            "text.parse_math": False,
            "text.usetex": False,
            # DejaVu Sans ships with matplotlib, so text metrics agree everywhere.
            "font.family": ["DejaVu Sans"],
            "font.size": 9.0,
            "figure.dpi": _DPI,
            "savefig.dpi": _DPI,
            # "-0.130" on an axis, as in the bar labels and the report's tables.
            "axes.unicode_minus": False,
        }
    ):
        yield


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(width, height), dpi=_DPI)
    FigureCanvasSVG(figure)
    return figure


def _axes(figure: Figure, left: float, bottom: float, width: float, height: float) -> Axes:
    """Axes at fixed places in inches, so that the layout depends on the input alone."""
    fw, fh = figure.get_size_inches()
    return figure.add_axes((left / fw, bottom / fh, width / fw, height / fh))


def _svg(figure: Figure) -> str:
    from matplotlib.backends.backend_svg import RendererSVG  # noqa: PLC0415

    # Long labels grow the picture rather than being cut off: the picture is
    # the tight box around everything drawn, padded by _PAD_INCHES.  The box is
    # measured here with a renderer of the SVG's own size, as
    # ``bbox_inches="tight"`` would measure it, but without the dry-run draw
    # that option makes first: the same bytes (tested), one draw instead of two.
    width, height = figure.get_size_inches()
    measure = RendererSVG(  # type: ignore[no-untyped-call]  # matplotlib leaves it untyped
        width * _DPI, height * _DPI, io.StringIO(), image_dpi=_DPI
    )
    buffer = io.StringIO()
    figure.canvas.print_figure(
        buffer,
        format="svg",
        dpi=_DPI,
        # Without these the SVG carries the date and matplotlib's version.
        metadata={"Date": None, "Creator": None},
        bbox_inches=figure.get_tightbbox(measure).padded(_PAD_INCHES),
    )
    return _stable_clip_ids(buffer.getvalue())


# matplotlib names a clip path by hashing the text of its rectangle, and numpy
# 2 prints a float64 as "np.float64(0.5)" where numpy 1 printed "0.5": the same
# chart would get other ids, and other bytes, under another numpy.
_CLIP_ID: Final = re.compile(r'(?<=id=")p[0-9a-f]{10}(?=")|(?<=url\(#)p[0-9a-f]{10}(?=\))')


def _stable_clip_ids(svg: str) -> str:
    """Clip-path ids numbered in order of use, salted per chart as matplotlib salts them."""
    import matplotlib as mpl  # noqa: PLC0415 -- the optional extra, loaded by now

    salt = str(mpl.rcParams["svg.hashsalt"])
    renamed: dict[str, str] = {}

    def rename(found: re.Match[str]) -> str:
        old = found.group()
        if old not in renamed:
            digest = hashlib.sha256(f"{salt}:clip:{len(renamed)}".encode()).hexdigest()
            renamed[old] = "p" + digest[:10]
        return renamed[old]

    return _CLIP_ID.sub(rename, svg)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.canvas.print_figure(
        buffer,
        format="png",
        dpi=PNG_DPI,
        # matplotlib writes its version as "Software" unless told not to.
        metadata={"Software": None},
        bbox_inches="tight",
        pad_inches=_PAD_INCHES,
    )
    return buffer.getvalue()


def _renderer(format: str) -> Callable[[Figure], str | bytes]:  # noqa: A002 -- as assess.report
    """What turns a figure into a chart of ``format``; called inside :func:`_style`."""
    if format == "svg":
        return _svg
    if format == "png":
        return _png
    raise ValueError(f"unknown chart format {format!r}; expected one of: {', '.join(FORMATS)}")


def _nothing(chart: str, render: Callable[[Figure], _T]) -> _T:
    """A small chart that says there is nothing to draw."""
    with _style(chart):
        figure = _figure(2.5, 0.6)
        figure.text(0.5, 0.5, NO_EVIDENCE, ha="center", va="center", color=_INK)
        return render(figure)


def _hide_ticks(ax: Axes) -> None:
    ax.tick_params(axis="both", which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _finite(values: Sequence[float], what: str) -> list[float]:
    out = [float(v) for v in values]
    for i, v in enumerate(out):
        if not math.isfinite(v):
            raise ValueError(f"{what} {i} is {v!r}; it must be a finite number")
    return out


def _probabilities(values: Sequence[float], what: str) -> list[float]:
    out = _finite(values, what)
    for i, v in enumerate(out):
        if not -_TOLERANCE <= v <= 1 + _TOLERANCE:
            raise ValueError(f"{what} {i} is {v!r}; it must be a probability in [0, 1]")
    return [min(max(v, 0.0), 1.0) for v in out]


def _same_length(expected: int, **sequences: Sequence[object]) -> None:
    for name, sequence in sequences.items():
        if len(sequence) != expected:
            raise ValueError(f"{name} has {len(sequence)} entries; expected {expected}")


def _named(ids: Sequence[str], labels: Sequence[str | None] | None) -> list[str]:
    """
    What to call each hypothesis: ``id (label)``, or the id alone when it has no label.

    The id stays because the tables and the text name hypotheses by id; the
    label says what the id stands for.
    """
    if labels is None:
        return [_label(i) for i in ids]
    _same_length(len(ids), labels=labels)
    return [
        _label(i if label is None or label in {"", i} else f"{i} ({label})")
        for i, label in zip(ids, labels, strict=True)
    ]


def _line_name(line: str | Sequence[str]) -> str:
    """A line of reporting named after its root with its repeats: ``E3 (+E10)``."""
    if isinstance(line, str):
        return _label(line)
    root, *repeats = line
    return _label(f"{root} (+{', '.join(repeats)})" if repeats else root)


def _width(text: str, size: float) -> float:
    """How wide ``text`` is drawn at ``size`` points, in points (inside :func:`_style`)."""
    from matplotlib.font_manager import FontProperties  # noqa: PLC0415 -- the optional extra
    from matplotlib.textpath import text_to_path  # noqa: PLC0415

    width, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return float(width)


def _line_height(size: float) -> float:
    """The height of a line of text at ``size`` points, with room for accents and descenders."""
    return 1.25 * size


def _tiers(spans: Sequence[tuple[float, float]], gap: float) -> list[int]:
    """
    A tier per span (0 the lowest) so that no two spans on one tier come within ``gap``.

    Greedy from left to right, each span on the lowest tier where it fits:
    labels side by side where there is room, stacked where there is not.
    """
    ends: list[float] = []
    tiers = [0] * len(spans)
    for k in sorted(range(len(spans)), key=lambda k: spans[k][0]):
        start, end = spans[k]
        tier = next((t for t, last in enumerate(ends) if last + gap <= start), len(ends))
        if tier == len(ends):
            ends.append(end)
        else:
            ends[tier] = end
        tiers[k] = tier
    return tiers


def _spread(centres: Sequence[float], size: float) -> list[float]:
    """
    Centres moved apart as little as may be so that consecutive ones are ``size`` apart.

    Labels in one column keep their order; a crowd is centred on where its
    labels wanted to be (clusters merged until none overlap).
    """
    order = sorted(range(len(centres)), key=lambda k: centres[k])
    # Each cluster: (first position in ``order``, number of labels, its first label's place).
    clusters: list[tuple[int, int, float]] = []
    for rank, k in enumerate(order):
        clusters.append((rank, 1, centres[k]))
        while len(clusters) > 1:
            first, count, start = clusters[-2]
            _, more, later = clusters[-1]
            if start + count * size <= later:
                break
            wanted = [
                centres[order[r]] - (r - first) * size for r in range(first, first + count + more)
            ]
            clusters[-2:] = [(first, count + more, sum(wanted) / len(wanted))]
    out = [0.0] * len(centres)
    for first, count, start in clusters:
        for r in range(first, first + count):
            out[order[r]] = start + (r - first) * size
    return out


def _thin(places: Sequence[float], spacing: float) -> list[bool]:
    """
    Which of the places, in increasing order, to label so that labels stay ``spacing`` apart.

    Greedy from the left, and the last place is always labelled (the latest date
    matters most), dropping the labels before it that would crowd it.
    """
    keep = [False] * len(places)
    last = -math.inf
    for k, place in enumerate(places):
        if place - last >= spacing:
            keep[k], last = True, place
    if places:
        end = len(places) - 1
        for k in range(end):
            if keep[k] and places[end] - places[k] < spacing:
                keep[k] = False
        keep[end] = True
    return keep


@overload
def posterior_bands(
    hypotheses: Sequence[str],
    posterior: Sequence[float],
    percentiles: Sequence[tuple[float, float, float]],
    *,
    scale: str = ...,
    labels: Sequence[str | None] | None = ...,
    format: Literal["svg"] = ...,
) -> str: ...


@overload
def posterior_bands(
    hypotheses: Sequence[str],
    posterior: Sequence[float],
    percentiles: Sequence[tuple[float, float, float]],
    *,
    scale: str = ...,
    labels: Sequence[str | None] | None = ...,
    format: Literal["png"],
) -> bytes: ...


def posterior_bands(
    hypotheses: Sequence[str],
    posterior: Sequence[float],
    percentiles: Sequence[tuple[float, float, float]],
    *,
    scale: str = "icd203",
    labels: Sequence[str | None] | None = None,
    format: str = "svg",  # noqa: A002 -- the name assess.report uses
) -> str | bytes:
    """
    Each hypothesis's posterior with its 5-95% band, over the estimative terms.

    One row per hypothesis, the first at the top: a dot at the posterior and a
    line from the 5th to the 95th percentile, on a 0-1 axis whose background
    shades the bands of ``scale`` alternately, with their terms along the top
    (stacked where a band is too narrow for its term).  The figures are also
    written out at the right of each row.

    Args:
        hypotheses: The hypotheses' ids, in the order to draw them.
        posterior: Each hypothesis's posterior probability.
        percentiles: Each hypothesis's 5th, 50th and 95th percentiles (the
            50th is not drawn).
        scale: The estimative scale, one of :data:`assess.methods.language.SCALES`.
        labels: Each hypothesis's label (:attr:`assess.Hypothesis.label`) or
            ``None``; a row is headed ``id (label)``.
        format: ``"svg"`` or ``"png"`` (:data:`FORMATS`).

    Returns:
        The chart as an SVG document (text) or a PNG image (bytes); "no
        evidence" when there are no hypotheses.

    Raises:
        ValueError: The sequences differ in length, a value is not a finite
            probability, or ``scale`` or ``format`` is unknown.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 ``labels``; terms no longer overlap; a dot at 0 or 1 is whole;
       ``format``.
    """
    render = _renderer(format)
    scale_bands = bands(scale)
    n = len(hypotheses)
    _same_length(n, posterior=posterior, percentiles=percentiles)
    names = _named(hypotheses, labels)
    points = _probabilities(posterior, "posterior")
    lows = _probabilities([p[0] for p in percentiles], "5th percentile")
    highs = _probabilities([p[2] for p in percentiles], "95th percentile")
    if n == 0:
        return _nothing("posterior", render)
    with _style("posterior"):
        plot_width, plot_height = 5.0, max(n * _ROW, 0.6)
        figure = _figure(7.5, plot_height + 2.0)
        ax = _axes(figure, 1.5, 0.6, plot_width, plot_height)
        terms = [_label(band.term) for band in scale_bands]
        centres = [(band.lower + band.upper) / 2 for band in scale_bands]
        # Terms written level, side by side where their bands are wide enough and
        # stacked where they are not (slanted text was hard to read and still collided).
        half = [_width(term, 8) / 2 for term in terms]
        tiers = _tiers(
            [
                (c * plot_width * _DPI - w, c * plot_width * _DPI + w)
                for c, w in zip(centres, half, strict=True)
            ],
            gap=6.0,
        )
        for i, band in enumerate(scale_bands):
            shade = _SHADES[i % 2]
            if band.upper > band.lower:
                ax.axvspan(band.lower, band.upper, color=shade, linewidth=0, zorder=0)
            else:  # a single point (Kent's "impossible" and "certain")
                ax.axvline(band.lower, color=_SHADES[1], linewidth=3, zorder=0)
            ax.annotate(
                terms[i],
                (centres[i], 1.0),
                xycoords=ax.get_xaxis_transform(),
                xytext=(0.0, 4.0 + tiers[i] * _line_height(8)),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                color=_INK,
                parse_math=False,
                annotation_clip=False,
            )
        rows = list(range(n))
        ax.hlines(rows, lows, highs, colors=_INK, linewidth=2, zorder=2, clip_on=False)
        # Unclipped, so that a dot at 0 or 1 is drawn whole over the axis edge.
        ax.plot(
            points,
            rows,
            linestyle="none",
            marker="o",
            markersize=6,
            color=_POINT,
            zorder=3,
            clip_on=False,
        )
        for row, (p, lo, hi) in enumerate(zip(points, lows, highs, strict=True)):
            ax.text(
                1.02,
                row,
                f"{p:.2f} ({lo:.2f}\N{EN DASH}{hi:.2f})",
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=8,
                color=_INK,
                parse_math=False,
            )
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(n - 0.5, -0.5)
        ticks = [i / 10 for i in range(11)]
        ax.set_xticks(ticks, labels=[f"{t:.1f}" for t in ticks], parse_math=False)
        ax.set_yticks(rows, labels=names, parse_math=False)
        # The tick labels clear a half dot hanging over the left edge at 0.
        ax.tick_params(axis="y", length=0, pad=6)
        ax.set_xlabel("probability", parse_math=False)
        return render(figure)


def _fill(text: str) -> tuple[str, str]:
    """The fill and text colours of a cell: by its rating, or neutral if analysts differ."""
    ratings = {part.strip().upper() for part in text.split("/")}
    if len(ratings) == 1:
        (rating,) = ratings
        if rating in _FILLS:
            return _FILLS[rating], "white" if rating in _DARK_FILLS else _INK
    return _MIXED, _INK


@overload
def matrix_heatmap(
    hypotheses: Sequence[str],
    items: Sequence[str],
    cells: Sequence[Sequence[str]],
    *,
    labels: Sequence[str | None] | None = ...,
    diagnosticity: Sequence[float] | None = ...,
    format: Literal["svg"] = ...,
) -> str: ...


@overload
def matrix_heatmap(
    hypotheses: Sequence[str],
    items: Sequence[str],
    cells: Sequence[Sequence[str]],
    *,
    labels: Sequence[str | None] | None = ...,
    diagnosticity: Sequence[float] | None = ...,
    format: Literal["png"],
) -> bytes: ...


def matrix_heatmap(
    hypotheses: Sequence[str],
    items: Sequence[str],
    cells: Sequence[Sequence[str]],
    *,
    labels: Sequence[str | None] | None = None,
    diagnosticity: Sequence[float] | None = None,
    format: str = "svg",  # noqa: A002 -- the name assess.report uses
) -> str | bytes:
    """
    The ACH matrix as a grid coloured by rating, with each rating written in its cell.

    Rows are the items, the most diagnostic at the top when ``diagnosticity``
    is given (ties, and every row without it, in the order given), and
    columns the hypotheses in the order given.  CC and C are greens, N and NA
    greys, I and II reds, and a cell where analysts differ ("C/I") a neutral
    sand colour; the text is drawn as well, so colour is never the only
    signal.  The legend below is never wider than the grid.

    The grid is one image, a pixel per cell, which SVG carries unsampled.  Up
    to :data:`MAX_LETTERED_ROWS` items, each row is a third of an inch high
    with its id and each cell's rating written in it; a longer matrix is an
    overview, a quarter of that chart's height, whose cells are too small to
    letter and whose rows carry no ids.

    Args:
        hypotheses: The hypotheses' ids, one per column.
        items: The items' ids, one per row.
        cells: One row of cell texts per item, one text per hypothesis: a
            rating ("CC", "C", "N", "I", "II", "NA") or several joined by "/".
        labels: Each hypothesis's label (:attr:`assess.Hypothesis.label`) or
            ``None``; a column is headed ``id (label)``.
        diagnosticity: Each item's diagnosticity (as
            :attr:`assess.methods.scoring.EvidenceScore.diagnosticity`), to order the
            rows by.
        format: ``"svg"`` or ``"png"`` (:data:`FORMATS`).

    Returns:
        The chart as an SVG document (text) or a PNG image (bytes); "no
        evidence" when there are no items (or no hypotheses).

    Raises:
        ValueError: ``cells`` does not have one row per item and one entry per
            hypothesis in each row, ``labels`` or ``diagnosticity`` has the
            wrong length, a diagnosticity is not a finite number, or the
            format is unknown.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 ``labels``, ``diagnosticity`` and ``format``.
    """
    render = _renderer(format)
    n, m = len(items), len(hypotheses)
    _same_length(n, cells=cells)
    for i, row in enumerate(cells):
        _same_length(m, **{f"cells[{i}]": row})
    headers = _named(hypotheses, labels)
    if diagnosticity is not None:
        _same_length(n, diagnosticity=diagnosticity)
        weights = _finite(diagnosticity, "diagnosticity")
        # sorted is stable: equally diagnostic items keep the order given.
        order = sorted(range(n), key=lambda i: -weights[i])
    else:
        order = list(range(n))
    if n == 0 or m == 0:
        return _nothing("matrix", render)
    import numpy as np  # noqa: PLC0415 -- with the optional extra, which needs it
    from matplotlib.colors import to_rgb  # noqa: PLC0415 -- the optional extra
    from matplotlib.patches import Patch  # noqa: PLC0415

    texts = [[_label(cell) for cell in cells[i]] for i in order]
    lettered = n <= MAX_LETTERED_ROWS
    # One image of the grid, a pixel per cell: one rgb triple per distinct text.
    colours: dict[str, tuple[float, float, float]] = {}
    for row in texts:
        for text in row:
            if text not in colours:
                colours[text] = to_rgb(_fill(text)[0])
    grid = np.array([[colours[text] for text in row] for row in texts], dtype=np.float64)
    with _style("matrix"):
        widest = max(_width(text, 8.5) for text in colours) if lettered else 0.0
        cell_width = max(0.55, (widest + 10.0) / _DPI)
        # Headers are level when each fits over its column, else upright (read
        # from below): slanted ones had boxes that overlapped their neighbours'.
        level = max(_width(h, 9) for h in headers) + 6.0 <= cell_width * _DPI
        entries = [text for _, text in _LEGEND] + ["C/I analysts differ"]
        ncols, legend_width = _legend_columns(entries, m * cell_width * _DPI)
        cell_width = max(cell_width, legend_width / _DPI / m)
        plot_width = m * cell_width
        plot_height = n * _ROW if lettered else MAX_LETTERED_ROWS * _ROW / 4
        figure = _figure(plot_width + 2.5, plot_height + 2.0)
        ax = _axes(figure, 2.0, 1.0, plot_width, plot_height)
        # Unsampled: SVG carries the grid itself, a pixel per cell, and the viewer scales it.
        ax.imshow(grid, interpolation="none", aspect="auto", extent=(0, m, n, 0))
        if lettered:
            ax.hlines(range(1, n), 0, m, colors="white", linewidths=1.5)
            ax.vlines(range(1, m), 0, n, colors="white", linewidths=1.5)
            for i, row in enumerate(texts):
                for j, text in enumerate(row):
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        text,
                        ha="center",
                        va="center",
                        fontsize=8.5,
                        color=_fill(text)[1],
                        parse_math=False,
                    )
        ax.set_xlim(0, m)
        ax.set_ylim(n, 0)
        ax.xaxis.tick_top()
        ax.set_xticks(
            [j + 0.5 for j in range(m)],
            labels=headers,
            parse_math=False,
            rotation=0 if level else 90,
            ha="center",
            va="bottom",
        )
        if lettered:
            ax.set_yticks([i + 0.5 for i in range(n)], labels=[_label(items[i]) for i in order])
            for tick in ax.get_yticklabels():
                tick.set_parse_math(False)
        else:
            ax.set_yticks([])
            ranked = "the most diagnostic first" if diagnosticity is not None else "as given"
            ax.set_ylabel(f"{n:,} items, {ranked}", fontsize=9)
        _hide_ticks(ax)
        handles = [
            Patch(facecolor=_FILLS[rating], edgecolor="#999999", label=text)
            for rating, text in _LEGEND
        ]
        handles.append(Patch(facecolor=_MIXED, edgecolor="#999999", label=entries[-1]))
        legend = ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.0, -0.02),
            ncols=ncols,
            fontsize=_LEGEND_SIZE,
            frameon=False,
            handlelength=_LEGEND_HANDLE,
            handletextpad=_LEGEND_PAD,
            columnspacing=_LEGEND_SPACING,
            borderpad=_LEGEND_BORDER,
        )
        for entry in legend.get_texts():
            entry.set_parse_math(False)
        return render(figure)


# The matrix legend's layout, in multiples of its font size as matplotlib takes them.
_LEGEND_SIZE: Final = 7.5
_LEGEND_HANDLE: Final = 1.2
_LEGEND_PAD: Final = 0.6
_LEGEND_SPACING: Final = 1.0
_LEGEND_BORDER: Final = 0.2


def _legend_columns(entries: Sequence[str], room: float) -> tuple[int, float]:
    """
    The most columns (at most four) for a legend of ``entries`` that fits in ``room`` points.

    Returns the number of columns and the legend's width in points (the width
    of one column when even one does not fit, so that the grid can be widened
    to it).  matplotlib fills a legend column by column, each as wide as its
    widest entry.
    """
    widths = [_width(entry, _LEGEND_SIZE) for entry in entries]
    em = _LEGEND_SIZE

    def width(ncols: int) -> float:
        # Split as numpy.array_split does, which is how matplotlib splits them.
        size, extra = divmod(len(widths), ncols)
        bounds = [c * size + min(c, extra) for c in range(ncols + 1)]
        columns = [widths[a:b] for a, b in itertools.pairwise(bounds) if b > a]
        return (
            # 3 points a column for how Agg rounds text wider than the font's metrics.
            sum((_LEGEND_HANDLE + _LEGEND_PAD) * em + max(column) + 3.0 for column in columns)
            + _LEGEND_SPACING * em * (len(columns) - 1)
            + 2 * _LEGEND_BORDER * em
            + 4.0  # slack for rounding in the renderer
        )

    ncols = next((k for k in range(4, 1, -1) if width(k) <= room), 1)
    return ncols, width(ncols)


@overload
def tornado(
    leader: str,
    items: Sequence[str | Sequence[str]],
    deltas: Sequence[float],
    *,
    label: str | None = ...,
    format: Literal["svg"] = ...,
) -> str: ...


@overload
def tornado(
    leader: str,
    items: Sequence[str | Sequence[str]],
    deltas: Sequence[float],
    *,
    label: str | None = ...,
    format: Literal["png"],
) -> bytes: ...


def tornado(
    leader: str,
    items: Sequence[str | Sequence[str]],
    deltas: Sequence[float],
    *,
    label: str | None = None,
    format: str = "svg",  # noqa: A002 -- the name assess.report uses
) -> str | bytes:
    """
    How much leaving out each line of reporting moves the leader's posterior, largest first.

    Horizontal bars, the largest change in absolute value at the top, at most
    :data:`MAX_BARS` of them (ties keep the order given).  Rises and falls have
    different colours, and each bar's signed change is written at its end.
    A line is named after its root with its repeats in brackets, ``E3
    (+E10)``, as :attr:`assess.analysis.Analysis.linchpins` lists them.

    Args:
        leader: The leading hypothesis's id, named in the title.
        items: The lines left out, one per bar: each line's members, its
            root first (:attr:`assess.methods.sensitivity.Linchpin.members`), or a
            name to write as it is.
        deltas: The change in the leader's posterior when each is left out.
        label: The leader's label (:attr:`assess.Hypothesis.label`), if any;
            the title then names it ``id (label)``.
        format: ``"svg"`` or ``"png"`` (:data:`FORMATS`).

    Returns:
        The chart as an SVG document (text) or a PNG image (bytes); "no
        evidence" when there are no items.

    Raises:
        ValueError: ``items`` and ``deltas`` differ in length, a line has no
            members, a change is not a finite number, or the format is unknown.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 lines given by their members are named ``E3 (+E10)``; ``label``;
       ``format``.
    """
    render = _renderer(format)
    _same_length(len(items), deltas=deltas)
    changes = _finite(deltas, "delta")
    for k, line in enumerate(items):
        if not isinstance(line, str) and not line:
            raise ValueError(f"line {k} has no members")
    (title,) = _named([leader], [label])
    if not items:
        return _nothing("tornado", render)
    # sorted is stable, so equal |delta| keep the order given.
    order = sorted(range(len(changes)), key=lambda i: -abs(changes[i]))[:MAX_BARS]
    shown = [changes[i] for i in order]
    k = len(order)
    with _style("tornado"):
        plot_height = max(k * _ROW, 0.6)
        figure = _figure(7.0, plot_height + 1.5)
        ax = _axes(figure, 2.0, 0.6, 4.5, plot_height)
        rows = list(range(k))
        colours = [_FALL if d < 0 else _RISE for d in shown]
        ax.barh(rows, shown, height=0.6, color=colours, zorder=2)
        ax.axvline(0.0, color=_INK, linewidth=0.8, zorder=3)
        reach = max(abs(d) for d in shown) or 0.01
        for row, d in enumerate(shown):
            side = 1.0 if d >= 0 else -1.0  # -0.0 >= 0, so a zero is drawn as a rise
            ax.text(
                d + side * 0.03 * reach,
                row,
                f"{d + 0.0:+.3f}",  # + 0.0 turns -0.0 into 0.0: "+0.000", never "-0.000"
                ha="left" if side > 0 else "right",
                va="center",
                fontsize=8,
                color=_INK,
                parse_math=False,
            )
        ax.set_xlim(-1.4 * reach, 1.4 * reach)
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_yticks(rows, labels=[_line_name(items[i]) for i in order], parse_math=False)
        ax.tick_params(axis="y", length=0)
        ax.spines[["top", "right", "left"]].set_visible(False)
        note = f" ({k} largest of {len(changes)})" if len(changes) > k else ""
        ax.set_xlabel(f"change in posterior when the line is left out{note}", parse_math=False)
        ax.set_title(f"What moves {title}'s posterior", parse_math=False, loc="left")
        return render(figure)


@overload
def timeline(
    steps: Sequence[str],
    hypotheses: Sequence[str],
    posteriors: Sequence[Sequence[float]],
    *,
    scale: str = ...,
    format: Literal["svg"] = ...,
    labels: Sequence[str | None] | None = ...,
) -> str: ...


@overload
def timeline(
    steps: Sequence[str],
    hypotheses: Sequence[str],
    posteriors: Sequence[Sequence[float]],
    *,
    scale: str = ...,
    format: Literal["png"],
    labels: Sequence[str | None] | None = ...,
) -> bytes: ...


def timeline(
    steps: Sequence[str],
    hypotheses: Sequence[str],
    posteriors: Sequence[Sequence[float]],
    *,
    scale: str = "icd203",
    format: str = "svg",  # noqa: A002 -- the name assess.report uses
    labels: Sequence[str | None] | None = None,
) -> str | bytes:
    """
    Each hypothesis's posterior after each step of a replay, over the estimative bands.

    One line per hypothesis (its own colour and marker) on a 0-1 axis whose
    background shades the bands of ``scale`` with their terms at the right.
    Steps stand at their dates, so that two days apart look close and a year
    apart far; a step whose label is not an ISO date (``undated``) stands at
    the left, before the first date, with its own tick.  Dates too close to
    label apart keep their point and tick but lose their label (the last date
    always keeps its own).

    Args:
        steps: The label of each step ("undated" or a date, ``2017-09-01``).
        hypotheses: The hypotheses' ids.
        posteriors: For each step, each hypothesis's posterior.
        scale: The estimative scale, one of :data:`assess.methods.language.SCALES`.
        format: ``"svg"`` or ``"png"`` (:data:`FORMATS`).
        labels: Each hypothesis's label (:attr:`assess.Hypothesis.label`) or
            ``None``; the legend names a hypothesis ``id (label)``.

    Returns:
        The chart as an SVG document (text) or a PNG image (bytes); "no
        evidence" when there are no steps.

    Raises:
        ValueError: A row of ``posteriors`` does not match ``hypotheses``, the
            rows do not match ``steps``, a value is not a probability, or the
            format is unknown.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 steps stand at their dates; ``labels``.
    """
    render = _renderer(format)
    scale_bands = bands(scale)
    _same_length(len(steps), posteriors=posteriors)
    rows = [_probabilities(row, f"posteriors of step {k}") for k, row in enumerate(posteriors)]
    for row in rows:
        _same_length(len(hypotheses), posteriors=row)
    names = _named(hypotheses, labels)
    if not steps or not hypotheses:
        return _nothing("timeline", render)
    n = len(steps)
    xs, undated = _step_places(steps)
    with _style("timeline"):
        plot_width = max(4.0, min(0.6 * n, 9.0))
        figure = _figure(plot_width + 3.5, 4.2)
        ax = _axes(figure, 0.7, 1.2, plot_width, 2.8)
        terms = [_label(band.term) for band in scale_bands]
        # Band terms at the right, moved apart where narrow bands crowd them.
        places = _spread(
            [(band.lower + band.upper) / 2 * 2.8 * _DPI for band in scale_bands],
            _line_height(7),
        )
        for i, band in enumerate(scale_bands):
            if band.upper > band.lower:
                ax.axhspan(band.lower, band.upper, color=_SHADES[i % 2], linewidth=0, zorder=0)
            else:
                ax.axhline(band.lower, color=_SHADES[1], linewidth=3, zorder=0)
            ax.annotate(
                terms[i],
                (1.0, places[i] / (2.8 * _DPI)),
                xycoords="axes fraction",
                xytext=(4.0, 0.0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=7,
                color=_INK,
                parse_math=False,
                annotation_clip=False,
            )
        for j, name in enumerate(names):
            ax.plot(
                xs,
                [row[j] for row in rows],
                color=_LINES[j % len(_LINES)],
                marker=_MARKERS[j % len(_MARKERS)],
                markersize=5,
                linewidth=1.5,
                label=name,
                zorder=2,
                clip_on=False,  # a point at 0 or 1 is drawn whole
            )
        low, high = min(xs), max(xs)
        margin = max(high - low, 1.0) * 0.04
        ax.set_xlim(low - margin, high + margin)
        ax.set_ylim(0.0, 1.0)
        if 0 < undated < n:
            # Where the undated steps end and the dated ones begin.
            ax.axvline(
                min(xs) / (2 * undated),  # half a gap before the first date
                color="#999999",
                linewidth=0.8,
                linestyle=":",
                zorder=1,
            )
        # Upright labels, one line of text wide, so that the most of them fit;
        # those that would still touch a neighbour are left off.
        tick_labels = [_label(step) for step in steps]
        per_unit = plot_width * _DPI / (high - low + 2 * margin)
        keep = _thin([x * per_unit for x in xs], _line_height(9) + 2.0)
        ax.set_xticks(
            xs,
            labels=[text if kept else "" for text, kept in zip(tick_labels, keep, strict=True)],
            parse_math=False,
            rotation=90,
        )
        ax.set_ylabel("posterior", parse_math=False)
        from matplotlib.transforms import ScaledTranslation  # noqa: PLC0415

        # The legend goes below the longest date label, whatever its length.
        below = max(_width(text, 9) for text in tick_labels) + 14.0
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            bbox_transform=ax.transAxes
            + ScaledTranslation(0.0, -below / _DPI, figure.dpi_scale_trans),
            ncols=min(len(hypotheses), 3),
            frameon=False,
            fontsize=8,
        )
        return render(figure)


def _step_places(steps: Sequence[str]) -> tuple[list[float], int]:
    """
    Where each step stands on the x axis, in days after the first date, and how many are undated.

    Dated steps stand at their dates.  Undated ones (a replay gives at most
    one, first) stand at the left in the order given, a tenth of the span (at
    least a day) apart and before the first date, so each has its own place;
    when no step is dated, the steps are a day apart.
    """
    dates: list[dt.date | None] = []
    for step in steps:
        try:
            dates.append(dt.date.fromisoformat(step.strip()))
        except ValueError:
            dates.append(None)
    known = [d for d in dates if d is not None]
    if not known:
        return [float(k) for k in range(len(steps))], len(steps)
    first = min(known)
    span = float((max(known) - first).days)
    gap = max(span / 10, 1.0)
    # Undated steps stand at the left, a gap apart, in the order given.
    undated = sum(d is None for d in dates)
    waiting = itertools.count(undated, -1)
    places = [float((d - first).days) if d is not None else -gap * next(waiting) for d in dates]
    return places, undated


@overload
def reliability_diagram(
    mean_forecast: Sequence[float],
    observed: Sequence[float],
    count: Sequence[int],
    *,
    format: Literal["svg"] = ...,
) -> str: ...


@overload
def reliability_diagram(
    mean_forecast: Sequence[float],
    observed: Sequence[float],
    count: Sequence[int],
    *,
    format: Literal["png"],
) -> bytes: ...


def reliability_diagram(
    mean_forecast: Sequence[float],
    observed: Sequence[float],
    count: Sequence[int],
    *,
    format: str = "svg",  # noqa: A002 -- the name assess.report uses
) -> str | bytes:
    """
    Observed frequency against mean forecast per bin, with the diagonal of perfect calibration.

    Points above the diagonal are forecasts that were too low, below it too
    high.  Each point is labelled with how many forecasts its bin holds;
    empty bins (count 0) are left out.

    Args:
        mean_forecast: Each bin's mean forecast probability.
        observed: Each bin's observed frequency of the event.
        count: Each bin's number of forecasts.
        format: ``"svg"`` or ``"png"`` (:data:`FORMATS`).

    Returns:
        The chart as an SVG document (text) or a PNG image (bytes); "no
        evidence" when every bin is empty.

    Raises:
        ValueError: The sequences differ in length, a non-empty bin's value
            is not a probability, or the format is unknown.

    .. versionadded:: 0.1
    """
    render = _renderer(format)
    _same_length(len(count), mean_forecast=mean_forecast, observed=observed)
    shown = [k for k, n in enumerate(count) if n > 0]
    xs = _probabilities([mean_forecast[k] for k in shown], "mean forecast")
    ys = _probabilities([observed[k] for k in shown], "observed frequency")
    if not shown:
        return _nothing("reliability", render)
    with _style("reliability"):
        side = 3.8
        figure = _figure(5.0, 5.0)
        ax = _axes(figure, 0.8, 0.7, side, side)
        ax.plot([0, 1], [0, 1], color=_SHADES[1], linewidth=1.5, zorder=1)
        ax.plot(
            xs,
            ys,
            color=_POINT,
            marker="o",
            markersize=6,
            linewidth=1.2,
            zorder=3,
            clip_on=False,  # a bin at 0 or 1 is drawn whole
        )
        counts = [str(int(count[k])) for k in shown]
        spots = _count_places(
            [(x * side * _DPI, y * side * _DPI) for x, y in zip(xs, ys, strict=True)],
            [(_width(text, 8), _line_height(8)) for text in counts],
            side * _DPI,
        )
        for x, y, text, (dx, dy) in zip(xs, ys, counts, spots, strict=True):
            far = math.hypot(dx, dy) > 16.0
            ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=8,
                color=_INK,
                parse_math=False,
                annotation_clip=False,
                # A count set away from its point is tied to it by a hairline.
                arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.5}
                if far
                else None,
            )
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(0.0, 1.0)
        ax.set_aspect("equal")
        ax.set_xlabel("mean forecast probability", parse_math=False)
        ax.set_ylabel("observed frequency", parse_math=False)
        ax.set_title("Reliability diagram (n per bin)", parse_math=False, loc="left")
        return render(figure)


_Box = tuple[float, float, float, float]  # left, bottom, right, top, in points


def _apart(a: _Box, b: _Box) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def _count_places(
    points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], side: float
) -> list[tuple[float, float]]:
    """
    Where to write each point's count, as the offset of its lower left corner in points.

    Each count takes the first place, nearest first, that stays inside the
    plot and clear of every point and of the counts already placed, so that
    "1" and "2" of neighbouring bins never run together as "12".
    """
    dot = 4.0  # a marker's radius, and a little air
    air = 4.0
    taken: list[_Box] = [(x - dot, y - dot, x + dot, y + dot) for x, y in points]
    out: list[tuple[float, float]] = []
    for (x, y), (w, h) in zip(points, sizes, strict=True):
        candidates = [
            (dx if sx > 0 else -dx - w, dy if sy > 0 else -dy - h)
            for reach in (4.0, 10.0, 18.0, 28.0, 40.0, 56.0)
            for dx, dy in ((reach, reach), (reach, 0.0), (0.0, reach))
            for sx, sy in ((1, 1), (1, -1), (-1, 1), (-1, -1))
        ]
        spot = next(
            (
                (dx, dy)
                for dx, dy in candidates
                if x + dx >= 0.0
                and x + dx + w <= side
                and y + dy >= 0.0
                and y + dy + h <= side
                and all(_apart((x + dx, y + dy, x + dx + w, y + dy + h), box) for box in taken)
            ),
            candidates[0],
        )
        out.append(spot)
        # Counts keep a space between them, so that "1" and "2" do not read "1 2" either.
        left, bottom = x + spot[0], y + spot[1]
        taken.append((left - air, bottom - air, left + w + air, bottom + h + air))
    return out


def timeline_chart(result: Timeline, *, format: str = "svg") -> str | bytes:  # noqa: A002
    """
    A replay's posteriors over its steps (:func:`timeline`), as SVG text or PNG bytes.

    Needs the ``plots`` extra.

    .. versionadded:: 0.1
    """
    steps = [step.label for step in result.steps]
    posteriors = [[step.posteriors[h] for h in result.hypotheses] for step in result.steps]
    if format == "png":
        return timeline(steps, result.hypotheses, posteriors, format="png")
    if format == "svg":
        return timeline(steps, result.hypotheses, posteriors)
    raise ValueError(f"unknown chart format {format!r}; expected one of svg, png")
