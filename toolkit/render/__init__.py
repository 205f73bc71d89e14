"""Renderers: one document model to PDF (Jinja + WeasyPrint), DOCX (python-docx) and XLSX (openpyxl)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

COPY = 1 << 20  # bytes of a member copied at a time


def deterministic_zip(path: Path, when: dt.datetime) -> None:
    """Rewrite a DOCX/XLSX so every member has the same date and order: same inputs, same bytes. The
    members are copied a piece at a time from a temporary copy of the file, never held whole (a long
    list's sheet is megabytes)."""
    stamp = when.astimezone(dt.timezone.utc).timetuple()[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))  # the zip format starts in 1980
    with tempfile.TemporaryFile(dir=path.parent) as original:  # beside it: where there is room for it
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, original, COPY)
        with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:

            def dated(member: zipfile.ZipInfo) -> zipfile.ZipInfo:
                info = zipfile.ZipInfo(member.filename, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                return info

            # keep the writer's order: [Content_Types].xml must stay first
            copy_members(source, target, source.infolist(), dated)


def copy_members(
    source: zipfile.ZipFile,
    target: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    entry: Callable[[zipfile.ZipInfo], zipfile.ZipInfo],
) -> None:
    """Copy `members` of `source` into `target` in that order, each under the entry `entry` makes of it,
    a piece at a time (the same bytes as writing each whole: its size is known beforehand)."""
    for member in members:
        info = entry(member)
        info.file_size = member.file_size  # as writestr sets it: whether the entry needs zip64
        with source.open(member) as data, target.open(info, "w") as out:
            shutil.copyfileobj(data, out, COPY)
