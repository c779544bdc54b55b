"""A received PDF is bounded like a received Office file (`inputs.pdf_bounds.check_pdf`):
its size, its pages, every compressed stream inflated and the characters a page shows;
a damaged PDF is a clear message.  Each is refused in Chinese naming the file, exit 2,
quickly, in `import` and `check` alike."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.inputs import pdf_bounds as package

runner = CliRunner()


def pdf(pages: int = 1, text: str = "hello", content: bytes | None = None, flate: bool = False, pad: int = 0) -> bytes:
    """A PDF of `pages` pages, each showing `text` (or holding `content`) in Helvetica."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>"]
    objects.append(f"<</Type/Pages/Kids[{' '.join(f'{3 + 2 * i} 0 R' for i in range(pages))}]/Count {pages}>>".encode())
    font = 3 + 2 * pages
    for i in range(pages):
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 {font} 0 R>>>>/Contents {4 + 2 * i} 0 R>>".encode())
        body = content if content is not None else f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        body = zlib.compress(body, 9) if flate else body
        objects.append(b"<</Length %d%s>>stream\n" % (len(body), b"/Filter/FlateDecode" if flate else b"") + body + b"\nendstream")
    objects.append(b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
    out = b"%PDF-1.4\n" + b"".join(b"%d 0 obj" % n + o + b"\nendobj\n" for n, o in enumerate(objects, start=1))
    return out + (b"%" + b"x" * pad + b"\n" if pad else b"") + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def refused(tmp_path: Path, data: bytes, command: str = "check") -> str:
    path = tmp_path / "收到的自评表.pdf"
    path.write_bytes(data)
    started = time.monotonic()
    result = runner.invoke(app, [command, str(path)])
    assert time.monotonic() - started < 5
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "WARNING" not in result.output
    assert f"输入文件有误：{path}" in result.output
    return result.output


@pytest.mark.parametrize("command", ["check", "import"])
def test_a_compressed_bomb_is_refused_before_it_is_inflated(tmp_path, command):
    bomb = pdf(content=b" " * (40 << 20), flate=True)  # 40 MB of spaces in 40 KB
    assert len(bomb) < 1 << 20
    out = refused(tmp_path, bomb, command)
    assert "PDF 中的压缩数据解压后超过每个数据流 32 MB 的上限（可能是“压缩炸弹”），不像表单文件：未读取" in out


def test_too_many_pages(tmp_path):
    out = refused(tmp_path, pdf(pages=package.MAX_PDF_PAGES + 1))
    assert f"PDF 文件约有 {package.MAX_PDF_PAGES + 1:,} 页，超过上限 {package.MAX_PDF_PAGES:,} 页，不像表单文件：未读取" in out


@pytest.mark.parametrize("flate", [False, True])
def test_a_page_showing_too_many_characters_is_refused_before_it_is_parsed(tmp_path, flate):
    out = refused(tmp_path, pdf(text="A" * 50_000, flate=flate))
    assert "PDF 的一页内容显示约 50,000 个字符，超过每页 10,000 个的上限，不像表单文件：未读取" in out


def test_a_page_with_too_many_characters_is_refused_when_it_is_read(tmp_path):
    """Two content streams of one page, each under the bound: the page's characters counted as read."""
    body = b"BT /F1 12 Tf 72 720 Td (" + b"A" * 5_500 + b") Tj ET"
    data = pdf(text="A" * 5_500).replace(b"/Contents 4 0 R", b"/Contents [4 0 R 4 0 R]")
    assert body in data
    out = refused(tmp_path, data)
    assert "PDF 第 1 页有 11,000 个字符，超过每页 10,000 个的上限，不像表单文件：未读取" in out


def test_a_file_too_big(tmp_path):
    out = refused(tmp_path, pdf(pad=package.MAX_PDF_BYTES))
    assert "PDF 文件有 30 MB，超过上限 30 MB，不像表单文件：未读取" in out


@pytest.mark.parametrize(
    "data, text",
    [
        (pdf()[:150], "无法读取 PDF 文件（.pdf）（PdfminerException）：文件已损坏，请重新保存或重新索取文件"),
        (b"%PDF-1.4\n" + b"\x00garbage" * 100, "无法读取 PDF 文件（.pdf）（PdfminerException）：文件已损坏，请重新保存或重新索取文件"),
        (b"PK\x03\x04 not a pdf", "文件已损坏，或不是 PDF 文件（文件开头不是 %PDF-）"),
    ],
    ids=["cut", "garbage", "not-a-pdf"],
)
@pytest.mark.parametrize("command", ["check", "import"])
def test_a_damaged_pdf_is_a_clear_message(tmp_path, data, text, command):
    assert text in refused(tmp_path, data, command)


def test_a_small_pdf_passes_the_bounds(tmp_path):
    path = tmp_path / "a.pdf"
    data = pdf(pages=3, flate=True)
    package.check_pdf(path, data)  # nothing raised: under every bound
    out = refused(tmp_path, data)
    assert "没有可导入的表单：文件中没有表格，不是表单" in out  # read, and found to hold no form
