"""The hand-back: accepted members merged into the project's activity workbook, a backup kept, refused when the
project changed since the batch; the next validate and check include them."""

from __future__ import annotations

import datetime as dt

import pytest
from batch_helpers import jcredit, member, write_members

from toolkit.batch.apply import apply
from toolkit.batch.run import batch
from toolkit.errors import InputError
from toolkit.pipeline import Run


def test_apply_adds_the_accepted_members_and_keeps_a_backup(program, tmp_path):
    members = write_members(
        tmp_path / "m.xlsx", [member(number) for number in range(5)] + [{**member(9), "capacity_kw": None}]
    )
    batch(program, members, tmp_path / "out", workers=1, formats=("xlsx",), joined_on=dt.date(2026, 4, 1))
    before = (program / "activities.xlsx").read_bytes()
    count, workbook, backup = apply(program, tmp_path / "out", now=dt.datetime(2026, 4, 2, 9, 30))
    assert count == 5 and workbook == program / "activities.xlsx"
    assert backup.name == "activities.xlsx.20260402-093000.bak" and backup.read_bytes() == before
    project = Run(program).project
    activities = project.data["activities"]
    assert len(activities) == 41 and activities[-1]["id"] == "PV-0041"
    assert activities[-1]["joined_on"] == dt.date(2026, 4, 1) and activities[-1]["name"] == member(4)["name"]
    assert Run(program).validation.valid


def test_apply_refuses_when_the_project_changed_since_the_batch(program, tmp_path):
    members = write_members(tmp_path / "m.xlsx", [member(1)])
    batch(program, members, tmp_path / "out", workers=1, formats=("xlsx",))
    path = program / "project.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    before = (program / "activities.xlsx").read_bytes()
    with pytest.raises(InputError) as raised:
        apply(program, tmp_path / "out")
    assert [problem.params["file"] for problem in raised.value.problems] == ["project.yaml"]
    assert (program / "activities.xlsx").read_bytes() == before


def test_apply_needs_a_batch_folder(program, tmp_path):
    done = jcredit("batch", "apply", program, tmp_path, "--lang", "en")
    assert done.returncode == 1 and "expected an output folder of jcredit batch" in done.stderr


def test_check_finds_the_same_member_twice_over_the_whole_program(program, tmp_path):
    """R-PRG-SAMEMEMBER runs in `check` too: a member added by hand under a second ID is found."""
    import openpyxl

    book = openpyxl.load_workbook(program / "activities.xlsx")
    sheet = book.active
    first = [cell.value for cell in sheet[2]]
    again = list(first)
    again[0], again[1] = "PV-0099", first[1].replace(" 様邸", "　様")
    again[3] = again[3].replace("2丁目", "二丁目").replace("-", "番地", 1)
    sheet.append(again)
    book.save(program / "activities.xlsx")
    done = jcredit("check", program, "--format", "json")
    found = [
        (finding["id"], finding["path"])
        for finding in __import__("json").loads(done.stdout)["findings"]
        if finding["id"] == "R-PRG-SAMEMEMBER"
    ]
    assert found == [("R-PRG-SAMEMEMBER", "activities[36].name")], done.stdout[:500]
