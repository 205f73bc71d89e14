"""Factor rows in the 「係数」 sheet of a project.xlsx (`jcredit init --excel`): the rows of factors.yaml,
one per sheet row, the table's name in the first column, a free text column for instructions (never read),
one column per key, then year, value, unit, source, status and note. Each row is checked as a factors.yaml
row is, and located at its cells (`project.xlsx!係数!E12`).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Callable, Collection, Mapping

from toolkit import messages
from toolkit.problems import Location, Problem

SHEET = {"ja": "係数", "en": "factors"}
SHEET_TABLE = ("table", {"ja": "係数表", "en": "table"})
SHEET_NOTE = ("name", {"ja": "名称・記入のしかた", "en": "name and how to fill"})  # never read
SHEET_FIELDS = (
    ("fiscal_year", {"ja": "年度", "en": "fiscal year"}),
    ("value", {"ja": "値", "en": "value"}),
    ("unit", {"ja": "単位", "en": "unit"}),
    ("source", {"ja": "出典", "en": "source"}),
    ("status", {"ja": "状態", "en": "status"}),
    ("note", {"ja": "備考", "en": "note"}),
)


def sheet_columns(keys: list[str]) -> list[tuple[str, Mapping[str, str]]]:
    """The columns of the 「係数」 sheet for factor tables with `keys` (in order): field and header {ja, en}."""
    return [SHEET_TABLE, SHEET_NOTE, *((key, {"ja": key, "en": key}) for key in keys), *SHEET_FIELDS]


def sheet_rows(
    path: Path, relative: str, problems: list[Problem], known: Collection[str], check: Callable[..., Any]
) -> list[Any]:
    """The override rows of the 「係数」 sheet of a project workbook, each located at its cells: `known` are
    the factor tables, `check(table, entry, path, places, problems)` makes a row of an entry as it does for
    a factors.yaml row (the same checks, the same problems)."""
    from toolkit.read.workbook import Workbook, WorkbookError

    try:
        book = Workbook(path)
        name = next((name for name in SHEET.values() if name in book.sheet_names), None)
        sheet = book.sheet(name) if name else None
    except (WorkbookError, OSError) as error:
        params = getattr(error, "params", None) or {"reason": getattr(error, "strerror", None) or str(error)}
        problems.append(Problem(getattr(error, "code", "not_readable"), "", Location(relative), params))
        return []
    if sheet is None:
        return []
    fields = {header: field for field, labels in (SHEET_TABLE, *SHEET_FIELDS) for header in labels.values()}
    fields.update({field: field for field, _ in (SHEET_TABLE, *SHEET_FIELDS)})
    notes = set(SHEET_NOTE[1].values())
    top = next(
        (
            index
            for index, row in enumerate(sheet.rows[:10])
            if any(_cell_text(cell) in SHEET_TABLE[1].values() for cell in row)
        ),
        None,
    )
    if top is None:
        problems.append(
            Problem(
                "header_missing",
                SHEET["ja"],
                Location(relative, sheet=sheet.name, row=1, col=1),
                {
                    "example": {
                        lang: separator.join(
                            [SHEET_TABLE[1][lang], *(labels[lang] for _, labels in SHEET_FIELDS[:3])]
                        )
                        for lang, separator in (("ja", "、"), ("en", ", "))
                    }
                },
            )
        )
        return []
    columns: dict[int, str] = {}
    for index, cell in enumerate(sheet.rows[top]):
        text = _cell_text(cell)
        if text and text not in notes:
            columns[index] = fields.get(text, text)  # any other header names a key column
    rows: list[Any] = []
    counts: dict[str, int] = {}
    for number, cells in enumerate(sheet.rows[top + 1 :], start=top + 2):
        entry: dict[str, Any] = {}
        places: dict[str, Location] = {}
        suspect: list[tuple[str, str, Location]] = []
        for index, field in columns.items():
            value = cells[index] if index < len(cells) else ""
            where = Location(relative, sheet=sheet.name, row=number, col=index + 1)
            if (number, index + 1) in sheet.suspect:
                suspect.append((field, *sheet.suspect[(number, index + 1)], where))
                value = ""
            if value not in ("", None):
                entry[field] = _sheet_value(field, value)
            places[field] = where
        table = entry.pop("table", None)
        prefix = ""
        if table is not None:
            table = str(table).strip()
            prefix = f"{table}[{counts.get(table, -1) + 1}]." if table in known else ""
        for field, code, held, where in suspect:
            problems.append(Problem(code, prefix + field, where, {"formula": held}))
        if table is None:
            if entry:  # values with no table named: a row the reader would otherwise drop
                problems.append(
                    Problem(
                        "factor_row_missing",
                        "",
                        places["table"],
                        {"fields": SHEET_TABLE[1], "missing": SHEET_TABLE[1]},
                    )
                )
            continue
        if table not in known:
            close = difflib.get_close_matches(table, list(known), n=1)
            problems.append(
                Problem(
                    "factor_table_unknown",
                    table,
                    places["table"],
                    {
                        "found": table,
                        "known": ", ".join(sorted(known)),
                        "hint": messages.did_you_mean(close and close[0]),
                    },
                )
            )
            continue
        index = counts[table] = counts.get(table, -1) + 1
        path = f"{table}[{index}]"
        located = {path: places.get("value", places["table"])}
        located.update({f"{path}.{field}": where for field, where in places.items()})
        row = check(table, entry, path, located, problems)
        if row is not None:
            rows.append(row)
    return rows


def _cell_text(cell: Any) -> str:
    return str(cell).strip() if cell not in (None, "") else ""


def _sheet_value(field: str, value: Any) -> Any:
    """A cell as the YAML row would hold it: whole numbers read as floats become integers, text is stripped."""
    if isinstance(value, float) and value.is_integer() and field != "value":
        return int(value)
    return value.strip() if isinstance(value, str) else value
