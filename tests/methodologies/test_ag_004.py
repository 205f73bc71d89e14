"""AG-004 バイオ炭の農地施用: hand-computed storage, temperature bands, ineligible batches, factors, bad inputs."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from toolkit.calculate import factors as factor_tables
from toolkit.calculate.engine import calculate_data
from toolkit.errors import FactorError
from toolkit.methodologies import ag_004
from toolkit.periods import Piece
from toolkit.validate.validation import validate

D = Decimal
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "biochar"
FUEL = """\
fuels:
  - {fuel: diesel, fiscal_year: 2025, value: 0.0187, unit: tC/GJ, source: test, status: verified}
  - {fuel: diesel, fiscal_year: 2026, value: 0.0187, unit: tC/GJ, source: test, status: verified}
heating_values:
  - {fuel: diesel, per: kL, fiscal_year: 2025, value: 37.7, unit: GJ, source: test, status: verified}
  - {fuel: diesel, per: kL, fiscal_year: 2026, value: 37.7, unit: GJ, source: test, status: verified}
"""
FIELD = {"id": "BC-1", "mineral_soil": True}
DAY = dt.date(2025, 5, 13)
PIECE = Piece(DAY, DAY, 2025, 1, 1)
CREDITING = (dt.date(2025, 4, 1), dt.date(2033, 3, 31))


@pytest.fixture
def factors(tmp_path):
    (tmp_path / "factors.yaml").write_text(FUEL, encoding="utf-8")
    return factor_tables.load("2023-10", tmp_path)


def batch(**values) -> dict:
    return {"applied_on": DAY, "biochar_dry_t": D(2), "feedstock": "wood", "pyrolysis_temp_c": 650, **values}


@pytest.mark.parametrize(
    "reading,stored",
    [
        # 2 t wood at 650 ℃ (> 600): 2 × Fc 0.77 × Fperm 0.89 × 44/12 = 1.3706 × 44 / 12 = 60.3064 / 12 = 5.02553…
        (batch(), D("60.3064") / 12),
        # 1.5 t rice husk at 480 ℃ (450–600): 1.5 × 0.49 × 0.80 × 44/12 = 0.588 × 44 / 12 = 25.872 / 12 = 2.156
        (batch(biochar_dry_t=D("1.5"), feedstock="rice_husk", pyrolysis_temp_c=480), D("2.156")),
        # 2 t herbaceous at 400 ℃ (350–450): 2 × 0.65 × 0.65 × 44/12 = 0.845 × 44 / 12 = 37.18 / 12 = 3.09833…
        (batch(feedstock="herbaceous", pyrolysis_temp_c=400), D("37.18") / 12),
        # 600 ℃ is still the medium band: 2 × 0.77 × 0.80 × 44/12 = 1.232 × 44 / 12 = 54.208 / 12
        (batch(pyrolysis_temp_c=600), D("54.208") / 12),
        # 450 ℃ is still the low band: 2 × 0.77 × 0.65 × 44/12 = 1.001 × 44 / 12 = 44.044 / 12
        (batch(pyrolysis_temp_c=450), D("44.044") / 12),
        # measured carbon 84.2 % replaces the default: 3 × 0.842 × 0.89 × 44/12 = 2.24814 × 44 / 12 = 8.24318
        (batch(biochar_dry_t=D(3), pyrolysis_temp_c=820, carbon_content_pct=D("84.2")), D("8.24318")),
    ],
)
def test_stored_carbon_is_the_hand_computed_value(factors, reading, stored):
    baseline, project = ag_004.calculate(FIELD, reading, PIECE, CREDITING, factors)
    assert baseline.value == 0
    assert project.value == -stored  # storage is a negative project emission: ER = 0 − (−stored)
    assert project.inputs["CO2_stored"] == stored


def test_a_measured_carbon_content_uses_no_default_fc_row(factors):
    _, project = ag_004.calculate(FIELD, batch(carbon_content_pct=D("84.2")), PIECE, CREDITING, factors)
    assert [ref.name for ref in project.factors] == ["ag004_biochar[class=above_600c,parameter=fperm]"]
    assert project.inputs["Fc_p"] == D("0.842")


def test_transport_fuel_is_deducted(factors):
    # 20 L diesel: 0.02 kL × 37.7 GJ/kL × 0.0187 tC/GJ × 44/12 = 0.0140998 × 44 / 12 = 0.6203912 / 12 = 0.0516992…
    reading = batch(transport_fuel="diesel", transport_fuel_l=D(20))
    _, project = ag_004.calculate(FIELD, reading, PIECE, CREDITING, factors)
    transport = D("0.02") * D("37.7") * (D("0.0187") * 44 / 12)
    assert project.inputs["E_transport"] == transport
    assert abs(project.value - (transport - D("60.3064") / 12)) < D("1e-25")


@pytest.mark.parametrize(
    "celsius,band",
    [
        (None, None),
        (0, None),
        (300, None),
        (350, None),  # IPCC 2019 Ap.4: biochar is made "in excess of 350 ℃"
        (351, "350_450c"),
        (450, "350_450c"),  # our choice of edge: upper edges closed, like "> 600" for the high band
        (451, "450_600c"),
        (600, "450_600c"),
        (601, "above_600c"),
    ],
)
def test_temperature_bands(celsius, band):
    assert ag_004.temperature_band(celsius) == band


@pytest.mark.parametrize(
    "band,value", [("above_600c", D("0.89")), ("450_600c", D("0.80")), ("350_450c", D("0.65"))]
)
def test_the_three_permanence_bands_are_shipped_with_their_source(factors, band, value):
    row = factors.get("ag004_biochar", parameter="fperm", **{"class": band})
    assert (row.value, row.status) == (value, "third-party")
    assert "IPCC 2019 Refinement" in row.source and "Appendix 4" in row.source


def test_no_other_permanence_band_is_shipped():
    bands = {
        dict(row.keys)["class"]
        for row in factor_tables.shipped_rows().values()
        if row.table == "ag004_biochar" and dict(row.keys)["parameter"] == "fperm"
    }
    assert bands == {"above_600c", "450_600c", "350_450c"}


@pytest.mark.parametrize(
    "celsius,temp", [(None, {"ja": "空欄", "en": "empty"}), (350, "350 ℃"), (120, "120 ℃")]
)
def test_a_batch_without_an_eligible_temperature_is_a_calculation_warning(factors, celsius, temp):
    assert ag_004.reading_findings(FIELD, batch(pyrolysis_temp_c=celsius), factors) == [
        ("ag004_temp", "pyrolysis_temp_c", "warning", {"temp": temp, "above": 350})
    ]
    assert ag_004.reading_findings(FIELD, batch(pyrolysis_temp_c=351), factors) == []


@pytest.mark.parametrize(
    "activity,reading",
    [
        (FIELD, batch(pyrolysis_temp_c=350)),  # 350 ℃ or less is not eligible (§5.5: > 350 ℃)
        (FIELD, batch(pyrolysis_temp_c=None)),  # unknown temperature: no band, nothing stored
        ({"id": "BC-1", "mineral_soil": False}, batch()),  # organic soil is not eligible
    ],
)
def test_an_ineligible_batch_stores_nothing_but_its_transport_still_counts(factors, activity, reading):
    reading = {**reading, "transport_fuel": "diesel", "transport_fuel_l": D(20)}
    _, project = ag_004.calculate(activity, reading, PIECE, CREDITING, factors)
    assert project.value == project.inputs["E_transport"] > 0
    assert "対象外" in project.formula


def test_the_schema_takes_a_batch_made_at_350_c_and_leaves_it_to_the_checklist(tmp_path):
    """350 ℃ is a value the proponent recorded: not a typing error but a batch that is not biochar, which the
    checklist reports as blocking (R-AG4-TEMP) and the calculation as a warning."""
    folder = copy_sample(tmp_path)
    set_cells(folder / "monitoring" / "2025.xlsx", {2: {"炭化温度(℃)": 350}, 3: {"炭化温度(℃)": -5}})
    validation = validate(folder)
    assert [(problem.path, problem.code) for problem in validation.errors] == [
        ("monitoring[1].pyrolysis_temp_c", "min")
    ]


def test_missing_factor_rows_are_errors_naming_their_table(factors, tmp_path):
    with pytest.raises(FactorError) as caught:  # no gasoline heating value is shipped or supplied
        ag_004.calculate(
            FIELD, batch(transport_fuel="gasoline", transport_fuel_l=D(5)), PIECE, CREDITING, factors
        )
    assert caught.value.problems[0].params["table"] == "heating_values"
    bare = factor_tables.load("2023-10", tmp_path / "nothing")
    rows = {
        key: row
        for key, row in bare._rows.items()
        if row.table != "ag004_biochar" or "fperm" not in str(row.keys)
    }
    without_fperm = factor_tables.Factors("2023-10", bare.version, rows)
    with pytest.raises(FactorError) as caught:
        ag_004.calculate(FIELD, batch(), PIECE, CREDITING, without_fperm)
    assert caught.value.problems[0].params["table"] == "ag004_biochar"
    assert "parameter=fperm" in caught.value.problems[0].params["keys"]


def test_a_batch_is_one_day_in_the_fiscal_year_of_its_application(factors):
    assert ag_004.reading_period({"applied_on": dt.date(2026, 3, 31)}) == (
        dt.date(2026, 3, 31),
        dt.date(2026, 3, 31),
    )
    assert ag_004.reading_period({"applied_on": None}) is None
    data = {
        "rules_version": "2023-10",
        "project": {
            "type": "program",
            "methodology": {"code": "AG-004", "version": "2.4"},
            "crediting_period": {"start": CREDITING[0], "end": CREDITING[1]},
        },
        "activities": [FIELD],
        "monitoring": [{"activity_id": "BC-1", **batch(applied_on=dt.date(2026, 3, 31))}],
    }
    result = calculate_data(data, factors)
    assert result.by_fiscal_year == {2025: D("60.3064") / 12}  # 5.0255… t stored (650 ℃: Fperm 0.89)
    assert result.total_certified == 5


def test_the_sample_validates_without_warnings():
    validation = validate(SAMPLE)
    assert validation.valid and not validation.warnings, [p.line() for p in validation.problems]


# -- bad inputs ---------------------------------------------------------------------------------------


def copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "biochar"
    shutil.copytree(SAMPLE, folder)
    return folder


def set_cells(path: Path, rows: dict[int, dict[str, object]]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.active
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row, values in rows.items():
        for label, value in values.items():
            sheet.cell(row=row, column=headers[label], value=value)
    book.save(path)


def test_bad_fields_and_batches_are_rejected_with_their_paths(tmp_path):
    folder = copy_sample(tmp_path)
    set_cells(folder / "activities.xlsx", {2: {"地目": "forest", "面積(ha)": -1}})
    set_cells(
        folder / "monitoring" / "2025.xlsx",
        {
            2: {
                "原料区分": "bamboo",
                "施用量(乾燥t)": -0.5,
                "精煉度": 10,
                "炭素含有率の実測値(%)": 120,
                "品質証明書": "/etc/passwd",
                "証憑": "../outside.txt",
                "運搬の燃料使用量(L)": "12 kg",
            }
        },
    )
    found = {(problem.path, problem.code) for problem in validate(folder).errors}
    assert found == {
        ("activities[0].land_use", "allowed"),
        ("activities[0].area_ha", "min"),
        ("monitoring[0].feedstock", "allowed"),
        ("monitoring[0].biochar_dry_t", "min"),
        ("monitoring[0].refinement", "max"),
        ("monitoring[0].carbon_content_pct", "max"),
        ("monitoring[0].certificate", "path_absolute"),
        ("monitoring[0].evidence", "path_escapes"),
        ("monitoring[0].transport_fuel_l", "unit_mismatch"),
    }
