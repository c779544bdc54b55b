"""Read a rendered regional form back cell by cell (issue 24): the Word table as rows of
(text, columns spanned, vertical merge), the Excel sheet as its values, number formats
and merged ranges; and render an example once into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

import docgen
from docgen.model.joiner import without_joiners


def render(example: Path, out: Path) -> dict[str, Path]:
    """The example's forms (.docx, .xlsx) by suffix."""
    files = docgen.render_file(example, out, options=docgen.RenderOptions(formats=("docx", "xlsx"), layout=False)).files
    forms = [f for f in files if "汇总表" not in f.name]
    return {f.suffix: f for f in forms}


def word_rows(path: Path) -> tuple[list[str], list[list[tuple[str, int, str | None]]]]:
    """The paragraphs above the table, and every row of the table as (text, gridSpan, vMerge)
    per w:tc (a continued cell of a vertical merge is ('', span, 'continue'))."""
    doc = Document(str(path))
    above = [p.text for p in doc.paragraphs if p.text]
    rows = []
    for tr in doc.tables[0]._tbl.findall(qn("w:tr")):
        row = []
        for tc in tr.findall(qn("w:tc")):
            pr = tc.tcPr
            span = pr.find(qn("w:gridSpan")) if pr is not None else None
            merge = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "\n".join(without_joiners("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in tc.findall(qn("w:p")))
            row.append((text.strip("\n"), int(span.get(qn("w:val"))) if span is not None else 1, None if merge is None else merge.get(qn("w:val"), "continue")))
        rows.append(row)
    return above, rows


def grid_widths(path: Path) -> list[int]:
    doc = Document(str(path))
    return [int(c.get(qn("w:w"))) for c in doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]


def sheet_cells(path: Path) -> tuple[dict[str, Any], dict[str, str], set[str]]:
    """Non-empty values by coordinate, the number formats of the numeric cells, merged ranges."""
    ws = load_workbook(path).active
    values = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value not in (None, "")}
    formats = {c.coordinate: c.number_format for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))}
    return values, formats, {str(r) for r in ws.merged_cells.ranges}


def word_boxes(rows: list[list[tuple[str, int, str | None]]]) -> dict[tuple[int, int, int, int], str]:
    """Every cell of the table as its (top, left, bottom, right) grid box -> its text, as
    `region_forms.Grid.merges` gives the reference's (line breaks inside a cell dropped)."""
    boxes: list[list] = []  # [top, left, bottom, right, text]
    for r, row in enumerate(rows):
        col = 0
        for text, span, merge in row:
            above = next((b for b in boxes if b[1] == col and b[2] == r - 1), None) if merge == "continue" else None
            if above is not None:
                above[2] = r
            else:
                boxes.append([r, col, r, col + span - 1, text.replace("\n", "")])
            col += span
    return {(t, left, b, right): text for t, left, b, right, text in boxes}


def pdf_of(docx: Path, out: Path) -> Path:
    """The Word form printed to PDF by LibreOffice (an `office` test), as a clerk sends it."""
    import subprocess

    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)], check=True, capture_output=True, timeout=180)
    return out / docx.with_suffix(".pdf").name


def received(forms: dict[str, Path], suffix: str, out: Path) -> Path:
    """The rendered form of `suffix` as received: .docx / .xlsx as rendered, .pdf the Word form printed."""
    return pdf_of(forms[".docx"], out) if suffix == ".pdf" else forms[suffix]
