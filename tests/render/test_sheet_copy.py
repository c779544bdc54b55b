"""The book's form sheets are the rendered forms' sheets (docgen/render/sheet_copy.py):
every cell's value and style, the merges, column widths, row heights, page set-up and
print area, read back with openpyxl from the form workbook and from the book."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


def _sheet(ws) -> dict:
    cells = {
        c.coordinate: (c.value, c.number_format, repr(c.font), repr(c.border), repr(c.fill), repr(c.alignment), repr(c.protection))
        for row in ws.iter_rows()
        for c in row
        if c.has_style or c.value is not None
    }
    setup = ws.page_setup
    return {
        "cells": cells,
        "merges": sorted(str(r) for r in ws.merged_cells.ranges),
        "cols": {k: d.width for k, d in ws.column_dimensions.items()},
        "rows": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "setup": (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage),
        "margins": repr(ws.page_margins),
        "centered": ws.print_options.horizontalCentered,
        "area": str(ws.print_area).split("!")[-1],
    }


@pytest.mark.parametrize("example", ["shanghai-dpf-2022", "one-project-two-forms"])
def test_each_book_sheet_is_its_form_sheet(example, rendered_once):
    rendered = rendered_once(EXAMPLES / f"{example}.yaml")
    forms = sorted(f for f in rendered.forms if f.suffix == ".xlsx")
    book = load_workbook(next(f for f in rendered.book if f.suffix == ".xlsx"))
    sheets = book.worksheets[1:]
    assert book.worksheets[0].title == "汇总" and len(sheets) == len(forms) > 0
    for form, sheet in zip(forms, sheets):
        expected = _sheet(load_workbook(form).worksheets[0])
        got = _sheet(sheet)
        assert got == expected, (form.name, [k for k in expected if expected[k] != got[k]])
        assert len(expected["cells"]) > 50 and len(expected["merges"]) > 5


def _with_shared_string(data: bytes) -> bytes:
    """The form workbook as another program saves it: its first text cell a shared string."""
    import io
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb't="inlineStr"><is><t>([^<]*)</t></is>', rb't="s"><v>0</v>', body, count=1)
            elif info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(info, body)
        dst.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>别的程序存的标题</t></si></sst>',
        )
    return out.getvalue()


def test_a_sheet_with_shared_strings_is_copied_cell_by_cell(rendered_once):
    """A shared string's number points into the form's own table: such a sheet (a form
    saved by another program) is copied through openpyxl instead."""
    import io
    from datetime import datetime

    from docgen.render.workbook import Column, book_workbook

    form = next(f for f in rendered_once(EXAMPLES / "shanghai-dpf-2022.yaml").forms if f.suffix == ".xlsx")
    resaved = _with_shared_string(form.read_bytes())
    assert load_workbook(io.BytesIO(resaved)).worksheets[0]["A1"].value == "别的程序存的标题"
    columns = [Column("项目名称", "name", 20)]
    book = book_workbook("汇总", columns, [{"name": "甲"}], {}, [("甲", resaved), ("乙", form.read_bytes())], datetime(2024, 1, 1))
    sheets = load_workbook(io.BytesIO(book)).worksheets
    assert sheets[1]["A1"].value == "别的程序存的标题" and sheets[2]["A1"].value == "财政项目支出绩效自评表"
    assert _sheet(sheets[2]) == _sheet(load_workbook(form).worksheets[0])


@pytest.mark.parametrize(
    "defined, area",
    [
        ("'自评表'!$A$1:$I$25", "A1:I25"),
        ("'O''Brien 表'!$A$1:$B$2", "A1:B2"),  # an apostrophe in a sheet name is doubled
        ("Sheet!$A$1:$C$9", "A1:C9"),
    ],
)
def test_the_print_area_is_read_whatever_the_sheet_is_called(defined, area):
    import io
    import zipfile

    from openpyxl import Workbook

    from docgen.render.sheet_copy import StyleTranslator, sheet_xml

    buf = io.BytesIO()
    Workbook().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                body = body.replace(
                    b"</sheets>",
                    f'</sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">{defined}</definedName></definedNames>'.encode(),
                )
            dst.writestr(info, body)
    copied = sheet_xml(out.getvalue(), StyleTranslator(Workbook()))
    assert copied is not None and copied[1] == area
