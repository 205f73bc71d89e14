"""Evidence at verification: meters, missing, absent and unused files."""

from __future__ import annotations

import hashlib

import pytest
from checklist_edits import (
    READINGS,
    column,
    complete,
    line_of,
    of_rule,
    replace,
    sample,
    set_cells,
    the,
    where,
)

from toolkit import pipeline


# -- meters and evidence ------------------------------------------------------------------------------
@pytest.mark.parametrize("valid_until, fires", [("2025-12-31", True), ("2026-03-31", False)])
def test_meter_certification_must_cover_the_period(tmp_path, valid_until, fires):
    """The boiler's readings end on 2026-03-31."""
    root = sample(tmp_path, "boiler")
    owner = "    owner: 総務部 金谷 佳奈（記録・保管）"
    replace(root, owner, f"    meter_valid_until: {valid_until}\n{owner}")
    found = of_rule(pipeline.check(root, "verification"), "R-EVID-METER")
    if fires:
        (finding,) = found
        assert (finding.path, finding.severity) == ("monitoring_plan[0].meter_valid_until", "blocking")
        assert where(finding) == f"project.yaml:{line_of(root, 'meter_valid_until:')}"
    else:
        assert found == []
    assert of_rule(pipeline.check(root, "registration"), "R-EVID-METER") == []  # a verification (R) check


def test_evidence_missing_absent_and_unused(tmp_path):
    root = sample(tmp_path, "led-factory")
    evidence = column(root, READINGS, "証憑")
    cells = set_cells(root, READINGS, {(0, "証憑"): None})
    (root / evidence[3]).unlink()
    (root / "evidence" / "extra.pdf").write_bytes(b"%PDF-1.4 not named by any reading")
    found = pipeline.check(root, "verification")
    month, absent = the(found, "R-EVID-MONTH"), the(found, "R-EVID-FILE")
    assert (month.path, month.severity, where(month)) == (
        "monitoring[0].evidence",
        "blocking",
        f"{READINGS}!モニタリング!{cells[(0, '証憑')]}",
    )
    assert (absent.path, absent.severity, where(absent)) == (
        "monitoring[3].evidence",
        "blocking",
        f"{READINGS}!モニタリング!F5",
    )
    unused = {where(finding): finding for finding in of_rule(found, "R-EVID-UNUSED")}
    assert (unused["evidence/extra.pdf"].path, unused["evidence/extra.pdf"].severity) == ("", "info")
    assert evidence[0] in unused  # the file the emptied cell used to name
    # every file still named is hashed
    recorded = {entry["path"]: entry["sha256"] for entry in found.evidence}
    assert len(recorded) == len(evidence) - 2
    assert recorded[evidence[1]] == hashlib.sha256((root / evidence[1]).read_bytes()).hexdigest()
    # evidence is a verification matter
    assert not [f for f in pipeline.check(root, "registration").findings if f.rule.startswith("R-EVID-")]


def test_complete_sample_evidence_is_all_there():
    found = complete("solar-program", "verification")
    assert not [finding for finding in found.findings if finding.rule.startswith("R-EVID-")]
    assert len(found.evidence) == 36 * 12
