"""One LibreOffice layout of a composed book (`compose.Kept`): the page of every
contents mark, how many pages each part takes, and where each part's merged table
cells must be split because a page break falls inside them (`rows`).

Every part starts on a new page, so a part lays out the same wherever it stands: the
parts are laid out in a few documents at once (one LibreOffice process each, the cores
shared out), and their pages add up.  Labels repeated at a page break can make a row
taller and move a later break, so the parts that got split are laid out again with
their splits, at most `ROUNDS` times in all, until no new break falls inside a merge.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from docgen.render import rows
from docgen.render.compose import Kept, Mark, bookmark_name, main_part
from docgen.render.office import Office, destination_pages, destinations, page_count
from docgen.render.package import Entry, normalize

ROUNDS = 3  # layouts in all: the first, then checks of the parts split
PARTS_PER_PROCESS = 20  # fewer parts than this to a LibreOffice process is not worth its start
_BODY_END = b"</w:body>"


def part_mark(part: int) -> str:
    return f"_DGPart{part:05d}"


def processes(lo: Office) -> int:
    """How many LibreOffice processes lay out at once: as many as the render's `-j` (one
    per core docgen may use by default; a batch renders each unit with one), at most four."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(lo.parallel or cores, 4))


@dataclass
class PartLayout:
    pages: int = 1  # pages the part takes
    splits: list[int] = field(default_factory=list)  # rows where its merges are split


@dataclass
class BookLayout:
    marks: list[int]  # the page of each contents mark, in order
    parts: list[PartLayout]


class Pieces:
    """The body XML of each part of a composed book, parsed on demand."""

    def __init__(self, kept: Kept):
        self.kept = kept

    def body(self, chunk: bytes) -> Any:
        """A part's body elements under a parsed `w:body` (the book's namespaces)."""
        return parse_xml(self.kept.prefix + chunk + _BODY_END + b"</w:document>").find(qn("w:body"))

    def xml(self, body: Any) -> bytes:
        text = serialize_part_xml(body.getparent())
        start = text.index(b"<w:body>") + len(b"<w:body>")
        return text[start : text.rindex(_BODY_END)]

    def split(self, part: int, at: list[int]) -> bytes:
        """Part `part`'s XML with its merges split at rows `at`."""
        chunk = self.kept.parts[part]
        if not at:
            return chunk
        body = self.body(chunk)
        rows.split_rows(body, at)
        return self.xml(body)


def _marked(pieces: Pieces, part: int, chunk: bytes) -> tuple[bytes, dict[str, int], Any]:
    """`chunk` with its first paragraph and its table rows bookmarked, the row marks, and
    the (unmarked) body to read the merges from."""
    body = pieces.body(chunk)
    clean = pieces.body(chunk)
    marks = rows.mark_rows(body, part)
    first = next(body.iter(qn("w:p")), None)
    if first is not None:
        rows.bookmark(first, part_mark(part), rows.MARK_ID_BASE - 1 - part)
    return pieces.xml(body), marks, clean


_TITLE_PAGE = re.compile(rb"<w:titlePg(?:\s+w:val=\"(?:1|true|on)\")?\s*/>")


def _groups(parts: list[int], count: int) -> list[list[int]]:
    count = max(1, min(count, len(parts) // PARTS_PER_PROCESS or 1))
    size = -(-len(parts) // count)
    return [parts[i : i + size] for i in range(0, len(parts), size)]


@dataclass
class _Laid:
    """What one round of layout found: per part its start page (the part's own page 1
    counted from the first document), pages and row pages."""

    starts: dict[int, int] = field(default_factory=dict)
    pages: dict[int, int] = field(default_factory=dict)
    row_pages: dict[int, dict[int, int]] = field(default_factory=dict)
    row_tops: dict[int, dict[int, float]] = field(default_factory=dict)  # row -> its height on its page (points from the foot)
    found: dict[str, int] = field(default_factory=dict)  # contents bookmark -> page (first round)


def _round(pieces: Pieces, chunks: dict[int, bytes], lo: Office, with_skeleton: bool, to_docx: Callable[[bytes], bytes]) -> tuple[_Laid, dict[int, Any]]:
    """Lay out the parts `chunks` (part -> XML) in `processes(lo)` documents at once."""
    groups = _groups(sorted(chunks), processes(lo))
    documents, row_marks, bodies = [], [], {}
    for g, group in enumerate(groups):
        xml = [pieces.kept.prefix, pieces.kept.skeleton if with_skeleton and g == 0 else b""]
        marks: dict[str, tuple[int, int]] = {}
        for part in group:
            marked, found, bodies[part] = _marked(pieces, part, chunks[part])
            xml.append(marked)
            marks.update({name: (part, row) for name, row in found.items()})
        tail = pieces.kept.tail if with_skeleton and g == 0 else _TITLE_PAGE.sub(b"", pieces.kept.tail)
        documents.append(to_docx(b"".join(xml) + tail))
        row_marks.append(marks)
    laid = _Laid()
    offset = 0
    for group, pdf, marks in zip(groups, lo.convert_apart(documents), row_marks):
        where = destinations(pdf)
        found = {name: page for name, (page, _) in where.items()}
        total = page_count(pdf)
        first = found.get(part_mark(group[0]), 1)
        shift = offset - (first - 1) if offset else 0  # the first document keeps its cover and contents
        starts = [found.get(part_mark(p), 0) for p in group]
        for n, part in enumerate(group):
            end = starts[n + 1] if n + 1 < len(group) else total + 1
            laid.starts[part] = starts[n] + shift
            laid.pages[part] = max(1, end - starts[n])
            laid.row_pages[part], laid.row_tops[part] = {}, {}
        for name, (part, row) in marks.items():
            if name in found:
                laid.row_pages[part][row] = found[name] - starts[group.index(part)] + 1
                top = where[name][1]
                if top is not None:
                    laid.row_tops[part][row] = top
        laid.found.update({name: page + shift for name, page in found.items() if name.startswith("_Toc")})
        offset += total - (first - 1) if offset else total
    return laid, bodies


def lay_out(kept: Kept, marks: list[list[Mark]], lo: Office, to_docx: Callable[[bytes], bytes]) -> BookLayout:
    """The pages of the book's contents marks and each part's pages and splits."""
    pieces = Pieces(kept)
    laid, bodies = _round(pieces, dict(enumerate(kept.parts)), lo, True, to_docx)
    parts = [PartLayout(laid.pages[p], rows.page_starts(bodies[p], laid.row_pages[p])) for p in range(len(kept.parts))]
    first_pages = [laid.pages[p] for p in range(len(parts))]
    foot = _foot(kept.tail)
    todo = [p for p, part in enumerate(parts) if part.splits and not _settled(bodies[p], part, laid, p, foot)]
    for _ in range(ROUNDS - 1):
        if not todo:
            break
        again, bodies = _round(pieces, {p: pieces.split(p, parts[p].splits) for p in todo}, lo, False, to_docx)
        changed = []
        for p in todo:
            parts[p].pages = again.pages[p]
            more = [r for r in rows.page_starts(bodies[p], again.row_pages[p]) if r not in parts[p].splits]
            if more:
                parts[p].splits = sorted(parts[p].splits + more)
                changed.append(p)
        todo = changed
    # A part that got longer (or shorter) moves every mark after it.
    holder = _mark_parts(kept, len(marks))
    moved = [0]  # pages gained by the parts before each part
    for p, part in enumerate(parts):
        moved.append(moved[-1] + part.pages - first_pages[p])
    pages = []
    for n in range(1, len(marks) + 1):
        page = laid.found.get(bookmark_name(n), 0)
        part_of = holder.get(n)
        pages.append(page + moved[part_of] if page and part_of is not None else page)
    return BookLayout(pages, parts)


def _foot(tail: bytes) -> float:
    """The height of the page's bottom margin (points), from the book's section properties."""
    found = re.search(rb'<w:pgMar\b[^>]*\bw:bottom="(\d+)"', tail)
    return int(found.group(1)) / 20 if found else 72.0


def _settled(body: Any, part: PartLayout, laid: _Laid, p: int, foot: float) -> bool:
    """Can the labels a part's split brings back move nothing?  Yes when its one split is
    on its last page and that page has room below its last row for the labels' height,
    however they wrap (`rows.height_bound`); otherwise the part is laid out again."""
    pages, tops = laid.row_pages[p], laid.row_tops[p]
    last = rows.ends_with_table(body)
    if last is None or len(part.splits) != 1 or pages.get(part.splits[0]) != part.pages:
        return False
    number = rows.rows(body).index(last)
    if pages.get(number) != part.pages or number not in tops:
        return False
    room = tops[number] - rows.row_bound(last) - foot
    return room > rows.label_bound(body, part.splits[0])


def _mark_parts(kept: Kept, count: int) -> dict[int, int]:
    """Contents mark number -> the part holding it (marks in the skeleton: none)."""
    holder = {}
    for p, chunk in enumerate(kept.parts):
        for found in re.finditer(rb'w:name="_TocDG(\d+)"', chunk):
            holder[int(found.group(1))] = p
    return {n: holder[n] for n in range(1, count + 1) if n in holder}


def split_document(docx: bytes, at: list[int], stamp: datetime) -> bytes:
    """A rendered document with its merges split at rows `at` (numbered as `rows` does)."""
    if not at:
        return docx
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        name = main_part(package)
        root = parse_xml(package.read(name))
    rows.split_rows(root.find(qn("w:body")), at)
    return normalize(docx, stamp, entries={name: Entry.of(name, serialize_part_xml(root))})


def lay_out_document(docx: bytes, marks: list[list[Mark]], lo: Office, stamp: datetime) -> tuple[list[int], list[int]]:
    """A document standing alone (the departmental document): the page of each of its
    bookmarked contents marks, and the rows where a page break splits its merged cells."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        name = main_part(package)
        root = parse_xml(package.read(name))
    clean = deepcopy(root.find(qn("w:body")))
    row_marks = rows.mark_rows(root.find(qn("w:body")), 0)
    found = destination_pages(lo.to_pdf(normalize(docx, stamp, entries={name: Entry.of(name, serialize_part_xml(root))})))
    pages = [found.get(bookmark_name(n), 0) for n in range(1, len(marks) + 1)]
    return pages, rows.page_starts(clean, {row: found[mark] for mark, row in row_marks.items() if mark in found})
