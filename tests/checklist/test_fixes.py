"""A fix per field (where, what, in what form, from the schema) and a location for every finding with a source."""

from __future__ import annotations

import pytest
from checklist_edits import SAMPLES, sample, set_cells

from toolkit import messages, pipeline
from toolkit.checklist import fixes
from toolkit.problems import Location

GENERIC = {lang: messages.render("fix.missing", lang) for lang in messages.LANGS}


@pytest.fixture(scope="module")
def incomplete():
    return pipeline.check(SAMPLES / "incomplete-solar", "verification")


def test_each_missing_field_says_where_and_in_what_form(incomplete):
    missing = {finding.path: finding for finding in incomplete.findings if finding.rule == "F-MISSING"}
    postal = missing["proponent.postal_code"]
    assert postal.fix("ja") == (
        "project.yaml の proponent.postal_code に「郵便番号」を記入する（123-4567 の形式）。"
        "該当しない場合は「該当なし：理由」"
    )
    assert postal.fix("en") == (
        "enter the postal code at proponent.postal_code in project.yaml (as 123-4567); "
        "if it does not apply: 'n/a: reason'"
    )
    assert "見積書・補助金交付決定通知など" in missing["additionality.sources"].fix("ja")
    for finding in missing.values():
        for lang in messages.LANGS:
            assert finding.fix(lang) != GENERIC[lang] and finding.path in finding.fix(lang)


def test_every_finding_with_a_source_has_a_location(incomplete):
    for finding in incomplete.findings:
        if finding.path and finding.path.split("[")[0].split(".")[0] in (
            "proponent",
            "activities",
            "monitoring",
        ):
            assert finding.location is not None and str(finding.location), finding


def test_a_workbook_cell_is_named_by_sheet_and_cell():
    data = {"project": {"type": "program", "methodology": {"code": "EN-R-002"}}}
    where = Location("activities.xlsx", sheet="活動一覧", row=4, col=6)
    found = fixes.params(data, "activities[2].capacity_kw", where)
    assert found["where"] == {
        "ja": "activities.xlsx の「活動一覧」シートのセル F4",
        "en": "in cell F4 of sheet 活動一覧 in activities.xlsx",
    }
    assert found["guide"] == {
        "ja": "（パネル定格出力の合計。数値（kW））",
        "en": " (total rated panel output; a number in kW)",
    }


@pytest.mark.parametrize(
    ("path", "ja", "en"),
    [
        ("project.registration_application_date", "日付は YYYY-MM-DD", "a date as YYYY-MM-DD"),
        ("project.type", "次のいずれか: standard、program", "one of: standard, program"),
        ("activities[0].fit", "はい／いいえ", "yes or no"),
    ],
)
def test_the_form_comes_from_the_field_type(path, ja, en):
    data = {"project": {"type": "program", "methodology": {"code": "EN-R-002"}}}
    guide = fixes.guide(data, path)
    assert ja in guide["ja"] and en in guide["en"]


def test_an_input_error_says_where_to_correct_it(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    cell = set_cells(root, "activities.xlsx", {(1, "設備容量(kW)"): "abc"})[(1, "設備容量(kW)")]
    (finding,) = [found for found in pipeline.check(root).findings if found.rule == "V-INPUT"]
    assert finding.fix("ja").startswith(f"activities.xlsx の「活動一覧」シートのセル {cell} の値を直す")
    assert "数値（kW）" in finding.fix("ja") and f"in cell {cell} of sheet 活動一覧" in finding.fix("en")


def test_a_row_of_a_table_the_project_lacks_goes_in_its_sheet():
    """A program without a monitoring plan: its rows (one per parameter) belong in plan.xlsx's sheet."""
    data = {"project": {"type": "program", "methodology": {"code": "EN-R-002"}}}
    found = fixes.where("monitoring_plan[EL_gen].method_class", Location("project.yaml"), data)
    assert found == {
        "ja": "plan.xlsx の「モニタリング計画」シート（または project.yaml の monitoring_plan）",
        "en": "in sheet モニタリング計画 of plan.xlsx (or under monitoring_plan in project.yaml)",
    }
    # a row that was read keeps its own place
    assert fixes.where("monitoring_plan[1].method_class", Location("project.yaml", 100), data)["ja"] == (
        "project.yaml の monitoring_plan[1].method_class"
    )
