"""Missing fields, readiness, score and remarks; the property: one required field removed, one new blocking finding."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
import yaml
from checklist_edits import (
    ALL_SAMPLES,
    SAMPLES,
    STAGES,
    blocking,
    complete,
    delete_key,
    edit_yaml,
    line_of,
    of_rule,
    replace,
    sample,
    the,
    where,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import pipeline
from toolkit.checklist import readiness as checklist
from toolkit.checklist.findings import Checklist
from toolkit.documents import assemble as documents


# -- missing fields, readiness, score, remarks ---------------------------------------------------------
@pytest.mark.parametrize(
    "answer, missing",
    [
        (None, True),
        ("該当なし", True),
        ("該当なし。", True),
        ("該当なし：補助金の交付は受けていない", False),
        ("なし", False),
    ],
)
def test_empty_or_not_applicable_without_a_reason_is_missing(tmp_path, answer, missing):
    root = sample(tmp_path, "rice-drainage", evidence=False)  # no subsidy deducted: 「なし」 is an answer
    if answer is None:
        edit_yaml(root, lambda data: delete_key(data, "double_counting.subsidies"))
    else:
        replace(root, "  subsidies: なし（中干し延長に係る補助金は受けていない）", f"  subsidies: {answer}")
    found = pipeline.check(root, "registration")
    assert found.ready is not missing
    if missing:
        finding = the(found, "F-MISSING")
        assert (finding.path, finding.severity, finding.document) == (
            "double_counting.subsidies",
            "blocking",
            "plan",
        )
        assert finding.location.file == "project.yaml"
        if answer:
            assert where(finding) == f"project.yaml:{line_of(root, f'subsidies: {answer}')}"
    else:
        assert of_rule(found, "F-MISSING") == []


def test_ready_and_score(tmp_path):
    assert (
        complete("led-factory", "registration").ready
        and complete("led-factory", "registration").score() == 1.0
    )
    root = sample(tmp_path, "led-factory")
    edit_yaml(root, lambda data: delete_key(data, "proponent.postal_code"))
    found = pipeline.check(root, "registration")
    assert not found.ready
    assert 0 < found.score("plan") < 1 and found.score("activity-list") == 1.0
    assert found.score("plan") == round(1 - 1 / found.items["plan"], 3)
    assert found.score("plan") <= found.score() < 1


def test_remarks_leave_out_empty_fields_and_notes(tmp_path):
    root = sample(tmp_path, "forest")
    replace(root, "  other_scheme: false", "  other_scheme: true")
    edit_yaml(root, lambda data: delete_key(data, "proponent.postal_code"))
    found = pipeline.check(root, "registration")
    assert {"F-MISSING", "R-DC-SCHEME", "R-FO-PERM"} <= {finding.rule for finding in found.findings}
    shown = checklist.remarks(found, "plan", "en")
    assert "R-DC-SCHEME" in {remark.rule for remark in shown}
    assert not {"F-MISSING", "R-FO-PERM"} & {remark.rule for remark in shown}


# -- the property: one required field removed, one new blocking finding naming it -------------------------
# project.type and project.methodology.code change which schema and spec apply: their own tests below.
KNOWN_BREAKERS = {"project.type", "project.methodology.code"}


@functools.cache
def _sample_data(name: str) -> dict:
    return yaml.safe_load((SAMPLES / name / "project.yaml").read_text(encoding="utf-8"))


def _present(data: dict, dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def required_paths(name: str, stage: str) -> list[str]:
    """The fields the specs require at `stage` and the sample fills in (derived ones, like the monitoring
    period, are not in project.yaml and cannot be removed)."""
    data = _sample_data(name)
    paths: list[str] = []
    for kind in documents.kinds_at(stage):
        spec, _ = documents.load_spec(documents.spec_of(kind, data))
        paths += [path for _, path in documents.required_fields(spec, stage) if path not in paths]
    return [path for path in paths if _present(data, path)]


# AG-005's version picks its GWP: without it nothing is computed, so the figures' own fields go missing too
# (test_removing_the_rice_version_names_the_version covers it).
CASES = [
    (name, stage, path)
    for name in ALL_SAMPLES
    for stage in STAGES
    for path in required_paths(name, stage)
    if path not in KNOWN_BREAKERS and (name, path) != ("rice-drainage", "project.methodology.version")
]


@pytest.fixture(scope="module")
def complete_copies(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("complete")
    return {name: Path(shutil.copytree(SAMPLES / name, base / name)) for name in ALL_SAMPLES}


def check_without(root: Path, path: str, stage: str) -> Checklist:
    original = (root / "project.yaml").read_text(encoding="utf-8")
    try:
        edit_yaml(root, lambda data: delete_key(data, path))
        return pipeline.check(root, stage)
    finally:
        (root / "project.yaml").write_text(original, encoding="utf-8")


def assert_one_new_blocking_finding(root: Path, name: str, stage: str, path: str) -> None:
    before = blocking(complete(name, stage))
    assert before == set()
    after = check_without(root, path, stage)
    assert blocking(after) - before == {("F-MISSING", path)}
    (finding,) = [f for f in after.findings if f.severity == "blocking"]
    assert finding.location.file == "project.yaml"


def test_every_sample_and_stage_has_required_fields_to_remove():
    assert {(name, stage) for name, stage, _ in CASES} == {
        (name, stage) for name in ALL_SAMPLES for stage in STAGES
    }
    assert {"proponent.postal_code", "program.bylaws", "site.name", "monitoring_report.report_date"} <= {
        p for *_, p in CASES
    }


@settings(max_examples=15, deadline=None)
@given(case=st.sampled_from(CASES))
def test_removing_any_required_field_adds_exactly_one_blocking_finding(complete_copies, case):
    name, stage, path = case
    assert_one_new_blocking_finding(complete_copies[name], name, stage, path)


@pytest.mark.parametrize(
    "stage, path",
    [
        (stage, path)
        for stage in STAGES
        for path in required_paths("led-factory", stage)
        if path not in KNOWN_BREAKERS
    ],
)
def test_removing_each_required_field_of_the_led_sample(complete_copies, stage, path):
    """Every required field of one sample, both stages (the hypothesis test samples all seven)."""
    assert_one_new_blocking_finding(complete_copies["led-factory"], "led-factory", stage, path)


def test_removing_the_methodology_code_is_one_missing_field(complete_copies):
    assert_one_new_blocking_finding(
        complete_copies["led-factory"], "led-factory", "registration", "project.methodology.code"
    )


@pytest.mark.parametrize("name", ["led-factory", "rice-drainage"])  # standard and program
def test_removing_the_project_type_is_one_missing_field(complete_copies, name):
    assert_one_new_blocking_finding(complete_copies[name], name, "registration", "project.type")


def test_an_input_error_does_not_make_derived_fields_missing(tmp_path):
    root = sample(tmp_path, "led-factory")
    replace(root, 'postal_code: "507-0062"', 'postal_code: "507-006x"')
    found = pipeline.check(root, "verification")
    assert [(f.rule, f.path) for f in found.findings if f.severity == "blocking"] == [
        ("V-INPUT", "proponent.postal_code")
    ]


def test_removing_the_rice_version_names_the_version(tmp_path):
    """AG-005 without its version: the blocking findings name the version (missing, and needed for the GWP),
    never a gwp row to add with an empty version."""
    root = sample(tmp_path, "rice-drainage")
    replace(root, 'methodology: {code: AG-005, version: "3.1"}', "methodology: {code: AG-005}")
    found = pipeline.check(root, "registration")
    blocking = [f for f in found.findings if f.severity == "blocking"]
    assert ("F-MISSING", "project.methodology.version") in {(f.rule, f.path) for f in blocking}
    assert not [f for f in found.findings if f.code == "factor_missing"]
    status_message = pipeline.calculate(root).errors
    assert [(p.code, p.path, p.location.line) for p in status_message][:1] == [
        ("gwp_needs_version", "project.methodology.version", 10)
    ]
