"""The calculation's text and JSON forms: exact figures as plain digits, columns that line up."""

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from toolkit.figures import EXACT, FactorRef, Figure, PeriodResult
from toolkit.render.calculation_report import exact, period_json


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


@given(st.text(), st.booleans())
def test_a_period_is_json_with_its_figures_whatever_its_source_path(source, detail):
    """A period's JSON is written from a pattern: it still parses, every value where json.dumps would put it,
    a path with quotes, backslashes, control characters or Japanese escaped."""
    factor = FactorRef(
        "grid_electricity", (("basis", "all_source"),), 2025, Decimal("0.000438"), "t-CO2/kWh", "s", "v"
    )
    baseline = Figure(Decimal("1.5E-7"), "t-CO2", "EM_BL = EL × CEF", {"EL": Decimal("100.0")}, (factor,))
    project = Figure(Decimal("0"), "t-CO2", "EM_PJ = 0")
    piece = PeriodResult("PV-1", dt.date(2025, 4, 1), dt.date(2025, 4, 30), 2025, baseline, project, source)
    found = json.loads(period_json(piece, detail))
    expected = {
        "start": "2025-04-01",
        "end": "2025-04-30",
        "fiscal_year": 2025,
        "source": source,
        "baseline_t": "0.00000015",
        "project_t": "0",
        "reduction_t": "0.00000015",
    }
    if detail:
        expected["baseline"] = {
            "value_t": "0.00000015",
            "formula": "EM_BL = EL × CEF",
            "inputs": {"EL": "100"},
            "factors": ["grid_electricity[basis=all_source]@FY2025"],
        }
        expected["project"] = {"value_t": "0", "formula": "EM_PJ = 0", "inputs": {}}
    assert found == expected
    assert list(found) == list(expected)


def test_calc_json_written_half_by_a_child_is_the_same(monkeypatch):
    from pathlib import Path

    from toolkit.pipeline import calculate
    from toolkit.render import calculation_report

    result = calculate(Path(__file__).resolve().parents[2] / "samples" / "solar-program")
    for detail in (False, True):
        alone = calculation_report.calculation_json(result, "en", detail)
        monkeypatch.setattr(calculation_report, "SHARED_PERIODS", 1)  # every program's JSON split in two
        shared = calculation_report.calculation_json(result, "en", detail)
        monkeypatch.undo()
        assert shared == alone and alone.endswith(b"\n")
        assert len(json.loads(alone)["activities"]) == len(result.activities) > 1
