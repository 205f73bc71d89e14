"""The calculation's text and JSON forms: exact figures as plain digits, columns that line up."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from toolkit.figures import EXACT
from toolkit.render.calculation_report import exact


@given(
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.builds(
        lambda digits, shift: Decimal(digits).scaleb(-shift),
        st.integers(-(10**60), 10**60),
        st.integers(-5, 80),
    )
)
def test_exact_writes_every_digit_and_nothing_more(value):
    """The text reads back as the same number, whatever its length, with no exponent and no trailing zero."""
    text = exact(value)
    assert Decimal(text) == value
    assert "E" not in text and not ("." in text and text.endswith("0"))


def test_exact_keeps_the_digits_of_a_long_exact_sum():
    """400.5 + 0.1234567890123456789012345678 has 31 significant digits: all of them are written (the
    default 28-digit context would have rounded the last three away)."""
    total = EXACT.add(Decimal("400.5"), Decimal("0.1234567890123456789012345678"))
    assert exact(total) == "400.6234567890123456789012345678"


def test_exact_drops_trailing_zeros_and_exponents():
    assert [exact(Decimal(text)) for text in ("100.0", "1E+2", "1.5E-7", "-0.250", "7")] == [
        "100",
        "100",
        "0.00000015",
        "-0.25",
        "7",
    ]
