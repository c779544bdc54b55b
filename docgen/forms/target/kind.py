"""The 财政项目支出绩效目标申报表 (performance-target declaration, before the year)."""

from __future__ import annotations

from typing import Any

from docgen.forms.interface import BookRow, Checks, FormKind, ProjectContext, Reader, Workbook
from docgen.forms.target import reader, workbook
from docgen.forms.target.checks import check_target
from docgen.forms.target.context import target_context
from docgen.forms.target.model import FRAGMENT
from docgen.model.findings import Report, Severity
from docgen.model.formatting import amount_text
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion


def _context(unit: Unit, report: Report) -> dict[str, Any]:
    return target_context(unit, report.project, report.version)


def _examples(unit: Unit, reports: list[Report], version: FormVersion) -> list[dict[str, Any]]:
    return [target_context(unit, r.project, version) for r in reports]


def _summary(report: Report) -> dict[str, Any]:
    declaration = report.project.declaration
    assert declaration is not None  # the kind applies to projects with a declaration
    return {"funds": declaration.funds.annual_total, "category": declaration.category}


def _table(reports: list[Report]) -> list[tuple[str, ...]]:
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


KIND = FormKind(
    name="target",
    short_title="申报表",
    count_label="申报表",
    fragment=FRAGMENT,
    checks=Checks(check_target),
    context=ProjectContext(_context, _examples),
    book=BookRow(summary=_summary),
    table=_table,
    workbook=Workbook(flag="申报表", columns=tuple(workbook.COLUMNS), indicator_columns=workbook.INDICATOR_COLUMNS),
    reader=Reader(reader.read),
)
