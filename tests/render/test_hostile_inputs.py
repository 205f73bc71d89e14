"""Hostile and careless input at render time (issue 14): long unbroken strings in tables, links and URLs in
template overrides, templates that would exhaust the machine."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from toolkit.documents.model import Column, Document, FieldRow, Fields, Paragraph, Section, Table
from toolkit.errors import TemplateError
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
    assert {"PV-0001", "PV-0002", "2023年4月15日", "2025年3月8日"} <= {
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


# -- URLs in a template override (defect 5) ---------------------------------------------------------------------
LOGO = '{% extends "default:html/document.html" %}\n{% block title_block %}\nIMAGE\n{{ super() }}{% endblock %}\n'


def override(root: Path, image: str, css: str | None = None) -> Path:
    """A project's templates/ folder whose document.html shows `image` on line 3; a logo.png beside it."""
    from PIL import Image

    folder = root / "templates" / "html"
    folder.mkdir(parents=True)
    (folder / "document.html").write_text(LOGO.replace("IMAGE", image), encoding="utf-8")
    Image.new("RGB", (40, 20), (200, 0, 0)).save(folder / "logo.png")
    (folder / "notes.txt").write_text("not an image", encoding="utf-8")
    if css is not None:
        (folder / "document.css").write_text(css, encoding="utf-8")
    return root / "templates"


def test_a_logo_inside_templates_is_drawn(tmp_path):
    templates = override(tmp_path / "project", '<img src="logo.png" style="width: 20mm">')
    pdf.render(activity_list(), tmp_path / "out.pdf", templates)
    page = PdfReader(tmp_path / "out.pdf").pages[0]
    assert any(
        resource.get_object().get("/Subtype") == "/Image"
        for resource in page["/Resources"].get("/XObject", {}).values()
    )


@pytest.mark.parametrize(
    "image, css, place, found",
    [
        ('<img src="https://example.com/logo.png">', None, "document.html:3", "https://example.com/logo.png"),
        ('<img src="http://127.0.0.1:9/x.png">', None, "document.html:3", "http://127.0.0.1:9/x.png"),
        ('<img src="../../../secret.png">', None, "document.html:3", "secret.png"),
        ('<img src="/etc/passwd">', None, "document.html:3", "file:///etc/passwd"),
        ('<img src="notes.txt">', None, "document.html:3", "notes.txt"),
        ('<img src="missing.png">', None, "document.html:3", "missing.png"),
        ('<link rel="stylesheet" href="https://example.com/a.css">', None, "document.html:3", "a.css"),
        ("<p></p>", 'body { background: url("file:///etc/passwd") }\n', "document.css:1", "/etc/passwd"),
        ("<p></p>", "@import url(https://example.com/a.css);\n", "document.css:1", "a.css"),
    ],
    ids=[
        "https",
        "http",
        "parent",
        "absolute",
        "not-image",
        "missing",
        "stylesheet",
        "css-url",
        "css-import",
    ],
)
def test_any_other_url_is_refused_at_its_line(tmp_path, image, css, place, found):
    templates = override(tmp_path / "project", image, css)
    with pytest.raises(TemplateError) as raised:
        pdf.render(activity_list(), tmp_path / "out.pdf", templates)
    message = str(raised.value)
    assert place in message and found in message, message
    assert "templates/" in message  # says what is allowed
    assert not (tmp_path / "out.pdf").exists()


def test_a_url_exits_1_from_the_command_line(tmp_path, run):
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2] / "samples" / "solar-program", project)
    override(project, '<img src="https://example.com/logo.png">')
    code, stdout, stderr = run("render", "activity-list", project, "-o", tmp_path / "out", "--format", "pdf")
    assert code == 1 and "document.html:3" in stderr + stdout and "Traceback" not in stderr


# -- templates that would exhaust the machine (defect 13) -----------------------------------------------------------
EXHAUSTING = {
    "nested-ranges": "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
    "big-range": "{% for i in range(99999) %}{% endfor %}",
    "text-times": '{{ "x" * 2000000000 }}',
    "list-times": "{{ ([1] * 100000000) | length }}",
    "power": "{{ 2 ** 10000000 }}",
    "doubling-concat": '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}'
    "{% endfor %}",
    "doubling-plus": '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}'
    "{% endfor %}",
    "percent-width": '{{ "%2000000000d" % 1 }}',
    "center": '{{ "x" | center(2000000000) }}',
    "format-filter": '{{ "%2000000000s" | format("x") }}',
    "ljust-method": '{{ "x".ljust(2000000000) }}',
    "format-method": '{{ "{:>2000000000}".format("x") }}',
    "replace": '{{ ("x" * 1000000) | replace("x", "y" * 1000) }}',
    "indent": '{{ ("\\n" * 100000) | indent("y" * 10000) }}',
    "join": '{{ (["x" * 1000000] * 100) | join }}',
    "sum-lists": "{{ ([[1] * 10000] * 10000) | sum(start=[]) }}",
    "list-mutation": "{% set l = [1] %}{% for i in range(100) %}{{ l.extend(l) }}{% endfor %}",
    "output": "{% for i in range(10000) %}{% for j in range(10000) %}"
    + "x" * 60
    + "{% endfor %}{% endfor %}",
    "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "extends-itself": '{% extends "html/document.html" %}',
}


@pytest.mark.parametrize("body", EXHAUSTING.values(), ids=EXHAUSTING.keys())
def test_a_template_cannot_exhaust_the_machine(tmp_path, body):
    import time

    folder = tmp_path / "templates" / "html"
    folder.mkdir(parents=True)
    (folder / "document.html").write_text("{# line 1 #}\n" + body + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(TemplateError) as raised:
        html.render(activity_list(), tmp_path / "templates")
    assert time.monotonic() - started < 10
    assert f"{folder / 'document.html'}:2:" in str(raised.value)


def test_the_limits_leave_room_for_the_packaged_templates():
    """A 2,000-activity list renders; the budget it spends is a small part of each limit."""
    from toolkit.render import sandbox

    env = html.environment()
    template = env.get_template(html.DOCUMENT)
    env.start()
    document = activity_list(2000)
    text = "".join(template.generate(document=document, sections={}))
    assert env.iterations * 25 * 10 < sandbox.MAX_ITERATIONS  # 50,000 activities with room to spare
    assert len(text) * 25 * 4 < sandbox.MAX_OUTPUT


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_long_runs_outside_tables_wrap_at_the_page_edge(tmp_path):
    """A 200-character project name (title and page header), a URL in a field and in a paragraph."""
    document = activity_list(2)
    document.project_name = "P" * 200
    document.sections[0].blocks[:0] = [
        Fields((FieldRow("住所", (MAP_URL,), "proponent.address"),)),
        Paragraph(("変更点: " + MAP_URL * 3,)),
    ]
    path = tmp_path / "out.pdf"
    pdf.render(document, path)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    page = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
    assert right <= page
