"""Members workbooks for `jcredit batch`: good generated members of the solar-program sample, and faults."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "solar-program"
EPOCH = "1775001600"  # 2026-04-01: the batch date and every zip entry's
HEADERS = {
    "id": "活動ID",
    "name": "名称",
    "prefecture": "都道府県",
    "address": "設置住所",
    "capacity_kw": "設備容量(kW)",
    "commissioned_on": "運転開始日",
    "household": "家庭用",
    "fit": "FIT/FIP",
    "battery": "蓄電池",
    "planned_yield_kwh_per_kw": "1kWあたり年間発電量の見込み(kWh/kW/年)",
    "planned_self_consumption_pct": "自家消費率の見込み(%)",
}
SURNAMES = "青木 石川 井上 岩田 上田 大野 岡本 加藤 川口 木村 小島 近藤 坂本 佐野 島田 杉山 高木 竹内 田村 中島".split()
GIVEN = "一郎 二郎 花子 裕子 健 誠 直美 翔 葵 陽菜".split()


def member(number: int) -> dict:
    """A good new member, distinct for each `number` (name and address), without an ID."""
    return {
        "id": None,
        "name": f"{SURNAMES[number % 20]} {GIVEN[number // 20 % 10]}{number // 200 or ''} 様邸",
        "prefecture": "岐阜県",
        "address": f"岐阜市新町{number // 40 + 1}丁目{number % 40 + 1}番地",
        "capacity_kw": round(3.5 + (number % 60) / 10, 1),
        "commissioned_on": dt.date(2025, 4, 1) + dt.timedelta(days=number % 300),
        "household": "はい",
        "fit": "はい" if number % 3 else "いいえ",
        "battery": "いいえ",
        "planned_yield_kwh_per_kw": 1200,
        "planned_self_consumption_pct": 30,
    }


def write_members(path: Path, rows: list[dict], headers: dict[str, str] = HEADERS) -> Path:
    """A members workbook in the activity sheet's layout (sheet 活動一覧, Japanese headers)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "活動一覧"
    sheet.append(list(headers.values()))
    for row in rows:
        sheet.append([row.get(key) for key in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=1+1" is a member's text
    book.save(path)
    return path


def jcredit(*args, check: bool = False, **options) -> subprocess.CompletedProcess:
    """`python -m toolkit …` in a fresh process with SOURCE_DATE_EPOCH, text output."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        **options,
    )


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
