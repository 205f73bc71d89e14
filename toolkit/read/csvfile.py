"""Read a small CSV list strictly (other_programs.csv): every row whole, or a problem at its line and column.

A lenient reader lets one unbalanced quote swallow every later row, and stops at a long field with an
error of its own; here a file is either read whole or reported, so no row is ever missed unseen.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from toolkit.problems import Location, Problem

MAX_FIELD = 10_000  # characters: a program name, a member's name or address is far shorter
ENCODINGS = ("utf-8-sig", "cp932")  # Excel on Japanese Windows saves CSV as Shift_JIS

_REASONS = {
    "quote": (
        '閉じていない「"」があります（ここから後の行が一つの欄として読まれてしまいます）',
        'a quote (") is never closed (every later row would be read as one field)',
    ),
    "after_quote": ('「"」で囲んだ欄の後に「,」が必要です', 'expected "," after a quoted field'),
    "newline": (
        '欄の中に改行があります（「"」の閉じ忘れではありませんか）',
        'a field holds a line break (a quote (") left open?)',
    ),
    "too_long": (
        f"{MAX_FIELD:,} 文字を超える欄があります",
        f"a field is longer than {MAX_FIELD:,} characters",
    ),
    "columns": (
        "見出しは {expected} 列ですが、この行は {found} 列です",
        "the headers have {expected} columns, this row {found}",
    ),
    "encoding": ("UTF-8 でも Shift_JIS でも読めません", "neither UTF-8 nor Shift_JIS"),
    "other": ("CSV として読めません（{detail}）", "not readable as CSV ({detail})"),
}


def reason(kind: str, **params: object) -> dict[str, str]:
    """The words for one kind of CSV problem, in both languages."""
    ja, en = _REASONS[kind]
    return {"ja": ja.format(**params), "en": en.format(**params)}


def read_csv(path: Path, name: str) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """The headers, the rows with their line numbers, and the problems (`csv_syntax` at line and column).

    With any problem the rows are not to be used: the file was not read whole.
    """
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return [], [], [Problem("csv_syntax", "", Location(name, 1), {"reason": reason("encoding")})]
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            kind, column = _kind(str(error), lines, start)
            problems.append(
                Problem(
                    "csv_syntax", "", Location(name, start, column), {"reason": reason(kind, detail=error)}
                )
            )
            break  # the reader cannot resynchronise after a broken quote
        for index, field in enumerate(row):
            if "\n" in field or "\r" in field or len(field) > MAX_FIELD:
                kind = "too_long" if len(field) > MAX_FIELD else "newline"
                column = _column_of(lines, start, index)
                problems.append(
                    Problem("csv_syntax", "", Location(name, start, column), {"reason": reason(kind)})
                )
                break
        if row:
            rows.append((start, row))
    if rows and not problems:
        width = len(rows[0][1])
        for line, row in rows[1:]:
            if len(row) != width and any(field.strip() for field in row):
                problems.append(
                    Problem(
                        "csv_syntax",
                        "",
                        Location(name, line),
                        {"reason": reason("columns", expected=width, found=len(row))},
                    )
                )
    headers = rows[0][1] if rows else []
    return headers, rows[1:], problems


def _kind(message: str, lines: list[str], start: int) -> tuple[str, int | None]:
    """What a csv.Error means, and the column (from 1) where the record's open quote is, if one is."""
    if "field larger than field limit" in message:
        return "too_long", None
    line = lines[start - 1] if 0 < start <= len(lines) else ""
    if "expected after" in message:
        return "after_quote", None
    if "unexpected end of data" in message or "EOF" in message:
        return "quote", _open_quote(line)
    return "other", None


def _open_quote(line: str) -> int | None:
    """The column of the quote left open on a line (the last of an odd count), from 1."""
    if line.count('"') % 2 == 0:
        return None
    return line.rfind('"') + 1


def _column_of(lines: list[str], start: int, index: int) -> int | None:
    """Where field `index` starts on the record's first line, from 1, when the line is plain enough to tell."""
    line = lines[start - 1] if 0 < start <= len(lines) else ""
    parts = line.split(",")
    if '"' in line or index >= len(parts):
        return _open_quote(line)
    return sum(len(part) + 1 for part in parts[:index]) + 1
