"""Font checks shared by the renderer tests and the sample renders: embedded PDF fonts, East Asian fonts in DOCX."""

from __future__ import annotations

from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
IPAEX = {"IPAexMincho", "IPAexGothic"}


def fonts(reader: PdfReader) -> dict[str, bool]:
    """BaseFont name -> whether the font program is embedded (FontFile2 / FontFile3 in its descriptor)."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            ).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
    return found


def east_asian_fonts(word) -> tuple[dict[str, str | None], dict[str, str | None], str]:
    fonts, based_on, default = {}, {}, "Normal"
    for style in word.styles.element.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        rfonts = style.find(f"{W}rPr/{W}rFonts")
        fonts[style_id] = rfonts.get(f"{W}eastAsia") if rfonts is not None else None
        parent = style.find(f"{W}basedOn")
        based_on[style_id] = parent.get(f"{W}val") if parent is not None else None
        if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") == "1":
            default = style_id
    return fonts, based_on, default


def effective_east_asian(run, fonts, based_on, default) -> str | None:
    """The East Asian font of a run from itself or its style chains (document defaults left out on purpose)."""
    direct = run.find(f"{W}rPr/{W}rFonts")
    if direct is not None and direct.get(f"{W}eastAsia"):
        return direct.get(f"{W}eastAsia")
    chains = [run.find(f"{W}rPr/{W}rStyle")]
    paragraph = next(run.iterancestors(f"{W}p"))
    chains.append(paragraph.find(f"{W}pPr/{W}pStyle"))
    for start in [element.get(f"{W}val") for element in chains if element is not None] + [default]:
        style_id, seen = start, set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if fonts.get(style_id):
                return fonts[style_id]
            style_id = based_on.get(style_id)
    return None


def runs_without_east_asian_font(word) -> list:
    """The runs of the body, headers and footers whose East Asian font is not an IPAex font."""
    fonts_by_style, based_on, default = east_asian_fonts(word)
    parts = [word.element.body]
    for section in word.sections:
        parts += [section.header._element, section.footer._element]
    return [
        run
        for part in parts
        for run in part.iter(f"{W}r")
        if effective_east_asian(run, fonts_by_style, based_on, default) not in IPAEX
    ]
