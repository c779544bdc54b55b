"""Stage 1: read a unit file (YAML or JSON) into plain data plus a line map.

JSON is read by the same YAML 1.2 parser, so both formats report line numbers.
Floats are constructed as `Decimal` from their source text: `1943200.00` must never
pass through a binary float on its way to a printed amount.

The file is untrusted input, so reading it is bounded (see the limits below): its
size, how deep it nests and how many values it holds once YAML aliases (`*name`)
are expanded (nine anchors each aliased nine times would otherwise expand into
387 million values).  Anchors and aliases themselves stay legal.

The YAML is composed into ruamel's node graph with the plain (not round-trip)
scanner: the round-trip scanner (`RoundTripScanner.get_token`) attaches a run of
comment lines to one token by popping each comment token off the front of its token
list and appending its text to the comment string so far, both quadratic in the
number of comment lines (8 MB of comments took 5 s, 16 MB 24 s); docgen needs no
comments.  Data and line numbers are then built
from the nodes here, where aliases can be counted.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scanner import Scanner

from docgen.errors import InputError, Problem
from docgen.parse import fast as fast_parse
from docgen.parse.hints import explain as _explain
from docgen.parse.hints import hint as _hint
from docgen.parse.hints import unclosed_quote as _unclosed_quote

FieldPath = tuple[str | int, ...]

# Limits on a unit file (documented in the docs, "Limits").  A real unit file is a few
# hundred kilobytes: 200 projects hold about 50,000 values nested 6 deep.
MAX_FILE_BYTES = 50 * 1024 * 1024  # size of the file
MAX_NODES = 1_000_000  # values (mappings, lists, scalars) after aliases are expanded
MAX_DEPTH = 64  # nesting of lists and mappings


@dataclass
class LoadedFile:
    """Plain data (dicts, lists, str, int, Decimal, date) and where each field sits."""

    path: Path
    data: Any
    lines: dict[FieldPath, int | str]  # a line number, or a workbook's cell (`项目!F5`)
    text: str = ""  # the file as read (a workbook's data as JSON), kept in an output folder's manifest

    def line_of(self, path: FieldPath) -> int | str | None:
        """The line of `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class _Constructor(SafeConstructor):
    def construct_yaml_float(self, node: Any) -> Any:
        text = str(node.value).replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return text  # .inf / .nan: leave as text so validation names the field
        return value if value.is_finite() else text


_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
# A plain `=` (as in `target: =`) resolves to YAML 1.1's "value" type: it is text here.
_Constructor.add_constructor("tag:yaml.org,2002:value", SafeConstructor.construct_yaml_str)

_COMMENT_END = re.compile("[\0\r\n\x85\u2028\u2029]")


class _Scanner(Scanner):
    """ruamel's scanner, skipping a comment in one step instead of one call per
    character (the whole text is in the reader's buffer: we always parse a str)."""

    def scan_to_next_token(self) -> Any:
        reader = self.reader
        srp, srf = reader.peek, reader.forward
        if reader.index == 0 and srp() == "\ufeff":
            srf()
        white_space = " \t" if self.flow_level > 0 else " "
        while True:
            while srp() in white_space:
                srf()
            if srp() == "#":
                end = _COMMENT_END.search(reader.buffer, reader.pointer)
                length = (end.start() if end else len(reader.buffer)) - reader.pointer
                reader.pointer += length
                reader.index += length
                reader.column += length
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                return None


class _Composer(Composer):
    """Remembers where the first alias is, for the message about an alias bomb."""

    first_alias: Any = None

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.first_alias is None and self.parser.check_event(AliasEvent):
            self.first_alias = self.parser.peek_event().start_mark
        return super().compose_node(parent, index)


class _TooBig(Exception):
    def __init__(self, text: str, line: int | None):
        super().__init__(text)
        self.text, self.line = text, line


def _parser() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = _Scanner
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    yaml.max_depth = MAX_DEPTH
    return yaml


def read_bytes(path: Path) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes of a regular file; never blocks on a FIFO or a
    device and never reads /dev/zero without end."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise InputError(path, [Problem((), "文件不存在")]) from exc
    except IsADirectoryError as exc:
        raise InputError(path, [Problem((), "这是一个目录，不是数据文件")]) from exc
    except OSError as exc:
        raise InputError(path, [Problem((), f"无法读取文件（{exc.strerror}）")]) from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, [Problem((), "这是一个目录，不是数据文件")])
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, [Problem((), "这不是普通文件（是管道、设备或套接字），请给出保存在磁盘上的数据文件")])
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = info.st_size if info.st_size > MAX_FILE_BYTES else 0  # too big: refused without reading it
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read: never past the limit
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(path, [Problem((), f"无法读取文件（{exc.strerror}）")]) from exc
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise InputError(path, [Problem((), f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，不像单位数据文件（实际的数据文件只有几百 KB）")])
    return b"".join(chunks)


def _looks_like_gb(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def decode(data: bytes, path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), or UTF-16/32 with a BOM; newlines
    made `\\n` as `Path.read_text` does.  GBK/GB18030 and BOM-less UTF-16 are refused
    with what to do about it."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if encoding == "utf-8" and b"\0" in data[:200]:
            raise InputError(path, [Problem((), "文件似乎是没有 BOM 的 UTF-16 编码，请另存为 UTF-8")]) from exc
        if encoding == "utf-8" and _looks_like_gb(data):
            hint = "文件似乎是 GBK/GB18030 编码（Windows 中文默认编码），请另存为 UTF-8（记事本：另存为 → 编码选 UTF-8）"
        else:
            hint = f"文件不是 UTF-8 编码的文本（第 {line} 行有无法识别的字节），请另存为 UTF-8"
        raise InputError(path, [Problem((), hint, line=line)]) from exc
    if encoding == "utf-8" and "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise InputError(path, [Problem((), "文件含有空字符（NUL），似乎是没有 BOM 的 UTF-16 文件或二进制文件，请另存为 UTF-8 文本", line=line)])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, path: Path) -> LoadedFile:
    """Parse `text` whole, in this process."""
    if not text.strip():
        raise InputError(path, [Problem((), "文件为空", line=1)])
    yaml = _parser()
    root = fast_parse.compose(text)
    if root is not None and _fits(root):
        return _built(yaml, root, text, path)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        opened = exc.context_mark if _unclosed_quote(exc.problem, exc.context) else None  # where the quote opens
        mark = opened or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or ""
        if "maximum depth" in str(what):
            raise InputError(path, [Problem((), f"数据嵌套超过 {MAX_DEPTH} 层，不像单位数据文件（列表或字段套得太深）", line=line)]) from exc
        hint = _hint(text, line)
        if hint is not None:  # a slip the parser noticed a line or two later
            raise InputError(path, [Problem((), f"语法错误：{hint[0]}", line=hint[1])]) from exc
        column = f"第 {line} 行第 {mark.column + 1} 列" if mark is not None else ""
        raise InputError(path, [Problem((), f"语法错误：{_explain(exc.problem, exc.context)}", line=line, what=column)]) from exc
    except YAMLError as exc:  # no place known: the Chinese catch-all, not the parser's English
        raise InputError(path, [Problem((), f"语法错误：{_explain(None, None)}")]) from exc
    except RecursionError as exc:  # not expected below MAX_DEPTH; never a traceback
        raise InputError(path, [Problem((), f"数据嵌套超过 {MAX_DEPTH} 层，不像单位数据文件")]) from exc
    if root is None:
        raise InputError(path, [Problem((), "文件为空", line=1)])
    if isinstance(root, ScalarNode):  # `unit：甲` alone reads as one text, not as a field
        hint = _hint(text, root.end_mark.line + 1)
        if hint is not None:
            raise InputError(path, [Problem((), f"语法错误：{hint[0]}", line=hint[1])])
    first_alias = yaml.composer.first_alias
    try:
        _measure(root, first_alias.line + 1 if first_alias is not None else None)
    except _TooBig as exc:
        raise InputError(path, [Problem((), exc.text, line=exc.line)]) from None
    return _built(yaml, root, text, path)


def _fits(root: Any) -> bool:
    """Within the limits (a root over them is parsed again by the pure parser, which words
    the message) and not a lone text (the pure path has a hint for `unit：甲`)?"""
    if isinstance(root, ScalarNode):
        return False
    try:
        _measure(root, None)
    except _TooBig:
        return False
    return True


def _built(yaml: YAML, root: Any, text: str, path: Path) -> LoadedFile:
    lines: dict[FieldPath, int | str] = {(): 1}
    builder = _Builder(yaml.constructor, path, lines)
    data = builder.plain(root, ())
    return LoadedFile(path=path, data=data, lines=lines, text=text)


def _measure(root: Any, alias_line: int | None) -> None:
    """Refuse a node graph that expands (aliases followed) to more than MAX_NODES values
    or nests deeper than MAX_DEPTH, before expanding it.  Each node is visited once."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded values, expanded depth)
    busy: set[int] = set()

    def visit(node: Any) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise _TooBig("别名（*）引用了包含它自己的锚点（&），数据会无限展开", node.start_mark.line + 1)
        if isinstance(node, ScalarNode):
            return 1, 0
        busy.add(key)
        children = [c for pair in node.value for c in pair] if isinstance(node, MappingNode) else list(node.value)
        count, depth = 1, 0
        for child in children:
            c_count, c_depth = visit(child)
            count += c_count
            depth = max(depth, c_depth + 1)
            if count > MAX_NODES:
                raise _TooBig(
                    f"别名（*）展开后数据超过 {MAX_NODES:,} 个值，不像单位数据文件（可能是层层引用的“别名炸弹”）"
                    + (f"；第一个别名在第 {alias_line} 行" if alias_line else ""),
                    alias_line or node.start_mark.line + 1,
                )
            if depth > MAX_DEPTH:
                raise _TooBig(
                    f"数据嵌套超过 {MAX_DEPTH} 层，不像单位数据文件" + (f"（别名展开后；第一个别名在第 {alias_line} 行）" if alias_line else ""),
                    alias_line or node.start_mark.line + 1,
                )
        busy.discard(key)
        sizes[key] = (count, depth)
        return sizes[key]

    visit(root)


_MERGE = "tag:yaml.org,2002:merge"
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Builder:
    """Plain containers from ruamel's nodes, recording line numbers."""

    def __init__(self, constructor: Any, path: Path, lines: dict[FieldPath, int | str]):
        self.constructor = constructor
        self.path = path
        self.lines = lines

    def fail(self, text: str, node: Any) -> InputError:
        return InputError(self.path, [Problem((), text, line=node.start_mark.line + 1)])

    def scalar(self, node: ScalarNode) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            raise self.fail(f"不认识的 YAML 标签「{node.tag}」；去掉它，或把值加引号作为文字", node) from exc
        except (ValueError, TypeError, OverflowError) as exc:
            raise self.fail(f"无法读取的值「{node.value}」（{exc}）", node) from exc
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found is not None:
                raise self.fail(f"含有无法保存的字符 U+{ord(found.group()):04X}（孤立的 UTF-16 代理码位，多为残缺的 \\u 转义），请删去或改正", node)
            return str(value)
        return value

    def pairs(self, node: MappingNode) -> list[tuple[Any, Any]]:
        """The key/value nodes of a mapping, `<<: *defaults` merged in (own keys win)."""
        own, merged = [], []
        for key, value in node.value:
            if key.tag == _MERGE:
                sources = value.value if isinstance(value, SequenceNode) else [value]
                for source in sources:
                    if not isinstance(source, MappingNode):
                        raise self.fail("「<<」合并的只能是映射（字段表）", source)
                    merged += self.pairs(source)
            else:
                own.append((key, value))
        if not merged:
            return own
        names = {self.key(k) for k, _ in own}
        return own + [(k, v) for k, v in merged if self.key(k) not in names]

    def key(self, node: Any) -> str:
        if not isinstance(node, ScalarNode):
            raise self.fail("字段名只能是文字，不能是列表或映射", node)
        return str(self.scalar(node))

    def plain(self, node: Any, path: FieldPath) -> Any:
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key, value in self.pairs(node):
                name = self.key(key)
                if name in out:
                    raise self.fail(f"语法错误：字段「{name}」重复出现（同一层的字段名不能相同）", key)
                sub = path + (name,)
                self.lines[sub] = key.start_mark.line + 1
                out[name] = self.plain(value, sub)
            return out
        if isinstance(node, SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                sub = path + (i,)
                self.lines[sub] = item.start_mark.line + 1
                items.append(self.plain(item, sub))
            return items
        return self.scalar(node)
