"""Folders of received forms with PDFs among them (issue 24): a digital PDF printed from
a rendered Word form is read as that form (its findings located by page, table and
cell), a scanned PDF (no text layer) is one unreadable input named with why, never a
crash, and the other units go on."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from conftest import ROOT
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.inputs.importing.pdf import SCANNED

DPF = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"
FORM1 = "1-残疾人权益保障经费-财政项目支出绩效自评表"
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
    b"4 0 obj<</Length 23>>stream\n0 0 m 100 100 l S\nendstream endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)  # a page with a line drawn and no text: what a scanner's PDF holds besides its image
runner = CliRunner()
pytestmark = [pytest.mark.office, pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory, rendered_once):
    """收到/甲/ two of a unit's 自评表 printed to PDF by LibreOffice, 收到/扫描件.pdf a scan."""
    root = tmp_path_factory.mktemp("pdfs")
    words = [f for f in rendered_once(DPF).forms if f.suffix == ".docx"][:2]
    received = root / "收到"
    (received / "甲").mkdir(parents=True)
    profile = f"-env:UserInstallation=file://{root / 'profile'}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(received / "甲"), *map(str, words)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (received / "扫描件.pdf").write_bytes(SCAN)
    return received


def test_check_of_a_folder_reads_its_digital_pdfs_and_names_a_scan(folder):
    result = runner.invoke(app, ["check", str(folder), "-j", "1"])
    assert "Traceback" not in result.output and isinstance(result.exception, (SystemExit, type(None))), result.output
    assert result.exit_code == 2  # the scan is unusable input; the other unit is checked
    lines = result.output.splitlines()
    jia = folder / "甲"
    assert f"【2/2】{jia}（上海市残疾人联合会 2022 年度的表单，2 个文件）" in lines
    assert (
        f"{jia / FORM1}.pdf:第 1 页表格 1 第 4 行第 9 列: [错误] 项目「残疾人权益保障经费」：预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64"
        in lines
    )
    assert "共 2 个项目（自评表 2 份），错误 2 条，提示 3 条。" in lines
    assert f"【1/2】{folder / '扫描件.pdf'}：已跳过" in lines
    assert any(SCANNED in line for line in lines)
    assert lines[-1] == "共 2 个单位：完成 1 个，无法使用或未生成 1 个；项目 2 个，错误 2 条，提示 3 条。"


def test_review_of_a_folder_lists_the_pdfs_findings_and_the_scan(folder, tmp_path):
    target = tmp_path / "审核汇总.xlsx"
    result = runner.invoke(app, ["review", str(folder), "-o", str(target), "-j", "1"])
    assert result.exit_code == 2, result.output
    sheet = load_workbook(io.BytesIO(target.read_bytes()))["问题"]
    header, *rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert header[-1] == "文件:行 / 文件:单元格"
    assert f"{folder / '甲' / FORM1}.pdf:第 1 页表格 1 第 4 行第 9 列" in {row[-1] for row in rows}
    scan = [row for row in rows if row[-1] == str(folder / "扫描件.pdf")]
    assert [row[3] for row in scan] == ["无法读取"] and SCANNED in scan[0][4]
    assert len(rows) == 6  # 5 findings of the two forms, 1 unreadable file
