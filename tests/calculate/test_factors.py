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
