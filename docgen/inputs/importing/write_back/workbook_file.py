"""A data-entry workbook: the changed cells rewritten in the sheet XML inside the zip (each
keeps its style), new cells and rows put in their place; every other part copied."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from docgen.inputs.importing.write_back import NUMBER_KINDS, _refuse, number, number_text

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_EPOCH = date(1899, 12, 30)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip part holding it."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{{{_NS['m']}}}sheet"):
        target = targets.get(sheet.get(_REL), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name", "")] = part
    return out


def _cell_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(r'<c\b(?=[^>]*\br="' + ref + r'")([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _row_pattern(row: int) -> re.Pattern[str]:
    return re.compile(r'<row\b(?=[^>]*\br="' + str(row) + r'")([^>]*?)(?:/>|>(.*?)</row>)', re.S)


def _attrs_without(attrs: str, *names: str) -> str:
    for name in names:
        attrs = re.sub(r"\s" + name + r'="[^"]*"', "", attrs)
    return attrs


def _cell_xml(ref: str, attrs: str, value: Any, kind: str) -> str:
    """A cell holding `value` as its kind is typed (the cell's style attribute kept)."""
    attrs = _attrs_without(attrs, "r", "t", "cm", "vm")
    if value is None or value == "":
        return f'<c r="{ref}"{attrs}/>'
    if kind == "date" and isinstance(value, date):
        return f'<c r="{ref}"{attrs}><v>{(value - _EPOCH).days}</v></c>'
    amount = number(value) if kind in NUMBER_KINDS else None
    if amount is not None:
        if kind == "percent":
            amount = amount / 100  # a rate is printed in percent (96.41%), held as a fraction with a percent format
        return f'<c r="{ref}"{attrs}><v>{number_text(amount.normalize() if amount == amount.to_integral() else amount)}</v></c>'
    text = value.isoformat() if isinstance(value, date) else str(value)
    text = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}"{attrs} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


@dataclass
class CellWrite:
    sheet: str
    ref: str  # A1 style
    value: Any
    kind: str
    style_from: str | None = None  # for a new cell: the cell whose style it takes


def _style_of(xml: str, ref: str | None) -> str | None:
    """The style attribute (` s="4"`) of the cell `ref`, if it has one."""
    style = _cell_pattern(ref).search(xml) if ref else None
    s = re.search(r'\ss="[^"]*"', style.group(1)) if style else None
    return s.group(0) if s else None


def _put_cell(xml: str, write: CellWrite) -> str:
    found = _cell_pattern(write.ref).search(xml)
    style = _style_of(xml, write.style_from)  # a new row's cell: the style of the cell above, as Excel's own new row
    if found:
        attrs = found.group(1) if style is None else _attrs_without(found.group(1), "s") + style
        return xml[: found.start()] + _cell_xml(write.ref, attrs, write.value, write.kind) + xml[found.end() :]
    attrs = style or ""
    cell = _cell_xml(write.ref, attrs, write.value, write.kind)
    letters, row = _CELL_REF.match(write.ref).groups()  # type: ignore[union-attr]
    column = _column_number(letters)
    found_row = _row_pattern(int(row)).search(xml)
    if found_row:
        inner = found_row.group(2) or ""
        at = len(inner)
        for c in re.finditer(r'<c\b[^>]*\br="([A-Z]+)\d+"', inner):
            if _column_number(c.group(1)) > column:
                at = c.start()
                break
        attrs_row = _attrs_without(found_row.group(1), "spans")
        new_row = f"<row{attrs_row}>{inner[:at]}{cell}{inner[at:]}</row>"
        return xml[: found_row.start()] + new_row + xml[found_row.end() :]
    data = re.search(r"<sheetData\s*/>|<sheetData\b[^>]*>(.*?)</sheetData>", xml, re.S)
    if data is None:
        raise ValueError("no sheetData")
    new_row = f'<row r="{row}">{cell}</row>'
    if data.group(0).endswith("/>"):
        return xml[: data.start()] + f"<sheetData>{new_row}</sheetData>" + xml[data.end() :]
    inner_start = data.start(1)
    inner = data.group(1)
    at = len(inner)
    for r in re.finditer(r'<row\b[^>]*\br="(\d+)"', inner):
        if int(r.group(1)) > int(row):
            at = r.start()
            break
    pos = inner_start + at
    return xml[:pos] + new_row + xml[pos:]


def _grow_dimension(xml: str, refs: list[str]) -> str:
    found = re.search(r'<dimension\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', xml)
    if not found:
        return xml
    c1, r1 = found.group(1), int(found.group(2))
    c2, r2 = found.group(3) or c1, int(found.group(4) or r1)
    for ref in refs:
        letters, row = _CELL_REF.match(ref).groups()  # type: ignore[union-attr]
        if _column_number(letters) > _column_number(c2):
            c2 = letters
        r2 = max(r2, int(row))
    new = f"{c1}{r1}:{c2}{r2}"
    return xml[: found.start(1)] + new + xml[found.end(4) if found.group(4) else found.end(2) :]


def workbook_bytes(data: bytes, writes: list[CellWrite], path: Path) -> bytes:
    """The workbook `data` with `writes` made in its sheet XML; every other part copied."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(zin)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise _refuse(path, f"无法在工作簿中就地写入（{type(exc).__name__}）：文件已损坏，或不是 .xlsx 格式") from exc
    by_part: dict[str, list[CellWrite]] = {}
    for write in writes:
        part = parts.get(write.sheet)
        if part is None:
            raise _refuse(path, f"工作簿中没有工作表「{write.sheet}」", f"{write.sheet}!{write.ref}")
        by_part.setdefault(part, []).append(write)
    out = io.BytesIO()
    with zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            raw = zin.read(info)
            if info.filename in by_part:
                xml = raw.decode("utf-8")
                try:
                    for write in by_part[info.filename]:
                        xml = _put_cell(xml, write)
                except ValueError as exc:
                    raise _refuse(path, f"无法在工作表「{by_part[info.filename][0].sheet}」中就地写入（{exc}）") from exc
                xml = _grow_dimension(xml, [w.ref for w in by_part[info.filename]])
                raw = xml.encode("utf-8")
            zout.writestr(info, raw, compress_type=info.compress_type)
    return out.getvalue()
