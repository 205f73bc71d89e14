"""Factor tables: every row sourced, overrides reported, never a fallback to another year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.calculate import factors as factor_tables
from toolkit.errors import FactorError


def test_every_shipped_row_has_a_source_and_a_status():
    for row in factor_tables.shipped_rows().values():
        assert row.source and row.status in factor_tables.STATUSES


def test_every_rule_version_has_every_switch():
    names = None
    for version in factor_tables.rule_versions().values():
        assert version["source"] and version["status"] in factor_tables.STATUSES
        assert names is None or set(version["switches"]) == names
        names = set(version["switches"])


def test_a_missing_year_is_an_error_naming_table_and_year_never_another_year():
    factors = factor_tables.load("2023-10")
    assert factors.get("grid_electricity", 2013, "t-CO2/kWh", basis="all_source").value == Decimal("0.000570")
    with pytest.raises(FactorError) as raised:
        factors.get("grid_electricity", 2014, "t-CO2/kWh", basis="all_source")
    (problem,) = raised.value.problems
    assert "grid_electricity" in problem.message("en") and "FY2014" in problem.message("en")
    assert "2014年度" in problem.message("ja")


def test_unknown_rules_version_names_the_known_ones():
    with pytest.raises(FactorError) as raised:
        factor_tables.load("2023-11")
    assert "2023-10" in raised.value.problems[0].message("en")


def test_overrides_replace_rows_and_say_so(tmp_path):
    (tmp_path / "factors.yaml").write_text(
        "grid_electricity:\n  - {fiscal_year: 2013, basis: all_source, value: 0.5, unit: kg-CO2/kWh,\n"
        "     source: mine, status: unverified}\n",
        encoding="utf-8",
    )
    ref = factor_tables.load("2023-10", tmp_path).get(
        "grid_electricity", 2013, "t-CO2/kWh", basis="all_source"
    )
    assert (ref.value, ref.status, ref.overridden, ref.source) == (
        Decimal("0.0005"),
        "unverified",
        True,
        "mine",
    )


@pytest.mark.parametrize(
    "text,code,location",
    [
        ("grid_electricty: []\n", "factor_table_unknown", "factors.yaml:1"),
        (
            "grid_electricity:\n  - {fiscal_year: 2025, basis: all_source, value: 0.4}\n",
            "factor_row_missing",
            "factors.yaml:2",
        ),
        (
            "grid_electricity:\n  - {fiscal_year: 2025, basis: all_source, value: abc, unit: t-CO2/kWh, source: s,"
            " status: verified}\n",
            "not_a_number",
            "factors.yaml:2",
        ),
        (
            "grid_electricity:\n  - {fiscal_year: 2025, basis: all_source, value: 1, unit: t-CO2/kWh, source: s,"
            " status: sure}\n",
            "allowed",
            "factors.yaml:2",
        ),
        ("grid_electricity: [\n", "yaml_syntax", "factors.yaml:2"),
    ],
)
def test_bad_overrides_are_reported_with_their_line(tmp_path, text, code, location):
    (tmp_path / "factors.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FactorError) as raised:
        factor_tables.load("2023-10", tmp_path)
    assert [
        (p.code, str(p.location).rsplit(":", 1)[0] if p.location.column else str(p.location))
        for p in raised.value.problems
    ][0] == (code, location)


def test_a_unit_no_formula_can_use_is_refused_when_asked_for_at_its_line(tmp_path):
    (tmp_path / "factors.yaml").write_text(
        "grid_electricity:\n  - {fiscal_year: 2025, basis: all_source, value: 1, unit: MJ, source: s,"
        " status: verified}\n",
        encoding="utf-8",
    )
    factors = factor_tables.load("2023-10", tmp_path)
    with pytest.raises(FactorError) as raised:
        factors.get("grid_electricity", 2025, "t-CO2/kWh", basis="all_source")
    (problem,) = raised.value.problems
    assert (problem.code, str(problem.location)) == ("factor_unit", "factors.yaml:2")
    assert "t-CO2/kWh" in problem.message("en") and "MJ" in problem.message("en")


def test_a_row_without_status_names_only_status_and_no_empty_list(tmp_path):
    """The old message read 「…（不足: status、不明: ）」 with an empty list; now only what is missing."""
    (tmp_path / "factors.yaml").write_text(
        "grid_electricity:\n  - {fiscal_year: 2025, basis: all_source, value: 0.4, unit: kg-CO2/kWh, source: s}\n",
        encoding="utf-8",
    )
    with pytest.raises(FactorError) as raised:
        factor_tables.load("2025-09", tmp_path)
    (problem,) = raised.value.problems
    assert (problem.code, str(problem.location)) == ("factor_row_missing", "factors.yaml:2")
    ja, en = problem.message("ja"), problem.message("en")
    assert ja.endswith("が必要ですが status がありません") and "不明" not in ja and "、）" not in ja
    assert en.endswith("found no status") and "unknown" not in en


def test_an_unknown_field_is_named_alone(tmp_path):
    (tmp_path / "factors.yaml").write_text(
        "grid_electricity:\n  - {fiscal_year: 2025, basis: all_source, value: 0.4, unit: kg-CO2/kWh, source: s,"
        " status: verified, valu: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(FactorError) as raised:
        factor_tables.load("2025-09", tmp_path)
    (problem,) = raised.value.problems
    assert problem.code == "factor_row_unknown" and "valu" in problem.message("en")
    assert "missing" not in problem.message("en")


EMPTY_ROWS = """\
grid_electricity:
  - {basis: all_source, fiscal_year: 2025, value: , unit: kg-CO2/kWh, source: "", status: unverified}
  - {basis: all_source, fiscal_year: 2026, value: , unit: kg-CO2/kWh, source: "", status: unverified}
"""


def test_empty_values_load_and_are_reported_at_their_line_when_needed_or_not(tmp_path):
    """A row init wrote and nobody filled is no load error: asked for, it is an error at its line; never
    asked for, a warning at its line."""
    (tmp_path / "factors.yaml").write_text(EMPTY_ROWS, encoding="utf-8")
    factors = factor_tables.load("2025-09", tmp_path)
    with pytest.raises(FactorError) as raised:
        factors.get("grid_electricity", 2025, "t-CO2/kWh", basis="all_source")
    (problem,) = raised.value.problems
    assert (problem.code, str(problem.location), problem.path) == (
        "factor_empty",
        "factors.yaml:2",
        "grid_electricity[0]",
    )
    assert "2025年度" in problem.message("ja") and "FY2025" in problem.message("en")
    unfilled = [p for p in factors.warnings() if p.code == "factor_unfilled"]
    assert [(p.severity, str(p.location)) for p in unfilled] == [("warning", "factors.yaml:3")]


def test_a_blank_key_matches_any_value_of_that_key(tmp_path):
    (tmp_path / "factors.yaml").write_text(
        'fuels:\n  - {fuel: , value: , unit: tC/GJ, source: "", status: unverified}\n', encoding="utf-8"
    )
    factors = factor_tables.load("2025-09", tmp_path)
    with pytest.raises(FactorError) as raised:
        factors.get("fuels", unit="t-CO2/GJ", fuel="heavy_oil_a")
    assert raised.value.problems[0].code == "factor_empty"
    assert factors.warnings()[-1].code != "factor_unfilled"  # it was asked for: the error said it


def test_rows_to_add_give_every_missing_year_in_one_block():
    """Three missing years of one basis come out as three rows under one table key, sorted by year."""
    problems = [
        factor_tables.missing_problem("grid_electricity", {"basis": "all_source"}, year)
        for year in (2027, 2025, 2026)
    ]
    problems.append(problems[0])  # the same row asked twice is listed once
    assert factor_tables.rows_to_add(problems) == (
        "grid_electricity:\n"
        '  - {basis: all_source, fiscal_year: 2025, value: , unit: kg-CO2/kWh, source: "", status: unverified}\n'
        '  - {basis: all_source, fiscal_year: 2026, value: , unit: kg-CO2/kWh, source: "", status: unverified}\n'
        '  - {basis: all_source, fiscal_year: 2027, value: , unit: kg-CO2/kWh, source: "", status: unverified}'
    )


def test_no_shipped_source_points_at_our_own_notes():
    """Every shipped row and rules version names a public source, never domain.md."""
    from importlib.resources import files

    from toolkit import packaged

    folder = files("toolkit.schemas").joinpath("factors")
    checked = 0
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = packaged.load(f"factors/{entry.name}")
        sources = [row["source"] for row in data.get("rows", [])]
        sources += [version["source"] for version in data.get("versions", {}).values()]
        for source in sources:
            assert "domain.md" not in source and "§" not in source, (entry.name, source)
            checked += 1
    assert checked >= 60  # every table: grid, rules versions, AG-004, the 47 prefectures, gwp …
