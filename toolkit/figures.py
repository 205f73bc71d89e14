"""Typed, auditable results: every figure keeps its unit, formula, inputs and the factor rows it used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Context, Decimal
from functools import cached_property
from typing import Mapping, NamedTuple

from toolkit.problems import Location

# Sums and differences are exact: a total equals the sum of its parts to the last digit, whatever the
# order. Divisions (day shares, ratios) keep the default 28 significant digits.
EXACT = Context(prec=400)
REDUCTION_FORMULA = "ER = EM_BL − EM_PJ"


@dataclass(frozen=True)
class FactorRef:
    """One factor-table row as used: which table and keys, its value, unit, source and status."""

    table: str
    keys: tuple[tuple[str, str], ...]  # e.g. (("basis", "all_source"),)
    fiscal_year: int | None
    value: Decimal
    unit: str
    source: str
    status: str  # verified | unverified | third-party
    overridden: bool = False  # True when the project's factors.yaml supplied it
    location: Location | None = field(
        default=None, compare=False
    )  # its line in factors.yaml, when overridden

    @cached_property
    def name(self) -> str:
        """`grid_electricity[basis=all_source]`: the table and the keys that pick the row."""
        keys = ",".join(f"{key}={value}" for key, value in self.keys)
        return f"{self.table}[{keys}]" if keys else self.table


# Figure and PeriodResult are NamedTuples rather than frozen dataclasses: a 10,000-activity program
# makes hundreds of thousands of them, and a NamedTuple is built in half the time.
class Figure(NamedTuple):
    """A quantity with where it came from: `value` in `unit`, by `formula` from `inputs` and `factors`."""

    value: Decimal
    unit: str
    formula: str
    inputs: Mapping[str, Decimal] = {}
    factors: tuple[FactorRef, ...] = ()


class PeriodResult(NamedTuple):
    """Emissions and reduction of one activity in one period inside one fiscal year (t-CO2, exact)."""

    activity_id: str
    start: dt.date
    end: dt.date
    fiscal_year: int
    baseline: Figure
    project: Figure
    source: str = ""  # the dotted path of the reading it came from, e.g. monitoring[12]

    @property
    def reduction(self) -> Figure:
        """ER = EM_BL − EM_PJ: made when asked for, as a program's sums per year need only the two
        emissions (`engine.year_sums`)."""
        return Figure(self.reduction_t, "t-CO2", REDUCTION_FORMULA)

    @property
    def reduction_t(self) -> Decimal:
        """The reduction's value (t-CO2), exact."""
        return EXACT.subtract(self.baseline.value, self.project.value)
