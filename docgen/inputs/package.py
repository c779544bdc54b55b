"""The one reader of received Office files (.docx, .xlsx, .xlsm): every command that
opens one (`import`, `check`, `render`, `score`, `diff`, batches, `review`) goes
through `open_package`, so a damaged, protected, macro or hostile file gets the same
Chinese message everywhere, and nothing is allocated before it is bounded.  A received
PDF is bounded by `pdf_bounds` before pdfminer parses it.

What is checked, before any part is parsed:

- the bytes: an OLE compound file (a password-protected Office file, or an old
  .doc/.xls renamed) is named as such; anything else must be a zip;
- the zip directory: at most `MAX_ENTRIES` parts, each declared at most
  `MAX_PART_BYTES` uncompressed, `MAX_TOTAL_BYTES` in all, none encrypted; then every
  part is decompressed through a stream that stops at its declared size (zipfile
  checks the CRC), so a cut or corrupt deflate stream is found here, not inside a
  parser;
- the content types: a macro document (.docm/.xlsm content) named .docx/.xlsx, or a
  Word file named .xlsx, is refused;
- every XML part that is parsed: no DTD (`<!DOCTYPE`, hence no entity, internal or
  external), at most `MAX_ELEMENTS` elements (counted on the bytes), parsed by lxml
  with entities and the network off;
- each worksheet, on its bytes before openpyxl reads it: its extent (the last row
  and column any cell names, cells without a reference counted on), its merged
  ranges, and the cells and shared strings of the whole workbook, against
  `MAX_SHEET_ROWS`, `MAX_SHEET_COLUMNS`, `MAX_SHEET_AREA`, `MAX_CELLS`,
  `MAX_SHARED_STRINGS`.

openpyxl then reads the checked bytes (with defusedxml, a dependency, for its own
parses).  The bounds are far above any real form or data-entry workbook: a 200-form
book is 6 MB of XML with 281,000 elements in its .docx and 400,000 cells in its .xlsx.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from docgen.errors import InputError, Problem

MAX_ENTRIES = 20_000  # parts in the zip (a 200-form book workbook has 209)
MAX_PART_BYTES = 64 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts, uncompressed
MAX_ELEMENTS = 1_000_000  # elements of one XML part parsed whole (a 200-form book's document: 281,000)
MAX_SHEET_ROWS = 50_000  # last row of a worksheet (a 2,000-project data-entry workbook: about 20,000)
MAX_SHEET_COLUMNS = 256  # last column of a worksheet (IV)
MAX_SHEET_AREA = 2_000_000  # rows x columns of a worksheet's extent
MAX_CELLS = 2_000_000  # cells of the whole workbook
MAX_SHARED_STRINGS = 500_000
MAX_TABLE_COLUMNS = 63  # Word: a table has at most 63 columns
MAX_FORM_ROWS = 10_000  # rows of one form's table or sheet

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .doc/.xls, or an encrypted .docx/.xlsx
_MB = 1024 * 1024

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": ("docx", False),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": ("docx", False),
    "application/vnd.ms-word.document.macroEnabled.main+xml": ("docx", True),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": ("docx", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ("xlsx", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": ("xlsx", False),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ("xlsx", True),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ("xlsx", True),
}
_NAMES = {"docx": "Word 文档（.docx）", "xlsx": "Excel 工作簿（.xlsx）", "pdf": "PDF 文件（.pdf）"}
_SAVE_AS = {"docx": "请在 Word 或 WPS 中另存为 .docx", "xlsx": "请在 Excel 或 WPS 中另存为 .xlsx"}

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br\s*=\s*[\"']\s*([A-Za-z]{1,4})([0-9]{1,12})\s*[\"']")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br\s*=\s*[\"']\s*([0-9]{1,12})\s*[\"']")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?([0-9]{1,12})$")

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_SS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def refused(path: Path, text: str) -> InputError:
    return InputError(path, [Problem((), text)])


def _why(exc: BaseException) -> str:
    """An exception named as a reader of the message can look it up (`zlib.error`, not `error`)."""
    name = type(exc).__name__
    return f"zlib.{name}" if isinstance(exc, zlib.error) else name


def unreadable(path: Path, exc: BaseException, kind: str) -> InputError:
    """What a parser still refuses in a file that passed the checks here: the one
    message of every command for it."""
    return refused(path, f"无法读取 {_NAMES[kind]}（{type(exc).__name__}）：文件已损坏，请重新保存或重新索取文件")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _cfb(path: Path, data: bytes, kind: str) -> InputError:
    """An OLE compound file: an Office file encrypted with a password (its zip package
    inside an `EncryptedPackage` stream), or an old binary .doc/.xls under a new name."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return refused(path, "文件受密码保护（已加密），docgen 无法读取：请在 Word/Excel/WPS 中打开，取消“用密码进行加密”后另存，再交给 docgen")
    return refused(path, f"这是旧版 Office 文件（.doc/.xls 二进制格式），只是扩展名为 {path.suffix}：{_SAVE_AS[kind]}")


@dataclass
class Package:
    """A received .docx/.xlsx whose directory and parts passed the bounds above."""

    path: Path
    data: bytes
    kind: str  # "docx" / "xlsx"
    main: str  # the main part (`word/document.xml`, `xl/workbook.xml`)
    zip: zipfile.ZipFile
    sizes: dict[str, int] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.sizes

    def read(self, name: str) -> bytes:
        """A part's bytes, decompressed through a stream that stops at its declared size."""
        try:
            with self.zip.open(name) as fh:
                data = fh.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError) as exc:
            raise self.damaged(f"{name} 无法解压：{_why(exc)}") from exc
        if len(data) > MAX_PART_BYTES:  # not reached: zipfile stops at the declared size, checked below the bound
            raise self.too_big(name, len(data))
        return data

    def xml(self, name: str) -> Any:
        """A part parsed whole, after its bytes passed the DTD and element bounds."""
        data = self.read(name)
        self.check_xml(name, data)
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise self.damaged(f"{name} 不是完整的 XML：{exc.msg}") from exc
        if root.getroottree().docinfo.doctype:  # a DTD the byte check did not see (another encoding): never used
            raise refused(self.path, f"文件中的 {name} 含有 DTD 或实体声明（<!DOCTYPE …>），Office 保存的文件不会有：可能是恶意构造的文件，未读取")
        return root

    def check_xml(self, name: str, data: bytes, elements: int = MAX_ELEMENTS) -> None:
        if _DOCTYPE.search(data):
            raise refused(self.path, f"文件中的 {name} 含有 DTD 或实体声明（<!DOCTYPE …>/<!ENTITY …>），Office 保存的文件不会有：可能是恶意构造的文件，未读取")
        count = data.count(b"<") - data.count(b"</")
        if count > elements:
            raise refused(self.path, f"文件中的 {name} 有约 {count:,} 个 XML 元素，超过上限 {elements:,} 个，不像表单文件：未读取")

    def damaged(self, detail: str) -> InputError:
        return refused(self.path, f"文件已损坏（{detail}）：请重新保存或重新索取文件")

    def too_big(self, name: str, size: int) -> InputError:
        return refused(
            self.path,
            f"文件中的 {name} 解压后有 {size / _MB:,.0f} MB，超过每个部分 {MAX_PART_BYTES // _MB} MB 的上限，不像表单文件（可能是“压缩炸弹”）：未读取",
        )

    def relations(self, part: str) -> list[tuple[str, str, str]]:
        """A part's internal relationships: (id, type, target part name)."""
        folder, _, base = part.rpartition("/")
        name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if not self.has(name):
            return []
        out = []
        for rel in self.xml(name).iter(f"{{{_PR}}}Relationship"):
            if rel.get("TargetMode") != "External":
                out.append((rel.get("Id", ""), rel.get("Type", ""), _resolve(folder, rel.get("Target", ""))))
        return out

    def rels(self, part: str) -> dict[str, str]:
        """A part's relationships: id -> target part name."""
        return {rid: target for rid, _, target in self.relations(part)}

    def related(self, part: str, type_suffix: str) -> list[str]:
        """The parts `part` relates to with a relationship type ending in `type_suffix`."""
        return [target for _, kind, target in self.relations(part) if kind.endswith(type_suffix)]


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in folder.split("/") if p] if folder else []
    for piece in target.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def open_package(path: Path, data: bytes, kind: str) -> Package:
    """`data` (the file `path`) as a checked package of `kind` ("docx" or "xlsx");
    raises `InputError` with what the file is when it cannot be read."""
    if data.startswith(_CFB):
        raise _cfb(path, data, kind)
    if not data.startswith(b"PK"):
        raise refused(path, f"文件已损坏，或不是 {_NAMES[kind]}（文件开头不是 Office 文件的格式）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, IndexError, struct.error) as exc:
        raise refused(path, f"文件已损坏，或不是 {_NAMES[kind]}（压缩包目录无法读取：{type(exc).__name__}）") from exc
    if len(infos) > MAX_ENTRIES:
        raise refused(path, f"文件有 {len(infos):,} 个部分，超过上限 {MAX_ENTRIES:,} 个，不像表单文件：未读取")
    package = Package(path, data, kind, "", archive)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refused(path, f"文件中的 {info.filename} 已加密（受密码保护），docgen 无法读取：请取消密码后另存")
        if info.file_size > MAX_PART_BYTES:
            raise package.too_big(info.filename, info.file_size)
        total += info.file_size
        package.sizes[info.filename] = info.file_size
    if total > MAX_TOTAL_BYTES:
        raise refused(path, f"文件解压后共有 {total / _MB:,.0f} MB，超过上限 {MAX_TOTAL_BYTES // _MB} MB，不像表单文件（可能是“压缩炸弹”）：未读取")
    for info in infos:  # every part decompressed once, bounded, discarding what it gives: a damaged stream is found now
        if not info.is_dir():
            _verify(package, info)
    package.main = _main_part(package)
    return package


def _verify(package: Package, info: zipfile.ZipInfo) -> None:
    try:
        with package.zip.open(info) as fh:
            read = 0
            while chunk := fh.read(1 << 20):
                read += len(chunk)
                if read > info.file_size:  # zipfile stops at the declared size; never trust it blindly
                    raise package.too_big(info.filename, read)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError) as exc:
        raise package.damaged(f"{info.filename} 无法解压：{_why(exc)}") from exc


def _main_part(package: Package) -> str:
    """The main part by the package's relationships, its kind by its content type."""
    path, kind = package.path, package.kind
    if not package.has("[Content_Types].xml"):
        raise refused(path, f"文件已损坏，或不是 {_NAMES[kind]}（缺少 [Content_Types].xml）")
    types = {}
    for override in package.xml("[Content_Types].xml").iter(f"{{{_CT}}}Override"):
        types[override.get("PartName", "").lstrip("/")] = override.get("ContentType", "")
    main = next((t for t in package.rels("").values() if types.get(t) in MAIN_TYPES), None)
    main = main or next((name for name, t in types.items() if t in MAIN_TYPES), None)
    if main is None:
        raise refused(path, f"文件已损坏，或不是 {_NAMES[kind]}（找不到文档的主体部分）")
    found, macro = MAIN_TYPES[types[main]]
    if found != kind:
        raise refused(path, f"这是 {_NAMES[found]}，扩展名却是 {path.suffix}：请改回正确的扩展名")
    if macro and path.suffix.lower() in (".docx", ".xlsx"):
        real = ".docm" if kind == "docx" else ".xlsm"
        raise refused(path, f"这是启用宏的文件（{real}），扩展名却是 {path.suffix}：docgen 不读取改名的宏文件；{_SAVE_AS[kind]}（不含宏）")
    if not package.has(main):
        raise refused(path, f"文件已损坏（缺少主体部分 {main}）")
    return main


# ------------------------------------------------------------------ workbooks


def sheet_names(package: Package) -> dict[str, str]:
    """Worksheet part -> the sheet's name, as the workbook lists them."""
    rels = package.rels(package.main)
    out = {}
    for sheet in package.xml(package.main).iter(f"{{{_SS}}}sheet"):
        target = rels.get(sheet.get(f"{{{_R}}}id", ""))
        if target:
            out[target] = sheet.get("name", target)
    return out


def check_workbook(package: Package) -> None:
    """Bound every worksheet and the shared strings on their bytes, before openpyxl reads them."""
    names = sheet_names(package)
    cells = 0
    for part in package.sizes:
        if part.startswith("xl/worksheets/") and part.endswith(".xml") and "/_rels/" not in part:
            data = package.read(part)
            if _DOCTYPE.search(data):
                package.check_xml(part, data)
            cells += _check_sheet(package, names.get(part, part), data)
            if cells > MAX_CELLS:
                raise refused(package.path, f"工作簿的单元格超过 {MAX_CELLS:,} 个，不像表单或数据录入工作簿：未读取")
    for part in package.sizes:
        if part.endswith("sharedStrings.xml"):
            data = package.read(part)
            count = sum(1 for _ in _SI.finditer(data))
            if count > MAX_SHARED_STRINGS:
                raise refused(
                    package.path, f"工作簿的共享字符串（{part}）有 {count:,} 个，超过上限 {MAX_SHARED_STRINGS:,} 个，不像表单或数据录入工作簿：未读取"
                )
            package.check_xml(part, data, elements=8 * MAX_SHARED_STRINGS)
    for part in package.sizes:
        if part.endswith((".xml", ".rels")) and not part.startswith("xl/worksheets/") and not part.endswith("sharedStrings.xml"):
            package.check_xml(part, package.read(part))


def _last_ref(pattern: re.Pattern[bytes], data: bytes, tag: bytes) -> re.Match[bytes] | None:
    """The reference of the sheet's last `tag` element (rows and cells come in order): a
    sheet a million rows long is refused from its end, before every row is counted."""
    start = data.rfind(b"<" + tag + b" ")
    return pattern.match(data, start) if start >= 0 else None


def _check_sheet(package: Package, title: str, data: bytes) -> int:
    """The sheet's cell count; refuses an extent or a merge beyond the bounds."""
    last_cell, last_row_ref = _last_ref(_CELL_REF, data, b"c"), _last_ref(_ROW_REF, data, b"row")
    if last_cell is not None and last_row_ref is not None:
        row = max(int(last_cell.group(2)), int(last_row_ref.group(1)))
        if row > MAX_SHEET_ROWS:
            _bound_extent(package, title, row, column_number(last_cell.group(1).decode()))
    count = 0
    max_row = max_col = 0
    referenced = 0
    for m in _CELL_REF.finditer(data):
        referenced += 1
        max_col = max(max_col, column_number(m.group(1).decode()))
        max_row = max(max_row, int(m.group(2)))
    count = sum(1 for _ in _CELL.finditer(data))
    rows = sum(1 for _ in _ROW.finditer(data))
    row_refs = [int(m.group(1)) for m in _ROW_REF.finditer(data)]
    # a row or cell without a reference comes after the one before it: counted on
    last_row = max(max_row, max(row_refs, default=0)) + (rows - len(row_refs))
    last_col = max_col + (count - referenced)
    _bound_extent(package, title, last_row, last_col)
    area = 0
    for m in _MERGE.finditer(data):
        ref = m.group(1).decode("ascii", "replace")
        corners = ref.split(":")
        matched = [_REF.match(c.strip()) for c in corners]
        found = [m for m in matched if m is not None]
        if len(corners) not in (1, 2) or len(found) != len(matched):
            raise refused(package.path, f"工作表「{title}」的合并单元格「{ref[:40]}」无法识别：文件已损坏")
        r1, c1 = int(found[0].group(2)), column_number(found[0].group(1))
        r2, c2 = int(found[-1].group(2)), column_number(found[-1].group(1))
        _bound_extent(package, title, max(r1, r2), max(c1, c2), ref)
        area += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
        if area > MAX_SHEET_AREA:
            raise refused(package.path, f"工作表「{title}」的合并单元格共超过 {MAX_SHEET_AREA:,} 格，不像表单或数据录入工作簿：未读取")
    return count


def _bound_extent(package: Package, title: str, row: int, col: int, merge: str = "") -> None:
    if row > MAX_SHEET_ROWS or col > MAX_SHEET_COLUMNS or row * col > MAX_SHEET_AREA:
        what = f"合并单元格 {merge} " if merge else f"单元格范围到 {_column_letters(min(col, 1 << 20))}{row}"
        raise refused(
            package.path,
            f"工作表「{title}」的{what}（第 {row:,} 行、第 {col:,} 列），超过上限（{MAX_SHEET_ROWS:,} 行、"
            f"{MAX_SHEET_COLUMNS} 列、共 {MAX_SHEET_AREA:,} 格），不像表单或数据录入工作簿：未读取",
        )


def open_workbook_package(path: Path, data: bytes) -> Package:
    package = open_package(path, data, "xlsx")
    check_workbook(package)
    return package
