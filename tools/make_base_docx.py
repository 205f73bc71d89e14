"""Build templates/base.docx, the styled Word document the DOCX renderer starts from.

Run `python tools/make_base_docx.py` after changing a style here; commit both files. The package is
written part by part (no Word, no python-docx), so the file is small and the same bytes every time.

What the renderer relies on (keep these when editing, here or in a project's templates/base.docx):
- styles by name: Normal, Title, Subtitle, Heading 1-3, Caption, Table Grid, Table Text, Table Number,
  Table Heading, Field Label, Field Value, Figure, Note, Open Item, Header, Footer;
- placeholders in the page header or footer: {{project_name}}, {{title}}, {{date}}, {{status}} (下書き
  in a draft, else empty); a right tab stop in a header or footer moves to the right margin;
- every style and the document defaults carry an East Asian font (w:rFonts w:eastAsia).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "templates" / "base.docx"
STAMP = (2025, 1, 1, 0, 0, 0)  # zip entry dates: fixed, so the file only changes when a style does

MINCHO, GOTHIC = "IPAexMincho", "IPAexGothic"
A4 = (11906, 16838)  # twips (1/1440 inch): 210 × 297 mm
MARGIN, HEADER_GAP = 1134, 567  # 20 mm, 10 mm
TEXT_WIDTH = A4[0] - 2 * MARGIN

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="999999"'  # 0.5 pt, as in the PDF


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    rule = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def style(
    kind: str,
    style_id: str,
    name: str,
    font: str,
    *,
    based_on: str | None = "Normal",
    next_id: str = "",
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    default: bool = False,
    priority: int = 0,
) -> str:
    """One w:style; `ppr` and `rpr` must already be in schema order (rFonts always comes first)."""
    attributes = f'w:type="{kind}" w:styleId="{style_id}"' + (' w:default="1"' if default else "")
    head = f'<w:name w:val="{name}"/>'
    head += f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    head += f'<w:next w:val="{next_id}"/>' if next_id else ""
    head += f'<w:uiPriority w:val="{priority}"/>' if priority else ""
    head += "<w:qFormat/>" if kind == "paragraph" else ""
    body = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    body += f"<w:rPr>{fonts(font)}{rpr}</w:rPr>"
    return f"<w:style {attributes}>{head}{body}{extra}</w:style>"


def heading(level: int, points: float, before: int, after: int, border: str = "") -> str:
    ppr = f'<w:keepNext/><w:keepLines/>{border}{spacing(before, after, 276)}<w:jc w:val="left"/>'
    return style(
        "paragraph",
        f"Heading{level}",
        f"heading {level}",
        GOTHIC,
        next_id="Normal",
        priority=9,
        ppr=f'{ppr}<w:outlineLvl w:val="{level - 1}"/>',
        rpr=f"<w:b/><w:bCs/>{size(round(points * 2))}",
    )


TABLE_GRID = f"""<w:tblPr><w:tblBorders><w:top {BORDER}/><w:left {BORDER}/><w:bottom {BORDER}/><w:right {BORDER}/>\
<w:insideH {BORDER}/><w:insideV {BORDER}/></w:tblBorders>\
<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/>\
<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>\
<w:tblStylePr w:type="firstRow"><w:tblPr/>\
<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/><w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr>\
<w:tblStylePr w:type="lastRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tblPr/>\
<w:tcPr><w:tcBorders><w:top w:val="single" w:sz="10" w:space="0" w:color="333333"/></w:tcBorders></w:tcPr></w:tblStylePr>\
<w:tblStylePr w:type="firstCol"><w:tblPr/><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/></w:tcPr>\
</w:tblStylePr>"""

STYLES = [
    style(
        "paragraph",
        "Normal",
        "Normal",
        MINCHO,
        based_on=None,
        default=True,
        ppr=f'{spacing(0, 142, 336)}<w:jc w:val="both"/>',
        rpr=size(21),
    ),
    style(
        "paragraph",
        "Title",
        "Title",
        GOTHIC,
        next_id="Normal",
        priority=10,
        ppr=f'{spacing(240, 120, 276)}<w:jc w:val="center"/>',
        rpr=f'<w:b/><w:bCs/><w:spacing w:val="36"/>{size(36)}',
    ),
    style(
        "paragraph",
        "Subtitle",
        "Subtitle",
        GOTHIC,
        next_id="Normal",
        priority=11,
        ppr=f'{spacing(0, 40, 276)}<w:jc w:val="center"/>',
        rpr=size(22),
    ),
    heading(
        1, 13, 454, 170, '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="333333"/></w:pBdr>'
    ),
    heading(2, 11, 284, 113),
    heading(3, 10.5, 200, 80),
    style(
        "paragraph",
        "Caption",
        "caption",
        GOTHIC,
        next_id="Normal",
        priority=35,
        ppr=f'<w:keepNext/>{spacing(120, 57, 276)}<w:jc w:val="left"/>',
        rpr=f"<w:b/><w:bCs/>{size(19)}",
    ),
    style(
        "paragraph",
        "TableText",
        "Table Text",
        GOTHIC,
        ppr=f'{spacing(0, 0, 264)}<w:jc w:val="left"/>',
        rpr=size(18),
    ),
    style(
        "paragraph", "TableNumber", "Table Number", GOTHIC, based_on="TableText", ppr='<w:jc w:val="right"/>'
    ),
    style("paragraph", "TableHeading", "Table Heading", GOTHIC, based_on="TableText", ppr="<w:keepNext/>"),
    style("paragraph", "FieldLabel", "Field Label", GOTHIC, based_on="TableText"),
    style("paragraph", "FieldValue", "Field Value", MINCHO, based_on="TableText", rpr=size(20)),
    style(
        "paragraph",
        "Figure",
        "Figure",
        MINCHO,
        ppr=f'<w:keepNext/>{spacing(113, 0, 240)}<w:jc w:val="center"/>',
    ),
    style("paragraph", "Note", "Note", MINCHO, ppr=f"{spacing(40, 142, 276)}", rpr=size(17)),
    style(
        "paragraph",
        "OpenItem",
        "Open Item",
        MINCHO,
        ppr=f'<w:numPr><w:numId w:val="1"/></w:numPr>{spacing(0, 60, 276)}<w:ind w:left="420" w:hanging="420"/>'
        '<w:jc w:val="left"/>',
    ),
    style(
        "paragraph",
        "Header",
        "header",
        GOTHIC,
        priority=99,
        ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="999999"/></w:pBdr>'
        f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>{spacing(0, 0, 240)}<w:jc w:val="left"/>',
        rpr=f'<w:color w:val="555555"/>{size(16)}',
    ),
    style(
        "paragraph",
        "Footer",
        "footer",
        GOTHIC,
        priority=99,
        ppr=f'{spacing(0, 0, 240)}<w:jc w:val="center"/>',
        rpr=f'<w:color w:val="555555"/>{size(16)}',
    ),
    style(
        "table",
        "TableNormal",
        "Normal Table",
        MINCHO,
        based_on=None,
        default=True,
        priority=99,
        extra='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>",
    ),
    style(
        "table",
        "TableGrid",
        "Table Grid",
        GOTHIC,
        based_on="TableNormal",
        priority=59,
        ppr=spacing(0, 0, 264),
        rpr=size(18),
        extra=TABLE_GRID,
    ),
]

STYLES_XML = f"""<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>{fonts(MINCHO)}<w:kern w:val="2"/>{size(21)}\
<w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>{"".join(STYLES)}</w:styles>"""

SECTION = f"""<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>\
<w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="{A4[0]}" w:h="{A4[1]}"/>\
<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="{HEADER_GAP}" \
w:footer="{HEADER_GAP}" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:linePitch="360"/></w:sectPr>"""

DRAWING = "http://schemas.openxmlformats.org/drawingml/2006"
DOCUMENT_XML = f"""<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="{DRAWING}/wordprocessingDrawing" \
xmlns:a="{DRAWING}/main" xmlns:pic="{DRAWING}/picture"><w:body><w:p/>{SECTION}</w:body></w:document>"""

STATUS_RUN = (
    '<w:r><w:rPr><w:b/><w:bCs/><w:color w:val="B00020"/><w:spacing w:val="20"/></w:rPr>'
    "<w:t>{{status}}</w:t></w:r>"
)
HEADER_XML = f"""<w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>\
<w:r><w:t>{{{{project_name}}}}</w:t></w:r><w:r><w:tab/></w:r>{STATUS_RUN}\
<w:r><w:t xml:space="preserve">  {{{{date}}}}</w:t></w:r></w:p></w:hdr>"""

FOOTER_XML = f"""<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>\
<w:fldSimple w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:t xml:space="preserve"> / </w:t></w:r>\
<w:fldSimple w:instr=" NUMPAGES \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"""

NUMBERING_XML = f"""<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">\
<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>\
<w:pStyle w:val="OpenItem"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>\
<w:pPr><w:ind w:left="420" w:hanging="420"/></w:pPr></w:lvl></w:abstractNum>\
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"""

SETTINGS_XML = f"""<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/>\
<w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:useFELayout/>\
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>\
</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="ja-JP"/><w:decimalSymbol w:val="."/>\
<w:listSeparator w:val=","/></w:settings>"""

# Charset 80 (Shift_JIS) and the family tell Word to substitute a Japanese font where IPAex is not installed.
FONT_TABLE_XML = f"""<w:fonts xmlns:w="{W}">\
<w:font w:name="{MINCHO}"><w:panose1 w:val="02020400000000000000"/><w:charset w:val="80"/>\
<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>\
<w:font w:name="{GOTHIC}"><w:panose1 w:val="020B0500000000000000"/><w:charset w:val="80"/>\
<w:family w:val="modern"/><w:pitch w:val="variable"/></w:font></w:fonts>"""

CORE_XML = """<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>jcredit-toolkit base document</dc:title>\
<dc:creator>jcredit-toolkit</dc:creator><cp:lastModifiedBy>jcredit-toolkit</cp:lastModifiedBy><cp:revision>1</cp:revision>\
<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"""

APP_XML = """<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>jcredit-toolkit</Application></Properties>"""

CONTENT_TYPES_XML = """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Default Extension="png" ContentType="image/png"/>\
<Override PartName="/word/document.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
<Override PartName="/word/settings.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
<Override PartName="/word/numbering.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>\
<Override PartName="/word/fontTable.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>\
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" \
ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def relationships(*rels: tuple[str, str, str]) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return f'<Relationships xmlns="{RELS}">{items}</Relationships>'


PARTS = {  # in this order: [Content_Types].xml first
    "[Content_Types].xml": CONTENT_TYPES_XML,
    "_rels/.rels": relationships(
        ("rId1", f"{OFFICE}/officeDocument", "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        ("rId3", f"{OFFICE}/extended-properties", "docProps/app.xml"),
    ),
    "docProps/core.xml": CORE_XML,
    "docProps/app.xml": APP_XML,
    "word/document.xml": DOCUMENT_XML,
    "word/_rels/document.xml.rels": relationships(
        ("rIdStyles", f"{OFFICE}/styles", "styles.xml"),
        ("rIdSettings", f"{OFFICE}/settings", "settings.xml"),
        ("rIdNumbering", f"{OFFICE}/numbering", "numbering.xml"),
        ("rIdFonts", f"{OFFICE}/fontTable", "fontTable.xml"),
        ("rIdHeader", f"{OFFICE}/header", "header1.xml"),
        ("rIdFooter", f"{OFFICE}/footer", "footer1.xml"),
    ),
    "word/styles.xml": STYLES_XML,
    "word/settings.xml": SETTINGS_XML,
    "word/numbering.xml": NUMBERING_XML,
    "word/fontTable.xml": FONT_TABLE_XML,
    "word/header1.xml": HEADER_XML,
    "word/footer1.xml": FOOTER_XML,
}


def build(target: Path = TARGET) -> Path:
    """Write base.docx to `target` (every part checked to be well-formed XML first)."""
    from xml.dom.minidom import parseString  # stdlib: fails loudly on a typo in the XML above

    for name, xml in PARTS.items():
        parseString(xml.encode())
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in PARTS.items():
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, DECLARATION + xml)
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET))
