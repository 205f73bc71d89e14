"""Eligibility rules that are pure date and quantity tests (domain.md §3, §4), shared by calc and the checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Mapping

from toolkit.periods import add_years


def earliest_start(application: dt.date) -> dt.date:
    """The first day an activity may have started: the day 2 years before the registration application."""
    return add_years(application, -2)


def within_two_years(started: dt.date, application: dt.date) -> bool:
    """実施要綱 3.1.3 (2): started on or after the day 2 years before the application (not forest)."""
    return started >= earliest_start(application)


def within_program_cap(annual_t: Decimal, switches: Mapping[str, Any]) -> bool:
    """Program type: at most the per-activity cap (500 t-CO2/yr) where the rule version has one."""
    cap = switches.get("program_activity_cap_t")
    return cap is None or annual_t <= cap
