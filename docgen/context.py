"""Stage 4: the render context, the only thing templates see.

Plain dicts, lists, strings and `Decimal`s: the docx adapter formats numbers with
filters, the xlsx adapter stores them as numbers with the template's formats.
Run-grouping for merged cells is decided here, in Python, never in a template.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .checks import ProjectReport
from .models import FundsLine, Indicator, Project, Unit
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


def _merge_runs(indicators: list[Indicator]) -> tuple[list[str], list[str]]:
    """vMerge flags for the 一级 and 二级 columns; 二级 runs never cross an 一级 boundary."""
    l1 = merge_flags([i.level1 for i in indicators])
    l2 = merge_flags([(i.level1, i.level2) for i in indicators])
    return l1, ["restart" if a == "restart" else b for a, b in zip(l1, l2)]


def _base(unit: Unit, project: Project, version: FormVersion) -> dict[str, Any]:
    return {
        "form": {
            "title": version.kind_title,
            "kind": version.kind,
            "version": version.version,
            "year": unit.year,
            "labels": dict(version.labels or {}),
        },
        "unit": {"name": unit.unit, "year": unit.year, "amount_unit": unit.amount_unit},
        "project": {
            "name": project.name,
            "department": unit.department_of(project),
            "executor": unit.executor_of(project),
            "goal": paragraphs(project.annual_goal),
            "overall_goal": paragraphs(project.overall_goal),
        },
    }


def selfeval_context(unit: Unit, report: ProjectReport, version: FormVersion) -> dict[str, Any]:
    score = report.score
    project = score.project
    evaluation = project.evaluation
    assert evaluation is not None  # only evaluated projects are scored
    funds = evaluation.funds
    l1, l2 = _merge_runs([s.indicator for s in score.indicators])
    context = _base(unit, project, version)
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


def target_context(unit: Unit, project: Project, version: FormVersion) -> dict[str, Any]:
    declaration = project.declaration
    assert declaration is not None  # only declared projects get a 申报表
    start, end = declaration.start, declaration.end
    first = start.year if start else unit.year
    last = end.year if end else unit.year
    l1, l2 = _merge_runs(project.indicators)
    context = _base(unit, project, version)
    context["project"].update(
        {
            "nature": declaration.nature,
            "category": declaration.category,
            "start": start.isoformat() if start else "",
            "end": end.isoformat() if end else "",
            "period": f"{first}年-{last}年",
            "government_purchase": declaration.government_purchase,
            "performance_type": declaration.performance_type,
            "overview": paragraphs(declaration.overview),
            "basis": paragraphs(declaration.basis),
            "necessity": paragraphs(declaration.necessity),
            "safeguards": paragraphs(declaration.safeguards),
            "plan": paragraphs(declaration.plan),
            "funds": declaration.funds.model_dump(),
            "indicators": [
                {
                    "level1": i.level1,
                    "level2": i.level2,
                    "name": i.name,
                    "target": i.target,
                    "l1_merge": a,
                    "l2_merge": b,
                }
                for i, a, b in zip(project.indicators, l1, l2)
            ],
        }
    )
    return context


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (goal numbering 一、二、…)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def _numbered(texts: list[str], style: str) -> list[dict[str, str]]:
    mark = chinese_number if style == "chinese" else str
    return [{"number": f"{mark(i)}、", "text": text} for i, text in enumerate(texts, start=1)]


def dept_project_context(unit: Unit, project: Project, version: FormVersion, number: int, page: int | None = None) -> dict[str, Any]:
    """One project's 绩效目标表; `number` is its place in 第二部分, `page` its page once laid out."""
    budget = project.budget
    assert budget is not None  # only budgeted projects are in the departmental document
    l1 = merge_flags([i.level1 for i in project.indicators])
    title = (version.labels or {}).get("form", "绩效目标表")
    context = _base(unit, project, version)
    context["project"].update(
        {
            "number": number,
            "heading": f"{number}、{project.name}{title}",
            # A TC field quotes its text: a straight quote inside would end it early.
            "toc_text": f"{number}、{project.name}{title}".replace('"', "＂"),
            "page": page,
            "code": project.code,
            "budget": {
                "total": budget.total,
                "fiscal": budget.fiscal,
                "other": budget.other,
                "use": paragraphs(budget.use),
            },
            "plan": [budget.plan.march, budget.plan.june, budget.plan.october, budget.plan.december],
            "indicators": [
                {
                    "level1": i.level1,
                    "level2": i.level2,
                    "name": i.name,
                    "description": i.description,
                    "target": i.target,
                    "basis": i.basis,
                    "l1_merge": a,
                }
                for i, a in zip(project.indicators, l1)
            ],
        }
    )
    context["unit"]["code"] = unit.code
    return context


def dept_context(unit: Unit, version: FormVersion, projects: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole departmental document: 第一部分 from `unit.department_goals`, 第二部分 the
    project contexts (each from `dept_project_context`) in order."""
    goals = unit.department_goals
    return {
        "form": {"title": version.kind_title, "kind": version.kind, "version": version.version, "year": unit.year, "labels": dict(version.labels or {})},
        "unit": {"name": unit.unit, "code": unit.code, "year": unit.year, "amount_unit": unit.amount_unit},
        "goals": {
            "overall": _numbered(goals.overall, "chinese") if goals else [],
            "areas": [
                {**head, "points": _numbered(area.items, "arabic")}
                for head, area in zip(_numbered([a.text for a in goals.areas], "chinese"), goals.areas)
            ]
            if goals
            else [],
            "safeguards": {
                "intro": paragraphs(goals.safeguards.intro) if goals else [],
                "points": _numbered(goals.safeguards.items, "arabic") if goals else [],
            },
        },
        "projects": [p["project"] for p in projects],
        "contents": [{"text": p["project"]["heading"], "page": p["project"]["page"]} for p in projects],
    }
