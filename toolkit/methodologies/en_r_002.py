"""EN-R-002 太陽光発電設備の導入: self-consumed solar power replacing grid power (domain.md §5.1)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from toolkit.errors import InputConflict, InputMissing
from toolkit.figures import Figure
from toolkit.methodologies import ZERO, Parameter
from toolkit.methodologies.emissions import grid_factor
from toolkit.periods import Piece

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors
    from toolkit.checklist.findings import Finding
    from toolkit.checklist.scheme_rules import Context

CODE = "EN-R-002"
NAME = {"ja": "太陽光発電設備の導入", "en": "Installation of solar PV systems"}
VERSIONS = ("3.0",)
SCHEMA = "EN-R-002.yaml"
FOREST = False
ADDITIVE = ("generation_kwh", "sold_kwh", "self_consumption_kwh")
FORMULA = {
    "ja": "ER = EM_BL − EM_PJ。EM_BL = EL_PJ,self（自家消費量 = 発電量 − 売電量, kWh）"
    "× CEF_elec（削減が生じた年度の係数）、EM_PJ = 0",
    "en": "ER = EM_BL − EM_PJ; EM_BL = EL_PJ,self (self-consumption = generation − sold, kWh) × CEF_elec "
    "(factor of the fiscal year of the reduction); EM_PJ = 0",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula)
EXCEL: Mapping[str, str] = {
    "EN-R-002 EM_BL": "{EL_PJ,self}*{CEF_elec}",
    "EN-R-002 EM_PJ": "0",
}

MONITORING = (
    Parameter(
        "EL_gen",
        "generation_kwh",
        {"ja": "発電量", "en": "generation"},
        "kWh",
        {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
        ("inverter_display", "generation_meter"),
    ),
    Parameter(
        "EL_sold",
        "sold_kwh",
        {"ja": "売電量", "en": "power sold"},
        "kWh",
        {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
        ("buyback_notice",),
    ),
    Parameter(
        "EL_PJ,self",
        "self_consumption_kwh",
        {"ja": "自家消費量", "en": "self-consumption"},
        "kWh",
        {"ja": "毎月（発電量−売電量、または計測）", "en": "monthly (generation − sold, or metered)"},
        ("self_consumption_meter",),
    ),
)


def self_consumption(reading: Mapping) -> Decimal:
    """Metered self-consumption wins, within generation − sold; otherwise generation − sold (§5.1).

    Sold (and so FIT/FIP) power is never counted, and an empty sold amount is not taken as none:
    a household that sells nothing writes 0.
    """
    generation, sold, metered = (
        reading.get("generation_kwh"),
        reading.get("sold_kwh"),
        reading.get("self_consumption_kwh"),
    )
    if metered is not None:
        if generation is not None and sold is not None and metered > generation - sold:
            raise InputConflict(
                "self_consumption_kwh",
                in_activity=False,
                found=metered,
                limit=generation - sold,
                why={"ja": "発電量 − 売電量", "en": "generation − sold"},
            )
        return metered
    if generation is None or sold is None:
        raise InputMissing(
            *(name for name, value in (("generation_kwh", generation), ("sold_kwh", sold)) if value is None),
            in_activity=False,
        )
    return generation - sold


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline and project emissions (t-CO2) of one reading piece."""
    kwh = self_consumption(reading)
    factor, refs = grid_factor(piece, crediting[0], factors)
    baseline = Figure(
        kwh * factor,
        "t-CO2",
        "EN-R-002 EM_BL = EL_PJ,self × CEF_elec",
        {"EL_PJ,self": kwh, "CEF_elec": factor},
        refs,
    )
    project = Figure(ZERO, "t-CO2", "EN-R-002 EM_PJ = 0 (付随的排出は算定対象外)", {})
    return baseline, project


# -- the methodology's own checklist rules (run by checklist/scheme_rules.py with the scheme's) ------


def fit_power(context: Context) -> Iterator[Finding]:
    """EN-R-002: a FIT/FIP activity sells power; a year of readings with nothing sold is claimed FIT power."""
    sold: dict[Any, Decimal] = defaultdict(Decimal)
    counted: set = set()
    for reading in context.data.get("monitoring") or []:
        counted.add(reading.get("activity_id"))
        sold[reading.get("activity_id")] += reading.get("sold_kwh") or 0
    for index, activity in context.activities():
        if activity.get("fit") and activity.get("id") in counted:
            context.count("activity-list")
            if sold[activity.get("id")] == 0:
                yield context.finding(
                    "R-DC-FIT",
                    f"activities[{index}].fit",
                    "activity_list",
                    "fit_nothing_sold",
                    "warning",
                    activity=activity.get("id", ""),
                )


RULES = (("R-DC-FIT", ("registration", "verification"), fit_power),)
