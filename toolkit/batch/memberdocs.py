"""A member's papers (参加申込書兼同意書, 活動概要): each document rendered once, then filled in per member.

A member document is built and rendered once with a marker in place of each member value. Each member's
DOCX is then that file with the escaped values put into its `word/document.xml`, every other part of the
package copied as it is, already compressed (ZipInfo + raw bytes): about a tenth of a python-docx save.
A member's PDF is the rendered HTML with the escaped values put in, laid out by WeasyPrint with the
document's stylesheets parsed once per worker.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from toolkit.documents.text import EMPTY, clean, date_text, number_text

KINDS = ("member_application", "member_summary")
KEYS = (
    "id",
    "name",
    "prefecture",
    "address",
    "equipment",
    "capacity",
    "commissioned_on",
    "fit",
    "battery",
    "joined_on",
    "crediting",
    "expected",
)
_MARK = re.compile("\ue000([a-z_]+)\ue001")
_WRAPPED = re.compile("<w:t>\ue000([a-z_]+)\ue001</w:t>".encode())
_DOCUMENT_XML = "word/document.xml"


def marker(key: str) -> str:
    """What stands in a prepared document for the member value `key` (private-use characters, never typed)."""
    return f"\ue000{key}\ue001"


@dataclass(frozen=True)
class Prepared:
    """A member document rendered once: its file names by format, the DOCX bytes and the HTML, with markers."""

    kind: str
    files: Mapping[str, str]
    docx: bytes | None
    html: str | None
    overrides: Path | None


def prepare(run, formats: tuple[str, ...], built: dt.datetime, on: dt.date) -> list[Prepared]:
    """Each member document, rendered once with markers, in the member formats asked for (pdf, docx)."""
    from toolkit.documents import assemble
    from toolkit.read import overrides as project_overrides

    project = run.project
    folder = project_overrides.folder(project.root)
    data = {**project.data, "member": {**{key: marker(key) for key in KEYS}, **constants(project)}}
    prepared = []
    for kind in KINDS:
        document = assemble.build_member(kind, data, run.estimate, folder, built)
        document.date = on
        document.draft = False
        printed = document.printed()
        docx = html_text = None
        if "docx" in formats:
            from toolkit.render import docx as docx_render

            buffer = _temporary(document.kind, ".docx")
            try:
                docx_render.render(printed, buffer, folder)
                docx = buffer.read_bytes()
            finally:
                buffer.unlink(missing_ok=True)
        if "pdf" in formats:
            from toolkit.render import html as html_render

            html_text = html_render.render(printed, folder)
        files = {fmt: name for fmt, name in document.files.items() if fmt in formats}
        prepared.append(Prepared(document.kind, files, docx, html_text, folder))
    return prepared


def _temporary(stem: str, suffix: str) -> Path:
    import tempfile

    handle, name = tempfile.mkstemp(prefix=f".jcredit-{stem}-", suffix=suffix)
    os.close(handle)
    return Path(name)


def constants(project) -> dict[str, str]:
    """The member values that are the program's: monitoring items, evidence to keep, signature lines."""
    module = project.methodology
    items = "、".join(f"{p.label['ja']}（{p.symbol}）" for p in module.MONITORING)
    kept = [  # what the monitoring plan says each item is read from (伝票, 計測 …)
        str(entry.get("method_class"))
        for entry in project.data.get("monitoring_plan") or []
        if isinstance(entry, Mapping) and entry.get("method_class")
    ]
    bylaws = (project.data.get("program") or {}).get("bylaws")
    evidence = "、".join(kept) or "モニタリングの記録と証憑"
    evidence += "（認証対象期間の終了後も保存）" + (f"。参加規約: {bylaws}" if bylaws else "")
    return {
        "monitoring_items": items,
        "evidence": evidence,
        "signature_date": "　　　　年　　月　　日",
        "signature_name": "＿" * 16,
    }


def values(activity: Mapping, result, module, unit: str = "kW") -> dict[str, str]:
    """A member's values as its documents show them (dates in words, numbers grouped)."""

    def day(value: Any) -> str:
        return date_text(value) if isinstance(value, dt.date) else EMPTY

    def yes(value: Any) -> str:
        return EMPTY if value is None else "はい" if value else "いいえ"

    capacity = activity.get("capacity_kw")
    crediting = result.crediting if result is not None else None
    annual = expected_annual(result)
    household = "（住宅用）" if activity.get("household") else ""
    return {
        "id": str(activity.get("id") or EMPTY),
        "name": clean(str(activity.get("name") or EMPTY)),
        "prefecture": clean(str(activity.get("prefecture") or EMPTY)),
        "address": clean(str(activity.get("address") or EMPTY)),
        "equipment": module.NAME["ja"] + household,
        "capacity": f"{number_text(capacity)} {unit}" if isinstance(capacity, Decimal) else EMPTY,
        "commissioned_on": day(activity.get("commissioned_on")),
        "fit": yes(activity.get("fit")),
        "battery": yes(activity.get("battery")),
        "joined_on": day(activity.get("joined_on")),
        "crediting": f"{day(crediting[0])} 〜 {day(crediting[1])}" if crediting else EMPTY,
        "expected": f"{number_text(annual, 3)} t-CO2/年（見込み）" if annual is not None else EMPTY,
    }


def expected_annual(result) -> Decimal | None:
    """A member's expected reduction in a full fiscal year of its estimate (the largest year), if computed."""
    if result is None:
        return None
    return max((sums.reduction for sums in result.by_fiscal_year.values()), default=None)


# -- filling in (in the worker processes) ------------------------------------------------------------
class _Docx:
    """A prepared DOCX taken apart once per process: each part's local record and central directory entry as
    bytes, and document.xml in pieces around the markers. A member's file is those bytes with its own
    document.xml compressed in, the offsets and sizes after it patched (ECMA-376 packages are plain zips)."""

    def __init__(self, data: bytes):
        end = data.rindex(b"PK\x05\x06")
        count = int.from_bytes(data[end + 10 : end + 12], "little")
        directory = int.from_bytes(data[end + 16 : end + 20], "little")
        self.end_record = data[end : end + 22]
        self.parts: list[tuple[bytes, bytes, bool]] = []  # (local record, central entry, is document.xml)
        at = directory
        for _ in range(count):
            names, extra, comment = (
                int.from_bytes(data[at + offset : at + offset + 2], "little") for offset in (28, 30, 32)
            )
            central = data[at : at + 46 + names + extra + comment]
            at += len(central)
            name = central[46 : 46 + names].decode("utf-8")
            local = int.from_bytes(central[42:46], "little")
            local_names = int.from_bytes(data[local + 26 : local + 28], "little")
            local_extra = int.from_bytes(data[local + 28 : local + 30], "little")
            size = int.from_bytes(central[20:24], "little")
            header = data[local : local + 30 + local_names + local_extra]
            if name == _DOCUMENT_XML:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    self.pieces = _WRAPPED.split(archive.read(name))
                self.parts.append((header, central, True))
            else:
                self.parts.append((data[local : local + len(header) + size], central, False))

    def write(self, path: Path, member: Mapping[str, str]) -> None:
        import zlib

        from toolkit.render.docx import text_xml

        parts = []
        for index, piece in enumerate(self.pieces):
            if index % 2:
                parts.append(text_xml(member.get(piece.decode(), EMPTY)).encode())
            else:
                parts.append(_MARK.sub(lambda m: _escaped(member, m.group(1)), piece.decode()).encode())
        xml = b"".join(parts)
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(xml) + packer.flush()
        sizes = zlib.crc32(xml).to_bytes(4, "little") + len(packed).to_bytes(4, "little")
        sizes += len(xml).to_bytes(4, "little")
        records, entries, offset = [], [], 0
        for record, central, is_document in self.parts:
            if is_document:
                record = record[:14] + sizes + record[26:] + packed
                central = central[:16] + sizes + central[28:]
            entries.append(central[:42] + offset.to_bytes(4, "little") + central[46:])
            records.append(record)
            offset += len(record)
        directory = b"".join(entries)
        end = self.end_record[:12] + len(directory).to_bytes(4, "little") + offset.to_bytes(4, "little")
        with open(path, "wb") as handle:
            handle.write(b"".join(records) + directory + end + self.end_record[20:])


def _escaped(member: Mapping[str, str], key: str) -> str:
    return html.escape(" ".join(member.get(key, EMPTY).split()), quote=False)


_PARSED: dict[int, _Docx] = {}


def _docx_of(prepared: Prepared) -> _Docx:
    key = id(prepared.docx)
    found = _PARSED.get(key)
    if found is None or found.source is not prepared.docx:
        found = _Docx(prepared.docx)
        found.source = prepared.docx
        if len(_PARSED) > 8:  # a worker serves one batch at a time: its few documents
            _PARSED.clear()
        _PARSED[key] = found
    return found


def write_member(prepared: Prepared, fmt: str, path: Path, member: Mapping[str, str]) -> None:
    """Write one member's document in `fmt` at `path` (a temporary name, then renamed: never half-written)."""
    temporary = path.with_name(f".{path.name}.part")
    if fmt == "docx":
        _docx_of(prepared).write(temporary, member)
    else:
        _pdf(prepared, temporary, member)
    os.replace(temporary, path)


def fill_html(source: str, member: Mapping[str, str]) -> str:
    """A prepared document's HTML with the member's values, escaped, in place of the markers."""
    return _MARK.sub(lambda match: html.escape(member.get(match.group(1), EMPTY), quote=True), source)


# a <style> element as render/html writes it: no attributes (a media query would need them) and no marker inside
_STYLE = re.compile(r"<style>([^<\ue000]*)</style>")


class _Pdf:
    """A prepared document's HTML taken apart once per process: its stylesheets parsed once with one font
    configuration, the HTML without them. WeasyPrint adds the stylesheets given to `write_pdf` after the
    document's own, so while the <style> elements are the only ones (no <link>), the cascade and the PDF are the
    same as the whole HTML's, and each member's PDF no longer parses the same CSS again (a sixth of its time)."""

    def __init__(self, prepared: Prepared):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from toolkit.render import fetch

        source = prepared.html or ""
        self.fetcher = fetch.ProjectImages(prepared.overrides)
        self.fonts = FontConfiguration()
        self.stylesheets = []
        if "<link" not in source:
            self.stylesheets = [
                CSS(string=css, base_url=self.fetcher.base, url_fetcher=self.fetcher, font_config=self.fonts)
                for css in _STYLE.findall(source)
            ]
            source = _STYLE.sub("", source)
        self.html = source

    def write(self, path: Path, member: Mapping[str, str]) -> None:
        from weasyprint import HTML

        document = HTML(
            string=fill_html(self.html, member), base_url=self.fetcher.base, url_fetcher=self.fetcher
        )
        document.write_pdf(path, stylesheets=self.stylesheets, font_config=self.fonts)


_LAID_OUT: dict[tuple, _Pdf] = {}


def _pdf(prepared: Prepared, path: Path, member: Mapping[str, str]) -> None:
    # by content: each job brings its own copy of the prepared documents, and a worker serves many jobs
    key = (prepared.html, prepared.overrides)
    found = _LAID_OUT.get(key)
    if found is None:
        if len(_LAID_OUT) > 8:  # a worker serves one batch at a time: its few documents
            _LAID_OUT.clear()
        found = _LAID_OUT[key] = _Pdf(prepared)
    found.write(path, member)
