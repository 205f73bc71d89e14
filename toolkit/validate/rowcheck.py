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
from itertools import compress, repeat
from typing import Any, Callable, Iterator, NamedTuple

from toolkit.read.confine import doubtful_paths
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

    Each column is first looked at whole: its types by one set, min and max once per distinct value, the
    other rules once per distinct value, the comparisons with another column at C speed. That settles which
    rows may break the field; only those rows (and rows with a field the schema lacks) go through the row
    check, which reports their errors exactly. Any doubt (a rule that reads the rest of the row, a type or a
    comparison the shortcut does not settle) sends every row of that column to the row check."""
    known = frozenset(schema)
    fields = [_field(name, rules) for name, rules in schema.items()]

    def check_table(rows: list, context: Context) -> Iterator[tuple[int, list[RuleError]]]:
        plain_rows = all(type(row) is dict for row in rows)  # noqa: E721 - what the shortcut reads
        slow, suspects = [], {index for index, row in enumerate(rows) if not known.issuperset(row)}
        for spec in fields:
            found = _column_suspects(spec, rows, context) if plain_rows else None
            if found is None or found:
                slow.append(spec)
                suspects = None if found is None or suspects is None else suspects | found
        if suspects is not None and not suspects:
            return
        check = _row_check(known, slow)
        for index in range(len(rows)) if suspects is None else sorted(suspects):
            found = check(rows[index], context)
            if found:
                yield index, found

    return check_table


# our rules that read the value alone (not the rest of the row): the shortcut may run them once per value
_VALUE_ONLY = frozenset({"format", "fiscal_year", "inside_project", "methodology"})
_NO_ROW: dict = {}
_NONE = frozenset({type(None)})
# our rules that compare the value with another field of its row, when both columns hold only these types:
# value broken where compare(value, other) (field_rules.check_not_before, check_not_above)
_PAIRED = {
    "not_before": (frozenset({dt.date}), operator.lt),
    "not_above": (frozenset({Decimal, int}), operator.gt),
}


def _column_suspects(spec: tuple, rows: list[dict], context: Context) -> set[int] | None:
    """The rows that may break the field `spec` (see _field), settled without a call per row: none when the
    whole column passes, None when only the row check can tell."""
    name, _, nullable, plain, _, _, type_name, checks = spec
    column = _column(rows, name)
    kinds = set(map(type, column)) - {object}  # object: _MISSING, the row lacks the field
    # the row check decides a row whose value is of another type (or a subclass), or empty where it may not be
    odd = kinds - plain - _NONE if type_name else set()
    if not nullable:
        odd |= kinds & _NONE
    suspects = {index for index, value in enumerate(column) if type(value) in odd} if odd else set()
    rated = kinds - odd - _NONE  # the types the rules are run on here
    if not checks or not rated:
        return suspects
    if len(rated) > 1:  # equal values of two types (2000 and Decimal 2000) would be one in a set
        return None
    try:
        distinct = {value for value in column if type(value) in rated}
        if any(value != value for value in distinct):  # NaN: compares false with everything, min included
            return None
        for check in checks:
            broken = _rule_suspects(check, column, distinct, rows, context)
            if broken is None:
                return None
            suspects |= broken
    except (
        TypeError,
        ArithmeticError,
    ):  # unhashable values, a comparison Cerberus skips value by value, sNaN
        return None
    return suspects


def _rule_suspects(
    check: tuple, column: list, distinct: set, rows: list[dict], context: Context
) -> set[int] | None:
    """The rows whose value may break one rule (see _field's checks), or None when only the row check can tell."""
    ours, test, constraint, rule = check
    if ours and rule in _PAIRED:
        return _pair_suspects(column, rows, constraint, *_PAIRED[rule])
    if ours and rule not in _VALUE_ONLY:
        return None
    if rule == "inside_project":
        bad = doubtful_paths(distinct, context) if constraint else set()
    elif ours:
        bad = {value for value in distinct if test(constraint, value, _NO_ROW, context) is not None}
    elif rule == "min":
        bad = set() if not min(distinct) < constraint else {value for value in distinct if value < constraint}
    elif rule == "max":
        bad = set() if not max(distinct) > constraint else {value for value in distinct if value > constraint}
    else:
        bad = {value for value in distinct if test(value, constraint)}
    return {index for index, value in enumerate(column) if value in bad} if bad else set()


def _pair_suspects(column: list, rows: list[dict], other: str, kinds: frozenset, broken) -> set[int]:
    """The rows that may break a rule comparing the column with field `other`: those where both are of `kinds`
    and compare broken, and those where either is not (a row lacking one passes, but the row check says so)."""
    others = _column(rows, other)
    odd = {index for index, kind in enumerate(map(type, column)) if kind not in kinds}
    odd.update(index for index, kind in enumerate(map(type, others)) if kind not in kinds)
    if odd:  # compared with itself, a value of `kinds` breaks neither rule: the odd rows are set to one
        column, others = list(column), list(others)
        same = next((value for value in column if type(value) in kinds), None)
        for index in odd:
            column[index] = others[index] = same
    return (
        odd.union(compress(range(len(column)), map(broken, column, others)))
        if len(odd) < len(column)
        else odd
    )


def _column(rows: list[dict], name: str) -> list:
    """Every row's value of field `name` (_MISSING where the row lacks it), without a Python call per row."""
    return list(map(dict.get, rows, repeat(name), repeat(_MISSING)))


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
