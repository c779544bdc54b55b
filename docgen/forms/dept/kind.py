"""The 部门整体绩效目标 (departmental document): 第一部分 the unit's goals, 第二部分 one
绩效目标表 per budgeted project; one Word document for the whole unit."""

from __future__ import annotations

from typing import Any

from docgen.forms.dept import reader, workbook
from docgen.forms.dept.checks import check_budget
from docgen.forms.dept.context import dept_context, dept_project_context
from docgen.forms.dept.document import PART_ONE, document_docx, part_one_lines, project_contexts, render_document
from docgen.forms.dept.model import FRAGMENT
from docgen.forms.interface import BookRow, Checks, Document, FormKind, Reader, UnitSheet, Workbook
from docgen.model.findings import Report
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion


def _examples(unit: Unit, reports: list[Report], version: FormVersion) -> list[dict[str, Any]]:
    return [dept_project_context(unit, r.project, version, n) for n, r in enumerate(reports, start=1)]


def _sheets(unit: Unit, version: FormVersion, indexes: list[int]) -> list[dict[str, Any]]:
    return project_contexts(unit, version, indexes, None)


def _first_sheet(unit: Unit, version: FormVersion) -> tuple[str, list[str]] | None:
    return (PART_ONE, part_one_lines(unit, version)) if unit.department_goals is not None else None


def _summary(report: Report) -> dict[str, Any]:
    budget = report.project.budget
    assert budget is not None  # the kind applies to projects with a budget
    return {"funds": budget.total}


def _goal_rows(unit: Unit) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    return workbook.GOALS_HEADERS, workbook.goal_rows(unit.department_goals) if unit.department_goals else []


KIND = FormKind(
    name="dept",
    short_title="部门整体绩效目标",
    count_label="部门整体绩效目标项目表",
    count_word="张",
    fragment=FRAGMENT,
    checks=Checks(check_budget),
    document=Document(
        sheets=_sheets,
        context=dept_context,
        docx=document_docx,
        render=render_document,
        examples=_examples,
        first_sheet=_first_sheet,
    ),
    book=BookRow(summary=_summary, form=lambda report: "部门预算项目"),
    workbook=Workbook(
        flag="部门预算项目",
        columns=tuple(workbook.COLUMNS),
        indicator_columns=workbook.INDICATOR_COLUMNS,
        sheet=UnitSheet(workbook.GOALS_SHEET, _goal_rows, workbook.goals_from_rows),
    ),
    reader=Reader(reader.read),
)
