"""Printed forms as digital (text) PDFs, read into the same grid of cells as Word tables:
pdfplumber finds each table's ruled cells; a cell spanning columns is one cell at its
first column, a cell spanning rows is repeated in every row it covers (as a vertical
merge reads in Word); the text above a table on its page is its preamble and the text
below it its `after`.  A table continued on the next page (nothing typed between)
joins the form.  A PDF with no text layer (a scan) is refused."""

from __future__ import annotations

import io
import logging
from bisect import bisect_left
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Problem
from docgen.inputs.importing.grid import Cell, FormText, Row, _continues
from docgen.inputs.pdf_bounds import check_pdf, check_pdf_page, check_pdf_pages
from docgen.model.joiner import without_joiners

SCANNED = "是扫描件或图片 PDF（没有文字层），无法读取：请提供 Word/Excel 原件，或可以复制文字的 PDF"
_SNAP = 2.0  # points: cell edges closer than this are one grid line


def _lines(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(lines: list[float], value: float) -> int:
    i = bisect_left(lines, value - _SNAP)
    return min(i, len(lines) - 1)


def _texts(table: Any) -> dict[tuple[float, ...], str]:
    """Each cell's text (pdfplumber puts a character in the cell holding its centre), its
    lines joined: in a printed cell a line ends where the cell is full, not where a
    paragraph does (「7289」「0」 is 72890, 「项目」「名称」 is 项目名称)."""
    out = {}
    for row, texts in zip(table.rows, table.extract()):
        for bbox, text in zip(row.cells, texts):
            if bbox is not None:
                out[tuple(bbox)] = without_joiners("".join(line.strip() for line in (text or "").splitlines()).strip())
    return out


def _table_rows(page: Any, table: Any, number: int, page_number: int) -> list[Row]:
    cells = [c for c in table.cells if c is not None]
    texts = _texts(table)
    xs = _lines([c[0] for c in cells] + [c[2] for c in cells])
    ys = _lines([c[1] for c in cells] + [c[3] for c in cells])
    spans = []  # (top row, bottom row, first col, last col, text)
    for x0, top, x1, bottom in cells:
        r0, r1 = _index(ys, top), _index(ys, bottom) - 1
        c0, c1 = _index(xs, x0), _index(xs, x1) - 1
        spans.append((r0, max(r0, r1), c0, max(c0, c1), texts.get((x0, top, x1, bottom), "")))
    rows: list[Row] = []
    for r in range(len(ys) - 1):
        covering = sorted((s for s in spans if s[0] <= r <= s[1]), key=lambda s: s[2])
        row = [Cell(text, c0, f"第 {page_number} 页表格 {number} 第 {r + 1} 行第 {c0 + 1} 列") for _, _, c0, _, text in covering]
        if row:
            rows.append(row)
    return rows


def _words_between(page: Any, top: float, bottom: float) -> list[str]:
    if bottom - top <= 1:
        return []

    def between(obj: dict[str, Any]) -> bool:  # by its middle: a line set right under a table touches its border
        return obj.get("object_type") != "char" or top <= (obj["top"] + obj["bottom"]) / 2 < bottom

    text = page.filter(between).extract_text() or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def pdf_forms(path: Path, data: bytes) -> list[FormText]:
    """The forms of a digital PDF, read after its bytes passed the bounds of
    `package.check_pdf` (size, pages, inflated streams, characters a page shows)."""
    import pdfplumber  # only a PDF needs it

    check_pdf(path, data)
    for name in ("pdfminer", "pdfplumber"):  # their warnings (a font without metrics…) are not the user's
        logging.getLogger(name).setLevel(logging.ERROR)
    forms: list[FormText] = []
    number = 0
    texts = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        check_pdf_pages(path, len(pdf.pages))
        for page_number, page in enumerate(pdf.pages, start=1):
            check_pdf_page(path, page_number, len(page.chars))
            texts += len(page.chars)
            top = 0.0
            for table in page.find_tables():
                number += 1
                x0, t, x1, b = table.bbox
                above = _words_between(page, top, t)
                if forms:
                    forms[-1].after += above
                rows = _table_rows(page, table, number, page_number)
                top = b
                if not any(c.text.strip() for row in rows for c in row):
                    continue
                if forms and not above and _continues(forms[-1], rows):
                    forms[-1].rows += rows
                    continue
                forms.append(FormText(path, f"第 {page_number} 页表格 {number}", rows, above))
            if forms:
                forms[-1].after += _words_between(page, top, page.height)
    if not texts:
        raise InputError(path, [Problem((), SCANNED)])
    return forms
