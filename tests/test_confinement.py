"""Nothing is read from outside the project folder (issue 14, defect 4): every file the toolkit looks for in a
project (the project file, factors.yaml, other_programs.csv, every template override, an override's images) is
refused when it is a symbolic link out of the project, and nothing of the linked file shows in any output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


SECRET = "SECRET-LINE: root-x-0-0"
DOCUMENT = (
    '{% extends "default:html/document.html" %}\n'
    "{% block title_block %}{{ super() }}<p>上書き</p>{% endblock %}\n"
)


class Sample:
    """A copy of samples/solar-program (a program project that renders) to put links into."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(SAMPLES / "solar-program", root)

    def write_text(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def sample(tmp_path) -> Sample:
    return Sample(tmp_path / "project")


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def link(root: Path, name: str, target: Path) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.symlink(target, path)


def including(folder, secret):
    folder.write_text(
        "templates/html/document.html", DOCUMENT.replace("上書き", '{% include "html/note.html" %}')
    )
    link(folder.root, "templates/html/note.html", secret)


def linked_folder(folder, secret):
    outside = secret.parent / "elsewhere"
    (outside / "html").mkdir(parents=True)
    (outside / "html" / "document.html").write_text(DOCUMENT + SECRET, encoding="utf-8")
    os.symlink(outside, folder.root / "templates")


def linked_logo(folder, secret):
    from PIL import Image

    logo = secret.parent / "logo.png"
    Image.new("RGB", (8, 8)).save(logo)
    folder.write_text("templates/html/document.html", DOCUMENT.replace("上書き", '<img src="logo.png">'))
    link(folder.root, "templates/html/logo.png", logo)


# (id, how the link is made, command, the file the message names)
CASES = [
    (
        "project-file",
        lambda folder, secret: link(folder.root, "project.yaml", secret),
        "validate",
        "project.yaml",
    ),
    (
        "factors-calc",
        lambda folder, secret: link(folder.root, "factors.yaml", secret),
        "calc",
        "factors.yaml",
    ),
    (
        "factors-check",
        lambda folder, secret: link(folder.root, "factors.yaml", secret),
        "check",
        "factors.yaml",
    ),
    (
        "other-programs",
        lambda folder, secret: link(folder.root, "other_programs.csv", secret),
        "check",
        "other_programs.csv",
    ),
    (
        "template",
        lambda folder, secret: link(folder.root, "templates/html/document.html", secret),
        "render",
        "templates/html/document.html",
    ),
    ("template-include", including, "render", "templates/html/note.html"),
    ("templates-folder", linked_folder, "render", "templates/html/document.html"),
    (
        "spec",
        lambda folder, secret: link(folder.root, "templates/documents/activity_list.yaml", secret),
        "render",
        "templates/documents/activity_list.yaml",
    ),
    (
        "base-docx",
        lambda folder, secret: link(folder.root, "templates/base.docx", secret),
        "render-docx",
        "base.docx",
    ),
    ("template-image", linked_logo, "render", "templates/html/logo.png"),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_link_out_of_the_project_is_refused_and_never_read(case, lang, sample, secret, run, tmp_path):
    _, make, command, named = case
    make(sample, secret)
    out = tmp_path / "out"
    if command.startswith("render"):
        formats = "docx" if command == "render-docx" else "pdf"
        args = ["render", "activity-list", sample.root, "-o", out, "--format", formats]
    else:
        args = [command, sample.root]
    code, stdout, stderr = run(*args, "--lang", lang)
    said = stdout + stderr
    assert code == 1, said
    assert named in said
    assert ("シンボリックリンク" if lang == "ja" else "symbolic link") in said
    assert "SECRET" not in said and "root-x" not in said
    written = [path for path in out.rglob("*") if path.is_file()] if out.exists() else []
    assert not any(b"SECRET" in path.read_bytes() for path in written)
    assert not [path for path in written if path.suffix in (".pdf", ".docx")]


def test_links_inside_the_project_are_followed(sample, run, tmp_path):
    sample.write_text("shared/document.html", DOCUMENT)
    link(sample.root, "templates/html/document.html", Path("../../shared/document.html"))
    code, stdout, stderr = run(
        "render", "activity-list", sample.root, "-o", tmp_path / "out", "--format", "pdf"
    )
    assert code == 0, stdout + stderr
