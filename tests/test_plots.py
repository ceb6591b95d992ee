"""Plots: well-formed, byte-identical SVG from hostile labels, and the charts' contents."""

from __future__ import annotations

import collections
import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

import matplotlib as mpl

from assess import plots
from assess.language import bands

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
from assess import plots
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


class TestTornado:
    """The items that move the leader's posterior most, largest first."""

    def test_ten_largest_by_absolute_change(self) -> None:
        """At most ten bars, ordered by |delta| with ties in the order given."""
        drawn = texts(plots.tornado(*TORNADO))
        assert [t for t in drawn if t in TORNADO[1]] == TORNADO_ORDER
        values = [t for t in drawn if re.fullmatch(r"[+-]\d\.\d{3}", t)]
        assert values == [f"{TORNADO[2][TORNADO[1].index(i)]:+.3f}" for i in TORNADO_ORDER]
        assert "change in posterior when removed (10 largest of 14)" in drawn

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
