"""The 2023 申报表 read back from .docx and .xlsx: every value of the seven published forms.

Expected values are the unit file's own text, read with ruamel.yaml (not docgen's loader),
and what docgen derives from it (printed amounts, vertical merges) is spelled out below
from the published forms (../shared/reference/target-2023-shanghai-sscard-center.txt).
"""

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from .conftest import load_yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "shanghai-sscard-2023.yaml"
RAW = load_yaml(EXAMPLE)

# Per published form: 项目名称, 项目性质, 项目类别, 年度资金申请总额 and 其中：当年财政拨款 as
# printed (项目资金总额 and 其中：财政资金 are blank on all seven), then the vertical merges
# of the 一级指标 and 二级指标 columns over the indicator rows (R = restart, C = continue:
# one R per run of equal 一级; 二级 restarts at each 一级 too).
FORMS = [
    ("交换平台运行费", "经常性专项业务费", "特定目标类", "446,048.00", "446,048.00", "RCCRCR", "RRRRRR"),
    ("敬老卡制作费", "经常性专项业务费", "特定目标类", "3,353,000.00", "3,353,000.00", "RCCCCRCCRC", "RCRRRRRCRC"),
    ("申领、补换卡网点运行费", "经常性专项业务费", "特定目标类", "1,685,000.00", "1,685,000.00", "RCCCCCRCCCCCR", "RCRRCCRCCCCRR"),
    ("市民服务平台运行费", "经常性专项业务费", "特定目标类", "5,670,000.00", "5,670,000.00", "RCCRCCCR", "RRRRCRCR"),
    ("信息化运维项目", "其他经常性项目", "其他运转类", "2,560,859.00", "2,560,859.00", "RCCCCCCRCCCR", "RCCRCRCRCCRR"),
    ("正式居住证制作费", "经常性专项业务费", "特定目标类", "7,929,000.00", "7,929,000.00", "RCCCCRCCRC", "RCRRRRRCRC"),
    ("制卡设备更新及维护费", "经常性专项业务费", "特定目标类", "1,870,000.00", "1,870,000.00", "RCCCCCRCCCR", "RCRCRCRCCRR"),
]


def flags(pattern: str) -> list[str]:
    return ["restart" if c == "R" else "continue" for c in pattern]


@pytest.fixture(scope="module")
def rendered(rendered_once):
    result = rendered_once(EXAMPLE)  # the session's one render of the example: read only
    docx = [p for p in result.forms if p.suffix == ".docx"]
    xlsx = [p for p in result.forms if p.suffix == ".xlsx"]
    assert len(docx) == len(xlsx) == 7
    return list(zip(RAW["projects"], docx, xlsx))


def texts(row):
    """Cell texts of a docx row, one per grid column (merged cells repeat)."""
    return [c.text for c in row.cells]


@pytest.mark.parametrize("i", range(7))
def test_docx_holds_every_value(rendered, i):
    project, path, _ = rendered[i]
    name, nature, category, annual_total, annual_fiscal, level1, level2 = FORMS[i]
    assert project["name"] == name
    doc = Document(str(path))
    assert [p.text for p in doc.paragraphs[:2]] == ["财政项目支出绩效目标申报表", "（2023年度）"]
    rows = doc.tables[0].rows
    assert texts(rows[0]) == ["项目名称", name, "项目性质", nature, "项目类别", category]
    assert texts(rows[1]) == ["主管部门", "上海市公安局", "上海市公安局", "实施单位", "上海市社会保障卡服务中心", "上海市社会保障卡服务中心"]
    assert texts(rows[2]) == ["计划开始日期", "2023-01-01", "2023-01-01", "计划完成日期", "2023-12-31", "2023-12-31"]
    assert texts(rows[3])[1:] == ["项目资金总额", "", "年度资金申请总额", annual_total, annual_total]
    assert texts(rows[4])[1:] == ["其中：财政资金", "", "其中：当年财政拨款", annual_fiscal, annual_fiscal]
    assert texts(rows[5])[3:5] == ["上年结转资金", "0.00"]
    assert texts(rows[6])[1:4] == ["其他资金", "", "其他资金"] and texts(rows[6])[4] == "0.00"
    assert texts(rows[0 + 3])[0] == "项目资金\n（元）"  # broken by hand in its 6-character column (issue 27)
    assert texts(rows[7])[1:4] == ["项目总体目标（2023年-2023年）", "项目总体目标（2023年-2023年）", "年度总体目标"]
    assert rows[8].cells[3].text == project["annual_goal"].strip()
    assert texts(rows[9]) == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值", "年度(/项目)指标值"]
    body = rows[10:]
    assert len(body) == len(project["indicators"]) == len(level1)
    for row, ind in zip(body, project["indicators"]):
        assert texts(row)[1:5] == [ind["level1"], ind["level2"], ind["name"], ind["target"]]

    # vertical merges per run of equal 一级 (and 二级 within it)
    def vmerge(row, col):
        # row.cells resolves merges to the top cell; the raw w:tc carries the flag
        el = row._tr.tc_lst[col].tcPr.find(qn("w:vMerge"))
        return None if el is None else (el.get(qn("w:val")) or "continue")

    assert [vmerge(r, 1) for r in body] == flags(level1)
    assert [vmerge(r, 2) for r in body] == flags(level2)
    assert vmerge(rows[9], 0) == "restart" and all(vmerge(r, 0) == "continue" for r in body)


@pytest.mark.parametrize("i", range(7))
def test_xlsx_holds_every_value(rendered, i):
    project, _, path = rendered[i]
    name, nature, category, annual_total, _, _, _ = FORMS[i]
    ws = load_workbook(path).active
    assert ws["A1"].value == "财政项目支出绩效目标申报表" and ws["A2"].value == "（2023年度）"
    assert [ws.cell(3, c).value for c in range(1, 7)] == ["项目名称", name, "项目性质", nature, "项目类别", category]
    assert (ws["B5"].value, ws["E5"].value) == ("2023-01-01", "2023-12-31")
    assert ws["E6"].value == Decimal(annual_total.replace(",", "")) and ws["E6"].number_format == "#,##0.00"
    assert isinstance(ws["E6"].value, (int, float, Decimal))
    assert ws["E8"].value == Decimal("0") and ws["C6"].value is None
    assert ws["D11"].value == project["annual_goal"].strip()
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A6:A9", "A10:A11", f"A12:A{12 + len(project['indicators'])}"} <= merged
    for n, ind in enumerate(project["indicators"]):
        r = 13 + n
        assert ws.cell(r, 4).value == ind["name"]
        assert ws.cell(r, 5).value == ind["target"] and ws.cell(r, 5).data_type == "s"
        assert f"E{r}:F{r}" in merged
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
