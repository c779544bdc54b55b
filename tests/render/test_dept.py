"""The departmental document (部门整体绩效目标 2020) and the annual book, read back from
.docx and .xlsx.

Expected values come from the unit file read with ruamel.yaml directly and, for a few
key figures, from the published document (../shared/reference/dept-2020-qinhuangdao-
shanhaiguan-dpf.txt).  LibreOffice is disabled here (tests/conftest.py), so contents
pages are estimated and Word is asked to refresh the fields; tests/render/test_book_layout.py
checks the laid-out pages.
"""

from __future__ import annotations

import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from .conftest import REFERENCE, dec, load_yaml, merge_pattern

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "qinhuangdao-shanhaiguan-dpf-2020.yaml"
DATA = load_yaml(EXAMPLE)
PROJECTS = DATA["projects"]
GOALS = DATA["department_goals"]
UNIT_LINE = "762002秦皇岛市山海关区残疾人联合会"
TITLE = "秦皇岛市山海关区残疾人联合会2020年度部门整体及项目绩效目标汇总表"
HEADINGS = [f"{n}、{p['name']}绩效目标表" for n, p in enumerate(PROJECTS, start=1)]
CHINESE = ["一", "二", "三", "四", "五"]
IDS = [f"{i + 1}-{p['name']}" for i, p in enumerate(PROJECTS)]

# Spelled out from the published document.
assert HEADINGS[0] == "1、残疾人精准康复经费绩效目标表"
PUBLISHED_TOTALS = ["100000.00", "20000.00", "420000.00", "10000.00", "95160.00", "1570000.00"]


# ------------------------------------------------------------------ helpers


def fixed(value) -> str:
    """100000.00: two decimals, no thousands separator, as the departmental form prints amounts."""
    d = dec(value)
    return "" if d is None else f"{d.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def body_blocks(doc):
    """("p", Paragraph) and ("tbl", Table) of the body, in order."""
    out = []
    for el in doc.element.body:
        if el.tag == qn("w:p"):
            out.append(("p", Paragraph(el, doc)))
        elif el.tag == qn("w:tbl"):
            out.append(("tbl", Table(el, doc)))
    return out


def instructions(element) -> list[str]:
    return [(t.text or "").strip() for t in element.iter(qn("w:instrText"))]


_TC = re.compile(r'^TC "([^"]*)" \\f (\w) \\l (\d+)$')


def tc_marks(doc, ident: str) -> list[tuple[str, Paragraph]]:
    """(text, paragraph) of every `TC "…" \\f ident` field of the body, in order."""
    out = []
    for p in doc.element.body.iter(qn("w:p")):
        for instr in instructions(p):
            found = _TC.match(instr)
            if found and found.group(2) == ident:
                out.append((found.group(1), Paragraph(p, doc)))
    return out


def field_result_paragraphs(doc, prefix: str) -> list[Paragraph]:
    """The paragraphs holding the result of the field whose instruction starts with `prefix`."""
    stack: list[dict] = []
    out = []
    for p in doc.element.body.iter(qn("w:p")):
        inside = any(f["match"] and f["result"] for f in stack)
        for el in p.iter():
            if el.tag == qn("w:fldChar"):
                kind = el.get(qn("w:fldCharType"))
                if kind == "begin":
                    stack.append({"instr": "", "result": False, "match": False})
                elif kind == "separate":
                    stack[-1]["result"] = True
                    stack[-1]["match"] = stack[-1]["instr"].strip().startswith(prefix)
                elif kind == "end":
                    stack.pop()
            elif el.tag == qn("w:instrText") and stack:
                stack[-1]["instr"] += el.text or ""
            inside = inside or any(f["match"] and f["result"] for f in stack)
        if inside:
            out.append(Paragraph(p, doc))
    assert not stack, "unbalanced fields"
    return out


def toc_entries(doc, prefix: str) -> list[tuple[str, str]]:
    """(text, page) of each line of a contents field's result."""
    out = []
    for p in field_result_paragraphs(doc, prefix):
        assert p.style.name == "toc 1", p.text
        text, _, page = p.text.partition("\t")
        out.append((text, page))
    return out


def raw_cells(row) -> list[_Cell]:
    """The row's own w:tc cells (a horizontally merged cell once, vMerge continuations kept)."""
    return [_Cell(tc, row.table) for tc in row._tr.tc_lst]


def texts(row) -> list[str]:
    return [c.text for c in raw_cells(row)]


def vmerge(cell: _Cell) -> str | None:
    tcpr = cell._tc.tcPr
    el = None if tcpr is None else tcpr.find(qn("w:vMerge"))
    return None if el is None else (el.get(qn("w:val")) or "continue")


def _on(el) -> bool:
    return el.get(qn("w:val"), "true") not in ("0", "false", "off")


def page_break_before(paragraph: Paragraph) -> bool:
    """pageBreakBefore set on the paragraph, else on its style or the styles it is based on."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None:
        return _on(ppr.find(qn("w:pageBreakBefore")))
    style = paragraph.style
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None:
            return _on(ppr.find(qn("w:pageBreakBefore")))
        style = style.base_style
    return False


def update_fields(docx: Path) -> str | None:
    settings = Document(str(docx)).settings.element.find(qn("w:updateFields"))
    return None if settings is None else settings.get(qn("w:val"))


def cached_values(xlsx: Path, sheet: str = "xl/worksheets/sheet1.xml") -> dict[str, str]:
    """{cell: text of its <v>} for the formula cells of a sheet, read from the XML."""
    xml = zipfile.ZipFile(xlsx).read(sheet).decode("utf-8")
    return {ref: v for ref, v in re.findall(r'<c r="([A-Z]+\d+)"[^>]*><f>[^<]*</f><v>([^<]*)</v>', xml)}


def number(value) -> Decimal:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(str(value))


def valid_sheet_name(name: str) -> bool:
    return 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) and not name.startswith("'") and not name.endswith("'")


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def rendered(rendered_once):
    return rendered_once(EXAMPLE)  # the session's one render of the example: read only


@pytest.fixture(scope="module")
def dept_docx(rendered) -> Path:
    (path,) = [f for f in rendered.forms if f.suffix == ".docx"]
    assert path.name == "部门整体绩效目标.docx"
    return path


@pytest.fixture(scope="module")
def dept_xlsx(rendered) -> Path:
    (path,) = [f for f in rendered.forms if f.suffix == ".xlsx"]
    assert path.name == "部门整体绩效目标.xlsx"
    return path


@pytest.fixture(scope="module")
def dept_workbook(dept_xlsx):
    """The departmental workbook, loaded once for the module's sheet tests (read only)."""
    return load_workbook(dept_xlsx)


@pytest.fixture(scope="module")
def doc(dept_docx):
    return Document(str(dept_docx))


@pytest.fixture(scope="module")
def tables(doc):
    return doc.tables


@pytest.fixture(scope="module")
def book_docx(rendered) -> Path:
    return rendered.book[0]


@pytest.fixture(scope="module")
def book(book_docx):
    return Document(str(book_docx))


@pytest.fixture(scope="module")
def book_xlsx(rendered) -> Path:
    return rendered.book[1]


# --------------------------------------------------------- what is written


def test_files_written(rendered):
    assert [f.name for f in rendered.files] == ["部门整体绩效目标.docx", "部门整体绩效目标.xlsx", f"{TITLE}.docx", f"{TITLE}.xlsx"]
    assert [f.name for f in rendered.book] == [f"{TITLE}.docx", f"{TITLE}.xlsx"]
    assert all(f.parent.parts[-2:] == ("秦皇岛市山海关区残疾人联合会", "2020") for f in rendered.files)
    assert rendered.errors == 1


# ----------------------------------------------------- 部门整体绩效目标.docx


def expected_part_one() -> list[str]:
    lines = ["第一部分", "部门整体绩效目标", "一、总体绩效目标"]
    lines += [f"{CHINESE[i]}、{text}" for i, text in enumerate(GOALS["overall"])]
    lines.append("二、分项绩效目标")
    for i, area in enumerate(GOALS["areas"]):
        lines.append(f"{CHINESE[i]}、{area['text']}")
        lines += [f"{n}、{item}" for n, item in enumerate(area["items"], start=1)]
    lines += ["三、工作保障措施", GOALS["safeguards"]["intro"].strip()]
    lines += [f"{n}、{item}" for n, item in enumerate(GOALS["safeguards"]["items"], start=1)]
    lines += ["第二部分", "预算项目绩效目标"]
    return lines


def test_part_one_paragraphs(doc):
    paragraphs = [p.text for kind, p in body_blocks(doc) if kind == "p" and p.style.name != "toc 1"]
    expected = expected_part_one()
    assert len(expected) == 27
    assert paragraphs[: len(expected)] == expected
    assert paragraphs[len(expected)] == HEADINGS[0]  # then the contents, then the first table


def test_part_one_spelled_out(doc):
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:3] == ["第一部分", "部门整体绩效目标", "一、总体绩效目标"]
    assert paragraphs[3].startswith("一、残疾人基本公共服务体系基本完善")
    assert paragraphs[4].startswith("二、60%的农村贫困残疾人实现脱贫")
    assert paragraphs[6].startswith("四、残疾人基本公共服务基础条件有所改善")
    assert paragraphs[7] == "二、分项绩效目标"
    assert paragraphs[8].startswith("一、残疾人法律维权。")
    assert paragraphs[9].startswith("1、残疾人法律维权。")
    assert paragraphs[10].startswith("2、残疾人无障碍环境建设。")
    assert paragraphs[11].startswith("二、残疾人服务。")
    assert paragraphs[15].startswith("4、残疾人宣传文体和志愿者助残。")
    assert paragraphs[16].startswith("三、残疾人综合事务管理。")
    assert paragraphs[17].startswith("1、综合业务管理、志愿者助残。")
    assert paragraphs[18] == "三、工作保障措施"
    assert paragraphs[19].startswith("认真贯彻落实省、市、区残疾人工作会议精神")
    assert paragraphs[24].startswith("5、加强残疾人事业的宣传")
    assert paragraphs[25:27] == ["第二部分", "预算项目绩效目标"]


def test_one_table_per_project_in_order_each_under_its_heading(doc):
    blocks = body_blocks(doc)
    headings = [blocks[i - 1][1].text for i, (kind, _) in enumerate(blocks) if kind == "tbl"]
    assert headings == HEADINGS
    assert all(blocks[i - 1][1].style.name == "项目表标题" for i, (kind, _) in enumerate(blocks) if kind == "tbl")
    assert len(doc.tables) == 6


def test_contents_marks(doc):
    assert instructions(doc.element.body) == [
        'TC "总体绩效目标" \\f A \\l 1',
        'TC "分项绩效目标" \\f A \\l 1',
        'TC "工作保障措施" \\f A \\l 1',
        "TOC \\f C \\h \\z",
        *[f'TC "{h}" \\f C \\l 1' for h in HEADINGS],
    ]
    assert [text for text, _ in tc_marks(doc, "C")] == HEADINGS
    assert [p.text for _, p in tc_marks(doc, "A")] == ["一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施"]


def test_contents_of_part_two_list_the_tables_with_pages(doc):
    entries = toc_entries(doc, "TOC \\f C")
    assert [text for text, _ in entries] == HEADINGS
    pages = [int(page) for _, page in entries]  # every line has a page number
    # estimated without LibreOffice: part one and the contents page come first, one table a page
    assert pages[0] >= 3
    assert pages == list(range(pages[0], pages[0] + 6))


def test_contents_come_right_after_the_part_two_title(doc):
    blocks = [p for kind, p in body_blocks(doc) if kind == "p"]
    titles = [p.text for p in blocks]
    start = titles.index("预算项目绩效目标")
    assert [p.style.name for p in blocks[start + 1 : start + 7]] == ["toc 1"] * 6
    assert blocks[start + 7].text == HEADINGS[0]


def test_estimated_pages_ask_word_to_refresh(dept_docx):
    assert update_fields(dept_docx) == "true"


def test_tables_start_new_pages(doc):
    paragraphs = {p.text: p for p in doc.paragraphs}
    assert all(page_break_before(paragraphs[h]) for h in HEADINGS)
    assert page_break_before(paragraphs["第二部分"])
    assert not page_break_before(paragraphs["第一部分"])  # the document's first page
    assert not page_break_before(paragraphs["一、总体绩效目标"])


@pytest.mark.parametrize("i", range(6), ids=IDS)
def test_project_table_rows(tables, i):
    project = PROJECTS[i]
    budget = project["budget"]
    rows = tables[i].rows
    assert texts(rows[0]) == [UNIT_LINE, "单位：元"]
    assert texts(rows[1]) == ["项目编码", project["code"], "项目名称", project["name"]]
    assert texts(rows[2]) == ["预算规模及\n资金用途", "预算数", fixed(budget["total"]), "其中：财政资金", fixed(budget["fiscal"]), "其他资金", ""]
    assert texts(rows[3]) == ["", budget["use"].strip()]
    assert texts(rows[4]) == ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"]
    assert texts(rows[5]) == ["", "25.00", "60.00", "90.00", "100.00"]
    assert texts(rows[5])[1:] == [fixed(budget["plan"][k]) for k in ("march", "june", "october", "december")]
    assert texts(rows[6]) == ["绩效目标", project["annual_goal"].strip()]
    assert texts(rows[7]) == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    body = rows[8:]
    assert len(body) == len(project["indicators"]) == 4
    flags = merge_pattern([ind["level1"] for ind in project["indicators"]])
    for row, ind, flag in zip(body, project["indicators"], flags):
        first = ind["level1"] if flag == "restart" else ""
        assert texts(row) == [first, ind["level2"], ind["name"], ind["description"], ind["target"], ""]


def test_amounts_as_published(tables):
    assert [texts(t.rows[2])[2] for t in tables] == PUBLISHED_TOTALS
    assert [texts(t.rows[2])[4] for t in tables] == PUBLISHED_TOTALS
    assert [texts(t.rows[2])[6] for t in tables] == [""] * 6  # 其他资金 left blank
    assert all("," not in text for t in tables for text in texts(t.rows[2]))


@pytest.mark.parametrize("i", range(6), ids=IDS)
def test_vertical_merges(tables, i):
    rows = tables[i].rows
    assert [vmerge(raw_cells(r)[0]) for r in rows[:8]] == [None, None, "restart", "continue", "restart", "continue", None, None]
    flags = merge_pattern([ind["level1"] for ind in PROJECTS[i]["indicators"]])
    assert flags == ["restart", "continue", "restart", "restart"]
    assert [vmerge(raw_cells(r)[0]) for r in rows[8:]] == flags
    assert all(vmerge(c) is None for r in rows[8:] for c in raw_cells(r)[1:])
    # python-docx resolves the continuation to the cell above
    assert [r.cells[0].text for r in rows[8:]] == [ind["level1"] for ind in PROJECTS[i]["indicators"]]


def test_the_published_duplicate_is_printed_as_is(tables):
    rows = tables[3].rows[8:10]
    assert texts(rows[0])[1:4] == ["质量指标", "残疾人基本服务状况和需求专项调查数据动态更新培训率", "按照国家要求对工作人员进行培训比率"]
    assert texts(rows[1])[1:4] == ["数量指标", "残疾人基本服务状况和需求专项调查数据动态更新培训率", "残疾人基本服务状况和需求专项调查数据动态更新入户率"]


# ----------------------------------------------------- 部门整体绩效目标.xlsx


SHEETS = [
    "1-目标-残疾人精准康复经费",
    "2-目标-第三代智能化残疾人证换证工作",
    "3-目标-关于提前下达2020年残疾人基本公共服务预算指标的通",
    "4-目标-全国残疾人基本服务状况和需求信息数据动态更新经费",
    "5-目标-社区、村残疾人专职委员补贴（生活补助）",
    "6-目标-专项补助(生活补助)",
]


def test_workbook_has_part_one_then_a_sheet_per_project(dept_xlsx):
    wb = load_workbook(dept_xlsx)
    assert wb.sheetnames == ["第一部分", *SHEETS]
    assert all(valid_sheet_name(n) for n in wb.sheetnames)
    assert len({n.casefold() for n in wb.sheetnames}) == 7


def test_part_one_sheet_holds_the_text_the_word_document_prints(dept_workbook):
    """The Excel file alone carries what the Word file does: 第一部分, one paragraph a row."""
    lines = [c.value for c in dept_workbook["第一部分"]["A"]]
    assert lines[:4] == [
        "第一部分",
        "部门整体绩效目标",
        "一、总体绩效目标",
        "一、残疾人基本公共服务体系基本完善，促进残疾人事业与经济社会协调发展；残疾人社会保障和基本公共服务水平明显提高，共享全面建成小康社会的成果。",
    ]
    assert lines.index("二、分项绩效目标") == 7 and lines.index("三、工作保障措施") == 18
    assert lines[8].startswith("一、残疾人法律维权。") and lines[9].startswith("1、残疾人法律维权。接待")
    assert lines[19].startswith("认真贯彻落实省、市、区残疾人工作会议精神") and lines[-1].startswith("5、加强残疾人事业的宣传")
    assert all(c.data_type == "s" and c.alignment.wrap_text for c in dept_workbook["第一部分"]["A"])


@pytest.mark.parametrize("i", range(6), ids=IDS)
def test_sheet_values(dept_workbook, i):
    project = PROJECTS[i]
    budget = project["budget"]
    ws = dept_workbook.worksheets[i + 1]  # after 第一部分
    assert ws["A1"].value == HEADINGS[i]
    assert (ws["A2"].value, ws["H2"].value) == (UNIT_LINE, "单位：元")
    assert [ws[c].value for c in ("A3", "B3", "E3", "G3")] == ["项目编码", project["code"], "项目名称", project["name"]]
    assert [ws[c].value for c in ("A4", "B4", "E4", "H4")] == ["预算规模及\n资金用途", "预算数", "其中：财政资金", "其他资金"]
    for ref, key in (("C4", "total"), ("G4", "fiscal")):
        assert number(ws[ref].value) == dec(budget[key])
        assert ws[ref].number_format == "0.00"
    assert ws["J4"].value is None
    assert ws["B5"].value == budget["use"].strip()
    assert [ws[c].value for c in ("A6", "B6", "D6", "F6", "I6")] == ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"]
    plan = [ws[c] for c in ("B7", "D7", "F7", "I7")]
    assert [number(c.value) for c in plan] == [Decimal(25), Decimal(60), Decimal(90), Decimal(100)]
    assert [c.number_format for c in plan] == ["0.00"] * 4
    assert (ws["A8"].value, ws["B8"].value) == ("绩效目标", project["annual_goal"].strip())
    assert [ws.cell(9, c).value for c in (1, 2, 3, 5, 8, 10)] == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    flags = merge_pattern([ind["level1"] for ind in project["indicators"]])
    for n, (ind, flag) in enumerate(zip(project["indicators"], flags)):
        r = 10 + n
        assert ws.cell(r, 1).value == (ind["level1"] if flag == "restart" else None)
        assert [ws.cell(r, c).value for c in (2, 3, 5, 8)] == [ind["level2"], ind["name"], ind["description"], ind["target"]]
        assert ws.cell(r, 8).data_type == "s"
        assert ws.cell(r, 10).value is None
    assert ws.max_row == 13


@pytest.mark.parametrize("i", range(6), ids=IDS)
def test_sheet_merges_follow_the_word_table(dept_workbook, tables, i):
    ws = dept_workbook.worksheets[i + 1]  # after 第一部分
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:J1", "A2:G2", "H2:J2", "B3:D3", "E3:F3", "G3:J3", "A4:A5", "B5:J5", "A6:A7", "B8:J8"} <= merged
    # 一级 merged down its run of rows, exactly where the Word table restarts and continues
    word = [vmerge(raw_cells(r)[0]) for r in tables[i].rows[8:]]
    runs, start = [], None
    for n, flag in enumerate(word + ["restart"]):
        if flag == "restart":
            if start is not None and n - 1 > start:
                runs.append(f"A{10 + start}:A{10 + n - 1}")
            start = n
    assert runs == ["A10:A11"]
    assert {m for m in merged if m.startswith("A") and int(re.match(r"A(\d+)", m).group(1)) >= 10} == set(runs)


# --------------------------------------------------------------- the book .docx


def test_cover(book):
    # the title in lines broken between words (issue 27)
    assert [p.text.replace("\n", "") for p in book.paragraphs[:4]] == [TITLE, "秦皇岛市山海关区残疾人联合会", "2020年度", "目\u3000录"]


def test_book_contents_list_every_book_mark_in_order(book):
    marks = [text for text, _ in tc_marks(book, "B")]
    assert marks == ["总体绩效目标", "分项绩效目标", "工作保障措施", *HEADINGS]
    entries = toc_entries(book, "TOC \\f B")
    assert [text for text, _ in entries] == marks
    pages = [int(page) for _, page in entries]
    assert all(p >= 3 for p in pages)  # after the cover and the contents page
    assert pages == sorted(pages)
    assert len([i for i in instructions(book.element.body) if i.startswith("TOC \\f B")]) == 1


def test_book_marks_sit_on_their_headings(book):
    assert [p.text for _, p in tc_marks(book, "B")] == ["一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施", *HEADINGS]
    # the departmental document keeps its own contents marks and contents
    assert [text for text, _ in tc_marks(book, "C")] == HEADINGS
    assert [text for text, _ in toc_entries(book, "TOC \\f C")] == HEADINGS


def test_book_body_has_the_departmental_document(book):
    blocks = body_blocks(book)
    assert sum(1 for kind, _ in blocks if kind == "tbl") == 6
    paragraphs = [p.text for kind, p in blocks if kind == "p" and p.style.name != "toc 1"]
    start = paragraphs.index("第一部分")
    expected = expected_part_one()
    assert paragraphs[start : start + len(expected)] == expected
    assert paragraphs[start + len(expected)] == HEADINGS[0]
    assert [texts(t.rows[1])[1] for t in book.tables] == [p["code"] for p in PROJECTS]


def test_book_asks_word_to_refresh_estimated_pages(book_docx):
    assert update_fields(book_docx) == "true"


def test_footer_numbers_the_pages(book):
    section = book.sections[0]
    assert len(book.sections) == 1  # one section: every page shares header and footer
    footer = section.footer._element
    assert instructions(footer) == ["PAGE", "NUMPAGES"]
    texts_ = [t.text for t in footer.iter(qn("w:t"))]
    assert texts_ == ["第 ", "1", " 页 共 ", "1", " 页"]
    kinds = [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2


def test_header_is_the_title_and_the_cover_has_neither(book):
    section = book.sections[0]
    assert [p.text for p in section.header.paragraphs] == [TITLE]
    assert section.different_first_page_header_footer is True
    sect = book.element.body.sectPr
    assert sect.find(qn("w:titlePg")) is not None
    refs = [(r.tag.split("}")[1], r.get(qn("w:type"))) for r in sect if r.tag in (qn("w:headerReference"), qn("w:footerReference"))]
    assert refs == [("headerReference", "default"), ("footerReference", "default")]  # nothing defined for the first page


def test_parts_start_new_pages(book):
    paragraphs = book.paragraphs
    by_text = {p.text: p for p in paragraphs}
    assert page_break_before(by_text["目\u3000录"])
    first = by_text["第一部分"]
    direct = first._p.pPr.find(qn("w:pageBreakBefore"))
    assert direct is not None and _on(direct)  # set on the part's first paragraph itself
    assert page_break_before(by_text["第二部分"])
    for _, p in tc_marks(book, "C"):
        assert page_break_before(p), p.text
    assert not page_break_before(by_text["部门整体绩效目标"])
    assert not page_break_before(by_text["二、分项绩效目标"])


def test_project_heading_style_breaks_the_page(book):
    style = book.styles["项目表标题"]
    el = style.element.pPr.find(qn("w:pageBreakBefore"))
    assert el is not None and _on(el)
    assert _on(book.styles["部分标题"].element.pPr.find(qn("w:pageBreakBefore"))) is False


# --------------------------------------------------------------- the book .xlsx


SUMMARY_HEADER = [
    "序号",
    "项目编码",
    "项目名称",
    "项目类别",
    "表单",
    "年度资金（元）",
    "全年执行数（元）",
    "执行率",
    "总分（合计行为平均分）",
    "等级",
    "错误",
    "提示",
]


def test_book_workbook_sheets(book_xlsx):
    wb = load_workbook(book_xlsx)
    assert wb.sheetnames == ["汇总", "第一部分", *SHEETS]
    assert all(valid_sheet_name(n) for n in wb.sheetnames)


def test_summary_rows(book_xlsx):
    ws = load_workbook(book_xlsx)["汇总"]
    assert ws["A1"].value == TITLE
    assert "A1:L1" in {str(m) for m in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == SUMMARY_HEADER
    for n, project in enumerate(PROJECTS):
        row = [c.value for c in ws[3 + n]]
        assert row[:5] == [n + 1, project["code"], project["name"], None, "部门预算项目"]
        assert number(row[5]) == dec(project["budget"]["total"])
        assert ws.cell(3 + n, 6).number_format == "#,##0.00"
        assert row[6:10] == [None, None, None, None]
        assert row[10:] == [1 if n == 3 else 0, 0]
    assert ws.max_row == 9


def test_summary_totals_have_formulas_and_cached_results(book_xlsx):
    ws = load_workbook(book_xlsx)["汇总"]
    assert ws["A9"].value == "合计"
    assert ws["F9"].value == "=SUM(F3:F8)"
    assert ws["K9"].value == "=SUM(K3:K8)" and ws["L9"].value == "=SUM(L3:L8)"
    assert ws["G9"].value.startswith("=SUM(")
    cached = cached_values(book_xlsx)
    total = sum(dec(p["budget"]["total"]) for p in PROJECTS)
    assert total == Decimal("2215160.00")
    assert Decimal(cached["F9"]) == total
    assert cached["F9"] == "2215160.00"
    assert (cached["K9"], cached["L9"]) == ("1", "0")
    assert cached["G9"] == cached["H9"] == cached["I9"] == ""  # nothing executed or scored
    values = load_workbook(book_xlsx, data_only=True)["汇总"]
    assert number(values["F9"].value) == total
    assert (values["K9"].value, values["L9"].value) == (1, 0)


def test_book_sheets_are_the_departmental_sheets(book_xlsx, dept_xlsx):
    book_wb, dept_wb = load_workbook(book_xlsx), load_workbook(dept_xlsx)
    for name in SHEETS:
        a, b = book_wb[name], dept_wb[name]
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
        assert {str(m) for m in a.merged_cells.ranges} == {str(m) for m in b.merged_cells.ranges}
        assert a["C4"].number_format == "0.00"


# ------------------------------------------------- the self-evaluation book (.xlsx)


def test_selfeval_book_totals(example_rendered, example_data):
    path = example_rendered.book[1]
    assert path.name == "上海市残疾人联合会2022年度项目支出绩效自评汇总表.xlsx"
    ws = load_workbook(path)["汇总"]
    assert ws["F2"].value == "全年预算数（元）"
    funds = [p["evaluation"]["funds"]["total"] for p in example_data["projects"]]
    budgets = [dec(f["budget"]) for f in funds]
    executed = [dec(f["executed"]) for f in funds]
    for n in range(6):
        assert number(ws.cell(3 + n, 6).value) == budgets[n]
        assert number(ws.cell(3 + n, 7).value) == executed[n]
    scores = [dec(r[3]) for r in REFERENCE.values()]  # 总分 of the published forms
    assert [number(ws.cell(3 + n, 9).value) for n in range(6)] == scores
    assert ws["F9"].value.startswith("=SUM(") and ws["G9"].value.startswith("=SUM(")
    assert ws["I9"].value == '=IF(COUNT(I3:I8)=0,"",ROUND(AVERAGE(I3:I8),2))'

    cached = cached_values(path)
    assert Decimal(cached["F9"]) == sum(budgets) == Decimal("20151325.00")
    assert Decimal(cached["G9"]) == sum(executed) == Decimal("17695563.94")
    assert abs(Decimal(cached["H9"]) - sum(executed) / sum(budgets)) < Decimal("1e-20")
    assert Decimal(cached["H9"]).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) == Decimal("0.8781")
    average = (sum(scores) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert average == Decimal("94.46")
    assert Decimal(cached["I9"]) == average
    assert (cached["K9"], cached["L9"]) == ("4", "5")  # 提示: the four score differences and 90 against ≥85%

    values = load_workbook(path, data_only=True)["汇总"]
    assert values["K9"].value == 4 and values["L9"].value == 5
    assert abs(number(values["F9"].value) - Decimal("20151325")) < Decimal("0.001")


def test_selfeval_book_sheet_names(example_rendered, example_data):
    wb = load_workbook(example_rendered.book[1])
    names = [f"{n}-自评-{p['name']}" for n, p in enumerate(example_data["projects"], start=1)]
    assert wb.sheetnames == ["汇总", *names]
    assert wb.sheetnames[1] == "1-自评-残疾人权益保障经费"
    assert all(valid_sheet_name(n) for n in wb.sheetnames)
    assert len({n.casefold() for n in wb.sheetnames}) == 7
