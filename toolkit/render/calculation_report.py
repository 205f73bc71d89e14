"""The calculation and factor tables as contract JSON (calc, factors) and as readable text."""

from __future__ import annotations

import functools
import json
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Sequence

from toolkit import messages, methodologies
from toolkit.calculate import factors as factor_tables
from toolkit.calculate.engine import ActivityResult, Calculation
from toolkit.documents.text import terminal_width
from toolkit.figures import EXACT, Figure, PeriodResult, Periods, PeriodValues
from toolkit.forked import both

SHOWN_PLACES = Decimal("0.000001")
COLUMNS = ("activity", "year", "baseline", "project", "reduction")  # messages.py: report.column.*
SHARED_PERIODS = 20_000  # from this many period results, calc's JSON is written by two processes


def _left(text: str, width: int) -> str:
    if text.isascii():  # figures and IDs, nearly every cell of a program's 40,000
        return text.ljust(width)
    return text + " " * max(0, width - terminal_width(text))


def _right(text: str, width: int) -> str:
    if text.isascii():
        return text.rjust(width)
    return " " * max(0, width - terminal_width(text)) + text


def _text(key: str, lang: str, **params: Any) -> str:
    """The words of the report, from messages.py (report.*)."""
    return messages.render("report." + key, lang, params)


def exact(value: Decimal) -> str:
    """A Decimal as plain digits, every one of them, without exponent or trailing zeros."""
    text = str(value)
    if "E" not in text and not ("." in text and text.endswith("0")):  # already plain: most figures
        return text
    # in the exact context: the default one would round a sum of split readings to 28 digits
    return format(value.normalize(EXACT), "f")


def shown(value: Decimal) -> str:
    """A quantity as text output shows it: six decimals, rounded half to even."""
    return format(value.quantize(SHOWN_PLACES, rounding=ROUND_HALF_EVEN), "f")


def figure_json(figure: Figure) -> str:
    """A figure with its formula, inputs and factor rows as JSON text, as calc --detail prints it."""
    inputs = ",".join(f'{_recurring(name)}:"{exact(value)}"' for name, value in figure.inputs.items())
    text = f'{{"value_t":"{exact(figure.value)}","formula":{_recurring(figure.formula)},"inputs":{{{inputs}}}'
    if figure.factors:
        names = tuple(
            ref.name + (f"@FY{ref.fiscal_year}" if ref.fiscal_year else "") for ref in figure.factors
        )
        text += ',"factors":' + _recurring(names)
    return text + "}"


@functools.lru_cache(maxsize=4096)
def _recurring(value: str | tuple[str, ...]) -> str:
    """The JSON of a text (or texts) a program's figures repeat: a formula, an input's name, factor rows."""
    return _compact(value)


def period_json(piece: PeriodResult | PeriodValues, detail: bool, iso: dict | None = None) -> str:
    """One period's figures as JSON text; with `detail`, each figure's formula, inputs and factor rows too.

    Written from a pattern, not through a dict: a program has 120,000 of them, and what goes into it is
    plain digits, ISO dates and a dotted path (escaped). `iso` remembers dates written before: a program's
    240,000 period dates are a few dozen days.
    """
    iso = {} if iso is None else iso
    start, end = piece.start, piece.end
    text = _PERIOD(
        iso.get(start) or iso.setdefault(start, start.isoformat()),
        iso.get(end) or iso.setdefault(end, end.isoformat()),
        piece.fiscal_year,
        _string(piece.source),
        exact(piece.baseline_t),
        exact(piece.project_t),
        exact(piece.reduction_t),
    )
    if detail:
        figures = f'"baseline":{figure_json(piece.baseline)},"project":{figure_json(piece.project)}'
        text = f"{text[:-1]},{figures}}}"
    return text


_PERIOD = (
    '{{"start":"{}","end":"{}","fiscal_year":{},"source":{},'
    '"baseline_t":"{}","project_t":"{}","reduction_t":"{}"}}'
).format
_string = json.encoder.encode_basestring  # a JSON string, as json.dumps(ensure_ascii=False) writes it


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def calculation_json(result: Calculation, lang: str = "ja", detail: bool = False) -> bytes:
    """`jcredit calc --format json` as compact JSON, UTF-8 encoded, with its final newline: the contract keys,
    per-period figures, problems.

    Each figure's formula, inputs and factor rows come with `detail`: for 120,000 readings they
    are 48 MB instead of 19, and the formulas are the same in every row of a methodology. Bytes, each part
    encoded as it is made: as one text, a program's 20 MB of digits would be widened to the width of its
    problems' Japanese, and written through click's terminal-colour filter, for nothing.
    """
    iso: dict = {}
    head = {
        "methodology": result.methodology,
        "estimate": result.estimate,  # calc --plan: from the planned inputs, never from readings
        "represented": result.represented,
        "rules_version": result.rules_version,
        "period": [day.isoformat() if day else None for day in result.period],
        # no totals while anything is missing: a partial sum would read as the project's reduction
        "total_reduction_t": result.total_certified if result.complete else None,
        "total_reduction_exact_t": exact(result.total_exact) if result.complete else None,
        "by_fiscal_year": {str(year): exact(value) for year, value in result.by_fiscal_year.items()}
        if result.complete
        else None,
    }
    listed = result.activities
    if sum(len(activity.periods) for activity in listed) >= SHARED_PERIODS:  # half written by a forked child
        middle = len(listed) // 2
        activities = b",".join(
            part
            for part in both(activities_json, (listed[:middle], detail, iso), (listed[middle:], detail, iso))
            if part
        )
    else:
        activities = activities_json(listed, detail, iso)
    tail = {
        "factors_used": [
            {
                "name": ref.name,
                "table": ref.table,
                "keys": dict(ref.keys),
                "fiscal_year": ref.fiscal_year,
                "value": exact(ref.value),
                "unit": ref.unit,
                "status": ref.status,
                "source": ref.source,
                "overridden": ref.overridden,
            }
            for ref in result.factors_used
        ],
        "additionality": additionality_json(result),
        "problems": [problem.as_json(lang) | {"severity": problem.severity} for problem in result.problems],
    }
    return b"".join(
        (
            (_compact(head)[:-1] + ',"activities":[').encode(),
            activities,
            ("]," + _compact(tail)[1:] + "\n").encode(),
        )
    )


def activities_json(activities: list[ActivityResult], detail: bool, iso: dict) -> bytes:
    """The activities' entries of calc's JSON, each with its periods (`period_json`), comma-separated."""
    return ",".join(
        _compact(
            {
                "id": activity.activity_id,
                "crediting_period": [day.isoformat() for day in activity.crediting]
                if activity.crediting
                else None,
                "reduction_exact_t": exact(activity.reduction_exact),
            }
        )[:-1]
        + ',"periods":['
        + ",".join([period_json(piece, detail, iso) for piece in _periods(activity, detail)])
        + "]}"
        for activity in activities
    ).encode()


def _periods(activity: ActivityResult, detail: bool) -> Sequence[PeriodResult | PeriodValues]:
    """An activity's periods as the JSON needs them: with `detail` their figures, else their values alone."""
    if detail or not isinstance(activity.periods, Periods):  # pickled, Periods are a plain tuple
        return activity.periods
    return activity.periods.values()


def additionality_json(result: Calculation) -> dict:
    """The additionality assessment as calc's JSON gives it: method, payback, threshold, verdict."""
    assessment = result.additionality
    payback = assessment.payback
    return {
        "method": assessment.method,
        "additional": assessment.additional,
        "reason": assessment.reason,
        "payback_years": exact(payback.value) if payback and payback.value.is_finite() else None,
        "threshold_years": exact(assessment.threshold_years)
        if assessment.threshold_years is not None
        else None,
    }


def calculation_text(result: Calculation, lang: str = "ja") -> str:
    """The calculation as calc prints it: header, formula, rows per activity and year, totals, factors."""
    module = methodologies.get(result.methodology)
    lines = [
        _text("header", lang, code=module.CODE, name=module.NAME[lang], rules=result.rules_version),
        _text("formula", lang, formula=module.FORMULA[lang]),
        "",
    ]
    columns = [_text("column." + column, lang) for column in COLUMNS]
    lines.append(
        _left(columns[0], 14)
        + _right(columns[1], 6)
        + "".join("  " + _right(text, 20) for text in columns[2:])
    )
    for activity in result.activities:
        for year, (baseline, project, reduction) in activity.by_fiscal_year.items():
            lines.append(
                _left(str(activity.activity_id), 14)
                + _right(str(year), 6)
                + "".join("  " + _right(shown(value), 20) for value in (baseline, project, reduction))
            )
    lines += ["", _text("by_year", lang)]
    lines += [f"  {year}: {shown(value)} t-CO2" for year, value in result.by_fiscal_year.items()]
    lines += [
        "",
        _text("total_exact", lang, tonnes=shown(result.total_exact)),
        _text("total", lang, tonnes=result.total_certified),
        "",
        _text("factors", lang),
    ]
    for ref in result.factors_used:
        year = f" FY{ref.fiscal_year}" if ref.fiscal_year else ""
        flag = "" if ref.status == "verified" else f"  [{ref.status}]"
        override = "  (factors.yaml)" if ref.overridden else ""
        lines.append(f"  {ref.name}{year}: {exact(ref.value)} {ref.unit}{flag}{override} — {ref.source}")
    lines += ["", _additionality_line(result, lang), "", _text("shown", lang)]
    return "\n".join(lines)


def _additionality_line(result: Calculation, lang: str) -> str:
    """The verdict on additionality: messages.py report.additionality.<reason>."""
    assessment = result.additionality
    payback = assessment.payback
    years = (
        format(payback.value.quantize(Decimal("0.01")), "f") if payback and payback.value.is_finite() else ""
    )
    reason = (
        ((result.project.data.get("additionality") or {}).get("exemption_reason") or "")
        if result.project
        else ""
    )
    return _text(
        "additionality." + assessment.reason,
        lang,
        years=years,
        threshold=assessment.threshold_years,
        reason=reason[:60],
    )


def factors_json(rules_version: str | None = None) -> dict:
    """The rules versions (or the one asked for) and every shipped factor row, as `jcredit factors` gives them."""
    versions = factor_tables.rule_versions()
    chosen = {rules_version: versions[rules_version]} if rules_version in versions else versions
    rows = factor_tables.shipped_rows().values()
    return {
        "rules_versions": {
            name: {
                "label": spec["label"],
                "status": spec["status"],
                "source": spec["source"],
                "unverified_switches": list(spec.get("unverified_switches") or ()),
                "switches": {
                    key: (value.isoformat() if hasattr(value, "isoformat") else value)
                    for key, value in spec["switches"].items()
                },
            }
            for name, spec in chosen.items()
        },
        "tables": {
            table: [
                {
                    "keys": dict(row.keys),
                    "fiscal_year": row.fiscal_year,
                    "value": exact(row.value),
                    "unit": row.unit,
                    "status": row.status,
                    "source": row.source,
                }
                for row in sorted(rows, key=lambda row: (row.keys, row.fiscal_year or 0))
                if row.table == table
            ]
            for table in factor_tables.table_names()
        },
    }


def factors_text(data: dict, lang: str = "ja") -> str:
    """`factors_json` as readable text: the rules versions with their switches, then each table's rows."""
    lines = [_text("rules_versions", lang)]
    for name, spec in data["rules_versions"].items():
        lines.append(f"  {name}  {spec['label'][lang]}  [{spec['status']}]")
        lines.append(f"      source: {spec['source']}")
        unverified = spec.get("unverified_switches") or ()
        lines += [
            f"      {key}: {value}" + ("  [unverified]" if key in unverified else "")
            for key, value in spec["switches"].items()
        ]
    lines.append("")
    lines.append(_text("factor_tables", lang))
    for table, rows in data["tables"].items():
        lines.append(f"  {table}")
        if not rows:
            lines.append("      " + _text("no_shipped_rows", lang))
        for row in rows:
            keys = ", ".join(f"{key}={value}" for key, value in row["keys"].items())
            year = f" FY{row['fiscal_year']}" if row["fiscal_year"] else ""
            lines.append(
                f"      {keys}{year}: {row['value']} {row['unit']}  [{row['status']}]  {row['source']}"
            )
    return "\n".join(lines)
