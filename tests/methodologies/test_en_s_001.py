"""EN-S-001 ボイラーの導入: hand-computed figures, the 31 March split, missing factors, bad inputs, the sample."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit import periods, pipeline
from toolkit.calculate import factors as factor_tables
from toolkit.errors import FactorError, InputMissing
from toolkit.methodologies import en_s_001
from toolkit.validate.validation import validate

D = Decimal
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CREDITING = (dt.date(2025, 4, 1), dt.date(2031, 3, 31))
CLOSE = D("1e-20")  # Decimal's 28 significant digits: 44/12 is not a finite decimal
# test values (the T-FUEL figures and the sample's stand-ins), the same in FY2025 and FY2026: the fuel tables
# are per fiscal year, so a reading across 31 March needs the rows of both years
HEATING = (
    "fuel: lpg, per: t, value: 50.8, unit: GJ, source: test, status: unverified",
    "fuel: city_gas, per: 千m3, value: 44.8, unit: GJ, source: test, status: unverified",
)
CARBON = (
    "fuel: kerosene, value: 0.0185, unit: tC/GJ, source: test, status: unverified",
    "fuel: lpg, value: 0.0161, unit: tC/GJ, source: test, status: unverified",
    "fuel: city_gas, value: 0.0136, unit: tC/GJ, source: test, status: unverified",
    "fuel: heavy_oil_a, value: 0.0189, unit: tC/GJ, source: test, status: unverified",
)


def yearly(table: str, rows: tuple[str, ...], years=(2025, 2026)) -> str:
    """`table` in factors.yaml with each row once per fiscal year."""
    return f"{table}:\n" + "".join(f"  - {{{row}, fiscal_year: {year}}}\n" for year in years for row in rows)


FACTORS = yearly("heating_values", HEATING) + yearly("fuels", CARBON)
LPG_BOILER = {
    "id": "BLR-01",
    "baseline_fuel": "kerosene",
    "baseline_efficiency_pct": D(80),
    "project_fuel": "lpg",
    "project_efficiency_pct": D(90),
}
GAS_BOILER = {
    "id": "BLR-02",
    "baseline_fuel": "heavy_oil_a",
    "baseline_efficiency_pct": D(82),
    "project_fuel": "city_gas",
    "project_efficiency_pct": D("88.5"),
}
APRIL = periods.split_by_fiscal_year(dt.date(2025, 4, 1), dt.date(2025, 4, 30))[0]


def factors(tmp_path, text: str = FACTORS):
    (tmp_path / "factors.yaml").write_text(text, encoding="utf-8")
    return factor_tables.load("2023-10", tmp_path)


def test_lpg_replacing_kerosene_by_hand(tmp_path):
    # F_PJ × HV_PJ = 2 t × 50.8 GJ/t = 101.6 GJ;  Q_heat = 101.6 × 0.90 = 91.44 GJ
    # baseline fuel = 91.44 / 0.80 = 114.3 GJ;  EM_BL = 114.3 × 0.0185 tC/GJ × 44/12 = 2.11455 × 44/12 = 7.75335 t
    # EM_PJ = 101.6 × 0.0161 × 44/12 = 1.63576 × 44/12 = 5.99778666… t;  ER = 1.75556333… t
    baseline, project = en_s_001.calculate(
        LPG_BOILER, {"fuel_amount": D(2), "fuel_unit": "t"}, APRIL, CREDITING, factors(tmp_path)
    )
    assert abs(baseline.value - D("7.75335")) < CLOSE
    assert abs(project.value - D("1.63576") * 44 / 12) < CLOSE
    assert abs(baseline.value - project.value - D("1.755563333333333333333")) < D("1e-18")
    assert baseline.inputs["Q_heat"] == D("91.44") and baseline.inputs["ε_BL"] == D("0.8")
    assert [ref.name for ref in baseline.factors] == [
        "heating_values[fuel=lpg,per=t]",
        "fuels[fuel=kerosene]",
    ]
    assert [ref.name for ref in project.factors] == ["heating_values[fuel=lpg,per=t]", "fuels[fuel=lpg]"]
    assert project.factors[1].unit == "t-CO2/GJ"


def test_heavy_oil_a_supplied_by_the_project(tmp_path):
    # 10 千m3 × 44.8 GJ/千m3 = 448 GJ; Q_heat = 448 × 0.885 = 396.48 GJ; EM_BL = 396.48 / 0.82 × 0.0189 × 44/12
    # = 483.5122 GJ × 0.0693 = 33.50739512… t;  EM_PJ = 448 × 0.0136 × 44/12 = 22.34026666… t
    baseline, project = en_s_001.calculate(
        GAS_BOILER, {"fuel_amount": D(10), "fuel_unit": "千m3"}, APRIL, CREDITING, factors(tmp_path)
    )
    assert abs(baseline.value - D("33.50739512195121951219512195")) < CLOSE
    assert abs(project.value - D("22.34026666666666666666666667")) < CLOSE
    assert baseline.factors[1].overridden and baseline.factors[1].status == "unverified"


def test_heating_value_and_carbon_factor_of_the_pieces_fiscal_year(tmp_path):
    """2 t of LPG in April 2026 with FY2026 rows HV 50.0 GJ/t and CEF 0.0150 tC/GJ (test values; FY2025 has
    50.8 and 0.0161): EM_PJ = 2 × 50.0 × 0.0150 × 44/12 = 1.5 × 44/12 = 5.5 t exactly."""
    text = yearly("heating_values", HEATING, (2025,)) + yearly("fuels", CARBON, (2025,))
    text = text.replace(
        "fuels:\n",
        "fuels:\n"
        + "".join(
            f"  - {{{row}, fiscal_year: 2026}}\n"
            for row in (
                "fuel: lpg, value: 0.0150, unit: tC/GJ, source: test, status: unverified",
                "fuel: kerosene, value: 0.0185, unit: tC/GJ, source: test, status: unverified",
            )
        ),
    )
    text = text.replace(
        "heating_values:\n",
        "heating_values:\n  - {fuel: lpg, per: t, value: 50.0, unit: GJ, "
        "source: test, status: unverified, fiscal_year: 2026}\n",
    )
    april_2026 = periods.split_by_fiscal_year(dt.date(2026, 4, 1), dt.date(2026, 4, 30))[0]
    _, project = en_s_001.calculate(
        LPG_BOILER, {"fuel_amount": D(2), "fuel_unit": "t"}, april_2026, CREDITING, factors(tmp_path, text)
    )
    assert project.value == D("5.5") and [ref.fiscal_year for ref in project.factors] == [2026, 2026]
    assert project.inputs["HV_PJ"] == D("50.0")


def test_missing_heating_value_names_the_table(tmp_path):
    with pytest.raises(FactorError) as caught:
        en_s_001.calculate(
            LPG_BOILER,
            {"fuel_amount": D(2), "fuel_unit": "t"},
            APRIL,
            CREDITING,
            factor_tables.load("2023-10", tmp_path),
        )
    problem = caught.value.problems[0]
    assert problem.code == "factor_missing" and problem.params["table"] == "heating_values"
    assert "fuel=lpg" in problem.params["keys"] and "per=t" in problem.params["keys"]
    assert problem.params["year"] == {"ja": "2025年度", "en": "FY2025"}  # heating values are per fiscal year


def test_amount_in_another_unit_than_the_heating_value_is_never_converted(tmp_path):
    with pytest.raises(FactorError) as caught:
        en_s_001.calculate(
            LPG_BOILER, {"fuel_amount": D(2000), "fuel_unit": "kL"}, APRIL, CREDITING, factors(tmp_path)
        )
    assert "per=kL" in caught.value.problems[0].params["keys"]


def test_missing_carbon_factor_names_the_fuels_table(tmp_path):
    no_heavy_oil = "\n".join(line for line in FACTORS.splitlines() if "heavy_oil_a" not in line) + "\n"
    with pytest.raises(FactorError) as caught:
        en_s_001.calculate(
            GAS_BOILER,
            {"fuel_amount": D(10), "fuel_unit": "千m3"},
            APRIL,
            CREDITING,
            factors(tmp_path, no_heavy_oil),
        )
    assert caught.value.problems[0].params["table"] == "fuels"
    assert "heavy_oil_a" in caught.value.problems[0].params["keys"]


@pytest.mark.parametrize("empty", ["baseline_efficiency_pct", "project_fuel", "baseline_fuel"])
def test_draft_without_an_input_is_refused_naming_it(empty, tmp_path):
    activity = {**LPG_BOILER, empty: None}
    with pytest.raises(InputMissing) as caught:
        en_s_001.calculate(
            activity, {"fuel_amount": D(2), "fuel_unit": "t"}, APRIL, CREDITING, factors(tmp_path)
        )
    assert caught.value.fields == (empty,) and caught.value.in_activity


def test_no_fuel_no_emissions(tmp_path):
    baseline, project = en_s_001.calculate(
        LPG_BOILER, {"fuel_amount": None, "fuel_unit": "t"}, APRIL, CREDITING, factors(tmp_path)
    )
    assert baseline.value == project.value == 0


# -- through the whole calculation: a project folder ------------------------------------------------

PROJECT = """\
schema_version: 1
rules_version: "2023-10"
project:
  name: テストボイラープロジェクト
  type: standard
  methodology: {code: EN-S-001, version: "1.0"}
  registration_application_date: 2025-04-01
  crediting_period: {start: 2025-04-01, end: 2031-03-31}
activities:
  - {id: BLR-02, name: 蒸気ボイラー, baseline_type: update, old_specs_known: はい, baseline_fuel: heavy_oil_a,
     baseline_efficiency_pct: 82, baseline_capacity_kw: 1254, old_age_years: 17, statutory_life_years: 10,
     project_fuel: city_gas, project_efficiency_pct: 88.5, project_capacity_kw: 1254}
"""


def write_project(root, readings: list[dict], project: str = PROJECT, factors_text: str = FACTORS):
    root.mkdir(parents=True, exist_ok=True)
    (root / "project.yaml").write_text(project, encoding="utf-8")
    (root / "evidence").mkdir(exist_ok=True)
    (root / "evidence" / "invoice.txt").write_text("ガス料金請求書", encoding="utf-8")
    lines = ["monitoring:"]
    for reading in readings:
        cells = ", ".join(
            f"{key}: {value}" for key, value in {"evidence": "evidence/invoice.txt", **reading}.items()
        )
        lines.append(f"  - {{{cells}}}")
    (root / "monitoring.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "factors.yaml").write_text(factors_text, encoding="utf-8")
    return root


ACROSS = {
    "activity_id": "BLR-02",
    "period_start": "2026-03-16",
    "period_end": "2026-04-15",
    "fuel_amount": 31,
    "fuel_unit": "千m3",
}  # 31 days: 16 in FY2025, 15 in FY2026
WITHIN = {**ACROSS, "period_start": "2026-02-14", "period_end": "2026-03-16"}  # 31 days in FY2025


def test_split_at_31_march_keeps_the_total(tmp_path):
    split = pipeline.calculate(write_project(tmp_path / "a", [ACROSS]))
    whole = pipeline.calculate(write_project(tmp_path / "b", [WITHIN]))
    assert not split.errors and not whole.errors
    pieces = split.activities[0].periods
    # 31 千m3 × 16/31 = 16 千m3 in FY2025, × 15/31 = 15 千m3 in FY2026
    assert [(p.fiscal_year, p.baseline.inputs["F_PJ"]) for p in pieces] == [(2025, D(16)), (2026, D(15))]
    # the same factor values in both fiscal years here: the totals agree
    assert abs(split.total_exact - whole.total_exact) < CLOSE
    # 31 × 44.8 × (0.885 / 0.82 × 0.0693 − 0.0136 × 44/12) = 31 × 1.116… = 34.6 t
    assert abs(
        whole.total_exact - D(31) * D("44.8") * (D("0.885") / D("0.82") * D("0.0693") - D("0.0136") * 44 / 12)
    ) < D("1e-18")


def test_missing_heating_value_is_reported_by_calc(tmp_path):
    without = FACTORS.replace("  - {fuel: city_gas, per: 千m3", "  # - {fuel: city_gas, per: 千m3")
    result = pipeline.calculate(write_project(tmp_path / "p", [WITHIN], factors_text=without))
    missing = [problem for problem in result.errors if problem.code == "factor_missing"]
    assert [problem.params["table"] for problem in missing] == ["heating_values"]
    assert "heating_values" in missing[0].message("en") and result.total_exact == 0


# -- bad inputs -----------------------------------------------------------------------------------

BAD_ACTIVITY = [
    ("baseline_efficiency_pct: 82", "baseline_efficiency_pct: 0", "baseline_efficiency_pct", "min"),
    ("baseline_efficiency_pct: 82", "baseline_efficiency_pct: 0.82", "baseline_efficiency_pct", "min"),
    ("project_efficiency_pct: 88.5", "project_efficiency_pct: 105", "project_efficiency_pct", "max"),
    ("baseline_fuel: heavy_oil_a", "baseline_fuel: heavy_oil", "baseline_fuel", "allowed"),
    ("project_fuel: city_gas", "project_fuel: 都市ガス", "project_fuel", "allowed"),
    ("statutory_life_years: 10", "statutory_life_years: 0", "statutory_life_years", "min"),
    ("baseline_capacity_kw: 1254", "baseline_capacity_kw: -1", "baseline_capacity_kw", "min"),
    ("baseline_type: update", "baseline_type: 更新", "baseline_type", "allowed"),
]


@pytest.mark.parametrize("good,bad,field,code", BAD_ACTIVITY)
def test_bad_activity_values_are_rejected(good, bad, field, code, tmp_path):
    assert good in PROJECT
    root = write_project(tmp_path / "p", [WITHIN], PROJECT.replace(good, bad, 1))
    found = {(problem.path, problem.code) for problem in validate(root).errors}
    assert (f"activities[0].{field}", code) in found, found


@pytest.mark.parametrize(
    "change,field,code",
    [
        ({"fuel_unit": "L"}, "fuel_unit", "allowed"),
        ({"fuel_unit": "m3"}, "fuel_unit", "allowed"),
        ({"fuel_amount": -3}, "fuel_amount", "min"),
        ({"period_end": "2026-01-31"}, "period_end", "not_before"),
        ({"evidence": "/etc/passwd"}, "evidence", "path_absolute"),
    ],
)
def test_bad_readings_are_rejected(change, field, code, tmp_path):
    root = write_project(tmp_path / "p", [{**WITHIN, **change}])
    found = {(problem.path, problem.code) for problem in validate(root).errors}
    assert (f"monitoring[0].{field}", code) in found, found


# -- the sample -----------------------------------------------------------------------------------


def test_sample_validates_and_calculates(run):
    code, out, err = run("validate", SAMPLES / "boiler")
    assert code == 0 and "警告 0 件" in out + err, out + err
    code, out, err = run("calc", SAMPLES / "boiler", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["methodology"] == "EN-S-001"
    # 147.3 千m3 of city gas in FY2025: 6,599.04 GJ; EM_BL 493.56 t (A重油), EM_PJ 329.07 t
    assert result["total_reduction_t"] == 164
    assert abs(D(result["total_reduction_exact_t"]) - D("164.4918021463414634146341463")) < D("1e-18")
    names = {factor["name"] for factor in result["factors_used"]}
    assert names == {
        "heating_values[fuel=city_gas,per=千m3]",
        "fuels[fuel=city_gas]",
        "fuels[fuel=heavy_oil_a]",
    }
