"""Path confinement: a path a project names stays inside the project folder, symbolic links included.

The one owner of "inside the project": validation's `inside_project` rule and every reader call it.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any, Mapping

_ABSOLUTE = re.compile(r"/|[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f]")
# in paths joined one a line (between line breaks), what marks one check_inside_project may refuse or
# change: a backslash, an absolute path (a drive letter has a colon), a path that normalising may change
_MARKS = ("\\", "\n/", ":", "\n.", "./", "//", "/\n", ".\n")


class Context:
    """What rules need beyond the document: the project folder, with its real directories cached."""

    def __init__(self, root: Path | None = None):
        self.root = root.resolve() if root else None
        self._root_text = str(self.root) if root else ""
        self._root_prefix = self._root_text + os.sep
        # folder -> (its real path, whether that is inside, the names in it that are symbolic links)
        self._real_dirs: dict[str, tuple[str, bool, frozenset[str]]] = {}

    def leads_outside(self, normal: str) -> bool:
        """Whether a normalised relative path leaves the project folder through a symbolic link."""
        parent, _, name = normal.rpartition("/")
        real_parent, inside, links = self.folder(parent)
        if not inside:
            return True
        return name in links and not self._inside(os.path.realpath(os.path.join(real_parent, name)))

    def folder(self, parent: str) -> tuple[str, bool, frozenset[str]]:
        """A project folder (relative, "" for the root): its real path, whether that is inside the project,
        and the names of the symbolic links in it; listed once, then remembered."""
        return self._real_dirs.get(parent) or self._look_at(parent)

    def _look_at(self, parent: str) -> tuple[str, bool, frozenset[str]]:
        # one listing per folder: evidence folders hold thousands of files, checked row by row
        real = os.path.realpath(os.path.join(self._root_text, parent))
        inside, links = self._inside(real), frozenset()
        try:
            if inside:  # a folder outside the project is never listed, only refused
                with os.scandir(real) as entries:
                    links = frozenset(entry.name for entry in entries if entry.is_symlink())
        except OSError:
            pass
        self._real_dirs[parent] = (real, inside, links)
        return self._real_dirs[parent]

    def _inside(self, real: str) -> bool:
        return real == self._root_text or real.startswith(self._root_prefix)


def check_inside_project(enabled: bool, value: Any, document: Mapping, context: Context) -> dict | None:
    """Rule inside_project: a relative path that stays in the project folder, links included."""
    if not enabled or not isinstance(value, str) or context.root is None:
        return None
    if not value.isprintable() and _CONTROL.search(value):  # a NUL makes the file system calls below raise
        return {"variant": "path_control", "found": value}
    path = value.replace("\\", "/")
    if _ABSOLUTE.match(path):
        return {"variant": "path_absolute", "found": value}
    # normpath only where it could change something: it costs more than the rest of this check
    unnormal = path.startswith(".") or "./" in path or "//" in path or path.endswith(("/", "."))
    normal = posixpath.normpath(path) if unnormal else path
    if normal == ".." or normal.startswith("../"):
        return {"variant": "path_escapes", "found": value}
    if context.leads_outside(normal):
        return {"variant": "symlink_escapes", "found": value}
    return None


def doubtful_paths(values: set, context: Context) -> set:
    """The `values` that `check_inside_project` must look at one by one, settled for the whole set at once:
    the readings of a program name 120,000 slips, nearly all in a few folders without links. A value left
    out passes; one returned may pass or not (a link, a path to normalise, an escape)."""
    if context.root is None:
        return set()
    doubtful = set()
    if set(map(type, values)) != {str} or not "".join(values).isprintable():  # a NUL, a line break …
        doubtful = {value for value in values if type(value) is not str or not value.isprintable()}
    plain = values - doubtful if doubtful else values
    # a program's slips take one scan of them all joined for each mark, not a call each
    doubtful |= _marked_lines("\n" + "\n".join(plain) + "\n")
    # relative and normal: their folders are inside the project's own path
    usual = plain - doubtful if doubtful else plain
    suspect = set()
    for folder in {value.rpartition("/")[0] for value in usual}:
        _, inside, links = context.folder(folder)
        if not inside or links:  # a folder outside (through a link), or with a link in it
            suspect.add(folder)
    if suspect:
        doubtful |= {value for value in usual if value.rpartition("/")[0] in suspect}
    return doubtful


def _marked_lines(joined: str) -> set[str]:
    """The lines of `joined` (paths one a line, between line breaks) that hold one of _MARKS."""
    found = set()
    for mark in _MARKS:
        at = joined.find(mark)
        while at != -1:
            at += mark.startswith("\n")  # the line after the break
            start, end = joined.rfind("\n", 0, at) + 1, joined.find("\n", at)
            found.add(joined[start:end])
            at = joined.find(mark, end)
    return found
