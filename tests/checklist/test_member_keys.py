"""The one member normaliser batch and check share: names and addresses as different people write them."""

from __future__ import annotations

import pytest

from toolkit.checklist.members import Members, member_key, normal_address, normal_name, repeats


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("山田 太郎 様邸", "山田太郎"),
        ("山田　太郎様", "山田 太郎"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),
        ("ＡＢＣ商店 殿", "abc商店"),
    ],
)
def test_names_compare_without_honorifics_spaces_and_width(first, second):
    assert normal_name(first) == normal_name(second)


@pytest.mark.parametrize(
    "written",
    [
        "橋本町2丁目8番地3",
        "橋本町二丁目8番3号",
        "橋本町2-8-3",
        "橋本町２－８－３",
        "岐阜県橋本町2丁目8番3",
        "橋本町 2丁目 8-3",
        "橋本町2ー8ー3",
    ],
)
def test_addresses_compare_across_block_number_forms(written):
    assert normal_address(written, "岐阜県") == "橋本町2-8-3"


def test_different_places_stay_different():
    assert normal_address("橋本町2丁目8番地3") != normal_address("橋本町2丁目8番地4")
    assert normal_address("橋本町十二番地") == "橋本町12"
    assert normal_address("二十三番地") == "23"


def test_the_same_member_needs_both_name_and_address():
    rows = [
        {"name": "山田 太郎 様邸", "address": "本町1丁目2番地"},
        {"name": "山田太郎", "address": "本町1-2"},
        {"name": "山田太郎", "address": "本町1-3"},
        {"name": "山田太郎", "address": ""},
        {"name": "", "address": "本町1-2"},
    ]
    assert list(repeats(rows)) == [(1, 0)]
    assert member_key(rows[0]) == ("山田太郎", "本町1-2")
    members = Members([("PV-1", rows[0])])
    assert members.first(rows[1]) == "PV-1" and members.first(rows[2]) is None
