"""The 财政项目支出绩效目标申报表 (performance-target declaration, before the year)."""

from __future__ import annotations

from typing import Any

from docgen.forms import FormKind
from docgen.forms.target.checks import check_target
from docgen.forms.target.context import target_context
from docgen.model.findings import Report, Severity
from docgen.model.formatting import amount_text
from docgen.model.unit import Project, Unit
from docgen.registry.manifest import FormVersion


class Declaration(FormKind):
    name = "target"
    short_title = "申报表"
    part = "declaration"
    count_label = "申报表"

    def applies(self, project: Project) -> bool:
        return project.declaration is not None

    def check(self, unit: Unit, index: int, version: FormVersion) -> Report:
        return check_target(unit, index, version)

    def context(self, unit: Unit, report: Report) -> dict[str, Any]:
        return target_context(unit, report.project, report.version)

    def example_contexts(self, unit: Unit, reports: list[Report], version: FormVersion) -> list[dict[str, Any]]:
        return [target_context(unit, r.project, version) for r in reports]

    def summary(self, report: Report) -> dict[str, Any]:
        declaration = report.project.declaration
        assert declaration is not None  # the kind applies to projects with a declaration
        return {"funds": declaration.funds.annual_total, "category": declaration.category}

    def table(self, reports: list[Report]) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = [("申报表项目", "版本", "年度资金申请总额", "指标数", "错误", "提示")]
        for r in reports:
            assert r.project.declaration is not None
            rows.append(
                (
                    r.project.name,
                    r.version.version,
                    amount_text(r.project.declaration.funds.annual_total) or "—",
                    str(len(r.project.indicators)),
                    str(r.count(Severity.ERROR)),
                    str(r.count(Severity.WARNING)),
                )
            )
        return rows

    workbook_flag = "申报表"


KIND = Declaration()
