"""A broken HTML template override, syntax or runtime, is the user's error (exit 1) naming its file and line,
whichever command renders it: `render` (document.html) and `check --format html` (checklist.html)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROKEN = {"runtime": "<p>one</p>\n<p>{{ 1/0 }}</p>\n", "syntax": "<p>one</p>\n<p>{% if %}</p>\n"}


def _with_override(tmp_path: Path, name: str, text: str) -> Path:
    project = tmp_path / "boiler"
    shutil.copytree(ROOT / "samples" / "boiler", project)
    (project / "templates" / "html").mkdir(parents=True)
    (project / "templates" / "html" / name).write_text(text, encoding="utf-8")
    return project


@pytest.mark.parametrize("broken", sorted(BROKEN))
@pytest.mark.parametrize(
    "name, command",
    [
        ("document.html", ("render", "plan", "{project}", "-o", "{out}", "--format", "pdf")),
        ("checklist.html", ("check", "{project}", "--format", "html", "-o", "{out}/checklist.html")),
    ],
)
def test_a_broken_html_override_exits_1_with_its_file_and_line(tmp_path, run, name, command, broken):
    project = _with_override(tmp_path, name, BROKEN[broken])
    code, _, stderr = run(*(part.format(project=project, out=tmp_path / "out") for part in command))
    assert code == 1, stderr
    assert f"{name}:2" in stderr and "template error" in stderr, stderr
