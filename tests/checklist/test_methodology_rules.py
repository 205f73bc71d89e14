"""Each methodology's own rules (AG-005 seasons and percolation, AG-004 biochar, FO-001 plans)."""

from __future__ import annotations

import datetime as dt

import pytest
from checklist_edits import (
    ALL_SAMPLES,
    READINGS,
    STAGES,
    complete,
    delete_rows,
    of_rule,
    replace,
    rules_only,
    sample,
    set_cells,
    the,
    where,
)

from toolkit import pipeline

# -- methodology rules --------------------------------------------------------------------------------
AG5 = {  # rice-drainage RD-0001: drained 2025-07-04 to 07-27 (mean 8.5 days before), heading 2025-08-06
    "R-AG5-7D": (
        lambda root: set_cells(root, READINGS, {(0, "中干し終了日"): dt.datetime(2025, 7, 10)}),
        "monitoring[0].drainage_end",
        "D2",
    ),
    "R-AG5-HEADING": (
        lambda root: set_cells(root, READINGS, {(0, "中干し終了日"): dt.datetime(2025, 8, 6)}),
        "monitoring[0].heading_date",
        "E2",
    ),  # ends on the heading day: not before it
    "R-AG5-2YHIST": (
        lambda root: delete_rows(root, "activities.xlsx", [1], "中干し実績"),  # RD-0001's 2024 row
        "monitoring[0].drainage_start",
        "C2",
    ),
}


@pytest.mark.parametrize("rule", AG5)
def test_rice_season_conditions(tmp_path, rule):
    root = sample(tmp_path, "rice-drainage", evidence=False)
    edit, path, cell = AG5[rule]
    edit(root)
    registration = pipeline.check(root, "registration")  # §7: season conditions are checked at verification
    assert not [finding for finding in registration.findings if finding.rule.startswith("R-AG5-")]
    found = pipeline.check(root, "verification")
    assert [finding.rule for finding in found.findings if finding.rule.startswith("R-AG5-")] == [rule]
    finding = the(found, rule)
    assert (finding.path, finding.severity, where(finding)) == (
        path,
        "warning",
        f"{READINGS}!モニタリング!{cell}",
    )


def test_complete_rice_sample_meets_every_season_condition():
    for stage in STAGES:
        assert not [f for f in complete("rice-drainage", stage).findings if f.rule.startswith("R-AG5-")]


def test_percolation_not_measured(tmp_path):
    """R-AG5-PERC fires; the activity list requires the same field, and the rule's own finding is the one shown
    (checklist._deduplicated: one gap, not two)."""
    root = sample(tmp_path, "rice-drainage", evidence=False)
    assert of_rule(rules_only(root, "verification"), "R-AG5-PERC") == []
    set_cells(root, "activities.xlsx", {(0, "日減水深(mm/日)"): None}, "活動一覧")
    path, cell = "activities[0].percolation_mm_per_day", "activities.xlsx!活動一覧!F2"
    finding = the(rules_only(root, "verification"), "R-AG5-PERC")
    assert (finding.path, finding.severity, where(finding)) == (path, "blocking", cell)
    found = pipeline.check(root, "verification")  # §7: R-AG5-PERC at verification
    assert [(f.rule, f.severity, where(f)) for f in found.findings if f.path == path] == [
        ("R-AG5-PERC", "blocking", cell)
    ]


def test_biochar_temperature_and_carbon_content(tmp_path):
    root = sample(tmp_path, "biochar", evidence=False)
    cells = set_cells(
        root,
        READINGS,
        {
            (0, "炭化温度(℃)"): None,
            (2, "精煉度"): None,  # row 2 had only the refinement to show its carbon
            (4, "炭素含有率の実測値(%)"): None,
        },
    )  # row 4 keeps its fixed carbon: enough
    for stage in STAGES:
        found = {finding.path: finding for finding in of_rule(pipeline.check(root, stage), "R-AG4-TEMP")}
        assert set(found) == {"monitoring[0].pyrolysis_temp_c", "monitoring[2].refinement"}
        assert {finding.severity for finding in found.values()} == {"blocking"}
        assert (
            where(found["monitoring[0].pyrolysis_temp_c"])
            == f"{READINGS}!モニタリング!{cells[(0, '炭化温度(℃)')]}"
        )
        assert where(found["monitoring[2].refinement"]) == f"{READINGS}!モニタリング!{cells[(2, '精煉度')]}"
    assert of_rule(complete("biochar", "verification"), "R-AG4-TEMP") == []


@pytest.mark.parametrize("celsius", [350, 120])
def test_biochar_made_at_350_c_or_less_is_blocking(tmp_path, celsius):
    """IPCC 2019 Ap.4: biochar is made above 350 ℃; 350 ℃ or less has no permanence band and stores nothing."""
    root = sample(tmp_path, "biochar", evidence=False)
    cells = set_cells(root, READINGS, {(1, "炭化温度(℃)"): celsius})
    for stage in STAGES:
        found = pipeline.check(root, stage)
        (finding,) = of_rule(found, "R-AG4-TEMP")
        assert (finding.path, finding.severity, finding.code) == (
            "monitoring[1].pyrolysis_temp_c",
            "blocking",
            "biochar_pyrolysis_temp_low",
        )
        # the calculation's warning about the same cell is not listed a second time
        assert [f for f in found.findings if f.path == finding.path] == [finding]
        assert where(finding) == f"{READINGS}!モニタリング!{cells[(1, '炭化温度(℃)')]}"
        assert f"{celsius} ℃" in finding.message() and "350 ℃" in finding.message()


FOREST_R12_1 = (
    "location: 鹿沼市上粕尾字大倉, plan_id: 鹿沼市指令環第2024-118号,\n"
    "     species: sugi, forest_type: plantation, planted_year: 1978"
)


def test_forest_compartment_without_a_plan(tmp_path):
    """As with percolation, an empty plan_id is shown once, as the rule's own finding."""
    root = sample(tmp_path, "forest")
    assert of_rule(rules_only(root), "R-FO-PLAN") == []
    replace(root, FOREST_R12_1, FOREST_R12_1.replace(" plan_id: 鹿沼市指令環第2024-118号,", ""))
    finding = the(rules_only(root), "R-FO-PLAN")
    assert (finding.path, finding.severity, finding.location.file) == (
        "activities[0].plan_id",
        "blocking",
        "project.yaml",
    )
    found = pipeline.check(root, "registration")
    assert [(f.rule, f.severity) for f in found.findings if f.path == "activities[0].plan_id"] == [
        ("R-FO-PLAN", "blocking")
    ]


def test_forest_compartment_declared_outside_any_plan(tmp_path):
    root = sample(tmp_path, "forest")
    replace(
        root,
        FOREST_R12_1,
        FOREST_R12_1.replace("鹿沼市指令環第2024-118号", "該当なし：森林経営計画の対象外の林分"),
    )
    finding = the(pipeline.check(root, "registration"), "R-FO-PLAN")
    assert (finding.path, finding.severity) == ("activities[0].plan_id", "blocking")


def test_forest_permanence_reminder():
    for stage in STAGES:
        finding = the(complete("forest", stage), "R-FO-PERM")
        assert (finding.path, finding.severity, finding.section, finding.location) == (
            "",
            "info",
            "monitoring.B.4",
            None,
        )
    for name in ALL_SAMPLES:
        if name != "forest":
            assert of_rule(complete(name, "registration"), "R-FO-PERM") == []
