"""The schemas are complete: every field has its labels, section and help; every rule has a message."""

import re
from pathlib import Path

import pytest

from toolkit import messages, methodologies, schema
from toolkit.read import normalize

ROOT = Path(__file__).resolve().parent.parent


def _fields(rules_schema, prefix=""):
    for key, rules in rules_schema.items():
        yield f"{prefix}{key}", rules
        if isinstance(rules.get("schema"), dict):
            yield from _fields(rules["schema"], f"{prefix}{key}.")


def _all_schemas():
    for project_type in ("standard", "program"):
        yield f"project/{project_type}", schema.project_schema(project_type)
    for code in methodologies.codes():
        for name, table in schema.tables(code).items():
            yield f"{code}/{name}", table.schema


SCHEMAS = list(_all_schemas())


@pytest.mark.parametrize("name,rules_schema", SCHEMAS, ids=[name for name, _ in SCHEMAS])
def test_every_field_has_labels_section_and_help(name, rules_schema):
    for path, rules in _fields(rules_schema):
        meta = rules.get("meta", {})
        assert meta.get("section"), f"{name}:{path} has no section"
        assert set(meta) <= {"label", "help", "section", "unit", "optional", "plausible", "definition"}, (
            f"{name}:{path}: {sorted(meta)}"
        )
        for key in ("label", "help"):
            assert set(meta.get(key, {})) == {"ja", "en"}, f"{name}:{path} lacks {key} in ja and en"
            assert all(meta[key].values()), f"{name}:{path} has an empty {key}"


@pytest.mark.parametrize("name,rules_schema", SCHEMAS, ids=[name for name, _ in SCHEMAS])
def test_every_quantity_has_a_plausible_range(name, rules_schema):
    """1e18 or 1e300 kWh passes a `min: 0` and overflows the calculation: every number is bounded above."""
    for path, rules in _fields(rules_schema):
        if (
            rules.get("type") not in ("decimal", "integer")
            or rules.get("allowed")
            or rules.get("fiscal_year")
        ):
            continue
        bounded = "max" in rules or "plausible" in rules.get("meta", {})
        assert bounded, f"{name}:{path} has no plausible range"
        low, high = rules["meta"].get("plausible", (rules.get("min"), rules.get("max")))
        assert low is not None and high is not None and low < high <= 10**12, f"{name}:{path}"


def test_every_factor_table_has_a_plausible_range_its_rows_keep():
    from decimal import Decimal

    from toolkit.calculate import factors

    for table in factors.table_names():
        spec = factors.table_spec(table)
        low, high = (Decimal(str(bound)) for bound in spec["range"])
        assert low < high
        assert all(low <= Decimal(str(row["value"])) <= high for row in spec["rows"]), table


@pytest.mark.parametrize("name,rules_schema", SCHEMAS, ids=[name for name, _ in SCHEMAS])
def test_every_rule_used_has_a_message(name, rules_schema):
    silent = {"type", "nullable", "meta", "schema"}  # type has its own template; the rest never fail alone
    variants = {"inside_project": ("path_absolute", "path_escapes", "symlink_escapes")}
    for path, rules in _fields(rules_schema):
        for rule in rules:
            codes = variants.get(rule, (rule,))
            assert all(code in messages.TEMPLATES for code in codes) or rule in silent, (
                f"{name}:{path}: no message for {rule}"
            )
    assert "type" in messages.TEMPLATES


def test_every_normalisation_code_has_a_message():
    for code in normalize.NOTE_CODES + normalize.ERROR_CODES:
        assert code in messages.TEMPLATES


def test_every_type_used_has_a_name_in_both_languages():
    for name, rules_schema in SCHEMAS:
        for path, rules in _fields(rules_schema):
            assert set(messages.TYPE_NAMES[rules["type"]]) == {"ja", "en"}, f"{name}:{path}"


def test_message_templates_exist_in_both_languages():
    for code, (ja, en) in messages.TEMPLATES.items():
        assert ja and en, code


def test_table_columns_have_distinct_labels():
    for code in methodologies.codes():
        for table in schema.tables(code).values():
            labels = [schema.header_key(meta["label"]["ja"]) for _, meta in table.columns()]
            assert len(labels) == len(set(labels)), f"{code}/{table.name}"


def test_every_methodology_declares_activities_and_monitoring():
    for code in methodologies.codes():
        tables = schema.tables(code)
        assert {"activities", "monitoring"} <= set(tables)
        assert tables["activities"].key == "id"


@pytest.mark.parametrize(
    "code", ["AG-004", "AG-005", "EN-R-002", "EN-S-001", "EN-S-002", "EN-S-006", "FO-001"]
)
def test_a_monitored_fields_instruction_is_never_its_definition(code):
    """The monitoring plan prints each parameter's definition: a help that tells the person filling in the
    field what to do (計測していれば記入。空欄なら…) needs a `definition` of its own, in ja and en."""

    tables = schema.tables(code)
    for parameter in methodologies.get(code).MONITORING:
        meta = tables[parameter.table].schema.get(parameter.field, {}).get("meta", {})
        instruction = re.search("記入|空欄|対象外", (meta.get("help") or {}).get("ja", ""))
        if instruction or "definition" in meta:
            assert set(meta.get("definition") or {}) == {"ja", "en"}, f"{code} {parameter.symbol}"
            assert not re.search("記入|空欄", meta["definition"]["ja"]), f"{code} {parameter.symbol}"
