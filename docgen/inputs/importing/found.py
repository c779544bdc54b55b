"""What reading one form gives: its kind and version, the project record it prints, the
unit fields it shows, and the cell each value came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docgen.inputs.importing.grid import Cell, FormText

FieldPath = tuple[str | int, ...]
_YEAR = re.compile(r"(\d{4})\s*[)）]?\s*年度")
_YEAR_ONLY = re.compile(r"(?<!\d)(\d{4})\s*年(?!\s*\d{1,2}\s*月)")  # 2023年项目支出…, not a date (2021年4月22日)


@dataclass
class Found:
    form: FormText
    kind: str
    version: str
    project: dict[str, Any] = field(default_factory=dict)
    cells: dict[FieldPath, str] = field(default_factory=dict)  # path under the project -> where
    unit: dict[str, Any] = field(default_factory=dict)  # unit, year, department, executor, code as printed
    problems: list[str] = field(default_factory=list)
    scale: Decimal = Decimal(1)  # 元 per amount the form prints: 10000 when its labels say 万元
    class_points: dict[str, str] = field(default_factory=dict)  # 一级指标 -> the points its cell carries (「产出指标（50分）」)

    def put(self, path: FieldPath, cell: Cell | None, blank_is_none: bool = True) -> None:
        """Set `path` of the project to the cell's text (nothing for a blank cell)."""
        if cell is None:
            return
        self.cells[path] = cell.where
        if cell.formula:
            self.problems.append(f"{cell.where} 的公式「{cell.formula}」没有保存计算结果，读不出数值：请在 Excel 或 WPS 中打开此文件并保存后再导入")
            return
        text = cell.text
        if blank_is_none and (not text.strip() or text.strip() == "—"):
            return
        target: Any = self.project
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = text


def title_texts(form: FormText) -> list[str]:
    """Where a form prints its title and year, nearest the table first: a cover note
    typed above the title (「根据2021年度…」) must not give the form its year."""
    return [*reversed(form.preamble), *(c.text for row in form.rows[:3] for c in row)]


def year_of(texts: list[str]) -> int | None:
    """The year a form is of: 「（2022年度）」, else a title such as 「2023年项目支出绩效目标申报表」."""
    for pattern in (_YEAR, _YEAR_ONLY):
        for text in texts:
            found = pattern.search(text)
            if found:
                return int(found.group(1))
    return None
