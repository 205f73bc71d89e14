"""`jcredit init`'s workbooks: input sheets for tables, and `--excel`'s project.xlsx (the plan's fields by
section, the tables of a standard project, the factor rows) for people who do not edit YAML.

The project sheet is what `read.folder` reads from a project.xlsx: dotted key in column A, value in C
(rows without a key are headings); the 「係数」 sheet is what `calculate.factors` reads. Every text the
user may type goes into a cell formatted as text, and nothing written here is ever a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from toolkit import schema
from toolkit.calculate import factor_sheet
from toolkit.calculate import factors as factor_tables
from toolkit.documents.assemble import load_spec, spec_name
from toolkit.read.folder import PROJECT_SHEETS

if TYPE_CHECKING:
    from toolkit.scaffold import FactorPlan

PROJECT_FILE = "project.xlsx"
PROJECT_SHEET = PROJECT_SHEETS[0]
CHOICES_SHEET = "選択肢"
GUIDE_SHEET = "説明"
YES_NO = '"はい,いいえ"'
HEADER_FILL = "DDEBF7"
SECTION_FILL = "BDD7EE"
INPUT_FILL = "FFF2CC"  # the cells to fill
READ_ONLY_FONT = "595959"
# the documents whose section ids the schema's `section` names, in the order a proponent meets them
_DOCUMENTS = (("plan", "計画書"), ("monitoring", "モニタリング報告書"))
_FILE_SECTION = ("file", "ファイル形式・規程の版")


class _Choices:
    """The hidden sheet holding each dropdown's values, one column per list (a list may exceed 255 chars)."""

    def __init__(self, book):
        self.sheet = book.create_sheet(CHOICES_SHEET)
        self.sheet.sheet_state = "hidden"
        self.ranges: dict[tuple, str] = {}

    def formula(self, values: list) -> str:
        from openpyxl.utils import get_column_letter

        key = tuple(values)
        if key not in self.ranges:
            letter = get_column_letter(len(self.ranges) + 1)
            for row, value in enumerate(values, start=1):
                _put(self.sheet.cell(row=row, column=len(self.ranges) + 1), value)
            self.ranges[key] = f"{CHOICES_SHEET}!${letter}$1:${letter}${len(values)}"
        return self.ranges[key]


class _Validations:
    """One DataValidation per distinct rule on a sheet, each covering every cell it applies to."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.found: dict[tuple, Any] = {}

    def add(self, cells: str, kind: str, formula: str, message: str, operator: str | None = None) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        key = (kind, formula, operator, message)
        validation = self.found.get(key)
        if validation is None:
            validation = DataValidation(type=kind, formula1=formula, operator=operator, allow_blank=True)
            validation.error = message
            validation.errorTitle = "入力値の確認"
            validation.showErrorMessage = True
            self.sheet.add_data_validation(validation)
            self.found[key] = validation
        validation.add(cells)


def _put(cell, value: Any) -> None:
    """Write a value; text is always text, never read by Excel as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _validate(validations: _Validations, choices: _Choices, cells: str, rules: Mapping, message: str) -> str:
    """Add the dropdown or check a field's rules ask for; returns the number format its cells take."""
    kind = rules.get("type")
    if rules.get("allowed"):
        validations.add(cells, "list", choices.formula(list(rules["allowed"])), message)
    elif kind == "boolean":
        validations.add(cells, "list", YES_NO, message)
    elif kind == "date":
        validations.add(cells, "date", "36526", message, "greaterThan")
        return "yyyy-mm-dd"
    elif kind in ("decimal", "integer", "number") and "min" in rules:
        validations.add(
            cells,
            "whole" if kind == "integer" else "decimal",
            str(rules["min"]),
            message,
            "greaterThanOrEqual",
        )
    if kind == "string":
        return "@"  # what is typed stays text: 0-led postal codes, a leading =
    return "General"


def write_workbook(path: Path, tables: Mapping[str, schema.Table]) -> None:
    """An input workbook: one sheet per table with Japanese headers, help comments and dropdowns."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    choices = _Choices(book)
    guide = [row for table in tables.values() for row in _table_sheet(book, table, choices)]
    _guide_sheet(book, guide, 0)
    book.move_sheet(choices.sheet, offset=len(book.sheetnames) - 1 - book.index(choices.sheet))
    book.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def write_project_workbook(
    path: Path,
    project_type: str,
    values: Mapping[str, Any],
    tables: Mapping[str, schema.Table],
    plan: FactorPlan,
    rows: Mapping[str, list[tuple[Mapping[str, Any], str]]] | None = None,
) -> None:
    """project.xlsx: the project sheet (every plan field by section), the tables in `tables` as sheets, the
    factor rows of `plan` as the 「係数」 sheet, a guide to the table columns, and the hidden dropdown lists.

    `rows` are first rows of a table, each with a note on its first cell (the monitoring plan's one row per
    parameter of the methodology, its symbol filled in)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    choices = _Choices(book)
    _project_sheet(book, project_type, values, choices)
    guide = [
        row
        for table in tables.values()
        for row in _table_sheet(book, table, choices, (rows or {}).get(table.name, ()))
    ]
    _factor_sheet(book, plan, choices)
    _guide_sheet(book, guide, len(book.sheetnames))
    book.move_sheet(choices.sheet, offset=len(book.sheetnames) - 1 - book.index(choices.sheet))
    book.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def sections(project_type: str) -> list[tuple[str, str]]:
    """(section id, heading) in the order of the documents: the plan's sections (its annex included), then
    the monitoring report's, after the file's own fields."""
    found = [_FILE_SECTION]
    for kind, short in _DOCUMENTS:
        spec, _ = load_spec(spec_name(kind, project_type))
        for section in spec["sections"]:
            number = section.get("number")
            found.append(
                (section["id"], " ".join(str(part) for part in (short, number, section["title"]) if part))
            )
    return found


def fields(project_type: str) -> list[tuple[str, Mapping]]:
    """(dotted key, rules) of every field of project.yaml, grouped by section in the documents' order."""
    order = {section: index for index, (section, _) in enumerate(sections(project_type))}
    leaves = list(_leaves(schema.project_schema(project_type)))
    position = {key: index for index, (key, _) in enumerate(leaves)}
    return sorted(
        leaves,
        key=lambda leaf: (order.get(leaf[1]["meta"].get("section"), len(order)), position[leaf[0]]),
    )


def _leaves(rules_schema: Mapping, prefix: str = "") -> Iterator[tuple[str, Mapping]]:
    for key, rules in rules_schema.items():
        if rules.get("type") == "dict" and isinstance(rules.get("schema"), Mapping):
            yield from _leaves(rules["schema"], f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", rules


def _project_sheet(book, project_type: str, values: Mapping[str, Any], choices: _Choices) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    sheet = book.create_sheet(PROJECT_SHEET)
    headers = ("キー", "項目", "値（ここに記入）", "単位", "説明")
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        _put(cell, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    sheet.freeze_panes = "C2"
    for letter, width in zip("ABCDE", (30, 30, 40, 10, 70)):
        sheet.column_dimensions[letter].width = width
    validations = _Validations(sheet)
    headings = dict(sections(project_type))
    row, current = 2, None
    for key, rules in fields(project_type):
        meta = rules.get("meta", {})
        section = meta.get("section")
        if section != current:
            current = section
            row += 1  # a blank line before each heading
            for column in range(1, 6):
                sheet.cell(row=row, column=column).fill = PatternFill("solid", fgColor=SECTION_FILL)
            _put(sheet.cell(row=row, column=2), headings.get(section, section or ""))
            sheet.cell(row=row, column=2).font = Font(bold=True, size=12)
            row += 1
        label = meta.get("label", {})
        help_text = meta.get("help", {})
        _put(sheet.cell(row=row, column=1), key)
        sheet.cell(row=row, column=1).font = Font(color=READ_ONLY_FONT, size=9)
        _put(sheet.cell(row=row, column=2), label.get("ja", key))
        sheet.cell(row=row, column=2).font = Font(bold=True)
        sheet.cell(row=row, column=2).comment = Comment(
            f"{label.get('en', key)}: {help_text.get('en', '')}", "jcredit"
        )
        _put(sheet.cell(row=row, column=4), meta.get("unit", ""))
        _put(sheet.cell(row=row, column=5), help_text.get("ja", ""))
        sheet.cell(row=row, column=5).alignment = Alignment(wrap_text=True, vertical="top")
        value = sheet.cell(row=row, column=3)
        if values.get(key) is not None:
            _put(value, values[key])
        value.fill = PatternFill("solid", fgColor=INPUT_FILL)
        value.protection = Protection(locked=False)
        value.alignment = Alignment(wrap_text=rules.get("type") == "string", vertical="top")
        message = f"{label.get('ja', key)}: {help_text.get('ja', '')}"
        value.number_format = _validate(validations, choices, value.coordinate, rules, message)
        row += 1
    # the key and label columns are what the reader and the checklist go by: locked, the values are not
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _table_sheet(book, table: schema.Table, choices: _Choices, rows=()) -> list[tuple]:
    """One sheet for a table: headers from the labels with help comments, dropdowns, the first `rows`
    given; its guide rows."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(table.sheet["ja"])
    sheet.freeze_panes = "A2"
    validations = _Validations(sheet)
    guide = []
    for column, (key, rules) in enumerate(table.schema.items(), start=1):
        meta = rules.get("meta", {})
        cell = sheet.cell(row=1, column=column)
        _put(cell, meta["label"]["ja"])
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(f"{meta['help']['ja']}\n({key}: {meta['help']['en']})", "jcredit")
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(12, len(meta["label"]["ja"]) * 2 + 2)
        message = f"{meta['label']['ja']}: {meta['help']['ja']}"
        number_format = _validate(validations, choices, f"{letter}2:{letter}10000", rules, message)
        if number_format != "General":
            for row in range(2, 202):
                sheet.cell(row=row, column=column).number_format = number_format
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
    columns = {key: column for column, key in enumerate(table.schema, start=1)}
    for number, (values, note) in enumerate(rows, start=2):
        for key, value in values.items():
            _put(sheet.cell(row=number, column=columns[key]), value)
        sheet.cell(row=number, column=1).comment = Comment(note, "jcredit") if note else None
    return guide


def _guide_sheet(book, guide: list[tuple], index: int) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(GUIDE_SHEET, index)
    for row in [("シート", "列見出し", "キー", "単位", "列", "説明"), *guide]:
        sheet.append([None] * len(row))
        for cell, value in zip(sheet[sheet.max_row], row):
            _put(cell, value)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (14, 24, 26, 10, 6, 60)):
        sheet.column_dimensions[letter].width = width


def _factor_sheet(book, plan: FactorPlan, choices: _Choices) -> None:
    """The 「係数」 sheet: the rows of `plan` (the same as factors.yaml's) under their instructions."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(factor_sheet.SHEET["ja"])
    keys: list[str] = []
    for block in plan.blocks:
        for name in factor_tables.table_spec(block.table)["keys"]:
            if name not in keys:
                keys.append(name)
    columns = factor_sheet.sheet_columns(keys)
    place = {field: index for index, (field, _) in enumerate(columns, start=1)}
    notes = [
        *plan.intro,
        "記入のしかた: 黄色のセルに記入します。値に公式の表の値を、出典に発行元・資料名・版・表番号を書き、"
        "公式の値と照合できたら状態を verified にします"
        "（それまでは unverified。`jcredit check` がセルごとに一覧します）。",
        "空欄のキー（basis・fuel など）は、その上の行が示すプロジェクトの列の値を入れます。"
        "値が複数あれば行を複写します。",
    ]
    row = 1
    for line in notes:
        _put(sheet.cell(row=row, column=place["name"]), line)
        row += 1
    header_row = row = row + 1
    for field, labels in columns:
        cell = sheet.cell(row=row, column=place[field])
        _put(cell, labels["ja"])
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    validations = _Validations(sheet)
    for block in plan.blocks:
        row += 1
        for line in block.heading:
            row += 1
            _put(sheet.cell(row=row, column=place["name"]), line)
            sheet.cell(row=row, column=place["name"]).font = Font(bold=True)
        for item in block.items:
            row += 1
            if isinstance(item, str):
                _put(sheet.cell(row=row, column=place["name"]), item)
                sheet.cell(row=row, column=place["name"]).font = Font(italic=True, color=READ_ONLY_FONT)
                continue
            _factor_row(sheet, row, item, place, validations, choices)
    if plan.included:
        row += 2
        _put(
            sheet.cell(row=row, column=place["name"]),
            "同梱の係数を使うもの（`jcredit factors` で値・出典・状態を確認。"
            "上書きするときはこのシートに行を加えます）:",
        )
        for line in plan.included:
            row += 1
            _put(sheet.cell(row=row, column=place["name"]), line)
    if not plan.blocks:
        row += 2
        _put(
            sheet.cell(row=row, column=place["name"]),
            "この方法論で記入が必要な係数はありません（同梱の値を使います）。",
        )
    widths = {"table": 22, "name": 40, "value": 12, "unit": 14, "source": 40, "status": 12, "note": 20}
    for field, index in place.items():
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(field, 14)
    for line_row in range(1, header_row):
        sheet.cell(row=line_row, column=place["name"]).alignment = Alignment(wrap_text=False)


def _factor_row(sheet, row: int, item, place: Mapping[str, int], validations: _Validations, choices) -> None:
    """One row to fill: table, its name, the keys known (blank ones highlighted), year, unit, status."""
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor=INPUT_FILL)
    _put(sheet.cell(row=row, column=place["table"]), item.table)
    _put(sheet.cell(row=row, column=place["name"]), factor_tables.table_label(item.table))
    for key, value in item.keys.items():
        cell = sheet.cell(row=row, column=place[key])
        cell.number_format = "@"
        if value in ("", None):
            cell.fill = fill
        else:
            _put(cell, str(value))
    if item.fiscal_year is not None:
        _put(sheet.cell(row=row, column=place["fiscal_year"]), item.fiscal_year)
    _put(sheet.cell(row=row, column=place["unit"]), item.unit)
    for field in ("value", "source"):
        sheet.cell(row=row, column=place[field]).fill = fill
    sheet.cell(row=row, column=place["source"]).number_format = "@"
    status = sheet.cell(row=row, column=place["status"])
    _put(status, "unverified")
    status.fill = fill
    validations.add(
        status.coordinate,
        "list",
        choices.formula(list(factor_tables.STATUSES)),
        "状態: verified（公式の値と照合済み）/ unverified / third-party",
    )
