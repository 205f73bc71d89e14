"""AG-005: region and drainage class, and only seasons drained ≥ 7 days longer and ending before heading."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from toolkit.calculate import factors as factor_tables
from toolkit.methodologies import ag_005
from toolkit.periods import Piece

FIELD = {
    "prefecture": "福島県",
    "area_ha": D(1),
    "percolation_mm_per_day": D(10),
    "straw_removed_kg_per_10a": D(0),
    "compost_t_per_10a": D(0),
    "baseline_drainage_days": D(10),
}
CREDITING = (dt.date(2025, 5, 1), dt.date(2031, 3, 31))


def season(start: dt.date, days: int, heading: dt.date | None = dt.date(2025, 8, 10)):
    reading = {
        "drainage_start": start,
        "drainage_end": start + dt.timedelta(days=days),
        "heading_date": heading,
    }
    return reading, Piece(reading["drainage_start"], reading["drainage_end"], 2025, days + 1, days + 1)


@pytest.fixture
def factors():
    return factor_tables.load("2023-10")


@pytest.mark.parametrize(
    "percolation,expected",
    [(D("7.4"), "poor"), (D("7.5"), "daily"), (D("12.4"), "daily"), (D("12.5"), "four_hour")],
)
def test_drainage_class_from_daily_percolation(factors, percolation, expected):
    assert ag_005.drainage_class(percolation, factors)[0] == expected


@pytest.mark.parametrize("days,credited", [(16, False), (17, True), (30, True)])
def test_only_seasons_drained_at_least_7_days_longer_than_the_mean_count(factors, days, credited):
    reading, piece = season(dt.date(2025, 6, 20), days)  # baseline mean 10 days: 17 or more needed
    baseline, project = ag_005.calculate(FIELD, reading, piece, CREDITING, factors)
    assert (baseline.value - project.value > 0) is credited
    if not credited:
        assert project.value == baseline.value


def test_drainage_ending_after_heading_earns_nothing(factors):
    reading, piece = season(dt.date(2025, 7, 20), 25, heading=dt.date(2025, 8, 5))
    baseline, project = ag_005.calculate(FIELD, reading, piece, CREDITING, factors)
    assert project.value == baseline.value


def test_the_region_follows_the_prefecture(factors):
    reading, piece = season(dt.date(2025, 6, 20), 20)
    tohoku = ag_005.calculate(FIELD, reading, piece, CREDITING, factors)[0].inputs["S"]
    kanto = ag_005.calculate({**FIELD, "prefecture": "茨城県"}, reading, piece, CREDITING, factors)[0].inputs[
        "S"
    ]
    assert (tohoku, kanto) == (D(392), D(121))  # 日排除: 東北 S 392, 関東 S 121 (domain.md §5.6)
