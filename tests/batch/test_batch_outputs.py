"""batch/outputs.py: the activity list of a batch, its members' rows produced a chunk at a time at each pass
(never all held), the same rows whatever the chunks and as the ordinary list of the project with them added."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from batch_helpers import member, write_members

from toolkit.batch import members as batch_members
from toolkit.batch import outputs
from toolkit.batch.members import check, unpacked
from toolkit.calculate.engine import calculate_plan
from toolkit.documents import assemble
from toolkit.documents.model import Rows
from toolkit.pipeline import Run

BUILT = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def checked(program, tmp_path):
    members = write_members(tmp_path / "members.xlsx", [member(number) for number in range(25)])
    run = Run(program)
    return run, lambda size: check(run.project, members, BUILT.date(), size, tmp_path / f"spill-{size}")


def activities(document):
    return next(table for table in document.tables() if table.id == "activities")


def test_the_members_rows_are_made_a_chunk_at_a_time_at_each_pass(checked, monkeypatch):
    run, check_in = checked
    packed = check_in(10)  # 25 members: 3 chunks
    existing = len(run.project.data["activities"])
    unpacked = []
    unpack = batch_members.unpack
    monkeypatch.setattr(batch_members, "unpack", lambda chunk: unpacked.append(chunk) or unpack(chunk))
    table = activities(outputs.activity_list(run, packed.chunks, packed.accepted, BUILT))
    assert isinstance(table.rows, Rows) and len(table.rows) == existing + 25
    unpacked.clear()
    rows = iter(table.rows)
    for _ in range(existing + 1):  # the project's members, then the batch's first
        next(rows)
    chunks = list(packed.chunks)
    assert unpacked == chunks[:1]  # only the first chunk is out
    assert len(list(rows)) == 24 and unpacked == chunks
    assert len(list(table.rows)) == existing + 25 and unpacked == chunks * 2  # made again, not kept


def test_the_list_is_the_ordinary_list_whatever_the_chunks(checked):
    run, check_in = checked
    project = run.project
    existing = project.data["activities"]
    added = list(unpacked(check_in(200).chunks))
    whole = dataclasses.replace(project, data={**project.data, "activities": [*existing, *added]})
    ordinary = assemble.build("activity-list", calculate_plan(whole, run.factors), project.root, built=BUILT)
    expected = [
        {**row, "batch_new": outputs.NEW_MARK if index >= len(existing) else None}
        for index, row in enumerate(activities(ordinary).rows)
    ]
    for size in (1, 7, 200):
        packed = check_in(size)
        document = outputs.activity_list(run, packed.chunks, packed.accepted, BUILT)
        table = activities(document)
        assert [dict(row) for row in table.rows] == expected
        assert [column.key for column in table.columns] == ["batch_new"] + [
            column.key for column in activities(ordinary).columns
        ]
        assert table.note == activities(ordinary).note == f"{len(expected)} 件"
        assert document.open_items == ordinary.open_items
