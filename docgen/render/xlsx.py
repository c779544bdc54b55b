"""The Excel adapter: a small template engine over an openpyxl workbook.

Tags mirror the Word templates so one mental model serves both:
- `{{ expr }}` as the whole cell stores the value itself: a `Decimal` becomes a
  number (shown with the template cell's number format), text stays text;
- any other text with tags is rendered to a string;
- a row with a cell holding `{%tr for x in items %}` and one holding `{%tr endfor %}`
  repeat the rows between them per item (the marker rows disappear); merged ranges
  that reach into the repeated rows grow with them;
- `{% vmerge EXPR %}` at the start of a cell in repeated rows merges it down over
  the following rows while EXPR is 'continue'.

Text is always stored as text: a target value `=100%` must never become a formula.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import re
from collections import defaultdict
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.utils.bound_dictionary import BoundDictionary
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.dimensions import DimensionHolder
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import TemplateError
from docgen.model.fields import EXCEL_CELL_MAX
from docgen.render.jinja import clean_text, make_env, template_errors
from docgen.render.merges import Merger
from docgen.render.package import normalize
from docgen.render.tags import has_tags, row_end, row_loop, split_vmerge, whole_expression

# Points per line of 11pt CJK text, and characters per unit of column width
# (a CJK character is about two width units).
_LINE_HEIGHT = 15.0
_CJK_WIDTH = 2.0
_MERGE_REF = re.compile(r'<(?:\w+:)?mergeCell\s+ref="([^"]+)"')


def _bound_dictionary(cls: Any, state: dict[str, Any], factory: Any, items: dict[Any, Any]) -> BoundDictionary:
    made = cls.__new__(cls)
    defaultdict.__init__(made, factory)
    made.__dict__.update(state)
    dict.update(made, items)
    return made


def _reduce_bound(x: BoundDictionary) -> tuple[Any, ...]:
    return _bound_dictionary, (type(x), dict(x.__dict__), x.default_factory, dict(x))


# openpyxl's IndexedList (style tables) and BoundDictionary (row and column sizes) lose
# their contents when pickled or copied; teach pickle and copy to rebuild them.
copyreg.pickle(IndexedList, lambda x: (IndexedList, (list(x),)))
for _holder in (BoundDictionary, DimensionHolder):
    copyreg.pickle(_holder, _reduce_bound)


@dataclass
class _TemplateRow:
    index: int
    height: float | None
    cells: list[tuple[Any, Any]]  # (value, style) per column


def _snapshot(ws: Worksheet) -> list[_TemplateRow]:
    rows = []
    for r in range(1, ws.max_row + 1):
        dim = ws.row_dimensions.get(r)
        cells = [(ws.cell(r, c).value, copy(ws.cell(r, c)._style)) for c in range(1, ws.max_column + 1)]
        rows.append(_TemplateRow(r, dim.height if dim is not None else None, cells))
    return rows


@dataclass
class _Shape:
    """A template sheet as read before it is cleared: its rows, merges and width."""

    rows: list[_TemplateRow]
    merges: list[tuple[int, int, int, int]]  # in the order the sheet unmerged them
    ncols: int
    loaded: list[str] = field(default_factory=list)  # the merges in the order openpyxl read them


def _merges_as_read(template: Path) -> list[list[str]]:
    """Each worksheet's merged ranges in file order, as `load_workbook` adds them."""
    reader = ExcelReader(template)
    try:
        reader.read_manifest()
        reader.read_workbook()
        found = []
        for _, rel in reader.parser.find_sheets():
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                found.append(_MERGE_REF.findall(reader.archive.read(rel.target).decode("utf-8")))
        return found
    finally:
        reader.archive.close()


def _replay_merges(ws: Worksheet, shape: _Shape) -> None:
    """Give the copy's (empty) set of merges the history the template's had: openpyxl
    writes merges in set order, which depends on what was added and removed before."""
    ranges = ws.merged_cells.ranges
    for ref in shape.loaded:
        ranges.add(CellRange(ref))
    for r1, c1, r2, c2 in shape.merges:
        ranges.remove(CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2))


def _clear(ws: Worksheet) -> _Shape:
    """Read the template sheet's rows and merges, then empty it for the rendered rows."""
    rows = _snapshot(ws)
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    for m in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(m))
    ncols = ws.max_column
    ws.delete_rows(1, ws.max_row)
    return _Shape(rows, merges, ncols)


def _texts(row: _TemplateRow) -> list[object]:
    """A loop marker may sit in any cell of its row (column A is often a merged label)."""
    return [value for value, _ in row.cells]


class _Renderer:
    def __init__(self, template: Path, context: dict[str, Any], compiled: dict[tuple[str, str], Any] | None = None):
        self.template = template
        self.context = context
        self.env = make_env(autoescape=False)
        self._compiled: dict[tuple[str, str], Any] = {} if compiled is None else compiled  # a form repeats the same cell sources
        self._merger = Merger()  # one per rendered workbook

    def merge(self, ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
        self._merger.merge(ws, r1, c1, r2, c2)

    def expression(self, source: str) -> Any:
        key = ("expr", source)
        if key not in self._compiled:
            self._compiled[key] = self.env.compile_expression(source, undefined_to_none=False)
        return self._compiled[key]

    def text_template(self, source: str) -> Any:
        key = ("text", source)
        if key not in self._compiled:
            self._compiled[key] = self.env.from_string(source)
        return self._compiled[key]

    def value(self, text: str, scope: dict[str, Any]) -> Any:
        """The cell value for template text `text`."""
        whole = whole_expression(text)
        if whole is not None:
            value = self.expression(whole)(**scope)
            if value is None:
                return None
            if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
                return value
            return clean_text(str(value))
        return clean_text(self.text_template(text).render(**scope))

    def sheet(self, ws: Worksheet) -> None:
        self.fill(ws, _clear(ws))

    def fill(self, ws: Worksheet, shape: _Shape) -> None:
        """Write the rendered rows into `ws`, cleared of the template's cells (`_clear`)."""
        rows, merges, ncols = shape.rows, shape.merges, shape.ncols
        out_row = 0
        row_map: dict[int, tuple[int, int]] = {}  # template row -> (first, last) output row
        copies: dict[int, list[int]] = {}  # repeated template row -> its output row per item
        vmerges: list[tuple[int, int, int]] = []  # (col, first, last)
        i = 0
        while i < len(rows):
            loop = row_loop(_texts(rows[i]))
            if not loop:
                out_row += 1
                self.write_row(ws, out_row, rows[i], self.context)
                row_map[rows[i].index] = (out_row, out_row)
                i += 1
                continue
            end = next((j for j in range(i + 1, len(rows)) if row_end(_texts(rows[j]))), None)
            if end is None:
                raise TemplateError(self.template, f"第 {rows[i].index} 行的 {{%tr for %}} 没有对应的 {{%tr endfor %}}")
            var, expr = loop
            items = list(self.expression(expr)(**self.context))
            body = rows[i + 1 : end]
            starts: dict[int, list[tuple[int, int]]] = {}
            for n, item in enumerate(items):
                scope = {**self.context, var: item, "loop": {"index": n + 1, "first": n == 0, "last": n == len(items) - 1}}
                for tr in body:
                    out_row += 1
                    flags = self.write_row(ws, out_row, tr, scope)
                    lo, _ = row_map.get(tr.index, (out_row, out_row))
                    row_map[tr.index] = (lo, out_row)
                    copies.setdefault(tr.index, []).append(out_row)
                    for col, flag in flags.items():
                        runs = starts.setdefault(col, [])
                        if flag == "continue" and runs:
                            runs[-1] = (runs[-1][0], out_row)
                        else:
                            runs.append((out_row, out_row))
            for col, runs in starts.items():
                vmerges += [(col, a, b) for a, b in runs if b > a]
            if not items:
                for tr in body:
                    row_map[tr.index] = (out_row + 1, out_row)  # empty span
            row_map[rows[i].index] = row_map[rows[end].index] = (out_row + 1, out_row)
            i = end + 1

        for r1, c1, r2, c2 in merges:
            if r1 in copies and r2 in copies:
                # A merge inside the repeated rows repeats with them, once per item.
                for top, bottom in zip(copies[r1], copies[r2]):
                    self.merge(ws, top, c1, bottom, c2)
                continue
            top = row_map.get(r1, (r1, r1))[0]
            bottom = row_map.get(r2, (r2, r2))[1]
            if bottom >= top and (bottom > top or c2 > c1):
                self.merge(ws, top, c1, bottom, c2)
        for col, a, b in vmerges:
            self.merge(ws, a, col, b, col)
        self.fit_heights(ws, ncols)
        ws.print_area = f"A1:{get_column_letter(ncols)}{max(out_row, 1)}"

    def write_row(self, ws: Worksheet, r: int, tr: _TemplateRow, scope: dict[str, Any]) -> dict[int, str]:
        flags: dict[int, str] = {}
        if tr.height is not None:
            ws.row_dimensions[r].height = tr.height
        for c, (value, style) in enumerate(tr.cells, start=1):
            cell: Cell = ws.cell(r, c)
            cell._style = copy(style)
            if isinstance(value, str) and has_tags(value):
                merge, value = split_vmerge(value)
                if merge is not None:
                    flags[c] = str(self.expression(merge)(**scope))
                value = self.value(value, scope) if value.strip() else None
            self.set(cell, value)
        return flags

    @staticmethod
    def set(cell: Cell, value: Any) -> None:
        if isinstance(value, str):
            # Template text too: XML forbids control characters.  Excel holds 32,767 characters
            # in a cell; a longer text is cut here, and reported by `rules.check_text_lengths`.
            cell.value = clean_text(value)[:EXCEL_CELL_MAX]
            cell.data_type = "s"  # never a formula, whatever the text starts with
        else:
            cell.value = value

    @staticmethod
    def fit_heights(ws: Worksheet, ncols: int) -> None:
        """Grow rows so wrapped text shows whole: Excel does not auto-fit merged cells."""
        widths = [(ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, ncols + 1)]
        spans: dict[tuple[int, int], tuple[float, int]] = {}
        for m in ws.merged_cells.ranges:
            spans[(m.min_row, m.min_col)] = (sum(widths[m.min_col - 1 : m.max_col]), m.max_row - m.min_row + 1)
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ncols):
            need = 0.0
            for cell in row:
                if not isinstance(cell.value, str) or not cell.value:
                    continue
                width, nrows = spans.get((cell.row, cell.column), (widths[cell.column - 1], 1))
                per_line = max(int(width / _CJK_WIDTH), 1)
                lines = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
                size = (cell.font.sz or 11) / 11
                need = max(need, lines * _LINE_HEIGHT * size / nrows)
            current = ws.row_dimensions[row[0].row].height or _LINE_HEIGHT
            if need > current:
                ws.row_dimensions[row[0].row].height = round(need + 3, 1)


def render_xlsx(template: Path, context: dict[str, Any], stamp: datetime) -> bytes:
    """Render every sheet of `template`; return the .xlsx bytes (nothing is written)."""
    if not template.is_file():
        raise TemplateError(template, "模板文件不存在")
    with template_errors(template):
        wb = load_workbook(template)
        renderer = _Renderer(template, context)
        for ws in wb.worksheets:
            renderer.sheet(ws)
        wb.properties.created = wb.properties.modified = stamp
        buf = io.BytesIO()
        wb.save(buf)
    return normalize(buf.getvalue(), stamp)


class XlsxForm:
    """An Excel template prepared once per render, then rendered for many contexts with
    the same bytes `render_xlsx` gives: the workbook is read once, each sheet's cells,
    styles and merges taken and the sheet cleared; each form starts from a copy of that
    cleared workbook (unpickled: far cheaper than reading the file), and the cell
    expressions are compiled once for all forms."""

    def __init__(self, template: Path, stamp: datetime):
        if not template.is_file():
            raise TemplateError(template, "模板文件不存在")
        self.template, self.stamp = template, stamp
        self.compiled: dict[tuple[str, str], Any] = {}
        with template_errors(template):
            wb = load_workbook(template)
            self.shapes = [_clear(ws) for ws in wb.worksheets]
            for shape, loaded in zip(self.shapes, _merges_as_read(template)):
                shape.loaded = loaded
            self.cleared = pickle.dumps(wb, protocol=pickle.HIGHEST_PROTOCOL)

    def render(self, context: dict[str, Any]) -> bytes:
        """The .xlsx bytes of the form for `context`."""
        with template_errors(self.template):
            wb = pickle.loads(self.cleared)
            renderer = _Renderer(self.template, context, self.compiled)
            for ws, shape in zip(wb.worksheets, self.shapes):
                _replay_merges(ws, shape)
                renderer.fill(ws, shape)
            wb.properties.created = wb.properties.modified = self.stamp
            buf = io.BytesIO()
            wb.save(buf)
        return normalize(buf.getvalue(), self.stamp)
