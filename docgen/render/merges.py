"""Merged cells at openpyxl's result without openpyxl's cost.

`Worksheet.merge_cells` (and `load_workbook`, which merges every range it reads) gives
each cell on a merged range's edge the border of the range's top-left cell, one cell
at a time: every step builds a `Border` and finds it in the workbook's border table
by deep comparison.  A sheet of forms holds a few hundred merged cells but only a
handful of distinct border combinations, so `Merger` works each combination out once
per workbook and sets the others by id; the cells, their style ids, the set of ranges
and so the saved bytes are the ones openpyxl's own calls give.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from copy import copy
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorksheetReader
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet


def style_array(cell: Cell) -> StyleArray:
    """A cell's style ids (a new MergedCell has none until a style is set)."""
    if cell._style is None:
        cell._style = StyleArray()
    return cell._style


class Merger:
    """`merge(ws, …)` does what `ws.merge_cells(…)` does; one `Merger` per workbook (the
    border and protection ids it remembers are that workbook's)."""

    def __init__(self) -> None:
        self._styles: dict[tuple[Any, ...], int] = {}

    def merge(self, ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
        self.add(ws, self.range(ws, r1, c1, r2, c2))

    def range(self, ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> MergedCellRange:
        """`MergedCellRange(ws, ref)`: its top-left cell, given the bottom-right's outer borders."""
        mcr = MergedCellRange.__new__(MergedCellRange)
        mcr.ws = ws
        CellRange.__init__(mcr, min_col=c1, min_row=r1, max_col=c2, max_row=r2)
        start = ws._cells.get((r1, c1)) or ws.cell(row=r1, column=c1)
        mcr.start_cell = start
        end = ws._cells.get((r2, c2))
        if end is not None:  # MergedCellRange._get_borders
            self._border(start, ("corner", style_array(end).borderId), lambda: start.border + Border(right=end.border.right, bottom=end.border.bottom))
        return mcr

    def add(self, ws: Worksheet, mcr: MergedCellRange) -> None:
        ws.merged_cells.add(mcr)
        self.clean(ws, mcr)

    def clean(self, ws: Worksheet, mcr: MergedCellRange) -> None:
        """`Worksheet._clean_merge_range`: every cell but the top-left a `MergedCell`, the
        edges bordered as the top-left cell is, the protection copied to all."""
        start = mcr.start_cell
        cells = mcr.cells
        next(cells)
        for row, col in cells:
            ws._cells[row, col] = MergedCell(ws, row, col)
        for name in ("top", "left", "right", "bottom"):  # MergedCellRange.format
            border_id = style_array(start).borderId
            side = getattr(ws.parent._borders[border_id], name)
            if side and side.style is None:
                continue
            for coord in getattr(mcr, name):
                cell = ws._cells[coord]
                self._border(cell, (name, border_id), lambda: cell.border + Border(**{name: side}))
        protection = self._styles.get(("protection", style_array(start).protectionId))
        if protection is None:
            protection = ws.parent._protections.add(copy(start.protection))
            self._styles[("protection", start._style.protectionId)] = protection
        for row, col in mcr.cells:
            style_array(ws._cells[row, col]).protectionId = protection

    def _border(self, cell: Cell, how: tuple[Any, ...], combined: Callable[[], Border]) -> None:
        key = (style_array(cell).borderId, *how)
        if key not in self._styles:
            self._styles[key] = cell.parent.parent._borders.add(combined())
        cell._style.borderId = self._styles[key]


class _SheetReader(WorksheetReader):
    """openpyxl's sheet reader, merging what it read through a `Merger`."""

    def bind_merged_cells(self) -> None:
        if not self.parser.merged_cells:
            return
        merger, ranges = Merger(), []
        for merged in self.parser.merged_cells.mergeCell:
            ref = CellRange(merged.ref)
            mcr = merger.range(self.ws, ref.min_row, ref.min_col, ref.max_row, ref.max_col)
            merger.clean(self.ws, mcr)
            ranges.append(mcr)
        self.ws.merged_cells = MultiCellRange(ranges)


def first_sheet(data: bytes) -> Worksheet:
    """The first worksheet of a workbook docgen rendered (cells, styles, merges, sizes and
    print set-up; no charts, comments or tables, which forms do not have), as
    `load_workbook(io.BytesIO(data)).worksheets[0]` reads it."""
    reader = ExcelReader(io.BytesIO(data))
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheet, rel = next(iter(reader.parser.find_sheets()))
        ws = reader.wb.create_sheet(sheet.name)
        with reader.archive.open(rel.target) as fh:
            _SheetReader(ws, fh, reader.shared_strings, False, False).bind_all()
        reader.parser.assign_names()
        return ws
    finally:
        reader.archive.close()
