"""What a methodology module leaves out means this: the registry fills these in, so every stage reads the
attribute directly (`module.SEASONAL`), never with a guessed fallback of its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from toolkit.errors import InputMissing

if TYPE_CHECKING:
    from toolkit.periods import Piece

SEASONAL = False  # readings tile time (months); True: each reading is one event (a season, a batch)
ONE_PER_FISCAL_YEAR = False  # True: a second event in one fiscal year is not counted
RULES: tuple = ()  # the methodology's own checklist rules: (rule id, stages, function(context) -> findings)
ACTIVITY_PARAMETERS: tuple = ()  # fixed per-activity inputs the parameters table lists (EN-R-002's battery)
PLANNED: tuple = ()  # activity columns of the ex-ante estimate: none declared, no estimate


def reading_period(reading: Mapping) -> tuple[dt.date, dt.date] | None:
    """The days a reading covers: its period_start to period_end, both needed."""
    start, end = reading.get("period_start"), reading.get("period_end")
    return (start, end) if start and end else None


def reading_findings(activity: Mapping, reading: Mapping, factors) -> tuple:
    """Problems of one reading the calculation reports as (code, column, severity, params): none by default."""
    return ()


def planned_readings(activity: Mapping, years: Sequence[Piece]) -> Sequence[Mapping]:
    """No planned inputs declared: no readings-like rows, so the plan shows no estimate."""
    return ()


def calculator(module, activity: Mapping, crediting: tuple[dt.date, dt.date], factors) -> Callable:
    """`module.calculate` for one activity's reading pieces, `(reading, piece) -> (baseline, project)`; a
    methodology with work to do once per activity (EN-R-002's battery inputs) gives its own."""

    def calculate_piece(reading: Mapping, piece: Piece) -> tuple:
        return module.calculate(activity, reading, piece, crediting, factors)

    return calculate_piece


def value_calculator(activity: Mapping, crediting: tuple[dt.date, dt.date], factors) -> None:
    """No quicker way to a piece's values than its figures: the engine makes the figures at once."""
    return None


def required(activity: Mapping, *names: str) -> None:
    """InputMissing naming every empty planned column of `names` (never read as 0)."""
    empty = [name for name in names if activity.get(name) in (None, "")]
    if empty:
        raise InputMissing(*empty)


def yearly_rows(
    years: Sequence[Piece], annual: Mapping[str, object], prorated: Iterable[str] = ()
) -> list[dict]:
    """One readings-like row per fiscal-year piece: `annual` values as they are, those named in `prorated`
    (quantities per year) times the piece's days over the days of its fiscal year (a whole year: as given)."""
    shared = set(prorated)
    rows = []
    for piece in years:
        row: dict = {"period_start": piece.start, "period_end": piece.end, "planned": True}
        whole = piece.days == piece.days_in_fiscal_year
        for key, value in annual.items():
            if key in shared and value is not None and not whole:
                value = Decimal(value) * piece.days / piece.days_in_fiscal_year
            row[key] = value
        rows.append(row)
    return rows
