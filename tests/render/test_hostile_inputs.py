"""Hostile and careless input at render time (issue 14): long unbroken strings in tables, links and URLs in
template overrides, templates that would exhaust the machine."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from toolkit.documents.model import Column, Document, Section, Table
from toolkit.render import docx, html, pdf

MAP_URL = (
    "https://www.google.com/maps/place/"
    + "%E5%B2%90%E9%98%9C%E7%9C%8C" * 8
    + "/@35.4233,136.7606,17z/data=!3m1!4b1"
)[:170]
LONG_NAME = "Yamada" * 16 + "Taro"  # 100 characters, the longest name allowed, and not one space
HEADERS = [
    ("id", "活動ID"),
    ("name", "名称"),
    ("prefecture", "都道府県"),
    ("address", "設置住所"),
    ("capacity", "設備容量"),
    ("start", "運転開始日"),
    ("household", "家庭用"),
    ("fit", "FIT/FIP"),
    ("battery", "蓄電池"),
    ("joined", "加入日"),
    ("from", "認証対象期間の開始日"),
    ("until", "認証対象期間の終了日"),
]


def activity_list(rows: int = 3) -> Document:
    """An activity list whose first rows hold a 170-character map URL and a 100-character name."""
    columns = [
        Column(
            key,
            label,
            kind="number" if key == "capacity" else "date" if key in ("start", "joined") else "text",
        )
        for key, label in HEADERS
    ]
    table = Table("activities", "排出削減活動リスト", columns, [], sheet="活動一覧")
    for index in range(rows):
        table.rows.append(
            {
                "id": f"PV-{index + 1:04d}",
                "name": LONG_NAME if index == 1 else "山田 太郎 様邸",
                "prefecture": "岐阜県",
                "address": MAP_URL if index == 0 else "岐阜市薮田南2-1-1",
                "capacity": Decimal("4.93"),
                "start": dt.date(2023, 4, 15),
                "household": "はい",
                "fit": "いいえ",
                "battery": "いいえ",
                "joined": dt.date(2025, 3, 8),
                "from": "2025/04/01",
                "until": "LAST-COLUMN",
            }
        )
    return Document(
        kind="activity-list",
        title="排出削減活動リスト",
        project_name="テスト",
        date=dt.date(2025, 4, 1),
        stage="registration",
        sections=[Section("activity_list", "", "排出削減活動リスト", [table])],
        landscape=True,
    )


def text_positions(path: Path) -> list[tuple[int, float, float, str]]:
    """(page, x, page width, text) of every piece of text drawn in the PDF."""
    found = []
    for number, page in enumerate(PdfReader(path).pages):
        width = float(page.mediabox.width)

        def visit(text, cm, tm, font, size, number=number, width=width):
            if text.strip():
                found.append((number, cm[0] * tm[4] + cm[2] * tm[5] + cm[4], width, text))

        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize(
    "rows", [3, pytest.param(250, marks=pytest.mark.slow)], ids=["content-layout", "fixed-layout"]
)
def test_a_long_unbroken_string_keeps_every_column_on_the_page(tmp_path, rows):
    path = tmp_path / "activity-list.pdf"
    pdf.render(activity_list(rows), path)
    drawn = text_positions(path)
    outside = [(page, x, text) for page, x, width, text in drawn if not 0 <= x < width]
    assert outside == []
    squeezed = "".join("".join(text for *_, text in drawn).split())
    assert squeezed.count("LAST-COLUMN") == rows  # the last column of every row is there, on the page
    assert MAP_URL in squeezed and LONG_NAME in squeezed  # broken across lines, never cut


def test_a_long_unbroken_string_breaks_only_where_it_must(tmp_path):
    """IDs and dates keep their one line: only the long runs may break anywhere."""
    path = tmp_path / "activity-list.pdf"
    pdf.render(activity_list(), path)
    pieces = [text.strip() for *_, text in text_positions(path)]
    assert {"PV-0001", "PV-0002", "2023/04/15", "2025/03/08"} <= {
        piece for text in pieces for piece in text.split()
    }


def test_docx_tables_have_fixed_widths_within_the_page(tmp_path):
    """Word and LibreOffice wrap a long word inside a fixed-layout cell; an autofit table would widen instead."""
    path = tmp_path / "activity-list.docx"
    docx.render(activity_list(), path)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == xml.count('<w:tblLayout w:type="fixed"/>') >= 1
    page = int(re.search(r'<w:pgSz w:w="(\d+)"', xml).group(1))
    margins = sum(
        int(re.search(rf'<w:pgMar [^>]*w:{side}="(\d+)"', xml).group(1)) for side in ("left", "right")
    )
    for table in re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", xml):
        assert sum(int(width) for width in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)) <= page - margins
    assert MAP_URL in xml and LONG_NAME in xml


def test_the_activity_list_marks_only_long_runs():
    page = html.render(activity_list())
    assert page.count('class="unbroken"') == 2
