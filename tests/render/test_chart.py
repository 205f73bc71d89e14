"""render/chart.py: one layout drawn as SVG and PNG; nice ticks; escaping; empty and all-zero charts."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from toolkit.documents.model import Chart, Series
from toolkit.errors import OutputError
from toolkit.render import chart as charts

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = tuple(f"2025-{month:02d}" for month in range(4, 13))


def make(categories=MONTHS, bars=None, line=(), bar_label="自家消費量", line_unit="t-CO2") -> Chart:
    bars = tuple(Decimal(1000 + 50 * index) for index in range(len(categories))) if bars is None else bars
    series = Series("排出削減量", line_unit, line) if line is not None else None
    return Chart(
        "monthly", "月別の自家消費量 & <排出削減量>", categories, Series(bar_label, "kWh", bars), series
    )


@pytest.fixture
def sample(document) -> Chart:
    return document.charts()[0]


def texts(svg: str) -> list[str]:
    return ["".join(element.itertext()) for element in ET.fromstring(svg).iter(f"{SVG}text")]


def test_svg_is_xml_with_size_font_series_and_every_category(sample):
    root = ET.fromstring(charts.svg(sample))
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("170mm", "90mm", "0 0 170 90")
    assert "IPAexGothic" in root.get("font-family")
    shown = texts(charts.svg(sample))
    assert "自家消費量（kWh）" in shown and "排出削減量（t-CO2）" in shown
    assert all(category in shown for category in sample.categories)
    assert sample.title not in shown  # the renderers caption it


def test_svg_escapes_every_text():
    hostile = make(categories=("a<b", "c&d"), bar_label='発電量 & <script>"', line=(Decimal(1), Decimal(2)))
    svg = charts.svg(hostile)
    shown = texts(svg)
    assert '発電量 & <script>"（kWh）' in shown and "a<b" in shown and "c&d" in shown
    assert "<script>" not in svg and "&amp;" in svg and "&lt;" in svg
    assert ET.fromstring(svg).find(f"{SVG}title").text == "月別の自家消費量 & <排出削減量>"


def test_bars_and_line_follow_the_values(sample):
    shapes = charts.layout(sample)
    bars = [shape for shape in shapes if isinstance(shape, charts.Rect) and shape.y > 10]  # not the legend
    dots = [shape for shape in shapes if isinstance(shape, charts.Dot)]
    assert len(bars) == len(sample.categories) and len(dots) == len(sample.categories) + 1  # + the legend's
    heights = [bar.h for bar in bars]
    assert heights == sorted(heights) and heights[0] > 0
    assert [dot.y for dot in dots[1:]] == sorted((dot.y for dot in dots[1:]), reverse=True)  # rising line


@pytest.mark.parametrize(
    ("span", "step"),
    [
        ("1400", "500"),
        ("1000", "200"),
        ("7", "2"),
        ("12.5", "2.5"),
        ("0.03", "0.01"),
        ("4.9", "1"),
        ("1", "0.2"),
    ],
)
def test_nice_steps(span, step):
    assert charts.nice_step(Decimal(span)) == Decimal(step)


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        (("0", "1450"), ["0", "500", "1,000", "1,500"]),
        (("0.9",), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        (("1.1", "0.2"), ["0.00", "0.25", "0.50", "0.75", "1.00", "1.25"]),
        (("-40", "90"), ["-50", "0", "50", "100"]),
        ((), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
    ],
)
def test_axis_ticks_are_round(values, labels):
    assert [text for _, text in charts.axis(tuple(Decimal(value) for value in values)).ticks()] == labels


def test_both_axes_share_their_grid_lines(sample):
    shapes = charts.layout(sample)
    left = [
        shape
        for shape in shapes
        if isinstance(shape, charts.Label) and shape.anchor == "end" and shape.x < 30
    ]
    right = [
        shape
        for shape in shapes
        if isinstance(shape, charts.Label) and shape.anchor == "start" and shape.x > 150 and shape.y > 12
    ]
    assert [label.y for label in left] == [label.y for label in right]


def test_png_is_a_deterministic_png_of_the_same_size(sample):
    from PIL import Image

    data = charts.png(sample)
    assert data == charts.png(sample)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1339, 709)
    assert round(image.info["dpi"][0]) == 200
    assert Image.open(io.BytesIO(charts.png(sample, dpi=100))).size == (669, 354)


@pytest.mark.parametrize(
    "chart",
    [
        make(categories=(), bars=(), line=()),
        make(categories=(), bars=(), line=None),
        make(bars=(Decimal(0),) * len(MONTHS), line=(Decimal(0),) * len(MONTHS)),
        make(bars=(Decimal(5),), line=(Decimal(1),) * 3),  # fewer values than categories
        make(
            categories=tuple(f"{2025 + index // 12}-{index % 12 + 1:02d}" for index in range(72)),
            bars=tuple(Decimal(index - 20) for index in range(72)),
            line=tuple(Decimal(index) for index in range(72)),
        ),
    ],
    ids=["empty", "empty-no-line", "all-zero", "short-series", "72-months-negative"],
)
def test_edge_cases_draw(chart):
    from PIL import Image

    ET.fromstring(charts.svg(chart))
    assert Image.open(io.BytesIO(charts.png(chart))).format == "PNG"


def test_empty_chart_says_so():
    assert charts.EMPTY in texts(charts.svg(make(categories=(), bars=(), line=())))


def test_many_categories_turn_vertical():
    many = make(categories=tuple(f"2025-{index:02d}" for index in range(1, 31)))
    assert all(
        shape.vertical
        for shape in charts.layout(many)
        if isinstance(shape, charts.Label) and shape.text.startswith("2025-")
    )
    assert "rotate(-90)" in charts.svg(many)


def test_no_japanese_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(charts, "_fc_match", lambda family: None)
    monkeypatch.setattr(charts, "KNOWN_FONTS", ())
    charts.font_path.cache_clear()
    try:
        with pytest.raises(OutputError, match="IPAexGothic"):
            charts.font_path()
    finally:
        charts.font_path.cache_clear()


def test_font_is_ipaex_gothic():
    assert charts.font_path().name in ("ipaexg.ttf", "fonts-japanese-gothic.ttf")


def test_imports_stay_light():
    code = "import sys, toolkit.render.chart, toolkit.render.docx; print('PIL' in sys.modules, 'docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
