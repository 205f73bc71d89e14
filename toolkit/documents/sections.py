"""Where a data path or a section id shows in the documents: the document and the section's number and title.

`section_title("plan.2.3")` is ("plan", "2.3 実施期間及びモニタリング計画"): what a coach reads instead of
an internal id. A data path is looked up in the specs' fields first (the section that prints it), then in
the schema's `meta.section`; table rows belong to the activity list (activities, their other tables) or to
the monitoring report's readings. The titles are the specs' own, so an overridden spec retitles them too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

from toolkit import schema
from toolkit.documents import assemble
from toolkit.errors import ToolkitError

_INDEX = re.compile(r"\[\d+\]")
# a section id's first part -> the document kind whose spec has it (annex.* is the plan's annex)
_KINDS = {"plan": "plan", "annex": "plan", "monitoring": "monitoring", "activity_list": "activity-list"}
_READINGS = "monitoring.B.2.1"  # the readings (活動量) of the monitoring report


def section_title(key: str, data: Mapping | None = None, overrides: Path | None = None) -> tuple[str, str]:
    """(document kind, "number title") of a section id or a data path; ("", "") when no document shows it.

    `data` (the project's) picks the plan's spec (standard or program) and the tables of its methodology;
    `overrides` is the project's templates/ folder.
    """
    if not key:
        return "", ""
    data = data or {}
    section = key if _is_section(key) else section_of(key, data, overrides)
    kind = _KINDS.get(section.split(".")[0], "")
    if not kind:
        return "", ""
    titles = _titles(assemble.spec_name(kind, schema.project_type(data)), overrides)
    return kind, titles.get(section, section)


def section_of(path: str, data: Mapping | None = None, overrides: Path | None = None) -> str:
    """The section id that shows a data path: a table row's (from the schema, no spec read), else the spec
    field that prints it, else the schema's section."""
    data = data or {}
    section = str(schema.field_meta(data, path).get("section", ""))
    table = path.split("[")[0] if "[" in path else ""
    if table:
        if _is_section(section):
            return section
        if table == "monitoring":
            return _READINGS
        return "activity_list" if table in schema.table_keys() else ""
    pattern = _INDEX.sub("[]", path)
    for kind in _KINDS.values():
        found = _fields(assemble.spec_name(kind, schema.project_type(data)), overrides).get(pattern)
        if found:
            return found
    return section if _is_section(section) else ""


def _is_section(key: str) -> bool:
    return "[" not in key and key.split(".")[0] in _KINDS and (key == "activity_list" or "." in key)


def _spec(name: str, overrides: Path | None) -> Mapping:
    try:
        return assemble.load_spec(name, overrides)[0]
    except ToolkitError:  # a broken override is reported where the document is built; here it has no titles
        return {"sections": []}


def _titles(name: str, overrides: Path | None) -> dict[str, str]:
    titles, parent = {}, ""
    for section in _spec(name, overrides)["sections"]:
        number, title = str(section.get("number") or ""), str(section.get("title") or "")
        if number.startswith("("):  # a subsection numbered (1), (2) reads with its section's number: B.2 (1)
            number = f"{parent} {number}".strip()
        elif number:
            parent = number
        titles[str(section["id"])] = f"{number} {title}" if number else title
    return titles


def _fields(name: str, overrides: Path | None) -> dict[str, str]:
    """Each data path a spec prints (indices as []) -> the first section that prints it."""
    found: dict[str, str] = {}
    for section in _spec(name, overrides)["sections"]:
        for block in section.get("blocks") or []:
            for entry in block.get("fields") or []:
                found.setdefault(_INDEX.sub("[]", str(entry["path"])), str(section["id"]))
    return found
