"""A data-entry workbook read as a unit file: the same plain data the YAML loader gives,
each value with its cell (`项目!F5`) where a YAML file has its line, so every message
points at the cell to correct."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import InputError, Problem
from docgen.forms import FormKind, form_kinds
from docgen.parse.text import FieldPath, LoadedFile
from docgen.inputs.entrybook import columns as c

YES_WORDS = {"是", "Y", "y", "yes", "Yes", "YES", "1", "√", "✓", "✔", "TRUE", "True", "true"}
NO_WORDS = {"否", "N", "n", "no", "No", "NO", "0", "×", "FALSE", "False", "false"}


class _Sheet:
    """One worksheet's cells as values (formulas by their cached results), with problems collected."""

    def __init__(self, ws: Worksheet, cached: Worksheet, problems: list[Problem]) -> None:
        self.ws, self.cached, self.problems = ws, cached, problems
        self.title = ws.title
        self.merged = [str(m) for m in ws.merged_cells.ranges]

    def ref(self, row: int, col: int) -> str:
        return f"{self.title}!{self.ws.cell(row, col).coordinate}"

    def value(self, row: int, col: int) -> Any:
        cell = self.ws.cell(row, col)
        raw = cell.value
        if cell.data_type == "f" or (isinstance(raw, str) and raw.startswith("=") and cell.data_type != "s"):
            raw = self.cached.cell(row, col).value
            if raw is None:
                text = "这是公式，但没有计算结果（工作簿未在 Excel/WPS 中打开保存过）：请在 Excel 中打开并保存，或直接填写数值"
                self.problems.append(Problem((), text, line=self.ref(row, col)))
                return None
        return plain(raw, cell.number_format or "")

    def rows(self) -> range:
        return range(2, self.ws.max_row + 1)

    def blank_row(self, row: int, ncols: int) -> bool:
        return all(self.value(row, col) is None for col in range(1, ncols + 1))


def plain(raw: Any, number_format: str) -> Any:
    """A cell's value as the unit file would hold it: a float as the decimal Excel shows
    (15 significant digits, never 0.30000000000000004), a percentage cell as "96.41%",
    a date cell as a date, blank text as nothing."""
    if raw is None or isinstance(raw, bool):
        return None if raw is None else ("是" if raw else "否")
    if isinstance(raw, str):
        return raw if raw.strip() else None
    if isinstance(raw, datetime):
        return raw.date() if (raw.hour, raw.minute, raw.second) == (0, 0, 0) else raw
    if isinstance(raw, (int, float)):
        number = Decimal(raw) if isinstance(raw, int) else Decimal(format(raw, ".15g"))
        if "%" in number_format:
            return f"{(number * 100).normalize():f}%"
        return int(number) if isinstance(raw, int) else number
    return raw


def _open(path: Path, data: bytes) -> tuple[Any, Any]:
    try:
        return load_workbook(io.BytesIO(data)), load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(path, [Problem((), f"无法读取 Excel 工作簿（{type(exc).__name__}）：文件已损坏，或不是 .xlsx 格式（.xls 请另存为 .xlsx）")]) from exc


def read_workbook(path: Path, data: bytes) -> LoadedFile:
    """The unit in a data-entry workbook (`data`, the file's bytes as the loader read them
    within its limits); raises `InputError` naming every bad sheet, column or cell."""
    wb, cached = _open(path, data)
    kinds = form_kinds()
    extra = {k.workbook_sheet: k for k in kinds if k.workbook_sheet}
    known = {c.HELP_SHEET, c.LISTS_SHEET, c.UNIT_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, *extra}
    missing = [name for name in (c.UNIT_SHEET, c.PROJECT_SHEET) if name not in wb.sheetnames]
    if missing:
        return _printed_forms(path, missing)
    problems: list[Problem] = []
    for name in wb.sheetnames:
        if name not in known:
            problems.append(Problem((), f"未知工作表「{name}」；此处允许：{'、'.join(sorted(known))}", line=f"{name}!A1"))
    sheets = {name: _Sheet(wb[name], cached[name], problems) for name in wb.sheetnames if name in known}
    for name in (c.UNIT_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, *extra):
        if name in sheets and sheets[name].merged:
            merged = sheets[name].merged
            text = f"有合并单元格 {'、'.join(merged)}：数据表每格一个值，请取消合并"
            problems.append(Problem((), text, line=f"{name}!{merged[0].split(':')[0]}"))
    reader = _Reader(sheets, kinds, problems)
    data = reader.unit()
    if problems:
        raise InputError(path, problems)
    text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    return LoadedFile(path=path, data=data, lines=reader.cells, text=text)


def _printed_forms(path: Path, missing: list[str]) -> LoadedFile:
    """Not a data-entry workbook: printed forms (a form, or a book's summary workbook), read back."""
    from docgen.inputs.importing import NOTHING_TO_IMPORT, import_forms  # the importer reads workbooks too: imported only when needed

    try:
        return import_forms([path]).source
    except InputError as exc:
        if not any(p.text.startswith(NOTHING_TO_IMPORT) for p in exc.problems):
            raise  # forms, read: what is wrong is in them, cell by cell
        why = "；".join(p.text for p in exc.problems)
        text = f"不是 docgen 单位数据工作簿（缺少工作表「{'」「'.join(missing)}」），也不是可导入的表单（{why}）；可用 docgen workbook --new 生成空白工作簿"
        raise InputError(path, [Problem((), text)]) from exc


class _Reader:
    def __init__(self, sheets: dict[str, _Sheet], kinds: tuple[FormKind, ...], problems: list[Problem]) -> None:
        self.sheets, self.kinds, self.problems = sheets, kinds, problems
        self.cells: dict[FieldPath, Any] = {(): f"{c.UNIT_SHEET}!A1"}

    def error(self, ref: str, text: str, path: FieldPath = ()) -> None:
        self.problems.append(Problem(path, text, line=ref))

    def unit(self) -> dict[str, Any]:
        data = self.unit_fields(self.sheets[c.UNIT_SHEET])
        data["projects"] = self.projects(self.sheets[c.PROJECT_SHEET])
        if c.INDICATOR_SHEET in self.sheets:
            self.indicators(self.sheets[c.INDICATOR_SHEET], data["projects"])
        for kind in self.kinds:
            if kind.workbook_sheet in self.sheets:
                sheet = self.sheets[kind.workbook_sheet]
                rows = [(sheet.ref(r, 1), *(sheet.value(r, col) for col in (1, 2, 3))) for r in sheet.rows() if not sheet.blank_row(r, 3)]
                value, cells, problems = kind.read_sheet(rows)
                data[kind.sheet_field()] = value
                self.cells.update(cells)
                self.cells[(kind.sheet_field(),)] = f"{sheet.title}!A1"
                self.problems += problems
        return data

    def unit_fields(self, sheet: _Sheet) -> dict[str, Any]:
        by_label = {col.header: col for col in c.UNIT_ROWS}
        versions = {c.VERSION_ROW + k.short_title: k.name for k in self.kinds}
        data: dict[str, Any] = {}
        for r in sheet.rows():
            label, value = sheet.value(r, 1), sheet.value(r, 2)
            if label is None:
                continue
            label = str(label).strip()
            if label in by_label:
                path: FieldPath = by_label[label].path
            elif label in versions:
                path = ("forms", versions[label])
            else:
                allowed = "、".join([*by_label, *versions])
                self.error(sheet.ref(r, 1), f"未知字段「{label}」；此处允许：{allowed}")
                continue
            self.cells[path] = sheet.ref(r, 2)
            if value is not None:
                _put(data, path, value)
        return data

    def header(self, sheet: _Sheet, columns: dict[str, c.Column]) -> dict[int, c.Column]:
        """Column number -> column, from the header row; unknown or repeated headers are errors."""
        found: dict[int, c.Column] = {}
        seen: dict[str, int] = {}
        for col in range(1, sheet.ws.max_column + 1):
            text = sheet.value(1, col)
            if text is None:
                continue
            text = str(text).strip()
            if text in seen:
                self.error(sheet.ref(1, col), f"列「{text}」重复（与第 {seen[text]} 列）")
            elif text not in columns:
                self.error(sheet.ref(1, col), f"未知列「{text}」；此处允许：{'、'.join(columns)}")
            else:
                seen[text] = col
                found[col] = columns[text]
        return found

    def project_columns(self) -> dict[str, c.Column]:
        columns = {col.header: col for col in [c.NUMBER, *c.PROJECT_COLUMNS]}
        for kind in self.kinds:
            columns[kind.workbook_flag] = c.Column(("#" + kind.name,), kind.workbook_flag)
            columns[c.VERSION_COLUMN + kind.short_title] = c.Column(("forms", kind.name), c.VERSION_COLUMN + kind.short_title)
            columns.update({col.header: col for col in kind.workbook_columns()})
        return columns

    def projects(self, sheet: _Sheet) -> list[dict[str, Any]]:
        header = self.header(sheet, self.project_columns())
        self.numbers: dict[str, int] = {}
        self.names: dict[str, int] = {}
        self.project_names: list[str] = []
        projects = []
        width = sheet.ws.max_column  # openpyxl counts every cell for it: once, not per row
        for r in sheet.rows():
            if sheet.blank_row(r, width):
                continue
            index = len(projects)
            self.cells[("projects", index)] = sheet.ref(r, 1)
            projects.append(self.project(sheet, r, index, header))
        self.cells[("projects",)] = f"{sheet.title}!A1"
        return projects

    def project(self, sheet: _Sheet, r: int, index: int, header: dict[int, c.Column]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        flags: dict[str, tuple[Any, str]] = {}
        for col, column in header.items():
            value, ref = sheet.value(r, col), sheet.ref(r, col)
            path = ("projects", index) + column.path
            if column.path == ("#",):
                if value is not None:
                    self.numbers[str(value).strip()] = index
                continue
            if column.path[0].startswith("#"):
                flags[column.path[0][1:]] = (value, ref)
                continue
            self.cells[path] = ref
            if value is not None:
                _put(data, column.path, value)
        self.names.setdefault(str(data.get("name", "")).strip(), index)
        self.project_names.append(str(data.get("name", "")).strip())
        for kind in self.kinds:
            self.part(kind, data, flags.get(kind.name), index)
        return data

    def part(self, kind: FormKind, data: dict[str, Any], flag: tuple[Any, str] | None, index: int) -> None:
        """Does the project get this kind's form?  Its flag column says; without one, its data does."""
        fields = {col.path[0] for col in kind.workbook_columns()}
        filled = any(f in data for f in fields)
        wanted = filled if flag is None else str(flag[0]).strip() in YES_WORDS if flag[0] is not None else False
        if flag is not None and flag[0] is not None and str(flag[0]).strip() not in YES_WORDS | NO_WORDS:
            self.error(flag[1], f"「{kind.workbook_flag}」列应填「是」或「否」，却是「{flag[0]}」", ("projects", index))
        elif flag is not None and filled and not wanted:
            self.error(flag[1], f"填写了{kind.workbook_flag}的数据，但「{kind.workbook_flag}」列不是「是」（要生成就填「是」，否则删去这些数据）", ("projects", index))
        for f in fields:
            if wanted:
                data.setdefault(f, {})
        if flag is not None:
            self.cells.setdefault(("projects", index) + (min(fields),), flag[1])

    def indicators(self, sheet: _Sheet, projects: list[dict[str, Any]]) -> None:
        columns = {col.header: col for col in [c.INDICATOR_PROJECT, c.INDICATOR_PROJECT_NAME, *c.INDICATOR_COLUMNS, *c.INDICATOR_FIELDS.values()]}
        header = self.header(sheet, columns)
        width = sheet.ws.max_column
        for r in sheet.rows():
            if sheet.blank_row(r, width):
                continue
            values = {column.path: (sheet.value(r, col), sheet.ref(r, col)) for col, column in header.items()}
            index = self.owner(values, sheet.ref(r, 1), len(projects))
            if index is None:
                continue
            project = projects[index]
            n = len(project.setdefault("indicators", []))
            base = ("projects", index, "indicators", n)
            self.cells.setdefault(("projects", index, "indicators"), sheet.ref(r, 1))
            self.cells[base] = sheet.ref(r, 1)
            indicator: dict[str, Any] = {}
            for path, (value, ref) in values.items():
                if path[0].startswith("#"):
                    continue
                self.cells[base + path] = ref
                if value is not None:
                    _put(indicator, path, value)
            project["indicators"].append(indicator)

    def owner(self, values: dict[FieldPath, tuple[Any, str]], ref: str, count: int) -> int | None:
        """The project an indicator row names by 项目序号 (or, without one, by 项目名称)."""
        number, number_ref = values.get(("#",), (None, ref))
        name, name_ref = values.get(("#name",), (None, ref))
        by_name = self.names.get(str(name).strip()) if name is not None else None
        if number is not None:
            key = str(number).strip()
            index = self.numbers.get(key)
            if index is None and key.isdigit() and not self.numbers and 0 < int(key) <= count:
                index = int(key) - 1
            if index is None:
                self.error(number_ref, f"项目序号「{number}」在「项目」表中没有")
            elif name is not None and str(name).strip() != self.project_names[index]:
                self.error(name_ref, f"项目序号 {number} 与项目名称「{name}」不是同一个项目")
                return None
            return index
        if name is None:
            self.error(ref, "指标行没有填写项目序号或项目名称")
        elif by_name is None:
            self.error(name_ref, f"项目名称「{name}」在「项目」表中没有")
        return by_name


def _put(data: dict[str, Any], path: FieldPath, value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value
