"""The DOCX renderer: the document model written into a copy of templates/base.docx.

Fonts, sizes, borders and the page header come from base.docx (a project may override it), so runs
carry no font of their own: only bold and the highlight of a 【未記入: …】 marker. Paragraphs and tables
are built as WordprocessingML text and parsed once per block, which keeps a 12,000-row table fast.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from toolkit.documents.model import (
    Chart,
    Column,
    Document,
    Fields,
    Inline,
    Missing,
    Note,
    Paragraph,
    Section,
    Table,
    Value,
)
from toolkit.documents.text import clean, date_style, date_text, field_path, value_text, words
from toolkit.errors import OutputError
from toolkit.problems import Location, Problem
from toolkit.read.overrides import template
from toolkit.render import deterministic_zip
from toolkit.render.layout import Layout, table_layout

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "jcredit-toolkit"
FALLBACK_FONT = "IPAexMincho"  # only when a project's base.docx names no East Asian font at all
NUMERIC = ("number", "integer")
EMU_PER_TWIP = 635
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
MARKER = '<w:rPr><w:b/><w:bCs/><w:color w:val="8B0000"/><w:highlight w:val="yellow"/></w:rPr>'
BOLD = "<w:rPr><w:b/><w:bCs/></w:rPr>"
UNIT = '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'


def render(document: Document, path: Path, overrides: Path | None = None) -> None:
    """Write `document` as a Word file at `path`, starting from base.docx (the project's override first)."""
    with date_style(document.date_style):
        _render(document, path, overrides)


def _render(document: Document, path: Path, overrides: Path | None) -> None:
    base = template("base.docx", overrides)
    writer = Writer(base)
    for note in document.notes:
        writer.notes.setdefault(note.anchor, []).append(note)
    writer.page(document.landscape)
    writer.landscape = document.landscape
    writer.header_footer(document)
    writer.title_block(document)
    writer.comment(writer.word.element.body[0], writer.notes.get("", []))  # unanchored: on the title
    for section in document.sections:
        wide = any(isinstance(block, Table) and writer.layout(block).landscape for block in section.blocks)
        if (
            wide
        ):  # a table too wide for portrait: the section on landscape pages of its own (render/layout.py)
            writer.section_break()
        writer.heading(
            section.level, f"{section.number} {section.title}" if section.number else section.title
        )
        writer.comment(writer.end.getprevious(), writer.notes.get(section.id, []))
        for block in section.blocks:
            BLOCKS[type(block)](writer, block)
        if wide:
            writer.section_break()
    write_open_items(writer, document)
    write_remarks(writer, document)
    writer.save(document, path)


class Writer:
    """One Word document being filled: base.docx loaded, its body emptied, blocks appended in order."""

    def __init__(self, base: Path):
        from docx import Document as load

        self.base = base
        try:
            self.word = load(str(base))
        except Exception as error:  # a broken override: any parse failure means the same to the user
            raise self.broken(f"cannot open it as a Word document ({error})") from error
        body = self.word.element.body
        self.end = body[-1]
        if self.end.tag != f"{{{W}}}sectPr":
            raise self.broken("the body has no section properties (w:sectPr)")
        for child in list(body)[:-1]:  # base.docx brings styles, page and header; the text is ours
            body.remove(child)
        self.style_ids: dict[str, str] = {}
        self.notes: dict[str, list[Note]] = {}  # open review comments by what they anchor on
        self.turned = False  # inside a landscape section of a portrait document
        self.landscape = False  # the document's own pages
        self.layouts: dict[int, tuple[Table, Layout]] = {}
        ensure_east_asian(self.word.styles.element)

    def comment(self, paragraph, notes: list[Note]) -> None:
        """Anchor each of `notes` as a Word comment on the runs of `paragraph` (a w:p element): the review
        pane shows it beside that text. Its date is the comment's own, so the same review gives the same file."""
        from docx.text.run import Run

        runs = paragraph.findall(f"{{{W}}}r") if notes else []
        if not runs:
            return
        first, last = Run(runs[0], None), Run(runs[-1], None)
        for note in notes:
            mark = words("comments.mark", number=note.number)
            blocking = f"（{words('comments.blocking')}）" if note.blocking else ""
            author = clean(note.author) or AUTHOR
            comment = self.word.add_comment(
                [first, last],
                text=clean(f"[{mark}]{blocking} {note.text}"),
                author=author,
                initials=author[:2],
            )
            comment._comment_elm.date = dt.datetime.combine(note.date, dt.time())
            for reply in note.replies:
                comment.add_paragraph(clean(f"↳ {reply}"))

    def broken(self, reason: str) -> OutputError:
        """The error for an unusable base.docx, naming the file and `reason`, for the caller to raise."""
        where = Location(str(self.base))
        return OutputError(f"{where}: {reason}", [Problem("template_broken", "", where, {"reason": reason})])

    def style(self, name: str) -> str:
        """The style id of `name` (Japanese Word saves "heading 1" as id "1", so never guess the id)."""
        if name not in self.style_ids:
            try:
                self.style_ids[name] = self.word.styles[name].style_id
            except KeyError:
                raise self.broken(f"the style {name!r} is missing") from None
        return self.style_ids[name]

    @property
    def text_width(self) -> int:
        """Twips between the margins of the section being written (a landscape one: the page turned)."""
        section = self.word.sections[-1]
        width = section.page_height if self.turned else section.page_width
        return (width - section.left_margin - section.right_margin) // EMU_PER_TWIP

    def layout(self, table: Table) -> Layout:
        """The column widths of `table` (render/layout.py, as in the PDF), measured once per document."""
        known = self.layouts.get(id(table))
        if known is None or known[0] is not table:
            known = self.layouts[id(table)] = (table, table_layout(table, self.landscape))
        return known[1]

    def section_break(self) -> None:
        """End the section being written here, and start the next one turned the other way: the first call
        ends the document's own pages, the second its landscape pages (the body's sectPr holds the last)."""
        import copy

        properties = copy.deepcopy(self.end)  # the same margins, header and footer
        size = properties.find(f"{{{W}}}pgSz")
        if size is not None and self.turned:
            width, height = size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")
            size.set(f"{{{W}}}w", height)
            size.set(f"{{{W}}}h", width)
            size.set(f"{{{W}}}orient", "landscape")
        for kind in ("titlePg",):  # a first-page header belongs to the document's first page only
            for node in properties.findall(f"{{{W}}}{kind}"):
                properties.remove(node)
        self.add("<w:p><w:pPr></w:pPr></w:p>")
        self.end.getprevious().find(f"{{{W}}}pPr").append(properties)
        self.turned = not self.turned

    def add(self, xml: str) -> None:
        """Append one block to the body; `xml` starts with a bare root tag (<w:p>, <w:tbl>)."""
        from docx.oxml import parse_xml

        root = xml[: xml.index(">")]
        self.end.addprevious(parse_xml(f'{root} xmlns:w="{W}"{xml[len(root) :]}'))

    def paragraph(self, style: str, runs: str, ppr: str = "") -> None:
        """Append a paragraph in the style named `style`, with `runs` and extra paragraph properties `ppr`."""
        self.add(f'<w:p><w:pPr><w:pStyle w:val="{self.style(style)}"/>{ppr}</w:pPr>{runs}</w:p>')

    def heading(self, level: int, text: str) -> None:
        """Append a heading styled Heading 1, 2 or 3; a level outside that range takes the nearest."""
        self.paragraph(f"Heading {min(max(level, 1), 3)}", run(clean(text)))

    def page(self, landscape: bool) -> None:
        """Set portrait or landscape whatever base.docx had, ordering the page's width and height to match."""
        from docx.enum.section import WD_ORIENT

        section = self.word.sections[-1]
        width, height = sorted((section.page_width, section.page_height), reverse=landscape)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height

    def header_footer(self, document: Document) -> None:
        """Fill the placeholders of every page header and footer; right tabs follow the text width."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        values = {
            "project_name": value_text(document.project_name),
            "title": value_text(document.title),
            "date": date_text(document.date),
            "status": words("draft") if document.draft else "",
        }
        parts = [
            rel.target_part.element
            for rel in self.word.part.rels.values()
            if rel.reltype in (RT.HEADER, RT.FOOTER)
        ]
        for element in parts:
            for paragraph in element.iter(f"{{{W}}}p"):
                self.fill(paragraph, values)
        width = self.text_width
        for name in ("Header", "Footer"):  # their tab stops, when the paragraphs have none of their own
            try:
                parts.append(self.word.styles[name].element)
            except KeyError:
                pass
        for element in parts:
            for tab in element.iter(f"{{{W}}}tab"):
                if tab.getparent().tag == f"{{{W}}}tabs" and tab.get(f"{{{W}}}val") in ("center", "right"):
                    center = tab.get(f"{{{W}}}val") == "center"
                    tab.set(f"{{{W}}}pos", str(width // 2 if center else width))

    def fill(self, paragraph, values: dict[str, str]) -> None:
        """Replace {{name}} in one paragraph, in one pass: a value is never scanned for placeholders."""
        texts = paragraph.xpath("./w:r/w:t | ./*/w:r/w:t")  # its own runs, also in links and fields
        joined = "".join(text.text or "" for text in texts)
        for name in PLACEHOLDER.findall(joined):
            if name not in values:
                raise self.broken(
                    f"unknown placeholder {{{{{name}}}}} in a page header or footer "
                    f"(known: {', '.join('{{' + key + '}}' for key in values)})"
                )

        def replace(text: str) -> str:
            return PLACEHOLDER.sub(lambda match: values[match[1]], text)

        if not texts:
            return
        if sum(len(PLACEHOLDER.findall(text.text or "")) for text in texts) == len(
            PLACEHOLDER.findall(joined)
        ):
            targets = [(text, replace(text.text or "")) for text in texts]
        else:  # Word split a placeholder over runs: the whole text goes to the first run
            targets = [(texts[0], replace(joined))] + [(text, "") for text in texts[1:]]
        for text, value in targets:
            text.text = value
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def title_block(self, document: Document) -> None:
        """Append the title lines: the document's title, the project's name and the date above a rule."""
        self.paragraph("Title", run(value_text(document.title)))
        self.paragraph("Subtitle", run(value_text(document.project_name)))
        self.paragraph(
            "Subtitle",
            run(date_text(document.date)),
            '<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="8" w:color="333333"/></w:pBdr>'
            '<w:spacing w:after="360"/>',
        )

    def add_table(
        self, widths: list[int], rows: str, *, header: bool, total: bool, label_column: bool = False
    ) -> None:
        """Append a fixed-layout table, widths in twips; flags: a header row, a total row, a label column."""
        look = (0x20 if header else 0) | (0x40 if total else 0) | (0x80 if label_column else 0) | 0x600
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        self.add(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style("Table Grid")}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblLook w:val="{look:04X}" w:firstRow="{int(header)}" w:lastRow="{int(total)}" '
            f'w:firstColumn="{int(label_column)}" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
        )

    def save(self, document: Document, path: Path) -> None:
        """Save to `path`, properties and zip times from `document.built`: same document, same bytes."""
        when = document.built
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when
        properties = self.word.core_properties
        properties.author = properties.last_modified_by = AUTHOR
        properties.title = value_text(document.title)
        properties.created = properties.modified = properties.last_printed = when
        properties.revision = 1
        try:
            self.word.save(str(path))
        except OSError as error:
            raise OutputError(
                str(path), [Problem("not_writable", "", Location(str(path)), {"reason": str(error)})]
            ) from error
        deterministic_zip(path, document.built)


def ensure_east_asian(styles) -> None:
    """Give the document defaults an East Asian font when a base.docx names none (Word would pick any)."""
    from docx.oxml import OxmlElement

    node = styles
    for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:rFonts"):
        child = node.find(f"{{{W}}}{tag[2:]}")
        if child is None:
            child = OxmlElement(tag)
            node.insert(0, child)
        node = child
    if node.get(f"{{{W}}}eastAsia") is None and node.get(f"{{{W}}}eastAsiaTheme") is None:
        node.set(f"{{{W}}}eastAsia", FALLBACK_FONT)


def text_xml(text: str) -> str:
    """w:t pieces for `text`: line breaks become w:br, tabs w:tab; the text is XML-escaped."""
    out = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if number:
            out.append("<w:br/>")
        for index, piece in enumerate(line.split("\t")):
            if index:
                out.append("<w:tab/>")
            if piece:
                space = ' xml:space="preserve"' if piece != piece.strip() or "  " in piece else ""
                out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(out)


def run(text: str, rpr: str = "") -> str:
    """A WordprocessingML run of escaped text, with its run properties."""
    return f"<w:r>{rpr}{text_xml(text)}</w:r>"


def inline(part: Inline | Value, column: Column | None = None, rpr: str = "") -> str:
    """One run for a value; a `Missing` is the highlighted bold marker."""
    if isinstance(part, Missing):
        return run(part.marker, MARKER)
    return run(value_text(part, column), rpr)


def widths(weights: list[int], total: int) -> list[int]:
    """Twips per column in proportion to `weights`, adding up to `total` exactly."""
    weights = weights if sum(weights) > 0 else [1] * len(weights)
    out = [total * weight // sum(weights) for weight in weights]
    out[-1] += total - sum(out)
    return out


def shared(shares: tuple[float, ...], total: int) -> list[int]:
    """Twips per column from the layout's shares of the text block, adding up to `total` exactly."""
    out = [int(total * share) for share in shares]
    if out:
        out[-1] += total - sum(out)
    return out


def cell(width: int, style: str, runs: str, ppr: str = "") -> str:
    """A table cell of `width` twentieths of a point holding one paragraph of `runs` in `style`."""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{runs}</w:p></w:tc>'
    )


def write_fields(writer: Writer, block: Fields) -> None:
    """A fields block as a two-column table of labels and values."""
    label_width, value_width = widths([3, 7], writer.text_width)
    label, value = writer.style("Field Label"), writer.style("Field Value")
    rows = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + cell(label_width, label, run(value_text(row.label)))
        + cell(value_width, value, "".join(inline(part) for part in row.value) or inline(None))
        + "</w:tr>"
        for row in block.rows
    )
    writer.add_table([label_width, value_width], rows, header=False, total=False, label_column=True)
    if writer.notes:  # a comment on a field is anchored on its value's text
        table = writer.end.getprevious()
        for row, element in zip(block.rows, table.findall(f"{{{W}}}tr")):
            if row.path in writer.notes:
                value = element.findall(f"{{{W}}}tc")[-1].find(f"{{{W}}}p")
                writer.comment(value, writer.notes[row.path])


def write_paragraph(writer: Writer, block: Paragraph) -> None:
    """A narrative block as one Normal paragraph."""
    writer.paragraph("Normal", "".join(inline(part) for part in block.parts if part))


def write_table(writer: Writer, block: Table) -> None:
    """Caption, a header row repeated on every page, the rows, the total row once at the end, the note."""
    if block.title:
        writer.paragraph("Caption", run(value_text(block.title)))
    sizes = shared(writer.layout(block).shares, writer.text_width)
    text, number = writer.style("Table Text"), writer.style("Table Number")
    styles = [number if column.kind in NUMERIC else text for column in block.columns]
    heading = writer.style("Table Heading")
    right = '<w:jc w:val="right"/>'
    rows = ["<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
    for column, width in zip(block.columns, sizes):
        label = run(value_text(column.label)) + (
            run(f"\n({value_text(column.unit)})", UNIT) if column.unit else ""
        )
        rows.append(cell(width, heading, label, right if column.kind in NUMERIC else ""))
    rows.append("</w:tr>")
    columns = list(zip(block.columns, sizes, styles))
    for row in block.rows:
        rows.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        rows.extend(
            cell(width, style, inline(row.get(column.key), column)) for column, width, style in columns
        )
        rows.append("</w:tr>")
    if block.total is not None:
        rows.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        rows.extend(
            cell(
                width,
                style,
                inline(block.total[column.key], column, BOLD) if column.key in block.total else "",
            )
            for column, width, style in columns
        )
        rows.append("</w:tr>")
    writer.add_table(sizes, "".join(rows), header=True, total=block.total is not None)
    if block.note:
        writer.paragraph("Note", run(value_text(block.note)))


def write_chart(writer: Writer, block: Chart) -> None:
    """The chart as a PNG across the text width, its title as a caption underneath."""
    from docx.shared import Emu

    from toolkit.render.chart import WIDTH, png

    writer.style("Figure")  # a clear error when an override lacks it
    width = Emu(writer.text_width * EMU_PER_TWIP)
    dpi = max(200, round(200 * width.mm / WIDTH))  # as sharp across a landscape page as across a portrait one
    picture = writer.word.add_paragraph(style="Figure")
    shape = picture.add_run().add_picture(io.BytesIO(png(block, dpi)), width=width)
    shape._inline.docPr.set("descr", value_text(block.title))  # alternative text for screen readers
    if block.title:
        writer.paragraph(
            "Caption", run(value_text(block.title)), '<w:keepNext w:val="0"/><w:jc w:val="center"/>'
        )


def write_open_items(writer: Writer, document: Document) -> None:
    """The closing list of every empty required field: label, data path, and the section it belongs to."""
    if not document.open_items:
        return
    sections: dict[str, Section] = {section.id: section for section in document.sections}
    writer.heading(1, words("open_items", count=len(document.open_items)))
    for item in document.open_items:
        section = sections.get(item.section)
        name = " ".join(text for text in (section.number, section.title) if text) if section else ""
        where = name or item.section or "—"  # the heading a reader sees; its id only when no section has it
        writer.paragraph(
            "Open Item", run(value_text(item.label), MARKER) + run(clean(f"　{item.path}　{where}"))
        )


def write_remarks(writer: Writer, document: Document) -> None:
    """The checklist's other findings for this document: rule, severity, what is wrong and the fix; a
    draft's notes only (a final holds what the form holds, the checklist keeps the findings)."""
    if not document.remarks or not document.draft:
        return
    writer.heading(1, words("remarks", count=len(document.remarks)))
    for remark in document.remarks:
        severity = words("severity." + remark.severity)
        head = (
            run(f"{remark.rule}　{severity}　", MARKER)
            if remark.severity == "blocking"
            else run(f"{remark.rule}　{severity}　")
        )
        path = f"（{field_path(remark.path)}）" if field_path(remark.path) else ""
        writer.paragraph("Open Item", head + run(clean(f"{remark.text}{path}　→ {remark.fix}")))


BLOCKS: dict[type, Callable[[Writer, object], None]] = {
    Fields: write_fields,
    Paragraph: write_paragraph,
    Table: write_table,
    Chart: write_chart,
}
