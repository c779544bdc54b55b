"""湖南 (湘潭市) 2023年项目支出绩效目标申报表, version hunan-2023: the example unit
(transcribed from ../shared/reference/regions/hunan-target-2023.txt) rendered to Word and
Excel and read back cell by cell against the published form as typed in
`tests/importing/region_forms.py` (`HUNAN`: 单位：万元 in the first row, the blank template
rows of 经济效益、生态效益、可持续影响指标 left in), checked, and imported back as the same
version with the same values; and the blank rows placed by the version's taxonomy."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from importing import region_forms as R
from typer.testing import CliRunner

from docgen.check.checking import check_source
from docgen.cli.app import app
from docgen.forms.target.context import template_rows
from docgen.inputs.importing import import_forms
from docgen.inputs.loader import load_file
from docgen.model.amounts import in_unit
from docgen.model.unit import Indicator, SignOff, Unit
from docgen.registry.manifest import default_registry
from render import region_cells as C

from .region_grids import docx_grid, docx_paragraphs, xlsx_grid

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "hunan-target-2023.yaml"
SIGN = ["填表人：宋云花", "联系电话：16607326331", "填报日期：", "单位负责人签字："]


def expected_grid() -> list[list[str]]:
    """The published table with what the template prints differently: the long labels
    broken over two lines in the narrow label column (as the page breaks 年度本级 / 预算金额
    and 本年度 / 绩效指标), and the amount as a number under 单位：万元 (published 「250万」)."""
    rows = [list(r) for r in R.HUNAN.rows]
    for row, label in zip(rows[2:], ("年度本级\n预算金额", "项目支出\n实施期", "实施期\n绩效目标", "本年度\n绩效目标", "本年度\n绩效指标")):
        row[0] = label
    rows[-1][0] = "财政部门\n审核意见"
    rows[2][1] = "250"
    return rows


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("hunan")
    result = CliRunner().invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--only", "forms", "--no-layout", "-j", "1"])
    assert result.exit_code == 0, result.output  # no slip on the published form
    return {p.suffix: p for p in sorted(out.rglob("1-*"))}


def test_word_form_is_the_published_layout(rendered):
    assert docx_paragraphs(rendered[".docx"]) == ["2023年项目支出绩效目标申报表", "　　".join(SIGN)]
    assert docx_grid(rendered[".docx"]) == expected_grid()


def test_excel_form_is_the_published_layout(rendered):
    grid, formats = xlsx_grid(rendered[".xlsx"], first_row=2)
    assert grid == expected_grid() + [[SIGN[0], SIGN[1], "<", SIGN[2], SIGN[3], "<"]]
    assert formats == {"B4": "General", "E4": "General"}  # 250 and 0 kept as numbers


def test_check_finds_no_slip_and_keeps_万元():
    (report,) = check_source(load_file(EXAMPLE)).reports
    assert list(report.findings) == []
    assert report.version.version == "hunan-2023"
    assert report.project.declaration.funds.annual_total == Decimal(250)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_rendered_form_imports_back_as_hunan_2023(rendered, suffix):
    result = import_forms([rendered[suffix]])
    assert [line.split("：", 2)[2] for line in result.read] == ["湖南 项目支出绩效目标申报表 2023「雾炮车降尘抑尘服务」（金额单位为万元，已换算为元）"]
    back = Unit.model_validate(result.source.data)
    original = in_unit(Unit.model_validate(load_file(EXAMPLE).data), "元")
    assert (back.forms, back.unit, back.year) == ({"target": "hunan-2023"}, "湘潭市环境卫生管理处", 2023)
    got, want = back.projects[0], original.projects[0]
    assert (got.name, got.overall_goal, got.annual_goal) == (want.name, want.overall_goal, want.annual_goal)
    assert got.declaration.period == "2023.07-2024.01"
    assert (got.declaration.funds.annual_total, got.declaration.funds.annual_superior) == (Decimal(2500000), Decimal(0))
    assert got.indicators == want.indicators  # the blank template rows are no indicators
    assert (got.sign_off.filled_by, got.sign_off.phone) == ("宋云花", "16607326331")
    assert list(check_source(result.source).reports[0].findings) == []


def _ind(level1: str, level2: str, name: str) -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, target="1")


def test_template_rows_place_blanks_by_the_taxonomy_and_drop_nothing():
    taxonomy = default_registry().version("target", "hunan-2023").taxonomy
    indicators = [_ind("效益指标", "可持续影响指标", "甲"), _ind("效益指标", "社会效益指标", "乙"), _ind("其他", "某类", "丙")]
    rows = template_rows(indicators, taxonomy)
    assert [(r["level2"], r["name"], r["l1_merge"], r["l2_merge"]) for r in rows] == [
        ("经济效益指标", "", "restart", "restart"),  # 社会效益指标 has an indicator further on: no blank
        ("生态效益指标", "", "continue", "restart"),
        ("可持续影响指标", "甲", "continue", "restart"),
        ("社会效益指标", "乙", "continue", "restart"),
        ("社会公众或服务对象满意度指标", "", "continue", "restart"),
        ("某类", "丙", "restart", "restart"),
    ]


SIGNED = {"filled_by": "宋云花", "phone": "16607326331", "filled_on": "2023年6月30日", "unit_lead": "刘某某"}


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> dict[str, Path]:
    """The example with every sign-off filled in (the published form leaves 填报日期 and the
    signature blank), rendered."""
    out = tmp_path_factory.mktemp("hunan-signed")
    text = EXAMPLE.read_text(encoding="utf-8")
    old = 'sign_off: {filled_by: 宋云花, phone: "16607326331"}'
    assert old in text
    unit = out / "hunan.yaml"
    unit.write_text(text.replace(old, "sign_off: {" + ", ".join(f'{k}: "{v}"' for k, v in SIGNED.items()) + "}"), encoding="utf-8")
    return C.render(unit, out / "forms")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", pytest.param(".pdf", marks=pytest.mark.office)])
@pytest.mark.parametrize("which", ["example", "signed"])
def test_the_sign_off_line_under_the_table_reads_back(rendered, signed, which, suffix, tmp_path):
    """「填表人：…　　联系电话：…　　填报日期：…　　单位负责人签字：…」 under the table, four
    label-and-value pairs on one line (a paragraph in Word and in the PDF printed from it,
    a row of cells in Excel): read back by `read: lines:` into the unit's sign-off."""
    forms = rendered if which == "example" else signed
    want = Unit.model_validate(load_file(EXAMPLE).data).projects[0].sign_off if which == "example" else SignOff(**SIGNED)
    result = import_forms([C.received(forms, suffix, tmp_path)])
    got = Unit.model_validate(result.source.data).projects[0].sign_off
    assert got == want
    assert list(check_source(result.source).reports[0].findings) == []
    where = result.source.lines[("projects", 0, "sign_off", "phone")]
    assert where == {".docx": "表格 1 下方第 1 段文字", ".xlsx": "申报表!B20", ".pdf": "第 1 页表格 1 下方第 1 段文字"}[suffix]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_each_form_of_a_book_keeps_its_own_sign_off(tmp_path, suffix):
    """Two projects in one book (汇总表): the line under the first form's table is its own,
    not the second's, whose title comes between them."""
    data = load_file(EXAMPLE).data
    second = {**data["projects"][0], "name": "第二个项目", "sign_off": {**SIGNED, "filled_by": "李四"}}
    unit = tmp_path / "hunan-two.json"
    unit.write_text(json.dumps({**data, "projects": [data["projects"][0], second]}, ensure_ascii=False, default=str), encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(unit), "-o", str(tmp_path / "out"), "--no-layout", "-j", "1"])
    assert result.exit_code == 0, result.output
    (book,) = (tmp_path / "out").rglob(f"*汇总表{suffix}")
    back = Unit.model_validate(import_forms([book]).source.data)
    assert [p.name for p in back.projects] == ["雾炮车降尘抑尘服务", "第二个项目"]
    assert [p.sign_off for p in back.projects] == [SignOff(filled_by="宋云花", phone="16607326331"), SignOff(**{**SIGNED, "filled_by": "李四"})]
