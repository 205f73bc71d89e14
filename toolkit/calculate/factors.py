"""Versioned factor tables (schemas/factors/), rule switches per `rules_version`, and project overrides.

Every row carries its source and status; rows without them fail to load. A row missing for the
fiscal year needed is an error naming the table and the year: there is never a fallback to
another year. A project's factors.yaml replaces or adds rows and is reported as such.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Mapping

from toolkit import messages, packaged
from toolkit.errors import FactorError
from toolkit.figures import FactorRef
from toolkit.problems import Location, Problem
from toolkit.read import normalize
from toolkit.read.yamlfile import read_yaml

STATUSES = ("verified", "unverified", "third-party")
OVERRIDES_FILE = "factors.yaml"
_ROW_FIELDS = {
    "fiscal_year",
    "value",
    "unit",
    "document",
    "document_version",
    "source",
    "source_sha256",
    "status",
    "note",
}

# Conversions from the unit a row is written in to the unit a formula asks for; done here, never typed in.
CONVERSIONS = {
    ("kg-CO2/kWh", "t-CO2/kWh"): lambda value: value / 1000,
    ("kg-CO2/GJ", "t-CO2/GJ"): lambda value: value / 1000,
    ("tC/GJ", "t-CO2/GJ"): lambda value: value * 44 / 12,
}


@dataclass(frozen=True)
class Row:
    """One factor-table row as loaded, shipped or overridden."""

    table: str
    keys: tuple[tuple[str, str], ...]
    fiscal_year: int | None
    value: Decimal
    unit: str
    source: str
    status: str
    overridden: bool = False
    location: Location | None = None


class Factors:
    """The factor rows and rule switches in force for one project; remembers which rows were used."""

    def __init__(
        self, rules_version: str, version: Mapping, rows: dict[tuple, Row], methodology: Mapping | None = None
    ):
        self.rules_version = rules_version
        self.version = version
        self.methodology: Mapping[str, Any] = (
            methodology or {}
        )  # the project's {code, version}: rows per version
        self.switches: Mapping[str, Any] = version["switches"]
        self._rows = rows
        self._asked: dict[tuple, FactorRef] = {}
        self.used: dict[tuple, FactorRef] = {}

    def get(
        self, table: str, fiscal_year: int | None = None, unit: str | None = None, **keys: Any
    ) -> FactorRef:
        """The row of `table` for `keys` (and `fiscal_year` for yearly tables), in `unit`; FactorError if absent."""
        asked = (table, fiscal_year, unit, *keys.items())
        found = self._asked.get(asked)  # one lookup per reading piece: remember the answers
        if found is None:
            found = self._asked[asked] = self._look_up(table, fiscal_year, unit, keys)
        return found

    def _look_up(
        self, table: str, fiscal_year: int | None, unit: str | None, keys: Mapping[str, Any]
    ) -> FactorRef:
        yearly = _table_spec(table).get("yearly", False)
        key = (table, _keys(keys), fiscal_year if yearly else None)
        row = self._rows.get(key)
        if row is None:
            raise FactorError(
                f"{table} {dict(keys)} FY{fiscal_year}",
                [missing_problem(table, keys, fiscal_year if yearly else None)],
            )
        value = row.value if unit is None or unit == row.unit else _convert(row, unit)
        ref = FactorRef(
            table,
            row.keys,
            row.fiscal_year,
            value,
            unit or row.unit,
            row.source,
            row.status,
            row.overridden,
            row.location,
        )
        self.used.setdefault((key, ref.unit), ref)
        return ref


def missing_problem(table: str, keys: Mapping[str, Any], fiscal_year: int | None) -> Problem:
    """The problem of a factor row the calculation needs and no table has, naming the table, keys and year."""
    label = _table_spec(table)["label"]
    what = ", ".join(f"{key}={value}" for key, value in keys.items())
    return Problem(
        "factor_missing",
        table,
        Location(OVERRIDES_FILE),
        {
            "table": table,
            "table_label": label,
            "keys": what,
            "year": {"ja": f"{fiscal_year}年度", "en": f"FY{fiscal_year}"} if fiscal_year else "",
        },
    )


def load(
    rules_version: Any,
    root: Path | None = None,
    location: Location | None = None,
    methodology: Mapping | None = None,
) -> Factors:
    """The factors for a project under `rules_version`, with the overrides in `root`/factors.yaml; `methodology`
    ({code, version}) selects rows kept per methodology version (gwp)."""
    versions = rule_versions()
    if rules_version not in versions:
        close = difflib.get_close_matches(str(rules_version), list(versions), n=1)
        raise FactorError(
            f"unknown rules version {rules_version!r}",
            [
                Problem(
                    "rules_version_unknown",
                    "rules_version",
                    location,
                    {
                        "found": rules_version,
                        "known": ", ".join(versions),
                        "hint": messages.did_you_mean(close and close[0]),
                    },
                )
            ],
        )
    rows = dict(shipped_rows())
    if root is not None and (root / OVERRIDES_FILE).is_file():
        for row in _override_rows(root / OVERRIDES_FILE):
            rows[(row.table, row.keys, row.fiscal_year)] = row
    return Factors(rules_version, versions[rules_version], rows, methodology)


@cache
def rule_versions() -> dict[str, Mapping]:
    """Every rules version with its label, status, source and switches (schemas/factors/rules.yaml)."""
    return packaged.load("factors/rules.yaml")["versions"]


def table_names() -> tuple[str, ...]:
    """The names of the shipped factor tables, sorted."""
    return tuple(sorted(_specs()))


@cache
def _specs() -> dict[str, Mapping]:
    folder = files("toolkit.schemas").joinpath("factors")
    specs = {}
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".yaml") and entry.name != "rules.yaml":
            spec = packaged.load(f"factors/{entry.name}")
            specs[spec["table"]] = spec
    return specs


def table_label(table: str, lang: str = "ja") -> str:
    """The name of a factor table as documents show it (電気の排出係数)."""
    return _table_spec(table)["label"][lang]


def _table_spec(table: str) -> Mapping:
    return _specs()[table]


@cache
def shipped_rows() -> dict[tuple, Row]:
    """Every packaged row; a row without source or status stops the load (a packaging bug, never user data)."""
    rows = {}
    for table, spec in _specs().items():
        for raw in spec["rows"]:
            if not raw.get("source") or raw.get("status") not in STATUSES:
                raise FactorError(f"factor table {table}: a row lacks source or status: {raw}")
            keys = _keys({key: raw[key] for key in spec["keys"]})
            fiscal_year = raw.get("fiscal_year") if spec.get("yearly") else None
            rows[(table, keys, fiscal_year)] = Row(
                table,
                keys,
                fiscal_year,
                Decimal(str(raw["value"])),
                raw.get("unit", spec["unit"]),
                raw["source"],
                raw["status"],
            )
    return rows


def _override_rows(path: Path) -> list[Row]:
    places: dict[str, Location] = {}
    problems: list[Problem] = []
    data = read_yaml(path, OVERRIDES_FILE, places, problems)
    rows: list[Row] = []
    if data is not None and not isinstance(data, dict):
        problems.append(Problem("yaml_top_level", "", Location(OVERRIDES_FILE), {"found": data}))
        data = {}
    for table, entries in (data or {}).items():
        if table not in _specs():
            close = difflib.get_close_matches(str(table), list(_specs()), n=1)
            problems.append(
                Problem(
                    "factor_table_unknown",
                    str(table),
                    places.get(str(table)),
                    {
                        "found": table,
                        "known": ", ".join(_specs()),
                        "hint": messages.did_you_mean(close and close[0]),
                    },
                )
            )
            continue
        for index, entry in enumerate(entries if isinstance(entries, list) else [entries]):
            path_text = f"{table}[{index}]"
            row = _override_row(table, entry, path_text, places, problems)
            if row is not None:
                rows.append(row)
    if problems:
        raise FactorError(f"{OVERRIDES_FILE}: {len(problems)} problems", problems)
    return rows


def _override_row(
    table: str, entry: Any, path: str, places: Mapping[str, Location], problems: list[Problem]
) -> Row | None:
    spec = _table_spec(table)
    where = places.get(path)
    if not isinstance(entry, dict):
        problems.append(
            Problem("factor_row", path, where, {"found": entry, "fields": ", ".join(_needed(spec))})
        )
        return None
    missing = [name for name in _needed(spec) if entry.get(name) in (None, "")]
    unknown = [name for name in entry if name not in _ROW_FIELDS and name not in spec["keys"]]
    bad: list[Problem] = []
    if missing or unknown:
        bad.append(
            Problem(
                "factor_row",
                path,
                where,
                {
                    "found": ", ".join(map(str, entry)) or "{}",
                    "fields": ", ".join(_needed(spec)),
                    "missing": ", ".join(missing),
                    "unknown": ", ".join(map(str, unknown)),
                },
            )
        )
    if entry.get("status") not in (None, "") and entry.get("status") not in STATUSES:
        bad.append(
            Problem(
                "allowed",
                f"{path}.status",
                places.get(f"{path}.status", where),
                {"found": entry["status"], "choices": "、".join(STATUSES), "hint": ""},
            )
        )
    try:
        value, _ = normalize.coerce(entry.get("value"), "decimal")
    except normalize.NormalizeError as error:
        bad.append(
            Problem(
                error.code,
                f"{path}.value",
                places.get(f"{path}.value", where),
                {"found": error.found, **error.params},
            )
        )
        value = None
    fiscal_year = entry.get("fiscal_year") if spec.get("yearly") else None
    if (
        spec.get("yearly")
        and fiscal_year is not None
        and not (isinstance(fiscal_year, int) and 2000 <= fiscal_year <= 2100)
    ):
        bad.append(
            Problem(
                "fiscal_year",
                f"{path}.fiscal_year",
                places.get(f"{path}.fiscal_year", where),
                {"found": fiscal_year},
            )
        )
    unit = entry.get("unit")  # any unit: one a formula cannot use is refused when it asks (Factors.get)
    problems.extend(bad)
    if bad:
        return None
    keys = _keys({key: entry[key] for key in spec["keys"]})
    return Row(table, keys, fiscal_year, value, unit, str(entry["source"]), entry["status"], True, where)


def _needed(spec: Mapping) -> list[str]:
    """The fields every factors.yaml row of a table must give."""
    return (
        list(spec["keys"])
        + (["fiscal_year"] if spec.get("yearly") else [])
        + ["value", "unit", "source", "status"]
    )


def _keys(keys: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((key, str(value)) for key, value in keys.items()))


def _convert(row: Row, unit: str) -> Decimal:
    convert = CONVERSIONS.get((row.unit, unit))
    if convert is None:
        raise FactorError(
            f"{row.table}: cannot convert {row.unit} to {unit}",
            [
                Problem(
                    "factor_unit",
                    row.table,
                    row.location or Location(OVERRIDES_FILE),
                    {"found": row.unit, "expected": unit},
                )
            ],
        )
    return convert(row.value)
