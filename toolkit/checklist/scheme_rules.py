"""The checkable rules of domain.md §7 and of the methodologies, each with its stable id, as findings.

A rule runs at the stages §7 gives it (V: registration, R: verification) and yields a finding at the
field it concerns. Problems the calculation already reports (overlaps, gaps, unverified factors,
AG-005 seasons) are mapped to their rule ids by `rule_of` rather than checked twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any, Callable, Iterator, Mapping

from toolkit import methodologies, schema
from toolkit.calculate import factors as factor_tables
from toolkit.calculate.eligibility import earliest_start, within_program_cap, within_two_years
from toolkit.calculate.engine import Calculation
from toolkit.checklist.findings import Finding
from toolkit.checklist.members import member_key, normal_address, normal_name, repeats
from toolkit.problems import Location, Problem
from toolkit.project import Project
from toolkit.read.confine import Context as Confinement
from toolkit.read.confine import check_inside_project

OTHER_PROGRAMS = "other_programs.csv"
V, R = "registration", "verification"

# calculation problem code -> (rule id, severity, stages): §7 checks readings at verification only
CALC_RULES = {
    "reading_overlap": ("R-PERIOD-GAP", "blocking", (R,)),
    "reading_gap": ("R-PERIOD-GAP", "warning", (R,)),
    "reading_outside_crediting": (
        "R-PERIOD-DATA",
        "blocking",
        (R,),
    ),  # calc excludes it, and says so as an error
    "reading_partly_outside": ("R-PERIOD-DATA", "warning", (R,)),
    "crediting_end_beyond_rules": ("R-PERIOD-END", "warning", (V,)),
    "crediting_unknown": ("R-PERIOD-START", "blocking", (V, R)),
    "factor_not_verified": ("R-FACTOR-STATUS", "warning", (V, R)),
    "rules_not_verified": ("R-FACTOR-STATUS", "warning", (V, R)),
    "rules_switch_unverified": ("R-FACTOR-STATUS", "warning", (V, R)),
    "factor_unfilled": ("R-FACTOR-SRC", "warning", (V, R)),  # a factors.yaml row whose value is still empty
    "calc_no_readings": ("R-PERIOD-DATA", "warning", ()),  # the rule itself checks the readings (no_readings)
}


def rule_of(problem: Problem) -> str:
    """The rule id of a calculation problem (AG-005 seasons carry theirs in their parameters)."""
    if "rule" in problem.params:
        return str(problem.params["rule"])
    return CALC_RULES.get(problem.code, ("C-" + problem.code.upper().replace("_", "-"),))[0]


def applies(problem: Problem, stage: str) -> bool:
    """Whether a calculation problem is checked at `stage` (AG-005 seasons: at verification)."""
    known = CALC_RULES.get(problem.code)
    if known:
        return stage in known[2]
    return stage == R or not str(problem.params.get("rule", "")).startswith("R-AG5")


def severity_of(problem: Problem) -> str:
    """The checklist severity of a calculation problem: its rule's, else blocking for an error."""
    known = CALC_RULES.get(problem.code)
    if known:
        return known[1]
    return "blocking" if problem.severity == "error" else "warning"


@dataclass
class Context:
    """Every rule's input (project, calculation, stage); `checked` counts per document the checks made."""

    project: Project
    calculation: Calculation
    stage: str
    checked: dict[str, int] = field(default_factory=dict)  # document -> rule checks made (the score's items)

    @property
    def data(self) -> Mapping:
        """The project's validated data."""
        return self.project.data

    @property
    def module(self):
        """The methodology module the calculation used (its FOREST, SEASONAL, MONITORING, RULES ...)."""
        return methodologies.get(self.calculation.methodology)

    @property
    def switches(self) -> Mapping[str, Any]:
        """The switches of the rules version the calculation applied (a program's per-activity cap ...)."""
        return factor_tables.rule_versions()[self.calculation.rules_version]["switches"]

    @property
    def program(self) -> bool:
        """Whether this is a program-type project (プログラム型), to which the R-PRG rules apply."""
        return schema.project_type(self.data) == "program"

    def activities(self) -> Iterator[tuple[int, Mapping]]:
        """Each activity row with its index, for the `activities[i]` path of a finding."""
        return enumerate(self.data.get("activities") or [])

    def count(self, document: str = "plan") -> None:
        """Count one rule check made for `document`: each is an item of the checklist's score."""
        self.checked[document] = self.checked.get(document, 0) + 1

    def finding(
        self, rule: str, path: str, section: str, code: str, severity: str = "blocking", **params: Any
    ) -> Finding:
        """A finding located where `path` was read, with the field's label and `params` for its message."""
        return Finding(
            rule,
            severity,
            path,
            section,
            self.project.sources.locate(path) if path else None,
            code,
            params,
            self.label(path),
        )

    def names_nothing(self, value: Any) -> bool:
        """The answer names nothing (empty, なし, 該当なし …): for methodology rules, which see no schema."""
        return schema.names_nothing(value) or schema.not_applicable(value)

    def label(self, path: str) -> Mapping[str, str]:
        """The field's label in ja and en ({} for a path no schema declares)."""
        return schema.label(self.data, path)


Rule = Callable[[Context], Iterator[Finding]]
RULES: list[tuple[str, tuple[str, ...], Rule]] = []


def rule(rule_id: str, *stages: str):
    """Register the decorated function as the scheme rule `rule_id`, checked at `stages`."""

    def register(function: Rule) -> Rule:
        RULES.append((rule_id, stages, function))
        return function

    return register


def run(context: Context) -> list[Finding]:
    """The findings of the scheme's rules and of the project's methodology's own (its RULES) at the stage."""
    found = []
    for _, stages, function in (*RULES, *context.module.RULES):
        if context.stage in stages:
            found += function(context)
    return found


# -- eligibility and periods -----------------------------------------------------------------------
@rule("R-ELIG-2Y", V, R)
def two_year_rule(context: Context) -> Iterator[Finding]:
    """Installed on or after the day 2 years before the registration application (not forest)."""
    application = (context.data.get("project") or {}).get("registration_application_date")
    if context.module.FOREST or application is None:
        return
    for index, activity in context.activities():
        started = activity.get("commissioned_on")
        if started is None:
            continue
        context.count("activity-list")
        if not within_two_years(started, application):
            yield context.finding(
                "R-ELIG-2Y",
                f"activities[{index}].commissioned_on",
                "activity_list",
                "two_years",
                activity=activity.get("id", ""),
                found=started,
                earliest=earliest_start(application),
                application=application,
            )


@rule("R-PERIOD-START", V)
def stated_start(context: Context) -> Iterator[Finding]:
    """A stated crediting period may not start before the rules' start (the application date)."""
    given = ((context.data.get("project") or {}).get("crediting_period") or {}).get("start")
    starts = [result.crediting[0] for result in context.calculation.activities if result.crediting]
    if given is None or not starts:
        return
    context.count()
    if given < min(starts):
        yield context.finding(
            "R-PERIOD-START",
            "project.crediting_period.start",
            "plan.2.3",
            "period_start",
            found=given,
            start=min(starts),
        )


# -- additionality and baseline --------------------------------------------------------------------
@rule("R-ADD-PAYBACK", V)
def additionality(context: Context) -> Iterator[Finding]:
    """Payback of at least the threshold with the subsidy deducted, or the household case, or a cited exemption."""
    assessment = context.calculation.additionality
    context.count()
    if assessment.additional is False or (
        assessment.method == "exempt" and assessment.reason == "exempt_no_reason"
    ):
        payback = (
            assessment.payback.value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            if assessment.payback
            else ""
        )
        path = (
            "additionality.exemption_reason" if assessment.method == "exempt" else "additionality.subsidy_jpy"
        )
        yield context.finding(
            "R-ADD-PAYBACK",
            path,
            "annex.A.2",
            f"additionality_{assessment.reason}",
            payback=payback,
            threshold=assessment.threshold_years or "",
        )


@rule("R-ADD-HOUSEHOLD", V)
def household(context: Context) -> Iterator[Finding]:
    """The household presumption holds only when every activity is a household's."""
    if context.calculation.additionality.method != "household":
        return
    context.count()
    columns = schema.tables(context.calculation.methodology)["activities"].schema
    if "household" not in columns:
        yield context.finding(
            "R-ADD-PAYBACK", "additionality.method", "annex.A.2", "household_not_applicable"
        )
        return
    for index, activity in context.activities():
        if activity.get("household") is not True:
            yield context.finding(
                "R-ADD-PAYBACK",
                f"activities[{index}].household",
                "activity_list",
                "household_activity",
                activity=activity.get("id", ""),
            )


@rule("R-BL-NEW", V)
def baseline_as_new(context: Context) -> Iterator[Finding]:
    """An old unit is the baseline only when its specs are known, it is within twice its statutory life,
    and the new unit is at most 1.5 times its capacity; otherwise the baseline is a new installation."""
    for index, activity in context.activities():
        if activity.get("baseline_type") != "update":
            continue
        context.count()
        path = f"activities[{index}].baseline_type"
        age, life = activity.get("old_age_years"), activity.get("statutory_life_years")
        old, new = activity.get("baseline_capacity_kw"), activity.get("project_capacity_kw")
        if activity.get("old_specs_known") is False:
            yield context.finding(
                "R-BL-NOSPEC", path, "activity_list", "baseline_nospec", activity=activity.get("id", "")
            )
        if age is not None and life is not None and age > 2 * life:
            yield context.finding(
                "R-BL-2XLIFE",
                path,
                "activity_list",
                "baseline_2xlife",
                activity=activity.get("id", ""),
                age=age,
                life=life,
            )
        if old and new is not None and new > Decimal("1.5") * old:
            yield context.finding(
                "R-BL-1.5CAP",
                path,
                "activity_list",
                "baseline_capacity",
                activity=activity.get("id", ""),
                old=old,
                new=new,
            )


# -- factors ---------------------------------------------------------------------------------------
@rule("R-FY-FACTOR", V, R)
def factor_years(context: Context) -> Iterator[Finding]:
    """Every yearly factor a reduction used is the one of the fiscal year in which it happened (monitored
    figures: the plan's estimate takes the latest published year for the years to come, by design)."""
    wrong: dict[tuple, Any] = {}
    for result in () if context.calculation.estimate else context.calculation.activities:
        for piece in result.periods:
            for figure in (piece.baseline, piece.project):
                for ref in figure.factors:
                    if (
                        ref.fiscal_year is not None
                        and ref.fiscal_year != piece.fiscal_year
                        and ref.table == "grid_electricity"
                        and dict(ref.keys).get("basis") == "all_source"
                    ):
                        wrong.setdefault((ref.name, piece.fiscal_year), piece.source)
    context.count("monitoring")
    for (name, year), source in wrong.items():
        yield context.finding("R-FY-FACTOR", source, "monitoring.B.2", "factor_year", name=name, year=year)


# -- double counting -------------------------------------------------------------------------------
@rule("R-DC-SCHEME", V, R)
def other_schemes(context: Context) -> Iterator[Finding]:
    """No similar scheme, no non-fossil certificate for the same power, no subsidy that keeps the value."""
    answers = context.data.get("double_counting") or {}
    for key, rule_id, code, named in (
        ("other_scheme", "R-DC-SCHEME", "other_scheme", "other_scheme_name"),
        ("non_fossil_certificate", "R-DC-NFC", "non_fossil", None),
        ("subsidy_claims_environmental_value", "R-DC-SUBSIDY", "subsidy_value", "subsidies"),
    ):
        if rule_id == "R-DC-SUBSIDY" and context.stage != V:  # §7: the subsidy is checked at validation
            continue
        context.count()
        if answers.get(key) is True:
            yield context.finding(
                rule_id,
                f"double_counting.{key}",
                "plan.4",
                code,
                name=(answers.get(named) if named else "") or "—",
            )
    if context.stage == V:
        yield from _subsidy_named(context, answers)


def _subsidy_named(context: Context, answers: Mapping) -> Iterator[Finding]:
    """A subsidy deducted in the payback must be the one named here; a Ministry of the Environment grant is
    flagged for its terms (domain.md §7, third-party)."""
    subsidy = (context.data.get("additionality") or {}).get("subsidy_jpy")
    named = str(answers.get("subsidies") or "").strip()
    context.count()
    if subsidy and named and schema.names_nothing(named):  # empty: the field's own finding says it
        yield context.finding(
            "R-DC-SUBSIDY", "double_counting.subsidies", "plan.4", "subsidy_unnamed", amount=f"{subsidy:,}"
        )
    if "環境省" in named:
        yield context.finding(
            "R-DC-SUBSIDY", "double_counting.subsidies", "plan.4", "subsidy_moe", "warning", name=named
        )


# -- monitoring ------------------------------------------------------------------------------------
@rule("R-EVID-METER", R)
def meter_validity(context: Context) -> Iterator[Finding]:
    """A meter's certification or calibration must cover the whole monitoring period."""
    ends = [piece.end for result in context.calculation.activities for piece in result.periods]
    if not ends:
        return
    last = max(ends)
    for index, row in enumerate(context.data.get("monitoring_plan") or []):
        valid = row.get("meter_valid_until")
        if valid is None:
            continue
        context.count("monitoring")
        if valid < last:
            yield context.finding(
                "R-EVID-METER",
                f"monitoring_plan[{index}].meter_valid_until",
                "plan.2.3",
                "meter_expired",
                symbol=row.get("symbol", ""),
                found=valid,
                end=last,
            )


@rule("R-PERIOD-DATA", R)
def reading_coverage(context: Context) -> Iterator[Finding]:
    """Each activity's readings cover its crediting period inside the monitoring period: none at all blocks,
    a month missing at either end is a gap (between readings the calculation reports them)."""
    module = context.module
    if module.SEASONAL:  # seasons and batches are events, not a tiling of time
        return
    pieces = [piece for result in context.calculation.activities for piece in result.periods]
    window = context.calculation.period
    first = window[0] or min((piece.start for piece in pieces), default=None)
    last = window[1] or max((piece.end for piece in pieces), default=None)
    if first is None or last is None:
        yield context.finding("R-PERIOD-DATA", "monitoring", "monitoring.B.2", "no_readings")
        return
    index_of = {activity.get("id"): index for index, activity in context.activities()}
    for result in context.calculation.activities:
        if result.crediting is None:
            continue
        start, end = max(first, result.crediting[0]), min(last, result.crediting[1])
        if end < start:
            continue
        context.count("monitoring")
        path = f"activities[{index_of.get(result.activity_id, 0)}].id"
        if not result.periods:
            yield context.finding(
                "R-PERIOD-DATA",
                path,
                "monitoring.B.2",
                "activity_unread",
                activity=result.activity_id,
                start=start,
                end=end,
            )
            continue
        covered = (min(piece.start for piece in result.periods), max(piece.end for piece in result.periods))
        for gap in ((start, covered[0] - dt.timedelta(days=1)), (covered[1] + dt.timedelta(days=1), end)):
            if gap[0] <= gap[1]:
                yield context.finding(
                    "R-PERIOD-GAP",
                    path,
                    "monitoring.B.2",
                    "activity_gap",
                    "warning",
                    activity=result.activity_id,
                    start=gap[0],
                    end=gap[1],
                )


# -- program type ----------------------------------------------------------------------------------
@rule("R-PRG-COMMONMON", V)
def common_monitoring(context: Context) -> Iterator[Finding]:
    """Program type: every activity monitors the same items; each other set of items is one finding."""
    if not context.program:
        return
    # optional items that only some batches have (transport fuel, an alternative to a measured carbon content)
    # are not monitoring items of their own; an additive one (metered self-consumption) is
    reading_schema = schema.tables(context.calculation.methodology)["monitoring"].schema
    fields = [
        parameter.field
        for parameter in context.module.MONITORING
        if parameter.table == "monitoring"  # a paddy's area, entered once in the activity list, is no reading
        and (
            parameter.field in context.module.ADDITIVE
            or not reading_schema.get(parameter.field, {}).get("meta", {}).get("optional")
        )
    ]
    items: dict[Any, set] = {}
    first_row: dict[Any, int] = {}
    for index, reading in enumerate(context.data.get("monitoring") or []):
        identifier = reading.get("activity_id")
        present = items.get(identifier)
        if present is None:
            first_row[identifier] = index
            present = items[identifier] = set()
        for name in fields:
            if reading.get(name) is not None:
                present.add(name)
    context.count("activity-list")

    def labels(names) -> str:
        return "、".join(reading_schema[name]["meta"]["label"]["ja"] for name in sorted(names))

    groups: dict[frozenset, list] = defaultdict(list)
    for identifier, found in items.items():
        groups[frozenset(found)].append(identifier)
    if len(groups) < 2:
        return
    usual = max(groups, key=lambda found: len(groups[found]))
    for found, members in groups.items():
        if found != usual:
            shown = "、".join(map(str, members[:5])) + (
                f" ほか {len(members) - 5} 件" if len(members) > 5 else ""
            )
            yield context.finding(
                "R-PRG-COMMONMON",
                f"monitoring[{first_row[members[0]]}].activity_id",
                "monitoring.B.2",
                "common_monitoring",
                "warning",
                activity=shown,
                items=labels(found) or "—",
                usual=labels(usual) or "—",
            )


@rule("R-PRG-DUPMEMBER", V, R)
def double_membership(context: Context) -> Iterator[Finding]:
    """Program type: no member is also a member of another program (other_programs.csv, if present)."""
    path = context.project.root / OTHER_PROGRAMS
    if not context.program or not path.is_file():
        return
    refused = check_inside_project(True, OTHER_PROGRAMS, {}, Confinement(context.project.root))
    if refused:  # never read, nor quoted: a link to /etc/passwd would show its first line
        problem = Problem(refused.pop("variant"), "", Location(OTHER_PROGRAMS), refused)
        message = {"ja": problem.message("ja"), "en": problem.message("en")}
        yield Finding(
            "R-PRG-DUPMEMBER",
            "blocking",
            "",
            "activity_list",
            problem.location,
            "problem",
            {"message": message},
        )
        return
    try:
        others = other_members(path)
    except (OSError, OtherProgramsUnreadable) as error:
        for where, reason in getattr(error, "places", None) or [(Location(OTHER_PROGRAMS, 1), str(error))]:
            yield Finding(
                "R-PRG-DUPMEMBER",
                "blocking",
                "",
                "activity_list",
                where,
                "other_programs_unreadable",
                {"reason": reason},
            )
        return
    for index, activity in context.activities():
        context.count("activity-list")
        name_key, address_key = member_key(activity)
        for program, address, line in others.get(name_key, []) if name_key else []:
            if not address_key or not address or address == address_key:
                yield context.finding(
                    "R-PRG-DUPMEMBER",
                    f"activities[{index}].name" if activity.get("name") else f"activities[{index}].id",
                    "activity_list",
                    "double_member",
                    activity=activity.get("id", ""),
                    program=program,
                    line=line,
                )


class OtherProgramsUnreadable(ValueError):
    """Raised when other_programs.csv was not read whole (its quoting, encoding) or has no name column."""

    def __init__(self, message: str, places: list[tuple[Location, Any]] | None = None):
        super().__init__(message)
        self.places = places or []  # (where, reason {ja, en}) of each problem


def other_members(path) -> dict[str, list[tuple[str, str, int]]]:
    """name -> [(program, address, line)] from other_programs.csv (program, name, address; UTF-8 or Shift_JIS),
    read strictly: a file not read whole raises, so a member after a broken line is never missed unseen."""
    from toolkit.read.csvfile import read_csv

    fieldnames, rows, problems = read_csv(path, OTHER_PROGRAMS)
    if problems:
        raise OtherProgramsUnreadable(
            f"{len(problems)} problems",
            [(problem.location, problem.params["reason"]) for problem in problems],
        )
    headers = {normal_name(name): index for index, name in enumerate(fieldnames)}
    name_column = next((headers[key] for key in ("name", "氏名", "名称", "会員名") if key in headers), None)
    if name_column is None:
        raise OtherProgramsUnreadable(f"no name column (found: {', '.join(fieldnames) or 'none'})")
    program_column = next(
        (headers[key] for key in ("program", "プログラム", "プログラム名") if key in headers), None
    )
    address_column = next((headers[key] for key in ("address", "住所", "所在地") if key in headers), None)

    def cell(row: list[str], column: int | None) -> str:
        return row[column] if column is not None and column < len(row) else ""

    members: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for line, row in rows:
        name = normal_name(cell(row, name_column))
        if name:
            members[name].append((cell(row, program_column), normal_address(cell(row, address_column)), line))
    return members


@rule("R-PRG-SAMEMEMBER", V, R)
def same_member_twice(context: Context) -> Iterator[Finding]:
    """Program type: no member twice under two IDs (same person at the same address, as members.py compares)."""
    if not context.program:
        return
    activities = context.data.get("activities") or []
    context.count("activity-list")
    for index, first in repeats(activities):
        yield context.finding(
            "R-PRG-SAMEMEMBER",
            f"activities[{index}].name",
            "activity_list",
            "same_member",
            activity=activities[index].get("id", ""),
            first=activities[first].get("id", ""),
        )


@rule("R-PRG-500T", V)
def program_cap(context: Context) -> Iterator[Finding]:
    """Program type under rules with a per-activity cap: at most that many t-CO2 a fiscal year each."""
    if not context.program or context.switches.get("program_activity_cap_t") is None:
        return
    index_of = {activity.get("id"): index for index, activity in context.activities()}
    for result in context.calculation.activities:
        context.count("activity-list")
        for year, sums in result.by_fiscal_year.items():
            annual = sums.reduction
            if not within_program_cap(annual, context.switches):
                yield context.finding(
                    "R-PRG-500T",
                    f"activities[{index_of.get(result.activity_id, 0)}]",
                    "activity_list",
                    "program_cap",
                    activity=result.activity_id,
                    year=year,
                    found=annual.quantize(Decimal("0.1")),
                    cap=context.switches["program_activity_cap_t"],
                )
