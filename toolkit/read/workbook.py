"""Read XLSX sheets fast (python-calamine) within documented limits, keeping each cell's position.

Limits (README "入力の上限 / input limits"): a workbook file of at most 100 MB, at most 1 GB
unpacked, sheets of at most 300,000 rows and 5,000,000 cells. Formula cells give their cached
value; a formula without one is reported, never read as empty.
"""

from __future__ import annotations

import posixpath
import queue
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from xml.etree import ElementTree

from toolkit.forked import Forked, can_fork
from toolkit.problems import column_letter

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_ROWS = 300_000
MAX_CELLS = 5_000_000
_LAST_SERIAL = 2958465  # 9999-12-31, Excel's last date
_PIECE = 4 << 20  # bytes of sheet XML inflated at a time
SMALL_XML = 8 << 20  # sheets up to this size have every cell's reference looked at before reading

# literal-led patterns scan 40 MB of sheet XML ten times faster than one `<(?:\w+:)?f`
_SUSPECT = (re.compile(rb"<f[\s>/]"), re.compile(rb":f[\s>/]"), re.compile(rb't="e"'))
_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_ERROR_TYPE = re.compile(rb'\bt="e"')
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")
# a cell past column Z or at row 1,000,000 or beyond: `<c r="AA1"`, `<c s="2" r="B1000000"`
_FAR = re.compile(rb' r="[A-Z](?:[A-Z]|[0-9]{7})')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension [^>]*?\bref="([^"]+)"')
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_ROW_NUMBER = re.compile(rb'<row [^>]*?\br="([0-9]+)"')
_HOLDS = re.compile(rb"<(?:\w+:)?(?:v|is|f)[\s>/]")


class WorkbookError(Exception):
    """Raised when a file is not a readable workbook within the limits; `code` and `params` name the problem."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params
        self.cell: tuple[int, int] | None = None  # (row, column) of the one cell that is the cause


@dataclass
class Sheet:
    """A sheet's cells from A1: rows[i][j] is the cell at row i+1, column j+1 ('' when empty)."""

    name: str
    rows: list[list[Any]]
    # (row, column) -> (problem code, what the cell holds): formula_no_value or cell_error
    suspect: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    # merged ranges as (top row, left column, bottom row, right column), from 1
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


class Workbook:
    """An opened XLSX file; sheets are read on demand."""

    def __init__(self, path: Path):
        self.path = path
        self._unpacked = _check_container(path)
        from python_calamine import CalamineWorkbook

        try:
            self._book = CalamineWorkbook.from_path(str(path))
        except (KeyboardInterrupt, SystemExit):
            raise
        except (
            BaseException
        ) as error:  # calamine raises several unrelated types, and panics, for broken files
            raise WorkbookError("not_readable", reason=_reason(error)) from error
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._ahead: dict[str, _Background | Forked] = {}  # a sheet's checks, started early

    def read_ahead(self, name: str) -> None:
        """Start checking a sheet's XML (its extent, its untrustworthy cells) while the caller reads other sheets:
        a large workbook's in a forked child, on the other core (the checks hold the GIL), else in a thread."""
        if name in self.sheet_names and name not in self._ahead:
            large = self._unpacked > SMALL_XML and can_fork()
            self._ahead[name] = (Forked if large else _Background)(_looked_over, self.path, name)

    def close(self) -> None:
        """End the checks started ahead that no reading collected (a sheet then refused, or not read)."""
        for checks in self._ahead.values():
            checks.end(now=True)
        self._ahead.clear()

    def sheet(self, name: str) -> Sheet:
        """One sheet's cells and its untrustworthy cells; WorkbookError when it is beyond the limits or unreadable."""
        # the reader allocates the whole grid up to the farthest cell: its extent is checked first, from the XML
        ahead = self._ahead.pop(name, None)
        if ahead is None:
            problems = _looked_over(self.path, name)
        else:
            with ahead:
                problems = ahead.result()
        if isinstance(problems, WorkbookError):
            raise problems
        try:
            calamine_sheet = self._book.get_sheet_by_name(name)
            height, width = calamine_sheet.total_height, calamine_sheet.total_width
            if height > MAX_ROWS:
                raise WorkbookError("xlsx_too_many_rows", limit=f"{MAX_ROWS:,}", found=f"{height:,}")
            if height * width > MAX_CELLS:
                _check_extent(_sheet_xml(self.path, name), True)  # names the farthest cell
                raise WorkbookError(
                    "xlsx_too_many_cells", limit=f"{MAX_CELLS:,}", found=f"{height * width:,}"
                )
            rows = calamine_sheet.to_python(skip_empty_area=False)
            merged = [
                (top + 1, left + 1, bottom + 1, right + 1)
                for (top, left), (bottom, right) in calamine_sheet.merged_cell_ranges or ()
            ]
        except WorkbookError:
            raise
        except Exception as error:  # calamine, zipfile and XML parsers raise many unrelated types
            raise WorkbookError("not_readable", reason=_reason(error)) from error
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a panic in calamine (pyo3's PanicException is no Exception)
            raise _panicked(_sheet_xml(self.path, name), error) from error
        return Sheet(name, rows, problems, merged)


def _panicked(data: bytes, error: BaseException) -> WorkbookError:
    """What made calamine panic, where it can be told: a large negative number in a cell formatted as a date
    (no date can be one; Excel's dates run from serial 1 to 2958465, 9999-12-31); else the reader's own words."""
    for letters, row, attributes, inner in _CELL.findall(data):
        value = _VALUE.search(inner or b"")
        if value is None or b't="' in attributes and b't="n"' not in attributes:
            continue
        try:
            number = float(value.group(1))
        except ValueError:
            continue
        if number < -_LAST_SERIAL:  # calamine turns these into a duration it cannot hold
            found = WorkbookError("cell_not_a_date", found=value.group(1).decode("ascii", "replace"))
            found.cell = (int(row), _column_number(letters.decode()))
            return found
    return WorkbookError("not_readable", reason=_reason(error))


def _reason(error: BaseException) -> str:
    return str(error).splitlines()[0][:120] if str(error) else type(error).__name__


def _looked_over(path: Path, name: str) -> dict[tuple[int, int], tuple[str, str]] | WorkbookError:
    """A sheet's untrustworthy cells (`_cell_problems`) once its extent is known to be within the limits
    (`_checked_xml`); else the error refusing it, returned, not raised: it may come from a forked child."""
    try:
        return _cell_problems(b"".join(_checked_xml(path, name)))
    except WorkbookError as error:
        return error
    except Exception as error:  # zipfile and the XML parser raise many unrelated types
        return WorkbookError("not_readable", reason=_reason(error))


def _sheet_xml(path: Path, name: str) -> bytes:
    """A sheet's whole XML, to name the cell behind a refusal (its extent was checked: it fits in memory)."""
    with zipfile.ZipFile(path) as archive:
        return archive.read(_sheet_part(archive, name))


def _checked_xml(path: Path, name: str) -> list[bytes]:
    """A sheet's XML in pieces, once its extent is known to be within the limits (else WorkbookError).

    The extent is the declared one (`<dimension>`) and the actual one: the last row (rows are in ascending
    order, ECMA-376) and its cells, and in a sheet of up to SMALL_XML bytes every cell (a few milliseconds).
    A larger sheet is searched for any far cell reference (`_far_anywhere`) and, when one is there, has
    every cell looked at too.
    """
    pieces: queue.Queue = queue.Queue(maxsize=8)

    def inflate() -> None:
        try:
            with zipfile.ZipFile(path) as archive, archive.open(_sheet_part(archive, name)) as stream:
                while piece := stream.read(_PIECE):
                    pieces.put(piece)
        except BaseException as error:  # handed to the reading thread, which decides
            pieces.put(error)
        else:
            pieces.put(None)

    threading.Thread(target=inflate, daemon=True).start()
    parts: list[bytes] = []
    while (piece := pieces.get()) is not None:
        if isinstance(piece, WorkbookError):
            raise piece
        if isinstance(piece, BaseException):
            raise WorkbookError("not_readable", reason=_reason(piece)) from piece
        parts.append(piece)
    size = sum(map(len, parts))
    head = parts[0][:4096] if parts else b""
    declared = _DIMENSION.search(head)
    if size <= SMALL_XML or (declared and _beyond(declared.group(1).decode("ascii", "replace"))):
        far = True  # every cell is looked at
    elif not _far_anywhere(parts):
        tail = parts[-1] if len(parts) == 1 else parts[-2][-(1 << 16) :] + parts[-1]
        last = tail.rfind(b"<row ")
        _check_extent(tail[last:] if last >= 0 else b"", False)
        return parts
    else:
        far = True  # a far cell somewhere, even in a middle row of a sheet whose dimension says otherwise
    data = b"".join(parts)
    _check_extent(data, far and _FAR.search(data) is not None)
    return parts


def _far_anywhere(parts: list[bytes]) -> bool:
    """Whether any cell reference past column Z or at row 1,000,000 appears in the XML, across the pieces'
    seams too (50 ms for the 38 MB sheet of 120,000 readings: the price of never letting calamine allocate
    a grid a crafted file asks for)."""
    seam = b""
    for piece in parts:
        if _FAR.search(seam + piece[:16]) or _FAR.search(piece):
            return True
        seam = piece[-16:]
    return False


def _beyond(ref: str) -> bool:
    """Whether a declared range (A1:XFD100000) reaches past the limits."""
    corner = _REF.fullmatch(ref.rsplit(":", 1)[-1].replace("$", ""))
    if corner is None:
        return False
    rows, columns = int(corner.group(2)), _column_number(corner.group(1))
    return rows > MAX_ROWS or rows * columns > MAX_CELLS


def _check_extent(data: bytes, far: bool) -> None:
    """Refuse a sheet whose farthest cell holding something lies beyond the limits, naming that cell.

    `far`: a cell past column Z or at row 1,000,000 (none in a table of ours) was seen, and `data` is the
    whole XML; only then is every cell looked at. Else `data` is the end of the XML: rows are in ascending
    order (ECMA-376), so the last one gives the height.
    """
    last = data.rfind(b"<row ")
    number = _ROW_NUMBER.match(data, last) if last >= 0 else None
    height = int(number.group(1)) if number else 0
    if not far and height <= MAX_ROWS:
        return
    if not far:
        raise WorkbookError("xlsx_too_many_rows", limit=f"{MAX_ROWS:,}", found=f"{height:,}", cell="")
    far_row = far_column = 0
    row_cell = column_cell = (0, 0)
    for letters, row, _, inner in _CELL.findall(data):
        if not inner or not _HOLDS.search(inner):
            continue  # a formatted empty cell: the reader skips it
        line, column = int(row), _column_number(letters.decode())
        if line > far_row:
            far_row, row_cell = line, (line, column)
        if column > far_column:
            far_column, column_cell = column, (line, column)
    if far_row > MAX_ROWS:
        error = WorkbookError(
            "xlsx_too_many_rows", limit=f"{MAX_ROWS:,}", found=f"{far_row:,}", cell=_far(row_cell)
        )
        error.cell = row_cell
        raise error
    if far_row * far_column > MAX_CELLS:
        cell = column_cell if far_column * MAX_ROWS > MAX_CELLS else row_cell
        error = WorkbookError(
            "xlsx_too_many_cells",
            limit=f"{MAX_CELLS:,}",
            found=f"{far_row * far_column:,}",
            cell=_far(cell),
        )
        error.cell = cell
        raise error


def _far(where: tuple[int, int]) -> dict[str, str]:
    cell = f"{column_letter(where[1])}{where[0]}"
    return {
        "ja": f"（最も遠いセル {cell} まで読むことになります。不要なら削除してください）",
        "en": f" (the farthest cell is {cell}; delete it if it is not needed)",
    }


def _cell_problems(data: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    """Cells whose value cannot be trusted: formulas without a saved value, Excel error values (#REF! …)."""
    if not any(pattern.search(data) for pattern in _SUSPECT):
        return {}
    found = {}
    for letters, row, attributes, inner in _CELL.findall(data):
        where = (int(row), _column_number(letters.decode()))
        formula = _FORMULA_TEXT.search(inner or b"")
        value = _VALUE.search(inner or b"")
        if _ERROR_TYPE.search(attributes):
            found[where] = ("cell_error", value.group(1).decode("utf-8", "replace") if value else "#?")
        elif formula and not value:
            text = (formula.group(1) or b"").decode("utf-8", "replace")
            found[where] = ("formula_no_value", "=" + text if text else "（共有数式）")
    return found


class _Background(threading.Thread):
    """A call run in a thread; `result()` waits for it and returns its value or raises its exception."""

    def __init__(self, function: Callable[..., Any], *args: Any):
        super().__init__(daemon=True)
        self._call = (function, args)
        self._outcome: tuple[Any, BaseException | None] = (None, None)
        self.start()

    def run(self) -> None:
        function, args = self._call
        try:
            self._outcome = (function(*args), None)
        except BaseException as error:  # handed to the caller, who decides
            self._outcome = (None, error)

    def result(self) -> Any:
        self.join()
        value, error = self._outcome
        if error is not None:
            raise error
        return value

    def __enter__(self) -> _Background:
        return self

    def __exit__(self, *exception: Any) -> None:
        self.end(now=exception[0] is not None)

    def end(self, now: bool = False) -> None:
        """Wait for the call to end, unless `now` (a daemon thread ends by itself, its result unread)."""
        if not now:
            self.join()


def _check_container(path: Path) -> int:
    """The bytes the workbook unpacks to, once it is known to be a workbook within the limits (else WorkbookError)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            "xlsx_too_large", limit_mb=MAX_FILE_BYTES // 2**20, size_mb=round(size / 2**20, 1)
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookError("not_xlsx", **_describe(path))
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise WorkbookError("not_xlsx", **_describe(path)) from error
    if "xl/workbook.xml" not in names:
        raise WorkbookError(
            "not_xlsx",
            found={"ja": "Excel ブックでない ZIP ファイル", "en": "a ZIP file that is no workbook"},
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            "xlsx_unpacked_too_large",
            limit_mb=MAX_UNPACKED_BYTES // 2**20,
            size_mb=round(unpacked / 2**20, 1),
        )
    return unpacked


def _describe(path: Path) -> dict[str, Any]:
    """What a file that is no workbook is (`found`) and what to do about it (`advice`), as not_xlsx params."""
    found, advice = _what_it_is(path)
    return {"found": found, "advice": advice}


def _what_it_is(path: Path) -> tuple[dict[str, str], dict[str, str] | str]:
    with path.open("rb") as file:
        head = file.read(1 << 20)
    if head.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in head:
        return {
            "ja": "パスワードで保護されたブック",
            "en": "a password-protected workbook",
        }, {"ja": "。保護を解除して保存し直してください", "en": "; remove the password and save it again"}
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return {
            "ja": "旧形式の Excel ファイル（.xls）",
            "en": "an old-format Excel file (.xls)",
        }, {"ja": "。.xlsx で保存し直してください", "en": "; save it as .xlsx"}
    if not head:
        return {"ja": "空のファイル", "en": "an empty file"}, ""
    return {"ja": "Excel ブックではないファイル", "en": "a file that is not a workbook"}, ""


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str:
    """The zip member holding a sheet; tags are matched by local name (Strict Open XML uses other namespaces)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels if _local(rel.tag) == "Relationship"}
    for element in book.iter():
        if _local(element.tag) == "sheet" and element.get("name") == name:
            relation = next((value for key, value in element.attrib.items() if _local(key) == "id"), None)
            target = targets.get(relation)
            if target is None:
                break
            return (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
    raise WorkbookError("not_readable", reason=f"sheet {name} has no part in the workbook")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
