"""The 2020 申报表 (narrative layout) read back from .docx and .xlsx."""

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

import docgen
from docgen.context import paragraphs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-infocenter-2020.yaml"
UNIT = docgen.load_unit(EXAMPLE)
PROJECT = UNIT.projects[0]
D = PROJECT.declaration
NARRATIVE = [
    ("项目概况：", D.overview),
    ("立项依据：", D.basis),
    ("项目设立的必要性：", D.necessity),
    ("保证项目实施的制度、措施：", D.safeguards),
    ("项目实施计划：", D.plan),
    ("总目标及阶段性目标：", PROJECT.overall_goal),
]


@pytest.fixture(scope="module")
def files(rendered_once):
    result = rendered_once(EXAMPLE)  # the session's one render of the example: read only
    assert [(f.code, f.message) for f in result.findings] == [("target-missing", "未填写指标目标值")]  # 滞发卡处理时间 is blank in the published form
    return result.forms


def test_docx(files):
    doc = Document(str(files[0]))
    assert [p.text for p in doc.paragraphs[:2]] == ["财政项目支出绩效目标申报表", "（2020）年度　　申报单位名称：上海市残疾人联合会信息中心"]
    rows = doc.tables[0].rows
    assert [c.text for c in rows[0].cells] == ["项目名称：", PROJECT.name, "项目类别：", "其他一次性项目"]
    assert [c.text for c in rows[1].cells] == ["计划开始日期：", "2020-01-01", "计划完成日期：", "2020-12-31"]
    assert [c.text for c in rows[2].cells] == ["是否含有政府购买服务：", "否", "绩效类型：", "其他类"]
    for row, (label, text) in zip(rows[3:9], NARRATIVE):
        assert row.cells[0].text == label
        assert [p.text for p in row.cells[1].paragraphs] == paragraphs(text)
    assert rows[9].cells[0].text == "本项目上年度市级财政资金使用情况"
    assert [c.text for c in rows[10].cells] == ["项目总预算（元）：", "9,800,000.00", "项目当年预算（元）：", "9,800,000.00"]
    assert [c.text for c in rows[11].cells][1::2] == ["", ""]
    assert rows[12].cells[0].text == "2020年绩效目标"
    body = rows[14:]
    assert [[c.text for c in r.cells] for r in body] == [[i.level1, i.level2, i.name, i.target] for i in PROJECT.indicators]


def test_xlsx(files):
    ws = load_workbook(files[1]).active
    assert ws["A2"].value == "（2020）年度　　申报单位名称：上海市残疾人联合会信息中心"
    for r, (label, text) in enumerate(NARRATIVE, start=6):
        assert ws.cell(r, 1).value == label
        assert ws.cell(r, 2).value == "\n".join(paragraphs(text))
    assert ws["B13"].value == 9800000 and ws["B13"].number_format == "#,##0.00"
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A12:D12", "A15:D15", "A17:A24", "B17:B19", "A25:A29", "B28:B29", "A31:A33"} <= merged
    got = [[ws.cell(17 + n, c).value for c in range(3, 5)] for n in range(len(PROJECT.indicators))]
    assert got == [[i.name, i.target or None] for i in PROJECT.indicators]
    assert ws["D17"].data_type == "s" and ws["D17"].value == "=100%"
