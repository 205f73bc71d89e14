"""Which document and section shows a data path or a section id: `proponent.postal_code` -> 「1.1 …」.

The one place that turns a data path or a section id (`plan.2.3`, `annex.A.2`, `monitoring.B.2`) into the
heading a reader sees; the checklist and the diff both name sections this way. Headings are the document
specs' own (templates/documents/*.yaml), so an overridden spec retitles them too; a subsection numbered (1),
(2) reads with its section's number: B.2 (1). A data path's section: a table row's is its schema
`meta.section` (else the readings of the monitoring report, or the activity list); another field's is the
first spec section that prints it, else its schema `meta.section`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Mapping

from toolkit import schema
from toolkit.documents import assemble
from toolkit.errors import ToolkitError

_INDEX = re.compile(r"\[[^\]]*\]")
_READINGS = "monitoring.B.2.1"  # the readings (活動量) of the monitoring report


@dataclass(frozen=True)
class Heading:
    """A section of a document as its reader sees it: the document kind, the spec's id, number and title."""

    document: str  # plan | activity-list | monitoring
    id: str  # plan.2.3, annex.A.2, monitoring.B.2 ...
    number: str  # "2.3", "A.2", "B.2 (1)", "" for a cover
    title: str  # 実施期間及びモニタリング計画

    def text(self) -> str:
        """「2.3 実施期間及びモニタリング計画」 as a heading reads: the number, a space, the title."""
        return f"{self.number} {self.title}" if self.number else self.title


@cache
def _headings(project_type: str | None, overrides: Path | None) -> tuple[dict, dict]:
    """(section id -> Heading, field path with [] -> first section id printing it) of every document spec."""
    by_id: dict[str, Heading] = {}
    fields: dict[str, str] = {}
    for kind in assemble.kinds():
        try:
            spec, _ = assemble.load_spec(assemble.spec_name(kind, project_type), overrides)
        except (
            ToolkitError
        ):  # a broken override is reported where its document is built; here it has no titles
            continue
        parent = ""
        for section in spec["sections"]:
            number = str(section.get("number") or "")
            if number.startswith("("):
                number = f"{parent} {number}".strip()
            elif number:
                parent = number
            by_id.setdefault(section["id"], Heading(kind, section["id"], number, str(section["title"])))
            for block in section.get("blocks") or []:
                for entry in block.get("fields") or []:
                    if "path" in entry:  # not a computed fact (methodology_name ...)
                        fields.setdefault(_INDEX.sub("[]", str(entry["path"])), section["id"])
                if isinstance(block.get("table"), str):  # a data table shown whole (activities in 2.2)
                    fields.setdefault(str(block["table"]), section["id"])
    return by_id, fields


def of_section(
    section: str, project_type: str | None = None, overrides: Path | None = None
) -> Heading | None:
    """The heading of section id `section` in the documents of `project_type`; None for an id no spec has."""
    return _headings(project_type, overrides)[0].get(section)


def section_of(path: str, data: Mapping | None = None, overrides: Path | None = None) -> str:
    """The section id that shows the field at `path` in a project with `data`; "" when no document shows it."""
    data = data or {}
    by_id, fields = _headings(schema.project_type(data), overrides)
    declared = str(schema.field_meta(data, path).get("section", ""))
    if "[" in path.split(".")[0]:  # a table row
        if declared in by_id:
            return declared
        table = path.split("[")[0]
        if table == "monitoring":
            return _READINGS
        return "activity_list" if table in schema.table_keys() else ""
    pattern = _INDEX.sub("[]", path)
    while pattern:
        if pattern in fields:
            return fields[pattern]
        pattern = pattern.rpartition(".")[0]
    return declared if declared in by_id else ""


def of_path(data: Mapping, path: str, overrides: Path | None = None) -> Heading | None:
    """The heading of the section that shows the field at `path`: `activities[3].capacity_kw` -> the activity
    list; None for a path no document shows."""
    section = section_of(path, data, overrides)
    return of_section(section, schema.project_type(data or {}), overrides) if section else None


def section_title(key: str, data: Mapping | None = None, overrides: Path | None = None) -> tuple[str, str]:
    """(document kind, "number title") of a section id or a data path; ("", "") when no document shows it."""
    if not key:
        return "", ""
    data = data or {}
    heading = of_section(key, schema.project_type(data), overrides) or of_path(data, key, overrides)
    return (heading.document, heading.text()) if heading else ("", "")
