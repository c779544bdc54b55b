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
    # letter, each rendered with its example and read back as `docgen import` reads a
    # received copy: every label its `read:` declares is printed (the sign-off lines over
    # and under the 湖北式 and 湖南 tables too, `lines:`), none it does not know
    assert result.output.count("通过") == 10
    assert "[错误]" not in result.output and "[提示]" not in result.output


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
    assert "[提示] selfeval-2022.docx：read: 登记的标签模板没有印出（docgen import 读不到）：项目支出名称、联系人\n" in result.output
    assert "[提示] selfeval-2022.docx：模板印出了 read: 不认识的标签：「项目名称」（表格 1 第 1 行第 1 列，是" in result.output


@pytest.mark.parametrize(
    "old, new, message",
    [
        # a label declared as not printed by the templates (read on received copies only) that they print
        ("unprinted: [财政专户管理资金, 单位资金, 原因]", "unprinted: [财政专户管理资金, 单位资金, 原因, 年初预算数]",
         "[提示] selfeval-2022.docx：read: 的 unprinted: 登记为模板不印的标签，模板却印出了：年初预算数"),
        # one no longer declared as not printed: looked for in the print, and missing
        ("unprinted: [财政专户管理资金, 单位资金, 原因]", "unprinted: [财政专户管理资金, 单位资金]",
         "[提示] selfeval-2022.docx：read: 登记的标签模板没有印出（docgen import 读不到）：原因\n"),
    ],
)  # fmt: skip
def test_the_labels_read_but_not_printed_are_checked_both_ways(templates, old, new, message):
    manifest = templates / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(app, ["templates", "check", "selfeval", "2022"])
    assert result.exit_code == 0, result.output
    assert message in result.output


def test_an_unprinted_label_read_does_not_declare_is_refused(templates):
    manifest = templates / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("unprinted: [财政专户管理资金, 单位资金, 原因]", "unprinted: [财政专户管理资金, 专户资金]", 1), encoding="utf-8")
    result = runner.invoke(app, ["templates", "check", "selfeval", "2022"])
    assert result.exit_code == 2, result.output
    assert "kinds.selfeval.versions.2022.read.unprinted 中的「专户资金」不是本版本 read: 登记的标签" in result.output


def test_a_label_of_another_version_the_data_prints_is_not_reported(templates):
    """The 2020 申报表's example has an indicator named 预算执行率, a label of the 自评表: the
    template does not print that label, its data does."""
    result = runner.invoke(app, ["templates", "check", "target", "2020"])
    assert "预算执行率" not in result.output and "[提示]" not in result.output
    example = templates.parent / "data" / "examples" / "shanghai-dpf-infocenter-2020.yaml"
    assert "预算执行率" in example.read_text(encoding="utf-8")


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
