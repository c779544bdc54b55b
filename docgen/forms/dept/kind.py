"""The 部门整体绩效目标 (departmental document): 第一部分 the unit's goals, 第二部分 one
绩效目标表 per budgeted project; one Word document for the whole unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from docgen.forms import FormKind
from docgen.forms.dept import workbook
from docgen.forms.dept.checks import check_budget
from docgen.forms.dept.context import dept_context, dept_project_context
from docgen.forms.dept.document import PART_ONE, document_docx, part_one_lines, project_contexts, render_document
from docgen.model.findings import Report
from docgen.model.unit import Project, Unit
from docgen.registry.manifest import FormVersion
from docgen.render.office import Office


class DepartmentDocument(FormKind):
    name = "dept"
    short_title = "部门整体绩效目标"
    part = "budget"
    count_label = "部门整体绩效目标项目表"
    count_word = "张"
    document = True

    def applies(self, project: Project) -> bool:
        return project.budget is not None

    def applies_to_unit(self, unit: Unit) -> bool:
        return unit.department_goals is not None or any(self.applies(p) for p in unit.projects)

    def check(self, unit: Unit, index: int, version: FormVersion) -> Report:
        return check_budget(unit, index, version)

    def example_contexts(self, unit: Unit, reports: list[Report], version: FormVersion) -> list[dict[str, Any]]:
        return [dept_project_context(unit, r.project, version, n) for n, r in enumerate(reports, start=1)]

    def sheet_contexts(self, unit: Unit, version: FormVersion, indexes: list[int]) -> list[dict[str, Any]]:
        return project_contexts(unit, version, indexes, None)

    def document_context(self, unit: Unit, version: FormVersion, sheets: list[dict[str, Any]]) -> dict[str, Any]:
        return dept_context(unit, version, sheets)

    def document_docx(self, unit: Unit, version: FormVersion, indexes: list[int], stamp: datetime, pages: list[int] | None, start_page: int) -> bytes:
        return document_docx(unit, version, indexes, stamp, pages, start_page)

    def first_sheet(self, unit: Unit, version: FormVersion) -> tuple[str, list[str]] | None:
        return (PART_ONE, part_one_lines(unit, version)) if unit.department_goals is not None else None

    def render_document(self, unit: Unit, version: FormVersion, indexes: list[int], stamp: datetime, lo: Office | None) -> bytes:
        return render_document(unit, version, indexes, stamp, lo)

    def summary(self, report: Report) -> dict[str, Any]:
        budget = report.project.budget
        assert budget is not None  # the kind applies to projects with a budget
        return {"funds": budget.total}

    def summary_form(self, report: Report) -> str:
        return "部门预算项目"

    workbook_flag = "部门预算项目"

    workbook_sheet = workbook.GOALS_SHEET

    def sheet_field(self) -> str:
        return "department_goals"

    def sheet_rows(self, unit: Unit) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        return workbook.GOALS_HEADERS, workbook.goal_rows(unit.department_goals) if unit.department_goals else []

    def read_sheet(self, rows: list[tuple[Any, ...]]) -> tuple[Any, dict[tuple[Any, ...], str], list[Any]]:
        return workbook.goals_from_rows(rows)


KIND = DepartmentDocument()
