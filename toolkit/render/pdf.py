"""The document model as a PDF: the HTML of render/html.py laid out by WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from toolkit.documents.model import Document
from toolkit.errors import OutputError
from toolkit.render import html


def render(document: Document, path: Path, overrides: Path | None = None) -> None:
    """Write `document` as a PDF at `path`; `overrides` is a project's templates/ folder, if any."""
    from weasyprint import HTML  # Pango and friends only for the PDF (style.md §2)

    source = html.render(document, overrides)
    base = (overrides if overrides is not None else html.PACKAGED) / "html"  # relative URLs in an override
    try:
        HTML(string=source, base_url=str(base), url_fetcher=_refuse).write_pdf(path)
    except OSError as error:
        raise OutputError(
            f"{path}: cannot write the PDF (PDF を書き込めません): {error.strerror or error}"
        ) from error


def _refuse(url: str, *args, **kwargs):
    """The page is self-contained (inline CSS and SVG): nothing is fetched, not even a local file."""
    raise ValueError(f"external resources are not loaded: {url}")
