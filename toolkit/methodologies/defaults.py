"""What a methodology module leaves out means this: the registry fills these in, so every stage reads the
attribute directly (`module.SEASONAL`), never with a guessed fallback of its own."""

from __future__ import annotations

import datetime as dt
from typing import Mapping

SEASONAL = False  # readings tile time (months); True: each reading is one event (a season, a batch)
ONE_PER_FISCAL_YEAR = False  # True: a second event in one fiscal year is not counted
RULES: tuple = ()  # the methodology's own checklist rules: (rule id, stages, function(context) -> findings)
ACTIVITY_PARAMETERS: tuple = ()  # fixed per-activity inputs the parameters table lists (EN-R-002's battery)


def reading_period(reading: Mapping) -> tuple[dt.date, dt.date] | None:
    """The days a reading covers: its period_start to period_end, both needed."""
    start, end = reading.get("period_start"), reading.get("period_end")
    return (start, end) if start and end else None


def reading_findings(activity: Mapping, reading: Mapping, factors) -> tuple:
    """Problems of one reading the calculation reports as (code, column, severity, params): none by default."""
    return ()
