"""Workbooks read for their values: cells, number formats and merged ranges, what an
import needs.  openpyxl's `load_workbook` also gives every cell of a merged range the
borders of the range, one cell at a time: 24 of the 27 s a 200-form book took to import.
Here the ranges are kept as ranges, and charts, comments, drawings and pivot tables (no
form holds one) are not read."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorksheetReader
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange


class _ValuesReader(WorksheetReader):
    def bind_merged_cells(self) -> None:
        merged = self.parser.merged_cells
        self.ws.merged_cells = MultiCellRange([CellRange(m.ref) for m in merged.mergeCell] if merged else [])


class _Reader(ExcelReader):
    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = self.wb.create_sheet(sheet.name)
            with self.archive.open(rel.target) as fh:
                _ValuesReader(ws, fh, self.shared_strings, self.data_only, self.rich_text).bind_all()
            ws.sheet_state = sheet.state


def values_workbook(data: bytes, data_only: bool = True) -> Workbook:
    """The workbook in `data` as `load_workbook(…, data_only=data_only)` reads its cells
    and merged ranges (`ws.merged_cells.ranges`: plain `CellRange`s)."""
    reader = _Reader(io.BytesIO(data), data_only=data_only, keep_links=False)
    reader.read()
    return reader.wb


# A formula cell with no saved result: `<c …><f>SUM(…)</f></c>`, or an empty `<v/>`.
_UNCALCULATED = re.compile(rb"<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def uncalculated(data: bytes) -> bool:
    """Does a sheet of the workbook hold a formula whose result was never saved?"""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return any(_UNCALCULATED.search(z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
