"""Hostile and careless inputs of issue 14 on the reading side: each found at its place, never passed unread."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from toolkit import forked
from toolkit.read import workbook


def validate(run, folder, lang="en"):
    status, out, err = run("validate", folder.root, "--format", "json", "--lang", lang)
    assert "Traceback" not in out + err
    return status, json.loads(out) if out.strip() else {"errors": [], "warnings": []}, err


def only(report, code):
    found = [e for e in report["errors"] + report["warnings"] if e["code"] == code]
    assert found, report
    return found


def edit_book(path, change):
    book = openpyxl.load_workbook(path)
    change(book.active)
    book.save(path)


# -- defect 1: the extent of a sheet is checked before the reader allocates it --------------------------


@pytest.mark.parametrize("cell", ["XFD100000", "XFD20000"])
def test_a_stray_cell_far_away_is_refused_by_name_before_reading(folder, run, cell):
    folder.write()
    edit_book(folder.root / "activities.xlsx", lambda sheet: sheet.__setitem__(cell, "x"))
    status, report, _ = validate(run, folder)
    assert status == 1
    (error,) = only(report, "xlsx_too_many_cells")
    assert error["location"] == f"activities.xlsx!活動一覧!{cell}"
    assert cell in error["message"]


def test_a_stray_cell_in_the_first_row_of_a_long_sheet_is_named(folder, run):
    folder.activities += [[f"PV-{n:04d}", "x", "岐阜県", 4.0, None, "はい", "はい"] for n in range(10, 443)]
    folder.write()
    edit_book(folder.root / "activities.xlsx", lambda sheet: sheet.__setitem__("XFD1", "x"))
    status, report, _ = validate(run, folder, "ja")
    (error,) = only(report, "xlsx_too_many_cells")
    assert error["location"] == "activities.xlsx!活動一覧!XFD1" and "XFD1" in error["message"]


def test_a_formatted_empty_cell_far_away_is_no_cell(folder, run):
    folder.write()

    def style(sheet):
        sheet["XFD100000"].number_format = "0.00"

    edit_book(folder.root / "activities.xlsx", style)
    status, report, _ = validate(run, folder)
    assert status == 0, report


def test_rows_beyond_the_limit_are_refused_before_reading(folder, run, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    folder.write()
    edit_book(folder.root / "activities.xlsx", lambda sheet: sheet.__setitem__("AB9", "x"))
    status, report, _ = validate(run, folder)
    located = {e["location"] for e in only(report, "xlsx_too_many_rows")}
    assert "activities.xlsx!活動一覧!AB9" in located


def test_a_wide_but_small_sheet_is_read(folder, run):
    folder.write()
    edit_book(folder.root / "activities.xlsx", lambda sheet: sheet.__setitem__("AZ3", "memo"))
    status, report, _ = validate(run, folder)
    assert status == 0, report


# -- defect 2: a reading without its activity ID never vanishes -----------------------------------------


def test_a_reading_with_data_and_no_activity_id_is_an_error_at_its_cell(folder, run):
    folder.readings[1][0] = None
    folder.write()
    status, report, _ = validate(run, folder)
    assert status == 1
    (error,) = only(report, "id_missing")
    assert (error["location"], error["path"]) == (
        "monitoring/2025.xlsx!モニタリング!A3",
        "monitoring[1].activity_id",
    )


def test_an_activity_with_data_and_no_id_is_an_error(folder, run):
    folder.activities[2][0] = "   "
    folder.write()
    status, report, _ = validate(run, folder, "ja")
    (error,) = only(report, "id_missing")
    assert error["location"] == "activities.xlsx!活動一覧!A4" and "ID" in error["message"]


def test_a_merged_activity_id_is_the_id_of_every_row_it_covers(folder, run):
    folder.readings[1][0] = folder.readings[2][0] = "PV-0001"
    folder.readings[1][1:3] = folder.readings[2][1:3] = [folder.readings[0][1].replace(month=5)] * 2
    folder.readings[2][1:3] = [folder.readings[0][1].replace(month=6)] * 2
    folder.write()

    def merge(sheet):
        sheet["A3"] = sheet["A4"] = None
        sheet.merge_cells("A2:A4")

    edit_book(folder.root / "monitoring/2025.xlsx", merge)
    from toolkit.read.folder import load_project

    loaded = load_project(folder.root)
    assert [row["activity_id"] for row in loaded.data["monitoring"]] == ["PV-0001"] * 3
    status, report, _ = validate(run, folder)
    assert not [e for e in report["errors"] if e["code"] == "id_missing"]


def test_other_merged_cells_in_the_rows_are_refused_at_their_place(folder, run):
    folder.write()
    edit_book(folder.root / "monitoring/2025.xlsx", lambda sheet: sheet.merge_cells("D2:E2"))
    status, report, _ = validate(run, folder)
    assert status == 1
    (error,) = only(report, "merged_cells")
    assert error["location"] == "monitoring/2025.xlsx!モニタリング!D2" and "D2:E2" in error["message"]


def test_a_merged_title_above_the_headers_is_fine(folder, run):
    folder.write()

    def title(sheet):
        sheet.insert_rows(1)
        sheet["A1"] = "2025年度 読取値"
        sheet.merge_cells("A1:F1")

    edit_book(folder.root / "monitoring/2025.xlsx", title)
    status, report, _ = validate(run, folder)
    assert status == 0, report


# -- defect 14: every message has its place -----------------------------------------------------------


def test_an_empty_yaml_key_is_reported_at_its_line(folder, run):
    folder.project_yaml = folder.project_yaml.replace("  postal_code:", '  "": 1\n  postal_code:')
    folder.write()
    status, report, _ = validate(run, folder)
    (error,) = only(report, "yaml_key_empty")
    assert error["location"] == "project.yaml:11:3"


def test_a_stray_dotted_key_is_reported_at_its_own_line(folder, run):
    folder.project_yaml = folder.project_yaml.replace("proponent:\n", "project.name: dotted\nproponent:\n")
    folder.write()
    status, report, _ = validate(run, folder, "ja")
    assert status == 1
    (error,) = only(report, "yaml_key_dotted")
    assert error["location"] == "project.yaml:8:1"
    assert "project: {name: …}" in error["message"]


@pytest.mark.parametrize("key, row", [("..", 2), ("project..name", 3), (".name", 4)])
def test_malformed_keys_of_project_xlsx_are_reported_at_their_cell(folder, run, key, row):
    folder.write()
    (folder.root / "project.yaml").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "プロジェクト"
    for line in (["key", "label", "value"], ["..", "", "x"], ["project..name", "", "y"], [".name", "", "z"]):
        sheet.append(line)
    sheet.append(["project.methodology.code", "", "EN-R-002"])
    book.save(folder.root / "project.xlsx")
    status, report, _ = validate(run, folder)
    assert status == 1
    located = {e["location"] for e in only(report, "key_malformed")}
    assert f"project.xlsx!プロジェクト!A{row}" in located


# -- defect 15: nothing passes unread --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "# only a comment\n", "{}\n"])
def test_an_empty_project_file_does_not_pass(folder, run, text):
    folder.write()
    (folder.root / "project.yaml").write_text(text, encoding="utf-8")
    status, report, _ = validate(run, folder)
    assert status == 1
    (error,) = only(report, "project_empty")
    assert error["location"] == "project.yaml"


def test_no_methodology_code_and_a_garbage_workbook_does_not_pass(folder, run):
    folder.project_yaml = folder.project_yaml.replace('  methodology: {code: EN-R-002, version: "3.0"}\n', "")
    folder.write()
    (folder.root / "activities.xlsx").write_bytes(b"garbage")
    status, report, _ = validate(run, folder)
    assert status == 1
    assert only(report, "not_xlsx")[0]["location"] == "activities.xlsx"
    (warning,) = only(report, "methodology_needed_for_tables")
    assert "activities.xlsx" in warning["message"] and warning["location"].startswith("project.yaml:")


def test_no_methodology_code_names_what_was_not_checked(folder, run):
    folder.project_yaml = folder.project_yaml.replace('  methodology: {code: EN-R-002, version: "3.0"}\n', "")
    folder.write()
    status, report, _ = validate(run, folder, "ja")
    (warning,) = only(report, "methodology_needed_for_tables")
    assert "monitoring/2025.xlsx" in warning["message"]


# -- defect 16: the message for an encrypted or old workbook reads as a sentence -------------------------


@pytest.mark.parametrize(
    "content, ja, en",
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64,
            "パスワードで保護されたブックでした。保護を解除して保存し直してください",
            "found a password-protected workbook; remove the password",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "旧形式の Excel ファイル（.xls）でした。.xlsx で保存し直してください",
            "found an old-format Excel file (.xls); save it as .xlsx",
        ),
    ],
)
def test_an_encrypted_or_old_workbook_is_explained_in_a_sentence(folder, run, content, ja, en):
    folder.write()
    (folder.root / "activities.xlsx").write_bytes(content)
    for lang, fragment in (("ja", ja), ("en", en)):
        _, report, _ = validate(run, folder, lang)
        (error,) = only(report, "not_xlsx")
        assert fragment in error["message"], error["message"]
        assert "くださいでした" not in error["message"]


# -- defect 6: numbers a calculation cannot carry are refused at validation -----------------------------

FACTOR_ROW = (
    "grid_electricity:\n  - {fiscal_year: 2025, basis: all_source, value: %s, unit: kg-CO2/kWh, "
    "source: x, status: unverified}\n"
)


@pytest.mark.parametrize(
    "mutate, location, path",
    [
        (
            lambda f: f.readings[0].__setitem__(3, 1e26),
            "monitoring/2025.xlsx!モニタリング!D2",
            "monitoring[0].generation_kwh",
        ),
        (
            lambda f: f.readings[1].__setitem__(3, "1e300"),
            "monitoring/2025.xlsx!モニタリング!D3",
            "monitoring[1].generation_kwh",
        ),
        (
            lambda f: f.readings[2].__setitem__(4, "1e309"),
            "monitoring/2025.xlsx!モニタリング!E4",
            "monitoring[2].sold_kwh",
        ),
        (
            lambda f: f.activities[0].__setitem__(3, 1e18),
            "activities.xlsx!活動一覧!D2",
            "activities[0].capacity_kw",
        ),
    ],
)
def test_a_quantity_beyond_its_plausible_range_is_refused_with_its_unit(folder, run, mutate, location, path):
    mutate(folder)
    folder.write()
    for lang, unit in (("ja", "kWh の範囲"), ("en", "found")):
        status, report, _ = validate(run, folder, lang)
        assert status == 1
        errors = [e for e in report["errors"] if e["code"] == "implausible"]
        assert [(e["location"], e["path"]) for e in errors] == [(location, path)]
        assert unit in errors[0]["message"] or path.endswith("capacity_kw")


def test_a_huge_quantity_in_monitoring_yaml_is_refused_at_its_line(folder, run):
    folder.project_yaml += "monitoring: {file: monitoring.yaml}\n"
    folder.write()
    folder.write_text(
        "monitoring.yaml",
        "monitoring:\n  - {activity_id: PV-0001, period_start: 2025-04-01, period_end: 2025-04-30,"
        " generation_kwh: 1e30}\n",
    )
    status, report, _ = validate(run, folder)
    (error,) = only(report, "implausible")
    assert (error["location"], error["path"]) == ("monitoring.yaml:2", "monitoring[0].generation_kwh")
    for command in ("calc", "check"):
        status, out, err = run(command, folder.root)
        assert status == 1 and "Traceback" not in out + err


@pytest.mark.parametrize("value", ["1e18", "1e309", "-0.5"])
def test_a_factor_beyond_its_plausible_range_is_refused_by_validate(folder, run, value):
    folder.write()
    folder.write_text("factors.yaml", FACTOR_ROW % value)
    status, report, _ = validate(run, folder, "ja")
    assert status == 1
    (error,) = only(report, "factor_range")
    assert error["location"] == "factors.yaml:2" and "kg-CO2/kWh" in error["message"]
    status, out, err = run("calc", folder.root)
    assert status == 1 and "Traceback" not in out + err


# -- defect 7: dates far in the future are refused at validation ----------------------------------------


def test_a_far_future_date_is_refused_at_validation_and_nothing_crashes(folder, run, tmp_path):
    folder.project_yaml = folder.project_yaml.replace(
        "registration_application_date: 2025-04-01", "registration_application_date: 9999-06-01"
    )
    folder.readings[0][1] = dt.date(9999, 6, 1)
    folder.write()
    status, report, _ = validate(run, folder)
    assert {(e["location"], e["code"]) for e in report["errors"]} >= {
        ("project.yaml:7", "date_out_of_range"),
        ("monitoring/2025.xlsx!モニタリング!B2", "date_out_of_range"),
    }
    for args in (
        ("calc", folder.root),
        ("check", folder.root),
        ("render", "plan", folder.root, "-o", tmp_path / "out"),
    ):
        status, out, err = run(*args)
        assert status == 1, (args, out, err)
        assert "Traceback" not in out + err


# -- defect 9: validate reads factors.yaml ------------------------------------------------------------


@pytest.mark.parametrize(
    "content, code, location",
    [
        ("grid_electricity: [\n".encode(), "yaml_syntax", "factors.yaml:2"),
        ((FACTOR_ROW % "abc").encode(), "not_a_number", "factors.yaml:2"),
        (("# 係数\n" + FACTOR_ROW % "0.4").encode("cp932"), "not_utf8", "factors.yaml"),
        (b"grid_electrcity: []\n", "factor_table_unknown", "factors.yaml:1"),
    ],
)
def test_validate_reports_a_broken_factors_yaml_at_its_place(folder, run, content, code, location):
    folder.write()
    (folder.root / "factors.yaml").write_bytes(content)
    for lang in ("ja", "en"):
        status, report, _ = validate(run, folder, lang)
        assert status == 1
        (error,) = only(report, code)
        assert error["location"].startswith(location), error


def test_a_good_factors_yaml_passes_validate(folder, run):
    folder.write()
    folder.write_text("factors.yaml", FACTOR_ROW % "0.45")
    status, report, _ = validate(run, folder)
    assert status == 0, report


# -- defect 8: other_programs.csv is read whole or reported at its row and column ------------------------

MEMBERS_BROKEN = (
    'program,name,address\n別プログラムA,"佐藤 一郎,岐阜県\n別プログラムB,山田 太郎 様邸,岐阜県\n'
)


@pytest.mark.parametrize(
    "text, location, ja",
    [
        (MEMBERS_BROKEN, "other_programs.csv:2:9", "閉じていない"),
        ("program,name\nA," + "x" * 200_000 + "\n", "other_programs.csv:2", "文字を超える"),
        ("program,name\nA," + "y" * 20_000 + "\n", "other_programs.csv:2:3", "文字を超える"),
        ('program,name\nA,"x"y\nB,z\n', "other_programs.csv:2", "「,」が必要"),
        ("program,name\nA,b,c\n", "other_programs.csv:2", "この行は 3 列"),
        ('program,name\nA,"two\nlines"\n', "other_programs.csv:2:3", "改行"),
    ],
)
def test_a_broken_other_programs_csv_is_reported_at_its_row_and_never_passes(folder, run, text, location, ja):
    folder.write()
    (folder.root / "other_programs.csv").write_text(text, encoding="utf-8")
    status, report, _ = validate(run, folder, "ja")
    assert status == 1
    (error,) = only(report, "csv_syntax")
    assert error["location"] == location and ja in error["message"], error
    status, out, err = run("check", folder.root, "--stage", "verification", "--format", "json")
    assert status == 1 and "Traceback" not in out + err
    assert location in out


def test_the_member_after_a_broken_line_is_not_missed_by_check(tmp_path):
    from toolkit.checklist import scheme_rules

    path = tmp_path / "other_programs.csv"
    path.write_text(MEMBERS_BROKEN, encoding="utf-8")
    with pytest.raises(scheme_rules.OtherProgramsUnreadable) as caught:
        scheme_rules.other_members(path)
    ((where, reason),) = caught.value.places
    assert str(where) == "other_programs.csv:2:9" and "quote" in reason["en"]
    path.write_text(MEMBERS_BROKEN.replace('"佐藤', "佐藤"), encoding="utf-8")
    members = scheme_rules.other_members(path)
    assert members["山田太郎"] == [("別プログラムB", "岐阜県", 3)]


def test_a_date_cell_holding_a_number_no_date_can_be_is_found_at_its_cell(folder, run):
    """Found by the fuzz test: calamine panics (a BaseException, exit 3) on -1e13 formatted as a date."""
    folder.write()

    def negative_date(sheet):
        sheet["E3"] = -1e13
        sheet["E3"].number_format = "yyyy-mm-dd"

    edit_book(folder.root / "activities.xlsx", negative_date)
    for lang in ("ja", "en"):
        status, report, _ = validate(run, folder, lang)
        assert status == 1
        (error,) = only(report, "cell_not_a_date")
        assert error["location"] == "activities.xlsx!活動一覧!E3" and "-1" in error["message"]


def _write_only(path, rows):
    """A workbook as streaming writers save it: no <dimension> declared."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("活動一覧")
    for row in rows:
        sheet.append(row)
    book.save(path)


@pytest.mark.parametrize("small", [1 << 30, 0])  # every cell looked at, or a large sheet: dimension, last row
def test_a_far_cell_is_named_whatever_the_size_of_the_sheet(folder, run, monkeypatch, small):
    monkeypatch.setattr(workbook, "SMALL_XML", small)
    folder.write()
    edit_book(folder.root / "activities.xlsx", lambda sheet: sheet.__setitem__("XFD100000", "x"))
    _, report, _ = validate(run, folder)
    assert only(report, "xlsx_too_many_cells")[0]["location"] == "activities.xlsx!活動一覧!XFD100000"
    monkeypatch.setattr(workbook, "MAX_CELLS", 500)
    _write_only(
        folder.root / "activities.xlsx", [folder.activity_headers, *folder.activities, [None] * 199 + ["x"]]
    )
    _, report, _ = validate(run, folder)
    (error,) = only(report, "xlsx_too_many_cells")
    assert error["location"] == "activities.xlsx!活動一覧!GR5" and "GR5" in error["message"]


def test_a_stray_cell_in_a_middle_row_of_a_large_undeclared_sheet_is_named_before_reading(
    folder, run, monkeypatch
):
    """A large sheet is searched for far cells anywhere: calamine never sees it (it would allocate the grid)."""
    monkeypatch.setattr(workbook, "SMALL_XML", 0)
    monkeypatch.setattr(workbook, "MAX_CELLS", 500)
    folder.write()
    rows = [folder.activity_headers, folder.activities[0], [None] * 199 + ["stray"], *folder.activities[1:]]
    _write_only(folder.root / "activities.xlsx", rows)

    def never(*args, **kwargs):
        raise AssertionError("calamine was handed a sheet beyond the limits")

    monkeypatch.setattr("python_calamine.CalamineWorkbook.get_sheet_by_name", never, raising=False)
    _, report, _ = validate(run, folder)
    (error,) = only(report, "xlsx_too_many_cells")
    assert error["location"] == "activities.xlsx!活動一覧!GR3" and "GR3" in error["message"]


@pytest.mark.parametrize("fork", [True, False])
def test_a_large_readings_workbook_is_checked_ahead_in_a_child_or_in_a_thread_alike(
    folder, run, monkeypatch, fork
):
    """A later table's large workbook has its XML checked while the first table is read: in a forked child (on
    the other core) where forking is safe, else in a thread. Its cells are found the same either way."""
    monkeypatch.setattr(workbook, "SMALL_XML", 0)  # every workbook counts as large
    started = []
    monkeypatch.setattr(workbook, "Forked", lambda *call: started.append(call) or forked.Forked(*call))
    monkeypatch.setattr(workbook, "can_fork", lambda: fork)  # when it may fork: tests/test_forked.py
    monkeypatch.setattr(forked, "can_fork", lambda: fork)
    folder.write()
    readings = folder.root / "monitoring/2025.xlsx"
    edit_book(readings, lambda sheet: sheet.__setitem__("D3", "=E3*2"))
    _, report, _ = validate(run, folder)
    (error,) = only(report, "formula_no_value")
    assert error["location"] == "monitoring/2025.xlsx!モニタリング!D3" and "=E3*2" in error["message"]
    edit_book(readings, lambda sheet: sheet.__setitem__("XFD100000", "x"))
    _, report, _ = validate(run, folder)
    (error,) = only(report, "xlsx_too_many_cells")
    assert error["location"] == "monitoring/2025.xlsx!モニタリング!XFD100000"
    assert len(started) == (2 if fork else 0)


def test_a_value_merged_over_several_keys_of_project_xlsx_is_refused(folder, run):
    folder.write()
    (folder.root / "project.yaml").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "プロジェクト"
    for line in (
        ["key", "label", "value"],
        ["project.methodology.code", "", "EN-R-002"],
        ["proponent.address.city", "", "岐阜市"],
        ["proponent.contact.name", "", None],
    ):
        sheet.append(line)
    sheet.merge_cells("C3:C4")
    book.save(folder.root / "project.xlsx")
    status, report, _ = validate(run, folder)
    assert status == 1
    (error,) = only(report, "merged_cells")
    assert error["location"] == "project.xlsx!プロジェクト!C3" and "C3:C4" in error["message"]
