"""The departmental document (部门整体绩效目标) as one Word file, its contents page numbered.

Page numbers can only be known once the document is laid out.  Where LibreOffice is
available the document is rendered twice: once to lay it out and read the page of
every contents mark (and the rows where a page break splits a table's merged cells,
`render.rows`), once more with those pages filled in and those cells split (the layout
does not move: only digits change).  Without it the pages are estimated and Word is asked to refresh
the fields on opening.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from docgen.forms.dept.context import dept_context, dept_project_context
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion
from docgen.render import compose, layout
from docgen.render.docx import render_docx
from docgen.render.office import Office

CONTENTS_LINES_PER_PAGE = 28


def project_contexts(unit: Unit, version: FormVersion, indexes: list[int], pages: list[int] | None) -> list[dict[str, Any]]:
    """One 绩效目标表 context per budgeted project, numbered in order, with its page once known."""
    out = []
    for n, index in enumerate(indexes):
        page = pages[n] if pages and n < len(pages) else None
        out.append(dept_project_context(unit, unit.projects[index], version, n + 1, page))
    return out


def estimated_pages(unit: Unit, indexes: list[int], start: int) -> list[int]:
    """Each project table starts a page after 第一部分 and the 第二部分 contents page."""
    goals = unit.department_goals
    narrative = sum(len(t) for t in (goals.overall if goals else []))
    if goals:
        narrative += sum(len(a.text) + sum(len(i) for i in a.items) for a in goals.areas)
        narrative += len(goals.safeguards.intro) + sum(len(i) for i in goals.safeguards.items)
    first = start + max(1, math.ceil(narrative / 700)) + math.ceil(max(len(indexes), 1) / CONTENTS_LINES_PER_PAGE)
    return [first + n for n in range(len(indexes))]


def document_docx(unit: Unit, version: FormVersion, indexes: list[int], stamp: datetime, pages: list[int] | None, start_page: int = 1) -> bytes:
    """The whole document rendered from its template, with `pages` (estimated when None)."""
    pages = pages if pages is not None else estimated_pages(unit, indexes, start_page)
    return render_docx(version.docx, dept_context(unit, version, project_contexts(unit, version, indexes, pages)), stamp)


def render_document(unit: Unit, version: FormVersion, indexes: list[int], stamp: datetime, lo: Office | None) -> bytes:
    """The departmental document (.docx) standing alone, its contents page numbered."""
    first = document_docx(unit, version, indexes, stamp, None)
    if lo is None:
        return compose.bookmark_document(first, stamp, exact=False)[0]
    marked, marks = compose.bookmark_document(first, stamp, exact=True)
    laid_out, splits = layout.lay_out_document(marked, marks, lo, stamp)
    final = compose.bookmark_document(document_docx(unit, version, indexes, stamp, compose.pages_of(laid_out, marks, "C")), stamp, exact=True)[0]
    return layout.split_document(final, splits, stamp)


PART_ONE = "第一部分"
_HEADINGS = ("部门整体绩效目标", "一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施")


def part_one_lines(unit: Unit, version: FormVersion) -> list[str]:
    """第一部分 as the lines of text the Word document prints (for the workbook's first
    sheet, so the Excel file alone carries what the Word file does)."""
    goals = dept_context(unit, version, [])["goals"]
    title, overall, areas, safeguards = _HEADINGS
    lines = [PART_ONE, title, overall, *(f"{g['number']}{g['text']}" for g in goals["overall"]), areas]
    for area in goals["areas"]:
        lines += [f"{area['number']}{area['text']}", *(f"{p['number']}{p['text']}" for p in area["points"])]
    lines += [safeguards, *goals["safeguards"]["intro"], *(f"{p['number']}{p['text']}" for p in goals["safeguards"]["points"])]
    return lines
