"""Emission factors shared by methodologies, each of the fiscal year of the reduction (domain.md §6).

Grid electricity, fuel heating values and fuel carbon factors are all per fiscal year: a reading piece
lies inside one fiscal year (the engine splits readings at 31 March), and every lookup asks for that year.
A year no table holds is a FactorError naming the table and the year, never a fallback to another year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Mapping

from toolkit.errors import InputMissing
from toolkit.figures import FactorRef
from toolkit.methodologies import ZERO, Field, Need
from toolkit.periods import Piece, add_months

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors

CO2_C = (44, 12)  # molar masses of CO2 and C: t-C × 44/12 = t-CO2

GRID = Need("grid_electricity", {"basis": "all_source"})
GRID_MARGINAL = Need("grid_electricity", {"basis": "marginal"})  # only under the transitional marginal method


def fuel_needs(field_name: Field, per: str | None = None, optional: bool = False) -> tuple[Need, Need]:
    """The heating value (per `per`, else per the reading's unit column) and carbon factor of a picked fuel."""
    picked: dict[str, Field | None] = {"fuel": field_name}
    if per is None:
        picked["per"] = ("monitoring", "fuel_unit")
    heating = Need("heating_values", {"per": per} if per else {}, picked, optional=optional)
    return heating, Need("fuels", picked={"fuel": field_name}, optional=optional)


def grid_factor(
    piece: Piece, crediting_start: dt.date, factors: Factors
) -> tuple[Decimal, tuple[FactorRef, ...]]:
    """CEF_elec (t-CO2/kWh) of the piece's fiscal year; under the transitional marginal method, by years
    since the start."""
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


def heat_content(
    fuel: str, amount: Decimal, per: str, fiscal_year: int, factors: Factors
) -> tuple[Decimal, FactorRef]:
    """F × HV (GJ): the heating-value row of the unit the amount is in and of `fiscal_year`; a missing row is
    a FactorError."""
    heating_value = factors.get("heating_values", fiscal_year, "GJ", fuel=fuel, per=per)
    return amount * heating_value.value, heating_value


def carbon_factor(fuel: str, fiscal_year: int, factors: Factors) -> FactorRef:
    """CEF of a fuel in t-CO2/GJ for `fiscal_year` (the fuels table holds tC/GJ; × 44/12 is done by the
    factor tables)."""
    return factors.get("fuels", fiscal_year, "t-CO2/GJ", fuel=fuel)


def fuel_emission(
    reading: Mapping, fields: tuple[str, str], fiscal_year: int, factors: Factors
) -> tuple[Decimal, dict, tuple]:
    """F (L) / 1000 × HV (GJ/kL) × CEF (t-CO2/GJ) of the fuel a reading records, with the factors of
    `fiscal_year` (the reading piece's); 0 when it records none.

    `fields` name the fuel-kind and litres columns. Litres without a kind cannot be counted, and
    counting them as none would overstate the reduction: InputMissing names the kind column.
    """
    kind, litres = reading.get(fields[0]), reading.get(fields[1])
    if not litres:
        return ZERO, {}, ()
    if kind is None:
        raise InputMissing(fields[0], in_activity=False)
    energy, hv = heat_content(kind, litres / 1000, "kL", fiscal_year, factors)  # L → kL, the row's unit
    cef = carbon_factor(kind, fiscal_year, factors)
    return energy * cef.value, {"F": litres, "HV": hv.value, "CEF": cef.value}, (hv, cef)
