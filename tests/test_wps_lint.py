"""Every .docx and .xlsx docgen writes is linted for what WPS Office is known to mis-read
(issue 27): tables without grid widths or whose rows do not fill the grid, fields shown
without their cached result, a vertical merge continuing with no start above it, theme
fonts (WPS maps their empty East Asian face to 等线 and reports it missing), 等线/DengXian
anywhere, fonts without an East Asian face, sheets without a correct `<dimension>`, and
formulas without a cached value.  Rendered: every example's forms and book, the review
workbook and its letters, and the blank data-entry workbook."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from typer.testing import CliRunner

from docgen.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.yaml"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MARKERS = ("TC", "XE")  # fields Word itself writes without a result: entries for the contents and index


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _table(name: str, tbl: etree._Element) -> list[str]:
    grid = tbl.find(w("tblGrid"))
    cols = [] if grid is None else grid.findall(w("gridCol"))
    if not cols or any(c.get(w("w")) in (None, "0") for c in cols):
        return [f"{name}: a table without w:gridCol widths"]
    out, started = [], {}
    for r, tr in enumerate(tbl.findall(w("tr"))):
        pr = tr.find(w("trPr"))
        at = int(pr.find(w("gridBefore")).get(w("val"))) if pr is not None and pr.find(w("gridBefore")) is not None else 0
        for tc in tr.findall(w("tc")):
            tcpr = tc.find(w("tcPr"))
            span = tcpr.find(w("gridSpan")) if tcpr is not None else None
            merge = tcpr.find(w("vMerge")) if tcpr is not None else None
            if merge is None:
                started[at] = False
            elif merge.get(w("val")) == "restart":
                started[at] = True
            elif not started.get(at):
                out.append(f"{name}: row {r + 1}, grid column {at + 1}: w:vMerge continues with no restart above")
            at += int(span.get(w("val"))) if span is not None else 1
        if pr is not None and pr.find(w("gridAfter")) is not None:
            at += int(pr.find(w("gridAfter")).get(w("val")))
        if at != len(cols):
            out.append(f"{name}: row {r + 1} spans {at} of the table's {len(cols)} w:gridCol")
    return out


def _fields(name: str, root: etree._Element) -> list[str]:
    out, state, instr, result = [], None, "", False
    for el in root.iter(w("fldChar"), w("instrText"), w("t"), w("fldSimple")):
        tag = etree.QName(el).localname
        if tag == "fldSimple":
            if el.get(w("instr"), "").split()[:1] not in ([m] for m in MARKERS) and not any((t.text or "").strip() for t in el.iter(w("t"))):
                out.append(f"{name}: w:fldSimple {el.get(w('instr'))!r} without its result")
        elif tag == "fldChar":
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                state, instr, result = "instr", "", False
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                if (state == "instr" or not result) and instr.split()[:1] not in ([m] for m in MARKERS):
                    out.append(f"{name}: field {instr.strip()!r} without its cached result")
                state = None
        elif tag == "instrText" and state == "instr":
            instr += el.text or ""
        elif tag == "t" and state == "result" and (el.text or "").strip():
            result = True
    return out


def _fonts(name: str, root: etree._Element) -> list[str]:
    return [
        f"{name}: w:rFonts {rf.get(w('ascii')) or rf.get(w('hAnsi'))} without w:eastAsia"
        for rf in root.iter(w("rFonts"))
        if rf.get(w("eastAsia")) is None and (rf.get(w("ascii")) or rf.get(w("hAnsi")))
    ]


def lint_docx(path: Path) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            data = z.read(name)
            text = data.decode("utf-8")
            if re.search(r"等线|DengXian", text):
                out.append(f"{name}: 等线/DengXian")
            if not name.startswith("word/") or name.startswith("word/theme/"):
                continue
            if re.search(r"w:(?:ascii|hAnsi|eastAsia)Theme=|w:cstheme=", text):
                out.append(f"{name}: theme fonts")
            root = etree.fromstring(data)
            out += _fonts(name, root) + _fields(name, root)
            for tbl in root.iter(w("tbl")):
                out += _table(name, tbl)
    return out


def lint_xlsx(path: Path) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            root = etree.fromstring(z.read(name))
            refs = []
            for c in root.iter(f"{{{S}}}c"):
                refs.append(c.get("r"))
                f, v = c.find(f"{{{S}}}f"), c.find(f"{{{S}}}v")
                if f is not None and (v is None or (v.text is None and c.get("t") != "str")):
                    out.append(f"{name}: {c.get('r')}: a formula without its cached value")
            dimension = root.find(f"{{{S}}}dimension")
            if dimension is None:
                out.append(f"{name}: no <dimension>")
            elif refs:
                cells = [coordinate_from_string(r) for r in refs]
                cols, rows = [column_index_from_string(c) for c, _ in cells], [r for _, r in cells]
                first, last = f"{get_column_letter(min(cols))}{min(rows)}", f"{get_column_letter(max(cols))}{max(rows)}"
                if dimension.get("ref") not in ({f"{first}:{last}"} | ({first} if first == last else set())):
                    out.append(f"{name}: <dimension ref={dimension.get('ref')!r}> but the cells span {first}:{last}")
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("wps")
    runner = CliRunner()
    for example in EXAMPLES:
        result = runner.invoke(app, ["render", str(example), "-o", str(out / example.stem), "--no-layout"])
        assert result.exit_code in (0, 1), result.output
    result = runner.invoke(app, ["review", *map(str, EXAMPLES), "-o", str(out / "审核汇总.xlsx"), "--letters", str(out / "letters")])
    assert result.exit_code in (0, 1), result.output
    result = runner.invoke(app, ["workbook", "--new", "-o", str(out / "本单位.xlsx")])
    assert result.exit_code == 0, result.output
    return sorted(p for p in out.rglob("*") if p.suffix in (".docx", ".xlsx"))


def test_every_file_is_rendered(rendered):
    names = [p.name for p in rendered]
    assert sum(n.endswith("汇总表.docx") for n in names) == len(EXAMPLES) and sum("审核意见" in n for n in names) == len(EXAMPLES)
    assert "审核汇总.xlsx" in names and "本单位.xlsx" in names and len(rendered) >= 50


def test_no_file_holds_what_wps_misreads(rendered):
    found = {p.name: (lint_docx(p) if p.suffix == ".docx" else lint_xlsx(p)) for p in rendered}
    assert {name: problems for name, problems in found.items() if problems} == {}


def _docx(tmp_path: Path, body: str, styles: str = "") -> Path:
    path = tmp_path / "t.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
        if styles:
            z.writestr("word/styles.xml", f'<w:styles xmlns:w="{W}">{styles}</w:styles>')
    return path


CELL = "<w:tc><w:tcPr>{}</w:tcPr><w:p/></w:tc>"
GRID2 = '<w:tblGrid><w:gridCol w:w="100"/><w:gridCol w:w="100"/></w:tblGrid>'


@pytest.mark.parametrize(
    "body, styles, problem",
    [
        ("<w:tbl><w:tr>" + CELL.format("") + "</w:tr></w:tbl>", "", "word/document.xml: a table without w:gridCol widths"),
        ("<w:tbl>" + GRID2 + "<w:tr>" + CELL.format("") + "</w:tr></w:tbl>", "", "word/document.xml: row 1 spans 1 of the table's 2 w:gridCol"),
        (
            "<w:tbl>"
            + GRID2
            + "<w:tr>"
            + CELL.format('<w:gridSpan w:val="2"/>')
            + "</w:tr><w:tr>"
            + CELL.format("<w:vMerge/>")
            + CELL.format("")
            + "</w:tr></w:tbl>",
            "",
            "word/document.xml: row 2, grid column 1: w:vMerge continues with no restart above",
        ),
        (
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
            "",
            "word/document.xml: field 'PAGE' without its cached result",
        ),
        (
            '<w:p><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t></w:t></w:r></w:fldSimple></w:p>',
            "",
            "word/document.xml: w:fldSimple ' NUMPAGES ' without its result",
        ),
        (
            '<w:p><w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr><w:t>a</w:t></w:r></w:p>',
            "",
            "word/document.xml: w:rFonts Arial without w:eastAsia",
        ),
        ("<w:p/>", '<w:style><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/></w:rPr></w:style>', "word/styles.xml: theme fonts"),
        ("<w:p/>", '<w:style><w:rPr><w:rFonts w:ascii="等线" w:eastAsia="等线"/></w:rPr></w:style>', "word/styles.xml: 等线/DengXian"),
    ],
)
def test_the_lint_finds_each_pitfall(tmp_path, body, styles, problem):
    assert problem in lint_docx(_docx(tmp_path, body, styles))


def test_a_contents_entry_field_and_a_filled_field_pass(tmp_path):
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TC "1、甲" \\f B </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert lint_docx(_docx(tmp_path, body)) == []


@pytest.mark.parametrize(
    "cells, dimension, problem",
    [
        ('<c r="A1"><f>1+1</f></c>', "A1", "xl/worksheets/sheet1.xml: A1: a formula without its cached value"),
        ('<c r="A1"><v>1</v></c><c r="C3"><v>2</v></c>', "A1", "xl/worksheets/sheet1.xml: <dimension ref='A1'> but the cells span A1:C3"),
    ],
)
def test_the_lint_finds_each_sheet_pitfall(tmp_path, cells, dimension, problem):
    path = tmp_path / "t.xlsx"
    rows = re.sub(r'(<c r="[A-Z]+(\d+)".*?</c>)', r'<row r="\2">\1</row>', cells)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{S}"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')
    assert problem in lint_xlsx(path)


def test_schema_validation():
    pytest.skip(
        "no OOXML schema validator installs from PyPI, Debian or npm: the maintained one is the "
        ".NET Open XML SDK (NuGet DocumentFormat.OpenXml), which needs a .NET runtime this project does not use"
    )
