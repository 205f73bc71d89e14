"""The check page in headless Chromium: it is not blank, a coach's status and comment survive a reload and
come out of the export button as the format docs/architecture.md gives (tests/checklist/fixtures).

Slow (a browser starts); skipped with the reason when no Chromium is installed (`make setup` installs
Debian's chromium-headless-shell). JCREDIT_UPDATE_IMAGES=1 also writes docs/images/check-page1.png.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from browser import MISSING, Browser, binary

from toolkit import pipeline
from toolkit.render import checklist_forms as report

pytestmark = [pytest.mark.slow, pytest.mark.skipif(binary() is None, reason=MISSING)]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "incomplete-solar"
FIXTURE = ROOT / "tests" / "checklist" / "fixtures" / "check-review.json"
IMAGE = ROOT / "docs" / "images" / "check-page1.png"
BUILT = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """samples/incomplete-solar's verification check page, with four more meter slips gone (a grouped line)."""
    folder = tmp_path_factory.mktemp("page")
    root = Path(shutil.copytree(SAMPLE, folder / "incomplete-solar"))
    for path in sorted((root / "evidence" / "meter").iterdir())[:4]:
        path.unlink()
    out = folder / "check.html"
    out.write_text(report.html(pipeline.check(root, "verification"), "ja", "", BUILT), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory) -> Path:
    """samples/incomplete-solar's verification check page as it is (the README's picture)."""
    out = tmp_path_factory.mktemp("sample") / "check.html"
    out.write_text(report.html(pipeline.check(SAMPLE, "verification"), "ja", "", BUILT), encoding="utf-8")
    return out


@pytest.fixture
def browser(tmp_path):
    with Browser(tmp_path / "profile") as started:
        yield started


def set_line(browser: Browser, key: str, status: str, comment: str) -> None:
    """What a coach does: pick a status and type a comment on the line `key` (the page's own events fire)."""
    browser.evaluate(
        f"""(function () {{
          var row = Array.prototype.find.call(document.querySelectorAll("tr[data-key]"),
                                              function (row) {{ return row.dataset.key === {json.dumps(key)}; }});
          var select = row.querySelector("select.status"), note = row.querySelector("textarea.comment");
          select.value = {json.dumps(status)}; select.dispatchEvent(new Event("change"));
          note.value = {json.dumps(comment)}; note.dispatchEvent(new Event("input"));
        }})()"""
    )


def line(browser: Browser, key: str) -> dict:
    return browser.evaluate(
        f"""(function () {{
          var row = Array.prototype.find.call(document.querySelectorAll("tr[data-key]"),
                                              function (row) {{ return row.dataset.key === {json.dumps(key)}; }});
          return {{status: row.querySelector("select.status").value,
                   comment: row.querySelector("textarea.comment").value}};
        }})()"""
    )


def test_the_grouped_line_lists_every_row(browser, page):
    browser.open(page.as_uri())
    assert browser.evaluate("document.querySelectorAll('details li').length") == 5  # the grouped line's rows
    assert browser.evaluate("document.querySelector('details').open") is False  # folded until asked
    browser.evaluate("document.querySelector('details summary').click()")
    assert browser.evaluate("document.querySelector('details li').getBoundingClientRect().height") > 0


def test_the_page_renders_and_is_not_blank(browser, sample_page, tmp_path):
    from PIL import Image

    browser.open(sample_page.as_uri())
    assert browser.evaluate("document.title").startswith("確認リスト: ")
    assert browser.evaluate("document.querySelectorAll('tr[data-key]').length") >= 8
    shot = tmp_path / "check.png"
    browser.screenshot(shot)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 900)
    small = image.resize((128, 90))
    pixels = [small.getpixel((x, y)) for x in range(small.width) for y in range(small.height)]
    inked = sum(1 for pixel in pixels if sum(pixel) < 600) / len(pixels)  # not white or near white
    assert inked > 0.03 and len(set(pixels)) > 100, "the page looks blank"
    assert any(red > 150 and green < 80 and blue < 80 for red, green, blue in pixels)  # the red verdict badge
    if os.environ.get("JCREDIT_UPDATE_IMAGES") == "1":
        shutil.copyfile(shot, IMAGE)


def test_a_status_typed_on_the_page_survives_a_reload_and_its_export(browser, page, tmp_path):
    browser.open(page.as_uri())
    set_line(browser, "F-MISSING proponent.postal_code", "in_progress", "登記簿の郵便番号を確認中")
    set_line(browser, "R-EVID-FILE monitoring[*].evidence", "done", "")
    browser.reload()  # the next day: the browser kept them
    assert line(browser, "F-MISSING proponent.postal_code") == {
        "status": "in_progress",
        "comment": "登記簿の郵便番号を確認中",
    }
    assert line(browser, "R-EVID-FILE monitoring[*].evidence")["status"] == "done"
    downloads = tmp_path / "downloads"
    browser.downloads_to(downloads)
    browser.evaluate("document.getElementById('export').click()")
    exported = downloads / "check-review-verification.json"
    deadline = time.monotonic() + 20
    while not exported.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    saved = json.loads(exported.read_text(encoding="utf-8"))
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert set(saved) == set(fixture) and (saved["format"], saved["version"]) == ("jcredit-check-review", 1)
    assert saved["stage"] == "verification" and saved["project"] == fixture["project"]
    first, grouped = saved["items"]  # only the lines touched, in page order
    assert set(first) == set(fixture["items"][0])
    assert first == {
        "key": "F-MISSING proponent.postal_code",
        "rule": "F-MISSING",
        "path": "proponent.postal_code",
        "paths": ["proponent.postal_code"],
        "section": "plan.1.1",
        "status": "in_progress",
        "comment": "登記簿の郵便番号を確認中",
    }
    assert grouped["status"] == "done" and grouped["comment"] == "" and grouped["section"] == "monitoring.B.5"
    assert len(grouped["paths"]) == 5 and grouped["path"] == grouped["paths"][0]
    assert all(path.startswith("monitoring[") and path.endswith("].evidence") for path in grouped["paths"])


def test_setting_a_line_back_to_open_without_a_comment_leaves_it_out(browser, page, tmp_path):
    browser.open(page.as_uri())
    set_line(browser, "F-MISSING proponent.postal_code", "done", "")
    set_line(browser, "F-MISSING proponent.postal_code", "open", "")
    browser.reload()
    assert browser.evaluate("window.jcreditCheckExport().items") == []
