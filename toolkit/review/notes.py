"""Open review comments as a draft document's notes: each anchored on the field it is about, else its section.

A comment on `proponent.postal_code` lands on that field's value (its row in a fields block); one on a table
row (`activities[3].capacity_kw`) on the heading of the section with that table; one on a field this
document does not show goes to the section its schema names, and a comment whose field is gone goes
unanchored to the plan's end list, so no open comment is ever dropped.
"""

from __future__ import annotations

from typing import Mapping

from toolkit import schema
from toolkit.documents.model import Document, Fields, Note, Table
from toolkit.review.store import Comment, Review


def anchors(document: Document) -> tuple[list[str], dict[str, str]]:
    """The field paths a document shows (in order), and the section of each table it holds (table id -> section)."""
    fields: list[str] = []
    tables: dict[str, str] = {}
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Fields):
                fields += [row.path for row in block.rows if row.path]
            elif isinstance(block, Table):
                tables.setdefault(block.id, section.id)
    return fields, tables


def anchor_of(
    comment: Comment, fields: list[str], tables: Mapping[str, str], sections: set[str], data: Mapping
) -> str:
    """Where a comment (as `comments.follow` placed it) is drawn: the field itself, a field under it, its
    table's or schema's section."""
    path = comment.path
    if path in fields:
        return path
    under = next((shown for shown in fields if shown.startswith(path + ".")), None)
    if under is not None:
        return under
    head = path.split("[", 1)[0].split(".", 1)[0]
    if head in tables:
        return tables[head]
    section = "" if comment.gone else schema.field_meta(data, path).get("section", "")
    return section if section in sections else ""


def for_document(document: Document, review: Review, data: Mapping) -> list[Note]:
    """The open comments `document` carries, numbered in id order; the unanchored ones only in the plan.
    `review` is as `comments.follow` placed it on the project's `data`."""
    fields, tables = anchors(document)
    sections = {section.id for section in document.sections}
    notes: list[Note] = []
    for comment in review.comments:
        if not comment.open:
            continue
        anchor = anchor_of(comment, fields, tables, sections, data)
        if not anchor and document.kind != "plan":
            continue
        notes.append(
            Note(
                len(notes) + 1,
                comment.id,
                comment.path,
                comment.author,
                comment.date,
                comment.text,
                comment.blocking,
                anchor,
                tuple(
                    f"{reply.author}: {reply.text}" if reply.author else reply.text
                    for reply in comment.replies
                ),
                comment.gone,
            )
        )
    return notes
