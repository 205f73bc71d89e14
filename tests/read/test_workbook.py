"""read/workbook.py: a sheet's XML checks started ahead of its reading end with the workbook."""

from __future__ import annotations

import openpyxl

from toolkit import forked
from toolkit.read import workbook


def test_checks_started_ahead_and_never_collected_end_with_the_workbook(tmp_path, monkeypatch):
    """A large workbook's checks run in a forked child; one no reading collects (its sheet refused, an error
    in between) is ended by `close`, which `load_project` calls whatever happens, not left behind."""
    monkeypatch.setattr(workbook, "SMALL_XML", 0)
    monkeypatch.setattr(workbook, "can_fork", lambda: True)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    book = openpyxl.Workbook()
    for row in range(1, 3001):  # formulas without values: an answer larger than a pipe holds
        book.active[f"A{row}"] = f"=B{row}*2"
    path = tmp_path / "readings.xlsx"
    book.save(path)
    opened = workbook.Workbook(path)
    opened.read_ahead(opened.sheet_names[0])
    (checks,) = opened._ahead.values()
    assert isinstance(checks, forked.Forked)
    opened.close()
    assert not checks._child.is_alive() and not opened._ahead
