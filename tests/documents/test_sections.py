"""sections.of_path / of_section: a data path or section id names the document and the heading a reader sees."""

from __future__ import annotations

import pytest

from toolkit.documents import sections

STANDARD = {"project": {"type": "standard", "methodology": {"code": "EN-S-006"}}}
PROGRAM = {"project": {"type": "program", "methodology": {"code": "EN-R-002"}}}


@pytest.mark.parametrize(
    ("data", "path", "document", "heading"),
    [
        (STANDARD, "proponent.postal_code", "plan", "1.1 プロジェクト実施者"),
        (STANDARD, "project.crediting_period.end", "plan", "2.3 実施期間及びモニタリング計画"),
        (STANDARD, "additionality.capex_jpy", "plan", "A.2 追加性の評価（別紙）"),
        (STANDARD, "monitoring[3].operating_hours", "monitoring", "B.2 モニタリング実績"),
        (STANDARD, "monitoring_report.deviations", "monitoring", "B.4 計画からの変更点"),
        (STANDARD, "activities[0].planned_hours_per_year", "plan", "3 排出削減見込量"),
        (STANDARD, "project.name", "plan", "表紙"),  # its schema section: the cover shows it first
        (PROGRAM, "proponent.postal_code", "plan", "1.1 運営・管理者"),
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
