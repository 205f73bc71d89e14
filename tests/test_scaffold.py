"""`jcredit init` writes a project that validates, and never overwrites without --force."""

from __future__ import annotations

import openpyxl
import pytest
import yaml

from toolkit import methodologies
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
