"""Which document and section shows a data path: `proponent.postal_code` -> 計画書「1.1 プロジェクト実施者」.

The one place that turns a data path or a section id (`plan.2.3`, `annex.A.2`, `monitoring.B.2`) into the
heading a reader sees; the diff and the checklist both name sections this way. Headings come from the
document specs (templates/documents/*.yaml); a field's section is its schema `meta.section`, else the first
section of the specs that lists the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Mapping

from toolkit import schema
from toolkit.documents import assemble

_INDEX = re.compile(r"\[[^\]]*\]")


@dataclass(frozen=True)
class Heading:
    """A section of a document as its reader sees it: the document kind, the spec's id, number and title."""

    document: str  # plan | activity-list | monitoring
    id: str  # plan.2.3, annex.A.2, monitoring.B.2 ...
    number: str  # "2.3", "A.2", "B.2", "" for a cover
    title: str  # 実施期間及びモニタリング計画

    def text(self) -> str:
        """「2.3 実施期間及びモニタリング計画」 as a heading reads: the number, a space, the title."""
        return f"{self.number} {self.title}" if self.number else self.title


@cache
def _headings(project_type: str | None, overrides: Path | None) -> tuple[dict, dict]:
    """(section id -> Heading, field path -> first section id listing it) of every document spec."""
    by_id: dict[str, Heading] = {}
    fields: dict[str, str] = {}
    for kind in assemble.kinds():
        spec, _ = assemble.load_spec(assemble.spec_name(kind, project_type), overrides)
        for section in spec["sections"]:
            number = str(section.get("number") or "")
            by_id.setdefault(section["id"], Heading(kind, section["id"], number, str(section["title"])))
            for block in section.get("blocks") or []:
                for entry in block.get("fields") or []:
                    fields.setdefault(str(entry["path"]), section["id"])
                if isinstance(block.get("table"), str):  # a data table shown whole (activities in 2.2)
                    fields.setdefault(str(block["table"]), section["id"])
    return by_id, fields


def of_section(
    section: str, project_type: str | None = None, overrides: Path | None = None
) -> Heading | None:
    """The heading of section id `section` in the documents of `project_type`; None for an id no spec has."""
    return _headings(project_type, overrides)[0].get(section)


def of_path(data: Mapping, path: str, overrides: Path | None = None) -> Heading | None:
    """The heading of the section that shows the field at `path` in a project with `data` (type and methodology
    are read from it): `activities[3].capacity_kw` -> the activity list; None for a path no document shows."""
    project_type = schema.project_type(data)
    by_id, fields = _headings(project_type, overrides)
    declared = schema.field_meta(data, path).get("section")
    if declared in by_id:
        return by_id[declared]
    bare = _INDEX.sub("", path)
    while bare:
        if bare in fields:
            return by_id[fields[bare]]
        bare = bare.rpartition(".")[0]
    return None
