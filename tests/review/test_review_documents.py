"""Open comments in drafts: a Word comment anchored on the field's text in the DOCX, a note beside it in the PDF."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from pypdf import PdfReader

from toolkit.review import comments

TODAY = dt.date(2026, 12, 4)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _comment(project, blocking=False):
    comments.add(
        project, "proponent.postal_code", "郵便番号を住所と合わせて記入", "山田 花子", TODAY, blocking
    )


def test_the_docx_carries_a_word_comment_anchored_on_the_field(project, tmp_path, run):
    _comment(project)
    comments.add(project, "project.name", "resolved one", "B", TODAY)
    comments.resolve(project, "C2")  # resolved: not in the draft
    status, out, err = run("render", "plan", project, "-o", tmp_path / "out", "--format", "docx")
    assert status == 0, err
    with zipfile.ZipFile(tmp_path / "out" / "plan.docx") as package:
        names = package.namelist()
        body = package.read("word/document.xml").decode("utf-8")
        notes = package.read("word/comments.xml").decode("utf-8")
        relations = package.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "word/comments.xml" in names and "relationships/comments" in relations
    assert notes.count("<w:comment ") == 1
    assert 'w:author="山田 花子"' in notes and "郵便番号を住所と合わせて記入" in notes
    assert 'w:date="2026-12-04T00:00:00Z"' in notes  # the comment's own date: same review, same file
    # the range opens right before the postal code's value (its 【未記入】 marker) and closes after it
    anchored = re.search(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd w:id="\1"/>', body)
    assert anchored is not None
    assert "【未記入: 郵便番号】" in anchored.group(2) and "<w:tc>" not in anchored.group(2)
    label = body.rfind("郵便番号</w:t>", 0, anchored.start())
    assert body.rfind("<w:tc>", 0, anchored.start()) > label  # in the value cell of the postal code's row
    assert "resolved one" not in notes


def test_the_pdf_shows_the_note_next_to_the_field_and_in_the_end_list(project, tmp_path, run):
    _comment(project, blocking=True)
    status, _, err = run("render", "plan", project, "-o", tmp_path / "out", "--format", "pdf")
    assert status == 0, err
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "plan.pdf").pages)
    field = text.index("郵便番号 【未記入: 郵便番号】")
    after = text[field : field + 120]
    assert "[コメント1] 山田 花子（2026年12月4日）: 郵便番号を住所と合わせて記入" in after
    assert after.index("コメント1") < after.index("都道府県")  # before the next field
    end = text.index("レビューコメント（1 件）")
    assert "proponent.postal_code" in text[end:] and "要対応" in text[end : end + 200]


def test_final_refuses_while_comments_are_open_unless_told(project, tmp_path, run, monkeypatch):
    comments.add(project, "project.name", "正式名称か確認", "山田", TODAY)
    status, out, err = run("render", "plan", project, "-o", tmp_path / "final", "--final", "--lang", "en")
    assert status == 1 and out == "" and "Traceback" not in err
    assert "review.yaml:4 project.name: open comment C1 (山田): 正式名称か確認" in err
    assert "project.yaml" in err  # the empty fields are told at the same time
    assert not (tmp_path / "final").exists()
    # with the empty fields filled in only the comment holds it back; --ignore-comments goes ahead
    from toolkit.documents import assemble
    from toolkit.pipeline import Run

    monkeypatch.setattr(assemble, "finish", lambda document, remarks, final, sources=None: document)
    with pytest.raises(assemble.NotReady) as held:
        Run(project).render("plan", tmp_path / "final", ("docx",), True, False)
    assert [problem.code for problem in held.value.problems] == ["review_open_comment"]
    document, written = Run(project).render("plan", tmp_path / "final", ("docx",), True, False, True)
    assert written and document.notes == []
    comments.resolve(project, "C1")
    document, _ = Run(project).render("plan", tmp_path / "final2", ("docx",), True, False)
    assert document.notes == []
