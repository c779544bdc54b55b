"""`docgen workbook`: the sheets, columns and typing help of the data-entry workbook."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.build.workbook import blank_workbook, unit_workbook
from docgen.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
runner = CliRunner()


def _open(data: bytes, tmp_path: Path):
    path = tmp_path / "unit.xlsx"
    path.write_bytes(data)
    return load_workbook(path)


def _validations(ws) -> dict[str, str]:
    """The first cell of each validated range -> its list formula or type."""
    return {str(dv.sqref).split(":")[0]: dv.formula1 if dv.type == "list" else dv.type for dv in ws.data_validations.dataValidation}


def test_sheets_and_columns_of_a_two_form_unit(tmp_path):
    wb = _open(unit_workbook(EXAMPLES / "one-project-two-forms.yaml"), tmp_path)
    assert wb.sheetnames == ["说明", "单位", "项目", "指标", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    projects = wb["项目"]
    headers = [c.value for c in projects[1]]
    assert headers[:5] == ["序号", "项目名称", "项目编码", "年度总体目标", "申报表"]  # 项目总体目标: blank, left out
    assert "自评表" in headers and "年度资金总额（全年执行数）" in headers and "实际完成情况" in headers
    assert "预算数" not in headers and "项目概况" not in headers  # the departmental and 2020 fields are left out
    row = {h: c.value for h, c in zip(headers, projects[2])}
    assert row["项目名称"] == "交换平台运行费" and row["申报表"] == "是" and row["自评表"] == "是"
    assert row["年度资金申请总额"] == Decimal("446048.00") or row["年度资金申请总额"] == 446048
    start = projects.cell(2, headers.index("计划开始日期") + 1)
    assert start.value == datetime(2023, 1, 1) and start.number_format == "yyyy-mm-dd"
    amount = projects.cell(2, headers.index("年度资金申请总额") + 1)
    assert amount.number_format == "#,##0.00" and amount.data_type == "n"
    assert projects.freeze_panes == "C2"  # 序号 and 项目名称 stay with the header
    assert projects.cell(1, 2).comment.text.startswith("项目的全称，各表的「项目名称」栏照印")
    assert "预算执行率" not in projects.cell(1, headers.index("年度总体目标") + 1).comment.text


def test_indicator_sheet_types_and_lists(tmp_path):
    wb = _open(unit_workbook(EXAMPLES / "one-project-two-forms.yaml"), tmp_path)
    ws = wb["指标"]
    headers = [c.value for c in ws[1]]
    assert headers == [
        "项目序号", "项目名称", "一级指标", "二级指标", "三级指标", "指标值", "自评表年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
    ]  # fmt: skip
    target = ws.cell(2, 6)
    assert target.value == "=100.00(%)" and target.data_type == "s"  # a target, not a formula
    lists = _validations(ws)
    assert lists["I2"] == "decimal"

    def listed(formula: str) -> list[str]:
        sheet, cells = formula.split("!")
        assert sheet == "'选项'"
        first, last = cells.replace("$", "").split(":")
        column = first.rstrip("0123456789")
        return [wb["选项"][f"{column}{r}"].value for r in range(int(first[len(column) :]), int(last[len(column) :]) + 1)]

    assert listed(lists["C2"]) == ["产出指标", "效益指标", "满意度指标"]
    # 二级指标: the list of the row's 一级, by the safe defined name the map beside the lists gives
    formula = lists["D2"]
    assert formula.startswith("INDIRECT(IFERROR(VLOOKUP(C2,'选项'!$") and formula.endswith(',2,FALSE),"docgen_list_0"))')
    names = {name: wb.defined_names[name].attr_text for name in wb.defined_names}
    level2 = listed(names["docgen_list_0"])  # a blank or unknown 一级: every 二级
    assert level2[0] == "数量指标" and level2[-1] == "服务对象满意度指标" and len(level2) == 9
    first, last = formula.split("'选项'!")[1].split(",")[0].replace("$", "").split(":")
    mapping = {wb["选项"][f"{first[0]}{r}"].value: wb["选项"][f"{last[0]}{r}"].value for r in range(2, int(last[1:]) + 1)}
    assert {level1: listed(names[safe]) for level1, safe in mapping.items()} == {
        "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
        "效益指标": ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
        "满意度指标": ["服务对象满意度指标"],
    }
    assert listed(_validations(wb["项目"])["E2"]) == ["是", "否"]  # 申报表


def test_unit_sheet_and_departmental_goals(tmp_path):
    wb = _open(unit_workbook(EXAMPLES / "qinhuangdao-shanhaiguan-dpf-2020.yaml"), tmp_path)
    assert wb.sheetnames == ["说明", "单位", "项目", "指标", "部门整体目标", "选项"]
    unit = {wb["单位"].cell(r, 1).value: wb["单位"].cell(r, 2).value for r in range(2, wb["单位"].max_row + 1)}
    assert unit["单位名称"] == "秦皇岛市山海关区残疾人联合会" and unit["单位编码"] == "762002" and unit["年度"] == 2020
    assert unit["表单版本：部门整体绩效目标"] == "2020" and unit["金额单位"] == "元"
    goals = [[c.value for c in row] for row in wb["部门整体目标"].iter_rows(min_row=1, max_row=3)]
    assert goals[0] == ["类别", "分项序号", "内容"]
    assert goals[1][0] == "总体绩效目标" and goals[1][2].startswith("残疾人基本公共服务体系")
    headers = [c.value for c in wb["指标"][1]]
    assert headers[-2:] == ["绩效指标描述", "指标值确定依据"] and "实际完成值" not in headers


def test_help_sheet_names_every_column(tmp_path):
    wb = _open(unit_workbook(EXAMPLES / "shanghai-dpf-2022.yaml"), tmp_path)
    rows = [tuple(c.value for c in row) for row in wb["说明"].iter_rows()]
    assert rows[0][0] == "docgen 单位数据工作簿"
    described = {(r[0], r[1]) for r in rows}
    for sheet in ("项目", "指标"):
        assert {(sheet, c.value) for c in wb[sheet][1]} <= described
    notes = {(sheet, c.value): c.comment.text for sheet in ("项目", "指标") for c in wb[sheet][1]}
    hint = "；填文字；以 = 开头的内容（如 =100%）也作为文字保存"  # given once in 说明's introduction
    assert all(row[2] == notes[row[0], row[1]].replace(hint, "") for row in rows if (row[0], row[1]) in notes)  # 说明 says what the notes say
    assert ("项目", "实际完成情况", "每行一段；也可用 <p>…</p> 分段。印在：自评表（2022 版）") in rows
    assert notes["项目", "实际完成情况"] == "每行一段；也可用 <p>…</p> 分段；填文字；以 = 开头的内容（如 =100%）也作为文字保存。印在：自评表（2022 版）"


def test_blank_workbook(tmp_path):
    wb = _open(blank_workbook({"target": "2020", "selfeval": ""}), tmp_path)
    headers = [c.value for c in wb["项目"][1]]
    assert "项目概况" in headers and "自评表" in headers and "预算数" not in headers  # every column of the chosen kinds
    filled = [r for r in wb["项目"].iter_rows(min_row=2) if any(c.value is not None for c in r)]
    assert len(filled) == 1  # one worked example project
    unit = {wb["单位"].cell(r, 1).value: wb["单位"].cell(r, 2).value for r in range(2, wb["单位"].max_row + 1)}
    assert unit["表单版本：申报表"] == "2020" and unit["表单版本：自评表"] == "2022"


def test_cli_workbook(tmp_path):
    out = tmp_path / "unit.xlsx"
    result = runner.invoke(app, ["workbook", str(EXAMPLES / "shanghai-sscard-2023.yaml"), "-o", str(out)])
    assert result.exit_code == 0 and result.output == f"已写入：{out}\n"
    before = out.read_bytes()
    result = runner.invoke(app, ["workbook", "--new", "-o", str(out)])
    assert result.exit_code == 3 and "文件已存在，未写入" in result.output and out.read_bytes() == before
    assert runner.invoke(app, ["workbook", "--new", "-o", str(out), "--force"]).exit_code == 0
    result = runner.invoke(app, ["workbook", "--new", "--forms", "selfeval=1999", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "没有版本「1999」" in result.output
    result = runner.invoke(app, ["workbook", "-o", str(tmp_path / "y.xlsx")])
    assert result.exit_code == 2 and not (tmp_path / "y.xlsx").exists()
    again = tmp_path / "again.xlsx"
    runner.invoke(app, ["workbook", str(EXAMPLES / "shanghai-sscard-2023.yaml"), "-o", str(again)])
    assert again.read_bytes() == before  # same data, same bytes
