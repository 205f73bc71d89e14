"""render/xlsx.py: the conftest document as a workbook read back with openpyxl and recalculated with `formulas`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from toolkit.documents.model import Column, Document, Missing, Section, Table
from toolkit.render import xlsx

HOSTILE = [
    '=HYPERLINK("http://example.com","x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "<script>",
    "{{ 7*7 }}",
    "&",
    "=1+1",
    "'quoted",
    "\t=2",
]


def written(document: Document, tmp_path: Path, name: str = "plan-annex.xlsx") -> Path:
    path = tmp_path / name
    xlsx.render(document, path)
    return path


def with_tables(document: Document, *tables: Table) -> Document:
    """The document with one more section holding `tables`."""
    return dataclasses.replace(
        document, sections=[*document.sections, Section("extra", "9", "追加", list(tables))]
    )


def loaded(path: Path):
    return openpyxl.load_workbook(path)


def test_the_workbook_has_the_sheets_in_document_order_and_its_properties(document, tmp_path):
    book = loaded(written(document, tmp_path))
    assert book.sheetnames == ["算定", "月別算定", "グラフ"]  # summary comes before readings in plan.2.1
    assert book.properties.title == "プロジェクト計画書 別紙"
    assert book.properties.created == book.properties.modified == dt.datetime(2000, 1, 1)


def test_a_table_has_title_header_rows_total_and_note(document, tmp_path):
    document.tables()[1].note = "注: 自家消費量は発電量−売電量"
    sheet = loaded(written(document, tmp_path))["月別算定"]
    assert sheet["A1"].value == "月別の算定" and sheet["A1"].font.b
    assert [cell.value for cell in sheet[2]] == [
        "活動ID",
        "年月",
        "自家消費量\n(kWh)",
        "排出係数\n(t-CO2/kWh)",
        "排出削減量\n(t-CO2)",
    ]
    assert sheet["A3"].value == "PV-0000" and sheet["A42"].value == "PV-0039"
    assert sheet["A43"].value == "合計" and sheet["A43"].font.b and sheet["E43"].border.top.style == "thin"
    assert sheet["A44"].value == "注: 自家消費量は発電量−売電量"
    assert sheet.max_row == 44


def test_the_header_row_is_frozen_and_printed_on_every_page(document, tmp_path):
    book = loaded(written(document, tmp_path))
    for name in ("算定", "月別算定"):
        sheet = book[name]
        assert sheet.freeze_panes == "A3"
        assert sheet.print_title_rows == "$2:$2"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.oddHeader.center.text == "岐阜地域住宅用太陽光発電J-クレジットプロジェクト"
        assert sheet.oddFooter.center.text == "&P / &N"
    assert book["月別算定"].page_setup.orientation == "portrait"
    assert book["算定"].page_setup.orientation == "landscape"  # the long 定義 text makes it wide


def test_an_ampersand_in_the_project_name_is_not_a_header_code(document, tmp_path):
    document.project_name = "A&B 太陽光 &P"
    sheet = loaded(written(document, tmp_path))["算定"]
    assert sheet.oddHeader.center.text == "A&&B 太陽光 &&P"


def test_tables_sharing_a_sheet_are_stacked_with_a_blank_row(document, tmp_path):
    second = Table(
        "second",
        "第二の表",
        [Column("a", "項目"), Column("b", "値", kind="integer")],
        [{"a": "x", "b": 1}],
        sheet="算定",
        total={"a": "合計", "b": 1},
    )
    sheet = loaded(written(with_tables(document, second), tmp_path))["算定"]
    assert (
        sheet["A5"].value == "ER" and sheet["A6"].value is None
    )  # the summary ends at row 5, then a blank row
    assert [sheet[f"A{row}"].value for row in range(7, 11)] == ["第二の表", "項目", "x", "合計"]
    assert sheet["A7"].font.b and sheet["A10"].font.b
    assert sheet.freeze_panes == "A3"  # below the header of the first table only


def test_number_formats_follow_the_column_kind_and_places(tmp_path, document):
    table = Table(
        "kinds",
        "種類",
        [
            Column("i", "整数", kind="integer"),
            Column("n0", "数0", kind="number", places=0),
            Column("n3", "数3", kind="number", places=3),
            Column("n", "数", kind="number"),
            Column("d", "日付", kind="date"),
            Column("t", "文字"),
        ],
        [
            {
                "i": 12345,
                "n0": Decimal("1234.5"),
                "n3": Decimal("0.1235"),
                "n": Decimal("0.000441"),
                "d": dt.date(2025, 4, 1),
                "t": "テキスト",
            }
        ],
        sheet="種類",
    )
    sheet = loaded(written(with_tables(document, table), tmp_path))["種類"]
    assert [sheet.cell(3, column).number_format for column in range(1, 6)] == [
        "#,##0",
        "#,##0",
        "#,##0.000",
        "General",
        "yyyy/mm/dd",
    ]
    assert sheet["E3"].value == dt.datetime(2025, 4, 1) and sheet["E3"].is_date
    assert sheet["B3"].value == 1234.5 and sheet["B3"].data_type == "n"  # the exact value; the format rounds


def test_decimals_are_numbers_with_all_the_digits_a_double_holds(tmp_path, document):
    third = Decimal(1) / Decimal(3)
    table = Table(
        "precise",
        "精度",
        [Column("x", "値", kind="number")],
        [{"x": third}, {"x": Decimal("123456789.123456789")}, {"x": Decimal("1E-7")}],
        sheet="精度",
    )
    sheet = loaded(written(with_tables(document, table), tmp_path))["精度"]
    for row, value in zip(range(3, 6), (third, Decimal("123456789.123456789"), Decimal("1E-7"))):
        assert sheet.cell(row, 1).data_type == "n"
        assert sheet.cell(row, 1).value == pytest.approx(float(value), rel=1e-15)


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_always_a_literal_string(tmp_path, document, text):
    table = Table(
        "hostile",
        text,
        [Column("t", text, unit=text), Column("n", "数", kind="number")],
        [{"t": text, "n": Decimal(1)}],
        total={"t": text},
        sheet="表",
        note=text,
    )
    sheet = loaded(written(with_tables(document, table), tmp_path))["表"]
    for cell in ("A1", "A3", "A4", "A5"):  # title, value, total, note
        assert sheet[cell].data_type == "s" and sheet[cell].value == text
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == f"{text}\n({text})"


def test_the_conftest_hostile_text_stays_text(document, tmp_path):
    sheet = loaded(written(document, tmp_path))["算定"]
    assert sheet["B5"].data_type == "s"
    assert (
        sheet["B5"].value
        == '<script>alert(1)</script> {{ 7*7 }} =HYPERLINK("http://example.com","x") & {% if 1 %}'
    )


def test_hostile_text_is_not_a_formula_in_the_file(document, tmp_path):
    path = written(document, tmp_path)
    with zipfile.ZipFile(path) as archive:
        sheets = [
            html.unescape(archive.read(name).decode())
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        ]
    formulas = [formula for sheet in sheets for formula in re.findall(r"<f>(.*?)</f>", sheet)]
    assert "'月別算定'!E43" in formulas and "SUM(C3:C42)" in formulas  # the toolkit's own formulas are there
    assert not [formula for formula in formulas if "HYPERLINK" in formula or "script" in formula]
    assert any('=HYPERLINK("http://example.com","x")' in sheet for sheet in sheets)  # as text


def test_a_missing_value_shows_the_marker_on_yellow_and_none_stays_empty(tmp_path, document):
    table = Table(
        "open",
        "未記入",
        [Column("a", "郵便番号"), Column("b", "備考")],
        [{"a": Missing("郵便番号", "proponent.postal_code"), "b": None}],
        sheet="未記入",
    )
    sheet = loaded(written(with_tables(document, table), tmp_path))["未記入"]
    assert sheet["A3"].value == "【未記入: 郵便番号】" and sheet["A3"].data_type == "s"
    assert sheet["A3"].fill.fill_type == "solid" and sheet["A3"].fill.fgColor.rgb.endswith("FFFF00")
    assert sheet["B3"].value is None


def test_formulas_are_where_the_model_says_and_values_are_not(document, tmp_path):
    book = loaded(written(document, tmp_path))
    readings, summary = book["月別算定"], book["算定"]
    assert readings["E3"].value == "=C3*D3" and readings["E42"].value == "=C42*D42"
    assert readings["C43"].value == "=SUM(C3:C42)" and readings["E43"].value == "=SUM(E3:E42)"
    assert summary["D3"].value == "='月別算定'!E43" and summary["D5"].value == "='月別算定'!E43-0"
    assert summary["D4"].value == 0 and summary["D4"].data_type == "n"
    formulas = {cell.coordinate for row in readings.iter_rows() for cell in row if cell.data_type == "f"}
    assert formulas == {f"E{row}" for row in range(3, 43)} | {"C43", "E43"}
    assert readings["C3"].value == 300 and readings["D3"].value == 0.000441  # the inputs are values


def expected_formula_values(document: Document) -> dict[tuple[str, str], Decimal]:
    """(sheet, cell) -> the model's value for every cell that holds a formula."""
    expected = {}
    for spot in (spot for spots in xlsx.layout(document).values() for spot in spots):
        table = spot.block
        if not isinstance(table, Table):
            continue
        for offset, (row, formulas) in enumerate(zip(table.rows, table.formulas)):
            for key in formulas:
                expected[(spot.sheet, f"{spot.letters[key]}{spot.first + offset}")] = row[key]
        for key in table.total_formulas:
            expected[(spot.sheet, f"{spot.letters[key]}{spot.total_row}")] = table.total[key]
    return expected


@pytest.mark.parametrize("fixture", ["document", "long_document"])
def test_recalculated_formulas_give_the_model_values(request, tmp_path, fixture):
    formulas = pytest.importorskip("formulas")
    document = request.getfixturevalue(fixture)
    path = written(document, tmp_path)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    # keys look like "'[plan-annex.xlsx]月別算定'!E5"; the library may upper-case the ASCII
    computed = {key.upper(): value for key, value in solution.items()}
    expected = expected_formula_values(document)
    book = loaded(path)
    in_file = {
        (sheet.title, cell.coordinate)
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }
    assert in_file == set(expected)
    for (sheet, cell), value in expected.items():
        result = computed[f"'[{path.name}]{sheet}'!{cell}".upper()].value[0, 0]
        assert float(result) == pytest.approx(float(value), rel=1e-9, abs=1e-12), (sheet, cell)


def test_the_same_document_gives_the_same_bytes(document, tmp_path):
    first, second = written(document, tmp_path, "a.xlsx"), written(document, tmp_path, "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml" and archive.testzip() is None
    assert "2000-01-01T00:00:00Z" in core


def test_another_build_time_is_stamped_in_the_file(document, tmp_path):
    later = dataclasses.replace(document, built=dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.timezone.utc))
    with zipfile.ZipFile(written(later, tmp_path)) as archive:
        assert "2025-06-01T09:30:00Z" in archive.read("docProps/core.xml").decode()


def test_the_chart_has_bars_and_a_line_on_a_second_axis(document, tmp_path):
    sheet = loaded(written(document, tmp_path))["グラフ"]
    assert sheet["A1"].value == "月別の自家消費量と排出削減量"
    assert [cell.value for cell in sheet[2]] == ["年月", "自家消費量 (kWh)", "排出削減量 (t-CO2)"]
    assert sheet["A3"].value == "2025-04" and sheet["A3"].data_type == "s" and sheet["B3"].value == 1000
    assert sheet["C11"].value == pytest.approx(0.441 * 9)
    [chart] = sheet._charts
    bars, line = chart._charts
    assert (bars.tagname, line.tagname) == ("barChart", "lineChart")
    assert len(bars.series) + len(line.series) == 2
    assert line.y_axis.axId == 200 and line.y_axis.crosses == "max" and bars.y_axis.axId == 100
    assert chart.series[0].cat.strRef.f == "'グラフ'!$A$3:$A$11"


def test_a_chart_without_a_line_has_one_series(document, tmp_path):
    chart = document.charts()[0]
    document.sections[-1].blocks[-1] = dataclasses.replace(chart, line=None)
    sheet = loaded(written(document, tmp_path))["グラフ"]
    [drawn] = sheet._charts
    assert len(drawn._charts) == 1 and len(drawn.series) == 1


def test_a_chart_without_categories_has_its_title_and_no_drawing(document, tmp_path):
    chart = document.charts()[0]
    empty = dataclasses.replace(
        chart, categories=(), bars=dataclasses.replace(chart.bars, values=()), line=None
    )
    document.sections[-1].blocks[-1] = empty
    sheet = loaded(written(document, tmp_path))["グラフ"]
    assert sheet["A1"].value == chart.title and not sheet._charts


def test_blocks_without_a_sheet_stay_out(document, tmp_path):
    for table in document.tables():
        table.sheet = None
    book = loaded(written(document, tmp_path))
    assert book.sheetnames == ["グラフ"]


def test_a_table_kept_out_of_the_printed_document_is_in_the_workbook(document, tmp_path):
    document.tables()[1].body = False  # thousands of monthly rows: workbook only
    assert loaded(written(document, tmp_path))["月別算定"]["E3"].value == "=C3*D3"


def test_a_document_with_nothing_for_the_workbook_still_gives_one(document, tmp_path):
    document.sections = document.sections[:3]
    book = loaded(written(document, tmp_path))
    assert book.sheetnames == ["別紙"] and book["別紙"]["A1"].value == "プロジェクト計画書 別紙"


@pytest.mark.parametrize(
    "name,title",
    [
        ("月別算定", "月別算定"),
        ("a/b:c*d?e[f]g\\h", "a／b：c＊d？e［f］g＼h"),
        ("長" * 40, "長" * 31),
        ("'引用'", "引用"),
    ],
)
def test_sheet_titles_are_valid(name, title):
    assert xlsx.sheet_title(name, set()) == title


def test_sheet_titles_stay_unique_when_cut():
    assert xlsx.sheet_title("長" * 40, {"長" * 31}) == "長" * 28 + "(2)"


@pytest.mark.parametrize(
    "template", ["{nope}*2", "{nope.value}", "{readings.month}", "{readings.nope}", "{kwh"]
)
def test_a_formula_naming_something_unknown_is_a_bug(document, tmp_path, template):
    document.tables()[0].formulas[1] = {"value": template.replace("{kwh", "{value")}
    with pytest.raises(ValueError):
        written(document, tmp_path)


def test_a_formula_for_an_unknown_column_is_a_bug(document, tmp_path):
    document.tables()[1].total_formulas["nope"] = "SUM({kwh})"
    with pytest.raises(ValueError, match="nope"):
        written(document, tmp_path)


def test_a_table_without_rows_keeps_its_total_value(document, tmp_path):
    table = Table(
        "empty",
        "空",
        [Column("a", "項目"), Column("n", "数", kind="number")],
        [],
        sheet="空",
        total={"a": "合計", "n": Decimal(0)},
        total_formulas={"n": "SUM({n})"},
    )
    sheet = loaded(written(with_tables(document, table), tmp_path))["空"]
    assert sheet["B3"].value == 0 and sheet["B3"].data_type == "n"


def test_columns_are_as_wide_as_their_text_with_full_width_counted_twice(document, tmp_path):
    sheet = loaded(written(document, tmp_path))["月別算定"]
    assert sheet.column_dimensions["A"].width >= len("PV-0000")
    assert sheet.column_dimensions["D"].width >= len("(t-CO2/kWh)")
    assert xlsx.text_width("排出削減量") == 10 and xlsx.text_width("t-CO2") == 5


def test_a_long_table_has_its_total_once_at_the_end(long_document, tmp_path):
    sheet = loaded(written(long_document, tmp_path))["月別算定"]
    assert sheet["C303"].value == "=SUM(C3:C302)"
    assert [cell.value for cell in sheet["A"]].count("合計") == 1


def test_every_cell_is_in_the_japanese_font_and_booleans_read_as_words(document, tmp_path):
    table = Table(
        "flags",
        "算定対象",
        [Column("name", "排出活動"), Column("counted", "算定対象")],
        [{"name": "待機電力", "counted": False}, {"name": "燃料", "counted": True}],
        sheet="フラグ",
    )
    sheet = loaded(written(with_tables(document, table), tmp_path))["フラグ"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and {cell.font.name for cell in cells} == {xlsx.FONT}
    assert [cell.value for cell in cells if cell.value in ("はい", "いいえ")] == ["いいえ", "はい"]


@pytest.mark.parametrize(
    "sample,kind",
    [
        ("solar-program", "monitoring"),
        ("boiler", "plan"),
        ("rice-drainage", "monitoring"),
        ("forest", "monitoring"),
    ],
)
@pytest.mark.slow
def test_a_samples_annex_recalculates_to_the_calculation(tmp_path, sample, kind):
    """Every formula of a sample's 別紙, recalculated, gives the model's figure, and the certified total is calc's."""
    formulas = pytest.importorskip("formulas")
    from toolkit.documents import assemble as documents
    from toolkit.pipeline import calculate

    project = Path(__file__).resolve().parents[2] / "samples" / sample
    result = calculate(project)
    document = documents.build(kind, result, project)
    path = written(document, tmp_path, f"{kind}-annex.xlsx")
    computed = {
        key.upper(): value
        for key, value in formulas.ExcelModel().loads(str(path)).finish().calculate().items()
    }
    expected = expected_formula_values(document)
    assert expected
    for (sheet, cell), value in expected.items():
        result_value = computed[f"'[{path.name}]{sheet}'!{cell}".upper()].value[0, 0]
        assert float(result_value) == pytest.approx(float(value), rel=1e-9, abs=1e-12), (sheet, cell)
    results = next(table for table in document.tables() if table.id == "results")
    spot = next(spot for spots in xlsx.layout(document).values() for spot in spots if spot.block is results)
    certified = computed[
        f"'[{path.name}]{spot.sheet}'!{spot.letters['certified']}{spot.total_row}".upper()
    ].value[0, 0]
    assert int(certified) == result.total_certified


@pytest.mark.parametrize("fixture", ["document", "long_document"])
def test_a_streamed_workbook_holds_what_the_usual_one_holds(request, tmp_path, fixture):
    """render(streamed=True), the batch's long activity list, writes through openpyxl's write-only sheets:
    every cell's value, type, number format, font, fill and border, the widths, frozen header, print titles,
    page setup and charts are those of the usual workbook."""
    document = request.getfixturevalue(fixture)
    usual, streamed = tmp_path / "usual.xlsx", tmp_path / "streamed.xlsx"
    xlsx.render(document, usual)
    xlsx.render(document, streamed, streamed=True)

    def seen(path: Path) -> list:
        book = loaded(path)
        sheets = []
        for sheet in book.worksheets:
            cells = [
                (cell.coordinate, cell.value, cell.data_type, cell.number_format, cell.font.b, cell.font.name)
                + (cell.fill.fgColor.rgb, repr(cell.border.top), repr(cell.border.bottom))
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None or cell.has_style
            ]
            widths = {key: round(dimension.width, 2) for key, dimension in sheet.column_dimensions.items()}
            setup = (sheet.page_setup.orientation, sheet.page_setup.paperSize, sheet.page_setup.fitToHeight)
            sheets.append(
                (
                    sheet.title,
                    cells,
                    widths,
                    sheet.freeze_panes,
                    sheet.print_title_rows,
                    setup,
                    len(sheet._charts),
                )
            )
        return sheets

    assert seen(streamed) == seen(usual)
