"""AG-005 水稲栽培における中干し期間の延長: longer mid-season drainage of paddy rice (domain.md §5.6).

The calculation follows the third-party rice-ch4-simulator (claims Ver.3.0) until the official
tables are checked: every number it uses is a factor row with status `third-party`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator, Mapping

from toolkit import methodologies, packaged
from toolkit.errors import FactorError, InputConflict, InputMissing
from toolkit.figures import Figure
from toolkit.methodologies import ZERO, Need, Parameter, defaults
from toolkit.periods import Piece
from toolkit.problems import Problem

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors
    from toolkit.checklist.findings import Finding
    from toolkit.checklist.scheme_rules import Context
    from toolkit.figures import FactorRef

CODE = "AG-005"
NAME = {"ja": "水稲栽培における中干し期間の延長", "en": "Extended mid-season drainage in paddy rice"}
VERSIONS = ("3.0", "3.1")
SCHEMA = "AG-005.yaml"
FACTORS = (
    Need("ag005_straw_production", picked={"prefecture": ("activities", "prefecture")}),
    Need("ag005_emission_factor", picked={"region": None, "drainage_class": None, "input": None}),
    *(
        Need("ag005_parameter", {"name": name})
        for name in (
            "poor_below_mm",
            "four_hour_from_mm",
            "straw_pct_cap",
            "compost_rate",
            "project_ratio",
            "min_extension_days",
        )
    ),
    Need("gwp", {"methodology": CODE, "gas": "CH4"}, {"version": None}),  # the project's methodology version
)
FOREST = False
ADDITIVE = ()
SEASONAL = True  # one season is one reading, counted whole in the fiscal year it ends in
ONE_PER_FISCAL_YEAR = True  # a field has one season a year: a second row for it is not counted
FORMULA = {
    "ja": "ER = BL − PJ。BL = 面積(ha) × EF(kg CH4-C/ha) × 16/12 × GWP_CH4 / 1000、PJ = 0.7 × BL。"
    "EF = min(max(S, M), N + (S − N) × 稲わらすき込み率 + (M − N) × 堆肥係数)。"
    "中干しが過去平均より7日以上長く、出穂前に終わった作期のみ",
    "en": "ER = BL − PJ; BL = area (ha) × EF (kg CH4-C/ha) × 16/12 × GWP_CH4 / 1000; PJ = 0.7 × BL; "
    "EF = min(max(S, M), N + (S − N) × straw rate + (M − N) × compost rate); only seasons drained ≥ 7 days "
    "longer than the past mean and ending before heading",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula)
EXCEL: Mapping[str, str] = {
    "AG-005 BL": "{A}*MIN(MAX({S},{M}),{N}+({S}-{N})*{straw_rate}+({M}-{N})*{compost_rate})*16/12*{GWP_CH4}/1000",
    "AG-005 PJ = BL": "{BL}",
    "AG-005 PJ = 0.7": "{ratio}*{BL}",
}

MONITORING = (
    Parameter(
        "D_start",
        "drainage_start",
        {"ja": "中干し開始日", "en": "drainage start"},
        "年月日",
        {"ja": "作付けごと", "en": "each season"},
        ("photo_start", "farm_diary"),
    ),
    Parameter(
        "D_end",
        "drainage_end",
        {"ja": "中干し終了日", "en": "drainage end"},
        "年月日",
        {"ja": "作付けごと", "en": "each season"},
        ("photo_end", "farm_diary"),
    ),
    Parameter(
        "D_heading",
        "heading_date",
        {"ja": "出穂日", "en": "heading date"},
        "年月日",
        {"ja": "作付けごと", "en": "each season"},
        ("farm_diary",),
    ),
    # the inputs that set EF and scale BL (domain.md §5.6 Inputs): entered per field in the activity list
    Parameter(
        "A",
        "area_ha",
        {"ja": "作付面積", "en": "planted area"},
        "ha",
        {"ja": "作付けごと", "en": "each season"},
        ("crop_plan",),
        "activities",
    ),
    Parameter(
        "P_perc",
        "percolation_mm_per_day",
        {"ja": "日減水深（排水性の区分）", "en": "daily percolation (drainage class)"},
        "mm/日",
        {
            "ja": "ほ場ごと（代かき後から田植え後1週間までに計測）",
            "en": "each field (measured after puddling)",
        },
        ("percolation_photo", "sensor_log"),
        "activities",
    ),
    Parameter(
        "W_straw_out",
        "straw_removed_kg_per_10a",
        {"ja": "稲わら持ち出し量", "en": "straw removed"},
        "kg/10a",
        {"ja": "作付けごと", "en": "each season"},
        ("farm_diary", "delivery_note"),
        "activities",
    ),
    Parameter(
        "W_compost",
        "compost_t_per_10a",
        {"ja": "堆肥施用量", "en": "compost applied"},
        "t/10a",
        {"ja": "作付けごと", "en": "each season"},
        ("farm_diary", "delivery_note"),
        "activities",
    ),
)


def reading_period(reading: Mapping) -> tuple[dt.date, dt.date] | None:
    """A season runs from the start of drainage to its end; both are needed."""
    start, end = reading.get("drainage_start"), reading.get("drainage_end")
    return (start, end) if start and end else None


def drainage_class(percolation: Decimal, factors: Factors) -> tuple[str, tuple]:
    """排水不良 / 日排除 / 4時間排除 from the daily percolation depth (mm/day)."""
    poor = factors.get("ag005_parameter", unit="mm/日", name="poor_below_mm")
    four_hour = factors.get("ag005_parameter", unit="mm/日", name="four_hour_from_mm")
    if percolation < poor.value:
        return "poor", (poor,)
    return ("four_hour" if percolation >= four_hour.value else "daily"), (poor, four_hour)


def emission_factor(activity: Mapping, factors: Factors) -> tuple[Decimal, dict, tuple]:
    """EF (kg CH4-C/ha/season) from region, drainage class, straw incorporation and compost.

    Prefecture, percolation and straw removed must be given: taken as empty, each would pick the
    highest factor and overstate the reduction.
    """
    empty = [
        name
        for name in ("prefecture", "percolation_mm_per_day", "straw_removed_kg_per_10a")
        if activity.get(name) is None
    ]
    if empty:
        raise InputMissing(*empty)
    prefecture = activity["prefecture"]
    region = packaged.load("lists.yaml")["ag005_regions"][prefecture]
    klass, refs = drainage_class(activity["percolation_mm_per_day"], factors)
    s, m, n = (
        factors.get(
            "ag005_emission_factor", unit="kg-CH4-C/ha", region=region, drainage_class=klass, input=kind
        )
        for kind in ("straw", "manure", "none")
    )
    cap = factors.get("ag005_parameter", unit="%", name="straw_pct_cap")
    removed = activity["straw_removed_kg_per_10a"]
    used = [*refs, s, m, n, cap]
    if removed > 0:
        production = factors.get("ag005_straw_production", unit="kg/10a", prefecture=prefecture)
        used.append(production)
        if production.value <= 0:
            raise InputConflict(
                "straw_removed_kg_per_10a",
                found=removed,
                limit=production.value,
                why={"ja": "稲わら生産量（係数表）", "en": "straw production (factor table)"},
            )
        pct = max(
            ZERO, min(cap.value, 100 * (1 - removed / production.value))
        )  # removal above production is none kept
    else:
        pct = cap.value
    rate = pct / cap.value
    compost_rate = ZERO
    if (activity.get("compost_t_per_10a") or ZERO) > 0:  # empty compost lowers EF: the cautious side
        compost = factors.get("ag005_parameter", unit="1", name="compost_rate")
        used.append(compost)
        compost_rate = compost.value
    ef = min(max(s.value, m.value), n.value + (s.value - n.value) * rate + (m.value - n.value) * compost_rate)
    inputs = {"S": s.value, "M": m.value, "N": n.value, "straw_rate": rate, "compost_rate": compost_rate}
    return ef, inputs, tuple(used)


def gwp_ch4(factors: Factors) -> FactorRef:
    """GWP_CH4 of the project's methodology version (table gwp, overridable); FactorError naming the row if none.

    Excel may hand the version over as the number 3 for "3.0": it is matched to the spelling of VERSIONS.
    """
    given = factors.methodology.get("version")
    if given in (None, ""):  # the version picks the GWP row: without it there is no row to name
        path = "project.methodology.version"
        raise FactorError(path, [Problem("gwp_needs_version", path, params={"code": CODE})])
    version = methodologies.version_of(CODE, given) or given
    return factors.get("gwp", unit="t-CO2/t", methodology=CODE, version=version, gas="CH4")


# the plan's estimate: the field's area (activity list) and the days by which drainage is to be extended
PLANNED = ("planned_extension_days",)
# a planned season is drained in July (中干し): a fiscal-year piece of the crediting period without the
# whole of July (a period starting in August, ending in April) has no season to plan
SEASON_MONTH = 7


def planned_readings(activity: Mapping, years) -> list[dict]:
    """Per fiscal year whose part of the crediting period holds all of July: one season drained
    `planned_extension_days` longer than the field's mean, ended before heading as planned (`unmet`
    checks the extension against the 7-day rule and the history)."""
    defaults.required(activity, "area_ha", *PLANNED)
    seasons = [
        piece
        for piece in years
        if piece.start <= dt.date(piece.fiscal_year, SEASON_MONTH, 1)
        and dt.date(piece.fiscal_year, SEASON_MONTH, 31) <= piece.end
    ]
    return defaults.yearly_rows(seasons, {"planned_extension_days": activity["planned_extension_days"]})


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline and project CH4 emissions (t-CO2) of one field in one season."""
    if activity.get("area_ha") is None:
        raise InputMissing("area_ha")
    ef, ef_inputs, refs = emission_factor(activity, factors)
    gwp = gwp_ch4(factors)
    area = activity["area_ha"]
    bl = area * ef * 16 * gwp.value / (12 * 1000)  # CH4-C → CH4 by 16/12, kg → t; divided once, last
    baseline = Figure(
        bl,
        "t-CO2",
        "AG-005 BL = A × EF × 16/12 × GWP_CH4 / 1000",
        {"A": area, "EF": ef, **ef_inputs, "GWP_CH4": gwp.value},
        (*refs, gwp),
    )
    ratio = factors.get("ag005_parameter", unit="1", name="project_ratio")
    if unmet(activity, reading, factors):
        return baseline, Figure(bl, "t-CO2", "AG-005 PJ = BL (要件を満たさない作期: 削減なし)", {"BL": bl})
    return baseline, Figure(
        ratio.value * bl, "t-CO2", "AG-005 PJ = 0.7 × BL", {"BL": bl, "ratio": ratio.value}, (ratio,)
    )


def baseline_days(activity: Mapping) -> tuple[Decimal | None, int]:
    """The mean drainage days of the field's history rows (and how many years), else the mean typed in."""
    history = activity.get("drainage_history") or []
    days = {
        row["year"]: row["drainage_days"]
        for row in history
        if row.get("year") and row.get("drainage_days") is not None
    }
    if days:
        return sum(days.values(), ZERO) / len(days), len(days)
    return activity.get("baseline_drainage_days"), 0


def unmet(activity: Mapping, reading: Mapping, factors: Factors) -> list[tuple[str, str, dict]]:
    """The conditions a season fails (domain.md §5.6, §7): ≥ 2 years of history, drained ≥ 7 days longer
    than their mean, ended before heading. Each as (rule id, field, message parameters)."""
    start, end, heading = (
        reading.get("drainage_start"),
        reading.get("drainage_end"),
        reading.get("heading_date"),
    )
    mean, years = baseline_days(activity)
    extension = factors.get("ag005_parameter", unit="日", name="min_extension_days")
    failed = []
    if activity.get("drainage_history") is not None and years < 2:
        failed.append(("R-AG5-2YHIST", "drainage_start", {"years": years}))
    if reading.get("planned"):  # a planned season: its extension over the mean, ending before heading
        planned = reading["planned_extension_days"]
        if mean is None:
            failed.append(("R-AG5-2YHIST", "drainage_start", {"years": 0}))
        elif planned < extension.value:
            days = mean + planned
            failed.append(
                (
                    "R-AG5-7D",
                    "planned_extension_days",
                    {"days": days, "mean": mean, "needed": mean + extension.value},
                )
            )
        return failed
    if start and end and mean is not None and Decimal((end - start).days) < mean + extension.value:
        failed.append(
            (
                "R-AG5-7D",
                "drainage_end",
                {"days": (end - start).days, "mean": mean, "needed": mean + extension.value},
            )
        )
    if mean is None:
        failed.append(("R-AG5-2YHIST", "drainage_start", {"years": 0}))
    if heading is None or (end and end >= heading):
        failed.append(("R-AG5-HEADING", "heading_date", {"end": end, "heading": heading}))
    return failed


def reading_findings(
    activity: Mapping, reading: Mapping, factors: Factors
) -> list[tuple[str, str, str, dict]]:
    """Why a season earns nothing, as warnings at its row (the calculation counts no reduction for it)."""
    return [
        ("ag005_" + rule.split("-")[-1].lower(), field, "warning", {"rule": rule, **params})
        for rule, field, params in unmet(activity, reading, factors)
    ]


# -- the methodology's own checklist rules (run by checklist/scheme_rules.py with the scheme's) ------


def percolation(context: Context) -> Iterator[Finding]:
    """AG-005: the daily percolation depth (日減水深) of each field is measured."""
    for index, activity in context.activities():
        context.count("activity-list")
        if activity.get("percolation_mm_per_day") is None:
            yield context.finding(
                "R-AG5-PERC",
                f"activities[{index}].percolation_mm_per_day",
                "activity_list",
                "percolation",
                activity=activity.get("id", ""),
            )


RULES = (("R-AG5-PERC", ("verification",), percolation),)
