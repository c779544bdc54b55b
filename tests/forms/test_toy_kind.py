"""Adding a form kind touches its package, its templates and the manifest, no docgen
Python file: a toy kind written into a temporary folder is rendered, checked and read
back through docgen's public functions, its CLI and the data-entry workbook; its model fragment adds a part to
the project and a column to the shared indicator rows."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from typer.testing import CliRunner

from docgen import RenderOptions, check_file, render_file
from docgen.build.workbook import unit_workbook
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.forms import form_kind, form_kinds, reset_kinds
from docgen.model.unit import Indicator, Project
from docgen.registry.manifest import DEFAULT_TEMPLATES

PACKAGE = {
    "__init__.py": '"""A toy form kind: a project\'s colour and count."""\n',
    "model.py": """
        from pydantic import Field

        from docgen.model.fields import StrictModel, Text
        from docgen.model.parts import Fragment, Part


        class Toy(StrictModel):
            colour: Text = Field("", title="颜色")
            count: int | None = Field(None, ge=0, title="数量")


        FRAGMENT = Fragment(project=Part("toy", Toy, title="玩具"), indicator=(Part("shade", Text, title="色调", after="name", default=""),))
    """,
    "checks.py": """
        from docgen.model.findings import Finding, Report, Severity


        def check(unit, index, version):
            project = unit.projects[index]
            toy = project.part("toy")
            findings = []
            if toy.count is not None and toy.count > 10:
                path = ("projects", index, "toy", "count")
                findings.append(Finding(Severity.WARNING, "toy-many", project.name, f"数量 {toy.count} 超过 10", path=path))
            for n, indicator in enumerate(project.indicators):
                if indicator.shade == "暗":
                    path = ("projects", index, "indicators", n, "shade")
                    findings.append(Finding(Severity.WARNING, "toy-dark", project.name, f"「{indicator.name}」色调太暗", path=path))
            return Report(index, project, version, tuple(findings))
    """,
    "context.py": """
        def context(unit, report):
            toy = report.project.part("toy")
            return {
                "unit": {"unit": unit.unit, "year": unit.year},
                "project": {"name": report.project.name},
                "toy": {"colour": toy.colour, "count": "" if toy.count is None else str(toy.count)},
            }
    """,
    "reader.py": """
        from docgen.inputs.importing.declared import read_fields
        from docgen.inputs.importing.found import Found, title_texts, year_of


        def read(form, version):
            found = Found(form, version.kind, version.version)
            read_fields(found, form.rows, version.reading.fields)
            found.unit["year"] = year_of(title_texts(form))
            found.project.setdefault("toy", {})
            return found
    """,
    "workbook.py": """
        from docgen.inputs.entrybook.columns import Column

        COLUMNS = (Column(("toy", "colour"), "颜色", width=10), Column(("toy", "count"), "数量", width=8))
        INDICATOR_COLUMNS = (Column(("shade",), "色调", width=8),)
    """,
    "kind.py": """
        from docgen.forms.interface import Checks, FormKind, ProjectContext, Reader, Workbook

        from toykind import checks, context, reader, workbook
        from toykind.model import FRAGMENT

        KIND = FormKind(
            name="toy",
            short_title="玩具表",
            count_label="玩具表",
            fragment=FRAGMENT,
            checks=Checks(checks.check),
            context=ProjectContext(context.context),
            reader=Reader(reader.read),
            workbook=Workbook(flag="玩具表", columns=workbook.COLUMNS, indicator_columns=workbook.INDICATOR_COLUMNS),
        )
    """,
}

MANIFEST_ENTRY = """
  toy:
    title: 玩具表
    package: toykind
    default: "1"
    versions:
      "1":
        description: 测试用的玩具表
        docx: docx/toy-1.docx
        xlsx: xlsx/toy-1.xlsx
        taxonomy: {产出指标: [数量指标]}
        read:
          titles: [玩具表]
          fields:
            name: [项目名称]
            executor: [实施单位]
            toy.colour: [颜色]
            toy.count: [数量]
          indicators:
            columns: {level1: [一级指标], name: [三级指标]}
"""

UNIT = """\
unit: 玩具单位
year: 2024
projects:
  - name: 积木
    executor: 玩具单位
    toy: {colour: 红色, count: 12}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 积木块数, target: ≥10块, shade: 暗}
"""


def _docx(path: Path) -> None:
    doc = Document()
    doc.add_paragraph("{{ unit.year }}年度玩具表")
    table = doc.add_table(rows=0, cols=2)
    for label, tag in (("项目名称", "project.name"), ("实施单位", "unit.unit"), ("颜色", "toy.colour"), ("数量", "toy.count")):
        row = table.add_row().cells
        row[0].text, row[1].text = label, "{{ " + tag + " }}"
    row = table.add_row().cells
    row[0].text, row[1].text = "一级指标", "三级指标"
    doc.save(str(path))


def _xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["{{ unit.year }}年度玩具表"])
    for label, tag in (("项目名称", "project.name"), ("颜色", "toy.colour"), ("数量", "toy.count")):
        ws.append([label, "{{ " + tag + " }}"])
    wb.save(path)


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A templates folder registering the toy kind, its package importable as `toykind`."""
    package = tmp_path / "lib" / "toykind"
    package.mkdir(parents=True)
    for name, text in PACKAGE.items():
        (package / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    _docx(templates / "docx" / "toy-1.docx")
    _xlsx(templates / "xlsx" / "toy-1.xlsx")
    manifest = templates / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "\nbook:\n" in text
    manifest.write_text(text.replace("\nbook:\n", MANIFEST_ENTRY + "\nbook:\n", 1), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(templates))
    reset_kinds()
    yield tmp_path
    monkeypatch.undo()
    for name in [m for m in sys.modules if m == "toykind" or m.startswith("toykind.")]:
        del sys.modules[name]
    reset_kinds()
    form_kinds()  # the default kinds' parts again, for the tests after this one
    assert "toy" not in Project.model_fields and "shade" not in Indicator.model_fields


def test_a_toy_kind_renders_checks_and_reads_back(toy):
    assert [k.name for k in form_kinds()] == ["dept", "target", "selfeval", "toy"]
    kind = form_kind("toy")
    assert kind.scope == "project" and kind.document is None and kind.scores is None and kind.indicator_fields() == ("shade",)
    unit_file = toy / "toy.yaml"
    unit_file.write_text(UNIT, encoding="utf-8")

    checked = check_file(unit_file)
    (report,) = checked.of_kind("toy")
    assert report.project.part("toy").colour == "红色"
    (finding,) = [f for f in checked.findings if f.code == "toy-many"]
    assert finding.message == "数量 12 超过 10" and finding.path == ("projects", 0, "toy", "count")
    (indicator,) = report.project.indicators
    assert (indicator.name, indicator.target, indicator.shade) == ("积木块数", "≥10块", "暗")
    assert list(Indicator.model_fields)[:4] == ["level1", "level2", "name", "shade"]  # where the fragment put it
    (dark,) = [f for f in checked.findings if f.code == "toy-dark"]
    assert dark.message == "「积木块数」色调太暗" and dark.path == ("projects", 0, "indicators", 0, "shade")

    rendered = render_file(unit_file, toy / "out", options=RenderOptions(layout=False, jobs=1))
    (docx,) = [f for f in rendered.forms if f.suffix == ".docx"]
    assert docx.name == "1-积木-玩具表.docx"
    texts = [c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells]
    assert texts[:8] == ["项目名称", "积木", "实施单位", "玩具单位", "颜色", "红色", "数量", "12"]
    (xlsx,) = [f for f in rendered.forms if f.suffix == ".xlsx"]
    sheet = openpyxl.load_workbook(xlsx).active
    assert [sheet.cell(r, 2).value for r in (2, 3, 4)] == ["积木", "红色", "12"]

    imported = toy / "imported.yaml"
    result = CliRunner().invoke(app, ["import", str(docx), "-o", str(imported)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(imported.read_text(encoding="utf-8"))
    assert data["unit"] == "玩具单位" and data["year"] == 2024
    (project,) = data["projects"]
    assert project["name"] == "积木" and project["toy"] == {"colour": "红色", "count": "12"}  # as printed
    book = toy / "toy.xlsx"  # the data-entry workbook: the toy's columns and its indicator column
    book.write_bytes(unit_workbook(unit_file))
    sheets = openpyxl.load_workbook(book)
    assert {"玩具表", "颜色", "数量"} <= {c.value for c in sheets["项目"][1]} and "色调" in [c.value for c in sheets["指标"][1]]
    assert check_file(book).unit == checked.unit  # read back as the same unit
    again = check_file(imported)  # read back, validated by the toy's fragment: the same values
    assert again.unit.projects[0].part("toy") == checked.unit.projects[0].part("toy")
    assert again.unit.projects[0].part("toy").count == 12


def test_a_toy_part_is_validated_by_its_fragment(toy):
    form_kinds()
    unit_file = toy / "bad.yaml"
    unit_file.write_text(UNIT.replace("count: 12", "count: -1").replace("colour:", "color:").replace("shade:", "shad:"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_file(unit_file)
    texts = sorted(p.text for p in caught.value.problems)
    assert texts[0].startswith("数值过小（应不小于 0）")
    assert texts[1].startswith("未知字段「color」（拼写错误？）；此处允许：colour（颜色）、count（数量）")
    assert texts[2].startswith("未知字段「shad」（拼写错误？）；此处允许：") and "shade（色调）" in texts[2], texts[2]
    assert list(Project.model_fields)[-1] == "toy"
