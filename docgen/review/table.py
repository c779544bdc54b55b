"""The finance bureau's review workbook (`docgen review`): many units' checked data in
one workbook: 汇总 (one row per unit and form), 项目 (one row per project form) and 问题
(one row per finding, with the file and line or cell to correct).

A unit is reduced to a `ReviewUnit` of plain values where it is checked (in a worker
process of the batch), so a batch of hundreds of units holds only these rows.  Amounts
are stated in 元 for every unit (a unit in 万元 is converted), so they add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.check.checking import Checked
from docgen.errors import place
from docgen.forms import form_kind
from docgen.inputs.loader import check_file
from docgen.model.findings import Finding, Severity, count
from docgen.model.rounding import ZERO, q2
from docgen.render.workbook import Column, Table, tables_workbook

GRADES = ("优", "良", "中", "差")
SHEETS = ("汇总", "项目", "问题")


@dataclass
class Issue:
    """One finding, located: `where` is `file:line` or `file:sheet!cell`."""

    unit: str
    project: str
    indicator: str
    severity: str  # Severity.value
    text: str
    where: str

    @property
    def level(self) -> str:
        return Severity(self.severity).label


@dataclass
class ProjectRow:
    """One project form of a unit, amounts in 元."""

    unit: str
    name: str
    code: str
    kind: str
    title: str  # the form's title
    version: str
    funds: Decimal | None = None
    executed: Decimal | None = None
    rate: Decimal | None = None
    score: Decimal | None = None  # the 总分 the form shows (declared, else computed)
    computed: Decimal | None = None  # the rules' 总分
    grade: str = ""
    profile: str = ""  # the scoring rule profile (自评表), "" for a form that is not scored
    errors: int = 0
    warnings: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def form(self) -> str:
        return f"{self.title}（{self.version} 版）"


@dataclass
class ReviewUnit:
    path: Path
    unit: str
    year: int
    rows: list[ProjectRow]
    projects: int = 0  # in the unit file (a project with no form has no row)
    unit_issues: list[Issue] = field(default_factory=list)  # findings about no project in particular

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rows) + sum(1 for i in self.unit_issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    @property
    def issues(self) -> list[Issue]:
        return [i for r in self.rows for i in r.issues] + self.unit_issues

    @property
    def forms(self) -> list[tuple[str, str, int]]:
        """Each form the unit brings (title, version) with its number of projects."""
        seen: dict[tuple[str, str], int] = {}
        for row in self.rows:
            seen[row.title, row.version] = seen.get((row.title, row.version), 0) + 1
        return [(title, version, n) for (title, version), n in seen.items()]

    def profiles_of(self, title: str, version: str) -> list[str]:
        """The scoring rule profiles the projects of a form were scored by, in file order."""
        return list(dict.fromkeys(r.profile for r in self.rows if (r.title, r.version) == (title, version) and r.profile))


def _where(checked: Checked, finding: Finding) -> str:
    return place(checked.path, checked.source.line_of(finding.path) if finding.path else None)


def _issue(checked: Checked, finding: Finding) -> Issue:
    return Issue(checked.unit.unit, finding.project, finding.indicator, finding.severity.value, finding.message, _where(checked, finding))


def _money(value: Any, factor: int) -> Decimal | None:
    return q2(Decimal(value) * factor) if value is not None else None


def review_checked(checked: Checked) -> ReviewUnit:
    """The review rows of a checked unit: one per project form, each with its findings
    (a finding across projects, such as a shared 项目编码, goes with the project's first form)."""
    unit = checked.unit
    factor = 10000 if unit.amount_unit == "万元" else 1
    rows, placed = [], set()
    for report in checked.reports:
        cells = form_kind(report.kind).book.review_cells(report)
        findings = list(report.findings)
        if report.index not in placed:
            placed.add(report.index)
            findings += [f for f in checked.unit_findings if f.path[:2] == ("projects", report.index)]
        rows.append(
            ProjectRow(
                unit=unit.unit,
                name=report.project.name,
                code=report.project.code,
                kind=report.kind,
                title=report.version.title,
                version=report.version.version,
                funds=_money(cells.get("funds"), factor),
                executed=_money(cells.get("executed"), factor),
                rate=cells.get("rate"),
                score=cells.get("score"),
                computed=cells.get("computed"),
                grade=cells.get("grade", ""),
                profile=cells.get("profile", ""),
                errors=count(findings, Severity.ERROR),
                warnings=count(findings, Severity.WARNING),
                issues=[_issue(checked, f) for f in findings],
            )
        )
    loose = [f for f in checked.unit_findings if not (f.path[:1] == ("projects",) and len(f.path) > 1 and f.path[1] in placed)]
    return ReviewUnit(checked.path, unit.unit, unit.year, rows, len(unit.projects), [_issue(checked, f) for f in loose])


def review_unit(path: Path) -> ReviewUnit:
    """Check one unit file and keep what the review needs (runs in a batch worker)."""
    return review_checked(check_file(path))


# ------------------------------------------------------------ the workbook


def _rate(rows: list[ProjectRow]) -> Decimal | None:
    executed = [r for r in rows if r.executed is not None]
    budget = sum((r.funds for r in executed if r.funds is not None), ZERO)
    return sum((r.executed or ZERO for r in executed), ZERO) / budget if budget else None


def _average(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return q2(sum(present, ZERO) / len(present)) if present else None


def _form_rows(units: list[ReviewUnit]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ru in units:
        start = len(out)
        forms: dict[str, list[ProjectRow]] = {}
        for row in ru.rows:
            forms.setdefault(row.form, []).append(row)
        for form, rows in forms.items():
            out.append(
                {
                    "unit": ru.unit,
                    "year": ru.year,
                    "form": form,
                    "projects": len(rows),
                    "funds": sum((r.funds for r in rows if r.funds is not None), ZERO),
                    "rate": _rate(rows),
                    "score": _average([r.score for r in rows]),
                    **{g: sum(1 for r in rows if r.grade == g) for g in GRADES},
                    "errors": sum(r.errors for r in rows),
                    "warnings": sum(r.warnings for r in rows),
                }
            )
        if ru.unit_issues and len(out) > start:  # counted on the unit's last row (a unit with no form has none)
            out[-1]["errors"] += sum(1 for i in ru.unit_issues if i.severity == "error")
            out[-1]["warnings"] += sum(1 for i in ru.unit_issues if i.severity == "warning")
    return out


def _project_rows(units: list[ReviewUnit]) -> list[dict[str, Any]]:
    keys = ("unit", "name", "code", "form", "funds", "executed", "rate", "score", "computed", "grade", "profile", "errors", "warnings")
    return [{k: getattr(r, k) for k in keys} for ru in units for r in ru.rows]


UNUSABLE = "无法读取"


def _issue_rows(units: list[ReviewUnit], unusable: list[tuple[Path, str]]) -> list[dict[str, Any]]:
    rows = [
        {"unit": i.unit, "name": i.project, "indicator": i.indicator, "level": i.level, "text": i.text, "where": i.where} for ru in units for i in ru.issues
    ]
    return rows + [{"unit": "", "name": "", "indicator": "", "level": UNUSABLE, "text": text, "where": str(path)} for path, text in unusable]


_SUM = "SUM({col}{first}:{col}{last})"
_RATE = 'IF(SUMIF({executed}{first}:{executed}{last},"<>",{funds}{first}:{funds}{last})=0,"",SUM({executed}{first}:{executed}{last})/SUMIF({executed}{first}:{executed}{last},"<>",{funds}{first}:{funds}{last}))'
_AVERAGE = 'IF(COUNT({col}{first}:{col}{last})=0,"",ROUND(AVERAGE({col}{first}:{col}{last}),2))'
PROJECT_COLUMNS = [
    Column("单位", "unit", 30),
    Column("项目", "name", 36),
    Column("项目编码", "code", 20),
    Column("表单", "form", 26),
    Column("年度资金/全年预算数（元）", "funds", 18, "#,##0.00", _SUM),
    Column("全年执行数（元）", "executed", 18, "#,##0.00", _SUM),
    Column("执行率", "rate", 10, "0.00%", _RATE),
    Column("填报总分（合计行为平均分）", "score", 12, "0.00", _AVERAGE),
    Column("规则计算总分（合计行为平均分）", "computed", 12, "0.00", _AVERAGE),
    Column("等级", "grade", 8),
    Column("评分规则", "profile", 18),
    Column("错误", "errors", 8, "0", _SUM),
    Column("提示", "warnings", 8, "0", _SUM),
]
ISSUE_COLUMNS = [
    Column("单位", "unit", 30),
    Column("项目", "name", 30),
    Column("指标", "indicator", 24),
    Column("级别", "level", 8),
    Column("内容", "text", 70),
    Column("文件:行 / 文件:单元格", "where", 40),
]


def _form_columns(projects: int) -> list[Column]:
    """汇总's columns; its totals row reads the 项目 sheet (rows 3 to `projects` + 2), so the
    execution rate and the average score of the totals are those of all projects."""
    first, last = 3, projects + 2

    def over(template: str) -> str:
        letters = {c.key: f"'项目'!{chr(ord('A') + n)}" for n, c in enumerate(PROJECT_COLUMNS)}
        formula = template.format(first=first, last=last, **letters).replace(":'项目'!", ":")
        return formula.replace("{", "{{").replace("}", "}}")

    return [
        Column("单位", "unit", 30),
        Column("年度", "year", 8),
        Column("表单", "form", 26),
        Column("项目数", "projects", 8, "0", _SUM),
        Column("资金合计（元）", "funds", 18, "#,##0.00", _SUM),
        Column("执行率", "rate", 10, "0.00%", over(_RATE)),
        Column("平均总分", "score", 10, "0.00", over(_AVERAGE.replace("{col}", "{score}"))),
        *(Column(g, g, 6, "0", _SUM) for g in GRADES),
        Column("错误", "errors", 8, "0", _SUM),
        Column("提示", "warnings", 8, "0", _SUM),
    ]


def _totals(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: sum((Decimal(r[k]) for r in rows if r[k] is not None), ZERO) for k in keys}


def review_workbook(units: list[ReviewUnit], unusable: Sequence[tuple[Path | Any, str]] = ()) -> bytes:
    """The review workbook's bytes (the same units give the same bytes); `unusable`: the
    files that could not be read, with the message, listed in 问题 as 无法读取."""
    projects = [r for ru in units for r in ru.rows]
    form_rows, project_rows, issue_rows = _form_rows(units), _project_rows(units), _issue_rows(units, list(unusable))
    project_totals = {
        **_totals(project_rows, ("funds", "executed", "errors", "warnings")),
        "rate": _rate(projects),
        "score": _average([r.score for r in projects]),
        "computed": _average([r.computed for r in projects]),
    }
    if not any(r.executed is not None for r in projects):
        project_totals["executed"] = None
    form_totals = {**_totals(form_rows, ("projects", "funds", *GRADES, "errors", "warnings")), "rate": project_totals["rate"], "score": project_totals["score"]}
    years = sorted({ru.year for ru in units})
    span = f"{years[0]}–{years[-1]}年度" if len(years) > 1 else f"{years[0]}年度" if years else ""
    tables = [
        Table(SHEETS[0], f"{span}绩效表单审核汇总（{len(units)} 个单位）", _form_columns(len(project_rows)), form_rows, form_totals, "${errors}{row}>0"),
        Table(SHEETS[1], f"{span}项目明细", PROJECT_COLUMNS, project_rows, project_totals, "${errors}{row}>0"),
        Table(SHEETS[2], f"{span}审核发现的问题", ISSUE_COLUMNS, issue_rows, None, f'OR(${{level}}{{row}}="错误",${{level}}{{row}}="{UNUSABLE}")'),
    ]
    return tables_workbook(tables, datetime(years[-1] if years else 2000, 12, 31))
