"""Fuzzing the inputs (issue 14): random workbooks and YAML files never crash a command or write anything.

Random cells (types, far extents, merged ranges) in the activities and readings sheets and random edits of
project.yaml (keys, values, encodings): every `validate`, `calc` and `check` run ends with exit 0, 1 or 2,
no traceback, every error located, and the project folder exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.cli import cli

pytestmark = pytest.mark.slow

CELL_VALUES = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(
        ["PV-0001", "PV-0002", "はい", "いいえ", "1e309", "9999-06-01", "=A1", "#REF!", " ", "▲5"]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.booleans(),
)
COLUMNS = st.integers(min_value=1, max_value=12)
ROWS = st.integers(min_value=1, max_value=8)
FAR = st.sampled_from(["XFD100000", "XFD1", "AA5", "Z300001", "B40", "CV2"])

YAML_EDITS = st.sampled_from(
    [
        ("", ""),
        ("  name: テスト市", '  "": テスト市'),
        ("proponent:\n", "project.name: dotted\nproponent:\n"),
        ("registration_application_date: 2025-04-01", "registration_application_date: 9999-06-01"),
        ("registration_application_date: 2025-04-01", "registration_application_date: [1, 2]"),
        ("code: EN-R-002", "code: "),
        ("code: EN-R-002", "code: {a: 1}"),
        ('version: "3.0"', "version: 3.0"),
        ("type: program", "type: 1e309"),
        ("additionality:\n  method: household", "additionality: &a [*a]"),
        ("activities: {file: activities.xlsx}", "activities: {file: ../../etc/passwd}"),
        ("activities: {file: activities.xlsx}", "activities: [1, 2, {id: x, capacity_kw: 1e300}]"),
        ("schema_version: 1", "schema_version: 1\n? [a, b]\n: c"),
        ("schema_version: 1", "- a\n- b"),
    ]
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
)
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
PATHS = st.sampled_from(
    [
        ("rules_version",),
        ("project", "registration_application_date"),
        ("project", "methodology"),
        ("project", "methodology", "version"),
        ("proponent", "postal_code"),
        ("proponent", "address"),
        ("additionality",),
        ("activities",),
        ("monitoring",),
        ("program",),
        ("",),
    ]
)


@st.composite
def sheets(draw):
    """Edits of one sheet: cells set to random values, perhaps a far cell, perhaps merged ranges."""
    cells = draw(st.lists(st.tuples(ROWS, COLUMNS, CELL_VALUES), max_size=12))
    far = draw(st.none() | st.tuples(FAR, CELL_VALUES))
    merges = draw(st.lists(st.tuples(ROWS, COLUMNS, st.integers(0, 3), st.integers(0, 2)), max_size=2))
    return cells, far, merges


def _apply(path: Path, edits) -> None:
    cells, far, merges = edits
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row, column, value in cells:
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        try:
            sheet.cell(row=row, column=column, value=value)
        except (
            Exception
        ):  # openpyxl refuses control characters (IllegalCharacterError): Excel never writes them
            pass
    if far is not None and far[1] is not None:
        try:
            sheet[far[0]] = far[1]
        except Exception:
            pass
    for row, column, down, right in merges:
        if down or right:
            try:
                sheet.merge_cells(
                    start_row=row, start_column=column, end_row=row + down, end_column=column + right
                )
            except ValueError:
                pass
    book.save(path)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    activities=sheets(),
    readings=sheets(),
    edit=YAML_EDITS,
    encoding=ENCODINGS,
    injected=st.none() | st.tuples(PATHS, YAML_VALUES),
)
def test_random_inputs_never_crash_a_command_or_write_anything(
    tmp_path, folder, activities, readings, edit, encoding, injected
):
    base = tmp_path / "fuzz"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir()
    folder = type(folder)(base / "project")  # conftest's ProjectFolder, fresh for every example
    old, new = edit
    folder.project_yaml = folder.project_yaml.replace(old, new, 1) if old else folder.project_yaml
    folder.write()
    text = folder.project_yaml
    if injected is not None:
        data = yaml.safe_load(text) if old == "" else None
        if isinstance(data, dict):
            path, value = injected
            level = data
            for key in path[:-1]:
                level = level.setdefault(key, {}) if isinstance(level.get(key, {}), dict) else {}
            level[path[-1]] = value
            text = yaml.safe_dump(data, allow_unicode=True)
    try:
        (folder.root / "project.yaml").write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        pass
    _apply(folder.root / "activities.xlsx", activities)
    _apply(folder.root / "monitoring/2025.xlsx", readings)
    before = _snapshot(base)
    runner = CliRunner()
    for command in ("validate", "calc", "check"):
        result = runner.invoke(cli, [command, str(folder.root), "--format", "json"])
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1, 2), (command, output, result.exception)
        assert "Traceback" not in output and "Internal error" not in output, (command, output)
        if result.exit_code == 1 and command == "validate":
            report = json.loads(result.stdout)
            assert report["errors"], output
            unlocated = [error for error in report["errors"] if not error["location"]]
            assert not unlocated, unlocated
    assert _snapshot(base) == before
