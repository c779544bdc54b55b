"""Forms as text grids, whatever file they come in: each table of a Word file (with the
paragraphs above it) and each sheet of a workbook becomes rows of cells, horizontal
merges as one cell at its first column, vertical merges repeated in every row they span
(so a merged 一级指标 fills the rows it covers), numbers as the form prints them."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from docx import Document
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from docgen.model.formatting import amount_text, fixed_text, number_text, percent_text
from docgen.inputs.importing.labels import norm
from docgen.inputs.importing.sheets import uncalculated, values_workbook


@dataclass(frozen=True)
class Cell:
    text: str
    col: int  # the first grid column it covers
    where: str  # how a clerk finds it: `表格 2 第 5 行第 3 列` / `自评表!D12`
    formula: str = ""  # Excel: a formula whose value the file does not hold (never calculated)


Row = list[Cell]


@dataclass
class FormText:
    """One table (Word, with the paragraphs since the previous table) or one sheet."""

    source: Path
    label: str  # `表格 2` / the sheet's name
    rows: list[Row]
    preamble: list[str] = field(default_factory=list)  # Word: the paragraphs above the table
    created: int | None = None  # the year the file says it was made in (for forms that print no year)
    after: list[str] = field(default_factory=list)  # Word: the paragraphs below the table (a sign-off line)

    def texts(self) -> Iterator[str]:
        yield from self.preamble
        for row in self.rows:
            for cell in row:
                yield cell.text


# ------------------------------------------------------------------ Word


def _cell_text(tc: Any) -> str:
    return "\n".join(p.text for p in _Cell(tc, None).paragraphs).strip()


def _int(element: Any, tag: str, default: int) -> int:
    found = element.find(qn(tag)) if element is not None else None
    value = found.get(qn("w:val")) if found is not None else None
    return int(value) if value and value.isdigit() else default


def _tcs(tr: Any) -> list[Any]:
    """A row's cells, a cell inside a content control (w:sdt) too."""
    return tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc")


def _table_rows(tbl: Any, number: int) -> list[Row]:
    """The grid of a w:tbl, read from its XML rather than python-docx's `row.cells`: a
    table a clerk split in Word may start with the lower half of a vertical merge (no
    first cell above it), which python-docx refuses; here that half reads blank."""
    rows, above = [], {}  # grid column -> the text of the cell above (a vertical merge repeats it)
    for r, tr in enumerate(tbl.findall(qn("w:tr")), start=1):
        out: Row = []
        col = _int(tr.trPr, "w:gridBefore", 0)
        for tc in _tcs(tr):
            span = _int(tc.tcPr, "w:gridSpan", 1)
            merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            text = above.get(col, "") if merge is not None and merge.get(qn("w:val")) != "restart" else _cell_text(tc)
            out.append(Cell(text, col, f"表格 {number} 第 {r} 行第 {col + 1} 列"))
            above.update({c: text for c in range(col, col + span)})
            col += span
        rows.append(out)
    return rows


def _blocks(parent: Any, nested: bool = False) -> Iterator[tuple[str, Any, bool]]:
    """The paragraphs and tables of the body or of a cell, in order, each with whether it
    is inside a table; the tables nested in a table's cells (a form put in a frame table)
    follow the table that holds them."""
    for element in parent.iterchildren():
        if element.tag == qn("w:p"):
            yield "p", Paragraph(element, None).text.strip(), nested
        elif element.tag == qn("w:tbl"):
            yield "tbl", element, nested
            for tr in element.findall(qn("w:tr")):
                for tc in _tcs(tr):
                    if tc.find(qn("w:tbl")) is not None:
                        yield from _blocks(tc, True)


_CONTINUED = re.compile(r"^\(?续表\d*\)?$")  # the note a clerk types above a table's second half


def _continues(form: FormText, rows: list[Row]) -> bool:
    """A table right after a form's table, nothing typed between them (or 「续表」), that does not start
    as the form does: the form's table split in two (Word: 拆分表格, or a page break)."""
    first = next((c.text for row in rows for c in row if c.text.strip()), None)
    own = next((c.text for row in form.rows for c in row if c.text.strip()), None)
    return first is not None and norm(first) != norm(own or "")


def docx_forms(path: Path, data: bytes) -> list[FormText]:
    doc = Document(io.BytesIO(data))
    created = doc.core_properties.created.year if doc.core_properties.created else None
    forms: list[FormText] = []
    paragraphs: list[str] = []
    number = 0
    for kind, item, nested in _blocks(doc.element.body):
        if kind == "p":
            paragraphs += [item] if item else []
            if item and forms and not nested:
                forms[-1].after.append(item)
            continue
        number += 1
        rows = _table_rows(item, number)
        if not any(c.text.strip() for row in rows for c in row):
            continue  # an empty table (a frame around a form): not a form
        if forms and all(_CONTINUED.match(norm(p)) for p in paragraphs) and not nested and _continues(forms[-1], rows):
            forms[-1].rows += rows
            continue
        forms.append(FormText(path, f"表格 {number}", rows, paragraphs, created))
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


def _formulas(data: bytes) -> Any:
    """The workbook's formulas (a second parse, only when a sheet holds a formula never
    calculated): a formula saved by a program, never calculated, holds no value, and its
    cell must not read blank."""
    return values_workbook(data, data_only=False) if uncalculated(data) else None


def _sheet_rows(ws: Any, formulas: Any) -> list[Row]:
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
            formula = formulas[ws.title].cell(top, first).value if formulas is not None and cell.value is None else None
            formula = formula if isinstance(formula, str) and formula.startswith("=") else ""
            out.append(Cell(printed(cell.value, cell.number_format or ""), c - 1, f"{ws.title}!{ws.cell(r, c).coordinate}", formula))
        rows.append(out)
    return rows


def xlsx_forms(path: Path, data: bytes) -> list[FormText]:
    wb = values_workbook(data)
    formulas = _formulas(data)
    created = wb.properties.created.year if wb.properties.created else None
    forms, paragraphs = [], []
    for ws in wb.worksheets:
        rows = _sheet_rows(ws, formulas)
        texts = [[c.text for c in row if c.text] for row in rows]
        if all(len(t) <= 1 for t in texts):  # paragraphs, not a table: they come before the next sheet's table
            paragraphs += [t[0] for t in texts if t]
            continue
        forms.append(FormText(path, ws.title, rows, paragraphs, created))
        paragraphs = []
    return forms
