#!/usr/bin/env python3
"""Write a second version of samples/led-factory, as a proponent would send it back: what `jcredit diff` shows.

    python tools/second_version.py OUTDIR

Copies the sample to OUTDIR (replacing it) and changes four things, always the same way:
- a reading: LED-01's operating hours for April 2025, 349.5 h -> 360 h (monitoring/2025.xlsx!モニタリング!D2);
- a factor override: grid_electricity FY2025 in factors.yaml, 0.000441 -> 0.000450 t-CO2/kWh;
- a new activity LED-04 (倉庫棟, 40 fixtures 400 W -> 100 W, 2,000 planned hours a year) with one reading;
- an evidence file: evidence/lighting_log/LED-01_2025-04.txt gets the corrected total.
tests/diff/test_diff.py and `make demo` use it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "led-factory"

NEW_ACTIVITY = """\
  - id: LED-04
    name: 倉庫棟 高天井照明
    location: 倉庫棟 1階
    commissioned_on: 2025-03-27
    baseline_type: update
    old_specs_known: はい
    old_age_years: 20
    statutory_life_years: 15
    baseline_fixture: 水銀灯 HF400X（安定器込）
    baseline_power_w: 400
    baseline_count: 40
    project_fixture: LED高天井照明 100W
    project_power_w: 100
    project_count: 40
    monitoring_method: hours
    planned_hours_per_year: 2000
"""


def write(target: Path) -> Path:
    """The second version in `target` (replaced if it exists)."""
    from openpyxl import load_workbook

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(SAMPLE, target)
    project = target / "project.yaml"
    text = project.read_text(encoding="utf-8")
    anchor = "\n# モニタリング（2025年度、月ごと）"
    assert anchor in text, "samples/led-factory/project.yaml changed: update tools/second_version.py"
    project.write_text(text.replace(anchor, NEW_ACTIVITY.rstrip("\n") + "\n" + anchor, 1), encoding="utf-8")
    factors = target / "factors.yaml"
    text = factors.read_text(encoding="utf-8")
    assert "value: 0.000441" in text
    factors.write_text(text.replace("value: 0.000441", "value: 0.000450", 1), encoding="utf-8")
    readings = target / "monitoring" / "2025.xlsx"
    book = load_workbook(readings)
    sheet = book["モニタリング"]
    assert sheet["A2"].value == "LED-01" and sheet["D2"].value == 349.5
    sheet["D2"] = 360
    evidence = "evidence/lighting_log/LED-04_2025-04.txt"
    sheet.append(["LED-04", dt.datetime(2025, 4, 1), dt.datetime(2025, 4, 30), 170, None, evidence])
    book.save(readings)
    (target / evidence).write_text("倉庫棟 照明盤タイマー 2025年4月 点灯時間 170 h\n", encoding="utf-8")
    log = target / "evidence" / "lighting_log" / "LED-01_2025-04.txt"
    log.write_text(
        log.read_text(encoding="utf-8") + "訂正: 手動点灯 10.5 h を加算、合計 360 h\n", encoding="utf-8"
    )
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(write(Path(sys.argv[1])))
