"""A merge's edits as cell writes into a data-entry workbook: each value into the cell the
workbook reader found it in, a field the workbook has no column for into a column added
at the end of its sheet, a new indicator into a row after the last, in the styles of the
row above; a row taken off the form has its cells emptied."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Problem
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.columns import value_kind
from docgen.inputs.importing.write_back import Edits, FieldPath
from docgen.inputs.importing.write_back.workbook_file import CellWrite
from docgen.model.fields import field_at
from docgen.model.unit import Unit
from docgen.parse.text import LoadedFile
from docgen.parse.text import read_bytes as read_bytes

BLANK = "（空）"


def _shown(value: Any) -> str:
    return BLANK if value in (None, "") else str(value)


def _names(path: FieldPath) -> tuple[str, ...]:
    return tuple(p for p in path if isinstance(p, str))


def _title(path: FieldPath) -> str:
    info = field_at(Unit, _names(path))
    return info.title if info is not None and info.title else str(path[-1])


def _entry_workbook(unit_file: Path) -> bool:
    """A data-entry workbook (its 单位 and 项目 sheets), not a printed form saved as .xlsx."""
    import zipfile

    from docgen.inputs.importing.write_back.workbook_file import _sheet_parts

    try:
        with zipfile.ZipFile(io.BytesIO(read_bytes(unit_file))) as zf:
            sheets = _sheet_parts(zf)
    except Exception:  # noqa: BLE001 - a file the workbook reader accepted, but not as a data-entry workbook
        return False
    return c.UNIT_SHEET in sheets and c.PROJECT_SHEET in sheets


def _appended(edits: Edits) -> Edits:
    """The edits as a workbook makes them: new rows at the end of their sheet."""
    return Edits(values=edits.values, added=[(p, None, row) for p, _, row in edits.added], removed=edits.removed, kinds=edits.kinds)


def _split(ref: Any) -> tuple[str, str]:
    sheet, _, cell = str(ref).rpartition("!")
    return sheet, cell


def _cell_writes(ours: LoadedFile, edits: Edits, raw: bytes, unit_file: Path) -> list[CellWrite]:
    """The edits as cell writes into the workbook's sheets; a field without a column is refused."""
    from openpyxl import load_workbook

    writes: list[CellWrite] = []
    wb = load_workbook(io.BytesIO(raw), read_only=True)
    added_columns: dict[tuple[str, str], str] = {}  # (sheet, header) -> the column letters added for it
    for path, value in edits.values.items():
        ref = ours.lines.get(path)
        kind = edits.kinds.get(path, "text")
        if isinstance(ref, str) and "!" in ref:
            sheet, cell = _split(ref)
            writes.append(CellWrite(sheet, cell, _typed(value, kind), kind))
            continue
        if value is None:
            continue  # nothing to clear where the workbook has no column
        # A field the workbook has no column for (columns no record used are left out): the column is added at the end.
        sheet = c.INDICATOR_SHEET if "indicators" in path else c.PROJECT_SHEET
        row_ref = ours.lines.get(path[:4] if sheet == c.INDICATOR_SHEET else path[:2])
        if not isinstance(row_ref, str) or not row_ref.startswith(sheet + "!") or sheet not in wb.sheetnames:
            raise InputError(
                unit_file,
                [
                    Problem(
                        path,
                        f"工作簿的「{sheet}」表没有「{_header(path)}」这一列，无法写入表单中的值「{_shown(value)}」：请在该表第一行末尾添加列「{_header(path)}」后再合并；未写入",
                        line=f"{sheet}!A1",
                    )
                ],
            )
        header = _header(path)
        letters = added_columns.get((sheet, header))
        if letters is None:
            width = max([n for n, cell in enumerate(next(wb[sheet].iter_rows(min_row=1, max_row=1)), start=1) if cell.value is not None] or [0])
            width += len([k for k in added_columns if k[0] == sheet])
            letters = _letters(width + 1)
            added_columns[(sheet, header)] = letters
            writes.append(CellWrite(sheet, f"{letters}1", header, "text", f"{_letters(max(width, 1))}1"))
        row = int(re.sub(r"\D", "", _split(row_ref)[1]))
        writes.append(CellWrite(sheet, f"{letters}{row}", _typed(value, kind), kind))
    writes += _row_writes(ours, edits, wb, unit_file)
    return writes


def _row_writes(ours: LoadedFile, edits: Edits, wb: Any, unit_file: Path) -> list[CellWrite]:
    """The rows removed (every cell cleared) and added (after the last filled 指标 row, in
    the styles of the row above) as cell writes."""
    writes: list[CellWrite] = []
    rows_of = [
        int(re.sub(r"\D", "", _split(ref)[1]))
        for path, ref in ours.lines.items()
        if isinstance(ref, str) and ref.startswith(c.INDICATOR_SHEET + "!") and ref[len(c.INDICATOR_SHEET) + 1 :][:1].isalpha()
    ]
    last_row = max(rows_of or [1])
    for path in edits.removed:
        ref = ours.lines.get(path)
        sheet, cell = _split(ref)
        row = int(re.sub(r"\D", "", cell))
        ws = wb[sheet]
        for col in range(1, (ws.max_column or 1) + 1):
            writes.append(CellWrite(sheet, f"{_letters(col)}{row}", None, "text"))
    for list_path, _, new in edits.added:
        if c.INDICATOR_SHEET not in wb.sheetnames:
            raise InputError(unit_file, [Problem(list_path, f"工作簿没有「{c.INDICATOR_SHEET}」表，无法添加表单中新增的指标；未写入")])
        ws = wb[c.INDICATOR_SHEET]
        headers = {str(cell.value).strip(): n for n, cell in enumerate(next(ws.iter_rows(min_row=1, max_row=1)), start=1) if cell.value is not None}
        columns = {col.header: col.path for col in [c.INDICATOR_PROJECT, c.INDICATOR_PROJECT_NAME, *c.INDICATOR_COLUMNS, *c.INDICATOR_FIELDS.values()]}
        project = ours.data["projects"][int(list_path[1])]
        last_row += 1
        above = last_row - 1 if last_row > 2 else None
        for text, col in headers.items():
            field_path = columns.get(text)
            if field_path is None:
                continue
            if field_path == ("#",):
                value = _project_number(ours, wb, int(list_path[1]))
            elif field_path == ("#name",):
                value = project.get("name")
            else:
                value = new.get(field_path[0])
            kind = value_kind(Unit, ("projects", "indicators", *field_path)) if not field_path[0].startswith("#") else "text"
            writes.append(CellWrite(c.INDICATOR_SHEET, f"{_letters(col)}{last_row}", _typed(value, kind), kind, f"{_letters(col)}{above}" if above else None))
        missing = [k for k, v in new.items() if v not in (None, "") and not any(columns.get(h) == (k,) for h in headers)]
        if missing:
            raise InputError(
                unit_file,
                [
                    Problem(
                        list_path,
                        f"工作簿的「{c.INDICATOR_SHEET}」表没有「{'」「'.join(_header(('projects', 0, 'indicators', 0, k)) for k in missing)}」列，无法写入表单中新增的指标「{new.get('name', '')}」；未写入",
                        line=f"{c.INDICATOR_SHEET}!A1",
                    )
                ],
            )
    return writes


def _project_number(ours: LoadedFile, wb: Any, index: int) -> Any:
    """What an indicator row types in 项目序号 for project `index`: its 序号 in the 项目 sheet."""
    ref = ours.lines.get(("projects", index))
    if isinstance(ref, str) and "!" in ref:
        sheet, cell = _split(ref)
        try:
            value = wb[sheet][cell].value
        except (KeyError, ValueError):
            value = None
        if value not in (None, ""):
            return value
    return index + 1


def _letters(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _header(path: FieldPath) -> str:
    names = _names(path)
    if "indicators" in names:
        key = names[-1]
        col = c.INDICATOR_FIELDS.get(key) or next((x for x in c.INDICATOR_COLUMNS if x.path == (key,)), None)
        return col.header if col else _title(path)
    from docgen.forms import form_kinds

    sub = names[1:]
    for kind in form_kinds():
        for col in kind.workbook_columns():
            if col.path == sub:
                return col.header
    col = next((x for x in c.PROJECT_COLUMNS if x.path == sub), None)
    return col.header if col else _title(path)


def _typed(value: Any, kind: str) -> Any:
    """A form's text as a workbook cell holds it: a date as a date."""
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value
