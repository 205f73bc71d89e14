"""The readiness checklist: every missing field, failed rule and missing piece of evidence, before a verifier sees it.

Three sources, one list of findings:
- missing fields: the documents are built from their specs, and every 【未記入】 marker is a finding,
  so the checklist and the documents cannot disagree about what is missing;
- rules: domain.md §7 and the methodologies' own rules (rules_check.py), each with a stable id;
- evidence: each reading's evidence file exists inside the project; files nothing refers to.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Mapping

from toolkit import messages, schema
from toolkit.calculate.engine import Calculation
from toolkit.checklist import comments as review_comments
from toolkit.checklist import fixes
from toolkit.checklist import scheme_rules as rules_check
from toolkit.checklist.findings import DOCUMENT_TITLES, SEVERITIES, Checklist, Finding, document_of
from toolkit.documents import assemble as documents
from toolkit.documents.model import STAGES, Document, Remark
from toolkit.documents.sections import section_of
from toolkit.problems import Location, Problem
from toolkit.project import Project
from toolkit.read import overrides
from toolkit.read.hashing import sha256_many
from toolkit.validate.validation import Validation

EVIDENCE_FOLDER = "evidence"
REMARKS_PER_RULE = 10
DocumentSource = Callable[[str, str], Document]  # (kind, stage) -> the document whose markers are read
# The findings a draft lists at its end: its own, the inputs' ("") and, for the plan, its activity list's.
SHOWN_IN = {
    "plan": ("plan", "activity-list", ""),
    "activity-list": ("activity-list", ""),
    "monitoring": ("monitoring", "activity-list", ""),
}  # an ineligible activity's reduction is in the report


def of_invalid(validation: Validation, stage: str) -> Checklist:
    """Input errors only: fields, rules and evidence would read wrong data until they are fixed."""
    data = validation.project.data
    findings = [from_problem(problem, "V-INPUT", data=data) for problem in validation.errors]
    findings.append(Finding("C-SKIPPED", "info", "", "", None, "skipped", {"count": len(validation.errors)}))
    folder = overrides.folder(validation.project.root)
    return Checklist(
        stage,
        findings,
        {document: 0 for document in documents.kinds_at(stage)},
        [],
        validation.project.name,
        folder,
        data,
    )


def of_project(
    project: Project,
    calculation: Calculation | None,
    stage: str,
    findings: list[Finding],
    document: DocumentSource | None = None,
    also: Iterable[Problem] = (),
) -> Checklist:
    """Every finding of a valid project at `stage`; without a calculation the specs' fields still tell.

    `document(kind, stage)` gives the documents whose gap markers are the missing fields (the pipeline
    passes the ones it builds anyway, so each is built once); `also`: problems of another calculation a
    document of the stage shows (at verification, the plan's estimate), as blocking findings."""
    return _Checker(project, calculation, stage, document, tuple(also)).checklist(list(findings))


def of_calculation(calculation: Calculation, stage: str) -> Checklist:
    """The checklist of a project already calculated."""
    return of_project(calculation.project, calculation, stage, [])


def remarks(checklist: Checklist, kind: str, lang: str = "ja") -> list[Remark]:
    """A document's share of the findings other than empty fields (those are its own markers); past
    REMARKS_PER_RULE of one rule, one line counts the rest (12,000 missing meter slips are one problem)."""
    shown: list[Remark] = []
    more: dict[str, list[Finding]] = {}
    for finding in checklist.findings:
        if (
            finding.rule == "F-MISSING"
            or finding.rule in review_comments.RULES  # drawn as notes beside their fields instead
            or finding.severity == "info"
            or finding.document not in SHOWN_IN[kind]
        ):
            continue
        kept = more.setdefault(finding.rule, [])
        kept.append(finding)
        if len(kept) <= REMARKS_PER_RULE:
            shown.append(
                Remark(
                    finding.rule,
                    finding.severity,
                    finding.message(lang),
                    finding.fix(lang),
                    finding.path,
                    finding.section,
                )
            )
    for rule, found in more.items():
        if len(found) > REMARKS_PER_RULE:
            rest = len(found) - REMARKS_PER_RULE
            shown.append(
                Remark(
                    rule,
                    found[0].severity,
                    messages.render("remarks_more", lang, {"count": rest}),
                    messages.render("remarks_more_fix", lang, {}),
                    "",
                    found[0].section,
                )
            )
    return shown


class _Checker:
    def __init__(
        self,
        project: Project,
        calculation: Calculation | None,
        stage: str,
        document: DocumentSource | None = None,
        also: tuple[Problem, ...] = (),
    ):
        self.project, self.calculation, self.stage, self.also = project, calculation, stage, also
        self.document = document or self.built
        self.items: dict[str, int] = {}

    def count(self, document: str, items: int = 1) -> None:
        self.items[document] = self.items.get(document, 0) + items

    def checklist(self, findings: list[Finding]) -> Checklist:
        findings += self.missing_fields()
        # a factor looked up with an empty input is that input's gap, already blocking as F-MISSING
        gaps = any(finding.rule == "F-MISSING" for finding in findings)
        if self.calculation is not None:
            findings += [
                from_problem(
                    problem,
                    rules_check.rule_of(problem),
                    rules_check.severity_of(problem),
                    self.project.data,
                )
                for problem in (*self.calculation.problems, *self.also)
                if rules_check.applies(problem, self.stage) or problem in self.also
                if not (gaps and problem.params.get("empty_keys"))
            ]
            context = rules_check.Context(self.project, self.calculation, self.stage)
            findings += rules_check.run(context)
            for document, checked in context.checked.items():
                self.count(document, checked)
        evidence, found = self.evidence()
        findings += found + self.named_files() + review_comments.findings(self.project)
        items = {document: self.items.get(document, 0) for document in documents.kinds_at(self.stage)}
        kept, folder = _deduplicated(findings), overrides.folder(self.project.root)
        return Checklist(
            self.stage,
            kept,
            items,
            evidence,
            self.project.name,
            folder,
            self.project.data,
        )

    def missing_fields(self) -> list[Finding]:
        """Every required field still empty, exactly as the documents of this stage mark it."""
        found = []
        for kind in documents.kinds_at(self.stage):
            if self.calculation is None:  # the inputs do not calculate: the spec's own fields still tell
                missing = self.missing_spec_fields(kind)
            else:
                document = self.document(kind, self.stage)
                missing = document.open_items
                self.count(kind, document.required)
            for item in missing:
                label = {
                    "ja": item.label,
                    "en": schema.label(self.project.data, item.path).get("en", item.label),
                }
                location = self.project.locate(item.path)
                found.append(
                    Finding(
                        "F-MISSING",
                        "blocking",
                        item.path,
                        item.section,
                        location,
                        "missing_field",
                        {
                            "label": label,
                            "document": DOCUMENT_TITLES[document_of(item.section) or kind],
                            **fixes.params(self.project.data, item.path, location),
                        },
                        label,
                    )
                )
        return found

    def built(self, kind: str, stage: str) -> Document:
        """A document of this stage, without the blocks that cannot hold a gap (fast)."""
        return documents.build(
            kind,
            self.calculation,
            self.project.root,
            overrides.folder(self.project.root),
            stage=stage,
            with_evidence=False,
        )

    def missing_spec_fields(self, kind: str) -> list:
        spec, _ = documents.load_spec(
            documents.spec_of(kind, self.project.data), overrides.folder(self.project.root)
        )
        required = documents.required_fields(spec, self.stage)
        self.count(kind, len(required))
        return documents.static_missing(spec, self.project.data, self.stage)

    def named_files(self) -> list[Finding]:
        """Files the plan and the activity rows name (by-laws, certificates, drainage photos) exist: at registration
        the plan's, at verification every table's but the readings' (evidence() checks those)."""
        found = []
        named = [
            (path, value)
            for path, value in _file_fields(
                schema.project_schema(schema.project_type(self.project.data)), self.project.data, ""
            )
        ]
        if self.stage == "verification":
            for name, table in schema.tables_of(self.project.data).items():
                for index, row in enumerate(
                    self.project.data.get(name) or [] if name != "monitoring" else []
                ):
                    named += [
                        (f"{name}[{index}].{column}", row.get(column))
                        for column in table.file_columns
                        if row.get(column)
                    ]
        for path, relative in named:
            self.count(document_of(_section_of(self.project.data, path)) or "plan")
            if _inside(relative) and not os.path.isfile(os.path.join(self.project.root, relative)):
                found.append(
                    Finding(
                        "R-EVID-FILE",
                        "blocking",
                        path,
                        _section_of(self.project.data, path),
                        self.project.locate(path),
                        "evidence_not_found",
                        {"file": relative},
                        schema.label(self.project.data, path),
                    )
                )
        return found

    def evidence(self) -> tuple[list[dict], list[Finding]]:
        """Each reading's evidence files (its file columns): named, present, hashed; and files nobody names."""
        if STAGES.index(self.stage) < STAGES.index("verification"):
            return [], []
        tables = schema.tables_of(self.project.data)
        table = tables.get("monitoring")
        columns = table.file_columns if table else []
        root, found, named = self.project.root, [], []
        for index, reading in enumerate(self.project.data.get("monitoring") or []):
            for column in columns:
                path, relative = f"monitoring[{index}].{column}", reading.get(column)
                if relative and not _inside(relative):
                    continue  # validation reported it; nothing outside the project is ever read
                if relative:
                    named.append((path, relative))
                else:
                    found.append(
                        Finding(
                            "R-EVID-MONTH",
                            "blocking",
                            path,
                            "monitoring.B.5",
                            self.project.locate(path),
                            "evidence_missing",
                            {"activity": reading.get("activity_id", "")},
                            table.schema[column]["meta"]["label"],
                        )
                    )
        self.count("monitoring", len(named) + len(found))
        recorded = []
        for (path, relative), digest in zip(
            named, sha256_many(os.path.join(root, relative) for _, relative in named)
        ):
            if digest is None:
                found.append(
                    Finding(
                        "R-EVID-FILE",
                        "blocking",
                        path,
                        "monitoring.B.5",
                        self.project.locate(path),
                        "evidence_not_found",
                        {"file": relative},
                        table.schema[path.rsplit(".", 1)[-1]]["meta"]["label"],
                    )
                )
            else:
                recorded.append({"path": relative, "sha256": digest})
        referred = {os.path.normpath(relative) for _, relative in named} | _named_files(
            self.project.data, tables
        )
        for relative in _files_under(root, EVIDENCE_FOLDER):
            if os.path.normpath(relative) not in referred:
                found.append(
                    Finding(
                        "R-EVID-UNUSED",
                        "info",
                        "",
                        "monitoring.B.5",
                        Location(relative),
                        "evidence_unused",
                        {"file": relative},
                    )
                )
        return recorded, found


def from_problem(
    problem: Problem, rule: str, severity: str = "blocking", data: Mapping | None = None
) -> Finding:
    """A validation or calculation problem as a finding: its message is the problem's own; with the project's
    `data`, an input error at a field says where and in what form to correct it (fixes.py)."""
    code = f"problem.{rule}" if f"check.problem.{rule}" in messages.TEMPLATES else "problem"
    params: dict = {"message": {"ja": problem.message("ja"), "en": problem.message("en")}}
    if code == "problem" and data is not None and problem.path:
        code = "problem_field"
        params.update(fixes.params(data, problem.path, problem.location))
    section = problem.section or ""
    if not section and data is not None and "[" in problem.path:  # a reading's gap: the report's readings
        section = section_of(problem.path, data)
    return Finding(
        rule,
        severity,
        problem.path,
        section,
        problem.location,
        code,
        params,
        problem.label,
    )


def _deduplicated(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per gap: a rule's own finding wins over the bare empty-field one at the same path, and
    both win over the calculation's complaint about the same field."""
    findings = list(findings)
    ruled = {finding.path for finding in findings if finding.rule.startswith("R-") and finding.path}
    missing = {finding.path for finding in findings if finding.rule == "F-MISSING"} - ruled
    # a blocking complaint gives way only to a blocking finding (a warning about a factor's status must
    # not hide that the factor is missing: the document refuses --final for it)
    ruled_blocking = {
        finding.path
        for finding in findings
        if finding.rule.startswith("R-") and finding.path and finding.severity == "blocking"
    }
    seen: set[tuple] = set()
    kept = []
    for finding in findings:
        key = (
            (finding.rule, finding.path)
            if finding.rule[:2] in ("F-", "C-", "V-") and finding.path
            else (finding.rule, finding.path, finding.code, str(finding.params))
        )
        if (
            key in seen
            or (finding.rule == "F-MISSING" and finding.path in ruled)
            or (
                finding.rule[:2] in ("C-", "V-")
                # a rule that blocks at a path says all there is (its warning there too would say it twice);
                # a blocking complaint at an empty field is that field's gap
                and (
                    finding.path in ruled_blocking
                    or (finding.path in missing and finding.severity == "blocking")
                )
            )
        ):
            continue
        seen.add(key)
        kept.append(finding)
    order = {name: index for index, name in enumerate((*documents.kinds(), ""))}
    severity = {name: index for index, name in enumerate(SEVERITIES)}
    return sorted(
        kept,
        key=lambda f: (
            order.get(f.document, 9),
            _section_key(f.section),
            severity.get(f.severity, 9),
            f.location.sort_key() if f.location else ("",),
        ),
    )


def _section_key(section: str) -> tuple:
    """Sections in the order a document has them: plan.cover, plan.1.1 … plan.4, then the annex A.2, A.3."""
    head, _, rest = section.partition(".")
    parts = rest.split(".") if rest else []
    return (
        {"plan": 0, "annex": 1}.get(head, 2),
        head,
        *(
            (0, int(part), "") if part.isdigit() else (1 if part != "cover" else -1, 0, part)
            for part in parts
        ),
    )


def _file_fields(rules_schema: Mapping, data: Mapping, prefix: str) -> Iterable[tuple[str, str]]:
    """(dotted path, value) of every filled project.yaml field that names a file (inside_project)."""
    for key, rules in rules_schema.items():
        value = data.get(key) if isinstance(data, Mapping) else None
        if rules.get("inside_project") and isinstance(value, str) and value:
            yield f"{prefix}{key}", value
        elif (
            rules.get("type") == "dict"
            and isinstance(rules.get("schema"), Mapping)
            and isinstance(value, Mapping)
        ):
            yield from _file_fields(rules["schema"], value, f"{prefix}{key}.")


def _section_of(data: Mapping, path: str) -> str:
    row = path.split("[")[0] if "[" in path else None
    if row in schema.tables_of(data):
        return "activity_list" if row != "monitoring" else "monitoring.B.5"
    return schema.meta(schema.project_schema(schema.project_type(data)), path).get("section", "")


def _inside(relative) -> bool:
    """A relative path that stays in the project (symbolic links are checked by validation, which ran first)."""
    if not isinstance(relative, str):
        return False
    parts = relative.replace("\\", "/").split("/")
    return not os.path.isabs(relative) and ".." not in parts


def _files_under(root: Path, folder: str) -> list[str]:
    """Files under root/folder as project-relative POSIX paths (os.walk and strings: 120,000 files)."""
    base = os.path.join(root, folder)
    found = []
    for directory, _, names in os.walk(base):
        prefix = os.path.relpath(directory, root).replace(os.sep, "/")
        found += [f"{prefix}/{name}" for name in names if not name.startswith((".", "~$"))]
    return sorted(found)


def _named_files(data: Mapping, tables: Mapping) -> set[str]:
    """Files the project names outside the readings' own file columns: by-laws, certificates, history photos."""
    named: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            if "/" in value or "." in value:
                named.add(os.path.normpath(value))
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({key: value for key, value in data.items() if key not in tables})
    for name, table in tables.items():
        for row in data.get(name) or [] if table.file_columns else []:
            walk([row.get(column) for column in table.file_columns])
    return named
