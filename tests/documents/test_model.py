"""documents/model.py: a long document cut into parts (Document.parts) loses, repeats and reorders nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.documents.model import (
    Column,
    Document,
    FieldRow,
    Fields,
    Missing,
    Paragraph,
    Remark,
    Rows,
    Section,
    Table,
)


def document(rows: int) -> Document:
    table = Table(
        "activities",
        "排出削減活動リスト",
        [Column("id", "活動ID")],
        [{"id": f"PV-{n:06d}"} for n in range(1, rows + 1)],
        formulas=[{"id": f"=A{n}"} for n in range(1, rows + 1)],
        total={"id": rows},
        note=f"{rows} 件",
    )
    return Document(
        kind="activity-list",
        title="排出削減活動リスト",
        project_name="テスト",
        date=dt.date(2025, 4, 1),
        stage="registration",
        sections=[
            Section("list.1", "1", "概要", [Fields((FieldRow("名称", ("テスト",)),)), Paragraph(("説明",))]),
            Section("list.2", "2", "一覧", [table, Paragraph(("以上",))]),
            Section("list.3", "3", "空の節", []),
        ],
        open_items=[Missing("容量", "activities[0].capacity_kw")],
        remarks=[Remark("R-X", "warning", "注意", "直す")],
    )


def cells(block) -> int:
    return len(block.rows) if isinstance(block, Table) else 1


@pytest.mark.parametrize("rows", [0, 1, 4, 5, 23])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_parts_keep_every_row_once_in_order(rows, size):
    whole = document(rows)
    parts = whole.parts(size)
    blocks = sum(cells(block) for section in whole.sections for block in section.blocks)
    if blocks <= size:
        assert parts == [whole]
        return
    slices = [
        block
        for part in parts
        for section in part.sections
        for block in section.blocks
        if isinstance(block, Table)
    ]
    assert [row for piece in slices for row in piece.rows] == whole.tables()[0].rows
    assert [formula for piece in slices for formula in piece.formulas] == whole.tables()[0].formulas
    assert all(piece.whole is whole.tables()[0] for piece in slices)
    assert all(
        sum(cells(block) for section in part.sections for block in section.blocks) <= size for part in parts
    )
    # the caption with the first rows, the total and the note with the last, once each
    assert [piece.title for piece in slices if piece.title] == ["排出削減活動リスト"]
    assert [piece.total for piece in slices if piece.total] == [{"id": rows}]
    assert [piece.note for piece in slices if piece.note] == [f"{rows} 件"]
    assert slices[0].title and slices[-1].total
    # every section's heading once, before its later pieces; the title block, open items and remarks once
    headed = [section.id for part in parts for section in part.sections if not section.continued]
    assert headed == ["list.1", "list.2", "list.3"]
    assert all(not part.sections[0].continued for part in parts[:1])
    assert [part.continued for part in parts] == [False] + [True] * (len(parts) - 1)
    assert not any(part.numbered for part in parts)
    assert [part.closes for part in parts] == [False] * (len(parts) - 1) + [True]
    assert [len(part.open_items) for part in parts] == [0] * (len(parts) - 1) + [1]
    assert [len(part.remarks) for part in parts] == [0] * (len(parts) - 1) + [1]
    assert all(part.sections for part in parts)
    assert all(section.blocks for part in parts for section in part.sections if section.id != "list.3")


def test_rows_are_produced_at_each_pass_and_held_for_print():
    made = []

    def produce():
        for number in range(3):
            made.append(number)
            yield {"id": f"PV-{number}"}

    whole = document(0)
    table = whole.tables()[0]
    table.rows, table.formulas = Rows(3, produce), []
    assert len(table.rows) == 3 and not made  # its length without a row made
    assert list(table.rows) == list(table.rows) == [{"id": f"PV-{n}"} for n in range(3)]
    assert made == [0, 1, 2, 0, 1, 2]  # made anew at each pass, not kept
    printed = whole.printed().tables()[0]
    assert printed.rows == [{"id": f"PV-{n}"} for n in range(3)] and isinstance(printed.rows, list)
