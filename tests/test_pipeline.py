"""The pipeline does each step once per command, and validation never changes what was read."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from toolkit import pipeline
from toolkit.calculate import engine
from toolkit.documents import assemble
from toolkit.read import folder
from toolkit.validate.validation import validate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def counted(monkeypatch):
    """Calls of the steps that must run once: building a document, parsing a spec, calculating."""
    calls = {"build": [], "spec": [], "calculate": 0}
    build, parse, calculate = (
        assemble._Builder.document,
        assemble._parsed_spec.__wrapped__,
        engine._Run.calculation,
    )

    def counting_build(self, kind):
        calls["build"].append(kind)
        return build(self, kind)

    def counting_parse(path, *key):
        calls["spec"].append(Path(path).name)
        return parse(path, *key)

    def counting_calculate(self, project):
        calls["calculate"] += 1
        calls["estimate" if self.plan else "monitored"] = (
            calls.get("estimate" if self.plan else "monitored", 0) + 1
        )
        return calculate(self, project)

    monkeypatch.setattr(assemble._Builder, "document", counting_build)
    monkeypatch.setattr(assemble, "_parsed_spec", counting_parse)
    monkeypatch.setattr(engine._Run, "calculation", counting_calculate)
    return calls


def test_render_plan_builds_the_plan_once_and_reads_its_spec_once(counted, tmp_path):
    document, written = pipeline.Run(SAMPLES / "solar-program").render(
        "plan", tmp_path / "out", ("xlsx",), False, False
    )
    assert document.kind == "plan" and written
    assert counted["build"].count("plan") == 1
    assert counted["spec"].count("plan_program.yaml") == 1
    assert counted["calculate"] == 1


@pytest.mark.parametrize("stage", ["registration", "verification"])
def test_check_calculates_once(counted, stage):
    """Registration checks the plan's estimate alone; verification also the monitored figures: each once."""
    pipeline.check(SAMPLES / "solar-program", stage)
    assert counted["estimate"] == 1
    assert counted.get("monitored", 0) == (1 if stage == "verification" else 0)
    assert len(counted["build"]) == len(set(counted["build"]))  # each document once


@pytest.mark.parametrize("sample", ["solar-program", "boiler", "rice-drainage"])
def test_validation_leaves_the_data_as_read(sample):
    loaded = folder.load_project(SAMPLES / sample)
    before = copy.deepcopy(loaded.data)
    project = validate(loaded).project
    assert loaded.data == before
    assert project.data != before  # dates, decimals and codes coerced: a copy, not the data as read
    with pytest.raises(TypeError):
        project.data["project"] = {}  # frozen: nothing downstream changes the coerced data either
    assert (
        project.methodology is not None
        and project.methodology.CODE == project.data["project"]["methodology"]["code"]
    )
