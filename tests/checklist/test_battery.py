"""EN-R-002 with a battery: a household without its 経由率 is blocking, unverified values are reported, and the
plan and the monitoring report show the values."""

from __future__ import annotations

from decimal import Decimal

from checklist_edits import STAGES, column, of_rule, sample, set_cells, the, where

from toolkit import pipeline
from toolkit.documents import assemble as documents

ACTIVITIES = "activities.xlsx"


def battery_rows(root) -> list[int]:
    return [row for row, value in enumerate(column(root, ACTIVITIES, "蓄電池")) if value == "はい"]


def test_battery_household_without_share_is_blocking_at_its_cell(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    row = battery_rows(root)[0]
    cell = set_cells(root, ACTIVITIES, {(row, "蓄電池経由率(%)"): None})
    for stage in STAGES:
        found = pipeline.check(root, stage)
        finding = the(found, "R-PV-BATTERY")
        assert (finding.path, finding.severity) == (f"activities[{row}].battery_share_pct", "blocking")
        assert where(finding) == f"activities.xlsx!活動一覧!{cell[(row, '蓄電池経由率(%)')]}"
        assert "0 や 1 とはみなしません" in finding.message("ja")
        # the calculation's own complaint about the same cell is not listed twice
        assert [f for f in found.findings if f.path == finding.path] == [finding]
        assert not found.ready


def test_battery_household_is_not_computed_without_its_share(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    row = battery_rows(root)[0]
    activity = column(root, ACTIVITIES, "活動ID")[row]
    full = pipeline.calculate(sample(tmp_path / "full", "solar-program", evidence=False))
    set_cells(root, ACTIVITIES, {(row, "蓄電池経由率(%)"): None})
    result = pipeline.calculate(root)
    assert [p.path for p in result.errors] == [f"activities[{row}].battery_share_pct"]
    kept = {a.activity_id: a for a in result.activities}
    assert not kept[activity].periods  # neither 0 % nor 100 %: nothing counted for it
    assert result.total_exact < full.total_exact


def test_unverified_battery_values_are_a_warning(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    rows = battery_rows(root)
    found = pipeline.check(root, "registration")
    warnings = [f for f in of_rule(found, "R-FACTOR-STATUS") if f.code == "battery_not_verified"]
    assert [f.path for f in warnings] == [f"activities[{row}].battery_status" for row in rows]
    assert all(f.severity == "warning" for f in warnings)
    assert of_rule(found, "R-PV-BATTERY") == []
    set_cells(root, ACTIVITIES, {(row, "蓄電池の値の確認状況"): "verified" for row in rows})
    found = pipeline.check(root, "registration")
    assert [f for f in of_rule(found, "R-FACTOR-STATUS") if f.code == "battery_not_verified"] == []


def test_plan_and_report_show_the_battery_values(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    row = battery_rows(root)[0]
    activity = column(root, ACTIVITIES, "活動ID")[row]
    result = pipeline.calculate(root)
    listed = documents.build("activity_list", result, root)
    table = next(t for t in listed.tables() if t.id == "activities")
    labels = [c.label for c in table.columns]
    assert {"蓄電池経由率", "蓄電池損失率", "蓄電池の値の出典", "蓄電池の値の確認状況"} <= set(labels)
    shown = next(r for r in table.rows if r["id"] == activity)
    assert (shown["battery_share_pct"], shown["battery_loss_pct"], shown["battery_status"]) == (
        Decimal(30),
        Decimal(10),
        "未確認",
    )
    report = documents.build("monitoring", result, root)
    monthly = next(t for t in report.tables() if t.id == "monthly")
    pieces = [r for r in monthly.rows if r["activity_id"] == activity]
    assert pieces and all((r["r_batt"], r["L_batt"]) == (Decimal("0.3"), Decimal("0.1")) for r in pieces)


def test_parameters_table_lists_the_battery_values_in_plan_and_report(tmp_path):
    """The plan's 2.3 and the report's B.2 (1) list r_batt and L_batt after the monitored parameters: the
    sample's 10 battery households all give 30 % and 10 %, unverified stand-ins."""
    root = sample(tmp_path, "solar-program", evidence=False)
    result = pipeline.calculate(root)
    for kind in ("plan", "monitoring"):
        document = documents.build(kind, result, root)
        table = next(t for t in document.tables() if t.id == "parameters")
        rows = {row["symbol"]: row for row in table.rows}
        assert list(rows)[-2:] == ["r_batt", "L_batt"]
        assert rows["r_batt"]["unit"] == "%" and "10 活動" in rows["r_batt"]["method"]
        assert "サンプル用の仮の値" in rows["r_batt"]["remarks"] and "（未確認）" in rows["r_batt"]["remarks"]
        if kind == "monitoring":
            assert (rows["r_batt"]["value"], rows["L_batt"]["value"]) == ("30", "10")


def test_no_battery_no_battery_rows(tmp_path):
    result = pipeline.calculate(sample(tmp_path, "incomplete-solar", evidence=False))
    report = documents.build("monitoring", result, tmp_path / "incomplete-solar")
    table = next(t for t in report.tables() if t.id == "parameters")
    assert [row["symbol"] for row in table.rows] == ["EL_gen", "EL_sold", "EL_PJ,self"]


def test_battery_values_without_a_battery_are_a_warning_at_the_value(tmp_path):
    """A 経由率 filled in for a household that says it has no battery is not used, and the checklist says so."""
    root = sample(tmp_path, "solar-program", evidence=False)
    row = [row for row, value in enumerate(column(root, ACTIVITIES, "蓄電池")) if value == "いいえ"][0]
    cell = set_cells(root, ACTIVITIES, {(row, "蓄電池経由率(%)"): 30})
    finding = the(pipeline.check(root, "registration"), "R-PV-BATTERY")
    assert (finding.path, finding.severity) == (f"activities[{row}].battery_share_pct", "warning")
    assert where(finding) == f"activities.xlsx!活動一覧!{cell[(row, '蓄電池経由率(%)')]}"
    assert "算定には使っていません" in finding.message("ja")


def test_calc_gives_no_total_while_a_battery_share_is_missing(tmp_path, run):
    """A household not computed would be left out of the total without a word: calc prints no report and the
    JSON gives no totals (null), only the error at the cell."""
    import json

    root = sample(tmp_path, "solar-program", evidence=False)
    set_cells(root, ACTIVITIES, {(battery_rows(root)[0], "蓄電池経由率(%)"): None})
    status, out, err = run("calc", root)
    assert status == 1 and "認証対象" not in out and "battery_share_pct" in out + err
    status, out, err = run("calc", root, "--format", "json")
    result = json.loads(out)
    assert status == 1
    assert (result["total_reduction_t"], result["total_reduction_exact_t"], result["by_fiscal_year"]) == (
        None,
        None,
        None,
    )


def test_the_battery_formula_is_reported_unverified_even_with_verified_values(tmp_path):
    """No published source gives EL × (1 − r × L): once, at the first battery household, whatever the status."""
    root = sample(tmp_path, "solar-program", evidence=False)
    rows = battery_rows(root)
    set_cells(root, ACTIVITIES, {(row, "蓄電池の値の確認状況"): "verified" for row in rows})
    (finding,) = [
        f
        for f in of_rule(pipeline.check(root, "registration"), "R-FACTOR-SRC")
        if f.code == "battery_formula_unverified"
    ]
    assert (finding.path, finding.severity) == (f"activities[{rows[0]}].battery", "warning")
    assert f"{len(rows)} 件" in finding.message("ja") and "確認されていません" in finding.message("ja")
