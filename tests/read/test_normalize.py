"""Tests for toolkit.normalize: coercing raw cell values to schema types, with notes."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.read.normalize import (
    ERAS,
    ERROR_CODES,
    NOTE_CODES,
    NormalizeError,
    Note,
    coerce,
    coerce_column,
    excel_serial_to_date,
    parse_wareki,
)

D = Decimal

VALUES = [
    # empty
    (None, "decimal", None, None, ()),
    ("", "integer", None, None, ()),
    ("   ", "date", None, None, ()),
    ("\u3000", "boolean", None, None, ()),
    ("", "string", None, None, ()),
    (" \u3000 ", "string", None, None, ()),
    # string
    ("PV-0001", "string", None, "PV-0001", ()),
    (" 山田 太郎\u3000", "string", None, "山田 太郎", ("trailing_space",)),
    ("ＡＢＣ１", "string", None, "ＡＢＣ１", ()),
    (1001, "string", None, "1001", ("number_as_text",)),
    (1001.0, "string", None, "1001", ("number_as_text",)),
    (12.5, "string", None, "12.5", ("number_as_text",)),
    (D("1001"), "string", None, "1001", ("number_as_text",)),
    (date(2025, 4, 1), "string", None, "2025-04-01", ("number_as_text",)),
    (datetime(2025, 4, 1), "string", None, "2025-04-01", ("number_as_text",)),
    (True, "string", None, True, ()),
    # decimal
    (1234.0, "decimal", None, D(1234), ()),
    (12.0, "decimal", None, D(12), ()),
    (0.1, "decimal", None, D("0.1"), ()),
    (7, "decimal", None, D(7), ()),
    (D("3.14"), "decimal", None, D("3.14"), ()),
    ("0.000441", "decimal", None, D("0.000441"), ()),
    ("123.5", "decimal", None, D("123.5"), ()),
    ("-5", "decimal", None, D(-5), ()),
    ("+5", "decimal", None, D(5), ()),
    (".5", "decimal", None, D("0.5"), ()),
    ("1e3", "decimal", None, D(1000), ()),
    ("2.5E-3", "decimal", None, D("0.0025"), ()),
    (" 42 ", "decimal", None, D(42), ("trailing_space",)),
    ("１２３", "decimal", None, D(123), ("fullwidth",)),
    ("１，２３４．５", "decimal", None, D("1234.5"), ("fullwidth", "thousands")),
    ("1,234,567.5", "decimal", None, D("1234567.5"), ("thousands",)),
    ("−5", "decimal", None, D(-5), ("fullwidth",)),
    ("－5", "decimal", None, D(-5), ("fullwidth",)),
    ("▲1,000", "decimal", None, D(-1000), ("thousands", "negative_mark")),
    ("△ 2.5", "decimal", None, D("-2.5"), ("negative_mark",)),
    ("1,234kWh", "decimal", "kWh", D(1234), ("thousands", "unit")),
    ("1234 kWh", "decimal", "kWh", D(1234), ("unit",)),
    ("1234 KWH", "decimal", "kWh", D(1234), ("unit",)),
    ("12.5ｋＷ", "decimal", "kW", D("12.5"), ("fullwidth", "unit")),
    ("3.2ha", "decimal", "ha", D("3.2"), ("unit",)),
    ("100円", "decimal", "円", D(100), ("unit",)),
    ("5日", "decimal", "日", D(5), ("unit",)),
    ("15mm/日", "decimal", "mm/日", D(15), ("unit",)),
    ("15 mm / 日", "decimal", "mm/日", D(15), ("unit",)),
    ("500kg/10a", "decimal", "kg/10a", D(500), ("unit",)),
    ("1.2MWh", "decimal", "kWh", D("1200"), ("unit_converted",)),
    ("0.5GWh", "decimal", "kWh", D(500000), ("unit_converted",)),
    ("1234Wh", "decimal", "kWh", D("1.234"), ("unit_converted",)),
    ("2MW", "decimal", "kW", D(2000), ("unit_converted",)),
    ("500W", "decimal", "kW", D("0.5"), ("unit_converted",)),
    ("50a", "decimal", "ha", D("0.5"), ("unit_converted",)),
    ("50アール", "decimal", "ha", D("0.5"), ("unit_converted",)),
    ("3,000㎡", "decimal", "ha", D("0.3"), ("fullwidth", "thousands", "unit_converted")),
    ("3000m2", "decimal", "ha", D("0.3"), ("unit_converted",)),
    ("1,500千円", "decimal", "円", D(1500000), ("thousands", "unit_converted")),
    ("2.5万円", "decimal", "円", D(25000), ("unit_converted",)),
    # integer
    (1234, "integer", None, 1234, ()),
    (10000000.0, "integer", None, 10000000, ()),
    ("42", "integer", None, 42, ()),
    ("10,000,000円", "integer", "円", 10000000, ("thousands", "unit")),
    ("1.5MWh", "integer", "kWh", 1500, ("unit_converted",)),
    ("１２", "integer", None, 12, ("fullwidth",)),
    ("12.0", "integer", None, 12, ()),
    (D("12.00"), "integer", None, 12, ()),
    ("▲3", "integer", None, -3, ("negative_mark",)),
    # date
    (date(2025, 4, 1), "date", None, date(2025, 4, 1), ()),
    (datetime(2025, 4, 1), "date", None, date(2025, 4, 1), ()),
    (datetime(2025, 4, 1, 9, 30), "date", None, date(2025, 4, 1), ("datetime",)),
    ("2025-04-01", "date", None, date(2025, 4, 1), ()),
    ("2025-04-01 00:00:00", "date", None, date(2025, 4, 1), ()),
    ("2025-04-01T09:30", "date", None, date(2025, 4, 1), ("datetime",)),
    ("2025-04-01T09:30:00+09:00", "date", None, date(2025, 4, 1), ("datetime",)),
    ("2025/4/1", "date", None, date(2025, 4, 1), ("date_format",)),
    ("2025.4.1", "date", None, date(2025, 4, 1), ("date_format",)),
    ("2025-4-1", "date", None, date(2025, 4, 1), ("date_format",)),
    ("2025/04/01 12:00", "date", None, date(2025, 4, 1), ("date_format", "datetime")),
    ("2025年4月1日", "date", None, date(2025, 4, 1), ("date_format",)),
    ("2025年4月1日(火)", "date", None, date(2025, 4, 1), ("date_format",)),
    ("20250401", "date", None, date(2025, 4, 1), ("date_format",)),
    ("２０２５年４月１日", "date", None, date(2025, 4, 1), ("fullwidth", "date_format")),
    ("令和7年4月1日", "date", None, date(2025, 4, 1), ("wareki",)),
    ("令和 7 年 4 月 1 日", "date", None, date(2025, 4, 1), ("wareki",)),
    ("令和元年5月1日", "date", None, date(2019, 5, 1), ("wareki",)),
    ("R7.4.1", "date", None, date(2025, 4, 1), ("wareki",)),
    ("R7/4/1", "date", None, date(2025, 4, 1), ("wareki",)),
    ("R07.04.01", "date", None, date(2025, 4, 1), ("wareki",)),
    ("r7.4.1", "date", None, date(2025, 4, 1), ("wareki",)),
    ("Ｒ７．４．１", "date", None, date(2025, 4, 1), ("fullwidth", "wareki")),
    ("H31.4.30", "date", None, date(2019, 4, 30), ("wareki",)),
    ("平成31年4月30日", "date", None, date(2019, 4, 30), ("wareki",)),
    ("平成元年1月8日", "date", None, date(1989, 1, 8), ("wareki",)),
    ("昭和64年1月7日", "date", None, date(1989, 1, 7), ("wareki",)),
    ("S64.1.7", "date", None, date(1989, 1, 7), ("wareki",)),
    ("大正15年12月25日", "date", None, date(1926, 12, 25), ("wareki",)),
    ("明治45年7月30日", "date", None, date(1912, 7, 30), ("wareki",)),
    ("㍻31年4月30日", "date", None, date(2019, 4, 30), ("fullwidth", "wareki")),
    (1, "date", None, date(1900, 1, 1), ("serial_date",)),
    (59, "date", None, date(1900, 2, 28), ("serial_date",)),
    (61, "date", None, date(1900, 3, 1), ("serial_date",)),
    (45748, "date", None, date(2025, 4, 1), ("serial_date",)),
    (45748.0, "date", None, date(2025, 4, 1), ("serial_date",)),
    (D(45748), "date", None, date(2025, 4, 1), ("serial_date",)),
    (45748.375, "date", None, date(2025, 4, 1), ("serial_date", "datetime")),
    (73415, "date", None, date(2100, 12, 31), ("serial_date",)),
    # boolean
    (True, "boolean", None, True, ()),
    (False, "boolean", None, False, ()),
    *[
        (w, "boolean", None, True, ("boolean_word",))
        for w in ("true", "TRUE", "Yes", "y", "1", "有", "あり", "○", "◯", "〇", "対象", "済")
    ],
    *[
        (w, "boolean", None, False, ("boolean_word",))
        for w in ("false", "No", "N", "0", "無", "なし", "×", "✕", "-", "対象外")
    ],
    # the dropdown words of the input workbook are canonical
    ("はい", "boolean", None, True, ()),
    ("いいえ", "boolean", None, False, ()),
    ("ＹＥＳ", "boolean", None, True, ("fullwidth", "boolean_word")),
    ("－", "boolean", None, False, ("fullwidth", "boolean_word")),
    (" はい ", "boolean", None, True, ("trailing_space",)),
    (1, "boolean", None, True, ("boolean_word",)),
    (0, "boolean", None, False, ("boolean_word",)),
    (1.0, "boolean", None, True, ("boolean_word",)),
    (D(0), "boolean", None, False, ("boolean_word",)),
    # other types pass through
    ({"a": 1}, "dict", None, {"a": 1}, ()),
    ([" x "], "list", None, [" x "], ()),
    (" x ", "list", None, " x ", ()),
]


@pytest.mark.parametrize(("found", "type_name", "unit", "expected", "codes"), VALUES)
def test_coerce(found, type_name, unit, expected, codes):
    value, notes = coerce(found, type_name, unit)
    assert value == expected
    assert type(value) is type(expected)
    assert tuple(note.code for note in notes) == codes
    assert all(note.found is found and note.value == value for note in notes)


def test_decimal_keeps_digits_and_never_floats():
    assert str(coerce("0.000441", "decimal")[0]) == "0.000441"
    assert str(coerce("1.2MWh", "decimal", "kWh")[0]) == "1200"
    assert str(coerce(0.1, "decimal")[0]) == "0.1"
    assert coerce(12.0, "decimal")[0].as_tuple() == D(12).as_tuple()
    value = D("12345678901234567890123456789.123")
    assert coerce(f"{value:,}MWh", "decimal", "kWh")[0] == D("12345678901234567890123456789123")


ERRORS = [
    # plausible dates only: 9999-06-01 is a typo, and periods computed from it leave the calendar
    (2958465, "date", None, "date_out_of_range"),
    ("9999-06-01", "date", None, "date_out_of_range"),
    (date(9999, 6, 1), "date", None, "date_out_of_range"),
    (datetime(1700, 1, 1), "date", None, "date_out_of_range"),
    ("2101-01-01", "date", None, "date_out_of_range"),
    ("abc", "decimal", None, "not_a_number"),
    ("12-3", "decimal", None, "not_a_number"),
    ("N/A", "decimal", None, "not_a_number"),
    ("－", "decimal", None, "not_a_number"),
    ("▲", "decimal", None, "not_a_number"),
    ("1,23", "decimal", None, "not_a_number"),
    ("1,2345", "decimal", None, "not_a_number"),
    ("0,5", "decimal", None, "not_a_number"),
    ("1.2.3", "decimal", None, "not_a_number"),
    ("--5", "decimal", None, "not_a_number"),
    ("NaN", "decimal", None, "not_a_number"),
    ("1e99999", "decimal", None, "not_a_number"),
    (True, "decimal", None, "not_a_number"),
    (float("nan"), "decimal", None, "not_a_number"),
    (float("inf"), "decimal", None, "not_a_number"),
    (D("NaN"), "decimal", None, "not_a_number"),
    (date(2025, 4, 1), "decimal", None, "not_a_number"),
    ("12kg", "decimal", "kWh", "unit_mismatch"),
    ("12kW", "decimal", "kWh", "unit_mismatch"),
    ("12 t/10a", "decimal", "kg/10a", "unit_mismatch"),
    ("12kWh", "decimal", None, "unit_unexpected"),
    ("12.5", "integer", None, "not_an_integer"),
    (12.5, "integer", None, "not_an_integer"),
    (D("0.1"), "integer", None, "not_an_integer"),
    ("1.2345MWh", "integer", "kWh", "not_an_integer"),
    ("abc", "integer", None, "not_a_number"),
    (False, "integer", None, "not_a_number"),
    ("2025-02-30", "date", None, "impossible_date"),
    ("2025-13-01", "date", None, "impossible_date"),
    ("2025/2/29", "date", None, "impossible_date"),
    ("令和7年2月30日", "date", None, "impossible_date"),
    ("令和1年4月30日", "date", None, "impossible_date"),
    ("R0.5.1", "date", None, "impossible_date"),
    ("平成31年5月1日", "date", None, "impossible_date"),
    ("平成元年1月7日", "date", None, "impossible_date"),
    ("昭和64年1月8日", "date", None, "impossible_date"),
    ("昭和元年12月24日", "date", None, "impossible_date"),
    ("大正15年12月26日", "date", None, "impossible_date"),
    ("明治元年1月24日", "date", None, "impossible_date"),
    ("2025-04-01T25:00", "date", None, "impossible_date"),
    ("2025年4月1日(水)", "date", None, "impossible_date"),
    (60, "date", None, "impossible_date"),
    ("tomorrow", "date", None, "not_a_date"),
    ("25/4/1", "date", None, "not_a_date"),
    ("2025/4-1", "date", None, "not_a_date"),
    ("X7.4.1", "date", None, "not_a_date"),
    ("45748", "date", None, "not_a_date"),
    (True, "date", None, "not_a_date"),
    (0, "date", None, "not_a_date"),
    (-1, "date", None, "not_a_date"),
    (2958466, "date", None, "not_a_date"),
    (float("nan"), "date", None, "not_a_date"),
    (D("Infinity"), "date", None, "not_a_date"),
    ([2025, 4, 1], "date", None, "not_a_date"),
    ("maybe", "boolean", None, "not_a_boolean"),
    (2, "boolean", None, "not_a_boolean"),
    (0.5, "boolean", None, "not_a_boolean"),
    (date(2025, 4, 1), "boolean", None, "not_a_boolean"),
]


@pytest.mark.parametrize(("found", "type_name", "unit", "code"), ERRORS)
def test_coerce_errors(found, type_name, unit, code):
    with pytest.raises(NormalizeError) as caught:
        coerce(found, type_name, unit)
    assert caught.value.code == code
    assert caught.value.found is found
    assert isinstance(caught.value, ValueError)


def test_unit_mismatch_params():
    with pytest.raises(NormalizeError) as caught:
        coerce("12kg", "decimal", "kWh")
    assert caught.value.params == {"expected": "kWh", "found_unit": "kg"}
    with pytest.raises(NormalizeError) as caught:
        coerce("12kWh", "integer")
    assert (caught.value.code, caught.value.params) == ("unit_unexpected", {"found_unit": "kWh"})


def test_error_pickles_and_note_is_frozen():
    error = pickle.loads(pickle.dumps(NormalizeError("unit_mismatch", "1t", expected="kg", found_unit="t")))
    assert (error.code, error.found, error.params) == (
        "unit_mismatch",
        "1t",
        {"expected": "kg", "found_unit": "t"},
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        Note("unit", "1kWh", D(1)).code = "x"


def test_helpers():
    assert excel_serial_to_date(45748.99) == date(2025, 4, 1)
    assert parse_wareki("令和元年5月1日") == date(2019, 5, 1)
    assert parse_wareki("2025-04-01") is None
    assert [era.name for era in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]


def _with_thousands(number: Decimal) -> str:
    text = format(number, "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = text.partition(".")
    return f"{sign}{int(whole):,}{dot}{fraction}"


@given(st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False))
def test_decimal_with_thousands_round_trips(number):
    text = _with_thousands(number)
    value, notes = coerce(text, "decimal")
    assert value == number and type(value) is Decimal
    assert [n.code for n in notes] == (["thousands"] if "," in text else [])
    if number < 0:
        assert coerce("▲" + text[1:], "decimal")[0] == number


def _wareki(day: date) -> list[str]:
    for name, letter, offset, first in (
        ("令和", "R", 2018, date(2019, 5, 1)),
        ("平成", "H", 1988, date(1989, 1, 8)),
    ):
        if day >= first:
            year = day.year - offset
            kanji_year = "元" if year == 1 else str(year)
            return [
                f"{name}{kanji_year}年{day.month}月{day.day}日",
                f"{letter}{year:02}.{day.month:02}.{day.day:02}",
            ]
    return []


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_date_forms_round_trip(day):
    serial = (day - date(1899, 12, 30)).days
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        serial,
        float(serial),
        serial + 0.5,
        *_wareki(day),
    ]
    for form in forms:
        assert coerce(form, "date")[0] == day, form
    assert excel_serial_to_date(serial) == day
    assert day - excel_serial_to_date(serial - 1) == timedelta(days=1)


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.text(max_size=12),
    st.from_regex(
        r"[▲\-+ ]?[0-9０-９,，.]{1,9}(e[0-9]{1,3})? ?(kWh|MWh|kW|ha|a|㎡|円|万円|日|kg)?", fullmatch=True
    ),
    st.from_regex(
        r"(R|H|S|令和|平成|昭和)?[0-9元]{1,4}[年/.\-][0-9]{1,2}[月/.\-][0-9]{1,2}日?", fullmatch=True
    ),
)


@settings(max_examples=300)
@given(
    ANY_VALUE,
    st.sampled_from(["string", "integer", "decimal", "date", "boolean"]),
    st.sampled_from([None, "kWh", "kW", "ha", "円", "日"]),
)
def test_codes_are_declared_and_no_float_escapes(found, type_name, unit):
    try:
        value, notes = coerce(found, type_name, unit)
    except NormalizeError as error:
        assert error.code in ERROR_CODES
        return
    assert not isinstance(value, float)
    assert all(note.code in NOTE_CODES for note in notes)
    assert len({note.code for note in notes}) == len(notes)


_RAW = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.text(max_size=6),
    st.sampled_from(
        [" 12", "12 ", "１２", "2025-04-01", "R7.4.1", "　x", "x", "はい", "いいえ", "有", " はい"]
    ),
    st.sampled_from([True, False, 1.0, 3.0, 0.1, -0.0]),  # repeated, as meter readings and dropdowns are
)


@settings(max_examples=300)
@given(
    values=st.lists(_RAW, max_size=12),
    type_name=st.sampled_from(["decimal", "string", "date", "integer", "boolean"]),
)
def test_the_column_fast_path_gives_what_the_coercer_gives(values, type_name):
    """Cells the fast path converts get the coercer's value without notes; every other cell is handed back raw."""
    rows = [{"x": value} for value in values]
    others = coerce_column(rows, "x", type_name)
    for index, value in enumerate(values):
        if index in others:
            assert rows[index]["x"] is value
            continue
        expected, notes = coerce(value, type_name)
        assert notes == ()
        assert rows[index]["x"] == expected and type(rows[index]["x"]) is type(expected)
        assert str(rows[index]["x"]) == str(expected)  # 3.0 from Excel is Decimal 3, as the coercer reads it


def test_the_column_fast_path_fills_a_missing_key_with_none():
    rows = [{}, {"x": 1.5}]
    assert coerce_column(rows, "x", "decimal") == []
    assert rows == [{"x": None}, {"x": Decimal("1.5")}]
