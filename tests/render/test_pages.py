"""The pages a reader sees, for every sample and document: no character outside the text block, no table column
narrower than its floor, no stray English in the PDF and the DOCX (pages.py); and the checks themselves fail
on a page that has each fault."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pages
import pytest
from pypdf import PdfReader
from sample_projects import SAMPLES, WORKING_SAMPLES

from toolkit.calculate import factors as factor_tables
from toolkit.checklist import readiness
from toolkit.documents import assemble
from toolkit.documents.model import Column, Document, Section, Table
from toolkit.pipeline import Run
from toolkit.render import docx, layout

KINDS = ("plan", "monitoring", "activity-list")


def draft(run: Run, kind: str) -> Document:
    """The draft `render` writes: the document with the checklist's remarks (the longest form of each)."""
    document = run.document(kind)
    found = run.checklist(assemble.stage_of(kind))
    assemble.finish(document, readiness.remarks(found, kind, "ja"), False, run.project.sources)
    return document


@pytest.fixture(scope="module", params=WORKING_SAMPLES)
def sample(request):
    run = Run(SAMPLES / request.param)
    # the project's own text, and the sources the factor tables cite as written (IPCC 2019 Refinement …)
    cited = {row.source for row in factor_tables.shipped_rows().values()}
    return request.param, run, pages.project_words(run.project.data) | cited


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_pages_of_every_sample(sample, kind, tmp_path):
    name, run, allowed = sample
    document = draft(run, kind)
    rendered = pages.laid_out(document)
    assert [str(found) for found in pages.overflows(rendered)] == [], f"{name} {kind}: text past the margins"
    assert [str(found) for found in pages.narrow_columns(rendered)] == [], f"{name} {kind}: narrow columns"
    register = pages.lines_per_row(rendered, "table-evidence")  # a draft's evidence list: one line a file
    assert set(register) <= {1}, f"{name} {kind}: evidence rows of {sorted(set(register))} lines"
    pdf = tmp_path / "document.pdf"
    rendered.write_pdf(pdf)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert sorted(set(pages.stray_words(text, allowed))) == [], f"{name} {kind}: English in the PDF"
    docx.render(document.printed(), tmp_path / "document.docx")
    text = pages.docx_text(tmp_path / "document.docx")
    assert sorted(set(pages.stray_words(text, allowed))) == [], f"{name} {kind}: English in the DOCX"


# -- the checks can fail ----------------------------------------------------------------------------------
def one_table(columns: int, text: str = "既存照明の定格消費電力", rows: int = 2) -> Document:
    table = Table(
        "wide",
        "導入設備",
        [Column(f"c{index}", text) for index in range(columns)],
        [{f"c{index}": f"{text}{row}" for index in range(columns)} for row in range(rows)],
    )
    return Document(
        kind="plan",
        title="プロジェクト計画書",
        project_name="試験",
        date=dt.date(2025, 4, 1),
        stage="registration",
        sections=[Section("plan.2.2", "2.2", "導入設備", [table])],
    )


@pytest.mark.slow
def test_a_table_too_wide_for_portrait_turns_its_section_landscape():
    document = one_table(14)
    assert layout.table_layout(document.sections[0].blocks[0]).landscape
    rendered = pages.laid_out(document)
    assert pages.overflows(rendered) == [] and pages.narrow_columns(rendered) == []
    widths = {round(page.width) for page in rendered.pages}
    assert (
        max(widths) > min(widths)
        or len(rendered.pages) == 1
        and rendered.pages[0].width > rendered.pages[0].height
    )


@pytest.mark.slow
def test_the_checks_see_text_past_the_margin_and_a_narrow_column(monkeypatch):
    # 40 columns fit nowhere at their floor: the layout scales them down, and the page test says so
    rendered = pages.laid_out(one_table(40))
    assert pages.narrow_columns(rendered)
    # a cell that may not wrap, wider than the page: its text reaches past the margin
    monkeypatch.setattr(layout, "TEXT_CAP", 400.0)
    wide = one_table(1, "あ" * 10)
    table = wide.sections[0].blocks[0]
    table.rows[0]["c0"] = Decimal("1" * 200)
    table.columns[0] = dataclasses.replace(table.columns[0], kind="number")
    assert pages.overflows(pages.laid_out(wide))


def test_the_english_check_allows_symbols_units_files_and_the_projects_own_text():
    text = (
        "EM_BL 1,234 t-CO2 kWh EN-S-006 factors.yaml evidence/meter/PV-0001.pdf 5875b44be28b Q_heat 東濃精工"
    )
    assert pages.stray_words(text, set()) == []
    assert pages.stray_words("状態: unverified（basis=all_source）metered", set()) == [
        "unverified",
        "basis=all_source",
        "metered",
    ]
    assert pages.stray_words("出典: value recalled", {"value recalled, not checked"}) == []
    assert pages.stray_words("（domain.md §5.6、docs/architecture.md）", set()) == [
        "domain.md",
        "docs/architecture.md",
    ]
    assert pages.project_words({"status": "verified", "source": "IPCC 2019 Refinement"}) == {
        "IPCC 2019 Refinement"
    }


def test_columns_never_narrower_than_their_floor_nor_wider_than_the_page():
    table = one_table(8).sections[0].blocks[0]
    found = layout.table_layout(table)
    assert sum(found.shares) == pytest.approx(1)
    space = layout.LANDSCAPE if found.landscape else layout.PORTRAIT
    floor = layout.TEXT_FLOOR * found.font + layout.PADDING[found.font]
    assert min(found.shares) * space >= floor - 0.01


def test_a_date_column_holds_its_date_on_one_line():
    table = Table("dates", "", [Column("day", "日", kind="date")], [{"day": dt.date(2031, 3, 31)}])
    found = layout.table_layout(table)
    assert found.shares == (1.0,)
    assert layout._measure(table, table.columns[0])[1] >= layout.text_em("2031年3月31日")


def test_an_unknown_sample_folder_is_not_silently_skipped():
    assert set(WORKING_SAMPLES) >= {"led-factory", "incomplete-solar", "solar-program"}
    assert all((SAMPLES / name / "project.yaml").is_file() for name in WORKING_SAMPLES)
    assert Path(pages.__file__).parent == Path(__file__).parent
