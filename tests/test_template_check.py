import shutil

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.build.template_check import check_version, referenced_names
from docgen.cli.app import app
from docgen.registry.manifest import DEFAULT_TEMPLATES, load_registry

runner = CliRunner()


def version(root, kind="selfeval", name="2022"):
    return load_registry(root).version(kind, name)


def messages(issues, severity):
    return [i.message for i in issues if i.severity == severity]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ project.name }}", {("project",), ("project", "name")}),
        (
            "{% for ind in project.indicators %}{{ ind.level1 }}{% endfor %}",
            {("project",), ("project", "indicators"), ("project", "indicators", "[]"), ("project", "indicators", "[]", "level1")},
        ),
        (
            "{{ project.funds['total'].budget|amount }}",
            {("project",), ("project", "funds"), ("project", "funds", "total"), ("project", "funds", "total", "budget")},
        ),
    ],
)
def test_referenced_names(source, expected):
    assert referenced_names(source) == expected


def test_shipped_templates_pass():
    result = runner.invoke(app, ["templates", "check"])
    assert result.exit_code == 0, result.output
    # four Shanghai/Qinhuangdao form versions, five regional ones (issue 24) and the review letter
    assert result.output.count("通过") == 10
    assert "[错误]" not in result.output and "[提示]" not in result.output


def test_unknown_name_split_tag_and_forbidden_attribute_in_docx(templates):
    path = templates / "docx" / "selfeval-2022.docx"
    doc = Document(str(path))
    doc.add_paragraph("{{ project.nmae }}")
    split = doc.add_paragraph()
    split.add_run("{{ project.")
    split.add_run("name }}")
    doc.save(str(path))
    issues = check_version(version(templates), version(templates).example)
    errors = messages(issues, "error")
    assert "引用了数据中没有的名称「project.nmae」" in errors
    assert any(m.startswith("用示例数据渲染「残疾人权益保障经费」失败") for m in errors)
    assert messages(issues, "warning") == ["标签「{{ project.name }}」被 Word 拆成了多个文字段，建议删除后一次性重新输入"]

    shutil.copyfile(DEFAULT_TEMPLATES / "docx" / "selfeval-2022.docx", path)
    doc = Document(str(path))
    doc.add_paragraph("{{ ''.__class__.__mro__ }}")
    doc.save(str(path))
    errors = messages(check_version(version(templates), version(templates).example), "error")
    assert len(errors) == 1 and "不允许的内部属性" in errors[0]


def test_unknown_name_in_an_xlsx_loop_row_and_the_cli_exit(templates):
    path = templates / "xlsx" / "target-2023.xlsx"
    wb = load_workbook(path)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "{{ ind.name }}")
    cell.value = "{{ ind.nmae }}"
    wb.save(path)
    result = runner.invoke(app, ["templates", "check", "target", "2023"])
    assert result.exit_code == 1
    assert "[错误] target-2023.xlsx：引用了数据中没有的名称「project.indicators[].nmae」" in result.output
    assert "未使用的字段「project.indicators[].name」" in result.output
    assert "selfeval" not in result.output


def test_unknown_kind(templates):
    result = runner.invoke(app, ["templates", "check", "nope"])
    assert result.exit_code == 2
    assert "没有表单种类「nope」" in result.output
