"""The review sheet round trip: export, a proponent fills in the Reply column (openpyxl), import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook

from toolkit.review import comments, store

TODAY = dt.date(2026, 12, 4)
INJECTED = '=HYPERLINK("http://example.com","x")'


def _export(project, tmp_path, run, *options):
    status, out, err = run("review", "export", project, "-o", tmp_path / "review.xlsx", *options)
    assert status == 0, err
    book = load_workbook(tmp_path / "review.xlsx")
    sheet = book.active
    header = next(row for row in sheet.iter_rows(max_row=10) if row[0].value == "ID")
    return book, sheet, {cell.value: cell.column for cell in header}, header[0].row


def test_export_fill_import_brings_the_replies_back_and_nothing_else(project, tmp_path, run):
    comments.add(project, "proponent.postal_code", "郵便番号は?", "山田", TODAY, blocking=True)
    comments.add(project, "project.name", INJECTED, "山田", TODAY)
    comments.reply(project, "C2", "前の返信", "佐藤", TODAY)
    before = store.read_valid(project)
    book, sheet, columns, top = _export(project, tmp_path, run)
    ids = [sheet.cell(row, columns["ID"]).value for row in range(top + 1, sheet.max_row + 1)]
    assert ids[:2] == ["C1", "C2"] and set(ids[2:]) == {None}  # then the checklist's findings
    findings = [sheet.cell(row, columns["ルール"]).value for row in range(top + 3, sheet.max_row + 1)]
    assert "F-MISSING" in findings and not any(rule.startswith("REVIEW") for rule in findings if rule)
    text = sheet.cell(top + 2, columns["内容"])
    assert (text.value, text.data_type) == (INJECTED, "s")  # a string cell: Excel never runs it
    reply = columns["返信"]
    sheet.cell(top + 1, reply).value = "記入しました"
    sheet.cell(top + 2, reply).value = "=1+1 も文字として"  # typed with a leading "=" ...
    sheet.cell(top + 2, reply).data_type = "s"  # ... which Excel keeps as text when the cell is text
    sheet.cell(top + 3, reply).value = "指摘への返信"  # a finding's row: no comment id
    book.save(tmp_path / "filled.xlsx")
    status, out, err = run("review", "import", project, tmp_path / "filled.xlsx", "--author", "佐藤")
    assert status == 0, err
    assert "2" in out and "!M" in err and "review export" not in err
    after = store.read_valid(project)
    first, second = after.comments
    assert [reply.text for reply in first.replies] == ["記入しました"]
    assert [reply.text for reply in second.replies] == ["前の返信", "=1+1 も文字として"]
    assert {reply.author for reply in first.replies + second.replies[1:]} == {"佐藤"}
    # nothing else changed: the comments without their new replies are the ones before
    strip = [(c.id, c.path, c.author, c.date, c.text, c.status, c.blocking) for c in after.comments]
    assert strip == [(c.id, c.path, c.author, c.date, c.text, c.status, c.blocking) for c in before.comments]
    assert after.comments[1].replies[:1] == before.comments[1].replies
    # importing the same sheet again adds nothing
    run("review", "import", project, tmp_path / "filled.xlsx", "--author", "佐藤")
    assert store.read_valid(project) == after


def test_rows_that_match_no_comment_are_reported_with_their_cell(project, tmp_path, run):
    comments.add(project, "project.name", "x", "山田", TODAY)
    book, sheet, columns, top = _export(project, tmp_path, run, "--lang", "en")
    assert "Reply" in columns
    sheet.cell(top + 1, columns["ID"]).value = "C42"
    sheet.cell(top + 1, columns["Reply"]).value = "lost?"
    book.save(tmp_path / "filled.xlsx")
    before = (project / "review.yaml").read_bytes()
    status, out, err = run("review", "import", project, tmp_path / "filled.xlsx", "--lang", "en")
    assert status == 0
    assert f"filled.xlsx!Review!M{top + 1}: expected a comment id of review.yaml, found 'C42'" in err
    assert (project / "review.yaml").read_bytes() == before


def test_a_file_that_is_no_review_sheet_is_refused_cleanly(project, tmp_path, run):
    for wrong in (project / "project.yaml", project / "activities.xlsx"):
        status, out, err = run("review", "import", project, wrong, "--lang", "en")
        assert status == 1 and "Traceback" not in err and "Internal" not in err, err


def test_the_checklist_lists_open_comments_as_warnings_or_blocking(project, run):
    comments.add(project, "project.name", "確認", "山田", TODAY)
    comments.add(project, "proponent.postal_code", "必須", "山田", TODAY, blocking=True)
    comments.add(project, "activities[2].capacity_kw", "行", "山田", TODAY)
    comments.add(project, "proponent.representative.name", "済", "山田", TODAY)
    comments.resolve(project, "C4")
    text = (project / "review.yaml").read_text(encoding="utf-8")
    text = text.replace("activities[2]", "activities[99]").replace(
        "  row: PV-0003\n", ""
    )  # as written by hand
    (project / "review.yaml").write_text(text, encoding="utf-8")
    status, out, _ = run("check", project, "--format", "json", "--lang", "en")
    found = [f for f in json.loads(out)["findings"] if f["id"].startswith("REVIEW")]
    assert [(f["id"], f["severity"], f["path"], f["location"]) for f in found] == [
        ("REVIEW-OPEN", "warning", "project.name", "review.yaml:4"),
        ("REVIEW-OPEN", "blocking", "proponent.postal_code", "review.yaml:11"),
        ("REVIEW-GONE", "warning", "activities[99].capacity_kw", "review.yaml:19"),
    ]
    gone = next(f for f in found if f["id"] == "REVIEW-GONE")
    assert "no longer has" in gone["message"] and "C3" in gone["fix"]


def test_a_broken_review_yaml_is_a_located_finding_and_refuses_rendering(project, tmp_path, run):
    (project / "review.yaml").write_text("comments:\n- id: C1\n  status: maybe\n", encoding="utf-8")
    status, out, _ = run("check", project, "--format", "json", "--lang", "en")
    found = [f for f in json.loads(out)["findings"] if f["id"] == "REVIEW-FILE"]
    assert found and {f["location"] for f in found} == {"review.yaml:2", "review.yaml:3"}
    status, out, err = run("render", "plan", project, "-o", tmp_path / "out", "--lang", "en")
    assert status == 1 and "review.yaml:3 comments[0].status" in err


def test_the_checklist_page_state_comes_back_as_comments_on_its_findings(project, tmp_path, run):
    """The file the checklist page's export button saves (tests/checklist/fixtures/check-review.json, the
    format docs/architecture.md gives): each line with a comment becomes an open comment on its finding's
    path; a line with a status only changes nothing; importing it again adds nothing."""
    fixture = Path(__file__).resolve().parents[1] / "checklist" / "fixtures" / "check-review.json"
    state = json.loads(fixture.read_text(encoding="utf-8"))
    commented = [item for item in state["items"] if item["comment"].strip()]
    assert commented and len(commented) < len(state["items"])
    status, out, err = run("review", "import", project, fixture, "--author", "コーチ")
    assert status == 0, err
    after = store.read_valid(project)
    anchored = [item for item in commented if item["path"]]
    assert [(c.path, c.text, c.status, c.author) for c in after.comments] == [
        (item["path"], item["comment"], "resolved" if item["status"] == "done" else "open", "コーチ")
        for item in anchored
    ]
    # a comment on a finding of the whole project (no field to anchor on) is told, with its place
    assert "check-review.json items[2]" in err
    run("review", "import", project, fixture, "--author", "コーチ")
    assert len(store.read_valid(project).comments) == len(anchored)


def test_a_json_file_that_is_no_page_state_is_refused_with_its_name(project, tmp_path, run):
    other = tmp_path / "other.json"
    other.write_text('{"items": 3}', encoding="utf-8")
    status, out, err = run("review", "import", project, other)
    assert status == 1 and "other.json" in err and "jcredit-check-review" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    status, out, err = run("review", "import", project, broken)
    assert status == 1 and "broken.json:1" in err and "Traceback" not in err
