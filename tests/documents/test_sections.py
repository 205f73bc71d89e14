"""documents/sections.py: a data path or section id names the document and the heading a reader sees."""

from __future__ import annotations

import pytest

from toolkit.documents import sections
from toolkit.documents.sections import section_title

STANDARD = {"project": {"type": "standard", "methodology": {"code": "EN-S-006"}}}
PROGRAM = {"project": {"type": "program", "methodology": {"code": "EN-R-002"}}}
STANDARD_S2 = {"project": {"type": "standard", "methodology": {"code": "EN-S-002"}}}


@pytest.mark.parametrize(
    ("data", "path", "document", "heading"),
    [
        (STANDARD, "proponent.postal_code", "plan", "1.1 プロジェクト代表実施者"),
        (STANDARD, "project.crediting_period.end", "plan", "2.3 実施期間及びモニタリング計画"),
        (STANDARD, "additionality.capex_jpy", "plan", "A.2 追加性の評価（別紙）"),
        (STANDARD, "monitoring[3].operating_hours", "monitoring", "B.2 モニタリング実績"),
        (STANDARD, "monitoring_report.deviations", "monitoring", "B.4 計画からの変更点"),
        (STANDARD, "activities[0].planned_hours_per_year", "plan", "3 排出削減見込量"),
        (STANDARD, "project.name", "plan", "表紙"),  # its schema section: the cover shows it first
        (PROGRAM, "proponent.postal_code", "plan", "1.1 プログラム型運営・管理者"),
        (PROGRAM, "activities[12].capacity_kw", "activity-list", "排出削減活動リスト"),
    ],
)
def test_a_path_names_its_document_and_section(data, path, document, heading):
    found = sections.of_path(data, path)
    assert found is not None and (found.document, found.text()) == (document, heading)


def test_a_path_no_document_shows_has_no_heading():
    assert sections.of_path(STANDARD, "rules_version") is None
    assert sections.of_path(STANDARD, "no.such.field") is None


def test_a_section_id_reads_as_its_heading():
    assert sections.of_section("plan.2.3", "standard").text() == "2.3 実施期間及びモニタリング計画"
    assert sections.of_section("annex.A.2", "program").text() == "A.2 追加性の評価（別紙）"
    assert sections.of_section("plan.cover", "standard").text() == "表紙"
    assert sections.of_section("plan.99") is None


@pytest.mark.parametrize(
    ("key", "data", "expected"),
    [
        ("plan.2.3", STANDARD_S2, ("plan", "2.3 実施期間及びモニタリング計画")),
        ("annex.A.2", STANDARD_S2, ("plan", "A.2 追加性の評価（別紙）")),
        ("plan.cover", STANDARD_S2, ("plan", "表紙")),
        ("monitoring.B.5", STANDARD_S2, ("monitoring", "B.5 証憑一覧（確認用）")),
        ("monitoring.B.2.2", STANDARD_S2, ("monitoring", "B.2 (2) 係数")),  # (2) reads with its section
        ("activity_list", PROGRAM, ("activity-list", "排出削減活動リスト")),
        # data paths: the spec field that prints them, else the schema's section, else their table
        ("proponent.postal_code", STANDARD_S2, ("plan", "1.1 プロジェクト代表実施者")),
        (
            "proponent.postal_code",
            PROGRAM,
            ("plan", "1.1 プログラム型運営・管理者"),
        ),  # the program plan's own title
        ("monitoring_report.deviations", STANDARD_S2, ("monitoring", "B.4 計画からの変更点")),
        ("activities[2].commissioned_on", PROGRAM, ("activity-list", "排出削減活動リスト")),
        ("monitoring[35].evidence", PROGRAM, ("monitoring", "B.2 モニタリング実績")),
        # nothing shows them
        ("grid_electricity", STANDARD_S2, ("", "")),
        ("", STANDARD_S2, ("", "")),
        ("no.such.path", STANDARD_S2, ("", "")),
    ],
)
def test_section_title(key, data, expected):
    assert section_title(key, data) == expected


def test_an_overridden_spec_retitles_its_sections(tmp_path):
    from toolkit.documents import assemble

    spec = assemble.template("documents/plan_standard.yaml", None).read_text(encoding="utf-8")
    folder = tmp_path / "templates" / "documents"
    folder.mkdir(parents=True)
    (folder / "plan_standard.yaml").write_text(
        spec.replace("title: 実施期間及びモニタリング計画", "title: 期間と計画"), encoding="utf-8"
    )
    assert section_title("plan.2.3", STANDARD_S2, tmp_path / "templates") == ("plan", "2.3 期間と計画")
