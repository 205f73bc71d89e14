"""The test oracles of domain.md §8, one row each, naming where the expected value comes from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from toolkit import periods
from toolkit.calculate import factors as factor_tables
from toolkit.calculate.additionality import assess
from toolkit.calculate.eligibility import within_program_cap, within_two_years
from toolkit.calculate.engine import truncate
from toolkit.methodologies import ag_004, ag_005, en_r_002

D = Decimal


def factors_for(version: str, tmp_path, overrides: str = "", **switches):
    if overrides:
        (tmp_path / "factors.yaml").write_text(overrides, encoding="utf-8")
    loaded = factor_tables.load(version, tmp_path)
    if switches:
        loaded = factor_tables.Factors(
            version, {**loaded.version, "switches": {**loaded.switches, **switches}}, loaded._rows
        )
    return loaded


def test_T_ROUND_134():
    """expydoc 7426643 [verified]: EM_BL 134.4, EM_PJ 0.0 → 134 t-CO2/yr."""
    assert truncate(D("134.4") - D("0.0")) == 134


PV_BANDS = """
grid_electricity:
  - {fiscal_year: 2015, basis: marginal, value: 0.540, unit: kg-CO2/kWh, source: "oracle", status: verified}
  - {fiscal_year: 2015, basis: all_source, value: 0.487, unit: kg-CO2/kWh, source: "oracle", status: verified}
"""


@pytest.mark.parametrize(
    "oracle,kwh,expected_kg",
    [
        # expydoc 7629704 [verified], decoded [derived]: 887 kWh × 0.540 / 0.5135 / 0.487
        ("T-PV-887", D(887), (D("478.98"), D("455.47"), D("431.97"))),
        # 123deta zw577d0z [verified], decoded [derived]: 1,575 kWh × the same bands
        ("T-PV-1575", D(1575), (D("850.5"), D("808.76"), D("767.03"))),
    ],
)
def test_T_PV_band_method(oracle, kwh, expected_kg, tmp_path):
    factors = factors_for("2017-10", tmp_path, PV_BANDS)  # transitional marginal-source bands on
    start = dt.date(2015, 4, 1)
    for band, piece_start in enumerate((dt.date(2015, 6, 1), dt.date(2016, 6, 1), dt.date(2017, 11, 1))):
        piece = periods.Piece(
            piece_start, piece_start, 2015, 1, 1
        )  # the factor year is fixed by the override
        reading = {"generation_kwh": kwh, "sold_kwh": D(0)}
        baseline, project = en_r_002.calculate({}, reading, piece, (start, dt.date(2023, 3, 31)), factors)
        assert abs(baseline.value * 1000 - expected_kg[band]) <= D("0.5"), (oracle, band)
        assert project.value == 0


def test_T_PAYBACK_and_FLIP():
    """[derived] capex 10M, subsidy 3M, saving 2M/yr → 3.5 y (additional); subsidy 5M → 2.5 y (not)."""
    base = {
        "method": "payback",
        "capex_jpy": 10_000_000,
        "subsidy_jpy": 3_000_000,
        "annual_saving_jpy": 2_000_000,
        "annual_om_cost_jpy": 0,
    }
    result = assess(base, D(3))
    assert result.payback.value == D("3.5") and result.additional is True
    undeducted = (D(base["capex_jpy"])) / D(base["annual_saving_jpy"])
    assert undeducted == D("5.0")  # the wrong way, for the record
    flipped = assess({**base, "subsidy_jpy": 5_000_000}, D(3))
    assert flipped.payback.value == D("2.5") and flipped.additional is False


@pytest.mark.parametrize(
    "fuel,tc,expected",
    [
        ("kerosene", "0.0185", D("0.06783")),
        ("lpg", "0.0161", D("0.05903")),
        ("city_gas", "0.0136", D("0.04987")),
    ],
)
def test_T_FUEL(fuel, tc, expected, tmp_path):
    """[derived] 0.0185 / 0.0161 / 0.0136 tC/GJ × 44/12 = 0.06783 / 0.05903 / 0.04987 t-CO2/GJ, the conversion
    done in code. The figures are the T-FUEL row's arithmetic only: they are 温対法 defaults, not J-Credit
    factors, so no table ships them and the test supplies them as a project's FY2025 row."""
    row = f"fuels:\n  - {{fuel: {fuel}, fiscal_year: 2025, value: {tc}, unit: tC/GJ, source: test, status: verified}}\n"
    factors = factors_for("2023-10", tmp_path, row)
    assert abs(factors.get("fuels", 2025, "t-CO2/GJ", fuel=fuel).value - expected) <= D("0.000005")


def test_no_shipped_fuel_or_heating_value_row():
    """domain.md §6: the 温対法 defaults are never mixed in; the per-year 別表 values come from the project."""
    shipped = factor_tables.shipped_rows()
    assert not [key for key in shipped if key[0] in ("fuels", "heating_values")]
    assert (
        factor_tables._table_spec("fuels")["yearly"] and factor_tables._table_spec("heating_values")["yearly"]
    )


def _ag5(factors, prefecture, percolation, removed, area=D(1), compost=D(0)):
    activity = {
        "prefecture": prefecture,
        "percolation_mm_per_day": percolation,
        "straw_removed_kg_per_10a": removed,
        "compost_t_per_10a": compost,
        "area_ha": area,
        "baseline_drainage_days": D(10),
    }
    reading = {
        "drainage_start": dt.date(2025, 6, 20),
        "drainage_end": dt.date(2025, 7, 15),
        "heading_date": dt.date(2025, 8, 5),
    }
    piece = periods.Piece(reading["drainage_start"], reading["drainage_end"], 2025, 26, 26)
    baseline, project = ag_005.calculate(
        activity, reading, piece, (dt.date(2025, 5, 1), dt.date(2031, 3, 31)), factors
    )
    return baseline, project


AG5_VERSION = {"code": "AG-005", "version": "3.1"}
# GWP 28 is what the third-party calculator uses: a project brings it in through its own factors.yaml
GWP_28 = """
gwp:
  - {methodology: AG-005, version: "3.1", gas: CH4, value: 28, unit: t-CO2/t,
     source: "seima-osako/rice-ch4-simulator rice_ch4_app.py: GWP_CH4 = 28 (AR5)", status: third-party}
"""


def ag5_factors(tmp_path, gwp: int):
    """The shipped tables with the GWP of the oracle: 25 is the shipped AG-005 3.1 row, 28 an override."""
    if gwp == 28:
        (tmp_path / "factors.yaml").write_text(GWP_28, encoding="utf-8")
    return factor_tables.load("2023-10", tmp_path, methodology=AG5_VERSION)


@pytest.mark.parametrize(
    "oracle,prefecture,percolation,removed,area,gwp,ef,er,truncated",
    [
        # [derived] from [third-party] rice-ch4-simulator: 東北, 日排除, straw kept (production 661.2), compost 0
        ("T-AG5-1HA", "福島県", D(10), D(0), D(1), 28, D(392), D("4.3904"), 4),
        ("T-AG5-10HA", "福島県", D(10), D(0), D(10), 28, D(392), D("43.904"), 43),
        ("T-AG5-HALF", "福島県", D(10), D("330.6"), D(1), 28, D("249.33"), D("2.7925"), 2),
        ("T-AG5-KANTO", "茨城県", D(15), D("632.4"), D(1), 28, D(16), D("0.179"), 0),
        ("T-AG5-HOKKAIDO", "北海道", D(5), D(0), D(1), 28, D(662), D("7.4144"), 7),
        ("T-AG5-GWP25", "福島県", D(10), D(0), D(1), 25, D(392), D("3.92"), 3),
    ],
)
def test_T_AG5(oracle, prefecture, percolation, removed, area, gwp, ef, er, truncated, tmp_path):
    """[derived] ER = 0.3 × A × EF × 16/12 × GWP / 1000, e.g. T-AG5-1HA 0.3 × 1 × 392 × 16/12 × 28 / 1000 = 4.3904;
    T-AG5-HALF: 330.6 of 661.2 removed → 50 % kept, rate 50/90 = 0.5556, EF = 71 + (392 − 71) × 0.5556 = 249.33."""
    baseline, project = _ag5(ag5_factors(tmp_path, gwp), prefecture, percolation, removed, area)
    assert abs(baseline.inputs["EF"] - ef) <= D("0.01"), oracle
    assert baseline.inputs["GWP_CH4"] == gwp
    reduction = baseline.value - project.value
    assert abs(reduction - er) <= D("0.001"), (oracle, reduction)
    assert truncate(reduction) == truncated


def test_T_AG5_1HA_parts(tmp_path):
    """BL 14.6347, PJ 10.2443 for one hectare (GWP 28): 1 × 392 × 16/12 × 28 / 1000 = 14.63467; × 0.7 = 10.24427."""
    baseline, project = _ag5(ag5_factors(tmp_path, 28), "福島県", D(10), D(0))
    assert abs(baseline.value - D("14.6347")) <= D("0.0001")
    assert abs(project.value - D("10.2443")) <= D("0.0001")


def test_T_AG5_GWP25_vs_1HA_on_the_same_field(tmp_path):
    """domain.md §8 T-AG5-GWP25: the field of T-AG5-1HA (福島県, 日排除, straw kept, 1 ha, EF 392).
    GWP 28 (override): BL = 392 × 16/12 × 28 / 1000 = 14.634667, ER = 0.3 × BL = 4.3904 t.
    GWP 25 (shipped AG-005 3.1 row): BL = 392 × 16/12 × 25 / 1000 = 13.066667, ER = 0.3 × BL = 3.92 t.
    Each figure names the gwp row it used, and the override is marked as coming from factors.yaml."""
    shipped, overridden = tmp_path / "shipped", tmp_path / "overridden"
    shipped.mkdir(), overridden.mkdir()
    results = {}
    for gwp, folder in ((25, shipped), (28, overridden)):
        baseline, project = _ag5(ag5_factors(folder, gwp), "福島県", D(10), D(0))
        (ref,) = [ref for ref in baseline.factors if ref.table == "gwp"]
        assert dict(ref.keys) == {"methodology": "AG-005", "version": "3.1", "gas": "CH4"}
        assert (ref.value, ref.overridden, ref.status) == (
            (D(25), False, "unverified") if gwp == 25 else (D(28), True, "third-party")
        )
        results[gwp] = baseline.value - project.value
    assert abs(results[25] - D("3.92")) <= D("0.001")
    assert abs(results[28] - D("4.3904")) <= D("0.0001")
    assert results[28] / results[25] == D(28) / D(25)


@pytest.mark.parametrize(
    "oracle,celsius,band,stored",
    [
        ("T-AG4-HIGH", 650, "above_600c", D("5.025533")),
        ("T-AG4-MEDIUM", 600, "450_600c", D("4.517333")),
        ("T-AG4-LOW", 450, "350_450c", D("3.670333")),
        ("T-AG4-NONE", 350, None, D(0)),
    ],
)
def test_T_AG4_bands(oracle, celsius, band, stored):
    """[derived] from IPCC 2019 Refinement Vol.4 Ap.4 [third-party]: 2 t dry wood biochar (Fc 0.77), CO2 stored =
    2 × 0.77 × Fperm × 44/12: > 600 ℃ (650) 0.89 → 1.3706 × 44/12 = 5.025533; 450–600 ℃ (600, the upper edge
    belongs to the band) 0.80 → 1.232 × 44/12 = 4.517333; 350–450 ℃ (450) 0.65 → 1.001 × 44/12 = 3.670333;
    350 ℃ is not biochar (made "in excess of 350 ℃"): nothing stored."""
    factors = factor_tables.load("2023-10")
    day = dt.date(2025, 5, 13)
    reading = {"applied_on": day, "biochar_dry_t": D(2), "feedstock": "wood", "pyrolysis_temp_c": celsius}
    baseline, project = ag_004.calculate(
        {"id": "BC-1", "mineral_soil": True},
        reading,
        periods.Piece(day, day, 2025, 1, 1),
        (dt.date(2025, 4, 1), dt.date(2033, 3, 31)),
        factors,
    )
    assert ag_004.temperature_band(celsius) == band
    reduction = baseline.value - project.value
    assert abs(reduction - stored) <= D("0.000001"), (oracle, reduction)


def test_T_ELIG_2Y():
    """[derived] application 2023-12-07: commissioned 2021-12-07 passes, 2021-12-06 fails."""
    application = dt.date(2023, 12, 7)
    assert within_two_years(dt.date(2021, 12, 7), application)
    assert not within_two_years(dt.date(2021, 12, 6), application)


@pytest.mark.parametrize(
    "version,cap,end", [("2023-10", True, dt.date(2031, 3, 31)), ("2025-09", False, dt.date(2033, 5, 31))]
)
def test_T_PERIOD(version, cap, end):
    """[derived] application 2025-06-01, monitoring 2025-04-01 → 2025-06-01 … 2031-03-31 capped, … 2033-05-31 not."""
    switches = factor_tables.rule_versions()[version]["switches"]
    assert (switches["crediting_cap"] is not None) is cap
    assert periods.crediting_period(
        dt.date(2025, 6, 1), dt.date(2025, 4, 1), switches["crediting_years"], switches["crediting_cap"]
    ) == (dt.date(2025, 6, 1), end)


def test_T_PRG_500T():
    """[verified] §3: 600 t/yr fails under the pre-2017-10 rules and passes after."""
    versions = factor_tables.rule_versions()
    assert not within_program_cap(D(600), versions["2013-04"]["switches"])
    assert within_program_cap(D(600), versions["2017-10"]["switches"])
    assert within_program_cap(D(600), versions["2023-10"]["switches"])


def test_truncation_is_not_fooled_by_the_last_digit_of_a_division():
    third = Decimal(7) / 3
    assert truncate(third + third + third) == 7  # 6.9999999999999999999999999999 is 7 t, not 6
    assert truncate(D("6.999999")) == 6
    assert truncate(D("134.4")) == 134
