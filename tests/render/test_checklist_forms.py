"""checklist_report.py: the readiness checklist as text, JSON, a coach's workbook and one HTML page."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from toolkit import messages
from toolkit.checklist.findings import DOCUMENT_TITLES, Checklist, Finding
from toolkit.problems import Location
from toolkit.render import checklist_forms as report

HOSTILE = '=HYPERLINK("http://example.com","x")<script>alert(1)</script>{{ 7*7 }}&amp;'
BUILT = dt.datetime(2025, 4, 1, 9, 30, tzinfo=dt.UTC)
PLAN = DOCUMENT_TITLES["plan"]


def finding(
    rule: str,
    severity: str,
    path: str,
    section: str,
    location: Location | None,
    code: str,
    params: dict,
    label: dict | None = None,
) -> Finding:
    assert "check." + code in messages.TEMPLATES and "fix." + code in messages.TEMPLATES, (
        code
    )  # real codes only
    return Finding(rule, severity, path, section, location, code, params, label or {})


@pytest.fixture
def checklist() -> Checklist:
    return Checklist(
        "registration",
        [
            finding(
                "F-MISSING",
                "blocking",
                "proponent.postal_code",
                "plan.1.1",
                Location("project.yaml", 14),
                "missing",
                {"label": "郵便番号", "document": PLAN},
                {"ja": "郵便番号", "en": "postal code"},
            ),
            finding(
                "F-MISSING",
                "blocking",
                "project.summary",
                "plan.2.1",
                Location("project.yaml", 20),
                "missing",
                {"label": HOSTILE, "document": PLAN},
                {"ja": HOSTILE},
            ),
            finding(
                "R-BASE-NOSPEC",
                "warning",
                "activities[0].baseline",
                "activity_list.1",
                Location("activities.xlsx", sheet="活動", row=5, col=3),
                "baseline_nospec",
                {"activity": "PV-0001"},
            ),
            finding(
                "R-EVID-UNUSED",
                "info",
                "",
                "monitoring.B.5",
                Location("evidence/x.pdf"),
                "evidence_unused",
                {"file": "evidence/x.pdf"},
            ),
            finding(
                "V-INPUT",
                "blocking",
                "=cmd|' /C calc'!A0",
                "",
                Location("project.yaml", 3),
                "problem",
                {"message": {"ja": "=1+1 \x1b[31m赤", "en": "=1+1 \x1b[31mred"}},
            ),
        ],
        {"plan": 20, "activity-list": 10, "monitoring": 5},
        [{"path": "evidence/a.pdf", "sha256": "0" * 64}],
        "テスト市",
    )


@pytest.fixture
def ready() -> Checklist:
    return Checklist(
        "verification",
        [
            finding(
                "R-EVID-UNUSED",
                "info",
                "",
                "monitoring.B.5",
                Location("evidence/x.pdf"),
                "evidence_unused",
                {"file": "evidence/x.pdf"},
            )
        ],
        {"plan": 3, "monitoring": 2},
        [],
        "テスト市",
    )


# text


def test_text_groups_by_document_then_section_in_order(checklist):
    out = report.text(checklist, "ja", "テスト市", color=False)
    lines = out.splitlines()
    heads = [line for line in lines if line and not line.startswith(" ")]
    assert heads[:2] == ["確認リスト: テスト市", "段階: 登録（妥当性確認）"]
    assert heads[2:7] == [
        "プロジェクト計画書",
        "排出削減活動リスト",
        "モニタリング報告書",
        "入力",
        "書類別の達成率",
    ]
    sections = [line.strip() for line in lines if line.startswith("  § ")]
    assert sections == [  # as the documents number and title them; an id no document has stays as it is
        "§ 1.1 プロジェクト代表実施者",
        "§ 2.1 プロジェクトの目的及び概要",
        "§ activity_list.1",
        "§ B.5 証憑一覧（確認用）",
        "§ （節の指定なし）",
    ]
    first = lines.index("  § 1.1 プロジェクト代表実施者")
    assert lines[first + 1] == (
        "    ✗ F-MISSING  project.yaml:14 proponent.postal_code（郵便番号）: "
        "プロジェクト計画書の必須項目「郵便番号」が未記入です"
    )
    assert lines[first + 2].startswith("      → 入力ファイルの該当箇所に記入する")
    assert "    ! R-BASE-NOSPEC  activities.xlsx!活動!C5 activities[0].baseline: 活動 PV-0001" in out
    assert "    i R-EVID-UNUSED  evidence/x.pdf: evidence/x.pdf はどの読取値からも参照されていません" in out
    assert HOSTILE in out  # quoted as it is: no truncation, no escaping in a terminal


def test_text_scores_and_summary_in_japanese(checklist):
    lines = report.text(checklist, "ja", "テスト市", color=False).splitlines()
    assert "  プロジェクト計画書  90%（必須項目 20 件中 要対応 2 件）" in lines
    assert "  排出削減活動リスト  100%（必須項目 10 件中 要対応 0 件）" in lines
    assert lines[-1] == "未完了: 要対応 3 件、注意 1 件、情報 1 件、達成率 91%"


def test_text_in_english(checklist):
    out = report.text(checklist, "en", "Test city", color=False)
    lines = out.splitlines()
    assert lines[0] == "Readiness checklist: Test city"
    assert "project plan" in lines and "activity list" in lines and "inputs" in lines
    assert (
        "    ✗ F-MISSING  project.yaml:14 proponent.postal_code (postal code): "
        "the required field '郵便番号' of the project plan is empty" in lines
    )
    assert "  project plan       90% (2 of 20 required items open)" in lines
    assert lines[-1] == "Not ready: blocking 3, warnings 1, notes 1, score 91%"


def test_text_ready_summary(ready):
    assert report.text(ready, "ja", "", color=False).splitlines()[-1] == "準備完了（注意 0 件、情報 1 件）"
    assert report.text(ready, "en", "", color=False).splitlines()[-1] == "Ready (warnings 0, notes 1)"
    empty = Checklist("registration", [], {"plan": 3}, [], "p")
    out = report.text(empty, "ja", "p", color=False)
    assert out.splitlines()[-1] == "準備完了" and "指摘はありません" in out


def test_colour_only_when_asked(checklist):
    plain = report.text(checklist, "ja", "テスト市", color=False)
    assert "\x1b" not in plain  # nor the escape a user value tried to smuggle in
    coloured = report.text(checklist, "ja", "テスト市", color=True)
    assert "\x1b[31m✗ F-MISSING\x1b[0m" in coloured
    assert "\x1b[33m! R-BASE-NOSPEC\x1b[0m" in coloured
    assert "\x1b[2mi R-EVID-UNUSED\x1b[0m" in coloured
    assert "\x1b[31m赤" not in coloured
    assert "\x1b[31m未完了" in coloured


def test_long_lists_are_not_truncated():
    many = [
        finding(
            "F-MISSING",
            "blocking",
            f"activities[{index}].name",
            "activity_list.1",
            Location("activities.xlsx", sheet="活動", row=index + 2, col=2),
            "missing",
            {"label": "名称", "document": DOCUMENT_TITLES["activity-list"]},
        )
        for index in range(500)
    ]
    found = Checklist("registration", many, {"activity-list": 1000}, [])
    out = report.text(found, "ja", "p", color=False)
    # one line for the 500: the count and the first rows; every one of them in JSON, XLSX and HTML
    (line,) = [line for line in out.splitlines() if "✗ F-MISSING" in line]
    assert "activities[*].name: 500 件（activities.xlsx!活動!B2、B3、B4 ほか 497 件）" in line
    report_json = report.as_json(found, "ja")
    assert [item["path"] for item in report_json["findings"]] == [f"activities[{i}].name" for i in range(500)]
    (group,) = report_json["groups"]
    assert group["count"] == 500 and group["findings"] == list(range(500))
    page = report.html(found, "ja", "p", BUILT)
    assert page.count('<li data-path="activities[') == 500 and "activities[499].name" in page


# JSON


def test_json_keeps_the_contract_and_adds_scores_counts_and_evidence(checklist):
    found = report.as_json(checklist, "en")
    json.dumps(found)  # serialisable as it is
    assert {"ready", "stage", "score", "findings"} <= set(found)
    assert found["ready"] is False and found["stage"] == "registration" and found["score"] == 0.914
    assert found["scores"] == {"plan": 0.9, "activity-list": 1.0, "monitoring": 1.0}
    assert found["counts"] == {"blocking": 3, "warning": 1, "info": 1}
    assert found["evidence"] == [{"path": "evidence/a.pdf", "sha256": "0" * 64}]
    for item in found["findings"]:
        assert {"id", "severity", "path", "section", "message", "location"} <= set(item)
    assert found["findings"][0] == {
        "id": "F-MISSING",
        "severity": "blocking",
        "path": "proponent.postal_code",
        "section": "plan.1.1",
        "section_title": "1.1 プロジェクト代表実施者",
        "document": "plan",
        "label": "postal code",
        "message": "the required field '郵便番号' of the project plan is empty",
        "fix": messages.render("fix.missing", "en", {}),
        "location": "project.yaml:14",
    }
    message = report.as_json(checklist, "ja")["findings"][1]["message"]
    assert message == f"プロジェクト計画書の必須項目「{HOSTILE}」が未記入です"


# XLSX


def written(checklist: Checklist, tmp_path: Path, lang: str = "ja", name: str = "check.xlsx") -> Path:
    path = tmp_path / name
    report.xlsx(checklist, lang, "テスト市 & 協議会", path, BUILT)
    return path


def header_row(sheet) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "No.")


def test_xlsx_has_the_title_rows_and_the_table(checklist, tmp_path):
    book = openpyxl.load_workbook(written(checklist, tmp_path))
    assert book.sheetnames == ["確認リスト"]
    sheet = book["確認リスト"]
    assert sheet["A1"].value == "確認リスト: テスト市 & 協議会"
    titles = [sheet.cell(row, 1).value for row in range(2, 6)]
    assert titles[0] == "段階: 登録（妥当性確認）"
    assert titles[1] == "準備状況: 未完了: 要対応 3 件、注意 1 件、情報 1 件、達成率 91%"
    assert titles[2].startswith("達成率: 91%")
    assert titles[3] == "作成日: 2025年4月1日"
    top = header_row(sheet)
    assert [cell.value for cell in sheet[top]] == [
        "No.",
        "重要度",
        "ルール",
        "書類",
        "節",
        "場所",
        "項目（パス）",
        "内容",
        "対応方法",
        "状況",
        "備考",
    ]
    first = [cell.value for cell in sheet[top + 1]]
    assert first[:7] == [
        1,
        "要対応",
        "F-MISSING",
        "プロジェクト計画書",
        "1.1 プロジェクト代表実施者",
        "project.yaml:14",
        "proponent.postal_code（郵便番号）",
    ]
    assert first[9] is None and first[10] is None  # status and notes: for the coach
    assert sheet.max_row == top + 5
    assert sheet.freeze_panes == f"A{top + 1}"
    assert sheet.auto_filter.ref == f"A{top}:K{top + 5}"
    assert sheet.print_title_rows == f"${top}:${top}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddHeader.center.text == "テスト市 && 協議会" and sheet.oddFooter.center.text == "&P / &N"
    assert sheet.cell(top + 1, 8).alignment.wrap_text
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["A"].width


def test_xlsx_colours_severities_and_uses_the_japanese_font(checklist, tmp_path):
    sheet = openpyxl.load_workbook(written(checklist, tmp_path)).active
    top = header_row(sheet)
    fills = {sheet.cell(row, 2).value: sheet.cell(row, 2).fill.fgColor.rgb for row in range(top + 1, top + 6)}
    assert fills["要対応"].endswith("FFC7CE") and fills["注意"].endswith("FFEB9C")
    data = [sheet.cell(row, column) for row in range(top + 1, top + 6) for column in range(1, 12)]
    assert all(
        cell.border.top.style == "thin" and cell.alignment.wrap_text for cell in data
    )  # fills kept them
    assert {cell.fill.fill_type for cell in data if cell.column != 2} == {None}  # a fill on the severity only
    fonts = {cell.font.name for row in sheet.iter_rows() for cell in row}
    assert fonts == {"IPAexGothic"}


def test_xlsx_status_column_has_a_dropdown(checklist, tmp_path):
    sheet = openpyxl.load_workbook(written(checklist, tmp_path)).active
    top = header_row(sheet)
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"未対応,対応中,対応済み,対象外"'
    assert str(validation.sqref) == f"J{top + 1}:J{top + 5}"
    english = openpyxl.load_workbook(written(checklist, tmp_path, "en", "en.xlsx"))
    assert english.sheetnames == ["Checklist"]
    assert (
        english.active.data_validations.dataValidation[0].formula1 == '"open,in progress,done,not applicable"'
    )


def test_xlsx_writes_every_hostile_string_as_text(checklist, tmp_path):
    sheet = openpyxl.load_workbook(written(checklist, tmp_path)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    hostile = [cell for cell in cells if cell.value.startswith("=") or HOSTILE in cell.value]
    assert len(hostile) >= 4  # the label, the message, the path and the "=1+1" message
    assert all(cell.data_type == "s" for cell in hostile)
    assert not any("\x1b" in cell.value for cell in cells)


def test_xlsx_same_checklist_same_bytes(checklist, tmp_path):
    assert (
        written(checklist, tmp_path, name="a.xlsx").read_bytes()
        == written(checklist, tmp_path, name="b.xlsx").read_bytes()
    )


def test_xlsx_without_findings(tmp_path):
    sheet = openpyxl.load_workbook(written(Checklist("registration", [], {"plan": 3}, []), tmp_path)).active
    assert any(cell.value == "指摘はありません" for row in sheet.iter_rows() for cell in row)


# HTML


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [value for name, value in attrs if name in ("src", "href") and value]

    def handle_data(self, data):
        self.text.append(data)


def parsed(out: str) -> Page:
    page = Page()
    page.feed(out)
    page.close()
    return page


def test_html_is_one_page_with_only_its_own_inline_script(checklist):
    out = report.html(checklist, "ja", "テスト市", BUILT)
    page = parsed(out)
    assert page.tags.count("script") == 1 and out.count("<script>") == 1  # inline: no src
    assert "link" not in page.tags and "img" not in page.tags and not page.links
    script = out[out.index("<script>") : out.index("</script>")]
    for network in ("fetch(", "XMLHttpRequest", "WebSocket", "http:", "https:", "import(", "src"):
        assert network not in script
    assert page.tags.count("table") == 6  # the scores, then one per section
    assert "style" in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}&amp;amp;" in out
    assert any(HOSTILE in text for text in page.text)  # shown literally once unescaped by the browser
    assert "=1+1 [31m赤" in out  # the escape character is removed


def test_html_summary_counts_and_scores(checklist):
    out = report.html(checklist, "ja", "テスト市", BUILT)
    text = "".join(parsed(out).text)
    assert "確認リスト: テスト市" in text and "登録（妥当性確認）" in text and "2025年4月1日" in text
    assert "未完了: 要対応 3 件、注意 1 件、情報 1 件、達成率 91%" in text
    assert '<strong class="count-blocking">3</strong>' in out
    assert (
        '<strong class="count-warning">1</strong>' in out and '<strong class="count-info">1</strong>' in out
    )
    assert 'style="width: 90%"' in out and 'style="width: 100%"' in out
    assert (
        text.index("プロジェクト計画書") < text.index("排出削減活動リスト") < text.index("モニタリング報告書")
    )
    assert '<html lang="ja">' in out


def test_html_in_english_and_ready(ready):
    out = report.html(ready, "en", "Test", BUILT)
    assert '<html lang="en">' in out and "Ready (warnings 0, notes 1)" in out and "badge ready" in out
    assert "verification" in out and "2025-04-01" in out


def test_html_project_override_extends_the_packaged_page(checklist, tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "checklist.html").write_text(
        '{% extends "default:html/checklist.html" %}{% block scores %}<p>override</p>{% endblock %}',
        encoding="utf-8",
    )
    out = report.html(checklist, "ja", "テスト市", BUILT, overrides=tmp_path)
    assert "<p>override</p>" in out and "&lt;script&gt;" in out and out.count("<script>") == 1


def test_html_same_checklist_same_page(checklist):
    assert report.html(checklist, "ja", "p", BUILT) == report.html(checklist, "ja", "p", BUILT)


def test_text_and_json_load_neither_openpyxl_nor_jinja():
    import subprocess
    import sys

    code = (
        "import sys; from toolkit.render import checklist_forms as r; from toolkit.checklist.findings import Checklist;"
        "c = Checklist('registration', [], {}); r.text(c, 'ja', 'p', False); r.as_json(c, 'ja');"
        "print(sorted({'openpyxl', 'jinja2'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
