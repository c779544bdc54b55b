"""The indicator table every form kind prints: a header row of labels, then one row per
indicator until the table ends (or a row the kind names, such as 总分)."""

from __future__ import annotations

import re
from typing import Any

from docgen.inputs.importing.found import Found
from docgen.inputs.importing.grid import Row
from docgen.inputs.importing.labels import find, header, norm, pick, squeeze


_LEVELS = {"level1", "level2"}
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


def read_indicators(found: Found, rows: list[Row], labels: dict[str, str], stop: str = "", start: int = 0) -> int | None:
    """Fill `found.project["indicators"]` from the table headed by `labels` (field -> label;
    the first is the 一级 column); returns the row of `stop` (e.g. 总分) if met.  A row with
    values but no 三级指标 name is kept (nameless): the check names its cell, where skipping
    it would lose an indicator without a word."""
    first = next(iter(labels.values()))
    at = find(rows, first, start=start)
    if at is None:
        found.problems.append(f"找不到绩效指标表头（{'、'.join(labels.values())}）")
        return None
    columns = header(rows[at[0]], labels)
    indicators: list[dict[str, Any]] = found.project.setdefault("indicators", [])
    for r in range(at[0] + 1, len(rows)):
        row = rows[r]
        if stop and any(norm(c.text) == norm(stop) for c in row):
            return r
        if _signs_off(row):
            return None
        sub = Found(found.form, found.kind, found.version)
        for key, column in columns.items():
            sub.put((key,), pick(row, column))
        found.problems += sub.problems  # a formula never calculated in an indicator's cell
        name = sub.project.get("name")
        if name and norm(name) == norm(labels.get("name", "")):
            continue  # the header repeated after a page break
        for key in _LEVELS & set(sub.project):
            if norm(sub.project[key]) == norm(labels.get(key, "")):
                del sub.project[key]  # a class cell merged into a header typed again above it
        if not name and not set(sub.project) - _LEVELS:
            continue  # a blank row (its 一级/二级 may be a merge running through it)
        _fill_down(sub, indicators)
        n = len(indicators)
        indicators.append(sub.project)
        found.cells.update({("indicators", n) + path: where for path, where in sub.cells.items()})
    return None
