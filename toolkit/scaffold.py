"""`jcredit init`: a new project folder with a commented project.yaml, factors.yaml, input workbooks and evidence/."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from toolkit import methodologies, packaged, periods, schema
from toolkit.calculate import factors as factor_tables
from toolkit.errors import OutputError, UnknownMethodology, UsageError
from toolkit.methodologies import Field, Need
from toolkit.methodologies.emissions import GRID, GRID_MARGINAL
from toolkit.problems import Location, Problem
from toolkit.read.folder import PROJECT_FILES
from toolkit.scaffold_excel import PROJECT_FILE as EXCEL_PROJECT_FILE
from toolkit.scaffold_excel import write_project_workbook, write_workbook
from toolkit.validate.field_rules import FISCAL_YEARS

MONITORING_WORKBOOK = "monitoring/readings.xlsx"
# a program's next members, for `jcredit batch`: the activity sheet alone, empty
MEMBERS_WORKBOOK = "new-members.xlsx"


def create_project(
    directory: Path,
    code: str,
    project_type: str,
    start: dt.date,
    force: bool = False,
    excel: bool = False,
) -> list[Path]:
    """Write the project files into `directory`; refuses to overwrite any of them without `force`.

    The rules version is the newest shipped (`rules_version()`); factors.yaml has a row to fill for each
    factor the methodology needs that is not shipped, per fiscal year of the crediting period expected
    from `start` (the planned registration application date; the CLI gives today when not told). With `excel`,
    project.xlsx holds the plan's fields, the factor rows and, for a standard project, its tables, instead
    of project.yaml and factors.yaml; another project file already there is refused even with `force`
    (the reader would take it instead).
    """
    try:
        methodology = methodologies.get(code)
    except UnknownMethodology as error:
        raise UsageError(str(error), error.problems) from error
    in_range = periods.fiscal_year(start) in FISCAL_YEARS  # before the period: year 9999 + 8 has no date
    if (
        not in_range
        or periods.fiscal_year(expected_period(code, rules_version(), start)[1]) not in FISCAL_YEARS
    ):
        raise UsageError(
            f"start {start} outside the scheme's fiscal years",
            [
                Problem(
                    "start_out_of_range",
                    params={"found": start, "first": FISCAL_YEARS[0], "last": FISCAL_YEARS[-1]},
                )
            ],
        )
    tables = {  # a table declared for some project types only (other_proponents: standard) is left out of others
        name: table
        for name, table in schema.tables(code).items()
        if project_type in (packaged.load("tables.yaml").get(name) or {}).get("types", [project_type])
    }
    own = [EXCEL_PROJECT_FILE] if excel else ["project.yaml", factor_tables.OVERRIDES_FILE]
    planned = {name: None for name in [*own, MONITORING_WORKBOOK, "evidence/.gitkeep"]}
    if project_type == "program":
        planned["activities.xlsx"] = None
        planned[MEMBERS_WORKBOOK] = None
    existing = sorted(name for name in planned if (directory / name).exists())
    others = [name for name in PROJECT_FILES if name not in planned and (directory / name).exists()]
    if excel and (directory / factor_tables.OVERRIDES_FILE).exists():
        others.append(factor_tables.OVERRIDES_FILE)  # its rows would be read beside the sheet's
    if excel and others:
        existing, force = sorted({*existing, *others}), False
    if existing and not force:
        raise OutputError(
            f"{directory}: " + ", ".join(existing),
            [Problem("exists", location=Location(str(directory / name))) for name in existing],
        )
    try:
        return _write(directory, methodology, project_type, tables, planned, start, excel)
    except OSError as error:
        raise OutputError(
            str(error),
            [
                Problem(
                    "not_writable",
                    location=Location(str(directory)),
                    params={"reason": error.strerror or str(error)},
                )
            ],
        ) from error


def rules_version() -> str:
    """The rules version a new project gets: the newest shipped."""
    return factor_tables.newest_rules_version()


def _write(
    directory: Path, methodology, project_type: str, tables, planned: dict, start: dt.date, excel: bool
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".jcredit-init-") as staging:
        stage = Path(staging)
        (stage / "evidence").mkdir()
        (stage / "evidence/.gitkeep").write_text("")
        (stage / "monitoring").mkdir()
        monitoring = {name: table for name, table in tables.items() if name == "monitoring"}
        write_workbook(stage / MONITORING_WORKBOOK, monitoring)
        if project_type == "program":
            write_workbook(stage / MEMBERS_WORKBOOK, {"activities": tables["activities"]})
        if excel:
            write_project_workbook(
                stage / EXCEL_PROJECT_FILE,
                project_type,
                _flat(_initial_values(methodology, project_type)),
                {name: table for name, table in tables.items() if _in_project_workbook(name, project_type)},
                factor_plan(methodology, tables, rules_version(), start),
                {"monitoring_plan": _monitoring_plan_rows(methodology)},
            )
            if project_type == "program":
                write_workbook(
                    stage / "activities.xlsx",
                    {
                        name: table
                        for name, table in tables.items()
                        if name != "monitoring" and not _in_project_workbook(name, project_type)
                    },
                )
        else:
            (stage / "project.yaml").write_text(
                project_yaml(methodology, project_type, tables), encoding="utf-8"
            )
            (stage / factor_tables.OVERRIDES_FILE).write_text(
                factors_yaml(methodology, tables, rules_version(), start), encoding="utf-8"
            )
            if project_type == "program":
                write_workbook(
                    stage / "activities.xlsx", {n: t for n, t in tables.items() if n != "monitoring"}
                )
        written, created = [], []
        try:
            for name in planned:
                target = directory / name
                target.parent.mkdir(parents=True, exist_ok=True)
                new = not target.exists()
                shutil.move(stage / name, target)  # each file lands whole; nothing half-written
                written.append(target)
                if new:
                    created.append(target)
        except BaseException:  # a full disk or an interrupt midway: no half project is left behind
            for path in created:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
    return written


def _initial_values(methodology, project_type: str) -> dict:
    """What init fills in of the plan's fields: the file's version, the rules, the type and methodology."""
    return {
        "schema_version": 1,
        "rules_version": rules_version(),
        "project": {
            "type": project_type,
            "methodology": {"code": methodology.CODE, "version": methodology.VERSIONS[-1]},
        },
    }


def _monitoring_plan_rows(methodology) -> list[tuple[dict, str]]:
    """The monitoring plan's first rows: one per monitored parameter of the methodology, its symbol given
    and a note with its name, unit and frequency (the rest of the row is the proponent's)."""
    return [
        (
            {"symbol": parameter.symbol},
            f"{parameter.label['ja']}（{parameter.unit}、{parameter.frequency['ja']}）",
        )
        for parameter in methodology.MONITORING
    ]


def _flat(values: Mapping, prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            found.update(_flat(value, f"{prefix}{key}."))
        else:
            found[f"{prefix}{key}"] = value
    return found


def _in_project_workbook(table: str, project_type: str) -> bool:
    """Which tables project.xlsx holds as sheets: a standard project's all but the readings; a program's
    plan-level ones (monitoring plan, incidental emissions), its members' rows staying in activities.xlsx."""
    if table == "monitoring":
        return False
    return project_type != "program" or table in packaged.load("tables.yaml")


def project_yaml(methodology, project_type: str, tables: Mapping[str, schema.Table]) -> str:
    """project.yaml with every field of the schema, empty, each under a comment with its label and help."""
    values = _initial_values(methodology, project_type)
    lines = [
        f"# J-クレジット プロジェクト入力ファイル（{methodology.CODE} {methodology.NAME['ja']}、"
        f"{'プログラム型' if project_type == 'program' else '通常型'}）",
        "# 空欄の項目は `jcredit check` で未記入として一覧されます。日付は 2025-04-01 の形式（令和7年4月1日も可）。",
        "# Empty fields are listed by `jcredit check`. Dates as 2025-04-01.",
        "",
    ]
    _emit(schema.project_schema(project_type), values, 0, lines)
    if project_type == "program":
        lines += [
            "",
            "# 活動一覧（会員の削減活動）は activities.xlsx に記入します。",
            f"# 新しい会員は {MEMBERS_WORKBOOK} に記入し、`jcredit batch` で検査・追加します。",
            "activities: {file: activities.xlsx}",
        ]
        for name in tables:
            if name not in ("activities", "monitoring"):
                lines.append(f"{name}: {{file: activities.xlsx}}")
    else:
        lines += [
            "",
            "# 削減活動（設備ごとに1行）/ reduction activities, one per installation",
            "activities:",
        ]
        first = True
        for key, rules in tables["activities"].schema.items():
            lines.append(f"  {'- ' if first else '  '}{key}:{_comment(rules)}")
            first = False
        for name, table in tables.items():
            if name not in ("activities", "monitoring"):
                columns = ", ".join(table.schema)
                lines += ["", f"# {table.sheet['ja']}: 1行ごとに {{{columns}}}", f"{name}: []"]
    lines += [
        "",
        f"# モニタリングの読取値は {MONITORING_WORKBOOK} に記入します（monitoring/ 内の .xlsx をすべて読みます）。",
        f"# 算定に使う係数（電気の排出係数など）は {factor_tables.OVERRIDES_FILE} に記入します。",
        "",
    ]
    return "\n".join(lines)


def expected_period(code: str, version: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The crediting period a project registered on `start` would get under `version` (§4)."""
    switches = factor_tables.rule_versions()[version]["switches"]
    forest = methodologies.get(code).FOREST
    years = switches["forest_crediting_years" if forest else "crediting_years"]
    cap = switches.get("forest_crediting_cap" if forest else "crediting_cap")
    return periods.crediting_period(start, None, years, cap)


def needs(code: str, version: str) -> tuple[Need, ...]:
    """The factors a methodology's calculation looks up under rules `version`."""
    found = methodologies.get(code).FACTORS
    if GRID in found and factor_tables.rule_versions()[version]["switches"].get("marginal_bands"):
        found = (*found, GRID_MARGINAL)
    return found


@dataclass(frozen=True)
class FactorRow:
    """A factor row for the user to fill: its table, the keys known so far (blank ones ''), year and unit."""

    table: str
    keys: Mapping[str, Any]
    fiscal_year: int | None
    unit: str


@dataclass(frozen=True)
class FactorBlock:
    """The rows to fill of one factor table, under the lines saying where its values come from; `items` are
    the rows and, before a need's first row, the lines saying which project field gives each blank key."""

    table: str
    heading: tuple[str, ...]
    items: tuple[str | FactorRow, ...]


@dataclass(frozen=True)
class FactorPlan:
    """What init asks the user to fill in factors.yaml or the 「係数」 sheet: one owner for both."""

    intro: tuple[str, ...]
    included: tuple[str, ...]  # shipped factors the methodology uses
    blocks: tuple[FactorBlock, ...]


def factor_plan(methodology, tables: Mapping[str, schema.Table], version: str, start: dt.date) -> FactorPlan:
    """A row with an empty value for each factor the methodology needs that is not shipped, per fiscal year
    of the expected crediting period, under lines naming the official table and how to fill it."""
    first, last = expected_period(methodology.CODE, version, start)
    years = list(range(periods.fiscal_year(first), periods.fiscal_year(last) + 1))
    intro = (
        f"係数（{methodology.CODE} {methodology.NAME['ja']}）: 算定に使う係数のうち、"
        "ツールキットに同梱していないものを記入します。",
        f"想定した認証対象期間: {first} 〜 {last}（規程の版 {version}、登録申請日を {first} と仮定）"
        f" → {years[0]}〜{years[-1]}年度の行があります。",
    )
    shipped = factor_tables.shipped_rows()
    by_table: dict[str, list[str | FactorRow]] = {}
    included: list[str] = []
    for need in needs(methodology.CODE, version):
        spec = factor_tables.table_spec(need.table)
        yearly = spec.get("yearly", False)
        for year in years if yearly else [None]:
            if _shipped(need, year, tables, shipped):
                if year is None or year == years[0]:
                    included.append(_shipped_line(need, shipped))
                continue
            rows = by_table.setdefault(need.table, [])
            if year is None or year == years[0]:
                rows += [line for line in _need_comments(need, tables) if line not in rows]
            keys = {**need.fixed, **{key: "" for key in need.picked}}
            rows.append(FactorRow(need.table, keys, year, need.unit or spec["unit"]))
    blocks = []
    for table, items in by_table.items():
        spec = factor_tables.table_spec(table)
        how = (spec.get("how_to_fill") or {}).get("ja") or f"{spec['label']['ja']}を {spec['unit']} で"
        heading = (f"{spec['label']['ja']} — 出典: {spec.get('document', '')}", f"記入する値: {how}")
        blocks.append(FactorBlock(table, heading, tuple(items)))
    return FactorPlan(intro, tuple(dict.fromkeys(included)), tuple(blocks))


def factors_yaml(methodology, tables: Mapping[str, schema.Table], version: str, start: dt.date) -> str:
    """factors.yaml: the rows of `factor_plan` in YAML, each table under comments naming the official table
    and how to fill it; `status: unverified` until the user has checked the value."""
    plan = factor_plan(methodology, tables, version, start)
    lines = [f"# {line}" for line in plan.intro] + [
        "# 記入のしかた: 各行の value に公式の表の値を、source に出典（発行元・資料名・版・表番号）を書きます。",
        "#   公式の値と照合できたら status を verified にします。"
        "それまでは unverified のままにし、`jcredit check` が行ごとに一覧します。",
        "#   value が空欄の行も `jcredit check` が行番号つきで一覧します。"
        "算定に必要な年度が空欄なら `jcredit calc` は削減量を出しません。",
        "# How to fill: put the official value in `value` and its source (publisher, title, version,",
        "#   table) in `source`; set `status: verified` once checked against the official table.",
    ]
    if plan.included:
        lines += [
            "",
            "# 同梱の係数を使うもの（`jcredit factors` で値・出典・状態を確認。上書きするときはここに行を加えます）:",
        ]
        lines += [f"#   {line}" for line in plan.included]
    for block in plan.blocks:
        lines += ["", *(f"# {line}" for line in block.heading), f"{block.table}:"]
        for item in block.items:
            if isinstance(item, FactorRow):
                row = factor_tables.row_text(item.table, item.keys, item.fiscal_year, item.unit)
                lines.append(f"  - {row}")
            else:
                lines.append(f"  # {item}")
    if not plan.blocks:
        lines += ["", "# この方法論で記入が必要な係数はありません（同梱の値を使います）。"]
    return "\n".join(lines) + "\n"


def _shipped(need: Need, year: int | None, tables: Mapping[str, schema.Table], shipped: Mapping) -> bool:
    """Whether shipped rows cover the need: every value its picked keys can take (or any, when derived)."""
    rows = [
        dict(keys)
        for (table, keys, fiscal_year) in shipped
        if table == need.table
        and fiscal_year == year
        and all(dict(keys).get(key) == str(value) for key, value in need.fixed.items())
    ]
    if not rows:
        return False
    for key, source in need.picked.items():
        choices = _choices(source, tables)
        if choices is None:
            continue  # derived by the calculation, or free text: any shipped row will do
        if not all(any(row.get(key) == str(choice) for row in rows) for choice in choices):
            return False
    return True


def _choices(source: Field | None, tables: Mapping[str, schema.Table]) -> list | None:
    if not source:
        return None
    table, name = source
    if table not in tables:
        return None
    return tables[table].schema.get(name, {}).get("allowed")


def _shipped_line(need: Need, shipped: Mapping) -> str:
    keys = ", ".join([*(f"{k}={v}" for k, v in need.fixed.items()), *need.picked])
    statuses = sorted(
        {
            row.status
            for (table, keys_, _), row in shipped.items()
            if table == need.table and all(dict(keys_).get(k) == str(v) for k, v in need.fixed.items())
        }
    )
    return f"{need.table}（{keys}）: 同梱 [{', '.join(statuses)}]"


def _need_comments(need: Need, tables: Mapping[str, schema.Table]) -> list[str]:
    """The comments above a need's rows: when it is needed, and which project field gives each blank key."""
    lines = ["燃料を使うときだけ記入（使わなければこの行は消してかまいません）"] if need.optional else []
    for key, source in need.picked.items():
        if source is None:
            continue
        table, name = source
        rules = tables[table].schema.get(name, {}) if table in tables else {}
        label = rules.get("meta", {}).get("label", {}).get("ja", name)
        choices = rules.get("allowed")
        shown = f"（{', '.join(map(str, choices))}）" if choices and len(choices) <= 12 else ""
        sheet = tables[table].sheet["ja"] if table in tables else table
        lines.append(
            f"{key}: {sheet}の「{label}」（{table}.{name}）の値{shown}。値が複数あれば、値ごとに行を複写します"
        )
    return lines


def _emit(rules_schema: Mapping, values: Mapping, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    for key, rules in rules_schema.items():
        value = values.get(key)
        if rules.get("type") == "dict" and "schema" in rules:
            lines.append(f"{indent}{key}:{_comment(rules)}")
            _emit(rules["schema"], value or {}, depth + 1, lines)
        else:
            lines.append(f"{indent}{key}:{_scalar(value)}{_comment(rules)}")


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    return f' "{value}"' if isinstance(value, str) and value[:1].isdigit() else f" {value}"


def _comment(rules: Mapping) -> str:
    meta = rules.get("meta", {})
    return f"  # {meta['label']['ja']}: {meta['help']['ja']}" if meta else ""
