"""One side of a diff, taken once: its inputs as text keyed by path and row key, its evidence digests, its
results per activity and its checklist findings.

A snapshot holds strings, not the loaded objects: it is compared key by key (a dict lookup and a string
comparison per row, not Python over every field twice), and it crosses a process boundary cheaply, so the
two sides can be read and calculated at the same time (pipeline.diff).
"""

from __future__ import annotations

import os
import re
from array import array
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from toolkit import schema
from toolkit.calculate import factors as factor_tables
from toolkit.errors import ToolkitError
from toolkit.read import overrides as template_overrides
from toolkit.read.confine import Context
from toolkit.read.folder import SourceMap
from toolkit.read.hashing import sha256_many

if TYPE_CHECKING:
    from toolkit.calculate.engine import Calculation
    from toolkit.checklist.findings import Finding
    from toolkit.pipeline import Run

SEP = "\x1f"  # between a row's values: a character no cell holds (normalize removes control characters)
EVIDENCE_FOLDER = "evidence"
# a named path that may be a file outside evidence/, or spelled otherwise than the listing spells it
_ELSEWHERE = re.compile(r"^(?!evidence/)|/\.|//|\\|/$")
PACK = "\x1e"  # between the packed strings of a snapshot that crosses a process boundary


@dataclass
class TableShot:
    """A table's rows: key -> (index in the table, its values joined by SEP in `columns` order)."""

    columns: tuple[str, ...]
    rows: dict[str, tuple[int, str]]
    activity: int | None  # the column naming a row's activity (id in activities, activity_id elsewhere)

    def __getstate__(self) -> tuple:
        """Packed into a few long strings: pickling 120,000 rows one object at a time costs a second."""
        indices = array("q", (index for index, _ in self.rows.values()))
        keys = PACK.join(self.rows)
        values = PACK.join(values for _, values in self.rows.values())
        return (self.columns, self.activity, len(self.rows), keys, values, indices.tobytes())

    def __setstate__(self, state: tuple) -> None:
        self.columns, self.activity, count, keys, values, raw = state
        indices = array("q")
        indices.frombytes(raw)
        split = (lambda text: text.split(PACK)) if count else (lambda text: [])
        self.rows = dict(zip(split(keys), zip(indices, split(values))))


@dataclass
class Results:
    """One calculation's figures: exact reductions per activity and in total, and the factor rows each used."""

    complete: bool
    errors: int
    total: str  # exact t-CO2, as str(Decimal); "" when there is no total
    certified: int | None
    activities: dict[str, str]  # activity id -> exact reduction
    factors: dict[str, str]  # activity id -> the factor rows (name, fiscal year, value) it used, as one text


@dataclass
class Snapshot:
    """What a diff compares of one project folder."""

    target: str  # as the user named it
    name: str
    type: str | None
    code: str | None
    rules_version: str | None
    fields: dict[str, str]  # dotted path -> value text, every field outside the tables
    tables: dict[str, TableShot]
    # row name (table[keys] FY) -> (value and unit, where it is written, the row in words: 電気の排出係数… 2025年度)
    factors: dict[str, tuple[str, str, str]]
    evidence: dict[str, str]  # project-relative path -> SHA-256
    monitored: Results | None
    estimate: Results | None
    findings: dict[tuple, Finding]  # (rule, path, message code, its parameters) -> the finding
    stage: str
    sources: SourceMap = field(default_factory=SourceMap)
    root: Path = Path()  # the project folder, resolved
    files: tuple[Path, ...] = ()  # the input files read: an output may not replace one
    overrides: Path | None = (
        None  # the project's templates/ folder, if it has one (html/diff.html may be overridden)
    )

    def __getstate__(self) -> dict:
        """The evidence digests packed into two strings (120,000 files), the rest as it is."""
        state = dict(self.__dict__)
        evidence = state.pop("evidence")
        state["evidence_packed"] = (PACK.join(evidence), "".join(evidence.values()))
        return state

    def __setstate__(self, state: dict) -> None:
        paths, digests = state.pop("evidence_packed")
        names = paths.split(PACK) if paths else []
        state["evidence"] = {name: digests[64 * index : 64 * index + 64] for index, name in enumerate(names)}
        self.__dict__.update(state)


def take(run: Run, stage: str, target: str) -> Snapshot:
    """The snapshot of the project `run` reads; ValidationFailed while its inputs have errors."""
    project = run.project
    data = project.data
    tables = schema.tables_of(data)
    code = schema.declared(data)[1]
    monitored = _results(lambda: run.calculation)
    estimate = _results(lambda: run.estimate)
    checklist = run.checklist(stage)
    # keyed without rendering a message (thousands of findings); only those that differ are rendered
    findings = {
        (finding.rule, finding.path, finding.code, repr(finding.params)): finding
        for finding in checklist.findings
    }
    try:
        factors = run.factors.overridden()
    except ToolkitError:  # the calculation's problem already says why; no rows to compare
        factors = []
    return Snapshot(
        target=target,
        name=project.name,
        type=project.type,
        code=code,
        rules_version=project.rules_version,
        fields=dict(_flat({key: value for key, value in data.items() if key not in tables}, "")),
        tables={name: _table(table, data.get(name) or []) for name, table in tables.items()},
        factors={
            _factor_name(row): (f"{_text(row.value)} {row.unit}", str(row.location or ""), _factor_words(row))
            for row in factors
        },
        evidence=_evidence(project.root, data, tables),
        monitored=monitored,
        estimate=estimate,
        findings=findings,
        stage=stage,
        sources=project.sources,
        root=project.root,
        files=(project.project_file, *project.files),
        overrides=template_overrides.folder(project.root),
    )


def _text(value: Any) -> str:
    """A value as the diff shows and compares it: numbers without trailing zeros, dates ISO, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "normalize") and hasattr(value, "as_tuple"):  # Decimal
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _flat(value: Any, path: str):
    """(dotted path, text) of every leaf of a nested mapping: `proponent.address.city`, `program.members[2]`."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flat(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flat(item, f"{path}[{index}]")
    else:
        yield path, _text(value)


def _table(table: schema.Table, rows: list) -> TableShot:
    """A table keyed by its key column (activities: id), a reading by its activity and period, else by position."""
    columns = tuple(table.schema)
    activity = (
        columns.index("activity_id")
        if "activity_id" in columns
        else columns.index(table.key)
        if table.name == "activities" and table.key in columns
        else None
    )
    found: dict[str, tuple[int, str]] = {}
    kept = [(index, row) for index, row in enumerate(rows) if type(row) is dict]  # noqa: E721 - plain dicts
    # str() of each value a column at a time through map, then each row's texts joined: C speed over 120,000
    # readings; the comparison reads a changed row's values again (1.50 and 1.5 are one number)
    plain = [row for _, row in kept]
    texts = [list(map(str, map(dict.get, plain, repeat(column)))) for column in columns]
    joined = list(map(SEP.join, zip(*texts))) if columns else [""] * len(kept)
    if table.key_columns:  # the key column's texts, or a reading's activity and period, as they are
        keys = list(map(SEP.join, zip(*(texts[columns.index(column)] for column in table.key_columns))))
    else:
        keys = [f"#{index + 1}" for index, _ in kept]
    for (index, _), key, values in zip(kept, keys, joined):
        if key in found:  # the same key twice (validation may allow it in a draft): keep both, in order
            number = 2
            while f"{key}#{number}" in found:
                number += 1
            key = f"{key}#{number}"
        found[key] = (index, values)
    return TableShot(columns, found, activity)


def _factor_words(row) -> str:
    words = factor_tables.factor_words(row)
    return f"{words} {row.fiscal_year}年度" if row.fiscal_year is not None else words


def _factor_name(row) -> str:
    keys = ",".join(f"{key}={value}" for key, value in row.keys)
    name = f"{row.table}[{keys}]" if keys else row.table
    return f"{name} FY{row.fiscal_year}" if row.fiscal_year is not None else name


def _results(calculate) -> Results | None:
    """A calculation's figures; None when it cannot be made (the checklist names why)."""
    try:
        calculation: Calculation = calculate()
    except ToolkitError as error:
        return Results(False, max(len(error.problems), 1), "", None, {}, {})
    if getattr(calculation, "no_readings", False):
        return None
    activities, used = {}, {}
    for activity in calculation.activities:
        activities[activity.activity_id] = str(activity.reduction_exact)
        rows = {
            (ref.name, ref.fiscal_year, str(ref.value))
            for period in activity.periods
            for figure in (period.baseline, period.project)
            for ref in figure.factors
        }
        used[activity.activity_id] = "; ".join(
            f"{name} FY{year}={value}" for name, year, value in sorted(rows)
        )
    complete = calculation.complete
    return Results(
        complete,
        len(calculation.errors),
        str(calculation.total_exact) if complete else "",
        calculation.total_certified if complete else None,
        activities,
        used,
    )


def _normal(relative: str) -> str:
    """A relative path as the walk spells it; normpath (slow) only where it could change something."""
    relative = relative.replace("\\", "/")
    if "//" in relative or "/." in relative or relative.startswith(".") or relative.endswith("/"):
        return os.path.normpath(relative).replace(os.sep, "/")
    return relative


def _plain(names: set[str]) -> bool:
    """Whether every name is one the listing of evidence/ would spell as it is (no _ELSEWHERE match), settled
    for the whole set at once: slips named but not collected yet are 120,000 in a program."""
    joined = "\n" + "\n".join(names) + "\n"
    return (
        joined.count("\n") == len(names) + 1  # no name holds a line break of its own
        and joined.count("\nevidence/") == len(names)
        and not any(piece in joined for piece in ("/.", "//", "\\", "/\n"))
    )


def _evidence(root, data: Mapping, tables: Mapping[str, schema.Table]) -> dict[str, str]:
    """SHA-256 of every file under evidence/ and every other file a table's file column names, inside the project.

    evidence/ is listed once; a named file under it that the listing lacks does not exist (120,000 readings
    naming slips not yet collected cost no look-up each), other named files are looked up one by one."""
    context = Context(root)
    present: set[str] = set()
    base = os.path.join(root, EVIDENCE_FOLDER)
    for directory, folders, names in os.walk(base):  # os.walk does not follow linked folders
        folders.sort()
        prefix = os.path.relpath(directory, root).replace(os.sep, "/")
        present.update(f"{prefix}/{name}" for name in names if not name.startswith((".", "~$")))
    named: set = set()
    for name, table in tables.items():
        rows = [row for row in data.get(name) or [] if type(row) is dict] if table.file_columns else []  # noqa: E721
        for column in table.file_columns:  # a column at a time: set() and map() at C speed
            named.update(filter(None, map(dict.get, rows, repeat(column))))
    unlisted = {
        value for value in named - present if isinstance(value, str)
    }  # most are listed: one difference
    elsewhere = (
        set() if _plain(unlisted) else {_normal(value) for value in unlisted if _ELSEWHERE.search(value)}
    )
    present.update(
        relative
        for relative in elsewhere - present
        if not relative.startswith(("../", "/"))
        and relative != ".."
        and not context.leads_outside(relative)  # before any look-up: nothing outside the project is touched
        and os.path.isfile(os.path.join(root, relative))
    )
    kept = sorted(relative for relative in present if not context.leads_outside(relative))
    digests = sha256_many(os.path.join(root, relative) for relative in kept)
    return {relative: digest for relative, digest in zip(kept, digests) if digest is not None}
