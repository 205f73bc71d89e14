"""section_title: a section id or a data path as the document and the section's number and title."""

from __future__ import annotations

import pytest

from toolkit.documents.sections import section_title

STANDARD = {"project": {"type": "standard", "methodology": {"code": "EN-S-002"}}}
PROGRAM = {"project": {"type": "program", "methodology": {"code": "EN-R-002"}}}


@pytest.mark.parametrize(
    ("key", "data", "expected"),
    [
        ("plan.2.3", STANDARD, ("plan", "2.3 実施期間及びモニタリング計画")),
        ("annex.A.2", STANDARD, ("plan", "A.2 追加性の評価（別紙）")),
        ("plan.cover", STANDARD, ("plan", "表紙")),
        ("monitoring.B.5", STANDARD, ("monitoring", "B.5 証憑一覧")),
        ("monitoring.B.2.2", STANDARD, ("monitoring", "B.2 (2) 係数")),  # (2) reads with its section
        ("activity_list", PROGRAM, ("activity-list", "排出削減活動リスト")),
        # data paths: the spec field that prints them, else the schema's section, else their table
        ("proponent.postal_code", STANDARD, ("plan", "1.1 プロジェクト実施者")),
        ("proponent.postal_code", PROGRAM, ("plan", "1.1 運営・管理者")),  # the program plan's own title
        ("monitoring_report.deviations", STANDARD, ("monitoring", "B.4 計画からの変更点")),
        ("activities[2].commissioned_on", PROGRAM, ("activity-list", "排出削減活動リスト")),
        ("monitoring[35].evidence", PROGRAM, ("monitoring", "B.2 モニタリング実績")),
        # nothing shows them
        ("grid_electricity", STANDARD, ("", "")),
        ("", STANDARD, ("", "")),
        ("no.such.path", STANDARD, ("", "")),
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
    assert section_title("plan.2.3", STANDARD, tmp_path / "templates") == ("plan", "2.3 期間と計画")
