"""The readiness checklist in four forms: terminal text, contract JSON, a workbook a coach hands over, one HTML page.

Every form groups the findings the same way: by document (plan, activity list, monitoring, then the
inputs that belong to none), then by section in the order the findings come. openpyxl and Jinja are
imported only by the form that needs them, so `check` in text or JSON loads neither.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from toolkit import messages
from toolkit.checklist.findings import DOCUMENT_TITLES, SEVERITIES, Checklist, Finding, Group, grouped
from toolkit.documents.text import clean, terminal_width

ORDER = ("plan", "activity-list", "monitoring", "")
TEMPLATE = "html/checklist.html"
# the words of every form are in messages.py (checklist.*); a list of column titles is a tuple of keys
COLUMNS = {
    "columns": (
        "number",
        "severity",
        "rule",
        "document",
        "section",
        "location",
        "what",
        "message",
        "fix",
        "status",
        "notes",
    ),
    "html_columns": ("severity", "rule", "location", "what", "message", "fix", "status", "comment"),
}
STATUSES = ("open", "in_progress", "done", "not_applicable")
FIRST_ROWS = 3  # the rows a grouped line names in the terminal (all of them in JSON, XLSX and HTML)
MARKS = {"blocking": ("✗", "31"), "warning": ("!", "33"), "info": ("i", "2")}  # ANSI: red, yellow, dim
WIDTHS = (5, 9, 16, 18, 14, 26, 32, 50, 40, 11, 24)  # the sheet's columns, in characters
STATUS_COLUMN = 10
FILLS = {"blocking": "FFC7CE", "warning": "FFEB9C"}


def _text(key: str, lang: str) -> Any:
    """A template of messages.py (checklist.<key>) to format; a severity's name; a tuple for column titles
    and statuses."""
    if key in SEVERITIES:
        return messages.text("checklist.severity." + key, lang)
    if key in COLUMNS:
        return tuple(messages.text("checklist.column." + column, lang) for column in COLUMNS[key])
    if key == "statuses":
        return tuple(messages.text("checklist.status." + status, lang) for status in STATUSES)
    return messages.text("checklist." + key, lang)


def _style(text: str, code: str, color: bool) -> str:
    """ANSI colour, the codes click.style writes: only cli.py imports click, and only with `color`."""
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _plain(text: str) -> str:
    """User text for a terminal or a cell: no control characters (no escape sequences), line breaks kept."""
    return clean(str(text)).replace("\r\n", "\n").replace("\r", "\n")


def percent(score: float) -> int:
    """A score as a whole percentage, cut rather than rounded: 100% only when nothing is open."""
    return int(Decimal(str(score)) * 100)


def counts(checklist: Checklist) -> dict[str, int]:
    """How many findings of each severity."""
    severities = [finding.severity for finding in checklist.findings]
    return {severity: severities.count(severity) for severity in SEVERITIES}


def documents(checklist: Checklist) -> list[str]:
    """The documents with a score: those with required items or findings, in document order."""
    present = set(checklist.items) | {finding.document for finding in checklist.findings}
    return [document for document in ORDER if document and document in present]


def scores(checklist: Checklist) -> dict[str, float]:
    """The share of required items met, per document of the checklist's stage."""
    return {document: checklist.score(document) for document in documents(checklist)}


def groups(checklist: Checklist) -> list[tuple[str, list[tuple[str, list[Finding]]]]]:
    """(document, [(section, findings)]) in document order; sections in the order their findings come."""
    found: dict[str, dict[str, list[Finding]]] = {}
    for finding in checklist.findings:
        document = finding.document if finding.document in ORDER else ""
        found.setdefault(document, {}).setdefault(finding.section, []).append(finding)
    return [(document, list(found[document].items())) for document in ORDER if document in found]


def grouped_sections(checklist: Checklist) -> list[tuple[str, list[tuple[str, list[Group]]]]]:
    """As `groups`, each section's findings of one rule over many rows as one group (one line) each."""
    return [
        (document, [(section, grouped(findings)) for section, findings in sections])
        for document, sections in groups(checklist)
    ]


def section_heading(checklist: Checklist, section: str, lang: str) -> str:
    """A section as the document numbers and titles it (2.3 実施期間及びモニタリング計画)."""
    return _plain(checklist.section_title(section)) if section else _text("no_section", lang)


def _where(finding: Finding) -> str:
    return str(finding.location) if finding.location else finding.path


def first_rows(group: Group, lang: str, shown: int = FIRST_ROWS) -> str:
    """Where the first rows of a group are, the repeated file and sheet written once:
    `monitoring/2025.xlsx!モニタリング!G37、G38、G39`."""
    places, previous = [], ""
    for finding in group.findings[:shown]:
        place = _where(finding)
        head = place.rpartition("!")[0] if "!" in place else place.rpartition(":")[0]
        places.append(place[len(head) + 1 :] if head and head == previous else place)
        previous = head
    return ("、" if lang == "ja" else ", ").join(places)


def _tally(checklist: Checklist, document: str) -> dict[str, int]:
    """Required items, how many are open and how many met; blocking findings beyond the count are items too."""
    failed = len(checklist.blocking(document))
    required = max(checklist.items.get(document, 0), failed)
    return {"required": required, "open": failed, "met": required - failed}


def summary(checklist: Checklist, lang: str) -> str:
    """The one-line verdict: 準備完了, or 未完了 with the counts and the score."""
    number = counts(checklist)
    if checklist.ready:
        if number["warning"] or number["info"]:
            return _text("ready_notes", lang).format(**number)
        return _text("ready", lang)
    return _text("not_ready", lang).format(percent=percent(checklist.score()), **number)


def what(finding: Finding, lang: str) -> str:
    """The path with its label: `proponent.postal_code（郵便番号）`, or `… (postal code)` in English."""
    label = finding.label_in(lang)
    if finding.path and label:
        return _text("path_label", lang).format(path=finding.path, label=label)
    return finding.path or label


def _date(built: dt.datetime, lang: str) -> str:
    day = built.date()
    return f"{day.year}年{day.month}月{day.day}日" if lang == "ja" else day.isoformat()


def stage_name(stage: str, lang: str) -> str:
    """The stage's name in `lang` (妥当性確認・登録 …), or its code when the catalogue has none."""
    key = "checklist.stage." + stage
    return messages.text(key, lang) if key in messages.TEMPLATES else stage


def document_title(document: str, lang: str) -> str:
    """The title of a document kind in `lang`; the inputs' title for findings of no document."""
    return DOCUMENT_TITLES.get(document, DOCUMENT_TITLES[""])[lang if lang == "ja" else "en"]


def text(checklist: Checklist, lang: str, project_name: str = "", color: bool = False) -> str:
    """The terminal form: findings grouped by document and section, scores, then the summary line."""
    project = _plain(project_name or checklist.project)
    lines = [
        _style(_text("title", lang).format(project=project), "1", color),
        _text("stage", lang).format(stage=stage_name(checklist.stage, lang)),
        "",
    ]
    if not checklist.findings:
        lines += [_text("no_findings", lang), ""]
    for document, sections in grouped_sections(checklist):
        lines.append(_style(document_title(document, lang), "1", color))
        for section, found in sections:
            lines.append("  § " + section_heading(checklist, section, lang))
            for group in found:
                lines += _group_lines(group, lang, color)
        lines.append("")
    shown = documents(checklist)
    if shown:
        lines.append(_text("scores", lang))
        titles = {document: document_title(document, lang) for document in shown}
        column = max(terminal_width(title) for title in titles.values()) + 2
        for document in shown:
            line = _text("score_line", lang).format(
                percent=percent(checklist.score(document)), **_tally(checklist, document)
            )
            lines.append("  " + titles[document] + " " * (column - terminal_width(titles[document])) + line)
        lines.append("")
    verdict = summary(checklist, lang)
    lines.append(_style(verdict, "32" if checklist.ready else "31", color))
    return "\n".join(lines)


def _group_lines(group: Group, lang: str, color: bool) -> list[str]:
    """One finding as before; a group as one line with its count and first rows, an example and the fix."""
    if group.count == 1:
        return _finding_lines(group.first, lang, color)
    first = group.first
    mark, code = MARKS.get(first.severity, ("?", "0"))
    label = first.label_in(lang)
    what_ = (
        _text("path_label", lang).format(path=group.path, label=label) if group.path and label else group.path
    )
    count = _text("group_count", lang).format(count=group.count)
    rows = first_rows(group, lang)
    more = group.count - min(group.count, FIRST_ROWS)
    if more:
        rows += _text("group_more", lang).format(count=more)
    body = _text("group_line", lang).format(count=count, rows=_plain(rows))
    body = f"{_plain(what_)}: {body}" if what_ else body
    lines = [f"    {_style(mark + ' ' + _plain(first.rule), code, color)}  {body}"]
    lines.append("      " + _text("group_example", lang).format(message=_plain(first.message(lang))))
    fix = _plain(first.fix(lang))
    if fix:
        lines.append("      → " + fix)
    return [line.replace("\n", "\n        ") for line in lines]


def _finding_lines(finding: Finding, lang: str, color: bool) -> list[str]:
    mark, code = MARKS.get(finding.severity, ("?", "0"))
    head = " ".join(
        part for part in (str(finding.location) if finding.location else "", what(finding, lang)) if part
    )
    message = _plain(finding.message(lang))
    body = f"{_plain(head)}: {message}" if head else message
    lines = [f"    {_style(mark + ' ' + _plain(finding.rule), code, color)}  {body}"]
    fix = _plain(finding.fix(lang))
    if fix:
        lines.append("      → " + fix)
    return [line.replace("\n", "\n        ") for line in lines]  # a line break in user text stays indented


def as_json(checklist: Checklist, lang: str) -> dict:
    """Contract 1 (`ready`, `stage`, `score`, `findings`) plus per-document scores, counts and evidence."""
    return {
        "ready": checklist.ready,
        "stage": checklist.stage,
        "score": checklist.score(),
        "project": checklist.project,
        "scores": scores(checklist),
        "counts": counts(checklist),
        "findings": [
            finding.as_json(lang, checklist.titles.get(finding.section, "")) for finding in checklist.findings
        ],
        "groups": _json_groups(checklist, lang),
        "evidence": list(checklist.evidence),
    }


def _json_groups(checklist: Checklist, lang: str) -> list[dict]:
    """The lines the text shows, each with its count and the positions of all its rows in `findings`."""
    position = {id(finding): index for index, finding in enumerate(checklist.findings)}
    return [
        {
            "key": group.key,
            "id": group.first.rule,
            "severity": group.first.severity,
            "document": group.first.document,
            "section": section,
            "section_title": checklist.titles.get(section, ""),
            "path": group.path,
            "label": group.first.label_in(lang),
            "count": group.count,
            "message": group.first.message(lang),
            "fix": group.first.fix(lang),
            "findings": [position[id(finding)] for finding in group.findings],
        }
        for _, sections in grouped_sections(checklist)
        for section, found in sections
        for group in found
    ]


def rows(checklist: Checklist, lang: str) -> list[dict[str, str]]:
    """One row per finding, in group order, as the sheet shows it (a group's rows one after another)."""
    return [
        _row(finding, document, checklist.section_title(section), lang)
        for document, sections in grouped_sections(checklist)
        for section, found in sections
        for group in found
        for finding in group.findings
    ]


def _row(finding: Finding, document: str, section: str, lang: str) -> dict[str, str]:
    known = finding.severity in SEVERITIES
    return {
        "severity": finding.severity if known else "info",
        "severity_name": _text(finding.severity, lang) if known else clean(finding.severity),
        "rule": clean(finding.rule),
        "document": document_title(document, lang),
        "section": clean(section),
        "location": clean(str(finding.location)) if finding.location else "",
        "what": clean(what(finding, lang)),
        "message": clean(finding.message(lang)),
        "fix": clean(finding.fix(lang)),
    }


def _page_row(group: Group, document: str, section: str, lang: str) -> dict[str, Any]:
    """A line of the page: a single finding as a row, a group with its count and every row to expand."""
    row: dict[str, Any] = _row(group.first, document, section, lang)
    row.update(key=clean(group.key), path=clean(group.first.path), count=group.count, rows=[])
    if group.count > 1:
        label = group.first.label_in(lang)
        row["what"] = clean(
            _text("path_label", lang).format(path=group.path, label=label) if label else group.path
        )
        more = group.count - min(group.count, FIRST_ROWS)
        row["location"] = clean(first_rows(group, lang)) + (
            clean(_text("group_more", lang).format(count=more)) if more else ""
        )
        row["message"] = _text("group_count", lang).format(count=group.count)
        row["summary"] = _text("group_rows", lang).format(count=group.count)
        row["rows"] = [
            {
                "location": clean(_where(finding)),
                "path": clean(finding.path),
                "message": clean(finding.message(lang)),
            }
            for finding in group.findings
        ]
    return row


def _unique_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two lines of one rule and path (another section, severity) keep apart: the second key gets #2."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[row["key"]] = seen.get(row["key"], 0) + 1
        if seen[row["key"]] > 1:
            row["key"] += f" #{seen[row['key']]}"
    return rows


def xlsx(checklist: Checklist, lang: str, project_name: str, path: Path, built: dt.datetime) -> None:
    """The sheet a coach hands over: the verdict on top, one row per finding, a status column to fill in."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from toolkit.render.xlsx import (
        BOLD,
        FONT,
        HEADER_ALIGN,
        HEADER_BORDER,
        HEADER_FILL,
        header_text,
        list_layout,
        saved,
        set_default_font,
        text_cell,
    )

    path = Path(path)
    project = project_name or checklist.project
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _text("sheet", lang)
    set_default_font(workbook, Font(name=FONT, size=10))
    heads = [
        _text("title", lang).format(project=project),
        _text("stage", lang).format(stage=stage_name(checklist.stage, lang)),
        _text("readiness", lang).format(summary=summary(checklist, lang)),
        _text("score", lang).format(percent=percent(checklist.score()))
        + "".join(
            f"　{document_title(document, lang)} {percent(score)}%"
            for document, score in scores(checklist).items()
        ),
        _text("built", lang).format(date=_date(built, lang)),
    ]
    for number, line in enumerate(heads, 1):
        text_cell(sheet.cell(number, 1), line).font = Font(
            name=FONT, bold=True, size=14 if number == 1 else 10
        )
    header_row = len(heads) + 2
    for index, title in enumerate(_text("columns", lang), 1):
        cell = text_cell(sheet.cell(header_row, index), title)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, HEADER_BORDER, HEADER_ALIGN
    thin = Side(style="thin", color="999999")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    wrap = Alignment(vertical="top", wrap_text=True)
    # openpyxl hashes every style object a cell is given (about 0.1 ms): each styling is made once and copied,
    # as openpyxl's own documentation copies styles; 120,000 findings are 1.3 million styled cells
    made: dict[str | None, Any] = {}

    def styled(cell, fill: str | None = None) -> None:
        if fill in made:
            cell._style = copy.copy(made[fill])
            return
        cell.border, cell.alignment = border, wrap
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        made[fill] = copy.copy(cell._style)

    found = rows(checklist, lang)
    for offset, row in enumerate(found):
        number = header_row + 1 + offset
        values = [
            row["severity_name"],
            row["rule"],
            row["document"],
            row["section"],
            row["location"],
            row["what"],
            row["message"],
            row["fix"],
            "",
            "",
        ]
        sheet.cell(number, 1).value = offset + 1
        for index, value in enumerate(values, 2):
            cell = sheet.cell(number, index)
            if value:
                text_cell(cell, value)
        for index in range(1, len(WIDTHS) + 1):
            styled(sheet.cell(number, index), FILLS.get(row["severity"]) if index == 2 else None)
    last = header_row + max(len(found), 1)
    if not found:
        text_cell(sheet.cell(header_row + 1, 8), _text("no_findings", lang))
    status = get_column_letter(STATUS_COLUMN)
    choices = _text("statuses", lang)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_text("columns", lang)[STATUS_COLUMN - 1],
        error=" / ".join(choices),
    )
    validation.add(f"{status}{header_row + 1}:{status}{last}")
    sheet.add_data_validation(validation)
    list_layout(sheet, header_row, last, WIDTHS)
    sheet.oddHeader.center.text = header_text(project)
    sheet.oddFooter.center.text = "&P / &N"
    saved(workbook, path, built, _text("title", lang).format(project=clean(project)))


def html(
    checklist: Checklist, lang: str, project_name: str, built: dt.datetime, overrides: Path | None = None
) -> str:
    """One self-contained page (inline CSS, no script); `overrides` is a project's templates/ folder."""
    from toolkit.render.html import rendered

    number = counts(checklist)
    context = {
        "lang": "ja" if lang == "ja" else "en",
        "title": _text("title", lang).format(project=clean(project_name or checklist.project)),
        "project": clean(project_name or checklist.project),
        "built": built,
        "date": _date(built, lang),
        "stage": stage_name(checklist.stage, lang),
        "ready": checklist.ready,
        "summary": summary(checklist, lang),
        "percent": percent(checklist.score()),
        "counts": [
            {"severity": severity, "name": _text(severity, lang), "count": number[severity]}
            for severity in SEVERITIES
        ],
        "scores": [
            {
                "document": document,
                "title": document_title(document, lang),
                "percent": percent(score),
                **_tally(checklist, document),
            }
            for document, score in scores(checklist).items()
        ],
        "groups": [
            {
                "document": document,
                "title": document_title(document, lang),
                "sections": [
                    {
                        "id": section_heading(checklist, section, lang),
                        "section": section,
                        "rows": _unique_keys(
                            [
                                _page_row(group, document, checklist.section_title(section), lang)
                                for group in found
                            ]
                        ),
                    }
                    for section, found in sections
                ],
            }
            for document, sections in grouped_sections(checklist)
        ],
        "evidence": _text("evidence", lang).format(count=len(checklist.evidence))
        if checklist.evidence
        else "",
        "statuses": [
            {"value": status, "name": name} for status, name in zip(STATUSES, _text("statuses", lang))
        ],
        "store": {"project": clean(project_name or checklist.project), "stage": checklist.stage},
        "text": {
            key: _text(key, lang)
            for key in (
                "scores",
                "counts",
                "findings",
                "no_findings",
                "html_columns",
                "export",
                "export_note",
            )
        },
    }
    return rendered(TEMPLATE, overrides, **context)
