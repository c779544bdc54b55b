"""Small builders of hostile and odd Office files for the tests: a form's cell with
its XML replaced, and zip bombs written streaming into a folder (never committed)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)


def rewrite(source: Path, target: Path, parts: dict[str, bytes | Iterable[bytes] | None]) -> Path:
    """A copy of the zip `source` with each named part replaced (None: removed; an
    iterable of chunks: written streaming, so a GB part never sits in memory)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            if info.filename not in parts:
                zout.writestr(info, zin.read(info.filename))
        for name, data in parts.items():
            if data is None:
                continue
            if isinstance(data, bytes):
                zout.writestr(name, data)
            else:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                for attr in ("compress_level", "_compresslevel"):  # level 1: 1 GiB in seconds (the name depends on Python's version)
                    try:
                        setattr(info, attr, 1)
                        break
                    except AttributeError:
                        continue
                with zout.open(info, "w", force_zip64=True) as fh:
                    for chunk in data:
                        fh.write(chunk)
    return target


def repeat(head: bytes, unit: bytes, count: int, tail: bytes) -> Iterator[bytes]:
    """`head + unit * count + tail` in chunks of about 4 MB."""
    yield head
    per = max(1, (4 << 20) // len(unit))
    block = unit * per
    while count >= per:
        yield block
        count -= per
    yield unit * count
    yield tail


def part(source: Path, name: str) -> bytes:
    with zipfile.ZipFile(source) as z:
        return z.read(name)


def with_cell(source: Path, target: Path, text: str, paragraphs: str, nth: int = 0) -> Path:
    """A copy of Word file `source` whose `nth` cell reading `text` holds `paragraphs`
    (w:p elements, XML text with the prefixes of `NS`) instead of its own."""
    root = etree.fromstring(part(source, "word/document.xml"))
    found = [tc for tc in root.iter(f"{{{W}}}tc") if "".join(t.text or "" for t in tc.iter(f"{{{W}}}t")).strip() == text]
    tc = found[nth]
    for p in tc.findall(f"{{{W}}}p"):
        tc.remove(p)
    for p in etree.fromstring(f"<w:body {NS}>{paragraphs}</w:body>"):
        tc.append(p)
    return rewrite(source, target, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)})


def with_row(source: Path, target: Path, text: str, wrap: str, nth: int = 0) -> Path:
    """A copy of Word file `source` whose row (or cell, `wrap` naming `tc`) holding a
    cell reading `text` is wrapped in `wrap` (`<w:sdt><w:sdtContent>{}</w:sdtContent></w:sdt>`)."""
    root = etree.fromstring(part(source, "word/document.xml"))
    element_tag = "tc" if "{tc}" in wrap else "tr"
    wrap = wrap.replace("{tc}", "{}")
    found = [
        e for e in root.iter(f"{{{W}}}{element_tag}") if any("".join(t.text or "" for t in tc.iter(f"{{{W}}}t")).strip() == text for tc in e.iter(f"{{{W}}}tc"))
    ]
    element = found[nth] if element_tag == "tr" else found[nth]
    parent = element.getparent()
    index = parent.index(element)
    holder = etree.fromstring(f"<w:body {NS}>{wrap.format('<w:x/>')}</w:body>")[0]
    slot = next(holder.iter(f"{{{W}}}x"))
    slot.getparent().replace(slot, element)
    parent.insert(index, holder)
    return rewrite(source, target, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)})


def blank_docx() -> bytes:
    from docx import Document

    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("会议纪要")
    doc.save(buf)
    return buf.getvalue()


def blank_xlsx() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "项目名称"
    wb.save(buf)
    return buf.getvalue()
