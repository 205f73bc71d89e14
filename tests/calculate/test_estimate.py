"""The plan's ex-ante estimate (見込量): planned inputs → readings-like rows per fiscal year → the same
`calculate` and the same truncation. Each oracle is worked by hand in its docstring."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal as D

import pytest

from tests.conftest import SAMPLES
from toolkit import methodologies, pipeline, schema
from toolkit.calculate import factors as factor_tables
from toolkit.calculate.engine import calculate_data
from toolkit.periods import Piece

GRID_2025 = """
grid_electricity:
  - {fiscal_year: 2025, basis: all_source, value: 0.0005, unit: t-CO2/kWh, source: "oracle", status: verified}
"""


def grid_factors(tmp_path):
    (tmp_path / "factors.yaml").write_text(GRID_2025, encoding="utf-8")
    return factor_tables.load("2025-09", tmp_path)


def project(code: str, version: str, start: dt.date, end: dt.date, kind: str = "standard") -> dict:
    return {
        "type": kind,
        "methodology": {"code": code, "version": version},
        "registration_application_date": start,
        "monitoring_start_date": start,
        "crediting_period": {"start": start, "end": end},
    }


LED = {
    "id": "LED-1",
    "baseline_power_w": D(100),
    "baseline_count": 40,
    "project_power_w": D(40),
    "project_count": 40,
    "monitoring_method": "metered",  # the estimate goes by planned hours all the same
    "planned_hours_per_year": D(3650),
}


def test_en_s_006_planned_hours_per_fiscal_year_with_the_latest_factor(tmp_path):
    """40 fixtures 100 W → 40 W, 3,650 h planned a year, CEF 0.0005 t/kWh (FY2025, the only row),
    crediting 2025-10-01 … 2027-09-30.

    FY2025: 2025-10-01 … 2026-03-31 = 182 of 365 days: T = 3,650 × 182/365 = 1,820 h;
            (4,000 W − 1,600 W) × 1,820 h / 1000 = 4,368 kWh × 0.0005 = 2.184 t
    FY2026: a whole year, T = 3,650 h: 2,400 × 3,650 / 1000 = 8,760 kWh → 4.38 t (FY2025's factor: the
            latest published when the plan is written)
    FY2027: 2027-04-01 … 2027-09-30 = 183 of 366 days (29 Feb 2028): T = 1,825 h → 4,380 kWh → 2.19 t
    Total 8.754 t, certified (cut once) 8 t. No monitoring reading is read (the one given would add 1 t)."""
    data = {
        "rules_version": "2025-09",
        "project": project("EN-S-006", "2.1", dt.date(2025, 10, 1), dt.date(2027, 9, 30)),
        "activities": [LED],
        "monitoring": [
            {
                "activity_id": "LED-1",
                "period_start": dt.date(2025, 10, 1),
                "period_end": dt.date(2025, 10, 31),
                "project_kwh": D(2000),
            }
        ],
    }
    result = calculate_data(data, grid_factors(tmp_path), plan=True)
    assert result.estimate and not result.errors, [p.code for p in result.errors]
    assert result.by_fiscal_year == {2025: D("2.184"), 2026: D("4.38"), 2027: D("2.19")}
    assert result.total_exact == D("8.754") and result.total_certified == 8
    hours = [piece.baseline.inputs["T_PJ"] for piece in result.activities[0].periods]
    assert hours == [D(1820), D(3650), D(1825)]
    assert {ref.fiscal_year for ref in result.factors_used} == {2025}


def test_en_r_002_program_typical_activity_times_the_planned_count(tmp_path):
    """Program, typical PV-2: 5 kW × 1,100 kWh/kW expected = 5,500 kWh a year, 30 % used on site =
    1,650 kWh × 0.0005 t/kWh = 0.825 t a year. Counted for 10 planned activities: 8.25 t a year;
    crediting 2025-04-01 … 2027-03-31 is two whole fiscal years: 16.5 t, certified 16 t.
    PV-1 has no planned values and is not the typical activity: it is not needed."""
    data = {
        "rules_version": "2025-09",
        "project": project("EN-R-002", "3.0", dt.date(2025, 4, 1), dt.date(2027, 3, 31), "program"),
        "program": {"typical_activity": "PV-2", "planned_activity_count": 10},
        "activities": [
            {"id": "PV-1", "capacity_kw": D(4), "battery": False},
            {
                "id": "PV-2",
                "capacity_kw": D(5),
                "battery": False,
                "planned_yield_kwh_per_kw": D(1100),
                "planned_self_consumption_pct": D(30),
            },
        ],
    }
    result = calculate_data(data, grid_factors(tmp_path), plan=True)
    assert not result.errors, [p.line() for p in result.errors]
    assert result.represented == 10
    assert [a.activity_id for a in result.activities if a.periods] == ["PV-2"]
    assert result.by_fiscal_year == {2025: D("8.25"), 2026: D("8.25")}
    assert result.total_exact == D("16.5") and result.total_certified == 16
    # an expected generation, when given, wins over capacity × yield: 2,000 kWh × 30 % = 600 kWh → 0.3 t
    data["activities"][1]["planned_generation_kwh"] = D(2000)
    again = calculate_data(data, grid_factors(tmp_path), plan=True)
    assert again.by_fiscal_year == {2025: D("3.0"), 2026: D("3.0")}


def test_en_r_002_without_planned_values_names_the_empty_column(tmp_path):
    data = {
        "rules_version": "2025-09",
        "project": project("EN-R-002", "3.0", dt.date(2025, 4, 1), dt.date(2027, 3, 31)),
        "activities": [{"id": "PV-1", "capacity_kw": D(4), "battery": False}],
    }
    result = calculate_data(data, grid_factors(tmp_path), plan=True)
    assert [(p.code, p.path) for p in result.errors] == [
        ("calc_input_missing", "activities[0].planned_generation_kwh")
    ]
    assert result.total_exact == 0 and not result.activities[0].periods


FIELD = {
    "id": "RD-1",
    "prefecture": "福島県",
    "area_ha": D(1),
    "percolation_mm_per_day": D(10),
    "straw_removed_kg_per_10a": D(0),
    "compost_t_per_10a": D(0),
    "baseline_drainage_days": D(10),
    "planned_extension_days": D(7),
}


@pytest.mark.parametrize("extension, per_year", [(D(7), D("11.76")), (D(5), D(0))])
def test_ag_005_planned_extension_one_season_a_year(extension, per_year):
    """Typical field 1 ha in 福島県 (東北), daily percolation 10 mm (日排除), straw all incorporated, no
    compost: EF = S = 392 kg CH4-C/ha. BL = 1 × 392 × 16/12 × 25 / 1000 = 13.0666… t; drained 7 days
    longer than the mean (the minimum): PJ = 0.7 × BL, ER = 0.3 × BL = 3.92 t a season. Three planned
    activities: 11.76 t a year. Crediting 2025-05-01 … 2027-03-31: FY2025 and FY2026, one season each,
    23.52 t, certified 23 t. Planned 5 days (under 7): PJ = BL, no reduction."""
    data = {
        "rules_version": "2025-09",
        "project": project("AG-005", "3.1", dt.date(2025, 5, 1), dt.date(2027, 3, 31), "program"),
        "program": {"typical_activity": "RD-1", "planned_activity_count": 3},
        "activities": [{**FIELD, "planned_extension_days": extension}],
    }
    factors = factor_tables.load("2025-09", methodology={"code": "AG-005", "version": "3.1"})
    result = calculate_data(data, factors, plan=True)
    assert not result.errors, [p.line() for p in result.errors]
    assert sorted(result.by_fiscal_year) == [2025, 2026]
    assert all(abs(value - per_year) < D("1e-20") for value in result.by_fiscal_year.values())
    assert result.total_certified == (23 if per_year else 0)
    baseline = result.activities[0].periods[0].baseline.value
    assert abs(baseline - D(392) * 16 * 25 / 12000) < D("1e-20")


SPECIES = """
forest_species:
  - {parameter: bef, species: sugi, value: 1.23, unit: "1", source: test, status: verified}
  - {parameter: root_ratio, species: sugi, value: 0.25, unit: "1", source: test, status: verified}
  - {parameter: wood_density, species: sugi, value: 0.314, unit: t/m3, source: test, status: verified}
"""


def test_fo_001_planned_growth_prorated_by_the_days_of_each_fiscal_year(tmp_path):
    """One sugi stand, 10 ha, 8 m3/ha/yr expected; BEF 1.23, R 0.25, D 0.314 (test rows):
    10 × 8 × 1.23 × 1.25 × 0.314 × 0.5 × 44/12 = 849.684 / 12 = 70.807 t-CO2 a whole year.
    Crediting 2025-10-01 … 2027-09-30: FY2025 182 of 365 days = 849.684 × 182 / 4380;
    FY2026 whole = 70.807; FY2027 183 of 366 days = 35.4035. Removals are a negative project emission,
    so the reduction is + the removal; total 141.51… t, certified 141 t."""
    (tmp_path / "factors.yaml").write_text(SPECIES, encoding="utf-8")
    data = {
        "rules_version": "2025-09",
        "project": project("FO-001", "3.0", dt.date(2025, 10, 1), dt.date(2027, 9, 30)),
        "activities": [{"id": "R1", "species": "sugi", "area_ha": D(10), "planned_growth_m3_per_ha": D(8)}],
    }
    result = calculate_data(data, factor_tables.load("2025-09", tmp_path), plan=True)
    assert not result.errors, [p.line() for p in result.errors]
    first = D("849.684") * 182 / 4380
    assert abs(result.by_fiscal_year[2025] - first) < D("1e-20")
    assert result.by_fiscal_year[2026] == D("70.807") and result.by_fiscal_year[2027] == D("35.4035")
    assert result.total_certified == 141


def test_en_s_002_electricity_from_the_rated_cop_when_not_planned(tmp_path):
    """820 GJ a year and COP 4: EL_HP = 820 × 1,000,000 / 3,600 / 4 = 56,944.44… kWh."""
    rows = methodologies.get("EN-S-002").planned_readings(
        {"planned_heat_gj": D(820), "project_cop": D(4)},
        [Piece(dt.date(2025, 4, 1), dt.date(2026, 3, 31), 2025, 365, 365)],
    )
    assert abs(rows[0]["electricity_kwh"] - D(820) * 1000000 / 3600 / 4) < D("1e-20")


@pytest.mark.parametrize("code", methodologies.codes())
def test_every_planned_input_is_an_optional_activity_column_with_label_unit_and_help(code):
    """The planned inputs live in the methodology's activity table (read from YAML or the workbook with
    the same labels), on the plan's section 3, optional (needed by the plan's estimate only)."""
    module = methodologies.get(code)
    assert module.PLANNED, code
    columns = schema.tables(code)["activities"].schema
    for name in module.PLANNED:
        meta = columns[name]["meta"]
        assert meta["section"] == "plan.3" and meta.get("optional") is True, name
        assert meta["label"]["ja"] and meta["label"]["en"] and meta["help"]["ja"] and meta["help"]["en"]


def test_the_samples_plan_shows_the_estimate_and_the_report_the_readings():
    """led-factory: the plan's figures come from the planned hours (54.828648 t a year, see the sample),
    the monitored ones from the 2025 readings; changing a reading changes only the latter."""
    run = pipeline.Run(SAMPLES / "led-factory")
    assert run.estimate.by_fiscal_year[2025] == D("54.828648")
    assert len(run.estimate.by_fiscal_year) == 8 and run.estimate.total_certified == 438
    assert run.calculation.by_fiscal_year == {2025: run.calculation.total_exact}
    assert run.calculation.total_exact != run.estimate.by_fiscal_year[2025]


def test_ag_005_plans_a_season_only_in_a_fiscal_year_that_holds_july():
    """Crediting 2025-08-01 … 2027-04-30: FY2025 starts after July (no season), FY2026 holds July (one
    season, 3.92 t for the 1 ha field above), FY2027 is April only (no season). Certified: 3 t."""
    data = {
        "rules_version": "2025-09",
        "project": project("AG-005", "3.1", dt.date(2025, 8, 1), dt.date(2027, 4, 30)),
        "activities": [FIELD],
    }
    factors = factor_tables.load("2025-09", methodology={"code": "AG-005", "version": "3.1"})
    result = calculate_data(data, factors, plan=True)
    assert list(result.by_fiscal_year) == [2026]
    assert abs(result.by_fiscal_year[2026] - D("3.92")) < D("1e-20") and result.total_certified == 3


def test_a_planned_input_that_is_not_a_number_is_refused_at_its_cell(tmp_path, run):
    """Planned values are validated like every activity column: located, expected and found, exit 1."""
    root = tmp_path / "led"
    shutil.copytree(SAMPLES / "led-factory", root)
    text = (root / "project.yaml").read_text(encoding="utf-8")
    (root / "project.yaml").write_text(
        text.replace("planned_hours_per_year: 3800", "planned_hours_per_year: たくさん")
    )
    code, out, err = run("calc", root, "--plan")
    assert code == 1 and "t-CO2" not in out
    # the report goes to stdout
    assert re.search(r"project\.yaml:\d+ activities\[1\]\.planned_hours_per_year", out), out
    code, out, _ = run("calc", root, "--plan", "--lang", "en")
    assert "planned operating hours" in out and "たくさん" in out


def test_an_empty_planned_input_is_placed_in_the_plan_section_3(tmp_path):
    root = tmp_path / "led"
    shutil.copytree(SAMPLES / "led-factory", root)
    text = (root / "project.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "planned_hours_per_year: 4000" in line)
    (root / "project.yaml").write_text(text.replace(line + "\n", ""), encoding="utf-8")
    (problem,) = pipeline.Run(root).estimate.errors
    assert (problem.code, problem.path, problem.section) == (
        "calc_input_missing",
        "activities[0].planned_hours_per_year",
        "plan.3",
    )
    assert "年間点灯時間の見込み" in problem.message("ja")
