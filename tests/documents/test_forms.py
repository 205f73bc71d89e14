"""The official form structure (issue 10 items 3–5): titles with the form version, §1 1.1–1.3, 2.1's fields,
A.2 (2), A.3.1 per year, A.3.2's two tables, the report's project number, the forest forms in removals
wording, and what only a draft holds."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sample_projects import SAMPLES

from toolkit.documents.model import Fields, Missing, Paragraph, Table
from toolkit.pipeline import Run


def _copy(sample: str, tmp_path: Path) -> Path:
    target = tmp_path / sample
    shutil.copytree(SAMPLES / sample, target)
    return target


def _edit(project: Path, old: str, new: str) -> None:
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _document(root: Path, kind: str = "plan"):
    return Run(root).document(kind)


def _fields(document) -> dict[str, tuple]:
    return {
        row.path or row.label: row.value
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Fields)
        for row in block.rows
    }


def _section(document, section_id: str):
    return next(section for section in document.sections if section.id == section_id)


def _texts(document) -> list[str]:
    """Every string a document prints: titles, labels, values, cells, notes."""
    found = [document.title]
    for section in document.printed().sections:
        found.append(section.title)
        for block in section.blocks:
            if isinstance(block, Fields):
                found += [row.label for row in block.rows] + [
                    str(part) for row in block.rows for part in row.value
                ]
            elif isinstance(block, Paragraph):
                found += [str(part) for part in block.parts]
            elif isinstance(block, Table):
                found += [block.title, block.note] + [column.label for column in block.columns]
                found += [str(value) for row in block.rows for value in row.values()]
    return found


@pytest.mark.parametrize(
    "sample, title",
    [
        (
            "led-factory",
            "プロジェクト計画書（排出削減プロジェクト用）",
        ),  # the standard form's version is not known
        ("solar-program", "プロジェクト計画書（プログラム型排出削減プロジェクト用） Ver.4.0"),  # verified
        ("forest", "プロジェクト計画書（森林管理プロジェクト用）"),
    ],
)
def test_plan_titles_carry_the_form_and_only_a_known_version(sample, title):
    assert _document(SAMPLES / sample).title == title


def test_the_form_version_the_user_states_is_the_title_s(tmp_path):
    root = _copy("led-factory", tmp_path)
    _edit(root, "  type: standard", '  form_version: "3.2"\n  type: standard')
    assert _document(root).title == "プロジェクト計画書（排出削減プロジェクト用） Ver.3.2"
    # the plan form's version, not the report's
    assert _document(root, "monitoring").title == "モニタリング報告書"
    _edit(root, 'form_version: "3.2"', 'form_version: "Ver.3.3"')
    assert _document(root).title == "プロジェクト計画書（排出削減プロジェクト用） Ver.3.3"


def test_section_1_holds_the_form_s_parts_and_no_contact_details():
    for sample, heading in (
        ("led-factory", "プロジェクト実施者の情報"),
        ("solar-program", "プログラム型運営・管理者及び削減活動の実施者の情報"),
    ):
        document = _document(SAMPLES / sample)
        assert _section(document, "plan.1").title == heading
        assert {"plan.1.1", "plan.1.2", "plan.1.3"} <= {section.id for section in document.sections}
        paths = [path for path in _fields(document)]
        assert not [
            path for path in paths if path.startswith(("proponent.representative", "proponent.contact"))
        ]
        for part in ("name_kana", "postal_code", "address.prefecture", "address.city", "address.street"):
            assert f"proponent.{part}" in paths and f"credit_holder.{part}" in paths
    program = _fields(_document(SAMPLES / "solar-program"))
    assert program["program.grouping_body_kana"] == ("ギフチイキダツタンソスイシンキョウギカイ",)
    assert program["program.grouping_body_address.city"] == ("岐阜市",)


def test_other_proponents_none_or_listed(tmp_path):
    root = _copy("led-factory", tmp_path)
    (block,) = _section(_document(root), "plan.1.2").blocks
    assert block == Paragraph(("該当なし（プロジェクト代表実施者のみ）",))
    _edit(
        root,
        "other_proponents: []",
        "other_proponents:\n  - {name: 多治見照明株式会社, name_kana: タジミショウメイカブシキガイシャ,"
        ' postal_code: "507-0033", prefecture: 岐阜県, city: 多治見市}',
    )
    (table,) = _section(_document(root), "plan.1.2").blocks
    assert table.rows[0]["name"] == "多治見照明株式会社" and table.rows[0]["street"] is None
    unstated = _copy("led-factory", tmp_path / "unstated")
    _edit(unstated, "other_proponents: []\n", "")  # a table left out reads as an empty one: none
    assert _section(_document(unstated), "plan.1.2").blocks == [block]


def test_2_1_holds_number_methodology_class_purpose_outline_and_place():
    fields = _fields(_document(SAMPLES / "led-factory"))
    assert fields["project.number"] == ("0853",)
    assert fields["project.methodology.code"] == ("EN-S-006",) and fields["project.methodology.version"] == (
        "2.1",
    )
    assert fields["適用方法論の名称"] == ("照明設備の導入",)
    # empty in project.yaml: the monitoring plan's class of the methodology's first parameter
    assert fields["project.activity_class"][0].endswith("）") and "project.outline" in fields
    assert fields["site.name"] == ("東濃精工株式会社 本社工場",)


def test_a_2_2_is_an_item_and_source_table(tmp_path):
    root = _copy("led-factory", tmp_path)
    (table,) = _section(_document(root), "annex.A.2.2").blocks
    assert [column.label for column in table.columns] == ["項目", "入手方法"] and len(table.rows) == 1
    _edit(
        root,
        "other_proponents: []",
        "other_proponents: []\nadditionality_sources:\n  - {item: 設備投資額, method: 施工業者の見積書}\n"
        "  - {item: 年間削減額}",
    )
    (table,) = _section(_document(root), "annex.A.2.2").blocks
    assert table.rows[0] == {"item": "設備投資額", "method": "施工業者の見積書"}
    assert isinstance(table.rows[1]["method"], Missing)


def test_a_3_1_is_per_year_and_a_3_2_is_two_tables_with_totals():
    document = _document(SAMPLES / "led-factory")
    symbols = next(table for table in document.tables() if table.id == "symbols")
    assert {row["unit"] for row in symbols.rows} == {"t-CO2/年"}
    results = next(table for table in document.tables() if table.id == "results")
    first_whole_year = results.rows[0]  # the sample's period starts on 1 April
    assert symbols.rows[0]["value"] == first_whole_year["reduction"]
    blocks = _section(document, "annex.A.3.2").blocks
    assert blocks[0] == Paragraph(("(1) ベースライン排出量の付随的な排出活動: なし",))
    project = blocks[1]
    assert project.title == "(2) プロジェクト排出量の付随的な排出活動"
    assert [column.label for column in project.columns][:2] == ["排出活動", "考え方"]
    assert project.total["source"] == "合計"
    assert project.total["impact_pct"] == sum(row["impact_pct"] for row in project.rows)
    assert {row["counted"] for row in project.rows} <= {"排出量の算定を行う", "排出量の算定を行わない"}


def test_the_report_needs_the_project_number_at_verification(tmp_path):
    root = _copy("led-factory", tmp_path)
    assert _fields(_document(root, "monitoring"))["project.number"] == ("0853",)
    _edit(root, '  number: "0853"', "")
    document = _document(root, "monitoring")
    assert "project.number" in [item.path for item in document.open_items]
    assert "project.number" not in [
        item.path for item in _document(root).open_items
    ]  # the plan: after registration


@pytest.mark.parametrize("kind", ["plan", "monitoring"])
def test_forest_forms_speak_of_removals_and_show_no_negative_figure(kind):
    document = _document(SAMPLES / "forest", kind)
    assert "森林管理プロジェクト用" in document.title
    texts = "\n".join(_texts(document))
    assert "純吸収量" in texts and "吸収量" in texts
    assert "排出削減" not in texts and "ベースライン排出量" not in texts
    for table in document.tables():
        for row in [*table.rows, table.total or {}]:
            assert not [value for value in row.values() if isinstance(value, Decimal) and value < 0], table.id


def test_a_final_report_holds_neither_the_evidence_list_nor_the_closing_findings():
    run = Run(SAMPLES / "led-factory")
    from toolkit.checklist import readiness
    from toolkit.documents import assemble

    document = run.document("monitoring")
    remarks = readiness.remarks(run.checklist("verification"), "monitoring", "ja")
    draft = assemble.finish(document, remarks, final=False)
    assert "monitoring.B.5" in [section.id for section in draft.printed().sections] and draft.remarks
    final = assemble.finish(
        document, [remark for remark in remarks if remark.severity != "blocking"], final=True
    )
    assert "monitoring.B.5" not in [section.id for section in final.printed().sections]
    assert final.remarks == []
    evidence = next(table for table in final.tables() if table.id == "evidence")  # the workbook keeps it
    assert evidence.sheet and all(len(row["sha256"]) == 64 for row in evidence.rows)


def test_the_manifest_lists_the_evidence_register_of_a_final_report(tmp_path):
    import json

    Run(SAMPLES / "led-factory").render("monitoring", tmp_path, ("xlsx",), final=True, force=True)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    register = manifest["documents"]["monitoring"]["evidence"]
    assert register and all(len(entry["sha256"]) == 64 and entry["path"] for entry in register)


def test_the_plan_prints_the_breakdown_of_the_year_a_3_1_shows_and_keeps_every_year_in_the_workbook():
    document = _document(SAMPLES / "forest")
    tables = {table.id: table for table in document.tables()}
    full, year = tables["breakdown"], tables["breakdown_year"]
    assert full.body is False and full.sheet and year.sheet is None
    assert {row["fiscal_year"] for row in year.rows} == {"2025年度"} and len(full.rows) > len(year.rows)
    assert tables["symbols"].rows[0]["value"] == year.total["reduction"]
    printed = [table.id for table in document.printed().tables()]
    assert "breakdown_year" in printed and "breakdown" not in printed


def test_a_credit_holder_that_is_the_proponent_has_its_kana_and_address(tmp_path):
    fields = _fields(_document(SAMPLES / "solar-program"))  # program.credit_holder names the operator itself
    assert fields["credit_holder.name_kana"] == ("ギフチイキダツタンソスイシンキョウギカイ",)
    assert fields["credit_holder.address.street"] == ("橋本町2丁目8番地 ぎふ駅西ビル4階",)
    root = _copy("solar-program", tmp_path)
    _edit(root, "  credit_holder: 岐阜地域脱炭素推進協議会", "  credit_holder: 岐阜県地域電力株式会社")
    fields = _fields(_document(root))
    assert fields["credit_holder.name"] == ("岐阜県地域電力株式会社",)
    assert fields["credit_holder.name_kana"] == fields["credit_holder.postal_code"] == ("—",)
