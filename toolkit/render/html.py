"""The document model as HTML for the PDF: one strict Jinja environment, project overrides first."""

from __future__ import annotations

import datetime as dt
import os
import re
from importlib.resources import files
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from markupsafe import Markup, escape

from toolkit.documents.model import Chart, Document, Fields, Missing, Paragraph, Section, Table
from toolkit.documents.text import date_style, date_text, field_path, value_text, words
from toolkit.errors import TemplateError as TemplateUnusable
from toolkit.read.overrides import refusal
from toolkit.render.layout import Layout, table_layout
from toolkit.render.sandbox import MAX_OUTPUT, BoundedSandbox, TemplateLimit

PACKAGED = Path(str(files("toolkit.templates")))
DOCUMENT = "html/document.html"


def chart_svg(chart: Chart) -> Markup:
    """The chart as an inline <svg> element."""
    from toolkit.render.chart import svg

    return Markup(svg(chart))  # chart.svg escapes every label itself


def created(built: dt.datetime) -> str:
    """The build time as a W3C date for <meta name="dcterms.created">: WeasyPrint puts it in the PDF."""
    if built.tzinfo is None:
        built = built.replace(tzinfo=dt.UTC)
    return built.replace(microsecond=0).isoformat()


# a run this long with no space cannot sit in a column of its own width: a map URL, a name typed without spaces
_UNBROKEN = re.compile(r"\S{24,}")


def unbroken(value: object) -> bool:
    """Whether a cell's value holds a long run without a space, which may then break anywhere (document.css
    td.unbroken): the column shrinks to the page instead of pushing the later columns off it."""
    return isinstance(value, str) and len(value) >= 24 and _UNBROKEN.search(value) is not None


def breakable(text: str) -> Markup:
    """Escaped text with a line-break opportunity after each / (<wbr>, no character in the PDF's text): a
    path (evidence/meter/PV-0001_2025-04.pdf) wraps at its folders, not at whatever letter fills the line."""
    return Markup(str(escape(text)).replace("/", "/<wbr>"))


FILTERS = {
    "breakable": breakable,
    "text": value_text,
    "date": date_text,
    "svg": chart_svg,
    "created": created,
    "place": field_path,
}
TESTS = {
    "fields": lambda block: isinstance(block, Fields),
    "paragraph": lambda block: isinstance(block, Paragraph),
    "table": lambda block: isinstance(block, Table),
    "chart": lambda block: isinstance(block, Chart),
    "missing": lambda value: isinstance(value, Missing),
    "unbroken": unbroken,
}


class ProjectTemplates(FileSystemLoader):
    """A project's templates/ folder as a Jinja loader: an override that is a symbolic link out of the project
    (or sits in a linked folder) is refused before it is read, never silently replaced by the packaged file."""

    def __init__(self, overrides: Path):
        super().__init__(overrides)
        self.overrides = overrides

    def get_source(self, environment, template):
        """The override's source, after the confinement check (read.confine) of its path."""
        path = self.overrides / template
        if os.path.lexists(path):
            refused = refusal(self.overrides, template)
            if refused is not None:
                raise LeadsOutside(str(refused))
        return super().get_source(environment, template)


class LeadsOutside(TemplateError):
    """Raised when a template override is a symbolic link out of the project folder."""


def environment(overrides: Path | None = None) -> BoundedSandbox:
    """Templates from `overrides` (a project's templates/ folder) first, then the packaged ones;
    "default:html/document.html" always names the packaged file, so an override can extend it."""
    loaders = [ProjectTemplates(overrides)] if overrides is not None else []
    # sandboxed: a project folder someone sends a coach may carry templates, and they must neither reach Python
    # nor exhaust the machine (render/sandbox.py)
    env = BoundedSandbox(
        loader=ChoiceLoader(
            [
                *loaders,
                FileSystemLoader(PACKAGED),
                PrefixLoader({"default": FileSystemLoader(PACKAGED)}, delimiter=":"),
            ]
        ),
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    layouts: dict[int, tuple[Table, Layout]] = {}  # one measure per table and render: a wide section asks too

    def layout(table: Table, landscape: bool = False) -> Layout:
        known = layouts.get(id(table))
        if known is None or known[0] is not table:
            known = layouts[id(table)] = (table, table_layout(table, landscape))
        return known[1]

    def wide(section: Section, landscape: bool = False) -> bool:
        """Whether a section holds a table that needs a landscape page of its own (document.css .wide)."""
        return any(
            isinstance(block, Table) and layout(block, landscape).landscape for block in section.blocks
        )

    env.filters.update(layout=layout, wide=wide)
    env.globals["words"] = words
    env.tests.update(TESTS)
    return env


def render(document: Document, overrides: Path | None = None) -> str:
    """The document as one self-contained HTML page (styles inline), ready for WeasyPrint."""
    with date_style(document.date_style):
        return rendered(
            DOCUMENT,
            overrides,
            document=document,
            sections={section.id: section for section in document.sections},
        )


def rendered(name: str, overrides: Path | None = None, **context) -> str:
    """The HTML template `name` (a project's override first) rendered with `context`; any error in it,
    syntax or runtime, becomes the toolkit's TemplateError naming the template file and line."""
    env = environment(overrides)
    try:
        template = env.get_template(name)
        env.start()
        return _streamed(template.generate(**context))
    except TemplateError as error:
        found = (
            f"not found (見つかりません): {error.message}"
            if isinstance(error, TemplateNotFound)
            else error.message
        )
        raise TemplateUnusable(
            f"{where(error, name)}: template error (テンプレートの誤り): {found}"
        ) from error
    except RecursionError as error:  # a macro calling itself, an override extending itself
        raise TemplateUnusable(
            f"{where(error, name)}: template error (テンプレートの誤り): it calls itself without end "
            f"(自分自身を呼び続けています)"
        ) from None
    except MemoryError as error:
        raise TemplateUnusable(
            f"{where(error, name)}: template error (テンプレートの誤り): out of memory (メモリが足りません)"
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:  # {{ 1/0 }}, a non-UTF-8 file ...
        raise TemplateUnusable(
            f"{where(error, name)}: template error (テンプレートの誤り): {type(error).__name__}: {error}"
        ) from error


def _streamed(chunks) -> str:
    """The template's output, counted as it comes: includes and blocks in a loop are text no loop counts."""
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateLimit("output", MAX_OUTPUT)
        parts.append(chunk)
    return "".join(parts)


def where(error: Exception, template: str = DOCUMENT) -> str:
    """The template file and line an error points at: from a syntax error itself, else from the traceback."""
    if isinstance(error, TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}"
    frame, found = error.__traceback__, ""
    while frame is not None:  # Jinja rewrites frames to the template's file and line; keep the innermost
        name = frame.tb_frame.f_code.co_filename
        if name.endswith((".html", ".css")):
            found = f"{name}:{frame.tb_lineno}"
        frame = frame.tb_next
    return found or template
