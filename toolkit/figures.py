"""Typed, auditable results: every figure keeps its unit, formula, inputs and the factor rows it used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping, NamedTuple

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
    def baseline_t(self) -> Decimal:
        """The baseline emissions' value (t-CO2)."""
        return self.baseline.value

    @property
    def project_t(self) -> Decimal:
        """The project emissions' value (t-CO2)."""
        return self.project.value

    @property
    def reduction_t(self) -> Decimal:
        """The reduction's value (t-CO2), exact."""
        return EXACT.subtract(self.baseline.value, self.project.value)


class PeriodValues(NamedTuple):
    """A period result before its figures are made (see `Periods`): its dates, fiscal year and source, its
    two emissions' values (t-CO2), and what makes its figures, `figures(worked)`: what the methodology
    worked out for the values (its inputs and factor rows), made into figures without working them again."""

    activity_id: str
    start: dt.date
    end: dt.date
    fiscal_year: int
    baseline_t: Decimal
    project_t: Decimal
    source: str
    figures: Callable[[Any], tuple[Figure, Figure]]
    worked: Any

    @property
    def reduction_t(self) -> Decimal:
        """The reduction's value (t-CO2), exact."""
        return EXACT.subtract(self.baseline_t, self.project_t)

    def result(self) -> PeriodResult:
        """The period result with its figures: the same values, with formula, inputs and factor rows."""
        baseline, project = self.figures(self.worked)
        return PeriodResult(
            self.activity_id, self.start, self.end, self.fiscal_year, baseline, project, self.source
        )


class Periods(Sequence):
    """An activity's period results, each one's figures made when first looked at.

    A program's 120,000 readings are summed and listed from their values alone (`values`); what reads the
    figures (calc --detail, the documents, the checklist, diff) has them all made then, once, from what the
    methodology worked out for the values. Equal to the tuple of its results; pickled as that tuple."""

    __slots__ = ("_entries", "_results")

    def __init__(self, entries: Sequence[PeriodResult | PeriodValues]):
        self._entries = entries
        self._results: tuple[PeriodResult, ...] | None = None

    def values(self) -> Sequence[PeriodResult | PeriodValues]:
        """Each period with its dates, fiscal year, source and values (`baseline_t`, `project_t`,
        `reduction_t`), its figures made or not."""
        return self._entries if self._results is None else self._results

    def _made(self) -> tuple[PeriodResult, ...]:
        if self._results is None:
            self._results = tuple(
                entry.result() if type(entry) is PeriodValues else entry for entry in self._entries
            )
            self._entries = ()
        return self._results

    def __getitem__(self, index):
        return self._made()[index]

    def __len__(self) -> int:
        return len(self._entries) if self._results is None else len(self._results)

    def __iter__(self) -> Iterator[PeriodResult]:
        return iter(self._made())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Periods, tuple)):
            return self._made() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._made())

    def __reduce__(self):
        return tuple, (self._made(),)

    def __repr__(self) -> str:
        return f"Periods({len(self)} results)"
