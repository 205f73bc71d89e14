"""The command line: exit codes, stable JSON keys, languages, and a thin layer over the library."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

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
    assert "数値が必要です" in run("validate", folder.root)[1]
    assert "expected a number" in run("validate", folder.root, "--lang", "en")[1]


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


# -- issue 14: found while using it as a new user would ---------------------------------------------
COMMANDS = ("validate", "calc", "render", "check", "init", "factors", "methodologies")


def test_a_closed_pipe_ends_quietly_with_141():
    """`jcredit methodologies | head -2` exited 3 with BrokenPipeError."""
    script = f"{sys.executable} -m toolkit methodologies --lang en | head -2; echo status=${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.splitlines()[-1] in ("status=0", "status=141"), (
        result.stdout
    )  # 0: all written in time
    assert result.stderr == "" and len(result.stdout.splitlines()) == 3
    for command in (["methodologies"], ["factors"], ["validate", "samples/broken-project"], ["--help"]):
        reading, writing = os.pipe()
        os.close(reading)  # the reader is gone before the first line: every write fails
        try:
            closed = subprocess.run(
                [sys.executable, "-m", "toolkit", *command], stdout=writing, stderr=subprocess.PIPE, cwd=ROOT
            )
        finally:
            os.close(writing)
        assert closed.returncode in (141, 1) and closed.stderr == b"", (command, closed.stderr)
        if command[0] != "--help":  # click prints --help itself: it ends with 1, quietly too
            assert closed.returncode == 141, command


def test_an_interrupt_exits_130(folder, run, monkeypatch):
    folder.write()

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr("toolkit.validate.validation._Checker.run", interrupted)
    status, _, err = run("validate", folder.root, "--lang", "en")
    assert status == 130 and "interrupted" in err and "Traceback" not in err


@pytest.mark.parametrize("closed", ["stdout", "stderr"])
def test_a_stream_closed_at_start_is_no_traceback(closed):
    """`jcredit validate P >&-`: Python starts with sys.stdout None; the quick exit must not flush it."""
    code = "import os, sys\nos.close(1 if sys.argv[1] == 'stdout' else 2)\nos.execv(sys.executable, sys.argv[2:])"
    command = [sys.executable, "-m", "toolkit", "calc", str(Path(__file__).parents[1] / "samples" / "boiler")]
    result = subprocess.run([sys.executable, "-c", code, closed, *command], capture_output=True, text=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_a_real_sigint_exits_130(folder):
    folder.write()
    code = (
        "import signal, sys; import toolkit.validate.validation as v\n"
        "v._Checker.run = lambda self: signal.raise_signal(signal.SIGINT)\n"
        "from toolkit.cli import main\nsys.argv = ['jcredit', 'validate', sys.argv[1]]\nmain()"
    )
    result = subprocess.run([sys.executable, "-c", code, str(folder.root)], capture_output=True, text=True)
    assert result.returncode == 130 and "中断しました" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "calc", "check"])
def test_the_report_of_invalid_input_goes_to_stdout(folder, run, command):
    """`jcredit validate P > report.txt` gave an empty file: the report went to stderr."""
    folder.activities[0][3] = "abc"
    folder.write()
    status, out, err = run(command, folder.root, "--lang", "en")
    assert status == 1
    assert "activities.xlsx!活動一覧!D2 activities[0].capacity_kw" in out and err == ""


def test_calc_json_of_invalid_input_is_json_on_stdout(folder, run):
    folder.activities[0][3] = "abc"
    folder.write()
    status, out, err = run("calc", folder.root, "--format", "json")
    assert status == 1 and err == ""
    report = json.loads(out)
    assert report["valid"] is False and report["errors"][0]["path"] == "activities[0].capacity_kw"


def test_a_failure_of_the_tool_itself_goes_to_stderr(folder, run, monkeypatch):
    folder.write()
    monkeypatch.setattr("toolkit.validate.validation._Checker.run", lambda self: 1 / 0)
    status, out, err = run("validate", folder.root)
    assert status == 3 and out == "" and "ZeroDivisionError" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_bilingual_with_examples(run, command):
    status, out, _ = run(command, "--help")
    assert status == 0
    assert "使い方 / Usage:" in out and "オプション / Options:" in out and "例 / Examples:" in out
    assert f"$ jcredit {command}" in out
    from toolkit.cli import cli

    for param in cli.commands[command].params:
        if isinstance(param, click.Option):
            assert param.help and " / " in param.help and re.search(r"[ぁ-んァ-ン一-龥]", param.help), (
                command,
                param.name,
            )


def test_render_help_lists_the_formats(run):
    out = run("render", "--help")[1]
    assert "pdf, docx, xlsx" in out


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (
            ("render", "plan", "samples/boiler"),
            "オプション -o / --output を指定してください",
            "missing option -o / --output",
        ),
        (("validate",), "PROJECT を指定してください", "missing argument PROJECT"),
        (("validate", "x", "--bogus"), "オプション --bogus はありません", "no such option --bogus"),
        (
            ("check", "x", "--stage", "final"),
            "のいずれかが必要ですが「final」でした",
            "expected one of registration, verification",
        ),
        (("valdate", "x"), "コマンド「valdate」はありません", "no such command 'valdate'"),
        (("check", "x", "--format"), "オプション --format には値が必要です", "option --format needs a value"),
        (("validate", "a", "b"), "余分な引数があります", "unexpected extra arguments"),
    ],
)
def test_usage_errors_are_in_the_chosen_language(run, args, ja, en):
    """click's own messages were English only (`Error: Missing option '-o'`)."""
    status, out, err = run(*args)
    assert status == 2 and out == ""
    assert ja in err and "Error:" not in err, err
    status, _, err = run(args[0], "--lang", "en", *args[1:])
    assert status == 2 and en in err and "Error: " in err, err


def test_monitoring_given_a_fifo_is_refused_at_once(tmp_path):
    """A FIFO hung the command; it is refused before it is opened."""
    fifo = tmp_path / "readings.xlsx"
    os.mkfifo(fifo)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "calc",
            "samples/boiler",
            "--monitoring",
            str(fifo),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"expected a regular file, {fifo} is a pipe (FIFO)" in result.stderr


@pytest.mark.parametrize("command", ["calc", "check", "render"])
def test_monitoring_given_a_pipe_is_refused_by_the_name_given(run, tmp_path, command):
    """`--monitoring <(cat file)` printed a /proc/N/fd/pipe:[…] path."""
    reading, writing = os.pipe()
    try:
        name = f"/dev/fd/{reading}"
        extra = ["-o", tmp_path / "out"] if command == "render" else []
        args = [command, *(["plan"] if command == "render" else []), ROOT / "samples/boiler", *extra]
        status, _, err = run(*args, "--monitoring", name)
        assert status == 2 and f"{name} はパイプ（FIFO）です" in err and "pipe:[" not in err
    finally:
        os.close(reading)
        os.close(writing)


def test_monitoring_given_a_folder_or_nothing_is_refused(run, tmp_path):
    status, _, err = run("calc", ROOT / "samples/boiler", "--monitoring", tmp_path, "--lang", "en")
    assert status == 2 and "is a folder" in err
    status, _, err = run(
        "calc", ROOT / "samples/boiler", "--monitoring", tmp_path / "none.xlsx", "--lang", "en"
    )
    assert status == 2 and "cannot read" in err and "none.xlsx" in err


# -- the README's broken-project example is a shipped sample ------------------------------------------
BROKEN = ROOT / "samples" / "broken-project"


@pytest.mark.parametrize(("lang", "expected"), [("ja", "EXPECTED.txt"), ("en", "EXPECTED.en.txt")])
def test_the_broken_project_sample_gives_its_expected_output(run, monkeypatch, lang, expected):
    monkeypatch.chdir(ROOT)
    status, out, err = run("validate", "samples/broken-project", "--lang", lang)
    assert status == 1 and err == ""
    assert out == (BROKEN / expected).read_text(encoding="utf-8")


def test_the_readme_shows_the_broken_project_as_it_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command, expected in (
        ("$ jcredit validate samples/broken-project\n", "EXPECTED.txt"),
        ("$ jcredit validate samples/broken-project --lang en\n", "EXPECTED.en.txt"),
    ):
        assert command + (BROKEN / expected).read_text(encoding="utf-8") in readme


def test_the_readme_says_how_to_get_jcredit_on_the_path():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ". .venv/bin/activate" in readme and "pipx install ." in readme


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
    result = json.loads(run("calc", samples / "solar-program", "--plan", "--format", "json")[1])
    assert (result["estimate"], result["represented"]) == (True, 36)  # JSON says what the figures are
    assert json.loads(run("calc", samples / "solar-program", "--format", "json")[1])["estimate"] is False


def test_calc_without_readings_says_so_instead_of_printing_zero(tmp_path, run):
    import shutil

    root = tmp_path / "led"
    shutil.copytree(Path(__file__).resolve().parent.parent / "samples" / "led-factory", root)
    shutil.rmtree(root / "monitoring")
    for lang, words in (("ja", "読取値が 1 件もない"), ("en", "no monitoring reading")):
        code, out, err = run("calc", root, "--lang", lang)
        assert code == 0 and "認証対象" not in out and "Certifiable" not in out, out  # no total line
        assert re.search(rf"^W monitoring/ monitoring: .*{words}", out, re.M), out  # the report: stdout
        assert "calc --plan" in out
