"""Validation end to end: every injected error is found at its place, whatever the row order."""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_projects import WORKING_SAMPLES

from toolkit.validate.validation import validate

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    target = tmp_path_factory.mktemp("generated") / "program"
    _generator().main([str(target), "--activities", "40", "--errors", "12", "--seed", "7"])
    return target


def test_every_injected_error_is_reported_at_its_location_and_nothing_else(generated):
    expected = json.loads((generated / "expected_errors.json").read_text(encoding="utf-8"))
    result = validate(generated)
    found = sorted((str(p.location), p.path, p.code) for p in result.errors)
    assert found == sorted((e["location"], e["path"], e["code"]) for e in expected)


@pytest.mark.parametrize("chunk", [1, 7, 100_000])
def test_rows_checked_in_chunks_shared_with_a_forked_child_find_the_same(generated, monkeypatch, chunk):
    from toolkit.validate import validation

    whole = validate(generated).problems
    monkeypatch.setattr(validation, "CHUNK_ROWS", chunk)  # 1: as many chunks as 256 allows
    monkeypatch.setattr(validation, "SHARED_ROWS", 1)
    shared = validate(generated)
    assert shared.problems == whole and shared.errors  # the generated program has its injected errors


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2_000_000), max_size=8), st.integers(1, 5_000))
def test_rows_are_cut_into_at_most_255_chunks_that_cover_each_table(lengths, least):
    from toolkit.validate.validation import chunk_starts

    size, starts = chunk_starts(lengths, least)
    assert len(starts) + 1 <= 256 and size >= least  # the key checks take one more
    for which, length in enumerate(lengths):
        assert [start for table, start in starts if table == which] == list(range(0, length, size))


def test_row_order_does_not_change_what_is_found(generated, tmp_path):
    before = {(p.code, str(p.params.get("found"))) for p in validate(generated).errors}
    generated = Path(shutil.copytree(generated, tmp_path / "shuffled"))
    book = openpyxl.load_workbook(generated / "monitoring/readings.xlsx")
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    random.Random(3).shuffle(rows)
    for index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=index, column=column, value=value)
    book.save(generated / "monitoring/readings.xlsx")
    after = {(p.code, str(p.params.get("found"))) for p in validate(generated).errors}
    assert after == before


@pytest.mark.parametrize("sample", WORKING_SAMPLES)
def test_every_sample_validates_without_any_problem(sample):
    result = validate(ROOT / "samples" / sample)
    assert [p.line("en") for p in result.problems] == []


def test_an_unreadable_activity_id_does_not_orphan_its_readings(folder):
    folder.activities[1][0] = "PV 0002"  # not an ID: its readings must not each say "not in the list"
    folder.write()
    result = validate(folder.root)
    assert [(p.code, p.path) for p in result.errors] == [("format", "activities[1].id")]
