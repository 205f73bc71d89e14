"""`jcredit render`: every document of every sample, the manifest, --final, --force, reproducibility, user text."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document as WordDocument
from fonts import fonts, runs_without_east_asian_font
from pypdf import PdfReader
from sample_projects import SAMPLES as SAMPLE_FOLDER
from sample_projects import WORKING_SAMPLES

from toolkit.documents import assemble as documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [SAMPLE_FOLDER / name for name in WORKING_SAMPLES]
HOSTILE = '<script>alert(1)</script> {{ 7*7 }} =HYPERLINK("http://example.com","x") & more'


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _docx_text(path: Path) -> str:
    document = WordDocument(path)
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def _copy(sample: str, tmp_path: Path) -> Path:
    target = tmp_path / sample
    shutil.copytree(ROOT / "samples" / sample, target)
    return target


@pytest.mark.slow
@pytest.mark.parametrize("project", SAMPLES, ids=[path.name for path in SAMPLES])
def test_every_document_of_every_sample_renders(project, tmp_path, run, caplog):
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        for kind in documents.kinds():
            # no -q: it reconfigures logging and would take the capture handler away
            code, stdout, stderr = run("render", kind, project, "-o", out, "--format", "pdf,docx,xlsx")
            assert code == 0, stderr
    assert not [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")]
    for name in ("plan", "monitoring", "activity-list"):
        reader = PdfReader(out / f"{name}.pdf")
        sizes = {tuple(sorted(round(float(side)) for side in page.mediabox[2:])) for page in reader.pages}
        assert sizes == {(595, 842)}, name  # A4, portrait or landscape
        assert any("IPAex" in font for font, embedded in fonts(reader).items() if embedded), name
        word = WordDocument(out / f"{name}.docx")
        assert {(round(s.page_width.mm), round(s.page_height.mm)) for s in word.sections} <= {
            (210, 297),
            (297, 210),
        }
        assert runs_without_east_asian_font(word) == [], name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["documents"]) == set(documents.kinds())
    for kind, entry in manifest["documents"].items():
        assert entry["rules_version"] and entry["inputs"] and entry["factors"]
        for output in entry["outputs"]:
            path = out / output["path"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == output["sha256"]
    plan = _pdf_text(out / "plan.pdf")
    assert "プロジェクト計画書" in plan and "追加性" in plan
    assert "モニタリング実績" in _pdf_text(out / "monitoring.pdf")
    assert "排出削減活動リスト" in _docx_text(out / "activity-list.docx")
    openpyxl.load_workbook(out / "monitoring-annex.xlsx")


def test_the_report_shows_the_certified_total(tmp_path, run):
    out = tmp_path / "out"
    code, _, stderr = run(
        "render", "monitoring", ROOT / "samples" / "boiler", "-o", out, "--format", "pdf,docx"
    )
    assert code == 0, stderr
    certified = re.compile(
        r"合計\s+493\.\d+\s+329\.\d+\s+164\.\d+\s+164\b"
    )  # the total row: exact, then certified
    assert certified.search(re.sub(r"\s+", " ", _pdf_text(out / "monitoring.pdf")))
    word = WordDocument(out / "monitoring.docx")
    totals = [
        [cell.text for cell in table.rows[-1].cells]
        for table in word.tables
        if table.rows[-1].cells[0].text == "合計"
    ]
    assert ["合計", "493.564", "329.072", "164.492", "164"] in totals


def test_missing_postal_code_is_marked_in_draft_and_blocks_final(tmp_path, run):
    project = _copy("solar-program", tmp_path)
    path = project / "project.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('postal_code: "500-8856"', "postal_code:"), encoding="utf-8"
    )
    code, _, stderr = run("render", "plan", project, "-o", tmp_path / "draft", "--format", "pdf,docx")
    assert code == 0, stderr
    assert "【未記入: 郵便番号】" in _pdf_text(tmp_path / "draft" / "plan.pdf")
    assert "【未記入: 郵便番号】" in _docx_text(tmp_path / "draft" / "plan.docx")
    code, _, stderr = run("render", "plan", project, "-o", tmp_path / "final", "--final")
    assert code == 1
    assert "proponent.postal_code（郵便番号）" in stderr
    assert not (tmp_path / "final").exists()
    code, _, stderr = run("render", "plan", project, "-o", tmp_path / "final", "--final", "--lang", "en")
    assert code == 1 and "required field" in stderr


def test_existing_outputs_need_force_and_stay_untouched(tmp_path, run):
    out = tmp_path / "out"
    project = ROOT / "samples" / "led-factory"
    assert run("render", "activity-list", project, "-o", out, "--format", "xlsx")[0] == 0
    before = (out / "activity-list.xlsx").read_bytes()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, stderr = run("render", "activity-list", project, "-o", out, "--format", "xlsx")
    assert code == 1 and "activity-list.xlsx" in stderr and "--force" in stderr
    assert (out / "activity-list.xlsx").read_bytes() == before
    assert run("render", "activity-list", project, "-o", out, "--format", "xlsx", "--force")[0] == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no staging left behind


@pytest.mark.slow
def test_same_inputs_and_epoch_give_identical_outputs(tmp_path, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = ROOT / "samples" / "heat-pump"
    for name in ("a", "b"):
        assert run("render", "plan", project, "-o", tmp_path / name)[0] == 0
    for name in ("plan.docx", "plan-annex.xlsx", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert _pdf_text(tmp_path / "a" / "plan.pdf") == _pdf_text(tmp_path / "b" / "plan.pdf")


@pytest.mark.slow
def test_user_text_is_literal_in_every_format(tmp_path, run):
    project = _copy("led-factory", tmp_path)
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  name: .*$", "  name: '" + HOSTILE.replace("'", "''") + "'", text, count=1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run("render", "plan", project, "-o", out)
    assert code == 0, stderr
    pdf = re.sub(r"\s+", " ", _pdf_text(out / "plan.pdf"))
    for piece in ("<script>alert(1)</script>", "{{ 7*7 }}", '=HYPERLINK("http://example.com","x")', "& more"):
        assert piece in pdf, piece
        assert piece in _docx_text(out / "plan.docx"), piece
    book = openpyxl.load_workbook(out / "plan-annex.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f":
                    assert "HYPERLINK" not in cell.value


def test_an_invalid_project_writes_nothing(tmp_path, run):
    project = _copy("boiler", tmp_path)
    path = project / "project.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("rules_version:", "rules_version: 1999-01 #"),
        encoding="utf-8",
    )
    code, _, stderr = run("render", "plan", project, "-o", tmp_path / "out")
    assert code == 1 and "rules_version" in stderr
    assert not (tmp_path / "out").exists()


def test_unknown_format_is_a_usage_error(tmp_path, run):
    code, _, stderr = run(
        "render", "plan", ROOT / "samples" / "boiler", "-o", tmp_path / "out", "--format", "pdf,odt"
    )
    assert code == 2 and "pdf,docx,xlsx" in stderr


def test_validate_and_calc_do_not_load_the_renderers():
    code = (
        "import sys; from toolkit.cli import cli\n"  # not main(): it ends the process without returning
        "try:\n    cli(['calc', 'samples/boiler', '-q'], prog_name='jcredit')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('weasyprint', 'docx', 'openpyxl.chart') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_docx_and_xlsx_are_valid_zips(tmp_path, run):
    out = tmp_path / "out"
    assert (
        run("render", "monitoring", ROOT / "samples" / "rice-drainage", "-o", out, "--format", "docx,xlsx")[0]
        == 0
    )
    for name in ("monitoring.docx", "monitoring-annex.xlsx"):
        with zipfile.ZipFile(io.BytesIO((out / name).read_bytes())) as archive:
            assert archive.testzip() is None
            assert archive.namelist()[0] == "[Content_Types].xml"


@pytest.mark.slow
def test_the_chart_has_the_same_data_in_every_format(tmp_path, run):
    from toolkit.pipeline import calculate

    project = ROOT / "samples" / "solar-program"
    chart = documents.build("monitoring", calculate(project), project).charts()[0]
    out = tmp_path / "out"
    assert run("render", "monitoring", project, "-o", out)[0] == 0
    sheet = openpyxl.load_workbook(out / "monitoring-annex.xlsx")[chart.sheet]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] in chart.categories]
    assert [row[0] for row in rows] == list(chart.categories)
    assert [round(float(row[1]), 6) for row in rows] == [
        round(float(value), 6) for value in chart.bars.values
    ]
    assert [round(float(row[2]), 9) for row in rows] == [
        round(float(value), 9) for value in chart.line.values
    ]
    pdf = _pdf_text(out / "monitoring.pdf")
    assert all(category in pdf for category in chart.categories) and chart.title in pdf
    word = WordDocument(out / "monitoring.docx")
    assert len(word.inline_shapes) == 1 and chart.title in _docx_text(out / "monitoring.docx")


def test_many_findings_of_one_rule_end_a_draft_as_ten_and_a_count(tmp_path):
    from toolkit.checklist import readiness as checklist
    from toolkit.pipeline import calculate

    project = _copy("solar-program", tmp_path)
    shutil.rmtree(project / "evidence" / "meter")  # 432 meter slips named and missing: one problem, many rows
    found = checklist.of_calculation(calculate(project), "verification")
    assert len([f for f in found.findings if f.rule == "R-EVID-FILE"]) == 432
    remarks = [remark for remark in checklist.remarks(found, "monitoring") if remark.rule == "R-EVID-FILE"]
    assert len(remarks) == checklist.REMARKS_PER_RULE + 1
    assert "422" in remarks[-1].text
