"""YAML: a changed scalar's text replaced in place, in the scalar's own style; keys and
rows the file does not have yet go through ruamel's round trip."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.inputs.importing.write_back import _MISSING, NUMBER_KINDS, Edits, FieldPath, _get, number, number_text
from docgen.inputs.importing.write_back.yaml_rows import _Every, _Fallback, _schema_position, _yaml_node, keys_as_text, rows_as_text

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
    from docgen.inputs.importing.yaml_out import _QUOTE
    from docgen.parse.load import load_text

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


def yaml_text(text: str, edits: Edits, path: Path, textual: bool = True) -> str:
    """`text` with the edits: scalars replaced in place; keys and rows added or removed
    as text (`yaml_rows`), or where they cannot be (or not `textual`), through ruamel's
    round trip."""
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
    if rest.empty:
        return text
    if not textual:
        return _yaml_round_trip(text, rest)
    text, left = keys_as_text(text, Edits(values=rest.values, kinds=edits.kinds)) if rest.values else (text, {})
    if left:
        text = _yaml_round_trip(text, Edits(values=left, kinds=edits.kinds))
    rows = Edits(added=edits.added, removed=edits.removed, kinds=edits.kinds)
    if rows.empty:
        return text
    try:
        return rows_as_text(text, rows)
    except _Fallback:
        return _yaml_round_trip(text, rows)


def _yaml_round_trip(text: str, edits: Edits) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.util import load_yaml_guess_indent

    from docgen.inputs.importing.yaml_out import _decimal, _node
    from docgen.model.unit import Unit

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
        for part in field_path[:-1]:
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
