"""A diff in four forms: terminal text (80 columns), contract JSON, one self-contained HTML page, a workbook.

Every form lists the same things in the same order: input values, rows added and removed, factor rows,
evidence files, the effect on the results (monitored, then the plan's estimate) and the findings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from toolkit import messages
from toolkit.checklist.findings import DOCUMENT_TITLES
from toolkit.diff.compare import Diff, FieldChange, ResultChange
from toolkit.documents.text import clean, number_text, terminal_width

WIDTH = 80
TEMPLATE = "html/diff.html"
PLACES = 6  # decimals of t-CO2 in text, as `jcredit calc` prints them
TABLE_COLUMNS = ("activity", "old", "new", "delta", "cause")


def _say(code: str, lang: str, **params: Any) -> str:
    return messages.render("diff." + code, lang, params)


def _document(document: str, lang: str) -> str:
    return DOCUMENT_TITLES.get(document, DOCUMENT_TITLES[""])["ja" if lang == "ja" else "en"]


def _stage(stage: str, lang: str) -> str:
    key = "checklist.stage." + stage
    return messages.text(key, lang) if key in messages.TEMPLATES else stage


def _tonnes(value: Decimal | None) -> str:
    return number_text(value, PLACES) if value is not None else "—"


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = number_text(value, PLACES)
    return text if text.startswith("-") else "+" + text


def _certified(value: int | None) -> str:
    return f"{value:,}" if value is not None else "—"


def causes(codes: tuple[str, ...], lang: str) -> str:
    """The causes of a result change in words, joined: 読取値の変更、係数の変更."""
    return ("、" if lang == "ja" else ", ").join(_say("cause." + code, lang) for code in codes)


def what(change: FieldChange, lang: str) -> str:
    """The path with its label: `proponent.postal_code（郵便番号）`."""
    label = change.label.get(lang) or change.label.get("ja") or ""
    return (
        messages.render("checklist.path_label", lang, {"path": change.path, "label": label})
        if label
        else change.path
    )


def counts(diff: Diff) -> dict[str, int]:
    """How many things of each kind changed."""
    return {
        "fields": len(diff.fields),
        "rows": len(diff.rows),
        "factors": len(diff.factors),
        "evidence": len(diff.evidence),
        "appeared": len(diff.appeared),
        "resolved": len(diff.resolved),
    }


def summary(diff: Diff, lang: str) -> str:
    """The one-line verdict: 変更はありません, or the counts of each kind."""
    return _say("summary", lang, **counts(diff)) if diff.changed else _say("none", lang)


# JSON ---------------------------------------------------------------------------------------------------


def as_json(diff: Diff, lang: str) -> dict:
    """The diff as `jcredit diff --format json` prints it; figures as exact decimal strings."""
    return {
        "changed": diff.changed,
        "stage": diff.new.stage,
        "old": _side(diff.old),
        "new": _side(diff.new),
        "counts": counts(diff),
        "fields": [_field_json(change, lang) for change in diff.fields],
        "activities": {"added": diff.activities_added, "removed": diff.activities_removed},
        "rows": [
            {
                "table": row.table,
                "key": row.key,
                "change": row.change,
                "path": row.path,
                "location": row.location,
                "values": dict(row.values),
            }
            for row in diff.rows
        ],
        "factors": [
            {
                "factor": item.name,
                "change": item.change,
                "old": item.old,
                "new": item.new,
                "location": item.location,
            }
            for item in diff.factors
        ],
        "evidence": [
            {"path": item.name, "change": item.change, "old": item.old, "new": item.new}
            for item in diff.evidence
        ],
        "results": [_result_json(result, lang) for result in diff.results],
        "findings": {
            "appeared": [_finding_json(row, lang) for row in diff.appeared],
            "resolved": [_finding_json(row, lang) for row in diff.resolved],
        },
    }


def _side(snapshot) -> dict:
    return {"path": snapshot.target, "project": snapshot.name, "rules_version": snapshot.rules_version}


def _field_json(change: FieldChange, lang: str) -> dict:
    return {
        "path": change.path,
        "label": change.label.get(lang) or change.label.get("ja") or "",
        "document": change.document,
        "document_title": _document(change.document, lang) if change.document else "",
        "section": change.section,
        "table": change.table,
        "key": change.key,
        "old": change.old,
        "new": change.new,
        "location": change.location,
    }


def _decimal(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _result_json(result: ResultChange, lang: str) -> dict:
    return {
        "kind": result.kind,
        "old_total": _decimal(result.old_total),
        "new_total": _decimal(result.new_total),
        "delta": _decimal(result.delta),
        "old_certified": result.old_certified,
        "new_certified": result.new_certified,
        "old_errors": result.old_errors,
        "new_errors": result.new_errors,
        "activities": [
            {
                "id": effect.activity,
                "old": _decimal(effect.old),
                "new": _decimal(effect.new),
                "delta": str(effect.delta),
                "causes": list(effect.causes),
                "cause": causes(effect.causes, lang),
            }
            for effect in result.effects
        ],
    }


def _finding_json(row: dict, lang: str) -> dict:
    english = lang != "ja"
    return {
        "id": row["rule"],
        "severity": row["severity"],
        "path": row["path"],
        "section": row["section"],
        "heading": row["heading"],
        "document": row["document"],
        "location": row["location"],
        "label": row["label_en" if english else "label_ja"] or row["label_ja"],
        "message": row["message_en" if english else "message_ja"],
    }


# text ---------------------------------------------------------------------------------------------------


def _fit(line: str, width: int = WIDTH) -> list[str]:
    """A line broken at spaces to `width` display columns (a Japanese character takes two), continued indented;
    a word longer than the line is cut where it must be."""
    if terminal_width(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
    lines: list[str] = []
    current = line[: len(line) - len(line.lstrip(" "))]
    for word in line.lstrip(" ").split(" "):
        joined = f"{current} {word}" if current.strip() else current + word
        if terminal_width(joined) <= width:
            current = joined
            continue
        if current.strip():
            lines.append(current.rstrip())
            current = indent
        for char in word:  # a word wider than what is left: cut it
            if terminal_width(current) + terminal_width(char) > width:
                lines.append(current.rstrip())
                current = indent
            current += char
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _plain(text: str) -> str:
    """User text for a terminal: no control characters, one line."""
    return clean(str(text)).replace("\r", " ").replace("\n", " ")


def text(diff: Diff, lang: str) -> str:
    """The terminal form: every change under a heading, no line wider than 80 columns."""
    lines = [
        _say("title", lang, old=_plain(diff.old.target), new=_plain(diff.new.target)),
        _say("project", lang, old=_plain(diff.old.name), new=_plain(diff.new.name))
        if diff.old.name != diff.new.name
        else _plain(diff.new.name),
        _say("stage", lang, stage=_stage(diff.new.stage, lang)),
        "",
    ]
    for part in (_text_fields, _text_rows, _text_files, _text_results, _text_findings):
        lines += part(diff, lang)
    lines.append(summary(diff, lang))
    return "\n".join(piece for line in lines for piece in (_fit(line) if line else [""]))


def _text_fields(diff: Diff, lang: str) -> list[str]:
    if not diff.fields:
        return []
    lines = [_say("fields", lang, count=len(diff.fields))]
    heading = None
    for change in diff.fields:
        if (change.document, change.section) != heading:
            heading = (change.document, change.section)
            lines.append(f"  {_document(change.document, lang)} {change.section}".rstrip())
        key = f"  [{_plain(change.key)}]" if change.key else ""
        lines.append(f"    {_plain(what(change, lang))}{key}")
        if change.location:
            lines.append(f"      {_plain(change.location)}")
        lines += [f"      - {_plain(change.old)}", f"      + {_plain(change.new)}"]
    return [*lines, ""]


def _text_rows(diff: Diff, lang: str) -> list[str]:
    if not diff.rows:
        return []
    lines = [_say("rows", lang, count=len(diff.rows))]
    for row in diff.rows:
        mark = "+" if row.change == "added" else "-"
        lines.append(f"  {mark} {row.table} [{_plain(row.key)}]  {_plain(row.location)}".rstrip())
    if diff.activities_added or diff.activities_removed:
        none = _say("none_short", lang)
        added, removed = ", ".join(diff.activities_added), ", ".join(diff.activities_removed)
        lines.append(_say("activities", lang, added=added or none, removed=removed or none))
    return [*lines, ""]


def _text_files(diff: Diff, lang: str) -> list[str]:
    lines = []
    for title, items in (("factors", diff.factors), ("evidence", diff.evidence)):
        if not items:
            continue
        lines.append(_say(title, lang, count=len(items)))
        for item in items:
            mark = {"added": "+", "removed": "-"}.get(item.change, "~")
            lines.append(f"  {mark} {_plain(item.shown(lang))}  {_plain(item.location)}".rstrip())
            lines += [f"      - {_plain(item.old)}"] if item.old else []
            lines += [f"      + {_plain(item.new)}"] if item.new else []
        lines.append("")
    return lines


def _text_results(diff: Diff, lang: str) -> list[str]:
    lines = []
    for result in diff.results:
        if not result.changed:
            continue
        lines += [_say("results." + result.kind, lang), "  " + _total(result, lang)]
        rows = [tuple(messages.text("diff.column." + column, lang) for column in TABLE_COLUMNS)]
        rows += [
            (
                _plain(effect.activity),
                _tonnes(effect.old),
                _tonnes(effect.new),
                _signed(effect.delta),
                causes(effect.causes, lang),
            )
            for effect in result.effects
        ]
        sizes = [max(terminal_width(row[index]) for row in rows) for index in range(4)]
        for row in rows if result.effects else []:
            cells = [
                row[0] + " " * (sizes[0] - terminal_width(row[0])),
                *(" " * (sizes[index] - terminal_width(row[index])) + row[index] for index in (1, 2, 3)),
                row[4],
            ]
            lines.append("  " + "  ".join(cells))
        lines.append("")
    return lines


def _text_findings(diff: Diff, lang: str) -> list[str]:
    if not (diff.appeared or diff.resolved):
        return []
    lines = [_say("findings", lang)]
    for title, mark, found in (("appeared", "+", diff.appeared), ("resolved", "-", diff.resolved)):
        if found:
            lines.append("  " + _say(title, lang, count=len(found)))
        for row in found:
            finding = _finding_json(row, lang)
            head = " ".join(part for part in (finding["location"], finding["path"]) if part)
            lines.append(f"    {mark} {finding['id']}  {_plain(finding['heading'])}".rstrip())
            body = _plain(finding["message"])
            lines.append(f"      {_plain(head)}: {body}" if head else f"      {body}")
    return [*lines, ""]


def _total(result: ResultChange, lang: str) -> str:
    if result.old_total is None or result.new_total is None:
        return _say("no_total", lang, old_errors=result.old_errors, new_errors=result.new_errors)
    return _say(
        "total",
        lang,
        old=_tonnes(result.old_total),
        new=_tonnes(result.new_total),
        delta=_signed(result.delta),
        old_certified=_certified(result.old_certified),
        new_certified=_certified(result.new_certified),
    )


# rows for the page and the sheet ------------------------------------------------------------------------


def rows(diff: Diff, lang: str) -> list[dict[str, str]]:
    """One row per change, as the workbook lists them: kind, document, section, item, row, place, old, new, cause."""
    found = []

    def add(kind: str, **cells: str) -> None:
        found.append(
            {"kind": _say("kind." + kind, lang), "code": kind, **{k: clean(str(v)) for k, v in cells.items()}}
        )

    for change in diff.fields:
        add(
            "field",
            document=_document(change.document, lang) if change.document else "",
            section=change.section,
            what=what(change, lang),
            key=change.key,
            location=change.location,
            old=change.old,
            new=change.new,
            cause="",
        )
    for row in diff.rows:
        add(
            "row",
            document="",
            section="",
            what=row.table,
            key=row.key,
            location=row.location,
            old="" if row.change == "added" else _say("change.removed", lang),
            new=_say("change.added", lang) if row.change == "added" else "",
            cause="",
        )
    for kind, items in (("factor", diff.factors), ("evidence", diff.evidence)):
        for item in items:
            add(
                kind,
                document="",
                section="",
                what=item.shown(lang),
                key="",
                location=item.location,
                old=item.old,
                new=item.new,
                cause="",
            )
    for result in diff.results:
        for effect in result.effects:
            add(
                "result",
                document=_say("results." + result.kind, lang),
                section="",
                what=effect.activity,
                key="",
                location="",
                old=_tonnes(effect.old),
                new=_tonnes(effect.new),
                cause=f"{_signed(effect.delta)} t-CO2  {causes(effect.causes, lang)}",
            )
    for kind, found_rows in (("appeared", diff.appeared), ("resolved", diff.resolved)):
        for row in found_rows:
            finding = _finding_json(row, lang)
            add(
                kind,
                document=_document(finding["document"], lang),
                section=finding["heading"],
                what=finding["path"],
                key=finding["id"],
                location=finding["location"],
                old=finding["message"] if kind == "resolved" else "",
                new=finding["message"] if kind == "appeared" else "",
                cause="",
            )
    return found


# HTML ---------------------------------------------------------------------------------------------------


def html(diff: Diff, lang: str, built: dt.datetime, overrides: Path | None = None) -> str:
    """One self-contained page a coach can send (inline CSS, no script), in the checklist page's look."""
    from toolkit.render.html import rendered

    def column(name: str) -> str:
        return messages.text("diff.column." + name, lang)

    fields = {}
    for change in diff.fields:
        title = _document(change.document, lang) if change.document else _document("", lang)
        fields.setdefault(f"{title} {change.section}".strip(), []).append(
            {
                "what": clean(what(change, lang)),
                "key": clean(change.key),
                "location": clean(change.location),
                "old": clean(change.old),
                "new": clean(change.new),
            }
        )
    context = {
        "lang": "ja" if lang == "ja" else "en",
        "title": _say("title", lang, old=clean(diff.old.target), new=clean(diff.new.target)),
        "project": clean(diff.new.name),
        "built": built,
        "stage": _say("stage", lang, stage=_stage(diff.new.stage, lang)),
        "changed": diff.changed,
        "summary": summary(diff, lang),
        "fields": [{"heading": heading, "rows": items} for heading, items in fields.items()],
        "rows": [
            {
                "change": row.change,
                "change_name": _say("change." + row.change, lang),
                "table": row.table,
                "key": clean(row.key),
                "location": clean(row.location),
            }
            for row in diff.rows
        ],
        "files": [
            {
                "kind": kind,
                "title": _say(kind, lang, count=len(items)),
                "items": [
                    {
                        "change": item.change,
                        "change_name": _say("change." + item.change, lang),
                        "name": clean(item.shown(lang)),
                        "location": clean(item.location),
                        "old": clean(item.old),
                        "new": clean(item.new),
                    }
                    for item in items
                ],
            }
            for kind, items in (("factors", diff.factors), ("evidence", diff.evidence))
            if items
        ],
        "results": [
            {
                "title": _say("results." + result.kind, lang),
                "total": _total(result, lang),
                "effects": [
                    {
                        "activity": clean(effect.activity),
                        "old": _tonnes(effect.old),
                        "new": _tonnes(effect.new),
                        "delta": _signed(effect.delta),
                        "cause": causes(effect.causes, lang),
                    }
                    for effect in result.effects
                ],
            }
            for result in diff.results
            if result.changed
        ],
        "findings": [
            {
                "kind": kind,
                "title": _say(kind, lang, count=len(found)),
                "rows": [
                    {key: clean(str(value)) for key, value in _finding_json(row, lang).items()}
                    for row in found
                ],
            }
            for kind, found in (("appeared", diff.appeared), ("resolved", diff.resolved))
            if found
        ],
        "text": {
            "fields": _say("fields", lang, count=len(diff.fields)),
            "rows": _say("rows", lang, count=len(diff.rows)),
            "findings": _say("findings", lang),
            "none": _say("none", lang),
            "activities": _say(
                "activities",
                lang,
                added=", ".join(diff.activities_added) or _say("none_short", lang),
                removed=", ".join(diff.activities_removed) or _say("none_short", lang),
            ),
            "columns": {
                name: column(name)
                for name in (
                    "what",
                    "key",
                    "location",
                    "old",
                    "new",
                    "delta",
                    "cause",
                    "activity",
                    "rule",
                    "message",
                    "kind",
                    "section",
                )
            },
        },
        "activities_changed": bool(diff.activities_added or diff.activities_removed),
    }
    return rendered(TEMPLATE, overrides, **context)


# XLSX ---------------------------------------------------------------------------------------------------

SHEET_COLUMNS = ("kind", "document", "section", "what", "key", "location", "old", "new", "cause")
SHEET_WIDTHS = (12, 18, 26, 40, 26, 30, 30, 30, 40)


def xlsx(diff: Diff, lang: str, path: Path, built: dt.datetime) -> None:
    """The workbook: the verdict on top, one row per change, frozen header, A4 landscape."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from toolkit.render.xlsx import (
        BOLD,
        FONT,
        HEADER_ALIGN,
        HEADER_BORDER,
        HEADER_FILL,
        list_layout,
        saved,
        set_default_font,
        text_cell,
    )

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _say("sheet", lang)
    set_default_font(workbook, Font(name=FONT, size=10))
    heads = [
        _say("title", lang, old=diff.old.target, new=diff.new.target),
        diff.new.name,
        _say("stage", lang, stage=_stage(diff.new.stage, lang)),
        summary(diff, lang),
        *(
            f"{_say('results.' + result.kind, lang)}: {_total(result, lang)}"
            for result in diff.results
            if result.changed
        ),
    ]
    for number, line in enumerate(heads, 1):
        text_cell(sheet.cell(number, 1), clean(line)).font = Font(
            name=FONT, bold=True, size=14 if number == 1 else 10
        )
    header = len(heads) + 2
    titles = [messages.text("diff.column." + name, lang) for name in SHEET_COLUMNS[:-1]]
    titles.append(messages.text("diff.column.cause", lang) + " / " + messages.text("diff.column.delta", lang))
    for index, title in enumerate(titles, 1):
        cell = text_cell(sheet.cell(header, index), title)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, HEADER_BORDER, HEADER_ALIGN
    wrap = Alignment(vertical="top", wrap_text=True)
    found = rows(diff, lang)
    for offset, row in enumerate(found, 1):
        for index, name in enumerate(SHEET_COLUMNS, 1):
            cell = sheet.cell(header + offset, index)
            if row[name]:
                text_cell(cell, row[name])
            cell.alignment = wrap
    if not found:
        text_cell(sheet.cell(header + 1, 1), _say("none", lang))
    list_layout(sheet, header, header + max(len(found), 1), SHEET_WIDTHS)
    saved(workbook, path, built, clean(heads[0]))
