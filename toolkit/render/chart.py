"""Monthly bars with a reduction line on a second axis: one layout, drawn as SVG (PDF) or PNG (DOCX).

`layout` turns a `Chart` into a list of shapes in millimetres; `svg` and `png` only draw that list, so
the two pictures cannot disagree. The title is not drawn: the renderers put it in a caption.
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from toolkit.documents.model import Chart, Series
from toolkit.documents.text import clean, number_text
from toolkit.errors import OutputError

WIDTH, HEIGHT = 170.0, 90.0  # mm: the text width of A4 at 20 mm margins
FONT = 2.9  # mm (about 8 pt): ticks, categories and the legend
SMALLEST = 2.3  # mm: category labels shrink to this before they turn vertical
FAMILY = "IPAexGothic"
BAR, LINE, TEXT, AXIS, GRID = "#5B9BD5", "#ED7D31", "#333333", "#7F7F7F", "#D9D9D9"
STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))  # nice steps, times 10^n
INTERVALS = 5  # about this many grid intervals
EMPTY = "データなし"
SUPERSAMPLE = 3  # the PNG is drawn this much larger, then reduced: smooth lines without anti-aliasing

# Where IPAex Gothic usually lives when fc-match cannot say (macOS, Windows, a user's font folder).
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/ipa-ex-gothic/ipaexg.ttf",
    "/usr/local/share/fonts/ipaexg.ttf",
    "~/.local/share/fonts/ipaexg.ttf",
    "~/.fonts/ipaexg.ttf",
    "/Library/Fonts/ipaexg.ttf",
    "~/Library/Fonts/ipaexg.ttf",
    "C:/Windows/Fonts/ipaexg.ttf",
    "$LOCALAPPDATA/Microsoft/Windows/Fonts/ipaexg.ttf",
)


@dataclass(frozen=True)
class Rect:
    """A filled rectangle (a bar or a legend key), `x`, `y` its top left corner, in mm."""

    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    """A polyline (grid line, axis or the reduction line) with its colour and width in mm."""

    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float


@dataclass(frozen=True)
class Dot:
    """A filled circle marking a point of the reduction line (and its legend key), in mm."""

    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Label:
    """Text with its baseline at `y`; `anchor` is start, middle or end; `vertical` reads bottom to top."""

    x: float
    y: float
    text: str
    anchor: str = "start"
    vertical: bool = False
    size: float = FONT


Shape = Rect | Line | Dot | Label


@dataclass(frozen=True)
class Axis:
    """A value axis: `below` and `above` grid intervals of `step` around zero."""

    step: Decimal
    below: int
    above: int

    @property
    def low(self) -> float:
        """The axis' lowest value: `below` steps under zero."""
        return float(-self.below * self.step)

    @property
    def high(self) -> float:
        """The axis' highest value: `above` steps over zero."""
        return float(self.above * self.step)

    def ticks(self) -> list[tuple[float, str]]:
        """Each grid value with its label, written with as many decimals as the step has."""
        places = max(0, -self.step.normalize().as_tuple().exponent)
        return [
            (float(i * self.step), number_text(i * self.step, places))
            for i in range(-self.below, self.above + 1)
        ]


def nice_step(span: Decimal, intervals: int = INTERVALS) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^n that covers `span` in at most `intervals` steps."""
    raw = span / intervals
    exponent = raw.adjusted()
    mantissa = raw.scaleb(-exponent)
    return next(step for step in STEPS if step >= mantissa).scaleb(exponent)


def axis(values: tuple[Decimal, ...]) -> Axis:
    """The value axis of a chart: spanning zero and every value, in round steps."""
    low, high = min((*values, Decimal(0))), max((*values, Decimal(0)))
    if low == high:  # nothing, or all zero: an axis from 0 to 1
        high = Decimal(1)
    step = nice_step(high - low)
    return Axis(step, math.ceil(-low / step), math.ceil(high / step))


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of the printed width (mm): full width for kana and kanji, 0.6 em for the rest."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else size * 0.6 for char in text)


def legend_text(series: Series) -> str:
    """A series' name in the legend, with its unit."""
    return clean(f"{series.label}（{series.unit}）" if series.unit else series.label)


def layout(chart: Chart) -> list[Shape]:
    """Every shape of the chart in mm, on a WIDTH × HEIGHT canvas with the origin top left."""
    count = len(chart.categories)
    bars = chart.bars.values[:count]
    line = chart.line.values[:count] if chart.line else ()
    left = axis(bars)
    right = axis(line) if chart.line else left
    below, above = max(left.below, right.below), max(left.above, right.above)  # share the grid lines
    left, right = Axis(left.step, below, above), Axis(right.step, below, above)
    shapes: list[Shape] = []

    # legend (top) and the axis units (above each axis)
    entries = [(chart.bars, "bar")] + ([(chart.line, "line")] if chart.line else [])
    widths = [7 + text_width(legend_text(series)) for series, _ in entries]
    x = (WIDTH - sum(widths) - 6 * (len(widths) - 1)) / 2
    for (series, kind), width in zip(entries, widths):
        if kind == "bar":
            shapes.append(Rect(x + 0.5, 2.4, 4, 2.6, BAR))
        else:
            shapes += [Line(((x, 3.7), (x + 5, 3.7)), LINE, 0.5), Dot(x + 2.5, 3.7, 0.9, LINE)]
        shapes.append(Label(x + 7, 4.7, legend_text(series)))
        x += width + 6
    shapes.append(Label(1, 11, clean(chart.bars.unit)))
    if chart.line:
        shapes.append(Label(WIDTH - 1, 11, clean(chart.line.unit), "end"))

    # the plot box: room for the tick labels at the sides and the categories below
    left_ticks, right_ticks = left.ticks(), right.ticks()
    plot_left = 2.5 + max(text_width(text) for _, text in left_ticks)
    plot_right = WIDTH - (2.5 + max(text_width(text) for _, text in right_ticks) if chart.line else 3)
    slot = (plot_right - plot_left) / max(count, 1)
    names = [clean(category) for category in chart.categories]
    ems = max((text_width(name, 1) for name in names), default=0)  # the longest label, in em
    size = min(FONT, slot * 0.9 / ems) if ems else FONT
    vertical = size < SMALLEST
    size = FONT if vertical else size
    every = max(1, math.ceil(FONT * 1.25 / slot)) if vertical else 1  # thin out labels that cannot fit
    plot_top = 14.0
    plot_bottom = HEIGHT - (min(ems * FONT, 24) + 3 if vertical else size + 3)

    def y_of(value: float, scale: Axis) -> float:
        return plot_bottom - (value - scale.low) / (scale.high - scale.low) * (plot_bottom - plot_top)

    for (value, text), (_, right_text) in zip(left_ticks, right_ticks):
        y = y_of(value, left)
        if value:
            shapes.append(Line(((plot_left, y), (plot_right, y)), GRID, 0.15))
        shapes.append(Label(plot_left - 1.5, y + FONT * 0.35, text, "end"))
        if chart.line:
            shapes.append(Label(plot_right + 1.5, y + FONT * 0.35, right_text))
    shapes.append(Line(((plot_left, plot_top), (plot_left, plot_bottom)), AXIS, 0.2))
    if chart.line:
        shapes.append(Line(((plot_right, plot_top), (plot_right, plot_bottom)), AXIS, 0.2))
    if not count:
        shapes.append(Label((plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, EMPTY, "middle"))

    zero = y_of(0.0, left)
    for index, value in enumerate(bars):
        top = y_of(float(value), left)
        if top != zero:
            shapes.append(
                Rect(plot_left + slot * (index + 0.2), min(top, zero), slot * 0.6, abs(zero - top), BAR)
            )
    shapes.append(Line(((plot_left, zero), (plot_right, zero)), AXIS, 0.25))  # the baseline, over the bars
    points = tuple(
        (plot_left + slot * (index + 0.5), y_of(float(value), right)) for index, value in enumerate(line)
    )
    if len(points) > 1:
        shapes.append(Line(points, LINE, 0.5))
    shapes += [Dot(x, y, 0.9, LINE) for x, y in points]
    for index, name in enumerate(names):
        x = plot_left + slot * (index + 0.5)
        if index % every:
            continue
        if vertical:
            shapes.append(Label(x + FONT * 0.35, plot_bottom + 1.5, name, "end", vertical=True))
        else:
            shapes.append(Label(x, plot_bottom + 1.5 + size * 0.85, name, "middle", size=size))
    return shapes


def _mm(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg(chart: Chart) -> str:
    """The chart as a self-contained <svg> element, WIDTH × HEIGHT mm, every text escaped."""
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_mm(WIDTH)}mm" height="{_mm(HEIGHT)}mm" '
            f'viewBox="0 0 {_mm(WIDTH)} {_mm(HEIGHT)}" role="img" aria-label={quoteattr(clean(chart.title))} '
            f'font-family="{FAMILY}, sans-serif" font-size="{_mm(FONT)}" fill="{TEXT}">'
        ),
        f"<title>{escape(clean(chart.title))}</title>",
        f'<rect x="0" y="0" width="{_mm(WIDTH)}" height="{_mm(HEIGHT)}" fill="#FFFFFF"/>',
    ]
    for shape in layout(chart):
        if isinstance(shape, Rect):
            out.append(
                f'<rect x="{_mm(shape.x)}" y="{_mm(shape.y)}" width="{_mm(shape.w)}" '
                f'height="{_mm(shape.h)}" fill="{shape.fill}"/>'
            )
        elif isinstance(shape, Line):
            points = " ".join(f"{_mm(x)},{_mm(y)}" for x, y in shape.points)
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{shape.stroke}" '
                f'stroke-width="{_mm(shape.width)}" stroke-linejoin="round"/>'
            )
        elif isinstance(shape, Dot):
            out.append(
                f'<circle cx="{_mm(shape.x)}" cy="{_mm(shape.y)}" r="{_mm(shape.r)}" '
                f'fill="{shape.fill}" stroke="#FFFFFF" stroke-width="0.25"/>'
            )
        else:
            anchor = f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else ""
            where = (
                f'transform="translate({_mm(shape.x)},{_mm(shape.y)}) rotate(-90)"'
                if shape.vertical
                else f'x="{_mm(shape.x)}" y="{_mm(shape.y)}"'
            )
            size = f' font-size="{_mm(shape.size)}"' if shape.size != FONT else ""
            out.append(f"<text {where}{anchor}{size}>{escape(shape.text)}</text>")
    out.append("</svg>")
    return "\n".join(out)


def png(chart: Chart, dpi: int = 200) -> bytes:
    """The same layout as a PNG at `dpi`, Japanese text drawn with IPAex Gothic."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 25.4 * SUPERSAMPLE  # pixels per mm while drawing
    size = (round(WIDTH * dpi / 25.4), round(HEIGHT * dpi / 25.4))
    image = Image.new("RGB", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    fonts: dict[float, ImageFont.FreeTypeFont] = {}

    def font(mm: float) -> ImageFont.FreeTypeFont:
        if mm not in fonts:
            fonts[mm] = ImageFont.truetype(
                str(font_path()), round(mm * scale), layout_engine=ImageFont.Layout.BASIC
            )
        return fonts[mm]

    def px(value: float) -> int:
        return round(value * scale)

    for shape in layout(chart):
        if isinstance(shape, Rect):
            draw.rectangle(
                (px(shape.x), px(shape.y), px(shape.x + shape.w) - 1, px(shape.y + shape.h) - 1),
                fill=shape.fill,
            )
        elif isinstance(shape, Line):
            draw.line(
                [(px(x), px(y)) for x, y in shape.points],
                fill=shape.stroke,
                width=max(1, px(shape.width)),
                joint="curve",
            )
        elif isinstance(shape, Dot):
            ring = px(shape.r + 0.25)
            draw.ellipse(
                (px(shape.x) - ring, px(shape.y) - ring, px(shape.x) + ring, px(shape.y) + ring),
                fill="#FFFFFF",
            )
            draw.ellipse(
                (
                    px(shape.x) - px(shape.r),
                    px(shape.y) - px(shape.r),
                    px(shape.x) + px(shape.r),
                    px(shape.y) + px(shape.r),
                ),
                fill=shape.fill,
            )
        elif not shape.vertical:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text((px(shape.x), px(shape.y)), shape.text, font=font(shape.size), fill=TEXT, anchor=anchor)
        else:  # draw horizontally on a strip, turn it a quarter left, paste it so its baseline stays at x
            face = font(shape.size)
            ascent, descent = face.getmetrics()
            length = math.ceil(face.getlength(shape.text)) + 2
            strip = Image.new("L", (length, ascent + descent), 0)
            ImageDraw.Draw(strip).text((0, ascent), shape.text, font=face, fill=255, anchor="ls")
            strip = strip.transpose(Image.Transpose.ROTATE_90)
            top = px(shape.y) if shape.anchor == "end" else px(shape.y) - length
            image.paste(TEXT, (px(shape.x) - ascent, top), strip)
    image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The IPAex Gothic file: as fontconfig finds it, else at a known place; `OutputError` when there is none."""
    found = _fc_match(FAMILY)
    if found is not None:
        return found
    for candidate in KNOWN_FONTS:
        path = Path(os.path.expandvars(os.path.expanduser(candidate)))
        if path.is_file():
            return path
    raise OutputError(
        f"no Japanese font for the chart pictures: expected {FAMILY} (ipaexg.ttf, Debian/Ubuntu "
        f"package fonts-ipaexfont-gothic), found none with fc-match nor in {', '.join(KNOWN_FONTS)}"
    )


def _fc_match(family: str) -> Path | None:
    """The file fontconfig gives for `family`, only when it really is that family (not a fallback)."""
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", family],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = result.stdout.partition("\t")
    if family in families.split(",") and Path(file).is_file():
        return Path(file)
    return None
