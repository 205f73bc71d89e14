"""What the checklist tests share: sample copies, edits of project.yaml and workbooks, and ways to look at findings."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any, Callable

import openpyxl
import yaml

from toolkit import pipeline
from toolkit.checklist import scheme_rules as rules_check
from toolkit.checklist.findings import Checklist, Finding
from toolkit.pipeline import calculate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ALL_SAMPLES = ("solar-program", "led-factory", "boiler", "heat-pump", "forest", "biochar", "rice-drainage")
STAGES = ("registration", "verification")
READINGS = "monitoring/2025.xlsx"
# Evidence folders holding one file per reading: left out where only the registration stage matters
# (the checklist looks at evidence files only at verification), which keeps solar-program's copy cheap.
PER_READING = (
    "meter",
    "photos",
    "diary",
    "fieldlog",
    "lighting_log",
    "submeter",
    "gas_invoice",
    "meter_log",
    "register",
)


# -- fixtures and edits -------------------------------------------------------------------------------
def sample(tmp_path: Path, name: str, evidence: bool = True) -> Path:
    """A copy of samples/<name> to edit."""
    return Path(
        shutil.copytree(
            SAMPLES / name, tmp_path / name, ignore=None if evidence else shutil.ignore_patterns(*PER_READING)
        )
    )


def replace(root: Path, old: str, new: str, name: str = "project.yaml") -> None:
    """Replace text that occurs exactly once (an edit that silently does nothing proves nothing)."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_yaml(root: Path, edit: Callable[[dict], Any]) -> None:
    """Load project.yaml, edit the data, dump it back (comments go; values stay)."""
    path = root / "project.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def delete_key(data: dict, dotted: str) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[part]
    del data[last]


def _sheet(book, sheet: str | None):
    return book[sheet] if sheet else book.worksheets[0]


def set_cells(
    root: Path, workbook: str, changes: dict[tuple[int, str], Any], sheet: str | None = None
) -> dict:
    """Set cells by (data row index from 0, header label); returns their coordinates (F2 ...)."""
    path = root / workbook
    book = openpyxl.load_workbook(path)
    table = _sheet(book, sheet)
    columns = {cell.value: cell.column for cell in table[1]}
    where = {}
    for (row, header), value in changes.items():
        cell = table.cell(row + 2, columns[header])
        cell.value = value
        where[(row, header)] = cell.coordinate
    book.save(path)
    return where


def delete_rows(root: Path, workbook: str, rows: list[int], sheet: str | None = None) -> None:
    path = root / workbook
    book = openpyxl.load_workbook(path)
    for row in sorted(rows, reverse=True):
        _sheet(book, sheet).delete_rows(row + 2)
    book.save(path)


def column(root: Path, workbook: str, header: str, sheet: str | None = None) -> list:
    """A column's values by its header label, data rows only."""
    book = openpyxl.load_workbook(root / workbook, read_only=True)
    try:
        rows = _sheet(book, sheet).iter_rows(values_only=True)
        index = next(rows).index(header)
        return [row[index] for row in rows]
    finally:
        book.close()


def line_of(root: Path, needle: str, name: str = "project.yaml") -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


# -- looking at findings ------------------------------------------------------------------------------
def of_rule(found: Checklist | list[Finding], rule: str) -> list[Finding]:
    return [
        finding
        for finding in (found.findings if isinstance(found, Checklist) else found)
        if finding.rule == rule
    ]


def the(found: Checklist | list[Finding], rule: str) -> Finding:
    """The one finding of `rule`."""
    matching = of_rule(found, rule)
    assert len(matching) == 1, f"expected one {rule} finding, found {matching}"
    return matching[0]


def where(finding: Finding) -> str:
    return str(finding.location) if finding.location else ""


def blocking(found: Checklist) -> set[tuple[str, str]]:
    return {(finding.rule, finding.path) for finding in found.findings if finding.severity == "blocking"}


@functools.cache
def complete(name: str, stage: str) -> Checklist:
    """The checklist of an unedited sample (read in place; cached for the whole module)."""
    return pipeline.check(SAMPLES / name, stage)


def rules_only(root: Path, stage: str = "registration") -> list[Finding]:
    """The rules of rules_check.py as they fire, before the checklist merges an empty field's findings."""
    calculation = calculate(root)
    return rules_check.run(rules_check.Context(calculation.project, calculation, stage))
