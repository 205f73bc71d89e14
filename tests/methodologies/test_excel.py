"""methodologies.excel_formula: every figure of every sample is reproduced by its Excel template, evaluated
by `formulas`."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from functools import cache

import pytest
from sample_projects import SAMPLES, WORKING_SAMPLES

from toolkit.calculate import factors as factor_tables
from toolkit.errors import UnknownMethodology
from toolkit.figures import Figure
from toolkit.methodologies import ag_004, ag_005, codes, excel_formula, get
from toolkit.periods import Piece
from toolkit.pipeline import calculate

formulas = pytest.importorskip("formulas")

SAMPLE_NAMES = WORKING_SAMPLES
SYMBOL = re.compile(r"\{([^{}]+)\}")
AG4_FACTORS = (
    "fuels:\n  - {fuel: diesel, fiscal_year: 2025, value: 0.0187, unit: tC/GJ, source: test, status: verified}\n"
    "heating_values:\n"
    "  - {fuel: diesel, per: kL, fiscal_year: 2025, value: 37.7, unit: GJ, source: test, status: verified}\n"
)
AG4_DAY = dt.date(2025, 5, 13)
AG4_BRANCHES = [  # what the biochar sample lacks: ineligible batches, with and without transport fuel
    (
        {"mineral_soil": True},
        {"pyrolysis_temp_c": 300, "transport_fuel": "diesel", "transport_fuel_l": D(40)},
    ),
    (
        {"mineral_soil": False},
        {"pyrolysis_temp_c": 650, "transport_fuel": "diesel", "transport_fuel_l": D(40)},
    ),
    ({"mineral_soil": False}, {"pyrolysis_temp_c": 650}),
    ({"mineral_soil": True}, {"pyrolysis_temp_c": 450, "carbon_content_pct": D("61.5")}),
]


@cache
def sample_figures(sample: str) -> tuple[str, tuple[Figure, ...]]:
    """The methodology code and every baseline and project figure of a sample project."""
    calculation = calculate(SAMPLES / sample)
    return calculation.methodology, tuple(
        figure
        for activity in calculation.activities
        for period in activity.periods
        for figure in (period.baseline, period.project)
    )


@pytest.fixture(scope="module")
def branch_figures(tmp_path_factory) -> list[tuple[str, Figure]]:
    """Figures of branches no sample reaches: ineligible biochar batches, a rice season failing its conditions."""
    folder = tmp_path_factory.mktemp("ag004")
    (folder / "factors.yaml").write_text(AG4_FACTORS, encoding="utf-8")
    factors = factor_tables.load("2023-10", folder)
    found = []
    for field, batch in AG4_BRANCHES:
        reading = {"applied_on": AG4_DAY, "biochar_dry_t": D("1.7"), "feedstock": "wood", **batch}
        found += [
            ("AG-004", figure)
            for figure in ag_004.calculate(
                {"id": "BC-1", **field},
                reading,
                Piece(AG4_DAY, AG4_DAY, 2025, 1, 1),
                (dt.date(2025, 4, 1), dt.date(2033, 3, 31)),
                factors,
            )
        ]
    rice = {
        "prefecture": "福島県",
        "area_ha": D("1.3"),
        "percolation_mm_per_day": D(10),
        "straw_removed_kg_per_10a": D(120),
        "compost_t_per_10a": D(1),
        "baseline_drainage_days": D(10),
    }
    start = dt.date(2025, 6, 20)  # drained 12 days: not 7 days longer than the mean of 10
    reading = {
        "drainage_start": start,
        "drainage_end": start + dt.timedelta(days=12),
        "heading_date": dt.date(2025, 8, 10),
    }
    baseline, project = ag_005.calculate(
        rice,
        reading,
        Piece(start, reading["drainage_end"], 2025, 13, 13),
        (dt.date(2025, 5, 1), dt.date(2031, 3, 31)),
        factor_tables.load("2023-10", methodology={"code": "AG-005", "version": "3.1"}),
    )
    assert project.formula.startswith("AG-005 PJ = BL")
    return found + [("AG-005", baseline), ("AG-005", project)]


@cache
def compiled(template: str):
    """The template as a compiled Excel function of its symbols, each symbol standing for a cell (A1, A2 …)."""
    symbols = list(dict.fromkeys(SYMBOL.findall(template)))
    cells = {symbol: f"A{index}" for index, symbol in enumerate(symbols, 1)}
    function = (
        formulas.Parser().ast("=" + SYMBOL.sub(lambda match: cells[match.group(1)], template))[1].compile()
    )
    by_cell = {cell: symbol for symbol, cell in cells.items()}
    return function, [by_cell[name.upper()] for name in function.inputs]


def evaluated(template: str, inputs) -> float:
    function, order = compiled(template)
    result = function(*(float(inputs[symbol]) for symbol in order))
    return float(result[0, 0] if hasattr(result, "shape") and result.shape else result)


def assert_reproduced(code: str, figure: Figure) -> None:
    template = excel_formula(code, figure)
    assert set(SYMBOL.findall(template)) <= set(figure.inputs), (figure.formula, template)
    assert evaluated(template, figure.inputs) == pytest.approx(float(figure.value), rel=1e-9, abs=1e-12), (
        figure.formula,
        template,
        dict(figure.inputs),
    )


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_every_figure_of_a_sample_is_reproduced_by_its_excel_formula(sample):
    code, figures = sample_figures(sample)
    assert figures
    for figure in figures:
        assert_reproduced(code, figure)


def test_branches_the_samples_lack_are_reproduced(branch_figures):
    for code, figure in branch_figures:
        assert_reproduced(code, figure)


def test_every_template_is_used_by_some_figure(branch_figures):
    """No dead entry: each EXCEL prefix is the longest match of a figure evaluated above."""
    figures = branch_figures + [
        (code, figure)
        for sample in SAMPLE_NAMES
        for code, found in [sample_figures(sample)]
        for figure in found
    ]
    used = {
        (code, max((prefix for prefix in get(code).EXCEL if figure.formula.startswith(prefix)), key=len))
        for code, figure in figures
    }
    assert {(code, prefix) for code in codes() for prefix in get(code).EXCEL} - used == set()


def test_the_longest_prefix_wins(monkeypatch):
    monkeypatch.setattr(ag_004, "EXCEL", {**ag_004.EXCEL, "AG-004 EM_PJ": "999"})
    ineligible = Figure(
        D(1),
        "t-CO2",
        "AG-004 EM_PJ = E_transport（対象外: 鉱質土壌でないほ場、貯留量 0）",
        {"E_transport": D(1)},
    )
    assert excel_formula("AG-004", ineligible) == "{E_transport}"
    assert excel_formula("AG-004", Figure(D(1), "t-CO2", "AG-004 EM_PJ = something else")) == "999"


def test_a_formula_without_a_template_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="EN-R-002 EM_XX = ?"):
        excel_formula("EN-R-002", Figure(D(1), "t-CO2", "EN-R-002 EM_XX = ?"))
    with pytest.raises(UnknownMethodology):
        excel_formula("EN-R-999", Figure(D(1), "t-CO2", "EN-R-002 EM_BL = EL_PJ,self × CEF_elec"))


@pytest.mark.parametrize("code", codes())
def test_every_methodology_has_templates_for_its_own_formulas(code):
    assert get(code).EXCEL and all(prefix.startswith(code + " ") for prefix in get(code).EXCEL)
