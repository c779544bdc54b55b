"""Consistency checks of the departmental document (部门整体绩效目标): each project's
绩效目标表.  Pure functions, no I/O.
"""

from __future__ import annotations

from decimal import Decimal

from docgen.forms.rules import check_amount_unit, indicator_findings, required_findings, sum_finding
from docgen.model.findings import FieldPath, Finding, Report, Severity, fmt
from docgen.model.unit import Project, Unit
from docgen.registry.manifest import FormVersion

HUNDRED = Decimal(100)
PLAN_LABELS = {"march": "3月底", "june": "6月底", "october": "10月底", "december": "12月底"}


def _plan_findings(project: Project, base: FieldPath) -> list[Finding]:
    """资金支出计划 is cumulative: it may not fall, stays within 0–100 and reaches 100 by 12月底."""
    assert project.budget is not None
    plan = project.budget.plan
    name = project.name
    out = []
    path = base + ("budget", "plan")
    values = [(key, label, getattr(plan, key)) for key, label in PLAN_LABELS.items()]
    if all(v is None for _, _, v in values):
        return [Finding(Severity.ERROR, "plan-missing", name, "未填写资金支出计划（%）", path=path)]
    previous: tuple[str, Decimal] | None = None
    for key, label, value in values:
        if value is None:
            out.append(Finding(Severity.ERROR, "plan-missing", name, f"资金支出计划「{label}」未填写", path=path + (key,)))
            continue
        if not 0 <= value <= HUNDRED:
            out.append(Finding(Severity.ERROR, "plan-range", name, f"资金支出计划「{label}」为 {fmt(value)}%，应在 0–100 之间", path=path + (key,)))
        if previous is not None and value < previous[1]:
            out.append(
                Finding(
                    Severity.ERROR,
                    "plan-falls",
                    name,
                    f"资金支出计划是累计进度，「{label}」{fmt(value)}% 低于「{previous[0]}」{fmt(previous[1])}%",
                    path=path + (key,),
                )
            )
        previous = (label, value)
    december = plan.december
    if december is not None and december != HUNDRED:
        out.append(Finding(Severity.ERROR, "plan-end", name, f"资金支出计划「12月底」应为 100%，填的是 {fmt(december)}%", path=path + ("december",)))
    return out


def check_budget_project(project: Project, index: int, version: FormVersion) -> list[Finding]:
    """One project's 绩效目标表 in the departmental document."""
    budget = project.budget
    assert budget is not None
    base: FieldPath = ("projects", index)
    out = required_findings(project, index, version)
    out += sum_finding(project.name, base + ("budget", "total"), "预算数", budget.total, {"财政资金": budget.fiscal, "其他资金": budget.other})
    out += _plan_findings(project, base)
    out += indicator_findings(project, index, version)
    return out


def check_budget(unit: Unit, index: int, version: FormVersion) -> Report:
    """Project `index`'s 绩效目标表 in the departmental document."""
    project = unit.projects[index]
    findings = check_amount_unit(unit, index, version) + check_budget_project(project, index, version)
    return Report(index=index, project=project, version=version, findings=tuple(findings))
