"""A project added to or removed from a data-entry workbook: the new project's row after
the last filled row of the 项目 sheet (in the styles of the row above, a column the
sheet lacks added at its end), its indicators as rows of the 指标 sheet naming its 序号;
a removed project's row and its 指标 rows have their cells emptied (the reader skips an
empty row; the sheet's validations, notes and styles stay as they were)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Problem
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.columns import value_kind
from docgen.inputs.entrybook.headers import accepted, every_version
from docgen.inputs.importing.write_back import FieldPath, number
from docgen.inputs.importing.write_back.workbook_file import CellWrite
from docgen.inputs.importing.write_back.workbook_names import _letters, _split, _title, _typed
from docgen.model.unit import Unit
from docgen.parse.text import LoadedFile

YES = "是"


def _row_of(ref: Any) -> int:
    return int(re.sub(r"\D", "", _split(ref)[1]))


def removed_rows(ours: LoadedFile, path: FieldPath, wb: Any) -> list[CellWrite]:
    """Every cell of the removed row emptied: an indicator's row, or a project's row and
    the rows of its indicators."""
    refs = [ours.lines.get(path)]
    if len(path) == 2:
        refs += [ref for p, ref in ours.lines.items() if len(p) == 4 and p[:3] == (*path, "indicators")]
    writes = []
    for ref in refs:
        if not isinstance(ref, str) or "!" not in ref:
            continue
        sheet = _split(ref)[0]
        for col in range(1, (wb[sheet].max_column or 1) + 1):
            writes.append(CellWrite(sheet, f"{_letters(col)}{_row_of(ref)}", None, "text"))
    return writes


def _columns() -> dict[tuple[str, ...], c.Column]:
    """The 项目 sheet's columns by the field each holds, as the reader knows them."""
    from docgen.forms import form_kinds

    columns = [c.NUMBER, *c.PROJECT_COLUMNS]
    for kind in form_kinds():
        columns.append(c.Column(("#" + kind.name,), kind.workbook_flag))
        columns.append(c.Column(("forms", kind.name), c.VERSION_COLUMN + kind.short_title))
        columns += kind.workbook_columns()
    return {col.path: col for col in columns}


def _leaves(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() if key != "indicators" for leaf in _leaves(item, path + (key,))]
    return [] if value in (None, "", []) else [path]


def _value(project: dict[str, Any], path: tuple[str, ...], number_value: Any) -> Any:
    from docgen.forms import form_kind

    if path == ("#",):
        return number_value
    if path[0].startswith("#"):
        fields = {col.path[0] for col in form_kind(path[0][1:]).workbook_columns()}
        return YES if any(f in project for f in fields) else None
    value: Any = project
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _next_number(ours: LoadedFile, wb: Any, column: int | None) -> Any:
    """The 序号 of a new project: one more than the largest the sheet holds (none when the
    sheet numbers no project: its indicators then name it by 项目名称)."""
    if column is None:
        return None
    ws = wb[c.PROJECT_SHEET]
    found = []
    for path, ref in ours.lines.items():
        if len(path) == 2 and path[0] == "projects" and isinstance(ref, str) and ref.startswith(c.PROJECT_SHEET + "!"):
            found.append(number(ws.cell(_row_of(ref), column).value))
    numbers = [n for n in found if n is not None]
    return int(max(numbers)) + 1 if numbers else None


def project_row(ours: LoadedFile, wb: Any, new: dict[str, Any], rows: dict[str, int], unit_file: Path) -> tuple[Any, list[CellWrite]]:
    """A new project's row in the 项目 sheet (and header cells for the columns it needs
    that the sheet lacks); returns its 序号 and the writes."""
    if c.PROJECT_SHEET not in wb.sheetnames:
        raise InputError(unit_file, [Problem(("projects",), f"工作簿没有「{c.PROJECT_SHEET}」表，无法添加项目；未写入")])
    ws = wb[c.PROJECT_SHEET]
    known = _columns()
    by_header = accepted(list(known.values()), c.PROJECT_SHEET, every_version())  # a version's words too, as the reader takes them
    header = {n: by_header.get(str(cell.value).strip()) for n, cell in enumerate(next(ws.iter_rows(min_row=1, max_row=1)), start=1) if cell.value is not None}
    at = {col.path: n for n, col in header.items() if col is not None}
    writes: list[CellWrite] = []
    width = max(header or {0: None})
    unknown = [p for p in _leaves(new) if p not in known]
    if unknown:
        names = "」「".join(_title(("projects", 0, *p)) for p in unknown)
        text = f"新项目「{new.get('name', '')}」的「{names}」在填报工作簿的「{c.PROJECT_SHEET}」表中没有对应的列，无法写入；未写入"
        raise InputError(unit_file, [Problem(("projects",), text, line=f"{c.PROJECT_SHEET}!A1")])
    added = [path for path in _leaves(new) if path not in at]
    for path in added:
        if path not in at:  # a column no project used yet (the workbook leaves those out): added at the end
            width += 1
            at[path] = width
            writes.append(CellWrite(c.PROJECT_SHEET, f"{_letters(width)}1", known[path].header, "text", f"{_letters(max(width - 1, 1))}1"))
    number_value = _next_number(ours, wb, at.get(("#",)))
    rows[c.PROJECT_SHEET] += 1
    row = rows[c.PROJECT_SHEET]
    for path, col in at.items():
        value = _value(new, path, number_value)
        kind = "int" if path == ("#",) else value_kind(Unit, ("projects", *path)) if not path[0].startswith("#") and path[0] != "forms" else "text"
        like = at.get(("name",)) if path in added and kind == "text" else col  # a column just added: styled as 项目名称 (Text)
        style = f"{_letters(like or col)}{row - 1}" if row > 2 else None
        writes.append(CellWrite(c.PROJECT_SHEET, f"{_letters(col)}{row}", _typed(value, kind), kind, style))
    return number_value, writes


def renamed_rows(ours: LoadedFile, path: FieldPath, name: Any, wb: Any) -> list[CellWrite]:
    """A project renamed: the 项目名称 its 指标 rows name it by follows (else its
    indicators would name a project the 项目 sheet no longer has)."""
    if c.INDICATOR_SHEET not in wb.sheetnames or len(path) != 3 or path[0] != "projects" or path[2] != "name":
        return []
    ws = wb[c.INDICATOR_SHEET]
    column = next(
        (n for n, cell in enumerate(next(ws.iter_rows(min_row=1, max_row=1)), start=1) if str(cell.value).strip() == c.INDICATOR_PROJECT_NAME.header), None
    )
    if column is None:
        return []
    refs = [ref for p, ref in ours.lines.items() if len(p) == 4 and p[:3] == (*path[:2], "indicators") and isinstance(ref, str)]
    return [CellWrite(c.INDICATOR_SHEET, f"{_letters(column)}{_row_of(ref)}", name, "text") for ref in refs if ref.startswith(c.INDICATOR_SHEET + "!")]
