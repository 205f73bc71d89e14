"""The fast row checker reports exactly what Cerberus reports, for every row schema we ship."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import methodologies, schema
from toolkit.validate.field_rules import CHECKS, Context, Validator
from toolkit.validate.rowcheck import NotCompilable, compile_rows, compile_table
from toolkit.validate.validation import _leaves, _rule_error

TABLES = [(code, name) for code in methodologies.codes() for name in schema.tables(code)]

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.decimals(-100, 100000, places=3, allow_nan=False, allow_infinity=False),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
    st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 1, 1)),
    st.sampled_from(
        [
            "",
            "PV-0001",
            "RD-1",
            "岐阜県",
            "岐阜",
            "x" * 120,
            "../outside.pdf",
            "evidence/a.pdf",
            "/etc/passwd",
            "PV 0001",
            "はい",
        ]
    ),
    st.text(max_size=8),
)


VALID = {
    "monitoring": [
        {
            "activity_id": "PV-0001",
            "period_start": dt.date(2025, 4, 1),
            "period_end": dt.date(2025, 4, 30),
            "generation_kwh": Decimal("512"),
            "sold_kwh": Decimal("300"),
            "self_consumption_kwh": None,
            "evidence": "evidence/meter/PV-0001_2025-04.pdf",
        }
    ]
}


def _cerberus(table, row, context):
    validator = Validator(table.schema, context=context)
    validator.validate(row)
    return sorted(map(repr, (_rule_error(error) for error in _leaves(validator._errors))))


def _fast(table, row, context):
    return sorted(map(repr, compile_rows(table.schema)(row, context)))


@pytest.mark.parametrize("code,name", TABLES)
def test_every_shipped_row_schema_compiles(code, name):
    compile_rows(schema.tables(code)[name].schema)


@pytest.mark.slow
@pytest.mark.parametrize("code,name", TABLES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fast_path_gives_the_same_errors_as_cerberus(code, name, data, tmp_path):
    table = schema.tables(code)[name]
    keys = list(table.schema) + ["unknown_column"]
    row = data.draw(st.dictionaries(st.sampled_from(keys), values, max_size=len(keys)))
    context = Context(tmp_path)
    assert _fast(table, row, context) == _cerberus(table, row, context)


@pytest.mark.slow
@pytest.mark.parametrize("code,name", TABLES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_table_check_gives_each_row_the_errors_of_the_row_check(code, name, data, tmp_path):
    """compile_table skips the columns that pass as a whole; what it reports is still, row by row and in
    order, what compile_rows reports: tables of valid rows with a few drawn ones among them."""
    table = schema.tables(code)[name]
    keys = list(table.schema) + ["unknown_column"]
    drawn = data.draw(
        st.lists(st.dictionaries(st.sampled_from(keys), values, max_size=len(keys)), max_size=4)
    )
    rows = [dict(row) for row in VALID.get(name, [{}])] * 5 + drawn
    rows = data.draw(st.permutations(rows))
    context = Context(tmp_path)
    by_row = [
        (index, found)
        for index, row in enumerate(rows)
        if (found := compile_rows(table.schema)(row, context))
    ]
    assert list(compile_table(table.schema)(rows, context)) == by_row


def test_one_bad_cell_in_a_long_clean_column_is_found(tmp_path):
    """The shortcut settles the 500 good readings at once and leaves the column with one bad value (a negative
    generation, an ID with a space) to the row check, which reports exactly that row's cell."""
    table = schema.tables("EN-R-002")["monitoring"]
    rows = [dict(VALID["monitoring"][0], activity_id=f"PV-{n:04d}") for n in range(500)]
    rows[321] = dict(rows[321], generation_kwh=Decimal("-5"))
    rows[400] = dict(rows[400], activity_id="PV 0400")
    found = list(compile_table(table.schema)(rows, Context(tmp_path)))
    assert [(index, [(error.path, error.rule) for error in errors]) for index, errors in found] == [
        (321, [(("generation_kwh",), "min"), (("sold_kwh",), "not_above")]),  # sold 300 > generation
        (400, [(("activity_id",), "format")]),
    ]


def test_only_the_rows_that_may_break_a_field_go_through_the_row_check(tmp_path, monkeypatch):
    """A bad slip path, an empty sold amount and a period ending before it starts, among 3,000 good readings:
    those three rows are checked row by row, not the 3,000 of their columns."""
    from toolkit.validate import rowcheck

    table = schema.tables("EN-R-002")["monitoring"]
    rows = [dict(VALID["monitoring"][0], activity_id=f"PV-{n:04d}") for n in range(3000)]
    rows[10] = dict(rows[10], evidence="../outside.pdf")
    rows[20] = dict(rows[20], sold_kwh=None)
    rows[30] = dict(rows[30], period_end=rows[30]["period_start"] - dt.timedelta(days=1))
    seen = []

    def counted(known, fields):
        check = row_check(known, fields)
        return lambda row, context: seen.append(row["activity_id"]) or check(row, context)

    row_check = rowcheck._row_check
    monkeypatch.setattr(rowcheck, "_row_check", counted)
    found = list(compile_table(table.schema)(rows, Context(tmp_path)))
    assert seen == ["PV-0010", "PV-0020", "PV-0030"]
    assert [index for index, _ in found] == [10, 30]  # an empty sold amount is allowed; the row check says so


def test_a_valid_row_has_no_errors(tmp_path):
    table = schema.tables("EN-R-002")["monitoring"]
    assert compile_rows(table.schema)(VALID["monitoring"][0], Context(tmp_path)) == []


def test_rules_the_fast_path_does_not_mirror_are_refused():
    with pytest.raises(NotCompilable):
        compile_rows({"x": {"type": "string", "regex": "a+"}})
    with pytest.raises(NotCompilable):
        compile_rows({"x": {"type": ["string", "integer"]}})


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_every_domain_rule_passes_an_empty_value(rule, tmp_path):
    """rowcheck skips our rules for None, which is right only while each of them passes None, whatever the
    rest of the row holds: every constraint our schemas give the rule, against rows whose other fields are
    dates, numbers, text or empty."""
    constraints = [
        constraint
        for table in (schema.tables(code)[name] for code, name in TABLES)
        for rules in table.schema.values()
        for name, constraint in rules.items()
        if name == rule
    ] or [True, "other"]
    others = [dt.date(2025, 4, 1), Decimal("12.5"), 3, "PV-0001", None]
    for constraint in constraints:
        for other in others:
            row = {field: other for field in (constraint, "other") if isinstance(field, str)}
            assert CHECKS[rule](constraint, None, row, Context(tmp_path)) is None, (constraint, other)


@pytest.mark.parametrize(
    "rules, values",
    [
        ({"type": "decimal", "fiscal_year": True}, [Decimal(2000), 2000]),  # equal, of two types
        ({"fiscal_year": True}, [True, 1]),
        ({"min": 0}, [float("nan"), -1]),  # NaN compares false with everything
    ],
)
def test_a_column_the_shortcut_cannot_settle_goes_row_by_row(rules, values, tmp_path):
    schema_ = {"x": rules}
    rows = [{"x": value} for value in values]
    context = Context(tmp_path)
    by_row = [
        (index, found) for index, row in enumerate(rows) if (found := compile_rows(schema_)(row, context))
    ]
    assert by_row and list(compile_table(schema_)(rows, context)) == by_row
