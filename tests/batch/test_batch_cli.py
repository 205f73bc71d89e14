"""`jcredit batch` and `jcredit batch apply` on the command line: help in both languages, exit codes, messages."""

from __future__ import annotations

import json
import re

import click
import pytest
from batch_helpers import HEADERS, ROOT, member, write_members
from click.testing import CliRunner

from toolkit.cli import cli


def _run(*args):
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["run", "apply"])
def test_every_option_has_help_in_both_languages(command):
    status, out, _ = _run("batch", command, "--help")
    assert status == 0 and "例 / Examples:" in out
    for param in cli.commands["batch"].commands[command].params:
        if isinstance(param, click.Option):
            assert param.help and " / " in param.help and re.search(r"[ぁ-んァ-ン一-龥]", param.help), (
                param.name
            )


def test_a_batch_prints_each_reason_and_exits_1_when_a_row_is_rejected(program, tmp_path):
    members = write_members(tmp_path / "m.xlsx", [member(1), {**member(2), "capacity_kw": None}])
    status, out, err = _run(
        "batch",
        program,
        members,
        "-o",
        tmp_path / "out",
        "--format",
        "xlsx",
        "--workers",
        "1",
        "--lang",
        "en",
    )
    assert status == 1, err
    assert (
        "m.xlsx!活動一覧!E3 activities[1].capacity_kw: expected capacity (kW), found an empty cell [B-REQUIRED]"
        in out
    )
    assert "2 rows: 1 accepted, 1 rejected" in out


def test_the_summary_as_json(program, tmp_path):
    members = write_members(tmp_path / "m.xlsx", [member(1)])
    status, out, _ = _run(
        "batch",
        program,
        members,
        "-o",
        tmp_path / "out",
        "--format",
        "xlsx",
        "--summary-format",
        "json",
        "-q",
    )
    summary = json.loads(out)
    assert status == 0 and summary["input_rows"] == 1 == summary["accepted"] and summary["rejections"] == []


@pytest.mark.parametrize(
    ("project", "members", "expected"),
    [
        ("BOILER", "m.xlsx", "expected a program-type project, found 'standard'"),
        ("PROGRAM", "project.yaml", "expected the members as an Excel workbook (.xlsx)"),
        ("PROGRAM", "none.xlsx", "none.xlsx"),
    ],
)
def test_bad_arguments_are_told_in_a_sentence_exit_1(program, tmp_path, project, members, expected):
    write_members(tmp_path / "m.xlsx", [member(1)])
    target = program if project == "PROGRAM" else ROOT / "samples" / "boiler"
    path = program / members if members == "project.yaml" else tmp_path / members
    status, out, err = _run("batch", target, path, "-o", tmp_path / "out", "--lang", "en")
    assert status == 1 and expected in err and "Traceback" not in err


def test_resume_without_an_interrupted_batch_is_refused(program, tmp_path):
    members = write_members(tmp_path / "m.xlsx", [member(1)])
    status, _, err = _run("batch", program, members, "-o", tmp_path / "out", "--resume", "--lang", "en")
    assert status == 1 and "there is no interrupted batch to resume" in err


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        ("no capacity column", "expected a column '設備容量(kW)'"),
        ("not a workbook", "m.xlsx"),
        ("no headers", "m.xlsx!活動一覧!A1"),
    ],
)
def test_a_members_file_that_cannot_be_read_is_refused_whole_and_leaves_nothing(
    program, tmp_path, build, expected
):
    path = tmp_path / "m.xlsx"
    if build == "no capacity column":
        headers = {key: label for key, label in HEADERS.items() if key != "capacity_kw"}
        write_members(path, [member(1)], headers)
    elif build == "not a workbook":
        path.write_bytes(b"PK\x03\x04 not really a zip")
    else:
        write_members(path, [], {})
    status, out, err = _run("batch", program, path, "-o", tmp_path / "out", "--lang", "en")
    assert status == 1 and "Traceback" not in err, err
    assert expected in err or expected in out, err
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["m.xlsx", "solar-program"]


def test_init_gives_a_program_a_members_workbook_that_batch_reads(program, tmp_path):
    import openpyxl

    status, _, err = _run("init", tmp_path / "new", "--methodology", "EN-R-002", "--type", "program")
    assert status == 0, err
    book = openpyxl.load_workbook(tmp_path / "new/new-members.xlsx")
    activities = openpyxl.load_workbook(tmp_path / "new/activities.xlsx")["活動一覧"]
    assert [cell.value for cell in book["活動一覧"][1]] == [cell.value for cell in activities[1]]
    assert "選択肢" in book.sheetnames  # the same dropdowns
    sheet = book["活動一覧"]
    headers = [cell.value for cell in sheet[1]]
    sheet.append([member(1).get(key) for key in (_key(header) for header in headers)])
    book.save(tmp_path / "filled.xlsx")
    command = ["batch", program, tmp_path / "filled.xlsx", "-o", tmp_path / "out", "--format", "xlsx"]
    status, out, err = _run(*command, "--summary-format", "json")
    assert status == 0, err
    assert json.loads(out)["accepted"] == 1 and json.loads(out)["input_rows"] == 1


def _key(header: str) -> str | None:
    return next((key for key, label in HEADERS.items() if label == header), None)
