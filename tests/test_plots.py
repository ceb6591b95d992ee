"""Plots: well-formed, byte-identical SVG from hostile labels, and the charts' contents."""

from __future__ import annotations

import base64
import collections
import functools
import io
import itertools
import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from matplotlib.text import Text

import assess
from assess.history.timeline import timeline as replay
from assess.methods.language import bands
from assess.views import plots, reporting

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

WORKED = Path(__file__).parent.parent / "assessments" / "russia-taliban-support.yaml"

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ("<script>alert(1)</script>", "$x$", "a & b", "back\\slash_{1}", "two\nlines")

# Literal arguments, so that a subprocess can rebuild them from their repr.
POSTERIOR = (
    ("H1", "H2", "H3"),
    (0.62, 0.3, 0.08),
    ((0.41, 0.6, 0.8), (0.12, 0.31, 0.5), (0.0, 0.07, 0.2)),
)
MATRIX = (
    ("H1", "H2", "H3"),
    ("E1", "E2", "E3"),
    (("CC", "C", "N"), ("I", "II", "NA"), ("C/I", "N/NA", "CC/CC")),
)
TORNADO = (
    "H3",
    tuple(f"E{i:02d}" for i in range(14)),
    (0.01, -0.2, 0.2, 0.05, -0.05, 0.0, 0.3, -0.001, 0.12, -0.07, 0.09, 0.002, -0.15, 0.03),
)
#: TORNADO's items by |delta|, largest first, equal |delta| in the order given.
TORNADO_ORDER = ["E06", "E01", "E02", "E12", "E08", "E10", "E09", "E03", "E04", "E13"]
SCRIPT = f"""
import json
from assess.views import plots
print(json.dumps([
    plots.posterior_bands(*{POSTERIOR!r}),
    plots.matrix_heatmap(*{MATRIX!r}),
    plots.tornado(*{TORNADO!r}),
]))
"""

Chart = Callable[[], str]
CHARTS: dict[str, Chart] = {
    "posterior_bands": lambda: plots.posterior_bands(*POSTERIOR),
    "matrix_heatmap": lambda: plots.matrix_heatmap(*MATRIX),
    "tornado": lambda: plots.tornado(*TORNADO),
}
HOSTILE_CHARTS: dict[str, Chart] = {
    "posterior_bands": lambda: plots.posterior_bands(
        HOSTILE, [0.5] * len(HOSTILE), [(0.1, 0.5, 0.9)] * len(HOSTILE)
    ),
    "matrix_heatmap": lambda: plots.matrix_heatmap(
        HOSTILE, HOSTILE, [["C"] * len(HOSTILE)] * len(HOSTILE)
    ),
    "tornado": lambda: plots.tornado(HOSTILE[0], HOSTILE, [0.1] * len(HOSTILE)),
}
EMPTY_CHARTS: dict[str, Chart] = {
    "posterior_bands": lambda: plots.posterior_bands([], [], []),
    "matrix_heatmap": lambda: plots.matrix_heatmap(["H1", "H2"], [], []),
    "tornado": lambda: plots.tornado("H1", [], []),
}


def root(svg: str) -> ET.Element:
    """The parsed SVG document's root element, checked to be an <svg>."""
    element = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 -- our own output
    assert element.tag == f"{SVG}svg"
    return element


def texts(svg: str) -> list[str]:
    """The text of every <text> element, in document order."""
    return ["".join(e.itertext()) for e in root(svg).iter(f"{SVG}text")]


def grid_image(svg: str) -> np.ndarray:
    """The pixels of the one image an SVG chart embeds (rows x columns x channels)."""
    (image,) = root(svg).iter(f"{SVG}image")
    link = image.get("{http://www.w3.org/1999/xlink}href") or image.get("href") or ""
    data = base64.b64decode(link.split("base64,", 1)[1])
    pixels: np.ndarray = mpl.image.imread(io.BytesIO(data), format="png")
    return pixels


def test_available() -> None:
    """available() is True where matplotlib imports."""
    assert plots.available() is True


@pytest.mark.parametrize("name", CHARTS)
def test_well_formed(name: str) -> None:
    """Each chart is a well-formed SVG document whose text stays text (no glyph paths)."""
    svg = CHARTS[name]()
    assert texts(svg)
    assert "<!--" not in svg.split("<svg", 1)[1]  # text drawn as paths comes with comments


@pytest.mark.parametrize("name", CHARTS)
def test_same_bytes_twice(name: str) -> None:
    """Two calls with the same input give the same bytes."""
    assert CHARTS[name]() == CHARTS[name]()


@pytest.mark.parametrize("name", CHARTS)
def test_no_varying_metadata(name: str) -> None:
    """The SVG carries no date and no matplotlib version."""
    svg = CHARTS[name]()
    assert "<dc:date>" not in svg
    assert mpl.__version__ not in svg


@pytest.mark.parametrize("seed", ["0", "4242"])
def test_same_bytes_in_another_process(seed: str, tmp_path: Path) -> None:
    """Another interpreter, another PYTHONHASHSEED and a hostile matplotlibrc change no byte."""
    rc = tmp_path / "matplotlibrc"
    rc.write_text(
        "font.size: 20\nsvg.fonttype: path\naxes.facecolor: black\ntext.usetex: False\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONHASHSEED": seed, "MATPLOTLIBRC": str(rc)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(done.stdout) == [chart() for chart in CHARTS.values()]


@pytest.mark.parametrize("name", CHARTS)
def test_rc_params_restored(name: str) -> None:
    """Drawing leaves matplotlib's global rcParams as they were."""
    before = dict(mpl.rcParams)
    CHARTS[name]()
    assert dict(mpl.rcParams) == before


def test_style_is_matplotlibs_default_style() -> None:
    """
    Charts draw in the settings ``matplotlib.style.context("default")`` gives, plus ours.

    The style module is not imported when drawing (it reads every style file
    matplotlib ships), so its list of settings a style leaves alone is kept
    in ``plots``; this checks the list and the settings against the module.
    """
    import matplotlib.style  # noqa: PLC0415 -- the module the charts avoid importing

    assert getattr(matplotlib.style, "_STYLE_BLACKLIST") == plots._SESSION_SETTINGS  # noqa: B009
    # A session whose own settings differ from the defaults in look and not.
    changed: dict[Any, object] = {
        "font.size": 20.0,
        "lines.linewidth": 7.0,
        "axes.grid": True,
        "date.epoch": "2000-01-01",
    }
    with mpl.rc_context(changed), plots._style("x"):
        ours = dict(mpl.rcParams)
    with mpl.rc_context(changed), mpl.style.context("default"):
        expected = dict(mpl.rcParams)
    differing = {k for k in ours if ours[k] != expected[k]}
    assert differing == {
        "svg.hashsalt",
        "svg.fonttype",
        "text.parse_math",
        "font.family",
        "font.size",
        "figure.dpi",
        "savefig.dpi",
        "axes.unicode_minus",
    }
    assert ours["lines.linewidth"] == mpl.rcParamsDefault["lines.linewidth"]
    assert ours["date.epoch"] == "2000-01-01"  # a session setting, left alone as the style does


@pytest.mark.parametrize("name", HOSTILE_CHARTS)
def test_hostile_labels_escaped(name: str) -> None:
    """Labels with <script>, $...$, & and newlines are drawn literally and XML-escaped."""
    svg = HOSTILE_CHARTS[name]()
    drawn = texts(svg)
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "a &amp; b" in svg
    assert "<script>alert(1)</script>" in drawn
    assert "$x$" in drawn  # mathtext would have drawn an italic x without the dollars
    assert "a & b" in drawn
    assert "back\\slash_{1}" in drawn
    assert "two lines" in drawn


def test_unprintable_labels() -> None:
    """NUL, other control characters and lone surrogates still give well-formed XML."""
    labels = ["nul\x00", "bell\x07", "lone\ud800", "rtl\u202eevil", "-- > <!-- ]]>"]
    svg = plots.matrix_heatmap(labels, labels, [["C"] * len(labels)] * len(labels))
    drawn = texts(svg)
    assert "nul\N{REPLACEMENT CHARACTER}" in drawn
    assert "-- > <!-- ]]>" in drawn


def test_long_labels_shortened() -> None:
    """A label longer than MAX_LABEL characters ends in an ellipsis at that length."""
    label = plots._label("x" * 100)
    assert len(label) == plots.MAX_LABEL
    assert label.endswith("\N{HORIZONTAL ELLIPSIS}")
    assert plots._label(" a\r\n\tb ") == "a b"


@pytest.mark.parametrize("name", EMPTY_CHARTS)
def test_empty_says_no_evidence(name: str) -> None:
    """No items give a small well-formed SVG saying "no evidence"."""
    assert texts(EMPTY_CHARTS[name]()) == ["no evidence"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plots.posterior_bands(["H1"], [0.5, 0.5], [(0.1, 0.5, 0.9)]), "posterior has 2"),
        (lambda: plots.posterior_bands(["H1"], [math.nan], [(0.1, 0.5, 0.9)]), "finite"),
        (lambda: plots.posterior_bands(["H1"], [1.5], [(0.1, 0.5, 0.9)]), r"in \[0, 1\]"),
        (lambda: plots.posterior_bands(["H1"], [0.5], [(0.1, 0.5, 0.9)], scale="x"), "scale"),
        (lambda: plots.matrix_heatmap(["H1", "H2"], ["E1"], [["C"]]), r"cells\[0\] has 1"),
        (lambda: plots.matrix_heatmap(["H1"], ["E1", "E2"], [["C"]]), "cells has 1"),
        (lambda: plots.tornado("H1", ["E1"], [0.1, 0.2]), "deltas has 2"),
        (lambda: plots.tornado("H1", ["E1"], [math.inf]), "finite"),
    ],
)
def test_bad_input_is_value_error(call: Chart, message: str) -> None:
    """Mismatched lengths, non-finite or out-of-range numbers and unknown scales: ValueError."""
    with pytest.raises(ValueError, match=message):
        call()


class TestPosteriorBands:
    """One row per hypothesis over the estimative bands."""

    def test_rows_in_order_given(self) -> None:
        """Hypotheses are drawn top to bottom in the order given."""
        drawn = texts(plots.posterior_bands(*POSTERIOR))
        assert [t for t in drawn if t in POSTERIOR[0]] == list(POSTERIOR[0])

    @pytest.mark.parametrize("scale", ["icd203", "phia", "kent"])
    def test_band_terms_and_axis_label(self, scale: str) -> None:
        """Every band's term is written, and the axis is labelled "probability"."""
        drawn = texts(plots.posterior_bands(*POSTERIOR, scale=scale))
        assert [t for t in drawn if t in {b.term for b in bands(scale)}] == [
            b.term for b in bands(scale)
        ]
        assert "probability" in drawn

    def test_figures_written(self) -> None:
        """Each row's posterior and 5-95% band are written out as numbers."""
        drawn = texts(plots.posterior_bands(*POSTERIOR))
        assert "0.62 (0.41\N{EN DASH}0.80)" in drawn


class TestMatrixHeatmap:
    """The ACH matrix, coloured by rating, with the rating written in every cell."""

    def test_every_cell_written(self) -> None:
        """Each cell's rating text appears once per cell that holds it."""
        drawn = collections.Counter(texts(plots.matrix_heatmap(*MATRIX)))
        cells = collections.Counter(cell for row in MATRIX[2] for cell in row)
        for cell, count in cells.items():
            assert drawn[cell] == count, cell

    def test_headers(self) -> None:
        """Hypotheses head the columns and items the rows."""
        drawn = texts(plots.matrix_heatmap(*MATRIX))
        assert [t for t in drawn if t in MATRIX[0]] == list(MATRIX[0])
        assert [t for t in drawn if t in MATRIX[1]] == list(MATRIX[1])

    @pytest.mark.parametrize(
        ("cell", "fill"),
        [
            ("CC", "#1b7837"),
            ("C", "#a6dba0"),
            ("CC/CC", "#1b7837"),
            ("N", "#d9d9d9"),
            ("NA", "#f4f4f4"),
            ("I", "#f4a582"),
            ("II", "#b2182b"),
            ("C/I", plots._MIXED),
            ("CC/C", plots._MIXED),
            ("??", plots._MIXED),
        ],
    )
    def test_fill_by_rating(self, cell: str, fill: str) -> None:
        """Greens for consistent, greys for neutral, reds for inconsistent, sand for mixed."""
        assert plots._fill(cell)[0] == fill

    def test_fills_drawn(self) -> None:
        """The rating colours reach the SVG."""
        svg = plots.matrix_heatmap(*MATRIX)
        for colour in ("#1b7837", "#b2182b", plots._MIXED):
            assert f"fill: {colour}" in svg

    def test_grid_is_one_image_of_the_cells(self) -> None:
        """The grid is one image, a pixel per cell in its rating's colour, rows by diagnosticity."""
        diagnosticity = [0.1, 0.9, 0.5]
        svg = plots.matrix_heatmap(*MATRIX, diagnosticity=diagnosticity)
        pixels = grid_image(svg)
        order = [1, 2, 0]
        assert pixels.shape[:2] == (3, 3)
        for row, item in enumerate(order):
            for column, cell in enumerate(MATRIX[2][item]):
                expected = mpl.colors.to_rgb(plots._fill(cell)[0])
                assert np.allclose(pixels[row, column, :3], expected, atol=1 / 255), (item, cell)

    def test_long_matrix_is_an_overview(self) -> None:
        """Past MAX_LETTERED_ROWS rows no cell or item is lettered, and the image keeps them all."""
        hypotheses = ("H1", "H2")
        for n, lettered in ((plots.MAX_LETTERED_ROWS, True), (plots.MAX_LETTERED_ROWS + 1, False)):
            items = [f"E{i}" for i in range(n)]
            cells = [("CC", "II")] * n
            svg = plots.matrix_heatmap(hypotheses, items, cells, diagnosticity=[0.0] * n)
            drawn = texts(svg)
            assert (drawn.count("CC") == n) is lettered
            assert ("E0" in drawn) is lettered
            assert (f"{n:,} items, the most diagnostic first" in drawn) is not lettered
            assert grid_image(svg).shape[:2] == (n, 2)


class TestTornado:
    """The items that move the leader's posterior most, largest first."""

    def test_ten_largest_by_absolute_change(self) -> None:
        """At most ten bars, ordered by |delta| with ties in the order given."""
        drawn = texts(plots.tornado(*TORNADO))
        assert [t for t in drawn if t in TORNADO[1]] == TORNADO_ORDER
        values = [t for t in drawn if re.fullmatch(r"[+-]\d\.\d{3}", t)]
        assert values == [f"{TORNADO[2][TORNADO[1].index(i)]:+.3f}" for i in TORNADO_ORDER]
        assert "change in posterior when the line is left out (10 largest of 14)" in drawn

    def test_title_names_leader(self) -> None:
        """The title asks what moves the leader's posterior."""
        assert "What moves H3's posterior" in texts(plots.tornado(*TORNADO))

    def test_rise_and_fall_colours(self) -> None:
        """Rises and falls are drawn in different colours."""
        svg = plots.tornado("H1", ["up", "down"], [0.1, -0.1])
        assert f"fill: {plots._RISE}" in svg
        assert f"fill: {plots._FALL}" in svg

    def test_zero_is_unsigned(self) -> None:
        """A change of -0.0 is written +0.000."""
        drawn = texts(plots.tornado("H1", ["a", "b"], [0.0, -0.0]))
        assert drawn.count("+0.000") == 2

    def test_lines_named_after_root_with_repeats(self) -> None:
        """A line given by its members is named after its root, its repeats in brackets."""
        drawn = texts(
            plots.tornado("H1", [("E3", "E10"), ("E7",), ("E1", "E9", "E12")], [0.3, 0.2, 0.1])
        )
        assert [t for t in drawn if t.startswith("E")] == ["E3 (+E10)", "E7", "E1 (+E9, E12)"]
        assert "change in posterior when the line is left out" in drawn

    def test_a_line_without_members_is_value_error(self) -> None:
        """A line with no members cannot be named: ValueError."""
        with pytest.raises(ValueError, match="line 0 has no members"):
            plots.tornado("H1", [()], [0.1])

    def test_title_names_leader_by_label(self) -> None:
        """Given the leader's label, the title names it "id (label)"."""
        drawn = texts(plots.tornado(*TORNADO, label="state supply"))
        assert "What moves H3 (state supply)'s posterior" in drawn


# --------------------------------------------------------------------------- layout
#
# The charts are drawn again with matplotlib's Agg renderer, from the figure
# that each public function builds, to measure where its text and its points
# land.


def figures_of(chart: Callable[[], object]) -> list[Figure]:
    """The figures that ``chart`` renders, each drawn with Agg while its style is in force."""
    caught: list[Figure] = []
    real = plots._svg

    def catch(figure: Figure) -> str:
        svg = real(figure)
        FigureCanvasAgg(figure)
        figure.draw(figure.canvas.get_renderer())  # type: ignore[attr-defined]
        caught.append(figure)
        return svg

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plots, "_svg", catch)
        chart()
    return caught


def text_boxes(figure: Figure) -> list[tuple[str, Bbox]]:
    """Every piece of text drawn, with its box in pixels."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    found = []
    for artist in figure.findobj(Text):
        assert isinstance(artist, Text)
        if artist.get_visible() and artist.get_text().strip():
            found.append((artist.get_text(), artist.get_window_extent(renderer)))
    return found


def overlaps(figure: Figure) -> list[tuple[str, str]]:
    """The pairs of texts whose boxes overlap by more than half a pixel each way."""
    return [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(text_boxes(figure), 2)
        if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 0.5
        and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 0.5
    ]


def cut_markers(figure: Figure) -> list[tuple[float, float]]:
    """The data points whose markers reach outside the figure or outside their clip box."""
    cut = []
    for ax in figure.axes:
        for line in ax.get_lines():
            assert isinstance(line, Line2D)
            if line.get_marker() in {None, "None", "", " "}:
                continue
            reach = (line.get_markersize() / 2 + line.get_markeredgewidth()) * figure.dpi / 72
            frames = [figure.bbox]
            clip = line.get_clip_box()
            if line.get_clip_on() and clip is not None:
                frames.append(clip)
            data = np.asarray(line.get_xydata(), dtype=np.float64)
            for (px, py), (x, y) in zip(
                line.get_transform().transform(data).tolist(), data.tolist(), strict=True
            ):
                if not all(
                    f.x0 <= px - reach
                    and px + reach <= f.x1
                    and f.y0 <= py - reach
                    and py + reach <= f.y1
                    for f in frames
                ):
                    cut.append((float(x), float(y)))
    return cut


@functools.cache
def worked() -> dict[str, Chart]:
    """The worked case's charts, drawn from its analysis as the report draws them."""
    assessment = assess.load(WORKED)
    analysis = assess.analyse(assessment, draws=200)
    scores = analysis.scores
    ranking = scores.ranking
    labels = {h.id: h.label for h in assessment.hypotheses}
    view: dict[str, Any] = reporting.view(assessment, analysis, command="assess report")
    pins = sorted(analysis.linchpins, key=lambda p: -abs(p.leader_posterior_change))[:10]
    steps = replay(assessment, draws=50)
    return {
        "posterior_bands": lambda: plots.posterior_bands(
            [h.id for h in ranking],
            [h.posterior for h in ranking],
            [analysis.sensitivity.of(h.id)[1] for h in ranking],
            labels=[labels[h.id] for h in ranking],
        ),
        "matrix_heatmap": lambda: plots.matrix_heatmap(
            [h.id for h in ranking],
            [row["id"] for row in view["rows"]],
            [[cell["text"] for cell in row["cells"]] for row in view["rows"]],
            labels=[labels[h.id] for h in ranking],
            diagnosticity=[float(e.diagnosticity) for e in scores.evidence],
        ),
        "tornado": lambda: plots.tornado(
            ranking[0].id,
            [p.members for p in pins],
            [p.leader_posterior_change for p in pins],
            label=labels[ranking[0].id],
        ),
        "timeline": lambda: plots.timeline(
            [step.label for step in steps.steps],
            steps.hypotheses,
            [[step.posteriors[h] for h in steps.hypotheses] for step in steps.steps],
            labels=[labels[h] for h in steps.hypotheses],
        ),
    }


LONG = tuple(f"H{i} " + "a very long name for a hypothesis " * 2 for i in range(1, 6))
LONG_LABELS = tuple("label of some length " * 3 for _ in LONG)
LONG_CHARTS: dict[str, Chart] = {
    "posterior_bands": lambda: plots.posterior_bands(
        LONG, [0.0, 0.25, 0.5, 0.75, 1.0], [(0.0, 0.5, 1.0)] * 5, labels=LONG_LABELS
    ),
    "posterior_bands-kent": lambda: plots.posterior_bands(
        LONG, [0.0, 0.25, 0.5, 0.75, 1.0], [(0.0, 0.5, 1.0)] * 5, scale="kent"
    ),
    "posterior_bands-phia": lambda: plots.posterior_bands(
        LONG, [0.0, 0.25, 0.5, 0.75, 1.0], [(0.0, 0.5, 1.0)] * 5, scale="phia"
    ),
    "matrix_heatmap": lambda: plots.matrix_heatmap(
        LONG, LONG, [["CC/C/II/NA"] * 5] * 5, labels=LONG_LABELS
    ),
    "tornado": lambda: plots.tornado(LONG[0], [(h, h) for h in LONG], [0.1, -0.2, 0.3, -0.4, 0.0]),
    "timeline": lambda: plots.timeline(
        ["undated", *(f"2020-01-{d:02d}" for d in range(1, 29)), "2021-06-30"],
        LONG,
        [[0.0, 0.25, 0.5, 0.25, 0.0]] * 30,
        labels=LONG_LABELS,
        scale="kent",
    ),
}
CALIBRATION = ([0.12, 0.13, 0.5, 0.95, 1.0], [0.0, 0.0, 0.5, 1.0, 1.0], [1, 2, 3, 12, 1])


def every_chart() -> Iterator[tuple[str, Chart]]:
    """The worked case's charts, the long-label charts and the calibration plot."""
    yield from ((f"worked-{name}", chart) for name, chart in worked().items())
    yield from ((f"long-{name}", chart) for name, chart in LONG_CHARTS.items())
    yield "calibration", lambda: plots.reliability_diagram(*CALIBRATION)


CHART_NAMES = [
    *(f"worked-{name}" for name in ("posterior_bands", "matrix_heatmap", "tornado", "timeline")),
    *(f"long-{name}" for name in LONG_CHARTS),
    "calibration",
]


def chart_named(name: str) -> Chart:
    """One chart of :func:`every_chart` by name."""
    return dict(every_chart())[name]


@pytest.mark.parametrize("name", CHART_NAMES)
def test_labels_never_overlap(name: str) -> None:
    """No two texts of a chart overlap: worked case, long labels, calibration counts."""
    (figure,) = figures_of(chart_named(name))
    assert overlaps(figure) == []


@pytest.mark.parametrize("name", CHART_NAMES)
def test_points_drawn_whole(name: str) -> None:
    """Every marker lies inside the figure and is not clipped by its axes, even at 0 or 1."""
    (figure,) = figures_of(chart_named(name))
    assert cut_markers(figure) == []


def test_calibration_counts_apart() -> None:
    """The counts 1 and 2 of neighbouring bins are written apart, not run together as "12"."""
    (figure,) = figures_of(lambda: plots.reliability_diagram(*CALIBRATION))
    boxes = {t: b for t, b in text_boxes(figure) if t in {"1", "2", "3"}}
    assert (
        boxes["2"].x0 - boxes["1"].x1 > 2
        or boxes["1"].x0 - boxes["2"].x1 > 2
        or (boxes["2"].y0 - boxes["1"].y1 > 2 or boxes["1"].y0 - boxes["2"].y1 > 2)
    )


def test_png_charts_deterministic() -> None:
    """The timeline and reliability diagram come out the same bytes twice, SVG and PNG."""
    chart = LONG_CHARTS["timeline"]
    assert chart() == chart()
    assert plots.reliability_diagram(*CALIBRATION) == plots.reliability_diagram(*CALIBRATION)
    assert plots.reliability_diagram(*CALIBRATION, format="png") == plots.reliability_diagram(
        *CALIBRATION, format="png"
    )


PNG_CHARTS: dict[str, Callable[[], bytes]] = {
    "posterior_bands": lambda: plots.posterior_bands(*POSTERIOR, format="png"),
    "matrix_heatmap": lambda: plots.matrix_heatmap(*MATRIX, format="png"),
    "tornado": lambda: plots.tornado(*TORNADO, format="png"),
    "empty": lambda: plots.tornado("H1", [], [], format="png"),
}


@pytest.mark.parametrize("name", PNG_CHARTS)
def test_every_chart_draws_as_png(name: str) -> None:
    """Every chart is a PNG for slides when asked, the same bytes twice, with no Software chunk."""
    png = PNG_CHARTS[name]()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == PNG_CHARTS[name]()
    assert b"Software" not in png
    assert mpl.__version__.encode() not in png


def test_png_is_the_svg_drawn_at_twice_the_points() -> None:
    """A PNG has the SVG's proportions, at PNG_DPI / 72 pixels a point."""
    svg = root(plots.posterior_bands(*POSTERIOR))
    width_pt = float(svg.attrib["width"].removesuffix("pt"))
    png = plots.posterior_bands(*POSTERIOR, format="png")
    width_px = int.from_bytes(png[16:20], "big")
    assert width_px == pytest.approx(width_pt * plots.PNG_DPI / 72, abs=4)


@pytest.mark.parametrize("chart", ["posterior_bands", "matrix_heatmap", "tornado"])
def test_unknown_chart_format(chart: str) -> None:
    """A format other than svg or png is a ValueError naming both, before anything is drawn."""
    call: Any = getattr(plots, chart)
    arguments = {"posterior_bands": POSTERIOR, "matrix_heatmap": MATRIX, "tornado": TORNADO}
    with pytest.raises(ValueError, match="expected one of: svg, png"):
        call(*arguments[chart], format="gif")


def tight_svg(figure: Figure) -> str:
    """A figure as matplotlib's own ``bbox_inches="tight"`` draws it (a dry run, then a draw)."""
    buffer = io.StringIO()
    figure.canvas.print_figure(
        buffer,
        format="svg",
        dpi=72,
        metadata={"Date": None, "Creator": None},
        bbox_inches="tight",
        pad_inches=0.1,
    )
    return plots._stable_clip_ids(buffer.getvalue())


@pytest.mark.parametrize(
    "case",
    [
        *(
            ("worked", name)
            for name in ("posterior_bands", "matrix_heatmap", "tornado", "timeline")
        ),
        *(("hostile", name) for name in HOSTILE_CHARTS),
    ],
)
def test_one_draw_gives_matplotlibs_tight_box(
    case: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    Each chart, measured once and drawn once, is the bytes matplotlib's tight box gives.

    The hostile labels are long: the picture grows to hold them.
    """
    kind, name = case
    chart = worked()[name] if kind == "worked" else HOSTILE_CHARTS[name]
    ours = chart()
    monkeypatch.setattr(plots, "_svg", tight_svg)
    assert chart() == ours


@pytest.mark.parametrize("name", ["posterior_bands", "matrix_heatmap", "tornado", "timeline"])
def test_worked_case_same_bytes_twice(name: str) -> None:
    """The worked case's charts are the same bytes on a second drawing."""
    assert worked()[name]() == worked()[name]()


class TestTimelineByDate:
    """Steps stand at their dates; undated ones at the left with their own tick."""

    STEPS = ("undated", "2016-01-01", "2016-01-03", "2017-01-03")

    def places(self, steps: tuple[str, ...]) -> tuple[list[float], Axes]:
        """The x of each step in the drawn timeline, and its axes."""
        (figure,) = figures_of(
            lambda: plots.timeline(steps, ["H1"], [[0.5]] * len(steps), labels=["state supply"])
        )
        (ax,) = [a for a in figure.axes if a.get_lines()]
        xs = [np.asarray(line.get_xdata(), dtype=np.float64).tolist() for line in ax.get_lines()]
        return next(x for x in xs if len(x) == len(steps)), ax

    def test_two_days_and_a_year_differ(self) -> None:
        """Two days apart are drawn 2/366 as far apart as a year."""
        xs, _ = self.places(self.STEPS)
        assert (xs[2] - xs[1]) / (xs[3] - xs[2]) == pytest.approx(2 / 366)

    def test_undated_at_the_left_with_its_own_tick(self) -> None:
        """The undated step stands before the first date and keeps its "undated" tick."""
        xs, ax = self.places(self.STEPS)
        assert xs[0] < xs[1]
        ticks = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels()}
        assert ticks["undated"] == pytest.approx(xs[0])
        assert ticks["2017-01-03"] == pytest.approx(xs[3])

    def test_crowded_dates_thinned_last_kept(self) -> None:
        """Of dates a day apart some labels are left off; the last date keeps its label."""
        steps = (*tuple(f"2020-01-{d:02d}" for d in range(1, 29)), "2020-12-31")
        _, ax = self.places(steps)
        shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert 1 < len(shown) < len(steps)
        assert shown[0] == "2020-01-01"
        assert shown[-1] == "2020-12-31"

    def test_no_dates_at_all(self) -> None:
        """Steps none of which is a date are drawn a day apart, in order."""
        xs, _ = self.places(("undated", "later"))
        assert xs[1] - xs[0] == pytest.approx(1.0)

    def test_legend_names_hypotheses_by_label(self) -> None:
        """The legend names a hypothesis "id (label)"."""
        assert "H1 (state supply)" in texts(
            plots.timeline(self.STEPS, ["H1"], [[0.5]] * 4, labels=["state supply"])
        )


class TestLabelsAndOrder:
    """Hypotheses are named "id (label)"; the matrix's rows go by diagnosticity."""

    def test_posterior_rows_by_label(self) -> None:
        """Given labels, the posterior chart heads its rows "id (label)", "id" without one."""
        drawn = texts(plots.posterior_bands(*POSTERIOR, labels=["state supply", None, ""]))
        assert [t for t in drawn if t.startswith("H")] == ["H1 (state supply)", "H2", "H3"]

    def test_labels_of_wrong_length(self) -> None:
        """Labels that do not match the hypotheses one for one: ValueError."""
        with pytest.raises(ValueError, match="labels has 1"):
            plots.posterior_bands(*POSTERIOR, labels=["x"])

    def test_matrix_columns_by_label(self) -> None:
        """The worked case's matrix heads its columns "id (label)"."""
        drawn = texts(worked()["matrix_heatmap"]())
        assert "H1 (state supply)" in drawn
        assert "H2 (contacts only)" in drawn
        assert "H3 (third-party flow)" in drawn

    def test_matrix_rows_by_diagnosticity(self) -> None:
        """Rows run from the most diagnostic item down, equal ones in the order given."""
        drawn = texts(
            plots.matrix_heatmap(
                ["H1", "H2"],
                ["E1", "E2", "E3", "E4"],
                [["C", "I"]] * 4,
                diagnosticity=[0.0, 2.0, 0.0, 3.5],
            )
        )
        assert [t for t in drawn if t.startswith("E")] == ["E4", "E2", "E1", "E3"]

    def test_matrix_bad_diagnosticity(self) -> None:
        """A diagnosticity per item, finite: else ValueError."""
        with pytest.raises(ValueError, match="diagnosticity has 1"):
            plots.matrix_heatmap(*MATRIX, diagnosticity=[1.0])
        with pytest.raises(ValueError, match="finite"):
            plots.matrix_heatmap(*MATRIX, diagnosticity=[1.0, math.nan, 0.0])

    @pytest.mark.parametrize("columns", [1, 2, 3, 8])
    def test_legend_no_wider_than_grid(self, columns: int) -> None:
        """The matrix's legend is never wider than its grid, however few the columns."""
        ids = [f"H{j}" for j in range(columns)]
        (figure,) = figures_of(lambda: plots.matrix_heatmap(ids, ["E1"], [["C"] * columns]))
        (ax,) = figure.axes
        legend = ax.get_legend()
        assert legend is not None
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        assert legend.get_window_extent(renderer).width <= ax.get_window_extent(renderer).width
