"""Looking at pages as a reader would: where every line of text lies, how wide every table column is, and
which words in Latin letters a Japanese document shows. Used by test_pages.py on every sample's documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.documents.model import Document
from toolkit.render import html

PX = 96 / 25.4  # WeasyPrint lays out in CSS px
MARGIN = 20 * PX  # document.css @page margin
SLACK = 0.5  # px: rounding in the layout
FLOOR_EM = 4  # full-width characters: the narrowest a text column's content may be (render/layout.py)
NUMBER_FLOOR_EM = 3

# Latin words a Japanese document may show: units, symbols of the formulas, and names that have no Japanese form
UNITS = {
    "t", "kg", "g", "h", "ha", "a", "m", "mm", "m2", "m3", "kL", "L", "kW", "W", "kWh", "MWh", "GJ", "MJ",
    "t-CO2", "kg-CO2", "tC", "CO2", "CH4", "N2O", "yr", "d", "km", "cm", "C",
}  # fmt: skip
ALLOWED_WORDS = {"ID", "LED", "LPG", "COP", "IPCC", "PDF", "DOCX", "XLSX", "Excel", "Ver", "SHA-256", "J"}
SYMBOLS = {
    "r_batt",
    "straw_rate",
    "compost_rate",
    "days",
    "ratio",
    "max",
    "min",
}  # lowercase symbols of the methodologies' formulas
ASCII_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-./:=\[\],~%+·@]*")


@dataclass(frozen=True)
class Overflow:
    """A line of text that reaches past the text block of its page."""

    page: int
    text: str
    left: float
    right: float

    def __str__(self) -> str:
        return f"page {self.page}: {self.text!r} spans {self.left / PX:.1f}–{self.right / PX:.1f} mm"


@dataclass(frozen=True)
class Narrow:
    """A table column narrower than its floor."""

    page: int
    table: str
    column: int
    label: str
    width_em: float

    def __str__(self) -> str:
        return (
            f"page {self.page}: table {self.table} column {self.column + 1} ({self.label!r}) "
            f"is {self.width_em:.1f} characters wide"
        )


def laid_out(document: Document):
    """The WeasyPrint document of the PDF renderer's HTML, laid out (not yet written)."""
    from weasyprint import HTML

    from toolkit.render import fetch

    fetcher = fetch.ProjectImages(None)
    return HTML(string=html.render(document.printed()), base_url=fetcher.base, url_fetcher=fetcher).render()


def _walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def overflows(rendered) -> list[Overflow]:
    """Every line of text in the page body that lies outside the page's text block (margins of 20 mm)."""
    from weasyprint.formatting_structure.boxes import TextBox

    found = []
    for number, page in enumerate(rendered.pages, 1):
        left, right = MARGIN - SLACK, page.width - MARGIN + SLACK
        root = page._page_box.children[0]  # the html box; the others are the margin boxes (header, footer)
        for box in _walk(root):
            if isinstance(box, TextBox) and box.text.strip():
                if box.position_x < left or box.position_x + box.width > right:
                    found.append(Overflow(number, box.text, box.position_x, box.position_x + box.width))
    return found


def narrow_columns(rendered) -> list[Narrow]:
    """Every table column whose content box is narrower than its floor (4 characters of its font for text, 3
    for a number column, whose header cell has class num) and that wraps a cell over lines: a column of
    short values on one line each (単位: kWh) may be narrower, since nothing in it stacks."""
    from weasyprint.formatting_structure.boxes import TableBox, TableCellBox

    found = []
    for number, page in enumerate(rendered.pages, 1):
        for box in _walk(page._page_box.children[0]):
            if not isinstance(box, TableBox):
                continue
            cells = [cell for cell in _walk(box) if isinstance(cell, TableCellBox)]
            header = [cell for cell in cells if cell.element_tag == "th"]
            table_id = box.element.get("id", "") if box.element is not None else ""
            if not table_id.startswith("table-"):
                continue  # a fields block: two columns of fixed shares
            first = {}
            for cell in header or cells:
                first.setdefault(cell.grid_x, cell)
            wraps = {  # a header's unit goes on a line of its own (<br>): one more line, not a wrap
                cell.grid_x
                for cell in cells
                if sum(type(line).__name__ == "LineBox" for line in cell.children)
                > 1 + (cell.element_tag == "th" and cell.element.find(".//span") is not None)
            }
            for index, cell in first.items():
                em = cell.style["font_size"]
                floor = NUMBER_FLOOR_EM if "num" in (cell.element.get("class") or "") else FLOOR_EM
                if cell.width < floor * em - SLACK and index in wraps:
                    label = "".join(text.text for text in _walk(cell) if hasattr(text, "text"))
                    found.append(Narrow(number, table_id, index, label, cell.width / em))
    return found


def lines_per_row(rendered, table_id: str) -> list[int]:
    """For each body row of the table `table_id` on every page, the lines of its tallest cell."""
    from weasyprint.formatting_structure.boxes import LineBox, TableBox, TableCellBox, TableRowBox

    found = []
    for page in rendered.pages:
        for box in _walk(page._page_box.children[0]):
            if not isinstance(box, TableBox) or box.element is None or box.element.get("id") != table_id:
                continue
            for row in _walk(box):
                if isinstance(row, TableRowBox) and row.element_tag == "tr":
                    cells = [cell for cell in row.children if isinstance(cell, TableCellBox)]
                    if cells and all(cell.element_tag == "td" for cell in cells):
                        found.append(
                            max(sum(isinstance(line, LineBox) for line in cell.children) for cell in cells)
                        )
    return found


def stray_words(text: str, allowed: set[str]) -> list[str]:
    """Latin words in `text` that are neither in the listed set nor in `allowed` (the project's own text)."""
    found = []
    text = re.sub(r"`[^`]*`", "", text)  # a command to type (`jcredit check`)
    for match in ASCII_WORD.finditer(text):
        word = match[0]
        if not re.search("[A-Za-z]", word) or text[match.start() - 1 : match.start()] in (".", "/", "_"):
            continue  # a number; the extension or the tail of a file name with Japanese in it
        if word.endswith("/"):
            continue  # a folder
        word = word.rstrip(".,:;=-[]~")
        if not acceptable(word, allowed):
            found.append(word)
    return found


def acceptable(word: str, allowed: set[str]) -> bool:
    """Whether a Latin word may stand in a Japanese document."""
    if word.lower().endswith(".md"):
        return False  # our own docs (domain.md, architecture.md) are never named in an output
    if not word or word in UNITS or word in ALLOWED_WORDS or word in SYMBOLS:
        return True
    if "@" in word or "://" in word or re.fullmatch(r"[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)+", word):
        return True  # a mail address, a URL; the dotted path of an input field (in a draft's open items)
    if any(char.isupper() or char.isdigit() for char in word):  # a symbol (EM_BL, Q_heat), a code, an ID
        return True
    if re.fullmatch(r"[\w\-]+\.(yaml|xlsx|csv|pdf|docx|txt|jpg|png|json)", word) or "/" in word:
        return True  # a file name or a path
    if re.fullmatch(r"[0-9a-f]{8,}", word):
        return True  # a hash
    return any(word in text for text in allowed)


def project_words(data: object) -> set[str]:
    """The project's own free text (names, sources, file names), which a document shows as typed; a single
    lowercase word is a code (verified, metered, daily) and does not count: codes are shown in Japanese."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str) and not re.fullmatch(r"[a-z][a-z0-9_\-]*", value):
            found.add(value)

    walk(data)
    return found


def docx_text(path: Path) -> str:
    """Every paragraph of a Word file, the body's tables and the page headers included."""
    from docx import Document as load

    word = load(str(path))
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in word.sections:
        parts.extend(paragraph.text for paragraph in section.header.paragraphs)
    return "\n".join(parts)
