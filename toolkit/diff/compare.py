"""Two snapshots compared: changed fields, rows added and removed, factor rows, evidence files, the effect on the
results per activity with its cause, and the checklist findings that appeared or were resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Mapping

from toolkit import schema
from toolkit.checklist.findings import document_of
from toolkit.diff.snapshot import SEP, Results, Snapshot, TableShot
from toolkit.documents import sections

READINGS = "monitoring"
ACTIVITIES = "activities"
# the causes of a changed result, in the order they are named
CAUSES = ("added", "removed", "reading", "activity", "factor", "rules_version", "project", "other")
NOT_CAUSES = {"rules_version", "schema_version"}  # fields that are no "project field" cause
KINDS = ("monitored", "estimate")  # the monitored reductions (実績) and the plan's estimate (見込量)
_ROW = re.compile(r"(\w+)\[(\d+)\](.*)$", re.S)  # a row's field: table, position, the rest


@dataclass(frozen=True)
class FieldChange:
    """One input value that changed: a project field or a cell of a row both sides have."""

    path: str  # as the new side numbers its rows
    old: str
    new: str
    location: str  # where it is written in the new version
    label: Mapping[str, str]
    document: str  # plan | activity-list | monitoring | "" when no document shows it
    section: str  # the heading: 2.3 実施期間及びモニタリング計画
    table: str = ""
    key: str = ""  # the row's key (LED-01, or LED-01 2025-04-01 2025-04-30 for a reading)


@dataclass(frozen=True)
class RowChange:
    """A row one side has and the other not."""

    table: str
    key: str
    change: str  # added | removed
    path: str  # on the side that has it
    location: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class ValueChange:
    """A factor row the project supplies, or an evidence file: added, removed or changed."""

    name: str
    change: str  # added | removed | changed
    old: str
    new: str
    location: str = ""
    words: str = ""  # a factor row as the documents name it (Japanese), for the reader; `name` is its key

    def shown(self, lang: str) -> str:
        """What a reader sees: the words in Japanese where there are some, else the name."""
        return self.words if lang == "ja" and self.words else self.name


@dataclass(frozen=True)
class Effect:
    """How one activity's result moved, and why."""

    activity: str
    old: Decimal | None
    new: Decimal | None
    causes: tuple[str, ...]

    @property
    def delta(self) -> Decimal:
        """New minus old, an activity on one side only counting 0 on the other (exact t-CO2)."""
        return (self.new or Decimal(0)) - (self.old or Decimal(0))


@dataclass
class ResultChange:
    """The effect on one calculation (monitored or estimate): totals and the activities that moved."""

    kind: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_certified: int | None
    new_certified: int | None
    effects: list[Effect]
    old_errors: int = 0
    new_errors: int = 0

    @property
    def delta(self) -> Decimal | None:
        """The change of the exact total; None while either side has no total."""
        if self.old_total is None or self.new_total is None:
            return None
        return self.new_total - self.old_total

    @property
    def changed(self) -> bool:
        """Whether anything in it moved."""
        return bool(self.effects) or self.delta not in (None, 0) or self.old_errors != self.new_errors


@dataclass
class Diff:
    """Everything that differs between two versions of a project."""

    old: Snapshot
    new: Snapshot
    fields: list[FieldChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    factors: list[ValueChange] = field(default_factory=list)
    evidence: list[ValueChange] = field(default_factory=list)
    results: list[ResultChange] = field(default_factory=list)
    appeared: list[dict] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)

    @property
    def activities_added(self) -> list[str]:
        """Activity ids only the new version lists."""
        return [row.key for row in self.rows if row.table == ACTIVITIES and row.change == "added"]

    @property
    def activities_removed(self) -> list[str]:
        """Activity ids only the old version lists."""
        return [row.key for row in self.rows if row.table == ACTIVITIES and row.change == "removed"]

    @property
    def changed(self) -> bool:
        """Whether the two versions differ in anything the diff shows."""
        return bool(
            self.fields
            or self.rows
            or self.factors
            or self.evidence
            or self.appeared
            or self.resolved
            or any(result.changed for result in self.results)
        )


def compare(old: Snapshot, new: Snapshot) -> Diff:
    """Everything that differs from `old` to `new`."""
    found = Diff(old, new)
    stub = {"project": {"type": new.type or old.type, "methodology": {"code": new.code or old.code}}}
    found.fields = _fields(old, new, stub)
    touched: dict[str, set[str]] = {}  # activity id -> causes found in its rows
    for name in sorted(set(old.tables) | set(new.tables), key=_table_order):
        changes, rows = _table(name, old, new, stub, touched)
        found.fields += changes
        found.rows += rows
    found.factors = _values(old.factors, new.factors)
    found.evidence = _values(
        {path: (digest, "") for path, digest in old.evidence.items()},
        {path: (digest, "") for path, digest in new.evidence.items()},
    )
    project_changed = any(
        change.path.split(".")[0].split("[")[0] not in NOT_CAUSES
        for change in found.fields
        if not change.table
    )
    for kind in KINDS:
        result = _results(kind, getattr(old, kind), getattr(new, kind), touched, old, new, project_changed)
        if result is not None:
            found.results.append(result)
    found.appeared, found.resolved = _findings(old, new)
    return found


def _table_order(name: str) -> tuple:
    return (name != ACTIVITIES, name == READINGS, name)


def _where(snapshot: Snapshot, path: str) -> str:
    location = snapshot.sources.locate(path)
    return str(location) if location else ""


def _heading(stub: Mapping, path: str) -> tuple[str, str]:
    heading = sections.of_path(stub, path)
    return (heading.document, heading.text()) if heading else ("", "")


def _fields(old: Snapshot, new: Snapshot, stub: Mapping) -> list[FieldChange]:
    changes = []
    for path in _union(old.fields, new.fields):
        before, after = old.fields.get(path, ""), new.fields.get(path, "")
        if before != after:
            document, section = _heading(stub, path)
            where = _where(new, path) if path in new.fields else _where(old, path)
            changes.append(
                FieldChange(path, before, after, where, schema.label(stub, path), document, section)
            )
    return changes


def _union(first: Mapping, second: Mapping) -> list:
    """Keys of both, in the first's order, then the second's new ones in theirs."""
    return [*first, *(key for key in second if key not in first)]


def _shown(text: str) -> str:
    return {"None": "", "True": "true", "False": "false"}.get(text, text)


def _same(before: str, after: str) -> bool:
    """Whether two cell texts are one value: 1.50 and 1.5, None and empty."""
    before, after = _shown(before), _shown(after)
    if before == after:
        return True
    try:
        return Decimal(before) == Decimal(after)
    except (InvalidOperation, ValueError):
        return False


def _table(
    name: str, old: Snapshot, new: Snapshot, stub: Mapping, touched: dict[str, set[str]]
) -> tuple[list[FieldChange], list[RowChange]]:
    empty = TableShot((), {}, None)
    before, after = old.tables.get(name, empty), new.tables.get(name, empty)
    cause = "reading" if name == READINGS else "activity"
    changes: list[FieldChange] = []
    rows: list[RowChange] = []
    for key, (index, values) in after.rows.items():
        kept = before.rows.get(key)
        if kept is None:
            rows.append(_row(name, key, "added", index, values, after, new))
            _touch(touched, after, values, cause if name != ACTIVITIES else "added")
            continue
        if kept[1] == values:  # most rows: one string comparison
            continue
        old_cells = dict(zip(before.columns, kept[1].split(SEP)))
        moved = False
        for column, value in zip(after.columns, values.split(SEP)):
            previous = old_cells.get(column, "None")
            if _same(previous, value):
                continue
            moved = True
            path = f"{name}[{index}].{column}"
            document, section = _heading(stub, path)
            changes.append(
                FieldChange(
                    path,
                    _shown(previous),
                    _shown(value),
                    _where(new, path),
                    schema.label(stub, path),
                    document,
                    section,
                    name,
                    _key_text(key),
                )
            )
        if moved:
            _touch(touched, after, values, cause)
    for key, (index, values) in before.rows.items():
        if key not in after.rows:
            rows.append(_row(name, key, "removed", index, values, before, old))
            _touch(touched, before, values, cause if name != ACTIVITIES else "removed")
    return changes, rows


def _touch(touched: dict[str, set[str]], table: TableShot, values: str, cause: str) -> None:
    if table.activity is not None:
        activity = values.split(SEP)[table.activity]
        touched.setdefault(activity, set()).add(cause)


def _key_text(key: str) -> str:
    return " ".join(part for part in key.split(SEP))


def _row(
    name: str, key: str, change: str, index: int, values: str, table: TableShot, side: Snapshot
) -> RowChange:
    path = f"{name}[{index}]"
    cells = {
        column: _shown(value) for column, value in zip(table.columns, values.split(SEP)) if _shown(value)
    }
    first = f"{path}.{table.columns[0]}" if table.columns else path  # a cell, not a bare row number
    return RowChange(name, _key_text(key), change, path, _where(side, first), cells)


def _values(old: Mapping[str, tuple[str, ...]], new: Mapping[str, tuple[str, ...]]) -> list[ValueChange]:
    """Rows keyed by name, each (value, location[, words]): added, removed, or with another value."""
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        words = (after or before)[2:]  # the name is one side's at least
        if before is None and after is not None:
            changes.append(ValueChange(name, "added", "", after[0], after[1], *words))
        elif after is None and before is not None:
            changes.append(ValueChange(name, "removed", before[0], "", before[1], *words))
        elif before is not None and after is not None and before[0] != after[0]:
            changes.append(ValueChange(name, "changed", before[0], after[0], after[1], *words))
    return changes


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _results(
    kind: str,
    old: Results | None,
    new: Results | None,
    touched: Mapping[str, set[str]],
    old_side: Snapshot,
    new_side: Snapshot,
    project_changed: bool,
) -> ResultChange | None:
    if old is None and new is None:
        return None
    old = old or Results(False, 0, "", None, {}, {})
    new = new or Results(False, 0, "", None, {}, {})
    effects = []
    for activity in _union(old.activities, new.activities):
        before, after = old.activities.get(activity), new.activities.get(activity)
        if before is not None and after is not None and Decimal(before) == Decimal(after):
            continue
        causes = set(touched.get(activity, ()))
        if kind == "estimate":
            causes.discard("reading")  # readings never feed the plan's estimate
        if before is None:
            causes = {"added"}
        elif after is None:
            causes = {"removed"}
        else:
            if old.factors.get(activity) != new.factors.get(activity):
                causes.add("factor")
            if old_side.rules_version != new_side.rules_version:
                causes.add("rules_version")
            if not causes and project_changed:
                causes.add("project")
            if not causes:
                causes.add("other")
        effects.append(
            Effect(
                activity,
                _number(before or ""),
                _number(after or ""),
                tuple(cause for cause in CAUSES if cause in causes),
            )
        )
    return ResultChange(
        kind,
        _number(old.total),
        _number(new.total),
        old.certified,
        new.certified,
        effects,
        old.errors,
        new.errors,
    )


def _findings(old: Snapshot, new: Snapshot) -> tuple[list[dict], list[dict]]:
    def listed(snapshot: Snapshot, keys) -> list[dict]:
        rows = []
        for key in keys:
            finding = snapshot.findings[key]
            heading = sections.of_section(finding.section, snapshot.type)
            rows.append(
                {
                    "severity": finding.severity,
                    "rule": finding.rule,
                    "path": finding.path,
                    "section": finding.section,
                    "heading": heading.text() if heading else finding.section,
                    "document": document_of(finding.section),
                    "location": str(finding.location) if finding.location else "",
                    "label_ja": finding.label_in("ja"),
                    "label_en": finding.label_in("en"),
                    "message_ja": finding.message("ja"),
                    "message_en": finding.message("en"),
                }
            )
        return rows

    old_keys, new_keys = _stable_keys(old), _stable_keys(new)
    old_stable, new_stable = set(old_keys.values()), set(new_keys.values())
    appeared = [key for key, stable in new_keys.items() if stable not in old_stable]
    resolved = [key for key, stable in old_keys.items() if stable not in new_stable]
    return listed(new, appeared), listed(old, resolved)


def _stable_keys(snapshot: Snapshot) -> dict[tuple, tuple]:
    """Each finding's key with a row's position replaced by the row's key (monitoring[5] -> monitoring[LED-01 …]):
    a reading inserted above moves every later row, and their findings are still the same findings."""
    positions: dict[str, dict[int, str]] = {}
    found = {}
    for key in snapshot.findings:
        rule, path, *rest = key
        match = _ROW.match(path)
        if match and match.group(1) in snapshot.tables:
            table = match.group(1)
            if table not in positions:
                positions[table] = {index: row for row, (index, _) in snapshot.tables[table].rows.items()}
            row = positions[table].get(int(match.group(2)))
            if row is not None:
                path = f"{table}[{row}]{match.group(3)}"
        found[key] = (rule, path, *rest)
    return found
