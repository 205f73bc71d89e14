"""Fiscal years (April–March), splitting periods at 31 March with day shares, crediting periods, gaps and overlaps."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from typing import Iterable, Iterator, NamedTuple, Sequence

ONE_DAY = dt.timedelta(days=1)


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (年度) a day falls in: 2025-04-01 … 2026-03-31 is FY2025."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of fiscal year `year` (1 April to 31 March)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def days(start: dt.date, end: dt.date) -> int:
    """Days in an inclusive period."""
    return (end - start).days + 1


class Piece(NamedTuple):
    """The part of a reading period inside one fiscal year, with its share of the whole reading by days."""

    start: dt.date
    end: dt.date
    fiscal_year: int
    days: int
    reading_days: int

    @property
    def days_in_fiscal_year(self) -> int:
        """Days in the piece's fiscal year (365 or 366): FO-001 prorates annual growth by it."""
        first, last = fiscal_year_bounds(self.fiscal_year)
        return days(first, last)


def split_by_fiscal_year(start: dt.date, end: dt.date, reading_days: int | None = None) -> list[Piece]:
    """Cut [start, end] at each 31 March; `reading_days` is the length of the original reading when clipped."""
    total = reading_days or days(start, end)
    pieces = []
    while start <= end:
        year = fiscal_year(start)
        last = min(end, fiscal_year_bounds(year)[1])
        pieces.append(Piece(start, last, year, days(start, last), total))
        start = last + ONE_DAY
    return pieces


def clip(
    start: dt.date, end: dt.date, window_start: dt.date | None, window_end: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """The part of [start, end] inside the window (open ends allowed), or None when nothing is inside."""
    first = max(start, window_start) if window_start else start
    last = min(end, window_end) if window_end else end
    return (first, last) if first <= last else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


@functools.lru_cache(maxsize=4096)  # a program's members share a few hundred start days
def crediting_period(
    application: dt.date, monitoring_start: dt.date | None, years: int, cap: dt.date | None
) -> tuple[dt.date, dt.date]:
    """start = the later of the application and monitoring start; end = start + years − 1 day, capped (§4)."""
    start = max(application, monitoring_start) if monitoring_start else application
    end = add_years(start, years) - ONE_DAY
    return start, min(end, cap) if cap else end


class Span(NamedTuple):
    """A period covered by a reading, with the index of the reading it came from."""

    start: dt.date
    end: dt.date
    index: int


def gaps_and_overlaps(
    spans: Iterable[Span],
) -> tuple[list[tuple[dt.date, dt.date, Span]], list[tuple[Span, Span]]]:
    """Days no reading covers between the first and the last reading (with the reading after the gap),
    and pairs of readings that overlap."""
    ordered: Sequence[Span] = sorted(spans)  # by start, end and index: a Span is that tuple
    gaps, overlaps = [], []
    reach: Span | None = None
    for span in ordered:
        if reach is not None:
            if span.start <= reach.end:
                overlaps.append((reach, span))
            elif span.start > reach.end + ONE_DAY:
                gaps.append((reach.end + ONE_DAY, span.start - ONE_DAY, span))
        if reach is None or span.end > reach.end:
            reach = span
    return gaps, overlaps


def months(start: dt.date, end: dt.date) -> Iterator[tuple[int, int]]:
    """(year, month) of each calendar month touched by [start, end]."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
