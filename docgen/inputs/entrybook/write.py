"""`docgen workbook`: a unit (or a blank example) as a data-entry workbook, with the help
a form gives while typing: drop-down lists, number and date cells, notes on every
header, frozen headers, column widths that fit, wrapped long text."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from docgen.forms import FormKind
from docgen.model.unit import Indicator, Project, Unit
from docgen.registry.manifest import FormVersion
from docgen.render.package import normalize
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.columns import Column
from docgen.inputs.entrybook.help import help_rows

YES = "是"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_NUMBER_FORMATS = {"amount": "#,##0.00", "percent": "0.00%", "date": "yyyy-mm-dd", "number": "General", "int": "0"}
_WRAP = Alignment(wrap_text=True, vertical="top")


def get(model: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        model = getattr(model, part, None)
        if model is None:
            return None
    return model


def set_value(cell: Cell, value: Any, kind: str) -> None:
    """A value as its kind is typed: numbers as numbers (rates as fractions with a percent
    format), dates as dates, text always as text (`=100%` is a target, not a formula)."""
    if value is None or value == "":
        cell.value = None
    elif kind in _NUMBER_FORMATS and isinstance(value, (Decimal, int, date)) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = _NUMBER_FORMATS[kind]
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"
    if isinstance(cell.value, str) and (len(cell.value) > 20 or "\n" in cell.value):
        cell.alignment = _WRAP


class _Lists:
    """The drop-down lists, kept on a hidden sheet (a list typed into a validation may
    hold 255 characters at most; a range has no limit)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.columns: dict[str, str] = {}

    def range(self, name: str, values: list[str]) -> str:
        if name not in self.columns:
            col = get_column_letter(len(self.columns) + 1)
            self.ws[f"{col}1"] = name
            for n, value in enumerate(values, start=2):
                set_value(self.ws[f"{col}{n}"], value, "text")
            self.columns[name] = f"{quote_sheetname(self.ws.title)}!${col}$2:${col}${max(len(values) + 1, 2)}"
        return self.columns[name]

    def restrict(self, ws: Worksheet, ref: str, name: str, values: list[str]) -> None:
        dv = DataValidation(type="list", formula1=self.range(name, values), allow_blank=True)
        dv.error, dv.errorTitle, dv.showErrorMessage = f"请从列表中选择{name}", name, True
        ws.add_data_validation(dv)
        dv.add(ref)


def _numbers(ws: Worksheet, ref: str, kind: str) -> None:
    if kind in ("amount", "number", "percent"):
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True)
        dv.error, dv.showErrorMessage = "请填写数字（金额可带小数）", True
    elif kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        dv.error, dv.showErrorMessage = "请填写日期，如 2023-01-01", True
    else:
        return
    ws.add_data_validation(dv)
    dv.add(ref)


def _table(ws: Worksheet, headers: list[tuple[Column, type[BaseModel] | None]], rows: list[list[Any]], lists: _Lists, choices: dict[str, list[str]]) -> None:
    """A header row (noted, frozen) and one row per record; a column's type sets its cells' format and validation."""
    for n, (column, model) in enumerate(headers, start=1):
        cell = ws.cell(1, n, column.header)
        cell.font, cell.fill, cell.alignment = Font(bold=True), _HEADER_FILL, Alignment(wrap_text=True, vertical="center")
        note = column.description(model) if model is not None else ""
        if note:
            cell.comment = Comment(note, "docgen", width=320, height=120)
        letter = get_column_letter(n)
        ws.column_dimensions[letter].width = column.width
        kind = column.kind(model) if model is not None else "text"
        last = max(len(rows) + 200, 500)  # room to add records
        ref = f"{letter}2:{letter}{last}"
        if column.header in choices:
            lists.restrict(ws, ref, column.header, choices[column.header])
        else:
            _numbers(ws, ref, kind)
        for r, row in enumerate(rows, start=2):
            set_value(ws.cell(r, n), row[n - 1], kind)
    ws.freeze_panes = "A2"


def _present(column: Column, records: list[Any], full: bool) -> bool:
    return full or column.core or any(get(r, column.path) not in (None, "") for r in records)


def _unit_sheet(ws: Worksheet, unit: Unit, kinds: list[FormKind], versions: dict[str, FormVersion], lists: _Lists) -> None:
    ws.append(["字段", "值", "说明"])
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for column in c.UNIT_ROWS:
        ws.append([column.header, None, column.description(Unit)])
        set_value(ws.cell(ws.max_row, 2), get(unit, column.path), column.kind(Unit))
        if column.path == ("amount_unit",):
            lists.restrict(ws, f"B{ws.max_row}", "金额单位", c.choices(Unit, column.path))
    for kind in kinds:
        version = versions[kind.name]
        ws.append([c.VERSION_ROW + kind.short_title, None, f"{version.kind_title}的版本（不填则用默认版本）"])
        set_value(ws.cell(ws.max_row, 2), unit.forms.get(kind.name), "text")
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 26, 40, 60
    ws.freeze_panes = "A2"


def _project_columns(unit: Unit, kinds: list[FormKind], full: bool) -> list[tuple[Column, Any]]:
    projects = unit.projects
    out: list[tuple[Column, Any]] = [(c.NUMBER, None)] + [(col, Project) for col in c.PROJECT_COLUMNS if _present(col, projects, full)]
    for kind in kinds:
        if any((p.forms or {}).get(kind.name) for p in projects):
            out.append((Column(("forms", kind.name), c.VERSION_COLUMN + kind.short_title, width=10), None))
    for kind in kinds:
        out.append((Column(("#" + kind.name,), kind.workbook_flag, width=8), None))
        out += [(col, Project) for col in kind.workbook_columns() if _present(col, projects, full)]
    return out


def _project_value(project: Project, index: int, column: Column, kinds: list[FormKind]) -> Any:
    if column.path == ("#",):
        return index + 1
    if column.path[0].startswith("#"):
        kind = next(k for k in kinds if k.name == column.path[0][1:])
        return YES if kind.applies(project) else None
    if column.path[0] == "forms":
        return (project.forms or {}).get(column.path[1])
    return get(project, column.path)


def _indicator_columns(unit: Unit, kinds: list[FormKind], full: bool) -> list[tuple[Column, Any]]:
    indicators = [i for p in unit.projects for i in p.indicators]
    wanted = {name for k in kinds for name in k.indicator_fields()}
    extra = [col for name, col in c.INDICATOR_FIELDS.items() if name in wanted and _present(col, indicators, full)]
    return [(c.INDICATOR_PROJECT, None), (c.INDICATOR_PROJECT_NAME, None)] + [(col, Indicator) for col in c.INDICATOR_COLUMNS + extra]


def _choices(versions: dict[str, FormVersion]) -> dict[str, list[str]]:
    level1 = list(dict.fromkeys(k for v in versions.values() for k in v.taxonomy))
    level2 = list(dict.fromkeys(x for v in versions.values() for xs in v.taxonomy.values() for x in xs))
    return {"一级指标": level1, "二级指标": level2, "完成档次": c.choices(Indicator, ("tier",))}


def build(unit: Unit, kinds: list[FormKind], versions: dict[str, FormVersion], full: bool = False) -> bytes:
    """The workbook of `unit` for the form kinds `kinds` (each at `versions[kind]`); `full`
    writes every column a kind has, not only the ones the data fills."""
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = c.HELP_SHEET
    lists = _Lists(wb.create_sheet(c.LISTS_SHEET))
    _unit_sheet(wb.create_sheet(c.UNIT_SHEET), unit, kinds, versions, lists)
    project_cols = _project_columns(unit, kinds, full)
    rows = [[_project_value(p, i, col, kinds) for col, _ in project_cols] for i, p in enumerate(unit.projects)]
    choices = {**_choices(versions), **{k.workbook_flag: [YES, "否"] for k in kinds}}
    _table(wb.create_sheet(c.PROJECT_SHEET), project_cols, rows, lists, choices)
    indicator_cols = _indicator_columns(unit, kinds, full)
    rows = [
        [i + 1, p.name, *(get(ind, col.path) for col, _ in indicator_cols[2:])]
        for i, p in enumerate(unit.projects)
        for ind in p.indicators
    ]
    _table(wb.create_sheet(c.INDICATOR_SHEET), indicator_cols, rows, lists, choices)
    for kind in kinds:
        if kind.workbook_sheet and getattr(unit, kind.sheet_field()) is not None:
            headers, sheet_rows = kind.sheet_rows(unit)
            ws = wb.create_sheet(kind.workbook_sheet)
            _table(ws, [(Column((h,), h, width=14 if n < 2 else 80), None) for n, h in enumerate(headers)], [list(r) for r in sheet_rows], lists, {})
    _help(help_ws, wb, project_cols, indicator_cols)
    wb.move_sheet(c.LISTS_SHEET, offset=len(wb.sheetnames))
    wb[c.LISTS_SHEET].sheet_state = "hidden"
    stamp = datetime(unit.year, 12, 31)
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), stamp)


def _help(ws: Worksheet, wb: Workbook, project_cols: list[tuple[Column, Any]], indicator_cols: list[tuple[Column, Any]]) -> None:
    widths = {"A": 14, "B": 34, "C": 90}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for row in help_rows(wb.sheetnames, {c.PROJECT_SHEET: project_cols, c.INDICATOR_SHEET: indicator_cols}):
        ws.append(row)
        lines = 1
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = _WRAP
                # Excel does not grow a wrapped row by itself: as tall as its longest cell
                units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
                lines = max(lines, -(-units // int(widths[cell.column_letter] - 4)))
        ws.row_dimensions[ws.max_row].height = 15 * lines
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(vertical="top")  # the title runs on over the empty cells beside it
    ws.row_dimensions[1].height = 22
