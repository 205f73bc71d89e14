"""jcredit diff: two versions of a sample compared, end to end through the CLI, and the pieces that decide."""

from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit import pipeline
from toolkit.diff import compare, forms

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "led-factory"


def _second_version():
    spec = importlib.util.spec_from_file_location("second_version", ROOT / "tools" / "second_version.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    """samples/led-factory as it is, and the second version tools/second_version.py writes (as `make demo`)."""
    base = tmp_path_factory.mktemp("diff")
    old = base / "old"
    shutil.copytree(SAMPLE, old)
    return old, _second_version().write(base / "new")


@pytest.fixture(scope="module")
def report(versions) -> dict:
    from click.testing import CliRunner

    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["diff", *map(str, versions), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_changed_reading_is_the_one_changed_field(report):
    assert [(f["path"], f["old"], f["new"], f["location"]) for f in report["fields"]] == [
        ("monitoring[0].operating_hours", "349.5", "360", "monitoring/2025.xlsx!モニタリング!D2")
    ]
    field = report["fields"][0]
    assert field["label"] == "operating hours (h)"
    assert (field["document"], field["section"]) == ("monitoring", "B.2 モニタリング実績")
    assert field["key"] == "LED-01 2025-04-01 2025-04-30"


def test_the_new_activity_and_its_reading_are_the_rows_added(report):
    assert report["activities"] == {"added": ["LED-04"], "removed": []}
    assert [(r["table"], r["key"], r["change"]) for r in report["rows"]] == [
        ("activities", "LED-04", "added"),
        ("monitoring", "LED-04 2025-04-01 2025-04-30", "added"),
    ]
    assert report["rows"][1]["location"] == "monitoring/2025.xlsx!モニタリング!A38"


def test_the_factor_override_and_the_evidence_files(report):
    assert report["factors"] == [
        {
            "factor": "grid_electricity[basis=all_source] FY2025",
            "change": "changed",
            "old": "0.000441 t-CO2/kWh",
            "new": "0.00045 t-CO2/kWh",
            "location": "factors.yaml:5",
        }
    ]
    changes = {item["path"]: item["change"] for item in report["evidence"]}
    # the edited meter log, and the new activity's log its reading names
    assert changes == {
        "evidence/lighting_log/LED-01_2025-04.txt": "changed",
        "evidence/lighting_log/LED-04_2025-04.txt": "added",
    }
    edited = report["evidence"][0]
    assert len(edited["old"]) == len(edited["new"]) == 64 and edited["old"] != edited["new"]


def test_the_monitored_results_move_by_the_hand_checked_amounts_with_their_causes(report):
    """By hand (EN-S-006 by operating hours: ER = Σ(P_BL·N_BL − P_PJ·N_PJ) × T / 1000 × CEF):

    - LED-01: 48 × (435 − 110) W = 15.6 kW. Old: 3,931 h × 15.6 × 0.000441 = 27.0437076 t. New: the April
      reading 349.5 → 360 h makes 3,941.5 h, and CEF 0.000450: 3,941.5 × 15.6 × 0.00045 = 27.66933 t,
      so +0.6256224 t, caused by the reading and the factor;
    - LED-02: 220 × (86 − 28) W = 12.76 kW, 3,805.5 h: 21.41415738 → 21.851181 t (+0.43702362), the factor;
    - LED-03 (metered): only the factor, 5.892697125 × 0.000450 / 0.000441 = 6.01295625 t (+0.120259125);
    - LED-04, new: 40 × (400 − 100) W × 170 h = 2,040 kWh × 0.00045 = 0.918 t, added;
    - total: 54.350562105 → 56.45146725 t, +2.100905145 (= 0.6256224 + 0.43702362 + 0.120259125 + 0.918).
    """
    monitored = next(result for result in report["results"] if result["kind"] == "monitored")
    effects = {a["id"]: (Decimal(a["delta"]), a["causes"]) for a in monitored["activities"]}
    assert effects == {
        "LED-01": (Decimal("0.6256224"), ["reading", "factor"]),
        "LED-02": (Decimal("0.43702362"), ["factor"]),
        "LED-03": (Decimal("0.120259125"), ["factor"]),
        "LED-04": (Decimal("0.918"), ["added"]),
    }
    assert Decimal(monitored["old_total"]) == Decimal("54.350562105")
    assert Decimal(monitored["new_total"]) == Decimal("56.45146725")
    assert (
        Decimal(monitored["delta"]) == Decimal("2.100905145") == sum(delta for delta, _ in effects.values())
    )
    assert (monitored["old_certified"], monitored["new_certified"]) == (54, 56)


def test_the_estimate_moves_by_the_factor_and_the_new_activity_never_by_a_reading(report):
    """The plan's estimate: LED-04 adds 40 × 0.3 kW × 2,000 h × 0.00045 = 10.8 t a year over the 8 fiscal years of
    the crediting period (2025-04-01 to 2033-03-31) = 86.4 t; the reading changes nothing here."""
    estimate = next(result for result in report["results"] if result["kind"] == "estimate")
    causes = {a["id"]: a["causes"] for a in estimate["activities"]}
    assert causes == {"LED-01": ["factor"], "LED-02": ["factor"], "LED-03": ["factor"], "LED-04": ["added"]}
    added = next(a for a in estimate["activities"] if a["id"] == "LED-04")
    assert Decimal(added["delta"]) == Decimal("86.4")


def test_findings_that_appear_at_verification(versions):
    """LED-04 has one month of readings: a gap for the rest of the fiscal year appears at verification."""
    found = pipeline.diff(*versions, stage="verification")
    assert [(row["rule"], row["path"]) for row in found.appeared] == [("R-PERIOD-GAP", "activities[3].id")]
    assert found.resolved == []


def test_the_same_project_twice_has_no_changes_and_exits_0_even_with_exit_code(run, versions):
    old = versions[0]
    status, out, _ = run("diff", old, old, "--exit-code")
    assert status == 0 and "変更はありません" in out


def test_changes_exit_0_and_exit_code_makes_them_1(run, versions):
    assert run("diff", *versions)[0] == 0
    assert run("diff", *versions, "--exit-code")[0] == 1


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_text_fits_an_80_column_terminal(run, versions, lang):
    status, out, _ = run("diff", *versions, "--lang", lang)
    assert status == 0
    assert max(forms.terminal_width(line) for line in out.splitlines()) <= 80
    assert "LED-04" in out and "0.00045" in out
    # the factor row as the documents name it in Japanese; its key in English (and always in JSON)
    named = {"ja": "電気の排出係数（全電源平均） 2025年度", "en": "grid_electricity[basis=all_source] FY2025"}
    assert named[lang] in out
    assert ("grid_electricity" in out) == (lang == "en")


def test_html_is_one_self_contained_page(run, versions, tmp_path):
    target = tmp_path / "diff.html"
    status, out, _ = run("diff", *versions, "--format", "html", "-o", target)
    assert status == 0 and out.strip() == str(target)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "src=" not in page
    assert "monitoring[0].operating_hours" in page and "+0.918000" in page and "83152ad1" in page


def test_xlsx_lists_every_change_and_needs_o(run, versions, tmp_path):
    assert run("diff", *versions, "--format", "xlsx")[0] == 2
    target = tmp_path / "diff.xlsx"
    assert run("diff", *versions, "--format", "xlsx", "-o", target)[0] == 0
    from openpyxl import load_workbook

    cells = [cell for row in load_workbook(target).active.iter_rows(values_only=True) for cell in row if cell]
    assert "monitoring[0].operating_hours（点灯時間(h)）" in cells and "LED-04" in cells
    assert zipfile.is_zipfile(target)


def test_an_output_among_the_inputs_is_refused(run, versions):
    status, _, err = run("diff", *versions, "--format", "html", "-o", versions[1] / "evidence" / "diff.html")
    assert status == 1 and not (versions[1] / "evidence" / "diff.html").exists()


def test_bad_input_on_either_side_is_located_under_its_folder(run, versions):
    broken = ROOT / "samples" / "broken-project"
    status, out, err = run("diff", versions[0], broken, "--lang", "en")
    assert status == 1 and "Traceback" not in err
    assert f"{broken.as_posix()}/project.yaml:26 proponent.postal_code (postal code)" in err
    status, _, err = run("diff", versions[0] / "nowhere", versions[1])
    assert status == 1 and "nowhere" in err and "Traceback" not in err


def test_a_side_taken_in_this_process_gives_the_same_diff(versions, monkeypatch):
    parallel = forms.as_json(pipeline.diff(*versions), "en")
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert forms.as_json(pipeline.diff(*versions), "en") == parallel


def test_a_removed_activity_is_named_with_its_cause(versions):
    found = pipeline.diff(versions[1], versions[0])  # backwards: LED-04 goes away
    assert found.activities_removed == ["LED-04"]
    monitored = next(result for result in found.results if result.kind == "monitored")
    removed = next(effect for effect in monitored.effects if effect.activity == "LED-04")
    assert removed.causes == ("removed",) and removed.delta == Decimal("-0.918")


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("1.50", "1.5", True),
        ("None", "", True),
        ("349.5", "360", False),
        ("abc", "abd", False),
        ("1", "1.0", True),
    ],
)
def test_one_value_written_two_ways_is_no_change(before, after, same):
    assert compare._same(before, after) is same


def test_a_changed_rules_version_is_named_as_the_cause(versions, tmp_path):
    """2023-10 caps crediting at 2031-03-31: the plan's estimate loses fiscal years 2031 and 2032 of every activity."""
    changed = tmp_path / "rules"
    shutil.copytree(versions[0], changed)
    project = changed / "project.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace('rules_version: "2025-09"', 'rules_version: "2023-10"'),
        encoding="utf-8",
    )
    found = pipeline.diff(versions[0], changed)
    assert [(change.path, change.old, change.new) for change in found.fields] == [
        ("rules_version", "2025-09", "2023-10")
    ]
    estimate = next(result for result in found.results if result.kind == "estimate")
    assert {effect.causes for effect in estimate.effects} == {("rules_version",)}
    assert all(effect.delta < 0 for effect in estimate.effects)
    assert ("R-PERIOD-END", "project.crediting_period.end") in {
        (row["rule"], row["path"]) for row in found.appeared
    }


def test_a_link_out_of_the_project_is_never_read(versions, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the project\n", encoding="utf-8")
    linked = tmp_path / "linked"
    shutil.copytree(versions[0], linked)
    (linked / "evidence" / "secret.txt").symlink_to(outside)
    found = pipeline.diff(versions[0], linked)
    assert "evidence/secret.txt" not in {item.name for item in found.evidence}


def test_two_readings_workbooks_of_one_project(run, versions, tmp_path):
    """A revised readings file beside the original: LED-02's April 338 → 340 h is 12.76 kW × 2 h × 0.000441
    = 0.01125432 t more, caused by the reading."""
    from openpyxl import load_workbook

    project = tmp_path / "project"
    shutil.copytree(versions[0], project)
    book = load_workbook(project / "monitoring" / "2025.xlsx")
    assert book["モニタリング"]["D3"].value == 338
    book["モニタリング"]["D3"] = 340
    book.save(project / "monitoring" / "2025-rev.xlsx")
    status, out, _ = run(
        "diff",
        project / "monitoring" / "2025.xlsx",
        project / "monitoring" / "2025-rev.xlsx",
        "--format",
        "json",
    )
    report = json.loads(out)
    assert status == 0 and [(f["path"], f["old"], f["new"]) for f in report["fields"]] == [
        ("monitoring[1].operating_hours", "338", "340")
    ]
    monitored = next(result for result in report["results"] if result["kind"] == "monitored")
    assert [(a["id"], Decimal(a["delta"]), a["causes"]) for a in monitored["activities"]] == [
        ("LED-02", Decimal("0.01125432"), ["reading"])
    ]


def test_rows_moved_in_the_sheet_are_no_change_and_keep_their_findings(versions, tmp_path):
    """Readings are matched by activity and period, and a finding at monitoring[10] that moves to
    monitoring[11] (a row moved above it) is the same finding: neither side has the meter log of row 10."""
    from openpyxl import load_workbook

    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        shutil.copytree(versions[0], folder)
        sheet = load_workbook(folder / "monitoring" / "2025.xlsx")["モニタリング"]
        (folder / sheet.cell(12, 6).value).unlink()  # row 12 of the sheet is monitoring[10]
    book = load_workbook(new / "monitoring" / "2025.xlsx")
    sheet = book["モニタリング"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    for number, values in enumerate([rows[-1], *rows[:-1]], 2):  # the last reading moved to the top
        for column, value in enumerate(values, 1):
            sheet.cell(number, column).value = value
    book.save(new / "monitoring" / "2025.xlsx")
    found = pipeline.diff(old, new, stage="verification")
    assert [row["rule"] for row in found.resolved] == [] and [row["rule"] for row in found.appeared] == []
    assert not found.fields and not found.rows and not found.evidence
    assert "R-EVID-FILE" in {finding.rule for finding in found.new.findings.values()}
