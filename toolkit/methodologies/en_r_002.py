"""EN-R-002 太陽光発電設備の導入: self-consumed solar power replacing grid power (domain.md §5.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Mapping

from toolkit.factors import Factors
from toolkit.figures import Figure
from toolkit.methodologies import Parameter, ZERO
from toolkit.periods import Piece, add_months

CODE = "EN-R-002"
NAME = {"ja": "太陽光発電設備の導入", "en": "Installation of solar PV systems"}
VERSIONS = ("3.0",)
SCHEMA = "EN-R-002.yaml"
FOREST = False
ADDITIVE = ("generation_kwh", "sold_kwh", "self_consumption_kwh")
FORMULA = {
    "ja": "ER = EM_BL − EM_PJ。EM_BL = EL_PJ,self（自家消費量 = 発電量 − 売電量, kWh）× CEF_elec（削減が生じた年度の係数）、EM_PJ = 0",
    "en": "ER = EM_BL − EM_PJ; EM_BL = EL_PJ,self (self-consumption = generation − sold, kWh) × CEF_elec "
          "(factor of the fiscal year of the reduction); EM_PJ = 0",
}

MONITORING = (
    Parameter("EL_gen", "generation_kwh", {"ja": "発電量", "en": "generation"}, "kWh",
              {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
              ("inverter_display", "generation_meter")),
    Parameter("EL_sold", "sold_kwh", {"ja": "売電量", "en": "power sold"}, "kWh",
              {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
              ("buyback_notice",)),
    Parameter("EL_PJ,self", "self_consumption_kwh", {"ja": "自家消費量", "en": "self-consumption"}, "kWh",
              {"ja": "毎月（発電量−売電量、または計測）", "en": "monthly (generation − sold, or metered)"},
              ("self_consumption_meter",)),
)


def self_consumption(reading: Mapping) -> Decimal | None:
    """Metered self-consumption wins; otherwise generation − sold (sold and FIT power are never counted)."""
    if reading.get("self_consumption_kwh") is not None:
        return reading["self_consumption_kwh"]
    generation, sold = reading.get("generation_kwh"), reading.get("sold_kwh")
    if generation is None:
        return None
    return generation - (sold or ZERO)


def grid_factor(piece: Piece, crediting_start: dt.date, factors: Factors) -> tuple[Decimal, tuple]:
    """CEF_elec of the piece's fiscal year; under the transitional marginal method, by years since the start (§6)."""
    year = piece.fiscal_year
    all_source = factors.get("grid_electricity", year, "t-CO2/kWh", basis="all_source")
    if not factors.switches.get("marginal_bands"):
        return all_source.value, (all_source,)
    marginal = factors.get("grid_electricity", year, "t-CO2/kWh", basis="marginal")
    if marginal.value < all_source.value:  # 限界 < 全電源: use 全電源
        return all_source.value, (all_source,)
    if piece.start < add_months(crediting_start, 12):  # 0 ≦ t < 1
        return marginal.value, (marginal,)
    if piece.start < add_months(crediting_start, 30):  # 1 ≦ t < 2.5
        return (marginal.value + all_source.value) / 2, (marginal, all_source)
    return all_source.value, (all_source,)


def calculate(activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date],
              factors: Factors) -> tuple[Figure, Figure]:
    """Baseline and project emissions (t-CO2) of one reading piece."""
    kwh = self_consumption(reading) or ZERO
    factor, refs = grid_factor(piece, crediting[0], factors)
    baseline = Figure(kwh * factor, "t-CO2", "EN-R-002 EM_BL = EL_PJ,self × CEF_elec",
                      {"EL_PJ,self": kwh, "CEF_elec": factor}, refs)
    project = Figure(ZERO, "t-CO2", "EN-R-002 EM_PJ = 0 (付随的排出は算定対象外)", {})
    return baseline, project
