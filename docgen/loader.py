"""Stage 1: read a unit file (YAML or JSON) into plain data plus a line map.

JSON is read by the same YAML 1.2 parser, so both formats report line numbers.
Floats are constructed as `Decimal` from their source text: `1943200.00` must never
pass through a binary float on its way to a printed amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import InputError, Problem

FieldPath = tuple[str | int, ...]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # a data-entry workbook (`docgen workbook`)


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


class _DecimalConstructor(RoundTripConstructor):
    def construct_yaml_float(self, node: Any) -> Any:  # type: ignore[override]
        text = str(node.value).replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return text  # .inf / .nan: leave as text so validation names the field
        return value if value.is_finite() else text


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _DecimalConstructor.construct_yaml_float)


def _parser() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DecimalConstructor
    return yaml


def load_file(path: str | Path) -> LoadedFile:
    """Read `path`; raise `InputError` (never a parser traceback) when it is unreadable."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from .entrybook.read import read_workbook  # the workbook reader imports the form kinds, which import this

        return read_workbook(path)
    if path.suffix.lower() in (".xls", ".et"):
        command = f"soffice --headless --convert-to xlsx {path.name}"
        raise InputError(path, [Problem((), f"这是旧版 Excel/WPS 工作簿：请在 Excel 或 WPS 中另存为 .xlsx，或运行 {command}")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(path, [Problem((), "文件不存在")]) from exc
    except IsADirectoryError as exc:
        raise InputError(path, [Problem((), "这是一个目录，不是数据文件")]) from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, [Problem((), "文件不是 UTF-8 编码的文本")]) from exc
    except OSError as exc:
        raise InputError(path, [Problem((), f"无法读取文件（{exc.strerror}）")]) from exc
    return load_text(text, path)


def load_text(text: str, path: Path) -> LoadedFile:
    if not text.strip():
        raise InputError(path, [Problem((), "文件为空", line=1)])
    try:
        raw = _parser().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "无法解析"
        raise InputError(path, [Problem((), f"语法错误：{what}", line=line)]) from exc
    except YAMLError as exc:
        raise InputError(path, [Problem((), f"语法错误：{exc}")]) from exc
    if raw is None:
        raise InputError(path, [Problem((), "文件为空", line=1)])
    lines: dict[FieldPath, int] = {(): 1}
    data = _plain(raw, (), lines)
    return LoadedFile(path=path, data=data, lines=lines, text=text)


def _plain(node: Any, path: FieldPath, lines: dict[FieldPath, int]) -> Any:
    """Copy ruamel's round-trip nodes into plain containers, recording line numbers."""
    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            sub = path + (str(key),)
            try:
                lines[sub] = node.lc.key(key)[0] + 1
            except (KeyError, TypeError):
                pass
            out[str(key)] = _plain(node[key], sub, lines)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, item in enumerate(node):
            sub = path + (i,)
            try:
                lines[sub] = node.lc.item(i)[0] + 1
            except (KeyError, TypeError, IndexError):
                pass
            out_list.append(_plain(item, sub, lines))
        return out_list
    if isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, str):
        return str(node)
    return node
