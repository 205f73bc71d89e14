"""Narrative fields have length limits (issue 14, defect 10): a megabyte of text is refused at validation, at its
line, instead of rendering for minutes into hundreds of pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.packaged import load

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_megabyte_of_deviations_is_refused_at_its_line(tmp_path, run, lang):
    project = tmp_path / "project"
    shutil.copytree(SAMPLES / "solar-program", project)
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "deviations:" in row)
    path.write_text(text.replace("deviations: ", "deviations: " + "変更なし" * 250_000, 1), encoding="utf-8")
    code, stdout, stderr = run("render", "monitoring", project, "-o", tmp_path / "out", "--lang", lang)
    said = stdout + stderr
    assert code == 1
    assert f"project.yaml:{line} monitoring_report.deviations" in said
    assert ("4000文字以内" if lang == "ja" else "at most 4000 characters") in said
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def _strings(fields: dict, path: str = ""):
    for key, rule in fields.items():
        if not isinstance(rule, dict):
            continue
        where = f"{path}.{key}" if path else key
        if rule.get("type") == "string":
            yield where, rule
        inner = rule.get("schema")
        if isinstance(inner, dict):
            yield from _strings(inner.get("schema", inner) if "type" in inner else inner, where)


def test_every_free_text_field_has_a_length_limit():
    """IDs and file paths are bounded by their own rules; every other text field by maxlength."""
    unbounded = []
    for name in ("project.yaml", "program.yaml", "standard.yaml", "tables.yaml"):
        for where, rule in _strings(load(name)):
            if not {"maxlength", "allowed", "regex", "inside_project"} & set(rule) and where not in (
                "rules_version",
                "project.methodology.code",
                "project.methodology.version",
                "proponent.postal_code",
            ):
                unbounded.append(f"{name}: {where}")
    assert unbounded == []
