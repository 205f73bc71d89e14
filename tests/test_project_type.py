"""A project with `project.type` left empty is the type its data implies (schema.project_type), the same for
every stage: the plan's spec, its typical-activity tables and the checklist's program rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl

from toolkit import schema

ROOT = Path(__file__).resolve().parent.parent


def _typeless_program(tmp_path: Path) -> Path:
    project = tmp_path / "solar-program"
    shutil.copytree(ROOT / "samples" / "solar-program", project)
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  type: program" in text
    path.write_text(text.replace("  type: program", '  type: ""', 1), encoding="utf-8")
    return project


def test_the_type_is_implied_by_the_data():
    assert schema.project_type({"project": {"type": ""}, "program": {"name": "x"}}) == "program"
    assert schema.project_type({"project": {"type": None}, "site": {"name": "x"}}) == "standard"
    assert schema.project_type({"project": {"type": "standard"}, "program": {"name": "x"}}) == "standard"
    assert schema.project_type({"project": {}}) is None


def _activities(sheet) -> list:
    """The activity id of each row of the typical-activity breakdown (its title row, its header row, its rows)."""
    rows = list(sheet.iter_rows(values_only=True))
    header = next(index for index, row in enumerate(rows) if row and row[0] == "活動ID")
    return [row[0] for row in rows[header + 1 :] if row[1] is not None]  # not the total, not the note


def test_a_typeless_program_plan_shows_only_the_typical_activity(tmp_path, run):
    expected = {}
    for name, project in (
        ("declared", ROOT / "samples" / "solar-program"),
        ("implied", _typeless_program(tmp_path)),
    ):
        code, _, stderr = run("render", "plan", project, "-o", tmp_path / name, "--format", "xlsx")
        assert code == 0, stderr
        book = openpyxl.load_workbook(next((tmp_path / name).glob("*.xlsx")))
        expected[name] = _activities(book["A.3 算定内訳"])
    assert (
        len(set(expected["declared"])) == 1 and expected["implied"] == expected["declared"]
    )  # not 36 activities


def test_a_typeless_program_runs_the_program_rules(tmp_path, run):
    """R-PRG-DUPMEMBER is a program rule: a member of another program is found with the type left empty."""
    project = _typeless_program(tmp_path)
    (project / "other_programs.csv").write_text(
        "program,name,address\n別プログラムA,棚橋 典子 様邸,\n", encoding="utf-8"
    )
    _, stdout, stderr = run("check", project, "--format", "json")
    findings = json.loads(stdout)["findings"]
    assert [
        (finding["id"], finding["path"]) for finding in findings if finding["id"] == "R-PRG-DUPMEMBER"
    ] == [("R-PRG-DUPMEMBER", "activities[0].name")], stderr
