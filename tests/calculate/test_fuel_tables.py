"""The fuel tables: per fiscal year like the grid table, shipped empty (no 温対法 default used as a J-Credit value)."""

from __future__ import annotations

import json


def test_factors_lists_the_fuel_tables_empty_and_says_where_rows_come_from(run):
    status, out, _ = run("factors", "--format", "json")
    assert status == 0
    tables = json.loads(out)["tables"]
    assert tables["fuels"] == [] and tables["heating_values"] == []
    assert not [row for rows in tables.values() for row in rows if "温対法" in row["source"]]
    text = run("factors", "--lang", "en")[1]
    lines = text.splitlines()
    for table in ("fuels", "heating_values"):
        after = lines[lines.index(f"  {table}") + 1]
        assert "no rows shipped" in after and "factors.yaml" in after
    assert "（同梱の行なし" in run("factors")[1]
