"""The calculation's text and JSON forms: exact figures as plain digits, columns that line up."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from toolkit.render.calculation_report import _width, exact


@given(
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.builds(
        lambda digits, shift: Decimal(digits).scaleb(-shift),
        st.integers(-(10**30), 10**30),
        st.integers(-5, 40),
    )
)
def test_exact_writes_what_normalize_writes(value):
    """The plain-text shortcut gives the same digits as format(value.normalize(), "f"), for every Decimal."""
    assert exact(value) == format(value.normalize(), "f")


def test_exact_drops_trailing_zeros_and_exponents():
    assert [exact(Decimal(text)) for text in ("100.0", "1E+2", "1.5E-7", "-0.250", "7")] == [
        "100",
        "100",
        "0.00000015",
        "-0.25",
        "7",
    ]


def test_full_width_characters_take_two_columns():
    assert _width("PV-0001") == 7
    assert _width("年度FY") == 6
