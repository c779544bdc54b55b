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
