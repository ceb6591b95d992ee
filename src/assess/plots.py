"""
Charts for reports, as SVG text: posterior bands, the ACH matrix, a tornado.

The charts that ``--plot`` writes (the timeline and the reliability diagram)
can also be drawn as PNG, for places that do not show SVG.

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
import hashlib
import importlib
import io
import math
import re
from typing import TYPE_CHECKING, Final, Literal, TypeVar, overload

from assess.language import bands

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FORMATS",
    "available",
    "matrix_heatmap",
    "posterior_bands",
    "reliability_diagram",
    "timeline",
    "tornado",
]

#: The longest label drawn in full; longer ones end in an ellipsis.
MAX_LABEL: Final = 40
#: The most bars a tornado shows.
MAX_BARS: Final = 10
NO_EVIDENCE: Final = "no evidence"

#: The formats :func:`timeline` and :func:`reliability_diagram` can draw.
FORMATS: Final = ("svg", "png")

_DPI: Final = 72  # SVG user units are points: one unit per pixel at 72 dpi
_PNG_DPI: Final = 144  # two pixels a point, so that a PNG stays sharp on dense screens
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


@contextlib.contextmanager
def _style(chart: str) -> Iterator[None]:
    """Draw with matplotlib's default style plus ours, restored on exit."""
    import matplotlib as mpl  # noqa: PLC0415 -- the optional extra
    import matplotlib.style  # noqa: PLC0415

    # The default style first, so that a user's matplotlibrc cannot change a byte.
    with (
        mpl.style.context("default"),
        mpl.rc_context(
            {
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
        ),
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
    buffer = io.StringIO()
    figure.canvas.print_figure(
        buffer,
        format="svg",
        dpi=_DPI,
        # Without these the SVG carries the date and matplotlib's version.
        metadata={"Date": None, "Creator": None},
        # Long labels grow the picture rather than being cut off.
        bbox_inches="tight",
        pad_inches=0.1,
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
        dpi=_PNG_DPI,
        # matplotlib writes its version as "Software" unless told not to.
        metadata={"Software": None},
        bbox_inches="tight",
        pad_inches=0.1,
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


def posterior_bands(
    hypotheses: Sequence[str],
    posterior: Sequence[float],
    percentiles: Sequence[tuple[float, float, float]],
    *,
    scale: str = "icd203",
) -> str:
    """
    Each hypothesis's posterior with its 5-95% band, over the estimative terms.

    One row per hypothesis, the first at the top: a dot at the posterior and a
    line from the 5th to the 95th percentile, on a 0-1 axis whose background
    shades the bands of ``scale`` alternately, with their terms along the top.
    The figures are also written out at the right of each row.

    Args:
        hypotheses: The hypotheses' ids, in the order to draw them.
        posterior: Each hypothesis's posterior probability.
        percentiles: Each hypothesis's 5th, 50th and 95th percentiles (the
            50th is not drawn).
        scale: The estimative scale, one of :data:`assess.language.SCALES`.

    Returns:
        The chart as an SVG document; "no evidence" when there are no
        hypotheses.

    Raises:
        ValueError: The sequences differ in length, a value is not a finite
            probability, or ``scale`` is unknown.

    .. versionadded:: 0.1
    """
    scale_bands = bands(scale)
    n = len(hypotheses)
    _same_length(n, posterior=posterior, percentiles=percentiles)
    points = _probabilities(posterior, "posterior")
    lows = _probabilities([p[0] for p in percentiles], "5th percentile")
    highs = _probabilities([p[2] for p in percentiles], "95th percentile")
    if n == 0:
        return _nothing("posterior", _svg)
    with _style("posterior"):
        plot_width, plot_height = 5.0, max(n * _ROW, 0.6)
        figure = _figure(7.5, plot_height + 2.0)
        ax = _axes(figure, 1.5, 0.6, plot_width, plot_height)
        for i, band in enumerate(scale_bands):
            shade = _SHADES[i % 2]
            if band.upper > band.lower:
                ax.axvspan(band.lower, band.upper, color=shade, linewidth=0, zorder=0)
            else:  # a single point (Kent's "impossible" and "certain")
                ax.axvline(band.lower, color=_SHADES[1], linewidth=3, zorder=0)
            ax.text(
                (band.lower + band.upper) / 2,
                1.02,
                _label(band.term),
                transform=ax.get_xaxis_transform(),
                rotation=45,
                rotation_mode="anchor",
                ha="left",
                va="bottom",
                fontsize=8,
                color=_INK,
                parse_math=False,
            )
        rows = list(range(n))
        ax.hlines(rows, lows, highs, colors=_INK, linewidth=2, zorder=2)
        ax.plot(points, rows, linestyle="none", marker="o", markersize=6, color=_POINT, zorder=3)
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
        ax.set_yticks(rows, labels=[_label(h) for h in hypotheses], parse_math=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("probability", parse_math=False)
        return _svg(figure)


def _fill(text: str) -> tuple[str, str]:
    """The fill and text colours of a cell: by its rating, or neutral if analysts differ."""
    ratings = {part.strip().upper() for part in text.split("/")}
    if len(ratings) == 1:
        (rating,) = ratings
        if rating in _FILLS:
            return _FILLS[rating], "white" if rating in _DARK_FILLS else _INK
    return _MIXED, _INK


def matrix_heatmap(
    hypotheses: Sequence[str],
    items: Sequence[str],
    cells: Sequence[Sequence[str]],
) -> str:
    """
    The ACH matrix as a grid coloured by rating, with each rating written in its cell.

    Rows are the items and columns the hypotheses, in the order given.  CC and
    C are greens, N and NA greys, I and II reds, and a cell where analysts
    differ ("C/I") a neutral sand colour; the text is always drawn as well, so
    colour is never the only signal.

    Args:
        hypotheses: The hypotheses' ids, one per column.
        items: The items' ids, one per row.
        cells: One row of cell texts per item, one text per hypothesis: a
            rating ("CC", "C", "N", "I", "II", "NA") or several joined by "/".

    Returns:
        The chart as an SVG document; "no evidence" when there are no items
        (or no hypotheses).

    Raises:
        ValueError: ``cells`` does not have one row per item and one entry per
            hypothesis in each row.

    .. versionadded:: 0.1
    """
    n, m = len(items), len(hypotheses)
    _same_length(n, cells=cells)
    for i, row in enumerate(cells):
        _same_length(m, **{f"cells[{i}]": row})
    if n == 0 or m == 0:
        return _nothing("matrix", _svg)
    from matplotlib.collections import PatchCollection  # noqa: PLC0415 -- the optional extra
    from matplotlib.patches import Patch, Rectangle  # noqa: PLC0415

    texts = [[_label(cell) for cell in row] for row in cells]
    longest = max(len(text) for row in texts for text in row)
    cell_width = max(0.55, 0.09 * longest + 0.25)
    with _style("matrix"):
        plot_width, plot_height = m * cell_width, n * _ROW
        figure = _figure(plot_width + 2.5, plot_height + 2.0)
        ax = _axes(figure, 2.0, 1.0, plot_width, plot_height)
        squares: list[Rectangle] = []
        fills: list[str] = []
        for i, row in enumerate(texts):
            for j, text in enumerate(row):
                fill, ink = _fill(text)
                squares.append(Rectangle((j, i), 1, 1))
                fills.append(fill)
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    text,
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color=ink,
                    parse_math=False,
                )
        # One collection, not a patch per cell: a third faster on a large matrix.
        ax.add_collection(
            PatchCollection(squares, facecolors=fills, edgecolors="white", linewidths=1.5),
            autolim=False,
        )
        ax.set_xlim(0, m)
        ax.set_ylim(n, 0)
        ax.xaxis.tick_top()
        headers = [_label(h) for h in hypotheses]
        slanted = max(len(h) for h in headers) * 0.075 > cell_width
        ax.set_xticks(
            [j + 0.5 for j in range(m)],
            labels=headers,
            parse_math=False,
            rotation=45 if slanted else 0,
            rotation_mode="anchor",
            ha="left" if slanted else "center",
        )
        ax.set_yticks([i + 0.5 for i in range(n)], labels=[_label(t) for t in items])
        for tick in ax.get_yticklabels():
            tick.set_parse_math(False)
        _hide_ticks(ax)
        handles = [
            Patch(facecolor=_FILLS[rating], edgecolor="#999999", label=text)
            for rating, text in _LEGEND
        ]
        handles.append(Patch(facecolor=_MIXED, edgecolor="#999999", label="C/I analysts differ"))
        legend = ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.0, -0.02),
            ncols=4,
            fontsize=7.5,
            frameon=False,
            handlelength=1.2,
            columnspacing=1.0,
        )
        for entry in legend.get_texts():
            entry.set_parse_math(False)
        return _svg(figure)


def tornado(leader: str, items: Sequence[str], deltas: Sequence[float]) -> str:
    """
    How much removing each item moves the leader's posterior, largest first.

    Horizontal bars, the largest change in absolute value at the top, at most
    :data:`MAX_BARS` of them (ties keep the order given).  Rises and falls have
    different colours, and each bar's signed change is written at its end.

    Args:
        leader: The leading hypothesis's id, named in the title.
        items: The items (or cluster labels) removed, one per bar.
        deltas: The change in the leader's posterior when each is removed.

    Returns:
        The chart as an SVG document; "no evidence" when there are no items.

    Raises:
        ValueError: ``items`` and ``deltas`` differ in length, or a change is
            not a finite number.

    .. versionadded:: 0.1
    """
    _same_length(len(items), deltas=deltas)
    changes = _finite(deltas, "delta")
    if not items:
        return _nothing("tornado", _svg)
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
        ax.set_yticks(rows, labels=[_label(items[i]) for i in order], parse_math=False)
        ax.tick_params(axis="y", length=0)
        ax.spines[["top", "right", "left"]].set_visible(False)
        note = f" ({k} largest of {len(changes)})" if len(changes) > k else ""
        ax.set_xlabel(f"change in posterior when removed{note}", parse_math=False)
        ax.set_title(f"What moves {_label(leader)}'s posterior", parse_math=False, loc="left")
        return _svg(figure)


@overload
def timeline(
    steps: Sequence[str],
    hypotheses: Sequence[str],
    posteriors: Sequence[Sequence[float]],
    *,
    scale: str = ...,
    format: Literal["svg"] = ...,
) -> str: ...


@overload
def timeline(
    steps: Sequence[str],
    hypotheses: Sequence[str],
    posteriors: Sequence[Sequence[float]],
    *,
    scale: str = ...,
    format: Literal["png"],
) -> bytes: ...


def timeline(
    steps: Sequence[str],
    hypotheses: Sequence[str],
    posteriors: Sequence[Sequence[float]],
    *,
    scale: str = "icd203",
    format: str = "svg",  # noqa: A002 -- the name assess.report uses
) -> str | bytes:
    """
    Each hypothesis's posterior after each step of a replay, over the estimative bands.

    One line per hypothesis (its own colour and marker), steps evenly spaced
    from left to right and labelled with their dates, on a 0-1 axis whose
    background shades the bands of ``scale`` with their terms at the right.

    Args:
        steps: The label of each step ("undated" or a date).
        hypotheses: The hypotheses' ids.
        posteriors: For each step, each hypothesis's posterior.
        scale: The estimative scale, one of :data:`assess.language.SCALES`.
        format: ``"svg"`` or ``"png"`` (:data:`FORMATS`).

    Returns:
        The chart as an SVG document (text) or a PNG image (bytes); "no
        evidence" when there are no steps.

    Raises:
        ValueError: A row of ``posteriors`` does not match ``hypotheses``, the
            rows do not match ``steps``, a value is not a probability, or the
            format is unknown.

    .. versionadded:: 0.1
    """
    render = _renderer(format)
    scale_bands = bands(scale)
    _same_length(len(steps), posteriors=posteriors)
    rows = [_probabilities(row, f"posteriors of step {k}") for k, row in enumerate(posteriors)]
    for row in rows:
        _same_length(len(hypotheses), posteriors=row)
    if not steps or not hypotheses:
        return _nothing("timeline", render)
    n = len(steps)
    with _style("timeline"):
        plot_width = max(4.0, min(0.6 * n, 9.0))
        figure = _figure(plot_width + 3.5, 4.2)
        ax = _axes(figure, 0.7, 1.2, plot_width, 2.8)
        for i, band in enumerate(scale_bands):
            if band.upper > band.lower:
                ax.axhspan(band.lower, band.upper, color=_SHADES[i % 2], linewidth=0, zorder=0)
            else:
                ax.axhline(band.lower, color=_SHADES[1], linewidth=3, zorder=0)
            ax.text(
                1.01,
                (band.lower + band.upper) / 2,
                _label(band.term),
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=7,
                color=_INK,
                parse_math=False,
            )
        xs = list(range(n))
        for j, hypothesis in enumerate(hypotheses):
            ax.plot(
                xs,
                [row[j] for row in rows],
                color=_LINES[j % len(_LINES)],
                marker=_MARKERS[j % len(_MARKERS)],
                markersize=5,
                linewidth=1.5,
                label=_label(hypothesis),
                zorder=2,
            )
        ax.set_xlim(-0.3, n - 0.7)
        ax.set_ylim(0.0, 1.0)
        ax.set_xticks(xs, labels=[_label(s) for s in steps], parse_math=False)
        for tick in ax.get_xticklabels():
            tick.set_rotation(45)
            tick.set_horizontalalignment("right")
            tick.set_rotation_mode("anchor")
        ax.set_ylabel("posterior", parse_math=False)
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(0.0, -0.32),
            ncols=min(len(hypotheses), 6),
            frameon=False,
            fontsize=8,
        )
        return render(figure)


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
        figure = _figure(5.0, 5.0)
        ax = _axes(figure, 0.8, 0.7, 3.8, 3.8)
        ax.plot([0, 1], [0, 1], color=_SHADES[1], linewidth=1.5, zorder=1)
        ax.plot(xs, ys, color=_POINT, marker="o", markersize=6, linewidth=1.2, zorder=3)
        for x, y, k in zip(xs, ys, shown, strict=True):
            ax.annotate(
                str(int(count[k])),
                (x, y),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
                color=_INK,
                parse_math=False,
            )
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(0.0, 1.0)
        ax.set_aspect("equal")
        ax.set_xlabel("mean forecast probability", parse_math=False)
        ax.set_ylabel("observed frequency", parse_math=False)
        ax.set_title("Reliability diagram (n per bin)", parse_math=False, loc="left")
        return render(figure)
