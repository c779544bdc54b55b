"""A merge's edits as cell writes into a data-entry workbook: each value into the cell the
workbook reader found it in, a field the workbook has no column for into a column added
at the end of its sheet, a new indicator into a row after the last, in the styles of the
row above; a row taken off the form has its cells emptied."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Problem
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.columns import value_kind
from docgen.inputs.entrybook.headers import accepted, every_version, label_words
from docgen.inputs.importing.write_back import Edits, FieldPath
from docgen.inputs.importing.write_back.workbook_file import CellWrite
from docgen.inputs.importing.write_back.workbook_names import _header, _letters, _shown, _split, _typed
from docgen.model.unit import Unit
from docgen.parse.text import LoadedFile
from docgen.parse.text import read_bytes as read_bytes


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


def _cell_writes(ours: LoadedFile, edits: Edits, raw: bytes, unit_file: Path) -> list[CellWrite]:
    """The edits as cell writes into the workbook's sheets; a field without a column is refused."""
    from openpyxl import load_workbook

    writes: list[CellWrite] = []
    wb = load_workbook(io.BytesIO(raw), read_only=True)
    added_columns: dict[tuple[str, str], str] = {}  # (sheet, header) -> the column letters added for it
    writes, taken = _extra_writes(ours, edits, wb, unit_file)
    more, also = _mapping_writes(ours, edits)
    writes, taken = writes + more, taken | also
    for path, value in edits.values.items():
        if path in taken:
            continue
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
        name = ours.lines.get((*path[: 4 if sheet == c.INDICATOR_SHEET else 2], "name"))
        like = f"{_split(name)[1]}" if kind == "text" and isinstance(name, str) and name.startswith(sheet + "!") else None
        writes.append(CellWrite(sheet, f"{letters}{row}", _typed(value, kind), kind, like))  # a text column added: Text, as the row's name
    writes += _row_writes(ours, edits, wb, unit_file)
    return writes


def _extra_writes(ours: LoadedFile, edits: Edits, wb: Any, unit_file: Path) -> tuple[list[CellWrite], set[FieldPath]]:
    """The `extra:` lines and `labels:` edited, as rows of the 其他栏目 / 表单标签 sheet: one
    taken off has its row emptied (a blank text would still be a line), a new one a row
    after the last, naming its project (a label by the words its version prints); an
    edited one is a cell like any other (not taken here)."""
    writes: list[CellWrite] = []
    taken: set[FieldPath] = set()
    sheets = {"extra": (c.EXTRA_SHEET, "栏目"), "labels": (c.LABEL_SHEET, "标签")}
    rows = {sheet: _last_row(ours, sheet) for sheet, _ in sheets.values()}
    leaves: dict[FieldPath, Any] = {}
    for path, value in edits.values.items():
        at = 0 if path[:1] in (("extra",), ("labels",)) else 2 if path[:1] == ("projects",) and path[2:3] in (("extra",), ("labels",)) else -1
        if at >= 0 and len(path) == at + 1 and (value is None or isinstance(value, dict)):  # the whole mapping set or taken off: line by line
            old = {p[-1] for p in ours.lines if len(p) == len(path) + 1 and p[: len(path)] == path}
            leaves |= {(*path, key): None for key in old} | {(*path, key): text for key, text in (value or {}).items()}
            taken.add(path)
        elif at >= 0 and len(path) == at + 2:
            leaves[path] = value
    for path, value in leaves.items():
        at = 0 if path[0] != "projects" else 2
        sheet, what = sheets[str(path[at])]
        ref = ours.lines.get(path)
        if isinstance(ref, str) and ref.startswith(sheet + "!"):
            if value is None:
                line = int(re.sub(r"\D", "", _split(ref)[1]))
                writes += [CellWrite(sheet, f"{_letters(n)}{line}", None, "text") for n in range(1, len(c.EXTRA_COLUMNS) + 1)]
                taken.add(path)
            elif path not in edits.values:  # a line of a mapping set whole: its text cell
                writes.append(CellWrite(sheet, _split(ref)[1], value, "text"))
            continue
        if value is None:
            continue
        if sheet not in wb.sheetnames:
            text = f"工作簿没有「{sheet}」表，无法写入{what}「{path[-1]}」：请用 docgen workbook 重新生成工作簿，或在 YAML/JSON 文件中维护它；未写入"
            raise InputError(unit_file, [Problem(path, text, line=f"{sheet}!A1")])
        rows[sheet] += 1
        row = rows[sheet]
        index = int(path[1]) if at else None
        owner = (_project_number(ours, wb, index), ours.data["projects"][index].get("name")) if index is not None else (None, None)
        name = label_words(str(path[-1]), every_version()) if sheet == c.LABEL_SHEET else path[-1]
        for n, (cell, kind) in enumerate(((owner[0], "int"), (owner[1], "text"), (name, "text"), (value, "text")), start=1):
            writes.append(CellWrite(sheet, f"{_letters(n)}{row}", cell, kind, f"{_letters(n)}{row - 1}" if row > 2 else None))
        taken.add(path)
    return writes, taken


def _mapping_writes(ours: LoadedFile, edits: Edits) -> tuple[list[CellWrite], set[FieldPath]]:
    """Edits inside a value one cell holds as text (一级指标分值 「产出指标（60分）；…」): the
    cell rewritten whole, from the value with every edit under it made."""
    from docgen.forms import form_kinds

    mapped = [col for kind in form_kinds() for col in kind.workbook_columns() if col.to_cell is not None]
    writes: list[CellWrite] = []
    taken: set[FieldPath] = set()
    for col in mapped:
        bases = {path[: 2 + len(col.path)] for path in edits.values if path[:1] == ("projects",) and tuple(path[2 : 2 + len(col.path)]) == col.path}
        for base in bases:
            ref = ours.lines.get(base)
            if not isinstance(ref, str) or "!" not in ref:
                continue  # no such column: refused below, as any field without one
            value: Any = ours.data
            for part in base:
                value = value.get(part) if isinstance(value, dict) else value[part] if isinstance(value, list) and isinstance(part, int) else None
            mapping = dict(value or {}) if isinstance(value, dict) else {}
            for path, new in edits.values.items():
                if path[: len(base)] == base and len(path) == len(base) + 1:
                    mapping.pop(path[-1], None) if new is None else mapping.__setitem__(path[-1], new)
                    taken.add(path)
            sheet, cell = _split(ref)
            writes.append(CellWrite(sheet, cell, col.to_cell(mapping) if mapping else None, "text"))
    return writes, taken


def _last_row(ours: LoadedFile, sheet: str) -> int:
    """The last row of `sheet` the reader found a value or a record in (1: the header)."""
    rows = [
        int(re.sub(r"\D", "", _split(ref)[1]))
        for ref in ours.lines.values()
        if isinstance(ref, str) and ref.startswith(sheet + "!") and ref[len(sheet) + 1 :][:1].isalpha()
    ]
    return max(rows or [1])


def _row_writes(ours: LoadedFile, edits: Edits, wb: Any, unit_file: Path) -> list[CellWrite]:
    """The rows removed (every cell cleared: a project's row with its 指标 rows) and added
    (after the last filled row of the sheet, in the styles of the row above: a project's
    row in 项目, its indicators and every other new indicator in 指标) as cell writes."""
    from docgen.inputs.importing.write_back.workbook_projects import project_row, removed_rows, renamed_rows

    writes: list[CellWrite] = []
    for path, value in edits.values.items():
        writes += renamed_rows(ours, path, value, wb)
    for path in edits.removed:
        writes += removed_rows(ours, path, wb)
    rows = {c.INDICATOR_SHEET: _last_row(ours, c.INDICATOR_SHEET), c.PROJECT_SHEET: _last_row(ours, c.PROJECT_SHEET)}
    for list_path, _, new in edits.added:
        if list_path == ("projects",):
            number, more = project_row(ours, wb, new, rows, unit_file)
            writes += more
            for row in new.get("indicators") or []:
                writes += _indicator_row(wb, rows, number, new.get("name"), row, list_path, unit_file)
            continue
        project = ours.data["projects"][int(list_path[1])]
        writes += _indicator_row(wb, rows, _project_number(ours, wb, int(list_path[1])), project.get("name"), new, list_path, unit_file)
    return writes


def _indicator_row(wb: Any, rows: dict[str, int], number: Any, name: Any, new: dict[str, Any], list_path: FieldPath, unit_file: Path) -> list[CellWrite]:
    """One indicator as a new row of the 指标 sheet, after its last filled row."""
    if c.INDICATOR_SHEET not in wb.sheetnames:
        raise InputError(unit_file, [Problem(list_path, f"工作簿没有「{c.INDICATOR_SHEET}」表，无法添加新增的指标；未写入")])
    ws = wb[c.INDICATOR_SHEET]
    headers = {str(cell.value).strip(): n for n, cell in enumerate(next(ws.iter_rows(min_row=1, max_row=1)), start=1) if cell.value is not None}
    defaults = [c.INDICATOR_PROJECT, c.INDICATOR_PROJECT_NAME, *c.INDICATOR_COLUMNS, *c.indicator_fields().values()]
    columns = {text: col.path for text, col in accepted(defaults, c.INDICATOR_SHEET, every_version()).items()}  # a version's words too
    missing = [k for k, v in new.items() if v not in (None, "") and not any(columns.get(h) == (k,) for h in headers)]
    if missing:
        names = "」「".join(_header(("projects", 0, "indicators", 0, k)) for k in missing)
        text = f"工作簿的「{c.INDICATOR_SHEET}」表没有「{names}」列，无法写入新增的指标「{new.get('name', '')}」；未写入"
        raise InputError(unit_file, [Problem(list_path, text, line=f"{c.INDICATOR_SHEET}!A1")])
    rows[c.INDICATOR_SHEET] += 1
    row = rows[c.INDICATOR_SHEET]
    writes = []
    for text, col in headers.items():
        field_path = columns.get(text)
        if field_path is None:
            continue
        value = number if field_path == ("#",) else name if field_path == ("#name",) else new.get(field_path[0])
        kind = value_kind(Unit, ("projects", "indicators", *field_path)) if not field_path[0].startswith("#") else "int" if field_path == ("#",) else "text"
        writes.append(CellWrite(c.INDICATOR_SHEET, f"{_letters(col)}{row}", _typed(value, kind), kind, f"{_letters(col)}{row - 1}" if row > 2 else None))
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
