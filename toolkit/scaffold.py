"""`jcredit init`: a new project folder with a commented project.yaml, input workbooks and evidence/."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Mapping

from toolkit import methodologies, schema
from toolkit.errors import OutputError, UnknownMethodology, UsageError
from toolkit.problems import Location, Problem

RULES_VERSION = "2023-10"
MONITORING_WORKBOOK = "monitoring/readings.xlsx"
_FIXED = {"schema_version": 1, "rules_version": RULES_VERSION}


def create_project(directory: Path, code: str, project_type: str, force: bool = False) -> list[Path]:
    """Write the project files into `directory`; refuses to overwrite any of them without `force`."""
    try:
        methodology = methodologies.get(code)
    except UnknownMethodology as error:
        raise UsageError(str(error), error.problems) from error
    tables = schema.tables(code)
    planned = {"project.yaml": None, MONITORING_WORKBOOK: None, "evidence/.gitkeep": None}
    if project_type == "program":
        planned["activities.xlsx"] = None
    existing = sorted(name for name in planned if (directory / name).exists())
    if existing and not force:
        raise OutputError(
            f"{directory}: " + ", ".join(existing),
            [Problem("exists", location=Location(str(directory / name))) for name in existing],
        )
    try:
        return _write(directory, methodology, project_type, tables, planned)
    except OSError as error:
        raise OutputError(
            str(error),
            [
                Problem(
                    "not_writable",
                    location=Location(str(directory)),
                    params={"reason": error.strerror or str(error)},
                )
            ],
        ) from error


def _write(directory: Path, methodology, project_type: str, tables, planned: dict) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".jcredit-init-") as staging:
        stage = Path(staging)
        (stage / "evidence").mkdir()
        (stage / "evidence/.gitkeep").write_text("")
        (stage / "monitoring").mkdir()
        (stage / "project.yaml").write_text(project_yaml(methodology, project_type, tables), encoding="utf-8")
        monitoring = {name: table for name, table in tables.items() if name == "monitoring"}
        write_workbook(stage / MONITORING_WORKBOOK, monitoring)
        if project_type == "program":
            write_workbook(stage / "activities.xlsx", {n: t for n, t in tables.items() if n != "monitoring"})
        written = []
        for name in planned:
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(stage / name, target)  # each file lands whole; nothing half-written
            written.append(target)
    return written


def project_yaml(methodology, project_type: str, tables: Mapping[str, schema.Table]) -> str:
    """project.yaml with every field of the schema, empty, each under a comment with its label and help."""
    values = {
        **_FIXED,
        "project": {
            "type": project_type,
            "methodology": {"code": methodology.CODE, "version": methodology.VERSIONS[-1]},
        },
    }
    lines = [
        f"# J-クレジット プロジェクト入力ファイル（{methodology.CODE} {methodology.NAME['ja']}、"
        f"{'プログラム型' if project_type == 'program' else '通常型'}）",
        "# 空欄の項目は `jcredit check` で未記入として一覧されます。日付は 2025-04-01 の形式（令和7年4月1日も可）。",
        "# Empty fields are listed by `jcredit check`. Dates as 2025-04-01.",
        "",
    ]
    _emit(schema.project_schema(project_type), values, 0, lines)
    if project_type == "program":
        lines += [
            "",
            "# 活動一覧（会員の削減活動）は activities.xlsx に記入します。",
            "activities: {file: activities.xlsx}",
        ]
        for name in tables:
            if name not in ("activities", "monitoring"):
                lines.append(f"{name}: {{file: activities.xlsx}}")
    else:
        lines += [
            "",
            "# 削減活動（設備ごとに1行）/ reduction activities, one per installation",
            "activities:",
        ]
        first = True
        for key, rules in tables["activities"].schema.items():
            lines.append(f"  {'- ' if first else '  '}{key}:{_comment(rules)}")
            first = False
        for name, table in tables.items():
            if name not in ("activities", "monitoring"):
                columns = ", ".join(table.schema)
                lines += ["", f"# {table.sheet['ja']}: 1行ごとに {{{columns}}}", f"{name}: []"]
    lines += [
        "",
        f"# モニタリングの読取値は {MONITORING_WORKBOOK} に記入します（monitoring/ 内の .xlsx をすべて読みます）。",
        "",
    ]
    return "\n".join(lines)


def _emit(rules_schema: Mapping, values: Mapping, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    for key, rules in rules_schema.items():
        value = values.get(key)
        if rules.get("type") == "dict" and "schema" in rules:
            lines.append(f"{indent}{key}:{_comment(rules)}")
            _emit(rules["schema"], value or {}, depth + 1, lines)
        else:
            lines.append(f"{indent}{key}:{_scalar(value)}{_comment(rules)}")


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    return f' "{value}"' if isinstance(value, str) and value[:1].isdigit() else f" {value}"


def _comment(rules: Mapping) -> str:
    meta = rules.get("meta", {})
    return f"  # {meta['label']['ja']}: {meta['help']['ja']}" if meta else ""


def write_workbook(path: Path, tables: Mapping[str, schema.Table]) -> None:
    """An input workbook: one sheet per table with Japanese headers, help comments and dropdowns."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    choices = book.create_sheet("選択肢")
    choices.sheet_state = "hidden"
    choice_columns = 0
    guide = []
    for table in tables.values():
        sheet = book.create_sheet(table.sheet["ja"])
        sheet.freeze_panes = "A2"
        for column, (key, rules) in enumerate(table.schema.items(), start=1):
            meta = rules.get("meta", {})
            cell = sheet.cell(row=1, column=column, value=meta["label"]["ja"])
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.comment = Comment(f"{meta['help']['ja']}\n({key}: {meta['help']['en']})", "jcredit")
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = max(12, len(meta["label"]["ja"]) * 2 + 2)
            cells = f"{letter}2:{letter}10000"
            validation = None
            kind = rules.get("type")
            if rules.get("allowed"):
                choice_columns += 1
                choice_letter = get_column_letter(choice_columns)
                for row, choice in enumerate(rules["allowed"], start=1):
                    choices.cell(row=row, column=choice_columns, value=choice)
                validation = DataValidation(
                    type="list",
                    allow_blank=True,
                    formula1=f"選択肢!${choice_letter}$1:${choice_letter}${len(rules['allowed'])}",
                )
            elif kind == "boolean":
                validation = DataValidation(type="list", formula1='"はい,いいえ"', allow_blank=True)
            elif kind == "date":
                validation = DataValidation(
                    type="date", operator="greaterThan", formula1="36526", allow_blank=True
                )
                for row in range(2, 202):
                    sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
            elif kind in ("decimal", "integer") and "min" in rules:
                validation = DataValidation(
                    type="decimal" if kind == "decimal" else "whole",
                    operator="greaterThanOrEqual",
                    formula1=str(rules["min"]),
                    allow_blank=True,
                )
            if validation is not None:
                validation.error = f"{meta['label']['ja']}: {meta['help']['ja']}"
                validation.errorTitle = "入力値の確認"
                validation.showErrorMessage = True
                sheet.add_data_validation(validation)
                validation.add(cells)
            guide.append(
                (
                    table.sheet["ja"],
                    meta["label"]["ja"],
                    key,
                    meta.get("unit", ""),
                    "任意" if meta.get("optional") else "",
                    meta["help"]["ja"],
                )
            )
    help_sheet = book.create_sheet("説明", 0)
    help_sheet.append(["シート", "列見出し", "キー", "単位", "列", "説明"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for row in guide:
        help_sheet.append(list(row))
    for letter, width in zip("ABCDEF", (14, 24, 26, 10, 6, 60)):
        help_sheet.column_dimensions[letter].width = width
    book.move_sheet(choices, offset=len(book.sheetnames) - 1 - book.index(choices))
    book.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
