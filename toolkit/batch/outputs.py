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
from typing import Any, Iterable, Iterator, Mapping

from toolkit import schema
from toolkit.batch.members import REASONS_HEADER, Packed
from toolkit.documents.model import Column, Rows, Table
from toolkit.figures import EXACT

NEW_MARK = "今回追加"
DATE_FORMAT = "yyyy-mm-dd"


def _workbook_rows(path: Path, sheet: str, header: list[str], rows: Iterable[list[Any]], built) -> None:
    from toolkit.batch import sheetxml

    sheetxml.write(path, sheet, header, rows, built)


def members_layout(table: schema.Table, checked: Packed) -> list[str]:
    """The columns of the members sheet as it was read, in its order (the keys)."""
    return sorted(checked.columns, key=checked.columns.get)


def write_rejected(path: Path, table: schema.Table, checked: Packed, built, lang: str = "ja") -> None:
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


def monitoring_job(path: Path, code: str, chunks: Iterable[bytes], on: dt.date, built) -> None:
    """The monitoring skeleton of the accepted members (`members.Packed.chunks`; a worker's job)."""
    from toolkit.batch.members import unpacked

    write_monitoring(path, code, (row["id"] for row in unpacked(chunks)), on, built)


def write_monitoring(path: Path, code: str, ids: Iterable[str], on: dt.date, built) -> None:
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


def by_fiscal_year(results: Iterable) -> dict[int, tuple[Decimal, int]]:
    """Expected reductions of some members by fiscal year: (exact t-CO2, members with a figure that year)."""
    years: dict[int, tuple[Decimal, int]] = {}
    for result in results:
        for year, sums in result.by_fiscal_year.items():
            total, count = years.get(year, (Decimal(0), 0))
            years[year] = (EXACT.add(total, sums.reduction), count + 1)
    return years


def write_expected(path: Path, parts: Iterable[Mapping[int, tuple[Decimal, int]]]) -> dict[int, str]:
    """The new members' expected reductions per fiscal year (exact, t-CO2) as CSV, summed in the order of the
    parts given (the same whatever the workers); returns them."""
    years: dict[int, tuple[Decimal, int]] = {}
    for part in parts:
        for year, (value, count) in part.items():
            total, members = years.get(year, (Decimal(0), 0))
            years[year] = (total + value, members + count)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["fiscal_year", "members", "expected_t_co2"])
        for year in sorted(years):
            out.writerow([year, years[year][1], format(years[year][0], "f")])
    return {year: format(years[year][0], "f") for year in sorted(years)}


def activity_list_job(
    root: Path, chunks: Iterable[bytes], count: int, built, formats: tuple[str, ...], work: Path, overrides
) -> None:
    """The updated activity list in `formats` (a worker's job): the project read again, the `count` accepted
    rows (`members.Packed.chunks`) added, produced a chunk at a time at each pass over the list."""
    from toolkit.pipeline import Run

    document = activity_list(Run(root), chunks, count, built)
    for fmt in formats:
        write_list(document, fmt, work / f"activity-list.{fmt}", overrides)


def activity_list(run, chunks: Iterable[bytes], count: int, built):
    """The 排出削減活動リスト of the project with the `count` new members of `chunks` added (marked 今回追加,
    with their 加入日). Its table's rows are `Rows`: each pass over them unpacks the chunks one at a time and
    computes their members' crediting periods, so the list is never held whole (the PDF holds it)."""
    from toolkit.calculate.engine import calculate_plan
    from toolkit.documents import assemble
    from toolkit.read import overrides

    project = run.project
    existing = project.data.get("activities") or []
    estimate = calculate_plan(project, run.factors)
    listed = Rows(len(existing) + count, lambda: _listed(project, run.factors, estimate, chunks))
    document = assemble.build(
        "activity-list", estimate, project.root, overrides.folder(project.root), built=built, listed=listed
    )
    for section in document.sections:
        section.blocks = [_marked(block, len(existing)) for block in section.blocks]
    return document


def _listed(project, factors, estimate, chunks: Iterable[bytes]) -> Iterator[tuple[Mapping, Any]]:
    """(activity, crediting period) of the project's activities (`estimate`), then of the chunks' members, each
    chunk's periods computed by the same estimate over the program with that chunk's members alone (a
    member's period depends on the project and the member only)."""
    from toolkit.batch.members import unpack
    from toolkit.calculate.engine import calculate_plan

    periods = {result.activity_id: result.crediting for result in estimate.activities}
    for activity in project.data.get("activities") or []:
        yield activity, periods.get(activity.get("id"))
    for chunk in chunks:
        rows = unpack(chunk)
        part = dataclasses.replace(project, data={**project.data, "activities": rows})
        periods = {
            result.activity_id: result.crediting for result in calculate_plan(part, factors).activities
        }
        for row in rows:
            yield row, periods.get(row["id"])


def write_list(document, fmt: str, path: Path, overrides: Path | None) -> None:
    """The activity list in `fmt` (a worker's job: the renderers of `render` as they are), written whole."""
    import os

    temporary = path.with_name(f".{path.name}.part")
    if fmt == "xlsx":
        from toolkit.render import xlsx

        xlsx.render(document, temporary, streamed=True)  # tens of thousands of rows: no cell objects
    else:
        from toolkit.render import pdf

        pdf.render(document.printed(), temporary, overrides)
    os.replace(temporary, path)


def _marked(block, existing: int) -> Any:
    """The activity table with the 区分 column first: 今回追加 on the rows after the project's `existing` ones."""
    if not isinstance(block, Table) or block.id != "activities" or "id" not in {c.key for c in block.columns}:
        return block
    column = Column("batch_new", "区分", kind="text", width=6)
    rows = block.rows

    def marked():
        for index, row in enumerate(rows):  # each row made for this pass: marked in place, not copied
            row["batch_new"] = NEW_MARK if index >= existing else None
            yield row

    return dataclasses.replace(block, columns=[column, *block.columns], rows=Rows(len(rows), marked))
