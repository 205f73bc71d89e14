"""A checklist a coach reads in a minute: one rule over many rows is one line (count and first rows) in the
terminal, every row in JSON, the sheet and the page; sections by their number and title."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from checklist_edits import sample

from toolkit.render import checklist_forms as report

MISSING = 24


@pytest.fixture(scope="module")
def missing_files(tmp_path_factory):
    """solar-program at verification with 24 meter slips gone."""
    root = sample(tmp_path_factory.mktemp("grouped"), "solar-program")
    gone = sorted((root / "evidence" / "meter").iterdir())[:MISSING]
    for path in gone:
        path.unlink()
    return root, sorted(path.relative_to(root).as_posix() for path in gone)


def test_24_missing_files_are_one_text_line_with_the_count(run, missing_files):
    root, _ = missing_files
    for lang, count in (("ja", f"{MISSING} 件"), ("en", f"{MISSING} findings")):
        status, out, _ = run("check", root, "--stage", "verification", "--lang", lang)
        assert status == 1
        (line,) = [line for line in out.splitlines() if "R-EVID-FILE" in line]
        assert count in line and "monitoring[*].evidence" in line
        more = "ほか 21 件" if lang == "ja" else "and 21 more"
        assert re.search(r"monitoring/2025\.xlsx!モニタリング!G\d+", line) and more in line
        assert len(out.splitlines()) < 40  # a page, not 24 more lines


def test_all_24_are_in_json_with_their_group(run, missing_files):
    root, gone = missing_files
    status, out, _ = run("check", root, "--stage", "verification", "--format", "json")
    assert status == 1
    report_json = json.loads(out)
    found = [item for item in report_json["findings"] if item["id"] == "R-EVID-FILE"]
    assert len(found) == MISSING
    assert sorted(re.search(r"evidence/\S+\.pdf", item["message"]).group(0) for item in found) == gone
    (group,) = [group for group in report_json["groups"] if group["id"] == "R-EVID-FILE"]
    assert group["count"] == MISSING and group["path"] == "monitoring[*].evidence"
    assert group["section_title"] == "B.5 証憑一覧（確認用）"
    assert [report_json["findings"][index] for index in group["findings"]] == found


def test_all_24_are_rows_of_the_sheet_and_of_the_page(run, missing_files, tmp_path):
    root, gone = missing_files
    sheet_path, page_path = tmp_path / "check.xlsx", tmp_path / "check.html"
    run("check", root, "--stage", "verification", "--format", "xlsx", "-o", sheet_path)
    run("check", root, "--stage", "verification", "--format", "html", "-o", page_path)
    sheet = openpyxl.load_workbook(sheet_path).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[2] == "R-EVID-FILE"]
    assert len(rows) == MISSING and {row[4] for row in rows} == {"B.5 証憑一覧（確認用）"}
    page = page_path.read_text(encoding="utf-8")
    block = page[page.index('data-key="R-EVID-FILE monitoring[*].evidence"') :]
    block = block[: block.index("</tr>")]
    assert block.count("<li data-path=") == MISSING and "<details>" in block
    assert all(name in block for name in gone)


def test_rows_of_different_fields_or_rules_stay_apart():
    from toolkit.checklist.findings import Finding, grouped
    from toolkit.problems import Location

    def finding(rule, path, code="missing"):
        return Finding(rule, "blocking", path, "plan.1.1", Location("project.yaml", 1), code, {})

    found = grouped(
        [
            finding("F-MISSING", "proponent.name"),
            finding("F-MISSING", "proponent.postal_code"),  # two fields: two lines
            finding("F-MISSING", "monitoring_plan[0].method_class"),
            finding("F-MISSING", "monitoring_plan[1].method_class"),  # one column of two rows: one line
            finding("F-MISSING", "monitoring_plan[1].symbol"),
            finding("R-EVID-FILE", "monitoring_plan[2].method_class", "evidence_not_found"),
        ]
    )
    assert [(group.path, group.count) for group in found] == [
        ("proponent.name", 1),
        ("proponent.postal_code", 1),
        ("monitoring_plan[*].method_class", 2),
        ("monitoring_plan[1].symbol", 1),
        ("monitoring_plan[2].method_class", 1),
    ]


def test_the_sample_sections_read_as_the_documents_title_them(run):
    from checklist_edits import SAMPLES

    status, out, _ = run("check", SAMPLES / "incomplete-solar", "--stage", "verification")
    sections = [line.strip() for line in out.splitlines() if line.startswith("  § ")]
    assert "§ 2.3 実施期間及びモニタリング計画" in sections and "§ A.2 追加性の評価（別紙）" in sections
    assert not any(re.match(r"§ (plan|annex|monitoring)\.", section) for section in sections)
    assert report.FIRST_ROWS == 3  # the terminal names three rows of a group
