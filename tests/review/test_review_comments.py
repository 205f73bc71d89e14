"""add, reply, resolve and apply_updates on a copy of samples/incomplete-solar."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.errors import InputError, UsageError
from toolkit.read.folder import load_project
from toolkit.review import comments, store

TODAY = dt.date(2026, 12, 4)


def test_add_reply_resolve(project):
    added = comments.add(project, "proponent.postal_code", "郵便番号を記入", "山田", TODAY, blocking=True)
    assert (added.id, added.status, added.blocking, added.line) == ("C1", "open", True, 4)
    second = comments.add(project, "activities[2].capacity_kw", "容量は?", "山田", TODAY)
    assert second.id == "C2"
    answered = comments.reply(project, "c1", "記入しました", "佐藤", TODAY)  # ids are not case-sensitive
    assert [reply.text for reply in answered.replies] == ["記入しました"] and answered.open
    assert comments.resolve(project, "C1").status == "resolved"
    assert comments.resolve(project, "C1", reopen=True).status == "open"
    assert [comment.id for comment in store.read_valid(project).comments] == ["C1", "C2"]


@pytest.mark.parametrize(
    "path, hint",
    [
        ("proponent.postal_cod", "proponent.postal_code"),
        ("activities[999].capacity_kw", ""),  # the row is not there
        ("monitoring_plan[40].method_class", ""),
        ("nothing", ""),
    ],
)
def test_an_unknown_path_is_refused_with_a_suggestion(project, path, hint):
    with pytest.raises(InputError) as refused:
        comments.add(project, path, "x", "a", TODAY)
    problem = refused.value.problems[0]
    assert problem.code == "review_unknown_path" and path in problem.message("en")
    assert hint in problem.message("en")
    assert not (project / "review.yaml").exists()  # nothing written


def test_an_unknown_id_names_the_known_ones(project):
    comments.add(project, "project.name", "x", "a", TODAY)
    for action in (
        lambda: comments.reply(project, "C7", "x", "a", TODAY),
        lambda: comments.resolve(project, "C7"),
    ):
        with pytest.raises(InputError) as refused:
            action()
        assert "C1" in refused.value.problems[0].message("en") and "'C7'" in refused.value.problems[
            0
        ].message("en")


def test_an_empty_text_is_refused(project):
    with pytest.raises(UsageError):
        comments.add(project, "project.name", "  ", "a", TODAY)


def test_a_comment_whose_row_is_gone_is_kept_and_reported(project):
    comments.add(project, "activities[2].capacity_kw", "容量は?", "山田", TODAY)
    data = dict(load_project(project).data)
    data["activities"] = data["activities"][:2]  # the row was removed
    review = store.read_valid(project)
    assert [comment.id for comment in comments.follow(review, data).comments if comment.gone] == ["C1"]
    assert [comment.id for comment in review.comments] == ["C1"]


def test_a_comment_follows_its_row_when_rows_are_inserted_or_removed_above_it(project):
    added = comments.add(project, "activities[2].capacity_kw", "容量は?", "山田", TODAY)
    data = dict(load_project(project).data)
    assert added.row == data["activities"][2]["id"] == "PV-0003"
    assert "row: PV-0003" in (project / "review.yaml").read_text(encoding="utf-8")
    inserted = dict(data, activities=[dict(data["activities"][0], id="PV-0000"), *data["activities"]])
    (followed,) = comments.follow(store.read_valid(project), inserted).comments
    assert (followed.path, followed.gone) == ("activities[3].capacity_kw", False)
    removed = dict(data, activities=[row for row in data["activities"] if row["id"] != "PV-0001"])
    (followed,) = comments.follow(store.read_valid(project), removed).comments
    assert (followed.path, followed.gone) == ("activities[1].capacity_kw", False)
    assert (
        store.read_valid(project).comments[0].path == "activities[2].capacity_kw"
    )  # the file is left as written


def test_a_comment_whose_row_was_removed_is_gone_though_its_index_is_still_there(project):
    comments.add(project, "activities[2].capacity_kw", "容量は?", "山田", TODAY)
    data = dict(load_project(project).data)
    data["activities"] = [row for row in data["activities"] if row["id"] != "PV-0003"]
    assert len(data["activities"]) > 2
    followed = comments.follow(store.read_valid(project), data).comments
    assert [comment.id for comment in followed if comment.gone] == ["C1"]


def test_a_comment_on_a_key_column_stays_when_that_key_is_corrected(project):
    comments.add(project, "activities[2].id", "IDの形式は?", "山田", TODAY)
    comments.add(project, "monitoring[0].period_end", "終了日は?", "山田", TODAY)
    data = dict(load_project(project).data)
    data["activities"] = [dict(row) for row in data["activities"]]
    data["activities"][2]["id"] = "PV-0003-A"
    data["monitoring"] = [
        dict(data["monitoring"][0], period_end=dt.date(2025, 4, 29)),
        *data["monitoring"][1:],
    ]
    followed = comments.follow(store.read_valid(project), data).comments
    assert [(comment.path, comment.gone) for comment in followed] == [
        ("activities[2].id", False),
        ("monitoring[0].period_end", False),
    ]


def test_a_row_as_loaded_and_as_validated_has_one_key():
    from toolkit import schema

    readings = schema.tables("EN-R-002")["monitoring"]
    typed = {"activity_id": "PV-1", "period_start": "2025/4/1", "period_end": "R7.4.30"}
    validated = {
        "activity_id": "PV-1",
        "period_start": dt.date(2025, 4, 1),
        "period_end": dt.date(2025, 4, 30),
    }
    assert (
        comments.row_key(readings, typed)
        == comments.row_key(readings, validated)
        == "PV-1 2025-04-01 2025-04-30"
    )
    activities = schema.tables("EN-R-002")["activities"]
    assert comments.row_key(activities, {"id": 101.0}) == comments.row_key(activities, {"id": "101"}) == "101"


def test_a_comment_written_without_its_row_stays_on_its_index(project):
    (project / "review.yaml").write_text(
        "comments:\n- id: C1\n  path: activities[2].capacity_kw\n  date: 2026-12-04\n  status: open\n  text: x\n",
        encoding="utf-8",
    )
    data = dict(load_project(project).data)
    data["activities"] = data["activities"][1:]
    (followed,) = comments.follow(store.read_valid(project), data).comments
    assert (followed.path, followed.row, followed.gone) == ("activities[2].capacity_kw", "", False)


def test_apply_updates_replies_resolves_adds_and_reports(project):
    comments.add(project, "project.name", "名前は?", "山田", TODAY)
    applied = comments.apply_updates(
        project,
        [
            {"id": "C1", "status": "done", "text": "正式名称です"},
            {"id": "C1", "text": "正式名称です"},  # the same reply twice is one reply
            {"id": "C9", "text": "?"},
            {"finding": {"rule": "F-MISSING", "path": "proponent.postal_code"}, "text": "記入予定"},
            {"finding": {"rule": "F-MISSING", "path": "no.such"}, "text": "?"},
        ],
        "佐藤",
        TODAY,
    )
    assert applied.changed == ["C1"] and applied.added == ["C2"]
    assert [problem.params["found"] for problem in applied.unmatched] == ["C9", "no.such"]
    review = store.read_valid(project)
    first, second = review.comments
    assert first.status == "resolved" and [reply.text for reply in first.replies] == ["正式名称です"]
    assert (second.path, second.text, second.author) == ("proponent.postal_code", "記入予定", "佐藤")


def test_comments_added_at_the_same_time_all_land(project):
    """Two commands adding at once: the folder lock makes each read the other's comment before writing."""
    import threading

    data = load_project(project).data
    threads = [
        threading.Thread(
            target=comments.add, args=(project, "project.name", f"t{n}", "a", TODAY, False, data)
        )
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    review = store.read_valid(project)
    assert sorted(comment.text for comment in review.comments) == [f"t{n}" for n in range(8)]
    assert [comment.id for comment in review.comments] == [f"C{n}" for n in range(1, 9)]
