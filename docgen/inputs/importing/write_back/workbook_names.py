"""Naming a data-entry workbook's cells and fields for the write-back: a field's title
and column header, a cell reference split, a value as a cell holds it."""

from __future__ import annotations

from datetime import date
from typing import Any

from docgen.inputs.entrybook import columns as c
from docgen.inputs.importing.write_back import FieldPath
from docgen.model.fields import field_at
from docgen.model.unit import Unit

BLANK = "（空）"


def _shown(value: Any) -> str:
    return BLANK if value in (None, "") else str(value)


def _names(path: FieldPath) -> tuple[str, ...]:
    return tuple(p for p in path if isinstance(p, str))


def _title(path: FieldPath) -> str:
    info = field_at(Unit, _names(path))
    return info.title if info is not None and info.title else str(path[-1])


def _split(ref: Any) -> tuple[str, str]:
    sheet, _, cell = str(ref).rpartition("!")
    return sheet, cell


def _letters(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _header(path: FieldPath) -> str:
    names = _names(path)
    if "indicators" in names:
        key = names[-1]
        col = c.indicator_fields().get(key) or next((x for x in c.INDICATOR_COLUMNS if x.path == (key,)), None)
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
