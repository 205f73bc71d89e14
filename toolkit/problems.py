"""Problems found in the inputs: where, which field, what was expected and what was found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from toolkit import messages


@dataclass(frozen=True, order=True)
class Location:
    """Where a value came from: `file:line[:column]` or `file!Sheet!Cell`."""

    file: str
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    row: int | None = None
    col: int | None = None  # 1-based spreadsheet column

    def __str__(self) -> str:
        if self.sheet is not None:
            where = f"{self.file}!{self.sheet}"
            if self.row is not None:
                where += "!" + (column_letter(self.col) if self.col else "") + str(self.row)
            return where
        if self.line is not None:
            return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        return self.file

    def sort_key(self) -> tuple:
        """Sort by file, sheet, line or row, then column, a missing part first (None does not compare)."""
        return (self.file, self.sheet or "", self.line or self.row or 0, self.col or self.column or 0)


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One finding about the inputs; `severity` is `error` (invalid) or `warning` (normalised or ignored)."""

    code: str
    path: str = ""
    location: Location | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    label: Mapping[str, str] = field(default_factory=dict)
    section: str = ""
    severity: str = "error"

    def message(self, lang: str = "ja") -> str:
        """What is wrong in `lang`; a grouped warning adds how many more cells have it and where."""
        text = messages.render(self.code, lang, self.params)
        if self.params.get("more"):  # a grouped warning: the first cell, then how many more and where
            text += messages.render("and_more", lang, self.params)
        return text

    def label_in(self, lang: str = "ja") -> str:
        """The field's label in `lang`, else in Japanese, else ""."""
        return self.label.get(lang) or self.label.get("ja") or ""

    def sort_key(self) -> tuple:
        """Order by location, then path and code: the same inputs list their problems in the same order."""
        return (self.location.sort_key() if self.location else ("",), self.path, self.code)

    def line(self, lang: str = "ja") -> str:
        """The one-line form: `location path（label）: message`."""
        where = str(self.location) if self.location else ""
        what = self.path
        label = self.label_in(lang)
        if what and label:
            what += f"（{label}）" if lang == "ja" else f" ({label})"
        head = " ".join(part for part in (where, what) if part)
        return f"{head}: {self.message(lang)}" if head else self.message(lang)

    def as_json(self, lang: str = "ja") -> dict:
        """The problem as the JSON output lists it, in `lang`; `count` includes the cells grouped into it."""
        return {
            "path": self.path,
            "location": str(self.location) if self.location else "",
            "message": self.message(lang),
            "label": self.label_in(lang),
            "section": self.section,
            "code": self.code,
            "count": 1 + self.params.get("more", 0),
        }
