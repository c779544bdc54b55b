"""The 自评表's render context: funds, execution, indicators with their scores."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from docgen.forms.context import base_context, merge_runs, paragraphs, target_parts
from docgen.forms.selfeval.model import FundsLine, scored_target
from docgen.forms.selfeval.scoring import ExecutionScore, ProjectScore
from docgen.model.findings import Report
from docgen.model.rounding import round_places
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion

# Every row of sources a version may print (the 2022 layouts print four; 四川 adds
# 财政专户管理资金 and 单位资金), with the label the model gives it.
_FUNDS_ROWS = (
    ("total", "年度资金总额"),
    ("fiscal", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("special_account", "财政专户管理资金"),
    ("unit_own", "单位资金"),
    ("other", "其他资金"),
)


def _line_rate(line: FundsLine, execution: ExecutionScore) -> Decimal | None:
    """A row's own 预算执行率 (执行数 / 全年预算数), rounded as the total's: printed per
    row by versions such as 四川's; None where either cell is blank, 0 on a budget of 0."""
    if line.budget is None or line.executed is None:
        return None
    if line.budget == 0:
        return Decimal(0)
    return round_places(line.executed / line.budget, execution.rate_places, execution.rounding)


def _funds_line(label: str, line: FundsLine, execution: ExecutionScore) -> dict[str, Any]:
    return {"label": label, "initial": line.initial, "budget": line.budget, "executed": line.executed, "rate": _line_rate(line, execution)}


def _class_points(score: ProjectScore) -> dict[str, Decimal]:
    """The points of each 一级指标 as a class cell prints them (「产出指标（50分）」): the
    unit's `class_weights` where written, else the sum of the class's weights."""
    evaluation = score.project.evaluation
    declared = dict(evaluation.class_weights) if evaluation is not None else {}
    out: dict[str, Decimal] = {}
    for s in score.indicators:
        out[s.indicator.level1] = out.get(s.indicator.level1, Decimal(0)) + (s.weight or Decimal(0))
    for name, points in declared.items():
        if points is not None and name in out:
            out[name] = points
    return out


def selfeval_context(unit: Unit, report: Report, version: FormVersion) -> dict[str, Any]:
    score = report.score
    project = score.project
    evaluation = project.evaluation
    assert evaluation is not None  # only evaluated projects are scored
    funds = evaluation.funds
    l1, l2 = merge_runs([s.indicator for s in score.indicators])
    context = base_context(unit, project, version)
    points = _class_points(score)
    context["project"].update(
        {
            "funds": {key: _funds_line(label, getattr(funds, key), score.execution) for key, label in _FUNDS_ROWS},
            "execution": {
                "weight": score.execution.weight,
                "rate": score.execution.shown_rate,
                "score": score.execution.effective,
                "reason": paragraphs(evaluation.execution.reason),
            },
            "achieved": paragraphs(evaluation.achieved),
            "implementation": paragraphs(evaluation.implementation),
            "conclusion": paragraphs(evaluation.conclusion),
            "problems": paragraphs(evaluation.problems),
            "improvements": paragraphs(evaluation.improvements),
            "deviation": paragraphs(evaluation.deviation),
            "class_points": points,
            "indicators": [
                {
                    "level1": s.indicator.level1,
                    "level2": s.indicator.level2,
                    "name": s.indicator.name,
                    "target": scored_target(s.indicator),
                    "target_parts": target_parts(scored_target(s.indicator)),
                    "class_points": points.get(s.indicator.level1),
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
