"""Reading a data-entry workbook: cell values as the unit file holds them, and every bad
workbook a clear message naming the cell, exit 2, nothing written."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.build.workbook import unit_workbook
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.forms import form_kind
from docgen.inputs.entrybook.read import plain
from docgen.inputs.loader import load_file
from docgen.model.validate import validate

ROOT = Path(__file__).resolve().parents[2]
TWO_FORMS = ROOT / "data" / "examples" / "one-project-two-forms.yaml"
BAD = ROOT / "tests" / "fixtures" / "bad-workbooks"
runner = CliRunner()


@pytest.mark.parametrize(
    "raw, number_format, expected",
    [
        (None, "General", None),
        ("", "General", None),
        ("   ", "General", None),
        ("=100%", "General", "=100%"),
        ("1,505,492", "#,##0.00", "1,505,492"),  # amounts typed as text stay text; the model reads them exactly
        (0.1 + 0.2, "General", Decimal("0.3")),  # the decimal Excel shows, never 0.30000000000000004
        (1943200.0, "#,##0.00", Decimal("1943200")),
        (9.95, "General", Decimal("9.95")),
        (762002, "General", 762002),
        (0.9641, "0.00%", "96.41%"),
        (1, "0%", "100%"),
        (0.5, "0.00%", "50%"),
        (datetime(2023, 1, 1), "yyyy-mm-dd", date(2023, 1, 1)),
        (True, "General", "是"),
    ],
)
def test_plain_values(raw, number_format, expected):
    got = plain(raw, number_format)
    assert got == expected and type(got) is type(expected)


def _book(tmp_path: Path) -> Path:
    path = tmp_path / "unit.xlsx"
    path.write_bytes(unit_workbook(TWO_FORMS))
    return path


def _column(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def test_typed_values_read_exactly(tmp_path):
    path = _book(tmp_path)
    wb = load_workbook(path)
    projects, indicators = wb["项目"], wb["指标"]
    projects.cell(2, _column(projects, "年度资金申请总额")).value = "446,048.00"  # text with separators
    projects.cell(2, _column(projects, "项目编码")).value = 762002  # a number in a text column
    projects.cell(2, _column(projects, "年度资金总额（全年执行数）")).value = 0.1 + 0.2
    indicators.cell(2, _column(indicators, "分值")).value = "15"
    indicators.row_dimensions[3].hidden = True  # hidden rows count, as Excel users expect
    wb.save(path)
    unit = validate(load_file(path))
    project = unit.projects[0]
    assert project.declaration.funds.annual_total == Decimal("446048.00")
    assert project.code == "762002"
    assert project.evaluation.funds.total.executed == Decimal("0.3")
    assert project.indicators[0].weight == Decimal("15")
    assert [i.name for i in project.indicators][:2] == ["电费缴纳完成率", "电费缴纳准确率"]
    assert len(project.indicators) == 6


def test_indicators_by_project_name_and_blank_rows(tmp_path):
    path = _book(tmp_path)
    wb = load_workbook(path)
    ws = wb["指标"]
    ws.insert_rows(4)  # a blank row in the middle
    ws.cell(5, 1).value = None  # no 序号: the name says which project
    wb.save(path)
    unit = validate(load_file(path))
    assert len(unit.projects[0].indicators) == 6


def test_the_flag_decides_whether_a_form_is_made(tmp_path):
    path = _book(tmp_path)
    wb = load_workbook(path)
    ws = wb["项目"]
    ws.cell(2, _column(ws, "自评表")).value = "否"
    wb.save(path)
    with pytest.raises(InputError, match="项目!Q2.*填写了自评表的数据，但「自评表」列不是「是」"):
        validate(load_file(path))
    evaluation = {col.header for col in form_kind("selfeval").workbook_columns()}
    for col in range(1, ws.max_column + 1):  # drop the evaluation's data too
        if ws.cell(1, col).value in evaluation:
            ws.cell(2, col).value = None
    wb.save(path)
    unit = validate(load_file(path))
    assert unit.projects[0].evaluation is None and unit.projects[0].declaration is not None
    ws.cell(2, _column(ws, "自评表")).value = "是"  # a flag alone makes an (empty) evaluation
    wb.save(path)
    assert validate(load_file(path)).projects[0].evaluation is not None


@pytest.mark.parametrize(
    "name, where, text",
    [
        ("not_unit.xlsx", "", "不是 docgen 单位数据工作簿（缺少工作表「单位」「项目」），也不是可导入的表单（没有可导入的表单："),
        ("corrupt.xlsx", "", "文件已损坏，或不是 Excel 工作簿（.xlsx）（压缩包目录无法读取：BadZipFile）"),
        ("old_format.xls", "", "这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx"),
        ("formula_no_cache.xlsx", "项目!S2", "这是公式，但没有计算结果"),
        ("merged.xlsx", "指标!A2", "有合并单元格 A2:A3"),
        ("unknown_sheet.xlsx", "草稿!A1", "未知工作表「草稿」"),
        ("unknown_column.xlsx", "指标!H1", "未知列「完成情况说明」；此处允许：项目序号、项目名称、一级指标"),
        ("bad_flag.xlsx", "项目!Q2", "「自评表」列应填「是」或「否」，却是「可能」"),
        ("bad_amount.xlsx", "项目!M2", "项目「交换平台运行费」 申报 › 项目资金 › 年度资金申请总额：应为金额"),
        ("orphan_indicator.xlsx", "指标!A3", "项目序号「9」在「项目」表中没有"),
        ("extra_unknown_project.xlsx", "其他栏目!A3", "项目序号「9」在「项目」表中没有"),
        ("extra_blank_name.xlsx", "其他栏目!C4", "「栏目」未填：这一行有内容「1、持续性项目 2、新增性项目 □」，请写明它是表单上的哪一栏（如 填报日期）"),
        ("extra_repeated.xlsx", "其他栏目!C3", "项目「2020 年市级服务贸易发展资金」的栏目「填报日期」重复（已在 其他栏目!C2）：每个栏目只写一行"),
        ("bad_class_weights.xlsx", "项目!K2", "「一级指标分值」里的「产出指标六十分」读不出一级指标和分值：写作「产出指标（60分）；效益指标（40分）」"),
        ("two_headers_one_field.xlsx", "指标!K1", "列「指标值」与第 6 列「年初目标值（A）」是同一栏（指标值）：请删去其中一列"),
    ],
)
def test_bad_workbooks(name, where, text, tmp_path):
    path = BAD / name
    with pytest.raises(InputError) as info:
        validate(load_file(path))
    message = info.value.message()
    assert (f"{path}:{where}: " if where else f"  {path}: ") in message and text in message, message  # no line: the file alone
    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_by_libreoffice_reads_the_same(tmp_path):
    path = _book(tmp_path)
    saved = tmp_path / "saved"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xlsx", "--outdir", str(saved), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert validate(load_file(saved / path.name)) == validate(load_file(path))


def test_reading_counts_each_sheets_width_once(tmp_path, monkeypatch):
    """openpyxl counts every cell of a sheet for `max_column`: asked once per row, reading
    a 2,000-project workbook took 300 s.  The number of asks must not grow with the rows."""
    import sys

    from openpyxl.worksheet.worksheet import Worksheet

    root = Path(__file__).resolve().parents[2]
    asks = []
    real = Worksheet.max_column
    monkeypatch.setattr(Worksheet, "max_column", property(lambda ws: asks.append(ws.title) or real.fget(ws)))
    counts = {}
    for n in (4, 24):
        unit = tmp_path / f"u{n}.yaml"
        subprocess.run([sys.executable, str(root / "scripts" / "many_projects.py"), str(n), str(unit)], check=True)
        book = tmp_path / f"u{n}.xlsx"
        book.write_bytes(unit_workbook(unit))
        asks.clear()
        loaded = load_file(book)
        assert len(loaded.data["projects"]) == n
        counts[n] = len(asks)
    assert counts[24] == counts[4] <= 10


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("产出指标（60分）；效益指标（40分）", {"产出指标": "60", "效益指标": "40"}),  # as the workbook writes it
        ("产出指标：60\n效益指标：40", {"产出指标": "60", "效益指标": "40"}),
        ("产出指标(50)、效益指标 (30 分)，满意度指标（10.5分）", {"产出指标": "50", "效益指标": "30", "满意度指标": "10.5"}),
    ],
)
def test_class_weights_as_typed(typed, expected):
    from docgen.forms.selfeval.workbook import class_weights, class_weights_text

    assert class_weights(typed) == expected
    assert class_weights(class_weights_text({k: Decimal(v) for k, v in expected.items()})) == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("产出指标六十分", "里的「产出指标六十分」读不出一级指标和分值"),
        ("产出指标（60分）；产出指标（40分）", "里一级指标「产出指标」写了两次"),
        ("产出指标（6.0.1分）", "里的「产出指标（6.0.1分）」读不出一级指标和分值"),
    ],
)
def test_class_weights_badly_typed(typed, message):
    from docgen.forms.selfeval.workbook import class_weights

    with pytest.raises(ValueError) as info:
        class_weights(typed)
    assert str(info.value).startswith(message)
