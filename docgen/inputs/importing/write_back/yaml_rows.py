"""YAML rows and keys added or removed as text: the lines of a removed list item or key
are cut, a new item or key is dumped on its own and put between the lines of its
neighbours in the list's own indentation; every other line stays byte for byte
(comments, quoting, flow style, key order, blank lines).  What cannot be done this way
(a flow-style list or mapping, a list emptied or created, a key beside a dash) is left
to ruamel's round trip (`yaml_file._yaml_round_trip`)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from docgen.inputs.importing.write_back import Edits, FieldPath


class _Fallback(Exception):
    """This edit cannot be made as text."""


def _lines(text: str) -> list[int]:
    """The offset each line starts at (and the end of the text)."""
    starts = [0]
    for n, ch in enumerate(text):
        if ch == "\n":
            starts.append(n + 1)
    if starts[-1] != len(text):
        starts.append(len(text))
    return starts


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _span(text: str, starts: list[int], line: int, column: int) -> tuple[int, int]:
    """The offsets of the lines from `line` through the last line after it indented
    deeper than `column` (blank lines between them included, trailing ones not)."""
    last = line
    for n in range(line + 1, len(starts) - 1):
        body = text[starts[n] : starts[n + 1]].rstrip("\r\n")
        if not body.strip():
            continue
        if _indent(body) <= column:
            break
        last = n
    return starts[line], starts[last + 1]


def _node_at(root: Any, path: FieldPath) -> Any:
    return _yaml_node(root, path)


def _block_list(root: Any, path: FieldPath) -> Any:
    from ruamel.yaml.nodes import SequenceNode

    node = _node_at(root, path)
    if not isinstance(node, SequenceNode) or node.flow_style or not node.value:
        raise _Fallback(path)
    return node


def _item_span(text: str, starts: list[int], node: Any) -> tuple[int, int, int]:
    """An item of a block list: its lines and the column of its dash."""
    dash = text.rfind("-", 0, node.start_mark.index)
    line = node.start_mark.line if text.rfind("\n", 0, node.start_mark.index) < dash else None
    if dash < 0 or line is None or text[starts[line] : dash].strip():
        raise _Fallback(node)
    column = dash - starts[line]
    start, end = _span(text, starts, line, column)
    return start, end, column


def _dumped(value: Any, names: tuple[str, ...], text: str) -> str:
    """`value` as YAML on its own (a mapping's lines), styled as the importer writes."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    from docgen.inputs.importing.yaml_out import _decimal, _node
    from docgen.model.unit import Unit

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.representer.add_representer(Decimal, _decimal)
    _, indent, offset = load_yaml_guess_indent(text)
    yaml.indent(mapping=offset or 2, sequence=indent or 4, offset=offset or 2)
    buf = io.StringIO()
    yaml.dump(_node(value, Unit, names, _Every()), buf)
    return buf.getvalue()


def _item_text(row: Any, names: tuple[str, ...], column: int, content: int, text: str) -> str:
    if not isinstance(row, dict) or not row:
        raise _Fallback(row)
    lines = _dumped(row, names, text).split("\n")
    first = " " * column + "-" + " " * (content - column - 1) + lines[0]
    return "\n".join([first, *((" " * content + line) if line else line for line in lines[1:-1])]) + "\n"


def rows_as_text(text: str, edits: Edits) -> str:
    """`text` with the edits' rows removed and added as text; raises `_Fallback` when one
    cannot be (the caller then leaves them all to the round trip)."""
    from ruamel.yaml import YAML

    if not text.endswith("\n"):
        raise _Fallback(())
    root = YAML(typ="rt").compose(text)
    starts = _lines(text)
    splices: list[tuple[int, int, str]] = []
    lists = {p[:-1] for p in edits.removed} | {p for p, _, _ in edits.added}
    for list_path in lists:
        node = _block_list(root, list_path)
        spans = [_item_span(text, starts, item) for item in node.value]
        gone = {int(p[-1]) for p in edits.removed if p[:-1] == list_path}
        if len(gone) >= len(spans) and not any(p == list_path for p, _, _ in edits.added):
            raise _Fallback(list_path)  # the list emptied: `[]` is the round trip's
        column = spans[0][2]
        content = node.value[0].start_mark.column
        between = text[spans[0][1] : spans[1][0]] if len(spans) > 1 else ""
        separated = bool(between) and not between.strip()  # items set apart by blank lines: so is a new one
        for index in gone:
            splices.append((spans[index][0], spans[index][1], ""))
        names = tuple(p for p in list_path if isinstance(p, str))
        inserts: dict[int, str] = {}
        for path, before, row in edits.added:
            if path != list_path:
                continue
            at = spans[0][0] if before == 0 else spans[min(before, len(spans)) - 1][1] if before is not None else spans[-1][1]
            chunk = _item_text(row, names, column, content, text)
            chunk = ("\n" + chunk) if separated and before != 0 else (chunk + "\n") if separated else chunk
            inserts[at] = inserts.get(at, "") + chunk
        splices += [(at, at, chunk) for at, chunk in inserts.items()]
    for start, end, new in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def keys_as_text(text: str, edits: Edits) -> tuple[str, dict[FieldPath, Any]]:
    """`text` with the keys the edits remove (None) or add (a key the file lacks) done as
    text; returns the values left for the round trip."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode

    if not text.endswith("\n"):
        return text, dict(edits.values)
    root = YAML(typ="rt").compose(text)
    starts = _lines(text)
    splices: list[tuple[int, int, str]] = []
    left: dict[FieldPath, Any] = {}
    for path, value in edits.values.items():
        parent = _node_at(root, path[:-1])
        if not isinstance(parent, MappingNode) or parent.flow_style or not parent.value or isinstance(value, (dict, list)):
            left[path] = value
            continue
        keys = [k.value for k, _ in parent.value]
        if value is not None and path[-1] in keys:  # a value where a mapping or null was
            left[path] = value
            continue
        column = parent.value[0][0].start_mark.column
        at_line_start = [not text[starts[k.start_mark.line] : k.start_mark.index].strip() for k, _ in parent.value]
        if value is None:
            if path[-1] not in keys or len(keys) == 1 or not at_line_start[keys.index(path[-1])]:
                left[path] = value
                continue
            key = parent.value[keys.index(path[-1])][0]
            start, end = _span(text, starts, key.start_mark.line, column)
            splices.append((start, end, ""))
            continue
        position = _schema_position(keys, path)
        if position == 0 and not at_line_start[0]:
            left[path] = value
            continue
        names = tuple(p for p in path if isinstance(p, str))
        chunk = "".join((" " * column + line if line else line) + "\n" for line in _dumped({path[-1]: value}, names[:-1], text).split("\n")[:-1])
        key = parent.value[position - 1][0] if position else parent.value[0][0]
        at = _span(text, starts, key.start_mark.line, column)[1] if position else starts[key.start_mark.line]
        splices.append((at, at, chunk))
    for start, end, new in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text, left


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


class _Every(set):
    """A `commented` set for `yaml_out._node` that holds every path: no title comments."""

    def __contains__(self, item: object) -> bool:
        return True


def _schema_position(mapping: Any, field_path: FieldPath) -> int:
    """Where a new key goes among a mapping's keys: before the first key the schema puts after it."""
    from docgen.model.fields import field_at, inner_model
    from docgen.model.unit import Unit

    names = tuple(p for p in field_path if isinstance(p, str))
    parent = field_at(Unit, names[:-1]) if len(names) > 1 else None
    model = inner_model(parent.annotation) if parent is not None else Unit
    order = list(model.model_fields) if model is not None else []
    if names[-1] not in order:
        return len(mapping)
    later = set(order[order.index(names[-1]) + 1 :])
    keys = list(mapping)
    return next((n for n, k in enumerate(keys) if k in later), len(keys))
