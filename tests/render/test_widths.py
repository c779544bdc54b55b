"""Column widths and cell padding of the rendered forms (issue 17), read back from the
files docgen writes: the widest value each column holds fits (9 pt: a digit 90 twips,
`,`/`.` 45, `%` 150, a CJK character 180; 40 twips of padding each side), and the Excel
amounts keep an indent from the border as the Word cells keep their padding."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from docgen.api import RenderOptions, render_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
FORMS_ONLY = RenderOptions(book=False, layout=False)
PAD = 2 * 40
AMOUNT = 11 * 90 + 4 * 45  # 999,999,999.99
RATE = 5 * 90 + 45 + 150  # 100.00%


def cjk(n: int) -> int:
    return n * 180 + PAD


def _rendered(example: str, name: str, tmp_path: Path) -> Path:
    files = render_file(EXAMPLES / example, tmp_path, options=FORMS_ONLY).files
    return next(f for f in files if f.name.startswith(name) and f.suffix == ".docx")


def _grid(docx: Path) -> tuple[list[int], int]:
    tbl = Document(str(docx)).tables[0]._tbl
    widths = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    left = tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left"))
    return widths, int(left.get(qn("w:w")))


def test_selfeval_columns_hold_their_widest_values(tmp_path):
    docx = _rendered("shanghai-dpf-2022.yaml", "1-", tmp_path)
    (label, l1, l2, l3, budget, executed, weight, rate, rest), pad = _grid(docx)
    assert pad == 40
    assert label >= cjk(4) and label < cjk(5)  # 项目名称 on one line, 项目资金 / （元）
    assert l1 >= cjk(5) and l1 + l2 >= cjk(9)  # 满意度指标, 其中：当年财政拨款
    assert cjk(7) <= l2 < cjk(8)  # 可持续影响指标 whole, 服务对象满意度 / 指标 (not 服务对象满意度指 / 标)
    assert l3 >= cjk(9) and min(l3, budget, executed) >= AMOUNT + PAD  # 年初 / 全年预算数 / 全年执行数
    assert weight >= cjk(2) and rate >= RATE + PAD and rate >= cjk(3)  # 分值 / 100; 执行率 / 100.00%
    assert rest >= cjk(10)  # a two-sentence reason in 5 lines (issue 27; 偏差原因分析 / 及改进措施 broken by hand)
    # 596 twips wider than the page's text width (9864), centred: 1.27 cm from each page edge
    assert sum([label, l1, l2, l3, budget, executed, weight, rate, rest]) == 10460


def test_declaration_and_departmental_columns(tmp_path):
    (label, name, amount, annual, category, _), _ = _grid(_rendered("shanghai-sscard-2023.yaml", "1-", tmp_path / "a"))
    assert label >= cjk(6)  # 计划开始日期 on one line, as 计划完成日期 (issue 27)
    assert name >= cjk(11)  # 申领、补换卡网点运行费, the longest of the reference's 项目名称
    assert annual >= cjk(12) and category >= cjk(4)  # 三级指标 of 12 characters; 项目类别
    assert amount >= AMOUNT + PAD and cjk(7) < amount < cjk(8)  # 二级指标 7 characters
    assert name + amount >= 10 * 180 + 8 * 90 + 60 + PAD  # 项目总体目标（2023年-2023年） on one line
    dept = _rendered("qinhuangdao-shanhaiguan-dpf-2020.yaml", "部门", tmp_path / "b")
    grid, _ = _grid(dept)
    assert grid[0] >= cjk(6)  # 资金支出计划 / （%）
    assert cjk(7) <= grid[1] < cjk(8) and grid[9] >= cjk(7)  # 可持续影响指标; 指标值确定依据
    # 预算规模及资金用途 broken by hand where a 6-character column would not break it
    assert Document(str(dept)).tables[0].rows[2].cells[0].text == "预算规模及\n资金用途"
    assert load_workbook(dept.with_suffix(".xlsx")).worksheets[1]["A4"].value == "预算规模及\n资金用途"
    assert grid[2] + grid[3] >= AMOUNT + PAD and grid[6] >= AMOUNT + PAD and grid[9] >= AMOUNT + PAD
    (first, _, third, _), _ = _grid(_rendered("shanghai-dpf-infocenter-2020.yaml", "1-", tmp_path / "c"))
    assert first >= cjk(13)  # 保证项目实施的制度、措施：


@pytest.mark.parametrize("example, cells", [("shanghai-dpf-2022.yaml", ["D6", "E6", "F6"]), ("shanghai-sscard-2023.yaml", ["E6", "E7"])])
def test_excel_amounts_keep_an_indent_and_room(example, cells, tmp_path):
    xlsx = _rendered(example, "1-", tmp_path).with_suffix(".xlsx")
    sheet = load_workbook(xlsx).active
    for ref in cells:
        cell = sheet[ref]
        assert cell.number_format == "#,##0.00" and isinstance(cell.value, (int, float))
        assert (cell.alignment.horizontal, cell.alignment.indent) == ("right", 1)
        assert sheet.column_dimensions[ref[0]].width >= 16.5
    assert sheet.column_dimensions["A"].width >= 14  # 项目资金（元） on one line: Calc breaks it anywhere


@pytest.mark.parametrize(
    "example, name, table",
    [
        ("shanghai-dpf-2022.yaml", "1-", 0),
        ("shanghai-sscard-2023.yaml", "1-", 0),
        ("shanghai-dpf-infocenter-2020.yaml", "1-", 0),
        ("qinhuangdao-shanhaiguan-dpf-2020.yaml", "部门", 0),
    ],
)
def test_indicator_rows_never_split_over_a_page(example, name, table, tmp_path):
    """An indicator row split by a page break leaves the end of its names (「指标」 of
    服务对象满意度指标) alone at the top of the next page: the heading row, each indicator
    and 总分 are kept whole; the narrative rows may split."""
    rows = Document(str(_rendered(example, name, tmp_path))).tables[table].rows
    whole = {n for n, row in enumerate(rows) if row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None}
    texts = [[c.text for c in row.cells] for row in rows]
    heading = next(n for n, t in enumerate(texts) if {"三级指标", "三级目标"} & set(t))
    indicators = [n for n in range(heading + 1, len(rows)) if "总分" not in texts[n]]
    assert len(indicators) >= 3
    assert {heading, *indicators} <= whole
    assert all("总分" in texts[n] for n in whole - {heading, *indicators})
    assert not any(n < heading for n in whole)  # the goals and narratives above may split


def test_committed_templates_have_the_scripted_widths():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "template_widths.py"), "--check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
