"""FO-001 森林経営活動: hand-computed removals, proration of the annual growth by days, factors, bad inputs."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from toolkit.calculate import factors as factor_tables
from toolkit.calculate.engine import calculate_data
from toolkit.errors import FactorError, InputMissing
from toolkit.methodologies import fo_001
from toolkit.periods import Piece, split_by_fiscal_year
from toolkit.validate.validation import validate

D = Decimal
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "forest"
SPECIES = """\
forest_species:
  - {parameter: bef, species: sugi, value: 1.23, unit: "1", source: test, status: verified}
  - {parameter: root_ratio, species: sugi, value: 0.25, unit: "1", source: test, status: verified}
  - {parameter: wood_density, species: sugi, value: 0.314, unit: t/m3, source: test, status: verified}
fuels:
  - {fuel: diesel, fiscal_year: 2025, value: 0.0187, unit: tC/GJ, source: test, status: verified}
  - {fuel: diesel, fiscal_year: 2026, value: 0.0187, unit: tC/GJ, source: test, status: verified}
heating_values:
  - {fuel: diesel, per: kL, fiscal_year: 2025, value: 37.7, unit: GJ, source: test, status: verified}
  - {fuel: diesel, per: kL, fiscal_year: 2026, value: 37.7, unit: GJ, source: test, status: verified}
"""
STAND = {"id": "R1", "species": "sugi", "area_ha": D(10)}
FY2025 = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
CREDITING = (dt.date(2025, 4, 1), dt.date(2041, 3, 31))
# 10 ha × 8 m3/ha/yr × BEF 1.23 × (1 + 0.25) × D 0.314 × 0.5 × 44/12:
# 80 × 1.23 = 98.4; × 1.25 = 123; × 0.314 = 38.622; × 0.5 = 19.311; × 44 = 849.684; / 12 = 70.807 t-CO2/yr
FULL_YEAR = D("70.807")


@pytest.fixture
def factors(tmp_path):
    (tmp_path / "factors.yaml").write_text(SPECIES, encoding="utf-8")
    return factor_tables.load("2023-10", tmp_path)


def piece(start: dt.date, end: dt.date) -> Piece:
    (only,) = split_by_fiscal_year(start, end)
    return only


def test_a_full_fiscal_year_gives_the_hand_computed_removal(factors):
    baseline, project = fo_001.calculate(
        STAND, {"growth_m3_per_ha": D(8)}, piece(*FY2025), CREDITING, factors
    )
    assert baseline.value == 0
    assert project.value == -FULL_YEAR  # removals are a negative project emission: ER = 0 − (−70.807)
    assert project.inputs["R_PJ"] == FULL_YEAR and project.inputs["E_PJ"] == 0
    assert [ref.name for ref in project.factors] == [
        "forest_species[parameter=bef,species=sugi]",
        "forest_species[parameter=root_ratio,species=sugi]",
        "forest_species[parameter=wood_density,species=sugi]",
    ]


@pytest.mark.parametrize(
    "start,end,expected",
    [
        # 2025-04-01 … 2025-09-30: 183 of FY2025's 365 days: 849.684 × 183 / (12 × 365) = 155492.172 / 4380
        (dt.date(2025, 4, 1), dt.date(2025, 9, 30), D("155492.172") / D(4380)),
        # FY2027 has 366 days (29 Feb 2028): 183 days are half the year: 70.807 / 2 = 35.4035
        (dt.date(2027, 4, 1), dt.date(2027, 9, 30), D("35.4035")),
        # one day of FY2025: 849.684 / 4380 = 0.19399…
        (dt.date(2025, 6, 1), dt.date(2025, 6, 1), D("849.684") / D(4380)),
    ],
)
def test_the_annual_growth_is_prorated_by_the_days_of_the_fiscal_year(factors, start, end, expected):
    part = piece(start, end)
    _, project = fo_001.calculate(STAND, {"growth_m3_per_ha": D(8)}, part, CREDITING, factors)
    assert -project.value == expected
    assert (project.inputs["days"], project.inputs["days_FY"]) == (part.days, part.days_in_fiscal_year)


def forest_data(readings: list[dict], stands: list[dict] | None = None) -> dict:
    return {
        "rules_version": "2023-10",
        "project": {
            "type": "standard",
            "methodology": {"code": "FO-001", "version": "3.0"},
            "crediting_period": {"start": CREDITING[0], "end": CREDITING[1]},
        },
        "activities": stands or [dict(STAND)],
        "monitoring": [{"activity_id": "R1", **reading} for reading in readings],
    }


def test_a_reading_across_31_march_is_split_and_its_fuel_shared_by_days(factors):
    # 2025-10-01 … 2026-09-30: 182 days in FY2025 and 183 in FY2026; the growth rate applies to both pieces,
    # so together they make one full year: 70.807. Fuel 200 L is shared 182 : 183.
    # E = 0.2 kL × 37.7 GJ/kL × 0.0187 tC/GJ × 44/12 = 0.1409980 × 44 / 12 = 0.5169926666…
    reading = {
        "period_start": dt.date(2025, 10, 1),
        "period_end": dt.date(2026, 9, 30),
        "growth_m3_per_ha": D(8),
        "fuel": "diesel",
        "fuel_l": D(200),
    }
    result = calculate_data(forest_data([reading]), factors)
    pieces = result.activities[0].periods
    assert [(p.fiscal_year, p.start, p.end) for p in pieces] == [
        (2025, dt.date(2025, 10, 1), dt.date(2026, 3, 31)),
        (2026, dt.date(2026, 4, 1), dt.date(2026, 9, 30)),
    ]
    shares = [p.project.inputs["F"] for p in pieces]
    assert abs(shares[0] - D(200) * 182 / 365) < D("1e-20") and sum(shares) == 200
    fuel = D("0.2") * D("37.7") * D("0.0187") * 44 / 12
    assert abs(result.total_exact - (FULL_YEAR - fuel)) < D("1e-20")
    assert result.total_certified == 70


def test_a_missing_species_row_is_a_factor_error_naming_the_table(tmp_path):
    empty = factor_tables.load("2023-10", tmp_path)  # forest_species ships no rows
    with pytest.raises(FactorError) as caught:
        fo_001.calculate(STAND, {"growth_m3_per_ha": D(8)}, piece(*FY2025), CREDITING, empty)
    (problem,) = caught.value.problems
    assert problem.code == "factor_missing"
    assert problem.params["table"] == "forest_species"
    assert "species=sugi" in problem.params["keys"]


def test_the_missing_row_is_reported_once_by_the_calculation_and_the_stand_not_counted(tmp_path):
    reading = {"period_start": FY2025[0], "period_end": FY2025[1], "growth_m3_per_ha": D(8)}
    result = calculate_data(forest_data([reading]), factor_tables.load("2023-10", tmp_path))
    assert [(problem.code, problem.params["table"]) for problem in result.errors] == [
        ("factor_missing", "forest_species")
    ]
    assert result.total_exact == 0


def test_fuel_without_its_kind_is_refused_not_counted_as_none(factors):
    with pytest.raises(InputMissing) as caught:
        fo_001.calculate(
            STAND, {"growth_m3_per_ha": D(8), "fuel_l": D(50)}, piece(*FY2025), CREDITING, factors
        )
    assert caught.value.fields == ("fuel",) and not caught.value.in_activity


def test_a_fuel_without_a_heating_value_row_names_that_table(factors):
    with pytest.raises(FactorError) as caught:
        fo_001.calculate(
            STAND,
            {"growth_m3_per_ha": D(8), "fuel": "gasoline", "fuel_l": D(50)},
            piece(*FY2025),
            CREDITING,
            factors,
        )
    assert caught.value.problems[0].params["table"] == "heating_values"


def test_the_sample_validates_and_computes_without_errors():
    validation = validate(SAMPLE)
    assert validation.valid and not validation.warnings, [p.line() for p in validation.problems]


# -- bad inputs ---------------------------------------------------------------------------------------


def _set_cells(path: Path, row: int, values: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.active
    headers = {cell.value: cell.column for cell in sheet[1]}
    for label, value in values.items():
        sheet.cell(row=row, column=headers[label], value=value)
    book.save(path)


def test_bad_stands_and_readings_are_rejected_with_their_paths(tmp_path):
    folder = tmp_path / "forest"
    shutil.copytree(SAMPLE, folder)
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "species: sugi, forest_type: plantation, planted_year: 1978, area_ha: 8.42",
        "species: cedar, forest_type: plantation, planted_year: 1978, area_ha: -8.42",
        1,
    )
    (folder / "project.yaml").write_text(text, encoding="utf-8")
    _set_cells(
        folder / "monitoring" / "2025.xlsx",
        2,
        {
            "期間終了": dt.date(2025, 3, 31),
            "年間成長量(m3/ha/年)": 120,
            "証憑": "../outside.txt",
            "施業の燃料": "petrol",
        },
    )
    found = {(problem.path, problem.code) for problem in validate(folder).errors}
    assert found == {
        ("activities[0].species", "allowed"),
        ("activities[0].area_ha", "min"),
        ("monitoring[0].period_end", "not_before"),
        ("monitoring[0].growth_m3_per_ha", "max"),
        ("monitoring[0].evidence", "path_escapes"),
        ("monitoring[0].fuel", "allowed"),
    }


def test_a_wood_density_in_another_unit_is_refused_not_taken_1000_times_over(tmp_path):
    (tmp_path / "factors.yaml").write_text(
        SPECIES.replace("value: 0.314, unit: t/m3", "value: 314, unit: kg/m3"), encoding="utf-8"
    )
    with pytest.raises(FactorError) as caught:
        fo_001.species_parameters("sugi", factor_tables.load("2023-10", tmp_path))
    assert caught.value.problems[0].code == "factor_unit"
