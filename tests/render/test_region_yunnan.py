"""云南 (丽江市古城区) 2020年度项目支出绩效自评表, version yunnan-2020: the example unit
(transcribed from ../shared/reference/regions/yunnan-selfeval-2020.txt) rendered to Word
and Excel and read back cell by cell against the published form as typed in
`tests/importing/region_forms.py` (`YUNNAN`: the two-row indicator header, 年度指标值 over
指标性质 / 指标值 / 度量单位), scored by national-2020, checked (the published slips), and
imported back as the same version with the same values."""

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
EXAMPLE = ROOT / "data" / "examples" / "yunnan-selfeval-2020.yaml"
NAME = "2020年省级自然资源卫片执法补助经费支出绩效自评表"


def expected_grid() -> list[list[str]]:
    """The published table with what the template prints differently: labels over lines
    of their own (as the page breaks them: 年度 / 总体 / 目标, 一级 / 指标), rates, 分值 and
    得分 with two decimals (published 100%, 20), the comparator as the clerk typed it (`=`,
    published 「﹦」), the 满意度 row's 得分 the rules give (published blank), and the
    national form's 总分 row after the indicators (the published page ends before it)."""
    rows = [[c.replace("﹦", "=") for c in r] for r in R.YUNNAN.rows]
    rows[2][0], rows[7][0], rows[10][0] = "项目资金\n（万元）", "年度\n总体\n目标", "一级\n指标"
    rows[3][7] = rows[4][7] = "100.00%"
    rows[12][7:9] = ["20.00", "19.00"]
    rows[15][8] = "10.00"
    return rows + [["总分", "<", "<", "<", "<", "<", "<", "100.00", "94.00", ""]]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("yunnan")
    result = CliRunner().invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--only", "forms", "--no-layout", "-j", "1"])
    assert result.exit_code == 1, result.output  # the published slips are errors
    return {p.suffix: p for p in sorted(out.rglob("1-*"))}


def test_word_form_is_the_published_layout(rendered):
    assert docx_paragraphs(rendered[".docx"]) == ["2020年度项目支出绩效自评表"]
    assert docx_grid(rendered[".docx"]) == expected_grid()


def test_excel_form_is_the_published_layout_with_numbers_kept(rendered):
    grid, formats = xlsx_grid(rendered[".xlsx"], first_row=2)
    expected = expected_grid()
    expected[7][0] = "年度总体\n目标"  # two lines in the sheet's row (three in Word, as published)
    assert grid == expected
    assert (formats["D5"], formats["H5"], formats["H6"], formats["I17"], formats["I18"]) == ("0.00", "0.00%", "0.00%", "0.00", "0.00")
    assert len(formats) == 22  # 6 amounts, 分值/执行率/得分, the 其中 row's 执行率, 5 × (分值, 得分), 总分's two


def test_scored_by_national_2020():
    (report,) = check_source(load_file(EXAMPLE)).reports
    score = report.score
    assert (score.execution.rate, score.execution.effective) == (Decimal(1), Decimal(10))
    assert [s.computed for s in score.indicators] == [Decimal(10), Decimal(20), Decimal(20), Decimal(30), Decimal(10)]
    assert [s.effective for s in score.indicators] == [Decimal(9), Decimal(19), Decimal(19), Decimal(27), Decimal(10)]
    assert (score.weight_total, score.total, score.grade) == (Decimal(100), Decimal(94), "优")


def test_check_finds_the_published_slips():
    (report,) = check_source(load_file(EXAMPLE)).reports
    found = [(f.severity.name, f.indicator, f.message) for f in report.findings if f.code in ("score-mismatch", "deviation-missing")]
    assert found == [
        row
        for name, declared, rule in (("卫片执法补助经费", 9, 10), ("项目验收合格率", 19, 20), ("项目完成及时率", 19, 20), ("违法行为责停率", 27, 30))
        for row in (
            ("WARNING", name, f"得分填报为 {declared}，按规则应为 {rule}（达到目标，得满分）"),
            ("ERROR", name, f"得分 {declared} 低于分值 {rule}，但未填写偏差原因分析及改进措施"),
        )
    ]
    assert sorted(f.code for f in report.findings).count("unit-mismatch") == 4  # 100 / 95 typed without %


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_rendered_form_imports_back_as_yunnan_2020(rendered, suffix):
    result = import_forms([rendered[suffix]])
    assert [line.split("：", 2)[2] for line in result.read] == [f"云南 项目支出绩效自评表 2020「{NAME}」（金额单位为万元，已换算为元）"]
    back = Unit.model_validate(result.source.data)
    original = in_unit(Unit.model_validate(load_file(EXAMPLE).data), "元")
    assert (back.forms, back.unit, back.year) == ({"selfeval": "yunnan-2020"}, "丽江市古城区自然资源局", 2020)
    got, want = back.projects[0], original.projects[0]
    assert (got.name, got.annual_goal, got.evaluation.achieved) == (want.name, want.annual_goal, want.evaluation.achieved)
    assert got.evaluation.funds == want.evaluation.funds
    assert got.evaluation.funds.total.budget == Decimal(72900)
    # the three target cells join back into the target as typed
    fields = ("level1", "level2", "name", "target", "actual", "weight", "deviation")
    assert [[getattr(i, f) for f in fields] for i in got.indicators] == [[getattr(i, f) for f in fields] for i in want.indicators]
    assert [i.score for i in got.indicators] == [Decimal(9), Decimal(19), Decimal(19), Decimal(27), None]
    rescored = check_source(result.source).reports[0].score
    assert (rescored.total, rescored.grade) == (Decimal(94), "优")
