"""Fast checks for flat row schemas (activities, readings) that report exactly what Cerberus reports.

Cerberus costs about 130 µs a row; a 120,000-row program needs far less. The schema stays the one
definition: `compile_rows` works each field's rules out once (its type test, then its other rules in
Cerberus' order: nullable, type, the rest as listed) and returns one closure that walks those per-field
specs for every row. A schema with any other rule is refused and the caller falls back to Cerberus.
tests/validate/test_rowcheck.py proves both paths give the same errors.
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from typing import Any, Callable, Iterator, NamedTuple

from toolkit.read.confine import all_inside_project
from toolkit.validate.field_rules import CHECKS, Context

# type name -> (the types accepted, the types refused although they are subclasses)
PYTHON_TYPES = {
    "string": ((str,), ()),
    "integer": ((int,), (bool,)),
    "decimal": ((Decimal, int), (bool,)),
    "date": ((dt.date,), (dt.datetime,)),
    "boolean": ((bool,), ()),
}
BUILTIN_RULES = ("type", "nullable", "allowed", "min", "max", "minlength", "maxlength", "meta")
_MISSING = object()


class RuleError(NamedTuple):
    """One broken rule: the field path, the rule, its constraint, the value, extra message parameters."""

    path: tuple
    rule: str
    constraint: Any
    value: Any
    params: dict


class NotCompilable(Exception):
    """Raised when a schema uses a rule the fast path does not mirror."""


Check = Callable[[dict, Context], "list[RuleError]"]


def compile_rows(schema: dict) -> Check:
    """One function checking a row dict against `schema`, as `field_rules.Validator` would."""
    return _row_check(frozenset(schema), [_field(name, rules) for name, rules in schema.items()])


def compile_table(schema: dict) -> Callable[[list, Context], Iterator[tuple[int, list[RuleError]]]]:
    """One function checking a table (a list of row dicts) against `schema`: (row index, its errors) for each
    row with errors, the same errors in the same order as `compile_rows` row by row.

    A column whose every value passes at once is not looked at row by row: its types by one set, min and max
    by the builtins, the other rules once per distinct value. Any doubt (a rule that reads the rest of the
    row, a type or a comparison the shortcut does not settle) leaves the column to the row-by-row check."""
    known = frozenset(schema)
    fields = [_field(name, rules) for name, rules in schema.items()]

    def check_table(rows: list, context: Context) -> Iterator[tuple[int, list[RuleError]]]:
        plain_rows = all(type(row) is dict for row in rows)  # noqa: E721 - what the shortcut reads
        slow = [spec for spec in fields if not (plain_rows and _column_passes(spec, rows, context))]
        if not slow and plain_rows and all(map(known.issuperset, rows)):
            return  # every column passed and no row has a field the schema lacks
        check = _row_check(known, slow)
        for index, row in enumerate(rows):
            found = check(row, context)
            if found:
                yield index, found

    return check_table


# our rules that read the value alone (not the rest of the row): the shortcut may run them once per value
_VALUE_ONLY = frozenset({"format", "fiscal_year", "inside_project", "methodology"})
_NO_ROW: dict = {}
# our rules that compare the value with another field of its row, when both columns hold only these types:
# value broken where compare(value, other) (field_rules.check_not_before, check_not_above)
_PAIRED = {
    "not_before": (frozenset({dt.date}), operator.lt),
    "not_above": (frozenset({Decimal, int}), operator.gt),
}


def _column_passes(spec: tuple, rows: list[dict], context: Context) -> bool:
    """Whether every row passes the field `spec` (see _field), settled without a call per row."""
    name, _, nullable, plain, _, _, type_name, checks = spec
    column = [row.get(name, _MISSING) for row in rows]
    kinds = set(map(type, column))
    kinds.discard(object)  # _MISSING: the row lacks the field
    if type(None) in kinds:
        if not nullable:
            return False
        kinds.discard(type(None))
    if type_name and not kinds <= plain:  # a subclass or another type: row by row decides
        return False
    if not checks or not kinds:
        return True
    try:
        distinct = {value for value in column if value is not None and value is not _MISSING}
        return all(_rule_passes(check, column, distinct, rows, context) for check in checks)
    except TypeError:  # unhashable values, or a comparison Cerberus would skip value by value
        return False


def _rule_passes(check: tuple, column: list, distinct: set, rows: list[dict], context: Context) -> bool:
    """Whether no value of the column breaks one rule (see _field's checks), settled for the whole column."""
    ours, test, constraint, rule = check
    if rule == "inside_project":
        return not constraint or all_inside_project(distinct, context)
    if ours and rule in _PAIRED:
        return _pair_passes(column, rows, constraint, *_PAIRED[rule])
    if ours:
        return rule in _VALUE_ONLY and all(
            test(constraint, value, _NO_ROW, context) is None for value in distinct
        )
    if rule == "min":
        return not min(distinct) < constraint
    if rule == "max":
        return not max(distinct) > constraint
    return not any(test(value, constraint) for value in distinct)


def _pair_passes(column: list, rows: list[dict], other: str, kinds: frozenset, broken) -> bool:
    """Whether no row breaks a rule comparing the column with field `other`, when every row holds both, of
    `kinds` (a row lacking either would pass, but is left to the row check rather than picked out here)."""
    others = [row.get(other, _MISSING) for row in rows]
    if not set(map(type, column)) <= kinds or not set(map(type, others)) <= kinds:
        return False
    return not any(map(broken, column, others))


def _row_check(known: frozenset, fields: list[tuple]) -> Check:
    """The row-by-row check of `fields` (see _field), unknown fields first, as Cerberus reports them."""

    def check(row: dict, context: Context) -> list[RuleError]:
        found: list[RuleError] = []
        if not known.issuperset(row):
            found += [RuleError((n,), "unknown_field", None, v, {}) for n, v in row.items() if n not in known]
        for name, path, nullable, plain, accepted, refused, type_name, checks in fields:
            v = row.get(name, _MISSING)
            if v is _MISSING:
                continue
            if v is None:  # Cerberus runs our rules on None too, but every one of them passes None
                if not nullable:
                    found.append(RuleError(path, "nullable", False, v, {}))
                continue
            if not (type(v) in plain or (isinstance(v, accepted) and not isinstance(v, refused))):
                found.append(RuleError(path, "type", type_name, v, {}))
                continue
            for ours, test, constraint, rule in checks:
                if ours:
                    params = test(constraint, v, row, context)
                    if params is not None:
                        found.append(RuleError(path, rule, constraint, v, params))
                    continue
                try:
                    if test(v, constraint):
                        found.append(RuleError(path, rule, constraint, v, {}))
                except TypeError:  # Cerberus skips a comparison the value does not support
                    pass
        return found

    return check


def _field(name: str, rules: dict) -> tuple:
    """What `check` needs of one field, worked out once."""
    unknown = set(rules) - set(BUILTIN_RULES) - set(CHECKS)
    type_name = rules.get("type")
    if unknown or isinstance(type_name, list) or (type_name and type_name not in PYTHON_TYPES):
        raise NotCompilable(f"{name}: {sorted(unknown) or type_name}")
    # (ours?, the test, its constraint, the rule), in the schema's order: Cerberus' order
    checks = [
        (rule in CHECKS, CHECKS.get(rule) or _BROKEN[rule], constraint, rule)
        for rule, constraint in rules.items()
        if rule not in ("type", "nullable", "meta")
    ]
    accepted, refused = PYTHON_TYPES[type_name] if type_name else ((object,), ())
    plain = frozenset(kind for kind in accepted if kind is not object)  # exact types: no isinstance needed
    return (name, (name,), rules.get("nullable", False), plain, accepted, refused, type_name, checks)


# built-in rule -> whether the value breaks it
_BROKEN = {
    "allowed": lambda v, c: v not in c,
    "min": operator.lt,
    "max": operator.gt,
    "minlength": lambda v, c: hasattr(v, "__len__") and len(v) < c,
    "maxlength": lambda v, c: hasattr(v, "__len__") and len(v) > c,
}
