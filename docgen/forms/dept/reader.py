"""Reading the departmental document back: each 绩效目标表 (a Word table, or a sheet of
its workbook) as a budgeted project, and 第一部分 (the paragraphs before the first table)
as the unit's `department_goals`, numbers (一、/1、) taken off as docgen writes them."""

from __future__ import annotations

import re
from typing import Any

from docgen.inputs.importing.declared import read_fields, read_lines
from docgen.inputs.importing.found import Found
from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.indicators import read_indicators
from docgen.inputs.importing.labels import after, find, header, norm, pick
from docgen.registry.manifest import FormVersion

_PLAN = {"march": "3月底", "june": "6月底", "october": "10月底", "december": "12月底"}
_UNIT_LINE = re.compile(r"^(\d*)\s*(.+)$")
_CHINESE = re.compile(r"^[一二三四五六七八九十]+、")
_ARABIC = re.compile(r"^\d+、")


def read(form: FormText, version: FormVersion) -> Found:
    found = Found(form, version.kind, version.version)
    rows = form.rows
    for row in rows[:3]:  # `<单位编码><单位名称> … 单位：元` above the table
        filled = [c for c in row if c.text.strip()]
        if len(filled) >= 2 and norm(filled[-1].text).startswith("单位:"):
            line = _UNIT_LINE.match(filled[0].text.strip())
            if line:
                found.unit["code"], found.unit["unit"] = line.group(1), line.group(2).strip()
    reading = version.reading
    assert reading is not None, "dept versions declare how they are read (`read:`)"
    read_fields(found, rows, reading.fields)
    read_lines(found, reading.lines)
    use = find(rows, "预算规模及资金用途", nth=1)
    if use is not None:
        found.put(("budget", "use"), after(rows, "预算规模及资金用途", nth=1))
    at = find(rows, _PLAN["march"])
    if at is not None and at[0] + 1 < len(rows):
        columns = header(rows[at[0]], _PLAN)
        for key, column in columns.items():
            found.put(("budget", "plan", key), pick(rows[at[0] + 1], column))
    table = reading.indicators
    printed = {k: v for k, v in (version.labels or {}).items() if k in table.columns}
    labels = {k: tuple(dict.fromkeys((printed[k], *v))) if k in printed else v for k, v in table.columns.items()}
    read_indicators(found, rows, labels, stop=table.stop, table=table)
    found.project.setdefault("budget", {})
    goals = goals_of(form.preamble)
    if goals is not None:
        found.unit["department_goals"] = goals
    return found


def _section(paragraphs: list[str], start: str, end: str) -> list[str]:
    names = [norm(p) for p in paragraphs]
    if norm(start) not in names:
        return []
    first = names.index(norm(start)) + 1
    last = next((i for i in range(first, len(names)) if names[i] == norm(end)), len(names))
    return paragraphs[first:last]


def goals_of(paragraphs: list[str]) -> dict[str, Any] | None:
    """第一部分 from the paragraphs of the document before its first project table."""
    if not any(norm(p) == "一、总体绩效目标" for p in paragraphs):
        return None
    overall = [_CHINESE.sub("", p, count=1) for p in _section(paragraphs, "一、总体绩效目标", "二、分项绩效目标")]
    areas: list[dict[str, Any]] = []
    for p in _section(paragraphs, "二、分项绩效目标", "三、工作保障措施"):
        if _CHINESE.match(p):
            areas.append({"text": _CHINESE.sub("", p, count=1), "items": []})
        elif areas:
            areas[-1]["items"].append(_ARABIC.sub("", p, count=1))
    intro, items = [], []
    for p in _section(paragraphs, "三、工作保障措施", "第二部分"):
        (items.append(_ARABIC.sub("", p, count=1)) if _ARABIC.match(p) else intro.append(p))
    return {"overall": overall, "areas": areas, "safeguards": {"intro": "\n".join(intro), "items": items}}
