"""XLSX 別紙 (annex): the document's sheet-bound tables and charts, with live formulas a verifier can audit.

Only blocks that name a sheet are written, in document order; tables sharing a sheet are stacked.
The toolkit's own formulas are the only formulas: every user string is written as a string cell, so
text such as `=HYPERLINK(…)` stays text. Same document, same bytes: the file dates come from
`document.built` and the zip is rewritten by `deterministic_zip`.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from toolkit.documents.model import Chart, Column, Document, Missing, Series, Table, Value
from toolkit.documents.text import clean, number_text
from toolkit.render import copy_members, deterministic_zip

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")  # {key} or {table.key}; keys never hold "." or braces
SHEET_FORBIDDEN = str.maketrans(
    {"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"}
)
SHEET_MAX = 31
DATE_FORMAT = "yyyy/mm/dd"
CONTENT_TYPES = "[Content_Types].xml"
CATEGORY_LABEL = "年月"  # the charts are monthly (model.Chart)
WIDTH_MIN, WIDTH_MAX, NUMBER_WIDTH_MAX = 8, 60, 16
LANDSCAPE_FROM = 90  # total column width (characters) above which A4 portrait prints too small
HEADER_LIMIT = 100  # characters of the project name in the page header (Excel allows 255 in all)

FONT = "IPAexGothic"  # the documents' Japanese font; Excel substitutes its own where it is not installed
BOLD = Font(name=FONT, bold=True, size=10)
TITLE = Font(name=FONT, bold=True, size=12)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
MISSING_FILL = PatternFill("solid", fgColor="FFFF00")
THIN = Side(style="thin")
HEADER_BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
TOTAL_BORDER = Border(top=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)

Block = Table | Chart


@dataclass
class Placed:
    """Where one block lands: its sheet, its rows and (tables) the letter of each column."""

    block: Block
    sheet: str
    title_row: int
    header_row: int
    first: int  # the first data row
    last: int  # the last data row; first - 1 when there are none
    total_row: int | None = None
    note_row: int | None = None
    letters: dict[str, str] = field(default_factory=dict)

    @property
    def end(self) -> int:
        """The block's last row (its note, total, data or header row); the next block starts two below."""
        return self.note_row or self.total_row or max(self.last, self.header_row)


def render(document: Document, path: Path, streamed: bool = False) -> None:
    """Write the document's sheet-bound tables and charts to `path` as a reproducible XLSX workbook.

    The sheets are written row by row. `streamed` hands each row to the file as it comes (openpyxl
    write-only): a batch's 10,000-row activity list then holds no cell objects, only the document it is
    written from, but each styled cell costs openpyxl a second object, about a sixth more time."""
    path = Path(path)
    sheets = layout(document)
    tables = table_index(sheets)
    for spot in (spot for placed in sheets.values() for spot in placed if isinstance(spot.block, Table)):
        check_formulas(spot, tables)  # before the first row: a bug stops the workbook before it is begun
    workbook = Workbook(write_only=streamed)
    if not streamed:
        workbook.remove(workbook.active)
    set_default_font(workbook, Font(name=FONT, size=10))
    for title, placed in sheets.items():
        write_sheet(workbook.create_sheet(title), placed, tables, document)
    if not workbook.worksheets:  # a workbook needs a sheet: the title alone says there is nothing to audit
        sheet = workbook.create_sheet("別紙")
        cell = text_cell(WriteOnlyCell(sheet), document.workbook_title or document.title)
        cell.font = TITLE
        sheet.append([cell])
    saved(workbook, path, document.built, document.workbook_title or document.title)


def saved(workbook: Workbook, path: Path, built: dt.datetime, title: str | None = None) -> None:
    """Write `workbook` at `path` reproducibly: its title, our name as creator, `built` as both its dates
    (SOURCE_DATE_EPOCH or now, never the clock at save), and the package's members in one order and date."""
    stamp = built.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if title is not None:
        workbook.properties.title = title
    workbook.properties.creator = "jcredit-toolkit"
    workbook.properties.created = workbook.properties.modified = stamp
    save(workbook, path)
    deterministic_zip(path, built)


def list_layout(sheet, header_row: int, last_row: int, widths: Sequence[float]) -> None:
    """A sheet that lists one thing a row (the checklist, a diff): the column widths, the header row frozen,
    filtered and printed on every page, A4 landscape one page wide."""
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(widths))}{last_row}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = sheet.PAPERSIZE_A4, "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages tall as needed


def save(workbook: Workbook, path: Path) -> None:
    """Save with [Content_Types].xml first, as readers expect, and without reading the clock.

    openpyxl writes the content types last, and Workbook.save() stamps `modified` with the time. The
    package goes through a temporary file, a member at a time: a long list's sheet is never held whole.
    """
    with tempfile.TemporaryFile(dir=path.parent) as written:  # beside it: where there is room for it
        with zipfile.ZipFile(written, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            ExcelWriter(workbook, archive).save()
        with (
            zipfile.ZipFile(written) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as target,
        ):
            members = sorted(source.infolist(), key=lambda info: info.filename != CONTENT_TYPES)  # stable
            copy_members(source, target, members, lambda info: info)


def layout(document: Document) -> dict[str, list[Placed]]:
    """Every sheet-bound block placed on its sheet, stacked in document order with a blank row between."""
    sheets: dict[str, list[Placed]] = {}
    titles: dict[str, str] = {}  # the block's sheet name -> a valid, unique sheet title
    for block in (block for section in document.sections for block in section.blocks):
        if not isinstance(block, (Table, Chart)) or block.sheet is None:
            continue
        if block.sheet not in titles:
            titles[block.sheet] = sheet_title(block.sheet, {title.casefold() for title in titles.values()})
        placed = sheets.setdefault(titles[block.sheet], [])
        top = placed[-1].end + 2 if placed else 1
        if isinstance(block, Table):
            rows = len(block.rows)
            spot = Placed(
                block,
                titles[block.sheet],
                top,
                top + 1,
                top + 2,
                top + 1 + rows,
                letters={
                    column.key: get_column_letter(index) for index, column in enumerate(block.columns, 1)
                },
            )
            if block.total is not None or block.total_formulas:
                spot.total_row = spot.last + 1
            if block.note:
                spot.note_row = (spot.total_row or spot.last) + 1
        else:
            if any(
                len(series.values) != len(block.categories) for series in (block.bars, block.line) if series
            ):
                raise ValueError(f"chart {block.id!r}: a series and the categories differ in length")
            spot = Placed(block, titles[block.sheet], top, top + 1, top + 2, top + 1 + len(block.categories))
        placed.append(spot)
    return sheets


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid sheet title for `name`: no []:*?/\\ (their full-width forms instead), 31 characters, unique."""
    title = clean(name).translate(SHEET_FORBIDDEN).strip("'")[:SHEET_MAX] or "別紙"
    base, number = title, 2
    while title.casefold() in taken:
        suffix = f"({number})"
        title, number = base[: SHEET_MAX - len(suffix)] + suffix, number + 1
    return title


def table_index(sheets: dict[str, list[Placed]]) -> dict[str, Placed | None]:
    """Placed tables by id; None marks an id used twice, which no formula may then reference."""
    index: dict[str, Placed | None] = {}
    for placed in (placed for on_sheet in sheets.values() for placed in on_sheet):
        if isinstance(placed.block, Table):
            index[placed.block.id] = None if placed.block.id in index else placed
    return index


def write_sheet(sheet, placed: list[Placed], tables: dict[str, Placed | None], document: Document) -> None:
    """Every table and chart placed on a (write-only) sheet: first what comes before the rows (column widths,
    frozen header, page setup), then the rows in order, a blank row between blocks."""
    widths: dict[int, int] = {}
    for spot in placed:
        block_widths(spot, widths)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, WIDTH_MIN), WIDTH_MAX)
    first_table = next((spot for spot in placed if isinstance(spot.block, Table)), None)
    if first_table is not None:
        sheet.freeze_panes = f"A{first_table.header_row + 1}"
        sheet.print_title_rows = f"{first_table.header_row}:{first_table.header_row}"
    for spot in placed:
        if isinstance(spot.block, Table) and any(column.unit for column in spot.block.columns):
            sheet.row_dimensions[spot.header_row].height = 30  # label and unit on two lines
    setup = sheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if sum(widths.values()) > LANDSCAPE_FROM else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages tall as needed
    sheet.oddHeader.center.text = header_text(document.project_name)
    sheet.oddFooter.center.text = "&P / &N"
    row = 1
    for spot in placed:
        while row < spot.title_row:
            sheet.append([])
            row += 1
        rows = table_rows(sheet, spot, tables) if isinstance(spot.block, Table) else chart_rows(sheet, spot)
        for cells in rows:
            sheet.append(cells)
            row += 1


def block_widths(spot: Placed, widths: dict[int, int]) -> None:
    """Widen each column to what a block's header and values need."""
    if isinstance(spot.block, Table):
        table = spot.block
        columns = list(enumerate(table.columns, 1))
        for index, column in columns:
            widen(widths, index, max(text_width(line) for line in header(column).split("\n")))
        for row in table.rows:  # once: a batch's list makes its rows anew at each pass (model.Rows)
            for index, column in columns:
                widen(widths, index, value_width(row.get(column.key), column))
        if spot.total_row is not None:
            for index, column in columns:
                widen(widths, index, value_width((table.total or {}).get(column.key), column))
        return
    chart: Chart = spot.block  # type: ignore[assignment]
    series = [chart.bars] + ([chart.line] if chart.line else [])
    for index, head in enumerate([CATEGORY_LABEL] + [series_title(one) for one in series], 1):
        widen(widths, index, text_width(head))
    for offset, category in enumerate(chart.categories):
        widen(widths, 1, text_width(category))
        for index, one in enumerate(series, 2):
            widen(widths, index, value_width(one.values[offset], None))


def check_formulas(spot: Placed, tables: dict[str, Placed | None]) -> None:
    """Resolve each distinct formula template of a table once: ValueError for one naming something unknown."""
    table: Table = spot.block  # type: ignore[assignment]
    for templates in {tuple(sorted(row.items())) for row in table.formulas if row}:
        check_keys(table, dict(templates), "row formula")
        for _, template in templates:
            resolve(template, spot, spot.first, tables)
    check_keys(table, table.total_formulas, "total formula")
    if table.rows:
        for template in table.total_formulas.values():
            resolve(template, spot, None, tables)


def _title(sheet, text: str) -> list[Cell]:
    cell = text_cell(WriteOnlyCell(sheet), text)
    cell.font = TITLE
    return [cell]


def _headers(sheet, texts: list[str]) -> list[Cell]:
    cells = []
    for text in texts:
        cell = text_cell(WriteOnlyCell(sheet), text)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, HEADER_BORDER, HEADER_ALIGN
        cells.append(cell)
    return cells


def table_rows(sheet, spot: Placed, tables: dict[str, Placed | None]) -> Iterator[list[Cell]]:
    """One table's rows: title, headers, rows with live formulas where the table has them, totals, note."""
    table: Table = spot.block  # type: ignore[assignment]
    yield _title(sheet, table.title)
    yield _headers(sheet, [header(column) for column in table.columns])
    formats = [number_format(column) for column in table.columns]
    for offset, row in enumerate(table.rows):
        number = spot.first + offset
        templates = table.formulas[offset] if offset < len(table.formulas) else {}
        cells = []
        for index, column in enumerate(table.columns):
            cell = WriteOnlyCell(sheet)
            if column.key in templates:
                cell.value = resolve(templates[column.key], spot, number, tables)
                cell.number_format = formats[index]
            else:
                put(cell, row.get(column.key), formats[index])
            cells.append(cell)
        yield cells
    if spot.total_row is not None:
        total = table.total or {}
        cells = []
        for index, column in enumerate(table.columns):
            cell = WriteOnlyCell(sheet)
            if column.key in table.total_formulas and table.rows:  # no rows, no range: the value stands alone
                cell.value = resolve(table.total_formulas[column.key], spot, None, tables)
                cell.number_format = formats[index]
            else:
                put(cell, total.get(column.key), formats[index])
            cell.font, cell.border = BOLD, TOTAL_BORDER
            cells.append(cell)
        yield cells
    if spot.note_row is not None:
        yield [text_cell(WriteOnlyCell(sheet), table.note)]


def chart_rows(sheet, spot: Placed) -> Iterator[list[Cell]]:
    """A chart's data rows on the sheet, then the native chart drawn from them."""
    chart: Chart = spot.block  # type: ignore[assignment]
    series = [chart.bars] + ([chart.line] if chart.line else [])
    yield _title(sheet, chart.title)
    heads = [CATEGORY_LABEL] + [series_title(one) for one in series]
    yield _headers(sheet, heads)
    for offset, category in enumerate(chart.categories):
        cells = [text_cell(WriteOnlyCell(sheet), category)]
        cells += [put(WriteOnlyCell(sheet), one.values[offset], "General") for one in series]
        yield cells
    if not chart.categories:
        return  # nothing to draw
    # the categories are text: a string reference, not the number reference set_categories() writes
    categories = StrRef(f"{quote(sheet.title)}!$A${spot.first}:$A${spot.last}")
    bars = BarChart()
    bars.type, bars.title = "col", chart.title
    bars.add_data(
        Reference(sheet, min_col=2, min_row=spot.header_row, max_row=spot.last), titles_from_data=True
    )
    bars.series[0].cat = AxDataSource(strRef=categories)
    bars.x_axis.title, bars.y_axis.title = CATEGORY_LABEL, series_title(chart.bars)
    bars.x_axis.delete = bars.y_axis.delete = False  # openpyxl 3.1 leaves axes hidden otherwise
    if chart.line is not None:
        line = LineChart()
        line.add_data(
            Reference(sheet, min_col=3, min_row=spot.header_row, max_row=spot.last), titles_from_data=True
        )
        line.series[0].cat = AxDataSource(strRef=categories)
        line.y_axis.axId = 200  # a second value axis, on the right (openpyxl docs: "Adding a second axis")
        line.y_axis.title = series_title(chart.line)
        line.y_axis.crosses = "max"
        line.y_axis.delete = False
        line.y_axis.majorGridlines = None  # the bars' gridlines are enough
        bars += line
    bars.width, bars.height = 18, 9
    sheet.add_chart(bars, f"{get_column_letter(len(heads) + 2)}{spot.title_row}")


def resolve(template: str, spot: Placed, row: int | None, tables: dict[str, Placed | None]) -> str:
    """An Excel formula from a template: {key} is this row's cell (a total: the column's data range),
    {table.key} the total cell of another table, {table.key[]} that column's data range. An unknown key or
    table is a toolkit bug: ValueError."""
    table: Table = spot.block  # type: ignore[assignment]

    def reference(match: re.Match) -> str:
        name = match.group(1)
        if "." in name and name.endswith("[]"):
            return range_reference(name[:-2], spot, tables)
        if "." in name:
            return total_reference(name, spot, tables)
        letter = spot.letters.get(name)
        if letter is None:
            raise ValueError(f"table {table.id!r}: formula {template!r} names an unknown column {name!r}")
        return f"{letter}{row}" if row is not None else f"{letter}{spot.first}:{letter}{spot.last}"

    formula = PLACEHOLDER.sub(reference, template)
    if "{" in formula or "}" in formula:
        raise ValueError(f"table {table.id!r}: formula {template!r} has an unmatched brace")
    return "=" + formula


def total_reference(name: str, spot: Placed, tables: dict[str, Placed | None]) -> str:
    """The cell of {table.key}: the total of column `key` in table `table`, quoted across sheets."""
    table_id, key = name.rsplit(".", 1)  # keys never hold ".", table ids might
    where = f"table {spot.block.id!r}: {{{name}}}"
    if table_id not in tables:
        raise ValueError(f"{where} names a table that is not in the workbook")
    target = tables[table_id]
    if target is None:
        raise ValueError(f"{where} is ambiguous: two tables in the workbook have the id {table_id!r}")
    other: Table = target.block  # type: ignore[assignment]
    if key not in target.letters:
        raise ValueError(f"{where} names a column table {table_id!r} does not have")
    has_total = key in other.total_formulas or (other.total or {}).get(key) is not None
    if target.total_row is None or not has_total:
        raise ValueError(f"{where} refers to a total table {table_id!r} does not have")
    cell = f"{target.letters[key]}{target.total_row}"
    return cell if target.sheet == spot.sheet else f"{quote(target.sheet)}!{cell}"


def range_reference(name: str, spot: Placed, tables: dict[str, Placed | None]) -> str:
    """The cells of {table.key[]}: the data rows of column `key` in table `table`, quoted across sheets."""
    table_id, key = name.rsplit(".", 1)
    target = tables.get(table_id)
    if target is None or key not in target.letters:
        raise ValueError(f"table {spot.block.id!r}: {{{name}[]}} names no column of a table in the workbook")
    letter = target.letters[key]
    cells = f"{letter}{target.first}:{letter}{max(target.last, target.first)}"
    return cells if target.sheet == spot.sheet else f"{quote(target.sheet)}!{cells}"


def quote(sheet: str) -> str:
    """A sheet name as a formula writes it: always quoted, a quote inside doubled."""
    return "'" + sheet.replace("'", "''") + "'"


def set_default_font(workbook: Workbook, font: Font) -> None:
    """The font of every cell without its own: openpyxl keeps it first in the workbook's font list."""
    workbook._fonts = IndexedList([font])  # openpyxl has no public setter for the default font
    workbook._named_styles["Normal"].font = font


def check_keys(table: Table, templates: dict[str, str], what: str) -> None:
    """Refuse a formula or total template that names a column the table does not have."""
    unknown = [key for key in templates if key not in {column.key for column in table.columns}]
    if unknown:
        raise ValueError(
            f"table {table.id!r}: a {what} targets unknown column(s) {', '.join(map(repr, unknown))}"
        )


def put(cell: Cell, value: Value, number: str) -> Cell:
    """One value into a cell: strings always as text, numbers as numbers, dates as dates, Missing marked."""
    if value is None:
        return cell
    if isinstance(value, Missing):
        text_cell(cell, value.marker).fill = MISSING_FILL
    elif isinstance(value, str):
        text_cell(cell, value)
    elif isinstance(value, bool):  # as the PDF and DOCX say it
        text_cell(cell, "はい" if value else "いいえ")
    elif isinstance(value, dt.date):
        cell.value = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, (int, Decimal, float)):
        cell.value = value  # openpyxl writes numbers with 16 significant digits: all a double holds
        cell.number_format = number
    else:
        text_cell(cell, str(value))
    return cell


def text_cell(cell: Cell, text: str) -> Cell:
    """A string cell, whatever the string looks like: openpyxl takes "=…" for a formula unless told."""
    cell.value = clean(text)
    cell.data_type = "s"
    return cell


def header(column: Column) -> str:
    """A column header as the workbook shows it, with its unit on a second line."""
    return f"{column.label}\n({column.unit})" if column.unit else column.label


def series_title(series: Series) -> str:
    """A chart series' title with its unit."""
    return f"{series.label} ({series.unit})" if series.unit else series.label


def header_text(text: str) -> str:
    """Text for a page header: "&" starts a code there, so it is doubled."""
    return clean(text)[:HEADER_LIMIT].replace("&", "&&")


def number_format(column: Column) -> str:
    """The Excel number format of a column's kind and decimal places."""
    if column.kind == "integer":
        return "#,##0"
    if column.kind == "number" and column.places is not None:
        return "#,##0." + "0" * column.places if column.places > 0 else "#,##0"
    if column.kind == "date":
        return DATE_FORMAT
    return "General"  # places None: the value as it is, as the PDF shows it


def value_width(value: Value, column: Column | None) -> int:
    """The width in characters a value needs in its column."""
    if value is None:
        return 0
    if isinstance(value, Missing):
        return text_width(value.marker)
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        places = None if column is None else 0 if column.kind == "integer" else column.places
        return min(len(number_text(value, places)), NUMBER_WIDTH_MAX)
    return max(text_width(line) for line in str(value).split("\n"))


def text_width(text: str) -> int:
    """Characters as Excel lays them out: full-width (and ambiguous, in a Japanese font) count as 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


def widen(widths: dict[int, int], index: int, width: int) -> None:
    """Widen column `index` to `width` if it is narrower."""
    if width > widths.get(index, 0):
        widths[index] = width
