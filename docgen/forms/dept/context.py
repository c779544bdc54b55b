"""The departmental document's render context: 第一部分 (goals numbered 一、/1、) and one
绩效目标表 per budgeted project."""

from __future__ import annotations

from typing import Any

from docgen.forms.context import base_context, merge_flags, numbered, paragraphs, printed_labels, unit_context
from docgen.model.unit import Project, Unit
from docgen.registry.manifest import FormVersion


def dept_project_context(unit: Unit, project: Project, version: FormVersion, number: int, page: int | None = None) -> dict[str, Any]:
    """One project's 绩效目标表; `number` is its place in 第二部分, `page` its page once laid out."""
    budget = project.budget
    assert budget is not None  # only budgeted projects are in the departmental document
    l1 = merge_flags([i.level1 for i in project.indicators])
    title = unit.labels_of(None, version.labels or {}).get("form", "绩效目标表")
    context = base_context(unit, project, version)
    context["project"].update(
        {
            "number": number,
            "heading": f"{number}、{project.name}{title}",
            # A TC field quotes its text: a straight quote inside would end it early, and a
            # backslash escapes the next character (as `render.compose.field_argument` does).
            "toc_text": f"{number}、{project.name}{title}".replace("\\", "\\\\").replace('"', "＂"),
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
        "form": {
            "title": version.kind_title,
            "kind": version.kind,
            "version": version.version,
            "year": unit.year,
            "labels": printed_labels(unit.labels_of(None, version.labels or {})),
        },
        "unit": unit_context(unit),
        "goals": {
            "overall": numbered(goals.overall, "chinese") if goals else [],
            "areas": [{**head, "points": numbered(area.items, "arabic")} for head, area in zip(numbered([a.text for a in goals.areas], "chinese"), goals.areas)]
            if goals
            else [],
            "safeguards": {
                "intro": paragraphs(goals.safeguards.intro) if goals else [],
                "points": numbered(goals.safeguards.items, "arabic") if goals else [],
            },
        },
        "projects": [p["project"] for p in projects],
        "contents": [{"text": p["project"]["heading"], "page": p["project"]["page"]} for p in projects],
    }
