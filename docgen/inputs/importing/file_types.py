"""Files given to docgen that are neither a unit file nor a form it reads: a PDF, an old
.xls or .doc, a CSV, a text file, an archive, an image.  Each gets what to do instead,
worded for what the command wanted (`UNIT`: render, check, score, diff, workbook;
`FORMS`: import), before any parser meets the bytes and calls them "not UTF-8".

A type is known by its extension, or, for a file whose extension says nothing, by its
first bytes (a PDF saved as `.yaml` still starts `%PDF`)."""

from __future__ import annotations

from pathlib import Path

UNIT = "unit"  # a unit file: .yaml / .yml / .json, a data-entry workbook, a printed form
FORMS = "forms"  # printed forms: .docx / .xlsx / .xlsm

_SUFFIXES = {
    ".pdf": "pdf",
    ".ofd": "ofd",
    ".xls": "old-excel",
    ".et": "old-excel",
    ".ett": "old-excel",
    ".doc": "old-word",
    ".wps": "old-word",
    ".wpt": "old-word",
    ".csv": "csv",
    ".txt": "txt",
    ".zip": "archive",
    ".rar": "archive",
    ".7z": "archive",
    **{s: "image" for s in (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic")},
    ".yaml": "unit",
    ".yml": "unit",
    ".json": "unit",
}

_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old-office"),  # OLE2: an .xls or a .doc
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"II*\0", "image"),
    (b"MM\0*", "image"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
)

_READ = (".docx", ".xlsx", ".xlsm")  # what docgen reads: its readers word their own errors
_WORKBOOK = "docgen workbook --new -o 本单位.xlsx"


def file_type(path: Path, head: bytes = b"") -> str | None:
    """The kind of file `path` is (`pdf`, `old-excel`…), from its extension or, failing
    that, its first bytes; None for what docgen reads (or cannot tell)."""
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind not in (None, "unit") or path.suffix.lower() in _READ:
        return kind  # a password-protected .xlsx is an OLE file too: its reader says so
    for magic, found in _MAGIC:  # no extension, or a unit file's that its bytes belie
        if head.startswith(magic):
            return found
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    return kind


def advice(path: Path, wanted: str, head: bytes = b"") -> str | None:
    """What to do with `path` instead, when it is not what the command `wanted` (`UNIT`
    or `FORMS`) and docgen knows what it is; None when the file may be read."""
    kind = file_type(path, head)
    name, stem = path.name, path.stem
    form = f"{stem}.docx"
    if kind == "pdf" and path.suffix.lower() == ".pdf":
        return None  # a printed form's digital PDF is read like a .docx (importing/pdf.py); a scan is refused there
    if kind == "pdf":
        if wanted == FORMS:
            return f"这是 PDF 文件（打印版的表单），但文件名不以 .pdf 结尾：请改名为 {stem}.pdf 再导入（可复制文字的 PDF 能直接读取）"
        return f"这是 PDF 文件（打印版的表单），不是单位数据文件：请改名为 {stem}.pdf，再用 docgen check {stem}.pdf 核对或 docgen import {stem}.pdf -o 本单位.yaml 读回数据"
    if kind == "ofd":
        what = "OFD 版式文件"
        read_back = f"要读回表单上的数据，请用同一张表单的 Word 或 Excel 版（.docx / .xlsx）：docgen import {form} -o 本单位.yaml"
        if wanted == FORMS:
            return f"这是 {what}（打印版的表单），docgen 读不了其中的数据。{read_back}；只有 {what}时，可在 WPS 或 Word 中打开它，另存为 .docx 后再导入"
        return f"这是 {what}（打印版的表单），不是单位数据文件，docgen 读不了。{read_back}；要填写新数据，用 {_WORKBOOK} 生成填报工作簿"
    if kind == "old-excel":
        return (
            f"这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx（文件 → 另存为 → Excel 工作簿），或运行 soffice --headless --convert-to xlsx {name}"
        )
    if kind == "old-word":
        return f"这是旧版 Word/WPS 文档：请在 Word 或 WPS 中另存为 .docx（文件 → 另存为 → Word 文档），或运行 soffice --headless --convert-to docx {name}"
    if kind == "old-office":
        return "这是旧版 Office/WPS 文件：工作簿请在 Excel 或 WPS 中另存为 .xlsx，文档请另存为 .docx，再运行 docgen"
    if kind == "csv":
        if wanted == FORMS:
            return "CSV 文件不是表单，docgen 读不了：请导入表单的 Word 或 Excel 版（.docx / .xlsx）；若是从 Excel 另存的，请改为另存为 Excel 工作簿（.xlsx）"
        return f"CSV 文件只存一张表，docgen 读不了：请改为另存为 Excel 工作簿（.xlsx），或用 {_WORKBOOK} 生成填报工作簿后填写"
    if kind == "txt":
        if wanted == FORMS:
            return "文本文件（.txt）不是表单：请导入表单的 Word 或 Excel 版（.docx / .xlsx）"
        return f"文件扩展名是 .txt：单位数据文件应为 .yaml、.yml 或 .json。若内容是按说明写的 YAML，请把文件名改为 {stem}.yaml 再运行"
    if kind == "archive":
        folder = f"{stem}/"
        command = f"docgen import {folder}" if wanted == FORMS else f"docgen render {folder}"
        return f"这是压缩包：请先解压，再对解压出的文件或文件夹运行 docgen（如 {command}）"
    if kind == "image":
        instead = "表单的 Word 或 Excel 版（.docx / .xlsx）" if wanted == FORMS else f"单位数据文件（.yaml / .json）或 Excel 填报工作簿（{_WORKBOOK}）"
        return f"这是图片（扫描件或截图），docgen 读不了图片中的文字：请用{instead}"
    if kind == "unit" and wanted == FORMS:
        return f"这是单位数据文件，不是表单：直接运行 docgen render {name} 生成表单；要把表单上的修改写回它，用 docgen import 表单.docx --merge {name}"
    return None
