"""EN-S-006 照明設備の導入: hand-computed figures, the 31 March split, missing factors, bad inputs, the sample."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit import periods, pipeline
from toolkit.calculate import factors as factor_tables
from toolkit.errors import FactorError, InputMissing
from toolkit.methodologies import en_s_006
from toolkit.validate.validation import validate

D = Decimal
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CREDITING = (dt.date(2025, 4, 1), dt.date(2031, 3, 31))
GRID = """
grid_electricity:
  - {fiscal_year: 2025, basis: all_source, value: 0.000441, unit: t-CO2/kWh, source: test, status: unverified}
  - {fiscal_year: 2026, basis: all_source, value: %s, unit: t-CO2/kWh, source: test, status: unverified}
"""
HALL = {
    "id": "LED-01",
    "baseline_power_w": D(435),
    "baseline_count": 48,
    "project_power_w": D(110),
    "project_count": 48,
    "monitoring_method": "hours",
}
OFFICE = {
    "id": "LED-03",
    "baseline_power_w": D(88),
    "baseline_count": 96,
    "project_power_w": D(32),
    "project_count": 96,
    "monitoring_method": "metered",
}


def grid(tmp_path, fy2026: str = "0.000441"):
    (tmp_path / "factors.yaml").write_text(GRID % fy2026, encoding="utf-8")
    return factor_tables.load("2023-10", tmp_path)


def piece(start: dt.date, end: dt.date) -> periods.Piece:
    return periods.split_by_fiscal_year(start, end)[0]


APRIL = piece(dt.date(2025, 4, 1), dt.date(2025, 4, 30))


def test_hours_method_by_hand(tmp_path):
    # EL_BL = 435 W × 48 × 350 h / 1000 = 7,308 kWh;  EM_BL = 7,308 × 0.000441 = 3.222828 t
    # EL_PJ = 110 W × 48 × 350 h / 1000 = 1,848 kWh;  EM_PJ = 1,848 × 0.000441 = 0.814968 t;  ER = 2.40786 t
    baseline, project = en_s_006.calculate(
        HALL, {"operating_hours": D(350)}, APRIL, CREDITING, grid(tmp_path)
    )
    assert baseline.value == D("3.222828") and project.value == D("0.814968")
    assert baseline.value - project.value == D("2.40786")
    assert baseline.inputs["EL_BL"] == D(7308) and project.inputs["EL_PJ"] == D(1848)
    assert baseline.unit == project.unit == "t-CO2"
    assert [ref.name for ref in baseline.factors] == ["grid_electricity[basis=all_source]"]
    assert baseline.factors[0].fiscal_year == 2025 and "EM_BL" in baseline.formula


def test_metered_method_scales_by_installed_power(tmp_path):
    # ΣP_BL·N_BL = 88 × 96 = 8,448 W; ΣP_PJ·N_PJ = 32 × 96 = 3,072 W; ratio 2.75
    # EL_PJ = 700 kWh (sub-meter) → EL_BL = 700 × 2.75 = 1,925 kWh
    # EM_BL = 1,925 × 0.000441 = 0.848925 t; EM_PJ = 700 × 0.000441 = 0.3087 t; ER = 0.540225 t
    reading = {"operating_hours": D(999), "project_kwh": D(700)}  # hours are ignored when metered
    baseline, project = en_s_006.calculate(OFFICE, reading, APRIL, CREDITING, grid(tmp_path))
    assert baseline.value == D("0.848925") and project.value == D("0.3087")
    assert baseline.inputs["EL_BL"] == D(1925)


def test_method_defaults_to_metered_when_kwh_given(tmp_path):
    undeclared = {**OFFICE, "monitoring_method": None}
    baseline, _ = en_s_006.calculate(undeclared, {"project_kwh": D(700)}, APRIL, CREDITING, grid(tmp_path))
    assert baseline.value == D("0.848925")
    baseline, project = en_s_006.calculate(
        undeclared, {"operating_hours": D(100)}, APRIL, CREDITING, grid(tmp_path)
    )
    assert baseline.value == D(8448) * 100 / 1000 * D("0.000441")  # 844.8 kWh × 0.000441


def test_empty_fixture_inputs_are_refused_naming_them(tmp_path):
    blank = {"id": "LED-09", "monitoring_method": "metered"}
    with pytest.raises(InputMissing) as raised:
        en_s_006.calculate(blank, {"project_kwh": D(50)}, APRIL, CREDITING, grid(tmp_path))
    assert raised.value.fields == ("baseline_power_w", "baseline_count")


def test_an_empty_reading_is_refused_not_taken_as_none(tmp_path):
    with pytest.raises(InputMissing) as raised:
        en_s_006.calculate(
            {**HALL, "monitoring_method": "hours"},
            {"operating_hours": None},
            APRIL,
            CREDITING,
            grid(tmp_path),
        )
    assert raised.value.fields == ("operating_hours",) and not raised.value.in_activity


BANDS = """
grid_electricity:
  - {fiscal_year: 2025, basis: marginal, value: 0.650, unit: kg-CO2/kWh, source: test, status: unverified}
  - {fiscal_year: 2025, basis: all_source, value: 0.441, unit: kg-CO2/kWh, source: test, status: unverified}
"""


def test_transitional_marginal_bands_are_honoured(tmp_path):
    # rules 2017-10 switch the 移行限界電源方式 on (§6): 0 ≦ t < 1 → marginal; 1 ≦ t < 2.5 → (marginal + all-source) / 2
    (tmp_path / "factors.yaml").write_text(BANDS, encoding="utf-8")
    factors = factor_tables.load("2017-10", tmp_path)
    reading = {"operating_hours": D(100)}  # (435 − 110) W × 48 × 100 h / 1000 = 1,560 kWh saved
    first_year = en_s_006.calculate(HALL, reading, APRIL, CREDITING, factors)
    assert first_year[0].value - first_year[1].value == D(1560) * D("0.00065")
    june = piece(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    second_year = en_s_006.calculate(HALL, reading, june, (dt.date(2024, 4, 1), CREDITING[1]), factors)
    assert second_year[0].value - second_year[1].value == D(1560) * D("0.0005455")
    assert len(second_year[0].factors) == 2


def test_missing_grid_factor_names_table_and_year(tmp_path):
    factors = factor_tables.load("2023-10", tmp_path)  # nothing shipped for FY2025
    with pytest.raises(FactorError) as caught:
        en_s_006.calculate(HALL, {"operating_hours": D(10)}, APRIL, CREDITING, factors)
    problem = caught.value.problems[0]
    assert problem.code == "factor_missing" and problem.params["table"] == "grid_electricity"
    assert "2025" in problem.message("ja") and "FY2025" in problem.message("en")


# -- through the whole calculation: a project folder ------------------------------------------------

PROJECT = """\
schema_version: 1
rules_version: "2023-10"
project:
  name: テスト照明プロジェクト
  type: standard
  methodology: {code: EN-S-006, version: "2.1"}
  registration_application_date: 2025-04-01
  crediting_period: {start: 2025-04-01, end: 2031-03-31}
activities:
  - {id: LED-01, name: 加工棟, baseline_type: update, old_specs_known: はい, baseline_power_w: 435, baseline_count: 48,
     project_power_w: 110, project_count: 48, monitoring_method: hours}
  - {id: LED-03, name: 事務所, baseline_type: update, old_specs_known: はい, baseline_power_w: 88, baseline_count: 96,
     project_power_w: 32, project_count: 96, monitoring_method: metered}
"""


def write_project(root, readings: list[dict], project: str = PROJECT, fy2026: str | None = "0.000441"):
    root.mkdir(parents=True, exist_ok=True)
    (root / "project.yaml").write_text(project, encoding="utf-8")
    (root / "evidence").mkdir(exist_ok=True)
    (root / "evidence" / "log.txt").write_text("点灯記録", encoding="utf-8")
    lines = ["monitoring:"]
    for reading in readings:
        cells = ", ".join(
            f"{key}: {value}" for key, value in {"evidence": "evidence/log.txt", **reading}.items()
        )
        lines.append(f"  - {{{cells}}}")
    (root / "monitoring.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    factors = GRID % (fy2026 or "0")
    if fy2026 is None:  # drop the FY2026 row
        factors = "\n".join(line for line in factors.splitlines() if "2026" not in line) + "\n"
    (root / "factors.yaml").write_text(factors, encoding="utf-8")
    return root


ACROSS = [  # 31 days, 16 in FY2025 and 15 in FY2026
    {
        "activity_id": "LED-01",
        "period_start": "2026-03-16",
        "period_end": "2026-04-15",
        "operating_hours": 310,
    },
    {"activity_id": "LED-03", "period_start": "2026-03-16", "period_end": "2026-04-15", "project_kwh": 620},
]


def test_reading_across_31_march_is_split_by_days(tmp_path):
    result = pipeline.calculate(write_project(tmp_path / "p", ACROSS))
    assert not result.errors
    hall = next(activity for activity in result.activities if activity.activity_id == "LED-01")
    assert [(p.fiscal_year, p.start, p.end) for p in hall.periods] == [
        (2025, dt.date(2026, 3, 16), dt.date(2026, 3, 31)),
        (2026, dt.date(2026, 4, 1), dt.date(2026, 4, 15)),
    ]
    # 310 h × 16/31 = 160 h and 310 h × 15/31 = 150 h
    assert [p.baseline.inputs["T_PJ"] for p in hall.periods] == [D(160), D(150)]
    # unsplit, with one factor: hall (435 − 110) × 48 × 310 / 1000 = 4,836 kWh;
    # office 620 × (8,448 − 3,072) / 3,072 = 1,085 kWh; (4,836 + 1,085) × 0.000441 = 2.611161 t
    assert result.total_exact == D("2.611161")


def test_split_differs_from_unsplit_only_by_the_factor_year(tmp_path):
    result = pipeline.calculate(write_project(tmp_path / "p", ACROSS, fy2026="0.000450"))
    # the same kWh, each part with its own year's factor:
    # FY2025 16/31 of 5,921 kWh = 3,056 kWh × 0.000441; FY2026 15/31 = 2,865 kWh × 0.000450
    assert result.total_exact == D(3056) * D("0.000441") + D(2865) * D("0.000450")
    assert result.by_fiscal_year == {2025: D(3056) * D("0.000441"), 2026: D(2865) * D("0.000450")}


def test_missing_factor_year_is_reported_with_table_and_year(tmp_path):
    result = pipeline.calculate(write_project(tmp_path / "p", ACROSS, fy2026=None))
    missing = [problem for problem in result.errors if problem.code == "factor_missing"]
    assert len(missing) == 1  # reported once, though two readings need it
    assert missing[0].params["table"] == "grid_electricity" and "FY2026" in missing[0].message("en")
    assert all(p.fiscal_year == 2025 for activity in result.activities for p in activity.periods)


# -- bad inputs -----------------------------------------------------------------------------------

BAD_ACTIVITY = {
    "baseline_type: update": ("baseline_type: replace", "activities[0].baseline_type", "allowed"),
    "project_power_w: 110": ("project_power_w: 0", "activities[0].project_power_w", "min"),
    "project_count: 48,": ("project_count: 0,", "activities[0].project_count", "min"),
    "baseline_count: 48": ("baseline_count: -1", "activities[0].baseline_count", "min"),
    "monitoring_method: hours": ("monitoring_method: daily", "activities[0].monitoring_method", "allowed"),
    "old_specs_known: はい, baseline_power_w: 435": (
        "old_specs_known: たぶん, baseline_power_w: 435",
        "activities[0].old_specs_known",
        "not_a_boolean",
    ),
}


@pytest.mark.parametrize("good", list(BAD_ACTIVITY))
def test_bad_activity_values_are_rejected(good, tmp_path):
    bad, path, code = BAD_ACTIVITY[good]
    assert good in PROJECT
    root = write_project(tmp_path / "p", ACROSS[:1], PROJECT.replace(good, bad, 1))
    found = {(problem.path, problem.code) for problem in validate(root).errors}
    assert (path, code) in found, found


@pytest.mark.parametrize(
    "change,path,code",
    [
        ({"operating_hours": -5}, "monitoring[0].operating_hours", "min"),
        ({"project_kwh": "多い"}, "monitoring[0].project_kwh", "not_a_number"),
        ({"period_end": "2026-03-01"}, "monitoring[0].period_end", "not_before"),
        ({"evidence": "../outside.txt"}, "monitoring[0].evidence", "path_escapes"),
    ],
)
def test_bad_readings_are_rejected(change, path, code, tmp_path):
    root = write_project(tmp_path / "p", [{**ACROSS[0], **change}])
    found = {(problem.path, problem.code) for problem in validate(root).errors}
    assert (path, code) in found, found


# -- the sample -----------------------------------------------------------------------------------


def test_sample_validates_and_calculates(run):
    code, out, err = run("validate", SAMPLES / "led-factory")
    assert code == 0 and "警告 0 件" in out + err, out + err
    code, out, err = run("calc", SAMPLES / "led-factory", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["methodology"] == "EN-S-006"
    # 36 monthly readings of 3 fixture groups (364 fixtures), 123,243.905 kWh saved × 0.000441
    assert result["total_reduction_exact_t"] == "54.350562105" and result["total_reduction_t"] == 54
    assert {factor["name"] for factor in result["factors_used"]} == {"grid_electricity[basis=all_source]"}
