"""EN-S-006 照明設備の導入: efficient lighting (LED included) replacing old lamps (domain.md §5.2).

One activity is one fixture group: old fixtures (rated power P_BL, count N_BL) replaced by new ones
(P_PJ, N_PJ). The hours are logged (T_PJ), or the new lighting is sub-metered (EL_PJ) and the baseline
is scaled by the ratio of installed power. The baseline treatment (更新 or 新設, B1–B3 of §4) is
recorded on the activity for the checklist; it does not change the arithmetic here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Mapping

from toolkit.errors import InputMissing
from toolkit.figures import Figure
from toolkit.methodologies import ZERO, Parameter, defaults
from toolkit.methodologies.emissions import GRID, grid_factor
from toolkit.periods import Piece

if TYPE_CHECKING:
    from collections.abc import Sequence

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors

CODE = "EN-S-006"
NAME = {"ja": "照明設備の導入", "en": "Installation of efficient lighting"}
# 2.1 [verified] pdfslide (domain.md §1); 1.0 is the 2013 edition seen in an annex (expydoc 7342566).
VERSIONS = ("1.0", "2.1")
SCHEMA = "EN-S-006.yaml"
FACTORS = (GRID,)
FOREST = False
ADDITIVE = ("operating_hours", "project_kwh")
FORMULA = {
    "ja": "ER = EM_BL − EM_PJ。EM = EL × CEF_elec（削減が生じた年度の係数）。点灯時間による場合 "
    "EL_BL = Σ P_BL × N_BL × T_PJ / 1000、EL_PJ = Σ P_PJ × N_PJ × T_PJ / 1000（kWh）。"
    "計量による場合 EL_PJ = 計量値、EL_BL = EL_PJ × ΣP_BL·N_BL / ΣP_PJ·N_PJ（点灯時間は変わらないものとする）",
    "en": "ER = EM_BL − EM_PJ; EM = EL × CEF_elec (factor of the fiscal year of the reduction). By hours: "
    "EL_BL = Σ P_BL × N_BL × T_PJ / 1000, EL_PJ = Σ P_PJ × N_PJ × T_PJ / 1000 (kWh). By sub-meter: "
    "EL_PJ = metered, EL_BL = EL_PJ × ΣP_BL·N_BL / ΣP_PJ·N_PJ (hours assumed unchanged)",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula)
EXCEL: Mapping[str, str] = {
    "EN-S-006 EM_BL = EL_PJ": "{EL_PJ}*({P_BL}*{N_BL})/({P_PJ}*{N_PJ})*{CEF_elec}",
    "EN-S-006 EM_BL = P_BL": "{P_BL}*{N_BL}*{T_PJ}/1000*{CEF_elec}",
    "EN-S-006 EM_PJ = EL_PJ": "{EL_PJ}*{CEF_elec}",
    "EN-S-006 EM_PJ = P_PJ": "{P_PJ}*{N_PJ}*{T_PJ}/1000*{CEF_elec}",
}

MONITORING = (
    Parameter(
        "T_PJ",
        "operating_hours",
        {"ja": "点灯時間", "en": "operating hours"},
        "h",
        {"ja": "毎月（点灯記録・タイマーログ）", "en": "monthly (lighting log, timer log)"},
        ("lighting_log", "timer_log"),
    ),
    Parameter(
        "EL_PJ",
        "project_kwh",
        {"ja": "照明の電力使用量", "en": "lighting electricity"},
        "kWh",
        {"ja": "毎月（照明回路の子メーター）", "en": "monthly (sub-meter of the lighting circuits)"},
        ("submeter_reading",),
    ),
)

# the plan's estimate: the fixtures' counts and wattages above, and the hours planned per year
PLANNED = ("planned_hours_per_year",)

W_PER_KW = Decimal(1000)  # rated power is in W, energy in kWh: a unit conversion, not a factor


def installed_power(activity: Mapping, side: str) -> tuple[Decimal, Decimal, Decimal]:
    """(P, N, P × N) in W for the baseline (`bl`) or project (`pj`) fixtures; an empty cell is refused,
    since taking it as 0 would erase the project's consumption or the baseline's."""
    prefix = "baseline" if side == "bl" else "project"
    names = (f"{prefix}_power_w", f"{prefix}_count")
    empty = [name for name in names if activity.get(name) is None]
    if empty:
        raise InputMissing(*empty)
    power, count = activity[names[0]], Decimal(activity[names[1]])
    return power, count, power * count


def method(activity: Mapping, reading: Mapping) -> str:
    """`hours` or `metered`: as declared on the activity, else metered when the reading has kWh."""
    if reading.get("planned"):  # the estimate goes by the planned hours, whatever is metered later
        return "hours"
    declared = activity.get("monitoring_method")
    if declared in ("hours", "metered"):
        return declared
    return "metered" if reading.get("project_kwh") is not None else "hours"


def planned_readings(activity: Mapping, years: Sequence[Piece]) -> list[dict]:
    """Per fiscal year: T_PJ = the planned hours per year × the year's share of days in the crediting period."""
    defaults.required(activity, *PLANNED)
    return defaults.yearly_rows(
        years, {"operating_hours": activity["planned_hours_per_year"]}, ("operating_hours",)
    )


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline and project emissions (t-CO2) of one fixture group in one reading piece."""
    p_bl, n_bl, pn_bl = installed_power(activity, "bl")
    p_pj, n_pj, pn_pj = installed_power(activity, "pj")
    factor, refs = grid_factor(piece, crediting[0], factors)  # §6: CEF_elec of the piece's fiscal year
    fixtures = {"P_BL": p_bl, "N_BL": n_bl, "P_PJ": p_pj, "N_PJ": n_pj}
    if method(activity, reading) == "metered":
        # §5.2: EL_BL = EL_PJ (sub-meter) × ΣP_BL·N_BL / ΣP_PJ·N_PJ, when the hours are unchanged
        el_pj = reading.get("project_kwh")
        if el_pj is None:
            raise InputMissing("project_kwh", in_activity=False)
        el_bl = el_pj * pn_bl / pn_pj if pn_pj else ZERO
        inputs = {**fixtures, "EL_PJ": el_pj, "EL_BL": el_bl, "CEF_elec": factor}
        baseline = Figure(
            el_bl * factor,
            "t-CO2",
            "EN-S-006 EM_BL = EL_PJ × (P_BL × N_BL) / (P_PJ × N_PJ) × CEF_elec",
            inputs,
            refs,
        )
        project = Figure(
            el_pj * factor,
            "t-CO2",
            "EN-S-006 EM_PJ = EL_PJ（計量値）× CEF_elec",
            {"EL_PJ": el_pj, "CEF_elec": factor},
            refs,
        )
        return baseline, project
    # §5.2: EL = Σ P (rated W, catalogue) × N × T_PJ (h, logs) / 1000
    hours = reading.get("operating_hours")
    if hours is None:  # no hours, no savings: refused rather than reported as none
        raise InputMissing("operating_hours", in_activity=False)
    el_bl = pn_bl * hours / W_PER_KW
    el_pj = pn_pj * hours / W_PER_KW
    baseline = Figure(
        el_bl * factor,
        "t-CO2",
        "EN-S-006 EM_BL = P_BL × N_BL × T_PJ / 1000 × CEF_elec",
        {"P_BL": p_bl, "N_BL": n_bl, "T_PJ": hours, "EL_BL": el_bl, "CEF_elec": factor},
        refs,
    )
    project = Figure(
        el_pj * factor,
        "t-CO2",
        "EN-S-006 EM_PJ = P_PJ × N_PJ × T_PJ / 1000 × CEF_elec",
        {"P_PJ": p_pj, "N_PJ": n_pj, "T_PJ": hours, "EL_PJ": el_pj, "CEF_elec": factor},
        refs,
    )
    return baseline, project
