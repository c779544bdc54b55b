"""Helpers the regional template scripts share (`templates_sichuan.py`,
`templates_hubeistyle.py`): one grid of cells written as a Word table and as an Excel
sheet, with the fonts, line-breaking rules and widths the committed templates carry.

A form is a list of rows; each row a list of cells `(text, span[, options])`, the
columns as the published form draws them.  Options: `align` ("center", "left",
"right", "justify"), `paras` (the Word cell's paragraphs, e.g. a `{%p for %}` loop;
Excel joins `xlsx` instead), `xlsx` (the Excel cell's text when it differs), `fmt`
(an Excel number format), `vmerge` ("restart"/"continue": a cell merged down over
static rows, Word), `size` (points, Word), `bold`.  Loop rows are rows whose second
cell is `{%tr for … %}` / `{%tr endfor %}` (as the 2022 templates mark them).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bootstrap_templates import (  # noqa: E402
    BOX,
    FANGSONG,
    SONG,
    STAMP,
    Grid,
    new_document,
    normalize,
    save_xlsx,
    set_fonts,
)
from template_widths import PAD, rewrite, word_fonts, word_settings, word_styles  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TWIPS_PER_CM = 567

WORD_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
EXCEL_ALIGN = {
    "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
    "right": Alignment(horizontal="right", vertical="center", wrap_text=True),
    "justify": Alignment(horizontal="left", vertical="center", wrap_text=True),
}

Cell = tuple  # (text, span) or (text, span, options)
Row = Sequence[Cell]


def _opts(cell: Cell) -> dict:
    return cell[2] if len(cell) > 2 else {}


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.append(OxmlElement("w:cantSplit"))


def _table_properties(table) -> None:
    """tblLayout fixed before tblLook (schema order), 0.7 mm cell padding left and right."""
    tblpr = table._tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    look = tblpr.find(qn("w:tblLook"))
    if layout is not None and look is not None:
        tblpr.remove(layout)
        look.addprevious(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(PAD))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look.addprevious(margins)


def _paragraphs(doc, lines: list[tuple[str, dict]]) -> None:
    for text, opts in lines:
        p = doc.add_paragraph(style=opts.get("style"))
        p.alignment = WORD_ALIGN[opts.get("align", "center")]
        run = p.add_run(text)
        if "size" in opts:
            run.font.size = Pt(opts["size"])
        if opts.get("bold"):
            run.font.bold = True
        if "face" in opts:
            set_fonts(run._r, opts["face"])


def word_form(
    path: Path,
    widths_twips: list[int],
    above: list[tuple[str, dict]],
    rows: list[Row],
    *,
    whole: Sequence[int] = (),
    below: Sequence[tuple[str, dict]] = (),
) -> None:
    """Write the Word template: paragraphs `above` the table (text, options: style,
    align, size, bold), then the grid, then the paragraphs `below`; rows at the indices
    `whole` never split."""
    doc = new_document()
    body = doc.element.body
    for p in list(body.iter(qn("w:p"))):
        body.remove(p)
    _paragraphs(doc, above)
    grid = Grid(doc, [w / TWIPS_PER_CM for w in widths_twips])
    _table_properties(grid.table)
    for index, row in enumerate(rows):
        specs = []
        for cell in row:
            opts = dict(_opts(cell))
            opts["align"] = WORD_ALIGN[opts.get("align", "center")]
            specs.append((cell[0], cell[1], {k: v for k, v in opts.items() if k in ("align", "paras", "vmerge")}))
        made = grid.row(specs)
        for cell, spec in zip(made, row):
            opts = _opts(spec)
            if "size" in opts or opts.get("bold"):
                for p in cell.paragraphs:
                    for run in p.runs:
                        if "size" in opts:
                            run.font.size = Pt(opts["size"])
                        run.font.bold = opts.get("bold") or None
        if index in whole:
            _cant_split(grid.table.rows[-1])
    # exact twips in the grid and the cells (python-docx rounds centimetres to EMU)
    for col, width in zip(grid.table._tbl.tblGrid.findall(qn("w:gridCol")), widths_twips):
        col.set(qn("w:w"), str(width))
    for tr in grid.table._tbl.findall(qn("w:tr")):
        at = 0
        for tc in tr.findall(qn("w:tc")):
            span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
            n = int(span.get(qn("w:val"))) if span is not None else 1
            tcw = tc.tcPr.find(qn("w:tcW"))
            tcw.set(qn("w:w"), str(sum(widths_twips[at : at + n])))
            tcw.set(qn("w:type"), "dxa")
            at += n
    _paragraphs(doc, list(below))
    buf = io.BytesIO()
    doc.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.docx")
    tmp.write_bytes(buf.getvalue())
    parts = {
        "word/styles.xml": lambda x: word_fonts(word_styles(x)),
        "word/stylesWithEffects.xml": word_fonts,
        "word/numbering.xml": word_fonts,
        "word/settings.xml": word_settings,
    }
    data = rewrite(tmp, parts)
    tmp.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalize(data, STAMP))


def excel_form(
    path: Path,
    widths: list[float],
    above: list[tuple[str, dict]],
    rows: list[Row],
    merges: Sequence[tuple[int, int, int, int]] = (),
    heights: dict[int, float] | None = None,
    below: Sequence[tuple[str, dict]] = (),
) -> None:
    """Write the Excel template: one merged row per paragraph `above`, then the grid (row 1
    of `rows` is sheet row len(above)+1); `merges` (first row, first col, last row, last
    col; 1-based, in `rows`' numbering) are merged over the rows' own spans, whose cells
    inside such a block must then be given one column each; `heights` (grid row index ->
    points) fixes the rows a merged block of long text needs (Calc sizes a row by its own
    cells only)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ncols = sum(c[1] for c in rows[0])
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + i)].width = w
    r = 0
    for text, opts in above:  # one merged row each, or the row's `xparts`: (text, span) cells
        r += 1
        c = 1
        for part, span in opts.get("xparts", [(text, ncols)]):
            cell = ws.cell(r, c, part)
            cell.data_type = "s"
            cell.font = Font(name=opts.get("face", SONG), charset=134, size=opts.get("xsize", 10), bold=bool(opts.get("bold")))
            cell.alignment = EXCEL_ALIGN[opts.get("align", "center")]
            if span > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
            c += span
        ws.row_dimensions[r].height = opts.get("height", 18)
    top = r
    body = Font(name=SONG, charset=134, size=10)
    for row in rows:
        r += 1
        c = 1
        for spec in row:
            text, span, opts = spec[0], spec[1], _opts(spec)
            text = opts.get("xlsx", text)
            for k in range(c, c + span):
                cell = ws.cell(r, k)
                cell.font = (
                    Font(name=SONG, charset=134, size=opts.get("xsize", 10), bold=bool(opts.get("bold"))) if opts.get("bold") or "xsize" in opts else body
                )
                cell.alignment = EXCEL_ALIGN[opts.get("align", "center")]
                cell.border = BOX
                if "fmt" in opts:
                    cell.number_format = opts["fmt"]
            if text:
                cell = ws.cell(r, c)
                cell.value = text
                cell.data_type = "s"
            if span > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
            c += span
        assert c - 1 == ncols, f"row {r} spans {c - 1} columns"
        if heights and r - top - 1 in heights:
            ws.row_dimensions[r].height = heights[r - top - 1]
    for first, left, last, right in merges:
        ws.merge_cells(start_row=top + first, start_column=left, end_row=top + last, end_column=right)
    for text, opts in below:  # notes under the form: one merged, wrapped row each
        r += 1
        cell = ws.cell(r, 1, text)
        cell.data_type = "s"
        cell.font = Font(name=SONG, charset=134, size=opts.get("xsize", 10))
        cell.alignment = EXCEL_ALIGN[opts.get("align", "left")]
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = opts.get("height", 12 * (1 + len(text) // 90))
    save_xlsx(wb, path)


def vmerge_block(rows: list[Row], col: int, first: int, last: int) -> tuple[int, int, int, int]:
    """The Excel merge of column `col` (0-based grid column, spanning one column) over the
    grid rows first..last (0-based), as `excel_form` takes it."""
    return (first + 1, col + 1, last + 1, col + 1)


__all__ = ["FANGSONG", "SONG", "Cm", "excel_form", "vmerge_block", "word_form"]
