"""The message catalogue: both languages for every key, and found values quoted the same way everywhere."""

import datetime as dt
import string
from decimal import Decimal

import pytest

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


# the whole catalogue: every key in both languages, with the same placeholders

FORMATTER = string.Formatter()


def _placeholders(template: str) -> list[tuple[str, str | None, str | None]]:
    """The {fields} of a template, each with its !conversion and :format spec, sorted; raises on a stray brace."""
    return sorted(
        {
            (name, conversion, spec)
            for _, name, spec, conversion in FORMATTER.parse(template)
            if name is not None
        },
        key=str,
    )


def test_every_key_has_both_languages():
    for key, entry in messages.TEMPLATES.items():
        assert isinstance(entry, tuple) and len(entry) == len(messages.LANGS), key
        for lang, template in zip(messages.LANGS, entry):
            assert isinstance(template, str) and template.strip(), f"{key}: no {lang} text"


@pytest.mark.parametrize("key", sorted(messages.TEMPLATES))
def test_both_languages_have_the_same_placeholders(key):
    ja, en = messages.TEMPLATES[key]
    assert _placeholders(ja) == _placeholders(en), key


def test_keys_are_grouped_by_known_prefixes():
    prefixes = {key.split(".")[0] for key in messages.TEMPLATES if "." in key}
    assert prefixes == {"check", "fix", "report", "checklist", "value", "cli", "document", "diff", "batch"}


def test_type_names_have_both_languages():
    for name, texts in messages.TYPE_NAMES.items():
        assert set(texts) == set(messages.LANGS) and all(texts.values()), name


def test_text_is_the_template_and_render_fills_it():
    assert messages.text("checklist.title", "ja") == "確認リスト: {project}"
    assert (
        messages.text("checklist.title", "fr") == "Readiness checklist: {project}"
    )  # any other language: English
    assert messages.render("checklist.title", "en", {"project": "P"}) == "Readiness checklist: P"
    assert messages.render("report.factors", "ja") == "使用した係数"
    assert messages.both("checklist.document.plan") == {"ja": "プロジェクト計画書", "en": "project plan"}


def test_the_reports_words_come_from_the_catalogue():
    """Every severity, document, stage and additionality verdict the reports name has a text."""
    from toolkit.checklist.findings import DOCUMENT_TITLES, SEVERITIES
    from toolkit.render import calculation_report, checklist_forms

    for severity in SEVERITIES:
        assert f"checklist.severity.{severity}" in messages.TEMPLATES
    for document in checklist_forms.ORDER:
        assert checklist_forms.document_title(document, "en") == DOCUMENT_TITLES[document]["en"]
    for stage in ("registration", "verification"):
        assert f"checklist.stage.{stage}" in messages.TEMPLATES
    assert checklist_forms.stage_name("other", "ja") == "other"
    for column in calculation_report.COLUMNS:
        assert f"report.column.{column}" in messages.TEMPLATES
    reasons = (
        "payback_ok",
        "payback_short",
        "no_net_cost",
        "no_net_saving",
        "household",
        "exempt",
        "exempt_no_reason",
        "missing",
    )  # Additionality.reason
    for reason in reasons:
        assert f"report.additionality.{reason}" in messages.TEMPLATES
    assert len(checklist_forms._text("columns", "ja")) == len(checklist_forms.WIDTHS)


def test_the_words_for_found_values_come_from_the_catalogue():
    assert messages.show("", "ja") == "空欄"
    assert messages.show(False, "en") == "no"
    assert messages.show([1], "ja") == "一覧や項目の集まり"
    assert messages.did_you_mean("岐阜県") == {
        "ja": "（岐阜県 のことですか）",
        "en": " (did you mean 岐阜県?)",
    }
    assert messages.did_you_mean("") == ""
    assert messages.yaml_problem("odd") == {"ja": "YAML として読めません（odd）", "en": "odd"}
