"""`docgen workbook`: a unit (or a blank example) as a data-entry workbook, with the help
a form gives while typing: drop-down lists, number and date cells, notes on every
header, frozen headers, column widths that fit, wrapped long text."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from docgen.forms import FormKind
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.columns import Column
from docgen.inputs.entrybook.headers import clean, label_words, printed_by, shown_headers
from docgen.inputs.entrybook.help import HELP_HEADING, help_rows
from docgen.inputs.entrybook.notes import note
from docgen.model.unit import Indicator, Project, Unit
from docgen.registry.manifest import FormVersion
from docgen.render.package import normalize

YES = "是"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_NUMBER_FORMATS = {"amount": "#,##0.00", "percent": "0.00%", "date": "yyyy-mm-dd", "number": "General", "int": "0"}
_WRAP = Alignment(wrap_text=True, vertical="top")
LINE = 16.0  # points per line of wrapped 11-point text, CJK fonts included
TEXT = "@"  # Excel's Text format: what is typed is kept as typed (「=100%」 is not a formula)


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

    def __init__(self, ws: Worksheet, wb: Workbook) -> None:
        self.ws, self.wb = ws, wb
        self.columns: dict[str, str] = {}

    def _column(self, name: str, values: list[str]) -> str:
        col = get_column_letter(len(self.columns) + 1)
        self.ws[f"{col}1"] = name
        for n, value in enumerate(values, start=2):
            set_value(self.ws[f"{col}{n}"], value, "text")
        self.columns[name] = f"{quote_sheetname(self.ws.title)}!${col}$2:${col}${max(len(values) + 1, 2)}"
        return col

    def range(self, name: str, values: list[str]) -> str:
        if name not in self.columns:
            self._column(name, values)
        return self.columns[name]

    def restrict(self, ws: Worksheet, ref: str, name: str, values: list[str], strict: bool = True) -> None:
        dv = DataValidation(type="list", formula1=self.range(name, values), allow_blank=True)
        self._add(ws, ref, dv, name, strict)

    def _add(self, ws: Worksheet, ref: str, dv: DataValidation, name: str, strict: bool) -> None:
        if strict:
            dv.error, dv.errorTitle = f"请从列表中选择{name}", name
        else:  # usual values: Excel warns, then takes another value
            dv.errorStyle, dv.error, dv.errorTitle = "warning", f"「{name}」通常从列表中选择；确实不同请点「是」保留所填", name
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(ref)

    def dependent(self, ws: Worksheet, ref: str, name: str, parent: str, taxonomy: dict[str, list[str]]) -> None:
        """A list that depends on the cell `parent` (the row's 一级指标): each 一级's 二级 in
        a column with a defined name (`二级_1`… would not do: a name takes no arbitrary
        characters, so a map from the 一级 to its safe name sits beside them), and the
        validation `=INDIRECT(VLOOKUP(一级, map, 2, 0))` as Excel users write it; a blank or
        unknown 一级 offers every 二级."""
        key = f"{name}（按一级）"
        if key not in self.columns:
            every = list(dict.fromkeys(x for xs in taxonomy.values() for x in xs))
            names = {}
            for n, (level1, level2) in enumerate([("", every), *taxonomy.items()]):
                safe = f"docgen_list_{n}"
                col = self._column(f"{name}：{level1 or '全部'}", level2)
                self.wb.defined_names[safe] = DefinedName(safe, attr_text=f"{quote_sheetname(self.ws.title)}!${col}$2:${col}${max(len(level2) + 1, 2)}")
                names[level1] = safe
            first = get_column_letter(len(self.columns) + 1)
            second = get_column_letter(len(self.columns) + 2)
            self.ws[f"{first}1"], self.ws[f"{second}1"] = "一级指标", "二级指标列表名"
            for n, (level1, safe) in enumerate(list(names.items())[1:], start=2):
                set_value(self.ws[f"{first}{n}"], level1, "text")
                set_value(self.ws[f"{second}{n}"], safe, "text")
            self.columns[key] = f"{quote_sheetname(self.ws.title)}!${first}$2:${second}${max(len(names), 2)}"
            self.columns[key + "全部"] = names[""]
        formula = f'INDIRECT(IFERROR(VLOOKUP({parent},{self.columns[key]},2,FALSE),"{self.columns[key + "全部"]}"))'
        self._add(ws, ref, DataValidation(type="list", formula1=formula, allow_blank=True), name, True)


def _units(text: str) -> float:
    """A text's width in Excel's character units: a CJK character takes two, and a little
    more as LibreOffice and WPS draw it with a CJK font (better a row a line too tall than clipped)."""
    return sum(2.2 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _lines(text: Any, width: float) -> int:
    """Lines a text takes wrapped in a column `width` characters wide."""
    if not isinstance(text, str):
        return 1
    return sum(max(1, math.ceil(_units(line) / max(int(width) - 1, 1))) for line in text.split("\n"))


def _row_height(cells: list[tuple[Any, float]]) -> float:
    return min(LINE * max(_lines(text, width) for text, width in cells) + 4, 409)  # 409: Excel's tallest row


def _header_height(headers: list[tuple[Column, Any]]) -> float:
    """Points for a header row as tall as its longest wrapped header (Excel does not grow a row by itself)."""
    return LINE * max(_lines(column.header, column.width) for column, _ in headers) + 6


def _print_setup(ws: Worksheet, title_rows: str | None, title_cols: str | None = None) -> None:
    """Landscape A4, one page wide (as many pages down as it takes), the header repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def _numbers(ws: Worksheet, ref: str, kind: str) -> None:
    if kind in ("amount", "number", "percent"):
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True)
        dv.error, dv.showErrorMessage = "请填写数字（金额可带小数）", True
    else:  # a date is checked by docgen, which takes 2023年12月31日, 2023.12.31 … as well
        return
    ws.add_data_validation(dv)
    dv.add(ref)


class _Table:
    """What a table sheet needs besides its rows: the lists, and who prints each column."""

    def __init__(self, lists: _Lists, choices: dict[str, tuple[list[str], bool]], forms: dict[Column, list[str]], taxonomy: dict[str, list[str]]) -> None:
        self.lists, self.choices, self.forms, self.taxonomy = lists, choices, forms, taxonomy
        self.notes: dict[str, list[tuple[str, str]]] = {}  # sheet -> (header, note), for the 说明 sheet
        self.shown: dict[Column, str] = {}  # column -> its header where the versions' words differ from the default

    def write(self, ws: Worksheet, headers: list[tuple[Column, type[BaseModel] | None]], rows: list[list[Any]], frozen: int = 0) -> None:
        """A header row (noted, frozen with the first `frozen` columns) and one row per
        record; a column's type sets its cells' format and validation; text columns are
        Text cells (`@`) down to the last row a clerk may type into, so `=100%` stays text."""
        last = max(len(rows) + 200, 500)  # room to add records
        level1 = next((get_column_letter(n) for n, (col, _) in enumerate(headers, start=1) if col.path == ("level1",)), None)
        for n, (column, model) in enumerate(headers, start=1):
            header = self.shown.get(column, column.header)
            cell = ws.cell(1, n, header)
            cell.font, cell.fill, cell.alignment = Font(bold=True), _HEADER_FILL, Alignment(wrap_text=True, vertical="center")
            letter = get_column_letter(n)
            ws.column_dimensions[letter].width = column.width
            kind = column.kind(model) if model is not None else ("int" if column.path == ("#",) else "text")
            ref = f"{letter}2:{letter}{last}"
            listed = ""
            if column.path == ("level2",) and level1 and self.taxonomy:
                self.lists.dependent(ws, ref, header, f"{level1}2", self.taxonomy)
                listed = "strict"
            elif column.header in self.choices:
                values, strict = self.choices[column.header]
                self.lists.restrict(ws, ref, header, values, strict)
                listed = "strict" if strict else "open"
            else:
                _numbers(ws, ref, kind)
            text = note(replace(column, header=header), model, kind, self.forms.get(column, []), listed, ws.title)
            self.notes.setdefault(ws.title, []).append((header, text))
            cell.comment = Comment(text, "docgen", width=320, height=max(80, 20 * (len(text) // 22 + 2)))
            for r, row in enumerate(rows, start=2):
                set_value(ws.cell(r, n), row[n - 1], kind)
            if kind in ("text", "choice"):
                for r in range(2, last + 1):
                    ws.cell(r, n).number_format = TEXT
        ws.row_dimensions[1].height = _header_height([(replace(col, header=self.shown.get(col, col.header)), m) for col, m in headers])
        for r in range(2, len(rows) + 2):  # Excel does not grow a wrapped row by itself
            ws.row_dimensions[r].height = _row_height([(ws.cell(r, n).value, col.width) for n, (col, _) in enumerate(headers, start=1)])
        ws.freeze_panes = f"{get_column_letter(frozen + 1)}2"
        _print_setup(ws, "1:1", f"A:{get_column_letter(frozen)}" if frozen else None)


_printed = c.printed


def unprinted_text(header: str, form: str, version: str) -> str:
    """A value in a column the form's chosen version does not print."""
    return f"「{header}」不印在{version} 版{form}上（只有{form}的其他版本有这一栏）：请删去它，或在「单位」表的「表单版本：{form}」填印出它的版本"


def _present(column: Column, records: list[Any], full: bool) -> bool:
    return full or column.core or any(get(r, column.path) not in (None, "", {}) for r in records)


def _unit_sheet(ws: Worksheet, unit: Unit, kinds: list[FormKind], versions: dict[str, list[FormVersion]], lists: _Lists) -> None:
    ws.append(["字段", "值", "说明"])
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    notes = {"字段": "「单位」表每行一个字段：不要改动这一列", "值": "在这一列填写各字段的值", "说明": "各字段的含义与填法"}
    for cell in ws[1]:
        cell.comment = Comment(notes[cell.value], "docgen", width=240, height=60)
    for column in c.UNIT_ROWS:
        kind = column.kind(Unit)
        listed = "strict" if column.path == ("amount_unit",) else ""
        ws.append([column.header, None, note(column, Unit, kind, [], listed)])
        set_value(ws.cell(ws.max_row, 2), get(unit, column.path), kind)
        if kind in ("text", "choice"):
            ws.cell(ws.max_row, 2).number_format = TEXT
        if column.path == ("amount_unit",):
            lists.restrict(ws, f"B{ws.max_row}", "金额单位", c.choices(Unit, column.path))
    if unit.profile:
        ws.append([c.PROFILE_ROW.header, None, c.PROFILE_ROW.description(Unit)])
        set_value(ws.cell(ws.max_row, 2), unit.profile, "text")
    for form in kinds:
        version = versions[form.name][0]
        ws.append([c.VERSION_ROW + form.short_title, None, f"{version.kind_title}的版本（不填则用默认版本）"])
        set_value(ws.cell(ws.max_row, 2), unit.forms.get(form.name), "text")
        ws.cell(ws.max_row, 2).number_format = TEXT
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 26, 40, 60
    for row in ws.iter_rows(min_row=2):
        row[2].alignment = _WRAP
        ws.row_dimensions[row[0].row].height = _row_height([(row[2].value, 60)])
    ws.freeze_panes = "B2"
    _print_setup(ws, "1:1")


def _project_columns(unit: Unit, kinds: list[FormKind], versions: dict[str, list[FormVersion]], full: bool) -> list[tuple[Column, Any]]:
    projects = unit.projects
    every = [v for vs in versions.values() for v in vs]
    out: list[tuple[Column, Any]] = [(c.NUMBER, None)]
    out += [(col, Project) for col in c.PROJECT_COLUMNS if _present(col, projects, full) and (not col.versioned or _printed(col, every))]
    for kind in kinds:
        if any((p.forms or {}).get(kind.name) for p in projects):
            out.append((Column(("forms", kind.name), c.VERSION_COLUMN + kind.short_title, width=10), None))
    for kind in kinds:
        out.append((Column(("#" + kind.name,), kind.workbook_flag, width=8), None))
        out += [(col, Project) for col in kind.workbook_columns() if _present(col, projects, full) and _printed(col, versions[kind.name])]
    return out


def _project_value(project: Project, index: int, column: Column, kinds: list[FormKind]) -> Any:
    if column.path == ("#",):
        return index + 1
    if column.path[0].startswith("#"):
        kind = next(k for k in kinds if k.name == column.path[0][1:])
        return YES if kind.applies(project) else None
    if column.path[0] == "forms":
        return (project.forms or {}).get(column.path[1])
    value = get(project, column.path)
    if column.to_cell is not None:
        return column.to_cell(value) if value else None
    return value


def _indicator_columns(unit: Unit, kinds: list[FormKind], full: bool) -> list[tuple[Column, Any]]:
    indicators = [i for p in unit.projects for i in p.indicators]
    wanted = {name for k in kinds for name in k.indicator_fields()}
    extra = [col for name, col in c.indicator_fields().items() if name in wanted and _present(col, indicators, full)]
    return [(c.INDICATOR_PROJECT, None), (c.INDICATOR_PROJECT_NAME, None)] + [(col, Indicator) for col in c.INDICATOR_COLUMNS + extra]


def _taxonomy(versions: dict[str, list[FormVersion]]) -> dict[str, list[str]]:
    """一级 -> its 二级, over every chosen version (a 一级 two versions share offers both's 二级)."""
    out: dict[str, list[str]] = {}
    for vs in versions.values():
        for v in vs:
            for level1, level2 in v.taxonomy.items():
                out[level1] = list(dict.fromkeys([*out.get(level1, []), *level2]))
    return out


def _choices(kinds: list[FormKind], versions: dict[str, list[FormVersion]], taxonomy: dict[str, list[str]]) -> dict[str, tuple[list[str], bool]]:
    """Header -> (its list, whether only the list's values are allowed): the models' fixed
    values, the versions' taxonomy, `choices:` and `suggestions:` (templates/manifest.yaml)."""
    out: dict[str, tuple[list[str], bool]] = {
        "一级指标": (list(taxonomy), True),
        "二级指标": (list(dict.fromkeys(x for xs in taxonomy.values() for x in xs)), True),
        "完成档次": (c.choices(Indicator, ("tier",)), True),
        **{k.workbook_flag: ([YES, "否"], True) for k in kinds},
    }
    for kind in kinds:
        headers = {".".join(col.path): col.header for col in kind.workbook_columns()}
        for v in versions[kind.name]:
            for strict, lists in ((False, v.suggestions), (True, v.choices)):
                for dotted, values in lists.items():
                    if dotted in headers:
                        old = out.get(headers[dotted], ([], strict))[0]
                        out[headers[dotted]] = (list(dict.fromkeys([*old, *values])), strict)
    return out


def build(unit: Unit, kinds: list[FormKind], versions: dict[str, FormVersion] | dict[str, list[FormVersion]], full: bool = False) -> bytes:
    """The workbook of `unit` for the form kinds `kinds` (each at the version, or the
    versions, `versions[kind]`); `full` writes every column the versions print, not only
    the ones the data fills."""
    kinds = [k for k in kinds if k.workbook is not None]  # a kind without workbook columns has no place here
    chosen = {name: (list(v) if isinstance(v, (list, tuple)) else [v]) for name, v in versions.items() if any(k.name == name for k in kinds)}
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = c.HELP_SHEET
    lists = _Lists(wb.create_sheet(c.LISTS_SHEET), wb)
    _unit_sheet(wb.create_sheet(c.UNIT_SHEET), unit, kinds, chosen, lists)
    taxonomy = _taxonomy(chosen)
    choices = _choices(kinds, chosen, taxonomy)
    project_cols = _project_columns(unit, kinds, chosen, full)
    indicator_cols = _indicator_columns(unit, kinds, full)
    forms = {**printed_by(kinds, chosen, project_cols, c.PROJECT_SHEET)}
    table = _Table(lists, choices, forms, taxonomy)
    table.shown = shown_headers(kinds, chosen, project_cols, c.PROJECT_SHEET)
    rows = [[_project_value(p, i, col, kinds) for col, _ in project_cols] for i, p in enumerate(unit.projects)]
    table.write(wb.create_sheet(c.PROJECT_SHEET), project_cols, rows, frozen=2)
    rows = [[i + 1, p.name, *(get(ind, col.path) for col, _ in indicator_cols[2:])] for i, p in enumerate(unit.projects) for ind in p.indicators]
    table.forms = printed_by(kinds, chosen, indicator_cols, c.INDICATOR_SHEET)
    table.shown = shown_headers(kinds, chosen, indicator_cols, c.INDICATOR_SHEET)
    table.write(wb.create_sheet(c.INDICATOR_SHEET), indicator_cols, rows, frozen=2)
    for kind in kinds:
        spec = kind.unit_sheet
        if spec is not None and unit.part(kind.unit_part) is not None:
            headers, sheet_rows = spec.rows(unit)
            ws = wb.create_sheet(spec.name)
            table.forms = {}
            sheet_cols: list[tuple[Column, type[BaseModel] | None]] = [(Column((h,), h, width=14 if n < 2 else 80), None) for n, h in enumerate(headers)]
            table.write(ws, sheet_cols, [list(r) for r in sheet_rows])
            table.notes[ws.title] = _goal_sheet(ws, kind, lists)
    if full or unit.extra or any(p.extra for p in unit.projects):  # a blank workbook offers the sheet; a unit's only when it has such lines
        rows = [[None, None, name, text] for name, text in unit.extra.items()]
        rows += [[i + 1, p.name, name, text] for i, p in enumerate(unit.projects) for name, text in p.extra.items()]
        table.forms, table.shown = {}, {}
        table.write(wb.create_sheet(c.EXTRA_SHEET), [(col, None) for col in c.EXTRA_COLUMNS], rows, frozen=2)
    if unit.labels or any(p.labels for p in unit.projects):  # only a unit that sets labels: few do
        every = [v for vs in chosen.values() for v in vs]
        rows = [[None, None, label_words(name, every), text] for name, text in unit.labels.items()]
        rows += [[i + 1, p.name, label_words(name, every), text] for i, p in enumerate(unit.projects) for name, text in p.labels.items()]
        table.choices[c.LABEL_NAME.header] = (list(dict.fromkeys(clean(t) for v in every for t in (v.labels or {}).values())), False)
        table.write(wb.create_sheet(c.LABEL_SHEET), [(col, None) for col in c.LABEL_COLUMNS], rows, frozen=2)
    unit_rows = [(ws.cell(r, 1).value, ws.cell(r, 3).value) for ws in [wb[c.UNIT_SHEET]] for r in range(2, 2 + len(c.UNIT_ROWS))]
    _help(help_ws, wb, unit_rows, table.notes)
    wb.move_sheet(c.LISTS_SHEET, offset=len(wb.sheetnames))
    wb[c.LISTS_SHEET].sheet_state = "hidden"
    stamp = datetime(unit.year, 12, 31)
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), stamp)


_GOAL_NOTES = (
    "每行一条：总体绩效目标、分项绩效目标、子目标、工作保障措施导语或工作保障措施；从下拉列表中选择",
    "子目标所属分项绩效目标的序号（第 1 个分项填 1…）；其他类别不填",
    "该条的文字，不含编号：编号「一、」「1、」自动生成",
)


def _goal_sheet(ws: Worksheet, kind: FormKind, lists: _Lists) -> list[tuple[str, str]]:
    """The 部门整体目标 sheet's headers: notes in the document's words, and the list of 类别."""
    from docgen.forms.dept.workbook import GOAL_KINDS

    lists.restrict(ws, "A2:A500", "类别", list(GOAL_KINDS))
    notes = []
    for n, text in enumerate(_GOAL_NOTES, start=1):
        text = f"{text}。印在：{kind.short_title}第一部分"
        ws.cell(1, n).comment = Comment(text, "docgen", width=320, height=100)
        notes.append((str(ws.cell(1, n).value), text))
    return notes


def _help(ws: Worksheet, wb: Workbook, unit_rows: list[tuple[str, str]], notes: dict[str, list[tuple[str, str]]]) -> None:
    widths = {"A": 12, "B": 30, "C": 140}  # wide: printed one page wide, more rows fit a page
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for row in help_rows(wb.sheetnames, unit_rows, notes):
        ws.append(row)
        lines = 1
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = _WRAP
                # Excel does not grow a wrapped row by itself: as tall as its longest cell
                lines = max(lines, _lines(cell.value, widths[cell.column_letter] - 3))
        ws.row_dimensions[ws.max_row].height = LINE * lines + 4
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(vertical="top")  # the title runs on over the empty cells beside it
    ws.row_dimensions[1].height = 22
    heading = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == HELP_HEADING)
    _print_setup(ws, f"{heading}:{heading}")  # the table's heading row on every page after the first
