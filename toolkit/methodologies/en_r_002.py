"""EN-R-002 太陽光発電設備の導入: self-consumed solar power replacing grid power (domain.md §5.1).

Without a battery: EM_BL = EL_PJ,self × CEF_elec, EL_PJ,self = generation − sold (or metered).

With a battery (`battery: true`), part of the self-consumed power went through the battery and part of that
was lost in charging and discharging. The activity gives r_batt, the 経由率 (share of the self-consumption
that went through the battery, `battery_share_pct` / 100), and L_batt, the battery's loss factor (share of
the power through the battery that is lost, `battery_loss_pct` / 100), each with `battery_source` and
`battery_status` like a factor row. The formula implemented is

    EL_PJ,self,counted = EL_PJ,self × (1 − r_batt) + EL_PJ,self × r_batt × (1 − L_batt)
                       = EL_PJ,self × (1 − r_batt × L_batt)
    EM_BL = EL_PJ,self,counted × CEF_elec

[unverified]: domain.md §5.1 records that the battery needs the 経由率 and its losses and that a default
経由率 was adopted in 2018, but neither its value nor the exact formula of the methodology text has been seen
in a verified source. No value is shipped: a battery activity without r_batt or L_batt is never computed
with 0 or 1 (InputMissing at the activity, and the checklist's blocking R-PV-BATTERY finding).

Why columns of the activity list and not a factors.yaml row: in the input contract (docs/architecture.md)
factor tables are keyed by table keys and fiscal year, with no activity, while what belongs to one activity
is a column of its methodology's activity table (schemas/methodologies/EN-R-002.yaml), read from
activities.xlsx with its cell location. The value is needed per household (only those with a battery, each
battery with its own losses), a missing one is a finding at that household's cell, and the plan's activity
list prints every column. Source and status sit beside the values as on a factor row; an unverified status
is reported like an unverified factor (R-FACTOR-STATUS).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from toolkit import packaged
from toolkit.errors import InputConflict, InputMissing
from toolkit.figures import Figure
from toolkit.methodologies import PERCENT, ZERO, Parameter, ValueCalculator, defaults
from toolkit.methodologies.emissions import GRID, grid_factor
from toolkit.periods import Piece

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors
    from toolkit.checklist.findings import Finding
    from toolkit.checklist.scheme_rules import Context

CODE = "EN-R-002"
NAME = {"ja": "太陽光発電設備の導入", "en": "Installation of solar PV systems"}
VERSIONS = ("3.0",)
SCHEMA = "EN-R-002.yaml"
FACTORS = (GRID,)
FOREST = False
ADDITIVE = ("generation_kwh", "sold_kwh", "self_consumption_kwh")
FORMULA = {
    "ja": "ER = EM_BL − EM_PJ。EM_BL = EL_PJ,self（自家消費量 = 発電量 − 売電量, kWh）"
    "× CEF_elec（削減が生じた年度の係数）、EM_PJ = 0。蓄電池ありの活動は "
    "EM_BL = EL_PJ,self × (1 − r_batt × L_batt) × CEF_elec（r_batt: 蓄電池経由率、L_batt: 蓄電池損失率。未確認の式）",
    "en": "ER = EM_BL − EM_PJ; EM_BL = EL_PJ,self (self-consumption = generation − sold, kWh) × CEF_elec "
    "(factor of the fiscal year of the reduction); EM_PJ = 0. With a battery, "
    "EM_BL = EL_PJ,self × (1 − r_batt × L_batt) × CEF_elec (r_batt: share through the battery, "
    "L_batt: battery loss; formula unverified)",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula)
EXCEL: Mapping[str, str] = {
    "EN-R-002 EM_BL": "{EL_PJ,self}*{CEF_elec}",
    "EN-R-002 EM_BL,batt": "{EL_PJ,self}*(1-{r_batt}*{L_batt})*{CEF_elec}",
    "EN-R-002 EM_PJ": "0",
}

MONITORING = (
    Parameter(
        "EL_gen",
        "generation_kwh",
        {"ja": "発電量", "en": "generation"},
        "kWh",
        {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
        ("inverter_display", "generation_meter"),
    ),
    Parameter(
        "EL_sold",
        "sold_kwh",
        {"ja": "売電量", "en": "power sold"},
        "kWh",
        {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
        ("buyback_notice",),
    ),
    Parameter(
        "EL_PJ,self",
        "self_consumption_kwh",
        {"ja": "自家消費量", "en": "self-consumption"},
        "kWh",
        {"ja": "毎月（発電量−売電量、または計測）", "en": "monthly (generation − sold, or metered)"},
        ("self_consumption_meter",),
    ),
)

# Fixed inputs of a battery activity, listed with the monitored parameters in the plan (2.3) and the report
# (B.2) with the values, sources and statuses of the activity list.
ACTIVITY_PARAMETERS = (
    Parameter(
        "r_batt",
        "battery_share_pct",
        {"ja": "蓄電池経由率", "en": "battery share"},
        "%",
        {
            "ja": "活動ごとに固定（活動一覧、蓄電池ありの活動）",
            "en": "fixed per activity (activity list, battery)",
        },
        (),
        table="activities",
        sources=("battery_source", "battery_status"),
    ),
    Parameter(
        "L_batt",
        "battery_loss_pct",
        {"ja": "蓄電池損失率", "en": "battery loss"},
        "%",
        {
            "ja": "活動ごとに固定（活動一覧、蓄電池ありの活動）",
            "en": "fixed per activity (activity list, battery)",
        },
        (),
        table="activities",
        sources=("battery_source", "battery_status"),
    ),
)


def self_consumption(reading: Mapping) -> Decimal:
    """Metered self-consumption wins, within generation − sold; otherwise generation − sold (§5.1).

    Sold (and so FIT/FIP) power is never counted, and an empty sold amount is not taken as none:
    a household that sells nothing writes 0.
    """
    generation, sold, metered = (
        reading.get("generation_kwh"),
        reading.get("sold_kwh"),
        reading.get("self_consumption_kwh"),
    )
    if metered is not None:
        if generation is not None and sold is not None and metered > generation - sold:
            raise InputConflict(
                "self_consumption_kwh",
                in_activity=False,
                found=metered,
                limit=generation - sold,
                why={"ja": "発電量 − 売電量", "en": "generation − sold"},
            )
        return metered
    if generation is None or sold is None:
        raise InputMissing(
            *(name for name, value in (("generation_kwh", generation), ("sold_kwh", sold)) if value is None),
            in_activity=False,
        )
    return generation - sold


# the plan's estimate: the expected generation per year (or capacity × expected yield) and the share
# of it used on site
PLANNED = ("planned_generation_kwh", "planned_yield_kwh_per_kw", "planned_self_consumption_pct")


def planned_readings(activity: Mapping, years) -> list[dict]:
    """Per fiscal year: EL_PJ,self = expected generation × self-consumption share / 100, times the year's
    share of days. The generation is `planned_generation_kwh`, else capacity_kw × `planned_yield_kwh_per_kw`."""
    generation = activity.get("planned_generation_kwh")
    if generation is None:
        if activity.get("planned_yield_kwh_per_kw") is None:
            raise InputMissing("planned_generation_kwh")
        defaults.required(activity, "capacity_kw")
        generation = activity["capacity_kw"] * activity["planned_yield_kwh_per_kw"]
    defaults.required(activity, "planned_self_consumption_pct")
    own = generation * activity["planned_self_consumption_pct"] / PERCENT
    return defaults.yearly_rows(years, {"self_consumption_kwh": own}, ("self_consumption_kwh",))


BATTERY_FIELDS = ("battery_share_pct", "battery_loss_pct", "battery_source", "battery_status")


def battery_inputs(activity: Mapping) -> tuple[Decimal, Decimal] | None:
    """(r_batt, L_batt) as fractions for an activity with a battery; None without one.

    An empty share, loss, source or status is never read as 0 or 1: InputMissing names every empty one.
    """
    if not activity.get("battery"):
        return None
    empty = [name for name in BATTERY_FIELDS if activity.get(name) in (None, "")]
    if empty:
        raise InputMissing(*empty)
    return activity["battery_share_pct"] / PERCENT, activity["battery_loss_pct"] / PERCENT


BASELINE = "EN-R-002 EM_BL = EL_PJ,self × CEF_elec"
BASELINE_BATTERY = "EN-R-002 EM_BL,batt = EL_PJ,self × (1 − r_batt × L_batt) × CEF_elec（蓄電池、未確認の式）"
NO_PROJECT_EMISSIONS = Figure(ZERO, "t-CO2", "EN-R-002 EM_PJ = 0 (付随的排出は算定対象外)", {})


def _calculators(activity: Mapping, crediting: tuple[dt.date, dt.date], factors: Factors) -> ValueCalculator:
    """One activity's calculators, with its battery inputs and each fiscal year's grid factor worked out once: a
    program's activity has a reading a month. Closures, not methods: they run per reading."""
    try:
        battery = battery_inputs(activity)
    except InputMissing as error:
        battery, empty = None, error.fields
    else:
        empty = ()
    yearly = not factors.switches.get("marginal_bands")  # else the factor depends on the piece's start
    grid: dict[int, tuple] = {}

    def inputs(reading: Mapping, piece: Piece) -> tuple[Decimal, Decimal, Decimal, tuple]:
        """(EM_BL, EL_PJ,self, CEF_elec, the factor's rows) of one piece."""
        kwh = self_consumption(reading)  # the reading's own inputs first, as each piece reports them
        if empty:  # then the activity's, each piece reporting it as with any input its formula needs
            raise InputMissing(*empty)
        found = grid.get(piece.fiscal_year) if yearly else None
        if found is None:
            found = grid[piece.fiscal_year] = grid_factor(piece, crediting[0], factors)
        factor, refs = found
        if battery is None:
            return kwh * factor, kwh, factor, refs
        share, loss = battery
        return kwh * (1 - share * loss) * factor, kwh, factor, refs

    def values(reading: Mapping, piece: Piece) -> tuple[Decimal, Decimal, tuple]:
        found = inputs(reading, piece)
        return found[0], ZERO, found

    def figures_of(found: tuple[Decimal, Decimal, Decimal, tuple]) -> tuple[Figure, Figure]:
        value, kwh, factor, refs = found
        if battery is None:
            baseline = Figure(value, "t-CO2", BASELINE, {"EL_PJ,self": kwh, "CEF_elec": factor}, refs)
        else:
            share, loss = battery
            used = {"EL_PJ,self": kwh, "r_batt": share, "L_batt": loss, "CEF_elec": factor}
            baseline = Figure(value, "t-CO2", BASELINE_BATTERY, used, refs)
        return baseline, NO_PROJECT_EMISSIONS

    def figures(reading: Mapping, piece: Piece) -> tuple[Figure, Figure]:
        return figures_of(inputs(reading, piece))

    return ValueCalculator(values, figures_of, figures)


def calculator(
    activity: Mapping, crediting: tuple[dt.date, dt.date], factors: Factors
) -> Callable[[Mapping, Piece], tuple[Figure, Figure]]:
    """`calculate` for one activity's reading pieces, what it needs once per activity worked out once."""
    return _calculators(activity, crediting, factors).calculator


def value_calculator(
    activity: Mapping, crediting: tuple[dt.date, dt.date], factors: Factors
) -> ValueCalculator:
    """A piece's values without its figures, what makes them, and the calculator, from one working-out of the
    activity's inputs: a program's 120,000 readings are summed from the values, their figures made when
    looked at."""
    return _calculators(activity, crediting, factors)


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline and project emissions (t-CO2) of one reading piece (the formulas in the module docstring)."""
    return calculator(activity, crediting, factors)(reading, piece)


# -- the methodology's own checklist rules (run by checklist/scheme_rules.py with the scheme's) ------


def fit_power(context: Context) -> Iterator[Finding]:
    """EN-R-002: a FIT/FIP activity sells power; a year of readings with nothing sold is claimed FIT power."""
    sold: dict[Any, Decimal] = defaultdict(Decimal)
    counted: set = set()
    for reading in context.data.get("monitoring") or []:
        counted.add(reading.get("activity_id"))
        sold[reading.get("activity_id")] += reading.get("sold_kwh") or 0
    for index, activity in context.activities():
        if activity.get("fit") and activity.get("id") in counted:
            context.count("activity-list")
            if sold[activity.get("id")] == 0:
                yield context.finding(
                    "R-DC-FIT",
                    f"activities[{index}].fit",
                    "activity_list",
                    "fit_nothing_sold",
                    "warning",
                    activity=activity.get("id", ""),
                )


def battery_values(context: Context) -> Iterator[Finding]:
    """EN-R-002 with a battery: the 経由率, the loss, their source and status are needed (blocking, at the empty
    cell), and values not verified are reported like an unverified factor row (R-FACTOR-STATUS)."""
    batteries = [index for index, activity in context.activities() if activity.get("battery")]
    if batteries:  # the formula itself rests on no source seen, whatever the status of the values
        yield context.finding(
            "R-FACTOR-SRC",
            f"activities[{batteries[0]}].battery",
            "activity_list",
            "battery_formula_unverified",
            "warning",
            count=len(batteries),
        )
    for index, activity in context.activities():
        if not activity.get("battery"):
            given = [name for name in BATTERY_FIELDS[:2] if activity.get(name) not in (None, "")]
            if given:  # values for a battery the activity says it has not: which one is wrong?
                yield context.finding(
                    "R-PV-BATTERY",
                    f"activities[{index}].{given[0]}",
                    "activity_list",
                    "battery_values_without_battery",
                    "warning",
                    activity=activity.get("id", ""),
                )
            continue
        context.count("activity-list")
        for name in BATTERY_FIELDS:
            if activity.get(name) in (None, ""):
                yield context.finding(
                    "R-PV-BATTERY",
                    f"activities[{index}].{name}",
                    "activity_list",
                    "battery_value_missing",
                    activity=activity.get("id", ""),
                )
        status = activity.get("battery_status")
        if status not in (None, "", "verified"):
            yield context.finding(
                "R-FACTOR-STATUS",
                f"activities[{index}].battery_status",
                "activity_list",
                "battery_not_verified",
                "warning",
                activity=activity.get("id", ""),
                status={"ja": packaged.load("lists.yaml")["code_labels"].get(status, status), "en": status},
                source=activity.get("battery_source") or "",
            )


RULES = (
    ("R-DC-FIT", ("registration", "verification"), fit_power),
    ("R-PV-BATTERY", ("registration", "verification"), battery_values),
)
