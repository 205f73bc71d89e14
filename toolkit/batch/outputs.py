"""A batch's workbooks: rejected.xlsx and accepted.xlsx (the members layout), the monitoring skeleton, the
expected reductions per fiscal year and the updated activity list. Rows are written as they stream
(openpyxl write-only), strings always as text ("=1+1" stays text), zip entries dated `built`.
"""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

from toolkit import schema
from toolkit.batch.members import REASONS_HEADER, Checked
from toolkit.documents.model import Column, Table

NEW_MARK = "今回追加"
DATE_FORMAT = "yyyy-mm-dd"


def _workbook_rows(path: Path, sheet: str, header: list[str], rows: Iterable[list[Any]], built) -> None:
    from toolkit.batch import sheetxml

    sheetxml.write(path, sheet, header, rows, built)


def members_layout(table: schema.Table, checked: Checked) -> list[str]:
    """The columns of the members sheet as it was read, in its order (the keys)."""
    return sorted(checked.columns, key=checked.columns.get)


def write_rejected(path: Path, table: schema.Table, checked: Checked, built, lang: str = "ja") -> None:
    """The rejected rows as typed, in the members layout, with the reasons column: correct and feed back."""
    keys = members_layout(table, checked)
    header = [table.schema[key]["meta"]["label"]["ja"] for key in keys] + [REASONS_HEADER]

    def rows():
        for row in checked.rejected:
            reasons = "\n".join(f"{reason.location} {reason.problem.message(lang)}" for reason in row.reasons)
            yield [_typed(row.raw.get(key)) for key in keys] + [reasons]

    _workbook_rows(path, table.sheet["ja"], header, rows(), built)


def _typed(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def write_accepted(path: Path, table: schema.Table, rows: list[Mapping], built) -> None:
    """The accepted members with their IDs and join dates, every column of the activity table: what
    `batch apply` adds to the project's activity workbook."""
    keys = [key for key, _ in table.columns()]
    header = [table.schema[key]["meta"]["label"]["ja"] for key in keys]

    def shown(value: Any) -> Any:
        if isinstance(value, bool):
            return "はい" if value else "いいえ"
        return value

    _workbook_rows(
        path, table.sheet["ja"], header, ([shown(row.get(key)) for key in keys] for row in rows), built
    )


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (April to March) a day falls in."""
    return day.year if day.month >= 4 else day.year - 1


def write_monitoring(path: Path, code: str, ids: list[str], on: dt.date, built) -> None:
    """One row per new member and month of the fiscal year of `on`, IDs and periods filled in."""
    table = schema.tables(code)["monitoring"]
    keys = [key for key, _ in table.columns()]
    header = [table.schema[key]["meta"]["label"]["ja"] for key in keys]
    year = fiscal_year_of(on)
    months = [(year + (month < 4), month) for month in (*range(4, 13), 1, 2, 3)]
    monthly = "period_start" in keys and "period_end" in keys

    def rows():
        for identifier in ids:
            for y, m in months if monthly else [(year, 4)]:
                values = {"activity_id": identifier}
                if monthly:
                    values["period_start"] = dt.date(y, m, 1)
                    values["period_end"] = dt.date(y, m, calendar.monthrange(y, m)[1])
                yield [values.get(key) for key in keys]

    _workbook_rows(path, table.sheet["ja"], header, rows(), built)


def write_expected(path: Path, results: Iterable) -> dict[int, str]:
    """The new members' expected reductions per fiscal year (exact, t-CO2) as CSV; returns them."""
    years: dict[int, Decimal] = {}
    members: dict[int, int] = {}
    for result in results:
        seen = set()
        for piece in result.periods:
            years[piece.fiscal_year] = years.get(piece.fiscal_year, Decimal(0)) + piece.reduction.value
            seen.add(piece.fiscal_year)
        for year in seen:
            members[year] = members.get(year, 0) + 1
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["fiscal_year", "members", "expected_t_co2"])
        for year in sorted(years):
            out.writerow([year, members[year], format(years[year], "f")])
    return {year: format(years[year], "f") for year in sorted(years)}


def activity_list(run, rows: list[Mapping], built):
    """The 排出削減活動リスト of the project with the new members added (marked 今回追加, with their 加入日)."""
    from toolkit.batch.members import with_rows
    from toolkit.calculate.engine import calculate_plan
    from toolkit.documents import assemble
    from toolkit.read import overrides

    project = with_rows(run.project, rows)
    estimate = calculate_plan(project, run.factors)
    document = assemble.build(
        "activity-list", estimate, project.root, overrides.folder(project.root), built=built
    )
    new = {row["id"] for row in rows}
    for section in document.sections:
        section.blocks = [_marked(block, new) for block in section.blocks]
    return document


def _marked(block, new: set) -> Any:
    if not isinstance(block, Table) or block.id != "activities" or "id" not in {c.key for c in block.columns}:
        return block
    column = Column("batch_new", "区分", kind="text", width=6)
    rows = [{**row, "batch_new": NEW_MARK if row.get("id") in new else None} for row in block.rows]
    return dataclasses.replace(block, columns=[column, *block.columns], rows=rows)
