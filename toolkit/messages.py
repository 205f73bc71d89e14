"""The message catalogue: one Japanese and one English text per key, for every text a user reads.

Keys without a prefix are problem messages; check.* and fix.* say what a checklist finding is and how to
fix it; report.* are the words of the calc and factors text, checklist.* those of the readiness checklist.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Mapping

LANGS = ("ja", "en")

TYPE_NAMES = {
    "string": {"ja": "文字列", "en": "text"},
    "integer": {"ja": "整数", "en": "a whole number"},
    "decimal": {"ja": "数値", "en": "a number"},
    "date": {"ja": "日付（例 2025-04-01）", "en": "a date (e.g. 2025-04-01)"},
    "boolean": {"ja": "はい/いいえ", "en": "yes/no"},
    "dict": {"ja": "項目の集まり（キー: 値）", "en": "a mapping (key: value)"},
    "list": {"ja": "一覧（- で始まる行）", "en": "a list"},
}

TEMPLATES: dict[str, tuple[str, str]] = {
    # schema rules
    "type": ("{expected}が必要ですが{found}でした", "expected {expected}, found {found}"),
    "allowed": (
        "{choices}のいずれかが必要ですが{found}でした{hint}",
        "expected one of {choices}, found {found}{hint}",
    ),
    "min": ("{limit}以上が必要ですが{found}でした", "expected a value of at least {limit}, found {found}"),
    "max": ("{limit}以下が必要ですが{found}でした", "expected a value of at most {limit}, found {found}"),
    "minlength": (
        "{limit}文字以上が必要ですが{length}文字でした",
        "expected at least {limit} characters, found {length}",
    ),
    "maxlength": (
        "{limit}文字以内が必要ですが{length}文字でした",
        "expected at most {limit} characters, found {length}",
    ),
    "regex": ("形式「{pattern}」が必要ですが{found}でした", "expected the pattern {pattern}, found {found}"),
    "format": ("「{example}」形式が必要ですが{found}でした", "expected the form {example}, found {found}"),
    "not_before": (
        "{other}（{other_value}）以降の日付が必要ですが{found}でした",
        "expected a date on or after {other} ({other_value}), found {found}",
    ),
    "not_above": (
        "{other}（{other_value}）以下が必要ですが{found}でした",
        "expected at most {other} ({other_value}), found {found}",
    ),
    "fiscal_year": (
        "2013〜2100 の年度（西暦）が必要ですが{found}でした",
        "expected a fiscal year from 2013 to 2100, found {found}",
    ),
    "methodology": (
        "対応する方法論番号が必要ですが{found}でした{hint}。対応: {known}",
        "expected a supported methodology code, found {found}{hint}. Supported: {known}",
    ),
    "methodology_version": (
        "{code} の版 {known} のいずれかが必要ですが{found}でした",
        "expected a version of {code} among {known}, found {found}",
    ),
    "path_absolute": (
        "プロジェクトフォルダ内の相対パスが必要ですが絶対パス{found}でした",
        "expected a path relative to the project folder, found the absolute path {found}",
    ),
    # the command line's own words (usage errors, internal errors)
    "cli.init_rules": (
        "規程の版は同梱の最新 {rules}（{label}、状態: {status}）にしました。{file} の rules_version で変えられます",
        "rules version set to the newest shipped, {rules} ({label}; status: {status}); change it with rules_version in {file}",
    ),
    "gwp_needs_version": (
        "{code} の地球温暖化係数（GWP）は方法論の版ごとに決まるため、方法論の版が必要です",
        "the global warming potential of {code} depends on the methodology version: the version is needed",
    ),
    "start_out_of_range": (
        "開始日 {found} では認証対象期間が制度の年度（{first}〜{last}年度）に収まりません",
        "with a start on {found} the crediting period falls outside the scheme's fiscal years (FY{first} to FY{last})",
    ),
    "cli.start_form": (
        "2013年度〜2100年度の日付（例 2025-04-01）が必要ですが「{found}」でした",
        "expected a date in FY2013 to FY2100 such as 2025-04-01, found '{found}'",
    ),
    "cli.plan_estimate": (
        "排出削減見込量（計画値による見込み。モニタリングデータは用いていません）",
        "Estimated reductions (from the planned inputs; no monitoring data is used)",
    ),
    "cli.plan_represented": (
        "プログラム型: 代表的な削減活動 {activity} の見込みを {count} 件分として合計しています",
        "program: the totals count the typical activity {activity}'s estimate {count} times",
    ),
    "cli.rows_to_add": (
        "factors.yaml に次の行を加え、value と source を記入してください（公式の値と照合したら status: verified）:",
        "add these rows to factors.yaml and fill in value and source (status: verified once checked against the official table):",
    ),
    "cli.internal_error": (
        "内部エラー: {error}（-v で詳細を表示）",
        "Internal error: {error} (-v shows the traceback)",
    ),
    "cli.period_form": (
        "期間は START:END（開始:終了）の日付で指定してください（例 2025-04-01:2026-03-31）",
        "expected START:END as dates, e.g. 2025-04-01:2026-03-31",
    ),
    "cli.period_order": (
        "開始（START）は終了（END）より前の日付にしてください",
        "START must not be after END",
    ),
    "cli.formats": (
        "形式は {known} から選んでください（指定: {given}）",
        "expected some of {known}, found {given}",
    ),
    "cli.document_kind": (
        "書類は {known} のいずれかです（指定: {given}）",
        "expected one of {known}, found {given}",
    ),
    "cli.xlsx_needs_output": ("xlsx 形式には -o でファイルを指定してください", "--format xlsx needs -o FILE"),
    "cli.interrupted": ("中断しました", "interrupted"),
    "cli.aborted": ("中止しました", "aborted"),
    "cli.file_unreadable": ("{path} を読めません（{reason}）", "cannot read {path} ({reason})"),
    "cli.not_regular": (
        "通常のファイルが必要ですが {path} は{kind}です（ファイルに保存してから指定してください）",
        "expected a regular file, {path} is {kind} (save it to a file first)",
    ),
    "cli.kind.folder": ("フォルダ", "a folder"),
    "cli.kind.pipe": ("パイプ（FIFO）", "a pipe (FIFO)"),
    "cli.kind.device": ("デバイス", "a device"),
    "cli.kind.socket": ("ソケット", "a socket"),
    "cli.kind.other": ("通常のファイル以外", "not a regular file"),
    # click's usage errors, in --lang
    "cli.usage.try": ("詳しくは「{command} --help」を見てください。", "Try '{command} --help' for help."),
    "cli.usage.error": ("エラー: {message}", "Error: {message}"),
    "cli.usage.no_such_option": ("オプション {option} はありません{hint}", "no such option {option}{hint}"),
    "cli.usage.did_you_mean": ("（{close} のことですか）", " (did you mean {close}?)"),
    "cli.usage.missing_option": ("オプション {option} を指定してください", "missing option {option}"),
    "cli.usage.missing_argument": ("{argument} を指定してください", "missing argument {argument}"),
    "cli.usage.needs_value": ("オプション {option} には値が必要です", "option {option} needs a value"),
    "cli.usage.takes_no_value": (
        "オプション {option} は値をとりません",
        "option {option} does not take a value",
    ),
    "cli.usage.no_such_command": (
        "コマンド「{command}」はありません。コマンド: {known}",
        "no such command '{command}'; the commands are {known}",
    ),
    "cli.usage.extra_arguments": ("余分な引数があります: {extra}", "unexpected extra arguments: {extra}"),
    "cli.usage.choice": (
        "{choices} のいずれかが必要ですが{found}でした",
        "expected one of {choices}, found {found}",
    ),
    # --help: headings and each option's help (shown as 「ja / en」)
    "cli.heading.usage": ("使い方", "Usage"),
    "cli.heading.options": ("オプション", "Options"),
    "cli.heading.commands": ("コマンド", "Commands"),
    "cli.heading.examples": ("例", "Examples"),
    "cli.help.help": ("この説明を表示して終了", "show this message and exit"),
    "cli.help.version": ("版を表示して終了", "show the version and exit"),
    "cli.help.verbose": (
        "詳しく表示（内部エラーのトレースバックも）",
        "more detail (tracebacks of internal errors)",
    ),
    "cli.help.quiet": ("表示を減らす（警告を省く）", "less output (no warnings)"),
    "cli.help.lang": (
        "メッセージの言語（既定 ja、または環境変数 JCREDIT_LANG）",
        "language of messages (default ja, or $JCREDIT_LANG)",
    ),
    "cli.help.output_format": ("出力の形式", "report format"),
    "cli.help.monitoring": (
        "プロジェクトの monitoring/ の代わりに使う読取値のファイル（通常のファイル）",
        "readings file to use instead of the project's monitoring/ (a regular file)",
    ),
    "cli.help.period": (
        "報告期間 START:END（片方は空でも可。例 2025-04-01:2026-03-31）",
        "report period START:END, either side may be empty (e.g. 2025-04-01:2026-03-31)",
    ),
    "cli.help.calc.detail": (
        "JSON に各数値の式・入力・係数行を加える（監査用）",
        "JSON: each figure's formula, inputs and factor rows, for audit",
    ),
    "cli.help.calc.planned": (
        "計画値による見込み（見込量）を認証対象期間の年度ごとに算定する",
        "the plan's estimate (見込量) from the planned inputs, per fiscal year of the crediting period",
    ),
    "cli.help.render.outdir": (
        "出力フォルダ（manifest.json に入力と出力を記録。プロジェクトの入力フォルダの中は不可）",
        "output folder (manifest.json records inputs and outputs; not inside the project's input folders)",
    ),
    "cli.help.render.formats": (
        "形式をカンマ区切りで: pdf, docx, xlsx から（既定はすべて）",
        "comma-separated formats among pdf, docx, xlsx (default all three)",
    ),
    "cli.help.render.final": (
        "必須項目が空のうちは出力しない（【未記入】の印のない完成版）",
        "refuse while a required field is empty (no draft markers)",
    ),
    "cli.help.render.force": (
        "フォルダにある前回の出力を置き換える",
        "replace outputs of an earlier render in the folder",
    ),
    "cli.help.check.stage": (
        "registration（妥当性確認・登録）または verification（検証・認証）",
        "registration (validation and registration) or verification (verification and certification)",
    ),
    "cli.help.check.output_format": ("出力の形式（xlsx は -o が必要）", "report format (xlsx needs -o)"),
    "cli.help.check.output": ("報告をこのファイルに書く", "write the report to this file"),
    "cli.help.check.force": ("-o のファイルがあれば上書きする", "overwrite the -o file if it exists"),
    "cli.help.factors.rules_version": (
        "この規程の版の切替だけを表示",
        "show the switches of this rules version only",
    ),
    "cli.help.init.code": ("方法論番号（例 EN-R-002）", "methodology code, e.g. EN-R-002"),
    "cli.help.init.project_type": (
        "standard（通常型: 実施者自身の設備）または program（プログラム型: 多数の会員の活動）",
        "standard (one proponent's own installations) or program (many members' activities)",
    ),
    "cli.help.init.start": (
        "登録申請の予定日（factors.yaml の年度を決める。既定は今日）",
        "planned registration application date (sets the fiscal years of factors.yaml; default today)",
    ),
    "cli.help.init.excel": (
        "project.yaml と factors.yaml の代わりに project.xlsx（計画書の項目・表・係数をシートに）を書く",
        "write project.xlsx (plan fields, tables and factors as sheets) instead of project.yaml and factors.yaml",
    ),
    "cli.help.init.force": ("init が書くファイルがあっても上書きする", "overwrite files init would write"),
    "path_control": (
        "ファイルのパスが必要ですが{found}には制御文字が含まれています",
        "expected a file path, found {found}, which holds a control character",
    ),
    "path_escapes": (
        "プロジェクトフォルダ内のパスが必要ですが{found}はフォルダの外を指しています",
        "expected a path inside the project folder, found {found}, which leads outside it",
    ),
    "symlink_escapes": (
        "プロジェクトフォルダ内のファイルが必要ですが{found}はフォルダ外へのシンボリックリンクです",
        "expected a file inside the project folder, found {found}, a symbolic link to outside it",
    ),
    "unknown_field": ("未知の項目です{hint}", "unknown key{hint}"),
    "nullable": ("値が必要ですが空欄でした", "expected a value, found an empty cell"),
    "duplicate_id": (
        "一意の活動IDが必要ですが{found}は{first}と重複しています",
        "expected a unique activity ID, found {found}, already used at {first}",
    ),
    "unknown_activity": (
        "活動一覧にある活動IDが必要ですが{found}は活動一覧にありません",
        "expected an activity ID from the activity list, found {found}, which is not in it",
    ),
    # reading files
    "no_project_file": (
        "プロジェクトファイル（project.yaml または project.xlsx）が必要ですが{found}にはありません",
        "expected a project file (project.yaml or project.xlsx), found none in {found}",
    ),
    "file_not_found": ("ファイルが必要ですが見つかりません", "expected a file here, found none"),
    "not_readable": (
        "読み込めるファイルが必要ですが読み込めませんでした（{reason}）",
        "expected a readable file, could not read it ({reason})",
    ),
    "yaml_syntax": ("YAML の書式誤り: {problem}", "YAML syntax error: {problem}"),
    "yaml_too_large": (
        "{limit} 要素以内の YAML が必要ですが、それを超えました（別名 * の展開を含む）",
        "expected a YAML file of at most {limit} elements (aliases expanded), found more",
    ),
    "yaml_too_deep": ("入れ子が深すぎる YAML です", "the YAML is nested too deeply"),
    "not_utf8": (
        "UTF-8 で保存したファイルが必要ですが、{encoding} のようです。UTF-8 で保存し直してください",
        "expected a file saved as UTF-8, found what looks like {encoding}; save it as UTF-8",
    ),
    "yaml_duplicate_key": (
        "キー「{key}」は {first} 行目にもあります（後の値は無視されません。一つにしてください）",
        "key '{key}' also appears on line {first}; keep only one",
    ),
    "yaml_key_empty": (
        "キーが空です（「: 値」の前に項目名を書いてください）",
        "a key is empty (write the field's name before ': value')",
    ),
    "yaml_key_dotted": (
        "キー「{key}」に「.」は使えません（入れ子にして {nested} と書いてください）",
        "key '{key}' cannot contain '.' (nest it instead: {nested})",
    ),
    "key_malformed": (
        "キー「{key}」は「project.name」のような . 区切りの項目名が必要です（空の部分があります）",
        "key '{key}' must be a dotted field name such as project.name (a part of it is empty)",
    ),
    "project_empty": (
        "プロジェクトの内容が必要ですが、{found}には何も書かれていません（jcredit init で雛形を作れます）",
        "expected the project's details, found nothing in {found} (jcredit init writes a starting point)",
    ),
    "methodology_needed_for_tables": (
        "方法論番号がないため {tables} の行は検査していません（project.methodology.code に例 EN-R-002 を書いてください）",
        "the rows of {tables} not checked: there is no methodology code (write one such as EN-R-002 in "
        "project.methodology.code)",
    ),
    "yaml_top_level": (
        "キー: 値 の形式のファイルが必要ですが{found}でした",
        "expected a file of key: value entries, found {found}",
    ),
    "table_ref": (
        "一覧（- で始まる行）か {{file: ファイル名}} が必要ですが{found}でした",
        "expected a list of rows or {{file: name}}, found {found}",
    ),
    "row_not_mapping": (
        "1行分の項目（キー: 値）が必要ですが{found}でした",
        "expected one row of key: value entries, found {found}",
    ),
    "not_xlsx": (
        "Excel ブック（.xlsx）が必要ですが{found}でした{advice}",
        "expected an Excel workbook (.xlsx), found {found}{advice}",
    ),
    "xlsx_too_large": (
        "{limit_mb} MB 以下のブックが必要ですが{size_mb} MB でした",
        "expected a workbook of at most {limit_mb} MB, found {size_mb} MB",
    ),
    "xlsx_unpacked_too_large": (
        "展開後 {limit_mb} MB 以下のブックが必要ですが{size_mb} MB でした",
        "expected a workbook of at most {limit_mb} MB unpacked, found {size_mb} MB",
    ),
    "xlsx_too_many_cells": (
        "シートは {limit} セル以内が必要ですが{found}セルありました{cell}",
        "expected a sheet of at most {limit} cells, found {found}{cell}",
    ),
    "xlsx_too_many_rows": (
        "シートは {limit} 行以内が必要ですが{found}行ありました{cell}",
        "expected a sheet of at most {limit} rows, found {found}{cell}",
    ),
    "sheet_missing": (
        "シート「{sheet}」が必要ですが見つかりません（あるシート: {found}）",
        "expected a sheet named '{sheet}', found only: {found}",
    ),
    "column_missing": (
        "列「{column}」（{key}）が必要ですが見つかりません（1行目の見出し: {found}）",
        "expected a column '{column}' ({key}), not found among the headers in row 1: {found}",
    ),
    "column_duplicate": (
        "列「{column}」が二つあります（{first} と重複）",
        "column '{column}' appears twice (also {first})",
    ),
    "column_unknown": ("未知の列「{column}」は無視しました{hint}", "ignored unknown column '{column}'{hint}"),
    "formula_no_value": (
        "計算結果が保存された値が必要ですが、数式 {formula} に保存値がありません（Excel で開いて保存し直してください）",
        "expected a stored value, found the formula {formula} with none (open and save it in Excel)",
    ),
    "cell_error": (
        "値が必要ですが Excel のエラー値 {formula} でした（元の数式を直してください）",
        "expected a value, found the Excel error {formula} (fix the formula behind it)",
    ),
    "project_file_ambiguous": (
        "{used} を使い、{ignored} は読みませんでした（どちらか一つにしてください）",
        "used {used} and ignored {ignored} (keep only one)",
    ),
    "key_conflict": (
        "この項目と {other} が重なっています（値と下位項目の両方は書けません）",
        "this key collides with {other} (a value and sub-keys cannot both be given)",
    ),
    "table_not_found": (
        "一覧「{sheet}」（{key}）が見つかりません（既定の場所: {file}、または project.yaml の {key}: で指定）",
        "the table '{sheet}' ({key}) was not found (default place: {file}, or name it with {key}: in project.yaml)",
    ),
    "empty_row": ("空の行を読み飛ばしました", "skipped an empty row"),
    "id_missing": (
        "この行にはデータがありますが ID が空欄です（ID のない行は集計から漏れます。ID を入力してください）",
        "this row holds data but no ID (a row without one would be left out of every total; enter the ID)",
    ),
    "cell_not_a_date": (
        "日付の書式のセルに日付になりえない数値{found}があります（セルの書式を「標準」にするか、日付を入力してください）",
        "a cell formatted as a date holds {found}, which no date can be (set its format to General or enter a "
        "date)",
    ),
    "merged_cells": (
        "結合されたセル {cells} は読めません（先頭のセル以外は空欄として読まれます）。結合を解除し、各行に値を入力してください",
        "merged cells {cells} cannot be read (all but the first would read as blank); unmerge them and enter "
        "the value in every row",
    ),
    # normalisation errors
    "not_a_number": ("数値が必要ですが{found}でした", "expected a number, found {found}"),
    "implausible": (
        "{low}〜{high}{unit} の範囲の値が必要ですが{found}でした（桁や単位の誤りではありませんか）",
        "expected a value from {low} to {high}{unit}, found {found} (a slip of digits or units?)",
    ),
    "date_out_of_range": (
        "{low}〜{high} の日付が必要ですが{found}でした",
        "expected a date from {low} to {high}, found {found}",
    ),
    "not_an_integer": ("整数が必要ですが{found}でした", "expected a whole number, found {found}"),
    "unit_mismatch": (
        "単位{expected}の数値が必要ですが{found}でした",
        "expected a number in {expected}, found {found}",
    ),
    "unit_unexpected": (
        "単位のない数値が必要ですが{found}でした",
        "expected a plain number without a unit, found {found}",
    ),
    "not_a_date": (
        "日付（例 2025-04-01、令和7年4月1日）が必要ですが{found}でした",
        "expected a date (e.g. 2025-04-01), found {found}",
    ),
    "impossible_date": (
        "実在する日付が必要ですが{found}は存在しない日付です",
        "expected a real calendar date, found {found}, which does not exist",
    ),
    "not_a_boolean": ("はい/いいえ が必要ですが{found}でした", "expected yes/no, found {found}"),
    # normalisation notes (warnings)
    "trailing_space": (
        "前後の空白を取り除きました（{found} → {value}）",
        "removed surrounding spaces ({found} → {value})",
    ),
    "number_as_text": (
        "数値を文字列として読みました（{found} → {value}）",
        "read a number as text ({found} → {value})",
    ),
    "fullwidth": (
        "全角文字を半角にしました（{found} → {value}）",
        "converted full-width characters ({found} → {value})",
    ),
    "thousands": (
        "桁区切りを取り除きました（{found} → {value}）",
        "removed thousands separators ({found} → {value})",
    ),
    "negative_mark": (
        "▲/△ を負の数として読みました（{found} → {value}）",
        "read ▲/△ as a minus sign ({found} → {value})",
    ),
    "unit": ("単位を取り除きました（{found} → {value}）", "removed the unit ({found} → {value})"),
    "unit_converted": ("単位を換算しました（{found} → {value}）", "converted the unit ({found} → {value})"),
    "datetime": (
        "時刻を切り捨てて日付にしました（{found} → {value}）",
        "dropped the time of day ({found} → {value})",
    ),
    "serial_date": (
        "Excel の日付シリアル値を日付にしました（{found} → {value}）",
        "read an Excel serial date ({found} → {value})",
    ),
    "wareki": (
        "和暦を西暦にしました（{found} → {value}）",
        "converted a Japanese era date ({found} → {value})",
    ),
    "date_format": (
        "日付の書式を読み替えました（{found} → {value}）",
        "read a date written as {found} → {value}",
    ),
    "boolean_word": (
        "はい/いいえ として読みました（{found} → {value}）",
        "read as yes/no ({found} → {value})",
    ),
    "postal_code_form": (
        "郵便番号の書式を整えました（{found} → {value}）",
        "reformatted the postal code ({found} → {value})",
    ),
    "not_writable": (
        "書き込めるフォルダが必要ですが書き込めませんでした（{reason}）",
        "expected a folder that can be written, could not write ({reason})",
    ),
    "template_broken": (
        "使える様式（テンプレート）が必要ですが読めませんでした: {reason}",
        "expected a usable template, could not use it: {reason}",
    ),
    "document_missing": (
        "{document}の必須項目が未記入です（--final では空欄のまま出力しません）",
        "a required field of the {document} is empty (--final does not render blanks)",
    ),
    "document_blocked": (
        "{rule}: {message}（--final では出力しません）",
        "{rule}: {message} (--final does not render it)",
    ),
    "draft_open_items": (
        "下書きです: 未記入の項目が {count} 件あり、【未記入: …】で示しています（--final で確認）",
        "draft: {count} required fields are empty, shown as 【未記入: …】 (check with --final)",
    ),
    # readiness checklist: check.<code> says what is wrong, fix.<code> how to put it right
    "check.missing": (
        "{document}の必須項目「{label}」が未記入です",
        "the required field '{label}' of the {document} is empty",
    ),
    "fix.missing": (
        "入力ファイルの該当箇所に記入する（該当しない場合は「該当なし：理由」）",
        "fill it in where the location points (if it does not apply: 'n/a: reason')",
    ),
    # the same, knowing the field: where it goes and what to write in what form (checklist/fixes.py)
    "check.missing_field": (
        "{document}の必須項目「{label}」が未記入です",
        "the required field '{label}' of the {document} is empty",
    ),
    "fix.missing_field": (
        "{where} に「{label}」を記入する{guide}。該当しない場合は「該当なし：理由」",
        "enter the {label} {where}{guide}; if it does not apply: 'n/a: reason'",
    ),
    # a field's fix (checklist/fixes.py): where it goes, and what to write in what form
    "fix.where.key": ("{file} の {path}", "at {path} in {file}"),
    "fix.where.cell": (
        "{file} の「{sheet}」シートのセル {cell}",
        "in cell {cell} of sheet {sheet} in {file}",
    ),
    "fix.where.sheet": ("{file} の「{sheet}」シート", "in sheet {sheet} of {file}"),
    "fix.where.table": (
        "{file} の「{sheet}」シート（または project.yaml の {table}）",
        "in sheet {sheet} of {file} (or under {table} in project.yaml)",
    ),
    "fix.guide": ("（{text}）", " ({text})"),
    "fix.form.date": ("日付は YYYY-MM-DD", "a date as YYYY-MM-DD"),
    "fix.form.number": ("数値", "a number"),
    "fix.form.number_unit": ("数値（{unit}）", "a number in {unit}"),
    "fix.form.allowed": ("次のいずれか: {choices}", "one of: {choices}"),
    "fix.form.boolean": ("はい／いいえ", "yes or no"),
    "check.problem": ("{message}", "{message}"),
    "check.problem_field": ("{message}", "{message}"),
    "fix.problem_field": ("{where} の値を直す{guide}", "correct the value {where}{guide}"),
    "check.skipped": (
        "入力の誤り {count} 件を直すまで、未記入の項目・規則・証憑は確認していません",
        "empty fields, rules and evidence are not checked until the {count} input errors are fixed",
    ),
    "fix.skipped": (
        "`jcredit validate` の指摘を直してから、もう一度 check する",
        "fix what `jcredit validate` reports, then check again",
    ),
    "remarks_more": ("同じ指摘がほかに {count} 件あります", "{count} more findings of this rule"),
    "remarks_more_fix": ("`jcredit check` で全件を確認する", "see them all with `jcredit check`"),
    "methodology_missing": (
        "算定には方法論番号が必要ですが空欄でした",
        "expected a methodology code to calculate, found none",
    ),
    "fix.problem": (
        "`jcredit validate` / `jcredit calc` の指摘どおりに入力を直す",
        "correct the input as `jcredit validate` / `jcredit calc` says",
    ),
    "check.problem.R-FACTOR-STATUS": ("{message}", "{message}"),
    "fix.problem.R-FACTOR-STATUS": (
        "公式の資料と照合する。係数は factors.yaml（または project.xlsx の「係数」シート）に出典を添えて状態を「確認済み」にして記入する（規程の版は現行の規程で確認）",
        "check it against the official source; enter a factor in factors.yaml (or the 係数 sheet of project.xlsx) with its source and status verified (check a rules version against the current rules)",
    ),
    "check.problem.R-FACTOR-SRC": ("{message}", "{message}"),
    "fix.problem.R-FACTOR-SRC": (
        "factors.yaml（または project.xlsx の「係数」シート）のその行に公式の表の値（value）と出典（source）を記入する",
        "enter the official value and its source in that row of factors.yaml (or of the 係数 sheet of project.xlsx)",
    ),
    "check.problem.C-FACTOR-EMPTY": ("{message}", "{message}"),
    "fix.problem.C-FACTOR-EMPTY": (
        "factors.yaml（または project.xlsx の「係数」シート）のその行に公式の表の値（value）と出典（source）を記入する",
        "enter the official value and its source in that row of factors.yaml (or of the 係数 sheet of project.xlsx)",
    ),
    "check.problem.C-FACTOR-MISSING": ("{message}", "{message}"),
    "fix.problem.C-FACTOR-MISSING": (
        "`jcredit calc` が示す行を factors.yaml に加え、公式の表の値と出典を記入する",
        "add the rows `jcredit calc` shows to factors.yaml, with the official values and their sources",
    ),
    "check.problem.R-PERIOD-GAP": ("{message}", "{message}"),
    "fix.problem.R-PERIOD-GAP": (
        "読取値の期間が切れ目なく重ならずに続くよう直す（欠測の月は理由を備考に）",
        "make the reading periods follow each other without gaps or overlaps (explain a missing month)",
    ),
    "check.problem.R-PERIOD-DATA": ("{message}", "{message}"),
    "fix.problem.R-PERIOD-DATA": (
        "認証対象期間外の読取値を報告から外すか、期間を確認する",
        "leave readings outside the crediting period out of the report, or check the period",
    ),
    "check.problem.R-PERIOD-END": ("{message}", "{message}"),
    "fix.problem.R-PERIOD-END": (
        "認証対象期間の終了日を規程の終了日までにする",
        "end the stated crediting period by the rules' end",
    ),
    "check.problem.R-PERIOD-START": ("{message}", "{message}"),
    "fix.problem.R-PERIOD-START": ("登録申請日を記入する", "enter the registration application date"),
    "check.evidence_missing": (
        "活動 {activity} の読取値に証憑ファイルの指定がありません",
        "the reading of activity {activity} names no evidence file",
    ),
    "fix.evidence_missing": (
        "証憑（検針票・伝票・写真など）を evidence/ に置き、証憑の列に相対パスを書く",
        "put the evidence (meter slip, invoice, photo) in evidence/ and write its relative path in the evidence column",
    ),
    "check.evidence_not_found": (
        "証憑ファイル {file} がありません",
        "the evidence file {file} does not exist",
    ),
    "fix.evidence_not_found": (
        "ファイルを置くか、証憑の列のパスを直す",
        "add the file or correct the path in the evidence column",
    ),
    "check.evidence_unused": (
        "{file} はどの読取値からも参照されていません",
        "{file} is not referred to by any reading",
    ),
    "fix.evidence_unused": (
        "該当する読取値の証憑の列に書くか、不要なら evidence/ から外す",
        "name it in the matching reading, or move it out of evidence/",
    ),
    "check.two_years": (
        "活動 {activity} の運転開始日 {found} は登録申請日 {application} の2年前の日（{earliest}）より前です（2年ルール）",
        "activity {activity} started on {found}, before {earliest}, 2 years before the application date {application} (2-year rule)",
    ),
    "fix.two_years": (
        "この活動を対象から外すか、運転開始日を証憑で確認して直す",
        "remove the activity, or check the commissioning date against its evidence",
    ),
    "check.period_start": (
        "認証対象期間の開始日 {found} が規程による開始日 {start} より前です",
        "the crediting period starts on {found}, before the rules' start {start}",
    ),
    "fix.period_start": (
        "開始日を {start} 以後にする（空欄なら自動で計算）",
        "start it on or after {start} (or leave it empty to compute it)",
    ),
    "check.additionality_payback_short": (
        "投資回収年数 {payback} 年が基準 {threshold} 年未満のため追加性がありません",
        "the payback of {payback} years is below {threshold} years: not additional",
    ),
    "fix.additionality_payback_short": (
        "補助金控除後の投資額・年間削減額を見直すか、該当する免除の根拠を示す",
        "check the investment after subsidy and the annual saving, or cite an exemption that applies",
    ),
    "check.additionality_no_net_cost": (
        "補助金が設備投資額以上のため投資回収の障壁がなく、追加性がありません",
        "the subsidy covers the whole investment: no payback barrier, not additional",
    ),
    "fix.additionality_no_net_cost": (
        "設備投資額と補助金額を見直す",
        "check the capital cost and the subsidy",
    ),
    "check.additionality_exempt_no_reason": (
        "追加性の評価の免除に根拠が書かれていません",
        "the additionality exemption cites no basis",
    ),
    "fix.additionality_exempt_no_reason": (
        "方法論や実施規程の該当条項を「免除の根拠」に書く",
        "cite the methodology or rule clause in the exemption basis",
    ),
    "check.baseline_nospec": (
        "活動 {activity}: 既存設備の仕様が不明なため、ベースラインは新設扱い（new）です",
        "activity {activity}: the old unit's specifications are unknown, so the baseline is a new installation (new)",
    ),
    "check.baseline_2xlife": (
        "活動 {activity}: 既存設備の使用年数 {age} 年が法定耐用年数 {life} 年の2倍を超えるため新設扱いです",
        "activity {activity}: the old unit is {age} years old, over twice its statutory life of {life} years: treat as new",
    ),
    "check.baseline_capacity": (
        "活動 {activity}: 新設備の能力 {new} が既存 {old} の1.5倍を超えるため新設扱いです",
        "activity {activity}: the new capacity {new} is over 1.5 times the old {old}: treat as new",
    ),
    "fix.baseline_nospec": ("ベースラインの区分を new にする", "set the baseline treatment to new"),
    "fix.baseline_2xlife": ("ベースラインの区分を new にする", "set the baseline treatment to new"),
    "fix.baseline_capacity": ("ベースラインの区分を new にする", "set the baseline treatment to new"),
    "check.factor_year": (
        "{year}年度の削減に他の年度の係数 {name} を使っています",
        "a reduction of FY{year} uses {name} of another fiscal year",
    ),
    "fix.factor_year": (
        "削減が生じた年度の係数を factors.yaml に記入する",
        "supply the factor of the fiscal year of the reduction in factors.yaml",
    ),
    "check.other_scheme": (
        "同じ削減活動が他の制度（{name}）に登録されています（二重計上）",
        "the activity is registered in another scheme ({name}): double counting",
    ),
    "fix.other_scheme": (
        "他制度での登録を取り下げるか、対象から外す",
        "withdraw it from the other scheme or leave it out",
    ),
    "check.non_fossil": (
        "同じ電力に非化石証書が発行されています（二重計上）",
        "non-fossil certificates were issued for the same power: double counting",
    ),
    "fix.non_fossil": ("証書が発行された電力量を算定から除く", "exclude the power covered by certificates"),
    "check.subsidy_value": (
        "補助金（{name}）の交付条件で環境価値が交付元に帰属します",
        "the subsidy ({name}) gives the environmental value to its grantor",
    ),
    "fix.subsidy_value": (
        "交付条件を確認し、クレジット化できない場合は対象から外す",
        "check the subsidy's terms; leave the activity out if it cannot be credited",
    ),
    "check.fit_nothing_sold": (
        "活動 {activity} は FIT/FIP ですが売電量が記録されていません",
        "activity {activity} is FIT/FIP but records no power sold",
    ),
    "fix.fit_nothing_sold": (
        "買取電力量のお知らせから売電量を記入する（FIT/FIP で売電した電力は対象外）",
        "enter the power sold from the buyback notice (FIT/FIP power sold is not counted)",
    ),
    "check.battery_value_missing": (
        "活動 {activity} は蓄電池ありですが、蓄電池経由率・損失率・出典・確認状況のいずれかが空欄です（0 や 1 とはみなしません）",
        "activity {activity} has a battery but its battery share, loss, source or status is empty (never taken as 0 or 1)",
    ),
    "fix.battery_value_missing": (
        "活動一覧の蓄電池経由率(%)・蓄電池損失率(%)に値を、出典と確認状況（verified / unverified / third-party）とともに記入する（制度の既定の経由率を使う場合はその値と公表資料）",
        "enter the battery share (%) and loss (%) in the activity list with their source and status (verified / unverified / third-party); if the scheme's default share is used, its value and the public document",
    ),
    "check.battery_formula_unverified": (
        "蓄電池ありの活動（{count} 件）の自家消費量は EL_PJ,self ×（1 − 蓄電池経由率 × 蓄電池損失率）で算定していますが、この式は公表資料で確認されていません",
        "the self-consumption of the {count} activities with a battery is computed as EL_PJ,self × (1 − battery share × battery loss); this formula has not been confirmed in a published source",
    ),
    "fix.battery_formula_unverified": (
        "方法論 EN-R-002 の本文（蓄電池を経由した電力の扱い）で式を確認し、異なる場合は審査機関に相談する",
        "check the formula against the text of methodology EN-R-002 (power through a battery); if it differs, ask the verifier",
    ),
    "check.battery_values_without_battery": (
        "活動 {activity} は蓄電池なしですが、蓄電池経由率または損失率が記入されています（算定には使っていません）",
        "activity {activity} has no battery but a battery share or loss is filled in (not used in the calculation)",
    ),
    "fix.battery_values_without_battery": (
        "蓄電池がある場合は「蓄電池」を「はい」に、ない場合は蓄電池経由率(%)・蓄電池損失率(%)を空欄にする",
        "set 'battery' to yes if there is one; otherwise empty the battery share (%) and loss (%)",
    ),
    "check.battery_not_verified": (
        "活動 {activity} の蓄電池経由率・損失率は確認されていません（確認状況: {status}、出典: {source}）",
        "the battery share and loss of activity {activity} are not verified (status: {status}; source: {source})",
    ),
    "fix.battery_not_verified": (
        "公式の値または機器の仕様書で確認し、確認状況を「確認済み」にする",
        "check them against the official value or the equipment's specification and set the status to verified",
    ),
    "check.meter_expired": (
        "{symbol} の計量器の有効期限 {found} がモニタリング期間の終了 {end} より前です",
        "the meter for {symbol} was certified until {found}, before the period ends on {end}",
    ),
    "fix.meter_expired": (
        "検定・校正の記録を添えるか、期限切れ後の読取値の扱いを説明する",
        "attach the renewed certification or calibration, or explain the readings after expiry",
    ),
    "check.common_monitoring": (
        "活動 {activity} のモニタリング項目（{items}）が他の活動（{usual}）と異なります",
        "activities {activity} monitor {items}, the others {usual}",
    ),
    "fix.common_monitoring": (
        "プログラム型では全活動で同じ項目をモニタリングする",
        "program type: monitor the same items for every activity",
    ),
    "check.double_member": (
        "活動 {activity} は他のプログラム（{program}、other_programs.csv:{line}）の会員と一致します",
        "activity {activity} matches a member of another program ({program}, other_programs.csv:{line})",
    ),
    "fix.double_member": (
        "会員に確認し、どちらか一方のプログラムから外す",
        "ask the member and remove it from one of the programs",
    ),
    "check.same_member": (
        "活動 {activity} は活動 {first} と同じ会員（同じ氏名・同じ住所）です",
        "activity {activity} is the same member as activity {first} (same name at the same address)",
    ),
    "fix.same_member": (
        "会員に確認し、重複した行を活動一覧から外す",
        "ask the member and remove the repeated row from the activity list",
    ),
    "check.program_cap": (
        "活動 {activity} の {year}年度の削減量 {found} t が上限 {cap} t を超えています",
        "activity {activity} reduces {found} t in FY{year}, above the cap of {cap} t",
    ),
    "fix.program_cap": (
        "この活動を通常型として登録するか、プログラムから外す",
        "register it as a standard project or remove it from the program",
    ),
    "check.subsidy_unnamed": (
        "追加性の評価で補助金 {amount} 円を控除していますが、受けた補助金が書かれていません",
        "the payback deducts a subsidy of {amount} yen, but no subsidy is named",
    ),
    "fix.subsidy_unnamed": (
        "補助金の名称と交付元を記入し、交付条件に環境価値の帰属の定めがないか確認する",
        "name the subsidy and its grantor, and check its terms for the environmental value",
    ),
    "check.subsidy_moe": (
        "環境省の補助金（{name}）は交付条件で J-クレジット化が制限されることがあります",
        "a Ministry of the Environment grant ({name}) may restrict crediting in its terms",
    ),
    "fix.subsidy_moe": (
        "交付要綱の環境価値・クレジット化の条項を確認し、写しを evidence/ に置く",
        "check the grant's terms on environmental value and crediting, and keep a copy in evidence/",
    ),
    "check.household_not_applicable": (
        "この方法論の活動は家庭かどうかを記録しないため、家庭部門の扱い（household）は使えません",
        "this methodology's activities record no household flag: the household presumption does not apply",
    ),
    "fix.household_not_applicable": (
        "追加性の評価方法を payback（投資回収年数）か exempt（根拠つき）にする",
        "use payback, or exempt with its basis",
    ),
    "check.household_activity": (
        "活動 {activity} は家庭用ではないため、家庭部門の扱いで追加性を示せません",
        "activity {activity} is not a household's: the household presumption does not cover it",
    ),
    "fix.household_activity": (
        "家庭用の活動だけにするか、追加性を投資回収年数で示す",
        "keep only household activities, or show additionality by payback",
    ),
    "check.no_readings": (
        "モニタリング期間の読取値がありません",
        "there are no readings for the monitoring period",
    ),
    "fix.no_readings": ("monitoring/ に読取値のファイルを置く", "put the readings in monitoring/"),
    "check.activity_unread": (
        "活動 {activity} の {start}〜{end} の読取値がありません",
        "activity {activity} has no readings for {start} to {end}",
    ),
    "fix.activity_unread": (
        "読取値と証憑を追加するか、活動を報告の対象から外す理由を書く",
        "add its readings and evidence, or state why it is left out of this report",
    ),
    "check.activity_gap": (
        "活動 {activity} の {start}〜{end} の読取値がありません（期間の初めまたは終わり）",
        "activity {activity} has no readings for {start} to {end} (at the start or end of the period)",
    ),
    "fix.activity_gap": (
        "その月の読取値を追加するか、欠測の理由を備考に書く",
        "add the missing month, or explain it in the remarks",
    ),
    "check.other_programs_unreadable": (
        "other_programs.csv を読めませんでした（{reason}）",
        "could not read other_programs.csv ({reason})",
    ),
    "fix.other_programs_unreadable": (
        "列 program, name, address（または プログラム, 氏名, 住所）の CSV（UTF-8 か Shift_JIS）で保存する",
        "save it as CSV (UTF-8 or Shift_JIS) with columns program, name, address",
    ),
    "check.percolation": (
        "活動 {activity} の日減水深が計測されていません",
        "the percolation depth of activity {activity} is not measured",
    ),
    "fix.percolation": (
        "手順どおりに日減水深を計測して記入する",
        "measure the daily percolation depth as the protocol says and enter it",
    ),
    "check.biochar_pyrolysis_temp_c": (
        "バッチ {batch} の炭化温度がありません",
        "batch {batch} has no pyrolysis temperature",
    ),
    "check.biochar_carbon": (
        "バッチ {batch} はバイオ炭の要件（精煉度 0〜9 または固定炭素 55% 以上）を示していません（精煉度 {refinement}、固定炭素 {fixed}）",
        "batch {batch} does not show it is biochar (refinement 0–9 or fixed carbon ≥ 55 %): refinement {refinement}, fixed carbon {fixed}",
    ),
    "check.biochar_pyrolysis_temp_low": (
        "バッチ {batch} の炭化温度は {above} ℃ を超える必要がありますが {celsius} ℃ でした（バイオ炭に当たらず、貯留量は算定しません）",
        "batch {batch} must be made above {above} ℃, found {celsius} ℃ (not biochar: no carbon stored is counted)",
    ),
    "fix.biochar_pyrolysis_temp_low": (
        "製造記録・証明書の最高炭化温度を確かめて直す。{above} ℃ 以下で製造したバッチはモニタリングから除く",
        "check the highest pyrolysis temperature on the production record or certificate; remove a batch made at {above} ℃ or less",
    ),
    "fix.biochar_pyrolysis_temp_c": (
        "製造記録から炭化温度を記入する",
        "enter the pyrolysis temperature from the production record",
    ),
    "fix.biochar_carbon": (
        "精煉度または固定炭素比率を分析証明書から記入する（要件を満たさないバッチは対象外）",
        "enter the refinement or fixed carbon from the analysis certificate (a batch that fails is not eligible)",
    ),
    "check.forest_plan": (
        "{activity} に森林経営計画の認定番号がありません",
        "{activity} has no forest management plan approval number",
    ),
    "fix.forest_plan": (
        "認定を受けた森林経営計画の番号を記入する（計画対象外の林分は対象外）",
        "enter the approved plan's number (stands outside a plan do not qualify)",
    ),
    "check.forest_permanence": (
        "永続性の確保に関する届出を毎年6月30日までに行ったか確認してください",
        "check that the permanence filings were made by 30 June each year",
    ),
    "fix.forest_permanence": ("届出の控えを evidence/ に置く", "keep a copy of each filing in evidence/"),
    "exists": (
        "既にあるファイルは上書きしません（--force で上書き）",
        "refusing to overwrite an existing file (use --force)",
    ),
    "output_not_regular": (
        "書き込み先には通常のファイルが必要ですが、フォルダ・パイプ・デバイスなどでした（--force でも書きません）",
        "expected a regular file to write to, found a folder, pipe, device or link (not even with --force)",
    ),
    "render_busy": (
        "別の render がこのフォルダに書き込み中です。それが終わってからもう一度実行してください",
        "another render is writing here; run again when it has finished",
    ),
    # review: comments in review.yaml (jcredit review), in documents, the checklist and the review sheet
    "review_unknown_path": (
        "プロジェクトの項目のデータパスが必要ですが{found}はありません{hint}",
        "expected the data path of a field of the project, found {found}, which it does not have{hint}",
    ),
    "review_unknown_id": (
        "review.yaml のコメント ID（{known}）が必要ですが{found}でした",
        "expected a comment id of review.yaml ({known}), found {found}",
    ),
    "review_empty_text": (
        "コメントの文が必要ですが空でした",
        "expected the text of the comment, found nothing",
    ),
    "review_shape": (
        "「comments:」の下にコメントの一覧が必要ですが{found}でした",
        "expected a list of comments under 'comments:', found {found}",
    ),
    "review_unknown_key": (
        "使える項目（{known}）が必要ですが{found}でした",
        "expected one of the keys {known}, found {found}",
    ),
    "review_required": ("「{key}」の値が必要ですが空欄でした", "expected a value for '{key}', found none"),
    "review_entry": (
        "コメント（id・path・text などの項目の集まり）が必要ですが{found}でした",
        "expected a comment (a mapping of id, path, text …), found {found}",
    ),
    "review_duplicate_id": (
        "一意のコメント ID が必要ですが{found}は {first} 行目と重複しています",
        "expected a unique comment id, found {found}, already used at line {first}",
    ),
    "review_unmatched": (
        "review.yaml にあるコメント ID が必要ですが{found}はありません（この行は取り込みません）",
        "expected a comment id of review.yaml, found {found} (this row is not imported)",
    ),
    "review_unmatched_path": (
        "プロジェクトの項目のデータパスが必要ですが{found}はありません（この行は取り込みません）",
        "expected the data path of a field of the project, found {found} (this row is not imported)",
    ),
    "review_no_id": (
        "返信にはコメント ID のある行が必要ですが、この行には ID がありません（指摘には jcredit review add で"
        "コメントを付けてください）",
        "expected a reply on a row with a comment id, found one on a row without (to comment on a finding, "
        "use jcredit review add)",
    ),
    "review_page": (
        "チェックリストのページから保存したファイル（format: {format}）が必要ですが、この形式ではありません",
        "expected a file saved from the checklist page (format: {format}), found another content",
    ),
    "review_sheet": (
        "レビューシート（jcredit review export の出力）が必要ですが、見出し行「{header}」が見つかりませんでした",
        "expected a review sheet (as jcredit review export writes it), found no header row '{header}'",
    ),
    "review_open_comment": (
        "未解決のコメント {id}（{author}）: {text}（--final は出力しません。--ignore-comments で無視できます）",
        "open comment {id} ({author}): {text} (--final does not render; --ignore-comments to go ahead)",
    ),
    "check.review_open": ("{author}のコメント {id}: {text}", "comment {id} by {author}: {text}"),
    "fix.review_open": (
        "指摘に対応し jcredit review reply {id} で返信する（解決はレビュー担当者が jcredit review resolve {id}）",
        "act on it and answer with jcredit review reply {id} (the reviewer closes it with jcredit review "
        "resolve {id})",
    ),
    "check.review_orphan": (
        "コメント {id}（{author}）の対象 {path} がプロジェクトにありません: {text}",
        "comment {id} ({author}) is on {path}, which the project no longer has: {text}",
    ),
    "fix.review_orphan": (
        "review.yaml のコメント {id} の path を今の項目に直すか、jcredit review resolve {id} で閉じる",
        "point comment {id}'s path in review.yaml at the field as it is now, or close it with jcredit review "
        "resolve {id}",
    ),
    "document.comments": ("レビューコメント（{count} 件）", "Review comments ({count})"),
    "document.comments.column.number": ("番号", "no."),
    "document.comments.column.path": ("データパス", "data path"),
    "document.comments.column.text": ("コメント", "comment"),
    "document.comments.blocking": ("要対応", "blocking"),
    "document.comments.mark": ("コメント{number}", "comment {number}"),
    "document.comments.orphan": ("対象の項目がありません", "the field is gone"),
    "checklist.review.sheet": ("レビュー", "Review"),
    "checklist.review.title": ("レビューシート: {project}", "Review sheet: {project}"),
    "checklist.review.note": (
        "「返信」列に記入して jcredit review import で取り込みます（コメント ID で照合）",
        "write in the Reply column, then bring it back with jcredit review import (matched by comment id)",
    ),
    "checklist.review.kind.comment": ("コメント", "comment"),
    "checklist.review.kind.finding": ("指摘", "finding"),
    "checklist.review.column.id": ("ID", "ID"),
    "checklist.review.column.kind": ("種類", "Kind"),
    "checklist.review.column.author": ("記入者", "Author"),
    "checklist.review.column.date": ("日付", "Date"),
    "checklist.review.column.status": ("状況", "Status"),
    "checklist.review.column.replies": ("これまでの返信", "Replies so far"),
    "checklist.review.column.reply": ("返信", "Reply"),
    "cli.review.added": ("コメント {id} を追加しました（{path}）", "added comment {id} ({path})"),
    "cli.review.replied": ("コメント {id} に返信しました", "replied to comment {id}"),
    "cli.review.resolved": ("コメント {id} を解決済みにしました", "resolved comment {id}"),
    "cli.review.reopened": ("コメント {id} を未解決に戻しました", "reopened comment {id}"),
    "cli.review.none": ("コメントはありません", "no comments"),
    "cli.review.orphan": ("（対象の項目がありません）", "(the field is gone)"),
    "cli.review.status.open": ("未解決", "open"),
    "cli.review.status.resolved": ("解決済み", "resolved"),
    "cli.review.summary": (
        "コメント {total} 件（未解決 {open} 件、うち要対応 {blocking} 件、対象なし {orphans} 件）",
        "{total} comments ({open} open, {blocking} of them blocking, {orphans} on fields that are gone)",
    ),
    "cli.review.imported": (
        "返信 {replies} 件を {comments} 件のコメントに取り込み、新しいコメントを {added} 件追加しました",
        "imported {replies} replies into {comments} comments and added {added} new comments",
    ),
    "cli.review.unmatched": ("取り込めなかった行: {count} 件", "rows not imported: {count}"),
    "cli.help.author": (
        "記入者の名前（既定は環境変数 JCREDIT_AUTHOR、なければ OS のユーザー名）",
        "the author's name (default $JCREDIT_AUTHOR, else the login name)",
    ),
    "cli.help.add.blocking": (
        "要対応にする（解決するまで確認リストが準備完了になりません）",
        "mark it blocking (the checklist is not ready until it is resolved)",
    ),
    "cli.help.list.show_all": ("解決済みのコメントも表示する", "show resolved comments too"),
    "cli.help.resolve.reopen": ("解決済みのコメントを未解決に戻す", "open a resolved comment again"),
    "cli.help.export.output": ("書き出す Excel ファイル", "the Excel file to write"),
    "cli.help.export.stage": (
        "シートに載せる確認リストの段階",
        "the stage of the checklist the sheet lists",
    ),
    "cli.help.export.force": ("既にあるファイルを上書きする", "overwrite the file if it exists"),
    "cli.help.render.ignore_comments": (
        "--final でも未解決のレビューコメントを理由に止めない",
        "with --final, go ahead although review comments are open",
    ),
    "render_busy_wrote": (
        "別の render がこのフォルダに書き込み中で、同じ名前のファイルを先に書きました（置き換えるには --force）",
        "another render is writing here and wrote this file first (use --force to replace it)",
    ),
    "output_in_inputs": (
        "出力先はプロジェクトの入力の外（{folder} の monitoring/・evidence/・templates/、入力ファイル、"
        "プロジェクトフォルダそのもの以外）が必要です",
        "expected an output outside the project's inputs (not in monitoring/, evidence/ or templates/ of "
        "{folder}, not an input file, not the project folder itself)",
    ),
    "header_missing": (
        "1行目に見出し（例 {example}）が必要ですが見つかりません",
        "expected headers in row 1 (such as {example}), found none",
    ),
    "csv_syntax": ("CSV の書式誤り: {reason}", "CSV syntax error: {reason}"),
    "factor_range": (
        "{table_label}の値は {low}〜{high}（{unit}）の範囲が必要ですが{found}でした",
        "expected a {table_label} value from {low} to {high} ({unit}), found {found}",
    ),
    "tables_skipped": (
        "方法論が決まらないため、一覧（{tables}）は検査していません",
        "tables ({tables}) not checked: the methodology is unknown",
    ),
    # factors and rule versions
    "factor_missing": (
        "係数表「{table_label}」（{table}）に {keys} {year}の値が必要ですがありません。factors.yaml の {table}: に次の行を加え、{document} の値と出典を記入してください: - {row}",
        "expected a row of the factor table '{table_label}' ({table}) for {keys} {year}, found none; add this row under {table}: in factors.yaml with the value and source from {document}: - {row}",
    ),
    "factor_empty": (
        "係数表「{table_label}」の {keys} {year}の値（value）が必要ですが空欄でした。{document} の値と出典（source）を記入してください",
        "expected the value of the factor table '{table_label}' for {keys} {year}, found it empty; enter the value and its source from {document}",
    ),
    "factor_unfilled": (
        "係数表「{table_label}」の {keys} {year}の値（value）が空欄です。{document} の値と出典（source）を記入してください（今回の算定には使っていません）",
        "the value of the factor table '{table_label}' for {keys} {year} is empty; enter it and its source from {document} (this calculation did not need it)",
    ),
    "rules_version_unknown": (
        "既知の規程の版（{known}）が必要ですが{found}でした{hint}",
        "expected a known rules version ({known}), found {found}{hint}",
    ),
    "factor_table_unknown": (
        "既知の係数表（{known}）が必要ですが{found}でした{hint}",
        "expected a known factor table ({known}), found {found}{hint}",
    ),
    "factor_row": (
        "{fields} を持つ係数の行が必要ですが{found}でした",
        "expected a factor row with {fields}, found {found}",
    ),
    "factor_row_missing": (
        "係数の行には {fields} が必要ですが {missing} がありません",
        "expected a factor row with {fields}, found no {missing}",
    ),
    "factor_row_unknown": (
        "係数の行の項目は {fields} のいずれかが必要ですが {unknown} でした",
        "expected factor row fields among {fields}, found {unknown}",
    ),
    "factor_unit": (
        "単位 {expected} に換算できる単位が必要ですが{found}でした",
        "expected a unit convertible to {expected}, found {found}",
    ),
    # calculation
    "crediting_unknown": (
        "認証対象期間を決めるため登録申請日が必要ですが空欄でした",
        "expected the registration application date to set the crediting period, found none",
    ),
    "reading_outside_crediting": (
        "活動 {activity} の読取値には認証対象期間（{crediting_start}〜{crediting_end}）内の期間が必要ですが {start}〜{end} は期間外のため算定から除外しました",
        "activity {activity}: expected a period inside the crediting period ({crediting_start} to {crediting_end}), found {start} to {end}: excluded from the calculation",
    ),
    "reading_partly_outside": (
        "活動 {activity} の {start}〜{end} のうち認証対象期間（{crediting_start}〜{crediting_end}）外の {excluded} 日分を日割りで除外しました",
        "activity {activity}: excluded the {excluded} days of {start} to {end} outside the crediting period ({crediting_start} to {crediting_end}), by days",
    ),
    "reading_overlap": (
        "活動 {activity} の読取値には重ならない期間が必要ですが {start}〜{end} は {other}（{other_start}〜{other_end}）と重なっています",
        "activity {activity}: expected periods that do not overlap, found {start} to {end} overlapping {other} ({other_start} to {other_end})",
    ),
    "reading_gap": (
        "活動 {activity} の {start}〜{end} の読取値がありません（期間の欠け）",
        "activity {activity} has no reading for {start} to {end} (a gap)",
    ),
    "crediting_end_beyond_rules": (
        "規程の版 {rules} の式による終了日 {end} までの期間が必要ですが {found} でした（{end} までで算定します）",
        "expected a crediting period ending by {end} under rules {rules}, found {found} (calculated up to {end})",
    ),
    "season_duplicate": (
        "年度ごとに1作期が必要ですが {year}年度の作期が {other} にもあります（この行は算定しません）",
        "expected one season per fiscal year, found a second FY{year} season (also at {other}); this row is not counted",
    ),
    "rules_not_verified": (
        "規程の版 {rules}（{label}）は公式の規程の本文で確認されていません",
        "rules version {rules} ({label}) is not verified against the official rule text",
    ),
    "rules_switch_unverified": (
        "規程の版 {rules}（{label}）の切替え{switches}は公式の規程の本文で確認されていません",
        "rules version {rules} ({label}): the switches {switches} are not verified against the official rule text",
    ),
    "calc_no_readings": (
        "モニタリングの読取値が 1 件もないため、削減量を算定していません（0 t-CO2 ではありません）。"
        "計画値による見込みは jcredit calc --plan で表示します",
        "no monitoring reading was found, so no reduction is computed (it is not 0 t-CO2); "
        "jcredit calc --plan shows the estimate from the planned inputs",
    ),
    "calc_input_missing": (
        "算定に必要な「{label}」が空欄のため、この期間の削減量を算定していません",
        "'{label}' is needed by the calculation but empty: no reduction computed for it",
    ),
    "ag004_temp": (
        "炭化温度が {above} ℃ を超えるバッチが必要ですが {temp} でした。このバッチの貯留量は 0 として算定します",
        "expected a batch made above {above} ℃, found {temp}; no carbon stored is counted for this batch",
    ),
    "ag005_2yhist": (
        "{rule}: 過去2年以上の中干し実績が必要ですが {years} 年分でした。この作期は削減量なし",
        "{rule}: expected at least 2 years of drainage history, found {years}; no reduction for this season",
    ),
    "ag005_7d": (
        "{rule}: 過去平均（{mean} 日）より7日以上長い {needed} 日以上の中干しが必要ですが {days} 日でした。この作期は削減量なし",
        "{rule}: expected drainage of at least {needed} days (7 over the mean of {mean}), found {days}; no reduction for this season",
    ),
    "ag005_heading": (
        "{rule}: 出穂日（{heading}）より前に終わる中干しが必要ですが終了日は {end} でした。この作期は削減量なし",
        "{rule}: expected drainage to end before heading ({heading}), found the end {end}; no reduction for this season",
    ),
    "calc_input_conflict": (
        "「{label}」は {limit} 以下が必要ですが {found} でした（{why}）。この期間は算定していません",
        "'{label}' must be at most {limit}, found {found} ({why}); no reduction computed for it",
    ),
    "factor_not_verified": (
        "未検証の係数を使っています: {name} {year}（状態: {status}、出典: {source}）",
        "uses a factor that is not verified: {name} {year} (status: {status}; source: {source})",
    ),
    "and_more": ("（同じ列でほかに {more} 件: {cells}）", " (and {more} more in this column: {cells})"),
    # summaries
    "summary_valid": ("問題はありません（警告 {warnings} 件）", "no problems (warnings: {warnings})"),
    "summary_invalid": ("エラー {errors} 件、警告 {warnings} 件", "errors: {errors}, warnings: {warnings}"),
    "more_warnings": ("…ほかに「{kind}」の警告 {count} 件", "… and {count} more '{kind}' warnings"),
    # document.*: the words the plan and report add around their sections (PDF and DOCX alike)
    "document.draft": ("下書き", "draft"),
    "document.open_items": ("未記入の項目（{count} 件）", "Open items ({count})"),
    "document.open_items.column.label": ("項目", "item"),
    "document.open_items.column.path": ("データパス", "data path"),
    "document.open_items.column.section": ("セクション", "section"),
    "document.remarks": ("審査前の確認事項（{count} 件）", "To check before review ({count})"),
    "document.remarks.column.rule": ("ルール", "rule"),
    "document.remarks.column.severity": ("重要度", "severity"),
    "document.remarks.column.text": ("内容", "finding"),
    "document.remarks.column.fix": ("対応方法", "what to do"),
    "document.severity.blocking": ("要対応", "blocking"),
    "document.severity.warning": ("注意", "warning"),
    "document.severity.info": ("情報", "information"),
    # report.*: the text of `jcredit calc` and `jcredit factors`
    "report.header": ("{code} {name}（規程の版 {rules}）", "{code} {name} (rules version {rules})"),
    "report.formula": ("算定式: {formula}", "Formula: {formula}"),
    "report.column.activity": ("活動ID", "activity"),
    "report.column.year": ("年度", "FY"),
    "report.column.baseline": ("ベースライン排出量(t)", "baseline (t)"),
    "report.column.project": ("プロジェクト排出量(t)", "project (t)"),
    "report.column.reduction": ("排出削減量(t)", "reduction (t)"),
    "report.by_year": ("年度別の排出削減量（端数を含む）", "Reductions by fiscal year (exact)"),
    "report.total_exact": (
        "排出削減量の合計（端数を含む）: {tonnes} t-CO2",
        "Total reduction (exact): {tonnes} t-CO2",
    ),
    "report.total": (
        "認証対象の排出削減量（1 t-CO2 未満切り捨て）: {tonnes} t-CO2",
        "Certifiable reduction (truncated to whole t-CO2): {tonnes} t-CO2",
    ),
    "report.factors": ("使用した係数", "Factors used"),
    "report.shown": (
        "表示は小数第6位まで。JSON（--format json）は端数をすべて含みます。",
        "Figures shown to 6 decimals; --format json gives them exactly.",
    ),
    "report.additionality.payback_ok": (
        "追加性: あり（投資回収年数 {years} 年 ≥ {threshold} 年、補助金控除後）",
        "Additionality: yes (payback {years} years ≥ {threshold}, subsidy deducted)",
    ),
    "report.additionality.payback_short": (
        "追加性: なし（投資回収年数 {years} 年 < {threshold} 年、補助金控除後）",
        "Additionality: no (payback {years} years < {threshold}, subsidy deducted)",
    ),
    "report.additionality.no_net_cost": (
        "追加性: なし（補助金が設備投資額以上で回収すべき費用がない）",
        "Additionality: no (the subsidy covers the whole investment)",
    ),
    "report.additionality.no_net_saving": (
        "追加性: あり（年間の純削減額が0以下で投資を回収できない）",
        "Additionality: yes (no net annual saving: the investment never pays back)",
    ),
    "report.additionality.household": (
        "追加性: あり（家庭における削減活動）",
        "Additionality: yes (household activities)",
    ),
    "report.additionality.exempt": ("追加性: 免除（{reason}）", "Additionality: exempt ({reason})"),
    "report.additionality.exempt_no_reason": (
        "追加性: 免除とされているが根拠が空欄",
        "Additionality: exempt, but no basis is given",
    ),
    "report.additionality.missing": (
        "追加性: 判定に必要な値が不足",
        "Additionality: values needed to judge it are missing",
    ),
    "report.rules_versions": ("規程の版 / rules versions", "Rules versions"),
    "report.factor_tables": ("係数表 / factor tables", "Factor tables"),
    "report.no_shipped_rows": (
        "（同梱の行なし: プロジェクトの factors.yaml に出典と確認状況をつけて記入）",
        "(no rows shipped: supply them in the project's factors.yaml with their source and status)",
    ),
    # checklist.*: the readiness checklist as text, workbook and page
    "checklist.document.plan": ("プロジェクト計画書", "project plan"),
    "checklist.document.monitoring": ("モニタリング報告書", "monitoring report"),
    "checklist.document.activity-list": ("排出削減活動リスト", "activity list"),
    "checklist.document.inputs": ("入力", "inputs"),
    "checklist.stage.registration": ("登録（妥当性確認）", "registration (validation)"),
    "checklist.stage.verification": ("認証（検証）", "verification"),
    "checklist.severity.blocking": ("要対応", "blocking"),
    "checklist.severity.warning": ("注意", "warning"),
    "checklist.severity.info": ("情報", "info"),
    "checklist.title": ("確認リスト: {project}", "Readiness checklist: {project}"),
    "checklist.sheet": ("確認リスト", "Checklist"),
    "checklist.stage": ("段階: {stage}", "Stage: {stage}"),
    "checklist.no_section": ("（節の指定なし）", "(no section)"),
    "checklist.no_findings": ("指摘はありません", "No findings"),
    "checklist.scores": ("書類別の達成率", "Score by document"),
    "checklist.score_line": (
        "{percent}%（必須項目 {required} 件中 要対応 {open} 件）",
        "{percent}% ({open} of {required} required items open)",
    ),
    "checklist.ready": ("準備完了", "Ready"),
    "checklist.ready_notes": (
        "準備完了（注意 {warning} 件、情報 {info} 件）",
        "Ready (warnings {warning}, notes {info})",
    ),
    "checklist.not_ready": (
        "未完了: 要対応 {blocking} 件、注意 {warning} 件、情報 {info} 件、達成率 {percent}%",
        "Not ready: blocking {blocking}, warnings {warning}, notes {info}, score {percent}%",
    ),
    "checklist.readiness": ("準備状況: {summary}", "Readiness: {summary}"),
    "checklist.score": ("達成率: {percent}%", "Score: {percent}%"),
    "checklist.built": ("作成日: {date}", "Date: {date}"),
    "checklist.path_label": ("{path}（{label}）", "{path} ({label})"),
    "checklist.column.number": ("No.", "No."),
    "checklist.column.severity": ("重要度", "Severity"),
    "checklist.column.rule": ("ルール", "Rule"),
    "checklist.column.document": ("書類", "Document"),
    "checklist.column.section": ("節", "Section"),
    "checklist.column.location": ("場所", "Location"),
    "checklist.column.what": ("項目（パス）", "Item (path)"),
    "checklist.column.message": ("内容", "Finding"),
    "checklist.column.fix": ("対応方法", "How to fix"),
    "checklist.column.status": ("状況", "Status"),
    "checklist.column.notes": ("備考", "Notes"),
    "checklist.status.open": ("未対応", "open"),
    "checklist.status.in_progress": ("対応中", "in progress"),
    "checklist.status.done": ("対応済み", "done"),
    "checklist.status.not_applicable": ("対象外", "not applicable"),
    "checklist.counts": ("件数", "Counts"),
    "checklist.findings": ("指摘事項", "Findings"),
    # one rule over many rows: one line with the count and the first rows (all of them in JSON/XLSX/HTML)
    "checklist.group_count": ("{count} 件", "{count} findings"),
    "checklist.group_line": ("{count}（{rows}）", "{count} ({rows})"),
    "checklist.group_more": (" ほか {count} 件", " and {count} more"),
    "checklist.group_example": ("例: {message}", "e.g. {message}"),
    "checklist.group_rows": ("全 {count} 件を表示", "show all {count}"),
    # the page's own columns and buttons: a coach's status and comment, kept in the browser and exported
    "checklist.column.comment": ("コメント", "Comment"),
    "checklist.export": ("状況とコメントを書き出す（JSON）", "Export status and comments (JSON)"),
    "checklist.export_note": (
        "状況とコメントはこのブラウザに保存されます。書き出したファイルは jcredit review import で取り込めます。",
        "Status and comments are kept in this browser; `jcredit review import` reads the exported file.",
    ),
    "checklist.evidence": (
        "証憑ファイル {count} 件（SHA-256 記録済み）",
        "{count} evidence files (SHA-256 recorded)",
    ),
    # jcredit batch (program members added from a workbook): row reasons, progress and the hand-back
    "member_required": ("{column}が必要ですが空欄でした", "expected {column}, found an empty cell"),
    "member_two_years": (
        "{earliest}以後の運転開始日が必要ですが{found}でした（2年ルール: 起点 {reference}）",
        "expected a commissioning date on or after {earliest}, found {found} (2-year rule from {reference})",
    ),
    "member_id_taken": (
        "まだ使われていない活動IDが必要ですが{found}はプロジェクトの活動にあります",
        "expected an activity ID not yet used, found {found}, already in the project",
    ),
    "member_in_project": (
        "新しい会員が必要ですが活動 {activity} と同じ会員（同じ氏名・同じ住所）でした",
        "expected a new member, found the same person at the same address as activity {activity}",
    ),
    "member_other_program": (
        "他のプログラムに属さない会員が必要ですが{program}の会員（other_programs.csv:{line}）でした",
        "expected a member of no other program, found a member of {program} (other_programs.csv:{line})",
    ),
    "member_twice": (
        "一度だけの記載が必要ですが{row}行目と同じ会員（同じ氏名・同じ住所）でした",
        "expected each member once, found the same person at the same address as row {row}",
    ),
    "member_rule": ("{message}", "{message}"),
    "member_switch_unverified": (
        "登録後に加入した会員の2年ルールの起点（{switch}: {value}）は未確認の規程によります",
        "the 2-year rule's reference date for members added after registration ({switch}: {value}) is not verified",
    ),
    "batch_changed": (
        "バッチの実行後にプロジェクトの入力が変わりました（{file}）。バッチをやり直してください",
        "the project's inputs changed after the batch ran ({file}); run the batch again",
    ),
    "batch_not_a_batch": (
        "jcredit batch の出力フォルダ（summary.json のあるもの）が必要ですが{found}でした",
        "expected an output folder of jcredit batch (with summary.json), found {found}",
    ),
    "batch_resume_differs": (
        "中断したバッチと同じ入力・オプションが必要ですが{what}が違います。--resume を付けずにやり直してください",
        "expected the inputs and options of the interrupted batch, found another {what}; run again without --resume",
    ),
    "batch_no_work": (
        "再開できる中断したバッチがありません（{found}）",
        "there is no interrupted batch to resume ({found})",
    ),
    "batch_members_not_xlsx": (
        "会員の一覧は Excel ブック（.xlsx）が必要ですが{found}でした",
        "expected the members as an Excel workbook (.xlsx), found {found}",
    ),
    "batch_not_program": (
        "プログラム型のプロジェクトが必要ですが{found}でした",
        "expected a program-type project, found {found}",
    ),
    "batch.interrupted": (
        "中断しました。同じコマンドに --resume を付けると残りだけを作ります",
        "interrupted; run the same command with --resume to finish only what is missing",
    ),
    "batch.done": (
        "{input_rows} 行: 受付 {accepted} 件、不受理 {rejected} 件 → {outdir}",
        "{input_rows} rows: {accepted} accepted, {rejected} rejected -> {outdir}",
    ),
    "batch.progress": ("{done}/{total} 件の書類", "{done}/{total} documents"),
    "batch.applied": (
        "{count} 件の会員を {file} に加えました（以前のものは {backup}）",
        "added {count} members to {file} (the previous one is {backup})",
    ),
    "batch.reasons": ("不備の理由", "reasons"),
    "cli.help.run.outdir": (
        "出力フォルダ（完成するまで前の状態のまま）",
        "output folder (keeps its previous state until the batch is complete)",
    ),
    "cli.help.run.workers": (
        "書類を作るプロセスの数（既定: CPU の数）",
        "worker processes making the papers (default: the CPU count)",
    ),
    "cli.help.run.resume": (
        "中断したバッチの残りだけを作る（入力とオプションが同じとき）",
        "finish only what an interrupted batch left (same inputs and options)",
    ),
    "cli.help.run.formats": (
        "形式（カンマ区切り。pdf と docx は会員の書類、pdf と xlsx は活動リスト）",
        "comma-separated formats (pdf, docx: the members' papers; pdf, xlsx: the activity list)",
    ),
    "cli.help.run.joined_on": (
        "加入日の列が空欄の会員の加入日（既定: 今日、又は SOURCE_DATE_EPOCH）",
        "join date of members whose join date is empty (default: today, or SOURCE_DATE_EPOCH)",
    ),
    "cli.help.run.output_format": ("結果の表示形式", "how the result is printed"),
    # value.*: how a found value is named inside a message (show, did_you_mean, yaml_problem)
    "value.empty": ("空欄", "an empty value"),
    "value.yes": ("はい", "yes"),
    "value.no": ("いいえ", "no"),
    "value.collection": ("一覧や項目の集まり", "a list or mapping"),
    "value.did_you_mean": ("（{close} のことですか）", " (did you mean {close}?)"),
    "value.yaml_unreadable": ("YAML として読めません（{problem}）", "{problem}"),
}

# diff.*: the words of `jcredit diff` (toolkit/diff/forms.py); cli.help.diff.*: its options
TEMPLATES.update(
    {
        "cli.help.diff.output_format": (
            "出力の形式（xlsx は -o が必要）",
            "report format (xlsx needs -o)",
        ),
        "cli.help.diff.exit_code": (
            "変更があれば終了コード 1（git diff --exit-code と同じ）",
            "exit 1 when there are changes, as git diff --exit-code",
        ),
        "cli.help.diff.output": ("差分をこのファイルに書く", "write the report to this file"),
        "cli.help.diff.stage": (
            "指摘を比べる段階: registration（登録）または verification（認証）",
            "the stage whose findings are compared: registration or verification",
        ),
        "cli.help.diff.force": ("-o のファイルがあれば上書きする", "overwrite the -o file if it exists"),
        "diff.title": ("差分: {old} → {new}", "Changes: {old} → {new}"),
        "diff.sheet": ("差分", "Changes"),
        "diff.project": ("プロジェクト: {old} → {new}", "Project: {old} → {new}"),
        "diff.stage": ("指摘の比較: {stage}", "Findings compared at: {stage}"),
        "diff.none": ("変更はありません", "No changes"),
        "diff.summary": (
            "変更あり: 入力 {fields} 件、行の追加・削除 {rows} 件、係数 {factors} 件、証憑 {evidence} 件、"
            "指摘 新規 {appeared} 件・解消 {resolved} 件",
            "Changed: input values {fields}, rows added or removed {rows}, factor rows {factors}, "
            "evidence files {evidence}, findings appeared {appeared}, resolved {resolved}",
        ),
        "diff.fields": ("入力の変更（{count} 件）", "Changed input values ({count})"),
        "diff.rows": ("行の追加・削除（{count} 件）", "Rows added or removed ({count})"),
        "diff.activities": (
            "活動: 追加 {added}、削除 {removed}",
            "Activities: added {added}, removed {removed}",
        ),
        "diff.factors": (
            "係数の行（プロジェクトが記入したもの、{count} 件）",
            "Factor rows the project supplies ({count})",
        ),
        "diff.evidence": ("証憑ファイル（SHA-256、{count} 件）", "Evidence files (SHA-256, {count})"),
        "diff.results.monitored": ("算定結果への影響（実績）", "Effect on the results (monitored)"),
        "diff.results.estimate": (
            "算定結果への影響（計画の見込量）",
            "Effect on the results (plan estimate)",
        ),
        "diff.total": (
            "合計 {old} → {new} t-CO2（{delta}）、認証対象 {old_certified} → {new_certified} t-CO2",
            "Total {old} → {new} t-CO2 ({delta}), certifiable {old_certified} → {new_certified} t-CO2",
        ),
        "diff.no_total": (
            "合計なし（旧: 誤り {old_errors} 件、新: 誤り {new_errors} 件）",
            "No total (old: {old_errors} errors, new: {new_errors} errors)",
        ),
        "diff.unchanged": ("変わりません", "unchanged"),
        "diff.findings": ("指摘の変化", "Findings"),
        "diff.appeared": ("新たな指摘（{count} 件）", "Appeared ({count})"),
        "diff.resolved": ("解消した指摘（{count} 件）", "Resolved ({count})"),
        "diff.none_short": ("なし", "none"),
        "diff.change.added": ("追加", "added"),
        "diff.change.removed": ("削除", "removed"),
        "diff.change.changed": ("変更", "changed"),
        "diff.cause.added": ("活動の追加", "activity added"),
        "diff.cause.removed": ("活動の削除", "activity removed"),
        "diff.cause.reading": ("読取値の変更", "a reading changed"),
        "diff.cause.activity": ("活動の入力の変更", "the activity's inputs changed"),
        "diff.cause.factor": ("係数の変更", "a factor changed"),
        "diff.cause.rules_version": ("規程の版の変更", "the rules version changed"),
        "diff.cause.project": ("プロジェクトの項目の変更", "a project field changed"),
        "diff.cause.other": ("その他の入力の変更", "another input changed"),
        "diff.column.kind": ("種別", "Kind"),
        "diff.column.document": ("書類", "Document"),
        "diff.column.section": ("節", "Section"),
        "diff.column.what": ("項目（パス）", "Item (path)"),
        "diff.column.key": ("行", "Row"),
        "diff.column.location": ("場所（新）", "Location (new)"),
        "diff.column.old": ("旧", "Old"),
        "diff.column.new": ("新", "New"),
        "diff.column.delta": ("差", "Change"),
        "diff.column.cause": ("原因", "Cause"),
        "diff.column.activity": ("活動ID", "Activity"),
        "diff.column.rule": ("ルール", "Rule"),
        "diff.column.message": ("内容", "Finding"),
        "diff.kind.field": ("入力", "input"),
        "diff.kind.row": ("行", "row"),
        "diff.kind.factor": ("係数", "factor"),
        "diff.kind.evidence": ("証憑", "evidence"),
        "diff.kind.result": ("算定結果", "result"),
        "diff.kind.appeared": ("新たな指摘", "finding appeared"),
        "diff.kind.resolved": ("解消した指摘", "finding resolved"),
    }
)


# PyYAML's problems, in Japanese; matched by the start of its English text
YAML_PROBLEMS = (
    (
        r"mapping values are not allowed",
        "ここに「キー: 値」は書けません（字下げ、またはコロンの後の空白を確認）",
    ),
    (r"found character '\\t'", "タブ文字は使えません。空白で字下げしてください"),
    (r"found character", "この位置に使えない文字があります（値を引用符で囲んでください）"),
    (r"could not find expected ':'", "「:」が見つかりません"),
    (r"found undefined alias", "未定義の別名（*）があります"),
    (r"expected <block end>", "字下げがそろっていません"),
    (r"found unexpected end of stream", "引用符か括弧が閉じられていません"),
    (r"found unknown escape character", "使えないエスケープ文字があります"),
    (r"expected ',' or '[\]}]'", "一覧や項目の区切り（, ] }）がそろっていません"),
    (r"could not determine a constructor", "使えないタグ（!! で始まるもの）があります"),
    (r"found duplicate", "同じ指示が重複しています"),
    (r"expected a single document", "ファイルには一つの文書だけを書いてください（--- を取り除く）"),
    (r"while scanning", "引用符か括弧が閉じられていません"),
)


def both(code: str, params: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The text of `code` in every language, {"ja": ..., "en": ...}: a parameter of another message."""
    return {lang: render(code, lang, params) for lang in LANGS}


def yaml_problem(english: str) -> dict[str, str]:
    """PyYAML's problem text in both languages."""
    for pattern, japanese in YAML_PROBLEMS:
        if re.match(pattern, english):
            return {"ja": japanese, "en": english}
    return both("value.yaml_unreadable", {"problem": english})


def did_you_mean(close: Any) -> dict[str, str] | str:
    """The hint after a value that is almost a known one; empty when nothing is close."""
    if not close:
        return ""
    return both("value.did_you_mean", {"close": close})


def show(value: Any, lang: str) -> str:
    """How a found value is quoted in a message."""
    if value is None or value == "":
        return render("value.empty", lang)
    if isinstance(value, bool):
        text = render("value.yes" if value else "value.no", lang)
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, Decimal):
        text = format(value, "f") if abs(value.adjusted()) < 30 else str(value)
    elif isinstance(value, (dict, list)):
        return render("value.collection", lang)
    else:
        text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return f"「{text}」" if lang == "ja" else repr(text) if isinstance(value, str) else text


def text(code: str, lang: str) -> str:
    """The template of `code` in `lang` as it stands, placeholders and all, for a caller that fills it in itself."""
    ja, en = TEMPLATES[code]
    return ja if lang == "ja" else en


def render(code: str, lang: str, params: Mapping[str, Any] | None = None) -> str:
    """The message for `code` in `lang`; `found`/`value` params are quoted, {ja, en} params are localised.

    Every user-facing text comes from here: problem messages, checklist findings (check.*, fix.*), and the
    words of the reports (report.*, checklist.*); a heading without placeholders needs no params.
    """
    template = text(code, lang)
    values = {}
    for key, param in (params or {}).items():
        if isinstance(param, Mapping) and set(param) <= set(LANGS):
            param = param.get(lang, param.get("ja", ""))
        elif key in ("found", "value", "other_value"):
            param = show(param, lang)
        values[key] = param
    return template.format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""
