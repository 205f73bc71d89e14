"""Every row of a members workbook accepted (with an activity ID) or rejected with every reason and its cell.

A row is read and validated by the project's own schema (`load_project(activities=…)`), then checked:
the columns the activity list requires, the 2-year rule (its reference date a rules-version switch), not
already in the project (same ID, or the same person at the same address), not in other_programs.csv, not
twice in the batch, and the methodology's own rules on the row (a battery's values …).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from toolkit import schema
from toolkit.calculate import factors as factor_tables
from toolkit.calculate.eligibility import earliest_start
from toolkit.checklist.members import Members, member_key
from toolkit.errors import InputError
from toolkit.problems import Location, Problem
from toolkit.project import Project
from toolkit.read.folder import LoadedProject, load_project
from toolkit.validate.validation import validate

_ROW = re.compile(r"activities\[(\d+)\]")
_ID = re.compile(r"^(.*?)(\d+)$")
REASONS_HEADER = "不備の理由"  # the column rejected.xlsx adds; ignored when the file is fed back


@dataclass(frozen=True)
class Reason:
    """Why a row is rejected: the field's dotted path, its cell, the rule and the problem (ja and en)."""

    path: str
    location: str
    rule: str
    problem: Problem

    def as_json(self, lang: str) -> dict:
        """The reason as summary.json lists it."""
        return {
            "path": self.path,
            "location": self.location,
            "message": self.problem.message(lang),
            "rule": self.rule,
        }


@dataclass
class Row:
    """One row of the members workbook: its sheet row, the values as typed, as coerced, and its reasons."""

    number: int  # the sheet row
    raw: Mapping[str, Any]
    data: dict[str, Any]
    reasons: list[Reason] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Whether the row joins the program."""
        return not self.reasons


@dataclass
class Checked:
    """The members workbook checked: every row, the columns it had (key -> column) and the batch date."""

    rows: list[Row]
    columns: dict[str, int]
    sheet: str
    joined_on: dt.date
    notes: list[Problem] = field(default_factory=list)  # warnings for the whole batch (an unverified switch)

    @property
    def accepted(self) -> list[Row]:
        """The rows that join, in sheet order."""
        return [row for row in self.rows if row.accepted]

    @property
    def rejected(self) -> list[Row]:
        """The rows that do not, in sheet order."""
        return [row for row in self.rows if not row.accepted]


@dataclass
class Packed:
    """The members checked as a batch keeps them while it runs: the rejected rows whole, the accepted rows'
    values pickled a job's worth at a time (about 200 bytes a member instead of 2 KB as objects), their IDs."""

    input_rows: int
    rejected: list[Row]
    accepted_ids: list[str]
    chunks: list[bytes]
    columns: dict[str, int]
    sheet: str
    joined_on: dt.date
    notes: list[Problem]

    def accepted_rows(self) -> Iterator[dict[str, Any]]:
        """The accepted rows' values in sheet order, unpacked one chunk at a time."""
        return unpacked(self.chunks)


def pack(checked: Checked, size: int) -> Packed:
    """`checked` packed: the accepted rows' values in chunks of `size`, pickled (a batch's own data, between
    its own processes)."""
    accepted = [row.data for row in checked.accepted]
    return Packed(
        len(checked.rows),
        checked.rejected,
        [row["id"] for row in accepted],
        [pickle.dumps(accepted[start : start + size]) for start in range(0, len(accepted), size)],
        checked.columns,
        checked.sheet,
        checked.joined_on,
        checked.notes,
    )


def unpack(chunk: bytes) -> list[dict[str, Any]]:
    """A chunk of `Packed.chunks` as the rows' values."""
    return pickle.loads(chunk)


def unpacked(chunks: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The rows' values of chunks of `Packed.chunks`, in order, unpacked one chunk at a time."""
    for chunk in chunks:
        yield from unpack(chunk)


def check(project: Project, members: Path, joined_on: dt.date) -> Checked:
    """Read and check every row of `members` against `project` (valid); InputError when the file cannot be
    read as a members sheet at all (no sheet, no headers, a missing column)."""
    if Path(members).suffix.lower() != ".xlsx":
        where = Location(str(members))
        raise InputError(
            str(members), [Problem("batch_members_not_xlsx", location=where, params={"found": str(members)})]
        )
    loaded = load_project(project.project_file, activities=members)
    found = validate(loaded)
    file = loaded.relative(Path(members).resolve())
    fatal = [
        problem
        for problem in found.errors
        if problem.location and problem.location.file == file and not _ROW.match(problem.path)
    ]
    if fatal:
        raise InputError(f"{file}: {len(fatal)} problems", fatal)
    refs, numbers = loaded.sources.tables.get("activities", ([], []))
    raw_rows = loaded.data.get("activities") or []
    data_rows = found.project.data.get("activities") or []
    rows = [Row(numbers[index], raw, dict(data_rows[index])) for index, raw in enumerate(raw_rows)]
    checker = _Checker(project, loaded, rows, joined_on, (file, str(members)))
    for problem in found.errors:
        if problem.code == "id_missing":
            continue  # an accepted row without an ID is given the next free one
        index = _index(problem.path)
        if index is not None and index < len(rows):
            checker.reason(index, problem, "V-" + problem.code.upper().replace("_", "-"))
    checker.run(found.project)
    columns = refs[0].columns if refs else {}
    return Checked(rows, columns, refs[0].sheet if refs else "", joined_on, checker.notes)


def _index(path: str) -> int | None:
    match = _ROW.match(path)
    return int(match.group(1)) if match else None


class _Checker:
    def __init__(
        self,
        project: Project,
        loaded: LoadedProject,
        rows: list[Row],
        joined_on: dt.date,
        shown: tuple[str, str] = ("", ""),
    ):
        self.project, self.loaded, self.rows, self.joined_on = project, loaded, rows, joined_on
        self.shown = shown  # (the members file as read, as the user named it): messages use the latter
        self.module = project.methodology
        self.table = schema.tables(self.module.CODE)["activities"]
        self.notes: list[Problem] = []

    def locate(self, path: str) -> Location | None:
        return self.loaded.sources.locate(path)

    def reason(self, index: int, problem: Problem, rule: str) -> None:
        if problem.location and problem.location.file == self.shown[0]:
            location = dataclasses.replace(problem.location, file=self.shown[1])
            problem = dataclasses.replace(problem, location=location)
        where = str(problem.location) if problem.location else ""
        if any(known.path == problem.path and known.rule == rule for known in self.rows[index].reasons):
            return  # one reason per field and rule
        self.rows[index].reasons.append(Reason(problem.path, where, rule, problem))

    def add(self, index: int, key: str, code: str, rule: str, **params: Any) -> None:
        path = f"activities[{index}].{key}"
        label = schema.label(self.project.data, path)
        self.reason(index, Problem(code, path, self.locate(path), params, label, "activity_list"), rule)

    def run(self, members: Project) -> None:
        self.required()
        self.two_years()
        self.in_project()
        self.other_programs()
        self.twice()
        self.methodology_rules(members)
        self.assign_ids()

    def required(self) -> None:
        """The columns the activity list requires (every column not optional; the ID is given if empty)."""
        needed = [
            key for key, meta in self.table.columns() if not meta.get("optional") and key != self.table.key
        ]
        for index, row in enumerate(self.rows):
            for key in needed:
                if row.data.get(key) in (None, "") and not any(
                    reason.path == f"activities[{index}].{key}" for reason in row.reasons
                ):
                    label = dict(self.table.schema[key]["meta"]["label"])
                    self.add(index, key, "member_required", "B-REQUIRED", column=label)

    def two_years(self) -> None:
        """実施要綱 3.1.3 (2), measured from the date the rules version's switch names (not forest)."""
        if self.module.FOREST:
            return
        version = factor_tables.rule_versions().get(self.project.rules_version or "") or {}
        reference = (version.get("switches") or {}).get("member_two_year_from", "registration_application")
        status = (version.get("switch_status") or {}).get("member_two_year_from", "unverified")
        if status != "verified":
            self.notes.append(
                Problem(
                    "member_switch_unverified",
                    "rules_version",
                    self.project.locate("rules_version"),
                    {"switch": "member_two_year_from", "value": reference},
                    severity="warning",
                )
            )
        application = (self.project.data.get("project") or {}).get("registration_application_date")
        for index, row in enumerate(self.rows):
            started = row.data.get("commissioned_on")
            since = row.data.get("joined_on") or self.joined_on
            start_of = since if reference == "joined_on" else application
            if not isinstance(started, dt.date) or not isinstance(start_of, dt.date):
                continue
            earliest = earliest_start(start_of)
            if started < earliest:
                self.add(
                    index,
                    "commissioned_on",
                    "member_two_years",
                    "R-ELIG-2Y",
                    found=started,
                    earliest=earliest,
                    reference=start_of,
                )

    def in_project(self) -> None:
        """Not already a member: the same ID, or the same person at the same address under another ID."""
        existing = self.project.data.get("activities") or []
        ids = {activity.get("id"): activity for activity in existing}
        members = Members((activity.get("id"), activity) for activity in existing)
        for index, row in enumerate(self.rows):
            given = row.data.get("id")
            if given and given in ids:
                self.add(index, "id", "member_id_taken", "B-ID-TAKEN", found=given)
            same = members.first(row.data)
            if same is not None:
                self.add(index, "name", "member_in_project", "R-PRG-SAMEMEMBER", activity=same)

    def other_programs(self) -> None:
        """Not a member of another program (other_programs.csv, read by the checklist's own reader)."""
        from toolkit.checklist import scheme_rules

        path = self.project.root / scheme_rules.OTHER_PROGRAMS
        if not path.is_file():
            return
        others = scheme_rules.other_members(path)  # the project validated: the file reads whole
        for index, row in enumerate(self.rows):
            name, address = member_key(row.data)
            for program, their_address, line in others.get(name, []) if name else []:
                if not address or not their_address or address == their_address:
                    self.add(
                        index, "name", "member_other_program", "R-PRG-DUPMEMBER", program=program, line=line
                    )
                    break

    def twice(self) -> None:
        """Not twice in the batch: the first row stays, a later one is rejected naming the first's row."""
        members = Members()
        for index, row in enumerate(self.rows):
            first = members.add(index, row.data)
            if first is not None:
                self.add(index, "name", "member_twice", "R-PRG-SAMEMEMBER", row=self.rows[first].number)

    def methodology_rules(self, members: Project) -> None:
        """The methodology's own blocking rules on each row (EN-R-002: a battery's values and their source)."""
        from toolkit.calculate.engine import calculate_data
        from toolkit.checklist.scheme_rules import Context

        if not self.module.RULES:
            return
        # the rules read the rows; the calculation only names the methodology and the rules version
        data = {**members.data, "activities": [], "monitoring": []}
        calculation = calculate_data(as_standard(data), factors_of(self.project), plan=True)
        context = Context(members, calculation, "registration")
        for _, stages, function in self.module.RULES:
            if "registration" not in stages:
                continue
            for finding in function(context):
                index = _index(finding.path)
                if finding.severity == "blocking" and index is not None and index < len(self.rows):
                    problem = Problem(
                        "member_rule",
                        finding.path,
                        finding.location,
                        {"message": {"ja": finding.message("ja"), "en": finding.message("en")}},
                        finding.label,
                        "activity_list",
                    )
                    self.reason(index, problem, finding.rule)

    def assign_ids(self) -> None:
        """An accepted row without an ID gets the program's pattern with the next free number, in sheet order."""
        taken = {activity.get("id") for activity in self.project.data.get("activities") or []}
        taken |= {row.data.get("id") for row in self.rows if row.data.get("id")}
        prefix, width, number = next_id_pattern(sorted(str(t) for t in taken if t))
        for row in self.rows:
            if row.accepted and not row.data.get("id"):
                number += 1
                while f"{prefix}{number:0{width}d}" in taken:
                    number += 1
                row.data["id"] = f"{prefix}{number:0{width}d}"
                taken.add(row.data["id"])
            if row.accepted and not row.data.get("joined_on"):
                row.data["joined_on"] = self.joined_on


def next_id_pattern(ids: list[str]) -> tuple[str, int, int]:
    """(prefix, digits, highest number) of the most used `PREFIX0001` pattern among `ids` (PV-, 4, 0 if none)."""
    patterns: Counter = Counter()
    highest: dict[tuple[str, int], int] = {}
    for identifier in ids:
        match = _ID.match(identifier)
        if match:
            key = (match.group(1), len(match.group(2)))
            patterns[key] += 1
            highest[key] = max(highest.get(key, 0), int(match.group(2)))
    if not patterns:
        return "A-", 4, 0
    key = max(patterns, key=lambda key: (patterns[key], key))
    return key[0], key[1], highest[key]


def as_standard(data: Mapping) -> dict:
    """The data as a standard project's, so the estimate computes every member (a program's: one)."""
    project = dict(data.get("project") or {})
    project["type"] = "standard"
    return {key: value for key, value in data.items() if key != "program"} | {"project": project}


def factors_of(project: Project):
    """The factor tables and rule switches of the project's rules version, with its own overrides."""
    return factor_tables.load(
        project.rules_version,
        project.root,
        project.sources.locate("rules_version"),
        (project.data.get("project") or {}).get("methodology"),
        project.project_file,
    )
