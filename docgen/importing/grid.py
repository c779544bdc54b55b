"""Forms as text grids, whatever file they come in: each table of a Word file (with the
paragraphs above it) and each sheet of a workbook becomes rows of cells, horizontal
merges as one cell at its first column, vertical merges repeated in every row they span
(so a merged 一级指标 fills the rows it covers), numbers as the form prints them."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from ..formatting import amount_text, fixed_text, number_text, percent_text


@dataclass(frozen=True)
class Cell:
    text: str
    col: int  # the first grid column it covers
    where: str  # how a clerk finds it: `表格 2 第 5 行第 3 列` / `自评表!D12`


Row = list[Cell]


@dataclass
class FormText:
    """One table (Word, with the paragraphs since the previous table) or one sheet."""

    source: Path
    label: str  # `表格 2` / the sheet's name
    rows: list[Row]
    preamble: list[str] = field(default_factory=list)  # Word: the paragraphs above the table
    created: int | None = None  # the year the file says it was made in (for forms that print no year)

    def texts(self) -> Iterator[str]:
        yield from self.preamble
        for row in self.rows:
            for cell in row:
                yield cell.text


# ------------------------------------------------------------------ Word


def _cell_text(cell: Any) -> str:
    return "\n".join(p.text for p in cell.paragraphs).strip()


def _table_rows(table: Table, number: int) -> list[Row]:
    rows = []
    for r, row in enumerate(table.rows, start=1):
        out: Row = []
        seen: list[Any] = []
        for c, cell in enumerate(row.cells):
            if any(cell._tc is s for s in seen):
                continue  # the same cell again: it spans this grid column too
            seen.append(cell._tc)
            out.append(Cell(_cell_text(cell), c, f"表格 {number} 第 {r} 行第 {c + 1} 列"))
        rows.append(out)
    return rows


def docx_forms(path: Path, data: bytes) -> list[FormText]:
    doc = Document(io.BytesIO(data))
    created = doc.core_properties.created.year if doc.core_properties.created else None
    forms, paragraphs = [], []
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = Paragraph(element, doc).text.strip()
            if text:
                paragraphs.append(text)
        elif element.tag == qn("w:tbl"):
            number = len(forms) + 1
            forms.append(FormText(path, f"表格 {number}", _table_rows(Table(element, doc), number), paragraphs, created))
            paragraphs = []
    return forms


# ------------------------------------------------------------------ Excel


def printed(value: Any, number_format: str) -> str:
    """A cell's value as the form prints it (amounts `1,943,200.00`, rates `96.41%`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if (value.hour, value.minute) == (0, 0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
        if "%" in number_format:
            return percent_text(number)
        if "#,##0.00" in number_format:
            return amount_text(number)
        if number_format.startswith("0.00"):
            return fixed_text(number)
        return number_text(number)
    return str(value).strip()


def xlsx_forms(path: Path, data: bytes) -> list[FormText]:
    wb = load_workbook(io.BytesIO(data), data_only=True)
    created = wb.properties.created.year if wb.properties.created else None
    forms, paragraphs = [], []
    for ws in wb.worksheets:
        tops: dict[tuple[int, int], tuple[int, int, int]] = {}  # (row, col) -> (top row, first col, last col) of its merge
        for m in ws.merged_cells.ranges:
            for r in range(m.min_row, m.max_row + 1):
                for c in range(m.min_col, m.max_col + 1):
                    tops[(r, c)] = (m.min_row, m.min_col, m.max_col)
        rows = []
        for r in range(1, ws.max_row + 1):
            out: Row = []
            for c in range(1, ws.max_column + 1):
                top, first, _ = tops.get((r, c), (r, c, c))
                if c != first:
                    continue
                cell = ws.cell(top, first)
                text = printed(cell.value, cell.number_format or "")
                out.append(Cell(text, c - 1, f"{ws.title}!{ws.cell(r, c).coordinate}"))
            rows.append(out)
        texts = [[c.text for c in row if c.text] for row in rows]
        if all(len(t) <= 1 for t in texts):  # paragraphs, not a table: they come before the next sheet's table
            paragraphs += [t[0] for t in texts if t]
            continue
        forms.append(FormText(path, ws.title, rows, paragraphs, created))
        paragraphs = []
    return forms
