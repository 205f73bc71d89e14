"""Findings of the readiness checklist: what a verifier would send back, each with its rule, place and fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from toolkit import messages
from toolkit.problems import Location

SEVERITIES = ("blocking", "warning", "info")
DOCUMENTS = {"plan": "plan", "annex": "plan", "monitoring": "monitoring", "activity_list": "activity-list"}
# each document's title in both languages, from messages.py (checklist.document.*); "" is the inputs
DOCUMENT_TITLES = {
    document: messages.both("checklist.document." + (document or "inputs"))
    for document in ("plan", "monitoring", "activity-list", "")
}


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

    def as_json(self, lang: str = "ja") -> dict:
        """The finding as `jcredit check --json` lists it, its texts in `lang`."""
        return {
            "id": self.rule,
            "severity": self.severity,
            "path": self.path,
            "section": self.section,
            "document": self.document,
            "message": self.message(lang),
            "fix": self.fix(lang),
            "label": self.label_in(lang),
            "location": str(self.location) if self.location else "",
        }


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
