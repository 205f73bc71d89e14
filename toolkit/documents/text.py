"""How a value reads in a document: one function, so the PDF and the DOCX show the same text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from toolkit import messages
from toolkit.documents.model import Column, Missing, Value

EMPTY = "—"
MAX_PLACES = 6  # an exact figure prints with at most this many decimals; the workbook keeps every digit
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]"
)  # not allowed in XML (DOCX, XLSX)


def words(key: str, **params: object) -> str:
    """The words a document adds around its sections (messages.py document.*); documents are in Japanese."""
    return messages.render("document." + key, "ja", params)


def date_text(day: dt.date) -> str:
    """A date as documents write it, in text and in tables alike (one style a document): 2025年4月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def span_text(start: dt.date, end: dt.date) -> str:
    """A period in as few characters as one date style allows: 2025年4月 for a whole calendar month,
    2025年4月1日〜6月30日 within a year, 2025年4月1日〜2026年3月31日 across years."""
    whole_month = (
        start.day == 1
        and (end + dt.timedelta(days=1)).day == 1
        and (start.year, start.month)
        == (
            end.year,
            end.month,
        )
    )
    if whole_month:
        return f"{start.year}年{start.month}月"
    if start.year == end.year:
        return f"{date_text(start)}〜{end.month}月{end.day}日"
    return f"{date_text(start)}〜{date_text(end)}"


def number_text(value: Decimal | int, places: int | None = None, truncate: bool = False) -> str:
    """1234.5 -> 1,234.5; with `places`, rounded half up (or cut, with `truncate`) to that many decimals."""
    if isinstance(value, int):
        return f"{value:,}"
    if not value.is_finite():
        return str(value)
    if places is not None:  # half up, as Excel's number formats round, so print and workbook agree
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN if truncate else ROUND_HALF_UP)
        return f"{value:,.{places}f}"
    if value.as_tuple().exponent < -MAX_PLACES:
        value = value.quantize(Decimal(1).scaleb(-MAX_PLACES), rounding=ROUND_HALF_UP).normalize()
    value = value.normalize() if value == value.to_integral_value() else value
    text = format(value, "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}" if whole.lstrip("-").isdigit() else whole
    if whole.startswith("-") and not grouped.startswith("-"):
        grouped = "-" + grouped
    return f"{grouped}.{fraction}" if fraction else grouped


def field_path(path: str) -> str:
    """A finding's path as a draft shows it: the dotted path of an input field (proponent.postal_code), which
    tells the user where to type; a bare table or key name (grid_electricity, rules_version) is left out, the
    finding's own words already name it in Japanese."""
    return path if ("." in path or "[" in path) else ""


def clean(text: str) -> str:
    """User text as it may appear in a document: control characters removed, nothing else touched."""
    return _CONTROL.sub("", text)


def value_text(value: Value, column: Column | None = None) -> str:
    """The text of a value in a cell or after a label; `Missing` gives its marker."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Missing):
        return value.marker
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, (int, Decimal)):
        return number_text(value, column.places if column else None)
    return clean(str(value))
