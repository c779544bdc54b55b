"""The bounds of a received PDF, checked on its bytes before pdfminer parses it (the
PDF side of `package`, the one bounded reader of received files): the file's size, its
pages, every Flate stream inflated through a bounded stream (each and all together),
the characters a page's content shows; then, as pdfplumber reads it, its pages and each
page's characters counted."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from docgen.errors import InputError
from docgen.inputs.package import _MB, refused

MAX_PDF_BYTES = 30 * _MB  # the file (a 200-form book printed to PDF: about 6 MB)
MAX_PDF_PAGES = 500  # pages (a 200-form book: about 260)
MAX_PDF_STREAM_BYTES = 32 * _MB  # one stream, inflated (an embedded font subset: 1-5 MB)
MAX_PDF_INFLATED = 128 * _MB  # every stream, inflated
MAX_PAGE_CHARS = 10_000  # characters on one page (a dense form page: about 3,000)

_PDF_STREAM = re.compile(rb">>\s*stream\r?\n")
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_NOT_TEXT = re.compile(rb"/Subtype\s*/Image|/Length[123]\b|/Type\s*/(?:XRef|ObjStm|Metadata|EmbeddedFile)|/Subtype\s*/(?:XML|Type1C|CIDFontType0C|OpenType)")
_SHOWN = re.compile(rb"\((?:\\.|[^\\)])*\)|<(?!<)[0-9A-Fa-f\s]*>", re.S)


def _pdf_refused(path: Path, text: str) -> InputError:
    return refused(path, f"{text}，不像表单文件：未读取")


def _inflated(path: Path, raw: bytes, budget: int) -> bytes | None:
    """A Flate stream inflated, at most `budget` bytes (None: damaged; pdfminer says how)."""
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    size = 0
    data = raw
    try:
        while data and not inflater.eof:
            chunk = inflater.decompress(data, 1 << 20)
            data = inflater.unconsumed_tail
            size += len(chunk)
            if size > min(budget, MAX_PDF_STREAM_BYTES):
                what = f"超过每个数据流 {MAX_PDF_STREAM_BYTES // _MB} MB" if size > MAX_PDF_STREAM_BYTES else f"共超过 {MAX_PDF_INFLATED // _MB} MB"
                raise _pdf_refused(path, f"PDF 中的压缩数据解压后{what} 的上限（可能是“压缩炸弹”）")
            out.append(chunk)
            if not chunk and data:
                break
    except zlib.error:
        return None
    return b"".join(out)


def check_pdf(path: Path, data: bytes) -> None:
    """Bound a received PDF on its bytes before pdfminer parses it: its size, its pages
    (as the file declares them), every Flate stream inflated (through a bounded stream,
    each and all together) and the text a page's content shows."""
    if len(data) > MAX_PDF_BYTES:
        raise _pdf_refused(path, f"PDF 文件有 {len(data) / _MB:,.0f} MB，超过上限 {MAX_PDF_BYTES // _MB} MB")
    if not data.lstrip()[:5] == b"%PDF-":
        raise refused(path, "文件已损坏，或不是 PDF 文件（文件开头不是 %PDF-）")
    pages = len(_PDF_PAGE.findall(data))
    if pages > MAX_PDF_PAGES:
        raise _pdf_refused(path, f"PDF 文件约有 {pages:,} 页，超过上限 {MAX_PDF_PAGES:,} 页")
    total = 0
    for found in _PDF_STREAM.finditer(data):
        start = data.rfind(b"obj", max(0, found.start() - 4096), found.start())
        head = data[start if start >= 0 else max(0, found.start() - 4096) : found.start()]  # the stream's dictionary
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", head)
        end = data.find(b"endstream", found.end())
        raw = data[found.end() : found.end() + int(length.group(1))] if length else data[found.end() : end if end > 0 else len(data)]
        if b"/Filter" not in head:
            content: bytes | None = raw
        elif re.search(rb"/Filter\s*(?:\[\s*)?/(?:FlateDecode|Fl)\b\s*\]?\s*(?:/|>>|$)", head):
            content = _inflated(path, raw, MAX_PDF_INFLATED - total)
        else:
            continue  # an image (DCT, JBIG2…) or a filter chain pdfminer decodes on its own
        if content is None:
            continue
        total += len(content)
        if not _NOT_TEXT.search(head):  # a page's content or a form: the characters it shows
            shown = sum(len(s) - 2 if s[:1] == b"(" else (len(s) - 2) // 2 for s in _SHOWN.findall(content))
            if shown > MAX_PAGE_CHARS:
                raise _pdf_refused(path, f"PDF 的一页内容显示约 {shown:,} 个字符，超过每页 {MAX_PAGE_CHARS:,} 个的上限")


def check_pdf_page(path: Path, number: int, chars: int) -> None:
    if chars > MAX_PAGE_CHARS:
        raise _pdf_refused(path, f"PDF 第 {number} 页有 {chars:,} 个字符，超过每页 {MAX_PAGE_CHARS:,} 个的上限")


def check_pdf_pages(path: Path, pages: int) -> None:
    if pages > MAX_PDF_PAGES:
        raise _pdf_refused(path, f"PDF 文件有 {pages:,} 页，超过上限 {MAX_PDF_PAGES:,} 页")
