"""A rendered form's sheet put into the book's workbook as XML: its cells, merges, sizes
and page set-up kept byte for byte, only its style numbers translated into the book's
style table.  Reading each sheet into openpyxl and writing it out again (`copy_sheet`)
took a fifth of a book's time; the forms hold no shared strings (docgen writes inline
strings), drawings or comments, so their sheet XML needs nothing else.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.xml.functions import fromstring

_CELL_OR_ROW_STYLE = re.compile(rb'(<(?:c|row)\b[^>]*?\ss=")(\d+)(")')
_COL_STYLE = re.compile(rb'(<col\b[^>]*?\sstyle=")(\d+)(")')
_PRINT_AREA = re.compile(r'<definedName name="_xlnm\.Print_Area" localSheetId="0">(?:\'[^\']*\'|[^!<]*)!([^<]+)</definedName>')


class StyleTranslator:
    """The book workbook's style number for each style number of a form workbook; forms
    of one template share a style table, which is translated once."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.kept: dict[bytes, list[int]] = {}

    def numbers(self, styles_xml: bytes) -> list[int]:
        key = hashlib.sha256(styles_xml).digest()
        if key not in self.kept:
            self.kept[key] = self._translate(styles_xml)
        return self.kept[key]

    def _translate(self, styles_xml: bytes) -> list[int]:
        form = Stylesheet.from_tree(fromstring(styles_xml))
        book = self.book
        names = {style.name: n for n, style in enumerate(book._named_styles)}
        form_names = [style.name for style in form.named_styles]
        out = []
        for xf in form.cell_styles:
            new = StyleArray()
            new.fontId = book._fonts.add(form.fonts[xf.fontId])
            new.fillId = book._fills.add(form.fills[xf.fillId])
            new.borderId = book._borders.add(form.borders[xf.borderId])
            new.alignmentId = book._alignments.add(form.alignments[xf.alignmentId])
            new.protectionId = book._protections.add(form.protections[xf.protectionId])
            new.numFmtId = self._number_format(form.number_formats, xf.numFmtId)
            new.pivotButton, new.quotePrefix = xf.pivotButton, xf.quotePrefix
            new.xfId = names.get(form_names[xf.xfId], 0) if xf.xfId < len(form_names) else 0
            out.append(book._cell_styles.add(new))
        return out

    def _number_format(self, custom: Any, number: int) -> int:
        """Built-in formats keep their number; a custom one (numbered from 164 in the form
        as read) gets the book's number for its code."""
        if number < BUILTIN_FORMATS_MAX_SIZE:
            return number
        return self.book._number_formats.add(custom[number - BUILTIN_FORMATS_MAX_SIZE]) + BUILTIN_FORMATS_MAX_SIZE


# What the sheet XML cannot take along: a shared string (its number is into the form's
# table) or a relationship (a drawing, comments, printer settings).
_NOT_ALONE = re.compile(rb'\st="s"|\sr:id="')
_SHEET = "xl/worksheets/sheet1.xml"  # the first sheet, as openpyxl names it


def sheet_xml(data: bytes, styles: StyleTranslator) -> tuple[bytes, str | None] | None:
    """The first sheet of the form workbook `data`, as XML for the book (style numbers
    translated), and its print area (`A1:I25`), which the workbook part names; None when
    the sheet holds what its XML alone cannot carry (`copy_sheet` copies it then)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if _SHEET not in z.namelist():
            return None
        xml = z.read(_SHEET)
        if _NOT_ALONE.search(xml):
            return None
        numbers = styles.numbers(z.read("xl/styles.xml"))
        workbook = z.read("xl/workbook.xml").decode("utf-8")

    def style(match: re.Match[bytes]) -> bytes:
        return match.group(1) + str(numbers[int(match.group(2))]).encode() + match.group(3)

    xml = _COL_STYLE.sub(style, _CELL_OR_ROW_STYLE.sub(style, xml))
    area = _PRINT_AREA.search(workbook)
    return xml, (area.group(1).replace("$", "") if area else None)
