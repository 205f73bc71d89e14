"""`jcredit batch apply`: the accepted members of a finished batch added to the project's activity workbook.

Refused when the project's inputs changed since the batch ran (their SHA-256 in summary.json); the
previous workbook is kept beside it with a timestamp (`activities.xlsx.20260401-120000.bak`), and the new
one is written whole (a temporary file renamed), so the next check, render and calc include the members.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from toolkit import schema
from toolkit.batch import workfolder
from toolkit.errors import InputError
from toolkit.problems import Location, Problem


def apply(project_dir: Path, outdir: Path, now: dt.datetime | None = None) -> tuple[int, Path, Path]:
    """Add the batch's accepted members to the activity workbook; returns (count, workbook, backup)."""
    from toolkit.batch.run import input_hashes
    from toolkit.pipeline import Run

    outdir = Path(outdir)
    if not workfolder.is_batch_output(outdir):
        raise InputError(
            str(outdir),
            [Problem("batch_not_a_batch", location=Location(str(outdir)), params={"found": str(outdir)})],
        )
    summary = json.loads((outdir / workfolder.SUMMARY).read_text(encoding="utf-8"))
    project = Run(Path(project_dir)).project
    recorded = {key: value for key, value in (summary.get("inputs") or {}).items() if key != "members"}
    current = input_hashes(project)
    changed = sorted(
        name for name in recorded.keys() | current.keys() if recorded.get(name) != current.get(name)
    )
    if changed:
        raise InputError(
            str(project_dir),
            [Problem("batch_changed", location=Location(name), params={"file": name}) for name in changed],
        )
    workbook = _activity_workbook(project)
    table = schema.tables(project.methodology.CODE)["activities"]
    rows = _accepted_rows(outdir / "accepted.xlsx", table)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    backup = workbook.with_name(f"{workbook.name}.{stamp}.bak")
    if rows:  # nothing accepted: the workbook stays as it is, and no backup is needed
        _append(workbook, backup, table, rows)
    return len(rows), workbook, backup


def _activity_workbook(project) -> Path:
    """The workbook the project's activities are read from (activities: {file: …} or activities.xlsx)."""
    refs = project.sources.tables.get("activities", ([], []))[0]
    files = sorted({ref.file for ref in refs})
    if len(files) == 1 and files[0].lower().endswith(".xlsx"):
        return project.root / files[0]
    raise InputError(
        str(project.root),
        [
            Problem(
                "batch_not_a_batch",
                "activities",
                project.locate("activities"),
                {"found": ", ".join(files) or "activities (project file)"},
            )
        ],
    )


def _accepted_rows(path: Path, table: schema.Table) -> list[dict]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    headers = [table.headers.get(schema.header_key(text)) for text in rows[0]] if rows else []
    return [
        {key: value for key, value in zip(headers, row) if key and value not in ("", None)}
        for row in rows[1:]
        if any(value not in ("", None) for value in row)
    ]


def _append(workbook: Path, backup: Path, table: schema.Table, rows: list[dict]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    sheet = next((book[name] for name in table.sheet.values() if name in book.sheetnames), book.worksheets[0])
    header_row, columns = 1, {}
    for number in range(1, min(sheet.max_row, 10) + 1):
        found = {
            table.headers.get(schema.header_key(cell.value)): cell.column
            for cell in sheet[number]
            if cell.value not in (None, "")
        }
        found.pop(None, None)
        if len(found) >= 2:
            header_row, columns = number, found
            break
    last = max(
        (
            row[0].row
            for row in sheet.iter_rows(min_row=header_row + 1)
            if any(c.value not in (None, "") for c in row)
        ),
        default=header_row,
    )
    for offset, row in enumerate(rows, start=1):
        for key, value in row.items():
            if key in columns:
                cell = sheet.cell(last + offset, columns[key])
                cell.value = (
                    value.date() if isinstance(value, dt.datetime) and value.time() == dt.time() else value
                )
                if isinstance(value, str):
                    cell.data_type = "s"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    temporary = workbook.with_name(f".{workbook.name}.part")
    book.save(temporary)
    shutil.copy2(workbook, backup)
    os.replace(temporary, workbook)
