"""Consistency checks of a project's declaration (申报表), by the rules of its form version.

Pure functions, no I/O; findings name the project and indicator as the user wrote them.
"""

from __future__ import annotations

from docgen.forms.rules import check_amount_unit, indicator_findings, required_findings, sum_finding
from docgen.model.findings import FieldPath, Finding, Report, Severity
from docgen.model.unit import Project, Unit
from docgen.registry.manifest import FormVersion


def check_declaration(project: Project, index: int, unit: Unit, version: FormVersion) -> list[Finding]:
    name = project.name
    base: FieldPath = ("projects", index)
    out: list[Finding] = []
    declaration = project.declaration
    assert declaration is not None
    out += required_findings(project, index, version)
    funds = declaration.funds
    fpath = base + ("declaration", "funds")
    out += sum_finding(
        name, fpath + ("project_total",), "项目资金总额", funds.project_total, {"财政资金": funds.project_fiscal, "其他资金": funds.project_other}
    )
    out += sum_finding(
        name,
        fpath + ("annual_total",),
        "年度资金申请总额",
        funds.annual_total,
        {"当年财政拨款": funds.annual_fiscal, "上年结转资金": funds.annual_carryover, "其他资金": funds.annual_other},
    )
    start, end = declaration.start, declaration.end
    if start and end and start > end:
        out.append(Finding(Severity.ERROR, "dates-order", name, f"计划开始日期 {start} 晚于计划完成日期 {end}", path=base + ("declaration", "start")))
    if version.dates_within_year:
        for label, key, day in (("计划开始日期", "start", start), ("计划完成日期", "end", end)):
            if day and day.year != unit.year:
                out.append(Finding(Severity.ERROR, "dates-year", name, f"{label} {day} 不在 {unit.year} 年度内", path=base + ("declaration", key)))
    out += indicator_findings(project, index, version)
    return out


def check_target(unit: Unit, index: int, version: FormVersion) -> Report:
    """Project `index`'s 申报表, checked against its form version."""
    project = unit.projects[index]
    findings = check_amount_unit(unit, index, version) + check_declaration(project, index, unit, version)
    return Report(index=index, project=project, version=version, findings=tuple(findings))
