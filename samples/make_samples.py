#!/usr/bin/env python3
"""(Re)write the sample projects samples/solar-program (EN-R-002) and samples/rice-drainage (AG-005).

Deterministic: a fixed random seed, fixed timestamps inside the workbooks, so running it again gives
byte-identical files. Standard library + openpyxl only.

    .venv/bin/python samples/make_samples.py

Every person, farm, organisation, address line, phone number and reading is fictional; the postal
codes, municipalities and 大字 names are real so the addresses look right. Column headers are the
Japanese labels of schemas/methodologies/*.yaml (checked against the schema text when run).
"""

from __future__ import annotations

import calendar
import os
import random
import shutil
import struct
import sys
import zipfile
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

# openpyxl writes slightly different XML with and without lxml; pin the standard-library writer so the
# workbooks are byte-identical whichever is installed. Must be set before openpyxl is imported.
os.environ.setdefault("OPENPYXL_LXML", "False")

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

SEED = 20250401
HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "schemas" / "methodologies"
FIXED_TIME = datetime(2025, 4, 1, 9, 0, 0)  # written into workbook properties and zip entries
ZIP_TIME = (2025, 4, 1, 9, 0, 0)

# Column labels (meta.label.ja) of the methodology tables, in schema order: (key, label, kind).
# kind: text | int | dec | date | bool; it sets the cell format and width.
EN_R_002_ACTIVITIES = [
    ("id", "活動ID", "text"),
    ("name", "名称", "text"),
    ("prefecture", "都道府県", "text"),
    ("address", "設置住所", "text"),
    ("capacity_kw", "設備容量(kW)", "dec"),
    ("commissioned_on", "運転開始日", "date"),
    ("household", "家庭用", "bool"),
    ("fit", "FIT/FIP", "bool"),
    ("battery", "蓄電池", "bool"),
    ("battery_share_pct", "蓄電池経由率(%)", "dec"),
    ("battery_loss_pct", "蓄電池損失率(%)", "dec"),
    ("battery_source", "蓄電池の値の出典", "text"),
    ("battery_status", "蓄電池の値の確認状況", "text"),
    ("joined_on", "加入日", "date"),
    ("planned_generation_kwh", "年間発電量の見込み(kWh/年)", "int"),
    ("planned_yield_kwh_per_kw", "1kWあたり年間発電量の見込み(kWh/kW/年)", "int"),
    ("planned_self_consumption_pct", "自家消費率の見込み(%)", "int"),
]
EN_R_002_MONITORING = [
    ("activity_id", "活動ID", "text"),
    ("period_start", "期間開始", "date"),
    ("period_end", "期間終了", "date"),
    ("generation_kwh", "発電量(kWh)", "int"),
    ("sold_kwh", "売電量(kWh)", "int"),
    ("self_consumption_kwh", "自家消費量(kWh)", "int"),
    ("evidence", "証憑", "text"),
]
AG_005_ACTIVITIES = [
    ("id", "活動ID", "text"),
    ("farmer", "耕作者", "text"),
    ("prefecture", "都道府県", "text"),
    ("field_address", "ほ場所在地", "text"),
    ("area_ha", "面積(ha)", "dec"),
    ("percolation_mm_per_day", "日減水深(mm/日)", "dec"),
    ("straw_removed_kg_per_10a", "稲わら持ち出し量(kg/10a)", "int"),
    ("compost_t_per_10a", "堆肥施用量(t/10a)", "dec"),
    ("baseline_drainage_days", "中干し日数の過去平均(日)", "dec"),
    ("drainage_start", "中干し開始日", "date"),
    ("drainage_end", "中干し終了日", "date"),
    ("heading_date", "出穂日", "date"),
    ("planned_extension_days", "中干し延長日数の見込み(日)", "int"),
]
AG_005_HISTORY = [
    ("activity_id", "活動ID", "text"),
    ("year", "年", "int"),
    ("drainage_days", "中干し日数(日)", "int"),
    ("evidence", "証憑", "text"),
]
AG_005_MONITORING = [
    ("activity_id", "活動ID", "text"),
    ("fiscal_year", "年度", "int"),
    ("drainage_start", "中干し開始日", "date"),
    ("drainage_end", "中干し終了日", "date"),
    ("heading_date", "出穂日", "date"),
    ("photo_start", "開始時写真", "text"),
    ("photo_end", "終了時写真", "text"),
]


def check_labels() -> None:
    """Fail loudly if a schema label changed and the headers above no longer match it."""
    for schema_file, columns in (
        ("EN-R-002.yaml", EN_R_002_ACTIVITIES + EN_R_002_MONITORING),
        ("AG-005.yaml", AG_005_ACTIVITIES + AG_005_HISTORY + AG_005_MONITORING),
    ):
        path = SCHEMAS / schema_file
        if not path.is_file():
            continue  # running from an unpacked copy without schemas: nothing to compare with
        text = path.read_text(encoding="utf-8")
        for key, label, _ in columns:
            if f"label: {{ja: {label}, " not in text or f"\n    {key}:" not in text:
                sys.exit(f"{schema_file}: column {key} / {label} not found; update make_samples.py")


# -- file writers -----------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "int": "0", "dec": "General"}


def _display_width(value: object) -> int:
    if isinstance(value, date):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_workbook(path: Path, sheets: list[tuple[str, list[tuple[str, str, str]], list[list]]]) -> None:
    """Write sheets of (name, columns, rows): bold header, frozen, sized columns, real dates; deterministic."""
    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append([label for _, label, _ in columns])
        for cell in sheet[1]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center")
        for row in rows:
            sheet.append(row)
        for index, (_, label, kind) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            if kind in NUMBER_FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = NUMBER_FORMATS[kind]
            widest = max(
                [_display_width(label)]
                + [_display_width(row[index - 1]) for row in rows if row[index - 1] is not None]
            )
            sheet.column_dimensions[letter].width = min(60, widest + 3)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    book.properties.creator = "jcredit-toolkit samples/make_samples.py"
    book.properties.created = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    _freeze_zip(path)


def _freeze_zip(path: Path) -> None:
    """Make a saved workbook byte-reproducible: fixed entry times and a fixed 'modified' property."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                start = data.find(b"<dcterms:modified")
                if start >= 0:
                    opening = data.index(b">", start) + 1
                    closing = data.index(b"</dcterms:modified>", opening)
                    data = data[:opening] + stamp + data[closing:]
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing ASCII `lines` in Helvetica, with a correct cross-reference table."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "56 780 Td"]
    for number, line in enumerate(lines):
        ops.append(("" if number == 0 else "T* ") + f"({_pdf_text(line)}) Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def photo_png(
    sky: tuple[int, int, int], ground: tuple[int, int, int], width: int = 16, height: int = 12
) -> bytes:
    """A tiny RGB PNG: a band of sky over a band of paddy (a stand-in for a field photo)."""
    raw = bytearray()
    for y in range(height):
        colour = bytes(sky if y < height // 3 else ground)
        raw += b"\x00" + colour * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + _png_chunk(b"IEND", b"")
    )


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def fresh_folder(name: str) -> Path:
    folder = HERE / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# -- solar-program (EN-R-002) ------------------------------------------------------------------------

SOLAR_PROJECT_YAML = """\
# J-クレジット プロジェクト入力ファイル（EN-R-002 太陽光発電設備の導入、プログラム型）
# サンプル: 岐阜地域の一般家庭 36 件の住宅用太陽光発電設備を取りまとめるプログラム型プロジェクト。
# 団体名・人名・連絡先・番地はすべて架空です。samples/make_samples.py が書き出します（手で直さないこと）。
schema_version: 1
rules_version: "2025-09"          # 規程の版（係数表と規則の切替え）

project:
  name: 岐阜地域住宅用太陽光発電J-クレジットプロジェクト
  type: program                   # プログラム型
  methodology: {code: EN-R-002, version: "3.0"}   # 太陽光発電設備の導入 Ver.3.0
  number: "0815"              # プロジェクト番号（登録時に通知される。架空の番号）
  purpose: >-
    岐阜市及びその周辺市町（各務原市、羽島市、瑞穂市、岐南町、北方町）の一般家庭が設置した
    住宅用太陽光発電設備で発電し、家庭内で自家消費した電力により系統電力の使用を代替して、
    CO2 排出量を削減する。売電した電力（FIT 認定分を含む）は削減量の対象外とし、
    自家消費量は発電量から売電量を差し引いて求める。協議会が会員の活動を取りまとめ、
    創出したクレジットの売却益を地域の脱炭素化事業と会員への還元に充てる。
  outline: 住宅用太陽光発電設備で発電した電力を家庭内で自家消費し、系統電力の使用を代替して CO2 排出量を削減する。売電した電力は対象外とし、自家消費量は発電量から売電量を差し引いて求める。
  validation_application_date: 2025-02-14     # 妥当性確認申請日
  registration_application_date: 2025-04-01   # 登録申請日（2年ルールの起点: 2023-04-01 以後の運転開始が対象）
  monitoring_start_date: 2025-04-01           # モニタリング開始可能日
  crediting_period:                           # 認証対象期間（開始日から8年を経過する日。2025-09 の規程に2031年3月31日の上限はない）
    start: 2025-04-01
    end: 2033-03-31

proponent:                        # 運営・管理者
  name: 岐阜地域脱炭素推進協議会
  name_kana: ギフチイキダツタンソスイシンキョウギカイ
  postal_code: "500-8856"
  address: {prefecture: 岐阜県, city: 岐阜市, street: 橋本町2丁目8番地 ぎふ駅西ビル4階}
  representative: {title: 会長, name: 長良 誠一}
  contact: {name: 加納 美咲, phone: 058-262-4417, email: jcredit-gifu@example.jp}

program:
  grouping_body: 岐阜地域脱炭素推進協議会（住宅用太陽光発電設備を設置した会員の取りまとめ）
  grouping_body_kana: ギフチイキダツタンソスイシンキョウギカイ
  grouping_body_postal_code: "500-8856"
  grouping_body_address: {prefecture: 岐阜県, city: 岐阜市, street: 橋本町2丁目8番地 ぎふ駅西ビル4階}
  credit_holder: 岐阜地域脱炭素推進協議会
  bylaws: evidence/規約.txt       # 参加規約（会員は規約と同意書に同意して加入）
  typical_activity: PV-0027       # 代表的な削減活動（別紙 A.3 の算定例）: 5.6 kW、FIT 認定、蓄電池なしの住宅

additionality:
  method: household               # 家庭部門の削減活動: 追加性を有するものとみなす
  exemption_reason: >-
    削減活動はすべて一般家庭（住宅）に設置された太陽光発電設備であり、家庭部門の削減活動は
    投資回収年数による評価を要せず追加性を有するものとみなされる（J-クレジット制度実施規程
    （プロジェクト実施者向け）の家庭における削減活動の取扱い、方法論 EN-R-002 Ver.3.0）。
  # 以下は参考値: 代表的な 1 件（5.5 kW、蓄電池なし）の導入費用と効果。評価には用いない。
  capex_jpy: 1485000              # 設備投資額（補助金控除前、税込）
  subsidy_jpy: 100000             # 市の住宅用太陽光発電設備設置費補助金
  annual_saving_jpy: 98000        # 自家消費による電気料金の年間削減額
  annual_om_cost_jpy: 12000       # 定期点検費用（4年ごと 48,000 円の年割り）
  sources: >-
    設置業者の見積書及び工事請負契約書（代表例）、市の補助金交付決定通知書、
    電力会社の「購入電力量のお知らせ」（設置前後各12か月）

# 追加性評価に必要な情報の入手方法（別紙 A.2 (2)）: 項目ごとに 1 行。
additionality_sources:
  - {item: 設備投資額（代表例）, method: 設置業者の見積書及び工事請負契約書}
  - {item: 補助金額, method: 市の住宅用太陽光発電設備設置費補助金の交付決定通知書}
  - {item: 年間削減額, method: 電力会社の「購入電力量のお知らせ」（設置前後各12か月）。全会員に同じ考え方を用い、値は会員ごとの記録による}

# 会員の削減活動（排出削減活動リスト）は activities.xlsx の「活動一覧」シートに記入します。
activities: {file: activities.xlsx}

# モニタリングの読取値は monitoring/2025.xlsx（2025年度、月ごと）に記入します。
# 証憑は evidence/meter/ の買取電力量のお知らせ（活動ID_年-月.pdf）です。

# モニタリング計画（計画書 2.3）: 方法論のモニタリング項目（記号）ごとに 1 行。
# 分類・方法概要・計測機器・担当者は、計画書とモニタリング報告書（B.2）のモニタリング項目の表に載ります。
monitoring_plan:
  - symbol: EL_gen
    method_class: 計測（パワーコンディショナの発電量表示）
    method: 会員が毎月の検針日にパワーコンディショナ（又は発電量モニター）の月間発電量を読み取り、表示画面の写真とともに毎月10日までに協議会に提出し、協議会事務局がモニタリングシートに転記する。
    meter: パワーコンディショナの積算発電量表示（計量法の検定対象外）
    owner: 各会員（記録）、協議会事務局 加納 美咲（取りまとめ・保管）
    remarks: 協議会事務局が売電量を下回らないこと、前年同月との差が大きくないことを毎月確認する
  - symbol: EL_sold
    method_class: 伝票（電力会社の買取電力量のお知らせ）
    method: 電力会社の「買取電力量のお知らせ」に記載された月間の買取電力量を、会員が提出した写しから協議会事務局がモニタリングシートに転記する。
    meter: 取引用電力量計（電力会社所有、検定付き。検定有効期限は各会員の検針票で確認）
    owner: 各会員（提出）、協議会事務局 加納 美咲（転記・保管）
    remarks: 証憑は evidence/meter/ に活動ID_年-月.pdf として保管する
  - symbol: EL_PJ,self
    method_class: 計算（発電量 − 売電量）
    method: 月ごとに発電量から売電量を差し引いて自家消費量を求め、協議会事務局が会員ごとの集計表で確認する。
    owner: 協議会事務局 加納 美咲（確認・保管）
    remarks: 自家消費量は直接計測しない。蓄電池のある会員は、蓄電池を経由した分の充放電損失を活動一覧の蓄電池経由率・損失率で差し引く

# 付随的な排出活動（別紙 A.3.2）: 算定式に含まれない排出とその影響度（36 件の年間の排出削減量 約 47 t-CO2 に対する割合）。
incidental_emissions:
  - scenario: project
    source: パワーコンディショナの夜間の待機電力（系統からの受電）
    amount_kg_per_year: 104
    impact_pct: 0.22
    method: 1 件あたり 約 1.5 W × 12 h × 365 日 ≒ 6.6 kWh/年（約 2.9 kg-CO2）× 36 件 に系統電力の排出係数 0.441 kg-CO2/kWh（仮の値）を乗じて推計。影響度が小さいため算定の対象外とする。
    counted: false
  - scenario: project
    source: 定期点検（4年ごと）の点検業者の車両（ガソリン）
    amount_kg_per_year: 52
    impact_pct: 0.11
    method: 年間 約 9 件の点検 × 往復 約 30 km ÷ 12 km/L ≒ ガソリン 22.5 L/年 × 2.32 kg-CO2/L で推計。影響度が小さいため算定の対象外とする。
    counted: false

# モニタリング報告（報告書の表紙と B.4）。モニタリング期間は読取値から求めるため記入しません。
monitoring_report:
  report_date: 2026-05-22         # 報告日（2025年度のモニタリング報告書）
  deviations: 登録した計画からの変更はない。会員 36 件のすべてから、2025年度 12 か月分の買取電力量のお知らせの写しと発電量の記録の提出を受けた。

# 他制度・補助金との関係（計画書 4）: 二重計上がないことの確認。
double_counting:
  other_scheme: false              # 同じ削減活動を他のクレジット制度・証書制度に登録していない
  non_fossil_certificate: false    # 同じ電力に非化石証書は発行されていない（FIT/FIP で売電した電力は算定に含めない）
  subsidies: 市町の住宅用太陽光発電設備設置費補助金（交付条件に環境価値の帰属の定めなし）
  subsidy_claims_environmental_value: false   # 補助金の交付条件に CO2 削減価値の帰属の定めはない
"""

SOLAR_FACTORS_YAML = """\
# 係数の追加・上書き（このプロジェクトだけに適用）。ツールキットに同梱していない年度の値をここで補います。
# 注意: 下の値はサンプル用の仮の値です。申請前に、その年度の J-クレジット制度の別表の値に置き換え、
# 出典を書き、確認できたら status を verified にしてください。
grid_electricity:
  - {fiscal_year: 2025, basis: all_source, value: 0.000441, unit: t-CO2/kWh,
     source: "サンプル用の仮の値（公表値ではない）。実際の別表の値に置き換えること", status: unverified}
"""

SOLAR_BYLAWS = """\
岐阜地域住宅用太陽光発電J-クレジットプロジェクト 参加規約

第1条（目的）この規約は、岐阜地域脱炭素推進協議会（以下「協議会」という。）が運営・管理する岐阜地域住宅用太陽光発電J-クレジットプロジェクト（以下「本プロジェクト」という。）への参加に関し必要な事項を定める。
第2条（参加資格）本プロジェクトに参加できる者は、岐阜市、各務原市、羽島市、瑞穂市、羽島郡岐南町又は本巣郡北方町に所在する自ら居住する住宅に太陽光発電設備を設置し、本プロジェクトの登録申請日の2年前の日以後に運転を開始した者とする。
第3条（参加手続）参加を希望する者は、参加申込書及び同意書に、運転開始日（系統連系日）を確認できる書類の写しを添えて協議会に提出する。協議会は参加資格を確認のうえ加入日を定め、排出削減活動リストに登録する。
第4条（環境価値の帰属）会員は、自家消費した電力による温室効果ガス排出削減の環境価値を協議会に帰属させることに同意する。協議会はこれをJ-クレジットとして認証を受け、保有する。
第5条（二重登録の禁止）会員は、同一の設備について、他のJ-クレジットプロジェクト、非化石証書その他の類似制度に重複して参加し、又は登録してはならない。
第6条（モニタリングへの協力）会員は、電力会社から受け取る「買取電力量のお知らせ」の写し及びパワーコンディショナの月間発電量の記録を、毎月10日までに協議会に提出する。
第7条（収益の還元）協議会は、クレジットの売却益から運営費及び審査費用を控除した額を、地域の脱炭素化事業及び会員への還元に充てる。
第8条（設備の変更）会員は、設備の増設、交換、撤去又は売電契約の変更を行ったときは、30日以内に協議会に届け出る。
第9条（退会）会員は、書面により届け出ることにより、いつでも退会することができる。退会日までに生じた環境価値は協議会に帰属する。
第10条（個人情報の取扱い）協議会は、会員の個人情報を本プロジェクトの運営及び審査機関による妥当性確認・検証の目的に限り利用する。
附則 この規約は、2025年2月1日から施行する。
"""

SOLAR_SURNAMES = [
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
    "長尾",
    "水野",
    "酒井",
    "野村",
    "杉山",
    "棚橋",
    "纐纈",
    "日比野",
    "大野",
    "森",
    "清水",
    "近藤",
    "市川",
    "坂井",
    "土屋",
    "三輪",
    "早川",
    "不破",
    "所",
    "宇野",
    "浅野",
    "国枝",
    "馬渕",
    "篠田",
]
SOLAR_GIVEN = [
    "太郎",
    "健一",
    "誠",
    "浩二",
    "博之",
    "和也",
    "直樹",
    "大輔",
    "裕子",
    "美穂",
    "恵子",
    "由美",
    "真由美",
    "智子",
    "秀樹",
    "勝利",
    "正人",
    "隆",
    "修",
    "達也",
    "翔太",
    "陽子",
    "明美",
    "千尋",
    "昌弘",
    "典子",
    "康夫",
    "幸子",
    "雅樹",
    "香織",
    "一郎",
    "淳",
    "亮介",
    "奈緒子",
    "和彦",
    "久美子",
]
# Municipality -> real 町名 (postal data); weights give most members to 岐阜市.
SOLAR_TOWNS = {
    "岐阜市": (
        14,
        [
            "茜部本郷",
            "茜部菱野",
            "芥見",
            "芥見南山",
            "岩滝東",
            "鶯谷町",
            "大洞緑山",
            "雄総桜",
            "江崎南",
            "宇佐南",
            "粟野東",
            "市橋",
            "今嶺",
            "岩田坂",
        ],
    ),
    "各務原市": (7, ["那加桜町", "蘇原希望町", "鵜沼東町", "鵜沼台", "川島松原町", "尾崎北町", "蘇原寺島町"]),
    "羽島市": (4, ["竹鼻町丸の内", "正木町須賀", "福寿町浅平", "小熊町島"]),
    "瑞穂市": (4, ["別府", "馬場前畑町", "牛牧", "十七条"]),
    "羽島郡岐南町": (4, ["八剣北", "伏屋", "三宅", "徳田西"]),
    "本巣郡北方町": (3, ["柱本白坪", "高屋条里", "芝原中町"]),
}
# kWh generated per kW of panels in each month, Gifu (Apr ... Mar).
SOLAR_YIELD = {4: 118, 5: 130, 6: 105, 7: 120, 8: 125, 9: 100, 10: 92, 11: 75, 12: 65, 1: 70, 2: 82, 3: 105}
FY2025_MONTHS = [date(2025, month, 1) for month in range(4, 13)] + [
    date(2026, month, 1) for month in range(1, 4)
]


def _street(rng: random.Random, town: str) -> str:
    form = rng.random()
    if form < 0.45:
        return f"{town}{rng.randint(1, 980)}番地{rng.randint(1, 12)}"
    if form < 0.8:
        return f"{town}{rng.randint(1, 4)}丁目{rng.randint(1, 40)}-{rng.randint(1, 25)}"
    return f"{town}{rng.randint(100, 2400)}-{rng.randint(1, 9)}"


# A battery household's 経由率 and loss (EN-R-002): stand-ins so that the sample computes. They are not the
# scheme's default 経由率 (adopted in 2018, its value not verified here) nor any battery's measured loss; the
# source says so and the status stays unverified, so the checklist reports them.
SOLAR_BATTERY = {
    "battery_share_pct": 30,
    "battery_loss_pct": 10,
    "battery_source": "サンプル用の仮の値（制度の既定の経由率と仕様書の損失率に置き換える）",
    "battery_status": "unverified",
}
NO_BATTERY = dict.fromkeys(SOLAR_BATTERY)


def solar_activities(rng: random.Random, count: int = 36) -> list[dict]:
    surnames = rng.sample(SOLAR_SURNAMES, count)
    places = [city for city, (weight, _) in SOLAR_TOWNS.items() for _ in range(weight)]
    rng.shuffle(places)
    first, last = date(2023, 4, 15), date(2025, 3, 20)
    days = sorted(rng.sample(range((last - first).days + 1), count - 2))
    commissioned = [first] + [first + timedelta(days=day) for day in days] + [last]
    commissioned.sort()
    activities = []
    for number in range(count):
        city = places[number]
        town = rng.choice(SOLAR_TOWNS[city][1])
        decimals = rng.choice((1, 2, 2))
        capacity = round(rng.uniform(3.2, 9.8), decimals)
        fit = rng.random() < 0.6
        battery = rng.random() < (
            0.25 if fit else 0.6
        )  # self-consumption (non-FIT) homes add batteries more often
        on = commissioned[number]
        # members signed up during the recruitment before the application (by-laws in force 2025-02-01)
        joined = random_day(rng, max(on + timedelta(days=7), date(2025, 2, 3)), date(2025, 3, 31))
        activities.append(
            {
                "id": f"PV-{number + 1:04d}",
                "name": f"{surnames[number]} {rng.choice(SOLAR_GIVEN)} 様邸",
                "prefecture": "岐阜県",
                "address": city + _street(rng, town),
                "capacity_kw": capacity,
                "commissioned_on": on,
                "household": "はい",
                "fit": "はい" if fit else "いいえ",
                "battery": "はい" if battery else "いいえ",
                **(SOLAR_BATTERY if battery else NO_BATTERY),
                "joined_on": joined,
            }
        )
    return activities


def solar_readings(rng: random.Random, activities: list[dict]) -> list[dict]:
    readings = []
    for month in FY2025_MONTHS:
        for activity in activities:
            capacity = activity["capacity_kw"]
            generation = round(capacity * SOLAR_YIELD[month.month] * rng.uniform(0.85, 1.15))
            low, high = (0.45, 0.62) if activity["battery"] == "はい" else (0.55, 0.75)
            sold = min(generation, round(generation * rng.uniform(low, high)))
            readings.append(
                {
                    "activity_id": activity["id"],
                    "period_start": month,
                    "period_end": month_end(month),
                    "generation_kwh": generation,
                    "sold_kwh": sold,
                    "self_consumption_kwh": None,
                    "evidence": f"evidence/meter/{activity['id']}_{month:%Y-%m}.pdf",
                }
            )
    return readings


def meter_slip(reading: dict, activity: dict) -> bytes:
    return minimal_pdf(
        [
            f"{reading['activity_id']} {reading['period_start']:%Y-%m} kaitori denryokuryo no oshirase",
            f"Kenshin kikan: {reading['period_start']:%Y-%m-%d} - {reading['period_end']:%Y-%m-%d}",
            f"Kaitori denryokuryo (sold): {reading['sold_kwh']} kWh",
            f"Hatsudenryo (PCS display): {reading['generation_kwh']} kWh",
            f"Setsubi yoryo: {activity['capacity_kw']} kW  (sample data, fictional)",
        ]
    )


def make_solar(rng: random.Random) -> dict:
    folder = fresh_folder("solar-program")
    write_text(folder / "project.yaml", SOLAR_PROJECT_YAML)
    write_text(folder / "factors.yaml", SOLAR_FACTORS_YAML)
    write_text(folder / "evidence" / "規約.txt", SOLAR_BYLAWS)
    activities = solar_activities(rng)
    readings = solar_readings(rng, activities)
    for activity in activities:  # the plan's estimate: only the typical member's planned values are needed
        typical = activity["id"] == "PV-0027"
        activity["planned_generation_kwh"] = None
        activity["planned_yield_kwh_per_kw"] = 1200 if typical else None  # 岐阜県の標準的な年間発電量
        activity["planned_self_consumption_pct"] = 30 if typical else None  # FIT 住宅の自家消費率の見込み
    write_workbook(
        folder / "activities.xlsx",
        [
            (
                "活動一覧",
                EN_R_002_ACTIVITIES,
                [[a[key] for key, _, _ in EN_R_002_ACTIVITIES] for a in activities],
            ),
        ],
    )
    write_workbook(
        folder / "monitoring" / "2025.xlsx",
        [
            (
                "モニタリング",
                EN_R_002_MONITORING,
                [[r[key] for key, _, _ in EN_R_002_MONITORING] for r in readings],
            ),
        ],
    )
    by_id = {activity["id"]: activity for activity in activities}
    largest = 0
    for reading in readings:
        pdf = meter_slip(reading, by_id[reading["activity_id"]])
        largest = max(largest, len(pdf))
        target = folder / reading["evidence"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
    assert largest < 1024, largest
    generation = sum(r["generation_kwh"] for r in readings)
    sold = sum(r["sold_kwh"] for r in readings)
    return {
        "activities": len(activities),
        "readings": len(readings),
        "generation_kwh": generation,
        "sold_kwh": sold,
        "self_consumption_kwh": generation - sold,
        "capacity_kw": round(sum(a["capacity_kw"] for a in activities), 2),
        "fit": sum(a["fit"] == "はい" for a in activities),
        "battery": sum(a["battery"] == "はい" for a in activities),
        "evidence_files": len(readings),
        "largest_pdf_bytes": largest,
    }


def solar_new_members(rng: random.Random, count: int, first_id: int | None = None) -> list[dict]:
    """`count` good new members of the solar program (jcredit batch), commissioned in FY2025, joined 2026-04;
    numbered from `first_id` (PV-0037 …), or without an ID (the batch gives the next free one)."""
    places = [city for city, (weight, _) in SOLAR_TOWNS.items() for _ in range(weight)]
    members = []
    for number in range(count):
        city = rng.choice(places)
        battery = rng.random() < 0.3
        members.append(
            {
                "id": None if first_id is None else f"PV-{first_id + number:04d}",
                "name": f"{rng.choice(SOLAR_SURNAMES)} {rng.choice(SOLAR_GIVEN)} 様邸",
                "prefecture": "岐阜県",
                "address": city + _street(rng, rng.choice(SOLAR_TOWNS[city][1])),
                "capacity_kw": round(rng.uniform(3.2, 9.8), 2),
                "commissioned_on": random_day(rng, date(2025, 4, 1), date(2026, 2, 28)),
                "household": "はい",
                "fit": "はい" if rng.random() < 0.6 else "いいえ",
                "battery": "はい" if battery else "いいえ",
                **(SOLAR_BATTERY if battery else NO_BATTERY),
                "joined_on": None,
                "planned_generation_kwh": None,
                "planned_yield_kwh_per_kw": 1200,
                "planned_self_consumption_pct": 30,
            }
        )
    return members


def make_new_members(rng: random.Random, folder: Path) -> dict:
    """samples/solar-program/new-members.xlsx: 15 rows for `jcredit batch`: 10 new members and 5 rows with a fault."""
    members = solar_new_members(rng, 5, 37) + solar_new_members(rng, 5)
    bad = [
        {**members[0], "id": None, "name": "日付 誤記 様邸", "commissioned_on": "2025-13-45"},  # no such date
        {
            **members[1],
            "id": None,
            "name": "古川 設置 様邸",
            "commissioned_on": date(2022, 6, 1),
        },  # 2-year rule
        {**members[2], "id": None, "capacity_kw": None, "name": "容量 未記入 様邸"},  # capacity missing
        # PV-0003 渡辺 健一 様邸, 岐阜市岩滝東168番地5, written another way: already in the project
        {**members[3], "id": None, "name": "渡辺　健一", "address": "岐阜市岩滝東１６８－５"},
        {**members[4], "id": None, "name": members[4]["name"].replace(" 様邸", " 様")},  # row 6 again
    ]
    rows = members + bad
    write_workbook(
        folder / "new-members.xlsx",
        [("活動一覧", EN_R_002_ACTIVITIES, [[m[key] for key, _, _ in EN_R_002_ACTIVITIES] for m in rows])],
    )
    return {"rows": len(rows), "bad": len(bad)}


# -- rice-drainage (AG-005) --------------------------------------------------------------------------

RICE_PROJECT_YAML = """\
# J-クレジット プロジェクト入力ファイル（AG-005 水稲栽培における中干し期間の延長、プログラム型）
# サンプル: 大崎地域（大崎市・美里町・涌谷町）の水田 54 筆で中干しを 7 日以上延長するプログラム型プロジェクト。
# 団体名・人名・連絡先・地番はすべて架空です。samples/make_samples.py が書き出します（手で直さないこと）。
schema_version: 1
rules_version: "2025-09"          # 規程の版（係数表と規則の切替え）

project:
  name: 大崎耕土水田中干し延長J-クレジットプロジェクト
  type: program                   # プログラム型
  methodology: {code: AG-005, version: "3.1"}   # 水稲栽培における中干し期間の延長 Ver.3.1
  number: "0928"              # プロジェクト番号（登録時に通知される。架空の番号）
  purpose: >-
    大崎市、遠田郡美里町及び遠田郡涌谷町の水田において、中干しの期間を直近2年間の平均より
    7日以上延長し、湛水期間中の土壌から発生するメタン（CH4）の排出量を削減する。
    中干しの開始・終了は入水口と排水口の操作で管理し、開始時と終了時の写真及び作業日誌で記録する。
    協議会が耕作者の取組を取りまとめ、創出したクレジットの売却益を耕作者への還元と
    水管理の省力化（溝切り機の共同利用など）に充てる。
  outline: 水稲栽培の中干しの期間を直近2年間の平均より7日以上延長し、湛水期間中の土壌から発生するメタン（CH4）の排出量を削減する。
  validation_application_date: 2025-03-10     # 妥当性確認申請日
  registration_application_date: 2025-05-01   # 登録申請日
  monitoring_start_date: 2025-05-01           # モニタリング開始可能日（2025年の作付けから）
  crediting_period:                           # 認証対象期間（開始日から8年を経過する日。2025-09 の規程に2031年3月31日の上限はない）
    start: 2025-05-01
    end: 2033-04-30

proponent:                        # 運営・管理者
  name: 大崎耕土水田メタン削減推進協議会
  name_kana: オオサキコウドスイデンメタンサクゲンスイシンキョウギカイ
  postal_code: "989-6162"
  address: {prefecture: 宮城県, city: 大崎市, street: 古川駅前大通3丁目4-12 農業会館2階}
  representative: {title: 会長, name: 千葉 康弘}
  contact: {name: 及川 理沙, phone: 0229-24-7315, email: nakaboshi-osaki@example.jp}

program:
  grouping_body: 大崎耕土水田メタン削減推進協議会（管内の農協・土地改良区・耕作者で構成）
  grouping_body_kana: オオサキコウドスイデンメタンサクゲンスイシンキョウギカイ
  grouping_body_postal_code: "989-6162"
  grouping_body_address: {prefecture: 宮城県, city: 大崎市, street: 古川駅前大通3丁目4-12 農業会館2階}
  credit_holder: 大崎耕土水田メタン削減推進協議会
  bylaws: evidence/規約.txt       # 参加規約（耕作者は規約と同意書に同意して参加）
  typical_activity: RD-0004       # 代表的な削減活動（別紙 A.3 の算定例）: 1.15 ha、排水不良田、稲わらすき込み、堆肥なし

additionality:
  method: exempt                  # 方法論で追加性の評価が免除されている
  exemption_reason: >-
    方法論 AG-005「水稲栽培における中干し期間の延長」Ver.3.1 では、中干し期間の延長は
    収量・品質の低下リスクと追加の水管理労力を伴う取組であり、追加性の評価を要しないとされている。
  # 以下は参考値: 協議会全体（54 筆、約 64 ha）の取組に要する費用。評価には用いない。
  capex_jpy: 2376000              # 溝切り機 4 台の共同購入費（税込）
  subsidy_jpy: 0
  annual_saving_jpy: 0            # 中干し延長による経費の削減はない
  annual_om_cost_jpy: 864000      # 追加の水管理・見回り労務費（年間）
  sources: >-
    農機販売店の見積書（溝切り機）、協議会事務局による労務費の試算（令和6年度総会資料）

# 追加性評価に必要な情報の入手方法（別紙 A.2 (2)）: 項目ごとに 1 行。
additionality_sources:
  - {item: 設備投資額（溝切り機）, method: 農機販売店の見積書}
  - {item: 年間運転維持費（水管理の労務費）, method: 協議会事務局による労務費の試算（令和6年度総会資料）。全耕作者に同じ単価を仮定する（耕作者ごとの作業時間の記録がないため）}

# 水田（ほ場）ごとの活動と中干しの実績は activities.xlsx に記入します。
activities: {file: activities.xlsx}            # 「活動一覧」シート
drainage_history: {file: activities.xlsx}      # 「中干し実績」シート（2023・2024年の中干し日数）

# モニタリング（2025年度の中干し開始日・終了日・出穂日と写真）は monitoring/2025.xlsx に記入します。

# モニタリング計画（計画書 2.3）: 方法論のモニタリング項目（記号）ごとに 1 行。
# 分類・方法概要・計測機器・担当者は、計画書とモニタリング報告書（B.2）のモニタリング項目の表に載ります。
monitoring_plan:
  - symbol: D_start
    method_class: 記録（作業日誌・写真）
    method: 耕作者が中干しを始めた日（入水口を閉じ、排水口を開けた日）を作業日誌に記入し、同じ日にほ場の写真を撮影して、毎年8月末日までに協議会に提出する。
    owner: 各耕作者（記録）、協議会事務局 及川 理沙（取りまとめ・保管）
    remarks: 写真の撮影日は画像の撮影情報で確認する
  - symbol: D_end
    method_class: 記録（作業日誌・写真）
    method: 耕作者が中干しを終えた日（排水口を閉じ、入水を再開した日）を作業日誌に記入し、同じ日に田面の亀裂が分かる写真を撮影して、毎年8月末日までに協議会に提出する。
    owner: 各耕作者（記録）、協議会事務局 及川 理沙（取りまとめ・保管）
    remarks: 中干し日数が直近2年間の平均より7日以上長いことを協議会事務局が確認する
  - symbol: D_heading
    method_class: 記録（作業日誌）
    method: 耕作者がほ場の茎のおよそ半数で穂が出た日を出穂日として作業日誌に記入し、協議会事務局が農協の生育調査による地域の出穂期と照合する。
    owner: 各耕作者（記録）、協議会事務局 及川 理沙（照合・保管）
    remarks: 中干しの終了日が出穂日より前であることを確認する
  - symbol: A
    method_class: 記録（営農計画書・細目書）
    method: 耕作者が提出する営農計画書と水稲共済細目書の作付面積を協議会事務局が活動一覧に転記し、作付けごとに変更の有無を確認する。
    owner: 協議会事務局 及川 理沙（転記・確認・保管）
    remarks: 面積は ha 単位（小数第2位まで）
  - symbol: P_perc
    method_class: 実測（減水深の計測）
    method: 耕作者が代かき後から田植え後1週間までの間に、降雨のない日に入水口と排水口を閉じて24時間の水位低下を減水深計で読み、読取り前後の写真とともに協議会に提出する。協議会事務局が排水性の区分（排水不良 7.5 mm/日未満、日排除、4時間排除 12.5 mm/日以上）を判定する。
    owner: 各耕作者（計測）、協議会事務局 及川 理沙（区分の判定・保管）
    remarks: 計測の手順は参加規約第6条による
  - symbol: W_straw_out
    method_class: 記録（作業日誌・出荷伝票）
    method: 耕作者が収穫後に持ち出した稲わらの量を作業日誌に記入し、畜産農家等への出荷伝票の重量を 10a 当たりに換算して協議会に提出する。持ち出さない場合は 0 と記入する。
    owner: 各耕作者（記録）、協議会事務局 及川 理沙（換算・保管）
    remarks: すき込んだ量ではなく持ち出した量を記入する
  - symbol: W_compost
    method_class: 記録（作業日誌・納品書）
    method: 耕作者が施用した堆肥の量を作業日誌に記入し、堆肥の納品書の重量を 10a 当たりに換算して協議会に提出する。施用しない場合は 0 と記入する。
    owner: 各耕作者（記録）、協議会事務局 及川 理沙（換算・保管）
    remarks: 堆肥を施用したほ場は算定の堆肥係数を用いる

# 付随的な排出活動（別紙 A.3.2）: 算定式に含まれない排出とその影響度（54 筆の年間の排出削減量 約 280 t-CO2 に対する割合）。
incidental_emissions:
  - scenario: project
    source: 排水不良田の中干しに用いる可搬式エンジンポンプの燃料（ガソリン）
    amount_kg_per_year: 180
    impact_pct: 0.06
    method: 低地の排水不良田 約 8 筆 × 延べ 約 12 h × 0.8 L/h ≒ ガソリン 77 L/年 × 2.32 kg-CO2/L で推計。影響度が小さいため算定の対象外とする。
    counted: false
  - scenario: project
    source: 延長した中干し期間の見回りの車両（軽トラック、ガソリン）
    amount_kg_per_year: 220
    impact_pct: 0.08
    method: 耕作者 28 者 × 追加の見回り 約 5 回 × 往復 約 10 km ÷ 15 km/L ≒ ガソリン 93 L/年 × 2.32 kg-CO2/L で推計。影響度が小さいため算定の対象外とする。
    counted: false

# モニタリング報告（報告書の表紙と B.4）。モニタリング期間は読取値から求めるため記入しません。
monitoring_report:
  report_date: 2025-11-21         # 報告日（2025年の作付けのモニタリング報告書）
  deviations: 登録した計画からの変更はない。54 筆すべてについて、中干しの開始時と終了時の写真及び作業日誌（出穂日を含む）の提出を受けた。

# 他制度・補助金との関係（計画書 4）: 二重計上がないことの確認。
double_counting:
  other_scheme: false              # 同じ削減活動を他のクレジット制度・証書制度に登録していない
  non_fossil_certificate: false    # 同じ電力に非化石証書は発行されていない
  subsidies: なし（中干し延長に係る補助金は受けていない）
  subsidy_claims_environmental_value: false   # 補助金の交付条件に CO2 削減価値の帰属の定めはない
"""

RICE_FACTORS_YAML = """\
# 係数の追加・上書き（このプロジェクトだけに適用）。このサンプルは同梱の係数表だけで算定します。
# 宮城県の稲わら生産量は同梱の表 ag005_straw_production の 649.2 kg/10a（第三者資料:
# seima-osako/rice-ch4-simulator の rice_ch4_params.py）、メタンの地球温暖化係数は同梱の表 gwp の
# AG-005 Ver.3.1 の行を使います。方法論の公式の値で確認したら、ここに同じキーの行を書いて上書きします。例:
# gwp:
#   - {methodology: AG-005, version: "3.1", gas: CH4, value: 25, unit: t-CO2/t,
#      source: "方法論 AG-005 Ver.3.1 の該当箇所（文書名・版・ページ）", status: verified}
"""

RICE_BYLAWS = """\
大崎耕土水田中干し延長J-クレジットプロジェクト 参加規約

第1条（目的）この規約は、大崎耕土水田メタン削減推進協議会（以下「協議会」という。）が運営・管理する大崎耕土水田中干し延長J-クレジットプロジェクト（以下「本プロジェクト」という。）への参加に関し必要な事項を定める。
第2条（参加資格）本プロジェクトに参加できる者は、大崎市、遠田郡美里町又は遠田郡涌谷町の水田で水稲を作付けし、直近2年以上の中干しの実績（開始日・終了日）を作業日誌等で示すことのできる耕作者（法人を含む）とする。
第3条（参加手続）参加を希望する者は、参加申込書、同意書、ほ場ごとの作付面積が分かる書類（水稲共済細目書異動申告票等）の写し及び過去の作業日誌の写しを協議会に提出する。
第4条（取組の内容）参加者は、登録したほ場において、中干しの期間を直近2年間の平均より7日以上延長し、出穂日の前に中干しを終える。
第5条（記録）参加者は、中干しの開始時及び終了時にほ場の写真を撮影し、田植え、中干しの開始・終了及び出穂の日を作業日誌に記録して、毎年8月末日までに協議会に提出する。
第6条（日減水深の測定）参加者は、代かき後から田植え後1週間までの間に、協議会の定める方法で日減水深を測定し報告する。
第7条（環境価値の帰属）参加者は、本プロジェクトにより削減されたメタンの環境価値を協議会に帰属させることに同意する。協議会はこれをJ-クレジットとして認証を受け、保有する。
第8条（二重登録の禁止）参加者は、登録したほ場について、他のJ-クレジットプロジェクトその他の類似制度に重複して参加してはならない。
第9条（収益の配分）協議会は、クレジットの売却益から運営費及び審査費用を控除した額を、取組面積に応じて参加者に配分する。
第10条（退会）参加者は、書面により届け出ることにより退会できる。退会の年の作付けに係る環境価値の取扱いは協議会が定める。
附則 この規約は、2025年3月1日から施行する。
"""

# (name, number of fields, home municipality, 大字)
RICE_FARMERS = [
    ("農事組合法人 古川西部営農組合", 5, "大崎市", "古川福沼"),
    ("農事組合法人 田尻あさひファーム", 4, "大崎市", "田尻沼部"),
    ("株式会社 涌谷アグリサービス", 4, "遠田郡涌谷町", "太田"),
    ("株式会社 みさと穂波農園", 3, "遠田郡美里町", "北浦"),
    ("佐藤 健一", 3, "大崎市", "古川飯川"),
    ("高橋 正男", 2, "大崎市", "古川清水"),
    ("千葉 和夫", 3, "遠田郡美里町", "中埣"),
    ("阿部 俊彦", 2, "大崎市", "三本木蒜袋"),
    ("鈴木 勝", 1, "大崎市", "古川桜ノ目"),
    ("伊藤 幸子", 1, "大崎市", "古川大崎"),
    ("菅原 浩", 2, "遠田郡涌谷町", "小里"),
    ("渡辺 清", 1, "大崎市", "田尻大嶺"),
    ("及川 孝志", 2, "遠田郡美里町", "練牛"),
    ("小野寺 誠", 1, "遠田郡涌谷町", "成沢"),
    ("遠藤 光男", 2, "大崎市", "鹿島台広長"),
    ("今野 秀一", 1, "大崎市", "古川長岡"),
    ("斎藤 隆", 1, "遠田郡美里町", "二郷"),
    ("後藤 恵美子", 1, "大崎市", "田尻蕪栗"),
    ("加藤 昭", 2, "大崎市", "古川新田"),
    ("大友 良平", 1, "遠田郡涌谷町", "猪岡短台"),
    ("早坂 直人", 2, "遠田郡美里町", "青生"),
    ("門脇 哲也", 1, "大崎市", "古川渋井"),
    ("猪股 茂", 1, "大崎市", "三本木蟻ケ袋"),
    ("尾形 実", 2, "遠田郡涌谷町", "太田"),
    ("庄司 和子", 1, "大崎市", "古川小泉"),
    ("相澤 伸一", 1, "遠田郡美里町", "北浦"),
    ("佐々木 博文", 2, "大崎市", "田尻沼部"),
    ("熊谷 修", 2, "大崎市", "古川福浦"),
]
RICE_AZA = [
    "前田",
    "川原",
    "新田",
    "中島",
    "下谷地",
    "八幡",
    "南沢",
    "北原",
    "西浦",
    "東田",
    "大道下",
    "沖",
    "蓮沼",
    "柳原",
    "堰下",
    "四反田",
    "五反田",
    "上谷地",
    "鴻ノ巣",
    "袋",
]
RICE_VARIETIES = ["ひとめぼれ", "ひとめぼれ", "ササニシキ", "つや姫", "だて正夢", "金のいぶき"]


def _half(value: float) -> float:
    return round(value * 2) / 2


def rice_activities(rng: random.Random) -> tuple[list[dict], list[dict]]:
    fields: list[dict] = []
    history: list[dict] = []
    for farmer, count, city, oaza in RICE_FARMERS:
        company = "法人" in farmer or "株式会社" in farmer
        aza_choices = rng.sample(RICE_AZA, 3)
        for _ in range(count):
            fields.append(
                {
                    "farmer": farmer,
                    "city": city,
                    "oaza": oaza,
                    "company": company,
                    "aza": rng.choice(aza_choices),
                }
            )
    assert len(fields) == 54, len(fields)
    rng.shuffle(fields)
    # Drainage classes: many heavy-clay paddies drain poorly in 大崎; a mix of all three.
    classes = ["poor"] * 21 + ["day"] * 19 + ["fast"] * 14
    rng.shuffle(classes)
    activities = []
    for number, (field, drainage_class) in enumerate(zip(fields, classes), start=1):
        identifier = f"RD-{number:04d}"
        area = round(rng.uniform(1.0, 2.8) if field["company"] else rng.uniform(0.25, 1.6), 2)
        percolation = {
            "poor": rng.uniform(4.0, 7.3),
            "day": rng.uniform(7.7, 12.3),
            "fast": rng.uniform(12.7, 22.0),
        }[drainage_class]
        straw_draw = rng.random()
        if straw_draw < 0.68:
            straw = 0
        elif straw_draw < 0.9:
            straw = rng.randrange(200, 401, 10)
        else:
            straw = rng.randrange(680, 701, 5)
        compost = round(rng.uniform(0.5, 1.5), 1) if rng.random() < 0.25 else 0
        baseline = _half(rng.uniform(8.0, 14.0))
        if baseline == int(baseline):
            spread = rng.choice((0, 1, 1, 2))
            days = [int(baseline) - spread, int(baseline) + spread]
        else:
            days = [int(baseline), int(baseline) + 1]
        rng.shuffle(days)
        start = random_day(rng, date(2025, 6, 22), date(2025, 7, 6))
        length = rng.randint(
            int(baseline + 8 + 0.5), int(baseline + 16)
        )  # baseline + 8 ... baseline + 16 days
        end = start + timedelta(days=length)
        heading = max(random_day(rng, date(2025, 8, 2), date(2025, 8, 15)), end + timedelta(days=7))
        variety = rng.choice(RICE_VARIETIES)
        lot = f"{rng.randint(1, 420)}" + (f"-{rng.randint(1, 6)}" if rng.random() < 0.3 else "")
        activity = {
            "id": identifier,
            "farmer": field["farmer"],
            "prefecture": "宮城県",
            "field_address": f"{field['city']}{field['oaza']}字{field['aza']}{lot}",
            "area_ha": area,
            "percolation_mm_per_day": round(percolation, 1),
            "straw_removed_kg_per_10a": straw,
            "compost_t_per_10a": compost,
            "baseline_drainage_days": baseline,
            "drainage_start": start,
            "drainage_end": end,
            "heading_date": heading,
            "variety": variety,
        }
        activities.append(activity)
        for year, drained in zip((2023, 2024), days):
            past_start = random_day(rng, date(year, 6, 24), date(year, 7, 5))
            history.append(
                {
                    "activity_id": identifier,
                    "year": year,
                    "drainage_days": drained,
                    "evidence": f"evidence/diary/{identifier}_{year}.txt",
                    "start": past_start,
                    "end": past_start + timedelta(days=drained),
                    "planting": random_day(rng, date(year, 5, 8), date(year, 5, 22)),
                    "heading": random_day(rng, date(year, 8, 1), date(year, 8, 12)),
                }
            )
        assert sum(days) / 2 == baseline
        assert length - baseline >= 8 and heading > end
    return activities, history


def _jp(day: date) -> str:
    return f"{day.month}月{day.day}日"


def farm_diary(activity: dict, record: dict, rng: random.Random) -> str:
    reiwa = record["year"] - 2018
    weather = rng.choice(["晴れ", "曇り", "晴れ時々曇り", "小雨"])
    return (
        f"作業日誌 {record['year']}年（令和{reiwa}年）\n"
        f"ほ場: {activity['id']} {activity['field_address']}（{activity['area_ha']} ha） 品種: {activity['variety']}\n"
        f"耕作者: {activity['farmer']}\n"
        f"{_jp(record['planting'] - timedelta(days=rng.randint(3, 6)))} 代かき\n"
        f"{_jp(record['planting'])} 田植え\n"
        f"{_jp(record['start'])} 中干し開始（入水口を閉じ、排水口を開放）天気: {weather}\n"
        f"{_jp(record['start'] + timedelta(days=rng.randint(3, 5)))} 溝切り、田面に小ひび割れ\n"
        f"{_jp(record['end'])} 中干し終了（排水口を閉じ、入水再開） 中干し {record['drainage_days']} 日間\n"
        f"{_jp(record['heading'])} 出穂\n"
    )


def make_rice(rng: random.Random) -> dict:
    folder = fresh_folder("rice-drainage")
    write_text(folder / "project.yaml", RICE_PROJECT_YAML)
    write_text(folder / "factors.yaml", RICE_FACTORS_YAML)
    write_text(folder / "evidence" / "規約.txt", RICE_BYLAWS)
    activities, history = rice_activities(rng)
    for activity in activities:  # the plan's estimate: only the typical field's planned extension is needed
        activity["planned_extension_days"] = 7 if activity["id"] == "RD-0004" else None
    monitoring = [
        {
            "activity_id": a["id"],
            "fiscal_year": 2025,
            "drainage_start": a["drainage_start"],
            "drainage_end": a["drainage_end"],
            "heading_date": a["heading_date"],
            "photo_start": f"evidence/photos/{a['id']}_start.png",
            "photo_end": f"evidence/photos/{a['id']}_end.png",
        }
        for a in activities
    ]
    write_workbook(
        folder / "activities.xlsx",
        [
            (
                "活動一覧",
                AG_005_ACTIVITIES,
                [[a[key] for key, _, _ in AG_005_ACTIVITIES] for a in activities],
            ),
            ("中干し実績", AG_005_HISTORY, [[h[key] for key, _, _ in AG_005_HISTORY] for h in history]),
        ],
    )
    write_workbook(
        folder / "monitoring" / "2025.xlsx",
        [
            (
                "モニタリング",
                AG_005_MONITORING,
                [[m[key] for key, _, _ in AG_005_MONITORING] for m in monitoring],
            ),
        ],
    )
    by_id = {activity["id"]: activity for activity in activities}
    for record in history:
        write_text(folder / record["evidence"], farm_diary(by_id[record["activity_id"]], record, rng))
    for row in monitoring:
        shade = rng.randint(-12, 12)
        sky = (150 + shade, 190 + shade, 225)
        water = (112 + shade, 104 + shade, 78 + shade)  # flooded paddy at drainage start
        cracked = (128 + shade, 142 + shade, 70 + shade)  # drained, cracked soil between green rows
        for key, ground in (("photo_start", water), ("photo_end", cracked)):
            target = folder / row[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(photo_png(sky, ground))
    return {
        "activities": len(activities),
        "history_rows": len(history),
        "monitoring_rows": len(monitoring),
        "area_ha": round(sum(a["area_ha"] for a in activities), 2),
        "percolation_classes": {
            "<7.5": sum(a["percolation_mm_per_day"] < 7.5 for a in activities),
            "7.5-12.5": sum(7.5 <= a["percolation_mm_per_day"] < 12.5 for a in activities),
            ">=12.5": sum(a["percolation_mm_per_day"] >= 12.5 for a in activities),
        },
        "farmers": len({a["farmer"] for a in activities}),
        "extra_days_min": min(
            (a["drainage_end"] - a["drainage_start"]).days - a["baseline_drainage_days"] for a in activities
        ),
        "diaries": len(history),
        "photos": 2 * len(monitoring),
    }


BROKEN_PROJECT = """\
# J-クレジット プロジェクト入力ファイル（EN-R-002 太陽光発電設備の導入、プログラム型）
# 誤りの例: README の `jcredit validate samples/broken-project` の出力は EXPECTED.txt（英語は EXPECTED.en.txt）。
# わざと 3 つの誤りと 1 つの書き直しを入れてあります。直さないこと。samples/make_samples.py が書き出します。
# An example with errors on purpose (README, tests/test_cli.py): do not fix it.
schema_version: 1
rules_version: "2025-09"

project:
  name: 誤りのある例（住宅用太陽光発電）
  type: program
  methodology: {code: EN-R-002, version: "3.0"}
  registration_application_date: 2025-04-01
  monitoring_start_date: 2025-04-01

additionality:
  method: household

# 運営・管理者
proponent:
  name: 例示市エネルギー協議会
  name_kana: レイジシエネルギーキョウギカイ
  representative: {title: 会長, name: 例示 太郎}
  contact: {name: 例示 花子, phone: 058-000-0000, email: example@example.jp}
  address: {prefecture: 岐阜県, city: 岐阜市, street: 例示町1-1}
  # 誤り: 郵便番号は 123-4567 の形式
  postal_code: "50085"

activities: {file: activities.xlsx}
"""


def make_broken() -> Path:
    """samples/broken-project: the README's example of what validate reports (3 errors, 1 warning)."""
    folder = HERE / "broken-project"  # not emptied: EXPECTED*.txt are written by hand, not by this script
    write_text(folder / "project.yaml", BROKEN_PROJECT)
    columns = EN_R_002_ACTIVITIES[:8]
    rows = [
        ["PV-0001", "例示 一郎 様邸", "岐阜県", "岐阜市例示町1-2", 4.5, date(2024, 5, 1), "はい", "はい"],
        [
            "PV-0002",
            "例示 二郎 様邸",
            "岐阜県",
            "岐阜市例示町3-4",
            "abc",
            date(2024, 7, 12),
            "はい",
            "いいえ",
        ],
        ["PV-0003", "例示 三郎 様邸", "岐阜県", "岐阜市例示町5-6", 3.8, date(2024, 9, 30), "はい", "はい"],
    ]
    write_workbook(folder / "activities.xlsx", [("活動一覧", columns, rows)])
    readings = [
        ("activity_id", "活動ID", "text"),
        ("period_start", "期間開始", "date"),
        ("period_end", "期間終了", "date"),
        ("generation_kwh", "発電量(kWh)", "text"),
        ("sold_kwh", "売電量(kWh)", "int"),
        ("evidence", "証憑", "text"),
    ]
    april, may = (date(2025, 4, 1), date(2025, 4, 30)), (date(2025, 5, 1), date(2025, 5, 31))
    rows = [
        ["PV-0001", *april, "５３１", 320, "evidence/PV-0001_2025-04.pdf"],
        ["PV-0002", *april, 610, 402, "evidence/PV-0002_2025-04.pdf"],
        ["PV-0003", *april, 455, 250, "evidence/PV-0003_2025-04.pdf"],
        ["PV-0001", *may, 979, 99999, "evidence/PV-0001_2025-05.pdf"],
    ]
    write_workbook(folder / "monitoring/2025.xlsx", [("モニタリング", readings, rows)])
    return folder


def main() -> None:
    check_labels()
    solar = make_solar(random.Random(SEED))
    solar["new_members"] = make_new_members(random.Random(SEED + 2), HERE / "solar-program")
    rice = make_rice(random.Random(SEED + 1))
    print("solar-program:", solar)
    print("rice-drainage:", rice)
    print("broken-project:", make_broken())


if __name__ == "__main__":
    main()
