"""Splitting merged table cells at a page break (`render.rows`) and filling the laid-out
pages and splits into the composed book without composing it again (`book._Book`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn

import docgen
from docgen.build.book import FormPart, _Book
from docgen.build.plan import RenderOptions
from docgen.render import layout, rows

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "shanghai-dpf-2022.yaml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def cell(text: str, merge: str | None = None, span: int = 1) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>" if merge else "")
    run = f"<w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r>" if text else ""
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{run}</w:p></w:tc>"


def table() -> object:
    """绩效指标 | 一级 | 二级 | name, the labels merged down over five rows."""
    rows_xml = [
        cell("绩效指标", "restart") + cell("产出指标", "restart") + cell("数量指标", "restart") + cell("甲"),
        cell("", "continue") + cell("", "continue") + cell("", "continue") + cell("乙"),
        cell("", "continue") + cell("", "continue") + cell("质量指标", "restart") + cell("丙"),
        cell("", "continue") + cell("", "continue") + cell("", "continue") + cell("丁"),
        cell("", "continue") + cell("效益指标", "restart") + cell("社会效益指标", "restart") + cell("戊"),
    ]
    xml = f"<w:body {W}><w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows_xml) + "</w:tbl></w:body>"
    return parse_xml(xml)


def texts(body, row: int) -> list[str]:
    tr = rows.rows(body)[row]
    return ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iterfind(qn("w:tc"))]


def merges(body, row: int) -> list[str | None]:
    tr = rows.rows(body)[row]
    return [rows._merge(tc) for tc in tr.iterfind(qn("w:tc"))]


def test_split_repeats_each_continued_label_with_its_formatting():
    body = table()
    assert rows.split_rows(body, [3]) == 3
    assert merges(body, 3) == ["restart", "restart", "restart", None]
    assert texts(body, 3) == ["绩效指标", "产出指标", "质量指标", "丁"]
    bold = rows.rows(body)[3].find(qn("w:tc")).find(qn("w:p")).find(qn("w:r")).find(qn("w:rPr")).find(qn("w:b"))
    assert bold is not None
    # the rows after the split continue the new merges; the rows before are untouched
    assert merges(body, 4) == ["continue", "restart", "restart", None]
    assert texts(body, 1) == ["", "", "", "乙"]


def test_split_finds_the_label_across_earlier_splits_and_gridspans():
    body = table()
    rows.split_rows(body, [1, 3])
    assert texts(body, 1) == ["绩效指标", "产出指标", "数量指标", "乙"]
    assert texts(body, 3) == ["绩效指标", "产出指标", "质量指标", "丁"]


def test_page_starts_are_continued_rows_on_a_later_page():
    body = table()
    marks = rows.mark_rows(body, 7)
    assert sorted(marks.values()) == [0, 1, 2, 3, 4]
    assert all(name.startswith("_DGRow00007R") and "_" not in name[1:] for name in marks)
    # row 2 starts page 2 (a continued 一级), row 4 page 3 (only 绩效指标 continues)
    assert rows.page_starts(body, {0: 1, 1: 1, 2: 2, 3: 2, 4: 3}) == [2, 4]
    assert rows.page_starts(body, {0: 1, 1: 1, 2: 1, 3: 1, 4: 1}) == []


@pytest.fixture(scope="module")
def book_parts(tmp_path_factory):
    out = tmp_path_factory.mktemp("forms")
    rendered = docgen.render_file(EXAMPLE, out, options=RenderOptions(book=False, formats=("docx",), jobs=1))
    checked = docgen.check_file(EXAMPLE)
    files = sorted((f for f in rendered.files if f.suffix == ".docx"), key=lambda f: int(f.name.split("-")[0]))
    forms = [FormPart(r, f.read_bytes(), b"") for r, f in zip(checked.reports, files)]
    return checked.unit, docgen.default_registry().book, forms


def test_filled_in_book_is_the_book_composed_again(book_parts):
    """The pages and splits filled into the composed book give the very bytes composing
    it again with them gives (what the layout pass did before)."""
    unit, spec, forms = book_parts
    stamp = datetime(2022, 12, 31)
    book = _Book(unit, spec, "上海市残疾人联合会2022年度项目支出绩效自评汇总表", [], forms, stamp)
    first, marks, kept = book.assemble(None, None, exact=True, keep=True)
    assert kept is not None and len(kept.parts) == len(forms) and kept.xml().startswith(kept.prefix)
    pages = [20 + n for n in range(len(book.marks))]
    splits = [[] for _ in forms]
    splits[2] = [12]  # 各类残疾人组织活动出勤率: its 一级 (产出指标) continues from the row before
    filled = book.filled_in(first, kept, pages, splits)
    again, _, _ = book.assemble(pages, None, exact=True, splits=splits)
    assert filled == again
    assert filled != first
    body = layout.Pieces(kept).body(layout.Pieces(kept).split(2, [12]))
    assert "产出指标" in "".join(t.text or "" for t in rows.rows(body)[12].iter(qn("w:t")))


def test_height_bound_grows_with_the_text_and_its_spacing():
    body = table()
    short = rows.rows(body)[0].find(qn("w:tc"))
    short.find(qn("w:tcPr")).append(parse_xml(f'<w:tcW {W} w:type="dxa" w:w="1000"/>'))
    one = rows.height_bound(short)
    short.find(qn("w:p")).find(qn("w:r")).find(qn("w:t")).text = "服务对象满意度指标" * 3
    assert rows.height_bound(short) > 3 * one > 0
    assert rows.height_bound(rows.rows(body)[0].findall(qn("w:tc"))[3]) == float("inf")  # no fixed width
    assert rows.label_bound(body, 3) == float("inf")  # the labels' cells here have no width
    assert rows.label_bound(body, 2) > 0
