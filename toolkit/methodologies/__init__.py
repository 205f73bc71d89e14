"""The registry of methodologies: one module each, looked up by code in one place."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, partial
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple, Protocol, Sequence

from toolkit.errors import UnknownMethodology

if TYPE_CHECKING:
    import datetime as dt

    from toolkit.calculate.factors import Factors
    from toolkit.figures import Figure
    from toolkit.periods import Piece

ZERO = Decimal(0)
PERCENT = Decimal(100)  # inputs in %, divided by this once in the formula


@dataclass(frozen=True)
class Parameter:
    """A monitored parameter: its symbol, label, unit, frequency and the evidence that proves it.

    `table` is where its value is entered: the readings (monitoring) or, for a value recorded once per
    activity and season (a paddy's area), the activity list (activities). A fixed input with a source of
    its own (EN-R-002's battery share) names in `sources` the activity columns of its source and status."""

    symbol: str
    field: str
    label: Mapping[str, str]
    unit: str
    frequency: Mapping[str, str]
    evidence: tuple[str, ...]
    table: str = "monitoring"
    sources: tuple[str, str] | None = None


Field = tuple[str, str]  # (input table, column): activities or monitoring


@dataclass(frozen=True)
class Need:
    """A factor a methodology looks up: its table, the keys it fixes, and for each other key the project
    field (input table, column) whose value picks the row, or None when the calculation derives it.
    `jcredit init` writes a factors.yaml row to fill for each need the toolkit does not ship."""

    table: str
    fixed: Mapping[str, str] = field(default_factory=dict)
    picked: Mapping[str, Field | None] = field(default_factory=dict)
    unit: str | None = None  # when the row's unit is not the table's (wood density in t/m3)
    optional: bool = False  # needed only when that input is used (a machine's fuel)


class ValueCalculator(NamedTuple):
    """What a methodology of many readings gives for one activity (`Methodology.value_calculator`)."""

    values: Callable[[Mapping, Piece], tuple[Decimal, Decimal, Any]]  # EM_BL and EM_PJ (t-CO2), and what
    figures: Callable[[Any], tuple[Figure, Figure]]  # ... makes the piece's two figures from that third item
    calculator: Callable[[Mapping, Piece], tuple[Figure, Figure]]  # `calculator`: for pieces cut at a date


class Methodology(Protocol):
    """What every methodology module exposes (see methodologies/en_r_002.py)."""

    CODE: str
    NAME: Mapping[str, str]
    VERSIONS: tuple[str, ...]
    SCHEMA: str  # file in schemas/methodologies/ declaring the tables and their row schemas
    MONITORING: tuple[Parameter, ...]
    FACTORS: tuple[Need, ...]  # every factor its calculation looks up (factors.get)
    FOREST: bool  # forest projects take the forest crediting period and skip the 2-year rule
    ADDITIVE: tuple[str, ...]  # reading fields shared out by days when a reading is split at 31 March
    FORMULA: Mapping[str, str]  # the calculation in words, ja and en
    EXCEL: Mapping[
        str, str
    ]  # formula prefix -> Excel template over {input symbol}: the annex's live formulas
    # optional: defaults.py gives what a module leaves out
    SEASONAL: bool
    ONE_PER_FISCAL_YEAR: bool
    RULES: tuple  # (rule id, stages, function(context) -> findings): the methodology's own checklist rules
    ACTIVITY_PARAMETERS: tuple[Parameter, ...]  # fixed per-activity inputs (field of the activity table)
    # the ex-ante inputs: activity-table columns (labels, units and help in its schema) the plan's estimate
    # is computed from; `planned_readings` turns them into readings-like rows that `calculate` takes
    PLANNED: tuple[str, ...]

    def planned_readings(self, activity: Mapping, years: Sequence[Piece]) -> Sequence[Mapping]:
        """One readings-like row per fiscal-year piece of the crediting period (its `period_start` and
        `period_end` are the piece's), built from the activity's planned inputs only; InputMissing names
        the empty planned columns. The engine hands each row to `calculate` as it does a reading."""

    def reading_period(self, reading: Mapping) -> tuple[dt.date, dt.date] | None:
        """The days a reading covers."""

    def reading_findings(self, activity: Mapping, reading: Mapping, factors: Factors) -> Sequence[tuple]:
        """Problems of one reading as (code, column, severity, params)."""

    def calculate(
        self,
        activity: Mapping,
        reading: Mapping,
        piece: Piece,
        crediting: tuple[dt.date, dt.date],
        factors: Factors,
    ) -> tuple[Figure, Figure]:
        """Baseline and project emissions in t-CO2 of one reading piece inside one fiscal year."""

    def calculator(
        self, activity: Mapping, crediting: tuple[dt.date, dt.date], factors: Factors
    ) -> Callable[[Mapping, Piece], tuple[Figure, Figure]]:
        """`calculate` for one activity's reading pieces: what the formula needs once per activity is worked
        out once (the engine calls it once per activity; by default it calls `calculate` per piece)."""

    def value_calculator(
        self, activity: Mapping, crediting: tuple[dt.date, dt.date], factors: Factors
    ) -> ValueCalculator | None:
        """A piece's two values (t-CO2) as `calculator`'s figures have them, to the last digit, raising as it
        does, without making the figures; what makes them later from what it worked out; and the
        activity's calculator. The engine then makes the figures only when they are looked at
        (`figures.Periods`). For a methodology of many readings (a program); None (the default): the
        figures are made at once."""


@cache
def _modules() -> tuple[ModuleType, ...]:
    """Every module of this package that declares a CODE is a methodology: adding one is adding one module."""
    from toolkit.methodologies import defaults

    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "CODE"):
            for name in (
                "SEASONAL",
                "ONE_PER_FISCAL_YEAR",
                "RULES",
                "ACTIVITY_PARAMETERS",
                "reading_period",
                "reading_findings",
                "PLANNED",
                "planned_readings",
                "value_calculator",
            ):
                if not hasattr(module, name):
                    setattr(module, name, getattr(defaults, name))
            if not hasattr(module, "calculator"):
                module.calculator = partial(defaults.calculator, module)
            found.append(module)
    return tuple(sorted(found, key=lambda module: module.CODE))


def version_of(code: str, given: object) -> str | None:
    """The spelling in VERSIONS of the version `given` for methodology `code` (Excel keeps "3.0" as the
    number 3, read as "3"), or None when the methodology has no such version or the code is unknown."""
    if code not in codes() or given in (None, ""):
        return None
    versions = get(code).VERSIONS
    if str(given) in versions:
        return str(given)
    try:
        number = Decimal(str(given))
    except ArithmeticError:
        return None
    return next((version for version in versions if _number(version) == number), None)


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def codes() -> tuple[str, ...]:
    """The supported methodology codes, sorted."""
    return tuple(sorted(module.CODE for module in _modules()))


def get(code: str) -> Methodology:
    """The methodology module for `code`; UnknownMethodology names the closest known code."""
    for module in _modules():
        if module.CODE == code:
            return module
    from toolkit import messages
    from toolkit.problems import Problem

    close = closest(code)
    hint = f" (did you mean {close}?)" if close else ""
    raise UnknownMethodology(
        f"unknown methodology {code!r}{hint}; supported: {', '.join(codes())}",
        [
            Problem(
                "methodology",
                params={"found": code, "known": ", ".join(codes()), "hint": messages.did_you_mean(close)},
            )
        ],
    )


def closest(code: str) -> str | None:
    """The known code nearest to a mistyped one (`EN-R-02` -> `EN-R-002`)."""
    upper = str(code).strip().upper().replace("_", "-").replace("ー", "-").replace("－", "-")
    matches = difflib.get_close_matches(upper, codes(), n=1, cutoff=0.6)
    return matches[0] if matches else None


def excel_formula(code: str, figure: Figure) -> str:
    """The Excel template that reproduces `figure` from its inputs: the methodology's EXCEL entry for the
    longest prefix of its formula. `{symbol}` stands for an input; KeyError names a formula no entry covers."""
    templates = get(code).EXCEL
    prefixes = [prefix for prefix in templates if figure.formula.startswith(prefix)]
    if not prefixes:
        raise KeyError(f"{code}: no Excel formula for {figure.formula!r}")
    return templates[max(prefixes, key=len)]
