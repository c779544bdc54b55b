"""Text docgen writes into workbooks stays text (no formula injection), control characters
XML forbids are dropped instead of crashing, and contents fields escape their text."""

import re
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.render import compose as wordbook
from docgen.render.workbook import sheet_names

runner = CliRunner()
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def render(tmp_path: Path, *replacements: tuple[str, str], extra: tuple[str, ...] = ()) -> Path:
    text = MINIMAL
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out"), *extra])
    assert result.exit_code == 0, result.output
    (unit,) = (tmp_path / "out").iterdir()
    return unit / "2023"


def formula_cells(xlsx: Path) -> dict[str, list[str]]:
    """sheet XML part -> the cells holding a formula."""
    out = {}
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode("utf-8")
                out[name] = re.findall(r'<c r="([A-Z]+\d+)"[^>]*>(?:(?!</c>).)*<f>', xml)
    return out


def test_a_unit_named_like_a_formula_stays_text(tmp_path):
    folder = render(tmp_path, ("unit: 测试单位", 'unit: "=1+1"'), ("name: 测试项目", 'name: "=HYPERLINK(\\"http://x\\",\\"点击\\")"'))
    title = "=1+12023年度项目支出绩效自评汇总表"
    summary = folder / f"{title}.xlsx"
    form = next(folder.glob("1-*.xlsx"))
    # the only formulas anywhere are docgen's own totals (row 4 of 汇总: one project)
    assert {k: v for k, v in formula_cells(summary).items() if v} == {"xl/worksheets/sheet1.xml": ["F4", "G4", "H4", "I4", "K4", "L4"]}
    assert not any(formula_cells(form).values())
    wb = load_workbook(summary)
    ws = wb["汇总"]
    assert ws["A1"].value == title and ws["A1"].data_type == "s"
    assert ws["C3"].value == '=HYPERLINK("http://x","点击")' and ws["C3"].data_type == "s"
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not (sheet.title == "汇总" and cell.row == 4 and cell.column > 1):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
    cells = [c.value for row in load_workbook(form).active.iter_rows() for c in row if isinstance(c.value, str)]
    assert "=1+1" in cells or any(v.startswith("=1+1") for v in cells)


def test_control_characters_in_names_are_dropped(tmp_path):
    folder = render(tmp_path, ("unit: 测试单位", 'unit: "单位\\u0001名"'), ("name: 测试项目", 'name: "项目\\u0001名\\0\\ufffe尾"'))
    assert folder.parent.name == "单位_名"  # in a file name a control character becomes _
    title = "单位名2023年度项目支出绩效自评汇总表"
    summary = load_workbook(folder / "单位_名2023年度项目支出绩效自评汇总表.xlsx")
    assert summary["汇总"]["A1"].value == title
    assert summary["汇总"]["C3"].value == "项目名尾"
    assert summary.sheetnames == ["汇总", "1-自评-项目_名__尾"]  # as in file names: replaced by _
    doc = Document(str(folder / "单位_名2023年度项目支出绩效自评汇总表.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "单位名2023年度\n项目支出绩效自评汇总表"  # the cover title in lines between words
    assert "1、项目名尾\t3" in texts  # the contents entry, with its page
    instr = [t.text for t in doc.element.body.iter(qn("w:instrText"))]
    assert ' TC "1、项目名尾" \\f B \\l 1 ' in instr


def test_a_name_ending_in_a_backslash_keeps_its_contents_entry(tmp_path):
    folder = render(tmp_path, ("name: 测试项目", 'name: "测试项目\\\\"'))
    doc = Document(str(folder / "测试单位2023年度项目支出绩效自评汇总表.docx"))
    assert "1、测试项目\\\t3" in [p.text for p in doc.paragraphs]
    instr = [t.text for t in doc.element.body.iter(qn("w:instrText"))]
    assert ' TC "1、测试项目\\\\" \\f B \\l 1 ' in instr
    assert load_workbook(folder / "测试单位2023年度项目支出绩效自评汇总表.xlsx").sheetnames == ["汇总", "1-自评-测试项目_"]


@pytest.mark.parametrize(
    "text",
    ["甲\\", '说"明"', "a\\b", "\\\\", "末尾\\\\\\"],
)
def test_field_arguments_round_trip(text):
    instr = wordbook._tc_instr(wordbook.Mark(text, "B", 2))
    mark = wordbook._parse_tc(instr)
    assert mark == wordbook.Mark(text.replace('"', "＂"), "B", 2)


def test_an_unescaped_backslash_before_the_closing_quote_is_read():
    # as a template (the departmental document's TC fields) may write it
    assert wordbook._parse_tc('TC "2、项目\\" \\f C \\l 1') == wordbook.Mark("2、项目\\", "C", 1)
    assert wordbook._parse_tc('TC "总体绩效目标" \\f A \\l 1') == wordbook.Mark("总体绩效目标", "A", 1)
    assert wordbook._parse_tc('TC "x"') == wordbook.Mark("x", "C", 1)
    assert wordbook._parse_tc("TOC \\f B") is None


def test_field_argument_drops_control_characters():
    assert wordbook.field_argument("项目\x01名\x00\ufffe\\") == "项目名\\\\"


def test_sheet_names_drop_control_characters():
    assert sheet_names(["1-自评-项目\x01名\ufffe", "a\x7fb", "c\td"]) == ["1-自评-项目_名_", "a_b", "c_d"]
