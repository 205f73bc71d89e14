"""Bad inputs, each with the message and the location a user needs to fix it, in Japanese and English."""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile

import openpyxl
import pytest

from toolkit.read import workbook


def yaml_replace(old: str, new: str):
    def mutate(folder):
        path = folder.root / "project.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def reading(row: int, column: int, value):
    def mutate(folder):
        folder.readings[row][column] = value
        folder.write_sheet("monitoring/2025.xlsx", "モニタリング", folder.reading_headers, folder.readings)

    return mutate


def activity(row: int, column: int, value):
    def mutate(folder):
        folder.activities[row][column] = value
        folder.write_sheet("activities.xlsx", "活動一覧", folder.activity_headers, folder.activities)

    return mutate


def activity_headers(headers):
    def mutate(folder):
        folder.write_sheet("activities.xlsx", "活動一覧", headers, folder.activities)

    return mutate


def replace_file(name: str, content: bytes):
    def mutate(folder):
        (folder.root / name).write_bytes(content)

    return mutate


def rename_sheet(folder):
    book = openpyxl.load_workbook(folder.root / "activities.xlsx")
    book.active.title = "Sheet1"
    book.create_sheet("メモ")
    book.save(folder.root / "activities.xlsx")


def zip_without_workbook(folder):
    with zipfile.ZipFile(folder.root / "activities.xlsx", "w") as archive:
        archive.writestr("hello.txt", "not a workbook")


def formula_without_value(folder):
    book = openpyxl.load_workbook(folder.root / "monitoring/2025.xlsx")
    book.active["D3"] = "=E3*2"
    book.save(folder.root / "monitoring/2025.xlsx")


def symlinked_evidence(folder):
    outside = folder.root.parent / "outside.pdf"
    outside.write_bytes(b"%PDF-1.4")
    os.symlink(outside, folder.root / "evidence" / "PV-0001_2025-04.pdf")


def symlinked_workbook(folder):
    target = folder.root.parent / "elsewhere.xlsx"
    (folder.root / "monitoring/2025.xlsx").rename(target)
    os.symlink(target, folder.root / "monitoring/2025.xlsx")


def no_project_file(folder):
    (folder.root / "project.yaml").unlink()


def limit(name: str, value: int):
    def mutate(folder, monkeypatch):
        monkeypatch.setattr(workbook, name, value)

    return mutate


# (id, mutation, expected code, expected location, expected path, ja fragment, en fragment)
CASES = [
    (
        "yaml-indent",
        yaml_replace("  name: テスト市住宅", " name: テスト市住宅"),
        "yaml_syntax",
        "project.yaml:",
        "",
        "YAML の書式誤り",
        "YAML syntax error",
    ),
    (
        "yaml-tab",
        yaml_replace("  type: program", "\ttype: program"),
        "yaml_syntax",
        "project.yaml:",
        "",
        "タブ文字",
        "YAML syntax error",
    ),
    (
        "yaml-duplicate-key",
        yaml_replace('rules_version: "2023-10"', 'rules_version: "2023-10"\nrules_version: "2024-04"'),
        "yaml_duplicate_key",
        "project.yaml:3",
        "rules_version",
        "2 行目",
        "line 2",
    ),
    (
        "yaml-not-mapping",
        replace_file("project.yaml", "- just\n- a list\n".encode()),
        "yaml_top_level",
        "project.yaml",
        "",
        "キー: 値",
        "key: value",
    ),
    (
        "no-project-file",
        no_project_file,
        "no_project_file",
        "",
        "",
        "project.yaml または project.xlsx",
        "expected a project file",
    ),
    (
        "unknown-key",
        yaml_replace("postal_code:", "postal_cod:"),
        "unknown_field",
        "project.yaml:",
        "proponent.postal_cod",
        "postal_code のことですか",
        "did you mean postal_code",
    ),
    (
        "mapping-expected",
        yaml_replace("additionality:\n  method: household", "additionality: household"),
        "type",
        "project.yaml:",
        "additionality",
        "項目の集まり",
        "expected a mapping",
    ),
    (
        "unknown-methodology",
        yaml_replace("code: EN-R-002", "code: EN-R-02"),
        "methodology",
        "project.yaml:",
        "project.methodology.code",
        "EN-R-002 のことですか",
        "did you mean EN-R-002",
    ),
    (
        "unknown-version",
        yaml_replace('version: "3.0"', 'version: "9.9"'),
        "methodology_version",
        "project.yaml:",
        "project.methodology.version",
        "3.0",
        "among 3.0",
    ),
    (
        "project-type",
        yaml_replace("type: program", "type: programme"),
        "allowed",
        "project.yaml:",
        "project.type",
        "program のことですか",
        "did you mean program",
    ),
    (
        "impossible-date-yaml",
        yaml_replace(
            "registration_application_date: 2025-04-01", "registration_application_date: 2025-02-30"
        ),
        "impossible_date",
        "project.yaml:",
        "project.registration_application_date",
        "存在しない日付",
        "does not exist",
    ),
    (
        "postal-code",
        yaml_replace('postal_code: "500-8570"', 'postal_code: "50085"'),
        "format",
        "project.yaml:",
        "proponent.postal_code",
        "「123-4567」形式が必要ですが「50085」でした",
        "expected the form 123-4567, found '50085'",
    ),
    (
        "katakana",
        yaml_replace("name_kana: テストシ", "name_kana: てすとし"),
        "format",
        "project.yaml:",
        "proponent.name_kana",
        "形式が必要",
        "expected the form",
    ),
    (
        "prefecture-typo",
        yaml_replace("prefecture: 岐阜県", "prefecture: 岐阜"),
        "allowed",
        "project.yaml:",
        "proponent.address.prefecture",
        "岐阜県 のことですか",
        "did you mean 岐阜県",
    ),
    (
        "activities-outside",
        yaml_replace("file: activities.xlsx", "file: ../activities.xlsx"),
        "path_escapes",
        "project.yaml:",
        "activities.file",
        "フォルダの外",
        "leads outside",
    ),
    (
        "activities-absent",
        yaml_replace("file: activities.xlsx", "file: katsudou.xlsx"),
        "file_not_found",
        "project.yaml:",
        "activities.file",
        "見つかりません",
        "found none",
    ),
    (
        "not-xlsx-text",
        replace_file("activities.xlsx", "活動ID,名称\nPV-0001,山田\n".encode()),
        "not_xlsx",
        "activities.xlsx",
        "",
        "Excel ブックではない",
        "not a workbook",
    ),
    (
        "not-xlsx-old-xls",
        replace_file("activities.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        "not_xlsx",
        "activities.xlsx",
        "",
        ".xls",
        ".xls",
    ),
    ("not-xlsx-zip", zip_without_workbook, "not_xlsx", "activities.xlsx", "", "ZIP", "ZIP"),
    (
        "xlsx-too-large",
        limit("MAX_FILE_BYTES", 1000),
        "xlsx_too_large",
        "activities.xlsx",
        "",
        "MB 以下",
        "at most",
    ),
    (
        "xlsx-too-many-cells",
        limit("MAX_CELLS", 10),
        "xlsx_too_many_cells",
        "activities.xlsx!活動一覧",
        "",
        "セル以内",
        "at most 10 cells",
    ),
    (
        "sheet-missing",
        rename_sheet,
        "sheet_missing",
        "activities.xlsx",
        "activities",
        "「活動一覧」",
        "'活動一覧'",
    ),
    (
        "column-missing",
        activity_headers(["活動ID", "名称", "都道府県", "容量", "運転開始日", "家庭用", "FIT/FIP"]),
        "column_missing",
        "activities.xlsx!活動一覧!A1",
        "activities",
        "設備容量(kW)",
        "capacity_kw",
    ),
    (
        "header-missing",
        activity_headers([None] * 7),
        "header_missing",
        "activities.xlsx!活動一覧!A1",
        "activities",
        "見出し",
        "expected headers",
    ),
    (
        "column-duplicate",
        activity_headers(["活動ID", "名称", "都道府県", "設備容量(kW)", "運転開始日", "家庭用", "id"]),
        "column_duplicate",
        "activities.xlsx!活動一覧!G1",
        "activities",
        "二つ",
        "twice",
    ),
    (
        "capacity-text",
        activity(1, 3, "abc"),
        "not_a_number",
        "activities.xlsx!活動一覧!D3",
        "activities[1].capacity_kw",
        "数値が必要ですが「abc」でした",
        "expected a number, found 'abc'",
    ),
    (
        "capacity-negative",
        activity(0, 3, -4),
        "min",
        "activities.xlsx!活動一覧!D2",
        "activities[0].capacity_kw",
        "0以上が必要ですが「-4」でした",
        "at least 0, found -4",
    ),
    (
        "boolean-word",
        activity(2, 5, "たぶん"),
        "not_a_boolean",
        "activities.xlsx!活動一覧!F4",
        "activities[2].household",
        "はい/いいえ",
        "yes/no",
    ),
    (
        "unit-mismatch",
        activity(0, 3, "4.5 m3"),
        "unit_mismatch",
        "activities.xlsx!活動一覧!D2",
        "activities[0].capacity_kw",
        "単位kW",
        "in kW",
    ),
    (
        "duplicate-id",
        activity(2, 0, "PV-0001"),
        "duplicate_id",
        "activities.xlsx!活動一覧!A4",
        "activities[2].id",
        "活動一覧!A2",
        "already used at",
    ),
    (
        "impossible-date-xlsx",
        reading(0, 2, "2025-02-30"),
        "impossible_date",
        "monitoring/2025.xlsx!モニタリング!C2",
        "monitoring[0].period_end",
        "存在しない日付",
        "does not exist",
    ),
    (
        "impossible-wareki",
        activity(0, 4, "令和6年2月30日"),
        "impossible_date",
        "activities.xlsx!活動一覧!E2",
        "activities[0].commissioned_on",
        "存在しない日付",
        "does not exist",
    ),
    (
        "not-a-date",
        reading(1, 1, "四月"),
        "not_a_date",
        "monitoring/2025.xlsx!モニタリング!B3",
        "monitoring[1].period_start",
        "日付",
        "expected a date",
    ),
    (
        "end-before-start",
        reading(0, 2, dt.date(2025, 3, 31)),
        "not_before",
        "monitoring/2025.xlsx!モニタリング!C2",
        "monitoring[0].period_end",
        "期間開始（「2025-04-01」）以降",
        "on or after period start (2025-04-01)",
    ),
    (
        "negative-kwh",
        reading(1, 3, -12),
        "min",
        "monitoring/2025.xlsx!モニタリング!D3",
        "monitoring[1].generation_kwh",
        "0以上",
        "at least 0",
    ),
    (
        "text-kwh",
        reading(2, 3, "N/A"),
        "not_a_number",
        "monitoring/2025.xlsx!モニタリング!D4",
        "monitoring[2].generation_kwh",
        "数値が必要",
        "expected a number",
    ),
    (
        "sold-above-generation",
        reading(0, 4, 600),
        "not_above",
        "monitoring/2025.xlsx!モニタリング!E2",
        "monitoring[0].sold_kwh",
        "発電量(kWh)（「531」）以下",
        "at most generation (kWh) (531)",
    ),
    (
        "unknown-activity",
        reading(2, 0, "PV-0099"),
        "unknown_activity",
        "monitoring/2025.xlsx!モニタリング!A4",
        "monitoring[2].activity_id",
        "活動一覧にありません",
        "not in it",
    ),
    (
        "formula-no-value",
        formula_without_value,
        "formula_no_value",
        "monitoring/2025.xlsx!モニタリング!D3",
        "monitoring[1].generation_kwh",
        "=E3*2",
        "=E3*2",
    ),
    (
        "evidence-outside",
        reading(0, 5, "../../etc/passwd"),
        "path_escapes",
        "monitoring/2025.xlsx!モニタリング!F2",
        "monitoring[0].evidence",
        "フォルダの外",
        "leads outside",
    ),
    (
        "evidence-absolute",
        reading(0, 5, "/etc/passwd"),
        "path_absolute",
        "monitoring/2025.xlsx!モニタリング!F2",
        "monitoring[0].evidence",
        "絶対パス",
        "absolute path",
    ),
    (
        "evidence-symlink",
        symlinked_evidence,
        "symlink_escapes",
        "monitoring/2025.xlsx!モニタリング!F2",
        "monitoring[0].evidence",
        "シンボリックリンク",
        "symbolic link",
    ),
    (
        "workbook-symlink",
        symlinked_workbook,
        "symlink_escapes",
        "",
        "monitoring",
        "シンボリックリンク",
        "symbolic link",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_bad_input_is_reported_with_location_in_both_languages(case, folder, run, monkeypatch):
    _, mutate, code, location, path, ja, en = case
    folder.write()
    if mutate.__code__.co_argcount == 2:
        mutate(folder, monkeypatch)
    else:
        mutate(folder)
    for lang, fragment in (("ja", ja), ("en", en)):
        status, out, err = run("validate", folder.root, "--format", "json", "--lang", lang)
        assert status == 1, (out, err)
        assert "Traceback" not in out + err
        if code == "no_project_file":
            assert fragment in err
            continue
        report = json.loads(out)
        assert report["valid"] is False
        matches = [
            e
            for e in report["errors"]
            if e["code"] == code and e["location"].startswith(location) and e["path"] == path
        ]
        assert matches, report["errors"]
        assert fragment in matches[0]["message"], matches[0]["message"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_text_report_shows_location_path_label_and_message(folder, run, lang):
    folder.activities[0][3] = "abc"
    folder.write()
    status, out, err = run("validate", folder.root, "--lang", lang)
    assert status == 1
    expected = {
        "ja": "activities.xlsx!活動一覧!D2 activities[0].capacity_kw（設備容量(kW)）: 数値が必要ですが「abc」でした",
        "en": "activities.xlsx!活動一覧!D2 activities[0].capacity_kw (capacity (kW)): expected a number, found 'abc'",
    }
    assert expected[lang] in out and err == ""  # the report goes to stdout: `validate P > report.txt`


def test_every_problem_is_reported_at_once(folder, run):
    folder.readings[0][1] = "2025-13-01"
    folder.readings[1][4] = 9999
    folder.readings[2][0] = "PV-0404"
    folder.activities[1][3] = "x"
    folder.project_yaml = folder.project_yaml.replace('"500-8570"', '"12"')
    folder.write()
    status, out, _ = run("validate", folder.root, "--format", "json")
    assert status == 1
    errors = json.loads(out)["errors"]
    assert {e["path"] for e in errors} == {
        "monitoring[0].period_start",
        "monitoring[1].sold_kwh",
        "monitoring[2].activity_id",
        "activities[1].capacity_kw",
        "proponent.postal_code",
    }
    assert all(e["location"] and e["path"] and e["message"] and e["label"] and e["section"] for e in errors)


def test_a_control_character_in_a_path_is_a_finding_not_a_crash(tmp_path):
    """Hypothesis found it: a NUL byte in an evidence path made os.scandir raise ValueError (exit 3)."""
    from toolkit.read.confine import Context, check_inside_project

    for value in ("evidence/a\x00.pdf", "evidence/\x1bb.pdf"):
        assert check_inside_project(True, value, {}, Context(tmp_path)) == {
            "variant": "path_control",
            "found": value,
        }
    assert check_inside_project(True, "evidence/a.pdf", {}, Context(tmp_path)) is None
