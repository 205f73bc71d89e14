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
import shutil
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
from toolkit.validate.validation import repeated_keys, validate

_ROW = re.compile(r"activities\[(\d+)\]")
_ID = re.compile(r"^(.*?)(\d+)$")
CHECK_ROWS = 1000  # rows of the members sheet validated and checked at a time
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


class Chunks:
    """The accepted rows' values pickled a job's worth at a time (about 200 bytes a member instead of 2 KB as
    objects), in a file of the batch's own that the members check writes and the jobs read: what a process
    keeps of them, and what a job sent them gets, is the file's name and where each chunk is in it."""

    def __init__(self, path: Path, spans: list[tuple[int, int]]):
        self.path, self.spans = Path(path), spans

    def __len__(self) -> int:
        return len(self.spans)

    def __iter__(self) -> Iterator[bytes]:
        """Each chunk, in order, read when its turn comes."""
        with open(self.path, "rb") as handle:
            for offset, length in self.spans:
                handle.seek(offset)
                yield handle.read(length)

    def moved(self, path: Path) -> Chunks:
        """The same chunks, their file moved to `path` (the batch's work folder, where every job can read)."""
        shutil.move(self.path, path)
        return Chunks(path, self.spans)


@dataclass
class Packed:
    """The members checked as a batch keeps them while it runs: the rejected rows whole, the accepted rows
    counted and packed (`Chunks`), nothing more per member."""

    input_rows: int
    rejected: list[Row]
    accepted: int
    chunks: Chunks
    columns: dict[str, int]
    sheet: str
    joined_on: dt.date
    notes: list[Problem]

    def accepted_rows(self) -> Iterator[dict[str, Any]]:
        """The accepted rows' values in sheet order, unpacked one chunk at a time."""
        return unpacked(self.chunks)

    def accepted_ids(self) -> Iterator[str]:
        """The accepted rows' IDs in sheet order."""
        return (row["id"] for row in self.accepted_rows())


def unpack(chunk: bytes) -> list[dict[str, Any]]:
    """A chunk of `Packed.chunks` as the rows' values."""
    return pickle.loads(chunk)


def unpacked(chunks: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The rows' values of chunks of `Packed.chunks`, in order, unpacked one chunk at a time."""
    for chunk in chunks:
        yield from unpack(chunk)


def check(
    project: Project, members: Path, joined_on: dt.date, size: int, spill: Path, rows: int = CHECK_ROWS
) -> Packed:
    """Read and check every row of `members` against `project` (valid), `rows` rows at a time; the accepted
    rows packed in chunks of `size` into the file `spill` (`Packed`, `Chunks`). InputError when the file
    cannot be read as a members sheet at all (no sheet, no headers, a missing column).

    The sheet is read whole (the workbook reader's way); then each slice of it is validated with the project's
    schema and checked, and let go. Across slices only what the rules between rows need is kept: the IDs
    seen (a duplicate ID, the next free one), the members seen (the same person twice), the rows' sheet
    numbers, the rejected rows and the accepted ones packed. Whatever `rows`, the same result."""
    if Path(members).suffix.lower() != ".xlsx":
        where = Location(str(members))
        raise InputError(
            str(members), [Problem("batch_members_not_xlsx", location=where, params={"found": str(members)})]
        )
    loaded = load_project(project.project_file, activities=members)
    file = loaded.relative(Path(members).resolve())
    refs, numbers = loaded.sources.tables.get("activities", ([], []))
    raw_rows = loaded.data.get("activities") or []
    checker = _Checker(project, loaded, numbers, joined_on, (file, str(members)))
    packer = _Packer(size)
    rows = max(1, rows)
    for start in range(0, max(len(raw_rows), 1), rows):
        found = _validated(loaded, start, start + rows)
        if start == 0:
            fatal = [
                problem
                for problem in found.errors
                if problem.location and problem.location.file == file and not _ROW.match(problem.path)
            ]
            if fatal:
                raise InputError(f"{file}: {len(fatal)} problems", fatal)
        data_rows = found.project.data.get("activities") or []
        part = [
            Row(numbers[start + index], raw, data_rows[index])
            for index, raw in enumerate(raw_rows[start : start + rows])
        ]
        checker.slice(start, part, found)
        for row in part:
            packer.add(row)
        raw_rows[start : start + rows] = [None] * len(part)  # a rejected row keeps its own
    return packer.packed(
        project,
        spill,
        len(raw_rows),
        refs[0].columns if refs else {},
        refs[0].sheet if refs else "",
        joined_on,
        checker.notes,
    )


def _validated(loaded: LoadedProject, start: int, end: int):
    """The rows `start` to `end` of the members sheet validated with the project's schema, as a project whose
    activities they are (their paths from activities[0]), its reading problems theirs. Duplicate IDs are left
    to the check: a slice does not see the others."""
    refs, numbers = loaded.sources.tables.get("activities", ([], []))
    problems = []
    for problem in loaded.problems:
        index = _index(problem.path)
        if index is None and start == 0:
            problems.append(problem)  # the sheet's own (its headers, a column): read once
        elif index is not None and start <= index < end:
            problems.append(dataclasses.replace(problem, path=_moved(problem.path, -start)))
    sources = dataclasses.replace(
        loaded.sources, tables={**loaded.sources.tables, "activities": (refs[start:end], numbers[start:end])}
    )
    rows = (loaded.data.get("activities") or [])[start:end]
    part = dataclasses.replace(
        loaded, data={**loaded.data, "activities": rows}, sources=sources, problems=problems
    )
    found = validate(part)
    found.problems = [
        dataclasses.replace(problem, path=_moved(problem.path, start))
        for problem in found.problems
        if problem.code != "duplicate_id"
    ]
    return found


def _moved(path: str, by: int) -> str:
    """An activities[i] path with its index moved by `by` (a slice's rows and the sheet's)."""
    match = _ROW.match(path)
    return f"activities[{int(match.group(1)) + by}]{path[match.end() :]}" if match else path


def _index(path: str) -> int | None:
    match = _ROW.match(path)
    return int(match.group(1)) if match else None


class _Packer:
    """The checked rows as a batch keeps them: the rejected whole, the accepted pickled `size` at a time, the
    IDs given (accepted or not), then the accepted given theirs (`packed`)."""

    def __init__(self, size: int):
        self.size = size
        self.rejected: list[Row] = []
        self.chunks: list[bytes] = []
        self.pending: list[dict[str, Any]] = []
        self.taken: set[str] = set()

    def add(self, row: Row) -> None:
        if row.data.get("id"):
            self.taken.add(row.data["id"])
        if not row.accepted:
            self.rejected.append(row)
            return
        self.pending.append(row.data)
        if len(self.pending) == self.size:
            self.chunks.append(pickle.dumps(self.pending))
            self.pending = []

    def packed(
        self, project: Project, spill: Path, count: int, columns, sheet: str, joined_on: dt.date, notes
    ) -> Packed:
        """Every accepted row without an ID given the program's pattern with the next free number, in sheet
        order, and the batch's date as its 加入日 if it has none: the chunks unpacked and packed again one at
        a time, into the file `spill`."""
        if self.pending:
            self.chunks.append(pickle.dumps(self.pending))
            self.pending = []
        taken = {activity.get("id") for activity in project.data.get("activities") or []} | self.taken
        prefix, width, number = next_id_pattern(sorted(str(t) for t in taken if t))
        spans: list[tuple[int, int]] = []
        accepted = 0
        with open(spill, "wb") as out:
            for chunk in self.chunks:
                rows = unpack(chunk)
                for row in rows:
                    if not row.get("id"):
                        number += 1
                        while f"{prefix}{number:0{width}d}" in taken:
                            number += 1
                        row["id"] = f"{prefix}{number:0{width}d}"
                        taken.add(row["id"])
                    if not row.get("joined_on"):
                        row["joined_on"] = joined_on
                data = pickle.dumps(rows)
                spans.append((out.tell(), len(data)))
                out.write(data)
                accepted += len(rows)
        chunks = Chunks(spill, spans)
        return Packed(count, self.rejected, accepted, chunks, columns, sheet, joined_on, notes)


class _Checker:
    """The rules on the members' rows, a slice at a time (`slice`), with what the rules between rows keep."""

    def __init__(
        self,
        project: Project,
        loaded: LoadedProject,
        numbers: list[int],
        joined_on: dt.date,
        shown: tuple[str, str] = ("", ""),
    ):
        from toolkit.checklist import scheme_rules

        self.project, self.loaded, self.numbers, self.joined_on = project, loaded, numbers, joined_on
        self.shown = shown  # (the members file as read, as the user named it): messages use the latter
        self.module = project.methodology
        self.table = schema.tables(self.module.CODE)["activities"]
        self.notes: list[Problem] = []
        self.start, self.rows = 0, []  # the slice being checked: the index of its first row, its rows
        existing = project.data.get("activities") or []
        self.existing_ids = {activity.get("id") for activity in existing}
        self.existing = Members((activity.get("id"), activity) for activity in existing)
        self.seen = Members()  # the batch's members so far, by their index
        self.first_ids: dict[Any, int] = {}  # each ID given in the batch -> its first row's index
        others = project.root / scheme_rules.OTHER_PROGRAMS
        # the project validated: the file reads whole
        self.others = scheme_rules.other_members(others) if others.is_file() else None
        self.reference = self.two_years_reference()
        self.calculation = None  # what the methodology's rules read beside the rows, computed once

    def locate(self, path: str) -> Location | None:
        return self.loaded.sources.locate(path)

    def reason(self, index: int, problem: Problem, rule: str) -> None:
        """A reason for the slice's row `index`."""
        if problem.location and problem.location.file == self.shown[0]:
            location = dataclasses.replace(problem.location, file=self.shown[1])
            problem = dataclasses.replace(problem, location=location)
        where = str(problem.location) if problem.location else ""
        if any(known.path == problem.path and known.rule == rule for known in self.rows[index].reasons):
            return  # one reason per field and rule
        self.rows[index].reasons.append(Reason(problem.path, where, rule, problem))

    def add(self, index: int, key: str, code: str, rule: str, **params: Any) -> None:
        path = f"activities[{self.start + index}].{key}"
        label = schema.label(self.project.data, path)
        self.reason(index, Problem(code, path, self.locate(path), params, label, "activity_list"), rule)

    def slice(self, start: int, rows: list[Row], found) -> None:
        """Check the rows from the sheet's `start`-th on (`found`: them validated, see `_validated`)."""
        self.start, self.rows = start, rows
        errors = [*found.errors, *self.duplicate_ids(found.project)]
        for problem in sorted(errors, key=Problem.sort_key):  # as validation orders them
            if problem.code == "id_missing":
                continue  # an accepted row without an ID is given the next free one
            index = _index(problem.path)
            if index is not None and 0 <= index - start < len(rows):
                self.reason(index - start, problem, "V-" + problem.code.upper().replace("_", "-"))
        self.required()
        self.two_years()
        self.in_project()
        self.other_programs()
        self.twice()
        self.methodology_rules(found.project)

    def duplicate_ids(self, members: Project) -> Iterator[Problem]:
        """An ID given to an earlier row of the batch (validation's duplicate_id, over every slice)."""
        key = self.table.key
        rows = (row.data for row in self.rows)
        for index, identifier, earlier in repeated_keys(rows, key, self.first_ids, self.start):
            path = f"activities[{index}].{key}"
            first = self.locate(f"activities[{earlier}].{key}")
            meta = schema.field_meta(members.data, path)
            yield Problem(
                "duplicate_id",
                path,
                self.locate(path),
                {"found": identifier, "first": str(first)},
                meta.get("label", {}),
                meta.get("section", ""),
            )

    def required(self) -> None:
        """The columns the activity list requires (every column not optional; the ID is given if empty)."""
        needed = [
            key for key, meta in self.table.columns() if not meta.get("optional") and key != self.table.key
        ]
        for index, row in enumerate(self.rows):
            for key in needed:
                if row.data.get(key) in (None, "") and not any(
                    reason.path == f"activities[{self.start + index}].{key}" for reason in row.reasons
                ):
                    label = dict(self.table.schema[key]["meta"]["label"])
                    self.add(index, key, "member_required", "B-REQUIRED", column=label)

    def two_years_reference(self) -> str | None:
        """The date the 2-year rule counts from (the rules version's switch), noted once when unverified; None
        for forest."""
        if self.module.FOREST:
            return None
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
        return reference

    def two_years(self) -> None:
        """実施要綱 3.1.3 (2), measured from the date the rules version's switch names (not forest)."""
        if self.reference is None:
            return
        application = (self.project.data.get("project") or {}).get("registration_application_date")
        for index, row in enumerate(self.rows):
            started = row.data.get("commissioned_on")
            since = row.data.get("joined_on") or self.joined_on
            start_of = since if self.reference == "joined_on" else application
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
        for index, row in enumerate(self.rows):
            given = row.data.get("id")
            if given and given in self.existing_ids:
                self.add(index, "id", "member_id_taken", "B-ID-TAKEN", found=given)
            same = self.existing.first(row.data)
            if same is not None:
                self.add(index, "name", "member_in_project", "R-PRG-SAMEMEMBER", activity=same)

    def other_programs(self) -> None:
        """Not a member of another program (other_programs.csv, read by the checklist's own reader)."""
        if self.others is None:
            return
        for index, row in enumerate(self.rows):
            name, address = member_key(row.data)
            for program, their_address, line in self.others.get(name, []) if name else []:
                if not address or not their_address or address == their_address:
                    self.add(
                        index, "name", "member_other_program", "R-PRG-DUPMEMBER", program=program, line=line
                    )
                    break

    def twice(self) -> None:
        """Not twice in the batch: the first row stays, a later one is rejected naming the first's row."""
        for index, row in enumerate(self.rows):
            first = self.seen.add(self.start + index, row.data)
            if first is not None:
                self.add(index, "name", "member_twice", "R-PRG-SAMEMEMBER", row=self.numbers[first])

    def methodology_rules(self, members: Project) -> None:
        """The methodology's own blocking rules on each row (EN-R-002: a battery's values and their source)."""
        from toolkit.calculate.engine import calculate_data
        from toolkit.checklist.scheme_rules import Context

        if not self.module.RULES:
            return
        if self.calculation is None:
            # the rules read the rows; the calculation only names the methodology and the rules version
            data = {**members.data, "activities": [], "monitoring": []}
            self.calculation = calculate_data(as_standard(data), factors_of(self.project), plan=True)
        context = Context(members, self.calculation, "registration")
        for _, stages, function in self.module.RULES:
            if "registration" not in stages:
                continue
            for finding in function(context):
                index = _index(finding.path)  # of the slice's rows
                if finding.severity == "blocking" and index is not None and index < len(self.rows):
                    problem = Problem(
                        "member_rule",
                        _moved(finding.path, self.start),
                        finding.location,
                        {"message": {"ja": finding.message("ja"), "en": finding.message("en")}},
                        finding.label,
                        "activity_list",
                    )
                    self.reason(index, problem, finding.rule)


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
