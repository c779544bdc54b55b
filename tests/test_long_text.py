"""Text longer than a format holds (issue 16): a 48,000-character 实际完成情况 is an error
naming the field and Excel's limit; the .xlsx cell holds the first 32,767 characters, the
.docx keeps it whole."""

from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.model.fields import EXCEL_CELL_MAX

runner = CliRunner()


def test_text_beyond_an_excel_cell_is_a_finding_and_word_keeps_it_whole(tmp_path, fixtures):
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8").replace("achieved: 完成", "achieved: " + "完" * 48_000)
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(path), "-o", str(out), "--no-layout"])
    assert result.exit_code == 1, result.output
    assert f"{path}:24: [错误] 项目「测试项目」：实际完成情况（evaluation.achieved）有 48,000 个字符，超过 Excel 单元格的上限 32,767 个字符" in result.output
    folder = out / "测试单位" / "2023"
    xlsx = folder / "1-测试项目-财政项目支出绩效自评表.xlsx"
    longest = max(
        (len(c.value) for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)),
    )
    assert longest == EXCEL_CELL_MAX
    doc = Document(str(folder / "1-测试项目-财政项目支出绩效自评表.docx"))
    words = "".join(p.text for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs)
    assert "完" * 48_000 in words


def test_text_within_the_limit_is_no_finding(tmp_path, fixtures):
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8").replace("achieved: 完成", "achieved: " + "完" * EXCEL_CELL_MAX)
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
