"""Forms as text grids, whatever file they come in: each table of a Word file (with the
paragraphs above it) and each sheet of a workbook becomes rows of cells, horizontal
merges as one cell at its first column, vertical merges repeated in every row they span
(so a merged 一级指标 fills the rows it covers), numbers as the form prints them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Problem
from docgen.inputs.importing import shown
from docgen.inputs.importing.labels import norm
from docgen.inputs.importing.sheets import uncalculated, values_workbook
from docgen.inputs.importing.shown import Reader, Styles, Unclear, w
from docgen.inputs.package import MAX_FORM_ROWS, MAX_TABLE_COLUMNS, Package, open_package, open_workbook_package
from docgen.model.formatting import amount_text, fixed_text, number_text, percent_text
from docgen.model.joiner import without_joiners


@dataclass(frozen=True)
class Cell:
    text: str
    col: int  # the first grid column it covers
    where: str  # how a clerk finds it: `表格 2 第 5 行第 3 列` / `自评表!D12`
    formula: str = ""  # Excel: a formula whose value the file does not hold (never calculated)


Row = list[Cell]


@dataclass
class FormText:
    """One table (Word, with the paragraphs since the previous table) or one sheet."""

    source: Path
    label: str  # `表格 2` / the sheet's name
    rows: list[Row]
    preamble: list[str] = field(default_factory=list)  # Word: the paragraphs above the table
    created: int | None = None  # the year the file says it was made in (for forms that print no year)
    after: list[str] = field(default_factory=list)  # Word: the paragraphs below the table (a sign-off line)

    def texts(self) -> Iterator[str]:
        yield from self.preamble
        for row in self.rows:
            for cell in row:
                yield cell.text


# ------------------------------------------------------------------ Word


def _int(props: Any, tag: str, default: int) -> int:
    found = props.find(w(tag)) if props is not None else None
    value = found.get(w("val")) if found is not None else None
    return int(value) if value and value.strip().isdigit() else default


class _Word:
    """The tables and paragraphs of one Word document, read as Word shows them (`shown`)."""

    def __init__(self, path: Path, reader: Reader) -> None:
        self.path, self.reader = path, reader

    def fail(self, where: str, text: str) -> InputError:
        what = "" if where.endswith("列") else "段落" if "段落" in where else "表格"  # a cell's place reads 单元格 …
        return InputError(self.path, [Problem((), text, line=where, what=what)])

    def columns(self, where: str, value: int, tag: str) -> int:
        if value > MAX_TABLE_COLUMNS:
            raise self.fail(where, f"表格跨 {value:,} 列（{tag}），Word 表格最多 {MAX_TABLE_COLUMNS} 列：文件已损坏或是构造的，未读取")
        return value

    def table_rows(self, tbl: Any, number: int) -> list[Row]:
        """The grid of a w:tbl, read from its XML: a table a clerk split in Word may start
        with the lower half of a vertical merge (no first cell above it), which reads blank."""
        rows: list[Row] = []
        above: dict[int, str] = {}  # grid column -> the text of the cell above (a vertical merge repeats it)
        if not self.reader.shown():
            raise self.fail(
                f"表格 {number}",
                "表格位于一个没有结束的 Word 域（fldChar）的指令中，无法确定 Word 显示的内容；请在 Word 中按 Ctrl+A 再按 Ctrl+Shift+F9 把域转为文字后另存",
            )
        trs = shown.rows(tbl, self.reader)
        if len(trs) > MAX_FORM_ROWS:
            raise self.fail(f"表格 {number}", f"表格有 {len(trs):,} 行，超过一张表单的上限 {MAX_FORM_ROWS:,} 行，不像表单：未读取")
        for r, tr in enumerate(trs, start=1):
            out: Row = []
            where = f"表格 {number} 第 {r} 行"
            col = self.columns(where, _int(tr.find(w("trPr")), "gridBefore", 0), "gridBefore")
            try:
                tcs = shown.cells(tr, self.reader)
            except Unclear as exc:
                raise self.fail(where, exc.text) from None
            for tc in tcs:
                where = f"表格 {number} 第 {r} 行第 {col + 1} 列"
                props = tc.find(w("tcPr"))
                span = self.columns(where, _int(props, "gridSpan", 1), "gridSpan")
                col = self.columns(where, col + span, "gridSpan") - span
                merge = props.find(w("vMerge")) if props is not None else None
                try:
                    own = self.reader.cell(tc)
                except Unclear as exc:
                    raise self.fail(where, exc.text) from None
                text = above.get(col, "") if merge is not None and merge.get(w("val")) != "restart" else own
                out.append(Cell(text, col, where))
                above.update({c: text for c in range(col, col + span)})
                col += span
            rows.append(out)
        return rows

    def blocks(self, parent: Any, nested: bool = False) -> Iterator[tuple[str, Any, bool]]:
        """The paragraphs and tables of the body or of a cell, in order, each with whether it
        is inside a table; the tables nested in a table's cells (a form put in a frame table)
        follow the table that holds them."""
        for element in self.reader.blocks(parent):
            if element.tag == w("p"):
                try:
                    text = self.reader.text([element]).strip()
                except Unclear as exc:
                    raise self.fail("表格上方的段落", exc.text) from None
                yield "p", text, nested
            else:
                yield "tbl", element, nested
                if next(element.iterdescendants(w("tbl")), None) is None:
                    continue  # no table inside it (a form's table, almost always): nothing to look for
                for tr in shown.rows(element, self.reader):
                    try:
                        tcs = shown.cells(tr, self.reader)
                    except Unclear:
                        continue  # reported with its cell when the table itself is read
                    for tc in tcs:
                        if any(b.tag == w("tbl") for b in self.reader.blocks(tc)):
                            yield from self.blocks(tc, True)


_CONTINUED = re.compile(r"^\(?续表\d*\)?$")  # the note a clerk types above a table's second half


def _continues(form: FormText, rows: list[Row]) -> bool:
    """A table right after a form's table, nothing typed between them (or 「续表」), that does not start
    as the form does: the form's table split in two (Word: 拆分表格, or a page break)."""
    first = next((c.text for row in rows for c in row if c.text.strip()), None)
    own = next((c.text for row in form.rows for c in row if c.text.strip()), None)
    return first is not None and norm(first) != norm(own or "")


def _created(package: Package) -> int | None:
    """The year the file says it was made in (`docProps/core.xml`, dcterms:created)."""
    for part in package.related("", "/core-properties"):
        if package.has(part):
            found = package.xml(part).find("{http://purl.org/dc/terms/}created")
            year = (found.text or "").strip()[:4] if found is not None else ""
            return int(year) if year.isdigit() and int(year) > 0 else None
    return None


_GRIDS: dict[tuple[Path, bytes], tuple[list[FormText], int]] = {}  # (file, digest of its bytes) -> its forms, their cells
_GRID_CELLS_KEPT = 200_000  # about 30 MB of cells


def _remembered(path: Path, data: bytes, read: Callable[[Path, bytes], list[FormText]]) -> list[FormText]:
    """The forms of a file read from these very bytes before in this process, else read
    now: a batch reads each received file twice (whose forms, then the unit's forms), and
    a form's grid is never changed once read.  The oldest are let go past a bound on cells."""
    key = (path, hashlib.blake2b(data, digest_size=20).digest())
    kept = _GRIDS.get(key)
    if kept is not None:
        return list(kept[0])
    forms = read(path, data)
    cells = sum(len(row) for form in forms for row in form.rows)
    while _GRIDS and sum(n for _, n in _GRIDS.values()) + cells > _GRID_CELLS_KEPT:
        _GRIDS.pop(next(iter(_GRIDS)))
    if cells <= _GRID_CELLS_KEPT:
        _GRIDS[key] = (forms, cells)
    return list(forms)


_STYLES: dict[bytes, Styles] = {}  # the digest of a styles part -> its hidden styles
_STYLES_KEPT = 64


def _styles(package: Package, part: str | None) -> Styles:
    """The hidden styles of a document's styles part, parsed once per distinct part: the
    forms a batch receives are made from a few templates, and parsing their styles was
    a third of reading a form.  A part seen before passed the same checks then."""
    if part is None:
        return Styles()
    key = hashlib.blake2b(package.read(part), digest_size=20).digest()
    if key not in _STYLES:
        if len(_STYLES) >= _STYLES_KEPT:
            _STYLES.pop(next(iter(_STYLES)))
        _STYLES[key] = Styles.of(package.xml(part))
    return _STYLES[key]


def docx_forms(path: Path, data: bytes) -> list[FormText]:
    return _remembered(path, data, _docx_forms)


def _docx_forms(path: Path, data: bytes) -> list[FormText]:
    package = open_package(path, data, "docx")
    document = package.xml(package.main)
    part = next((p for p in package.related(package.main, "/styles") if package.has(p)), None)
    word = _Word(path, Reader(_styles(package, part)))
    body = document.find(w("body"))
    if body is None:
        raise package.damaged(f"{package.main} 没有正文（w:body）")
    created = _created(package)
    try:
        return _word_forms(path, word, body, created)
    except Unclear as exc:  # outside any cell or paragraph read (the body's own structure)
        raise InputError(path, [Problem((), exc.text, line="正文", what="Word 文档正文")]) from None


def _word_forms(path: Path, word: _Word, body: Any, created: int | None) -> list[FormText]:
    forms: list[FormText] = []
    paragraphs: list[str] = []
    number = 0
    for kind, item, nested in word.blocks(body):
        if kind == "p":
            paragraphs += [item] if item else []
            if item and forms and not nested:
                forms[-1].after.append(item)
            continue
        number += 1
        rows = word.table_rows(item, number)
        if not any(c.text.strip() for row in rows for c in row):
            continue  # an empty table (a frame around a form): not a form
        if forms and all(_CONTINUED.match(norm(p)) for p in paragraphs) and not nested and _continues(forms[-1], rows):
            forms[-1].rows += rows
            if len(forms[-1].rows) > MAX_FORM_ROWS:
                raise word.fail(f"表格 {number}", f"表单的表格共有 {len(forms[-1].rows):,} 行，超过一张表单的上限 {MAX_FORM_ROWS:,} 行，不像表单：未读取")
            continue
        forms.append(FormText(path, f"表格 {number}", rows, paragraphs, created))
        paragraphs = []
    return forms


# ------------------------------------------------------------------ Excel


def printed(value: Any, number_format: str) -> str:
    """A cell's value as the form prints it (amounts `1,943,200.00`, rates `96.41%`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if (value.hour, value.minute) == (0, 0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
        if "%" in number_format:
            return percent_text(number)
        if "#,##0.00" in number_format:
            return amount_text(number)
        if number_format.startswith("0.00"):
            return fixed_text(number)
        return number_text(number)
    return without_joiners(str(value)).strip()


def _formulas(package: Package) -> Any:
    """The workbook's formulas (a second parse, only when a sheet holds a formula never
    calculated): a formula saved by a program, never calculated, holds no value, and its
    cell must not read blank."""
    return values_workbook(package.data, data_only=False) if uncalculated(package) else None


def _sheet_rows(ws: Any, formulas: Any) -> list[Row]:
    tops: dict[tuple[int, int], tuple[int, int, int]] = {}  # (row, col) -> (top row, first col, last col) of its merge
    for m in ws.merged_cells.ranges:
        for r in range(m.min_row, m.max_row + 1):
            for c in range(m.min_col, m.max_col + 1):
                tops[(r, c)] = (m.min_row, m.min_col, m.max_col)
    rows = []
    for r in range(1, ws.max_row + 1):
        out: Row = []
        for c in range(1, ws.max_column + 1):
            top, first, _ = tops.get((r, c), (r, c, c))
            if c != first:
                continue
            cell = ws.cell(top, first)
            formula = formulas[ws.title].cell(top, first).value if formulas is not None and cell.value is None else None
            formula = formula if isinstance(formula, str) and formula.startswith("=") else ""
            out.append(Cell(printed(cell.value, cell.number_format or ""), c - 1, f"{ws.title}!{ws.cell(r, c).coordinate}", formula))
        rows.append(out)
    return rows


def xlsx_forms(path: Path, data: bytes) -> list[FormText]:
    return _remembered(path, data, _xlsx_forms)


def _xlsx_forms(path: Path, data: bytes) -> list[FormText]:
    package = open_workbook_package(path, data)
    wb = values_workbook(package.data)
    formulas = _formulas(package)
    created = wb.properties.created.year if wb.properties.created else None
    forms, paragraphs = [], []
    for ws in wb.worksheets:
        if ws.max_row > MAX_FORM_ROWS:
            text = f"工作表有 {ws.max_row:,} 行，超过一张表单的上限 {MAX_FORM_ROWS:,} 行，不像表单：未读取"
            raise InputError(path, [Problem((), text, line=f"{ws.title}!A{ws.max_row}")])
        rows = _sheet_rows(ws, formulas)
        texts = [[c.text for c in row if c.text] for row in rows]
        if all(len(t) <= 1 for t in texts):  # paragraphs, not a table: they come before the next sheet's table
            paragraphs += [t[0] for t in texts if t]
            continue
        forms.append(FormText(path, ws.title, rows, paragraphs, created))
        paragraphs = []
    return forms
