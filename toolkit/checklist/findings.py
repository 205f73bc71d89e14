"""Findings of the readiness checklist: what a verifier would send back, each with its rule, place and fix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from toolkit import messages
from toolkit.documents.sections import section_title
from toolkit.problems import Location

SEVERITIES = ("blocking", "warning", "info")
DOCUMENTS = {"plan": "plan", "annex": "plan", "monitoring": "monitoring", "activity_list": "activity-list"}
# each document's title in both languages, from messages.py (checklist.document.*); "" is the inputs
DOCUMENT_TITLES = {
    document: messages.both("checklist.document." + (document or "inputs"))
    for document in ("plan", "monitoring", "activity-list", "")
}


_INDEX = re.compile(r"\[\d+\]")


def document_of(section: str) -> str:
    """The document a section id belongs to: plan.1.1 and annex.A.3 -> plan, monitoring.B.2 -> monitoring."""
    return DOCUMENTS.get(section.split(".")[0], "")


@dataclass(frozen=True)
class Finding:
    """One open item. `rule` is stable (R-ELIG-2Y, F-MISSING ...); the message and fix come from messages.py."""

    rule: str
    severity: str  # blocking | warning | info
    path: str
    section: str
    location: Location | None
    code: str  # the message template: messages.TEMPLATES["check." + code] and ["fix." + code]
    params: Mapping[str, Any] = field(default_factory=dict)
    label: Mapping[str, str] = field(default_factory=dict)

    @property
    def document(self) -> str:
        """The document of the finding's section (plan, monitoring, activity-list); "" for the inputs."""
        return document_of(self.section)

    def message(self, lang: str = "ja") -> str:
        """What is wrong, from the catalogue's `check.<code>` template in `lang`."""
        return messages.render("check." + self.code, lang, self.params)

    def fix(self, lang: str = "ja") -> str:
        """What to do about it, from the catalogue's `fix.<code>` template in `lang`."""
        return messages.render("fix." + self.code, lang, self.params)

    def label_in(self, lang: str = "ja") -> str:
        """The field's label in `lang`, else in Japanese, else ""."""
        return self.label.get(lang) or self.label.get("ja") or ""

    @property
    def pattern(self) -> str:
        """The path with its row numbers as [*]: the findings of one rule at one column of many rows share it."""
        return _INDEX.sub("[*]", self.path)

    def as_json(self, lang: str = "ja", section_title: str = "") -> dict:
        """The finding as `jcredit check --json` lists it, its texts in `lang`."""
        return {
            "id": self.rule,
            "severity": self.severity,
            "path": self.path,
            "section": self.section,
            "section_title": section_title,
            "document": self.document,
            "message": self.message(lang),
            "fix": self.fix(lang),
            "label": self.label_in(lang),
            "location": str(self.location) if self.location else "",
        }


@dataclass(frozen=True)
class Group:
    """The findings of one rule at one field over many rows (24 missing evidence files): one line, all rows."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        """The first finding: its severity, section, label and fix are the group's."""
        return self.findings[0]

    @property
    def count(self) -> int:
        """How many findings (rows) the group holds."""
        return len(self.findings)

    @property
    def path(self) -> str:
        """The one path of a single finding, the path pattern (monitoring[*].evidence) of a group."""
        return self.first.path if self.count == 1 else self.first.pattern

    @property
    def key(self) -> str:
        """A stable name of the line across runs (what a coach's status and comment are saved under)."""
        return f"{self.first.rule} {self.path or self.first.code}"


def grouped(findings: list[Finding]) -> list[Group]:
    """The findings of one rule, code, severity and section at the same field of different rows (or with no
    field) as one group each, in the order of their first finding; other findings are groups of one."""
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        key = (finding.rule, finding.code, finding.severity, finding.section, finding.pattern)
        if finding.path and finding.pattern == finding.path:
            key += (finding.path, id(finding))  # a field of its own (not a row's): never grouped
        groups.setdefault(key, []).append(finding)
    return [Group(tuple(found)) for found in groups.values()]


@dataclass
class Checklist:
    """Every finding at one stage, with how many required items each document has and how many are met."""

    stage: str
    findings: list[Finding]
    items: dict[str, int]  # document -> required items checked (fields, rule checks, evidence files)
    evidence: list[dict] = field(
        default_factory=list
    )  # {"path", "sha256"} of every evidence file referred to
    project: str = ""  # the project's name, for the report's title
    overrides: Path | None = (
        None  # the project's templates/ folder, if it has one (the HTML page may be overridden)
    )
    data: Mapping | None = field(default=None, repr=False)  # the project's data: which plan, which tables
    _titles: dict[str, str] | None = field(default=None, init=False, repr=False)

    @property
    def titles(self) -> dict[str, str]:
        """Each section of a finding -> its number and title as the documents print them
        (plan.2.3 -> 2.3 実施期間及びモニタリング計画); read from the specs the first time a form asks."""
        if self._titles is None:
            sections = sorted({finding.section for finding in self.findings if finding.section})
            titles = {section: section_title(section, self.data, self.overrides)[1] for section in sections}
            self._titles = {section: title for section, title in titles.items() if title}
        return self._titles

    def section_title(self, section: str) -> str:
        """A section's number and title as the document prints it; its id when no document names it."""
        return self.titles.get(section) or section

    @property
    def ready(self) -> bool:
        """Ready for the stage when no finding is blocking; warnings and info do not hold it back."""
        return not any(finding.severity == "blocking" for finding in self.findings)

    def blocking(self, document: str | None = None) -> list[Finding]:
        """The blocking findings, of one document or (None) of all."""
        return [
            finding
            for finding in self.findings
            if finding.severity == "blocking" and (document is None or finding.document == document)
        ]

    def score(self, document: str | None = None) -> float:
        """Share of required items met: 1.0 when nothing is blocking."""
        total = self.items.get(document, 0) if document is not None else sum(self.items.values())
        failed = len(self.blocking(document))
        total = max(total, failed)
        return round(1 - failed / total, 3) if total else 1.0
