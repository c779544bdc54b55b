"""JSON: the changed values' text replaced, rows and keys inserted in the file's own
indentation; every other byte stays."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.inputs.importing.write_back import NUMBER_KINDS, Edits, FieldPath, _refuse, number, number_text


@dataclass
class _Span:
    start: int
    end: int
    kind: str  # object / array / string / number / literal
    members: dict[str, tuple[int, _Span]] = field(default_factory=dict)  # key -> (key start, value)
    items: list[_Span] = field(default_factory=list)


_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _scan(text: str, i: int) -> _Span:
    i = _WS.match(text, i).end()  # type: ignore[union-attr]
    ch = text[i]
    if ch == "{":
        span = _Span(i, i, "object")
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
        if text[i] == "}":
            span.end = i + 1
            return span
        while True:
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            key_start = i
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            i = _WS.match(text, i).end() + 1  # type: ignore[union-attr]  # the colon
            value = _scan(text, i)
            span.members[key] = (key_start, value)
            i = _WS.match(text, value.end).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i += 1
                continue
            span.end = i + 1
            return span
    if ch == "[":
        span = _Span(i, i, "array")
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
        if text[i] == "]":
            span.end = i + 1
            return span
        while True:
            value = _scan(text, i)
            span.items.append(value)
            i = _WS.match(text, value.end).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i += 1
                continue
            span.end = i + 1
            return span
    _, end = _DECODER.raw_decode(text, i)
    kind = "string" if ch == '"' else "number" if ch in "-0123456789" else "literal"
    return _Span(i, end, kind)


def _json_span(root: _Span, path: FieldPath) -> _Span | None:
    span: _Span | None = root
    for part in path:
        if span is None:
            return None
        if span.kind == "object" and isinstance(part, str):
            hit = span.members.get(part)
            span = hit[1] if hit else None
        elif span.kind == "array" and isinstance(part, int) and part < len(span.items):
            span = span.items[part]
        else:
            return None
    return span


def _json_value(value: Any, kind: str, old_kind: str) -> str:
    text = value.isoformat() if isinstance(value, date) else value if isinstance(value, str) else str(value)
    if old_kind == "number" and kind in NUMBER_KINDS and kind != "percent" and number(text) is not None:
        return number_text(number(text))  # type: ignore[arg-type]
    return json.dumps(text, ensure_ascii=False)


def _line_indent(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    line = text[start:at]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _json_block(value: Any, indent: str, step: str) -> str:
    """`value` serialised in the file's indentation, starting at a line indented `indent`."""
    if not step:
        return json.dumps(value, ensure_ascii=False, default=str)
    text = json.dumps(value, ensure_ascii=False, indent=len(step.expandtabs(8)) if step.strip(" ") == "" else 1, default=str)
    if "\t" in step:
        text = re.sub(r"(?m)^( +)", lambda m: "\t" * len(m.group(1)), text)
    return text.replace("\n", "\n" + indent)


def _step(text: str, container: _Span, inner_at: int) -> str:
    """The indentation one level adds in this file (empty: written on one line)."""
    if "\n" not in text[container.start : inner_at]:
        return ""
    outer, inner = _line_indent(text, container.start), _line_indent(text, inner_at)
    return inner[len(outer) :] if inner.startswith(outer) and len(inner) > len(outer) else "  "


def json_text(text: str, edits: Edits, path: Path) -> str:
    """`text` with the edits, one at a time (each re-scans: unit files are small)."""
    pending: list[tuple[str, Any]] = [("set", item) for item in edits.values.items()]
    by_list: dict[FieldPath, list[Any]] = {}
    for p in edits.removed:
        by_list.setdefault(p[:-1], []).append(("remove", int(p[-1])))
    for list_path, before, row in edits.added:
        by_list.setdefault(list_path, []).append(("add", (before, row)))
    for list_path, ops in by_list.items():
        # highest positions first, so the file's own row numbers stay valid for the rest
        key = lambda op: (op[1] if op[0] == "remove" else (op[1][0] if op[1][0] is not None else 1 << 30), op[0] == "remove")  # noqa: E731
        for op in sorted(ops, key=key, reverse=True):
            pending.append((op[0], (list_path, op[1])))
    for what, item in pending:
        offset = len(text) - len(text.lstrip("\ufeff"))
        root = _scan(text, offset)
        if what == "set":
            field_path, value = item
            text = _json_set(text, root, field_path, value, edits.kinds.get(field_path, "text"), path)
        elif what == "remove":
            list_path, index = item
            text = _json_remove(text, _json_span(root, list_path), index)
        else:
            list_path, (before, row) = item
            rows = _json_span(root, list_path)
            if rows is None:
                text = _json_set(text, root, list_path, [row], "list", path)
            else:
                text = _json_insert(text, rows, before, row)
    return text


def _json_set(text: str, root: _Span, field_path: FieldPath, value: Any, kind: str, path: Path) -> str:
    span = _json_span(root, field_path)
    if span is not None and value is None:
        parent = _json_span(root, field_path[:-1])
        assert parent is not None and parent.kind == "object"
        return _json_drop_member(text, parent, str(field_path[-1]))
    if span is not None and span.kind in ("string", "number", "literal"):
        return text[: span.start] + _json_value(value, kind, span.kind) + text[span.end :]
    if value is None:
        return text
    # a key the file does not have: added to the nearest object that exists, nested as needed
    depth = len(field_path) - 1
    while depth > 0 and _json_span(root, field_path[:depth]) is None:
        depth -= 1
    parent = _json_span(root, field_path[:depth])
    if parent is None or parent.kind != "object":
        raise _refuse(path, f"无法在 JSON 文件中写入「{'.'.join(map(str, field_path))}」")
    new: Any = value if kind == "list" else (value.isoformat() if isinstance(value, date) else value)
    if kind in NUMBER_KINDS and kind != "percent" and isinstance(new, str) and number(new) is not None:
        new = _RawNumber(number_text(number(new)))  # type: ignore[arg-type]
    for part in reversed(field_path[depth + 1 :]):
        new = {part: new}
    return _json_add_member(text, parent, str(field_path[depth]), new)


class _RawNumber(str):
    """A number's text, written into JSON as a number."""


def _leaves(value: Any, leaf: Any) -> Any:
    """`value` with every scalar inside its dicts and lists replaced by `leaf(scalar)`."""
    if isinstance(value, dict):
        return {k: _leaves(v, leaf) for k, v in value.items()}
    if isinstance(value, list):
        return [_leaves(v, leaf) for v in value]
    return leaf(value)


def _json_dump(value: Any) -> Any:
    return _leaves(value, lambda v: Decimal(v) if isinstance(v, _RawNumber) else v)


def _dumps(value: Any, indent: str, step: str) -> str:
    text = _json_block(_json_dump(value), indent, step) if not isinstance(value, _RawNumber) else str(value)
    return re.sub(r'"__decimal__:([-0-9.]+)"', r"\1", text)


def _json_add_member(text: str, obj: _Span, key: str, value: Any) -> str:
    value = _decimals_marked(value)
    if not obj.members:
        return text[: obj.start] + "{" + json.dumps(key, ensure_ascii=False) + ": " + _dumps(value, "", "") + "}" + text[obj.end :]
    last_key, last = max(obj.members.values(), key=lambda m: m[1].end)
    step = _step(text, obj, last_key)
    if step:
        indent = _line_indent(text, last_key)
        insert = ",\n" + indent + json.dumps(key, ensure_ascii=False) + ": " + _dumps(value, indent, step)
    else:
        insert = ", " + json.dumps(key, ensure_ascii=False) + ": " + _dumps(value, "", "")
    return text[: last.end] + insert + text[last.end :]


def _marked(value: Any) -> Any:
    if isinstance(value, _RawNumber):
        return "__decimal__:" + value
    if isinstance(value, Decimal):
        return "__decimal__:" + number_text(value)
    return value


def _decimals_marked(value: Any) -> Any:
    return _leaves(value, _marked)


def _json_drop_member(text: str, obj: _Span, key: str) -> str:
    ordered = sorted(obj.members.items(), key=lambda m: m[1][0])
    n = [k for k, _ in ordered].index(key)
    key_start, value = ordered[n][1]
    if n > 0:
        return text[: ordered[n - 1][1][1].end] + text[value.end :]
    if len(ordered) > 1:
        return text[:key_start] + text[ordered[1][1][0] :]
    return text[: obj.start + 1] + text[obj.end - 1 :]


def _json_remove(text: str, rows: _Span | None, index: int) -> str:
    assert rows is not None
    items = rows.items
    if index > 0:
        return text[: items[index - 1].end] + text[items[index].end :]
    if len(items) > 1:
        return text[: items[0].start] + text[items[1].start :]
    return text[: rows.start + 1] + text[rows.end - 1 :]


def _json_insert(text: str, rows: _Span, before: int | None, row: Any) -> str:
    row = _decimals_marked(row)
    if not rows.items:
        return text[: rows.start] + "[" + _dumps(row, "", "") + "]" + text[rows.end :]
    anchor = rows.items[before] if before is not None and before < len(rows.items) else rows.items[-1]
    step = _step(text, rows, anchor.start)
    indent = _line_indent(text, anchor.start) if step else ""
    body = _dumps(row, indent, step)
    sep = (",\n" + indent) if step else ", "
    if before is not None and before < len(rows.items):
        return text[: anchor.start] + body + sep + text[anchor.start :]
    return text[: anchor.end] + sep + body + text[anchor.end :]
