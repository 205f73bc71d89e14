"""Who a member is: names and addresses compared as different people write them, and the same member twice.

One owner for `check` (rule R-PRG-SAMEMEMBER over the whole program) and `batch` (a new member already in the
project, or twice in the batch): 山田 太郎 様邸 = 山田太郎, 橋本町二丁目８番地３ = 橋本町2-8-3.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Iterator, Mapping

HONORIFICS = ("様邸", "様宅", "様方", "様", "殿", "さん")
NAME_KEYS = ("name", "farmer", "owner")
ADDRESS_KEYS = ("address", "field_address", "location")
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十]+(?=丁目|番地|番|号)")
_DASHES = re.compile(r"[‐‑‒–—―−ー－-]")
_BLOCK_WORDS = re.compile(r"(?<=\d)(?:丁目|番地の?|番の?|号|の)(?=\d|$)")


def normal_name(text: Any) -> str:
    """A name as compared: NFKC (全角/半角), no spaces, case-folded, without a trailing honorific (様, 様邸 …)."""
    text = "".join(unicodedata.normalize("NFKC", str(text or "")).split()).casefold()
    for honorific in HONORIFICS:
        if text.endswith(honorific) and len(text) > len(honorific):
            return text[: -len(honorific)]
    return text


def _kanji_number(match: re.Match) -> str:
    text, value, digit = match.group(0), 0, 0
    for char in text:
        if char == "十":
            value += (digit or 1) * 10
            digit = 0
        else:
            digit = digit * 10 + _KANJI_DIGITS[char]
    return str(value + digit)


def normal_address(text: Any, prefecture: Any = "") -> str:
    """An address as compared: NFKC, no spaces, 二丁目8番地3 / 2丁目8番3号 / 2-8-3 all as 2-8-3, no prefecture."""
    text = "".join(unicodedata.normalize("NFKC", str(text or "")).split()).casefold()
    prefecture = "".join(unicodedata.normalize("NFKC", str(prefecture or "")).split())
    if prefecture and text.startswith(prefecture.casefold()):
        text = text[len(prefecture) :]
    text = _KANJI_NUMBER.sub(_kanji_number, text)
    text = _DASHES.sub(lambda match: "-" if _between_digits(match) else match.group(0), text)
    text = _BLOCK_WORDS.sub("-", text)
    return re.sub(r"-+", "-", text).strip("-")


def _between_digits(match: re.Match) -> bool:
    text, start = match.string, match.start()
    return 0 < start < len(text) - 1 and text[start - 1].isdigit() and text[start + 1].isdigit()


def member_key(activity: Mapping) -> tuple[str, str]:
    """(name, address) of an activity row as compared; empty strings where the row has none."""
    name = next((activity[key] for key in NAME_KEYS if activity.get(key)), "")
    address = next((activity[key] for key in ADDRESS_KEYS if activity.get(key)), "")
    return normal_name(name), normal_address(address, activity.get("prefecture"))


def same_member(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """The same person at the same address: both names given and equal, and the addresses equal (both given)."""
    return bool(first[0]) and first[0] == second[0] and bool(first[1]) and first[1] == second[1]


class Members:
    """Members seen so far, by (name, address): `add` tells which earlier member, if any, is the same person."""

    def __init__(self, rows: Iterable[tuple[Any, Mapping]] = ()):
        self._seen: dict[tuple[str, str], Any] = {}
        for tag, row in rows:
            self.add(tag, row)

    def first(self, row: Mapping) -> Any:
        """The tag of an earlier member that is the same person at the same address, else None."""
        key = member_key(row)
        return self._seen.get(key) if key[0] and key[1] else None

    def add(self, tag: Any, row: Mapping) -> Any:
        """Remember `row` under `tag`; returns the tag of the same member seen before (it stays the first)."""
        key = member_key(row)
        if not (key[0] and key[1]):
            return None
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = tag
        return None


def repeats(activities: Iterable[Mapping]) -> Iterator[tuple[int, int]]:
    """(index, index of its first occurrence) for each activity that repeats an earlier member."""
    members = Members()
    for index, activity in enumerate(activities):
        earlier = members.add(index, activity)
        if earlier is not None:
            yield index, earlier
