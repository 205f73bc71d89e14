"""Files packaged with the toolkit (schemas/, templates/) and a project's override of a template, file by file."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str) -> Any:
    """One packaged YAML file under schemas/, parsed."""
    return yaml.load(files("toolkit.schemas").joinpath(name).read_text(encoding="utf-8"), Loader=SafeLoader)


def overrides(root: Path) -> Path | None:
    """A project's templates/ folder, whose files override the packaged templates and specs one by one."""
    return root / "templates" if (root / "templates").is_dir() else None


def template(name: str, overrides: Path | None = None) -> Path:
    """The path of template `name`: the project's override when there is one, else the packaged file."""
    if overrides is not None and (overrides / name).is_file():
        return overrides / name
    with as_file(files("toolkit.templates").joinpath(name)) as path:
        return Path(path)
