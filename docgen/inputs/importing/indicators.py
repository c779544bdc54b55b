"""The indicator table every form kind prints: a header row of labels, then one row per
indicator until the table ends (or a row the kind names, such as 总分)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from docgen.inputs.importing.found import Found
from docgen.inputs.importing.grid import Row
from docgen.inputs.importing.labels import Column, find_any, header_any, labels_of, norm, pick, points_of, squeeze
from docgen.model.formatting import number_text
from docgen.model.rounding import q2
from docgen.registry.manifest import IndicatorTable

_LEVELS = {"level1", "level2"}
MAX_INDICATORS = 1_000  # rows of one form's indicator table; a real form has a few dozen
# What a clerk types under the indicators to sign the form off (填报人：张三 | 联系电话：…,
# 注：…, 单位（盖章）) is no indicator: the indicator table ends there.
_SIGN_OFF = re.compile(
    r"^(填报人|填表人|填报单位|填表单位|联系人|联系电话|电话|审核人|复核人|负责人|单位负责人|财务负责人|项目负责人"
    r"|填报日期|填表日期|日期|备注|说明|注)(\(.*?\))?(:|$)|\((盖章|签字|签章)\)"
)


def _signs_off(row: Row) -> bool:
    first = next((squeeze(c.text) for c in row if c.text.strip()), "")
    return bool(_SIGN_OFF.search(first))


def _fill_down(sub: Found, indicators: list[dict[str, Any]]) -> None:
    """A blank 一级/二级 cell takes the class of the row above, as a merged cell would show
    it: a clerk who unmerged the cells (Excel), split the table or inserted a row below a
    merge leaves the class written once for the rows under it.  A 二级 is taken only under
    the same 一级."""
    above = indicators[-1] if indicators else {}
    if "level1" not in sub.project and "level1" in above:
        sub.project["level1"] = above["level1"]
    if "level2" not in sub.project and "level2" in above and sub.project.get("level1") == above.get("level1"):
        sub.project["level2"] = above["level2"]


def _two_row_header(rows: list[Row], at: int, labels: dict[str, tuple[str, ...]], columns: dict[str, Column]) -> dict[str, Column]:
    """A header over two rows (年度指标值 over 指标性质 | 指标值 | 度量单位): the columns the
    row above labels, where the anchor row leaves them unlabelled (a cell merged down
    repeats in both rows; typed once, it is in the upper row only)."""
    if at == 0:
        return columns
    above = header_any(rows[at - 1], {k: v for k, v in labels.items() if k not in columns})
    taken = {(c.first, c.last) for c in columns.values()}
    for key, column in above.items():
        inside = [c for c in columns.values() if column.first <= c.first <= column.last]
        if not inside and (column.first, column.last) not in taken:
            columns[key] = column
    return dict(sorted(columns.items(), key=lambda kv: kv[1].first))


def _unknown_columns(found: Found, rows: list[Row], at: int, header_rows: int, labels: dict[str, tuple[str, ...]], columns: dict[str, Column]) -> None:
    """A header cell right of the 一级指标 column that labels no declared column: its
    values would be dropped without a word, so the form is not read.  In the upper row of
    a two-row header a heading over declared columns (年度指标值) is no column of its own."""
    first = columns["level1"].first if "level1" in columns else 0
    known = {norm(x) for synonyms in labels.values() for x in synonyms}
    for r in range(max(at - header_rows + 1, 0), at + 1):
        row = rows[r]
        for i, cell in enumerate(row):
            text = norm(cell.text)
            if cell.col <= first or not text or text in known:
                continue
            last = row[i + 1].col - 1 if i + 1 < len(row) else 10_000
            if r < at and any(cell.col <= c.first <= last for c in columns.values()):
                continue
            found.problems.append(f"{cell.where}「{cell.text}」不是本版本绩效指标表的列，无法读入（本版本的列：{'、'.join(v[0] for v in labels.values())}）")


_TARGET_PARTS = ("target_comparator", "target_value", "target_unit")


def _join_target(project: dict[str, Any]) -> None:
    """指标性质 | 指标值 | 度量单位 read into one target, as `≥95%` typed in one cell."""
    parts = [unicodedata.normalize("NFKC", str(project.pop(key, ""))).strip() for key in _TARGET_PARTS]
    if any(parts):
        project["target"] = "".join(parts)


def _class_points(sub: Found, points: dict[str, str]) -> None:
    """「产出指标（50分）」: class 产出指标, its 50 points kept apart."""
    if "level1" in sub.project:
        label, value = points_of(sub.project["level1"])
        if value is not None:
            sub.project["level1"] = label
            points.setdefault(label, value)


def read_indicators(
    found: Found, rows: list[Row], labels: dict[str, Any], stop: str | tuple[str, ...] = "", start: int = 0, table: IndicatorTable | None = None
) -> int | None:
    """Fill `found.project["indicators"]` from the table headed by `labels` (field -> label
    or labels; the first is the 一级 column); returns the row of `stop` (e.g. 总分) if met.
    A row with values but no 三级指标 name is kept (nameless): the check names its cell,
    where skipping it would lose an indicator without a word.  `table` (the version's
    declaration) adds a two-row header, points in the class cells and weights from them;
    the class points found are in `found.class_points`."""
    labels = {k: labels_of(v) for k, v in labels.items()}
    stops = labels_of(stop) if stop else ()
    header_rows = table.header_rows if table is not None else 1
    at = find_any(rows, labels["level1"], start=start)
    if at is None:
        found.problems.append(f"找不到绩效指标表头（{'、'.join(v[0] for v in labels.values())}）")
        return None
    columns = header_any(rows[at[0]], labels)
    if header_rows == 2:
        columns = _two_row_header(rows, at[0], labels, columns)
    _unknown_columns(found, rows, at[0], header_rows, labels, columns)
    names = {k: {norm(x) for x in v} for k, v in labels.items()}
    classes = table.classes if table is not None else {}
    points: dict[str, str] = {}
    indicators: list[dict[str, Any]] = found.project.setdefault("indicators", [])
    for r in range(at[0] + 1, len(rows)):
        row = rows[r]
        if stops and any(norm(c.text) in {norm(x) for x in stops} for c in row):
            _weights_from_classes(found, indicators, points, table)
            return r
        if _signs_off(row):
            break
        sub = Found(found.form, found.kind, found.version)
        for key, column in columns.items():
            sub.put((key,), pick(row, column))
        found.problems += sub.problems  # a formula never calculated in an indicator's cell
        name = sub.project.get("name")
        if name and norm(name) in names.get("name", ()):
            continue  # the header repeated after a page break
        if table is None or table.class_points:
            _class_points(sub, points)
        for key in _LEVELS & set(sub.project):
            if norm(sub.project[key]) in names.get(key, ()):
                del sub.project[key]  # a class cell merged into a header typed again above it
            elif sub.project[key] in classes:
                sub.project[key] = classes[sub.project[key]]
        _join_target(sub.project)
        if not name and not set(sub.project) - _LEVELS:
            continue  # a blank row (its 一级/二级 may be a merge running through it)
        _fill_down(sub, indicators)
        n = len(indicators)
        if n == MAX_INDICATORS:
            where = next((c.where for c in row), found.form.label)
            found.problems.append(
                f"{where}：绩效指标超过 {MAX_INDICATORS:,} 行，不像一张表单（一张表单只有几十个指标）：请检查是否把多张表或数据粘贴进了这张表"
            )
            break
        indicators.append(sub.project)
        found.cells.update({("indicators", n) + path: where for path, where in sub.cells.items()})
        if "target" not in sub.cells and any((p,) in sub.cells for p in _TARGET_PARTS):
            found.cells[("indicators", n, "target")] = next(sub.cells[(p,)] for p in _TARGET_PARTS if (p,) in sub.cells)
    _weights_from_classes(found, indicators, points, table)
    return None


def _weights_from_classes(found: Found, indicators: list[dict[str, Any]], points: dict[str, str], table: IndicatorTable | None) -> None:
    """Keep the class points; a form with no 分值 column shares them equally among the
    indicators of the class (「产出指标（60分）」 over six indicators: 10 each)."""
    found.class_points = dict(points)
    if table is None or not table.weights_from_classes:
        return
    for level1, value in points.items():
        members = [ind for ind in indicators if ind.get("level1") == level1]
        if not members:
            continue
        share = q2(Decimal(value) / len(members))
        for ind in members:
            ind.setdefault("weight", number_text(share))
