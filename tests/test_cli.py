"""The command line: exit codes, stable JSON keys, languages, and a thin layer over the library."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from toolkit import __version__

ROOT = Path(__file__).resolve().parent.parent


def test_version(run):
    status, out, _ = run("--version")
    assert status == 0 and out.strip() == f"jcredit {__version__}"


def test_python_dash_m_toolkit_runs_the_same_command():
    result = subprocess.run([sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and __version__ in result.stdout


def test_valid_project_exits_0_with_the_contract_keys(folder, run):
    folder.write()
    status, out, _ = run("validate", folder.root, "--format", "json")
    assert status == 0
    report = json.loads(out)
    assert report["valid"] is True and report["errors"] == []


def test_invalid_project_exits_1_and_each_error_has_the_contract_keys(folder, run):
    folder.readings[0][3] = "abc"
    folder.write()
    status, out, _ = run("validate", folder.root, "--format", "json", "--lang", "en")
    assert status == 1
    (error,) = json.loads(out)["errors"]
    assert {"path", "location", "message", "label", "section"} <= set(error)
    assert error == {
        "path": "monitoring[0].generation_kwh",
        "location": "monitoring/2025.xlsx!モニタリング!D2",
        "message": "expected a number, found 'abc'",
        "label": "generation (kWh)",
        "section": "monitoring.B.2",
        "code": "not_a_number",
        "count": 1,
    }


def test_five_different_errors_are_all_reported_with_path_and_location(folder, run):
    folder.project_yaml = folder.project_yaml.replace('"500-8570"', '"5008"').replace(
        "type: program", "type: progrm"
    )
    folder.activities[0][3] = -1
    folder.readings[1][2] = "2025-02-30"
    folder.readings[2][4] = 9000
    folder.write()
    status, out, _ = run("validate", folder.root, "--format", "json")
    assert status == 1
    errors = json.loads(out)["errors"]
    assert len(errors) == 5
    assert len({e["code"] for e in errors}) == 5
    assert all(e["path"] and e["location"] for e in errors)


def test_usage_error_exits_2(run):
    status, _, err = run("validate")
    assert status == 2 and "PROJECT" in err


def test_missing_project_exits_1_with_a_message_and_no_traceback(tmp_path, run):
    status, out, err = run("validate", tmp_path, "--lang", "en")
    assert status == 1
    assert "expected a project file" in err and "Traceback" not in err


def test_an_internal_error_exits_3_with_a_short_message(folder, run, monkeypatch):
    folder.write()
    monkeypatch.setattr("toolkit.validate.validation._Checker.run", lambda self: 1 / 0)
    status, _, err = run("validate", folder.root)
    assert status == 3
    assert "ZeroDivisionError" in err and "Traceback" not in err


def test_language_follows_lang_option(folder, run):
    folder.activities[0][3] = "abc"
    folder.write()
    assert "数値が必要です" in run("validate", folder.root)[2]
    assert "expected a number" in run("validate", folder.root, "--lang", "en")[2]


def test_importing_the_cli_loads_no_heavy_library():
    code = (
        "import sys, toolkit.cli; heavy = {'openpyxl', 'python_calamine', 'cerberus', 'weasyprint', 'docx', 'jinja2'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_only_the_cli_imports_click():
    for path in (ROOT / "toolkit").rglob("*.py"):
        if path.name != "cli.py":
            assert not re.search(r"^\s*(import click|from click)", path.read_text(encoding="utf-8"), re.M), (
                path
            )


def test_the_library_never_prints():
    for path in (ROOT / "toolkit").rglob("*.py"):
        if path.name != "cli.py":
            assert not re.search(r"^\s*print\(", path.read_text(encoding="utf-8"), re.M), path


def test_methodologies_lists_codes_versions_and_parameters(run):
    status, out, _ = run("methodologies", "--lang", "en")
    assert status == 0
    assert "EN-R-002" in out and "AG-005" in out and "generation" in out


def test_factors_lists_rule_versions_and_rows_with_status(run):
    status, out, _ = run("factors", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert {"2013-04", "2017-10", "2023-10", "2025-09"} <= set(data["rules_versions"])
    assert data["rules_versions"]["2025-09"]["switches"]["crediting_cap"] is None
    rows = data["tables"]["grid_electricity"]
    assert {
        "keys": {"basis": "all_source"},
        "fiscal_year": 2012,
        "value": "0.487",
        "unit": "kg-CO2/kWh",
        "status": "verified",
        "source": "J-クレジット制度（経済産業省・環境省・農林水産省）モニタリング・算定規程 別表"
        "（c. 2015、expydoc 8105134）平成24年度 全電源",
    } in rows
    assert "expydoc 8105134" in run("factors")[1]  # the text form prints each row's source too
    text = run("factors", "--lang", "en")[1]
    assert "grid_electricity" in text and "[third-party]" in text


def test_calc_plan_prints_the_estimate_per_fiscal_year(run):
    """led-factory: 124,328 kWh a year saved by plan (LED-01 15,600 W × 4,000 h, LED-02 12,760 W × 3,800 h,
    LED-03 5,376 W × 2,500 h) × 0.000441 t/kWh = 54.828648 t a year, eight fiscal years: 438 t."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    code, out, _ = run("calc", samples / "led-factory", "--plan")
    assert code == 0
    assert out.splitlines()[0].startswith("排出削減見込量（計画値による見込み")
    assert "2032: 54.828648 t-CO2" in out and ": 438 t-CO2" in out
    code, out, _ = run("calc", samples / "solar-program", "--plan", "--lang", "en")
    assert "typical activity PV-0027's estimate 36 times" in out and "2032: 32.006016 t-CO2" in out


def test_calc_without_readings_says_so_instead_of_printing_zero(tmp_path, run):
    import shutil

    root = tmp_path / "led"
    shutil.copytree(Path(__file__).resolve().parent.parent / "samples" / "led-factory", root)
    shutil.rmtree(root / "monitoring")
    for lang, words in (("ja", "読取値が 1 件もない"), ("en", "no monitoring reading")):
        code, out, err = run("calc", root, "--lang", lang)
        assert code == 0 and "t-CO2" not in out, out
        assert re.search(rf"^W monitoring/ monitoring: .*{words}", err, re.M), err
        assert "calc --plan" in err
