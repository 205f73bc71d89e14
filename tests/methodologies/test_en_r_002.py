"""EN-R-002: self-consumption = generation − sold; metered self-consumption wins; the factor of the fiscal year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from toolkit.calculate import factors as factor_tables
from toolkit.errors import FactorError, InputConflict, InputMissing
from toolkit.methodologies import en_r_002
from toolkit.periods import Piece

CREDITING = (dt.date(2025, 4, 1), dt.date(2031, 3, 31))
GRID = (
    "grid_electricity:\n"
    "  - {fiscal_year: 2025, basis: all_source, value: 0.000441, unit: t-CO2/kWh, source: test, status: verified}\n"
    "  - {fiscal_year: 2026, basis: all_source, value: 0.000400, unit: t-CO2/kWh, source: test, status: verified}\n"
)


@pytest.fixture
def factors(tmp_path):
    (tmp_path / "factors.yaml").write_text(GRID, encoding="utf-8")
    return factor_tables.load("2023-10", tmp_path)


def piece(year: int) -> Piece:
    return Piece(dt.date(year, 5, 1), dt.date(year, 5, 31), year, 31, 31)


def test_sold_and_fit_power_is_never_counted(factors):
    baseline, project = en_r_002.calculate(
        {"fit": True}, {"generation_kwh": D(600), "sold_kwh": D(450)}, piece(2025), CREDITING, factors
    )
    assert baseline.value == D(150) * D("0.000441")  # (600 − 450) kWh × CEF
    assert baseline.inputs["EL_PJ,self"] == D(150) and project.value == 0


def test_metered_self_consumption_wins(factors):
    reading = {"generation_kwh": D(600), "sold_kwh": D(450), "self_consumption_kwh": D(120)}
    baseline, _ = en_r_002.calculate({}, reading, piece(2025), CREDITING, factors)
    assert baseline.inputs["EL_PJ,self"] == D(120)


def test_each_fiscal_year_takes_its_own_factor(factors):
    reading = {"generation_kwh": D(100), "sold_kwh": D(0)}
    assert en_r_002.calculate({}, reading, piece(2025), CREDITING, factors)[0].value == D("0.0441")
    assert en_r_002.calculate({}, reading, piece(2026), CREDITING, factors)[0].value == D("0.0400")


def test_no_factor_for_the_year_is_an_error_not_another_year(factors):
    with pytest.raises(FactorError) as raised:
        en_r_002.calculate({}, {"generation_kwh": D(1), "sold_kwh": D(0)}, piece(2027), CREDITING, factors)
    assert "FY2027" in raised.value.problems[0].message("en")


def test_an_empty_sold_amount_is_not_taken_as_none_sold(factors):
    with pytest.raises(InputMissing) as raised:
        en_r_002.calculate({}, {"generation_kwh": D(500), "sold_kwh": None}, piece(2025), CREDITING, factors)
    assert raised.value.fields == ("sold_kwh",)


def test_metered_self_consumption_above_generation_less_sold_is_refused(factors):
    reading = {"generation_kwh": D(500), "sold_kwh": D(500), "self_consumption_kwh": D(500)}
    with pytest.raises(InputConflict) as raised:
        en_r_002.calculate({}, reading, piece(2025), CREDITING, factors)
    assert raised.value.params["limit"] == 0
