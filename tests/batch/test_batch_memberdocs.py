"""A member's PDF laid out with the stylesheets parsed once per worker is the PDF of the whole HTML."""

from __future__ import annotations

import datetime as dt

import pytest
from batch_helpers import SAMPLE

from toolkit.batch import memberdocs
from toolkit.pipeline import Run

BUILT = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def prepared():
    return memberdocs.prepare(Run(SAMPLE), ("pdf",), BUILT, dt.date(2026, 4, 1))


def test_the_stylesheets_leave_the_html_and_are_parsed_once(prepared):
    for item in prepared:
        laid_out = memberdocs._Pdf(item)
        assert "<style>" in item.html and "<style>" not in laid_out.html
        assert len(laid_out.stylesheets) == item.html.count("<style>")


@pytest.mark.parametrize("number", [1, 2])
def test_a_members_pdf_is_that_of_the_whole_html(prepared, tmp_path, number):
    from weasyprint import HTML

    member = {key: f"<b>{key}</b> {number}" for key in memberdocs.KEYS}
    for item in prepared:
        ours, plain = tmp_path / f"{item.kind}-ours.pdf", tmp_path / f"{item.kind}-plain.pdf"
        memberdocs.write_member(item, "pdf", ours, member)
        HTML(string=memberdocs.fill_html(item.html, member)).write_pdf(plain)
        assert ours.read_bytes() == plain.read_bytes()


def test_a_document_with_a_link_keeps_its_stylesheets_in_place(prepared):
    item = prepared[0]
    linked = memberdocs.Prepared(
        item.kind, item.files, None, item.html.replace("<head>", '<head><link rel="x" href="y">'), None
    )
    laid_out = memberdocs._Pdf(linked)
    assert laid_out.stylesheets == [] and laid_out.html == linked.html
