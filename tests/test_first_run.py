"""The first run, as a new user does it: `jcredit init`, fill only what the comments ask, then
validate, calc and check work (issue 13, acceptance).

For each of the seven methodologies the project data comes from the sample of that methodology
(its plan fields, its workbooks and evidence), and factors.yaml is filled exactly where its comments
say: every empty value, and each blank key with the values of the project column the comment names.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil

import pytest
import yaml
from sample_projects import FIRST_PROJECTS, SAMPLES, TEST_VALUES

from toolkit.read.folder import load_project

ROW = re.compile(r"^(\s*- )(\{.*\})\s*$")
PICK = re.compile(r"^\s*# (\w+): .*（(\w+)\.(\w+)）の値")
TABLE = re.compile(r"^(\w+):\s*$")


def _fill_plan(template: dict, sample: dict) -> dict:
    """Every empty field of the template with the sample's value; what init wrote stays as written."""
    filled = {}
    for key, value in template.items():
        given = sample.get(key)
        if isinstance(value, dict) and "file" in value and isinstance(given, list):
            filled[key] = given  # a table the sample writes inline rather than as a sheet of the workbook
        elif isinstance(value, dict) and isinstance(given, dict):
            filled[key] = _fill_plan(value, given)
        elif value in (None, [], "") or (isinstance(value, list) and all(_empty(item) for item in value)):
            filled[key] = given
        else:
            filled[key] = value
    return filled


def _empty(item) -> bool:
    return isinstance(item, dict) and all(value is None for value in item.values())


def _column_values(data: dict, table: str, column: str) -> list:
    rows = data.get(table)
    rows = rows if isinstance(rows, list) else []
    return sorted(
        {str(row[column]) for row in rows if isinstance(row, dict) and row.get(column) not in (None, "")}
    )


def _fill_factors(text: str, data: dict) -> str:
    """Fill every row as its comments say: blank keys from the named column (a row per value), values."""
    out, picks, table = [], {}, None
    for line in text.splitlines():
        if TABLE.match(line):
            table, picks = TABLE.match(line).group(1), {}
        elif PICK.match(line):
            key, source_table, column = PICK.match(line).groups()
            picks[key] = _column_values(data, source_table, column)
        match = ROW.match(line)
        if not match:
            out.append(line)
            continue
        row = yaml.safe_load(match.group(2))
        blank = [key for key, value in row.items() if value is None and key in picks]
        for values in itertools.product(*(picks[key] for key in blank)):
            filled = dict(row, **dict(zip(blank, values)))
            value = TEST_VALUES.get((table, filled.get("parameter"))) or TEST_VALUES[table]
            parts = [f"{key}: {json.dumps(filled[key], ensure_ascii=False)}" for key in row if key != "value"]
            parts.insert(list(row).index("value"), f"value: {value}")
            out.append(
                match.group(1) + "{" + ", ".join(parts).replace('source: ""', 'source: "テスト用の値"') + "}"
            )
        # no value in the named column (a fuel the project does not use): the comment says to delete the row
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("code", sorted(FIRST_PROJECTS))
def test_init_then_fill_what_the_comments_ask_validates_calculates_and_checks(tmp_path, run, code):
    """init, fill, then: validate passes, calc prints a figure, check lists the unconfirmed factors at
    their factors.yaml lines (they stay `status: unverified`, as init wrote them)."""
    source = SAMPLES / FIRST_PROJECTS[code]
    sample = yaml.safe_load((source / "project.yaml").read_text(encoding="utf-8"))
    target = tmp_path / "new"
    start = str(sample["project"]["registration_application_date"])
    status, out, err = run(
        "init", target, "--methodology", code, "--type", sample["project"]["type"], "--start", start
    )
    assert status == 0, err
    assert "2025-09" in err  # the newest rules version, and init says so

    template = yaml.safe_load((target / "project.yaml").read_text(encoding="utf-8"))
    assert template["rules_version"] == "2025-09"
    filled = _fill_plan(template, sample)
    (target / "project.yaml").write_text(yaml.safe_dump(filled, allow_unicode=True, sort_keys=False), "utf-8")
    (target / "monitoring/readings.xlsx").unlink()  # the sample's own readings replace the empty workbook
    for path in source.iterdir():
        if path.name not in ("project.yaml", "factors.yaml"):
            copy = shutil.copytree if path.is_dir() else shutil.copy
            copy(path, target / path.name, **({"dirs_exist_ok": True} if path.is_dir() else {}))

    factors = target / "factors.yaml"
    to_fill = [line for line in factors.read_text(encoding="utf-8").splitlines() if ROW.match(line)]
    status, out, err = run("calc", target)  # before the factors are filled: no figure, the rows to fill
    if to_fill:
        assert status == 1 and "t-CO2" not in out
    else:  # every factor it needs is shipped (AG-005): the first run computes
        assert status == 0, err

    data = load_project(target).data
    factors.write_text(_fill_factors(factors.read_text(encoding="utf-8"), data), encoding="utf-8")

    status, out, err = run("validate", target)
    assert status == 0, err
    status, out, err = run("calc", target)
    assert status == 0, err
    assert re.search(r"認証対象の排出削減量.*: \d+ t-CO2", out), out
    result = json.loads(run("calc", target, "--format", "json")[1])
    assert float(result["total_reduction_exact_t"]) > 0

    lines = factors.read_text(encoding="utf-8").splitlines()
    used = {  # each factors.yaml row the calculation used, by its line
        number
        for number, line in enumerate(lines, start=1)
        for ref in result["factors_used"]
        if ref["overridden"]
        and ROW.match(line)
        and all(
            f"{key}: {json.dumps(value, ensure_ascii=False)}" in line for key, value in ref["keys"].items()
        )
        and (ref["fiscal_year"] is None or f"fiscal_year: {ref['fiscal_year']}" in line)
    }
    assert bool(used) == bool(to_fill)
    # the rows the monitored figures use are checked at verification (registration checks the plan's estimate)
    findings = json.loads(run("check", target, "--stage", "verification", "--format", "json")[1])["findings"]
    listed = {
        int(finding["location"].split(":")[1])
        for finding in findings
        if finding["id"] == "R-FACTOR-STATUS" and finding["location"].startswith("factors.yaml:")
    }
    assert used <= listed, (used, listed)
    shipped_unconfirmed = [
        ref for ref in result["factors_used"] if not ref["overridden"] and ref["status"] != "verified"
    ]
    flagged = [finding for finding in findings if finding["id"] == "R-FACTOR-STATUS"]
    assert len(flagged) >= len(listed) + bool(shipped_unconfirmed)  # shipped rows not verified are listed too


def test_calc_prints_no_figure_while_factors_are_missing_and_all_rows_to_add(folder, run):
    """Readings in FY2025, FY2026 and FY2027 and no grid factor for any of them: no total is printed, and
    the three rows to add come at once, each at its fiscal year."""
    for row, year in zip(folder.readings, (2025, 2026, 2027)):
        row[1], row[2] = row[1].replace(year=year), row[2].replace(year=year)
    root = folder.write()
    status, out, err = run("calc", root)
    assert status == 1
    assert "t-CO2" not in out and "認証対象" not in out
    block = out[out.index("grid_electricity:\n") :]
    assert [line.split("fiscal_year: ")[1][:4] for line in block.splitlines()[1:4]] == [
        "2025",
        "2026",
        "2027",
    ]
    assert all("value: , unit: kg-CO2/kWh" in line for line in block.splitlines()[1:4])
    status, out, err = run("calc", root, "--lang", "en")
    assert "add these rows to factors.yaml" in out
    status, out, err = run("calc", root, "--format", "json")  # JSON gives no total either, not a 0
    result = json.loads(out)
    assert status == 1 and result["total_reduction_t"] is None and result["total_reduction_exact_t"] is None
