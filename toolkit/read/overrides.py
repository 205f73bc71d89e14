"""A project's templates/ folder: its files override the packaged templates and specs one by one, and each is read
only after the confinement check (a symbolic link out of the project is refused, never followed)."""

from __future__ import annotations

from pathlib import Path

from toolkit import packaged
from toolkit.errors import TemplateError
from toolkit.problems import Location, Problem
from toolkit.read.confine import Context, check_inside_project

FOLDER = "templates"


def folder(root: Path) -> Path | None:
    """A project's templates/ folder, whose files override the packaged templates and specs one by one."""
    return root / FOLDER if (root / FOLDER).is_dir() else None


def refusal(overrides: Path, name: str) -> TemplateError | None:
    """The error for override `name` (a path under templates/, "/"-separated) when it leads outside the project
    folder through a symbolic link, itself or a folder above it; None when it may be read."""
    relative = f"{overrides.name}/{name}"
    refused = check_inside_project(True, relative, {}, Context(overrides.parent))
    if refused is None:
        return None
    where = Location(relative)
    problem = Problem(refused.pop("variant"), "", where, refused)
    return TemplateError(
        f"{where}: expected a file inside the project folder, found a symbolic link to outside it "
        f"(プロジェクトフォルダ外へのシンボリックリンクは読みません)",
        [problem],
    )


def template(name: str, overrides: Path | None = None) -> Path:
    """The path of template `name`: the project's override when there is one (TemplateError when it is a link out
    of the project), else the packaged file."""
    if overrides is not None and ((overrides / name).is_file() or (overrides / name).is_symlink()):
        refused = refusal(overrides, name)
        if refused is not None:
            raise refused
        return overrides / name
    return packaged.template(name)
