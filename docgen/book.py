"""Stage 5b: the unit's documents that span projects: the departmental document
(部门整体绩效目标) and the annual book (汇总表, .docx and .xlsx).

Page numbers in a contents page can only be known once the document is laid out.
Where LibreOffice is available each document is rendered twice: once to lay it out
and read the page of every contents mark, once more with those pages filled in
(the layout does not move: only digits change).  Without it the pages are
estimated and Word is asked to refresh the fields on opening.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from .checks import Severity
from .context import dept_context, dept_project_context
from .models import Project, Unit
from .registry import BookSpec, FormVersion
from .render import book as wordbook
from .render import office
from .render.docx import render_docx
from .render.workbook import Column
from .scoring import ZERO, q2

CONTENTS_LINES_PER_PAGE = 28


@dataclass
class FormPart:
    """One rendered project form on its way into the book."""

    index: int  # the project's place in the unit file
    project: Project
    version: FormVersion
    docx: bytes
    xlsx: bytes


def _laid_out(docx: bytes, marks: list[list[wordbook.Mark]], lo: office.Office) -> list[int]:
    pdf = lo.to_pdf(docx)
    found = office.destination_pages(pdf)
    return [found.get(wordbook.bookmark_name(n), 0) for n in range(1, len(marks) + 1)]


def _pages_of(layout_pages: list[int], marks: list[list[wordbook.Mark]], ident: str) -> list[int]:
    return [page for page, ms in zip(layout_pages, marks) if any(m.ident == ident for m in ms)]


# ------------------------------------------------------------------ departmental


def dept_projects(unit: Unit, version: FormVersion, indexes: list[int], pages: list[int] | None) -> list[dict[str, Any]]:
    out = []
    for n, index in enumerate(indexes):
        page = pages[n] if pages and n < len(pages) else None
        out.append(dept_project_context(unit, unit.projects[index], version, n + 1, page))
    return out


def _estimated_dept_pages(unit: Unit, indexes: list[int], start: int) -> list[int]:
    """Each project table starts a page after 第一部分 and the 第二部分 contents page."""
    narrative = sum(len(t) for t in (unit.department_goals.overall if unit.department_goals else []))
    if unit.department_goals:
        narrative += sum(len(a.text) + sum(len(i) for i in a.items) for a in unit.department_goals.areas)
        narrative += len(unit.department_goals.safeguards.intro) + sum(len(i) for i in unit.department_goals.safeguards.items)
    first = start + max(1, math.ceil(narrative / 700)) + math.ceil(max(len(indexes), 1) / CONTENTS_LINES_PER_PAGE)
    return [first + n for n in range(len(indexes))]


def render_dept(unit: Unit, version: FormVersion, indexes: list[int], stamp: datetime, lo: office.Office | None, start_page: int = 1) -> tuple[bytes, bool]:
    """The departmental document (.docx), its contents page numbered."""
    estimate = _estimated_dept_pages(unit, indexes, start_page)

    def render(pages: list[int]) -> bytes:
        return render_docx(version.docx, dept_context(unit, version, dept_projects(unit, version, indexes, pages)), stamp)

    first = render(estimate)
    if lo is None:
        return wordbook.bookmark_document(first, stamp, exact=False)[0], False
    marked, marks = wordbook.bookmark_document(first, stamp, exact=True)
    pages = _pages_of(_laid_out(marked, marks, lo), marks, "C")
    return wordbook.bookmark_document(render(pages), stamp, exact=True)[0], True


# --------------------------------------------------------------------- the book


def _form_entry(part: FormPart, number: int, kinds: int) -> str:
    """The contents line of a project form: its number and name, plus the form when a
    project brings more than one kind."""
    return f"{number}、{part.project.name}" + (f"（{part.version.kind_title}）" if kinds > 1 else "")


def render_book_docx(
    unit: Unit,
    spec: BookSpec,
    title: str,
    dept: tuple[FormVersion, list[int]] | None,
    forms: list[FormPart],
    stamp: datetime,
    lo: office.Office | None,
    step: Callable[[str], None] = lambda _: None,
) -> tuple[bytes, bool]:
    """Cover, contents, the departmental document (if any), then every project form."""
    kinds = len({p.version.kind for p in forms})
    numbers: dict[int, int] = {}
    for part in forms:
        numbers.setdefault(part.index, len(numbers) + 1)
    entries = [_form_entry(p, numbers[p.index], kinds) for p in forms]

    def assemble(book_pages: list[int] | None, dept_pages: list[int] | None, exact: bool) -> tuple[bytes, list[list[wordbook.Mark]]]:
        parts = []
        if dept is not None:
            version, indexes = dept
            if dept_pages is None:
                dept_pages = _estimated_dept_pages(unit, indexes, 3)
            dept_docx = render_docx(version.docx, dept_context(unit, version, dept_projects(unit, version, indexes, dept_pages)), stamp)
            parts.append(wordbook.prepare_part(dept_docx, None))
        parts += [wordbook.prepare_part(p.docx, entry) for p, entry in zip(forms, entries)]
        marks = wordbook.book_entries(parts)
        pages = book_pages or _estimate_book_pages(parts, len(marks))
        contents = [{"text": m.text, "page": page, "level": m.level} for m, page in zip(marks, pages)]
        skeleton = render_docx(spec.docx, {"book": {"title": title, "unit": unit.unit, "year": unit.year, "contents": contents}}, stamp)
        return wordbook.compose(skeleton, parts, stamp, exact)

    step("组装汇总表（Word）")
    first, marks = assemble(None, None, exact=lo is not None)
    if lo is None:
        return first, False
    step("LibreOffice 排版以确定目录页码")
    pages = _laid_out(first, marks, lo)
    book_pages = _pages_of(pages, marks, wordbook.BOOK_ENTRY)
    dept_pages = _pages_of(pages, marks, "C")
    step("按实际页码重排目录")
    final, _ = assemble(book_pages, dept_pages, exact=True)
    return final, True


def _estimate_book_pages(parts: list[Any], entries: int) -> list[int]:
    page = 2 + math.ceil(max(entries, 1) / CONTENTS_LINES_PER_PAGE)  # cover, then contents
    pages = []
    for part in parts:
        marked = wordbook.marked_paragraphs(part)
        book_marks = [ms for _, ms in marked if any(m.ident == wordbook.BOOK_ENTRY for m in ms)]
        span = wordbook.estimate_pages(part)
        for n, _ in enumerate(book_marks):
            pages.append(page + min(n, span - 1))
        page += span
    return pages


# ------------------------------------------------------------ summary workbook


def summary_rows(unit: Unit, checked: Any, indexes: list[int]) -> tuple[list[Column], list[dict[str, Any]], dict[str, Any]]:
    """One row per project: its money, execution, score and findings (`checked` is an `api.Checked`)."""
    selfeval = {r.index: r for r in checked.reports}
    targets = {t.index: t for t in checked.targets}
    budgets = {b.index: b for b in checked.budgets}
    evaluated_only = all(i in selfeval for i in indexes)
    money = "全年预算数（元）" if evaluated_only else ("年度资金（元）" if not selfeval else "年度资金/全年预算数（元）")
    money = money.replace("元", unit.amount_unit)
    rows = []
    for n, index in enumerate(indexes, start=1):
        project = unit.projects[index]
        report, target, budget = selfeval.get(index), targets.get(index), budgets.get(index)
        findings = checked.project_findings(index)
        funds = executed = rate = score = None
        grade = ""
        if report is not None:
            ev = report.score
            funds, executed, rate = ev.execution.budget, ev.execution.executed, ev.execution.rate_rounded
            score, grade = ev.shown_total, ev.grade
        elif target is not None:
            funds = project.declaration.funds.annual_total
        elif budget is not None:
            funds = project.budget.total
        forms = "、".join(r.version.kind_title for r in (target, report) if r is not None) or ("部门预算项目" if budget else "")
        rows.append(
            {
                "number": n,
                "code": project.code,
                "name": project.name,
                "category": project.declaration.category if project.declaration else "",
                "forms": forms,
                "funds": q2(funds) if funds is not None else None,
                "executed": q2(executed) if executed is not None else None,
                "rate": rate,
                "score": score,
                "grade": grade,
                "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
                "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
            }
        )
    funds_total = sum((r["funds"] for r in rows if r["funds"] is not None), ZERO)
    executed_total = sum((r["executed"] for r in rows if r["executed"] is not None), ZERO)
    budget_of_executed = sum((r["funds"] for r in rows if r["executed"] is not None and r["funds"] is not None), ZERO)
    scores = [r["score"] for r in rows if r["score"] is not None]
    totals = {
        "funds": funds_total,
        "executed": executed_total if any(r["executed"] is not None for r in rows) else None,
        "rate": executed_total / budget_of_executed if budget_of_executed else None,
        "score": q2(sum(scores, ZERO) / len(scores)) if scores else None,
        "errors": Decimal(sum(r["errors"] for r in rows)),
        "warnings": Decimal(sum(r["warnings"] for r in rows)),
    }
    columns = [
        Column("序号", "number", 6),
        Column("项目编码", "code", 20),
        Column("项目名称", "name", 36),
        Column("项目类别", "category", 12),
        Column("表单", "forms", 22),
        Column(money, "funds", 18, "#,##0.00", "SUM({col}{first}:{col}{last})"),
        Column(f"全年执行数（{unit.amount_unit}）", "executed", 18, "#,##0.00", "SUM({col}{first}:{col}{last})"),
        # The rate of the total: executed over the budget of the projects that report execution.
        Column("执行率", "rate", 10, "0.00%", 'IF(SUMIF({executed}{first}:{executed}{last},"<>",{funds}{first}:{funds}{last})=0,"",'
               'SUM({executed}{first}:{executed}{last})/SUMIF({executed}{first}:{executed}{last},"<>",{funds}{first}:{funds}{last}))'),
        Column("总分（合计行为平均分）", "score", 12, "0.00", 'IF(COUNT({col}{first}:{col}{last})=0,"",ROUND(AVERAGE({col}{first}:{col}{last}),2))'),
        Column("等级", "grade", 8),
        Column("错误", "errors", 8, "0", "SUM({col}{first}:{col}{last})"),
        Column("提示", "warnings", 8, "0", "SUM({col}{first}:{col}{last})"),
    ]
    return columns, rows, totals
