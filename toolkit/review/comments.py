"""What a review does to review.yaml: add, reply, resolve, apply a list of updates; paths checked against the project.

A comment names a data path (`proponent.postal_code`, `activities[3].capacity_kw`). A new comment must name a
field the project's schema declares (a table row must exist); a comment whose path later disappears (the row
was removed) is kept and reported as such, never dropped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from toolkit import schema
from toolkit.errors import InputError, UsageError
from toolkit.problems import Location, Problem
from toolkit.read import normalize
from toolkit.review import store
from toolkit.review.store import Comment, Reply, Review

_ROW = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")
_INDEX = re.compile(r"\[(\d+)\]")
# statuses a checklist page or sheet may give: its own words, and review.yaml's
RESOLVED = {"resolved", "done", "not_applicable", "対応済み", "対象外"}
OPEN = {"open", "in_progress", "未対応", "対応中"}


def path_exists(data: Mapping, path: str) -> bool:
    """Whether `path` names a field the project has: declared by its schema, and every row it indexes present."""
    path = path.strip()
    head = path.split("[", 1)[0].split(".", 1)[0]
    tables = schema.tables_of(data)
    if head in tables:
        found = _ROW.match(path)
        if path == head:
            return True
        if not found:
            return False
        rows = data.get(head)
        if not isinstance(rows, list) or int(found[2]) >= len(rows):
            return False
        return found[3] is None or found[3] in tables[head].schema
    if not path or not schema.field_meta(data, path):
        return False
    value: Any = data  # a list index (monitoring_plan[1].method_class) must point at an item that is there
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if name:
            value = value.get(name) if isinstance(value, Mapping) else None
        elif not isinstance(value, list) or int(index) >= len(value):
            return False
        else:
            value = value[int(index)]
    return True


def known_paths(data: Mapping) -> list[str]:
    """Every field path the project's schema declares (rows as [0]), for suggestions."""
    found: list[str] = []

    def walk(rules: Mapping, prefix: str) -> None:
        for key, rule in rules.items():
            if not isinstance(rule, Mapping):
                continue
            found.append(prefix + key)
            if isinstance(rule.get("schema"), Mapping):
                inner = rule["schema"]
                if rule.get("type") == "list" and isinstance(inner.get("schema"), Mapping):
                    walk(inner["schema"], f"{prefix}{key}[0].")
                else:
                    walk(inner, f"{prefix}{key}.")

    walk(schema.project_schema(schema.project_type(data)), "")
    for name, table in schema.tables_of(data).items():
        found += [f"{name}[0].{column}" for column in table.schema]
    return found


def row_of(data: Mapping, path: str) -> str:
    """The key of the table row `path` names (`activities[3].capacity_kw` -> `PV-04`); "" for other paths."""
    found = _ROW.match(path.strip())
    table = schema.tables_of(data).get(found[1]) if found else None
    rows = data.get(found[1]) if found else None
    if table is None or not isinstance(rows, list) or int(found[2]) >= len(rows):
        return ""
    return row_key(table, rows[int(found[2])])


def row_key(table: schema.Table, row: Any) -> str:
    """A row's name by its key columns (`PV-03`, `PV-03 2025-04-01 2025-04-30`), each value as validation reads
    it, so a row as loaded (a date typed 2025/4/1, an ID typed as the number 101) and as validated give one
    name; "" when the table has no key columns or a value is empty."""
    if not table.key_columns or not isinstance(row, Mapping):
        return ""
    texts = []
    for column in table.key_columns:
        value = row.get(column)
        try:
            value = normalize.coerce(value, table.schema[column].get("type"))[0]
        except normalize.NormalizeError:
            pass  # as typed: the comment still finds the row while it stays so
        if value in (None, ""):
            return ""
        texts.append(value.isoformat() if isinstance(value, dt.date) else str(value))
    return " ".join(texts)


def follow(review: Review, data: Mapping) -> Review:
    """The comments as the project now has them: a comment on a table row that has moved (rows inserted or
    removed above it) on that row's new place, and `gone` where the project no longer has the row or field.
    A comment on a key column itself (an ID, a reading's dates) whose row no longer has that key stays where
    it was: the key was what the comment asked to correct. review.yaml keeps what was written; this is how
    every reader places a comment."""
    places: dict[str, dict[str, int]] = {}  # table -> row key -> its index, made once a row has moved
    followed = []
    for comment in review.comments:
        path = _followed_path(comment, data, places)
        followed.append(replace(comment, path=path or comment.path, gone=path is None))
    return Review(review.root, followed, list(review.problems))


def _followed_path(comment: Comment, data: Mapping, places: dict[str, dict[str, int]]) -> str | None:
    path, found = comment.path, _ROW.match(comment.path)
    table = schema.tables_of(data).get(found[1]) if found and comment.row else None
    if table is not None and row_of(data, path) != comment.row:  # the row moved, is gone, or its key changed
        if table.name not in places:
            rows = data.get(table.name) if isinstance(data.get(table.name), list) else []
            keys = (row_key(table, row) for row in rows)
            places[table.name] = {key: index for index, key in reversed(list(enumerate(keys)))}  # the first
        index = places[table.name].get(comment.row)
        if index is not None:
            path = f"{found[1]}[{index}]" + (f".{found[3]}" if found[3] else "")
        elif found[3] not in table.key_columns:
            return None
    return path if path_exists(data, path) else None


def _project_data(root: Path) -> Mapping:
    from toolkit.read.folder import load_project

    return load_project(root).data


def add(
    root: Path,
    path: str,
    text: str,
    author: str,
    today: dt.date,
    blocking: bool = False,
    data: Mapping | None = None,
) -> Comment:
    """Add an open comment on `path` to review.yaml; InputError when the project has no such field."""
    data = _project_data(root) if data is None else data
    with store.locked(root):
        return _add(root, path, text, author, today, blocking, data)


def _add(
    root: Path, path: str, text: str, author: str, today: dt.date, blocking: bool, data: Mapping
) -> Comment:
    review = store.read_valid(root)
    path = path.strip()
    if not path_exists(data, path):
        close = difflib.get_close_matches(_INDEX.sub("[0]", path), known_paths(data), n=3, cutoff=0.6)
        hint = {"ja": f"（{', '.join(close)} のことですか）", "en": f" (did you mean {', '.join(close)}?)"}
        raise InputError(
            f"no field {path}",
            [Problem("review_unknown_path", path, None, {"found": path, "hint": hint if close else ""})],
        )
    if not text.strip():
        raise UsageError("empty comment", [Problem("review_empty_text", path)])
    comment = Comment(
        review.next_id(), path, author, today, text.strip(), "open", blocking, row=row_of(data, path)
    )
    review.replace(comment)
    store.write(review)
    return store.read(root).get(comment.id)


def reply(root: Path, comment_id: str, text: str, author: str, today: dt.date) -> Comment:
    """Add a reply to comment `comment_id`; it stays open (a coach resolves it)."""
    with store.locked(root):
        review = store.read_valid(root)
        comment = review.get(comment_id)
        if not text.strip():
            raise UsageError("empty reply", [Problem("review_empty_text", comment.path)])
        review.replace(replace(comment, replies=(*comment.replies, Reply(author, today, text.strip()))))
        store.write(review)
        return store.read(root).get(comment.id)


def resolve(root: Path, comment_id: str, reopen: bool = False) -> Comment:
    """Mark comment `comment_id` resolved (or open again)."""
    with store.locked(root):
        review = store.read_valid(root)
        comment = review.get(comment_id)
        review.replace(replace(comment, status="open" if reopen else "resolved"))
        store.write(review)
        return store.read(root).get(comment.id)


@dataclass
class Applied:
    """What an update list did: comments changed or added (ids), and the updates that matched nothing."""

    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unmatched: list[Problem] = field(default_factory=list)


def apply_updates(
    root: Path,
    updates: Iterable[Mapping[str, Any]],
    author: str,
    today: dt.date,
    data: Mapping | None = None,
) -> Applied:
    """Apply a list of `{"id": "C3" | "finding": {"rule", "path"}, "status": ..., "text": ...}` to review.yaml at once.

    For a comment id: `text` becomes a reply (unless that comment already has it word for word) and a
    status resolves it (done, resolved, not_applicable) or opens it again (open, in_progress). For a
    finding (no comment id): `text` becomes a new comment on the finding's path, resolved when the status
    says so. An update that names an
    unknown comment, or a finding path the project lacks, is reported in `unmatched`, never guessed. The
    checklist page's saved state and the review sheet's import both come through here.
    """
    updates = list(updates)
    if data is None and any(not update.get("id") and update.get("text") for update in updates):
        data = _project_data(root)  # a new comment's path is checked against the project
    with store.locked(root):
        return _applied(root, updates, author, today, data)


def _applied(root: Path, updates: list, author: str, today: dt.date, data: Mapping | None) -> Applied:
    review = store.read_valid(root)
    result = Applied()
    for number, update in enumerate(updates, 1):
        where = update.get("location") or Location("#", number)
        text = str(update.get("text") or "").strip()
        status = str(update.get("status") or "").strip()
        comment_id = str(update.get("id") or "").strip().upper()
        if comment_id:
            known = next((comment for comment in review.comments if comment.id == comment_id), None)
            if known is None:
                result.unmatched.append(
                    Problem("review_unmatched", "", where, {"found": comment_id}, severity="warning")
                )
                continue
            changed = known
            if text and text not in (reply.text for reply in known.replies):
                changed = replace(changed, replies=(*changed.replies, Reply(author, today, text)))
            if status in RESOLVED or status in OPEN:
                changed = replace(changed, status="resolved" if status in RESOLVED else "open")
            if changed != known:
                review.replace(changed)
                result.changed.append(comment_id)
            continue
        finding = update.get("finding") or {}
        path = str(finding.get("path") or "").strip() if isinstance(finding, Mapping) else ""
        if not text:
            continue  # a finding's status alone is the checklist page's own business
        if not path or data is None or not path_exists(data, path):
            result.unmatched.append(
                Problem("review_unmatched_path", path, where, {"found": path}, severity="warning")
            )
            continue
        if any(comment.path == path and comment.text == text for comment in review.comments):
            continue  # imported before
        # a line the coach marked settled keeps its note without holding a final document back
        comment = Comment(
            review.next_id(),
            path,
            author,
            today,
            text,
            "resolved" if status in RESOLVED else "open",
            row=row_of(data, path),
        )
        review.replace(comment)
        result.added.append(comment.id)
    if result.changed or result.added:
        store.write(review)
    return result
