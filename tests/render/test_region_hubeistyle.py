"""The 湖北式 项目自评表 (version hubeistyle-2020, issue 24): the example transcribed from
the published form (../shared/reference/regions/hubeistyle-selfeval-2020.txt) renders in
the published layout, cell for cell as the reference grid (tests/importing/region_forms.py
`HUBEI`), with the 备注 the template prints (rules-hubeistyle-2020.txt); its profile
(20 + 80 points) scores it, its slip is found, and the rendered forms import back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from importing import region_forms as R
from typer.testing import CliRunner

import docgen
from docgen.check.checking import check_source
from docgen.cli.app import app
from docgen.inputs.importing import import_forms
from docgen.inputs.loader import load_file
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry
from render import region_cells as C

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "hubeistyle-shangwu-selfeval-2020.yaml"
runner = CliRunner()

NAMES = [
    "服务外包在岸(万美元)",
    "服务外包离岸(万美元)",
    "支持服务贸易、服务外包企业数量",
    "企业国际质量提升",
    "预算资金执行率",
    "资金拨付及时性",
    "企业把握政治导向和文化方向情况",
    "推动企业走出去方面发挥的作用",
]


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    return C.render(EXAMPLE, tmp_path_factory.mktemp("hubeistyle"))


def test_the_version_prints_through_its_own_templates():
    version = default_registry().version("selfeval", "hubeistyle-2020")
    assert (version.docx.name, version.xlsx.name, version.amount_unit) == ("selfeval-hubeistyle-2020.docx", "selfeval-hubeistyle-2020.xlsx", "万元")
    assert version.example == EXAMPLE and "印制暂用" not in version.description
    assert "evaluation.deviation" in version.fields and "evaluation.funds.fiscal.budget" not in version.fields  # one funds row


def test_word_form_is_the_published_grid(forms):
    doc = Document(str(forms[".docx"]))
    lines = [p.text for p in doc.paragraphs if p.text]
    assert lines[:2] == ["2020 年市级服务贸易发展资金项目自评表", "单位名称：区商务局　　填报日期：2021 年 4 月 22 日"]
    assert lines[2].startswith("备注：1.预算执行情况口径：预算数为调整后财政资金总额（包括上年结余结转）")
    assert "正向指标（即目标值为≥X，得分=权重*B/A），反向指标（即目标值为≤X，得分=权重*A/B）" in lines[3]
    assert "100%-80%（≥80%）、80%-50%（[50%,80%)）、50%-0%（<50%）" in lines[4]
    _, rows = C.word_rows(forms[".docx"])
    assert C.grid_widths(forms[".docx"]) == [1180, 1000, 1360, 1560, 1900, 1900, 1560]
    got = C.word_boxes(rows)
    # the reference's text has 「（20 分）」 as its page extraction spaced it
    expected = {box: R.HUBEI.rows[box[0]][box[1]].replace(" 分", "分") for box in R.HUBEI.merges()}
    # where the example differs from the typed grid: the 项目属性 / 项目类型 options as the
    # second source of the template shows them, and the rate as docgen prints rates
    expected[(3, 1, 3, 6)] = "1、持续性项目 2、新增性项目 □"
    expected[(4, 1, 4, 6)] = "1、常年性项目 2、延续性项目 □ 3、一次性项目 □"
    # the 签名 line with ASCII spaces (ideographic ones print its 年 / 月 / 日 as words apart)
    assert expected[(19, 1, 19, 6)] == "签名：　　年　月　日"
    expected[(19, 1, 19, 6)] = "签名：    年  月  日"
    assert expected[(6, 5, 6, 5)] == "100%"
    expected[(6, 5, 6, 5)] = "100.00%"
    assert got == expected
    # 产出指标（60分） spans its six indicators, 数量指标 three, 时效指标 two (the loop's merges)
    assert {(b[0], b[2]) for b in got if b[1] == 1} >= {(8, 13), (14, 15)} and (8, 2, 10, 2) in got and (12, 2, 13, 2) in got


def test_excel_form_values_formats_and_merges(forms):
    values, formats, merges = C.sheet_cells(forms[".xlsx"])
    row = lambda r, cols: [values.get(f"{c}{r}") for c in cols]  # noqa: E731
    assert row(2, "AE") == ["单位名称：区商务局", "填报日期：2021 年 4 月 22 日"]
    assert row(8, "ADEFG") == ["预算执行\n情况（万元）\n（20分）", "预算数（A）", "执行数（B）", "执行率（B/A）", "得分\n（20分*执行率）"]
    assert row(9, "BDEFG") == ["年度财政\n资金总额", 285.84, 285.84, 1, 20]
    assert (formats["D9"], formats["E9"], formats["F9"]) == ("#,##0.00", "#,##0.00", "0.00%")
    assert row(10, "ABCDEFG") == ["年度绩效\n目标\n（80分）", "一级指标", "二级指标", "三级指标", "年初目标值\n（A）", "实际完成值\n（B）", "得分"]
    assert [values.get(f"D{r}") for r in range(11, 19)] == NAMES
    assert [values.get(f"G{r}") for r in range(11, 20)] == [10] * 6 + [20, 20, 100]
    assert row(11, "BCEF") == ["产出指标\n（60分）", "数量指标", "20000", "23333.56"]
    assert row(17, "BCEF") == ["效益指标\n（40分）", "社会效益指标", "企业把握正确政治导向和文化方向情况的评价", "企业较好把握正确政治导向和文化方向情况的评价"]
    assert row(22, "AB") == ["单位主要\n负责人\n签批意见", "签名：    年  月  日"] and "B20" not in values and "B21" not in values
    assert values["A23"].startswith("备注：1.预算执行情况口径")
    assert {"A8:A9", "A10:A18", "B11:B16", "B17:B18", "C11:C13", "C15:C16", "A19:F19", "B20:G20", "B22:G22", "A2:D2", "E2:G2"} <= merges


def test_profile_scores_20_plus_80_and_check_finds_the_published_slip():
    (report,) = docgen.check_file(EXAMPLE).reports
    score = report.score
    assert (score.execution.weight, score.execution.computed) == (Decimal(20), Decimal("20.00"))
    # 正向 权重 × B/A capped at the weight; the qualitative ones as declared
    assert [s.computed for s in score.indicators][:3] == [Decimal("10.00")] * 3
    assert (score.weight_total, score.total, score.shown_total, score.grade) == (Decimal(120), Decimal("120.00"), Decimal(100), "优")
    result = runner.invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "分值合计为 120（预算执行率 20 + 绩效指标 100），应为 100" in result.output
    assert "总分填报为 100，各项得分合计为 120" in result.output
    assert "错误 2 条，提示 0 条" in result.output


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_rendered_form_imports_back_as_the_same_version_and_values(forms, suffix):
    result = import_forms([forms[suffix]])
    (line,) = result.read
    assert line.endswith("湖北式 项目自评表 2020「2020 年市级服务贸易发展资金」（金额单位为万元，已换算为元）")
    unit = Unit.model_validate(result.source.data)
    assert (unit.unit, unit.year, unit.forms) == ("区商务局", 2020, {"selfeval": "hubeistyle-2020"})
    (project,) = unit.projects
    assert (unit.department_of(project), unit.executor_of(project)) == ("区商务局", "投资促进中心")
    assert project.extra == {
        "填报日期": "2021 年 4 月 22 日",
        "项目类别": "1、部门预算项目 2、区直专项",
        "项目属性": "1、持续性项目 2、新增性项目 □",
        "项目类型": "1、常年性项目 2、延续性项目 □ 3、一次性项目 □",
    }
    ev = project.evaluation
    assert (ev.funds.total.budget, ev.funds.total.executed) == (Decimal(2858400), Decimal(2858400))
    assert ev.class_weights == {"产出指标": Decimal(60), "效益指标": Decimal(40)} and ev.total_score == Decimal(100)
    assert [i.name for i in project.indicators] == NAMES
    assert [i.weight for i in project.indicators] == [Decimal(10)] * 6 + [Decimal(20)] * 2  # the class points shared
    assert [(i.target, i.actual) for i in project.indicators][4:6] == [("90%", "100%"), ("98%以上", "100%")]
    assert (ev.deviation, ev.improvements, project.sign_off.unit_lead) == ("", "", "签名：    年  月  日")
    reports = check_source(result.source, default_registry()).reports
    assert sorted(f.code for r in reports for f in r.findings) == ["total-mismatch", "weights-total"]
    assert reports[0].score.total == Decimal("120.00")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", pytest.param(".pdf", marks=pytest.mark.office)])
def test_the_line_over_the_table_reads_back_as_the_example(forms, suffix, tmp_path):
    """「单位名称：区商务局　　填报日期：2021 年 4 月 22 日」 over the table (a paragraph in Word
    and in the PDF printed from it, a row over the table in Excel): `read: lines:`."""
    example = load_file(EXAMPLE).data
    path = C.received(forms, suffix, tmp_path)
    result = import_forms([path])
    unit = Unit.model_validate(result.source.data)
    assert unit.unit == example["unit"] == "区商务局"
    (project,) = unit.projects
    assert project.extra["填报日期"] == example["projects"][0]["extra"]["填报日期"] == "2021 年 4 月 22 日"
    assert project.sign_off.unit_lead.split() == example["projects"][0]["sign_off"]["unit_lead"].split()  # in the table
    where = result.source.lines[("projects", 0, "extra", "填报日期")]
    assert where == {".docx": "表格 1 上方第 2 段文字", ".xlsx": "自评表!E2", ".pdf": "第 1 页表格 1 上方第 2 段文字"}[suffix]
