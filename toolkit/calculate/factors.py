"""Versioned factor tables (schemas/factors/), rule switches per `rules_version`, and project overrides.

Every row carries its source and status; rows without them fail to load. A row missing for the
fiscal year needed is an error naming the table and the year, with the YAML row to add: there is
never a fallback to another year. A project's factors.yaml replaces or adds rows and is reported as
such; a row whose value is still empty (as `jcredit init` writes them) is a row to fill, reported at
its line, never an error until a calculation needs it.
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
from toolkit.read.confine import Context, check_inside_project
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
class Pending:
    """A factors.yaml row whose value is still empty: the keys given so far (blank ones match any)."""

    table: str
    keys: tuple[tuple[str, str], ...]
    fiscal_year: int | None
    path: str
    location: Location | None

    def matches(self, table: str, keys: Mapping[str, Any], fiscal_year: int | None) -> bool:
        """Whether this row is the one a lookup of `table`, `keys` and `fiscal_year` would find once filled."""
        given = dict(self.keys)
        return (
            table == self.table
            and fiscal_year == self.fiscal_year
            and all(given.get(key, "") in ("", str(value)) for key, value in keys.items())
        )


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
        self,
        rules_version: str,
        version: Mapping,
        rows: dict[tuple, Row],
        methodology: Mapping | None = None,
        pending: tuple[Pending, ...] = (),
        location: Location | None = None,
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
        self.pending = pending
        self._pending_asked: set[Pending] = set()
        self.location = location  # of the project's rules_version
        self.ahead = False  # the plan's estimate: a fiscal year not yet in a table takes its latest year

    def overridden(self) -> list[Row]:
        """The rows the project supplied itself (factors.yaml, the 「係数」 sheet), in table, keys and year order."""
        rows = [row for row in self._rows.values() if row.overridden]
        return sorted(rows, key=lambda row: (row.table, row.keys, row.fiscal_year or 0))

    def for_estimate(self) -> Factors:
        """The same rows for the plan's estimate, with its own record of the rows used: a yearly table with
        no row for a later fiscal year (not published when the plan is written) gives its latest year's row
        for the same keys, and the row used shows that year."""
        estimate = Factors(
            self.rules_version, self.version, self._rows, self.methodology, self.pending, self.location
        )
        estimate.ahead = True
        return estimate

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
        if row is None and yearly and self.ahead and fiscal_year is not None:
            earlier = [
                at[2]
                for at in self._rows
                if at[0] == table and at[1] == key[1] and at[2] is not None and at[2] < fiscal_year
            ]
            if earlier:
                key = (table, key[1], max(earlier))
                row = self._rows[key]
        if row is None:
            year = fiscal_year if yearly else None
            empty = next((row for row in self.pending if row.matches(table, keys, year)), None)
            if empty is not None:
                self._pending_asked.add(empty)
            raise FactorError(
                f"{table} {dict(keys)} FY{fiscal_year}", [missing_problem(table, keys, year, empty)]
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

    def warnings(self) -> list[Problem]:
        """After a calculation: the rule switches of its version not verified, and factors.yaml rows left empty."""
        found = []
        names = list(self.version.get("unverified_switches") or ())
        if names:
            shown = {
                lang: ("、" if lang == "ja" else ", ").join(
                    (
                        f"「{switch_label(name)[lang]}」（この版では{_shown_switch(self.switches.get(name), lang)}）"
                    )
                    if lang == "ja"
                    else f"'{switch_label(name)[lang]}' ({name}: {_shown_switch(self.switches.get(name), lang)})"
                    for name in names
                )
                for lang in ("ja", "en")
            }
            found.append(
                Problem(
                    "rules_switch_unverified",
                    "rules_version",
                    self.location,
                    {
                        "rules": self.rules_version,
                        "label": self.version.get("label", ""),
                        "switches": shown,
                        "names": ", ".join(names),
                    },
                    severity="warning",
                )
            )
        elif self.version.get("status") != "verified":
            found.append(
                Problem(
                    "rules_not_verified",
                    "rules_version",
                    self.location,
                    {"rules": self.rules_version, "label": self.version.get("label", "")},
                    severity="warning",
                )
            )
        for row in self.pending:
            if row not in self._pending_asked:
                found.append(
                    Problem(
                        "factor_unfilled",
                        row.path,
                        row.location,
                        _row_params(row.table, dict(row.keys), row.fiscal_year),
                        severity="warning",
                    )
                )
        return found


def switch_label(name: str) -> Mapping[str, str]:
    """The words for a rule switch ({ja, en}), from rules.yaml; the switch's own name when it has none."""
    labels = packaged.load("factors/rules.yaml").get("switch_labels") or {}
    return labels.get(name) or {"ja": name, "en": name}


def _shown_switch(value: Any, lang: str) -> str:
    if value is None:
        return "なし" if lang == "ja" else "none"
    if isinstance(value, bool):
        return ("使う" if value else "使わない") if lang == "ja" else ("true" if value else "false")
    if hasattr(value, "isoformat"):
        return f"{value.year}年{value.month}月{value.day}日" if lang == "ja" else value.isoformat()
    if lang == "ja" and isinstance(value, str):
        from toolkit import schema

        return str(schema.code_label(value))
    return str(value)


def missing_problem(
    table: str, keys: Mapping[str, Any], fiscal_year: int | None, empty: Pending | None = None
) -> Problem:
    """The problem of a factor row the calculation needs and no table has: the row to add, or the empty
    row of factors.yaml to fill at its line."""
    if empty is not None:
        return Problem("factor_empty", empty.path, empty.location, _row_params(table, keys, fiscal_year))
    params = _row_params(table, keys, fiscal_year)
    unkeyed = [name for name, value in keys.items() if value in (None, "")]
    if unkeyed:  # looked up with an input left empty: that input is the gap (the checklist names it)
        params["empty_keys"] = ", ".join(unkeyed)
    return Problem("factor_missing", table, Location(OVERRIDES_FILE), params)


def _row_params(table: str, keys: Mapping[str, Any], fiscal_year: int | None) -> dict:
    spec = _table_spec(table)
    return {
        "table": table,
        "table_label": spec["label"],
        "document": spec.get("document", ""),
        "keys": ", ".join(f"{key}={value}" for key, value in keys.items() if value not in (None, "")),
        "year": {"ja": f"{fiscal_year}年度", "en": f"FY{fiscal_year}"} if fiscal_year else "",
        "row": row_text(table, keys, fiscal_year),
    }


def row_text(table: str, keys: Mapping[str, Any], fiscal_year: int | None, unit: str | None = None) -> str:
    """One factors.yaml row in flow style, value and source left to fill: `{basis: all_source, …}`."""
    spec = _table_spec(table)
    parts = [f"{key}: {_yaml_scalar(keys.get(key))}" for key in spec["keys"]]
    if spec.get("yearly"):
        parts.append(f"fiscal_year: {_yaml_scalar(fiscal_year)}")
    parts += [
        "value: ",
        f"unit: {_yaml_scalar(unit or spec['unit'])}",
        'source: ""',
        "status: unverified",
    ]
    return "{" + ", ".join(parts) + "}"


def _yaml_scalar(value: Any) -> str:
    if value in (None, ""):
        return ""
    text = str(value)
    plain = (
        text[:1].isalpha()
        and all(char.isalnum() or char in "_-/." for char in text)
        and text
        not in (
            "true",
            "false",
            "null",
        )
    )
    return text if plain or isinstance(value, int) else f'"{text}"'


def rows_to_add(problems) -> str:
    """The factors.yaml rows every `factor_missing` problem asks for, grouped by table: one block to paste."""
    tables: dict[str, list[str]] = {}
    for problem in problems:
        if problem.code == "factor_missing":
            rows = tables.setdefault(problem.params["table"], [])
            if problem.params["row"] not in rows:
                rows.append(problem.params["row"])
    lines = []
    for table, rows in tables.items():
        lines.append(f"{table}:")
        lines += [f"  - {row}" for row in sorted(rows)]
    return "\n".join(lines)


def load(
    rules_version: Any,
    root: Path | None = None,
    location: Location | None = None,
    methodology: Mapping | None = None,
    workbook: Path | None = None,
) -> Factors:
    """The factors for a project under `rules_version`, with the overrides in `root`/factors.yaml and in the
    「係数」 sheet of `workbook` (a project.xlsx, `factor_sheet`); `methodology` ({code, version}) selects rows kept per
    methodology version (gwp)."""
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
    pending: list[Pending] = []
    problems: list[Problem] = []
    overrides: list[Row | Pending] = []
    if root is not None and (root / OVERRIDES_FILE).is_file():
        overrides += _override_rows(root / OVERRIDES_FILE, problems)
    if workbook is not None and workbook.suffix.lower() == ".xlsx" and workbook.is_file():
        from toolkit.calculate.factor_sheet import sheet_rows

        overrides += sheet_rows(workbook, workbook.name, problems, _specs(), _override_row)
    if problems:
        raise FactorError(f"{len(problems)} problems in the factor rows", problems)
    for row in overrides:
        if isinstance(row, Pending):
            pending.append(row)
        else:
            rows[(row.table, row.keys, row.fiscal_year)] = row
    return Factors(rules_version, versions[rules_version], rows, methodology, tuple(pending), location)


def newest_rules_version() -> str:
    """The newest rules version shipped (names are YYYY-MM, so the last in order)."""
    return max(rule_versions())


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


def factor_words(ref: FactorRef) -> str:
    """A factor as a Japanese document names it: 電気の排出係数（全電源平均）, never grid_electricity[basis=...];
    the codes of its keys in the words of schemas/lists.yaml code_labels."""
    from toolkit import schema

    try:
        label = table_label(ref.table)
    except KeyError:  # a table only a project's factors.yaml names
        label = ref.table
    keys = "、".join(str(schema.code_label(value)) for _, value in ref.keys)
    return f"{label}（{keys}）" if keys else label


def status_words(status: str) -> str:
    """A factor's status in Japanese: 確認済み, 未確認, 第三者資料."""
    from toolkit import schema

    return str(schema.code_label(status))


def table_spec(table: str) -> Mapping:
    """A shipped table's header: label, keys, yearly, unit, document, how_to_fill."""
    return _specs()[table]


_table_spec = table_spec


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


def override_problems(root: Path) -> list[Problem]:
    """Every problem of a project's factors.yaml (syntax, encoding, rows, values out of range); none without one.

    `validate` reports them, so a broken factors.yaml is found before any calculation needs it."""
    problems: list[Problem] = []
    if (root / OVERRIDES_FILE).is_file():
        _override_rows(root / OVERRIDES_FILE, problems)
    return problems


def _override_rows(path: Path, problems: list[Problem]) -> list[Row | Pending]:
    places: dict[str, Location] = {}
    refused = check_inside_project(True, path.name, {}, Context(path.parent))
    if refused:  # never read, nor quoted in a message
        problems.append(Problem(refused.pop("variant"), "", Location(OVERRIDES_FILE), refused))
        return []
    data = read_yaml(path, OVERRIDES_FILE, places, problems)
    rows: list[Row | Pending] = []
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
    return rows


def _override_row(
    table: str, entry: Any, path: str, places: Mapping[str, Location], problems: list[Problem]
) -> Row | Pending | None:
    spec = _table_spec(table)
    where = places.get(path)
    if not isinstance(entry, dict):
        problems.append(
            Problem("factor_row", path, where, {"found": entry, "fields": ", ".join(_needed(spec))})
        )
        return None
    empty = entry.get("value") in (
        None,
        "",
    )  # a row to fill (jcredit init writes them): reported, not refused
    missing = [] if empty else [name for name in _needed(spec) if entry.get(name) in (None, "")]
    unknown = [name for name in entry if name not in _ROW_FIELDS and name not in spec["keys"]]
    bad: list[Problem] = []
    if missing:
        bad.append(
            Problem(
                "factor_row_missing",
                path,
                where,
                {"fields": ", ".join(_needed(spec)), "missing": ", ".join(missing)},
            )
        )
    if unknown:
        bad.append(
            Problem(
                "factor_row_unknown",
                path,
                where,
                {
                    "fields": ", ".join([*_needed(spec), "document", "document_version", "note"]),
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
    value = None
    if not empty:
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
        else:
            low, high = (Decimal(str(bound)) for bound in spec["range"])
            if value is not None and not low <= value <= high:
                bad.append(
                    Problem(
                        "factor_range",
                        f"{path}.value",
                        places.get(f"{path}.value", where),
                        {
                            "found": value,
                            "table_label": spec["label"],
                            "low": low,
                            "high": high,
                            "unit": spec["unit"],
                        },
                    )
                )
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
    if empty:
        given = {key: "" if entry.get(key) is None else entry[key] for key in spec["keys"]}
        return Pending(table, _keys(given), fiscal_year, path, where)
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
