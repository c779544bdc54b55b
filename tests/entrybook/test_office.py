"""The data-entry workbook in LibreOffice: what a clerk types there (through Calc's own
input handling, `lo_type.py`) is what docgen reads, the 二级指标 list follows the row's
一级指标, and the workbook prints on a sensible number of pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.build.workbook import blank_workbook, unit_workbook
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.loader import load_file
from docgen.model.validate import validate

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
TWO_FORMS = ROOT / "data" / "examples" / "one-project-two-forms.yaml"
TYPE = Path(__file__).with_name("lo_type.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # the Python LibreOffice's UNO bridge (python3-uno) is built for
runner = CliRunner()


def _uno() -> bool:
    found = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; sys.path.append('/usr/lib/libreoffice/program'); import uno"], capture_output=True)
    return found.returncode == 0


needs_uno = pytest.mark.skipif(not Path(SYSTEM_PYTHON).exists() or not _uno(), reason="python3-uno (LibreOffice's Python bridge) is not installed")


def _type(tmp_path: Path, source: Path, edits: dict[str, str]) -> Path:
    """`source` after a clerk typed `edits` (SHEET!CELL -> text) in LibreOffice Calc and saved it as .xlsx."""
    target = tmp_path / "typed.xlsx"
    args = [SYSTEM_PYTHON, str(TYPE), str(source), str(target), str(tmp_path / "profile"), *(f"{k}={v}" for k, v in edits.items())]
    subprocess.run(args, check=True, capture_output=True, timeout=240)
    return target


def _cell(ws, header: str, row: int) -> str:
    column = next(c.column_letter for c in ws[1] if c.value == header)
    return f"{ws.title}!{column}{row}"


@needs_uno
def test_what_a_clerk_types_in_calc_is_what_docgen_reads(tmp_path):
    source = tmp_path / "unit.xlsx"
    source.write_bytes(unit_workbook(TWO_FORMS))
    wb = load_workbook(source)
    indicators, projects = wb["指标"], wb["项目"]
    new_row = next(r for r in range(2, 500) if indicators.cell(r, 1).value is None)
    edits = {
        _cell(indicators, "指标值", 2): "=100%",  # a filled row
        _cell(indicators, "指标值", 3): "=12个",
        _cell(indicators, "项目序号", new_row): "1",  # a new row the clerk adds
        _cell(indicators, "一级指标", new_row): "产出指标",
        _cell(indicators, "二级指标", new_row): "数量指标",
        _cell(indicators, "三级指标", new_row): "新增指标",
        _cell(indicators, "指标值", new_row): "=100%",
        _cell(projects, "计划开始日期", 2): "2023年1月",
        _cell(projects, "计划完成日期", 2): "2023/12/31",
        _cell(projects, "项目编码", 2): "=762002",
    }
    typed = _type(tmp_path, source, edits)
    unit = validate(load_file(typed))
    project = unit.projects[0]
    assert [i.target for i in project.indicators[:2]] == ["=100%", "=12个"]
    assert project.indicators[-1].name == "新增指标" and project.indicators[-1].target == "=100%"
    assert (project.declaration.start, project.declaration.end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert project.code == "=762002"
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(typed), "-o", str(out), "--no-layout", "--format", "docx"])
    assert result.exit_code in (0, 1), result.output
    from docx import Document

    docx = next(out.rglob("*申报表*.docx"))
    texts = [cell.text for table in Document(str(docx)).tables for row in table.rows for cell in row.cells]
    assert "=100%" in texts and "=12个" in texts and "1" not in texts


@needs_uno
def test_a_formula_typed_into_a_text_column_calc_did_not_keep_as_text_is_refused(tmp_path):
    """A cell whose Text format was lost (pasted over with another cell's format): Calc makes
    `=100%` a formula with the value 1; docgen names the cell and the fix, exit 2."""
    source = tmp_path / "unit.xlsx"
    source.write_bytes(unit_workbook(TWO_FORMS))
    wb = load_workbook(source)
    ws = wb["指标"]
    ref = _cell(ws, "指标值", 4)
    ws[ref.split("!")[1]].number_format = "General"
    wb.save(source)
    typed = _type(tmp_path, source, {ref: "=100%"})
    assert load_workbook(typed)["指标"][ref.split("!")[1]].data_type == "f"  # Calc took it as a formula
    with pytest.raises(InputError) as info:
        validate(load_file(typed))
    assert [(p.line, p.text) for p in info.value.problems] == [
        (
            ref,
            "「指标值」应为文字，这里却是公式「=100%」（Excel、WPS 把以 = 开头的输入当作公式）：请改为输入 '=100%（前加英文单引号），或用全角的「＝100%」，它就作为文字保存",
        )
    ]
    result = runner.invoke(app, ["check", str(typed)])
    assert result.exit_code == 2 and ref in result.output


def _convert(tmp_path: Path, source: Path, to: str) -> Path:
    out = tmp_path / f"converted-{to}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile-convert'}", "--headless", "--convert-to", to, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return out / f"{source.stem}.{to}"


def test_the_level2_list_follows_the_level1_in_libreoffice(tmp_path):
    """The validation's own formula, evaluated by Calc beside each row: how many of the
    list's entries there are, and whether a given 二级 is among them."""
    source = tmp_path / "unit.xlsx"
    source.write_bytes(blank_workbook({"target": "2023", "selfeval": "2022"}))
    wb = load_workbook(source)
    ws = wb["指标"]
    level1 = next(c.column_letter for c in ws[1] if c.value == "一级指标")
    level2 = next(c.column_letter for c in ws[1] if c.value == "二级指标")
    dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(f"{level2}2"))
    rows = {30: ("产出指标", "数量指标"), 31: ("效益指标", "数量指标"), 32: ("满意度指标", "服务对象满意度指标"), 33: (None, "社会效益指标")}
    for row, (one, two) in rows.items():
        ws[f"{level1}{row}"] = one
        formula = dv.formula1.replace(f"{level1}2", f"{level1}{row}")
        ws[f"AA{row}"] = f"=ROWS({formula})"
        ws[f"AB{row}"] = f'=COUNTIF({formula},"{two}")'
    wb.save(source)
    converted = load_workbook(_convert(tmp_path, source, "xlsx"), data_only=True)["指标"]
    got = {row: (converted[f"AA{row}"].value, converted[f"AB{row}"].value) for row in rows}
    assert got == {30: (4, 1), 31: (4, 0), 32: (1, 1), 33: (9, 1)}
    kept = load_workbook(_convert(tmp_path, source, "xlsx"))["指标"]  # Calc keeps the list when it saves
    assert any("INDIRECT" in (d.formula1 or "") for d in kept.data_validations.dataValidation)


# A blank workbook offers the 其他栏目 sheet: a page of its own, and its four rows in 说明
@pytest.mark.parametrize("forms, pages", [({}, 8), ({"target": "2023", "selfeval": "2022", "dept": "2020"}, 12)], ids=["default", "three-kinds"])
def test_the_workbook_prints_on_few_pages(forms, pages, tmp_path):
    source = tmp_path / "unit.xlsx"
    source.write_bytes(blank_workbook(forms))
    pdf = _convert(tmp_path, source, "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(pages), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sheets = text.split("\f")
    assert "docgen 单位数据工作簿" in sheets[0] and "工作表" in sheets[0] and "说明" in sheets[0]  # 说明's columns on one page
    help_pages = [p for p in sheets if "列 / 字段" in p]  # its heading repeated on every page of it
    assert 3 <= len(help_pages) <= 5 and all(p.lstrip().startswith(("docgen", "工作表")) for p in help_pages)
    project_pages = [p for p in sheets if "项目名称" in p and "实际完成情况" in p and p not in help_pages]
    assert len(project_pages) == 1  # 项目 on one page, not 13
