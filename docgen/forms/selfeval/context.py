"""The 自评表's render context: funds, execution, indicators with their scores."""

from __future__ import annotations

from typing import Any

from docgen.forms.context import base_context, merge_runs, paragraphs
from docgen.forms.selfeval.model import FundsLine
from docgen.model.findings import Report
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion


def _funds_line(label: str, line: FundsLine) -> dict[str, Any]:
    return {"label": label, "initial": line.initial, "budget": line.budget, "executed": line.executed}


def selfeval_context(unit: Unit, report: Report, version: FormVersion) -> dict[str, Any]:
    score = report.score
    project = score.project
    evaluation = project.evaluation
    assert evaluation is not None  # only evaluated projects are scored
    funds = evaluation.funds
    l1, l2 = merge_runs([s.indicator for s in score.indicators])
    context = base_context(unit, project, version)
    context["project"].update(
        {
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
            "achieved": paragraphs(evaluation.achieved),
            "indicators": [
                {
                    "level1": s.indicator.level1,
                    "level2": s.indicator.level2,
                    "name": s.indicator.name,
                    "target": s.indicator.scored_target,
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
        }
    )
    return context
