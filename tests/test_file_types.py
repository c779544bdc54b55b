"""Files that are not what a command reads (issue 27): each type gets what to do instead,
for the unit commands and for `docgen import`, with exit 2 and nothing written."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app

runner = CliRunner()
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal.yaml"

PDF = b"%PDF-1.4\n\xe2\x80\xff\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 24
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8
ZIP = b"PK\x03\x04" + b"\0" * 26

# file name, its bytes, the advice for a unit command, the advice for `docgen import`
TYPES = [
    # a .pdf is read as a printed form (importing/pdf.py): a damaged one is named as a damaged PDF
    ("表单.pdf", PDF, "无法读取 PDF 文件（.pdf）（PdfminerException）：文件已损坏", "无法读取 PDF 文件（.pdf）（PdfminerException）：文件已损坏"),
    ("表单.ofd", b"PK\x03\x04", "这是 OFD 版式文件（打印版的表单），不是单位数据文件", "这是 OFD 版式文件（打印版的表单），docgen 读不了其中的数据"),
    (
        "本单位.xls",
        OLE,
        "这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx（文件 → 另存为 → Excel 工作簿），或运行 soffice --headless --convert-to xlsx 本单位.xls",
        "这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx",
    ),
    ("本单位.et", OLE, "这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx", "这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx"),
    (
        "自评表.doc",
        OLE,
        "这是旧版 Word/WPS 文档：请在 Word 或 WPS 中另存为 .docx（文件 → 另存为 → Word 文档），或运行 soffice --headless --convert-to docx 自评表.doc",
        "这是旧版 Word/WPS 文档：请在 Word 或 WPS 中另存为 .docx",
    ),
    ("自评表.wps", OLE, "这是旧版 Word/WPS 文档：请在 Word 或 WPS 中另存为 .docx", "这是旧版 Word/WPS 文档：请在 Word 或 WPS 中另存为 .docx"),
    (
        "本单位.csv",
        "项目名称,分值\n甲,10\n".encode(),
        "CSV 文件只存一张表，docgen 读不了：请改为另存为 Excel 工作簿（.xlsx），或用 docgen workbook --new -o 本单位.xlsx 生成填报工作簿后填写",
        "CSV 文件不是表单，docgen 读不了：请导入表单的 Word 或 Excel 版（.docx / .xlsx）",
    ),
    (
        "本单位.txt",
        "unit: 甲\nyear: 2022\n".encode(),
        "文件扩展名是 .txt：单位数据文件应为 .yaml、.yml 或 .json。若内容是按说明写的 YAML，请把文件名改为 本单位.yaml 再运行",
        "文本文件（.txt）不是表单：请导入表单的 Word 或 Excel 版（.docx / .xlsx）",
    ),
    (
        "收到.zip",
        ZIP,
        "这是压缩包：请先解压，再对解压出的文件或文件夹运行 docgen（如 docgen render 收到/）",
        "这是压缩包：请先解压，再对解压出的文件或文件夹运行 docgen（如 docgen import 收到/）",
    ),
    (
        "扫描件.jpg",
        b"\xff\xd8\xff\xe0" + b"\0" * 12,
        "这是图片（扫描件或截图），docgen 读不了图片中的文字：请用单位数据文件（.yaml / .json）或 Excel 填报工作簿",
        "这是图片（扫描件或截图），docgen 读不了图片中的文字：请用表单的 Word 或 Excel 版（.docx / .xlsx）",
    ),
    ("截图.png", PNG, "这是图片（扫描件或截图）", "这是图片（扫描件或截图）"),
    # the bytes belie the extension: a PDF or a picture saved under a unit file's name
    ("本单位.yaml", PDF, "这是 PDF 文件（打印版的表单），不是单位数据文件：请改名为 本单位.pdf", None),
    ("本单位.json", PNG, "这是图片（扫描件或截图）", None),
    ("表单", PDF, "这是 PDF 文件（打印版的表单）", "这是 PDF 文件（打印版的表单）"),
    # a unit file given to import
    (
        "本单位.yml",
        "unit: 甲\n".encode(),
        None,
        "这是单位数据文件，不是表单：直接运行 docgen render 本单位.yml 生成表单；要把表单上的修改写回它，用 docgen import 表单.docx --merge 本单位.yml",
    ),
]

UNIT_COMMANDS = [["render"], ["check"], ["score"], ["diff"], ["workbook", "-o", "out.xlsx"]]


def _run(tmp_path, command, name, data, *extra):
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out"
    args = [command[0], str(path), *command[1:], *extra]
    if command[0] in ("render", "import"):
        args += ["-o", str(out / "x.yaml" if command[0] == "import" else out)]
    result = runner.invoke(app, args)
    return result, path, out


@pytest.mark.parametrize("command", UNIT_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("name, data, unit_advice, forms_advice", [t for t in TYPES if t[2]], ids=lambda v: v if isinstance(v, str) and "." in v else "")
def test_unit_commands_say_what_the_file_is(tmp_path, command, name, data, unit_advice, forms_advice):
    result, path, out = _run(tmp_path, command, name, data)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"输入文件有误：{path}" and lines[1].startswith(f"  {path}: {unit_advice}"), result.output
    assert "UTF-8" not in result.output and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("merge", [False, True], ids=["import", "merge"])
@pytest.mark.parametrize("name, data, unit_advice, forms_advice", [t for t in TYPES if t[3]], ids=lambda v: v if isinstance(v, str) and "." in v else "")
def test_import_says_what_the_file_is(tmp_path, merge, name, data, unit_advice, forms_advice):
    target = tmp_path / "合并到.yaml"
    target.write_bytes(MINIMAL.read_bytes())
    extra = ["--merge", str(target)] if merge else []
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["import", str(path), *extra] if merge else ["import", str(path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[1].startswith(f"  {path}: {forms_advice}"), result.output
    assert "docx/.xlsx（或 soffice --headless --convert-to docx" not in result.output  # an .xls is not told to become a .docx
    assert not (tmp_path / "out.yaml").exists() and target.read_bytes() == MINIMAL.read_bytes()


def test_an_old_workbook_in_a_folder_is_told_to_become_xlsx(tmp_path):
    (tmp_path / "收到").mkdir()
    (tmp_path / "收到" / "本单位.xls").write_bytes(OLE)
    result = runner.invoke(app, ["import", str(tmp_path / "收到")])
    assert result.exit_code == 2
    assert f"{tmp_path / '收到' / '本单位.xls'}：这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx" in result.output


def test_a_missing_pdf_is_missing(tmp_path):
    result = runner.invoke(app, ["render", str(tmp_path / "表单.pdf")])
    assert result.exit_code == 2 and result.output.splitlines()[1] == f"  {tmp_path / '表单.pdf'}: 文件不存在"
