"""The document model: what every renderer draws, built once from a document spec (documents.py).

A document is sections of blocks. Blocks are field lists, paragraphs, tables and charts. A value is
plain data (str, int, Decimal, date, None) or `Missing`, a required field that is still empty, which
every renderer shows as the highlighted marker 【未記入: label】. Renderers never compute: the figures,
their display text (`render.text`) and the Excel formulas that reproduce them are all decided here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterator, Union

STAGES = ("registration", "verification")  # 登録（妥当性確認）, 認証（検証）


@dataclass(frozen=True)
class Missing:
    """A required field that is empty: rendered as a highlighted marker, listed as an open item."""

    label: str
    path: str
    section: str = ""  # the section id (plan.1.1 ...) it belongs to
    stage: str = "registration"  # the first stage that requires it

    @property
    def marker(self) -> str:
        """The text every renderer shows in the field's place: 【未記入: label】."""
        return f"【未記入: {self.label}】"

    def __str__(self) -> str:
        return self.marker


Value = Union[str, int, Decimal, dt.date, None, Missing]
Inline = Union[str, Missing]  # a paragraph is text runs and markers


@dataclass(frozen=True)
class FieldRow:
    """One labelled value (郵便番号: 500-8856); `value` is a run of text and markers."""

    label: str
    value: tuple[Inline, ...]
    path: str = ""
    printed: bool = True  # False: required (a marker, an open item) but not a line of the form (project.type)


@dataclass(frozen=True)
class Fields:
    """A list of labelled values, drawn as a two-column table of labels and values."""

    rows: tuple[FieldRow, ...]


@dataclass(frozen=True)
class Paragraph:
    """Narrative text: a run of plain text and 【未記入】 markers."""

    parts: tuple[Inline, ...]


@dataclass(frozen=True)
class Column:
    """A table column. `kind` decides alignment and number format: text, number, integer, date."""

    key: str
    label: str
    unit: str = ""
    kind: str = "text"
    places: int | None = None  # decimals shown in PDF/DOCX (XLSX keeps the exact value); None: as is
    width: int = 1  # relative width in PDF/DOCX; XLSX widths follow the text
    printed: bool = True  # False: in the workbook only (a breakdown's many input columns would not fit A4)


class Rows:
    """A table's rows produced anew at each pass instead of held (a batch's activity list of tens of thousands
    of members): `count` rows, which `produce()` yields in order each time the rows are walked. They are walked
    a few times (the optional columns some row fills, the XLSX column widths, the rows written), none held;
    `Document.printed` holds them in a list for the PDF and DOCX renderers, which lay the whole table out at
    once."""

    def __init__(self, count: int, produce: Callable[[], Iterator[Any]]):
        self.count, self.produce = count, produce

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        return iter(self.produce())


@dataclass
class Table:
    """A table of rows keyed by column. `formulas` carry the Excel formulas that reproduce its figures.

    A formula is a template over cells: `{key}` is the cell of column `key` in the same row; in
    `total_formulas`, `{key}` is the range of that column's data rows; `{table.key}` is the total
    cell of column `key` in another table of the same workbook. Only XLSX uses formulas; PDF and DOCX
    show the values, which the formulas reproduce.
    """

    id: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Value]] | Rows  # Rows: produced at each pass (a long list, written streamed)
    formulas: list[dict[str, str]] = field(default_factory=list)  # per row, may be empty
    total: dict[str, Value] | None = None  # shown once, after the last row
    total_formulas: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # the XLSX sheet it lands on; None: not in the workbook
    note: str = ""  # one line under the table
    body: bool = True  # False: in the workbook only (thousands of monthly rows), not in the PDF or DOCX
    whole: Table | None = None  # in a part of a long document (Document.parts): the whole table (its widths)


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name and unit for the legend, and one value per category."""

    label: str
    unit: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class Chart:
    """Monthly bars (activity data) with a line (reductions) on a second axis, over `categories`."""

    id: str
    title: str
    categories: tuple[str, ...]  # 2025-04, 2025-05 ...
    bars: Series
    line: Series | None = None
    sheet: str | None = None


Block = Union[Fields, Paragraph, Table, Chart]


@dataclass(frozen=True)
class Remark:
    """A checklist finding other than an empty field (a failed rule, missing evidence), shown at a draft's end."""

    rule: str  # R-ELIG-2Y ...
    severity: str  # blocking | warning | info
    text: str
    fix: str
    path: str = ""
    section: str = ""


@dataclass(frozen=True)
class Note:
    """A reviewer's open comment in a draft (review.yaml): numbered, drawn beside the field or heading it anchors on."""

    number: int  # 1, 2 …: the mark beside the field and the line of the end list
    id: str  # C3: the comment's id in review.yaml
    path: str  # the data path it is about
    author: str
    date: dt.date
    text: str
    blocking: bool = False
    anchor: str = ""  # a field row's path, a section id, or "" (the title: the field is not in this document)
    replies: tuple[str, ...] = ()  # "author: text" of each reply, in order
    orphan: bool = False  # the project no longer has the path


@dataclass
class Section:
    """A numbered section of a document: its heading, its blocks, and the id its open items refer to."""

    id: str  # plan.1.1, monitoring.B.2 ...: the same ids as the schema's meta sections
    number: str  # shown before the title: 1.1, B.2 ...
    title: str
    blocks: list[Block]
    level: int = 1  # 1: a chapter heading, 2: a sub-heading
    continued: bool = False  # in a later part of a long document: the heading is not repeated
    draft_only: bool = False  # our own addition to the form (B.5 証憑一覧): printed in drafts only


@dataclass
class Document:
    """One document ready to render: the same object goes to the PDF, DOCX and XLSX renderers."""

    kind: str  # plan | monitoring | activity-list
    title: str  # プロジェクト計画書（プログラム型）
    project_name: str
    date: dt.date  # the document date in the page header
    stage: str  # registration | verification
    sections: list[Section]
    draft: bool = True
    landscape: bool = False
    open_items: list[Missing] = field(default_factory=list)  # every marker in the document, in order
    required: int = 0  # fields its spec requires at its stage (the checklist's score counts them)
    remarks: list[Remark] = field(
        default_factory=list
    )  # the checklist's other findings: a draft's closing 審査前の確認事項, never in a final document
    notes: list[Note] = field(
        default_factory=list
    )  # open review comments, drawn beside their fields (drafts)
    files: dict[str, str] = field(default_factory=dict)  # format -> output file name
    workbook_title: str = ""  # the XLSX title (e.g. プロジェクト計画書 別紙)
    built: dt.datetime = dt.datetime(
        2000, 1, 1, tzinfo=dt.timezone.utc
    )  # SOURCE_DATE_EPOCH or now: file dates
    complete: bool = True  # False: built for its gaps only, without the blocks that cannot hold one
    continued: bool = False  # a later part of a long document (parts): no title block
    numbered: bool = True  # False: the PDF renderer numbers the pages after merging the parts
    closes: bool = True  # the part that ends the document: the end lists (comments, open items, remarks)
    date_style: str = "seireki"  # project.date_style: how every date reads (documents/text.py date_text)

    def printed(self) -> Document:
        """The document as PDF and DOCX show it: without the tables and columns that live in the workbook only,
        the rows of every table held (`Rows` produced once)."""

        def shown(block: Block) -> Block:
            if isinstance(block, Table) and isinstance(block.rows, Rows):
                block = dataclasses.replace(block, rows=list(block.rows))
            if isinstance(block, Fields) and not all(row.printed for row in block.rows):
                return Fields(tuple(row for row in block.rows if row.printed))
            if isinstance(block, Table) and not all(column.printed for column in block.columns):
                return dataclasses.replace(
                    block, columns=[column for column in block.columns if column.printed]
                )
            return block

        sections = [
            dataclasses.replace(
                section,
                blocks=[
                    shown(block)
                    for block in section.blocks
                    if not (isinstance(block, Table) and not block.body)
                ],
            )
            for section in self.sections
            if self.draft or not section.draft_only  # a final document holds only what the form holds
        ]
        return dataclasses.replace(self, sections=sections)

    def parts(self, rows: int) -> list[Document]:
        """The printed document cut into parts of about `rows` table rows each (a block other than a table
        counts as one row), for a renderer whose cost grows faster than the length of what it lays out: a
        table longer than that is cut between rows, its caption and heading kept in the first part, its total
        and note in the last. One part, the document itself, when it is short enough."""
        if sum(len(b.rows) if isinstance(b, Table) else 1 for s in self.sections for b in s.blocks) <= rows:
            return [self]
        parts: list[list[Section]] = [[]]
        blocks: list[Block] = []
        room, continued = rows, False

        def close(section: Section) -> None:  # the part is full: what the section has so far ends it
            nonlocal blocks, room, continued
            if blocks:
                parts[-1].append(dataclasses.replace(section, blocks=blocks, continued=continued))
                continued = True
            if parts[-1]:
                parts.append([])
            blocks, room = [], rows

        for section in self.sections:
            continued = False
            for block in section.blocks:
                if not isinstance(block, Table):
                    if room <= 0:
                        close(section)
                    blocks.append(block)
                    room -= 1
                    continue
                left, formulas, first = block.rows, block.formulas, True
                while len(left) > room:
                    if room > 0:
                        blocks.append(
                            dataclasses.replace(
                                block,
                                title=block.title if first else "",
                                rows=left[:room],
                                formulas=formulas[:room],
                                total=None,
                                note="",
                                whole=block,
                            )
                        )
                        left, formulas, first = left[room:], formulas[room:], False
                    close(section)
                blocks.append(
                    dataclasses.replace(
                        block,
                        title=block.title if first else "",
                        rows=left,
                        formulas=formulas,
                        whole=block,
                    )
                )
                room -= len(left)
            parts[-1].append(dataclasses.replace(section, blocks=blocks, continued=continued))
            blocks = []
        parts = [sections for sections in parts if sections]
        last = len(parts) - 1
        return [
            dataclasses.replace(
                self,
                sections=sections,
                continued=index > 0,
                numbered=False,
                closes=index == last,
                open_items=self.open_items if index == last else [],
                remarks=self.remarks if index == last else [],
            )
            for index, sections in enumerate(parts)
        ]

    def notes_at(self, anchor: str) -> list[Note]:
        """The review notes drawn at `anchor` (a field's path or a section id), in number order."""
        return [note for note in self.notes if note.anchor == anchor] if anchor else []

    def tables(self) -> list[Table]:
        """Every table in the document, in order, the workbook-only ones included."""
        return [block for section in self.sections for block in section.blocks if isinstance(block, Table)]

    def charts(self) -> list[Chart]:
        """Every chart in the document, in order."""
        return [block for section in self.sections for block in section.blocks if isinstance(block, Chart)]
