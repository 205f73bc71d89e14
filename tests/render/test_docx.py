"""render/docx.py and templates/base.docx: styles, markers, tables, fields, fonts, overrides, same bytes."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import importlib.util
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm
from docx.text.run import Run
from fonts import IPAEX, W, east_asian_fonts, effective_east_asian

from toolkit.documents.model import Chart, Column, Fields, Paragraph, Section, Series, Table
from toolkit.errors import OutputError
from toolkit.packaged import template
from toolkit.render import docx as renderer

ROOT = Path(__file__).resolve().parents[2]


def render(
    document, tmp_path: Path, name: str = "plan.docx", overrides: Path | None = None
) -> docx.document.Document:
    path = tmp_path / name
    renderer.render(document, path, overrides)
    return docx.Document(str(path))


@pytest.fixture
def word(document, tmp_path):
    return render(document, tmp_path)


@pytest.fixture
def hostile(document) -> str:
    """The conftest's hostile text: the value of the field 実施者名."""
    return next(
        row.value[0]
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Fields)
        for row in block.rows
        if row.label == "実施者名"
    )


def grow(document, rows: int):
    """The conftest document with `rows` rows in its readings table (what build_document(rows=N) makes)."""
    readings = document.tables()[1]
    readings.rows = [
        {
            "activity_id": f"PV-{index:04d}",
            "month": f"2025-{index % 12 + 1:02d}",
            "kwh": Decimal(300 + index),
            "factor": Decimal("0.000441"),
            "reduction": Decimal(300 + index) * Decimal("0.000441"),
        }
        for index in range(rows)
    ]
    return document


def parts(word) -> list:
    """The document body and every header and footer part."""
    return [word.element] + [
        rel.target_part.element for rel in word.part.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)
    ]


def text_of(element) -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}t"))


def paragraphs(element) -> list[str]:
    return [text_of(paragraph) for paragraph in element.iter(f"{W}p")]


def header_text(word) -> str:
    return "".join(
        text_of(rel.target_part.element) for rel in word.part.rels.values() if rel.reltype == RT.HEADER
    )


def word_table(word, table: Table):
    """The Word table whose header row starts with the model table's first column label."""
    found = [
        candidate for candidate in word.tables if candidate.rows[0].cells[0].text == table.columns[0].label
    ]
    assert len(found) == 1
    return found[0]


def test_a4_portrait_with_20_mm_margins(word):
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) <= Mm(0.5) and abs(section.page_height - Mm(297)) <= Mm(0.5)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert all(
        abs(margin - Mm(20)) <= Mm(0.5)
        for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    )


def test_landscape_swaps_the_page_and_moves_the_right_tab(document, tmp_path):
    word = render(dataclasses.replace(document, landscape=True), tmp_path)
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Mm(297)) <= Mm(0.5) and abs(section.page_height - Mm(210)) <= Mm(0.5)
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    tabs = [tab for tab in word.styles["Header"].element.iter(f"{W}tab") if tab.get(f"{W}val") == "right"]
    assert tabs and all(int(tab.get(f"{W}pos")) == text_width for tab in tabs)
    assert all(int(grid.get(f"{W}w")) == text_width for grid in word.element.body.iter(f"{W}tblW"))


def test_title_block_then_headings_with_heading_styles(word, document):
    styled = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs if paragraph.text]
    assert styled[:3] == [
        ("Title", document.title),
        ("Subtitle", document.project_name),
        ("Subtitle", "2025年4月1日"),
    ]
    headings = [(name, text) for name, text in styled if name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "表紙"),
        ("Heading 1", "1 プロジェクト実施者"),
        ("Heading 2", "1.1 運営・管理者"),
        ("Heading 2", "2.1 目的及び概要"),
        ("Heading 1", "未記入の項目（1 件）"),
    ]
    outline = {
        name: word.styles[name].element.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val")
        for name in ("Heading 1", "Heading 2")
    }
    assert outline == {"Heading 1": "0", "Heading 2": "1"}  # the navigation pane shows them


def test_missing_value_is_a_highlighted_bold_marker(word):
    markers = [Run(r, None) for r in word.element.body.iter(f"{W}r") if text_of(r) == "【未記入: 郵便番号】"]
    assert len(markers) == 2  # the field row and the paragraph
    assert all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW and run.bold for run in markers)


def test_user_text_is_data(word, document, hostile, tmp_path):
    texts = paragraphs(word.element.body)
    assert hostile in texts  # the field value, exactly
    assert any(hostile in text and text.startswith("本プロジェクトは") for text in texts)
    assert sum(hostile == cell.text for table in word.tables for row in table.rows for cell in row.cells) == 2
    raw = zipfile.ZipFile(tmp_path / "plan.docx").read("word/document.xml").decode()
    assert "<script>" not in raw and "&lt;script&gt;" in raw and "{{ 7*7 }}" in raw

    hostile_name = dataclasses.replace(document, project_name="{{date}} & <b>{{status}}</b>", draft=False)
    header = header_text(render(hostile_name, tmp_path, "hostile.docx"))
    assert header.startswith("{{date}} & <b>{{status}}</b>") and header.count("2025年4月1日") == 1


def test_control_characters_are_dropped_and_newlines_break(document, tmp_path):
    document.sections[-1].blocks.append(Paragraph(("一行目\x01\x0b\n二行目\tタブ",)))
    word = render(document, tmp_path)
    last = next(p for p in word.element.body.iter(f"{W}p") if "一行目" in text_of(p))
    assert text_of(last) == "一行目二行目タブ"
    assert len(list(last.iter(f"{W}br"))) == 1 and len([t for t in last.iter(f"{W}tab")]) == 1


def test_header_shows_project_date_and_draft(word, document, tmp_path):
    header = header_text(word)
    assert document.project_name in header and "2025年4月1日" in header and "下書き" in header
    assert "{{" not in header
    assert "下書き" not in header_text(
        render(dataclasses.replace(document, draft=False), tmp_path, "final.docx")
    )


def test_footer_has_page_and_numpages_fields(word):
    footers = [rel.target_part.element for rel in word.part.rels.values() if rel.reltype == RT.FOOTER]
    instructions = " ".join(
        node.get(f"{W}instr") for footer in footers for node in footer.iter(f"{W}fldSimple")
    )
    instructions += " ".join(node.text for footer in footers for node in footer.iter(f"{W}instrText"))
    assert "PAGE" in instructions.replace("NUMPAGES", "") and "NUMPAGES" in instructions
    assert " / " in "".join(paragraphs(footers[0]))


def test_data_tables_repeat_their_header_row(word, document):
    for table in document.tables():
        rows = word_table(word, table).rows
        flags = [row._tr.find(f"{W}trPr/{W}tblHeader") is not None for row in rows]
        assert flags[0] and not any(flags[1:])
        assert [cell.text for cell in rows[0].cells] == [
            column.label + (f"\n({column.unit})" if column.unit else "") for column in table.columns
        ]


def test_rows_in_order_and_total_once_last_in_bold(word, document):
    readings = document.tables()[1]
    rows = word_table(word, readings).rows
    assert len(rows) == 1 + len(readings.rows) + 1
    assert [row.cells[0].text for row in rows[1:-1]] == [row["activity_id"] for row in readings.rows]
    firsts = [row.cells[0].text for row in rows]
    assert firsts.count("合計") == 1 and firsts[-1] == "合計"
    total = rows[-1].cells
    assert total[1].text == "" and total[2].text == "12,780"  # number_text, places=0, as in the PDF
    assert all(run.bold for cell in total for paragraph in cell.paragraphs for run in paragraph.runs)


def test_number_columns_are_right_aligned(word, document):
    readings = document.tables()[1]
    row = word_table(word, readings).rows[1]
    for column, cell in zip(readings.columns, row.cells):
        style = cell.paragraphs[0].style
        expected = WD_ALIGN_PARAGRAPH.RIGHT if column.kind in ("number", "integer") else None
        alignment = style.paragraph_format.alignment or (
            style.base_style.paragraph_format.alignment if style.base_style else None
        )
        assert (alignment == WD_ALIGN_PARAGRAPH.RIGHT) == (expected == WD_ALIGN_PARAGRAPH.RIGHT), column.key
    assert row.cells[2].text == "300" and row.cells[3].text == "0.000441"


def test_fields_are_a_two_column_table(word, hostile):
    fields = next(table for table in word.tables if table.rows[0].cells[0].text == "実施者名")
    assert [[cell.text for cell in row.cells] for row in fields.rows] == [
        ["実施者名", hostile],
        ["郵便番号", "【未記入: 郵便番号】"],
    ]
    assert fields.rows[0].cells[0].paragraphs[0].style.name == "Field Label"


def test_table_caption_and_note(document, tmp_path):
    document.tables()[0].note = "注：四捨五入 & <端数>"
    texts = paragraphs(render(document, tmp_path).element.body)
    assert texts.index("排出削減量") < texts.index("記号") and "注：四捨五入 & <端数>" in texts


def test_open_items_close_the_document(word):
    items = [paragraph for paragraph in word.paragraphs if paragraph.style.name == "Open Item"]
    assert [item.text for item in items] == ["郵便番号　proponent.postal_code　1.1 運営・管理者"]
    assert word.paragraphs[-1].text == items[-1].text


def test_no_open_items_no_list(document, tmp_path):
    word = render(dataclasses.replace(document, open_items=[]), tmp_path)
    assert not any(paragraph.text.startswith("未記入の項目") for paragraph in word.paragraphs)


def test_chart_is_a_picture_across_the_text_width_with_caption(word):
    assert len(word.inline_shapes) == 1
    shape = word.inline_shapes[0]
    section = word.sections[0]
    assert abs(shape.width - (section.page_width - section.left_margin - section.right_margin)) <= Mm(0.5)
    assert shape._inline.graphic.graphicData.pic.blipFill.blip.embed  # an embedded image
    image = [part for part in word.part.package.parts if part.partname.endswith(".png")]
    assert len(image) == 1 and image[0].blob[:8] == b"\x89PNG\r\n\x1a\n"
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert texts[texts.index("") + 1] == "月別の自家消費量と排出削減量"  # caption right under the picture


def test_every_run_has_an_east_asian_font(word, tmp_path):
    fonts, based_on, default = east_asian_fonts(word)
    runs = [run for part in parts(word) for run in part.iter(f"{W}r")]
    assert len(runs) > 100
    assert {effective_east_asian(run, fonts, based_on, default) for run in runs} <= IPAEX
    defaults = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") in IPAEX
    package = zipfile.ZipFile(tmp_path / "plan.docx")
    assert not any(
        "eastAsiaTheme" in package.read(name).decode() for name in package.namelist() if name.endswith(".xml")
    )


def test_base_docx_every_style_sets_east_asian_font_and_japanese():
    base = docx.Document(str(template("base.docx")))
    styles = list(base.styles.element.iter(f"{W}style"))
    assert {style.get(f"{W}styleId") for style in styles} >= {
        "Normal",
        "Heading1",
        "Heading2",
        "Title",
        "Caption",
        "TableGrid",
        "OpenItem",
        "Header",
        "Footer",
    }
    for style in styles:
        rfonts = style.find(f"{W}rPr/{W}rFonts")
        assert rfonts is not None and rfonts.get(f"{W}eastAsia") in IPAEX, style.get(f"{W}styleId")
        assert rfonts.get(f"{W}ascii") == rfonts.get(f"{W}hAnsi") == rfonts.get(f"{W}eastAsia")
    lang = base.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "ja-JP"
    assert base.styles["Normal"].font.name == "IPAexMincho" and base.styles["Normal"].font.size.pt == 10.5
    assert base.styles["Heading 1"].font.name == "IPAexGothic" and base.styles["Heading 1"].font.bold


def test_base_docx_is_what_the_script_builds(tmp_path):
    spec = importlib.util.spec_from_file_location("make_base_docx", ROOT / "tools" / "make_base_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (
        module.build(tmp_path / "base.docx").read_bytes() == (ROOT / "templates" / "base.docx").read_bytes()
    )


def test_same_document_same_bytes(document, tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b" / "plan.docx"
    second.parent.mkdir()
    renderer.render(document, first)
    renderer.render(copy.deepcopy(document), second)
    assert first.read_bytes() == second.read_bytes()


def test_core_properties_come_from_the_document(document, tmp_path):
    built = dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    properties = render(dataclasses.replace(document, built=built), tmp_path).core_properties
    assert properties.author == "jcredit-toolkit" and properties.title == document.title
    assert (
        properties.created
        == properties.modified
        == properties.last_printed
        == dt.datetime(2025, 6, 1, 0, 30, tzinfo=dt.timezone.utc)
    )
    assert zipfile.ZipFile(tmp_path / "plan.docx").infolist()[0].date_time == (2025, 6, 1, 0, 30, 0)


def test_project_override_of_base_docx_is_used(document, tmp_path):
    overrides = tmp_path / "templates"
    overrides.mkdir()
    base = docx.Document(str(template("base.docx")))
    base.sections[0].left_margin = Mm(30)
    base.save(str(overrides / "base.docx"))
    word = render(document, tmp_path, overrides=overrides)
    assert abs(word.sections[0].left_margin - Mm(30)) <= Mm(0.1)
    text_width = (word.sections[0].page_width - Mm(30) - Mm(20)) // 635
    assert all(abs(int(width.get(f"{W}w")) - text_width) <= 1 for width in word.element.body.iter(f"{W}tblW"))


def edited_base(tmp_path: Path, edit) -> Path:
    overrides = tmp_path / "templates"
    overrides.mkdir()
    base = docx.Document(str(template("base.docx")))
    edit(base)
    base.save(str(overrides / "base.docx"))
    return overrides


def test_override_without_a_needed_style_is_a_clear_error(document, tmp_path):
    overrides = edited_base(tmp_path, lambda base: base.styles["Table Number"].delete())
    with pytest.raises(OutputError, match="Table Number"):
        renderer.render(document, tmp_path / "plan.docx", overrides)


def test_override_with_an_unknown_placeholder_is_a_clear_error(document, tmp_path):
    overrides = edited_base(tmp_path, lambda base: base.sections[0].header.add_paragraph("{{ author }}"))
    with pytest.raises(OutputError, match="author"):
        renderer.render(document, tmp_path / "plan.docx", overrides)


def test_override_placeholder_split_over_runs_is_filled(document, tmp_path):
    def split(base):
        paragraph = base.sections[0].header.add_paragraph()
        paragraph.add_run("{{proj")
        paragraph.add_run("ect_name}} – {{title}}")

    header = header_text(render(document, tmp_path, overrides=edited_base(tmp_path, split)))
    assert f"{document.project_name} – {document.title}" in header


def test_override_without_east_asian_defaults_gets_one(document, tmp_path):
    def strip(base):
        for rfonts in base.styles.element.iter(f"{W}rFonts"):
            rfonts.getparent().remove(rfonts)

    word = render(document, tmp_path, overrides=edited_base(tmp_path, strip))
    defaults = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "IPAexMincho"


def test_broken_override_is_a_clear_error(document, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.docx").write_text("not a zip")
    with pytest.raises(OutputError, match="base.docx"):
        renderer.render(document, tmp_path / "plan.docx", tmp_path / "templates")


def test_empty_table_and_empty_chart(document, tmp_path):
    document.sections.append(
        Section(
            "plan.3",
            "3",
            "空",
            [
                Table("empty", "", [Column("a", "A"), Column("b", "B", kind="number")], []),
                Chart("none", "", (), Series("自家消費量", "kWh", ())),
            ],
        )
    )
    word = render(document, tmp_path)
    assert [cell.text for cell in word.tables[-1].rows[0].cells] == ["A", "B"] and len(
        word.tables[-1].rows
    ) == 1
    assert len(word.inline_shapes) == 2


def test_twelve_thousand_rows_of_six_columns_in_under_ten_seconds(document, tmp_path):
    document = grow(document, 12_000)
    readings = document.tables()[1]
    readings.columns.append(Column("note", "備考"))
    for index, row in enumerate(readings.rows):
        row["note"] = f"検針票 No.{index} & 写真" if index % 3 else ""
    started = time.perf_counter()
    renderer.render(document, tmp_path / "big.docx")
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"{elapsed:.1f} s"
    table = word_table(docx.Document(str(tmp_path / "big.docx")), readings)
    assert len(table.rows) == 12_002 and len(table.columns) == 6
    assert table.rows[-2].cells[5].text == "検針票 No.11999 & 写真" and table.rows[1].cells[5].text == "—"


def test_decimal_places_follow_the_column(document, tmp_path):
    document.tables()[0].rows[0]["value"] = Decimal("1234.5675")
    tables = render(document, tmp_path).tables
    row = next(table for table in tables if table.rows[0].cells[0].text == "記号").rows[1]
    assert row.cells[3].text == "1,234.568"
