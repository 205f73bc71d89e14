"""How wide each column of a table is on the page, decided once for the PDF and the DOCX.

Widths come from the content: each column wants the width of its longest line (capped: text wraps) and
needs at least a floor (4 full-width characters for text, so a label never stacks one character a line)
and its widest unbreakable piece (a number, a date, a short code). A table whose floors do not fit the
portrait text block at the table font takes a smaller one, and one that does not fit even so goes on a
landscape page of its own (at the table font if it fits there, else the smaller one). Nothing is ever wider
than the text block: the test of the pages (tests/render/test_pages.py) measures every character's box.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from toolkit.documents.model import Column, Missing, Table
from toolkit.documents.text import value_text

MM = 72 / 25.4  # points per millimetre
PORTRAIT = (210 - 2 * 20) * MM  # the text block of A4 with 20 mm margins (document.css @page)
LANDSCAPE = (297 - 2 * 20) * MM
FONT = 9.0  # table text, pt (document.css table)
SMALL_FONT = 8.0  # a table that fits nowhere at FONT
PADDING = {
    FONT: 1.5 * MM * 2 + 0.5,
    SMALL_FONT: 1 * MM * 2 + 0.5,
}  # cell padding and a border, pt (document.css)
TEXT_FLOOR = 4.0  # full-width characters: the narrowest a text column may be
NUMBER_FLOOR = 3.0  # a number column: its header still reads as a word
# (either floor only where the column has a longer line: one whose every line is shorter never wraps)
TEXT_CAP = 100.0  # a text column never asks for more than this many characters a line (it wraps)
TOKEN_CAP = 12.0  # a longer run without a break opportunity (a hash, a URL) may break anywhere
NUMERIC = ("number", "integer")
SLACK = 0.3  # em: what the estimate of a line may fall short of the glyphs' advances (kWh is 2.05 em)
HALF = 0.66  # the advance of a half-width character of IPAexGothic, in em (digits 0.63, W wider: measured)


@dataclass(frozen=True)
class Layout:
    """A table's column widths (shares of the text block, summing to 1), its page and its font size."""

    shares: tuple[float, ...]
    landscape: bool = False
    font: float = FONT

    @property
    def small(self) -> bool:
        """Whether the table needs the smaller font to keep every column at its floor."""
        return self.font < FONT


@lru_cache(maxsize=65536)
def _char_em(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("F", "W", "A") else HALF


def text_em(text: str) -> float:
    """The width of the longest line of `text`, in em of the table font."""
    widest = 0.0
    for line in text.split("\n"):
        width = len(line) * HALF if line.isascii() else sum(_char_em(char) for char in line)
        widest = max(widest, width)
    return widest


def token_em(text: str) -> float:
    """The widest piece of `text` a line cannot break inside: a run of half-width characters without a
    space (a number, an ID, a symbol); full-width text may break between any two characters, and a path
    after each / (blocks.html marks the place with <wbr>)."""
    widest, run = 0.0, 0
    for char in text:
        if char.isspace() or _char_em(char) == 1.0:
            widest, run = max(widest, run * HALF), 0
            if not char.isspace():
                widest = max(widest, 1.0)
        elif char == "/":
            widest, run = max(widest, (run + 1) * HALF), 0
        else:
            run += 1
    return max(widest, run * HALF)


def _cell_text(value: object, column: Column) -> str:
    if isinstance(value, Missing):
        return value.marker
    return value_text(value, column)  # type: ignore[arg-type]


def _measure(table: Table, column: Column) -> tuple[float, float]:
    """(wanted, needed) width of one column in em: its longest line (capped) and its floor."""
    numeric = column.kind in NUMERIC
    head = [column.label] + ([f"({column.unit})"] if column.unit else [])
    longest = max(text_em(part) for part in head)  # the longest line, uncapped: what never wraps
    wanted = min(longest, TEXT_CAP)
    needed = max(min(token_em(part), TOKEN_CAP) for part in head)
    rows = table.rows if table.total is None else [*table.rows, table.total]
    seen: set = set()
    for row in rows:
        value = row.get(column.key)
        if value is None or value in seen:
            continue
        seen.add(value)
        text = _cell_text(value, column)
        if numeric and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            width = len(text) * HALF  # numbers never wrap (document.css td.num)
            wanted, needed, longest = max(wanted, width), max(needed, width), max(longest, width)
            continue
        if isinstance(value, dt.date):  # a date on one line (2025年4月1日), never cut after 年
            width = text_em(text)
            wanted, needed, longest = max(wanted, width), max(needed, width), max(longest, width)
            continue
        line = text_em(text)
        longest = max(longest, line)
        wanted = max(wanted, min(line, TEXT_CAP))
        needed = max(needed, min(token_em(text), TOKEN_CAP))
    # the floor keeps a column from stacking its text a character a line; a column whose every line is
    # shorter (単位: kWh, %) never wraps and needs no more than its longest line
    floor = min(NUMBER_FLOOR if numeric else TEXT_FLOOR, longest + SLACK)
    needed = max(needed + SLACK, floor)
    return max(wanted, needed), needed


def _fit(wanted: list[float], needed: list[float], space: float) -> list[float]:
    """Widths in pt adding up to `space`: every column gets what it needs, the rest shared by what it wants."""
    total_wanted, total_needed = sum(wanted), sum(needed)
    if total_wanted <= space:  # room to spare: widen every column in proportion
        return [width * space / total_wanted for width in wanted]
    if total_needed >= space:  # no room at all: the floors, scaled down (the page test reports it)
        return [width * space / total_needed for width in needed]
    share = (space - total_needed) / (total_wanted - total_needed)
    return [low + (high - low) * share for low, high in zip(needed, wanted)]


def table_layout(table: Table, landscape: bool = False) -> Layout:
    """The column widths of `table` on a document whose pages are `landscape` or portrait."""
    if not table.columns:
        return Layout(())
    measured = [_measure(table, column) for column in table.columns]
    choices = (
        [(False, FONT), (False, SMALL_FONT), (True, FONT), (True, SMALL_FONT)]
        if not landscape
        else [(True, FONT), (True, SMALL_FONT)]
    )
    for wide, font in choices:
        space = LANDSCAPE if wide else PORTRAIT
        needed = [low * font + PADDING[font] for _, low in measured]
        if sum(needed) <= space or (wide, font) == choices[-1]:
            break
    wanted = [high * font + PADDING[font] for high, _ in measured]
    widths = _fit(wanted, needed, space)
    total = sum(widths)
    return Layout(tuple(width / total for width in widths), wide and not landscape, font)
