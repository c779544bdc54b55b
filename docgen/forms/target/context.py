"""The 申报表's render context: declaration fields, funds and the declared indicators."""

from __future__ import annotations

from typing import Any

from docgen.forms.context import base_context, merge_runs, paragraphs, printed_labels, target_parts
from docgen.model.unit import Project, Unit
from docgen.registry.manifest import FormVersion


def target_context(unit: Unit, project: Project, version: FormVersion) -> dict[str, Any]:
    declaration = project.declaration
    assert declaration is not None  # only declared projects get a 申报表
    start, end = declaration.start, declaration.end
    first = start.year if start else unit.year
    last = end.year if end else unit.year
    l1, l2 = merge_runs(project.indicators)
    context = base_context(unit, project, version)
    period = f"{first}年-{last}年"
    context["form"]["labels"] = printed_labels(unit.labels_of(project, version.labels or {}), period=period)
    context["project"].update(
        {
            "nature": declaration.nature,
            "category": declaration.category,
            "start": start.isoformat() if start else "",
            "end": end.isoformat() if end else "",
            "period": period,
            # 实施期 as the unit wrote it (2023.07-2024.01), else the years of its dates
            "implementation_period": declaration.period or period,
            "review": paragraphs(declaration.review),
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
                    "target_parts": target_parts(i.target),
                    "standard": i.standard,
                    "l1_merge": a,
                    "l2_merge": b,
                }
                for i, a, b in zip(project.indicators, l1, l2)
            ],
        }
    )
    return context
