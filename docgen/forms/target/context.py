"""The 申报表's render context: declaration fields, funds and the declared indicators."""

from __future__ import annotations

from typing import Any

from docgen.forms.context import base_context, merge_flags, merge_runs, paragraphs, printed_labels, target_parts
from docgen.model.unit import Indicator, Project, Unit
from docgen.registry.manifest import FormVersion


def template_rows(indicators: list[Indicator], taxonomy: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    """The indicator rows with the blank rows a form leaves in for the 二级指标 of its
    taxonomy a 一级 has no indicator under (湖南's 申报表 prints 经济效益指标 with nothing
    beside it), each blank before the indicators of the 二级 that follow it in the
    taxonomy; indicators keep their order, and none is dropped."""
    used = {(i.level1, i.level2) for i in indicators}
    pairs: list[tuple[str, str, Indicator | None]] = []

    def blanks(level1: str, before: int) -> None:
        for level2 in taxonomy.get(level1, ())[:before]:
            if (level1, level2) not in used:
                used.add((level1, level2))
                pairs.append((level1, level2, None))

    for n, i in enumerate(indicators):
        slots = taxonomy.get(i.level1, ())
        blanks(i.level1, slots.index(i.level2) if i.level2 in slots else len(slots))
        pairs.append((i.level1, i.level2, i))
        if n + 1 == len(indicators) or indicators[n + 1].level1 != i.level1:
            blanks(i.level1, len(slots))
    l1 = merge_flags([a for a, _, _ in pairs])
    l2 = ["restart" if a == "restart" else b for a, b in zip(l1, merge_flags([(a, b) for a, b, _ in pairs]))]
    rows = []
    for (level1, level2, found), a, b in zip(pairs, l1, l2):
        name, target, standard = (found.name, found.target, found.standard) if found is not None else ("", "", "")
        rows.append(
            {
                "level1": level1,
                "level2": level2,
                "name": name,
                "target": target,
                "target_parts": target_parts(target),
                "standard": standard,
                "l1_merge": a,
                "l2_merge": b,
            }
        )
    return rows


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
            # the same with the version's blank template rows (`template_rows`)
            "rows": template_rows(project.indicators, version.taxonomy or {}),
        }
    )
    return context
