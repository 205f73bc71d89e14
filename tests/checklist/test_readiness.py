"""The complete samples, the 2-year rule through the command, the check command's contract, input errors."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from checklist_edits import (
    ALL_SAMPLES,
    READINGS,
    SAMPLES,
    STAGES,
    line_of,
    of_rule,
    replace,
    sample,
    set_cells,
    the,
    where,
)

from toolkit import pipeline
from toolkit.checklist.findings import SEVERITIES


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
    ("F-MISSING", "blocking", "project.outline", "project.yaml", STAGES),
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
