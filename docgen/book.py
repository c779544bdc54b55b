"""Stage 5b: the unit's annual book (汇总表): the Word book (cover, contents, the
departmental document when there is one, every project form) and the rows of the
summary workbook's 汇总 sheet.

Page numbers in the contents can only be known once the book is laid out.  Where
LibreOffice is available the book is assembled twice: once to lay it out and read the
page of every contents mark, once more with those pages filled in (the layout does not
move: only digits change).  Without it the pages are estimated and Word is asked to
refresh the fields on opening.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from .findings import Report, Severity, count
from .forms import FormKind, form_kind, form_kinds
from .models import Unit
from .registry import BookSpec, FormVersion
from .render import compose
from .render.docx import render_docx
from .render.office import Office
from .render.workbook import Column
from .rounding import ZERO, q2

if TYPE_CHECKING:
    from .checking import Checked

CONTENTS_LINES_PER_PAGE = 28
DEPT_ENTRY = "C"  # the identifier of a document's own contents entries (its TC fields)


@dataclass
class FormPart:
    """One rendered project form on its way into the book."""

    report: Report
    docx: bytes
    xlsx: bytes


@dataclass(frozen=True)
class DocumentPart:
    """A document kind's part of the book: the projects it covers."""

    kind: FormKind
    version: FormVersion
    indexes: list[int]


def _form_entry(part: FormPart, number: int, kinds: int) -> str:
    """The contents line of a project form: its number and name, plus the form when a
    project brings more than one kind."""
    return f"{number}、{part.report.project.name}" + (f"（{part.report.version.kind_title}）" if kinds > 1 else "")


def render_book_docx(
    unit: Unit,
    spec: BookSpec,
    title: str,
    documents: list[DocumentPart],
    forms: list[FormPart],
    stamp: datetime,
    lo: Office | None,
    step: Callable[[str], None] = lambda _: None,
) -> bytes:
    """Cover, contents, the unit's documents (if any), then every project form."""
    kinds = len({p.report.kind for p in forms})
    numbers: dict[int, int] = {}
    for part in forms:
        numbers.setdefault(part.report.index, len(numbers) + 1)
    entries = [_form_entry(p, numbers[p.report.index], kinds) for p in forms]

    def assemble(book_pages: list[int] | None, document_pages: list[int] | None, exact: bool) -> tuple[bytes, list[list[compose.Mark]]]:
        sources: list[tuple[bytes, str | None]] = []
        for doc in documents:
            # The book's cover and contents come first: a document starts on page 3 at the earliest.
            sources.append((doc.kind.document_docx(unit, doc.version, doc.indexes, stamp, document_pages, 3), None))
        sources += [(p.docx, entry) for p, entry in zip(forms, entries)]
        outlines = [compose.outline(docx, entry) for docx, entry in sources]
        marks = compose.book_entries(outlines)
        pages = book_pages or _estimate_book_pages(outlines, len(marks))
        contents = [{"text": m.text, "page": page, "level": m.level} for m, page in zip(marks, pages)]
        skeleton = render_docx(spec.docx, {"book": {"title": title, "unit": unit.unit, "year": unit.year, "contents": contents}}, stamp)
        return compose.compose(skeleton, (compose.prepare_part(docx, entry) for docx, entry in sources), stamp, exact)

    step("组装汇总表（Word）")
    first, marks = assemble(None, None, exact=lo is not None)
    if lo is None:
        return first
    step("LibreOffice 排版以确定目录页码")
    pages = compose.laid_out_pages(first, marks, lo)
    step("按实际页码重排目录")
    final, _ = assemble(compose.pages_of(pages, marks, compose.BOOK_ENTRY), compose.pages_of(pages, marks, DEPT_ENTRY), exact=True)
    return final


def _estimate_book_pages(parts: list[compose.PartOutline], entries: int) -> list[int]:
    page = 2 + math.ceil(max(entries, 1) / CONTENTS_LINES_PER_PAGE)  # cover, then contents
    pages = []
    for part in parts:
        book_marks = [ms for ms in part.marks if any(m.ident == compose.BOOK_ENTRY for m in ms)]
        span = part.pages
        for n, _ in enumerate(book_marks):
            pages.append(page + min(n, span - 1))
        page += span
    return pages


# ------------------------------------------------------------ summary workbook


def _money_label(used: set[str]) -> str:
    """年度资金, 全年预算数, or both when the book mixes forms that report either."""
    labels = dict.fromkeys([FormKind.money_label, *(k.money_label for k in form_kinds())])
    return "/".join(label for label in labels if label in used)


def _summary_row(number: int, checked: Checked, index: int) -> tuple[dict[str, Any], str]:
    """One project's 汇总 row, and the words of its money column."""
    project = checked.unit.projects[index]
    reports = [r for r in checked.reports if r.index == index]
    cells: dict[str, Any] = {"funds": None, "executed": None, "rate": None, "score": None, "grade": "", "category": ""}
    label = FormKind.money_label
    own, documents = [], []
    for report in reports:  # later forms of a project (the 自评表 after the 申报表) win
        kind = form_kind(report.kind)
        got = kind.summary(report)
        cells.update(got)
        label = kind.money_label if "funds" in got else label
        (documents if kind.document else own).append(kind.summary_form(report))
    findings = checked.project_findings(index)
    row = {
        "number": number,
        "code": project.code,
        "name": project.name,
        "category": cells["category"],
        "forms": "、".join(own) or "、".join(documents),
        "funds": q2(cells["funds"]) if cells["funds"] is not None else None,
        "executed": q2(cells["executed"]) if cells["executed"] is not None else None,
        "rate": cells["rate"],
        "score": cells["score"],
        "grade": cells["grade"],
        "errors": count(findings, Severity.ERROR),
        "warnings": count(findings, Severity.WARNING),
    }
    return row, label


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    funds_total = sum((r["funds"] for r in rows if r["funds"] is not None), ZERO)
    executed_total = sum((r["executed"] for r in rows if r["executed"] is not None), ZERO)
    budget_of_executed = sum((r["funds"] for r in rows if r["executed"] is not None and r["funds"] is not None), ZERO)
    scores = [r["score"] for r in rows if r["score"] is not None]
    return {
        "funds": funds_total,
        "executed": executed_total if any(r["executed"] is not None for r in rows) else None,
        "rate": executed_total / budget_of_executed if budget_of_executed else None,
        "score": q2(sum(scores, ZERO) / len(scores)) if scores else None,
        "errors": Decimal(sum(r["errors"] for r in rows)),
        "warnings": Decimal(sum(r["warnings"] for r in rows)),
    }


def summary_rows(checked: Checked, indexes: list[int]) -> tuple[list[Column], list[dict[str, Any]], dict[str, Any]]:
    """One row per project: its money, execution, score and findings, and the totals."""
    unit = checked.unit
    rows, labels = [], set()
    for n, index in enumerate(indexes, start=1):
        row, label = _summary_row(n, checked, index)
        rows.append(row)
        labels.add(label)
    money = f"{_money_label(labels)}（{unit.amount_unit}）"
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
    return columns, rows, _totals(rows)
