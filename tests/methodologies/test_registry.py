"""The registry of methodologies: codes, and the one reading of a methodology version."""

import pytest

from toolkit import methodologies


@pytest.mark.parametrize(
    "code, given, expected",
    [
        ("AG-005", "3.0", "3.0"),
        ("AG-005", 3, "3.0"),  # Excel keeps 3.0 as the number 3
        ("AG-005", "3", "3.0"),
        ("AG-005", "3.10", "3.1"),
        ("AG-005", "4.0", None),
        ("AG-005", "三", None),
        ("AG-005", None, None),
        ("XX-999", "3.0", None),
    ],
)
def test_a_version_is_read_as_its_spelling_in_versions(code, given, expected):
    assert methodologies.version_of(code, given) == expected


def test_every_methodology_knows_its_own_versions():
    for code in methodologies.codes():
        for version in methodologies.get(code).VERSIONS:
            assert methodologies.version_of(code, version) == version


def test_a_methodology_without_a_calculator_of_its_own_gets_one_calling_calculate(monkeypatch):
    module = methodologies.get("EN-S-001")
    calls = []
    monkeypatch.setattr(
        module, "calculate", lambda *arguments: calls.append(arguments) or ("baseline", "project")
    )
    calculate = module.calculator({"id": "A"}, ("start", "end"), "factors")
    assert calculate({"fuel_l": 1}, "piece") == ("baseline", "project")
    assert calls == [({"id": "A"}, {"fuel_l": 1}, "piece", ("start", "end"), "factors")]
