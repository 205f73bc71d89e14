"""The document model as HTML for the PDF: one strict Jinja environment, project overrides first."""

from __future__ import annotations

import datetime as dt
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
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from toolkit.documents.model import Chart, Document, Fields, Missing, Paragraph, Table
from toolkit.documents.text import date_text, value_text, words
from toolkit.errors import TemplateError as TemplateUnusable

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


FILTERS = {"text": value_text, "date": date_text, "svg": chart_svg, "created": created}
TESTS = {
    "fields": lambda block: isinstance(block, Fields),
    "paragraph": lambda block: isinstance(block, Paragraph),
    "table": lambda block: isinstance(block, Table),
    "chart": lambda block: isinstance(block, Chart),
    "missing": lambda value: isinstance(value, Missing),
    "unbroken": unbroken,
}


def environment(overrides: Path | None = None) -> SandboxedEnvironment:
    """Templates from `overrides` (a project's templates/ folder) first, then the packaged ones;
    "default:html/document.html" always names the packaged file, so an override can extend it."""
    folders = [overrides, PACKAGED] if overrides is not None else [PACKAGED]
    # sandboxed: a project folder someone sends a coach may carry templates, and they must not reach Python
    env = SandboxedEnvironment(
        loader=ChoiceLoader(
            [FileSystemLoader(folders), PrefixLoader({"default": FileSystemLoader(PACKAGED)}, delimiter=":")]
        ),
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    env.globals["words"] = words
    env.tests.update(TESTS)
    return env


def render(document: Document, overrides: Path | None = None) -> str:
    """The document as one self-contained HTML page (styles inline), ready for WeasyPrint."""
    return rendered(
        DOCUMENT,
        overrides,
        document=document,
        sections={section.id: section for section in document.sections},
    )


def rendered(name: str, overrides: Path | None = None, **context) -> str:
    """The HTML template `name` (a project's override first) rendered with `context`; any error in it,
    syntax or runtime, becomes the toolkit's TemplateError naming the template file and line."""
    try:
        return environment(overrides).get_template(name).render(**context)
    except TemplateError as error:
        found = (
            f"not found (見つかりません): {error.message}"
            if isinstance(error, TemplateNotFound)
            else error.message
        )
        raise TemplateUnusable(
            f"{where(error, name)}: template error (テンプレートの誤り): {found}"
        ) from error
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:  # {{ 1/0 }}, a non-UTF-8 file ...
        raise TemplateUnusable(
            f"{where(error, name)}: template error (テンプレートの誤り): {type(error).__name__}: {error}"
        ) from error


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
