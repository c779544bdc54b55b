"""Stage 4: the render context, the only thing templates see.

Plain dicts, lists, strings and `Decimal`s: the docx adapter formats numbers with
filters, the xlsx adapter stores them as numbers with the template's formats.
Run-grouping for merged cells is decided here, in Python, never in a template.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

from .checks import ProjectReport
from .models import FundsLine, Unit
from .registry import FormVersion

_PARA_SPLIT = re.compile(r"</p\s*>|<p(?:\s[^>]*)?>|<br\s*/?>|\r?\n", re.IGNORECASE)


def paragraphs(text: str) -> list[str]:
    """Split rich text from the budget system (`<p>…</p>`, `<br>`) or plain lines into paragraphs."""
    parts = (html.unescape(p).strip() for p in _PARA_SPLIT.split(text or ""))
    return [p for p in parts if p]


def merge_flags(keys: list[Any]) -> list[str]:
    """'restart' where a run of equal keys begins, 'continue' inside a run."""
    return ["restart" if i == 0 or keys[i] != keys[i - 1] else "continue" for i in range(len(keys))]


def _funds_line(label: str, line: FundsLine) -> dict[str, Any]:
    return {"label": label, "initial": line.initial, "budget": line.budget, "executed": line.executed}


def selfeval_context(unit: Unit, report: ProjectReport, version: FormVersion) -> dict[str, Any]:
    score = report.score
    project = score.project
    evaluation = project.evaluation
    assert evaluation is not None  # check_unit only reports evaluated projects
    funds = evaluation.funds
    indicators = [s.indicator for s in score.indicators]
    # 二级指标 runs never cross an 一级指标 boundary, so key them on both.
    l1 = merge_flags([i.level1 for i in indicators])
    l2 = merge_flags([(i.level1, i.level2) for i in indicators])
    l2 = ["restart" if a == "restart" else b for a, b in zip(l1, l2)]
    return {
        "form": {"title": version.kind_title, "kind": version.kind, "version": version.version, "year": unit.year},
        "unit": {"name": unit.unit, "year": unit.year, "amount_unit": unit.amount_unit},
        "project": {
            "name": project.name,
            "department": unit.department_of(project),
            "executor": unit.executor_of(project),
            "funds": {
                "total": _funds_line("年度资金总额", funds.total),
                "fiscal": _funds_line("其中：当年财政拨款", funds.fiscal),
                "carryover": _funds_line("上年结转资金", funds.carryover),
                "other": _funds_line("其他资金", funds.other),
            },
            "execution": {
                "weight": score.execution.weight,
                "rate": score.execution.shown_rate,
                "score": score.execution.effective,
            },
            "goal": paragraphs(project.annual_goal),
            "achieved": paragraphs(evaluation.achieved),
            "indicators": [
                {
                    "level1": s.indicator.level1,
                    "level2": s.indicator.level2,
                    "name": s.indicator.name,
                    "target": s.indicator.target,
                    "actual": s.indicator.actual,
                    "weight": s.weight,
                    "score": s.effective,
                    "computed": s.computed,
                    "deviation": s.indicator.deviation,
                    "l1_merge": a,
                    "l2_merge": b,
                }
                for s, a, b in zip(score.indicators, l1, l2)
            ],
            "weight_total": score.weight_total,
            "total_score": score.shown_total,
            "grade": score.grade,
        },
    }
