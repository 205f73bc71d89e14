#!/usr/bin/env python3
"""Generate a large EN-R-002 program-type project for benchmarks, optionally with known errors.

    python benchmarks/generate.py OUTDIR --activities N [--errors K] [--seed S] [--messy] [--evidence]

Writes OUTDIR/project.yaml, OUTDIR/activities.xlsx (sheet 活動一覧, N rows) and
OUTDIR/monitoring/readings.xlsx (sheet モニタリング, N × 12 monthly readings for FY2025), both with
openpyxl's write-only mode. Evidence paths name meter slips (evidence/meter/<id>_<yyyy-mm>.pdf) that
are not created unless --evidence is given.

With --evidence, every meter slip the readings name is written as a tiny one-page PDF (bytes written
directly, content unique per file so the SHA-256 digests differ, derived from the seed), plus
ORPHANS files nothing refers to (evidence/meter/orphan_N.pdf) for the checklist's "unreferenced
evidence" finding. evidence/meter/ belongs to the generator: after every run it holds exactly that run's
files (without --evidence it is removed), so the same settings always give the same files. With --errors
too, the slips are those of the readings as generated before the errors were injected (an `evidence_outside`
reading then names ../<file> while its slip sits, unreferenced, in evidence/meter/). N = 10,000 means 120,000
slips, a few seconds. With --errors K, K distinct errors of known kinds are injected into the readings and the
activity list, and OUTDIR/expected_errors.json lists each one as {"location":
"monitoring/readings.xlsx!モニタリング!E123", "path": "monitoring[121].sold_kwh", "kind": "sold_above_generation",
"code": "not_above", "value": ...} where `location` is file!sheet!cell and `path` uses the 0-based index among
data rows (sheet row 2 is index 0), as `jcredit validate --format json` reports them. `code` is the
validator's problem code. Standard library + openpyxl only. N = 10,000 (120,000 readings) takes well under a
minute.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

ACTIVITY_COLUMNS = [  # key, Japanese label (schemas/methodologies/EN-R-002.yaml), width
    ("id", "活動ID", 12),
    ("name", "名称", 20),
    ("prefecture", "都道府県", 10),
    ("address", "設置住所", 30),
    ("capacity_kw", "設備容量(kW)", 13),
    ("commissioned_on", "運転開始日", 12),
    ("household", "家庭用", 8),
    ("fit", "FIT/FIP", 8),
    ("battery", "蓄電池", 8),
    ("battery_share_pct", "蓄電池経由率(%)", 10),
    ("battery_loss_pct", "蓄電池損失率(%)", 10),
    ("battery_source", "蓄電池の値の出典", 20),
    ("battery_status", "蓄電池の値の確認状況", 12),
    ("planned_yield_kwh_per_kw", "1kWあたり年間発電量の見込み(kWh/kW/年)", 12),
    ("planned_self_consumption_pct", "自家消費率の見込み(%)", 10),
    ("joined_on", "加入日", 12),
]
READING_COLUMNS = [
    ("activity_id", "活動ID", 12),
    ("period_start", "期間開始", 12),
    ("period_end", "期間終了", 12),
    ("generation_kwh", "発電量(kWh)", 12),
    ("sold_kwh", "売電量(kWh)", 12),
    ("self_consumption_kwh", "自家消費量(kWh)", 14),
    ("evidence", "証憑", 38),
]
A_COL = {key: index for index, (key, _, _) in enumerate(ACTIVITY_COLUMNS)}
R_COL = {key: index for index, (key, _, _) in enumerate(READING_COLUMNS)}
BATTERY_SOURCE = "ベンチマーク用の仮の値"
ACTIVITIES_FILE, ACTIVITIES_SHEET = "activities.xlsx", "活動一覧"
READINGS_FILE, READINGS_SHEET = "monitoring/readings.xlsx", "モニタリング"

PREFECTURES = {  # prefecture -> (weight, municipalities, 町名)
    "岐阜県": (
        30,
        ["岐阜市", "大垣市", "各務原市", "多治見市", "関市", "羽島市"],
        ["本町", "緑町", "旭町", "栄町", "若宮町"],
    ),
    "愛知県": (
        30,
        ["名古屋市中川区", "豊田市", "岡崎市", "一宮市", "春日井市", "安城市"],
        ["東町", "中町", "桜町", "八幡町", "新田"],
    ),
    "三重県": (12, ["津市", "四日市市", "鈴鹿市", "桑名市"], ["南町", "西町", "末広町", "港町"]),
    "静岡県": (12, ["浜松市中央区", "静岡市葵区", "富士市", "磐田市"], ["北町", "曙町", "住吉", "中島"]),
    "長野県": (8, ["松本市", "長野市", "飯田市"], ["元町", "城山", "寿", "平田"]),
    "滋賀県": (8, ["大津市", "草津市", "彦根市"], ["松原町", "野路", "南草津", "馬場"]),
}
SURNAMES = [
    "山田",
    "加藤",
    "伊藤",
    "林",
    "渡辺",
    "後藤",
    "高橋",
    "鈴木",
    "佐藤",
    "田中",
    "小川",
    "堀",
    "松井",
    "河合",
    "服部",
    "安藤",
    "水野",
    "酒井",
    "野村",
    "杉山",
    "近藤",
    "市川",
    "坂井",
    "早川",
    "浅野",
    "大野",
    "森",
]
GIVEN = [
    "太郎",
    "健一",
    "誠",
    "浩二",
    "博之",
    "和也",
    "直樹",
    "裕子",
    "美穂",
    "恵子",
    "由美",
    "智子",
    "秀樹",
    "正人",
    "隆",
    "修",
    "達也",
    "翔太",
    "陽子",
    "明美",
    "千尋",
    "典子",
    "康夫",
    "香織",
]
YIELD = {4: 118, 5: 130, 6: 105, 7: 120, 8: 125, 9: 100, 10: 92, 11: 75, 12: 65, 1: 70, 2: 82, 3: 105}
MONTHS = [date(2025, m, 1) for m in range(4, 13)] + [date(2026, m, 1) for m in range(1, 4)]
MONTH_ENDS = [d.replace(day=calendar.monthrange(d.year, d.month)[1]) for d in MONTHS]

# Injected error kinds, in the order they are used (cycled when K exceeds the list):
# kind -> (table, column, validator problem code)
ERROR_KINDS = [
    ("negative_kwh", "monitoring", "sold_kwh", "min"),
    ("sold_above_generation", "monitoring", "sold_kwh", "not_above"),
    ("text_in_number", "monitoring", "generation_kwh", "not_a_number"),
    ("impossible_date", "monitoring", "period_end", "impossible_date"),
    ("duplicate_id", "activities", "id", "duplicate_id"),
    ("end_before_start", "monitoring", "period_end", "not_before"),
    ("unknown_activity", "monitoring", "activity_id", "unknown_activity"),
    ("prefecture_typo", "activities", "prefecture", "allowed"),
    ("negative_capacity", "activities", "capacity_kw", "min"),
    ("text_date", "activities", "commissioned_on", "not_a_date"),
    ("bad_boolean", "activities", "fit", "not_a_boolean"),
    ("evidence_outside", "monitoring", "evidence", "path_escapes"),
]

PROJECT_YAML = """\
# ベンチマーク用に生成した EN-R-002 プログラム型プロジェクト（benchmarks/generate.py、架空のデータ）
# activities: {count:,} 件 / readings: {readings:,} 行 / injected errors: {errors} / seed: {seed}
schema_version: 1
rules_version: "2023-10"

project:
  name: 東海・中部住宅用太陽光発電J-クレジットプロジェクト（ベンチマーク {count:,} 件）
  type: program
  methodology: {{code: EN-R-002, version: "3.0"}}
  number: "9001"
  purpose: >-
    東海・中部地域の一般家庭が設置した住宅用太陽光発電設備の自家消費電力により系統電力を代替し、
    CO2 排出量を削減する。売電分は対象外とする。
  outline: 住宅用太陽光発電設備の発電電力を家庭内で自家消費し、系統電力の使用を代替する。
  validation_application_date: 2025-02-14
  registration_application_date: 2025-04-01
  monitoring_start_date: 2025-04-01
  crediting_period: {{start: 2025-04-01, end: 2031-03-31}}

proponent:
  name: 東海中部脱炭素推進協議会
  name_kana: トウカイチュウブダツタンソスイシンキョウギカイ
  postal_code: "500-8856"
  address: {{prefecture: 岐阜県, city: 岐阜市, street: 橋本町2丁目8番地}}
  representative: {{title: 会長, name: 長良 誠一}}
  contact: {{name: 加納 美咲, phone: 058-262-4417, email: bench@example.jp}}

program:
  grouping_body: 東海中部脱炭素推進協議会
  grouping_body_kana: トウカイチュウブダツタンソスイシンキョウギカイ
  grouping_body_postal_code: "500-8856"
  grouping_body_address: {{prefecture: 岐阜県, city: 岐阜市, street: 橋本町2丁目8番地}}
  credit_holder: 東海中部脱炭素推進協議会
  bylaws: evidence/規約.txt
  typical_activity: PV-000001  # the plan's estimate: this activity's planned yield × the number listed

additionality:
  method: household
  exemption_reason: 家庭における削減活動であり、追加性を有するものとみなされる（方法論 EN-R-002 Ver.3.0）。
  capex_jpy: 1485000
  subsidy_jpy: 100000
  annual_saving_jpy: 98000
  annual_om_cost_jpy: 12000
  sources: 設置業者の見積書（代表例）、補助金交付決定通知書

activities: {{file: {activities_file}}}
# monitoring/readings.xlsx is read by default (monitoring/*.xlsx)
"""

BYLAWS = """\
東海・中部住宅用太陽光発電J-クレジットプロジェクト 参加規約（ベンチマーク用の簡略版）
第1条 会員は、自家消費した電力による排出削減の環境価値を協議会に帰属させることに同意する。
第2条 会員は、毎月の買取電力量のお知らせの写しを協議会に提出する。
第3条 会員は、同一設備を他の類似制度に重複して登録しない。
"""


def cell_name(column_index: int, row_index: int) -> str:
    """Sheet cell of a data row: column_index 0-based, row_index 0-based among data rows (row 2 = index 0)."""
    return f"{get_column_letter(column_index + 1)}{row_index + 2}"


def make_activities(rng: random.Random, count: int) -> list[list]:
    prefectures = [name for name, (weight, _, _) in PREFECTURES.items() for _ in range(weight)]
    first, span = date(2023, 4, 2), (date(2025, 3, 20) - date(2023, 4, 2)).days
    recruitment = date(2025, 2, 3)
    rows = []
    for number in range(1, count + 1):
        prefecture = rng.choice(prefectures)
        _, cities, towns = PREFECTURES[prefecture]
        commissioned = first + timedelta(days=rng.randint(0, span))
        joined_from = max(commissioned + timedelta(days=7), recruitment)
        joined = joined_from + timedelta(days=rng.randint(0, (date(2025, 3, 31) - joined_from).days))
        fit = rng.random() < 0.6
        row = [
            f"PV-{number:06d}",
            f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} 様邸",
            prefecture,
            f"{rng.choice(cities)}{rng.choice(towns)}"
            f"{rng.randint(1, 4)}丁目{rng.randint(1, 40)}-{rng.randint(1, 25)}",
            round(rng.uniform(3.0, 9.9), 2),
            commissioned,
            "はい",
            "はい" if fit else "いいえ",
            "はい" if rng.random() < (0.25 if fit else 0.6) else "いいえ",
        ]
        # a battery household states its 経由率 and losses (stand-in values: no official default is known)
        row += [30, 10, BATTERY_SOURCE, "unverified"] if row[-1] == "はい" else [None] * 4
        rows.append(row + [1200, 30, joined])  # the plan's planned yield and self-consumption share
    return rows


def make_readings(rng: random.Random, activities: list[list]) -> list[list]:
    rows = []
    uniform = rng.uniform
    for month, end in zip(MONTHS, MONTH_ENDS):
        per_kw = YIELD[month.month]
        suffix = f"_{month:%Y-%m}.pdf"
        for activity in activities:
            identifier = activity[0]
            generation = round(activity[4] * per_kw * uniform(0.85, 1.15))
            sold = min(generation, round(generation * uniform(0.45, 0.75)))
            rows.append(
                [identifier, month, end, generation, sold, None, "evidence/meter/" + identifier + suffix]
            )
    return rows


def inject_errors(  # noqa: C901  (one branch per kind of error it plants)
    rng: random.Random, count: int, activities: list[list], readings: list[list]
) -> list[dict]:
    """Change `count` cells to known errors; return what `jcredit validate` should report for each."""
    if count <= 0:
        return []
    n = len(activities)
    plan = [ERROR_KINDS[i % len(ERROR_KINDS)] for i in range(count)]
    activity_slots = sum(
        2 if kind == "duplicate_id" else 1 for kind, table, _, _ in plan if table == "activities"
    )
    reading_slots = sum(1 for _, table, _, _ in plan if table == "monitoring")
    if activity_slots > n or reading_slots > len(readings):
        raise SystemExit(
            f"--errors {count} needs at least {activity_slots} activities and {reading_slots} readings"
        )
    free_activities = list(range(n))
    rng.shuffle(free_activities)
    per_activity: dict[str, list[int]] = {}  # activity id -> its reading rows (for the duplicate-id rewrite)
    for index, row in enumerate(readings):
        per_activity.setdefault(row[0], []).append(index)
    used_readings: set[int] = set()
    february = [i for i, row in enumerate(readings) if row[R_COL["period_start"]].month == 2]

    def take_reading(pool=None) -> int:
        while True:
            index = rng.choice(pool) if pool else rng.randrange(len(readings))
            if index not in used_readings:
                used_readings.add(index)
                return index

    expected = []
    unknown_serial = n + 1
    for kind, table, column, code in plan:
        if table == "activities":
            index = free_activities.pop()
            row = activities[index]
            if kind == "duplicate_id":
                other = free_activities.pop()
                first, index = sorted((other, index))  # the later row is the duplicate
                row = activities[index]
                original = row[A_COL["id"]]
                row[A_COL["id"]] = activities[first][A_COL["id"]]
                for reading_index in per_activity.get(
                    original, []
                ):  # its readings follow it, so only the id clashes
                    if (
                        readings[reading_index][R_COL["activity_id"]] == original
                    ):  # keep an injected unknown id
                        readings[reading_index][R_COL["activity_id"]] = row[A_COL["id"]]
            elif kind == "prefecture_typo":
                row[A_COL["prefecture"]] = row[A_COL["prefecture"]].replace("県", "件")
            elif kind == "negative_capacity":
                row[A_COL["capacity_kw"]] = -row[A_COL["capacity_kw"]]
            elif kind == "text_date":
                row[A_COL["commissioned_on"]] = "昨年の春ごろ"
            elif kind == "bad_boolean":
                row[A_COL["fit"]] = "不明"
            value = row[A_COL[column]]
            location = f"{ACTIVITIES_FILE}!{ACTIVITIES_SHEET}!{cell_name(A_COL[column], index)}"
        else:
            index = take_reading(february if kind == "impossible_date" else None)
            row = readings[index]
            if kind == "negative_kwh":
                row[R_COL["sold_kwh"]] = -max(1, row[R_COL["sold_kwh"]])
            elif kind == "sold_above_generation":
                row[R_COL["sold_kwh"]] = row[R_COL["generation_kwh"]] + rng.randint(5, 80)
            elif kind == "text_in_number":
                row[R_COL["generation_kwh"]] = "abc"
            elif kind == "impossible_date":
                row[R_COL["period_end"]] = f"{row[R_COL['period_start']].year}-02-30"
            elif kind == "end_before_start":
                start, end = row[R_COL["period_start"]], row[R_COL["period_end"]]
                row[R_COL["period_start"]], row[R_COL["period_end"]] = end, start
            elif kind == "unknown_activity":
                row[R_COL["activity_id"]] = f"PV-{unknown_serial:06d}"
                unknown_serial += 1
            elif kind == "evidence_outside":
                row[R_COL["evidence"]] = "../" + row[R_COL["evidence"]].rsplit("/", 1)[-1]
            value = row[R_COL[column]]
            location = f"{READINGS_FILE}!{READINGS_SHEET}!{cell_name(R_COL[column], index)}"
        expected.append(
            {
                "location": location,
                "path": f"{table}[{index}].{column}",
                "kind": kind,
                "code": code,
                "value": value.isoformat() if isinstance(value, date) else value,
            }
        )
    expected.sort(key=lambda e: (e["location"].split("!")[0], int(e["path"].split("[")[1].split("]")[0])))
    return expected


ORPHANS = 5  # evidence files nothing refers to (with --evidence)
METER_FOLDER = "evidence/meter"


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


_PDF_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
]


def _pdf_head() -> tuple[bytes, list[int]]:
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(_PDF_OBJECTS, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    offsets.append(len(out))  # object 5, the page content, follows
    return bytes(out) + b"5 0 obj\n<< /Length ", offsets


_PDF_HEAD, _PDF_OFFSETS = _pdf_head()
_PDF_XREF = (
    b"xref\n0 6\n0000000000 65535 f \n"
    + b"".join(f"{offset:010d} 00000 n \n".encode() for offset in _PDF_OFFSETS)
    + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n"
)


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing ASCII `lines` in Helvetica, with a correct cross-reference table.

    Objects 1-4 never change, so only the content stream and the xref position are made per file."""
    stream = (
        "BT\n/F1 12 Tf\n14 TL\n56 780 Td\n("
        + ") Tj\nT* (".join(_pdf_text(line) for line in lines)
        + ") Tj\nET"
    ).encode("ascii")
    body = _PDF_HEAD + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n"
    return body + _PDF_XREF + str(len(body)).encode() + b"\n%%EOF\n"


def meter_slip(reading: list) -> bytes:
    """The electricity company's monthly purchase notice for one reading (fictional, ASCII)."""
    start, end = reading[R_COL["period_start"]], reading[R_COL["period_end"]]
    return minimal_pdf(
        [
            f"{reading[R_COL['activity_id']]} {start:%Y-%m} kaitori denryokuryo no oshirase (meter slip)",
            f"Kenshin kikan: {start:%Y-%m-%d} - {end:%Y-%m-%d}",
            f"Kaitori denryokuryo (sold): {reading[R_COL['sold_kwh']]} kWh",
            f"Hatsudenryo (PCS display): {reading[R_COL['generation_kwh']]} kWh",
            "Benchmark data, fictional (benchmarks/generate.py)",
        ]
    )


def slips(readings: list[tuple]) -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of every meter slip the readings name, then the orphans nothing names."""
    for row in readings:
        yield row[R_COL["evidence"]], meter_slip(row)
    for number in range(1, ORPHANS + 1):
        yield (
            f"{METER_FOLDER}/orphan_{number}.pdf",
            minimal_pdf(
                [
                    f"orphan_{number}: a scanned page nothing refers to (benchmark data, fictional)",
                    "Shozoku fumei no sukyan gazo",
                ]
            ),
        )


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as existing:
            return existing.read(len(data) + 1) == data
    except OSError:
        return False


def write_evidence(outdir: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write the files fast: one folder, plain os.open/os.write, no per-file mkdir; return how many.

    A file an earlier run left with the same bytes is kept as it is, others are (over)written, and files
    this run does not write are removed: the folder always holds exactly this run's files, and running
    the same settings again costs reads, not the (much slower, on ext4) truncate-and-rewrite."""
    meter = outdir / METER_FOLDER
    meter.mkdir(parents=True, exist_ok=True)
    stale = {entry.name for entry in os.scandir(meter)}
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    base, prefix, written = str(outdir) + os.sep, METER_FOLDER + "/", 0
    for relative, data in files:
        name = relative[len(prefix) :] if relative.startswith(prefix) else relative
        written += 1
        if name in stale:
            stale.discard(name)
            if _same_bytes(base + relative, data):
                continue
        descriptor = os.open(base + relative, flags, 0o644)
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)
    for name in stale:
        path = meter / name
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    return written


def write_sheet(path: Path, sheet_name: str, columns: list[tuple[str, str, int]], rows: list[list]) -> None:
    """Write one sheet fast (write-only); dates get the yyyy-mm-dd format from openpyxl automatically."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.freeze_panes = "A2"
    for index, (_, _, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([label for _, label, _ in columns])
    append = sheet.append
    for row in rows:
        append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


FACTORS_YAML = """\
# ベンチマーク用の仮の係数（実際の別表の値ではない）
grid_electricity:
  - {fiscal_year: 2025, basis: all_source, value: 0.000441, unit: t-CO2/kWh,
     source: "ベンチマーク用の仮の値", status: unverified}
"""


def make_messy(readings: list[list]) -> None:
    """Type readings as people do: dates as 2025/4/1 text, kWh with separators and units (1,234kWh)."""
    for row in readings:
        for column in ("period_start", "period_end"):
            value = row[R_COL[column]]
            if isinstance(value, date):
                row[R_COL[column]] = f"{value.year}/{value.month}/{value.day}"
        for column in ("generation_kwh", "sold_kwh"):
            value = row[R_COL[column]]
            if isinstance(value, int) and not isinstance(value, bool):
                row[R_COL[column]] = f"{value:,}kWh"


def generate(
    outdir: Path, count: int, errors: int, seed: int, messy: bool = False, evidence: bool = False
) -> dict:
    rng = random.Random(seed)
    activities = make_activities(rng, count)
    readings = make_readings(rng, activities)
    issued = (
        [tuple(row) for row in readings] if evidence else []
    )  # the slips as issued, before any injected error
    expected = inject_errors(random.Random(seed + 1), errors, activities, readings)
    if messy:
        make_messy(readings)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "evidence").mkdir(exist_ok=True)
    (outdir / "evidence" / "規約.txt").write_text(BYLAWS, encoding="utf-8")
    (outdir / "project.yaml").write_text(
        PROJECT_YAML.format(
            count=count, readings=len(readings), errors=errors, seed=seed, activities_file=ACTIVITIES_FILE
        ),
        encoding="utf-8",
    )
    (outdir / "factors.yaml").write_text(FACTORS_YAML, encoding="utf-8")
    written, evidence_started = 0, time.perf_counter()
    if evidence:
        written = write_evidence(outdir, slips(issued))
    elif (outdir / METER_FOLDER).exists():
        shutil.rmtree(outdir / METER_FOLDER)  # stale slips from an earlier --evidence run
    evidence_seconds = time.perf_counter() - evidence_started
    write_sheet(outdir / ACTIVITIES_FILE, ACTIVITIES_SHEET, ACTIVITY_COLUMNS, activities)
    write_sheet(outdir / READINGS_FILE, READINGS_SHEET, READING_COLUMNS, readings)
    expected_file = outdir / "expected_errors.json"
    if errors:
        expected_file.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif expected_file.exists():
        expected_file.unlink()  # a stale list from an earlier run would describe errors that are not there
    return {
        "activities": len(activities),
        "readings": len(readings),
        "errors": len(expected),
        "evidence": written,
        "evidence_seconds": evidence_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path, help="project folder to write")
    parser.add_argument("--activities", "-n", type=int, required=True, help="number of activities (N)")
    parser.add_argument("--errors", "-k", type=int, default=0, help="number of injected errors (K)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    parser.add_argument("--messy", action="store_true", help="type dates and kWh as text, as people do")
    parser.add_argument(
        "--evidence",
        action="store_true",
        help=f"also write every meter slip the readings name, and {ORPHANS} unreferenced ones",
    )
    args = parser.parse_args(argv)
    if args.activities < 1 or args.errors < 0:
        parser.error("--activities must be at least 1 and --errors at least 0")
    started = time.perf_counter()
    stats = generate(args.outdir, args.activities, args.errors, args.seed, args.messy, args.evidence)
    elapsed = time.perf_counter() - started
    print(
        f"{args.outdir}: {stats['activities']:,} activities, {stats['readings']:,} readings, "
        f"{stats['errors']} injected errors, {stats['evidence']:,} evidence files; generated in {elapsed:.2f} s"
        + (f" (evidence {stats['evidence_seconds']:.2f} s)" if args.evidence else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
