"""Renderers: one document model to PDF (Jinja + WeasyPrint), DOCX (python-docx) and XLSX (openpyxl)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path


def deterministic_zip(path: Path, when: dt.datetime) -> None:
    """Rewrite a DOCX/XLSX so every member has the same date and order: same inputs, same bytes."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    stamp = when.astimezone(dt.timezone.utc).timetuple()[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))  # the zip format starts in 1980
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:  # keep the writer's order: [Content_Types].xml must stay first
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
