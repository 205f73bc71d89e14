"""render/html.py and render/pdf.py: the conftest document as HTML and as a PDF read back with pypdf."""

from __future__ import annotations

import dataclasses
import logging
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as load_docx
from fonts import fonts
from pypdf import PdfReader

from toolkit.documents.model import Column, Document, Missing, Paragraph, Remark, Section, Table
from toolkit.errors import OutputError
from toolkit.render import docx, html, pdf

A4 = (595.28, 841.89)
OVERRIDE = """\
{% extends "default:html/document.html" %}
{% block title_block %}{{ super() }}<p class="override">上書きテンプレートを使用</p>{% endblock %}
"""
BROKEN = """\
{% extends "default:html/document.html" %}
{% block title_block %}
{% if %}
{% endblock %}
"""


def squeeze(text: str) -> str:
    """Text without any whitespace: where the PDF breaks a line no longer matters."""
    return re.sub(r"\s+", "", text)


def write(document: Document, path: Path, overrides: Path | None = None) -> tuple[PdfReader, list[str]]:
    pdf.render(document, path, overrides)
    reader = PdfReader(path)
    return reader, [page.extract_text() for page in reader.pages]


@pytest.fixture
def rendered(document, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        reader, pages = write(document, tmp_path / "plan.pdf")
    return (
        reader,
        pages,
        [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")],
    )


def test_pages_are_a4_portrait(rendered):
    reader, _, _ = rendered
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=1)


def test_landscape_document_has_landscape_pages(document, tmp_path):
    reader, _ = write(dataclasses.replace(document, landscape=True), tmp_path / "wide.pdf")
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4[::-1], abs=1)


def test_a_japanese_font_is_embedded_and_no_glyph_is_missing(rendered):
    reader, _, warnings = rendered
    embedded = fonts(reader)
    assert any("IPAex" in name and present for name, present in embedded.items()), embedded
    assert not [message for message in warnings if re.search(r"glyph|notdef|font", message, re.IGNORECASE)]


def test_text_headers_footers_and_markers(rendered, document):
    _, pages, _ = rendered
    text = "\n".join(pages)
    for section in document.sections:
        assert squeeze(section.title) in squeeze(text)
    assert "【未記入: 郵便番号】" in text
    assert "未記入の項目（1 件）" in text
    assert "proponent.postal_code" in text
    for number, page in enumerate(pages, 1):
        assert f"{number} / {len(pages)}" in page
        assert document.project_name in page
        assert "2025年4月1日" in page
        assert "下書き" in page
    assert squeeze(document.title) in squeeze(pages[0])


def test_user_text_stays_literal(rendered):
    _, pages, _ = rendered
    text = squeeze("\n".join(pages))
    for piece in ("<script>alert(1)</script>", "{{ 7*7 }}", "=HYPERLINK(", "&", "{% if 1 %}"):
        assert squeeze(piece) in text
    assert "</script>49" not in text and "</script>{{7*7}}" in text


def test_html_escapes_user_text(document):
    source = html.render(document)
    assert "<script>" not in source
    # a / in user text is followed by <wbr> (a break opportunity, render/html.py breakable), nothing else
    assert "&lt;script&gt;alert(1)&lt;/<wbr>script&gt;" in source
    assert "&amp; {% if 1 %}" in source


def test_final_document_has_no_draft_mark_and_no_open_items(document, tmp_path):
    note = Remark("R-FACTOR-STATUS", "warning", "規程の版 2025-09 の切替えは確認されていません", "照合する")
    final = dataclasses.replace(document, draft=False, open_items=[], remarks=[note])
    _, pages = write(final, tmp_path / "final.pdf")
    text = "\n".join(pages)
    assert "下書き" not in text
    assert "未記入の項目" not in text
    assert "規程の版" not in text and "審査前の確認事項" not in text  # the findings are a draft's notes
    docx.render(final, tmp_path / "final.docx")
    assert "規程の版" not in "\n".join(p.text for p in load_docx(str(tmp_path / "final.docx")).paragraphs)
    draft = dataclasses.replace(final, draft=True)
    assert "規程の版 2025-09" in html.render(draft)


@pytest.mark.slow
def test_long_table_repeats_its_header_and_totals_once(long_document, tmp_path):
    _, pages = write(long_document, tmp_path / "long.pdf")
    assert len(pages) >= 2
    with_rows = [page for page in pages if "PV-0" in page]
    assert len(with_rows) >= 2
    assert all("活動ID" in page for page in with_rows)
    assert "\n".join(pages).count("合計") == 1


@pytest.mark.slow
def test_a_document_laid_out_in_parts_reads_as_one(long_document, tmp_path, monkeypatch):
    """Laid out 120 rows at a time (render/pdf.py PART_ROWS), the long document keeps its rows in order, its
    title, caption and total once, the page header on every page, and "page / pages" over the whole."""
    _, whole = write(long_document, tmp_path / "whole.pdf")
    monkeypatch.setattr(pdf, "PART_ROWS", 120)
    assert len(long_document.parts(120)) >= 3
    reader, pages = write(long_document, tmp_path / "parts.pdf")
    squeezed = [squeeze(page) for page in pages]
    assert all(f"{number}/{len(pages)}" in page for number, page in enumerate(squeezed, 1))
    assert all(squeeze(long_document.project_name) in page for page in squeezed)
    text = "".join(squeezed)
    assert text.count(squeeze(long_document.title)) == 1
    assert text.count("合計") == "".join(map(squeeze, whole)).count("合計") == 1
    assert re.findall(r"PV-\d+", text) == re.findall(r"PV-\d+", "".join(map(squeeze, whole)))
    assert reader.metadata["/Title"] == long_document.title
    pdf.render(long_document, tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "parts.pdf").read_bytes()


def test_missing_in_a_table_cell_is_marked(document):
    table = Table(
        "t",
        "表",
        [Column("a", "値", kind="number")],
        [{"a": Missing("容量", "activities[0].capacity_kw")}, {"a": Decimal("1.5")}],
    )
    document.sections.append(Section("plan.9", "9", "追加", [table]))
    source = html.render(document)
    assert '<td class="num"><span class="missing">【未記入: 容量】</span></td>' in source
    assert '<td class="num">1.5</td>' in source


def test_control_characters_are_dropped_and_line_breaks_kept(document):
    document.sections.append(
        Section("plan.9", "9", "追加\x07", [Paragraph(("一行目\n二行目\x0b", "", "。"))])
    )
    source = html.render(document)
    assert "\x07" not in source and "\x0b" not in source
    assert "<p>一行目\n二行目。</p>" in source  # shown as two lines (white-space: pre-line), as in the DOCX


def test_chart_is_inline_svg(document):
    pytest.importorskip("toolkit.render.chart")
    source = html.render(document)
    assert re.search(r'<figure class="chart"[^>]*>\s*<svg', source)


def test_same_document_same_bytes(document, tmp_path):
    assert html.render(document) == html.render(document)
    pdf.render(document, tmp_path / "one.pdf")
    pdf.render(document, tmp_path / "two.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    assert PdfReader(tmp_path / "one.pdf").metadata["/CreationDate"].startswith("D:2000")


def test_override_extends_the_packaged_template(document, tmp_path):
    (tmp_path / "templates" / "html").mkdir(parents=True)
    (tmp_path / "templates" / "html" / "document.html").write_text(OVERRIDE, encoding="utf-8")
    _, pages = write(document, tmp_path / "plan.pdf", tmp_path / "templates")
    assert "上書きテンプレートを使用" in pages[0]
    assert "【未記入: 郵便番号】" in "\n".join(pages)


def test_override_of_the_stylesheet_alone(document, tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "document.css").write_text(
        '{% include "default:html/document.css" %}\nh1 { color: navy; }\n', encoding="utf-8"
    )
    source = html.render(document, tmp_path)
    assert "h1 { color: navy; }" in source and "@page" in source


def test_broken_override_names_file_and_line(document, tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "document.html").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        pdf.render(document, tmp_path / "plan.pdf", tmp_path)
    assert "document.html:3" in str(caught.value)
    assert not (tmp_path / "plan.pdf").exists()


def test_undefined_name_in_override_names_file_and_line(document, tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "document.html").write_text(
        '{% extends "default:html/document.html" %}\n{% block title_block %}\n{{ no_such_name }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(OutputError, match=r"document\.html:3"):
        html.render(document, tmp_path)


def test_renderers_import_weasyprint_lazily():
    code = "import sys, toolkit.render.html, toolkit.render.pdf; assert 'weasyprint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
