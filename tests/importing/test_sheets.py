"""Form workbooks read for their values (docgen/importing/sheets.py): the cells, number
formats and merged ranges `load_workbook` reads, without giving every merged cell its
range's borders (24 of the 27 s a 200-form book took to import)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.merge import MergedCellRange

from docgen.inputs.importing.sheets import uncalculated, values_workbook

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "shanghai-dpf-2022.yaml"


def _cells(wb) -> dict:
    return {
        ws.title: (
            sorted(str(r) for r in ws.merged_cells.ranges),
            {c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row if c.value is not None},
        )
        for ws in wb.worksheets
    }


def test_a_book_reads_as_load_workbook_reads_it_without_formatting_merges(rendered_once, monkeypatch):
    book = next(f for f in rendered_once(EXAMPLE).book if f.suffix == ".xlsx")
    data = book.read_bytes()
    expected = _cells(load_workbook(io.BytesIO(data), data_only=True))
    formatted = []
    monkeypatch.setattr(MergedCellRange, "format", lambda self: formatted.append(self))
    got = values_workbook(data)
    assert _cells(got) == expected
    assert len(expected) == 7 and sum(len(merges) for merges, _ in expected.values()) > 100
    assert formatted == []
    assert _cells(values_workbook(data, data_only=False))["汇总"][1]["F9"][0] == "=SUM(F3:F8)"
    assert not uncalculated(data)  # docgen saves each total's result: one read is enough


def test_a_formula_never_calculated_is_found(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"], wb.active["A2"], wb.active["A3"] = 1, 2, "=SUM(A1:A2)"
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl saves no result: no program calculated it
    assert uncalculated(buf.getvalue())
    wb.active["A3"] = 3
    buf = io.BytesIO()
    wb.save(buf)
    assert not uncalculated(buf.getvalue())
