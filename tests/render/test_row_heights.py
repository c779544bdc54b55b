"""Rows of the summary and review workbooks tall enough for their wrapped text (issue 27):
Excel and LibreOffice keep a program-written row at its default height, so a wrapped cell
used to print over the next row.

The heights are read back from the files and held against a bound of this test's own
(the text's width in Excel units, a CJK character two, over the column's width: no
wrapping takes fewer lines; a 10 pt line is 13.5 pt in Excel); the office test prints
the workbooks with LibreOffice and checks with `pdftotext -bbox-layout` that no two
words are printed over each other.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook

import docgen
from docgen.render import office
from docgen.render.workbook import row_height, text_lines
from docgen.review.table import review_unit, review_workbook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
BOOKS = {
    "shanghai-dpf-2022.yaml": "上海市残疾人联合会2022年度项目支出绩效自评汇总表.xlsx",
    "qinhuangdao-shanhaiguan-dpf-2020.yaml": "秦皇岛市山海关区残疾人联合会2020年度部门整体及项目绩效目标汇总表.xlsx",
}


@pytest.mark.parametrize(
    "text, width, size, bold, lines",
    [
        ("残疾人权益保障经费", 36, 10, False, 1),  # 18 units in 36
        ("财政项目支出绩效自评表", 22, 10, False, 1),  # 22 units: exactly full
        ("财政项目支出绩效自评表（", 22, 10, False, 2),
        # 「2022」 moves to the next line whole rather than as 「20 / 22」
        ("财政项目支出绩效自评表（2022 版）", 26, 10, False, 2),
        ("总分（合计行为平均分）", 12, 10, False, 2),  # 22 units, 12 a line
        ("总分（合计行为平均分）", 12, 10, True, 3),  # bold: 11.28 a line, 5 characters
        ("data/examples/shanghai-dpf-2022.yaml:26", 30, 10, False, 2),  # longer than a line: cut
        ("甲\n乙", 30, 10, False, 2),  # a line break in the cell
        ("", 10, 10, False, 1),
        ("上海市残疾人联合会2022年度项目支出绩效自评汇总表", 30, 14, True, 3),  # 46 units, 20.1 a line
    ],
)
def test_text_lines(text, width, size, bold, lines):
    assert text_lines(text, width, size, bold) == lines


@pytest.mark.parametrize("lines, size, points", [(1, 10, 18), (2, 10, 32), (5, 10, 76), (1, 14, 24), (3, 11, 51)])
def test_row_height(lines, size, points):
    assert row_height(lines, size) == points


def units(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def least_lines(text: str, width: float) -> int:
    """No wrapping puts `text` on fewer lines than this."""
    return sum(max(1, math.ceil(units(part) / width)) for part in text.split("\n"))


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    """The review workbook of every example, the two books' workbooks and the departmental
    document's workbook."""
    out = tmp_path_factory.mktemp("heights")
    files = {"review": out / "审核汇总.xlsx"}
    files["review"].write_bytes(review_workbook([review_unit(p) for p in sorted(EXAMPLES.glob("*.yaml"))]))
    for example, name in BOOKS.items():
        options = docgen.RenderOptions(formats=("xlsx",), layout=False)
        rendered = docgen.render_file(EXAMPLES / example, out / example, options=options)
        files[example] = rendered.files[0].parent / name
        if "qinhuangdao" in example:
            files["dept"] = rendered.files[0].parent / "部门整体绩效目标.xlsx"
    assert all(p.is_file() for p in files.values())
    return files


SHEETS = [("review", "汇总"), ("review", "项目"), ("review", "问题"), *((book, "汇总") for book in BOOKS)]


@pytest.mark.parametrize("book, sheet", SHEETS)
def test_rows_hold_the_lines_of_their_longest_cell(workbooks, book, sheet):
    ws = load_workbook(workbooks[book])[sheet]
    widths = {c: ws.column_dimensions[chr(64 + c)].width for c in range(1, ws.max_column + 1)}
    tallest = 0
    for r in range(2, ws.max_row + 1):
        lines = max(
            (least_lines(cell.value, widths[cell.column]) for cell in ws[r] if isinstance(cell.value, str) and not cell.value.startswith("=")),
            default=1,
        )
        tallest = max(tallest, lines)
        dim = ws.row_dimensions[r]
        if lines > 1 or r < ws.max_row:  # every row but a one-line totals row is set
            assert dim.customHeight, (sheet, r)
            assert dim.height >= lines * 13.5, (sheet, r, lines, dim.height)
    # The title holds the sheet's whole width on one or more lines of 14 pt.
    assert ws.row_dimensions[1].height >= 30
    if (book, sheet) in (("review", "问题"), ("review", "项目"), ("qinhuangdao-shanhaiguan-dpf-2020.yaml", "汇总")):
        assert tallest >= 2  # the examples do wrap here: the test has something to hold


def test_review_issue_rows_as_the_longest_message_wraps(workbooks):
    """问题's 内容 column is 70 wide: the example's longest message takes two lines."""
    ws = load_workbook(workbooks["review"])["问题"]
    texts = {r: ws.cell(r, 5).value for r in range(3, ws.max_row + 1)}
    row = max(texts, key=lambda r: units(texts[r]))
    assert units(texts[row]) > 70
    assert ws.row_dimensions[row].height >= 2 * 13.5


def test_departmental_text_rows_hold_their_paragraphs(workbooks):
    ws = load_workbook(workbooks["dept"]).worksheets[0]
    width = ws.column_dimensions["A"].width
    long = 0
    for r in range(1, ws.max_row + 1):
        text = ws.cell(r, 1).value or ""
        # 11 pt (the sheet's default font): a CJK character is 2.2 units, a line 15 pt
        lines = sum(max(1, math.ceil(units(p) * 1.1 / width)) for p in text.split("\n"))
        long += lines >= 3
        assert ws.row_dimensions[r].height >= lines * 15, (r, text[:20])
    assert long >= 3


# Printed: no two words over each other.
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
_XHTML = "{http://www.w3.org/1999/xhtml}"


def overprinted(pdf: bytes) -> list[str]:
    """Pairs of words whose boxes overlap (by more than a quarter of the smaller's height)."""
    out = subprocess.run([PDFTOTEXT, "-bbox-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=120).stdout
    bad = []
    for number, page in enumerate(ET.fromstring(out).iter(f"{_XHTML}page"), start=1):
        boxes = [(*(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text) for w in page.iter(f"{_XHTML}word")]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                dx = min(a[2], b[2]) - max(a[0], b[0])
                dy = min(a[3], b[3]) - max(a[1], b[1])
                if dx > 0.5 and dy > 0.25 * min(a[3] - a[1], b[3] - b[1]):
                    bad.append(f"p{number}: 「{a[4]}」 over 「{b[4]}」")
    return bad


@pytest.mark.office
@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="LibreOffice or poppler not installed; `make test` installs them")
def test_printed_workbooks_have_no_text_over_text(workbooks):
    files = {f"{key}.xlsx": path.read_bytes() for key, path in workbooks.items()}
    pdfs = office.Office(SOFFICE, docgen.default_registry().fonts).convert(files)
    bad = {name: overprinted(pdf) for name, pdf in pdfs.items()}
    assert len(pdfs) == 4
    assert not any(bad.values()), bad
