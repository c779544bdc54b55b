"""安徽 (池州市贵池区) 项目支出绩效自评表 2022, version anhui-2022: the example unit
(transcribed from ../shared/reference/regions/anhui-selfeval-2022-weituo.txt) rendered to
Word and Excel and read back cell by cell against the published form as typed in
`tests/importing/region_forms.py` (`ANHUI`), scored by national-2020, checked (the
published slips), and imported back as the same version with the same values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from importing import region_forms as R
from typer.testing import CliRunner

from docgen.check.checking import check_source
from docgen.cli.app import app
from docgen.inputs.importing import import_forms
from docgen.inputs.loader import load_file
from docgen.model.amounts import in_unit
from docgen.model.unit import Unit

from .region_grids import docx_grid, docx_paragraphs, xlsx_grid

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "anhui-selfeval-2022.yaml"


def expected_grid() -> list[list[str]]:
    """The published table with what the template prints differently: the labels broken
    over two lines (项目资金 / （万元）, 产出指标 / （50分）), the 执行率 as a percentage
    (published 「0」), no blank 经济效益指标 template row, and the national form's 总分 row
    after the indicators (the published page ends before it)."""
    rows = [list(r) for r in R.ANHUI.rows[:-1]]
    rows[2][0] = "项目资金\n（万元）"
    rows[3][6] = "0.00%"
    for row in rows:
        row[1] = row[1].replace("（", "\n（") if row[1].endswith("分）") else row[1]
    return rows + [["总分", "<", "<", "<", "<", "<", "90", "80", ""]]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("anhui")
    result = CliRunner().invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--only", "forms", "--no-layout", "-j", "1"])
    assert result.exit_code == 1, result.output  # the published slips are errors
    files = sorted(out.rglob("1-委托业务项目-*"))
    return {p.suffix: p for p in files}


def test_word_form_is_the_published_layout(rendered):
    assert docx_paragraphs(rendered[".docx"]) == ["附件：", "项目支出绩效自评表", "（2022年度）"]
    assert docx_grid(rendered[".docx"]) == expected_grid()


def test_excel_form_is_the_published_layout_with_numbers_kept(rendered):
    grid, formats = xlsx_grid(rendered[".xlsx"], first_row=4)
    expected = expected_grid()
    expected[7][0] = "年度总体\n目标"  # broken by hand: Calc would leave 「标」 alone
    assert grid == expected
    # amounts, 分值 and 得分 are numbers printed as typed (90, 89.974), the rate as 0.00%
    assert (formats["C8"], formats["D8"], formats["G7"], formats["H14"]) == ("General", "General", "0.00%", "General")
    assert len(formats) == 29  # 7 amounts, 分值/执行率/得分, 9 × (分值, 得分), 总分's two


def test_scored_by_national_2020():
    checked = check_source(load_file(EXAMPLE))
    (report,) = checked.reports
    score = report.score
    assert (score.execution.weight, score.execution.effective) == (Decimal(10), Decimal(0))
    assert (score.weight_total, score.total, score.grade) == (Decimal(90), Decimal(80), "良")
    assert [s.effective for s in score.indicators] == [Decimal(8)] * 5 + [Decimal(10)] * 4


def test_check_finds_the_published_slips():
    checked = check_source(load_file(EXAMPLE))
    messages = [(f.severity.name, f.message) for r in checked.reports for f in r.findings]
    assert messages == [
        ("ERROR", "项目资金「年初预算数」不平衡：年度资金总额 0，本年财政拨款 + 上年结转资金 + 其他资金 = 90"),
        ("ERROR", "项目资金「全年预算数」不平衡：年度资金总额 0，本年财政拨款 + 上年结转资金 + 其他资金 = 89.974"),
        ("ERROR", "项目资金「全年执行数」不平衡：年度资金总额 0，本年财政拨款 + 上年结转资金 + 其他资金 = 89.974"),
        ("ERROR", "全年预算数为空或为 0，无法计算预算执行率"),
        ("WARNING", "实际完成值 90 未带单位（年度指标值为 ≤90万元），按 90万元 计？"),
        ("ERROR", "分值合计为 90（预算执行率 10 + 绩效指标 80），应为 100"),
    ]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_rendered_form_imports_back_as_anhui_2022(rendered, suffix):
    result = import_forms([rendered[suffix]])
    assert [line.split("：", 2)[2] for line in result.read] == ["安徽 项目支出绩效自评表 2022「委托业务项目」（金额单位为万元，已换算为元）"]
    back = Unit.model_validate(result.source.data)
    original = in_unit(Unit.model_validate(load_file(EXAMPLE).data), "元")
    assert back.forms == {"selfeval": "anhui-2022"}
    got, want = back.projects[0], original.projects[0]
    assert (got.name, got.annual_goal, got.evaluation.achieved) == (want.name, want.annual_goal, want.evaluation.achieved)
    assert got.evaluation.funds == want.evaluation.funds
    assert got.evaluation.funds.fiscal.budget == Decimal(899740)
    assert got.evaluation.class_weights == {"产出指标": Decimal(50), "效益指标": Decimal(30)}
    fields = ("level1", "level2", "name", "target", "actual", "weight", "deviation")
    assert [[getattr(i, f) for f in fields] for i in got.indicators] == [[getattr(i, f) for f in fields] for i in want.indicators]
    # the scores the form prints are those the rules give, so the import leaves them out; scored again they agree
    rescored = check_source(result.source).reports[0].score
    assert (rescored.total, rescored.grade) == (Decimal(80), "良")
