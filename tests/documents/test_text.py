"""documents/text.py: one function owns how dates read, in the project's style (西暦 by default, or 和暦)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sample_projects import SAMPLES

from toolkit.documents import text
from toolkit.pipeline import Run
from toolkit.render import html


@pytest.mark.parametrize(
    ("style", "day", "written"),
    [
        (None, dt.date(2025, 4, 1), "2025年4月1日"),
        ("seireki", dt.date(2033, 3, 31), "2033年3月31日"),
        ("wareki", dt.date(2025, 4, 1), "令和7年4月1日"),
        ("wareki", dt.date(2019, 5, 1), "令和元年5月1日"),
        ("wareki", dt.date(2019, 4, 30), "平成31年4月30日"),
        ("unknown", dt.date(2025, 4, 1), "2025年4月1日"),
    ],
)
def test_a_date_reads_in_the_documents_style(style, day, written):
    with text.date_style(style):
        assert text.date_text(day) == written
        assert text.value_text(day) == written  # the same in a table cell as in running text
    assert text.date_text(dt.date(2025, 4, 1)) == "2025年4月1日"  # the style ends with its block


def test_periods_and_fiscal_years_follow_the_style():
    assert text.span_text(dt.date(2025, 4, 1), dt.date(2025, 4, 30)) == "2025年4月"
    assert text.span_text(dt.date(2025, 4, 1), dt.date(2025, 6, 15)) == "2025年4月1日〜6月15日"
    assert text.span_text(dt.date(2025, 4, 1), dt.date(2026, 3, 31)) == "2025年度"
    assert text.span_text(dt.date(2025, 4, 18), dt.date(2025, 4, 18)) == "2025年4月18日"
    assert text.span_text(dt.date(2025, 4, 2), dt.date(2026, 3, 31)) == "2025年4月2日〜2026年3月31日"
    assert text.fiscal_year_text(2025) == "2025年度"
    with text.date_style("wareki"):
        assert text.span_text(dt.date(2025, 4, 1), dt.date(2025, 4, 30)) == "令和7年4月"
        assert text.fiscal_year_text(2019) == "令和元年度"


@pytest.mark.slow
def test_a_project_in_wareki_has_no_seireki_date_in_its_plan(tmp_path):
    project = tmp_path / "led-factory"
    shutil.copytree(SAMPLES / "led-factory", project)
    source = (project / "project.yaml").read_text(encoding="utf-8")
    (project / "project.yaml").write_text(
        source.replace("\nproject:\n", "\nproject:\n  date_style: wareki\n", 1), encoding="utf-8"
    )
    run = Run(project)
    assert run.validation.valid
    document = run.document("plan")
    page = html.render(document.printed())
    assert "令和7年4月1日" in page and "令和7年度" in page
    assert "2025年4月1日" not in page and "2025年度" not in page


def test_full_width_characters_take_two_terminal_columns():
    assert text.terminal_width("PV-0001") == 7
    assert text.terminal_width("年度FY") == 6
