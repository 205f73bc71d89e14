"""Validate a loaded project: coerce values per schema, run the Cerberus rules, flatten every problem.

Validation never stops at the first problem. Empty fields are not errors here (draft mode): the
checklist reports what is missing. Rows of tables go through `rowcheck`, the fast mirror of Cerberus.
"""

from __future__ import annotations

import difflib
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple

from toolkit import messages, schema
from toolkit.forked import Shared
from toolkit.problems import Problem
from toolkit.project import Project
from toolkit.read import normalize
from toolkit.read.folder import LoadedProject, load_project
from toolkit.validate.field_rules import TIDY_FORMATS, Context, Validator, tidy_format
from toolkit.validate.rowcheck import NotCompilable, RuleError, compile_table

_BUILTIN_CODES = {0x02: "required", 0x03: "unknown_field"}
# rows are checked a chunk at a time; from this many rows in all, the chunks are shared with a forked child
# (about 3 µs a row: below it, starting a process costs more than half the checks save)
CHUNK_ROWS = 4_000
SHARED_ROWS = 20_000


class Validation:
    """The outcome: the project as coerced, and every problem sorted by location.

    The rows of a large table may still be being checked, in a forked child, when validation returns (see
    `_Checker.run`): the problems are complete once asked for, which waits for them. Until then the project
    is only coerced: what is made of it counts once `valid` says so."""

    def __init__(self, project: Project, problems: Callable[[], list[Problem]] | list[Problem]):
        self.project = project
        self._problems = problems

    @property
    def problems(self) -> list[Problem]:
        """Every problem, sorted by location (then those added by `extend`, in their order)."""
        if callable(self._problems):
            self._problems = self._problems()
        return self._problems

    @problems.setter
    def problems(self, problems: list[Problem]) -> None:
        self._problems = problems

    def extend(self, problems: list[Problem]) -> None:
        """Problems found beside validation (factors.yaml, other_programs.csv), after its own: not waiting."""
        if callable(self._problems):
            found = self._problems
            self._problems = lambda: found() + problems
        else:
            self._problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the project from being computed."""
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems reported but not stopping anything (notes on changed values, skipped checks)."""
        return [problem for problem in self.problems if problem.severity == "warning"]

    @property
    def valid(self) -> bool:
        """Whether no problem is an error."""
        return not self.errors


def validate(target: Path | LoadedProject) -> Validation:
    """Load (unless given loaded) and validate a project; returns all problems, raises nothing for bad data."""
    loaded = target if isinstance(target, LoadedProject) else load_project(Path(target))
    checker = _Checker(loaded)
    checker.run()

    def problems() -> list[Problem]:
        found = [checker.labelled(problem) for problem in loaded.problems] + checker.finish()
        file_order = {loaded.relative(path): index for index, path in enumerate(loaded.files)}
        found.sort(
            key=lambda problem: (
                file_order.get(problem.location.file, len(file_order)) if problem.location else -1,
                problem.sort_key(),
            )
        )
        return found

    project = Project.of(loaded.root, loaded.project_file, loaded.files, checker.data, loaded.sources)
    return Validation(project, problems)


def chunk_starts(lengths: list[int], least: int) -> tuple[int, list[tuple[int, int]]]:
    """(size, [(table, first row)]): each table's rows cut into chunks of `size` rows, at least `least`, and
    at most 255 chunks in all: `Shared` hands out 256 numbers, and the key checks take the last."""
    size = max(least, 1, -(-sum(lengths) // (255 - len(lengths))))  # each table's last chunk may be partial
    return size, [(which, start) for which, length in enumerate(lengths) for start in range(0, length, size)]


class KeyFindings(NamedTuple):
    """The checks across rows, from the data alone: the paths of rows with data but no ID, the repeated
    activity IDs (index, ID, index of its first row), the rows naming an activity not listed (path, ID), and
    whether any activity has an ID."""

    missing: list[str]
    repeated: list[tuple[int, Any, int]]
    unknown: list[tuple[str, Any]]
    listed: bool


def _compiled(rules_schema: Mapping) -> Callable | None:
    """The table's fast row check, or None where only Cerberus mirrors its schema."""
    try:
        return compile_table(rules_schema)
    except NotCompilable:
        return None


def repeated_keys(
    rows: Iterable[Mapping], key: str, first: dict[Any, int], start: int = 0
) -> Iterator[tuple[int, Any, int]]:
    """(index, value, index of the first row with it) for each row whose `key` an earlier row has (the rule
    duplicate_id). `first` keeps each value's first row, so a table checked in slices (`start`: the first
    row's index) is checked as a whole."""
    for index, row in enumerate(rows, start):
        identifier = row.get(key)
        if identifier is None:
            continue
        if identifier in first:
            yield index, identifier, first[identifier]
        else:
            first[identifier] = index


class _Checker:
    def __init__(self, loaded: LoadedProject):
        self.loaded = loaded
        self.data = dict(loaded.data)  # coerced values go here: what was read stays as read
        self.context = Context(loaded.root)
        self.problems: list[Problem] = []
        self.finished = False
        project_type, code = schema.declared(loaded.data)
        self.project_schema = schema.project_schema(project_type)
        self.tables = schema.tables_of(loaded.data)
        if code and not self.tables:  # a code given but unknown: say what could not be checked
            present = sorted(
                name for name in schema.table_keys() if name in loaded.data or name == "activities"
            )
            self.add("tables_skipped", "project.methodology.code", {"tables": ", ".join(present)}, "warning")

    # -- labels and locations -----------------------------------------------------------------
    def meta(self, path: str) -> Mapping:
        return schema.field_meta(self.data, path)

    def labelled(self, problem: Problem) -> Problem:
        if problem.label or not problem.path:
            return problem
        meta = self.meta(problem.path)
        return Problem(
            problem.code,
            problem.path,
            problem.location,
            problem.params,
            meta.get("label", {}),
            meta.get("section", ""),
            problem.severity,
        )

    def add(self, code: str, path: str, params: Mapping[str, Any], severity: str = "error") -> None:
        meta = self.meta(path)
        self.problems.append(
            Problem(
                code,
                path,
                self.loaded.sources.locate(path),
                params,
                meta.get("label", {}),
                meta.get("section", ""),
                severity,
            )
        )

    # -- the run ------------------------------------------------------------------------------
    def run(self) -> None:
        data = self.data
        document = {key: value for key, value in data.items() if key not in schema.table_keys()}
        document = self.coerce_mapping(document, self.project_schema, "")
        data.update(document)
        validator = Validator(self.project_schema, context=self.context)
        validator.validate(document)
        for error in _leaves(validator._errors):
            self.report(_rule_error(error), self.project_schema)
        for table in self.tables.values():
            rows = [dict(row) for row in data.get(table.name) or []]
            if table.name in data:
                data[table.name] = rows
            self.coerce_rows(table, rows)
        self.row_checks = self.check_rows()

    def finish(self) -> list[Problem]:
        """Every problem: the row checks' errors (waiting for them), then the checks across rows. Once."""
        if self.finished:
            return self.problems
        *checked, keys = self.row_checks.results()
        self.finished = True
        for table, found in checked:
            for index, errors in found:
                for error in errors:
                    self.report(
                        error._replace(path=(table.name, index) + error.path),
                        {table.name: {"schema": table.schema}},
                    )
        self.check_keys(keys)
        return self.problems

    def coerce_mapping(self, document: dict, rules_schema: Mapping, prefix: str) -> dict:
        result = {}
        for key, value in document.items():
            path = f"{prefix}.{key}" if prefix else key
            rules = rules_schema.get(key)
            if rules is None:
                result[key] = value
            elif rules.get("type") == "dict" and isinstance(value, dict):
                result[key] = self.coerce_mapping(value, rules.get("schema", {}), path)
            else:
                result[key] = self.coerce_value(value, rules, path)
        return result

    def coerce_value(self, value: Any, rules: Mapping, path: str) -> Any:
        """The value as its field's type; errors and notes are reported where it came from."""
        noted: list[tuple] = []
        coerced = self.coerced(value, rules, path, normalize.coercer(rules.get("type")), noted)
        for code, where, before, after in noted:
            self.add(code, where, {"found": before, "value": after}, "warning")
        return coerced

    def coerced(self, value: Any, rules: Mapping, path: str, coerce, noted: list[tuple]) -> Any:
        """One value coerced; an error is reported, notes are collected in `noted` as (code, path, before, after)."""
        if coerce is None:
            return value
        try:
            coerced, notes = coerce(value, rules.get("meta", {}).get("unit"))
        except normalize.NormalizeError as error:
            self.add(error.code, path, {"found": error.found, **error.params})
            return None
        if not self.plausible(coerced, rules, path, value):
            return None
        for note in notes:
            noted.append((note.code, path, note.found, note.value))
        if rules.get("format") in TIDY_FORMATS:
            tidy = tidy_format(rules["format"], coerced)
            if tidy != coerced:
                noted.append(
                    (
                        "postal_code_form" if rules["format"] == "postal_code" else "fullwidth",
                        path,
                        coerced,
                        tidy,
                    )
                )
                coerced = tidy
        return coerced

    def coerce_rows(self, table: schema.Table, rows: list[dict]) -> None:
        for key, rules in table.schema.items():
            type_name = rules.get("type")
            coerce = normalize.coercer(type_name)
            if coerce is None:
                continue
            unit = rules.get("meta", {}).get("unit")
            plain = rules.get("format") not in TIDY_FORMATS
            plausible = rules.get("meta", {}).get("plausible")
            low, high = plausible or (-math.inf, math.inf)
            bounds = (max(float(low), -sys.float_info.max), min(float(high), sys.float_info.max))
            if "min" in rules:
                low = -math.inf  # below the field's own min, the min rule says it better
            noted: list[tuple] = []
            for index in normalize.coerce_column(rows, key, type_name, bounds) if plain else range(len(rows)):
                row = rows[index]
                value = row.get(key)
                if value is None or value == "":
                    row[key] = None
                    continue
                if plain:
                    try:
                        coerced, notes = coerce(value, unit)
                    except normalize.NormalizeError:
                        pass  # reported below, with its place
                    else:
                        if plausible is None or coerced is None or low <= coerced <= high:
                            row[key] = coerced
                            if notes:  # canonical values, the common case, need no path at all
                                path = f"{table.name}[{index}].{key}"
                                noted += [(note.code, path, note.found, note.value) for note in notes]
                            continue
                row[key] = self.coerced(value, rules, f"{table.name}[{index}].{key}", coerce, noted)
            self.add_grouped(noted)

    def plausible(self, value: Any, rules: Mapping, path: str, found: Any) -> bool:
        """Whether a coerced number lies in its field's plausible range; reported where it came from if not."""
        if _within(value, rules):
            return True
        meta = rules["meta"]
        low, high = meta["plausible"]
        unit = f" {meta['unit']}" if meta.get("unit") else ""
        self.add("implausible", path, {"found": found, "low": f"{low:,}", "high": f"{high:,}", "unit": unit})
        return False

    def add_grouped(self, noted: list[tuple]) -> None:
        """One warning per kind of change in a column: a column of 120,000 typed dates is one line, not 120,000."""
        groups: dict[str, list[tuple]] = {}
        for entry in noted:
            groups.setdefault(entry[0], []).append(entry)
        for code, entries in groups.items():
            _, path, before, after = entries[0]
            params: dict[str, Any] = {"found": before, "value": after}
            if len(entries) > 1:
                cells = [
                    str(self.loaded.sources.locate(entry[1])).rsplit("!", 1)[-1] for entry in entries[1:4]
                ]
                params.update(
                    more=len(entries) - 1, cells=", ".join(cells) + (" …" if len(entries) > 4 else "")
                )
            self.add(code, path, params, "warning")

    def check_rows(self) -> Shared:
        """Every table's rows checked by its schema, a chunk of rows at a time: (table, [(row index, its rule
        errors)]) per chunk, then the key checks' `KeyFindings`. A large program's chunks are shared with a
        forked child, which starts at once (`forked.Shared`): while this process computes, the child checks;
        asked for the errors at once, each does about half."""
        tables = [table for table in self.tables.values() if self.data.get(table.name)]
        rows = [len(self.data[table.name]) for table in tables]
        size, starts = chunk_starts(rows, CHUNK_ROWS)
        checks = [_compiled(table.schema) for table in tables]
        chunks = [(tables[which], start, checks[which]) for which, start in starts]

        def check(number: int) -> tuple[schema.Table, list] | KeyFindings:
            if number == len(chunks):  # the last: the checks across rows
                return self.key_findings()
            table, start, compiled = chunks[number]
            part = self.data[table.name][start : start + size]
            if compiled is None:
                found = ((index, self.cerberus(table, row)) for index, row in enumerate(part, start))
                return table, [(index, errors) for index, errors in found if errors]
            return table, [(start + index, errors) for index, errors in compiled(part, self.context)]

        return Shared(check, len(chunks) + 1, fork=sum(rows) >= SHARED_ROWS)

    def cerberus(self, table: schema.Table, row: dict) -> list:
        """The errors Cerberus finds in one row: for a schema the fast checks do not mirror."""
        validator = Validator(table.schema, context=self.context)
        validator.validate(row)
        return [_rule_error(error) for error in _leaves(validator._errors)]

    def key_findings(self) -> KeyFindings:
        """What the checks across rows find in the data alone (see `check_keys`)."""
        missing = [
            f"{table.name}[{index}].{key}"
            for table in self.tables.values()
            for key in (table.key, "activity_id")
            if key is not None and key in table.schema
            for index, row in enumerate(self.data.get(table.name) or [])
            if row.get(key) is None and any(value is not None for value in row.values())
        ]
        activities = self.tables.get("activities")
        if activities is None or not activities.key:
            return KeyFindings(missing, [], [], False)
        first: dict[Any, int] = {}
        repeated = list(repeated_keys(self.data.get("activities") or [], activities.key, first))
        unknown = [
            (f"{table.name}[{index}].activity_id", identifier)
            for table in self.tables.values()
            if "activity_id" in table.schema
            for index, row in enumerate(self.data.get(table.name) or [])
            if (identifier := row.get("activity_id")) is not None and identifier not in first
        ]
        return KeyFindings(missing, repeated, unknown, bool(first))

    def check_keys(self, found: KeyFindings) -> None:
        """Every row with data has its ID (its key, or the activity it belongs to): without, it would vanish from
        every total. Activity IDs are unique, and every other table refers to a listed activity."""
        for path in found.missing:
            self.add("id_missing", path, {})
        activities = self.tables.get("activities")
        if activities is None or not activities.key:
            return
        key = activities.key
        for index, identifier, earlier in found.repeated:
            self.add(
                "duplicate_id",
                f"activities[{index}].{key}",
                {
                    "found": identifier,
                    "first": str(self.loaded.sources.locate(f"activities[{earlier}].{key}")),
                },
            )
        broken = [
            p
            for p in self.loaded.problems + self.problems
            if p.severity == "error"
            and p.code != "duplicate_id"
            and p.path.startswith("activities[")
            and p.path.endswith(f".{key}")
        ]
        if not found.listed or broken:  # with an unreadable ID, every reading of it would look orphaned
            return
        for path, identifier in found.unknown:
            self.add("unknown_activity", path, {"found": identifier})

    # -- turning rule errors into problems ----------------------------------------------------
    def report(self, error: RuleError, rules_schema: Mapping) -> None:
        path = _dotted(error.path)
        params: dict[str, Any] = {"found": error.value}
        rule = error.rule
        if rule == "type":
            params["expected"] = messages.TYPE_NAMES.get(
                error.constraint, {"ja": str(error.constraint), "en": str(error.constraint)}
            )
        elif rule == "allowed":
            params.update(_choices(error.constraint, error.value))
        elif rule in ("min", "max"):
            params["limit"] = messages.show(error.constraint, "en")
        elif rule in ("minlength", "maxlength"):
            params.update(limit=error.constraint, length=len(error.value))
        elif rule == "unknown_field":
            siblings = _sibling_keys(rules_schema, error.path)
            close = difflib.get_close_matches(str(error.path[-1]), siblings, n=1)
            params["hint"] = messages.did_you_mean(close and close[0])
        else:
            params.update(error.params)
            rule = params.pop("variant", rule)
            if "other_field" in params:
                other = _dotted(error.path[:-1] + (params.pop("other_field"),))
                params["other"] = self.meta(other).get("label", {"ja": other, "en": other})
        self.add(rule, path, params)


def _within(value: Any, rules: Mapping) -> bool:
    """Whether a number is inside the field's `meta.plausible` range (anything else is another rule's concern)."""
    bounds = rules.get("meta", {}).get("plausible")
    if bounds is None or isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return True
    # below a field's own `min` the min rule says it better (expected at least 0, found -4)
    return value <= bounds[1] and ("min" in rules or bounds[0] <= value)


def _leaves(errors) -> Iterator:
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error


def _rule_error(error) -> RuleError:
    rule = error.rule or _BUILTIN_CODES.get(error.code, "custom")
    params = error.info[0] if error.info and isinstance(error.info[0], dict) else {}
    return RuleError(tuple(error.document_path), rule, error.constraint, error.value, params)


def _dotted(parts: tuple) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _choices(allowed: list, value: Any) -> dict:
    close = difflib.get_close_matches(str(value), [str(choice) for choice in allowed], n=1, cutoff=0.5)
    hint = messages.did_you_mean(close and close[0])
    if len(allowed) <= 8:
        return {"choices": "、".join(map(str, allowed)), "hint": hint}
    return {
        "choices": {
            "ja": f"{len(allowed)}個の候補（{allowed[0]} など）",
            "en": f"{len(allowed)} choices (such as {allowed[0]})",
        },
        "hint": hint,
    }


def _sibling_keys(rules_schema: Mapping, path: tuple) -> list[str]:
    level: Mapping = rules_schema
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        rules = level.get(part, {})
        level = rules.get("schema", {}) if isinstance(rules.get("schema"), Mapping) else {}
    return list(level)
