"""A rendered form's table read back as a grid, in the notation of
`tests/importing/region_forms.py` (`<` a cell merged with the one on its left, `^` one
merged with the one above), from Word (gridSpan / vMerge) and from Excel (merged ranges;
a number shown as its number format prints it), so that a regional version's rendered
layout is compared cell for cell with the published one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from docgen.model.formatting import number_text, percent_text
from docgen.model.joiner import without_joiners


def docx_grid(path: Path, table: int = 0) -> list[list[str]]:
    tbl = Document(str(path)).tables[table]._tbl
    rows: list[list[str]] = []
    for tr in tbl.tr_lst:
        row: list[str] = []
        for tc in tr.tc_lst:
            pr = tc.tcPr
            span = pr.find(qn("w:gridSpan")) if pr is not None else None
            merge = pr.find(qn("w:vMerge")) if pr is not None else None
            continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            text = "\n".join(without_joiners("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in tc.iter(qn("w:p")))
            row.append("^" if continued else text)
            row += ["<" if not continued else "^"] * (int(span.get(qn("w:val"))) - 1 if span is not None else 0)
        rows.append(row)
    return rows


def docx_paragraphs(path: Path) -> list[str]:
    """The lines over and under the table."""
    return [p.text for p in Document(str(path)).paragraphs if p.text]


def shown(value: object, number_format: str) -> str:
    """A cell's value as Excel prints it with the formats the templates use."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    number = Decimal(str(value))
    if number_format.endswith("%"):
        return percent_text(number)
    if number_format == "0.00":
        return f"{number:.2f}"
    return number_text(number)


def xlsx_grid(path: Path, first_row: int) -> tuple[list[list[str]], dict[str, str]]:
    """The sheet's rows from `first_row` as a grid, and the number format of every
    numeric cell (coordinate -> format)."""
    ws = load_workbook(path).active
    covered: dict[tuple[int, int], str] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered[(r, c)] = "<" if r == rng.min_row else "^"
    rows, formats = [], {}
    for r in range(first_row, ws.max_row + 1):
        row = []
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(r, c)
            if (r, c) in covered:
                row.append(covered[(r, c)])
                continue
            if isinstance(cell.value, (int, float)):
                formats[cell.coordinate] = cell.number_format
            row.append(shown(cell.value, cell.number_format))
        rows.append(row)
    return rows, formats
