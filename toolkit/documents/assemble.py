"""Document specs (templates/documents/*.yaml) and the document model built from them and a project.

A spec lists a document's sections with their numbers and titles; each section holds blocks:
`fields` (labelled data paths, each with the stage from which it is required), `text` (a short
Jinja snippet whose values come from `value(path)`), `table` and `chart` (computed blocks, see
computed.py). The PDF, DOCX and XLSX renderers and the checklist all walk the same spec.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from toolkit import packaged, schema
from toolkit.calculate.engine import Calculation
from toolkit.documents import computed, text
from toolkit.documents.model import (
    STAGES,
    Block,
    Document,
    FieldRow,
    Fields,
    Inline,
    Missing,
    Paragraph,
    Remark,
    Rows,
    Section,
    Table,
)
from toolkit.documents.text import clean, value_text
from toolkit.errors import TemplateError, ToolkitError
from toolkit.problems import Location, Problem
from toolkit.read.overrides import template

FACTS = ("activity_count", "methodology_name", "total_certified", "fiscal_years", "rules_version")
WINDOW = {
    "monitoring_report.period_start": 0,
    "monitoring_report.period_end": 1,
}  # shown as the calculation used them
_TOKEN = "\x00"


@cache
def _kinds() -> dict[str, str]:
    """Document kind -> its stage, in the order a project needs them: what the packaged specs declare."""
    found = []
    for path in sorted(Path(template("documents")).glob("*.yaml")):
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=packaged.SafeLoader)  # ours: the C parser
        if spec.get("per") == "member":  # a program member's papers (jcredit batch), not the project's
            continue
        found.append((STAGES.index(spec["stage"]), spec.get("order", 99), spec["kind"], spec["stage"]))
    return {kind: stage for _, _, kind, stage in sorted(found)}


def kinds() -> tuple[str, ...]:
    """The document kinds (plan, activity-list, monitoring), in the order a project needs them."""
    return tuple(_kinds())


def stage_of(kind: str) -> str:
    """The stage a document is written for (its spec's `stage`)."""
    return _kinds()[kind]


def kinds_at(stage: str) -> tuple[str, ...]:
    """The documents a stage needs: its own and every earlier stage's."""
    return tuple(kind for kind, own in _kinds().items() if STAGES.index(own) <= STAGES.index(stage))


class NotReady(ToolkitError):
    """Raised by `--final` while required fields are still empty."""


def spec_name(kind: str, project_type: str | None, methodology: str | None = None) -> str:
    """The spec file of a document: the plan has one per project type; a forest methodology (FO-001) has its
    own 森林管理プロジェクト用 plan and report."""
    if kind in ("plan", "monitoring") and _forest(methodology):
        return f"documents/{kind}_forest.yaml"
    if kind == "plan":
        return f"documents/plan_{'program' if project_type == 'program' else 'standard'}.yaml"
    return f"documents/{kind.replace('-', '_')}.yaml"


def spec_of(kind: str, data: Mapping) -> str:
    """The spec file of a document for a project's data (its type and methodology)."""
    return spec_name(kind, schema.project_type(data), schema.declared(data)[1])


def _forest(methodology: str | None) -> bool:
    from toolkit import methodologies

    return methodology in methodologies.codes() and bool(methodologies.get(methodology).FOREST)


class _Lined(str):
    """A YAML string that remembers its line, so a broken snippet is reported at its line in the spec."""

    line = 0


class _SpecLoader(yaml.SafeLoader):
    def construct_lined(self, node):
        text = _Lined(self.construct_scalar(node))
        # a block scalar (|) starts on the line after its indicator
        text.line = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
        return text


_SpecLoader.add_constructor("tag:yaml.org,2002:str", _SpecLoader.construct_lined)


def load_spec(name: str, overrides: Path | None = None) -> tuple[dict, Path]:
    """A spec and the file it came from (the project's override or the packaged one), parsed once per version
    of the file: a command that builds several documents reads each spec once."""
    path = template(name, overrides)
    try:
        stat = path.stat()
    except OSError as error:
        raise _template_error(path, None, str(error)) from error
    return _parsed_spec(path, stat.st_mtime_ns, stat.st_size), path


@lru_cache(maxsize=32)
def _parsed_spec(path: Path, mtime_ns: int, size: int) -> dict:
    """The spec at `path` (mtime and size key the cache; callers must not change what it returns)."""
    try:
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=_SpecLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _template_error(
            path, mark.line + 1 if mark else None, str(getattr(error, "problem", error))
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise _template_error(path, None, str(error)) from error
    problems = [text for text in _spec_problems(spec)]
    if problems:
        raise _template_error(path, None, "; ".join(problems))
    return spec


def _spec_problems(spec: Any) -> list[str]:
    if not isinstance(spec, dict) or not isinstance(spec.get("sections"), list):
        return ["expected a mapping with a list of sections"]
    found = []
    for index, section in enumerate(spec["sections"]):
        if not isinstance(section, dict) or not section.get("id") or not section.get("title"):
            found.append(f"sections[{index}]: expected id and title")
            continue
        for block in section.get("blocks") or []:
            kinds = [
                key
                for key in ("fields", "text", "table", "chart")
                if isinstance(block, dict) and key in block
            ]
            if len(kinds) != 1:
                found.append(
                    f"sections[{index}] ({section['id']}): each block needs one of fields, text, table, chart"
                )
            elif kinds[0] in ("table", "chart") and block[kinds[0]] not in computed.BUILDERS:
                found.append(
                    f"{section['id']}: unknown {kinds[0]} {block[kinds[0]]!r} "
                    f"(known: {', '.join(sorted(computed.BUILDERS))})"
                )
            for entry in (block.get("fields") or []) if isinstance(block, dict) else []:
                if isinstance(entry, dict) and isinstance(entry.get("fact"), str) and "path" not in entry:
                    if entry["fact"] not in FACTS:
                        found.append(
                            f"{section['id']}: unknown fact {entry['fact']!r} (known: {', '.join(sorted(FACTS))})"
                        )
                elif not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                    found.append(f"{section['id']}: each field needs a path or a fact")
                elif entry.get("required") not in (None, *STAGES):
                    found.append(
                        f"{section['id']} {entry['path']}: required must be one of {', '.join(STAGES)}"
                    )
    version = spec.get("form_version")
    if version is not None and (
        not isinstance(version, dict)
        or version.get("status") not in ("verified", "unverified", "third-party")
    ):
        found.append("form_version: expected {value, status: verified|unverified|third-party, source, field}")
    if spec.get("stage", "registration") not in STAGES:
        found.append(f"stage must be one of {', '.join(STAGES)}")
    for fmt, name in (spec.get("files") or {}).items():
        if (
            not isinstance(name, str)
            or Path(name).name != name
            or not name.endswith(f".{fmt}")
            or name.startswith(".")
        ):
            found.append(f"files.{fmt}: expected a plain file name ending in .{fmt}, found {name!r}")
    return found


def _template_error(path: Path, line: int | None, reason: str) -> TemplateError:
    where = Location(str(path), line)
    return TemplateError(f"{where}: {reason}", [Problem("template_broken", "", where, {"reason": reason})])


def required_fields(spec: Mapping, stage: str) -> list[tuple[str, str]]:
    """(section id, data path) of every field the spec requires at `stage`: what the checklist checks."""
    wanted = []
    for section in spec["sections"]:
        for block in section.get("blocks") or []:
            for entry in block.get("fields") or []:
                required = entry.get("required") if "path" in entry else None
                if required in STAGES and STAGES.index(required) <= STAGES.index(stage):
                    wanted.append((section["id"], entry["path"]))
    return wanted


def build_time() -> dt.datetime:
    """The build time documents carry: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def static_missing(spec: Mapping, data: Mapping, stage: str) -> list[Missing]:
    """The spec's required fields that are empty in `data`, without building the document (no calculation)."""
    builder = _Builder(spec, Path(), data, None, Path(), build_time(), stage)
    return [
        part
        for section in spec["sections"]
        for block in section.get("blocks") or []
        for entry in block.get("fields") or []
        if "path" in entry and entry["path"] not in WINDOW  # computed, never typed
        for part in builder.field(entry, section["id"]).value
        if isinstance(part, Missing)
    ]


def build(
    kind: str,
    calculation: Calculation,
    root: Path,
    overrides: Path | None = None,
    built: dt.datetime | None = None,
    final: bool = False,
    stage: str | None = None,
    with_evidence: bool = True,
    remarks: list[Remark] | None = None,
    listed: Rows | None = None,
) -> Document:
    """The document `kind` of a calculated project, finished with `remarks` (see `finish`).

    `stage` checks the document at another stage than its own (the checklist at verification also
    checks the plan); without `with_evidence` the blocks that cannot hold a gap are left out (fast).
    `listed`: the activities the activity table lists instead of the project's, with their crediting periods,
    produced at each pass (`computed.Context.listed`: a batch's list, too long to hold).
    """
    project = calculation.project
    data = project.data if project else {}
    spec, path = load_spec(spec_of(kind, data), overrides)
    builder = _Builder(
        spec, path, data, calculation, root, built or build_time(), stage, complete=with_evidence
    )
    builder.listed = listed
    style = (data.get("project") or {}).get("date_style") or "seireki"
    with text.date_style(style):  # every date the builder writes (periods, fiscal years) in one style
        document = builder.document(kind)
    document.date_style = style
    return finish(document, remarks or [], final, project.sources if project else None)


def build_member(
    name: str, data: Mapping, calculation: Calculation, overrides: Path | None, built: dt.datetime
) -> Document:
    """A member's document (spec `documents/<name>.yaml`, `per: member`) over `data`: the project's values
    and the member's under `member.*`; `calculation` is the project's, for the facts a snippet may quote."""
    spec, path = load_spec(f"documents/{name}.yaml", overrides)
    builder = _Builder(spec, path, data, calculation, Path(), built, complete=True)
    return builder.document(spec["kind"])


def finish(document: Document, remarks: list[Remark], final: bool, sources=None) -> Document:
    """A draft carries `remarks` (the checklist's other findings, its closing 審査前の確認事項); `final` refuses
    while a required field is empty or a blocking finding remains, naming each where `sources` can place it,
    and otherwise holds no remarks: a final document holds only what the form holds."""
    document.draft = not final
    # the closing 審査前の確認事項 are ours, not the form's: a final document (refused while one blocks) has none
    document.remarks = [] if final else list(remarks)
    blocking = [remark for remark in remarks if remark.severity == "blocking"]
    if final and (document.open_items or blocking):

        def where(path: str):
            return sources.locate(path) if sources and path else None

        raise NotReady(
            f"{len(document.open_items) + len(blocking)} items block the final document",
            [
                *(
                    Problem(
                        "document_missing",
                        item.path,
                        where(item.path),
                        {"document": document.title},
                        {"ja": item.label, "en": item.label},
                        item.section,
                    )
                    for item in document.open_items
                ),
                *(
                    Problem(
                        "document_blocked",
                        remark.path,
                        where(remark.path),
                        {"rule": remark.rule, "message": remark.text},
                        {},
                        remark.section,
                    )
                    for remark in blocking
                ),
            ],
        )
    return document


class _Builder:
    def __init__(
        self,
        spec: Mapping,
        path: Path,
        data: Mapping,
        calculation: Calculation | None,
        root: Path,
        built: dt.datetime,
        stage: str | None = None,
        complete: bool = True,
    ):
        self.spec, self.path, self.data, self.calculation, self.root = spec, path, data, calculation, root
        self.built, self.complete = built, complete
        self.stage = stage or spec.get("stage", "registration")
        self.schema = schema.project_schema(schema.project_type(data))
        self.snippets = _snippet_environment()
        self.listed: Rows | None = None  # see build

    def document(self, kind: str) -> Document:
        sections = []
        for entry in self.spec["sections"]:
            blocks: list[Block] = []
            for block in entry.get("blocks") or []:
                blocks += self.block(block, entry)
            sections.append(
                Section(
                    entry["id"],
                    str(entry.get("number", "")),
                    entry["title"],
                    blocks,
                    int(entry.get("level", 1)),
                    draft_only=bool(entry.get("draft_only")),
                )
            )
        date = self.lookup(self.spec.get("date", "")) if self.spec.get("date") else None
        document = Document(
            kind=kind,
            title=self.title(),
            project_name=clean(str(self.lookup("project.name") or "")),
            date=date if isinstance(date, dt.date) else self.built.date(),
            stage=self.stage,
            sections=sections,
            landscape=bool(self.spec.get("landscape")),
            files=dict(self.spec.get("files") or {}),
            workbook_title=self.spec.get("workbook_title", ""),
            built=self.built,
            complete=self.complete,
        )
        document.open_items = _open_items(document)
        document.required = len(required_fields(self.spec, self.stage))
        return document

    def title(self) -> str:
        """The form's title with its version (Ver.4.0): the one the user states in the spec's `form_version.field`
        (project.form_version), else the spec's own when verified; a form whose version nobody has confirmed is
        titled without one."""
        form = self.spec.get("form_version") or {}
        version = self.lookup(form["field"]) if form.get("field") else None
        if version in (None, "") and form.get("status") == "verified":
            version = form.get("value")
        number = re.sub(
            r"^\s*ver\.?\s*", "", clean(str(version or "")), flags=re.IGNORECASE
        )  # 「Ver.3.2」 typed
        return f"{self.spec['title']} Ver.{number}" if number.strip() else self.spec["title"]

    def block(self, block: Mapping, section: Mapping) -> list[Block]:
        if "fields" in block:
            return [Fields(tuple(self.field(entry, section["id"]) for entry in block["fields"]))]
        if "text" in block:
            return [Paragraph(self.text(block["text"], section["id"], block.get("required", self.stage)))]
        name = block.get("table") or block.get("chart")
        if not self.complete and name in computed.GAPLESS:
            return []
        options = {key: value for key, value in block.items() if key not in ("table", "chart")}
        context = computed.Context(
            self.data, self.calculation, self.root, self.stage, options, not self.complete, self.listed
        )
        made = computed.BUILDERS[name](context)
        if made is None:
            return []
        made = made if isinstance(made, list) else [made]
        for table in made:
            if isinstance(table, Table) and options.get("body") is False:
                table.body = False
        return made

    def lookup(self, path: str) -> Any:
        value: Any = self.data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if path in WINDOW and self.calculation is not None and self.calculation.period[WINDOW[path]]:
            return self.calculation.period[WINDOW[path]]  # the period the figures cover, whatever was typed
        return self.derived.get(path) if value in (None, "") else value

    @cached_property
    def derived(self) -> dict[str, Any]:
        """Values a document shows when the input leaves them empty: what the calculation used."""
        found: dict[str, Any] = {}
        form = self.spec.get("form_version") or {}
        if form.get("field") and form.get("status") == "verified" and form.get("value"):
            found[form["field"]] = str(form["value"])
        found.update(self.holder())
        found["project.activity_class"] = self.activity_class()
        if self.calculation is None:
            return found
        pieces = [piece for result in self.calculation.activities for piece in result.periods]
        crediting = [result.crediting for result in self.calculation.activities if result.crediting]
        window = self.calculation.period
        return {
            **found,
            "monitoring_report.period_start": window[0] or min((p.start for p in pieces), default=None),
            "monitoring_report.period_end": window[1] or max((p.end for p in pieces), default=None),
            "project.crediting_period.start": min((c[0] for c in crediting), default=None),
            "project.crediting_period.end": max((c[1] for c in crediting), default=None),
        }

    def holder(self) -> dict[str, Any]:
        """1.3's holder when left empty: the name a program gives (program.credit_holder); a holder that is the
        proponent itself (same name) has the proponent's kana and address."""
        program = self.data.get("program") if isinstance(self.data.get("program"), Mapping) else {}
        given = self.data.get("credit_holder") if isinstance(self.data.get("credit_holder"), Mapping) else {}
        name = given.get("name") or program.get("credit_holder")
        found: dict[str, Any] = {"credit_holder.name": name}
        proponent = self.data.get("proponent") if isinstance(self.data.get("proponent"), Mapping) else {}
        if name and name == proponent.get("name"):
            address = proponent.get("address") if isinstance(proponent.get("address"), Mapping) else {}
            found["credit_holder.name_kana"] = proponent.get("name_kana")
            found["credit_holder.postal_code"] = proponent.get("postal_code")
            for part in ("prefecture", "city", "street"):
                found[f"credit_holder.address.{part}"] = address.get(part)
        return found

    def activity_class(self) -> str | None:
        """2.1's 活動量の分類 when left empty: the monitoring plan's class of the methodology's first parameter."""
        from toolkit import methodologies

        code = schema.declared(self.data)[1]
        rows = self.data.get("monitoring_plan")
        rows = [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []
        if code in methodologies.codes():  # without the methodology (a gap of its own): the plan's first row
            first = methodologies.get(code).MONITORING[0].symbol
            rows = [row for row in rows if row.get("symbol") == first] + rows
        for row in rows:
            if row.get("method_class"):
                return f"{row['method_class']}（{row.get('symbol')}）"
        return None

    def label(self, path: str) -> str:
        return schema.label(self.data, path).get("ja", path)

    def field(self, entry: Mapping, section: str) -> FieldRow:
        if "path" not in entry:  # a computed value (the methodology's title ...): never a gap
            fact = self.facts().get(entry["fact"]) if self.calculation is not None else None
            return FieldRow(entry.get("label") or entry["fact"], (value_text(fact),))
        path = entry["path"]
        label = entry.get("label") or self.label(path)
        value = self.lookup(path)
        required = entry.get("required")
        needed = required in STAGES and STAGES.index(required) <= STAGES.index(self.stage)
        if value in (None, "") or (needed and schema.not_applicable_without_reason(value)):
            shown: Inline = Missing(label, path, section, required) if needed else value_text(None)
        else:
            choices = entry.get("choices") or {}
            coded = isinstance((schema.field_rules(self.schema, path) or {}).get("allowed"), list)
            shown = value_text(
                choices[value] if value in choices else schema.code_label(value) if coded else value
            )
        return FieldRow(label, (shown,), path, printed=entry.get("printed", True) is not False)

    def text(self, snippet: str, section: str, stage: str) -> tuple[Inline, ...]:
        """A narrative block: the snippet's own words, with every value it asks for as a separate part."""
        parts: list[Inline] = []

        def token(part: Inline) -> str:
            parts.append(part)
            return f"{_TOKEN}{len(parts) - 1}{_TOKEN}"

        def value(path: str, label: str | None = None) -> str:
            found = self.lookup(path)
            if found in (None, ""):
                return token(Missing(label or self.label(path), path, section, stage))
            return token(value_text(found))

        facts = {key: token(value_text(fact)) for key, fact in self.facts().items()}
        try:
            rendered = self.snippets.from_string(snippet).render(value=value, facts=facts)
        except Exception as error:  # a broken snippet in a spec: name the file and the line
            line = getattr(snippet, "line", 0) + (getattr(error, "lineno", None) or 1) - 1
            raise _template_error(self.path, line or None, f"{type(error).__name__}: {error}") from error
        pieces = rendered.strip().split(_TOKEN)
        return tuple(
            parts[int(piece)] if odd else piece
            for odd, piece in ((index % 2 == 1, piece) for index, piece in enumerate(pieces))
            if odd or piece
        )

    def facts(self) -> dict[str, Any]:
        """Computed values a snippet or a field may quote (facts.activity_count ...): the names in FACTS."""
        calculation = self.calculation
        from toolkit import methodologies

        module = methodologies.get(calculation.methodology)
        years = sorted(calculation.by_fiscal_year)
        return {
            "activity_count": len(calculation.activities),
            "methodology_name": module.NAME["ja"],
            "total_certified": calculation.total_certified,
            "fiscal_years": "、".join(text.fiscal_year_text(year) for year in years) if years else None,
            "rules_version": calculation.rules_version,
        }


def _snippet_environment():
    """Snippets come from specs, never from user data; values enter them only as opaque tokens."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _open_items(document: Document) -> list[Missing]:
    """Every marker in the document, in reading order, each once."""
    found: dict[str, Missing] = {}

    def take(value: Any) -> None:
        if isinstance(value, Missing):
            found.setdefault(value.path, value)

    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Fields):
                for row in block.rows:
                    for part in row.value:
                        take(part)
            elif isinstance(block, Paragraph):
                for part in block.parts:
                    take(part)
            elif isinstance(block, Table):
                for row in block.rows:
                    for value in row.values():
                        take(value)
    return list(found.values())
