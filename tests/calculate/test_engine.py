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
from sample_projects import WORKING_SAMPLES

from toolkit.calculate import factors as factor_tables
from toolkit.calculate.engine import calculate_data, exact_sum, truncate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = WORKING_SAMPLES
GRID = """grid_electricity:
""" + "".join(
    f"  - {{fiscal_year: {year}, basis: all_source, value: 0.00044{year % 10}, unit: t-CO2/kWh, "
    f"source: test, status: verified}}\n"
    for year in range(2024, 2029)
)


@pytest.fixture(scope="module")
def factors(tmp_path_factory):
    folder = tmp_path_factory.mktemp("factors")
    (folder / "factors.yaml").write_text(GRID, encoding="utf-8")
    return folder


def solar(activities: list[tuple[str, list[tuple[dt.date, dt.date, Decimal, Decimal]]]]) -> dict:
    return {
        "rules_version": "2023-10",
        "project": {
            "type": "program",
            "methodology": {"code": "EN-R-002", "version": "3.0"},
            "registration_application_date": dt.date(2025, 1, 1),
        },
        "activities": [{"id": name} for name, _ in activities],
        "monitoring": [
            {
                "activity_id": name,
                "period_start": start,
                "period_end": end,
                "generation_kwh": generation,
                "sold_kwh": sold,
            }
            for name, readings in activities
            for start, end, generation, sold in readings
        ],
    }


def reading_strategy():
    @st.composite
    def reading(draw):
        start = draw(st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 1)))
        end = start + dt.timedelta(days=draw(st.integers(0, 400)))
        generation = draw(st.decimals(0, 5000, places=2))
        sold = draw(
            st.decimals(0, 5000, places=2).filter(lambda value: value <= generation) | st.just(Decimal(0))
        )
        return start, end, generation, min(sold, generation)

    return reading()


def programs():
    return st.lists(st.lists(reading_strategy(), max_size=4), min_size=1, max_size=5).map(
        lambda groups: [(f"PV-{index:04d}", readings) for index, readings in enumerate(groups)]
    )


def run(data, folder):
    return calculate_data(data, factor_tables.load("2025-09", folder))


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


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
    for activity in result.activities:  # each activity's sums per fiscal year are its pieces', in year order
        years = sorted({piece.fiscal_year for piece in activity.periods})
        assert list(activity.by_fiscal_year) == years
        for year, sums in activity.by_fiscal_year.items():
            mine = [piece for piece in activity.periods if piece.fiscal_year == year]
            assert sums.baseline == exact_sum(piece.baseline.value for piece in mine)
            assert sums.project == exact_sum(piece.project.value for piece in mine)
            assert sums.reduction == exact_sum(piece.reduction.value for piece in mine)


@settings(SETTINGS, max_examples=30)
@given(program=programs(), battery=st.booleans())
def test_figures_made_when_looked_at_are_those_made_at_once(factors, program, battery, monkeypatch):
    import pickle

    from toolkit.figures import Periods, PeriodValues
    from toolkit.methodologies import defaults, en_r_002

    data = solar(program)
    if battery:  # the other formula; the second activity's battery inputs left empty: InputMissing per piece
        data["activities"][0].update(
            battery=True, battery_share_pct=Decimal(30), battery_loss_pct=Decimal(10)
        )
        data["activities"][0].update(battery_source="test", battery_status="verified")
        data["activities"][-1].update(battery=True)
    lazy = run(data, factors)
    sums = [(activity.reduction_exact, activity.by_fiscal_year) for activity in lazy.activities]
    values = [list(activity.periods.values()) for activity in lazy.activities]
    assert all(isinstance(activity.periods, Periods) for activity in lazy.activities)
    with monkeypatch.context() as patched:  # every figure made at once (undone for the next example)
        patched.setattr(en_r_002, "value_calculator", defaults.value_calculator)
        eager = run(data, factors)
    assert not any(isinstance(piece, PeriodValues) for a in eager.activities for piece in a.periods.values())
    assert lazy.problems == eager.problems and lazy.total_exact == eager.total_exact
    assert sums == [(activity.reduction_exact, activity.by_fiscal_year) for activity in eager.activities]
    for activity, before, made in zip(lazy.activities, values, eager.activities):
        assert [(p.start, p.end, p.source, p.baseline_t, p.reduction_t) for p in before] == [
            (p.start, p.end, p.source, p.baseline_t, p.reduction_t) for p in made.periods
        ]
        assert activity.periods == made.periods and len(activity.periods) == len(made.periods)
        assert pickle.loads(pickle.dumps(activity.periods)) == tuple(made.periods)


@SETTINGS
@given(programs(), st.randoms(use_true_random=False))
def test_row_order_changes_no_result(factors, program, shuffler):
    data = solar(program)
    before = run(data, factors)
    shuffler.shuffle(data["monitoring"])
    shuffler.shuffle(data["activities"])
    after = run(data, factors)
    assert after.total_exact == before.total_exact and after.by_fiscal_year == before.by_fiscal_year
    assert [(a.activity_id, a.reduction_exact) for a in after.activities] == [
        (a.activity_id, a.reduction_exact) for a in before.activities
    ]


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
    split = run(
        solar(
            [
                (
                    "PV-1",
                    [
                        (start, middle - dt.timedelta(days=1), generation_1, sold_1),
                        (middle, end, generation - generation_1, sold - sold_1),
                    ],
                )
            ]
        ),
        factors,
    ).total_exact
    assert abs(whole - split) <= Decimal("1e-20")


@SETTINGS
@given(programs())
def test_doubling_every_activity_doubles_the_exact_total(factors, program):
    once = run(solar(program), factors).total_exact
    twice = run(
        solar(program + [(name + "-copy", readings) for name, readings in program]), factors
    ).total_exact
    assert twice == exact_sum([once, once])


def test_results_do_not_depend_on_locale_or_time_zone():
    outputs = set()
    for env in (
        {"TZ": "UTC", "LC_ALL": "C"},
        {"TZ": "Asia/Tokyo", "LC_ALL": "C.UTF-8"},
        {"TZ": "America/Los_Angeles", "LANG": "de_DE.UTF-8"},
    ):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "toolkit",
                "calc",
                str(ROOT / "samples/solar-program"),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_computes_with_the_contract_keys(sample, run_cli):
    status, out, err = run_cli("calc", ROOT / "samples" / sample, "--format", "json")
    assert status == 0, err
    report = json.loads(out)
    assert {
        "methodology",
        "rules_version",
        "total_reduction_t",
        "total_reduction_exact_t",
        "activities",
        "factors_used",
    } <= set(report)
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
    text = (
        (solar_copy / "factors.yaml")
        .read_text(encoding="utf-8")
        .replace("0.000441", "0.000500")
        .replace("status: unverified", "status: verified")
    )
    (solar_copy / "factors.yaml").write_text(text, encoding="utf-8")
    status, out, _ = run("calc", solar_copy, "--format", "json")
    after = json.loads(out)
    assert status == 0
    assert Decimal(after["total_reduction_exact_t"]) != Decimal(before["total_reduction_exact_t"])
    (used,) = after["factors_used"]
    assert (used["name"], used["fiscal_year"], used["value"], used["status"], used["overridden"]) == (
        "grid_electricity[basis=all_source]",
        2025,
        "0.0005",
        "verified",
        True,
    )


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


@pytest.mark.parametrize(
    "case,edit,code,location,fragment_en",
    [
        (
            "missing-factor-year",
            lambda f: _edit_yaml(f, "fiscal_year: 2025", "fiscal_year: 2024", "factors.yaml"),
            "factor_missing",
            "factors.yaml",
            "FY2025",
        ),
        (
            "unknown-rules-version",
            lambda f: _edit_yaml(f, 'rules_version: "2025-09"', 'rules_version: "2025-90"'),
            "rules_version_unknown",
            "project.yaml:5",
            "did you mean 2025-09",
        ),
        (
            "reading-outside-crediting",
            lambda f: (_edit_cell(f, "B2", dt.date(2033, 5, 1)), _edit_cell(f, "C2", dt.date(2033, 5, 31))),
            "reading_outside_crediting",
            "monitoring/2025.xlsx!モニタリング!B2",
            "excluded",
        ),
        (
            "overlapping-periods",
            lambda f: _edit_cell(f, "C2", dt.date(2025, 5, 10)),
            "reading_overlap",
            "monitoring/2025.xlsx!モニタリング",
            "overlapping",
        ),
        (
            "sold-above-generation",
            lambda f: _edit_cell(f, "E2", 99999),
            "not_above",
            "monitoring/2025.xlsx!モニタリング!E2",
            "at most generation",
        ),
    ],
)
def test_bad_calculation_inputs_exit_1_with_location(
    solar_copy, run, case, edit, code, location, fragment_en
):
    edit(solar_copy)
    status, out, err = run("calc", solar_copy, "--lang", "en")
    assert status == 1, (out, err)
    assert "Traceback" not in err
    lines = [line for line in out.splitlines() if location in line and fragment_en in line]
    assert lines, out  # the problems are calc's report: on stdout


def test_an_input_the_formula_needs_is_reported_where_it_is_empty(tmp_path, run):
    target = tmp_path / "boiler"
    shutil.copytree(ROOT / "samples/boiler", target)
    text = (target / "project.yaml").read_text(encoding="utf-8")
    line = next(
        number
        for number, content in enumerate(text.splitlines(), start=1)
        if "baseline_efficiency_pct" in content
    )
    _edit_yaml(target, text.splitlines()[line - 1], text.splitlines()[line - 1].split(":")[0] + ":")
    status, out, err = run("calc", target, "--lang", "en")
    assert status == 1
    assert f"project.yaml:{line} activities[0].baseline_efficiency_pct" in out
    assert "needed by the calculation but empty" in out


# -- crediting periods, seasons and additionality edges ---------------------------------------------


def _one(start, end, kwh=Decimal(300), **activity):
    data = solar([("PV-1", [(start, end, kwh, Decimal(0))])])
    data["activities"][0].update(activity)
    return data


def test_a_member_is_credited_from_its_own_start_not_the_projects(factors):
    data = _one(dt.date(2025, 4, 1), dt.date(2025, 4, 30), joined_on=dt.date(2025, 9, 1))
    data["project"]["crediting_period"] = {"start": dt.date(2025, 1, 1), "end": dt.date(2031, 3, 31)}
    result = run(data, factors)
    assert result.activities[0].crediting[0] == dt.date(2025, 9, 1)
    assert result.total_exact == 0 and [p.code for p in result.errors] == ["reading_outside_crediting"]


def test_the_latest_of_application_project_monitoring_and_join_dates_starts_the_period(factors):
    data = _one(dt.date(2025, 7, 1), dt.date(2025, 7, 31), joined_on=dt.date(2025, 3, 1))
    data["project"].update(
        registration_application_date=dt.date(2025, 6, 1), monitoring_start_date=dt.date(2025, 7, 1)
    )
    assert run(data, factors).activities[0].crediting[0] == dt.date(2025, 7, 1)


def test_a_stated_end_past_the_rules_is_reported_and_not_used(tmp_path):
    (tmp_path / "factors.yaml").write_text(GRID, encoding="utf-8")
    data = _one(dt.date(2031, 4, 1), dt.date(2031, 4, 30))
    data["project"]["crediting_period"] = {"start": dt.date(2025, 1, 1), "end": dt.date(2033, 3, 31)}
    result = calculate_data(data, factor_tables.load("2023-10", tmp_path))  # the 2031-03-31 cap
    assert result.activities[0].crediting[1] == dt.date(2031, 3, 31)
    assert "crediting_end_beyond_rules" in [p.code for p in result.problems]
    assert result.total_exact == 0


def test_unverified_rule_switches_are_flagged_by_version_and_switch_in_words(factors):
    """2025-09 lists marginal_bands and truncation as unverified: one warning, in ja and en, naming the
    version and each switch in words, with no web address in it."""
    result = run(_one(dt.date(2025, 4, 1), dt.date(2025, 4, 30)), factors)  # 2025-09: status unverified
    (problem,) = [p for p in result.problems if p.code == "rules_switch_unverified"]
    assert problem.severity == "warning" and problem.params["names"] == "marginal_bands, truncation"
    ja, en = problem.message("ja"), problem.message("en")
    assert "規程の版 2025-09" in ja and "「移行限界電源方式" in ja and "（この版では合計で1回）" in ja
    assert not any(key in ja for key in ("truncation", "marginal_bands", "total", "false"))  # words, not keys
    assert (
        "rules version 2025-09" in en
        and "'transitional marginal method" in en
        and "(marginal_bands: false)" in en
    )
    assert not any(mark in ja + en for mark in ("http", ".jp", ".com", "expydoc"))
    # the version's own status rides along: its label says its number is not confirmed
    assert "版番号は未確認" in ja and "version number not confirmed" in en


RICE_METHODOLOGY = {"code": "AG-005", "version": "3.1"}  # picks the gwp row of the version


def _rice(seasons, history=((2023, 10), (2024, 10))):
    return {
        "rules_version": "2023-10",
        "project": {
            "type": "program",
            "methodology": RICE_METHODOLOGY,
            "registration_application_date": dt.date(2025, 5, 1),
        },
        "activities": [
            {
                "id": "RD-1",
                "prefecture": "福島県",
                "area_ha": Decimal(1),
                "percolation_mm_per_day": Decimal(10),
                "straw_removed_kg_per_10a": Decimal(0),
                "compost_t_per_10a": Decimal(0),
                "baseline_drainage_days": Decimal(10),
            }
        ],
        "drainage_history": [
            {"activity_id": "RD-1", "year": year, "drainage_days": Decimal(days)} for year, days in history
        ],
        "monitoring": [
            {
                "activity_id": "RD-1",
                "fiscal_year": start.year,
                "drainage_start": start,
                "drainage_end": start + dt.timedelta(days=length),
                "heading_date": dt.date(start.year, 8, 20),
            }
            for start, length in seasons
        ],
    }


def test_a_season_counts_once_in_the_window_holding_its_end():
    factors = factor_tables.load("2023-10", methodology=RICE_METHODOLOGY)
    data = _rice([(dt.date(2025, 6, 25), 20)])  # ends 2025-07-15
    first = calculate_data(data, factors, (dt.date(2025, 7, 1), dt.date(2025, 7, 5))).total_exact
    second = calculate_data(data, factors, (dt.date(2025, 7, 6), dt.date(2026, 3, 31))).total_exact
    whole = calculate_data(data, factors).total_exact
    assert first == 0 and second == whole > 0


def test_a_repeated_season_is_reported_and_counted_once():
    factors = factor_tables.load("2023-10", methodology=RICE_METHODOLOGY)
    once = calculate_data(_rice([(dt.date(2025, 6, 25), 20)]), factors).total_exact
    twice = calculate_data(_rice([(dt.date(2025, 6, 25), 20)] * 2), factors)
    assert twice.total_exact == once and [p.code for p in twice.errors] == ["season_duplicate"]


def test_the_baseline_mean_comes_from_the_history_rows():
    factors = factor_tables.load("2023-10", methodology=RICE_METHODOLOGY)
    result = calculate_data(_rice([(dt.date(2025, 6, 25), 20)], history=((2023, 14), (2024, 16))), factors)
    assert result.total_exact == 0  # mean 15: 22 days needed, 20 drained
    assert [p.code for p in result.problems if p.code.startswith("ag005")] == ["ag005_7d"]
    short = calculate_data(_rice([(dt.date(2025, 6, 25), 20)], history=((2024, 10),)), factors)
    assert short.total_exact == 0 and "ag005_2yhist" in [p.code for p in short.problems]


@pytest.mark.parametrize(
    "inputs,additional,reason",
    [
        ({"capex_jpy": 10_000_000, "annual_saving_jpy": 2_000_000}, None, "missing"),  # subsidy not stated
        ({"capex_jpy": 10_000_000, "subsidy_jpy": 0, "annual_saving_jpy": 2_000_000}, True, "payback_ok"),
        ({"capex_jpy": 10_000_000, "subsidy_jpy": 10_000_000, "annual_saving_jpy": 0}, False, "no_net_cost"),
        ({"capex_jpy": 10_000_000, "subsidy_jpy": 12_000_000, "annual_saving_jpy": 1}, False, "no_net_cost"),
        ({"capex_jpy": 10_000_000, "subsidy_jpy": 0, "annual_saving_jpy": 0}, True, "no_net_saving"),
    ],
)
def test_additionality_edges(inputs, additional, reason):
    from toolkit.calculate.additionality import assess

    result = assess({"method": "payback", **inputs}, Decimal(3))
    assert (result.additional, result.reason) == (additional, reason)


def test_a_huge_total_truncates_without_error():
    assert truncate(Decimal("1e20") + Decimal("0.5")) == 10**20


def test_a_reversed_period_is_a_usage_error(run):
    status, _, err = run("calc", ROOT / "samples/solar-program", "--period", "2026-04-01:2025-04-01")
    assert status == 2 and "START" in err


def test_an_unverified_override_is_flagged_at_its_line(run):
    status, out, _ = run("calc", ROOT / "samples/solar-program", "--lang", "en")
    assert status == 0
    assert "W factors.yaml:5 grid_electricity: uses a factor that is not verified" in out


def test_detail_gives_each_figures_formula_inputs_and_factor_rows(run):
    lean = json.loads(run("calc", ROOT / "samples/solar-program", "--format", "json")[1])["activities"][0][
        "periods"
    ][0]
    full = json.loads(run("calc", ROOT / "samples/solar-program", "--format", "json", "--detail")[1])
    period = full["activities"][0]["periods"][0]
    assert {"start", "end", "fiscal_year", "baseline_t", "project_t", "reduction_t"} <= set(
        lean
    ) and "baseline" not in lean
    assert period["baseline"]["formula"] == "EN-R-002 EM_BL = EL_PJ,self × CEF_elec"
    assert period["baseline"]["inputs"]["CEF_elec"] == "0.000441"
    assert period["baseline"]["factors"] == ["grid_electricity[basis=all_source]@FY2025"]
