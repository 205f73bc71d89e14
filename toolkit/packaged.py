"""Files packaged with the toolkit (schemas/, templates/); a project's overrides are read by `read.overrides`."""

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


def template(name: str) -> Path:
    """The path of the packaged template `name` (a project's override: `read.overrides.template`)."""
    with as_file(files("toolkit.templates").joinpath(name)) as path:
        return Path(path)
