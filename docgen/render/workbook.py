"""The Excel side of the annual book: a 汇总 sheet with Excel formula totals, then the
rendered form sheets copied in, each under a valid and unique sheet name.

openpyxl writes formulas without results; Excel recomputes them on opening
(`fullCalcOnLoad`), but LibreOffice and other readers show the cached result, so
the results docgen computed (in `Decimal`) are written beside each formula.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from docgen.render.jinja import clean_text
from docgen.render.merges import Merger, first_sheet
from docgen.render.package import Entry, normalize
from docgen.render.sheet_copy import StyleTranslator, sheet_xml

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f\ufffe\uffff]")
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


def set_text(cell: Any, text: str) -> None:
    """Store `text` as text (never a formula, even `=1+1`), without the control
    characters XML forbids (openpyxl refuses them)."""
    cell.value = clean_text(text)
    cell.data_type = "s"


def copy_sheet(source: Worksheet, target: Worksheet, merger: Merger) -> None:
    """Cells with their values, types and styles, merges (through the target workbook's
    `merger`), sizes and print set-up."""
    # Style ids are per workbook: translate each distinct source style once, not per cell.
    styles: dict[tuple[int, ...], Any] = {}
    for row in source.iter_rows():
        for cell in row:
            new = target.cell(cell.row, cell.column)
            if isinstance(cell.value, str):
                set_text(new, cell.value)  # text stays text, even `=100%`
            else:
                new.value = cell.value
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
        merger.merge(target, merged.min_row, merged.min_col, merged.max_row, merged.max_col)
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
LEFT_KEYS = ("name", "text", "where")  # columns of long text: left-aligned


# Row heights, as Excel's autofit would set them (Excel and LibreOffice do not grow a
# row of wrapped text written by a program: the row keeps its default height and the text
# is printed over the next row).  A column `width` is in Excel's units, about one Latin
# character of the default font (7 px) plus 5 px of padding; at the sheets' 10 pt a CJK
# character takes two (1.9 in fact, which leaves room for Latin letters a little wider
# than one).  A line of 10 pt text takes 14.5 pt in
# LibreOffice's Noto CJK (13.5 pt in Excel's 宋体), plus 3 pt for the row's border and
# padding: the estimate errs on the tall side, a row a little roomy rather than clipped.
LINE_PT = Decimal("14.5")
ROW_PAD_PT = Decimal("3")


def char_units(ch: str) -> int:
    """The width of `ch` in Excel column units at the sheets' font: 2 for a CJK (wide or
    full-width) character, else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_lines(text: str, width: float, size: float = 10, bold: bool = False) -> int:
    """How many lines `text` takes in a wrapped cell `width` units wide at `size` pt: each
    paragraph broken greedily, a CJK character anywhere, a run of Latin letters and
    digits (a path, an amount) as a whole when it fits on a line of its own."""
    room = Decimal(str(width)) * Decimal(10) / Decimal(str(size))
    if bold:
        room = room * Decimal("0.94")  # bold glyphs are a little wider
    room = max(room, Decimal(2))
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = Decimal(0)
        for word in re.findall(r"[A-Za-z0-9.,:/_\-%()]+|.", paragraph):
            units = Decimal(sum(char_units(c) for c in word))
            if used + units <= room:
                used += units
                continue
            if len(word) > 1 and units <= room:  # the word moves to the next line whole
                lines += 1
                used = units
                continue
            for c in word:  # broken between characters
                u = char_units(c)
                if used + u > room and used:
                    lines += 1
                    used = Decimal(0)
                used += u
    return lines


def row_height(lines: int, size: float = 10) -> float:
    """The height in points of a row of `lines` lines of `size` pt text."""
    scale = Decimal(str(size)) / Decimal(10)
    return float(math.ceil(LINE_PT * scale * lines + ROW_PAD_PT))


def fit_row(ws: Worksheet, row: int, widths: dict[int, float], size: float = 10, bold: bool = False, least: float = 0) -> None:
    """Set row `row`'s height (`ht` and `customHeight`) to hold the wrapped text of its
    cells, `widths` the width of each column by number (a merged cell: its span's sum)."""
    lines = 1
    for column, width in widths.items():
        value = ws.cell(row, column).value
        if isinstance(value, str) and value:
            lines = max(lines, text_lines(value, width, size, bold))
    ws.row_dimensions[row].height = max(row_height(lines, size), least)


def summary_sheet(
    ws: Worksheet, title: str, columns: list[Column], rows: list[dict[str, Any]], totals: dict[str, Any], totals_row: bool = True
) -> dict[str, Any]:
    """Write the 汇总 sheet (title, headers, rows, and a totals row of formulas unless not
    `totals_row`); return {cell: cached result} of its formula cells."""
    ws.title = "汇总"
    last_col = get_column_letter(len(columns))
    ws.merge_cells(f"A1:{last_col}1")
    set_text(ws["A1"], title)
    ws["A1"].font = Font(name="黑体", charset=134, size=14, bold=True)
    ws["A1"].alignment = CENTER
    widths = {c: col.width for c, col in enumerate(columns, start=1)}
    fit_row(ws, 1, {1: sum(widths.values())}, size=14, bold=True, least=30)
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(2, c)
        set_text(cell, col.title)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
        ws.column_dimensions[get_column_letter(c)].width = col.width
    fit_row(ws, 2, widths, bold=True)
    first, last = 3, 2 + len(rows)
    for r, row in enumerate(rows, start=first):
        for c, col in enumerate(columns, start=1):
            value = row.get(col.key)
            cell = ws.cell(r, c)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
            cell.font, cell.border = BODY, BOX
            cell.alignment = LEFT if isinstance(value, str) and col.key in LEFT_KEYS else CENTER
            if col.number_format:
                cell.number_format = col.number_format
        fit_row(ws, r, {c: w for c, w in widths.items() if isinstance(row.get(columns[c - 1].key), str)})
    total_row = last + 1
    cached: dict[str, Any] = {}
    for c, col in enumerate(columns if totals_row else [], start=1):
        cell = ws.cell(total_row, c)
        cell.font, cell.border, cell.alignment = BOLD, BOX, CENTER
        if col.number_format:
            cell.number_format = col.number_format
        letter = get_column_letter(c)
        if col.total and rows:
            cell.value = "=" + col.total.format(
                col=letter, first=first, last=last, **{k: get_column_letter(i + 1) for i, k in enumerate(x.key for x in columns)}
            )
            cached[f"{letter}{total_row}"] = totals.get(col.key)
        elif c == 1:
            set_text(cell, "合计")
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
                # The formula gives "" (no rate without execution): cached as an empty
                # string, so no reader (WPS) shows a formula without its value.
                text = re.sub(
                    rf'<c r="{ref}"([^>]*?)(?: t="\w+")?([^>]*)>(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                    lambda m: f'<c r="{ref}"{m.group(1)}{m.group(2)} t="str">{m.group(3)}<v></v>',
                    text,
                    count=1,
                )
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
    styles, merger = StyleTranslator(wb), Merger()
    for number, (name, (_, data)) in enumerate(zip(names, sheets), start=2):
        ws = wb.create_sheet(name)  # a placeholder: its part is the form's sheet XML
        part = f"xl/worksheets/sheet{number}.xml"
        copied = sheet_xml(data, styles)
        if copied is None:  # a workbook docgen did not write the usual way
            copy_sheet(first_sheet(data), ws, merger)
            written[part] = Entry.of(part, _write_out(ws, number))
            continue
        xml, area = copied
        if area:
            ws.print_area = area
        written[part] = Entry.of(part, xml)
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


@dataclass(frozen=True)
class Table:
    """A sheet of `tables_workbook`: like the book's 汇总 sheet, plus a filter on its header
    row and, where `highlight` (a formula over data row {row}, columns named by key as in
    `Column.total`) holds, the row filled red."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None  # the cached results of the totals row; None: no totals row
    highlight: str = ""


ERROR_FILL = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
ERROR_FONT = Font(color="9C0006")


def _decorate(ws: Worksheet, table: Table) -> None:
    last_col = get_column_letter(len(table.columns))
    last = 2 + len(table.rows)
    ws.auto_filter.ref = f"A2:{last_col}{last}"
    if table.highlight and table.rows:
        letters = {c.key: get_column_letter(i + 1) for i, c in enumerate(table.columns)}
        formula = table.highlight.format(row=3, **letters)
        ws.conditional_formatting.add(f"A3:{last_col}{last}", FormulaRule(formula=[formula], fill=ERROR_FILL, font=ERROR_FONT))


def tables_workbook(tables: list[Table], stamp: datetime) -> bytes:
    """A workbook of `tables`, one sheet each in order, totals as formulas with their
    cached results; the same tables give the same bytes."""
    wb = Workbook()
    rewrites = {}
    for n, table in enumerate(tables):
        ws = wb.active if n == 0 else wb.create_sheet()
        cached = summary_sheet(ws, table.title, table.columns, table.rows, table.totals or {}, totals_row=table.totals is not None)
        ws.title = table.name
        _decorate(ws, table)
        rewrites[f"xl/worksheets/sheet{n + 1}.xml"] = _cache_results(cached)
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    wb.properties.creator = "docgen"
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), stamp, rewrites)


def merge_workbooks(sheets: list[tuple[str, bytes]], stamp: datetime) -> bytes:
    """One workbook with the first sheet of each of `sheets` (the departmental .xlsx)."""
    wb = Workbook()
    wb.remove(wb.active)
    merger = Merger()
    for name, (_, data) in zip(sheet_names([n for n, _ in sheets]), sheets):
        copy_sheet(first_sheet(data), wb.create_sheet(name), merger)
    wb.properties.creator = "docgen"
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), stamp)


def text_workbook(lines: list[str], stamp: datetime, width: float = 80) -> bytes:
    """A one-column sheet of paragraphs (a document's text before its tables), wrapped to
    fit an A4 page: rows as tall as their text (`fit_row`)."""
    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = width
    for n, line in enumerate(lines, start=1):
        cell = ws.cell(n, 1)
        cell.value = line
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        fit_row(ws, n, {1: width}, size=11)  # the workbook's default font, 11 pt
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), stamp)
