"""Loading a project folder: values, where each came from, and table headers by key or label."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from toolkit.errors import InputError
from toolkit.read.folder import find_project_file, load_project
from toolkit.validate.validation import validate


def test_values_know_their_yaml_line_and_cell(folder):
    folder.write()
    loaded = load_project(folder.root)
    assert str(loaded.sources.locate("proponent.postal_code")) == "project.yaml:11"
    assert str(loaded.sources.locate("proponent.address.city")) == "project.yaml:12"
    assert str(loaded.sources.locate("activities[1].capacity_kw")) == "activities.xlsx!活動一覧!D3"
    assert str(loaded.sources.locate("monitoring[2].sold_kwh")) == "monitoring/2025.xlsx!モニタリング!E4"
    # a key that is absent points at its nearest parent
    assert str(loaded.sources.locate("proponent.representative.name")) == "project.yaml:8"


def test_headers_match_by_english_key_or_japanese_label_in_any_width(folder):
    folder.activity_headers = [
        "id",
        "名称",
        "都道府県",
        "設備容量（ｋＷ）",
        "commissioned_on",
        "家庭用",
        "fit",
    ]
    folder.write()
    result = validate(folder.root)
    assert result.valid, [p.line() for p in result.errors]
    assert result.project.data["activities"][0]["capacity_kw"] == pytest.approx(4.5)


def test_unknown_columns_are_ignored_with_a_warning(folder):
    folder.activity_headers.append("備考")
    for row in folder.activities:
        row.append("メモ")
    folder.write()
    result = validate(folder.root)
    assert result.valid
    assert [(p.code, str(p.location)) for p in result.warnings] == [
        ("column_unknown", "activities.xlsx!活動一覧!H1")
    ]


def test_empty_rows_between_data_are_skipped_with_a_warning_and_trailing_ones_silently(folder):
    folder.activities.insert(1, [None] * 7)
    folder.activities += [[None] * 7, [None] * 7]
    folder.write()
    result = validate(folder.root)
    assert result.valid
    assert [(p.code, str(p.location)) for p in result.warnings] == [
        ("empty_row", "activities.xlsx!活動一覧!3")
    ]
    assert len(result.project.data["activities"]) == 3
    assert str(result.project.sources.locate("activities[1].id")) == "activities.xlsx!活動一覧!A4"


def test_typed_cells_are_normalised_with_a_warning_where_they_were(folder):
    folder.readings[0][3] = "５３１"
    folder.readings[1][3] = "1,610kWh"
    folder.readings[2][1] = "R7.4.1"
    folder.readings[0][1] = 45748  # Excel serial of 2025-04-01 in a cell without a date format
    folder.activities[0][0] = "PV-0001 "
    folder.write()
    result = validate(folder.root)
    assert result.valid, [p.line() for p in result.errors]
    notes = {(p.code, str(p.location)) for p in result.warnings}
    assert ("fullwidth", "monitoring/2025.xlsx!モニタリング!D2") in notes
    assert ("thousands", "monitoring/2025.xlsx!モニタリング!D3") in notes
    assert ("unit", "monitoring/2025.xlsx!モニタリング!D3") in notes
    assert ("wareki", "monitoring/2025.xlsx!モニタリング!B4") in notes
    assert ("serial_date", "monitoring/2025.xlsx!モニタリング!B2") in notes
    assert ("trailing_space", "activities.xlsx!活動一覧!A2") in notes
    readings = result.project.data["monitoring"]
    assert readings[0]["period_start"] == dt.date(2025, 4, 1) == readings[2]["period_start"]
    assert str(readings[1]["generation_kwh"]) == "1610"


def test_formula_cells_give_their_cached_value(folder):
    folder.write()
    path = folder.root / "monitoring/2025.xlsx"
    # a workbook saved by Excel keeps <v> beside <f>; emulate it in the sheet XML
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<c r="D2" t="n"><v>531</v></c>', '<c r="D2"><f>500+31</f><v>531</v></c>')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = validate(folder.root)
    assert result.valid, [p.line() for p in result.errors]
    assert str(result.project.data["monitoring"][0]["generation_kwh"]) == "531"


def test_inline_activities_and_monitoring_yaml(folder):
    folder.project_yaml = folder.project_yaml.replace(
        "activities: {file: activities.xlsx}",
        "activities:\n  - {id: PV-0001, 設備容量(kW): 4.5, commissioned_on: 令和6年5月1日}\n",
    )
    folder.write()
    (folder.root / "activities.xlsx").unlink()
    (folder.root / "monitoring/2025.xlsx").unlink()
    folder.write_text(
        "monitoring.yaml",
        "- {activity_id: PV-0001, period_start: 2025-04-01, period_end: 2025-04-30,\n"
        "   generation_kwh: 531, sold_kwh: 320}\n- {activity_id: PV-0001, sold_kwh: -1}\n",
    )
    result = validate(folder.root)
    assert [(p.code, str(p.location), p.path) for p in result.errors] == [
        ("min", "monitoring.yaml:3", "monitoring[1].sold_kwh")
    ]
    assert result.project.data["activities"][0]["capacity_kw"] == 4.5
    assert result.project.data["activities"][0]["commissioned_on"] == dt.date(2024, 5, 1)


def test_project_workbook_holds_the_same_content_as_sheets(folder):
    folder.write()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "プロジェクト"
    sheet.append(["項目", "名称", "値"])
    sheet.append(["schema_version", "スキーマ版", 1])
    sheet.append(["project.type", "種別", "program"])
    sheet.append(["project.methodology.code", "方法論番号", "EN-R-002"])
    sheet.append(["project.methodology.version", "版", "3.0"])
    sheet.append(["proponent.postal_code", "郵便番号", "5008"])
    book.save(folder.root / "project.xlsx")
    (folder.root / "project.yaml").unlink()
    result = validate(folder.root)
    assert [(p.code, str(p.location)) for p in result.errors] == [("format", "project.xlsx!プロジェクト!C6")]
    assert len(result.project.data["activities"]) == 3


def test_yaml_numbers_keep_their_written_digits(folder):
    folder.project_yaml += "additionality_note: 1\n"
    folder.project_yaml = folder.project_yaml.replace("additionality_note: 1\n", "")
    folder.write()
    loaded = load_project(folder.root)
    assert loaded.data["schema_version"] == 1


def test_a_folder_without_a_project_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        find_project_file(tmp_path)


def test_a_project_file_path_is_accepted(folder):
    folder.write()
    assert validate(folder.root / "project.yaml").valid


def test_relative_paths_resolve_against_the_project_not_the_working_directory(folder, monkeypatch, tmp_path):
    folder.write()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = validate(folder.root)
    assert result.valid
    assert len(result.project.data["monitoring"]) == 3


def test_a_table_yaml_may_name_its_table(folder):
    folder.write()
    (folder.root / "monitoring/2025.xlsx").unlink()
    folder.write_text("monitoring.yaml", "monitoring:\n  - {activity_id: PV-0001, generation_kwh: -1}\n")
    result = validate(folder.root)
    assert [(p.path, str(p.location)) for p in result.errors] == [
        ("monitoring[0].generation_kwh", "monitoring.yaml:2")
    ]


def test_headers_below_a_title_row_are_found_and_cells_keep_their_rows(folder):
    folder.write()
    import openpyxl as xl

    book = xl.Workbook()
    sheet = book.active
    sheet.title = "活動一覧"
    sheet.append(["岐阜地域 住宅用太陽光 活動一覧（2025年度）"])
    sheet.append([])
    sheet.append(folder.activity_headers)
    for row in folder.activities:
        sheet.append(row)
    book.save(folder.root / "activities.xlsx")
    result = validate(folder.root)
    assert result.valid, [p.line() for p in result.errors]
    assert str(result.project.sources.locate("activities[1].capacity_kw")) == "activities.xlsx!活動一覧!D5"


@pytest.mark.parametrize(
    "text,key,expected",
    [
        ("postal_code: 0600001", "postal_code", "0600001"),  # not octal
        ("name: 1:30", "name", "1:30"),  # not base 60
        ("name: no", "name", "no"),  # not a boolean
        ("name: 3.0", "name", Decimal("3.0")),  # digits as written
        ("name: 1.0e+99999999999", "name", "1.0e+99999999999"),  # no gigantic numbers
    ],
)
def test_yaml_scalars_are_read_as_written(tmp_path, text, key, expected):
    from toolkit.read.yamlfile import read_yaml

    (tmp_path / "p.yaml").write_text(text + "\n", encoding="utf-8")
    problems: list = []
    assert read_yaml(tmp_path / "p.yaml", "p.yaml", {}, problems)[key] == expected
    assert problems == []


@pytest.mark.parametrize(
    "text,code",
    [
        (
            "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
            "yaml_too_large",
        ),
        ("project: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", "yaml_too_deep"),
    ],
)
def test_yaml_that_would_exhaust_the_machine_is_refused(tmp_path, text, code):
    from toolkit.read.yamlfile import read_yaml

    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    problems: list = []
    assert read_yaml(tmp_path / "p.yaml", "p.yaml", {}, problems) is None
    assert [p.code for p in problems] == [code]


def test_a_shift_jis_file_is_named_as_such(tmp_path):
    from toolkit.read.yamlfile import read_yaml

    (tmp_path / "p.yaml").write_bytes("名称: テスト\n".encode("cp932"))
    problems: list = []
    read_yaml(tmp_path / "p.yaml", "p.yaml", {}, problems)
    assert problems[0].code == "not_utf8" and "Shift_JIS" in problems[0].message("en")


def test_the_same_change_down_a_column_is_one_warning_with_a_count(folder):
    for row in folder.readings:
        row[3] = "５" + str(row[3])[1:]
    folder.write()
    result = validate(folder.root)
    (warning,) = result.warnings
    assert (warning.code, str(warning.location), warning.as_json("en")["count"]) == (
        "fullwidth",
        "monitoring/2025.xlsx!モニタリング!D2",
        3,
    )
    assert "and 2 more in this column: D3, D4" in warning.message("en")


def test_a_control_character_in_yaml_is_a_located_error_not_a_crash(folder, run):
    folder.project_yaml = folder.project_yaml.replace(
        "name: テスト市住宅用", 'name: "テスト\x00市住宅用', 1
    ).replace("J-クレジットプロジェクト\n", 'J-クレジットプロジェクト"\n', 1)
    root = folder.write()
    code, stdout, stderr = run("validate", root, "--lang", "en")
    line = (
        folder.project_yaml.splitlines().index(
            next(text for text in folder.project_yaml.splitlines() if "\x00" in text)
        )
        + 1
    )
    assert code == 1 and f"project.yaml:{line}:" in stdout and "U+0000" in stdout and "Internal" not in stderr
