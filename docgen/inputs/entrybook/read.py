"""A data-entry workbook read as a unit file: the same plain data the YAML loader gives,
each value with its cell (`项目!F5`) where a YAML file has its line, so every message
points at the cell to correct."""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles.numbers import is_date_format
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import InputError, Problem, RegistryError
from docgen.forms import FormKind, form_kinds
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook import headers
from docgen.inputs.entrybook.write import unprinted_text
from docgen.inputs.package import open_workbook_package, unreadable
from docgen.model.formatting import excerpt
from docgen.model.unit import Indicator, Project, Unit
from docgen.parse.text import FieldPath, LoadedFile

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

    def value(self, row: int, col: int, text: str = "") -> Any:
        """The cell's value; `text` names a text column's header: a formula there is what a
        clerk typed (「=100%」 in a cell not formatted as Text), never read as its result."""
        cell = self.ws.cell(row, col)
        raw = cell.value
        formula = cell.data_type == "f" or (isinstance(raw, str) and raw.startswith("=") and cell.data_type != "s")
        if formula and text:
            typed = str(raw if isinstance(raw, str) else getattr(raw, "text", raw))
            typed = typed if typed.startswith("=") else "=" + typed
            shown = f"「{excerpt(typed)}」"
            fix = f"'{typed}"
            message = (
                f"「{text}」应为文字，这里却是公式{shown}（Excel、WPS 把以 = 开头的输入当作公式）：请改为输入 {fix}"
                f"（前加英文单引号），或用全角的「＝{typed[1:][:40]}」，它就作为文字保存"
            )
            self.problems.append(Problem((), message, line=self.ref(row, col)))
            return None
        if cell.data_type == "e" and raw == "#VALUE!" and is_date_format(cell.number_format or ""):
            # openpyxl could not turn the number in a date cell into a date (20231231 typed into it)
            text = "日期格式的单元格里是一个不成日期的数字（如 20231231，Excel 显示为 ####）：请写作 2023-12-31 或 2023年12月31日"
            self.problems.append(Problem((), text, line=self.ref(row, col)))
            return None
        if formula:
            raw = self.cached.cell(row, col).value
            if raw is None:
                text = "这是公式，但没有计算结果（工作簿未在 Excel/WPS 中打开保存过）：请在 Excel 中打开并保存，或直接填写数值"
                self.problems.append(Problem((), text, line=self.ref(row, col)))
                return None
        return plain(raw, cell.number_format or "")

    def rows(self) -> range:
        return range(2, self.ws.max_row + 1)

    def blank_row(self, row: int, ncols: int) -> bool:
        for col in range(1, ncols + 1):
            raw = self.ws.cell(row, col).value
            if raw is not None and not (isinstance(raw, str) and not raw.strip()):
                return False
        return True


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
    """The workbook twice (formulas, and their saved results), after the one reader of
    received Office files (`inputs.package`) checked and bounded it."""
    open_workbook_package(path, data)
    try:
        return load_workbook(io.BytesIO(data)), load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # checked above: what openpyxl still refuses is a damaged file, whatever it raises
        raise unreadable(path, exc, "xlsx") from exc


class NotEntryWorkbook(Exception):
    """The workbook lacks the data-entry sheets `missing`: it may hold printed forms."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(missing)
        self.missing = missing


def read_workbook(path: Path, data: bytes) -> LoadedFile:
    """The unit in a data-entry workbook (`data`, the file's bytes as the loader read them
    within its limits); raises `InputError` naming every bad sheet, column or cell, `NotEntryWorkbook` when
    it is some other workbook."""
    wb, cached = _open(path, data)
    kinds = tuple(k for k in form_kinds() if k.workbook is not None)  # the kinds the workbook holds
    extra = {k.unit_sheet.name: k for k in kinds if k.unit_sheet is not None}
    known = {c.HELP_SHEET, c.LISTS_SHEET, c.UNIT_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, c.EXTRA_SHEET, c.LABEL_SHEET, *extra}
    missing = [name for name in (c.UNIT_SHEET, c.PROJECT_SHEET) if name not in wb.sheetnames]
    if missing:
        raise NotEntryWorkbook(missing)
    problems: list[Problem] = []
    for name in wb.sheetnames:
        if name not in known:
            problems.append(Problem((), f"未知工作表「{name}」；此处允许：{'、'.join(sorted(known))}", line=f"{name}!A1"))
    sheets = {name: _Sheet(wb[name], cached[name], problems) for name in wb.sheetnames if name in known}
    for name in (c.UNIT_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, c.EXTRA_SHEET, c.LABEL_SHEET, *extra):
        if name in sheets and sheets[name].merged:
            merged = sheets[name].merged
            text = f"有合并单元格 {'、'.join(merged)}：数据表每格一个值，请取消合并"
            problems.append(Problem((), text, line=f"{name}!{merged[0].split(':')[0]}"))
    reader = _Reader(sheets, kinds, problems)
    unit = reader.unit()
    if problems:
        raise InputError(path, problems)
    text = json.dumps(unit, ensure_ascii=False, indent=1, default=str)
    return LoadedFile(path=path, data=unit, lines=reader.cells, text=text)


class _Reader:
    def __init__(self, sheets: dict[str, _Sheet], kinds: tuple[FormKind, ...], problems: list[Problem]) -> None:
        self.sheets, self.kinds, self.problems = sheets, kinds, problems
        self.cells: dict[FieldPath, Any] = {(): f"{c.UNIT_SHEET}!A1"}
        self.versions = headers.every_version()  # their words head a column as well as its default header

    def error(self, ref: str, text: str, path: FieldPath = ()) -> None:
        self.problems.append(Problem(path, text, line=ref))

    def unit(self) -> dict[str, Any]:
        data = self.unit_fields(self.sheets[c.UNIT_SHEET])
        data["projects"] = self.projects(self.sheets[c.PROJECT_SHEET])
        if c.INDICATOR_SHEET in self.sheets:
            self.indicators(self.sheets[c.INDICATOR_SHEET], data["projects"])
        if c.EXTRA_SHEET in self.sheets:
            self.lines(self.sheets[c.EXTRA_SHEET], data, "extra", c.EXTRA_COLUMNS)
        if c.LABEL_SHEET in self.sheets:
            self.lines(self.sheets[c.LABEL_SHEET], data, "labels", c.LABEL_COLUMNS, headers.label_names(self.versions))
        self.unprinted(data)
        for kind in self.kinds:
            spec = kind.unit_sheet
            if spec is not None and spec.name in self.sheets:
                sheet = self.sheets[spec.name]
                texts = {col: str(sheet.ws.cell(1, col).value or "") for col in (1, 3)}  # 类别, 内容: text; 分项序号: a number
                rows = [(sheet.ref(r, 1), *(sheet.value(r, col, texts.get(col, "")) for col in (1, 2, 3))) for r in sheet.rows() if not sheet.blank_row(r, 3)]
                value, cells, problems = spec.read(rows)
                data[kind.unit_part] = value
                self.cells.update(cells)
                self.cells[(kind.unit_part,)] = f"{sheet.title}!A1"
                self.problems += problems
        return data

    def unprinted(self, data: dict[str, Any]) -> None:
        """A value typed into a column the project's form version does not print is an
        error (it would be silently left off the form)."""
        from docgen.registry.manifest import default_registry

        registry = default_registry()
        unit_forms = data.get("forms") or {}
        for index, project in enumerate(data["projects"]):
            own = project.get("forms") or {}
            used = []
            for kind in self.kinds:
                columns = kind.workbook_columns()
                if not any(col.path[0] in project for col in columns):
                    continue  # the project does not get this form
                try:
                    version = registry.version(kind.name, (None if kind.document else own.get(kind.name)) or unit_forms.get(kind.name) or None)
                except RegistryError:
                    continue  # the check names the unknown version
                used.append(version)
                for column in columns:
                    if _filled(project, column.path) and not c.printed(column, [version]):
                        ref = self.cells.get(("projects", index, *column.path), "")
                        self.error(ref, unprinted_text(column.header, kind.short_title, version.version), ("projects", index, *column.path))
            for column in c.PROJECT_COLUMNS:
                if column.versioned and used and _filled(project, column.path) and not c.printed(column, used):
                    forms = "、".join(f"{v.version} 版{next(k.short_title for k in self.kinds if k.name == v.kind)}" for v in used)
                    text = f"「{column.header}」不印在本项目的表单（{forms}）上：请删去它，或在「单位」表改用印出它的表单版本"
                    self.error(self.cells.get(("projects", index, *column.path), ""), text, ("projects", index, *column.path))

    def unit_fields(self, sheet: _Sheet) -> dict[str, Any]:
        by_label = {col.header: col for col in [*c.UNIT_ROWS, c.PROFILE_ROW]}
        versions = {c.VERSION_ROW + k.short_title: k.name for k in self.kinds}
        data: dict[str, Any] = {}
        for r in sheet.rows():
            label = sheet.value(r, 1)
            if label is None:
                continue
            label = str(label).strip()
            column = by_label.get(label)
            value = sheet.value(r, 2, _text_header(column, Unit) if column is not None else label)
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

    def header(self, sheet: _Sheet, defaults: list[c.Column]) -> dict[int, c.Column]:
        """Column number -> column, from the header row (each column by its default header,
        or a form version's words for it: `headers.accepted`); unknown or repeated headers,
        and two headers of one field, are errors."""
        columns = headers.accepted(defaults, sheet.title, self.versions)
        found: dict[int, c.Column] = {}
        seen: dict[str, int] = {}
        fields: dict[c.Column, tuple[int, str]] = {}
        for col in range(1, sheet.ws.max_column + 1):
            text = sheet.value(1, col)
            if text is None:
                continue
            text = str(text).strip()
            if text in seen:
                self.error(sheet.ref(1, col), f"列「{text}」重复（与第 {seen[text]} 列）")
            elif text not in columns:
                allowed = "、".join(dict.fromkeys(col.header for col in defaults))
                self.error(sheet.ref(1, col), f"未知列「{text}」；此处允许：{allowed}（或各表单版本对这些栏目的叫法）")
            elif columns[text] in fields:
                first, said = fields[columns[text]]
                self.error(sheet.ref(1, col), f"列「{text}」与第 {first} 列「{said}」是同一栏（{columns[text].header}）：请删去其中一列")
            else:
                seen[text] = col
                fields[columns[text]] = (col, text)
                found[col] = columns[text]
        return found

    def project_columns(self) -> list[c.Column]:
        columns = [c.NUMBER, *c.PROJECT_COLUMNS]
        for kind in self.kinds:
            columns.append(c.Column(("#" + kind.name,), kind.workbook_flag))
            columns.append(c.Column(("forms", kind.name), c.VERSION_COLUMN + kind.short_title))
            columns += kind.workbook_columns()
        return columns

    def projects(self, sheet: _Sheet) -> list[dict[str, Any]]:
        header = self.header(sheet, self.project_columns())
        self.numbers: dict[str, int] = {}
        self.names: dict[str, int] = {}
        self.project_names: list[str] = []
        projects: list[dict[str, Any]] = []
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
            value, ref = sheet.value(r, col, _text_header(column, Project)), sheet.ref(r, col)
            path = ("projects", index) + column.path
            if column.path == ("#",):
                if value is not None:
                    self.numbers[str(value).strip()] = index
                continue
            if column.path[0].startswith("#"):
                flags[column.path[0][1:]] = (value, ref)
                continue
            self.cells[path] = ref
            if value is not None and column.from_cell is not None:
                try:
                    value = column.from_cell(value)
                except ValueError as exc:
                    self.error(ref, f"「{sheet.ws.cell(1, col).value}」{exc}", path)
                    continue
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
            self.error(
                flag[1], f"填写了{kind.workbook_flag}的数据，但「{kind.workbook_flag}」列不是「是」（要生成就填「是」，否则删去这些数据）", ("projects", index)
            )
        for f in fields:
            if wanted:
                data.setdefault(f, {})
        if flag is not None:
            self.cells.setdefault(("projects", index) + (min(fields),), flag[1])

    def indicators(self, sheet: _Sheet, projects: list[dict[str, Any]]) -> None:
        header = self.header(sheet, [c.INDICATOR_PROJECT, c.INDICATOR_PROJECT_NAME, *c.INDICATOR_COLUMNS, *c.indicator_fields().values()])
        width = sheet.ws.max_column
        for r in sheet.rows():
            if sheet.blank_row(r, width):
                continue
            values: dict[FieldPath, tuple[Any, str]] = {
                column.path: (sheet.value(r, col, _text_header(column, Indicator)), sheet.ref(r, col)) for col, column in header.items()
            }
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
                if str(path[0]).startswith("#"):
                    continue
                self.cells[base + path] = ref
                if value is not None:
                    _put(indicator, path, value)
            project["indicators"].append(indicator)

    def lines(self, sheet: _Sheet, data: dict[str, Any], field: str, columns: list[c.Column], names: dict[str, str] | None = None) -> None:
        """The 其他栏目 (`field` extra) or 表单标签 (labels) sheet: each row a line (its name
        and text: `columns[2:]`) of the project its 项目序号 (or 项目名称) names, or of the
        unit when both are blank, in the order of the rows; `names` takes a label as printed
        to its name (one it does not know is kept as typed: the check names it)."""
        name_col, text_col = columns[2], columns[3]
        header = {column.path: col for col, column in self.header(sheet, columns).items()}
        missing = [column.header for column in (name_col, text_col) if column.path not in header]
        if missing:
            self.error(f"{sheet.title}!A1", f"「{sheet.title}」表缺少「{'」「'.join(missing)}」列（第一行应为：{'、'.join(col.header for col in columns)}）")
            return
        seen: dict[FieldPath, str] = {}
        width = sheet.ws.max_column
        for r in sheet.rows():
            if sheet.blank_row(r, width):
                continue
            values: dict[FieldPath, tuple[Any, str]] = {
                path: (sheet.value(r, col, "" if path == ("#",) else next(x.header for x in columns if x.path == path)), sheet.ref(r, col))
                for path, col in header.items()
            }
            name, name_ref = values[name_col.path]
            text, text_ref = values[text_col.path]
            if name is None or not str(name).strip():
                if text is not None:
                    self.error(name_ref, f"「{name_col.header}」未填：这一行有内容「{_short(text)}」，请写明它是表单上的哪一栏（如 填报日期）")
                continue  # a row with only its project: nothing to print
            owned = values.get(("#",), (None, ""))[0] is not None or values.get(("#name",), (None, ""))[0] is not None
            index = self.owner(values, sheet.ref(r, 1), len(data["projects"])) if owned else None
            if owned and index is None:
                continue  # the owner's message is given
            base: FieldPath = (field,) if index is None else ("projects", index, field)
            key = str(name).strip()
            key = (names or {}).get(key, key)
            whose = "单位" if index is None else f"项目「{self.project_names[index]}」"
            if base + (key,) in seen:
                self.error(name_ref, f"{whose}的{name_col.header}「{str(name).strip()}」重复（已在 {seen[base + (key,)]}）：每个{name_col.header}只写一行")
                continue
            seen[base + (key,)] = name_ref
            owner = data if index is None else data["projects"][index]
            owner.setdefault(field, {})[key] = "" if text is None else str(text)
            self.cells.setdefault(base, name_ref)
            self.cells[base + (key,)] = text_ref

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


def _short(value: Any) -> str:
    return excerpt(str(value), 20)


def _filled(data: dict[str, Any], path: FieldPath) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return data not in (None, "", {})


def _text_header(column: c.Column, model: Any) -> str:
    """The header of a text column (where a formula is refused), "" for another kind."""
    if column.path == ("#",):
        return ""
    if column.path[0].startswith("#") or column.path[0] == "forms":
        return column.header
    return column.header if c.value_kind(model, column.path) in ("text", "choice") else ""


def _put(data: dict[Any, Any], path: FieldPath, value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value
