"""Domain rules added to Cerberus: formats, date order, ceilings, fiscal years, safe paths, methodologies.

Each rule is one pure function `check_<rule>(constraint, value, document, context)` returning
None when the value passes, or a dict of message parameters. The Cerberus validator below and the
fast row checker (`rowcheck`) both call these functions, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any, Mapping

import cerberus
from cerberus import errors

from toolkit import messages
from toolkit.read.confine import Context, check_inside_project

FORMATS = {
    "postal_code": (re.compile(r"\d{3}-\d{4}"), "123-4567"),
    "phone": (re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}|0\d{9,10}"), "058-272-1111"),
    "email": (re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"), "tantou@example.jp"),
    "katakana": (re.compile(r"[\u30A1-\u30FA\u30FB\u30FC\u3000 ]+"), "ギフシ"),
    "activity_id": (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}"), "PV-0001"),
    "rules_version": (re.compile(r"\d{4}-\d{2}"), "2023-10"),
}

FISCAL_YEARS = range(2013, 2101)  # the scheme began in FY2013
TIDY_FORMATS = ("postal_code", "phone")
_DASHES = str.maketrans({"ー": "-", "－": "-", "‐": "-", "−": "-", "―": "-", "〒": None})


def tidy_format(fmt: str, value: Any) -> Any:
    """Forms users commonly type for a format (〒５００８５７０) made canonical before checking."""
    if fmt not in TIDY_FORMATS or not isinstance(value, str):
        return value
    tidy = unicodedata.normalize("NFKC", value).translate(_DASHES).replace(" ", "")
    if fmt == "postal_code" and re.fullmatch(r"\d{7}", tidy):
        tidy = f"{tidy[:3]}-{tidy[3:]}"
    return tidy


def check_format(fmt: str, value: Any, document: Mapping, context: Context) -> dict | None:
    """Rule format: the value matches the named pattern (postal code, phone, mail, katakana, ids)."""
    if not isinstance(value, str):
        return None
    pattern, example = FORMATS[fmt]
    if pattern.fullmatch(value):
        return None
    return {"example": example, "found": value}


def check_not_before(other: str, value: Any, document: Mapping, context: Context) -> dict | None:
    """Rule not_before: a date not before the date in field `other` of the same row."""
    earlier = document.get(other)
    if _is_date(value) and _is_date(earlier) and value < earlier:
        return {"other_field": other, "other_value": earlier, "found": value}
    return None


def check_not_above(other: str, value: Any, document: Mapping, context: Context) -> dict | None:
    """Rule not_above: a number at most the number in field `other` of the same row."""
    ceiling = document.get(other)
    if _is_number(value) and _is_number(ceiling) and value > ceiling:
        return {"other_field": other, "other_value": ceiling, "found": value}
    return None


def check_fiscal_year(enabled: bool, value: Any, document: Mapping, context: Context) -> dict | None:
    """Rule fiscal_year: a fiscal year the scheme can have (FY2013 to FY2100)."""
    if enabled and isinstance(value, int) and not isinstance(value, bool) and value not in FISCAL_YEARS:
        return {"found": value}
    return None


def check_methodology(enabled: bool, value: Any, document: Mapping, context: Context) -> dict | None:
    """Rule methodology: a supported methodology code, with the closest one as a hint."""
    from toolkit import methodologies

    if not enabled or not isinstance(value, str) or value in methodologies.codes():
        return None
    close = methodologies.closest(value)
    return {"found": value, "known": ", ".join(methodologies.codes()), "hint": messages.did_you_mean(close)}


def check_methodology_version(
    code_field: str, value: Any, document: Mapping, context: Context
) -> dict | None:
    """Rule methodology_version: a version the methodology in field `code_field` has."""
    from toolkit import methodologies

    code = document.get(code_field)
    if not isinstance(value, str) or code not in methodologies.codes():
        return None
    if methodologies.version_of(code, value) is not None:  # Excel keeps 3.0 as the number 3
        return None
    return {"found": value, "code": code, "known": ", ".join(methodologies.get(code).VERSIONS)}


CHECKS = {
    "format": check_format,
    "not_before": check_not_before,
    "not_above": check_not_above,
    "fiscal_year": check_fiscal_year,
    "inside_project": check_inside_project,
    "methodology": check_methodology,
    "methodology_version": check_methodology_version,
}
# Cerberus runs custom rules even on None (`nullable` does not skip them): each check passes None, and
# rowcheck skips them for None (tests/validate/test_rowcheck.py holds every check to this).
ERROR_DEFINITIONS = {rule: errors.ErrorDefinition(0x100 + i, rule) for i, rule in enumerate(CHECKS)}


def _is_date(value: Any) -> bool:
    return type(value) is dt.date or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))


def _is_number(value: Any) -> bool:
    kind = type(value)  # the exact types first: rows check this 360,000 times
    return (
        kind is Decimal or kind is int or (isinstance(value, (int, Decimal)) and not isinstance(value, bool))
    )


class Validator(cerberus.Validator):
    """Cerberus with our types (`decimal`) and the domain rules above."""

    types_mapping = {
        **cerberus.Validator.types_mapping,
        "decimal": cerberus.TypeDefinition("decimal", (Decimal, int), (bool,)),
        "integer": cerberus.TypeDefinition("integer", (int,), (bool,)),
        # normalisation turns datetimes into dates; a datetime left over is a type error
        "date": cerberus.TypeDefinition("date", (dt.date,), (dt.datetime,)),
    }

    def __init__(self, *args, context: Context | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context or Context()

    def _get_child_validator(self, *args, **kwargs):
        child = super()._get_child_validator(*args, **kwargs)
        child.context = self.context
        return child

    def _check(self, rule: str, constraint: Any, field: str, value: Any) -> None:
        params = CHECKS[rule](constraint, value, self.document, self.context)
        if params is not None:
            self._error(field, ERROR_DEFINITIONS[rule], params)

    def _validate_format(self, constraint, field, value):
        """{'type': 'string',
        'allowed': ['postal_code', 'phone', 'email', 'katakana', 'activity_id', 'rules_version']}"""
        self._check("format", constraint, field, value)

    def _validate_not_before(self, constraint, field, value):
        """{'type': 'string'}"""
        self._check("not_before", constraint, field, value)

    def _validate_not_above(self, constraint, field, value):
        """{'type': 'string'}"""
        self._check("not_above", constraint, field, value)

    def _validate_fiscal_year(self, constraint, field, value):
        """{'type': 'boolean'}"""
        self._check("fiscal_year", constraint, field, value)

    def _validate_inside_project(self, constraint, field, value):
        """{'type': 'boolean'}"""
        self._check("inside_project", constraint, field, value)

    def _validate_methodology(self, constraint, field, value):
        """{'type': 'boolean'}"""
        self._check("methodology", constraint, field, value)

    def _validate_methodology_version(self, constraint, field, value):
        """{'type': 'string'}"""
        self._check("methodology_version", constraint, field, value)
