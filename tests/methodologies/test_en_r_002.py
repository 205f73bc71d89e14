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


# -- a battery: the 経由率 and the loss, never a silent 0 or 1 ---------------------------------------------
BATTERY = {
    "id": "PV-0001",
    "battery": True,
    "battery_share_pct": D(25),
    "battery_loss_pct": D(12),
    "battery_source": "test",
    "battery_status": "unverified",
}


def test_battery_share_and_loss_by_hand(factors):
    """Oracle: 600 kWh generated, 200 sold → 400 kWh self-consumed; 経由率 25 %, loss 12 %.

    By hand: 400 × 25 % = 100 kWh went through the battery, 12 % of it (12 kWh) was lost, so
    400 − 12 = 388 kWh = 400 × (1 − 0.25 × 0.12) = 400 × 0.97 is counted;
    EM_BL = 388 kWh × 0.000441 t-CO2/kWh = 0.171108 t (0.1764 t without the battery terms).
    """
    reading = {"generation_kwh": D(600), "sold_kwh": D(200)}
    baseline, project = en_r_002.calculate(BATTERY, reading, piece(2025), CREDITING, factors)
    assert baseline.value == D("0.171108") and project.value == 0
    assert baseline.inputs == {
        "EL_PJ,self": D(400),
        "r_batt": D("0.25"),
        "L_batt": D("0.12"),
        "CEF_elec": D("0.000441"),
    }
    without, _ = en_r_002.calculate({**BATTERY, "battery": False}, reading, piece(2025), CREDITING, factors)
    assert without.value == D("0.1764") and "r_batt" not in without.inputs


def test_battery_formula_has_its_excel_template(factors):
    from toolkit.methodologies import excel_formula

    reading = {"generation_kwh": D(600), "sold_kwh": D(200)}
    baseline, _ = en_r_002.calculate(BATTERY, reading, piece(2025), CREDITING, factors)
    assert excel_formula("EN-R-002", baseline) == "{EL_PJ,self}*(1-{r_batt}*{L_batt})*{CEF_elec}"


@pytest.mark.parametrize("empty", en_r_002.BATTERY_FIELDS)
def test_battery_without_a_value_is_not_computed(empty, factors):
    reading = {"generation_kwh": D(600), "sold_kwh": D(200)}
    with pytest.raises(InputMissing) as raised:
        en_r_002.calculate({**BATTERY, empty: None}, reading, piece(2025), CREDITING, factors)
    assert raised.value.fields == (empty,) and raised.value.in_activity


def test_battery_with_nothing_filled_names_every_value(factors):
    reading = {"generation_kwh": D(600), "sold_kwh": D(200)}
    with pytest.raises(InputMissing) as raised:
        en_r_002.calculate({"battery": True}, reading, piece(2025), CREDITING, factors)
    assert raised.value.fields == en_r_002.BATTERY_FIELDS


def test_one_calculator_per_activity_gives_each_piece_what_calculate_gives(factors, monkeypatch):
    looked_up = []
    monkeypatch.setattr(
        en_r_002, "battery_inputs", lambda activity: looked_up.append(1) or (D("0.5"), D("0.1"))
    )
    calculate = en_r_002.calculator(BATTERY, CREDITING, factors)
    readings = [
        ({"generation_kwh": D(600 + year), "sold_kwh": D(200)}, piece(year)) for year in (2025, 2026, 2025)
    ]
    assert [calculate(*reading) for reading in readings] == [
        en_r_002.calculate(BATTERY, reading, part, CREDITING, factors) for reading, part in readings
    ]
    assert len(looked_up) == 1 + len(readings)  # once for the calculator, once for each lone `calculate`


def test_a_calculator_with_a_battery_value_empty_reports_it_for_every_piece(factors):
    calculate = en_r_002.calculator({"battery": True}, CREDITING, factors)
    for _ in range(2):
        with pytest.raises(InputMissing) as raised:
            calculate({"generation_kwh": D(600), "sold_kwh": D(200)}, piece(2025))
        assert raised.value.fields == en_r_002.BATTERY_FIELDS


def test_a_readings_own_empty_input_is_reported_before_the_activitys_empty_battery(factors):
    calculate = en_r_002.calculator({"battery": True}, CREDITING, factors)
    with pytest.raises(InputMissing) as raised:
        calculate({"generation_kwh": D(600)}, piece(2025))
    assert raised.value.fields == ("sold_kwh",) and not raised.value.in_activity
