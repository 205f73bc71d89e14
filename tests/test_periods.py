"""Fiscal years, splitting at 31 March, crediting periods, gaps and overlaps."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from toolkit import periods

days = st.dates(dt.date(2013, 4, 1), dt.date(2040, 3, 31))


def test_fiscal_year_runs_april_to_march():
    assert periods.fiscal_year(dt.date(2025, 4, 1)) == 2025
    assert periods.fiscal_year(dt.date(2026, 3, 31)) == 2025
    assert periods.fiscal_year(dt.date(2026, 4, 1)) == 2026


def test_a_reading_across_31_march_is_split_by_days():
    first, second = periods.split_by_fiscal_year(dt.date(2026, 3, 15), dt.date(2026, 4, 14))
    assert (first.end, first.fiscal_year, first.days) == (dt.date(2026, 3, 31), 2025, 17)
    assert (second.start, second.fiscal_year, second.days) == (dt.date(2026, 4, 1), 2026, 14)
    assert first.reading_days == second.reading_days == 31


@given(days, days)
def test_pieces_tile_the_period_and_their_shares_sum_to_one(a, b):
    start, end = min(a, b), max(a, b)
    pieces = periods.split_by_fiscal_year(start, end)
    assert pieces[0].start == start and pieces[-1].end == end
    for before, after in zip(pieces, pieces[1:]):
        assert after.start == before.end + periods.ONE_DAY
        assert after.fiscal_year == before.fiscal_year + 1
    assert sum(piece.days for piece in pieces) == periods.days(start, end)
    assert all(periods.fiscal_year(p.start) == periods.fiscal_year(p.end) == p.fiscal_year for p in pieces)


def test_crediting_period_is_eight_years_less_a_day_and_capped_where_the_rules_say():
    start = dt.date(2025, 6, 1)
    assert periods.crediting_period(start, dt.date(2025, 4, 1), 8, None) == (start, dt.date(2033, 5, 31))
    assert periods.crediting_period(start, dt.date(2025, 4, 1), 8, dt.date(2031, 3, 31)) == (
        start,
        dt.date(2031, 3, 31),
    )
    assert periods.crediting_period(start, dt.date(2025, 9, 1), 8, None)[0] == dt.date(2025, 9, 1)


def test_leap_days_move_to_28_february():
    assert periods.add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert periods.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)


def test_gaps_and_overlaps():
    spans = [
        periods.Span(dt.date(2025, 4, 1), dt.date(2025, 4, 30), 0),
        periods.Span(dt.date(2025, 5, 3), dt.date(2025, 5, 31), 1),
        periods.Span(dt.date(2025, 5, 31), dt.date(2025, 6, 30), 2),
    ]
    gaps, overlaps = periods.gaps_and_overlaps(reversed(spans))
    assert gaps == [(dt.date(2025, 5, 1), dt.date(2025, 5, 2), spans[1])]
    assert overlaps == [(spans[1], spans[2])]


def test_clip_to_a_window():
    assert periods.clip(dt.date(2025, 3, 1), dt.date(2025, 4, 30), dt.date(2025, 4, 1), None) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 4, 30),
    )
    assert periods.clip(dt.date(2025, 3, 1), dt.date(2025, 3, 31), dt.date(2025, 4, 1), None) is None
