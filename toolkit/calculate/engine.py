"""Run a methodology over activities and reading periods: exact Decimal results per fiscal year, one truncation.

Each reading is clipped to its activity's crediting period (and to a requested report period), cut
at 31 March, its additive quantities shared out by days, and handed to the methodology. What falls
outside is excluded and reported, never silently counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from toolkit import methodologies, periods, schema
from toolkit.calculate import factors as factor_tables
from toolkit.calculate.additionality import Additionality, assess
from toolkit.errors import FactorError, InputMissing
from toolkit.figures import EXACT, FactorRef, PeriodResult, Periods, PeriodValues
from toolkit.methodologies import ZERO, defaults
from toolkit.problems import Location, Problem
from toolkit.project import Project
from toolkit.read.folder import SourceMap

NOISE = Decimal("1e-12")


def exact_sum(values) -> Decimal:
    """The sum of Decimals without rounding."""
    total = ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


class YearSums(NamedTuple):
    """An activity's baseline, project emissions and reduction in one fiscal year: exact sums (t-CO2)."""

    baseline: Decimal
    project: Decimal
    reduction: Decimal


@dataclass(frozen=True)
class ActivityResult:
    """One activity: its crediting period, its period results, their exact sum and their sums per fiscal year
    (t-CO2), in year order."""

    activity_id: str
    crediting: tuple[dt.date, dt.date] | None
    periods: Sequence[PeriodResult]  # figures.Periods: each figure made when first looked at
    reduction_exact: Decimal
    by_fiscal_year: Mapping[int, YearSums] = field(default_factory=dict)


def year_sums(pieces: Sequence[PeriodResult | PeriodValues]) -> dict[int, YearSums]:
    """The exact sums of period results per fiscal year, in year order. Being exact, a year's reduction is
    its baseline sum less its project sum, to the last digit the sum of its pieces' reductions."""
    sums: dict[int, tuple[Decimal, Decimal]] = {}
    add = EXACT.add
    for piece in pieces:
        year = piece.fiscal_year
        found = sums.get(year)
        if found is None:
            sums[year] = (piece.baseline_t, piece.project_t)
        else:
            sums[year] = (add(found[0], piece.baseline_t), add(found[1], piece.project_t))
    return {
        year: YearSums(baseline, project, EXACT.subtract(baseline, project))
        for year, (baseline, project) in sorted(sums.items())
    }


@dataclass
class Calculation:
    """The whole calculation: per activity, per fiscal year, the totals, the factors used, the problems."""

    methodology: str
    rules_version: str
    activities: list[ActivityResult]
    total_exact: Decimal
    total_certified: int
    by_fiscal_year: dict[int, Decimal]
    factors_used: list[FactorRef]
    additionality: Additionality
    period: tuple[dt.date | None, dt.date | None] = (None, None)  # the report window asked for
    problems: list[Problem] = field(default_factory=list)
    project: Project | None = None  # the validated project the figures are of
    estimate: bool = False  # ex-ante: computed from the planned inputs, never from monitoring readings
    represented: int = 1  # activities an estimate's figures stand for (a program: its representative × count)

    @property
    def errors(self) -> list[Problem]:
        """The problems that make a figure missing (a factor or input absent, readings overlapping)."""
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def complete(self) -> bool:
        """Whether the totals mean something: with any error (a factor or an input missing, overlapping
        readings) they would silently leave pieces out, and with no reading at all they would be a 0 that
        is no result; then no total is shown, not a partial one."""
        return not self.errors and not self.no_readings

    @property
    def no_readings(self) -> bool:
        """Whether monitored figures were asked for with no reading at all: no total, not a total of 0."""
        return not self.estimate and any(problem.code == "calc_no_readings" for problem in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        """The problems reported beside the figures (unverified factors, gaps, readings cut at the period)."""
        return [problem for problem in self.problems if problem.severity == "warning"]


def truncate(value: Decimal) -> int:
    """Whole t-CO2, cut toward zero (切り捨て), once.

    Divisions keep 28 significant digits, so three thirds of 7 t may add up to 6.999…9 t: the
    value is first brought to 12 decimals (far below any material amount) so that such a total
    is cut to 7, not 6.
    """
    return int(
        value.quantize(NOISE, rounding=ROUND_HALF_EVEN, context=EXACT).to_integral_value(rounding=ROUND_DOWN)
    )


def stated_period(data: Mapping) -> tuple[dt.date | None, dt.date | None] | None:
    """The report period project.yaml states (monitoring_report.period_start/end), if any: --period wins over it."""
    report = data.get("monitoring_report") or {}
    window = (report.get("period_start"), report.get("period_end"))
    return window if any(window) else None


def calculate_project(
    project: Project,
    factors: factor_tables.Factors,
    period: tuple[dt.date | None, dt.date | None] | None = None,
) -> Calculation:
    """Every reduction of a validated project, over `period` or else the report period it states."""
    return _Run(
        project.methodology,
        factors,
        project.data,
        project.sources,
        period or stated_period(project.data) or (None, None),
    ).calculation(project)


def calculate_plan(project: Project, factors: factor_tables.Factors) -> Calculation:
    """The plan's ex-ante estimate (見込量): each fiscal year of the crediting period computed from the
    activities' planned inputs (`module.planned_readings`) by the same formulas and the same truncation.
    Monitoring readings are never read; a factor of a fiscal year not yet published is its latest year's
    (`Factors.for_estimate`). A program computes its representative activity
    (`program.typical_activity`, else the first) and counts it `program.planned_activity_count` times
    (else once per listed activity)."""
    return _Run(
        project.methodology, factors.for_estimate(), project.data, project.sources, (None, None), plan=True
    ).calculation(project)


def calculate_data(
    data: Mapping,
    factors: factor_tables.Factors,
    period: tuple[dt.date | None, dt.date | None] | None = None,
    plan: bool = False,
) -> Calculation:
    """Compute from normalised data without a project folder (tests, generated rows); `plan`: the estimate."""
    module = methodologies.get(data["project"]["methodology"]["code"])
    factors = factors.for_estimate() if plan else factors
    return _Run(module, factors, data, SourceMap(), period or (None, None), plan).calculation(None)


def planned_count(data: Mapping) -> int:
    """How many activities a program's plan counts its representative for: the planned count, else those listed."""
    given = (data.get("program") or {}).get("planned_activity_count")
    return int(given) if given else len(data.get("activities") or [])


def represented_ids(data: Mapping) -> set | None:
    """The activities the estimate computes: a program's representative (None: every activity, standard)."""
    if schema.project_type(data) != "program":
        return None
    wanted = (data.get("program") or {}).get("typical_activity")
    if wanted:
        return {wanted}
    first = (data.get("activities") or [{}])[0]
    return {first.get("id")}


class _Run:
    def __init__(self, module, factors: factor_tables.Factors, data: Mapping, sources, window, plan=False):
        self.module = module
        self.plan = plan
        self.factors = factors
        self.data = data
        self.sources = sources
        self.window = window
        self.problems: list[Problem] = []
        self.missing: set[tuple] = set()
        self.activity_at = 0
        self.related = _related_rows(module.CODE, data)

    def problem(self, code: str, path: str, severity: str = "error", **params: Any) -> None:
        # the estimate's gaps are the plan's (section 3, 排出削減見込量)
        section = "plan.3" if self.plan and path.startswith("activities[") else ""
        self.problems.append(
            Problem(code, path, self.sources.locate(path), params, section=section, severity=severity)
        )

    def calculation(self, project: Project | None) -> Calculation:
        readings: dict[Any, list[tuple[int, Mapping]]] = defaultdict(list)
        if not self.plan:  # the estimate never reads a monitoring reading
            for index, reading in enumerate(self.data.get("monitoring") or []):
                readings[reading.get("activity_id")].append((index, reading))
            if not readings and self.data.get("activities"):  # said, never shown as 0 t-CO2
                self.problems.append(
                    Problem(
                        "calc_no_readings",
                        "monitoring",
                        self.sources.locate("monitoring") or Location("monitoring/"),
                        severity="warning",
                    )
                )
        self.check_stated_period()
        results = []
        computed = represented_ids(self.data) if self.plan else None
        count = planned_count(self.data) if self.plan and computed is not None else 1
        for index, activity in enumerate(self.data.get("activities") or []):
            if self.plan:  # every activity keeps its crediting period; the represented ones get figures
                chosen = computed is None or activity.get("id") in computed
                results.append(self.activity(index, activity, (), chosen))
            else:
                results.append(self.activity(index, activity, readings.get(activity.get("id"), [])))
        results.sort(key=lambda result: str(result.activity_id))
        # a program's estimate is its representative's figures times the activities it stands for (exact)
        total = EXACT.multiply(exact_sum(result.reduction_exact for result in results), count)
        by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for result in results:
            for year, sums in result.by_fiscal_year.items():
                by_year[year] = EXACT.add(by_year[year], sums.reduction)
        by_year = defaultdict(
            lambda: ZERO, {year: EXACT.multiply(value, count) for year, value in by_year.items()}
        )
        certified = (
            sum(truncate(result.reduction_exact) for result in results) * count
            if self.factors.switches.get("truncation") == "per_activity"
            else truncate(total)
        )
        used = sorted(
            self.factors.used.values(), key=lambda ref: (ref.table, ref.keys, ref.fiscal_year or 0, ref.unit)
        )
        self.problems += self.factors.warnings()  # unverified rule switches, factors.yaml rows left empty
        for ref in used:
            if ref.status != "verified":
                self.problems.append(
                    Problem(
                        "factor_not_verified",
                        ref.table,
                        ref.location,
                        {
                            "name": {"ja": factor_tables.factor_words(ref), "en": ref.name},
                            "year": {"ja": f"{ref.fiscal_year}年度", "en": ref.fiscal_year}
                            if ref.fiscal_year
                            else "",
                            "status": {"ja": factor_tables.status_words(ref.status), "en": ref.status},
                            "source": ref.source,
                        },
                        severity="warning",
                    )
                )
        problems = sorted(self.problems, key=Problem.sort_key)
        threshold = Decimal(str(self.factors.switches["payback_threshold_years"]))
        return Calculation(
            self.module.CODE,
            self.factors.rules_version,
            results,
            total,
            certified,
            dict(sorted(by_year.items())),
            used,
            assess(self.data.get("additionality"), threshold),
            self.window,
            problems,
            project,
            self.plan,
            count,
        )

    def rule_period(self, activity: Mapping) -> tuple[dt.date, dt.date] | None:
        """The crediting period by the rule version's formula (§4), for an activity or ({}) the project."""
        project = self.data.get("project") or {}
        switches = self.factors.switches
        forest = self.module.FOREST
        years = switches["forest_crediting_years"] if forest else switches["crediting_years"]
        cap = switches.get("forest_crediting_cap" if forest else "crediting_cap")
        application = project.get("registration_application_date") or (
            project.get("crediting_period") or {}
        ).get("start")
        if application is None:
            return None
        # the later of the application, the project's monitoring start and this member's own start
        starts = [
            day
            for day in (
                project.get("monitoring_start_date"),
                activity.get("monitoring_start_date"),
                activity.get("joined_on"),
            )
            if day
        ]
        return periods.crediting_period(application, max(starts) if starts else None, years, cap)

    def crediting(self, activity: Mapping) -> tuple[dt.date, dt.date] | None:
        """The activity's crediting period: the rules' period, narrowed (never widened) by one the project states."""
        rule = self.rule_period(activity)
        if rule is None:
            return None
        given = (self.data.get("project") or {}).get("crediting_period") or {}
        return max(rule[0], given.get("start") or rule[0]), min(rule[1], given.get("end") or rule[1])

    def check_stated_period(self) -> None:
        """Once per project: the dates the period needs, and a stated end past the rules' end (not used)."""
        rule = self.rule_period({})
        if rule is None:
            self.problem("crediting_unknown", "project.registration_application_date")
            return
        given = (self.data.get("project") or {}).get("crediting_period") or {}
        if given.get("end") and given["end"] > rule[1]:
            self.problem(
                "crediting_end_beyond_rules",
                "project.crediting_period.end",
                "warning",
                found=given["end"],
                end=rule[1],
                rules=self.factors.rules_version,
            )

    def activity(
        self, index: int, activity: Mapping, readings: Sequence[tuple[int, Mapping]], planned: bool = False
    ) -> ActivityResult:
        self.activity_at = index  # where an activity's missing input is reported
        crediting = self.crediting(activity)
        activity = {**activity, **self.related.get(activity.get("id"), {})}
        module = self.module
        if planned and crediting is not None:
            readings = self.planned(activity, crediting)
        # a planned row covers its fiscal-year piece, whatever dates the methodology's readings carry
        period = _planned_period if self.plan else module.reading_period
        dated = [
            (periods.Span(*found, position), reading)
            for position, reading in readings
            if (found := period(reading))
        ]
        spans = [span for span, _ in dated]
        # events (a season, a batch) neither tile time nor exclude each other; a repeated season is not counted
        skipped = (
            self.repeated_seasons(spans)
            if module.SEASONAL
            else self.check_spans(spans, crediting, activity.get("id", ""))
        )
        findings = module.reading_findings is not defaults.reading_findings and not self.plan
        # the usual reading, inside the crediting period and one fiscal year with no window, is computed
        # straight away: it is nearly every reading of a program, and nothing in it needs cutting
        first, last = crediting or (None, None)
        straight = crediting is not None and not module.SEASONAL and self.window == (None, None)
        # a methodology of many readings gives their values alone: each figure is made when looked at
        quick = (
            module.value_calculator(activity, crediting, self.factors) if straight and not self.plan else None
        )
        if quick is not None:
            values, figures, calculate = quick
        else:
            values = figures = None
            calculate = (
                module.calculator(activity, crediting, self.factors) if crediting is not None else None
            )
        identifier = str(activity.get("id"))
        pieces: list[PeriodResult | PeriodValues] = []
        for (start, end, position), reading in dated:
            if findings:
                for code, column, severity, params in module.reading_findings(
                    activity, reading, self.factors
                ):
                    self.problem(code, f"monitoring[{position}].{column}", severity, **params)
            if crediting is None or position in skipped:
                continue
            whole = _whole_piece(start, end) if straight and first <= start and end <= last else None
            if not whole:
                pieces += self.reading(calculate, activity, position, reading, (start, end), crediting)
            elif values is None:
                computed = self.computed(calculate, activity, reading, whole, self.path(position))
                if computed:
                    pieces.append(computed)
            else:
                try:
                    baseline, project, worked = values(reading, whole)
                except (FactorError, InputMissing) as error:
                    self.not_computed(error, self.path(position))
                    continue
                path = self.path(position)
                pieces.append(
                    PeriodValues(
                        identifier, start, end, whole.fiscal_year, baseline, project, path, figures, worked
                    )
                )
        years = year_sums(pieces)
        total = exact_sum(sums.reduction for sums in years.values())
        return ActivityResult(activity.get("id"), crediting, Periods(pieces), total, years)

    def reading(
        self,
        calculate: Callable,
        activity: Mapping,
        index: int,
        reading: Mapping,
        span: tuple[dt.date, dt.date],
        crediting: tuple[dt.date, dt.date],
    ) -> list[PeriodResult]:
        """A reading that is an event, or that a crediting period, a fiscal year or the window cuts."""
        path = self.path(index)
        start, end = span
        if (
            self.module.SEASONAL
        ):  # one event, counted whole where it ends: never shared out, never counted twice
            if not crediting[0] <= end <= crediting[1]:
                self.problem(
                    "reading_outside_crediting",
                    f"{path}.{_start_field(reading)}",
                    activity=activity.get("id", ""),
                    start=start,
                    end=end,
                    crediting_start=crediting[0],
                    crediting_end=crediting[1],
                )
                return []
            if (self.window[0] and end < self.window[0]) or (self.window[1] and end > self.window[1]):
                return []
            days = periods.days(start, end)
            piece = periods.Piece(start, end, periods.fiscal_year(end), days, days)
            computed = self.computed(calculate, activity, reading, piece, path)
            return [computed] if computed else []
        inside = periods.clip(span[0], span[1], *crediting)
        if inside is None:
            self.problem(
                "reading_outside_crediting",
                f"{path}.{_start_field(reading)}",
                activity=activity.get("id", ""),
                start=span[0],
                end=span[1],
                crediting_start=crediting[0],
                crediting_end=crediting[1],
            )
            return []
        if inside != span:
            self.problem(
                "reading_partly_outside",
                f"{path}.{_start_field(reading)}",
                "warning",
                activity=activity.get("id", ""),
                start=span[0],
                end=span[1],
                crediting_start=crediting[0],
                crediting_end=crediting[1],
                excluded=periods.days(*span) - periods.days(*inside),
            )
        inside = periods.clip(inside[0], inside[1], *self.window)
        if inside is None:
            return []
        reading_days = periods.days(*span)
        pieces = periods.split_by_fiscal_year(inside[0], inside[1], reading_days)
        results = []
        for piece, part in zip(pieces, self.shares(reading, pieces, reading_days)):
            computed = self.computed(calculate, activity, part, piece, path)
            if computed:
                results.append(computed)
        return results

    def computed(
        self, calculate: Callable, activity: Mapping, part: Mapping, piece: periods.Piece, path: str
    ) -> PeriodResult | None:
        """The methodology's figures for one piece (`calculate`: its activity's calculator); what it cannot
        compute is reported, not raised (None)."""
        try:
            baseline, project = calculate(part, piece)
        except (FactorError, InputMissing) as error:
            self.not_computed(error, path)
            return None
        return PeriodResult(
            str(activity.get("id")), piece.start, piece.end, piece.fiscal_year, baseline, project, path
        )

    def not_computed(self, error: FactorError | InputMissing, path: str) -> None:
        """Why a piece has no figures: a factor missing (said once per factor), or an input (once per cell)."""
        if isinstance(error, InputMissing):
            self.input_missing(error, path)
            return
        for problem in error.problems:
            key = (problem.code, problem.path, tuple(sorted(map(str, problem.params.items()))))
            if key not in self.missing:
                self.missing.add(key)
                if problem.location is None and problem.path:  # a project field: its line
                    problem = dataclasses.replace(problem, location=self.sources.locate(problem.path))
                self.problems.append(problem)

    def path(self, position: int) -> str:
        """Where a reading's problem is reported: its monitoring row, or for a planned row its activity."""
        return f"activities[{self.activity_at}]" if self.plan else f"monitoring[{position}]"

    def input_missing(self, error: InputMissing, path: str) -> None:
        """Each empty input once, at the activity's cell or the reading's."""
        where = f"activities[{self.activity_at}]" if error.in_activity or self.plan else path
        for name in error.fields:
            if (where, name) not in self.missing:
                self.missing.add((where, name))
                self.problem(
                    error.code,
                    f"{where}.{name}",
                    label=self.label(name, error.in_activity or self.plan),
                    **error.params,
                )

    def planned(self, activity: Mapping, crediting: tuple[dt.date, dt.date]) -> list[tuple[int, Mapping]]:
        """The methodology's readings-like rows from the activity's planned inputs, one per fiscal year."""
        try:
            rows = self.module.planned_readings(activity, periods.split_by_fiscal_year(*crediting))
        except InputMissing as error:
            self.input_missing(error, f"activities[{self.activity_at}]")
            return []
        return list(enumerate(rows))

    def shares(self, reading: Mapping, pieces: list[periods.Piece], reading_days: int) -> list[Mapping]:
        """The reading as each piece sees it: additive quantities shared out by days.

        When the pieces cover the whole reading the last one takes the remainder, so the parts add
        up to the reading exactly, whatever the Decimal precision.
        """
        if len(pieces) == 1 and pieces[0].days == reading_days:
            return [reading]
        parts = [dict(reading) for _ in pieces]
        whole = sum(piece.days for piece in pieces) == reading_days
        for key in self.module.ADDITIVE:
            value = reading.get(key)
            if value is None:
                continue
            for part, piece in zip(parts, pieces):
                part[key] = value * piece.days / reading_days
            if whole:
                parts[-1][key] = EXACT.subtract(value, exact_sum(part[key] for part in parts[:-1]))
        return parts

    def label(self, name: str, in_activity: bool) -> Mapping[str, str]:
        return schema.label(self.data, f"{'activities' if in_activity else 'monitoring'}[0].{name}") or {
            "ja": name,
            "en": name,
        }

    def repeated_seasons(self, spans: list[periods.Span]) -> set[int]:
        """Readings repeating a fiscal year's only event (a rice season); reported, and not to be counted."""
        if not self.module.ONE_PER_FISCAL_YEAR:
            return set()
        seen: dict[int, periods.Span] = {}
        repeated = set()
        for span in sorted(spans, key=lambda span: span.index):
            year = periods.fiscal_year(span.end)
            if year in seen:
                repeated.add(span.index)
                self.problem(
                    "season_duplicate",
                    f"monitoring[{span.index}]",
                    year=year,
                    other=str(self.sources.locate(f"monitoring[{seen[year].index}]")),
                )
            else:
                seen[year] = span
        return repeated

    def check_spans(
        self, spans: list[periods.Span], crediting: tuple[dt.date, dt.date] | None, activity_id: Any
    ) -> set[int]:
        """Overlapping readings are errors, gaps warnings; nothing is skipped (the errors stop the report).

        Only days inside the crediting period can be missing: a reading before its start (reported as
        outside) leaves no gap between it and the start, and a gap across the start counts from it."""
        gaps, overlaps = periods.gaps_and_overlaps(spans)
        if crediting is not None:
            gaps = [
                (*inside, following)
                for start, end, following in gaps
                for inside in (periods.clip(start, end, *crediting),)
                if inside is not None
            ]
        for first, second in overlaps:
            self.problem(
                "reading_overlap",
                f"monitoring[{second.index}]",
                activity=activity_id,
                start=second.start,
                end=second.end,
                other=str(self.sources.locate(f"monitoring[{first.index}]")),
                other_start=first.start,
                other_end=first.end,
            )
        for start, end, following in gaps:
            self.problem(
                "reading_gap",
                f"monitoring[{following.index}]",
                "warning",
                activity=activity_id,
                start=start,
                end=end,
            )
        return set()


@functools.lru_cache(maxsize=4096)  # a program's readings share a few dozen periods
def _whole_piece(start: dt.date, end: dt.date) -> periods.Piece | None:
    """The piece of a reading inside one fiscal year: all of it; None for a reading that crosses 31 March."""
    year = periods.fiscal_year(start)
    if periods.fiscal_year(end) != year:
        return None
    days = periods.days(start, end)
    return periods.Piece(start, end, year, days, days)


def _related_rows(code: str, data: Mapping) -> dict[Any, dict[str, list[Mapping]]]:
    """Rows of the methodology's other tables (drainage history ...) by activity, for its formulas."""
    related: dict[Any, dict[str, list[Mapping]]] = defaultdict(dict)
    for name in schema.tables(code):
        if name in ("activities", "monitoring"):
            continue
        for row in data.get(name) or []:
            related[row.get("activity_id")].setdefault(name, []).append(row)
    return related


def _planned_period(row: Mapping) -> tuple[dt.date, dt.date] | None:
    """The fiscal-year piece a planned row covers."""
    start, end = row.get("period_start"), row.get("period_end")
    return (start, end) if start and end else None


def _start_field(reading: Mapping) -> str:
    return "period_start" if "period_start" in reading else next(iter(reading), "")
