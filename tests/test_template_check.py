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
    # four Shanghai/Qinhuangdao form versions, five regional ones (issue 24) and the review
    # letter; six print labels their `read:` does not match (rendered with their example,
    # then read back as `docgen import` reads a received copy): the sign-off lines the
    # 湖北式 and 湖南 templates print under their tables are not read back (issue 24, open)
    assert result.output.count("通过") == 5  # sichuan-2023, anhui-2022, yunnan-2020, dept 2020, the letter
    assert "[错误]" not in result.output
    warnings = sorted(line.strip() for line in result.output.splitlines() if "[提示]" in line)
    assert warnings == [
        "[提示] selfeval-2022.docx：read: 登记的标签模板没有印出（docgen import 读不到）：财政专户管理资金、单位资金、原因",
        "[提示] selfeval-2022.xlsx：read: 登记的标签模板没有印出（docgen import 读不到）：财政专户管理资金、单位资金、原因",
        "[提示] selfeval-hubeistyle-2020.docx：read: 登记的标签模板没有印出（docgen import 读不到）：单位名称、填报日期",
        "[提示] target-2020.docx：模板印出了 read: 不认识的标签：「预算执行率」（表格 1 第 17 行第 3 列，是「财政项目支出绩效自评表 2022」的标签）",
        "[提示] target-2020.xlsx：模板印出了 read: 不认识的标签：「预算执行率」（申报表!C19，是「财政项目支出绩效自评表 2022」的标签）",
        "[提示] target-2023.docx：模板印出了 read: 不认识的标签：「其他资金」（表格 1 第 7 行第 2 列，是「财政项目支出绩效自评表 2022」的标签）",
        "[提示] target-2023.xlsx：模板印出了 read: 不认识的标签：「其他资金」（申报表!B9，是「财政项目支出绩效自评表 2022」的标签）",
        "[提示] target-hunan-2023.docx：read: 登记的标签模板没有印出（docgen import 读不到）：填表人、联系电话、填报日期、单位负责人签字",
    ]


def test_a_read_declaration_the_template_does_not_print_is_reported(templates):
    """A label added to `read:` that the version's templates never print, and a template
    label its `read:` no longer knows: both found by reading the example's render back."""
    manifest = templates / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace(
        "            name: &project-name [项目名称, 项目支出名称]", "            name: &project-name [项目支出名称]\n            extra.联系人: [联系人]", 1
    )
    text = text.replace("        name: [项目名称, 项目支出名称, 项目全称]", "        name: [项目支出名称, 项目全称]", 1)  # nor a synonym of the kind
    manifest.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["templates", "check", "selfeval", "2022"])
    assert result.exit_code == 0, result.output  # warnings: the templates still render
    assert (
        "[提示] selfeval-2022.docx：read: 登记的标签模板没有印出（docgen import 读不到）：项目支出名称、联系人、财政专户管理资金、单位资金、原因"
        in result.output
    )
    assert "[提示] selfeval-2022.docx：模板印出了 read: 不认识的标签：「项目名称」（表格 1 第 1 行第 1 列，是" in result.output


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
    assert [m for m in messages(issues, "warning") if not m.startswith("read:")] == [
        "标签「{{ project.name }}」被 Word 拆成了多个文字段，建议删除后一次性重新输入"
    ]

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
