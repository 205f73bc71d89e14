"""`jcredit init` writes a project that validates, and never overwrites without --force."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import yaml

from toolkit import methodologies
from toolkit.calculate import factors as factor_tables
from toolkit.scaffold import expected_period
from toolkit.validate.validation import validate


@pytest.mark.parametrize("code", methodologies.codes())
@pytest.mark.parametrize("project_type", ["program", "standard"])
def test_a_new_project_validates_cleanly(tmp_path, run, code, project_type):
    target = tmp_path / "p"
    status, out, err = run("init", target, "--methodology", code, "--type", project_type)
    assert status == 0, err
    assert (target / "project.yaml").is_file() and (target / "evidence").is_dir()
    status, out, err = run("validate", target)
    assert status == 0, err
    result = validate(target)
    assert result.problems == []


def test_init_refuses_to_overwrite_and_force_overwrites(tmp_path, run):
    target = tmp_path / "p"
    assert run("init", target, "--methodology", "EN-R-002")[0] == 0
    (target / "project.yaml").write_text("# mine\n", encoding="utf-8")
    status, _, err = run("init", target, "--methodology", "EN-R-002", "--lang", "en")
    assert status == 1 and "refusing to overwrite" in err
    assert (target / "project.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert run("init", target, "--methodology", "EN-R-002", "--force")[0] == 0
    assert "# mine" not in (target / "project.yaml").read_text(encoding="utf-8")


def test_unknown_methodology_is_a_usage_error_naming_the_closest(tmp_path, run):
    status, _, err = run("init", tmp_path / "p", "--methodology", "EN-R-02")
    assert status == 2 and "EN-R-002" in err
    assert not (tmp_path / "p").exists()


def test_project_yaml_is_commented_and_names_the_methodology(tmp_path, run):
    run("init", tmp_path / "p", "--methodology", "AG-005", "--type", "program")
    text = (tmp_path / "p/project.yaml").read_text(encoding="utf-8")
    assert "# 郵便番号: 123-4567 の形式" in text or "郵便番号: 123-4567 の形式" in text
    data = yaml.safe_load(text)
    assert data["project"]["methodology"] == {"code": "AG-005", "version": "3.1"}
    assert data["activities"] == {"file": "activities.xlsx"}


def test_the_workbook_has_japanese_headers_help_and_dropdowns(tmp_path, run):
    run("init", tmp_path / "p", "--methodology", "EN-R-002", "--type", "program")
    book = openpyxl.load_workbook(tmp_path / "p/activities.xlsx")
    assert book.sheetnames[:2] == ["説明", "活動一覧"]
    sheet = book["活動一覧"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:7] == ["活動ID", "名称", "都道府県", "設置住所", "設備容量(kW)", "運転開始日", "家庭用"]
    assert sheet["E1"].comment is not None and "パネル定格出力" in sheet["E1"].comment.text
    assert sheet.freeze_panes == "A2"
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert '"はい,いいえ"' in formulas
    assert any(f.startswith("選択肢!") for f in formulas)
    assert book["選択肢"].sheet_state == "hidden"
    assert book["選択肢"]["A1"].value == "北海道"


def test_init_takes_the_newest_rules_version_and_says_so(tmp_path, run):
    status, out, err = run("init", tmp_path / "p", "--methodology", "EN-S-006")
    assert status == 0 and "2025-09" in err and "最新" in err
    assert (
        yaml.safe_load((tmp_path / "p/project.yaml").read_text(encoding="utf-8"))["rules_version"]
        == "2025-09"
    )
    err = run("init", tmp_path / "q", "--methodology", "EN-S-006", "--lang", "en")[2]
    assert "newest shipped, 2025-09" in err


def test_init_type_defaults_to_standard(tmp_path, run):
    assert run("init", tmp_path / "p", "--methodology", "EN-S-006")[0] == 0
    data = yaml.safe_load((tmp_path / "p/project.yaml").read_text(encoding="utf-8"))
    assert data["project"]["type"] == "standard" and isinstance(data["activities"], list)
    assert not (tmp_path / "p/activities.xlsx").exists()


def test_factors_yaml_has_a_row_per_fiscal_year_of_the_expected_crediting_period(tmp_path, run):
    """T-PERIOD, hand-worked: start 2025-06-01 under 2025-09 (no cap) ends 2033-05-31 (start + 8 years
    − 1 day), so FY2025 … FY2033: nine grid rows, each value empty and `status: unverified`."""
    run("init", tmp_path / "p", "--methodology", "EN-S-006", "--start", "2025-06-01")
    text = (tmp_path / "p/factors.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    rows = data["grid_electricity"]
    assert [row["fiscal_year"] for row in rows] == list(range(2025, 2034))
    assert all(
        row["value"] is None and row["status"] == "unverified" and row["basis"] == "all_source"
        for row in rows
    )
    assert "2025-06-01 〜 2033-05-31" in text and "モニタリング・算定規程 別表" in text
    assert "公式の値と照合できたら status を verified" in text


def test_the_expected_period_follows_the_rules_version_cap():
    """T-PERIOD: 2025-06-01 → 2031-03-31 under 2023-10 (capped), 2033-05-31 under 2025-09; forest 16 years."""
    start = dt.date(2025, 6, 1)
    assert expected_period("EN-S-006", "2023-10", start) == (start, dt.date(2031, 3, 31))
    assert expected_period("EN-S-006", "2025-09", start) == (start, dt.date(2033, 5, 31))
    assert expected_period("FO-001", "2025-09", start) == (start, dt.date(2041, 5, 31))


def test_shipped_factors_get_no_row_and_fuels_name_the_column_that_picks_them(tmp_path, run):
    run("init", tmp_path / "p", "--methodology", "EN-S-001", "--start", "2025-04-01")
    text = (tmp_path / "p/factors.yaml").read_text(encoding="utf-8")
    assert "grid_electricity" not in text  # EN-S-001 burns fuel only
    assert "（activities.project_fuel）" in text and "（activities.baseline_fuel）" in text
    assert "（monitoring.fuel_unit）" in text
    run("init", tmp_path / "r", "--methodology", "AG-005", "--type", "program", "--start", "2025-05-01")
    text = (tmp_path / "r/factors.yaml").read_text(encoding="utf-8")
    assert "ag005_parameter（name=project_ratio）: 同梱 [third-party]" in text  # shipped: listed, not a row


@pytest.mark.parametrize("code", methodologies.codes())
def test_every_needed_factor_names_a_shipped_table_and_its_keys(code):
    for need in methodologies.get(code).FACTORS:
        spec = factor_tables.table_spec(need.table)
        assert set(need.fixed) | set(need.picked) == set(spec["keys"]), (code, need)


@pytest.mark.parametrize("start", ["9999-12-31", "1990-01-01", "2095-01-01"])
def test_a_start_outside_the_schemes_fiscal_years_is_refused(tmp_path, run, start):
    """The crediting period from --start must lie in FY2013–FY2100 (the factor rows init writes are keyed by
    those years); year 9999 once crashed while computing the period's end."""
    status, out, err = run("init", tmp_path / "p", "--methodology", "EN-R-002", "--start", start)
    assert status == 2 and start in err and "2013" in err
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())
