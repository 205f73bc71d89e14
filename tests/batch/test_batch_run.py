"""Scale and safety: identical outputs whatever the workers, a killed batch resumed to the same bytes,
Ctrl-C stopping cleanly, the output folder whole, and the members' DOCX holding their own values literally."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import docx
import openpyxl
import pytest
from batch_helpers import EPOCH, files_of, jcredit, member, write_members

from toolkit.batch.run import batch

TRICKY = ["<w:t>", "]]>", "{{ value }}", "=1+1", "A & B 様", "改行\nあり"]


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    folder = tmp_path_factory.mktemp("members")
    rows = [member(number) for number in range(300)]
    for index, text in enumerate(TRICKY):
        rows[index * 7]["name"] = f"{text} {index}"
        rows[index * 7 + 1]["address"] = f"岐阜市{text}{index}"
    return write_members(folder / "members.xlsx", rows)


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    import shutil

    from batch_helpers import SAMPLE

    target = tmp_path_factory.mktemp("program") / "solar-program"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.fixture(scope="module")
def one_worker(program, members, tmp_path_factory):
    out = tmp_path_factory.mktemp("w1") / "out"
    done = jcredit("batch", program, members, "-o", out, "--workers", "1", "--format", "docx,xlsx", "-q")
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
def test_one_and_two_workers_write_the_same_bytes(program, members, one_worker, tmp_path):
    out = tmp_path / "out"
    done = jcredit("batch", program, members, "-o", out, "--workers", "2", "--format", "docx,xlsx", "-q")
    assert done.returncode == 0, done.stderr
    first, second = files_of(one_worker), files_of(out)
    assert sorted(first) == sorted(second) and len(first) > 600
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.slow
def test_a_killed_batch_resumed_ends_byte_identical(program, members, one_worker, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "toolkit", "batch", program, members, "-o", out, "--workers", "2"]
    command += ["--format", "docx,xlsx", "-q"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    process = subprocess.Popen(list(map(str, command)), env=env, start_new_session=True)
    work = tmp_path / ".out.jcredit-batch" / "members"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(work.glob("*.docx")) if work.is_dir() else []) < 40:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the batch and its workers, mid-way
    process.wait()
    written = len(list(work.glob("*.docx")))
    assert 40 <= written < 600, written  # part-way: some members' papers, not all
    assert not out.exists()  # the output folder is not there until the batch is whole
    done = jcredit(
        "batch", program, members, "-o", out, "--workers", "2", "--format", "docx,xlsx", "--resume", "-q"
    )
    assert done.returncode == 0, done.stderr
    first, second = files_of(one_worker), files_of(out)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_says_how_to_resume(program, members, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "toolkit", "batch", program, members, "-o", out, "--workers", "2"]
    command += ["--format", "docx,xlsx", "--lang", "en"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    process = subprocess.Popen(
        list(map(str, command)), env=env, start_new_session=True, stderr=subprocess.PIPE, text=True
    )
    work = tmp_path / ".out.jcredit-batch" / "members"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(work.glob("*.docx")) if work.is_dir() else []) < 20:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "--resume" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
def test_every_member_docx_opens_and_holds_its_own_values_literally(program, members, one_worker):
    summary = json.loads((one_worker / "summary.json").read_text(encoding="utf-8"))
    accepted = openpyxl.load_workbook(one_worker / "accepted.xlsx").active
    rows = list(accepted.iter_rows(values_only=True))
    header = rows[0]
    assert summary["accepted"] == 300 == len(rows) - 1
    for row in rows[1:]:
        values = dict(zip(header, row))
        for kind in ("application", "summary"):
            document = docx.Document(one_worker / "members" / f"{values['活動ID']}-{kind}.docx")
            cells = {
                cell_row.cells[0].text: cell_row.cells[1].text
                for table in document.tables
                for cell_row in table.rows
            }
            assert cells["氏名（名称）"] == values["名称"]
            assert cells["設置住所"] == values["設置住所"]
    texts = {
        cell_row.cells[1].text
        for number in range(0, 42)
        for kind in ("application",)
        for table in docx.Document(one_worker / "members" / f"PV-{37 + number:04d}-{kind}.docx").tables
        for cell_row in table.rows
    }
    for index, text in enumerate(TRICKY[:-1]):
        assert f"{text} {index}" in texts, text
    assert "改行\nあり 5" in texts  # a line break in a cell stays a line break (w:br)


def test_member_text_stays_text_in_the_workbooks(one_worker):
    sheet = openpyxl.load_workbook(one_worker / "accepted.xlsx").active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=1+1 3" in names


def test_an_output_folder_of_other_files_is_refused(program, members, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception) as raised:
        batch(program, members, out, workers=1, formats=("xlsx",))
    assert raised.value.problems[0].code == "exists"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_second_batch_replaces_the_first_whole(program, members, tmp_path):
    out = tmp_path / "out"
    small = write_members(tmp_path / "small.xlsx", [member(400)])
    batch(program, members, out, workers=1, formats=("xlsx",))
    batch(program, small, out, workers=1, formats=("xlsx",))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["input_rows"] == 1
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []


def test_member_jobs_are_fed_a_few_at_a_time_and_come_back_in_order():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from toolkit.batch.run import _Jobs

    lock, running, most = threading.Lock(), [0], [0]

    def job(number: int) -> tuple[int, dict]:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.002 * (number % 3))  # later jobs finish first now and then
        with lock:
            running[0] -= 1
        return 1, {number: number}

    calls = ((number,) for number in range(40))
    seen = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        jobs = _Jobs(pool, job, calls, limit=3)
        assert len(jobs.running) == 3  # submitted at once: no more than the limit
        sums = jobs.wait(40, lambda done, total: seen.append(done))
    assert sums == [{number: number} for number in range(40)]
    assert most[0] <= 3 and seen[0] == 0 and seen[-1] == 40
