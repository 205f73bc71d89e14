"""The document model as a PDF: the HTML of render/html.py laid out by WeasyPrint.

A long document (a program's activity list of thousands of rows) is laid out in parts of PART_ROWS rows
(Document.parts), merged, then numbered: WeasyPrint's time per table row grows with the table and its memory
with the document (10,000 activities took 188 s and 3.9 GB at once), while a part's stay flat."""

from __future__ import annotations

import dataclasses
import gc
import io
from pathlib import Path

from toolkit.documents.model import Document
from toolkit.errors import OutputError, TemplateError
from toolkit.render import html

PART_ROWS = 500  # measured: 15 ms per row up to 500 rows a table, 19 ms at 1,000, 27 ms at 2,000
PAGE_NUMBERS = "html/page_numbers.html"


def render(document: Document, path: Path, overrides: Path | None = None) -> None:
    """Write `document` as a PDF at `path`; `overrides` is a project's templates/ folder, if any: images in it
    (a logo) may be named by an override, relative to templates/html/; no other file or URL is loaded."""
    from toolkit.render import fetch

    fetcher = fetch.ProjectImages(overrides)
    try:
        parts = document.parts(PART_ROWS)
        if len(parts) == 1:
            _laid_out(html.render(document, overrides), fetcher).write_pdf(path)
        else:
            _merged(document, parts, overrides, fetcher).write(path)
    except fetch.Refused as refused:
        place = fetch.where(refused.url, fetcher.base, overrides) or html.DOCUMENT
        raise TemplateError(
            f"{place}: template error (テンプレートの誤り): {fetch.explain(refused)}"
        ) from None
    except OSError as error:
        raise OutputError(
            f"{path}: cannot write the PDF (PDF を書き込めません): {error.strerror or error}"
        ) from error


def _laid_out(source: str, fetcher):
    """The HTML laid out in pages by WeasyPrint (Pango and friends are imported only for a PDF, style.md §2)."""
    from weasyprint import HTML

    return HTML(string=source, base_url=fetcher.base, url_fetcher=fetcher).render()


def _merged(document: Document, parts: list[Document], overrides: Path | None, fetcher):
    """The parts laid out one at a time, joined, and numbered "page / pages" over the whole: a document of
    the same page style that holds only the page numbers is laid over the joined pages."""
    from pypdf import PdfReader, PdfWriter

    writer, metadata = PdfWriter(), None
    # WeasyPrint's boxes refer to each other, and the command line runs without the cycle collector
    # (cli.main): each part's boxes are collected by hand, past the project's objects, frozen meanwhile
    gc.freeze()
    try:
        for part in parts:
            reader = PdfReader(io.BytesIO(_laid_out(html.render(part, overrides), fetcher).write_pdf()))
            metadata = metadata or reader.metadata  # the title and dates WeasyPrint wrote, once
            writer.append(reader)
            gc.collect()
    finally:
        gc.unfreeze()
    numbers = html.rendered(
        PAGE_NUMBERS,
        overrides,
        document=dataclasses.replace(document, numbered=True, sections=[]),
        pages=range(len(writer.pages)),
    )
    _lay_over(writer, PdfReader(io.BytesIO(_laid_out(numbers, fetcher).write_pdf())))
    if metadata:
        writer.add_metadata(metadata)
    return writer


def _lay_over(writer, numbers) -> None:
    """Each page of `numbers` drawn over the same page of `writer`, as a form of its own: the pages' content
    is neither parsed nor copied (pypdf's merge_page does both, and copies the font into every page: a 62 MB
    PDF for 1,150 pages), and the one font of the numbers is shared."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    def stream(data: bytes, **entries) -> object:
        content = DecodedStreamObject()
        content.set_data(data)
        content.update({NameObject(key): value for key, value in entries.items()})
        return writer._add_object(content)

    first = len(writer.pages)
    writer.append(numbers)  # copies the numbers' objects once; their pages leave the page tree below
    begin = stream(b"q\n")  # whatever state a page's content leaves, the number is drawn in the page's own
    for page, number in zip(list(writer.pages[:first]), list(writer.pages[first:])):
        form = stream(
            number.get_contents().get_data(),
            **{"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form")},
            **{"/BBox": ArrayObject(number.mediabox), "/Resources": number["/Resources"]},
        )
        # a part's pages share one resource dictionary: each page gets its own, naming its own number
        resources = DictionaryObject(page["/Resources"].get_object())
        forms = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        forms[NameObject("/PageNumber")] = form
        resources[NameObject("/XObject")] = forms
        page[NameObject("/Resources")] = resources
        contents = page["/Contents"].get_object()
        contents = list(contents) if isinstance(contents, ArrayObject) else [page["/Contents"]]
        page[NameObject("/Contents")] = ArrayObject([begin, *contents, stream(b"\nQ q /PageNumber Do Q\n")])
    for _ in range(len(writer.pages) - first):
        writer.remove_page(first)
