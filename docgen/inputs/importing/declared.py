"""Reading a form by its version's declaration (`read:` in templates/manifest.yaml): the
fields next to their labels, the texts under a row of header labels, and the funds table
(a header row of columns over one row per source).  Nothing here names a label: the
manifest does, so a regional version is data."""

from __future__ import annotations

import re

from docgen.inputs.importing.found import Found
from docgen.inputs.importing.grid import Cell, FormText, Row
from docgen.inputs.importing.labels import cells_of, find_any, header_any, labels_of, norm, pick, points_of
from docgen.registry.manifest import FundsTable, Labels

_GAP = re.compile(r"[ \t\u3000]{2,}|\u3000")  # what separates two label-and-value pairs typed on one line
_NEXT_LABEL = re.compile(r"\s+(?=[^\s:：]{1,12}[:：])")  # … a PDF's text keeps one space of the gap: 「区商务局 填报日期：…」


def _path(dotted: str) -> tuple[str, ...]:
    return tuple(dotted.split("."))


def labelled(rows: list[Row], labels: Labels) -> Cell | None:
    """The value of the field labelled by one of `labels`: the next cell of the label's
    row, or what follows the colon in the label's own cell (「项目负责人：张三」)."""
    wants = {norm(label) for label in labels}
    for r, i, cell in cells_of(rows):
        text = norm(cell.text)
        if text in wants:
            row = rows[r]
            nxt = next((c for c in row[i + 1 :] if c.text != cell.text), None)  # a label merged across cells repeats
            if nxt is not None and not nxt.text.strip().endswith((":", "：")):
                return nxt  # (a cell that is itself a label, 「财务负责人：」, is no value)
            inline = cell.text.split("：", 1) if "：" in cell.text else cell.text.split(":", 1)
            return Cell(inline[1].strip() if len(inline) == 2 else "", cell.col, cell.where)
        for want in wants:
            if text.startswith(want + ":"):
                rest = cell.text.strip()
                rest = rest.split("：", 1)[1] if "：" in rest else rest.split(":", 1)[1]
                value = _NEXT_LABEL.split(_GAP.split(rest.strip())[0].strip())[0]
                return Cell(value.strip(), cell.col, cell.where)  # up to the next label typed after a gap
    return None


def _lines(form: FormText) -> list[Row]:
    """The paragraphs above and below the table as rows of cells: a line typed as
    「单位名称：区商务局　　填报日期：2021年4月22日」 is two label-and-value cells."""
    out = []
    for n, text in enumerate([*form.preamble, *form.after]):
        parts = [p.strip() for gap in _GAP.split(text) for p in _NEXT_LABEL.split(gap) if p.strip()]
        out.append([Cell(p, i, f"{form.label} 上下的文字第 {n + 1} 段") for i, p in enumerate(parts)])
    return out


def read_fields(found: Found, rows: list[Row], fields: dict[str, Labels]) -> None:
    """Each declared field by its label: in the table, else in the lines above or below
    it; `unit.NAME` is a field of the unit (单位名称), the others of the project."""
    lines = _lines(found.form)
    for dotted, labels in fields.items():
        cell = labelled(rows, labels) or labelled(lines, labels)
        path = _path(dotted)
        if path[0] == "unit":
            if cell is not None and cell.text.strip():
                found.unit[path[1]] = cell.text.strip()
                found.cells[("unit",) + path[1:]] = cell.where
            continue
        found.put(path, cell)


def read_goals(found: Found, rows: list[Row], goals: dict[str, Labels]) -> None:
    """Header labels (预期目标 | 实际完成情况) over the row of their texts; the labels of
    one version may sit in several rows (each over its own row of texts)."""
    by_row: dict[int, dict[str, Labels]] = {}
    for dotted, labels in goals.items():
        at = find_any(rows, labels)
        if at is not None and at[0] + 1 < len(rows):
            by_row.setdefault(at[0], {})[dotted] = labels
    for r, wanted in by_row.items():
        for dotted, column in header_any(rows[r], wanted).items():
            found.put(_path(dotted), pick(rows[r + 1], column))


def _at(row: Row, col: int) -> str:
    return next((norm(c.text) for c in row if c.col == col), "")


def _block(rows: list[Row], start: int, first: int, sources: dict[str, str]) -> list[int]:
    """The rows of the block whose header is row `start` (its first column of numbers
    `first`): while the block's label (the last label left of the numbers, merged down)
    goes on, or is left blank, or the row starts with a source."""
    block = next((c for c in reversed(rows[start]) if c.col < first and c.text.strip()), None)
    label, col = (norm(block.text), block.col) if block is not None else ("", 0)
    out = []
    for r in range(start + 1, len(rows)):
        head = _at(rows[r], col)
        if head not in (label, "") and head not in sources:
            break
        if any(c.text.strip() for c in rows[r][1:]):
            out.append(r)
    return out


def read_funds(found: Found, rows: list[Row], table: FundsTable) -> None:
    """The funds table: every row of the block is one of the declared sources, or an error
    naming its cell (a source read as nothing would change the sums without a word)."""
    stages = {k: v for k, v in table.columns.items()}
    at = find_any(rows, tuple(label for labels in stages.values() for label in labels))
    if at is None:
        wanted = "、".join(labels[0] for labels in stages.values())
        found.problems.append(f"找不到资金表头（{wanted}）")
        return
    head = rows[at[0]]
    columns = header_any(head, {**stages, **table.total_columns})
    first = min(c.first for c in columns.values())
    if table.points:
        for cell in head:
            _, points = points_of(cell.text)
            if cell.col < first and points is not None:
                found.put(table.points, Cell(points, cell.col, cell.where))
                break
    known = {label for cols in (stages, table.total_columns) for labels in cols.values() for label in map(norm, labels)}
    for cell in head:
        if cell.col > first and norm(cell.text) and norm(cell.text) not in known:
            found.problems.append(f"{cell.where}「{cell.text}」不是本表资金表的列（应为：{'、'.join(labels[0] for labels in stages.values())} 等）")
    sources = {norm(label): key for key, labels in table.rows.items() for label in labels_of(labels)}
    for r in _block(rows, at[0], first, sources):
        row = rows[r]
        names = [c for c in row if c.col < first and norm(c.text) and norm(c.text) in sources]
        names = names or [c for c in row if c.col < first and norm(c.text) and not any(h.col == c.col and h.text == c.text for h in head)]
        label = names[-1] if names else None
        key = sources.get(norm(label.text)) if label is not None else None
        if key is None:
            where = label.where if label is not None else row[0].where
            text = label.text if label is not None else ""
            found.problems.append(f"{where}「{text}」不是本表资金表的行，无法读入（本版本的行：{'、'.join(labels[0] for labels in table.rows.values())}）")
            continue
        for stage, column in columns.items():
            if stage in stages:
                found.put(table.path + (key, stage), pick(row, column))
            elif key == "total":
                found.put(_path(stage), pick(row, column))
