"""The readiness checklist (checklist.py, rules_check.py): every rule triggered and not triggered, the
missing-field property, the complete samples, and the `check` command's contract.

Fixtures are the shipped samples copied into tmp_path and edited: project.yaml as text (or YAML-aware
where a key must go), workbooks with openpyxl. Unedited samples are checked in place (check only reads).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import pipeline
from toolkit.checklist import readiness as checklist
from toolkit.checklist import scheme_rules as rules_check
from toolkit.checklist.findings import SEVERITIES, Checklist, Finding
from toolkit.documents import assemble as documents
from toolkit.pipeline import calculate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ALL_SAMPLES = ("solar-program", "led-factory", "boiler", "heat-pump", "forest", "biochar", "rice-drainage")
STAGES = ("registration", "verification")
READINGS = "monitoring/2025.xlsx"
# Evidence folders holding one file per reading: left out where only the registration stage matters
# (the checklist looks at evidence files only at verification), which keeps solar-program's copy cheap.
PER_READING = (
    "meter",
    "photos",
    "diary",
    "fieldlog",
    "lighting_log",
    "submeter",
    "gas_invoice",
    "meter_log",
    "register",
)


# -- fixtures and edits -------------------------------------------------------------------------------
def sample(tmp_path: Path, name: str, evidence: bool = True) -> Path:
    """A copy of samples/<name> to edit."""
    return Path(
        shutil.copytree(
            SAMPLES / name, tmp_path / name, ignore=None if evidence else shutil.ignore_patterns(*PER_READING)
        )
    )


def replace(root: Path, old: str, new: str, name: str = "project.yaml") -> None:
    """Replace text that occurs exactly once (an edit that silently does nothing proves nothing)."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_yaml(root: Path, edit: Callable[[dict], Any]) -> None:
    """Load project.yaml, edit the data, dump it back (comments go; values stay)."""
    path = root / "project.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def delete_key(data: dict, dotted: str) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[part]
    del data[last]


def _sheet(book, sheet: str | None):
    return book[sheet] if sheet else book.worksheets[0]


def set_cells(
    root: Path, workbook: str, changes: dict[tuple[int, str], Any], sheet: str | None = None
) -> dict:
    """Set cells by (data row index from 0, header label); returns their coordinates (F2 ...)."""
    path = root / workbook
    book = openpyxl.load_workbook(path)
    table = _sheet(book, sheet)
    columns = {cell.value: cell.column for cell in table[1]}
    where = {}
    for (row, header), value in changes.items():
        cell = table.cell(row + 2, columns[header])
        cell.value = value
        where[(row, header)] = cell.coordinate
    book.save(path)
    return where


def delete_rows(root: Path, workbook: str, rows: list[int], sheet: str | None = None) -> None:
    path = root / workbook
    book = openpyxl.load_workbook(path)
    for row in sorted(rows, reverse=True):
        _sheet(book, sheet).delete_rows(row + 2)
    book.save(path)


def column(root: Path, workbook: str, header: str, sheet: str | None = None) -> list:
    """A column's values by its header label, data rows only."""
    book = openpyxl.load_workbook(root / workbook, read_only=True)
    try:
        rows = _sheet(book, sheet).iter_rows(values_only=True)
        index = next(rows).index(header)
        return [row[index] for row in rows]
    finally:
        book.close()


def line_of(root: Path, needle: str, name: str = "project.yaml") -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


# -- looking at findings ------------------------------------------------------------------------------
def of_rule(found: Checklist | list[Finding], rule: str) -> list[Finding]:
    return [
        finding
        for finding in (found.findings if isinstance(found, Checklist) else found)
        if finding.rule == rule
    ]


def the(found: Checklist | list[Finding], rule: str) -> Finding:
    """The one finding of `rule`."""
    matching = of_rule(found, rule)
    assert len(matching) == 1, f"expected one {rule} finding, found {matching}"
    return matching[0]


def where(finding: Finding) -> str:
    return str(finding.location) if finding.location else ""


def blocking(found: Checklist) -> set[tuple[str, str]]:
    return {(finding.rule, finding.path) for finding in found.findings if finding.severity == "blocking"}


@functools.cache
def complete(name: str, stage: str) -> Checklist:
    """The checklist of an unedited sample (read in place; cached for the whole module)."""
    return pipeline.check(SAMPLES / name, stage)


def rules_only(root: Path, stage: str = "registration") -> list[Finding]:
    """The rules of rules_check.py as they fire, before the checklist merges an empty field's findings."""
    calculation = calculate(root)
    return rules_check.run(rules_check.Context(calculation.project, calculation, stage))


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
    replace(root, 'rules_version: "2023-10"', f'rules_version: "{rules}"')
    replace(root, "    end: 2031-03-31", f"    end: {end}")
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
        root, 'rules_version: "2023-10"', 'rules_version: "2017-10"'
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


# -- meters and evidence ------------------------------------------------------------------------------
@pytest.mark.parametrize("valid_until, fires", [("2025-12-31", True), ("2026-03-31", False)])
def test_meter_certification_must_cover_the_period(tmp_path, valid_until, fires):
    """The boiler's readings end on 2026-03-31."""
    root = sample(tmp_path, "boiler")
    owner = "    owner: 総務部 金谷 佳奈（記録・保管）"
    replace(root, owner, f"    meter_valid_until: {valid_until}\n{owner}")
    found = of_rule(pipeline.check(root, "verification"), "R-EVID-METER")
    if fires:
        (finding,) = found
        assert (finding.path, finding.severity) == ("monitoring_plan[0].meter_valid_until", "blocking")
        assert where(finding) == f"project.yaml:{line_of(root, 'meter_valid_until:')}"
    else:
        assert found == []
    assert of_rule(pipeline.check(root, "registration"), "R-EVID-METER") == []  # a verification (R) check


def test_evidence_missing_absent_and_unused(tmp_path):
    root = sample(tmp_path, "led-factory")
    evidence = column(root, READINGS, "証憑")
    cells = set_cells(root, READINGS, {(0, "証憑"): None})
    (root / evidence[3]).unlink()
    (root / "evidence" / "extra.pdf").write_bytes(b"%PDF-1.4 not named by any reading")
    found = pipeline.check(root, "verification")
    month, absent = the(found, "R-EVID-MONTH"), the(found, "R-EVID-FILE")
    assert (month.path, month.severity, where(month)) == (
        "monitoring[0].evidence",
        "blocking",
        f"{READINGS}!モニタリング!{cells[(0, '証憑')]}",
    )
    assert (absent.path, absent.severity, where(absent)) == (
        "monitoring[3].evidence",
        "blocking",
        f"{READINGS}!モニタリング!F5",
    )
    unused = {where(finding): finding for finding in of_rule(found, "R-EVID-UNUSED")}
    assert (unused["evidence/extra.pdf"].path, unused["evidence/extra.pdf"].severity) == ("", "info")
    assert evidence[0] in unused  # the file the emptied cell used to name
    # every file still named is hashed
    recorded = {entry["path"]: entry["sha256"] for entry in found.evidence}
    assert len(recorded) == len(evidence) - 2
    assert recorded[evidence[1]] == hashlib.sha256((root / evidence[1]).read_bytes()).hexdigest()
    # evidence is a verification matter
    assert not [f for f in pipeline.check(root, "registration").findings if f.rule.startswith("R-EVID-")]


def test_complete_sample_evidence_is_all_there():
    found = complete("solar-program", "verification")
    assert not [finding for finding in found.findings if finding.rule.startswith("R-EVID-")]
    assert len(found.evidence) == 36 * 12


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
    replace(root, 'rules_version: "2023-10"', f'rules_version: "{rules}"')
    if area:
        set_cells(root, "activities.xlsx", {(0, "面積(ha)"): area}, "活動一覧")
    found = of_rule(pipeline.check(root, "registration"), "R-PRG-500T")
    if fires:
        (finding,) = found
        assert (finding.path, finding.severity, where(finding)) == (
            "activities[0]",
            "blocking",
            "activities.xlsx!活動一覧!2",
        )
        assert "500" in finding.message("en")
        assert of_rule(pipeline.check(root, "verification"), "R-PRG-500T") == []  # a registration (V) check
    else:
        assert found == []


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


# -- missing fields, readiness, score, remarks ---------------------------------------------------------
@pytest.mark.parametrize(
    "answer, missing",
    [
        (None, True),
        ("該当なし", True),
        ("該当なし。", True),
        ("該当なし：補助金の交付は受けていない", False),
        ("なし", False),
    ],
)
def test_empty_or_not_applicable_without_a_reason_is_missing(tmp_path, answer, missing):
    root = sample(tmp_path, "rice-drainage", evidence=False)  # no subsidy deducted: 「なし」 is an answer
    if answer is None:
        edit_yaml(root, lambda data: delete_key(data, "double_counting.subsidies"))
    else:
        replace(root, "  subsidies: なし（中干し延長に係る補助金は受けていない）", f"  subsidies: {answer}")
    found = pipeline.check(root, "registration")
    assert found.ready is not missing
    if missing:
        finding = the(found, "F-MISSING")
        assert (finding.path, finding.severity, finding.document) == (
            "double_counting.subsidies",
            "blocking",
            "plan",
        )
        assert finding.location.file == "project.yaml"
        if answer:
            assert where(finding) == f"project.yaml:{line_of(root, f'subsidies: {answer}')}"
    else:
        assert of_rule(found, "F-MISSING") == []


def test_ready_and_score(tmp_path):
    assert (
        complete("led-factory", "registration").ready
        and complete("led-factory", "registration").score() == 1.0
    )
    root = sample(tmp_path, "led-factory")
    edit_yaml(root, lambda data: delete_key(data, "proponent.postal_code"))
    found = pipeline.check(root, "registration")
    assert not found.ready
    assert 0 < found.score("plan") < 1 and found.score("activity-list") == 1.0
    assert found.score("plan") == round(1 - 1 / found.items["plan"], 3)
    assert found.score("plan") <= found.score() < 1


def test_remarks_leave_out_empty_fields_and_notes(tmp_path):
    root = sample(tmp_path, "forest")
    replace(root, "  other_scheme: false", "  other_scheme: true")
    edit_yaml(root, lambda data: delete_key(data, "proponent.postal_code"))
    found = pipeline.check(root, "registration")
    assert {"F-MISSING", "R-DC-SCHEME", "R-FO-PERM"} <= {finding.rule for finding in found.findings}
    shown = checklist.remarks(found, "plan", "en")
    assert "R-DC-SCHEME" in {remark.rule for remark in shown}
    assert not {"F-MISSING", "R-FO-PERM"} & {remark.rule for remark in shown}


# -- the property: one required field removed, one new blocking finding naming it -------------------------
# project.type and project.methodology.code change which schema and spec apply: their own tests below.
KNOWN_BREAKERS = {"project.type", "project.methodology.code"}


@functools.cache
def _sample_data(name: str) -> dict:
    return yaml.safe_load((SAMPLES / name / "project.yaml").read_text(encoding="utf-8"))


def _present(data: dict, dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def required_paths(name: str, stage: str) -> list[str]:
    """The fields the specs require at `stage` and the sample fills in (derived ones, like the monitoring
    period, are not in project.yaml and cannot be removed)."""
    data = _sample_data(name)
    paths: list[str] = []
    for kind in documents.kinds_at(stage):
        spec, _ = documents.load_spec(documents.spec_name(kind, data["project"]["type"]))
        paths += [path for _, path in documents.required_fields(spec, stage) if path not in paths]
    return [path for path in paths if _present(data, path)]


CASES = [
    (name, stage, path)
    for name in ALL_SAMPLES
    for stage in STAGES
    for path in required_paths(name, stage)
    if path not in KNOWN_BREAKERS
]


@pytest.fixture(scope="module")
def complete_copies(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("complete")
    return {name: Path(shutil.copytree(SAMPLES / name, base / name)) for name in ALL_SAMPLES}


def check_without(root: Path, path: str, stage: str) -> Checklist:
    original = (root / "project.yaml").read_text(encoding="utf-8")
    try:
        edit_yaml(root, lambda data: delete_key(data, path))
        return pipeline.check(root, stage)
    finally:
        (root / "project.yaml").write_text(original, encoding="utf-8")


def assert_one_new_blocking_finding(root: Path, name: str, stage: str, path: str) -> None:
    before = blocking(complete(name, stage))
    assert before == set()
    after = check_without(root, path, stage)
    assert blocking(after) - before == {("F-MISSING", path)}
    (finding,) = [f for f in after.findings if f.severity == "blocking"]
    assert finding.location.file == "project.yaml"


def test_every_sample_and_stage_has_required_fields_to_remove():
    assert {(name, stage) for name, stage, _ in CASES} == {
        (name, stage) for name in ALL_SAMPLES for stage in STAGES
    }
    assert {"proponent.postal_code", "program.bylaws", "site.name", "monitoring_report.report_date"} <= {
        p for *_, p in CASES
    }


@settings(max_examples=15, deadline=None)
@given(case=st.sampled_from(CASES))
def test_removing_any_required_field_adds_exactly_one_blocking_finding(complete_copies, case):
    name, stage, path = case
    assert_one_new_blocking_finding(complete_copies[name], name, stage, path)


@pytest.mark.parametrize(
    "stage, path",
    [
        (stage, path)
        for stage in STAGES
        for path in required_paths("led-factory", stage)
        if path not in KNOWN_BREAKERS
    ],
)
def test_removing_each_required_field_of_the_led_sample(complete_copies, stage, path):
    """Every required field of one sample, both stages (the hypothesis test samples all seven)."""
    assert_one_new_blocking_finding(complete_copies["led-factory"], "led-factory", stage, path)


def test_removing_the_methodology_code_is_one_missing_field(complete_copies):
    assert_one_new_blocking_finding(
        complete_copies["led-factory"], "led-factory", "registration", "project.methodology.code"
    )


@pytest.mark.parametrize("name", ["led-factory", "rice-drainage"])  # standard and program
def test_removing_the_project_type_is_one_missing_field(complete_copies, name):
    assert_one_new_blocking_finding(complete_copies[name], name, "registration", "project.type")


def test_an_input_error_does_not_make_derived_fields_missing(tmp_path):
    root = sample(tmp_path, "led-factory")
    replace(root, 'postal_code: "507-0062"', 'postal_code: "507-006x"')
    found = pipeline.check(root, "verification")
    assert [(f.rule, f.path) for f in found.findings if f.severity == "blocking"] == [
        ("V-INPUT", "proponent.postal_code")
    ]


# -- acceptance: the samples, the 2-year rule through the command ---------------------------------------
@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_complete_sample_is_ready_at_both_stages(run, name):
    for stage in STAGES:
        status, out, err = run("check", SAMPLES / name, "--stage", stage)
        assert status == 0, out + err


@pytest.fixture
def three_years_old(tmp_path) -> Path:
    """solar-program with PV-0001 commissioned on 2022-04-01, three years before its 2025-04-01 application."""
    root = sample(tmp_path, "solar-program", evidence=False)
    assert set_cells(root, "activities.xlsx", {(0, "運転開始日"): dt.datetime(2022, 4, 1)}) == {
        (0, "運転開始日"): "F2"
    }
    return root


def test_activity_three_years_old_blocks_in_text(run, three_years_old):
    status, out, _ = run("check", three_years_old, "--lang", "en")
    assert status == 1
    (line,) = [line for line in out.splitlines() if "R-ELIG-2Y" in line]
    assert "activities.xlsx!活動一覧!F2 activities[0].commissioned_on" in line and "2022-04-01" in line
    assert out.rstrip().splitlines()[-1].startswith("Not ready: blocking 1,")


def test_activity_three_years_old_blocks_in_json(run, three_years_old):
    status, out, _ = run("check", three_years_old, "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert report["ready"] is False and report["stage"] == "registration" and report["score"] < 1
    (finding,) = [finding for finding in report["findings"] if finding["severity"] == "blocking"]
    assert {key: finding[key] for key in ("id", "severity", "path", "location")} == {
        "id": "R-ELIG-2Y",
        "severity": "blocking",
        "path": "activities[0].commissioned_on",
        "location": "activities.xlsx!活動一覧!F2",
    }


# samples/incomplete-solar/EXPECTED.md: (id, severity, path, location; project.yaml without its line, stages)
INCOMPLETE = [
    ("F-MISSING", "blocking", "proponent.postal_code", "project.yaml", STAGES),
    ("F-MISSING", "blocking", "proponent.representative.name", "project.yaml", STAGES),
    ("F-MISSING", "blocking", "additionality.sources", "project.yaml", STAGES),
    ("F-MISSING", "blocking", "monitoring_plan[1].method_class", "project.yaml", STAGES),
    ("F-MISSING", "blocking", "monitoring_report.deviations", "project.yaml", ("verification",)),
    ("R-ELIG-2Y", "blocking", "activities[2].commissioned_on", "activities.xlsx!活動一覧!F4", STAGES),
    ("R-PERIOD-GAP", "warning", "monitoring[68]", "monitoring/2025.xlsx!モニタリング!70", ("verification",)),
    (
        "R-EVID-FILE",
        "blocking",
        "monitoring[35].evidence",
        "monitoring/2025.xlsx!モニタリング!G37",
        ("verification",),
    ),
    ("R-EVID-UNUSED", "info", "", "evidence/scan_20250805.pdf", ("verification",)),
    ("R-FACTOR-STATUS", "warning", "grid_electricity", "factors.yaml:5", STAGES),
    ("R-FACTOR-STATUS", "warning", "rules_version", "project.yaml", STAGES),
]


@pytest.mark.parametrize("stage", STAGES)
def test_incomplete_sample_shows_its_documented_gaps(run, stage):
    status, out, _ = run("check", SAMPLES / "incomplete-solar", "--stage", stage, "--format", "json")
    assert status == 1
    found = [
        (f["id"], f["severity"], f["path"], re.sub(r"^project\.yaml:\d+$", "project.yaml", f["location"]))
        for f in json.loads(out)["findings"]
    ]
    assert sorted(found) == sorted(row[:4] for row in INCOMPLETE if stage in row[4])


# -- the command's contract ---------------------------------------------------------------------------
def test_json_keys_per_contract(run, three_years_old):
    for stage in STAGES:
        status, out, _ = run("check", three_years_old, "--stage", stage, "--format", "json")
        report = json.loads(out)
        assert {"ready", "stage", "score", "findings"} <= set(report)
        assert isinstance(report["ready"], bool) and report["stage"] == stage and 0 <= report["score"] <= 1
        assert report["findings"]
        for finding in report["findings"]:
            assert {"id", "severity", "path", "section", "message", "location"} <= set(finding)
            assert finding["severity"] in SEVERITIES and all(
                isinstance(finding[key], str) for key in ("id", "path", "section", "message", "location")
            )


def test_xlsx_needs_an_output_file(run):
    status, out, err = run("check", SAMPLES / "led-factory", "--format", "xlsx")
    assert status == 2 and out == "" and "-o" in err


def test_output_file_is_not_overwritten_without_force(run, tmp_path):
    target = tmp_path / "checklist.json"
    target.write_bytes(b"the coach's notes")
    before = target.stat().st_mtime_ns
    status, _, err = run("check", SAMPLES / "led-factory", "--format", "json", "-o", target)
    assert status == 1 and err
    assert target.read_bytes() == b"the coach's notes" and target.stat().st_mtime_ns == before
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    status, out, _ = run("check", SAMPLES / "led-factory", "--format", "json", "-o", target, "--force")
    assert status == 0 and out.strip() == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["ready"] is True


def test_english_messages(run, tmp_path):
    root = sample(tmp_path, "led-factory")
    replace(root, "  other_scheme: false", "  other_scheme: true")
    status, out, _ = run("check", root, "--lang", "en")
    assert status == 1
    assert out.startswith("Readiness checklist: ") and "Stage: registration (validation)" in out
    assert (
        "the activity is registered in another scheme" in out and "withdraw it from the other scheme" in out
    )
    status, out, _ = run("check", root, "--lang", "en", "--format", "json")
    (finding,) = [finding for finding in json.loads(out)["findings"] if finding["id"] == "R-DC-SCHEME"]
    assert finding["message"].startswith("the activity is registered in another scheme")
    status, out, _ = run("check", root, "--format", "json")  # Japanese by default
    (finding,) = [finding for finding in json.loads(out)["findings"] if finding["id"] == "R-DC-SCHEME"]
    assert finding["message"].startswith("同じ削減活動が他の制度")


def test_english_messages_name_empty_fields_in_english(run):
    status, out, _ = run("check", SAMPLES / "incomplete-solar", "--lang", "en", "--format", "json")
    (finding,) = [f for f in json.loads(out)["findings"] if f["path"] == "proponent.postal_code"]
    assert "postal code" in finding["message"] and finding["label"] == "postal code"


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


def test_invalid_input_reads_no_evidence_and_says_the_rest_waits(tmp_path):
    root = sample(tmp_path, "solar-program")
    set_cells(root, READINGS, {(0, "証憑"): "../../../../etc/hostname", (1, "発電量(kWh)"): "abc"})
    found = pipeline.check(root, "verification")
    assert not found.ready and found.evidence == []
    assert [f.rule for f in found.findings if f.severity == "info"] == ["C-SKIPPED"]
    assert not [f for f in found.findings if f.rule.startswith(("F-", "R-"))]


def test_a_file_the_plan_names_must_exist_at_registration(tmp_path):
    root = sample(tmp_path, "solar-program", evidence=False)
    assert of_rule(pipeline.check(root, "registration"), "R-EVID-FILE") == []
    replace(root, "  bylaws: evidence/規約.txt", "  bylaws: evidence/nothere.txt")
    finding = the(pipeline.check(root, "registration"), "R-EVID-FILE")
    assert (finding.path, finding.severity, finding.section) == ("program.bylaws", "blocking", "plan.1.2")
    assert where(finding) == f"project.yaml:{line_of(root, 'bylaws: evidence/nothere.txt')}"
