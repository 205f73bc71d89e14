"""Every row accounted for: 200 members with a known set of faults, their reasons, and the corrected rows fed back."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from batch_helpers import HEADERS, member, write_members

from toolkit.batch.members import CHECK_ROWS, REASONS_HEADER, check, next_id_pattern
from toolkit.batch.run import batch

# row index in the workbook (0-based data row) -> the fault planted there and the rule that must name it
FAULTS = {
    7: ("bad date", "V-IMPOSSIBLE-DATE", "commissioned_on"),
    31: ("2-year rule", "R-ELIG-2Y", "commissioned_on"),
    58: ("in another program", "R-PRG-DUPMEMBER", "name"),
    90: ("same person twice", "R-PRG-SAMEMEMBER", "name"),
    120: ("already in the project", "R-PRG-SAMEMEMBER", "name"),
    121: ("same ID as the project", "B-ID-TAKEN", "id"),
    150: ("missing capacity", "B-REQUIRED", "capacity_kw"),
    151: ("two faults", "B-REQUIRED", "capacity_kw"),
}


def _rows() -> list[dict]:
    rows = [member(number) for number in range(200)]
    rows[7]["commissioned_on"] = "2025-02-30"
    rows[31]["commissioned_on"] = dt.date(2022, 12, 1)
    rows[58].update(name="尾関 和夫 様", address="岐阜市長良福光１丁目２番地３")
    rows[90].update(name=rows[12]["name"].replace(" 様邸", ""), address=rows[12]["address"])
    # PV-0001 of the sample, 棚橋 典子 様邸 at 岐阜市芥見南山2丁目40-3, written another way
    rows[120].update(name="棚橋　典子", address="岐阜市芥見南山二丁目４０番地３")
    rows[121]["id"] = "PV-0005"
    rows[150]["capacity_kw"] = None
    rows[151].update(capacity_kw=None, commissioned_on=dt.date(2020, 1, 1))
    return rows


@pytest.fixture
def ran(program, tmp_path):
    (program / "other_programs.csv").write_text(
        "program,name,address\n美濃太陽光クラブ,尾関 和夫,岐阜市長良福光1-2-3\n", encoding="utf-8"
    )
    members = write_members(tmp_path / "members.xlsx", _rows())
    result = batch(
        program, members, tmp_path / "out", workers=1, formats=("docx", "xlsx"), joined_on=dt.date(2026, 4, 3)
    )
    return program, tmp_path / "out", result


def test_every_row_is_accepted_or_rejected_with_each_reason_at_its_cell(ran):
    _, out, result = ran
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["input_rows"] == 200 == summary["accepted"] + summary["rejected"]
    assert summary["rejected"] == len(FAULTS)
    by_row = {item["row"]: item for item in summary["rejections"]}
    assert sorted(by_row) == [index + 2 for index in FAULTS]  # sheet rows: the headers are row 1
    for index, (fault, rule, column) in FAULTS.items():
        reasons = by_row[index + 2]["reasons"]
        found = [(reason["rule"], reason["path"]) for reason in reasons]
        assert (rule, f"activities[{index}].{column}") in found, (fault, found)
        for reason in reasons:
            assert "members.xlsx!活動一覧!" in reason["location"] and reason["message"]
    assert {reason["rule"] for reason in by_row[153]["reasons"]} == {"R-ELIG-2Y", "B-REQUIRED"}
    assert by_row[92]["reasons"][0]["message"].endswith("14行目と同じ会員（同じ氏名・同じ住所）でした")
    assert "PV-0001" in by_row[122]["reasons"][0]["message"]


def checked_again(program, tmp_path, size: int = 200, slices: int = CHECK_ROWS):
    """The members workbook of `ran` checked again (the batch's own packed rows went with its work folder)."""
    from toolkit.pipeline import Run

    spill = tmp_path / f"members-{size}-{slices}.pickle"
    return check(Run(program).project, tmp_path / "members.xlsx", dt.date(2026, 4, 3), size, spill, slices)


def test_accepted_members_get_the_next_free_ids_in_sheet_order(ran, tmp_path):
    program, out, result = ran
    checked = checked_again(program, tmp_path)
    rows = list(checked.accepted_rows())
    ids = [row["id"] for row in rows]
    assert ids[:3] == ["PV-0037", "PV-0038", "PV-0039"] and len(set(ids)) == len(ids) == 192
    assert ids == list(checked.accepted_ids()) == result.summary["accepted_ids"]
    assert result.checked.accepted == 192 and not (out / ".members.pickle").exists()
    assert {row["joined_on"] for row in rows} == {dt.date(2026, 4, 3)}
    assert len(list((out / "members").glob("*.docx"))) == 2 * 192


def test_rejected_xlsx_holds_each_bad_row_as_typed_with_its_reasons(ran):
    _, out, _ = ran
    sheet = openpyxl.load_workbook(out / "rejected.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADERS.values(), REASONS_HEADER]
    assert len(rows) == 1 + len(FAULTS)
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name[_rows()[7]["name"]][5] == "2025-02-30"  # the value as typed, to correct
    assert "E153" in by_name[_rows()[151]["name"]][-1] and "F153" in by_name[_rows()[151]["name"]][-1]


def test_the_corrected_rejected_workbook_fed_back_is_accepted(ran, tmp_path):
    program, out, _ = ran
    book = openpyxl.load_workbook(out / "rejected.xlsx")
    sheet = book.active
    keep = []
    for row in list(sheet.iter_rows(min_row=2)):
        name = row[1].value
        fixes = {
            _rows()[7]["name"]: {5: dt.date(2025, 2, 28)},
            _rows()[31]["name"]: {5: dt.date(2025, 12, 1)},
            _rows()[121]["name"]: {0: None},
            _rows()[150]["name"]: {4: 4.4},
            _rows()[151]["name"]: {4: 4.4, 5: dt.date(2025, 6, 1)},
        }
        if name in fixes:
            for column, value in fixes[name].items():
                row[column].value = value
            keep.append(row[0].row)
    for number in sorted({row[0].row for row in sheet.iter_rows(min_row=2)} - set(keep), reverse=True):
        sheet.delete_rows(number)  # the same person twice, already a member, in another program: dropped
    book.save(tmp_path / "corrected.xlsx")
    again = batch(program, tmp_path / "corrected.xlsx", tmp_path / "again", workers=1, formats=("xlsx",))
    assert (again.summary["accepted"], again.summary["rejected"]) == (5, 0), again.summary["rejections"]


def test_a_batch_of_faults_only_still_writes_every_list(program, tmp_path):
    members = write_members(tmp_path / "m.xlsx", [{**member(0), "capacity_kw": None}])
    result = batch(program, members, tmp_path / "out", workers=1, formats=("docx", "xlsx"))
    assert (result.summary["accepted"], result.summary["rejected"]) == (0, 1)
    assert (tmp_path / "out" / "rejected.xlsx").is_file() and not list(
        (tmp_path / "out" / "members").iterdir()
    )


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["PV-0001", "PV-0036"], ("PV-", 4, 36)),
        (["A1", "PV-0002", "PV-0010"], ("PV-", 4, 10)),
        ([], ("A-", 4, 0)),
        (["F-12-003", "F-12-010"], ("F-12-", 3, 10)),
    ],
)
def test_the_id_pattern_is_the_programs_own(ids, expected):
    assert next_id_pattern(ids) == expected


def test_packed_rows_come_back_in_sheet_order_a_chunk_at_a_time(ran, tmp_path):
    from toolkit.batch.members import Packed, unpack

    program, _, result = ran
    assert isinstance(result.checked, Packed)
    assert result.checked.input_rows == 200 and len(result.checked.rejected) == len(FAULTS)
    rows = list(checked_again(program, tmp_path).accepted_rows())
    again = checked_again(program, tmp_path, 50)
    assert [len(unpack(chunk)) for chunk in again.chunks] == [50, 50, 50, 42]
    assert (
        list(again.accepted_rows()) == rows and list(again.accepted_ids()) == result.summary["accepted_ids"]
    )


def test_the_check_is_the_same_whatever_the_slices_it_takes(program, tmp_path):
    (program / "other_programs.csv").write_text(
        "program,name,address\n美濃太陽光クラブ,尾関 和夫,岐阜市長良福光1-2-3\n", encoding="utf-8"
    )
    rows = _rows()
    rows[20]["id"] = rows[170]["id"] = "PV-0300"  # one ID twice, far apart: other slices
    rows[190].update(name=rows[3]["name"], address=rows[3]["address"])  # the same person, far apart
    write_members(tmp_path / "members.xlsx", rows)

    def checked(slices: int):
        found = checked_again(program, tmp_path, 30, slices)
        rejected = [
            (row.number, row.raw, row.data, [reason.as_json("en") for reason in row.reasons])
            for row in found.rejected
        ]
        return (
            found.input_rows,
            list(found.accepted_ids()),
            list(found.accepted_rows()),
            rejected,
            found.notes,
        )

    whole = checked(1000)
    assert whole == checked(1) == checked(7)
    reasons = {number: [reason["rule"] for reason in found] for number, _, _, found in whole[3]}
    assert reasons[172] == ["V-DUPLICATE-ID"] and reasons[192] == ["R-PRG-SAMEMEMBER"]
    assert 22 not in reasons and 5 not in reasons  # the first of each stays
    assert whole[0] == 200 == len(whole[1]) + len(whole[3])
