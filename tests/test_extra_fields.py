"""Custom fields (issue 16): `extra:` on the unit and on each project, in templates as
`unit.extra.填报人` / `project.extra.…`, known to `docgen templates check`, rendered escaped."""

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.api import RenderOptions, render_file
from docgen.build.template_check import check_version
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.loader import check_file
from docgen.registry.manifest import load_registry

runner = CliRunner()
EXTRA = """extra:
  填报人: "张三 <财务科> & Co"
  联系电话: "021-12345678"
"""


def unit_with_extra(tmp_path: Path, fixtures: Path) -> Path:
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("amount_unit: 元\n", "amount_unit: 元\n" + EXTRA)
    text = text.replace("    annual_goal: 目标一\n", "    annual_goal: 目标一\n    extra: {项目负责人: 李四}\n")
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_is_read_on_unit_and_project(tmp_path, fixtures):
    unit = check_file(unit_with_extra(tmp_path, fixtures)).unit
    assert unit.extra == {"填报人": "张三 <财务科> & Co", "联系电话": "021-12345678"}
    assert unit.projects[0].extra == {"项目负责人": "李四"}


def test_extra_values_must_be_text(tmp_path, fixtures):
    path = unit_with_extra(tmp_path, fixtures)
    path.write_text(path.read_text(encoding="utf-8").replace('联系电话: "021-12345678"', "联系电话: [1, 2]"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        check_file(path)
    assert info.value.problems[0].field() == "extra.联系电话"


def test_templates_use_extra_escaped_and_check_knows_it(templates, tmp_path, fixtures):
    docx = templates / "docx" / "selfeval-2022.docx"
    doc = Document(str(docx))
    doc.add_paragraph("填报人：{{ unit.extra.填报人 }}；负责人：{{ project.extra.项目负责人 }}；电话：{{ unit.extra.传真 }}。")
    doc.save(str(docx))
    xlsx = templates / "xlsx" / "selfeval-2022.xlsx"
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    ws.cell(ws.max_row + 2, 1).value = "{{ unit.extra.填报人 }}"
    wb.save(xlsx)
    version = load_registry(templates).version("selfeval", "2022")
    issues = check_version(version, version.example)
    assert [i.message for i in issues if i.severity == "error"] == []

    registry = load_registry(templates)
    rendered = render_file(unit_with_extra(tmp_path, fixtures), tmp_path / "out", registry, RenderOptions(layout=False, book=False))
    form_docx = next(p for p in rendered.files if p.suffix == ".docx")
    texts = [p.text for p in Document(str(form_docx)).paragraphs]
    assert "填报人：张三 <财务科> & Co；负责人：李四；电话：。" in texts
    form_xlsx = next(p for p in rendered.files if p.suffix == ".xlsx")
    values = [c.value for ws in load_workbook(form_xlsx).worksheets for row in ws.iter_rows() for c in row]
    assert "张三 <财务科> & Co" in values


def test_the_entry_workbook_keeps_extra_on_its_own_sheet(tmp_path, fixtures):
    """`docgen workbook` writes the lines to the 其他栏目 sheet; the workbook reads back as the same unit."""
    path = unit_with_extra(tmp_path, fixtures)
    result = runner.invoke(app, ["workbook", str(path), "-o", str(tmp_path / "u.xlsx")])
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "u.xlsx")["其他栏目"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=4)] == [
        [None, None, "填报人", "张三 <财务科> & Co"],
        [None, None, "联系电话", "021-12345678"],
        [1, "测试项目", "项目负责人", "李四"],
    ]
    assert check_file(tmp_path / "u.xlsx").unit == check_file(path).unit
