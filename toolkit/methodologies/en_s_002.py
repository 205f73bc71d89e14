"""EN-S-002 ヒートポンプの導入: a heat pump replacing a fuel-fired boiler or water heater (domain.md §5.3).

The heat the heat pump delivers (Q_heat, GJ, from a heat meter or computed by the proponent from flow
and temperature rise) would have come from the old boiler burning Q_heat / ε_BL of its fuel; the heat
pump's electricity (EL_HP) is the project emission. Efficiency is entered in percent and divided by 100
here. Auxiliary fuel of the project (a backup boiler) is not modelled: such a project cannot use this
module as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Mapping

from toolkit.errors import InputMissing
from toolkit.figures import Figure
from toolkit.methodologies import PERCENT, Need, Parameter, defaults
from toolkit.methodologies.emissions import GRID, carbon_factor, grid_factor
from toolkit.periods import Piece

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors

CODE = "EN-S-002"
NAME = {"ja": "ヒートポンプの導入", "en": "Installation of heat pumps"}
# 1.0 is the 2013 edition seen in an annex (expydoc 7342566); the version in force under the 2023-10
# rules is unverified: add it when its text has been checked.
VERSIONS = ("1.0",)
SCHEMA = "EN-S-002.yaml"
FACTORS = (GRID, Need("fuels", picked={"fuel": ("activities", "baseline_fuel")}))
FOREST = False
ADDITIVE = ("heat_gj", "electricity_kwh")
FORMULA = {
    "ja": "ER = EM_BL − EM_PJ。EM_BL = Q_heat（GJ）/ ε_BL × CEF_BL,fuel（t-CO2/GJ、燃料の炭素排出係数 "
    "tC/GJ × 44/12、削減が生じた年度の値）、EM_PJ = EL_HP（kWh）× CEF_elec（削減が生じた年度の係数）",
    "en": "ER = EM_BL − EM_PJ; EM_BL = Q_heat (GJ) / ε_BL × CEF_BL,fuel (t-CO2/GJ, the fuel's carbon factor "
    "tC/GJ × 44/12, of the fiscal year of the reduction); EM_PJ = EL_HP (kWh) × CEF_elec "
    "(factor of the fiscal year of the reduction)",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula)
EXCEL: Mapping[str, str] = {
    "EN-S-002 EM_BL": "{Q_heat}/{ε_BL}*{CEF_BL,fuel}",
    "EN-S-002 EM_PJ": "{EL_HP}*{CEF_elec}",
}

MONITORING = (
    Parameter(
        "Q_heat",
        "heat_gj",
        {"ja": "ヒートポンプの供給熱量", "en": "heat supplied by the heat pump"},
        "GJ",
        {"ja": "毎月（熱量計の記録）", "en": "monthly (heat meter record)"},
        ("heat_meter_log",),
    ),
    Parameter(
        "EL_HP",
        "electricity_kwh",
        {"ja": "ヒートポンプの電力使用量", "en": "heat pump electricity"},
        "kWh",
        {"ja": "毎月（子メーターの記録）", "en": "monthly (sub-meter record)"},
        ("submeter_reading",),
    ),
)


# the plan's estimate: the heat planned per year and the electricity for it (else heat / COP)
PLANNED = ("planned_heat_gj", "planned_electricity_kwh")
KWH_PER_GJ = Decimal(1000000) / Decimal(3600)  # a unit conversion, not a factor


def planned_readings(activity: Mapping, years) -> list[dict]:
    """Per fiscal year: Q_heat and EL_HP planned per year × the year's share of days. Without a planned
    electricity, EL_HP = Q_heat × 1,000,000 / 3,600 / COP (the heat pump's rated COP)."""
    defaults.required(activity, "planned_heat_gj")
    heat, kwh = activity["planned_heat_gj"], activity.get("planned_electricity_kwh")
    if kwh is None:
        if not activity.get("project_cop"):
            raise InputMissing("planned_electricity_kwh")
        kwh = heat * KWH_PER_GJ / activity["project_cop"]
    return defaults.yearly_rows(
        years, {"heat_gj": heat, "electricity_kwh": kwh}, ("heat_gj", "electricity_kwh")
    )


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline and project emissions (t-CO2) of one heat pump installation in one reading piece."""
    heat, kwh = reading.get("heat_gj"), reading.get("electricity_kwh")
    empty = [name for name, value in (("heat_gj", heat), ("electricity_kwh", kwh)) if value is None]
    if empty:  # an empty kWh taken as 0 would credit the whole baseline
        raise InputMissing(*empty, in_activity=False)
    factor, grid_refs = grid_factor(piece, crediting[0], factors)  # §6: CEF_elec of the piece's fiscal year
    # §5.3: EM_PJ = EL_HP × CEF_elec
    project = Figure(
        kwh * factor,
        "t-CO2",
        "EN-S-002 EM_PJ = EL_HP × CEF_elec",
        {"EL_HP": kwh, "CEF_elec": factor},
        grid_refs,
    )
    fuel, efficiency = activity.get("baseline_fuel"), activity.get("baseline_efficiency_pct")
    if not fuel or not efficiency:  # without the old fuel and efficiency there is no baseline
        raise InputMissing(
            *(
                name
                for name, value in (("baseline_fuel", fuel), ("baseline_efficiency_pct", efficiency))
                if not value
            )
        )
    eff_bl = efficiency / PERCENT
    cef_bl = carbon_factor(fuel, piece.fiscal_year, factors)  # §6: the fuel factor of the piece's fiscal year
    # §5.3: EM_BL = Q_heat / ε_BL × CEF_BL,fuel
    baseline = Figure(
        heat / eff_bl * cef_bl.value,
        "t-CO2",
        "EN-S-002 EM_BL = Q_heat / ε_BL × CEF_BL,fuel",
        {"Q_heat": heat, "ε_BL": eff_bl, "CEF_BL,fuel": cef_bl.value},
        (cef_bl,),
    )
    return baseline, project
