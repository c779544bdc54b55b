"""The Excel side of the annual book: a 汇总 sheet with Excel formula totals, then the
rendered form sheets copied in, each under a valid and unique sheet name.

openpyxl writes formulas without results; Excel recomputes them on opening
(`fullCalcOnLoad`), but LibreOffice and other readers show the cached result, so
the results docgen computed (in `Decimal`) are written beside each formula.
"""

from __future__ import annotations

import io
import re
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

from .package import Entry, normalize

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_LIMIT = 31


def _strip_quotes(name: str) -> str:
    """Excel refuses a sheet name that begins or ends with an apostrophe."""
    previous = None
    while previous != name:
        previous, name = name, name.strip().strip("'")
    return name


def sheet_names(wanted: list[str], taken: tuple[str, ...] = ()) -> list[str]:
    """Valid, unique (Excel compares case-insensitively) names of at most 31 characters."""
    used = {t.casefold() for t in taken}
    out = []
    for name in wanted:
        base = _strip_quotes(_BAD_SHEET_CHARS.sub("_", name)) or "表"
        if base.casefold() == "history":  # reserved by Excel
            base += "_"
        candidate = _strip_quotes(base[:SHEET_NAME_LIMIT]) or "表"
        n = 1
        while candidate.casefold() in used:
            n += 1
            suffix = f"({n})"
            candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def copy_sheet(source: Worksheet, target: Worksheet) -> None:
    """Cells with their values, types and styles, merges, sizes and print set-up."""
    # Style ids are per workbook: translate each distinct source style once, not per cell.
    styles: dict[tuple[int, ...], Any] = {}
    for row in source.iter_rows():
        for cell in row:
            new = target.cell(cell.row, cell.column)
            new.value = cell.value
            if isinstance(cell.value, str):
                new.data_type = "s"  # text stays text, even `=100%`
            if cell.has_style:
                key = tuple(cell._style)
                if key not in styles:
                    new.font = copy(cell.font)
                    new.border = copy(cell.border)
                    new.fill = copy(cell.fill)
                    new.number_format = cell.number_format
                    new.alignment = copy(cell.alignment)
                    new.protection = copy(cell.protection)
                    styles[key] = copy(new._style)
                else:
                    new._style = copy(styles[key])
    for merged in source.merged_cells.ranges:
        target.merge_cells(str(merged))
    for key, dim in source.column_dimensions.items():
        target.column_dimensions[key].width = dim.width
    for key, dim in source.row_dimensions.items():
        if dim.height is not None:
            target.row_dimensions[key].height = dim.height
    setup, new_setup = source.page_setup, target.page_setup
    new_setup.paperSize, new_setup.orientation = setup.paperSize, setup.orientation
    new_setup.fitToWidth, new_setup.fitToHeight = setup.fitToWidth, setup.fitToHeight
    target.sheet_properties.pageSetUpPr = copy(source.sheet_properties.pageSetUpPr)
    target.page_margins = copy(source.page_margins)
    target.print_options.horizontalCentered = source.print_options.horizontalCentered
    if source.print_area:
        target.print_area = source.print_area[0].split("!")[-1] if isinstance(source.print_area, list) else str(source.print_area).split("!")[-1]


@dataclass(frozen=True)
class Column:
    title: str
    key: str
    width: float
    number_format: str | None = None
    total: str | None = None  # formula template for the totals row, {col} and {first}/{last}


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
BODY = Font(name="宋体", charset=134, size=10)
BOLD = Font(name="宋体", charset=134, size=10, bold=True)


def summary_sheet(ws: Worksheet, title: str, columns: list[Column], rows: list[dict[str, Any]], totals: dict[str, Any]) -> dict[str, Any]:
    """Write the 汇总 sheet; return {cell: cached result} of its formula cells."""
    ws.title = "汇总"
    last_col = get_column_letter(len(columns))
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = title
    ws["A1"].font = Font(name="黑体", charset=134, size=14, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(2, c, col.title)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
        ws.column_dimensions[get_column_letter(c)].width = col.width
    first, last = 3, 2 + len(rows)
    for r, row in enumerate(rows, start=first):
        for c, col in enumerate(columns, start=1):
            value = row.get(col.key)
            cell = ws.cell(r, c)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"
            else:
                cell.value = value
            cell.font, cell.border = BODY, BOX
            cell.alignment = LEFT if isinstance(value, str) and col.key == "name" else CENTER
            if col.number_format:
                cell.number_format = col.number_format
    total_row = last + 1
    cached: dict[str, Any] = {}
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(total_row, c)
        cell.font, cell.border, cell.alignment = BOLD, BOX, CENTER
        if col.number_format:
            cell.number_format = col.number_format
        letter = get_column_letter(c)
        if col.total and rows:
            cell.value = "=" + col.total.format(col=letter, first=first, last=last, **{k: get_column_letter(i + 1) for i, k in enumerate(x.key for x in columns)})
            cached[f"{letter}{total_row}"] = totals.get(col.key)
        elif c == 1:
            cell.value = "合计"
    ws.freeze_panes = "A3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:2"
    return cached


def _cache_results(cached: dict[str, Any]) -> Callable[[str], str]:
    """Put each formula's result (`<v>`) beside it, so readers that do not recalculate see it."""

    def rewrite(text: str) -> str:
        for ref, value in cached.items():
            if value is None or value == "":
                continue
            shown = f"{value:f}" if isinstance(value, Decimal) else str(value)
            text = re.sub(
                rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                lambda m: f"{m.group(1)}{m.group(2)}<v>{shown}</v>",
                text,
                count=1,
            )
        return text

    return rewrite


def book_workbook(
    title: str,
    columns: list[Column],
    rows: list[dict[str, Any]],
    totals: dict[str, Any],
    sheets: list[tuple[str, bytes]],
    stamp: datetime,
) -> bytes:
    """汇总 first, then the first sheet of each rendered form workbook under its name."""
    wb = Workbook()
    cached = summary_sheet(wb.active, title, columns, rows, totals)
    summary = _write_out(wb.active, 1)
    names = sheet_names([name for name, _ in sheets], taken=("汇总",))
    written: dict[str, Entry] = {}
    for number, (name, (_, data)) in enumerate(zip(names, sheets), start=2):
        source = load_workbook(io.BytesIO(data)).worksheets[0]
        ws = wb.create_sheet(name)
        copy_sheet(source, ws)
        part = f"xl/worksheets/sheet{number}.xml"
        written[part] = Entry.of(part, _write_out(ws, number))
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    wb.properties.creator = "docgen"
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    rewrite = {"xl/worksheets/sheet1.xml": _cache_results(cached)}
    return normalize(buf.getvalue(), stamp, rewrite, raw={"xl/worksheets/sheet1.xml": lambda _: summary}, entries=written)


def _write_out(ws: Worksheet, number: int) -> bytes:
    """Serialize sheet `number` now, as `Workbook.save` would (the same style and shared
    string tables grow in the same order: sheets are written in order either way), and
    drop its cells: a 2,000-sheet book keeps one sheet's cells at a time, plus each
    sheet's compressed XML.  `save` then writes the emptied sheet, which is replaced."""
    ws._drawing = SpreadsheetDrawing()
    ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
    ws._id = number
    writer = WorksheetWriter(ws)
    try:
        writer.write()
        with open(writer.out, "rb") as fh:
            xml = fh.read()
    finally:
        writer.cleanup()
    ws._cells.clear()
    ws.merged_cells.ranges.clear()
    return xml


def merge_workbooks(sheets: list[tuple[str, bytes]], stamp: datetime) -> bytes:
    """One workbook with the first sheet of each of `sheets` (the departmental .xlsx)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, (_, data) in zip(sheet_names([n for n, _ in sheets]), sheets):
        copy_sheet(load_workbook(io.BytesIO(data)).worksheets[0], wb.create_sheet(name))
    wb.properties.creator = "docgen"
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), stamp)
