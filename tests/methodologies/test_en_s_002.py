"""EN-S-002 ヒートポンプの導入: hand-computed figures, the 31 March split, missing factors, bad inputs, the sample."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit import periods, pipeline
from toolkit.calculate import factors as factor_tables
from toolkit.errors import FactorError, InputMissing
from toolkit.methodologies import en_s_002
from toolkit.validate.validation import validate

D = Decimal
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CREDITING = (dt.date(2025, 4, 1), dt.date(2031, 3, 31))
CLOSE = D("1e-20")  # Decimal's 28 significant digits: 44/12 is not a finite decimal
GRID = """
grid_electricity:
  - {fiscal_year: 2025, basis: all_source, value: 0.000441, unit: t-CO2/kWh, source: test, status: unverified}
  - {fiscal_year: 2026, basis: all_source, value: %s, unit: t-CO2/kWh, source: test, status: unverified}
"""
# the fuels table is per fiscal year: test values (the T-FUEL kerosene figure in FY2025), FY2026 given per test
FUELS = """\
fuels:
  - {fuel: kerosene, fiscal_year: 2025, value: 0.0185, unit: tC/GJ, source: test, status: unverified}
  - {fuel: kerosene, fiscal_year: 2026, value: %s, unit: tC/GJ, source: test, status: unverified}
"""
HEAT_PUMP = {
    "id": "HP-01",
    "baseline_fuel": "kerosene",
    "baseline_efficiency_pct": D(83),
    "heat_method": "meter",
}
APRIL = periods.split_by_fiscal_year(dt.date(2025, 4, 1), dt.date(2025, 4, 30))[0]
APRIL_2026 = periods.split_by_fiscal_year(dt.date(2026, 4, 1), dt.date(2026, 4, 30))[0]


def factors(tmp_path, fy2026: str = "0.000441", kerosene2026: str = "0.0185"):
    (tmp_path / "factors.yaml").write_text(GRID % fy2026 + FUELS % kerosene2026, encoding="utf-8")
    return factor_tables.load("2023-10", tmp_path)


def test_kerosene_boiler_replaced_by_hand(tmp_path):
    # Q_heat = 83 GJ; baseline fuel = 83 / 0.83 = 100 GJ of kerosene
    # EM_BL = 100 × 0.0185 tC/GJ × 44/12 = 1.85 × 44/12 = 6.78333… t
    # EM_PJ = 6,000 kWh × 0.000441 = 2.646 t;  ER = 4.13733… t
    reading = {"heat_gj": D(83), "electricity_kwh": D(6000)}
    baseline, project = en_s_002.calculate(HEAT_PUMP, reading, APRIL, CREDITING, factors(tmp_path))
    assert abs(baseline.value - D("1.85") * 44 / 12) < CLOSE
    assert project.value == D("2.646")
    assert abs(baseline.value - project.value - D("4.137333333333333333333333333")) < CLOSE
    assert baseline.inputs == {"Q_heat": D(83), "ε_BL": D("0.83"), "CEF_BL,fuel": baseline.factors[0].value}
    assert [ref.name for ref in baseline.factors] == ["fuels[fuel=kerosene]"]
    assert [(ref.name, ref.fiscal_year) for ref in project.factors] == [
        ("grid_electricity[basis=all_source]", 2025)
    ]


def test_the_factor_is_the_one_of_the_readings_fiscal_year(tmp_path):
    reading = {"heat_gj": D(83), "electricity_kwh": D(6000)}
    _, project = en_s_002.calculate(HEAT_PUMP, reading, APRIL_2026, CREDITING, factors(tmp_path, "0.000450"))
    assert project.value == D(6000) * D("0.000450") and project.factors[0].fiscal_year == 2026


def test_missing_grid_factor_names_table_and_year(tmp_path):
    with pytest.raises(FactorError) as caught:
        en_s_002.calculate(
            HEAT_PUMP,
            {"heat_gj": D(1), "electricity_kwh": D(1)},
            APRIL,
            CREDITING,
            factor_tables.load("2023-10", tmp_path),
        )
    problem = caught.value.problems[0]
    assert problem.code == "factor_missing" and problem.params["table"] == "grid_electricity"
    assert "2025年度" in problem.message("ja") and "FY2025" in problem.message("en")


def test_draft_without_baseline_is_refused_naming_the_field(tmp_path):
    reading = {"heat_gj": D(83), "electricity_kwh": D(6000)}
    with pytest.raises(InputMissing) as caught:
        en_s_002.calculate(
            {**HEAT_PUMP, "baseline_efficiency_pct": None}, reading, APRIL, CREDITING, factors(tmp_path)
        )
    assert caught.value.fields == ("baseline_efficiency_pct",)


# -- through the whole calculation: a project folder ------------------------------------------------

PROJECT = """\
schema_version: 1
rules_version: "2023-10"
project:
  name: テストヒートポンププロジェクト
  type: standard
  methodology: {code: EN-S-002, version: "1.0"}
  registration_application_date: 2025-04-01
  crediting_period: {start: 2025-04-01, end: 2031-03-31}
activities:
  - {id: HP-01, name: 給湯ヒートポンプ, baseline_type: update, old_specs_known: はい, baseline_fuel: kerosene,
     baseline_efficiency_pct: 83, baseline_capacity_kw: 186, old_age_years: 13, statutory_life_years: 15,
     project_capacity_kw: 90, project_cop: 4.0, heat_method: meter}
"""


def write_project(
    root,
    readings: list[dict],
    project: str = PROJECT,
    fy2026: str | None = "0.000441",
    kerosene2026: str = "0.0185",
):
    root.mkdir(parents=True, exist_ok=True)
    (root / "project.yaml").write_text(project, encoding="utf-8")
    (root / "evidence").mkdir(exist_ok=True)
    (root / "evidence" / "meter.txt").write_text("検針記録", encoding="utf-8")
    lines = ["monitoring:"]
    for reading in readings:
        cells = ", ".join(
            f"{key}: {value}" for key, value in {"evidence": "evidence/meter.txt", **reading}.items()
        )
        lines.append(f"  - {{{cells}}}")
    (root / "monitoring.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = GRID % (fy2026 or "0")
    if fy2026 is None:
        text = "\n".join(line for line in text.splitlines() if "2026" not in line) + "\n"
    text += FUELS % kerosene2026
    (root / "factors.yaml").write_text(text, encoding="utf-8")
    return root


ACROSS = {
    "activity_id": "HP-01",
    "period_start": "2026-03-16",
    "period_end": "2026-04-15",
    "heat_gj": 83,
    "electricity_kwh": 6200,
}  # 31 days: 16 in FY2025, 15 in FY2026


def test_split_at_31_march_changes_only_the_factor_year(tmp_path):
    same = pipeline.calculate(write_project(tmp_path / "a", [ACROSS]))
    assert not same.errors
    pieces = same.activities[0].periods
    # 83 GJ and 6,200 kWh shared by days: 16/31 and 15/31
    assert [(p.fiscal_year, p.baseline.inputs["Q_heat"], p.project.inputs["EL_HP"]) for p in pieces] == [
        (2025, D(83) * 16 / 31, D(3200)),
        (2026, D(83) * 15 / 31, D(3000)),
    ]
    # one factor in both years: the same as the unsplit reading, 83 / 0.83 × 0.0185 × 44/12 − 6,200 × 0.000441
    assert abs(same.total_exact - (D("1.85") * 44 / 12 - D(6200) * D("0.000441"))) < D("1e-18")
    other = pipeline.calculate(write_project(tmp_path / "b", [ACROSS], fy2026="0.000450"))
    # only the FY2026 part of the electricity takes the other factor: 3,000 kWh × (0.000450 − 0.000441)
    assert abs(same.total_exact - other.total_exact - D(3000) * D("0.000009")) < D("1e-18")


def test_per_year_fuel_factor_across_31_march(tmp_path):
    """Oracle: one reading 2026-03-16 … 2026-04-15 (31 days) of 25.73 GJ of heat, 0 kWh, ε_BL 83 %, with
    kerosene 0.0185 tC/GJ in FY2025 and 0.0200 tC/GJ in FY2026 (two test values).

    By hand: split by days 16/31 and 15/31 → Q_heat 13.28 GJ in FY2025 and 12.45 GJ in FY2026;
    baseline kerosene 13.28 / 0.83 = 16 GJ and 12.45 / 0.83 = 15 GJ;
    EM_BL FY2025 = 16 × 0.0185 × 44/12 = 0.296 × 44/12 = 1.085333… t,
    EM_BL FY2026 = 15 × 0.0200 × 44/12 = 0.300 × 44/12 = 1.1 t; EM_PJ = 0; ER = 2.185333… t.
    One year's value for the whole reading would give 2.102833… t (FY2025) or 2.273333… t (FY2026).
    """
    reading = {**ACROSS, "heat_gj": "25.73", "electricity_kwh": 0}
    result = pipeline.calculate(write_project(tmp_path / "p", [reading], kerosene2026="0.0200"))
    assert not result.errors, result.errors
    pieces = result.activities[0].periods
    assert [(p.fiscal_year, p.baseline.factors[0].fiscal_year) for p in pieces] == [
        (2025, 2025),
        (2026, 2026),
    ]
    assert abs(pieces[0].baseline.value - D("1.085333333333333333333333333")) < D("1e-18")
    assert abs(pieces[1].baseline.value - D("1.1")) < D("1e-18")
    assert abs(result.total_exact - D("2.185333333333333333333333333")) < D("1e-18")
    assert result.by_fiscal_year == {2025: pieces[0].reduction.value, 2026: pieces[1].reduction.value}


def test_missing_fuel_factor_year_is_never_taken_from_another_year(tmp_path):
    only_2025 = GRID % "0.000441" + "\n".join((FUELS % "0").splitlines()[:2]) + "\n"
    (tmp_path / "factors.yaml").write_text(only_2025, encoding="utf-8")
    with pytest.raises(FactorError) as caught:
        en_s_002.calculate(
            HEAT_PUMP,
            {"heat_gj": D(1), "electricity_kwh": D(1)},
            APRIL_2026,
            CREDITING,
            factor_tables.load("2023-10", tmp_path),
        )
    problem = caught.value.problems[0]
    assert problem.params["table"] == "fuels" and problem.params["year"] == {"ja": "2026年度", "en": "FY2026"}
    assert "kerosene" in problem.params["keys"]


def test_missing_factor_year_is_reported_by_calc(tmp_path):
    result = pipeline.calculate(write_project(tmp_path / "p", [ACROSS], fy2026=None))
    missing = [problem for problem in result.errors if problem.code == "factor_missing"]
    assert [(problem.params["table"], problem.params["year"]["en"]) for problem in missing] == [
        ("grid_electricity", "FY2026")
    ]
    assert [p.fiscal_year for p in result.activities[0].periods] == [2025]


# -- bad inputs -----------------------------------------------------------------------------------

BAD_ACTIVITY = [
    ("baseline_efficiency_pct: 83", "baseline_efficiency_pct: 120", "baseline_efficiency_pct", "max"),
    ("baseline_fuel: kerosene", "baseline_fuel: 灯油", "baseline_fuel", "allowed"),
    ("heat_method: meter", "heat_method: estimated", "heat_method", "allowed"),
    ("project_cop: 4.0", "project_cop: 25", "project_cop", "max"),
    ("project_capacity_kw: 90", "project_capacity_kw: 九十", "project_capacity_kw", "not_a_number"),
]


@pytest.mark.parametrize("good,bad,field,code", BAD_ACTIVITY)
def test_bad_activity_values_are_rejected(good, bad, field, code, tmp_path):
    assert good in PROJECT
    root = write_project(tmp_path / "p", [ACROSS], PROJECT.replace(good, bad, 1))
    found = {(problem.path, problem.code) for problem in validate(root).errors}
    assert (f"activities[0].{field}", code) in found, found


@pytest.mark.parametrize(
    "change,field,code",
    [
        ({"heat_gj": -1}, "heat_gj", "min"),
        ({"electricity_kwh": -1}, "electricity_kwh", "min"),
        ({"activity_id": "HP 01"}, "activity_id", "format"),
        ({"period_end": "2026-03-15"}, "period_end", "not_before"),
    ],
)
def test_bad_readings_are_rejected(change, field, code, tmp_path):
    root = write_project(tmp_path / "p", [{**ACROSS, **change}])
    found = {(problem.path, problem.code) for problem in validate(root).errors}
    assert (f"monitoring[0].{field}", code) in found, found


# -- the sample -----------------------------------------------------------------------------------


def test_sample_validates_and_calculates(run):
    code, out, err = run("validate", SAMPLES / "heat-pump")
    assert code == 0 and "警告 0 件" in out + err, out + err
    code, out, err = run("calc", SAMPLES / "heat-pump", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["methodology"] == "EN-S-002"
    # 822.23 GJ of hot water and 69,538 kWh in FY2025: EM_BL 67.198 t (kerosene), EM_PJ 30.666 t
    expected = D("822.23") / D("0.83") * D("0.0185") * 44 / 12 - D(69538) * D("0.000441")
    assert abs(D(result["total_reduction_exact_t"]) - expected) < D("1e-18")
    assert result["total_reduction_t"] == 36
