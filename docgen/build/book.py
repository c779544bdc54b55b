"""Stage 5b: the unit's annual book (汇总表): the Word book (cover, contents, the
departmental document when there is one, every project form) and the rows of the
summary workbook's 汇总 sheet.

Page numbers in the contents can only be known once the book is laid out.  Where
LibreOffice is available the book is assembled once, laid out (`render.layout`: the
page of every contents mark, and where a page break splits an indicator table's merged
cells), and the pages and splits are then filled into the assembled book (the layout
does not move: only digits change, and the splits were laid out too); a book with a
departmental document, whose own contents are numbered inside it, is assembled again
instead.  Without LibreOffice the pages are estimated and Word is asked to refresh the
fields on opening.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from docgen.forms import FormKind, form_kind, form_kinds
from docgen.forms.interface import DEFAULT_MONEY_LABEL
from docgen.model.findings import Report, Severity, count
from docgen.model.rounding import ZERO, q2
from docgen.model.unit import Unit
from docgen.registry.manifest import BookSpec, FormVersion
from docgen.render import compose, layout, rows
from docgen.render.docx import render_docx
from docgen.render.office import Office
from docgen.render.workbook import Column

if TYPE_CHECKING:
    from docgen.check.checking import Checked

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


# The cover title (封面标题: 26 pt bold on the page's 17.4 cm): 18 CJK characters a line;
# one less, so a line that just fits in Word does not break in WPS or LibreOffice.
COVER_LINE = 17


def _cover_width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def cover_lines(title: str, unit: str, year: int, per_line: int = COVER_LINE) -> list[str]:
    """The book title in lines broken between its words (the unit, 「<year>年度」, each
    kind's words, 「及…」, 「汇总表」), never inside one: the fewest lines, as even as
    they can be.  A word longer than a line (a long unit name) is cut, never leaving one
    character alone."""
    head, tail = f"{unit}{year}年度", "汇总表"
    if not (title.startswith(head) and title.endswith(tail)) or len(title) <= len(head) + len(tail):
        words = [title]
    else:
        middle = title[len(head) : -len(tail)]
        words = [unit, f"{year}年度", *(w if n == 0 else "及" + w for n, w in enumerate(middle.split("及")) if w or n == 0), tail]
    pieces: list[str] = []
    for word in words:
        while _cover_width(word) > per_line:
            cut = per_line
            while _cover_width(word[:cut]) > per_line:
                cut -= 1
            if _cover_width(word[cut:]) <= 1:  # the rest would be one character alone
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    best: tuple[int, float, list[str]] | None = None
    for breaks in itertools.product((False, True), repeat=len(pieces) - 1):
        lines = [pieces[0]]
        for piece, new_line in zip(pieces[1:], breaks):
            if new_line:
                lines.append(piece)
            else:
                lines[-1] += piece
        if any(_cover_width(line) > per_line for line in lines):
            continue
        # the fewest lines, then the most even ones (the least squared room left)
        key = (len(lines), sum((per_line - _cover_width(line)) ** 2 for line in lines), lines)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else pieces


def _form_entry(part: FormPart, number: int, kinds: int) -> str:
    """The contents line of a project form: its number and name, plus the form when a
    project brings more than one kind."""
    return f"{number}、{part.report.project.name}" + (f"（{part.report.version.title}）" if kinds > 1 else "")


def render_book_docx(
    unit: Unit,
    spec: BookSpec,
    title: str,
    documents: list[DocumentPart],
    forms: list[FormPart],
    stamp: datetime,
    lo: Office | None,
    step: Callable[[str], None] = lambda _: None,
) -> tuple[bytes, list[list[int]]]:
    """Cover, contents, the unit's documents (if any), then every project form; and,
    when LibreOffice laid the book out, the rows of each form where a page break splits
    its merged cells (`render.rows`), for the single forms to be split the same way."""
    book = _Book(unit, spec, title, documents, forms, stamp)
    step("组装汇总表（Word）")
    first, marks, kept = book.assemble(None, None, exact=lo is not None, keep=lo is not None)
    if lo is None:
        return first, []
    step("LibreOffice 排版以确定目录页码")
    if kept is None or len(kept.parts) != len(documents) + len(forms):
        # A part with a section break of its own: lay the book out whole, compose it again.
        pages = compose.laid_out_pages(first, marks, lo)
        step("按实际页码重排目录")
        final, _, _ = book.assemble(compose.pages_of(pages, marks, compose.BOOK_ENTRY), compose.pages_of(pages, marks, DEPT_ENTRY), exact=True)
        return final, []
    laid = layout.lay_out(kept, marks, lo, lambda xml: compose.with_main_part(first, xml, stamp))
    step("按实际页码重排目录")
    splits = [part.splits for part in laid.parts]
    book_pages, document_pages = compose.pages_of(laid.marks, marks, compose.BOOK_ENTRY), compose.pages_of(laid.marks, marks, DEPT_ENTRY)
    filled = book.filled_in(first, kept, book_pages, splits) if not documents else None
    if filled is not None:
        final = filled
    else:
        final, _, _ = book.assemble(book_pages, document_pages, exact=True, splits=splits)
    return final, splits[len(documents) :]


class _Book:
    """The book's parts and how they are put together."""

    def __init__(self, unit: Unit, spec: BookSpec, title: str, documents: list[DocumentPart], forms: list[FormPart], stamp: datetime):
        self.unit, self.spec, self.title, self.documents, self.forms, self.stamp = unit, spec, title, documents, forms, stamp
        kinds = len({p.report.kind for p in forms})
        numbers: dict[int, int] = {}
        for part in forms:
            numbers.setdefault(part.report.index, len(numbers) + 1)
        self.entries = [_form_entry(p, numbers[p.report.index], kinds) for p in forms]
        self.estimated: bytes | None = None  # the skeleton with estimated pages

    def skeleton(self, marks: list[compose.Mark], pages: list[int]) -> bytes:
        contents = [{"text": m.text, "page": page, "level": m.level} for m, page in zip(marks, pages)]
        cover = "\n".join(cover_lines(self.title, self.unit.unit, self.unit.year))  # docxtpl: a line break
        book = {"title": self.title, "cover_title": cover, "unit": self.unit.unit, "year": self.unit.year, "contents": contents}
        return render_docx(self.spec.docx, {"book": book}, self.stamp)

    def assemble(
        self, book_pages: list[int] | None, document_pages: list[int] | None, exact: bool, keep: bool = False, splits: list[list[int]] | None = None
    ) -> tuple[bytes, list[list[compose.Mark]], compose.Kept | None]:
        sources: list[tuple[bytes, str | None]] = []
        for doc in self.documents:
            assert doc.kind.document is not None  # a unit-scope kind has its document
            # The book's cover and contents come first: a document starts on page 3 at the earliest.
            sources.append((doc.kind.document.docx(self.unit, doc.version, doc.indexes, self.stamp, document_pages, 3), None))
        sources += [(p.docx, entry) for p, entry in zip(self.forms, self.entries)]
        outlines = [compose.outline(docx, entry) for docx, entry in sources]
        self.marks = compose.book_entries(outlines)
        skeleton = self.skeleton(self.marks, book_pages or _estimate_book_pages(outlines, len(self.marks)))
        if book_pages is None:
            self.estimated = skeleton

        def parts() -> Iterator[Any]:
            for n, (docx, entry) in enumerate(sources):
                part = compose.prepare_part(docx, entry)
                if splits and splits[n]:
                    rows.split_rows(part.element.body, splits[n])
                yield part

        return compose.compose(skeleton, parts(), self.stamp, exact, keep)

    def filled_in(self, first: bytes, kept: compose.Kept, pages: list[int], splits: list[list[int]]) -> bytes | None:
        """The composed book with the contents' pages filled in and the merges split,
        without composing it again; None when the skeleton's part of it is not what
        composing the skeleton alone gives (then the book is composed again)."""
        assert self.estimated is not None
        alone = compose.compose(self.estimated, [], self.stamp, exact=True, keep=True)[2]
        if alone is None or alone.skeleton != kept.skeleton or alone.prefix != kept.prefix:
            return None
        final = compose.compose(self.skeleton(self.marks, pages), [], self.stamp, exact=True, keep=True)[2]
        if final is None:
            return None
        pieces = layout.Pieces(kept)
        xml = kept.prefix + final.skeleton + b"".join(pieces.split(n, at) for n, at in enumerate(splits)) + kept.tail
        return compose.with_main_part(first, xml, self.stamp)


def form_splits(unit: Unit, spec: BookSpec, title: str, forms: list[FormPart], stamp: datetime, lo: Office) -> list[list[int]]:
    """Where a page break splits each form's merged cells, the forms laid out as the book
    would bind them (for a render that makes the forms without the book)."""
    book = _Book(unit, spec, title, [], forms, stamp)
    first, marks, kept = book.assemble(None, None, exact=True, keep=True)
    if kept is None or len(kept.parts) != len(forms):
        return [[] for _ in forms]
    return [part.splits for part in layout.lay_out(kept, marks, lo, lambda xml: compose.with_main_part(first, xml, stamp)).parts]


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
    labels = dict.fromkeys([DEFAULT_MONEY_LABEL, *(k.book.money_label for k in form_kinds())])
    return "/".join(label for label in labels if label in used)


def _summary_row(number: int, checked: Checked, index: int) -> tuple[dict[str, Any], str]:
    """One project's 汇总 row, and the words of its money column."""
    project = checked.unit.projects[index]
    reports = [r for r in checked.reports if r.index == index]
    cells: dict[str, Any] = {"funds": None, "executed": None, "rate": None, "score": None, "grade": "", "category": ""}
    label = DEFAULT_MONEY_LABEL
    own: list[Any] = []
    documents: list[Any] = []
    for report in reports:  # later forms of a project (the 自评表 after the 申报表) win
        kind = form_kind(report.kind)
        got = kind.book.summary(report)
        cells.update(got)
        label = kind.book.money_label if "funds" in got else label
        (documents if kind.unit_scope else own).append(kind.book.form_words(report))
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
        Column(
            "执行率",
            "rate",
            10,
            "0.00%",
            'IF(SUMIF({executed}{first}:{executed}{last},"<>",{funds}{first}:{funds}{last})=0,"",'
            'SUM({executed}{first}:{executed}{last})/SUMIF({executed}{first}:{executed}{last},"<>",{funds}{first}:{funds}{last}))',
        ),
        Column("总分（合计行为平均分）", "score", 12, "0.00", 'IF(COUNT({col}{first}:{col}{last})=0,"",ROUND(AVERAGE({col}{first}:{col}{last}),2))'),
        Column("等级", "grade", 8),
        Column("错误", "errors", 8, "0", "SUM({col}{first}:{col}{last})"),
        Column("提示", "warnings", 8, "0", "SUM({col}{first}:{col}{last})"),
    ]
    return columns, rows, _totals(rows)
