"""A hand-built document exercising every block kind, for the renderer tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from toolkit.documents.model import (
    Chart,
    Column,
    Document,
    FieldRow,
    Fields,
    Missing,
    Paragraph,
    Section,
    Series,
    Table,
)

HOSTILE = '<script>alert(1)</script> {{ 7*7 }} =HYPERLINK("http://example.com","x") & {% if 1 %}'
POSTAL = Missing("郵便番号", "proponent.postal_code", "plan.1.1")


def build_document(rows: int = 40) -> Document:
    readings = Table(
        id="readings",
        title="月別の算定",
        sheet="月別算定",
        columns=[
            Column("activity_id", "活動ID", kind="text"),
            Column("month", "年月", kind="text"),
            Column("kwh", "自家消費量", "kWh", "number", places=0),
            Column("factor", "排出係数", "t-CO2/kWh", "number"),
            Column("reduction", "排出削減量", "t-CO2", "number", places=3),
        ],
        rows=[],
        formulas=[],
    )
    for index in range(rows):
        kwh = Decimal(300 + index)
        factor = Decimal("0.000441")
        readings.rows.append(
            {
                "activity_id": f"PV-{index:04d}",
                "month": f"2025-{index % 12 + 1:02d}",
                "kwh": kwh,
                "factor": factor,
                "reduction": kwh * factor,
            }
        )
        readings.formulas.append({"reduction": "{kwh}*{factor}"})
    readings.total = {
        "activity_id": "合計",
        "kwh": sum(row["kwh"] for row in readings.rows),
        "reduction": sum(row["reduction"] for row in readings.rows),
    }
    readings.total_formulas = {"kwh": "SUM({kwh})", "reduction": "SUM({reduction})"}
    summary = Table(
        id="summary",
        title="排出削減量",
        sheet="算定",
        columns=[
            Column("symbol", "記号"),
            Column("definition", "定義"),
            Column("unit", "単位"),
            Column("value", "数値", kind="number", places=3),
        ],
        rows=[
            {
                "symbol": "EM_BL",
                "definition": "ベースライン排出量",
                "unit": "t-CO2",
                "value": readings.total["reduction"],
            },
            {"symbol": "EM_PJ", "definition": "プロジェクト排出量", "unit": "t-CO2", "value": Decimal(0)},
            {"symbol": "ER", "definition": HOSTILE, "unit": "t-CO2", "value": readings.total["reduction"]},
        ],
        formulas=[{"value": "{readings.reduction}"}, {}, {"value": "{readings.reduction}-0"}],
    )
    chart = Chart(
        "monthly",
        "月別の自家消費量と排出削減量",
        tuple(f"2025-{month:02d}" for month in range(4, 13)),
        Series("自家消費量", "kWh", tuple(Decimal(1000 + 50 * month) for month in range(9))),
        Series("排出削減量", "t-CO2", tuple(Decimal("0.441") * (1 + month) for month in range(9))),
        sheet="グラフ",
    )
    sections = [
        Section(
            "plan.cover",
            "",
            "表紙",
            [
                Fields(
                    (
                        FieldRow(
                            "プロジェクト名称",
                            ("岐阜地域住宅用太陽光発電J-クレジットプロジェクト",),
                            "project.name",
                        ),
                        FieldRow("登録申請日", ("2025年4月1日",), "project.registration_application_date"),
                    )
                )
            ],
        ),
        Section("plan.1", "1", "プロジェクト実施者", []),
        Section(
            "plan.1.1",
            "1.1",
            "運営・管理者",
            [
                Fields(
                    (
                        FieldRow("実施者名", (HOSTILE,), "proponent.name"),
                        FieldRow("郵便番号", (POSTAL,), "proponent.postal_code"),
                    )
                )
            ],
            level=2,
        ),
        Section(
            "plan.2.1",
            "2.1",
            "目的及び概要",
            [
                Paragraph(
                    ("本プロジェクトは ", HOSTILE, " を対象とし、郵便番号 ", POSTAL, " の協議会が運営する。")
                ),
                summary,
                readings,
                chart,
            ],
            level=2,
        ),
    ]
    return Document(
        kind="plan",
        title="プロジェクト計画書（プログラム型）",
        project_name="岐阜地域住宅用太陽光発電J-クレジットプロジェクト",
        date=dt.date(2025, 4, 1),
        stage="registration",
        sections=sections,
        open_items=[POSTAL],
        files={"pdf": "plan.pdf", "docx": "plan.docx", "xlsx": "plan-annex.xlsx"},
        workbook_title="プロジェクト計画書 別紙",
    )


@pytest.fixture
def document() -> Document:
    return build_document()


@pytest.fixture
def long_document() -> Document:
    """Enough rows for the readings table to run over several pages."""
    return build_document(rows=300)
