"""The review sheet: comments and the current checklist on one Excel sheet with a Reply column, and back again.

`export` writes every comment (open or resolved) and every checklist finding, one row each; the proponent
fills in the Reply column; `read_replies` reads it back by comment id and `comments.apply_updates` adds
the replies to review.yaml, nothing else. User text is data: every cell is written as a string (a text
starting with "=" is never a formula) and a reply read back is stored as the text it is, never evaluated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from toolkit import messages, schema
from toolkit.checklist.comments import RULES
from toolkit.checklist.findings import Checklist
from toolkit.errors import InputError
from toolkit.problems import Location, Problem
from toolkit.review.store import Review

COLUMNS = (
    "id",
    "kind",
    "severity",
    "rule",
    "what",
    "location",
    "message",
    "fix",
    "author",
    "date",
    "status",
    "replies",
    "reply",
)
WIDTHS = (7, 9, 9, 14, 30, 18, 50, 36, 12, 11, 9, 36, 40)
REPLY_FILL = "FFF9C4"
HEADER_SCAN = 20  # rows looked at for the header (the title block above it may grow)


def _word(key: str, lang: str, **params: Any) -> str:
    return messages.render(key, lang, params)


def header(column: str, lang: str) -> str:
    """A column's header in `lang`: the review's own columns, else the checklist's."""
    key = f"checklist.review.column.{column}"
    if key not in messages.TEMPLATES:
        key = {"what": "checklist.column.what", "message": "checklist.column.message"}.get(
            column, f"checklist.column.{column}"
        )
    return _word(key, lang)


def rows(review: Review, checklist: Checklist, data: Any, lang: str) -> list[dict[str, str]]:
    """The sheet's rows: the comments in id order, then the checklist's findings (its comment findings aside)."""
    found = []
    for comment in review.comments:
        label = schema.label(data, comment.path).get(lang) or schema.label(data, comment.path).get("ja")
        what = _word("checklist.path_label", lang, path=comment.path, label=label) if label else comment.path
        if comment.gone:
            what += " " + _word("cli.review.orphan", lang)
        found.append(
            {
                "id": comment.id,
                "kind": _word("checklist.review.kind.comment", lang),
                "severity": _word(
                    "checklist.severity." + ("blocking" if comment.blocking else "warning"), lang
                ),
                "rule": "",
                "what": what,
                "location": str(comment.location),
                "message": comment.text,
                "fix": "",
                "author": comment.author,
                "date": comment.date.isoformat(),
                "status": _word(f"cli.review.status.{comment.status}", lang),
                "replies": "\n".join(
                    f"{reply.author} ({reply.date.isoformat()}): {reply.text}" for reply in comment.replies
                ),
                "reply": "",
            }
        )
    for finding in checklist.findings:
        if finding.rule in RULES:
            continue
        label = finding.label_in(lang)
        what = _word("checklist.path_label", lang, path=finding.path, label=label) if label else finding.path
        found.append(
            {
                "id": "",
                "kind": _word("checklist.review.kind.finding", lang),
                "severity": _word("checklist.severity." + finding.severity, lang),
                "rule": finding.rule,
                "what": what,
                "location": str(finding.location) if finding.location else "",
                "message": finding.message(lang),
                "fix": finding.fix(lang),
                "author": "",
                "date": "",
                "status": "",
                "replies": "",
                "reply": "",
            }
        )
    return found


def export(
    review: Review, checklist: Checklist, data: Any, lang: str, path: Path, built: dt.datetime, project: str
) -> None:
    """Write the review sheet to `path`: a title, a note on how to answer, the header, one row per item."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from toolkit.render.xlsx import BOLD, FONT, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, saved, text_cell

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _word("checklist.review.sheet", lang)
    text_cell(sheet.cell(1, 1), _word("checklist.review.title", lang, project=project)).font = Font(
        name=FONT, bold=True, size=14
    )
    stage = _word(f"checklist.stage.{checklist.stage}", lang)
    text_cell(sheet.cell(2, 1), _word("checklist.stage", lang, stage=stage))
    text_cell(sheet.cell(3, 1), _word("checklist.review.note", lang))
    top = 5
    for index, column in enumerate(COLUMNS, 1):
        cell = text_cell(sheet.cell(top, index), header(column, lang))
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, HEADER_BORDER, HEADER_ALIGN
    thin = Side(style="thin", color="999999")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    wrap = Alignment(vertical="top", wrap_text=True)
    reply_fill = PatternFill("solid", fgColor=REPLY_FILL)
    found = rows(review, checklist, data, lang)
    for offset, row in enumerate(found, 1):
        for index, column in enumerate(COLUMNS, 1):
            cell = sheet.cell(top + offset, index)
            if row[column]:
                text_cell(cell, row[column])  # a string, whatever it looks like: "=…" is no formula here
            cell.border, cell.alignment = border, wrap
            if column == "reply":
                cell.fill = reply_fill
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{top + 1}"
    last = top + max(len(found), 1)
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(COLUMNS))}{last}"
    saved(workbook, path, built)


def read_replies(path: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The replies a review sheet holds: one update {"id", "text", "location"} per filled Reply cell, and a
    problem for each reply on a row without a comment id or in a formula cell without a value. Read with the
    inputs' own workbook reader (its limits and checks); InputError when it is no review sheet."""
    from toolkit.read.workbook import Workbook, WorkbookError

    name = Path(path).name
    if Path(path).suffix.lower() == ".json":
        return _page_state(Path(path), name), []
    sheet = None
    try:
        book = Workbook(Path(path))
        for sheet_name in book.sheet_names:
            sheet = book.sheet(sheet_name)
            found = _sheet_replies(sheet, name)
            if found is not None:
                return found
    except WorkbookError as error:
        row, col = error.cell or (None, None)
        where = (
            Location(name, sheet=sheet.name if sheet else None, row=row, col=col) if row else Location(name)
        )
        raise InputError(name, [Problem(error.code, "", where, error.params)]) from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(name, [Problem("not_readable", "", Location(name), {"reason": reason})]) from error
    wanted = (
        f"{header('id', 'ja')} … {header('reply', 'ja')} / {header('id', 'en')} … {header('reply', 'en')}"
    )
    raise InputError(name, [Problem("review_sheet", "", Location(name), {"header": wanted})])


PAGE_STATE = "jcredit-check-review"  # what the checklist page's export button saves (docs/architecture.md)


def _page_state(path: Path, name: str) -> list[dict[str, Any]]:
    """The updates in a checklist page's saved state: each line's comment, as a new comment on the finding's
    path, with its status; a line with a status and no comment changes nothing (apply_updates)."""
    import json

    try:
        with open(path, encoding="utf-8") as file:
            state = json.load(file)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(name, [Problem("not_readable", "", Location(name), {"reason": reason})]) from error
    except ValueError as error:  # not JSON, not UTF-8
        line = getattr(error, "lineno", None)
        raise InputError(
            name, [Problem("review_page", "", Location(name, line), {"format": PAGE_STATE})]
        ) from None
    if (
        not isinstance(state, dict)
        or state.get("format") != PAGE_STATE
        or not isinstance(state.get("items"), list)
    ):
        raise InputError(name, [Problem("review_page", "", Location(name), {"format": PAGE_STATE})])
    return [
        {
            "finding": {"rule": str(item.get("rule") or ""), "path": str(item.get("path") or "")},
            "status": str(item.get("status") or ""),
            "text": str(item.get("comment") or ""),
            "location": Location(f"{name} items[{index}]"),
        }
        for index, item in enumerate(state["items"])
        if isinstance(item, dict) and str(item.get("comment") or "").strip()
    ]


def _sheet_replies(sheet, name: str) -> tuple[list[dict[str, Any]], list[Problem]] | None:
    heads = {lang: {header(column, lang): column for column in ("id", "reply")} for lang in messages.LANGS}
    columns: dict[str, int] = {}
    start = 0
    for number, values in enumerate(sheet.rows[:HEADER_SCAN], 1):
        for lang in messages.LANGS:
            seen = {
                heads[lang][str(value).strip()]: index
                for index, value in enumerate(values)
                if str(value).strip() in heads[lang]
            }
            if len(seen) == 2:
                columns, start = seen, number
                break
        if columns:
            break
    if not columns:
        return None
    updates: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, values in enumerate(sheet.rows[start:], start + 1):
        where = Location(name, sheet=sheet.name, row=number, col=columns["reply"] + 1)
        suspect = sheet.suspect.get((number, columns["reply"] + 1))
        if suspect is not None:  # a formula without a value: never read as empty, never evaluated
            problems.append(Problem(suspect[0], "", where, {"formula": suspect[1]}, severity="warning"))
            continue
        text = _text(values[columns["reply"]] if columns["reply"] < len(values) else None)
        if not text:
            continue
        comment_id = _text(values[columns["id"]] if columns["id"] < len(values) else None)
        if not comment_id:
            problems.append(Problem("review_no_id", "", where, severity="warning"))
            continue
        updates.append({"id": comment_id, "text": text, "location": where})
    return updates, problems


def _text(value: Any) -> str:
    """A cell as text: a date as its ISO form, a number as written; never evaluated (a formula stays its text)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # calamine reads every number as a float: 45 was typed, not 45.0
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()
