"""The departmental document in the data-entry workbook: a project's budget columns (项目
sheet), the indicator fields its tables print, and a 部门整体目标 sheet for 第一部分."""

from __future__ import annotations

from typing import Any

from docgen.errors import Problem
from docgen.inputs.entrybook.columns import Column

COLUMNS = [
    Column(("budget", "total"), "预算数", width=16),
    Column(("budget", "fiscal"), "预算：其中财政资金", width=16),
    Column(("budget", "other"), "预算：其他资金", width=16),
    Column(("budget", "use"), "资金用途", width=40),
    *(
        Column(("budget", "plan", key), f"资金支出计划（%）{label}", width=10)
        for key, label in (("march", "3月底"), ("june", "6月底"), ("october", "10月底"), ("december", "12月底"))
    ),
]
INDICATOR_COLUMNS = (  # the indicator columns its fragment adds, as the workbook heads them
    Column(("description",), "绩效指标描述", width=30),
    Column(("basis",), "指标值确定依据", width=30),
)

GOALS_SHEET = "部门整体目标"
GOALS_HEADERS = ("类别", "分项序号", "内容")
_OVERALL, _AREA, _ITEM, _INTRO, _MEASURE = "总体绩效目标", "分项绩效目标", "子目标", "工作保障措施导语", "工作保障措施"
GOAL_KINDS = (_OVERALL, _AREA, _ITEM, _INTRO, _MEASURE)


def goal_rows(goals: Any) -> list[tuple[str, Any, str]]:
    """第一部分 as rows: (类别, 分项序号, 内容); a 子目标 names its 分项 by number."""
    rows: list[tuple[str, Any, str]] = [(_OVERALL, None, text) for text in goals.overall]
    for n, area in enumerate(goals.areas, start=1):
        rows.append((_AREA, n, area.text))
        rows += [(_ITEM, n, item) for item in area.items]
    if goals.safeguards.intro:
        rows.append((_INTRO, None, goals.safeguards.intro))
    rows += [(_MEASURE, None, item) for item in goals.safeguards.items]
    return rows


def goals_from_rows(rows: list[tuple[str, str, Any, Any]]) -> tuple[dict[str, Any], dict[tuple[Any, ...], str], list[Problem]]:
    """The `department_goals` mapping from rows of (cell of 类别, 类别, 分项序号, 内容),
    with the cell of every field, and what is wrong with the rows."""
    data: dict[str, Any] = {"overall": [], "areas": [], "safeguards": {"intro": "", "items": []}}
    cells: dict[tuple[Any, ...], str] = {}
    problems = []
    base = ("department_goals",)
    for cell, kind, area, text in rows:
        if kind == _OVERALL:
            cells[base + ("overall", len(data["overall"]))] = cell
            data["overall"].append(text)
        elif kind == _AREA:
            cells[base + ("areas", len(data["areas"]))] = cell
            data["areas"].append({"text": text, "items": []})
        elif kind == _ITEM:
            number = str(area or "").strip()
            if not number.isdigit() or not 0 < int(number) <= len(data["areas"]):
                problems.append(Problem(base + ("areas",), f"子目标的分项序号「{number}」不是其上方已填的分项绩效目标序号（单元格 {cell}）"))
                continue
            items = data["areas"][int(number) - 1]["items"]
            cells[base + ("areas", int(number) - 1, "items", len(items))] = cell
            items.append(text)
        elif kind == _INTRO:
            cells[base + ("safeguards", "intro")] = cell
            data["safeguards"]["intro"] = text
        elif kind == _MEASURE:
            cells[base + ("safeguards", "items", len(data["safeguards"]["items"]))] = cell
            data["safeguards"]["items"].append(text)
        else:
            problems.append(Problem(base, f"类别「{kind}」未知（单元格 {cell}；可填：{'、'.join(GOAL_KINDS)}）"))
    return data, cells, problems
