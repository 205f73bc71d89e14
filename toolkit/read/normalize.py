"""Coerce raw YAML and Excel values to the types their schema fields expect, noting every change."""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import lru_cache
from typing import Callable, NamedTuple

NOTE_CODES = (
    "trailing_space",
    "number_as_text",
    "fullwidth",
    "thousands",
    "negative_mark",
    "unit",
    "unit_converted",
    "datetime",
    "serial_date",
    "wareki",
    "date_format",
    "boolean_word",
)
ERROR_CODES = (
    "date_out_of_range",
    "not_a_number",
    "not_an_integer",
    "unit_mismatch",
    "unit_unexpected",
    "not_a_date",
    "impossible_date",
    "not_a_boolean",
)


@dataclass(frozen=True)
class Note:
    """One change normalisation made to a value."""

    code: str  # one of NOTE_CODES
    found: object  # the raw value
    value: object  # what it became


class NormalizeError(ValueError):
    """Raised when a value cannot be read as the type its field expects."""

    def __init__(self, code: str, found: object, **params: object):
        super().__init__(f"{code}: {found!r}")
        self.code = code
        self.found = found
        self.params = params

    def __reduce__(self):
        return type(self), (self.code, self.found), {"params": self.params}


class Era(NamedTuple):
    """A Japanese era: name, initial, offset from era year to Western year, first and last day."""

    name: str
    letter: str
    offset: int
    first: date
    last: date | None


ERAS = (
    Era("明治", "M", 1867, date(1868, 1, 25), date(1912, 7, 30)),
    Era("大正", "T", 1911, date(1912, 7, 30), date(1926, 12, 25)),
    Era("昭和", "S", 1925, date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", 1988, date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", 2018, date(2019, 5, 1), None),
)
_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter, era.letter.lower())}

_NO_NOTES: tuple[Note, ...] = ()
_FLOAT_MAX = sys.float_info.max
# Plausible dates: from Meiji (the oldest plantations a forest project names) to the scheme's horizon; 9999-06-01
# is a typo, and periods computed from it would leave the calendar
FIRST_DAY = date(1868, 1, 1)
LAST_DAY = date(2100, 12, 31)
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)  # powers of ten must never round
_EXCEL_ORDINAL = date(1899, 12, 31).toordinal()
_EXCEL_LAST = 2958465  # 9999-12-31
_WEEKDAYS = "月火水木金土日"

_PLAIN_INT = re.compile(r"-?[0-9]+").fullmatch
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_PLAIN_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_NUMBER = re.compile(
    r"(?P<sign>[-+\u2212\u2010-\u2013▲△])?\s*"
    r"(?P<num>(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<exp>[eE][-+]?[0-9]+)?"
    r"(?:\s*(?P<unit>[^-+0-9\s.,].*))?"
).fullmatch
_NEGATIVE_MARKS = "▲△"

_UNIT_ALIASES = {"アール": "a", "平米": "m2", "平方メートル": "m2", "ヘクタール": "ha"}
_UNIT_SCALES = {  # (field unit, typed unit) -> power of ten
    ("kwh", "mwh"): 3,
    ("kwh", "gwh"): 6,
    ("kwh", "wh"): -3,
    ("kw", "mw"): 3,
    ("kw", "w"): -3,
    ("ha", "a"): -2,
    ("ha", "m2"): -4,
    ("円", "千円"): 3,
    ("円", "万円"): 4,
}

_TAIL = (  # optional weekday "(火)" and time "09:30", "T09:30:00+09:00"
    r"(?:\s*\((?P<wd>[月火水木金土日])(?:曜日?)?\))?"
    r"(?:(?:T|\s+)(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_KANJI_MD = r"\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日"
_SEP_MD = r"\s*(?P<sep>[-/.])\s*(?P<m>[0-9]{1,2})\s*(?P=sep)\s*(?P<d>[0-9]{1,2})"
_ERA_Y = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(?P<y>[0-9]{1,2}|元)"
_YEAR = r"(?P<y>[0-9]{4})"
_DATE_FORMS = tuple(
    (re.compile(pattern + _TAIL).fullmatch, code)
    for pattern, code in (
        (_YEAR + r"-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})", None),
        (_YEAR + _SEP_MD, "date_format"),
        (_YEAR + _KANJI_MD, "date_format"),
        (_YEAR + r"(?P<m>[0-9]{2})(?P<d>[0-9]{2})", "date_format"),
        (_ERA_Y + _KANJI_MD, "wareki"),
        (_ERA_Y + _SEP_MD, "wareki"),
    )
)

_TRUE_WORDS = frozenset("true yes y 1 はい 有 有り あり ○ ◯ 〇 対象 済 済み ✓ ✔".split())
_FALSE_WORDS = frozenset("false no n 0 いいえ 無 無し なし × ✕ ✗ ✘ - 対象外 未".split())


def coerce(value: object, type_name: str, unit: str | None = None) -> tuple[object, tuple[Note, ...]]:
    """Coerce one raw value to `type_name`; return the value and the notes of what changed."""
    coercer = _COERCERS.get(type_name)
    if coercer is None:
        return value, _NO_NOTES
    return coercer(value, unit)


def coercer(type_name: str | None):
    """The coercion function `f(value, unit)` for one type, for loops over many cells; None for other types."""
    return _COERCERS.get(type_name)


def coerce_column(
    rows: list[dict], key: str, type_name: str, bounds: tuple[float, float] = (-_FLOAT_MAX, _FLOAT_MAX)
) -> list[int]:
    """Give every row's `key` its canonical typed value where it already has one; return the other rows' indexes.

    The 130,000-row tables of a program are almost all canonical cells (a float from Excel, a date, a tidy
    string, a dropdown's はい or いいえ): those are converted here without a call per cell. An empty cell
    becomes None. The rows returned keep their raw value and go through `coercer(type_name)`, which notes or
    refuses them; so do numbers outside `bounds` (the field's plausible range; infinity and NaN always) and
    dates outside FIRST_DAY..LAST_DAY, for the caller to refuse.
    """
    others: list[int] = []
    decimal, string, day = type_name == "decimal", type_name == "string", type_name == "date"
    answers = _CANONICAL_ANSWERS if type_name == "boolean" else {}
    low, high = bounds
    decimals: dict[float, Decimal] = {}  # meter readings repeat: each converted once (Decimals are immutable)
    for index, row in enumerate(rows):
        value = row.get(key)
        kind = type(value)
        if kind is float and decimal and low <= value <= high:  # NaN compares false
            found = decimals.get(value)
            if found is None:
                found = decimals[value] = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
            row[key] = found
        elif kind is str and string and value and len(value.strip()) == len(value):
            pass
        elif kind is date and day and FIRST_DAY <= value <= LAST_DAY:
            pass
        elif kind is str and value in answers:
            row[key] = answers[value]
        elif kind is bool and answers:
            pass
        elif value is None or value == "":
            row[key] = None
        elif kind is int and decimal and low <= value <= high:
            row[key] = Decimal(value)
        else:
            others.append(index)
    return others


def excel_serial_to_date(serial: int | float | Decimal) -> date:
    """Read an Excel serial day (1900 date system, Lotus leap-year bug included); a time fraction is dropped."""
    if (
        isinstance(serial, bool)
        or not isinstance(serial, (int, float, Decimal))
        or (isinstance(serial, Decimal) and not serial.is_finite())
        or not 1 <= serial < _EXCEL_LAST + 1
    ):
        raise NormalizeError("not_a_date", serial)
    day = math.floor(serial)
    if day == 60:  # Excel's 1900-02-29, a day that never was
        raise NormalizeError("impossible_date", serial)
    return date.fromordinal(_EXCEL_ORDINAL + day - (day > 60))


def parse_wareki(text: str) -> date | None:
    """Read a 和暦 date such as 令和7年4月1日 or R7.4.1; None if it is not one, NormalizeError if no such day."""
    found = _read_date(_clean(text)[0], text)
    return found[0] if found and "wareki" in found[1] else None


def _notes(codes: list[str], found: object, value: object) -> tuple[Note, ...]:
    """Turn note codes into notes, each code once."""
    return tuple(Note(code, found, value) for code in dict.fromkeys(codes))


def _clean(raw: str) -> tuple[str, list[str]]:
    """Strip text and NFKC-normalise it for a non-text field; return it with its note codes."""
    text = raw.strip()
    codes = ["trailing_space"] if text and len(text) != len(raw) else []
    if not text.isascii():
        normal = unicodedata.normalize("NFKC", text).strip()
        if normal != text:
            codes.append("fullwidth")
            text = normal
    return text, codes


@lru_cache(maxsize=256)
def _unit_key(unit: str) -> str:
    """Compare units case-insensitively, after NFKC, ignoring spaces."""
    key = "".join(unicodedata.normalize("NFKC", unit).split()).casefold()
    return _UNIT_ALIASES.get(key, key)


def _parse_number(raw: str, unit: str | None) -> tuple[Decimal | None, list[str]]:
    """Read typed text as a Decimal: thousands separators, minus marks and a trailing unit allowed."""
    text, codes = _clean(raw)
    if not text:
        return None, codes
    match = _NUMBER(text)
    if match is None or (match["exp"] and abs(int(match["exp"][1:])) > 1000):
        raise NormalizeError("not_a_number", raw)
    sign, digits, found_unit = match["sign"], match["num"], match["unit"]
    if "," in digits:
        codes.append("thousands")
        digits = digits.replace(",", "")
    number = Decimal(digits + (match["exp"] or ""))
    if sign and sign != "+":
        number = number.copy_negate()  # unary minus would round to 28 digits
        if sign in _NEGATIVE_MARKS:
            codes.append("negative_mark")
        elif sign != "-":
            codes.append("fullwidth")
    if found_unit:
        if unit is None:
            raise NormalizeError("unit_unexpected", raw, found_unit=found_unit)
        want, got = _unit_key(unit), _unit_key(found_unit)
        if want == got:
            codes.append("unit")
        elif (want, got) in _UNIT_SCALES:
            number = number.scaleb(_UNIT_SCALES[want, got], _EXACT)
            codes.append("unit_converted")
        else:
            raise NormalizeError("unit_mismatch", raw, expected=unit, found_unit=found_unit)
    if number.as_tuple().exponent > 0:  # 1.2E+3 reads badly in a report; 1200 is the same number
        number = Decimal(int(number))
    return number, codes


def _to_decimal(value: object, unit: str | None) -> tuple[Decimal | None, list[str]]:
    """Read any raw value as a Decimal and the note codes it earned."""
    if isinstance(value, str):
        return _parse_number(value, unit)
    if isinstance(value, float) and math.isfinite(value):
        return (Decimal(int(value)) if value.is_integer() else Decimal(repr(value))), []
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value), []
    if isinstance(value, Decimal) and value.is_finite():
        return value, []
    if value is None:
        return None, []
    raise NormalizeError("not_a_number", value)


def _coerce_decimal(value: object, unit: str | None) -> tuple[object, tuple[Note, ...]]:
    """Coerce to Decimal."""
    kind = type(value)
    if kind is float:
        if value.is_integer():
            return Decimal(int(value)), _NO_NOTES  # twice as fast as Decimal(float)
        if math.isfinite(value):
            return Decimal(repr(value)), _NO_NOTES
    if kind is int:
        return Decimal(value), _NO_NOTES
    if kind is Decimal and value.is_finite():
        return value, _NO_NOTES
    if kind is str and _PLAIN_DECIMAL(value):
        return Decimal(value), _NO_NOTES
    number, codes = _to_decimal(value, unit)
    return number, _notes(codes, value, number)


def _coerce_integer(value: object, unit: str | None) -> tuple[object, tuple[Note, ...]]:
    """Coerce to int; the number must have no fractional part."""
    kind = type(value)
    if kind is int:
        return value, _NO_NOTES
    if kind is float and value.is_integer():
        return int(value), _NO_NOTES
    if kind is str and _PLAIN_INT(value):
        return int(value), _NO_NOTES
    number, codes = _to_decimal(value, unit)
    if number is None:
        return None, _NO_NOTES
    if number != number.to_integral_value():
        raise NormalizeError("not_an_integer", value)
    result = int(number)
    return result, _notes(codes, value, result)


def _read_date(text: str, raw: object) -> tuple[date, list[str]] | None:
    """Read cleaned text in one of the known date forms; None if it is in none of them."""
    for match, code in _DATE_FORMS:
        found = match(text)
        if found:
            break
    else:
        return None
    codes = [code] if code else []
    try:
        if code == "wareki":
            era = _ERA_BY_KEY[found["era"]]
            year = 1 if found["y"] == "元" else int(found["y"])
            day = date(era.offset + year, int(found["m"]), int(found["d"]))
            if year < 1 or day < era.first or (era.last is not None and day > era.last):
                raise ValueError("outside the era")
        else:
            day = date(int(found["y"]), int(found["m"]), int(found["d"]))
        if found["wd"] and _WEEKDAYS[day.weekday()] != found["wd"]:
            raise ValueError("wrong weekday")
        if found["H"] is not None and time(int(found["H"]), int(found["M"]), int(found["S"] or 0)) != time():
            codes.append("datetime")
    except ValueError:
        raise NormalizeError("impossible_date", raw) from None
    return day, codes


def _coerce_date(value: object, unit: str | None) -> tuple[object, tuple[Note, ...]]:
    """Coerce to a plausible date (FIRST_DAY to LAST_DAY) from a date, a datetime, an Excel serial or text."""
    day, notes = _any_date(value)
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise NormalizeError("date_out_of_range", value, low=FIRST_DAY, high=LAST_DAY)
    return day, notes


def _any_date(value: object) -> tuple[date | None, tuple[Note, ...]]:
    """Read a date from a date, a datetime, an Excel serial number or typed text."""
    kind = type(value)
    if kind is date:
        return value, _NO_NOTES
    if kind is str and _PLAIN_ISO(value):
        try:
            return date.fromisoformat(value), _NO_NOTES
        except ValueError:
            raise NormalizeError("impossible_date", value) from None
    if isinstance(value, datetime):
        day = value.date()
        return day, (_NO_NOTES if value.time() == time() else (Note("datetime", value, day),))
    if isinstance(value, date):
        return date(value.year, value.month, value.day), _NO_NOTES
    if isinstance(value, str):
        text, codes = _clean(value)
        if not text:
            return None, _NO_NOTES
        found = _read_date(text, value)
        if found is None:
            raise NormalizeError("not_a_date", value)
        return found[0], _notes(codes + found[1], value, found[0])
    if value is None:
        return None, _NO_NOTES
    day = excel_serial_to_date(value)  # raises not_a_date for bools and other types
    codes = ["serial_date"] if value == math.floor(value) else ["serial_date", "datetime"]
    return day, _notes(codes, value, day)


_CANONICAL_WORDS = frozenset({"はい", "いいえ"})
_CANONICAL_ANSWERS = {"はい": True, "いいえ": False}  # the dropdowns' words, read without a note


def _coerce_boolean(value: object, unit: str | None) -> tuple[object, tuple[Note, ...]]:
    """Coerce to bool from True/False, 1/0 or a yes/no word (English or Japanese)."""
    if value is True or value is False or value is None:
        return value, _NO_NOTES
    if isinstance(value, str):
        text, codes = _clean(value)
        if not text:
            return None, _NO_NOTES
        word = text.casefold()
        if word in _TRUE_WORDS or word in _FALSE_WORDS:
            result = word in _TRUE_WORDS
            # はい/いいえ are what the input workbook's dropdowns offer: canonical, so no note
            return result, _notes(
                codes + ([] if word in _CANONICAL_WORDS else ["boolean_word"]), value, result
            )
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if isinstance(value, Decimal) and value.is_snan():
            raise NormalizeError("not_a_boolean", value)
        if value == 1 or value == 0:
            return value == 1, (Note("boolean_word", value, value == 1),)
    raise NormalizeError("not_a_boolean", value)


def _number_text(number: int | float | Decimal) -> str:
    """Write a number as a person would have typed it: 1001.0 becomes "1001"."""
    if isinstance(number, float):
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(number, Decimal):  # from YAML, digits as written: version 3.0 stays "3.0"
        return format(number, "f") if number.is_finite() else str(number)
    return str(number)


def _coerce_string(value: object, unit: str | None) -> tuple[object, tuple[Note, ...]]:
    """Coerce to text: strip it, but never NFKC it, since names must stay as typed."""
    if type(value) is str:
        text = value.strip()
        if len(text) == len(value):
            return (value or None), _NO_NOTES
        if not text:
            return None, _NO_NOTES
        return text, (Note("trailing_space", value, text),)
    if value is None or isinstance(value, bool):
        return value, _NO_NOTES
    if isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, (int, float, Decimal)):
        text = _number_text(value)
    else:
        return value, _NO_NOTES
    return text, (Note("number_as_text", value, text),)


_COERCERS: dict[str, Callable[[object, str | None], tuple[object, tuple[Note, ...]]]] = {
    "string": _coerce_string,
    "integer": _coerce_integer,
    "decimal": _coerce_decimal,
    "date": _coerce_date,
    "boolean": _coerce_boolean,
}
