"""Shared fixtures: a small, valid EN-R-002 program project written into a temporary folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import tqdm
from click.testing import CliRunner

from toolkit import schema
from toolkit.cli import cli

# `formulas` (the recalculation of the XLSX tests) shows tqdm bars, whose monitor thread outlives them: beside
# another thread forked.can_fork refuses, and every later test of work in a forked child would run in process
tqdm.tqdm.monitor_interval = 0

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

PROJECT_YAML = """\
schema_version: 1
rules_version: "2023-10"
project:
  name: テスト市住宅用太陽光発電J-クレジットプロジェクト
  type: program
  methodology: {code: EN-R-002, version: "3.0"}
  registration_application_date: 2025-04-01
proponent:
  name: テスト市エネルギー協議会
  name_kana: テストシエネルギーキョウギカイ
  postal_code: "500-8570"
  address: {prefecture: 岐阜県, city: 岐阜市, street: 薮田南2-1-1}
  contact: {phone: 058-272-1111, email: tantou@example.jp}
additionality:
  method: household
activities: {file: activities.xlsx}
"""

ACTIVITY_HEADERS = ["活動ID", "名称", "都道府県", "設備容量(kW)", "運転開始日", "家庭用", "FIT/FIP"]
ACTIVITIES = [
    ["PV-0001", "山田 太郎 様邸", "岐阜県", 4.5, dt.date(2024, 5, 1), "はい", "はい"],
    ["PV-0002", "鈴木 花子 様邸", "岐阜県", 5.2, dt.date(2024, 7, 12), "はい", "いいえ"],
    ["PV-0003", "佐藤 一郎 様邸", "岐阜県", 3.8, dt.date(2023, 9, 30), "はい", "はい"],
]
READING_HEADERS = ["活動ID", "期間開始", "期間終了", "発電量(kWh)", "売電量(kWh)", "証憑"]
READINGS = [
    ["PV-0001", dt.date(2025, 4, 1), dt.date(2025, 4, 30), 531, 320, "evidence/PV-0001_2025-04.pdf"],
    ["PV-0002", dt.date(2025, 4, 1), dt.date(2025, 4, 30), 610, 402, "evidence/PV-0002_2025-04.pdf"],
    ["PV-0003", dt.date(2025, 4, 1), dt.date(2025, 4, 30), 455, 250, "evidence/PV-0003_2025-04.pdf"],
]


class ProjectFolder:
    """A project folder under construction; every write returns the path written."""

    def __init__(self, root: Path):
        self.root = root
        self.project_yaml = PROJECT_YAML
        self.activities = [list(row) for row in ACTIVITIES]
        self.activity_headers = list(ACTIVITY_HEADERS)
        self.readings = [list(row) for row in READINGS]
        self.reading_headers = list(READING_HEADERS)

    def write(self) -> Path:
        (self.root / "evidence").mkdir(parents=True, exist_ok=True)
        self.write_text("project.yaml", self.project_yaml)
        self.write_sheet("activities.xlsx", "活動一覧", self.activity_headers, self.activities)
        self.write_sheet("monitoring/2025.xlsx", "モニタリング", self.reading_headers, self.readings)
        return self.root

    def write_text(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def write_sheet(self, name: str, sheet: str, headers: list, rows: list[list]) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        book = openpyxl.Workbook()
        book.active.title = sheet
        book.active.append(headers)
        for row in rows:
            book.active.append(row)
        book.save(path)
        return path


@pytest.fixture
def folder(tmp_path) -> ProjectFolder:
    return ProjectFolder(tmp_path / "project")


@pytest.fixture
def run():
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""

    def invoke(*args: str):
        result = CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def labels(code: str, table: str) -> dict[str, str]:
    return {key: meta["label"]["ja"] for key, meta in schema.tables(code)[table].columns()}
