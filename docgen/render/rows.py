"""Tables across page breaks: a vertically merged cell (一级指标, 二级指标, 绩效指标…) that
runs on over a page break prints its text once, on the page where the merge starts; the
published forms name the labels again at the top of the continuation page.

Where LibreOffice lays the document out, every row of a table with merged cells is
marked (`mark_rows`: a bookmark in its first unmerged cell, which LibreOffice exports as
a PDF named destination), the page of each row is read back, and at each row that
starts a new page inside a merge (`page_starts`) the merges are split (`split_rows`):
the row's continued cells become the start of a new merge holding the label again.
Rows are numbered in document order over the body, so the numbers of a form's rows are
the same in the form alone and as a part of the book.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_TR, _TC, _TCPR, _P = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:p")
_VMERGE, _SPAN, _BEFORE = qn("w:vMerge"), qn("w:gridSpan"), qn("w:gridBefore")
_VAL = qn("w:val")
_BOOKMARKS = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
MARK_ID_BASE = 500000  # bookmark ids of row marks, clear of the ids docgen and Word give


def row_mark(part: int, row: int) -> str:
    """The bookmark name of row `row` of part `part` (a form, or a document of the book)."""
    return f"_DGRow{part:05d}R{row:04d}"  # no `_` inside: LibreOffice escapes it in the PDF


def _merge(tc: Any) -> str | None:
    """'restart', 'continue' or None (not merged vertically)."""
    tcpr = tc.find(_TCPR)
    merge = tcpr.find(_VMERGE) if tcpr is not None else None
    if merge is None:
        return None
    return "restart" if merge.get(_VAL) == "restart" else "continue"


def _merged_table(tr: Any) -> bool:
    table = tr.getparent()
    return any(_merge(tc) is not None for row in table.iterfind(_TR) for tc in row.iterfind(_TC))


def rows(body: Any) -> list[Any]:
    """Every table row of `body`, in document order (the numbering `mark_rows`,
    `page_starts` and `split_rows` share)."""
    return list(body.iter(_TR))


def mark_rows(body: Any, part: int) -> dict[str, int]:
    """Bookmark every row of the tables with vertical merges (in its first cell that is
    not a continued merge); returns bookmark name -> row number."""
    marks: dict[Any, Any] = {}
    for n, tr in enumerate(rows(body)):
        if not _merged_table(tr):
            continue
        cells = list(tr.iterfind(_TC))
        cell = next((tc for tc in cells if _merge(tc) is None), None)
        if cell is None:
            cell = next((tc for tc in cells if _merge(tc) == "restart"), None)
        p = cell.find(_P) if cell is not None else None
        if p is None:
            continue
        name = row_mark(part, n)
        bookmark(p, name, MARK_ID_BASE + len(marks) + part * 1000)
        marks[name] = n
    return marks


def bookmark(p: Any, name: str, ident: int) -> None:
    """Bookmark paragraph `p` whole: its start after the paragraph's properties."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    for el in (start, end):
        el.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def page_starts(body: Any, pages: dict[int, int]) -> list[int]:
    """The rows (numbers) holding a continued merge whose page (`pages`: row -> page,
    as laid out) is later than the page of the row before them in their table."""
    out = []
    previous: dict[Any, int] = {}
    for n, tr in enumerate(rows(body)):
        page = pages.get(n)
        if page is None:
            continue
        table = tr.getparent()
        before = previous.get(table)
        previous[table] = page
        if before is not None and page > before and any(_merge(tc) == "continue" for tc in tr.iterfind(_TC)):
            out.append(n)
    return out


def _grid(tr: Any) -> list[tuple[int, Any]]:
    """(first grid column, cell) of each cell of a row."""
    trpr = tr.find(qn("w:trPr"))
    before = trpr.find(_BEFORE) if trpr is not None else None
    col = int(before.get(_VAL, "0")) if before is not None else 0
    out = []
    for tc in tr.iterfind(_TC):
        out.append((col, tc))
        tcpr = tc.find(_TCPR)
        span = tcpr.find(_SPAN) if tcpr is not None else None
        col += int(span.get(_VAL, "1")) if span is not None else 1
    return out


def _first_of_merge(tr: Any, col: int) -> Any | None:
    """The cell starting the merge that column `col` of row `tr` continues."""
    row = tr.getprevious()
    while row is not None:
        if row.tag == _TR:
            cell = next((tc for c, tc in _grid(row) if c == col), None)
            if cell is None or _merge(cell) is None:
                return None
            if _merge(cell) == "restart":
                return cell
        row = row.getprevious()
    return None


def split_rows(body: Any, at: Iterable[int]) -> int:
    """At each row numbered in `at`, every continued merge starts a new merge carrying
    the text of the cell the merge started with; returns how many cells changed."""
    changed = 0
    all_rows = rows(body)
    for n in sorted(set(at)):
        tr = all_rows[n]
        for col, tc in _grid(tr):
            if _merge(tc) != "continue":
                continue
            first = _first_of_merge(tr, col)
            if first is None:
                continue
            tc.find(_TCPR).find(_VMERGE).set(_VAL, "restart")
            for child in [c for c in tc if c.tag != _TCPR]:
                tc.remove(child)
            for child in first:
                if child.tag != _TCPR:
                    copy = deepcopy(child)
                    for mark in [m for tag in _BOOKMARKS for m in copy.iter(tag)]:
                        mark.getparent().remove(mark)
                    tc.append(copy)
            changed += 1
    return changed


def height_bound(tc: Any) -> float:
    """More than the height (points) a cell's text can take as LibreOffice lays it out:
    every character as wide as the largest font in the cell (12 pt at least), lines 1.5
    times that (or the paragraph's own line spacing), its own spacing before and after
    and a little more per paragraph; infinite when its width is not fixed.  (The forms'
    paragraph style sets single spacing and 9 pt: the bound is well above.)"""
    tcpr = tc.find(_TCPR)
    width = tcpr.find(qn("w:tcW")) if tcpr is not None else None
    if width is None or width.get(qn("w:type")) != "dxa":
        return float("inf")
    usable = max(10.0, (int(width.get(qn("w:w"), "0")) - 240) / 20)
    sizes = [int(sz.get(_VAL, "0")) / 2 for sz in tc.iter(qn("w:sz"))]
    size = max([12.0, *sizes])
    per_line = max(1, int(usable // size))
    height = 8.0
    for p in tc.iter(_P):
        chars = sum(len(t.text or "") for t in p.iter(qn("w:t")))
        line, extra = size * 1.5, 4.0
        spacing = p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None:  # the paragraph's own spacing (points are twips / 20)
            extra += sum(int(spacing.get(qn(f"w:{side}"), "0") or 0) for side in ("before", "after")) / 20
            if spacing.get(qn("w:lineRule")) in ("exact", "atLeast"):
                line = max(line, int(spacing.get(qn("w:line"), "0") or 0) / 20)
            elif spacing.get(qn("w:line")):
                line = max(line, size * 1.5 * int(spacing.get(qn("w:line"), "240")) / 240)
        height += -(-max(chars, 1) // per_line) * line + extra
    return height


def row_bound(tr: Any) -> float:
    return max((height_bound(tc) for tc in tr.iterfind(_TC)), default=0.0)


def label_bound(body: Any, row: int) -> float:
    """More than the height the labels a split at `row` brings back can take."""
    tr = rows(body)[row]
    firsts = [_first_of_merge(tr, col) for col, tc in _grid(tr) if _merge(tc) == "continue"]
    return max((height_bound(tc) for tc in firsts if tc is not None), default=0.0)


def ends_with_table(body: Any) -> Any | None:
    """The last row of `body` when its last element is a table (nothing printed after it)."""
    last = next((el for el in reversed(body) if el.tag != qn("w:sectPr")), None)
    if last is None or last.tag != qn("w:tbl"):
        return None
    trs = last.findall(_TR)
    return trs[-1] if trs else None
