"""Load a project folder into plain values plus a source map (`project.yaml:12`, `activities.xlsx!活動一覧!D7`).

Values are raw here: strings, numbers, dates as read. `normalize` and `validation` make them canonical.
"""

from __future__ import annotations

import difflib
import operator
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import messages, methodologies, schema
from toolkit.errors import InputError
from toolkit.problems import Location, Problem, column_letter
from toolkit.read.confine import Context, check_inside_project
from toolkit.read.yamlfile import read_yaml

PROJECT_FILES = ("project.yaml", "project.yml", "project.json", "project.xlsx")
PROJECT_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
PROJECT_SHEETS = ("プロジェクト", "project")
_PATH = re.compile(r"(\w+)\[(\d+)\](?:\.(\w+))?$")
_PARENT = re.compile(r"(?:\.[^.\[\]]+|\[\d+\])$")


@dataclass(frozen=True)
class SheetRef:
    """A sheet that rows were read from and the column of each key."""

    file: str
    sheet: str
    columns: dict[str, int]


@dataclass
class SourceMap:
    """Where each value came from, by dotted path; table cells are computed, not stored one by one."""

    places: dict[str, Location] = field(default_factory=dict)
    tables: dict[str, tuple[list[SheetRef], list[int]]] = field(default_factory=dict)

    def locate(self, path: str) -> Location | None:
        """Where a dotted path was read: a table row's cell, or the nearest YAML line of it or a parent."""
        match = _PATH.match(path)
        if match and match.group(1) in self.tables:
            refs, rows = self.tables[match.group(1)]
            index = int(match.group(2))
            if index < len(rows):
                ref = refs[index]
                return Location(
                    ref.file, sheet=ref.sheet, row=rows[index], col=ref.columns.get(match.group(3) or "")
                )
        while path:
            if path in self.places:
                return self.places[path]
            path = _PARENT.sub("", path) if _PARENT.search(path) else ""
        return None


@dataclass
class LoadedProject:
    """A project folder as read: values, where they came from, and the problems met while reading."""

    root: Path
    project_file: Path
    data: dict[str, Any]
    sources: SourceMap
    problems: list[Problem]
    files: list[Path]

    def relative(self, path: Path) -> str:
        """How messages name a file: relative to the project folder, or as given when outside it."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def find_project_file(target: Path) -> Path:
    """The project file for a folder or a file argument; InputError when there is none."""
    try:
        if target.is_file() and target.suffix.lower() in PROJECT_SUFFIXES:
            return target
        if target.is_dir():
            for name in PROJECT_FILES:
                if (target / name).is_file():
                    return target / name
    except OSError as error:
        raise InputError(
            str(target),
            [
                Problem(
                    "not_readable",
                    location=Location(str(target)),
                    params={"reason": error.strerror or str(error)},
                )
            ],
        ) from error
    raise InputError(str(target), [Problem("no_project_file", params={"found": str(target)})])


def load_project(
    target: Path, monitoring: Path | None = None, activities: Path | None = None
) -> LoadedProject:
    """Read the project file and every table it refers to; problems are collected, not raised.

    `monitoring` names a readings file to use instead of the project's own (`calc --monitoring`);
    `activities` a workbook of activity rows to read instead of the project's (`batch`: new members,
    checked against the project's own fields), and then no readings are read.
    """
    found = find_project_file(Path(target))
    root = found.parent.resolve()  # the folder named; a project file that links out of it is refused
    project_file = root / found.name
    refused = check_inside_project(True, found.name, {}, Context(root))
    if refused:  # a link out of the folder is neither read nor quoted
        problem = Problem(refused.pop("variant"), location=Location(found.name), params=refused)
        raise InputError(str(project_file), [problem])
    loaded = LoadedProject(root, project_file, {}, SourceMap(), [], [project_file])
    reader = _Reader(loaded)
    others = [name for name in PROJECT_FILES if name != found.name and (root / name).is_file()]
    if others:
        reader.problem(
            "project_file_ambiguous",
            Location(found.name),
            severity="warning",
            used=found.name,
            ignored="、".join(others),
        )
    loaded.data = reader.project_file(project_file)
    if not loaded.data and not any(problem.severity == "error" for problem in loaded.problems):
        reader.problem("project_empty", Location(found.name), found=found.name)
    if not schema.tables_of(loaded.data):
        reader.tables_unread()
    # an unknown code leaves no tables: validation reports it, and rows cannot be read without their columns
    tables = schema.tables_of(loaded.data)
    instead = {"monitoring": monitoring, "activities": activities}
    skipped = {name for name, path in instead.items() if path is not None}
    skipped |= {"monitoring"} if activities is not None else set()
    reader.read_ahead([table for table in tables.values() if table.name not in skipped])
    try:
        for table in tables.values():
            if table.name == "monitoring" and activities is not None:
                loaded.data[table.name] = []
            elif instead.get(table.name) is not None:
                loaded.data[table.name] = reader.table_file(
                    table, Path(instead[table.name]).resolve(), None, explicit=True
                )
            else:
                loaded.data[table.name] = reader.table(table, loaded.data.get(table.name))
    finally:
        for book in reader.workbooks.values():
            if book:
                book.close()
    return loaded


class _Reader:
    def __init__(self, loaded: LoadedProject):
        self.loaded = loaded
        self.context = Context(loaded.root)
        self.workbooks: dict[Path, Any] = {}

    # -- problems -----------------------------------------------------------------------------
    def problem(
        self, code: str, location: Location | None, path: str = "", severity: str = "error", **params
    ):
        self.loaded.problems.append(Problem(code, path, location, params, severity=severity))

    def tables_unread(self) -> None:
        """Without a known methodology no table can be read (its columns are the methodology's): with no code
        at all (a draft), the table files present are opened, so a broken one is an error, and named as unread."""
        if schema.declared(self.loaded.data)[1]:
            return  # an unknown code is reported by validation, with what was skipped
        root = self.loaded.root
        present: set[str] = set()
        for code in methodologies.codes():
            for name, table in schema.tables(code).items():
                if isinstance(self.loaded.data.get(name), list) and self.loaded.data[name]:
                    present.add(name)  # rows written in the project file
                for path in root.glob(table.file):
                    if path.name.startswith("~$") or path.relative_to(root).as_posix() in present:
                        continue
                    present.add(path.relative_to(root).as_posix())
                    if self.inside(path.relative_to(root).as_posix(), name):
                        self.workbook(path, None)  # a broken file is an error whatever the methodology
        if present:
            self.problem(
                "methodology_needed_for_tables",
                self.loaded.sources.locate("project.methodology.code")
                or Location(self.loaded.relative(self.loaded.project_file)),
                "project.methodology.code",
                severity="warning",
                tables=", ".join(sorted(present)),
            )

    def read_ahead(self, tables: list[schema.Table]) -> None:
        """Open the later tables' workbooks and start checking their sheets while the first are read.

        Only files inside the project that the reading itself would open; any refusal is left to it."""
        later = tables[1:]  # the first table is read at once: nothing to overlap with
        for table in later:
            reference = self.loaded.data.get(table.name)
            sheet_name, explicit = None, table.required  # as the reading will pick the sheet (table_file)
            if isinstance(reference, dict) and isinstance(reference.get("file"), str):
                names = [reference["file"]]
                sheet_name = reference.get("sheet") if isinstance(reference.get("sheet"), str) else None
                explicit = True
            elif reference is None and "*" in table.file:
                names = [
                    path.relative_to(self.loaded.root).as_posix()
                    for path in sorted(self.loaded.root.glob(table.file))
                ]
            elif reference is None:
                names = [table.file]
            else:
                continue
            for relative in names:
                path = self.loaded.root / relative
                if (
                    not relative.lower().endswith(".xlsx")
                    or Path(relative).name.startswith("~$")
                    or path in self.workbooks
                    or check_inside_project(True, relative, {}, self.context)
                    or not path.is_file()
                ):
                    continue
                book = self.workbook(path, Location(self.loaded.relative(path)), ahead=True)
                name = _sheet_of(book.sheet_names, table, sheet_name, explicit) if book else None
                if name is not None:
                    book.read_ahead(name)

    # -- the project file ---------------------------------------------------------------------
    def project_file(self, path: Path) -> dict:
        if path.suffix.lower() == ".xlsx":
            return self.project_workbook(path)
        data = self.yaml_file(path)
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem("yaml_top_level", Location(self.loaded.relative(path)), found=data)
            return {}
        return data

    def yaml_file(self, path: Path, prefix: str = "") -> Any:
        return read_yaml(
            path, self.loaded.relative(path), self.loaded.sources.places, self.loaded.problems, prefix
        )

    def project_workbook(self, path: Path) -> dict:
        book = self.workbook(path, Location(self.loaded.relative(path)))
        if book is None:
            return {}
        name = next((sheet for sheet in PROJECT_SHEETS if sheet in book.sheet_names), None)
        if name is None:
            self.problem(
                "sheet_missing",
                Location(self.loaded.relative(path)),
                sheet=PROJECT_SHEETS[0],
                found="、".join(book.sheet_names),
            )
            return {}
        sheet = self.sheet(book, name, path)
        data: dict = {}
        relative = self.loaded.relative(path)
        for first_row, first_col, last_row, last_col in sheet.merged if sheet else ():
            if first_col <= 3 <= last_col and last_row > first_row and last_row > 1:
                # a value merged over several keys would be read as theirs blank: refused, never guessed
                self.problem(
                    "merged_cells",
                    Location(relative, sheet=name, row=first_row, col=first_col),
                    cells=f"{column_letter(first_col)}{first_row}:{column_letter(last_col)}{last_row}",
                )
        for index, row in enumerate(sheet.rows[1:] if sheet else [], start=2):
            key = str(row[0]).strip() if row and row[0] is not None else ""
            if not key:
                continue
            value = row[2] if len(row) > 2 else ""
            location = Location(relative, sheet=name, row=index, col=3)
            if not all(part.strip() for part in key.split(".")):
                self.problem("key_malformed", Location(relative, sheet=name, row=index, col=1), key=key)
                continue
            self.loaded.sources.places[key] = location
            if (index, 3) in sheet.suspect:
                code, held = sheet.suspect[(index, 3)]
                self.problem(code, location, key, formula=held)
                value = ""
            conflict = _set_path(data, key.split("."), None if value == "" else value)
            if conflict:
                self.problem("key_conflict", location, key, other=conflict)
        return data

    # -- tables -------------------------------------------------------------------------------
    def table(self, table: schema.Table, reference: Any) -> list[dict]:
        if isinstance(reference, list):
            return [self.inline_row(table, row, f"{table.name}[{i}]") for i, row in enumerate(reference)]
        if isinstance(reference, dict) and isinstance(reference.get("file"), str):
            path = self.inside(reference["file"], f"{table.name}.file")
            sheet = reference.get("sheet")
            return (
                self.table_file(table, path, sheet if isinstance(sheet, str) else None, explicit=True)
                if path
                else []
            )
        if reference is not None:
            self.problem("table_ref", self.loaded.sources.locate(table.name), table.name, found=reference)
            return []
        return self.default_table(table)

    def default_table(self, table: schema.Table) -> list[dict]:
        root = self.loaded.root
        if self.loaded.project_file.suffix.lower() == ".xlsx":
            book = self.workbook(self.loaded.project_file, None)
            if book and any(name in book.sheet_names for name in table.sheet.values()):
                return self.table_file(table, self.loaded.project_file, None, explicit=False)
        folder = (root / table.file).parent
        if folder.is_dir() and not os.access(folder, os.R_OK | os.X_OK):
            self.problem(
                "not_readable", Location(self.loaded.relative(folder)), table.name, reason="permission denied"
            )
            return []
        candidates = sorted(root.glob(table.file)) if "*" in table.file else [root / table.file]
        files = [path for path in candidates if path.is_file() and not path.name.startswith("~$")]
        rows: list[dict] = []
        found = False
        for path in files:
            if self.inside(path.relative_to(root).as_posix(), table.name):
                book = self.workbook(path, None)
                if book is not None and (
                    table.required or any(name in book.sheet_names for name in table.sheet.values())
                ):
                    rows += self.table_file(table, path, None, explicit=table.required)
                    found = True
        alternative = f"{table.name}.yaml"
        if not files and (root / alternative).is_file() and self.inside(alternative, table.name):
            return self.table_yaml(table, root / alternative)
        if table.required and not found:
            self.problem(
                "table_not_found",
                Location(self.loaded.relative(self.loaded.project_file)),
                table.name,
                severity="warning",
                sheet=table.sheet["ja"],
                file=table.file,
                key=table.name,
            )
        return rows

    def inline_row(self, table: schema.Table, row: Any, path: str) -> dict:
        if not isinstance(row, dict):
            self.problem("row_not_mapping", self.loaded.sources.locate(path), path, found=row)
            return {}
        headers = table.headers
        return {headers.get(schema.header_key(key), key): value for key, value in row.items()}

    def inside(self, relative: str, path: str) -> Path | None:
        """The file a project value points to, if it stays inside the project folder."""
        refusal = check_inside_project(True, relative, {}, self.context)
        if refusal:
            self.problem(refusal.pop("variant"), self.loaded.sources.locate(path), path, **refusal)
            return None
        target = self.loaded.root / relative
        try:
            exists = target.is_file()
        except OSError as error:  # a name too long, a folder without permission
            self.problem(
                "not_readable", self.loaded.sources.locate(path), path, reason=error.strerror or str(error)
            )
            return None
        if not exists:
            self.problem("file_not_found", self.loaded.sources.locate(path), path, found=relative)
            return None
        return target

    def table_file(
        self, table: schema.Table, path: Path, sheet_name: str | None, explicit: bool
    ) -> list[dict]:
        relative = self.loaded.relative(path)
        if path.suffix.lower() in (".yaml", ".yml", ".json"):
            return self.table_yaml(table, path)
        book = self.workbook(path, Location(relative))
        if book is None:
            return []
        wanted = [sheet_name] if sheet_name else list(table.sheet.values())
        name = _sheet_of(book.sheet_names, table, sheet_name, explicit)
        if name is None:
            if explicit or sheet_name:
                self.problem(
                    "sheet_missing",
                    Location(relative),
                    table.name,
                    sheet=wanted[0],
                    found="、".join(book.sheet_names),
                )
            return []
        sheet = self.sheet(book, name, path)
        return self.sheet_rows(table, sheet, relative) if sheet else []

    def table_yaml(self, table: schema.Table, path: Path) -> list[dict]:
        if path not in self.loaded.files:
            self.loaded.files.append(path)
        data = self.yaml_file(path, prefix=table.name)
        if isinstance(data, dict):
            data = data.get(table.name)
        if not isinstance(data, list):
            if data is not None:
                self.problem("table_ref", Location(self.loaded.relative(path)), table.name, found=data)
            return []
        return [self.inline_row(table, row, f"{table.name}[{i}]") for i, row in enumerate(data)]

    def workbook(self, path: Path, location: Location | None, ahead: bool = False):
        """The opened workbook (None when it cannot be); a file counts as read, in reading order, unless opened
        `ahead` of its turn."""
        from toolkit.read.workbook import Workbook, WorkbookError

        if path not in self.workbooks:
            try:
                self.workbooks[path] = Workbook(path)
            except WorkbookError as error:
                self.problem(error.code, location or Location(self.loaded.relative(path)), **error.params)
                self.workbooks[path] = None
            except OSError as error:
                self.problem("not_readable", location, reason=error.strerror or str(error))
                self.workbooks[path] = None
        book = self.workbooks[path]
        if book and not ahead and path not in self.loaded.files:  # the files' order sorts the problems
            self.loaded.files.append(path)
        return book

    def sheet(self, book, name: str, path: Path):
        from toolkit.read.workbook import WorkbookError

        try:
            return book.sheet(name)
        except WorkbookError as error:
            row, col = error.cell or (None, None)
            location = Location(self.loaded.relative(path), sheet=name, row=row, col=col)
            self.problem(error.code, location, **error.params)
            return None

    def merged_cells(self, table: schema.Table, sheet, relative: str, rows, top: int, columns) -> None:
        """Merged cells below the headers: an ID merged down one column is the ID of every row it covers (as a
        reader sees it); any other merge would read as blanks after its first cell, so it is refused."""
        ids = {columns[key] + 1 for key in (table.key, "activity_id") if key in columns}
        read = {index + 1 for index in columns.values()}
        for first_row, first_col, last_row, last_col in sheet.merged:
            if last_row <= top + 1 or not any(first_col <= column <= last_col for column in read):
                continue  # a title, the headers, or columns not read
            if first_col == last_col and first_col in ids and first_row > top + 1:
                value = rows[first_row - 1][first_col - 1] if first_row <= len(rows) else ""
                for row in rows[first_row:last_row]:
                    if row[first_col - 1] in ("", None):
                        row[first_col - 1] = value
                continue
            cells = f"{column_letter(first_col)}{first_row}:{column_letter(last_col)}{last_row}"
            self.problem(
                "merged_cells",
                Location(relative, sheet=sheet.name, row=first_row, col=first_col),
                table.name,
                cells=cells,
            )

    def sheet_rows(self, table: schema.Table, sheet, relative: str) -> list[dict]:
        rows = sheet.rows
        headers = table.headers
        top = _header_row_index(rows, headers)
        header_row = rows[top] if rows else []
        columns: dict[str, int] = {}
        for index, text in enumerate(header_row):
            if text is None or str(text).strip() == "":
                continue
            key = headers.get(schema.header_key(text))
            location = Location(relative, sheet=sheet.name, row=top + 1, col=index + 1)
            if key is None:
                close = difflib.get_close_matches(
                    str(text), [meta["label"]["ja"] for _, meta in table.columns()], n=1
                )
                self.problem(
                    "column_unknown",
                    location,
                    table.name,
                    severity="warning",
                    column=text,
                    hint=messages.did_you_mean(close and close[0]),
                )
            elif key in columns:
                first = Location(relative, sheet=sheet.name, row=top + 1, col=columns[key] + 1)
                self.problem("column_duplicate", location, table.name, column=text, first=str(first))
            else:
                columns[key] = index
        found = "、".join(str(text) for text in header_row if str(text or "").strip()) or "（なし）"
        if not columns:
            labels = [meta["label"]["ja"] for _, meta in table.columns()][:3]
            self.problem(
                "header_missing",
                Location(relative, sheet=sheet.name, row=1, col=1),
                table.name,
                example="、".join(labels),
            )
            return []
        for key, meta in table.columns():
            if key not in columns and not meta.get("optional"):
                self.problem(
                    "column_missing",
                    Location(relative, sheet=sheet.name, row=top + 1, col=1),
                    table.name,
                    column=meta["label"]["ja"],
                    key=key,
                    found=found,
                )
        if sheet.merged:
            self.merged_cells(table, sheet, relative, rows, top, columns)
        ref = SheetRef(relative, sheet.name, {key: index + 1 for key, index in columns.items()})
        refs, row_numbers = self.loaded.sources.tables.setdefault(table.name, ([], []))
        offset = len(refs)
        result: list[dict] = []
        pending_empty: list[int] = []
        pairs = list(columns.items())
        keys = [key for key, _ in pairs]
        # a row's cells of the known columns in one C call (a dict comprehension costs twice as much)
        pick = operator.itemgetter(*(index for _, index in pairs)) if len(pairs) > 1 else None
        width = len(header_row)
        suspect = sheet.suspect
        for number, row in enumerate(rows[top + 1 :], start=top + 2):
            if row.count("") + row.count(None) >= width:
                pending_empty.append(number)
                continue
            if pending_empty:
                for empty in pending_empty:
                    self.problem(
                        "empty_row",
                        Location(relative, sheet=sheet.name, row=empty),
                        table.name,
                        severity="warning",
                    )
                pending_empty.clear()
            record = dict(zip(keys, pick(row))) if pick else {key: row[index] for key, index in pairs}
            if suspect:
                for key, index in pairs:
                    if (number, index + 1) in suspect:
                        code, held = suspect[(number, index + 1)]
                        path = f"{table.name}[{offset + len(result)}].{key}"
                        self.problem(
                            code,
                            Location(relative, sheet=sheet.name, row=number, col=index + 1),
                            path,
                            formula=held,
                        )
                        record[key] = None
            result.append(record)
            row_numbers.append(number)
        refs += [ref] * len(result)  # every row of this sheet: the same columns
        return result


def _sheet_of(names: list[str], table: schema.Table, asked: str | None, explicit: bool) -> str | None:
    """The sheet of a workbook that holds `table`: the one `asked` for, else one with the table's sheet name,
    else, in a file named for the table (`explicit`), its only sheet."""
    wanted = [asked] if asked else list(table.sheet.values())
    name = next((candidate for candidate in wanted if candidate in names), None)
    if name is None and explicit and not asked and len(names) == 1:
        return names[0]
    return name


def _header_row_index(rows: list[list], headers: dict[str, str], looked_at: int = 10) -> int:
    """The headers are the first of the top rows naming two columns or more (a title may sit above them)."""
    for index, row in enumerate(rows[:looked_at]):
        if sum(1 for text in row if text not in ("", None) and schema.header_key(text) in headers) >= 2:
            return index
    return 0


def _set_path(data: dict, parts: list[str], value: Any) -> str | None:
    """Put a value at a dotted path; returns the path that is in the way (a value where a mapping is needed)."""
    for depth, part in enumerate(parts[:-1]):
        data = data.setdefault(part, {})
        if not isinstance(data, dict):
            return ".".join(parts[: depth + 1])
    if isinstance(data.get(parts[-1]), dict):
        return ".".join(parts)
    data[parts[-1]] = value
    return None
