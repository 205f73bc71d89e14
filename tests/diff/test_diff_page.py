"""The diff page in headless Chromium (Debian's chromium-headless-shell): it renders, and not as a blank page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit import pipeline
from toolkit.diff import forms

ROOT = Path(__file__).resolve().parents[2]
BROWSER = shutil.which("chromium-headless-shell") or shutil.which("chromium")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        BROWSER is None, reason="no headless Chromium (apt-get install chromium-headless-shell)"
    ),
]


def test_the_page_renders_with_its_tables(tmp_path):
    from PIL import Image
    from test_diff import _second_version  # the same second version as the other diff tests

    old = tmp_path / "old"
    shutil.copytree(ROOT / "samples" / "led-factory", old)
    new = _second_version().write(tmp_path / "new")
    import datetime as dt

    page = tmp_path / "diff.html"
    page.write_text(
        forms.html(pipeline.diff(old, new), "ja", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)), "utf-8"
    )
    shot = tmp_path / "diff.png"
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={shot}",
            "--window-size=1200,1400",
        ]
        + [page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("L")
    width, height = image.size
    # not blank: dark text on the upper part, and the tables' coloured cells (old/new) further down
    dark = sum(1 for value in image.crop((0, 0, width, height // 2)).tobytes() if value < 100)
    assert dark > 2000, f"only {dark} dark pixels: the page looks blank"
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 16) or []
    assert any(rgb == (0xF0, 0xFF, 0xF3) for _, rgb in colours), (
        "no cell of a new value (#f0fff3) on the page"
    )
