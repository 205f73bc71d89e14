"""The checklist and the documents agree by construction: `check --stage S` is ready exactly when
`render --final` succeeds for every document stage S needs (its own and the earlier stages'),
for every sample, and for a sample with one required input emptied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from toolkit import pipeline
from toolkit.documents import assemble
from toolkit.documents.model import STAGES
from toolkit.errors import ToolkitError

SAMPLE_NAMES = sorted(path.name for path in SAMPLES.iterdir() if (path / "project.yaml").is_file())


def final_renders(root: Path, stage: str, out: Path) -> dict[str, str]:
    """Each document of `stage` rendered --final (XLSX, the quickest form): '' when written, else why not."""
    outcome = {}
    for kind in assemble.kinds_at(stage):
        try:
            pipeline.Run(root).render(kind, out / kind, ("xlsx",), final=True, force=True)
            outcome[kind] = ""
        except ToolkitError as error:
            outcome[kind] = f"{type(error).__name__}: {error}"
    return outcome


def agreement(root: Path, stage: str, out: Path) -> tuple[bool, dict[str, str], list]:
    checklist = pipeline.check(root, stage)
    renders = final_renders(root, stage, out)
    return (
        checklist.ready,
        renders,
        [(f.rule, f.path) for f in checklist.findings if f.severity == "blocking"],
    )


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_check_is_ready_exactly_when_every_final_document_renders(tmp_path, name, stage):
    ready, renders, blocking = agreement(SAMPLES / name, stage, tmp_path)
    assert ready == all(not why for why in renders.values()), (ready, renders, blocking)


def test_an_led_plan_before_any_readings_is_ready_and_renders_final(tmp_path):
    """The case of issue 10: an EN-S-006 plan with planned hours and no monitoring at all. The plan no longer
    needs readings: check at registration is ready and `render plan --final` writes it."""
    root = tmp_path / "led"
    shutil.copytree(SAMPLES / "led-factory", root)
    shutil.rmtree(root / "monitoring")
    ready, renders, blocking = agreement(root, "registration", tmp_path / "out")
    assert ready and renders == {"plan": "", "activity-list": ""}, (renders, blocking)


def test_an_empty_planned_input_blocks_both(tmp_path):
    """One field emptied (LED-02's planned hours): check is not ready and the plan refuses --final, both
    naming that field."""
    root = tmp_path / "led"
    shutil.copytree(SAMPLES / "led-factory", root)
    text = (root / "project.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "planned_hours_per_year: 3800" in line)
    (root / "project.yaml").write_text(text.replace(line + "\n", ""), encoding="utf-8")
    ready, renders, blocking = agreement(root, "registration", tmp_path / "out")
    assert not ready and renders["plan"], renders
    assert ("C-CALC-INPUT-MISSING", "activities[1].planned_hours_per_year") in blocking
    assert "planned_hours_per_year" in str(
        pytest.raises(
            ToolkitError, pipeline.Run(root).render, "plan", tmp_path / "x", ("xlsx",), True, True
        ).value.problems
    )


def test_a_missing_factor_blocks_both_though_the_same_table_has_an_unverified_row(tmp_path):
    """A reading in FY2026, for which factors.yaml has no grid factor, beside the unverified FY2025 row: the
    status warning at `grid_electricity` once hid the missing-factor finding at the same path, so check
    said ready while `render monitoring --final` refused."""
    import datetime as dt

    import openpyxl

    root = tmp_path / "led"
    shutil.copytree(SAMPLES / "led-factory", root)
    book = openpyxl.load_workbook(root / "monitoring" / "2025.xlsx")
    sheet = book.worksheets[0]
    last = [cell.value for cell in sheet[sheet.max_row]]
    sheet.append([last[0], dt.datetime(2026, 4, 1), dt.datetime(2026, 4, 30), *last[3:]])
    book.save(root / "monitoring" / "2025.xlsx")
    ready, renders, blocking = agreement(root, "verification", tmp_path / "out")
    assert not ready and renders["monitoring"], (renders, blocking)
    assert any(rule == "C-FACTOR-MISSING" for rule, _ in blocking), blocking
