"""The 四川 一体化 自评表 (version sichuan-2023, issue 24): the example transcribed from the
published form (../shared/reference/regions/sichuan-selfeval-2023.txt) renders in the
published layout, cell for cell as the reference grid (tests/importing/region_forms.py
`SICHUAN`), its slips are found, its profile scores it, and the rendered forms import back
as the same version with the same values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from importing import region_forms as R
from typer.testing import CliRunner

import docgen
from docgen.check.checking import check_source
from docgen.cli.app import app
from docgen.inputs.importing import import_forms
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry
from render import region_cells as C

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "sichuan-qingshen-selfeval-2023.yaml"
RULES = R._REASON
runner = CliRunner()

# Cells the published form left blank that docgen fills from the rules: 得分 of 预算执行
# (10 = min(251.89/251.89, 100%) × 10), of each indicator (0: no 完成值) and the 合计's.
COMPUTED = {(8, 8): "10", (14, 9): "0", (15, 9): "0", (16, 9): "10"}


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    return C.render(EXAMPLE, tmp_path_factory.mktemp("sichuan"))


def test_the_version_prints_through_its_own_templates():
    version = default_registry().version("selfeval", "sichuan-2023")
    assert (version.docx.name, version.xlsx.name, version.amount_unit) == ("selfeval-sichuan-2023.docx", "selfeval-sichuan-2023.xlsx", "万元")
    assert version.example == EXAMPLE and "印制暂用" not in version.description
    assert "sign_off.project_lead" in version.fields and "evaluation.funds.special_account.budget" in version.fields
    assert "evaluation.funds.carryover.budget" not in version.fields  # the form has no 上年结转 row


def test_word_form_is_the_published_grid(forms):
    above, rows = C.word_rows(forms[".docx"])
    assert above == ["报表编号:510000_0013zp", "部门预算项目支出绩效自评表(2023年度)"]
    assert C.grid_widths(forms[".docx"]) == [800, 980, 1340, 1700, 760, 820, 760, 640, 620, 680, 1360]
    got = C.word_boxes(rows)
    expected = {box: R.SICHUAN.rows[box[0]][box[1]] for box in R.SICHUAN.merges()}
    for (top, left), text in COMPUTED.items():
        box = next(b for b in expected if b[:2] == (top, left))
        assert expected[box] == ""  # blank as published
        expected[box] = text
    # the Word table has the loop's marker rows removed and the same cells, merged the same way
    assert got == expected


def test_word_form_prints_the_rules_in_the_reason_cell_and_vertical_merges(forms):
    _, rows = C.word_rows(forms[".docx"])
    assert [r[0][2] for r in rows[7:13]] == ["restart"] + ["continue"] * 5  # 预算执行情况(10分) over six rows
    assert rows[8][-1] == (RULES, 2, "restart") and [r[-1] for r in rows[9:13]] == [("", 2, "continue")] * 4
    # headings broken by hand where the column would break them mid-word
    assert (rows[2][0][0], rows[7][0][0], rows[13][4][0], rows[13][6][0]) == ("项目基本\n情况", "预算执行\n情况\n(10分)", "指标\n性质", "度量\n单位")
    assert [c[0] for c in rows[8][:8]] == ["", "总额", "238.93", "251.89", "251.89", "100.00%", "10", "10"]
    assert [c[0] for c in rows[11][1:6]] == ["单位资金", "0.00", "0.00", "0.00", "0.00%"]
    assert [c[0] for c in rows[12][1:6]] == ["其他资金", "", "", "", ""]  # blank as published


def test_excel_form_values_formats_and_merges(forms):
    values, formats, merges = C.sheet_cells(forms[".xlsx"])
    assert values["A5"] == "项目基本\n情况" and values["A1"] == "报表编号:510000_0013zp" and values["A2"] == "部门预算项目支出绩效自评表(2023年度)"
    row = lambda r, cols: [values.get(f"{c}{r}") for c in cols]  # noqa: E731
    assert row(10, "ABDEFGHIJ") == [
        "预算执行\n情况\n(10分)",
        "年度预算数(万元)",
        "年初预算",
        "调整后\n预算数",
        "预算\n执行数",
        "预算\n执行率",
        "权重",
        "得分",
        "原因",
    ]
    assert row(11, "BDEFGHIJ") == ["总额", 238.93, 251.89, 251.89, 1, 10, 10, RULES]
    assert row(12, "BDEFGHI") == ["其中:财政资金", 238.93, 251.89, 251.89, 1, "/", "/"]
    assert row(13, "BDEFG") == ["财政专户管理资金", 0, 0, 0, 0]
    assert row(15, "BDEFGHI") == ["其他资金", None, None, None, None, "/", "/"]
    assert row(16, "ABCDEFGHIJK") == [
        "绩效指标\n(90分)",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标\n性质",
        "指标值",
        "度量\n单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    ]
    assert row(17, "BCDEFGHIJK") == ["产出指标", "数量指标", "发放(缴纳)覆盖率", "=", "100", "%", None, 60, 0, None]
    assert row(18, "BCDEFGHIJK") == ["效益指标", "社会效益指标", "足额保障率(参保率)", "=", "100", "%", None, 30, 0, None]
    assert row(19, "AIJ") == ["合计", 100, 10]
    assert row(23, "AF") == ["项目负责人:", "财务负责人:"]
    assert values["B7"].startswith("严格执行相关政策") and values["G7"] == "对照年度目标,说明相关任务目标的完成情况(100字以内)"
    assert values["B20"].startswith("结合自评情况,说明项目自评总分")
    assert {formats[c] for c in ("D11", "E11", "F11", "D13", "F14")} == {"#,##0.00"} and formats["G11"] == formats["G13"] == "0.00%"
    assert {"A5:A9", "A10:A15", "J11:K15", "A16:A18", "A19:H19", "B4:E4", "F4:G4", "H4:K4", "B6:F6", "G6:K6", "A23:E23", "F23:K23"} <= merges


def test_profile_scores_and_check_finds_the_published_slips():
    checked = docgen.check_file(EXAMPLE)
    (report,) = checked.reports
    score = report.score
    assert (score.execution.weight, score.execution.computed, score.weight_total) == (Decimal(10), Decimal("10.00"), Decimal(100))
    assert [s.computed for s in score.indicators] == [Decimal(0), Decimal(0)]
    assert (score.total, score.grade) == (Decimal("10.00"), "差")
    result = runner.invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 1
    out = result.output
    assert out.count("未填写实际完成值（完成值）") == 2
    assert "指标「发放(缴纳)覆盖率」：得分 0 低于分值 60，但未填写" in out
    for field, prompt in [
        ("实际完成情况", "对照年度目标,说明相关任务目标的完成情况(100字以内)"),
        ("评价结论", "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)"),
        ("存在问题", "结合自评情况,分析存在的问题及原因。(200字以内)"),
        ("改进措施", "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内)"),
    ]:
        assert f"{field}填的是表格的填写提示「{prompt}」" in out
    assert "错误 8 条，提示 0 条" in out


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_rendered_form_imports_back_as_the_same_version_and_values(forms, suffix):
    result = import_forms([forms[suffix]])
    (line,) = result.read
    assert line.endswith("四川 部门预算项目支出绩效自评表 2023「51000021R000000019951-工资性支出」（金额单位为万元，已换算为元）")
    unit = Unit.model_validate(result.source.data)
    assert (unit.unit, unit.year, unit.forms) == ("青神县发展和改革局", 2023, {"selfeval": "sichuan-2023"})
    (project,) = unit.projects
    assert (project.name, unit.department_of(project), unit.executor_of(project)) == (
        "51000021R000000019951-工资性支出",
        "青神县发展和改革局本级",
        "青神县发展和改革局",
    )
    funds = project.evaluation.funds
    assert [(f.initial, f.budget, f.executed) for f in (funds.total, funds.fiscal)] == [(Decimal(2389300), Decimal(2518900), Decimal(2518900))] * 2
    assert [(f.initial, f.budget, f.executed) for f in (funds.special_account, funds.unit_own)] == [(Decimal(0), Decimal(0), Decimal(0))] * 2
    assert (funds.other.budget, funds.carryover.budget) == (None, None)
    assert project.evaluation.execution.reason == RULES
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score) for i in project.indicators] == [
        ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%", "", Decimal(60), None),
        ("效益指标", "社会效益指标", "足额保障率(参保率)", "=100%", "", Decimal(30), None),
    ]  # the printed 得分 are the rules' own: the import leaves them out
    assert project.annual_goal.startswith("严格执行相关政策") and project.evaluation.problems == "结合自评情况,分析存在的问题及原因。(200字以内)"
    reports = check_source(result.source, default_registry()).reports
    assert sorted(f.code for r in reports for f in r.findings) == ["actual-missing"] * 2 + ["deviation-missing"] * 2 + ["prompt-left"] * 4
    assert reports[0].score.total == Decimal("10.00")
