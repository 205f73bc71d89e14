"""EN-S-001 ボイラーの導入: a more efficient boiler, possibly on another fuel, replacing an old one (domain.md §5.3).

The heat the new boiler delivers is inferred from its fuel: Q_heat = F_PJ × HV_PJ × ε_PJ. The baseline
boiler would have burnt Q_heat / ε_BL of its own fuel. Efficiencies are entered in percent (the
catalogue form, 高位発熱量基準) and divided by 100 here. Baseline treatment (更新 / 新設, B1, B2, B5 of
§4) is recorded on the activity for the checklist; it does not change the arithmetic here.

HV and CEF are the rows of the fiscal year of the reading piece (fuels and heating_values are per fiscal
year, like the grid table): a reading across 31 March is split and each part takes its own year's values.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Mapping

from toolkit.errors import InputMissing
from toolkit.figures import Figure
from toolkit.methodologies import PERCENT, ZERO, Need, Parameter, defaults
from toolkit.methodologies.emissions import carbon_factor, fuel_needs, heat_content
from toolkit.periods import Piece

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors

CODE = "EN-S-001"
NAME = {"ja": "ボイラーの導入", "en": "Installation of efficient boilers"}
# 1.0: the 2013 edition (every methodology started at 1.0; expydoc 7342566 shows the EN-S-00x set at 1.0).
# The version in force under the 2023-10 rules is unverified: add it when its text has been checked.
VERSIONS = ("1.0",)
SCHEMA = "EN-S-001.yaml"
FACTORS = (
    *fuel_needs(("activities", "project_fuel")),
    Need("fuels", picked={"fuel": ("activities", "baseline_fuel")}),
)
FOREST = False
ADDITIVE = ("fuel_amount",)
FORMULA = {
    "ja": "ER = EM_BL − EM_PJ。Q_heat = F_PJ × HV_PJ × ε_PJ（GJ）、EM_BL = Q_heat / ε_BL × CEF_BL,fuel、"
    "EM_PJ = F_PJ × HV_PJ × CEF_PJ,fuel（CEF は t-CO2/GJ、燃料の炭素排出係数 tC/GJ × 44/12。"
    "HV と CEF は削減が生じた年度の値）",
    "en": "ER = EM_BL − EM_PJ; Q_heat = F_PJ × HV_PJ × ε_PJ (GJ); EM_BL = Q_heat / ε_BL × CEF_BL,fuel; "
    "EM_PJ = F_PJ × HV_PJ × CEF_PJ,fuel (CEF in t-CO2/GJ, the fuel's carbon factor tC/GJ × 44/12; "
    "HV and CEF of the fiscal year of the reduction)",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula)
EXCEL: Mapping[str, str] = {
    "EN-S-001 EM_BL": "{F_PJ}*{HV_PJ}*{ε_PJ}/{ε_BL}*{CEF_BL,fuel}",
    "EN-S-001 EM_PJ": "{F_PJ}*{HV_PJ}*{CEF_PJ,fuel}",
}

MONITORING = (
    Parameter(
        "F_PJ",
        "fuel_amount",
        {"ja": "導入ボイラーの燃料使用量", "en": "fuel used by the new boiler"},
        "kL / t / 千m3",
        {"ja": "毎月（燃料の請求書・検針票）", "en": "monthly (fuel invoice or meter slip)"},
        ("fuel_invoice", "gas_meter_slip"),
    ),
)


# the plan's estimate: the fuel the new boiler is planned to burn in a year, in its unit
PLANNED = ("planned_fuel_amount", "planned_fuel_unit")


def planned_readings(activity: Mapping, years) -> list[dict]:
    """Per fiscal year: F_PJ = the planned fuel per year × the year's share of days in the crediting period."""
    defaults.required(activity, *PLANNED)
    return defaults.yearly_rows(
        years,
        {"fuel_amount": activity["planned_fuel_amount"], "fuel_unit": activity["planned_fuel_unit"]},
        ("fuel_amount",),
    )


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline and project emissions (t-CO2) of one boiler in one reading piece."""
    amount = reading.get("fuel_amount") or ZERO
    per = reading.get("fuel_unit")
    empty = [
        name
        for name in ("project_fuel", "baseline_fuel", "project_efficiency_pct", "baseline_efficiency_pct")
        if not activity.get(name)
    ]
    if empty:
        raise InputMissing(*empty)
    if not per:
        raise InputMissing("fuel_unit", in_activity=False)
    eff_pj = activity["project_efficiency_pct"] / PERCENT
    eff_bl = activity["baseline_efficiency_pct"] / PERCENT
    year = piece.fiscal_year  # §6: every factor of the fiscal year of the reduction (R-FY-FACTOR)
    energy, hv = heat_content(activity["project_fuel"], amount, per, year, factors)  # F_PJ × HV_PJ (GJ)
    cef_pj = carbon_factor(activity["project_fuel"], year, factors)
    cef_bl = carbon_factor(activity["baseline_fuel"], year, factors)
    q_heat = energy * eff_pj  # §5.3: Q_heat = F_PJ × HV_PJ × ε_PJ
    baseline = Figure(
        q_heat / eff_bl * cef_bl.value,
        "t-CO2",  # §5.3: EM_BL = Q_heat / ε_BL × CEF_BL,fuel
        "EN-S-001 EM_BL = F_PJ × HV_PJ × ε_PJ / ε_BL × CEF_BL,fuel",
        {
            "F_PJ": amount,
            "HV_PJ": hv.value,
            "ε_PJ": eff_pj,
            "Q_heat": q_heat,
            "ε_BL": eff_bl,
            "CEF_BL,fuel": cef_bl.value,
        },
        (hv, cef_bl),
    )
    project = Figure(
        energy * cef_pj.value,
        "t-CO2",  # §5.3: EM_PJ = F_PJ × HV_PJ × CEF_PJ,fuel
        "EN-S-001 EM_PJ = F_PJ × HV_PJ × CEF_PJ,fuel",
        {"F_PJ": amount, "HV_PJ": hv.value, "CEF_PJ,fuel": cef_pj.value},
        (hv, cef_pj),
    )
    return baseline, project
