"""Messages quote what was found the same way in every template."""

import datetime as dt
from decimal import Decimal

from toolkit import messages


def test_found_values_are_quoted_per_language():
    assert messages.show("abc", "ja") == "「abc」"
    assert messages.show("abc", "en") == "'abc'"
    assert messages.show(Decimal("0.000441"), "en") == "0.000441"
    assert messages.show(dt.date(2025, 4, 1), "ja") == "「2025-04-01」"
    assert messages.show(None, "en") == "an empty value"
    assert messages.show(True, "ja") == "「はい」"


def test_long_values_are_shortened():
    assert len(messages.show("x" * 500, "en")) < 70


def test_localised_parameters_pick_the_language():
    params = {"found": "50085", "example": "123-4567"}
    assert messages.render("format", "ja", params) == "「123-4567」形式が必要ですが「50085」でした"
    assert messages.render("format", "en", params) == "expected the form 123-4567, found '50085'"
    hint = {"ja": "（岐阜県 のことですか）", "en": " (did you mean 岐阜県?)"}
    text = messages.render("allowed", "en", {"found": "岐阜", "choices": "a、b", "hint": hint})
    assert text.endswith("(did you mean 岐阜県?)")
