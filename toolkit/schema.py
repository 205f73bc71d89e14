"""The packaged YAML schemas, composed per project type and methodology, and their field metadata."""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Mapping

from toolkit import methodologies
from toolkit.packaged import load

_INDEX = re.compile(r"\[\d+\]")
# An answer that the field does not apply. 「なし」 (none) is not one: it answers the question (補助金: なし),
# and a rule that needs something named (a subsidy, a plan id) checks for that itself.
NOT_APPLICABLE = ("該当なし", "対象外", "not applicable", "n/a", "na", "-", "—", "ー")
NONE = ("なし", "無し", "none")  # an answer that there is nothing to name
_SEPARATORS = " 　:：、,（()）-—"


def _answer(value: Any) -> str:
    return value.strip().rstrip("。.").lower() if isinstance(value, str) else ""


def _leading(text: str, words) -> str | None:
    """What follows the first of `words` that `text` starts with as a word (「該当なし：理由」, not 「nagoya」)."""
    for word in words:
        rest = text[len(word) :] if text.startswith(word) else None
        if rest is not None and (not rest or rest[0] in _SEPARATORS):
            return rest
    return None


def not_applicable(value: Any) -> bool:
    """The answer says the field does not apply (「該当なし」, 「対象外：理由」, n/a ...), with or without a reason."""
    return _leading(_answer(value), NOT_APPLICABLE) is not None


def not_applicable_without_reason(value: Any) -> bool:
    """「該当なし」 alone is not an answer: a required field may say so only with its reason (該当なし：…);
    「該当なし：」 with nothing after it is no reason either."""
    rest = _leading(_answer(value), NOT_APPLICABLE)
    return rest is not None and not rest.strip(_SEPARATORS)


def names_nothing(value: Any) -> bool:
    """The answer names nothing: empty, 「なし（…）」 / none, or not applicable."""
    text = _answer(value) if isinstance(value, str) else str(value or "").strip().lower()
    return not text or _leading(text, NONE) is not None or not_applicable(text)


PERIOD_KEY = ("activity_id", "period_start", "period_end")  # a reading is its activity and its period


@dataclass(frozen=True)
class Table:
    """A table of rows (activities, readings ...): its sheet, default file, key column and row schema."""

    name: str
    sheet: Mapping[str, str]
    file: str
    key: str | None
    schema: Mapping[str, Any]
    required: bool = False  # reported when no file or sheet holds it

    def columns(self) -> list[tuple[str, Mapping]]:
        """Each column's key with its `meta` (label, help, section ...), in schema order."""
        return [(key, rules.get("meta", {})) for key, rules in self.schema.items()]

    @cached_property
    def key_columns(self) -> tuple[str, ...]:
        """The columns that name a row wherever it stands: the key column, else a reading's activity and period;
        none for a table whose rows are known only by their place."""
        if self.key in self.schema:
            return (self.key,)
        return PERIOD_KEY if all(column in self.schema for column in PERIOD_KEY) else ()

    @cached_property
    def file_columns(self) -> list[str]:
        """The columns that name a file inside the project (evidence, certificates, photos)."""
        return [key for key, rules in self.schema.items() if rules.get("inside_project")]

    @cached_property
    def headers(self) -> dict[str, str]:
        """Column key by header as compared (`header_key`): the key itself and every label name it."""
        lookup = {}
        for key, meta in self.columns():
            lookup[header_key(key)] = key
            for label in meta.get("label", {}).values():
                lookup[header_key(label)] = key
        return lookup


def project_schema(project_type: str | None) -> dict:
    """The Cerberus schema of project.yaml for `project_type`; with the type unknown, both types' keys are
    allowed (the empty type is the one problem to report, not every key that depends on it)."""
    schema = copy.deepcopy(load("project.yaml"))
    for known in ("standard", "program"):
        if project_type in (known, None) or project_type not in ("standard", "program"):
            schema.update(copy.deepcopy(load(f"{known}.yaml")))
    return _prepared(schema)


@cache
def table_keys() -> frozenset[str]:
    """Every table name any methodology declares: these project.yaml keys hold rows, not fields."""
    return frozenset(name for code in methodologies.codes() for name in tables(code))


@cache
def tables(code: str) -> dict[str, Table]:
    """The tables a methodology's projects hold, keyed by name (activities, monitoring ...), then the common ones."""
    declared = {**load("methodologies/" + methodologies.get(code).SCHEMA), **load("tables.yaml")}
    return {
        name: Table(
            name,
            spec["sheet"],
            spec["file"],
            spec.get("key"),
            _prepared(copy.deepcopy(spec["schema"])),
            spec.get("required", name in ("activities", "monitoring")),
        )
        for name, spec in declared.items()
    }


def declared(data: Mapping) -> tuple[str | None, str | None]:
    """The project type and methodology code a project's data declares, if readable."""
    project = data.get("project")
    project = project if isinstance(project, Mapping) else {}
    methodology = project.get("methodology")
    methodology = methodology if isinstance(methodology, Mapping) else {}
    return _stripped(project.get("type")), _stripped(methodology.get("code"))


def project_type(data: Mapping) -> str | None:
    """The project type, or with it empty the one its data implies (a `program:` block, a `site:` block)."""
    declared = (data.get("project") or {}).get("type") if isinstance(data.get("project"), Mapping) else None
    if declared in ("standard", "program"):
        return declared
    return "program" if data.get("program") else "standard" if data.get("site") else None


def tables_of(data: Mapping) -> dict[str, Table]:
    """The tables of the methodology a project declares; none when the code is missing or unknown."""
    code = declared(data)[1]
    return tables(code) if code in methodologies.codes() else {}


def code_label(value: Any) -> Any:
    """How a document prints a code of an `allowed` list (heavy_oil_a -> A重油); other values unchanged."""
    if isinstance(value, str):
        return load("lists.yaml")["code_labels"].get(value, value)
    return value


def _stripped(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _prepared(schema: dict) -> dict:
    """Draft mode: every field may be empty; named code lists are expanded."""
    lists = load("lists.yaml")
    for rules in schema.values():
        rules["nullable"] = True
        if isinstance(rules.get("allowed"), str):
            rules["allowed"] = lists[rules["allowed"]]
        if isinstance(rules.get("schema"), dict):
            _prepared(rules["schema"])
    return schema


def field_rules(schema: Mapping, path: str) -> Mapping | None:
    """The rules of the field at dotted `path` (`proponent.address.city`, `activities[3].id` in a row schema)."""
    rules: Mapping | None = None
    level: Mapping | None = schema
    for part in _INDEX.sub("", path).split("."):
        if level is None or part not in level:
            return None
        rules = level[part]
        level = rules.get("schema") if isinstance(rules.get("schema"), Mapping) else None
    return rules


def field_meta(data: Mapping, path: str) -> Mapping:
    """The metadata (label, unit, section, help) of the field at dotted `path` in a project's data: a row
    field (`activities[3].commissioned_on`) from its table's schema, any other from project.yaml's."""
    head = path.split("[", 1)[0].split(".", 1)[0]
    tables = tables_of(data)
    if head in tables:
        column = path.rsplit(".", 1)[-1] if "]." in path else ""
        return tables[head].schema.get(column, {}).get("meta", {})
    return meta(_shared_project_schema(project_type(data)), path)


def label(data: Mapping, path: str) -> Mapping[str, str]:
    """The field's label in ja and en ({} for a path no schema declares)."""
    return field_meta(data, path).get("label", {})


@cache
def _shared_project_schema(project_type: str | None) -> dict:
    """project_schema for reading metadata only (one copy, never handed to Cerberus)."""
    return project_schema(project_type)


def meta(schema: Mapping, path: str) -> Mapping:
    """The metadata (label, unit, section, help) of the field at dotted `path` in a schema."""
    rules = field_rules(schema, path)
    return rules.get("meta", {}) if rules else {}


def header_key(text: Any) -> str:
    """How headers are compared: NFKC, no spaces, case-folded (発電量（ｋＷｈ） == 発電量(kWh))."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()
