"""How a value reads in a document: one function, so the PDF and the DOCX show the same text."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
import unicodedata
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


DATE_STYLES = ("seireki", "wareki")  # project.date_style: 西暦 (the default) or 和暦
_STYLE: contextvars.ContextVar[str] = contextvars.ContextVar("date_style", default="seireki")
ERAS = ((dt.date(2019, 5, 1), "令和"), (dt.date(1989, 1, 8), "平成"), (dt.date(1926, 12, 25), "昭和"))


@contextlib.contextmanager
def date_style(style: str | None):
    """Dates written inside the block in `style` (seireki: 2025年4月1日, wareki: 令和7年4月1日); the
    document builder and each renderer set it from the document, so one document has one style."""
    token = _STYLE.set(style if style in DATE_STYLES else "seireki")
    try:
        yield
    finally:
        _STYLE.reset(token)


def year_text(day: dt.date) -> str:
    """The year of `day` in the current style: 2025年 or 令和7年 (令和元年 for its first)."""
    if _STYLE.get() == "wareki":
        for start, era in ERAS:
            if day >= start:
                year = day.year - start.year + 1
                return f"{era}{'元' if year == 1 else year}年"
    return f"{day.year}年"


def date_text(day: dt.date) -> str:
    """A date as documents write it, in text and in tables alike (one style a document): 2025年4月1日
    or, with project.date_style wareki, 令和7年4月1日. Every date in a document passes here."""
    return f"{year_text(day)}{day.month}月{day.day}日"


def fiscal_year_text(year: int) -> str:
    """A fiscal year (April to March) in the current style: 2025年度 or 令和7年度."""
    return f"{year_text(dt.date(year, 12, 31))[:-1]}年度"


def span_text(start: dt.date, end: dt.date) -> str:
    """A period in as few characters as one date style allows: a day (2025年4月18日), a whole fiscal year
    (2025年度), a whole calendar month (2025年4月), 2025年4月1日〜6月30日 within a year, else both dates."""
    if start == end:
        return date_text(start)
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and end.year == start.year + 1:
        return fiscal_year_text(start.year)
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
        return f"{year_text(start)}{start.month}月"
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


def terminal_width(text: str) -> int:
    """Columns a terminal gives the text: full-width (Japanese) characters take two."""
    if text.isascii():  # figures and IDs, nearly every cell
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


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
