"""AG-005: region and drainage class, and only seasons drained ≥ 7 days longer and ending before heading."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from toolkit import packaged
from toolkit.calculate import factors as factor_tables
from toolkit.errors import FactorError
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
    return factor_tables.load("2023-10", methodology={"code": "AG-005", "version": "3.1"})


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


# -- straw production: all 47 prefectures ------------------------------------------------------------
# kg/10a, as published in seima-osako/rice-ch4-simulator rice_ch4_params.py (PREF_TO_STRAW), typed in again here
STRAW = {
    "北海道": "673.2", "青森県": "723.6", "岩手県": "648.0", "宮城県": "649.2", "秋田県": "692.4",
    "山形県": "717.6", "福島県": "661.2", "茨城県": "632.4", "栃木県": "648.0", "群馬県": "597.6",
    "埼玉県": "592.8", "千葉県": "652.8", "東京都": "496.8", "神奈川県": "592.8", "新潟県": "655.2",
    "富山県": "656.4", "石川県": "627.6", "福井県": "622.8", "山梨県": "656.4", "長野県": "742.8",
    "岐阜県": "582.0", "静岡県": "624.0", "愛知県": "608.4", "三重県": "600.0", "滋賀県": "621.6",
    "京都府": "612.0", "大阪府": "594.0", "兵庫県": "601.2", "奈良県": "615.6", "和歌山県": "596.4",
    "鳥取県": "616.8", "島根県": "613.2", "岡山県": "631.2", "広島県": "633.6", "山口県": "604.8",
    "徳島県": "568.8", "香川県": "595.2", "愛媛県": "597.6", "高知県": "547.2", "福岡県": "595.2",
    "佐賀県": "622.8", "長崎県": "582.0", "熊本県": "615.6", "大分県": "598.8", "宮崎県": "595.2",
    "鹿児島県": "582.0", "沖縄県": "370.8",
}  # fmt: skip


def test_every_prefecture_has_a_straw_row():
    assert len(STRAW) == 47
    shipped = {
        dict(row.keys)["prefecture"]
        for row in factor_tables.shipped_rows().values()
        if row.table == "ag005_straw_production"
    }
    assert shipped == set(STRAW) == set(packaged.load("lists.yaml")["prefectures"])


@pytest.mark.parametrize("prefecture", STRAW)
def test_straw_production_lookup(factors, prefecture):
    """The 47-row oracle: each prefecture's row is the published value, third-party, with its source.
    Removing half of it keeps 50 %, so the straw rate is 50/90 = 0.5556 in every prefecture, e.g. 宮城県:
    324.6 of 649.2 kg/10a removed; 東北 日排除 EF = 71 + (392 − 71) × 50/90 = 71 + 178.33 = 249.33."""
    row = factors.get("ag005_straw_production", unit="kg/10a", prefecture=prefecture)
    assert row.value == D(STRAW[prefecture])
    assert row.status == "third-party"
    assert "seima-osako/rice-ch4-simulator" in row.source and "rice_ch4_params.py" in row.source
    assert "5875b44be28bd69f97404351cf4241d92b23cd15" in row.source
    field = {**FIELD, "prefecture": prefecture, "straw_removed_kg_per_10a": D(STRAW[prefecture]) / 2}
    ef, inputs, used = ag_005.emission_factor(field, factors)
    assert inputs["straw_rate"] == D(50) / D(90)
    assert row in used
    assert ef == inputs["N"] + (inputs["S"] - inputs["N"]) * D(50) / D(90)


def test_miyagi_uses_the_published_649_2(factors):
    """宮城県 649.2 kg/10a (not 660): removing 300 keeps 100 × (1 − 300/649.2) = 53.789 %, rate 0.59766;
    東北 日排除 EF = 71 + 321 × 0.59766 = 262.85."""
    field = {**FIELD, "prefecture": "宮城県", "straw_removed_kg_per_10a": D(300)}
    ef, inputs, _ = ag_005.emission_factor(field, factors)
    assert abs(inputs["straw_rate"] - D("0.59766")) <= D("0.00001")
    assert abs(ef - D("262.85")) <= D("0.01")


# -- GWP per methodology version -------------------------------------------------------------------
@pytest.mark.parametrize("version,expected", [("3.1", "3.1"), ("3.0", "3.0"), (3, "3.0"), ("3", "3.0")])
def test_gwp_is_the_row_of_the_methodology_version(version, expected):
    """Excel keeps 3.0 as the number 3: it still selects the 3.0 row. Both shipped rows hold 25 (unverified)."""
    factors = factor_tables.load("2023-10", methodology={"code": "AG-005", "version": version})
    gwp = ag_005.gwp_ch4(factors)
    assert dict(gwp.keys) == {"methodology": "AG-005", "version": expected, "gas": "CH4"}
    assert (gwp.value, gwp.status) == (D(25), "unverified")


def test_without_a_methodology_version_no_gwp_is_guessed():
    with pytest.raises(FactorError) as caught:
        ag_005.gwp_ch4(factor_tables.load("2023-10"))
    (problem,) = caught.value.problems
    assert (problem.code, problem.path) == ("gwp_needs_version", "project.methodology.version")


def test_the_calculation_inputs_are_monitoring_parameters_of_the_activity_list():
    """domain.md §5.6 Inputs: area, 日減水深 (which sets the drainage class), straw removed and compost."""
    from toolkit import schema

    declared = {p.field: p for p in ag_005.MONITORING}
    activities = schema.tables("AG-005")["activities"].schema
    for field in ("area_ha", "percolation_mm_per_day", "straw_removed_kg_per_10a", "compost_t_per_10a"):
        assert declared[field].table == "activities" and field in activities
    assert {p.table for p in ag_005.MONITORING if p.field.startswith(("drainage", "heading"))} == {
        "monitoring"
    }
