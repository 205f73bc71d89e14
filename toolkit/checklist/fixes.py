"""A fix per field: where to write it (file and key, or sheet and cell) and in what form, from the schema.

The schema's `meta.help` says what to write (「123-4567 の形式」, 「見積書・補助金交付決定通知など」);
the field's type adds the form when the help does not give one (a date as YYYY-MM-DD, a number with its
unit, one of a short list). The words are in messages.py (fix.where.*, fix.form.*).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Mapping

from toolkit import messages, schema
from toolkit.problems import Location

CHOICES_SHOWN = 6  # a longer list of allowed values is named by its first few


def params(data: Mapping, path: str, location: Location | None) -> dict[str, Any]:
    """The `where` and `guide` parameters of a field's fix ({ja, en} each; the guide may be empty)."""
    return {"where": where(path, location, data), "guide": guide(data, path)}


def where(path: str, location: Location | None, data: Mapping | None = None) -> dict[str, str]:
    """Where the value goes: the cell of a workbook, else the key in its YAML file; a row of a table the
    project does not have yet goes in the table's sheet (or its list in project.yaml)."""
    table = schema.tables_of(data or {}).get(path.split("[", 1)[0]) if "[" in path else None
    if table is not None and (location is None or (location.line is None and location.sheet is None)):
        return messages.both(
            "fix.where.table", {"file": table.file, "sheet": table.sheet["ja"], "table": table.name}
        )
    if location is not None and location.sheet is not None:
        cell = str(location).split("!")[-1] if location.row is not None else ""
        return messages.both(
            "fix.where.cell" if cell else "fix.where.sheet",
            {"file": location.file, "sheet": location.sheet, "cell": cell},
        )
    file = location.file if location is not None else "project.yaml"
    return messages.both("fix.where.key", {"file": file, "path": path})


def guide(data: Mapping, path: str) -> dict[str, str]:
    """What to write and in what form: the schema's help, and the form its type asks for; {} parts empty."""
    meta = schema.field_meta(data, path)
    rules = _rules(data, path) or {}
    help_text = meta.get("help") or {}
    form = _form(rules, meta)
    parts = {}
    for lang in messages.LANGS:
        pieces = [text for text in (help_text.get(lang, ""), form.get(lang, "")) if text]
        joined = ("。" if lang == "ja" else "; ").join(pieces)
        parts[lang] = messages.render("fix.guide", lang, {"text": joined}) if pieces else ""
    return parts


def _form(rules: Mapping, meta: Mapping) -> dict[str, str]:
    allowed = rules.get("allowed")
    if isinstance(allowed, (list, tuple)) and allowed:
        shown = [str(schema.code_label(choice)) for choice in allowed[:CHOICES_SHOWN]]
        more = "…" if len(allowed) > CHOICES_SHOWN else ""
        choices = {"ja": "、".join(shown) + more, "en": ", ".join(shown) + more}
        return messages.both("fix.form.allowed", {"choices": choices})
    kind = rules.get("type")
    if kind == "date":
        return messages.both("fix.form.date")
    if kind in ("number", "integer", "float", "decimal"):
        unit = meta.get("unit") or ""
        return messages.both("fix.form.number_unit" if unit else "fix.form.number", {"unit": unit})
    if kind == "boolean":
        return messages.both("fix.form.boolean")
    return {}


def _rules(data: Mapping, path: str) -> Mapping | None:
    """The field's rules: a table column's from its table, any other field's from project.yaml's schema."""
    head = path.split("[", 1)[0].split(".", 1)[0]
    tables = schema.tables_of(data)
    if head in tables and "]." in path:
        return tables[head].schema.get(path.rsplit(".", 1)[-1])
    return schema.field_rules(_project_schema(schema.project_type(data)), path)


@cache
def _project_schema(project_type: str | None) -> dict:
    """project.yaml's schema of a project type, composed once (only read here)."""
    return schema.project_schema(project_type)
