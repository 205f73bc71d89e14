"""The computed blocks a document spec names (`table: results_by_year`): tables and charts from the calculation.

Each builder takes the document's `Context` and returns a block, a list of blocks, or None when the
block does not apply (no payback table for a household project). Figures stay exact Decimals; the
Excel formulas given with them reproduce them from the inputs shown in the same workbook.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Mapping

from toolkit import methodologies, periods, schema
from toolkit.calculate import factors as factor_tables
from toolkit.calculate.engine import Calculation, exact_sum, represented_ids, truncate
from toolkit.documents.model import Chart, Column, Missing, Paragraph, Rows, Series, Table
from toolkit.documents.text import date_text, fiscal_year_text, span_text, value_text
from toolkit.figures import EXACT, PeriodResult
from toolkit.read.hashing import sha256_many

# more than this and the body lists evidence per activity; the workbook has every file
EVIDENCE_ROWS_IN_BODY = 300
PRINTED_INPUTS = 3  # a breakdown prints its input columns only up to this many; the workbook has them all
T = "t-CO2"


@dataclass
class Context:
    """What every block is built from: the project's data, its calculation and the document's stage."""

    data: Mapping
    calculation: Calculation
    root: Path
    stage: str
    options: Mapping[str, Any] = field(default_factory=dict)  # the spec block's own keys (sheet, body ...)
    quick: bool = False  # for the checklist: only what can hold a gap
    listed: Rows | None = None  # (activity, crediting period) produced at each pass: a batch's activity list

    @property
    def module(self):
        """The methodology module the calculation used."""
        return methodologies.get(self.calculation.methodology)

    @property
    def program(self) -> bool:
        """Whether this is a program-type project (プログラム型), whose plan shows one typical activity."""
        return schema.project_type(self.data) == "program"

    @property
    def forest(self) -> bool:
        """Whether the methodology removes CO2 (FO-001): its documents speak of 吸収量, never of negative emissions."""
        return bool(self.module.FOREST)

    def table(self, table: Table) -> Table:
        """The table as the spec places it: `sheet:` names its workbook sheet, `body: false` keeps it out of print."""
        if "sheet" in self.options:
            table.sheet = self.options["sheet"]
        if "title" in self.options:
            table.title = self.options["title"]
        return table

    def readings(self) -> list[Mapping]:
        """The monitoring rows whose reading period overlaps the report period; all when none is set."""
        start, end = self.calculation.period
        rows = self.data.get("monitoring") or []
        if start is None and end is None:
            return list(rows)
        period = self.module.reading_period
        return [
            row
            for row in rows
            for span in (period(row),)
            if span and (start is None or span[1] >= start) and (end is None or span[0] <= end)
        ]

    def pieces(self, activity_ids: set | None = None) -> list[PeriodResult]:
        """The calculation's period results, of every activity or only of those in `activity_ids`."""
        return [
            piece
            for result in self.calculation.activities
            if activity_ids is None or result.activity_id in activity_ids
            for piece in result.periods
        ]


def _tonnes(key: str, label: str) -> Column:
    return Column(key, label, T, "number", places=3)


# The three figures of a period, year or activity. Emission reductions: baseline, project, reduction.
# Removals (FO-001): the stands' uptake R_PJ, the work's emissions E_PJ and the net removal R_PJ − E_PJ
# (= EM_BL − EM_PJ with EM_BL = 0), all shown positive: the forest forms speak of 吸収量, not negative emissions.
FIGURES = ("baseline", "project", "reduction")
REMOVALS = ("removal", "emission", "reduction")
_LABELS = {
    "baseline": "ベースライン排出量",
    "project": "プロジェクト排出量",
    "reduction": "排出削減量",
    "removal": "吸収量",
    "emission": "排出量",
}


def _figure_keys(context: Context) -> tuple[str, str, str]:
    return REMOVALS if context.forest else FIGURES


def _figure_columns(context: Context) -> list[Column]:
    keys = _figure_keys(context)
    return [
        _tonnes(key, "純吸収量" if context.forest and key == "reduction" else _LABELS[key]) for key in keys
    ]


def _figures(context: Context, piece: PeriodResult) -> dict[str, Decimal]:
    """A piece's three figures under the keys `_figure_keys` names."""
    if context.forest:
        return {
            "removal": piece.project.inputs.get("R_PJ", Decimal(0)),
            "emission": piece.project.inputs.get("E_PJ", Decimal(0)),
            "reduction": piece.reduction.value,
        }
    return {
        "baseline": piece.baseline.value,
        "project": piece.project.value,
        "reduction": piece.reduction.value,
    }


def _summed(context: Context, pieces) -> dict[str, Decimal]:
    figures = [_figures(context, piece) for piece in pieces]
    return {key: exact_sum(figure[key] for figure in figures) for key in _figure_keys(context)}


def reduction_word(context: Context) -> str:
    """排出削減量, or 純吸収量 for a forest project."""
    return "純吸収量" if context.forest else "排出削減量"


# -- plan -------------------------------------------------------------------------------------------
def activities(context: Context) -> Table | Paragraph:
    """One row per activity with every column of the methodology's activity table, and its crediting period.

    The activities are the data's, with the calculation's periods, or those of `Context.listed` (a batch's
    long list): then the rows are `Rows`, produced at each pass from it, never all held."""
    table = schema.tables(context.calculation.methodology)["activities"]
    planned = set(context.module.PLANNED)  # shown with the estimate they make (planned_inputs)
    columns = [column for column in _columns(table) if column.key not in planned]
    columns += [
        Column("crediting_start", "認証対象期間の開始日", kind="date", width=13),
        Column("crediting_end", "認証対象期間の終了日", kind="date", width=13),
    ]
    optional = {key for key, rules in table.schema.items() if rules.get("meta", {}).get("optional")}
    coded = {key for key, rules in table.schema.items() if isinstance(rules.get("allowed"), list)}
    listed = context.listed
    if listed is None:
        crediting = {result.activity_id: result.crediting for result in context.calculation.activities}
        listed = [
            (activity, crediting.get(activity.get("id"))) for activity in context.data.get("activities") or []
        ]
    if not len(listed):
        return Paragraph(("削減活動: ", Missing("削減活動（活動一覧）", "activities", "activity_list")))
    filled: set[str] = set()  # the optional columns some activity fills: one pass, an unused one is left out
    for activity, _ in listed:
        filled.update(key for key in optional - filled if activity.get(key) is not None)
    used = [column for column in columns if column.key not in optional or column.key in filled]

    def rows():
        for index, (activity, period) in enumerate(listed):
            row: dict[str, Any] = {}
            for column in used[:-2]:
                value = activity.get(column.key)
                if value is None and column.key not in optional:
                    value = Missing(
                        column.label, f"activities[{index}].{column.key}", "activity_list", "registration"
                    )
                row[column.key] = schema.code_label(value) if column.key in coded else value
            row["crediting_start"], row["crediting_end"] = period if period else (None, None)
            yield row

    made = Rows(len(listed), rows) if isinstance(listed, Rows) else list(rows())
    return context.table(Table("activities", "排出削減活動リスト", used, made, note=f"{len(listed)} 件"))


def _columns(table: schema.Table) -> list[Column]:
    """A row table's columns with their Japanese labels; a unit written in the label moves to the unit."""
    columns = []
    for key, rules in table.schema.items():
        meta = rules.get("meta", {})
        label, unit = meta["label"]["ja"], meta.get("unit", "")
        kind = _kind(rules)
        columns.append(
            Column(key, label.split("(")[0] if unit else label, unit, kind, width=_width(rules, kind))
        )
    return columns


def _width(rules: Mapping, kind: str) -> int:
    """Relative column width, about the characters a typical value takes in the tables' font."""
    if rules.get("type") == "boolean":
        return 5
    if kind in ("number", "integer"):
        return 6
    if kind == "date":
        return 13
    return 10 if rules.get("allowed") or rules.get("format") else 16


def _kind(rules: Mapping) -> str:
    return {"decimal": "number", "integer": "integer", "date": "date", "boolean": "text"}.get(
        rules.get("type"), "text"
    )


def payback(context: Context) -> Table | None:
    """A.2 (1): payback years with the subsidy deducted, as one row whose formula Excel recomputes."""
    assessment = context.calculation.additionality
    if assessment.method != "payback":
        return None
    inputs = context.data.get("additionality") or {}
    columns = [
        Column("capex", "設備投資額", "円", "integer"),
        Column("subsidy", "補助金額", "円", "integer"),
        Column("saving", "年間削減額", "円", "integer"),
        Column("om", "年間運転維持費", "円", "integer"),
        Column("payback", "投資回収年数", "年", "number", places=1),
        Column("threshold", "基準", "年", "number"),
        Column("judgement", "判定"),
    ]
    names = {
        "capex": "capex_jpy",
        "subsidy": "subsidy_jpy",
        "saving": "annual_saving_jpy",
        "om": "annual_om_cost_jpy",
    }
    row: dict[str, Any] = {}
    for key, name in names.items():
        value = inputs.get(name)
        row[key] = (
            value
            if value is not None
            else Missing(next(c.label for c in columns if c.key == key), f"additionality.{name}", "annex.A.2")
        )
    never = assessment.payback is not None and not assessment.payback.value.is_finite()
    row["payback"] = "回収不能" if never else (assessment.payback.value if assessment.payback else None)
    row["threshold"] = assessment.threshold_years
    row["judgement"] = {True: "追加性あり", False: "追加性なし"}.get(assessment.additional, "判定できません")
    formulas = (
        [{"payback": "({capex}-{subsidy})/({saving}-{om})"}] if assessment.payback and not never else [{}]
    )
    return context.table(
        Table(
            "payback",
            "投資回収年数（補助金を控除）",
            columns,
            [row],
            formulas,
            note="投資回収年数 = (設備投資額 − 補助金額) / (年間削減額 − 年間運転維持費)",
        )
    )


def _address(row: Mapping, prefix: str = "") -> str | None:
    """郵便番号 / 都道府県 / 市区町村 / 以降 as one line (〒500-8856 岐阜県岐阜市橋本町...); None when all are empty."""
    parts = [row.get(f"{prefix}{key}") for key in ("prefecture", "city", "street")]
    postal = row.get(f"{prefix}postal_code")
    text = "".join(str(part) for part in parts if part)
    if postal:
        text = f"〒{postal} {text}".strip()
    return text or None


def other_proponents(context: Context) -> Table | Paragraph:
    """1.2 プロジェクト代表実施者以外のプロジェクト実施者 (standard): name, kana and address in four parts;
    an empty table (or none: the reader gives an empty one) says there is no other proponent."""
    rows = context.data.get("other_proponents")
    if rows is None:
        return Paragraph(
            (
                "代表以外の実施者: ",
                Missing("代表以外の実施者（いなければ空の表）", "other_proponents", "plan.1.2"),
            )
        )
    if not rows:
        return Paragraph(("該当なし（プロジェクト代表実施者のみ）",))
    table = schema.tables(context.calculation.methodology)["other_proponents"]
    columns = _columns(table)
    required = {"name", "name_kana", "postal_code", "prefecture", "city"}
    shown = []
    for index, row in enumerate(rows):
        line: dict[str, Any] = {}
        for column in columns:
            value = row.get(column.key)
            if value in (None, "") and column.key in required:
                value = Missing(
                    f"代表以外の実施者の{column.label}", f"other_proponents[{index}].{column.key}", "plan.1.2"
                )
            line[column.key] = value
        shown.append(line)
    return context.table(Table("other_proponents", "代表以外のプロジェクト実施者", columns, shown))


def additionality_sources(context: Context) -> Table:
    """A.2 (2) 追加性評価に必要な情報の入手方法: 項目 / 入手方法, from the table `additionality_sources`,
    else one row of `additionality.sources`; neither is a gap."""
    rows = context.data.get("additionality_sources") or []
    columns = [Column("item", "項目", width=8), Column("method", "入手方法", width=20)]
    shown: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        shown.append(
            {
                key: row.get(key) or Missing(label, f"additionality_sources[{index}].{key}", "annex.A.2")
                for key, label in (("item", "項目"), ("method", "入手方法"))
            }
        )
    if not shown:
        text = (context.data.get("additionality") or {}).get("sources")
        shown = [
            {
                "item": "追加性の評価に用いた値",
                "method": text or Missing("数値の出典（入手方法）", "additionality.sources", "annex.A.2"),
            }
        ]
    return context.table(Table("additionality_sources", "追加性評価に必要な情報の入手方法", columns, shown))


def typical_ids(context: Context) -> set | None:
    """The activity the plan's A.3 shows for a program: the one the estimate computes (`program.typical_activity`,
    else the first listed); None (all) for a standard project. An unknown id stays: calculation_symbols marks it."""
    return represented_ids(context.data)


def breakdown(
    context: Context,
    ids: set | None = None,
    table_id: str = "breakdown",
    title: str = "算定の内訳（期間ごと）",
) -> Table:
    """Every period piece with the inputs of its formulas and the Excel formulas that recompute it."""
    pieces = context.pieces(ids)
    code = context.calculation.methodology
    keys = _figure_keys(context)
    own = {"R_PJ", "E_PJ"} if context.forest else set()  # a forest's own figure columns, not inputs
    symbols: dict[str, None] = {}
    for piece in pieces:
        for figure in (piece.baseline, piece.project):
            symbols.update(dict.fromkeys(symbol for symbol in figure.inputs if symbol not in own))
    columns = [
        Column("activity_id", "活動ID"),
        Column("start", "期間開始", kind="date"),
        Column("end", "期間終了", kind="date"),
        Column("fiscal_year", "年度"),
        *(
            Column(symbol, symbol, kind="number", printed=len(symbols) <= PRINTED_INPUTS)
            for symbol in symbols
        ),
        *_figure_columns(context),
    ]
    rows, formulas = [], []
    for piece in pieces:
        inputs = {
            key: value
            for key, value in {**piece.baseline.inputs, **piece.project.inputs}.items()
            if key not in own
        }
        row: dict[str, Any] = {
            "activity_id": piece.activity_id,
            "start": piece.start,
            "end": piece.end,
            "fiscal_year": fiscal_year_text(piece.fiscal_year),
            **inputs,
            **_figures(context, piece),
        }
        rows.append(row)
        formulas.append(_piece_formulas(context, code, piece))
    total = {"activity_id": "合計", **{key: exact_sum(r[key] for r in rows) for key in keys}}
    sums = {key: f"SUM({{{key}}})" for key in keys}
    note = "各列の記号は算定式の記号。" + ("吸収量・排出量" if context.forest else "排出量")
    note += "は t-CO2、端数を含む値です。"
    if len(symbols) > PRINTED_INPUTS:
        note += "入力値（" + "、".join(symbols) + "）と計算式は別紙（XLSX）に示します。"
    return context.table(Table(table_id, title, columns, rows, formulas, total, sums, note=note))


def _piece_formulas(context: Context, code: str, piece: PeriodResult) -> dict[str, str]:
    """The Excel formulas of a piece's figures. A forest's EM_PJ = E_PJ − R_PJ gives the uptake R_PJ as the
    part after E_PJ; E_PJ itself stands as a value (its fuel inputs exist only where fuel was recorded)."""
    project = methodologies.excel_formula(code, piece.project)
    if not context.forest:
        return {
            "baseline": methodologies.excel_formula(code, piece.baseline),
            "project": project,
            "reduction": "{baseline}-{project}",
        }
    head = "{E_PJ}-"
    if project.startswith(head):
        removal = project[len(head) :]
    else:
        removal = "{emission}-(" + project.replace("{E_PJ}", "{emission}") + ")"
    return {"removal": removal, "reduction": "{removal}-{emission}"}


def annual_year(pieces: list[PeriodResult]) -> tuple[int | None, Decimal]:
    """The fiscal year A.3.1 shows per year (t-CO2/年): the first in which every piece covers the whole fiscal
    year, with factor 1; without one, the year with the most days, scaled up to its full length."""
    years: dict[int, list[PeriodResult]] = defaultdict(list)
    for piece in pieces:
        years[piece.fiscal_year].append(piece)

    def days(piece: PeriodResult) -> int:
        return periods.days(piece.start, piece.end)

    def length(year: int) -> int:
        return periods.days(*periods.fiscal_year_bounds(year))

    for year in sorted(years):
        if all(days(piece) == length(year) for piece in years[year]):
            return year, Decimal(1)
    if not years:
        return None, Decimal(1)
    year = max(sorted(years), key=lambda y: max(days(piece) for piece in years[y]))
    longest = max(days(piece) for piece in years[year])
    return year, EXACT.divide(Decimal(length(year)), Decimal(longest))


def calculation_symbols(context: Context) -> Table | Paragraph:
    """A.3.1: ER = EM_BL − EM_PJ as 記号 / 定義 / 単位 / 数値 in t-CO2/年, from the year's rows of the A.3.3/A.3.5
    breakdown on the same workbook (which already hold the incidental emissions A.3.2 counts). A forest shows
    the uptake R_PJ, the emissions E_PJ and the net removal, all positive."""
    wanted = (context.data.get("program") or {}).get("typical_activity")
    if (
        context.program
        and wanted
        and wanted not in {result.activity_id for result in context.calculation.activities}
    ):
        return Paragraph(
            (
                "A.3.1: ",
                Missing(
                    f"代表的な削減活動（{wanted} は活動一覧にない）", "program.typical_activity", "annex.A.3"
                ),
            )
        )
    pieces = context.pieces(typical_ids(context))
    year, scale = annual_year(pieces)
    figures = _summed(context, [piece for piece in pieces if piece.fiscal_year == year])
    figures = {key: EXACT.multiply(value, scale) for key, value in figures.items()}
    per_year = "t-CO2/年"
    columns = [
        Column("symbol", "記号"),
        Column("definition", "定義", width=3),
        Column("unit", "単位"),
        Column("value", "数値", kind="number", places=3),
    ]
    if context.forest:
        rows = [
            {
                "symbol": "ER",
                "definition": "純吸収量（ER = R_PJ − E_PJ）",
                "unit": per_year,
                "value": figures["reduction"],
            },
            {
                "symbol": "R_PJ",
                "definition": "吸収量（林小班ごとの算定の合計）",
                "unit": per_year,
                "value": figures["removal"],
            },
            {
                "symbol": "E_PJ",
                "definition": "プロジェクト実施に伴う排出量（林小班ごとの算定の合計）",
                "unit": per_year,
                "value": figures["emission"],
            },
        ]
        keys = ("reduction", "removal", "emission")
    else:
        rows = [
            {
                "symbol": "ER",
                "definition": "排出削減量（式1: ER = EM_BL − EM_PJ）",
                "unit": per_year,
                "value": figures["reduction"],
            },
            {
                "symbol": "EM_BL",
                "definition": "ベースライン排出量（A.3.5 の合計）",
                "unit": per_year,
                "value": figures["baseline"],
            },
            {
                "symbol": "EM_PJ",
                "definition": "プロジェクト排出量（A.3.3 の合計）",
                "unit": per_year,
                "value": figures["project"],
            },
        ]
        keys = ("reduction", "baseline", "project")
    formulas = (
        [
            {"value": f'SUMIFS({{breakdown.{key}[]}},{{breakdown.fiscal_year[]}},"{fiscal_year_text(year)}")'}
            for key in keys
        ]
        if year is not None and scale == 1
        else [{} for _ in keys]
    )
    subject = (
        "代表的な削減活動 " + ", ".join(sorted(map(str, typical_ids(context) or ())))
        if context.program
        else "全活動"
    )
    basis = "計画値による見込み" if context.calculation.estimate else "モニタリングデータ"
    source = "付随的な排出活動と林小班ごとの算定から算定" if context.forest else "A.3.2〜A.3.5 から算定"
    if year is None:
        when = "対象の年度なし"
    elif scale == 1:
        when = f"{fiscal_year_text(year)}（1年度分）"
    else:
        when = f"{fiscal_year_text(year)}の値を1年度分に換算"
    return context.table(
        Table(
            "symbols",
            "純吸収量の算定" if context.forest else "排出削減量の算定（A.3.1）",
            columns,
            rows,
            formulas,
            note=f"{subject}、{basis}、{when}。{source}。算定式: {context.module.FORMULA['ja']}",
        )
    )


def typical_breakdown(context: Context) -> Table | list[Table]:
    """A.3.3/A.3.5: the per-period breakdown of the plan's typical activity (all activities if standard).
    An estimate over several fiscal years prints the year A.3.1 shows (its rows sum to A.3.1); the workbook
    holds every year, which A.3.1's formulas sum."""
    full = breakdown(
        context, typical_ids(context), title="ベースライン排出量・プロジェクト排出量の内訳（A.3.3, A.3.5）"
    )
    year, scale = annual_year(context.pieces(typical_ids(context)))
    label = fiscal_year_text(year) if year is not None else ""
    if not context.calculation.estimate or year is None or scale != 1 or full.sheet is None:
        return full
    rows = [row for row in full.rows if row["fiscal_year"] == label]
    if len(rows) == len(full.rows):
        return full
    full.body = False
    keys = _figure_keys(context)
    shown = Table(
        "breakdown_year",
        f"{full.title}（{label}）",
        full.columns,
        rows,
        total={"activity_id": "合計", **{key: exact_sum(row[key] for row in rows) for key in keys}},
        note=f"A.3.1 の{label}分。認証対象期間の全年度の内訳と計算式は別紙（XLSX）の「{full.sheet}」シートに示します。",
    )
    return [shown, full]


def incidental(context: Context) -> list | Paragraph:
    """A.3.2: the incidental emissions in two tables, (1) baseline and (2) project, each row with its reasoning
    (考え方), emissions, impact and whether it is counted, and a 合計 row."""
    rows = context.data.get("incidental_emissions")
    if rows is None:
        return Paragraph(
            ("付随的な排出活動: ", Missing("付随的な排出活動", "incidental_emissions", "annex.A.3"))
        )
    labels = {"scenario": "区分", "source": "排出活動", "method": "考え方"}
    table = schema.tables(context.calculation.methodology)["incidental_emissions"]
    by_key = {column.key: column for column in _columns(table)}
    columns = [
        Column("source", labels["source"], width=10),
        Column("method", labels["method"], width=16),
        by_key["amount_kg_per_year"],
        by_key["impact_pct"],
        Column("counted", "算定", width=8),
    ]
    blocks: list = []
    headings = (
        ("ベースライン排出量", "プロジェクト排出量")
        if not context.forest
        else ("ベースライン", "プロジェクト")
    )
    for number, scenario, heading in (
        (1, "baseline", f"{headings[0]}の付随的な排出活動"),
        (2, "project", f"{headings[1]}の付随的な排出活動"),
    ):
        shown = []
        for index, row in enumerate(rows):
            if row.get("scenario") != scenario:
                continue
            line: dict[str, Any] = {}
            for column in columns:
                value = row.get(column.key)
                if column.key == "counted" and isinstance(value, bool):
                    value = "排出量の算定を行う" if value else "排出量の算定を行わない"
                if value is None:
                    value = Missing(
                        (labels.get(column.key) or column.label),
                        f"incidental_emissions[{index}].{column.key}",
                        "annex.A.3",
                    )
                line[column.key] = value
            shown.append(line)
        title = f"({number}) {heading}"
        if not shown:
            blocks.append(Paragraph((f"{title}: なし",)))
            continue
        numbers = {
            key: exact_sum(row[key] for row in shown if isinstance(row[key], (int, Decimal)))
            for key in ("amount_kg_per_year", "impact_pct")
        }
        blocks.append(
            context.table(
                Table(
                    f"incidental_{scenario}",
                    title,
                    columns,
                    shown,
                    total={"source": "合計", **numbers},
                    total_formulas={key: f"SUM({{{key}}})" for key in numbers},
                )
            )
        )
    if any(row.get("scenario") not in ("baseline", "project") for row in rows):
        blocks.append(
            Paragraph(
                (
                    "区分: ",
                    Missing("付随的な排出活動の区分", "incidental_emissions", "annex.A.3"),
                )
            )
        )
    return blocks


def planned_inputs(context: Context) -> Table | None:
    """Section 3: the planned inputs the estimate is computed from, of each activity it computes (a program's
    typical activity), beside the installed equipment they multiply. None when the figures are monitored."""
    if not context.calculation.estimate:
        return None
    code = context.calculation.methodology
    table = schema.tables(code)["activities"]
    planned = context.module.PLANNED
    columns = [Column("activity_id", "活動ID")] + [
        column for column in _columns(table) if column.key in planned
    ]
    computed = {result.activity_id for result in context.calculation.activities if result.periods}
    wanted = typical_ids(context)
    rows = []
    for activity in context.data.get("activities") or []:
        if (wanted is None and activity.get("id") in computed) or (wanted and activity.get("id") in wanted):
            row = {"activity_id": activity.get("id")}
            for column in columns[1:]:
                value = activity.get(column.key)
                coded = isinstance(table.schema[column.key].get("allowed"), list)
                row[column.key] = schema.code_label(value) if coded else value
            rows.append(row)
    used = [c for c in columns if c.key == "activity_id" or any(r.get(c.key) is not None for r in rows)]
    rows = [{column.key: row.get(column.key) for column in used} for row in rows]
    note = (
        f"{'吸収見込量' if context.forest else '排出削減見込量'}の前提とする計画値（活動一覧の見込みの列）。"
    )
    if context.program:
        note += f"代表的な削減活動の見込みを {context.calculation.represented} 件分として計上する。"
    return context.table(Table("planned", "見込みの前提（計画値）", used, rows, note=note))


def results_by_year(context: Context) -> Table | Paragraph:
    """Per fiscal year: the three figures (exact); the total once, then truncated once."""
    pieces = context.pieces()
    calculation = context.calculation
    word = reduction_word(context)
    if not pieces and calculation.estimate:  # the planned inputs are empty: calc names each one
        return Paragraph(
            (f"{word}の見込み: ", Missing("計画値（活動一覧の見込みの列）", "activities", "plan.3"))
        )
    if not pieces:
        return Paragraph(
            (
                f"{word}: ",
                Missing("対象期間の読取値（モニタリングデータ）", "monitoring", "monitoring.B.2"),
            )
        )
    count = calculation.represented  # a program's estimate: its representative times the activities
    keys = _figure_keys(context)
    years: dict[int, list[PeriodResult]] = defaultdict(list)
    for piece in pieces:
        years[piece.fiscal_year].append(piece)
    columns = [
        Column("fiscal_year", "年度"),
        *_figure_columns(context),
        Column("certified", f"認証対象の{word}", T, "integer"),
    ]
    rows, formulas = [], []
    for year in sorted(years):
        figures = _summed(context, years[year])
        rows.append(
            {
                "fiscal_year": fiscal_year_text(year),
                **{key: EXACT.multiply(figures[key], count) for key in keys},
            }
        )
        formulas.append({} if count != 1 else _sums_of(context.options.get("linked"), "fiscal_year", keys))
    total = {
        "fiscal_year": "合計",
        **{key: exact_sum(r[key] for r in rows) for key in keys[:2]},
        "reduction": calculation.total_exact,
        "certified": calculation.total_certified,
    }
    sums = {key: f"SUM({{{key}}})" for key in keys}
    if calculation.total_certified == truncate(calculation.total_exact):  # not under per-activity truncation
        sums["certified"] = "ROUNDDOWN(SUM({reduction}),0)"
    note = f"認証対象の{word}は合計を 1 t-CO2 未満切り捨て（1回のみ）。"
    title = f"年度別の{word}"
    if calculation.estimate:
        title = f"年度別の{word}の見込み" if context.forest else "年度別の排出削減見込量"
        columns[-1] = Column(
            "certified",
            "認証対象の純吸収量の見込み" if context.forest else "認証対象の排出削減見込量",
            T,
            "integer",
        )
        note = (
            "計画値による見込み（モニタリングデータは用いない）。認証対象期間の各年度を同じ算定式で求め、"
            + note
        )
        if context.program:
            note += f"代表的な削減活動の見込み × {count} 件。"
    return context.table(Table("results", title, columns, rows, formulas, total, sums, note=note))


def _sums_of(linked: str | None, by: str, keys=FIGURES) -> dict[str, str]:
    """Formulas summing a row's figures from the per-period table `linked` in the same workbook (SUMIFS on `by`),
    so every total down to the certified one recomputes from the monthly rows."""
    if not linked:
        return {}
    return {key: f"SUMIFS({{{linked}.{key}[]}},{{{linked}.{by}[]}},{{{by}}})" for key in keys}


def results_by_activity(context: Context) -> Table | None:
    """A program's activities, each with its crediting period and exact reduction."""
    if not context.program:
        return None
    keys = _figure_keys(context)
    columns = [
        Column("activity_id", "活動ID"),
        Column("crediting", "認証対象期間", width=2),
        *_figure_columns(context),
    ]
    rows = []
    for result in context.calculation.activities:
        period = (
            f"{date_text(result.crediting[0])}〜{date_text(result.crediting[1])}"
            if result.crediting
            else None
        )
        figures = _summed(context, result.periods)
        figures["reduction"] = result.reduction_exact
        rows.append({"activity_id": result.activity_id, "crediting": period, **figures})
    total = {"activity_id": "合計", **{key: exact_sum(r[key] for r in rows) for key in keys}}
    formulas = [_sums_of(context.options.get("linked"), "activity_id", keys) for _ in rows]
    sums = {key: f"SUM({{{key}}})" for key in keys}
    return context.table(
        Table(
            "by_activity",
            f"削減活動ごとの{reduction_word(context)}",
            columns,
            rows,
            formulas,
            total,
            sums,
            note=f"{len(rows)} 活動",
        )
    )


def monthly_rows(context: Context) -> Table:
    """Every period piece of every activity, with formulas: the monitoring report's workbook annex."""
    return breakdown(context, None, "monthly", "月ごとの算定（全活動）")


# -- monitoring -------------------------------------------------------------------------------------
def _plan_rows(context: Context) -> dict[str, tuple[int, Mapping]]:
    return {
        row.get("symbol"): (index, row) for index, row in enumerate(context.data.get("monitoring_plan") or [])
    }


def parameters(context: Context) -> Table:
    """B.2 (1) / plan 2.3: each monitored parameter with its method; in the report also its actual value."""
    module, plan = context.module, _plan_rows(context)
    tables = schema.tables(module.CODE)
    with_values = context.options.get("values", True) and not context.quick  # the checklist needs no figures
    columns = [
        Column("symbol", "記号"),
        Column("item", "項目"),
        Column("definition", "定義", width=2),
        Column("unit", "単位"),
        Column("method_class", "分類"),
        Column("method", "方法概要", width=2),
        Column("frequency", "頻度"),
    ]
    if with_values:
        columns += [
            Column("value", "実績値", kind="number", width=2),
            Column("period", "計測対象期間", width=2),
        ]
    columns.append(Column("remarks", "備考"))
    readings = context.readings()
    rows = []
    for parameter in module.MONITORING:
        index, planned = plan.get(parameter.symbol, (None, {}))
        meta = tables[parameter.table].schema.get(parameter.field, {}).get("meta", {})
        row: dict[str, Any] = {
            "symbol": parameter.symbol,
            "item": parameter.label["ja"],
            "definition": _definition(meta),
            "unit": parameter.unit,
            "frequency": parameter.frequency["ja"],
            "remarks": planned.get("remarks"),
        }
        for key, label in (("method_class", "分類"), ("method", "方法概要")):
            where = (
                f"monitoring_plan[{index}].{key}"
                if index is not None
                else f"monitoring_plan[{parameter.symbol}].{key}"
            )
            row[key] = planned.get(key) or Missing(f"{parameter.symbol} の{label}", where, "plan.2.3")
        if with_values:
            row["value"] = _actual(context, parameter, readings)
            spans = [
                span for reading in readings for span in (context.module.reading_period(reading),) if span
            ]
            window = context.calculation.period
            if spans:
                first, last = min(s[0] for s in spans), max(s[1] for s in spans)
                first, last = max(first, window[0] or first), min(last, window[1] or last)
                row["period"] = span_text(first, last)
        rows.append(row)
    rows += _activity_parameters(context, with_values)
    note = (
        "実績値: 加算できる項目は対象期間の合計（期間をまたぐ読取値は日割り）、それ以外は最小〜最大。"
        if with_values
        else ""
    )
    return context.table(Table("parameters", "モニタリング項目", columns, rows, note=note))


def _activity_parameters(context: Context, with_values: bool) -> list[dict[str, Any]]:
    """The methodology's fixed per-activity inputs (EN-R-002's battery share and loss) as rows of the
    parameters table: only those some activity fills, with the range of values and their sources and statuses."""
    activity_schema = schema.tables(context.module.CODE)["activities"].schema
    statuses = {"verified": "確認済み", "unverified": "未確認", "third-party": "第三者資料"}
    rows = []
    for parameter in context.module.ACTIVITY_PARAMETERS:
        given = [
            activity
            for activity in context.data.get("activities") or []
            if activity.get(parameter.field) is not None
        ]
        if not given:
            continue
        source, status = parameter.sources or ("", "")
        sources = dict.fromkeys(
            f"{activity.get(source) or '出典なし'}"
            f"（{statuses.get(activity.get(status), activity.get(status) or '確認状況なし')}）"
            for activity in given
        )
        numbers = sorted(activity[parameter.field] for activity in given)
        low, high = value_text(numbers[0]), value_text(numbers[-1])
        row: dict[str, Any] = {
            "symbol": parameter.symbol,
            "item": parameter.label["ja"],
            "definition": _definition(activity_schema.get(parameter.field, {}).get("meta", {})),
            "unit": parameter.unit,
            "method_class": "活動一覧",
            "method": f"活動一覧に記入した活動ごとの値（{len(given)} 活動）",
            "frequency": parameter.frequency["ja"],
            "remarks": "出典: " + "；".join(sources),
        }
        if with_values:
            row["value"] = low if low == high else f"{low}〜{high}"
        rows.append(row)
    return rows


def _actual(context: Context, parameter, readings: list[Mapping]) -> Any:
    """B.2's 実績値: an additive quantity summed over the period (a reading across its edge by days);
    a derived one (self-consumption) as the formulas used it; anything else (a temperature) as its range.
    A parameter of the activity list (a paddy's area) ranges over the activities with readings in the period."""
    if parameter.table == "activities":
        ids = {reading.get("activity_id") for reading in readings}
        readings = [row for row in context.data.get("activities") or [] if row.get("id") in ids]
    elif parameter.field in context.module.ADDITIVE:
        total, period = [], context.module.reading_period
        for reading in readings:
            value, span = reading.get(parameter.field), period(reading)
            if isinstance(value, (int, Decimal)) and span:
                total.append(value * _share(span, context.calculation.period))
        if total:
            return exact_sum(total)
        derived = [
            piece.baseline.inputs.get(parameter.symbol, piece.project.inputs.get(parameter.symbol))
            for piece in context.pieces()
        ]
        derived = [number for number in derived if number is not None]
        return exact_sum(derived) if derived else None
    numbers = sorted(
        value
        for reading in readings
        for value in (reading.get(parameter.field),)
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    )
    if not numbers:
        return None
    low, high = value_text(numbers[0]), value_text(numbers[-1])
    return low if low == high else f"{low}〜{high}"


def _share(span: tuple[dt.date, dt.date], window: tuple[dt.date | None, dt.date | None]) -> Decimal:
    """The part of a reading's days inside the report window (1 when it lies wholly inside)."""
    start, end = max(span[0], window[0] or span[0]), min(span[1], window[1] or span[1])
    if end < start:
        return Decimal(0)
    return Decimal((end - start).days + 1) / Decimal((span[1] - span[0]).days + 1)


def _definition(meta: Mapping) -> str | None:
    """A monitored parameter's definition: the schema's `definition` where the help is an instruction to the
    person filling in the field (計測していれば記入…), which is never printed as data; else its help."""
    return (meta.get("definition") or meta.get("help") or {}).get("ja")


def factors_used(context: Context) -> Table:
    """B.2 (2): every factor row the calculation used, with its fiscal year, source and status."""
    columns = [
        Column("table", "係数"),
        Column("keys", "区分"),
        Column("fiscal_year", "年度"),
        Column("value", "値", kind="number"),
        Column("unit", "単位"),
        Column("source", "出典", width=3),
        Column("status", "確認状況"),
    ]
    rows = [
        {
            "table": factor_tables.table_label(ref.table),
            "keys": "、".join(str(schema.code_label(value)) for _, value in ref.keys),
            "fiscal_year": fiscal_year_text(ref.fiscal_year) if ref.fiscal_year else None,
            "value": ref.value,
            "unit": ref.unit,
            "source": ref.source + ("（factors.yaml で指定）" if ref.overridden else ""),
            "status": factor_tables.status_words(ref.status),
        }
        for ref in context.calculation.factors_used
    ]
    return context.table(
        Table(
            "factors",
            "使用した係数",
            columns,
            rows,
            note=(
                "未確認の係数は公式の資料の値と照合し、factors.yaml（または project.xlsx の「係数」シート）に"
                "出典を添えて状態を「確認済み」にして記入してください。"
            ),
        )
    )


def evidence(context: Context) -> list:
    """B.5: each reading's evidence file and its SHA-256, one line a file in the document (the period in
    short, the hash's first 12 digits: the workbook and manifest.json keep all 64); long lists go to the
    workbook only."""
    readings = [row for row in context.readings() if row.get("evidence")]
    period = context.module.reading_period
    columns = [
        Column("activity_id", "活動ID"),
        Column("period", "対象期間", width=2),
        Column("file", "ファイル", width=3),
        Column("sha256", "SHA-256", width=3, printed=False),
        Column("short", "SHA-256（先頭12桁）", width=2),
    ]
    rows = []
    digests = sha256_many(context.root / reading["evidence"] for reading in readings)
    for reading, digest in zip(readings, digests):  # None: the checklist reports the file (R-EVID-FILE)
        span = period(reading)
        rows.append(
            {
                "activity_id": reading.get("activity_id"),
                "period": span_text(*span) if span else None,
                "file": reading["evidence"],
                "sha256": digest,
                "short": digest[:12] if digest else None,
            }
        )
    table = context.table(Table("evidence", "証憑一覧", columns, rows, note=f"{len(rows)} 件"))
    if len(rows) <= EVIDENCE_ROWS_IN_BODY:
        return [table]
    table.sheet = table.sheet or "証憑一覧"
    table.body = False
    per_activity: dict[Any, int] = defaultdict(int)
    for row in rows:
        per_activity[row["activity_id"]] += 1
    summary = Table(
        "evidence_count",
        "活動ごとの証憑の件数",
        [Column("activity_id", "活動ID"), Column("count", "件数", kind="integer")],
        [{"activity_id": key, "count": count} for key, count in per_activity.items()],
        total={"activity_id": "合計", "count": len(rows)},
        note=f"全 {len(rows)} 件の一覧（ファイル名と SHA-256）は別紙（XLSX）の「{table.sheet}」シート。",
    )
    return [summary, table]


def monthly_chart(context: Context) -> Chart | None:
    """Monthly activity data (the first numeric monitored parameter) as bars, reductions as a line."""
    readings = context.readings()
    numeric = [
        p
        for p in context.module.MONITORING
        if not context.forest  # a forest's bars are its uptake, not the fuel of a few treatments
        and p.field in context.module.ADDITIVE
        and any(
            isinstance(r.get(p.field), (int, Decimal)) and not isinstance(r.get(p.field), bool)
            for r in readings
        )
    ]
    period = context.module.reading_period
    activity: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    reduction: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    pieces = context.pieces()
    for piece in pieces:
        reduction[(piece.start.year, piece.start.month)] += piece.reduction.value
    if numeric:
        parameter = numeric[0]
        for reading in readings:
            span, value = period(reading), reading.get(parameter.field)
            if span and isinstance(value, (int, Decimal)):
                activity[(span[0].year, span[0].month)] += value * _share(span, context.calculation.period)
        bars_label, bars_unit = parameter.label["ja"], parameter.unit
    else:
        for piece in pieces:
            activity[(piece.start.year, piece.start.month)] += _figures(context, piece)[
                _figure_keys(context)[0]
            ]
        bars_label, bars_unit = _LABELS[_figure_keys(context)[0]], T
    months = _months(sorted({*activity, *reduction}))
    if not months:
        return None
    return Chart(
        "monthly",
        f"月別の{bars_label}と{reduction_word(context)}",
        tuple(f"{y}-{m:02d}" for y, m in months),
        Series(bars_label, bars_unit, tuple(activity.get(month, Decimal(0)) for month in months)),
        Series(reduction_word(context), T, tuple(reduction.get(month, Decimal(0)) for month in months)),
        sheet=context.options.get("sheet"),
    )


def _months(present: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every month from the first to the last present, so gaps show as empty months."""
    if not present:
        return []
    (year, month), last = present[0], present[-1]
    months = []
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# Blocks that show figures but can hold no 【未記入】 marker: the checklist skips them.
GAPLESS = frozenset(
    {
        "calculation_symbols",
        "planned_inputs",
        "typical_breakdown",
        "results_by_year",
        "results_by_activity",
        "monthly_rows",
        "factors_used",
        "evidence",
        "monthly_chart",
    }
)

BUILDERS: dict[str, Callable[[Context], Any]] = {
    "activities": activities,
    "other_proponents": other_proponents,
    "additionality_sources": additionality_sources,
    "payback": payback,
    "calculation_symbols": calculation_symbols,
    "planned_inputs": planned_inputs,
    "typical_breakdown": typical_breakdown,
    "incidental_emissions": incidental,
    "results_by_year": results_by_year,
    "results_by_activity": results_by_activity,
    "monthly_rows": monthly_rows,
    "parameters": parameters,
    "factors_used": factors_used,
    "evidence": evidence,
    "monthly_chart": monthly_chart,
}
