"""Edits written back into a unit file in its own format, changing nothing else.

An edit is a field path of the unit data (`projects`, 0, `indicators`, 2, `actual`) and
its new value (text as the form prints it; None removes the value), or a row added to
or removed from a list.  Each format writes them its own way:

- YAML: a changed scalar's text is replaced in place, in the scalar's own style (a plain
  number stays a number, quotes stay quotes, block text stays a block); only rows and
  keys the file does not have yet go through ruamel's round trip.
- JSON: the changed values' text is replaced, rows and keys inserted in the file's own
  indentation; every other byte stays.
- A data-entry workbook: the changed cells are rewritten in the sheet XML inside the
  zip (the cell keeps its style), new rows appended in the sheet's layout; every other
  part of the zip is copied as it was.

Every result is read back and compared with what the edits should give before it is
written: a writer that cannot make the file hold the edits refuses (`InputError`)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Problem

FieldPath = tuple[str | int, ...]


@dataclass
class Edits:
    """What a merge writes: values set (None: removed), rows added (inserted before the
    row `before` of the list as it is in the file, None: at its end) and rows removed
    (by their index in the file).  `kinds` says how each field is typed (number,
    amount, percent, date, text…, from `entrybook.columns.value_kind`)."""

    values: dict[FieldPath, Any] = field(default_factory=dict)
    added: list[tuple[FieldPath, int | None, dict[str, Any]]] = field(default_factory=list)
    removed: list[FieldPath] = field(default_factory=list)
    kinds: dict[FieldPath, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.values or self.added or self.removed)


_MISSING = object()
NUMBER_KINDS = ("amount", "number", "int", "percent")


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


def number(value: Any) -> Decimal | None:
    """`1,943,200.00`, `96.41%`, `１０` as a Decimal (a percentage as its number: 96.41); None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    text = str(value).translate(_FULL_WIDTH).replace(",", "").replace(" ", "").strip()
    text = text[:-1] if text.endswith("%") else text
    text = text[:-1] if text.endswith("元") else text
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％－", "0123456789.,%-")


def number_text(value: Decimal) -> str:
    text = format(value, "f")
    return text


def expected(data: Any, edits: Edits) -> Any:
    """`data` as the edits make it (plain dicts and lists), for checking what a writer wrote."""
    out = copy.deepcopy(data)
    for path, value in edits.values.items():
        parent = out
        for part in path[:-1]:
            if isinstance(parent, dict):
                parent = parent.setdefault(part, {})
            else:
                parent = parent[part]
        if value is None:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
    for path in sorted(edits.removed, key=lambda p: -int(p[-1])):
        _get(out, path[:-1])[int(path[-1])] = _MISSING
    inserts: dict[FieldPath, list[tuple[int | None, dict[str, Any]]]] = {}
    for path, before, row in edits.added:
        inserts.setdefault(path, []).append((before, row))
    for path in {*(p[:-1] for p in edits.removed), *inserts}:
        rows = _get(out, path)
        if rows is _MISSING:
            rows = []
            _get(out, path[:-1])[path[-1]] = rows
        new: list[Any] = []
        for n, row in enumerate(rows):
            new += [r for b, r in inserts.get(path, []) if b == n]
            if row is not _MISSING:
                new.append(row)
        new += [r for b, r in inserts.get(path, []) if b is None or b >= len(rows)]
        rows[:] = new
    return out


def same_data(a: Any, b: Any) -> bool:
    """Equal as unit data: numbers by value (1.50 and 1.5, "6" and 6), text by its text, dates by their text."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k, v in a.items() if v not in (None, "", {}, [])} | {k for k, v in b.items() if v not in (None, "", {}, [])}
        return all(same_data(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b))
    if a in (None, "", {}, []) or b in (None, "", {}, []):
        return a in (None, "", {}, []) and b in (None, "", {}, [])
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    x, y = number(a), number(b)
    if x is not None and y is not None and not (isinstance(a, str) and isinstance(b, str)):
        return x == y
    return str(a) == str(b)


def _refuse(path: Path, text: str, where: Any = None) -> InputError:
    return InputError(path, [Problem((), text, line=where)])


from docgen.inputs.importing.write_back.json_file import json_text  # noqa: E402 - the writers use the helpers above
from docgen.inputs.importing.write_back.workbook_file import CellWrite, workbook_bytes  # noqa: E402
from docgen.inputs.importing.write_back.yaml_file import yaml_text  # noqa: E402

__all__ = ["CellWrite", "Edits", "expected", "json_text", "number", "same_data", "workbook_bytes", "yaml_text"]
