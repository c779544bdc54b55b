"""The Word side of the annual book: contents marks (TC fields), their bookmarks and
pages, and the composition of a skeleton (cover, contents, header and footer) with
the rendered forms.

Contents work as in Word: every entry is a `TC "text" \\f X \\l n` field at the
place it points to, and a `TOC \\f X` field lists them.  docgen fills the contents
itself (a Word user would otherwise see an empty field until updating it), so each
marked paragraph gets a bookmark and LibreOffice, when present, tells the page of
every bookmark (see `office.py`).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docxcompose.composer import Composer

from docgen.render.jinja import clean_text
from docgen.render.office import Office, destination_pages
from docgen.render.package import Entry, normalize

_BODY = b"<w:body>"
BOOK_ENTRY = "B"  # the identifier of the book's own contents entries
# The quoted text runs to the last quote that only switches (\f X, \l n) follow, so a
# backslash a template left unescaped before the closing quote does not swallow it.
_TC = re.compile(r'^\s*TC\s+"(.*)"((?:\s+\\[A-Za-z](?:\s+[^\s\\"]+)?)*)\s*$', re.DOTALL)
_UNESCAPE = re.compile(r'\\([\\"])')
_IDENT = re.compile(r"\\f\s+(\w)")
_LEVEL = re.compile(r"\\l\s+(\d+)")


@dataclass(frozen=True)
class Mark:
    """One contents entry: a TC field's text, identifier (\\f) and level (\\l)."""

    text: str
    ident: str = "C"
    level: int = 1


def _parse_tc(instr: str) -> Mark | None:
    found = _TC.match(instr)
    if not found:
        return None
    ident = _IDENT.search(found.group(2))
    level = _LEVEL.search(found.group(2))
    return Mark(_UNESCAPE.sub(r"\1", found.group(1)), ident.group(1).upper() if ident else "C", int(level.group(1)) if level else 1)


def _field_runs(instr: str) -> list[Any]:
    runs = []
    for kind in ("begin", None, "end"):
        run = OxmlElement("w:r")
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
        run.append(el)
        runs.append(run)
    return runs


def field_argument(text: str) -> str:
    """`text` as a field's quoted argument: control characters XML forbids dropped, a
    backslash doubled (else `名\\` would escape the closing quote), a quote made full-width."""
    return clean_text(text).replace("\\", "\\\\").replace(chr(34), "＂")


def _tc_instr(mark: Mark) -> str:
    return f'TC "{field_argument(mark.text)}" \\f {mark.ident} \\l {mark.level}'


def marked_paragraphs(doc: DocumentObject) -> list[tuple[object, list[Mark]]]:
    """Paragraphs of the body holding TC fields, in order, with their marks."""
    return _marked(doc.element.body)


def _marked(body: Any) -> list[tuple[Any, list[Mark]]]:
    out = []
    for p in body.iter(qn("w:p")):
        marks = [m for m in (_parse_tc(t.text or "") for t in p.iter(qn("w:instrText"))) if m]
        if marks:
            out.append((p, marks))
    return out


def bookmark_name(n: int) -> str:
    return f"_TocDG{n:04d}"


def add_bookmarks(doc: DocumentObject) -> list[list[Mark]]:
    """Bookmark every marked paragraph (`_TocDG0001`, …) and return their marks in order."""
    result = []
    for n, (p, marks) in enumerate(marked_paragraphs(doc), start=1):
        _bookmark(p, n)
        result.append(marks)
    return result


def _bookmark(p: Any, n: int) -> None:
    """Bookmark paragraph `p` as contents mark number `n`."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(9000 + n))
    start.set(qn("w:name"), bookmark_name(n))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(9000 + n))
    ppr = p.find(qn("w:pPr"))
    (ppr.addnext if ppr is not None else lambda el: p.insert(0, el))(start)
    p.append(end)


def set_update_fields(doc: DocumentObject) -> None:
    """Ask Word to refresh every field (the contents' page numbers) when the file is opened."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        el = OxmlElement("w:updateFields")
        el.set(qn("w:val"), "true")
        settings.append(el)


def estimate_pages(doc: DocumentObject) -> int:
    """A rough page count for when LibreOffice cannot lay the document out."""
    return _estimate_body_pages(doc.element.body)


def _estimate_body_pages(body: Any) -> int:
    chars = sum(len(t.text or "") for t in body.iter(qn("w:t")))
    rows = sum(1 for _ in body.iter(qn("w:tr")))
    return max(1, math.ceil(chars / 1400 + rows / 32))


def _start_on_new_page(body: Any) -> None:
    first = next((el for el in body if el.tag != qn("w:sectPr")), None)
    if first is None or first.tag != qn("w:p"):
        first = OxmlElement("w:p")
        body.insert(0, first)
    # python-docx knows the schema order of pPr children (pStyle, keepNext, keepLines, pageBreakBefore, …).
    first.get_or_add_pPr().get_or_add_pageBreakBefore()


def _prepare_body(body: Any, entry: str | None) -> None:
    """A part's body as the book holds it: it starts on a new page, and each of its
    contents marks (or, for a form, `entry` on its first paragraph) becomes a book entry."""
    _start_on_new_page(body)
    if entry is not None:
        first = next(el for el in body if el.tag == qn("w:p"))
        for run in _field_runs(_tc_instr(Mark(entry, BOOK_ENTRY, 1))):
            first.append(run)
    else:
        for p, marks in _marked(body):
            for mark in marks:
                if mark.ident != BOOK_ENTRY:
                    for run in _field_runs(_tc_instr(Mark(mark.text, BOOK_ENTRY, mark.level))):
                        p.append(run)


def prepare_part(docx: bytes, entry: str | None) -> DocumentObject:
    """A rendered document as a part of the book (see `_prepare_body`)."""
    doc = Document(io.BytesIO(docx))
    _prepare_body(doc.element.body, entry)
    return doc


@dataclass(frozen=True)
class PartOutline:
    """What the contents need of a part, read without opening it as a whole document:
    its marked paragraphs' marks (in order) and an estimate of its pages."""

    marks: list[list[Mark]]
    pages: int

    @property
    def book_marks(self) -> list[Mark]:
        return [m for ms in self.marks for m in ms if m.ident == BOOK_ENTRY]


def outline(docx: bytes, entry: str | None) -> PartOutline:
    """The outline of `prepare_part(docx, entry)`, from its main XML part alone."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = parse_xml(package.read(main_part(package)))
    body = root.find(qn("w:body"))
    _prepare_body(body, entry)
    return PartOutline([marks for _, marks in _marked(body)], _estimate_body_pages(body))


def main_part(package: zipfile.ZipFile) -> str:
    rels = parse_xml(package.read("_rels/.rels"))
    target = next(r.get("Target") for r in rels if r.get("Type") == RT.OFFICE_DOCUMENT)
    return target.lstrip("/")


def book_entries(parts: list[PartOutline]) -> list[Mark]:
    return [m for part in parts for m in part.book_marks]


_SECT_PR = qn("w:sectPr")
_DOC_PR = qn("wp:docPr")
_PIC_PR = qn("pic:cNvPr")


class _Body:
    """The book's body written out as the parts are appended, so the book never holds
    every form's XML at once: each element before the section properties is numbered
    as docxcompose's renumbering and `add_bookmarks` would number it in the whole book
    (bookmark, drawing and picture ids, contents bookmarks, all in document order),
    serialized in place and dropped.  A part with a section break of its own stops the
    streaming (docxcompose counts the book's sections): the rest stays in the tree."""

    def __init__(self, doc: DocumentObject) -> None:
        self.root, self.body = doc.element, doc.element.body
        self.prefix: bytes | None = None  # the main part's XML up to <w:body>, once written out
        self.deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile deflates
        self.packed: list[bytes] = []
        self.crc = self.size = 0
        self.starts = self.ends = 0  # next bookmarkStart / bookmarkEnd id (docxcompose counts from 0)
        self.drawings = self.pictures = 1  # next wp:docPr / pic:cNvPr id
        self.marks: list[list[Mark]] = []
        self.streaming = True
        self.chunks: list[bytes] | None = None  # with `keep`: each flush's XML, in order

    def flush(self) -> None:
        if not self.streaming:
            return
        ready = []
        for el in self.body:
            if el.tag == _SECT_PR:
                break
            if next(el.iter(_SECT_PR), None) is not None:
                self.streaming = False
                break
            ready.append(el)
        if not ready:
            return
        self._number(ready)
        rest = list(self.body)[len(ready) :]
        for el in rest:
            self.body.remove(el)
        xml = serialize_part_xml(self.root)
        at = xml.index(_BODY) + len(_BODY)
        if self.prefix is None:
            self.prefix = xml[:at]
            self._feed(self.prefix)
        self._feed(xml[at : xml.rindex(b"</w:body>")])
        if self.chunks is not None:
            self.chunks.append(xml[at : xml.rindex(b"</w:body>")])
        for el in ready:
            self.body.remove(el)
        for el in rest:
            self.body.append(el)

    def finish(self) -> None:
        self._number(list(self.body))

    def _number(self, elements: list[Any]) -> None:
        for el in elements:
            for mark in el.iter(qn("w:bookmarkStart")):
                mark.set(qn("w:id"), str(self.starts))
                self.starts += 1
        for el in elements:
            for mark in el.iter(qn("w:bookmarkEnd")):
                mark.set(qn("w:id"), str(self.ends))
                self.ends += 1
        for el in elements:
            for drawing in el.iter(_DOC_PR):
                drawing.set("id", str(self.drawings))
                self.drawings += 1
        for el in elements:
            for picture in el.iter(_PIC_PR):
                picture.set("id", str(self.pictures))
                self.pictures += 1
        for el in elements:
            for p, marks in _marked(el):
                self.marks.append(marks)
                _bookmark(p, len(self.marks))

    def _feed(self, xml: bytes) -> None:
        """Compress the next piece of the main part as it is written out (zlib's output
        does not depend on how its input is cut up)."""
        self.crc = zlib.crc32(xml, self.crc)
        self.size += len(xml)
        self.packed.append(self.deflate.compress(xml))

    def entry(self, name: str, document: bytes) -> Entry:
        """The main part's zip entry: `document` (the XML of what stayed in the tree)
        with the written-out elements at the body's start."""
        at = document.index(_BODY) + len(_BODY)
        if self.prefix is None or document[:at] != self.prefix:  # nothing written out (or a changed root)
            written = zlib.decompress(b"".join(self.packed) + self.deflate.flush(), -15)[len(self.prefix or b"") :]
            return Entry.of(name, document[:at] + written + document[at:])
        self._feed(document[at:])
        return Entry(name, self.crc, self.size, b"".join(self.packed) + self.deflate.flush())


class _Composer(Composer):
    """docxcompose renumbers bookmarks and drawing ids by scanning the whole book after
    every part, which makes a 200-form book quadratic: do it once, at the end."""

    deferred = True

    def __init__(self, doc: DocumentObject) -> None:
        super().__init__(doc)
        self.copied_lists: set[str] = set()

    def add_numberings(self, doc: DocumentObject, element: Any) -> None:
        super().add_numberings(doc, element)
        # docxcompose forgets its list-id mapping after every part: remember the lists it copied.
        self.copied_lists.update(str(i) for i in self.anum_id_mapping.values())

    def renumber_bookmarks(self) -> None:
        if not self.deferred:
            super().renumber_bookmarks()

    def renumber_docpr_ids(self) -> None:
        if not self.deferred:
            super().renumber_docpr_ids()

    def renumber_nvpicpr_ids(self) -> None:
        if not self.deferred:
            super().renumber_nvpicpr_ids()

    def finish(self, body: _Body) -> None:
        """What docxcompose's renumbering does over the whole book, done as `body` was
        written out, then in the headers and footers; lists get stable ids."""
        body.finish()
        parts = [rel.target_part for rel in self.doc.part.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)]
        for tag, next_id in ((_DOC_PR, body.drawings), (_PIC_PR, body.pictures)):
            for part in parts:
                for el in part.element.iter(tag):
                    el.set("id", str(next_id))
                    next_id += 1
        self._pin_list_ids()

    def _pin_list_ids(self) -> None:
        """docxcompose gives every list it copies a random `w:nsid` (so numbering restarts
        per part); derive it from the list's own id instead, unique and the same every run."""
        copied = self.copied_lists
        parts = [rel.target_part for rel in self.doc.part.rels.values() if rel.reltype == RT.NUMBERING and not rel.is_external]
        for abstract in (a for part in parts for a in part.element.findall(qn("w:abstractNum"))):
            ident = abstract.get(qn("w:abstractNumId"), "")
            nsid = abstract.find(qn("w:nsid"))
            if nsid is not None and ident in copied:
                nsid.set(qn("w:val"), f"{zlib.crc32(('docgen-list-' + ident).encode()):08X}")


@dataclass
class Kept:
    """A composed book's main part in pieces: the XML up to `<w:body>`, the skeleton's
    body, each part's body, and the rest (section properties and closing tags); joined,
    they are the part `compose` wrote."""

    prefix: bytes
    skeleton: bytes
    parts: list[bytes]
    tail: bytes

    def xml(self) -> bytes:
        return self.prefix + self.skeleton + b"".join(self.parts) + self.tail


def compose(skeleton: bytes, parts: Iterable[DocumentObject], stamp: datetime, exact: bool, keep: bool = False) -> tuple[bytes, list[list[Mark]], Kept | None]:
    """The skeleton followed by `parts`; every marked paragraph bookmarked.  Without
    `exact` page numbers, Word is asked to refresh the fields on opening.  Given a
    generator (`prepare_part` of one form after another), each part is open only while
    it is appended: the book never holds every form's document at once.  With `keep`,
    the main part's XML is kept in pieces (`Kept`; None when a part's own section break
    stopped the writing out)."""
    master = Document(io.BytesIO(skeleton))
    composer = _Composer(master)
    body = _Body(master)
    if keep:
        body.chunks = []
        body.flush()  # the skeleton's body: a piece of its own
    for part in parts:
        composer.append(part)
        body.flush()
    composer.finish(body)
    if not exact:
        set_update_fields(master)
    core = master.core_properties
    core.created = core.modified = core.last_printed = stamp
    buf = io.BytesIO()
    master.save(buf)
    name = master.part.partname.lstrip("/")
    document = master.part.blob
    kept = None
    if body.chunks and body.streaming and body.prefix is not None and document.startswith(body.prefix):
        kept = Kept(body.prefix, body.chunks[0], body.chunks[1:], document[len(body.prefix) :])
    return normalize(buf.getvalue(), stamp, entries={name: body.entry(name, document)}), body.marks, kept


def with_main_part(docx: bytes, xml: bytes, stamp: datetime) -> bytes:
    """`docx` with its main part (document.xml) replaced by `xml`."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        name = main_part(package)
    return normalize(docx, stamp, entries={name: Entry.of(name, xml)})


def bookmark_document(docx: bytes, stamp: datetime, exact: bool) -> tuple[bytes, list[list[Mark]]]:
    """`compose` for a document that stands alone (the departmental document)."""
    doc = Document(io.BytesIO(docx))
    marks = add_bookmarks(doc)
    if not exact:
        set_update_fields(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return normalize(buf.getvalue(), stamp), marks


def laid_out_pages(docx: bytes, marks: list[list[Mark]], lo: Office) -> list[int]:
    """The page of every bookmarked contents mark, as LibreOffice lays `docx` out."""
    found = destination_pages(lo.to_pdf(docx))
    return [found.get(bookmark_name(n), 0) for n in range(1, len(marks) + 1)]


def pages_of(layout_pages: list[int], marks: list[list[Mark]], ident: str) -> list[int]:
    """The pages of the marks with identifier `ident` (\\f), in order."""
    return [page for page, ms in zip(layout_pages, marks) if any(m.ident == ident for m in ms)]
