"""review.yaml: written in a fixed, hand-readable form, read back with a located problem for every wrong entry."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from toolkit.errors import InputError, OutputError
from toolkit.review import store
from toolkit.review.store import Comment, Reply, Review

TODAY = dt.date(2026, 12, 4)


def test_one_block_per_comment_in_id_order_and_it_reads_back(tmp_path):
    comments = [
        Comment("C10", "project.name", "B", TODAY, "名前は正式名称で", "resolved"),
        Comment(
            "C2",
            "proponent.postal_code",
            "山田",
            TODAY,
            "一行目\n二行目",
            blocking=True,
            replies=(Reply("佐藤", TODAY, "直しました"),),
        ),
    ]
    store.write(Review(tmp_path, comments))
    text = (tmp_path / "review.yaml").read_text(encoding="utf-8")
    assert text.index("id: C2") < text.index("id: C10")  # by number, not as text
    assert "\n\n- id: C10" in text  # a blank line between blocks: a diff touches one block
    assert "text: |-\n    一行目\n    二行目" in text  # multi-line text as written
    back = store.read(tmp_path)
    assert back.problems == []
    assert [(c.id, c.line) for c in back.comments] == [("C2", 4), ("C10", 18)]
    assert back.comments[0].replies == (Reply("佐藤", TODAY, "直しました"),)
    assert back.comments[0].blocking and back.comments[1].status == "resolved"
    assert store.dumps(back.comments) == text  # stable: reading and writing changes nothing


def test_hostile_text_stays_text(tmp_path):
    hostile = '=HYPERLINK("x")\n- id: C9\n  path: x\n{{ 7*7 }} !!python/object: ... # not a comment'
    store.write(Review(tmp_path, [Comment("C1", "project.name", "a: b", TODAY, hostile)]))
    back = store.read(tmp_path)
    assert back.problems == [] and [c.text for c in back.comments] == [hostile]
    assert back.comments[0].author == "a: b"


@pytest.mark.parametrize(
    "body, line, path, english",
    [
        (
            "comments:\n- id: C1\n  path: x\n  date: 2026-12-04\n  status: done\n  text: t\n",
            5,
            "comments[0].status",
            "expected open / resolved, found 'done'",
        ),
        (
            "comments:\n- id: C1\n  path: x\n  date: 2026-12-04\n  status: open\n",
            2,
            "comments[0].text",
            "expected a value for 'text', found none",
        ),
        (
            "comments:\n- id: X1\n  path: x\n  date: 2026-12-04\n  status: open\n  text: t\n",
            2,
            "comments[0].id",
            "expected C1, C2 …, found 'X1'",
        ),
        (
            "comments:\n- id: C1\n  path: x\n  date: 4 Dec\n  status: open\n  text: t\n",
            4,
            "comments[0].date",
            "expected a date (e.g. 2025-04-01), found '4 Dec'",
        ),
        (
            "comments:\n- id: C1\n  path: x\n  date: 2026-12-04\n  status: open\n  text: t\n  colour: red\n",
            7,
            "comments[0].colour",
            "expected one of the keys id, path",
        ),
        (
            "comments:\n- id: C1\n  path: x\n  date: 2026-12-04\n  status: open\n  text: t\n"
            "- id: C1\n  path: y\n  date: 2026-12-04\n  status: open\n  text: u\n",
            7,
            "comments[1].id",
            "already used at line 2",
        ),
        ("comments: yes\n", 1, "comments", "expected a list of comments under 'comments:'"),
        ("comments:\n- id: C1\n  path: [x\n", 3, "", "expected"),
    ],
)
def test_every_wrong_entry_is_reported_at_its_line(tmp_path, body, line, path, english):
    (tmp_path / "review.yaml").write_text(body, encoding="utf-8")
    review = store.read(tmp_path)
    assert review.problems, body
    problem = review.problems[0]
    assert (problem.location.file, problem.path) == ("review.yaml", path)
    if path:
        assert problem.location.line == line
    assert english in problem.message("en")
    assert problem.message("ja") != problem.message("en")
    with pytest.raises(InputError):
        store.read_valid(tmp_path)


def test_every_problem_at_once(tmp_path):
    body = (
        "comments:\n- id: C1\n  status: maybe\n- just text\n"
        "- id: C3\n  path: p\n  date: x\n  status: open\n  text: t\n"
    )
    (tmp_path / "review.yaml").write_text(body, encoding="utf-8")
    paths = {problem.path for problem in store.read(tmp_path).problems}
    assert {"comments[0].status", "comments[0].text", "comments[1]", "comments[2].date"} <= paths


def test_no_file_is_no_comments_and_an_empty_list_is_fine(tmp_path):
    assert store.read(tmp_path).comments == []
    (tmp_path / "review.yaml").write_text("comments:\n", encoding="utf-8")
    assert store.read(tmp_path).problems == []


def test_a_review_yaml_linking_out_of_the_project_is_neither_read_nor_replaced(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("comments: []\n", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    os.symlink(outside, root / "review.yaml")
    with pytest.raises(InputError) as refused:
        store.read(root)
    assert refused.value.problems[0].code == "symlink_escapes"
    with pytest.raises(InputError):
        store.write(Review(root, [Comment("C1", "project.name", "a", TODAY, "t")]))
    assert outside.read_text(encoding="utf-8") == "comments: []\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    store.write(Review(tmp_path, [Comment("C1", "project.name", "a", TODAY, "old")]))
    before = (tmp_path / "review.yaml").read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError):
        store.write(Review(tmp_path, [Comment("C1", "project.name", "a", TODAY, "new")]))
    assert (tmp_path / "review.yaml").read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["review.yaml"]
