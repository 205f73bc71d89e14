"""「該当なし」 and 「なし」 mean one thing everywhere (schema.not_applicable and its kin):
「該当なし」 says a field does not apply and needs its reason; 「なし」 is an answer,
one that names nothing, so a rule that needs a name (the subsidy deducted, the forest
plan's id) finds it missing, whatever word says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit import pipeline, schema
from toolkit.documents import assemble as documents
from toolkit.documents.model import Fields, Missing

ROOT = Path(__file__).resolve().parent.parent
PLAN_ID = "plan_id: 鹿沼市指令環第2024-118号"


def _copy(sample: str, tmp_path: Path) -> Path:
    target = tmp_path / sample
    shutil.copytree(ROOT / "samples" / sample, target)
    return target


def _set(project: Path, prefix: str, value: str) -> None:
    """The first line starting with `prefix` (its key, indented) gets `value`."""
    path = project / "project.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(index for index, line in enumerate(lines) if line.startswith(prefix))
    lines[index] = f"{prefix} {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    "value, applies, reason_given, names_nothing",
    [
        ("該当なし", False, False, True),
        ("該当なし：自己資金のみ", False, True, True),
        ("対象外（間伐のみ）", False, True, True),
        ("N/A", False, False, True),
        ("なし", True, True, True),
        ("なし（補助金は受けていない）", True, True, True),
        ("無し", True, True, True),
        ("nagoya", True, True, False),
        ("省エネルギー投資促進支援事業費補助金", True, True, False),
    ],
)
def test_one_reading_of_the_words(value, applies, reason_given, names_nothing):
    assert schema.not_applicable(value) is not applies
    assert schema.not_applicable_without_reason(value) is not reason_given
    assert schema.names_nothing(value) is names_nothing


def _subsidies_shown(project: Path):
    document = documents.build("plan", pipeline.calculate(project), project)
    (value,) = [
        row.value
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Fields)
        for row in block.rows
        if row.path == "double_counting.subsidies"
    ][:1]
    return value


def _rule(project: Path, rule: str) -> list:
    return [
        (finding.path, finding.code)
        for finding in pipeline.check(project, "registration").findings
        if finding.rule == rule
    ]


@pytest.mark.parametrize(
    "answer, missing", [("なし", False), ("該当なし", True), ("該当なし：自己資金のみ", False)]
)
def test_a_deducted_subsidy_answered_none_is_shown_and_flagged_alike(tmp_path, answer, missing):
    """The plan shows 「なし」 as the answer it is (「該当なし」 alone is a gap); the subsidy rule, which needs the
    deducted subsidy named, finds each of them naming none."""
    project = _copy("led-factory", tmp_path)
    _set(project, "  subsidies:", answer)
    assert isinstance(_subsidies_shown(project)[0], Missing) is missing
    assert _rule(project, "R-DC-SUBSIDY") == [("double_counting.subsidies", "subsidy_unnamed")]


@pytest.mark.parametrize(
    "plan_id, planned",
    [
        ("なし", False),
        ("該当なし：森林経営計画の対象外の林分", False),
        ("未定", False),
        ("鹿沼市指令環第２０２４－１１８号", True),
    ],
)
def test_a_forest_plan_id_must_be_an_id(tmp_path, plan_id, planned):
    project = _copy("forest", tmp_path)
    path = project / "project.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(PLAN_ID, f"plan_id: {plan_id}", 1), encoding="utf-8"
    )
    found = _rule(project, "R-FO-PLAN")
    assert (("activities[0].plan_id", "forest_plan") in found) is not planned
