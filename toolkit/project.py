"""The Project that validation returns: frozen, typed, its values coerced, never the raw data as read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any, Mapping

from toolkit import methodologies, schema
from toolkit.problems import Location
from toolkit.read.folder import SourceMap


@dataclass(frozen=True)
class Project:
    """A validated project: coerced data, where each value came from, its folder, type, methodology and rules."""

    root: Path
    project_file: Path
    files: tuple[Path, ...]
    data: Mapping[str, Any]
    sources: SourceMap
    type: str | None  # standard | program, as schema.project_type decides it
    methodology: ModuleType | None  # the methodology module, None while the code is empty or unknown
    rules_version: str | None

    @classmethod
    def of(cls, root: Path, project_file: Path, files, data: dict, sources: SourceMap) -> Project:
        """The Project of coerced `data`: type and methodology decided once, here."""
        code = schema.declared(data)[1]
        module = methodologies.get(code) if code in methodologies.codes() else None
        rules = data.get("rules_version")
        return cls(
            root,
            project_file,
            tuple(files),
            MappingProxyType(data),
            sources,
            schema.project_type(data),
            module,
            rules if isinstance(rules, str) else None,
        )

    @property
    def name(self) -> str:
        """The project's name, or its folder's while the name is empty."""
        name = (self.data.get("project") or {}).get("name")
        return str(name) if name else self.root.name

    @property
    def program(self) -> bool:
        """Whether this is a program-type project (プログラム型) rather than a standard one."""
        return self.type == "program"

    def relative(self, path: Path) -> str:
        """How messages name a file: relative to the project folder, or as given when outside it."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def locate(self, path: str) -> Location:
        """Where a field is, or where it belongs: a key absent from project.yaml goes in project.yaml."""
        return self.sources.locate(path) or Location(self.relative(self.project_file))
