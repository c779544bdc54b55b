"""Edits written back into a unit file in its own format, changing nothing else.

An edit is a field path of the unit data (`projects`, 0, `indicators`, 2, `actual`) and
its new value (text as the form prints it; None removes the value), or a row added to
or removed from a list.  Each format writes them its own way:

- YAML: a changed scalar's text is replaced in place, in the scalar's own style (a plain
  number stays a number, quotes stay quotes, block text stays a block); only rows and
  keys the file does not have yet go through ruamel's round trip.
- JSON: the changed values' text is replaced, rows and keys inserted in the file's own
  indentation; every other byte stays.
- A data-entry workbook: the changed cells are rewritten in the sheet XML inside the
  zip (the cell keeps its style), new rows appended in the sheet's layout; every other
  part of the zip is copied as it was.

Every result is read back and compared with what the edits should give before it is
written: a writer that cannot make the file hold the edits refuses (`InputError`)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ..errors import InputError, Problem

FieldPath = tuple[str | int, ...]


@dataclass
class Edits:
    """What a merge writes: values set (None: removed), rows added (inserted before the
    row `before` of the list as it is in the file, None: at its end) and rows removed
    (by their index in the file).  `kinds` says how each field is typed (number,
    amount, percent, date, text…, from `entrybook.columns.value_kind`)."""

    values: dict[FieldPath, Any] = field(default_factory=dict)
    added: list[tuple[FieldPath, int | None, dict[str, Any]]] = field(default_factory=list)
    removed: list[FieldPath] = field(default_factory=list)
    kinds: dict[FieldPath, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.values or self.added or self.removed)


_MISSING = object()
NUMBER_KINDS = ("amount", "number", "int", "percent")


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


def number(value: Any) -> Decimal | None:
    """`1,943,200.00`, `96.41%`, `１０` as a Decimal (a percentage as its number: 96.41); None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    text = str(value).translate(_FULL_WIDTH).replace(",", "").replace(" ", "").strip()
    text = text[:-1] if text.endswith("%") else text
    text = text[:-1] if text.endswith("元") else text
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％－", "0123456789.,%-")


def number_text(value: Decimal) -> str:
    text = format(value, "f")
    return text


def expected(data: Any, edits: Edits) -> Any:
    """`data` as the edits make it (plain dicts and lists), for checking what a writer wrote."""
    import copy

    out = copy.deepcopy(data)
    for path, value in edits.values.items():
        parent = out
        for part in path[:-1]:
            if isinstance(parent, dict):
                parent = parent.setdefault(part, {})
            else:
                parent = parent[part]
        if value is None:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
    for path in sorted(edits.removed, key=lambda p: -int(p[-1])):
        _get(out, path[:-1])[int(path[-1])] = _MISSING
    inserts: dict[FieldPath, list[tuple[int | None, dict[str, Any]]]] = {}
    for path, before, row in edits.added:
        inserts.setdefault(path, []).append((before, row))
    for path in {*(p[:-1] for p in edits.removed), *inserts}:
        rows = _get(out, path)
        if rows is _MISSING:
            rows = []
            _get(out, path[:-1])[path[-1]] = rows
        new: list[Any] = []
        for n, row in enumerate(rows):
            new += [r for b, r in inserts.get(path, []) if b == n]
            if row is not _MISSING:
                new.append(row)
        new += [r for b, r in inserts.get(path, []) if b is None or b >= len(rows)]
        rows[:] = new
    return out


def same_data(a: Any, b: Any) -> bool:
    """Equal as unit data: numbers by value (1.50 and 1.5, "6" and 6), text by its text, dates by their text."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k, v in a.items() if v not in (None, "", {}, [])} | {k for k, v in b.items() if v not in (None, "", {}, [])}
        return all(same_data(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b))
    if a in (None, "", {}, []) or b in (None, "", {}, []):
        return a in (None, "", {}, []) and b in (None, "", {}, [])
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    x, y = number(a), number(b)
    if x is not None and y is not None and not (isinstance(a, str) and isinstance(b, str)):
        return x == y
    return str(a) == str(b)


def _refuse(path: Path, text: str, where: Any = None) -> InputError:
    return InputError(path, [Problem((), text, line=where)])


# ------------------------------------------------------------------ YAML

_BREAKS = ("\x85", "\u2028", "\u2029")


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\x85":
            out.append("\\N")
        elif ch == "\u2028":
            out.append("\\L")
        elif ch == "\u2029":
            out.append("\\P")
        elif ord(ch) < 0x20 or ch == "\x7f" or 0x80 <= ord(ch) < 0xA0 or ch == "\ufeff":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _plain_ok(text: str, kind: str) -> bool:
    """Does `text` read back as this very text when written plain?"""
    from ..loader import load_text

    from .yaml_out import _QUOTE

    if not text or text != text.strip() or "\n" in text or any(b in text for b in _BREAKS) or text[:1] in _QUOTE:
        return False  # `=100%`, `>90%` are quoted, as the README asks of a person
    try:
        value = load_text(f"v: {text}\n", Path("check.yaml")).data["v"]
    except Exception:  # noqa: BLE001 - anything that does not read back is not written plain
        return False
    if kind in NUMBER_KINDS and number(text) is not None:
        return number(value) == number(text)
    if kind == "date" and isinstance(value, date):
        return value.isoformat() == text  # a date stays a plain date
    return isinstance(value, str) and value == text


def _yaml_scalar(node: Any, value: Any, kind: str, source: str) -> str:
    """The text of `value` in the style of the scalar `node` it replaces."""
    style = node.style
    text = value if isinstance(value, str) else str(value)
    if isinstance(value, date):
        text = value.isoformat()
    plain_number = kind in NUMBER_KINDS and number(text) is not None and kind != "percent"
    if style is None:
        if plain_number and node.tag.endswith((":int", ":float")):
            return number_text(number(text))  # type: ignore[arg-type]
        if _plain_ok(text, kind):
            return text
        return _double_quoted(text)
    if style == "'" and "\n" not in text and not any(b in text for b in _BREAKS) and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    lines_ok = all(line.replace("\t", " ").isprintable() for line in text.split("\n"))
    if style in ("|", ">") and text.strip() and lines_ok and not any(b in text for b in _BREAKS) and text == text.lstrip("\n"):
        line_start = source.rfind("\n", 0, node.start_mark.index) + 1
        before = source[line_start : node.start_mark.index]
        key_indent = len(before) - len(before.lstrip(" "))
        body_start = source.find("\n", node.start_mark.index) + 1
        first = source[body_start : node.end_mark.index].split("\n", 1)[0]
        indent = len(first) - len(first.lstrip(" ")) if first.strip() else key_indent + 2
        indent = max(indent, key_indent + 1)
        body = text.rstrip("\n")
        chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "+" if text.endswith("\n\n") else "-"
        if chomp == "+":
            body = text[:-1]
        lines = "".join((" " * indent + line if line else "") + "\n" for line in body.split("\n"))
        indicator = "|" + (str(indent - key_indent) if body.split("\n")[0].startswith(" ") else "") + chomp
        return indicator + "\n" + lines
    if style in ("|", ">") and "\n" not in text and text.isprintable():
        return _double_quoted(text) + "\n"  # a one-line text where a block was: quoted, the line kept
    return _double_quoted(text)


def _yaml_node(root: Any, path: FieldPath) -> Any:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    node = root
    for part in path:
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


def yaml_text(text: str, edits: Edits, path: Path) -> str:
    """`text` with the edits: scalars replaced in place; keys and rows the file does not
    have, through ruamel's round trip."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode

    root = YAML(typ="rt").compose(text)
    splices: list[tuple[int, int, str]] = []
    rest = Edits(kinds=edits.kinds, added=edits.added, removed=edits.removed)
    for field_path, value in edits.values.items():
        node = _yaml_node(root, field_path)
        if value is not None and isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            kind = edits.kinds.get(field_path, "text")
            new = _yaml_scalar(node, value, kind, text)
            splices.append((node.start_mark.index, node.end_mark.index, new))
        else:
            rest.values[field_path] = value
    for start, end, new in sorted(splices, reverse=True):
        text = text[:start] + new + text[end:]
    if not rest.empty:
        text = _yaml_round_trip(text, rest)
    return text


class _Every(set):  # type: ignore[type-arg]
    """A `commented` set for `yaml_out._node` that holds every path: no title comments."""

    def __contains__(self, item: object) -> bool:
        return True


def _yaml_round_trip(text: str, edits: Edits) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.util import load_yaml_guess_indent

    from ..fields import field_at  # noqa: F401 - the model walk below uses yaml_out's helpers
    from ..models import Unit
    from .yaml_out import _decimal, _node

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.representer.add_representer(Decimal, _decimal)
    _, indent, offset = load_yaml_guess_indent(text)
    yaml.indent(mapping=offset or 2, sequence=indent or 4, offset=offset or 2)
    data = yaml.load(text)

    def styled(value: Any, path: FieldPath) -> Any:
        names = tuple(p for p in path if isinstance(p, str))
        return _node(value, Unit, names, _Every())

    for field_path, value in edits.values.items():
        parent = data
        for n, part in enumerate(field_path[:-1]):
            if isinstance(parent, dict) and not isinstance(parent.get(part), (dict, list)):
                parent[part] = CommentedMap()
            parent = parent[part]
        key = field_path[-1]
        if value is None:
            if isinstance(parent, dict):
                parent.pop(key, None)
        elif key in parent or not isinstance(parent, CommentedMap):
            parent[key] = styled(value, field_path)
        else:
            parent.insert(_schema_position(parent, field_path), key, styled(value, field_path))
    for list_path in {p[:-1] for p in edits.removed}:
        rows = _get(data, list_path)
        for index in sorted((int(p[-1]) for p in edits.removed if p[:-1] == list_path), reverse=True):
            del rows[index]
    for list_path, before, row in sorted(edits.added, key=lambda a: -(a[1] if a[1] is not None else 1 << 30)):
        rows = _get(data, list_path)
        if rows is _MISSING:
            parent = _get(data, list_path[:-1])
            parent[list_path[-1]] = rows = CommentedSeq()
        shift = sum(1 for p in edits.removed if p[:-1] == list_path and before is not None and int(p[-1]) < before)
        node = styled(row, list_path)
        if before is None:
            rows.append(node)
        else:
            rows.insert(before - shift, node)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def _schema_position(mapping: Any, field_path: FieldPath) -> int:
    """Where a new key goes among a mapping's keys: before the first key the schema puts after it."""
    from ..fields import field_at, inner_model
    from ..models import Unit

    names = tuple(p for p in field_path if isinstance(p, str))
    parent = field_at(Unit, names[:-1]) if len(names) > 1 else None
    model = inner_model(parent.annotation) if parent is not None else Unit
    order = list(model.model_fields) if model is not None else []
    if names[-1] not in order:
        return len(mapping)
    later = set(order[order.index(names[-1]) + 1 :])
    keys = list(mapping)
    return next((n for n, k in enumerate(keys) if k in later), len(keys))


# ------------------------------------------------------------------ JSON


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


def _json_dump(value: Any) -> Any:
    if isinstance(value, _RawNumber):
        return Decimal(value)
    if isinstance(value, dict):
        return {k: _json_dump(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_dump(v) for v in value]
    return value


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


def _decimals_marked(value: Any) -> Any:
    if isinstance(value, _RawNumber):
        return "__decimal__:" + value
    if isinstance(value, Decimal):
        return "__decimal__:" + number_text(value)
    if isinstance(value, dict):
        return {k: _decimals_marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals_marked(v) for v in value]
    return value


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


# ------------------------------------------------------------------ workbook

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_EPOCH = date(1899, 12, 30)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip part holding it."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{{{_NS['m']}}}sheet"):
        target = targets.get(sheet.get(_REL), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name", "")] = part
    return out


def _cell_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(r'<c\b(?=[^>]*\br="' + ref + r'")([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _row_pattern(row: int) -> re.Pattern[str]:
    return re.compile(r'<row\b(?=[^>]*\br="' + str(row) + r'")([^>]*?)(?:/>|>(.*?)</row>)', re.S)


def _attrs_without(attrs: str, *names: str) -> str:
    for name in names:
        attrs = re.sub(r'\s' + name + r'="[^"]*"', "", attrs)
    return attrs


def _cell_xml(ref: str, attrs: str, value: Any, kind: str) -> str:
    """A cell holding `value` as its kind is typed (the cell's style attribute kept)."""
    attrs = _attrs_without(attrs, "r", "t", "cm", "vm")
    if value is None or value == "":
        return f'<c r="{ref}"{attrs}/>'
    if kind == "date" and isinstance(value, date):
        return f'<c r="{ref}"{attrs}><v>{(value - _EPOCH).days}</v></c>'
    amount = number(value) if kind in NUMBER_KINDS else None
    if amount is not None:
        if kind == "percent":
            amount = amount / 100  # a rate is printed in percent (96.41%), held as a fraction with a percent format
        return f'<c r="{ref}"{attrs}><v>{number_text(amount.normalize() if amount == amount.to_integral() else amount)}</v></c>'
    text = value.isoformat() if isinstance(value, date) else str(value)
    text = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}"{attrs} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


@dataclass
class CellWrite:
    sheet: str
    ref: str  # A1 style
    value: Any
    kind: str
    style_from: str | None = None  # for a new cell: the cell whose style it takes


def _put_cell(xml: str, write: CellWrite) -> str:
    found = _cell_pattern(write.ref).search(xml)
    if found:
        return xml[: found.start()] + _cell_xml(write.ref, found.group(1), write.value, write.kind) + xml[found.end() :]
    attrs = ""
    if write.style_from:
        style = _cell_pattern(write.style_from).search(xml)
        if style:
            s = re.search(r'\ss="[^"]*"', style.group(1))
            attrs = s.group(0) if s else ""
    cell = _cell_xml(write.ref, attrs, write.value, write.kind)
    letters, row = _CELL_REF.match(write.ref).groups()  # type: ignore[union-attr]
    column = _column_number(letters)
    found_row = _row_pattern(int(row)).search(xml)
    if found_row:
        inner = found_row.group(2) or ""
        at = len(inner)
        for c in re.finditer(r'<c\b[^>]*\br="([A-Z]+)\d+"', inner):
            if _column_number(c.group(1)) > column:
                at = c.start()
                break
        attrs_row = _attrs_without(found_row.group(1), "spans")
        new_row = f"<row{attrs_row}>{inner[:at]}{cell}{inner[at:]}</row>"
        return xml[: found_row.start()] + new_row + xml[found_row.end() :]
    data = re.search(r"<sheetData\s*/>|<sheetData\b[^>]*>(.*?)</sheetData>", xml, re.S)
    if data is None:
        raise ValueError("no sheetData")
    new_row = f'<row r="{row}">{cell}</row>'
    if data.group(0).endswith("/>"):
        return xml[: data.start()] + f"<sheetData>{new_row}</sheetData>" + xml[data.end() :]
    inner_start = data.start(1)
    inner = data.group(1)
    at = len(inner)
    for r in re.finditer(r'<row\b[^>]*\br="(\d+)"', inner):
        if int(r.group(1)) > int(row):
            at = r.start()
            break
    pos = inner_start + at
    return xml[:pos] + new_row + xml[pos:]


def _grow_dimension(xml: str, refs: list[str]) -> str:
    found = re.search(r'<dimension\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', xml)
    if not found:
        return xml
    c1, r1 = found.group(1), int(found.group(2))
    c2, r2 = found.group(3) or c1, int(found.group(4) or r1)
    for ref in refs:
        letters, row = _CELL_REF.match(ref).groups()  # type: ignore[union-attr]
        if _column_number(letters) > _column_number(c2):
            c2 = letters
        r2 = max(r2, int(row))
    new = f"{c1}{r1}:{c2}{r2}"
    return xml[: found.start(1)] + new + xml[found.end(4) if found.group(4) else found.end(2) :]


def workbook_bytes(data: bytes, writes: list[CellWrite], path: Path) -> bytes:
    """The workbook `data` with `writes` made in its sheet XML; every other part copied."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(zin)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise _refuse(path, f"无法在工作簿中就地写入（{type(exc).__name__}）：文件已损坏，或不是 .xlsx 格式") from exc
    by_part: dict[str, list[CellWrite]] = {}
    for write in writes:
        part = parts.get(write.sheet)
        if part is None:
            raise _refuse(path, f"工作簿中没有工作表「{write.sheet}」", f"{write.sheet}!{write.ref}")
        by_part.setdefault(part, []).append(write)
    out = io.BytesIO()
    with zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            raw = zin.read(info)
            if info.filename in by_part:
                xml = raw.decode("utf-8")
                try:
                    for write in by_part[info.filename]:
                        xml = _put_cell(xml, write)
                except ValueError as exc:
                    raise _refuse(path, f"无法在工作表「{by_part[info.filename][0].sheet}」中就地写入（{exc}）") from exc
                xml = _grow_dimension(xml, [w.ref for w in by_part[info.filename]])
                raw = xml.encode("utf-8")
            zout.writestr(info, raw, compress_type=info.compress_type)
    return out.getvalue()
