"""The 其他栏目 sheet (issue 24): the `extra:` lines of the unit and of each project, one a
row (项目序号 | 项目名称 | 栏目 | 内容, a blank 项目序号 the unit's), read back in their order."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.build.workbook import blank_workbook, unit_workbook
from docgen.cli.app import app
from docgen.inputs.loader import load_file, load_unit
from docgen.model.validate import validate

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
runner = CliRunner()
UNIT_LINES = """extra:
  联系电话: "021-12345678"
  填报人: "=张三"
  备注: ""
"""


def _unit(tmp_path: Path) -> Path:
    text = MINIMAL.read_text(encoding="utf-8").replace("amount_unit: 元\n", "amount_unit: 元\n" + UNIT_LINES)
    text = text.replace("    annual_goal: 目标一\n", "    annual_goal: 目标一\n    extra: {项目类型: 一次性项目, 填报日期: 2024 年 1 月 5 日}\n")
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=ws.max_row) if any(c.value is not None for c in row)]


def test_extra_lines_are_written_one_a_row_and_read_back_in_order(tmp_path):
    source = _unit(tmp_path)
    book = tmp_path / "unit.xlsx"
    book.write_bytes(unit_workbook(source))
    wb = load_workbook(book)
    assert wb.sheetnames[-2:] == ["其他栏目", "选项"]
    ws = wb["其他栏目"]
    assert [c.value for c in ws[1]] == ["项目序号", "项目名称", "栏目", "内容"]
    name = load_unit(source).projects[0].name
    assert _rows(ws) == [
        [None, None, "联系电话", "021-12345678"],
        [None, None, "填报人", "=张三"],
        [None, None, "备注", None],
        [1, name, "项目类型", "一次性项目"],
        [1, name, "填报日期", "2024 年 1 月 5 日"],
    ]
    assert ws["D3"].data_type == "s"  # 「=张三」 is a line's text, not a formula
    assert {ws.cell(r, col).number_format for r in range(2, 501) for col in (2, 3, 4)} == {"@"}
    unit = validate(load_file(book))
    assert unit == load_unit(source)
    assert list(unit.extra.items()) == [("联系电话", "021-12345678"), ("填报人", "=张三"), ("备注", "")]
    assert list(unit.projects[0].extra) == ["项目类型", "填报日期"]


def test_rows_moved_about_and_named_by_project_name(tmp_path):
    """A clerk adds a line at the end, for a project named only by its name: it joins that
    project's lines after the others; the unit's lines keep their order."""
    book = tmp_path / "unit.xlsx"
    book.write_bytes(unit_workbook(_unit(tmp_path)))
    wb = load_workbook(book)
    ws = wb["其他栏目"]
    name = ws["B5"].value
    ws["A7"], ws["B7"], ws["C7"], ws["D7"] = None, name, "项目属性", "新增性项目"
    wb.save(book)
    unit = validate(load_file(book))
    assert list(unit.projects[0].extra.items())[-1] == ("项目属性", "新增性项目")
    assert list(unit.extra) == ["联系电话", "填报人", "备注"]


def test_the_sheet_notes_and_print_set_up(tmp_path):
    wb = load_workbook(io.BytesIO(blank_workbook({})))  # a blank workbook offers the sheet
    ws = wb["其他栏目"]
    notes = {c.value: c.comment.text for c in ws[1]}
    assert notes["项目序号"] == "这一栏所属项目在「项目」表中的序号；序号和项目名称都不填的，是整个单位的栏目"
    assert notes["栏目"].startswith("表单上这一栏的名称，与表单模板所印的一致，如「填报日期」「项目类别」；同一项目（或单位）每个栏目只写一行")
    assert (ws.freeze_panes, ws.print_title_rows, ws.print_title_cols, ws.page_setup.orientation) == ("C2", "$1:$1", "$A:$B", "landscape")
    help_texts = [row[2] for row in wb["说明"].iter_rows(values_only=True)]
    assert any(t and t.startswith("「其他栏目」表写表单上印出、而上面各表没有的栏目（如填报日期、项目类别）") for t in help_texts)


def test_a_unit_without_extra_lines_has_no_such_sheet(tmp_path):
    wb = load_workbook(io.BytesIO(unit_workbook(ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml")))
    assert wb.sheetnames == ["说明", "单位", "项目", "指标", "选项"]


SSCARD = ROOT / "data" / "examples" / "shanghai-sscard-2023.yaml"


def _labelled(tmp_path: Path) -> Path:
    text = SSCARD.read_text(encoding="utf-8").replace("forms:\n", "labels: {overall_goal: 项目总目标, target: 指标值}\nforms:\n", 1)
    first = load_unit(SSCARD).projects[0].name
    text = text.replace(f"  - name: {first}\n", f'  - name: {first}\n    labels: {{overall_goal: "项目总目标 ({{period}})"}}\n', 1)
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_labels_on_their_own_sheet_by_the_words_the_form_prints(tmp_path):
    """`labels:` of the unit and of a project: the 表单标签 sheet names each by the words its
    version prints (「项目总体目标」, not overall_goal) and reads back the same labels."""
    path = _labelled(tmp_path)
    first = load_unit(SSCARD).projects[0].name
    book = tmp_path / "unit.xlsx"
    book.write_bytes(unit_workbook(path))
    wb = load_workbook(book)
    ws = wb["表单标签"]
    assert [c.value for c in ws[1]] == ["项目序号", "项目名称", "标签", "改印为"]
    assert _rows(ws) == [
        [None, None, "项目总体目标", "项目总目标"],
        [None, None, "年度(/项目)指标值", "指标值"],
        [1, first, "项目总体目标", "项目总目标 ({period})"],
    ]
    assert "项目总体目标" in [wb["选项"].cell(r, c).value for r in range(1, 20) for c in range(1, 20)]  # its list
    unit = validate(load_file(book))
    assert unit == load_unit(path) and list(unit.labels) == ["overall_goal", "target"]
    ws["C2"] = "overall_goal"  # the name itself is taken too
    ws["C3"] = "总体目标"  # words no version prints: the check names the cell
    wb.save(book)
    result = runner.invoke(app, ["check", str(book)])
    assert result.exit_code == 2 and f"{book}:表单标签!D3: " in result.output and "未知的标签名「总体目标」" in result.output, result.output


def test_a_sheet_without_its_name_column_is_an_error(tmp_path):
    book = tmp_path / "unit.xlsx"
    book.write_bytes(unit_workbook(_unit(tmp_path)))
    wb = load_workbook(book)
    wb["其他栏目"]["C1"] = None
    wb.save(book)
    result = runner.invoke(app, ["check", str(book)])
    assert result.exit_code == 2
    assert f"{book}:其他栏目!A1: 单元格 其他栏目!A1：「其他栏目」表缺少「栏目」列（第一行应为：项目序号、项目名称、栏目、内容）" in result.output, result.output


def test_the_label_sheet_is_noted_and_set_up_as_the_others(tmp_path):
    wb = load_workbook(io.BytesIO(unit_workbook(_labelled(tmp_path))))
    ws = wb["表单标签"]
    notes = {c.value: c.comment.text for c in ws[1]}
    assert notes["项目序号"] == "只改这个项目的表单时，填它在「项目」表中的序号；序号和项目名称都不填的，改写整个单位的表单（项目的改写优先）"
    assert notes["标签"].startswith("要改写的表单标签，按表单版本原来印的文字填写，如「项目总体目标」「年度指标值」；从下拉列表中选择，或填列表外的值")
    assert notes["改印为"].startswith("表单上改印的文字，如「项目总目标」；写 {period} 处印出项目期间")
    assert {ws.cell(r, col).number_format for r in range(2, 501) for col in (2, 3, 4)} == {"@"}
    assert (ws.freeze_panes, ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.fitToWidth) == ("C2", "$1:$1", "landscape", 1)
    assert "表单标签" not in load_workbook(io.BytesIO(blank_workbook({}))).sheetnames  # only a unit that sets labels
