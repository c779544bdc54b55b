"""Finding a form's fields by their labels, as a clerk reads a form: 「项目名称」 -> the
next cell.  Labels match whatever the spacing, the colon or the width of brackets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docgen.registry.labels import norm, squeeze

if TYPE_CHECKING:  # grid reads labels too (`norm`)
    from docgen.inputs.importing.grid import Cell, Row

__all__ = ["norm", "squeeze"]  # how a label is matched is the registry's (what the manifest declares is matched so)


def cells_of(rows: list[Row]) -> list[tuple[int, int, Cell]]:
    return [(r, i, cell) for r, row in enumerate(rows) for i, cell in enumerate(row)]


def find(rows: list[Row], label: str, start: int = 0, nth: int = 0) -> tuple[int, int] | None:
    """(row, index in row) of the `nth` cell labelled `label`, from row `start` on."""
    want = norm(label)
    hits = [(r, i) for r, i, cell in cells_of(rows) if r >= start and norm(cell.text) == want]
    return hits[nth] if len(hits) > nth else None


def find_prefix(rows: list[Row], label: str) -> tuple[int, int] | None:
    """The first cell whose text starts with `label` (a label carrying data: 项目总体目标（2023年-2023年））."""
    want = norm(label)
    return next(((r, i) for r, i, cell in cells_of(rows) if norm(cell.text).startswith(want)), None)


def after(rows: list[Row], label: str, nth: int = 0) -> Cell | None:
    """The cell right of the `nth` cell labelled `label` in its row."""
    at = find(rows, label, nth=nth)
    if at is None:
        return None
    row = rows[at[0]]
    return row[at[1] + 1] if at[1] + 1 < len(row) else None


@dataclass(frozen=True)
class Column:
    label: str
    first: int  # grid columns it covers
    last: int


def header(row: Row, labels: dict[str, str]) -> dict[str, Column]:
    """The columns of a header row: field -> the grid span of the cell labelled for it."""
    out = {}
    for i, cell in enumerate(row):
        last = row[i + 1].col - 1 if i + 1 < len(row) else 10_000
        for key, label in labels.items():
            if key not in out and norm(cell.text) == norm(label):
                out[key] = Column(label, cell.col, last)
    return out


def pick(row: Row, column: Column) -> Cell | None:
    """The cell of `row` that starts within `column`'s span."""
    return next((cell for cell in row if column.first <= cell.col <= column.last), None)


def labels_of(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A label or its synonyms, as a tuple."""
    return (value,) if isinstance(value, str) else tuple(value)


def find_any(rows: list[Row], labels: str | tuple[str, ...], start: int = 0) -> tuple[int, int] | None:
    """The first cell (in reading order) labelled by one of `labels` (a label and its synonyms)."""
    wants = {norm(label) for label in labels_of(labels)}
    return next(((r, i) for r, i, cell in cells_of(rows) if r >= start and norm(cell.text) in wants), None)


_POINTS = re.compile(r"^(?P<label>.+?)\((?P<points>\d+(?:\.\d+)?)分\)$")


def points_of(text: str) -> tuple[str, str | None]:
    """A label and the points written in it: 「产出指标（50分）」 -> (产出指标, 50);
    「预算执行情况（万元）（20分）」 -> (预算执行情况, 20); no points -> (the label, None)."""
    found = _POINTS.match(norm(text))
    return (found.group("label"), found.group("points")) if found else (norm(text), None)


def header_any(row: Row, labels: dict[str, tuple[str, ...]]) -> dict[str, Column]:
    """`header` with a label and its synonyms per field (a column is taken by its first field)."""
    out: dict[str, Column] = {}
    taken: set[int] = set()
    for i, cell in enumerate(row):
        last = row[i + 1].col - 1 if i + 1 < len(row) else 10_000
        text = norm(cell.text)
        if not text or i in taken:
            continue
        for key, synonyms in labels.items():
            if key not in out and text in {norm(s) for s in labels_of(synonyms)}:
                out[key] = Column(cell.text, cell.col, last)
                taken.add(i)
                break
    return out
