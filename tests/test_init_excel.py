"""`jcredit init --excel`: a project a non-programmer fills in Excel only (issue 13, item 2).

The acceptance test fills, for each of the seven methodologies, only the cells the workbook says to
fill (yellow value cells, table rows, the empty cells of the 「係数」 sheet) with the values of that
methodology's sample, then validate passes, calc prints a figure and check lists each unconfirmed factor
at its cell of project.xlsx!係数.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from sample_projects import FIRST_PROJECTS, SAMPLES, TEST_VALUES

from toolkit import methodologies, schema
from toolkit.calculate import factors as factor_tables
from toolkit.read.folder import load_project
from toolkit.scaffold_excel import fields, sections
from toolkit.validate.validation import validate

PICK = re.compile(r"^(\w+): .*（(\w+)\.(\w+)）の値")


def _cell_value(value):
    """How a person types a sample value into a cell: yes/no as はい/いいえ, dates as dates."""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return value


def _dig(data, key: str):
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _headers(sheet, row: int = 1) -> dict[str, int]:
    return {str(cell.value): cell.column for cell in sheet[row] if cell.value is not None}


def _fill_project_sheet(sheet, sample: dict) -> None:
    for row in sheet.iter_rows(min_row=2):
        key, value = row[0].value, row[2]
        if key and value.value is None and _dig(sample, key) is not None:
            value.value = _cell_value(_dig(sample, key))


def _fill_table(book, table: schema.Table, rows: list[dict]) -> None:
    sheet = book[table.sheet["ja"]]
    columns = {table.headers[schema.header_key(text)]: column for text, column in _headers(sheet).items()}
    for number, row in enumerate(rows, start=2):
        for key, value in row.items():
            sheet.cell(row=number, column=columns[key]).value = _cell_value(value)


def _fill_factors(path: Path, data: dict) -> list[tuple[int, dict]]:
    """Fill the 「係数」 sheet as its lines say; returns (row, {table, keys, fiscal_year}) of each row filled."""
    book = openpyxl.load_workbook(path)
    sheet = book["係数"]
    top = next(row[0].row for row in sheet.iter_rows() if row[0].value == "係数表")
    header = _headers(sheet, top)
    key_columns = {
        name: column
        for name, column in header.items()
        if name not in ("係数表", "名称・記入のしかた", "年度", "値", "単位", "出典", "状態", "備考")
    }
    picks: dict[str, list] = {}
    filled, extra = [], sheet.max_row + 1
    for number in range(top + 1, sheet.max_row + 1):
        table = sheet.cell(row=number, column=1).value
        note = sheet.cell(row=number, column=2).value or ""
        if not table:
            if PICK.match(note):
                key, source, column = PICK.match(note).groups()
                rows = data.get(source) if isinstance(data.get(source), list) else []
                picks[key] = sorted({str(row[column]) for row in rows if row.get(column) not in (None, "")})
            continue
        if sheet.cell(row=number, column=header["値"]).value is not None:
            continue
        own = factor_tables.table_spec(table)["keys"]
        keys = {name: sheet.cell(row=number, column=key_columns[name]).value for name in own}
        blank = [name for name, value in keys.items() if value is None and name in picks]
        combos = list(itertools.product(*(picks[name] for name in blank)))
        template = [cell.value for cell in sheet[number]]
        for index, combo in enumerate(combos):
            target = number if index == 0 else extra
            if index:
                extra += 1
                for column, value in enumerate(template, start=1):
                    sheet.cell(row=target, column=column).value = value
            given = dict(keys, **dict(zip(blank, combo)))
            for name, value in zip(blank, combo):
                sheet.cell(row=target, column=key_columns[name]).value = value
            value = float(
                TEST_VALUES.get((table, given.get("parameter"))) or TEST_VALUES[table]
            )  # a number cell
            sheet.cell(row=target, column=header["値"]).value = value
            sheet.cell(row=target, column=header["出典"]).value = "テスト用の値"
            year = sheet.cell(row=target, column=header["年度"]).value
            used = {key: value for key, value in given.items() if value is not None}
            filled.append((target, {"table": table, "keys": used, "fiscal_year": year}))
        if not combos:  # no value in the named column (a fuel the project does not use): delete the row
            for cell in sheet[number]:
                cell.value = None
    book.save(path)
    return filled


def _excel_project(tmp_path, run, code: str) -> tuple[Path, Path, dict]:
    source = SAMPLES / FIRST_PROJECTS[code]
    sample = yaml.safe_load((source / "project.yaml").read_text(encoding="utf-8"))
    target = tmp_path / "new"
    start = str(sample["project"]["registration_application_date"])
    kind = sample["project"]["type"]
    status, _, err = run("init", target, "--methodology", code, "--type", kind, "--start", start, "--excel")
    assert status == 0, err
    return target, source, sample


@pytest.mark.parametrize("code", sorted(FIRST_PROJECTS))
def test_init_excel_then_fill_the_workbook_validates_calculates_and_checks(tmp_path, run, code):
    """Only the workbook is filled (no YAML touched): validate passes, calc prints a figure, check lists
    every unconfirmed factor the calculation used at its cell of project.xlsx!係数."""
    target, source, sample = _excel_project(tmp_path, run, code)
    assert not (target / "project.yaml").exists() and not (target / "factors.yaml").exists()
    workbook = target / "project.xlsx"
    book = openpyxl.load_workbook(workbook)
    _fill_project_sheet(book["プロジェクト"], sample)
    tables = schema.tables(code)
    for name, rows in sample.items():
        if name in tables and isinstance(rows, list) and tables[name].sheet["ja"] in book.sheetnames:
            _fill_table(book, tables[name], rows)
    book.save(workbook)
    (target / "monitoring/readings.xlsx").unlink()  # the sample's own readings replace the empty workbook
    for path in source.iterdir():  # its workbooks (activities.xlsx of a program, readings) and evidence
        if path.name not in ("project.yaml", "factors.yaml"):
            copy = shutil.copytree if path.is_dir() else shutil.copy
            copy(path, target / path.name, **({"dirs_exist_ok": True} if path.is_dir() else {}))

    status, out, err = run("calc", target)
    factors_book = openpyxl.load_workbook(workbook)["係数"]
    to_fill = [row for row in factors_book.iter_rows() if row[0].value and row[0].value != "係数表"]
    if to_fill:
        assert status == 1 and "t-CO2" not in out, out
        assert "project.xlsx!係数!" in out  # calc's problems are its report: stdout
    else:
        assert status == 0, err

    filled = _fill_factors(workbook, load_project(target).data)
    assert bool(filled) == bool(to_fill)
    status, out, err = run("validate", target)
    assert status == 0, err
    assert validate(target).errors == []
    status, out, err = run("calc", target)
    assert status == 0, err
    assert re.search(r"認証対象の排出削減量.*: \d+ t-CO2", out), out
    result = json.loads(run("calc", target, "--format", "json")[1])
    assert float(result["total_reduction_exact_t"]) > 0

    used_rows = {
        row
        for row, filled_row in filled
        for ref in result["factors_used"]
        if ref["overridden"]
        and ref["table"] == filled_row["table"]
        and all(str(filled_row["keys"].get(key)) == str(value) for key, value in ref["keys"].items())
        and ref["fiscal_year"] in (None, filled_row["fiscal_year"])
    }
    assert bool(used_rows) == bool(filled)
    # the factors calc used are those of the readings: checked at verification (registration checks the estimate)
    findings = json.loads(run("check", target, "--format", "json", "--stage", "verification")[1])["findings"]
    sheet = openpyxl.load_workbook(workbook)["係数"]
    top = next(row[0].row for row in sheet.iter_rows() if row[0].value == "係数表")
    value_column = openpyxl.utils.get_column_letter(_headers(sheet, top)["値"])
    listed = {
        int(finding["location"].rsplit("!", 1)[1][len(value_column) :])
        for finding in findings
        if finding["id"] == "R-FACTOR-STATUS"
        and finding["location"].startswith(f"project.xlsx!係数!{value_column}")
    }
    assert used_rows <= listed, (used_rows, listed)


@pytest.mark.parametrize("project_type", ["standard", "program"])
def test_the_project_sheet_has_every_field_by_section_with_labels_help_units_and_dropdowns(
    tmp_path, run, project_type
):
    status, _, err = run(
        "init", tmp_path / "p", "--methodology", "EN-S-001", "--type", project_type, "--excel"
    )
    assert status == 0, err
    book = openpyxl.load_workbook(tmp_path / "p/project.xlsx")
    sheet = book["プロジェクト"]
    assert [cell.value for cell in sheet[1]] == ["キー", "項目", "値（ここに記入）", "単位", "説明"]
    keys = [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert keys == [key for key, _ in fields(project_type)]  # every field, once
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert rows["proponent.postal_code"][1].value == "郵便番号"
    assert "123-4567" in rows["proponent.postal_code"][4].value
    assert rows["additionality.capex_jpy"][3].value == "円"
    assert rows["project.type"][2].value == project_type
    assert rows["project.methodology.code"][2].value == "EN-S-001"
    assert rows["rules_version"][2].value == "2025-09"
    # headings, in the plan's order: the cover before 1.1, the plan before its annex, the report last
    headings = [row[1].value for row in sheet.iter_rows(min_row=2) if not row[0].value and row[1].value]
    assert headings[0] == "ファイル形式・規程の版"
    assert headings.index("計画書 表紙") < headings.index(
        "計画書 1.1 " + dict(sections(project_type))["plan.1.1"].split()[-1]
    )
    assert headings.index("計画書 A.2 追加性の評価（別紙）") < headings.index(
        "モニタリング報告書 B.4 計画からの変更点"
    )
    # the value column alone is unlocked and highlighted; the rest is protected
    assert sheet.protection.sheet
    assert rows["project.name"][2].protection.locked is False and rows["project.name"][0].protection.locked
    assert rows["project.name"][2].fill.fgColor.rgb.endswith("FFF2CC")
    assert rows["proponent.postal_code"][2].number_format == "@"  # typed text stays text
    assert rows["project.registration_application_date"][2].number_format == "yyyy-mm-dd"
    # dropdowns: allowed values from the hidden list sheet, yes/no for booleans
    by_cell = {
        str(cell): validation
        for validation in sheet.data_validations.dataValidation
        for cell_range in validation.sqref.ranges
        for cell in [cell_range.coord]
    }
    assert by_cell[rows["double_counting.other_scheme"][2].coordinate].formula1 == '"はい,いいえ"'
    prefecture = by_cell[rows["proponent.address.prefecture"][2].coordinate].formula1
    assert prefecture.startswith("選択肢!")
    assert book["選択肢"].sheet_state == "hidden"
    column = prefecture.split("!$")[1].split("$")[0]
    assert book["選択肢"][f"{column}1"].value == "北海道"
    assert by_cell[rows["project.type"][2].coordinate].formula1.startswith("選択肢!")


def test_a_standard_project_workbook_holds_its_tables_and_a_program_keeps_activities_xlsx(tmp_path, run):
    run("init", tmp_path / "s", "--methodology", "EN-S-006", "--excel")
    book = openpyxl.load_workbook(tmp_path / "s/project.xlsx")
    assert book.sheetnames == [
        "プロジェクト",
        "活動一覧",
        "代表以外の実施者",
        "追加性の情報の入手方法",
        "付随的な排出活動",
        "モニタリング計画",
        "係数",
        "説明",
        "選択肢",
    ]
    assert [cell.value for cell in book["モニタリング計画"][1]][:3] == ["記号", "分類", "方法概要"]
    assert not (tmp_path / "s/activities.xlsx").exists()
    run("init", tmp_path / "p", "--methodology", "AG-005", "--type", "program", "--excel")
    book = openpyxl.load_workbook(tmp_path / "p/project.xlsx")
    assert "活動一覧" not in book.sheetnames and "モニタリング計画" in book.sheetnames
    members = openpyxl.load_workbook(tmp_path / "p/activities.xlsx")
    assert "活動一覧" in members.sheetnames and "中干し実績" in members.sheetnames
    assert "モニタリング計画" not in members.sheetnames
    assert (
        "代表以外の実施者" not in book.sheetnames + members.sheetnames
    )  # a program's 1.2 is its grouping body


def test_the_factor_sheet_has_the_rows_of_factors_yaml(tmp_path, run):
    """One owner: the sheet's rows are factors.yaml's rows, key for key and year for year."""
    run("init", tmp_path / "y", "--methodology", "EN-S-001", "--start", "2025-04-01")
    run("init", tmp_path / "x", "--methodology", "EN-S-001", "--start", "2025-04-01", "--excel")
    text = (tmp_path / "y/factors.yaml").read_text(encoding="utf-8")
    from_yaml = [
        (table, {k: v for k, v in row.items() if k in ("fuel", "per", "basis") and v}, row.get("fiscal_year"))
        for table, rows in yaml.safe_load(text).items()
        for row in rows
    ]
    sheet = openpyxl.load_workbook(tmp_path / "x/project.xlsx")["係数"]
    top = next(row[0].row for row in sheet.iter_rows() if row[0].value == "係数表")
    header = _headers(sheet, top)
    from_sheet = [
        (
            row[0].value,
            {
                k: row[header[k] - 1].value
                for k in ("fuel", "per", "basis")
                if k in header and row[header[k] - 1].value
            },
            row[header["年度"] - 1].value,
        )
        for row in sheet.iter_rows(min_row=top + 1)
        if row[0].value
    ]
    assert from_sheet == from_yaml and from_yaml
    assert all(
        row[header["状態"] - 1].value == "unverified"
        for row in sheet.iter_rows(min_row=top + 1)
        if row[0].value
    )
    for line in ("値が複数あれば、値ごとに行を複写します", "（activities.project_fuel）の値"):
        assert line in text
        assert any(line in str(row[1].value or "") for row in sheet.iter_rows())


def test_factor_sheet_rows_are_checked_and_located_at_their_cells(tmp_path, run):
    """A bad row of the sheet is reported at its cell with the dotted path, like a factors.yaml line."""
    run("init", tmp_path / "x", "--methodology", "EN-S-006", "--start", "2025-04-01", "--excel")
    path = tmp_path / "x/project.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["係数"]
    top = next(row[0].row for row in sheet.iter_rows() if row[0].value == "係数表")
    header = _headers(sheet, top)
    first = next(row[0].row for row in sheet.iter_rows(min_row=top + 1) if row[0].value)
    assert sheet.cell(row=first, column=1).value == "grid_electricity"
    sheet.cell(row=first, column=header["値"]).value = "abc"
    sheet.cell(row=first + 1, column=header["状態"]).value = "checked"
    sheet.cell(row=first + 2, column=1).value = "grid_electricty"
    sheet.cell(row=sheet.max_row + 2, column=header["値"]).value = 0.5  # a value with no table named
    book.save(path)
    status, out, err = run("calc", tmp_path / "x", "--lang", "en")
    assert status == 1
    value_column = openpyxl.utils.get_column_letter(header["値"])
    assert f"project.xlsx!係数!{value_column}{first} grid_electricity[0].value" in out
    status_column = openpyxl.utils.get_column_letter(header["状態"])
    assert f"project.xlsx!係数!{status_column}{first + 1} grid_electricity[1].status" in out
    assert f"project.xlsx!係数!A{first + 2}" in out and "grid_electricity" in out
    assert f"project.xlsx!係数!A{sheet.max_row}" in out
    assert "Traceback" not in err


def test_a_formula_typed_into_the_workbook_is_text_never_evaluated(tmp_path, run):
    run("init", tmp_path / "x", "--methodology", "EN-S-006", "--excel")
    path = tmp_path / "x/project.xlsx"
    sheet = openpyxl.load_workbook(path)["プロジェクト"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert rows["project.name"][2].number_format == "@"  # Excel keeps 「=1+1」 typed there as text
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # init writes no formula


def test_init_excel_refuses_beside_another_project_file_even_with_force(tmp_path, run):
    target = tmp_path / "p"
    assert run("init", target, "--methodology", "EN-S-006")[0] == 0
    status, _, err = run("init", target, "--methodology", "EN-S-006", "--excel", "--force", "--lang", "en")
    assert status == 1 and "project.yaml" in err and "factors.yaml" in err
    assert not (target / "project.xlsx").exists()


def test_dates_and_yes_no_typed_in_the_workbook_are_read(tmp_path, run):
    run("init", tmp_path / "x", "--methodology", "EN-S-006", "--excel")
    path = tmp_path / "x/project.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["プロジェクト"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    rows["project.registration_application_date"][2].value = dt.date(2025, 4, 1)
    rows["double_counting.other_scheme"][2].value = "いいえ"
    rows["proponent.postal_code"][2].value = "507-0062"
    book.save(path)
    result = validate(tmp_path / "x")
    assert result.errors == []
    data = result.project.data
    assert data["project"]["registration_application_date"] == dt.date(2025, 4, 1)
    assert data["double_counting"]["other_scheme"] is False
    assert data["proponent"]["postal_code"] == "507-0062"


@pytest.mark.parametrize("code", sorted(FIRST_PROJECTS))
@pytest.mark.parametrize("project_type", ["program", "standard"])
def test_a_new_excel_project_validates_cleanly_and_lists_its_monitoring_parameters(
    tmp_path, run, code, project_type
):
    target = tmp_path / "p"
    status, _, err = run("init", target, "--methodology", code, "--type", project_type, "--excel")
    assert status == 0, err
    assert "project.xlsx の rules_version" in err
    result = validate(target)
    assert result.problems == []
    symbols = [row["symbol"] for row in result.project.data["monitoring_plan"]]
    assert symbols == [parameter.symbol for parameter in methodologies.get(code).MONITORING]


def test_a_factor_sheet_without_its_header_or_with_a_formula_is_reported_at_its_cells(tmp_path, run):
    run("init", tmp_path / "x", "--methodology", "EN-S-006", "--start", "2025-04-01", "--excel")
    path = tmp_path / "x/project.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["係数"]
    top = next(row[0].row for row in sheet.iter_rows() if row[0].value == "係数表")
    header = _headers(sheet, top)
    first = next(row[0].row for row in sheet.iter_rows(min_row=top + 1) if row[0].value)
    sheet.cell(row=first, column=header["出典"]).value = "=A1"  # no saved value: never read as empty
    book.save(path)
    status, out, err = run("calc", tmp_path / "x", "--lang", "en")
    source_column = openpyxl.utils.get_column_letter(header["出典"])
    assert status == 1
    assert f"project.xlsx!係数!{source_column}{first} grid_electricity[0].source" in out and "=A1" in out
    sheet.cell(row=first, column=header["出典"]).value = None
    sheet.cell(row=top, column=1).value = "表"
    book.save(path)
    status, out, err = run("calc", tmp_path / "x", "--lang", "en")
    assert status == 1 and "project.xlsx!係数!A1" in out and "such as table, fiscal year, value" in out
