"""Received Office files that are damaged, protected, macro files or bombs: each is
built here (streaming, into the test's folder), and every command that reads it
(`check`, `import`, `render`, `score`, a folder check and `review`) answers the same
Chinese message with exit 2, in under 5 s and 500 MB (measured in a subprocess),
writing nothing and leaving the file as it was."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .office_files import blank_docx, blank_xlsx, repeat, rewrite

GIB = 1 << 30
WNS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SNS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {WNS}><w:body>'.encode()
DOC_TAIL = b"</w:body></w:document>"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {SNS}><sheetData>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'

# The wrapper: runs one docgen command in this fresh process, then writes its exit code
# and its peak memory (VmHWM of /proc/self/status, KB: this process's own peak, where
# ru_maxrss would carry the forking test process's over exec) to the file named by DOCGEN_TEST_PEAK.
WRAPPER = """
import re, resource, sys
sys.argv = ["docgen", *sys.argv[1:]]
from docgen.cli.app import main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
import os
with open(os.environ["DOCGEN_TEST_PEAK"], "w") as fh:
    peak = re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read()).group(1)
    used = resource.getrusage(resource.RUSAGE_SELF)
    fh.write(f"{code} {peak} {used.ru_utime + used.ru_stime}")
"""


def _docx(tmp: Path, parts: dict) -> bytes:
    base = tmp / "base.docx"
    base.write_bytes(blank_docx())
    return rewrite(base, tmp / "built.docx", parts).read_bytes()


def _xlsx(tmp: Path, parts: dict) -> bytes:
    base = tmp / "base.xlsx"
    base.write_bytes(blank_xlsx())
    return rewrite(base, tmp / "built.xlsx", parts).read_bytes()


def _sheet(rows: bytes) -> bytes:
    return SHEET_HEAD + rows + SHEET_TAIL


def _patched(data: bytes, name: str, change: Callable[[bytearray, int, int], None]) -> bytes:
    """`data` (a zip) with the local and central headers of part `name` changed by
    `change(buffer, local header offset, central header offset)`."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
        offset = z.start_dir
    central = offset
    while buf[central : central + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack("<HHH", buf[central + 28 : central + 34])
        if bytes(buf[central + 46 : central + 46 + n]).decode() == name:
            change(buf, info.header_offset, central)
            return bytes(buf)
        central += 46 + n + m + k
    raise AssertionError(name)


def _declared_small(data: bytes, name: str) -> bytes:
    """The part declared 1,000 bytes uncompressed while its stream inflates to far more."""

    def change(buf: bytearray, local: int, central: int) -> None:
        struct.pack_into("<I", buf, local + 22, 1000)
        struct.pack_into("<I", buf, central + 24, 1000)

    return _patched(data, name, change)


def _encrypted_flag(data: bytes, name: str) -> bytes:
    def change(buf: bytearray, local: int, central: int) -> None:
        buf[local + 6] |= 1
        buf[central + 8] |= 1

    return _patched(data, name, change)


def _corrupt_stream(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    buf = bytearray(data)
    n, m = struct.unpack("<HH", buf[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + n + m
    for i in range(start + 2, start + min(info.compress_size, 40)):
        buf[i] ^= 0x5A
    return bytes(buf)


def _cfb(encrypted: bool) -> bytes:
    """An OLE compound file's first sector and a directory naming its streams."""
    names = ["EncryptionInfo", "EncryptedPackage"] if encrypted else ["WordDocument", "1Table"]
    directory = b"".join(n.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for n in names)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + directory.ljust(512, b"\0")


def _rows(count: int) -> bytes:
    return b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(1, count + 1))


def _table(rows: int = 1, span: str = "") -> bytes:
    cell = f"<w:tc>{span}<w:p><w:r><w:t>项目名称</w:t></w:r></w:p></w:tc>".encode()
    return (
        DOC_HEAD + b"<w:tbl>" + b"<w:tr>" + cell + b"</w:tr>" + b"<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>" * rows + b"</w:tbl>" + DOC_TAIL
    )


CT_DOCX = "word/document.xml"
MACRO_DOCX = b"application/vnd.ms-word.document.macroEnabled.main+xml"
MAIN_DOCX = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_XLSX = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MAIN_XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _content_types(tmp: Path, maker: Callable, old: bytes, new: bytes) -> bytes:
    data = maker(tmp, {})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
    assert old in types
    return maker(tmp, {"[Content_Types].xml": types.replace(old, new)})


# name -> (suffix, builder(tmp) -> bytes, the message's words)
CASES: dict[str, tuple[str, Callable[[Path], bytes], str]] = {
    "docx: the document inflates to 1 GiB": (
        ".docx",
        lambda t: _docx(t, {CT_DOCX: repeat(DOC_HEAD, b"<w:p/>", GIB // 6, DOC_TAIL)}),
        "文件中的 word/document.xml 解压后有 1,024 MB，超过每个部分 64 MB 的上限",
    ),
    "docx: 40 million empty paragraphs": (
        ".docx",
        lambda t: _docx(t, {CT_DOCX: repeat(DOC_HEAD, b"<w:p/>", 40_000_000, DOC_TAIL)}),
        "word/document.xml 解压后有 229 MB",
    ),
    "docx: 5 million empty paragraphs (within the size bound)": (
        ".docx",
        lambda t: _docx(t, {CT_DOCX: repeat(DOC_HEAD, b"<w:p/>", 5_000_000, DOC_TAIL)}),
        "word/document.xml 有约 5,000,003 个 XML 元素，超过上限 1,000,000 个",
    ),
    "docx: a part docgen does not need inflates to 1 GiB": (
        ".docx",
        lambda t: _docx(t, {"word/media/image9.png": repeat(b"", b"\0" * 4096, GIB // 4096, b"")}),
        "文件中的 word/media/image9.png 解压后有 1,024 MB",
    ),
    "docx: a part declared small that inflates to 100 MB": (
        ".docx",
        lambda t: _declared_small(_docx(t, {"word/media/image9.png": repeat(b"", b"\0" * 4096, 25_600, b"")}), "word/media/image9.png"),
        "文件已损坏（word/media/image9.png 无法解压：BadZipFile）",
    ),
    "docx: gridSpan=400000000": (
        ".docx",
        lambda t: _docx(t, {CT_DOCX: _table(span='<w:tcPr><w:gridSpan w:val="400000000"/></w:tcPr>')}),
        "表格跨 400,000,000 列（gridSpan），Word 表格最多 63 列",
    ),
    "docx: gridBefore=400000000": (
        ".docx",
        lambda t: _docx(t, {CT_DOCX: _table().replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="400000000"/></w:trPr>', 1)}),
        "表格跨 400,000,000 列（gridBefore）",
    ),
    "docx: 100,000 indicator rows": (".docx", lambda t: _docx(t, {CT_DOCX: _table(rows=100_000)}), "表格有 100,001 行，超过一张表单的上限 10,000 行"),
    "docx: billion laughs": (
        ".docx",
        lambda t: _docx(t, {CT_DOCX: (LAUGHS + f"<w:document {WNS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>").encode()}),
        "word/document.xml 含有 DTD 或实体声明",
    ),
    "docx: an external entity": (
        ".docx",
        lambda t: _docx(t, {CT_DOCX: (EXTERNAL + f"<w:document {WNS}><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>").encode()}),
        "含有 DTD 或实体声明",
    ),
    "docx: an entity declared in a UTF-16 document": (
        ".docx",
        lambda t: _docx(
            t,
            {
                CT_DOCX: (
                    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
                    + f"<w:document {WNS}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
                ).encode("utf-16")
            },
        ),
        "文件中的 word/document.xml 含有 DTD 或实体声明",
    ),
    "docx: a macro document renamed .docx": (".docx", lambda t: _content_types(t, _docx, MAIN_DOCX, MACRO_DOCX), "这是启用宏的文件（.docm），扩展名却是 .docx"),
    "docx: password-protected": (".docx", lambda t: _cfb(True), "文件受密码保护（已加密），docgen 无法读取"),
    "docx: an old .doc renamed": (".docx", lambda t: _cfb(False), "这是旧版 Office 文件（.doc/.xls 二进制格式），只是扩展名为 .docx"),
    "docx: an encrypted zip entry": (".docx", lambda t: _encrypted_flag(_docx(t, {}), CT_DOCX), "文件中的 word/document.xml 已加密（受密码保护）"),
    "docx: a corrupt deflate stream": (".docx", lambda t: _corrupt_stream(_docx(t, {}), CT_DOCX), "文件已损坏（word/document.xml 无法解压"),
    "docx: cut short": (".docx", lambda t: _docx(t, {})[:-300], "文件已损坏，或不是 Word 文档（.docx）（压缩包目录无法读取"),
    "docx: an Excel workbook named .docx": (".docx", lambda t: blank_xlsx(), "这是 Excel 工作簿（.xlsx），扩展名却是 .docx"),
    "xlsx: a sheet inflates to 1 GiB": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/worksheets/sheet1.xml": repeat(SHEET_HEAD, b"<row/>", GIB // 6, SHEET_TAIL)}),
        "文件中的 xl/worksheets/sheet1.xml 解压后有 1,024 MB",
    ),
    "xlsx: the shared strings inflate to 1 GiB": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/sharedStrings.xml": repeat(f"<sst {SNS}>".encode(), b"<si><t>x</t></si>", GIB // 17, b"</sst>")}),
        "文件中的 xl/sharedStrings.xml 解压后有 1,024 MB",
    ),
    "xlsx: a part docgen does not need inflates to 1 GiB": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/media/image1.png": repeat(b"", b"\0" * 4096, GIB // 4096, b"")}),
        "文件中的 xl/media/image1.png 解压后有 1,024 MB",
    ),
    "xlsx: one cell at XFD1048576": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/worksheets/sheet1.xml": _sheet(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')}),
        "单元格范围到 XFD1048576（第 1,048,576 行、第 16,384 列）",
    ),
    "xlsx: one cell at row 100,000,000": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/worksheets/sheet1.xml": _sheet(b'<row r="100000000"><c r="A100000000"><v>1</v></c></row>')}),
        "单元格范围到 A100000000（第 100,000,000 行、第 1 列）",
    ),
    "xlsx: a merge over the whole sheet": (
        ".xlsx",
        lambda t: _xlsx(
            t,
            {
                "xl/worksheets/sheet1.xml": SHEET_HEAD
                + b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>'
            },
        ),
        "工作表「Sheet」的合并单元格 A1:XFD1048576 （第 1,048,576 行、第 16,384 列），超过上限",
    ),
    "xlsx: 1,000,000 rows": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/worksheets/sheet1.xml": _sheet(_rows(1_000_000))}),
        "单元格范围到 A1000000（第 1,000,000 行、第 1 列）",
    ),
    "xlsx: 100,000 indicator rows": (".xlsx", lambda t: _xlsx(t, {"xl/worksheets/sheet1.xml": _sheet(_rows(100_000))}), "单元格范围到 A100000"),
    "xlsx: 3 million shared strings": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/sharedStrings.xml": repeat(f'<sst {SNS} count="3000000">'.encode(), b"<si><t>x</t></si>", 3_000_000, b"</sst>")}),
        "共享字符串（xl/sharedStrings.xml）有 3,000,000 个，超过上限 500,000 个",
    ),
    "xlsx: billion laughs in a sheet": (
        ".xlsx",
        lambda t: _xlsx(
            t,
            {
                "xl/worksheets/sheet1.xml": (
                    LAUGHS + f'<worksheet {SNS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
                ).encode()
            },
        ),
        "xl/worksheets/sheet1.xml 含有 DTD 或实体声明",
    ),
    "xlsx: an external entity in the shared strings": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/sharedStrings.xml": (EXTERNAL + f"<sst {SNS}><si><t>&secret;</t></si></sst>").encode()}),
        "xl/sharedStrings.xml 含有 DTD 或实体声明",
    ),
    "xlsx: a cut sheet": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/worksheets/sheet1.xml": _sheet(_rows(3))[:-40]}),
        "无法读取 Excel 工作簿（.xlsx）（ParseError）：文件已损坏",
    ),
    "xlsx: a garbage sheet": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/worksheets/sheet1.xml": b"\x00\x01garbage<<<"}),
        "无法读取 Excel 工作簿（.xlsx）（ParseError）：文件已损坏",
    ),
    "xlsx: a corrupt deflate stream": (
        ".xlsx",
        lambda t: _corrupt_stream(_xlsx(t, {}), "xl/worksheets/sheet1.xml"),
        "文件已损坏（xl/worksheets/sheet1.xml 无法解压",
    ),
    "xlsx: an encrypted zip entry": (".xlsx", lambda t: _encrypted_flag(_xlsx(t, {}), "xl/worksheets/sheet1.xml"), "已加密（受密码保护）"),
    "xlsx: no styles.xml": (
        ".xlsx",
        lambda t: _xlsx(t, {"xl/styles.xml": None}),
        "不是 docgen 单位数据工作簿（缺少工作表「单位」「项目」），也不是可导入的表单",
    ),
    "xlsx: password-protected": (".xlsx", lambda t: _cfb(True), "文件受密码保护（已加密），docgen 无法读取"),
    "xlsx: a macro workbook renamed .xlsx": (".xlsx", lambda t: _content_types(t, _xlsx, MAIN_XLSX, MACRO_XLSX), "这是启用宏的文件（.xlsm），扩展名却是 .xlsx"),
    "xlsx: a Word document named .xlsx": (".xlsx", lambda t: blank_docx(), "这是 Word 文档（.docx），扩展名却是 .xlsx"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`built(name)` -> the case's file, written once per module into a folder of its own."""
    cache: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in cache:
            suffix, make, _ = CASES[name]
            folder = tmp_path_factory.mktemp("received")
            data = make(folder)
            for leftover in folder.iterdir():
                leftover.unlink()
            path = folder / f"收到{suffix}"
            path.write_bytes(data)
            cache[name] = path
        return cache[name]

    return get


def docgen(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """Run `docgen ARGS` in a fresh process: exit code, stderr+stdout, CPU seconds (the
    machine is shared: wall time measures the neighbours), peak MB."""
    peak = cwd / "peak.txt"
    env = {**os.environ, "DOCGEN_TEST_PEAK": str(peak)}
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    code, kb, seconds = peak.read_text().split()
    peak.unlink()
    return int(code), done.stderr + done.stdout, float(seconds), int(kb) / 1024


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_or_damaged_file_is_refused_quickly_and_clearly(name, built, tmp_path):
    path = built(name)
    before = _snapshot(path.parent)
    code, output, seconds, peak = docgen(["check", str(path)], tmp_path)
    assert code == 2, output
    assert CASES[name][2] in output, output
    assert "Traceback" not in output and "内部错误" not in output
    assert seconds < 5 and peak < 500, (seconds, peak)
    assert _snapshot(path.parent) == before and not list(tmp_path.iterdir())


COMMANDS = {
    "import": lambda path, out: ["import", str(path), "-o", str(out / "u.yaml")],
    "render": lambda path, out: ["render", str(path), "-o", str(out / "out")],
    "score": lambda path, out: ["score", str(path)],
    "check of the folder": lambda path, out: ["check", str(path.parent)],
    "review": lambda path, out: ["review", str(path), "-o", str(out / "审核.xlsx"), "--letters", str(out / "letters")],
}
EVERY_COMMAND = [
    "docx: the document inflates to 1 GiB",
    "docx: gridSpan=400000000",
    "docx: a macro document renamed .docx",
    "docx: password-protected",
    "xlsx: a merge over the whole sheet",
    "xlsx: 3 million shared strings",
    "xlsx: a corrupt deflate stream",
    "xlsx: a cut sheet",
    "xlsx: billion laughs in a sheet",
]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("name", EVERY_COMMAND)
def test_every_command_gives_the_same_message(name, command, built, tmp_path):
    path = built(name)
    before = _snapshot(path.parent)
    code, output, seconds, peak = docgen(COMMANDS[command](path, tmp_path), tmp_path)
    assert code == 2, output
    assert CASES[name][2] in output, output
    assert "Traceback" not in output and "内部错误" not in output
    assert seconds < 5 and peak < 500, (seconds, peak)
    assert _snapshot(path.parent) == before
    if command == "review":  # the review workbook lists the unusable input, with the same message; no letter
        from openpyxl import load_workbook

        cells = [str(c.value) for ws in load_workbook(tmp_path / "审核.xlsx").worksheets for row in ws.iter_rows() for c in row if c.value]
        assert any(CASES[name][2] in c for c in cells), cells
        assert [p.name for p in tmp_path.iterdir()] == ["审核.xlsx"]
    else:
        assert not list(tmp_path.iterdir())


def test_the_bounds_leave_a_real_book_alone(tmp_path):
    """The bounds are far above a real form: a rendered 自评表 passes every one of them."""
    from docgen import render_file
    from docgen.build.plan import RenderOptions
    from docgen.inputs.package import check_workbook, open_package

    example = Path(__file__).resolve().parents[2] / "data" / "examples" / "shanghai-dpf-2022.yaml"
    files = render_file(example, tmp_path, options=RenderOptions(layout=False)).files
    for f in files:
        package = open_package(f, f.read_bytes(), "docx" if f.suffix == ".docx" else "xlsx")
        assert package.main == ("word/document.xml" if f.suffix == ".docx" else "xl/workbook.xml")
        if f.suffix == ".xlsx":
            check_workbook(package)
    assert {f.suffix for f in files} == {".docx", ".xlsx"} and any("汇总表" in f.name for f in files)
