"""Calculation properties (hypothesis) and the calc command's contract and bad inputs."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import factors as factor_tables
from toolkit.calculation import calculate_data, exact_sum, truncate

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if (p / "project.yaml").is_file())
GRID = """grid_electricity:
""" + "".join(f"  - {{fiscal_year: {year}, basis: all_source, value: 0.00044{year % 10}, unit: t-CO2/kWh, source: test, status: verified}}\n"
              for year in range(2024, 2029))


@pytest.fixture(scope="module")
def factors(tmp_path_factory):
    folder = tmp_path_factory.mktemp("factors")
    (folder / "factors.yaml").write_text(GRID, encoding="utf-8")
    return folder


def solar(activities: list[tuple[str, list[tuple[dt.date, dt.date, Decimal, Decimal]]]]) -> dict:
    return {
        "rules_version": "2023-10",
        "project": {"type": "program", "methodology": {"code": "EN-R-002", "version": "3.0"},
                    "registration_application_date": dt.date(2025, 1, 1)},
        "activities": [{"id": name} for name, _ in activities],
        "monitoring": [{"activity_id": name, "period_start": start, "period_end": end,
                        "generation_kwh": generation, "sold_kwh": sold}
                       for name, readings in activities for start, end, generation, sold in readings],
    }


def reading_strategy():
    @st.composite
    def reading(draw):
        start = draw(st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 1)))
        end = start + dt.timedelta(days=draw(st.integers(0, 400)))
        generation = draw(st.decimals(0, 5000, places=2))
        sold = draw(st.decimals(0, 5000, places=2).filter(lambda value: value <= generation) | st.just(Decimal(0)))
        return start, end, generation, min(sold, generation)
    return reading()


def programs():
    return st.lists(st.lists(reading_strategy(), max_size=4), min_size=1, max_size=5).map(
        lambda groups: [(f"PV-{index:04d}", readings) for index, readings in enumerate(groups)])


def run(data, folder):
    return calculate_data(data, factor_tables.load("2025-09", folder))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(programs())
def test_totals_equal_the_sum_of_their_parts_before_truncation(factors, program):
    result = run(solar(program), factors)
    pieces = [piece for activity in result.activities for piece in activity.periods]
    # sums taken exactly, as the toolkit takes them (Decimal's default 28 digits would round)
    assert result.total_exact == exact_sum(a.reduction_exact for a in result.activities)
    assert result.total_exact == exact_sum(piece.reduction.value for piece in pieces)
    assert result.total_exact == exact_sum(result.by_fiscal_year.values())
    assert result.total_certified == truncate(result.total_exact)
    for piece in pieces:
        assert piece.reduction.value == exact_sum([piece.baseline.value, -piece.project.value])


@SETTINGS
@given(programs(), st.randoms(use_true_random=False))
def test_row_order_changes_no_result(factors, program, shuffler):
    data = solar(program)
    before = run(data, factors)
    shuffler.shuffle(data["monitoring"])
    shuffler.shuffle(data["activities"])
    after = run(data, factors)
    assert after.total_exact == before.total_exact and after.by_fiscal_year == before.by_fiscal_year
    assert [(a.activity_id, a.reduction_exact) for a in after.activities] == \
           [(a.activity_id, a.reduction_exact) for a in before.activities]


@SETTINGS
@given(reading_strategy(), st.integers(0, 400))
def test_splitting_a_reading_at_any_day_changes_no_total_beyond_proration(factors, reading, cut):
    start, end, generation, sold = reading
    length = (end - start).days + 1
    if length < 2:
        return
    first_days = 1 + cut % (length - 1)
    middle = start + dt.timedelta(days=first_days)
    generation_1, sold_1 = generation * first_days / length, sold * first_days / length
    whole = run(solar([("PV-1", [reading])]), factors).total_exact
    split = run(solar([("PV-1", [(start, middle - dt.timedelta(days=1), generation_1, sold_1),
                                 (middle, end, generation - generation_1, sold - sold_1)])]), factors).total_exact
    assert abs(whole - split) <= Decimal("1e-20")


@SETTINGS
@given(programs())
def test_doubling_every_activity_doubles_the_exact_total(factors, program):
    once = run(solar(program), factors).total_exact
    twice = run(solar(program + [(name + "-copy", readings) for name, readings in program]), factors).total_exact
    assert twice == exact_sum([once, once])


def test_results_do_not_depend_on_locale_or_time_zone():
    outputs = set()
    for env in ({"TZ": "UTC", "LC_ALL": "C"}, {"TZ": "Asia/Tokyo", "LC_ALL": "C.UTF-8"},
                {"TZ": "America/Los_Angeles", "LANG": "de_DE.UTF-8"}):
        result = subprocess.run([sys.executable, "-m", "toolkit", "calc", str(ROOT / "samples/solar-program"), "--format", "json"],
                                capture_output=True, text=True, env={**os.environ, **env})
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_computes_with_the_contract_keys(sample, run_cli):
    status, out, err = run_cli("calc", ROOT / "samples" / sample, "--format", "json")
    assert status == 0, err
    report = json.loads(out)
    assert {"methodology", "rules_version", "total_reduction_t", "total_reduction_exact_t", "activities",
            "factors_used"} <= set(report)
    assert report["total_reduction_t"] == truncate(Decimal(report["total_reduction_exact_t"]))
    assert report["total_reduction_t"] > 0
    for activity in report["activities"]:
        assert {"id", "reduction_exact_t", "periods"} <= set(activity)
    for factor in report["factors_used"]:
        assert {"name", "fiscal_year", "value", "unit", "status", "source"} <= set(factor)


@pytest.fixture
def run_cli(run):
    return run


@pytest.fixture
def solar_copy(tmp_path):
    target = tmp_path / "solar"
    shutil.copytree(ROOT / "samples/solar-program", target)
    return target


def test_changing_a_factor_changes_the_result_and_names_the_override(solar_copy, run):
    before = json.loads(run("calc", solar_copy, "--format", "json")[1])
    text = (solar_copy / "factors.yaml").read_text(encoding="utf-8").replace("0.000441", "0.000500").replace(
        "status: unverified", "status: verified")
    (solar_copy / "factors.yaml").write_text(text, encoding="utf-8")
    status, out, _ = run("calc", solar_copy, "--format", "json")
    after = json.loads(out)
    assert status == 0
    assert Decimal(after["total_reduction_exact_t"]) != Decimal(before["total_reduction_exact_t"])
    (used,) = after["factors_used"]
    assert (used["name"], used["fiscal_year"], used["value"], used["status"], used["overridden"]) == (
        "grid_electricity[basis=all_source]", 2025, "0.0005", "verified", True)


def _edit_yaml(folder, old, new, name="project.yaml"):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edit_cell(folder, cell, value):
    import openpyxl

    book = openpyxl.load_workbook(folder / "monitoring/2025.xlsx")
    book["モニタリング"][cell] = value
    book.save(folder / "monitoring/2025.xlsx")


@pytest.mark.parametrize("case,edit,code,location,fragment_en", [
    ("missing-factor-year", lambda f: _edit_yaml(f, "fiscal_year: 2025", "fiscal_year: 2024", "factors.yaml"),
     "factor_missing", "factors.yaml", "FY2025"),
    ("unknown-rules-version", lambda f: _edit_yaml(f, 'rules_version: "2023-10"', 'rules_version: "2023-11"'),
     "rules_version_unknown", "project.yaml:5", "did you mean 2023-10"),
    ("reading-outside-crediting", lambda f: (_edit_cell(f, "B2", dt.date(2031, 5, 1)), _edit_cell(f, "C2", dt.date(2031, 5, 31))),
     "reading_outside_crediting", "monitoring/2025.xlsx!モニタリング!B2", "excluded"),
    ("overlapping-periods", lambda f: _edit_cell(f, "C2", dt.date(2025, 5, 10)),
     "reading_overlap", "monitoring/2025.xlsx!モニタリング", "overlapping"),
    ("sold-above-generation", lambda f: _edit_cell(f, "E2", 99999),
     "not_above", "monitoring/2025.xlsx!モニタリング!E2", "at most generation"),
])
def test_bad_calculation_inputs_exit_1_with_location(solar_copy, run, case, edit, code, location, fragment_en):
    edit(solar_copy)
    status, out, err = run("calc", solar_copy, "--lang", "en")
    assert status == 1, (out, err)
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if location in line and fragment_en in line]
    assert lines, err


def test_an_input_the_formula_needs_is_reported_where_it_is_empty(tmp_path, run):
    target = tmp_path / "boiler"
    shutil.copytree(ROOT / "samples/boiler", target)
    text = (target / "project.yaml").read_text(encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), start=1) if "baseline_efficiency_pct" in content)
    _edit_yaml(target, text.splitlines()[line - 1], text.splitlines()[line - 1].split(":")[0] + ":")
    status, out, err = run("calc", target, "--lang", "en")
    assert status == 1
    assert f"project.yaml:{line} activities[0].baseline_efficiency_pct" in err
    assert "needed by the calculation but empty" in err
