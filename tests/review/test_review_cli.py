"""jcredit review: exit codes, messages in both languages, help in both languages."""

from __future__ import annotations

import json
import re

import click
import pytest

from toolkit.cli import cli


def test_add_list_reply_resolve_from_the_command_line(project, run, monkeypatch):
    monkeypatch.setenv("JCREDIT_AUTHOR", "山田")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796342400")  # 2026-12-04
    status, out, err = run("review", "add", project, "proponent.postal_code", "郵便番号は?", "--blocking")
    assert (status, out.strip()) == (0, "コメント C1 を追加しました（proponent.postal_code）"), err
    assert run("review", "reply", project, "C1", "記入します", "--author", "佐藤", "--lang", "en")[1] == (
        "replied to comment C1\n"
    )
    status, out, _ = run("review", "list", project, "--format", "json")
    (listed,) = json.loads(out)["comments"]
    assert listed["author"] == "山田" and listed["date"] == "2026-12-04" and listed["blocking"]
    assert listed["replies"] == [{"author": "佐藤", "date": "2026-12-04", "text": "記入します"}]
    assert listed["location"] == "review.yaml:4" and listed["path_exists"]
    assert run("review", "resolve", project, "C1")[0] == 0
    assert "C1" not in run("review", "list", project)[1]  # resolved ones only with --all
    assert "C1" in run("review", "list", project, "--all")[1]


@pytest.mark.parametrize(
    "args, english, japanese",
    [
        (("reply", "{p}", "C5", "x"), "expected a comment id of review.yaml (—), found 'C5'", "「C5」"),
        (("resolve", "{p}", "C5"), "found 'C5'", "コメント ID"),
        (("add", "{p}", "proponent.postal", "x"), "did you mean proponent.postal_code", "のことですか"),
        (("add", "{p}", "activities[500].capacity_kw", "x"), "which it does not have", "ありません"),
    ],
)
def test_wrong_ids_and_paths_exit_1_with_a_message_in_each_language(project, run, args, english, japanese):
    args = [str(project) if arg == "{p}" else arg for arg in args]
    status, out, err = run("review", *args, "--lang", "en")
    assert status == 1 and out == "" and english in err and "Traceback" not in err
    status, _, err = run("review", *args)
    assert status == 1 and japanese in err
    assert not (project / "review.yaml").exists()


def test_a_comment_on_a_removed_row_is_listed_as_gone(project, run):
    run("review", "add", project, "activities[2].capacity_kw", "x")
    text = (project / "review.yaml").read_text(encoding="utf-8")
    text = text.replace("activities[2]", "activities[77]").replace(
        "  row: PV-0003\n", ""
    )  # as written by hand
    (project / "review.yaml").write_text(text, encoding="utf-8")
    status, out, _ = run("review", "list", project, "--lang", "en")
    assert status == 0 and "activities[77].capacity_kw (the field is gone)" in out
    assert "1 on fields that are gone" in out


def test_every_review_command_has_bilingual_help_and_examples(run):
    status, out, _ = run("review", "--help")
    assert status == 0 and "使い方 / Usage:" in out and "$ jcredit review add" in out
    group = cli.commands["review"]
    for name, command in group.commands.items():
        assert run("review", name, "--help")[0] == 0
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help and " / " in param.help and re.search(r"[ぁ-んァ-ン一-龥]", param.help), (
                    name,
                    param.name,
                )
    render = next(p for p in cli.commands["render"].params if p.name == "ignore_comments")
    assert " / " in render.help
