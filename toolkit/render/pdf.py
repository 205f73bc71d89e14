"""The document model as a PDF: the HTML of render/html.py laid out by WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from toolkit.documents.model import Document
from toolkit.errors import OutputError, TemplateError
from toolkit.render import html


def render(document: Document, path: Path, overrides: Path | None = None) -> None:
    """Write `document` as a PDF at `path`; `overrides` is a project's templates/ folder, if any: images in it
    (a logo) may be named by an override, relative to templates/html/; no other file or URL is loaded."""
    from weasyprint import HTML  # Pango and friends only for the PDF (style.md §2)

    from toolkit.render import fetch

    source = html.render(document, overrides)
    fetcher = fetch.ProjectImages(overrides)
    try:
        HTML(string=source, base_url=fetcher.base, url_fetcher=fetcher).write_pdf(path)
    except fetch.Refused as refused:
        place = fetch.where(refused.url, fetcher.base, overrides) or html.DOCUMENT
        raise TemplateError(
            f"{place}: template error (テンプレートの誤り): {fetch.explain(refused)}"
        ) from None
    except OSError as error:
        raise OutputError(
            f"{path}: cannot write the PDF (PDF を書き込めません): {error.strerror or error}"
        ) from error
