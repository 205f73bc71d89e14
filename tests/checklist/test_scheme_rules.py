"""The scheme's rules (domain.md §7): eligibility, periods, additionality and baseline, factors, double
counting, program type; each triggered and not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from checklist_edits import (
    ALL_SAMPLES,
    READINGS,
    STAGES,
    column,
    complete,
    delete_key,
    delete_rows,
    edit_yaml,
    line_of,
    of_rule,
    replace,
    sample,
    set_cells,
    the,
    where,
)

from toolkit import pipeline
from toolkit.checklist import readiness as checklist
from toolkit.pipeline import calculate

# -- eligibility and crediting period -----------------------------------------------------------------
LED_01 = (
    "  - id: LED-01\n    name: 第1工場 加工棟 高天井照明\n    location: 第1工場 加工棟 1階\n"
    "    commissioned_on: 2025-03-24"
)


@pytest.mark.parametrize(
    "commissioned, fires", [("2022-03-24", True), ("2023-03-31", True), ("2023-04-01", False)]
)
def test_two_year_rule(tmp_path, commissioned, fires):
    """Registration applied for on 2025-04-01: installed on or after 2023-04-01 (the day 2 years before)."""
    root = sample(tmp_path, "led-factory")
    replace(root, LED_01, LED_01.replace("2025-03-24", commissioned))
    for stage in STAGES:
        found = of_rule(pipeline.check(root, stage), "R-ELIG-2Y")
        if not fires:
            assert found == []
            continue
        (finding,) = found
        assert (finding.path, finding.severity) == ("activities[0].commissioned_on", "blocking")
        assert where(finding) == f"project.yaml:{line_of(root, 'commissioned_on: ' + commissioned)}"
        assert commissioned in finding.message("en") and "2023-04-01" in finding.message("en")


def test_two_year_rule_does_not_apply_to_complete_samples_or_forest():
    for name in ALL_SAMPLES:
        assert of_rule(complete(name, "registration"), "R-ELIG-2Y") == []


@pytest.mark.parametrize("start, fires", [("2025-03-01", True), ("2025-04-01", False), ("2025-05-01", False)])
def test_stated_crediting_start_before_the_rules_start(tmp_path, start, fires):
    root = sample(tmp_path, "led-factory")
    replace(root, "    start: 2025-04-01", f"    start: {start}")
    found = of_rule(pipeline.check(root, "registration"), "R-PERIOD-START")
    if fires:
        (finding,) = found
        assert (finding.path, finding.severity, finding.section) == (
            "project.crediting_period.start",
            "blocking",
            "plan.2.3",
        )
        assert where(finding) == f"project.yaml:{line_of(root, f'start: {start}')}"
    else:
        assert found == []
    assert of_rule(pipeline.check(root, "verification"), "R-PERIOD-START") == []  # a registration (V) check


@pytest.mark.parametrize(
    "rules, end, fires",
    [("2023-10", "2033-03-31", True), ("2023-10", "2031-03-31", False), ("2025-09", "2033-03-31", False)],
)
def test_stated_crediting_end_beyond_the_rules_end(tmp_path, rules, end, fires):
    """2023-10 caps the period at 2031-03-31; 2025-09 has no cap (start + 8 years − 1 day = 2033-03-31)."""
    root = sample(tmp_path, "led-factory")
    replace(root, 'rules_version: "2025-09"', f'rules_version: "{rules}"')
    replace(root, "    end: 2033-03-31", f"    end: {end}")
    assert of_rule(pipeline.check(root, "verification"), "R-PERIOD-END") == []  # a registration (V) check
    for stage in ("registration",):
        found = of_rule(pipeline.check(root, stage), "R-PERIOD-END")
        if fires:
            (finding,) = found
            assert (finding.path, finding.severity) == ("project.crediting_period.end", "warning")
            assert where(finding) == f"project.yaml:{line_of(root, f'end: {end}')}"
        else:
            assert found == []


# -- readings: data outside the period, gaps and overlaps --------------------------------------------
def test_reading_partly_outside_the_crediting_period_is_a_warning(tmp_path):
    root = sample(tmp_path, "led-factory")
    cells = set_cells(root, READINGS, {(0, "期間開始"): dt.datetime(2025, 3, 15)})
    finding = the(pipeline.check(root, "verification"), "R-PERIOD-DATA")
    assert (finding.path, finding.severity) == ("monitoring[0].period_start", "warning")
    assert where(finding) == f"{READINGS}!モニタリング!{cells[(0, '期間開始')]}"


def test_reading_wholly_outside_the_crediting_period_blocks_as_calc_refuses_it(tmp_path, run):
    root = sample(tmp_path, "led-factory")
    set_cells(
        root, READINGS, {(0, "期間開始"): dt.datetime(2025, 3, 1), (0, "期間終了"): dt.datetime(2025, 3, 31)}
    )
    assert run("calc", root)[0] == 1
    finding = the(pipeline.check(root, "verification"), "R-PERIOD-DATA")
    assert (finding.path, finding.severity) == ("monitoring[0].period_start", "blocking")


def test_gap_between_readings_is_a_warning(tmp_path):
    root = sample(tmp_path, "led-factory")
    assert column(root, READINGS, "活動ID")[3] == "LED-01"  # LED-01's May reading: April and June remain
    delete_rows(root, READINGS, [3])
    finding = the(pipeline.check(root, "verification"), "R-PERIOD-GAP")
    following = column(root, READINGS, "活動ID").index("LED-01", 1)  # LED-01's June reading, after the gap
    assert (finding.path, finding.severity) == (f"monitoring[{following}]", "warning")
    assert where(finding) == f"{READINGS}!モニタリング!{following + 2}"
    assert "2025-05-01" in finding.message("en") and "2025-05-31" in finding.message("en")


def test_gap_between_readings_names_the_activity(tmp_path):
    root = sample(tmp_path, "led-factory")
    delete_rows(root, READINGS, [3])  # LED-01's May reading
    finding = the(pipeline.check(root, "verification"), "R-PERIOD-GAP")
    assert "LED-01" in finding.message("ja") and "LED-01" in finding.message("en")


def test_a_reading_before_the_crediting_period_makes_no_gap_before_its_start(tmp_path):
    """LED-01 read in February 2025, its crediting period starting on 2025-04-01: the reading is outside
    (R-PERIOD-DATA, naming LED-01), and March, before the start, is no gap."""
    root = sample(tmp_path, "led-factory")
    append_reading(root, 0, dt.datetime(2025, 2, 1), dt.datetime(2025, 2, 28))
    found = pipeline.check(root, "verification")
    assert of_rule(found, "R-PERIOD-GAP") == []
    outside = the(found, "R-PERIOD-DATA")
    assert "2025-02-01" in outside.message("en") and "LED-01" in outside.message("en")


def test_a_gap_across_the_crediting_start_counts_from_the_start(tmp_path):
    """A February reading, then June: only April and May (inside the period) are missing."""
    root = sample(tmp_path, "led-factory")
    assert column(root, READINGS, "活動ID")[0] == "LED-01" and column(root, READINGS, "活動ID")[3] == "LED-01"
    delete_rows(root, READINGS, [0, 3])  # LED-01's April and May
    append_reading(root, 6, dt.datetime(2025, 2, 1), dt.datetime(2025, 2, 28))  # a copy of LED-01's June
    (gap,) = of_rule(pipeline.check(root, "verification"), "R-PERIOD-GAP")
    assert "2025-04-01" in gap.message("en") and "2025-05-31" in gap.message("en")
    assert "2025-03" not in gap.message("en") and "LED-01" in gap.message("en")


def append_reading(root, row: int, start: dt.datetime, end: dt.datetime) -> None:
    """A copy of reading `row` (from 0) with another period, as the sheet's last row."""
    import openpyxl

    book = openpyxl.load_workbook(root / READINGS)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    values = [cell.value for cell in sheet[row + 2]]
    values[headers.index("期間開始")], values[headers.index("期間終了")] = start, end
    sheet.append(values)
    book.save(root / READINGS)


def test_overlapping_readings_block(tmp_path):
    root = sample(tmp_path, "led-factory")
    set_cells(root, READINGS, {(3, "期間開始"): dt.datetime(2025, 4, 20)})  # LED-01 May now starts in April
    finding = the(pipeline.check(root, "verification"), "R-PERIOD-GAP")
    assert (finding.path, finding.severity) == ("monitoring[3]", "blocking")
    assert where(finding) == f"{READINGS}!モニタリング!5"


def test_activity_missing_the_first_month_of_the_monitoring_period_is_a_gap(tmp_path):
    root = sample(tmp_path, "led-factory")
    assert column(root, READINGS, "活動ID")[1] == "LED-02"
    delete_rows(
        root, READINGS, [1]
    )  # LED-02 April: the others start on 2025-04-01, as does its crediting period
    (finding,) = of_rule(pipeline.check(root, "verification"), "R-PERIOD-GAP")
    assert (finding.path, finding.severity) == ("activities[1].id", "warning")
    assert "2025-04-01" in finding.message("en") and "2025-04-30" in finding.message("en")


def test_an_activity_without_readings_blocks_at_verification(tmp_path):
    root = sample(tmp_path, "led-factory")
    rows = [index for index, value in enumerate(column(root, READINGS, "活動ID")) if value == "LED-02"]
    delete_rows(root, READINGS, rows)
    assert of_rule(pipeline.check(root, "registration"), "R-PERIOD-DATA") == []
    (finding,) = of_rule(pipeline.check(root, "verification"), "R-PERIOD-DATA")
    assert (finding.rule, finding.path, finding.severity) == ("R-PERIOD-DATA", "activities[1].id", "blocking")


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_complete_samples_have_no_period_findings(name):
    for stage in STAGES:
        for rule in ("R-PERIOD-START", "R-PERIOD-END", "R-PERIOD-DATA", "R-PERIOD-GAP"):
            assert of_rule(complete(name, stage), rule) == []


# -- additionality and baseline ------------------------------------------------------------------------
@pytest.mark.parametrize("subsidy, fires", [(10_000_000, True), (3_900_001, True), (3_900_000, False)])
def test_payback_with_the_subsidy_deducted(tmp_path, subsidy, fires):
    """(13,860,000 − subsidy) / (3,380,000 − 60,000) ≥ 3 years: exactly 3.0 at a subsidy of 3,900,000."""
    root = sample(tmp_path, "led-factory")
    replace(root, "subsidy_jpy: 2000000", f"subsidy_jpy: {subsidy}")
    found = of_rule(pipeline.check(root, "registration"), "R-ADD-PAYBACK")
    if not fires:
        assert found == []
        return
    (finding,) = found
    assert (finding.path, finding.severity, finding.section) == (
        "additionality.subsidy_jpy",
        "blocking",
        "annex.A.2",
    )
    assert where(finding) == f"project.yaml:{line_of(root, f'subsidy_jpy: {subsidy}')}"


def test_exemption_without_a_reason_blocks(tmp_path):
    root = sample(tmp_path, "rice-drainage", evidence=False)
    edit_yaml(root, lambda data: delete_key(data, "additionality.exemption_reason"))
    finding = the(pipeline.check(root, "registration"), "R-ADD-PAYBACK")
    assert (finding.path, finding.severity, finding.section) == (
        "additionality.exemption_reason",
        "blocking",
        "annex.A.2",
    )
    assert finding.location.file == "project.yaml"


@pytest.mark.parametrize(
    "name", ["led-factory", "rice-drainage", "solar-program"]
)  # payback, exempt, household
def test_additional_samples_pass(name):
    assert of_rule(complete(name, "registration"), "R-ADD-PAYBACK") == []


BASELINE_EDITS = {  # boiler BLR-01: 17 years old, statutory life 10 years, 1254 kW replaced by 1254 kW
    "R-BL-NOSPEC": ("old_specs_known: はい", "old_specs_known: いいえ"),
    "R-BL-2XLIFE": ("old_age_years: 17", "old_age_years: 21"),
    "R-BL-1.5CAP": ("project_capacity_kw: 1254", "project_capacity_kw: 1882"),
}


@pytest.mark.parametrize("rule", BASELINE_EDITS)
def test_baseline_forced_to_new_installation(tmp_path, rule):
    root = sample(tmp_path, "boiler")
    replace(root, *BASELINE_EDITS[rule])
    found = pipeline.check(root, "registration")
    assert [finding.rule for finding in found.findings if finding.rule.startswith("R-BL-")] == [rule]
    finding = the(found, rule)
    assert (finding.path, finding.severity) == ("activities[0].baseline_type", "blocking")
    assert where(finding) == f"project.yaml:{line_of(root, 'baseline_type: update')}"


@pytest.mark.parametrize(
    "edits",
    [
        [
            ("old_age_years: 17", "old_age_years: 20"),
            ("project_capacity_kw: 1254", "project_capacity_kw: 1881"),
        ],  # at the limits
        [("baseline_type: update", "baseline_type: new"), *BASELINE_EDITS.values()],  # already treated as new
    ],
    ids=["at-the-limits", "already-new"],
)
def test_baseline_kept_as_update(tmp_path, edits):
    root = sample(tmp_path, "boiler")
    for old, new in edits:
        replace(root, old, new)
    assert [f.rule for f in pipeline.check(root, "registration").findings if f.rule.startswith("R-BL-")] == []


# -- factors -----------------------------------------------------------------------------------------
def test_factor_of_another_fiscal_year_blocks(tmp_path):
    """The calculation always asks for the reduction's own year and never falls back (factors.py), so the
    rule is exercised on a calculation whose first piece was handed FY2024's grid factor for FY2025."""
    root = sample(tmp_path, "led-factory")
    calculation = calculate(root)
    assert of_rule(checklist.of_calculation(calculation, "registration"), "R-FY-FACTOR") == []
    result = calculation.activities[0]
    piece = result.periods[0]

    def older(figure):
        return figure._replace(
            factors=tuple(
                dataclasses.replace(ref, fiscal_year=piece.fiscal_year - 1)
                if ref.table == "grid_electricity"
                else ref
                for ref in figure.factors
            )
        )

    assert any(ref.table == "grid_electricity" for ref in piece.baseline.factors + piece.project.factors)
    wrong = piece._replace(baseline=older(piece.baseline), project=older(piece.project))
    calculation.activities[0] = dataclasses.replace(result, periods=(wrong, *result.periods[1:]))
    for stage in STAGES:
        finding = the(checklist.of_calculation(calculation, stage), "R-FY-FACTOR")
        assert (finding.path, finding.severity, finding.section) == (
            piece.source,
            "blocking",
            "monitoring.B.2",
        )
        row = int(re.fullmatch(r"monitoring\[(\d+)\]", piece.source).group(1))
        assert where(finding) == f"{READINGS}!モニタリング!{row + 2}"
        assert f"FY{piece.fiscal_year}" in finding.message("en")


def test_unverified_factors_and_rules_are_warnings():
    found = of_rule(complete("led-factory", "registration"), "R-FACTOR-STATUS")
    assert {(f.path, f.severity, where(f)) for f in found} == {
        ("grid_electricity", "warning", "factors.yaml:5"),
        ("rules_version", "warning", "project.yaml:5"),
    }


def test_verified_factors_under_verified_rules_raise_nothing(tmp_path):
    root = sample(tmp_path, "led-factory")
    replace(
        root, 'rules_version: "2025-09"', 'rules_version: "2017-10"'
    )  # verified; the band method needs marginal
    (root / "factors.yaml").write_text(
        "grid_electricity:\n"
        "  - {fiscal_year: 2025, basis: all_source, value: 0.000441, unit: t-CO2/kWh, source: test table,"
        " status: verified}\n"
        "  - {fiscal_year: 2025, basis: marginal, value: 0.000650, unit: t-CO2/kWh, source: test table,"
        " status: verified}\n",
        encoding="utf-8",
    )
    for stage in STAGES:
        found = pipeline.check(root, stage)
        assert of_rule(found, "R-FACTOR-STATUS") == [] and found.ready


# -- double counting ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "key, rule",
    [
        ("other_scheme", "R-DC-SCHEME"),
        ("non_fossil_certificate", "R-DC-NFC"),
        ("subsidy_claims_environmental_value", "R-DC-SUBSIDY"),
    ],
)
def test_double_counting_answers(tmp_path, key, rule):
    root = sample(tmp_path, "led-factory")
    assert of_rule(complete("led-factory", "registration"), rule) == []
    replace(root, f"  {key}: false", f"  {key}: true")
    for stage in (
        STAGES if rule != "R-DC-SUBSIDY" else ("registration",)
    ):  # §7: the subsidy at validation only
        finding = the(pipeline.check(root, stage), rule)
        assert (finding.path, finding.severity, finding.section) == (
            f"double_counting.{key}",
            "blocking",
            "plan.4",
        )
        assert where(finding) == f"project.yaml:{line_of(root, f'{key}: true')}"


def test_double_counting_messages_name_their_own_scheme_or_subsidy(tmp_path):
    root = sample(tmp_path, "boiler")
    replace(root, "  other_scheme: false", "  other_scheme: true\n  other_scheme_name: グリーン熱証書")
    replace(root, "  subsidy_claims_environmental_value: false", "  subsidy_claims_environmental_value: true")
    found = pipeline.check(root, "registration")
    assert "グリーン熱証書" in the(found, "R-DC-SCHEME").message("en")
    assert "省エネルギー投資促進支援事業費補助金" in the(found, "R-DC-SUBSIDY").message("en")


def test_fit_activity_that_sold_nothing(tmp_path):
    """PV-0001 is FIT/FIP and PV-0002 is not: a year with nothing sold is a warning only for the first."""
    root = sample(tmp_path, "solar-program", evidence=False)
    ids = column(root, READINGS, "活動ID")
    set_cells(
        root,
        READINGS,
        {(row, "売電量(kWh)"): 0 for row, name in enumerate(ids) if name in ("PV-0001", "PV-0002")},
    )
    assert column(root, "activities.xlsx", "FIT/FIP")[:2] == ["はい", "いいえ"]
    for stage in STAGES:
        finding = the(pipeline.check(root, stage), "R-DC-FIT")
        assert (finding.path, finding.severity) == ("activities[0].fit", "warning")
        assert where(finding) == "activities.xlsx!活動一覧!H2"
    assert of_rule(complete("solar-program", "registration"), "R-DC-FIT") == []


# -- program type -------------------------------------------------------------------------------------
def test_program_activities_monitoring_other_items(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    ids, made, sold = (column(root, READINGS, header) for header in ("活動ID", "発電量(kWh)", "売電量(kWh)"))
    set_cells(
        root,
        READINGS,
        {
            (row, "自家消費量(kWh)"): made[row] - sold[row]
            for row, name in enumerate(ids)
            if name == "PV-0001"
        },
    )
    finding = the(pipeline.check(root, "registration"), "R-PRG-COMMONMON")
    assert (finding.path, finding.severity) == ("monitoring[0].activity_id", "warning")
    assert where(finding) == f"{READINGS}!モニタリング!A2"
    assert of_rule(complete("solar-program", "registration"), "R-PRG-COMMONMON") == []


def test_alternative_or_conditional_monitoring_values_are_common_items():
    assert of_rule(complete("biochar", "registration"), "R-PRG-COMMONMON") == []


@pytest.mark.parametrize(
    "member, fires",
    [
        ("棚橋 典子 様邸,岐阜市芥見南山2丁目40-3", True),
        (
            "棚橋　典子 様邸,岐阜市芥見南山２丁目４０－３",
            True,
        ),  # full-width space and digits: NFKC, spaces ignored
        ("棚橋 典子 様邸,", True),  # no address to tell them apart
        ("棚橋 典子 様邸,大垣市丸の内2丁目29", False),  # same name, another address
        ("鈴木 一郎 様邸,岐阜市芥見南山2丁目40-3", False),
    ],
)
def test_member_of_another_program(tmp_path, member, fires):
    root = sample(tmp_path, "solar-program", evidence=False)
    (root / "other_programs.csv").write_text(
        f"program,name,address\n別プログラムA,{member}\n", encoding="utf-8"
    )
    for stage in STAGES:
        found = of_rule(pipeline.check(root, stage), "R-PRG-DUPMEMBER")
        if fires:
            (finding,) = found
            assert (finding.path, finding.severity, where(finding)) == (
                "activities[0].name",
                "blocking",
                "activities.xlsx!活動一覧!B2",
            )
            assert "別プログラムA" in finding.message("en") and "other_programs.csv:2" in finding.message(
                "en"
            )
        else:
            assert found == []


@pytest.mark.parametrize(
    "rules, area, fires", [("2013-04", 120, True), ("2013-04", None, False), ("2023-10", 120, False)]
)
def test_per_activity_cap_of_old_rules(tmp_path, rules, area, fires):
    """Only 2013-04 (schemas/factors/rules.yaml) has program_activity_cap_t: 500. A 120 ha field reduces
    ~850 t a season; AG-005's factors have no fiscal year, so no factor rows need adding for 2013-04."""
    root = sample(tmp_path, "rice-drainage", evidence=False)
    replace(root, 'rules_version: "2025-09"', f'rules_version: "{rules}"')
    if area:
        # the registration check reads the plan's estimate: its typical activity (RD-0004, data row 3)
        set_cells(root, "activities.xlsx", {(3, "面積(ha)"): area}, "活動一覧")
    found = of_rule(pipeline.check(root, "registration"), "R-PRG-500T")
    if fires:  # the estimate repeats the season every fiscal year of the crediting period: one per year
        assert len({finding.path for finding in found}) == 1
        finding = found[0]
        assert (finding.path, finding.severity, where(finding)) == (
            "activities[3]",
            "blocking",
            "activities.xlsx!活動一覧!5",
        )
        assert "500" in finding.message("en")
        assert of_rule(pipeline.check(root, "verification"), "R-PRG-500T") == []  # a registration (V) check
    else:
        assert found == []


def test_a_deducted_subsidy_must_be_named_and_a_moe_grant_is_flagged(tmp_path):
    root = sample(tmp_path, "led-factory")
    text = (root / "project.yaml").read_text(encoding="utf-8")
    named = next(line for line in text.splitlines() if line.startswith("  subsidies:"))
    replace(root, named, "  subsidies: なし")
    finding = the(pipeline.check(root, "registration"), "R-DC-SUBSIDY")
    assert (finding.path, finding.severity, finding.code) == (
        "double_counting.subsidies",
        "blocking",
        "subsidy_unnamed",
    )
    replace(root, "  subsidies: なし", "  subsidies: 環境省 二酸化炭素排出抑制対策事業費等補助金")
    finding = the(pipeline.check(root, "registration"), "R-DC-SUBSIDY")
    assert (finding.severity, finding.code) == ("warning", "subsidy_moe")


def test_household_presumption_needs_households(tmp_path):
    root = sample(tmp_path, "led-factory")
    replace(root, "  method: payback", "  method: household")
    finding = the(pipeline.check(root, "registration"), "R-ADD-PAYBACK")
    assert (finding.path, finding.code) == ("additionality.method", "household_not_applicable")
    solar = sample(tmp_path, "solar-program", evidence=False)
    set_cells(solar, "activities.xlsx", {(3, "家庭用"): "いいえ"}, "活動一覧")
    finding = the(pipeline.check(solar, "registration"), "R-ADD-PAYBACK")
    assert (finding.path, finding.severity) == ("activities[3].household", "blocking")


def test_other_programs_in_shift_jis_and_unreadable(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    name = column(root, "activities.xlsx", "名称", "活動一覧")[0]
    (root / "other_programs.csv").write_bytes(
        f"プログラム,氏名,住所\n別のプログラム,{name},\n".encode("cp932")
    )
    finding = the(pipeline.check(root, "registration"), "R-PRG-DUPMEMBER")
    assert finding.path == "activities[0].name" and finding.severity == "blocking"
    (root / "other_programs.csv").write_text("member,addr\nx,y\n", encoding="utf-8")
    finding = the(pipeline.check(root, "registration"), "R-PRG-DUPMEMBER")
    assert finding.code == "other_programs_unreadable" and str(finding.location) == "other_programs.csv:1"
