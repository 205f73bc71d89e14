"""Document specs and the document model: fields, markers, narratives, computed tables, overrides, --final."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sample_projects import SAMPLES as SAMPLE_FOLDER
from sample_projects import WORKING_SAMPLES

from toolkit import schema
from toolkit.calculate.engine import exact_sum
from toolkit.documents import assemble as documents
from toolkit.documents import computed
from toolkit.documents.assemble import NotReady, TemplateError
from toolkit.documents.model import Fields, Missing, Paragraph, Table
from toolkit.pipeline import calculate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [SAMPLE_FOLDER / name for name in WORKING_SAMPLES]
SPECS = sorted((ROOT / "templates" / "documents").glob("*.yaml"))


def _copy(sample: str, tmp_path: Path) -> Path:
    target = tmp_path / sample
    shutil.copytree(ROOT / "samples" / sample, target)
    return target


def _edit(project: Path, old: str, new: str) -> None:
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build(project: Path, kind: str = "plan", **options):
    result = calculate(project)
    overrides = project / "templates" if (project / "templates").is_dir() else None
    return documents.build(kind, result, project, overrides, **options)


def _fields(document) -> dict[str, tuple]:
    return {
        row.path: row.value
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Fields)
        for row in block.rows
    }


@pytest.mark.parametrize("path", SPECS, ids=[path.stem for path in SPECS])
def test_every_spec_field_is_a_schema_field(path):
    spec, _ = documents.load_spec(f"documents/{path.name}")
    project_type = "program" if "program" in path.stem else "standard"
    rules = (
        schema.project_schema(project_type if path.stem.startswith("plan") else None)
        | schema.project_schema("program")
        | schema.project_schema("standard")
    )
    for section in spec["sections"]:
        for block in section.get("blocks") or []:
            for entry in block.get("fields") or []:
                if "fact" in entry:  # a computed value (the methodology's title)
                    assert entry["fact"] in documents.FACTS and "path" not in entry, (path.name, entry)
                    continue
                if spec.get("per") == "member" and entry["path"].startswith("member."):
                    continue  # a member's own values (jcredit batch), not project fields
                assert schema.field_rules(rules, entry["path"]) is not None, (path.name, entry["path"])


@pytest.mark.parametrize("project", SAMPLES, ids=[path.name for path in SAMPLES])
def test_every_document_of_every_sample_builds(project):
    result = calculate(project)
    for kind in documents.kinds():
        document = documents.build(kind, result, project)
        assert document.sections and document.project_name
        for table in document.tables():
            assert all(set(row) <= {column.key for column in table.columns} for row in table.rows), table.id


def test_missing_postal_code_is_a_marker_and_blocks_final(tmp_path):
    project = _copy("solar-program", tmp_path)
    _edit(project, 'postal_code: "500-8856"', "postal_code:")
    document = _build(project)
    assert _fields(document)["proponent.postal_code"] == (
        Missing("郵便番号", "proponent.postal_code", "plan.1.1"),
    )
    assert "proponent.postal_code" in [item.path for item in document.open_items]
    with pytest.raises(NotReady) as raised:
        _build(project, final=True)
    problem = next(p for p in raised.value.problems if p.path == "proponent.postal_code")
    assert problem.label["ja"] == "郵便番号" and problem.section == "plan.1.1"
    assert str(problem.location).startswith("project.yaml:")


def test_optional_empty_field_is_a_dash_not_a_marker(tmp_path):
    project = _copy("solar-program", tmp_path)
    assert _fields(_build(project))["credit_holder.name"] == (
        "岐阜地域脱炭素推進協議会",
    )  # program.credit_holder
    _edit(project, "  credit_holder: 岐阜地域脱炭素推進協議会\n", "")
    assert _fields(_build(project))["credit_holder.name"] == ("—",)


def test_complete_plan_renders_final_without_open_items():
    document = _build(ROOT / "samples" / "solar-program", final=True)
    assert document.open_items == [] and not document.draft


def test_user_text_in_a_narrative_is_never_a_template(tmp_path):
    project = _copy("solar-program", tmp_path)
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"  purpose: >-\n(    .*\n)+", "  purpose: '{{ 7*7 }} {% if 1 %}x{% endif %} <script>&'\n", text
    )
    path.write_text(text, encoding="utf-8")
    document = _build(project)
    texts = [
        part
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Paragraph)
        for part in block.parts
    ] + [part for value in _fields(document).values() for part in value]
    assert "{{ 7*7 }} {% if 1 %}x{% endif %} <script>&" in texts
    assert not any("49" == part for part in texts)


def test_typical_activity_shapes_the_plan_annex():
    from toolkit.pipeline import Run

    document = Run(ROOT / "samples" / "solar-program").document("plan")  # the plan's estimate
    breakdown = next(table for table in document.tables() if table.id == "breakdown")
    assert len({row["activity_id"] for row in breakdown.rows}) == 1
    symbols = next(table for table in document.tables() if table.id == "symbols")
    # A.3.1 is per year (t-CO2/年): the first whole fiscal year of the breakdown, summed by its formula
    year = "2025年度"
    assert (
        symbols.formulas[1]["value"]
        == f'SUMIFS({{breakdown.baseline[]}},{{breakdown.fiscal_year[]}},"{year}")'
    )
    rows = [row for row in breakdown.rows if row["fiscal_year"] == year]
    assert symbols.rows[1]["value"] == exact_sum(row["baseline"] for row in rows) > 0
    assert symbols.rows[0]["value"] == symbols.rows[1]["value"] - symbols.rows[2]["value"]
    assert {row["unit"] for row in symbols.rows} == {"t-CO2/年"}


@pytest.mark.parametrize("project", SAMPLES, ids=[path.name for path in SAMPLES])
def test_monitoring_totals_equal_the_calculation_and_the_sum_of_their_rows(project):
    result = calculate(project)
    document = documents.build("monitoring", result, project)
    tables = {table.id: table for table in document.tables()}
    monthly, by_year = tables["monthly"], tables["results"]
    assert monthly.body is False and monthly.sheet
    assert (
        monthly.total["reduction"]
        == exact_sum(row["reduction"] for row in monthly.rows)
        == result.total_exact
    )
    assert (
        by_year.total["reduction"]
        == exact_sum(row["reduction"] for row in by_year.rows)
        == result.total_exact
    )
    assert by_year.total["certified"] == result.total_certified
    first, second = ("removal", "emission") if project.name == "forest" else ("baseline", "project")
    for row, formulas in zip(monthly.rows, monthly.formulas):
        assert row["reduction"] == row[first] - row[second]
        assert formulas["reduction"] == f"{{{first}}}-{{{second}}}"


def test_row_order_does_not_change_the_report(tmp_path):
    import openpyxl

    project = _copy("solar-program", tmp_path)
    before = documents.build("monitoring", calculate(project), project)
    workbook_path = project / "monitoring" / "2025.xlsx"
    book = openpyxl.load_workbook(workbook_path)
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    for index, row in enumerate(reversed(rows), start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(index, column, value)
    book.save(workbook_path)
    after = documents.build("monitoring", calculate(project), project)
    for old, new in zip(before.tables(), after.tables()):
        assert old.id == new.id and old.total == new.total
        if old.id in ("results", "by_activity", "parameters", "factors"):
            assert old.rows == new.rows, old.id


def test_a_missing_activity_cell_is_a_marker_in_the_activity_list(folder):
    folder.activities[1][3] = None  # 設備容量(kW)
    root = folder.write()
    for reading in folder.readings:
        (root / reading[-1]).parent.mkdir(parents=True, exist_ok=True)
        (root / reading[-1]).write_bytes(b"%PDF-1.4\n")
    document = documents.build("activity-list", calculate(root), root)
    table = document.tables()[0]
    cell = table.rows[1]["capacity_kw"]
    assert isinstance(cell, Missing) and cell.path == "activities[1].capacity_kw"
    assert cell in document.open_items


def test_long_evidence_lists_go_to_the_workbook_only():
    project = ROOT / "samples" / "solar-program"
    document = documents.build("monitoring", calculate(project), project)
    evidence = next(table for table in document.tables() if table.id == "evidence")
    assert len(evidence.rows) > computed.EVIDENCE_ROWS_IN_BODY and evidence.body is False
    assert all(len(row["sha256"]) == 64 for row in evidence.rows)
    printed = document.printed()
    assert "evidence" not in [table.id for table in printed.tables()]
    assert "evidence_count" in [table.id for table in printed.tables()]


def test_required_fields_follow_the_stage():
    spec, _ = documents.load_spec("documents/monitoring.yaml")
    at_registration = documents.required_fields(spec, "registration")
    at_verification = documents.required_fields(spec, "verification")
    assert ("monitoring.B.4", "monitoring_report.deviations") in at_verification
    assert ("monitoring.B.4", "monitoring_report.deviations") not in at_registration
    assert set(at_registration) < set(at_verification)


def _override(project: Path, text: str) -> Path:
    path = project / "templates" / "documents" / "plan_program.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_project_spec_overrides_the_packaged_one(tmp_path):
    project = _copy("solar-program", tmp_path)
    packaged, _ = documents.load_spec("documents/plan_program.yaml")
    import yaml

    spec = yaml.safe_load((ROOT / "templates/documents/plan_program.yaml").read_text(encoding="utf-8"))
    spec["title"] = "計画書（岐阜版）"
    _override(project, yaml.safe_dump(spec, allow_unicode=True))
    assert _build(project).title == "計画書（岐阜版） Ver.4.0" and packaged["title"] != "計画書（岐阜版）"


def test_a_broken_override_names_its_file_and_line(tmp_path):
    project = _copy("solar-program", tmp_path)
    path = _override(project, "kind: plan\ntitle: x\nsections: [\n  - id: a\n")
    with pytest.raises(TemplateError) as raised:
        _build(project)
    assert str(path) in str(raised.value) and ":4:" in str(raised.value)


def test_a_broken_snippet_names_its_line(tmp_path):
    project = _copy("solar-program", tmp_path)
    path = _override(
        project,
        "kind: plan\ntitle: x\nsections:\n  - id: a\n    title: t\n    blocks:\n"
        "      - text: |\n          fine\n          {{ value( }}\n",
    )
    with pytest.raises(TemplateError) as raised:
        _build(project)
    assert f"{path}:9" in str(raised.value)


def test_an_unknown_computed_table_is_named(tmp_path):
    project = _copy("solar-program", tmp_path)
    _override(
        project,
        "kind: plan\ntitle: x\nsections:\n  - id: a\n    title: t\n    blocks:\n      - table: nonsense\n",
    )
    with pytest.raises(TemplateError, match="nonsense"):
        _build(project)


def test_build_time_honours_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert documents.build_time().isoformat() == "2026-01-01T00:00:00+00:00"


def test_tables_carry_formulas_only_for_known_columns():
    project = ROOT / "samples" / "boiler"
    document = documents.build("plan", calculate(project), project)
    for table in document.tables():
        keys = {column.key for column in table.columns}
        for formulas in [*table.formulas, table.total_formulas]:
            assert set(formulas) <= keys, table.id
        assert isinstance(table, Table)


def test_codes_print_as_words_and_free_text_stays_as_typed():
    project = ROOT / "samples" / "boiler"
    table = documents.build("activity-list", calculate(project), project).tables()[0]
    row = table.rows[0]
    assert row["baseline_type"] == "更新（既存設備がベースライン）" and row["baseline_fuel"] == "A重油"
    assert row["project_fuel"] == "都市ガス"
    assert schema.code_label("new") == "新設扱い" and schema.code_label("新しい工場") == "新しい工場"


def test_every_section_the_code_names_is_in_a_spec():
    """Section ids written in the code (findings place themselves in them) exist in the packaged specs."""
    root = Path(documents.__file__).resolve().parents[1]
    named = {
        match
        for path in root.rglob("*.py")
        for match in re.findall(
            r'"((?:plan|monitoring|annex)\.[A-Za-z0-9_.]+|activity_list)"', path.read_text(encoding="utf-8")
        )
    }
    specs = Path(documents.template("documents")).glob("*.yaml")
    ids = {
        section["id"]
        for spec in specs
        for section in yaml.safe_load(spec.read_text(encoding="utf-8"))["sections"]
    }
    assert named and named <= ids, sorted(named - ids)


def test_document_kinds_and_stages_come_from_the_specs():
    assert documents.kinds() == ("plan", "activity-list", "monitoring")
    assert [documents.stage_of(kind) for kind in documents.kinds()] == [
        "registration",
        "registration",
        "verification",
    ]
    assert documents.kinds_at("registration") == ("plan", "activity-list")


def test_ag005_inputs_are_monitoring_parameters_of_the_plan_and_the_report():
    """Area, 日減水深, straw removed and compost (domain.md §5.6 Inputs) are rows of the plan's monitoring plan
    and of the report's B.2 (1), their 実績値 the range over the fields; B.2 (2) prints the GWP row used."""
    project = ROOT / "samples" / "rice-drainage"
    result = calculate(project)
    inputs = ["A", "P_perc", "W_straw_out", "W_compost"]
    for kind in ("plan", "monitoring"):
        document = documents.build(kind, result, project)
        parameters = next(table for table in document.tables() if table.id == "parameters")
        rows = {row["symbol"]: row for row in parameters.rows}
        assert set(inputs) <= set(rows), kind
        assert not [row for row in rows.values() if isinstance(row["method"], Missing)], kind
        assert rows["P_perc"]["unit"] == "mm/日" and "排水性" in rows["P_perc"]["definition"]
    activities = result.project.data["activities"]
    low, high = min(a["area_ha"] for a in activities), max(a["area_ha"] for a in activities)
    assert rows["A"]["value"] == f"{low}〜{high}"
    factors = next(table for table in document.tables() if table.id == "factors")
    (gwp,) = [row for row in factors.rows if row["keys"] == "CH4、AG-005、3.1"]
    assert (gwp["value"], gwp["unit"], gwp["status"]) == (25, "t-CO2/t", "未確認")


def test_without_a_typical_activity_the_annex_shows_the_one_the_estimate_computed(tmp_path):
    """No program.typical_activity: the estimate computes the first activity listed, and A.3 shows that
    same activity, not the first by ID (PV-0027 moved to the top of the list, PV-0001 stays in it)."""
    import shutil

    import openpyxl

    from toolkit import pipeline

    root = Path(shutil.copytree(ROOT / "samples" / "solar-program", tmp_path / "solar"))
    project = (root / "project.yaml").read_text(encoding="utf-8")
    (root / "project.yaml").write_text(
        "\n".join(line for line in project.splitlines() if "typical_activity:" not in line) + "\n",
        encoding="utf-8",
    )
    book = openpyxl.load_workbook(root / "activities.xlsx")
    sheet = book["活動一覧"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    moved = next(index for index, row in enumerate(rows) if row[0] == "PV-0027")
    rows.insert(0, rows.pop(moved))
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column).value = value
    book.save(root / "activities.xlsx")
    breakdown = next(
        table for table in pipeline.Run(root).document("plan").tables() if table.id == "breakdown"
    )
    assert {row["activity_id"] for row in breakdown.rows} == {"PV-0027"}
