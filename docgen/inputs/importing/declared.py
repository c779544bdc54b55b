"""Reading a form by its version's declaration (`read:` in templates/manifest.yaml): the
fields next to their labels, the texts under a row of header labels, and the funds table
(a header row of columns over one row per source).  Nothing here names a label: the
manifest does, so a regional version is data."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.inputs.importing.found import Found
from docgen.inputs.importing.grid import Cell, FormText, Row
from docgen.inputs.importing.labels import cells_of, find_any, header_any, labels_of, norm, pick, points_of
from docgen.inputs.importing.lines import GAP, NEXT_LABEL, sign_off
from docgen.registry.manifest import FundsTable, Labels


def _path(dotted: str) -> tuple[str, ...]:
    return tuple(dotted.split("."))


def _labelled(rows: list[Row], labels: Labels) -> Iterator[Cell]:
    wants = {norm(label) for label in labels}
    for r, i, cell in cells_of(rows):
        text = norm(cell.text)
        if text in wants:
            row = rows[r]
            nxt = next((c for c in row[i + 1 :] if c.text != cell.text), None)  # a label merged across cells repeats
            if nxt is not None and not nxt.text.strip().endswith((":", "：")):
                yield nxt  # (a cell that is itself a label, 「财务负责人：」, is no value)
                continue
            inline = cell.text.split("：", 1) if "：" in cell.text else cell.text.split(":", 1)
            yield Cell(inline[1].strip() if len(inline) == 2 else "", cell.col, cell.where)
            continue
        for want in wants:
            if text.startswith(want + ":"):
                rest = cell.text.strip()
                rest = rest.split("：", 1)[1] if "：" in rest else rest.split(":", 1)[1]
                value = NEXT_LABEL.split(GAP.split(rest.strip())[0].strip())[0]
                yield Cell(value.strip(), cell.col, cell.where)  # up to the next label typed after a gap
                break


def labelled(rows: list[Row], labels: Labels) -> Cell | None:
    """The value of the field labelled by one of `labels`: the next cell of the label's
    row, or what follows the colon in the label's own cell (「项目负责人：张三」)."""
    return next(_labelled(rows, labels), None)


def _lines(form: FormText) -> list[Row]:
    """The paragraphs above and below the table as rows of cells: a line typed as
    「单位名称：区商务局　　填报日期：2021年4月22日」 is two label-and-value cells."""
    out = []
    for n, text in enumerate([*form.preamble, *form.after]):
        parts = [p.strip() for gap in GAP.split(text) for p in NEXT_LABEL.split(gap) if p.strip()]
        out.append([Cell(p, i, f"{form.label} 上下的文字第 {n + 1} 段") for i, p in enumerate(parts)])
    return out


def read_fields(found: Found, rows: list[Row], fields: dict[str, Labels]) -> None:
    """Each declared field by its label: in the table, else in the lines above or below
    it; `unit.NAME` is a field of the unit (单位名称), the others of the project.  Fields
    declaring the same labels (其他资金 of the project, then of the year) take the label's
    places in reading order; a form printing it fewer times gives it to the last ones."""
    lines = _lines(found.form)
    sharing: dict[frozenset[str], list[str]] = {}
    for dotted, labels in fields.items():
        sharing.setdefault(frozenset(map(norm, labels)), []).append(dotted)
    for dotted, labels in fields.items():
        group = sharing[frozenset(map(norm, labels))]
        if len(group) == 1:
            cell = labelled(rows, labels) or labelled(lines, labels)
        else:
            places = list(_labelled(rows, labels)) or list(_labelled(lines, labels))
            n = group.index(dotted) - max(0, len(group) - len(places))
            cell = places[n] if 0 <= n < len(places) else None
        path = _path(dotted)
        if path[0] == "unit":
            if cell is not None and cell.text.strip():
                found.unit[path[1]] = cell.text.strip()
                found.cells[("unit",) + path[1:]] = cell.where
            continue
        found.put(path, cell)


def read_lines(found: Found, lines: dict[str, Labels]) -> None:
    """The fields printed as 「label：value」 on the lines outside the table (`read: lines:`,
    a sign-off line above or below it, a sheet's row): each by its label, several on one
    line; what such a line carries that is no declared label's value is a problem naming
    its place (a sign-off read as nothing would lose it without a word)."""
    if not lines:
        return
    values, problems = sign_off(found.form, lines)
    found.problems += problems
    for dotted, part in values.items():
        path = _path(dotted)
        cell = Cell(part.value, part.col, part.where)
        if path[0] == "unit":
            if part.value:
                found.unit[path[1]] = part.value
                found.cells[("unit",) + path[1:]] = part.where
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
