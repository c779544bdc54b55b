"""Consistency checks of a project's declaration (申报表), by the rules of its form version.

Pure functions, no I/O; findings name the project and indicator as the user wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .checks import CountsFindings, FieldPath, Finding, Severity, fmt, indicator_list_findings
from .models import Project, Unit
from .registry import FormVersion
from .scoring import ZERO
from .values import Quantity, parse_value

_FIELD_TITLES = {
    "annual_goal": "年度总体目标",
    "overall_goal": "项目总体目标",
    "declaration.nature": "项目性质",
    "declaration.category": "项目类别",
    "declaration.start": "计划开始日期",
    "declaration.end": "计划完成日期",
    "declaration.funds.annual_total": "年度资金申请总额",
    "declaration.funds.project_total": "项目资金总额",
    "code": "项目编码",
    "budget.total": "预算数",
}

# A target is "quantitative" when it names a comparator; a bare word such as 及时 is
# qualitative on purpose.  These start a quantity the clerk meant but mistyped.
_QUANTITATIVE_START = ("=", ">", "<", "≥", "≤", "＝", "＞", "＜", "≧", "≦")


@dataclass(frozen=True)
class TargetReport(CountsFindings):
    index: int
    project: Project
    version: FormVersion
    findings: tuple[Finding, ...]


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def sum_finding(name: str, path: FieldPath, total_label: str, total: Decimal | None, parts: dict[str, Decimal | None]) -> list[Finding]:
    if all(v is None for v in parts.values()):
        return []  # no breakdown given (the 2020 form has none): nothing to add up
    summed = sum((v or ZERO for v in parts.values()), ZERO)
    if (total or ZERO) == summed:
        return []
    return [
        Finding(
            Severity.ERROR,
            "declared-funds-sum",
            name,
            f"{total_label} {fmt(total)} 不等于 {' + '.join(parts)} = {fmt(summed)}",
            path=path,
        )
    ]


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
                out.append(
                    Finding(Severity.ERROR, "dates-year", name, f"{label} {day} 不在 {unit.year} 年度内", path=base + ("declaration", key))
                )
    out += indicator_findings(project, index, version)
    return out


def required_findings(project: Project, index: int, version: FormVersion) -> list[Finding]:
    """Fields the version's form cannot do without (`requires` in the manifest)."""
    out = []
    for field in version.requires:
        value = _get(project, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            title = _FIELD_TITLES.get(field, field)
            out.append(
                Finding(
                    Severity.ERROR,
                    "required",
                    project.name,
                    f"「{version.kind_title} {version.version}」须填写{title}（{field}）",
                    path=("projects", index) + tuple(field.split(".")),
                )
            )
    return out


def indicator_findings(project: Project, index: int, version: FormVersion) -> list[Finding]:
    """Taxonomy, duplicates, required 一级 classes and blank or unreadable targets."""
    name = project.name
    base: FieldPath = ("projects", index)
    out = indicator_list_findings(name, project.indicators, version.taxonomy, f"{version.kind_title} {version.version}", base)
    target_label = (version.labels or {}).get("target", "年度指标值")
    present = {i.level1 for i in project.indicators}
    for level1 in version.required_level1:
        if level1 not in present:
            out.append(Finding(Severity.ERROR, "level1-missing", name, f"缺少一级指标「{level1}」", path=base + ("indicators",)))
    for i, ind in enumerate(project.indicators):
        text = ind.target.strip()
        if not text:
            out.append(Finding(Severity.ERROR, "target-missing", name, f"未填写{target_label}", indicator=ind.name, path=base + ("indicators", i, "target")))
        elif text.startswith(_QUANTITATIVE_START) and not isinstance(parse_value(text), Quantity):
            out.append(
                Finding(
                    Severity.ERROR,
                    "target-unparsed",
                    name,
                    f"{target_label}「{text}」以比较符开头，却无法读出数值和单位",
                    indicator=ind.name,
                    path=base + ("indicators", i, "target"),
                )
            )
    return out
